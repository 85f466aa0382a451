//! Reading one cell: timestamps, durations, yes/no, numbers. Each parser is strict — a value
//! it cannot read is an error for the row, never a guess (DOMAIN §8).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

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
    fixed_layout_timestamp(cell).or_else(|| general_timestamp(cell))
}

/// The layout nearly every export writes — `2026-03-02T09:00:00.123`, `T` or a space, seconds
/// and fraction optional (seconds required before `Z` or `±hh:mm`) — read byte by byte. Profiled
/// on a million rows, chrono's format interpreter took a third of the import; this takes a few
/// nanoseconds. It answers only when sure; anything else (a leap second, a 5-digit year, an
/// offset without a colon) goes to [`general_timestamp`], so both always agree (tested).
fn fixed_layout_timestamp(cell: &str) -> Option<Timestamp> {
    let bytes = cell.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes.get(range)?.iter().try_fold(0u32, |value, &byte| {
            byte.is_ascii_digit()
                .then(|| value * 10 + u32::from(byte - b'0'))
        })
    };
    let separators = (bytes.get(4), bytes.get(7), bytes.get(10), bytes.get(13));
    if !matches!(
        separators,
        (Some(b'-'), Some(b'-'), Some(b'T' | b' '), Some(b':'))
    ) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
    let (hour, minute) = (number(11..13)?, number(14..16)?);
    let (mut second, mut nanos, mut at) = (None, 0, 16);
    if bytes.get(at) == Some(&b':') {
        second = Some(number(at + 1..at + 3)?);
        at += 3;
        if bytes.get(at) == Some(&b'.') {
            let digits = bytes[at + 1..]
                .iter()
                .take_while(|byte| byte.is_ascii_digit())
                .count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            nanos = number(at + 1..at + 1 + digits)? * 10u32.pow(9 - digits as u32);
            at += 1 + digits;
        }
    }
    if second.is_some_and(|second| second >= 60) {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second.unwrap_or(0), nanos)?;
    let local = date.and_time(time);
    let exact = |east_of_utc_secs: i64| {
        let utc = local - chrono::Duration::seconds(east_of_utc_secs);
        Some(Timestamp::Exact(DateTime::from_naive_utc_and_offset(
            utc, Utc,
        )))
    };
    match (&bytes[at..], second) {
        ([], _) => Some(Timestamp::WallClock(local)),
        ([b'Z'], Some(_)) => exact(0),
        ([sign @ (b'+' | b'-'), _, _, b':', _, _], Some(_)) => {
            let (hours, minutes) = (number(at + 1..at + 3)?, number(at + 4..at + 6)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let east = i64::from(hours * 3600 + minutes * 60);
            exact(if *sign == b'+' { east } else { -east })
        }
        _ => None,
    }
}

/// Every ISO 8601 / RFC 3339 form chrono reads, tried one format after another.
fn general_timestamp(cell: &str) -> Option<Timestamp> {
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
    /// Longer than [`LONGEST_DURATION_SECS`]: no contact waits or talks for a year; such a
    /// value is a unit mix-up (milliseconds read as seconds) or a broken export.
    TooLong,
}

/// The longest duration read: 366 days.
pub const LONGEST_DURATION_SECS: f64 = 366.0 * 86_400.0;

/// How a number was written, when reading it took more than the plain form: the import
/// counts these cells per column, so a user sees what was read by a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberWriting {
    Plain,
    /// `12,5`: a decimal comma.
    DecimalComma,
    /// `1,234.5`, `1.234,5`, `1 234`, `1'234`: digits grouped by thousands.
    Grouped,
}

/// Reads a duration in seconds: a number (`12.5`, `12,5` with a decimal comma, `1,234.5` or
/// `1 234` grouped by thousands), a clock (`mm:ss`, `h:mm:ss`), or ISO 8601 (`PT1M30S`).
pub fn parse_duration(cell: &str) -> Result<(f64, NumberWriting), DurationError> {
    let (seconds, writing) = parse_any_duration(cell)?;
    if seconds > LONGEST_DURATION_SECS {
        return Err(DurationError::TooLong);
    }
    Ok((seconds, writing))
}

