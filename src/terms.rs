//! The agreement's terms in two layers (STYLE.md, after ripgrep): [`RawTerms`] is what a JSON
//! document says, checked only for shape by serde (unknown fields rejected); [`Terms`] is
//! validated, so the engine never meets a goal of 130 %, a negative threshold or an empty scope.
//! Every refusal names its field as a path, e.g. `targets[1].scope.channel`.
//!
//! The format is documented in `www/terms.schema.json`, with examples beside it.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::calendar::BusinessCalendar;
use crate::credit_terms::{validate_credits, CreditTerms, RawCreditRule, RawCredits};
use crate::error::SlaError;
use crate::model::ScopeField;
use crate::period::{Period, PeriodKind};
use crate::target::{
    CsatMode, IntervalAttainment, Metric, Scope, ServiceLevelFormula, Target, Unit,
};
use crate::text::count;
use crate::timespan::Span;
use crate::values::parse_timestamp;
use crate::zone::Zone;

/// The only version of the terms format so far; a document may omit it.
pub const TERMS_VERSION: u32 = 1;

/// Volume above forecast by more than this share excludes the interval or day (DOMAIN §5).
pub const DEFAULT_SPIKE_PERCENT: f64 = 30.0;
/// The most targets one agreement may have: real ones have tens; thousands would only be a
/// generated or hostile file, and each target is a pass over the data.
pub const MAX_TARGETS: usize = 1000;

/// Terms as deserialized from JSON (camelCase field names, unknown fields rejected).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawTerms {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// The agreement's name, shown as the report's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// IANA name (`Europe/Paris`) or offset (`+02:00`); default UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// ISO 4217 code of the fee, e.g. `EUR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The invoice amount of one period, which credits are a share of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_per_period: Option<f64>,
    /// The measurement period; default `month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<PeriodKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_hours: Option<RawBusinessHours>,
    /// Windows whose contacts are removed before any metric (DOMAIN §5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<RawWindow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast: Option<RawForecast>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<RawAvailability>,
    /// Fees by period, the cap, the bonus and earn-back (DOMAIN §6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<RawCredits>,
    /// Read one by one by [`RawTerms::from_json`], so that an error names its index.
    #[serde(default, skip_deserializing)]
    pub targets: Vec<RawTarget>,
}

/// Weekly opening hours and holidays.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawBusinessHours {
    pub weekly: RawWeek,
    /// Closed dates, `2026-12-25`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<String>,
}

/// Opening hours per day, e.g. `"08:00-12:00, 13:00-18:00"`; a missing day is closed.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawWeek {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sat: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sun: Option<String>,
}

/// A span of time `[start, end)` with its reason; times without an offset are in the
/// agreement's zone, a bare date is its midnight.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawWindow {
    pub start: String,
    pub end: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// Forecast volumes: an interval or day whose offered volume exceeds
/// `forecast × (1 + spikePercent / 100)` is excluded (DOMAIN §5).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawForecast {
    /// `day` or an interval (`interval15`, `interval30`, `interval60`).
    pub per: PeriodKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spike_percent: Option<f64>,
    pub volumes: Vec<RawVolume>,
}

/// The forecast contacts of the interval or day starting at `start`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawVolume {
    pub start: String,
    pub contacts: f64,
}

/// What availability is measured against (DOMAIN §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Schedule {
    /// Around the clock.
    #[default]
    Always,
    /// The terms' business hours.
    BusinessHours,
}

/// Outages and agreed maintenance for availability targets.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawAvailability {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    #[serde(default)]
    pub outages: Vec<RawWindow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maintenance: Vec<RawWindow>,
}

/// The metrics of DOMAIN §3 by their names in the terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum MetricName {
    ServiceLevel,
    Asa,
    AbandonmentRate,
    Aht,
    Fcr,
    Csat,
    WaitPercentile,
    MaxWait,
    ResponseWithin,
    ResolutionWithin,
    Availability,
}

