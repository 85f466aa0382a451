//! Any bytes as a pasted or dropped file (see `check_import`).
#![no_main]

#[path = "../../tests/common/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| invariants::check_import(bytes));
