//! The fuzzers' corpus (`fuzz/corpus/`, minimised with `cargo fuzz cmin`), replayed natively on
//! every test run: each input the fuzzers kept — and any crash they found, added to it — must
//! still pass the same checks.

mod common;

use common::invariants::{check_cell, check_import, check_streamed, check_terms};

fn each_input(target: &str, check: impl Fn(&[u8])) -> usize {
    let mut inputs = 0;
    for entry in std::fs::read_dir(format!("fuzz/corpus/{target}")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes)));
        assert!(outcome.is_ok(), "{} fails its check", path.display());
        inputs += 1;
    }
    inputs
}

#[test]
fn the_import_corpus_passes() {
    assert!(each_input("import", check_import) > 100);
}

/// The import corpus, streamed in chunks, and the stream fuzzer's own finds.
#[test]
fn the_import_corpus_streamed_in_chunks_gives_the_same_datasets() {
    assert!(each_input("import", check_streamed) > 100);
    each_input("stream", check_streamed);
}

/// The text targets read their input as UTF-8 and skip what is not, as libFuzzer's `&str` does.
fn each_text_input(target: &str, check: fn(&str)) -> usize {
    each_input(target, |bytes| {
        if let Ok(text) = std::str::from_utf8(bytes) {
            check(text);
        }
    })
}

#[test]
fn the_terms_corpus_passes() {
    assert!(each_text_input("terms", check_terms) > 100);
}

#[test]
fn the_values_corpus_passes() {
    assert!(each_text_input("values", check_cell) > 10);
}
