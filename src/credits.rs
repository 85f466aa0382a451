//! Credits and bonuses (DOMAIN §6): what each missed target costs in its billing period, the
//! cap, the bonus, earn-back and the net invoice — every amount exact in minor units and
//! carrying the sentence that explains it.
//!
//! Targets are credited in the billing period (the terms' period) in which their own period
//! starts, so a daily target's misses add up in its month. Shortfalls compare exactly against
//! tier thresholds; a linear rule uses the shortfall to a thousandth of the unit, as its
//! explanation shows it, so every amount can be recomputed by hand from its sentence.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::compliance::Status;
use crate::credit_terms::{CapRule, CreditRule, CreditTerms, Tier, TierThreshold};
use crate::money::Money;
use crate::period::{Period, PeriodKind};
use crate::report::{PeriodResult, TargetResults};
use crate::target::{Direction, Target, Unit};
use crate::terms::Terms;
use crate::text::{round_for_text, spreadsheet_safe};

/// Values a hair past a threshold by binary representation count as at it (as in compliance).
const REPRESENTATION_TOLERANCE: f64 = 1e-9;

/// The money the terms move over the whole history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreditsReport {
    pub currency: Option<String>,
    pub cap_rule: CapRule,
    /// Whether the terms offer a bonus at all (a view may leave out bonus lines otherwise).
    pub bonus_in_terms: bool,
    pub periods: Vec<BillingPeriod>,
    pub totals: CreditTotals,
}

/// One invoice: its fee, credit lines, cap, bonus and net.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BillingPeriod {
    pub period: String,
    /// `null` when the terms give no fee for the period: nothing is priced.
    pub fee: Option<Money>,
    pub lines: Vec<CreditLine>,
    /// Credits not waived, before the cap.
    pub credits_before_cap: Money,
    pub cap: Option<Money>,
    /// Credits after the cap (due and pending), deducted from the fee.
    pub credits: Money,
    /// The part of `credits` still pending earn-back.
    pub pending: Money,
    pub bonus: Money,
    pub net: Money,
    /// The cap applied, if it bound.
    pub cap_explanation: Option<String>,
    pub bonus_explanation: String,
    pub net_explanation: String,
}

/// What one target owes for one of its periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreditLine {
    /// Index of the target in the terms.
    pub target: usize,
    pub label: String,
    /// The target's own period (a day of the month, or the month itself).
    pub period: String,
    pub status: Status,
    /// `goal − actual` (or `actual − goal` for `≤` metrics) in the metric's unit.
    pub shortfall: Option<f64>,
    /// The band reached, e.g. `≥ 5 pts` or `worse than 99 %`; `null` for a linear rule or
    /// when no band is reached.
    pub tier: Option<String>,
    /// The share of the fee the rule gives, e.g. `5 %`; `null` when nothing is owed.
    pub rate: Option<String>,
    pub before_cap: Money,
    pub amount: Money,
    pub earn_back: EarnBack,
    pub explanation: String,
}

/// Where a credit stands under earn-back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum EarnBack {
    /// Owed (no earn-back, or the target missed again within the window).
    Due,
    /// Owed unless the target is met in the periods still to come.
    Pending,
    /// Met in each of the next periods: not owed.
    Waived,
    /// No credit to earn back.
    None,
}

/// Sums over every priced period, and the same projected over a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreditTotals {
    /// Billing periods with a fee.
    pub periods: u32,
    pub fees: Money,
    pub credits: Money,
    pub pending: Money,
    pub bonus: Money,
    pub net: Money,
    /// Credits, bonus and net at this history's average, over a year of billing periods.
    pub annualised: Annualised,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Annualised {
    pub credits: Money,
    pub bonus: Money,
    pub net: Money,
    pub explanation: String,
}

/// The credits of `results` (the report's, one per target of `terms`) under `terms`; `None`
/// when the terms have no money clauses.
pub fn compute_credits(terms: &Terms, results: &[TargetResults]) -> Option<CreditsReport> {
    let money_terms = terms.credits.as_ref()?;
    let digits = money_terms.digits();
    let mut billing: BTreeMap<Period, Vec<(usize, usize)>> = BTreeMap::new();
    for (target_index, target_results) in results.iter().enumerate() {
        for (result_index, result) in target_results.results.iter().enumerate() {
            billing
                .entry(terms.period.containing(result.start, &terms.zone))
                .or_default()
                .push((target_index, result_index));
        }
    }
    let periods: Vec<BillingPeriod> = billing
        .iter()
        .map(|(period, members)| {
            let invoice = Invoice {
                terms,
                money_terms,
                results,
                label: period.label(),
                members,
                digits,
            };
            invoice.bill()
        })
        .collect();
    let totals = totals(&periods, terms.period, digits);
    Some(CreditsReport {
        bonus_in_terms: money_terms.bonus.is_some(),
        currency: money_terms.currency.clone(),
        cap_rule: money_terms.cap_rule,
        periods,
        totals,
    })
}

