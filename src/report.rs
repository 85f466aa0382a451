//! The report: per period, the queue's figures and every target's verdict with its arithmetic.
//! This is the one orchestration step; the wasm API and the command line only call
//! [`build_report`].

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use chrono::{DateTime, Utc};

use crate::availability::measure_availability;
use crate::compliance::{below_minimum, judge, not_judged, Judgement, Status};
use crate::cores::both;
use crate::credits::{compute_credits, CreditsReport};
use crate::exclusions::{find_exclusions, note_cut_intervals, ExclusionSummary, Exclusions};
use crate::input::ImportQuality;
use crate::measure::{
    arrivals_in, definition, MeasureContext, Measurement, Measuring, Placed, QueueCount,
};
use crate::metrics::{abandonment_rate, average_speed_of_answer, Ratio};
use crate::period::{Period, PeriodFinder, PeriodKind};
use crate::source::{Countable, Source};
use crate::suggest::History;
use crate::target::{Direction, Metric, ScopeFilter, ScopeTable, Target, Unit};
use crate::terms::Terms;
use crate::text::{count, count_of};
use crate::timespan::Span;
use crate::waits::{chart_threshold, wait_distribution_less_excluded, WaitDistribution};
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

/// Contacts by period, as indices into the units, per period kind (computed once per kind
/// however many targets use it).
pub(crate) type Grouping = BTreeMap<Period, Vec<u32>>;

/// Computes the report of `dataset` (contacts or interval aggregates) under `terms`.
pub fn build_report<S: Source>(dataset: &S, terms: &Terms) -> Report {
    build_report_after(dataset, terms, None, &mut Placement::default()).report
}

/// A dataset's units placed in time in one zone — each one's arrival, and the units of each
/// period by kind — kept from report to report of that dataset: an edit that keeps the zone
/// places no unit again (a pass over a million contacts and their periods, about half of a
/// report measuring one target). Memory: 12 bytes per unit, and 4 per unit and period kind.
#[derive(Debug, Default)]
pub struct Placement {
    zone: Option<Zone>,
    arrivals: Vec<DateTime<Utc>>,
    groupings: HashMap<PeriodKind, Grouping>,
}

impl Placement {
    /// The arrivals of `units` in `zone`: those kept when they were placed so already, else
    /// found now (and the groupings of the arrivals before let go). The heat map reads them too.
    pub fn arrivals<U: Countable>(&mut self, units: &[U], zone: &Zone) -> &[DateTime<Utc>] {
        if self.zone.as_ref() != Some(zone) || self.arrivals.len() != units.len() {
            self.arrivals = arrivals_in(units, zone);
            self.groupings.clear();
            self.zone = Some(zone.clone());
        }
        &self.arrivals
    }

    /// The arrivals of `units` in `zone` and their groupings by periods of each of `kinds`:
    /// those kept when they were placed so already, else found now.
    fn place<U: Countable>(
        &mut self,
        units: &[U],
        zone: &Zone,
        kinds: impl IntoIterator<Item = PeriodKind>,
    ) -> (&[DateTime<Utc>], &HashMap<PeriodKind, Grouping>) {
        self.arrivals(units, zone);
        for kind in kinds {
            let arrivals = &self.arrivals;
            self.groupings
                .entry(kind)
                .or_insert_with(|| group(arrivals, kind, zone));
        }
        (&self.arrivals, &self.groupings)
    }
}

/// The last report made of a dataset and the terms it was made under, which a report under
/// edited terms takes what the edit left unmeasured from.
#[derive(Debug, Clone, Copy)]
pub struct Earlier<'a> {
    pub terms: &'a Terms,
    pub report: &'a Report,
}

/// A report made after an earlier one, and how many of its targets needed a pass over the data
/// (the others were carried over, judged again where their goal moved).
#[derive(Debug)]
pub struct Remade {
    pub report: Report,
    pub targets_measured: usize,
}

