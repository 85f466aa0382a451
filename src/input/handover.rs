//! A later part of an input read in memory the stream reading the rest cannot see — in a
//! page, by a second worker with a wasm instance of its own — handed over as bytes: its
//! contacts in batches as they are read, then the account of its rows. The bytes come from this
//! code in the same page, yet are read as any input is: a handover that does not read back
//! whole is refused, and the part is then read again by the stream, never half taken.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::{
    Coercion, OtherOutcomes, Reading, RowProblem, RowsAccount, SkipReason, SkipTally, SkippedRow,
};
use crate::model::{Contact, LabelId, Labels, Milestones, Moment, Outcome, ScopeField};
use crate::values::Timestamp;

/// Everything of a part's reading but its contacts, as JSON: a few kilobytes (the skipped rows
/// kept as written at most), read once.
#[derive(Serialize, Deserialize)]
pub(super) struct Account {
    /// Line ends in the part: its last line's number within it.
    pub lines: u64,
    pub rows_read: u32,
    /// Contacts in all the batches, which must add up to it.
    pub contacts: usize,
    /// Scope labels by field, in the order the part's contacts number them.
    pub labels: [Vec<String>; 3],
    pub skip_groups: Vec<(RowProblem, u32, Vec<u64>)>,
    pub skipped_rows: Vec<SkippedRow>,
    pub coerced: Vec<(usize, Coercion, u32)>,
    pub other_outcomes: (u32, Vec<String>),
}

impl Account {
    /// The account of `reading`, whose `contacts` were handed over in batches, after `lines`.
    pub fn of(reading: Reading, contacts: usize, lines: u64) -> Account {
        Account {
            lines,
            rows_read: reading.rows_read,
            contacts,
            labels: reading.labels.map(|labels| labels.names().to_vec()),
            skip_groups: reading.skips.groups,
            skipped_rows: reading.skips.rows,
            coerced: reading.coerced,
            other_outcomes: (reading.other_outcomes.rows, reading.other_outcomes.values),
        }
    }

    /// The account, then `contacts`, as bytes: its JSON's length (4 bytes, little-endian),
    /// its JSON, the contacts as [`write_contacts`] writes them.
    pub fn with_contacts_to_bytes(&self, contacts: &[Contact]) -> Vec<u8> {
        let json =
            serde_json::to_vec(self).expect("an account is strings and numbers, always written");
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&(json.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&json);
        write_contacts(contacts, &mut bytes);
        bytes
    }

    /// The account and the contacts' bytes that [`Account::with_contacts_to_bytes`] wrote,
    /// when the account reads back and fits `columns` (the input's columns: those its skips
    /// and guesses name).
    pub fn with_contacts(bytes: &[u8], columns: usize) -> Option<(Account, &[u8])> {
        let (length, rest) = bytes.split_first_chunk::<4>()?;
        let (json, contacts) = rest.split_at_checked(u32::from_le_bytes(*length) as usize)?;
        // From text, as the terms are read: one JSON reader in the wasm, not two.
        let account: Account = serde_json::from_str(std::str::from_utf8(json).ok()?).ok()?;
        let named_columns_exist = account
            .skip_groups
            .iter()
            .map(|(problem, _, _)| problem)
            .filter(|problem| problem.reason != SkipReason::WrongCellCount)
            .map(|problem| problem.column)
            .chain(account.coerced.iter().map(|(column, _, _)| *column))
            .all(|column| column < columns);
        named_columns_exist.then_some((account, contacts))
    }

    /// What the account tells of the part's rows, to add to the taking stream's.
    pub fn rows_account(self) -> RowsAccount {
        RowsAccount {
            skips: SkipTally {
                // Only the taking stream's names are read: the skipped rows name their column.
                column_names: Vec::new(),
                groups: self.skip_groups,
                rows: self.skipped_rows,
            },
            coerced: self.coerced,
            other_outcomes: OtherOutcomes {
                rows: self.other_outcomes.0,
                values: self.other_outcomes.1,
            },
            rows_read: self.rows_read,
        }
    }
}

