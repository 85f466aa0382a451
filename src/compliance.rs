//! Judging a value against a goal (DOMAIN §4): met, missed, or not judged, and by how much.

use serde::Serialize;

use crate::target::Direction;
use crate::text::{count, count_of};

/// Values are computed in binary floating point, so an exact decimal such as 80 % can come out
/// a few ulps low (e.g. 79.99999999999999). A difference this small is representation error,
/// never a real shortfall, so "met exactly" (§4: 80.0 % meets ≥ 80 %) tolerates it.
const REPRESENTATION_TOLERANCE: f64 = 1e-9;

/// The verdict on one target in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Status {
    Met,
    Missed,
    NotJudged,
}

/// A verdict with its margin, or the reason it was not judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Judgement {
    pub status: Status,
    /// `actual − goal` in the metric's unit, signed so that positive is good; `None` when
    /// not judged.
    pub margin: Option<f64>,
    /// Why a period was not judged; `None` when it was.
    pub not_judged_because: Option<String>,
}

/// Judges `actual` against `goal` in `direction`; no value is "not judged", never a miss.
pub fn judge(actual: Option<f64>, goal: f64, direction: Direction) -> Judgement {
    let Some(actual) = actual else {
        return not_judged("no data for this metric in the period".to_owned());
    };
    let margin = match direction {
        Direction::AtLeast => actual - goal,
        Direction::AtMost => goal - actual,
    };
    let status = if margin >= -REPRESENTATION_TOLERANCE {
        Status::Met
    } else {
        Status::Missed
    };
    Judgement {
        status,
        margin: Some(margin),
        not_judged_because: None,
    }
}

/// The minimum-volume rule (§4): fewer than `min_contacts` in scope is not judged.
pub fn below_minimum(contacts: u32, min_contacts: u32) -> Option<Judgement> {
    (contacts < min_contacts).then(|| {
        not_judged(format!(
            "{}, fewer than the minimum of {}",
            count_of(contacts, "contact", "contacts"),
            count(min_contacts)
        ))
    })
}

pub fn not_judged(reason: String) -> Judgement {
    Judgement {
        status: Status::NotJudged,
        margin: None,
        not_judged_because: Some(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_the_goal_is_met_even_through_float_rounding() {
        // 4 of 5 computed the way metrics does may not be exactly 80.0 in binary.
        let actual = 4.0 * 100.0 / 5.0 - 1e-12;
        assert_eq!(
            judge(Some(actual), 80.0, Direction::AtLeast).status,
            Status::Met
        );
        assert_eq!(
            judge(Some(79.9), 80.0, Direction::AtLeast).status,
            Status::Missed
        );
    }

    #[test]
    fn margin_is_positive_when_good_in_both_directions() {
        assert_eq!(
            judge(Some(85.0), 80.0, Direction::AtLeast).margin,
            Some(5.0)
        );
        let asa = judge(Some(42.0), 30.0, Direction::AtMost);
        assert_eq!((asa.status, asa.margin), (Status::Missed, Some(-12.0)));
    }

    #[test]
    fn too_few_contacts_or_no_data_is_not_judged() {
        let few = below_minimum(99, 100).unwrap();
        assert_eq!((few.status, few.margin), (Status::NotJudged, None));
        assert_eq!(
            few.not_judged_because.as_deref(),
            Some("99 contacts, fewer than the minimum of 100")
        );
        assert_eq!(below_minimum(100, 100), None);
        assert_eq!(
            judge(None, 80.0, Direction::AtLeast).status,
            Status::NotJudged
        );
    }
}
