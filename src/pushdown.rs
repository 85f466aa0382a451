//! Warehouse push-down (DOMAIN §9): the SQL that reduces a contact table to the interval report
//! slacalc reads, for data too big to paste. It counts exactly what [`Reduction::reduce`] counts
//! from contacts — the same outcome words, the same thresholds (`≤ T` answered and abandoned
//! within, `< S` short abandons), the same scale for CSAT — in the agreement's time zone, so
//! the report from its result equals the report from the contacts, figure for figure.

use serde::Deserialize;

use crate::error::SlaError;
use crate::input::{ImportQuality, InputShape};
use crate::intervals::Reduction;
use crate::mapping::MappedField;
use crate::model::{ScopeField, ABANDONED_WORDS, ANSWERED_WORDS};
use crate::terms::Terms;
use crate::values::{NO_WORDS, YES_WORDS};
use crate::zone::Zone;

/// The warehouses whose SQL slacalc writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SqlDialect {
    DuckDb,
    Spark,
    PostgreSql,
    BigQuery,
    Trino,
}

impl SqlDialect {
    pub const ALL: [SqlDialect; 5] = [
        SqlDialect::DuckDb,
        SqlDialect::Spark,
        SqlDialect::PostgreSql,
        SqlDialect::BigQuery,
        SqlDialect::Trino,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SqlDialect::DuckDb => "DuckDB",
            SqlDialect::Spark => "Spark SQL",
            SqlDialect::PostgreSql => "PostgreSQL",
            SqlDialect::BigQuery => "BigQuery",
            SqlDialect::Trino => "Trino / Athena",
        }
    }

    /// A column or alias name, quoted: names like `Queue Time` have spaces.
    fn quote(self, name: &str) -> String {
        match self {
            SqlDialect::Spark | SqlDialect::BigQuery => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    fn text_type(self) -> &'static str {
        match self {
            SqlDialect::Spark | SqlDialect::BigQuery => "STRING",
            _ => "VARCHAR",
        }
    }

    fn number_type(self) -> &'static str {
        match self {
            SqlDialect::BigQuery => "FLOAT64",
            SqlDialect::PostgreSql => "DOUBLE PRECISION",
            _ => "DOUBLE",
        }
    }

    /// A timestamp column (or text) as the engine's time type: an instant when the table holds
    /// instants, else a wall-clock time, as exports write it.
    fn time_value(self, expression: &str, is_instant: bool) -> String {
        let time_type = match (self, is_instant) {
            (SqlDialect::BigQuery, false) => "DATETIME",
            (SqlDialect::DuckDb | SqlDialect::PostgreSql, true) => "TIMESTAMPTZ",
            (SqlDialect::Trino, true) => "TIMESTAMP WITH TIME ZONE",
            _ => "TIMESTAMP",
        };
        format!("CAST({expression} AS {time_type})")
    }

    /// The date and time of day of two columns as one timestamp's text: the date read as the
    /// engine's date, the time as its time of day (from text such as `08:30`, a time, or a
    /// timestamp whose date is a placeholder, as CSV readers type it), midnight when it is
    /// empty or there is no time column (as the import reads them).
    fn date_and_time(self, date: &str, time: Option<&str>) -> String {
        let text = self.text_type();
        let time = match (self, time) {
            // Spark has no time type before 4.1: its CSV reader makes `08:30` today's 08:30.
            (SqlDialect::Spark, Some(time)) => format!(
                "COALESCE(date_format(CAST({time} AS TIMESTAMP), 'HH:mm:ss.SSS'), '00:00:00')"
            ),
            (_, Some(time)) => {
                format!("COALESCE(CAST(CAST({time} AS TIME) AS {text}), '00:00:00')")
            }
            (_, None) => "'00:00:00'".to_owned(),
        };
        format!("CONCAT(CAST(CAST({date} AS DATE) AS {text}), ' ', {time})")
    }

    /// A [`SqlDialect::time_value`] as the wall-clock time in `zone`: converted from an
    /// instant, or already one.
    fn wall_clock(self, time: &str, zone: &Zone, is_instant: bool) -> String {
        if !is_instant {
            return time.to_owned();
        }
        // DuckDB knows no offset as a zone name, and PostgreSQL reads `+05:30` with POSIX's
        // sign (west positive): both add a fixed offset to the UTC wall clock instead.
        let fixed_minutes = match zone {
            Zone::Fixed(offset) if offset.local_minus_utc() != 0 => {
                Some(offset.local_minus_utc() / 60)
            }
            _ => None,
        };
        let name = zone.to_string().replace('\'', "");
        match (self, fixed_minutes) {
            (SqlDialect::DuckDb, None) => format!("timezone('{name}', {time})"),
            (SqlDialect::DuckDb, Some(minutes)) => {
                format!("(timezone('UTC', {time}) + INTERVAL '{minutes}' MINUTE)")
            }
            (SqlDialect::PostgreSql, None) => format!("({time} AT TIME ZONE '{name}')"),
            (SqlDialect::PostgreSql, Some(minutes)) => {
                format!("(({time} AT TIME ZONE 'UTC') + INTERVAL '{minutes}' MINUTE)")
            }
            (SqlDialect::BigQuery, _) => format!("DATETIME({time}, '{name}')"),
            (SqlDialect::Spark, _) => format!("from_utc_timestamp({time}, '{name}')"),
            (SqlDialect::Trino, _) => {
                format!("CAST({time} AT TIME ZONE '{name}' AS TIMESTAMP)")
            }
        }
    }

    /// Seconds from one [`SqlDialect::time_value`] to another, as the import counts them:
    /// between instants, or between wall-clock times as written (a wait across the hour that
    /// repeats is not an hour longer).
    fn seconds_between(self, from: &str, to: &str, is_instant: bool) -> String {
        let seconds = match (self, is_instant) {
            (SqlDialect::DuckDb, _) => {
                format!("date_diff('microsecond', {from}, {to}) / 1000000.0")
            }
            (SqlDialect::PostgreSql, _) => format!("EXTRACT(EPOCH FROM ({to} - {from}))"),
            (SqlDialect::BigQuery, true) => {
                format!("TIMESTAMP_DIFF({to}, {from}, MICROSECOND) / 1000000")
            }
            (SqlDialect::BigQuery, false) => {
                format!("DATETIME_DIFF({to}, {from}, MICROSECOND) / 1000000")
            }
            // Spark's timestampdiff counts on the session zone's wall clock; instants are
            // subtracted as microseconds since the epoch.
            (SqlDialect::Spark, true) => {
                format!("(unix_micros({to}) - unix_micros({from})) / 1000000.0")
            }
            (SqlDialect::Spark, false) => {
                format!("timestampdiff(MICROSECOND, {from}, {to}) / 1000000.0")
            }
            (SqlDialect::Trino, _) => {
                format!("date_diff('millisecond', {from}, {to}) / 1000.0")
            }
        };
        format!("CAST({seconds} AS {})", self.number_type())
    }

    /// The start of the `minutes`-long interval holding `time` (minutes divide an hour).
    fn interval_start(self, time: &str, minutes: u32) -> String {
        match self {
            SqlDialect::DuckDb => format!("time_bucket(INTERVAL '{minutes} minutes', {time})"),
            SqlDialect::PostgreSql => format!(
                "date_bin(INTERVAL '{minutes} minutes', {time}, TIMESTAMP '2000-01-01')"
            ),
            SqlDialect::BigQuery => format!(
                "DATETIME_ADD(DATETIME_TRUNC({time}, HOUR), INTERVAL DIV(EXTRACT(MINUTE FROM {time}), {minutes}) * {minutes} MINUTE)"
            ),
            SqlDialect::Spark => format!(
                "date_trunc('HOUR', {time}) + make_dt_interval(0, 0, CAST(floor(minute({time}) / {minutes}) * {minutes} AS INT), 0)"
            ),
            SqlDialect::Trino => format!(
                "date_add('minute', CAST(floor(minute({time}) / {minutes}) * {minutes} AS BIGINT), date_trunc('hour', {time}))"
            ),
        }
    }

    /// `time` as `2026-03-01 08:30:00` text, the same in every warehouse's CSV export.
    fn format_time(self, time: &str) -> String {
        match self {
            SqlDialect::DuckDb => format!("strftime({time}, '%Y-%m-%d %H:%M:%S')"),
            SqlDialect::PostgreSql => format!("to_char({time}, 'YYYY-MM-DD HH24:MI:SS')"),
            SqlDialect::BigQuery => format!("FORMAT_DATETIME('%Y-%m-%d %H:%M:%S', {time})"),
            SqlDialect::Spark => format!("date_format({time}, 'yyyy-MM-dd HH:mm:ss')"),
            SqlDialect::Trino => format!("format_datetime({time}, 'yyyy-MM-dd HH:mm:ss')"),
        }
    }
}