/// One target as written: a metric, a goal, and the options that apply to that metric.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawTarget {
    pub metric: MetricName,
    pub goal: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_secs: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<ServiceLevelFormula>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_abandon_secs: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentile: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat_mode: Option<CsatMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat_scale: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of_all_offered: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_hours: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<RawScope>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<PeriodKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_contacts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_attainment: Option<RawIntervalAttainment>,
    /// What a miss costs (DOMAIN §6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<RawCreditRule>,
}

impl RawTarget {
    /// A target of `metric` and `goal` with no options set.
    pub fn new(metric: MetricName, goal: f64) -> RawTarget {
        RawTarget {
            metric,
            goal,
            label: None,
            threshold_secs: None,
            formula: None,
            short_abandon_secs: None,
            percentile: None,
            csat_mode: None,
            csat_scale: None,
            of_all_offered: None,
            business_hours: None,
            scope: None,
            period: None,
            min_contacts: None,
            interval_attainment: None,
            credit: None,
        }
    }
}

/// Scope labels per field: one value or several.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawScope {
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Option::is_none"
    )]
    pub channel: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Option::is_none"
    )]
    pub priority: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Option::is_none"
    )]
    pub queue: Option<Vec<String>>,
}

/// `"voice"` or `["voice", "chat"]`.
fn one_or_many<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(Some(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(value) => vec![value],
        OneOrMany::Many(values) => values,
    }))
}

/// "The goal in at least `goal` % of the `interval`s".
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawIntervalAttainment {
    pub interval: PeriodKind,
    pub goal: f64,
}

/// Validated terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    pub name: Option<String>,
    pub zone: Zone,
    pub currency: Option<String>,
    pub fee_per_period: Option<f64>,
    pub period: PeriodKind,
    pub calendar: Option<BusinessCalendar>,
    pub exclusions: Vec<Window>,
    pub forecast: Option<Forecast>,
    pub availability: Option<Availability>,
    /// Present when any target has a credit rule or the terms a credits section.
    pub credits: Option<CreditTerms>,
    pub targets: Vec<Target>,
}

/// A validated window of time with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub span: Span,
    pub reason: String,
}

/// Validated forecast volumes, by interval or day.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub per: PeriodKind,
    pub spike_percent: f64,
    pub volumes: BTreeMap<Period, f64>,
}

/// Validated availability terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Availability {
    pub schedule: Schedule,
    pub outages: Vec<Window>,
    pub maintenance: Vec<Window>,
}

impl RawTerms {
    /// The page's opening agreement: the common voice target, 80 % answered in 20 s.
    pub fn opening() -> RawTerms {
        let mut service_level = RawTarget::new(MetricName::ServiceLevel, 80.0);
        service_level.threshold_secs = Some(20.0);
        RawTerms {
            version: Some(TERMS_VERSION),
            targets: vec![service_level],
            ..RawTerms::default()
        }
    }

