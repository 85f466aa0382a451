//! The agreement's terms in two layers (STYLE.md, after ripgrep): [`RawTerms`] is what a JSON
//! document says, checked only for shape by serde; [`Terms`] is validated, so the engine never
//! meets a goal of 130 % or a negative threshold.

use serde::{Deserialize, Serialize};

use crate::error::SlaError;

/// The only version of the terms format so far; a document may omit it.
pub const TERMS_VERSION: u32 = 1;

/// Terms as deserialized from JSON (camelCase field names, unknown fields rejected).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawTerms {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    pub targets: Vec<RawTarget>,
}

/// One target as written in the terms, tagged by its metric.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "metric", rename_all = "camelCase", deny_unknown_fields)]
pub enum RawTarget {
    /// "`goal` % of offered contacts answered within `thresholdSecs` seconds".
    #[serde(rename_all = "camelCase")]
    ServiceLevel {
        goal: f64,
        threshold_secs: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_contacts: Option<u32>,
    },
    /// Average speed of answer of at most `goal` seconds.
    #[serde(rename_all = "camelCase")]
    Asa {
        goal: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_contacts: Option<u32>,
    },
    /// Abandonment rate of at most `goal` %.
    #[serde(rename_all = "camelCase")]
    AbandonmentRate {
        goal: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_contacts: Option<u32>,
    },
}

/// Validated terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    pub targets: Vec<Target>,
}

/// What a target measures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "metric", rename_all = "camelCase")]
pub enum Metric {
    #[serde(rename_all = "camelCase")]
    ServiceLevel {
        threshold_secs: f64,
    },
    Asa,
    AbandonmentRate,
}

impl Metric {
    /// Which way is good (DOMAIN §4): `≥` for service level, `≤` for times and abandonment.
    pub fn direction(self) -> Direction {
        match self {
            Metric::ServiceLevel { .. } => Direction::AtLeast,
            Metric::Asa | Metric::AbandonmentRate => Direction::AtMost,
        }
    }

    /// The unit of the metric's values, goals and margins.
    pub fn unit(self) -> Unit {
        match self {
            Metric::ServiceLevel { .. } | Metric::AbandonmentRate => Unit::Percent,
            Metric::Asa => Unit::Seconds,
        }
    }
}

/// The direction in which a target is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    AtLeast,
    AtMost,
}

/// The unit of a metric: shares are percentages 0–100, times are seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Unit {
    Percent,
    Seconds,
}

/// A validated target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub metric: Metric,
    pub goal: f64,
    /// A period with fewer contacts in scope is not judged (DOMAIN §4; default 1).
    pub min_contacts: u32,
}

impl Target {
    /// A plain-language name, e.g. `Service level ≥ 80 % in 20 s`.
    pub fn label(&self) -> String {
        match self.metric {
            Metric::ServiceLevel { threshold_secs } => {
                format!("Service level ≥ {} % in {} s", self.goal, threshold_secs)
            }
            Metric::Asa => format!("ASA ≤ {} s", self.goal),
            Metric::AbandonmentRate => format!("Abandonment ≤ {} %", self.goal),
        }
    }
}

impl Default for RawTerms {
    /// The page's opening agreement: the common voice target, 80 % answered in 20 s.
    fn default() -> RawTerms {
        RawTerms {
            version: Some(TERMS_VERSION),
            targets: vec![RawTarget::ServiceLevel {
                goal: 80.0,
                threshold_secs: 20.0,
                min_contacts: None,
            }],
        }
    }
}

impl RawTerms {
    /// Reads terms from a JSON document.
    pub fn from_json(json: &str) -> Result<RawTerms, SlaError> {
        serde_json::from_str(json).map_err(|error| SlaError::InvalidTerms {
            field: "(document)".to_owned(),
            message: error.to_string(),
        })
    }

