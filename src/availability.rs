//! Availability (DOMAIN §3): `(scheduled − outage) / scheduled` over a period, outages clipped
//! to the schedule, agreed maintenance removed from both.

use crate::calendar::BusinessCalendar;
use crate::measure::Measurement;
use crate::metrics::Ratio;
use crate::target::Unit;
use crate::terms::{Availability, Schedule, Window};
use crate::text::round_for_text;
use crate::timespan::{intersect, merge, subtract, total_seconds, Span};
use crate::zone::Zone;

/// Availability over `period` under `terms`; the calendar is the terms' business hours.
pub fn measure_availability(
    period: Span,
    terms: &Availability,
    calendar: Option<&BusinessCalendar>,
    zone: &Zone,
) -> Measurement {
    let scheduled = match (terms.schedule, calendar) {
        (Schedule::BusinessHours, Some(calendar)) => {
            calendar.open_spans(period.start, period.end, zone)
        }
        _ => vec![period],
    };
    let spans = |windows: &[Window]| merge(windows.iter().map(|window| window.span).collect());
    let scheduled = subtract(&scheduled, &spans(&terms.maintenance));
    let outage = intersect(&spans(&terms.outages), &scheduled);
    let (scheduled_secs, outage_secs) = (total_seconds(&scheduled), total_seconds(&outage));
    let ratio = Ratio {
        part: scheduled_secs - outage_secs,
        whole: scheduled_secs,
    };
    let actual = ratio.percent();
    let hours = |seconds: f64| format!("{} h", round_for_text(seconds / 3600.0, 2));
    let calculation = format!(
        "({} scheduled − {} outage) ÷ {} scheduled",
        hours(scheduled_secs),
        hours(outage_secs),
        hours(scheduled_secs)
    );
    Measurement {
        ratio: Some(ratio),
        calculation: match actual {
            Some(value) => format!("{calculation} = {}", Unit::Percent.format(value)),
            None => format!("{calculation}: nothing scheduled in the period"),
        },
        actual,
        unknown_because: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone, Utc};

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap()
    }

    fn window(from: DateTime<Utc>, to: DateTime<Utc>) -> Window {
        Window {
            span: Span::new(from, to),
            reason: String::new(),
        }
    }

    #[test]
    fn outages_count_only_inside_the_schedule_and_maintenance_is_removed_from_both() {
        // Schedule: Monday 2 March 2026, 09:00–17:00 (8 h); maintenance 12:00–13:00 leaves 7 h.
        // Outage 08:00–10:00 counts 1 h (from opening); outage 12:30–13:30 counts 30 min
        // (its first half is maintenance).
        let mut calendar = BusinessCalendar::default();
        calendar.set_hours(0, "09:00-17:00").unwrap();
        let terms = Availability {
            schedule: Schedule::BusinessHours,
            outages: vec![
                window(at(2, 8), at(2, 10)),
                window(
                    at(2, 12) + chrono::Duration::minutes(30),
                    at(2, 13) + chrono::Duration::minutes(30),
                ),
            ],
            maintenance: vec![window(at(2, 12), at(2, 13))],
        };
        let day = Span::new(at(2, 0), at(3, 0));
        let measured = measure_availability(day, &terms, Some(&calendar), &Zone::default());
        let expected = (7.0 - 1.5) / 7.0 * 100.0;
        assert!((measured.actual.unwrap() - expected).abs() < 1e-9);
        assert_eq!(
            measured.calculation,
            "(7 h scheduled − 1.5 h outage) ÷ 7 h scheduled = 78.6 %"
        );
    }

    #[test]
    fn around_the_clock_and_nothing_scheduled() {
        let terms = Availability {
            schedule: Schedule::Always,
            outages: vec![window(at(2, 0), at(2, 6))],
            maintenance: vec![],
        };
        let day = Span::new(at(2, 0), at(3, 0));
        assert_eq!(
            measure_availability(day, &terms, None, &Zone::default()).actual,
            Some(75.0)
        );
        let closed = BusinessCalendar::default();
        let business = Availability {
            schedule: Schedule::BusinessHours,
            ..terms
        };
        assert_eq!(
            measure_availability(day, &business, Some(&closed), &Zone::default()).actual,
            None
        );
    }
}