    /// Reads terms from a JSON document; an error names where it is: the document, a
    /// top-level section (`businessHours`), or a target (`targets[2]`).
    pub fn from_json(json: &str) -> Result<RawTerms, SlaError> {
        let document: Value =
            serde_json::from_str(json).map_err(|error| invalid("(document)", error.to_string()))?;
        let Value::Object(mut sections) = document else {
            return Err(invalid(
                "(document)",
                "terms are a JSON object, e.g. {\"targets\": [...]}".to_owned(),
            ));
        };
        let targets = match sections.remove("targets") {
            None => Vec::new(),
            Some(Value::Array(targets)) if targets.len() > MAX_TARGETS => {
                return Err(invalid(
                    "targets",
                    format!(
                        "{} targets; at most {} are read (an agreement has tens)",
                        count(targets.len() as u32),
                        count(MAX_TARGETS as u32)
                    ),
                ))
            }
            Some(Value::Array(targets)) => targets,
            Some(_) => return Err(invalid("targets", "a list of targets, [...]".to_owned())),
        };
        let mut terms: RawTerms = serde_json::from_value(Value::Object(sections.clone()))
            .map_err(|error| invalid(&failing_section(&sections), error.to_string()))?;
        terms.targets = targets
            .into_iter()
            .enumerate()
            .map(|(index, target)| {
                serde_json::from_value(target)
                    .map_err(|error| invalid(&format!("targets[{index}]"), error.to_string()))
            })
            .collect::<Result<_, _>>()?;
        Ok(terms)
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
        let zone = match &self.time_zone {
            None => Zone::default(),
            Some(name) => Zone::parse(name).ok_or_else(|| {
                invalid(
                    "timeZone",
                    format!("\"{name}\" is not a time zone (expected e.g. Europe/Paris, America/New_York, UTC or +02:00)"),
                )
            })?,
        };
        if let Some(currency) = &self.currency {
            if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(invalid(
                    "currency",
                    format!(
                        "\"{currency}\" is not a three-letter currency code such as EUR or USD"
                    ),
                ));
            }
        }
        if let Some(fee) = self.fee_per_period {
            if !(fee.is_finite() && fee >= 0.0) {
                return Err(invalid(
                    "feePerPeriod",
                    format!("{fee} is not an amount ≥ 0"),
                ));
            }
        }
        let period = self.period.unwrap_or(PeriodKind::Month);
        let calendar = self
            .business_hours
            .as_ref()
            .map(validate_business_hours)
            .transpose()?;
        let exclusions = validate_windows(&self.exclusions, "exclusions", &zone, true)?;
        let forecast = self
            .forecast
            .as_ref()
            .map(|forecast| validate_forecast(forecast, &zone))
            .transpose()?;
        let availability = self
            .availability
            .as_ref()
            .map(|availability| validate_availability(availability, &zone, calendar.is_some()))
            .transpose()?;
        let context = TargetContext {
            period,
            has_calendar: calendar.is_some(),
            has_availability: availability.is_some(),
        };
        let targets = self
            .targets
            .iter()
            .enumerate()
            .map(|(index, raw)| raw.validate(&format!("targets[{index}]"), &context))
            .collect::<Result<Vec<_>, _>>()?;
        let credits = validate_credits(
            self.credits.as_ref(),
            self.fee_per_period,
            self.currency.as_deref(),
            self.targets.iter().any(|target| target.credit.is_some()),
        )?;
        Ok(Terms {
            credits,
            name: self.name.clone().filter(|name| !name.trim().is_empty()),
            zone,
            currency: self.currency.clone(),
            fee_per_period: self.fee_per_period,
            period,
            calendar,
            exclusions,
            forecast,
            availability,
            targets,
        })
    }
}

fn validate_business_hours(raw: &RawBusinessHours) -> Result<BusinessCalendar, SlaError> {
    let mut calendar = BusinessCalendar::default();
    let week = &raw.weekly;
    let days = [
        ("mon", &week.mon),
        ("tue", &week.tue),
        ("wed", &week.wed),
        ("thu", &week.thu),
        ("fri", &week.fri),
        ("sat", &week.sat),
        ("sun", &week.sun),
    ];
    for (weekday, (name, hours)) in days.into_iter().enumerate() {
        if let Some(hours) = hours {
            calendar
                .set_hours(weekday, hours)
                .map_err(|message| invalid(&format!("businessHours.weekly.{name}"), message))?;
        }
    }
    for (index, holiday) in raw.holidays.iter().enumerate() {
        let date = NaiveDate::parse_from_str(holiday.trim(), "%Y-%m-%d").map_err(|_| {
            invalid(
                &format!("businessHours.holidays[{index}]"),
                format!("\"{holiday}\" is not a date such as 2026-12-25"),
            )
        })?;
        calendar.add_holiday(date);
    }
    Ok(calendar)
}

/// The top-level section that fails to read on its own (so an error can name it), or
/// `(document)` when none does alone.
fn failing_section(sections: &serde_json::Map<String, Value>) -> String {
    sections
        .iter()
        .find(|(name, value)| {
            let alone = serde_json::Map::from_iter([((*name).clone(), (*value).clone())]);
            serde_json::from_value::<RawTerms>(Value::Object(alone)).is_err()
        })
        .map_or_else(|| "(document)".to_owned(), |(name, _)| name.clone())
}

