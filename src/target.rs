//! What a target measures and how it is judged (DOMAIN §3–§4): the validated form that the
//! engine reads. [`crate::terms`] builds these from the JSON a person writes.

use serde::{Deserialize, Serialize};

use crate::credit_terms::CreditRule;
use crate::model::{LabelId, Labels, ScopeField};
use crate::period::PeriodKind;
use crate::text::{describe_duration, round_for_text};

/// The four service-level formulas of DOMAIN §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum ServiceLevelFormula {
    /// `A_T / (A + Ab − Ab_s)`: abandons count against, short abandons do not.
    #[default]
    Offered,
    /// `A_T / A`: ignores abandons.
    Answered,
    /// `A_T / (A + Ab − Ab_T)`: abandons within T neither help nor hurt.
    AbandonsNeutral,
    /// `(A_T + Ab_T) / (A + Ab)`: abandons within T count as met.
    AbandonsPositive,
}

/// How CSAT is summarized (DOMAIN §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum CsatMode {
    /// The mean score over responses.
    #[default]
    Mean,
    /// The share of responses in the top boxes: 4–5 on 1–5, the top 40 % of another scale.
    TopBox,
}

/// What a target measures, with the options that change its arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "metric", rename_all = "camelCase")]
pub enum Metric {
    #[serde(rename_all = "camelCase")]
    ServiceLevel {
        threshold_secs: f64,
        formula: ServiceLevelFormula,
        short_abandon_secs: f64,
    },
    Asa,
    #[serde(rename_all = "camelCase")]
    AbandonmentRate {
        short_abandon_secs: f64,
    },
    Aht,
    Fcr,
    #[serde(rename_all = "camelCase")]
    Csat {
        csat_mode: CsatMode,
        /// Lowest and highest score of the survey.
        csat_scale: [f64; 2],
    },
    #[serde(rename_all = "camelCase")]
    WaitPercentile {
        percentile: f64,
    },
    #[serde(rename_all = "camelCase")]
    MaxWait {
        of_all_offered: bool,
    },
    #[serde(rename_all = "camelCase")]
    ResponseWithin {
        threshold_secs: f64,
        business_hours: bool,
    },
    #[serde(rename_all = "camelCase")]
    ResolutionWithin {
        threshold_secs: f64,
        business_hours: bool,
    },
    Availability,
}

impl Metric {
    /// Which way is good (DOMAIN §4): `≥` for service level, FCR, CSAT, availability and the
    /// within-T shares; `≤` for times and abandonment.
    pub fn direction(&self) -> Direction {
        match self {
            Metric::ServiceLevel { .. }
            | Metric::Fcr
            | Metric::Csat { .. }
            | Metric::ResponseWithin { .. }
            | Metric::ResolutionWithin { .. }
            | Metric::Availability => Direction::AtLeast,
            Metric::Asa
            | Metric::AbandonmentRate { .. }
            | Metric::Aht
            | Metric::WaitPercentile { .. }
            | Metric::MaxWait { .. } => Direction::AtMost,
        }
    }

    /// The unit of the metric's values, goals and margins.
    pub fn unit(&self) -> Unit {
        match self {
            Metric::Asa | Metric::Aht | Metric::WaitPercentile { .. } | Metric::MaxWait { .. } => {
                Unit::Seconds
            }
            Metric::Csat {
                csat_mode: CsatMode::Mean,
                ..
            } => Unit::Score,
            _ => Unit::Percent,
        }
    }

    /// Whether the metric is computed from contacts (all but availability, which comes from
    /// outage windows).
    pub fn uses_contacts(&self) -> bool {
        !matches!(self, Metric::Availability)
    }

