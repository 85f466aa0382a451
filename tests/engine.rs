//! The engine end to end in the native core: CSV text and terms JSON → report, on small cases
//! computed by hand from `shared/DOMAIN.md` §2–§5.

mod common;

use slacalc::compliance::Status;
use slacalc::report::{PeriodResult, TargetResults};
use slacalc::{build_report, read_contacts_csv, RawTerms, Report};

fn report(csv: &str, terms: &str) -> Report {
    let dataset = read_contacts_csv(csv).expect("the case's data is usable");
    let terms = RawTerms::from_json(terms)
        .and_then(|raw| raw.validate())
        .expect("the case's terms are valid");
    build_report(&dataset, &terms)
}

fn periods(target: &TargetResults) -> Vec<&str> {
    target.results.iter().map(|r| r.period.as_str()).collect()
}

fn verdicts(target: &TargetResults) -> Vec<(Option<f64>, Status)> {
    target
        .results
        .iter()
        .map(|r| (r.actual.map(tenth), r.judgement.status))
        .collect()
}

fn tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn only_result(report: &Report) -> &PeriodResult {
    &report.targets[0].results[0]
}

#[test]
fn a_dst_day_in_the_agreement_zone_is_one_day_of_25_hours() {
    // Paris, 25 October 2026: clocks go back at 03:00 CEST. Arrivals (UTC):
    //   22:30 on the 24th  = 00:30 CEST on the 25th     → 25 Oct
    //   00:30 on the 25th  = 02:30 CEST (first 02:30)   → 25 Oct
    //   01:30 on the 25th  = 02:30 CET (second 02:30)   → 25 Oct
    //   22:59 on the 25th  = 23:59 CET                  → 25 Oct
    //   23:00 on the 25th  = 00:00 CET on the 26th      → 26 Oct
    // and a wall-clock "2026-10-24 23:59" read in Paris → 24 Oct.
    let csv = "arrived,wait,outcome\n\
               2026-10-24T22:30:00Z,5,answered\n\
               2026-10-25T00:30:00Z,5,answered\n\
               2026-10-25T01:30:00Z,50,answered\n\
               2026-10-25T22:59:00Z,5,answered\n\
               2026-10-25T23:00:00Z,5,answered\n\
               2026-10-24 23:59,5,answered\n";
    let terms = r#"{"timeZone":"Europe/Paris","period":"day",
        "targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20},
                   {"metric":"asa","goal":20,"period":"interval60"}]}"#;
    let report = report(csv, terms);
    let daily = &report.targets[0];
    assert_eq!(periods(daily), ["2026-10-24", "2026-10-25", "2026-10-26"]);
    assert_eq!(daily.results[1].contacts, Some(4));
    assert_eq!(daily.results[1].actual, Some(75.0));
    // The repeated hour is two hourly intervals, told apart by their offsets.
    let hourly = &report.targets[1];
    assert!(periods(hourly).contains(&"2026-10-25T02:00+02:00"));
    assert!(periods(hourly).contains(&"2026-10-25T02:00+01:00"));
}

#[test]
fn an_exclusion_window_holds_its_start_and_not_its_end_and_is_counted_per_target() {
    // The window [09:00, 11:00) excludes the calls at 09:00 and 10:59, not 08:59 nor 11:00.
    let csv = "arrived,wait,outcome,channel\n\
               2026-09-14 08:59:59,5,answered,voice\n\
               2026-09-14 09:00:00,90,answered,voice\n\
               2026-09-14 10:59:59,90,abandoned,chat\n\
               2026-09-14 11:00:00,30,answered,voice\n";
    let terms = r#"{"exclusions":[{"start":"2026-09-14T09:00","end":"2026-09-14T11:00","reason":"client CRM outage"}],
        "targets":[{"metric":"serviceLevel","goal":50,"thresholdSecs":20},
                   {"metric":"serviceLevel","goal":50,"thresholdSecs":20,"scope":{"channel":"Voice"}}]}"#;
    let report = report(csv, terms);
    assert_eq!(report.exclusions[0].contacts, 2);
    assert_eq!(report.periods[0].excluded, 2);
    let all = only_result(&report);
    assert_eq!((all.contacts, all.actual), (Some(2), Some(50.0)));
    assert_eq!(all.excluded[0].reason, "client CRM outage");
    assert_eq!(all.excluded[0].contacts, 2);
    let voice = &report.targets[1].results[0];
    assert_eq!((voice.contacts, voice.excluded[0].contacts), (Some(2), 1));
}

