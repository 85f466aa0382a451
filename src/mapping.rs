//! Which column holds which field of DOMAIN §1: guessed from the header by a documented synonym
//! table (case-, space- and punctuation-insensitive), checked against the column's values, and
//! overridable by the user field by field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::SlaError;

/// A field a column can be mapped to: the fields of DOMAIN §1, and the pieces some exports
/// split them into (a date and a time column, an answered flag, answer and hang-up times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum MappedField {
    Arrived,
    ArrivedDate,
    ArrivedTime,
    Wait,
    Outcome,
    /// Yes when answered, no when abandoned.
    AnsweredFlag,
    /// Yes when abandoned, no when answered.
    AbandonedFlag,
    /// When the contact was answered: `wait = answered_at − arrived`.
    AnsweredAt,
    /// When the caller hung up in the queue: `wait = abandoned_at − arrived`.
    AbandonedAt,
    Handle,
    Talk,
    Hold,
    Wrap,
    FirstResponse,
    Resolved,
    Fcr,
    Csat,
    Channel,
    Priority,
    Queue,
}

/// What kind of values a field's column holds, checked on a sample before a name is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Timestamp,
    Date,
    TimeOfDay,
    Duration,
    /// A timestamp or seconds after arrival.
    Moment,
    YesNo,
    Outcome,
    Score,
    Label,
}

impl MappedField {
    pub const ALL: [MappedField; 20] = [
        MappedField::Arrived,
        MappedField::ArrivedDate,
        MappedField::ArrivedTime,
        MappedField::Wait,
        MappedField::Outcome,
        MappedField::AnsweredFlag,
        MappedField::AbandonedFlag,
        MappedField::AnsweredAt,
        MappedField::AbandonedAt,
        MappedField::Handle,
        MappedField::Talk,
        MappedField::Hold,
        MappedField::Wrap,
        MappedField::FirstResponse,
        MappedField::Resolved,
        MappedField::Fcr,
        MappedField::Csat,
        MappedField::Channel,
        MappedField::Priority,
        MappedField::Queue,
    ];