impl CreditsReport {
    /// The invoice lines as CSV, one row per amount with the same explanation the page and the
    /// JSON report show: for each billing period its fee, credit lines, cap, bonus and net, then
    /// the totals.
    pub fn to_csv(&self) -> String {
        const HEADER: [&str; 7] = [
            "period",
            "item",
            "target period",
            "status",
            "amount",
            "currency",
            "explanation",
        ];
        let mut writer = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail; a row that could not be written would only be lost.
        let _ = writer.write_record(HEADER);
        let currency = self.currency.clone().unwrap_or_default();
        let mut row = |period: &str,
                       item: &str,
                       target_period: &str,
                       status: &str,
                       amount: String,
                       explanation: &str| {
            // Target labels come from the user's terms: defused for spreadsheets.
            let _ = writer.write_record(
                [
                    period,
                    item,
                    target_period,
                    status,
                    &amount,
                    &currency,
                    explanation,
                ]
                .map(spreadsheet_safe),
            );
        };
        for period in &self.periods {
            let fee = period.fee.map(Money::plain).unwrap_or_default();
            row(&period.period, "fee", "", "", fee, "");
            for line in &period.lines {
                let status = match (line.status, line.earn_back) {
                    (Status::Missed, EarnBack::None) | (Status::Missed, EarnBack::Due) => "due",
                    (Status::Missed, EarnBack::Pending) => "pending",
                    (Status::Missed, EarnBack::Waived) => "waived",
                    _ => "not judged",
                };
                row(
                    &period.period,
                    &line.label,
                    &line.period,
                    status,
                    format!("-{}", line.amount.plain()),
                    &line.explanation,
                );
            }
            if let Some(explanation) = &period.cap_explanation {
                row(
                    &period.period,
                    "cap",
                    "",
                    "",
                    format!("-{}", period.credits.plain()),
                    explanation,
                );
            }
            row(
                &period.period,
                "bonus",
                "",
                "",
                period.bonus.plain(),
                &period.bonus_explanation,
            );
            row(
                &period.period,
                "net",
                "",
                "",
                period.net.plain(),
                &period.net_explanation,
            );
        }
        let totals = &self.totals;
        row("total", "fees", "", "", totals.fees.plain(), "");
        row(
            "total",
            "credits",
            "",
            "",
            format!("-{}", totals.credits.plain()),
            "",
        );
        row("total", "bonus", "", "", totals.bonus.plain(), "");
        row("total", "net", "", "", totals.net.plain(), "");
        row(
            "annualised",
            "net",
            "",
            "",
            totals.annualised.net.plain(),
            &totals.annualised.explanation,
        );
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// One billing period being priced.
struct Invoice<'a> {
    terms: &'a Terms,
    money_terms: &'a CreditTerms,
    results: &'a [TargetResults],
    label: String,
    /// (target, result) pairs whose period starts in this billing period.
    members: &'a [(usize, usize)],
    digits: u8,
}

impl Invoice<'_> {
    fn bill(&self) -> BillingPeriod {
        let zero = Money::zero(self.digits);
        let fee = self.money_terms.fee_of(&self.label);
        let mut lines: Vec<CreditLine> = self
            .members
            .iter()
            .filter_map(|&(target, result)| self.line(target, result, fee))
            .collect();
        let Some(fee) = fee else {
            return BillingPeriod {
                period: self.label.clone(),
                fee: None,
                lines,
                credits_before_cap: zero,
                cap: None,
                credits: zero,
                pending: zero,
                bonus: zero,
                net: zero,
                cap_explanation: None,
                bonus_explanation: "no fee for this period: nothing is priced".to_owned(),
                net_explanation: format!(
                    "no fee for {}: give feePerPeriod or credits.fees.{}",
                    self.label, self.label
                ),
            };
        };
        let owed = |line: &CreditLine| line.earn_back != EarnBack::Waived;
        let credits_before_cap = Money::total(
            lines
                .iter()
                .filter(|line| owed(line))
                .map(|line| line.before_cap),
            self.digits,
        );
        let cap = self.money_terms.cap.map(|rate| fee.percent(rate));
        let cap_explanation = match cap {
            Some(cap) if credits_before_cap > cap => {
                Some(self.apply_cap(&mut lines, credits_before_cap, cap, fee))
            }
            _ => None,
        };
        let credits = Money::total(lines.iter().map(|line| line.amount), self.digits);
        let pending = Money::total(
            lines
                .iter()
                .filter(|line| line.earn_back == EarnBack::Pending)
                .map(|line| line.amount),
            self.digits,
        );
        let (bonus, bonus_explanation) = self.bonus(fee);
        let net = fee - credits + bonus;
        BillingPeriod {
            period: self.label.clone(),
            fee: Some(fee),
            lines,
            credits_before_cap,
            cap,
            credits,
            pending,
            bonus,
            net,
            cap_explanation,
            bonus_explanation,
            net_explanation: format!("{fee} − {credits} credits + {bonus} bonus = {net}"),
        }
    }

