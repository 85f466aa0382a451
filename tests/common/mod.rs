//! What several integration tests share.
// Every test binary compiles this module and uses a part of it.
#![allow(dead_code)]

pub mod invariants;

use serde_json::Value;

/// Compares `value` with the golden JSON document at `path`, which the wasm build is checked
/// against too (`tests/node/native-agreement.test.mjs`). `SLACALC_UPDATE_GOLDEN=1` rewrites it.
/// A mismatch names the first path that differs, not two whole documents.
pub fn assert_golden(value: &impl serde::Serialize, path: &str) {
    let value = serde_json::to_value(value).unwrap();
    if std::env::var_os("SLACALC_UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&value).unwrap() + "\n";
        std::fs::write(path, text).unwrap();
    }
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    if let Some(difference) = first_difference(&value, &golden, String::new()) {
        panic!("{path} differs (SLACALC_UPDATE_GOLDEN=1 rewrites it): {difference}");
    }
}

fn first_difference(actual: &Value, expected: &Value, at: String) -> Option<String> {
    match (actual, expected) {
        (Value::Object(actual), Value::Object(expected)) => {
            let keys = actual.keys().chain(expected.keys());
            keys.into_iter()
                .find_map(|key| match (actual.get(key), expected.get(key)) {
                    (Some(a), Some(e)) => first_difference(a, e, format!("{at}.{key}")),
                    (a, e) => Some(format!("{at}.{key}: {} vs golden {}", brief(a), brief(e))),
                })
        }
        (Value::Array(actual), Value::Array(expected)) if actual.len() == expected.len() => actual
            .iter()
            .zip(expected)
            .enumerate()
            .find_map(|(index, (a, e))| first_difference(a, e, format!("{at}[{index}]"))),
        _ if actual == expected => None,
        _ => Some(format!(
            "{at}: {} vs golden {}",
            brief(Some(actual)),
            brief(Some(expected))
        )),
    }
}

fn brief(value: Option<&Value>) -> String {
    let text = value.map_or("(absent)".to_owned(), Value::to_string);
    text.chars().take(120).collect()
}

/// The field the column named `column` feeds in `dataset`'s import.
pub fn field_of(dataset: &slacalc::Dataset, column: &str) -> Option<slacalc::mapping::MappedField> {
    dataset
        .quality
        .columns
        .iter()
        .find(|mapping| mapping.name == column)
        .unwrap_or_else(|| panic!("no column {column}"))
        .field
}

/// The mapping a call log shaped like the public `call-center-2021q1.csv` must get with no help:
/// its fixture in `tests/data/import/` and the real file are checked against the same list.
pub const CALL_CENTER_MAPPING: [(&str, Option<slacalc::mapping::MappedField>); 9] = {
    use slacalc::mapping::MappedField::*;
    [
        ("Date", Some(ArrivedDate)),
        ("Time", Some(ArrivedTime)),
        ("Answered (Y/N)", Some(AnsweredFlag)),
        ("Resolved", Some(Fcr)),
        ("Speed of answer in seconds", Some(Wait)),
        ("AvgTalkDuration", Some(Talk)),
        ("Satisfaction rating", Some(Csat)),
        ("Topic", Some(Queue)),
        ("Agent", None),
    ]
};

/// Asserts every column of `expected` feeds its field.
pub fn assert_mapping(
    dataset: &slacalc::Dataset,
    expected: &[(&str, Option<slacalc::mapping::MappedField>)],
) {
    for (column, field) in expected {
        assert_eq!(field_of(dataset, column), *field, "column {column}");
    }
}

/// The skipped rows of an import as `(reason, column, first lines)`, the way tests compare them.
pub fn skipped_by_reason(
    quality: &slacalc::input::ImportQuality,
) -> Vec<(slacalc::input::SkipReason, &str, Vec<u64>)> {
    quality
        .skipped
        .iter()
        .map(|group| {
            (
                group.reason,
                group.column.as_str(),
                group.first_lines.clone(),
            )
        })
        .collect()
}