/// The report of `dataset` under `terms`, taking from `earlier` (a report of the same dataset)
/// every part the edit from its terms to these leaves as it was: an edit of one target measures
/// that target alone, and reads the units' places in time from `placement` (which they are
/// added to when it has not got them). Exact: the report is, to the character, the one made anew
/// (`tests/rejudge.rs`). Nothing is carried when the setting that every measurement reads
/// changed — the zone, the reporting period, business hours, exclusions, the forecast or the
/// availability clauses.
pub fn build_report_after<S: Source>(
    dataset: &S,
    terms: &Terms,
    earlier: Option<Earlier>,
    placement: &mut Placement,
) -> Remade {
    let same_setting = earlier.filter(|earlier| setting(earlier.terms) == setting(terms));
    let carried: Vec<Option<TargetResults>> = terms
        .targets
        .iter()
        .map(|target| same_setting.and_then(|earlier| earlier.carried(target, dataset)))
        .collect();
    let targets_measured = carried.iter().filter(|results| results.is_none()).count();
    // What the setting alone decides, carried whole from a report in the same setting.
    let carried_setting = same_setting.map(|earlier| SettingParts {
        periods: earlier.report.periods.clone(),
        exclusions: earlier.report.exclusions.clone(),
        waits: earlier.report.waits.at_threshold(chart_threshold(terms)),
    });
    let (setting_parts, targets) = match carried_setting {
        Some(parts) if targets_measured == 0 => (parts, carried.into_iter().flatten().collect()),
        carried_setting => {
            // The reporting period's contacts are grouped only when its figures are not carried;
            // the forecast's, to compare their volume with it.
            let forecast_per = terms.forecast.as_ref().map(|forecast| forecast.per);
            let kinds = carried_setting
                .is_none()
                .then_some(terms.period)
                .into_iter()
                .chain(forecast_per)
                .chain(measured(&terms.targets, &carried).map(|target| target.period));
            let (arrivals, groupings) = placement.place(dataset.units(), &terms.zone, kinds);
            let placed = Placed::new(dataset.units(), arrivals);
            let forecast_periods = forecast_per.and_then(|per| groupings.get(&per));
            let mut exclusions = find_exclusions(placed, terms, forecast_periods);
            if let Some(minutes) = dataset.interval_minutes() {
                note_cut_intervals(&mut exclusions, terms, minutes);
            }
            let engine = Engine {
                dataset,
                terms,
                placed,
                exclusions: &exclusions,
            };
            match carried_setting {
                Some(parts) => (parts, engine.all_target_results(groupings, carried, None).0),
                // The targets with the queue's figures, and the wait chart, each read every
                // contact: natively, at once.
                None => {
                    let ((targets, periods), waits) = both(
                        || engine.all_target_results(groupings, carried, Some(terms.period)),
                        || wait_chart(dataset, terms, &exclusions, earlier),
                    );
                    let parts = SettingParts {
                        periods,
                        waits,
                        exclusions: exclusions.summaries,
                    };
                    (parts, targets)
                }
            }
        }
    };
    let report = Report {
        version: REPORT_VERSION,
        credits: compute_credits(terms, &targets),
        waits: setting_parts.waits,
        quality: dataset.quality().clone(),
        agreement: AgreementSummary::of(terms),
        periods: setting_parts.periods,
        exclusions: setting_parts.exclusions,
        targets,
    };
    Remade {
        report,
        targets_measured,
    }
}

/// The parts of a report that the setting decides, whatever the targets: the queue's figures
/// per period, the exclusions and the wait chart (but for the threshold it marks).
struct SettingParts {
    periods: Vec<PeriodFigures>,
    exclusions: Vec<ExclusionSummary>,
    waits: WaitDistribution,
}

impl Earlier<'_> {
    /// `target`'s results as the earlier report has them for a target measured the same way,
    /// judged again at `target`'s goal and labelled as it is — or `None` when it must be
    /// measured (it is new, its measurement changed, or its measurement reads the moved goal).
    fn carried<S: Source>(&self, target: &Target, dataset: &S) -> Option<TargetResults> {
        let key = measured_part(target);
        let (before, results) = self
            .terms
            .targets
            .iter()
            .zip(&self.report.targets)
            .find(|(before, _)| measured_part(before) == key)?;
        let mut results = if before.goal == target.goal {
            results.clone()
        } else if dataset.measures_apart_from_goal(target) {
            results.judged_at(target.goal)
        } else {
            return None;
        };
        results.label.clone_from(&target.label);
        Some(results)
    }
}

