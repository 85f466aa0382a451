//! KPI history (DOMAIN §9): monthly values written the way reports write them, judged as
//! given, combined only by volume, and priced by the same credits engine. Every expected
//! figure below is computed by hand from the fixture's cells.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use slacalc::compliance::Status;
use slacalc::input::{ImportOptions, InputShape, SkipReason};
use slacalc::report::TargetResults;
use slacalc::shape::{read_input, Input};
use slacalc::{RawTerms, Report, Terms};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/kpis/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn terms(json: &str) -> Terms {
    RawTerms::from_json(json).unwrap().validate().unwrap()
}

fn demo_terms() -> Terms {
    terms(std::str::from_utf8(&fixture("terms.json")).unwrap())
}

fn read(bytes: &[u8]) -> Input {
    read_input(bytes, &ImportOptions::default(), &mut |_, _| {}).unwrap()
}

fn actuals(target: &TargetResults) -> Vec<Option<f64>> {
    target
        .results
        .iter()
        .map(|result| result.actual.map(|value| (value * 1000.0).round() / 1000.0))
        .collect()
}

fn target<'r>(report: &'r Report, label_start: &str) -> &'r TargetResults {
    report
        .targets
        .iter()
        .find(|target| target.label.starts_with(label_start))
        .unwrap()
}

#[test]
fn a_six_line_monthly_summary_gives_verdicts_and_credits() {
    let input = read(&fixture("monthly-summary.csv"));
    assert_eq!(input.quality().shape, InputShape::Kpis);
    assert_eq!(input.contact_count(), 74_340);
    let report = input.report(&demo_terms());
    let periods: Vec<&str> = report.periods.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(
        periods,
        ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    );
    assert_eq!(report.periods[0].contacts, Some(12_400));
    assert_eq!(report.periods[0].answered, None);
    let service_level = target(&report, "Service level");
    assert_eq!(
        actuals(service_level),
        [78.2, 81.0, 74.5, 83.4, 79.9, 80.0].map(Some)
    );
    let statuses: Vec<Status> = service_level
        .results
        .iter()
        .map(|result| result.judgement.status)
        .collect();
    use Status::{Met, Missed};
    assert_eq!(statuses, [Missed, Met, Missed, Met, Missed, Met]);
    assert_eq!(
        actuals(target(&report, "ASA")),
        [32.0, 24.0, 41.0, 19.0, 27.0, 22.0].map(Some)
    );
    // 5:10 is 310 s; FCR 71 %; CSAT 4.2 of 4.2/5.
    assert_eq!(actuals(target(&report, "AHT"))[0], Some(310.0));
    assert_eq!(actuals(target(&report, "FCR"))[0], Some(71.0));
    assert_eq!(actuals(target(&report, "CSAT"))[0], Some(4.2));

    // Fee 40,000, cap 12 % = 4,800. SL tiers 0 → 2 %, 2 → 5 %, 5 → 10 %; ASA 0.25 %/s, cap 5 %.
    // January: SL short 1.8 → 2 % = 800; ASA 2 s → 0.5 % = 200 → 1,000.
    // March: SL short 5.5 → 10 % = 4,000; ASA 11 s → 2.75 % = 1,100 → 5,100, capped at 4,800.
    // May: SL short 0.1 → 2 % = 800; ASA met.
    let credits = report.credits.as_ref().unwrap();
    let owed: Vec<(String, String)> = credits
        .periods
        .iter()
        .map(|period| (period.period.clone(), period.credits.to_string()))
        .collect();
    assert_eq!(
        owed,
        [
            ("2026-01", "1,000.00"),
            ("2026-02", "0.00"),
            ("2026-03", "4,800.00"),
            ("2026-04", "0.00"),
            ("2026-05", "800.00"),
            ("2026-06", "0.00"),
        ]
        .map(|(period, amount)| (period.to_owned(), amount.to_owned()))
    );
    assert_eq!(credits.totals.credits.to_string(), "6,600.00");
}

