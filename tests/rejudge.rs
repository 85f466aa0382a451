//! A terms edit carries over from the last report every target it left as it was measured
//! (`src/rejudge.rs`): the report it gives is, to the character, the one made anew — on
//! contacts, interval reports and a KPI history, under every example's terms, edit after edit
//! as a person types them. An edit of goals, labels or money measures nothing; an edit of one
//! target's threshold, or a target added, measures that target alone; a new period or zone
//! measures every target (the wait chart carried when nothing is excluded). Along the same
//! edits, the weekly profile from the hour counts kept (`ProfileMemo`) and the suggestions
//! from the report made after the last are the ones made anew.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use slacalc::input::ImportOptions;
use slacalc::peaks::{CapacityOptions, ProfileMemo};
use slacalc::rejudge::ReportMemo;
use slacalc::report::Placement;
use slacalc::shape::{read_input, Input};
use slacalc::suggest::History;
use slacalc::{RawTerms, Terms};

fn input(path: &str) -> Input {
    let bytes = std::fs::read(path).unwrap();
    read_input(&bytes, &ImportOptions::default(), &mut |_, _| {}).unwrap()
}

/// Contacts at UTC instants, whose weekday and hour depend on the agreement's zone.
fn contacts_at_instants() -> Input {
    let mut csv = String::from("arrived,wait,outcome,handle\n");
    for i in 0..600u32 {
        let outcome = if i % 9 == 0 { "abandoned" } else { "answered" };
        csv.push_str(&format!(
            "2026-03-{:02}T{:02}:{:02}:00Z,{},{outcome},{}\n",
            1 + i % 28,
            i % 24,
            (i * 7) % 60,
            (i * 13) % 90,
            100 + i % 300
        ));
    }
    read_input(csv.as_bytes(), &ImportOptions::default(), &mut |_, _| {}).unwrap()
}

fn terms_of(json: &Value) -> Option<Terms> {
    RawTerms::from_json(&json.to_string()).ok()?.validate().ok()
}

/// How many targets an edit should have measured anew.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Measures {
    /// Goals, labels, money: none, unless a goal is one its target's measurement reads.
    NoneUnlessGoalRead,
    One,
    None,
    All,
}

/// The edits a person makes one after another in the terms: each target's goal down and up
/// and its label, the cap and the fee, then a threshold, a target added (a copy of the first
/// at another minimum volume) and removed again, the exclusions removed, a window added where
/// none was and moved (the wait chart then read from the one of every contact, less the
/// contacts in it), the period, the zone, and the window removed; a forecast by day, then by
/// hour, each below the volume of some days and hours.
fn edits(terms: &Value) -> Vec<(Value, Measures)> {
    let mut edits = Vec::new();
    let mut edited = terms.clone();
    let count = edited["targets"].as_array().map_or(0, Vec::len);
    for index in 0..count {
        let goal = edited["targets"][index]["goal"].as_f64().unwrap();
        for factor in [0.9, 1.04] {
            edited["targets"][index]["goal"] = Value::from(goal * factor);
            edits.push((edited.clone(), Measures::NoneUnlessGoalRead));
        }
        edited["targets"][index]["label"] = Value::from(format!("Renamed {index}"));
        edits.push((edited.clone(), Measures::NoneUnlessGoalRead));
    }
    if edited["credits"].get("capPercent").is_some() {
        edited["credits"]["capPercent"] = Value::from(3.5);
        edits.push((edited.clone(), Measures::NoneUnlessGoalRead));
    }
    if edited.get("feePerPeriod").is_some() {
        edited["feePerPeriod"] = Value::from(12_345.67);
        edits.push((edited.clone(), Measures::NoneUnlessGoalRead));
    }
    let measured =
        (0..count).find(|&index| edited["targets"][index].get("thresholdSecs").is_some());
    if let Some(index) = measured {
        let threshold = edited["targets"][index]["thresholdSecs"].as_f64().unwrap();
        edited["targets"][index]["thresholdSecs"] = Value::from(threshold + 5.0);
        edits.push((edited.clone(), Measures::One));
    }
    if count > 0 {
        let mut added = edited["targets"][0].clone();
        added["minContacts"] = Value::from(7);
        added["label"] = Value::from("Added");
        edited["targets"].as_array_mut().unwrap().push(added);
        edits.push((edited.clone(), Measures::One));
        edited["targets"].as_array_mut().unwrap().pop();
        edits.push((edited.clone(), Measures::None));
    }
    if edited.get("exclusions").is_some() {
        edited["exclusions"] = Value::Array(Vec::new());
        edits.push((edited.clone(), Measures::All));
    }
    // Over part of the sample's months (August to October) and of March's contacts.
    edited["exclusions"] = serde_json::json!([{
        "start": "2026-03-05T00:00",
        "end": "2026-09-15T00:00",
        "reason": "Outage",
    }]);
    edits.push((edited.clone(), Measures::All));
    edited["exclusions"][0]["end"] = Value::from("2026-08-20T12:00");
    edits.push((edited.clone(), Measures::All));
    edited["period"] = Value::from("isoWeek");
    edits.push((edited.clone(), Measures::All));
    edited["timeZone"] = Value::from("Asia/Kolkata");
    edits.push((edited.clone(), Measures::All));
    edited["exclusions"] = Value::Array(Vec::new());
    edits.push((edited.clone(), Measures::All));
    let march = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for (per, step, format) in [
        ("day", chrono::Duration::days(1), "%Y-%m-%d"),
        ("interval60", chrono::Duration::hours(1), "%Y-%m-%dT%H:%M"),
    ] {
        // Every other day or hour from 1 March and from 1 August, at one contact.
        let volumes: Vec<Value> = [march, march + chrono::Months::new(5)]
            .into_iter()
            .flat_map(|from| (0..30).map(move |index| from + step * (2 * index)))
            .map(|at| serde_json::json!({ "start": at.format(format).to_string(), "contacts": 1 }))
            .collect();
        edited["forecast"] = serde_json::json!({ "per": per, "volumes": volumes });
        edits.push((edited.clone(), Measures::All));
    }
    edits
}