/// The wait chart under `terms`. It reads only which contacts are excluded (and the threshold
/// it marks), so it is read from the chart of every contact where the report before had it
/// (its own chart when its terms excluded none, else the one it was read from): that chart as
/// it is where these terms exclude none either (a new zone or period, the exclusions removed),
/// or less the waits these exclude — not every wait sorted again.
fn wait_chart<S: Source>(
    dataset: &S,
    terms: &Terms,
    exclusions: &Exclusions,
    earlier: Option<Earlier>,
) -> WaitDistribution {
    let of_all =
        earlier.and_then(|earlier| earlier.report.waits.of_all(excludes_none(earlier.terms)));
    match of_all {
        Some(of_all) if exclusions.reason_of.iter().all(Option::is_none) => {
            of_all.at_threshold(chart_threshold(terms))
        }
        Some(of_all) => wait_distribution_less_excluded(of_all, dataset.units(), exclusions, terms)
            .unwrap_or_else(|| dataset.wait_distribution(dataset.units(), exclusions, terms)),
        None => dataset.wait_distribution(dataset.units(), exclusions, terms),
    }
}

/// Whether `terms` exclude no contact whatever the data: no window, no forecast.
fn excludes_none(terms: &Terms) -> bool {
    terms.exclusions.is_empty() && terms.forecast.is_none()
}

/// What every measurement reads besides its target: the terms without their name, money and
/// targets.
fn setting(terms: &Terms) -> Terms {
    Terms {
        name: None,
        currency: None,
        fee_per_period: None,
        credits: None,
        targets: Vec::new(),
        ..terms.clone()
    }
}

/// What of a target its measurement reads: all but its goal, label and credit rule.
fn measured_part(target: &Target) -> Target {
    Target {
        goal: 0.0,
        label: String::new(),
        credit: None,
        ..target.clone()
    }
}

/// The targets of `targets` with nothing `carried` for them.
fn measured<'t>(
    targets: &'t [Target],
    carried: &'t [Option<TargetResults>],
) -> impl Iterator<Item = &'t Target> {
    targets
        .iter()
        .zip(carried)
        .filter(|(_, carried)| carried.is_none())
        .map(|(target, _)| target)
}

/// The indices of the units arrived at `arrivals`, by period, each period's in index order.
/// Contacts mostly come in time order: a run of consecutive contacts in one period's span is
/// found by comparing their arrivals with its ends, and added at once, without a map lookup
/// (or an allocation) per contact.
pub(crate) fn group(arrivals: &[DateTime<Utc>], kind: PeriodKind, zone: &Zone) -> Grouping {
    let mut periods: Grouping = BTreeMap::new();
    let mut finder = PeriodFinder::new(kind, zone);
    let mut start = 0;
    while let Some(&first) = arrivals.get(start) {
        let (period, span) = finder.containing_span(first);
        let run = arrivals[start..]
            .iter()
            .position(|arrived| !span.contains(arrived))
            .map_or(arrivals.len(), |outside| start + outside);
        periods
            .entry(period)
            .or_default()
            .extend(start as u32..run as u32);
        start = run;
    }
    periods
}

/// The queue's figures of one period, counted as its members go by.
#[derive(Default)]
struct FiguresCount {
    count: QueueCount,
    contacts: u32,
    excluded: u32,
}

impl FiguresCount {
    /// Takes a member, excluded for a reason or counted.
    fn add<U: Countable>(&mut self, unit: &U, reason: Option<u16>) {
        if reason.is_some() {
            self.excluded += unit.contacts();
        } else {
            self.contacts += unit.contacts();
            unit.add_queue(&mut self.count, 0.0, 0.0);
        }
    }

    fn finish(self, period: &Period) -> PeriodFigures {
        let tally = self.count.tally;
        PeriodFigures {
            period: period.label(),
            contacts: Some(self.contacts),
            excluded: self.excluded,
            offered: Some(tally.offered()),
            answered: Some(tally.answered),
            abandoned: Some(tally.abandoned),
            other: Some(tally.other),
            asa_secs: average_speed_of_answer(&tally).mean(),
            abandonment_rate: abandonment_rate(&tally).percent(),
        }
    }
}

/// A scope filter and the targets under it, by their position among a walk's passes.
type ScopeTargets<'f> = (&'f ScopeFilter, Vec<usize>);

/// Takes out of a scope's `positions` (among `passes`) each pass that counts as another one
/// left in: a service level and an ASA of one scope count the same queue tally, so the walk
/// counts it once. Returns each pass taken out with the one it copies its counts from.
fn take_twins<U: Countable>(
    positions: &mut Vec<usize>,
    passes: &[TargetPass<U>],
) -> Vec<(usize, usize)> {
    let mut twins: Vec<(usize, usize)> = Vec::new();
    let mut sources: Vec<usize> = Vec::new();
    for &position in positions.iter() {
        if sources.contains(&position) {
            continue;
        }
        let source = positions.iter().copied().find(|&other| {
            other != position
                && !twins.iter().any(|&(twin, _)| twin == other)
                && passes[position].counts_as(&passes[other])
        });
        if let Some(source) = source {
            twins.push((position, source));
            sources.push(source);
        }
    }
    positions.retain(|position| !twins.iter().any(|&(twin, _)| twin == *position));
    twins
}

