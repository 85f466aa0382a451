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