/// A timestamp of the terms: a bare date is its midnight, a wall-clock time is read in `zone`.
fn terms_instant(text: &str, zone: &Zone) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(zone.instant(date.and_time(NaiveTime::MIN)));
    }
    parse_timestamp(text).map(|timestamp| zone.resolve(timestamp))
}

fn validate_windows(
    raw: &[RawWindow],
    path: &str,
    zone: &Zone,
    reason_required: bool,
) -> Result<Vec<Window>, SlaError> {
    raw.iter()
        .enumerate()
        .map(|(index, window)| {
            let path = format!("{path}[{index}]");
            let instant = |text: &str, field: &str| {
                terms_instant(text, zone).ok_or_else(|| {
                    invalid(
                        &format!("{path}.{field}"),
                        format!("\"{text}\" is not a date or time such as 2026-03-04 or 2026-03-04T09:30"),
                    )
                })
            };
            let span = Span::new(instant(&window.start, "start")?, instant(&window.end, "end")?);
            if span.start >= span.end {
                return Err(invalid(&format!("{path}.end"), "the end must be after the start".to_owned()));
            }
            if reason_required && window.reason.trim().is_empty() {
                return Err(invalid(
                    &format!("{path}.reason"),
                    "say why the window is excluded (it is shown with every count)".to_owned(),
                ));
            }
            Ok(Window {
                span,
                reason: window.reason.trim().to_owned(),
            })
        })
        .collect()
}

fn validate_forecast(raw: &RawForecast, zone: &Zone) -> Result<Forecast, SlaError> {
    if !(raw.per.is_interval() || raw.per == PeriodKind::Day) {
        return Err(invalid(
            "forecast.per",
            "a forecast is given per day or per interval (interval15, interval30, interval60)"
                .to_owned(),
        ));
    }
    let spike_percent = raw.spike_percent.unwrap_or(DEFAULT_SPIKE_PERCENT);
    if !(spike_percent.is_finite() && spike_percent >= 0.0) {
        return Err(invalid(
            "forecast.spikePercent",
            format!("{spike_percent} is not a percentage ≥ 0"),
        ));
    }
    let mut volumes = BTreeMap::new();
    for (index, volume) in raw.volumes.iter().enumerate() {
        let path = format!("forecast.volumes[{index}]");
        let start = terms_instant(&volume.start, zone).ok_or_else(|| {
            invalid(
                &format!("{path}.start"),
                format!(
                    "\"{}\" is not a date or time such as 2026-03-04 or 2026-03-04T09:30",
                    volume.start
                ),
            )
        })?;
        if !(volume.contacts.is_finite() && volume.contacts >= 0.0) {
            return Err(invalid(
                &format!("{path}.contacts"),
                format!("{} is not a number of contacts ≥ 0", volume.contacts),
            ));
        }
        let period = raw.per.containing(start, zone);
        if period.bounds(zone).0 != start {
            return Err(invalid(
                &format!("{path}.start"),
                format!(
                    "\"{}\" is not the start of a {}",
                    volume.start,
                    raw.per.noun()
                ),
            ));
        }
        if volumes.insert(period, volume.contacts).is_some() {
            return Err(invalid(
                &format!("{path}.start"),
                format!("{} is forecast twice", period.label()),
            ));
        }
    }
    Ok(Forecast {
        per: raw.per,
        spike_percent,
        volumes,
    })
}

fn validate_availability(
    raw: &RawAvailability,
    zone: &Zone,
    has_calendar: bool,
) -> Result<Availability, SlaError> {
    let schedule = raw.schedule.unwrap_or_default();
    if schedule == Schedule::BusinessHours && !has_calendar {
        return Err(invalid(
            "availability.schedule",
            "\"businessHours\" needs the terms' businessHours calendar".to_owned(),
        ));
    }
    Ok(Availability {
        schedule,
        outages: validate_windows(&raw.outages, "availability.outages", zone, false)?,
        maintenance: validate_windows(&raw.maintenance, "availability.maintenance", zone, false)?,
    })
}

/// What a target's validation needs to know of the rest of the terms.
struct TargetContext {
    period: PeriodKind,
    has_calendar: bool,
    has_availability: bool,
}

