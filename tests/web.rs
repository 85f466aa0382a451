//! The wasm API's JavaScript shape, checked in headless Chromium: plain objects (not Maps),
//! `null` (not `undefined`) for "no data", numbers, and thrown `Error`s that carry the core's
//! message; and what the core does differently in wasm (its SIMD line cutting) giving what it
//! gives natively. Run by `cargo test --target wasm32-unknown-unknown --test web` (see
//! scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect};
use slacalc::wasm::{default_terms, DatasetHandle};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const THREE_MONTHS: &str = include_str!("data/foundation/three-months.csv");

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).expect("a readable property")
}

fn error_message(error: wasm_bindgen::JsError) -> String {
    let value: JsValue = error.into();
    String::from(
        value
            .dyn_into::<js_sys::Error>()
            .expect("an Error")
            .message(),
    )
}

#[wasm_bindgen_test]
fn the_report_is_plain_objects_and_arrays_with_numbers() {
    let mut dataset = DatasetHandle::from_csv(THREE_MONTHS, JsValue::UNDEFINED, None).unwrap();
    assert_eq!(dataset.contact_count(), 13.0);
    let report = dataset.report(default_terms().unwrap()).unwrap();
    // A plain object, as JSON would give, not a Map: its prototype is Object.prototype.
    assert!(!report.is_instance_of::<js_sys::Map>());
    let plain_prototype = JsValue::from(Object::get_prototype_of(&Object::new()));
    assert_eq!(
        JsValue::from(Object::get_prototype_of(&report)),
        plain_prototype
    );
    let periods = get(&report, "periods");
    assert!(Array::is_array(&periods));
    let january = Array::from(&periods).get(0);
    assert_eq!(
        get(&january, "period").as_string().as_deref(),
        Some("2026-01")
    );
    assert_eq!(get(&january, "offered").as_f64(), Some(5.0));
    let first_result = Array::from(&get(
        &Array::from(&get(&report, "targets")).get(0),
        "results",
    ))
    .get(0);
    assert_eq!(get(&first_result, "actual").as_f64(), Some(60.0));
    assert_eq!(
        get(&first_result, "status").as_string().as_deref(),
        Some("missed")
    );
    assert!(get(&first_result, "notJudgedBecause").is_null());
    assert!(get(&first_result, "intervals").is_null());
    // A ratio metric gives what it divides as a plain object of numbers: 3 of 5 in January.
    let ratio = get(&first_result, "ratio");
    assert_eq!(
        (get(&ratio, "part").as_f64(), get(&ratio, "whole").as_f64()),
        (Some(3.0), Some(5.0))
    );
}

#[wasm_bindgen_test]
fn no_data_is_null_not_undefined_nor_zero() {
    let mut dataset = DatasetHandle::from_csv(
        "arrived,wait,outcome\n2026-05-01 10:00:00,30,abandoned\n",
        JsValue::UNDEFINED,
        None,
    )
    .unwrap();
    let report = dataset.report(default_terms().unwrap()).unwrap();
    let may = Array::from(&get(&report, "periods")).get(0);
    assert!(get(&may, "asaSecs").is_null());
    assert_eq!(get(&may, "abandonmentRate").as_f64(), Some(100.0));
}

#[wasm_bindgen_test]
fn unusable_input_throws_an_error_with_the_core_message() {
    let empty = DatasetHandle::from_csv("", JsValue::UNDEFINED, None)
        .err()
        .expect("empty input is refused");
    assert!(error_message(empty).starts_with("The data is empty"));
    let header_only = DatasetHandle::from_csv("arrived,wait,outcome\n", JsValue::UNDEFINED, None)
        .err()
        .unwrap();
    assert!(error_message(header_only).starts_with("Only a header row"));
}

