//! Reading contacts from the files people have: any common encoding and separator, a header or
//! none, columns mapped to the fields of DOMAIN §1 by name and checked by value, cells in the
//! formats exports write. Every row ends up used or skipped with a reason (DOMAIN §8), every
//! cell read by a guess is counted, and only a request with nothing usable at all is an error.

use serde::{Deserialize, Serialize};

use crate::dialect::{first_row_is_header, sniff_delimiter, Dialect};
use crate::encoding::{decode_prefix, Encoding, Transcoder};
use crate::error::SlaError;
use crate::mapping::{
    map_columns, names_a_field, unused_column_notes, ColumnMapping, MappedField, MappingOverrides,
    ValueKind,
};
use crate::model::{Contact, Labels, Milestones, Moment, Outcome, ScopeField};
use crate::parallel_import::{read_in_parts, Sharing};
use crate::records::{Record, RecordSplitter};
use crate::text::spreadsheet_safe;
use crate::values::{
    parse_duration, parse_number, parse_score, parse_time_of_day, parse_yes_no, trim_cell,
    DateOrder, DurationError, NumberWriting, TimeFormat, Timestamp,
};

mod handover;

use handover::{Account, LabelIds};

/// How many line numbers each skip reason keeps, so a user can find the first bad rows without
/// the report growing with the file.
pub const FIRST_LINES_KEPT: usize = 5;
/// Rows looked at to map columns and detect value formats.
const SAMPLE_ROWS: usize = 200;
/// A column is taken for a field when at least this share of its sampled values fit…
const FIT_SHARE: f64 = 0.8;
/// …or this share, when it is named exactly as DOMAIN §1 names the field: then the bad cells
/// are the data's, and their rows are skipped and counted rather than the column ignored.
const CANONICAL_FIT_SHARE: f64 = 0.5;
/// More columns than any contact export has: past this, the separator was surely misread.
const MAX_COLUMNS: usize = 1000;
/// Skipped rows kept whole for the user to download; beyond, they are counted only.
pub const SKIPPED_ROWS_KEPT: usize = 10_000;
/// Contacts one input may hold. In a 32-bit address space (the page's wasm) one array can
/// take 2 GB and all memory 4 GB: 12 million contacts of 64 bytes (768 MB), read with their
/// room reserved ahead (see [`ContactStream::expecting`]), leave the report the rest. Natively,
/// the row counters' width.
pub const MAX_CONTACTS: usize = if cfg!(target_pointer_width = "32") {
    12_000_000
} else {
    u32::MAX as usize
};
/// Cells that mean "no value" in exports (ServiceNow writes `?`), read as empty and counted.
const MISSING_MARKERS: [&str; 6] = ["?", "-", "n/a", "na", "null", "none"];

/// What the user chose about the import; everything else is detected.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportOptions {
    /// Fields mapped to a column by its name (or `column 3` without a header), or to nothing.
    #[serde(default)]
    pub mapping: MappingOverrides,
    /// Day or month first in dates like `03/04/2026`, when the data cannot tell.
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    /// Whether the first row names the columns, when the guess is wrong.
    #[serde(default)]
    pub has_header: Option<bool>,
    /// What a row is, when the columns do not tell it rightly.
    #[serde(default)]
    pub shape: Option<InputShape>,
    /// Minutes per interval of an interval report, when it states none and its starts are too
    /// few to tell.
    #[serde(default)]
    pub interval_minutes: Option<u32>,
    /// Upper edges in seconds of an interval report's numbered service-level increments
    /// (Avaya CMS `ACDCALLS1…10`, `ABNCALLS1…10`), which the report's columns do not state:
    /// increment `n` holds the waits up to edge `n`, above edge `n − 1` (DOMAIN §9).
    #[serde(default)]
    pub increment_edges: Vec<f64>,
}

/// Contacts read from one input, with the account of every row.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub contacts: Vec<Contact>,
    pub quality: ImportQuality,
    /// Which fields the input has a column for: a metric whose field has no column is "not
    /// computable", never computed from nothing.
    pub fields: FieldSet,
    /// Scope labels, indexed by [`ScopeField::index`].
    pub labels: [Labels; 3],
    /// The first skipped rows as they were written, with why, for the user to fix the source.
    pub skipped_rows: Vec<SkippedRow>,
    /// The input's column names, for the skipped rows' header.
    pub column_names: Vec<String>,
}

/// One skipped row as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedRow {
    pub line: u64,
    pub reason: SkipReason,
    /// The column that made the row fail; empty for a row of the wrong width.
    pub column: String,
    pub cells: Vec<String>,
}

impl Dataset {
    /// The skipped rows (the first [`SKIPPED_ROWS_KEPT`]) as CSV: line, reason, column, then
    /// the row's own cells under its own header — the file a user fixes and imports again.
    pub fn skipped_rows_csv(&self) -> String {
        skipped_rows_csv(&self.skipped_rows, &self.column_names)
    }
}

/// Skipped rows as CSV: line, reason, column, then the row's own cells under `column_names`.
pub fn skipped_rows_csv(skipped_rows: &[SkippedRow], column_names: &[String]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["line".to_owned(), "reason".to_owned(), "column".to_owned()];
    header.extend(column_names.iter().cloned());
    // Writing to memory cannot fail; a row that could not be written would only be lost.
    let _ = writer.write_record(header.iter().map(|cell| spreadsheet_safe(cell)));
    for row in skipped_rows {
        let mut record = vec![
            row.line.to_string(),
            row.reason.describe().to_owned(),
            row.column.clone(),
        ];
        record.extend(row.cells.iter().cloned());
        let _ = writer.write_record(record.iter().map(|cell| spreadsheet_safe(cell)));
    }
    let _ = writer.flush();
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// How the input was read, and what became of every row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportQuality {
    /// What one row of the input is: a contact, an interval's counts, a period's KPIs.
    pub shape: InputShape,
    pub rows_read: u32,
    pub rows_used: u32,
    pub rows_skipped: u32,
    /// One entry per (reason, column), in the order of the reason's first occurrence.
    pub skipped: Vec<SkippedRows>,
    pub encoding: Encoding,
    pub dialect: Dialect,
    /// Every column and the field it feeds, with how sure the mapping is.
    pub columns: Vec<ColumnMapping>,
    /// The order read in dates like `03/04/2026`, and whether the data left it open.
    pub date_order: DateOrder,
    pub date_order_ambiguous: bool,
    /// Cells read by a guess, per column and kind (a decimal comma, `4/5`, a `?`…).
    pub coerced: Vec<CoercedCells>,
    /// Sentences on how the fields were put together (`arrival from "Date" + "Time"`).
    pub notes: Vec<String>,
}

/// What one row of an input is (DOMAIN §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum InputShape {
    /// One call, chat or ticket.
    Contacts,
    /// One interval (and scope) of an ACD's interval report, counted.
    Intervals,
    /// One period's KPI values, as a monthly report gives them.
    Kpis,
}

/// Why a row could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum SkipReason {
    /// The row has no arrival time, the one field every contact needs.
    MissingValue,
    /// The row has fewer or more cells than the header, so its values cannot be placed.
    WrongCellCount,
    UnreadableTimestamp,
    UnreadableDuration,
    /// Negative or non-finite durations are errors for the row (DOMAIN §1).
    NegativeDuration,
    /// Longer than a year (see [`crate::values::LONGEST_DURATION_SECS`]).
    ImplausibleDuration,
    /// A first-response or resolution cell that is neither a timestamp nor seconds.
    UnreadableMoment,
    UnreadableYesNo,
    UnreadableNumber,
    /// A count in a summary that is not a whole number ≥ 0.
    UnreadableCount,
    /// Counts of one summary row that contradict each other.
    InconsistentCounts,
    /// A KPI history's period that is not a month, week or date of the history's kind.
    UnreadablePeriod,
    /// A KPI history's value that is not a share, a time or a score.
    UnreadableKpi,
    /// A second row for a period and scope of a KPI history already read.
    RepeatedPeriod,
}

