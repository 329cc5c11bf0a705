//! The patched corrected workbook (an .xlsx corrected in place): parts that do not change are
//! the input's own bytes; uncorrectable errors are highlighted with a note, in cells that
//! exist or not; formulas without a stored result get the one zpcheck read; what the patch
//! cannot do with certainty is rebuilt instead; macros, which an .xlsx cannot hold, are dropped
//! and named.

use zpcheck_testkit as common;

use std::io::Read as _;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use zpcheck::read::{CellRef, read_path};
use zpcheck::write::{self, Method};
use zpcheck::{Profile, check_path, fix_path};
use zpcheck_testkit::sample;

/// Corrects `input` as `fix` does (read for correcting) into `out`; returns the writer used.
fn fix(input: &Path, out: &Path) -> (zpcheck::Checked, Method) {
    let (checked, fidelity) = fix_path(input, &Profile::default()).unwrap();
    let method = write::write_corrected(&checked, &fidelity, input, out)
        .unwrap()
        .method;
    (checked, method)
}

/// A part as stored: (method, CRC, compressed bytes).
fn stored(path: &Path, name: &str) -> (zip::CompressionMethod, u32, Vec<u8>) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let index = z.index_for_name(name).unwrap();
    let mut f = z.by_index_raw(index).unwrap();
    let mut raw = Vec::new();
    f.read_to_end(&mut raw).unwrap();
    (f.compression(), f.crc32(), raw)
}

fn fill(path: &Path, sheet: &str, a1: &str) -> Option<u32> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let styles = wb.worksheet_style(sheet).unwrap();
    let at = CellRef::parse(a1).unwrap();
    styles
        .get((at.row, at.col))
        .and_then(|s| s.fill.as_ref())
        // A mark's colour is the background under its dot pattern.
        .and_then(|f| f.background_color.or(f.foreground_color))
        .map(|c| c.to_argb() & 0xFFFFFF)
}

#[test]
fn unchanged_parts_are_the_inputs_own_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample("seed_kelamayi_2023.xlsx");
    let out = dir.path().join("out.xlsx");
    assert_eq!(fix(&input, &out).1, Method::Patched);
    for part in [
        "xl/theme/theme1.xml",
        "xl/sharedStrings.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ] {
        assert_eq!(stored(&out, part), stored(&input, part), "{part}");
    }
    // The input's parts keep their order; the new ones follow.
    let names = |p: &Path| {
        let z = zip::ZipArchive::new(std::fs::File::open(p).unwrap()).unwrap();
        z.file_names()
            .map(|n| n.unwrap().into_owned())
            .collect::<Vec<_>>()
    };
    let (before, after) = (names(&input), names(&out));
    assert_eq!(after[..before.len()], before[..]);
    assert_eq!(
        after[before.len()..],
        [
            "xl/comments1.xml",
            "xl/drawings/vmlDrawing1.vml",
            "xl/worksheets/_rels/sheet1.xml.rels",
            "xl/worksheets/sheet2.xml",
            "docProps/custom.xml"
        ]
    );
    // The same input gives the same bytes.
    let out2 = dir.path().join("out2.xlsx");
    fix(&input, &out2);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&out2).unwrap());
}

