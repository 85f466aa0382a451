//! The formulas of `shared/DOMAIN.md` §3 over counts and values already gathered for one period
//! and scope. Every function returns `None` for an empty denominator: "no data" is never 0 %
//! nor 100 %.

use serde::Serialize;

use crate::model::Outcome;
use crate::target::ServiceLevelFormula;

/// The queue counts of §3 for one threshold `T` and short-abandon threshold `S`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QueueTally {
    /// `A`
    pub answered: u32,
    /// `Ab`
    pub abandoned: u32,
    /// Transferred, overflow…: reported, never part of offered.
    pub other: u32,
    /// `A_T`: answered with `wait ≤ T` (inclusive).
    pub answered_within: u32,
    /// `Ab_T`: abandoned with `wait ≤ T`.
    pub abandoned_within: u32,
    /// `Ab_s`: abandoned with `wait < S`.
    pub short_abandons: u32,
    /// Sum of answered waits, for ASA.
    pub answered_wait_secs: f64,
}

impl QueueTally {
    /// Counts one contact whose outcome and wait are known.
    pub fn add(
        &mut self,
        outcome: Outcome,
        wait_secs: f64,
        threshold_secs: f64,
        short_abandon_secs: f64,
    ) {
        match outcome {
            Outcome::Answered => {
                self.answered += 1;
                self.answered_wait_secs += wait_secs;
                // Added rather than branched on: whether a wait is within T is as good as a
                // coin toss to a processor's branch predictor.
                self.answered_within += u32::from(wait_secs <= threshold_secs);
            }
            Outcome::Abandoned => {
                self.abandoned += 1;
                self.abandoned_within += u32::from(wait_secs <= threshold_secs);
                self.short_abandons += u32::from(wait_secs < short_abandon_secs);
            }
            Outcome::Other => self.other += 1,
        }
    }

    /// `O = A + Ab`.
    pub fn offered(&self) -> u32 {
        self.answered + self.abandoned
    }
}

/// What a ratio metric divides: `part / whole`, a share (× 100) or a mean. Kept apart rather
/// than divided at once, so periods and scopes recombine exactly (`Σ part / Σ whole`) and the
/// explanation can show both.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Ratio {
    pub part: f64,
    pub whole: f64,
}

impl Ratio {
    pub fn of(part: u32, whole: u32) -> Ratio {
        Ratio {
            part: f64::from(part),
            whole: f64::from(whole),
        }
    }

    /// `part / whole` as a percentage, `None` for an empty whole.
    pub fn percent(&self) -> Option<f64> {
        (self.whole > 0.0).then(|| self.part * 100.0 / self.whole)
    }

    /// `part / whole`, `None` for an empty whole.
    pub fn mean(&self) -> Option<f64> {
        (self.whole > 0.0).then(|| self.part / self.whole)
    }
}

/// Service level "X % in T s" under `formula` (§3); its percentage is 0 to 100.
pub fn service_level(tally: &QueueTally, formula: ServiceLevelFormula) -> Ratio {
    let t = tally;
    match formula {
        ServiceLevelFormula::Offered => {
            Ratio::of(t.answered_within, t.offered() - t.short_abandons)
        }
        ServiceLevelFormula::Answered => Ratio::of(t.answered_within, t.answered),
        ServiceLevelFormula::AbandonsNeutral => {
            Ratio::of(t.answered_within, t.offered() - t.abandoned_within)
        }
        ServiceLevelFormula::AbandonsPositive => {
            Ratio::of(t.answered_within + t.abandoned_within, t.offered())
        }
    }
}

/// Average speed of answer (§3): total wait of answered contacts over answered; its mean is in
/// seconds.
pub fn average_speed_of_answer(tally: &QueueTally) -> Ratio {
    Ratio {
        part: tally.answered_wait_secs,
        whole: f64::from(tally.answered),
    }
}

/// Abandonment rate `(Ab − Ab_s) / (O − Ab_s)` (§3).
pub fn abandonment_rate(tally: &QueueTally) -> Ratio {
    Ratio::of(
        tally.abandoned - tally.short_abandons,
        tally.offered() - tally.short_abandons,
    )
}

/// The 1-based nearest rank of percentile `p` among `count` values: `⌈p/100 · n⌉`, at least 1.
pub fn nearest_rank(percentile: f64, count: usize) -> usize {
    ((percentile / 100.0 * count as f64).ceil() as usize).clamp(1, count.max(1))
}

/// Wait percentile by nearest rank (§3): the smallest `w` such that at least `p` % of the
/// values are `≤ w`. Reorders `values` in place: the value at the rank is selected, not the
/// whole slice sorted (linear time; a sort was a tenth of a million-contact report).
pub fn percentile_nearest_rank(values: &mut [f64], percentile: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let rank = nearest_rank(percentile, values.len());
    let (_, value, _) = values.select_nth_unstable_by(rank - 1, f64::total_cmp);
    Some(*value)
}