    fn target(&self, index: usize) -> &Target {
        &self.terms.targets[index]
    }

    /// The credit line of a target's period: missed or not judged targets with a rule.
    fn line(
        &self,
        target_index: usize,
        result_index: usize,
        fee: Option<Money>,
    ) -> Option<CreditLine> {
        let target = self.target(target_index);
        let rule = target.credit.as_ref()?;
        let results = &self.results[target_index];
        let result = &results.results[result_index];
        let zero = Money::zero(self.digits);
        let mut line = CreditLine {
            target: target_index,
            label: target.label.clone(),
            period: result.period.clone(),
            status: result.judgement.status,
            shortfall: None,
            tier: None,
            rate: None,
            before_cap: zero,
            amount: zero,
            earn_back: EarnBack::None,
            explanation: String::new(),
        };
        match result.judgement.status {
            Status::Met => return None,
            Status::NotJudged => {
                line.explanation = format!(
                    "not judged ({}): owes nothing",
                    result
                        .judgement
                        .not_judged_because
                        .as_deref()
                        .unwrap_or("no verdict")
                );
                return Some(line);
            }
            Status::Missed => {}
        }
        let (Some(actual), Some(margin)) = (result.actual, result.judgement.margin) else {
            return None;
        };
        let shortfall = -margin;
        line.shortfall = Some(shortfall);
        let unit = target.metric.unit();
        let missed = format!(
            "{}: {} vs {} {}: shortfall {}",
            target.label,
            unit.format(actual),
            target.metric.direction().symbol(),
            unit.format(target.goal),
            shortfall_text(shortfall, unit)
        );
        let Some(fee) = fee else {
            line.explanation = format!("{missed} → no fee for {}: not priced", self.label);
            return Some(line);
        };
        let (rate, arithmetic) = match rule {
            CreditRule::Tiered(tiers) => {
                match highest_tier_reached(tiers, actual, shortfall, target.metric.direction()) {
                    None => {
                        line.explanation = format!(
                            "{missed} → below the first tier ({}): no credit",
                            tier_text(&tiers[0], unit)
                        );
                        return Some(line);
                    }
                    Some(tier) => {
                        line.tier = Some(tier_text(tier, unit));
                        (
                            tier.rate,
                            format!("tier {} → {}", tier_text(tier, unit), tier.rate),
                        )
                    }
                }
            }
            CreditRule::Linear { per_unit, cap } => {
                let thousandths = (shortfall * 1000.0).round() as i64;
                let uncapped = per_unit.times_thousandths(thousandths);
                let per = unit_name(unit);
                let mut text = format!(
                    "{} × {per_unit} per {per} = {uncapped}",
                    round_for_text(thousandths as f64 / 1000.0, 3)
                );
                let rate = match cap {
                    Some(cap) if uncapped > *cap => {
                        text.push_str(&format!(", capped at {cap}"));
                        *cap
                    }
                    _ => uncapped,
                };
                (rate, text)
            }
        };
        let amount = fee.percent(rate);
        line.rate = Some(rate.to_string());
        line.before_cap = amount;
        line.amount = amount;
        line.explanation = format!("{missed} → {arithmetic} of {fee} = {amount}");
        if let Some(periods) = self.money_terms.earn_back_periods {
            let (status, note) = earn_back(results, result_index, periods);
            line.earn_back = status;
            line.explanation.push_str(&format!("; {note}"));
            if status == EarnBack::Waived {
                line.amount = Money::zero(self.digits);
            }
        } else {
            line.earn_back = EarnBack::Due;
        }
        Some(line)
    }

