//! Times the core natively on a contact file under terms, and prints one JSON line of medians:
//!
//! ```sh
//! cargo run --release --example bench_native -- bench.csv bench/terms.json 5
//! ```
//!
//! `import` is bytes in memory → contacts (decoding, cutting, every cell read); `report` is
//! contacts → every target's compliance and the credits, made anew, what an edit of the
//! setting (the zone, the period, exclusions) costs; `whole` is both, what a user waits for on
//! opening a file; `recompute` is the report after an edit of the first target's threshold and
//! `goalEdit` after one that moves only its goal, each made after the last report as the page
//! makes them (`ReportMemo`: the threshold edit measures that target alone, the goal edit
//! none); `suggest` is the
//! realistic targets (history, three goals per target, each replayed through the credits),
//! which the page recomputes with every edit once they are shown; `periodEdit` is the report
//! after the period is changed (month → week), a setting edit that measures every target again
//! from the contacts' kept places in time; `zoneEdit` is the report after the zone is changed
//! (UTC → Europe/Paris, a named zone with summer time), a setting edit that places every arrival
//! again and measures every target; `hoursEdit` after business hours are set (weekdays 9 to 5)
//! `exclusionEdit` after an exclusion window is added (two hours of 10 February) and
//! `forecastEdit` after a forecast is set (half-hourly, 10 February), each from the terms as
//! they are, setting edits that measure every target again. The file is read
//! from disk once, untimed: the figure is the core's, not the disk's.

use std::time::{Duration, Instant};

