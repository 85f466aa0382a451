//! Seasonality, peaks and capacity (DOMAIN §7): service level and volume by weekday × hour in
//! the agreement's zone, where the misses concentrate, and the agents each hour needs for a
//! goal by Erlang C — with the reverse, what a given number of agents gives.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use serde::Serialize;

use crate::erlang::{erlang_c, required_agents, scheduled_staff, Staffing, StaffingGoal, Traffic};
use crate::measure::{HandleTally, QueueCount};
use crate::metrics::{QueueTally, Ratio};
use crate::period::{Period, PeriodFinder, PeriodKind};
use crate::report::Placement;
use crate::source::{Countable, Source};
use crate::target::{Metric, ServiceLevelFormula, Target};
use crate::terms::Terms;
use crate::text::round_for_text;
use crate::zone::Zone;

/// Hours with fewer offered contacts than this over the history are too thin to rank.
const MINIMUM_HOURLY_VOLUME: u32 = 10;
/// How many of the worst hours are named.
const WORST_HOURS: usize = 5;

/// The week as the data saw it, hour by hour, and what staffing it needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WeeklyProfile {
    /// The service level's threshold (the first service-level target's, else 20 s) and goal.
    pub threshold_secs: f64,
    pub goal: f64,
    /// 7 × 24 cells, Monday 00:00 first, in the agreement's zone.
    pub cells: Vec<HourCell>,
    /// The hours with the lowest service level, worst first.
    pub worst: Vec<HourCell>,
    /// How concentrated the late answers are, in a sentence, with what to do about it.
    pub finding: String,
}

/// One weekday × hour of the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HourCell {
    /// 0 = Monday.
    pub weekday: u8,
    pub hour: u8,
    pub offered: u32,
    /// Offered contacts per occurrence of this hour (per Monday 10:00 of the history).
    pub average_offered: f64,
    pub service_level: Option<f64>,
    pub aht_secs: Option<f64>,
    /// Agents needed for the goal, by Erlang C on the average hour; `null` without traffic.
    pub staffing: Option<HourStaffing>,
}

/// The staffing of one hour.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct HourStaffing {
    pub erlangs: f64,
    pub required: Staffing,
    pub scheduled: u32,
    /// What `agents` agents would give, when the caller asked.
    pub with_agents: Option<Staffing>,
    /// Agents and scheduled staff for each other service-level goal asked about (suggested
    /// goals), in the order asked.
    pub for_goals: Vec<GoalStaffing>,
}

/// The staffing one hour needs for one goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GoalStaffing {
    pub goal: f64,
    pub agents: u32,
    pub scheduled: u32,
}

/// Choices for the capacity figures.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CapacityOptions {
    pub shrinkage_percent: f64,
    pub max_occupancy_percent: Option<f64>,
    /// Agents for the reverse question: what they give in each hour.
    pub agents: Option<u32>,
    /// Other service-level goals (percent, same threshold) to staff each hour for.
    pub goals: Vec<f64>,
}

impl Default for CapacityOptions {
    fn default() -> CapacityOptions {
        CapacityOptions {
            shrinkage_percent: 30.0,
            max_occupancy_percent: None,
            agents: None,
            goals: Vec::new(),
        }
    }
}

/// The weekly profile of `dataset` under `terms` (after nothing is excluded: peaks are about the
/// traffic that came).
pub fn weekly_profile<S: Source>(
    dataset: &S,
    terms: &Terms,
    options: &CapacityOptions,
) -> WeeklyProfile {
    ProfileMemo::default().profile(dataset, terms, options, &mut Placement::default())
}

/// The last hour counts, kept: the page shows the profile again after every terms edit, and
/// most edits (a goal, money, a target other than the first service level) leave the zone and
/// threshold it counts at alone. Only the staffing, cheap, is then computed anew. A new
/// threshold counts again from the hours the contacts were placed in, kept while the zone stays.
#[derive(Debug, Default)]
pub struct ProfileMemo {
    last: Option<HourCounts>,
    places: Option<HourPlaces>,
}

