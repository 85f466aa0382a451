//! How long contacts waited: the cumulative distribution (CDF) of answered waits and of the time
//! to abandon, over every contact the report counts (all periods, after exclusions), with the
//! service-level threshold marked. It is what a workforce planner reads to see how far a
//! stricter threshold would move the service level.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::exclusions::Exclusions;
use crate::measure::EdgeTally;
use crate::metrics::nearest_rank;
use crate::runs::runs_of;
use crate::source::Countable;
use crate::target::Metric;
use crate::terms::Terms;

/// Points per curve at most: enough for a smooth line, few enough for a light chart.
const MAX_POINTS: usize = 200;

/// The two wait curves and the threshold they are read against.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WaitDistribution {
    /// The first service-level target's threshold; `null` when the terms have none.
    pub threshold_secs: Option<f64>,
    pub answered: WaitCurve,
    pub abandoned: WaitCurve,
    /// The chart of every contact, none left out, where this one leaves some out and was read
    /// from it: the chart after the next edit of the exclusions is read from it in turn.
    #[serde(skip)]
    of_all: Option<Arc<WaitDistribution>>,
}

/// The cumulative share of one kind of contact by wait.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WaitCurve {
    /// Contacts of this kind with a known wait.
    pub contacts: u32,
    /// `[seconds, percent]`: the percent of these contacts that waited `seconds` or less, in
    /// increasing order; the last point is the longest wait at 100 %.
    pub points: Vec<[f64; 2]>,
    /// The percent that waited no longer than the threshold (inclusive, as DOMAIN §3 counts
    /// "within T"); `null` without a threshold or without contacts.
    pub within_threshold_percent: Option<f64>,
    /// Median and 90th percentile by nearest rank; `null` without contacts, and for counts at
    /// edges, which give a percentile's verdict at an edge but not its value between them.
    pub median_secs: Option<f64>,
    pub p90_secs: Option<f64>,
    /// The points are an interval report's counts within its edges: exact at each edge,
    /// unknown between them, and short of 100 % when waits run past the last edge.
    pub counted_at_edges: bool,
    /// Every distinct wait with how many waited it or less, kept (shared, not copied, when the
    /// report is) so that a new threshold is read from them without a pass over the contacts;
    /// empty for counts at edges, whose points hold every edge.
    #[serde(skip)]
    runs: Arc<[(f64, u64)]>,
}

impl WaitDistribution {
    /// The same distribution read against `threshold_secs`: what a new service-level threshold
    /// changes of it, without a pass over the contacts.
    pub fn at_threshold(&self, threshold_secs: Option<f64>) -> WaitDistribution {
        WaitDistribution {
            threshold_secs,
            answered: self.answered.at_threshold(threshold_secs),
            abandoned: self.abandoned.at_threshold(threshold_secs),
            of_all: self.of_all.clone(),
        }
    }

    /// The chart of every contact, none left out: this one when the terms it was made under
    /// excluded none (`made_excluding_none`), else the one it was read from, if it was.
    pub fn of_all(&self, made_excluding_none: bool) -> Option<&WaitDistribution> {
        match made_excluding_none {
            true => Some(self),
            false => self.of_all.as_deref(),
        }
    }
}

impl WaitCurve {
    fn at_threshold(&self, threshold_secs: Option<f64>) -> WaitCurve {
        let within_threshold_percent = if self.counted_at_edges {
            threshold_at_edges(&self.points, self.contacts, threshold_secs)
        } else {
            threshold_in_runs(&self.runs, threshold_secs)
        };
        WaitCurve {
            within_threshold_percent,
            ..self.clone()
        }
    }
}

/// The wait distribution of `units` under `terms`, leaving out the excluded ones (the report's
/// own exclusions, so nothing is resolved twice).
pub fn wait_distribution<U: Countable>(
    units: &[U],
    exclusions: &Exclusions,
    terms: &Terms,
) -> WaitDistribution {
    let threshold_secs = chart_threshold(terms);
    if !U::SINGLE_WAITS {
        let (mut answered, mut abandoned) = (EdgeTally::default(), EdgeTally::default());
        for (unit, reason) in units.iter().zip(&exclusions.reason_of) {
            if reason.is_none() {
                unit.add_edge_counts(&mut answered, &mut abandoned);
            }
        }
        return WaitDistribution {
            threshold_secs,
            answered: curve_at_edges(&answered, threshold_secs),
            abandoned: curve_at_edges(&abandoned, threshold_secs),
            of_all: None,
        };
    }
    let mut answered = Vec::new();
    let mut abandoned = Vec::new();
    for (unit, reason) in units.iter().zip(&exclusions.reason_of) {
        if reason.is_none() {
            unit.add_wait_samples(&mut answered, &mut abandoned);
        }
    }
    WaitDistribution {
        threshold_secs,
        answered: curve(answered, threshold_secs),
        abandoned: curve(abandoned, threshold_secs),
        of_all: None,
    }
}

