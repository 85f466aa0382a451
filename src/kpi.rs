//! A KPI history (DOMAIN §9): one row per period, optionally per scope, with the values a
//! client's own monthly report gives. Compliance, credits and suggestions use the values as
//! given — there are no counts to recompute them from — and rows are combined (the days of a
//! month, the channels of all contacts) only by a volume-weighted mean, only with a volume
//! column: never by a plain average that a reader could mistake for the real figure.

use std::collections::BTreeMap;

use crate::compliance::{below_minimum, judge, not_judged};
use crate::credits::compute_credits;
use crate::exclusions::Exclusions;
use crate::input::{ImportQuality, SkippedRow};
use crate::measure::definition;
use crate::model::{Contact, LabelId, Labels, ScopeField};
use crate::peaks::PeriodLoad;
use crate::period::{Period, PeriodKind};
use crate::report::{
    availability, not_computable_result, AgreementSummary, Earlier, PeriodFigures, PeriodResult,
    Placement, Remade, Report, TargetResults, REPORT_VERSION,
};
use crate::suggest::History;
use crate::target::{AllowedLabels, CsatMode, Metric, Target, Unit};
use crate::terms::Terms;
use crate::text::{count, describe_duration};
use crate::waits::wait_distribution;
use crate::zone::Zone;

/// What one value column of a KPI history gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KpiMeasure {
    /// A share answered in time; the threshold when the header names one (`SL 80/20`,
    /// `Service level (20s)`).
    ServiceLevel {
        threshold_secs: Option<f64>,
    },
    Asa,
    Aht,
    Abandonment,
    Fcr,
    /// A mean survey score, with the scale's top when written `4.2/5`.
    CsatScore {
        scale_top: Option<f64>,
    },
    /// The share of satisfied responses (`CSAT %`, `Top box`).
    CsatShare,
    MaxWait,
    ResponseWithin {
        threshold_secs: Option<f64>,
    },
    ResolutionWithin {
        threshold_secs: Option<f64>,
    },
    Availability,
}

impl KpiMeasure {
    /// For a share within a threshold of `metric`'s kind (service level, first response,
    /// resolution), the threshold its header names, if any; `None` for any other measure.
    fn threshold_if_within(self, metric: &Metric) -> Option<Option<f64>> {
        match (self, metric) {
            (KpiMeasure::ServiceLevel { threshold_secs }, Metric::ServiceLevel { .. })
            | (KpiMeasure::ResponseWithin { threshold_secs }, Metric::ResponseWithin { .. })
            | (KpiMeasure::ResolutionWithin { threshold_secs }, Metric::ResolutionWithin { .. }) => {
                Some(threshold_secs)
            }
            _ => None,
        }
    }

    /// The unit its values are read in.
    pub fn unit(self) -> Unit {
        match self {
            KpiMeasure::Asa | KpiMeasure::Aht | KpiMeasure::MaxWait => Unit::Seconds,
            KpiMeasure::CsatScore { .. } => Unit::Score,
            _ => Unit::Percent,
        }
    }

    /// `service level within 20 s (%)`, as the import panel lists it.
    pub fn describe(self) -> String {
        let within = |what: &str, threshold: Option<f64>| match threshold {
            Some(secs) => format!("{what} within {} (%)", describe_duration(secs)),
            None => format!("{what} (%), threshold not named"),
        };
        match self {
            KpiMeasure::ServiceLevel { threshold_secs } => within("service level", threshold_secs),
            KpiMeasure::Asa => "ASA (s)".to_owned(),
            KpiMeasure::Aht => "AHT (s)".to_owned(),
            KpiMeasure::Abandonment => "abandonment rate (%)".to_owned(),
            KpiMeasure::Fcr => "FCR (%)".to_owned(),
            KpiMeasure::CsatScore {
                scale_top: Some(top),
            } => format!("CSAT mean score (out of {top})"),
            KpiMeasure::CsatScore { scale_top: None } => "CSAT mean score".to_owned(),
            KpiMeasure::CsatShare => "CSAT share satisfied (%)".to_owned(),
            KpiMeasure::MaxWait => "longest wait (s)".to_owned(),
            KpiMeasure::ResponseWithin { threshold_secs } => {
                within("first response", threshold_secs)
            }
            KpiMeasure::ResolutionWithin { threshold_secs } => within("resolution", threshold_secs),
            KpiMeasure::Availability => "availability (%)".to_owned(),
        }
    }
}

