//! Bytes to text: what Excel, Google Sheets and contact-center exports actually write. UTF-8
//! with or without a byte-order mark, UTF-16 (Excel's "Unicode text") by its mark, and otherwise
//! Latin-1 (ISO 8859-1), the fallback that never fails and is said out loud.

use serde::Serialize;

/// How the input's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Encoding {
    Utf8,
    Utf8WithBom,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8 and no mark: each byte is one character (ISO 8859-1).
    Latin1,
}

impl Encoding {
    /// A sentence for the import summary.
    pub fn describe(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8WithBom => "UTF-8 with a byte-order mark",
            Encoding::Utf16Le => "UTF-16 little-endian (Excel \"Unicode text\")",
            Encoding::Utf16Be => "UTF-16 big-endian",
            Encoding::Latin1 => {
                "Latin-1 (the file is not UTF-8; accented letters may need checking)"
            }
        }
    }
}

const UTF8_MARK: [u8; 3] = [0xEF, 0xBB, 0xBF];
const UTF16_LE_MARK: [u8; 2] = [0xFF, 0xFE];
const UTF16_BE_MARK: [u8; 2] = [0xFE, 0xFF];

/// Decodes the first bytes of an input (`complete` when they are all of it), telling which
/// encoding they show. Invalid UTF-8 — or a character an incomplete prefix cuts in two, in a
/// last row that is not sampled — shows as U+FFFD here; the rows themselves are read later,
/// from the bytes, cell by cell.
pub fn decode_prefix(prefix: &[u8], complete: bool) -> (String, Encoding) {
    let encoding = detect(prefix, complete);
    let mut transcoder = Transcoder::new(encoding);
    let mut text = Vec::with_capacity(prefix.len());
    transcoder.push(prefix, &mut text);
    if complete {
        transcoder.finish(&mut text);
    }
    let text = String::from_utf8(text)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    (text, encoding)
}

/// The encoding of an input told by its first bytes (`complete` when they are all of it): a
/// byte-order mark, UTF-16's zero bytes, valid UTF-8 (a character cut by the end of an
/// incomplete prefix still counts as valid), and otherwise Latin-1.
pub fn detect(prefix: &[u8], complete: bool) -> Encoding {
    if prefix.starts_with(&UTF8_MARK) {
        return Encoding::Utf8WithBom;
    }
    if prefix.starts_with(&UTF16_LE_MARK) {
        return Encoding::Utf16Le;
    }
    if prefix.starts_with(&UTF16_BE_MARK) {
        return Encoding::Utf16Be;
    }
    if let Some(encoding) = unmarked_utf16(prefix) {
        return encoding;
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => Encoding::Utf8,
        Err(error) if !complete && error.error_len().is_none() => Encoding::Utf8,
        Err(_) => Encoding::Latin1,
    }
}

/// Turns an input's bytes into UTF-8 as they arrive, in chunks cut anywhere (inside a UTF-16
/// pair, between two surrogates): the text is the same whatever the cuts. UTF-8 passes through
/// unchanged, its mark dropped; its invalid bytes are left for the cell reader to tell.
/// UTF-16 that is not well formed has its broken units replaced (U+FFFD) rather than refusing
/// the file: the rows that hold them fail their own parse and are counted.
pub struct Transcoder {
    encoding: Encoding,
    /// Bytes of the UTF-8 byte-order mark still to drop from the front.
    mark_left: usize,
    /// No UTF-16 unit read yet: the next one is dropped if it is the mark (U+FEFF), which
    /// unmarked UTF-16 does not have.
    first_unit: bool,
    /// The first byte of a UTF-16 unit whose second byte is in the next chunk.
    odd_byte: Option<u8>,
    /// A high surrogate whose low half is in the next chunk.
    high_surrogate: Option<u16>,
}

impl Transcoder {
    pub fn new(encoding: Encoding) -> Transcoder {
        Transcoder {
            encoding,
            mark_left: if encoding == Encoding::Utf8WithBom {
                UTF8_MARK.len()
            } else {
                0
            },
            first_unit: true,
            odd_byte: None,
            high_surrogate: None,
        }
    }

    /// Whether the input's bytes are already UTF-8 (after the mark), so a caller can skip the
    /// copy that [`Transcoder::push`] makes.
    pub fn passes_through(&self) -> bool {
        matches!(self.encoding, Encoding::Utf8 | Encoding::Utf8WithBom)
    }

