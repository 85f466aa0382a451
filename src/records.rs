//! Text cut into records as it arrives, in chunks cut anywhere — inside a quoted cell, between
//! a CR and its LF — with the same records whatever the cuts. csv-core does the cutting: the
//! push parser under the `csv` crate (quotes, doubled quotes, CRLF/CR/LF, no allocation), fed
//! here chunk by chunk because a page streams a file and cannot block on a reader.
//!
//! Most lines of a file are one record each, their cells plain or wholly quoted: those are cut
//! here at once — the line end found by a SIMD search (memchr), delimiters and quotes sixteen
//! bytes at a time in wasm, eight natively — twice as fast as csv-core's byte-by-byte machine.
//! Any other line — a doubled quote, a line end inside quotes, a quote within a cell, bytes
//! that are not UTF-8, a line the chunk cuts — goes to csv-core from its start, so the records
//! are csv-core's on every input.

/// One record: its cells as text, and the line it starts on.
#[derive(Debug, Default)]
pub struct Record {
    text: String,
    /// Where each cell is in `text`: a quoted cell is read in place, without its quotes.
    cells: Vec<(usize, usize)>,
    /// The line the record starts on (1-based, counting line ends inside quoted cells).
    pub line: u64,
    /// Cells whose bytes were not UTF-8 and were read as Latin-1, by column.
    pub not_utf8: Vec<usize>,
    /// Where a line's delimiters and quotes are, kept from line to line.
    separators: Vec<usize>,
}

