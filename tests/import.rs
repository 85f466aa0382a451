//! The import corpus: one small file per format variant in `tests/data/import/`, each with the
//! parse a person would expect — how it was read, which column feeds which field, how many
//! rows were used, and the first contact's values. Most files hold the same two calls (an
//! answer after 12 s on 2 March 2026 at 09:00, an abandon after 40 s a minute later), written
//! the way one export or another writes them.

mod common;

use common::{assert_mapping, field_of, CALL_CENTER_MAPPING};
use slacalc::encoding::Encoding;
use slacalc::input::{read_contacts, Dataset, ImportOptions, SkipReason};
use slacalc::mapping::MappedField;
use slacalc::model::{Moment, Outcome};
use slacalc::values::DateOrder;
use slacalc::zone::Zone;

fn import(file: &str, options: &str) -> Dataset {
    let bytes = std::fs::read(format!("tests/data/import/{file}")).unwrap();
    let options: ImportOptions = serde_json::from_str(options).unwrap();
    read_contacts(&bytes, &options).unwrap_or_else(|error| panic!("{file}: {error}"))
}

/// Arrival (UTC, agreement zone UTC), wait and outcome of contact `index`.
fn call(dataset: &Dataset, index: usize) -> (String, Option<f64>, Option<Outcome>) {
    let contact = &dataset.contacts[index];
    let arrived = Zone::default().resolve(contact.arrived);
    (
        arrived.format("%Y-%m-%d %H:%M:%S").to_string(),
        contact.wait_secs.get(),
        contact.outcome,
    )
}

/// The two calls most files hold.
fn assert_the_two_calls(file: &str, options: &str) -> Dataset {
    let dataset = import(file, options);
    assert_eq!(dataset.quality.rows_used, 2, "{file}");
    assert_eq!(
        call(&dataset, 0),
        (
            "2026-03-02 09:00:00".to_owned(),
            Some(12.0),
            Some(Outcome::Answered)
        ),
        "{file}"
    );
    let (arrived, wait, outcome) = call(&dataset, 1);
    assert_eq!(
        (wait, outcome),
        (Some(40.0), Some(Outcome::Abandoned)),
        "{file}"
    );
    assert!(arrived.starts_with("2026-03-"), "{file}: {arrived}");
    dataset
}

#[test]
fn separators_line_endings_and_quotes() {
    for (file, delimiter) in [
        ("comma.csv", b','),
        ("tab-paste.tsv", b'\t'),
        ("pipe.txt", b'|'),
        ("crlf.csv", b','),
        ("cr-only.csv", b','),
        ("quoted.csv", b','),
    ] {
        let dataset = assert_the_two_calls(file, "{}");
        assert_eq!(dataset.quality.dialect.delimiter, delimiter, "{file}");
        assert!(dataset.quality.dialect.has_header, "{file}");
    }
    let quoted = import("quoted.csv", "{}");
    assert_eq!(quoted.labels[2].names()[0], "Billing, \"VIP\"\nsecond line");
}

#[test]
fn european_excel_semicolons_with_decimal_commas() {
    let dataset = import("semicolon-decimal-comma.csv", "{}");
    assert_eq!(dataset.quality.dialect.delimiter, b';');
    assert_eq!(call(&dataset, 0).1, Some(12.5));
    assert_eq!(dataset.contacts[0].handle_secs.get(), Some(180.25));
    let coerced = &dataset.quality.coerced;
    assert_eq!((coerced[0].column.as_str(), coerced[0].count), ("wait", 1));
    assert!(coerced[0].what.starts_with("decimal comma"));
}

#[test]
fn encodings_by_their_mark_and_latin1_as_the_fallback() {
    for (file, encoding) in [
        ("bom.csv", Encoding::Utf8WithBom),
        ("utf16le-unicode-text.txt", Encoding::Utf16Le),
        ("utf16be.txt", Encoding::Utf16Be),
        ("latin1.csv", Encoding::Latin1),
    ] {
        let dataset = assert_the_two_calls(file, "{}");
        assert_eq!(dataset.quality.encoding, encoding, "{file}");
    }
    assert_eq!(
        import("utf16le-unicode-text.txt", "{}").labels[2].names(),
        ["Café"]
    );
    assert_eq!(import("latin1.csv", "{}").labels[2].names(), ["Café"]);
}

#[test]
fn without_a_header_the_user_maps_by_position() {
    let bytes = std::fs::read("tests/data/import/no-header.csv").unwrap();
    let error = read_contacts(&bytes, &ImportOptions::default()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Found: \"column 1\", \"column 2\", \"column 3\""),
        "{error}"
    );
    let dataset = assert_the_two_calls(
        "no-header.csv",
        r#"{"mapping":{"arrived":"column 1","wait":"column 2","outcome":"column 3"}}"#,
    );
    assert!(!dataset.quality.dialect.has_header);
}

