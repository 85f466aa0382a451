//! The agreement's time zone (DOMAIN §2): wall-clock timestamps are read in it and periods are
//! cut in it, so a 23- or 25-hour day is still one day.

use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    Timelike, Utc,
};
use jiff::tz::{AmbiguousOffset, TimeZone as Tz};

use crate::values::Timestamp;

/// An IANA zone (`Europe/Paris`, with its DST rules, from jiff's bundled tz database) or a
/// fixed offset from UTC (`+05:30`).
#[derive(Debug, Clone, PartialEq)]
pub enum Zone {
    Fixed(FixedOffset),
    Named(Tz),
}

impl Default for Zone {
    /// UTC, the agreement's zone when the terms name none (DOMAIN §2).
    fn default() -> Zone {
        Zone::Fixed(Utc.fix())
    }
}

impl Zone {
    /// Reads `UTC`, `Z`, an offset such as `+02:00` or `-0530`, or an IANA name such as
    /// `America/New_York` (exact spelling, as the tz database writes it).
    pub fn parse(text: &str) -> Option<Zone> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("utc") || text == "Z" {
            return Some(Zone::default());
        }
        if let Some(offset) = parse_offset(text) {
            return Some(Zone::Fixed(offset));
        }
        Tz::get(text).ok().map(Zone::Named)
    }

    /// The offset from UTC in force at `instant`.
    pub fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Fixed(offset) => *offset,
            Zone::Named(tz) => {
                let seconds = jiff::Timestamp::from_second(instant.timestamp())
                    .map_or(0, |at| tz.to_offset(at).seconds());
                FixedOffset::east_opt(seconds).unwrap_or(Utc.fix())
            }
        }
    }

    /// The offset in force at `instant`, with the span of seconds since the epoch, `[from,
    /// to)`, over which it stays in force: from the zone's last transition to its next
    /// (unbounded for a fixed offset).
    pub fn offset_span(&self, instant: DateTime<Utc>) -> (FixedOffset, i64, i64) {
        let offset = self.offset_at(instant);
        let Zone::Named(tz) = self else {
            return (offset, i64::MIN, i64::MAX);
        };
        let second = instant.timestamp();
        let transition = |at: Option<jiff::tz::TimeZoneTransition>, unbounded: i64| {
            at.map_or(unbounded, |at| at.timestamp().as_second())
        };
        // `preceding` is strictly before: from the next second, it finds one at `second`.
        let from = jiff::Timestamp::from_second(second.saturating_add(1))
            .ok()
            .map(|next| transition(tz.preceding(next).next(), i64::MIN));
        let to = jiff::Timestamp::from_second(second)
            .ok()
            .map(|at| transition(tz.following(at).next(), i64::MAX));
        match (from, to) {
            (Some(from), Some(to)) => (offset, from, to),
            _ => (offset, second, second.saturating_add(1)),
        }
    }

    /// The wall-clock time at `instant`.
    pub fn local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        instant.naive_utc() + self.offset_at(instant)
    }

    /// The instant a wall-clock time names. A time that occurs twice (the hour repeated when
    /// clocks go back) is its first occurrence; a time that never occurs (skipped when clocks go
    /// forward) is the first instant after the gap — so a day or interval starting inside a gap
    /// starts when the clocks resume.
    // Inlined: a report reads every ticket's milestones in a fixed zone through here (the
    // call was half of placing arrivals in Chromium, when they came through here too); a named
    // zone's lookup stays out of line.
    #[inline]
    pub fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self {
            // UTC, the common case, costs no date arithmetic (a report reads every contact's
            // arrival through here: in wasm the subtraction was a tenth of a report).
            Zone::Fixed(offset) if offset.local_minus_utc() == 0 => local.and_utc(),
            Zone::Fixed(offset) => (local - *offset).and_utc(),
            Zone::Named(tz) => named_instant(tz, local),
        }
    }

    /// The instant of a timestamp as written: exact ones as they are, wall-clock ones read in
    /// this zone.
    pub fn resolve(&self, timestamp: Timestamp) -> DateTime<Utc> {
        match timestamp {
            Timestamp::Exact(instant) => instant,
            Timestamp::WallClock(local) => self.instant(local),
        }
    }

    /// The instant of each of `timestamps`, in order, as [`resolve`](Self::resolve) reads it:
    /// a million contacts' arrivals placed at once. UTC's wall clock is read as it is; any other
    /// zone's a day at a time while they come in time order — a time on the same day as the one
    /// before costs a comparison of dates and a subtraction from the time of day, inline, the
    /// day held where the loop keeps it (placing a million arrivals in Paris through a lookup
    /// of the offset's span, two comparisons of date-times and chrono's offset arithmetic, each
    /// a call, took 13 ms in Chromium: a third of a report after the zone was edited).
    pub fn resolve_all(&self, timestamps: impl Iterator<Item = Timestamp>) -> Vec<DateTime<Utc>> {
        let utc = matches!(self, Zone::Fixed(offset) if offset.local_minus_utc() == 0);
        let mut finder = InstantFinder::new(self);
        let mut day: Option<DayAtOffset> = None;
        timestamps
            .map(|timestamp| match timestamp {
                Timestamp::Exact(instant) => instant,
                Timestamp::WallClock(local) if utc => local.and_utc(),
                Timestamp::WallClock(local) => match day.and_then(|day| day.instant(local)) {
                    Some(instant) => instant,
                    None => {
                        let (instant, local_day) = finder.instant_and_day(local);
                        day = local_day;
                        instant
                    }
                },
            })
            .collect()
    }
}

