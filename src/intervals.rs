//! Interval aggregates (DOMAIN §9): an ACD's interval report, one row per interval and scope
//! with its counts and sums, counted by the same engine as contacts. A metric whose inputs the
//! report lacks is "not computable from this report", naming the column it would need — never
//! estimated.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::exclusions::Exclusions;
use crate::input::{Dataset, FieldSet, ImportQuality};
use crate::measure::{
    not_computable, CsatTally, EdgeTally, FcrTally, HandleTally, MeasureContext, Milestone,
    QueueCount, WithinTally,
};
use crate::model::{Contact, LabelId, Labels, Outcome, ScopeField};
use crate::source::{Countable, Source, Threshold};
use crate::target::{CsatMode, Metric, ServiceLevelFormula, Target};
use crate::terms::Terms;
use crate::text::describe_duration;
use crate::values::Timestamp;
use crate::waits::{wait_distribution, WaitCounts, WaitDistribution};
use crate::zone::Zone;

/// The contacts of one interval and scope, counted.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    pub start: Timestamp,
    pub scope: [Option<LabelId>; 3],
    pub answered: u32,
    pub abandoned: u32,
    /// Offered but neither answered nor abandoned (transferred, overflow…): reported, never
    /// part of offered (DOMAIN §1).
    pub other: u32,
    /// `A_T` for each threshold `T` the report carries, `T` increasing: answered with a wait of
    /// `T` seconds or less.
    pub answered_within: Vec<(f64, u32)>,
    /// `Ab_T`, likewise.
    pub abandoned_within: Vec<(f64, u32)>,
    /// `(S, Ab_S)`: abandoned after a wait shorter than `S`.
    pub short_abandons: Option<(f64, u32)>,
    /// Total wait of the answered contacts.
    pub answered_wait_secs: f64,
    /// Total handle time (talk + hold + wrap) of answered contacts, and how many it covers…
    pub handle_secs: f64,
    pub handled: u32,
    /// …and the answered contacts it does not: no handle time is known for them.
    pub without_handle: u32,
    pub fcr_resolved: u32,
    /// Contacts whose first-contact resolution is known…
    pub fcr_known: u32,
    /// …and, of contacts read one by one, those whose is not (an ACD's report counts none).
    pub fcr_unknown: u32,
    pub csat_total: f64,
    pub csat_responses: u32,
    /// Scores outside the survey's scale: not responses (DOMAIN §3).
    pub csat_off_scale: u32,
    /// Contacts read one by one whose queue counts are incomplete, kept so that intervals
    /// reduced from contacts say what the contacts' own report says: answered without a wait
    /// (in AHT, FCR and CSAT, in no queue count), without an outcome, and abandoned without a
    /// wait (abandoned, neither within T nor short). An ACD's report has none.
    pub answered_without_wait: u32,
    pub without_outcome: u32,
    pub abandoned_without_wait: u32,
}

impl IntervalRow {
    /// An interval with nothing counted yet.
    pub fn starting(start: Timestamp) -> IntervalRow {
        IntervalRow {
            start,
            scope: [None; 3],
            answered: 0,
            abandoned: 0,
            other: 0,
            answered_within: Vec::new(),
            abandoned_within: Vec::new(),
            short_abandons: None,
            answered_wait_secs: 0.0,
            handle_secs: 0.0,
            handled: 0,
            without_handle: 0,
            fcr_resolved: 0,
            fcr_known: 0,
            fcr_unknown: 0,
            csat_total: 0.0,
            csat_responses: 0,
            csat_off_scale: 0,
            answered_without_wait: 0,
            without_outcome: 0,
            abandoned_without_wait: 0,
        }
    }
}

/// `A_T` (or `Ab_T`) of a row: the count at edge `T`, 0 when the row has no such edge — which
/// the report refuses before counting (see [`IntervalReport::not_computable`]).
fn at_edge(counts: &[(f64, u32)], threshold_secs: f64) -> u32 {
    counts
        .iter()
        .find(|(edge, _)| *edge == threshold_secs)
        .map_or(0, |(_, count)| *count)
}

/// What an interval report's columns carry, and so which metrics it can give.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Carries {
    /// Answered and abandoned counts: every queue metric needs them.
    pub queue: bool,
    pub answer_edges: Vec<f64>,
    pub abandon_edges: Vec<f64>,
    pub short_abandon_secs: Option<f64>,
    /// Numbered increments were found without their edges: thresholds need them supplied.
    pub increments_without_edges: bool,
    pub wait: bool,
    pub handle: bool,
    pub fcr: bool,
    pub csat: bool,
}

