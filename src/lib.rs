//! slacalc: call-center SLA arithmetic — compliance per period, from contact data.
//!
//! The core is plain Rust with no knowledge of WebAssembly: read contacts
//! ([`input::read_contacts_csv`]), validate terms ([`terms::RawTerms::validate`]), build the
//! report ([`report::build_report`]). Every formula follows `shared/DOMAIN.md`; the section is
//! cited where it is implemented. The wasm API lives in `wasm.rs`, compiled only for wasm32.

pub mod availability;
pub mod calendar;
pub mod catalog;
pub mod compliance;
pub mod cores;
pub mod credit_terms;
pub mod credits;
pub mod dialect;
pub mod encoding;
pub mod erlang;
pub mod error;
pub mod exclusions;
pub mod forecast;
pub mod header_words;
pub mod input;
pub mod interval_input;
pub mod intervals;
pub mod kpi;
pub mod kpi_input;
pub mod mapping;
pub mod measure;
pub mod metrics;
pub mod model;
pub mod money;
pub mod parallel_import;
pub mod peaks;
pub mod period;
pub mod pushdown;
pub mod records;
pub mod reduced;
pub mod rejudge;
pub mod report;
pub mod report_export;
pub mod runs;
#[cfg(feature = "schema")]
pub mod schema;
pub mod shape;
pub mod source;
pub mod suggest;
pub mod table;
pub mod target;
pub mod terms;
pub mod text;
pub mod timespan;
pub mod values;
pub mod waits;
pub mod zone;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::SlaError;
pub use input::{read_contacts_csv, Dataset};
pub use report::{build_report, Report};
pub use terms::{RawTerms, Terms};
