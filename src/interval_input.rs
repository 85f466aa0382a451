//! Reading an ACD's interval report (Avaya CMS, Genesys Cloud queue performance, Amazon Connect
//! historical metrics, NICE queue data): columns recognised by what their names say — counts,
//! counts within a threshold named in the header (`Answered within 20s`, `Contacts abandoned in
//! 60 seconds`), totals or averages of wait and handle — and every row used or skipped with its
//! reason, as contacts are (DOMAIN §8, §9).

use chrono::{NaiveDateTime, NaiveTime};

use crate::error::SlaError;
use crate::header_words::{threshold_in, words};
use crate::input::{
    CoercedCells, ImportOptions, ImportQuality, InputShape, RowProblem, SkipReason, SkipTally,
};
use crate::intervals::{Carries, IntervalReport, IntervalRow};
use crate::mapping::{field_named, MappedField};
use crate::model::{Labels, ScopeField};
use crate::table::{read_table, Table, TableRow};
use crate::values::{
    parse_count, parse_duration, parse_number, parse_time_of_day, TimeFormat, Timestamp,
};

/// A sum over the interval, or a mean over its contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Amount {
    Total,
    Average,
}

/// One service-level increment column: the contacts whose wait fell in it, not at or under
/// a threshold (DOMAIN §9: whole seconds, inclusive upper edges).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Increment {
    /// `0-5 s`, `6–10 s`: waits from `from` to `to` seconds.
    Range { from: f64, to: f64 },
    /// `ACDCALLS3`: the third of the increments whose edges the user supplies.
    Numbered(usize),
}

impl Increment {
    fn describe(self) -> String {
        match self {
            Increment::Range { from, to } => format!("{from}–{to} s"),
            Increment::Numbered(number) => format!("numbered increment {number}"),
        }
    }
}

/// What one column of an interval report holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Start,
    End,
    Date,
    LengthMinutes,
    Scope(ScopeField),
    Offered,
    Answered,
    Abandoned,
    AnsweredWithin(f64),
    AbandonedWithin(f64),
    AnsweredIn(Increment),
    AbandonedIn(Increment),
    ShortAbandons(f64),
    AnsweredWait(Amount),
    /// Handle time, or one of its parts (talk, hold, wrap), summed into handle.
    Handle(Amount),
    /// Answered contacts with a handle time, when not every answered contact has one.
    HandledCount,
    FcrResolved,
    FcrKnown,
    CsatTotal,
    CsatMean,
    CsatResponses,
    /// Counts of contacts read one by one that an ACD's report has none of, written by
    /// slacalc's push-down so that its report says what the contacts' own report says (see
    /// [`IntervalRow::answered_without_wait`]).
    Apart(CountedApart),
}

/// Contacts counted apart from the queue counts, or beside FCR and CSAT.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CountedApart {
    AnsweredWithoutWait,
    AbandonedWithoutWait,
    WithoutOutcome,
    FcrUnknown,
    CsatOffScale,
}

impl CountedApart {
    /// The count's header, as the push-down writes it.
    const fn header(self) -> &'static str {
        match self {
            CountedApart::AnsweredWithoutWait => "Answered without wait",
            CountedApart::AbandonedWithoutWait => "Abandoned without wait",
            CountedApart::WithoutOutcome => "Without outcome",
            CountedApart::FcrUnknown => "FCR unknown",
            CountedApart::CsatOffScale => "CSAT off scale",
        }
    }

    const ALL: [CountedApart; 5] = [
        CountedApart::AnsweredWithoutWait,
        CountedApart::AbandonedWithoutWait,
        CountedApart::WithoutOutcome,
        CountedApart::FcrUnknown,
        CountedApart::CsatOffScale,
    ];

    fn count(self, interval: &mut IntervalRow) -> &mut u32 {
        match self {
            CountedApart::AnsweredWithoutWait => &mut interval.answered_without_wait,
            CountedApart::AbandonedWithoutWait => &mut interval.abandoned_without_wait,
            CountedApart::WithoutOutcome => &mut interval.without_outcome,
            CountedApart::FcrUnknown => &mut interval.fcr_unknown,
            CountedApart::CsatOffScale => &mut interval.csat_off_scale,
        }
    }
}

impl Column {
    fn describe(self) -> String {
        let amount = |amount: Amount| match amount {
            Amount::Total => "total",
            Amount::Average => "mean × answered",
        };
        match self {
            Column::Start => "interval start".to_owned(),
            Column::End => "interval end (gives the length)".to_owned(),
            Column::Date => "date of the interval".to_owned(),
            Column::LengthMinutes => "interval length in minutes".to_owned(),
            Column::Scope(field) => field.name().to_owned(),
            Column::Offered => "offered".to_owned(),
            Column::Answered => "answered".to_owned(),
            Column::Abandoned => "abandoned".to_owned(),
            Column::AnsweredWithin(secs) => format!("answered within {secs} s"),
            Column::AbandonedWithin(secs) => format!("abandoned within {secs} s"),
            Column::AnsweredIn(increment) => format!("answered in {}", increment.describe()),
            Column::AbandonedIn(increment) => format!("abandoned in {}", increment.describe()),
            Column::ShortAbandons(secs) => format!("abandoned under {secs} s"),
            Column::AnsweredWait(kind) => format!("answered wait ({})", amount(kind)),
            Column::Handle(kind) => format!("handle time ({})", amount(kind)),
            Column::HandledCount => "answered with a handle time".to_owned(),
            Column::FcrResolved => "resolved on first contact".to_owned(),
            Column::FcrKnown => "contacts with FCR known".to_owned(),
            Column::CsatTotal => "survey score total".to_owned(),
            Column::CsatMean => "survey score mean (× responses)".to_owned(),
            Column::CsatResponses => "survey responses".to_owned(),
            Column::Apart(apart) => apart.header().to_lowercase(),
        }
    }
}