/// The pass at `twin`, to write, and the one at `source`, to read: two places of `passes`.
fn twin_and_source<T>(passes: &mut [T], twin: usize, source: usize) -> (&mut T, &T) {
    if twin < source {
        let (before, after) = passes.split_at_mut(source);
        (&mut before[twin], &after[0])
    } else {
        let (before, after) = passes.split_at_mut(twin);
        (&mut after[0], &before[source])
    }
}

/// How many of a period's members a walk sorts by scope before the targets take them: 512
/// contacts are 32 KB, about what a core's first-level cache holds.
const WALK_RUN: usize = 512;

/// How a target's results come about in a report.
enum Plan {
    /// Taken from the earlier report.
    Carried(TargetResults),
    /// Measured in a pass over its periods' contacts that its scope filter admits, with the
    /// scope's notes.
    Measured(ScopeFilter, Vec<String>),
    /// Not computable from the data, for this reason.
    NotComputable(String),
}

/// What every target's computation shares.
struct Engine<'a, S: Source> {
    dataset: &'a S,
    terms: &'a Terms,
    placed: Placed<'a, S::Unit>,
    exclusions: &'a Exclusions,
}

/// One target's pass over one period's contacts its scope admits: counted and measured as they
/// go by, the excluded ones counted per reason.
struct TargetPass<'a, 'c, U> {
    target: &'a Target,
    contacts: u32,
    excluded_by_reason: BTreeMap<u16, u32>,
    measuring: PassMeasuring<'c, U>,
}

impl<'a, 'c, U: Countable> TargetPass<'a, 'c, U> {
    fn new(target: &'a Target, context: &MeasureContext<'c>) -> TargetPass<'a, 'c, U> {
        TargetPass {
            target,
            contacts: 0,
            excluded_by_reason: BTreeMap::new(),
            measuring: match &target.interval_attainment {
                Some(attainment) => PassMeasuring::Intervals(
                    PeriodFinder::new(attainment.interval, context.zone),
                    BTreeMap::new(),
                ),
                None => PassMeasuring::Period(Measuring::new(&target.metric, context)),
            },
        }
    }

    /// Whether, under the same scope, it counts everything it reads as `other` does: then the
    /// walk counts for `other` alone and this pass copies its counts.
    fn counts_as(&self, other: &TargetPass<U>) -> bool {
        match (&self.measuring, &other.measuring) {
            (PassMeasuring::Period(measuring), PassMeasuring::Period(other)) => {
                measuring.counts_as(other)
            }
            _ => false,
        }
    }

    /// Takes the counts of `source`, a pass over the same scope it [`counts_as`](Self::counts_as).
    fn copy_counts(&mut self, source: &TargetPass<U>) {
        if let (PassMeasuring::Period(measuring), PassMeasuring::Period(source_measuring)) =
            (&mut self.measuring, &source.measuring)
        {
            let copied = measuring.copy_counts(source_measuring);
            debug_assert!(copied, "counts copied from a pass that counts differently");
        }
        self.contacts = source.contacts;
        self.excluded_by_reason
            .clone_from(&source.excluded_by_reason);
    }

    /// Takes the contacts of a run its scope admits (indices into `placed`): those `counted`,
    /// and those excluded, each with its reason.
    fn add_run(
        &mut self,
        placed: Placed<U>,
        counted: &[u32],
        excluded: &[(u32, u16)],
        context: &MeasureContext<'c>,
    ) {
        for &(index, reason) in excluded {
            *self.excluded_by_reason.entry(reason).or_default() +=
                placed.units()[index as usize].contacts();
        }
        let located = counted.iter().map(|&index| placed.at(index as usize));
        match &mut self.measuring {
            PassMeasuring::Period(measuring) => {
                self.contacts += counted
                    .iter()
                    .map(|&index| placed.units()[index as usize].contacts())
                    .sum::<u32>();
                measuring.add_each(located);
            }
            PassMeasuring::Intervals(finder, intervals) => {
                for located in located {
                    let contacts = located.unit.contacts();
                    self.contacts += contacts;
                    let interval = finder.containing(located.arrived);
                    let (in_interval, measuring) = intervals
                        .entry(interval)
                        .or_insert_with(|| (0, Measuring::new(&self.target.metric, context)));
                    *in_interval += contacts;
                    measuring.add(&located);
                }
            }
        }
    }
}

