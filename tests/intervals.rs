//! Interval aggregates (DOMAIN §9): a report computed from contacts reduced to intervals equals
//! the report from the contacts, for every metric the intervals carry — counts exactly,
//! averages to 1e-9, money to the cent — and a metric they cannot carry says what is missing.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use proptest::prelude::*;
use slacalc::intervals::Reduction;
use slacalc::{build_report, read_contacts_csv, RawTerms, Report, Terms};

const CHANNELS: [&str; 2] = ["voice", "chat"];
const OUTCOMES: [&str; 3] = ["answered", "abandoned", "transferred"];

/// Minutes after 2026-09-01 00:00 (two months), wait in half seconds, outcome, channel, handle
/// seconds, FCR (0 unknown, 1 no, 2 yes), CSAT (0 none, else the score).
type RandomContact = (u32, u32, usize, usize, u32, u8, u8);

fn random_contacts() -> impl Strategy<Value = Vec<RandomContact>> {
    prop::collection::vec(
        (
            0u32..61 * 24 * 60,
            0u32..240,
            0usize..3,
            0usize..2,
            30u32..900,
            0u8..3,
            0u8..6,
        ),
        1..400,
    )
}

fn csv_of(contacts: &[RandomContact]) -> String {
    csv_with(contacts, &[], false)
}

/// What a messy export leaves out of a contact (see [`csv_with`]).
const NO_OUTCOME: u8 = 1;
const NO_WAIT: u8 = 2;
const OFF_SCALE_SCORE: u8 = 3;

/// The contacts as CSV, each with the gap of the same index in `gaps` (none past its end):
/// no outcome, no wait, or a survey score off the 1–5 scale; arrivals as UTC instants
/// (`…Z`) when `utc`, else as wall-clock times.
fn csv_with(contacts: &[RandomContact], gaps: &[u8], utc: bool) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 9, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut csv = String::from("arrived,wait,outcome,channel,handle,fcr,csat\n");
    for (index, &(minute, half_seconds, outcome, channel, handle, fcr, csat)) in
        contacts.iter().enumerate()
    {
        let gap = gaps.get(index).copied().unwrap_or(0);
        let arrived = start + chrono::Duration::minutes(i64::from(minute));
        let arrived = arrived
            .format(if utc {
                "%Y-%m-%dT%H:%M:00Z"
            } else {
                "%Y-%m-%d %H:%M"
            })
            .to_string();
        let wait = if gap == NO_WAIT {
            String::new()
        } else {
            (f64::from(half_seconds) / 2.0).to_string()
        };
        let outcome = if gap == NO_OUTCOME {
            ""
        } else {
            OUTCOMES[outcome]
        };
        let fcr = ["", "no", "yes"][usize::from(fcr)];
        // 0 writes no handle time: an answered contact without one, left out of AHT.
        let handle = if handle == 0 {
            String::new()
        } else {
            handle.to_string()
        };
        let csat = if gap == OFF_SCALE_SCORE {
            "9".to_owned()
        } else if csat == 0 {
            String::new()
        } else {
            csat.to_string()
        };
        csv.push_str(&format!(
            "{arrived},{wait},{outcome},{},{handle},{fcr},{csat}\n",
            CHANNELS[channel],
        ));
    }
    csv
}

/// Terms with every metric an interval report can carry, each with a credit, in two periods.
fn terms(threshold: u32, short: u32, period: &str) -> Terms {
    terms_in("UTC", threshold, short, period)
}

fn terms_in(zone: &str, threshold: u32, short: u32, period: &str) -> Terms {
    let credit = r#""credit":{"tiers":[{"shortfallAtLeast":0,"percent":2},{"shortfallAtLeast":5,"percent":5}]}"#;
    let json = format!(
        r#"{{"timeZone":"{zone}","currency":"EUR","feePerPeriod":10000,"period":"{period}","credits":{{"capPercent":8}},"targets":[
        {{"metric":"serviceLevel","goal":80,"thresholdSecs":{threshold},"shortAbandonSecs":{short},{credit}}},
        {{"metric":"serviceLevel","goal":70,"thresholdSecs":30,"formula":"abandonsNeutral","scope":{{"channel":"voice"}}}},
        {{"metric":"serviceLevel","goal":85,"thresholdSecs":{threshold},"formula":"abandonsPositive","minContacts":3,"period":"day","intervalAttainment":{{"interval":"interval60","goal":50}}}},
        {{"metric":"serviceLevel","goal":90,"thresholdSecs":30,"formula":"answered","scope":{{"channel":"chat"}}}},
        {{"metric":"asa","goal":30,{credit}}},
        {{"metric":"abandonmentRate","goal":20,"shortAbandonSecs":{short}}},
        {{"metric":"aht","goal":400}},
        {{"metric":"fcr","goal":60}},
        {{"metric":"csat","goal":3.5,"csatScale":[1,5]}},
        {{"metric":"waitPercentile","goal":60,"percentile":90,"credit":{{"percentPerUnit":0.1}}}}]}}"#
    );
    RawTerms::from_json(&json).unwrap().validate().unwrap()
}