/// Reads wall-clock times as instants one after another, remembering the wall-clock seconds over
/// which the last offset found holds and names each time once: contacts come mostly in time
/// order, and a time zone lookup each was half of a report in a named zone.
struct InstantFinder<'z> {
    zone: &'z Zone,
    /// The wall-clock times `[from, to)` (whole seconds) and the offset they are read with.
    last: Option<(NaiveDateTime, NaiveDateTime, FixedOffset)>,
    /// Where the clocks skipped forward to `from` of that span, the wall-clock time they
    /// skipped from: the times between are read in that span too.
    skipped_from: Option<NaiveDateTime>,
}

impl<'z> InstantFinder<'z> {
    fn new(zone: &'z Zone) -> InstantFinder<'z> {
        InstantFinder {
            zone,
            last: None,
            skipped_from: None,
        }
    }

    /// The instant `local` names, as [`Zone::instant`] reads it, and the day it falls on when
    /// one offset reads all of that day.
    #[inline(never)]
    fn instant_and_day(&mut self, local: NaiveDateTime) -> (DateTime<Utc>, Option<DayAtOffset>) {
        let instant = self.instant(local);
        let day = self.last.and_then(|(from, to, offset)| {
            let date = local.date();
            let (start, end) = (
                date.and_time(NaiveTime::MIN),
                date.succ_opt()?.and_time(NaiveTime::MIN),
            );
            (from <= start && end <= to)
                .then(|| DayAtOffset::new(date, offset))
                .flatten()
        });
        (instant, day)
    }

    fn instant(&mut self, local: NaiveDateTime) -> DateTime<Utc> {
        // Wall-clock times compared as they are and the offset taken off a time of day: in
        // wasm, seconds since the epoch and chrono's duration arithmetic were each a date's
        // worth of divisions, per contact.
        if let Some((from, to, offset)) = self.last {
            if from <= local && local < to {
                if let Some(instant) = local.checked_sub_offset(offset) {
                    return instant.and_utc();
                }
            }
            // The hour a clock change skips holds as many contacts as the hour after it would
            // (about 500 of the benchmark's million, in Paris): each stepped through the gap a
            // minute at a time was about a twentieth of a report in Chromium.
            let skipped = self
                .skipped_from
                .filter(|&skipped| skipped <= local && local < from);
            if let Some(instant) = skipped.and_then(|_| resumed_instant(local, from, to, offset)) {
                return instant;
            }
        }
        let instant = self.zone.instant(local);
        let (offset, span_from, span_to) = self.zone.offset_span(instant);
        let seconds = i64::from(offset.local_minus_utc());
        // The wall clock the span shows, less the times shown before it too (when clocks went
        // back at its start): those name their first occurrence, in the span before.
        let seconds_before = span_from
            .checked_sub(1)
            .and_then(|second| DateTime::from_timestamp(second, 0))
            .map_or(seconds, |before| {
                i64::from(self.zone.offset_at(before).local_minus_utc())
            });
        let wall_clock = |second: i64, beyond: NaiveDateTime| {
            DateTime::from_timestamp(second, 0).map_or(beyond, |shown| shown.naive_utc())
        };
        self.last = Some((
            wall_clock(
                span_from.saturating_add(seconds.max(seconds_before)),
                NaiveDateTime::MIN,
            ),
            wall_clock(span_to.saturating_add(seconds), NaiveDateTime::MAX),
            offset,
        ));
        self.skipped_from = (seconds_before < seconds)
            .then(|| wall_clock(span_from.saturating_add(seconds_before), NaiveDateTime::MIN));
        instant
    }
}

/// The instant of `local`, a time the clocks skipped going forward to `resumed`, with `offset`
/// from then until `until`: as [`Zone::instant`] steps through a gap, the first time the clocks
/// show a whole number of minutes on. A leap second is left to the zone: chrono's arithmetic
/// does not step it as the zone does.
fn resumed_instant(
    local: NaiveDateTime,
    resumed: NaiveDateTime,
    until: NaiveDateTime,
    offset: FixedOffset,
) -> Option<DateTime<Utc>> {
    const MINUTE_NANOS: i64 = 60_000_000_000;
    if local.nanosecond() >= 1_000_000_000 {
        return None;
    }
    let short_nanos = (resumed - local).num_nanoseconds()?;
    let minutes = (short_nanos + MINUTE_NANOS - 1) / MINUTE_NANOS;
    if minutes > LONGEST_GAP_MINUTES {
        return None;
    }
    let shown = local.checked_add_signed(Duration::minutes(minutes))?;
    (shown < until)
        .then(|| shown.checked_sub_offset(offset))
        .flatten()
        .map(|instant| instant.and_utc())
}

/// A wall-clock day whose every time is read at one offset: an instant is the time of day less
/// the offset, on the day before or after where that crosses midnight.
#[derive(Debug, Clone, Copy)]
struct DayAtOffset {
    date: NaiveDate,
    offset_secs: i32,
    day_before: NaiveDate,
    day_after: NaiveDate,
}

impl DayAtOffset {
    const SECONDS_PER_DAY: i32 = 86_400;

