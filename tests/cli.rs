//! The command line as a script uses it: each command on a small fixture, standard input, a
//! bad file's one-line message and exit code. Built with `--features cli`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn slacalc(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_slacalc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn report_json_is_the_document_the_page_exports() {
    let output = slacalc(
        &[
            "report",
            "--format",
            "json",
            "--terms",
            "tests/data/kpis/terms.json",
            "tests/data/kpis/european.csv",
        ],
        None,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/kpis/european.report.json").unwrap(),
    )
    .unwrap();
    assert_eq!(printed, golden);
}

/// The command line counts contacts into interval rows as it reads them when the terms need
/// nothing else (its memory stays bounded however big the file): the report is still the held
/// contacts' report, to the character.
#[test]
fn contacts_counted_as_read_are_reported_as_the_page_reports_them_held() {
    let (data, terms) = (
        "www/sample/contacts.csv",
        "www/examples/credits-practice.json",
    );
    let output = slacalc(
        &["report", "--format", "json", "--terms", terms, data],
        None,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let terms = slacalc::RawTerms::from_json(&std::fs::read_to_string(terms).unwrap())
        .and_then(|raw| raw.validate())
        .unwrap();
    assert!(slacalc::intervals::Reduction::exactly_for(&terms).is_ok());
    let held = slacalc::read_contacts_csv(&std::fs::read_to_string(data).unwrap()).unwrap();
    assert_eq!(
        text(&output.stdout),
        slacalc::build_report(&held, &terms).to_json() + "\n"
    );
}

#[test]
fn the_schema_file_is_what_the_cli_prints() {
    let output = slacalc(&["schema"], None);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let path = "www/report.schema.json";
    if std::env::var_os("SLACALC_UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &output.stdout).unwrap();
    }
    assert!(
        text(&output.stdout) == std::fs::read_to_string(path).unwrap(),
        "{path} is not what `slacalc schema` prints (SLACALC_UPDATE_GOLDEN=1 rewrites it)"
    );
}

/// The schema file, compiled by a validator independent of the generator that wrote it.
fn report_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("www/report.schema.json").unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn problems(validator: &jsonschema::Validator, document: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

#[test]
fn the_json_report_of_every_input_shape_validates_against_the_schema() {
    let validator = report_validator();
    for (data, terms) in [
        (
            "www/sample/contacts.csv",
            "www/examples/credits-practice.json",
        ),
        (
            "tests/data/engine/tickets.csv",
            "www/examples/helpdesk.json",
        ),
        (
            "tests/data/intervals/cms-split-skill.csv",
            "tests/data/intervals/terms.json",
        ),
        ("tests/data/kpis/european.csv", "tests/data/kpis/terms.json"),
    ] {
        let output = slacalc(
            &["report", "--format", "json", "--terms", terms, data],
            None,
        );
        assert!(output.status.success(), "{data}: {}", text(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["version"], 1, "{data}");
        assert_eq!(
            problems(&validator, &report),
            Vec::<String>::new(),
            "{data}"
        );
    }
    // The goldens are what the wasm build returns too (tests/node/native-agreement).
    for entry in std::fs::read_dir("tests/data").unwrap() {
        for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.to_string_lossy().ends_with(".report.json") {
                let golden: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                let found = problems(&validator, &golden);
                assert_eq!(found, Vec::<String>::new(), "{}", path.display());
            }
        }
    }
}

#[test]
fn the_schema_refuses_another_version_a_missing_part_and_money_as_a_float() {
    let validator = report_validator();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/kpis/european.report.json").unwrap(),
    )
    .unwrap();
    let mut later = golden.clone();
    later["version"] = 2.into();
    let mut partial = golden.clone();
    partial.as_object_mut().unwrap().remove("targets");
    let mut float_money = golden.clone();
    float_money["credits"]["totals"]["net"] = 233_400.0.into();
    for (what, document) in [
        ("version 2", later),
        ("no targets", partial),
        ("money as a number", float_money),
    ] {
        assert!(!problems(&validator, &document).is_empty(), "{what} passed");
    }
}

#[test]
fn report_reads_standard_input_and_prints_a_readable_table() {
    let summary = std::fs::read("tests/data/kpis/monthly-summary.csv").unwrap();
    let output = slacalc(
        &["report", "--terms", "tests/data/kpis/terms.json", "-"],
        Some(&summary),
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let table = text(&output.stdout);
    assert!(table.starts_with(
        "Monthly KPI report — credits demo · periods in UTC\n6 rows read, 6 used, 0 skipped\n"
    ));
    assert!(table.contains(
        "  2026-03                      74.5 %  MISSED      74.5 % as reported (line 4)\n"
    ));
    assert!(
        table.contains("Total: fees 240,000.00, credits 6,600.00, bonus 0.00, net 233,400.00 EUR")
    );
}

#[test]
fn report_csv_has_a_row_per_target_and_period() {
    let output = slacalc(
        &[
            "report",
            "--format",
            "csv",
            "tests/data/intervals/cms-split-skill.csv",
        ],
        None,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let csv = text(&output.stdout);
    // The default terms: 80 % in 20 s, monthly; 99 answered within 20 s of 135 (tests/intervals.rs).
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.starts_with("Service level ≥ 80 % in 20 s,all contacts,2026-03,73.33"),
        "{row}"
    );
}

#[test]
fn suggest_prints_goals_as_json() {
    let output = slacalc(
        &[
            "suggest",
            "--terms",
            "tests/data/kpis/terms.json",
            "tests/data/kpis/monthly-summary.csv",
        ],
        None,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let suggestions: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let balanced = &suggestions[0]["suggestions"][1];
    assert_eq!(
        (balanced["level"].as_str(), balanced["goal"].as_f64()),
        (Some("balanced"), Some(78.0))
    );
}

#[test]
fn sql_writes_the_push_down_for_the_table_behind_an_extract() {
    let output = slacalc(
        &[
            "sql",
            "--dialect",
            "postgresql",
            "--table",
            "crm.calls",
            "www/sample/contacts.csv",
        ],
        None,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let sql = text(&output.stdout);
    assert!(sql.contains(
        "date_bin(INTERVAL '30 minutes', CAST(\"arrived\" AS TIMESTAMP), TIMESTAMP '2000-01-01')"
    ));
    assert!(sql.contains("FROM crm.calls"));
    assert!(sql.contains("AS \"Answered within 20s\""));
    // The default terms name no channel or priority: the sample's columns are not grouped by.
    assert!(!sql.contains("\"channel\"") && !sql.contains("\"priority\""));
    // Exports that split the arrival into a date and a time and say "answered" with a flag,
    // or give answer and hang-up times instead of a wait: the SQL reads them as the import does.
    let split = slacalc(
        &[
            "sql",
            "--dialect",
            "duckdb",
            "tests/data/import/date-and-time-columns.csv",
        ],
        None,
    );
    assert!(split.status.success(), "{}", text(&split.stderr));
    let sql = text(&split.stdout);
    assert!(sql.contains(
        "CONCAT(CAST(CAST(\"Date\" AS DATE) AS VARCHAR), ' ', COALESCE(CAST(CAST(\"Time\" AS TIME) AS VARCHAR), '00:00:00'))"
    ));
    assert!(sql.contains("lower(trim(CAST(\"Answered (Y/N)\" AS VARCHAR))) IN ('yes'"));
    let times = slacalc(
        &[
            "sql",
            "--dialect",
            "duckdb",
            "tests/data/import/answered-at.csv",
        ],
        None,
    );
    assert!(times.status.success(), "{}", text(&times.stderr));
    assert!(text(&times.stdout).contains(
        "date_diff('microsecond', CAST(\"arrived\" AS TIMESTAMP), COALESCE(CAST(\"answered_at\" AS TIMESTAMP), CAST(\"abandoned_at\" AS TIMESTAMP)))"
    ));
    // An interval report is no table of contacts: said, exit 1.
    let summary = slacalc(
        &[
            "sql",
            "--dialect",
            "duckdb",
            "tests/data/intervals/cms-split-skill.csv",
        ],
        None,
    );
    assert_eq!(summary.status.code(), Some(1));
    assert!(text(&summary.stderr).contains("written for a table of contacts"));
}

#[test]
fn erlang_gives_the_textbook_figures() {
    // DOMAIN §7: 100 calls per 30 min, AHT 180 s, 80/20 → 14 agents, 88.8 %, 7.84 s, 71.4 %;
    // 20 scheduled at 30 % shrinkage.
    let output = slacalc(
        &[
            "erlang",
            "--contacts",
            "100",
            "--aht",
            "180",
            "--goal",
            "80",
            "--shrinkage",
            "30",
        ],
        None,
    );
    assert!(output.status.success());
    assert_eq!(
        text(&output.stdout),
        "Traffic: 10.00 Erlangs\nFor 80 % in 20 s: 14 agents: service level 88.8 % in 20 s, ASA 7.8 s, occupancy 71.4 %, 20 scheduled at 30 % shrinkage\n"
    );
    let twelve = slacalc(
        &[
            "erlang",
            "--contacts",
            "100",
            "--aht",
            "180",
            "--agents",
            "12",
        ],
        None,
    );
    assert!(text(&twelve.stdout).contains("12 agents: service level 64.0 % in 20 s, ASA 40.4 s"));
    let neither = slacalc(&["erlang", "--contacts", "100", "--aht", "180"], None);
    assert_eq!(neither.status.code(), Some(2));
}

#[test]
fn a_bad_file_says_which_row_and_column_in_one_line() {
    let empty = slacalc(&["report", "-"], Some(b""));
    assert_eq!(empty.status.code(), Some(1));
    let message = text(&empty.stderr);
    assert!(
        message.starts_with("slacalc: standard input: The data is empty"),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1);

    let missing = slacalc(&["report", "no/such/file.csv"], None);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).starts_with("slacalc: no/such/file.csv: "));

    // Rows skipped: listed by line and column on stderr; the report still computes (exit 0),
    // unless --strict (exit 3).
    let bad = slacalc(&["report", "tests/data/kpis/bad-values.csv"], None);
    assert!(bad.status.success());
    assert!(text(&bad.stderr).contains(
        "slacalc: tests/data/kpis/bad-values.csv: 2 rows skipped: column \"SL %\": unreadable value"
    ));
    let strict = slacalc(
        &["report", "--strict", "tests/data/kpis/bad-values.csv"],
        None,
    );
    assert_eq!(strict.status.code(), Some(3));

    let bad_terms = slacalc(
        &[
            "report",
            "--terms",
            "Cargo.toml",
            "tests/data/kpis/european.csv",
        ],
        None,
    );
    assert_eq!(bad_terms.status.code(), Some(1));
    assert!(text(&bad_terms.stderr).starts_with("slacalc: Cargo.toml: "));
}