/// A target's measurement over a period, or over each of its intervals (interval attainment,
/// DOMAIN §4), with each interval's contacts for the minimum volume.
enum PassMeasuring<'c, U> {
    Period(Measuring<'c, U>),
    Intervals(PeriodFinder<'c>, BTreeMap<Period, (u32, Measuring<'c, U>)>),
}

impl<'a, S: Source> Engine<'a, S> {
    /// Every target's results, in the terms' order: those `carried` as they are, the others
    /// measured; and the queue's figures of each period of `figures_of` (none without). The
    /// contacts of each period are walked once for all the measured targets of its period kind,
    /// each taking those its scope admits, and for the figures.
    fn all_target_results(
        &self,
        groupings: &HashMap<PeriodKind, Grouping>,
        carried: Vec<Option<TargetResults>>,
        figures_of: Option<PeriodKind>,
    ) -> (Vec<TargetResults>, Vec<PeriodFigures>) {
        let mut kinds: Vec<PeriodKind> = measured(&self.terms.targets, &carried)
            .map(|target| target.period)
            .chain(figures_of)
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        let plans: Vec<Plan> = self
            .terms
            .targets
            .iter()
            .zip(carried)
            .map(|(target, carried)| match carried {
                Some(results) => Plan::Carried(results),
                None => match self.computable(target) {
                    Ok((filter, notes)) => Plan::Measured(filter, notes),
                    Err(reason) => Plan::NotComputable(reason),
                },
            })
            .collect();
        let mut results: Vec<Vec<PeriodResult>> = vec![Vec::new(); self.terms.targets.len()];
        let mut figures = Vec::new();
        for kind in kinds {
            let passing: Vec<(usize, &ScopeFilter)> = plans
                .iter()
                .enumerate()
                .filter(|&(index, _)| self.terms.targets[index].period == kind)
                .filter_map(|(index, plan)| match plan {
                    Plan::Measured(filter, _) => Some((index, filter)),
                    _ => None,
                })
                .collect();
            for (period, members) in &groupings[&kind] {
                let mut count = (figures_of == Some(kind)).then(FiguresCount::default);
                let passes = self.walk(members, &passing, count.as_mut());
                for ((index, _), pass) in passing.iter().zip(passes) {
                    results[*index].push(self.period_result(period, pass));
                }
                figures.extend(count.map(|count| count.finish(period)));
            }
        }
        let targets = self
            .terms
            .targets
            .iter()
            .zip(plans)
            .zip(results)
            .map(|((target, plan), results)| match plan {
                Plan::Carried(carried) => carried,
                Plan::Measured(_, notes) => {
                    TargetResults::of(target, definition(&target.metric), notes, results)
                }
                Plan::NotComputable(reason) => {
                    let results = groupings[&target.period]
                        .keys()
                        .map(|period| not_computable_result(period, &reason, &self.terms.zone))
                        .collect();
                    TargetResults::of(target, definition(&target.metric), vec![reason], results)
                }
            })
            .collect();
        (targets, figures)
    }

