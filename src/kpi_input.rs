//! Reading a KPI history: the monthly (or weekly, or daily) summary a client's report gives,
//! values written the way reports write them — `78.2%`, `0.782`, `78,2 %`, `0:32`, `32 s`,
//! `4.2/5` — each column recognised by what its header says and every row used or skipped with
//! its reason (DOMAIN §8, §9).

use chrono::{Datelike, NaiveDate};

use crate::error::SlaError;
use crate::header_words::{threshold_in, words};
use crate::input::{
    CoercedCells, ImportOptions, ImportQuality, InputShape, RowProblem, SkipReason, SkipTally,
};
use crate::kpi::{KpiColumn, KpiHistory, KpiMeasure, KpiRow};
use crate::mapping::{field_named, normalize, MappedField};
use crate::model::{Labels, ScopeField};
use crate::period::{Period, PeriodKind};
use crate::table::{read_table, Table, TableRow};
use crate::values::{parse_count, parse_duration, parse_number, TimeFormat};

/// What one column of a KPI history holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Period,
    Scope(ScopeField),
    /// Contacts in the period: what combining periods or scopes weighs by.
    Volume,
    Measure(KpiMeasure),
}

/// What a column of a KPI history holds, from its header; `None` for a column not read.
fn classify(header: &str) -> Option<Role> {
    let words = words(header);
    let has = |word: &str| words.iter().any(|w| w == word);
    let any = |list: &[&str]| list.iter().any(|word| has(word));
    let share = header.contains('%') || any(&["rate", "percent", "pct", "ratio", "share"]);
    let threshold = service_level_threshold(header, &words);
    match field_named(header) {
        Some(MappedField::Channel) => return Some(Role::Scope(ScopeField::Channel)),
        Some(MappedField::Priority) => return Some(Role::Scope(ScopeField::Priority)),
        Some(MappedField::Queue) => return Some(Role::Scope(ScopeField::Queue)),
        _ => {}
    }
    match normalize(header).as_str() {
        "month" | "period" | "week" | "day" | "date" | "reportingperiod" | "reportmonth"
        | "monthyear" | "yearmonth" | "billingperiod" | "weekstarting" | "weekof"
        | "weekbeginning" | "monat" | "mois" | "mes" | "periode" | "zeitraum" => {
            return Some(Role::Period)
        }
        "split" | "skill" | "splitskill" | "queuegroup" => {
            return Some(Role::Scope(ScopeField::Queue))
        }
        _ => {}
    }
    if has("fcr") || (has("first") && any(&["contact", "call"]) && any(&["resolution", "resolved"]))
    {
        return Some(Role::Measure(KpiMeasure::Fcr));
    }
    if any(&["csat", "satisfaction", "csi"]) {
        return Some(Role::Measure(
            if share || any(&["top", "box", "satisfied"]) {
                KpiMeasure::CsatShare
            } else {
                KpiMeasure::CsatScore { scale_top: None }
            },
        ));
    }
    if any(&[
        "abandon",
        "abandoned",
        "abandonment",
        "aband",
        "abn",
        "abd",
        "abandons",
    ]) {
        // `Abandoned` alone is a count: no value to judge.
        return (share || has("abandonment")).then_some(Role::Measure(KpiMeasure::Abandonment));
    }
    if any(&["max", "maximum", "longest"]) && any(&["wait", "delay", "queue"]) {
        return Some(Role::Measure(KpiMeasure::MaxWait));
    }
    if has("asa")
        || (has("speed") && any(&["answer", "ans"]))
        || (any(&["avg", "average", "mean"]) && any(&["wait", "queue", "delay"]))
    {
        return Some(Role::Measure(KpiMeasure::Asa));
    }
    if has("aht") || (any(&["handle", "handling"]) && has("time")) {
        return Some(Role::Measure(KpiMeasure::Aht));
    }
    if any(&["availability", "uptime"]) {
        return Some(Role::Measure(KpiMeasure::Availability));
    }
    if has("response") {
        return Some(Role::Measure(KpiMeasure::ResponseWithin {
            threshold_secs: threshold,
        }));
    }
    if any(&["resolution", "resolved"]) {
        return Some(Role::Measure(KpiMeasure::ResolutionWithin {
            threshold_secs: threshold,
        }));
    }
    if any(&["sl", "sla", "gos"])
        || (has("service") && has("level"))
        || (any(&["answered", "ans"]) && share && threshold.is_some())
    {
        return Some(Role::Measure(KpiMeasure::ServiceLevel {
            threshold_secs: threshold,
        }));
    }
    let counted = any(&[
        "offered",
        "volume",
        "contacts",
        "calls",
        "tickets",
        "chats",
        "interactions",
        "received",
        "incoming",
        "inbound",
        "presented",
        "cases",
    ]);
    (counted && !share && !any(&["answered", "handled", "accepted", "resolved"]))
        .then_some(Role::Volume)
}

