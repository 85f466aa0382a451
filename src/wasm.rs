//! The WebAssembly API: the only module that knows about JavaScript. Each entry point
//! deserializes, makes one core call, and serializes with one shared serializer; a request that
//! cannot be used at all throws a JS `Error` carrying the core's message.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::catalog;
use crate::forecast::read_forecast_csv;
use crate::input::{ImportOptions, LastPart, PREFIX_BYTES};
use crate::mapping::MappedField;
use crate::peaks::{CapacityOptions, ProfileMemo};
use crate::pushdown::PushDown;
use crate::rejudge::ReportMemo;
use crate::report::Report;
use crate::shape::{last_part_reader, read_input, CountedFile, Input, InputStream};
use crate::terms::RawTerms;

/// Keeps a Rust panic's message where the worker finds it — `globalThis.slacalcPanic` — and in
/// the console, before the wasm traps: the page then reports what went wrong, not only
/// "unreachable", and starts a fresh worker.
#[wasm_bindgen(start)]
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|panic| {
        let message = JsValue::from_str(&format!("slacalc panicked: {panic}"));
        web_sys::console::error_1(&message);
        // If even this fails there is nothing left to tell it with; the trap still reports.
        let _ = js_sys::Reflect::set(&js_sys::global(), &"slacalcPanic".into(), &message);
    }));
}

/// Plain objects, `null` for "no data", numbers not BigInts: the shape a page expects.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| JsError::new(&error.to_string()))
}

/// An input parsed once and held in wasm memory — contacts, or an interval report — so a
/// change of terms recomputes without re-reading the text.
#[wasm_bindgen(js_name = Dataset)]
pub struct DatasetHandle {
    input: Input,
    /// The last report, judged again when a terms edit moves only goals or money.
    memo: ReportMemo,
    /// The weekly profile's last hour counts, kept while the zone and threshold stay.
    profile_memo: ProfileMemo,
    /// Set when the input is a file's contacts counted as read, not held.
    counted: Option<CountedFile>,
}