    /// Header names that mean this field, normalized (lowercase letters and digits only). The
    /// table covers the common exports: Genesys, Five9, Amazon Connect, Avaya, Zendesk,
    /// Freshdesk, ServiceNow, and spreadsheets people keep by hand.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            MappedField::Arrived => &[
                "arrived",
                "arrival",
                "arrivaltime",
                "arrivedat",
                "timestamp",
                "datetime",
                "starttime",
                "start",
                "startedat",
                "calltime",
                "callstart",
                "callstarttime",
                "contacttime",
                "createdat",
                "created",
                "createdtime",
                "createddate",
                "opened",
                "openedat",
                "initiationtimestamp",
                "enqueuetimestamp",
                "queuestart",
                "qstart",
                "offeredat",
                "receivedat",
                "received",
                "conversationstart",
                "interactionstart",
                "date",
                "time",
            ],
            MappedField::ArrivedDate => &["date", "calldate", "day", "startdate", "contactdate"],
            MappedField::ArrivedTime => &["time", "timeofday", "calltimeofday", "starttimeofday"],
            MappedField::Wait => &[
                "wait",
                "waittime",
                "waitsecs",
                "waitseconds",
                "waitingtime",
                "queuetime",
                "timeinqueue",
                "queueduration",
                "qtime",
                "queuewait",
                "speedofanswer",
                "speedofanswerinseconds",
                "speedofanswerseconds",
                "timetoanswer",
                "answerdelay",
                "delay",
                "holdtimeinqueue",
                "queuewaittime",
                "tqueue",
                "waitduration",
            ],
            MappedField::Outcome => &[
                "outcome",
                "disposition",
                "callresult",
                "result",
                "callstatus",
                "callresolution",
                "status",
                "state",
                "callstate",
                "termination",
                "endreason",
            ],
            MappedField::AnsweredFlag => &[
                "answered",
                "answeredyn",
                "isanswered",
                "answer",
                "handled",
                "handledyn",
                "connected",
                "pickedup",
            ],
            MappedField::AbandonedFlag => &[
                "abandoned",
                "abandonedyn",
                "isabandoned",
                "abandon",
                "missed",
                "hungup",
                "lost",
            ],
            MappedField::AnsweredAt => &[
                "answeredat",
                "answertime",
                "answeredtime",
                "answertimestamp",
                "connectedtoagenttimestamp",
                "agentconnectedat",
                "pickedupat",
                "qexit",
                "dequeuetimestamp",
            ],
            MappedField::AbandonedAt => {
                &["abandonedat", "abandontime", "abandonedtime", "hangupat"]
            }
            MappedField::Handle => &[
                "handle",
                "handletime",
                "handlingtime",
                "handleduration",
                "aht",
                "handlesecs",
                "totalhandletime",
                "servicetime",
                "sertime",
            ],
            MappedField::Talk => &[
                "talk",
                "talktime",
                "talkduration",
                "avgtalkduration",
                "talksecs",
                "conversationduration",
                "agentinteractionduration",
            ],
            MappedField::Hold => &["hold", "holdtime", "holdduration", "customerholdduration"],
            MappedField::Wrap => &[
                "wrap",
                "wraptime",
                "wrapup",
                "wrapuptime",
                "acw",
                "acwtime",
                "aftercallwork",
                "aftercallworkduration",
                "aftercontactworkduration",
            ],
            MappedField::FirstResponse => &[
                "firstresponse",
                "firstresponseat",
                "firstresponsetime",
                "firstreplytime",
                "firstreplyat",
                "firstrepliedat",
                "responded",
                "respondedat",
            ],
            MappedField::Resolved => &[
                "resolved",
                "resolvedat",
                "resolvedtime",
                "resolutiontime",
                "solvedat",
                "solved",
                "resolutiondate",
                "timetoresolve",
                "closedat",
            ],
            MappedField::Fcr => &[
                "fcr",
                "firstcontactresolution",
                "firstcallresolution",
                "resolvedfirstcontact",
                "resolvedonfirstcontact",
                "ftr",
                "resolved",
                "resolvedyn",
                "solvedfirsttime",
            ],
            MappedField::Csat => &[
                "csat",
                "satisfaction",
                "satisfactionrating",
                "satisfactionscore",
                "rating",
                "surveyscore",
                "score",
                "csatscore",
                "customersatisfaction",
            ],
            MappedField::Channel => &[
                "channel",
                "contacttype",
                "medium",
                "media",
                "mediatype",
                "via",
                "source",
                "initiationmethod",
            ],
            MappedField::Priority => &["priority", "severity", "prio"],
            MappedField::Queue => &[
                "queue",
                "queuename",
                "skill",
                "skillgroup",
                "topic",
                "type",
                "department",
                "group",
                "assignmentgroup",
                "service",
                "split",
                "vq",
            ],
        }
    }

    /// What the field is, for the mapping the page shows.
    pub fn label(self) -> &'static str {
        match self {
            MappedField::Arrived => "arrival (date and time)",
            MappedField::ArrivedDate => "arrival date",
            MappedField::ArrivedTime => "arrival time of day",
            MappedField::Wait => "wait (seconds or a duration)",
            MappedField::Outcome => "outcome (answered / abandoned / other)",
            MappedField::AnsweredFlag => "answered? (yes/no)",
            MappedField::AbandonedFlag => "abandoned? (yes/no)",
            MappedField::AnsweredAt => "answered at (wait = answered at − arrival)",
            MappedField::AbandonedAt => "abandoned at (wait = abandoned at − arrival)",
            MappedField::Handle => "handle time",
            MappedField::Talk => "talk time",
            MappedField::Hold => "hold time",
            MappedField::Wrap => "wrap-up (after-call work)",
            MappedField::FirstResponse => "first response (time or seconds after arrival)",
            MappedField::Resolved => "resolved (time or seconds after arrival)",
            MappedField::Fcr => "first-contact resolution (yes/no)",
            MappedField::Csat => "satisfaction score",
            MappedField::Channel => "channel",
            MappedField::Priority => "priority",
            MappedField::Queue => "queue",
        }
    }

    /// The kind of value the field's cells hold.
    pub fn kind(self) -> ValueKind {
        match self {
            MappedField::Arrived | MappedField::AnsweredAt | MappedField::AbandonedAt => {
                ValueKind::Timestamp
            }
            MappedField::ArrivedDate => ValueKind::Date,
            MappedField::ArrivedTime => ValueKind::TimeOfDay,
            MappedField::Wait
            | MappedField::Handle
            | MappedField::Talk
            | MappedField::Hold
            | MappedField::Wrap => ValueKind::Duration,
            MappedField::FirstResponse | MappedField::Resolved => ValueKind::Moment,
            MappedField::AnsweredFlag | MappedField::AbandonedFlag | MappedField::Fcr => {
                ValueKind::YesNo
            }
            MappedField::Outcome => ValueKind::Outcome,
            MappedField::Csat => ValueKind::Score,
            MappedField::Channel | MappedField::Priority | MappedField::Queue => ValueKind::Label,
        }
    }
}

