//! Bytes to text: what Excel, Google Sheets and contact-center exports actually write. UTF-8
//! with or without a byte-order mark, UTF-16 (Excel's "Unicode text") by its mark, and otherwise
//! Latin-1 (ISO 8859-1), the fallback that never fails and is said out loud.

use serde::Serialize;

/// How the input's bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// Decodes `bytes`, telling which encoding it used. UTF-16 that is not well formed has its
/// broken units replaced (U+FFFD) rather than refusing the file: the rows that hold them fail
/// their own parse and are counted.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            Encoding::Utf8WithBom,
        );
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(rest, u16::from_le_bytes), Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, u16::from_be_bytes), Encoding::Utf16Be);
    }
    if let Some(encoding) = unmarked_utf16(bytes) {
        let unit = match encoding {
            Encoding::Utf16Le => u16::from_le_bytes,
            _ => u16::from_be_bytes,
        };
        return (utf16(bytes, unit), encoding);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(_) => (
            bytes.iter().map(|&byte| char::from(byte)).collect(),
            Encoding::Latin1,
        ),
    }
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

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|decoded| decoded.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_without_its_mark_is_recognised_by_its_zero_bytes() {
        let text = "arrived,wait\n2026-03-02 09:00,12\n";
        let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&little), (text.to_owned(), Encoding::Utf16Le));
        assert_eq!(decode(&big), (text.to_owned(), Encoding::Utf16Be));
        // Zeros on both sides are binary, not text: left for the binary check.
        assert_eq!(decode(&[0, 0, 0, 0, 0, 0]).1, Encoding::Utf8);
    }

    #[test]
    fn marks_choose_the_encoding_and_latin1_is_the_fallback() {
        assert_eq!(decode(b"a,b"), ("a,b".to_owned(), Encoding::Utf8));
        assert_eq!(
            decode(b"\xEF\xBB\xBFa"),
            ("a".to_owned(), Encoding::Utf8WithBom)
        );
        assert_eq!(
            decode(b"\xFF\xFEa\x00\xE9\x00"),
            ("aé".to_owned(), Encoding::Utf16Le)
        );
        assert_eq!(
            decode(b"\xFE\xFF\x00a\x00\xE9"),
            ("aé".to_owned(), Encoding::Utf16Be)
        );
        assert_eq!(decode(b"caf\xE9"), ("café".to_owned(), Encoding::Latin1));
    }
}
