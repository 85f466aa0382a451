//! How long contacts waited: the cumulative distribution (CDF) of answered waits and of the time
//! to abandon, over every contact the report counts (all periods, after exclusions), with the
//! service-level threshold marked. It is what a workforce planner reads to see how far a
//! stricter threshold would move the service level.

use serde::Serialize;

use crate::exclusions::Exclusions;
use crate::measure::{EdgeTally, Located};
use crate::metrics::nearest_rank;
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
}

/// The wait distribution of the `located` contacts under `terms`, leaving out the excluded
/// ones: the report's own located contacts and exclusions, so nothing is resolved twice.
pub fn wait_distribution<U: Countable>(
    located: &[Located<U>],
    exclusions: &Exclusions,
    terms: &Terms,
) -> WaitDistribution {
    let threshold_secs = terms.targets.iter().find_map(|target| match target.metric {
        Metric::ServiceLevel { threshold_secs, .. } => Some(threshold_secs),
        _ => None,
    });
    if !U::SINGLE_WAITS {
        let (mut answered, mut abandoned) = (EdgeTally::default(), EdgeTally::default());
        for (located, reason) in located.iter().zip(&exclusions.reason_of) {
            if reason.is_none() {
                located.unit.add_edge_counts(&mut answered, &mut abandoned);
            }
        }
        return WaitDistribution {
            threshold_secs,
            answered: curve_at_edges(&answered, threshold_secs),
            abandoned: curve_at_edges(&abandoned, threshold_secs),
        };
    }
    let mut answered = Vec::new();
    let mut abandoned = Vec::new();
    for (located, reason) in located.iter().zip(&exclusions.reason_of) {
        if reason.is_none() {
            located.unit.add_wait_samples(&mut answered, &mut abandoned);
        }
    }
    WaitDistribution {
        threshold_secs,
        answered: curve(answered, threshold_secs),
        abandoned: curve(abandoned, threshold_secs),
    }
}

fn curve(mut waits: Vec<f64>, threshold_secs: Option<f64>) -> WaitCurve {
    waits.sort_by(f64::total_cmp);
    let n = waits.len();
    let percent = |rank: usize| rank as f64 * 100.0 / n as f64;
    // Ranks spread evenly over the sorted waits; a run of equal waits keeps only its last rank,
    // so each point is exactly "this many waited this long or less".
    let mut points: Vec<[f64; 2]> = Vec::new();
    for step in 1..=MAX_POINTS.min(n) {
        let rank = (step * n).div_ceil(MAX_POINTS.min(n));
        let wait = waits[rank - 1];
        // By binary search: a scan would walk the whole run each step when most waits are equal.
        let last = waits.partition_point(|&other| other <= wait);
        let point = [wait, percent(last)];
        if points.last() != Some(&point) {
            points.push(point);
        }
    }
    let at_rank = |p: f64| (n > 0).then(|| waits[nearest_rank(p, n) - 1]);
    WaitCurve {
        contacts: n as u32,
        within_threshold_percent: threshold_secs
            .filter(|_| n > 0)
            .map(|threshold| percent(waits.partition_point(|&wait| wait <= threshold))),
        median_secs: at_rank(50.0),
        p90_secs: at_rank(90.0),
        points,
        counted_at_edges: false,
    }
}

/// The curve of contacts counted within edges: a point per edge, none between (DOMAIN §9).
/// Without edges there is no wait to draw, and no contact is said to have one.
fn curve_at_edges(tally: &EdgeTally, threshold_secs: Option<f64>) -> WaitCurve {
    let known = tally.contacts > 0 && !tally.within.is_empty();
    let percent = |count: u32| f64::from(count) * 100.0 / f64::from(tally.contacts);
    WaitCurve {
        contacts: if known { tally.contacts } else { 0 },
        points: if known {
            tally
                .within
                .iter()
                .map(|&(edge, count)| [edge, percent(count)])
                .collect()
        } else {
            Vec::new()
        },
        within_threshold_percent: threshold_secs.filter(|_| known).and_then(|threshold| {
            tally
                .within
                .iter()
                .find(|(edge, _)| *edge == threshold)
                .map(|&(_, count)| percent(count))
        }),
        median_secs: None,
        p90_secs: None,
        counted_at_edges: true,
    }
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
