//! Text cut into records as it arrives, in chunks cut anywhere — inside a quoted cell, between
//! a CR and its LF — with the same records whatever the cuts. csv-core does the cutting: the
//! push parser under the `csv` crate (quotes, doubled quotes, CRLF/CR/LF, no allocation), fed
//! here chunk by chunk because a page streams a file and cannot block on a reader.

/// One record: its cells as text, and the line it starts on.
#[derive(Debug, Default)]
pub struct Record {
    text: String,
    ends: Vec<usize>,
    /// The line the record starts on (1-based, counting line ends inside quoted cells).
    pub line: u64,
    /// Cells whose bytes were not UTF-8 and were read as Latin-1, by column.
    pub not_utf8: Vec<usize>,
}

impl Record {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, column: usize) -> Option<&str> {
        let end = *self.ends.get(column)?;
        let start = if column == 0 {
            0
        } else {
            self.ends[column - 1]
        };
        self.text.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|column| self.get(column))
    }

    /// Refills the record from csv-core's output: `bytes` with a cell ending at each of `ends`.
    fn fill(&mut self, bytes: &[u8], ends: &[usize], line: u64) {
        self.text.clear();
        self.ends.clear();
        self.not_utf8.clear();
        self.line = line;
        if let Ok(text) = std::str::from_utf8(bytes) {
            self.text.push_str(text);
            self.ends.extend_from_slice(ends);
            return;
        }
        let mut start = 0;
        for (column, &end) in ends.iter().enumerate() {
            let cell = &bytes[start..end];
            match std::str::from_utf8(cell) {
                Ok(text) => self.text.push_str(text),
                Err(_) => {
                    self.not_utf8.push(column);
                    self.text.extend(cell.iter().map(|&byte| char::from(byte)));
                }
            }
            self.ends.push(self.text.len());
            start = end;
        }
    }
}

/// Cuts pushed text into [`Record`]s, calling back with each complete one.
pub struct RecordSplitter {
    core: csv_core::Reader,
    /// The record being read: its cells' bytes and where each ends.
    cells: Vec<u8>,
    ends: Vec<usize>,
    cells_len: usize,
    ends_len: usize,
    /// Line ends read so far (CRLF, LF or a lone CR each count once)…
    line_ends: u64,
    /// …and whether the last byte read was a CR, whose LF may open the next chunk.
    after_cr: bool,
    /// Line ends read since the last record was emitted.
    record_line_ends: u64,
    record: Record,
}

impl RecordSplitter {
    pub fn new(delimiter: u8) -> RecordSplitter {
        RecordSplitter {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            cells: vec![0; 4096],
            ends: vec![0; 64],
            cells_len: 0,
            ends_len: 0,
            line_ends: 0,
            after_cr: false,
            record_line_ends: 0,
            record: Record::default(),
        }
    }

    /// Reads `input`, calling `emit` with every record it completes.
    pub fn push(&mut self, input: &[u8], emit: &mut dyn FnMut(&Record)) {
        // csv-core takes empty input for the end of the data, so it only ever sees text here.
        if !input.is_empty() {
            self.read(input, emit);
        }
    }

    /// Ends the input: the last record, when no line end follows it, is emitted too.
    pub fn finish(&mut self, emit: &mut dyn FnMut(&Record)) {
        self.read(&[], emit);
    }

    fn read(&mut self, mut input: &[u8], emit: &mut dyn FnMut(&Record)) {
        use csv_core::ReadRecordResult;
        let at_end = input.is_empty();
        loop {
            let (result, read, written, ended) = self.core.read_record(
                input,
                &mut self.cells[self.cells_len..],
                &mut self.ends[self.ends_len..],
            );
            let line_ends = count_line_ends(&input[..read], &mut self.after_cr);
            self.line_ends += line_ends;
            self.record_line_ends += line_ends;
            input = &input[read..];
            self.cells_len += written;
            self.ends_len += ended;
            match result {
                ReadRecordResult::InputEmpty => return,
                ReadRecordResult::OutputFull => self.cells.resize(self.cells.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    let cells = &self.cells[..self.cells_len];
                    // The record's own line end has been read, except after the last line;
                    // line ends inside its quoted cells put its start further up.
                    let last_line = if at_end {
                        self.line_ends + 1
                    } else {
                        self.line_ends
                    };
                    // A record ended by the one line end read with it holds none in its cells
                    // (most records: no second scan of their bytes).
                    let in_cells = if self.record_line_ends == 1 && !at_end {
                        0
                    } else {
                        count_line_ends(cells, &mut false)
                    };
                    self.record_line_ends = 0;
                    let first_line = last_line - in_cells;
                    self.record
                        .fill(cells, &self.ends[..self.ends_len], first_line);
                    emit(&self.record);
                    self.cells_len = 0;
                    self.ends_len = 0;
                    if input.is_empty() && !at_end {
                        return;
                    }
                }
                ReadRecordResult::End => return,
            }
        }
    }
}

/// Line ends in `bytes`: CRLF, LF or a lone CR, as csv-core ends lines. `after_cr` carries a
/// CR at the end of one chunk over to an LF at the start of the next.
fn count_line_ends(bytes: &[u8], after_cr: &mut bool) -> u64 {
    // One SIMD search (memchr, csv-core's own dependency) for both bytes: counting byte by byte
    // was a tenth of an import.
    let mut count = 0;
    for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let follows_cr = match at.checked_sub(1) {
            Some(before) => bytes[before] == b'\r',
            None => *after_cr,
        };
        // An LF right after a CR ends the line the CR ended.
        if !(bytes[at] == b'\n' && follows_cr) {
            count += 1;
        }
    }
    if let Some(&last) = bytes.last() {
        *after_cr = last == b'\r';
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]]) -> Vec<(u64, Vec<String>)> {
        let mut splitter = RecordSplitter::new(b',');
        let mut records = Vec::new();
        let mut emit = |record: &Record| {
            records.push((record.line, record.iter().map(str::to_owned).collect()))
        };
        for chunk in chunks {
            splitter.push(chunk, &mut emit);
        }
        splitter.finish(&mut emit);
        records
    }

    #[test]
    fn records_are_the_same_wherever_the_text_is_cut() {
        let text = b"a,b\r\n\"x\"\"y\",\"two\nlines\"\r\n\nlast,\xE9";
        let whole = split(&[text]);
        assert_eq!(
            whole,
            vec![
                (1, vec!["a".to_owned(), "b".to_owned()]),
                (2, vec!["x\"y".to_owned(), "two\nlines".to_owned()]),
                (5, vec!["last".to_owned(), "é".to_owned()]),
            ]
        );
        for cut in 0..=text.len() {
            assert_eq!(split(&[&text[..cut], &text[cut..]]), whole, "cut at {cut}");
        }
    }

    #[test]
    fn a_cell_that_is_not_utf8_is_read_as_latin1_and_said() {
        let mut splitter = RecordSplitter::new(b';');
        let mut seen = Vec::new();
        splitter.push(b"caf\xE9;ok\n", &mut |record: &Record| {
            seen.push((record.get(0).unwrap().to_owned(), record.not_utf8.clone()))
        });
        assert_eq!(seen, vec![("café".to_owned(), vec![0])]);
    }
}