impl SkipReason {
    fn describe(self) -> &'static str {
        match self {
            SkipReason::MissingValue => "empty value",
            SkipReason::WrongCellCount => "number of cells differs from the header",
            SkipReason::UnreadableTimestamp => {
                "unreadable timestamp (expected e.g. 2026-03-01 14:05:00, 01/03/2026 14:05 or 2026-03-01T14:05:00Z)"
            }
            SkipReason::UnreadableDuration => {
                "unreadable duration (expected seconds, mm:ss, h:mm:ss or PT1M30S)"
            }
            SkipReason::NegativeDuration => "negative or infinite duration",
            SkipReason::ImplausibleDuration => {
                "duration longer than a year (milliseconds read as seconds?)"
            }
            SkipReason::UnreadableMoment => {
                "unreadable time (expected a timestamp or seconds after arrival)"
            }
            SkipReason::UnreadableYesNo => "unreadable yes/no (expected yes, no, y, n, true, false, 1 or 0)",
            SkipReason::UnreadableNumber => "unreadable score (expected e.g. 4, 4.5 or 4/5)",
            SkipReason::UnreadableCount => {
                "unreadable count (expected a whole number ≥ 0, e.g. 12 or 1,234)"
            }
            SkipReason::InconsistentCounts => {
                "counts that contradict each other (more within a threshold than in all, more answered and abandoned than offered, or fewer within a longer threshold)"
            }
            SkipReason::UnreadablePeriod => {
                "unreadable period (expected e.g. 2026-03, Mar 2026, 03/2026, 2026-W10 or a date, all of one kind)"
            }
            SkipReason::UnreadableKpi => {
                "unreadable value (expected e.g. 78.2%, 0.782, 78,2 %, 0:32, 32 s or 4.2/5, within the metric's range)"
            }
            SkipReason::RepeatedPeriod => {
                "a second row for the same period and scope (the first is used)"
            }
        }
    }
}

/// All rows skipped for one reason in one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SkippedRows {
    pub reason: SkipReason,
    /// The column's name as written in the header.
    pub column: String,
    pub count: u32,
    /// 1-based line numbers in the input (the header is line 1), the first few only.
    pub first_lines: Vec<u64>,
    /// A sentence for the user, e.g. `column "wait": unreadable duration … (lines 4, 9)`.
    pub message: String,
}

/// Cells of one column read by a guess.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CoercedCells {
    pub column: String,
    pub count: u32,
    /// What was read how, e.g. `decimal comma read as a point (1,5 → 1.5)`.
    pub what: String,
}

/// A field of DOMAIN §1 that an input can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Arrived,
    Wait,
    Outcome,
    /// `handle`, or any of `talk`, `hold`, `wrap`.
    Handle,
    FirstResponse,
    Resolved,
    Fcr,
    Csat,
    Scope(ScopeField),
}

impl Field {
    /// The column name a user would give the field, for "not computable" messages.
    pub fn column_name(self) -> &'static str {
        match self {
            Field::Arrived => "arrived",
            Field::Wait => "wait",
            Field::Outcome => "outcome",
            Field::Handle => "handle (or talk, hold, wrap)",
            Field::FirstResponse => "first_response",
            Field::Resolved => "resolved",
            Field::Fcr => "fcr",
            Field::Csat => "csat",
            Field::Scope(scope) => scope.name(),
        }
    }
}

/// The fields an input has columns for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FieldSet {
    wait: bool,
    outcome: bool,
    handle: bool,
    first_response: bool,
    resolved: bool,
    fcr: bool,
    csat: bool,
    scope: [bool; 3],
}

impl FieldSet {
    /// Every field present: contacts built in code rather than read from a file.
    pub fn all() -> FieldSet {
        FieldSet {
            wait: true,
            outcome: true,
            handle: true,
            first_response: true,
            resolved: true,
            fcr: true,
            csat: true,
            scope: [true; 3],
        }
    }

    pub fn has(&self, field: Field) -> bool {
        match field {
            Field::Arrived => true,
            Field::Wait => self.wait,
            Field::Outcome => self.outcome,
            Field::Handle => self.handle,
            Field::FirstResponse => self.first_response,
            Field::Resolved => self.resolved,
            Field::Fcr => self.fcr,
            Field::Csat => self.csat,
            Field::Scope(scope) => self.scope[scope.index()],
        }
    }
}

/// Reads contacts from text with the detected layout and mapping.
pub fn read_contacts_csv(text: &str) -> Result<Dataset, SlaError> {
    read_contacts(text.as_bytes(), &ImportOptions::default())
}

/// Reads contacts from the bytes of a file or a paste: decodes them, finds the separator and
/// the header, maps the columns (with the user's `options` over the guesses) and reads every
/// row, skipping — and counting — only rows that cannot be used.
pub fn read_contacts(bytes: &[u8], options: &ImportOptions) -> Result<Dataset, SlaError> {
    read_contacts_with_progress(bytes, options, &mut |_, _| {})
}