#[test]
fn european_writing_is_read_and_every_guess_is_said() {
    let input = read(&fixture("european.csv"));
    let quality = input.quality();
    assert_eq!(quality.shape, InputShape::Kpis);
    assert_eq!(quality.dialect.delimiter, b';');
    assert_eq!(quality.rows_used, 4);
    let report = input.report(&demo_terms());
    // `SL 80/20` is the service level within 20 s; `0,71` a fraction; AHT in minutes.
    assert_eq!(actuals(target(&report, "Service level"))[0], Some(78.2));
    assert!(target(&report, "Service level").notes.is_empty());
    assert_eq!(actuals(target(&report, "FCR"))[0], Some(71.0));
    assert_eq!(actuals(target(&report, "AHT"))[0], Some(312.0));
    assert_eq!(actuals(target(&report, "Abandonment"))[0], Some(6.1));
    assert_eq!(report.periods[0].contacts, Some(12_400));
    let guesses: Vec<(&str, &str)> = quality
        .coerced
        .iter()
        .map(|coerced| (coerced.column.as_str(), coerced.what.as_str()))
        .collect();
    assert!(guesses.contains(&("FCR", "fraction read as a percentage (0.782 → 78.2 %)")));
    assert!(guesses.contains(&("SL 80/20", "decimal comma read as a point (78,2 → 78.2)")));
    assert!(quality.notes[0].contains("\"AHT (min)\" → AHT (s), written in minutes"));
}

#[test]
fn scopes_combine_only_by_volume() {
    let terms_json = r#"{"period":"month","targets":[
        {"metric":"serviceLevel","goal":80,"thresholdSecs":20},
        {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"scope":{"channel":"voice"}},
        {"metric":"abandonmentRate","goal":5}]}"#;
    let report = read(&fixture("by-channel.csv")).report(&terms(terms_json));
    // January: (75 % × 1,000 + 90 % × 500) ÷ 1,500 = 80 %; February (82 × 1,200 + 88 × 400)
    // ÷ 1,600 = 83.5 %; March (79 × 900 + 91 × 600) ÷ 1,500 = 83.8 %.
    let all = &report.targets[0];
    assert_eq!(actuals(all), [80.0, 83.5, 83.8].map(Some));
    assert_eq!(all.results[0].contacts, Some(1_500));
    assert!(all.results[0]
        .calculation
        .starts_with("weighted by volume over lines 2, 3: (75 % × 1,000 + 90 % × 500) ÷ 1,500"));
    assert!(all.notes[0].contains("read as the agreed 20 s"));
    assert_eq!(actuals(&report.targets[1]), [75.0, 82.0, 79.0].map(Some));
    // Abandonment (8 × 1,000 + 2 × 500) ÷ 1,500 = 6 %.
    assert_eq!(actuals(&report.targets[2])[0], Some(6.0));

    // Without the volume column the channels cannot be combined: said, never averaged.
    let without_volume = std::str::from_utf8(&fixture("by-channel.csv"))
        .unwrap()
        .lines()
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            [cells[0], cells[1], cells[3]].join(",")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let report = read(without_volume.as_bytes()).report(&terms(terms_json));
    let all = &report.targets[0].results[0];
    assert_eq!(all.judgement.status, Status::NotJudged);
    assert!(all.calculation.contains("needs a volume column"));
    assert_eq!(report.targets[1].results[0].actual, Some(75.0));
}

#[test]
fn days_roll_up_into_months_weighted_by_volume() {
    let daily =
        "Date,Contacts,Service level %\n2026-03-01,100,90\n2026-03-02,300,70\n2026-04-01,50,80\n";
    let input = read(daily.as_bytes());
    assert_eq!(input.quality().shape, InputShape::Kpis);
    let report = input.report(&terms(
        r#"{"period":"month","targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20}]}"#,
    ));
    // (90 × 100 + 70 × 300) ÷ 400 = 75 %.
    assert_eq!(actuals(&report.targets[0]), [Some(75.0), Some(80.0)]);
}

#[test]
fn what_a_history_cannot_give_is_named() {
    let input = read(&fixture("monthly-summary.csv"));
    let report = input.report(&terms(
        r#"{"period":"month","targets":[
            {"metric":"serviceLevel","goal":80,"thresholdSecs":30},
            {"metric":"asa","goal":30,"period":"isoWeek"},
            {"metric":"waitPercentile","goal":60,"percentile":90},
            {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"scope":{"channel":"voice"}},
            {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"intervalAttainment":{"interval":"interval30","goal":90}},
            {"metric":"asa","goal":30,"minContacts":12500}]}"#,
    ));
    let reasons: Vec<&str> = report
        .targets
        .iter()
        .map(|target| {
            target.results[0]
                .judgement
                .not_judged_because
                .as_deref()
                .unwrap_or("")
        })
        .collect();
    assert!(reasons[0].contains("no service level within 30 s"));
    assert!(reasons[0].contains("\"Service level (20s)\""));
    // A target the history lacks says so in its definition too, not "from outage windows".
    assert!(report.targets[0]
        .definition
        .starts_with("not in the history;"));
    assert!(reasons[1].contains("by month has no week values"));
    assert!(reasons[2].contains("wait histogram"));
    assert!(reasons[3].contains("no channel column"));
    assert!(reasons[4].contains("interval attainment"));
    // January's 12,400 contacts are under the minimum of 12,500: not judged, as from contacts.
    assert!(reasons[5].contains("fewer than the minimum of 12,500"));
}