fn parse_any_duration(cell: &str) -> Result<(f64, NumberWriting), DurationError> {
    match parse_seconds(cell) {
        Ok(seconds) => return Ok((seconds, NumberWriting::Plain)),
        Err(DurationError::Unreadable) => {}
        Err(other) => return Err(other),
    }
    if let Some(plain) = ungrouped(cell) {
        return parse_seconds(&plain).map(|seconds| (seconds, NumberWriting::Grouped));
    }
    if cell.contains(',') && !cell.contains('.') {
        return parse_seconds(&cell.replacen(',', ".", 1))
            .map(|seconds| (seconds, NumberWriting::DecimalComma));
    }
    if cell.contains(':') {
        return clock_seconds(cell).map(|seconds| (seconds, NumberWriting::Plain));
    }
    iso_duration(cell).map(|seconds| (seconds, NumberWriting::Plain))
}

/// A number grouped by thousands as plain text (`1.234,5` → `1234.5`), or `None` when the cell
/// is not one. Told apart from a decimal mark only when it cannot be one: both `,` and `.`
/// (the last is the decimal mark), the same mark twice (`1,234,567`), or a space or apostrophe
/// between groups. `1,234` alone stays a decimal comma — the reading a European export means.
fn ungrouped(cell: &str) -> Option<String> {
    const SPACES: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\''];
    let (sign, digits) = match cell.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", cell),
    };
    let count = |mark: char| digits.matches(mark).count();
    let (group, decimal) =
        if let Some(space) = SPACES.into_iter().find(|&space| digits.contains(space)) {
            (space, if count(',') > 0 { Some(',') } else { Some('.') })
        } else if count(',') > 0 && count('.') > 0 {
            let last_comma = digits.rfind(',')?;
            let last_point = digits.rfind('.')?;
            if last_comma > last_point {
                ('.', Some(','))
            } else {
                (',', Some('.'))
            }
        } else if count(',') >= 2 {
            (',', None)
        } else if count('.') >= 2 {
            ('.', None)
        } else {
            return None;
        };
    let (whole, fraction) = match decimal.and_then(|mark| digits.split_once(mark)) {
        // One decimal mark at most: a second one leaves non-digits in the fraction.
        Some((whole, fraction)) => (whole, fraction),
        None => (digits, ""),
    };
    let mut groups = whole.split(group);
    let first = groups.next()?;
    let is_digits = |text: &str| !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    let grouped = is_digits(first)
        && first.len() <= 3
        && groups.clone().count() >= 1
        && groups
            .clone()
            .all(|rest| rest.len() == 3 && is_digits(rest));
    let fraction_ok = fraction.is_empty() || is_digits(fraction);
    (grouped && fraction_ok).then(|| {
        let whole: String = whole.split(group).collect();
        if fraction.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{fraction}")
        }
    })
}

/// Reads plain seconds.
pub fn parse_seconds(cell: &str) -> Result<f64, DurationError> {
    let seconds = match short_decimal(cell) {
        Some(seconds) => seconds,
        None => cell.parse().map_err(|_| DurationError::Unreadable)?,
    };
    if seconds.is_finite() && seconds >= 0.0 {
        Ok(seconds)
    } else {
        Err(DurationError::Negative)
    }
}

/// `mm:ss` or `h:mm:ss`, with an optional fraction of a second.
fn clock_seconds(cell: &str) -> Result<f64, DurationError> {
    if cell.starts_with('-') {
        return Err(DurationError::Negative);
    }
    let parts: Vec<&str> = cell.split(':').collect();
    let number = |part: &str| {
        part.trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n >= 0.0)
    };
    let values: Option<Vec<f64>> = parts.iter().map(|part| number(part)).collect();
    match values.as_deref() {
        Some([minutes, seconds]) if *seconds < 60.0 => Ok(minutes * 60.0 + seconds),
        Some([hours, minutes, seconds]) if *minutes < 60.0 && *seconds < 60.0 => {
            Ok(hours * 3600.0 + minutes * 60.0 + seconds)
        }
        _ => Err(DurationError::Unreadable),
    }
}