/// A value column: its header and what it gives.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiColumn {
    pub name: String,
    pub measure: KpiMeasure,
}

/// One period (and scope) of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiRow {
    /// The line of the input it was read from, for the explanations.
    pub line: u64,
    pub period: Period,
    /// Channel, priority and queue, by [`ScopeField::index`]; `None` is a total over the field.
    pub scope: [Option<LabelId>; 3],
    /// Contacts in the period, when the history has a volume column.
    pub volume: Option<u32>,
    /// One value per [`KpiHistory::columns`], `None` where the cell is empty.
    pub values: Vec<Option<f64>>,
}

/// A KPI history as read.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiHistory {
    pub rows: Vec<KpiRow>,
    pub columns: Vec<KpiColumn>,
    /// How long one row's period is: months, weeks or days.
    pub period_kind: PeriodKind,
    /// The volume column's header, if there is one.
    pub volume_column: Option<String>,
    pub labels: [Labels; 3],
    pub scope_columns: [bool; 3],
    pub quality: ImportQuality,
    pub skipped_rows: Vec<SkippedRow>,
    pub column_names: Vec<String>,
}

/// Rows of one period, by index, per period of a target.
type Grouping = BTreeMap<Period, Vec<usize>>;

/// A value for one period and scope, from one row or several.
struct Combined {
    value: Option<f64>,
    volume: Option<u32>,
    calculation: String,
}

/// The report of a KPI history under `terms`: the same document as from contacts, with the
/// values as given, the counts `null`, and no exclusions (a reported value cannot lose
/// contacts).
pub fn build_kpi_report(history: &KpiHistory, terms: &Terms) -> Report {
    let targets: Vec<TargetResults> = terms
        .targets
        .iter()
        .map(|target| history.target_results(target, terms))
        .collect();
    let mut quality = history.quality.clone();
    if !terms.exclusions.is_empty() || terms.forecast.is_some() {
        quality.notes.push(
            "Exclusions and the forecast are not applied: a KPI history's values are computed already, so no contact can be taken out of them"
                .to_owned(),
        );
    }
    let no_contacts: [Contact; 0] = [];
    let none_excluded = Exclusions {
        reason_of: Vec::new(),
        summaries: Vec::new(),
    };
    Report {
        version: REPORT_VERSION,
        credits: compute_credits(terms, &targets),
        waits: wait_distribution(&no_contacts, &none_excluded, terms),
        quality,
        agreement: AgreementSummary::of(terms),
        periods: history.period_figures(terms),
        exclusions: Vec::new(),
        targets,
    }
}

impl KpiHistory {
    /// The busiest period's volume and AHT over all contacts (a row without scope), with the
    /// time the queue was open in it; `None` without a volume and an AHT column.
    pub fn busiest_load(&self, terms: &Terms) -> Option<PeriodLoad> {
        let aht = self
            .columns
            .iter()
            .position(|column| column.measure == KpiMeasure::Aht)?;
        let row = self
            .rows
            .iter()
            .filter(|row| row.scope == [None; 3])
            .filter(|row| row.values[aht].is_some())
            .max_by_key(|row| row.volume)?;
        let (start, end) = row.period.bounds(&terms.zone);
        let open_secs = match &terms.calendar {
            Some(calendar) => calendar
                .open_spans(start, end, &terms.zone)
                .iter()
                .map(|span| (span.end - span.start).num_seconds() as f64)
                .sum(),
            None => (end - start).num_seconds() as f64,
        };
        Some(PeriodLoad {
            period: row.period.label(),
            contacts: row.volume?,
            aht_secs: row.values[aht]?,
            open_secs,
            business_hours: terms.calendar.is_some(),
        })
    }
}

