//! Invariants of the engine over random queues (DOMAIN §3–§5): shares stay within 0–100 %,
//! the `answered` service level never reads below `offered` when no abandon is short, splitting
//! by scope and re-merging gives back the same counts, and exclusions lose no contact.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use slacalc::input::LastPart;
use slacalc::parallel_import::{read_in_parts, Sharing};
use slacalc::{build_report, read_contacts_csv, RawTerms, Report};

const CHANNELS: [&str; 3] = ["voice", "chat", "email"];
const OUTCOMES: [&str; 3] = ["answered", "abandoned", "transferred"];

/// A contact: minutes after 2026-09-01 00:00 (two months' worth), wait in half seconds,
/// outcome and channel by index.
type RandomContact = (u32, u32, usize, usize);

fn random_queue() -> impl Strategy<Value = Vec<RandomContact>> {
    prop::collection::vec(
        (0u32..61 * 24 * 60, 0u32..240, 0usize..3, 0usize..3),
        1..300,
    )
}

fn csv_of(contacts: &[RandomContact]) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 9, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut csv = String::from("arrived,wait,outcome,channel\n");
    for &(minute, half_seconds, outcome, channel) in contacts {
        let arrived = start + chrono::Duration::minutes(i64::from(minute));
        csv.push_str(&format!(
            "{},{},{},{}\n",
            arrived.format("%Y-%m-%d %H:%M"),
            f64::from(half_seconds) / 2.0,
            OUTCOMES[outcome],
            CHANNELS[channel]
        ));
    }
    csv
}

fn report_of(contacts: &[RandomContact], terms: &str) -> Report {
    let dataset = read_contacts_csv(&csv_of(contacts)).unwrap();
    let terms = RawTerms::from_json(terms).unwrap().validate().unwrap();
    build_report(&dataset, &terms)
}

const FORMULAS: [&str; 4] = ["offered", "answered", "abandonsNeutral", "abandonsPositive"];

