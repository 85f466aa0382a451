//! Writes the benchmark's call file to standard output: one row per contact of a quarter
//! (January to March 2026) across three channels, the columns of a typical ACD export.
//!
//! ```sh
//! cargo run --release --example generate_benchmark -- --rows 1000000 > bench.csv   # 52 MB
//! cargo run --release --example generate_benchmark -- --rows 1000000 --repeat 42 > big.csv
//! cargo run --release --example generate_benchmark -- --rows 1000000 --quoted-crlf > q.csv
//! ```
//!
//! Seeded (ChaCha8), so every machine benchmarks the same bytes. `--repeat K` writes the rows K
//! times under one header: a file of gigabytes without K times the generation, the same
//! contacts over again (their metrics are then the same; only the size matters there).
//! `--quoted-crlf` writes every cell in quotes and Windows line ends: the parser must not be
//! fast only on clean files.

use std::io::Write;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SEED: u64 = 20_260_101;
const CHANNELS: [&str; 3] = ["voice", "chat", "email"];
const PRIORITIES: [&str; 3] = ["high", "medium", "low"];

struct Options {
    rows: u64,
    repeat: u64,
    quoted_crlf: bool,
}

fn options() -> Options {
    let mut options = Options {
        rows: 1_000_000,
        repeat: 1,
        quoted_crlf: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || {
            args.next()
                .and_then(|value| value.parse().ok())
                .unwrap_or_else(|| usage(&arg))
        };
        match arg.as_str() {
            "--rows" => options.rows = number(),
            "--repeat" => options.repeat = number(),
            "--quoted-crlf" => options.quoted_crlf = true,
            _ => usage(&arg),
        }
    }
    options
}

fn usage(arg: &str) -> ! {
    eprintln!(
        "generate_benchmark: cannot use {arg:?}; options: --rows N, --repeat K, --quoted-crlf"
    );
    std::process::exit(2)
}

fn main() -> std::io::Result<()> {
    let options = options();
    let rows = rows(options.rows);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let (quote, end) = if options.quoted_crlf {
        ("\"", "\r\n")
    } else {
        ("", "\n")
    };
    let header = [
        "arrived",
        "channel",
        "priority",
        "wait",
        "handle",
        "abandoned",
        "fcr",
        "csat",
    ];
    write_row(&mut out, header.iter().copied(), quote, end)?;
    for _ in 0..options.repeat {
        for row in &rows {
            write_row(&mut out, row.iter().map(String::as_str), quote, end)?;
        }
    }
    out.flush()
}

fn write_row<'a>(
    out: &mut impl Write,
    cells: impl Iterator<Item = &'a str>,
    quote: &str,
    end: &str,
) -> std::io::Result<()> {
    for (index, cell) in cells.enumerate() {
        if index > 0 {
            out.write_all(b",")?;
        }
        write!(out, "{quote}{cell}{quote}")?;
    }
    out.write_all(end.as_bytes())
}

/// `count` contacts spread over the quarter in arrival order, with waits that grow in busy
/// hours, about 7 % abandons, 70 % first-contact resolution and a survey from one in five.
fn rows(count: u64) -> Vec<[String; 8]> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
        .expect("a valid date")
        .and_hms_opt(0, 0, 0)
        .expect("a valid time");
    let quarter_secs = 90 * 86_400;
    let mut offsets: Vec<u64> = (0..count)
        .map(|_| rng.random_range(0..quarter_secs))
        .collect();
    offsets.sort_unstable();
    offsets
        .into_iter()
        .map(|offset| {
            let arrived = start + chrono::Duration::seconds(offset as i64);
            let hour = offset / 3600 % 24;
            let busy = if (9..18).contains(&hour) { 2.0 } else { 0.6 };
            let wait = -rng.random::<f64>().max(1e-9).ln() * 12.0 * busy;
            let millis = rng.random_range(0..1000i64);
            let abandoned = rng.random::<f64>() < 0.07;
            let handle = if abandoned {
                String::new()
            } else {
                format!("{:.1}", rng.random_range(60.0..900.0f64))
            };
            let fcr = if abandoned {
                ""
            } else if rng.random::<f64>() < 0.7 {
                "1"
            } else {
                "0"
            };
            let csat = if !abandoned && rng.random::<f64>() < 0.2 {
                rng.random_range(1..=5u32).to_string()
            } else {
                String::new()
            };
            [
                (arrived + chrono::Duration::milliseconds(millis))
                    .format("%Y-%m-%dT%H:%M:%S%.3f")
                    .to_string(),
                CHANNELS[rng.random_range(0..3)].to_owned(),
                PRIORITIES[rng.random_range(0..3)].to_owned(),
                format!("{wait:.1}"),
                handle,
                if abandoned { "1" } else { "0" }.to_owned(),
                fcr.to_owned(),
                csat,
            ]
        })
        .collect()
}
