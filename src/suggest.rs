//! Realistic targets (DOMAIN §7): what a team's own history supports. For each target, its
//! per-period values and their summary, the attainment of the current goal, and goals at three
//! confidence levels — each with its breach probability and, replayed through the credits
//! engine, its expected and worst credit per period — beside the buffer rule's goal.

use serde::Serialize;

use crate::compliance::Status;
use crate::credits::compute_credits;
use crate::money::Money;
use crate::period::PeriodKind;
use crate::report::{
    build_report, build_report_after, Earlier, Placement, Remade, Report, TargetResults,
};
use crate::source::{Countable, Source};
use crate::target::{Direction, Metric, Target, Unit};
use crate::terms::Terms;

/// Confidence levels (DOMAIN §7): the share of historical periods a goal must have been met in.
pub const LEVELS: [(&str, f64); 3] = [("safe", 90.0), ("balanced", 75.0), ("stretch", 50.0)];
/// Fewer judged periods than this is too little history to suggest from.
pub const MINIMUM_HISTORY: usize = 3;
/// With fewer months than this, history is read week by week (DOMAIN §7).
pub const MONTHS_FOR_MONTHLY_HISTORY: usize = 6;

/// Everything suggested for one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TargetSuggestions {
    /// Index of the target in the terms.
    pub target: usize,
    pub label: String,
    #[serde(flatten)]
    pub metric: Metric,
    pub unit: Unit,
    pub direction: Direction,
    pub goal: f64,
    /// The period of the history: the target's own, or weeks when there are too few months.
    pub history_period: PeriodKind,
    pub history: Vec<HistoryPoint>,
    pub summary: Option<HistorySummary>,
    /// The current goal, met in `met` of `judged` periods.
    pub current: Candidate,
    /// Safe, balanced and stretch goals; empty with too little history.
    pub suggestions: Vec<Candidate>,
    /// The historical mean with one step of buffer, rounded the safe way (average ASA 25 s →
    /// 30 s).
    pub buffer_goal: Option<f64>,
    /// Why there are no suggestions, when there are none.
    pub not_suggested_because: Option<String>,
}

/// One period of history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistoryPoint {
    pub period: String,
    pub value: Option<f64>,
    pub status: Status,
}

/// The history in a few numbers; `best` and `worst` are by the metric's direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistorySummary {
    pub periods: usize,
    pub min: f64,
    pub median: f64,
    pub mean: f64,
    pub best: f64,
    pub worst: f64,
    /// Least-squares change per period, positive when the metric gets better.
    pub improvement_per_period: f64,
    /// `improving`, `worsening` or `steady`.
    pub trend: String,
}

/// A goal with what the history says of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// `current`, `safe`, `balanced` or `stretch`.
    pub level: String,
    /// The share of periods the goal had to be met in (90, 75, 50); `null` for the current goal.
    pub confidence: Option<f64>,
    pub goal: f64,
    pub met: u32,
    pub judged: u32,
    /// Periods missed of periods judged, a percentage.
    pub breach_probability: Option<f64>,
    /// Mean over billing periods of the target's credits at this goal under the current rules
    /// (`null` without money clauses), and the largest.
    pub expected_credit: Option<Money>,
    pub worst_credit: Option<Money>,
}

/// What a team's history is read from: any input the engine reports on.
pub trait History {
    /// The report of the history under `terms`.
    fn report(&self, terms: &Terms) -> Report;
    /// The report under `terms` made after `earlier` (a report of this history), taking what
    /// the edit of the terms left as it was measured, and the places in time of the units kept
    /// in `placement`.
    fn report_after(
        &self,
        terms: &Terms,
        earlier: Option<Earlier>,
        placement: &mut Placement,
    ) -> Remade;
    /// Whether the history can be read week by week when it has too few months (contacts and
    /// interval reports can; a monthly KPI history cannot).
    fn has_weeks(&self) -> bool;
    /// Whether what is measured for `target` does not read its goal, so that at another goal
    /// its values are only judged again ([`TargetResults::judged_at`]).
    fn measures_apart_from_goal(&self, target: &Target) -> bool;
}

