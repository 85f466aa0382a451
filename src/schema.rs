//! The JSON Schema of the report document (`www/report.schema.json`), generated from the types
//! that serialize it, so the file a script validates against is the document the page exports
//! and the command line prints.

use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

use crate::report::{Report, REPORT_VERSION};

/// The report's schema (JSON Schema 2020-12), as indented text ending in a newline.
pub fn report_schema() -> String {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<Report>().to_value();
    if let Value::Object(root) = &mut schema {
        root.insert("$id".into(), json!("report.schema.json"));
        root.insert(
            "title".into(),
            json!(format!("slacalc report, version {REPORT_VERSION}")),
        );
        root.insert(
            "description".into(),
            json!("What slacalc computed for one dataset under one set of terms: the import's quality, each period's queue figures, every target's verdict per period with its arithmetic, the credits, and the wait distribution. Formulas are defined in DOMAIN.md; money is exact decimal text."),
        );
        // A reader must be able to refuse a document of another version.
        root["properties"]["version"] = json!({
            "const": REPORT_VERSION,
            "description": "The document's version; raised when a field changes meaning or goes away."
        });
    }
    // The schema is plain JSON values: writing it cannot fail.
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