impl Record {
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn get(&self, column: usize) -> Option<&str> {
        let &(start, end) = self.cells.get(column)?;
        self.text.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|column| self.get(column))
    }

    /// Refills the record from one line (without its line end) whose cells are plain or
    /// wholly quoted without a quote inside, as csv-core would; false for any other line, left
    /// to csv-core.
    fn fill_line(&mut self, line: &str, delimiter: u8, number: u64) -> bool {
        self.text.clear();
        self.text.push_str(line);
        self.cells.clear();
        self.not_utf8.clear();
        self.line = number;
        let mut separators = std::mem::take(&mut self.separators);
        let quoted = find_separators(line.as_bytes(), delimiter, &mut separators);
        let cut = if quoted {
            self.cut_quoted_line(delimiter, &separators)
        } else {
            // No quote: the cells are the text between the delimiters.
            let mut start = 0;
            for &at in &separators {
                self.cells.push((start, at));
                start = at + 1;
            }
            self.cells.push((start, line.len()));
            true
        };
        self.separators = separators;
        cut
    }

    /// [`Record::fill_line`] for a line with quotes, given its delimiters and quotes in order.
    fn cut_quoted_line(&mut self, delimiter: u8, separators: &[usize]) -> bool {
        let line_length = self.text.len();
        let mut cell = CellCut::Starting(0);
        for &at in separators {
            let byte = self.text.as_bytes()[at];
            cell = match cell {
                CellCut::Starting(start) if at == start && byte == b'"' => CellCut::Quoted(start),
                CellCut::Starting(start) if byte == delimiter => {
                    self.cells.push((start, at));
                    CellCut::Starting(at + 1)
                }
                // A quote within a plain cell: csv-core keeps it as text.
                CellCut::Starting(_) => return false,
                CellCut::Quoted(open) if byte == b'"' => CellCut::Closed(open, at),
                CellCut::Quoted(open) => CellCut::Quoted(open),
                CellCut::Closed(open, close) if byte == delimiter && at == close + 1 => {
                    self.cells.push((open + 1, close));
                    CellCut::Starting(at + 1)
                }
                // A doubled quote, or text after the closing one.
                CellCut::Closed(..) => return false,
            };
        }
        let last = match cell {
            CellCut::Starting(start) => (start, line_length),
            CellCut::Closed(open, close) if close + 1 == line_length => (open + 1, close),
            // A line end within quotes, or text after the closing one.
            CellCut::Quoted(_) | CellCut::Closed(..) => return false,
        };
        self.cells.push(last);
        true
    }

    /// Refills the record from csv-core's output: `bytes` with a cell ending at each of `ends`.
    fn fill(&mut self, bytes: &[u8], ends: &[usize], line: u64) {
        self.text.clear();
        self.cells.clear();
        self.not_utf8.clear();
        self.line = line;
        let mut start = 0;
        for (column, &end) in ends.iter().enumerate() {
            let cell = &bytes[start..end];
            let cell_start = self.text.len();
            match std::str::from_utf8(cell) {
                Ok(text) => self.text.push_str(text),
                Err(_) => {
                    self.not_utf8.push(column);
                    self.text.extend(cell.iter().map(|&byte| char::from(byte)));
                }
            }
            self.cells.push((cell_start, self.text.len()));
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
    /// csv-core has read the start of a record whose rest is still to come.
    core_mid_record: bool,
    delimiter: u8,
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
            core_mid_record: false,
            delimiter,
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

    /// Whether every record pushed so far has been emitted, nothing of a next one read: the
    /// text pushed ends where a record ends, not inside a quoted cell, so reading the rest
    /// with a new splitter gives the same records.
    pub fn between_records(&self) -> bool {
        !self.core_mid_record && !self.after_cr
    }

    /// Line ends read so far: the line before the next record's.
    pub fn lines_read(&self) -> u64 {
        self.line_ends
    }

    /// Counts `lines` more before the text pushed so far: a splitter that read a later part
    /// of an input numbers its records as lines of the whole once it takes over from the
    /// splitter of the part before.
    pub fn after_lines(&mut self, lines: u64) {
        self.line_ends += lines;
    }

    fn read(&mut self, mut input: &[u8], emit: &mut dyn FnMut(&Record)) {
        use csv_core::ReadRecordResult;
        let at_end = input.is_empty();
        loop {
            if !self.core_mid_record && !at_end {
                input = &input[self.cut_lines(input, emit)..];
                if input.is_empty() {
                    return;
                }
                // A line left to csv-core is its until it gives the record back: its output
                // may fill up, or the chunk end, before the record does.
                self.core_mid_record = true;
            }
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
                        // Cell by cell: a CR ending one cell and an LF opening the next were
                        // two line ends in the file.
                        let mut start = 0;
                        self.ends[..self.ends_len]
                            .iter()
                            .map(|&end| {
                                let cell = &cells[start..end];
                                start = end;
                                count_line_ends(cell, &mut false)
                            })
                            .sum()
                    };
                    self.record_line_ends = 0;
                    let first_line = last_line - in_cells;
                    self.record
                        .fill(cells, &self.ends[..self.ends_len], first_line);
                    emit(&self.record);
                    self.cells_len = 0;
                    self.ends_len = 0;
                    self.core_mid_record = false;
                    if input.is_empty() && !at_end {
                        return;
                    }
                }
                ReadRecordResult::End => return,
            }
        }
    }

    /// Cuts the whole lines at the start of `input` that [`Record::fill_line`] can, passing over
    /// blank ones as csv-core does; gives how many bytes were read. Stops at the first line left
    /// to csv-core (or that no line end closes in this chunk).
    fn cut_lines(&mut self, input: &[u8], emit: &mut dyn FnMut(&Record)) -> usize {
        // Checked as UTF-8 at once, not line by line; past a byte that is not, line by line.
        let valid = match std::str::from_utf8(input) {
            Ok(text) => text,
            Err(error) => std::str::from_utf8(&input[..error.valid_up_to()]).unwrap_or_default(),
        };
        let mut start = 0;
        while let Some(length) = memchr::memchr2(b'\n', b'\r', &input[start..]) {
            let end = start + length;
            let line_end = input[end];
            // An LF right after a CR ends the line the CR ended.
            let new_line = !(line_end == b'\n' && self.after_cr);
            if length > 0 {
                let number = self.line_ends + 1;
                let line = match valid.get(start..end) {
                    Some(line) => Ok(line),
                    None => std::str::from_utf8(&input[start..end]),
                };
                let Ok(line) = line else {
                    return start;
                };
                if !self.record.fill_line(line, self.delimiter, number) {
                    return start;
                }
                emit(&self.record);
            }
            self.line_ends += u64::from(length > 0 || new_line);
            self.after_cr = line_end == b'\r';
            start = end + 1;
        }
        start
    }
}