impl<S: Source> History for S {
    fn report(&self, terms: &Terms) -> Report {
        build_report(self, terms)
    }

    fn report_after(
        &self,
        terms: &Terms,
        earlier: Option<Earlier>,
        placement: &mut Placement,
    ) -> Remade {
        build_report_after(self, terms, earlier, placement)
    }

    fn has_weeks(&self) -> bool {
        true
    }

    // Interval attainment judges each interval at the goal; an interval report knows a
    // percentile only at the edges it counts within, and whether the goal is one of them.
    fn measures_apart_from_goal(&self, target: &Target) -> bool {
        target.interval_attainment.is_none()
            && (S::Unit::SINGLE_WAITS || !matches!(target.metric, Metric::WaitPercentile { .. }))
    }
}

/// Suggestions for every target of `terms` from `dataset`'s history.
///
/// One report under the terms serves every target: its results are the histories at the
/// targets' own periods, and a candidate goal replayed through the credits judges those
/// results again rather than reporting anew — a report per candidate made 50 reports of 12
/// targets, five seconds on a million contacts.
pub fn suggest<H: History>(dataset: &H, terms: &Terms) -> Vec<TargetSuggestions> {
    let mut placement = Placement::default();
    let report = dataset.report_after(terms, None, &mut placement).report;
    suggest_from(dataset, terms, report, &mut placement)
}

/// [`suggest`] from `report`, the dataset's report under `terms` made already (the page's last
/// report, carried over edit by edit): it is most of the suggestions' own work. The histories
/// read by other periods are reports made after it, with the units' places in time kept in
/// `placement`: only their targets are measured, the arrivals and the wait chart are the
/// report's, and a grouping by weeks is made once for every edit after.
pub fn suggest_from<H: History>(
    dataset: &H,
    terms: &Terms,
    report: Report,
    placement: &mut Placement,
) -> Vec<TargetSuggestions> {
    let earlier = Earlier {
        terms,
        report: &report,
    };
    let months = if !dataset.has_weeks() {
        // Read as given: the weekly fallback is never taken.
        MONTHS_FOR_MONTHLY_HISTORY
    } else if terms.period == PeriodKind::Month {
        report.periods.len()
    } else {
        let monthly = with_period(terms, PeriodKind::Month);
        dataset
            .report_after(&monthly, Some(earlier), placement)
            .report
            .periods
            .len()
    };
    let history_periods: Vec<PeriodKind> = terms
        .targets
        .iter()
        .map(|target| history_period(target.period, months))
        .collect();
    let weekly = weekly_histories(dataset, earlier, &history_periods, placement);
    let replays = Replays {
        dataset,
        terms,
        report: &report,
    };
    let mut weekly = weekly.into_iter();
    history_periods
        .iter()
        .enumerate()
        .map(|(index, &period)| {
            let history = if period == terms.targets[index].period {
                report.targets[index].clone()
            } else {
                weekly
                    .next()
                    .expect("one weekly history per target read by weeks")
            };
            suggest_target(&replays, index, period, &history)
        })
        .collect()
}

fn with_period(terms: &Terms, period: PeriodKind) -> Terms {
    let mut terms = terms.clone();
    terms.period = period;
    terms.targets.clear();
    terms.credits = None;
    terms
}

/// The period a target's history is read by: its own, or weeks when there are too few months.
fn history_period(period: PeriodKind, months: usize) -> PeriodKind {
    if period == PeriodKind::Month && months < MONTHS_FOR_MONTHLY_HISTORY {
        PeriodKind::IsoWeek
    } else {
        period
    }
}

/// The results, week by week, of the targets whose history is read by weeks, in their order:
/// one report for all of them, made after `earlier` (the terms' own).
fn weekly_histories<H: History>(
    dataset: &H,
    earlier: Earlier,
    history_periods: &[PeriodKind],
    placement: &mut Placement,
) -> Vec<TargetResults> {
    match weekly_terms(earlier.terms, history_periods) {
        Some(weekly) => {
            dataset
                .report_after(&weekly, Some(earlier), placement)
                .report
                .targets
        }
        None => Vec::new(),
    }
}