use slacalc::input::{read_contacts, ImportOptions};
use slacalc::rejudge::ReportMemo;
use slacalc::suggest::suggest;
use slacalc::target::Metric;
use slacalc::{build_report, RawTerms};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, terms, rest @ ..] = args.as_slice() else {
        eprintln!("usage: bench_native <contacts.csv> <terms.json> [runs]");
        std::process::exit(2);
    };
    let runs: usize = rest.first().and_then(|runs| runs.parse().ok()).unwrap_or(5);
    let bytes = std::fs::read(file).unwrap_or_else(|error| fail(file, &error.to_string()));
    let terms =
        std::fs::read_to_string(terms).unwrap_or_else(|error| fail(terms, &error.to_string()));
    let validated = |json: &str| {
        RawTerms::from_json(json)
            .and_then(|raw| raw.validate())
            .unwrap_or_else(|error| fail("terms", &error.to_string()))
    };
    let as_json: serde_json::Value =
        serde_json::from_str(&terms).unwrap_or_else(|error| fail("terms", &error.to_string()));
    // The terms with one setting changed, as the page's benchmark changes them.
    let with_setting = |setting: &str, value: serde_json::Value| {
        let mut edited = as_json.clone();
        edited[setting] = value;
        validated(&edited.to_string())
    };
    let period_edited = with_setting("period", "isoWeek".into());
    let zone_edited = with_setting("timeZone", "Europe/Paris".into());
    let hours_edited = with_setting("businessHours", bench_business_hours());
    let exclusion_edited = with_setting("exclusions", bench_exclusions());
    let forecast_edited = with_setting("forecast", bench_forecast());
    let terms = validated(&terms);

    let (mut import, mut report, mut whole, mut suggested) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut recompute, mut goal_edit) = (Vec::new(), Vec::new());
    let (mut period_edit, mut zone_edit) = (Vec::new(), Vec::new());
    let (mut hours_edit, mut exclusion_edit, mut forecast_edit) =
        (Vec::new(), Vec::new(), Vec::new());
    // The page's benchmark edits alike (bench/chromium.mjs): a threshold, then a goal.
    let mut threshold_edited = terms.clone();
    if let Some(Metric::ServiceLevel { threshold_secs, .. }) = threshold_edited
        .targets
        .first_mut()
        .map(|first| &mut first.metric)
    {
        *threshold_secs += 1.0;
    }
    let mut goal_edited = threshold_edited.clone();
    if let Some(first) = goal_edited.targets.first_mut() {
        first.goal -= 1.0;
    }
    let mut contacts = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let dataset = read_contacts(&bytes, &ImportOptions::default())
            .unwrap_or_else(|error| fail(file, &error.to_string()));
        let imported = Instant::now();
        let built = build_report(&dataset, &terms);
        let done = Instant::now();
        std::hint::black_box(built);
        std::hint::black_box(suggest(&dataset, &terms));
        suggested.push(done.elapsed());
        let mut memo = ReportMemo::default();
        std::hint::black_box(memo.report(&dataset, &terms));
        let edited = Instant::now();
        std::hint::black_box(memo.report(&dataset, &threshold_edited));
        recompute.push(edited.elapsed());
        let edited = Instant::now();
        std::hint::black_box(memo.report(&dataset, &goal_edited));
        goal_edit.push(edited.elapsed());
        let edited = Instant::now();
        std::hint::black_box(memo.report(&dataset, &period_edited));
        period_edit.push(edited.elapsed());
        let edited = Instant::now();
        std::hint::black_box(memo.report(&dataset, &zone_edited));
        zone_edit.push(edited.elapsed());
        // Each from the terms as they are, as a person sets them on the page.
        for (edit, times) in [
            (&hours_edited, &mut hours_edit),
            (&exclusion_edited, &mut exclusion_edit),
            (&forecast_edited, &mut forecast_edit),
        ] {
            std::hint::black_box(memo.report(&dataset, &terms));
            let edited = Instant::now();
            std::hint::black_box(memo.report(&dataset, edit));
            times.push(edited.elapsed());
        }
        contacts = dataset.contacts.len();
        import.push(imported - started);
        report.push(done - imported);
        whole.push(done - started);
    }
    let import = median(import);
    let megabytes = bytes.len() as f64 / 1e6;
    println!(
        "{{\"contacts\":{contacts},\"megabytes\":{megabytes:.1},\"runs\":{runs},\"importMs\":{:.0},\"reportMs\":{:.0},\"recomputeMs\":{:.1},\"wholeMs\":{:.0},\"suggestMs\":{:.0},\"goalEditMs\":{:.1},\"periodEditMs\":{:.0},\"zoneEditMs\":{:.0},\"hoursEditMs\":{:.0},\"exclusionEditMs\":{:.0},\"forecastEditMs\":{:.0},\"importMBps\":{:.0}}}",
        millis(import),
        millis(median(report)),
        millis(median(recompute)),
        millis(median(whole)),
        millis(median(suggested)),
        millis(median(goal_edit)),
        millis(median(period_edit)),
        millis(median(zone_edit)),
        millis(median(hours_edit)),
        millis(median(exclusion_edit)),
        millis(median(forecast_edit)),
        megabytes / import.as_secs_f64()
    );
}

/// Business hours as bench/chromium.mjs sets them: weekdays, 9 to 5.
fn bench_business_hours() -> serde_json::Value {
    let day = serde_json::Value::from("09:00-17:00");
    serde_json::json!({ "weekly": { "mon": day, "tue": day, "wed": day, "thu": day, "fri": day } })
}

/// An exclusion window as bench/chromium.mjs adds it: two hours of the file's second month.
fn bench_exclusions() -> serde_json::Value {
    serde_json::json!([{ "start": "2026-02-10T10:00", "end": "2026-02-10T12:00", "reason": "Outage" }])
}

/// A forecast as bench/chromium.mjs sets it: each half hour of 10 February, low enough that
/// some of them are above it.
fn bench_forecast() -> serde_json::Value {
    let volumes: Vec<serde_json::Value> = (0..48)
        .map(|half| {
            let start = format!("2026-02-10T{:02}:{:02}", half / 2, half % 2 * 30);
            serde_json::json!({ "start": start, "contacts": 100 })
        })
        .collect();
    serde_json::json!({ "per": "interval30", "volumes": volumes })
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn millis(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}

fn fail(what: &str, message: &str) -> ! {
    eprintln!("bench_native: {what}: {message}");
    std::process::exit(1)
}