/// The service level's threshold in a header: `80/20` (the goal, then the seconds), or a time
/// such as `20s` or `(20 sec)`.
fn service_level_threshold(header: &str, words: &[String]) -> Option<f64> {
    let numbers: Vec<&str> = header
        .split(|c: char| !c.is_ascii_digit() && c != '/')
        .filter(|part| part.contains('/'))
        .collect();
    for pair in numbers {
        if let Some((_, seconds)) = pair.split_once('/') {
            if let Ok(seconds) = seconds.parse::<f64>() {
                return Some(seconds);
            }
        }
    }
    threshold_in(header, words).map(|(secs, _)| secs)
}

/// A period as a cell writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PeriodCell {
    Month { year: i32, month: u32 },
    Week { year: i32, week: u32 },
    Date(NaiveDate),
}

/// Month names and abbreviations in English, German, French and Spanish, by their first
/// letters; the month is the position plus one.
const MONTH_NAMES: [&[&str]; 12] = [
    &["jan", "ene"],
    &["feb", "fév", "fev"],
    &["mar", "mär", "maer"],
    &["apr", "avr", "abr"],
    &["may", "mai"],
    &["jun", "juin"],
    &["jul", "juil"],
    &["aug", "aoû", "aou", "ago"],
    &["sep"],
    &["oct", "okt"],
    &["nov"],
    &["dec", "dez", "déc", "dic"],
];

fn month_named(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    let word = word.trim_end_matches('.');
    if word.chars().count() < 3 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    // `juin` and `juil` share `jui`: the longest matching prefix decides.
    MONTH_NAMES
        .iter()
        .enumerate()
        .flat_map(|(index, names)| names.iter().map(move |name| (index, *name)))
        .filter(|(_, name)| word.starts_with(name))
        .max_by_key(|(_, name)| name.len())
        .map(|(index, _)| index as u32 + 1)
}

fn year_of(text: &str) -> Option<i32> {
    let text = text.trim_start_matches('\'');
    match text.len() {
        4 => text
            .parse()
            .ok()
            .filter(|year| (1900..=2200).contains(year)),
        2 => text.parse::<i32>().ok().map(|year| 2000 + year),
        _ => None,
    }
}

/// Reads a period: a month (`2026-03`, `03/2026`, `Mar 2026`, `März 2026`, `Mar-26`), an ISO
/// week (`2026-W10`, `W10 2026`), or a date (in the column's day/month order).
fn parse_period(cell: &str, format: &TimeFormat) -> Option<PeriodCell> {
    let cell = cell.trim();
    if let Some(date) = format.date(cell) {
        return Some(PeriodCell::Date(date));
    }
    let parts: Vec<&str> = cell
        .split([' ', '-', '/', '.', '_'])
        .filter(|part| !part.is_empty())
        .collect();
    let [first, second] = parts.as_slice() else {
        return None;
    };
    let week = |text: &str| {
        text.strip_prefix(['W', 'w'])
            .and_then(|number| number.parse::<u32>().ok())
            .filter(|week| (1..=53).contains(week))
    };
    let month_number = |text: &str| {
        (text.len() <= 2)
            .then(|| text.parse::<u32>().ok())
            .flatten()
            .filter(|month| (1..=12).contains(month))
    };
    let (year, rest) = match (year_of(first), year_of(second)) {
        (Some(year), _) if first.len() == 4 => (year, *second),
        (_, Some(year)) => (year, *first),
        _ => return None,
    };
    if let Some(week) = week(rest) {
        return Some(PeriodCell::Week { year, week });
    }
    let month = month_number(rest).or_else(|| month_named(rest))?;
    Some(PeriodCell::Month { year, month })
}

