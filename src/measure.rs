//! One metric over one period's contacts in scope: its value and the arithmetic that gave it,
//! written out with the counts, so every cell of the scorecard can explain itself.

use std::marker::PhantomData;

use chrono::{DateTime, Utc};

use crate::calendar::BusinessCalendar;
use crate::compliance::{judge, not_judged, Judgement};
use crate::input::{Field, FieldSet};
use crate::metrics::{
    abandonment_rate, average_speed_of_answer, nearest_rank, percentile_nearest_rank,
    service_level, top_box_floor, QueueTally, Ratio,
};
use crate::model::Contact;
use crate::source::{Countable, Threshold};
use crate::target::{CsatMode, Metric, ServiceLevelFormula, Target, Unit};
use crate::text::{count, count_of, describe_duration, round_for_text};
use crate::zone::Zone;

/// A contact (or an interval's aggregate) with its arrival resolved to an instant in the
/// agreement's zone.
#[derive(Debug)]
pub struct Located<'a, U = Contact> {
    pub unit: &'a U,
    pub arrived: DateTime<Utc>,
}

// By hand: a derive would ask `U: Copy`, and only the reference is copied.
impl<U> Clone for Located<'_, U> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<U> Copy for Located<'_, U> {}

/// Every unit's arrival read in `zone`, in the units' order: what placing them in periods, hours
/// and windows reads, kept apart from the units so that a report under edited terms in the same
/// zone reads it again without touching the units.
pub fn arrivals_in<U: Countable>(units: &[U], zone: &Zone) -> Vec<DateTime<Utc>> {
    zone.resolve_all(units.iter().map(Countable::arrived))
}

/// Units and their arrivals ([`arrivals_in`]), index for index.
#[derive(Debug)]
pub struct Placed<'a, U = Contact> {
    units: &'a [U],
    arrivals: &'a [DateTime<Utc>],
}

// By hand, as for `Located`: only the references are copied.
impl<U> Clone for Placed<'_, U> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<U> Copy for Placed<'_, U> {}

impl<'a, U> Placed<'a, U> {
    /// `arrivals` must be the units' own, one each.
    pub fn new(units: &'a [U], arrivals: &'a [DateTime<Utc>]) -> Placed<'a, U> {
        assert_eq!(units.len(), arrivals.len(), "one arrival per unit");
        Placed { units, arrivals }
    }

    pub fn units(&self) -> &'a [U] {
        self.units
    }

    /// The `index`-th unit with its arrival.
    pub fn at(&self, index: usize) -> Located<'a, U> {
        Located {
            unit: &self.units[index],
            arrived: self.arrivals[index],
        }
    }

    pub fn arrivals(&self) -> &'a [DateTime<Utc>] {
        self.arrivals
    }

    pub fn iter(&self) -> impl Iterator<Item = Located<'a, U>> + 'a {
        self.units
            .iter()
            .zip(self.arrivals)
            .map(|(unit, &arrived)| Located { unit, arrived })
    }
}

/// What a measurement needs besides the contacts.
#[derive(Debug, Clone, Copy)]
pub struct MeasureContext<'a> {
    pub zone: &'a Zone,
    pub calendar: Option<&'a BusinessCalendar>,
}

/// A metric's value (`None`: no data) and its arithmetic in words and numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub actual: Option<f64>,
    /// For a ratio metric, the sums it divides; `None` for percentiles and maxima.
    pub ratio: Option<Ratio>,
    pub calculation: String,
    /// Why there is no value though there is data (a percentile past an interval report's
    /// last edge); without it, no value means no data.
    pub unknown_because: Option<String>,
}

impl Measurement {
    /// The verdict on this value under `target` (DOMAIN §4).
    pub fn judge(&self, target: &Target) -> Judgement {
        match &self.unknown_because {
            Some(reason) => not_judged(reason.clone()),
            None => judge(self.actual, target.goal, target.metric.direction()),
        }
    }
}

/// The fields a metric reads; without a column for each it is not computable.
pub fn required_fields(metric: &Metric) -> &'static [Field] {
    match metric {
        Metric::ServiceLevel { .. }
        | Metric::Asa
        | Metric::AbandonmentRate { .. }
        | Metric::WaitPercentile { .. }
        | Metric::MaxWait { .. } => &[Field::Outcome, Field::Wait],
        Metric::Aht => &[Field::Outcome, Field::Handle],
        Metric::Fcr => &[Field::Fcr],
        Metric::Csat { .. } => &[Field::Csat],
        Metric::ResponseWithin { .. } => &[Field::FirstResponse],
        Metric::ResolutionWithin { .. } => &[Field::Resolved],
        Metric::Availability => &[],
    }
}

/// Why `metric` cannot be computed from data with `fields`, if it cannot.
pub fn not_computable(metric: &Metric, fields: &FieldSet) -> Option<String> {
    let missing: Vec<String> = required_fields(metric)
        .iter()
        .filter(|field| !fields.has(**field))
        .map(|field| format!("{} column", field.column_name()))
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "not computable: the data has no {}",
            missing.join(" and no ")
        )
    })
}