/// What a column of an interval report holds, from its header; `None` for a column not read.
fn classify(header: &str) -> Option<Column> {
    let words = words(header);
    let has = |word: &str| words.iter().any(|w| w == word);
    let any = |list: &[&str]| list.iter().any(|word| has(word));
    // `acdcalls`, `abncalls`: Avaya CMS's database names.
    let answered = any(&[
        "answered", "answer", "ans", "handled", "acd", "accepted", "acdcalls",
    ]);
    let abandoned = any(&[
        "abandoned",
        "abandon",
        "aband",
        "abandons",
        "abn",
        "abncalls",
    ]);
    let average = any(&["avg", "average", "mean", "asa", "aht"]);
    let amount = if average {
        Amount::Average
    } else {
        Amount::Total
    };
    if let Some(field) = field_named(header) {
        match field {
            MappedField::Channel => return Some(Column::Scope(ScopeField::Channel)),
            MappedField::Priority => return Some(Column::Scope(ScopeField::Priority)),
            MappedField::Queue => return Some(Column::Scope(ScopeField::Queue)),
            _ => {}
        }
    }
    let name = crate::mapping::normalize(header);
    if let Some(apart) = CountedApart::ALL
        .into_iter()
        .find(|apart| crate::mapping::normalize(apart.header()) == name)
    {
        return Some(Column::Apart(apart));
    }
    match name.as_str() {
        "interval" | "intervalstart" | "start" | "starttime" | "periodstart" | "datetime"
        | "timestamp" | "startinterval" | "intervalbegin" | "time" | "halfhour" => {
            return Some(Column::Start)
        }
        "intervalend" | "end" | "endtime" | "endinterval" | "periodend" => {
            return Some(Column::End)
        }
        "date" | "day" | "intervaldate" | "rowdate" => return Some(Column::Date),
        "length" | "intervallength" | "intervalminutes" | "minutes" | "lengthminutes"
        | "intrvl" => return Some(Column::LengthMinutes),
        // Avaya CMS's database names for the total answer (queue) time and talk/after-call work.
        "anstime" => return Some(Column::AnsweredWait(Amount::Total)),
        "acdtime" | "acwtime" | "holdacdtime" => return Some(Column::Handle(Amount::Total)),
        "split" | "splitskill" | "queuegroup" => return Some(Column::Scope(ScopeField::Queue)),
        _ => {}
    }
    // `Answered 31+ s`, `Abandoned > 60s`, `Answered after 20s`: waits over a threshold, the
    // rest of the increments, never a count within it.
    let over = any(&["over", "above", "after", "more", "longer", "exceeding"])
        || header.contains('+')
        || (header.contains('>') && !header.contains(">="));
    if over {
        return None;
    }
    if let Some(increment) = increment_in(&words) {
        return match (answered, abandoned) {
            (true, false) => Some(Column::AnsweredIn(increment)),
            (false, true) => Some(Column::AbandonedIn(increment)),
            _ => None,
        };
    }
    if let Some((secs, strict)) = threshold_in(header, &words) {
        return match (answered, abandoned, strict || has("short")) {
            (_, true, true) => Some(Column::ShortAbandons(secs)),
            (_, true, false) => Some(Column::AbandonedWithin(secs)),
            (true, false, false) => Some(Column::AnsweredWithin(secs)),
            _ => None,
        };
    }
    if has("short") && abandoned {
        // Short abandons without their threshold cannot be matched to the terms' S.
        return None;
    }
    if has("asa")
        || (has("speed") && answered)
        || (has("wait") && !abandoned)
        || (has("answer") && has("time"))
        || (has("queue") && has("time") && !abandoned)
    {
        return Some(Column::AnsweredWait(amount));
    }
    // slacalc's push-down writes it: AHT divides by it, not by all answered.
    if answered && has("with") && has("handle") && has("time") {
        return Some(Column::HandledCount);
    }
    // Avaya's "ACD time" is talk time: time, not a count of ACD calls.
    if has("aht")
        || has("handle")
        || any(&["talk", "hold", "acw", "wrap", "wrapup"])
        || (has("acd") && has("time"))
    {
        return Some(Column::Handle(amount));
    }
    if has("after") && has("work") {
        return Some(Column::Handle(amount));
    }
    let fcr = has("fcr") || (has("first") && any(&["contact", "call"]) && has("resolution"));
    if fcr {
        return if any(&["known", "responses", "surveyed", "asked", "measured"]) {
            Some(Column::FcrKnown)
        } else if any(&["rate", "percent", "pct"]) || header.contains('%') {
            None
        } else {
            Some(Column::FcrResolved)
        };
    }
    if has("csat") || has("satisfaction") || (has("survey") && any(&["score", "responses"])) {
        return if any(&["responses", "surveys", "count", "answers"]) {
            Some(Column::CsatResponses)
        } else if any(&["total", "sum"]) {
            Some(Column::CsatTotal)
        } else if any(&["rate", "percent", "pct"]) || header.contains('%') {
            None
        } else {
            Some(Column::CsatMean)
        };
    }
    if any(&[
        "offered",
        "offer",
        "queued",
        "presented",
        "incoming",
        "inbound",
        "entered",
    ]) {
        return Some(Column::Offered);
    }
    if abandoned && !any(&["rate", "percent", "pct"]) && !header.contains('%') {
        return Some(Column::Abandoned);
    }
    if answered && !any(&["rate", "percent", "pct"]) && !header.contains('%') {
        return Some(Column::Answered);
    }
    None
}

