//! The money clauses of the terms (DOMAIN §6), raw and validated: per-target credit rules
//! (tiered or linear), and the agreement's fees, cap, bonus and earn-back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::SlaError;
use crate::money::{minor_digits, Money, Rate};
use crate::target::{Direction, Unit};
use crate::terms::invalid;

/// A target's credit rule as written: `tiers`, or `percentPerUnit` with an optional `capPercent`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawCreditRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Vec<RawTier>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_per_unit: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_percent: Option<f64>,
}

/// One band: a shortfall of at least `shortfallAtLeast`, or a value strictly worse than
/// `worseThan`, owes `percent` of the fee.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawTier {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall_at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worse_than: Option<f64>,
    pub percent: f64,
}

/// The agreement's money clauses.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawCredits {
    /// Fees of particular periods by label (`"2026-09": 42000`), over `feePerPeriod`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fees: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_rule: Option<CapRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus: Option<RawBonus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earn_back_periods: Option<u32>,
}

/// How credits above the cap are reduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum CapRule {
    /// Every line in proportion to its amount (the default).
    #[default]
    ProRata,
    /// Lines kept in the order of the targets until the cap is reached.
    InOrder,
}

/// "Every judged target beaten by at least `relativeMarginPercent` % of its goal → `percent` %
/// of the fee, at most `capAmount`."
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawBonus {
    pub relative_margin_percent: f64,
    pub percent: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_amount: Option<f64>,
}

/// A validated credit rule.
#[derive(Debug, Clone, PartialEq)]
pub enum CreditRule {
    /// The highest band reached sets the credit (DOMAIN §6).
    Tiered(Vec<Tier>),
    /// `per_unit × shortfall`, at most `cap`.
    Linear { per_unit: Rate, cap: Option<Rate> },
}

/// A validated band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tier {
    pub threshold: TierThreshold,
    pub rate: Rate,
}

/// Where a band starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TierThreshold {
    /// Shortfall `≥` this, in the metric's unit.
    ShortfallAtLeast(f64),
    /// The value strictly worse than this (below it for `≥` metrics, above for `≤`).
    WorseThan(f64),
}

impl TierThreshold {
    /// The shortfall at which the band starts, for ordering bands of either kind.
    fn severity(self, goal: f64) -> f64 {
        match self {
            TierThreshold::ShortfallAtLeast(shortfall) => shortfall,
            TierThreshold::WorseThan(value) => (goal - value).abs(),
        }
    }
}

/// The validated money clauses.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditTerms {
    /// The currency's code, if the terms name one.
    pub currency: Option<String>,
    pub fee_per_period: Option<Money>,
    /// Fees by period label.
    pub fees: BTreeMap<String, Money>,
    pub cap: Option<Rate>,
    pub cap_rule: CapRule,
    pub bonus: Option<Bonus>,
    /// A credit is waived when its target is met in each of its next `n` judged periods.
    pub earn_back_periods: Option<u32>,
}

/// A validated bonus.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bonus {
    pub relative_margin_percent: f64,
    pub rate: Rate,
    pub cap: Option<Money>,
}

impl CreditTerms {
    /// Decimals of the currency's minor unit.
    pub fn digits(&self) -> u8 {
        minor_digits(self.currency.as_deref())
    }

    /// The fee of the period labelled `period`.
    pub fn fee_of(&self, period: &str) -> Option<Money> {
        self.fees.get(period).copied().or(self.fee_per_period)
    }
}

/// Validates the agreement's money clauses; `fee_per_period` and `currency` come from the top
/// level of the terms.
pub fn validate_credits(
    raw: Option<&RawCredits>,
    fee_per_period: Option<f64>,
    currency: Option<&str>,
    any_rule: bool,
) -> Result<Option<CreditTerms>, SlaError> {
    if raw.is_none() && !any_rule {
        return Ok(None);
    }
    let default = RawCredits::default();
    let raw = raw.unwrap_or(&default);
    let digits = minor_digits(currency);
    let amount = |amount: f64, field: &str| {
        Money::from_major(amount, digits).ok_or_else(|| {
            invalid(
                field,
                format!("{amount} is not an amount ≥ 0 with at most {digits} decimals"),
            )
        })
    };
    let fee_per_period = fee_per_period
        .map(|fee| amount(fee, "feePerPeriod"))
        .transpose()?;
    let fees = raw
        .fees
        .iter()
        .map(|(period, fee)| {
            Ok((
                period.trim().to_owned(),
                amount(*fee, &format!("credits.fees.{period}"))?,
            ))
        })
        .collect::<Result<BTreeMap<_, _>, SlaError>>()?;
    if fee_per_period.is_none() && fees.is_empty() {
        return Err(invalid(
            "feePerPeriod",
            "credits are a share of the fee: give feePerPeriod, or credits.fees per period"
                .to_owned(),
        ));
    }
    let bonus = raw
        .bonus
        .as_ref()
        .map(|bonus| {
            if !(bonus.relative_margin_percent.is_finite() && bonus.relative_margin_percent >= 0.0)
            {
                return Err(invalid(
                    "credits.bonus.relativeMarginPercent",
                    format!("{} is not a percentage ≥ 0", bonus.relative_margin_percent),
                ));
            }
            Ok(Bonus {
                relative_margin_percent: bonus.relative_margin_percent,
                rate: share_of_fee(bonus.percent, "credits.bonus.percent")?,
                cap: bonus
                    .cap_amount
                    .map(|cap| amount(cap, "credits.bonus.capAmount"))
                    .transpose()?,
            })
        })
        .transpose()?;
    Ok(Some(CreditTerms {
        currency: currency.map(str::to_owned),
        fee_per_period,
        fees,
        cap: raw
            .cap_percent
            .map(|cap| share_of_fee(cap, "credits.capPercent"))
            .transpose()?,
        cap_rule: raw.cap_rule.unwrap_or_default(),
        bonus,
        earn_back_periods: raw.earn_back_periods.filter(|periods| *periods > 0),
    }))
}

