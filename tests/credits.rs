//! Credits and bonuses end to end (DOMAIN §6), on months whose service level is set exactly:
//! each month has `total` answered calls of which `within` waited 10 s and the rest 60 s, so
//! its service level in 20 s is `within / total`. Every amount below is computed by hand.

use slacalc::compliance::Status;
use slacalc::credits::{CreditsReport, EarnBack};
use slacalc::{build_report, read_contacts_csv, RawTerms};

/// Calls of 2026, month by month: `(within 20 s, total)`; answered, on the 2nd of the month.
fn months(levels: &[(u32, u32)]) -> String {
    let mut csv = String::from("arrived,wait,outcome,channel\n");
    for (index, &(within, total)) in levels.iter().enumerate() {
        for call in 0..total {
            let wait = if call < within { 10 } else { 60 };
            csv.push_str(&format!(
                "2026-{:02}-02 {:02}:{:02}:00,{wait},answered,voice\n",
                index + 1,
                8 + call / 60 % 12,
                call % 60
            ));
        }
    }
    csv
}

fn credits(csv: &str, terms: &str) -> CreditsReport {
    let dataset = read_contacts_csv(csv).unwrap();
    let terms = RawTerms::from_json(terms).unwrap().validate().unwrap();
    build_report(&dataset, &terms)
        .credits
        .expect("the terms have money clauses")
}

fn amounts(report: &CreditsReport) -> Vec<Vec<String>> {
    report
        .periods
        .iter()
        .map(|period| {
            period
                .lines
                .iter()
                .map(|line| line.amount.plain())
                .collect()
        })
        .collect()
}

const TIERED: &str = r#"{"currency":"EUR","feePerPeriod":40000,"targets":[
    {"metric":"serviceLevel","goal":80,"thresholdSecs":20,
     "credit":{"tiers":[{"shortfallAtLeast":0,"percent":2},{"shortfallAtLeast":5,"percent":5},
                        {"shortfallAtLeast":10,"percent":10}]}}]}"#;

#[test]
fn each_tier_starts_exactly_at_its_threshold() {
    // 80.0 % met: no line. 75.0 %: shortfall exactly 5 → 5 % of 40,000.00 = 2,000.00.
    // 75.1 %: shortfall 4.9 → the 2 % tier = 800.00. 70.0 %: shortfall 10 → 10 % = 4,000.00.
    let csv = months(&[(800, 1000), (750, 1000), (751, 1000), (700, 1000)]);
    let report = credits(&csv, TIERED);
    assert_eq!(
        amounts(&report),
        [vec![], vec!["2000.00"], vec!["800.00"], vec!["4000.00"]]
    );
    assert_eq!(
        report.periods[1].lines[0].explanation,
        "Service level ≥ 80 % in 20 s: 75 % vs ≥ 80 %: shortfall 5 pts → tier ≥ 5 pts → 5 % of 40,000.00 = 2,000.00"
    );
    assert_eq!(report.periods[3].net.plain(), "36000.00");
    assert_eq!(
        report.periods[3].net_explanation,
        "40,000.00 − 4,000.00 credits + 0.00 bonus = 36,000.00"
    );
    // Totals are sums of the lines; a year of this history is 12 / 4 of it.
    assert_eq!(report.totals.credits.plain(), "6800.00");
    assert_eq!(report.totals.net.plain(), "153200.00");
    assert_eq!(report.totals.annualised.credits.plain(), "20400.00");
}

#[test]
fn a_miss_below_the_first_tier_owes_nothing() {
    let terms = r#"{"feePerPeriod":1000,"targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20,
        "credit":{"tiers":[{"shortfallAtLeast":1,"percent":2}]}}]}"#;
    let report = credits(&months(&[(795, 1000)]), terms);
    let line = &report.periods[0].lines[0];
    assert_eq!(
        (line.status, line.amount.plain()),
        (Status::Missed, "0.00".to_owned())
    );
    assert!(line
        .explanation
        .ends_with("shortfall 0.5 pts → below the first tier (≥ 1 pts): no credit"));
}

#[test]
fn cloud_style_tiers_read_the_value_strictly_worse_than() {
    // Availability 99.9 % goal; < 99.9 → 10 %, < 99 → 25 %, < 95 → 100 %. A month of 720 h
    // with a 7.2 h outage is at 99.0 % exactly: not worse than 99, so 10 %.
    let terms = r#"{"feePerPeriod":500,"availability":{"outages":[
          {"start":"2026-09-10T00:00","end":"2026-09-10T07:12"},
          {"start":"2026-10-10T00:00","end":"2026-10-10T08:00"}]},
        "targets":[{"metric":"availability","goal":99.9,"credit":{"tiers":[
          {"worseThan":99.9,"percent":10},{"worseThan":99,"percent":25},{"worseThan":95,"percent":100}]}}]}"#;
    let report = credits("arrived\n2026-09-15 10:00\n2026-10-15 10:00\n", terms);
    assert_eq!(amounts(&report), [vec!["50.00"], vec!["125.00"]]);
    assert!(report.periods[0].lines[0]
        .explanation
        .contains("tier worse than 99.9 % → 10 %"));
}

