//! Any text as one cell (see `check_cell`).
#![no_main]

#[path = "../../tests/common/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|cell: &str| invariants::check_cell(cell));