/// Where [`Record::fill_line`] is in a line: in a cell starting at, in quotes opened at, or
/// after quotes opened and closed at.
#[derive(Clone, Copy)]
enum CellCut {
    Starting(usize),
    Quoted(usize),
    Closed(usize, usize),
}

/// Puts where every delimiter and quote of `line` is into `separators`, in order; whether
/// there was a quote. A block of [`LANES`] bytes is compared at once (no `unsafe`): a
/// byte-by-byte loop was most of the cutting.
fn find_separators(line: &[u8], delimiter: u8, separators: &mut Vec<usize>) -> bool {
    separators.clear();
    let mut quoted = false;
    let mut add_block = |start: usize, block: &[u8; LANES]| {
        let (mut found, quotes) = separator_lanes(block, delimiter);
        quoted |= quotes;
        while found != 0 {
            separators.push(start + found.trailing_zeros() as usize / BITS_PER_LANE);
            found &= found - 1;
        }
    };
    let blocks = line.chunks_exact(LANES);
    let tail = blocks.remainder();
    for (index, block) in blocks.enumerate() {
        add_block(
            index * LANES,
            block.try_into().expect("blocks of LANES bytes"),
        );
    }
    // The last bytes padded with zeros, which are neither a quote nor a delimiter.
    let mut last = [0; LANES];
    last[..tail.len()].copy_from_slice(tail);
    add_block(line.len() - tail.len(), &last);
    quoted
}

/// Bytes compared at once: in wasm, sixteen by its 128-bit SIMD — a comparison and its bitmask
/// are one instruction each, the sixteen bytes one load (the benchmark's import from memory in
/// Chromium 203–210 → 199 ms: medians of two rounds of four runs each, A/B). Natively eight,
/// in a `u64`: sixteen, as two `u64`s, made the import on one core 186 → 197 ms, and x86's
/// SIMD would need `unsafe`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
const LANES: usize = 16;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const LANES: usize = 8;

/// Bits of [`separator_lanes`]'s mask per byte: the byte's mark is the lowest.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
const BITS_PER_LANE: usize = 1;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const BITS_PER_LANE: usize = 8;

/// The bytes of `block` that are `delimiter` or a quote, marked in a mask of
/// [`BITS_PER_LANE`] bits per byte, the first byte's lowest; whether one is a quote.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn separator_lanes(block: &[u8; LANES], delimiter: u8) -> (u64, bool) {
    use core::arch::wasm32::{u8x16, u8x16_bitmask, u8x16_eq, u8x16_splat, v128_any_true, v128_or};
    let [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15] = *block;
    let lanes = u8x16(
        b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15,
    );
    let quotes = u8x16_eq(lanes, u8x16_splat(b'"'));
    let delimiters = u8x16_eq(lanes, u8x16_splat(delimiter));
    (
        u64::from(u8x16_bitmask(v128_or(delimiters, quotes))),
        v128_any_true(quotes),
    )
}

/// The bytes of `block` that are `delimiter` or a quote, marked in a mask of
/// [`BITS_PER_LANE`] bits per byte, the first byte's lowest; whether one is a quote.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn separator_lanes(block: &[u8; LANES], delimiter: u8) -> (u64, bool) {
    let word = u64::from_le_bytes(*block);
    let quotes = lanes_equal(word, b'"');
    (lanes_equal(word, delimiter) | quotes, quotes != 0)
}

