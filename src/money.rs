//! Money in integer minor units, and percentages as exact decimals (DOMAIN §6): every amount is
//! rounded half away from zero to the currency's minor unit once, at its own line, and totals
//! are sums of rounded lines. No amount is ever a float.

use std::fmt;
use std::ops::{Add, Sub};

use serde::{Serialize, Serializer};

/// An amount in the currency's minor units (cents for EUR or USD, yen for JPY).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Money {
    pub minor: i64,
    /// Decimals of the currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD).
    pub digits: u8,
}

/// Currencies whose minor unit is not the cent (ISO 4217 exponents); every other code has 2.
const ZERO_DECIMAL: [&str; 16] = [
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF",
];
const THREE_DECIMAL: [&str; 7] = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

/// Decimals of `currency`'s minor unit (ISO 4217); 2 when the terms name no currency.
pub fn minor_digits(currency: Option<&str>) -> u8 {
    match currency {
        Some(code) if ZERO_DECIMAL.contains(&code) => 0,
        Some(code) if THREE_DECIMAL.contains(&code) => 3,
        _ => 2,
    }
}

/// `numerator / denominator` rounded half away from zero (DOMAIN §6), for i128 arithmetic.
pub fn divide_rounding_half_away(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if 2 * remainder.abs() >= denominator.abs() {
        quotient + numerator.signum() * denominator.signum()
    } else {
        quotient
    }
}

impl Money {
    pub fn zero(digits: u8) -> Money {
        Money { minor: 0, digits }
    }

    /// The sum of `amounts` — rounded lines, so the total is exactly what the lines show.
    pub fn total(amounts: impl IntoIterator<Item = Money>, digits: u8) -> Money {
        amounts
            .into_iter()
            .fold(Money::zero(digits), |total, amount| total + amount)
    }

    /// An amount written in major units (`40000`, `1234.5`), exactly when it has no more
    /// decimals than the currency; `None` otherwise, or when negative or not finite.
    pub fn from_major(amount: f64, digits: u8) -> Option<Money> {
        if !(amount.is_finite() && amount >= 0.0) {
            return None;
        }
        let scaled = amount * 10f64.powi(i32::from(digits));
        let minor = scaled.round();
        // A decimal such as 0.1 is not exact in binary: a gap this small is representation, a
        // larger one is a sub-cent amount the terms cannot mean.
        ((scaled - minor).abs() < 1e-6 && minor < 9e15).then_some(Money {
            minor: minor as i64,
            digits,
        })
    }

    /// `rate` of this amount, rounded half away from zero to the minor unit.
    pub fn percent(self, rate: Rate) -> Money {
        let minor = divide_rounding_half_away(
            i128::from(self.minor) * i128::from(rate.millionths),
            100 * Rate::SCALE,
        );
        Money {
            minor: minor as i64,
            digits: self.digits,
        }
    }

    /// This amount scaled by `numerator / denominator`, rounded half away from zero.
    pub fn scaled(self, numerator: i128, denominator: i128) -> Money {
        Money {
            minor: divide_rounding_half_away(i128::from(self.minor) * numerator, denominator)
                as i64,
            digits: self.digits,
        }
    }

    /// `40000.00`: exact decimal text, as the JSON report and CSV export carry it.
    pub fn plain(self) -> String {
        self.text(false)
    }

    fn text(self, grouped: bool) -> String {
        let digits = u32::from(self.digits);
        let unit = 10i64.pow(digits);
        let (whole, fraction) = (self.minor.abs() / unit, self.minor.abs() % unit);
        let whole = if grouped {
            crate::text::count(whole as u64)
        } else {
            whole.to_string()
        };
        let sign = if self.minor < 0 { "-" } else { "" };
        if digits == 0 {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{fraction:0width$}", width = digits as usize)
        }
    }
}

impl fmt::Display for Money {
    /// `40,000.00`: grouped, for explanations.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.text(true))
    }
}

