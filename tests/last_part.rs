//! A big file read on two workers: the page's worker reads the file up to a line end, a second
//! worker reads the rest apart (`LastPart`) and hands its contacts over as bytes. The dataset
//! must be the one stream's — contacts, labels, skipped rows and their line numbers, guesses —
//! and a handover that does not read back whole must be refused, nothing half taken.

use slacalc::input::{ContactStream, Dataset, ImportOptions, LastPart, SkipReason};
use slacalc::model::Moment;
use slacalc::shape::{last_part_reader, InputStream};
use slacalc::RawTerms;

/// The page's layout prefix (8 MB), in megabytes of 10^6 bytes, rounded up.
const PREFIX_MEGABYTES: usize = 9;

/// Layouts decided on the first 600 bytes: the file's rows mostly come after the decision.
const PREFIX_BYTES: usize = 600;

/// Tickets and calls as exports write them: offsets and none, first responses as times and as
/// seconds, labels in two cases and one met only late, guesses (`4/5`, `?`), an outcome that is
/// neither, rows to skip, and a quoted cell across lines.
fn tickets() -> String {
    let mut text = String::from("arrived,wait,outcome,channel,fcr,csat,first_response,resolved\n");
    for row in 0..300 {
        let minute = row % 60;
        let hour = 8 + row / 60;
        let arrived = if row % 4 == 0 {
            format!("2026-03-02T{hour:02}:{minute:02}:00+01:00")
        } else {
            format!("2026-03-02 {hour:02}:{minute:02}:15")
        };
        let channel = match row % 5 {
            0 => "Voice".to_owned(),
            1 => "VOICE".to_owned(),
            2 if row > 200 => "Email".to_owned(),
            3 => "\"chat\nline two\"".to_owned(),
            _ => "chat".to_owned(),
        };
        let wait = match row % 37 {
            5 => "-5".to_owned(),
            9 => "?".to_owned(),
            _ => (row % 90).to_string(),
        };
        let outcome = ["answered", "abandoned", "transferred", "answered"][row % 4];
        let csat = ["4/5", "", "3", "5"][row % 4];
        let first_response = match row % 3 {
            0 => format!("2026-03-02 {:02}:{minute:02}:00", hour + 1),
            1 => "90".to_owned(),
            _ => String::new(),
        };
        let resolved = if row % 2 == 0 {
            format!("2026-03-03 {hour:02}:00")
        } else {
            String::new()
        };
        text += &format!(
            "{arrived},{wait},{outcome},{channel},{},{csat},{first_response},{resolved}\n",
            row % 3 == 0
        );
        match row % 53 {
            7 => text += "2026-03-02 10:00,12,answered\n",
            11 => text += "not a time,12,answered,chat,true,4,,\n",
            _ => {}
        }
    }
    text
}

/// Just past the first line end from `share` of `bytes` on (a line end, perhaps in quotes).
fn line_start_near(bytes: &[u8], share: f64) -> usize {
    let from = (bytes.len() as f64 * share) as usize;
    from + bytes[from..]
        .iter()
        .position(|&byte| byte == b'\n')
        .unwrap()
        + 1
}

/// What a second worker hands over: its part read from `cut` on, in batches of `batch`.
fn read_apart(bytes: &[u8], cut: usize, batch: usize) -> (Vec<Vec<u8>>, Vec<u8>) {
    let prefix = &bytes[..bytes.len().min(PREFIX_BYTES)];
    let mut part = LastPart::new(ImportOptions::default(), prefix, PREFIX_BYTES)
        .unwrap()
        .expect("a UTF-8 file longer than its prefix is shared")
        .in_batches_of(batch);
    let mut batches = Vec::new();
    for chunk in bytes[cut..].chunks(97) {
        part.push(chunk);
        batches.extend(part.take_batch());
    }
    (batches, part.finish())
}

fn stream_to(bytes: &[u8], cut: usize) -> ContactStream {
    let mut stream = ContactStream::with_prefix_bytes(ImportOptions::default(), PREFIX_BYTES);
    stream.push(&bytes[..cut]).unwrap();
    stream
}

fn one_stream(bytes: &[u8]) -> Dataset {
    let mut stream = ContactStream::with_prefix_bytes(ImportOptions::default(), PREFIX_BYTES);
    stream.push(bytes).unwrap();
    stream.finish().unwrap()
}

