//! Any bytes as a file streamed in chunks (see `check_streamed`).
#![no_main]

#[path = "../../tests/common/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| invariants::check_streamed(bytes));
