//! Corrections keep formulas (issue 15): a formula that gives the corrected value once the other
//! corrections are in stays, with its new result cached; a sum that adds the wrong cells is
//! repaired and named by ZP004; anything else becomes the corrected value, and the note says
//! so. Each case is written both ways (patched and rebuilt) and read back with calamine.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use zpcheck::read::CellRef;
use zpcheck::write::{self, Method};
use zpcheck::{Checked, FixValue, FormulaFix, Profile};
use zpcheck_testkit::*;

/// Writes `spec`, checks it, and corrects it both ways; the checked form and the two outputs.
fn corrected(spec: SheetSpec) -> (tempfile::TempDir, Checked, [PathBuf; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("表.xlsx");
    write_xlsx(&input, &[spec]);
    let (checked, fidelity) = zpcheck::fix_path(&input, &Profile::default()).unwrap();
    let patched = dir.path().join("patched.xlsx");
    let by = write::write_corrected(&checked, &fidelity, &input, &patched).unwrap();
    assert_eq!(by.method, Method::Patched);
    let rebuilt = dir.path().join("rebuilt.xlsx");
    std::fs::write(
        &rebuilt,
        write::rebuild::workbook(&checked, &fidelity).unwrap(),
    )
    .unwrap();
    (dir, checked, [patched, rebuilt])
}

/// A cell of the first sheet as calamine reads it: (formula without "=", cached value).
fn cell(path: &Path, a1: &str) -> (String, Data) {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let name = wb.sheet_names()[0].clone();
    let r = CellRef::parse(a1).unwrap();
    let formulas = wb.worksheet_formula(&name).unwrap();
    let values = wb.worksheet_range(&name).unwrap();
    (
        formulas
            .get_value((r.row, r.col))
            .cloned()
            .unwrap_or_default(),
        values
            .get_value((r.row, r.col))
            .cloned()
            .unwrap_or(Data::Empty),
    )
}

/// The text of every comment part of a package.
fn notes(path: &Path) -> String {
    let mut out = String::new();
    for i in 1..4 {
        if let Some(t) = part_of(path, &format!("xl/comments{i}.xml")) {
            out.push_str(&t);
        }
    }
    out
}

fn formula_of(c: &Checked, rule: &str, a1: &str) -> Option<FormulaFix> {
    c.findings()
        .find(|f| f.rule == rule && f.cell.to_string() == a1)
        .and_then(|f| match &f.fix {
            Some(FixValue::Number { formula, .. }) => formula.clone(),
            _ => None,
        })
}

#[test]
fn a_sum_that_leaves_out_a_part_is_repaired_and_named() {
    let mut spec = national_clean();
    // C6 = SUM(C7:C8) leaves out 其他资金 C9, which holds 5.
    spec.set("C6", V::F("SUM(C7:C8)".into(), 90.0))
        .set("C9", n(5.0));
    let (_dir, c, outs) = corrected(spec);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP101", "C6", "90", "95", true),
            row("ZP004", "C6", "=SUM(C7:C8)", "=SUM(C7:C9)", true),
        ]
    );
    let zp004 = c.findings().find(|f| f.rule == "ZP004").unwrap();
    assert_eq!(
        zp004.message,
        "C6 公式 =SUM(C7:C8) 漏掉了 C9，应为 =SUM(C7:C9)"
    );
    assert_eq!(
        formula_of(&c, "ZP101", "C6").map(|f| (f.text, f.result.to_string(), f.replaced)),
        Some(("SUM(C7:C9)".into(), "95".into(), Some("SUM(C7:C8)".into())))
    );
    for out in &outs {
        assert_eq!(cell(out, "C6"), ("SUM(C7:C9)".into(), Data::Float(95.0)));
        // Untouched formulas stay as they were.
        assert_eq!(cell(out, "D6").0, "SUM(D7:D9)");
        let n = notes(out);
        assert!(n.contains("原公式：=SUM(C7:C8)"), "{n}");
        assert!(n.contains("公式改为：=SUM(C7:C9)"), "{n}");
        // Checked again, the corrected workbook is clean.
        let again = zpcheck::check_path(out, &Profile::default()).unwrap();
        assert_eq!(rows(&again), vec![], "{out:?}");
    }
}

