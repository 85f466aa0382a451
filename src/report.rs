//! The report: per period, the queue's figures and every target's verdict with its arithmetic.
//! This is the one orchestration step; the wasm API and the command line only call
//! [`build_report`].

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde::Serialize;

use chrono::{DateTime, Utc};

use crate::availability::measure_availability;
use crate::compliance::{below_minimum, judge, not_judged, Judgement, Status};
use crate::credits::{compute_credits, CreditsReport};
use crate::exclusions::{find_exclusions, note_cut_intervals, ExclusionSummary, Exclusions};
use crate::input::ImportQuality;
use crate::measure::{count_queue, definition, measure, Located, MeasureContext, Measurement};
use crate::metrics::{abandonment_rate, average_speed_of_answer, Ratio};
use crate::period::{Period, PeriodKind};
use crate::source::{Countable, Source};
use crate::target::{Direction, Metric, ScopeFilter, Target, Unit};
use crate::terms::Terms;
use crate::text::{count, count_of};
use crate::timespan::Span;
use crate::waits::WaitDistribution;
use crate::zone::Zone;

/// The version of the report document (`www/report.schema.json`): raised when a field changes
/// meaning or goes away, so a script reading exported reports can tell which it has.
pub const REPORT_VERSION: u32 = 1;

/// Everything the page shows for one dataset under one set of terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// [`REPORT_VERSION`].
    pub version: u32,
    pub quality: ImportQuality,
    pub agreement: AgreementSummary,
    /// The agreement's periods in time order, each with its queue figures.
    pub periods: Vec<PeriodFigures>,
    /// Every exclusion reason with the contacts it removed.
    pub exclusions: Vec<ExclusionSummary>,
    /// One entry per target of the terms, in their order, with a verdict per period.
    pub targets: Vec<TargetResults>,
    /// What the terms' money clauses make of the verdicts; `null` without money clauses.
    pub credits: Option<CreditsReport>,
    /// How long the counted contacts waited, over all periods, for the wait chart.
    pub waits: WaitDistribution,
}

/// What the report was computed under.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AgreementSummary {
    pub name: Option<String>,
    pub time_zone: String,
    pub period: PeriodKind,
}

impl AgreementSummary {
    pub fn of(terms: &Terms) -> AgreementSummary {
        AgreementSummary {
            name: terms.name.clone(),
            time_zone: terms.zone.to_string(),
            period: terms.period,
        }
    }
}

/// The queue's figures for one period (`null` where there is no data), after exclusions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PeriodFigures {
    /// `2026-03` for a calendar month; see [`Period::label`].
    pub period: String,
    /// Contacts counted: arrived in the period and not excluded. The counts are `null` where
    /// the input has none (a KPI history gives values, and a volume at most).
    pub contacts: Option<u32>,
    pub excluded: u32,
    pub offered: Option<u32>,
    pub answered: Option<u32>,
    pub abandoned: Option<u32>,
    pub other: Option<u32>,
    pub asa_secs: Option<f64>,
    pub abandonment_rate: Option<f64>,
}

/// One target and its verdict in every one of its periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TargetResults {
    pub label: String,
    #[serde(flatten)]
    pub metric: Metric,
    pub goal: f64,
    pub direction: Direction,
    pub unit: Unit,
    pub period: PeriodKind,
    /// `all contacts`, or e.g. `channel voice · priority P1`.
    pub scope: String,
    /// The formula in words (DOMAIN §3).
    pub definition: String,
    /// What the user should know about the whole target, e.g. a scope value no contact has.
    pub notes: Vec<String>,
    pub results: Vec<PeriodResult>,
}

impl TargetResults {
    /// `target`'s results, described as the terms state it.
    pub fn of(
        target: &Target,
        definition: String,
        notes: Vec<String>,
        results: Vec<PeriodResult>,
    ) -> TargetResults {
        TargetResults {
            label: target.label.clone(),
            metric: target.metric,
            goal: target.goal,
            direction: target.metric.direction(),
            unit: target.metric.unit(),
            period: target.period,
            scope: target.scope.describe(),
            definition,
            notes,
            results,
        }
    }

    /// These results judged against `goal` instead of the terms' goal: each judged period's
    /// verdict again from its value, each period not judged left so. Exact only where the
    /// measurement itself does not read the goal (see [`crate::suggest::History`]); then a
    /// period's reason not to be judged — too few contacts, no data, a missing column — does
    /// not depend on the goal either.
    pub fn judged_at(&self, goal: f64) -> TargetResults {
        let mut rejudged = self.clone();
        rejudged.goal = goal;
        for result in &mut rejudged.results {
            if result.judgement.status != Status::NotJudged {
                result.judgement = judge(result.actual, goal, self.direction);
            }
        }
        rejudged
    }
}

