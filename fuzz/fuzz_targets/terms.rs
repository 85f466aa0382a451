//! Any text as terms JSON (see `check_terms`).
#![no_main]

#[path = "../../tests/common/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|json: &str| invariants::check_terms(json));
