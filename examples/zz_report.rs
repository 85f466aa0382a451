use slacalc::input::{read_contacts, ImportOptions};
use slacalc::{build_report, RawTerms};
fn main() {
    let bytes = std::fs::read("target/bench/contacts-1m.csv").unwrap();
    let d = read_contacts(&bytes, &ImportOptions::default()).unwrap();
    let terms = RawTerms::from_json(&std::fs::read_to_string("bench/terms.json").unwrap())
        .unwrap()
        .validate()
        .unwrap();
    for _ in 0..30 {
        let t = std::time::Instant::now();
        std::hint::black_box(build_report(&d, &terms));
        if std::env::var("V").is_ok() {
            eprintln!("{:?}", t.elapsed());
        }
    }
}