#[test]
fn volume_above_forecast_excludes_the_whole_interval() {
    // Forecast 2 calls per half hour with the default 30 % spike: 3 calls (> 2.6) between
    // 09:00 and 09:30 exclude that interval; 2 calls between 09:30 and 10:00 stay.
    let csv = "arrived,wait,outcome\n\
               2026-09-01 09:00,60,answered\n\
               2026-09-01 09:10,60,answered\n\
               2026-09-01 09:20,60,abandoned\n\
               2026-09-01 09:40,5,answered\n\
               2026-09-01 09:50,5,answered\n";
    let terms = r#"{"forecast":{"per":"interval30","volumes":[
            {"start":"2026-09-01T09:00","contacts":2},{"start":"2026-09-01T09:30","contacts":2}]},
        "targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20}]}"#;
    let report = report(csv, terms);
    let spike = &report.exclusions[0];
    assert_eq!(spike.contacts, 3);
    assert_eq!(
        spike.detail,
        ["2026-09-01T09:00+00:00: 3 offered vs 2 forecast"]
    );
    assert_eq!(only_result(&report).actual, Some(100.0));
}

#[test]
fn scopes_filter_case_insensitively_and_name_values_no_contact_has() {
    let csv = "arrived,wait,outcome,channel,priority\n\
               2026-09-01 09:00,5,answered,Voice,P1\n\
               2026-09-01 09:01,50,answered,voice,P2\n\
               2026-09-01 09:02,5,answered,Chat,P1\n\
               2026-09-01 09:03,5,answered,email,P1\n";
    let terms = r#"{"targets":[
        {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"scope":{"channel":["VOICE","chat"]}},
        {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"scope":{"channel":"voice","priority":"p1"}},
        {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"scope":{"channel":"vocie"}},
        {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"scope":{"queue":"billing"}}]}"#;
    let report = report(csv, terms);
    let voice_and_chat = only_result(&report);
    assert_eq!(
        (voice_and_chat.contacts, voice_and_chat.actual.map(tenth)),
        (Some(3), Some(66.7))
    );
    assert_eq!(report.targets[1].results[0].contacts, Some(1));
    let typo = &report.targets[2];
    assert_eq!(typo.results[0].judgement.status, Status::NotJudged);
    assert_eq!(
        typo.notes,
        ["no contact has channel \"vocie\" (the data has: Voice, Chat, email)"]
    );
    let no_queue_column = &report.targets[3];
    assert_eq!(
        no_queue_column.results[0]
            .judgement
            .not_judged_because
            .as_deref(),
        Some("not computable: the scope names a queue, and the data has no queue column")
    );
}

#[test]
fn interval_attainment_judges_each_half_hour_then_the_share_met() {
    // 09:00–09:30: 2 calls within 20 s → 100 %, met. 09:30–10:00: 1 of 2 → 50 %, missed.
    // 10:00–10:30: 1 call, under the minimum of 2 → not judged. 1 of 2 judged met = 50 %,
    // short of 90 %.
    let csv = "arrived,wait,outcome\n\
               2026-09-01 09:00,5,answered\n\
               2026-09-01 09:10,5,answered\n\
               2026-09-01 09:40,5,answered\n\
               2026-09-01 09:50,95,answered\n\
               2026-09-01 10:10,5,answered\n";
    let terms = r#"{"targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20,"minContacts":2,
        "intervalAttainment":{"interval":"interval30","goal":90}}]}"#;
    let report = report(csv, terms);
    let september = only_result(&report);
    assert_eq!(september.actual, Some(50.0));
    assert_eq!(september.judgement.status, Status::Missed);
    assert_eq!(september.judgement.margin, Some(-40.0));
    let intervals = september.intervals.unwrap();
    assert_eq!(
        (intervals.judged, intervals.met, intervals.not_judged),
        (2, 1, 1)
    );
    assert_eq!(
        september.calculation,
        "1 of 2 judged half-hour intervals met ≥ 80 % = 50 %; 1 half-hour interval not judged (fewer than 2 contacts, or no data)"
    );
}

