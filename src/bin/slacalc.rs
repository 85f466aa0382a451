//! The command line: the same core as the page, for scripts and scheduled monthly reports.
//! Reads a file or standard input in chunks (the file itself is never held whole), writes the
//! result to standard output, and says what went wrong on one line of standard error: exit 0
//! when the report was computed, 1 when the input or the terms cannot be used, 2 on a usage
//! error, 3 with `--strict` when rows were skipped.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use slacalc::compliance::Status;
use slacalc::erlang::{erlang_c, required_agents, scheduled_staff, StaffingGoal, Traffic};
use slacalc::input::{ImportOptions, InputShape};
use slacalc::intervals::Reduction;
use slacalc::pushdown::{PushDown, SqlDialect};
use slacalc::shape::{Input, InputStream};
use slacalc::{RawTerms, Report, Terms};

#[derive(Parser)]
#[command(
    name = "slacalc",
    version,
    about = "SLA compliance, credits and realistic targets for call centers, computed locally"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compliance and credits of contacts, an interval report or a KPI history under terms.
    Report {
        #[command(flatten)]
        input: InputArgs,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Realistic targets: per target, its history and safe/balanced/stretch goals (JSON).
    Suggest {
        #[command(flatten)]
        input: InputArgs,
    },
    /// The warehouse SQL reducing a contact table to interval counts; FILE is an extract of
    /// the table (its header names the columns).
    Sql {
        #[command(flatten)]
        input: InputArgs,
        #[arg(long, value_enum)]
        dialect: Dialect,
        /// The table, or any FROM item.
        #[arg(long, default_value = "contacts")]
        table: String,
        /// Arrival times are UTC instants (else the agreement's wall-clock time).
        #[arg(long)]
        utc: bool,
        #[arg(long, default_value_t = 30)]
        interval_minutes: u32,
        /// Seconds between the edges of the wait histogram a percentile target needs.
        #[arg(long, default_value_t = 1.0)]
        wait_resolution: f64,
    },
    /// The JSON Schema of `report --format json` (also www/report.schema.json).
    Schema,
    /// Erlang C: the agents a goal needs, or what N agents give.
    Erlang {
        /// Contacts arriving per interval.
        #[arg(long)]
        contacts: f64,
        #[arg(long, default_value_t = 30)]
        interval_minutes: u32,
        /// Average handle time in seconds.
        #[arg(long)]
        aht: f64,
        /// Service-level threshold in seconds.
        #[arg(long, default_value_t = 20.0)]
        threshold: f64,
        /// Service-level goal in percent: print the agents it needs.
        #[arg(long, conflicts_with = "agents")]
        goal: Option<f64>,
        /// Print the service level and ASA of this many agents.
        #[arg(long)]
        agents: Option<u32>,
        #[arg(long, default_value_t = 0.0)]
        shrinkage: f64,
    },
}