    /// Reduces the owed lines so they sum to exactly `cap`, and says how.
    fn apply_cap(&self, lines: &mut [CreditLine], total: Money, cap: Money, fee: Money) -> String {
        let cap_rate = self.money_terms.cap.unwrap_or_default();
        let owed: Vec<usize> = (0..lines.len())
            .filter(|&index| {
                lines[index].earn_back != EarnBack::Waived && lines[index].amount.minor > 0
            })
            .collect();
        let reduced: Vec<i64> = match self.money_terms.cap_rule {
            CapRule::ProRata => pro_rata(
                &owed
                    .iter()
                    .map(|&index| lines[index].amount.minor)
                    .collect::<Vec<_>>(),
                cap.minor,
            ),
            CapRule::InOrder => {
                let mut left = cap.minor;
                owed.iter()
                    .map(|&index| {
                        let kept = lines[index].amount.minor.min(left);
                        left -= kept;
                        kept
                    })
                    .collect()
            }
        };
        for (&index, minor) in owed.iter().zip(reduced) {
            let line = &mut lines[index];
            let before = line.amount;
            line.amount = Money {
                minor,
                digits: before.digits,
            };
            line.explanation.push_str(&format!(
                "; reduced to {} by the cap ({})",
                line.amount,
                match self.money_terms.cap_rule {
                    CapRule::ProRata => "pro rata",
                    CapRule::InOrder => "in the order of the targets",
                }
            ));
        }
        let rule = match self.money_terms.cap_rule {
            CapRule::ProRata => "every line reduced in proportion to its amount",
            CapRule::InOrder => "lines kept in the order of the targets until the cap is reached",
        };
        format!("credits {total} exceed the cap of {cap_rate} of {fee} = {cap}: {rule}, to a total of exactly {cap}")
    }

    /// The bonus (DOMAIN §6): every judged target of the period beaten by the relative margin.
    fn bonus(&self, fee: Money) -> (Money, String) {
        let zero = Money::zero(self.digits);
        let Some(bonus) = self.money_terms.bonus else {
            return (zero, "no bonus in the terms".to_owned());
        };
        let needed = bonus.relative_margin_percent;
        let mut weakest: Option<(f64, String)> = None;
        for &(target_index, result_index) in self.members {
            let target = self.target(target_index);
            let result: &PeriodResult = &self.results[target_index].results[result_index];
            let unit = target.metric.unit();
            let seen = || {
                format!(
                    "{}: {} in {}",
                    target.label,
                    unit.format(result.actual.unwrap_or_default()),
                    result.period
                )
            };
            match result.judgement.status {
                Status::NotJudged => continue,
                Status::Missed => return (zero, format!("no bonus: {} was missed", seen())),
                Status::Met => {}
            }
            let margin = result.judgement.margin.unwrap_or_default();
            let relative = if target.goal == 0.0 {
                f64::INFINITY
            } else {
                margin * 100.0 / target.goal.abs()
            };
            if weakest.as_ref().is_none_or(|(least, _)| relative < *least) {
                weakest = Some((relative, seen()));
            }
        }
        let Some((least, seen)) = weakest else {
            return (zero, "no bonus: no target was judged".to_owned());
        };
        let better = if least.is_finite() {
            format!("{} % better", round_for_text(least, 1))
        } else {
            "met at a goal of 0".to_owned()
        };
        if least + REPRESENTATION_TOLERANCE < needed {
            return (
                zero,
                format!(
                    "no bonus: {seen} is {better} than its goal (the bonus needs {} %)",
                    round_for_text(needed, 2)
                ),
            );
        }
        let earned = fee.percent(bonus.rate);
        let (amount, capped) = match bonus.cap {
            Some(cap) if earned > cap => (cap, format!(", capped at {cap}")),
            _ => (earned, String::new()),
        };
        (
            amount,
            format!(
                "every judged target beat its goal by ≥ {} % (least: {seen}, {better}) → {} of {fee} = {earned}{capped}",
                round_for_text(needed, 2),
                bonus.rate
            ),
        )
    }
}

/// The band a miss falls in: the last band reached, bands being ordered by shortfall.
fn highest_tier_reached(
    tiers: &[Tier],
    actual: f64,
    shortfall: f64,
    direction: Direction,
) -> Option<&Tier> {
    tiers.iter().rev().find(|tier| match tier.threshold {
        TierThreshold::ShortfallAtLeast(at_least) => {
            shortfall >= at_least - REPRESENTATION_TOLERANCE
        }
        TierThreshold::WorseThan(value) => match direction {
            Direction::AtLeast => actual < value - REPRESENTATION_TOLERANCE,
            Direction::AtMost => actual > value + REPRESENTATION_TOLERANCE,
        },
    })
}