#[test]
fn minimum_volume_and_missing_columns_are_not_judged_with_the_reason() {
    let csv = "arrived,wait,outcome\n2026-09-01 09:00,5,answered\n2026-10-01 09:00,5,answered\n2026-10-02 09:00,5,answered\n";
    let terms =
        r#"{"targets":[{"metric":"asa","goal":20,"minContacts":2},{"metric":"fcr","goal":70}]}"#;
    let report = report(csv, terms);
    let asa = &report.targets[0];
    assert_eq!(
        verdicts(asa),
        [(Some(5.0), Status::NotJudged), (Some(5.0), Status::Met)]
    );
    assert_eq!(
        asa.results[0].judgement.not_judged_because.as_deref(),
        Some("1 contact, fewer than the minimum of 2")
    );
    let fcr = &report.targets[1];
    assert_eq!(fcr.notes, ["not computable: the data has no fcr column"]);
    assert!(fcr
        .results
        .iter()
        .all(|result| result.judgement.status == Status::NotJudged));
}

#[test]
fn ticket_metrics_in_business_hours_across_a_weekend_and_a_holiday() {
    // Weekdays 09:00–17:00 UTC, Monday 21 December 2026 a holiday.
    // T1 arrives Fri 18 at 16:00, first response at 16:30 (0.5 h), resolved Tue 22 at 10:00
    //    (1 h Friday + 1 h Tuesday = 2 business hours).
    // T2 arrives Sat 19 at 10:00, first response 7 200 s later (Sat 12:00: 0 business time),
    //    resolved Tue 22 at 12:00 (3 business hours: the clock starts Tuesday 09:00).
    // T3 arrives Tue 22 at 09:00, no response yet, resolved at 13:00 (4 h).
    let csv = "arrived,first_response,resolved,fcr,csat\n\
               2026-12-18 16:00,2026-12-18 16:30,2026-12-22 10:00,yes,5\n\
               2026-12-19 10:00,7200,2026-12-22 12:00,no,3\n\
               2026-12-22 09:00,,2026-12-22 13:00,yes,\n";
    let terms = r#"{"businessHours":{"weekly":{"mon":"09:00-17:00","tue":"09:00-17:00","wed":"09:00-17:00",
            "thu":"09:00-17:00","fri":"09:00-17:00"},"holidays":["2026-12-21"]},
        "targets":[
          {"metric":"responseWithin","goal":90,"thresholdSecs":3600,"businessHours":true},
          {"metric":"resolutionWithin","goal":60,"thresholdSecs":10800,"businessHours":true},
          {"metric":"resolutionWithin","goal":60,"thresholdSecs":10800},
          {"metric":"fcr","goal":60},
          {"metric":"csat","goal":4},
          {"metric":"csat","goal":50,"csatMode":"topBox"},
          {"metric":"serviceLevel","goal":80,"thresholdSecs":20}]}"#;
    let report = report(csv, terms);
    let actual = |index: usize| report.targets[index].results[0].actual.map(tenth);
    assert_eq!(actual(0), Some(100.0));
    assert_eq!(
        report.targets[0].results[0].calculation,
        "2 first responses within 1 h business time ÷ 2 with a first response = 100 %; 1 without a first response not counted"
    );
    assert_eq!(actual(1), Some(66.7));
    assert_eq!(report.targets[1].results[0].judgement.status, Status::Met);
    // In wall-clock time T1 took 90 h, T2 74 h and T3 4 h: none within 3 h.
    assert_eq!(actual(2), Some(0.0));
    assert_eq!(actual(3), Some(66.7));
    assert_eq!(actual(4), Some(4.0));
    assert_eq!(actual(5), Some(50.0));
    assert_eq!(
        report.targets[6].notes,
        ["not computable: the data has no outcome column and no wait column"]
    );
}