impl History for KpiHistory {
    fn report(&self, terms: &Terms) -> Report {
        build_kpi_report(self, terms)
    }

    // A KPI history is a few rows of values: reporting it anew is as quick as carrying parts.
    fn report_after(
        &self,
        terms: &Terms,
        _earlier: Option<Earlier>,
        _placement: &mut Placement,
    ) -> Remade {
        Remade {
            report: build_kpi_report(self, terms),
            targets_measured: terms.targets.len(),
        }
    }

    fn has_weeks(&self) -> bool {
        false
    }

    // A KPI value is read from its column whatever the goal.
    fn measures_apart_from_goal(&self, target: &Target) -> bool {
        target.interval_attainment.is_none()
    }
}

impl KpiHistory {
    /// The contacts of the whole history: the volumes of its total rows (no scope label), or of
    /// all its rows when it has no totals; 0 without a volume column.
    pub fn total_volume(&self) -> u64 {
        let is_total = |row: &&KpiRow| row.scope.iter().all(Option::is_none);
        let has_totals = self.rows.iter().any(|row| is_total(&row));
        self.rows
            .iter()
            .filter(|row| !has_totals || is_total(row))
            .filter_map(|row| row.volume)
            .map(u64::from)
            .sum()
    }

    /// The periods of `kind` and their rows: the history's own periods, or longer ones its
    /// periods fall in whole (days into weeks or months). Weeks straddle months, so a weekly
    /// history gives no months.
    fn grouping(&self, kind: PeriodKind, zone: &Zone) -> Result<Grouping, String> {
        let nests = kind == self.period_kind
            || (self.period_kind == PeriodKind::Day
                && matches!(kind, PeriodKind::IsoWeek | PeriodKind::Month));
        if !nests {
            return Err(format!(
                "not computable: a KPI history by {} has no {} values (a target's period must be the history's, or one its periods fall in whole)",
                self.period_kind.noun(),
                kind.noun()
            ));
        }
        let mut grouping = Grouping::new();
        for (index, row) in self.rows.iter().enumerate() {
            let period = if kind == self.period_kind {
                row.period
            } else {
                kind.containing(row.period.bounds(zone).0, zone)
            };
            grouping.entry(period).or_default().push(index);
        }
        Ok(grouping)
    }

    fn target_results(&self, target: &Target, terms: &Terms) -> TargetResults {
        let mut notes = Vec::new();
        let grouping = self
            .grouping(target.period, &terms.zone)
            .and_then(|grouping| match target.interval_attainment {
                Some(_) => Err(
                    "not computable: interval attainment judges each interval, and a KPI history has one value per period"
                        .to_owned(),
                ),
                None => Ok(grouping),
            });
        let plan = grouping.and_then(|grouping| {
            let (allowed, scope_notes) = target.scope.allowed_labels(
                &self.labels,
                |field| self.scope_columns[field.index()],
                ["row", "history"],
            )?;
            notes.extend(scope_notes);
            Ok((grouping, allowed))
        });
        let column = self.column_for(&target.metric);
        let from_outages = column.is_err()
            && target.metric == Metric::Availability
            && terms.availability.is_some();
        let results = match plan {
            Ok((grouping, allowed)) => match column.clone() {
                Ok((column, note)) => {
                    notes.extend(note);
                    if target.min_contacts > 1 && self.volume_column.is_none() {
                        notes.push(format!(
                            "the minimum volume of {} contacts is not checked: the history has no volume column",
                            count(target.min_contacts)
                        ));
                    }
                    grouping
                        .iter()
                        .map(|(period, members)| {
                            let rows = self.admitted(members, &allowed);
                            self.value_result(target, period, &rows, column, &terms.zone)
                        })
                        .collect()
                }
                Err(_) if from_outages => grouping
                    .keys()
                    .map(|period| availability_result(target, period, terms))
                    .collect(),
                Err(reason) => {
                    notes.push(reason.clone());
                    not_computable(&grouping, &reason, &terms.zone)
                }
            },
            Err(reason) => {
                notes.push(reason.clone());
                let own = self
                    .grouping(self.period_kind, &terms.zone)
                    .unwrap_or_default();
                not_computable(&own, &reason, &terms.zone)
            }
        };
        let source = match column {
            Ok((column, _)) => format!("as reported in column \"{}\"", self.columns[column].name),
            Err(_) if from_outages => "from the agreement's outage windows".to_owned(),
            Err(_) => "not in the history".to_owned(),
        };
        TargetResults::of(
            target,
            format!(
                "{source}; values of a KPI history are used as given (the agreed definition: {})",
                definition(&target.metric)
            ),
            notes,
            results,
        )
    }