/// The terms' targets whose history is read by another period, each at that period, without
/// money; none when every target is read by its own.
fn weekly_terms(terms: &Terms, history_periods: &[PeriodKind]) -> Option<Terms> {
    let mut weekly = terms.clone();
    weekly.credits = None;
    weekly.targets = terms
        .targets
        .iter()
        .zip(history_periods)
        .filter(|(target, &period)| period != target.period)
        .map(|(target, &period)| Target {
            period,
            ..target.clone()
        })
        .collect();
    (!weekly.targets.is_empty()).then_some(weekly)
}

fn suggest_target<H: History>(
    replays: &Replays<H>,
    index: usize,
    history_period: PeriodKind,
    history: &TargetResults,
) -> TargetSuggestions {
    let target = &replays.terms.targets[index];
    let history: Vec<HistoryPoint> = history
        .results
        .iter()
        .map(|result| HistoryPoint {
            period: result.period.clone(),
            value: result.actual,
            status: result.judgement.status,
        })
        .collect();
    let values: Vec<f64> = history
        .iter()
        .filter(|point| point.status != Status::NotJudged)
        .filter_map(|point| point.value)
        .collect();
    let direction = target.metric.direction();
    let unit = target.metric.unit();
    let exposure = |goal: f64, level: &str, confidence: Option<f64>| {
        candidate(replays, index, &values, goal, level, confidence)
    };
    let current = exposure(target.goal, "current", None);
    let summary = summarize(&values, direction);
    let mut result = TargetSuggestions {
        target: index,
        label: target.label.clone(),
        metric: target.metric,
        unit,
        direction,
        goal: target.goal,
        history_period,
        history,
        summary: summary.clone(),
        current,
        suggestions: Vec::new(),
        buffer_goal: None,
        not_suggested_because: None,
    };
    let Some(summary) = summary.filter(|summary| summary.periods >= MINIMUM_HISTORY) else {
        result.not_suggested_because = Some(format!(
            "{} judged {}s of history: at least {MINIMUM_HISTORY} are needed to suggest a goal",
            values.len(),
            history_period.noun()
        ));
        return result;
    };
    let step = contract_step(unit, summary.mean);
    result.suggestions = LEVELS
        .iter()
        .map(|&(level, confidence)| {
            let goal = round_safely(
                quantile_goal(&values, confidence, direction),
                step,
                direction,
            );
            exposure(goal, level, Some(confidence))
        })
        .collect();
    let buffered = match direction {
        Direction::AtLeast => summary.mean - step,
        Direction::AtMost => summary.mean + step,
    };
    result.buffer_goal = Some(clamp_to_unit(round_safely(buffered, step, direction), unit));
    result
}

