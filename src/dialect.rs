//! Which character separates the cells, and whether the first row names the columns: sniffed
//! from the first rows, as a person would by looking.

use serde::Serialize;

/// Separators tried, in the order that breaks ties: a tab never appears inside a value written
/// by a spreadsheet, a semicolon is European Excel's, a comma everyone else's, a pipe rare.
const CANDIDATES: [u8; 4] = [b'\t', b';', b',', b'|'];
/// Rows looked at to decide.
const SAMPLE_ROWS: usize = 50;
/// Text looked at to decide: enough for the sample rows, never the whole of a large file.
const SAMPLE_BYTES: usize = 256 * 1024;

/// How the text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Dialect {
    /// The separator, as text: `,` `;` `\t` or `|`.
    #[serde(serialize_with = "as_text")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub delimiter: u8,
    pub has_header: bool,
}

fn as_text<S: serde::Serializer>(delimiter: &u8, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&char::from(*delimiter).to_string())
}

impl Dialect {
    /// `comma`, `semicolon`, `tab`, `pipe`: for the import summary.
    pub fn delimiter_name(&self) -> &'static str {
        match self.delimiter {
            b'\t' => "tab",
            b';' => "semicolon",
            b'|' => "pipe",
            _ => "comma",
        }
    }
}

/// The separator whose rows agree best on a number of cells above one; a comma when none does
/// (a single column).
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let mut best = (b',', 0usize, 0usize);
    for delimiter in CANDIDATES {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .take(SAMPLE_ROWS)
            .filter_map(Result::ok)
            .map(|record| record.len())
            .collect();
        let Some(modal) = modal_count(&counts) else {
            continue;
        };
        let agreeing = counts.iter().filter(|count| **count == modal).count();
        if modal > 1 && (agreeing, modal) > (best.1, best.2) {
            best = (delimiter, agreeing, modal);
        }
    }
    best.0
}

fn modal_count(counts: &[usize]) -> Option<usize> {
    let mut tally: Vec<(usize, usize)> = Vec::new();
    for &count in counts {
        match tally.iter_mut().find(|(seen, _)| *seen == count) {
            Some((_, times)) => *times += 1,
            None => tally.push((count, 1)),
        }
    }
    tally
        .into_iter()
        .max_by_key(|&(count, times)| (times, count))
        .map(|(count, _)| count)
}

/// Whether the first row is a header: none of its cells reads as a value (a number, a date, a
/// duration) while the second row has some — or it names a known column.
pub fn first_row_is_header(
    first: &[&str],
    second: Option<&[&str]>,
    looks_like_value: impl Fn(&str) -> bool,
    names_a_field: impl Fn(&str) -> bool,
) -> bool {
    let values_in_first = first.iter().filter(|cell| looks_like_value(cell)).count();
    if first.iter().any(|cell| names_a_field(cell)) && values_in_first == 0 {
        return true;
    }
    let values_in_second = second.map_or(0, |row| {
        row.iter().filter(|cell| looks_like_value(cell)).count()
    });
    values_in_first == 0 && values_in_second > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_one_rows_agree_on() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n4,5,6\n"), b',');
        // European Excel: semicolons, with decimal commas inside the values.
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n4;5,25;6\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n\"x, y\"\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
        assert_eq!(sniff_delimiter("justonecolumn\n1\n"), b',');
    }

    #[test]
    fn a_header_is_a_first_row_of_names_above_values() {
        let number = |cell: &str| cell.parse::<f64>().is_ok();
        let never = |_: &str| false;
        assert!(first_row_is_header(
            &["when", "wait"],
            Some(&["x", "12"]),
            number,
            never
        ));
        assert!(!first_row_is_header(
            &["x", "12"],
            Some(&["y", "13"]),
            number,
            never
        ));
        assert!(first_row_is_header(
            &["arrived", "b"],
            Some(&["x", "y"]),
            number,
            |cell: &str| cell == "arrived"
        ));
    }
}