impl ProfileMemo {
    /// [`weekly_profile`], from the last counts when they were made in the same zone at the
    /// same threshold — of the same dataset: a memo serves one dataset only. The units'
    /// arrivals in the zone are read from `placement`, the dataset's reports' own.
    pub fn profile<S: Source>(
        &mut self,
        dataset: &S,
        terms: &Terms,
        options: &CapacityOptions,
        placement: &mut Placement,
    ) -> WeeklyProfile {
        let (threshold_secs, goal) = profile_goal(terms);
        let counts = match self.last.take() {
            Some(counts)
                if counts.zone == terms.zone && counts.threshold_secs == threshold_secs =>
            {
                counts
            }
            _ => {
                let units = dataset.units();
                let places = match self.places.take() {
                    Some(places) if places.zone == terms.zone && places.hold(units) => places,
                    _ => HourPlaces::of(placement.arrivals(units, &terms.zone), &terms.zone),
                };
                let counts = HourCounts::of(dataset, &places, threshold_secs, goal);
                self.places = Some(places);
                counts
            }
        };
        let profile = profile_from(&counts, goal, options);
        self.last = Some(counts);
        profile
    }
}

/// The contacts of each weekday × hour, counted in one zone at one threshold: all a profile
/// reads of the data.
#[derive(Debug)]
struct HourCounts {
    zone: Zone,
    threshold_secs: f64,
    /// False when an interval report has no count at the threshold: the hours then say "no
    /// data" rather than 0 %.
    service_level_known: bool,
    /// 7 × 24, Monday 00:00 first.
    hours: Vec<(QueueTally, HandleTally)>,
    /// How many distinct dates of each weekday the data has.
    days: [usize; 7],
}

/// Each unit's hour of the week in one zone, and how many distinct dates of each weekday the
/// units arrived on: what counting the hours reads of the arrivals, whatever the threshold.
#[derive(Debug)]
struct HourPlaces {
    zone: Zone,
    /// Per unit, in order: weekday × 24 + hour, Monday 00:00 being 0.
    hour_of_week: Vec<u8>,
    days: [usize; 7],
}

impl HourPlaces {
    /// The places of the units arrived at `arrivals` (in `zone`, in the units' order).
    fn of(arrivals: &[DateTime<Utc>], zone: &Zone) -> HourPlaces {
        let mut dates: Vec<Vec<NaiveDate>> = vec![Vec::new(); 7];
        // The hour holding each arrival, found as a run of contacts in time order goes by; its
        // place is worked out once per run, not per contact: the wall clock, weekday and date
        // are calendar arithmetic, two thirds of a profile's time in wasm when done per contact.
        let mut hours = PeriodFinder::new(PeriodKind::Interval60, zone);
        let mut last_hour: Option<(Period, u8)> = None;
        let hour_of_week = arrivals
            .iter()
            .map(|&arrived| {
                let hour = hours.containing(arrived);
                if let Some((known, place)) = last_hour {
                    if known == hour {
                        return place;
                    }
                }
                let local = hour.wall_clock_start();
                let weekday = local.weekday().num_days_from_monday() as usize;
                let seen = &mut dates[weekday];
                if seen.last() != Some(&local.date()) && !seen.contains(&local.date()) {
                    seen.push(local.date());
                }
                let place = (weekday * 24 + local.hour() as usize) as u8;
                last_hour = Some((hour, place));
                place
            })
            .collect();
        HourPlaces {
            zone: zone.clone(),
            hour_of_week,
            days: std::array::from_fn(|weekday| dates[weekday].len()),
        }
    }

    /// Whether these are the places of `units` (of as many units, at least: a memo serves one
    /// dataset).
    fn hold<U>(&self, units: &[U]) -> bool {
        self.hour_of_week.len() == units.len()
    }
}

impl HourCounts {
    fn of<S: Source>(
        dataset: &S,
        places: &HourPlaces,
        threshold_secs: f64,
        goal: f64,
    ) -> HourCounts {
        let service_level_known = dataset
            .not_computable(&Target::new(
                Metric::ServiceLevel {
                    threshold_secs,
                    formula: ServiceLevelFormula::Offered,
                    short_abandon_secs: 0.0,
                },
                goal,
            ))
            .is_none();
        HourCounts::counted(dataset.units(), places, threshold_secs, service_level_known)
    }

