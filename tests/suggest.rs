//! Realistic targets end to end (DOMAIN §7) on the bundled sample: history, suggestions at
//! three confidence levels, and exposure replayed through the credits engine.

use slacalc::period::PeriodKind;
use slacalc::suggest::suggest;
use slacalc::{build_report, read_contacts_csv, RawTerms};

fn sample_and(terms: &str) -> (slacalc::Dataset, slacalc::Terms) {
    let dataset =
        read_contacts_csv(&std::fs::read_to_string("www/sample/contacts.csv").unwrap()).unwrap();
    let terms = RawTerms::from_json(&std::fs::read_to_string(terms).unwrap())
        .unwrap()
        .validate()
        .unwrap();
    (dataset, terms)
}

#[test]
fn three_months_are_read_week_by_week_and_suggest_easier_goals_at_higher_confidence() {
    let (dataset, terms) = sample_and("www/examples/credits-practice.json");
    let suggestions = suggest(&dataset, &terms);
    let service_level = &suggestions[0];
    // Fewer than 6 months: weekly history, 14 ISO weeks from 2026-W31 to 2026-W44.
    assert_eq!(service_level.history_period, PeriodKind::IsoWeek);
    assert_eq!(service_level.history.len(), 14);
    let summary = service_level.summary.as_ref().unwrap();
    let goals: Vec<f64> = service_level.suggestions.iter().map(|s| s.goal).collect();
    assert_eq!(
        service_level
            .suggestions
            .iter()
            .map(|s| s.level.as_str())
            .collect::<Vec<_>>(),
        ["safe", "balanced", "stretch"]
    );
    // Service level is ≥: safer means lower, and none is above the best week.
    assert!(goals[0] <= goals[1] && goals[1] <= goals[2], "{goals:?}");
    assert!(
        goals.iter().all(|goal| *goal <= summary.best),
        "{goals:?} vs {}",
        summary.best
    );
    for suggestion in &service_level.suggestions {
        let confidence = suggestion.confidence.unwrap();
        // Rounded down to a whole point, each was met in at least its confidence of weeks.
        assert_eq!(suggestion.goal.fract(), 0.0);
        assert!(f64::from(suggestion.met) * 100.0 >= confidence * f64::from(suggestion.judged));
        let breach = suggestion.breach_probability.unwrap();
        assert!(
            (breach
                - 100.0 * f64::from(suggestion.judged - suggestion.met)
                    / f64::from(suggestion.judged))
            .abs()
                < 1e-9
        );
    }
    // ASA ≤: safer means higher; the buffer rule rounds mean + 5 s up to 5 s.
    let asa = &suggestions[1];
    assert!(asa.suggestions[0].goal >= asa.suggestions[2].goal);
    let mean = asa.summary.as_ref().unwrap().mean;
    let buffer = asa.buffer_goal.unwrap();
    assert!(
        buffer >= mean + 5.0 && buffer < mean + 10.0 && buffer % 5.0 == 0.0,
        "{mean} → {buffer}"
    );
}

#[test]
fn exposure_replays_equal_the_credits_engine() {
    let (dataset, terms) = sample_and("www/examples/credits-practice.json");
    let suggestions = suggest(&dataset, &terms);
    let credits = build_report(&dataset, &terms).credits.unwrap();
    for (index, target) in suggestions.iter().enumerate() {
        // The current goal's exposure is the report's own credits for that target.
        let per_period: Vec<i64> = credits
            .periods
            .iter()
            .map(|period| {
                period
                    .lines
                    .iter()
                    .filter(|line| line.target == index)
                    .map(|line| line.amount.minor)
                    .sum()
            })
            .collect();
        let worst = *per_period.iter().max().unwrap();
        let total: i64 = per_period.iter().sum();
        let expected = (total as f64 / per_period.len() as f64).round() as i64;
        assert_eq!(
            target.current.worst_credit.unwrap().minor,
            worst,
            "{}",
            target.label
        );
        assert_eq!(
            target.current.expected_credit.unwrap().minor,
            expected,
            "{}",
            target.label
        );
    }
    // The service level's current goal cost 2,000.00 in September only: 666.67 a month.
    assert_eq!(
        suggestions[0].current.expected_credit.unwrap().plain(),
        "666.67"
    );
}