    /// Checks every value; the error names the offending field, e.g. `targets[0].goal`.
    pub fn validate(&self) -> Result<Terms, SlaError> {
        if let Some(version) = self.version {
            if version != TERMS_VERSION {
                return Err(invalid(
                    "version",
                    format!("version {version} is not supported (this build reads version {TERMS_VERSION})"),
                ));
            }
        }
        let targets = self
            .targets
            .iter()
            .enumerate()
            .map(|(index, raw)| raw.validate(&format!("targets[{index}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Terms { targets })
    }
}

impl RawTarget {
    fn validate(&self, path: &str) -> Result<Target, SlaError> {
        let (metric, goal, min_contacts) = match *self {
            RawTarget::ServiceLevel {
                goal,
                threshold_secs,
                min_contacts,
            } => {
                check_seconds(threshold_secs, &format!("{path}.thresholdSecs"))?;
                (Metric::ServiceLevel { threshold_secs }, goal, min_contacts)
            }
            RawTarget::Asa { goal, min_contacts } => (Metric::Asa, goal, min_contacts),
            RawTarget::AbandonmentRate { goal, min_contacts } => {
                (Metric::AbandonmentRate, goal, min_contacts)
            }
        };
        let goal_path = format!("{path}.goal");
        match metric.unit() {
            Unit::Percent if !(0.0..=100.0).contains(&goal) => {
                return Err(invalid(
                    &goal_path,
                    format!("{goal} is not a percentage from 0 to 100"),
                ));
            }
            Unit::Seconds => check_seconds(goal, &goal_path)?,
            Unit::Percent => {}
        }
        Ok(Target {
            metric,
            goal,
            min_contacts: min_contacts.unwrap_or(1),
        })
    }
}

fn check_seconds(seconds: f64, field: &str) -> Result<(), SlaError> {
    if seconds.is_finite() && seconds >= 0.0 {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("{seconds} is not a number of seconds ≥ 0"),
        ))
    }
}

fn invalid(field: &str, message: String) -> SlaError {
    SlaError::InvalidTerms {
        field: field.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_terms_are_80_in_20() {
        let terms = RawTerms::default().validate().unwrap();
        assert_eq!(terms.targets[0].label(), "Service level ≥ 80 % in 20 s");
        assert_eq!(terms.targets[0].min_contacts, 1);
    }

    #[test]
    fn a_json_document_round_trips() {
        let raw = RawTerms::from_json(
            r#"{"targets":[{"metric":"serviceLevel","goal":90,"thresholdSecs":30},
                           {"metric":"asa","goal":25,"minContacts":50}]}"#,
        )
        .unwrap();
        let terms = raw.validate().unwrap();
        assert_eq!(terms.targets[1].metric, Metric::Asa);
        assert_eq!(terms.targets[1].min_contacts, 50);
    }

    #[test]
    fn impossible_values_name_their_field() {
        let raw = RawTerms::from_json(
            r#"{"targets":[{"metric":"asa","goal":20},
                           {"metric":"serviceLevel","goal":130,"thresholdSecs":20}]}"#,
        )
        .unwrap();
        let error = raw.validate().unwrap_err();
        assert_eq!(
            error.to_string(),
            "Terms: targets[1].goal: 130 is not a percentage from 0 to 100"
        );
        let raw = RawTerms::from_json(
            r#"{"targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":-5}]}"#,
        )
        .unwrap();
        assert!(raw
            .validate()
            .unwrap_err()
            .to_string()
            .contains("targets[0].thresholdSecs"));
    }

    #[test]
    fn unknown_fields_and_metrics_are_rejected() {
        let typo = RawTerms::from_json(
            r#"{"targets":[{"metric":"serviceLevel","goal":80,"threshold":20}]}"#,
        );
        assert!(typo.unwrap_err().to_string().contains("threshold"));
        let unknown = RawTerms::from_json(r#"{"targets":[{"metric":"happiness","goal":1}]}"#);
        assert!(unknown.unwrap_err().to_string().contains("happiness"));
    }
}