#[test]
fn bad_rows_are_skipped_by_line_and_column() {
    let input = read(&fixture("bad-values.csv"));
    let quality = input.quality();
    assert_eq!(quality.shape, InputShape::Kpis);
    assert_eq!((quality.rows_read, quality.rows_used), (6, 2));
    let skipped = common::skipped_by_reason(quality);
    assert_eq!(
        skipped,
        [
            (SkipReason::UnreadableKpi, "SL %", vec![3, 5]),
            (SkipReason::UnreadablePeriod, "Month", vec![4]),
            (SkipReason::RepeatedPeriod, "Month", vec![6]),
        ]
    );
    let report = input.report(&terms(
        r#"{"period":"month","targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20}]}"#,
    ));
    let may = &report.targets[0].results[1];
    assert_eq!(may.period, "2026-05");
    assert_eq!(may.judgement.status, Status::NotJudged);
    assert_eq!(may.calculation, "not reported: the cell is empty");
    assert!(input.skipped_rows_csv().contains("eighty"));
}

#[test]
fn suggestions_read_the_months_as_given() {
    let input = read(&fixture("monthly-summary.csv"));
    let suggestions = input.suggest(&demo_terms());
    let service_level = &suggestions[0];
    assert_eq!(service_level.history.len(), 6);
    assert_eq!(service_level.current.met, 3);
    // Balanced (75 %): the 5th best of 83.4 81 80 79.9 78.2 74.5 → 78.2, rounded down to 78.
    let balanced = service_level
        .suggestions
        .iter()
        .find(|candidate| candidate.level == "balanced")
        .unwrap();
    assert_eq!(balanced.goal, 78.0);
    assert_eq!(balanced.breach_probability, Some(100.0 / 6.0));
    assert!(balanced.expected_credit.is_some());
}

/// The golden report of a KPI history read through shape detection, which the wasm build is
/// checked against too (`tests/node/native-agreement.test.mjs`).
#[test]
fn a_kpi_history_is_reported_as_the_golden_document() {
    common::assert_golden(
        &read(&fixture("european.csv")).report(&demo_terms()),
        "tests/data/kpis/european.report.json",
    );
}

#[test]
fn the_volume_column_gives_the_average_staffing_of_the_busiest_month() {
    use slacalc::peaks::CapacityOptions;
    let options = CapacityOptions {
        shrinkage_percent: 30.0,
        ..CapacityOptions::default()
    };
    let european = read(&fixture("european.csv"));
    let profile = european.weekly_profile(&demo_terms(), &options);
    // March: 13,100 contacts × 318 s over 744 h = 1.56 Erlangs; Erlang C for 80 % in 20 s at
    // that load (`slacalc erlang --contacts 17.6075 --interval-minutes 60 --aht 318 --goal 80
    // --shrinkage 30`): 4 agents, 6 scheduled.
    assert!(profile.finding.ends_with(
        "From its volumes: the busiest period, 2026-03, brought 13,100 contacts at an AHT of 318 s — 1,157 agent-hours over 744 open hours (around the clock), 1.6 agents busy on average. 80 % in 20 s at that average load needs 4 agents (6 scheduled at 30 % shrinkage): a floor, not a roster, since contacts come in peaks."
    ), "{}", profile.finding);
    assert!(profile.cells.iter().all(|cell| cell.offered == 0));
    let without_volume = read(b"Month,ASA,AHT\n2026-01,30,300\n2026-02,28,310\n");
    assert!(without_volume
        .weekly_profile(&demo_terms(), &options)
        .finding
        .ends_with("With a volume column and an AHT column it would give the average staffing of its busiest period."));
}
