//! Trust (issue 23): a correction is written only from inputs zpcheck trusts. A finding that
//! puts its cells in doubt (weights against 100, a group over its points, a blank or unreadable
//! number, a wrong figure left as it is) keeps every correction computed from them out of the
//! form; a 总分 wrong only because a score above it was corrected is one error, not two; a form
//! never scored gets one finding and no 总分; a number stored as text becomes that number; a
//! correction a reviewer accepted is applied nowhere.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use zpcheck::read::CellRef;
use zpcheck::{Checked, FixValue, Profile};
use zpcheck_testkit::*;

/// The findings of a spec as (rule, cell, found, expected, fixed), and the checked workbook.
fn checked(spec: &SheetSpec) -> Checked {
    check_spec(spec)
}

/// The first form's (computed 总分, computed_total_min, grade), as decimal strings.
fn totals(c: &Checked) -> (Option<String>, Option<String>, Option<&'static str>) {
    let r = &c.forms[0].report;
    (
        r.computed_total.map(|d| d.normalize().to_string()),
        r.computed_total_min.map(|d| d.normalize().to_string()),
        r.computed_grade,
    )
}

fn message<'a>(c: &'a Checked, rule: &str, cell: &str) -> &'a str {
    c.findings()
        .find(|f| f.rule == rule && f.cell.to_string() == cell)
        .map(|f| f.message.as_str())
        .unwrap_or_default()
}

#[test]
fn a_weight_typed_as_200_writes_no_score_and_no_total() {
    // 数据有效率's weight is 20; typed as 200. Its score 20 is right for 20.
    let mut sh = national_clean();
    sh.set("G16", n(200.0));
    let c = checked(&sh);
    assert_eq!(
        rows(&c),
        vec![
            // Under a weight of 200 the score would be 200: said, not written.
            row("ZP202", "H16", "20", "200（若输入无误）", false),
            row("ZP303", "B13", "产出指标（50分）", "50", false),
            row("ZP301", "G22", "280", "100", false),
            row("ZP302", "G22", "100", "280", false),
        ]
    );
    assert!(
        message(&c, "ZP202", "H16").ends_with(
            "；但其计算所依据的 G16 本身有问题（见该处），若这些输入无误应为 200，未更正"
        ),
        "{}",
        message(&c, "ZP202", "H16")
    );
    // No 总分 and no grade are stated: a score it adds is in doubt.
    assert_eq!(totals(&c), (None, None, None));
    assert_eq!(c.findings().filter(|f| f.fixed()).count(), 0);
    // The rule table says which rules put their cells in doubt.
    let doubting: Vec<&str> = zpcheck::rules::RULES
        .iter()
        .filter(|r| r.doubts)
        .map(|r| r.code)
        .collect();
    assert_eq!(
        doubting,
        [
            "ZP002", "ZP004", "ZP101", "ZP102", "ZP104", "ZP105", "ZP201", "ZP202", "ZP203",
            "ZP207", "ZP209", "ZP211", "ZP301", "ZP302", "ZP303", "ZP304", "ZP305", "ZP306"
        ]
    );
}

#[test]
fn the_hubei_sample_does_not_raise_its_total_with_scores_over_their_points() {
    let c = check(&sample("hubei_no_weight_column.xlsx"));
    assert_eq!(
        rows(&c),
        vec![
            row("ZP306", "B10", "满意度指标（10分）", "≤ 10", false),
            row("ZP304", "B11", "98", "99.6（若输入无误）", false),
        ]
    );
    assert_eq!(totals(&c), (None, None, None));
}

fn check(path: &Path) -> Checked {
    zpcheck::check_path(path, &Profile::default()).unwrap()
}

/// national_clean with every indicator score and 总分 blank.
fn never_scored() -> SheetSpec {
    let mut sh = national_clean();
    for r in 13..=22 {
        sh.set(&format!("H{r}"), V::E);
    }
    sh
}