/// Whether a table is a KPI history: a period column whose cells are periods (no time of
/// day), at least one value column, no column only a contact has, and — for a period written
/// as a date, as a call log writes its days — one row per period and scope.
pub fn looks_like_kpi_history(header: &[String], rows: &[Vec<String>]) -> bool {
    let roles: Vec<Option<Role>> = header.iter().map(|name| classify(name)).collect();
    let Some(period) = roles.iter().position(|role| *role == Some(Role::Period)) else {
        return false;
    };
    if !roles
        .iter()
        .any(|role| matches!(role, Some(Role::Measure(_))))
    {
        return false;
    }
    // `Abandoned %` normalizes to a call log's abandoned flag: what this reader makes of a
    // header comes first.
    let per_contact = header.iter().zip(&roles).any(|(name, role)| {
        role.is_none()
            && matches!(
                field_named(name),
                Some(
                    MappedField::Wait
                        | MappedField::Outcome
                        | MappedField::AnsweredFlag
                        | MappedField::AbandonedFlag
                        | MappedField::AnsweredAt
                        | MappedField::AbandonedAt
                        | MappedField::ArrivedTime
                )
            )
    });
    if per_contact {
        return false;
    }
    let cells: Vec<&str> = rows
        .iter()
        .filter_map(|row| row.get(period).map(String::as_str))
        .filter(|cell| !cell.is_empty())
        .collect();
    let (format, _) = TimeFormat::detect(cells.iter().copied(), None);
    let periods: Vec<PeriodCell> = cells
        .iter()
        .filter_map(|cell| parse_period(cell, &format))
        .collect();
    // Most cells are periods; the odd unreadable one is skipped, with its line, when read.
    if periods.is_empty() || periods.len() * 2 < cells.len() {
        return false;
    }
    if periods
        .iter()
        .all(|cell| !matches!(cell, PeriodCell::Date(_)))
    {
        return true;
    }
    let scope: Vec<usize> = (0..roles.len())
        .filter(|&index| matches!(roles[index], Some(Role::Scope(_))))
        .collect();
    let mut keys: Vec<Vec<&str>> = rows
        .iter()
        .map(|row| {
            std::iter::once(period)
                .chain(scope.iter().copied())
                .map(|index| row.get(index).map_or("", String::as_str))
                .collect()
        })
        .collect();
    let total = keys.len();
    keys.sort();
    keys.dedup();
    keys.len() == total
}

/// Reads a KPI history from `bytes`; of `options`, the date order is used.
pub fn read_kpi_history(bytes: &[u8], options: &ImportOptions) -> Result<KpiHistory, SlaError> {
    let table = read_table(bytes)?;
    let plan = Plan::new(&table, options)?;
    let mut reading = Reading::new(&table);
    for row in &table.rows {
        match plan.row(row, &mut reading) {
            Ok(kpi) => reading.rows.push(kpi),
            Err(problem) => {
                reading
                    .skips
                    .skip(problem, row.line, row.cells.iter().map(String::as_str))
            }
        }
    }
    Ok(reading.finish(table, plan))
}

/// How a value column's numbers are written, decided once from all its cells.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Writing {
    /// Shares as percentages (`78.2`, `78.2 %`).
    Percent,
    /// Shares as fractions (`0.782`): no `%` anywhere and every value at most 1.
    Fraction,
    /// Times in seconds, or in the unit the header names (`AHT (min)`).
    Time {
        secs_per_unit: f64,
    },
    Score,
}

/// The columns found, by role.
struct Plan {
    roles: Vec<Option<Role>>,
    /// Per role column: the index of its measure in the history's columns and how it is written.
    measures: Vec<(usize, KpiMeasure, Writing)>,
    period: usize,
    period_kind: PeriodKind,
    format: TimeFormat,
    date_order_ambiguous: bool,
    notes: Vec<String>,
}