/// The ids a part's labels take in the stream that takes the part over: `labels` (that
/// stream's, cloned) with the part's `names` added in their order.
pub(super) struct LabelIds {
    pub labels: [Labels; 3],
    ids: [Vec<LabelId>; 3],
}

impl LabelIds {
    pub fn new(mut labels: [Labels; 3], names: &[Vec<String>; 3]) -> LabelIds {
        let ids = std::array::from_fn(|field| {
            names[field]
                .iter()
                .map(|name| labels[field].intern(name))
                .collect()
        });
        LabelIds { labels, ids }
    }

    /// The id in the taking stream of the part's label `slot` of `field` (see
    /// [`LabelId::slot`]); none when the part has no such label.
    fn id(&self, field: usize, slot: u32) -> Option<Option<LabelId>> {
        match slot {
            0 => Some(None),
            slot => self.ids[field].get(slot as usize - 1).copied().map(Some),
        }
    }
}

/// Writes contacts in a fixed layout, little-endian: the arrival, three optional numbers (NaN
/// for none, as [`crate::model::OptionalF64`] holds them), three label slots, the outcome, FCR
/// and the milestones.
pub(super) fn write_contacts(contacts: &[Contact], bytes: &mut Vec<u8>) {
    // A call's bytes: 13 of arrival, 24 of numbers, 12 of labels, 3 of flags (a ticket's
    // moments come on top).
    const CALL_BYTES: usize = 52;
    bytes.reserve(contacts.len() * CALL_BYTES);
    for contact in contacts {
        write_timestamp(contact.arrived, bytes);
        for number in [contact.wait_secs, contact.handle_secs, contact.csat] {
            bytes.extend_from_slice(&number.get().unwrap_or(f64::NAN).to_le_bytes());
        }
        for label in contact.scope {
            bytes.extend_from_slice(&(LabelId::slot(label) as u32).to_le_bytes());
        }
        bytes.push(match contact.outcome {
            None => 0,
            Some(Outcome::Answered) => 1,
            Some(Outcome::Abandoned) => 2,
            Some(Outcome::Other) => 3,
        });
        bytes.push(match contact.fcr {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        });
        let first_response = contact.first_response();
        let resolved = contact.resolved();
        bytes.push(u8::from(first_response.is_some()) | u8::from(resolved.is_some()) << 1);
        for moment in [first_response, resolved].into_iter().flatten() {
            match moment {
                Moment::At(at) => write_timestamp(*at, bytes),
                Moment::SecondsAfterArrival(seconds) => {
                    bytes.push(2);
                    bytes.extend_from_slice(&seconds.to_le_bytes());
                }
            }
        }
    }
}

/// Reads the contacts [`write_contacts`] wrote, their labels as `label_ids` number them, into
/// `each`; false when the bytes do not read back whole.
pub(super) fn read_contacts(
    bytes: &[u8],
    label_ids: &LabelIds,
    each: &mut impl FnMut(Contact),
) -> bool {
    let mut cursor = Cursor { bytes };
    while !cursor.bytes.is_empty() {
        match cursor.contact(label_ids) {
            Some(contact) => each(contact),
            None => return false,
        }
    }
    true
}

/// A timestamp as a tag (0 exact, 1 wall clock), then its date as year and day of the year
/// (`year << 9 | ordinal`), then its second of the day and nanosecond (`second << 32 |
/// nanosecond`), as UTC reads them: the parts chrono holds, which it puts together again without
/// the arithmetic of a count of seconds since 1970 (a third of the take-over in wasm).
fn write_timestamp(timestamp: Timestamp, bytes: &mut Vec<u8>) {
    let (tag, naive) = match timestamp {
        Timestamp::Exact(at) => (0, at.naive_utc()),
        Timestamp::WallClock(at) => (1, at),
    };
    bytes.push(tag);
    let date = naive.year() << 9 | naive.ordinal() as i32;
    bytes.extend_from_slice(&date.to_le_bytes());
    let time = u64::from(naive.num_seconds_from_midnight()) << 32 | u64::from(naive.nanosecond());
    bytes.extend_from_slice(&time.to_le_bytes());
}

