//! The foundation slice end to end in the native core: CSV text → contacts → monthly figures →
//! the 80/20 verdict, on a file computed by hand (`tests/data/foundation/three-months.csv`).

mod common;

use slacalc::compliance::Status;
use slacalc::input::SkipReason;
use slacalc::{build_report, read_contacts_csv, RawTerms, Report, SlaError};

const THREE_MONTHS: &str = include_str!("data/foundation/three-months.csv");
const THREE_MONTHS_GOLDEN: &str = "tests/data/foundation/three-months.report.json";

fn default_report(csv: &str) -> Report {
    let dataset = read_contacts_csv(csv).expect("the fixture is usable");
    build_report(&dataset, &RawTerms::opening().validate().unwrap())
}

#[test]
fn monthly_service_level_matches_the_hand_computation() {
    // January: answered waits 0, 20 (at the threshold: within), 21, 5; one abandon at 30 s;
    //   one transfer (other, not offered). SL = 3 / 5 = 60 %, ASA = 46 / 4 = 11.5 s.
    // February: waits 10, 20, 20 → 100 %. The 23:30 at −01:00 on the 28th is 00:30 UTC on
    //   1 March, so it belongs to March.
    // March: answered 20.5 (late) and 19.9; abandoned 3 and 25 → 1 / 4 = 25 %.
    let report = default_report(THREE_MONTHS);
    let months: Vec<_> = report.periods.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(months, ["2026-01", "2026-02", "2026-03"]);

    let january = &report.periods[0];
    assert_eq!(
        (
            january.offered,
            january.answered,
            january.abandoned,
            january.other
        ),
        (Some(5), Some(4), Some(1), Some(1))
    );
    assert_eq!(january.asa_secs, Some(11.5));
    assert_eq!(january.abandonment_rate, Some(20.0));

    let march = &report.periods[2];
    assert_eq!(
        (march.offered, march.answered, march.abandoned),
        (Some(4), Some(2), Some(2))
    );
    assert!((march.asa_secs.unwrap() - 20.2).abs() < 1e-12);

    let service_level = &report.targets[0];
    assert_eq!(service_level.label, "Service level ≥ 80 % in 20 s");
    let actual: Vec<_> = service_level.results.iter().map(|r| r.actual).collect();
    assert_eq!(actual, [Some(60.0), Some(100.0), Some(25.0)]);
    let verdicts: Vec<_> = service_level
        .results
        .iter()
        .map(|r| (r.judgement.status, r.judgement.margin))
        .collect();
    assert_eq!(
        verdicts,
        [
            (Status::Missed, Some(-20.0)),
            (Status::Met, Some(20.0)),
            (Status::Missed, Some(-55.0)),
        ]
    );
}

#[test]
fn bad_rows_are_skipped_counted_and_located() {
    let report = default_report(THREE_MONTHS);
    let quality = &report.quality;
    assert_eq!(
        (quality.rows_read, quality.rows_used, quality.rows_skipped),
        (15, 13, 2)
    );
    let reasons = common::skipped_by_reason(quality);
    assert_eq!(
        reasons,
        [
            (SkipReason::NegativeDuration, "Wait", vec![14]),
            (SkipReason::UnreadableTimestamp, "Arrived", vec![15]),
        ]
    );
    assert_eq!(
        quality.skipped[0].message,
        "1 row skipped: column \"Wait\": negative or infinite duration (line 14)"
    );
}

#[test]
fn empty_and_header_only_inputs_are_clear_errors() {
    assert_eq!(read_contacts_csv("").unwrap_err(), SlaError::EmptyInput);
    assert_eq!(
        read_contacts_csv(" \n\r\n").unwrap_err(),
        SlaError::EmptyInput
    );
    assert_eq!(
        read_contacts_csv("\u{feff}arrived,wait,outcome\r\n").unwrap_err(),
        SlaError::NoDataRows
    );
}

#[test]
fn a_missing_arrival_column_is_named_with_what_was_found() {
    let error = read_contacts_csv("agent,outcome\nann,answered\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "No column for \"arrived\" (e.g. \"arrived\", \"Created at\", or \"Date\" and \"Time\") in the header (line 1). Found: \"agent\", \"outcome\"."
    );
}

#[test]
fn a_row_with_the_wrong_number_of_cells_is_skipped_not_fatal() {
    let csv = "arrived,wait,outcome\n2026-01-01 10:00,5,answered\n2026-01-01 10:01,5\n";
    let dataset = read_contacts_csv(csv).unwrap();
    assert_eq!(dataset.contacts.len(), 1);
    assert_eq!(
        dataset.quality.skipped[0].reason,
        SkipReason::WrongCellCount
    );
    assert_eq!(dataset.quality.skipped[0].first_lines, [3]);
}

/// The native report of the fixture, kept as JSON: the wasm build must produce the very same
/// document (`tests/node/native-agreement.test.mjs`).
#[test]
fn the_report_equals_the_golden_document_the_wasm_build_is_checked_against() {
    common::assert_golden(&default_report(THREE_MONTHS), THREE_MONTHS_GOLDEN);
}