/// The lowest score that counts as top box (§3): the top two boxes on 1–5, otherwise the boxes
/// that lie wholly inside the top 40 % of the scale (1–10: 7 to 10; 0–10: 7 to 10).
pub fn top_box_floor([lowest, highest]: [f64; 2]) -> f64 {
    let boxes = (highest - lowest + 1.0) as u64;
    let top_boxes = (boxes * 2 / 5).max(1);
    highest - top_boxes as f64 + 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The five-formula comparison of DOMAIN §3 (ICMI, Call Centre Helper): 1 000 answered,
    /// 60 abandoned, 860 answered ≤ 20 s, 20 abandoned ≤ 20 s, 10 abandoned < 5 s.
    fn icmi(short_abandons: u32) -> QueueTally {
        QueueTally {
            answered: 1000,
            abandoned: 60,
            other: 0,
            answered_within: 860,
            abandoned_within: 20,
            short_abandons,
            answered_wait_secs: 0.0,
        }
    }

    fn rounded(ratio: Ratio) -> f64 {
        (ratio.percent().unwrap() * 10.0).round() / 10.0
    }

    #[test]
    fn icmi_worked_example_in_all_five_forms() {
        use ServiceLevelFormula::*;
        assert_eq!(rounded(service_level(&icmi(0), AbandonsPositive)), 83.0);
        assert_eq!(rounded(service_level(&icmi(0), Answered)), 86.0);
        assert_eq!(rounded(service_level(&icmi(0), Offered)), 81.1);
        assert_eq!(rounded(service_level(&icmi(0), AbandonsNeutral)), 82.7);
        assert_eq!(rounded(service_level(&icmi(10), Offered)), 81.9);
    }

    #[test]
    fn genesys_example_with_ten_second_short_abandons() {
        // 200 answered in threshold, 100 later, 50 abandoned under 10 s, 50 later, S = 10 s:
        // 200 / (400 − 50) = 57.14 %.
        let tally = QueueTally {
            answered: 300,
            abandoned: 100,
            answered_within: 200,
            short_abandons: 50,
            ..QueueTally::default()
        };
        let level = service_level(&tally, ServiceLevelFormula::Offered)
            .percent()
            .unwrap();
        assert!((level - 57.142_857).abs() < 1e-4, "{level}");
    }

    #[test]
    fn thresholds_are_inclusive_and_short_abandons_strict() {
        let mut tally = QueueTally::default();
        tally.add(Outcome::Answered, 20.0, 20.0, 5.0);
        tally.add(Outcome::Answered, 20.5, 20.0, 5.0);
        tally.add(Outcome::Abandoned, 5.0, 20.0, 5.0);
        tally.add(Outcome::Abandoned, 4.9, 20.0, 5.0);
        tally.add(Outcome::Other, 1.0, 20.0, 5.0);
        assert_eq!(
            (
                tally.answered_within,
                tally.abandoned_within,
                tally.short_abandons,
                tally.other
            ),
            (1, 2, 1, 1)
        );
        // Abandonment (Ab − Ab_s) / (O − Ab_s) = (2 − 1) / (4 − 1).
        assert!((abandonment_rate(&tally).percent().unwrap() - 100.0 / 3.0).abs() < 1e-12);
        assert_eq!(average_speed_of_answer(&tally).mean(), Some(20.25));
    }

    #[test]
    fn empty_denominators_are_no_data() {
        let nothing = QueueTally::default();
        for formula in [
            ServiceLevelFormula::Offered,
            ServiceLevelFormula::Answered,
            ServiceLevelFormula::AbandonsNeutral,
            ServiceLevelFormula::AbandonsPositive,
        ] {
            assert_eq!(service_level(&nothing, formula).percent(), None);
        }
        assert_eq!(average_speed_of_answer(&nothing).mean(), None);
        assert_eq!(abandonment_rate(&nothing).percent(), None);
        assert_eq!(percentile_nearest_rank(&mut [], 90.0), None);
        // Every abandon short: no denominator left.
        let all_short = QueueTally {
            abandoned: 3,
            short_abandons: 3,
            ..QueueTally::default()
        };
        assert_eq!(abandonment_rate(&all_short).percent(), None);
    }

    #[test]
    fn nearest_rank_percentile_is_a_value_of_the_data() {
        // p90 of 10 waits is the 9th smallest; p50 of 4 is the 2nd; p100 the largest.
        let mut waits = [5.0, 1.0, 9.0, 3.0, 7.0, 2.0, 8.0, 4.0, 6.0, 10.0];
        assert_eq!(percentile_nearest_rank(&mut waits, 90.0), Some(9.0));
        assert_eq!(
            percentile_nearest_rank(&mut [4.0, 1.0, 3.0, 2.0], 50.0),
            Some(2.0)
        );
        assert_eq!(percentile_nearest_rank(&mut [4.0, 1.0], 100.0), Some(4.0));
        assert_eq!(percentile_nearest_rank(&mut [4.0, 1.0], 1.0), Some(1.0));
    }

    #[test]
    fn top_box_is_four_and_five_on_one_to_five() {
        assert_eq!(top_box_floor([1.0, 5.0]), 4.0);
        assert_eq!(top_box_floor([1.0, 10.0]), 7.0);
        assert_eq!(top_box_floor([0.0, 10.0]), 7.0);
    }
}