/// A target's value and verdict in one period, with the arithmetic behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PeriodResult {
    pub period: String,
    pub actual: Option<f64>,
    /// For a ratio metric, what it divides (e.g. answered within T and offered), so scopes and
    /// periods recombine as `Σ part / Σ whole`; `null` for percentiles and maxima.
    pub ratio: Option<Ratio>,
    /// Contacts in scope in the period, after exclusions; `null` when the input does not
    /// count them (a KPI history without a volume column).
    pub contacts: Option<u32>,
    /// Contacts in scope in the period that exclusions removed, per reason.
    pub excluded: Vec<ExcludedCount>,
    #[serde(flatten)]
    pub judgement: Judgement,
    /// The formula with this period's numbers, e.g. `860 answered within 20 s ÷ …= 81.1 %`.
    pub calculation: String,
    /// With interval attainment: how the period's intervals fared.
    pub intervals: Option<IntervalTally>,
    /// When the period starts: credits bill it in the billing period containing this instant.
    #[serde(skip)]
    pub start: DateTime<Utc>,
}

/// Contacts removed for one reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExcludedCount {
    pub reason: String,
    pub contacts: u32,
}

/// Intervals of one period under an interval-attainment target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct IntervalTally {
    pub judged: u32,
    pub met: u32,
    pub not_judged: u32,
}

/// Contacts by period, as indices into the located contacts, per period kind (computed once per
/// kind however many targets use it).
type Grouping = BTreeMap<Period, Vec<u32>>;

/// Computes the report of `dataset` (contacts or interval aggregates) under `terms`.
pub fn build_report<S: Source>(dataset: &S, terms: &Terms) -> Report {
    let located = Located::all_in(dataset.units(), &terms.zone);
    let mut exclusions = find_exclusions(&located, terms);
    if let Some(minutes) = dataset.interval_minutes() {
        note_cut_intervals(&mut exclusions, terms, minutes);
    }
    let mut groupings: HashMap<PeriodKind, Grouping> = HashMap::new();
    let kinds = std::iter::once(terms.period).chain(terms.targets.iter().map(|t| t.period));
    for kind in kinds {
        groupings
            .entry(kind)
            .or_insert_with(|| group(&located, kind, terms));
    }
    let periods = groupings[&terms.period]
        .iter()
        .map(|(period, members)| period_figures(period, members, &located, &exclusions))
        .collect();
    let engine = Engine {
        dataset,
        terms,
        located: &located,
        exclusions: &exclusions,
        scoped: RefCell::default(),
    };
    let targets: Vec<TargetResults> = terms
        .targets
        .iter()
        .map(|target| engine.target_results(target, &groupings[&target.period]))
        .collect();
    let credits = compute_credits(terms, &targets);
    Report {
        version: REPORT_VERSION,
        credits,
        waits: dataset.wait_distribution(&located, &exclusions, terms),
        quality: dataset.quality().clone(),
        agreement: AgreementSummary::of(terms),
        periods,
        exclusions: exclusions.summaries.clone(),
        targets,
    }
}

fn group<U: Countable>(located: &[Located<U>], kind: PeriodKind, terms: &Terms) -> Grouping {
    let mut periods: Grouping = BTreeMap::new();
    for (index, contact) in located.iter().enumerate() {
        periods
            .entry(kind.containing(contact.arrived, &terms.zone))
            .or_default()
            .push(index as u32);
    }
    periods
}

fn period_figures<U: Countable>(
    period: &Period,
    members: &[u32],
    located: &[Located<U>],
    exclusions: &Exclusions,
) -> PeriodFigures {
    let (included, excluded): (Vec<u32>, Vec<u32>) = members
        .iter()
        .partition(|&&index| exclusions.reason_of[index as usize].is_none());
    let tally = count_queue(
        included.iter().map(|&index| located[index as usize].unit),
        0.0,
        0.0,
    )
    .tally;
    let contacts_of = |members: &[u32]| -> u32 {
        members
            .iter()
            .map(|&index| located[index as usize].unit.contacts())
            .sum()
    };
    let (contacts, excluded) = (contacts_of(&included), contacts_of(&excluded));
    PeriodFigures {
        period: period.label(),
        contacts: Some(contacts),
        excluded,
        offered: Some(tally.offered()),
        answered: Some(tally.answered),
        abandoned: Some(tally.abandoned),
        other: Some(tally.other),
        asa_secs: average_speed_of_answer(&tally).mean(),
        abandonment_rate: abandonment_rate(&tally).percent(),
    }
}

