//! The real public files of `../shared/data/` (beside the project; see its README), imported as
//! a user would: the call-center log with no manual mapping, the bank's call log with the one
//! mapping the README documents. The tests are ignored by a plain `cargo test` (a clone
//! elsewhere has no such folder); `scripts/test.sh` runs them with `--ignored` when the folder
//! is there, and says loudly when it is not. Expected figures were counted independently
//! from the raw files.

mod common;

use common::{assert_mapping, field_of, CALL_CENTER_MAPPING};
use slacalc::mapping::MappedField;
use slacalc::model::Outcome;
use slacalc::{build_report, input::read_contacts, input::ImportOptions, RawTerms};

const SHARED_DATA: &str = "../shared/data";

fn read(file: &str) -> Vec<u8> {
    let path = format!("{SHARED_DATA}/{file}");
    std::fs::read(&path).unwrap_or_else(|error| {
        panic!("{path}: {error} — this layer needs ../shared/data beside the project")
    })
}

#[test]
#[ignore = "needs ../shared/data: run by the shared-data layer of scripts/test.sh"]
fn the_call_center_quarter_imports_with_no_manual_mapping() {
    let dataset =
        read_contacts(&read("call-center-2021q1.csv"), &ImportOptions::default()).unwrap();
    let quality = &dataset.quality;
    assert_eq!((quality.rows_read, quality.rows_used), (5000, 5000));
    assert_mapping(&dataset, &CALL_CENTER_MAPPING);
    let answered = dataset
        .contacts
        .iter()
        .filter(|c| c.outcome == Some(Outcome::Answered))
        .count();
    assert_eq!(answered, 4054);

    // January 2021: 1,455 answered, 138 of them within 20 s, 317 abandoned (their wait is
    // empty in the file: offered, never within T) → 138 / 1,772 = 7.8 %. ASA over Q1: 67.5 s.
    let terms = RawTerms::from_json(
        r#"{"targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20},{"metric":"asa","goal":30,"period":"isoWeek"}]}"#,
    )
    .unwrap()
    .validate()
    .unwrap();
    let report = build_report(&dataset, &terms);
    let january = &report.targets[0].results[0];
    assert_eq!(january.period, "2021-01");
    assert_eq!(
        january.ratio.map(|r| (r.part, r.whole)),
        Some((138.0, 1772.0))
    );
    let total_wait: f64 = report
        .periods
        .iter()
        .map(|p| p.asa_secs.unwrap() * f64::from(p.answered.unwrap()))
        .sum();
    assert!((total_wait / 4054.0 - 67.520_720_276).abs() < 1e-6);
}

#[test]
#[ignore = "needs ../shared/data: run by the shared-data layer of scripts/test.sh"]
fn the_bank_call_log_imports_with_its_documented_mapping() {
    // The README's mapping: arrival at the end of the voice menu, on the yymmdd date.
    let options: ImportOptions =
        serde_json::from_str(r#"{"mapping":{"arrivedTime":"vru_exit"}}"#).unwrap();
    let dataset = read_contacts(&read("anonymous-bank-1999-02.tsv"), &options).unwrap();
    let quality = &dataset.quality;
    assert_eq!(quality.dialect.delimiter, b'\t');
    assert_eq!((quality.rows_read, quality.rows_used), (33_344, 33_344));
    assert_eq!(field_of(&dataset, "date"), Some(MappedField::ArrivedDate));
    assert_eq!(field_of(&dataset, "q_time"), Some(MappedField::Wait));
    assert_eq!(field_of(&dataset, "outcome"), Some(MappedField::Outcome));
    assert_eq!(field_of(&dataset, "ser_time"), Some(MappedField::Handle));
    let outcome = |wanted| {
        dataset
            .contacts
            .iter()
            .filter(|c| c.outcome == Some(wanted))
            .count()
    };
    // AGENT answered, HANG abandoned, PHANTOM other.
    assert_eq!(
        (
            outcome(Outcome::Answered),
            outcome(Outcome::Abandoned),
            outcome(Outcome::Other)
        ),
        (27_162, 5_904, 278)
    );
    let terms = RawTerms::from_json(r#"{"targets":[{"metric":"asa","goal":60}]}"#)
        .unwrap()
        .validate()
        .unwrap();
    let report = build_report(&dataset, &terms);
    let february = &report.targets[0].results[0];
    assert_eq!(february.period, "1999-02");
    assert!((february.actual.unwrap() - 40.774_317_06).abs() < 1e-6);
}