#[test]
fn a_last_part_handed_over_gives_the_dataset_of_one_stream() {
    let text = tickets();
    let bytes = text.as_bytes();
    let cut = line_start_near(bytes, 0.5);
    let (batches, last) = read_apart(bytes, cut, 7);
    assert!(batches.len() > 5, "the contacts came in batches");
    let mut stream = stream_to(bytes, cut);
    assert!(stream.take_last_part(batches.into_iter(), &last));
    let taken = stream.finish().unwrap();
    let whole = one_stream(bytes);
    assert_eq!(taken, whole);
    // What the comparison covered: both kinds of moment, a label only the last part met, and
    // skipped rows and guesses of the last part, numbered as lines of the whole file.
    let moments: Vec<&Moment> = whole
        .contacts
        .iter()
        .filter_map(|c| c.first_response())
        .collect();
    assert!(moments.iter().any(|moment| matches!(moment, Moment::At(_))));
    assert!(moments
        .iter()
        .any(|moment| matches!(moment, Moment::SecondsAfterArrival(_))));
    assert!(whole.labels[0].names().contains(&"Email".to_owned()));
    let lines_in_first_part = bytes[..cut].iter().filter(|&&byte| byte == b'\n').count() as u64;
    let late_skips: Vec<SkipReason> = whole
        .skipped_rows
        .iter()
        .filter(|row| row.line > lines_in_first_part)
        .map(|row| row.reason)
        .collect();
    for reason in [SkipReason::WrongCellCount, SkipReason::NegativeDuration] {
        assert!(late_skips.contains(&reason), "{reason:?} in the last part");
    }
    assert!(!whole.quality.coerced.is_empty());
}

#[test]
fn a_handover_that_does_not_read_back_whole_is_refused_and_the_part_read_again() {
    let text = tickets();
    let bytes = text.as_bytes();
    let cut = line_start_near(bytes, 0.4);
    let whole = one_stream(bytes);
    let (batches, last) = read_apart(bytes, cut, 11);
    let mut cut_short = batches.clone();
    cut_short[2].pop();
    let mut one_lost = batches.clone();
    one_lost.remove(1);
    let mut label_unknown = batches.clone();
    // The first contact's channel slot (after its arrival's 13 bytes and 3 numbers): a label
    // the part never had.
    label_unknown[0][37] = 200;
    let spoilt = [
        (cut_short, last.clone()),
        (one_lost, last.clone()),
        (label_unknown, last.clone()),
        (batches.clone(), last[..last.len() - 1].to_vec()),
        (batches, b"{not an account".to_vec()),
    ];
    for (index, (batches, last)) in spoilt.into_iter().enumerate() {
        let mut stream = stream_to(bytes, cut);
        assert!(
            !stream.take_last_part(batches.into_iter(), &last),
            "handover {index}"
        );
        stream.push(&bytes[cut..]).unwrap();
        assert_eq!(stream.finish().unwrap(), whole, "handover {index}");
    }
}

#[test]
fn a_part_that_begins_inside_a_quoted_cell_is_refused_and_read_again() {
    let text = tickets();
    let bytes = text.as_bytes();
    let inside_quotes = text.find("\"chat\n").unwrap() + "\"chat\n".len();
    let (batches, last) = read_apart(bytes, inside_quotes, 5);
    let mut stream = stream_to(bytes, inside_quotes);
    assert!(!stream.take_last_part(batches.into_iter(), &last));
    stream.push(&bytes[inside_quotes..]).unwrap();
    assert_eq!(stream.finish().unwrap(), one_stream(bytes));
}

#[test]
fn a_file_is_shared_only_when_it_is_a_large_held_contact_table() {
    let megabytes = |count: u64| count << 20;
    let from = |total| InputStream::new(ImportOptions::default(), total).last_part_from();
    assert_eq!(from(None), None, "size unknown");
    assert_eq!(
        from(Some(megabytes(10))),
        None,
        "within twice the layout's prefix"
    );
    assert_eq!(
        from(Some(megabytes(100))),
        Some(megabytes(61)),
        "the larger share first"
    );
    // Past the prefix: the stream has decided the layout before it takes a part over.
    assert!(from(Some(megabytes(16))).unwrap() > megabytes(8));
    let (counted, _) = InputStream::within_memory(ImportOptions::default(), megabytes(300), || {
        RawTerms::opening().validate()
    })
    .unwrap();
    assert_eq!(counted.last_part_from(), None, "counted, not held");
}

#[test]
fn a_second_worker_reads_only_a_contact_table_past_its_prefix() {
    let reader = |text: &str| last_part_reader(&ImportOptions::default(), text.as_bytes()).unwrap();
    let contacts = tickets();
    assert!(
        reader(&contacts).is_none(),
        "the whole input is within the prefix"
    );
    let rows_past_the_prefix = 1 + PREFIX_MEGABYTES * 1_000_000 / contacts.len();
    assert!(reader(&contacts.repeat(rows_past_the_prefix)).is_some());
    let interval_report = format!(
        "interval,offered,answered,abandoned,answered_within_threshold\n{}",
        "2026-03-02 09:00,10,9,1,8\n".repeat(PREFIX_MEGABYTES * 1_000_000 / 20)
    );
    assert!(reader(&interval_report).is_none());
}