#[wasm_bindgen(js_class = Dataset)]
impl DatasetHandle {
    /// Reads contacts from pasted text. `options` (optional) overrides what the import guessed:
    /// `{ mapping: { wait: "Queue Time", csat: null }, dateOrder: "monthFirst", hasHeader: true }`.
    /// Throws when nothing is usable (empty text, header only, no arrival column); bad rows are
    /// skipped and accounted for in `quality()`.
    #[wasm_bindgen(js_name = fromCsv)]
    pub fn from_csv(
        text: &str,
        options: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Result<DatasetHandle, JsError> {
        DatasetHandle::from_bytes(text.as_bytes(), options, on_progress)
    }

    /// Reads contacts from a file's bytes (a `Uint8Array`): UTF-8, UTF-16 with its mark, or
    /// Latin-1, as `quality().encoding` then says. `options` as for `fromCsv`; `onProgress`
    /// (optional) is called as `onProgress(bytesRead, bytesInAll)` every 50,000 rows and at
    /// the end.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        bytes: &[u8],
        options: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Result<DatasetHandle, JsError> {
        let options = import_options(options)?;
        let mut progress = |done: u64, total: u64| {
            if let Some(callback) = &on_progress {
                // A failing callback must not stop the reading: progress is only a display.
                let _ = callback.call2(
                    &JsValue::NULL,
                    &JsValue::from_f64(done as f64),
                    &JsValue::from_f64(total as f64),
                );
            }
        };
        let input = read_input(bytes, &options, &mut progress)
            .map_err(|error| JsError::new(&error.to_string()))?;
        Ok(DatasetHandle::holding(input, None))
    }

    /// Number of contacts held: rows used, or the contacts an interval report counts.
    #[wasm_bindgen(getter, js_name = contactCount)]
    pub fn contact_count(&self) -> f64 {
        self.input.contact_count() as f64
    }

    /// Set when a big file's contacts were counted as read instead of held: what that means,
    /// for the page to say.
    #[wasm_bindgen(getter, js_name = countedNote)]
    pub fn counted_note(&self) -> Option<String> {
        self.counted.as_ref().map(CountedFile::note)
    }

    /// Whether the file must be streamed again (`ImportStream` with these terms) before a
    /// report under `terms`: its contacts were counted as read, for terms needing other counts.
    /// Throws when no counting serves `terms`, saying which target needs each contact.
    #[wasm_bindgen(js_name = readAgainFor)]
    pub fn read_again_for(&self, terms: JsValue) -> Result<bool, JsError> {
        let Some(counted) = &self.counted else {
            return Ok(false);
        };
        let serves = counted
            .serves(&validated_terms(terms)?)
            .map_err(|error| JsError::new(&error.to_string()))?;
        Ok(!serves)
    }

    /// The skipped rows (the first 10,000) as CSV: line, reason, column, and the row as written.
    #[wasm_bindgen(js_name = skippedRowsCsv)]
    pub fn skipped_rows_csv(&self) -> String {
        self.input.skipped_rows_csv()
    }

    /// Rows read, used and skipped by reason, with the first line numbers of each reason.
    pub fn quality(&self) -> Result<JsValue, JsError> {
        to_js(self.input.quality())
    }

    /// The report under `terms`: a terms object, or its JSON text (see the README). Throws on
    /// invalid terms, naming the field, e.g. `Terms: targets[1].goal: …`.
    pub fn report(&mut self, terms: JsValue) -> Result<JsValue, JsError> {
        to_js(&self.report_under(terms)?)
    }

    /// Realistic targets under `terms` (DOMAIN §7): per target, its history, the attainment of
    /// its goal, and safe/balanced/stretch goals with breach probability and credit exposure.
    /// Their history is the report under `terms`, made as `report` makes it: after the last.
    pub fn suggest(&mut self, terms: JsValue) -> Result<JsValue, JsError> {
        let terms = validated_terms(terms)?;
        let report = self.memo.report(&self.input, &terms);
        to_js(
            &self
                .input
                .suggest_from(&terms, report, self.memo.placement()),
        )
    }

    /// Service level and volume by weekday × hour, the worst hours, and the agents each hour
    /// needs for the first service-level goal by Erlang C. `options` (optional):
    /// `{ shrinkagePercent: 30, maxOccupancyPercent: 85, agents: 12, goals: [75, 85] }`.
    pub fn peaks(&mut self, terms: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let options: CapacityOptions = if options.is_undefined() || options.is_null() {
            CapacityOptions::default()
        } else {
            from_js_json(&options)
                .map_err(|error| JsError::new(&format!("Capacity options: {error}")))?
        };
        let terms = validated_terms(terms)?;
        to_js(&self.input.weekly_profile_kept(
            &mut self.profile_memo,
            &terms,
            &options,
            self.memo.placement(),
        ))
    }

    /// The SQL that reduces the full table this data is an extract of to interval counts, in
    /// the warehouse's dialect: `request` is `{ dialect: "duckDb" | "spark" | "postgreSql" |
    /// "bigQuery" | "trino", table: "contacts", arrivedIsUtc: false, intervalMinutes: 30 }`;
    /// the columns are the data's, as mapped. Throws, saying why, when it cannot be written.
    #[wasm_bindgen(js_name = pushDownSql)]
    pub fn push_down_sql(&self, request: JsValue, terms: JsValue) -> Result<String, JsError> {
        let request: PushDown = from_js_json(&request)
            .map_err(|error| JsError::new(&format!("Push-down request: {error}")))?;
        self.input
            .push_down_sql(&request, &validated_terms(terms)?)
            .map_err(|error| JsError::new(&error.to_string()))
    }

    /// The report under `terms` as indented JSON text: the document `report` returns, to save.
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&mut self, terms: JsValue) -> Result<String, JsError> {
        Ok(self.report_under(terms)?.to_json())
    }

    /// The report under `terms` as CSV: one row per target and period, with the value, goal,
    /// verdict, margin, counts and arithmetic.
    #[wasm_bindgen(js_name = reportCsv)]
    pub fn report_csv(&mut self, terms: JsValue) -> Result<String, JsError> {
        Ok(self.report_under(terms)?.to_csv())
    }

    /// The credits of the report under `terms` as CSV: every amount with its explanation.
    /// Throws when the terms have no money clauses.
    #[wasm_bindgen(js_name = creditsCsv)]
    pub fn credits_csv(&mut self, terms: JsValue) -> Result<String, JsError> {
        self.report_under(terms)?
            .credits
            .map(|credits| credits.to_csv())
            .ok_or_else(|| {
                JsError::new("The terms have no money clauses: add a credit rule to a target.")
            })
    }
}

impl DatasetHandle {
    fn holding(input: Input, counted: Option<CountedFile>) -> DatasetHandle {
        DatasetHandle {
            input,
            memo: ReportMemo::default(),
            profile_memo: ProfileMemo::default(),
            counted,
        }
    }

    /// The report under `terms`, judged again from the last one when only goals or money moved.
    fn report_under(&mut self, terms: JsValue) -> Result<Report, JsError> {
        Ok(self.memo.report(&self.input, &validated_terms(terms)?))
    }
}