/// Options every contact-based target may carry.
const CONTACT_OPTIONS: [&str; 3] = ["scope", "minContacts", "intervalAttainment"];

impl MetricName {
    /// The options that change this metric's arithmetic, besides [`CONTACT_OPTIONS`].
    pub(crate) fn options(self) -> &'static [&'static str] {
        match self {
            MetricName::ServiceLevel => &["thresholdSecs", "formula", "shortAbandonSecs"],
            MetricName::AbandonmentRate => &["shortAbandonSecs"],
            MetricName::Csat => &["csatMode", "csatScale"],
            MetricName::WaitPercentile => &["percentile"],
            MetricName::MaxWait => &["ofAllOffered"],
            MetricName::ResponseWithin | MetricName::ResolutionWithin => {
                &["thresholdSecs", "businessHours"]
            }
            MetricName::Asa | MetricName::Aht | MetricName::Fcr | MetricName::Availability => &[],
        }
    }

    fn json_name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

impl RawTarget {
    fn present_options(&self) -> [(&'static str, bool); 11] {
        [
            ("thresholdSecs", self.threshold_secs.is_some()),
            ("formula", self.formula.is_some()),
            ("shortAbandonSecs", self.short_abandon_secs.is_some()),
            ("percentile", self.percentile.is_some()),
            ("csatMode", self.csat_mode.is_some()),
            ("csatScale", self.csat_scale.is_some()),
            ("ofAllOffered", self.of_all_offered.is_some()),
            ("businessHours", self.business_hours.is_some()),
            ("scope", self.scope.is_some()),
            ("minContacts", self.min_contacts.is_some()),
            ("intervalAttainment", self.interval_attainment.is_some()),
        ]
    }

    fn validate(&self, path: &str, context: &TargetContext) -> Result<Target, SlaError> {
        let uses_contacts = self.metric != MetricName::Availability;
        for (option, present) in self.present_options() {
            let applies = self.metric.options().contains(&option)
                || (uses_contacts && CONTACT_OPTIONS.contains(&option));
            if present && !applies {
                return Err(invalid(
                    &format!("{path}.{option}"),
                    format!("does not apply to a {} target", self.metric.json_name()),
                ));
            }
        }
        let seconds = |value: Option<f64>, option: &str, default: Option<f64>| {
            let field = format!("{path}.{option}");
            let value = value.or(default).ok_or_else(|| {
                invalid(
                    &field,
                    format!("a {} target needs {option}", self.metric.json_name()),
                )
            })?;
            check_seconds(value, &field).map(|()| value)
        };
        let business_hours = self.business_hours.unwrap_or(false);
        if business_hours && !context.has_calendar {
            return Err(invalid(
                &format!("{path}.businessHours"),
                "business time needs the terms' businessHours calendar".to_owned(),
            ));
        }
        let metric = match self.metric {
            MetricName::ServiceLevel => Metric::ServiceLevel {
                threshold_secs: seconds(self.threshold_secs, "thresholdSecs", None)?,
                formula: self.formula.unwrap_or_default(),
                short_abandon_secs: seconds(
                    self.short_abandon_secs,
                    "shortAbandonSecs",
                    Some(0.0),
                )?,
            },
            MetricName::Asa => Metric::Asa,
            MetricName::AbandonmentRate => Metric::AbandonmentRate {
                short_abandon_secs: seconds(
                    self.short_abandon_secs,
                    "shortAbandonSecs",
                    Some(0.0),
                )?,
            },
            MetricName::Aht => Metric::Aht,
            MetricName::Fcr => Metric::Fcr,
            MetricName::Csat => Metric::Csat {
                csat_mode: self.csat_mode.unwrap_or_default(),
                csat_scale: validate_scale(self.csat_scale, &format!("{path}.csatScale"))?,
            },
            MetricName::WaitPercentile => {
                let field = format!("{path}.percentile");
                let percentile = self.percentile.ok_or_else(|| {
                    invalid(
                        &field,
                        "a waitPercentile target needs percentile (e.g. 90)".to_owned(),
                    )
                })?;
                if !(percentile > 0.0 && percentile <= 100.0) {
                    return Err(invalid(
                        &field,
                        format!("{percentile} is not a percentile above 0 and at most 100"),
                    ));
                }
                Metric::WaitPercentile { percentile }
            }
            MetricName::MaxWait => Metric::MaxWait {
                of_all_offered: self.of_all_offered.unwrap_or(false),
            },
            MetricName::ResponseWithin => Metric::ResponseWithin {
                threshold_secs: seconds(self.threshold_secs, "thresholdSecs", None)?,
                business_hours,
            },
            MetricName::ResolutionWithin => Metric::ResolutionWithin {
                threshold_secs: seconds(self.threshold_secs, "thresholdSecs", None)?,
                business_hours,
            },
            MetricName::Availability => {
                if !context.has_availability {
                    return Err(invalid(
                        &format!("{path}.metric"),
                        "an availability target needs the terms' availability section (its outages, even none)".to_owned(),
                    ));
                }
                Metric::Availability
            }
        };
        check_goal(self.goal, &metric, &format!("{path}.goal"))?;
        let period = self.period.unwrap_or(context.period);
        let interval_attainment = self
            .interval_attainment
            .map(|raw| validate_attainment(raw, period, &format!("{path}.intervalAttainment")))
            .transpose()?;
        let scope = self
            .scope
            .as_ref()
            .map(|raw| validate_scope(raw, &format!("{path}.scope")))
            .transpose()?
            .unwrap_or_default();
        let credit = self
            .credit
            .as_ref()
            .map(|rule| {
                rule.validate(
                    self.goal,
                    metric.direction(),
                    metric.unit(),
                    &format!("{path}.credit"),
                )
            })
            .transpose()?;
        let mut target = Target {
            metric,
            goal: self.goal,
            credit,
            label: String::new(),
            scope,
            period,
            min_contacts: self.min_contacts.unwrap_or(1),
            interval_attainment,
        };
        target.label = match &self.label {
            Some(label) if !label.trim().is_empty() => label.trim().to_owned(),
            _ => target.default_label(),
        };
        Ok(target)
    }
}

fn check_goal(goal: f64, metric: &Metric, field: &str) -> Result<(), SlaError> {
    match metric.unit() {
        Unit::Percent => check_percent(goal, field),
        Unit::Seconds => check_seconds(goal, field),
        Unit::Score => {
            let Metric::Csat {
                csat_scale: [lowest, highest],
                ..
            } = *metric
            else {
                return Ok(());
            };
            if goal.is_finite() && (lowest..=highest).contains(&goal) {
                Ok(())
            } else {
                Err(invalid(
                    field,
                    format!("{goal} is not a score on the survey's scale {lowest} to {highest}"),
                ))
            }
        }
    }
}

/// The survey's lowest and highest whole scores; default 1 to 5 (DOMAIN §1).
fn validate_scale(raw: Option<[f64; 2]>, field: &str) -> Result<[f64; 2], SlaError> {
    let [lowest, highest] = raw.unwrap_or([1.0, 5.0]);
    let whole = |score: f64| score.is_finite() && score.fract() == 0.0;
    // Surveys score from 0–1 to 0–100; a wider scale is a typo, and its box count would not
    // fit the top-box arithmetic.
    const WIDEST_SCALE: f64 = 100.0;
    if whole(lowest) && whole(highest) && lowest < highest && highest - lowest <= WIDEST_SCALE {
        Ok([lowest, highest])
    } else {
        Err(invalid(
            field,
            format!("[{lowest}, {highest}] is not a scale of whole scores from low to high, at most 100 apart, e.g. [1, 5]"),
        ))
    }
}

fn validate_attainment(
    raw: RawIntervalAttainment,
    period: PeriodKind,
    path: &str,
) -> Result<IntervalAttainment, SlaError> {
    let finer = raw.interval.is_interval() || raw.interval == PeriodKind::Day;
    if !finer || raw.interval >= period {
        return Err(invalid(
            &format!("{path}.interval"),
            format!(
                "intervals are judged within the target's period ({}): use interval15, interval30, interval60 or day, shorter than the period",
                period.noun()
            ),
        ));
    }
    check_percent(raw.goal, &format!("{path}.goal"))?;
    Ok(IntervalAttainment {
        interval: raw.interval,
        goal: raw.goal,
    })
}

fn validate_scope(raw: &RawScope, path: &str) -> Result<Scope, SlaError> {
    let mut scope = Scope::default();
    for field in ScopeField::ALL {
        let values = match field {
            ScopeField::Channel => &raw.channel,
            ScopeField::Priority => &raw.priority,
            ScopeField::Queue => &raw.queue,
        };
        if let Some(values) = values {
            let field_path = format!("{path}.{}", field.name());
            let trimmed: Vec<String> = values.iter().map(|value| value.trim().to_owned()).collect();
            if trimmed.is_empty() || trimmed.iter().any(String::is_empty) {
                return Err(invalid(
                    &field_path,
                    "an empty scope matches no contact: name at least one value, or leave the field out to count all".to_owned(),
                ));
            }
            scope.values[field.index()] = Some(trimmed);
        }
    }
    if scope.is_everything() {
        return Err(invalid(
            path,
            "an empty scope: name a channel, priority or queue, or leave scope out to count all contacts".to_owned(),
        ));
    }
    Ok(scope)
}

fn check_percent(value: f64, field: &str) -> Result<(), SlaError> {
    if (0.0..=100.0).contains(&value) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("{value} is not a percentage from 0 to 100"),
        ))
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

