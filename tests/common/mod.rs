//! What several integration tests share.

/// Compares `value` with the golden JSON document at `path`, which the wasm build is checked
/// against too (`tests/node/native-agreement.test.mjs`). `SLACALC_UPDATE_GOLDEN=1` rewrites it.
pub fn assert_golden(value: &impl serde::Serialize, path: &str) {
    let value = serde_json::to_value(value).unwrap();
    if std::env::var_os("SLACALC_UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&value).unwrap() + "\n";
        std::fs::write(path, text).unwrap();
    }
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        value, golden,
        "{path} (SLACALC_UPDATE_GOLDEN=1 rewrites it)"
    );
}