#[test]
fn uncorrectable_errors_are_highlighted_with_a_note_in_cells_that_exist_or_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut sh = common::national_clean();
    // F17: 95% against a target in 万元 (ZP207); H20: a qualitative score left blank (ZP209).
    sh.set("F17", common::s("95%")).set("H20", common::V::E);
    let (_keep, made) = common::write_temp(&[sh]);
    // The blank H20 is not in the file at all, as many writers leave it.
    let input = dir.path().join("in.xlsx");
    common::rewrite_part(&made, &input, "xl/worksheets/sheet1.xml", |xml| {
        let at = xml.find(r#"<c r="H20""#).unwrap();
        let end = at + xml[at..].find("/>").unwrap() + 2;
        format!("{}{}", &xml[..at], &xml[end..])
    });
    let out = dir.path().join("out.xlsx");
    let (checked, method) = fix(&input, &out);
    assert_eq!(method, Method::Patched);
    assert_eq!(
        common::rows(&checked)
            .into_iter()
            .filter(|r| r.0 == "ZP207" || r.0 == "ZP209")
            .map(|r| (r.0, r.1))
            .collect::<Vec<_>>(),
        vec![("ZP207", "F17".to_string()), ("ZP209", "H20".to_string())]
    );
    let sheet = "项目支出绩效自评表";
    assert_eq!(fill(&out, sheet, "F17"), Some(write::ERROR_FILL));
    assert_eq!(fill(&out, sheet, "H20"), Some(write::ERROR_FILL));
    assert_eq!(fill(&out, sheet, "H19"), None);
    let back = read_path(&out).unwrap();
    assert_eq!(back.sheets[0].text(CellRef::parse("F17").unwrap()), "95%");
    let notes = common::part_of(&out, "xl/comments1.xml").unwrap();
    assert_eq!(notes.matches("zpcheck 发现错误").count(), 2, "{notes}");
    assert!(notes.contains("ZP207 目标与实际单位不可比") && notes.contains("ZP209 得分未填写"));
    assert!(notes.contains(r#"<comment ref="F17""#) && notes.contains(r#"<comment ref="H20""#));
}

#[test]
fn formulas_without_a_stored_result_get_the_one_zpcheck_read() {
    for name in ["placeholder_zero.xlsx", "openpyxl_no_cache.xlsx"] {
        let dir = tempfile::tempdir().unwrap();
        let input = sample(name);
        let out = dir.path().join("out.xlsx");
        let (checked, method) = fix(&input, &out);
        assert_eq!(method, Method::Patched, "{name}");
        let xml = common::part_of(&out, "xl/worksheets/sheet1.xml").unwrap();
        assert!(
            xml.contains("<f>SUM(C7:C9)</f><v>90</v>"),
            "{name}: {}",
            &xml[xml.find("C6").unwrap()..][..120]
        );
        // Read again (zpcheck's own output: its results are trusted), the form is the same.
        let again = check_path(&out, &Profile::default()).unwrap();
        assert_eq!(common::rows(&again), common::rows(&checked), "{name}");
        assert_eq!(
            again.forms[0].report.computed_total,
            checked.forms[0].report.computed_total
        );
        // A viewer that does not recalculate shows the results too.
        let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
        let range = wb.worksheet_range("项目支出绩效自评表").unwrap();
        assert_eq!(range.get_value((5, 2)), Some(&Data::Float(90.0)), "{name}");
    }
}

#[test]
fn a_correction_to_the_first_cell_of_a_shared_formula_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let mut sh = common::national_clean();
    // C6:E6 as one shared formula (Excel writes a row of like formulas so), C6's result wrong.
    sh.set("C6", common::V::F("SUM(C7:C9)".into(), 80.0));
    let (_keep, made) = common::write_temp(&[sh]);
    let input = dir.path().join("shared.xlsx");
    common::rewrite_part(&made, &input, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace(
            "<f>SUM(C7:C9)</f>",
            r#"<f t="shared" ref="C6:E6" si="0">SUM(C7:C9)</f>"#,
        )
        .replace("<f>SUM(D7:D9)</f>", r#"<f t="shared" si="0"/>"#)
        .replace("<f>SUM(E7:E9)</f>", r#"<f t="shared" si="0"/>"#)
    });
    let out = dir.path().join("out.xlsx");
    let (checked, method) = fix(&input, &out);
    assert_eq!(
        common::of_rule(&checked, "ZP101"),
        vec![common::at("C6", "80", "90", true)]
    );
    assert_eq!(method, Method::Rebuilt);
    // The rebuilt workbook has the correction, the other formulas and the input's styles.
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = "项目支出绩效自评表";
    let values = wb.worksheet_range(sheet).unwrap();
    assert_eq!(values.get_value((5, 2)), Some(&Data::Float(90.0)));
    let formulas = wb.worksheet_formula(sheet).unwrap();
    assert_eq!(
        formulas.get_value((5, 3)).map(String::as_str),
        Some("SUM(D7:D9)")
    );
    assert_eq!(fill(&out, sheet, "C6"), Some(write::FIXED_FILL));
    let style = common::looks(&out)
        .style(0, CellRef::parse("D6").unwrap())
        .cloned()
        .unwrap();
    assert_eq!(style.font_name.as_deref(), Some("宋体"));
    assert_eq!(style.borders.map(|b| b.0), [1, 1, 1, 1]);
}

#[test]
fn macros_are_dropped_from_the_xlsx_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (_keep, made) = common::write_temp(&[common::national_errors()]);
    let input = dir.path().join("宏.xlsm");
    common::rewrite_package(
        &made,
        &input,
        |name, data| {
            let text = || String::from_utf8(data.clone()).unwrap();
            Some(match name {
                "[Content_Types].xml" => text()
                    .replace(
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                    )
                    .replace(
                        "</Types>",
                        r#"<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>"#,
                    )
                    .into_bytes(),
                "xl/_rels/workbook.xml.rels" => text()
                    .replace(
                        "</Relationships>",
                        r#"<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>"#,
                    )
                    .into_bytes(),
                _ => data,
            })
        },
        &[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not a real project")],
    );
    let (_, fidelity) = fix_path(&input, &Profile::default()).unwrap();
    assert!(fidelity.not_kept.contains(&"宏"));
    let out = dir.path().join("out.xlsx");
    let (checked, method) = fix(&input, &out);
    assert_eq!(method, Method::Patched);
    let types = common::part_of(&out, "[Content_Types].xml").unwrap();
    assert!(!types.contains("macroEnabled"), "{types}");
    assert!(common::part_of(&out, "xl/vbaProject.bin").is_none());
    let rels = common::part_of(&out, "xl/_rels/workbook.xml.rels").unwrap();
    assert!(!rels.contains("vbaProject"), "{rels}");
    let back = read_path(&out).unwrap();
    let findings = back.sheets.iter().find(|s| s.name == "核查结果").unwrap();
    let rows = checked.findings().count() as u32 + common::findings_header_row(findings);
    assert_eq!(
        findings.text(CellRef::new(rows + 2, 0)),
        "注意：原文件中的宏未保留在更正后的工作簿中，如需要请在原文件中处理。"
    );
    assert!(!check_path(&out, &Profile::default()).unwrap().has_errors());
}

/// The corrected workbook is an ordinary file: as readable as any other file saved there
/// (the temporary file it is written through is the owner's alone until it is renamed).
#[cfg(unix)]
#[test]
fn the_output_has_the_permissions_of_any_saved_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    fix(&sample("seed_kelamayi_2023.xlsx"), &out);
    let reference = dir.path().join("reference.txt");
    std::fs::write(&reference, b"x").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out), mode(&reference));
}