/// The goal met in at least `confidence` % of `values`, by nearest rank from the best: the
/// `⌈c·n⌉`-th best value (DOMAIN §7).
pub fn quantile_goal(values: &[f64], confidence: f64, direction: Direction) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if direction == Direction::AtLeast {
        sorted.reverse();
    }
    let rank = ((confidence / 100.0 * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// A contract-friendly step (DOMAIN §7): 1 point for shares, 5 s for times under 5 minutes,
/// a minute above, a tenth for scores.
pub fn contract_step(unit: Unit, typical: f64) -> f64 {
    match unit {
        Unit::Percent => 1.0,
        Unit::Seconds if typical < 300.0 => 5.0,
        Unit::Seconds => 60.0,
        Unit::Score => 0.1,
    }
}

/// Rounds to `step` in the direction that makes the goal easier: down for `≥`, up for `≤`.
pub fn round_safely(value: f64, step: f64, direction: Direction) -> f64 {
    // A value a hair off a step (binary representation) is on it, not a step away.
    let steps = value / step;
    let nearest = steps.round();
    let steps = if (steps - nearest).abs() < 1e-9 {
        nearest
    } else {
        match direction {
            Direction::AtLeast => steps.floor(),
            Direction::AtMost => steps.ceil(),
        }
    };
    let rounded = steps * step;
    // Steps of a tenth leave binary noise (3.7000000000000006): keep the decimals a step has.
    (rounded * 1000.0).round() / 1000.0
}

fn clamp_to_unit(goal: f64, unit: Unit) -> f64 {
    match unit {
        Unit::Percent => goal.clamp(0.0, 100.0),
        Unit::Seconds | Unit::Score => goal.max(0.0),
    }
}

fn summarize(values: &[f64], direction: Direction) -> Option<HistorySummary> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    let mean = values.iter().sum::<f64>() / n as f64;
    let (min, max) = (sorted[0], sorted[n - 1]);
    let (best, worst) = match direction {
        Direction::AtLeast => (max, min),
        Direction::AtMost => (min, max),
    };
    // Least-squares slope over the period index, signed so that positive is better.
    let x_mean = (n as f64 - 1.0) / 2.0;
    let (covariance, variance) = values
        .iter()
        .enumerate()
        .fold((0.0, 0.0), |(c, v), (i, y)| {
            let dx = i as f64 - x_mean;
            (c + dx * (y - mean), v + dx * dx)
        });
    let slope = if variance > 0.0 {
        covariance / variance
    } else {
        0.0
    };
    let improvement_per_period = match direction {
        Direction::AtLeast => slope,
        Direction::AtMost => -slope,
    };
    // A change of less than 1 % of the mean per period is noise, not a trend.
    let noise = mean.abs() * 0.01;
    let trend = if improvement_per_period > noise {
        "improving"
    } else if improvement_per_period < -noise {
        "worsening"
    } else {
        "steady"
    };
    Some(HistorySummary {
        periods: n,
        min,
        median,
        mean,
        best,
        worst,
        improvement_per_period,
        trend: trend.to_owned(),
    })
}

/// `goal` for target `index`, judged over `values` and replayed through the credits engine.
fn candidate<H: History>(
    replays: &Replays<H>,
    index: usize,
    values: &[f64],
    goal: f64,
    level: &str,
    confidence: Option<f64>,
) -> Candidate {
    let direction = replays.terms.targets[index].metric.direction();
    let met = values
        .iter()
        .filter(|value| match direction {
            Direction::AtLeast => **value >= goal - 1e-9,
            Direction::AtMost => **value <= goal + 1e-9,
        })
        .count() as u32;
    let judged = values.len() as u32;
    let (expected_credit, worst_credit) = replays.credits_at(index, goal);
    Candidate {
        level: level.to_owned(),
        confidence,
        goal,
        met,
        judged,
        breach_probability: (judged > 0)
            .then(|| f64::from(judged - met) * 100.0 / f64::from(judged)),
        expected_credit,
        worst_credit,
    }
}

/// The terms' report, from which a target's credits at another goal are replayed.
struct Replays<'a, H> {
    dataset: &'a H,
    terms: &'a Terms,
    /// The report under `terms` as they are.
    report: &'a Report,
}