/// The lanes (bytes) of `word` equal to `byte`, each marked by its top bit: exact, no lane's
/// carry reaching the next.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn lanes_equal(word: u64, byte: u8) -> u64 {
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let differing = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    !(((differing & LOW_SEVEN) + LOW_SEVEN) | differing | LOW_SEVEN)
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

    pub(super) fn split(delimiter: u8, chunks: &[&[u8]]) -> Vec<(u64, Vec<String>)> {
        let mut splitter = RecordSplitter::new(delimiter);
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
        let whole = split(b',', &[text]);
        assert_eq!(
            whole,
            vec![
                (1, vec!["a".to_owned(), "b".to_owned()]),
                (2, vec!["x\"y".to_owned(), "two\nlines".to_owned()]),
                (5, vec!["last".to_owned(), "é".to_owned()]),
            ]
        );
        for cut in 0..=text.len() {
            assert_eq!(
                split(b',', &[&text[..cut], &text[cut..]]),
                whole,
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn separators_are_found_at_every_place_of_a_block_and_past_it() {
        for length in 0..40 {
            for at in 0..length {
                for byte in [b';', b'"'] {
                    let mut line = vec![b'x'; length];
                    line[at] = byte;
                    line[length - 1 - at] = byte;
                    let mut separators = Vec::new();
                    let quoted = find_separators(&line, b';', &mut separators);
                    let expected: Vec<usize> = (0..length).filter(|&i| line[i] == byte).collect();
                    assert_eq!(separators, expected, "{length} bytes, at {at}");
                    assert_eq!(quoted, byte == b'"');
                }
            }
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod agrees_with_the_csv_crate {
    use super::tests::split;
    use proptest::prelude::*;

    /// The records and their first lines as the csv crate reads them (csv-core alone, with
    /// none of this module's line cutting).
    fn read_by_csv_crate(text: &[u8], delimiter: u8) -> Vec<(u64, Vec<String>)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text);
        reader
            .byte_records()
            .map(|record| {
                let record = record.expect("reading bytes never fails");
                let position = record.position().expect("read records have one").byte() as usize;
                let first_byte = position
                    + text[position..]
                        .iter()
                        .take_while(|&&byte| byte == b'\n' || byte == b'\r')
                        .count();
                let line_ends_before = (0..first_byte)
                    .filter(|&at| match text[at] {
                        b'\r' => true,
                        b'\n' => at == 0 || text[at - 1] != b'\r',
                        _ => false,
                    })
                    .count() as u64;
                let cells = record
                    .iter()
                    .map(|cell| match std::str::from_utf8(cell) {
                        Ok(text) => text.to_owned(),
                        Err(_) => cell.iter().map(|&byte| char::from(byte)).collect(),
                    })
                    .collect();
                (line_ends_before + 1, cells)
            })
            .collect()
    }

    /// A record left to csv-core that outgrows its output (more than 64 cells, a cell over
    /// 4 KB) stays csv-core's until it ends, cut anywhere.
    #[test]
    fn a_long_record_left_to_csv_core_is_read_whole() {
        let mut text = b"a,b\n\xC4".to_vec();
        text.extend(std::iter::repeat_n(b',', 200));
        text.extend(std::iter::repeat_n(b'x', 5000));
        text.extend_from_slice(b"\n\"q\"\"\",last,1\n");
        let expected = read_by_csv_crate(&text, b',');
        assert_eq!(expected[1].1.len(), 201);
        for cut in [0, 3, 5, 100, 300, 4100, 5210, text.len()] {
            assert_eq!(
                split(b',', &[&text[..cut], &text[cut..]]),
                expected,
                "cut at {cut}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Lines cut here and lines left to csv-core read as the csv crate reads the whole
        /// text: odd quotes, doubled quotes, line ends in quotes, CR, CRLF, blank lines, bytes
        /// that are not UTF-8, and chunks cut anywhere.
        #[test]
        fn records_are_the_csv_crates(
            bytes in proptest::collection::vec(
                prop::sample::select(b"ab1,;\"\"\n\r \xE9\xC3\xA9".to_vec()),
                0..80,
            ),
            semicolon in any::<bool>(),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..3),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            let mut cuts: Vec<usize> = cuts.iter().map(|cut| cut.index(bytes.len() + 1)).collect();
            cuts.sort_unstable();
            let mut chunks = Vec::new();
            let mut start = 0;
            for cut in cuts {
                chunks.push(&bytes[start..cut]);
                start = cut;
            }
            chunks.push(&bytes[start..]);
            prop_assert_eq!(split(delimiter, &chunks), read_by_csv_crate(&bytes, delimiter));
        }
    }
}
