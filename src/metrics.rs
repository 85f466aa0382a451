//! The metrics of `shared/DOMAIN.md` §3 over one period's contacts. Every function returns
//! `None` for an empty denominator: "no data" is never 0 % nor 100 %.

use crate::model::{Contact, Outcome};

/// Counts of a queue over some contacts; offered `O = A + Ab`, other outcomes apart (§3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueCounts {
    pub answered: u32,
    pub abandoned: u32,
    /// Transferred, overflow…: reported, never part of offered.
    pub other: u32,
}

impl QueueCounts {
    pub fn of<'a>(contacts: impl IntoIterator<Item = &'a Contact>) -> QueueCounts {
        let mut counts = QueueCounts::default();
        for contact in contacts {
            match contact.outcome {
                Outcome::Answered => counts.answered += 1,
                Outcome::Abandoned => counts.abandoned += 1,
                Outcome::Other => counts.other += 1,
            }
        }
        counts
    }

    pub fn offered(&self) -> u32 {
        self.answered + self.abandoned
    }
}

/// Service level "X % in T s" with the `offered` formula and no short abandons (§3):
/// `A_T / (A + Ab)`, the threshold inclusive (`wait ≤ T`). A percentage, 0 to 100.
pub fn service_level<'a>(
    contacts: impl IntoIterator<Item = &'a Contact>,
    threshold_secs: f64,
) -> Option<f64> {
    let mut offered = 0u32;
    let mut answered_within = 0u32;
    for contact in contacts {
        match contact.outcome {
            Outcome::Answered => {
                offered += 1;
                if contact.wait_secs <= threshold_secs {
                    answered_within += 1;
                }
            }
            Outcome::Abandoned => offered += 1,
            Outcome::Other => {}
        }
    }
    percentage(answered_within, offered)
}

/// Average speed of answer: mean `wait` of answered contacts, in seconds (§3).
pub fn average_speed_of_answer<'a>(contacts: impl IntoIterator<Item = &'a Contact>) -> Option<f64> {
    let (sum, count) = contacts
        .into_iter()
        .filter(|contact| contact.outcome == Outcome::Answered)
        .fold((0.0, 0u32), |(sum, count), contact| {
            (sum + contact.wait_secs, count + 1)
        });
    (count > 0).then(|| sum / f64::from(count))
}

/// Abandonment rate `Ab / O` as a percentage, with no short abandons (§3).
pub fn abandonment_rate(counts: &QueueCounts) -> Option<f64> {
    percentage(counts.abandoned, counts.offered())
}

fn percentage(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) * 100.0 / f64::from(whole))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn contact(wait_secs: f64, outcome: Outcome) -> Contact {
        Contact {
            arrived: Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
            wait_secs,
            outcome,
        }
    }

    #[test]
    fn service_level_threshold_is_inclusive_and_abandons_count_against() {
        // DOMAIN §3, `offered` with S = 0: A_T / (A + Ab). Answered at 20 s meets "in 20 s".
        let contacts = [
            contact(20.0, Outcome::Answered),
            contact(20.5, Outcome::Answered),
            contact(3.0, Outcome::Answered),
            contact(5.0, Outcome::Abandoned),
            contact(0.0, Outcome::Other),
        ];
        assert_eq!(service_level(&contacts, 20.0), Some(50.0));
    }

    #[test]
    fn icmi_worked_example_offered_formula_gives_81_1_percent() {
        // DOMAIN §3: 1 000 answered (860 within 20 s), 60 abandoned → 860 / 1060 = 81.13 %.
        let mut contacts = Vec::new();
        contacts.extend((0..860).map(|_| contact(10.0, Outcome::Answered)));
        contacts.extend((0..140).map(|_| contact(45.0, Outcome::Answered)));
        contacts.extend((0..60).map(|_| contact(30.0, Outcome::Abandoned)));
        let level = service_level(&contacts, 20.0).unwrap();
        assert!((level - 81.132_075_471_698_1).abs() < 1e-9, "{level}");
    }

    #[test]
    fn empty_denominators_are_no_data() {
        let others = [contact(1.0, Outcome::Other)];
        assert_eq!(service_level(&others, 20.0), None);
        assert_eq!(average_speed_of_answer(&others), None);
        assert_eq!(abandonment_rate(&QueueCounts::of(&others)), None);
    }

    #[test]
    fn asa_averages_answered_waits_only() {
        let contacts = [
            contact(10.0, Outcome::Answered),
            contact(20.0, Outcome::Answered),
            contact(600.0, Outcome::Abandoned),
        ];
        assert_eq!(average_speed_of_answer(&contacts), Some(15.0));
    }

    #[test]
    fn abandonment_rate_is_abandoned_over_offered() {
        let counts = QueueCounts {
            answered: 94,
            abandoned: 6,
            other: 7,
        };
        assert_eq!(counts.offered(), 100);
        assert_eq!(abandonment_rate(&counts), Some(6.0));
    }
}