#[test]
fn a_linear_rule_is_capped_per_target() {
    // ASA ≤ 30 s at 2 % of 1,000.00 per second over. 30 calls: 15 at 10 s and 15 at 60 s →
    // ASA 35 s, 5 s over → 10 %, capped at 5 % → 50.00.
    let terms = r#"{"feePerPeriod":1000,"targets":[{"metric":"asa","goal":30,
        "credit":{"percentPerUnit":2,"capPercent":5}}]}"#;
    let report = credits(&months(&[(15, 30)]), terms);
    let line = &report.periods[0].lines[0];
    assert_eq!(line.amount.plain(), "50.00");
    assert_eq!(
        line.explanation,
        "ASA ≤ 30 s: 35 s vs ≤ 30 s: shortfall 5 s → 5 × 2 % per s = 10 %, capped at 5 % of 1,000.00 = 50.00"
    );
}

#[test]
fn a_binding_cap_reduces_lines_pro_rata_to_exactly_the_cap() {
    // Three targets owe 10 % each of 1,000.00 (300.00 in all); the cap is 10 % = 100.00.
    // Pro rata each keeps a third: 33.333… → 33.34, 33.33, 33.33 (the remainder cent to the
    // first), summing to exactly 100.00.
    let target = r#"{"metric":"serviceLevel","goal":90,"thresholdSecs":20,
        "credit":{"tiers":[{"shortfallAtLeast":0,"percent":10}]}}"#;
    let terms = format!(
        r#"{{"feePerPeriod":1000,"credits":{{"capPercent":10}},"targets":[{target},{target},{target}]}}"#
    );
    let report = credits(&months(&[(80, 100)]), &terms);
    let period = &report.periods[0];
    assert_eq!(amounts(&report), [vec!["33.34", "33.33", "33.33"]]);
    assert_eq!(period.credits_before_cap.plain(), "300.00");
    assert_eq!(period.credits.plain(), "100.00");
    assert_eq!(
        period.cap_explanation.as_deref(),
        Some("credits 300.00 exceed the cap of 10 % of 1,000.00 = 100.00: every line reduced in proportion to its amount, to a total of exactly 100.00")
    );
    // In order: the first target keeps its 100.00, the others nothing.
    let in_order = terms.replace(
        r#""capPercent":10"#,
        r#""capPercent":10,"capRule":"inOrder""#,
    );
    assert_eq!(
        amounts(&credits(&months(&[(80, 100)]), &in_order)),
        [vec!["100.00", "0.00", "0.00"]]
    );
}

#[test]
fn the_bonus_needs_every_judged_target_beaten_by_the_relative_margin() {
    // Goal 80 %, bonus at 10 % better (88 %): 880 of 1,000 earns 2 % of 40,000.00 = 800.00;
    // 879 (87.9 %, 9.875 % better) earns nothing.
    let terms = r#"{"feePerPeriod":40000,"credits":{"bonus":{"relativeMarginPercent":10,"percent":2}},
        "targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20}]}"#;
    let report = credits(&months(&[(880, 1000), (879, 1000)]), terms);
    assert_eq!(report.periods[0].bonus.plain(), "800.00");
    assert_eq!(report.periods[0].net.plain(), "40800.00");
    assert_eq!(report.periods[1].bonus.plain(), "0.00");
    assert_eq!(
        report.periods[1].bonus_explanation,
        "no bonus: Service level ≥ 80 % in 20 s: 87.9 % in 2026-02 is 9.9 % better than its goal (the bonus needs 10 %)"
    );
    // A bonus cap holds it at its amount.
    let capped = terms.replace(r#""percent":2}"#, r#""percent":2,"capAmount":500}"#);
    assert_eq!(
        credits(&months(&[(880, 1000)]), &capped).periods[0]
            .bonus
            .plain(),
        "500.00"
    );
}

#[test]
fn earn_back_waives_a_credit_only_after_the_next_periods_are_met() {
    // Earn-back over 2 periods. January missed, February and March met → January waived.
    // April missed, May missed → April due. May missed, then June met only → May pending.
    let terms = r#"{"feePerPeriod":1000,"credits":{"earnBackPeriods":2},"targets":[
        {"metric":"serviceLevel","goal":80,"thresholdSecs":20,
         "credit":{"tiers":[{"shortfallAtLeast":0,"percent":10}]}}]}"#;
    let csv = months(&[
        (70, 100),
        (90, 100),
        (90, 100),
        (70, 100),
        (70, 100),
        (90, 100),
    ]);
    let report = credits(&csv, terms);
    let states: Vec<(String, EarnBack, String)> = report
        .periods
        .iter()
        .flat_map(|period| period.lines.iter())
        .map(|line| (line.period.clone(), line.earn_back, line.amount.plain()))
        .collect();
    assert_eq!(
        states,
        [
            ("2026-01".to_owned(), EarnBack::Waived, "0.00".to_owned()),
            ("2026-04".to_owned(), EarnBack::Due, "100.00".to_owned()),
            ("2026-05".to_owned(), EarnBack::Pending, "100.00".to_owned()),
        ]
    );
    assert!(report.periods[0].lines[0]
        .explanation
        .ends_with("waived: met in 2026-02, 2026-03 (earn-back)"));
    assert_eq!(report.totals.pending.plain(), "100.00");
    assert_eq!(report.periods[0].net.plain(), "1000.00");
}