/// [`read_contacts`], telling `progress(bytes read, bytes in all)` as it goes, so a page can
/// show a bar for a large file. A large file is read on every core natively; in a browser, on
/// the one thread it has.
pub fn read_contacts_with_progress(
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Dataset, SlaError> {
    read_in_parts(bytes, options, Sharing::of_this_machine(), progress)
}

/// The start of the input looked at before any row is read: the encoding, the separator, the
/// header and the columns' mapping are decided from it alone, so the report is the same
/// whatever chunks the rest arrives in. Its first row must end within it.
pub const PREFIX_BYTES: usize = 8 << 20;

/// Contacts read from an input that arrives in chunks (a file streamed by a page, standard
/// input): only the first [`PREFIX_BYTES`] are held until the layout is known, then each chunk
/// is read into contacts as it comes and let go. Chunks may be cut anywhere; the dataset is the
/// same as from the whole input at once.
pub struct ContactStream {
    options: ImportOptions,
    /// How much of the input's start decides the layout.
    prefix_bytes: usize,
    /// The input so far, until the layout is decided.
    prefix: Vec<u8>,
    bytes_read: u64,
    /// The input's whole size, when known: room for its contacts is reserved at once.
    expected_bytes: Option<u64>,
    max_contacts: usize,
    rows: Option<RowStream>,
}

/// The rows being read once the layout is known.
struct RowStream {
    transcoder: Transcoder,
    splitter: RecordSplitter,
    /// Text transcoded to UTF-8, reused from chunk to chunk.
    transcoded: Vec<u8>,
    reading: Reading,
}

impl ContactStream {
    pub fn new(options: ImportOptions) -> ContactStream {
        ContactStream::with_prefix_bytes(options, PREFIX_BYTES)
    }

    /// A stream whose layout is decided from the first `prefix_bytes` instead of
    /// [`PREFIX_BYTES`]: how tests make rows arrive after the decision in a small input.
    pub fn with_prefix_bytes(options: ImportOptions, prefix_bytes: usize) -> ContactStream {
        ContactStream {
            options,
            prefix_bytes: prefix_bytes.max(1),
            prefix: Vec::new(),
            bytes_read: 0,
            expected_bytes: None,
            max_contacts: MAX_CONTACTS,
            rows: None,
        }
    }

    /// A stream that refuses an input of more than `max_contacts` contacts (at most
    /// [`MAX_CONTACTS`]): how tests reach the limit without gigabytes.
    pub fn holding_at_most(mut self, max_contacts: usize) -> ContactStream {
        self.max_contacts = max_contacts.min(MAX_CONTACTS);
        self
    }

    /// Tells the stream the input's whole size (a file's): once the prefix is read, room for
    /// the contacts the rest will hold is reserved in one piece, so a large file's contacts
    /// never need twice their memory while their array grows.
    pub fn expecting(mut self, total_bytes: u64) -> ContactStream {
        self.expected_bytes = Some(total_bytes);
        self
    }

    /// Bytes pushed so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Reads the next chunk of the input. Fails only when the start of the input shows that
    /// nothing in it is usable (not text, no arrival column…); bad rows are counted instead.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), SlaError> {
        self.bytes_read += chunk.len() as u64;
        match &mut self.rows {
            Some(rows) => rows.push(chunk),
            None => {
                self.prefix.extend_from_slice(chunk);
                if self.prefix.len() >= self.prefix_bytes {
                    self.start(false)?;
                }
            }
        }
        match &self.rows {
            Some(rows) => rows.reading.within_limit(),
            None => Ok(()),
        }
    }

    /// Hands every contact read so far to `each` and lets it go: how an input too big to hold
    /// is counted as it streams (the account of its rows is kept whole).
    pub fn drain_contacts(&mut self, each: &mut dyn FnMut(&Contact)) {
        if let Some(rows) = &mut self.rows {
            for contact in rows.reading.contacts.drain(..) {
                each(&contact);
            }
        }
    }

    /// Ends the input and gives the contacts with the account of every row.
    pub fn finish(mut self) -> Result<Dataset, SlaError> {
        if self.rows.is_none() {
            self.start(true)?;
        }
        let mut rows = self.rows.expect("started just above");
        rows.finish();
        rows.reading.finish()
    }

    /// Decides the layout from `prefix`, the input's start (at most the prefix size), before
    /// anything is pushed: how a file read in parts on several cores starts them without
    /// waiting for the prefix's rows. The prefix is then pushed like the rest.
    pub(crate) fn decide_layout(&mut self, prefix: &[u8]) -> Result<(), SlaError> {
        self.rows = Some(self.row_stream(prefix, false)?);
        Ok(())
    }

    /// Reserves room for `contacts` more at once, rather than growing into it.
    pub(crate) fn reserve(&mut self, contacts: usize) {
        if let Some(rows) = &mut self.rows {
            rows.reading.reserve(contacts);
        }
    }

    /// Maps the memory of the reserved room that `later_bytes` more of the input will fill, by
    /// writing into each of its pages: the thread that joins the parts does it while the others
    /// are still reading, so that their contacts are then copied into mapped pages (the kernel
    /// mapping 32 MB a page at a time on first write was three quarters of the join: 20 ms of a
    /// 130 ms import). The room is judged by the contacts kept per byte so far, not by the
    /// reservation, which counts lines: a file of skipped rows maps no room it will not use.
    pub(crate) fn map_room_for(&mut self, later_bytes: u64) {
        if let Some(rows) = &mut self.rows {
            let kept_per_byte = rows.reading.contacts.len() as f64 / self.bytes_read.max(1) as f64;
            rows.reading
                .map_room(contacts_with_margin(kept_per_byte, later_bytes));
        }
    }

    /// A reader for a later part of the input, of about `contacts`, read apart (on another
    /// core) with the layout decided from the start; `None` before the layout is decided, or
    /// when the input is not UTF-8 (transcoding is left to this stream, which reads from the
    /// start).
    pub(crate) fn later_part(&self, contacts: usize) -> Option<PartReading> {
        let rows = self.rows.as_ref()?;
        if !rows.transcoder.passes_through() {
            return None;
        }
        let mut reading = rows.reading.sibling();
        reading.reserve(contacts);
        Some(PartReading {
            splitter: RecordSplitter::new(reading.dialect.delimiter),
            reading,
        })
    }

    /// Takes over a later part read apart as if this stream had read it: its rows are added
    /// (their lines numbered in the whole input), and its splitter reads what follows. Done
    /// only when the text pushed so far ends between records and past the header — else the
    /// part began inside a quoted cell, or held the header: false, and its text is to be
    /// pushed instead.
    pub(crate) fn take_part(&mut self, part: PartReading) -> bool {
        let Some(rows) = self.rows_ending_between_records() else {
            return false;
        };
        let PartReading {
            mut splitter,
            reading,
        } = part;
        let lines_before = rows.splitter.lines_read();
        splitter.after_lines(lines_before);
        rows.splitter = splitter;
        rows.reading.absorb(reading, lines_before);
        true
    }

    /// Takes over the input's last part, read apart by a [`LastPart`] in memory this stream
    /// cannot see and handed over as bytes: its contacts in `batches`, then `last` (the last
    /// contacts and the account of its rows). Done only when the text pushed so far ends
    /// between records past the header, and the handover reads back whole — else false,
    /// nothing is taken, and the part's text is to be pushed instead. Nothing is pushed after a
    /// part taken: the stream is finished.
    pub fn take_last_part(
        &mut self,
        mut batches: impl Iterator<Item = Vec<u8>>,
        last: &[u8],
    ) -> bool {
        let Some(rows) = self.rows_ending_between_records() else {
            return false;
        };
        let reading = &mut rows.reading;
        let Some((account, last_contacts)) = Account::with_contacts(last, reading.names.len())
        else {
            return false;
        };
        let label_ids = LabelIds::new(reading.labels.clone(), &account.labels);
        let kept_before = reading.contacts.len();
        let mut handed = 0;
        let mut keep = |contact| {
            handed += 1;
            reading.keep(contact);
        };
        let read_whole = batches
            .all(|batch| handover::read_contacts(&batch, &label_ids, &mut keep))
            && handover::read_contacts(last_contacts, &label_ids, &mut keep);
        if !read_whole || handed != account.contacts {
            reading.contacts.truncate(kept_before);
            return false;
        }
        reading.labels = label_ids.labels;
        let lines_before = rows.splitter.lines_read();
        rows.splitter.after_lines(account.lines);
        rows.reading
            .absorb_account(account.rows_account(), lines_before);
        true
    }

    /// The rows being read, when the text pushed so far ends between records past the header:
    /// where a part read apart may be taken over.
    fn rows_ending_between_records(&mut self) -> Option<&mut RowStream> {
        let rows = self.rows.as_mut()?;
        (rows.splitter.between_records() && !rows.reading.header_ahead).then_some(rows)
    }

    /// Decides the layout from the prefix, then reads all of it as rows.
    fn start(&mut self, complete: bool) -> Result<(), SlaError> {
        let prefix = std::mem::take(&mut self.prefix);
        let decided_by = &prefix[..prefix.len().min(self.prefix_bytes)];
        let mut rows = self.row_stream(decided_by, complete)?;
        // Before the prefix's rows, not after: they would otherwise grow the array a few
        // times over, each time copied (5 ms of a million-contact import in wasm).
        if let Some(total) = self.expected_bytes.filter(|_| !complete) {
            rows.reading.reserve(expected_contacts(&prefix, total));
        }
        rows.push(&prefix);
        self.rows = Some(rows);
        Ok(())
    }

    /// Rows to be read with the layout that `decided_by`, the input's start, shows.
    fn row_stream(&self, decided_by: &[u8], complete: bool) -> Result<RowStream, SlaError> {
        let layout = Layout::detect(decided_by, complete, &self.options, self.prefix_bytes)?;
        Ok(RowStream {
            transcoder: Transcoder::new(layout.encoding),
            splitter: RecordSplitter::new(layout.dialect.delimiter),
            transcoded: Vec::new(),
            reading: Reading::new(layout, self.max_contacts),
        })
    }
}

/// About how many contacts `total_bytes` of an input hold, from its lines per byte in `sample`
/// (its start), with a margin for longer rows: room reserved at once rather than grown into.
pub(crate) fn expected_contacts(sample: &[u8], total_bytes: u64) -> usize {
    let line_ends = match memchr::memchr_iter(b'\n', sample).count() {
        // Line ends that are CRs alone (classic Mac).
        0 => memchr::memchr_iter(b'\r', sample).count(),
        line_feeds => line_feeds,
    };
    let per_byte = line_ends as f64 / sample.len().max(1) as f64;
    contacts_with_margin(per_byte, total_bytes)
}

/// The contacts `bytes` hold at `per_byte`, with a margin of 5 % for longer rows ahead.
fn contacts_with_margin(per_byte: f64, bytes: u64) -> usize {
    (per_byte * bytes as f64 * 1.05) as usize
}

/// The last part of an input read apart from the rest, in memory the stream reading the rest
/// cannot see — in a page, by a second worker — and handed over as bytes: its contacts in
/// batches as they are read ([`LastPart::take_batch`]), so that neither side holds them twice,
/// then the last ones with the account of its rows ([`LastPart::finish`]). The stream reading
/// the rest takes them with [`ContactStream::take_last_part`].
pub struct LastPart {
    part: PartReading,
    batch_contacts: usize,
    handed: usize,
}

impl LastPart {
    /// Contacts handed over at a time: about a megabyte of bytes.
    const BATCH_CONTACTS: usize = 20_000;

