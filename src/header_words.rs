//! What a summary's column headers say, word by word: `Answered within 20s` is the words
//! `answered`, `within`, `20`, `s`, and a threshold of 20 s. Interval reports and KPI histories
//! name their columns this way, so both read headers through here.

/// A header's words, lowercase, with numbers apart from their units (`20s` → `20`, `s`).
pub fn words(header: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut digits = false;
    for character in header.chars().flat_map(char::to_lowercase) {
        let is_digit = character.is_ascii_digit() || (digits && character == '.');
        if character.is_alphanumeric() || is_digit {
            if !current.is_empty() && is_digit != digits {
                words.push(std::mem::take(&mut current));
            }
            digits = is_digit;
            current.push(character);
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// A threshold written in a header — `20s`, `20 sec`, `1 min`, `≤ 20` — in seconds, and
/// whether it is strict (`under`, `<`).
pub fn threshold_in(header: &str, words: &[String]) -> Option<(f64, bool)> {
    let position = words
        .iter()
        .position(|word| word.starts_with(|c: char| c.is_ascii_digit()))?;
    let number: f64 = words[position].parse().ok()?;
    let unit = words.get(position + 1).map(String::as_str).unwrap_or("s");
    let scale = match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hour" | "hours" => 3600.0,
        _ => return None,
    };
    let strict = words.iter().any(|word| word == "under" || word == "lt")
        || (header.contains('<') && !header.contains("<="));
    Some((number * scale, strict))
}
