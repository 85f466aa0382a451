//! The report: per period, the queue's figures and every target's verdict. This is the one
//! orchestration step; the wasm API and the command line only call [`build_report`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::compliance::{judge, Judgement};
use crate::input::{Dataset, ImportQuality};
use crate::metrics::{abandonment_rate, average_speed_of_answer, service_level, QueueCounts};
use crate::model::Contact;
use crate::period::Month;
use crate::terms::{Direction, Metric, Target, Terms, Unit};

/// Everything the page shows for one dataset under one set of terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub quality: ImportQuality,
    /// Calendar months in order, each with its queue figures.
    pub periods: Vec<PeriodFigures>,
    /// One entry per target of the terms, in their order, with a verdict per period.
    pub targets: Vec<TargetResults>,
}

/// The queue's figures for one period (`null` where there is no data).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodFigures {
    /// `2026-03` for a calendar month.
    pub period: String,
    pub offered: u32,
    pub answered: u32,
    pub abandoned: u32,
    pub other: u32,
    pub asa_secs: Option<f64>,
    pub abandonment_rate: Option<f64>,
}

/// One target and its verdict in every period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetResults {
    pub label: String,
    #[serde(flatten)]
    pub metric: Metric,
    pub goal: f64,
    pub direction: Direction,
    pub unit: Unit,
    pub results: Vec<PeriodResult>,
}

/// A target's value and verdict in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodResult {
    pub period: String,
    pub actual: Option<f64>,
    /// Contacts in scope in the period (offered plus other outcomes).
    pub contacts: u32,
    #[serde(flatten)]
    pub judgement: Judgement,
}

/// Computes the report of `dataset` under `terms`.
pub fn build_report(dataset: &Dataset, terms: &Terms) -> Report {
    let months = group_by_month(&dataset.contacts);
    let periods = months
        .iter()
        .map(|(month, contacts)| {
            let counts = QueueCounts::of(contacts.iter().copied());
            PeriodFigures {
                period: month.to_string(),
                offered: counts.offered(),
                answered: counts.answered,
                abandoned: counts.abandoned,
                other: counts.other,
                asa_secs: average_speed_of_answer(contacts.iter().copied()),
                abandonment_rate: abandonment_rate(&counts),
            }
        })
        .collect();
    let targets = terms
        .targets
        .iter()
        .map(|target| TargetResults {
            label: target.label(),
            metric: target.metric,
            goal: target.goal,
            direction: target.metric.direction(),
            unit: target.metric.unit(),
            results: months
                .iter()
                .map(|(month, contacts)| period_result(target, month, contacts))
                .collect(),
        })
        .collect();
    Report {
        quality: dataset.quality.clone(),
        periods,
        targets,
    }
}

fn group_by_month(contacts: &[Contact]) -> BTreeMap<Month, Vec<&Contact>> {
    let mut months: BTreeMap<Month, Vec<&Contact>> = BTreeMap::new();
    for contact in contacts {
        months
            .entry(Month::containing(contact.arrived))
            .or_default()
            .push(contact);
    }
    months
}

fn period_result(target: &Target, month: &Month, contacts: &[&Contact]) -> PeriodResult {
    let in_scope = contacts.iter().copied();
    let actual = match target.metric {
        Metric::ServiceLevel { threshold_secs } => service_level(in_scope, threshold_secs),
        Metric::Asa => average_speed_of_answer(in_scope),
        Metric::AbandonmentRate => abandonment_rate(&QueueCounts::of(in_scope)),
    };
    let contact_count = u32::try_from(contacts.len()).unwrap_or(u32::MAX);
    PeriodResult {
        period: month.to_string(),
        actual,
        contacts: contact_count,
        judgement: judge(target, actual, contact_count),
    }
}