    fn new(date: NaiveDate, offset: FixedOffset) -> Option<DayAtOffset> {
        Some(DayAtOffset {
            date,
            offset_secs: offset.local_minus_utc(),
            day_before: date.pred_opt()?,
            day_after: date.succ_opt()?,
        })
    }

    /// The instant of `local` when it falls on this day: chrono's `checked_sub_offset`, bit for
    /// bit. A leap second that the offset would move off a minute's end is left to it (none).
    #[inline]
    fn instant(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        if local.date() != self.date {
            return None;
        }
        let time = local.time();
        // The time of day is below 86,400 seconds and an offset within ±24 hours: no overflow.
        let second = time.num_seconds_from_midnight() as i32 - self.offset_secs;
        let (date, second) = if second < 0 {
            (self.day_before, second + Self::SECONDS_PER_DAY)
        } else if second >= Self::SECONDS_PER_DAY {
            (self.day_after, second - Self::SECONDS_PER_DAY)
        } else {
            (self.date, second)
        };
        let time = NaiveTime::from_num_seconds_from_midnight_opt(second as u32, time.nanosecond())?;
        Some(date.and_time(time).and_utc())
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Fixed(offset) if offset.local_minus_utc() == 0 => formatter.write_str("UTC"),
            Zone::Fixed(offset) => write!(formatter, "{offset}"),
            Zone::Named(tz) => formatter.write_str(tz.iana_name().unwrap_or("(unnamed zone)")),
        }
    }
}

/// The most minutes [`named_instant`] steps on through a gap (Apia skipped a whole day).
const LONGEST_GAP_MINUTES: i64 = 24 * 60;