#[test]
fn a_total_formula_over_a_corrected_score_is_kept_with_its_new_result() {
    let mut spec = national_clean();
    // 监测报告份数 met its target but got 8 of 10; 总分 H22 = H6+SUM(H13:H21) cached 95.
    spec.set("H14", n(8.0))
        .set("H22", V::F("H6+SUM(H13:H21)".into(), 95.0));
    let (_dir, c, outs) = corrected(spec);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP202", "H14", "8", "10", true),
            row("ZP304", "H22", "95", "97", true),
        ]
    );
    assert_eq!(
        formula_of(&c, "ZP304", "H22").map(|f| (f.text, f.result.to_string(), f.replaced)),
        Some(("H6+SUM(H13:H21)".into(), "97".into(), None))
    );
    for out in &outs {
        assert_eq!(
            cell(out, "H22"),
            ("H6+SUM(H13:H21)".into(), Data::Float(97.0))
        );
        assert_eq!(cell(out, "H14"), (String::new(), Data::Float(10.0)));
        let n = notes(out);
        assert!(
            n.contains("公式保留：=H6+SUM(H13:H21)（按更正后的数值重算）"),
            "{n}"
        );
    }
}

#[test]
fn a_rounded_total_that_leaves_out_a_row_keeps_its_round() {
    let mut spec = national_clean();
    // The 满意度 row H21 (10) is left out: 87 instead of 97.
    spec.set("H22", V::F("ROUND(H6+SUM(H13:H20),2)".into(), 87.0));
    let (_dir, c, outs) = corrected(spec);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP304", "H22", "87", "97", true),
            row(
                "ZP004",
                "H22",
                "=ROUND(H6+SUM(H13:H20),2)",
                "=ROUND(SUM(H6,H13:H21),2)",
                true
            ),
        ]
    );
    for out in &outs {
        assert_eq!(
            cell(out, "H22"),
            ("ROUND(SUM(H6,H13:H21),2)".into(), Data::Float(97.0))
        );
    }
}

#[test]
fn a_formula_that_cannot_give_the_correction_becomes_the_value_and_the_note_says_so() {
    let mut spec = national_clean();
    // The execution score is computed with a made-up factor: 9 instead of 10.
    spec.set("H6", V::F("F6*0.9".into(), 9.0))
        .set("H22", V::F("H6+SUM(H13:H21)".into(), 96.0));
    let (_dir, c, outs) = corrected(spec);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP104", "H6", "9", "10", true),
            row("ZP304", "H22", "96", "97", true),
        ]
    );
    assert_eq!(formula_of(&c, "ZP104", "H6"), None);
    // 总分's formula gives 97 once H6 is corrected: it stays.
    assert_eq!(
        formula_of(&c, "ZP304", "H22").map(|f| f.text),
        Some("H6+SUM(H13:H21)".into())
    );
    for out in &outs {
        assert_eq!(cell(out, "H6"), (String::new(), Data::Float(10.0)));
        assert_eq!(
            cell(out, "H22"),
            ("H6+SUM(H13:H21)".into(), Data::Float(97.0))
        );
        let n = notes(out);
        assert!(
            n.contains("原公式：=F6*0.9") && n.contains("此更正无法用公式表达，已改为数值"),
            "{n}"
        );
    }
}

#[test]
fn a_kept_formula_is_in_the_json_report() {
    let mut spec = national_clean();
    spec.set("C6", V::F("SUM(C7:C8)".into(), 90.0))
        .set("C9", n(5.0));
    let (_dir, path) = write_temp(&[spec]);
    let o = crate::cmd::run(&["check", "--format", "json", crate::cmd::p(&path)]);
    assert_eq!(o.status.code(), Some(1));
    let out: serde_json::Value = serde_json::from_str(&crate::cmd::stdout(&o)).unwrap();
    let findings = &out["files"][0]["findings"];
    assert_eq!(findings[0]["rule"], "ZP101");
    assert_eq!(findings[0]["formula"], "=SUM(C7:C9)");
    assert_eq!(findings[1]["rule"], "ZP004");
    assert_eq!(findings[1]["found"], "=SUM(C7:C8)");
    assert_eq!(findings[1]["formula"], "=SUM(C7:C9)");
}