impl RawCreditRule {
    /// Validates the rule of a target with `goal`, `direction` and `unit`; `path` names it.
    pub fn validate(
        &self,
        goal: f64,
        direction: Direction,
        unit: Unit,
        path: &str,
    ) -> Result<CreditRule, SlaError> {
        match (&self.tiers, self.percent_per_unit) {
            (Some(tiers), None) => {
                if self.cap_percent.is_some() {
                    return Err(invalid(
                        &format!("{path}.capPercent"),
                        "a tiered rule is capped by its highest tier; capPercent is for percentPerUnit".to_owned(),
                    ));
                }
                validate_tiers(tiers, goal, direction, unit, path).map(CreditRule::Tiered)
            }
            (None, Some(per_unit)) => Ok(CreditRule::Linear {
                per_unit: share_of_fee(per_unit, &format!("{path}.percentPerUnit"))?,
                cap: self
                    .cap_percent
                    .map(|cap| share_of_fee(cap, &format!("{path}.capPercent")))
                    .transpose()?,
            }),
            _ => Err(invalid(
                path,
                "a credit rule has either tiers or percentPerUnit (with an optional capPercent)"
                    .to_owned(),
            )),
        }
    }
}

fn validate_tiers(
    raw: &[RawTier],
    goal: f64,
    direction: Direction,
    unit: Unit,
    path: &str,
) -> Result<Vec<Tier>, SlaError> {
    if raw.is_empty() {
        return Err(invalid(
            &format!("{path}.tiers"),
            "name at least one tier".to_owned(),
        ));
    }
    let mut tiers: Vec<Tier> = Vec::with_capacity(raw.len());
    for (index, tier) in raw.iter().enumerate() {
        let field = format!("{path}.tiers[{index}]");
        let threshold = match (tier.shortfall_at_least, tier.worse_than) {
            (Some(shortfall), None) if shortfall.is_finite() && shortfall >= 0.0 => {
                TierThreshold::ShortfallAtLeast(shortfall)
            }
            (Some(shortfall), None) => {
                return Err(invalid(
                    &format!("{field}.shortfallAtLeast"),
                    format!("{shortfall} is not a shortfall ≥ 0"),
                ))
            }
            (None, Some(value)) => {
                let on_the_bad_side = match direction {
                    Direction::AtLeast => value <= goal,
                    Direction::AtMost => value >= goal,
                };
                if !(value.is_finite() && on_the_bad_side) {
                    return Err(invalid(
                        &format!("{field}.worseThan"),
                        format!(
                            "{} is not on the missing side of the goal {} {}",
                            unit.format(value),
                            direction.symbol(),
                            unit.format(goal)
                        ),
                    ));
                }
                TierThreshold::WorseThan(value)
            }
            _ => {
                return Err(invalid(
                    &field,
                    "a tier starts at either shortfallAtLeast or worseThan".to_owned(),
                ))
            }
        };
        let rate = share_of_fee(tier.percent, &format!("{field}.percent"))?;
        if let Some(previous) = tiers.last() {
            if threshold.severity(goal) <= previous.threshold.severity(goal) {
                return Err(invalid(
                    &field,
                    "tiers are listed from the smallest shortfall to the largest".to_owned(),
                ));
            }
        }
        tiers.push(Tier { threshold, rate });
    }
    Ok(tiers)
}

/// A percentage of the fee, 0 to 100, exact to a millionth.
fn share_of_fee(percent: f64, field: &str) -> Result<Rate, SlaError> {
    Rate::from_percent(percent)
        .filter(|_| (0.0..=100.0).contains(&percent))
        .ok_or_else(|| {
            invalid(
                field,
                format!(
                    "{percent} is not a percentage of the fee from 0 to 100 (at most 6 decimals)"
                ),
            )
        })
}