impl Plan {
    fn new(table: &Table, options: &ImportOptions) -> Result<Plan, SlaError> {
        let mut roles: Vec<Option<Role>> = table.header.iter().map(|name| classify(name)).collect();
        let period = roles
            .iter()
            .position(|role| *role == Some(Role::Period))
            .ok_or_else(|| SlaError::MissingColumn {
                field: "period (e.g. Month)",
                found: crate::input::describe_columns(&table.header),
            })?;
        let column = |index: usize| {
            table
                .rows
                .iter()
                .filter_map(move |row| row.cells.get(index))
        };
        let (format, date_order_ambiguous) =
            TimeFormat::detect(column(period).map(String::as_str), options.date_order);
        let cells: Vec<PeriodCell> = column(period)
            .filter_map(|cell| parse_period(cell, &format))
            .collect();
        let period_kind = period_kind(&cells, &table.header[period]);
        let mut notes = Vec::new();
        let mut measures = Vec::new();
        let mut unread_values = Vec::new();
        for (index, role) in roles.iter_mut().enumerate() {
            let Some(Role::Measure(measure)) = *role else {
                continue;
            };
            let values: Vec<&str> = column(index)
                .map(String::as_str)
                .filter(|cell| !cell.is_empty())
                .collect();
            let (measure, writing) = writing_of(measure, &table.header[index], &values);
            // A column none of whose cells reads as a value (`SLA met: yes`) is no KPI.
            if !values.is_empty()
                && values
                    .iter()
                    .all(|cell| read_value(cell, measure, writing).is_none())
            {
                *role = None;
                unread_values.push(format!("\"{}\"", table.header[index]));
                continue;
            }
            *role = Some(Role::Measure(measure));
            measures.push((index, measure, writing));
        }
        if measures.is_empty() {
            return Err(SlaError::MissingColumn {
                field: "KPI value (e.g. Service level, ASA, AHT, Abandoned %, FCR, CSAT)",
                found: crate::input::describe_columns(&table.header),
            });
        }
        let read_as: Vec<String> = table
            .header
            .iter()
            .zip(&roles)
            .enumerate()
            .filter_map(|(index, (name, role))| {
                let role = (*role)?;
                let what = match role {
                    Role::Period => format!("period ({})", period_kind.noun()),
                    Role::Scope(field) => field.name().to_owned(),
                    Role::Volume => "volume (contacts in the period)".to_owned(),
                    Role::Measure(measure) => {
                        let writing = measures
                            .iter()
                            .find(|(at, _, _)| *at == index)
                            .map(|(_, _, writing)| *writing);
                        match writing {
                            Some(Writing::Fraction) => {
                                format!("{}, written as fractions", measure.describe())
                            }
                            Some(Writing::Time {
                                secs_per_unit: 60.0,
                            }) => {
                                format!("{}, written in minutes", measure.describe())
                            }
                            _ => measure.describe(),
                        }
                    }
                };
                Some(format!("\"{name}\" → {what}"))
            })
            .collect();
        notes.push(format!("KPI history read as: {}", read_as.join("; ")));
        notes.push(
            "Values are used as the report gives them: slacalc has no counts to check their formulas against"
                .to_owned(),
        );
        if !roles.contains(&Some(Role::Volume)) {
            notes.push(
                "No volume column: rows of one period (scopes, or days of a month) cannot be combined, and a minimum volume cannot be checked"
                    .to_owned(),
            );
        }
        let unread: Vec<String> = table
            .header
            .iter()
            .zip(&roles)
            .filter(|(_, role)| role.is_none())
            .map(|(name, _)| format!("\"{name}\""))
            .filter(|name| !unread_values.contains(name))
            .collect();
        if !unread.is_empty() {
            notes.push(format!(
                "Not read (a count or a column of unknown meaning): {}",
                unread.join(", ")
            ));
        }
        if !unread_values.is_empty() {
            notes.push(format!(
                "Not read (no cell is a value such as 78.2 %, 0:32 or 4.2/5): {}",
                unread_values.join(", ")
            ));
        }
        Ok(Plan {
            roles,
            measures,
            period,
            period_kind,
            format,
            date_order_ambiguous,
            notes,
        })
    }

