//! The bad-input corpus, `tests/data/bad/`: files people really drop (and a few hostile ones),
//! each with what the user is told — a refusal in plain words, or which rows were skipped, why,
//! and where — and the rule that no row is lost: rows read = used + skipped.

use slacalc::input::{read_contacts, Dataset, ImportOptions};
use slacalc::{build_report, RawTerms};

/// What a file must give.
enum Expect {
    /// Refused as a whole, with a message starting so.
    Refused(&'static str),
    /// Read: rows used, and each skip message (in order) or note that must appear.
    Read {
        used: u32,
        skipped: &'static [&'static str],
        notes: &'static [&'static str],
    },
}
use Expect::{Read, Refused};

const EMPTY: &str = "The data is empty: paste or drop a CSV";
const NO_ARRIVAL: &str = "No column for \"arrived\"";

const CASES: &[(&str, Expect)] = &[
    ("empty.csv", Refused(EMPTY)),
    ("whitespace-only.csv", Refused(EMPTY)),
    ("bom-only.csv", Refused(EMPTY)),
    ("header-only.csv", Refused("Only a header row was found (line 1)")),
    ("header-and-blank-lines.csv", Refused("Only a header row was found (line 1)")),
    ("nul-bytes.csv", Refused("This is not text: the file holds binary data")),
    ("image.png.csv", Refused("This looks like an image (PNG), not a CSV file")),
    ("zip-archive.csv", Refused("This looks like an Excel workbook (.xlsx) or a ZIP archive, not a CSV file")),
    ("html-page.csv", Refused("This looks like a web page (HTML), not a CSV file")),
    ("json-array.csv", Refused("This looks like JSON, not a CSV file")),
    ("no-arrival-column.csv", Refused("No column for \"arrived\" (e.g. \"arrived\", \"Created at\", or \"Date\" and \"Time\") in the header (line 1). Found: \"wait\", \"outcome\".")),
    ("latin1-accents.csv", Refused("No column for \"arrived\" (e.g. \"arrived\", \"Created at\", or \"Date\" and \"Time\") in the header (line 1). Found: \"arrivée\", \"durée d'attente\", \"résultat\".")),
    ("single-huge-line.csv", Refused(NO_ARRIVAL)),
    ("too-many-columns.csv", Refused("The first row has 1200 columns, more than the 1000 a contact export has: is the separator right?")),
    ("utf16-without-bom.csv", Read { used: 2, skipped: &[], notes: &[] }),
    ("utf16-be-without-bom.csv", Read { used: 1, skipped: &[], notes: &[] }),
    ("truncated-quote.csv", Read { used: 1, skipped: &["1 row skipped: number of cells differs from the header (line 3)"], notes: &[] }),
    ("mixed-delimiters.csv", Read { used: 2, skipped: &["2 rows skipped: number of cells differs from the header (line 3, 4)"], notes: &[] }),
    ("dates-in-three-formats.csv", Read { used: 3, skipped: &["1 row skipped: column \"arrived\": unreadable timestamp"], notes: &[] }),
    ("negative-durations.csv", Read { used: 1, skipped: &["2 rows skipped: column \"wait\": negative or infinite duration (line 2, 3)"], notes: &[] }),
    ("absurd-durations.csv", Read { used: 1, skipped: &[
        "2 rows skipped: column \"wait\": duration longer than a year (milliseconds read as seconds?) (line 2, 3)",
        "2 rows skipped: column \"wait\": negative or infinite duration (line 4, 5)",
    ], notes: &[] }),
    ("formula-injection.csv", Read { used: 3, skipped: &["1 row skipped: column \"wait\": unreadable duration"], notes: &[] }),
    ("emoji-headers.csv", Read { used: 2, skipped: &[], notes: &[] }),
    ("markers-of-no-value.csv", Read { used: 5, skipped: &[], notes: &[] }),
    ("emoji-values.csv", Read { used: 2, skipped: &[], notes: &[] }),
    ("excel-error-values.csv", Read { used: 1, skipped: &[
        "2 rows skipped: column \"wait\": unreadable duration",
        "1 row skipped: column \"arrived\": unreadable timestamp",
    ], notes: &[] }),
    ("impossible-dates.csv", Read { used: 1, skipped: &["4 rows skipped: column \"arrived\": unreadable timestamp"], notes: &[] }),
    ("far-dates.csv", Read { used: 3, skipped: &[], notes: &[] }),
    ("bad-offsets.csv", Read { used: 1, skipped: &["2 rows skipped: column \"arrived\": unreadable timestamp"], notes: &[] }),
    ("only-skipped-rows.csv", Read { used: 0, skipped: &["2 rows skipped: column \"arrived\": unreadable timestamp"], notes: &[] }),
    ("unknown-outcomes.csv", Read { used: 3, skipped: &[], notes: &["column \"outcome\": 1 contact is neither answered nor abandoned (\"maybe\"): counted as other, not offered"] }),
    ("csat-out-of-scale.csv", Read { used: 3, skipped: &["1 row skipped: column \"csat\": unreadable score (expected e.g. 4, 4.5 or 4/5) (line 4)"], notes: &[] }),
    ("more-cells-than-header.csv", Read { used: 1, skipped: &["1 row skipped: number of cells differs from the header (line 2)"], notes: &[] }),
    ("fewer-cells-than-header.csv", Read { used: 1, skipped: &["2 rows skipped: number of cells differs from the header (line 2, 3)"], notes: &[] }),
    ("duplicate-headers.csv", Read { used: 2, skipped: &[], notes: &["column \"wait\" (column 3) is not used: \"wait\" (column 2) already gives the wait"] }),
    ("blank-header-cells.csv", Read { used: 1, skipped: &[], notes: &[] }),
    ("very-long-cell.csv", Read { used: 2, skipped: &[], notes: &[] }),
    ("cr-only-lines.csv", Read { used: 2, skipped: &[], notes: &[] }),
    ("trailing-delimiters.csv", Read { used: 2, skipped: &[], notes: &[] }),
    ("thousands-separators.csv", Read { used: 3, skipped: &[], notes: &[] }),
    ("quoted-newlines-in-cells.csv", Read { used: 2, skipped: &[], notes: &[] }),
    ("control-characters.csv", Read { used: 2, skipped: &["1 row skipped: column \"wait\": unreadable duration (expected seconds, mm:ss, h:mm:ss or PT1M30S) (line 2)"], notes: &[] }),
    ("sql-and-script-in-cells.csv", Read { used: 2, skipped: &[], notes: &[] }),
];