/// An interval report read in: its rows and what they carry.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalReport {
    pub rows: Vec<IntervalRow>,
    /// Minutes per interval, as the report states or as its starts are spaced.
    pub interval_minutes: u32,
    pub carries: Carries,
    pub quality: ImportQuality,
    pub labels: [Labels; 3],
    pub scope_columns: [bool; 3],
    /// The first skipped rows as written, with why, and the header they sit under.
    pub skipped_rows: Vec<crate::input::SkippedRow>,
    pub column_names: Vec<String>,
    /// Set when the rows are contacts counted as they were read (`crate::reduced`).
    pub counted_contacts: Option<Box<CountedContacts>>,
}

/// What rows counted from contacts keep of them besides counts, so that their report is the
/// contacts' own: the contacts' columns say what is computable (the terms were checked to need
/// nothing else, [`Reduction::exactly_for`]), and their distinct waits draw the wait chart.
#[derive(Debug, Clone, PartialEq)]
pub struct CountedContacts {
    pub fields: FieldSet,
    pub waits: WaitCounts,
}

impl Countable for IntervalRow {
    const SINGLE_WAITS: bool = false;

    fn arrived(&self) -> Timestamp {
        self.start
    }

    fn scope(&self) -> &[Option<LabelId>; 3] {
        &self.scope
    }

    fn contacts(&self) -> u32 {
        self.answered
            + self.abandoned
            + self.other
            + self.answered_without_wait
            + self.without_outcome
    }

    fn offered(&self) -> u32 {
        self.answered + self.abandoned + self.answered_without_wait
    }

    fn add_queue(&self, count: &mut QueueCount, threshold_secs: f64, short_abandon_secs: f64) {
        let tally = &mut count.tally;
        tally.answered += self.answered;
        tally.abandoned += self.abandoned;
        tally.other += self.other;
        tally.answered_within += at_edge(&self.answered_within, threshold_secs);
        tally.abandoned_within += at_edge(&self.abandoned_within, threshold_secs);
        if short_abandon_secs > 0.0 {
            tally.short_abandons += self
                .short_abandons
                .filter(|(edge, _)| *edge == short_abandon_secs)
                .map_or(0, |(_, count)| count);
        }
        tally.answered_wait_secs += self.answered_wait_secs;
        count.unknown += self.answered_without_wait + self.without_outcome;
        count.abandoned_without_wait += self.abandoned_without_wait;
    }

    fn add_handle(&self, tally: &mut HandleTally) {
        tally.total_secs += self.handle_secs;
        tally.with_handle += self.handled;
        tally.without += self.without_handle;
    }

    fn add_fcr(&self, tally: &mut FcrTally) {
        tally.resolved += self.fcr_resolved;
        tally.known += self.fcr_known;
        tally.unknown += self.fcr_unknown;
    }

    fn add_csat(&self, tally: &mut CsatTally, _scale: [f64; 2], _top_box_floor: f64) {
        tally.total += self.csat_total;
        tally.responses += self.csat_responses;
        tally.off_scale += self.csat_off_scale;
    }

    // Single waits and ticket milestones are not in an interval report: percentiles and the
    // wait chart read its counts within edges instead, and the metrics that need single waits
    // are refused by `not_computable` before anything is counted.
    fn add_wait_samples(&self, _answered: &mut Vec<f64>, _abandoned: &mut Vec<f64>) {}

    fn add_edge_counts(&self, answered: &mut EdgeTally, abandoned: &mut EdgeTally) {
        answered.add(self.answered, &self.answered_within);
        abandoned.add(self.abandoned, &self.abandoned_within);
    }

    fn add_waits(&self, _of_all_offered: bool, _waits: &mut Vec<f64>, _unknown: &mut u32) {}

    fn add_within(
        &self,
        _arrived: DateTime<Utc>,
        _milestone: Milestone,
        _threshold: Threshold,
        _context: &MeasureContext,
        _tally: &mut WithinTally,
    ) {
    }
}

impl Source for IntervalReport {
    type Unit = IntervalRow;

    fn units(&self) -> &[IntervalRow] {
        &self.rows
    }

