//! Exclusions (DOMAIN §5): contacts removed before any metric, each removal counted with its
//! reason — agreed windows, and intervals or days whose volume ran above forecast.

use serde::Serialize;

use crate::measure::Placed;
use crate::report::{group, Grouping};
use crate::source::Countable;
use crate::terms::Terms;
use crate::text::{count, round_for_text};
use crate::zone::Zone;

/// Why contacts were excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum ExclusionKind {
    /// An agreed window: force majeure, a client-system outage, maintenance.
    Window,
    /// Offered volume above `forecast × (1 + spike)`.
    VolumeAboveForecast,
}

/// One reason for exclusion and the contacts it removed from the whole dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExclusionSummary {
    pub kind: ExclusionKind,
    pub reason: String,
    pub contacts: u32,
    /// When it applied: the window, or each interval or day above forecast with its volumes.
    pub detail: Vec<String>,
}

/// Which contacts are excluded, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusions {
    /// Per contact (in dataset order), the index of its reason in `summaries`.
    pub reason_of: Vec<Option<u16>>,
    pub summaries: Vec<ExclusionSummary>,
}

/// Finds the excluded contacts. A contact in a window is excluded for the first window that
/// holds it; volume above forecast then excludes the rest of its interval or day. The volume
/// compared is every offered contact of the interval or day, windows or not: the forecast is of
/// arrivals, not of what the contract counts. `forecast_periods` are the contacts grouped by the
/// forecast's period where a report has them grouped already (else they are grouped here).
pub fn find_exclusions<U: Countable>(
    contacts: Placed<U>,
    terms: &Terms,
    forecast_periods: Option<&Grouping>,
) -> Exclusions {
    let mut reason_of = vec![None; contacts.units().len()];
    let mut summaries: Vec<ExclusionSummary> = terms
        .exclusions
        .iter()
        .map(|window| ExclusionSummary {
            kind: ExclusionKind::Window,
            reason: window.reason.clone(),
            contacts: 0,
            detail: vec![format!(
                "{} → {}",
                local_label(window.span.start, &terms.zone),
                local_label(window.span.end, &terms.zone)
            )],
        })
        .collect();
    // Without windows, no contact is looked at (a million of them are a pass of milliseconds).
    let windows = (!terms.exclusions.is_empty()).then_some(contacts.iter());
    for (located, reason) in windows.into_iter().flatten().zip(reason_of.iter_mut()) {
        if let Some(index) = terms
            .exclusions
            .iter()
            .position(|window| window.span.contains(located.arrived))
        {
            *reason = Some(index as u16);
            summaries[index].contacts += located.unit.contacts();
        }
    }

    if let Some(forecast) = &terms.forecast {
        // Grouped by runs of contacts in one period's span, as a report groups them: a period
        // found and a map entry taken per contact made a forecast edit of a million contacts
        // 71 ms in Chromium by day, 175 ms by half hour.
        let grouped;
        let periods = match forecast_periods {
            Some(periods) => periods,
            None => {
                grouped = group(contacts.arrivals(), forecast.per, &terms.zone);
                &grouped
            }
        };
        let spike_index = summaries.len() as u16;
        let mut spike = ExclusionSummary {
            kind: ExclusionKind::VolumeAboveForecast,
            reason: format!(
                "volume above forecast + {} %",
                round_for_text(forecast.spike_percent, 1)
            ),
            contacts: 0,
            detail: Vec::new(),
        };
        for (period, members) in periods {
            let Some(&expected) = forecast.volumes.get(period) else {
                continue;
            };
            let volume: u32 = members
                .iter()
                .map(|&member| contacts.units()[member as usize].offered())
                .sum();
            if f64::from(volume) > expected * (1.0 + forecast.spike_percent / 100.0) {
                spike.detail.push(format!(
                    "{}: {} offered vs {} forecast",
                    period.label(),
                    count(volume),
                    round_for_text(expected, 1)
                ));
                for &member in members {
                    let member = member as usize;
                    if reason_of[member].is_none() {
                        reason_of[member] = Some(spike_index);
                        spike.contacts += contacts.units()[member].contacts();
                    }
                }
            }
        }
        summaries.push(spike);
    }
    Exclusions {
        reason_of,
        summaries,
    }
}

