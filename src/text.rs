//! Numbers as the explanations write them: counts with thousands separators, values without
//! trailing zeros, thresholds in the units contracts use.

/// A number with at most `decimals` decimals, no trailing zeros and grouped thousands: 80,
/// 81.1, 4.25, 12,415.
pub fn round_for_text(value: f64, decimals: i32) -> String {
    let scale = 10f64.powi(decimals);
    let rounded = (value * scale).round() / scale;
    let text = format!("{:.*}", decimals.max(0) as usize, rounded.abs());
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text, None), |(w, f)| (w, Some(f)));
    let mut grouped = match whole.parse::<u64>() {
        Ok(whole) => count(whole),
        Err(_) => whole.to_owned(),
    };
    if let Some(fraction) = fraction {
        grouped.push('.');
        grouped.push_str(fraction);
    }
    if rounded < 0.0 && grouped != "0" {
        grouped.insert(0, '-');
    }
    grouped
}

/// `1,060`: a count with thousands separators.
pub fn count(value: impl Into<u64>) -> String {
    let digits = value.into().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// A cell for a CSV a spreadsheet will open: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be run as a formula (CSV injection, OWASP), so it is prefixed with `'`
/// — unless it is a plain number such as `-2000.00`, which must stay a number.
pub fn spreadsheet_safe(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// `8 MB`, `640 KB`, `100 bytes`: a size in binary units, whole ones only.
pub fn byte_size(bytes: usize) -> String {
    const MB: usize = 1 << 20;
    const KB: usize = 1 << 10;
    if bytes >= MB && bytes % MB == 0 {
        format!("{} MB", bytes / MB)
    } else if bytes >= KB && bytes % KB == 0 {
        format!("{} KB", bytes / KB)
    } else {
        format!("{} bytes", count(bytes as u64))
    }
}

/// `5.2 MB`, `210 MB`, `2.2 GB`: a file's size in decimal units, as a file manager shows it.
pub fn file_size(bytes: u64) -> String {
    let megabytes = bytes as f64 / 1e6;
    if megabytes >= 1000.0 {
        format!("{} GB", round_for_text(megabytes / 1000.0, 1))
    } else {
        format!(
            "{} MB",
            round_for_text(megabytes, i32::from(megabytes < 10.0))
        )
    }
}

/// `1 contact`, `2,400 contacts`: a count with its noun in the right number.
pub fn count_of(value: u32, singular: &str, plural: &str) -> String {
    let noun = if value == 1 { singular } else { plural };
    format!("{} {noun}", count(value))
}

/// `20 s`, `5 min`, `4 h`, `1 d`: thresholds as contracts write them.
pub fn describe_duration(seconds: f64) -> String {
    const MINUTE: f64 = 60.0;
    const HOUR: f64 = 3600.0;
    const DAY: f64 = 86_400.0;
    let whole = |unit: f64| seconds >= unit && (seconds % unit).abs() < 1e-9;
    if whole(DAY) {
        format!("{} d", seconds / DAY)
    } else if whole(HOUR) {
        format!("{} h", seconds / HOUR)
    } else if whole(MINUTE) && seconds >= 5.0 * MINUTE {
        format!("{} min", seconds / MINUTE)
    } else {
        format!("{} s", round_for_text(seconds, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_sizes_read_as_a_file_manager_shows_them() {
        assert_eq!(file_size(5_240_000), "5.2 MB");
        assert_eq!(file_size(209_700_000), "210 MB");
        assert_eq!(file_size(2_184_000_000), "2.2 GB");
        assert_eq!(file_size(200_000_000), "200 MB");
    }

    #[test]
    fn numbers_in_text_drop_trailing_zeros_and_group_thousands() {
        assert_eq!(round_for_text(81.132, 1), "81.1");
        assert_eq!(round_for_text(80.0, 1), "80");
        assert_eq!(round_for_text(-0.01, 1), "0");
        assert_eq!(round_for_text(-12.25, 1), "-12.3");
        assert_eq!(round_for_text(12_415.0, 1), "12,415");
        assert_eq!(count(1_060u32), "1,060");
        assert_eq!(count(999u32), "999");
        assert_eq!(count(1_234_567u32), "1,234,567");
        assert_eq!(count_of(1, "contact", "contacts"), "1 contact");
        assert_eq!(count_of(0, "contact", "contacts"), "0 contacts");
    }

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-2000.00"), "-2000.00");
        assert_eq!(spreadsheet_safe("+1 555"), "'+1 555");
        assert_eq!(spreadsheet_safe("Billing"), "Billing");
    }

    #[test]
    fn thresholds_read_in_contract_units() {
        assert_eq!(describe_duration(20.0), "20 s");
        assert_eq!(describe_duration(90.0), "90 s");
        assert_eq!(describe_duration(300.0), "5 min");
        assert_eq!(describe_duration(3600.0), "1 h");
        assert_eq!(describe_duration(86_400.0 * 2.0), "2 d");
    }
}