    /// A short name, e.g. `Service level`, `Wait p90`.
    fn name(&self) -> String {
        match self {
            Metric::ServiceLevel { .. } => "Service level".to_owned(),
            Metric::Asa => "ASA".to_owned(),
            Metric::AbandonmentRate { .. } => "Abandonment".to_owned(),
            Metric::Aht => "AHT".to_owned(),
            Metric::Fcr => "FCR".to_owned(),
            Metric::Csat {
                csat_mode: CsatMode::Mean,
                ..
            } => "CSAT".to_owned(),
            Metric::Csat {
                csat_mode: CsatMode::TopBox,
                ..
            } => "CSAT top box".to_owned(),
            Metric::WaitPercentile { percentile } => format!("Wait p{percentile}"),
            Metric::MaxWait { .. } => "Max wait".to_owned(),
            Metric::ResponseWithin { .. } => "First response".to_owned(),
            Metric::ResolutionWithin { .. } => "Resolution".to_owned(),
            Metric::Availability => "Availability".to_owned(),
        }
    }
}

/// The direction in which a target is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    AtLeast,
    AtMost,
}

impl Direction {
    pub fn symbol(self) -> &'static str {
        match self {
            Direction::AtLeast => "≥",
            Direction::AtMost => "≤",
        }
    }
}

/// The unit of a metric: shares are percentages 0–100, times are seconds, CSAT means are
/// scores on the survey's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Unit {
    Percent,
    Seconds,
    Score,
}

impl Unit {
    /// `81.1 %`, `25 s`, `4.2`: a value as the explanations and labels write it.
    pub fn format(self, value: f64) -> String {
        match self {
            Unit::Percent => format!("{} %", round_for_text(value, 1)),
            Unit::Seconds => format!("{} s", round_for_text(value, 1)),
            Unit::Score => round_for_text(value, 2),
        }
    }
}

/// Which contacts a target counts: for each scope field, the allowed labels (all when `None`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scope {
    /// Labels as written in the terms, per [`ScopeField::index`].
    pub values: [Option<Vec<String>>; 3],
}

/// The label ids a scope allows per field (`None`: all), matched against an input's labels.
pub type AllowedLabels = [Option<Vec<LabelId>>; 3];

impl Scope {
    pub fn is_everything(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }

    /// The scope matched against an input's `labels`, with notes on values no `unit` (a
    /// contact, a row) has; an error when `has_column` says the input (`whole`: the data, the
    /// history) has no column for a field the scope names.
    pub fn allowed_labels(
        &self,
        labels: &[Labels; 3],
        has_column: impl Fn(ScopeField) -> bool,
        [unit, whole]: [&str; 2],
    ) -> Result<(AllowedLabels, Vec<String>), String> {
        let mut notes = Vec::new();
        let mut allowed: AllowedLabels = Default::default();
        for field in ScopeField::ALL {
            let Some(values) = &self.values[field.index()] else {
                continue;
            };
            if !has_column(field) {
                return Err(format!(
                    "not computable: the scope names a {0}, and the {whole} has no {0} column",
                    field.name()
                ));
            }
            let labels = &labels[field.index()];
            let mut ids = Vec::new();
            for value in values {
                match labels.find(value) {
                    Some(id) => ids.push(id),
                    None => notes.push(format!(
                        "no {unit} has {} \"{value}\" (the {whole} has: {})",
                        field.name(),
                        labels.names().join(", ")
                    )),
                }
            }
            allowed[field.index()] = Some(ids);
        }
        Ok((allowed, notes))
    }