    fn counted<U: Countable>(
        units: &[U],
        places: &HourPlaces,
        threshold_secs: f64,
        service_level_known: bool,
    ) -> HourCounts {
        let mut counted: Vec<(QueueCount, HandleTally)> =
            (0..7 * 24).map(|_| Default::default()).collect();
        for (unit, &hour) in units.iter().zip(&places.hour_of_week) {
            let (queue, handled) = &mut counted[usize::from(hour)];
            unit.add_queue(queue, threshold_secs, 0.0);
            unit.add_handle(handled);
        }
        HourCounts {
            zone: places.zone.clone(),
            threshold_secs,
            service_level_known,
            hours: counted
                .into_iter()
                .map(|(queue, handled)| (queue.tally, handled))
                .collect(),
            days: places.days,
        }
    }
}

/// The profile of an input without hours (a KPI history): every hour empty, and why.
pub fn without_hours(terms: &Terms, options: &CapacityOptions, why: &str) -> WeeklyProfile {
    let none: [crate::model::Contact; 0] = [];
    let (threshold_secs, goal) = profile_goal(terms);
    WeeklyProfile {
        finding: why.to_owned(),
        ..profile_from(
            &HourCounts::counted(
                &none,
                &HourPlaces::of(&[], &terms.zone),
                threshold_secs,
                false,
            ),
            goal,
            options,
        )
    }
}

/// A period's volume and AHT, for an input without hours (a KPI history with a volume).
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodLoad {
    /// The period's label, e.g. `2026-03`.
    pub period: String,
    pub contacts: u32,
    pub aht_secs: f64,
    /// Seconds the queue was open in the period: the agreement's business hours, or all of it.
    pub open_secs: f64,
    pub business_hours: bool,
}

/// The profile of an input without hours, with what its busiest period's `load` says of
/// staffing: Erlang C at the period's average load (DOMAIN §7) — a floor, since contacts come
/// in peaks — or, without a load, why there is none.
pub fn average_load_profile(
    terms: &Terms,
    options: &CapacityOptions,
    load: Option<PeriodLoad>,
) -> WeeklyProfile {
    let why = "A KPI history has one value per period, no hours: the weekly profile and the staffing per hour need contacts or an interval report.";
    let Some(load) = load.filter(|load| load.open_secs > 0.0 && load.aht_secs > 0.0) else {
        return without_hours(
            terms,
            options,
            &format!("{why} With a volume column and an AHT column it would give the average staffing of its busiest period."),
        );
    };
    let (threshold_secs, goal) = profile_goal(terms);
    let traffic = Traffic::from_volume(f64::from(load.contacts), load.open_secs, load.aht_secs);
    let staffing = required_agents(
        traffic,
        StaffingGoal::ServiceLevel {
            percent: goal,
            threshold_secs,
        },
        options.max_occupancy_percent,
    );
    let open = if load.business_hours {
        "the agreement's business hours"
    } else {
        "around the clock"
    };
    let finding = format!(
        "{why} From its volumes: the busiest period, {}, brought {} contacts at an AHT of {} s — {} agent-hours over {} open hours ({open}), {} agents busy on average. {} % in {} s at that average load needs {} agents ({} scheduled at {} % shrinkage): a floor, not a roster, since contacts come in peaks.",
        load.period,
        crate::text::count(load.contacts),
        round_for_text(load.aht_secs, 1),
        round_for_text(f64::from(load.contacts) * load.aht_secs / 3600.0, 0),
        round_for_text(load.open_secs / 3600.0, 0),
        round_for_text(traffic.erlangs, 1),
        round_for_text(goal, 1),
        round_for_text(threshold_secs, 1),
        staffing.agents,
        scheduled_staff(staffing.agents, options.shrinkage_percent),
        round_for_text(options.shrinkage_percent, 1),
    );
    without_hours(terms, options, &finding)
}

