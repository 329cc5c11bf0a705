//! The two formats government systems' "导出Excel" write besides a real workbook: an HTML table
//! saved as `.xls` and SpreadsheetML 2003 (`.xls` or `.xml`). Each is told by its content, read
//! as a spreadsheet program reads it, checked like any workbook (the same findings as the same
//! form in an .xlsx), and corrected as a rebuilt .xlsx that says what it could not keep.

use std::path::Path;

use serde_json::Value;
use zpcheck::Profile;
use zpcheck_testkit::{self as kit, rows};

fn check_bytes(name: &str, bytes: &[u8]) -> zpcheck::Checked {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    zpcheck::check_path(&path, &Profile::default()).unwrap()
}

#[test]
fn an_html_export_gives_the_findings_of_the_same_form_as_a_workbook() {
    let spec = kit::national_errors();
    let xlsx = kit::check_spec(&spec);
    assert!(!rows(&xlsx).is_empty());
    for gbk in [true, false] {
        let bytes = kit::html_of(&spec, gbk);
        assert_eq!(std::str::from_utf8(&bytes).is_err(), gbk);
        let html = check_bytes("导出.xls", &bytes);
        assert_eq!(html.workbook.kind, zpcheck::read::FileKind::Html);
        assert_eq!(html.workbook.read_by.reader, "html");
        // Numbers held as text ("95.86%", "1,080.5") are numbers: no ZP001 for them.
        assert_eq!(rows(&html), rows(&xlsx), "gbk: {gbk}");
    }
}

#[test]
fn a_spreadsheetml_export_gives_the_findings_of_the_same_form_as_a_workbook() {
    let spec = kit::national_errors();
    let xlsx = kit::check_spec(&spec);
    for name in ["导出.xls", "导出.xml"] {
        let xml = check_bytes(name, &kit::spreadsheetml_of(&spec));
        assert_eq!(xml.workbook.kind, zpcheck::read::FileKind::SpreadsheetMl);
        assert_eq!(rows(&xml), rows(&xlsx), "{name}");
    }
}

fn run(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn an_export_is_corrected_as_a_rebuilt_workbook_that_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let spec = kit::national_errors();
    for (name, bytes, reader, why) in [
        (
            "表.xls",
            kit::html_of(&spec, true),
            "html",
            "rebuild:html-input",
        ),
        (
            "表.xml",
            kit::spreadsheetml_of(&spec),
            "spreadsheetml",
            "rebuild:spreadsheetml-input",
        ),
    ] {
        let input = dir.path().join(name);
        std::fs::write(&input, &bytes).unwrap();
        let out = dir.path().join(format!("{name}.xlsx"));
        let o = run(&[
            "fix".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{o:?}");
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        let file = &doc["files"][0];
        assert_eq!(file["reader"], reader, "{doc}");
        assert_eq!(
            (&file["writer"], &file["writer_fallback"]),
            (&Value::from("rebuild"), &Value::from(why))
        );
        // The input is untouched; the corrected workbook checks without the errors corrected.
        assert_eq!(std::fs::read(&input).unwrap(), bytes);
        let fixed = zpcheck::check_path(&out, &Profile::default()).unwrap();
        assert!(fixed.findings().all(|f| !f.fixed()), "{:?}", rows(&fixed));
        // The 核查结果 heading names what the rebuilt workbook could not keep.
        let sheet = fixed
            .workbook
            .sheets
            .iter()
            .find(|s| s.name == "核查结果")
            .unwrap();
        let said: Vec<String> = sheet
            .cells
            .values()
            .filter_map(|c| match &c.value {
                zpcheck::grid::CellValue::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        assert!(
            said.iter()
                .any(|t| t.contains("字体、对齐、边框和列宽（已按统一样式重画）")),
            "{said:?}"
        );
    }
}

#[test]
fn a_folder_walk_takes_xml_files_only_when_they_are_spreadsheetml() {
    let dir = tempfile::tempdir().unwrap();
    let spec = kit::national_clean();
    std::fs::write(dir.path().join("a.xml"), kit::spreadsheetml_of(&spec)).unwrap();
    std::fs::write(dir.path().join("b.xml"), "<?xml version=\"1.0\"?><config/>").unwrap();
    std::fs::write(dir.path().join("c.xls"), kit::html_of(&spec, true)).unwrap();
    let o = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        dir.path().as_os_str(),
    ]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<String> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            Path::new(f["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, vec!["a.xml", "c.xls"], "{doc}");
    assert!(
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] == "clean"),
        "{doc}"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("b.xml"), "{err}");
    assert_eq!(o.status.code(), Some(0), "{err}");
}