/// ISO 8601 durations of days and times: `PT1M30S`, `PT2H`, `P1DT4H`.
fn iso_duration(cell: &str) -> Result<f64, DurationError> {
    let rest = cell
        .trim()
        .strip_prefix(['P', 'p'])
        .ok_or(DurationError::Unreadable)?;
    let (mut seconds, mut number, mut in_time, mut any) = (0.0, String::new(), false, false);
    for character in rest.chars() {
        match character.to_ascii_uppercase() {
            'T' if number.is_empty() => in_time = true,
            digit if digit.is_ascii_digit() || digit == '.' => number.push(digit),
            unit => {
                let value: f64 = number.parse().map_err(|_| DurationError::Unreadable)?;
                seconds += value
                    * match (unit, in_time) {
                        ('D', false) => 86_400.0,
                        ('W', false) => 604_800.0,
                        ('H', true) => 3600.0,
                        ('M', true) => 60.0,
                        ('S', true) => 1.0,
                        _ => return Err(DurationError::Unreadable),
                    };
                number.clear();
                any = true;
            }
        }
    }
    if any && number.is_empty() {
        Ok(seconds)
    } else {
        Err(DurationError::Unreadable)
    }
}

/// `cell` without surrounding whitespace. Most cells begin and end with a visible ASCII
/// character and are returned as they are without `str::trim`'s Unicode scan: every cell of
/// a file is trimmed on its way in.
pub fn trim_cell(cell: &str) -> &str {
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// The words of a yes and of a no, any case (the warehouse SQL matches the same ones).
pub const YES_WORDS: [&str; 5] = ["yes", "y", "true", "t", "1"];
pub const NO_WORDS: [&str; 5] = ["no", "n", "false", "f", "0"];

/// Reads yes/no answers: `yes`/`no`, `y`/`n`, `true`/`false`, `t`/`f`, `1`/`0`, any case.
pub fn parse_yes_no(cell: &str) -> Option<bool> {
    let cell = trim_cell(cell);
    // A flag column's `1` and `0`, told before the words are compared.
    match cell.as_bytes() {
        b"1" => return Some(true),
        b"0" => return Some(false),
        _ => {}
    }
    if YES_WORDS.iter().any(|word| cell.eq_ignore_ascii_case(word)) {
        Some(true)
    } else if NO_WORDS.iter().any(|word| cell.eq_ignore_ascii_case(word)) {
        Some(false)
    } else {
        None
    }
}

/// Reads a count of contacts: a whole number ≥ 0, perhaps grouped by thousands. A count has
/// no fraction, so a lone `,` or `.` before three digits groups (`1,234` and `1.234` are 1234,
/// where a duration would read a decimal mark); a spreadsheet's `12.0` is 12.
pub fn parse_count(cell: &str) -> Option<u32> {
    let cell = cell.trim();
    let whole = |text: &str| {
        text.parse::<f64>()
            .ok()
            .filter(|value| *value >= 0.0 && value.fract() == 0.0 && *value <= f64::from(u32::MAX))
            .map(|value| value as u32)
    };
    let grouped_by_thousands = |mark: char| {
        let mut groups = cell.split(mark);
        let first = groups.next().unwrap_or_default();
        (1..=3).contains(&first.len())
            && groups.clone().count() >= 1
            && std::iter::once(first)
                .chain(groups.clone())
                .all(|group| group.bytes().all(|byte| byte.is_ascii_digit()))
            && groups.all(|group| group.len() == 3)
    };
    if let Some(mark) = [',', '.', ' ', '\u{a0}', '\u{202f}', '\'']
        .into_iter()
        .find(|&mark| grouped_by_thousands(mark))
    {
        return whole(&cell.replace(mark, ""));
    }
    whole(cell)
}

/// Reads a finite number, e.g. a survey score.
pub fn parse_number(cell: &str) -> Option<f64> {
    short_decimal(cell).or_else(|| cell.parse::<f64>().ok().filter(|number| number.is_finite()))
}

/// Digits with at most one decimal point and fifteen digits in all (`9.7`, `560`, `0.25`),
/// the numbers nearly every cell of a file holds, read without the general parser: the whole
/// digits and the power of ten are exact in an `f64` and IEEE division rounds once, so the
/// value is the parser's, bit for bit (Clinger's fast path). `None` for any other text.
fn short_decimal(cell: &str) -> Option<f64> {
    const POWERS_OF_TEN: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (mut digits, mut value, mut decimals, mut after_point) = (0, 0u64, 0, false);
    for &byte in cell.as_bytes() {
        match byte {
            b'0'..=b'9' if digits < POWERS_OF_TEN.len() - 1 => {
                value = value * 10 + u64::from(byte - b'0');
                digits += 1;
                decimals += usize::from(after_point);
            }
            b'.' if !after_point => after_point = true,
            _ => return None,
        }
    }
    (digits > 0).then(|| value as f64 / POWERS_OF_TEN[decimals])
}

/// A survey answer: a number, `4/5` (the score out of its scale), or Zendesk's words `good`
/// (5) and `bad` (1); `offered`/`unoffered` are no answer. The flag says text was turned into a
/// number.
pub fn parse_score(cell: &str) -> Option<Option<(f64, bool)>> {
    if let Some(score) = parse_number(cell) {
        return Some(Some((score, false)));
    }
    if let Some((score, _scale)) = cell.split_once('/') {
        return parse_number(score.trim()).map(|score| Some((score, true)));
    }
    match cell.trim().to_ascii_lowercase().as_str() {
        "good" | "satisfied" => Some(Some((5.0, true))),
        "bad" | "unsatisfied" | "dissatisfied" => Some(Some((1.0, true))),
        "offered" | "unoffered" | "not offered" => Some(None),
        _ => None,
    }
}

/// Which of day and month comes first in dates like `03/04/2026`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum DateOrder {
    #[default]
    DayFirst,
    MonthFirst,
}

