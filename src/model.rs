//! The contact: one call, chat, email or ticket, as `shared/DOMAIN.md` §1 defines it.

use chrono::{DateTime, Utc};

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

impl Outcome {
    /// Reads an outcome cell: `answered` and `abandoned`, case-insensitive and trimmed; any
    /// other non-empty value is `Other`. An empty cell is `None`: the caller decides whether
    /// that skips the row.
    pub fn from_cell(cell: &str) -> Option<Outcome> {
        let value = cell.trim();
        if value.is_empty() {
            None
        } else if value.eq_ignore_ascii_case("answered") {
            Some(Outcome::Answered)
        } else if value.eq_ignore_ascii_case("abandoned") {
            Some(Outcome::Abandoned)
        } else {
            Some(Outcome::Other)
        }
    }
}

/// One contact with the fields the engine needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// When the contact entered the queue; its period is the one it arrived in (DOMAIN §2).
    pub arrived: DateTime<Utc>,
    /// Seconds from arrival until answered, or until the caller hung up if abandoned.
    pub wait_secs: f64,
    pub outcome: Outcome,
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
}