/// The definition of the metric in words (DOMAIN §3), shown beside the scorecard.
pub fn definition(metric: &Metric) -> String {
    match *metric {
        Metric::ServiceLevel {
            formula,
            short_abandon_secs,
            ..
        } => {
            let short = if short_abandon_secs > 0.0 {
                format!(
                    " − abandoned under {}",
                    describe_duration(short_abandon_secs)
                )
            } else {
                String::new()
            };
            match formula {
                ServiceLevelFormula::Offered => {
                    format!("answered within T ÷ (answered + abandoned{short})")
                }
                ServiceLevelFormula::Answered => "answered within T ÷ answered".to_owned(),
                ServiceLevelFormula::AbandonsNeutral => {
                    "answered within T ÷ (answered + abandoned − abandoned within T)".to_owned()
                }
                ServiceLevelFormula::AbandonsPositive => {
                    "(answered within T + abandoned within T) ÷ (answered + abandoned)".to_owned()
                }
            }
        }
        Metric::Asa => "mean wait of answered contacts".to_owned(),
        Metric::AbandonmentRate { short_abandon_secs } if short_abandon_secs > 0.0 => format!(
            "(abandoned − short abandons) ÷ (offered − short abandons), short = under {}",
            describe_duration(short_abandon_secs)
        ),
        Metric::AbandonmentRate { .. } => "abandoned ÷ (answered + abandoned)".to_owned(),
        Metric::Aht => "mean handle time (talk + hold + wrap) of answered contacts".to_owned(),
        Metric::Fcr => "resolved on first contact ÷ contacts with FCR known".to_owned(),
        Metric::Csat {
            csat_mode: CsatMode::Mean,
            csat_scale: [lowest, highest],
        } => format!("mean survey score on {lowest}–{highest}, over responses"),
        Metric::Csat {
            csat_mode: CsatMode::TopBox,
            csat_scale,
        } => format!(
            "responses scoring {} or more ÷ responses",
            top_box_floor(csat_scale)
        ),
        Metric::WaitPercentile { percentile } => format!(
            "nearest rank: the smallest wait that at least {} % of answered waits do not exceed",
            round_for_text(percentile, 2)
        ),
        Metric::MaxWait { of_all_offered } => format!(
            "longest wait of {} contacts",
            if of_all_offered {
                "answered and abandoned"
            } else {
                "answered"
            }
        ),
        Metric::ResponseWithin { business_hours, .. } => format!(
            "first responses within T ÷ contacts with a first response{}",
            business_time_note(business_hours)
        ),
        Metric::ResolutionWithin { business_hours, .. } => format!(
            "resolutions within T ÷ contacts resolved{}",
            business_time_note(business_hours)
        ),
        Metric::Availability => {
            "(scheduled − outage) ÷ scheduled, maintenance removed from both".to_owned()
        }
    }
}

fn business_time_note(business_hours: bool) -> &'static str {
    if business_hours {
        ", counting business hours only"
    } else {
        ""
    }
}

/// Measures a contact-based `metric` over `contacts` (already in scope and not excluded).
/// Availability is measured from windows, in [`crate::availability`].
pub fn measure<U: Countable>(
    metric: &Metric,
    contacts: Placed<U>,
    context: &MeasureContext,
) -> Measurement {
    let mut measuring = Measuring::new(metric, context);
    measuring.add_each(contacts.iter());
    measuring.finish()
}

/// A metric measured as its contacts go by, so that one pass over a period's contacts feeds
/// every target: twelve targets walk a million contacts once, not twelve times (walking them
/// was most of a report's time).
pub struct Measuring<'c, U> {
    metric: Metric,
    context: MeasureContext<'c>,
    tally: Tally,
    unit: PhantomData<U>,
}

/// What a metric counts of each contact, with the parameters it counts by.
enum Tally {
    Queue {
        count: QueueCount,
        threshold_secs: f64,
        short_abandon_secs: f64,
    },
    Handle(HandleTally),
    Fcr(FcrTally),
    Csat {
        tally: CsatTally,
        scale: [f64; 2],
        top_box_floor: f64,
    },
    /// Single waits of answered (or all offered) contacts, and those without one.
    Waits {
        waits: Vec<f64>,
        unknown: u32,
        of_all_offered: bool,
    },
    /// Answered and abandoned contacts counted within edges.
    Edges(EdgeTally, EdgeTally),
    Within {
        tally: WithinTally,
        milestone: Milestone,
        threshold: Threshold,
    },
    Nothing,
}

