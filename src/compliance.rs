//! Judging a target in one period (DOMAIN §4): met, missed, or not judged, and by how much.

use serde::Serialize;

use crate::terms::{Direction, Target};

/// Values are computed in binary floating point, so an exact decimal such as 80 % can come out
/// a few ulps low (e.g. 79.99999999999999). A difference this small is representation error,
/// never a real shortfall, so "met exactly" (§4: 80.0 % meets ≥ 80 %) tolerates it.
const REPRESENTATION_TOLERANCE: f64 = 1e-9;

/// The verdict on one target in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    Met,
    Missed,
    NotJudged,
}

/// A verdict with its margin, or the reason it was not judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Judgement {
    pub status: Status,
    /// `actual − goal` in the metric's unit, signed so that positive is good; `None` when
    /// not judged.
    pub margin: Option<f64>,
    /// Why a period was not judged; `None` when it was.
    pub not_judged_because: Option<String>,
}

/// Judges `actual` against `target` for a period with `contacts` contacts in scope.
pub fn judge(target: &Target, actual: Option<f64>, contacts: u32) -> Judgement {
    if contacts < target.min_contacts {
        return not_judged(format!(
            "{contacts} contacts, fewer than the minimum of {}",
            target.min_contacts
        ));
    }
    let Some(actual) = actual else {
        return not_judged("no data for this metric in the period".to_owned());
    };
    let margin = match target.metric.direction() {
        Direction::AtLeast => actual - target.goal,
        Direction::AtMost => target.goal - actual,
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

fn not_judged(reason: String) -> Judgement {
    Judgement {
        status: Status::NotJudged,
        margin: None,
        not_judged_because: Some(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::Metric;

    fn service_level_target(goal: f64, min_contacts: u32) -> Target {
        Target {
            metric: Metric::ServiceLevel {
                threshold_secs: 20.0,
            },
            goal,
            min_contacts,
        }
    }

    #[test]
    fn exactly_the_goal_is_met_even_through_float_rounding() {
        let target = service_level_target(80.0, 1);
        // 4 of 5 computed the way metrics does may not be exactly 80.0 in binary.
        let actual = 4.0 * 100.0 / 5.0 - 1e-12;
        assert_eq!(judge(&target, Some(actual), 5).status, Status::Met);
        assert_eq!(judge(&target, Some(79.9), 5).status, Status::Missed);
    }

    #[test]
    fn margin_is_positive_when_good_in_both_directions() {
        let service_level = judge(&service_level_target(80.0, 1), Some(85.0), 10);
        assert_eq!(service_level.margin, Some(5.0));
        let asa = Target {
            metric: Metric::Asa,
            goal: 30.0,
            min_contacts: 1,
        };
        let judged = judge(&asa, Some(42.0), 10);
        assert_eq!(
            (judged.status, judged.margin),
            (Status::Missed, Some(-12.0))
        );
    }

    #[test]
    fn too_few_contacts_or_no_data_is_not_judged() {
        let target = service_level_target(80.0, 100);
        let judged = judge(&target, Some(50.0), 99);
        assert_eq!(judged.status, Status::NotJudged);
        assert_eq!(judged.margin, None);
        assert_eq!(
            judge(&service_level_target(80.0, 1), None, 3).status,
            Status::NotJudged
        );
    }
}