    /// The target's scope filter and its notes, or why the data cannot compute it.
    fn computable(&self, target: &Target) -> Result<(ScopeFilter, Vec<String>), String> {
        let missing_column = target
            .metric
            .uses_contacts()
            .then(|| self.dataset.not_computable(target))
            .flatten();
        match missing_column {
            Some(reason) => Err(reason),
            None => self.scope_filter(target),
        }
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

    /// One pass over a period's `members` for every target of `passing` (by index, with its
    /// scope filter), and for the queue's `figures` when asked.
    fn walk<'t>(
        &'t self,
        members: &[u32],
        passing: &[(usize, &'t ScopeFilter)],
        mut figures: Option<&mut FiguresCount>,
    ) -> Vec<TargetPass<'t, 't, S::Unit>> {
        let context = self.context();
        let units = self.placed.units();
        let reason_of = &self.exclusions.reason_of;
        let mut passes: Vec<TargetPass<S::Unit>> = passing
            .iter()
            .map(|&(index, _)| TargetPass::new(&self.terms.targets[index], &context))
            .collect();
        // Targets with one scope share its test, and the scopes are told apart by one table
        // look-up per label field: three channels are not twelve tests per contact.
        let mut scopes: Vec<ScopeTargets> = Vec::new();
        for (position, &(_, filter)) in passing.iter().enumerate() {
            match scopes.iter_mut().find(|(known, _)| *known == filter) {
                Some((_, positions)) => positions.push(position),
                None => scopes.push((filter, vec![position])),
            }
        }
        let twins: Vec<(usize, usize)> = scopes
            .iter_mut()
            .flat_map(|(_, positions)| take_twins(positions, &passes))
            .collect();
        let tables: Vec<(ScopeTable, &[ScopeTargets])> = scopes
            .chunks(ScopeTable::MOST_SCOPES)
            .map(|scopes| {
                let filters: Vec<&ScopeFilter> = scopes.iter().map(|(filter, _)| *filter).collect();
                (ScopeTable::new(&filters), scopes)
            })
            .collect();
        let widest = tables.iter().map(|(_, scopes)| scopes.len()).max();
        // Each scope's contacts of a run of members, counted or excluded (with the reason).
        let mut counted: Vec<Vec<u32>> = vec![Vec::with_capacity(WALK_RUN); widest.unwrap_or(0)];
        let mut excluded: Vec<Vec<(u32, u16)>> = vec![Vec::new(); widest.unwrap_or(0)];
        // Sorted out a run at a time, then taken by each target at once: the contacts are
        // still in the cache when the next target reads them.
        for run in members.chunks(WALK_RUN) {
            if let Some(figures) = figures.as_deref_mut() {
                for &index in run {
                    figures.add(&units[index as usize], reason_of[index as usize]);
                }
            }
            for (table, scopes) in &tables {
                for &index in run {
                    let reason = reason_of[index as usize];
                    let mut admitting = table.admitting(units[index as usize].scope());
                    while admitting != 0 {
                        let scope = admitting.trailing_zeros() as usize;
                        match reason {
                            None => counted[scope].push(index),
                            Some(reason) => excluded[scope].push((index, reason)),
                        }
                        admitting &= admitting - 1;
                    }
                }
                for (scope, (_, positions)) in scopes.iter().enumerate() {
                    for &position in positions {
                        passes[position].add_run(
                            self.placed,
                            &counted[scope],
                            &excluded[scope],
                            &context,
                        );
                    }
                    counted[scope].clear();
                    excluded[scope].clear();
                }
            }
        }
        for (twin, source) in twins {
            let (twin, source) = twin_and_source(&mut passes, twin, source);
            twin.copy_counts(source);
        }
        passes
    }

    fn period_result(&self, period: &Period, pass: TargetPass<S::Unit>) -> PeriodResult {
        let target = pass.target;
        let excluded = pass
            .excluded_by_reason
            .iter()
            .map(|(&reason, &contacts)| ExcludedCount {
                reason: self.exclusions.summaries[reason as usize].reason.clone(),
                contacts,
            })
            .collect();
        let (measurement, judgement, intervals) = if target.metric.uses_contacts() {
            judge_contacts::<S::Unit>(target, pass.contacts, pass.measuring)
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
            contacts: Some(pass.contacts),
            excluded,
            judgement,
            calculation: measurement.calculation,
            intervals,
        }
    }

    fn context(&self) -> MeasureContext<'a> {
        MeasureContext {
            zone: &self.terms.zone,
            calendar: self.terms.calendar.as_ref(),
        }
    }
}

/// A target's verdict on a period's `contacts` in scope from what its pass measured.
fn judge_contacts<U: Countable>(
    target: &Target,
    contacts: u32,
    measuring: PassMeasuring<U>,
) -> (Measurement, Judgement, Option<IntervalTally>) {
    let intervals = match measuring {
        PassMeasuring::Period(measuring) => {
            let measurement = measuring.finish();
            let judgement = below_minimum(contacts, target.min_contacts)
                .unwrap_or_else(|| measurement.judge(target));
            return (measurement, judgement, None);
        }
        PassMeasuring::Intervals(_, intervals) => intervals,
    };
    let attainment = target
        .interval_attainment
        .expect("intervals are measured for interval attainment");
    // Interval attainment (§4): judge each interval against the target's goal (with the
    // minimum volume), then the share of judged intervals met against the second goal.
    let mut tally = IntervalTally {
        judged: 0,
        met: 0,
        not_judged: 0,
    };
    for (contacts, measuring) in intervals.into_values() {
        let judgement = below_minimum(contacts, target.min_contacts).unwrap_or_else(|| {
            let value = measuring.finish().actual;
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
