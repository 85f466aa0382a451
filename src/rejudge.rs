//! A terms edit that moves only what judges the values — goals, labels, credit rules, the fee,
//! the cap — needs no new pass over the data: the last report's values are judged again and
//! the credits computed anew. The page's what-if edits are mostly these, and a pass over a
//! million contacts is tens of milliseconds where judging again is well under one.

use crate::credits::compute_credits;
use crate::report::{AgreementSummary, Report};
use crate::suggest::History;
use crate::terms::Terms;

/// The last report made and the terms it was made under, to judge again on the next edit.
#[derive(Debug, Default)]
pub struct ReportMemo {
    last: Option<(Terms, Report)>,
}

impl ReportMemo {
    /// The report of `dataset` under `terms`: the last report judged again where that is
    /// exactly what a new one would be ([`rejudged`]), else made anew. The memo belongs to
    /// one dataset: a new dataset takes a new memo.
    pub fn report<H: History>(&mut self, dataset: &H, terms: &Terms) -> Report {
        let again = self.last.as_ref().and_then(|(previous, report)| {
            rejudged(report, previous, terms, |target| {
                dataset.measures_apart_from_goal(target)
            })
        });
        let report = again.unwrap_or_else(|| dataset.report(terms));
        self.last = Some((terms.clone(), report.clone()));
        report
    }
}

/// `report`, made under `previous`, as `terms` make it, without a pass over the data — or
/// `None` when the two measure anything differently (a threshold, a scope, a period, the zone,
/// an exclusion…), or when a moved goal is one the measurement reads (interval attainment, a
/// percentile known only at an interval report's edges: `measures_apart_from_goal` says).
pub fn rejudged(
    report: &Report,
    previous: &Terms,
    terms: &Terms,
    measures_apart_from_goal: impl Fn(&crate::target::Target) -> bool,
) -> Option<Report> {
    if measured(previous) != measured(terms) {
        return None;
    }
    let mut targets = Vec::with_capacity(terms.targets.len());
    for ((before, after), results) in previous
        .targets
        .iter()
        .zip(&terms.targets)
        .zip(&report.targets)
    {
        let mut results = if before.goal == after.goal {
            results.clone()
        } else if measures_apart_from_goal(after) {
            results.judged_at(after.goal)
        } else {
            return None;
        };
        results.label.clone_from(&after.label);
        targets.push(results);
    }
    Some(Report {
        agreement: AgreementSummary::of(terms),
        credits: compute_credits(terms, &targets),
        targets,
        ..report.clone()
    })
}

/// What of the terms a report's measurement reads: all but the name, the goals, the labels
/// and the money.
fn measured(terms: &Terms) -> Terms {
    let mut measured = terms.clone();
    measured.name = None;
    measured.currency = None;
    measured.fee_per_period = None;
    measured.credits = None;
    for target in &mut measured.targets {
        target.goal = 0.0;
        target.label.clear();
        target.credit = None;
    }
    measured
}
