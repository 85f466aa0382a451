//! Reading a forecast from the CSV a workforce-management tool exports: one row per interval or
//! day with its expected contacts, turned into the terms' `forecast` section (DOMAIN §5).
//! A forecast is small and every row moves an exclusion, so a row that cannot be read refuses
//! the whole file, naming its line, rather than being skipped.

use chrono::{NaiveDate, NaiveDateTime};

use crate::error::SlaError;
use crate::period::PeriodKind;
use crate::terms::{RawForecast, RawVolume};
use crate::values::{parse_number, parse_timestamp, Timestamp};

/// Column names accepted for the start and the volume, matched case-insensitively.
const START_COLUMNS: [&str; 4] = ["start", "interval", "date", "period"];
const VOLUME_COLUMNS: [&str; 4] = ["contacts", "forecast", "volume", "calls"];

/// Reads `start,contacts` rows (a date per day, or a date and time per interval) and tells the
/// period length from the starts: dates alone are days; times 15, 30 or 60 minutes apart are
/// intervals of that length. The spike threshold is left to the terms' default.
pub fn read_forecast_csv(text: &str) -> Result<RawForecast, SlaError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|error| forecast_error(1, error.to_string()))?
        .clone();
    let find = |names: &[&str]| {
        header.iter().position(|name| {
            names
                .iter()
                .any(|wanted| name.trim().eq_ignore_ascii_case(wanted))
        })
    };
    let (Some(start_column), Some(volume_column)) = (find(&START_COLUMNS), find(&VOLUME_COLUMNS))
    else {
        return Err(forecast_error(
            1,
            format!(
                "the header needs a start column ({}) and a volume column ({})",
                START_COLUMNS.join(", "),
                VOLUME_COLUMNS.join(", ")
            ),
        ));
    };
    let mut rows: Vec<(String, Start, f64)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, csv::Position::line);
            forecast_error(line, error.to_string())
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let start_text = record.get(start_column).unwrap_or("").trim();
        let start = read_start(start_text).ok_or_else(|| {
            forecast_error(
                line,
                format!(
                    "\"{start_text}\" is not a date or a date and time such as 2026-09-01 09:30"
                ),
            )
        })?;
        let volume_text = record.get(volume_column).unwrap_or("").trim();
        let contacts = parse_number(volume_text)
            .filter(|contacts| *contacts >= 0.0)
            .ok_or_else(|| {
                forecast_error(
                    line,
                    format!("\"{volume_text}\" is not a number of contacts ≥ 0"),
                )
            })?;
        rows.push((start_text.to_owned(), start, contacts));
    }
    if rows.is_empty() {
        return Err(forecast_error(
            1,
            "the file has no forecast rows".to_owned(),
        ));
    }
    let per = period_of(&rows.iter().map(|(_, start, _)| *start).collect::<Vec<_>>())?;
    Ok(RawForecast {
        per,
        spike_percent: None,
        volumes: rows
            .into_iter()
            .map(|(start, _, contacts)| RawVolume { start, contacts })
            .collect(),
    })
}

/// A forecast row's start: a whole day, or a wall-clock time (offsets are kept by the terms).
#[derive(Clone, Copy)]
enum Start {
    Day,
    At(NaiveDateTime),
}

fn read_start(text: &str) -> Option<Start> {
    if NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() {
        return Some(Start::Day);
    }
    match parse_timestamp(text)? {
        Timestamp::WallClock(local) => Some(Start::At(local)),
        Timestamp::Exact(instant) => Some(Start::At(instant.naive_utc())),
    }
}

/// Days when every start is a date; otherwise the interval the closest starts are apart.
fn period_of(starts: &[Start]) -> Result<PeriodKind, SlaError> {
    let mut times: Vec<NaiveDateTime> = starts
        .iter()
        .filter_map(|start| match start {
            Start::At(time) => Some(*time),
            Start::Day => None,
        })
        .collect();
    if times.is_empty() {
        return Ok(PeriodKind::Day);
    }
    if times.len() != starts.len() {
        return Err(forecast_error(
            1,
            "mix of dates and times: give every row a date (a daily forecast) or a date and time (per interval)".to_owned(),
        ));
    }
    times.sort_unstable();
    let closest = times
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).num_minutes())
        .filter(|minutes| *minutes > 0)
        .min();
    match closest {
        Some(15) => Ok(PeriodKind::Interval15),
        Some(30) => Ok(PeriodKind::Interval30),
        Some(60) => Ok(PeriodKind::Interval60),
        Some(minutes) => Err(forecast_error(
            1,
            format!("the closest starts are {minutes} minutes apart: intervals of 15, 30 or 60 minutes are supported"),
        )),
        None => Err(forecast_error(
            1,
            "one interval cannot tell the interval length: give at least two consecutive intervals".to_owned(),
        )),
    }
}

fn forecast_error(line: u64, message: String) -> SlaError {
    SlaError::InvalidForecast { line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_hour_rows_make_an_interval30_forecast() {
        let forecast = read_forecast_csv(
            "Interval,Forecast\n2026-09-01 09:00,12\n2026-09-01 09:30,14.5\n2026-09-01 10:30,9\n",
        )
        .unwrap();
        assert_eq!(forecast.per, PeriodKind::Interval30);
        assert_eq!(forecast.volumes.len(), 3);
        assert_eq!(forecast.volumes[1].start, "2026-09-01 09:30");
        assert_eq!(forecast.volumes[1].contacts, 14.5);
    }

    #[test]
    fn dates_alone_make_a_daily_forecast() {
        let forecast =
            read_forecast_csv("\u{feff}date,calls\n2026-09-01,120\n2026-09-02,118\n").unwrap();
        assert_eq!(forecast.per, PeriodKind::Day);
    }

    #[test]
    fn a_bad_row_refuses_the_forecast_naming_its_line() {
        let error =
            read_forecast_csv("start,contacts\n2026-09-01 09:00,12\n2026-09-01 09:30,many\n")
                .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Forecast, line 3: \"many\" is not a number of contacts ≥ 0"
        );
        let error = read_forecast_csv("when,contacts\n2026-09-01,1\n").unwrap_err();
        assert!(error
            .to_string()
            .starts_with("Forecast, line 1: the header needs a start column"));
        let error = read_forecast_csv("start,contacts\n2026-09-01 09:00,1\n2026-09-01 09:20,1\n")
            .unwrap_err();
        assert!(error.to_string().contains("20 minutes apart"), "{error}");
    }
}