#[wasm_bindgen_test]
fn invalid_terms_throw_naming_the_field() {
    let mut dataset = DatasetHandle::from_csv(THREE_MONTHS, JsValue::UNDEFINED, None).unwrap();
    let terms = js_sys::JSON::parse(
        r#"{"targets":[{"metric":"serviceLevel","goal":130,"thresholdSecs":20}]}"#,
    )
    .unwrap();
    let error = dataset
        .report(terms)
        .expect_err("a goal of 130 % is refused");
    assert_eq!(
        error_message(error),
        "Terms: targets[0].goal: 130 is not a percentage from 0 to 100"
    );
    // An object with a misspelt field is refused like JSON text is, naming the target.
    let typo =
        js_sys::JSON::parse(r#"{"targets":[{"metric":"asa","goal":20,"goals":1}]}"#).unwrap();
    assert!(error_message(dataset.report(typo).unwrap_err())
        .starts_with("Terms: targets[0]: unknown field `goals`"));
    let text = JsValue::from_str(r#"{"targets":[{"metric":"asa","goal":20,"goals":1}]}"#);
    assert!(error_message(dataset.report(text).unwrap_err())
        .starts_with("Terms: targets[0]: unknown field `goals`"));
}

#[wasm_bindgen_test]
fn a_file_in_utf16_with_a_chosen_mapping_is_read() {
    // Excel's "Unicode text": UTF-16 little-endian with its mark, tab-separated.
    let text = "Start\tRing\tQueue Time\tStatus\n2026-05-01 10:00\t3\t30\tanswered\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let options = js_sys::JSON::parse(r#"{"mapping":{"wait":"Ring"}}"#).unwrap();
    let dataset = DatasetHandle::from_bytes(&bytes, options, None).unwrap();
    let quality = dataset.quality().unwrap();
    assert_eq!(
        get(&quality, "encoding").as_string().as_deref(),
        Some("utf16Le")
    );
    let columns = Array::from(&get(&quality, "columns"));
    let ring = columns.get(1);
    assert_eq!(get(&ring, "field").as_string().as_deref(), Some("wait"));
    assert_eq!(
        get(&ring, "confidence").as_string().as_deref(),
        Some("chosen")
    );
    let typo = js_sys::JSON::parse(r#"{"maping":{}}"#).unwrap();
    let refused = DatasetHandle::from_bytes(&bytes, typo, None)
        .err()
        .expect("an unknown option is refused");
    assert!(error_message(refused).starts_with("Import options: unknown field `maping`"));
}

#[wasm_bindgen_test]
fn progress_reaches_a_javascript_function_as_plain_numbers() {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let calls: Rc<RefCell<Vec<(JsValue, JsValue)>>> = Rc::default();
    let heard = calls.clone();
    let listener = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |done, total| {
        heard.borrow_mut().push((done, total));
    });
    let callback: &js_sys::Function = listener.as_ref().unchecked_ref();
    DatasetHandle::from_csv(THREE_MONTHS, JsValue::UNDEFINED, Some(callback.clone())).unwrap();
    let calls = calls.borrow();
    // A small file: only the final report, all of it read.
    assert_eq!(calls.len(), 1);
    let (done, total) = &calls[0];
    assert_eq!(done.as_f64(), Some(THREE_MONTHS.len() as f64));
    assert_eq!(total.as_f64(), done.as_f64(), "numbers, not BigInts");
}

/// The line cutting that wasm does with its SIMD instructions (natively a `u64` at a time) gives
/// the csv crate's records: delimiters and quotes at every place of a 16-byte block, across
/// blocks, and in the last bytes of a line.
#[wasm_bindgen_test]
fn lines_are_cut_in_wasm_as_the_csv_crate_reads_them() {
    let mut text = String::new();
    for plain in 0..20 {
        for quoted in 0..20 {
            let (x, y) = ("x".repeat(plain), "y".repeat(quoted));
            text += &format!("{x},\"{y}\",{y};{x}\n\"{x}\"\"\",{y}\n");
        }
    }
    let mut cut = Vec::new();
    let mut splitter = slacalc::records::RecordSplitter::new(b',');
    let mut keep = |record: &slacalc::records::Record| {
        cut.push(record.iter().map(str::to_owned).collect::<Vec<_>>())
    };
    splitter.push(text.as_bytes(), &mut keep);
    splitter.finish(&mut keep);
    let read: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| {
            record
                .expect("a record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    assert_eq!(cut.len(), 800);
    assert_eq!(cut, read);
}