fn read(file: &str) -> Result<Dataset, String> {
    let bytes = std::fs::read(format!("tests/data/bad/{file}")).unwrap();
    read_contacts(&bytes, &ImportOptions::default()).map_err(|error| error.to_string())
}

#[test]
fn every_bad_file_gets_its_message_and_loses_no_row() {
    let mut files: Vec<String> = std::fs::read_dir("tests/data/bad")
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<&str> = CASES.iter().map(|(file, _)| *file).collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "every file of the corpus has its expectation, and no more"
    );
    assert!(CASES.len() >= 40);

    let opening = RawTerms::opening().validate().unwrap();
    for (file, expect) in CASES {
        match (read(file), expect) {
            (Err(message), Refused(start)) => {
                assert!(message.starts_with(start), "{file}: {message}")
            }
            (
                Ok(dataset),
                Read {
                    used,
                    skipped,
                    notes,
                },
            ) => {
                let quality = &dataset.quality;
                assert_eq!(quality.rows_used, *used, "{file}: rows used");
                assert_eq!(
                    quality.rows_read,
                    quality.rows_used + quality.rows_skipped,
                    "{file}: no row lost"
                );
                let messages: Vec<&str> =
                    quality.skipped.iter().map(|s| s.message.as_str()).collect();
                assert_eq!(messages.len(), skipped.len(), "{file}: {messages:?}");
                for (message, start) in messages.iter().zip(skipped.iter()) {
                    assert!(message.starts_with(start), "{file}: {message}");
                }
                for note in *notes {
                    assert!(
                        quality.notes.iter().any(|n| n.starts_with(note)),
                        "{file}: {:?}",
                        quality.notes
                    );
                }
                // Whatever was read computes.
                build_report(&dataset, &opening);
            }
            (Err(message), Read { .. }) => panic!("{file} was refused: {message}"),
            (Ok(_), Refused(start)) => panic!("{file} was read, expected: {start}"),
        }
    }
}

#[test]
fn hostile_cells_stay_text_and_leave_the_skipped_rows_download_defused() {
    let dataset = read("formula-injection.csv").unwrap();
    let channels = dataset.labels[0].names();
    assert!(channels.contains(&"=HYPERLINK(\"http://evil.example\",\"click\")".to_owned()));
    let csv = dataset.skipped_rows_csv();
    assert!(csv.contains("'=1+1"), "{csv}");
    assert!(
        !csv.lines()
            .any(|line| line.split(',').any(|cell| cell.starts_with('='))),
        "{csv}"
    );
}

#[test]
fn a_million_columns_are_refused_by_their_count() {
    let header: String = (0..1_000_000).map(|index| format!("c{index},")).collect();
    let error =
        read_contacts(format!("{header}\n").as_bytes(), &ImportOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "The first row has 1000001 columns, more than the 1000 a contact export has: is the separator right?"
    );
}