/// The instant `local` names in the named zone `tz`, as [`Zone::instant`] reads it.
fn named_instant(tz: &Tz, local: NaiveDateTime) -> DateTime<Utc> {
    (0..=LONGEST_GAP_MINUTES)
        .find_map(|minutes| {
            let local = local + Duration::minutes(minutes);
            let offset = match tz.to_ambiguous_timestamp(civil(local)?).offset() {
                AmbiguousOffset::Unambiguous { offset } => offset,
                AmbiguousOffset::Fold { before, .. } => before,
                AmbiguousOffset::Gap { .. } => return None,
            };
            let offset = FixedOffset::east_opt(offset.seconds())?;
            Some(local.checked_sub_offset(offset)?.and_utc())
        })
        .unwrap_or_else(|| local.and_utc())
}

/// chrono's wall-clock time as jiff's, to the second (periods and hours never need less).
fn civil(local: NaiveDateTime) -> Option<jiff::civil::DateTime> {
    let narrow = |value: u32| i8::try_from(value).ok();
    jiff::civil::DateTime::new(
        i16::try_from(local.year()).ok()?,
        narrow(local.month())?,
        narrow(local.day())?,
        narrow(local.hour())?,
        narrow(local.minute())?,
        narrow(local.second())?,
        0,
    )
    .ok()
}