/// Numbers that a column uses for points in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum NumericTime {
    /// Days since 1899-12-30, with the time as a fraction (Excel, Google Sheets).
    ExcelSerial,
    UnixSeconds,
    UnixMilliseconds,
    /// `yymmdd` or `yyyymmdd`.
    CompactDate,
}

/// How one column writes its points in time, decided once from a sample of its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeFormat {
    pub order: DateOrder,
    pub numeric: Option<NumericTime>,
}

impl TimeFormat {
    /// Detects the format from `sample`: a date whose first number is above 12 settles day
    /// first, a second number above 12 month first; numbers all in one range are serials or
    /// epochs. Returns whether day/month order stayed ambiguous.
    pub fn detect<'a>(
        sample: impl IntoIterator<Item = &'a str>,
        order: Option<DateOrder>,
    ) -> (TimeFormat, bool) {
        let (mut day_first, mut month_first, mut slashed) = (false, false, false);
        let mut numbers: Vec<f64> = Vec::new();
        let mut all_numeric = true;
        for cell in sample {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            match parse_number(cell) {
                Some(number) => numbers.push(number),
                None => all_numeric = false,
            }
            if let Some((first, second)) = leading_pair(cell) {
                slashed = true;
                day_first |= first > 12;
                month_first |= second > 12;
            }
        }
        let numeric = (all_numeric && !numbers.is_empty())
            .then(|| numeric_kind(&numbers))
            .flatten();
        let detected = match (day_first, month_first) {
            (false, true) => DateOrder::MonthFirst,
            _ => DateOrder::DayFirst,
        };
        let ambiguous = order.is_none() && slashed && !day_first && !month_first;
        (
            TimeFormat {
                order: order.unwrap_or(detected),
                numeric,
            },
            ambiguous,
        )
    }

    /// Reads a point in time written this column's way. A date alone is its midnight.
    pub fn timestamp(&self, cell: &str) -> Option<Timestamp> {
        let cell = trim_cell(cell);
        if let Some(numeric) = self.numeric {
            return numeric_timestamp(cell, numeric);
        }
        if let Some(timestamp) = parse_timestamp(cell) {
            return Some(timestamp);
        }
        let (date, time) = match cell.split_once([' ', 'T']) {
            Some((date, time)) => (date, Some(time.trim())),
            None => (cell, None),
        };
        let date = self.date(date)?;
        let time = match time {
            Some(time) => parse_time_of_day(time)?,
            None => NaiveTime::MIN,
        };
        Some(Timestamp::WallClock(date.and_time(time)))
    }

    /// Reads a date alone: ISO, `d/m/yyyy` or `m/d/yyyy` by this column's order, `d.m.yyyy`,
    /// or a compact `yymmdd` / `yyyymmdd`.
    pub fn date(&self, cell: &str) -> Option<NaiveDate> {
        let cell = cell.trim();
        if let Ok(date) = NaiveDate::parse_from_str(cell, "%Y-%m-%d") {
            return Some(date);
        }
        if let Ok(date) = NaiveDate::parse_from_str(cell, "%Y/%m/%d") {
            return Some(date);
        }
        if self.numeric == Some(NumericTime::CompactDate)
            || cell.len() == 8 && cell.bytes().all(|b| b.is_ascii_digit())
        {
            if let Some(date) = compact_date(cell) {
                return Some(date);
            }
        }
        let parts: Vec<&str> = cell.split(['/', '.', '-']).collect();
        let [first, second, year] = parts.as_slice() else {
            return None;
        };
        let (first, second): (u32, u32) = (first.parse().ok()?, second.parse().ok()?);
        let year: i32 = match year.len() {
            4 => year.parse().ok()?,
            2 => 2000 + year.parse::<i32>().ok()?,
            _ => return None,
        };
        // Dots are day-first everywhere they are used (German, Russian, Nordic dates).
        let (day, month) = if cell.contains('.') || self.order == DateOrder::DayFirst {
            (first, second)
        } else {
            (second, first)
        };
        NaiveDate::from_ymd_opt(year, month, day)
    }
}

