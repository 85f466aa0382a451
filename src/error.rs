//! Errors that make a whole request unusable. A single bad row is not one of them: it is
//! skipped and reported in [`crate::input::ImportQuality`], and the rest still computes.

use thiserror::Error;

/// Why the data or the terms cannot be used at all. The text is written for the person at the
/// page or the command line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SlaError {
    #[error("The data is empty: paste or drop a CSV with a header row and one row per contact.")]
    EmptyInput,

    #[error("Only a header row was found (line 1): there are no contacts to compute from.")]
    NoDataRows,

    #[error(
        "This is not text: the file holds binary data (a spreadsheet file? save it as CSV first)."
    )]
    NotText,

    #[error("This looks like {looks_like}, not a CSV file: save or export the contacts as CSV (one row per contact, with a header row) and open that.")]
    NotCsv { looks_like: &'static str },

    #[error("The first row has {count} columns, more than the {limit} a contact export has: is the separator right?")]
    TooManyColumns { count: usize, limit: usize },

    #[error("No column for \"{field}\" (e.g. \"arrived\", \"Created at\", or \"Date\" and \"Time\") in the header (line 1). Found: {found}.")]
    MissingColumn { field: &'static str, found: String },

    #[error("No row ends in the first {}: this is not one contact per line (a quote left open at the start?).", crate::text::byte_size(*bytes))]
    FirstRowTooLong { bytes: usize },

    #[error("More than {} contacts: more than this calculator holds at once. Split the file (by month, say) or reduce it to interval counts first.", crate::text::count(*limit as u64))]
    TooManyContacts { limit: usize },

    #[error("This file is {} — past the {} the page holds contact by contact, so its contacts are counted into 15-minute intervals as they are read; but {why}. Remove that target (or the exclusions and forecast), or run the command line (`slacalc report`), which holds every contact.", crate::text::file_size(*bytes), crate::text::file_size(*limit))]
    TooBigToHold { bytes: u64, limit: u64, why: String },

    #[error("Push-down SQL: {message}.")]
    PushDown { message: String },

    #[error("A summary (an interval report or a KPI history) of more than {}: that is no summary; export one row per contact, or interval counts by queue.", crate::text::byte_size(*limit))]
    SummaryTooLarge { limit: usize },

    #[error("Terms: {field}: {message}")]
    InvalidTerms { field: String, message: String },

    #[error("No column \"{choice}\" to map: the columns are {found}.")]
    UnknownColumn { choice: String, found: String },

    #[error("Import option {option}: {message}")]
    InvalidOption {
        option: &'static str,
        message: String,
    },

    #[error("Forecast, line {line}: {message}")]
    InvalidForecast { line: u64, message: String },
}