struct Cursor<'b> {
    bytes: &'b [u8],
}

impl Cursor<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (taken, rest) = self.bytes.split_first_chunk::<N>()?;
        self.bytes = rest;
        Some(*taken)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take::<1>().map(|[byte]| byte)
    }

    fn number(&mut self) -> Option<f64> {
        self.take().map(f64::from_le_bytes)
    }

    // Inlined into the loop that reads a batch, as its callback is (a generic, not a `dyn`):
    // each contact otherwise went through two calls returning it through memory.
    #[inline(always)]
    fn contact(&mut self, label_ids: &LabelIds) -> Option<Contact> {
        let tag = self.byte()?;
        let mut contact = Contact::arriving(self.timestamp(tag)?);
        for number in [
            &mut contact.wait_secs,
            &mut contact.handle_secs,
            &mut contact.csat,
        ] {
            let value = self.number()?;
            *number = (!value.is_nan()).then_some(value).into();
        }
        for field in ScopeField::ALL.map(ScopeField::index) {
            let slot = self.take().map(u32::from_le_bytes)?;
            contact.scope[field] = label_ids.id(field, slot)?;
        }
        contact.outcome = match self.byte()? {
            0 => None,
            1 => Some(Outcome::Answered),
            2 => Some(Outcome::Abandoned),
            3 => Some(Outcome::Other),
            _ => return None,
        };
        contact.fcr = match self.byte()? {
            0 => None,
            1 => Some(false),
            2 => Some(true),
            _ => return None,
        };
        let milestones = self.byte()?;
        if milestones > 0b11 {
            return None;
        }
        let first_response = self.moment_if(milestones & 1 != 0)?;
        let resolved = self.moment_if(milestones & 2 != 0)?;
        contact.milestones = Milestones::boxed(first_response, resolved);
        Some(contact)
    }

    /// The moment written next when `written`; `Some(None)` when not.
    fn moment_if(&mut self, written: bool) -> Option<Option<Moment>> {
        if !written {
            return Some(None);
        }
        let moment = match self.byte()? {
            2 => Moment::SecondsAfterArrival(self.number()?),
            tag => Moment::At(self.timestamp(tag)?),
        };
        Some(Some(moment))
    }

    fn timestamp(&mut self, tag: u8) -> Option<Timestamp> {
        let date = self.take().map(i32::from_le_bytes)?;
        let date = NaiveDate::from_yo_opt(date >> 9, (date & 0x1ff) as u32)?;
        let time = self.take().map(u64::from_le_bytes)?;
        let time = NaiveTime::from_num_seconds_from_midnight_opt((time >> 32) as u32, time as u32)?;
        let at = date.and_time(time);
        match tag {
            0 => Some(Timestamp::Exact(at.and_utc())),
            1 => Some(Timestamp::WallClock(at)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    #[test]
    fn timestamps_read_back_as_written_at_the_edges_of_the_calendar() {
        let wall =
            |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").unwrap();
        let leap_second = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap();
        let timestamps = [
            Timestamp::WallClock(wall("2026-03-02 09:00:00.123")),
            Timestamp::Exact(wall("2024-12-31 23:59:59.999999999").and_utc()),
            Timestamp::WallClock(wall("1970-01-01 00:00:00")),
            Timestamp::WallClock(wall("-0044-03-15 12:00:00")),
            Timestamp::Exact(leap_second.and_utc()),
            Timestamp::WallClock(NaiveDateTime::MAX),
            Timestamp::Exact(NaiveDateTime::MIN.and_utc()),
        ];
        for timestamp in timestamps {
            let mut bytes = Vec::new();
            write_timestamp(timestamp, &mut bytes);
            let mut cursor = Cursor { bytes: &bytes[1..] };
            assert_eq!(cursor.timestamp(bytes[0]), Some(timestamp));
            assert!(cursor.bytes.is_empty());
        }
    }
}