    /// A reader of an input's last part with the layout its start shows: `prefix`, the input's
    /// first `prefix_bytes`, as the stream reading the rest decides it
    /// ([`ContactStream::with_prefix_bytes`]). None when the prefix is shorter (the whole
    /// input: nothing to share) or the input is not UTF-8 (the stream transcodes it, from the
    /// start); an error when nothing in the input is usable, as the stream will say.
    pub fn new(
        options: ImportOptions,
        prefix: &[u8],
        prefix_bytes: usize,
    ) -> Result<Option<LastPart>, SlaError> {
        let mut stream = ContactStream::with_prefix_bytes(options, prefix_bytes);
        let Some(decided_by) = prefix.get(..stream.prefix_bytes) else {
            return Ok(None);
        };
        stream.decide_layout(decided_by)?;
        Ok(stream
            .later_part(Self::BATCH_CONTACTS)
            .map(|part| LastPart {
                part,
                batch_contacts: Self::BATCH_CONTACTS,
                handed: 0,
            }))
    }

    /// A reader that hands contacts over `batch_contacts` at a time: how tests make batches
    /// of a small input.
    pub fn in_batches_of(mut self, batch_contacts: usize) -> LastPart {
        self.batch_contacts = batch_contacts.max(1);
        self
    }

    /// Reads the next chunk of the part (which begins just past a line end).
    pub fn push(&mut self, chunk: &[u8]) {
        self.part.push(chunk);
    }

    /// The contacts read and not yet handed over, as bytes, once a batch of them is waiting.
    pub fn take_batch(&mut self) -> Option<Vec<u8>> {
        let contacts = &mut self.part.reading.contacts;
        if contacts.len() < self.batch_contacts {
            return None;
        }
        let mut bytes = Vec::new();
        handover::write_contacts(contacts, &mut bytes);
        self.handed += contacts.len();
        contacts.clear();
        Some(bytes)
    }

    /// Ends the part: the contacts still waiting and the account of its rows, as bytes, to
    /// hand over after every batch.
    pub fn finish(mut self) -> Vec<u8> {
        let reading = &mut self.part.reading;
        self.part
            .splitter
            .finish(&mut |record| reading.take(record));
        let lines = self.part.splitter.lines_read();
        let mut reading = self.part.reading;
        let contacts = std::mem::take(&mut reading.contacts);
        Account::of(reading, self.handed + contacts.len(), lines).with_contacts_to_bytes(&contacts)
    }
}

/// The rows of a later part of an input, read apart with the layout decided from its start.
pub(crate) struct PartReading {
    splitter: RecordSplitter,
    reading: Reading,
}

impl PartReading {
    /// Reads the next chunk of the part (UTF-8: the stream that made it transcodes nothing).
    pub fn push(&mut self, chunk: &[u8]) {
        let reading = &mut self.reading;
        self.splitter
            .push(chunk, &mut |record| reading.take(record));
    }
}

impl RowStream {
    fn push(&mut self, chunk: &[u8]) {
        let text = if self.transcoder.passes_through() {
            self.transcoder.strip_mark(chunk)
        } else {
            self.transcoded.clear();
            self.transcoder.push(chunk, &mut self.transcoded);
            &self.transcoded
        };
        let reading = &mut self.reading;
        self.splitter.push(text, &mut |record| reading.take(record));
    }

    fn finish(&mut self) {
        self.transcoded.clear();
        self.transcoder.finish(&mut self.transcoded);
        let reading = &mut self.reading;
        self.splitter
            .push(&self.transcoded, &mut |record| reading.take(record));
        self.splitter.finish(&mut |record| reading.take(record));
    }
}

/// How an input is laid out and read: decided once, from its start.
#[derive(Clone)]
struct Layout {
    encoding: Encoding,
    dialect: Dialect,
    names: Vec<String>,
    columns: Vec<ColumnMapping>,
    plan: ReadPlan,
}

impl Layout {
    /// The layout of an input from its first bytes (`complete` when they are all of it), with
    /// the user's `options` over the guesses; an input that is no contact table is refused.
    fn detect(
        prefix: &[u8],
        complete: bool,
        options: &ImportOptions,
        prefix_bytes: usize,
    ) -> Result<Layout, SlaError> {
        if let Some(looks_like) = known_binary_format(prefix) {
            return Err(SlaError::NotCsv { looks_like });
        }
        let (text, encoding) = decode_prefix(prefix, complete);
        if complete && text.trim().is_empty() {
            return Err(SlaError::EmptyInput);
        }
        if text.contains('\0') {
            return Err(SlaError::NotText);
        }
        if let Some(looks_like) = other_format(&text, complete) {
            return Err(SlaError::NotCsv { looks_like });
        }
        let delimiter = sniff_delimiter(&text);
        let (first, sample) = first_rows(text.as_bytes(), delimiter, complete, prefix_bytes)?;
        let has_header = options.has_header.unwrap_or_else(|| {
            let first: Vec<&str> = first.iter().map(String::as_str).collect();
            let second: Option<Vec<&str>> = sample
                .first()
                .map(|row| row.iter().map(String::as_str).collect());
            first_row_is_header(&first, second.as_deref(), looks_like_value, names_a_field)
        });
        let width = first.len();
        if width > MAX_COLUMNS {
            return Err(SlaError::TooManyColumns {
                count: width,
                limit: MAX_COLUMNS,
            });
        }
        let names: Vec<String> = if has_header {
            first.clone()
        } else {
            (1..=width).map(|index| format!("column {index}")).collect()
        };
        let mut sample_rows = sample;
        if !has_header {
            sample_rows.insert(0, first);
        }
        let column_samples: Vec<Vec<String>> = (0..width)
            .map(|column| {
                sample_rows
                    .iter()
                    .filter_map(|row| row.get(column))
                    .filter(|cell| !is_missing(cell))
                    .cloned()
                    .collect()
            })
            .collect();
        let columns = map_columns(&names, &column_samples, fits, &options.mapping)?;
        let plan = ReadPlan::new(&columns, &column_samples, options.date_order, &names)?;
        Ok(Layout {
            encoding,
            dialect: Dialect {
                delimiter,
                has_header,
            },
            names,
            columns,
            plan,
        })
    }
}

/// The first row with a value (the header, or the first contact) and up to [`SAMPLE_ROWS`]
/// rows after it, their cells trimmed. Only rows that end within `text` count, unless it is
/// the whole input (`complete`).
fn first_rows(
    text: &[u8],
    delimiter: u8,
    complete: bool,
    prefix_bytes: usize,
) -> Result<(Vec<String>, Vec<Vec<String>>), SlaError> {
    // Fed in pieces so that a large prefix is cut into rows only as far as the sample needs.
    const PIECE: usize = 64 << 10;
    let mut splitter = RecordSplitter::new(delimiter);
    let mut rows = FirstRows::default();
    for piece in text.chunks(PIECE) {
        if rows.sample.len() >= SAMPLE_ROWS {
            break;
        }
        splitter.push(piece, &mut |record| rows.take(record));
    }
    if complete {
        splitter.finish(&mut |record| rows.take(record));
    }
    match rows.first {
        Some(first) => Ok((first, rows.sample)),
        None if complete => Err(SlaError::EmptyInput),
        None => Err(SlaError::FirstRowTooLong {
            bytes: prefix_bytes,
        }),
    }
}

#[derive(Default)]
struct FirstRows {
    first: Option<Vec<String>>,
    sample: Vec<Vec<String>>,
}

impl FirstRows {
    fn take(&mut self, record: &Record) {
        let cells: Vec<String> = record.iter().map(|cell| cell.trim().to_owned()).collect();
        if self.first.is_some() {
            if self.sample.len() < SAMPLE_ROWS {
                self.sample.push(cells);
            }
        } else if cells.iter().any(|cell| !cell.is_empty()) {
            self.first = Some(cells);
        }
    }
}

/// Why a duration cell skips its row; `unreadable` is the reason for a cell that is no
/// duration at all (a moment column says what else it could have been).
fn duration_problem(error: DurationError, unreadable: SkipReason, column: usize) -> RowProblem {
    let reason = match error {
        DurationError::Unreadable => unreadable,
        DurationError::Negative => SkipReason::NegativeDuration,
        DurationError::TooLong => SkipReason::ImplausibleDuration,
    };
    RowProblem { reason, column }
}