    /// One row as a period's values, or why it cannot be used.
    fn row(&self, row: &TableRow, reading: &mut Reading) -> Result<KpiRow, RowProblem> {
        row.check_width(self.roles.len())?;
        let period_cell = row.cells[self.period].as_str();
        if period_cell.is_empty() {
            return Err(RowProblem {
                reason: SkipReason::MissingValue,
                column: self.period,
            });
        }
        let period = parse_period(period_cell, &self.format)
            .and_then(|cell| as_period(cell, self.period_kind))
            .ok_or(RowProblem {
                reason: SkipReason::UnreadablePeriod,
                column: self.period,
            })?;
        let mut kpi = KpiRow {
            line: row.line,
            period,
            scope: [None; 3],
            volume: None,
            values: vec![None; self.measures.len()],
        };
        for (index, role) in self.roles.iter().enumerate() {
            let cell = row.cells[index].as_str();
            match role {
                Some(Role::Scope(field)) if !is_total(cell) => {
                    kpi.scope[field.index()] = Some(reading.labels[field.index()].intern(cell));
                }
                Some(Role::Volume) if !cell.is_empty() => {
                    kpi.volume = Some(parse_count(cell).ok_or(RowProblem {
                        reason: SkipReason::UnreadableCount,
                        column: index,
                    })?);
                }
                _ => {}
            }
        }
        for (position, &(index, measure, writing)) in self.measures.iter().enumerate() {
            let cell = row.cells[index].as_str();
            if cell.is_empty() || is_missing(cell) {
                continue;
            }
            let (value, coercion) = read_value(cell, measure, writing).ok_or(RowProblem {
                reason: SkipReason::UnreadableKpi,
                column: index,
            })?;
            if let Some(coercion) = coercion {
                reading.coerced(index, coercion);
            }
            kpi.values[position] = Some(value);
        }
        let key = (kpi.period, kpi.scope);
        if reading
            .rows
            .iter()
            .any(|seen| (seen.period, seen.scope) == key)
        {
            return Err(RowProblem {
                reason: SkipReason::RepeatedPeriod,
                column: self.period,
            });
        }
        Ok(kpi)
    }
}

/// Scope cells that name the total of a field rather than one of its values.
fn is_total(cell: &str) -> bool {
    matches!(
        cell.trim().to_lowercase().as_str(),
        "" | "all" | "total" | "overall" | "grand total" | "all channels" | "all queues"
    )
}

fn is_missing(cell: &str) -> bool {
    matches!(
        cell.trim().to_lowercase().as_str(),
        "-" | "–" | "n/a" | "na" | "null" | "none" | "?"
    )
}

/// The kind of period the cells write: months and weeks by their form; dates by the header
/// (`Week`, `Month`), else months when every date is a 1st, else days.
fn period_kind(cells: &[PeriodCell], header: &str) -> PeriodKind {
    let words = words(header);
    let said = |word: &str| words.iter().any(|w| w.starts_with(word));
    let months = cells
        .iter()
        .filter(|cell| matches!(cell, PeriodCell::Month { .. }))
        .count();
    let weeks = cells
        .iter()
        .filter(|cell| matches!(cell, PeriodCell::Week { .. }))
        .count();
    let dates: Vec<NaiveDate> = cells
        .iter()
        .filter_map(|cell| match cell {
            PeriodCell::Date(date) => Some(*date),
            _ => None,
        })
        .collect();
    if months >= weeks.max(dates.len()) && months > 0 {
        return PeriodKind::Month;
    }
    if weeks >= dates.len() && weeks > 0 {
        return PeriodKind::IsoWeek;
    }
    if said("week") {
        PeriodKind::IsoWeek
    } else if said("month")
        || said("monat")
        || said("mois")
        || (dates.len() > 1 && dates.iter().all(|date| date.day() == 1))
    {
        PeriodKind::Month
    } else {
        PeriodKind::Day
    }
}

/// The period of `kind` a cell names; `None` when the cell is of another kind (a week in a
/// monthly history).
fn as_period(cell: PeriodCell, kind: PeriodKind) -> Option<Period> {
    match (cell, kind) {
        (PeriodCell::Month { year, month }, PeriodKind::Month) => {
            Some(Period::Month { year, month })
        }
        (PeriodCell::Week { year, week }, PeriodKind::IsoWeek) => {
            NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)
                .map(|_| Period::IsoWeek { year, week })
        }
        (PeriodCell::Date(date), PeriodKind::Month) => Some(Period::Month {
            year: date.year(),
            month: date.month(),
        }),
        (PeriodCell::Date(date), PeriodKind::IsoWeek) => {
            let week = date.iso_week();
            Some(Period::IsoWeek {
                year: week.year(),
                week: week.week(),
            })
        }
        (PeriodCell::Date(date), PeriodKind::Day) => Some(Period::Day(date)),
        _ => None,
    }
}