    fn quality(&self) -> &ImportQuality {
        &self.quality
    }

    fn labels(&self) -> &[Labels; 3] {
        &self.labels
    }

    fn has_scope(&self, field: ScopeField) -> bool {
        self.scope_columns[field.index()]
    }

    fn interval_minutes(&self) -> Option<u32> {
        Some(self.interval_minutes)
    }

    // Counted contacts were counted under terms that exclude none: their waits are the chart.
    fn wait_distribution(
        &self,
        units: &[IntervalRow],
        exclusions: &Exclusions,
        terms: &Terms,
    ) -> WaitDistribution {
        match &self.counted_contacts {
            Some(counted) => counted.waits.distribution(terms),
            None => wait_distribution(units, exclusions, terms),
        }
    }

    fn not_computable(&self, target: &Target) -> Option<String> {
        if let Some(counted) = &self.counted_contacts {
            return not_computable(&target.metric, &counted.fields);
        }
        let needs =
            |what: String| Some(format!("not computable from this interval report: {what}"));
        if let Some(attainment) = target.interval_attainment {
            let minutes = attainment.interval.interval_minutes();
            if minutes < self.interval_minutes || minutes % self.interval_minutes != 0 {
                return needs(format!(
                    "its intervals are {} min, and {}s need intervals that divide them",
                    self.interval_minutes,
                    attainment.interval.noun()
                ));
            }
        }
        let minutes = target.period.interval_minutes();
        if target.period.is_interval() && minutes < self.interval_minutes {
            return needs(format!(
                "its intervals are {} min, longer than the target's {}",
                self.interval_minutes,
                target.period.noun()
            ));
        }
        let carries = &self.carries;
        let queue = || {
            (!carries.queue)
                .then(|| needs("it needs an answered and an abandoned column".to_owned()))
                .flatten()
        };
        let short = |short_abandon_secs: f64| {
            (short_abandon_secs > 0.0 && carries.short_abandon_secs != Some(short_abandon_secs))
                .then(|| {
                    needs(format!(
                        "short abandons under {0} need a \"Short abandons under {0}\" column",
                        seconds_name(short_abandon_secs)
                    ))
                })
                .flatten()
        };
        match target.metric {
            Metric::ServiceLevel {
                threshold_secs,
                formula,
                short_abandon_secs,
            } => queue()
                .or_else(|| carries.edge_needed(true, threshold_secs))
                .or_else(|| {
                    matches!(
                        formula,
                        ServiceLevelFormula::AbandonsNeutral
                            | ServiceLevelFormula::AbandonsPositive
                    )
                    .then(|| carries.edge_needed(false, threshold_secs))
                    .flatten()
                })
                .or_else(|| short(short_abandon_secs)),
            Metric::Asa => queue().or_else(|| {
                (!carries.wait)
                    .then(|| needs("ASA needs a total wait or an ASA column".to_owned()))
                    .flatten()
            }),
            Metric::AbandonmentRate { short_abandon_secs } => {
                queue().or_else(|| short(short_abandon_secs))
            }
            Metric::Aht => (!carries.handle)
                .then(|| needs("AHT needs a handle time column (total or average)".to_owned()))
                .flatten(),
            Metric::Fcr => (!carries.fcr)
                .then(|| {
                    needs("FCR needs \"FCR resolved\" and \"FCR known\" count columns".to_owned())
                })
                .flatten(),
            Metric::Csat {
                csat_mode: CsatMode::Mean,
                ..
            } => (!carries.csat)
                .then(|| {
                    needs("CSAT needs a score total (or mean) and a responses column".to_owned())
                })
                .flatten(),
            Metric::Csat {
                csat_mode: CsatMode::TopBox,
                ..
            } => needs("top-box CSAT needs each response's score".to_owned()),
            // Judged at its goal: `p ≤ G` exactly when the answered within G reach its rank.
            Metric::WaitPercentile { .. } => {
                queue().or_else(|| carries.edge_needed(true, target.goal))
            }
            Metric::MaxWait { .. } => {
                needs("the longest wait needs each contact's wait".to_owned())
            }
            Metric::ResponseWithin { .. } | Metric::ResolutionWithin { .. } => {
                needs("response and resolution times need one row per ticket".to_owned())
            }
            Metric::Availability => None,
        }
    }
}