/// The contact table's columns, by field: an arrival (one timestamp, or a date and a time of
/// day) is required, every other field is read when its column is named.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WarehouseColumns {
    /// The arrival, one timestamp…
    pub arrived: Option<String>,
    /// …or its date, with the time of day in `arrived_time` (a date alone puts every contact
    /// at midnight, as the import reads it).
    pub arrived_date: Option<String>,
    pub arrived_time: Option<String>,
    /// Seconds in the queue, a number; where it is empty, the time from the arrival to
    /// `answered_at` (else `abandoned_at`).
    pub wait: Option<String>,
    /// Text read with slacalc's outcome words (`answered`, `abandoned`, `missed`…)…
    pub outcome: Option<String>,
    /// …or, without it, yes when answered and no when abandoned…
    pub answered_flag: Option<String>,
    /// …or yes when abandoned and no when answered…
    pub abandoned_flag: Option<String>,
    /// …or answered when this time is filled in and abandoned when it is empty.
    pub answered_at: Option<String>,
    /// When the caller hung up in the queue: abandoned when filled in (and no column above).
    pub abandoned_at: Option<String>,
    /// Handle seconds of an answered contact, a number; where it is empty, its parts in
    /// seconds, summed as the import sums them: an empty part counts as 0 when another has a
    /// value (exports leave "no hold" empty).
    pub handle: Option<String>,
    pub talk: Option<String>,
    pub hold: Option<String>,
    pub wrap: Option<String>,
    /// Yes/no, true/false or 1/0.
    pub fcr: Option<String>,
    pub csat: Option<String>,
    pub channel: Option<String>,
    pub priority: Option<String>,
    pub queue: Option<String>,
}

