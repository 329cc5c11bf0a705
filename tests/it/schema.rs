//! The JSON report against its published description, `schema/report.schema.json`: every
//! sample checked and corrected (with a file that cannot be read and one zpcheck wrote itself
//! in the folder), as one document and as JSON Lines.

use std::path::PathBuf;

use serde_json::Value;

use crate::cmd::{p, run, stdout};

fn validator() -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new(), "{what}");
}

#[test]
fn every_sample_report_matches_the_published_schema() {
    let v = validator();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("表");
    std::fs::create_dir(&folder).unwrap();
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut count = 0;
    for entry in std::fs::read_dir(&samples).unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ["xlsx", "xlsm", "xls", "ods"].contains(&ext) {
            std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
            count += 1;
        }
    }
    assert!(count >= 27, "{count} samples");
    std::fs::write(folder.join("坏.xlsx"), b"not a workbook").unwrap();
    // fix first: its corrected workbooks in the folder are then passed over ("skipped").
    let fix = run(&[
        "fix",
        "--format",
        "json",
        "--out-dir",
        p(&folder),
        p(&folder),
    ]);
    let doc: Value = serde_json::from_slice(&fix.stdout).unwrap();
    assert_valid(&v, &doc, "fix");
    assert_eq!(doc["files"].as_array().unwrap().len(), count + 1);
    let check = run(&["check", "--format", "json", p(&folder)]);
    let doc: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_valid(&v, &doc, "check");
    assert!(!doc["skipped"].as_array().unwrap().is_empty());
    // JSON Lines: each line is a file object of the document.
    let lines = run(&["check", "--format", "jsonl", p(&folder)]);
    for line in stdout(&lines).lines() {
        let file: Value = serde_json::from_str(line).unwrap();
        assert_valid(&v, &serde_json::json!({ "files": [file] }), line);
    }
    // The schema does catch a document that strays from it.
    let mut wrong = doc.clone();
    wrong["files"][0]["status"] = "fine".into();
    assert!(!v.is_valid(&wrong));
}

#[test]
fn the_schema_lists_every_fallback_code_and_no_other() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let file = &schema["$defs"]["file"]["properties"];
    let listed: Vec<String> = ["reader_fallback", "writer_fallback"]
        .iter()
        .flat_map(|k| file[k]["enum"].as_array().unwrap().clone())
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, zpcheck::fallback::all_codes());
    assert_eq!(listed.len(), 28);
    assert!(listed.contains(&"decline:char-ref".to_string()));
    assert!(listed.contains(&"rebuild:xls-input".to_string()));
}
