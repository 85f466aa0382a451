//! Reading contacts from CSV text: every row ends up used or skipped with a reason
//! (`shared/DOMAIN.md` §8), and only a request with nothing usable at all is an error.

use serde::Serialize;

use crate::error::SlaError;
use crate::model::{Contact, Labels, Moment, Outcome, ScopeField};
use crate::values::{parse_number, parse_seconds, parse_timestamp, parse_yes_no, DurationError};

/// How many line numbers each skip reason keeps, so a user can find the first bad rows without
/// the report growing with the file.
pub const FIRST_LINES_KEPT: usize = 5;

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
}

/// Rows read, used and skipped; `rows_read == rows_used + Σ skipped.count` always holds.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportQuality {
    pub rows_read: u32,
    pub rows_used: u32,
    pub rows_skipped: u32,
    /// One entry per (reason, column), in the order of the reason's first occurrence.
    pub skipped: Vec<SkippedRows>,
}

/// Why a row could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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
    /// A first-response or resolution cell that is neither a timestamp nor seconds.
    UnreadableMoment,
    UnreadableYesNo,
    UnreadableNumber,
}

impl SkipReason {
    fn describe(self) -> &'static str {
        match self {
            SkipReason::MissingValue => "empty value",
            SkipReason::WrongCellCount => "number of cells differs from the header",
            SkipReason::UnreadableTimestamp => {
                "unreadable timestamp (expected e.g. 2026-03-01 14:05:00 or 2026-03-01T14:05:00Z)"
            }
            SkipReason::UnreadableDuration => "unreadable duration (expected seconds, e.g. 12.5)",
            SkipReason::NegativeDuration => "negative or infinite duration",
            SkipReason::UnreadableMoment => {
                "unreadable time (expected a timestamp or seconds after arrival)"
            }
            SkipReason::UnreadableYesNo => {
                "unreadable yes/no (expected yes, no, true, false, 1 or 0)"
            }
            SkipReason::UnreadableNumber => "unreadable number (expected e.g. 4 or 4.5)",
        }
    }
}

/// All rows skipped for one reason in one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// The columns of DOMAIN §1, located in the header; only `arrived` is required.
struct ColumnIndex {
    arrived: usize,
    wait: Option<usize>,
    outcome: Option<usize>,
    handle: Option<usize>,
    talk_hold_wrap: [Option<usize>; 3],
    first_response: Option<usize>,
    resolved: Option<usize>,
    fcr: Option<usize>,
    csat: Option<usize>,
    scope: [Option<usize>; 3],
}

impl ColumnIndex {
    fn locate(header: &csv::StringRecord) -> Result<ColumnIndex, SlaError> {
        // `First Response`, `first-response` and `first_response` name the same field.
        let normalized: Vec<String> = header
            .iter()
            .map(|name| name.trim().to_lowercase().replace([' ', '-'], "_"))
            .collect();
        let find = |field: &str| normalized.iter().position(|name| name == field);
        let arrived = find("arrived").ok_or_else(|| SlaError::MissingColumn {
            field: "arrived",
            found: header
                .iter()
                .map(|name| format!("\"{}\"", name.trim()))
                .collect::<Vec<_>>()
                .join(", "),
        })?;
        Ok(ColumnIndex {
            arrived,
            wait: find("wait"),
            outcome: find("outcome"),
            handle: find("handle"),
            talk_hold_wrap: [find("talk"), find("hold"), find("wrap")],
            first_response: find("first_response"),
            resolved: find("resolved"),
            fcr: find("fcr"),
            csat: find("csat"),
            scope: ScopeField::ALL.map(|scope| find(scope.name())),
        })
    }

    fn fields(&self) -> FieldSet {
        FieldSet {
            wait: self.wait.is_some(),
            outcome: self.outcome.is_some(),
            handle: self.handle.is_some() || self.talk_hold_wrap.iter().any(Option::is_some),
            first_response: self.first_response.is_some(),
            resolved: self.resolved.is_some(),
            fcr: self.fcr.is_some(),
            csat: self.csat.is_some(),
            scope: self.scope.map(|column| column.is_some()),
        }
    }
}

/// A row that failed, with the column that made it fail.
#[derive(Clone, Copy, PartialEq, Eq)]
struct RowProblem {
    reason: SkipReason,
    column: usize,
}

/// Reads comma-separated contacts with a header row naming at least `arrived`, and any of the
/// other fields of DOMAIN §1 (`wait`, `outcome`, `handle` or `talk`/`hold`/`wrap`,
/// `first_response`, `resolved`, `fcr`, `csat`, `channel`, `priority`, `queue`), in any case and
/// order; other columns are ignored. An empty cell is a missing value for that contact; a cell
/// that cannot be read skips its row, with the reason counted.
pub fn read_contacts_csv(text: &str) -> Result<Dataset, SlaError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(SlaError::EmptyInput);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|error| SlaError::UnreadableHeader {
            reason: error.to_string(),
        })?
        .clone();
    let columns = ColumnIndex::locate(&header)?;

    let mut contacts = Vec::new();
    let mut labels: [Labels; 3] = Default::default();
    let mut skips = SkipTally::new(&header);
    let mut rows_read = 0u32;
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) if record.iter().all(|cell| cell.trim().is_empty()) => continue,
            Ok(true) => {
                rows_read += 1;
                let line = record.position().map_or(line, csv::Position::line);
                match read_contact(&record, header.len(), &columns, &mut labels) {
                    Ok(contact) => contacts.push(contact),
                    Err(problem) => skips.add(problem, line),
                }
            }
            Err(error) => {
                rows_read += 1;
                let line = error.position().map_or(line, csv::Position::line);
                skips.add(
                    RowProblem {
                        reason: SkipReason::WrongCellCount,
                        column: 0,
                    },
                    line,
                );
            }
        }
    }
    if rows_read == 0 {
        return Err(SlaError::NoDataRows);
    }
    let skipped = skips.into_groups();
    let rows_skipped = skipped.iter().map(|group| group.count).sum();
    Ok(Dataset {
        quality: ImportQuality {
            rows_read,
            rows_used: rows_read - rows_skipped,
            rows_skipped,
            skipped,
        },
        contacts,
        fields: columns.fields(),
        labels,
    })
}