impl Carries {
    /// Why a threshold the report has no count for (of answered, or of abandoned) is not
    /// computable, naming the column it needs.
    fn edge_needed(&self, answered: bool, threshold_secs: f64) -> Option<String> {
        let (outcome, edges) = if answered {
            ("Answered", &self.answer_edges)
        } else {
            ("Abandoned", &self.abandon_edges)
        };
        if edges.contains(&threshold_secs) {
            return None;
        }
        let or_edges = if self.increments_without_edges {
            " (or the edges of its numbered increments, given as the import's increment edges)"
        } else {
            ""
        };
        let carried = if edges.is_empty() {
            "none".to_owned()
        } else if edges.len() > 10 {
            // A wait histogram: its range, not a hundred edges.
            format!(
                "{} edges from {} to {}",
                edges.len(),
                describe_duration(edges[0]),
                describe_duration(edges[edges.len() - 1])
            )
        } else {
            edges
                .iter()
                .map(|edge| describe_duration(*edge))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Some(format!(
        "not computable from this interval report: it counts {} within {carried}; {} needs an \"{outcome} within {}\" column{or_edges}",
        outcome.to_lowercase(),
        describe_duration(threshold_secs),
        seconds_name(threshold_secs)
    ))
    }
}

/// `20s`, `2.5s`: seconds as a column name writes them.
fn seconds_name(secs: f64) -> String {
    format!("{secs}s")
}

/// What a reduction of contacts to intervals keeps: the interval length and the thresholds the
/// terms need (DOMAIN §9), the same choices the warehouse SQL makes.
#[derive(Debug, Clone, PartialEq)]
pub struct Reduction {
    pub interval_minutes: u32,
    pub answer_edges: Vec<f64>,
    pub abandon_edges: Vec<f64>,
    pub short_abandon_secs: Option<f64>,
    /// Scores outside it are not responses (DOMAIN §3), as the contact engine counts them.
    pub csat_scale: Option<[f64; 2]>,
    /// For a percentile target, the answered wait histogram's step and reach in seconds:
    /// answered counted within 0, step, 2·step … reach (also among `answer_edges`).
    pub histogram: Option<(f64, f64)>,
    /// The agreement's zone: intervals are cut on its wall clock, as its periods are.
    pub zone: Zone,
    /// The scope fields some target names, by [`ScopeField::index`]: rows are kept per these
    /// only, since a field no target filters on would multiply the rows for nothing.
    pub named_scopes: [bool; 3],
}

/// At most this many histogram edges: a wider histogram is coarsened to fit. A warehouse
/// writes one column per edge.
pub const MAX_HISTOGRAM_EDGES: f64 = 400.0;

impl Reduction {
    /// The reduction that keeps every count `terms` need: each service-level threshold (for
    /// answered, and for abandoned where a formula reads it), the first short-abandon
    /// threshold, at `interval_minutes`; for percentile targets, answered waits counted every
    /// `wait_resolution_secs` from 0 to twice the longest goal (at least a minute past it),
    /// so the percentile is read to that resolution — exact for waits in whole multiples of
    /// it — and judged exactly at its goal.
    pub fn for_terms(
        terms: &crate::terms::Terms,
        interval_minutes: u32,
        wait_resolution_secs: f64,
    ) -> Reduction {
        let mut reduction = Reduction {
            interval_minutes,
            answer_edges: Vec::new(),
            abandon_edges: Vec::new(),
            short_abandon_secs: None,
            csat_scale: None,
            histogram: None,
            zone: terms.zone.clone(),
            named_scopes: ScopeField::ALL.map(|field| {
                terms
                    .targets
                    .iter()
                    .any(|target| target.scope.values[field.index()].is_some())
            }),
        };
        let longest_percentile_goal = terms
            .targets
            .iter()
            .filter(|target| matches!(target.metric, Metric::WaitPercentile { .. }))
            .map(|target| target.goal)
            .reduce(f64::max);
        if let Some(goal) = longest_percentile_goal {
            let reach = (2.0 * goal).max(goal + 60.0);
            let resolution = wait_resolution_secs.max(0.001);
            let step = resolution * (reach / resolution / MAX_HISTOGRAM_EDGES).ceil().max(1.0);
            let edges = (reach / step).ceil() as u32;
            reduction.answer_edges.extend(
                // Rounded to the microsecond: 3 × 0.1 is 0.30000000000000004 in binary.
                (0..=edges).map(|k| (f64::from(k) * step * 1e6).round() / 1e6),
            );
            reduction.histogram = Some((step, f64::from(edges) * step));
        }
        for target in &terms.targets {
            let short = match target.metric {
                Metric::ServiceLevel {
                    threshold_secs,
                    short_abandon_secs,
                    ..
                } => {
                    reduction.answer_edges.push(threshold_secs);
                    reduction.abandon_edges.push(threshold_secs);
                    short_abandon_secs
                }
                Metric::AbandonmentRate { short_abandon_secs } => short_abandon_secs,
                Metric::Csat { csat_scale, .. } => {
                    reduction.csat_scale.get_or_insert(csat_scale);
                    0.0
                }
                Metric::WaitPercentile { .. } => {
                    reduction.answer_edges.push(target.goal);
                    0.0
                }
                _ => 0.0,
            };
            if short > 0.0 && reduction.short_abandon_secs.is_none() {
                reduction.short_abandon_secs = Some(short);
            }
        }
        for edges in [&mut reduction.answer_edges, &mut reduction.abandon_edges] {
            edges.sort_by(f64::total_cmp);
            edges.dedup();
        }
        reduction
    }