/// An input read chunk by chunk — a file streamed with `File.stream()`, never held whole:
/// `new ImportStream(options, file.size, terms)`, `push(chunk)` for each `Uint8Array`, then
/// `finish()` gives the `Dataset`. The layout is decided on the first 8 MB; chunks may be cut
/// anywhere.
#[wasm_bindgen(js_name = ImportStream)]
pub struct ImportStreamHandle {
    /// `None` once finished.
    stream: Option<InputStream>,
    /// Set when the file is too big to hold: its contacts are counted as read.
    counted: Option<CountedFile>,
}

#[wasm_bindgen(js_class = ImportStream)]
impl ImportStreamHandle {
    /// `options` as for `Dataset.fromCsv`; `totalBytes` (optional), the file's size, lets the
    /// core reserve room for its contacts at once — or, past 200 MB, count them as they are
    /// read for `terms` (then required), memory staying bounded: the `Dataset` then serves
    /// the terms its counts carry (`readAgainFor`). Throws when the terms cannot be counted
    /// for (a target reading each contact), saying which.
    #[wasm_bindgen(constructor)]
    pub fn new(
        options: JsValue,
        total_bytes: Option<f64>,
        terms: JsValue,
    ) -> Result<ImportStreamHandle, JsError> {
        let options = import_options(options)?;
        let (stream, counted) = match total_bytes {
            Some(total) => InputStream::within_memory(options, total as u64, || {
                RawTerms::from_json(&terms_json(&terms))?.validate()
            })
            .map_err(|error| JsError::new(&error.to_string()))?,
            None => (InputStream::new(options, None), None),
        };
        Ok(ImportStreamHandle {
            stream: Some(stream),
            counted,
        })
    }

    /// Reads the next chunk. Throws when the start of the input shows nothing is usable.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        self.open()?
            .push(chunk)
            .map_err(|error| JsError::new(&error.to_string()))
    }

    /// Bytes pushed so far.
    #[wasm_bindgen(getter, js_name = bytesRead)]
    pub fn bytes_read(&self) -> f64 {
        self.stream
            .as_ref()
            .map_or(0.0, |stream| stream.bytes_read() as f64)
    }

    /// About where a second worker should begin reading the file's last part (`LastPart`),
    /// while this stream reads up to it — from the next line end on; `undefined` when the file
    /// is not worth sharing (small, counted rather than held, or of unknown size).
    #[wasm_bindgen(getter, js_name = lastPartFrom)]
    pub fn last_part_from(&self) -> Option<f64> {
        let stream = self.stream.as_ref()?;
        stream.last_part_from().map(|from| from as f64)
    }

    /// Takes over the file's last part from the second worker's `LastPart`: its `batches`
    /// (`Uint8Array`s from `takeBatch`), then `last` (from `finish`), once every byte before
    /// the part is pushed. `false` when they cannot be taken — the part began inside a quoted
    /// cell, or they do not read back whole: nothing is taken, and the part's bytes are to be
    /// pushed instead. Nothing is pushed after a part taken: `finish` comes next.
    #[wasm_bindgen(js_name = takeLastPart)]
    pub fn take_last_part(&mut self, batches: Vec<JsValue>, last: &[u8]) -> Result<bool, JsError> {
        // Anything else than bytes reads back as no contacts: their count then fails the check.
        let batches = batches.into_iter().map(|batch| {
            batch
                .dyn_into::<js_sys::Uint8Array>()
                .map(|bytes| bytes.to_vec())
                .unwrap_or_default()
        });
        Ok(self.open()?.take_last_part(batches, last))
    }

    /// Ends the input: the contacts read, as a `Dataset`. The stream cannot be used after.
    pub fn finish(&mut self) -> Result<DatasetHandle, JsError> {
        let stream = self
            .stream
            .take()
            .ok_or_else(|| JsError::new("This import stream is already finished."))?;
        let input = stream
            .finish()
            .map_err(|error| JsError::new(&error.to_string()))?;
        // A summary (an interval report) is held whatever its size: nothing was counted.
        let counted = self
            .counted
            .take()
            .filter(|_| input.quality().shape == crate::input::InputShape::Contacts);
        Ok(DatasetHandle::holding(input, counted))
    }

    fn open(&mut self) -> Result<&mut InputStream, JsError> {
        self.stream
            .as_mut()
            .ok_or_else(|| JsError::new("This import stream is already finished."))
    }
}

/// The last part of a big file, read by a second worker while the page's worker reads the rest
/// (`ImportStream.lastPartFrom`): `LastPart.open(options, prefix)`, `push(chunk)` for each
/// `Uint8Array` from the part's first byte on, posting every `takeBatch()` that comes, then
/// `finish()`; the page's worker hands them to `ImportStream.takeLastPart`.
#[wasm_bindgen(js_name = LastPart)]
pub struct LastPartHandle {
    part: LastPart,
}