#[test]
fn day_month_order_is_settled_by_the_data_or_chosen() {
    let day_first = assert_the_two_calls("dmy-dates.csv", "{}");
    assert_eq!(
        (
            day_first.quality.date_order,
            day_first.quality.date_order_ambiguous
        ),
        (DateOrder::DayFirst, false)
    );
    let month_first = assert_the_two_calls("mdy-dates-am-pm.csv", "{}");
    assert_eq!(month_first.quality.date_order, DateOrder::MonthFirst);
    assert_eq!(call(&month_first, 1).0, "2026-03-25 13:01:00");
    // 02/03 and 04/03 could be either: read day first, said to be ambiguous, switchable.
    let ambiguous = assert_the_two_calls("ambiguous-dates.csv", "{}");
    assert!(ambiguous.quality.date_order_ambiguous);
    let chosen = import("ambiguous-dates.csv", r#"{"dateOrder":"monthFirst"}"#);
    assert_eq!(call(&chosen, 0).0, "2026-02-03 09:00:00");
    assert!(!chosen.quality.date_order_ambiguous);
    assert_eq!(
        call(&assert_the_two_calls("dotted-dates.csv", "{}"), 1).0,
        "2026-03-25 09:01:30"
    );
}

#[test]
fn numbers_as_points_in_time() {
    for file in [
        "excel-serial.csv",
        "unix-seconds.csv",
        "unix-milliseconds.csv",
    ] {
        let dataset = assert_the_two_calls(file, "{}");
        assert_eq!(call(&dataset, 1).0, "2026-03-02 09:01:00", "{file}");
    }
}

#[test]
fn separate_date_and_time_columns_and_an_answered_flag() {
    // The shape of a public call-center dataset: Date + Time, Answered (Y/N), Resolved (Y/N),
    // Speed of answer in seconds, AvgTalkDuration as hh:mm:ss, Satisfaction rating.
    let dataset = import("date-and-time-columns.csv", "{}");
    assert_mapping(&dataset, &CALL_CENTER_MAPPING);
    assert_eq!(
        call(&dataset, 0),
        (
            "2026-03-02 09:00:00".to_owned(),
            Some(12.0),
            Some(Outcome::Answered)
        )
    );
    let first = &dataset.contacts[0];
    assert_eq!(
        (first.handle_secs.get(), first.fcr, first.csat.get()),
        (Some(143.0), Some(true), Some(3.0))
    );
    assert_eq!(
        call(&dataset, 1),
        (
            "2026-03-02 09:01:00".to_owned(),
            None,
            Some(Outcome::Abandoned)
        )
    );
    assert_eq!(
        dataset.quality.notes,
        [
            "arrival read from \"Date\" + \"Time\"",
            "outcome read from the flag \"Answered (Y/N)\""
        ]
    );
}

#[test]
fn durations_as_clocks_and_iso_8601() {
    let clock = assert_the_two_calls("durations-clock.csv", "{}");
    assert_eq!(clock.contacts[0].handle_secs.get(), Some(3723.0));
    assert_the_two_calls("durations-iso.csv", "{}");
}

#[test]
fn outcomes_from_flags_and_answer_times() {
    let flag = assert_the_two_calls("abandoned-flag.csv", "{}");
    assert_eq!(
        field_of(&flag, "Abandoned"),
        Some(MappedField::AbandonedFlag)
    );
    // wait = answered_at − arrived, or abandoned_at − arrived.
    let times = assert_the_two_calls("answered-at.csv", "{}");
    assert_eq!(
        field_of(&times, "answered_at"),
        Some(MappedField::AnsweredAt)
    );
    // An empty answer time is an abandon (its wait unknown).
    let empty = import("answer-time-empty.csv", "{}");
    assert_eq!(call(&empty, 0).1, Some(12.0));
    assert_eq!(call(&empty, 1).2, Some(Outcome::Abandoned));
}

#[test]
fn handle_from_talk_hold_and_after_call_work() {
    let dataset = assert_the_two_calls("talk-hold-wrap.csv", "{}");
    assert_eq!(
        field_of(&dataset, "After Call Work"),
        Some(MappedField::Wrap)
    );
    assert_eq!(dataset.contacts[0].handle_secs.get(), Some(195.0));
    assert_eq!(dataset.contacts[1].handle_secs.get(), None);
    let genesys = assert_the_two_calls("genesys-like.csv", "{}");
    assert_eq!(
        field_of(&genesys, "Disposition"),
        Some(MappedField::Outcome)
    );
    assert_eq!(field_of(&genesys, "Media Type"), Some(MappedField::Channel));
    assert_eq!(genesys.contacts[0].handle_secs.get(), Some(165.0));
}

#[test]
fn a_helpdesk_ticket_export() {
    let dataset = import("zendesk-tickets.csv", "{}");
    assert_eq!(field_of(&dataset, "Created at"), Some(MappedField::Arrived));
    assert_eq!(
        field_of(&dataset, "First reply at"),
        Some(MappedField::FirstResponse)
    );
    assert_eq!(field_of(&dataset, "Solved at"), Some(MappedField::Resolved));
    assert_eq!(field_of(&dataset, "Via"), Some(MappedField::Channel));
    assert_eq!(field_of(&dataset, "Id"), None);
    let first = &dataset.contacts[0];
    assert!(matches!(first.first_response(), Some(Moment::At(_))));
    assert_eq!(first.csat.get(), Some(5.0));
    // "offered" is a survey sent and not answered: no score.
    assert_eq!(dataset.contacts[1].csat.get(), None);
    assert_eq!(dataset.contacts[1].resolved(), None);
}

#[test]
fn an_incident_log_with_question_marks_for_missing_values() {
    let dataset = import("missing-markers.csv", "{}");
    assert_eq!(field_of(&dataset, "opened_at"), Some(MappedField::Arrived));
    assert_eq!(
        field_of(&dataset, "resolved_at"),
        Some(MappedField::Resolved)
    );
    assert_eq!(
        field_of(&dataset, "contact_type"),
        Some(MappedField::Channel)
    );
    assert_eq!(dataset.quality.rows_used, 2);
    assert_eq!(call(&dataset, 1).0, "2026-03-25 09:01:00");
    assert_eq!(dataset.contacts[1].resolved(), None);
    assert_eq!(dataset.quality.coerced[0].count, 1);
}

#[test]
fn scores_written_as_fractions() {
    let dataset = assert_the_two_calls("csat-fractions.csv", "{}");
    assert_eq!(dataset.contacts[0].csat.get(), Some(4.0));
    assert!(dataset.quality.coerced[0]
        .what
        .starts_with("score read from text"));
}

#[test]
fn bad_rows_are_each_skipped_with_their_reason_and_the_rest_used() {
    let dataset = import("bad-rows.csv", "{}");
    assert_eq!(
        (dataset.quality.rows_read, dataset.quality.rows_used),
        (6, 2)
    );
    let reasons: Vec<(SkipReason, Vec<u64>)> = dataset
        .quality
        .skipped
        .iter()
        .map(|group| (group.reason, group.first_lines.clone()))
        .collect();
    assert_eq!(
        reasons,
        [
            (SkipReason::UnreadableTimestamp, vec![3]),
            (SkipReason::NegativeDuration, vec![4]),
            (SkipReason::UnreadableDuration, vec![5]),
            (SkipReason::WrongCellCount, vec![6]),
        ]
    );
}

#[test]
fn binary_input_is_refused_plainly() {
    let error = read_contacts(b"PK\x03\x04\x00\x00binary", &ImportOptions::default()).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("This looks like an Excel workbook (.xlsx) or a ZIP archive, not a CSV"),
        "{error}"
    );
    let error = read_contacts(b"arrived\x00\x01\x02\n\x00", &ImportOptions::default()).unwrap_err();
    assert!(error.to_string().starts_with("This is not text"), "{error}");
}