fn assert_same_figures(
    from_contacts: &Report,
    from_intervals: &Report,
) -> Result<(), TestCaseError> {
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        (a, b) => a == b,
    };
    prop_assert_eq!(&from_contacts.periods, &from_intervals.periods);
    for (a, b) in from_contacts.targets.iter().zip(&from_intervals.targets) {
        // The same notes: a scope value no contact has, never "not computable".
        prop_assert_eq!(&a.notes, &b.notes, "{}", b.label);
        prop_assert_eq!(a.results.len(), b.results.len(), "{}", a.label);
        for (ra, rb) in a.results.iter().zip(&b.results) {
            let at = format!("{} {}", a.label, ra.period);
            prop_assert!(
                close(ra.actual, rb.actual),
                "{at}: {:?} vs {:?}",
                ra.actual,
                rb.actual
            );
            prop_assert_eq!(ra.contacts, rb.contacts, "{}", at);
            prop_assert_eq!(ra.judgement.status, rb.judgement.status, "{}", at);
            prop_assert_eq!(ra.intervals, rb.intervals, "{}", at);
            let parts = |r: &slacalc::metrics::Ratio| (r.part, r.whole);
            prop_assert!(
                close(ra.ratio.map(|r| parts(&r).0), rb.ratio.map(|r| parts(&r).0))
                    && close(ra.ratio.map(|r| parts(&r).1), rb.ratio.map(|r| parts(&r).1)),
                "{at}: {:?} vs {:?}",
                ra.ratio,
                rb.ratio
            );
        }
    }
    prop_assert_eq!(
        serde_json::to_value(&from_contacts.credits).unwrap(),
        serde_json::to_value(&from_intervals.credits).unwrap()
    );
    Ok(())
}

proptest! {
    #[test]
    fn a_report_from_intervals_equals_the_report_from_their_contacts(
        contacts in random_contacts(),
        threshold in 0u32..90,
        short in 0u32..10,
        minutes in prop::sample::select(vec![15u32, 30, 60]),
        monthly in any::<bool>(),
        zone in prop::sample::select(vec!["UTC", "Asia/Kolkata", "Europe/Paris"]),
        utc in any::<bool>(),
    ) {
        // Instants in a zone whose offset is not whole hours: hour intervals are cut on its
        // wall clock, or an interval would straddle its midnight.
        let dataset = read_contacts_csv(&csv_with(&contacts, &[], utc)).unwrap();
        let terms = terms_in(zone, threshold, short, if monthly { "month" } else { "isoWeek" });
        let intervals = Reduction::for_terms(&terms, minutes, 0.5).reduce(&dataset);
        assert_same_figures(&build_report(&dataset, &terms), &build_report(&intervals, &terms))?;
    }
}

/// The same text, or the first line that differs with the lines before it.
fn assert_same_text(expected: &str, found: &str) -> Result<(), TestCaseError> {
    let lines: Vec<(&str, &str)> = expected.lines().zip(found.lines()).collect();
    if let Some(at) = lines.iter().position(|(a, b)| a != b) {
        let context: Vec<&str> = lines[at.saturating_sub(12)..at]
            .iter()
            .map(|(a, _)| *a)
            .collect();
        return Err(TestCaseError::fail(format!(
            "line {}: {:?} vs {:?}, after\n{}",
            at + 1,
            lines[at].0,
            lines[at].1,
            context.join("\n")
        )));
    }
    prop_assert_eq!(expected.len(), found.len());
    Ok(())
}