/// The wait chart of `units` leaving out the excluded ones, read from `of_all`, their chart with
/// none left out: its runs of equal waits, less the excluded contacts' waits. An exclusion
/// window over a million contacts takes a few hundred waits out rather than sorting all the
/// others again (16 ms of a 46 ms report in Chromium). Exact, as the same waits sorted are the
/// same runs; `None` where it would not be: counts at edges, and a negative wait (−0 and 0 are
/// one run, shown as the first in order, which may be the one taken out).
pub fn wait_distribution_less_excluded<U: Countable>(
    of_all: &WaitDistribution,
    units: &[U],
    exclusions: &Exclusions,
    terms: &Terms,
) -> Option<WaitDistribution> {
    // Runs increase in `total_cmp`'s order: a negative wait, −0 too, would be the first.
    let readable = |curve: &WaitCurve| {
        !curve.counted_at_edges
            && curve
                .runs
                .first()
                .is_none_or(|(wait, _)| !wait.is_sign_negative())
    };
    if !U::SINGLE_WAITS || !readable(&of_all.answered) || !readable(&of_all.abandoned) {
        return None;
    }
    let (mut answered, mut abandoned) = (Vec::new(), Vec::new());
    for (unit, reason) in units.iter().zip(&exclusions.reason_of) {
        if reason.is_some() {
            unit.add_wait_samples(&mut answered, &mut abandoned);
        }
    }
    let threshold_secs = chart_threshold(terms);
    let less = |curve: &WaitCurve, mut excluded: Vec<f64>| {
        excluded.sort_unstable_by(f64::total_cmp);
        runs_less(&curve.runs, &excluded).map(|runs| curve_of_runs(&runs, threshold_secs))
    };
    Some(WaitDistribution {
        threshold_secs,
        answered: less(&of_all.answered, answered)?,
        abandoned: less(&of_all.abandoned, abandoned)?,
        of_all: Some(Arc::new(of_all.clone())),
    })
}

/// `runs` (increasing waits, each with how many waited it or less) without the waits of
/// `excluded` (increasing): a run they empty is gone. `None` when one of them is in no run.
fn runs_less(runs: &[(f64, u64)], excluded: &[f64]) -> Option<Vec<(f64, u64)>> {
    let mut excluded = excluded.iter().peekable();
    let (mut before, mut taken_out) = (0, 0);
    let mut less = Vec::with_capacity(runs.len());
    for &(wait, through) in runs {
        let in_run = through - before;
        before = through;
        let mut out = 0;
        while excluded.next_if(|&&gone| gone == wait).is_some() {
            out += 1;
        }
        if out > in_run || excluded.peek().is_some_and(|&&gone| gone < wait) {
            return None;
        }
        taken_out += out;
        if out < in_run {
            less.push((wait, through - taken_out));
        }
    }
    excluded.peek().is_none().then_some(less)
}

/// The threshold the chart marks: the first service-level target's.
pub fn chart_threshold(terms: &Terms) -> Option<f64> {
    terms.targets.iter().find_map(|target| match target.metric {
        Metric::ServiceLevel { threshold_secs, .. } => Some(threshold_secs),
        _ => None,
    })
}

fn curve(waits: Vec<f64>, threshold_secs: Option<f64>) -> WaitCurve {
    curve_of_runs(&runs_of(waits), threshold_secs)
}

