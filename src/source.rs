//! What the engine counts, whatever the input's shape (DOMAIN §9): one contact, or an interval
//! report's row standing for many. The report, exclusions, suggestions and the weekly profile
//! are written once against these two traits, so contacts and interval aggregates go through
//! the same arithmetic and the same explanations.

use chrono::{DateTime, Duration, Utc};

use crate::exclusions::Exclusions;
use crate::input::{Dataset, Field, ImportQuality};
use crate::measure::{
    not_computable, CsatTally, EdgeTally, FcrTally, HandleTally, MeasureContext, Milestone,
    QueueCount, WithinTally,
};
use crate::model::{Contact, LabelId, Labels, Moment, Outcome, ScopeField};
use crate::target::Target;
use crate::terms::Terms;
use crate::values::Timestamp;
use crate::waits::{wait_distribution, WaitDistribution};

/// One thing the engine counts: a contact, or an aggregate of the contacts of one interval and
/// scope. Each `add_*` adds what it knows to a metric's tally.
pub trait Countable: Sync {
    /// When it arrived: a contact's arrival, an interval's start. Its period is the one this
    /// falls in.
    fn arrived(&self) -> Timestamp;
    /// Channel, priority and queue labels, indexed by [`ScopeField::index`].
    fn scope(&self) -> &[Option<LabelId>; 3];
    /// The contacts it stands for: 1 for a contact.
    fn contacts(&self) -> u32;
    /// Its answered and abandoned contacts, the volume a forecast is compared with.
    fn offered(&self) -> u32;
    /// Adds its queue counts for threshold `T` and short-abandon threshold `S` (DOMAIN §3).
    fn add_queue(&self, count: &mut QueueCount, threshold_secs: f64, short_abandon_secs: f64);
    fn add_handle(&self, tally: &mut HandleTally);
    fn add_fcr(&self, tally: &mut FcrTally);
    /// Adds survey scores on the scale `[lowest, highest]`, top box from `top_box_floor`.
    fn add_csat(&self, tally: &mut CsatTally, scale: [f64; 2], top_box_floor: f64);
    /// Whether it knows each contact's wait (a contact), or only counts within edges (an
    /// interval): percentiles and the wait chart are read from one or the other.
    const SINGLE_WAITS: bool;
    /// Pushes its known waits, answered and abandoned, for the wait chart.
    fn add_wait_samples(&self, answered: &mut Vec<f64>, abandoned: &mut Vec<f64>);
    /// Adds its answered and abandoned contacts counted within each wait edge, where it has
    /// no single waits.
    fn add_edge_counts(&self, answered: &mut EdgeTally, abandoned: &mut EdgeTally);
    /// Pushes its waits of answered (or all offered) contacts, counting those without one.
    fn add_waits(&self, of_all_offered: bool, waits: &mut Vec<f64>, unknown: &mut u32);
    /// Adds whether its `milestone` came within `threshold_secs` of arrival (`arrived`, already
    /// in the agreement's zone), on the calendar of `context` when `business_hours`.
    fn add_within(
        &self,
        arrived: DateTime<Utc>,
        milestone: Milestone,
        threshold: Threshold,
        context: &MeasureContext,
        tally: &mut WithinTally,
    );
}

/// A response or resolution threshold, and whether it counts business time only.
#[derive(Debug, Clone, Copy)]
pub struct Threshold {
    pub secs: f64,
    pub business_hours: bool,
}

/// A dataset the engine reports on: its countable rows and what its columns allow.
pub trait Source: Sync {
    type Unit: Countable;
    fn units(&self) -> &[Self::Unit];
    fn quality(&self) -> &ImportQuality;
    /// Scope labels, indexed by [`ScopeField::index`].
    fn labels(&self) -> &[Labels; 3];
    fn has_scope(&self, field: ScopeField) -> bool;
    /// Why `target` cannot be computed from this data (a missing column, a threshold the data
    /// has no count for), naming what would be needed; `None` when it can.
    fn not_computable(&self, target: &Target) -> Option<String>;
    /// Minutes per row when the units are an interval report's rows: their contacts' own
    /// arrivals are unknown within them.
    fn interval_minutes(&self) -> Option<u32> {
        None
    }
    /// The wait chart of the counted units: from their waits or counts within edges, unless
    /// the source kept its waits apart (contacts counted as they were read).
    fn wait_distribution(
        &self,
        units: &[Self::Unit],
        exclusions: &Exclusions,
        terms: &Terms,
    ) -> WaitDistribution {
        wait_distribution(units, exclusions, terms)
    }
}

impl Source for Dataset {
    type Unit = Contact;

    fn units(&self) -> &[Contact] {
        &self.contacts
    }

    fn quality(&self) -> &ImportQuality {
        &self.quality
    }

    fn labels(&self) -> &[Labels; 3] {
        &self.labels
    }