impl<H: History> Replays<'_, H> {
    /// Target `index`'s credits per billing period with its goal set to `goal`, everything
    /// else as the terms say: their mean and their largest.
    fn credits_at(&self, index: usize, goal: f64) -> (Option<Money>, Option<Money>) {
        let target = &self.terms.targets[index];
        if self.terms.credits.is_none() || target.credit.is_none() {
            return (None, None);
        }
        let mut replayed = self.terms.clone();
        replayed.targets[index].goal = goal;
        let mut targets = self.report.targets.clone();
        targets[index] = if self.dataset.measures_apart_from_goal(target) {
            targets[index].judged_at(goal)
        } else {
            // Measured at the goal: that target alone is reported again.
            let mut alone = replayed.clone();
            alone.targets = vec![replayed.targets[index].clone()];
            alone.credits = None;
            self.dataset.report(&alone).targets.remove(0)
        };
        let Some(credits) = compute_credits(&replayed, &targets) else {
            return (None, None);
        };
        let digits = credits.totals.fees.digits;
        let per_period: Vec<Money> = credits
            .periods
            .iter()
            .filter(|period| period.fee.is_some())
            .map(|period| {
                Money::total(
                    period
                        .lines
                        .iter()
                        .filter(|line| line.target == index)
                        .map(|line| line.amount),
                    digits,
                )
            })
            .collect();
        if per_period.is_empty() {
            return (None, None);
        }
        let total = Money::total(per_period.iter().copied(), digits);
        let expected = total.scaled(1, per_period.len() as i128);
        let worst = per_period.iter().copied().max().unwrap_or(total);
        (Some(expected), Some(worst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quantile_goal_is_the_nearest_rank_from_the_best() {
        let levels = [82.0, 88.0, 75.0, 91.0, 85.0, 79.0, 86.0, 84.0, 90.0, 80.0];
        // ≥: sorted best first 91 90 88 86 85 84 82 80 79 75 → 90 % is the 9th = 79,
        // 75 % the 8th = 80, 50 % the 5th = 85.
        assert_eq!(quantile_goal(&levels, 90.0, Direction::AtLeast), 79.0);
        assert_eq!(quantile_goal(&levels, 75.0, Direction::AtLeast), 80.0);
        assert_eq!(quantile_goal(&levels, 50.0, Direction::AtLeast), 85.0);
        // ≤ (ASA): best first is smallest.
        let asa = [22.0, 31.0, 18.0, 25.0];
        assert_eq!(quantile_goal(&asa, 75.0, Direction::AtMost), 25.0);
        // Ties and a single period.
        assert_eq!(
            quantile_goal(&[80.0, 80.0, 80.0], 90.0, Direction::AtLeast),
            80.0
        );
        assert_eq!(quantile_goal(&[42.0], 50.0, Direction::AtMost), 42.0);
    }

    #[test]
    fn weekly_histories_made_after_the_report_are_those_made_anew() {
        let dataset = crate::read_contacts_csv(include_str!("../www/sample/contacts.csv")).unwrap();
        let terms = crate::RawTerms::from_json(include_str!("../www/examples/contact-center.json"))
            .unwrap()
            .validate()
            .unwrap();
        let history_periods = vec![PeriodKind::IsoWeek; terms.targets.len()];
        let weekly = weekly_terms(&terms, &history_periods).expect("monthly targets read by weeks");
        let anew = serde_json::to_string(&dataset.report(&weekly).targets).unwrap();
        let mut placement = Placement::default();
        let report = dataset.report_after(&terms, None, &mut placement).report;
        let earlier = Earlier {
            terms: &terms,
            report: &report,
        };
        // Twice: the second time, the weekly grouping is the one kept in `placement`.
        for time in ["first", "second"] {
            let after = weekly_histories(&dataset, earlier, &history_periods, &mut placement);
            assert_eq!(serde_json::to_string(&after).unwrap(), anew, "{time} time");
        }
    }

    #[test]
    fn goals_round_to_contract_steps_the_easy_way() {
        assert_eq!(round_safely(79.6, 1.0, Direction::AtLeast), 79.0);
        assert_eq!(round_safely(80.0, 1.0, Direction::AtLeast), 80.0);
        assert_eq!(round_safely(23.2, 5.0, Direction::AtMost), 25.0);
        assert_eq!(round_safely(3.74, 0.1, Direction::AtLeast), 3.7);
        assert_eq!(contract_step(Unit::Seconds, 320.0), 60.0);
        assert_eq!(round_safely(301.0, 60.0, Direction::AtMost), 360.0);
    }

    #[test]
    fn the_summary_reads_best_and_trend_by_direction() {
        let asa = [40.0, 35.0, 30.0, 25.0];
        let summary = summarize(&asa, Direction::AtMost).unwrap();
        assert_eq!(
            (summary.best, summary.worst, summary.median),
            (25.0, 40.0, 32.5)
        );
        assert_eq!(
            (summary.improvement_per_period, summary.trend.as_str()),
            (5.0, "improving")
        );
        let flat = summarize(&[80.0, 80.2, 79.9], Direction::AtLeast).unwrap();
        assert_eq!(flat.trend, "steady");
    }
}