/// The files people drop by mistake, told by their first bytes.
fn known_binary_format(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 5] = [
        (b"PK\x03\x04", "an Excel workbook (.xlsx) or a ZIP archive"),
        (b"\xD0\xCF\x11\xE0", "an Excel workbook (.xls)"),
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "an image (PNG)"),
        (b"\xFF\xD8\xFF", "an image (JPEG)"),
    ];
    SIGNATURES
        .iter()
        .find(|(signature, _)| bytes.starts_with(signature))
        .map(|&(_, looks_like)| looks_like)
}

/// What a text that is not a CSV at all looks like, for the message: a web page or JSON (a
/// report saved from a browser, an API's answer) would otherwise read as one odd column.
fn other_format(text: &str, complete: bool) -> Option<&'static str> {
    let start = text.trim_start();
    let lower: String = start
        .chars()
        .take(15)
        .flat_map(char::to_lowercase)
        .collect();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        Some("a web page (HTML)")
    } else if lower.starts_with("<?xml") {
        Some("an XML document")
    } else if (start.starts_with('{') || start.starts_with('['))
        && match serde_json::from_str::<serde_json::Value>(text) {
            Ok(_) => true,
            // JSON cut short by the end of a prefix is still JSON.
            Err(error) => !complete && error.is_eof(),
        }
    {
        Some("JSON")
    } else {
        None
    }
}

/// The column names for a message: quoted, long ones cut, a long list shortened.
pub fn describe_columns(names: &[String]) -> String {
    const SHOWN: usize = 20;
    const LONGEST: usize = 40;
    let mut shown: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|name| match name.char_indices().nth(LONGEST) {
            Some((cut, _)) => format!("\"{}…\"", &name[..cut]),
            None => format!("\"{name}\""),
        })
        .collect();
    if names.len() > SHOWN {
        shown.push(format!("… and {} more", names.len() - SHOWN));
    }
    shown.join(", ")
}

/// Cells that mean "no value".
// Inlined: every cell read asks, and most are told by their length alone. Left to itself the
// wasm build made it a call per cell (the million-contact file from memory in Chromium: 248 →
// 233 ms).
#[inline(always)]
fn is_missing(cell: &str) -> bool {
    /// The longest marker.
    const LONGEST_MARKER: usize = 4;
    /// Whether a marker starts with each byte, either case.
    const STARTS_A_MARKER: [bool; 256] = {
        let mut starts = [false; 256];
        let mut marker = 0;
        while marker < MISSING_MARKERS.len() {
            let first = MISSING_MARKERS[marker].as_bytes()[0];
            starts[first.to_ascii_lowercase() as usize] = true;
            starts[first.to_ascii_uppercase() as usize] = true;
            marker += 1;
        }
        starts
    };
    let Some(&first) = cell.as_bytes().first() else {
        return true;
    };
    // Longer cells are values, told by their length alone (every cell of a file passes here,
    // and most are longer); few short cells (flags, scores, labels) start as a marker does.
    cell.len() <= LONGEST_MARKER
        && STARTS_A_MARKER[usize::from(first)]
        && MISSING_MARKERS
            .iter()
            .any(|marker| cell.eq_ignore_ascii_case(marker))
}

/// Whether a cell reads as a value rather than a column name (for header detection).
fn looks_like_value(cell: &str) -> bool {
    let cell = cell.trim();
    parse_number(cell).is_some()
        || parse_duration(cell).is_ok()
        || TimeFormat::default().timestamp(cell).is_some()
}

/// Whether most sampled values of a column fit a field's kind; `canonical` when the column is
/// named exactly as DOMAIN §1 names the field.
fn fits(kind: ValueKind, values: &[String], canonical: bool) -> bool {
    if values.is_empty() {
        return true;
    }
    let needed = if canonical {
        CANONICAL_FIT_SHARE
    } else {
        FIT_SHARE
    };
    let (format, _) = TimeFormat::detect(values.iter().map(String::as_str), None);
    let has_time = |cell: &str| {
        cell.contains(':')
            || matches!(format.numeric, Some(n) if n != crate::values::NumericTime::CompactDate)
    };
    let share = |test: &dyn Fn(&str) -> bool| {
        values.iter().filter(|value| test(value)).count() as f64 / values.len() as f64
    };
    match kind {
        ValueKind::Timestamp => {
            share(&|cell| has_time(cell) && format.timestamp(cell).is_some()) >= needed
        }
        ValueKind::Date => {
            share(&|cell| !cell.contains(':') && format.date(cell).is_some()) >= needed
        }
        ValueKind::TimeOfDay => share(&|cell| parse_time_of_day(cell).is_some()) >= needed,
        // A negative or overlong duration is still a duration: its row is skipped for it.
        ValueKind::Duration => {
            share(&|cell| parse_duration(cell) != Err(DurationError::Unreadable)) >= needed
        }
        ValueKind::Moment => {
            share(&|cell| format.timestamp(cell).is_some() || parse_duration(cell).is_ok())
                >= needed
        }
        ValueKind::YesNo => share(&|cell| parse_yes_no(cell).is_some()) >= needed,
        // Any word is an outcome (unknown ones are "other"), but a column merely called
        // "Status" must mostly say answered or abandoned to be taken for one.
        ValueKind::Outcome if canonical => share(&|cell| !looks_like_value(cell)) >= needed,
        ValueKind::Outcome => {
            share(&|cell| {
                matches!(
                    Outcome::from_cell(cell),
                    Some(Outcome::Answered | Outcome::Abandoned)
                )
            }) >= 0.5
        }
        ValueKind::Score => share(&|cell| parse_score(cell).is_some()) >= needed,
        ValueKind::Label => true,
    }
}

/// Where each field comes from, and how its column writes points in time.
#[derive(Clone)]
struct ReadPlan {
    column: [Option<usize>; 20],
    formats: Vec<TimeFormat>,
    date_order: DateOrder,
    date_order_ambiguous: bool,
    notes: Vec<String>,
}

impl ReadPlan {
    fn new(
        columns: &[ColumnMapping],
        samples: &[Vec<String>],
        date_order: Option<DateOrder>,
        names: &[String],
    ) -> Result<ReadPlan, SlaError> {
        let mut column = [None; 20];
        for mapping in columns {
            if let Some(field) = mapping.field {
                column[field as usize] = Some(mapping.index);
            }
        }
        let mut ambiguous = false;
        let mut order = date_order.unwrap_or_default();
        let formats: Vec<TimeFormat> = samples
            .iter()
            .map(|values| {
                let (format, unsure) =
                    TimeFormat::detect(values.iter().map(String::as_str), date_order);
                ambiguous |= unsure;
                if !unsure && values.iter().any(|value| value.contains('/')) {
                    order = format.order;
                }
                format
            })
            .collect();
        let mut notes = unused_column_notes(columns);
        let name = |field: MappedField| {
            column[field as usize].map(|index| format!("\"{}\"", names[index]))
        };
        match (name(MappedField::Arrived), name(MappedField::ArrivedDate), name(MappedField::ArrivedTime)) {
            (Some(_), _, _) => {}
            (None, Some(date), Some(time)) => notes.push(format!("arrival read from {date} + {time}")),
            (None, Some(date), None) => notes.push(format!("arrival read from {date} alone: every contact at midnight, so intervals are meaningless")),
            (None, None, _) => {
                return Err(SlaError::MissingColumn {
                    field: "arrived",
                    found: describe_columns(names),
                })
            }
        }
        if column[MappedField::Wait as usize].is_none() {
            if let Some(answered) = name(MappedField::AnsweredAt) {
                notes.push(format!("wait computed as {answered} − arrival"));
            }
        }
        if column[MappedField::Outcome as usize].is_none() {
            if let Some(flag) = name(MappedField::AnsweredFlag).or(name(MappedField::AbandonedFlag))
            {
                notes.push(format!("outcome read from the flag {flag}"));
            } else if let Some(answered) = name(MappedField::AnsweredAt) {
                notes.push(format!(
                    "outcome: answered when {answered} has a time, abandoned when it is empty"
                ));
            }
        }
        Ok(ReadPlan {
            column,
            formats,
            date_order: order,
            date_order_ambiguous: ambiguous,
            notes,
        })
    }

    fn of(&self, field: MappedField) -> Option<usize> {
        self.column[field as usize]
    }