#[test]
fn a_workbook_read_only_for_checking_is_not_written_without_its_look() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample("seed_kelamayi_2023.xlsx");
    let checked = check_path(&input, &Profile::default()).unwrap();
    let out = dir.path().join("out.xlsx");
    let nothing_kept = zpcheck::read::Fidelity::default();
    let err = write::write_corrected(&checked, &nothing_kept, &input, &out).unwrap_err();
    assert_eq!(err.kind(), "write_failed");
    assert!(err.to_string().contains("未保留"), "{err}");
    assert!(!out.exists());
}

#[test]
fn warnings_are_marked_in_the_form_with_a_quieter_fill_and_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let (checked, method) = fix(&sample("national_planted_errors.xlsx"), &out);
    assert_eq!(method, Method::Patched);
    assert_eq!(
        common::of_rule(&checked, "ZP208"),
        vec![common::at("I19", "（空）", "填写扣分原因", false)]
    );
    let sheet = "项目支出绩效自评表";
    // The reason cell to fill in: light blue, beside the yellow of a correction.
    assert_eq!(fill(&out, sheet, "I19"), Some(write::WARNING_FILL));
    assert_eq!(fill(&out, sheet, "H19"), Some(write::FIXED_FILL));
    let notes = common::part_of(&out, "xl/comments1.xml").unwrap();
    assert!(
        notes.contains("zpcheck 提醒（不是算术错误，请核实）"),
        "{notes}"
    );
    assert!(notes.contains("ref=\"I19\""), "{notes}");
}

#[test]
fn plain_writes_a_resubmittable_copy_with_only_the_corrected_values() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "national_planted_errors.xlsx",
        "national_planted_errors.ods",
    ] {
        std::fs::copy(sample(name), dir.path().join(name)).unwrap();
    }
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_zpcheck"))
            .args(args)
            .output()
            .unwrap()
    };
    let folder = dir.path().to_str().unwrap();
    let o = run(&["--plain", folder]);
    assert_eq!(o.status.code(), Some(1));
    let sheet = "项目支出绩效自评表";
    for (out, method) in [
        // One stem, two formats: each named with its input's extension.
        ("national_planted_errors.ods_更正.xlsx", "rebuilt"),
        ("national_planted_errors.xlsx_更正.xlsx", "patched"),
    ] {
        let out = dir.path().join(out);
        // Only the submission's sheet: no 核查结果, no notes, no fills.
        let wb: Xlsx<_> = open_workbook(&out).unwrap();
        assert_eq!(wb.sheet_names(), vec![sheet.to_string()], "{method}");
        assert!(
            common::part_of(&out, "xl/comments1.xml").is_none(),
            "{method}"
        );
        assert_eq!(fill(&out, sheet, "H19"), None, "{method}");
        assert_eq!(fill(&out, sheet, "I19"), None, "{method}");
        // The corrected values are there: checking the copy finds no error.
        let again = check_path(&out, &Profile::default()).unwrap();
        assert!(!again.has_errors(), "{method}: {:?}", common::rows(&again));
        assert_eq!(
            common::of_rule(&again, "ZP208"),
            vec![common::at("I19", "（空）", "填写扣分原因", false)],
            "{method}: the warning is still there for the department to act on"
        );
    }
    // A later run replaces its own plain copies (no "(3)"), and checks them as the submissions
    // they are: never passed over (issue 24), they hold no error. Checking the folder checks
    // them too; the marked workbooks, sealed and made from inputs of the same folder, are
    // passed over.
    let o = run(&["--plain", folder]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        !dir.path()
            .join("national_planted_errors_更正(3).xlsx")
            .exists()
    );
    let o = run(&["check", "--format", "json", folder]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = doc["files"].as_array().unwrap();
    let copies: Vec<&serde_json::Value> = files
        .iter()
        .filter(|f| f["path"].as_str().unwrap().contains("_更正"))
        .collect();
    assert!(copies.len() >= 2, "{doc}");
    for c in copies {
        assert_ne!(c["status"], "findings", "{c}");
    }
    let skipped = doc["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .all(|s| s["reason"] == "zpcheck 已更正过的工作簿"),
        "{doc}"
    );
    assert!(!skipped.is_empty(), "{doc}");
}