/// The curve of waits given as runs of equal waits, increasing: `(wait, how many waited it or
/// less)`. Every point is exact: "this many waited this long or less".
fn curve_of_runs(runs: &[(f64, u64)], threshold_secs: Option<f64>) -> WaitCurve {
    let n = runs.last().map_or(0, |&(_, through)| through);
    let percent = |through: u64| through as f64 * 100.0 / n as f64;
    // The run holding the `rank`-th smallest wait.
    let run_of = |rank: u64| runs[runs.partition_point(|&(_, through)| through < rank)];
    let steps = (MAX_POINTS as u64).min(n);
    // Ranks spread evenly over the waits; a run of equal waits is one point, at its end.
    let mut points: Vec<[f64; 2]> = Vec::new();
    for step in 1..=steps {
        let (wait, through) = run_of((step * n).div_ceil(steps));
        let point = [wait, percent(through)];
        if points.last() != Some(&point) {
            points.push(point);
        }
    }
    let at_rank = |p: f64| (n > 0).then(|| run_of(nearest_rank(p, n as usize) as u64).0);
    WaitCurve {
        contacts: n as u32,
        within_threshold_percent: threshold_in_runs(runs, threshold_secs),
        median_secs: at_rank(50.0),
        p90_secs: at_rank(90.0),
        points,
        counted_at_edges: false,
        runs: runs.into(),
    }
}

/// The percent of the waits of `runs` within the threshold; `None` without one or without
/// waits.
fn threshold_in_runs(runs: &[(f64, u64)], threshold_secs: Option<f64>) -> Option<f64> {
    let n = runs.last().map_or(0, |&(_, through)| through);
    threshold_secs.filter(|_| n > 0).map(|threshold| {
        let within = runs.partition_point(|&(wait, _)| wait <= threshold);
        let through = within.checked_sub(1).map_or(0, |last| runs[last].1);
        through as f64 * 100.0 / n as f64
    })
}

/// Every distinct wait with how many answered and abandoned contacts waited it: the wait chart
/// of contacts counted as they stream past, exact, in memory that grows with the distinct
/// waits (waits to the millisecond over ten minutes are 600,000 at most), not the contacts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WaitCounts {
    answered: HashMap<u64, u32>,
    abandoned: HashMap<u64, u32>,
    /// A unit's samples on their way into the counts, reused unit after unit.
    samples: [Vec<f64>; 2],
}

impl WaitCounts {
    pub fn add<U: Countable>(&mut self, unit: &U) {
        let [answered, abandoned] = &mut self.samples;
        unit.add_wait_samples(answered, abandoned);
        for (samples, counts) in [
            (answered, &mut self.answered),
            (abandoned, &mut self.abandoned),
        ] {
            for wait in samples.drain(..) {
                // `+ 0.0` makes −0 and 0 one wait, as comparisons see them.
                *counts.entry((wait + 0.0).to_bits()).or_default() += 1;
            }
        }
    }

    /// The chart of every wait counted, under `terms` (which exclude no contact: the counts
    /// are of all of them).
    pub fn distribution(&self, terms: &Terms) -> WaitDistribution {
        let threshold_secs = chart_threshold(terms);
        let runs = |counts: &HashMap<u64, u32>| {
            let mut waits: Vec<(f64, u32)> = counts
                .iter()
                .map(|(&bits, &count)| (f64::from_bits(bits), count))
                .collect();
            waits.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
            let mut through = 0u64;
            let runs: Vec<(f64, u64)> = waits
                .into_iter()
                .map(|(wait, count)| {
                    through += u64::from(count);
                    (wait, through)
                })
                .collect();
            curve_of_runs(&runs, threshold_secs)
        };
        WaitDistribution {
            threshold_secs,
            answered: runs(&self.answered),
            abandoned: runs(&self.abandoned),
            of_all: None,
        }
    }
}

/// The curve of contacts counted within edges: a point per edge, none between (DOMAIN §9).
/// Without edges there is no wait to draw, and no contact is said to have one.
fn curve_at_edges(tally: &EdgeTally, threshold_secs: Option<f64>) -> WaitCurve {
    let known = tally.contacts > 0 && !tally.within.is_empty();
    let percent = |count: u32| f64::from(count) * 100.0 / f64::from(tally.contacts);
    let contacts = if known { tally.contacts } else { 0 };
    let points: Vec<[f64; 2]> = if known {
        tally
            .within
            .iter()
            .map(|&(edge, count)| [edge, percent(count)])
            .collect()
    } else {
        Vec::new()
    };
    WaitCurve {
        contacts,
        within_threshold_percent: threshold_at_edges(&points, contacts, threshold_secs),
        points,
        median_secs: None,
        p90_secs: None,
        counted_at_edges: true,
        runs: Arc::new([]),
    }
}