    /// `channel voice, chat · priority P1`, or `all contacts`.
    pub fn describe(&self) -> String {
        if self.is_everything() {
            return "all contacts".to_owned();
        }
        ScopeField::ALL
            .iter()
            .filter_map(|field| {
                self.values[field.index()]
                    .as_ref()
                    .map(|values| format!("{} {}", field.name(), values.join(", ")))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// A scope matched against one dataset's labels: per field, which label ids are in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScopeFilter {
    allowed: [Option<Vec<LabelId>>; 3],
}

impl ScopeFilter {
    pub fn new(allowed: [Option<Vec<LabelId>>; 3]) -> ScopeFilter {
        ScopeFilter { allowed }
    }

    /// Whether a contact with these labels is in scope; a contact without a label for a field
    /// the scope restricts is out. The definition [`ScopeTable`] is checked against; reports
    /// ask the table.
    #[cfg(test)]
    fn admits(&self, labels: &[Option<LabelId>; 3]) -> bool {
        (0..labels.len()).all(|field| self.admits_on(field, labels[field]))
    }

    /// Whether a contact with this label (or none) for one field is in scope on that field.
    fn admits_on(&self, field: usize, label: Option<LabelId>) -> bool {
        match &self.allowed[field] {
            None => true,
            Some(ids) => label.is_some_and(|label| ids.contains(&label)),
        }
    }
}

/// Which of up to [`ScopeTable::MOST_SCOPES`] scopes admit a contact, a bit each, told by one
/// look-up per field instead of searching every scope's labels for every contact (a report
/// tests each contact against each scope its targets name).
pub struct ScopeTable {
    /// Per field, by label id + 1, the scopes admitting that label; at 0, those admitting a
    /// contact without one: the scopes that do not restrict the field, which are also the
    /// only ones admitting a label none of them names.
    by_label: [Vec<u64>; 3],
}

impl ScopeTable {
    pub const MOST_SCOPES: usize = 64;

    /// The table of `scopes`, at most [`ScopeTable::MOST_SCOPES`]: bit `i` is `scopes[i]`.
    pub fn new(scopes: &[&ScopeFilter]) -> ScopeTable {
        assert!(scopes.len() <= Self::MOST_SCOPES, "one bit per scope");
        let mut by_label: [Vec<u64>; 3] = Default::default();
        for (field, table) in by_label.iter_mut().enumerate() {
            let highest = scopes
                .iter()
                .filter_map(|scope| scope.allowed[field].as_ref())
                .flatten()
                .max();
            let labels = highest.map_or(0, |&highest| highest.position() + 1);
            let admitting = |label: Option<LabelId>| {
                scopes
                    .iter()
                    .enumerate()
                    .filter(|(_, scope)| scope.admits_on(field, label))
                    .fold(0, |mask, (bit, _)| mask | 1 << bit)
            };
            *table = std::iter::once(None)
                .chain((0..labels).map(|position| Some(LabelId::at(position))))
                .map(admitting)
                .collect();
        }
        ScopeTable { by_label }
    }

    /// The scopes admitting a contact with these labels, a bit each.
    pub fn admitting(&self, labels: &[Option<LabelId>; 3]) -> u64 {
        let mut mask = u64::MAX;
        for (table, label) in self.by_label.iter().zip(labels) {
            let slot = LabelId::slot(*label);
            mask &= table.get(slot).unwrap_or(&table[0]);
        }
        mask
    }
}

/// "Goal met in at least `goal` % of the `interval`s of the period" (DOMAIN §4).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct IntervalAttainment {
    pub interval: PeriodKind,
    pub goal: f64,
}

/// A validated target.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub metric: Metric,
    pub goal: f64,
    /// As the terms name it, or composed from the metric, goal and scope.
    pub label: String,
    pub scope: Scope,
    pub period: PeriodKind,
    /// A period (or, with interval attainment, an interval) with fewer contacts in scope is
    /// not judged (DOMAIN §4; default 1).
    pub min_contacts: u32,
    pub interval_attainment: Option<IntervalAttainment>,
    /// What a miss costs, if the terms say (DOMAIN §6).
    pub credit: Option<CreditRule>,
}

impl Target {
    /// A target with only a metric and a goal: all contacts, monthly, no minimum volume, no
    /// interval attainment, no credit.
    pub fn new(metric: Metric, goal: f64) -> Target {
        Target {
            metric,
            goal,
            label: String::new(),
            scope: Scope::default(),
            period: PeriodKind::Month,
            min_contacts: 1,
            interval_attainment: None,
            credit: None,
        }
    }