/// The first two numbers of a `a/b/yyyy` or `a.b.yyyy` date.
fn leading_pair(cell: &str) -> Option<(u32, u32)> {
    let date = cell.split([' ', 'T']).next()?;
    let mut parts = date.split(['/', '.']);
    let first = parts.next()?.parse().ok()?;
    let second = parts.next()?.parse().ok()?;
    parts.next()?;
    Some((first, second))
}

fn numeric_kind(numbers: &[f64]) -> Option<NumericTime> {
    let all = |range: std::ops::RangeInclusive<f64>| numbers.iter().all(|n| range.contains(n));
    let whole = numbers.iter().all(|n| n.fract() == 0.0);
    if whole
        && numbers
            .iter()
            .all(|n| compact_date(&format!("{n}")).is_some())
    {
        Some(NumericTime::CompactDate)
    } else if all(1.0e11..=1.0e14) {
        Some(NumericTime::UnixMilliseconds)
    } else if all(1.0e8..=1.0e11) {
        Some(NumericTime::UnixSeconds)
    } else if all(20_000.0..=80_000.0) {
        Some(NumericTime::ExcelSerial)
    } else {
        None
    }
}

fn compact_date(cell: &str) -> Option<NaiveDate> {
    match cell.len() {
        // Two-digit years 70–99 are the 1900s, like spreadsheets read them.
        6 => {
            let century = if cell.as_bytes()[0] >= b'7' {
                "19"
            } else {
                "20"
            };
            NaiveDate::parse_from_str(&format!("{century}{cell}"), "%Y%m%d").ok()
        }
        8 => NaiveDate::parse_from_str(cell, "%Y%m%d").ok(),
        _ => None,
    }
}

fn numeric_timestamp(cell: &str, kind: NumericTime) -> Option<Timestamp> {
    let number = parse_number(cell)?;
    let epoch = |seconds: f64| DateTime::from_timestamp_millis((seconds * 1000.0).round() as i64);
    match kind {
        NumericTime::UnixSeconds => epoch(number).map(Timestamp::Exact),
        NumericTime::UnixMilliseconds => epoch(number / 1000.0).map(Timestamp::Exact),
        NumericTime::ExcelSerial => {
            // Wall-clock: a spreadsheet has no zone. Excel's day 0 is 1899-12-30.
            let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
            let millis = (number * 86_400_000.0).round() as i64;
            base.checked_add_signed(chrono::Duration::try_milliseconds(millis)?)
                .map(Timestamp::WallClock)
        }
        NumericTime::CompactDate => compact_date(cell.trim())
            .map(|date| Timestamp::WallClock(date.and_time(NaiveTime::MIN))),
    }
}