/// The percent within the threshold read from counts at edges: known only when the threshold
/// is an edge.
fn threshold_at_edges(
    points: &[[f64; 2]],
    contacts: u32,
    threshold_secs: Option<f64>,
) -> Option<f64> {
    let threshold = threshold_secs.filter(|_| contacts > 0)?;
    points
        .iter()
        .find(|[edge, _]| *edge == threshold)
        .map(|&[_, percent]| percent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_computed_curve() {
        // Waits 5, 10, 10, 30, 60: 20 % within 5 s, 60 % within 10 s (both 10s count), 80 %
        // within 30 s — and "within 20 s" is 60 %.
        let curve = curve(vec![30.0, 10.0, 5.0, 60.0, 10.0], Some(20.0));
        assert_eq!(curve.contacts, 5);
        assert_eq!(
            curve.points,
            vec![[5.0, 20.0], [10.0, 60.0], [30.0, 80.0], [60.0, 100.0]]
        );
        assert_eq!(curve.within_threshold_percent, Some(60.0));
        assert_eq!(curve.median_secs, Some(10.0));
        assert_eq!(curve.p90_secs, Some(60.0));
    }

    #[test]
    fn the_threshold_is_inclusive() {
        let curve = curve(vec![20.0, 21.0], Some(20.0));
        assert_eq!(curve.within_threshold_percent, Some(50.0));
    }

    #[test]
    fn no_contacts_make_an_empty_curve() {
        let curve = curve(Vec::new(), Some(20.0));
        assert_eq!(curve.contacts, 0);
        assert!(curve.points.is_empty());
        assert_eq!(curve.within_threshold_percent, None);
        assert_eq!(curve.median_secs, None);
    }

    #[test]
    fn equal_waits_make_one_point() {
        let curve = curve(vec![0.0; 1_000_000], Some(20.0));
        assert_eq!(curve.points, vec![[0.0, 100.0]]);
        assert_eq!(curve.within_threshold_percent, Some(100.0));
    }

    #[test]
    fn long_curves_are_thinned_but_end_at_the_longest_wait() {
        let waits: Vec<f64> = (1..=10_000).map(f64::from).collect();
        let curve = curve(waits, None);
        assert_eq!(curve.points.len(), MAX_POINTS);
        assert_eq!(curve.points[0], [50.0, 0.5]);
        assert_eq!(curve.points.last(), Some(&[10_000.0, 100.0]));
        assert!(curve
            .points
            .windows(2)
            .all(|w| w[0][0] < w[1][0] && w[0][1] < w[1][1]));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod less_excluded {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A curve's runs less some of its waits are the runs of the waits left: the chart
        /// after an exclusion, from the chart before it.
        #[test]
        fn runs_less_excluded_waits_are_the_curve_of_the_waits_left(
            waits in prop::collection::vec(
                (prop::sample::select(vec![0.0, 0.5, 1.0, 2.0, 20.0, 20.25, 600.0]), any::<bool>()),
                0..200,
            ),
            threshold in prop::option::of(prop::sample::select(vec![0.0, 1.0, 20.0, 30.0])),
        ) {
            let all: Vec<f64> = waits.iter().map(|&(wait, _)| wait).collect();
            let left: Vec<f64> =
                waits.iter().filter(|(_, out)| !out).map(|&(wait, _)| wait).collect();
            let mut excluded: Vec<f64> =
                waits.iter().filter(|(_, out)| *out).map(|&(wait, _)| wait).collect();
            excluded.sort_unstable_by(f64::total_cmp);
            let before = curve(all, threshold);
            let runs = runs_less(&before.runs, &excluded).unwrap();
            prop_assert_eq!(curve_of_runs(&runs, threshold), curve(left, threshold));
        }
    }

    #[test]
    fn a_wait_in_no_run_cannot_be_taken_out() {
        let runs = [(1.0, 2), (3.0, 5)];
        assert_eq!(runs_less(&runs, &[2.0]), None);
        assert_eq!(runs_less(&runs, &[3.0, 4.0]), None);
        assert_eq!(runs_less(&runs, &[1.0, 1.0, 1.0]), None);
        assert_eq!(
            runs_less(&runs, &[1.0, 3.0]),
            Some(vec![(1.0, 1), (3.0, 3)])
        );
    }
}
