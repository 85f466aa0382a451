//! Measurement periods, cut in the agreement's time zone: a contact belongs to the period in
//! which it arrived (DOMAIN §2).

use chrono::{
    DateTime, Datelike, Days, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, Timelike, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

use crate::zone::Zone;

/// How long a measurement period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum PeriodKind {
    Interval15,
    Interval30,
    Interval60,
    Day,
    IsoWeek,
    Month,
}

impl PeriodKind {
    /// The period containing `instant`, cut in `zone`.
    pub fn containing(self, instant: DateTime<Utc>, zone: &Zone) -> Period {
        let local = zone.local(instant);
        match self {
            PeriodKind::Interval15 | PeriodKind::Interval30 | PeriodKind::Interval60 => {
                let minutes = self.interval_minutes();
                let floored = local
                    .date()
                    .and_hms_opt(local.hour(), 0, 0)
                    .unwrap_or(local)
                    + Duration::minutes(i64::from(local.minute() / minutes * minutes));
                let offset = zone.offset_at(instant);
                // The start instant, not the wall clock, keys the interval: when clocks go back,
                // 02:00–02:30 happens twice and is two intervals.
                Period::Interval {
                    start: (floored - offset).and_utc(),
                    minutes,
                    offset_secs: offset.local_minus_utc(),
                }
            }
            PeriodKind::Day => Period::Day(local.date()),
            PeriodKind::IsoWeek => {
                let week = local.date().iso_week();
                Period::IsoWeek {
                    year: week.year(),
                    week: week.week(),
                }
            }
            PeriodKind::Month => Period::Month {
                year: local.year(),
                month: local.month(),
            },
        }
    }

    /// Minutes in an interval; 0 for calendar periods.
    pub fn interval_minutes(self) -> u32 {
        match self {
            PeriodKind::Interval15 => 15,
            PeriodKind::Interval30 => 30,
            PeriodKind::Interval60 => 60,
            PeriodKind::Day | PeriodKind::IsoWeek | PeriodKind::Month => 0,
        }
    }

    pub fn is_interval(self) -> bool {
        self.interval_minutes() > 0
    }

    /// A word for the period in sentences: "half-hour interval", "day", "month".
    pub fn noun(self) -> &'static str {
        match self {
            PeriodKind::Interval15 => "15-minute interval",
            PeriodKind::Interval30 => "half-hour interval",
            PeriodKind::Interval60 => "hour interval",
            PeriodKind::Day => "day",
            PeriodKind::IsoWeek => "week",
            PeriodKind::Month => "month",
        }
    }
}

/// One measurement period. Periods of one kind sort in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Interval {
        start: DateTime<Utc>,
        minutes: u32,
        /// The zone's offset at the start, so the label names the wall clock unambiguously.
        offset_secs: i32,
    },
    Day(NaiveDate),
    IsoWeek {
        year: i32,
        week: u32,
    },
    Month {
        year: i32,
        month: u32,
    },
}

impl Period {
    /// ISO 8601 text that sorts in time order and reads the same in every locale:
    /// `2026-03-04T09:30+01:00`, `2026-03-04`, `2026-W10`, `2026-03`.
    pub fn label(&self) -> String {
        match self {
            Period::Interval {
                start, offset_secs, ..
            } => {
                let offset = FixedOffset::east_opt(*offset_secs).unwrap_or(Utc.fix());
                start
                    .with_timezone(&offset)
                    .format("%Y-%m-%dT%H:%M%:z")
                    .to_string()
            }
            Period::Day(date) => date.format("%Y-%m-%d").to_string(),
            Period::IsoWeek { year, week } => format!("{year:04}-W{week:02}"),
            Period::Month { year, month } => format!("{year:04}-{month:02}"),
        }
    }