    /// The part of `chunk` after what is left of the UTF-8 byte-order mark.
    pub fn strip_mark<'c>(&mut self, chunk: &'c [u8]) -> &'c [u8] {
        let dropped = self.mark_left.min(chunk.len());
        self.mark_left -= dropped;
        &chunk[dropped..]
    }

    /// Appends `chunk`, as UTF-8, to `out`.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        let chunk = self.strip_mark(chunk);
        match self.encoding {
            Encoding::Utf8 | Encoding::Utf8WithBom => out.extend_from_slice(chunk),
            Encoding::Latin1 => {
                for &byte in chunk {
                    push_char(out, char::from(byte));
                }
            }
            Encoding::Utf16Le => self.push_utf16(chunk, u16::from_le_bytes, out),
            Encoding::Utf16Be => self.push_utf16(chunk, u16::from_be_bytes, out),
        }
    }

    /// Ends the input: a unit or pair it cut in half becomes U+FFFD.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if self.odd_byte.take().is_some() | self.high_surrogate.take().is_some() {
            push_char(out, char::REPLACEMENT_CHARACTER);
        }
    }

    fn push_utf16(&mut self, mut chunk: &[u8], unit: fn([u8; 2]) -> u16, out: &mut Vec<u8>) {
        out.reserve(chunk.len());
        if let (Some(first), Some((&second, rest))) = (self.odd_byte, chunk.split_first()) {
            self.odd_byte = None;
            self.push_unit(unit([first, second]), out);
            chunk = rest;
        }
        let mut pairs = chunk.chunks_exact(2);
        for pair in pairs.by_ref() {
            self.push_unit(unit([pair[0], pair[1]]), out);
        }
        if let [last] = pairs.remainder() {
            self.odd_byte = Some(*last);
        }
    }

    fn push_unit(&mut self, unit: u16, out: &mut Vec<u8>) {
        const HIGH: std::ops::Range<u16> = 0xD800..0xDC00;
        const LOW: std::ops::Range<u16> = 0xDC00..0xE000;
        const MARK: u16 = 0xFEFF;
        if std::mem::take(&mut self.first_unit) && unit == MARK {
            return;
        }
        if let Some(high) = self.high_surrogate.take() {
            if LOW.contains(&unit) {
                let code =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                push_char(
                    out,
                    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
                );
                return;
            }
            push_char(out, char::REPLACEMENT_CHARACTER);
        }
        if HIGH.contains(&unit) {
            self.high_surrogate = Some(unit);
            return;
        }
        // A lone low surrogate is no character.
        let decoded = char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER);
        push_char(out, decoded);
    }
}

fn push_char(out: &mut Vec<u8>, character: char) {
    let mut buffer = [0; 4];
    out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
}

/// UTF-16 saved without its mark (some exporters and scripts do): text in the Latin range has
/// a zero byte in every pair, on the high side. Told by the first 1,000 pairs, of which nine in
/// ten must have that zero on one side only — never on both, which would be binary.
fn unmarked_utf16(bytes: &[u8]) -> Option<Encoding> {
    const PAIRS: usize = 1000;
    let pairs: Vec<&[u8]> = bytes.chunks_exact(2).take(PAIRS).collect();
    if pairs.len() < 2 {
        return None;
    }
    let share = |test: fn(&[u8]) -> bool| {
        pairs.iter().filter(|pair| test(pair)).count() as f64 / pairs.len() as f64
    };
    if share(|pair| pair[0] != 0 && pair[1] == 0) >= 0.9 {
        Some(Encoding::Utf16Le)
    } else if share(|pair| pair[0] == 0 && pair[1] != 0) >= 0.9 {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_without_its_mark_is_recognised_by_its_zero_bytes() {
        let text = "arrived,wait\n2026-03-02 09:00,12\n";
        let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(
            decode_prefix(&little, true),
            (text.to_owned(), Encoding::Utf16Le)
        );
        assert_eq!(
            decode_prefix(&big, true),
            (text.to_owned(), Encoding::Utf16Be)
        );
        // Zeros on both sides are binary, not text: left for the binary check.
        assert_eq!(decode_prefix(&[0, 0, 0, 0, 0, 0], true).1, Encoding::Utf8);
    }

    #[test]
    fn marks_choose_the_encoding_and_latin1_is_the_fallback() {
        assert_eq!(
            decode_prefix(b"a,b", true),
            ("a,b".to_owned(), Encoding::Utf8)
        );
        assert_eq!(
            decode_prefix(b"\xEF\xBB\xBFa", true),
            ("a".to_owned(), Encoding::Utf8WithBom)
        );
        assert_eq!(
            decode_prefix(b"\xFF\xFEa\x00\xE9\x00", true),
            ("aé".to_owned(), Encoding::Utf16Le)
        );
        assert_eq!(
            decode_prefix(b"\xFE\xFF\x00a\x00\xE9", true),
            ("aé".to_owned(), Encoding::Utf16Be)
        );
        assert_eq!(
            decode_prefix(b"caf\xE9", true),
            ("café".to_owned(), Encoding::Latin1)
        );
    }

    #[test]
    fn the_text_is_the_same_wherever_the_chunks_are_cut() {
        let text = "arrivée,😀 wait\n2026-03-02 09:00,12\n";
        let mut little = UTF16_LE_MARK.to_vec();
        little.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let latin1: Vec<u8> = b"caf\xE9,\xE0\n".to_vec();
        for (bytes, expected) in [(little, text), (latin1, "café,à\n")] {
            let encoding = detect(&bytes, true);
            for cut in 0..=bytes.len() {
                let mut transcoder = Transcoder::new(encoding);
                let mut out = Vec::new();
                transcoder.push(&bytes[..cut], &mut out);
                transcoder.push(&bytes[cut..], &mut out);
                transcoder.finish(&mut out);
                assert_eq!(String::from_utf8(out).unwrap(), expected, "cut at {cut}");
            }
        }
    }

    #[test]
    fn a_cut_pair_or_character_is_replaced_at_the_end_or_trusted_in_a_prefix() {
        let mut out = Vec::new();
        let mut transcoder = Transcoder::new(Encoding::Utf16Le);
        transcoder.push(&[0x3D, 0xD8, b'a'], &mut out);
        transcoder.finish(&mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "\u{FFFD}");
        // "é" cut after its first byte: UTF-8 in a prefix, not in a whole input.
        assert_eq!(detect(b"caf\xC3", false), Encoding::Utf8);
        assert_eq!(detect(b"caf\xC3", true), Encoding::Latin1);
    }
}