    /// A plain-language name, e.g. `Service level ≥ 80 % in 20 s (channel voice)`.
    pub fn default_label(&self) -> String {
        let unit = self.metric.unit();
        let mut label = format!(
            "{} {} {}",
            self.metric.name(),
            self.metric.direction().symbol(),
            unit.format(self.goal)
        );
        match self.metric {
            Metric::ServiceLevel { threshold_secs, .. }
            | Metric::ResponseWithin { threshold_secs, .. }
            | Metric::ResolutionWithin { threshold_secs, .. } => {
                label.push_str(&format!(" in {}", describe_duration(threshold_secs)));
            }
            _ => {}
        }
        if let Some(attainment) = self.interval_attainment {
            label.push_str(&format!(
                " in ≥ {} of {}s",
                Unit::Percent.format(attainment.goal),
                attainment.interval.noun()
            ));
        }
        if !self.scope.is_everything() {
            label.push_str(&format!(" ({})", self.scope.describe()));
        }
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(metric: Metric, goal: f64) -> Target {
        Target::new(metric, goal)
    }

    #[test]
    fn labels_read_like_the_contract() {
        let service_level = Metric::ServiceLevel {
            threshold_secs: 20.0,
            formula: ServiceLevelFormula::Offered,
            short_abandon_secs: 0.0,
        };
        assert_eq!(
            target(service_level, 80.0).default_label(),
            "Service level ≥ 80 % in 20 s"
        );
        let mut scoped = target(
            Metric::ResolutionWithin {
                threshold_secs: 86_400.0,
                business_hours: true,
            },
            95.0,
        );
        scoped.scope.values[0] = Some(vec!["email".to_owned()]);
        assert_eq!(
            scoped.default_label(),
            "Resolution ≥ 95 % in 1 d (channel email)"
        );
        let mut per_interval = target(service_level, 80.0);
        per_interval.interval_attainment = Some(IntervalAttainment {
            interval: PeriodKind::Interval30,
            goal: 90.0,
        });
        assert_eq!(
            per_interval.default_label(),
            "Service level ≥ 80 % in 20 s in ≥ 90 % of half-hour intervals"
        );
        assert_eq!(target(Metric::Asa, 30.0).default_label(), "ASA ≤ 30 s");
    }

    /// Label ids by position, as tests write them.
    fn ids<const N: usize>(positions: [usize; N]) -> Option<Vec<LabelId>> {
        Some(positions.map(LabelId::at).to_vec())
    }

    fn labels(positions: [Option<usize>; 3]) -> [Option<LabelId>; 3] {
        positions.map(|position| position.map(LabelId::at))
    }

    #[test]
    fn the_scope_table_admits_as_each_scope_does() {
        let scopes = [
            ScopeFilter::new([ids([0, 2]), None, None]),
            ScopeFilter::new([None, None, None]),
            ScopeFilter::new([ids([1]), ids([0]), None]),
            ScopeFilter::new([None, ids([3]), ids([0, 1])]),
        ];
        let table = ScopeTable::new(&scopes.iter().collect::<Vec<_>>());
        let positions = [None, Some(0), Some(1), Some(2), Some(3), Some(9)];
        for &channel in &positions {
            for &priority in &positions {
                for &queue in &positions {
                    let contact = labels([channel, priority, queue]);
                    let expected = scopes
                        .iter()
                        .enumerate()
                        .filter(|(_, scope)| scope.admits(&contact))
                        .fold(0, |mask, (bit, _)| mask | 1 << bit);
                    assert_eq!(table.admitting(&contact), expected, "{contact:?}");
                }
            }
        }
    }

    #[test]
    fn a_scope_admits_only_contacts_with_an_allowed_label() {
        let filter = ScopeFilter::new([ids([0, 2]), None, None]);
        assert!(filter.admits(&labels([Some(2), Some(7), None])));
        assert!(!filter.admits(&labels([Some(1), None, None])));
        assert!(!filter.admits(&labels([None, None, None])));
    }
}