    /// The period as the half-open span of instants `[start, end)` it covers in `zone`.
    pub fn bounds(&self, zone: &Zone) -> (DateTime<Utc>, DateTime<Utc>) {
        let local_span = |first: NaiveDate, next: Option<NaiveDate>| {
            let start = zone.instant(midnight(first));
            let end = next.map_or(DateTime::<Utc>::MAX_UTC, |next| {
                zone.instant(midnight(next))
            });
            (start, end)
        };
        match *self {
            Period::Interval { start, minutes, .. } => {
                (start, start + Duration::minutes(i64::from(minutes)))
            }
            Period::Day(date) => local_span(date, date.checked_add_days(Days::new(1))),
            Period::IsoWeek { year, week } => {
                let monday =
                    NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).unwrap_or_default();
                local_span(monday, monday.checked_add_days(Days::new(7)))
            }
            Period::Month { year, month } => {
                let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
                local_span(first, first.checked_add_months(Months::new(1)))
            }
        }
    }
}

fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn the_last_second_of_a_month_belongs_to_it_and_midnight_to_the_next() {
        let zone = Zone::default();
        let last = Utc.with_ymd_and_hms(2026, 1, 31, 23, 59, 59).unwrap();
        assert_eq!(PeriodKind::Month.containing(last, &zone).label(), "2026-01");
        let next = utc(2026, 2, 1, 0, 0);
        assert_eq!(PeriodKind::Month.containing(next, &zone).label(), "2026-02");
    }

    #[test]
    fn periods_are_cut_in_the_agreement_zone() {
        // 23:30 UTC on 31 January is 00:30 on 1 February in Paris (UTC+1).
        let paris = Zone::parse("Europe/Paris").unwrap();
        let instant = utc(2026, 1, 31, 23, 30);
        assert_eq!(
            PeriodKind::Month.containing(instant, &paris).label(),
            "2026-02"
        );
        assert_eq!(
            PeriodKind::Day.containing(instant, &paris).label(),
            "2026-02-01"
        );
        assert_eq!(
            PeriodKind::Interval30.containing(instant, &paris).label(),
            "2026-02-01T00:30+01:00"
        );
        assert_eq!(
            PeriodKind::IsoWeek.containing(instant, &paris).label(),
            "2026-W05"
        );
    }

    #[test]
    fn a_dst_day_is_one_day_of_23_or_25_hours() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        let spring = PeriodKind::Day.containing(utc(2026, 3, 29, 12, 0), &paris);
        let (start, end) = spring.bounds(&paris);
        assert_eq!((end - start).num_hours(), 23);
        let autumn = PeriodKind::Day.containing(utc(2026, 10, 25, 12, 0), &paris);
        let (start, end) = autumn.bounds(&paris);
        assert_eq!(
            (start, (end - start).num_hours()),
            (utc(2026, 10, 24, 22, 0), 25)
        );
    }

    #[test]
    fn the_repeated_hour_when_clocks_go_back_is_two_intervals() {
        // 25 October 2026 in Paris: 02:00–03:00 happens at UTC+2 and again at UTC+1.
        let paris = Zone::parse("Europe/Paris").unwrap();
        let first = PeriodKind::Interval30.containing(utc(2026, 10, 25, 0, 10), &paris);
        let second = PeriodKind::Interval30.containing(utc(2026, 10, 25, 1, 10), &paris);
        assert_eq!(first.label(), "2026-10-25T02:00+02:00");
        assert_eq!(second.label(), "2026-10-25T02:00+01:00");
        assert!(first < second);
        assert_eq!(first.bounds(&paris).1, utc(2026, 10, 25, 0, 30));
    }

    #[test]
    fn iso_weeks_start_on_monday_and_may_straddle_years() {
        let zone = Zone::default();
        // 1 January 2027 is a Friday: ISO week 53 of 2026.
        let week = PeriodKind::IsoWeek.containing(utc(2027, 1, 1, 9, 0), &zone);
        assert_eq!(week.label(), "2026-W53");
        assert_eq!(week.bounds(&zone).0, utc(2026, 12, 28, 0, 0));
    }
}