    /// The reduction that carries every figure of `terms` exactly as their contacts give it,
    /// in 15-minute intervals cut on the agreement's wall clock (every period and attainment
    /// interval is made of them); or why the contacts themselves are needed: a percentile,
    /// the longest wait, a top box and ticket times read single contacts, and exclusions and
    /// forecasts place each contact by its own arrival.
    pub fn exactly_for(terms: &crate::terms::Terms) -> Result<Reduction, String> {
        Reduction::counting_for(terms, false)
    }

    /// The reduction for contacts too many to hold (a file the page counts as it reads):
    /// [`Reduction::exactly_for`]'s, except that a wait percentile is read from the answered
    /// waits counted at each whole second up to twice its goal (coarser past a goal of 200 s,
    /// see [`MAX_HISTOGRAM_EDGES`]): its verdict exact, its value the second at or above the
    /// true one — the true one for whole-second waits, as ACDs write them.
    pub fn to_the_second_for(terms: &crate::terms::Terms) -> Result<Reduction, String> {
        Reduction::counting_for(terms, true)
    }

    fn counting_for(
        terms: &crate::terms::Terms,
        percentiles_to_the_second: bool,
    ) -> Result<Reduction, String> {
        if !terms.exclusions.is_empty() || terms.forecast.is_some() {
            return Err("exclusions place each contact by its own arrival".to_owned());
        }
        let mut short_abandons = Vec::new();
        let mut csat_scales = Vec::new();
        for target in &terms.targets {
            let needs_contacts = match target.metric {
                Metric::WaitPercentile { .. } if percentiles_to_the_second => continue,
                Metric::WaitPercentile { .. } => "a wait percentile",
                Metric::MaxWait { .. } => "the longest wait",
                Metric::Csat {
                    csat_mode: CsatMode::TopBox,
                    ..
                } => "a top-box CSAT",
                Metric::ResponseWithin { .. } | Metric::ResolutionWithin { .. } => {
                    "a response or resolution time"
                }
                Metric::ServiceLevel {
                    short_abandon_secs, ..
                }
                | Metric::AbandonmentRate { short_abandon_secs } => {
                    short_abandons.push(short_abandon_secs);
                    continue;
                }
                Metric::Csat { csat_scale, .. } => {
                    csat_scales.push(csat_scale);
                    continue;
                }
                Metric::Asa | Metric::Aht | Metric::Fcr | Metric::Availability => continue,
            };
            return Err(format!("{needs_contacts} reads each contact"));
        }
        short_abandons.retain(|&secs| secs > 0.0);
        short_abandons.dedup();
        csat_scales.dedup();
        if short_abandons.len() > 1 || csat_scales.len() > 1 {
            return Err("the targets count short abandons or survey scores differently".to_owned());
        }
        Ok(Reduction::for_terms(terms, 15, 1.0))
    }

