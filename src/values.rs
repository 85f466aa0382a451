//! Reading one cell: timestamps, durations, yes/no, numbers. Each parser is strict — a value
//! it cannot read is an error for the row, never a guess (DOMAIN §8).

use chrono::{DateTime, NaiveDateTime, Utc};

/// A timestamp as written: an exact instant when the cell carries an offset, otherwise a
/// wall-clock time that is read in the agreement's time zone when the report is built (DOMAIN
/// §2) — so a change of time zone never needs the text again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamp {
    Exact(DateTime<Utc>),
    WallClock(NaiveDateTime),
}

/// Reads ISO 8601 / RFC 3339 timestamps, with `T` or a space, with or without seconds and a
/// fraction, with or without an offset (`Z`, `+02:00`).
pub fn parse_timestamp(cell: &str) -> Option<Timestamp> {
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(cell) {
        return Some(Timestamp::Exact(with_offset.with_timezone(&Utc)));
    }
    const OFFSET_FORMATS: [&str; 2] = ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.fZ"];
    for format in OFFSET_FORMATS {
        if let Ok(with_offset) = DateTime::parse_from_str(cell, format) {
            return Some(Timestamp::Exact(with_offset.with_timezone(&Utc)));
        }
    }
    const WALL_CLOCK_FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    WALL_CLOCK_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(cell, format).ok())
        .map(Timestamp::WallClock)
}

/// Why a cell could not be read as a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationError {
    Unreadable,
    /// Negative or non-finite durations are errors for the row (DOMAIN §1).
    Negative,
}

/// Reads a duration in seconds.
pub fn parse_seconds(cell: &str) -> Result<f64, DurationError> {
    let seconds: f64 = cell.parse().map_err(|_| DurationError::Unreadable)?;
    if seconds.is_finite() && seconds >= 0.0 {
        Ok(seconds)
    } else {
        Err(DurationError::Negative)
    }
}

/// Reads yes/no answers: `yes`/`no`, `y`/`n`, `true`/`false`, `1`/`0`, any case.
pub fn parse_yes_no(cell: &str) -> Option<bool> {
    const YES: [&str; 4] = ["yes", "y", "true", "1"];
    const NO: [&str; 4] = ["no", "n", "false", "0"];
    if YES.iter().any(|word| cell.eq_ignore_ascii_case(word)) {
        Some(true)
    } else if NO.iter().any(|word| cell.eq_ignore_ascii_case(word)) {
        Some(false)
    } else {
        None
    }
}

/// Reads a finite number, e.g. a survey score.
pub fn parse_number(cell: &str) -> Option<f64> {
    cell.parse::<f64>().ok().filter(|number| number.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    fn wall_clock(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> Timestamp {
        Timestamp::WallClock(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, s)
                .unwrap(),
        )
    }

    #[test]
    fn timestamps_without_offset_stay_wall_clock_and_with_offset_are_exact() {
        assert_eq!(
            parse_timestamp("2026-03-01 14:05"),
            Some(wall_clock(2026, 3, 1, 14, 5, 0))
        );
        assert_eq!(
            parse_timestamp("2026-03-01T14:05:09"),
            Some(wall_clock(2026, 3, 1, 14, 5, 9))
        );
        assert_eq!(
            parse_timestamp("2026-03-01T14:05:00+02:00"),
            Some(Timestamp::Exact(
                Utc.with_ymd_and_hms(2026, 3, 1, 12, 5, 0).unwrap()
            ))
        );
        assert_eq!(
            parse_timestamp("2026-03-01 14:05:00Z"),
            Some(Timestamp::Exact(
                Utc.with_ymd_and_hms(2026, 3, 1, 14, 5, 0).unwrap()
            ))
        );
        assert_eq!(parse_timestamp("01/03/2026 14:05"), None);
    }

    #[test]
    fn durations_are_non_negative_finite_seconds() {
        assert_eq!(parse_seconds("12.5"), Ok(12.5));
        assert_eq!(parse_seconds("-1"), Err(DurationError::Negative));
        assert_eq!(parse_seconds("inf"), Err(DurationError::Negative));
        assert_eq!(parse_seconds("NaN"), Err(DurationError::Negative));
        assert_eq!(parse_seconds("12 s"), Err(DurationError::Unreadable));
    }

    #[test]
    fn yes_no_and_numbers() {
        assert_eq!(parse_yes_no("Y"), Some(true));
        assert_eq!(parse_yes_no("false"), Some(false));
        assert_eq!(parse_yes_no("maybe"), None);
        assert_eq!(parse_number("4"), Some(4.0));
        assert_eq!(parse_number("inf"), None);
    }
}