/// A refusal of the terms naming `field`.
pub(crate) fn invalid(field: &str, message: String) -> SlaError {
    SlaError::InvalidTerms {
        field: field.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate(json: &str) -> Result<Terms, SlaError> {
        RawTerms::from_json(json)?.validate()
    }

    fn refusal(json: &str) -> String {
        validate(json).unwrap_err().to_string()
    }

    #[test]
    fn opening_terms_are_80_in_20() {
        let terms = RawTerms::opening().validate().unwrap();
        assert_eq!(terms.targets[0].label, "Service level ≥ 80 % in 20 s");
        assert_eq!(terms.targets[0].min_contacts, 1);
        assert_eq!(
            (terms.period, terms.zone),
            (PeriodKind::Month, Zone::default())
        );
    }

    #[test]
    fn a_full_agreement_is_read() {
        let terms = validate(
            r#"{"version":1,"name":"Acme","timeZone":"Europe/Paris","currency":"EUR",
                "feePerPeriod":40000,"period":"month",
                "businessHours":{"weekly":{"mon":"08:00-18:00","sat":"09:00-12:00"},"holidays":["2026-12-25"]},
                "exclusions":[{"start":"2026-09-14T09:00","end":"2026-09-14T11:00","reason":"CRM outage"}],
                "forecast":{"per":"day","volumes":[{"start":"2026-09-01","contacts":120}]},
                "availability":{"outages":[{"start":"2026-09-02T10:00","end":"2026-09-02T10:30"}]},
                "targets":[
                  {"metric":"serviceLevel","goal":80,"thresholdSecs":20,"formula":"abandonsNeutral",
                   "shortAbandonSecs":5,"scope":{"channel":["voice","Chat"]},"minContacts":50,
                   "intervalAttainment":{"interval":"interval30","goal":90}},
                  {"metric":"csat","goal":80,"csatMode":"topBox","csatScale":[1,10]},
                  {"metric":"resolutionWithin","goal":95,"thresholdSecs":86400,"businessHours":true,"period":"day"},
                  {"metric":"availability","goal":99.5}]}"#,
        )
        .unwrap();
        assert_eq!(terms.zone.to_string(), "Europe/Paris");
        assert_eq!(terms.forecast.as_ref().unwrap().spike_percent, 30.0);
        // 09:00 in Paris in September is 07:00 UTC.
        assert_eq!(
            terms.exclusions[0].span.start.to_rfc3339(),
            "2026-09-14T07:00:00+00:00"
        );
        assert_eq!(
            terms.targets[0].label,
            "Service level ≥ 80 % in 20 s in ≥ 90 % of half-hour intervals (channel voice, Chat)"
        );
        assert_eq!(terms.targets[1].metric.unit(), Unit::Percent);
        assert_eq!(terms.targets[2].period, PeriodKind::Day);
    }

    #[test]
    fn impossible_values_name_their_field() {
        let cases = [
            (
                r#"{"targets":[{"metric":"asa","goal":20},{"metric":"serviceLevel","goal":130,"thresholdSecs":20}]}"#,
                "Terms: targets[1].goal: 130 is not a percentage from 0 to 100",
            ),
            (
                r#"{"targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":-5}]}"#,
                "Terms: targets[0].thresholdSecs: -5 is not a number of seconds ≥ 0",
            ),
            (
                r#"{"targets":[{"metric":"serviceLevel","goal":80}]}"#,
                "Terms: targets[0].thresholdSecs: a serviceLevel target needs thresholdSecs",
            ),
            (
                r#"{"targets":[{"metric":"fcr","goal":70,"scope":{"channel":[]}}]}"#,
                "Terms: targets[0].scope.channel: an empty scope matches no contact",
            ),
            (
                r#"{"targets":[{"metric":"fcr","goal":70,"scope":{}}]}"#,
                "Terms: targets[0].scope: an empty scope",
            ),
            (
                r#"{"targets":[{"metric":"asa","goal":20,"formula":"answered"}]}"#,
                "Terms: targets[0].formula: does not apply to a asa target",
            ),
            (
                r#"{"timeZone":"Paris","targets":[]}"#,
                "Terms: timeZone: \"Paris\" is not a time zone",
            ),
            (
                r#"{"targets":[{"metric":"csat","goal":6}]}"#,
                "Terms: targets[0].goal: 6 is not a score on the survey's scale 1 to 5",
            ),
            (
                r#"{"targets":[{"metric":"responseWithin","goal":90,"thresholdSecs":3600,"businessHours":true}]}"#,
                "Terms: targets[0].businessHours: business time needs",
            ),
            (
                r#"{"targets":[{"metric":"availability","goal":99}]}"#,
                "Terms: targets[0].metric: an availability target needs",
            ),
            (
                r#"{"period":"day","targets":[{"metric":"asa","goal":20,"intervalAttainment":{"interval":"day","goal":90}}]}"#,
                "Terms: targets[0].intervalAttainment.interval",
            ),
            (
                r#"{"exclusions":[{"start":"2026-09-14T11:00","end":"2026-09-14T09:00","reason":"x"}],"targets":[]}"#,
                "Terms: exclusions[0].end: the end must be after the start",
            ),
            (
                r#"{"forecast":{"per":"day","volumes":[{"start":"2026-09-01T10:00","contacts":5}]},"targets":[]}"#,
                "Terms: forecast.volumes[0].start: \"2026-09-01T10:00\" is not the start of a day",
            ),
            (
                r#"{"businessHours":{"weekly":{"mon":"18:00-08:00"}},"targets":[]}"#,
                "Terms: businessHours.weekly.mon: \"18:00-08:00\"",
            ),
        ];
        for (json, expected) in cases {
            let message = refusal(json);
            assert!(message.starts_with(expected), "{json}\n→ {message}");
        }
    }

    #[test]
    fn unknown_fields_and_metrics_are_rejected_with_their_path() {
        let typo = refusal(r#"{"targets":[{"metric":"serviceLevel","goal":80,"threshold":20}]}"#);
        assert!(
            typo.starts_with("Terms: targets[0]: unknown field `threshold`"),
            "{typo}"
        );
        let unknown = refusal(r#"{"targets":[{"metric":"happiness","goal":1}]}"#);
        assert!(
            unknown.starts_with("Terms: targets[0]: unknown variant `happiness`"),
            "{unknown}"
        );
        let nested =
            refusal(r#"{"businessHours":{"weekly":{"monday":"09:00-17:00"}},"targets":[]}"#);
        assert!(
            nested.starts_with("Terms: businessHours: unknown field `monday`"),
            "{nested}"
        );
    }
}
