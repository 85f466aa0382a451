//! Reading contacts from CSV text: every row ends up used or skipped with a reason
//! (`shared/DOMAIN.md` §8), and only a request with nothing usable at all is an error.

use serde::Serialize;

use crate::error::SlaError;
use crate::model::{Contact, Outcome};
use crate::values::{parse_seconds, parse_timestamp, DurationError, Timestamp};

/// How many line numbers each skip reason keeps, so a user can find the first bad rows without
/// the report growing with the file.
pub const FIRST_LINES_KEPT: usize = 5;

/// Contacts read from one input, with the account of every row.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub contacts: Vec<Contact>,
    pub quality: ImportQuality,
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
    /// The row has no value in a column the engine needs.
    MissingValue,
    /// The row has fewer or more cells than the header, so its values cannot be placed.
    WrongCellCount,
    UnreadableTimestamp,
    UnreadableDuration,
    /// Negative or non-finite durations are errors for the row (DOMAIN §1).
    NegativeDuration,
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

/// The columns the engine reads, located in the header.
struct ColumnIndex {
    arrived: usize,
    wait: usize,
    outcome: usize,
}

impl ColumnIndex {
    fn locate(header: &csv::StringRecord) -> Result<ColumnIndex, SlaError> {
        let find = |field: &'static str| {
            header
                .iter()
                .position(|name| name.trim().eq_ignore_ascii_case(field))
                .ok_or_else(|| SlaError::MissingColumn {
                    field,
                    found: header
                        .iter()
                        .map(|name| format!("\"{}\"", name.trim()))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
        };
        Ok(ColumnIndex {
            arrived: find("arrived")?,
            wait: find("wait")?,
            outcome: find("outcome")?,
        })
    }
}

/// A row that failed, with the column that made it fail.
#[derive(Clone, Copy, PartialEq, Eq)]
struct RowProblem {
    reason: SkipReason,
    column: usize,
}

/// Reads comma-separated contacts with a header row naming at least `arrived`, `wait` and
/// `outcome` (any case, any order; other columns are ignored).
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
                match read_contact(&record, &header, &columns) {
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
    })
}

fn read_contact(
    record: &csv::StringRecord,
    header: &csv::StringRecord,
    columns: &ColumnIndex,
) -> Result<Contact, RowProblem> {
    if record.len() != header.len() {
        return Err(RowProblem {
            reason: SkipReason::WrongCellCount,
            column: 0,
        });
    }
    let cell = |column: usize| {
        let value = record.get(column).unwrap_or("").trim();
        if value.is_empty() {
            Err(RowProblem {
                reason: SkipReason::MissingValue,
                column,
            })
        } else {
            Ok(value)
        }
    };
    // Wall-clock times are read as UTC, the agreement's default zone (DOMAIN §2), until the
    // terms carry a time zone (issue 4).
    let arrived = match parse_timestamp(cell(columns.arrived)?) {
        Some(Timestamp::Exact(instant)) => instant,
        Some(Timestamp::WallClock(local)) => local.and_utc(),
        None => {
            return Err(RowProblem {
                reason: SkipReason::UnreadableTimestamp,
                column: columns.arrived,
            })
        }
    };
    let wait_secs = parse_seconds(cell(columns.wait)?).map_err(|error| RowProblem {
        reason: match error {
            DurationError::Unreadable => SkipReason::UnreadableDuration,
            DurationError::Negative => SkipReason::NegativeDuration,
        },
        column: columns.wait,
    })?;
    let outcome = Outcome::from_cell(cell(columns.outcome)?).ok_or(RowProblem {
        reason: SkipReason::MissingValue,
        column: columns.outcome,
    })?;
    Ok(Contact {
        arrived,
        wait_secs,
        outcome,
    })
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