/// The profile the hour counts show, staffed for `goal`.
fn profile_from(counts: &HourCounts, goal: f64, options: &CapacityOptions) -> WeeklyProfile {
    let threshold_secs = counts.threshold_secs;
    let cells: Vec<HourCell> = counts
        .hours
        .iter()
        .enumerate()
        .map(|(index, counted)| {
            let weekday = index / 24;
            hour_cell(
                counted,
                weekday,
                index % 24,
                counts.days[weekday],
                threshold_secs,
                goal,
                options,
            )
        })
        .map(|cell| HourCell {
            service_level: cell.service_level.filter(|_| counts.service_level_known),
            ..cell
        })
        .collect();
    let mut ranked: Vec<&HourCell> = cells
        .iter()
        .filter(|cell| cell.offered >= MINIMUM_HOURLY_VOLUME && cell.service_level.is_some())
        .collect();
    ranked.sort_by(|a, b| {
        a.service_level
            .partial_cmp(&b.service_level)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let worst: Vec<HourCell> = ranked
        .iter()
        .take(WORST_HOURS)
        .map(|cell| (*cell).clone())
        .collect();
    let finding = concentration(&cells, &worst, goal);
    WeeklyProfile {
        threshold_secs,
        goal,
        cells,
        worst,
        finding,
    }
}

/// The service level the profile is read against: the first service-level target's threshold
/// and goal, else 80 % in 20 s.
fn profile_goal(terms: &Terms) -> (f64, f64) {
    terms
        .targets
        .iter()
        .find_map(|target| match target.metric {
            Metric::ServiceLevel { threshold_secs, .. } => Some((threshold_secs, target.goal)),
            _ => None,
        })
        .unwrap_or((20.0, 80.0))
}

fn hour_cell(
    (queue, handled): &(QueueTally, HandleTally),
    weekday: usize,
    hour: usize,
    occurrences: usize,
    threshold_secs: f64,
    goal: f64,
    options: &CapacityOptions,
) -> HourCell {
    let offered = queue.offered();
    let aht_secs = Ratio {
        part: handled.total_secs,
        whole: f64::from(handled.with_handle),
    }
    .mean();
    let average_offered = if occurrences == 0 {
        0.0
    } else {
        f64::from(offered) / occurrences as f64
    };
    let staffing = aht_secs.filter(|_| average_offered > 0.0).map(|aht| {
        let traffic = Traffic::from_volume(average_offered, 3600.0, aht);
        let staff_for = |percent: f64| {
            required_agents(
                traffic,
                StaffingGoal::ServiceLevel {
                    percent,
                    threshold_secs,
                },
                options.max_occupancy_percent,
            )
        };
        let required = staff_for(goal);
        HourStaffing {
            for_goals: options
                .goals
                .iter()
                .map(|&goal| {
                    let agents = staff_for(goal).agents;
                    GoalStaffing {
                        goal,
                        agents,
                        scheduled: scheduled_staff(agents, options.shrinkage_percent),
                    }
                })
                .collect(),
            erlangs: traffic.erlangs,
            scheduled: scheduled_staff(required.agents, options.shrinkage_percent),
            required,
            with_agents: options
                .agents
                .and_then(|agents| erlang_c(traffic, agents, threshold_secs)),
        }
    });
    HourCell {
        weekday: weekday as u8,
        hour: hour as u8,
        offered,
        average_offered,
        service_level: crate::metrics::service_level(queue, ServiceLevelFormula::Offered).percent(),
        aht_secs,
        staffing,
    }
}

/// Where the late answers are: the share of all contacts answered late (or abandoned) that the
/// worst hours hold, against their share of the volume.
fn concentration(cells: &[HourCell], worst: &[HourCell], goal: f64) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let late = |cell: &HourCell| {
        f64::from(cell.offered) * (1.0 - cell.service_level.unwrap_or(100.0) / 100.0)
    };
    let total_late: f64 = cells.iter().map(late).sum();
    let total_offered: f64 = cells.iter().map(|cell| f64::from(cell.offered)).sum();
    if worst.is_empty() || total_late <= 0.0 {
        return "No hour has enough volume and late answers to single out.".to_owned();
    }
    let worst_late: f64 = worst.iter().map(late).sum();
    let worst_offered: f64 = worst.iter().map(|cell| f64::from(cell.offered)).sum();
    let names: Vec<String> = worst
        .iter()
        .map(|cell| format!("{} {:02}:00", DAYS[cell.weekday as usize], cell.hour))
        .collect();
    let late_share = worst_late * 100.0 / total_late;
    let volume_share = worst_offered * 100.0 / total_offered;
    let advice = if late_share > 2.0 * volume_share {
        format!(
            "misses concentrate there: staff those hours for {} % or agree a time-of-day target or a volume-above-forecast exclusion for them",
            round_for_text(goal, 1)
        )
    } else {
        "misses are spread across the week rather than concentrated in a few hours".to_owned()
    };
    let (hours, hold) = if worst.len() == 1 {
        ("worst hour".to_owned(), "holds")
    } else {
        (format!("{} worst hours", worst.len()), "hold")
    };
    format!(
        "The {hours} ({}) {hold} {} % of the contacts not answered in time but {} % of the volume: {advice}.",
        names.join(", "),
        round_for_text(late_share, 1),
        round_for_text(volume_share, 1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_contacts_csv, RawTerms};

    #[test]
    fn wall_clock_arrivals_fall_in_the_hour_written_in_the_agreement_zone() {
        // Wall-clock times are the agreement zone's (DOMAIN §2): 10:30 in Paris, in winter
        // (UTC+1) and in summer (UTC+2), is a 10:00 arrival; an instant in UTC is placed by
        // its Paris time.
        let csv = "arrived,wait,outcome\n\
                   2026-03-02 10:30,5,answered\n\
                   2026-07-06 10:30,5,answered\n\
                   2026-03-03T09:30:00Z,5,answered\n";
        let dataset = read_contacts_csv(csv).unwrap();
        let terms = RawTerms::from_json(
            r#"{"timeZone":"Europe/Paris","targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20}]}"#,
        )
        .unwrap()
        .validate()
        .unwrap();
        let profile = weekly_profile(&dataset, &terms, &CapacityOptions::default());
        let busy: Vec<(u8, u8, u32)> = profile
            .cells
            .iter()
            .filter(|cell| cell.offered > 0)
            .map(|cell| (cell.weekday, cell.hour, cell.offered))
            .collect();
        assert_eq!(busy, [(0, 10, 2), (1, 10, 1)]);
    }

    #[test]
    fn a_monday_ten_oclock_peak_is_found_and_staffed() {
        // Two Mondays; at 10:00 each has 10 calls, half answered late; at 11:00 one quick call.
        let mut csv = String::from("arrived,wait,outcome,handle\n");
        for day in ["2026-03-02", "2026-03-09"] {
            for minute in 0..10 {
                let wait = if minute < 5 { 5 } else { 60 };
                csv.push_str(&format!("{day} 10:{minute:02},{wait},answered,180\n"));
            }
            csv.push_str(&format!("{day} 11:00,5,answered,180\n"));
        }
        let dataset = read_contacts_csv(&csv).unwrap();
        let terms = RawTerms::from_json(
            r#"{"targets":[{"metric":"serviceLevel","goal":80,"thresholdSecs":20}]}"#,
        )
        .unwrap()
        .validate()
        .unwrap();
        let options = CapacityOptions {
            agents: Some(2),
            goals: vec![50.0, 95.0],
            ..CapacityOptions::default()
        };
        let profile = weekly_profile(&dataset, &terms, &options);
        let monday_ten = &profile.cells[10];
        assert_eq!(
            (monday_ten.weekday, monday_ten.hour, monday_ten.offered),
            (0, 10, 20)
        );
        assert_eq!(monday_ten.average_offered, 10.0);
        assert_eq!(monday_ten.service_level, Some(50.0));
        // 10 calls an hour × 180 s = 0.5 Erlang: one agent gives 80/20? P(wait) = 0.5,
        // SL = 1 − 0.5·e^(−0.5·20/180) = 52.7 %; two agents: 94.9 %.
        let staffing = monday_ten.staffing.as_ref().unwrap();
        assert_eq!(staffing.erlangs, 0.5);
        assert_eq!(staffing.required.agents, 2);
        assert_eq!(staffing.scheduled, 3);
        assert!(
            (staffing.with_agents.unwrap().service_level - staffing.required.service_level).abs()
                < 1e-12
        );
        // 50 % needs one agent (52.7 %); 95 % needs three (two give 94.9 %).
        let others: Vec<(f64, u32)> = staffing
            .for_goals
            .iter()
            .map(|g| (g.goal, g.agents))
            .collect();
        assert_eq!(others, [(50.0, 1), (95.0, 3)]);
        assert_eq!(profile.worst[0].hour, 10);
        assert!(
            profile.finding.starts_with(
                "The worst hour (Mon 10:00) holds 100 % of the contacts not answered in time"
            ),
            "{}",
            profile.finding
        );
    }
}