impl<'c, U: Countable> Measuring<'c, U> {
    pub fn new(metric: &Metric, context: &MeasureContext<'c>) -> Measuring<'c, U> {
        let queue = |threshold_secs: f64, short_abandon_secs: f64| Tally::Queue {
            count: QueueCount::default(),
            threshold_secs,
            short_abandon_secs,
        };
        let waits = |of_all_offered: bool| Tally::Waits {
            waits: Vec::new(),
            unknown: 0,
            of_all_offered,
        };
        let within = |milestone: Milestone, secs: f64, business_hours: bool| Tally::Within {
            tally: WithinTally::default(),
            milestone,
            threshold: Threshold {
                secs,
                business_hours,
            },
        };
        let tally = match *metric {
            Metric::ServiceLevel {
                threshold_secs,
                short_abandon_secs,
                ..
            } => queue(threshold_secs, short_abandon_secs),
            Metric::Asa => queue(0.0, 0.0),
            Metric::AbandonmentRate { short_abandon_secs } => queue(0.0, short_abandon_secs),
            Metric::Aht => Tally::Handle(HandleTally::default()),
            Metric::Fcr => Tally::Fcr(FcrTally::default()),
            Metric::Csat { csat_scale, .. } => Tally::Csat {
                tally: CsatTally::default(),
                scale: csat_scale,
                top_box_floor: top_box_floor(csat_scale),
            },
            Metric::WaitPercentile { .. } if !U::SINGLE_WAITS => {
                Tally::Edges(EdgeTally::default(), EdgeTally::default())
            }
            Metric::WaitPercentile { .. } => waits(false),
            Metric::MaxWait { of_all_offered } => waits(of_all_offered),
            Metric::ResponseWithin {
                threshold_secs,
                business_hours,
            } => within(Milestone::FirstResponse, threshold_secs, business_hours),
            Metric::ResolutionWithin {
                threshold_secs,
                business_hours,
            } => within(Milestone::Resolution, threshold_secs, business_hours),
            Metric::Availability => Tally::Nothing,
        };
        Measuring {
            metric: *metric,
            context: *context,
            tally,
            unit: PhantomData,
        }
    }

    pub fn add(&mut self, located: &Located<U>) {
        self.add_each(std::iter::once(*located));
    }

    /// Takes every contact of `contacts`. The metric is looked at once and each contact goes
    /// through its own loop: a walk of a million contacts for a dozen targets spent half its
    /// time choosing, contact by contact, what to count.
    pub fn add_each<'u>(&mut self, contacts: impl IntoIterator<Item = Located<'u, U>>)
    where
        U: 'u,
    {
        let units = contacts.into_iter();
        match &mut self.tally {
            Tally::Queue {
                count,
                threshold_secs,
                short_abandon_secs,
            } => units.for_each(|located| {
                located
                    .unit
                    .add_queue(count, *threshold_secs, *short_abandon_secs)
            }),
            Tally::Handle(tally) => units.for_each(|located| located.unit.add_handle(tally)),
            Tally::Fcr(tally) => units.for_each(|located| located.unit.add_fcr(tally)),
            Tally::Csat {
                tally,
                scale,
                top_box_floor,
            } => units.for_each(|located| located.unit.add_csat(tally, *scale, *top_box_floor)),
            Tally::Waits {
                waits,
                unknown,
                of_all_offered,
            } => units.for_each(|located| located.unit.add_waits(*of_all_offered, waits, unknown)),
            Tally::Edges(answered, abandoned) => {
                units.for_each(|located| located.unit.add_edge_counts(answered, abandoned))
            }
            Tally::Within {
                tally,
                milestone,
                threshold,
            } => units.for_each(|located| {
                located.unit.add_within(
                    located.arrived,
                    *milestone,
                    *threshold,
                    &self.context,
                    tally,
                )
            }),
            Tally::Nothing => {}
        }
    }

    /// Whether everything this measurement reads of its counts, `other` counts alike: then one
    /// count serves both (a service level and an ASA of one scope count the same contacts into
    /// the same queue tally; the ASA reads no threshold of it).
    pub fn counts_as(&self, other: &Measuring<U>) -> bool {
        match (&self.tally, &other.tally) {
            (
                Tally::Queue {
                    threshold_secs,
                    short_abandon_secs,
                    ..
                },
                Tally::Queue {
                    threshold_secs: other_threshold,
                    short_abandon_secs: other_short_abandon,
                    ..
                },
            ) => {
                let (reads_threshold, reads_short_abandons) = match self.metric {
                    Metric::Asa => (false, false),
                    Metric::AbandonmentRate { .. } => (false, true),
                    _ => (true, true),
                };
                (!reads_threshold || threshold_secs == other_threshold)
                    && (!reads_short_abandons || short_abandon_secs == other_short_abandon)
            }
            (Tally::Handle(_), Tally::Handle(_)) | (Tally::Fcr(_), Tally::Fcr(_)) => true,
            (
                Tally::Waits { of_all_offered, .. },
                Tally::Waits {
                    of_all_offered: other_of_all_offered,
                    ..
                },
            ) => of_all_offered == other_of_all_offered,
            _ => false,
        }
    }