    /// Whether rows counted with this reduction carry every count `needed` keeps, so that they
    /// report as rows counted for it would: the same intervals, zone and wait histogram, at
    /// least its edges and scope fields, and its short-abandon threshold and survey scale when
    /// it has them (a count nothing reads changes no figure).
    pub fn carries(&self, needed: &Reduction) -> bool {
        let has_all = |held: &[f64], needed: &[f64]| needed.iter().all(|edge| held.contains(edge));
        fn same_when_needed<T: PartialEq>(held: Option<T>, needed: Option<T>) -> bool {
            needed.is_none() || held == needed
        }
        self.interval_minutes == needed.interval_minutes
            && self.zone == needed.zone
            && has_all(&self.answer_edges, &needed.answer_edges)
            && has_all(&self.abandon_edges, &needed.abandon_edges)
            && same_when_needed(self.short_abandon_secs, needed.short_abandon_secs)
            && same_when_needed(self.csat_scale, needed.csat_scale)
            && same_when_needed(self.histogram, needed.histogram)
            && (0..3).all(|field| self.named_scopes[field] || !needed.named_scopes[field])
    }

    /// Reduces `dataset`'s contacts to one row per interval and scope, counting what the
    /// contact engine counts of each (see [`ContactReducer`]).
    pub fn reduce(&self, dataset: &Dataset) -> IntervalReport {
        let mut reducer = ContactReducer::new(self.clone());
        for contact in &dataset.contacts {
            reducer.add(contact);
        }
        reducer.into_report(dataset)
    }

    /// `rows` reduced from the contacts of `dataset` (or from contacts read with its account),
    /// as an interval report carrying what the reduction kept.
    fn report_of(&self, rows: Vec<IntervalRow>, dataset: &Dataset) -> IntervalReport {
        let fields = &dataset.fields;
        use crate::input::Field;
        let mut quality = dataset.quality.clone();
        quality.shape = crate::input::InputShape::Intervals;
        let has_queue = fields.has(Field::Outcome) && fields.has(Field::Wait);
        IntervalReport {
            rows,
            interval_minutes: self.interval_minutes,
            carries: Carries {
                queue: fields.has(Field::Outcome),
                answer_edges: if has_queue {
                    self.answer_edges.clone()
                } else {
                    Vec::new()
                },
                abandon_edges: if has_queue {
                    self.abandon_edges.clone()
                } else {
                    Vec::new()
                },
                short_abandon_secs: self.short_abandon_secs.filter(|_| has_queue),
                increments_without_edges: false,
                wait: has_queue,
                handle: fields.has(Field::Handle),
                fcr: fields.has(Field::Fcr),
                csat: fields.has(Field::Csat),
            },
            quality,
            labels: dataset.labels.clone(),
            scope_columns: ScopeField::ALL.map(|field| fields.has(Field::Scope(field))),
            skipped_rows: dataset.skipped_rows.clone(),
            column_names: dataset.column_names.clone(),
            counted_contacts: None,
        }
    }
}

/// An interval row's key: exact (an instant) or wall-clock start, its second, its scope.
type RowKey = (bool, i64, [Option<LabelId>; 3]);

/// Contacts counted into interval rows one by one: what [`Reduction::reduce`] does to a whole
/// dataset, and what a stream too big to hold does chunk by chunk — its memory grows with the
/// intervals and scopes, never with the contacts. Each contact is counted as the contact engine
/// counts it (DOMAIN §3), its incomplete fields included, so that every metric the rows carry
/// comes out as from the contacts.
pub struct ContactReducer {
    reduction: Reduction,
    rows: HashMap<RowKey, IntervalRow>,
    /// The last exact interval found, `[start, end)` in seconds: contacts come in time order,
    /// so the zone is asked once per interval, not once per contact.
    last_exact: Option<(i64, i64)>,
}

impl ContactReducer {
    pub fn new(reduction: Reduction) -> ContactReducer {
        ContactReducer {
            reduction,
            rows: HashMap::new(),
            last_exact: None,
        }
    }