#[test]
fn the_skipped_rows_download_holds_each_row_as_written_with_why() {
    let csv = import("bad-rows.csv", "{}").skipped_rows_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "line,reason,column,arrived,wait,outcome");
    assert!(
        lines[1].starts_with("3,\"unreadable timestamp"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(",arrived,not a date,5,answered"),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[4],
        "6,number of cells differs from the header,,2026-03-02 09:04,5"
    );
}

#[test]
fn limits_are_stated_not_crashed_into() {
    // A hundred thousand columns: a misread separator, refused with the count.
    let wide = "a,".repeat(100_000) + "\n";
    let error = read_contacts(wide.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("The first row has 100001 columns"),
        "{error}"
    );
    // One 5 MB line of a single cell: no arrival, said in a short message.
    let long = "x".repeat(5_000_000) + "\n";
    let error = read_contacts(long.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "No column for \"arrived\" (e.g. \"arrived\", \"Created at\", or \"Date\" and \"Time\") in the header (line 1). Found: \"column 1\"."
    );
    // A header of long names is cut short in the message.
    let names = format!("{},b\n1,2\n", "y".repeat(5_000));
    let message = read_contacts(names.as_bytes(), &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        message.len() < 300 && message.contains("yyyy…\", \"b\""),
        "{}",
        &message[..300.min(message.len())]
    );
}

