//! The report as files a person keeps: JSON (the same document the page and the API return) and
//! CSV (one row per target and period, the long format a spreadsheet pivots).

use crate::compliance::Status;
use crate::report::Report;
use crate::target::{Direction, Unit};
use crate::text::spreadsheet_safe;

const CSV_HEADER: [&str; 14] = [
    "target",
    "scope",
    "period",
    "value",
    "unit",
    "goal",
    "direction",
    "status",
    "margin",
    "contacts",
    "excluded",
    "part",
    "whole",
    "calculation",
];

impl Report {
    /// The report as indented JSON text.
    pub fn to_json(&self) -> String {
        // A report is plain data (strings, numbers, no maps with non-string keys): serialising
        // it cannot fail, and an empty document would only mean that had changed.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// One row per target and period: the value with full precision, the goal, the verdict and
    /// the arithmetic, or why the period was not judged.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = writer.write_record(CSV_HEADER);
        let number = |value: Option<f64>| value.map(|value| value.to_string()).unwrap_or_default();
        for target in &self.targets {
            let unit = match target.unit {
                Unit::Percent => "percent",
                Unit::Seconds => "seconds",
                Unit::Score => "score",
            };
            let direction = match target.direction {
                Direction::AtLeast => "at least",
                Direction::AtMost => "at most",
            };
            for result in &target.results {
                let status = match result.judgement.status {
                    Status::Met => "met",
                    Status::Missed => "missed",
                    Status::NotJudged => "not judged",
                };
                let excluded: u32 = result.excluded.iter().map(|count| count.contacts).sum();
                let explanation = result
                    .judgement
                    .not_judged_because
                    .as_deref()
                    .unwrap_or(&result.calculation);
                let record = [
                    target.label.as_str(),
                    &target.scope,
                    &result.period,
                    &number(result.actual),
                    unit,
                    &target.goal.to_string(),
                    direction,
                    status,
                    &number(result.judgement.margin),
                    &result.contacts.map(|c| c.to_string()).unwrap_or_default(),
                    &excluded.to_string(),
                    &number(result.ratio.map(|ratio| ratio.part)),
                    &number(result.ratio.map(|ratio| ratio.whole)),
                    explanation,
                ];
                // Labels and scope values come from the user's terms: defused for spreadsheets.
                let _ = writer.write_record(record.map(spreadsheet_safe));
            }
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}