    /// Takes `other`'s counts as its own where it [`counts_as`](Self::counts_as) `other`, and
    /// says whether it did.
    pub fn copy_counts(&mut self, other: &Measuring<U>) -> bool {
        if !self.counts_as(other) {
            return false;
        }
        match (&mut self.tally, &other.tally) {
            (Tally::Queue { count, .. }, Tally::Queue { count: other, .. }) => *count = *other,
            (Tally::Handle(tally), Tally::Handle(other)) => *tally = *other,
            (Tally::Fcr(tally), Tally::Fcr(other)) => *tally = *other,
            (
                Tally::Waits { waits, unknown, .. },
                Tally::Waits {
                    waits: other_waits,
                    unknown: other_unknown,
                    ..
                },
            ) => {
                waits.clone_from(other_waits);
                *unknown = *other_unknown;
            }
            _ => return false,
        }
        true
    }

    /// The value and its arithmetic from what was counted.
    pub fn finish(self) -> Measurement {
        match (self.tally, self.metric) {
            (
                Tally::Queue { count: queue, .. },
                Metric::ServiceLevel {
                    threshold_secs,
                    formula,
                    short_abandon_secs,
                },
            ) => {
                let tally = &queue.tally;
                let ratio = service_level(tally, formula);
                let calculation =
                    service_level_calculation(tally, formula, threshold_secs, short_abandon_secs);
                finish_ratio(ratio, Unit::Percent, calculation, queue_notes(&queue))
            }
            (Tally::Queue { count: queue, .. }, Metric::AbandonmentRate { short_abandon_secs }) => {
                let tally = &queue.tally;
                let calculation = if short_abandon_secs > 0.0 {
                    format!(
                        "({} abandoned − {} short) ÷ ({} offered − {} short)",
                        count(tally.abandoned),
                        count(tally.short_abandons),
                        count(tally.offered()),
                        count(tally.short_abandons)
                    )
                } else {
                    format!(
                        "{} abandoned ÷ {} offered",
                        count(tally.abandoned),
                        count(tally.offered())
                    )
                };
                finish_ratio(
                    abandonment_rate(tally),
                    Unit::Percent,
                    calculation,
                    queue_notes(&queue),
                )
            }
            (Tally::Queue { count: queue, .. }, _) => {
                let tally = &queue.tally;
                let calculation = format!(
                    "{} s total wait ÷ {} answered",
                    round_for_text(tally.answered_wait_secs, 1),
                    count(tally.answered)
                );
                finish_ratio(
                    average_speed_of_answer(tally),
                    Unit::Seconds,
                    calculation,
                    queue_notes(&queue),
                )
            }
            (Tally::Handle(tally), _) => {
                let calculation = format!(
                    "{} s total handle time ÷ {} answered with a handle time",
                    round_for_text(tally.total_secs, 1),
                    count(tally.with_handle)
                );
                let notes = not_counted(tally.without, "answered without a handle time");
                let ratio = Ratio {
                    part: tally.total_secs,
                    whole: f64::from(tally.with_handle),
                };
                finish_ratio(ratio, Unit::Seconds, calculation, notes)
            }
            (Tally::Fcr(tally), _) => {
                let calculation = format!(
                    "{} resolved on first contact ÷ {} with FCR known",
                    count(tally.resolved),
                    count(tally.known)
                );
                let notes = not_counted(tally.unknown, "without an FCR value");
                finish_ratio(
                    Ratio::of(tally.resolved, tally.known),
                    Unit::Percent,
                    calculation,
                    notes,
                )
            }
            (
                Tally::Csat { tally, .. },
                Metric::Csat {
                    csat_mode,
                    csat_scale,
                },
            ) => csat(tally, csat_mode, csat_scale),
            (Tally::Edges(answered, _), Metric::WaitPercentile { percentile }) => {
                percentile_within_edges(&answered, percentile)
            }
            (
                Tally::Waits {
                    mut waits, unknown, ..
                },
                Metric::WaitPercentile { percentile },
            ) => {
                let rank = nearest_rank(percentile, waits.len());
                let actual = percentile_nearest_rank(&mut waits, percentile);
                let calculation = format!(
                    "p{} of {} answered waits: the {} smallest",
                    round_for_text(percentile, 2),
                    count(waits.len() as u32),
                    ordinal(rank)
                );
                let notes = not_counted(unknown, "without outcome or wait");
                finish(actual, Unit::Seconds, calculation, notes)
            }
            (
                Tally::Waits {
                    waits,
                    unknown,
                    of_all_offered,
                },
                _,
            ) => {
                let actual = waits.iter().copied().reduce(f64::max);
                let which = if of_all_offered {
                    "offered"
                } else {
                    "answered"
                };
                let calculation = format!("longest of {} {which} waits", count(waits.len() as u32));
                let notes = not_counted(unknown, "without outcome or wait");
                finish(actual, Unit::Seconds, calculation, notes)
            }
            (
                Tally::Within {
                    tally,
                    milestone,
                    threshold,
                },
                _,
            ) => within(tally, &self.context, milestone, threshold),
            // Availability: `new` pairs every other metric with its own tally.
            _ => Measurement {
                actual: None,
                ratio: None,
                calculation: "availability is measured from outage windows, not contacts"
                    .to_owned(),
                unknown_because: None,
            },
        }
    }
}