#[test]
fn too_little_history_is_said_not_guessed() {
    let dataset = read_contacts_csv(
        "arrived,wait,outcome\n2026-09-01 10:00,5,answered\n2026-10-01 10:00,50,answered\n",
    )
    .unwrap();
    let terms = RawTerms::from_json(r#"{"targets":[{"metric":"asa","goal":30}]}"#)
        .unwrap()
        .validate()
        .unwrap();
    let suggestions = suggest(&dataset, &terms);
    assert!(suggestions[0].suggestions.is_empty());
    assert_eq!(
        suggestions[0].not_suggested_because.as_deref(),
        Some("2 judged weeks of history: at least 3 are needed to suggest a goal")
    );
    assert_eq!(
        (suggestions[0].current.met, suggestions[0].current.judged),
        (1, 2)
    );
}

/// Terms with money on every kind of target a replay treats apart: one measured apart from
/// its goal (service level, ASA), one measured at it (interval attainment), and a percentile —
/// apart from its goal on contacts, at it on an interval report's edges.
const REPLAYED_TERMS: &str = r#"{
  "version": 1, "timeZone": "UTC", "currency": "EUR", "feePerPeriod": 10000, "period": "month",
  "credits": { "capPercent": 12 },
  "targets": [
    { "metric": "serviceLevel", "goal": 80, "thresholdSecs": 20,
      "credit": { "tiers": [{ "shortfallAtLeast": 0, "percent": 3 }, { "shortfallAtLeast": 5, "percent": 6 }] } },
    { "metric": "serviceLevel", "goal": 80, "thresholdSecs": 20, "minContacts": 3,
      "intervalAttainment": { "interval": "interval60", "goal": 75 },
      "credit": { "percentPerUnit": 0.2, "capPercent": 4 } },
    { "metric": "waitPercentile", "goal": 60, "percentile": 90,
      "credit": { "percentPerUnit": 0.1, "capPercent": 5 } },
    { "metric": "asa", "goal": 15, "credit": { "percentPerUnit": 0.5, "capPercent": 5 } }
  ]
}"#;

/// An interval report counting answered waits within 12 and 18 s only: weeks whose p90 is
/// within 12 s and weeks within 18 s, so the stretch goal rounds to 15 s, where the report
/// counts nothing — not computable there, and no credit, where re-judging 18 s would miss.
const ODD_EDGES: &str =
    "Interval,Queue,Offered,Answered,Abandoned,Answered 0-12 s,Answered 13-18 s,Answered 19+ s
2026-03-02 09:00,Support,10,10,0,10,0,0
2026-03-09 09:00,Support,10,10,0,5,5,0
2026-03-16 09:00,Support,10,10,0,10,0,0
2026-04-06 09:00,Support,10,10,0,5,5,0
2026-04-13 09:00,Support,10,10,0,10,0,0
2026-04-20 09:00,Support,10,10,0,5,5,0
";
const ODD_EDGES_TERMS: &str = r#"{
  "version": 1, "timeZone": "UTC", "currency": "EUR", "feePerPeriod": 10000, "period": "month",
  "credits": {},
  "targets": [
    { "metric": "waitPercentile", "goal": 18, "percentile": 90,
      "credit": { "percentPerUnit": 1, "capPercent": 10 } }
  ]
}"#;

#[test]
fn every_candidate_credit_equals_a_report_with_that_goal() {
    use slacalc::input::ImportOptions;
    use slacalc::money::Money;
    use slacalc::shape::read_input;

    let terms = |json: &str| RawTerms::from_json(json).unwrap().validate().unwrap();
    let file_terms = |path: &str| terms(&std::fs::read_to_string(path).unwrap());
    let file = |path: &'static str| (path, std::fs::read(path).unwrap());
    let cases = [
        (file("www/sample/contacts.csv"), terms(REPLAYED_TERMS)),
        (
            file("www/sample/contacts.csv"),
            file_terms("www/examples/credits-practice.json"),
        ),
        (
            file("tests/data/intervals/genesys-queue-performance.csv"),
            terms(REPLAYED_TERMS),
        ),
        (
            file("tests/data/intervals/cms-hsplit-increments.csv"),
            terms(REPLAYED_TERMS),
        ),
        (
            file("tests/data/kpis/monthly-summary.csv"),
            file_terms("tests/data/kpis/terms.json"),
        ),
        (
            ("edges at 12 and 18 s", ODD_EDGES.as_bytes().to_vec()),
            terms(ODD_EDGES_TERMS),
        ),
    ];
    let mut replayed = 0;
    for ((path, bytes), terms) in cases {
        let input = read_input(&bytes, &ImportOptions::default(), &mut |_, _| {}).unwrap();
        for (index, suggestions) in input.suggest(&terms).iter().enumerate() {
            let candidates = std::iter::once(&suggestions.current).chain(&suggestions.suggestions);
            for candidate in candidates {
                // The reference: the whole report under the terms with this goal.
                let mut at_goal = terms.clone();
                at_goal.targets[index].goal = candidate.goal;
                let credits = input.report(&at_goal).credits;
                let per_period: Vec<Money> = credits
                    .iter()
                    .flat_map(|credits| &credits.periods)
                    .filter(|period| period.fee.is_some())
                    .map(|period| {
                        let lines = period.lines.iter().filter(|line| line.target == index);
                        Money::total(lines.map(|line| line.amount), period.fee.unwrap().digits)
                    })
                    .collect();
                let expected = (!per_period.is_empty() && terms.targets[index].credit.is_some())
                    .then(|| {
                        let digits = per_period[0].digits;
                        let total = Money::total(per_period.iter().copied(), digits);
                        let worst = per_period.iter().copied().max().unwrap();
                        (total.scaled(1, per_period.len() as i128), worst)
                    });
                let context = format!("{path}: {} at {}", suggestions.label, candidate.goal);
                assert_eq!(
                    candidate.expected_credit.zip(candidate.worst_credit),
                    expected,
                    "{context}"
                );
                replayed += usize::from(expected.is_some());
            }
        }
    }
    // Every case above owes credits somewhere: the comparison ran, not only on nothing.
    assert!(replayed >= 40, "{replayed} candidates replayed");
}