fn read_contact(
    record: &csv::StringRecord,
    header_len: usize,
    columns: &ColumnIndex,
    labels: &mut [Labels; 3],
) -> Result<Contact, RowProblem> {
    if record.len() != header_len {
        return Err(RowProblem {
            reason: SkipReason::WrongCellCount,
            column: 0,
        });
    }
    // A present, non-empty cell of an optional column.
    let cell = |column: Option<usize>| {
        column.and_then(|column| {
            let value = record.get(column).unwrap_or("").trim();
            (!value.is_empty()).then_some((value, column))
        })
    };
    let problem = |reason, column| RowProblem { reason, column };
    let seconds = |(value, column): (&str, usize)| {
        parse_seconds(value).map_err(|error| {
            let reason = match error {
                DurationError::Unreadable => SkipReason::UnreadableDuration,
                DurationError::Negative => SkipReason::NegativeDuration,
            };
            problem(reason, column)
        })
    };
    let moment = |(value, column): (&str, usize)| match parse_timestamp(value) {
        Some(timestamp) => Ok(Moment::At(timestamp)),
        None => match parse_seconds(value) {
            Ok(seconds) => Ok(Moment::SecondsAfterArrival(seconds)),
            Err(DurationError::Negative) => Err(problem(SkipReason::NegativeDuration, column)),
            Err(DurationError::Unreadable) => Err(problem(SkipReason::UnreadableMoment, column)),
        },
    };

    let (arrived, arrived_column) =
        cell(Some(columns.arrived)).ok_or(problem(SkipReason::MissingValue, columns.arrived))?;
    let arrived =
        parse_timestamp(arrived).ok_or(problem(SkipReason::UnreadableTimestamp, arrived_column))?;
    let mut contact = Contact::arriving(arrived);
    contact.wait_secs = cell(columns.wait).map(seconds).transpose()?;
    contact.outcome = cell(columns.outcome).and_then(|(value, _)| Outcome::from_cell(value));
    contact.handle_secs = match cell(columns.handle) {
        Some(handle) => Some(seconds(handle)?),
        None => handle_from_parts(&columns.talk_hold_wrap.map(cell), seconds)?,
    };
    contact.first_response = cell(columns.first_response).map(moment).transpose()?;
    contact.resolved = cell(columns.resolved).map(moment).transpose()?;
    contact.fcr = cell(columns.fcr)
        .map(|(value, column)| {
            parse_yes_no(value).ok_or(problem(SkipReason::UnreadableYesNo, column))
        })
        .transpose()?;
    contact.csat = cell(columns.csat)
        .map(|(value, column)| {
            parse_number(value).ok_or(problem(SkipReason::UnreadableNumber, column))
        })
        .transpose()?;
    for scope in ScopeField::ALL {
        contact.scope[scope.index()] = cell(columns.scope[scope.index()])
            .map(|(value, _)| labels[scope.index()].intern(value));
    }
    Ok(contact)
}

/// `handle = talk + hold + wrap` (DOMAIN §1). An empty part counts as zero when another part
/// has a value — exports leave "no hold" empty — and no part at all is no handle time.
fn handle_from_parts<'a>(
    parts: &[Option<(&'a str, usize)>; 3],
    seconds: impl Fn((&'a str, usize)) -> Result<f64, RowProblem>,
) -> Result<Option<f64>, RowProblem> {
    let mut total = None;
    for part in parts.iter().flatten() {
        *total.get_or_insert(0.0) += seconds(*part)?;
    }
    Ok(total)
}

/// Skipped rows grouped by reason and column, keeping the first line numbers of each, in the
/// order each group was first met. Groups hold the column's index; its name is looked up once
/// per group at the end, so a file of a million bad rows allocates nothing per row.
struct SkipTally {
    column_names: Vec<String>,
    groups: Vec<(RowProblem, u32, Vec<u64>)>,
}

impl SkipTally {
    fn new(header: &csv::StringRecord) -> SkipTally {
        SkipTally {
            column_names: header.iter().map(|name| name.trim().to_owned()).collect(),
            groups: Vec::new(),
        }
    }

    fn add(&mut self, problem: RowProblem, line: u64) {
        let position = self.groups.iter().position(|(seen, _, _)| *seen == problem);
        let (_, count, first_lines) = match position {
            Some(index) => &mut self.groups[index],
            None => {
                self.groups.push((problem, 0, Vec::new()));
                self.groups.last_mut().expect("a group was just pushed")
            }
        };
        *count += 1;
        if first_lines.len() < FIRST_LINES_KEPT {
            first_lines.push(line);
        }
    }

    fn into_groups(self) -> Vec<SkippedRows> {
        let column_names = self.column_names;
        self.groups
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
            .collect()
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
