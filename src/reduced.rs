//! Contacts counted as they are read, for an input too big to hold: each contact goes into its
//! 15-minute interval row (DOMAIN §9) and its wait into the wait chart's counts, then is
//! dropped, so memory grows with the intervals, scopes and distinct waits, never with the
//! contacts. Only for terms whose every figure interval counts carry exactly
//! ([`Reduction::exactly_for`]): the report is then the contacts' own, figure for figure.

use crate::input::Dataset;
use crate::intervals::{ContactReducer, CountedContacts, IntervalReport, Reduction};
use crate::model::Contact;
use crate::waits::WaitCounts;

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

    /// The counts as an interval report that reports as the contacts would: with the read's
    /// account (`read`, whose contacts were all added here) and its columns.
    pub fn finish(self, read: Dataset) -> IntervalReport {
        let mut report = self.rows.into_report(&read);
        report.quality = read.quality;
        report.counted_contacts = Some(Box::new(CountedContacts {
            fields: read.fields,
            waits: self.waits,
        }));
        report
    }
}