impl Serialize for Money {
    /// As exact decimal text, `"2000.00"`: a JSON number would be a float.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.plain())
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    /// What [`Money::plain`] writes: exact decimal text.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An amount as exact decimal text, e.g. \"2000.00\": a JSON number would be a float."
        })
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money {
            minor: self.minor + other.minor,
            digits: self.digits,
        }
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money {
            minor: self.minor - other.minor,
            digits: self.digits,
        }
    }
}

/// A percentage as an exact decimal, to a millionth of a percent (`2.5` is 2 500 000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Rate {
    pub millionths: i64,
}

impl Rate {
    const SCALE: i128 = 1_000_000;

    /// A percentage from the terms, exactly when it has at most six decimals.
    pub fn from_percent(percent: f64) -> Option<Rate> {
        let scaled = percent * Rate::SCALE as f64;
        let millionths = scaled.round();
        (percent.is_finite() && (scaled - millionths).abs() < 1e-3 && millionths.abs() < 9e15)
            .then_some(Rate {
                millionths: millionths as i64,
            })
    }

    /// `rate × units / 1000`, for a linear rule's rate per unit times a shortfall in thousandths
    /// of the unit; rounded half away from zero to the millionth of a percent.
    pub fn times_thousandths(self, thousandths: i64) -> Rate {
        Rate {
            millionths: divide_rounding_half_away(
                i128::from(self.millionths) * i128::from(thousandths),
                1000,
            ) as i64,
        }
    }
}

impl fmt::Display for Rate {
    /// `2.5 %`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = self.millionths as f64 / Rate::SCALE as f64;
        write!(formatter, "{} %", crate::text::round_for_text(percent, 6))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn euros(minor: i64) -> Money {
        Money { minor, digits: 2 }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(divide_rounding_half_away(5, 2), 3);
        assert_eq!(divide_rounding_half_away(-5, 2), -3);
        assert_eq!(divide_rounding_half_away(4, 3), 1);
        assert_eq!(divide_rounding_half_away(-4, 3), -1);
        // Half a cent: 2.5 % of 0.25 is 0.00625 → 0.01; 2.5 % of 0.20 is 0.005 → 0.01.
        let rate = Rate::from_percent(2.5).unwrap();
        assert_eq!(euros(25).percent(rate), euros(1));
        assert_eq!(euros(20).percent(rate), euros(1));
        assert_eq!(euros(19).percent(rate), euros(0));
    }

    #[test]
    fn amounts_and_rates_are_read_exactly() {
        assert_eq!(Money::from_major(40_000.0, 2), Some(euros(4_000_000)));
        assert_eq!(Money::from_major(0.1, 2), Some(euros(10)));
        assert_eq!(Money::from_major(1.005, 2), None);
        assert_eq!(Money::from_major(-1.0, 2), None);
        assert_eq!(Money::from_major(1234.0, 0).unwrap().minor, 1234);
        assert_eq!(Rate::from_percent(0.1).unwrap().millionths, 100_000);
        assert_eq!(Rate::from_percent(5.0).unwrap().to_string(), "5 %");
        assert_eq!(Rate::from_percent(0.0000001), None);
    }

    #[test]
    fn text_is_exact_and_grouped_for_people() {
        assert_eq!(euros(200_000).to_string(), "2,000.00");
        assert_eq!(euros(200_000).plain(), "2000.00");
        assert_eq!(euros(-5).plain(), "-0.05");
        assert_eq!(
            Money {
                minor: 1_500_000,
                digits: 0
            }
            .to_string(),
            "1,500,000"
        );
        assert_eq!(minor_digits(Some("JPY")), 0);
        assert_eq!(minor_digits(Some("KWD")), 3);
        assert_eq!(minor_digits(None), 2);
    }

    #[test]
    fn a_linear_rate_times_a_shortfall_is_exact() {
        // 1.5 % per point × 3.824 points = 5.736 %; of 40,000.00 = 2,294.40.
        let rate = Rate::from_percent(1.5).unwrap().times_thousandths(3824);
        assert_eq!(rate.to_string(), "5.736 %");
        assert_eq!(euros(4_000_000).percent(rate), euros(229_440));
    }
}
