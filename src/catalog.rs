//! The menu of metrics the page's terms editor offers: each metric's plain-language name, the
//! question it answers, its definition as the report states it, and a starter target with
//! common contract values. The page adds targets from this menu; it never invents a metric or
//! an option of its own.

use serde::Serialize;

use crate::measure::definition;
use crate::target::{Direction, Unit};
use crate::terms::{MetricName, RawAvailability, RawTarget, RawTerms};

/// One entry of the menu.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MetricChoice {
    pub metric: MetricName,
    /// As a contract names it: `Service level`, `Average speed of answer`.
    pub name: &'static str,
    /// What it tells, in a sentence a client understands.
    pub question: &'static str,
    /// The formula in words, exactly as the report's definition reads (DOMAIN §3).
    pub definition: String,
    pub unit: Unit,
    pub direction: Direction,
    /// A target with the usual contract values, ready to be edited.
    pub starter: RawTarget,
    /// The options that change this metric's arithmetic (besides scope, period, minimum
    /// volume and interval attainment, which every contact metric takes).
    pub options: &'static [&'static str],
    /// A section the terms must have for this metric, to add when they have none.
    pub needs_section: Option<NeededSection>,
}

/// A top-level section of the terms that a metric reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NeededSection {
    /// Its field in the terms, e.g. `availability`.
    pub field: &'static str,
    /// An empty section to start from.
    pub value: serde_json::Value,
    pub why: &'static str,
}

/// Every metric, in the order the menu lists them.
pub fn metric_catalog() -> Vec<MetricChoice> {
    use MetricName::*;
    type Setup = fn(&mut RawTarget);
    let choices: [(MetricName, &str, &str, f64, Setup); 11] = [
        (
            ServiceLevel,
            "Service level",
            "What share of contacts were answered within a threshold?",
            80.0,
            |target| target.threshold_secs = Some(20.0),
        ),
        (
            Asa,
            "Average speed of answer (ASA)",
            "How long did answered contacts wait, on average?",
            30.0,
            |_| {},
        ),
        (
            AbandonmentRate,
            "Abandonment rate",
            "What share of contacts hung up before being answered?",
            5.0,
            |target| target.short_abandon_secs = Some(5.0),
        ),
        (
            Aht,
            "Average handle time (AHT)",
            "How long did answered contacts take, talk + hold + wrap-up?",
            300.0,
            |_| {},
        ),
        (
            Fcr,
            "First-contact resolution (FCR)",
            "What share of contacts were resolved the first time?",
            70.0,
            |_| {},
        ),
        (
            Csat,
            "Customer satisfaction (CSAT)",
            "How did customers score their contact in the survey?",
            4.0,
            |_| {},
        ),
        (
            WaitPercentile,
            "Wait percentile",
            "How long did the slowest answered contacts wait, e.g. the 90th percentile?",
            60.0,
            |target| target.percentile = Some(90.0),
        ),
        (
            MaxWait,
            "Longest wait",
            "How long did the longest-waiting answered contact wait?",
            300.0,
            |_| {},
        ),
        (
            ResponseWithin,
            "First response within",
            "What share of tickets got a first response within a threshold?",
            90.0,
            |target| target.threshold_secs = Some(3600.0),
        ),
        (
            ResolutionWithin,
            "Resolution within",
            "What share of tickets were resolved within a threshold?",
            90.0,
            |target| target.threshold_secs = Some(86_400.0),
        ),
        (
            Availability,
            "Availability (uptime)",
            "What share of the scheduled time was the service up?",
            99.5,
            |_| {},
        ),
    ];
    choices
        .into_iter()
        .map(|(metric, name, question, goal, setup)| {
            let mut starter = RawTarget::new(metric, goal);
            setup(&mut starter);
            let needs_availability = metric == Availability;
            // The starter, validated as the only target of terms that have what it needs, gives
            // the metric with its defaults: the unit, direction and definition the report uses.
            let terms = RawTerms {
                targets: vec![starter.clone()],
                availability: needs_availability.then(RawAvailability::default),
                ..RawTerms::default()
            };
            let validated = terms
                .validate()
                .expect("every starter target is valid")
                .targets
                .remove(0);
            MetricChoice {
                metric,
                name,
                question,
                definition: definition(&validated.metric),
                unit: validated.metric.unit(),
                direction: validated.metric.direction(),
                starter,
                options: metric.options(),
                needs_section: needs_availability.then(|| NeededSection {
                    field: "availability",
                    value: serde_json::json!({ "outages": [] }),
                    why: "availability is measured from the outages listed in the terms",
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_is_on_the_menu_once_with_a_valid_starter() {
        let catalog = metric_catalog();
        assert_eq!(catalog.len(), 11);
        let names: std::collections::BTreeSet<String> = catalog
            .iter()
            .map(|choice| serde_json::to_string(&choice.metric).unwrap())
            .collect();
        assert_eq!(names.len(), 11);
        let service_level = &catalog[0];
        assert_eq!(service_level.starter.threshold_secs, Some(20.0));
        assert_eq!(
            service_level.definition,
            "answered within T ÷ (answered + abandoned)"
        );
        assert_eq!(service_level.direction, Direction::AtLeast);
        assert_eq!(catalog[1].unit, Unit::Seconds);
        assert!(catalog[10].needs_section.is_some());
    }
}