    fn fields(&self) -> FieldSet {
        let has = |field: MappedField| self.of(field).is_some();
        FieldSet {
            wait: has(MappedField::Wait)
                || has(MappedField::AnsweredAt)
                || has(MappedField::AbandonedAt),
            outcome: has(MappedField::Outcome)
                || has(MappedField::AnsweredFlag)
                || has(MappedField::AbandonedFlag)
                || has(MappedField::AnsweredAt),
            handle: has(MappedField::Handle)
                || has(MappedField::Talk)
                || has(MappedField::Hold)
                || has(MappedField::Wrap),
            first_response: has(MappedField::FirstResponse),
            resolved: has(MappedField::Resolved),
            fcr: has(MappedField::Fcr),
            csat: has(MappedField::Csat),
            scope: [
                has(MappedField::Channel),
                has(MappedField::Priority),
                has(MappedField::Queue),
            ],
        }
    }
}

/// A row that failed, with the column that made it fail.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RowProblem {
    pub reason: SkipReason,
    pub column: usize,
}

/// Kinds of guess counted per column.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Coercion {
    DecimalComma,
    ScoreFromText,
    MissingMarker,
    NotUtf8,
    Grouped,
}

impl Coercion {
    fn describe(self) -> &'static str {
        match self {
            Coercion::DecimalComma => "decimal comma read as a point (1,5 → 1.5)",
            Coercion::ScoreFromText => "score read from text (4/5 → 4, good → 5, bad → 1)",
            Coercion::MissingMarker => "marker of no value (?, -, N/A, null) read as empty",
            Coercion::Grouped => "digits grouped by thousands (1,234.5 or 1 234,5 → 1234.5)",
            Coercion::NotUtf8 => "not UTF-8 unlike the start of the file: read as Latin-1",
        }
    }
}

/// The rows being read: contacts, skips and coercions so far.
struct Reading {
    /// Past this many contacts the input is refused; one more is kept to tell.
    max_contacts: usize,
    /// The header is still to come (and to be passed over).
    header_ahead: bool,
    other_outcomes: OtherOutcomes,
    plan: ReadPlan,
    encoding: Encoding,
    dialect: Dialect,
    columns: Vec<ColumnMapping>,
    names: Vec<String>,
    contacts: Vec<Contact>,
    labels: [Labels; 3],
    skips: SkipTally,
    coerced: Vec<(usize, Coercion, u32)>,
    rows_read: u32,
}

impl Reading {
    fn new(layout: Layout, max_contacts: usize) -> Reading {
        Reading {
            max_contacts,
            header_ahead: layout.dialect.has_header,
            other_outcomes: OtherOutcomes::default(),
            plan: layout.plan,
            encoding: layout.encoding,
            dialect: layout.dialect,
            columns: layout.columns,
            skips: SkipTally::new(layout.names.clone()),
            names: layout.names,
            contacts: Vec::new(),
            labels: Default::default(),
            coerced: Vec::new(),
            rows_read: 0,
        }
    }

    /// Reserves room for `contacts` more (never past the limit + 1).
    fn reserve(&mut self, contacts: usize) {
        let room = (self.max_contacts + 1).saturating_sub(self.contacts.len());
        self.contacts.reserve_exact(contacts.min(room));
    }

    /// Maps the reserved room of the next `contacts` (at most the room there is): see
    /// [`ContactStream::map_room_for`]. A page is mapped by a write to any of its bytes; the
    /// slots written hold no contact until one is kept there.
    fn map_room(&mut self, contacts: usize) {
        const PAGE_BYTES: usize = 4096;
        let per_page = (PAGE_BYTES / std::mem::size_of::<Contact>()).max(1);
        let spare = self.contacts.spare_capacity_mut();
        let room = contacts.min(spare.len());
        for slot in spare[..room].iter_mut().step_by(per_page) {
            *slot = std::mem::MaybeUninit::zeroed();
        }
    }

    /// A reading of a later part of the same input: the same layout, the header behind.
    fn sibling(&self) -> Reading {
        let layout = Layout {
            encoding: self.encoding,
            dialect: self.dialect,
            names: self.names.clone(),
            columns: self.columns.clone(),
            plan: self.plan.clone(),
        };
        let mut sibling = Reading::new(layout, self.max_contacts);
        sibling.header_ahead = false;
        sibling
    }

    /// Adds the reading of the part that follows, whose line numbers start after
    /// `lines_before`: the same account as if this reading had gone on through it.
    fn absorb(&mut self, part: Reading, lines_before: u64) {
        let label_ids: [Vec<_>; 3] = std::array::from_fn(|field| {
            let labels = &mut self.labels[field];
            part.labels[field]
                .names()
                .iter()
                .map(|name| labels.intern(name))
                .collect()
        });
        self.contacts
            .extend(part.contacts.into_iter().map(|mut contact| {
                for (label, ids) in contact.scope.iter_mut().zip(&label_ids) {
                    if let Some(label) = label {
                        *label = ids[label.position()];
                    }
                }
                contact
            }));
        self.absorb_account(
            RowsAccount {
                skips: part.skips,
                coerced: part.coerced,
                other_outcomes: part.other_outcomes,
                rows_read: part.rows_read,
            },
            lines_before,
        );
    }

    /// Adds the account of a later part's rows, whose lines start after `lines_before`.
    fn absorb_account(&mut self, part: RowsAccount, lines_before: u64) {
        self.skips.absorb(part.skips, lines_before);
        for (column, coercion, count) in part.coerced {
            self.coerce_cells(column, coercion, count);
        }
        self.other_outcomes.absorb(part.other_outcomes);
        self.rows_read += part.rows_read;
    }

    /// Reads one record: passed over when all its cells are blank or it is the header still
    /// ahead, else a contact or a counted skip.
    fn take(&mut self, record: &Record) {
        if record.iter().all(|cell| trim_cell(cell).is_empty()) {
            return;
        }
        if std::mem::take(&mut self.header_ahead) {
            return;
        }
        self.rows_read += 1;
        if record.len() != self.names.len() {
            let wrong_cell_count = RowProblem {
                reason: SkipReason::WrongCellCount,
                column: 0,
            };
            self.skip(wrong_cell_count, record);
            return;
        }
        for &column in &record.not_utf8 {
            self.coerce(column, Coercion::NotUtf8);
        }
        match self.contact(record) {
            Ok(contact) => self.keep(contact),
            Err(problem) => self.skip(problem, record),
        }
    }

    /// Keeps a contact, growing the array by half rather than doubling it, and never past
    /// the limit + 1 (one over: the stream then refuses the input).
    // Inlined where contacts are kept, the growth out of line: in wasm the call per contact was
    // a sixth of taking over a last part's 450,000 (with the handover's reading inlined too:
    // 20 → 15 ms, on the critical path of a two-worker import).
    #[inline(always)]
    fn keep(&mut self, contact: Contact) {
        let kept = self.contacts.len();
        if kept > self.max_contacts {
            return;
        }
        if kept == self.contacts.capacity() {
            self.grow_contacts();
        }
        self.contacts.push(contact);
    }

    /// Room for half as many contacts again (at least 1,024), never past the limit.
    #[inline(never)]
    fn grow_contacts(&mut self) {
        let kept = self.contacts.len();
        let growth = (kept / 2).max(1024).min(self.max_contacts + 1 - kept);
        self.contacts.reserve_exact(growth);
    }

    /// Counts a skipped row, and keeps it as written while fewer than the limit are kept.
    fn skip(&mut self, problem: RowProblem, record: &Record) {
        self.skips.skip(problem, record.line, record.iter());
    }

    // Out of line: rare (a marker of no value, a decimal comma), and kept out of every inlined
    // reading of a cell.
    #[inline(never)]
    fn coerce(&mut self, column: usize, coercion: Coercion) {
        self.coerce_cells(column, coercion, 1);
    }

    fn coerce_cells(&mut self, column: usize, coercion: Coercion, cells: u32) {
        match self
            .coerced
            .iter_mut()
            .find(|(seen, kind, _)| *seen == column && *kind == coercion)
        {
            Some((_, _, count)) => *count += cells,
            None => self.coerced.push((column, coercion, cells)),
        }
    }