/// How sure a mapping is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Confidence {
    /// The header contains a known name, and the values fit.
    Likely,
    /// The header is a known name, and the values fit.
    Sure,
    /// The user chose it.
    Chosen,
}

/// One column of the input and what it was mapped to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ColumnMapping {
    /// 0-based position.
    pub index: usize,
    /// The header as written, or `column 3` when the input has none.
    pub name: String,
    pub field: Option<MappedField>,
    pub confidence: Option<Confidence>,
    /// A few values, so the user can see what the column holds.
    pub examples: Vec<String>,
}

/// The user's choices: a field mapped to a column by its name (or `column N`), or to nothing.
pub type MappingOverrides = BTreeMap<MappedField, Option<String>>;

/// Lowercase letters and digits only: `Speed of answer (in seconds)` → `speedofanswerinseconds`.
pub fn normalize(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field `header` names exactly (one of its synonyms), if any.
pub fn field_named(header: &str) -> Option<MappedField> {
    let name = normalize(header);
    MappedField::ALL
        .iter()
        .copied()
        .find(|field| field.synonyms().contains(&name.as_str()))
}

/// Whether `header` is one of the names of some field.
pub fn names_a_field(header: &str) -> bool {
    field_named(header).is_some()
}

/// Why a column named for a field does not feed it, so that no column is left out silently: a
/// second column of the same name, or values that do not read as the field's.
pub fn unused_column_notes(columns: &[ColumnMapping]) -> Vec<String> {
    columns
        .iter()
        .filter(|column| column.field.is_none())
        .filter_map(|column| {
            let field = field_named(&column.name)?;
            let user = columns.iter().find(|other| other.field == Some(field));
            Some(match user {
                Some(other) => format!(
                    "column \"{}\" (column {}) is not used: \"{}\" (column {}) already gives the {}",
                    column.name,
                    column.index + 1,
                    other.name,
                    other.index + 1,
                    field.label()
                ),
                None => format!(
                    "column \"{}\" is named like the {} but most of its values do not read as one (e.g. {}): not used; map it by hand to use it",
                    column.name,
                    field.label(),
                    column
                        .examples
                        .iter()
                        .map(|example| format!("\"{example}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
        })
        .collect()
}

/// Maps `names` (with a sample of each column's values) to fields: each field at most once,
/// each column at most once; an exact name beats a partial one, and a name whose values do not
/// fit its field is not taken. `overrides` then set or clear fields by the user's choice.
pub fn map_columns(
    names: &[String],
    samples: &[Vec<String>],
    fits: impl Fn(ValueKind, &[String], bool) -> bool,
    overrides: &MappingOverrides,
) -> Result<Vec<ColumnMapping>, SlaError> {
    let mut candidates: Vec<(Confidence, usize, usize, MappedField)> = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let name = normalize(name);
        if name.is_empty() {
            continue;
        }
        for (priority, field) in MappedField::ALL.iter().enumerate() {
            let synonyms = field.synonyms();
            let confidence = if synonyms.contains(&name.as_str()) {
                Confidence::Sure
            } else if synonyms
                .iter()
                .any(|synonym| synonym.len() >= 4 && name.contains(synonym))
            {
                Confidence::Likely
            } else {
                continue;
            };
            // A column named exactly as DOMAIN §1 names the field is the user's own word for
            // it: its values need only be possible, not typical (an outcome column of
            // transfers only is still the outcome column).
            let canonical = synonyms[0] == name;
            // The arrival is the one field every contact needs: a column named for it is used
            // whatever its values, and its unreadable cells skip their rows, each explained —
            // rather than refusing the file for "no arrival column" beside one called arrived.
            let required = *field == MappedField::Arrived && canonical;
            if required || fits(field.kind(), &samples[index], canonical) {
                candidates.push((
                    confidence,
                    usize::MAX - priority,
                    usize::MAX - index,
                    *field,
                ));
            }
        }
    }
    // Strongest first; among equals, the field listed first in the table (its priority), then
    // the leftmost column.
    candidates.sort_by(|a, b| b.cmp(a));
    let mut columns: Vec<ColumnMapping> = names
        .iter()
        .enumerate()
        .map(|(index, name)| ColumnMapping {
            index,
            name: name.clone(),
            field: None,
            confidence: None,
            examples: samples[index].iter().take(3).cloned().collect(),
        })
        .collect();
    for (confidence, _, leftness, field) in candidates {
        let index = usize::MAX - leftness;
        let taken = columns.iter().any(|column| column.field == Some(field));
        if columns[index].field.is_none() && !taken {
            columns[index].field = Some(field);
            columns[index].confidence = Some(confidence);
        }
    }
    for (field, choice) in overrides {
        for column in columns
            .iter_mut()
            .filter(|column| column.field == Some(*field))
        {
            column.field = None;
            column.confidence = None;
        }
        let Some(choice) = choice else { continue };
        let column = columns
            .iter_mut()
            .find(|column| column.name.trim() == choice.trim())
            .ok_or_else(|| SlaError::UnknownColumn {
                choice: choice.clone(),
                found: crate::input::describe_columns(names),
            })?;
        column.field = Some(*field);
        column.confidence = Some(Confidence::Chosen);
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    fn map(
        list: &[&str],
        fits: impl Fn(ValueKind, &[String], bool) -> bool,
    ) -> Vec<Option<MappedField>> {
        let samples = vec![Vec::new(); list.len()];
        map_columns(&names(list), &samples, fits, &MappingOverrides::new())
            .unwrap()
            .into_iter()
            .map(|column| column.field)
            .collect()
    }

    #[test]
    fn headers_are_matched_whatever_their_case_spaces_and_punctuation() {
        assert_eq!(
            normalize("Speed of answer (in seconds)"),
            "speedofanswerinseconds"
        );
        let fields = map(
            &[
                "Call Id",
                "Date",
                "Time",
                "Answered (Y/N)",
                "Speed of answer in seconds",
                "AvgTalkDuration",
                "Satisfaction rating",
            ],
            // No column holds full timestamps here: "Date" and "Time" are its two halves.
            |kind, _, _| kind != ValueKind::Timestamp,
        );
        assert_eq!(
            fields,
            [
                None,
                Some(MappedField::ArrivedDate),
                Some(MappedField::ArrivedTime),
                Some(MappedField::AnsweredFlag),
                Some(MappedField::Wait),
                Some(MappedField::Talk),
                Some(MappedField::Csat),
            ]
        );
    }

    #[test]
    fn values_decide_between_fields_that_share_a_name() {
        // "Resolved" is a resolution time in a ticket export and a yes/no in a call log.
        let yes_no = |kind: ValueKind, _: &[String], _| {
            kind == ValueKind::YesNo || kind == ValueKind::Timestamp
        };
        assert_eq!(
            map(&["Created at", "Resolved"], yes_no),
            [Some(MappedField::Arrived), Some(MappedField::Fcr)]
        );
        let times = |kind: ValueKind, _: &[String], _| kind != ValueKind::YesNo;
        assert_eq!(
            map(&["Created at", "Resolved"], times),
            [Some(MappedField::Arrived), Some(MappedField::Resolved)]
        );
    }

    #[test]
    fn the_user_overrides_a_mapping_or_clears_it() {
        let list = names(&["start", "q_time", "ring"]);
        let samples = vec![Vec::new(); 3];
        let mut overrides = MappingOverrides::new();
        overrides.insert(MappedField::Wait, Some("ring".to_owned()));
        let columns = map_columns(&list, &samples, |_, _, _| true, &overrides).unwrap();
        assert_eq!(columns[1].field, None);
        assert_eq!(
            (columns[2].field, columns[2].confidence),
            (Some(MappedField::Wait), Some(Confidence::Chosen))
        );
        overrides.insert(MappedField::Arrived, Some("nope".to_owned()));
        let error = map_columns(&list, &samples, |_, _, _| true, &overrides).unwrap_err();
        assert_eq!(
            error.to_string(),
            "No column \"nope\" to map: the columns are \"start\", \"q_time\", \"ring\"."
        );
    }
}