#[test]
fn a_form_never_scored_gets_one_finding_and_no_total_but_its_funding_is_still_corrected() {
    let mut sh = never_scored();
    // The funding block still has a total never summed.
    sh.set("D6", n(0.0));
    let c = checked(&sh);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP101", "D6", "0", "89.974", true),
            row("ZP211", "H22", "（空）", "自评得分", false),
        ]
    );
    assert_eq!(
        message(&c, "ZP211", "H22"),
        "H22 指标块 9 个指标的得分和总分全部空白：本表未进行自评打分；不核算、不写入得分、总分和等级"
    );
    assert_eq!(totals(&c), (None, None, None));
    // The grade cell B23 says 优 but nothing is graded; the JSON says null.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("未打分.xlsx");
    write_xlsx(&input, &[sh]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .args(["check", "--format", "json"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let form = &doc["files"][0]["forms"][0];
    assert_eq!(form["computed_total"], serde_json::Value::Null);
    assert_eq!(form["computed_grade"], serde_json::Value::Null);
    assert!(form.get("computed_total_min").is_none(), "{form}");
}

#[test]
fn a_form_partly_scored_reports_each_blank_by_why_and_gives_the_total_at_least() {
    let mut sh = national_clean();
    // 数据有效率: actual and score blank (quantitative, actual missing); 监测体系运行机制:
    // qualitative, score blank.
    sh.set("F16", V::E).set("H16", V::E).set("H20", V::E);
    let c = checked(&sh);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP209", "H16", "（空）", "0–20", false),
            row("ZP209", "H20", "（空）", "0–10", false),
        ]
    );
    assert_eq!(
        message(&c, "ZP209", "H16"),
        "H16「数据有效率」得分未填写（实际值未填写，无法计算）"
    );
    assert_eq!(
        message(&c, "ZP209", "H20"),
        "H20「监测体系运行机制」得分未填写（定性指标，无法自动计算）"
    );
    // 10 (execution) + 10 + 10 + 5 + 5 + 10 + 10 + 10 = 70 at least; no 总分, no grade.
    assert_eq!(totals(&c), (None, Some("70".into()), None));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("部分打分.xlsx");
    write_xlsx(&input, &[sh]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .args(["check", "--format", "json"])
        .arg(&input)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let form = &doc["files"][0]["forms"][0];
    assert_eq!(form["computed_total"], serde_json::Value::Null);
    assert_eq!(form["computed_total_min"], "70");
    let text = std::process::Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .arg(&input)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("申报总分 97，核算总分 无法计算（得分未填全，已填得分合计至少 70）"),
        "{text}"
    );
}

#[test]
fn a_total_wrong_only_because_a_score_was_corrected_follows_it_and_counts_once() {
    // 监测报告份数 met its target (12 of ≥12) but got 0 of 10; the form's 总分 87 and grade 良
    // agree with its own scores.
    let mut sh = national_clean();
    sh.set("H14", n(0.0))
        .set("H22", n(87.0))
        .set("B23", s("良"));
    let c = checked(&sh);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP202", "H14", "0", "10", true),
            row("ZP304", "H22", "87", "97", true),
            row("ZP305", "B23", "良", "优", true),
        ]
    );
    let follows: Vec<(String, Option<String>)> = c
        .findings()
        .map(|f| (f.cell.to_string(), f.follows.map(|c| c.to_string())))
        .collect();
    assert_eq!(
        follows,
        vec![
            ("H14".into(), None),
            ("H22".into(), Some("H14".into())),
            ("B23".into(), Some("H22".into())),
        ]
    );
    // One error, not three.
    let summary = zpcheck::report::FormSummary::of(&c.forms[0]);
    assert_eq!(
        (summary.errors, summary.warnings, summary.fixable),
        (1, 0, 3)
    );
    // A 总分 that did not add up on its own is an error of its own.
    sh.set("H22", n(80.0));
    let c = checked(&sh);
    assert_eq!(c.findings().filter(|f| f.follows.is_some()).count(), 0);
    let summary = zpcheck::report::FormSummary::of(&c.forms[0]);
    assert_eq!(summary.errors, 3);
}