/// `+02:00`, `-05:30`, `+0200`, `UTC+02:00`.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let text = text
        .strip_prefix("UTC")
        .or_else(|| text.strip_prefix("GMT"))
        .unwrap_or(text);
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    if hours > 18 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    /// Asserts that `zone` reads `timestamps` at once as it reads each alone.
    pub(super) fn assert_read_at_once_as_alone(zone: &Zone, timestamps: &[Timestamp]) {
        let at_once = zone.resolve_all(timestamps.iter().copied());
        assert_eq!(at_once.len(), timestamps.len());
        for (&timestamp, instant) in timestamps.iter().zip(at_once) {
            assert_eq!(instant, zone.resolve(timestamp), "{timestamp:?} in {zone}");
        }
    }

    #[test]
    fn wall_clock_times_read_at_once_through_both_clock_changes_as_each_alone() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        let mut timestamps = Vec::new();
        // Through both changes of 2026, forwards and backwards: 02:00–03:00 skipped on 29
        // March, 02:00–03:00 twice on 25 October (backwards, 02:59 comes right after 03:00 of
        // the later offset, and is still the first 02:59).
        for day in [
            NaiveDate::from_ymd_opt(2026, 3, 28).unwrap(),
            NaiveDate::from_ymd_opt(2026, 10, 24).unwrap(),
        ] {
            // Steps of 37.25 s: times within the skipped hour on and off the minute.
            let steps = 0..3 * 24 * 3600 * 4 / 149;
            for step in steps.clone().chain(steps.rev()) {
                let local =
                    day.and_hms_opt(0, 0, 0).unwrap() + Duration::milliseconds(step * 37_250);
                timestamps.push(Timestamp::WallClock(local));
            }
        }
        assert_read_at_once_as_alone(&paris, &timestamps);
    }

    #[test]
    fn a_leap_second_the_clocks_skipped_is_read_at_once_as_alone() {
        // Apia skipped 30 December 2011; Paris skips 02:00-03:00 on 29 March 2026. Each leap
        // second is read first, then after another time the clocks skipped.
        for (zone, day, skipped, hour_minutes) in [
            (
                "Pacific/Apia",
                (2011, 12, 30),
                (12, 0),
                [(0, 0), (0, 1), (23, 59)],
            ),
            (
                "Europe/Paris",
                (2026, 3, 29),
                (2, 0),
                [(2, 0), (2, 30), (2, 59)],
            ),
        ] {
            let zone = Zone::parse(zone).unwrap();
            let day = NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap();
            for (hour, minute) in hour_minutes {
                let leap = day
                    .and_hms_nano_opt(hour, minute, 59, 1_500_000_000)
                    .unwrap();
                let skipped = day.and_hms_opt(skipped.0, skipped.1, 1).unwrap();
                assert_read_at_once_as_alone(&zone, &[Timestamp::WallClock(leap)]);
                assert_read_at_once_as_alone(
                    &zone,
                    &[Timestamp::WallClock(skipped), Timestamp::WallClock(leap)],
                );
            }
        }
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn zones_are_read_by_name_offset_or_utc() {
        assert_eq!(Zone::parse("UTC"), Some(Zone::default()));
        assert_eq!(
            Zone::parse("Europe/Paris").unwrap().to_string(),
            "Europe/Paris"
        );
        assert_eq!(Zone::parse("+05:30").unwrap().to_string(), "+05:30");
        assert_eq!(Zone::parse("UTC-0300").unwrap().to_string(), "-03:00");
        assert_eq!(Zone::parse("Mars/Olympus"), None);
        assert_eq!(Zone::parse("+25:00"), None);
    }

    #[test]
    fn fixed_zones_read_wall_clock_times_by_their_offset() {
        let nine = local(2026, 1, 15, 9, 0);
        assert_eq!(
            Zone::default().instant(nine),
            Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).unwrap()
        );
        assert_eq!(
            Zone::parse("-03:00").unwrap().instant(nine),
            Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap()
        );
    }

    #[test]
    fn wall_clock_times_follow_daylight_saving() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(
            paris.instant(local(2026, 1, 15, 9, 0)),
            Utc.with_ymd_and_hms(2026, 1, 15, 8, 0, 0).unwrap()
        );
        assert_eq!(
            paris.instant(local(2026, 7, 15, 9, 0)),
            Utc.with_ymd_and_hms(2026, 7, 15, 7, 0, 0).unwrap()
        );
        // 29 March 2026, 02:30 does not exist in Paris: it is read as 03:00 CEST (01:00 UTC).
        assert_eq!(
            paris.instant(local(2026, 3, 29, 2, 30)),
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap()
        );
        // 25 October 2026, 02:30 happens twice: the first (CEST, 00:30 UTC) is taken.
        assert_eq!(
            paris.instant(local(2026, 10, 25, 2, 30)),
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
        assert_eq!(
            paris.local(Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap()),
            local(2026, 10, 25, 2, 30)
        );
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod finder_agrees {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Timestamps read at once (through remembered spans, gaps and days) are read as each
        /// alone: in the hour that repeats (its first occurrence), in the hour skipped, in zones
        /// that change at midnight, by half an hour, or skipped a whole day (Apia, 2011-12-30),
        /// at offsets of whole seconds (Paris's mean time until 1911), on a leap second, among
        /// exact ones.
        #[test]
        fn timestamps_read_at_once_are_read_as_each_alone(
            zone in prop::sample::select(vec![
                "+05:30", "-03:00", "UTC", "Europe/Paris", "America/Sao_Paulo",
                "Australia/Lord_Howe", "America/St_Johns", "Asia/Beirut", "Pacific/Apia",
                "America/New_York",
            ]),
            start in prop_oneof![
                1_262_304_000i64..1_800_000_000,
                -2_000_000_000i64..-1_800_000_000,
            ],
            steps in prop::collection::vec(
                (-2_000i64..40_000, any::<bool>(), prop::bool::weighted(0.05)),
                1..300,
            ),
        ) {
            let zone = Zone::parse(zone).unwrap();
            let mut second = start;
            let mut timestamps = Vec::new();
            for (step, leap, exact) in steps {
                second += step;
                let shown = DateTime::from_timestamp(second, 500_000_000).unwrap();
                // A leap second is written as the 60th second of a minute's last.
                let local = match leap {
                    true => shown
                        .naive_utc()
                        .with_second(59)
                        .and_then(|last| last.with_nanosecond(1_500_000_000))
                        .unwrap(),
                    false => shown.naive_utc(),
                };
                timestamps.push(match exact {
                    true => Timestamp::Exact(shown),
                    false => Timestamp::WallClock(local),
                });
            }
            tests::assert_read_at_once_as_alone(&zone, &timestamps);
        }
    }
}
