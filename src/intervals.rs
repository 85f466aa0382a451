//! Interval aggregates (DOMAIN §9): an ACD's interval report, one row per interval and scope
//! with its counts and sums, counted by the same engine as contacts. A metric whose inputs the
//! report lacks is "not computable from this report", naming the column it would need — never
//! estimated.

use chrono::{DateTime, Utc};

use crate::input::ImportQuality;
use crate::measure::{
    CsatTally, EdgeTally, FcrTally, HandleTally, MeasureContext, Milestone, QueueCount, WithinTally,
};
use crate::model::{LabelId, Labels, ScopeField};
use crate::source::{Countable, Source, Threshold};
use crate::target::{CsatMode, Metric, ServiceLevelFormula, Target};
use crate::text::describe_duration;
use crate::values::Timestamp;

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
    /// Total handle time (talk + hold + wrap) of answered contacts, and how many it covers.
    pub handle_secs: f64,
    pub handled: u32,
    pub fcr_resolved: u32,
    /// Contacts whose first-contact resolution is known.
    pub fcr_known: u32,
    pub csat_total: f64,
    pub csat_responses: u32,
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
            fcr_resolved: 0,
            fcr_known: 0,
            csat_total: 0.0,
            csat_responses: 0,
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
        self.answered + self.abandoned + self.other
    }

    fn offered(&self) -> u32 {
        self.answered + self.abandoned
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
    }

    fn add_handle(&self, tally: &mut HandleTally) {
        tally.total_secs += self.handle_secs;
        tally.with_handle += self.handled;
    }

    fn add_fcr(&self, tally: &mut FcrTally) {
        tally.resolved += self.fcr_resolved;
        tally.known += self.fcr_known;
    }

    fn add_csat(&self, tally: &mut CsatTally, _scale: [f64; 2], _top_box_floor: f64) {
        tally.total += self.csat_total;
        tally.responses += self.csat_responses;
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

    fn not_computable(&self, target: &Target) -> Option<String> {
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

    /// Reduces `dataset`'s contacts to one row per interval and scope. Contacts the counts
    /// cannot hold — no outcome, or answered without a wait — are left out and said in a note,
    /// as the contact engine leaves them out of its queue metrics.
    pub fn reduce(&self, dataset: &crate::input::Dataset) -> IntervalReport {
        use crate::model::Outcome;
        use std::collections::BTreeMap;
        let seconds = i64::from(self.interval_minutes.max(1)) * 60;
        let mut rows: BTreeMap<(bool, i64, [Option<LabelId>; 3]), IntervalRow> = BTreeMap::new();
        let mut left_out = 0u32;
        for contact in &dataset.contacts {
            let (exact, instant) = match contact.arrived {
                Timestamp::Exact(instant) => (true, instant.timestamp()),
                Timestamp::WallClock(local) => (false, local.and_utc().timestamp()),
            };
            let floored = instant.div_euclid(seconds) * seconds;
            let row = rows
                .entry((exact, floored, contact.scope))
                .or_insert_with(|| {
                    let start = DateTime::<Utc>::from_timestamp(floored, 0).unwrap_or_default();
                    let mut row = IntervalRow::starting(if exact {
                        Timestamp::Exact(start)
                    } else {
                        Timestamp::WallClock(start.naive_utc())
                    });
                    row.scope = contact.scope;
                    row.answered_within = self.answer_edges.iter().map(|&e| (e, 0)).collect();
                    row.abandoned_within = self.abandon_edges.iter().map(|&e| (e, 0)).collect();
                    row.short_abandons = self.short_abandon_secs.map(|s| (s, 0));
                    row
                });
            let add_within = |counts: &mut Vec<(f64, u32)>, wait: f64| {
                for (edge, count) in counts.iter_mut() {
                    *count += u32::from(wait <= *edge);
                }
            };
            match (contact.outcome, contact.wait_secs) {
                (Some(Outcome::Answered), Some(wait)) => {
                    row.answered += 1;
                    row.answered_wait_secs += wait;
                    add_within(&mut row.answered_within, wait);
                    if let Some(handle) = contact.handle_secs {
                        row.handle_secs += handle;
                        row.handled += 1;
                    }
                }
                (Some(Outcome::Abandoned), wait) => {
                    row.abandoned += 1;
                    if let Some(wait) = wait {
                        add_within(&mut row.abandoned_within, wait);
                        if let Some((short, count)) = row.short_abandons.as_mut() {
                            *count += u32::from(wait < *short);
                        }
                    }
                }
                (Some(Outcome::Other), _) => row.other += 1,
                _ => left_out += 1,
            }
            if let Some(resolved) = contact.fcr {
                row.fcr_known += 1;
                row.fcr_resolved += u32::from(resolved);
            }
            if let Some(score) = contact.csat {
                let in_scale = self
                    .csat_scale
                    .is_none_or(|[lowest, highest]| (lowest..=highest).contains(&score));
                if in_scale {
                    row.csat_total += score;
                    row.csat_responses += 1;
                }
            }
        }
        let fields = &dataset.fields;
        use crate::input::Field;
        let mut quality = dataset.quality.clone();
        quality.shape = crate::input::InputShape::Intervals;
        if left_out > 0 {
            quality.notes.push(format!(
                "{} without an outcome, or answered without a wait, left out of the interval counts",
                crate::text::count(left_out)
            ));
        }
        let has_queue = fields.has(Field::Outcome) && fields.has(Field::Wait);
        IntervalReport {
            rows: rows.into_values().collect(),
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
        }
    }
}