    /// A present, non-empty cell of the field's column; a marker of no value is empty.
    // Inlined so that a field the file has no column for costs a comparison where it is asked
    // for, not a call: a row asks for every field, and a file has about half of them (in wasm
    // the calls were a tenth of an import).
    #[inline(always)]
    fn cell<'r>(&mut self, record: &'r Record, field: MappedField) -> Option<(&'r str, usize)> {
        let column = self.plan.of(field)?;
        self.cell_at(record, column)
    }

    // Inlined as `cell` is: out of line, the call and its result passed back through memory
    // were a sixth of a wasm import (the million-contact file from memory in Chromium: 233 →
    // 208 ms, with `coerce` kept out; 2 KB gzipped more wasm).
    #[inline(always)]
    fn cell_at<'r>(&mut self, record: &'r Record, column: usize) -> Option<(&'r str, usize)> {
        let value = trim_cell(record.get(column).unwrap_or(""));
        if value.is_empty() {
            return None;
        }
        if is_missing(value) {
            self.coerce(column, Coercion::MissingMarker);
            return None;
        }
        Some((value, column))
    }

    fn duration(&mut self, (value, column): (&str, usize)) -> Result<f64, RowProblem> {
        match parse_duration(value) {
            Ok((seconds, writing)) => {
                match writing {
                    NumberWriting::Plain => {}
                    NumberWriting::DecimalComma => self.coerce(column, Coercion::DecimalComma),
                    NumberWriting::Grouped => self.coerce(column, Coercion::Grouped),
                }
                Ok(seconds)
            }
            Err(error) => Err(duration_problem(
                error,
                SkipReason::UnreadableDuration,
                column,
            )),
        }
    }

    fn timestamp(&self, (value, column): (&str, usize)) -> Result<Timestamp, RowProblem> {
        self.plan.formats[column]
            .timestamp(value)
            .ok_or(RowProblem {
                reason: SkipReason::UnreadableTimestamp,
                column,
            })
    }

    fn arrival(&mut self, record: &Record) -> Result<Timestamp, RowProblem> {
        if let Some(column) = self.plan.of(MappedField::Arrived) {
            let cell = self.cell(record, MappedField::Arrived).ok_or(RowProblem {
                reason: SkipReason::MissingValue,
                column,
            })?;
            return self.timestamp(cell);
        }
        let date_column = self.plan.of(MappedField::ArrivedDate).unwrap_or(0);
        let (date, _) = self
            .cell(record, MappedField::ArrivedDate)
            .ok_or(RowProblem {
                reason: SkipReason::MissingValue,
                column: date_column,
            })?;
        let date = self.plan.formats[date_column]
            .date(date)
            .ok_or(RowProblem {
                reason: SkipReason::UnreadableTimestamp,
                column: date_column,
            })?;
        let time = match self.cell(record, MappedField::ArrivedTime) {
            Some((time, column)) => parse_time_of_day(time).ok_or(RowProblem {
                reason: SkipReason::UnreadableTimestamp,
                column,
            })?,
            None => chrono::NaiveTime::MIN,
        };
        Ok(Timestamp::WallClock(date.and_time(time)))
    }

    fn contact(&mut self, record: &Record) -> Result<Contact, RowProblem> {
        let arrived = self.arrival(record)?;
        let mut contact = Contact::arriving(arrived);
        let mut wait_secs = self
            .cell(record, MappedField::Wait)
            .map(|cell| self.duration(cell))
            .transpose()?;
        let answered_at = self
            .cell(record, MappedField::AnsweredAt)
            .map(|cell| self.timestamp(cell))
            .transpose()?;
        let abandoned_at = self
            .cell(record, MappedField::AbandonedAt)
            .map(|cell| self.timestamp(cell))
            .transpose()?;
        contact.outcome = self.outcome(record, answered_at.is_some(), abandoned_at.is_some())?;
        if wait_secs.is_none() {
            let left_queue = answered_at.or(abandoned_at);
            wait_secs = left_queue.and_then(|at| seconds_between(arrived, at));
            if left_queue.is_some() && wait_secs.is_none() {
                let column = self
                    .plan
                    .of(MappedField::AnsweredAt)
                    .or(self.plan.of(MappedField::AbandonedAt))
                    .unwrap_or(0);
                return Err(RowProblem {
                    reason: SkipReason::NegativeDuration,
                    column,
                });
            }
        }
        contact.wait_secs = wait_secs.into();
        let handle_secs = match self.cell(record, MappedField::Handle) {
            Some(handle) => Some(self.duration(handle)?),
            None => {
                let mut total = None;
                for part in [MappedField::Talk, MappedField::Hold, MappedField::Wrap] {
                    if let Some(cell) = self.cell(record, part) {
                        // An empty part counts as zero when another has a value: exports
                        // leave "no hold" empty.
                        *total.get_or_insert(0.0) += self.duration(cell)?;
                    }
                }
                total
            }
        };
        contact.handle_secs = handle_secs.into();
        let first_response = self
            .cell(record, MappedField::FirstResponse)
            .map(|cell| self.moment(cell))
            .transpose()?;
        let resolved = self
            .cell(record, MappedField::Resolved)
            .map(|cell| self.moment(cell))
            .transpose()?;
        contact.milestones = Milestones::boxed(first_response, resolved);
        contact.fcr = self
            .cell(record, MappedField::Fcr)
            .map(|(value, column)| {
                parse_yes_no(value).ok_or(RowProblem {
                    reason: SkipReason::UnreadableYesNo,
                    column,
                })
            })
            .transpose()?;
        if let Some((value, column)) = self.cell(record, MappedField::Csat) {
            match parse_score(value) {
                None => {
                    return Err(RowProblem {
                        reason: SkipReason::UnreadableNumber,
                        column,
                    })
                }
                Some(None) => {}
                Some(Some((score, from_text))) => {
                    if from_text {
                        self.coerce(column, Coercion::ScoreFromText);
                    }
                    contact.csat = Some(score).into();
                }
            }
        }
        for (scope, field) in [
            (ScopeField::Channel, MappedField::Channel),
            (ScopeField::Priority, MappedField::Priority),
            (ScopeField::Queue, MappedField::Queue),
        ] {
            contact.scope[scope.index()] = self
                .cell(record, field)
                .map(|(value, _)| self.labels[scope.index()].intern(value));
        }
        Ok(contact)
    }

    /// The outcome: an outcome column, else an answered or abandoned flag, else whether the
    /// answer (or hang-up) time is filled in.
    fn outcome(
        &mut self,
        record: &Record,
        answered_at: bool,
        abandoned_at: bool,
    ) -> Result<Option<Outcome>, RowProblem> {
        if self.plan.of(MappedField::Outcome).is_some() {
            let Some((value, _)) = self.cell(record, MappedField::Outcome) else {
                return Ok(None);
            };
            let outcome = Outcome::from_cell(value);
            if outcome == Some(Outcome::Other) {
                self.other_outcomes.add(value);
            }
            return Ok(outcome);
        }
        for (flag, when_yes, when_no) in [
            (
                MappedField::AnsweredFlag,
                Outcome::Answered,
                Outcome::Abandoned,
            ),
            (
                MappedField::AbandonedFlag,
                Outcome::Abandoned,
                Outcome::Answered,
            ),
        ] {
            if self.plan.of(flag).is_some() {
                return self
                    .cell(record, flag)
                    .map(|(value, column)| match parse_yes_no(value) {
                        Some(true) => Ok(when_yes),
                        Some(false) => Ok(when_no),
                        None => Err(RowProblem {
                            reason: SkipReason::UnreadableYesNo,
                            column,
                        }),
                    })
                    .transpose();
            }
        }
        if self.plan.of(MappedField::AnsweredAt).is_some() {
            return Ok(Some(if answered_at {
                Outcome::Answered
            } else {
                Outcome::Abandoned
            }));
        }
        Ok(abandoned_at.then_some(Outcome::Abandoned))
    }

    fn moment(&mut self, (value, column): (&str, usize)) -> Result<Moment, RowProblem> {
        if let Some(timestamp) = self.plan.formats[column].timestamp(value) {
            if value.contains(':') || self.plan.formats[column].numeric.is_some() {
                return Ok(Moment::At(timestamp));
            }
        }
        match parse_duration(value) {
            Ok((seconds, _)) => Ok(Moment::SecondsAfterArrival(seconds)),
            Err(error) => Err(duration_problem(
                error,
                SkipReason::UnreadableMoment,
                column,
            )),
        }
    }

    /// Refuses the input once it holds more contacts than the limit.
    fn within_limit(&self) -> Result<(), SlaError> {
        if self.contacts.len() > self.max_contacts {
            return Err(SlaError::TooManyContacts {
                limit: self.max_contacts,
            });
        }
        Ok(())
    }

    fn finish(self) -> Result<Dataset, SlaError> {
        self.within_limit()?;
        let plan = &self.plan;
        let mut notes = plan.notes.clone();
        if let Some(column) = plan.of(MappedField::Outcome) {
            notes.extend(self.other_outcomes.note(&self.names[column]));
        }
        if self.rows_read == 0 {
            return Err(SlaError::NoDataRows);
        }
        let (skipped, skipped_rows) = self.skips.finish();
        let rows_skipped = skipped.iter().map(|group| group.count).sum();
        let coerced = self
            .coerced
            .iter()
            .map(|&(column, coercion, count)| CoercedCells {
                column: self.names[column].clone(),
                count,
                what: coercion.describe().to_owned(),
            })
            .collect();
        Ok(Dataset {
            fields: plan.fields(),
            quality: ImportQuality {
                shape: InputShape::Contacts,
                rows_read: self.rows_read,
                rows_used: self.rows_read - rows_skipped,
                rows_skipped,
                skipped,
                encoding: self.encoding,
                dialect: self.dialect,
                columns: self.columns,
                date_order: plan.date_order,
                date_order_ambiguous: plan.date_order_ambiguous,
                coerced,
                notes,
            },
            contacts: self.contacts,
            labels: self.labels,
            skipped_rows,
            column_names: self.names,
        })
    }
}