#[test]
fn exported_rows_cannot_run_as_spreadsheet_formulas() {
    let csv = "arrived,wait,outcome,queue\n2026-03-02 09:00,5,answered,Sales\n\
               2026-03-02 09:01,-5,answered,=HYPERLINK(\"http://evil\")\n";
    let dataset = read_contacts(csv.as_bytes(), &ImportOptions::default()).unwrap();
    let export = dataset.skipped_rows_csv();
    let row = export.lines().nth(1).unwrap();
    // The negative wait stays a number; the formula becomes text.
    assert!(
        row.ends_with(",wait,2026-03-02 09:01,-5,answered,\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{row}"
    );
}

#[test]
fn progress_is_told_in_bytes_of_the_input_and_ends_at_the_whole() {
    let mut text = String::from("arrived,wait,outcome\n");
    for second in 0..300_000 {
        text.push_str(&format!("2026-01-01 00:00:00,{},answered\n", second % 60));
    }
    let mut reports = Vec::new();
    let dataset = slacalc::input::read_contacts_with_progress(
        text.as_bytes(),
        &Default::default(),
        &mut |done, total| reports.push((done, total)),
    )
    .unwrap();
    assert_eq!(dataset.contacts.len(), 300_000);
    let total = text.len() as u64;
    // 10.5 MB: a report every 4 MiB the first thread reads (natively, the other threads'
    // reading counted in), the last at the end.
    assert!((2..=3).contains(&reports.len()), "{reports:?}");
    assert!(reports.iter().all(|&(_, all)| all == total));
    assert!(reports.windows(2).all(|pair| pair[0].0 < pair[1].0));
    assert_eq!(reports.last(), Some(&(total, total)));
}

#[test]
fn skipped_rows_name_the_line_a_person_sees_whatever_the_line_ends() {
    for end in ["\n", "\r\n", "\r"] {
        let text = [
            "arrived,wait,note",
            "2026-03-02 09:00,5,\"two",
            "lines\"",
            "",
            "2026-03-02 09:01,soon,x",
            "",
        ]
        .join(end);
        let dataset = slacalc::input::read_contacts(text.as_bytes(), &Default::default()).unwrap();
        assert_eq!(
            dataset.quality.skipped[0].first_lines,
            [5],
            "line ends {end:?}"
        );
    }
}

#[test]
fn an_input_past_the_contacts_a_page_holds_is_refused_with_what_to_do() {
    let mut text = String::from("arrived,wait\n");
    for minute in 0..50 {
        text.push_str(&format!("2026-03-02 09:{minute:02},5\n"));
    }
    let read = |limit| {
        let mut stream = slacalc::input::ContactStream::new(Default::default())
            .holding_at_most(limit)
            .expecting(text.len() as u64);
        stream.push(text.as_bytes())?;
        stream.finish()
    };
    assert_eq!(read(50).unwrap().contacts.len(), 50);
    assert_eq!(
        read(49).unwrap_err().to_string(),
        "More than 49 contacts: more than this calculator holds at once. Split the file (by month, say) or reduce it to interval counts first."
    );
}

#[test]
fn contacts_let_go_as_read_are_never_held_and_every_row_is_still_accounted_for() {
    let mut text = String::from("arrived,wait\n");
    for minute in 0..600 {
        text.push_str(&format!(
            "2026-03-02 {:02}:{:02},5\n",
            minute / 60,
            minute % 60
        ));
    }
    text.push_str("not a time,5\n");
    let mut stream = slacalc::input::ContactStream::with_prefix_bytes(Default::default(), 100)
        .holding_at_most(50);
    let mut let_go = Vec::new();
    for chunk in text.as_bytes().chunks(64) {
        stream.push(chunk).unwrap();
        let mut held = 0;
        stream.drain_contacts(&mut |contact| {
            held += 1;
            let slacalc::values::Timestamp::WallClock(arrived) = contact.arrived else {
                panic!("a time without an offset is a wall-clock time");
            };
            let_go.push(arrived);
        });
        // A chunk of 64 bytes holds a few rows: never the 600 (nor the 50 a page may hold).
        assert!(held <= 8, "{held} contacts held after a chunk");
    }
    let read = stream.finish().unwrap();
    assert!(read.contacts.is_empty());
    assert_eq!(let_go.len(), 600);
    assert!(
        let_go.windows(2).all(|pair| pair[0] < pair[1]),
        "in the file's order"
    );
    assert_eq!(
        (
            read.quality.rows_read,
            read.quality.rows_used,
            read.quality.rows_skipped
        ),
        (601, 600, 1)
    );
}

#[test]
fn a_first_row_that_never_ends_is_refused_naming_the_prefix() {
    let mut stream = slacalc::input::ContactStream::with_prefix_bytes(Default::default(), 1 << 20);
    let open_quote = format!("arrived,\"{}", "x".repeat(2 << 20));
    let error = stream.push(open_quote.as_bytes()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "No row ends in the first 1 MB: this is not one contact per line (a quote left open at the start?)."
    );
}
