//! What must hold for any input at all: the checks the fuzz targets (`fuzz/fuzz_targets/`) run on
//! random inputs, and `tests/fuzz_corpus.rs` runs again on the corpus they kept, so a case the
//! fuzzer once found stays a regression test.
// Each fuzz target includes this module for one of its checks.
#![allow(dead_code)]

use std::sync::OnceLock;

use slacalc::input::{read_contacts, ContactStream, Dataset, ImportOptions};
use slacalc::parallel_import::{read_in_parts, Sharing};
use slacalc::values::{
    parse_duration, parse_number, parse_score, parse_time_of_day, parse_timestamp, parse_yes_no,
    TimeFormat,
};
use slacalc::{build_report, read_contacts_csv, RawTerms};

/// Any bytes as a dropped file: read or refused, never a panic; every row read is used or
/// skipped; what was read computes a report whose service level is a share.
pub fn check_import(bytes: &[u8]) {
    let Ok(dataset) = read_contacts(bytes, &ImportOptions::default()) else {
        return;
    };
    let quality = &dataset.quality;
    assert_eq!(quality.rows_read, quality.rows_used + quality.rows_skipped);
    assert_eq!(dataset.contacts.len(), quality.rows_used as usize);
    let terms = RawTerms::opening()
        .validate()
        .expect("the opening terms are valid");
    let report = build_report(&dataset, &terms);
    for result in &report.targets[0].results {
        if let Some(actual) = result.actual {
            assert!((0.0..=100.0).contains(&actual), "service level {actual}");
        }
    }
}

/// Any bytes read as a stream: the first two bytes choose how much of the rest decides the
/// layout and how it is cut into chunks; the result must be the same as from one push.
pub fn check_streamed(bytes: &[u8]) {
    let [prefix_choice, stride_choice, input @ ..] = bytes else {
        return;
    };
    let prefix_bytes = 16 + usize::from(*prefix_choice) * 8;
    let stride = 1 + usize::from(*stride_choice);
    let read = |chunks: &mut dyn Iterator<Item = &[u8]>| {
        let mut stream = ContactStream::with_prefix_bytes(ImportOptions::default(), prefix_bytes);
        for chunk in chunks {
            stream.push(chunk)?;
        }
        stream.finish()
    };
    let whole = read(&mut std::iter::once(input));
    let chunked = read(&mut input.chunks(stride));
    assert_eq!(
        whole, chunked,
        "cut every {stride} bytes, layout from {prefix_bytes}"
    );
    let sharing = Sharing {
        threads: 2 + stride % 4,
        prefix_bytes,
        smallest_part: stride,
    };
    let in_parts = read_in_parts(input, &ImportOptions::default(), sharing, &mut |_, _| {});
    assert_eq!(whole, in_parts, "read in parts: {sharing:?}");
}

/// Any text as one cell: each value reader gives a value or a refusal, and a duration or score
/// it gives is a number a metric can use.
pub fn check_cell(cell: &str) {
    if let Ok((seconds, _)) = parse_duration(cell) {
        assert!(seconds.is_finite() && seconds >= 0.0, "duration {seconds}");
    }
    if let Some(Some((score, _))) = parse_score(cell) {
        assert!(score.is_finite(), "score {score}");
    }
    let _ = parse_number(cell);
    let _ = parse_yes_no(cell);
    let _ = parse_time_of_day(cell);
    let _ = parse_timestamp(cell);
    let format = TimeFormat::default();
    let _ = format.timestamp(cell);
    let _ = format.date(cell);
}

/// A small dataset with every field, so any metric the terms name has data.
fn dataset() -> &'static Dataset {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    DATASET.get_or_init(|| {
        read_contacts_csv(concat!(
            "arrived,channel,priority,wait,outcome,handle,fcr,csat,first_response,resolved\n",
            "2026-03-01 09:00,voice,high,12,answered,300,yes,5,2026-03-01 09:30,2026-03-02 10:00\n",
            "2026-03-01 23:59,chat,normal,40,abandoned,,,,,\n",
            "2026-03-31 12:00,voice,normal,3,answered,200,no,2,2026-03-31 15:00,\n",
            "2026-04-01 00:00,email,low,0,answered,50,yes,4,2026-04-03 09:00,2026-04-09 09:00\n",
        ))
        .expect("the dataset of the terms check is valid")
    })
}

/// Any text as terms: read or refused with a message, never a panic; valid terms compute a
/// report whose credits never exceed the cap.
pub fn check_terms(json: &str) {
    let Ok(terms) = RawTerms::from_json(json).and_then(|raw| raw.validate()) else {
        return;
    };
    let report = build_report(dataset(), &terms);
    if let Some(credits) = &report.credits {
        for period in &credits.periods {
            if let Some(cap) = &period.cap {
                assert!(
                    period.credits <= *cap,
                    "credits above the cap in {}",
                    period.period
                );
            }
        }
    }
}