/// What a part's reading tells of its rows besides its contacts.
struct RowsAccount {
    skips: SkipTally,
    coerced: Vec<(usize, Coercion, u32)>,
    other_outcomes: OtherOutcomes,
    rows_read: u32,
}

/// Outcome cells that are neither answered nor abandoned (`transferred`, `voicemail`, a typo):
/// such contacts are reported as other, never offered (DOMAIN §1), and the import says how many
/// and which values, so a word the reader does not know is seen, not silently set aside.
#[derive(Default)]
struct OtherOutcomes {
    rows: u32,
    /// The first distinct values, as written.
    values: Vec<String>,
}

impl OtherOutcomes {
    const VALUES_SHOWN: usize = 5;

    fn add(&mut self, value: &str) {
        self.rows += 1;
        if self.values.len() < Self::VALUES_SHOWN && !self.values.iter().any(|seen| seen == value) {
            self.values.push(value.to_owned());
        }
    }

    /// Adds the other outcomes of a later part of the input.
    fn absorb(&mut self, part: OtherOutcomes) {
        self.rows += part.rows;
        for value in part.values {
            if self.values.len() < Self::VALUES_SHOWN && !self.values.contains(&value) {
                self.values.push(value);
            }
        }
    }

    fn note(&self, column: &str) -> Option<String> {
        if self.rows == 0 {
            return None;
        }
        let values: Vec<String> = self
            .values
            .iter()
            .map(|value| format!("\"{value}\""))
            .collect();
        let more = if self.values.len() == Self::VALUES_SHOWN {
            ", …"
        } else {
            ""
        };
        Some(format!(
            "column \"{column}\": {} neither answered nor abandoned ({}{more}): counted as other, not offered",
            crate::text::count_of(self.rows, "contact is", "contacts are"),
            values.join(", ")
        ))
    }
}

/// Seconds from `from` to `to`; `None` when `to` comes first. Wall-clock times are compared as
/// written (both are in the agreement's zone).
fn seconds_between(from: Timestamp, to: Timestamp) -> Option<f64> {
    let naive = |timestamp: Timestamp| match timestamp {
        Timestamp::Exact(instant) => instant.naive_utc(),
        Timestamp::WallClock(local) => local,
    };
    let seconds = (naive(to) - naive(from)).num_milliseconds() as f64 / 1000.0;
    (seconds >= 0.0).then_some(seconds)
}

/// Skipped rows grouped by reason and column, keeping the first line numbers of each, in the
/// order each group was first met, and the first [`SKIPPED_ROWS_KEPT`] rows as written. Groups
/// hold the column's index; its name is looked up once per group at the end, so a file of a
/// million bad rows allocates nothing per row past the kept ones.
pub(crate) struct SkipTally {
    column_names: Vec<String>,
    groups: Vec<(RowProblem, u32, Vec<u64>)>,
    rows: Vec<SkippedRow>,
}

impl SkipTally {
    pub fn new(column_names: Vec<String>) -> SkipTally {
        SkipTally {
            column_names,
            groups: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Counts a skipped row, and keeps it as written while fewer than the limit are kept.
    pub fn skip<'c>(
        &mut self,
        problem: RowProblem,
        line: u64,
        cells: impl Iterator<Item = &'c str>,
    ) {
        self.add(problem, line);
        if self.rows.len() < SKIPPED_ROWS_KEPT {
            self.rows.push(SkippedRow {
                line,
                reason: problem.reason,
                column: match problem.reason {
                    SkipReason::WrongCellCount => String::new(),
                    _ => self.column_names[problem.column].clone(),
                },
                cells: cells.map(str::to_owned).collect(),
            });
        }
    }

    /// Adds the skips of a later part of the input, whose lines start after `lines_before`.
    fn absorb(&mut self, part: SkipTally, lines_before: u64) {
        for (problem, count, first_lines) in part.groups {
            let (_, total, kept_lines) = self.group(problem);
            *total += count;
            let room = FIRST_LINES_KEPT - kept_lines.len();
            kept_lines.extend(
                first_lines
                    .iter()
                    .take(room)
                    .map(|line| lines_before + line),
            );
        }
        for mut row in part.rows {
            if self.rows.len() == SKIPPED_ROWS_KEPT {
                break;
            }
            row.line += lines_before;
            self.rows.push(row);
        }
    }

    fn add(&mut self, problem: RowProblem, line: u64) {
        let (_, count, first_lines) = self.group(problem);
        *count += 1;
        if first_lines.len() < FIRST_LINES_KEPT {
            first_lines.push(line);
        }
    }

    /// The group of rows skipped for `problem`, begun when it is the first.
    fn group(&mut self, problem: RowProblem) -> &mut (RowProblem, u32, Vec<u64>) {
        match self.groups.iter().position(|(seen, _, _)| *seen == problem) {
            Some(index) => &mut self.groups[index],
            None => {
                self.groups.push((problem, 0, Vec::new()));
                self.groups.last_mut().expect("a group was just pushed")
            }
        }
    }

    /// The groups, and the rows kept as written.
    pub fn finish(self) -> (Vec<SkippedRows>, Vec<SkippedRow>) {
        let column_names = self.column_names;
        let groups = self
            .groups
            .into_iter()
            .map(|(problem, count, first_lines)| {
                let column = match problem.reason {
                    SkipReason::WrongCellCount => String::new(),
                    _ => column_names[problem.column].clone(),
                };
                let mut group = SkippedRows {
                    reason: problem.reason,
                    column,
                    count,
                    first_lines,
                    message: String::new(),
                };
                group.message = describe_group(&group);
                group
            })
            .collect();
        (groups, self.rows)
    }
}

fn describe_group(group: &SkippedRows) -> String {
    let lines = group
        .first_lines
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let more = if group.count as usize > group.first_lines.len() {
        ", …"
    } else {
        ""
    };
    let rows = if group.count == 1 { "row" } else { "rows" };
    let place = if group.column.is_empty() {
        String::new()
    } else {
        format!("column \"{}\": ", group.column)
    };
    format!(
        "{} {rows} skipped: {place}{} (line {lines}{more})",
        group.count,
        group.reason.describe()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_expected_from_the_sample_lines_per_byte_whatever_ends_them() {
        // Four lines of 10 bytes: 100 bytes hold about 10 contacts, 5 % more reserved.
        for line_end in ["\n", "\r\n", "\r"] {
            let line = format!("{:width$}{line_end}", "x", width = 10 - line_end.len());
            let sample = line.repeat(4);
            assert_eq!(
                expected_contacts(sample.as_bytes(), 100),
                10,
                "{line_end:?}"
            );
        }
        assert_eq!(expected_contacts(b"", 100), 0);
    }
}
