//! Contacts counted as they are read, for an input too big to hold: each contact goes into its
//! 15-minute interval row (DOMAIN §9) and its wait into the wait chart's counts, then is
//! dropped, so memory grows with the intervals, scopes and distinct waits, never with the
//! contacts. Only for terms whose every figure interval counts carry exactly
//! ([`Reduction::exactly_for`]): the report is then the contacts' own, figure for figure.

use crate::exclusions::Exclusions;
use crate::input::{Dataset, ImportQuality};
use crate::intervals::{ContactReducer, IntervalRow, Reduction};
use crate::measure::Located;
use crate::model::{Contact, Labels, ScopeField};
use crate::source::Source;
use crate::target::Target;
use crate::terms::Terms;
use crate::waits::{WaitCounts, WaitDistribution};

/// Contacts being counted: interval rows and waits.
pub struct ContactCounter {
    rows: ContactReducer,
    waits: WaitCounts,
}

impl ContactCounter {
    pub fn new(reduction: Reduction) -> ContactCounter {
        ContactCounter {
            rows: ContactReducer::new(reduction),
            waits: WaitCounts::default(),
        }
    }

    pub fn add(&mut self, contact: &Contact) {
        self.rows.add(contact);
        self.waits.add(contact);
    }

    /// The counts, with the read's account (`read`: its contacts already counted here).
    pub fn finish(self, read: Dataset) -> ReducedContacts {
        ReducedContacts {
            rows: self.rows.finish(),
            waits: self.waits,
            read: Dataset {
                contacts: Vec::new(),
                ..read
            },
        }
    }
}

/// Contacts read and counted: what the engine reports on in their place.
#[derive(Debug, Clone, PartialEq)]
pub struct ReducedContacts {
    rows: Vec<IntervalRow>,
    waits: WaitCounts,
    /// The read's account, columns and labels, without contacts.
    read: Dataset,
}

impl ReducedContacts {
    pub fn skipped_rows_csv(&self) -> String {
        self.read.skipped_rows_csv()
    }
}

/// The contacts' own columns and notes; the rows for counting. Every target is computable
/// from the rows ([`Reduction::exactly_for`]), so what is not computable is what the
/// contacts' columns lack.
impl Source for ReducedContacts {
    type Unit = IntervalRow;

    fn units(&self) -> &[IntervalRow] {
        &self.rows
    }

    fn quality(&self) -> &ImportQuality {
        self.read.quality()
    }

    fn labels(&self) -> &[Labels; 3] {
        self.read.labels()
    }

    fn has_scope(&self, field: ScopeField) -> bool {
        self.read.has_scope(field)
    }

    fn not_computable(&self, target: &Target) -> Option<String> {
        self.read.not_computable(target)
    }

    // No contact is excluded under terms a reduction serves: the counts are the chart.
    fn wait_distribution(
        &self,
        _located: &[Located<IntervalRow>],
        _exclusions: &Exclusions,
        terms: &Terms,
    ) -> WaitDistribution {
        self.waits.distribution(terms)
    }
}