impl WarehouseColumns {
    /// The columns of an imported sample, by the fields they were mapped to: the page's way
    /// to write the SQL for the full table behind a pasted extract.
    pub fn from_quality(quality: &ImportQuality) -> WarehouseColumns {
        let column = |field: MappedField| {
            quality
                .columns
                .iter()
                .find(|column| column.field == Some(field))
                .map(|column| column.name.clone())
        };
        WarehouseColumns {
            arrived: column(MappedField::Arrived),
            arrived_date: column(MappedField::ArrivedDate),
            arrived_time: column(MappedField::ArrivedTime),
            wait: column(MappedField::Wait),
            outcome: column(MappedField::Outcome),
            answered_flag: column(MappedField::AnsweredFlag),
            abandoned_flag: column(MappedField::AbandonedFlag),
            answered_at: column(MappedField::AnsweredAt),
            abandoned_at: column(MappedField::AbandonedAt),
            handle: column(MappedField::Handle),
            talk: column(MappedField::Talk),
            hold: column(MappedField::Hold),
            wrap: column(MappedField::Wrap),
            fcr: column(MappedField::Fcr),
            csat: column(MappedField::Csat),
            channel: column(MappedField::Channel),
            priority: column(MappedField::Priority),
            queue: column(MappedField::Queue),
        }
    }
}

/// What the SQL is written for.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PushDown {
    pub dialect: SqlDialect,
    /// The table (or any FROM item: `calls`, `crm.calls`, `read_csv_auto('calls.csv')`).
    #[serde(default = "default_table")]
    pub table: String,
    /// The table's columns; by default those of the imported sample, as it was mapped.
    #[serde(default)]
    pub columns: Option<WarehouseColumns>,
    /// Whether the arrival column holds instants (UTC, or with a zone) rather than the
    /// agreement's wall-clock time, as most exports write it.
    #[serde(default)]
    pub arrived_is_utc: bool,
    /// Minutes per interval: 15, 30 or 60.
    #[serde(default = "default_interval_minutes")]
    pub interval_minutes: u32,
    /// The step of the answered wait histogram a percentile target needs, in seconds: 1 reads
    /// the percentile exactly when waits are whole seconds.
    #[serde(default = "default_wait_resolution")]
    pub wait_resolution_secs: f64,
}

fn default_wait_resolution() -> f64 {
    1.0
}

fn default_interval_minutes() -> u32 {
    30
}

fn default_table() -> String {
    "contacts".to_owned()
}

