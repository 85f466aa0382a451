//! The documented terms format stays true: every example in `www/examples/` is valid terms,
//! and the JSON Schema in `www/terms.schema.json` names exactly the fields the core reads.

use std::collections::BTreeSet;

use serde_json::Value;
use slacalc::credit_terms::{RawCreditRule, RawCredits};
use slacalc::terms::{
    MetricName, RawAvailability, RawBusinessHours, RawForecast, RawIntervalAttainment, RawScope,
    RawTarget, RawTerms, RawWindow,
};
use slacalc::{build_report, read_contacts_csv};

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn every_example_is_valid_terms_and_reports_on_the_sample() {
    let sample = read_contacts_csv(&read("www/sample/contacts.csv")).unwrap();
    let mut examples = 0;
    for entry in std::fs::read_dir("www/examples").unwrap() {
        let path = entry.unwrap().path();
        let terms = RawTerms::from_json(&read(path.to_str().unwrap()))
            .and_then(|raw| raw.validate())
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let report = build_report(&sample, &terms);
        assert_eq!(report.targets.len(), terms.targets.len());
        examples += 1;
    }
    assert!(examples >= 3, "the page offers three examples");
}

/// A target with every option set, so that its JSON names every field.
fn every_target_field() -> RawTarget {
    RawTarget {
        label: Some(String::new()),
        threshold_secs: Some(0.0),
        formula: Some(Default::default()),
        short_abandon_secs: Some(0.0),
        percentile: Some(50.0),
        csat_mode: Some(Default::default()),
        csat_scale: Some([1.0, 5.0]),
        of_all_offered: Some(false),
        business_hours: Some(false),
        scope: Some(RawScope::default()),
        period: Some(slacalc::period::PeriodKind::Month),
        min_contacts: Some(1),
        interval_attainment: Some(RawIntervalAttainment {
            interval: slacalc::period::PeriodKind::Day,
            goal: 0.0,
        }),
        credit: Some(RawCreditRule::default()),
        ..RawTarget::new(MetricName::Asa, 0.0)
    }
}

#[test]
fn the_schema_names_exactly_the_fields_the_core_reads() {
    let schema: Value = serde_json::from_str(&read("www/terms.schema.json")).unwrap();
    let terms = RawTerms {
        version: Some(1),
        name: Some(String::new()),
        time_zone: Some(String::new()),
        currency: Some(String::new()),
        fee_per_period: Some(0.0),
        period: Some(slacalc::period::PeriodKind::Month),
        business_hours: Some(RawBusinessHours::default()),
        exclusions: vec![RawWindow::default()],
        forecast: Some(RawForecast {
            per: slacalc::period::PeriodKind::Day,
            spike_percent: Some(0.0),
            volumes: vec![],
        }),
        availability: Some(RawAvailability::default()),
        credits: Some(RawCredits::default()),
        targets: vec![every_target_field()],
    };
    let document = serde_json::to_value(&terms).unwrap();
    assert_eq!(keys(&schema["properties"]), keys(&document));
    assert_eq!(
        keys(&schema["$defs"]["target"]["properties"]),
        keys(&document["targets"][0])
    );
    let metrics: BTreeSet<String> = schema["$defs"]["target"]["properties"]["metric"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap().to_owned())
        .collect();
    let every_metric = [
        MetricName::ServiceLevel,
        MetricName::Asa,
        MetricName::AbandonmentRate,
        MetricName::Aht,
        MetricName::Fcr,
        MetricName::Csat,
        MetricName::WaitPercentile,
        MetricName::MaxWait,
        MetricName::ResponseWithin,
        MetricName::ResolutionWithin,
        MetricName::Availability,
    ];
    let known: BTreeSet<String> = every_metric
        .iter()
        .map(|metric| {
            serde_json::to_value(metric)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(metrics, known);
}
