//! Business hours (DOMAIN §2): weekly opening hours and holidays, in the agreement's zone. A
//! time "in business hours" counts only open seconds, so a contact arriving while closed starts
//! its clock at the next opening.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, Utc};

use crate::timespan::{merge, total_seconds, Span};
use crate::zone::Zone;

const SECONDS_PER_DAY: u32 = 24 * 3600;

/// Opening hours per weekday (Monday first) as seconds after local midnight, and closed dates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BusinessCalendar {
    weekly: [Vec<(u32, u32)>; 7],
    holidays: BTreeSet<NaiveDate>,
}

impl BusinessCalendar {
    /// Opens `weekday` (0 = Monday) at the ranges of `hours`, e.g. `08:00-12:00, 13:00-17:30`;
    /// `24:00` may end a range. Returns a sentence for the user when a range cannot be read.
    pub fn set_hours(&mut self, weekday: usize, hours: &str) -> Result<(), String> {
        let mut ranges = Vec::new();
        for range in hours
            .split(',')
            .map(str::trim)
            .filter(|range| !range.is_empty())
        {
            let (open, close) = range
                .split_once('-')
                .ok_or_else(|| format!("\"{range}\" is not a range such as 08:00-18:00"))?;
            let (open, close) = (clock_seconds(open), clock_seconds(close));
            match (open, close) {
                (Some(open), Some(close)) if open < close => ranges.push((open, close)),
                _ => {
                    return Err(format!(
                        "\"{range}\" is not a range from an earlier to a later time of day (00:00 to 24:00)"
                    ))
                }
            }
        }
        ranges.sort_unstable();
        if ranges.windows(2).any(|pair| pair[1].0 < pair[0].1) {
            return Err(format!("the ranges of \"{hours}\" overlap"));
        }
        self.weekly[weekday] = ranges;
        Ok(())
    }

    /// Closes a whole local date.
    pub fn add_holiday(&mut self, date: NaiveDate) {
        self.holidays.insert(date);
    }

    /// The open spans within `[from, to)`, merged.
    pub fn open_spans(&self, from: DateTime<Utc>, to: DateTime<Utc>, zone: &Zone) -> Vec<Span> {
        if to <= from {
            return Vec::new();
        }
        let first = zone.local(from).date();
        let last = zone.local(to).date();
        let mut spans = Vec::new();
        let mut date = first;
        while date <= last {
            if !self.holidays.contains(&date) {
                let weekday = date.weekday().num_days_from_monday() as usize;
                for &(open, close) in &self.weekly[weekday] {
                    let at = |seconds: u32| {
                        let local =
                            date.and_time(NaiveTime::MIN) + Duration::seconds(i64::from(seconds));
                        zone.instant(local)
                    };
                    let span = Span::new(at(open).max(from), at(close).min(to));
                    if span.start < span.end {
                        spans.push(span);
                    }
                }
            }
            match date.checked_add_days(Days::new(1)) {
                Some(next) => date = next,
                None => break,
            }
        }
        merge(spans)
    }

    /// Open seconds within `[from, to)`.
    pub fn open_seconds(&self, from: DateTime<Utc>, to: DateTime<Utc>, zone: &Zone) -> f64 {
        total_seconds(&self.open_spans(from, to, zone))
    }
}

/// `HH:MM` (or `24:00`) as seconds after midnight.
fn clock_seconds(text: &str) -> Option<u32> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    // Checked before multiplying: "4000000000:00" must be refused, not wrap into a valid time.
    if hours > 24 || minutes >= 60 {
        return None;
    }
    let seconds = hours * 3600 + minutes * 60;
    (seconds <= SECONDS_PER_DAY).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn clock_times_out_of_range_are_refused_not_wrapped() {
        assert_eq!(clock_seconds("24:00"), Some(SECONDS_PER_DAY));
        assert_eq!(clock_seconds("24:01"), None);
        assert_eq!(clock_seconds("4000000000:00"), None);
        assert_eq!(clock_seconds("1193047:00"), None);
        assert_eq!(clock_seconds("09:60"), None);
    }

    fn weekdays_nine_to_five() -> BusinessCalendar {
        let mut calendar = BusinessCalendar::default();
        for weekday in 0..5 {
            calendar.set_hours(weekday, "09:00-17:00").unwrap();
        }
        calendar
    }

    fn utc(d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, min, 0).unwrap()
    }

    #[test]
    fn open_time_spans_a_weekend_and_a_holiday() {
        // Friday 18 December 2026, 16:00 → Tuesday 22 December, 10:00, Monday 21 a holiday:
        // Friday 16:00–17:00 (1 h) + Tuesday 09:00–10:00 (1 h) = 2 h of business time.
        let mut calendar = weekdays_nine_to_five();
        calendar.add_holiday(NaiveDate::from_ymd_opt(2026, 12, 21).unwrap());
        let zone = Zone::default();
        assert_eq!(
            calendar.open_seconds(utc(18, 16, 0), utc(22, 10, 0), &zone),
            7200.0
        );
    }

    #[test]
    fn a_contact_arriving_while_closed_starts_at_the_next_opening() {
        // Saturday 19 December 20:00 → Monday 21 December 09:30: 30 open minutes.
        let calendar = weekdays_nine_to_five();
        assert_eq!(
            calendar.open_seconds(utc(19, 20, 0), utc(21, 9, 30), &Zone::default()),
            1800.0
        );
    }

    #[test]
    fn opening_hours_are_local_to_the_agreement_zone() {
        // 09:00–17:00 in New York (UTC−5 in December) is 14:00–22:00 UTC.
        let calendar = weekdays_nine_to_five();
        let new_york = Zone::parse("America/New_York").unwrap();
        assert_eq!(
            calendar.open_seconds(utc(1, 13, 0), utc(1, 15, 0), &new_york),
            3600.0
        );
    }

    #[test]
    fn hours_that_cannot_be_read_are_refused_with_the_range() {
        let mut calendar = BusinessCalendar::default();
        assert!(calendar.set_hours(0, "08:00-12:00, 13:00-24:00").is_ok());
        assert!(calendar
            .set_hours(0, "18:00-08:00")
            .unwrap_err()
            .contains("18:00-08:00"));
        assert!(calendar.set_hours(0, "9-17").is_err());
        assert!(calendar
            .set_hours(0, "08:00-12:00,11:00-13:00")
            .unwrap_err()
            .contains("overlap"));
    }
}