/// A ratio metric's measurement: a percentage for shares, a mean otherwise.
/// A percentile from counts within edges: the first edge holding its rank. The verdict at an
/// edge is exact (`p ≤ e` exactly when `A_e ≥ rank`); the value is the edge, the true
/// percentile lying above the edge before it — exact for whole-second waits at 1 s edges.
fn percentile_within_edges(answered: &EdgeTally, percentile: f64) -> Measurement {
    let n = answered.contacts;
    let rank = nearest_rank(percentile, n as usize);
    let head = format!(
        "p{} of {} answered waits: the {} smallest",
        round_for_text(percentile, 2),
        count(n),
        ordinal(rank)
    );
    if n == 0 {
        return finish(None, Unit::Seconds, head, Vec::new());
    }
    let within = |(edge, count): (f64, u32)| {
        format!(
            "{} ({} within)",
            describe_duration(edge),
            count_of(count, "answered", "answered")
        )
    };
    let Some(position) = answered
        .within
        .iter()
        .position(|&(_, count)| count as usize >= rank)
    else {
        let last = answered.within.last().map_or(0.0, |&(edge, _)| edge);
        return Measurement {
            actual: None,
            ratio: None,
            calculation: format!("{head} is over {}, the longest wait the report counts within", describe_duration(last)),
            unknown_because: Some(format!(
                "the p{} is over {}, the longest wait the report counts within: its value, and any credit on it, need counts within longer waits",
                round_for_text(percentile, 2),
                describe_duration(last)
            )),
        };
    };
    let (edge, _) = answered.within[position];
    let over = match position.checked_sub(1) {
        Some(before) => format!(" over {} and", within(answered.within[before])),
        None => String::new(),
    };
    let calculation = format!(
        "{head} is{over} at most {}",
        within(answered.within[position])
    );
    finish(Some(edge), Unit::Seconds, calculation, Vec::new())
}

fn finish_ratio(ratio: Ratio, unit: Unit, calculation: String, notes: Vec<String>) -> Measurement {
    let actual = match unit {
        Unit::Percent => ratio.percent(),
        Unit::Seconds | Unit::Score => ratio.mean(),
    };
    Measurement {
        ratio: Some(ratio),
        ..finish(actual, unit, calculation, notes)
    }
}

/// Appends `= value` (or `: no data`) and the notes to a calculation.
fn finish(actual: Option<f64>, unit: Unit, calculation: String, notes: Vec<String>) -> Measurement {
    let mut text = match actual {
        Some(value) => format!("{calculation} = {}", unit.format(value)),
        None => format!("{calculation}: no data"),
    };
    for note in notes {
        text.push_str("; ");
        text.push_str(&note);
    }
    Measurement {
        actual,
        ratio: None,
        calculation: text,
        unknown_because: None,
    }
}

fn not_counted(contacts: u32, why: &str) -> Vec<String> {
    if contacts == 0 {
        Vec::new()
    } else {
        vec![format!("{} {why} not counted", count(contacts))]
    }
}

/// A queue tally, with the contacts it could not place fully.
#[derive(Debug, Default, Clone, Copy)]
pub struct QueueCount {
    pub tally: QueueTally,
    /// Contacts without an outcome, or answered without a wait: not counted.
    pub unknown: u32,
    /// Abandoned contacts without a wait: counted as abandoned, but neither within T nor short,
    /// since neither can be shown (exports often leave an abandon's wait empty).
    pub abandoned_without_wait: u32,
}

/// Contacts, and how many of them waited each edge or less: what an interval report holds of
/// their waits (DOMAIN §9).
#[derive(Debug, Default)]
pub struct EdgeTally {
    pub contacts: u32,
    /// `(edge, count within it)`, edges increasing once [`EdgeTally::add`] has merged them.
    pub within: Vec<(f64, u32)>,
}

impl EdgeTally {
    /// Adds `contacts` and their counts within `within`'s edges, edge by edge.
    pub fn add(&mut self, contacts: u32, within: &[(f64, u32)]) {
        self.contacts += contacts;
        for &(edge, count) in within {
            match self
                .within
                .binary_search_by(|(known, _)| known.total_cmp(&edge))
            {
                Ok(position) => self.within[position].1 += count,
                Err(position) => self.within.insert(position, (edge, count)),
            }
        }
    }
}

/// Handle times of answered contacts (AHT).
#[derive(Debug, Default, Clone, Copy)]
pub struct HandleTally {
    pub total_secs: f64,
    pub with_handle: u32,
    /// Answered without a handle time: not counted.
    pub without: u32,
}

/// First-contact resolution.
#[derive(Debug, Default, Clone, Copy)]
pub struct FcrTally {
    pub resolved: u32,
    pub known: u32,
    pub unknown: u32,
}