/// The increment a header names: a range of seconds (`0-5 s`, `6–10 sec`, `1-2 min`), or a
/// number after CMS's `ACDCALLS`/`ABNCALLS` or after `increment` (`ACDCALLS3`, `Answered inc 3`).
fn increment_in(words: &[String]) -> Option<Increment> {
    let number = |word: &String| word.parse::<f64>().ok().filter(|n| n.is_finite());
    let numbered = words.windows(2).find_map(|pair| {
        let marker =
            ["acdcalls", "abncalls", "increment", "inc", "incr"].contains(&pair[0].as_str());
        let position = number(&pair[1])?;
        (marker && position.fract() == 0.0 && (1.0..=10.0).contains(&position))
            .then_some(Increment::Numbered(position as usize))
    });
    if numbered.is_some() {
        return numbered;
    }
    let at = words
        .windows(2)
        .position(|pair| number(&pair[0]).is_some() && number(&pair[1]).is_some())?;
    let (from, to) = (number(&words[at])?, number(&words[at + 1])?);
    let scale = match words.get(at + 2).map(String::as_str) {
        None | Some("s" | "sec" | "secs" | "second" | "seconds") => 1.0,
        Some("m" | "min" | "mins" | "minute" | "minutes") => 60.0,
        _ => return None,
    };
    (from < to).then_some(Increment::Range {
        from: from * scale,
        to: to * scale,
    })
}

/// Whether a table is an interval report: a start column and counts of contacts, and no outcome
/// column. `Answered` names a count in an interval report and a yes/no in a call log, so when
/// the counts are only answered and abandoned, the first `rows` decide: some count above 1.
/// Offered, or counts within a threshold, are an interval report's alone.
pub fn looks_like_interval_report(header: &[String], rows: &[Vec<String>]) -> bool {
    let columns: Vec<Option<Column>> = header.iter().map(|name| classify(name)).collect();
    let has = |wanted: fn(&Column) -> bool| columns.iter().flatten().any(wanted);
    let outcome = header
        .iter()
        .any(|name| field_named(name) == Some(MappedField::Outcome));
    if outcome || !has(|column| matches!(column, Column::Start | Column::Date)) {
        return false;
    }
    if has(|column| {
        matches!(
            column,
            Column::Offered
                | Column::AnsweredWithin(_)
                | Column::AbandonedWithin(_)
                | Column::AnsweredIn(_)
                | Column::AbandonedIn(_)
                | Column::ShortAbandons(_)
        )
    }) {
        return true;
    }
    let counts: Vec<usize> = (0..columns.len())
        .filter(|&index| matches!(columns[index], Some(Column::Answered | Column::Abandoned)))
        .collect();
    !counts.is_empty()
        && rows.iter().any(|row| {
            counts.iter().any(|&index| {
                row.get(index)
                    .and_then(|cell| parse_count(cell))
                    .is_some_and(|count| count > 1)
            })
        })
        && rows.iter().all(|row| {
            counts.iter().all(|&index| {
                row.get(index)
                    .is_none_or(|cell| cell.is_empty() || parse_count(cell).is_some())
            })
        })
}

/// Whether the header counts contacts the way only an interval report does: counts within a
/// threshold, or two of offered, answered and abandoned.
pub fn counts_contacts(header: &[String]) -> bool {
    let columns: Vec<Column> = header.iter().filter_map(|name| classify(name)).collect();
    let within = columns.iter().any(|column| {
        matches!(
            column,
            Column::AnsweredWithin(_)
                | Column::AbandonedWithin(_)
                | Column::AnsweredIn(_)
                | Column::AbandonedIn(_)
                | Column::ShortAbandons(_)
        )
    });
    let counts = [Column::Offered, Column::Answered, Column::Abandoned]
        .iter()
        .filter(|count| columns.contains(count))
        .count();
    within || counts >= 2
}