    /// The column that gives `metric`, with a note when it is taken on trust (a service level
    /// whose header names no threshold); why not, naming what would be needed.
    fn column_for(&self, metric: &Metric) -> Result<(usize, Option<String>), String> {
        let find = |wanted: &dyn Fn(KpiMeasure) -> bool| {
            self.columns
                .iter()
                .position(|column| wanted(column.measure))
        };
        let of = |measure: KpiMeasure| measure.threshold_if_within(metric);
        let within = |threshold: f64, what: &str| {
            if let Some(column) = find(&|measure| of(measure) == Some(Some(threshold))) {
                return Ok((column, None));
            }
            if let Some(column) = find(&|measure| of(measure) == Some(None)) {
                return Ok((
                    column,
                    Some(format!(
                        "column \"{}\" names no threshold: read as the agreed {}",
                        self.columns[column].name,
                        describe_duration(threshold)
                    )),
                ));
            }
            let others: Vec<String> = self
                .columns
                .iter()
                .filter(|column| of(column.measure).is_some())
                .map(|column| format!("\"{}\"", column.name))
                .collect();
            Err(format!(
                "not computable: the history has no {what} within {} (a column such as \"{what} {}s\" is needed){}",
                describe_duration(threshold),
                threshold,
                if others.is_empty() {
                    String::new()
                } else {
                    format!("; it has {}", others.join(", "))
                }
            ))
        };
        let simple = |wanted: KpiMeasure, name: &str| {
            find(&|measure| measure == wanted)
                .map(|column| (column, None))
                .ok_or_else(|| {
                    format!(
                        "not computable: the history has no {name} column (it has: {})",
                        self.columns
                            .iter()
                            .map(|column| format!("\"{}\"", column.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
        };
        match *metric {
            Metric::ServiceLevel { threshold_secs, .. } => within(threshold_secs, "service level"),
            Metric::ResponseWithin { threshold_secs, .. } => {
                within(threshold_secs, "first response")
            }
            Metric::ResolutionWithin { threshold_secs, .. } => within(threshold_secs, "resolution"),
            Metric::Asa => simple(KpiMeasure::Asa, "ASA"),
            Metric::Aht => simple(KpiMeasure::Aht, "AHT"),
            Metric::AbandonmentRate { .. } => simple(KpiMeasure::Abandonment, "abandonment rate"),
            Metric::Fcr => simple(KpiMeasure::Fcr, "FCR"),
            Metric::MaxWait { .. } => simple(KpiMeasure::MaxWait, "longest wait"),
            Metric::Availability => simple(KpiMeasure::Availability, "availability"),
            Metric::Csat {
                csat_mode: CsatMode::TopBox,
                ..
            } => simple(KpiMeasure::CsatShare, "CSAT share (top box, %)"),
            Metric::Csat {
                csat_mode: CsatMode::Mean,
                csat_scale: [_, top],
            } => {
                let column = find(&|measure| matches!(measure, KpiMeasure::CsatScore { .. }))
                    .ok_or_else(|| {
                        "not computable: the history has no CSAT score column (a mean score such as 4.2 or 4.2/5)"
                            .to_owned()
                    })?;
                match self.columns[column].measure {
                    KpiMeasure::CsatScore {
                        scale_top: Some(written),
                    } if written != top => Err(format!(
                        "not computable: column \"{}\" scores out of {written}, the target's scale ends at {top}",
                        self.columns[column].name
                    )),
                    _ => Ok((column, None)),
                }
            }
            Metric::WaitPercentile { percentile } => Err(format!(
                "not computable: a wait percentile (p{percentile}) needs every wait, or a wait histogram; a KPI history has neither"
            )),
        }
    }

    /// The rows of `members` a scope admits. Where the scope leaves a field open, a row
    /// without a label there is the report's own total for that field: when the period has
    /// such rows they are used alone, otherwise the labelled rows are combined.
    fn admitted(&self, members: &[usize], allowed: &AllowedLabels) -> Vec<usize> {
        let admitted: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&index| {
                ScopeField::ALL.iter().all(|field| {
                    match (
                        &allowed[field.index()],
                        self.rows[index].scope[field.index()],
                    ) {
                        (Some(ids), Some(label)) => ids.contains(&label),
                        (Some(_), None) => false,
                        (None, _) => true,
                    }
                })
            })
            .collect();
        let totals: Vec<usize> = admitted
            .iter()
            .copied()
            .filter(|&index| {
                ScopeField::ALL.iter().all(|field| {
                    allowed[field.index()].is_some()
                        || self.rows[index].scope[field.index()].is_none()
                })
            })
            .collect();
        if totals.is_empty() {
            admitted
        } else {
            totals
        }
    }

    /// The value of `column` over `rows`: one row's as given; several rows' as a mean weighted
    /// by their volumes (the largest, for a longest wait); an error when rows must be combined
    /// and have no volume.
    fn combine(&self, column: usize, rows: &[usize]) -> Result<Combined, String> {
        let measure = self.columns[column].measure;
        let unit = measure.unit();
        let volume = rows
            .iter()
            .map(|&index| self.rows[index].volume)
            .sum::<Option<u32>>();
        let valued: Vec<(&KpiRow, f64)> = rows
            .iter()
            .filter_map(|&index| {
                let row = &self.rows[index];
                row.values[column].map(|value| (row, value))
            })
            .collect();
        let lines = |rows: &[(&KpiRow, f64)]| {
            rows.iter()
                .map(|(row, _)| row.line.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (value, calculation) = match valued.as_slice() {
            [] if rows.is_empty() => (None, "no row for this period and scope".to_owned()),
            [] => (None, "not reported: the cell is empty".to_owned()),
            [(row, value)] => (
                Some(*value),
                format!("{} as reported (line {})", unit.format(*value), row.line),
            ),
            several if measure == KpiMeasure::MaxWait => {
                let largest = several
                    .iter()
                    .map(|(_, value)| *value)
                    .fold(f64::NEG_INFINITY, f64::max);
                (
                    Some(largest),
                    format!(
                        "the longest of {} rows (lines {}) = {}",
                        several.len(),
                        lines(several),
                        unit.format(largest)
                    ),
                )
            }
            several => {
                let Some(weights) = several
                    .iter()
                    .map(|(row, _)| row.volume)
                    .collect::<Option<Vec<u32>>>()
                else {
                    return Err(format!(
                        "not computable: {} rows (lines {}) make this period, and combining them needs a volume column (a volume-weighted mean)",
                        several.len(),
                        lines(several)
                    ));
                };
                let total: u32 = weights.iter().sum();
                let weighted: f64 = several
                    .iter()
                    .zip(&weights)
                    .map(|((_, value), weight)| value * f64::from(*weight))
                    .sum();
                let terms: Vec<String> = several
                    .iter()
                    .zip(&weights)
                    .map(|((_, value), weight)| {
                        format!("{} × {}", unit.format(*value), count(*weight))
                    })
                    .collect();
                let value = (total > 0).then(|| weighted / f64::from(total));
                let result = value.map_or("no volume".to_owned(), |value| unit.format(value));
                (
                    value,
                    format!(
                        "weighted by volume over lines {}: ({}) ÷ {} = {result}",
                        lines(several),
                        terms.join(" + "),
                        count(total)
                    ),
                )
            }
        };
        Ok(Combined {
            value,
            volume,
            calculation,
        })
    }

    fn value_result(
        &self,
        target: &Target,
        period: &Period,
        rows: &[usize],
        column: usize,
        zone: &Zone,
    ) -> PeriodResult {
        let (actual, contacts, judgement, calculation) = match self.combine(column, rows) {
            Ok(combined) => {
                let judgement = combined
                    .volume
                    .and_then(|volume| below_minimum(volume, target.min_contacts))
                    .unwrap_or_else(|| {
                        judge(combined.value, target.goal, target.metric.direction())
                    });
                (
                    combined.value,
                    combined.volume,
                    judgement,
                    combined.calculation,
                )
            }
            Err(reason) => (None, None, not_judged(reason.clone()), reason),
        };
        PeriodResult {
            start: period.bounds(zone).0,
            period: period.label(),
            actual,
            ratio: None,
            contacts,
            excluded: Vec::new(),
            judgement,
            calculation,
            intervals: None,
        }
    }

    /// The periods of the agreement (or the history's own, when the agreement's are shorter)
    /// with the volume and the whole queue's ASA and abandonment as reported.
    fn period_figures(&self, terms: &Terms) -> Vec<PeriodFigures> {
        let grouping = self
            .grouping(terms.period, &terms.zone)
            .or_else(|_| self.grouping(self.period_kind, &terms.zone))
            .unwrap_or_default();
        let everything: AllowedLabels = Default::default();
        let value_of = |measure: KpiMeasure, rows: &[usize]| {
            let column = self
                .columns
                .iter()
                .position(|column| column.measure == measure)?;
            self.combine(column, rows).ok()?.value
        };
        grouping
            .iter()
            .map(|(period, members)| {
                let rows = self.admitted(members, &everything);
                PeriodFigures {
                    period: period.label(),
                    contacts: rows
                        .iter()
                        .map(|&index| self.rows[index].volume)
                        .sum::<Option<u32>>(),
                    excluded: 0,
                    offered: None,
                    answered: None,
                    abandoned: None,
                    other: None,
                    asa_secs: value_of(KpiMeasure::Asa, &rows),
                    abandonment_rate: value_of(KpiMeasure::Abandonment, &rows),
                }
            })
            .collect()
    }
}

/// Every period of `grouping`, not computable for `reason`.
fn not_computable(grouping: &Grouping, reason: &str, zone: &Zone) -> Vec<PeriodResult> {
    grouping
        .keys()
        .map(|period| not_computable_result(period, reason, zone))
        .collect()
}

/// Availability from the agreement's outage windows, for a history without an uptime column:
/// it needs no contacts.
fn availability_result(target: &Target, period: &Period, terms: &Terms) -> PeriodResult {
    let measurement = availability(period, terms);
    PeriodResult {
        start: period.bounds(&terms.zone).0,
        period: period.label(),
        judgement: measurement.judge(target),
        actual: measurement.actual,
        ratio: measurement.ratio,
        contacts: None,
        excluded: Vec::new(),
        calculation: measurement.calculation,
        intervals: None,
    }
}