    pub fn add(&mut self, contact: &Contact) {
        let (exact, start) = self.interval_of(contact.arrived);
        let reduction = &self.reduction;
        let mut scope = contact.scope;
        for (label, named) in scope.iter_mut().zip(reduction.named_scopes) {
            *label = label.filter(|_| named);
        }
        let row = self
            .rows
            .entry((exact, start, scope))
            .or_insert_with(|| reduction.empty_row(exact, start, scope));
        let add_within = |counts: &mut Vec<(f64, u32)>, wait: f64| {
            for (edge, count) in counts.iter_mut() {
                *count += u32::from(wait <= *edge);
            }
        };
        match (contact.outcome, contact.wait_secs.get()) {
            (Some(Outcome::Answered), Some(wait)) => {
                row.answered += 1;
                row.answered_wait_secs += wait;
                add_within(&mut row.answered_within, wait);
            }
            (Some(Outcome::Answered), None) => row.answered_without_wait += 1,
            (Some(Outcome::Abandoned), Some(wait)) => {
                row.abandoned += 1;
                add_within(&mut row.abandoned_within, wait);
                if let Some((short, count)) = row.short_abandons.as_mut() {
                    *count += u32::from(wait < *short);
                }
            }
            (Some(Outcome::Abandoned), None) => {
                row.abandoned += 1;
                row.abandoned_without_wait += 1;
            }
            (Some(Outcome::Other), _) => row.other += 1,
            (None, _) => row.without_outcome += 1,
        }
        if contact.outcome == Some(Outcome::Answered) {
            match contact.handle_secs.get() {
                Some(handle) => {
                    row.handle_secs += handle;
                    row.handled += 1;
                }
                None => row.without_handle += 1,
            }
        }
        match contact.fcr {
            Some(resolved) => {
                row.fcr_known += 1;
                row.fcr_resolved += u32::from(resolved);
            }
            None => row.fcr_unknown += 1,
        }
        if let Some(score) = contact.csat.get() {
            let in_scale = reduction
                .csat_scale
                .is_none_or(|[lowest, highest]| (lowest..=highest).contains(&score));
            if in_scale {
                row.csat_total += score;
                row.csat_responses += 1;
            } else {
                row.csat_off_scale += 1;
            }
        }
    }

    /// The rows, in order of start and scope, as the interval report of the contacts `read`
    /// (their account; its contacts, if any, already added).
    pub fn into_report(self, read: &Dataset) -> IntervalReport {
        let mut rows: Vec<(RowKey, IntervalRow)> = self.rows.into_iter().collect();
        rows.sort_unstable_by_key(|(key, _)| *key);
        let rows = rows.into_iter().map(|(_, row)| row).collect();
        self.reduction.report_of(rows, read)
    }

    /// The interval holding `arrived`: a wall-clock time floored as it is; an instant floored
    /// on the agreement's wall clock, so that an interval never straddles a local midnight in a
    /// zone whose offset is not whole hours (in India, the UTC hour from 18:00 holds its midnight).
    fn interval_of(&mut self, arrived: Timestamp) -> (bool, i64) {
        let seconds = i64::from(self.reduction.interval_minutes.max(1)) * 60;
        let instant = match arrived {
            Timestamp::WallClock(local) => {
                return (
                    false,
                    local.and_utc().timestamp().div_euclid(seconds) * seconds,
                )
            }
            Timestamp::Exact(instant) => instant,
        };
        let at = instant.timestamp();
        if let Some((start, end)) = self.last_exact {
            if (start..end).contains(&at) {
                return (true, start);
            }
        }
        let zone = &self.reduction.zone;
        let offset = i64::from(zone.offset_at(instant).local_minus_utc());
        let start = (at + offset).div_euclid(seconds) * seconds - offset;
        let end = start + seconds;
        // Remembered only when the offset holds from its start to its end: a clock change
        // inside it (a half-hour shift in hour intervals) puts each side in another interval.
        let offset_at = |second: i64| {
            DateTime::<Utc>::from_timestamp(second, 0)
                .map(|at| i64::from(zone.offset_at(at).local_minus_utc()))
        };
        self.last_exact = (offset_at(start) == Some(offset) && offset_at(end - 1) == Some(offset))
            .then_some((start, end));
        (true, start)
    }
}

impl Reduction {
    /// A row with nothing counted yet, with a zero count at each edge the reduction keeps.
    fn empty_row(&self, exact: bool, start: i64, scope: [Option<LabelId>; 3]) -> IntervalRow {
        let instant = DateTime::<Utc>::from_timestamp(start, 0).unwrap_or_default();
        let mut row = IntervalRow::starting(if exact {
            Timestamp::Exact(instant)
        } else {
            Timestamp::WallClock(instant.naive_utc())
        });
        row.scope = scope;
        row.answered_within = self.answer_edges.iter().map(|&edge| (edge, 0)).collect();
        row.abandoned_within = self.abandon_edges.iter().map(|&edge| (edge, 0)).collect();
        row.short_abandons = self.short_abandon_secs.map(|secs| (secs, 0));
        row
    }
}