/// The SQL that reduces the contact table to interval counts for `terms`: only the scopes and
/// thresholds the terms need, intervals cut in their time zone. The columns are the request's,
/// or else those `sample` (an imported extract of the table) was mapped to.
pub fn push_down_sql(
    request: &PushDown,
    sample: Option<&ImportQuality>,
    terms: &Terms,
) -> Result<String, SlaError> {
    let columns = match (&request.columns, sample) {
        (Some(columns), _) => columns.clone(),
        (None, Some(quality)) if quality.shape == InputShape::Contacts => {
            WarehouseColumns::from_quality(quality)
        }
        _ => {
            return Err(SlaError::PushDown {
                message: "it is written for a table of contacts: name its columns, or import an extract of it (one contact per row)".to_owned(),
            })
        }
    };
    if ![15, 30, 60].contains(&request.interval_minutes) {
        return Err(SlaError::PushDown {
            message: format!(
                "intervals of {} minutes: choose 15, 30 or 60",
                request.interval_minutes
            ),
        });
    }
    if !(request.wait_resolution_secs.is_finite() && request.wait_resolution_secs > 0.0) {
        return Err(SlaError::PushDown {
            message: format!(
                "a wait resolution of {} s: give seconds above 0, e.g. 1",
                request.wait_resolution_secs
            ),
        });
    }
    let reduction = Reduction::for_terms(
        terms,
        request.interval_minutes,
        request.wait_resolution_secs,
    );
    let dialect = request.dialect;
    let reading = ContactReading {
        dialect,
        columns: &columns,
        is_instant: request.arrived_is_utc,
    };
    let arrival = reading.arrival()?;
    let local = dialect.wall_clock(&arrival.time, &terms.zone, request.arrived_is_utc);
    let mut prepared = vec![format!(
        "{} AS interval_start",
        dialect.interval_start(&local, request.interval_minutes)
    )];
    let named = |field: ScopeField| reduction.named_scopes[field.index()];
    let scopes: Vec<(&str, &String)> = [
        ("Channel", ScopeField::Channel, &columns.channel),
        ("Priority", ScopeField::Priority, &columns.priority),
        ("Queue", ScopeField::Queue, &columns.queue),
    ]
    .into_iter()
    .filter(|(_, field, _)| named(*field))
    .filter_map(|(name, _, column)| column.as_ref().map(|column| (name, column)))
    .collect();
    for (index, (_, column)) in scopes.iter().enumerate() {
        prepared.push(format!(
            "CAST({} AS {}) AS scope_{index}",
            reading.source(column),
            dialect.text_type()
        ));
    }
    let outcome = reading.outcome();
    let wait = reading.wait(&arrival.time);
    let handle = reading.handle();
    let fcr = columns
        .fcr
        .as_ref()
        .map(|fcr| reading.yes_or_no(fcr, "1", "0"));
    let csat = columns.csat.as_ref().map(|csat| reading.number(csat));
    let null = |sql_type: &str| format!("CAST(NULL AS {sql_type})");
    prepared.push(format!(
        "{} AS outcome",
        outcome.clone().unwrap_or_else(|| null(dialect.text_type()))
    ));
    for (expression, alias) in [(&wait, "wait"), (&handle, "handle"), (&csat, "csat")] {
        let expression = expression
            .clone()
            .unwrap_or_else(|| null(dialect.number_type()));
        prepared.push(format!("{expression} AS {alias}"));
    }
    prepared.push(format!(
        "{} AS fcr",
        fcr.clone().unwrap_or_else(|| null("INT"))
    ));

    let counts = interval_counts(
        &reduction,
        Carried {
            wait: wait.is_some() && outcome.is_some(),
            handle: handle.is_some(),
            fcr: fcr.is_some(),
            csat: csat.is_some(),
        },
    );
    let alias = |name: &str| dialect.quote(name);
    let mut selected = vec![
        format!(
            "{} AS {}",
            dialect.format_time("interval_start"),
            alias("Interval start")
        ),
        format!(
            "{} AS {}",
            request.interval_minutes,
            alias("Interval minutes")
        ),
    ];
    for (index, (name, _)) in scopes.iter().enumerate() {
        selected.push(format!("scope_{index} AS {}", alias(name)));
    }
    selected.extend(
        counts
            .into_iter()
            .map(|(expression, name)| format!("{expression} AS {}", alias(&name))),
    );
    let kept = std::iter::once(format!("{} IS NOT NULL", arrival.present))
        .chain(
            reading
                .unreadable(wait.as_deref())
                .into_iter()
                .map(|condition| format!("NOT COALESCE({condition}, FALSE)")),
        )
        .collect::<Vec<_>>()
        .join("\n    AND ");
    let group: Vec<String> = std::iter::once("interval_start".to_owned())
        .chain((0..scopes.len()).map(|index| format!("scope_{index}")))
        .collect();
    let indent = |lines: &[String]| lines.join(",\n    ");
    let histogram_note = match reduction.histogram {
        Some((step, reach)) => format!(
            "\n-- For the percentile targets, answered contacts are counted within every {step} s up to\n-- {reach} s: a percentile is read to {step} s (exact for waits in whole multiples of it),\n-- judged exactly at its goal, and not known past {reach} s."
        ),
        None => String::new(),
    };
    Ok(format!(
        "-- slacalc push-down for {dialect_name}: contacts → {minutes}-minute interval counts{name}.
-- Intervals are cut in {zone}{zone_note}.
-- Save the result as CSV and open it in slacalc (the page, or `slacalc report`): it reads as
-- an interval report, and every metric it carries is computed as from the contacts
-- themselves. Waits and handle times are read as numbers of seconds.
-- Contacts without an arrival, and rows slacalc's import would skip (a negative time, a
-- yes/no it cannot read), are left out; contacts without an outcome or a wait are counted
-- apart, as slacalc counts them.{histogram_note}
WITH prepared AS (
  SELECT
    {prepared}
  FROM {table}
  WHERE {kept}
)
SELECT
    {selected}
FROM prepared
GROUP BY {group}
ORDER BY {group}
",
        dialect_name = dialect.name(),
        minutes = request.interval_minutes,
        name = terms
            .name
            .as_ref()
            .map(|name| format!(" for \"{}\"", name.replace('\n', " ")))
            .unwrap_or_default(),
        zone = terms.zone,
        zone_note = if request.arrived_is_utc {
            " (arrivals converted from UTC)"
        } else {
            " (arrivals taken as that zone's wall-clock time)"
        },
        prepared = indent(&prepared),
        table = request.table,
        selected = indent(&selected),
        group = group.join(", "),
    ))
}

