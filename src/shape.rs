//! Which shape an input has (DOMAIN §9) — contacts or an interval report — told from its header
//! (or chosen by the user), and the input read in that shape. The page, the command line and
//! Node all read through here, so each shape reaches the same engine the same way.

use crate::dialect::sniff_delimiter;
use crate::encoding::decode_prefix;
use crate::error::SlaError;
use crate::input::{
    read_contacts_with_progress, skipped_rows_csv, ContactStream, Dataset, ImportOptions,
    ImportQuality, InputShape, LastPart, PREFIX_BYTES,
};
use crate::interval_input::{counts_contacts, looks_like_interval_report, read_interval_report};
use crate::intervals::{IntervalReport, Reduction};
use crate::kpi::{build_kpi_report, KpiHistory};
use crate::kpi_input::{looks_like_kpi_history, read_kpi_history};
use crate::peaks::{average_load_profile, CapacityOptions, ProfileMemo, WeeklyProfile};
use crate::pushdown::{push_down_sql, PushDown};
use crate::records::RecordSplitter;
use crate::reduced::ContactCounter;
use crate::report::{build_report, Earlier, Placement, Remade, Report};
use crate::source::{Countable, Source};
use crate::suggest::{suggest, suggest_from, History, TargetSuggestions};
use crate::target::Target;
use crate::terms::Terms;
use crate::text::file_size;

/// Bytes read before the shape is decided: enough for any header.
const SHAPE_PREFIX_BYTES: usize = 64 << 10;
/// A summary is read whole; past this it is no summary a person exports.
const LARGEST_SUMMARY_BYTES: usize = 256 << 20;

/// Past this size the page counts a file's contacts as it reads them instead of holding them:
/// held, a contact costs the tab about four times its row's bytes (the contact, the row being
/// read, the array's room to grow), and the tab must stay within 1 GB however big the file.
pub const LARGEST_HELD_BYTES: u64 = 200_000_000;

/// A file whose contacts were counted as they were read ([`InputStream::within_memory`]):
/// its counts serve the terms they were counted for, and others they carry.
#[derive(Debug, Clone, PartialEq)]
pub struct CountedFile {
    pub bytes: u64,
    pub reduction: Reduction,
}

impl CountedFile {
    /// Whether the counts serve `terms` (`false`: the file must be read again, counted for
    /// them); an error when no counting can, naming what needs each contact.
    pub fn serves(&self, terms: &Terms) -> Result<bool, SlaError> {
        Ok(self.reduction.carries(&counted_reading(self.bytes, terms)?))
    }

    /// What the page says of the data: counted, not held, and what that means for edits.
    pub fn note(&self) -> String {
        format!(
            "Counted as read: this file ({}) is past the {} the page holds contact by contact, so its contacts were counted into 15-minute intervals as they were read{}. A terms edit that needs other counts (a new threshold, scope, time zone or percentile goal) reads the file again.",
            file_size(self.bytes),
            file_size(LARGEST_HELD_BYTES),
            if self.reduction.histogram.is_some() {
                ", their answered waits to the second for the percentiles"
            } else {
                ""
            }
        )
    }
}

/// The reduction a file of `bytes` is counted with for `terms`, or why it cannot be.
fn counted_reading(bytes: u64, terms: &Terms) -> Result<Reduction, SlaError> {
    Reduction::to_the_second_for(terms).map_err(|why| SlaError::TooBigToHold {
        bytes,
        limit: LARGEST_HELD_BYTES,
        why,
    })
}

/// An input read in its shape.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Contacts(Dataset),
    Intervals(IntervalReport),
    Kpis(KpiHistory),
}

/// Runs `$body` with `$source` bound to the input's countable dataset, or `$kpis` for a KPI
/// history (values, not counts): the one place that names the shapes.
macro_rules! by_shape {
    ($input:expr, $source:ident => $body:expr, $history:ident => $kpis:expr) => {
        match $input {
            Input::Contacts($source) => $body,
            Input::Intervals($source) => $body,
            Input::Kpis($history) => $kpis,
        }
    };
}

/// Any shape is a history the engine reports on and suggests from.
impl History for Input {
    fn report(&self, terms: &Terms) -> Report {
        Input::report(self, terms)
    }

    fn report_after(
        &self,
        terms: &Terms,
        earlier: Option<Earlier>,
        placement: &mut Placement,
    ) -> Remade {
        by_shape!(self,
            source => source.report_after(terms, earlier, placement),
            history => history.report_after(terms, earlier, placement))
    }