/// Adds to each window's detail where it cuts an interval of an interval report (of
/// `interval_minutes`, cut on the agreement's wall clock): a row is excluded whole when it starts
/// in the window and counted whole otherwise, since it holds no contact's own arrival.
pub fn note_cut_intervals(exclusions: &mut Exclusions, terms: &Terms, interval_minutes: u32) {
    use chrono::Timelike;
    let seconds = interval_minutes.max(1) * 60;
    let inside = |instant| {
        let local = terms.zone.local(instant);
        local.num_seconds_from_midnight() % seconds != 0
    };
    for (window, summary) in terms.exclusions.iter().zip(&mut exclusions.summaries) {
        let cut: Vec<String> = [window.span.start, window.span.end]
            .into_iter()
            .filter(|&edge| inside(edge))
            .map(|edge| local_label(edge, &terms.zone))
            .collect();
        if !cut.is_empty() {
            summary.detail.push(format!(
                "{} inside the report's {interval_minutes}-minute intervals: an interval is excluded whole when it starts in the window, counted whole otherwise",
                cut.join(" and ")
            ));
        }
    }
}

fn local_label(instant: chrono::DateTime<chrono::Utc>, zone: &Zone) -> String {
    zone.local(instant).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::arrivals_in;
    use crate::model::{Contact, Outcome};
    use crate::terms::RawTerms;
    use crate::values::Timestamp;
    use chrono::{DateTime, TimeZone, Utc};

    fn answered_at(day: u32, hour: u32, minute: u32) -> Contact {
        let mut contact = Contact::arriving(Timestamp::Exact(
            Utc.with_ymd_and_hms(2026, 9, day, hour, minute, 0).unwrap(),
        ));
        contact.outcome = Some(Outcome::Answered);
        contact.wait_secs = Some(1.0).into();
        contact
    }

    fn arrived(contacts: &[Contact]) -> Vec<DateTime<Utc>> {
        arrivals_in(contacts, &Zone::default())
    }

    #[test]
    fn a_window_holds_its_start_but_not_its_end() {
        let terms = RawTerms::from_json(
            r#"{"exclusions":[{"start":"2026-09-14T09:00","end":"2026-09-14T11:00","reason":"CRM outage"}],"targets":[]}"#,
        )
        .unwrap()
        .validate()
        .unwrap();
        let contacts = [
            answered_at(14, 8, 59),
            answered_at(14, 9, 0),
            answered_at(14, 10, 59),
            answered_at(14, 11, 0),
        ];
        let arrived = arrived(&contacts);
        let exclusions = find_exclusions(Placed::new(&contacts, &arrived), &terms, None);
        assert_eq!(
            exclusions.reason_of,
            [None, Some(0), Some(0), None],
            "{arrived:?}"
        );
        assert_eq!(exclusions.summaries[0].contacts, 2);
        assert_eq!(
            exclusions.summaries[0].detail,
            ["2026-09-14 09:00 → 2026-09-14 11:00"]
        );
    }

    #[test]
    fn a_day_above_forecast_plus_spike_is_excluded_whole() {
        // Forecast 2 per day, spike 50 %: 3 offered is not above 3.0; 4 is.
        let terms = RawTerms::from_json(
            r#"{"forecast":{"per":"day","spikePercent":50,"volumes":[
                 {"start":"2026-09-01","contacts":2},{"start":"2026-09-02","contacts":2}]},"targets":[]}"#,
        )
        .unwrap()
        .validate()
        .unwrap();
        let mut contacts: Vec<Contact> = (0..3).map(|m| answered_at(1, 9, m)).collect();
        contacts.extend((0..4).map(|m| answered_at(2, 9, m)));
        contacts.push(answered_at(3, 9, 0));
        let exclusions = find_exclusions(Placed::new(&contacts, &arrived(&contacts)), &terms, None);
        let excluded = exclusions
            .reason_of
            .iter()
            .filter(|reason| reason.is_some())
            .count();
        assert_eq!(excluded, 4);
        assert_eq!(
            exclusions.summaries[0].reason,
            "volume above forecast + 50 %"
        );
        assert_eq!(
            exclusions.summaries[0].detail,
            ["2026-09-02: 4 offered vs 2 forecast"]
        );
    }
}