/// Earn-back (DOMAIN §6): waived when the target is met in each of its next `periods` judged
/// periods; due as soon as one of them is missed; pending while fewer have been seen. Periods
/// not judged neither earn back nor break the run.
fn earn_back(results: &TargetResults, after: usize, periods: u32) -> (EarnBack, String) {
    let mut met = Vec::new();
    for result in results.results.iter().skip(after + 1) {
        match result.judgement.status {
            Status::NotJudged => continue,
            Status::Missed => {
                return (
                    EarnBack::Due,
                    format!("due: missed again in {} (no earn-back)", result.period),
                )
            }
            Status::Met => met.push(result.period.as_str()),
        }
        if met.len() == periods as usize {
            return (
                EarnBack::Waived,
                format!("waived: met in {} (earn-back)", met.join(", ")),
            );
        }
    }
    (
        EarnBack::Pending,
        format!(
            "pending: waived if met in the next {periods} judged periods ({} so far)",
            met.len()
        ),
    )
}

/// Splits `cap` over `amounts` in proportion, by largest remainder, so the parts sum to `cap`
/// exactly and none exceeds its amount (ties go to the earlier line).
fn pro_rata(amounts: &[i64], cap: i64) -> Vec<i64> {
    let total: i128 = amounts.iter().map(|&amount| i128::from(amount)).sum();
    if total == 0 {
        return vec![0; amounts.len()];
    }
    let exact: Vec<(i128, i128)> = amounts
        .iter()
        .map(|&amount| {
            let product = i128::from(amount) * i128::from(cap);
            (product / total, product % total)
        })
        .collect();
    let mut parts: Vec<i64> = exact.iter().map(|(floor, _)| *floor as i64).collect();
    let mut left = cap - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..amounts.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
    for index in order {
        if left == 0 {
            break;
        }
        parts[index] += 1;
        left -= 1;
    }
    parts
}

fn totals(periods: &[BillingPeriod], kind: PeriodKind, digits: u8) -> CreditTotals {
    let priced: Vec<&BillingPeriod> = periods
        .iter()
        .filter(|period| period.fee.is_some())
        .collect();
    let zero = Money::zero(digits);
    let sum = |amount: fn(&BillingPeriod) -> Money| {
        Money::total(priced.iter().map(|period| amount(period)), digits)
    };
    let (credits, bonus, net) = (sum(|p| p.credits), sum(|p| p.bonus), sum(|p| p.net));
    let count = priced.len() as u32;
    // A year of billing periods as an exact fraction: 12 months, 365.25 / 7 weeks, 365.25 days.
    let (per_year, per_year_denominator): (i128, i128) = match kind {
        PeriodKind::Month => (12, 1),
        PeriodKind::IsoWeek => (36_525, 700),
        PeriodKind::Day => (36_525, 100),
        PeriodKind::Interval60 => (36_525 * 24, 100),
        PeriodKind::Interval30 => (36_525 * 48, 100),
        PeriodKind::Interval15 => (36_525 * 96, 100),
    };
    let annual = |amount: Money| {
        if count == 0 {
            zero
        } else {
            amount.scaled(per_year, per_year_denominator * i128::from(count))
        }
    };
    let annualised = Annualised {
        credits: annual(credits),
        bonus: annual(bonus),
        net: annual(net),
        explanation: format!(
            "the {count} priced {}s' totals × {} / {count}",
            kind.noun(),
            round_for_text(per_year as f64 / per_year_denominator as f64, 2)
        ),
    };
    CreditTotals {
        periods: count,
        fees: sum(|p| p.fee.unwrap_or_default()),
        credits,
        pending: sum(|p| p.pending),
        bonus,
        net,
        annualised,
    }
}

/// `3.8 pts`, `12 s`, `0.25`.
fn shortfall_text(shortfall: f64, unit: Unit) -> String {
    let value = round_for_text(shortfall, 3);
    match unit {
        Unit::Percent => format!("{value} pts"),
        Unit::Seconds => format!("{value} s"),
        Unit::Score => value,
    }
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "pt",
        Unit::Seconds => "s",
        Unit::Score => "point of score",
    }
}

fn tier_text(tier: &Tier, unit: Unit) -> String {
    match tier.threshold {
        TierThreshold::ShortfallAtLeast(at_least) => {
            format!("≥ {}", shortfall_text(at_least, unit))
        }
        TierThreshold::WorseThan(value) => format!("worse than {}", unit.format(value)),
    }
}