/// What every target's computation shares.
struct Engine<'a, S: Source> {
    dataset: &'a S,
    terms: &'a Terms,
    located: &'a [Located<'a, S::Unit>],
    exclusions: &'a Exclusions,
    /// Each period's contacts in a scope, per scope and period kind, found for the first
    /// target that needs them and shared by the others.
    scoped: RefCell<ScopedMemo<'a, S::Unit>>,
}

/// Scoped periods by scope and period kind.
type ScopedMemo<'a, U> = HashMap<(ScopeFilter, PeriodKind), ScopedPeriods<'a, U>>;

/// Every period's [`ScopedPeriod`], in the grouping's order.
type ScopedPeriods<'a, U> = Rc<Vec<ScopedPeriod<'a, U>>>;

/// One period's contacts that a scope admits: those counted, and those excluded per reason.
/// The same for every target with that scope and period kind, so found once: twelve targets
/// over three channels filter the contacts three times, not twelve (the filtering was half the
/// report's time on a million contacts).
struct ScopedPeriod<'a, U> {
    included: Vec<Located<'a, U>>,
    excluded_by_reason: BTreeMap<u16, u32>,
}

impl<'a, S: Source> Engine<'a, S> {
    fn target_results(&self, target: &Target, grouping: &Grouping) -> TargetResults {
        let missing_column = target
            .metric
            .uses_contacts()
            .then(|| self.dataset.not_computable(target))
            .flatten();
        let computable = match missing_column {
            Some(reason) => Err(reason),
            None => self.scope_filter(target),
        };
        let (results, notes) = match computable {
            Ok((filter, notes)) => {
                let scoped = self.scoped_periods(filter, target.period, grouping);
                let results = grouping
                    .keys()
                    .zip(scoped.iter())
                    .map(|(period, scoped)| self.period_result(target, period, scoped))
                    .collect();
                (results, notes)
            }
            Err(reason) => (
                grouping
                    .keys()
                    .map(|period| not_computable_result(period, &reason, &self.terms.zone))
                    .collect(),
                vec![reason],
            ),
        };
        TargetResults::of(target, definition(&target.metric), notes, results)
    }

    /// The target's scope matched against the data's labels, with notes on values no contact
    /// has; an error when the data lacks a column the scope names.
    fn scope_filter(&self, target: &Target) -> Result<(ScopeFilter, Vec<String>), String> {
        let (allowed, notes) = target.scope.allowed_labels(
            self.dataset.labels(),
            |field| self.dataset.has_scope(field),
            ["contact", "data"],
        )?;
        Ok((ScopeFilter::new(allowed), notes))
    }