/// Survey scores on the agreed scale.
#[derive(Debug, Default)]
pub struct CsatTally {
    pub responses: u32,
    pub total: f64,
    pub top_box: u32,
    /// Scores outside the scale: not counted.
    pub off_scale: u32,
}

/// Ticket milestones reached within a threshold of arrival.
#[derive(Debug, Default)]
pub struct WithinTally {
    /// Contacts with the milestone, counted.
    pub done: u32,
    pub in_time: u32,
    /// Without the milestone (or beyond the representable time).
    pub missing: u32,
    /// Milestone before arrival: not counted.
    pub before_arrival: u32,
}

/// Counts `units` for threshold `T` and short-abandon threshold `S` (DOMAIN §3).
pub fn count_queue<'a, U: Countable + 'a>(
    units: impl IntoIterator<Item = &'a U>,
    threshold_secs: f64,
    short_abandon_secs: f64,
) -> QueueCount {
    let mut count = QueueCount::default();
    for unit in units {
        unit.add_queue(&mut count, threshold_secs, short_abandon_secs);
    }
    count
}

fn queue_notes(count: &QueueCount) -> Vec<String> {
    let mut notes = Vec::new();
    if count.tally.other > 0 {
        notes.push(format!(
            "{} with another outcome (transferred, overflow…) not offered",
            crate::text::count(count.tally.other)
        ));
    }
    if count.abandoned_without_wait > 0 {
        notes.push(format!(
            "{} abandoned without a wait counted as abandoned, neither within T nor short",
            crate::text::count(count.abandoned_without_wait)
        ));
    }
    notes.extend(not_counted(count.unknown, "without outcome or wait"));
    notes
}

fn service_level_calculation(
    tally: &QueueTally,
    formula: ServiceLevelFormula,
    threshold_secs: f64,
    short_abandon_secs: f64,
) -> String {
    let within = describe_duration(threshold_secs);
    let answered_within = format!("{} answered within {within}", count(tally.answered_within));
    let answered = format!("{} answered", count(tally.answered));
    let abandoned = format!("{} abandoned", count(tally.abandoned));
    let abandoned_within = format!(
        "{} abandoned within {within}",
        count(tally.abandoned_within)
    );
    match formula {
        ServiceLevelFormula::Offered if short_abandon_secs > 0.0 => format!(
            "{answered_within} ÷ ({answered} + {abandoned} − {} abandoned under {})",
            count(tally.short_abandons),
            describe_duration(short_abandon_secs)
        ),
        ServiceLevelFormula::Offered => format!("{answered_within} ÷ ({answered} + {abandoned})"),
        ServiceLevelFormula::Answered => format!("{answered_within} ÷ {answered}"),
        ServiceLevelFormula::AbandonsNeutral => {
            format!("{answered_within} ÷ ({answered} + {abandoned} − {abandoned_within})")
        }
        ServiceLevelFormula::AbandonsPositive => {
            format!("({answered_within} + {abandoned_within}) ÷ ({answered} + {abandoned})")
        }
    }
}

fn csat(tally: CsatTally, mode: CsatMode, [lowest, highest]: [f64; 2]) -> Measurement {
    let floor = top_box_floor([lowest, highest]);
    let CsatTally {
        responses,
        total: sum,
        top_box: top,
        off_scale,
    } = tally;
    let mut notes = Vec::new();
    if off_scale > 0 {
        notes.push(format!(
            "{} scores outside {lowest}–{highest} not counted",
            count(off_scale)
        ));
    }
    match mode {
        CsatMode::Mean => finish_ratio(
            Ratio {
                part: sum,
                whole: f64::from(responses),
            },
            Unit::Score,
            format!(
                "{} total score ÷ {} responses",
                round_for_text(sum, 2),
                count(responses)
            ),
            notes,
        ),
        CsatMode::TopBox => finish_ratio(
            Ratio::of(top, responses),
            Unit::Percent,
            format!(
                "{} responses scoring {floor} or more ÷ {} responses",
                count(top),
                count(responses)
            ),
            notes,
        ),
    }
}

/// A ticket milestone measured from arrival.
#[derive(Debug, Clone, Copy)]
pub enum Milestone {
    FirstResponse,
    Resolution,
}

impl Milestone {
    fn noun(self) -> (&'static str, &'static str) {
        match self {
            Milestone::FirstResponse => ("first response", "first responses"),
            Milestone::Resolution => ("resolution", "resolutions"),
        }
    }

    fn counted(self) -> &'static str {
        match self {
            Milestone::FirstResponse => "with a first response",
            Milestone::Resolution => "resolved",
        }
    }

    fn missing(self) -> &'static str {
        match self {
            Milestone::FirstResponse => "without a first response",
            Milestone::Resolution => "not resolved",
        }
    }
}