    fn has_weeks(&self) -> bool {
        by_shape!(self, source => source.has_weeks(), history => history.has_weeks())
    }

    fn measures_apart_from_goal(&self, target: &Target) -> bool {
        by_shape!(self,
            source => source.measures_apart_from_goal(target),
            history => history.measures_apart_from_goal(target))
    }
}

impl Input {
    pub fn quality(&self) -> &ImportQuality {
        by_shape!(self, source => source.quality(), history => &history.quality)
    }

    /// The contacts the input stands for: rows of contacts, the counts of its intervals, or
    /// the volumes of a KPI history (0 without a volume column).
    pub fn contact_count(&self) -> u64 {
        by_shape!(self,
            source => source.units().iter().map(|unit| u64::from(unit.contacts())).sum(),
            history => history.total_volume())
    }

    pub fn report(&self, terms: &Terms) -> Report {
        by_shape!(self, source => build_report(source, terms), history => build_kpi_report(history, terms))
    }

    pub fn suggest(&self, terms: &Terms) -> Vec<TargetSuggestions> {
        by_shape!(self, source => suggest(source, terms), history => suggest(history, terms))
    }

    /// [`Input::suggest`] from the input's `report` under `terms`, made already, with the
    /// input's places in time kept in `placement`.
    pub fn suggest_from(
        &self,
        terms: &Terms,
        report: Report,
        placement: &mut Placement,
    ) -> Vec<TargetSuggestions> {
        by_shape!(self,
            source => suggest_from(source, terms, report, placement),
            history => suggest_from(history, terms, report, placement))
    }

    pub fn weekly_profile(&self, terms: &Terms, options: &CapacityOptions) -> WeeklyProfile {
        self.weekly_profile_kept(
            &mut ProfileMemo::default(),
            terms,
            options,
            &mut Placement::default(),
        )
    }

    /// [`Input::weekly_profile`], from the hour counts `memo` kept of this input when the zone
    /// and threshold are the last ones, and the arrivals its reports placed in `placement`.
    pub fn weekly_profile_kept(
        &self,
        memo: &mut ProfileMemo,
        terms: &Terms,
        options: &CapacityOptions,
        placement: &mut Placement,
    ) -> WeeklyProfile {
        by_shape!(self,
            source => memo.profile(source, terms, options, placement),
            history => average_load_profile(terms, options, history.busiest_load(terms)))
    }

    /// The warehouse SQL for the full table this input is an extract of (DOMAIN §9).
    pub fn push_down_sql(&self, request: &PushDown, terms: &Terms) -> Result<String, SlaError> {
        push_down_sql(request, Some(self.quality()), terms)
    }

    /// The skipped rows as CSV, to fix and import again.
    pub fn skipped_rows_csv(&self) -> String {
        match self {
            Input::Contacts(dataset) => dataset.skipped_rows_csv(),
            Input::Intervals(report) => {
                skipped_rows_csv(&report.skipped_rows, &report.column_names)
            }
            Input::Kpis(history) => skipped_rows_csv(&history.skipped_rows, &history.column_names),
        }
    }
}

/// The shape the columns of an input's start show: an interval report's header (an interval
/// start and counts, no per-contact column), or contacts.
pub fn detect_shape(prefix: &[u8], complete: bool) -> InputShape {
    /// Rows looked at after the header.
    const SAMPLE_ROWS: usize = 50;
    let (text, _) = decode_prefix(prefix, complete);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut first_with_text = |record: &crate::records::Record| {
        if rows.len() <= SAMPLE_ROWS && record.iter().any(|cell| !cell.trim().is_empty()) {
            rows.push(record.iter().map(|cell| cell.trim().to_owned()).collect());
        }
    };
    let mut splitter = RecordSplitter::new(sniff_delimiter(&text));
    splitter.push(
        text.trim_start_matches('\u{feff}').as_bytes(),
        &mut first_with_text,
    );
    if complete {
        splitter.finish(&mut first_with_text);
    }
    let Some((header, rows)) = rows.split_first() else {
        return InputShape::Contacts;
    };
    // A daily interval report and a daily KPI history both have a date and a service level:
    // counts of contacts make it the interval report.
    if looks_like_kpi_history(header, rows) && !counts_contacts(header) {
        InputShape::Kpis
    } else if looks_like_interval_report(header, rows) {
        InputShape::Intervals
    } else {
        InputShape::Contacts
    }
}

