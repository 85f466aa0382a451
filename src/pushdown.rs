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

    /// The arrival as a wall-clock time in `zone`: converted from an instant, or taken as it
    /// is written (an export's local time).
    fn local_time(self, column: &str, zone: &str, arrived_is_utc: bool) -> String {
        let zone = zone.replace('\'', "");
        match (self, arrived_is_utc) {
            (SqlDialect::BigQuery, false) => format!("CAST({column} AS DATETIME)"),
            (_, false) => format!("CAST({column} AS TIMESTAMP)"),
            (SqlDialect::DuckDb, true) => {
                format!("timezone('{zone}', CAST({column} AS TIMESTAMPTZ))")
            }
            (SqlDialect::PostgreSql, true) => {
                format!("(CAST({column} AS TIMESTAMPTZ) AT TIME ZONE '{zone}')")
            }
            (SqlDialect::BigQuery, true) => {
                format!("DATETIME(CAST({column} AS TIMESTAMP), '{zone}')")
            }
            (SqlDialect::Spark, true) => {
                format!("from_utc_timestamp(CAST({column} AS TIMESTAMP), '{zone}')")
            }
            (SqlDialect::Trino, true) => format!(
                "CAST(CAST({column} AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE '{zone}' AS TIMESTAMP)"
            ),
        }
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

/// The contact table's columns, by field; only `arrived` is required.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WarehouseColumns {
    pub arrived: String,
    /// Seconds in the queue, a number.
    pub wait: Option<String>,
    /// Text read with slacalc's outcome words (`answered`, `abandoned`, `missed`…).
    pub outcome: Option<String>,
    /// Handle seconds of an answered contact, a number…
    pub handle: Option<String>,
    /// …or, without it, its parts in seconds, summed as the import sums them: an empty part
    /// counts as 0 when another has a value (exports leave "no hold" empty).
    #[serde(default)]
    pub talk: Option<String>,
    #[serde(default)]
    pub hold: Option<String>,
    #[serde(default)]
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
    pub fn from_quality(quality: &ImportQuality) -> Result<WarehouseColumns, SlaError> {
        let column = |field: MappedField| {
            quality
                .columns
                .iter()
                .find(|column| column.field == Some(field))
                .map(|column| column.name.clone())
        };
        let unsupported = [
            MappedField::ArrivedDate,
            MappedField::AnsweredFlag,
            MappedField::AbandonedFlag,
            MappedField::AnsweredAt,
            MappedField::AbandonedAt,
        ];
        if let Some(name) = unsupported.into_iter().find_map(column) {
            return Err(SlaError::PushDown {
                message: format!(
                    "column \"{name}\" is read in a way the SQL does not write yet: it reads one arrival timestamp, a wait in seconds, an outcome, a handle time (or talk, hold and wrap) in seconds, FCR, CSAT and the scope columns"
                ),
            });
        }
        Ok(WarehouseColumns {
            arrived: column(MappedField::Arrived).ok_or(SlaError::PushDown {
                message: "the data has no arrival timestamp column".to_owned(),
            })?,
            wait: column(MappedField::Wait),
            outcome: column(MappedField::Outcome),
            handle: column(MappedField::Handle),
            talk: column(MappedField::Talk),
            hold: column(MappedField::Hold),
            wrap: column(MappedField::Wrap),
            fcr: column(MappedField::Fcr),
            csat: column(MappedField::Csat),
            channel: column(MappedField::Channel),
            priority: column(MappedField::Priority),
            queue: column(MappedField::Queue),
        })
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
            WarehouseColumns::from_quality(quality)?
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
    let histogram_note = match reduction.histogram {
        Some((step, reach)) => format!(
            "\n-- For the percentile targets, answered contacts are counted within every {step} s up to\n-- {reach} s: a percentile is read to {step} s (exact for waits in whole multiples of it),\n-- judged exactly at its goal, and not known past {reach} s."
        ),
        None => String::new(),
    };
    let dialect = request.dialect;
    let columns = &columns;
    let source = |name: &str| dialect.quote(name);
    let text = |name: &str| {
        format!(
            "lower(trim(CAST({} AS {})))",
            source(name),
            dialect.text_type()
        )
    };
    let number = |name: &str| format!("CAST({} AS {})", source(name), dialect.number_type());
    let words = |list: &[&str]| {
        list.iter()
            .map(|word| format!("'{word}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let local = dialect.local_time(
        &source(&columns.arrived),
        &terms.zone.to_string(),
        request.arrived_is_utc,
    );
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
            source(column),
            dialect.text_type()
        ));
    }
    prepared.push(match &columns.outcome {
        Some(outcome) => format!(
            "CASE WHEN {0} IN ({1}) THEN 'A' WHEN {0} IN ({2}) THEN 'B' WHEN {0} = '' OR {0} IS NULL THEN NULL ELSE 'O' END AS outcome",
            text(outcome),
            words(&ANSWERED_WORDS),
            words(&ABANDONED_WORDS)
        ),
        None => format!("CAST(NULL AS {}) AS outcome", dialect.text_type()),
    });
    let optional_number = |column: &Option<String>, alias: &str| match column {
        Some(column) => format!("{} AS {alias}", number(column)),
        None => format!("CAST(NULL AS {}) AS {alias}", dialect.number_type()),
    };
    prepared.push(optional_number(&columns.wait, "wait"));
    let parts: Vec<&String> = [&columns.talk, &columns.hold, &columns.wrap]
        .into_iter()
        .flatten()
        .collect();
    prepared.push(match (&columns.handle, parts.is_empty()) {
        (None, false) => format!(
            "CASE WHEN {} THEN NULL ELSE {} END AS handle",
            parts
                .iter()
                .map(|part| format!("{} IS NULL", number(part)))
                .collect::<Vec<_>>()
                .join(" AND "),
            parts
                .iter()
                .map(|part| format!("COALESCE({}, 0)", number(part)))
                .collect::<Vec<_>>()
                .join(" + ")
        ),
        _ => optional_number(&columns.handle, "handle"),
    });
    prepared.push(optional_number(&columns.csat, "csat"));
    prepared.push(match &columns.fcr {
        Some(fcr) => format!(
            "CASE WHEN {0} IN ({1}) THEN 1 WHEN {0} IN ({2}) THEN 0 END AS fcr",
            text(fcr),
            words(&YES_WORDS),
            words(&NO_WORDS)
        ),
        None => "CAST(NULL AS INT) AS fcr".to_owned(),
    });

    let count_when = |condition: &str| format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)");
    let answered = "outcome = 'A' AND wait IS NOT NULL";
    let alias = |name: String| dialect.quote(&name);
    let mut selected = vec![
        format!(
            "{} AS {}",
            dialect.format_time("interval_start"),
            alias("Interval start".to_owned())
        ),
        format!(
            "{} AS {}",
            request.interval_minutes,
            alias("Interval minutes".to_owned())
        ),
    ];
    for (index, (name, _)) in scopes.iter().enumerate() {
        selected.push(format!("scope_{index} AS {}", alias((*name).to_owned())));
    }
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
    ];
    if columns.wait.is_some() && columns.outcome.is_some() {
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
    if columns.handle.is_some() || !parts.is_empty() {
        counts.push((
            format!("SUM(CASE WHEN {answered} AND handle IS NOT NULL THEN handle ELSE 0 END)"),
            "Total handle time".to_owned(),
        ));
        counts.push((
            count_when(&format!("{answered} AND handle IS NOT NULL")),
            "Answered with handle time".to_owned(),
        ));
    }
    if columns.fcr.is_some() {
        counts.push((count_when("fcr = 1"), "FCR resolved".to_owned()));
        counts.push((count_when("fcr IS NOT NULL"), "FCR known".to_owned()));
    }
    if columns.csat.is_some() {
        let in_scale = match reduction.csat_scale {
            Some([lowest, highest]) => format!("csat BETWEEN {lowest} AND {highest}"),
            None => "csat IS NOT NULL".to_owned(),
        };
        counts.push((
            format!("SUM(CASE WHEN {in_scale} THEN csat ELSE 0 END)"),
            "CSAT total".to_owned(),
        ));
        counts.push((count_when(&in_scale), "CSAT responses".to_owned()));
    }
    selected.extend(
        counts
            .into_iter()
            .map(|(expression, name)| format!("{expression} AS {}", alias(name))),
    );
    let group: Vec<String> = std::iter::once("interval_start".to_owned())
        .chain((0..scopes.len()).map(|index| format!("scope_{index}")))
        .collect();
    let indent = |lines: &[String]| lines.join(",\n    ");
    Ok(format!(
        "-- slacalc push-down for {dialect_name}: contacts → {minutes}-minute interval counts{name}.
-- Intervals are cut in {zone}{zone_note}. Save the result as CSV and open it in slacalc (the page,
-- or `slacalc report`): it reads as an interval report, and every metric it carries is computed
-- as from the contacts themselves. Contacts without an arrival are left out; answered contacts
-- without a wait are in no count (as slacalc leaves them out of its queue metrics).{histogram_note}
WITH prepared AS (
  SELECT
    {prepared}
  FROM {table}
  WHERE {arrived} IS NOT NULL
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
        arrived = source(&columns.arrived),
        selected = indent(&selected),
        group = group.join(", "),
    ))
}