#[test]
fn a_period_not_judged_owes_nothing() {
    let terms = r#"{"feePerPeriod":1000,"targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20,
        "minContacts":50,"credit":{"tiers":[{"shortfallAtLeast":0,"percent":10}]}}]}"#;
    let report = credits(&months(&[(1, 10)]), terms);
    let line = &report.periods[0].lines[0];
    assert_eq!(
        (line.status, line.amount.plain()),
        (Status::NotJudged, "0.00".to_owned())
    );
    assert_eq!(
        line.explanation,
        "not judged (10 contacts, fewer than the minimum of 50): owes nothing"
    );
}

#[test]
fn half_cents_round_away_from_zero_per_line() {
    // 2.5 % of 10.20 is 0.255 → 0.26; fees per period override feePerPeriod.
    let terms = r#"{"feePerPeriod":1000,"credits":{"fees":{"2026-01":10.20}},"targets":[
        {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"credit":{"tiers":[{"shortfallAtLeast":0,"percent":2.5}]}}]}"#;
    let report = credits(&months(&[(1, 10), (1, 10)]), terms);
    assert_eq!(amounts(&report), [vec!["0.26"], vec!["25.00"]]);
    assert_eq!(report.totals.fees.plain(), "1010.20");
    assert_eq!(report.totals.net.plain(), "984.94");
}

#[test]
fn yen_have_no_minor_unit() {
    let terms = r#"{"currency":"JPY","feePerPeriod":1000001,"targets":[{"metric":"serviceLevel","goal":80,
        "thresholdSecs":20,"credit":{"tiers":[{"shortfallAtLeast":0,"percent":5}]}}]}"#;
    // 5 % of 1,000,001 yen = 50,000.05 → 50,000.
    assert_eq!(
        amounts(&credits(&months(&[(1, 10)]), terms)),
        [vec!["50000"]]
    );
}

#[test]
fn money_clauses_without_a_fee_are_refused() {
    let refusal = RawTerms::from_json(
        r#"{"targets":[{"metric":"asa","goal":30,"credit":{"percentPerUnit":1}}]}"#,
    )
    .unwrap()
    .validate()
    .unwrap_err();
    assert!(refusal
        .to_string()
        .starts_with("Terms: feePerPeriod: credits are a share of the fee"));
    let unordered = RawTerms::from_json(
        r#"{"feePerPeriod":1,"targets":[{"metric":"asa","goal":30,"credit":{"tiers":[
            {"shortfallAtLeast":5,"percent":5},{"shortfallAtLeast":1,"percent":2}]}}]}"#,
    )
    .unwrap()
    .validate()
    .unwrap_err();
    assert_eq!(
        unordered.to_string(),
        "Terms: targets[0].credit.tiers[1]: tiers are listed from the smallest shortfall to the largest"
    );
}

#[test]
fn the_csv_export_carries_every_amount_with_its_explanation() {
    let report = credits(&months(&[(750, 1000)]), TIERED);
    let csv = report.to_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "period,item,target period,status,amount,currency,explanation"
    );
    assert_eq!(lines[1], "2026-01,fee,,,40000.00,EUR,");
    assert_eq!(
        lines[2],
        "2026-01,Service level ≥ 80 % in 20 s,2026-01,due,-2000.00,EUR,\"Service level ≥ 80 % in 20 s: 75 % vs ≥ 80 %: shortfall 5 pts → tier ≥ 5 pts → 5 % of 40,000.00 = 2,000.00\""
    );
    assert!(lines.contains(&"total,net,,,38000.00,EUR,"));
}

#[test]
fn each_line_names_its_band_and_rate() {
    let report = credits(&months(&[(750, 1000)]), TIERED);
    let line = &report.periods[0].lines[0];
    assert_eq!(
        (line.tier.as_deref(), line.rate.as_deref(), line.shortfall),
        (Some("≥ 5 pts"), Some("5 %"), Some(5.0))
    );
    assert_eq!(line.before_cap.plain(), "2000.00");
}