/// Response or resolution within T (§3): the share of contacts with the milestone whose elapsed
/// time from arrival — wall-clock, or business seconds with a calendar — is `≤ T`.
fn within(
    tally: WithinTally,
    context: &MeasureContext,
    milestone: Milestone,
    threshold: Threshold,
) -> Measurement {
    let hours = if threshold.business_hours && context.calendar.is_some() {
        " business time"
    } else {
        ""
    };
    let (singular, plural) = milestone.noun();
    let calculation = format!(
        "{} within {}{hours} ÷ {} {}",
        count_of(tally.in_time, singular, plural),
        describe_duration(threshold.secs),
        count(tally.done),
        milestone.counted()
    );
    let mut notes = not_counted(tally.missing, milestone.missing());
    notes.extend(not_counted(
        tally.before_arrival,
        &format!("with {plural} before arrival"),
    ));
    finish_ratio(
        Ratio::of(tally.in_time, tally.done),
        Unit::Percent,
        calculation,
        notes,
    )
}

/// `1st`, `2nd`, `450th`.
fn ordinal(rank: usize) -> String {
    let suffix = match (rank % 10, rank % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{}{suffix}", count(rank as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Milestones, Moment, Outcome};
    use crate::values::Timestamp;
    use chrono::TimeZone;

    fn at(d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, min, 0).unwrap()
    }

    fn call(wait: f64, outcome: Outcome) -> Contact {
        let mut contact = Contact::arriving(Timestamp::Exact(at(1, 9, 0)));
        contact.wait_secs = Some(wait).into();
        contact.outcome = Some(outcome);
        contact
    }

    fn measure_all(
        metric: Metric,
        contacts: &[Contact],
        calendar: Option<&BusinessCalendar>,
    ) -> Measurement {
        let context = MeasureContext {
            zone: &Zone::default(),
            calendar,
        };
        let arrivals = arrivals_in(contacts, &Zone::default());
        measure(&metric, Placed::new(contacts, &arrivals), &context)
    }

    /// The ICMI example as contacts: 860 answered in 10 s, 140 in 45 s, 10 abandoned at 2 s,
    /// 10 at 15 s, 40 at 60 s (so 20 abandoned ≤ 20 s, 10 under 5 s).
    fn icmi_contacts() -> Vec<Contact> {
        let mut contacts = Vec::new();
        contacts.extend((0..860).map(|_| call(10.0, Outcome::Answered)));
        contacts.extend((0..140).map(|_| call(45.0, Outcome::Answered)));
        contacts.extend((0..10).map(|_| call(2.0, Outcome::Abandoned)));
        contacts.extend((0..10).map(|_| call(15.0, Outcome::Abandoned)));
        contacts.extend((0..40).map(|_| call(60.0, Outcome::Abandoned)));
        contacts
    }

    #[test]
    fn service_level_explains_itself_with_its_counts() {
        let metric = Metric::ServiceLevel {
            threshold_secs: 20.0,
            formula: ServiceLevelFormula::Offered,
            short_abandon_secs: 5.0,
        };
        let measured = measure_all(metric, &icmi_contacts(), None);
        assert_eq!(
            measured.calculation,
            "860 answered within 20 s ÷ (1,000 answered + 60 abandoned − 10 abandoned under 5 s) = 81.9 %"
        );
    }

    #[test]
    fn unknown_outcomes_are_counted_out_loud() {
        let mut contacts = vec![
            call(10.0, Outcome::Answered),
            call(30.0, Outcome::Abandoned),
        ];
        contacts.push(Contact::arriving(Timestamp::Exact(at(1, 9, 0))));
        let mut transferred = Contact::arriving(Timestamp::Exact(at(1, 9, 0)));
        transferred.outcome = Some(Outcome::Other);
        contacts.push(transferred);
        let measured = measure_all(Metric::Asa, &contacts, None);
        assert_eq!(measured.actual, Some(10.0));
        assert_eq!(
            measured.calculation,
            "10 s total wait ÷ 1 answered = 10 s; 1 with another outcome (transferred, overflow…) not offered; 1 without outcome or wait not counted"
        );
    }

    #[test]
    fn an_abandon_without_a_wait_counts_against_service_level() {
        // Exports often leave an abandoned call's wait empty: it is still offered, neither
        // within T nor short. 1 answered in 5 s + 1 such abandon → 1 / 2.
        let mut abandon = Contact::arriving(Timestamp::Exact(at(1, 9, 0)));
        abandon.outcome = Some(Outcome::Abandoned);
        let contacts = [call(5.0, Outcome::Answered), abandon];
        let metric = Metric::ServiceLevel {
            threshold_secs: 20.0,
            formula: ServiceLevelFormula::Offered,
            short_abandon_secs: 5.0,
        };
        let measured = measure_all(metric, &contacts, None);
        assert_eq!(measured.actual, Some(50.0));
        assert!(measured.calculation.ends_with(
            "1 abandoned without a wait counted as abandoned, neither within T nor short"
        ));
    }

    #[test]
    fn aht_fcr_and_csat() {
        let mut contacts: Vec<Contact> = (0..4).map(|_| call(5.0, Outcome::Answered)).collect();
        for (contact, handle) in
            contacts
                .iter_mut()
                .zip([Some(200.0), Some(400.0), None, Some(300.0)])
        {
            contact.handle_secs = handle.into();
        }
        for (contact, fcr) in contacts
            .iter_mut()
            .zip([Some(true), Some(false), Some(true), None])
        {
            contact.fcr = fcr;
        }
        for (contact, score) in
            contacts
                .iter_mut()
                .zip([Some(5.0), Some(4.0), Some(2.0), Some(9.0)])
        {
            contact.csat = score.into();
        }
        assert_eq!(
            measure_all(Metric::Aht, &contacts, None).actual,
            Some(300.0)
        );
        let fcr = measure_all(Metric::Fcr, &contacts, None);
        assert!((fcr.actual.unwrap() - 200.0 / 3.0).abs() < 1e-9);
        let mean = measure_all(
            Metric::Csat {
                csat_mode: CsatMode::Mean,
                csat_scale: [1.0, 5.0],
            },
            &contacts,
            None,
        );
        assert_eq!(mean.actual, Some(11.0 / 3.0));
        assert!(
            mean.calculation
                .ends_with("1 scores outside 1–5 not counted"),
            "{}",
            mean.calculation
        );
        let top_box = measure_all(
            Metric::Csat {
                csat_mode: CsatMode::TopBox,
                csat_scale: [1.0, 5.0],
            },
            &contacts,
            None,
        );
        assert!((top_box.actual.unwrap() - 200.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn wait_percentile_and_max_wait() {
        let contacts = icmi_contacts();
        // p90 of 1 000 answered waits is the 900th smallest: 860 are 10 s, the rest 45 s.
        let p90 = measure_all(Metric::WaitPercentile { percentile: 90.0 }, &contacts, None);
        assert_eq!(p90.actual, Some(45.0));
        assert_eq!(
            p90.calculation,
            "p90 of 1,000 answered waits: the 900th smallest = 45 s"
        );
        let p86 = measure_all(Metric::WaitPercentile { percentile: 86.0 }, &contacts, None);
        assert_eq!(p86.actual, Some(10.0));
        let answered = measure_all(
            Metric::MaxWait {
                of_all_offered: false,
            },
            &contacts,
            None,
        );
        let offered = measure_all(
            Metric::MaxWait {
                of_all_offered: true,
            },
            &contacts,
            None,
        );
        assert_eq!((answered.actual, offered.actual), (Some(45.0), Some(60.0)));
    }

    #[test]
    fn resolution_within_business_time_skips_the_weekend_and_holiday() {
        // Weekdays 09:00–17:00, Monday 21 December a holiday. A ticket from Friday 18 at 16:00
        // resolved Tuesday 22 at 10:00 took 2 business hours (4 days of wall clock). Another,
        // resolved 10 800 s after arriving Friday at 16:00, ended at 19:00, after closing: 1
        // business hour.
        let mut calendar = BusinessCalendar::default();
        for weekday in 0..5 {
            calendar.set_hours(weekday, "09:00-17:00").unwrap();
        }
        calendar.add_holiday(chrono::NaiveDate::from_ymd_opt(2026, 12, 21).unwrap());
        let mut slow = Contact::arriving(Timestamp::Exact(at(18, 16, 0)));
        slow.milestones =
            Milestones::boxed(None, Some(Moment::At(Timestamp::Exact(at(22, 10, 0)))));
        let mut quick = Contact::arriving(Timestamp::Exact(at(18, 16, 0)));
        quick.milestones = Milestones::boxed(None, Some(Moment::SecondsAfterArrival(10_800.0)));
        let unresolved = Contact::arriving(Timestamp::Exact(at(18, 16, 0)));
        let contacts = [slow, quick, unresolved];
        let within_two_hours = Metric::ResolutionWithin {
            threshold_secs: 7200.0,
            business_hours: true,
        };
        let business = measure_all(within_two_hours, &contacts, Some(&calendar));
        assert_eq!(business.actual, Some(100.0));
        assert_eq!(
            business.calculation,
            "2 resolutions within 2 h business time ÷ 2 resolved = 100 %; 1 not resolved not counted"
        );
        let wall_clock = Metric::ResolutionWithin {
            threshold_secs: 7200.0,
            business_hours: false,
        };
        assert_eq!(
            measure_all(wall_clock, &contacts, Some(&calendar)).actual,
            Some(0.0)
        );
    }

    #[test]
    fn a_metric_without_its_column_is_not_computable() {
        let fields = FieldSet::default();
        assert_eq!(
            not_computable(&Metric::Asa, &fields).unwrap(),
            "not computable: the data has no outcome column and no wait column"
        );
        assert_eq!(not_computable(&Metric::Fcr, &FieldSet::all()), None);
    }

    #[test]
    fn ordinals_read_naturally() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 900]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            words,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "900th"]
        );
    }
}