    fn has_scope(&self, field: ScopeField) -> bool {
        self.fields.has(Field::Scope(field))
    }

    fn not_computable(&self, target: &Target) -> Option<String> {
        not_computable(&target.metric, &self.fields)
    }
}

impl Countable for Contact {
    const SINGLE_WAITS: bool = true;

    fn arrived(&self) -> Timestamp {
        self.arrived
    }

    fn scope(&self) -> &[Option<LabelId>; 3] {
        &self.scope
    }

    fn contacts(&self) -> u32 {
        1
    }

    fn offered(&self) -> u32 {
        u32::from(matches!(
            self.outcome,
            Some(Outcome::Answered | Outcome::Abandoned)
        ))
    }

    fn add_queue(&self, count: &mut QueueCount, threshold_secs: f64, short_abandon_secs: f64) {
        match (self.outcome, self.wait_secs.get()) {
            (Some(outcome), Some(wait)) => {
                count
                    .tally
                    .add(outcome, wait, threshold_secs, short_abandon_secs)
            }
            // An "other" outcome needs no wait: it is reported, never offered.
            (Some(Outcome::Other), None) => count.tally.other += 1,
            (Some(Outcome::Abandoned), None) => {
                count.abandoned_without_wait += 1;
                count.tally.add(
                    Outcome::Abandoned,
                    f64::INFINITY,
                    threshold_secs,
                    short_abandon_secs,
                );
            }
            _ => count.unknown += 1,
        }
    }

    fn add_handle(&self, tally: &mut HandleTally) {
        if self.outcome != Some(Outcome::Answered) {
            return;
        }
        match self.handle_secs.get() {
            Some(handle) => {
                tally.total_secs += handle;
                tally.with_handle += 1;
            }
            None => tally.without += 1,
        }
    }

    fn add_fcr(&self, tally: &mut FcrTally) {
        match self.fcr {
            Some(resolved) => {
                tally.known += 1;
                tally.resolved += u32::from(resolved);
            }
            None => tally.unknown += 1,
        }
    }

    fn add_csat(&self, tally: &mut CsatTally, [lowest, highest]: [f64; 2], top_box_floor: f64) {
        let Some(score) = self.csat.get() else {
            return;
        };
        if !(lowest..=highest).contains(&score) {
            tally.off_scale += 1;
            return;
        }
        tally.responses += 1;
        tally.total += score;
        tally.top_box += u32::from(score >= top_box_floor);
    }

    fn add_wait_samples(&self, answered: &mut Vec<f64>, abandoned: &mut Vec<f64>) {
        match (self.outcome, self.wait_secs.get()) {
            (Some(Outcome::Answered), Some(wait)) => answered.push(wait),
            (Some(Outcome::Abandoned), Some(wait)) => abandoned.push(wait),
            _ => {}
        }
    }

    // A contact's waits are samples: there are no edges to count within.
    fn add_edge_counts(&self, _answered: &mut EdgeTally, _abandoned: &mut EdgeTally) {}

    fn add_waits(&self, of_all_offered: bool, waits: &mut Vec<f64>, unknown: &mut u32) {
        match (self.outcome, self.wait_secs.get()) {
            (Some(Outcome::Answered), Some(wait)) => waits.push(wait),
            (Some(Outcome::Abandoned), Some(wait)) if of_all_offered => waits.push(wait),
            (Some(_), Some(_)) | (Some(Outcome::Other), None) => {}
            _ => *unknown += 1,
        }
    }

    fn add_within(
        &self,
        arrived: DateTime<Utc>,
        milestone: Milestone,
        threshold: Threshold,
        context: &MeasureContext,
        tally: &mut WithinTally,
    ) {
        let moment = match milestone {
            Milestone::FirstResponse => self.first_response(),
            Milestone::Resolution => self.resolved(),
        };
        let Some(moment) = moment else {
            tally.missing += 1;
            return;
        };
        let reached = match *moment {
            Moment::At(timestamp) => context.zone.resolve(timestamp),
            // Seconds are at most a year (values.rs), but an arrival at the end of time plus
            // them would not be a time: counted as missing rather than overflowing.
            Moment::SecondsAfterArrival(seconds) => match arrived
                .checked_add_signed(Duration::milliseconds((seconds * 1000.0).round() as i64))
            {
                Some(reached) => reached,
                None => {
                    tally.missing += 1;
                    return;
                }
            },
        };
        if reached < arrived {
            tally.before_arrival += 1;
            return;
        }
        let elapsed = match context.calendar.filter(|_| threshold.business_hours) {
            Some(calendar) => calendar.open_seconds(arrived, reached, context.zone),
            None => (reached - arrived).num_milliseconds() as f64 / 1000.0,
        };
        tally.done += 1;
        tally.in_time += u32::from(elapsed <= threshold.secs);
    }
}