proptest! {
    #[test]
    fn every_share_is_within_0_and_100(
        contacts in random_queue(),
        threshold in 0u32..120,
        short in 0u32..30,
    ) {
        let mut targets: Vec<String> = FORMULAS
            .iter()
            .map(|formula| format!(
                r#"{{"metric":"serviceLevel","goal":80,"thresholdSecs":{threshold},"formula":"{formula}","shortAbandonSecs":{short}}}"#
            ))
            .collect();
        targets.push(format!(r#"{{"metric":"abandonmentRate","goal":5,"shortAbandonSecs":{short}}}"#));
        targets.push(format!(
            r#"{{"metric":"serviceLevel","goal":80,"thresholdSecs":{threshold},"period":"day","intervalAttainment":{{"interval":"interval30","goal":90}}}}"#
        ));
        let report = report_of(&contacts, &format!(r#"{{"targets":[{}]}}"#, targets.join(",")));
        for target in &report.targets {
            for result in &target.results {
                if let Some(share) = result.actual {
                    prop_assert!((0.0..=100.0).contains(&share), "{}: {share}", target.label);
                }
            }
        }
    }

    #[test]
    fn answered_service_level_is_never_below_offered_without_short_abandons(
        contacts in random_queue(),
        threshold in 0u32..120,
    ) {
        let terms = format!(
            r#"{{"period":"day","targets":[
                {{"metric":"serviceLevel","goal":80,"thresholdSecs":{threshold},"formula":"answered"}},
                {{"metric":"serviceLevel","goal":80,"thresholdSecs":{threshold},"formula":"offered"}}]}}"#
        );
        let report = report_of(&contacts, &terms);
        let (answered, offered) = (&report.targets[0], &report.targets[1]);
        for (a, o) in answered.results.iter().zip(&offered.results) {
            if let (Some(a), Some(o)) = (a.actual, o.actual) {
                prop_assert!(a >= o - 1e-9, "{}: answered {a} < offered {o}", a);
            }
        }
    }

    #[test]
    fn splitting_by_channel_and_merging_gives_the_same_counts(
        contacts in random_queue(),
        threshold in 0u32..120,
        short in 0u32..30,
    ) {
        let metrics = [
            format!(r#""metric":"serviceLevel","goal":80,"thresholdSecs":{threshold},"shortAbandonSecs":{short}"#),
            format!(r#""metric":"abandonmentRate","goal":5,"shortAbandonSecs":{short}"#),
            r#""metric":"asa","goal":30"#.to_owned(),
        ];
        let mut targets = Vec::new();
        for metric in &metrics {
            targets.push(format!("{{{metric}}}"));
            for channel in CHANNELS {
                targets.push(format!(r#"{{{metric},"scope":{{"channel":"{channel}"}}}}"#));
            }
        }
        let report = report_of(&contacts, &format!(r#"{{"targets":[{}]}}"#, targets.join(",")));
        for group in report.targets.chunks(1 + CHANNELS.len()) {
            let (whole, parts) = group.split_first().unwrap();
            for (index, merged) in whole.results.iter().enumerate() {
                let period_parts = parts.iter().filter_map(|part| {
                    part.results.iter().find(|result| result.period == merged.period)
                });
                let (mut contacts, mut part, mut whole_sum) = (0, 0.0, 0.0);
                for result in period_parts {
                    contacts += result.contacts.unwrap();
                    let ratio = result.ratio.unwrap();
                    part += ratio.part;
                    whole_sum += ratio.whole;
                }
                let ratio = merged.ratio.unwrap();
                prop_assert_eq!(Some(contacts), merged.contacts, "{} period {}", whole.label, index);
                prop_assert!((part - ratio.part).abs() < 1e-6, "{}: {part} vs {}", whole.label, ratio.part);
                prop_assert!((whole_sum - ratio.whole).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn a_target_among_others_is_measured_as_it_is_alone(
        contacts in random_queue(),
        picks in prop::collection::vec((0usize..6, 0u32..60, 0u32..3), 2..7),
        excluded_day in 1u32..28,
    ) {
        // Targets of one scope that count alike share one count in the walk (a service level
        // and an ASA): whatever their order and thresholds, each reads what it would alone.
        let targets: Vec<String> = picks
            .iter()
            .map(|&(metric, secs, channel)| {
                let metric = match metric {
                    0 => format!(r#""metric":"serviceLevel","goal":80,"thresholdSecs":{secs}"#),
                    1 => format!(r#""metric":"serviceLevel","goal":80,"thresholdSecs":20,"shortAbandonSecs":{}"#, secs % 7),
                    2 => r#""metric":"asa","goal":30"#.to_owned(),
                    3 => format!(r#""metric":"abandonmentRate","goal":5,"shortAbandonSecs":{}"#, secs % 7),
                    4 => r#""metric":"waitPercentile","goal":60,"percentile":90"#.to_owned(),
                    _ => format!(r#""metric":"maxWait","goal":300,"ofAllOffered":{}"#, secs % 2 == 0),
                };
                let scope = match channel {
                    0 => String::new(),
                    channel => format!(r#","scope":{{"channel":"{}"}}"#, CHANNELS[channel as usize]),
                };
                format!("{{{metric}{scope}}}")
            })
            .collect();
        let with = |targets: &[String]| {
            format!(
                r#"{{"period":"month","exclusions":[{{"start":"2026-09-{excluded_day:02}T06:00","end":"2026-09-{excluded_day:02}T18:00","reason":"outage"}}],"targets":[{}]}}"#,
                targets.join(",")
            )
        };
        let together = report_of(&contacts, &with(&targets));
        for (target, measured) in targets.iter().zip(&together.targets) {
            let alone = report_of(&contacts, &with(std::slice::from_ref(target)));
            prop_assert_eq!(
                serde_json::to_string(&alone.targets[0]).unwrap(),
                serde_json::to_string(measured).unwrap()
            );
        }
    }

    #[test]
    fn an_exclusion_window_loses_no_contact(
        contacts in random_queue(),
        from_day in 1u32..28,
        length_hours in 1u32..200,
    ) {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 9, from_day).unwrap().and_hms_opt(6, 0, 0).unwrap();
        let end = start + chrono::Duration::hours(i64::from(length_hours));
        let terms = format!(
            r#"{{"period":"day","exclusions":[{{"start":"{}","end":"{}","reason":"outage"}}],
                "targets":[{{"metric":"serviceLevel","goal":80,"thresholdSecs":20}}]}}"#,
            start.format("%Y-%m-%dT%H:%M"),
            end.format("%Y-%m-%dT%H:%M")
        );
        let report = report_of(&contacts, &terms);
        let counted: u32 = report.periods.iter().map(|p| p.contacts.unwrap() + p.excluded).sum();
        prop_assert_eq!(counted as usize, contacts.len());
        let excluded: u32 = report.periods.iter().map(|p| p.excluded).sum();
        prop_assert_eq!(excluded, report.exclusions[0].contacts);
    }
}

/// Terms with two credited targets (tiered service level, linear ASA), a cap and a bonus.
fn money_terms(
    tier_start: u32,
    tier_step: u32,
    per_second: u32,
    cap: u32,
    bonus: u32,
    fee: u32,
) -> String {
    format!(
        r#"{{"feePerPeriod":{fee}.55,"period":"day",
            "credits":{{"capPercent":{cap},"bonus":{{"relativeMarginPercent":5,"percent":{bonus}}},"earnBackPeriods":1}},
            "targets":[
              {{"metric":"serviceLevel","goal":80,"thresholdSecs":20,"credit":{{"tiers":[
                {{"shortfallAtLeast":{tier_start},"percent":3.5}},
                {{"shortfallAtLeast":{},"percent":12.25}}]}}}},
              {{"metric":"asa","goal":15,"credit":{{"percentPerUnit":{per_second}.125,"capPercent":20}}}},
              {{"metric":"abandonmentRate","goal":10}}]}}"#,
        tier_start + tier_step + 1
    )
}

proptest! {
    #[test]
    fn credits_are_never_negative_never_above_the_cap_and_the_net_adds_up(
        contacts in random_queue(),
        tier_start in 0u32..10,
        tier_step in 0u32..10,
        per_second in 0u32..5,
        cap in 0u32..40,
        bonus in 0u32..5,
        fee in 1u32..100_000,
    ) {
        let report = report_of(&contacts, &money_terms(tier_start, tier_step, per_second, cap, bonus, fee));
        let credits = report.credits.unwrap();
        for period in &credits.periods {
            let fee = period.fee.unwrap();
            for line in &period.lines {
                prop_assert!(line.amount.minor >= 0 && line.amount <= line.before_cap, "{}", line.explanation);
            }
            let lines: i64 = period.lines.iter().map(|line| line.amount.minor).sum();
            prop_assert_eq!(lines, period.credits.minor);
            prop_assert!(period.credits <= period.cap.unwrap(), "{:?}", period.cap_explanation);
            prop_assert_eq!(period.net.minor, fee.minor - period.credits.minor + period.bonus.minor);
        }
        let net: i64 = credits.periods.iter().map(|period| period.net.minor).sum();
        prop_assert_eq!(net, credits.totals.net.minor);
    }
}

/// A row of the messy file below: a good contact, or one of the damages real exports have.
fn messy_row() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0u32..28, 0u32..86_400, 0u32..600).prop_map(|(day, second, wait)| format!(
            "2026-02-{:02} {:02}:{:02}:{:02},{wait},answered",
            day + 1,
            second / 3600,
            second / 60 % 60,
            second % 60
        )),
        1 => Just("2026-02-30 10:00,12,answered".to_owned()),
        1 => Just("2026-02-03 10:00,-5,abandoned".to_owned()),
        1 => Just("2026-02-03 10:00,12".to_owned()),
        1 => Just("2026-02-03 10:00,12,answered,extra".to_owned()),
        1 => Just(",12,answered".to_owned()),
        1 => Just("2026-02-03 10:00,soon,answered".to_owned()),
        1 => Just("\"2026-02-03 10:00\",\"1,5\",\"answered\"".to_owned()),
        1 => Just(String::new()),
        1 => "[ -~]{0,40}",
    ]
}

proptest! {
    #[test]
    fn every_row_read_is_used_or_skipped_with_a_reason(rows in prop::collection::vec(messy_row(), 1..200)) {
        let csv = format!("arrived,wait,outcome\n{}\n", rows.join("\n"));
        let Ok(dataset) = read_contacts_csv(&csv) else {
            return Ok(());
        };
        let quality = &dataset.quality;
        prop_assert_eq!(quality.rows_read, quality.rows_used + quality.rows_skipped);
        prop_assert_eq!(dataset.contacts.len() as u32, quality.rows_used);
        let counted: u32 = quality.skipped.iter().map(|group| group.count).sum();
        prop_assert_eq!(counted, quality.rows_skipped, "every skipped row has its reason");
        // Blank lines are not rows; every other line after the header is read.
        let lines = rows.iter().filter(|row| !row.trim().is_empty() && !row.trim().chars().all(|c| c == ',')).count() as u32;
        prop_assert!(quality.rows_read <= lines, "{} read of {} lines", quality.rows_read, lines);
    }
}

/// The bytes of `text` in one of the encodings the import reads.
fn encoded(text: &str, encoding: usize) -> Vec<u8> {
    match encoding {
        0 => text.as_bytes().to_vec(),
        1 => [&[0xEF, 0xBB, 0xBF], text.as_bytes()].concat(),
        2 => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        // Latin-1: the text is ASCII but for the channel's "é", one byte here.
        _ => text
            .chars()
            .map(|character| u8::try_from(u32::from(character)).unwrap_or(b'?'))
            .collect(),
    }
}

/// A dataset read with its layout decided on the first `prefix_bytes`, the input pushed in the
/// chunks that `cuts` (positions, any order) make.
fn streamed(
    bytes: &[u8],
    prefix_bytes: usize,
    cuts: &[usize],
) -> Result<slacalc::input::Dataset, slacalc::SlaError> {
    let mut cuts: Vec<usize> = cuts.iter().map(|cut| cut % (bytes.len() + 1)).collect();
    cuts.push(bytes.len());
    cuts.sort_unstable();
    let mut stream =
        slacalc::input::ContactStream::with_prefix_bytes(Default::default(), prefix_bytes);
    let mut start = 0;
    for cut in cuts {
        stream.push(&bytes[start..cut])?;
        start = cut;
    }
    stream.finish()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// A file streamed by a page arrives in chunks cut anywhere — inside a quoted cell, a UTF-16
    /// pair, a CRLF — and rows arrive after the layout was decided: the contacts, the account of
    /// every row and the report are the same as from the whole input at once.
    #[test]
    fn the_same_dataset_and_report_whatever_the_chunk_boundaries(
        rows in prop::collection::vec(messy_row(), 1..120),
        crlf in any::<bool>(),
        encoding in 0usize..4,
        prefix_bytes in 40usize..600,
        cuts in prop::collection::vec(any::<usize>(), 0..40),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let text = format!("arrived,wait,outcome,channel{end}{}{end}", rows
            .iter()
            .enumerate()
            .map(|(index, row)| format!("{row},{}", if index % 3 == 0 { "télé" } else { "chat" }))
            .collect::<Vec<_>>()
            .join(end));
        let bytes = encoded(&text, encoding);
        let whole = streamed(&bytes, prefix_bytes, &[]);
        let chunked = streamed(&bytes, prefix_bytes, &cuts);
        prop_assert_eq!(&whole, &chunked);
        // The default prefix holds all of this input: the same as reading it at once.
        prop_assert_eq!(&streamed(&bytes, slacalc::input::PREFIX_BYTES, &cuts), &slacalc::input::read_contacts(&bytes, &Default::default()));
        if let (Ok(whole), Ok(chunked)) = (whole, chunked) {
            let terms = RawTerms::opening().validate().unwrap();
            prop_assert_eq!(build_report(&whole, &terms), build_report(&chunked, &terms));
        }
    }
}

/// A row whose cells test how a file is cut into parts: a line end inside quotes (a part may
/// begin there), a label written in another case, a row that is skipped.
fn row_to_share() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => messy_row().prop_map(|row| format!("{row},chat")),
        1 => messy_row().prop_map(|row| format!("{row},\"Chat\nline two\n\"")),
        1 => messy_row().prop_map(|row| format!("{row},VOICE")),
        1 => messy_row().prop_map(|row| format!("{row},télé")),
        1 => messy_row().prop_map(|row| format!("{row},\"voice\"")),
        1 => Just("\"2026-02-03\n10:00\",12,answered,voice".to_owned()),
    ]
}

/// A contact file of `rows` (from [`row_to_share`]) under its header, every line ended.
fn file_to_share(rows: &[String], crlf: bool) -> String {
    let end = if crlf { "\r\n" } else { "\n" };
    format!("arrived,wait,outcome,channel{end}{}{end}", rows.join(end))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// A file read in parts on several threads — its parts cut at line ends that may be inside
    /// quotes — gives the same dataset as one stream: contacts, labels, skipped rows and their
    /// line numbers (a file that is not UTF-8 is read as one stream, and the same too).
    #[test]
    fn reading_in_parts_gives_the_dataset_of_one_stream(
        rows in prop::collection::vec(row_to_share(), 1..150),
        crlf in any::<bool>(),
        encoding in 0usize..4,
        threads in 2usize..6,
        prefix_bytes in 40usize..400,
        smallest_part in 1usize..300,
    ) {
        let text = file_to_share(&rows, crlf);
        let sharing = Sharing { threads, prefix_bytes, smallest_part };
        let one_stream = Sharing { threads: 1, ..sharing };
        let bytes = encoded(&text, encoding);
        let read = |sharing| read_in_parts(&bytes, &Default::default(), sharing, &mut |_, _| {});
        prop_assert_eq!(read(sharing), read(one_stream));
    }
}

/// A dataset read as a page reads a big file on two workers: a stream reads up to `cut`, a
/// [`LastPart`] reads the rest apart and hands its contacts over in batches of `batch`; the
/// stream reads the rest itself when it cannot take them (a cut inside quotes, text that is not
/// UTF-8, a layout not yet decided).
fn read_on_two_workers(
    bytes: &[u8],
    prefix_bytes: usize,
    cut: usize,
    batch: usize,
) -> Result<slacalc::input::Dataset, slacalc::SlaError> {
    let prefix = &bytes[..bytes.len().min(prefix_bytes)];
    let handed = LastPart::new(Default::default(), prefix, prefix_bytes)
        .ok()
        .flatten()
        .map(|part| {
            let mut part = part.in_batches_of(batch);
            let mut batches = Vec::new();
            for chunk in bytes[cut..].chunks(13) {
                part.push(chunk);
                batches.extend(part.take_batch());
            }
            (batches, part.finish())
        });
    let mut stream =
        slacalc::input::ContactStream::with_prefix_bytes(Default::default(), prefix_bytes);
    stream.push(&bytes[..cut])?;
    let taken =
        handed.is_some_and(|(batches, last)| stream.take_last_part(batches.into_iter(), &last));
    if !taken {
        stream.push(&bytes[cut..])?;
    }
    stream.finish()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// A file whose last part a second worker reads, from a line end that may be inside quotes
    /// or before the layout is decided, gives the dataset of one stream.
    #[test]
    fn a_last_part_read_apart_gives_the_dataset_of_one_stream(
        rows in prop::collection::vec(row_to_share(), 1..150),
        crlf in any::<bool>(),
        encoding in 0usize..4,
        prefix_bytes in 40usize..400,
        line in any::<prop::sample::Index>(),
        batch in 1usize..40,
    ) {
        let text = file_to_share(&rows, crlf);
        let bytes = encoded(&text, encoding);
        let line_starts: Vec<usize> = bytes
            .iter()
            .enumerate()
            .filter(|(_, &byte)| byte == b'\n')
            .map(|(at, _)| at + 1)
            .collect();
        let cut = line_starts.get(line.index(line_starts.len().max(1))).copied().unwrap_or(0);
        prop_assert_eq!(
            read_on_two_workers(&bytes, prefix_bytes, cut, batch),
            streamed(&bytes, prefix_bytes, &[])
        );
    }
}