/// The terms of [`terms_in`] an interval count carries exactly: all but the percentile.
fn carried_terms(zone: &str, threshold: u32, short: u32, period: &str) -> Terms {
    let mut terms = terms_in(zone, threshold, short, period);
    terms.targets.retain(|target| {
        !matches!(
            target.metric,
            slacalc::target::Metric::WaitPercentile { .. }
        )
    });
    terms
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Contacts counted as read (the command line's bounded memory) give the report of the
    /// held contacts, to the last character: incomplete contacts, instants and wall-clock
    /// times, zones whose offset is not whole hours, a clock change (Paris, 25 October).
    /// Waits in half seconds and whole-second handle times add up exactly in any order.
    #[test]
    fn contacts_counted_as_read_report_exactly_as_held_contacts(
        contacts in random_contacts(),
        gaps in prop::collection::vec(prop::sample::select(vec![0u8, 0, 0, NO_OUTCOME, NO_WAIT, OFF_SCALE_SCORE]), 400),
        threshold in 0u32..90,
        short in 0u32..10,
        zone in prop::sample::select(vec!["UTC", "Asia/Kolkata", "America/St_Johns", "Europe/Paris"]),
        utc in any::<bool>(),
        period in prop::sample::select(vec!["month", "isoWeek", "day"]),
    ) {
        use slacalc::input::ImportOptions;
        use slacalc::shape::{Input, InputStream};
        let csv = csv_with(&contacts, &gaps, utc);
        let terms = carried_terms(zone, threshold, short, period);
        let reduction = Reduction::exactly_for(&terms).unwrap();
        let held = slacalc::shape::read_input(csv.as_bytes(), &ImportOptions::default(), &mut |_, _| {}).unwrap();
        let mut stream = InputStream::new(ImportOptions::default(), None).counting(reduction);
        for chunk in csv.as_bytes().chunks(997) {
            stream.push(chunk).unwrap();
        }
        let counted = stream.finish().unwrap();
        prop_assert!(matches!(held, Input::Contacts(_)));
        // Counted into interval rows (the held contacts' account, shape included, is kept).
        prop_assert!(matches!(counted, Input::Intervals(_)));
        assert_same_text(&held.report(&terms).to_json(), &counted.report(&terms).to_json())?;
        let suggestions = |input: &Input| serde_json::to_string_pretty(&input.suggest(&terms)).unwrap();
        assert_same_text(&suggestions(&held), &suggestions(&counted))?;
    }
}

/// Contacts counted as read into rows for `reduction`, as the page and the command line do.
fn counted_as_read(csv: &str, reduction: Reduction) -> slacalc::shape::Input {
    use slacalc::input::ImportOptions;
    use slacalc::shape::InputStream;
    let mut stream = InputStream::new(ImportOptions::default(), None).counting(reduction);
    for chunk in csv.as_bytes().chunks(997) {
        stream.push(chunk).unwrap();
    }
    stream.finish().unwrap()
}

fn held(csv: &str) -> slacalc::shape::Input {
    let options = slacalc::input::ImportOptions::default();
    slacalc::shape::read_input(csv.as_bytes(), &options, &mut |_, _| {}).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    /// A big file's counts serve any terms they carry without reading it again: counted for
    /// terms with a percentile (a wait histogram, more edges), they report the terms without
    /// it as the held contacts do, to the last character. The reverse is not carried.
    #[test]
    fn counts_that_carry_more_report_as_the_held_contacts(
        contacts in random_contacts(),
        threshold in 0u32..90,
        short in 0u32..10,
        zone in prop::sample::select(vec!["UTC", "Asia/Kolkata", "Europe/Paris"]),
        period in prop::sample::select(vec!["month", "isoWeek", "day"]),
    ) {
        let csv = csv_with(&contacts, &[], false);
        let counted_for = Reduction::to_the_second_for(&terms_in(zone, threshold, short, period)).unwrap();
        let edited = carried_terms(zone, threshold, short, period);
        let needed = Reduction::exactly_for(&edited).unwrap();
        prop_assert!(counted_for.carries(&needed));
        prop_assert!(!needed.carries(&counted_for));
        let counted = counted_as_read(&csv, counted_for);
        assert_same_text(&held(&csv).report(&edited).to_json(), &counted.report(&edited).to_json())?;
    }

    /// Past what the page holds, a percentile is counted to the second: for whole-second
    /// waits (as ACDs write them) every figure, the percentile's value included, is the held
    /// contacts' own.
    #[test]
    fn a_percentile_counted_to_the_second_is_exact_for_whole_second_waits(
        contacts in random_contacts(),
        threshold in 0u32..90,
        short in 0u32..10,
        period in prop::sample::select(vec!["month", "isoWeek", "day"]),
    ) {
        let whole_seconds: Vec<RandomContact> = contacts
            .iter()
            .map(|&(minute, half_seconds, outcome, channel, handle, fcr, csat)| {
                (minute, half_seconds & !1, outcome, channel, handle, fcr, csat)
            })
            .collect();
        let csv = csv_with(&whole_seconds, &[], false);
        let terms = terms_in("Europe/Paris", threshold, short, period);
        let counted = counted_as_read(&csv, Reduction::to_the_second_for(&terms).unwrap());
        assert_same_figures(&held(&csv).report(&terms), &counted.report(&terms))?;
    }
}

#[test]
fn a_file_too_big_to_hold_is_counted_for_the_terms_or_refused_naming_the_target() {
    use slacalc::input::ImportOptions;
    use slacalc::shape::{InputStream, LARGEST_HELD_BYTES};
    let terms = terms(20, 5, "month");
    let within = |bytes: u64, terms: &Terms| {
        InputStream::within_memory(ImportOptions::default(), bytes, || Ok(terms.clone()))
            .map(|(_, counted)| counted)
    };
    // Held up to the limit: the terms are not even read.
    assert_eq!(within(LARGEST_HELD_BYTES, &terms).unwrap(), None);
    let counted = within(2_184_000_000, &terms).unwrap().unwrap();
    assert_eq!(
        counted.reduction,
        Reduction::to_the_second_for(&terms).unwrap()
    );
    assert!(counted.note().starts_with(
        "Counted as read: this file (2.2 GB) is past the 200 MB the page holds contact by contact"
    ));
    // A goal edit is served; a new threshold needs the file read again.
    let mut edited = terms.clone();
    edited.targets[0].goal = 70.0;
    assert!(counted.serves(&edited).unwrap());
    let edited = self::terms(25, 5, "month");
    assert!(!counted.serves(&edited).unwrap());
    let longest: Terms = RawTerms::from_json(r#"{"targets":[{"metric":"maxWait","goal":300}]}"#)
        .unwrap()
        .validate()
        .unwrap();
    let refusal = "This file is 2.2 GB — past the 200 MB the page holds contact by contact, so its contacts are counted into 15-minute intervals as they are read; but the longest wait reads each contact. Remove that target (or the exclusions and forecast), or run the command line (`slacalc report`), which holds every contact.";
    assert_eq!(
        within(2_184_000_000, &longest).unwrap_err().to_string(),
        refusal
    );
    assert_eq!(counted.serves(&longest).unwrap_err().to_string(), refusal);
}

#[test]
fn what_needs_each_contact_is_not_counted_as_read() {
    let refused = |targets: &str, extra: &str| {
        let json = format!(r#"{{"targets":[{targets}]{extra}}}"#);
        let terms = RawTerms::from_json(&json).unwrap().validate().unwrap();
        Reduction::exactly_for(&terms).err()
    };
    assert_eq!(
        refused(
            r#"{"metric":"waitPercentile","goal":60,"percentile":90}"#,
            ""
        ),
        Some("a wait percentile reads each contact".to_owned())
    );
    assert_eq!(
        refused(r#"{"metric":"csat","goal":80,"csatMode":"topBox"}"#, ""),
        Some("a top-box CSAT reads each contact".to_owned())
    );
    assert_eq!(
        refused(
            r#"{"metric":"asa","goal":30}"#,
            r#","exclusions":[{"start":"2026-03-01T00:00","end":"2026-03-02T00:00","reason":"storm"}]"#
        ),
        Some("exclusions place each contact by its own arrival".to_owned())
    );
    assert_eq!(
        refused(
            r#"{"metric":"serviceLevel","goal":80,"thresholdSecs":20,"shortAbandonSecs":5},{"metric":"abandonmentRate","goal":5,"shortAbandonSecs":10}"#,
            ""
        ),
        Some("the targets count short abandons or survey scores differently".to_owned())
    );
    assert_eq!(
        refused(
            r#"{"metric":"serviceLevel","goal":80,"thresholdSecs":20},{"metric":"aht","goal":300}"#,
            ""
        ),
        None
    );
}

#[test]
fn what_an_interval_report_cannot_carry_is_named_not_estimated() {
    let dataset = read_contacts_csv(&csv_of(&[(0, 10, 0, 0, 100, 2, 5)])).unwrap();
    let mut kept = terms(20, 5, "month");
    // Without a percentile target the reduction keeps no wait histogram.
    kept.targets.retain(|target| {
        !matches!(
            target.metric,
            slacalc::target::Metric::WaitPercentile { .. }
        )
    });
    let intervals = Reduction::for_terms(&kept, 60, 1.0).reduce(&dataset);
    let asked = RawTerms::from_json(
        r#"{"targets":[
            {"metric":"serviceLevel","goal":80,"thresholdSecs":15},
            {"metric":"waitPercentile","goal":60,"percentile":90},
            {"metric":"maxWait","goal":120},
            {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"shortAbandonSecs":10},
            {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"period":"day","intervalAttainment":{"interval":"interval30","goal":80}}]}"#,
    )
    .unwrap()
    .validate()
    .unwrap();
    let report = build_report(&intervals, &asked);
    let notes: Vec<&str> = report
        .targets
        .iter()
        .map(|target| target.notes[0].as_str())
        .collect();
    assert_eq!(
        notes,
        [
            "not computable from this interval report: it counts answered within 20 s, 30 s; 15 s needs an \"Answered within 15s\" column",
            "not computable from this interval report: it counts answered within 20 s, 30 s; 60 s needs an \"Answered within 60s\" column",
            "not computable from this interval report: the longest wait needs each contact's wait",
            "not computable from this interval report: short abandons under 10s need a \"Short abandons under 10s\" column",
            "not computable from this interval report: its intervals are 60 min, and half-hour intervals need intervals that divide them",
        ]
    );
    assert!(report.targets[0].results[0].actual.is_none());
}

mod corpus {
    use slacalc::compliance::Status;
    use slacalc::input::ImportOptions;
    use slacalc::interval_input::read_interval_report;
    use slacalc::intervals::IntervalReport;
    use slacalc::{build_report, RawTerms, Report};

    fn read(name: &str) -> IntervalReport {
        let bytes = std::fs::read(format!("tests/data/intervals/{name}")).unwrap();
        read_interval_report(&bytes, &ImportOptions::default()).unwrap()
    }

    fn report(intervals: &IntervalReport, targets: &str) -> Report {
        let terms = RawTerms::from_json(&format!(r#"{{"period":"month","targets":[{targets}]}}"#))
            .unwrap()
            .validate()
            .unwrap();
        build_report(intervals, &terms)
    }

    /// Each target's value in the first period.
    fn values(report: &Report) -> Vec<Option<f64>> {
        report
            .targets
            .iter()
            .map(|target| target.results[0].actual)
            .collect()
    }

    fn assert_values(actual: &[Option<f64>], expected: &[f64]) {
        assert_eq!(actual.len(), expected.len());
        for (actual, expected) in actual.iter().zip(expected) {
            let actual = actual.unwrap_or(f64::NAN);
            assert!((actual - expected).abs() < 1e-9, "{actual} vs {expected}");
        }
    }

    fn read_with_edges(name: &str, edges: &[f64]) -> IntervalReport {
        let bytes = std::fs::read(format!("tests/data/intervals/{name}")).unwrap();
        let options = ImportOptions {
            increment_edges: edges.to_vec(),
            ..ImportOptions::default()
        };
        read_interval_report(&bytes, &options).unwrap()
    }

    const CMS_EDGES: [f64; 9] = [5.0, 10.0, 20.0, 30.0, 60.0, 90.0, 120.0, 180.0, 300.0];

    #[test]
    fn avaya_numbered_increments_count_within_the_edges_the_user_supplies() {
        let cms = read_with_edges("cms-hsplit-increments.csv", &CMS_EDGES);
        assert_eq!(cms.carries.answer_edges, CMS_EDGES);
        let report = report(
            &cms,
            r#"{"metric":"serviceLevel","goal":80,"thresholdSecs":20},
               {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"formula":"abandonsNeutral"},
               {"metric":"serviceLevel","goal":80,"thresholdSecs":60},
               {"metric":"asa","goal":20},
               {"metric":"aht","goal":300}"#,
        );
        // Increments 1–3 (≤ 20 s): answered 10+8+12 and 12+10+15 = 67, abandoned 2 + 4 = 6;
        // 1–5 (≤ 60 s): 38 + 52 = 90; A = 100, Ab = 15; ANSTIME 600 + 1500; ACD + ACW time
        // (9600 + 1200) + (12600 + 2400).
        assert_values(
            &values(&report),
            &[
                67.0 / 115.0 * 100.0,
                67.0 / 109.0 * 100.0,
                90.0 / 115.0 * 100.0,
                21.0,
                25_800.0 / 100.0,
            ],
        );
        // Answered within 30 s: 80, 60 s: 90, 90 s: 96 of 100; ranks 90 and 95.
        let percentiles = self::report(
            &cms,
            r#"{"metric":"waitPercentile","goal":60,"percentile":90},
               {"metric":"waitPercentile","goal":60,"percentile":95}"#,
        );
        let [p90, p95] = [0, 1].map(|index| &percentiles.targets[index].results[0]);
        assert_eq!(
            (p90.actual, p90.judgement.status),
            (Some(60.0), Status::Met)
        );
        assert_eq!(
            p90.calculation,
            "p90 of 100 answered waits: the 90th smallest is over 30 s (80 answered within) and at most 60 s (90 answered within) = 60 s"
        );
        assert_eq!(
            (p95.actual, p95.judgement.margin),
            (Some(90.0), Some(-30.0))
        );
        let fifteen = self::report(
            &cms,
            r#"{"metric":"serviceLevel","goal":80,"thresholdSecs":15}"#,
        );
        assert_eq!(
            fifteen.targets[0].notes[0],
            "not computable from this interval report: it counts answered within 5 s, 10 s, 20 s, 30 s, 60 s, 90 s, 120 s, 180 s, 5 min; 15 s needs an \"Answered within 15s\" column"
        );
    }

    #[test]
    fn numbered_increments_without_edges_say_what_to_give() {
        let cms = read("cms-hsplit-increments.csv");
        assert!(cms.carries.answer_edges.is_empty());
        assert!(cms.quality.notes.iter().any(|note| note.starts_with(
            "The answered increments are numbered (ACDCALLS1…10): give their edges in seconds"
        )));
        let report = report(
            &cms,
            r#"{"metric":"serviceLevel","goal":80,"thresholdSecs":20}"#,
        );
        assert!(report.targets[0].notes[0].ends_with(
            "(or the edges of its numbered increments, given as the import's increment edges)"
        ));
        let bytes = std::fs::read("tests/data/intervals/cms-hsplit-increments.csv").unwrap();
        for edges in [vec![10.0, 5.0], vec![0.0, 5.0], vec![f64::NAN]] {
            let options = ImportOptions {
                increment_edges: edges,
                ..ImportOptions::default()
            };
            let error = read_interval_report(&bytes, &options).unwrap_err();
            assert!(error
                .to_string()
                .starts_with("Import option increment edges:"));
        }
    }

    #[test]
    fn ranges_in_headers_are_increments_and_the_open_one_is_not_a_threshold() {
        let ranges = read("answered-ranges.csv");
        assert_eq!(ranges.carries.answer_edges, [5.0, 10.0, 20.0, 30.0]);
        let report = report(
            &ranges,
            r#"{"metric":"serviceLevel","goal":80,"thresholdSecs":10},
               {"metric":"serviceLevel","goal":80,"thresholdSecs":20},
               {"metric":"serviceLevel","goal":80,"thresholdSecs":30}"#,
        );
        // ≤ 10: 30 + 19; ≤ 20: 38 + 24; ≤ 30: 42 + 26; offered 73 + 7. "31+ s" is the rest.
        assert_values(
            &values(&report),
            &[
                49.0 / 80.0 * 100.0,
                62.0 / 80.0 * 100.0,
                68.0 / 80.0 * 100.0,
            ],
        );
        // p99 of 73 answered is the 73rd: past 30 s, the last edge ("31+ s" is no count).
        let past = self::report(
            &ranges,
            r#"{"metric":"waitPercentile","goal":30,"percentile":99}"#,
        );
        let result = &past.targets[0].results[0];
        assert_eq!(
            (result.actual, result.judgement.status),
            (None, Status::NotJudged)
        );
        assert_eq!(
            result.judgement.not_judged_because.as_deref(),
            Some("the p99 is over 30 s, the longest wait the report counts within: its value, and any credit on it, need counts within longer waits")
        );
        let gap = read_interval_report(
            b"Interval,Answered,Abandoned,Answered 0-5 s,Answered 11-20 s\n2026-03-02 09:00,10,1,4,3\n",
            &ImportOptions::default(),
        )
        .unwrap();
        assert!(gap.carries.answer_edges.is_empty());
        assert!(gap.quality.notes.iter().any(|note| note
            == "The answered increments leave a gap before 11 s: no count within a threshold is taken from them"));
    }

    #[test]
    fn aht_divides_by_the_answered_with_a_handle_time_when_the_report_counts_them() {
        let bytes = b"Interval,Answered,Abandoned,Total handle time,Answered with handle time\n\
2026-03-02 09:00,10,1,1200,8\n2026-03-02 09:30,5,0,600,5\n2026-03-02 10:00,5,0,600,6\n";
        let intervals = read_interval_report(bytes, &ImportOptions::default()).unwrap();
        // The third row claims more with a handle time than answered: skipped, by its column.
        assert_eq!(intervals.quality.rows_skipped, 1);
        assert!(intervals.quality.skipped[0]
            .message
            .contains("\"Answered with handle time\""));
        let report = report(&intervals, r#"{"metric":"aht","goal":300}"#);
        assert_values(&values(&report), &[1800.0 / 13.0]);
    }

    #[test]
    fn an_increment_larger_than_its_answered_count_names_its_column() {
        let bytes = b"Interval,Answered,Abandoned,Answered 0-5 s,Answered 6-10 s\n\
2026-03-02 09:00,10,1,4,3\n2026-03-02 09:30,5,0,4,3\n";
        let intervals = read_interval_report(bytes, &ImportOptions::default()).unwrap();
        assert_eq!(intervals.quality.rows_skipped, 1);
        let group = &intervals.quality.skipped[0];
        assert!(
            group.message.contains("\"Answered 6-10 s\""),
            "{}",
            group.message
        );
    }

    #[test]
    fn an_avaya_cms_split_report_with_time_ranges_and_averages() {
        let cms = read("cms-split-skill.csv");
        assert_eq!(cms.interval_minutes, 30);
        assert_eq!(cms.quality.rows_used, 3);
        let report = report(
            &cms,
            r#"{"metric":"serviceLevel","goal":80,"thresholdSecs":20},
               {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"formula":"abandonsNeutral"},
               {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"scope":{"queue":"billing"}},
               {"metric":"asa","goal":20},
               {"metric":"abandonmentRate","goal":10},
               {"metric":"aht","goal":300}"#,
        );
        // A = 120, Ab = 15, A_20 = 99, Ab_20 = 7; ASA = (12·40 + 25·60 + 5·20) / 120;
        // AHT = ((240+30)·40 + (210+40)·60 + (300+20)·20) / 120.
        assert_values(
            &values(&report),
            &[
                99.0 / 135.0 * 100.0,
                99.0 / 128.0 * 100.0,
                79.0 / 115.0 * 100.0,
                2080.0 / 120.0,
                15.0 / 135.0 * 100.0,
                32_200.0 / 120.0,
            ],
        );
        assert_eq!(
            report.targets[0].results[0].calculation,
            "99 answered within 20 s ÷ (120 answered + 15 abandoned) = 73.3 %"
        );
    }

    /// A window starting at 08:10 cuts the 08:00–08:15 rows: they start before it and are
    /// counted whole, which the window's detail says; its aligned end (08:30) says nothing.
    #[test]
    fn an_exclusion_window_inside_an_interval_says_the_interval_is_counted_whole() {
        let genesys = read("genesys-queue-performance.csv");
        let terms = RawTerms::from_json(
            r#"{"period":"month","exclusions":[{"start":"2026-03-02T08:10","end":"2026-03-02T08:30","reason":"outage"}],
                "targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20}]}"#,
        )
        .unwrap()
        .validate()
        .unwrap();
        let report = build_report(&genesys, &terms);
        let outage = &report.exclusions[0];
        // Only the 08:15 voice row starts in the window: its 30 offered.
        assert_eq!(outage.contacts, 30);
        assert_eq!(
            outage.detail[1..],
            ["2026-03-02 08:10 inside the report's 15-minute intervals: an interval is excluded whole when it starts in the window, counted whole otherwise"]
        );
    }

    #[test]
    fn a_genesys_export_with_short_abandons_and_other_outcomes() {
        let genesys = read("genesys-queue-performance.csv");
        assert_eq!(genesys.interval_minutes, 15);
        let report = report(
            &genesys,
            r#"{"metric":"serviceLevel","goal":80,"thresholdSecs":20,"shortAbandonSecs":10,"scope":{"channel":"voice"}},
               {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"shortAbandonSecs":10},
               {"metric":"asa","goal":20,"scope":{"channel":"voice"}},
               {"metric":"abandonmentRate","goal":5,"shortAbandonSecs":10,"scope":{"channel":"voice"}},
               {"metric":"aht","goal":300,"scope":{"channel":"voice"}}"#,
        );
        assert_values(
            &values(&report),
            &[
                60.0 / 76.0 * 100.0,
                72.0 / 88.0 * 100.0,
                990.0 / 72.0,
                4.0 / 76.0 * 100.0,
                21_760.0 / 72.0,
            ],
        );
        // 30 offered, 28 answered, 1 abandoned: one other, reported and not offered.
        assert_eq!(report.periods[0].other, Some(1));
        assert!(report.targets[0].results[0]
            .calculation
            .contains("1 with another outcome (transferred, overflow…) not offered"));
    }

    #[test]
    fn an_amazon_connect_export_with_grouped_counts_and_a_rate_left_unread() {
        let connect = read("connect-historical-metrics.csv");
        assert_eq!(connect.interval_minutes, 30);
        let report = report(
            &connect,
            r#"{"metric":"serviceLevel","goal":80,"thresholdSecs":20},
               {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"formula":"abandonsNeutral"},
               {"metric":"asa","goal":20},
               {"metric":"aht","goal":300}"#,
        );
        assert_values(
            &values(&report),
            &[
                1100.0 / 1490.0 * 100.0,
                1100.0 / 1445.0 * 100.0,
                32_500.0 / 1390.0,
                422_100.0 / 1390.0,
            ],
        );
        assert!(
            connect
                .quality
                .notes
                .iter()
                .any(|note| note.contains("Not read")
                    && note.contains("\"Service level 20 seconds\""))
        );
    }

    #[test]
    fn bad_rows_of_an_interval_report_are_skipped_by_line_and_column() {
        let bad = read("bad-counts.csv");
        assert_eq!((bad.quality.rows_read, bad.quality.rows_used), (5, 2));
        let messages: Vec<&str> = bad
            .quality
            .skipped
            .iter()
            .map(|group| group.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "1 row skipped: column \"Offered\": counts that contradict each other (more within a threshold than in all, more answered and abandoned than offered, or fewer within a longer threshold) (line 3)",
                "1 row skipped: column \"Offered\": unreadable count (expected a whole number ≥ 0, e.g. 12 or 1,234) (line 4)",
                "1 row skipped: column \"Answered within 20s\": counts that contradict each other (more within a threshold than in all, more answered and abandoned than offered, or fewer within a longer threshold) (line 5)",
            ]
        );
    }
}

/// The golden report of an interval export read through shape detection, which the wasm build
/// is checked against too (`tests/node/native-agreement.test.mjs`).
#[test]
fn an_interval_export_is_recognised_and_reported_as_the_golden_document() {
    use slacalc::input::{ImportOptions, InputShape};
    use slacalc::shape::read_input;
    let bytes = std::fs::read("tests/data/intervals/genesys-queue-performance.csv").unwrap();
    let input = read_input(&bytes, &ImportOptions::default(), &mut |_, _| {}).unwrap();
    assert_eq!(input.quality().shape, InputShape::Intervals);
    let terms =
        RawTerms::from_json(&std::fs::read_to_string("tests/data/intervals/terms.json").unwrap())
            .unwrap()
            .validate()
            .unwrap();
    common::assert_golden(
        &input.report(&terms),
        "tests/data/intervals/genesys.report.json",
    );
}

#[test]
fn the_weekly_profile_of_an_interval_report_shows_no_service_level_it_cannot_count() {
    use slacalc::input::ImportOptions;
    use slacalc::peaks::{weekly_profile, CapacityOptions};
    let bytes = std::fs::read("tests/data/intervals/cms-split-skill.csv").unwrap();
    let cms =
        slacalc::interval_input::read_interval_report(&bytes, &ImportOptions::default()).unwrap();
    let levels = |threshold: u32| {
        let terms = RawTerms::from_json(&format!(
            r#"{{"targets":[{{"metric":"serviceLevel","goal":80,"thresholdSecs":{threshold}}}]}}"#
        ))
        .unwrap()
        .validate()
        .unwrap();
        weekly_profile(&cms, &terms, &CapacityOptions::default())
            .cells
            .iter()
            .filter_map(|cell| cell.service_level)
            .count()
    };
    // Monday 08:00 holds all three rows: 20 s is an edge, 15 s is not (never 0 %).
    assert_eq!((levels(20), levels(15)), (1, 0));
}

/// How the contact table behind a push-down test is laid out.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Table {
    /// An arrival timestamp, a wait, an outcome and a handle time, with rows the import skips
    /// (a negative wait, a negative handle time, an FCR neither yes nor no).
    Plain,
    /// The handle time as talk, hold and wrap (an empty hold counts 0 beside the others), and
    /// a row the import skips (a negative hold).
    HandleInParts,
    /// The arrival as a date and a time of day; the outcome as an answered yes/no flag (and a
    /// row the import skips: a flag neither yes nor no).
    DateTimeAndFlag,
    /// Arrivals as UTC instants; the wait and the outcome from the answer and hang-up times (and
    /// a row the import skips: answered before it arrived).
    AnswerTimes,
}

impl Table {
    /// The contacts' CSV in this layout, from [`csv_with`]'s.
    fn csv(self, contacts: &[RandomContact], gaps: &[u8]) -> String {
        let csv = csv_with(contacts, gaps, self == Table::AnswerTimes);
        match self {
            Table::Plain => {
                csv + "2026-09-02 10:00,-3,answered,voice,100,yes,4\n\
                       2026-09-02 10:05,12,answered,voice,-5,yes,4\n\
                       2026-09-02 10:10,12,answered,chat,100,perhaps,4\n"
            }
            Table::HandleInParts => {
                rewrite(
                    &csv,
                    "arrived,wait,outcome,channel,talk,hold,wrap,fcr,csat",
                    |cells| {
                        let parts = match cells[4].parse::<u32>() {
                            Ok(handle) if handle % 2 == 0 => format!("{},,10", handle - 10),
                            Ok(handle) => format!("{},5,10", handle - 15),
                            Err(_) => ",,".to_owned(),
                        };
                        [cells[..4].join(","), parts, cells[5..].join(",")].join(",")
                    },
                ) + "2026-09-02 10:00,12,answered,voice,90,-5,10,yes,4\n"
            }
            Table::DateTimeAndFlag => {
                let flag = |outcome: &str| match outcome {
                    "answered" => "yes",
                    "abandoned" => "no",
                    _ => "",
                };
                rewrite(
                    &csv,
                    "date,time of day,wait,answered,channel,handle,fcr,csat",
                    |cells| {
                        let (date, time) = cells[0].split_once(' ').unwrap();
                        [&[date, time, cells[1], flag(cells[2])], &cells[3..]]
                            .concat()
                            .join(",")
                    },
                ) + "2026-09-02,10:15,12,perhaps,voice,100,yes,4\n"
            }
            Table::AnswerTimes => {
                rewrite(
                    &csv,
                    "arrived,answered at,abandoned at,channel,handle,fcr,csat",
                    |cells| {
                        let arrived = chrono::DateTime::parse_from_rfc3339(cells[0]).unwrap();
                        let left = cells[1].parse::<f64>().ok().map(|wait| {
                            (arrived + chrono::Duration::milliseconds((wait * 1000.0) as i64))
                                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                                .to_string()
                        });
                        let (answered, abandoned) = match (cells[2], left) {
                            ("answered", Some(at)) => (at, String::new()),
                            ("abandoned", Some(at)) => (String::new(), at),
                            _ => (String::new(), String::new()),
                        };
                        [&[cells[0], &answered, &abandoned], &cells[3..]]
                            .concat()
                            .join(",")
                    },
                ) + "2026-09-02T10:15:00Z,2026-09-02T10:14:00Z,,voice,100,yes,4\n"
            }
        }
    }

    fn columns(self) -> slacalc::pushdown::WarehouseColumns {
        let column = |name: &str| Some(name.to_owned());
        let common = slacalc::pushdown::WarehouseColumns {
            arrived: column("arrived"),
            wait: column("wait"),
            outcome: column("outcome"),
            handle: column("handle"),
            fcr: column("fcr"),
            csat: column("csat"),
            channel: column("channel"),
            ..Default::default()
        };
        match self {
            Table::Plain => common,
            Table::HandleInParts => slacalc::pushdown::WarehouseColumns {
                handle: None,
                talk: column("talk"),
                hold: column("hold"),
                wrap: column("wrap"),
                ..common
            },
            Table::DateTimeAndFlag => slacalc::pushdown::WarehouseColumns {
                arrived: None,
                arrived_date: column("date"),
                arrived_time: column("time of day"),
                outcome: None,
                answered_flag: column("answered"),
                ..common
            },
            Table::AnswerTimes => slacalc::pushdown::WarehouseColumns {
                wait: None,
                outcome: None,
                answered_at: column("answered at"),
                abandoned_at: column("abandoned at"),
                ..common
            },
        }
    }
}

/// Each line of a CSV after its header, its cells rewritten, under a new header.
fn rewrite(csv: &str, header: &str, row: impl Fn(&[&str]) -> String) -> String {
    let mut rewritten = format!("{header}\n");
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        rewritten.push_str(&row(&cells));
        rewritten.push('\n');
    }
    rewritten
}

/// The warehouse SQL run for real (DOMAIN §9): on the engine named, over generated contacts
/// laid out as `table` (with gaps: no outcome, no wait, a score off the scale), its result
/// read back as an interval report gives the report of the contacts, figure for figure and
/// note for note, in `zone`. Needs Python with the engine (`SLACALC_PUSHDOWN_PYTHON`, set by
/// scripts/test.sh, which installs DuckDB and PySpark); run with `--ignored`.
fn push_down_equals_contacts(
    dialect: slacalc::pushdown::SqlDialect,
    engine: &str,
    table: Table,
    zone: &str,
) {
    use slacalc::input::{ImportOptions, InputShape};
    use slacalc::pushdown::{push_down_sql, PushDown};
    use slacalc::shape::read_input;
    let python = std::env::var("SLACALC_PUSHDOWN_PYTHON")
        .expect("SLACALC_PUSHDOWN_PYTHON names the Python with DuckDB and PySpark (scripts/test.sh installs them)");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut contacts =
        proptest::strategy::ValueTree::current(&random_contacts().new_tree(&mut runner).unwrap());
    let gaps: Vec<u8> = (0..contacts.len())
        .map(|index| [0, 0, 0, NO_OUTCOME, NO_WAIT, OFF_SCALE_SCORE][index % 6])
        .collect();
    // Waits exactly at the edges (20 s and 30 s answered and abandoned, the 5 s short
    // abandon), another outcome, and a contact in the hour 2026-10-25 repeats in Paris; none
    // of them with a gap.
    contacts.extend([
        (600, 40, 0, 0, 100, 2, 5),
        (610, 40, 1, 0, 100, 0, 0),
        (620, 60, 0, 1, 100, 1, 3),
        (630, 60, 1, 1, 100, 0, 0),
        (640, 10, 1, 0, 100, 0, 0),
        (650, 9, 1, 1, 100, 0, 0),
        (660, 4, 2, 0, 100, 2, 4),
        (670, 30, 0, 0, 0, 2, 4),
        (54 * 1440 + 150, 20, 0, 0, 100, 2, 4),
    ]);
    let csv = table.csv(&contacts, &gaps);
    let terms = terms_in(zone, 20, 5, "month");
    let dataset = read_contacts_csv(&csv).unwrap();
    let request = PushDown {
        dialect,
        table: "contacts".to_owned(),
        columns: Some(table.columns()),
        arrived_is_utc: table == Table::AnswerTimes,
        interval_minutes: 30,
        // The generated waits are in half seconds: a histogram at 0.5 s reads them exactly.
        wait_resolution_secs: 0.5,
    };
    let sql = push_down_sql(&request, None, &terms).unwrap();
    // One folder per test: the DuckDB tests run at once in this process.
    let dir = std::env::temp_dir().join(format!(
        "slacalc-pushdown-{engine}-{table:?}-{}-{}",
        zone.replace(['/', ':', '+'], "_"),
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let (sql_path, contacts_path, out_path) = (
        dir.join("query.sql"),
        dir.join("contacts.csv"),
        dir.join("intervals.csv"),
    );
    std::fs::write(&sql_path, &sql).unwrap();
    std::fs::write(&contacts_path, &csv).unwrap();
    let status = std::process::Command::new(python)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/pushdown/run_sql.py"
        ))
        .args([
            engine.as_ref(),
            sql_path.as_os_str(),
            contacts_path.as_os_str(),
            out_path.as_os_str(),
        ])
        .status()
        .unwrap();
    assert!(status.success(), "{engine} failed on:\n{sql}");
    let bytes = std::fs::read(&out_path).unwrap();
    let intervals = read_input(&bytes, &ImportOptions::default(), &mut |_, _| {}).unwrap();
    assert_eq!(intervals.quality().shape, InputShape::Intervals);
    assert_eq!(intervals.quality().rows_skipped, 0);
    // The rows the import skips are left out by the SQL too.
    assert!(dataset.quality.rows_skipped > 0);
    assert_same_figures(&build_report(&dataset, &terms), &intervals.report(&terms)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "needs DuckDB (scripts/test.sh runs it)"]
fn push_down_on_duckdb_gives_the_report_of_the_contacts() {
    use slacalc::pushdown::SqlDialect::DuckDb;
    push_down_equals_contacts(DuckDb, "duckdb", Table::Plain, "Europe/Paris");
}

#[test]
#[ignore = "needs DuckDB (scripts/test.sh runs it)"]
fn push_down_of_talk_hold_and_wrap_on_duckdb_gives_the_report_of_the_contacts() {
    use slacalc::pushdown::SqlDialect::DuckDb;
    push_down_equals_contacts(DuckDb, "duckdb", Table::HandleInParts, "Europe/Paris");
}

#[test]
#[ignore = "needs DuckDB (scripts/test.sh runs it)"]
fn push_down_of_a_date_a_time_and_a_flag_on_duckdb_gives_the_report_of_the_contacts() {
    use slacalc::pushdown::SqlDialect::DuckDb;
    push_down_equals_contacts(DuckDb, "duckdb", Table::DateTimeAndFlag, "Europe/Paris");
}

#[test]
#[ignore = "needs DuckDB (scripts/test.sh runs it)"]
fn push_down_of_instants_and_answer_times_on_duckdb_gives_the_report_of_the_contacts() {
    use slacalc::pushdown::SqlDialect::DuckDb;
    // A named zone across its clock change, and an offset that is not whole hours.
    push_down_equals_contacts(DuckDb, "duckdb", Table::AnswerTimes, "Europe/Paris");
    push_down_equals_contacts(DuckDb, "duckdb", Table::AnswerTimes, "+05:30");
}

#[test]
#[ignore = "needs PySpark and Java (scripts/test.sh runs it)"]
fn push_down_on_spark_gives_the_report_of_the_contacts() {
    use slacalc::pushdown::SqlDialect::Spark;
    push_down_equals_contacts(Spark, "spark", Table::Plain, "Europe/Paris");
}

#[test]
#[ignore = "needs PySpark and Java (scripts/test.sh runs it)"]
fn push_down_of_a_date_a_time_and_a_flag_on_spark_gives_the_report_of_the_contacts() {
    use slacalc::pushdown::SqlDialect::Spark;
    push_down_equals_contacts(Spark, "spark", Table::DateTimeAndFlag, "Europe/Paris");
}

#[test]
#[ignore = "needs PySpark and Java (scripts/test.sh runs it)"]
fn push_down_of_instants_and_answer_times_on_spark_gives_the_report_of_the_contacts() {
    use slacalc::pushdown::SqlDialect::Spark;
    push_down_equals_contacts(Spark, "spark", Table::AnswerTimes, "+05:30");
}
