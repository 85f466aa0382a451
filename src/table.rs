//! A small table read whole: what the summary shapes (an interval report, a KPI history) are
//! read from. They are short — a month of half-hours is 1,488 rows — so unlike contacts they
//! are read in one piece, through the same decoding, separator sniffing and record splitting.

use crate::dialect::{sniff_delimiter, Dialect};
use crate::encoding::{decode_prefix, Encoding};
use crate::error::SlaError;
use crate::input::{RowProblem, SkipReason};
use crate::records::RecordSplitter;

/// A summary table: its header and its rows, each with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub encoding: Encoding,
    pub dialect: Dialect,
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// 1-based, as an editor shows it (the header is line 1 in most files).
    pub line: u64,
    pub cells: Vec<String>,
}

impl TableRow {
    /// Whether the row has a cell for each of the header's `width` columns; a row that has
    /// not cannot have its values placed, and is skipped as such.
    pub(crate) fn check_width(&self, width: usize) -> Result<(), RowProblem> {
        if self.cells.len() == width {
            Ok(())
        } else {
            Err(RowProblem {
                reason: SkipReason::WrongCellCount,
                column: 0,
            })
        }
    }
}

/// Reads `bytes` (UTF-8, UTF-16 with its mark, or Latin-1) as a table whose first non-blank
/// row is the header; blank rows are passed over.
pub fn read_table(bytes: &[u8]) -> Result<Table, SlaError> {
    let (text, encoding) = decode_prefix(bytes, true);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(SlaError::EmptyInput);
    }
    if text.contains('\0') {
        return Err(SlaError::NotText);
    }
    let delimiter = sniff_delimiter(text);
    let mut records: Vec<TableRow> = Vec::new();
    let mut keep = |record: &crate::records::Record| {
        if record.iter().any(|cell| !cell.trim().is_empty()) {
            records.push(TableRow {
                line: record.line,
                cells: record.iter().map(|cell| cell.trim().to_owned()).collect(),
            });
        }
    };
    let mut splitter = RecordSplitter::new(delimiter);
    splitter.push(text.as_bytes(), &mut keep);
    splitter.finish(&mut keep);
    let mut rows = records.into_iter();
    let header = rows.next().ok_or(SlaError::EmptyInput)?.cells;
    let rows: Vec<TableRow> = rows.collect();
    if rows.is_empty() {
        return Err(SlaError::NoDataRows);
    }
    Ok(Table {
        encoding,
        dialect: Dialect {
            delimiter,
            has_header: true,
        },
        header,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_skips_blank_rows_and_keeps_line_numbers() {
        let table = read_table(
            "\u{feff}Month;SL\r\n\r\n2026-01;\"78,2 %\"\r\n;\r\n2026-02;81 %\r\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(table.header, ["Month", "SL"]);
        assert_eq!(table.dialect.delimiter, b';');
        let lines: Vec<u64> = table.rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, [3, 5]);
        assert_eq!(table.rows[0].cells, ["2026-01", "78,2 %"]);
    }

    #[test]
    fn a_header_alone_has_no_rows() {
        assert!(matches!(
            read_table(b"Month,SL\n"),
            Err(SlaError::NoDataRows)
        ));
        assert!(matches!(read_table(b" \n"), Err(SlaError::EmptyInput)));
    }
}