#[test]
fn a_report_judged_again_and_a_profile_from_kept_counts_are_the_ones_made_anew() {
    let inputs = [
        ("www/sample/contacts.csv", input("www/sample/contacts.csv")),
        ("contacts at instants", contacts_at_instants()),
        (
            "genesys-queue-performance.csv",
            input("tests/data/intervals/genesys-queue-performance.csv"),
        ),
        (
            "connect-historical-metrics.csv",
            input("tests/data/intervals/connect-historical-metrics.csv"),
        ),
        (
            "monthly-summary.csv",
            input("tests/data/kpis/monthly-summary.csv"),
        ),
    ];
    let mut terms_files: Vec<String> = std::fs::read_dir("www/examples")
        .unwrap()
        .map(|entry| entry.unwrap().path().display().to_string())
        .collect();
    terms_files.sort();
    terms_files.extend([
        "tests/data/intervals/terms.json".to_owned(),
        "tests/data/kpis/terms.json".to_owned(),
    ]);
    let (mut judged_again, mut one_measured, mut made_anew) = (0, 0, 0);
    // Staffing for other goals and for a given team too: every figure of a profile.
    let options = CapacityOptions {
        agents: Some(12),
        goals: vec![70.0, 90.0],
        ..CapacityOptions::default()
    };
    for (name, input) in &inputs {
        // One memo per input across every terms file: zones and thresholds change between them.
        let mut profiles = ProfileMemo::default();
        // The page's profile reads the arrivals its reports placed.
        let mut assert_same_profile = |terms: &Terms, placement: &mut Placement, context: &str| {
            assert_eq!(
                input.weekly_profile_kept(&mut profiles, terms, &options, placement),
                input.weekly_profile(terms, &options),
                "{name}: the profile {context}"
            );
        };
        for file in &terms_files {
            let json: Value =
                serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
            let mut previous = terms_of(&json).unwrap();
            let mut memo = ReportMemo::default();
            let mut report = memo.report(input, &previous);
            assert_eq!(report.to_json(), input.report(&previous).to_json());
            assert_same_profile(&previous, memo.placement(), &format!("under {file}"));
            for (edited, measures) in edits(&json) {
                // An edit the terms refuse (a goal past its scale) is no edit.
                let Some(terms) = terms_of(&edited) else {
                    continue;
                };
                report = memo.report(input, &terms);
                assert_eq!(
                    report.to_json(),
                    input.report(&terms).to_json(),
                    "{name} under {file}, after {edited}"
                );
                let measured = memo.targets_measured();
                let targets = terms.targets.len();
                // A KPI history's values are read again whole: a few rows, no pass to save.
                let expected = match (input, measures) {
                    (Input::Kpis(_), _) | (_, Measures::All) => Some(targets),
                    (_, Measures::One) => Some(1),
                    (_, Measures::None) => Some(0),
                    // Interval attainment, or a percentile at an interval report's edges,
                    // reads the goal.
                    (_, Measures::NoneUnlessGoalRead) => {
                        let reading_goal = terms
                            .targets
                            .iter()
                            .filter(|target| !input.measures_apart_from_goal(target))
                            .count();
                        assert!(measured <= reading_goal, "{name} under {file}: {edited}");
                        None
                    }
                };
                if let Some(expected) = expected {
                    assert_eq!(measured, expected, "{name} under {file}, after {edited}");
                }
                match measured {
                    0 => judged_again += 1,
                    1 if targets > 1 => one_measured += 1,
                    _ => made_anew += 1,
                }
                assert_same_profile(
                    &terms,
                    memo.placement(),
                    &format!("under {file}, after {edited}"),
                );
                // The page's suggestions start from the report made after the last.
                assert_eq!(
                    serde_json::to_string(&input.suggest_from(
                        &terms,
                        report.clone(),
                        memo.placement()
                    ))
                    .unwrap(),
                    serde_json::to_string(&input.suggest(&terms)).unwrap(),
                    "{name} under {file}: suggestions after {edited}"
                );
                previous = terms;
            }
        }
    }
    // Every way was taken, the judging again most often.
    assert!(
        judged_again > 200 && one_measured > 20 && made_anew > 10,
        "{judged_again} judged again, {one_measured} with one target measured, {made_anew} made anew"
    );
}
