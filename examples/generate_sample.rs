//! Writes the bundled sample data, `www/sample/contacts.csv`, to standard output:
//!
//! ```sh
//! cargo run --example generate_sample > www/sample/contacts.csv
//! ```
//!
//! Three months (August to October 2026) of a small voice-and-chat queue, seeded so the file is
//! the same on every machine (the test command checks that the committed file matches). The
//! model is deliberately simple but shaped like real queues:
//! - open Monday to Saturday 08:00–20:00, Saturdays at 40 % of a weekday, closed Sundays;
//! - arrivals per hour Poisson around a two-peak day (late morning, early afternoon);
//! - a third of contacts find an agent free (wait 0–4 s); the rest wait an exponential time
//!   whose mean grows with the hour's load and differs by month (September is understaffed, so
//!   its service level misses 80/20 while August and October meet it);
//! - every caller has an exponential patience (mean 180 s): whoever would wait longer hangs up,
//!   which gives about 6 % abandons;
//! - answered contacts are resolved on first contact about 72 % of the time, and about one in
//!   four answers a 1–5 survey, scoring lower after a longer wait.
//!
//! FCR and survey draws come from a second seeded stream, so adding them left the queue itself
//! (arrivals, waits, outcomes) exactly as it was.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SEED: u64 = 20_260_801;
/// Mean contacts per hour on a weekday, from 08:00 to 19:00.
const WEEKDAY_HOURLY_ARRIVALS: [f64; 12] =
    [2.0, 3.5, 5.0, 5.5, 4.5, 3.5, 4.5, 5.0, 4.0, 3.0, 2.0, 1.5];
const SATURDAY_SHARE: f64 = 0.4;
const SHARE_FOUND_AGENT_FREE: f64 = 0.33;
const MEAN_PATIENCE_SECS: f64 = 180.0;
const SURVEY_SEED: u64 = 20_260_802;
const SHARE_RESOLVED_FIRST_TIME: f64 = 0.72;
const SHARE_ANSWERING_SURVEY: f64 = 0.25;

fn main() {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut survey_rng = ChaCha8Rng::seed_from_u64(SURVEY_SEED);
    let first_day = chrono::NaiveDate::from_ymd_opt(2026, 8, 1).expect("a valid date");
    let last_day = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).expect("a valid date");
    println!("arrived,channel,priority,wait,outcome,handle,fcr,csat");
    for day in first_day.iter_days().take_while(|day| *day <= last_day) {
        use chrono::{Datelike, Weekday};
        let day_share = match day.weekday() {
            Weekday::Sun => continue,
            Weekday::Sat => SATURDAY_SHARE,
            _ => 1.0,
        };
        let mean_wait_when_queued = match day.month() {
            9 => 15.0,
            _ => 8.5,
        };
        for (hour_index, hourly) in WEEKDAY_HOURLY_ARRIVALS.iter().enumerate() {
            let hour = 8 + hour_index as u32;
            let load = hourly / 5.5;
            let mut arrivals: Vec<u32> = (0..poisson(&mut rng, hourly * day_share))
                .map(|_| rng.random_range(0..3600))
                .collect();
            arrivals.sort_unstable();
            for second in arrivals {
                let arrived = day
                    .and_hms_opt(hour, second / 60, second % 60)
                    .expect("a valid time");
                let needed_wait = if rng.random_bool(SHARE_FOUND_AGENT_FREE) {
                    f64::from(rng.random_range(0..5))
                } else {
                    exponential(&mut rng, mean_wait_when_queued * (0.5 + load))
                };
                let patience = exponential(&mut rng, MEAN_PATIENCE_SECS);
                let (wait, outcome, handle) = if patience < needed_wait {
                    (patience.max(1.0), "abandoned", String::new())
                } else {
                    let handle = 90.0 + exponential(&mut rng, 210.0);
                    (needed_wait, "answered", format!("{}", handle.round()))
                };
                let channel = if rng.random_bool(0.7) {
                    "voice"
                } else {
                    "chat"
                };
                let priority = if rng.random_bool(0.15) {
                    "high"
                } else {
                    "normal"
                };
                let (fcr, csat) = if outcome == "answered" {
                    survey(&mut survey_rng, wait)
                } else {
                    (String::new(), String::new())
                };
                println!(
                    "{},{channel},{priority},{},{outcome},{handle},{fcr},{csat}",
                    arrived.format("%Y-%m-%d %H:%M:%S"),
                    wait.round()
                );
            }
        }
    }
}

/// Whether an answered contact was resolved first time, and its survey score if it answered one:
/// mostly 4s and 5s, a point lower after more than a minute's wait.
fn survey(rng: &mut ChaCha8Rng, wait: f64) -> (String, String) {
    let fcr = if rng.random_bool(SHARE_RESOLVED_FIRST_TIME) {
        "yes"
    } else {
        "no"
    };
    let csat = if rng.random_bool(SHARE_ANSWERING_SURVEY) {
        const SCORES: [u32; 10] = [5, 5, 5, 5, 4, 4, 4, 3, 2, 1];
        let score = SCORES[rng.random_range(0..SCORES.len())];
        let penalty = u32::from(wait > 60.0 && score > 1);
        (score - penalty).to_string()
    } else {
        String::new()
    };
    (fcr.to_owned(), csat)
}

fn exponential(rng: &mut ChaCha8Rng, mean: f64) -> f64 {
    -mean * (1.0 - rng.random::<f64>()).ln()
}

/// Knuth's method: exact and fast enough for the small hourly means used here.
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u32 {
    let limit = (-mean).exp();
    let mut product = rng.random::<f64>();
    let mut count = 0;
    while product > limit {
        product *= rng.random::<f64>();
        count += 1;
    }
    count
}