/// How a column writes its values, and the measure refined by them: a CSAT column of `84 %`
/// is a share, one of `4.2/5` a score out of 5.
fn writing_of(measure: KpiMeasure, header: &str, values: &[&str]) -> (KpiMeasure, Writing) {
    let header_words = words(header);
    let percent_signs = values.iter().any(|cell| cell.contains('%'));
    let share_writing = || {
        let says_percent = header.contains('%')
            || header_words
                .iter()
                .any(|word| ["percent", "pct"].contains(&word.as_str()));
        let numbers: Vec<f64> = values
            .iter()
            .filter_map(|cell| decimal(cell).map(|(number, _)| number))
            .collect();
        if !says_percent
            && !percent_signs
            && !numbers.is_empty()
            && numbers.iter().all(|number| *number <= 1.0)
        {
            Writing::Fraction
        } else {
            Writing::Percent
        }
    };
    match measure {
        KpiMeasure::CsatScore { .. } if percent_signs => (KpiMeasure::CsatShare, share_writing()),
        KpiMeasure::CsatScore { .. } => {
            let top = values
                .iter()
                .filter_map(|cell| cell.split_once('/'))
                .filter_map(|(_, top)| decimal(top.trim()).map(|(top, _)| top))
                .fold(None, |largest: Option<f64>, top| {
                    Some(largest.map_or(top, |largest| largest.max(top)))
                });
            (KpiMeasure::CsatScore { scale_top: top }, Writing::Score)
        }
        KpiMeasure::Asa | KpiMeasure::Aht | KpiMeasure::MaxWait => {
            let in_unit = |units: &[&str]| {
                header_words
                    .iter()
                    .any(|word| units.contains(&word.as_str()))
            };
            let secs_per_unit = if in_unit(&["min", "mins", "minutes", "minute"]) {
                60.0
            } else if in_unit(&["hours", "hrs", "hour"]) {
                3600.0
            } else {
                1.0
            };
            (measure, Writing::Time { secs_per_unit })
        }
        _ => (measure, share_writing()),
    }
}

/// What was read by a guess, counted per column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coercion {
    DecimalComma,
    FractionAsPercent,
    ScoreOutOf,
}

impl Coercion {
    fn describe(self) -> &'static str {
        match self {
            Coercion::DecimalComma => "decimal comma read as a point (78,2 → 78.2)",
            Coercion::FractionAsPercent => "fraction read as a percentage (0.782 → 78.2 %)",
            Coercion::ScoreOutOf => "score with its scale read as the score (4.2/5 → 4.2)",
        }
    }
}

/// A decimal number, with a decimal comma read as a point (and said).
fn decimal(text: &str) -> Option<(f64, Option<Coercion>)> {
    let text = text.trim();
    if let Some(number) = parse_number(text) {
        return Some((number, None));
    }
    (text.matches(',').count() == 1 && !text.contains('.'))
        .then(|| parse_number(&text.replace(',', ".")))
        .flatten()
        .map(|number| (number, Some(Coercion::DecimalComma)))
}

/// A cell's value in the measure's unit, or `None` when it is not one.
fn read_value(
    cell: &str,
    measure: KpiMeasure,
    writing: Writing,
) -> Option<(f64, Option<Coercion>)> {
    let cell = cell.trim();
    let (value, coercion) = match writing {
        Writing::Percent | Writing::Fraction => {
            let (text, percent_sign) = match cell.strip_suffix('%') {
                Some(text) => (text.trim_end_matches([' ', '\u{a0}', '\u{202f}']), true),
                None => (cell, false),
            };
            let (number, coercion) = decimal(text)?;
            if writing == Writing::Fraction && !percent_sign {
                (number * 100.0, Some(Coercion::FractionAsPercent))
            } else {
                (number, coercion)
            }
        }
        Writing::Time { secs_per_unit } => (time_secs(cell, secs_per_unit)?, None),
        Writing::Score => match cell.split_once('/') {
            Some((score, _)) => (decimal(score)?.0, Some(Coercion::ScoreOutOf)),
            None => decimal(cell)?,
        },
    };
    let in_range = match measure.unit() {
        crate::target::Unit::Percent => (0.0..=100.0).contains(&value),
        _ => value >= 0.0 && value.is_finite(),
    };
    in_range.then_some((value, coercion))
}