#[derive(clap::Args)]
struct InputArgs {
    /// The data file; `-` or nothing reads standard input.
    file: Option<PathBuf>,
    /// The terms as JSON (www/terms.schema.json); without it, 80 % in 20 s monthly.
    #[arg(long)]
    terms: Option<PathBuf>,
    /// What one row is, when the header does not tell it rightly.
    #[arg(long, value_enum)]
    shape: Option<Shape>,
    /// An interval report's numbered service-level increments (ACDCALLS1…10): their upper
    /// edges in seconds, e.g. 5,10,20,30,60.
    #[arg(long, value_delimiter = ',')]
    increment_edges: Vec<f64>,
    /// Exit 3 when rows were skipped (they are always listed on standard error).
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum Shape {
    Contacts,
    Intervals,
    Kpis,
}

#[derive(Clone, Copy, ValueEnum)]
enum Dialect {
    Duckdb,
    Spark,
    Postgresql,
    Bigquery,
    Trino,
}

/// A failure: the one line for standard error, and the exit code.
struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    fn unusable(source: &str, message: impl std::fmt::Display) -> Failure {
        Failure {
            message: format!("{source}: {message}"),
            code: 1,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(output) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error of ours.
            let _ = stdout.write_all(output.as_bytes());
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("slacalc: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn run(command: Command) -> Result<String, Failure> {
    match command {
        Command::Report { input, format } => {
            let (data, terms) = load(&input, Memory::Bounded)?;
            let report = data.report(&terms);
            Ok(match format {
                Format::Json => report.to_json() + "\n",
                Format::Csv => report.to_csv(),
                Format::Text => report_text(&report),
            })
        }
        Command::Suggest { input } => {
            let (data, terms) = load(&input, Memory::Bounded)?;
            serde_json::to_string_pretty(&data.suggest(&terms))
                .map(|json| json + "\n")
                .map_err(|error| Failure::unusable("suggestions", error))
        }
        Command::Sql {
            input,
            dialect,
            table,
            utc,
            interval_minutes,
            wait_resolution,
        } => {
            let (sample, terms) = load(&input, Memory::Whole)?;
            let request = PushDown {
                dialect: match dialect {
                    Dialect::Duckdb => SqlDialect::DuckDb,
                    Dialect::Spark => SqlDialect::Spark,
                    Dialect::Postgresql => SqlDialect::PostgreSql,
                    Dialect::Bigquery => SqlDialect::BigQuery,
                    Dialect::Trino => SqlDialect::Trino,
                },
                table,
                columns: None,
                arrived_is_utc: utc,
                interval_minutes,
                wait_resolution_secs: wait_resolution,
            };
            sample
                .push_down_sql(&request, &terms)
                .map_err(|error| Failure::unusable(&source_name(&input.file), error))
        }
        Command::Schema => Ok(slacalc::schema::report_schema()),
        Command::Erlang {
            contacts,
            interval_minutes,
            aht,
            threshold,
            goal,
            agents,
            shrinkage,
        } => erlang(
            Traffic::from_volume(contacts, f64::from(interval_minutes) * 60.0, aht),
            threshold,
            goal,
            agents,
            shrinkage,
        ),
    }
}

fn erlang(
    traffic: Traffic,
    threshold: f64,
    goal: Option<f64>,
    agents: Option<u32>,
    shrinkage: f64,
) -> Result<String, Failure> {
    let usage = |message: &str| Failure {
        message: message.to_owned(),
        code: 2,
    };
    if !(traffic.erlangs.is_finite() && traffic.erlangs >= 0.0 && traffic.aht_secs > 0.0) {
        return Err(usage("contacts and AHT must be numbers above 0"));
    }
    if !(0.0..100.0).contains(&shrinkage) {
        return Err(usage("shrinkage is a percentage from 0 to under 100"));
    }
    let line = |staffing: &slacalc::erlang::Staffing| {
        format!(
            "{} agents: service level {:.1} % in {threshold} s, ASA {:.1} s, occupancy {:.1} %, {} scheduled at {shrinkage} % shrinkage\n",
            staffing.agents,
            staffing.service_level,
            staffing.asa_secs,
            staffing.occupancy,
            scheduled_staff(staffing.agents, shrinkage)
        )
    };
    let traffic_line = format!("Traffic: {:.2} Erlangs\n", traffic.erlangs);
    match (goal, agents) {
        (Some(percent), _) if (0.0..100.0).contains(&percent) => {
            let staffing = required_agents(
                traffic,
                StaffingGoal::ServiceLevel {
                    percent,
                    threshold_secs: threshold,
                },
                None,
            );
            Ok(traffic_line + &format!("For {percent} % in {threshold} s: ") + &line(&staffing))
        }
        (Some(_), _) => Err(usage("the goal is a percentage from 0 to under 100")),
        (None, Some(agents)) => match erlang_c(traffic, agents, threshold) {
            Some(staffing) => Ok(traffic_line + &line(&staffing)),
            None => Ok(traffic_line
                + &format!(
                    "{agents} agents: the queue grows without bound ({agents} ≤ {:.2} Erlangs)\n",
                    traffic.erlangs
                )),
        },
        (None, None) => Err(usage(
            "give --goal (agents it needs) or --agents (what they give)",
        )),
    }
}

fn source_name(file: &Option<PathBuf>) -> String {
    match file {
        Some(path) if path.as_os_str() != "-" => path.display().to_string(),
        _ => "standard input".to_owned(),
    }
}

/// How contacts are kept while read.
#[derive(Clone, Copy)]
enum Memory {
    /// Counted into interval rows and let go, when the terms need nothing else: what a report
    /// or suggestions read, however big the file.
    Bounded,
    /// Held: the push-down SQL reads an extract's columns.
    Whole,
}

/// Past this many contacts held, standard error says why they were not counted as read.
const LARGE_INPUT_CONTACTS: u64 = 1_000_000;

/// The input read in chunks, and the terms; skipped rows go to standard error, one line each.
fn load(args: &InputArgs, memory: Memory) -> Result<(Input, Terms), Failure> {
    let terms = match &args.terms {
        Some(path) => {
            let name = path.display().to_string();
            let json =
                std::fs::read_to_string(path).map_err(|error| Failure::unusable(&name, error))?;
            RawTerms::from_json(&json)
                .and_then(|raw| raw.validate())
                .map_err(|error| Failure::unusable(&name, error))?
        }
        None => RawTerms::opening()
            .validate()
            .map_err(|error| Failure::unusable("the default terms", error))?,
    };
    let source = source_name(&args.file);
    let mut reader: Box<dyn Read> = match &args.file {
        Some(path) if path.as_os_str() != "-" => {
            Box::new(std::fs::File::open(path).map_err(|error| Failure::unusable(&source, error))?)
        }
        _ => Box::new(std::io::stdin().lock()),
    };
    let options = ImportOptions {
        shape: args.shape.map(|shape| match shape {
            Shape::Contacts => InputShape::Contacts,
            Shape::Intervals => InputShape::Intervals,
            Shape::Kpis => InputShape::Kpis,
        }),
        increment_edges: args.increment_edges.clone(),
        ..ImportOptions::default()
    };
    let mut stream = InputStream::new(options, None);
    // Why contacts are held though bounded memory was asked for, if they are.
    let mut held_because = None;
    if let Memory::Bounded = memory {
        match Reduction::exactly_for(&terms) {
            Ok(reduction) => stream = stream.counting(reduction),
            Err(why) => held_because = Some(why),
        }
    }
    let mut chunk = vec![0; 1 << 20];
    loop {
        let read = reader
            .read(&mut chunk)
            .map_err(|error| Failure::unusable(&source, error))?;
        if read == 0 {
            break;
        }
        stream
            .push(&chunk[..read])
            .map_err(|error| Failure::unusable(&source, error))?;
    }
    let input = stream
        .finish()
        .map_err(|error| Failure::unusable(&source, error))?;
    if let (Input::Contacts(_), Some(why)) = (&input, &held_because) {
        let held = input.contact_count();
        if held > LARGE_INPUT_CONTACTS {
            eprintln!(
                "slacalc: {source}: {} contacts held in memory, since {why}; terms without it are counted as read, in bounded memory",
                slacalc::text::count(held)
            );
        }
    }
    let quality = input.quality();
    for group in &quality.skipped {
        eprintln!("slacalc: {source}: {}", group.message);
    }
    if args.strict && quality.rows_skipped > 0 {
        return Err(Failure {
            message: format!(
                "{source}: {} of {} rows skipped (--strict)",
                quality.rows_skipped, quality.rows_read
            ),
            code: 3,
        });
    }
    Ok((input, terms))
}

/// The report as a person reads it in a terminal: per target, a line per period with the value,
/// the verdict and the arithmetic; then the invoice. Every figure is the report's own.
fn report_text(report: &Report) -> String {
    let mut text = format!(
        "{} · periods in {}\n",
        report.agreement.name.as_deref().unwrap_or("Your agreement"),
        report.agreement.time_zone
    );
    let quality = &report.quality;
    text += &format!(
        "{} rows read, {} used, {} skipped\n",
        quality.rows_read, quality.rows_used, quality.rows_skipped
    );
    for target in &report.targets {
        // A label written for a scoped target names its scope already.
        if target.label.contains(&target.scope) {
            text += &format!("\n{}\n", target.label);
        } else {
            text += &format!("\n{} ({})\n", target.label, target.scope);
        }
        for note in &target.notes {
            text += &format!("  note: {note}\n");
        }
        for result in &target.results {
            let verdict = match result.judgement.status {
                Status::Met => "met",
                Status::Missed => "MISSED",
                Status::NotJudged => "not judged",
            };
            let value = result
                .actual
                .map_or("—".to_owned(), |actual| target.unit.format(actual));
            text += &format!(
                "  {:<24} {:>10}  {:<10}  {}\n",
                result.period,
                value,
                verdict,
                result
                    .judgement
                    .not_judged_because
                    .as_deref()
                    .unwrap_or(&result.calculation)
            );
        }
    }
    if let Some(credits) = &report.credits {
        let currency = credits.currency.as_deref().unwrap_or("");
        text += &format!("\nCredits {currency}\n");
        for period in &credits.periods {
            text += &format!(
                "  {:<10} fee {:>14}  credits {:>12}  bonus {:>10}  net {:>14}\n",
                period.period,
                period.fee.map_or("—".to_owned(), |fee| fee.to_string()),
                period.credits.to_string(),
                period.bonus.to_string(),
                period.net.to_string()
            );
            for line in period
                .lines
                .iter()
                .filter(|line| line.status == Status::Missed)
            {
                text += &format!("    {}\n", line.explanation);
            }
        }
        let totals = &credits.totals;
        text += &format!(
            "  Total: fees {}, credits {}, bonus {}, net {} {currency}\n",
            totals.fees, totals.credits, totals.bonus, totals.net
        );
    }
    text
}