    /// The contacts of each period of `grouping` that `filter` admits, in the grouping's order.
    fn scoped_periods(
        &self,
        filter: ScopeFilter,
        kind: PeriodKind,
        grouping: &Grouping,
    ) -> ScopedPeriods<'a, S::Unit> {
        let key = (filter, kind);
        if let Some(found) = self.scoped.borrow().get(&key) {
            return Rc::clone(found);
        }
        let scoped: ScopedPeriods<'a, S::Unit> = Rc::new(
            grouping
                .values()
                .map(|members| self.scoped_period(members, &key.0))
                .collect(),
        );
        self.scoped.borrow_mut().insert(key, Rc::clone(&scoped));
        scoped
    }

    fn scoped_period(&self, members: &[u32], filter: &ScopeFilter) -> ScopedPeriod<'a, S::Unit> {
        let mut included = Vec::new();
        let mut excluded_by_reason: BTreeMap<u16, u32> = BTreeMap::new();
        for &index in members {
            let located = self.located[index as usize];
            if !filter.admits(located.unit.scope()) {
                continue;
            }
            match self.exclusions.reason_of[index as usize] {
                Some(reason) => {
                    *excluded_by_reason.entry(reason).or_default() += located.unit.contacts()
                }
                None => included.push(located),
            }
        }
        ScopedPeriod {
            included,
            excluded_by_reason,
        }
    }

    fn period_result(
        &self,
        target: &Target,
        period: &Period,
        scoped: &ScopedPeriod<'a, S::Unit>,
    ) -> PeriodResult {
        let included = &scoped.included;
        let contacts = contacts_in(included);
        let excluded = scoped
            .excluded_by_reason
            .iter()
            .map(|(&reason, &contacts)| ExcludedCount {
                reason: self.exclusions.summaries[reason as usize].reason.clone(),
                contacts,
            })
            .collect();
        let (measurement, judgement, intervals) = if target.metric.uses_contacts() {
            self.judge_contacts(target, included)
        } else {
            let measurement = availability(period, self.terms);
            let judgement = measurement.judge(target);
            (measurement, judgement, None)
        };
        PeriodResult {
            start: period.bounds(&self.terms.zone).0,
            period: period.label(),
            actual: measurement.actual,
            ratio: measurement.ratio,
            contacts: Some(contacts),
            excluded,
            judgement,
            calculation: measurement.calculation,
            intervals,
        }
    }

    fn context(&self) -> MeasureContext<'_> {
        MeasureContext {
            zone: &self.terms.zone,
            calendar: self.terms.calendar.as_ref(),
        }
    }

    fn judge_contacts(
        &self,
        target: &Target,
        included: &[Located<S::Unit>],
    ) -> (Measurement, Judgement, Option<IntervalTally>) {
        let contacts = contacts_in(included);
        let Some(attainment) = target.interval_attainment else {
            let measurement = measure(&target.metric, included, &self.context());
            let judgement = below_minimum(contacts, target.min_contacts)
                .unwrap_or_else(|| measurement.judge(target));
            return (measurement, judgement, None);
        };
        // Interval attainment (§4): judge each interval against the target's goal (with the
        // minimum volume), then the share of judged intervals met against the second goal.
        let mut by_interval: BTreeMap<Period, Vec<Located<S::Unit>>> = BTreeMap::new();
        for located in included {
            by_interval
                .entry(
                    attainment
                        .interval
                        .containing(located.arrived, &self.terms.zone),
                )
                .or_default()
                .push(*located);
        }
        let mut tally = IntervalTally {
            judged: 0,
            met: 0,
            not_judged: 0,
        };
        for interval in by_interval.values() {
            let judgement = below_minimum(contacts_in(interval), target.min_contacts)
                .unwrap_or_else(|| {
                    let value = measure(&target.metric, interval, &self.context()).actual;
                    judge(value, target.goal, target.metric.direction())
                });
            match judgement.status {
                Status::Met => tally.met += 1,
                Status::Missed => {}
                Status::NotJudged => tally.not_judged += 1,
            }
            if judgement.status != Status::NotJudged {
                tally.judged += 1;
            }
        }
        let ratio = Ratio::of(tally.met, tally.judged);
        let actual = ratio.percent();
        let noun = attainment.interval.noun();
        let mut calculation = format!(
            "{} of {} judged {noun}s met {} {}",
            count(tally.met),
            count(tally.judged),
            target.metric.direction().symbol(),
            target.metric.unit().format(target.goal)
        );
        calculation.push_str(&match actual {
            Some(value) => format!(" = {}", Unit::Percent.format(value)),
            None => ": no judged intervals".to_owned(),
        });
        if tally.not_judged > 0 {
            calculation.push_str(&format!(
                "; {} not judged (fewer than {}, or no data)",
                count_of(tally.not_judged, noun, &format!("{noun}s")),
                count_of(target.min_contacts, "contact", "contacts")
            ));
        }
        let judgement = judge(actual, attainment.goal, Direction::AtLeast);
        (
            Measurement {
                actual,
                ratio: Some(ratio),
                calculation,
                unknown_because: None,
            },
            judgement,
            Some(tally),
        )
    }
}

/// The contacts `located` stand for.
fn contacts_in<U: Countable>(located: &[Located<U>]) -> u32 {
    located.iter().map(|located| located.unit.contacts()).sum()
}

/// Availability in `period` from the terms' outage windows: it needs no contacts, so every
/// input shape measures it the same way.
pub(crate) fn availability(period: &Period, terms: &Terms) -> Measurement {
    let (start, end) = period.bounds(&terms.zone);
    match &terms.availability {
        Some(availability) => measure_availability(
            Span::new(start, end),
            availability,
            terms.calendar.as_ref(),
            &terms.zone,
        ),
        None => Measurement {
            actual: None,
            ratio: None,
            calculation: "the terms have no availability section".to_owned(),
            unknown_because: None,
        },
    }
}

/// A period of a target the input cannot compute, with why.
pub(crate) fn not_computable_result(period: &Period, reason: &str, zone: &Zone) -> PeriodResult {
    PeriodResult {
        start: period.bounds(zone).0,
        period: period.label(),
        actual: None,
        ratio: None,
        contacts: Some(0),
        excluded: Vec::new(),
        judgement: not_judged(reason.to_owned()),
        calculation: reason.to_owned(),
        intervals: None,
    }
}