/// `'a', 'b'`: a list of words for `IN (…)`.
fn words(list: &[&str]) -> String {
    list.iter()
        .map(|word| format!("'{word}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The arrival, as the engine's time, and the column whose emptiness means there is none.
struct Arrival {
    time: String,
    present: String,
}

/// How each field of a contact is read from the table's columns, in SQL: the same words,
/// fallbacks and refusals as slacalc's import.
struct ContactReading<'a> {
    dialect: SqlDialect,
    columns: &'a WarehouseColumns,
    is_instant: bool,
}

impl ContactReading<'_> {
    /// A column or alias name, quoted: names like `Queue Time` have spaces.
    fn source(&self, name: &str) -> String {
        self.dialect.quote(name)
    }

    fn text(&self, name: &str) -> String {
        format!(
            "lower(trim(CAST({} AS {})))",
            self.source(name),
            self.dialect.text_type()
        )
    }

    fn number(&self, name: &str) -> String {
        format!(
            "CAST({} AS {})",
            self.source(name),
            self.dialect.number_type()
        )
    }

    fn time(&self, name: &str) -> String {
        self.dialect.time_value(&self.source(name), self.is_instant)
    }

    fn arrival(&self) -> Result<Arrival, SlaError> {
        let columns = self.columns;
        match (&columns.arrived, &columns.arrived_date) {
            (Some(arrived), _) => Ok(Arrival {
                time: self.time(arrived),
                present: self.source(arrived),
            }),
            (None, Some(date)) => {
                let time = columns.arrived_time.as_deref().map(|time| self.source(time));
                let written = self
                    .dialect
                    .date_and_time(&self.source(date), time.as_deref());
                Ok(Arrival {
                    time: self.dialect.time_value(&written, self.is_instant),
                    present: self.source(date),
                })
            }
            (None, None) => Err(SlaError::PushDown {
                message: "the table needs an arrival: a timestamp column, or a date column (with the time of day in another)".to_owned(),
            }),
        }
    }

    /// `'A'` answered, `'B'` abandoned, `'O'` another outcome, NULL unknown: from the outcome
    /// column, else an answered or abandoned flag, else whether the answer (or hang-up) time
    /// is filled in — the import's order.
    fn outcome(&self) -> Option<String> {
        let columns = self.columns;
        if let Some(outcome) = &columns.outcome {
            return Some(format!(
                "CASE WHEN {0} IN ({1}) THEN 'A' WHEN {0} IN ({2}) THEN 'B' WHEN {0} = '' OR {0} IS NULL THEN NULL ELSE 'O' END",
                self.text(outcome),
                words(&ANSWERED_WORDS),
                words(&ABANDONED_WORDS)
            ));
        }
        if let Some((flag, when_yes, when_no)) = self.flag() {
            return Some(self.yes_or_no(flag, &format!("'{when_yes}'"), &format!("'{when_no}'")));
        }
        if let Some(answered_at) = &columns.answered_at {
            return Some(format!(
                "CASE WHEN {} IS NOT NULL THEN 'A' ELSE 'B' END",
                self.source(answered_at)
            ));
        }
        columns.abandoned_at.as_ref().map(|abandoned_at| {
            format!(
                "CASE WHEN {} IS NOT NULL THEN 'B' END",
                self.source(abandoned_at)
            )
        })
    }

    /// A yes/no column read as `when_yes` or `when_no` (NULL when empty or neither).
    fn yes_or_no(&self, column: &str, when_yes: &str, when_no: &str) -> String {
        format!(
            "CASE WHEN {0} IN ({1}) THEN {when_yes} WHEN {0} IN ({2}) THEN {when_no} END",
            self.text(column),
            words(&YES_WORDS),
            words(&NO_WORDS)
        )
    }

    /// The flag the outcome is read from when there is no outcome column, with the outcome
    /// its yes and its no mean.
    fn flag(&self) -> Option<(&String, char, char)> {
        let columns = self.columns;
        if columns.outcome.is_some() {
            return None;
        }
        (columns.answered_flag.as_ref().map(|flag| (flag, 'A', 'B')))
            .or(columns.abandoned_flag.as_ref().map(|flag| (flag, 'B', 'A')))
    }

    /// The wait column, else (where it is empty) the seconds from the arrival to the answer,
    /// else to the hang-up.
    fn wait(&self, arrival: &str) -> Option<String> {
        let columns = self.columns;
        let left_queue: Vec<String> = [&columns.answered_at, &columns.abandoned_at]
            .into_iter()
            .flatten()
            .map(|column| self.time(column))
            .collect();
        let from_times = match left_queue.as_slice() {
            [] => None,
            [only] => Some(only.clone()),
            many => Some(format!("COALESCE({})", many.join(", "))),
        }
        .map(|left| {
            self.dialect
                .seconds_between(arrival, &left, self.is_instant)
        });
        fallback(
            columns.wait.as_ref().map(|wait| self.number(wait)),
            from_times,
        )
    }

    /// The handle column, else (where it is empty) talk + hold + wrap, an empty part counting
    /// 0 when another has a value.
    fn handle(&self) -> Option<String> {
        let parts: Vec<&String> = self.parts().collect();
        let from_parts = (!parts.is_empty()).then(|| {
            format!(
                "CASE WHEN {} THEN NULL ELSE {} END",
                parts
                    .iter()
                    .map(|part| format!("{} IS NULL", self.number(part)))
                    .collect::<Vec<_>>()
                    .join(" AND "),
                parts
                    .iter()
                    .map(|part| format!("COALESCE({}, 0)", self.number(part)))
                    .collect::<Vec<_>>()
                    .join(" + ")
            )
        });
        fallback(
            self.columns
                .handle
                .as_ref()
                .map(|handle| self.number(handle)),
            from_parts,
        )
    }

    fn parts(&self) -> impl Iterator<Item = &String> {
        let columns = self.columns;
        [&columns.talk, &columns.hold, &columns.wrap]
            .into_iter()
            .flatten()
    }

    /// What makes the import skip a row, as conditions: a negative wait, handle time or (when
    /// the handle time is read from them) part, a flag or FCR value neither yes nor no.
    fn unreadable(&self, wait: Option<&str>) -> Vec<String> {
        let yes_or_no = |column: &String| {
            format!(
                "{} NOT IN ('', {}, {})",
                self.text(column),
                words(&YES_WORDS),
                words(&NO_WORDS)
            )
        };
        let handle = self
            .columns
            .handle
            .as_ref()
            .map(|handle| self.number(handle));
        let parts = self.parts().map(|part| match &handle {
            Some(handle) => format!("{handle} IS NULL AND {} < 0", self.number(part)),
            None => format!("{} < 0", self.number(part)),
        });
        wait.into_iter()
            .map(str::to_owned)
            .chain(handle.clone())
            .map(|duration| format!("{duration} < 0"))
            .chain(parts)
            .chain(self.flag().map(|(flag, _, _)| yes_or_no(flag)))
            .chain(self.columns.fcr.as_ref().map(yes_or_no))
            .collect()
    }
}

/// `first`, else where it is NULL `second`.
fn fallback(first: Option<String>, second: Option<String>) -> Option<String> {
    match (first, second) {
        (Some(first), Some(second)) => Some(format!("COALESCE({first}, {second})")),
        (first, second) => first.or(second),
    }
}

/// Which fields the prepared contacts carry, beside the outcome every count reads.
struct Carried {
    /// A wait and an outcome: the counts within thresholds.
    wait: bool,
    handle: bool,
    fcr: bool,
    csat: bool,
}

/// The interval report's columns, as `(aggregate, name)`: the names slacalc's interval import
/// reads, the counts exactly those [`Reduction::reduce`] makes from contacts.
fn interval_counts(reduction: &Reduction, carried: Carried) -> Vec<(String, String)> {
    let count_when = |condition: &str| format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)");
    let answered = "outcome = 'A' AND wait IS NOT NULL";
    let mut counts = vec![
        (
            format!(
                "{} + {}",
                count_when(answered),
                count_when("outcome IN ('B', 'O')")
            ),
            "Offered".to_owned(),
        ),
        (count_when(answered), "Answered".to_owned()),
        (count_when("outcome = 'B'"), "Abandoned".to_owned()),
        // Contacts whose queue counts are incomplete, counted apart as the import counts
        // them: in AHT, FCR and CSAT but in no queue count; abandoned, neither within T nor
        // short; in no count of the queue.
        (
            count_when("outcome = 'A' AND wait IS NULL"),
            "Answered without wait".to_owned(),
        ),
        (
            count_when("outcome = 'B' AND wait IS NULL"),
            "Abandoned without wait".to_owned(),
        ),
        (count_when("outcome IS NULL"), "Without outcome".to_owned()),
    ];
    if carried.wait {
        for edge in &reduction.answer_edges {
            counts.push((
                count_when(&format!("{answered} AND wait <= {edge}")),
                format!("Answered within {edge}s"),
            ));
        }
        for edge in &reduction.abandon_edges {
            counts.push((
                count_when(&format!("outcome = 'B' AND wait <= {edge}")),
                format!("Abandoned within {edge}s"),
            ));
        }
        if let Some(short) = reduction.short_abandon_secs {
            counts.push((
                count_when(&format!("outcome = 'B' AND wait < {short}")),
                format!("Short abandons under {short}s"),
            ));
        }
        counts.push((
            format!("SUM(CASE WHEN {answered} THEN wait ELSE 0 END)"),
            "Total answered wait".to_owned(),
        ));
    }
    if carried.handle {
        let handled = "outcome = 'A' AND handle IS NOT NULL";
        counts.push((
            format!("SUM(CASE WHEN {handled} THEN handle ELSE 0 END)"),
            "Total handle time".to_owned(),
        ));
        counts.push((count_when(handled), "Answered with handle time".to_owned()));
    }
    if carried.fcr {
        counts.push((count_when("fcr = 1"), "FCR resolved".to_owned()));
        counts.push((count_when("fcr IS NOT NULL"), "FCR known".to_owned()));
        counts.push((count_when("fcr IS NULL"), "FCR unknown".to_owned()));
    }
    if carried.csat {
        let in_scale = match reduction.csat_scale {
            Some([lowest, highest]) => format!("csat BETWEEN {lowest} AND {highest}"),
            None => "csat IS NOT NULL".to_owned(),
        };
        counts.push((
            format!("SUM(CASE WHEN {in_scale} THEN csat ELSE 0 END)"),
            "CSAT total".to_owned(),
        ));
        counts.push((count_when(&in_scale), "CSAT responses".to_owned()));
        if reduction.csat_scale.is_some() {
            counts.push((
                count_when(&format!("csat IS NOT NULL AND NOT ({in_scale})")),
                "CSAT off scale".to_owned(),
            ));
        }
    }
    counts
}