/// A time of day: `9:05`, `09:05:30`, `9:05:30.25`, `9:05 PM`.
pub fn parse_time_of_day(cell: &str) -> Option<NaiveTime> {
    let cell = cell.trim();
    let upper = cell.to_ascii_uppercase();
    let (clock, afternoon) = match upper
        .strip_suffix("PM")
        .or_else(|| upper.strip_suffix("AM"))
    {
        Some(clock) => (clock.trim().to_owned(), Some(upper.ends_with("PM"))),
        None => (upper.clone(), None),
    };
    let time = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(&clock, format).ok())?;
    match afternoon {
        None => Some(time),
        Some(afternoon) => {
            let hour = time.hour() % 12 + if afternoon { 12 } else { 0 };
            time.with_hour(hour)
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod fixed_layout_agrees {
    use super::*;
    use proptest::prelude::*;

    /// Cells near the common layout: digits, separators, fractions, offsets, junk in any place.
    fn near_timestamp() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[0-9]{1,4}",
            Just("-".to_owned()),
            Just(":".to_owned()),
            Just("T".to_owned()),
            Just(" ".to_owned()),
            Just(".".to_owned()),
            Just("Z".to_owned()),
            Just("+".to_owned()),
            "[0-9]{1,10}",
        ];
        prop_oneof![
            (
                2000u32..2100,
                1u32..14,
                0u32..33,
                0u32..26,
                0u32..61,
                0u32..62,
                "(\\.[0-9]{0,11})?",
                "(Z|[+-][0-9]{2}:[0-9]{2}|[+-][0-9]{4}|z)?",
                prop::bool::ANY
            )
                .prop_map(|(y, mo, d, h, mi, s, fraction, offset, seconds)| {
                    if seconds {
                        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}{offset}")
                    } else {
                        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}{offset}")
                    }
                }),
            prop::collection::vec(piece, 1..12).prop_map(|pieces| pieces.concat()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        #[test]
        fn the_fast_reader_answers_only_as_chrono_does(cell in near_timestamp()) {
            if let Some(fast) = fixed_layout_timestamp(&cell) {
                prop_assert_eq!(Some(fast), general_timestamp(&cell), "{}", cell);
            }
        }
    }

    #[test]
    fn the_fast_reader_takes_the_common_layouts() {
        for cell in [
            "2026-03-02T09:00:00.123",
            "2026-03-02 09:00",
            "2026-03-02T09:00:00Z",
            "2026-03-02 09:00:00.5-05:30",
        ] {
            assert!(fixed_layout_timestamp(cell).is_some(), "{cell}");
            assert_eq!(
                fixed_layout_timestamp(cell),
                general_timestamp(cell),
                "{cell}"
            );
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod short_decimal_agrees {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        /// The short reader's value is the general parser's, bit for bit, and it answers for
        /// every plain number of up to fifteen digits.
        #[test]
        fn the_short_reader_is_the_parser_bit_for_bit(cell in "[0-9]{0,18}(\\.[0-9]{0,18})?|[0-9.eE+-]{1,6}") {
            let parsed = cell.parse::<f64>().ok();
            match short_decimal(&cell) {
                Some(fast) => prop_assert_eq!(Some(fast.to_bits()), parsed.map(f64::to_bits), "{}", cell),
                None => {
                    let digits = cell.bytes().filter(u8::is_ascii_digit).count();
                    let plain = cell.bytes().all(|byte| byte.is_ascii_digit() || byte == b'.')
                        && cell.matches('.').count() <= 1;
                    prop_assert!(!(plain && (1..=15).contains(&digits)), "{}", cell);
                }
            }
        }
    }
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
    fn durations_as_clocks_decimal_commas_and_iso_8601() {
        assert_eq!(parse_duration("12.5"), Ok((12.5, NumberWriting::Plain)));
        assert_eq!(
            parse_duration("12,5"),
            Ok((12.5, NumberWriting::DecimalComma))
        );
        for grouped in ["1,234.5", "1.234,5", "1 234,5", "1\u{a0}234.5", "1'234.5"] {
            assert_eq!(
                parse_duration(grouped),
                Ok((1234.5, NumberWriting::Grouped)),
                "{grouped}"
            );
        }
        assert_eq!(
            parse_duration("1,234,567"),
            Ok((1_234_567.0, NumberWriting::Grouped))
        );
        assert_eq!(
            parse_duration("12,345"),
            Ok((12.345, NumberWriting::DecimalComma))
        );
        assert_eq!(parse_duration("-1,234.5"), Err(DurationError::Negative));
        for broken in ["1,23.5", "1,2345.6", "1.234,5,6", ",234.5", "1 23"] {
            assert_eq!(
                parse_duration(broken),
                Err(DurationError::Unreadable),
                "{broken}"
            );
        }
        assert_eq!(parse_duration("02:23"), Ok((143.0, NumberWriting::Plain)));
        assert_eq!(
            parse_duration("1:02:03"),
            Ok((3723.0, NumberWriting::Plain))
        );
        assert_eq!(
            parse_duration("00:02:23"),
            Ok((143.0, NumberWriting::Plain))
        );
        assert_eq!(parse_duration("PT1M30S"), Ok((90.0, NumberWriting::Plain)));
        assert_eq!(
            parse_duration("P1DT2H"),
            Ok((93_600.0, NumberWriting::Plain))
        );
        assert_eq!(parse_duration("-0:05"), Err(DurationError::Negative));
        assert_eq!(parse_duration("1:75"), Err(DurationError::Unreadable));
        assert_eq!(parse_duration("soon"), Err(DurationError::Unreadable));
    }

    #[test]
    fn day_and_month_order_is_read_from_the_column() {
        let (format, ambiguous) = TimeFormat::detect(["03/04/2026 10:00", "25/04/2026 9:00"], None);
        assert_eq!((format.order, ambiguous), (DateOrder::DayFirst, false));
        let (format, _) = TimeFormat::detect(["03/04/2026", "04/25/2026"], None);
        assert_eq!(format.order, DateOrder::MonthFirst);
        assert_eq!(
            format.date("04/25/2026"),
            NaiveDate::from_ymd_opt(2026, 4, 25)
        );
        let (format, ambiguous) = TimeFormat::detect(["03/04/2026"], None);
        assert_eq!((format.order, ambiguous), (DateOrder::DayFirst, true));
        let (chosen, ambiguous) = TimeFormat::detect(["03/04/2026"], Some(DateOrder::MonthFirst));
        assert_eq!((chosen.order, ambiguous), (DateOrder::MonthFirst, false));
        assert_eq!(
            format.timestamp("3/4/2026 9:05 PM"),
            Some(wall_clock(2026, 4, 3, 21, 5, 0))
        );
        assert_eq!(
            format.timestamp("31.12.2026 23:59"),
            Some(wall_clock(2026, 12, 31, 23, 59, 0))
        );
    }

    #[test]
    fn numbers_for_points_in_time_are_recognised_by_column() {
        let (excel, _) = TimeFormat::detect(["46023.5", "46024.25"], None);
        assert_eq!(excel.numeric, Some(NumericTime::ExcelSerial));
        assert_eq!(
            excel.timestamp("46023.5"),
            Some(wall_clock(2026, 1, 1, 12, 0, 0))
        );
        let (unix, _) = TimeFormat::detect(["1767268800"], None);
        assert_eq!(unix.numeric, Some(NumericTime::UnixSeconds));
        assert_eq!(
            unix.timestamp("1767268800"),
            Some(Timestamp::Exact(
                Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
            ))
        );
        let (millis, _) = TimeFormat::detect(["1767268800000"], None);
        assert_eq!(millis.numeric, Some(NumericTime::UnixMilliseconds));
        let (compact, _) = TimeFormat::detect(["990201", "990228"], None);
        assert_eq!(compact.numeric, Some(NumericTime::CompactDate));
        assert_eq!(compact.date("990201"), NaiveDate::from_ymd_opt(1999, 2, 1));
    }

    #[test]
    fn scores_from_numbers_fractions_and_words() {
        assert_eq!(parse_score("4"), Some(Some((4.0, false))));
        assert_eq!(parse_score("4/5"), Some(Some((4.0, true))));
        assert_eq!(parse_score("Good"), Some(Some((5.0, true))));
        assert_eq!(parse_score("unoffered"), Some(None));
        assert_eq!(parse_score("meh"), None);
    }

    #[test]
    fn yes_no_and_numbers() {
        assert_eq!(parse_yes_no("Y"), Some(true));
        assert_eq!(parse_yes_no("false"), Some(false));
        assert_eq!(parse_yes_no("maybe"), None);
        assert_eq!(parse_yes_no(" 1"), Some(true));
        assert_eq!(parse_yes_no("0"), Some(false));
        assert_eq!(parse_yes_no("10"), None);
        assert_eq!(parse_number("4"), Some(4.0));
        assert_eq!(parse_number("inf"), None);
    }
}
