//! The round trip: `fix` each sample, read the corrected workbook back with calamine, assert
//! the corrected cells' values, marks and notes, that every other cell is unchanged, that
//! formulas survive with their results cached, that checking it again finds no error and that
//! correcting it again changes no cell.

use zpcheck_testkit as common;

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use zpcheck::{Profile, check_path, fix_path, write};
use zpcheck_testkit::sample;

type Cells = BTreeMap<(String, u32, u32), Data>;

fn cells(path: &Path) -> Cells {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = BTreeMap::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            out.insert((name.clone(), r0 + r as u32, c0 + c as u32), v.clone());
        }
    }
    out
}

fn fix(input: &Path, out: &Path) -> zpcheck::Checked {
    let (checked, fidelity) = fix_path(input, &Profile::default()).unwrap();
    write::write_corrected(&checked, &fidelity, input, out).unwrap();
    checked
}

fn pos(a1: &str) -> (u32, u32) {
    let r = zpcheck::read::CellRef::parse(a1).unwrap();
    (r.row, r.col)
}

fn zip_text(path: &Path, prefix: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().unwrap().starts_with(prefix) {
            f.read_to_string(&mut text).unwrap();
        }
    }
    text
}

/// Runs the whole round trip on one sample and returns (input cells, output cells, output path).
fn round_trip(name: &str, corrected: &[(&str, f64)]) -> (Cells, Cells, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let input = sample(name);
    let out = dir.path().join("out.xlsx");
    let checked = fix(&input, &out);
    let sheet = checked.forms[0].form.sheet.clone();
    let before = cells(&input);
    let after = cells(&out);

    // Corrected cells carry the new value.
    for (a1, v) in corrected {
        let (r, c) = pos(a1);
        assert_eq!(
            after.get(&(sheet.clone(), r, c)),
            Some(&Data::Float(*v)),
            "{name} {a1}"
        );
    }
    // Every other cell of the form's sheet is unchanged.
    let fixed: Vec<(u32, u32)> = corrected.iter().map(|(a1, _)| pos(a1)).collect();
    for (key, v) in &before {
        if !fixed.contains(&(key.1, key.2)) {
            assert_eq!(after.get(key), Some(v), "{name} {key:?}");
        }
    }
    // The 核查结果 sheet lists every finding.
    let findings: Vec<&zpcheck::Finding> = checked.findings().collect();
    let top = (0..64)
        .find(|r| {
            after
                .get(&("核查结果".to_string(), *r, 0))
                .map(|d| d.to_string())
                == Some("序号".to_string())
        })
        .expect("a header row");
    let header: Vec<String> = (0..9)
        .map(|c| {
            after
                .get(&("核查结果".to_string(), top, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(header, write::FINDINGS_HEADER.to_vec());
    for (i, f) in findings.iter().enumerate() {
        let row = top + i as u32 + 1;
        let get = |c: u32| {
            after
                .get(&("核查结果".to_string(), row, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        assert_eq!(get(1), f.sheet);
        assert_eq!(get(2), f.cell.to_string());
        assert!(get(3).starts_with(f.rule), "{}", get(3));
        assert_eq!(get(5), f.found);
        assert_eq!(get(6), f.expected);
        assert_eq!(get(8), if f.fixed() { "是" } else { "否" });
    }

    // Checking the corrected workbook finds no error; correcting it again changes no cell.
    let again = check_path(&out, &Profile::default()).unwrap();
    let errors: Vec<_> = again
        .findings()
        .filter(|f| f.severity == zpcheck::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
    assert!(again.findings().all(|f| !f.fixed()), "{name}");
    let out2 = dir.path().join("out2.xlsx");
    fix(&out, &out2);
    let strip = |c: &Cells| -> Cells {
        c.iter()
            .filter(|(k, _)| k.0 != "核查结果")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    assert_eq!(
        strip(&cells(&out2)),
        strip(&after),
        "{name}: second fix changed cells"
    );
    (before, after, dir)
}

#[test]
fn seed_round_trip() {
    let (_, _, dir) = round_trip("seed_kelamayi_2023.xlsx", &[("H15", 10.0), ("H18", 20.0)]);
    let out = dir.path().join("out.xlsx");
    // Corrected cells are highlighted; others are not.
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let styles = wb.worksheet_style("部门整体支出绩效自评表").unwrap();
    let fill = |a1: &str| {
        styles
            .get(pos(a1))
            .and_then(|s| s.fill.as_ref())
            // A mark's colour is the background under its dot pattern.
            .and_then(|f| f.background_color.or(f.foreground_color))
            .map(|c| c.to_argb() & 0xFFFFFF)
    };
    assert_eq!(fill("H15"), Some(write::FIXED_FILL));
    assert_eq!(fill("H18"), Some(write::FIXED_FILL));
    assert_eq!(fill("H14"), None);
    // Each corrected cell has a note with the original value and the rule.
    let notes = zip_text(&out, "xl/comments");
    assert_eq!(notes.matches("zpcheck 已更正").count(), 2, "{notes}");
    assert!(
        notes.contains("原值：20") && notes.contains("ZP201"),
        "{notes}"
    );
    assert!(
        notes.contains("原值：10") && notes.contains("ZP202"),
        "{notes}"
    );
    // Merged ranges survive.
    let merges = wb
        .merge_cells_by_sheet_name("部门整体支出绩效自评表")
        .unwrap();
    assert!(
        merges
            .iter()
            .any(|d| d.start == (13, 0) && d.end == (17, 0)),
        "{merges:?}"
    );
}

#[test]
fn national_errors_round_trip() {
    round_trip(
        "national_planted_errors.xlsx",
        &[
            ("C6", 90.0),
            ("D6", 89.974),
            ("E6", 89.974),
            ("G6", 100.0),
            ("H6", 10.0),
            ("H16", 20.0),
            ("H19", 7.27),
            ("H22", 94.27),
        ],
    );
}

#[test]
fn clean_round_trips_keep_formulas_and_percent_formats() {
    round_trip("dept_clean.xlsx", &[]);
    let (_, after, dir) = round_trip("national_clean.xlsx", &[]);
    let out = dir.path().join("out.xlsx");
    let sheet = "项目支出绩效自评表".to_string();
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let formulas = wb.worksheet_formula(&sheet).unwrap();
    let (r, c) = pos("C6");
    assert_eq!(
        formulas.get_value((r, c)).map(String::as_str),
        Some("SUM(C7:C9)")
    );
    // The formula's result is cached, so viewers that do not recalculate show it.
    assert_eq!(after.get(&(sheet.clone(), r, c)), Some(&Data::Float(90.0)));
    let styles = wb.worksheet_style(&sheet).unwrap();
    let fmt = styles
        .get(pos("G6"))
        .and_then(|s| s.number_format.as_ref())
        .map(|n| n.format_code.clone());
    assert_eq!(fmt.as_deref(), Some("0.00%"));
}

#[test]
fn rate_fix_in_a_percent_cell_stays_a_percentage() {
    let mut sh = common::national_clean();
    sh.set("G6", common::V::P(0.95));
    let (dir, input) = common::write_temp(&[sh]);
    let out = dir.path().join("out.xlsx");
    fix(&input, &out);
    let after = cells(&out);
    let (r, c) = pos("G6");
    assert_eq!(
        after.get(&("项目支出绩效自评表".to_string(), r, c)),
        Some(&Data::Float(1.0))
    );
    let again = check_path(&out, &Profile::default()).unwrap();
    assert_eq!(common::rows(&again), vec![]);
}

#[test]
fn blank_derived_cells_are_filled() {
    let mut sh = common::national_clean();
    sh.set("G6", common::V::E)
        .set("H6", common::V::E)
        .set("H22", common::V::E);
    let (dir, input) = common::write_temp(&[sh]);
    let out = dir.path().join("out.xlsx");
    fix(&input, &out);
    let after = cells(&out);
    let get = |a1: &str| {
        after
            .get(&("项目支出绩效自评表".to_string(), pos(a1).0, pos(a1).1))
            .cloned()
    };
    assert_eq!(get("G6"), Some(Data::Float(1.0)));
    assert_eq!(get("H6"), Some(Data::Float(10.0)));
    assert_eq!(get("H22"), Some(Data::Float(97.0)));
}

#[test]
fn a_corrected_formula_cell_is_replaced_and_its_formula_noted() {
    let mut sh = common::national_clean();
    // A total formula that misses one part: SUM over C7:C8 only, cached 90 while parts add to 95.
    sh.set("C9", common::n(5.0))
        .set("C6", common::V::F("SUM(C7:C8)".into(), 90.0));
    let (dir, input) = common::write_temp(&[sh]);
    let out = dir.path().join("out.xlsx");
    let checked = fix(&input, &out);
    assert_eq!(
        common::of_rule(&checked, "ZP101"),
        vec![common::at("C6", "90", "95", true)]
    );
    let after = cells(&out);
    assert_eq!(
        after.get(&("项目支出绩效自评表".to_string(), 5, 2)),
        Some(&Data::Float(95.0))
    );
    let notes = zip_text(&out, "xl/comments");
    assert!(notes.contains("原公式：=SUM(C7:C8)"), "{notes}");
}

#[test]
fn sheet_names_an_xlsx_cannot_hold_are_replaced_and_said_so() {
    // An .ods sheet may be named what an .xlsx sheet may not (long, with [ ] : * ? / \): the
    // rebuilt workbook used to fail with rust_xlsxwriter's English message.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("长名.ods");
    let long = "项目支出绩效自评表[2023]:第一批/重点项目*专项资金?附表\\其他";
    common::rewrite_part(
        &sample("national_planted_errors.ods"),
        &input,
        "content.xml",
        |xml| {
            xml.replace(
                "table:name=\"项目支出绩效自评表\"",
                &format!("table:name=\"{long}\""),
            )
        },
    );
    let out = dir.path().join("更正.xlsx");
    let checked = fix(&input, &out);
    assert_eq!(checked.forms.len(), 1);
    let fixed = cells(&out);
    let names: std::collections::BTreeSet<&str> = fixed.keys().map(|k| k.0.as_str()).collect();
    let short = "项目支出绩效自评表_2023__第一批_重点项目_专项资金_附";
    assert_eq!(short.encode_utf16().count(), 31);
    assert_eq!(names, [short, "核查结果"].into_iter().collect());
    // The 核查结果 sheet says so, below the findings.
    let note = fixed
        .iter()
        .filter(|(k, _)| k.0 == "核查结果" && k.2 == 0)
        .filter_map(|(_, v)| match v {
            Data::String(s) if s.starts_with("注意") => Some(s.clone()),
            _ => None,
        })
        .next()
        .expect("a note");
    assert!(note.contains(&format!("“{long}”改名为“{short}”")), "{note}");
    // The corrections are in the renamed sheet.
    let at = |a1: &str| {
        fixed
            .get(&(short.to_string(), pos(a1).0, pos(a1).1))
            .cloned()
    };
    assert_eq!(at("H6"), Some(Data::Float(10.0)));
    assert_eq!(at("H22"), Some(Data::Float(94.27)));
    assert!(check_path(&out, &Profile::default()).is_ok_and(|c| !c.has_errors()));
}

#[test]
fn a_submissions_own_sheet_named_like_the_findings_sheet_is_kept() {
    // The submission names its form sheet 核查结果: the findings go to 核查结果(2), in the
    // patched workbook and again on a second pass (where the old 核查结果(2) is replaced).
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("同名.xlsx");
    common::rewrite_part(
        &sample("national_planted_errors.xlsx"),
        &input,
        "xl/workbook.xml",
        |xml| xml.replace("name=\"项目支出绩效自评表\"", "name=\"核查结果\""),
    );
    let out = dir.path().join("更正.xlsx");
    let checked = fix(&input, &out);
    assert!(checked.has_errors());
    let names = |p: &Path| -> Vec<String> {
        let wb: Xlsx<_> = open_workbook(p).unwrap();
        wb.sheet_names()
    };
    assert_eq!(names(&out), ["核查结果", "核查结果(2)"]);
    let again = check_path(&out, &Profile::default()).unwrap();
    assert_eq!(
        again.forms.len(),
        1,
        "the findings sheet is not read as a form"
    );
    assert!(!again.has_errors());
    let twice = dir.path().join("再次.xlsx");
    fix(&out, &twice);
    assert_eq!(names(&twice), ["核查结果", "核查结果(2)"]);
}

#[test]
fn correcting_a_corrected_workbook_again_reuses_its_styles() {
    // Each pass used to add its highlight fills, findings fonts and formats again: styles.xml
    // grew by some 700 bytes a pass. Now the styles stop growing at once, and from the second
    // pass on the output is the same, byte for byte.
    let dir = tempfile::tempdir().unwrap();
    let mut input = sample("national_planted_errors.xlsx");
    let mut outputs = Vec::new();
    for pass in 1..=4 {
        let out = dir.path().join(format!("第{pass}遍.xlsx"));
        fix(&input, &out);
        outputs.push((
            std::fs::read(&out).unwrap(),
            zip_text(&out, "xl/styles.xml"),
        ));
        input = out;
    }
    let styles: Vec<usize> = outputs.iter().map(|(_, s)| s.len()).collect();
    assert!(styles.iter().all(|n| *n == styles[0]), "{styles:?}");
    assert!(outputs[1].0 == outputs[2].0 && outputs[2].0 == outputs[3].0);
    // The corrections and the warning left (I19's missing reason) are still marked: each
    // highlight fill is there once.
    assert_eq!(
        outputs[3].1.matches("<bgColor rgb=\"FFFFEB9C\"/>").count(),
        1
    );
    assert_eq!(
        outputs[3].1.matches("<bgColor rgb=\"FFDDEBF7\"/>").count(),
        1
    );
}