/// Seconds from `32`, `32 s`, `1.5 min`, `0:32`, `00:00:32`, `PT32S`; a bare number is in the
/// header's unit.
fn time_secs(cell: &str, secs_per_unit: f64) -> Option<f64> {
    let lower = cell.to_lowercase();
    let unit_start = lower
        .find(|c: char| c.is_alphabetic())
        .filter(|_| !lower.starts_with("pt"));
    if let Some(start) = unit_start {
        let scale = match lower[start..].trim() {
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            _ => return None,
        };
        return decimal(&lower[..start]).map(|(number, _)| number * scale);
    }
    if cell.contains(':') || lower.starts_with("pt") {
        return parse_duration(cell).ok().map(|(secs, _)| secs);
    }
    decimal(cell).map(|(number, _)| number * secs_per_unit)
}

/// The rows being read.
struct Reading {
    rows: Vec<KpiRow>,
    skips: SkipTally,
    labels: [Labels; 3],
    /// Cells read by a guess: (column, kind, count).
    coercions: Vec<(usize, Coercion, u32)>,
}

impl Reading {
    fn new(table: &Table) -> Reading {
        Reading {
            rows: Vec::new(),
            skips: SkipTally::new(table.header.clone()),
            labels: Default::default(),
            coercions: Vec::new(),
        }
    }

    fn coerced(&mut self, column: usize, coercion: Coercion) {
        match self
            .coercions
            .iter_mut()
            .find(|(seen, kind, _)| *seen == column && *kind == coercion)
        {
            Some((_, _, count)) => *count += 1,
            None => self.coercions.push((column, coercion, 1)),
        }
    }

    fn finish(mut self, table: Table, plan: Plan) -> KpiHistory {
        let (skipped, skipped_rows) = self.skips.finish();
        let rows_skipped: u32 = skipped.iter().map(|group| group.count).sum();
        let rows_read = table.rows.len() as u32;
        let coerced = self
            .coercions
            .iter()
            .map(|&(column, coercion, count)| CoercedCells {
                column: table.header[column].clone(),
                count,
                what: coercion.describe().to_owned(),
            })
            .collect();
        self.rows.sort_by_key(|row| (row.period, row.scope));
        let columns = plan
            .measures
            .iter()
            .map(|&(index, measure, _)| KpiColumn {
                name: table.header[index].clone(),
                measure,
            })
            .collect();
        let volume_column = plan
            .roles
            .iter()
            .position(|role| *role == Some(Role::Volume))
            .map(|index| table.header[index].clone());
        let scope_columns =
            ScopeField::ALL.map(|field| plan.roles.contains(&Some(Role::Scope(field))));
        KpiHistory {
            rows: self.rows,
            columns,
            period_kind: plan.period_kind,
            volume_column,
            labels: self.labels,
            scope_columns,
            quality: ImportQuality {
                shape: InputShape::Kpis,
                rows_read,
                rows_used: rows_read - rows_skipped,
                rows_skipped,
                skipped,
                encoding: table.encoding,
                dialect: table.dialect,
                columns: Vec::new(),
                date_order: plan.format.order,
                date_order_ambiguous: plan.date_order_ambiguous,
                coerced,
                notes: plan.notes,
            },
            skipped_rows,
            column_names: table.header,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|cell| (*cell).to_owned()).collect()
    }