/// Reads an interval report from `bytes`; of `options`, the date order and interval length
/// are used.
pub fn read_interval_report(
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<IntervalReport, SlaError> {
    let table = read_table(bytes)?;
    let plan = Plan::new(&table, options)?;
    let mut reading = Reading::new(&table.header);
    for row in &table.rows {
        match plan.row(row, &mut reading) {
            Ok(interval) => reading.rows.push(interval),
            Err(problem) => {
                reading
                    .skips
                    .skip(problem, row.line, row.cells.iter().map(String::as_str))
            }
        }
    }
    reading.finish(table, plan, options)
}

/// The columns found, by role.
struct Plan {
    columns: Vec<Option<Column>>,
    start: usize,
    date: Option<usize>,
    time_format: TimeFormat,
    date_order_ambiguous: bool,
    carries: Carries,
    /// Increment columns in wait order, contiguous from 0 s, each with its upper edge: the
    /// count within an edge is the sum of the columns up to it.
    answered_increments: Vec<(f64, usize)>,
    abandoned_increments: Vec<(f64, usize)>,
    notes: Vec<String>,
}

impl Plan {
    fn new(table: &Table, options: &ImportOptions) -> Result<Plan, SlaError> {
        let columns: Vec<Option<Column>> = table.header.iter().map(|name| classify(name)).collect();
        let find = |wanted: fn(&Column) -> bool| {
            columns
                .iter()
                .position(|column| column.as_ref().is_some_and(wanted))
        };
        let (start, date) = match (
            find(|column| *column == Column::Start),
            find(|column| *column == Column::Date),
        ) {
            (Some(start), date) => (start, date),
            // A daily report: each date is its own interval.
            (None, Some(date)) => (date, None),
            (None, None) => {
                return Err(SlaError::MissingColumn {
                    field: "interval start",
                    found: crate::input::describe_columns(&table.header),
                })
            }
        };
        let sample = table
            .rows
            .iter()
            .take(200)
            .filter_map(|row| row.cells.get(date.unwrap_or(start)).map(String::as_str));
        let (time_format, date_order_ambiguous) = TimeFormat::detect(sample, options.date_order);
        let has = |wanted: fn(&Column) -> bool| find(wanted).is_some();
        let edges = |pick: fn(&Column) -> Option<f64>| {
            let mut edges: Vec<f64> = columns.iter().flatten().filter_map(pick).collect();
            edges.sort_by(f64::total_cmp);
            edges.dedup();
            edges
        };
        let counts = [
            has(|column| *column == Column::Answered),
            has(|column| *column == Column::Abandoned),
            has(|column| *column == Column::Offered),
        ];
        let mut notes = Vec::new();
        match counts {
            [true, false, true] => notes.push(
                "abandoned = offered − answered: the report has no abandoned column".to_owned(),
            ),
            [false, true, true] => notes.push(
                "answered = offered − abandoned: the report has no answered column".to_owned(),
            ),
            _ => {}
        }
        let supplied = &options.increment_edges;
        let increments_of = |pick: fn(&Column) -> Option<Increment>| -> Vec<(Increment, usize)> {
            columns
                .iter()
                .enumerate()
                .filter_map(|(index, column)| Some((pick(column.as_ref()?)?, index)))
                .collect()
        };
        let answered_increments = in_wait_order(
            increments_of(|column| match column {
                Column::AnsweredIn(increment) => Some(*increment),
                _ => None,
            }),
            supplied,
            "answered",
            "ACDCALLS",
            &mut notes,
        )?;
        let abandoned_increments = in_wait_order(
            increments_of(|column| match column {
                Column::AbandonedIn(increment) => Some(*increment),
                _ => None,
            }),
            supplied,
            "abandoned",
            "ABNCALLS",
            &mut notes,
        )?;
        let numbered = has(|column| {
            matches!(
                column,
                Column::AnsweredIn(Increment::Numbered(_))
                    | Column::AbandonedIn(Increment::Numbered(_))
            )
        });
        if !supplied.is_empty() && !numbered {
            notes.push(
                "Increment edges were given, but the report has no numbered increment columns (ACDCALLS1…10): they are not used"
                    .to_owned(),
            );
        }
        let with_increments = |mut edges: Vec<f64>, increments: &[(f64, usize)]| {
            edges.extend(increments.iter().map(|(edge, _)| *edge));
            edges.sort_by(f64::total_cmp);
            edges.dedup();
            edges
        };
        let carries = Carries {
            queue: counts.iter().filter(|&&present| present).count() >= 2,
            answer_edges: with_increments(
                edges(|column| match column {
                    Column::AnsweredWithin(secs) => Some(*secs),
                    _ => None,
                }),
                &answered_increments,
            ),
            abandon_edges: with_increments(
                edges(|column| match column {
                    Column::AbandonedWithin(secs) => Some(*secs),
                    _ => None,
                }),
                &abandoned_increments,
            ),
            increments_without_edges: numbered && supplied.is_empty(),
            short_abandon_secs: edges(|column| match column {
                Column::ShortAbandons(secs) => Some(*secs),
                _ => None,
            })
            .first()
            .copied(),
            wait: has(|column| matches!(column, Column::AnsweredWait(_))),
            handle: has(|column| matches!(column, Column::Handle(_))),
            fcr: has(|column| *column == Column::FcrResolved)
                && has(|column| *column == Column::FcrKnown),
            csat: has(|column| *column == Column::CsatResponses)
                && has(|column| matches!(column, Column::CsatTotal | Column::CsatMean)),
        };
        let read_as: Vec<String> = table
            .header
            .iter()
            .zip(&columns)
            .filter_map(|(name, column)| {
                column.map(|column| format!("\"{name}\" → {}", column.describe()))
            })
            .collect();
        notes.insert(
            0,
            format!("Interval report read as: {}", read_as.join("; ")),
        );
        let unread: Vec<String> = table
            .header
            .iter()
            .zip(&columns)
            .filter(|(_, column)| column.is_none())
            .map(|(name, _)| format!("\"{name}\""))
            .collect();
        if !unread.is_empty() {
            notes.push(format!(
                "Not read (no metric is computed from a rate or a column of unknown meaning): {}",
                unread.join(", ")
            ));
        }
        Ok(Plan {
            columns,
            start,
            date,
            time_format,
            date_order_ambiguous,
            carries,
            answered_increments,
            abandoned_increments,
            notes,
        })
    }

    /// One row as an interval, or why it cannot be used.
    fn row(&self, row: &TableRow, reading: &mut Reading) -> Result<IntervalRow, RowProblem> {
        row.check_width(self.columns.len())?;
        let (start, range_minutes) = self.start(row)?;
        let mut interval = IntervalRow::starting(start);
        let mut counts: [Option<u32>; 3] = [None; 3];
        let mut wait = (0.0, 0.0);
        let mut handle: Vec<(Amount, f64)> = Vec::new();
        let mut handled = None;
        let (mut csat_mean, mut csat_total) = (None, None);
        for (index, column) in self.columns.iter().enumerate() {
            let Some(column) = *column else { continue };
            let cell = row.cells[index].as_str();
            let count = |reading: &mut Reading| reading.count(cell, index);
            let duration = |reading: &mut Reading| reading.duration(cell, index);
            match column {
                Column::Start | Column::Date => {}
                Column::End => {
                    if let Some(minutes) = self
                        .time_format
                        .timestamp(cell)
                        .and_then(|end| minutes_from(start, end))
                    {
                        reading.lengths.push(minutes);
                    }
                }
                Column::LengthMinutes => {
                    let minutes = count(reading)?;
                    reading.lengths.push(minutes);
                }
                Column::Scope(field) => {
                    if !cell.is_empty() {
                        interval.scope[field.index()] =
                            Some(reading.labels[field.index()].intern(cell));
                    }
                }
                Column::Answered => counts[0] = Some(count(reading)?),
                Column::Abandoned => counts[1] = Some(count(reading)?),
                Column::Offered => counts[2] = Some(count(reading)?),
                Column::AnsweredWithin(secs) => {
                    interval.answered_within.push((secs, count(reading)?))
                }
                Column::AbandonedWithin(secs) => {
                    interval.abandoned_within.push((secs, count(reading)?))
                }
                // Summed in wait order below, once every cell of the row is read.
                Column::AnsweredIn(_) | Column::AbandonedIn(_) => {}
                Column::ShortAbandons(secs) => {
                    if Some(secs) == self.carries.short_abandon_secs {
                        interval.short_abandons = Some((secs, count(reading)?));
                    }
                }
                Column::AnsweredWait(Amount::Total) => wait.0 += duration(reading)?,
                Column::AnsweredWait(Amount::Average) => wait.1 += duration(reading)?,
                Column::Handle(amount) => handle.push((amount, duration(reading)?)),
                Column::HandledCount => handled = Some(count(reading)?),
                Column::FcrResolved => interval.fcr_resolved = count(reading)?,
                Column::FcrKnown => interval.fcr_known = count(reading)?,
                Column::CsatResponses => interval.csat_responses = count(reading)?,
                Column::CsatTotal => csat_total = Some(reading.number(cell, index)?),
                Column::CsatMean => csat_mean = Some(reading.number(cell, index)?),
                Column::Apart(apart) => *apart.count(&mut interval) = count(reading)?,
            }
        }
        if let Some(minutes) = range_minutes {
            reading.lengths.push(minutes);
        }
        for (increments, within) in [
            (&self.answered_increments, &mut interval.answered_within),
            (&self.abandoned_increments, &mut interval.abandoned_within),
        ] {
            let mut total = 0u32;
            for &(edge, index) in increments {
                total = total.saturating_add(reading.count(&row.cells[index], index)?);
                // A column naming the same threshold is the report's own sum: it stands.
                if !within.iter().any(|(named, _)| *named == edge) {
                    within.push((edge, total));
                }
            }
        }
        let inconsistent = |column: Column| RowProblem {
            reason: SkipReason::InconsistentCounts,
            column: self.column_of(column),
        };
        let [answered, abandoned, offered] = counts;
        (interval.answered, interval.abandoned, interval.other) =
            match (answered, abandoned, offered) {
                (Some(answered), Some(abandoned), Some(offered)) => (
                    answered,
                    abandoned,
                    offered
                        .checked_sub(answered + abandoned)
                        .ok_or(inconsistent(Column::Offered))?,
                ),
                (Some(answered), Some(abandoned), None) => (answered, abandoned, 0),
                (Some(answered), None, Some(offered)) => (
                    answered,
                    offered
                        .checked_sub(answered)
                        .ok_or(inconsistent(Column::Offered))?,
                    0,
                ),
                (None, Some(abandoned), Some(offered)) => (
                    offered
                        .checked_sub(abandoned)
                        .ok_or(inconsistent(Column::Offered))?,
                    abandoned,
                    0,
                ),
                (answered, abandoned, _) => (answered.unwrap_or(0), abandoned.unwrap_or(0), 0),
            };
        interval.answered_within.sort_by(|a, b| a.0.total_cmp(&b.0));
        interval
            .abandoned_within
            .sort_by(|a, b| a.0.total_cmp(&b.0));
        for (within, all, answered) in [
            (&interval.answered_within, interval.answered, true),
            (&interval.abandoned_within, interval.abandoned, false),
        ] {
            let mut previous = 0;
            for &(secs, count) in within.iter() {
                if count > all || count < previous {
                    return Err(RowProblem {
                        reason: SkipReason::InconsistentCounts,
                        column: self.within_column(answered, secs),
                    });
                }
                previous = count;
            }
        }
        if let Some((secs, short)) = interval.short_abandons {
            if short > interval.abandoned {
                return Err(inconsistent(Column::ShortAbandons(secs)));
            }
        }
        if interval.abandoned_without_wait > interval.abandoned {
            return Err(inconsistent(Column::Apart(
                CountedApart::AbandonedWithoutWait,
            )));
        }
        let answered = f64::from(interval.answered);
        interval.answered_wait_secs = wait.0 + wait.1 * answered;
        if !handle.is_empty() {
            // An answered contact without a wait has its handle time counted all the same.
            let answered = interval.answered + interval.answered_without_wait;
            let handled = handled.unwrap_or(answered);
            if handled > answered {
                return Err(inconsistent(Column::HandledCount));
            }
            interval.handle_secs = handle
                .iter()
                .map(|&(amount, secs)| match amount {
                    Amount::Total => secs,
                    Amount::Average => secs * f64::from(handled),
                })
                .sum();
            interval.handled = handled;
            interval.without_handle = answered - handled;
        }
        interval.csat_total = csat_total
            .or(csat_mean.map(|mean| mean * f64::from(interval.csat_responses)))
            .unwrap_or(0.0);
        if interval.fcr_resolved > interval.fcr_known {
            return Err(inconsistent(Column::FcrResolved));
        }
        Ok(interval)
    }

    /// The column a count within `secs` came from: its own, or the increment ending there.
    fn within_column(&self, answered: bool, secs: f64) -> usize {
        let (named, increments) = if answered {
            (Column::AnsweredWithin(secs), &self.answered_increments)
        } else {
            (Column::AbandonedWithin(secs), &self.abandoned_increments)
        };
        match increments.iter().find(|(edge, _)| *edge == secs) {
            Some(&(_, index)) if !self.columns.contains(&Some(named)) => index,
            _ => self.column_of(named),
        }
    }

    fn column_of(&self, wanted: Column) -> usize {
        self.columns
            .iter()
            .position(|column| *column == Some(wanted))
            .unwrap_or(0)
    }

    /// The row's start, and its length when the start cell is a range (`08:00-08:30`).
    fn start(&self, row: &TableRow) -> Result<(Timestamp, Option<u32>), RowProblem> {
        let unreadable = RowProblem {
            reason: SkipReason::UnreadableTimestamp,
            column: self.start,
        };
        let cell = row.cells[self.start].as_str();
        if cell.is_empty() {
            return Err(RowProblem {
                reason: SkipReason::MissingValue,
                column: self.start,
            });
        }
        let Some(date_column) = self.date else {
            let start = self.time_format.timestamp(cell).ok_or(unreadable)?;
            return Ok((start, None));
        };
        let date = self
            .time_format
            .date(&row.cells[date_column])
            .ok_or(RowProblem {
                reason: SkipReason::UnreadableTimestamp,
                column: date_column,
            })?;
        let (from, to) = match cell.split_once(['-', '–']) {
            Some((from, to)) => (from, Some(to)),
            None => (cell, None),
        };
        let Some(from) = parse_time_of_day(from) else {
            // The start column has the date too: the date column only repeats it.
            let start = self.time_format.timestamp(cell).ok_or(unreadable)?;
            return Ok((start, None));
        };
        let minutes = to
            .and_then(parse_time_of_day)
            .map(|to| minutes_between(from, to));
        Ok((
            Timestamp::WallClock(NaiveDateTime::new(date, from)),
            minutes,
        ))
    }
}

/// One outcome's increment columns in wait order with their upper edges — numbered ones
/// (`cms_name` 1…10 in Avaya's export) from the `supplied` edges — when they run from 0 s without a gap; otherwise none, and a note says
/// why. The open-ended last increment (`ACDCALLS10`, or past the last edge) is not needed.
fn in_wait_order(
    increments: Vec<(Increment, usize)>,
    supplied: &[f64],
    outcome: &str,
    cms_name: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<(f64, usize)>, SlaError> {
    if increments.is_empty() {
        return Ok(Vec::new());
    }
    let increasing = supplied
        .iter()
        .zip(supplied.iter().skip(1))
        .all(|(lower, upper)| lower < upper);
    if !increasing
        || supplied
            .iter()
            .any(|edge| !edge.is_finite() || *edge <= 0.0)
    {
        return Err(SlaError::InvalidOption {
            option: "increment edges",
            message: "seconds above 0, each larger than the one before (e.g. 5, 10, 20, 30, 60)"
                .to_owned(),
        });
    }
    let mut ranges: Vec<(f64, f64, usize)> = Vec::new();
    for (increment, index) in increments {
        match increment {
            Increment::Range { from, to } => ranges.push((from, to, index)),
            Increment::Numbered(number) if number <= supplied.len() => {
                let from = if number == 1 {
                    0.0
                } else {
                    supplied[number - 2]
                };
                ranges.push((from, supplied[number - 1], index));
            }
            Increment::Numbered(_) if supplied.is_empty() => {
                notes.push(format!(
                    "The {outcome} increments are numbered ({}1…10): give their edges in seconds (the split's service-level increments, e.g. 5, 10, 20, 30, 60) to count {outcome} within a threshold",
                    cms_name
                ));
                return Ok(Vec::new());
            }
            Increment::Numbered(_) => {}
        }
    }
    ranges.sort_by(|a, b| a.1.total_cmp(&b.1));
    // Whole seconds with inclusive upper edges: `6-10` follows `0-5`; `5-10` is read so too.
    let mut reached = 0.0;
    for &(from, to, _) in &ranges {
        let follows = if reached == 0.0 {
            from == 0.0
        } else {
            from == reached || from == reached + 1.0
        };
        if !follows {
            notes.push(format!(
                "The {outcome} increments leave a gap before {from} s: no count within a threshold is taken from them"
            ));
            return Ok(Vec::new());
        }
        reached = to;
    }
    Ok(ranges
        .into_iter()
        .map(|(_, to, index)| (to, index))
        .collect())
}

/// Whole minutes from one start to an end written the same way; `None` unless positive.
fn minutes_from(start: Timestamp, end: Timestamp) -> Option<u32> {
    let minutes = match (start, end) {
        (Timestamp::Exact(start), Timestamp::Exact(end)) => (end - start).num_minutes(),
        (Timestamp::WallClock(start), Timestamp::WallClock(end)) => (end - start).num_minutes(),
        _ => return None,
    };
    u32::try_from(minutes).ok().filter(|&minutes| minutes > 0)
}

/// Minutes from `from` to `to` on a clock, across midnight when `to` is earlier.
fn minutes_between(from: NaiveTime, to: NaiveTime) -> u32 {
    let minutes = (to - from).num_minutes();
    (if minutes <= 0 {
        minutes + 24 * 60
    } else {
        minutes
    }) as u32
}

/// The rows being read.
struct Reading {
    rows: Vec<IntervalRow>,
    skips: SkipTally,
    labels: [Labels; 3],
    /// Lengths the rows state (a length column or a start range), in minutes.
    lengths: Vec<u32>,
    /// Empty count cells read as 0, per column.
    empty_counts: Vec<(usize, u32)>,
}

impl Reading {
    fn new(header: &[String]) -> Reading {
        Reading {
            rows: Vec::new(),
            skips: SkipTally::new(header.to_vec()),
            labels: Default::default(),
            lengths: Vec::new(),
            empty_counts: Vec::new(),
        }
    }

    fn count(&mut self, cell: &str, column: usize) -> Result<u32, RowProblem> {
        if cell.is_empty() {
            // ACD reports leave a count empty when nothing happened; it is read as 0 and said.
            match self
                .empty_counts
                .iter_mut()
                .find(|(seen, _)| *seen == column)
            {
                Some((_, count)) => *count += 1,
                None => self.empty_counts.push((column, 1)),
            }
            return Ok(0);
        }
        parse_count(cell).ok_or(RowProblem {
            reason: SkipReason::UnreadableCount,
            column,
        })
    }

    fn duration(&mut self, cell: &str, column: usize) -> Result<f64, RowProblem> {
        if cell.is_empty() {
            return Ok(0.0);
        }
        parse_duration(cell)
            .map(|(secs, _)| secs)
            .map_err(|_| RowProblem {
                reason: SkipReason::UnreadableDuration,
                column,
            })
    }

    fn number(&mut self, cell: &str, column: usize) -> Result<f64, RowProblem> {
        if cell.is_empty() {
            return Ok(0.0);
        }
        parse_number(cell)
            .or_else(|| parse_number(&cell.replacen(',', ".", 1)))
            .filter(|number| *number >= 0.0)
            .ok_or(RowProblem {
                reason: SkipReason::UnreadableNumber,
                column,
            })
    }

    fn finish(
        self,
        table: Table,
        plan: Plan,
        options: &ImportOptions,
    ) -> Result<IntervalReport, SlaError> {
        let mut notes = plan.notes;
        let interval_minutes = options
            .interval_minutes
            .or_else(|| self.lengths.iter().copied().filter(|&m| m > 0).min())
            .or_else(|| spacing_minutes(&self.rows))
            .unwrap_or_else(|| {
                notes.push(
                    "Interval length taken as 30 min: the report states none and has one start only"
                        .to_owned(),
                );
                30
            });
        notes.insert(1, format!("Intervals of {interval_minutes} min"));
        let (skipped, skipped_rows) = self.skips.finish();
        let rows_skipped: u32 = skipped.iter().map(|group| group.count).sum();
        let rows_read = table.rows.len() as u32;
        let coerced = self
            .empty_counts
            .iter()
            .map(|&(column, count)| CoercedCells {
                column: table.header[column].clone(),
                count,
                what: "empty count read as 0".to_owned(),
            })
            .collect();
        let scope_columns =
            ScopeField::ALL.map(|field| plan.columns.contains(&Some(Column::Scope(field))));
        Ok(IntervalReport {
            rows: self.rows,
            interval_minutes,
            carries: plan.carries,
            quality: ImportQuality {
                shape: InputShape::Intervals,
                rows_read,
                rows_used: rows_read - rows_skipped,
                rows_skipped,
                skipped,
                encoding: table.encoding,
                dialect: table.dialect,
                columns: Vec::new(),
                date_order: plan.time_format.order,
                date_order_ambiguous: plan.date_order_ambiguous,
                coerced,
                notes,
            },
            labels: self.labels,
            scope_columns,
            skipped_rows,
            column_names: table.header,
            counted_contacts: None,
        })
    }
}

/// The smallest gap between two starts, in minutes: the report's interval length when it does
/// not state one.
fn spacing_minutes(rows: &[IntervalRow]) -> Option<u32> {
    let mut starts: Vec<NaiveDateTime> = rows
        .iter()
        .map(|row| match row.start {
            Timestamp::Exact(instant) => instant.naive_utc(),
            Timestamp::WallClock(local) => local,
        })
        .collect();
    starts.sort();
    starts.dedup();
    starts
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).num_minutes())
        .filter(|&minutes| minutes > 0)
        .min()
        .map(|minutes| minutes as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_for_what_they_say() {
        assert_eq!(
            classify("Answered within 20s"),
            Some(Column::AnsweredWithin(20.0))
        );
        assert_eq!(
            classify("Contacts abandoned in 60 seconds"),
            Some(Column::AbandonedWithin(60.0))
        );
        assert_eq!(
            classify("ACD Calls <= 1 min"),
            Some(Column::AnsweredWithin(60.0))
        );
        assert_eq!(
            classify("Short abandons under 5s"),
            Some(Column::ShortAbandons(5.0))
        );
        assert_eq!(
            classify("Abandoned < 10 sec"),
            Some(Column::ShortAbandons(10.0))
        );
        assert_eq!(classify("Contacts handled"), Some(Column::Answered));
        assert_eq!(classify("Contacts queued"), Some(Column::Offered));
        assert_eq!(classify("Aband Calls"), Some(Column::Abandoned));
        assert_eq!(
            classify("Average queue answer time"),
            Some(Column::AnsweredWait(Amount::Average))
        );
        assert_eq!(
            classify("Total wait"),
            Some(Column::AnsweredWait(Amount::Total))
        );
        assert_eq!(classify("AHT"), Some(Column::Handle(Amount::Average)));
        assert_eq!(
            classify("Avg ACD Time"),
            Some(Column::Handle(Amount::Average))
        );
        assert_eq!(
            classify("Avg Speed Ans"),
            Some(Column::AnsweredWait(Amount::Average))
        );
        assert_eq!(
            classify("Talk time total"),
            Some(Column::Handle(Amount::Total))
        );
        assert_eq!(classify("Service level 60 seconds"), None);
        assert_eq!(classify("Abandonment rate %"), None);
        assert_eq!(classify("Queue"), Some(Column::Scope(ScopeField::Queue)));
        assert_eq!(classify("Interval Start"), Some(Column::Start));
    }

    #[test]
    fn the_counts_a_push_down_keeps_apart_are_read_and_checked() {
        for apart in CountedApart::ALL {
            assert_eq!(classify(apart.header()), Some(Column::Apart(apart)));
        }
        let csv = "Interval start,Offered,Answered,Abandoned,Answered without wait,Abandoned without wait,Without outcome,Total handle time,Answered with handle time\n\
                   2026-03-02 09:00,10,6,3,2,1,4,800,8\n\
                   2026-03-02 09:30,10,6,3,0,4,0,800,6\n\
                   2026-03-02 10:00,10,6,3,1,0,0,800,8\n";
        let report = read_interval_report(csv.as_bytes(), &ImportOptions::default()).unwrap();
        let row = &report.rows[0];
        // Answered without a wait have their handle time counted: 8 of 6 + 2.
        assert_eq!(
            (
                row.answered_without_wait,
                row.abandoned_without_wait,
                row.without_outcome,
                row.handled,
                row.without_handle
            ),
            (2, 1, 4, 8, 0)
        );
        let skipped: Vec<&str> = report
            .quality
            .skipped
            .iter()
            .map(|group| group.message.as_str())
            .collect();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert!(skipped[0].contains("\"Abandoned without wait\"") && skipped[0].contains("line 3"));
        assert!(
            skipped[1].contains("\"Answered with handle time\"") && skipped[1].contains("line 4")
        );
    }

    #[test]
    fn counts_are_whole_and_may_be_grouped() {
        assert_eq!(parse_count("1,234"), Some(1234));
        assert_eq!(parse_count("1.234.567"), Some(1_234_567));
        assert_eq!(parse_count("12.0"), Some(12));
        assert_eq!(parse_count("1 234"), Some(1234));
        assert_eq!(parse_count("1,5"), None);
        assert_eq!(parse_count("-3"), None);
    }
}