/// Reads a whole input in its shape (`options.shape`, or the one its columns show).
pub fn read_input(
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Input, SlaError> {
    let prefix = &bytes[..bytes.len().min(SHAPE_PREFIX_BYTES)];
    let shape = options
        .shape
        .unwrap_or_else(|| detect_shape(prefix, prefix.len() == bytes.len()));
    read_shaped(shape, bytes, options, progress)
}

/// A reader of the last part of an input whose start is `prefix` (its first
/// [`PREFIX_BYTES`], or all of it) for an [`InputStream`] reading the rest: none when the input
/// is no contact table, or not one to share ([`LastPart::new`]).
pub fn last_part_reader(
    options: &ImportOptions,
    prefix: &[u8],
) -> Result<Option<LastPart>, SlaError> {
    let shape_prefix = &prefix[..prefix.len().min(SHAPE_PREFIX_BYTES)];
    let shape = options
        .shape
        .unwrap_or_else(|| detect_shape(shape_prefix, false));
    if shape != InputShape::Contacts {
        return Ok(None);
    }
    LastPart::new(options.clone(), prefix, PREFIX_BYTES)
}

fn read_shaped(
    shape: InputShape,
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Input, SlaError> {
    match shape {
        InputShape::Contacts => {
            read_contacts_with_progress(bytes, options, progress).map(Input::Contacts)
        }
        InputShape::Intervals => read_interval_report(bytes, options).map(Input::Intervals),
        InputShape::Kpis => read_kpi_history(bytes, options).map(Input::Kpis),
    }
}

/// An input read chunk by chunk: contacts stream through [`ContactStream`]; a summary, short by
/// nature, is held and read whole at the end. The shape is decided on the first 64 KB.
pub struct InputStream {
    options: ImportOptions,
    total_bytes: Option<u64>,
    state: StreamState,
    bytes_read: u64,
    /// Contacts are counted into these interval rows as they are read, not held.
    counting: Option<Reduction>,
}

enum StreamState {
    /// The shape is not known yet: the bytes so far.
    Undecided(Vec<u8>),
    /// Boxed: the stream is a kilobyte of state, the other states a buffer. With a counter,
    /// each chunk's contacts are counted and let go.
    Contacts(Box<ContactStream>, Option<Box<ContactCounter>>),
    /// A summary (interval report), held whole.
    Summary(InputShape, Vec<u8>),
}

impl InputStream {
    /// `total_bytes`, when known, lets a contact stream reserve room at once.
    pub fn new(options: ImportOptions, total_bytes: Option<u64>) -> InputStream {
        InputStream {
            options,
            total_bytes,
            state: StreamState::Undecided(Vec::new()),
            bytes_read: 0,
            counting: None,
        }
    }

    /// The page's reading of a file of `total_bytes`: its contacts held when it is at most
    /// [`LARGEST_HELD_BYTES`], else counted as read for the terms `terms()` gives (asked only
    /// then: [`Reduction::to_the_second_for`]), or refused, saying what needs each contact.
    pub fn within_memory(
        options: ImportOptions,
        total_bytes: u64,
        terms: impl FnOnce() -> Result<Terms, SlaError>,
    ) -> Result<(InputStream, Option<CountedFile>), SlaError> {
        let stream = InputStream::new(options, Some(total_bytes));
        if total_bytes <= LARGEST_HELD_BYTES {
            return Ok((stream, None));
        }
        let reduction = counted_reading(total_bytes, &terms()?)?;
        let counted = CountedFile {
            bytes: total_bytes,
            reduction: reduction.clone(),
        };
        Ok((stream.counting(reduction), Some(counted)))
    }

    /// Counts contacts into `reduction`'s interval rows as they are read instead of holding
    /// them: memory stays bounded however long the input. `reduction` must carry every figure
    /// of the terms reported on ([`Reduction::exactly_for`]); the input then serves those
    /// terms only — other terms need the contacts read again. The input comes out as interval
    /// rows that report as the contacts would (their account, columns and waits kept). A
    /// summary is read as usual.
    pub fn counting(mut self, reduction: Reduction) -> InputStream {
        self.counting = Some(reduction);
        self
    }

    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// About where a second reader (a page's second worker) should begin the input's last
    /// part ([`last_part_reader`]), read while this stream reads up to it: the part then
    /// begins past the next line end. None when the input is not worth sharing: its size
    /// unknown, within twice the prefix that decides its layout (a few tens of milliseconds of
    /// reading), counted rather than held, or a summary by the user's choice.
    pub fn last_part_from(&self) -> Option<u64> {
        // The second reader decides the layout itself and starts its stream later, and its
        // contacts are taken over once it is done: its share is the smaller. Timed in Chromium
        // (the benchmark's million contacts, the wait for the second worker and the take-over
        // in the page): at 55 % the first waited 0–47 ms for it, at 63 % once in 14 imports,
        // the second being done first; 61 % is between.
        const FIRST_PART_SHARE: f64 = 0.61;
        let total = self.total_bytes?;
        let shareable = total >= 2 * PREFIX_BYTES as u64
            && self.counting.is_none()
            && self
                .options
                .shape
                .is_none_or(|shape| shape == InputShape::Contacts);
        shareable.then_some((total as f64 * FIRST_PART_SHARE) as u64)
    }

    /// Takes over the input's last part from the [`LastPart`] that read it, its contacts
    /// handed over in `batches` and `last`: see [`ContactStream::take_last_part`]. False when
    /// it cannot be (a summary, counted contacts, or as there): the part's text is then pushed.
    pub fn take_last_part(&mut self, batches: impl Iterator<Item = Vec<u8>>, last: &[u8]) -> bool {
        match &mut self.state {
            StreamState::Contacts(stream, None) => stream.take_last_part(batches, last),
            _ => false,
        }
    }

    /// Reads the next chunk; an error says the input cannot be used at all.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), SlaError> {
        self.bytes_read += chunk.len() as u64;
        match &mut self.state {
            StreamState::Undecided(held) => {
                held.extend_from_slice(chunk);
                if held.len() >= SHAPE_PREFIX_BYTES {
                    self.decide(false)?;
                }
                Ok(())
            }
            StreamState::Contacts(stream, counter) => {
                stream.push(chunk)?;
                if let Some(counter) = counter {
                    stream.drain_contacts(&mut |contact| counter.add(contact));
                }
                Ok(())
            }
            StreamState::Summary(_, held) => {
                if held.len() + chunk.len() > LARGEST_SUMMARY_BYTES {
                    return Err(SlaError::SummaryTooLarge {
                        limit: LARGEST_SUMMARY_BYTES,
                    });
                }
                held.extend_from_slice(chunk);
                Ok(())
            }
        }
    }

    /// Ends the input: what was read, in its shape.
    pub fn finish(mut self) -> Result<Input, SlaError> {
        self.decide(true)?;
        match self.state {
            StreamState::Contacts(stream, None) => stream.finish().map(Input::Contacts),
            StreamState::Contacts(stream, Some(mut counter)) => {
                let read = stream.finish()?;
                read.contacts
                    .iter()
                    .for_each(|contact| counter.add(contact));
                Ok(Input::Intervals(counter.finish(read)))
            }
            StreamState::Summary(shape, held) => {
                read_shaped(shape, &held, &self.options, &mut |_, _| {})
            }
            // `decide` leaves no stream undecided; were it to, the bytes are all here.
            StreamState::Undecided(held) => read_input(&held, &self.options, &mut |_, _| {}),
        }
    }

    fn decide(&mut self, complete: bool) -> Result<(), SlaError> {
        let StreamState::Undecided(held) = &mut self.state else {
            return Ok(());
        };
        let held = std::mem::take(held);
        // The first bytes only, as a whole input is told ([`read_input`]) and a page's second
        // worker tells it ([`last_part_reader`]), however large the chunks held.
        let shape_prefix = &held[..held.len().min(SHAPE_PREFIX_BYTES)];
        let shape = self.options.shape.unwrap_or_else(|| {
            detect_shape(shape_prefix, complete && shape_prefix.len() == held.len())
        });
        self.state = match shape {
            InputShape::Contacts => {
                let mut stream = ContactStream::new(self.options.clone());
                let counter = self
                    .counting
                    .take()
                    .map(|reduction| Box::new(ContactCounter::new(reduction)));
                // Room for every contact is reserved only when they are to be held.
                if let Some(total) = self.total_bytes.filter(|_| counter.is_none()) {
                    stream = stream.expecting(total);
                }
                stream.push(&held)?;
                StreamState::Contacts(Box::new(stream), counter)
            }
            summary => StreamState::Summary(summary, held),
        };
        Ok(())
    }
}
