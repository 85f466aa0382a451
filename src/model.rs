//! The contact: one call, chat, email or ticket, as `shared/DOMAIN.md` §1 defines it. Every
//! field but the arrival may be missing; a metric that needs a missing field says so.

use std::collections::HashMap;

use serde::Serialize;

use crate::values::{trim_cell, Timestamp};

/// How a contact left the queue (DOMAIN §1).
///
/// Anything that is neither answered nor abandoned (transferred, overflow, voicemail…) is
/// `Other`: reported, but never silently counted as answered nor part of offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Answered,
    Abandoned,
    Other,
}

/// Words exports use for an answered contact (matched case-insensitively, trimmed).
pub const ANSWERED_WORDS: [&str; 9] = [
    "answered",
    "handled",
    "agent",
    "connected",
    "completed",
    "served",
    "accepted",
    "answer",
    "talked",
];
/// Words exports use for a contact abandoned in the queue.
pub const ABANDONED_WORDS: [&str; 11] = [
    "abandoned",
    "abandon",
    "hang",
    "hangup",
    "hung up",
    "hungup",
    "missed",
    "lost",
    "dropped",
    "unanswered",
    "short abandon",
];

impl Outcome {
    /// Reads an outcome cell: the words of answered and abandoned contacts that exports use
    /// (`answered`, `handled`, `AGENT`…; `abandoned`, `missed`, `HANG`…), any case; any other
    /// non-empty value is `Other`. An empty cell is `None`: the outcome is unknown.
    pub fn from_cell(cell: &str) -> Option<Outcome> {
        let value = trim_cell(cell);
        let is = |words: &[&str]| words.iter().any(|word| value.eq_ignore_ascii_case(word));
        if value.is_empty() {
            None
        } else if is(&ANSWERED_WORDS) {
            Some(Outcome::Answered)
        } else if is(&ABANDONED_WORDS) {
            Some(Outcome::Abandoned)
        } else {
            Some(Outcome::Other)
        }
    }
}

/// When something happened to a contact (its first response, its resolution): a timestamp, or
/// seconds after its arrival (DOMAIN §1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Moment {
    At(Timestamp),
    SecondsAfterArrival(f64),
}

/// The three scope labels a target can filter on (DOMAIN §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum ScopeField {
    Channel,
    Priority,
    Queue,
}

impl ScopeField {
    pub const ALL: [ScopeField; 3] = [ScopeField::Channel, ScopeField::Priority, ScopeField::Queue];

    pub fn name(self) -> &'static str {
        match self {
            ScopeField::Channel => "channel",
            ScopeField::Priority => "priority",
            ScopeField::Queue => "queue",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A scope label's number in its field's [`Labels`].
pub type LabelId = u32;

/// One contact with the fields the engine reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// When the contact entered the queue; its period is the one it arrived in (DOMAIN §2).
    pub arrived: Timestamp,
    /// Seconds from arrival until answered, or until the caller hung up if abandoned.
    pub wait_secs: Option<f64>,
    pub outcome: Option<Outcome>,
    /// `handle`, or `talk + hold + wrap` when `handle` is absent.
    pub handle_secs: Option<f64>,
    /// Ticket milestones, boxed: a call has neither, and two inline moments would take 48 of
    /// every contact's bytes — a third of the memory a million calls need.
    pub first_response: Option<Box<Moment>>,
    pub resolved: Option<Box<Moment>>,
    /// Resolved on first contact.
    pub fcr: Option<bool>,
    /// A survey score; `None` when the customer did not answer.
    pub csat: Option<f64>,
    /// Channel, priority and queue labels, indexed by [`ScopeField::index`].
    pub scope: [Option<LabelId>; 3],
}

impl Contact {
    /// A contact known only by its arrival; the reader fills in what its row has.
    pub fn arriving(arrived: Timestamp) -> Contact {
        Contact {
            arrived,
            wait_secs: None,
            outcome: None,
            handle_secs: None,
            first_response: None,
            resolved: None,
            fcr: None,
            csat: None,
            scope: [None; 3],
        }
    }
}

/// The distinct values of one scope field, matched case-insensitively and trimmed (DOMAIN §1),
/// each kept as first written for display. Contacts hold a number, not a string.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    names: Vec<String>,
    /// By lowercased label: what makes `Voice` and `VOICE` one label.
    ids: HashMap<String, LabelId>,
    /// By spelling as written, so the common case — a spelling seen before — costs one lookup
    /// and no allocation per row.
    ids_by_spelling: HashMap<String, LabelId>,
    /// The first few spellings, compared directly: a scope column has a handful of values, and
    /// comparing a short string beats hashing it, on every row of a file.
    first_spellings: Vec<(String, LabelId)>,
}

/// Labels are the same when their names are: the rest are lookups made from the names, in an
/// order that depends on which spellings were met first.
impl PartialEq for Labels {
    fn eq(&self, other: &Labels) -> bool {
        self.names == other.names
    }
}

impl Labels {
    /// The id of `label`, adding it when new.
    pub fn intern(&mut self, label: &str) -> LabelId {
        const FIRST_SPELLINGS: usize = 8;
        let label = trim_cell(label);
        if let Some((_, id)) = self
            .first_spellings
            .iter()
            .find(|(spelling, _)| spelling == label)
        {
            return *id;
        }
        if let Some(id) = self.ids_by_spelling.get(label) {
            return *id;
        }
        let key = label.to_lowercase();
        let next = LabelId::try_from(self.names.len()).unwrap_or(LabelId::MAX);
        let id = *self.ids.entry(key).or_insert(next);
        if id == next {
            self.names.push(label.to_owned());
        }
        self.ids_by_spelling.insert(label.to_owned(), id);
        if self.first_spellings.len() < FIRST_SPELLINGS {
            self.first_spellings.push((label.to_owned(), id));
        }
        id
    }

    /// The id of `label` if some contact carries it.
    pub fn find(&self, label: &str) -> Option<LabelId> {
        self.ids.get(&label.trim().to_lowercase()).copied()
    }

    /// Labels as first written, in order of first appearance.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_cells_are_matched_case_insensitively_and_unknowns_are_other() {
        assert_eq!(Outcome::from_cell(" Answered "), Some(Outcome::Answered));
        assert_eq!(Outcome::from_cell("ABANDONED"), Some(Outcome::Abandoned));
        assert_eq!(Outcome::from_cell("transferred"), Some(Outcome::Other));
        assert_eq!(Outcome::from_cell("  "), None);
    }

    #[test]
    fn labels_match_case_insensitively_and_keep_their_first_spelling() {
        let mut labels = Labels::default();
        let voice = labels.intern(" Voice");
        assert_eq!(labels.intern("VOICE "), voice);
        assert_ne!(labels.intern("chat"), voice);
        assert_eq!(labels.find("voice"), Some(voice));
        assert_eq!(labels.names(), ["Voice", "chat"]);
    }
}