#[test]
fn a_number_stored_as_text_under_a_sum_becomes_the_number_and_the_sum_stays_a_formula() {
    let mut sh = national_clean();
    // 年初预算数: "1,080" as text; Excel's SUM skips it, so C6 shows 10.
    sh.set("C7", s("1,080"))
        .set("C6", V::F("SUM(C7:C9)".into(), 10.0));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("文本数字.xlsx");
    write_xlsx(&input, &[sh]);
    let out = dir.path().join("出.xlsx");
    let (c, _) = fix_to(&input, &out);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP001", "C7", "1,080", "1080", true),
            row("ZP101", "C6", "10", "1090", true),
        ]
    );
    let kept = c
        .findings()
        .find(|f| f.rule == "ZP101")
        .and_then(|f| match &f.fix {
            Some(FixValue::Number { formula, .. }) => formula.clone(),
            _ => None,
        })
        .map(|k| (k.text, k.result.to_string(), k.replaced));
    assert_eq!(kept, Some(("SUM(C7:C9)".into(), "1090".into(), None)));
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let name = wb.sheet_names()[0].clone();
    let values = wb.worksheet_range(&name).unwrap();
    let formulas = wb.worksheet_formula(&name).unwrap();
    let at = |a1: &str| {
        let r = CellRef::parse(a1).unwrap();
        (
            formulas
                .get_value((r.row, r.col))
                .cloned()
                .unwrap_or_default(),
            values.get_value((r.row, r.col)).cloned(),
        )
    };
    assert_eq!(at("C7"), (String::new(), Some(Data::Float(1080.0))));
    assert_eq!(at("C6"), ("SUM(C7:C9)".into(), Some(Data::Float(1090.0))));
    // Checked again, the corrected workbook is clean.
    assert_eq!(rows(&check(&out)), vec![]);
}

#[test]
fn a_correction_a_reviewer_accepted_is_not_counted_in_the_total() {
    // 监测报告份数 got 8 of 10 with its target met; the form's 总分 97 counts 10 there.
    let mut sh = national_clean();
    sh.set("H14", n(8.0));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("基线.xlsx");
    write_xlsx(&input, &[sh]);
    let mut c = check(&input);
    assert_eq!(rows(&c), vec![row("ZP202", "H14", "8", "10", true)]);
    assert_eq!(totals(&c).0.as_deref(), Some("97"));
    // A reviewer accepts the 8: the computed 总分 uses it (95), and the stated 97 is wrong;
    // the 2 points lost now need a reason.
    let baseline = zpcheck::baseline::Baseline::parse("ZP202 项目支出绩效自评表!H14\n").unwrap();
    let gone = c.suppress(&baseline, &input, &Profile::default());
    assert_eq!(gone, 1);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP208", "I14", "无", "偏差原因及改进措施", false),
            row("ZP304", "H22", "97", "95", true),
        ]
    );
    assert_eq!(totals(&c), (Some("95".into()), None, Some("优")));
}

/// A weight or score cell of a spec made absurd: ×10, blank, or text.
fn absurd(v: &V, how: usize) -> Option<V> {
    match how {
        0 => match v {
            V::N(x) | V::F(_, x) if *x != 0.0 => Some(V::N(x * 10.0)),
            _ => None,
        },
        1 => Some(V::E),
        _ => Some(s("待定")),
    }
}

#[test]
fn no_correction_is_written_from_a_weight_or_score_made_absurd() {
    // Every weight and score cell of each form, made absurd one at a time: no correction is
    // written whose inputs include that cell, unless zpcheck corrected that cell itself (its
    // own value is then the input, not the absurd one).
    let bases = [national_clean(), seed(), dept_clean(), templates::xianjie()];
    let mut cases = 0;
    for base in bases {
        let c = checked(&base);
        let form = &c.forms[0].form;
        let mut cells: Vec<CellRef> = Vec::new();
        if let Some(f) = &form.funding {
            cells.extend(f.total.weight.iter().map(|w| w.cell));
            cells.extend(f.total.score.iter().map(|w| w.cell));
        }
        for i in &form.indicators {
            cells.extend(i.weight.iter().map(|w| w.cell));
            cells.push(i.score.cell);
        }
        for cell in cells {
            let a1 = cell.to_string();
            for how in 0..3 {
                let Some(v) = absurd(&base.get(&a1), how) else {
                    continue;
                };
                let mut sh = base.clone();
                sh.set(&a1, v.clone());
                let c = checked(&sh);
                cases += 1;
                let own = c.findings().any(|f| f.fixed() && f.cell == cell);
                for f in c.findings().filter(|f| f.fixed()) {
                    assert!(
                        own || !f.inputs.contains(&cell),
                        "{} {a1} = {v:?}: {} {} corrected from it: {}",
                        base.name,
                        f.rule,
                        f.cell,
                        f.message
                    );
                }
            }
        }
    }
    assert!(cases > 100, "{cases}");
}
