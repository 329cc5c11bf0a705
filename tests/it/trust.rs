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
            "ZP207", "ZP209", "ZP211", "ZP301", "ZP302", "ZP303", "ZP304", "ZP305", "ZP306",
            "ZP311", "ZP312", "ZP313", "ZP314", "ZP315"
        ]
    );
}

#[test]
fn the_hubei_sample_does_not_raise_its_total_with_scores_over_their_points() {
    let c = check(&sample("hubei_no_weight_column.xlsx"));
    assert_eq!(
        rows(&c),
        vec![
            row("ZP306", "B10", "得分合计 12", "≤ 10", false),
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
            row("ZP208", "I14", "无", "填写扣分原因", false),
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
    // written whose inputs include that cell, unless zpcheck corrected that cell itself with a
    // value the rules determine (its own value is then the input, not the absurd one; a
    // nearest bound, 需复核, is no such value).
    let bases = [
        national_clean(),
        seed(),
        dept_clean(),
        templates::xianjie(),
        templates::hubei(),
        templates::yunnan(),
        templates::anhui_dept(),
        templates::section_rows(),
    ];
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
                // Determined: a safe rule's value, or ZP201's when computed by rules 5/6 from
                // the target and actual (its inputs then hold more than the weight).
                let own = c.findings().any(|f| {
                    f.fixed()
                        && f.cell == cell
                        && zpcheck::rules::rule(f.rule).is_some_and(|r| {
                            r.fix == zpcheck::rules::FixSafety::Safe
                                || (r.code == "ZP201" && f.inputs.len() > 1)
                        })
                });
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

/// national_clean with a funding block of one part: 全年预算数 `full`, 全年执行数 `exec`, the
/// execution score `score` (weight 10), and `rate` in G6.
fn rate_form(full: f64, exec: f64, score: V, rate: V) -> SheetSpec {
    let mut sh = national_clean();
    sh.set("D7", n(full))
        .set("D8", n(0.0))
        .set("D9", n(0.0))
        .set("D6", V::F("SUM(D7:D9)".into(), full))
        .set("E7", n(exec))
        .set("E8", n(0.0))
        .set("E9", n(0.0))
        .set("E6", V::F("SUM(E7:E9)".into(), exec))
        .set("H6", score)
        .set("G6", rate);
    sh
}

/// The findings at the rate cell G6 (the 总分 of these forms is not theirs to match).
/// The rate findings at G6 (the low rate's reason warning, ZP404, is the platform tests').
fn g6(c: &Checked) -> Vec<(&'static str, String, String, String, bool)> {
    rows(c)
        .into_iter()
        .filter(|r| r.1 == "G6" && r.0 != "ZP404")
        .collect()
}

/// The rate findings (ZP102, ZP003) of 94 ÷ 650 = 14.4615…% with `rate` in G6 (score 1.45 of 10).
fn rate_rows(rate: V) -> Vec<(&'static str, String, String, String, bool)> {
    g6(&checked(&rate_form(650.0, 94.0, n(1.45), rate)))
}

#[test]
fn a_rate_held_as_a_fraction_is_judged_and_corrected_as_a_fraction_at_its_precision() {
    // One decimal: 0.1 is 10%, and 14.46% is 10% at tens: right as shown (a warning at most).
    let c = checked(&rate_form(650.0, 94.0, n(1.45), nf(0.1, "0.0")));
    assert_eq!(g6(&c), vec![row("ZP003", "G6", "0.1", "14.46%", false)]);
    assert_eq!(
        message(&c, "ZP003", "G6"),
        "G6「年度资金总额」执行率写作 0.1（小数写法，即 10%，所示精度为百分数的十位），在其所示精度下正确；按规则应保留两位小数：14.46%"
    );
    // Three decimals: 0.145 is 14.5% (right as shown); 0.144 is wrong and becomes 0.145.
    assert_eq!(
        rate_rows(nf(0.145, "0.000")),
        vec![row("ZP003", "G6", "0.145", "14.46%", false)]
    );
    assert_eq!(
        rate_rows(nf(0.144, "0.000")),
        vec![row("ZP102", "G6", "0.144", "0.145", true)]
    );
    // Four decimals: 0.1446 is right; 0.1445 becomes 0.1446.
    assert_eq!(rate_rows(nf(0.1446, "0.0000")), vec![]);
    assert_eq!(
        rate_rows(nf(0.1445, "0.0000")),
        vec![row("ZP102", "G6", "0.1445", "0.1446", true)]
    );
    // A General cell claims two decimals of the percent: 0.1446 right, 0.14 and 0.1445 wrong.
    assert_eq!(rate_rows(n(0.1446)), vec![]);
    assert_eq!(
        rate_rows(n(0.14)),
        vec![row("ZP102", "G6", "0.14", "0.1446", true)]
    );
    let c = checked(&rate_form(650.0, 94.0, n(1.45), n(0.1445)));
    assert_eq!(
        message(&c, "ZP102", "G6"),
        "G6「年度资金总额」执行率为 0.1445，按 94 ÷ 650 × 100% 应为 14.46%；本格以小数表示执行率（0.1445 即 14.45%），按其所示的 常规格式（百分数 2 位小数） 应写作 0.1446"
    );
    // The case: 0.958 in a 0.000 cell for 0.9586 is wrong there (0.959).
    let c = checked(&rate_form(1000.0, 958.6, n(9.59), nf(0.958, "0.000")));
    assert_eq!(g6(&c), vec![row("ZP102", "G6", "0.958", "0.959", true)]);
    assert!(
        message(&c, "ZP102", "G6").ends_with("按其所示的 3 位小数 应写作 0.959"),
        "{}",
        message(&c, "ZP102", "G6")
    );
    // Zero decimals: 1 in a "0" cell is 100%, right as shown for 96%.
    assert_eq!(
        g6(&checked(&rate_form(100.0, 96.0, n(9.6), nf(1.0, "0")))),
        vec![row("ZP003", "G6", "1", "96%", false)]
    );
}

#[test]
fn a_fraction_correction_is_written_as_a_fraction_with_the_cell_format_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("小数执行率.xlsx");
    write_xlsx(
        &input,
        &[rate_form(1000.0, 958.6, n(9.59), nf(0.958, "0.000"))],
    );
    let out = dir.path().join("出.xlsx");
    let (c, _) = fix_to(&input, &out);
    assert_eq!(g6(&c), vec![row("ZP102", "G6", "0.958", "0.959", true)]);
    let wb = zpcheck::read::read_path(&out).unwrap();
    let cell = wb.sheets[0].get(CellRef::parse("G6").unwrap()).unwrap();
    assert_eq!(cell.value, zpcheck::read::CellValue::Number(0.959));
    assert_eq!(cell.num_fmt.as_deref(), Some("0.000"));
    // Checked again: right at its precision, a warning only.
    assert_eq!(
        g6(&check(&out)),
        vec![row("ZP003", "G6", "0.959", "95.86%", false)]
    );
}

#[test]
fn a_rate_held_as_a_percent_number_stays_a_percent_number() {
    assert_eq!(rate_rows(n(14.46)), vec![]);
    assert_eq!(
        rate_rows(n(14.4)),
        vec![row("ZP102", "G6", "14.4", "14.46%", true)]
    );
    assert_eq!(
        rate_rows(nf(14.5, "0.0")),
        vec![row("ZP003", "G6", "14.5", "14.46%", false)]
    );
    // The header says percent: 0.5 is 0.5%, wrong, and becomes 14.46 (not 0.1446).
    let mut sh = rate_form(650.0, 94.0, n(1.45), n(0.5));
    sh.set("G5", s("执行率(%)"));
    let c = checked(&sh);
    assert_eq!(g6(&c), vec![row("ZP102", "G6", "0.5", "14.46%", true)]);
    let fix = c.findings().next().and_then(|f| f.fix.clone());
    assert_eq!(
        fix,
        Some(FixValue::Number {
            value: rust_decimal::Decimal::new(1446, 2),
            percent_format: false,
            formula: None
        })
    );
}

#[test]
fn a_rate_two_readings_allow_is_decided_by_the_score_or_left_alone() {
    // 5 ÷ 1000 = 0.5%: 0.6 is 60% as a fraction or 0.6% as a percent number, wrong either way.
    // The score 0.05 = 10 × 0.5% says the form reads percents: corrected to 0.5.
    assert_eq!(
        g6(&checked(&rate_form(1000.0, 5.0, n(0.05), n(0.6)))),
        vec![row("ZP102", "G6", "0.6", "0.5%", true)]
    );
    // With no score to tell, nothing is written and both readings are named.
    let c = checked(&rate_form(1000.0, 5.0, s("待定"), n(0.6)));
    let zp102: Vec<_> = c.findings().filter(|f| f.rule == "ZP102").collect();
    assert_eq!(zp102.len(), 1);
    assert!(!zp102[0].fixed());
    assert_eq!(
        zp102[0].message,
        "G6「年度资金总额」执行率为 0.6，按 5 ÷ 1000 × 100% 应为 0.5%；无法确定本格是小数（应写作 0.005）还是百分数（应写作 0.5），未更正，请核实"
    );
}

fn zpcheck_cli(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .args(args)
        .output()
        .unwrap()
}

/// An officer opens a zpcheck output and saves it with an edit of their own (the 核查结果
/// sheet's first sheet XML gets one more character): the custom properties, marker
/// included, are kept, as Excel keeps them.
fn edit_as_an_officer(path: &Path) {
    let edited = path.with_extension("edited");
    rewrite_part(path, &edited, "xl/worksheets/sheet1.xml", |x| {
        x.replacen("</sheetData>", "<row r=\"99\"><c r=\"A99\" t=\"inlineStr\"><is><t>已与单位核对</t></is></c></row></sheetData>", 1)
    });
    std::fs::rename(&edited, path).unwrap();
    assert!(!zpcheck::write::written_by_zpcheck(path));
}

#[test]
fn an_output_a_person_edited_is_never_replaced_but_one_still_as_written_is() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("表.xlsx");
    std::fs::copy(sample("national_planted_errors.xlsx"), &input).unwrap();
    let marked = dir.path().join("表_核查.xlsx");
    let plain = dir.path().join("表_更正.xlsx");
    // --plain writes the clean copy beside the marked one.
    let o = zpcheck_cli(&["--plain".as_ref(), input.as_os_str()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(zpcheck::write::written_by_zpcheck(&marked));
    assert!(zpcheck::write::written_by_zpcheck(&plain));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(&format!(
            "输出：{}，干净副本：{}",
            marked.display(),
            plain.display()
        )),
        "{out}"
    );
    // The seal names the input and its digest.
    let sealed = std::fs::read(&marked).unwrap();
    let input_digest = zpcheck::write::seal::file_digest(&std::fs::read(&input).unwrap());
    assert_eq!(
        zpcheck::write::seal::recorded_source(&sealed),
        Some(("表.xlsx".to_string(), input_digest))
    );
    // Run again, untouched: both replaced in place, nothing beside them.
    let o = zpcheck_cli(&["--plain".as_ref(), input.as_os_str()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!dir.path().join("表_核查(2).xlsx").exists());
    assert!(!dir.path().join("表_更正(2).xlsx").exists());
    // Both edited by the officer: the next run writes "(2)" beside each and says so.
    edit_as_an_officer(&marked);
    edit_as_an_officer(&plain);
    let (marked_before, plain_before) = (
        std::fs::read(&marked).unwrap(),
        std::fs::read(&plain).unwrap(),
    );
    let o = zpcheck_cli(&["--plain".as_ref(), input.as_os_str()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    for (base, moved) in [("表_核查", "表_核查(2)"), ("表_更正", "表_更正(2)")] {
        assert!(
            err.contains(&format!(
                "{} 已存在，且不是 zpcheck 写出后未经改动的文件（可能是自己的文件，或有人改过后保存），不会替换；更正结果写到 {}",
                dir.path().join(format!("{base}.xlsx")).display(),
                dir.path().join(format!("{moved}.xlsx")).display()
            )),
            "{err}"
        );
        assert!(zpcheck::write::written_by_zpcheck(
            &dir.path().join(format!("{moved}.xlsx"))
        ));
    }
    assert_eq!(std::fs::read(&marked).unwrap(), marked_before);
    assert_eq!(std::fs::read(&plain).unwrap(), plain_before);
    // -o onto an edited output: written beside it.
    let target = dir.path().join("交审计.xlsx");
    let o = zpcheck_cli(&[
        "fix".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        target.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    edit_as_an_officer(&target);
    let before = std::fs::read(&target).unwrap();
    let o = zpcheck_cli(&[
        "fix".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        target.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&target).unwrap(), before);
    assert!(zpcheck::write::written_by_zpcheck(
        &dir.path().join("交审计(2).xlsx")
    ));
    // --summary: replaced while untouched, written beside once edited.
    let summary = dir.path().join("汇总.xlsx");
    for _ in 0..2 {
        let o = zpcheck_cli(&[
            "check".as_ref(),
            input.as_os_str(),
            "--summary".as_ref(),
            summary.as_os_str(),
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert!(!dir.path().join("汇总(2).xlsx").exists());
    }
    edit_as_an_officer(&summary);
    let before = std::fs::read(&summary).unwrap();
    let o = zpcheck_cli(&[
        "check".as_ref(),
        input.as_os_str(),
        "--summary".as_ref(),
        summary.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("不会替换；汇总表写到"),
    );
    assert_eq!(std::fs::read(&summary).unwrap(), before);
    assert!(zpcheck::write::written_by_zpcheck(
        &dir.path().join("汇总(2).xlsx")
    ));
}

#[test]
fn a_number_not_compared_is_said_as_info_and_changes_nothing_else() {
    let mut sh = national_clean();
    // 监测报告份数: "力争15份" — a word zpcheck does not know before the number.
    // 监测站点数量: "最低20个" and "完成20个" are read (≥ 20, 20) and compared as usual.
    sh.set("E14", s("力争12份"))
        .set("E13", s("最低20个"))
        .set("F13", s("完成20个"));
    let c = checked(&sh);
    assert_eq!(
        rows(&c),
        vec![row("ZP010", "E14", "力争12份", "可比较的数值", false)]
    );
    assert_eq!(
        message(&c, "ZP010", "E14"),
        "E14「监测报告份数」指标值“力争12份”中的数字前后有 zpcheck 不认识的文字，读不出可比较的数值，得分未按规则核算"
    );
    // Not counted: the form is clean, its 总分 and grade stand.
    let summary = zpcheck::report::FormSummary::of(&c.forms[0]);
    assert_eq!((summary.errors, summary.warnings), (0, 0));
    assert_eq!(totals(&c), (Some("97".into()), None, Some("优")));
    // Corrected: exit 0 even with --fail-on warning; the JSON lists it as info; 核查结果
    // lists it; the form carries no mark or note there.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("提示.xlsx");
    write_xlsx(&input, &[sh]);
    let out = dir.path().join("出.xlsx");
    let o = zpcheck_cli(&[
        "fix".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--fail-on".as_ref(),
        "warning".as_ref(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = &doc["files"][0];
    assert_eq!(file["status"], "clean");
    assert_eq!(file["findings"][0]["severity"], "info");
    assert_eq!(file["findings"][0]["cell"], "E14");
    let wb = zpcheck::read::read_path(&out).unwrap();
    let findings = wb.sheets.iter().find(|s| s.name == "核查结果").unwrap();
    let header = findings_header_row(findings);
    let first: Vec<String> = (0..9)
        .map(|c| findings.text(CellRef::new(header + 1, c)).to_string())
        .collect();
    assert_eq!(
        first[1..6],
        [
            "项目支出绩效自评表",
            "E14",
            "ZP010 数值未参与核对",
            "提示",
            "力争12份"
        ]
        .map(String::from)
    );
    assert!(part_of(&out, "xl/comments1.xml").is_none_or(|n| !n.contains("ref=\"E14\"")));
    // The text report says it, with its own word, and still counts no error or warning.
    let o = zpcheck_cli(&["check".as_ref(), input.as_os_str()]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("项目支出绩效自评表!E14  ZP010  提示：E14「监测报告份数」"),
        "{text}"
    );
    assert!(text.contains("错误 0 个，警告 0 个"), "{text}");
}

/// `zpcheck explain` of a spec, as text.
fn explain_text(spec: &SheetSpec) -> String {
    let (_dir, path) = write_temp(std::slice::from_ref(spec));
    let wb = zpcheck::read::read_path(&path).unwrap();
    let e = zpcheck::explain::explain(&wb, &Profile::default());
    zpcheck::explain::text("表.xlsx", &e)
}

#[test]
fn explain_says_how_the_rate_is_held_what_was_not_compared_and_a_form_never_scored() {
    let text = explain_text(&never_scored());
    assert!(
        text.contains(
            "    得分：各指标得分和总分全部空白——本表未进行自评打分（ZP211）：不核算、不写入得分、总分和等级\n"
        ),
        "{text}"
    );
    let text = explain_text(&rate_form(1000.0, 958.6, n(9.59), nf(0.958, "0.000")));
    assert!(
        text.contains(
            "    执行率写法：G6 以小数表示（0.958 即 95.8%；显示 3 位小数，即百分数的 1 位小数；依据：执行率得分 = 分值 × 执行率）\n"
        ),
        "{text}"
    );
    let mut sh = rate_form(650.0, 94.0, n(1.45), n(14.4));
    sh.set("E14", s("力争12份"));
    let text = explain_text(&sh);
    assert!(
        text.contains("    执行率写法：G6 以百分数表示（14.4 即 14.4%；常规格式，按百分数的 2 位小数；依据：执行率得分 = 分值 × 执行率）\n"),
        "{text}"
    );
    assert!(
        text.contains("        数值未比较（ZP010 提示）：E14 指标值“力争12份”中的数字前后有 zpcheck 不认识的文字，读不出可比较的数值\n"),
        "{text}"
    );
    assert!(!text.contains("未进行自评打分"), "{text}");
}

/// Hubei's template with no points on the 一级 labels: only "年度绩效目标（80分）" says what
/// the indicators are worth, and no indicator has a weight.
fn block_points_only() -> SheetSpec {
    let mut sh = templates::hubei();
    sh.set("B6", s("产出指标"))
        .set("B9", s("效益指标"))
        .set("B10", s("满意度指标"))
        .set("G10", n(10.0));
    sh
}

#[test]
fn scores_without_weights_anywhere_still_check_the_total_and_the_blocks_cap() {
    let c = checked(&block_points_only());
    assert!(c.forms[0].form.complete());
    // 18 (execution) + 20 + 19.6 + 20 + 10 + 10 = 97.6, not 98.
    assert_eq!(rows(&c), vec![row("ZP304", "B11", "98", "97.6", true)]);
    assert_eq!(totals(&c), (Some("97.6".into()), None, Some("优")));
    assert_eq!(
        c.forms[0].report.unchecked,
        vec![
            "指标块没有分值列，一级指标也没有标注分值：单个指标的得分无法按规则5/6核算、无法核对是否超过分值（ZP201–ZP205、ZP208），各组得分也无上限可核；只核对全部指标得分合计不超过指标块 A5 标注的 80 分（ZP306），以及总分 = 执行率得分 + 各指标得分（ZP304）"
                .to_string()
        ]
    );
    // Scores over the block's 80 points: said, and 总分 is not corrected from them.
    let mut sh = block_points_only();
    sh.set("G10", n(12.0));
    let c = checked(&sh);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP306", "A5", "得分合计 81.6", "≤ 80", false),
            row("ZP304", "B11", "98", "99.6（若输入无误）", false),
        ]
    );
    assert_eq!(
        message(&c, "ZP306", "A5"),
        "A5 指标块标注“年度绩效目标（80分）”为 80 分，各指标得分合计 81.6 超过该分值"
    );
}

/// The central transfer-payment 绩效目标自评表: 全年预算数 / 全年执行数 / 执行率, a 资金管理情况
/// block of text below the funding parts, and indicators with targets and actuals — no 分值
/// and no 得分 anywhere, by design.
fn central_transfer() -> SheetSpec {
    templates::sheet(
        "自评表",
        &[
            &["转移支付区域（项目）绩效目标自评表"],
            &["（2023年度）"],
            &["转移支付（项目）名称", "农村环境整治资金"],
            &[
                "中央主管部门",
                "生态环境部",
                "",
                "地方主管部门",
                "省生态环境厅",
            ],
            &[
                "资金情况（万元）",
                "",
                "全年预算数（A）",
                "全年执行数（B）",
                "执行率（B/A）",
            ],
            &["", "年度资金总额", "#1000", "#950", "95%"],
            &["", "其中：中央财政资金", "#800", "#780", ""],
            &["", "地方资金", "#200", "#170", ""],
            &["", "其他资金", "#0", "#0", ""],
            &[
                "资金管理情况",
                "分配科学性",
                "按因素法分配",
                "已按期分配",
                "",
            ],
            &["", "下达及时性", "30日内下达", "已下达", ""],
            &["年度总体目标", "预期目标", "", "实际完成情况", ""],
            &["", "完成 20 个村的环境整治", "", "完成 21 个村", ""],
            &[
                "绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值",
                "实际完成值",
                "未完成原因分析",
            ],
            &[
                "",
                "产出指标",
                "数量指标",
                "整治村庄数",
                "≥20个",
                "21个",
                "",
            ],
            &["", "", "质量指标", "验收合格率", "≥95%", "96%", ""],
            &[
                "",
                "效益指标",
                "生态效益指标",
                "污水处理率",
                "≥80%",
                "82%",
                "",
            ],
            &[
                "",
                "满意度指标",
                "服务对象满意度指标",
                "群众满意度",
                "≥90%",
                "93%",
                "",
            ],
        ],
        &[
            "A1:G1", "A2:G2", "A5:A9", "A10:A11", "A12:A13", "A14:A18", "B15:B16",
        ],
    )
}

#[test]
fn a_form_without_scores_by_design_is_complete_for_what_it_holds() {
    let c = checked(&central_transfer());
    let form = &c.forms[0].form;
    assert!(form.complete() && form.unscored);
    // The 资金管理情况 rows end the funding block: they are no parts with unreadable amounts.
    let parts: Vec<String> = form
        .funding
        .as_ref()
        .unwrap()
        .parts
        .iter()
        .map(|p| p.label.clone())
        .collect();
    assert_eq!(parts, ["其中：中央财政资金", "地方资金", "其他资金"]);
    assert_eq!(form.indicators.len(), 4);
    assert_eq!(rows(&c), vec![]);
    assert_eq!(totals(&c), (None, None, None));
    assert_eq!(
        c.forms[0].report.unchecked,
        vec![
            "本表按设计不打分（资金块和指标块都没有分值、得分）：核查资金合计（ZP101）和执行率（ZP102）；指标只读取、不评分，总分和等级不适用"
                .to_string()
        ]
    );
    // Its funding block is checked and corrected as usual: a total never summed.
    let mut sh = central_transfer();
    sh.set("C6", n(0.0));
    assert_eq!(
        rows(&checked(&sh)),
        vec![row("ZP101", "C6", "0", "1000", true)]
    );
    // A row whose label is a funding source but whose amount is text is an unread part: said,
    // and the total it adds into is not corrected.
    let mut sh = central_transfer();
    sh.set("C6", n(0.0)).set("C8", s("待拨付"));
    let c = checked(&sh);
    assert_eq!(rows(&c), vec![row("ZP002", "C8", "待拨付", "数字", false)]);
}

/// Checks a folder as JSON: (checked file names, passed-over file names).
fn check_folder(dir: &Path) -> (Vec<String>, Vec<String>) {
    let o = zpcheck_cli(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        dir.as_os_str(),
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let name = |v: &serde_json::Value| {
        Path::new(v.as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let mut checked: Vec<String> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| name(&f["path"]))
        .collect();
    let mut skipped: Vec<String> = doc["skipped"]
        .as_array()
        .map(|s| s.iter().map(|x| name(&x["path"])).collect())
        .unwrap_or_default();
    checked.sort();
    skipped.sort();
    (checked, skipped)
}

#[test]
fn a_file_is_passed_over_only_under_a_seal_that_holds_beside_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("表.xlsx");
    std::fs::copy(sample("national_planted_errors.xlsx"), &input).unwrap();
    let o = zpcheck_cli(&["--plain".as_ref(), input.as_os_str()]);
    assert_eq!(o.status.code(), Some(1));
    // A submission carrying zpcheck's marker, set by hand (no seal): checked like any.
    let spoofed = dir.path().join("冒充.xlsx");
    let custom = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"2\" name=\"zpcheck\"><vt:lpwstr>0.1.0</vt:lpwstr></property><property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"3\" name=\"zpcheck-summary\"><vt:lpwstr>0.1.0</vt:lpwstr></property></Properties>";
    rewrite_package(
        &sample("national_planted_errors.xlsx"),
        &spoofed,
        |_, d| Some(d),
        &[("docProps/custom.xml", custom.as_bytes())],
    );
    // The marked output with its source beside it: passed over. The plain copy: a submission.
    let (checked, skipped) = check_folder(dir.path());
    assert_eq!(checked, ["冒充.xlsx", "表.xlsx", "表_更正.xlsx"]);
    assert_eq!(skipped, ["表_核查.xlsx"]);
    // The summary lists the file passed over, with why, after the files checked.
    let summary_dir = tempfile::tempdir().unwrap();
    let summary = summary_dir.path().join("汇总.xlsx");
    let o = zpcheck_cli(&[
        "check".as_ref(),
        dir.path().as_os_str(),
        "--summary".as_ref(),
        summary.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let wb = zpcheck::read::read_path(&summary).unwrap();
    let forms = &wb.sheets[0];
    let last = forms.cells.keys().map(|c| c.row).max().unwrap();
    let row: Vec<String> = (0..20)
        .map(|c| forms.text(CellRef::new(last, c)).to_string())
        .filter(|t| !t.is_empty())
        .collect();
    assert!(row[0].ends_with("表_核查.xlsx"), "{row:?}");
    assert_eq!(row.last().unwrap(), "跳过：zpcheck 已更正过的工作簿");
    // Its source gone from the folder: the output is checked (nothing reported it).
    let elsewhere = tempfile::tempdir().unwrap();
    let alone = elsewhere.path().join("表_核查.xlsx");
    std::fs::copy(dir.path().join("表_核查.xlsx"), &alone).unwrap();
    let (checked, skipped) = check_folder(elsewhere.path());
    assert_eq!(
        (checked, skipped),
        (vec!["表_核查.xlsx".to_string()], vec![])
    );
    // Its source changed since: checked too.
    std::fs::copy(sample("national_clean.xlsx"), &input).unwrap();
    let (checked, _) = check_folder(dir.path());
    assert!(checked.contains(&"表_核查.xlsx".to_string()), "{checked:?}");
    // Edited by an officer, beside its unchanged source: checked.
    std::fs::copy(sample("national_planted_errors.xlsx"), &input).unwrap();
    edit_as_an_officer(&dir.path().join("表_核查.xlsx"));
    let (checked, skipped) = check_folder(dir.path());
    assert!(checked.contains(&"表_核查.xlsx".to_string()), "{checked:?}");
    assert!(skipped.is_empty(), "{skipped:?}");
}