#[test]
fn availability_is_measured_per_period_from_outages() {
    // September has 720 h; an outage of 3 h 36 min leaves 99.5 %. October: none.
    let csv = "arrived\n2026-09-10 10:00\n2026-10-10 10:00\n";
    let terms = r#"{"availability":{"outages":[{"start":"2026-09-02T10:00","end":"2026-09-02T13:36","reason":"switch failure"}]},
        "targets":[{"metric":"availability","goal":99.5}]}"#;
    let report = report(csv, terms);
    let availability = &report.targets[0];
    assert_eq!(
        verdicts(availability),
        [(Some(99.5), Status::Met), (Some(100.0), Status::Met)]
    );
    assert_eq!(
        availability.results[0].calculation,
        "(720 h scheduled − 3.6 h outage) ÷ 720 h scheduled = 99.5 %"
    );
}

/// Every metric over real-looking data, kept as JSON documents that the wasm build must
/// reproduce exactly (`tests/node/native-agreement.test.mjs`): the bundled sample under the
/// contact-center example, a ticket log under the help-desk example, and the sample under the
/// tiered-credits example.
#[test]
fn the_examples_equal_the_golden_documents_the_wasm_build_is_checked_against() {
    let cases = [
        (
            "www/sample/contacts.csv",
            "www/examples/contact-center.json",
            "tests/data/engine/sample-contact-center.report.json",
        ),
        (
            "tests/data/engine/tickets.csv",
            "www/examples/helpdesk.json",
            "tests/data/engine/tickets-helpdesk.report.json",
        ),
        (
            "www/sample/contacts.csv",
            "www/examples/credits-practice.json",
            "tests/data/engine/sample-credits-practice.report.json",
        ),
    ];
    for (data, terms, golden) in cases {
        let read = |path: &str| std::fs::read_to_string(path).unwrap();
        common::assert_golden(&report(&read(data), &read(terms)), golden);
    }
}

#[test]
fn the_report_exports_as_csv_rows_per_target_and_period_and_as_its_json_document() {
    let report = report(
        include_str!("data/foundation/three-months.csv"),
        r#"{ "targets": [
            { "metric": "serviceLevel", "goal": 80, "thresholdSecs": 20 },
            { "metric": "asa", "goal": 10, "label": "=HYPERLINK(\"x\")", "minContacts": 5 }
        ] }"#,
    );
    let csv = report.to_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "target,scope,period,value,unit,goal,direction,status,margin,contacts,excluded,part,whole,calculation"
    );
    // January by hand: 3 of 4 answered + 1 abandoned within 20 s = 60 %, 20 points short.
    assert!(
        lines[1].starts_with(
            "Service level ≥ 80 % in 20 s,all contacts,2026-01,60,percent,80,at least,missed,-20,6,0,3,5,"
        ),
        "{}",
        lines[1]
    );
    // Six rows of data, and a label that a spreadsheet would run is written as text.
    assert_eq!(lines.len(), 1 + 6);
    assert!(lines[4].starts_with("\"'=HYPERLINK(\"\"x\"\")\",all contacts,2026-01,"));
    // February has 3 contacts, under the minimum of 5: not judged, with the reason.
    assert!(lines[5].contains(",not judged,,3,"), "{}", lines[5]);
    assert!(
        lines[5].ends_with(", fewer than the minimum of 5\""),
        "{}",
        lines[5]
    );

    let document: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(document, serde_json::to_value(&report).unwrap());
}
