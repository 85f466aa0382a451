//! The contact: one call, chat, email or ticket, as `shared/DOMAIN.md` §1 defines it. Every
//! field but the arrival may be missing; a metric that needs a missing field says so.

use std::collections::HashMap;
use std::num::NonZeroU32;

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

/// A scope label's number in its field's [`Labels`]: its position there, plus one, so that
/// "no label" costs no extra byte (`Option<LabelId>` is 4 bytes, and every contact holds three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelId(NonZeroU32);

impl LabelId {
    /// The label at `position` in its [`Labels`]; positions past `u32::MAX - 1` (four billion
    /// distinct labels, which no memory holds) share the last id.
    pub fn at(position: usize) -> LabelId {
        LabelId(NonZeroU32::MIN.saturating_add(u32::try_from(position).unwrap_or(u32::MAX)))
    }

    /// Its position in its [`Labels`].
    pub fn position(self) -> usize {
        self.0.get() as usize - 1
    }

    /// Its slot in a table whose slot 0 stands for "no label": the position plus one.
    pub fn slot(label: Option<LabelId>) -> usize {
        label.map_or(0, |label| label.0.get() as usize)
    }
}

/// An `Option<f64>` in 8 bytes rather than 16: NaN stands for "none". No reader yields NaN
/// (numbers and durations are refused unless finite), and a contact holds three of these: a
/// million contacts take 24 MB less, which the import writes and every report reads.
#[derive(Clone, Copy)]
pub struct OptionalF64(f64);

impl OptionalF64 {
    pub const NONE: OptionalF64 = OptionalF64(f64::NAN);

    pub fn get(self) -> Option<f64> {
        (!self.0.is_nan()).then_some(self.0)
    }
}

impl From<Option<f64>> for OptionalF64 {
    fn from(value: Option<f64>) -> OptionalF64 {
        debug_assert!(
            value.is_none_or(|value| !value.is_nan()),
            "NaN would read as none"
        );
        OptionalF64(value.unwrap_or(f64::NAN))
    }
}

impl PartialEq for OptionalF64 {
    fn eq(&self, other: &OptionalF64) -> bool {
        self.get() == other.get()
    }
}

impl std::fmt::Debug for OptionalF64 {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(formatter)
    }
}

/// A ticket's milestones, boxed in one allocation: a call has neither, and inline they would
/// take 48 of every contact's bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestones {
    pub first_response: Option<Moment>,
    pub resolved: Option<Moment>,
}

impl Milestones {
    /// The box a contact holds: none when it has neither milestone.
    pub fn boxed(
        first_response: Option<Moment>,
        resolved: Option<Moment>,
    ) -> Option<Box<Milestones>> {
        (first_response.is_some() || resolved.is_some()).then(|| {
            Box::new(Milestones {
                first_response,
                resolved,
            })
        })
    }
}

/// One contact with the fields the engine reads, in 64 bytes: a report walks every contact for
/// every period, and the import writes them all, so their size is much of both times and most
/// of the memory a large file takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// When the contact entered the queue; its period is the one it arrived in (DOMAIN §2).
    pub arrived: Timestamp,
    /// Seconds from arrival until answered, or until the caller hung up if abandoned.
    pub wait_secs: OptionalF64,
    /// `handle`, or `talk + hold + wrap` when `handle` is absent.
    pub handle_secs: OptionalF64,
    /// A survey score; none when the customer did not answer.
    pub csat: OptionalF64,
    /// A ticket's first response and resolution; none for a call.
    pub milestones: Option<Box<Milestones>>,
    /// Channel, priority and queue labels, indexed by [`ScopeField::index`].
    pub scope: [Option<LabelId>; 3],
    pub outcome: Option<Outcome>,
    /// Resolved on first contact.
    pub fcr: Option<bool>,
}

// Checked when compiling, on every target (a pointer is 4 bytes in wasm, 8 natively).
const _: () = assert!(std::mem::size_of::<Contact>() <= 64);

impl Contact {
    /// A contact known only by its arrival; the reader fills in what its row has.
    pub fn arriving(arrived: Timestamp) -> Contact {
        Contact {
            arrived,
            wait_secs: OptionalF64::NONE,
            handle_secs: OptionalF64::NONE,
            csat: OptionalF64::NONE,
            milestones: None,
            scope: [None; 3],
            outcome: None,
            fcr: None,
        }
    }

    pub fn first_response(&self) -> Option<&Moment> {
        self.milestones.as_ref()?.first_response.as_ref()
    }

    pub fn resolved(&self) -> Option<&Moment> {
        self.milestones.as_ref()?.resolved.as_ref()
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
    // The common case inlined where a row's labels are read — one of the first spellings met,
    // as nearly every row's channel and priority are — the rest out of line: in wasm the call
    // was 3 % of an import (the million-contact file from memory in Chromium: 209 → 202 ms).
    #[inline]
    pub fn intern(&mut self, label: &str) -> LabelId {
        let label = trim_cell(label);
        match self
            .first_spellings
            .iter()
            .find(|(spelling, _)| spelling == label)
        {
            Some((_, id)) => *id,
            None => self.intern_other(label),
        }
    }

    /// [`Labels::intern`] for a spelling not among the first met.
    #[inline(never)]
    fn intern_other(&mut self, label: &str) -> LabelId {
        const FIRST_SPELLINGS: usize = 8;
        if let Some(id) = self.ids_by_spelling.get(label) {
            return *id;
        }
        let key = label.to_lowercase();
        let next = LabelId::at(self.names.len());
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
    fn an_optional_number_gives_back_what_it_was_given() {
        for value in [
            None,
            Some(0.0),
            Some(-0.0),
            Some(1.5),
            Some(f64::MAX),
            Some(f64::INFINITY),
        ] {
            let compact = OptionalF64::from(value);
            assert_eq!(compact.get().map(f64::to_bits), value.map(f64::to_bits));
        }
        assert_eq!(OptionalF64::NONE, OptionalF64::from(None));
        assert_ne!(OptionalF64::NONE, OptionalF64::from(Some(0.0)));
    }

    #[test]
    fn a_label_id_is_its_position_and_its_slot_follows_no_label() {
        assert_eq!(LabelId::at(0).position(), 0);
        assert_eq!(LabelId::at(41).position(), 41);
        assert_eq!(LabelId::slot(None), 0);
        assert_eq!(LabelId::slot(Some(LabelId::at(0))), 1);
        assert_eq!(std::mem::size_of::<Option<LabelId>>(), 4);
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