#[wasm_bindgen(js_class = LastPart)]
impl LastPartHandle {
    /// A reader of the last part of a file whose first `layoutPrefixBytes()` bytes (all of a
    /// shorter file) are `prefix`, the layout decided from them as the page's worker decides
    /// it, with the same `options`; `undefined` when the file is not to be shared (not a
    /// contact table, no longer than its prefix, or not UTF-8). Throws when nothing in the
    /// file is usable, as the page's worker will say too.
    pub fn open(options: JsValue, prefix: &[u8]) -> Result<Option<LastPartHandle>, JsError> {
        let part = last_part_reader(&import_options(options)?, prefix)
            .map_err(|error| JsError::new(&error.to_string()))?;
        Ok(part.map(|part| LastPartHandle { part }))
    }

    /// Reads the next chunk of the part.
    pub fn push(&mut self, chunk: &[u8]) {
        self.part.push(chunk);
    }

    /// The contacts read so far as bytes, once a batch of them (about a megabyte) is waiting:
    /// each is posted to the page's worker as it comes, so neither worker holds them twice.
    #[wasm_bindgen(js_name = takeBatch)]
    pub fn take_batch(&mut self) -> Option<Vec<u8>> {
        self.part.take_batch()
    }

    /// Ends the part: the last contacts and the account of its rows, as bytes.
    pub fn finish(self) -> Vec<u8> {
        self.part.finish()
    }
}

/// How many of a file's first bytes decide its layout: what `LastPart.open` is given.
#[wasm_bindgen(js_name = layoutPrefixBytes)]
pub fn layout_prefix_bytes() -> u32 {
    PREFIX_BYTES as u32
}

fn import_options(options: JsValue) -> Result<ImportOptions, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(ImportOptions::default());
    }
    from_js_json(&options).map_err(|error| JsError::new(&format!("Import options: {error}")))
}

/// Terms read and validated, or the error naming the field.
fn validated_terms(terms: JsValue) -> Result<crate::terms::Terms, JsError> {
    read_terms(terms)?
        .validate()
        .map_err(|error| JsError::new(&error.to_string()))
}

/// Terms from JSON text or from an object.
fn read_terms(terms: JsValue) -> Result<RawTerms, JsError> {
    RawTerms::from_json(&terms_json(&terms)).map_err(|error| JsError::new(&error.to_string()))
}

/// Terms as JSON text: given as text, or an object stringified.
fn terms_json(terms: &JsValue) -> String {
    terms.as_string().unwrap_or_else(|| stringify(terms))
}

/// An object through `JSON.stringify` and serde_json, not serde-wasm-bindgen: the latter reads
/// only the fields it knows, so `deny_unknown_fields` would never see a misspelt one, and one
/// parser serves text and objects alike.
fn stringify(value: &JsValue) -> String {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|json| json.as_string())
        .unwrap_or_default()
}

fn from_js_json<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, serde_json::Error> {
    serde_json::from_str(&stringify(value))
}

/// A forecast CSV (`start,contacts`, per interval or day) as the terms' `forecast` section, to
/// place in the terms. Throws naming the line that cannot be read.
#[wasm_bindgen(js_name = forecastFromCsv)]
pub fn forecast_from_csv(text: &str) -> Result<JsValue, JsError> {
    let forecast = read_forecast_csv(text).map_err(|error| JsError::new(&error.to_string()))?;
    to_js(&forecast)
}

/// The fields a column can be mapped to, in the order the page lists them:
/// `[{ field: "arrived", label: "arrival (date and time)" }, …]`.
#[wasm_bindgen(js_name = importFields)]
pub fn import_fields() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct FieldChoice {
        field: MappedField,
        label: &'static str,
    }
    let choices: Vec<FieldChoice> = MappedField::ALL
        .iter()
        .map(|&field| FieldChoice {
            field,
            label: field.label(),
        })
        .collect();
    to_js(&choices)
}

/// The metrics the terms editor offers: name, question, definition, unit, direction, a starter
/// target and the options each takes.
#[wasm_bindgen(js_name = metricCatalog)]
pub fn metric_catalog() -> Result<JsValue, JsError> {
    to_js(&catalog::metric_catalog())
}

/// The opening agreement of the page: service level ≥ 80 % in 20 s.
#[wasm_bindgen(js_name = defaultTerms)]
pub fn default_terms() -> Result<JsValue, JsError> {
    to_js(&RawTerms::opening())
}
