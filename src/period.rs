//! Measurement periods, cut in the agreement's time zone: a contact belongs to the period in
//! which it arrived (DOMAIN §2).

use std::ops::Range;

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
        let offset = zone.offset_at(instant);
        self.containing_local(instant.naive_utc() + offset, offset)
    }

    /// The period holding the wall-clock time `local`, read under `offset`.
    fn containing_local(self, local: NaiveDateTime, offset: FixedOffset) -> Period {
        match self {
            PeriodKind::Interval15 | PeriodKind::Interval30 | PeriodKind::Interval60 => {
                let minutes = self.interval_minutes();
                // The start instant, not the wall clock, keys the interval: when clocks go
                // back, 02:00–02:30 happens twice and is two intervals.
                let start = self.local_bounds(local).map_or(local, |(start, _)| start);
                Period::Interval {
                    start: (start - offset).and_utc(),
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

    /// The wall-clock span `[start, end)` of the period holding `local`; `None` at the ends
    /// of the calendar.
    fn local_bounds(self, local: NaiveDateTime) -> Option<(NaiveDateTime, NaiveDateTime)> {
        let date = local.date();
        let days = |first: NaiveDate, days: u64| {
            Some((
                midnight(first),
                midnight(first.checked_add_days(Days::new(days))?),
            ))
        };
        match self {
            PeriodKind::Interval15 | PeriodKind::Interval30 | PeriodKind::Interval60 => {
                let minutes = self.interval_minutes();
                let start =
                    date.and_hms_opt(local.hour(), local.minute() / minutes * minutes, 0)?;
                Some((
                    start,
                    start.checked_add_signed(Duration::minutes(i64::from(minutes)))?,
                ))
            }
            PeriodKind::Day => days(date, 1),
            PeriodKind::IsoWeek => {
                let monday = u64::from(date.weekday().num_days_from_monday());
                days(date.checked_sub_days(Days::new(monday))?, 7)
            }
            PeriodKind::Month => {
                let first = date.with_day(1)?;
                Some((
                    midnight(first),
                    midnight(first.checked_add_months(Months::new(1))?),
                ))
            }
        }
    }

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

/// Finds the period of one instant after another, remembering the seconds over which the last
/// period found holds — its wall-clock span, under an offset the zone keeps throughout — so
/// that contacts in time order mostly need a comparison, not a zone lookup and calendar
/// arithmetic each (a seventh of a report's time).
pub struct PeriodFinder<'z> {
    kind: PeriodKind,
    zone: &'z Zone,
    /// The last period found and its span of seconds since the epoch, `[from, to)`.
    last: Option<(Period, i64, i64)>,
}

impl<'z> PeriodFinder<'z> {
    pub fn new(kind: PeriodKind, zone: &'z Zone) -> PeriodFinder<'z> {
        PeriodFinder {
            kind,
            zone,
            last: None,
        }
    }

    /// The period containing `instant`, as [`PeriodKind::containing`] finds it.
    pub fn containing(&mut self, instant: DateTime<Utc>) -> Period {
        self.find(instant).0
    }

    /// The period containing `instant`, and instants surely in it too: those of its span under
    /// one offset. A walk over instants mostly in time order compares each with the span's
    /// ends — three integer comparisons — rather than finding its period (a call, and a period
    /// copied and compared: a tenth of a report in Chromium).
    pub fn containing_span(&mut self, instant: DateTime<Utc>) -> (Period, Range<DateTime<Utc>>) {
        let (period, from, to) = self.find(instant);
        let as_instant = |second: i64, beyond: DateTime<Utc>| {
            DateTime::from_timestamp(second, 0).unwrap_or(beyond)
        };
        let span =
            as_instant(from, DateTime::<Utc>::MIN_UTC)..as_instant(to, DateTime::<Utc>::MAX_UTC);
        (period, span)
    }

    /// The period containing `instant` and its span of seconds since the epoch, `[from, to)`.
    fn find(&mut self, instant: DateTime<Utc>) -> (Period, i64, i64) {
        // Periods start on whole seconds: an instant is in one when its second is.
        let second = instant.timestamp();
        if let Some(last @ (_, from, to)) = self.last {
            if from <= second && second < to {
                return last;
            }
        }
        let (offset, offset_from, offset_to) = self.zone.offset_span(instant);
        let local = instant.naive_utc() + offset;
        let period = self.kind.containing_local(local, offset);
        let as_second =
            |local: NaiveDateTime| Some(local.checked_sub_offset(offset)?.and_utc().timestamp());
        let span = self.kind.local_bounds(local).and_then(|(start, end)| {
            Some((
                offset_from.max(as_second(start)?),
                offset_to.min(as_second(end)?),
            ))
        });
        let (from, to) = span.unwrap_or((second, second.saturating_add(1)));
        let found = (period, from, to);
        self.last = Some(found);
        found
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

    /// The wall-clock time the period starts at: an interval's as its zone's clock showed it,
    /// a calendar period's midnight.
    pub fn wall_clock_start(&self) -> NaiveDateTime {
        match *self {
            Period::Interval {
                start, offset_secs, ..
            } => {
                let utc = start.naive_utc();
                utc.checked_add_signed(Duration::seconds(i64::from(offset_secs)))
                    .unwrap_or(utc)
            }
            Period::Day(date) => midnight(date),
            Period::IsoWeek { year, week } => {
                midnight(NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).unwrap_or_default())
            }
            Period::Month { year, month } => {
                midnight(NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default())
            }
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod finder_agrees {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The finder's remembered spans never give another period than looking it up afresh:
        /// in zones with clock changes at 02:00 and at midnight, by half an hour (Lord Howe),
        /// offsets off the hour, around their changes, instants in and out of order.
        #[test]
        fn a_period_finder_finds_what_a_lookup_finds(
            zone in prop::sample::select(vec![
                "UTC", "+05:30", "Europe/Paris", "America/Sao_Paulo", "Australia/Lord_Howe",
                "Asia/Kathmandu", "America/St_Johns", "Asia/Beirut", "Pacific/Apia",
            ]),
            kind in prop::sample::select(vec![
                PeriodKind::Interval15, PeriodKind::Interval30, PeriodKind::Interval60,
                PeriodKind::Day, PeriodKind::IsoWeek, PeriodKind::Month,
            ]),
            // Seconds from 2010 on, where these zones changed clocks, some rules since gone.
            start in 1_262_304_000i64..1_800_000_000,
            steps in prop::collection::vec(-2_000i64..40_000, 1..300),
        ) {
            let zone = Zone::parse(zone).unwrap();
            let mut finder = PeriodFinder::new(kind, &zone);
            let mut second = start;
            for step in steps {
                second += step;
                let instant = DateTime::from_timestamp(second, 250_000_000).unwrap();
                prop_assert_eq!(finder.containing(instant), kind.containing(instant, &zone));
            }
        }
    }
}
