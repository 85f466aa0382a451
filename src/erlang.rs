//! Capacity by Erlang C (DOMAIN §7): from the traffic of an interval, the service level and ASA
//! that `N` agents give, and the agents a goal needs. Computed with the Erlang B recurrence, never
//! with factorials, so 1 000+ agents stay exact to floating-point precision.

use serde::Serialize;

/// Offered traffic: `a = λ·h / L` Erlangs, with the handle time it came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Traffic {
    pub erlangs: f64,
    pub aht_secs: f64,
}

impl Traffic {
    /// `contacts` arriving in `interval_secs`, each handled in `aht_secs` on average.
    pub fn from_volume(contacts: f64, interval_secs: f64, aht_secs: f64) -> Traffic {
        Traffic {
            erlangs: contacts * aht_secs / interval_secs,
            aht_secs,
        }
    }
}

/// What `agents` agents give under some traffic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Staffing {
    pub agents: u32,
    /// Probability that a contact waits at all, 0–1.
    pub wait_probability: f64,
    /// Service level in `threshold_secs`, a percentage.
    pub service_level: f64,
    pub asa_secs: f64,
    /// `a / N`, a percentage.
    pub occupancy: f64,
}

/// What the staffing must reach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StaffingGoal {
    /// At least `percent` % answered within `threshold_secs`.
    ServiceLevel { percent: f64, threshold_secs: f64 },
    /// An ASA of at most `secs`.
    Asa { secs: f64 },
}

/// The service level (within `threshold_secs`) and ASA of `agents` agents; `None` when
/// `agents ≤ a`, where the queue grows without bound.
pub fn erlang_c(traffic: Traffic, agents: u32, threshold_secs: f64) -> Option<Staffing> {
    let a = traffic.erlangs;
    let n = f64::from(agents);
    if a.is_nan() || a <= 0.0 {
        // No traffic: nobody waits, and one agent is enough.
        return (agents > 0).then_some(Staffing {
            agents,
            wait_probability: 0.0,
            service_level: 100.0,
            asa_secs: 0.0,
            occupancy: 0.0,
        });
    }
    if n <= a {
        return None;
    }
    // Erlang B by its recurrence: B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
    let blocking = (1..=agents).fold(1.0, |b, k| a * b / (f64::from(k) + a * b));
    let wait_probability = n * blocking / (n - a * (1.0 - blocking));
    let h = traffic.aht_secs;
    let service_level = 1.0 - wait_probability * (-(n - a) * threshold_secs / h).exp();
    Some(Staffing {
        agents,
        wait_probability,
        service_level: service_level * 100.0,
        asa_secs: wait_probability * h / (n - a),
        occupancy: a / n * 100.0,
    })
}

/// The fewest agents meeting `goal` (and keeping occupancy at most `max_occupancy` % when
/// given), with what they give.
pub fn required_agents(
    traffic: Traffic,
    goal: StaffingGoal,
    max_occupancy: Option<f64>,
) -> Staffing {
    let threshold_secs = match goal {
        StaffingGoal::ServiceLevel { threshold_secs, .. } => threshold_secs,
        StaffingGoal::Asa { .. } => 0.0,
    };
    let mut agents = traffic.erlangs.floor() as u32 + 1;
    loop {
        if let Some(staffing) = erlang_c(traffic, agents, threshold_secs) {
            let meets = match goal {
                StaffingGoal::ServiceLevel { percent, .. } => {
                    staffing.service_level >= percent - 1e-9
                }
                StaffingGoal::Asa { secs } => staffing.asa_secs <= secs + 1e-9,
            };
            let within_occupancy = max_occupancy.is_none_or(|max| staffing.occupancy <= max + 1e-9);
            if meets && within_occupancy {
                return staffing;
            }
        }
        agents += 1;
    }
}

/// Agents to schedule so that `agents` are available after `shrinkage_percent` % is lost to
/// breaks, training and absence: `N / (1 − shrinkage)`, rounded up.
pub fn scheduled_staff(agents: u32, shrinkage_percent: f64) -> u32 {
    let available = 1.0 - shrinkage_percent / 100.0;
    // A hair of tolerance: 14 / 0.7 is 20.000000000000004 in binary, and 20 people suffice.
    (f64::from(agents) / available - 1e-9).ceil() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook case of DOMAIN §7: 100 calls per 30 minutes, AHT 180 s → 10 Erlangs.
    fn textbook() -> Traffic {
        Traffic::from_volume(100.0, 1800.0, 180.0)
    }

    fn tenth(value: f64) -> f64 {
        (value * 10.0).round() / 10.0
    }

    #[test]
    fn the_textbook_service_levels_and_speeds_of_answer() {
        assert_eq!(textbook().erlangs, 10.0);
        let twelve = erlang_c(textbook(), 12, 20.0).unwrap();
        assert_eq!(
            (tenth(twelve.service_level), tenth(twelve.asa_secs)),
            (64.0, 40.4)
        );
        let thirteen = erlang_c(textbook(), 13, 20.0).unwrap();
        assert_eq!(
            (tenth(thirteen.service_level), tenth(thirteen.asa_secs)),
            (79.6, 17.1)
        );
        let fourteen = erlang_c(textbook(), 14, 20.0).unwrap();
        assert_eq!(tenth(fourteen.service_level), 88.8);
        assert_eq!((fourteen.asa_secs * 100.0).round() / 100.0, 7.84);
        assert_eq!(tenth(fourteen.occupancy), 71.4);
        assert_eq!(erlang_c(textbook(), 10, 20.0), None);
    }

    #[test]
    fn eighty_in_twenty_needs_fourteen_agents_and_twenty_scheduled() {
        let goal = StaffingGoal::ServiceLevel {
            percent: 80.0,
            threshold_secs: 20.0,
        };
        let staffing = required_agents(textbook(), goal, None);
        assert_eq!(staffing.agents, 14);
        assert_eq!(scheduled_staff(staffing.agents, 30.0), 20);
        assert_eq!(
            required_agents(textbook(), StaffingGoal::Asa { secs: 20.0 }, None).agents,
            13
        );
        // A 65 % occupancy cap raises the count: 10 / 16 = 62.5 %.
        assert_eq!(required_agents(textbook(), goal, Some(65.0)).agents, 16);
    }

    #[test]
    fn large_traffic_stays_finite_and_sensible() {
        // 1 000 Erlangs: the recurrence runs over a thousand agents without overflow, and the
        // economies of scale of a big queue show (80/20 at about 97 % occupancy).
        let traffic = Traffic::from_volume(10_000.0, 1800.0, 180.0);
        let staffing = required_agents(
            traffic,
            StaffingGoal::ServiceLevel {
                percent: 80.0,
                threshold_secs: 20.0,
            },
            None,
        );
        assert!(staffing.service_level.is_finite() && staffing.service_level >= 80.0);
        assert!(
            (1_010..1_060).contains(&staffing.agents),
            "{}",
            staffing.agents
        );
        assert!(staffing.occupancy > 94.0, "{}", staffing.occupancy);
        let fewer = erlang_c(traffic, staffing.agents - 1, 20.0).unwrap();
        assert!(fewer.service_level < 80.0);
    }

    #[test]
    fn no_traffic_needs_one_agent_and_nobody_waits() {
        let idle = Traffic::from_volume(0.0, 1800.0, 180.0);
        let staffing = erlang_c(idle, 1, 20.0).unwrap();
        assert_eq!((staffing.service_level, staffing.asa_secs), (100.0, 0.0));
    }
}