#[test]
fn utf16_without_a_mark_is_read_and_said() {
    let dataset = read("utf16-without-bom.csv").unwrap();
    assert_eq!(
        dataset.quality.encoding,
        slacalc::encoding::Encoding::Utf16Le
    );
}

/// Terms that are not terms: refused naming where, never a panic.
#[test]
fn hostile_terms_are_refused_with_a_message() {
    let refusal = |json: &str| match RawTerms::from_json(json).and_then(|raw| raw.validate()) {
        Ok(terms) => panic!("accepted: {} targets", terms.targets.len()),
        Err(error) => error.to_string(),
    };
    let many: String = format!(
        "{{\"targets\": [{}]}}",
        vec![r#"{"metric":"asa","goal":30}"#; 100_000].join(",")
    );
    assert_eq!(
        refusal(&many),
        "Terms: targets: 100,000 targets; at most 1,000 are read (an agreement has tens)"
    );
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(refusal(&deep).starts_with("Terms: "), "{}", refusal(&deep));
    assert!(refusal("").starts_with("Terms: "));
    assert!(refusal("[1, 2]").starts_with("Terms: "));
    assert_eq!(
        refusal(r#"{"targets":[{"metric":"serviceLevel","goal":"80","thresholdSecs":20}]}"#),
        "Terms: targets[0]: invalid type: string \"80\", expected f64"
    );
    assert!(
        refusal(r#"{"targets":[{"metric":"serviceLevel","goal":1e400,"thresholdSecs":20}]}"#)
            .starts_with("Terms: ")
    );
    // Two overflows the fuzzers found, refused now instead of wrapping or panicking.
    assert_eq!(
        refusal(r#"{"targets":[{"metric":"csat","goal":4,"csatScale":[0,1e30]}]}"#),
        "Terms: targets[0].csatScale: [0, 1000000000000000000000000000000] is not a scale of whole scores from low to high, at most 100 apart, e.g. [1, 5]"
    );
    let hours = r#"{"businessHours":{"weekly":{"mon":"4000000000:00-05:00"}},"targets":[]}"#;
    assert!(
        refusal(hours).starts_with("Terms: businessHours"),
        "{}",
        refusal(hours)
    );
}

#[test]
fn thousands_separators_are_read_and_counted() {
    let dataset = read("thousands-separators.csv").unwrap();
    let waits: Vec<Option<f64>> = dataset
        .contacts
        .iter()
        .map(|contact| contact.wait_secs.get())
        .collect();
    assert_eq!(waits, [Some(1234.5), Some(1234.5), Some(1234.0)]);
    let coerced = &dataset.quality.coerced;
    assert_eq!((coerced.len(), coerced[0].count), (1, 3), "{coerced:?}");
    assert!(coerced[0].what.starts_with("digits grouped by thousands"));
}

#[test]
fn markers_of_no_value_read_as_empty_in_any_case_and_only_whole() {
    let dataset = read("markers-of-no-value.csv").unwrap();
    let contacts = &dataset.contacts;
    let waits: Vec<Option<f64>> = contacts.iter().map(|c| c.wait_secs.get()).collect();
    assert_eq!(waits, [None, None, Some(12.0), None, Some(15.0)]);
    let scores: Vec<Option<f64>> = contacts.iter().map(|c| c.csat.get()).collect();
    assert_eq!(scores, [None, None, None, Some(4.0), Some(5.0)]);
    // "Nancy" starts as "na" does and "no" as "none": labels, not markers.
    assert_eq!(dataset.labels[0].names(), ["Nancy", "no"]);
    let channels: Vec<bool> = contacts.iter().map(|c| c.scope[0].is_some()).collect();
    assert_eq!(channels, [false, false, false, true, true]);
    let marked: Vec<(&str, u32)> = dataset
        .quality
        .coerced
        .iter()
        .filter(|coerced| coerced.what.starts_with("marker of no value"))
        .map(|coerced| (coerced.column.as_str(), coerced.count))
        .collect();
    assert_eq!(marked, [("wait", 3), ("csat", 3), ("channel", 3)]);
}

#[test]
fn scores_outside_the_agreed_scale_are_left_out_and_said() {
    let dataset = read("csat-out-of-scale.csv").unwrap();
    let terms = RawTerms::from_json(r#"{"targets":[{"metric":"csat","goal":4}]}"#)
        .unwrap()
        .validate()
        .unwrap();
    let report = build_report(&dataset, &terms);
    let period = &report.targets[0].results[0];
    assert_eq!(period.actual, Some(4.0));
    assert!(
        period
            .calculation
            .contains("2 scores outside 1–5 not counted"),
        "{}",
        period.calculation
    );
}