    #[test]
    fn headers_are_read_for_what_they_say() {
        let sl = |secs: Option<f64>| {
            Some(Role::Measure(KpiMeasure::ServiceLevel {
                threshold_secs: secs,
            }))
        };
        assert_eq!(classify("Month"), Some(Role::Period));
        assert_eq!(classify("Service level (20s)"), sl(Some(20.0)));
        assert_eq!(classify("SL 80/20"), sl(Some(20.0)));
        assert_eq!(classify("SL %"), sl(None));
        assert_eq!(classify("% answered within 30 sec"), sl(Some(30.0)));
        assert_eq!(classify("ASA"), Some(Role::Measure(KpiMeasure::Asa)));
        assert_eq!(
            classify("Avg wait time"),
            Some(Role::Measure(KpiMeasure::Asa))
        );
        assert_eq!(classify("AHT (min)"), Some(Role::Measure(KpiMeasure::Aht)));
        assert_eq!(
            classify("Abandoned %"),
            Some(Role::Measure(KpiMeasure::Abandonment))
        );
        assert_eq!(classify("Abandoned"), None);
        assert_eq!(classify("Calls offered"), Some(Role::Volume));
        assert_eq!(classify("Calls answered"), None);
        assert_eq!(classify("FCR"), Some(Role::Measure(KpiMeasure::Fcr)));
        assert_eq!(
            classify("CSAT"),
            Some(Role::Measure(KpiMeasure::CsatScore { scale_top: None }))
        );
        assert_eq!(classify("Channel"), Some(Role::Scope(ScopeField::Channel)));
    }

    #[test]
    fn a_monthly_summary_is_told_from_a_call_log() {
        let header = strings(&["Month", "Calls offered", "SL", "ASA"]);
        let rows = [strings(&["Jan 2026", "12,400", "78.2%", "0:32"])];
        assert!(looks_like_kpi_history(&header, &rows));
        let abandoned = strings(&["Month", "Abandoned %"]);
        assert!(looks_like_kpi_history(
            &abandoned,
            &[strings(&["2026-01", "6.1%"])]
        ));
        // A call log by date, with a wait per call: not a history.
        let log = strings(&["Date", "Wait", "AHT"]);
        let calls = [strings(&["2026-01-02", "12", "300"])];
        assert!(!looks_like_kpi_history(&log, &calls));
        // Dates repeated: many contacts a day, so not one row per period.
        let repeated = [
            strings(&["2026-01-02", "300"]),
            strings(&["2026-01-02", "280"]),
        ];
        assert!(!looks_like_kpi_history(
            &strings(&["Date", "AHT"]),
            &repeated
        ));
    }

    #[test]
    fn periods_are_read_in_the_forms_reports_write() {
        let format = TimeFormat::default();
        let month = |year, month| Some(PeriodCell::Month { year, month });
        assert_eq!(parse_period("2026-03", &format), month(2026, 3));
        assert_eq!(parse_period("03/2026", &format), month(2026, 3));
        assert_eq!(parse_period("Mar 2026", &format), month(2026, 3));
        assert_eq!(parse_period("March-26", &format), month(2026, 3));
        assert_eq!(parse_period("März 2026", &format), month(2026, 3));
        assert_eq!(parse_period("juil. 2026", &format), month(2026, 7));
        assert_eq!(
            parse_period("2026-W10", &format),
            Some(PeriodCell::Week {
                year: 2026,
                week: 10
            })
        );
        assert_eq!(parse_period("Marchish", &format), None);
        assert_eq!(parse_period("2026-13", &format), None);
    }

    #[test]
    fn values_are_read_as_reports_write_them() {
        let share = KpiMeasure::Fcr;
        let read = |cell, writing| read_value(cell, share, writing).map(|(value, _)| value);
        assert_eq!(read("78.2%", Writing::Percent), Some(78.2));
        assert_eq!(read("78,2 %", Writing::Percent), Some(78.2));
        assert_eq!(read("78.2", Writing::Percent), Some(78.2));
        assert!((read("0.782", Writing::Fraction).unwrap() - 78.2).abs() < 1e-9);
        assert_eq!(read("180", Writing::Percent), None);
        let time = Writing::Time { secs_per_unit: 1.0 };
        let secs = |cell| read_value(cell, KpiMeasure::Asa, time).map(|(value, _)| value);
        assert_eq!(secs("0:32"), Some(32.0));
        assert_eq!(secs("32 s"), Some(32.0));
        assert_eq!(secs("1.5 min"), Some(90.0));
        assert_eq!(secs("00:05:10"), Some(310.0));
        let minutes = Writing::Time {
            secs_per_unit: 60.0,
        };
        assert_eq!(
            read_value("5,2", KpiMeasure::Aht, minutes).map(|(value, _)| value),
            Some(312.0)
        );
        let score = KpiMeasure::CsatScore {
            scale_top: Some(5.0),
        };
        assert_eq!(
            read_value("4.2/5", score, Writing::Score).map(|(value, _)| value),
            Some(4.2)
        );
    }
}
