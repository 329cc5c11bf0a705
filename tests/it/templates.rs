//! The templates of form-and-rules.md §2.1 and the row traits of issue "Every provincial
//! template": one sample each (samples/, written by `cargo run --example make_samples` from
//! testkit/src/templates.rs) with planted errors, asserted cell by cell; partial readings that
//! must not correct 总分 or the grade; and a property: removing the indicator block never
//! produces a correction outside the funding block.

use zpcheck_testkit as common;

use std::path::PathBuf;

use common::templates;
use common::*;
use proptest::prelude::*;
use zpcheck::vocab::Role;
use zpcheck::{Profile, check_path};
use zpcheck_testkit::sample;

fn check(name: &str) -> zpcheck::Checked {
    check_path(&sample(name), &Profile::default()).expect("sample reads")
}

/// (claimed 总分, computed 总分, computed grade, complete) of the only form.
fn totals(c: &zpcheck::Checked) -> (Option<String>, Option<String>, Option<&str>, bool) {
    assert_eq!(c.forms.len(), 1);
    let f = &c.forms[0];
    (
        f.report.claimed_total.map(|d| d.to_string()),
        f.report.computed_total.map(|d| d.to_string()),
        f.report.computed_grade,
        f.form.complete(),
    )
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn yunnan_two_row_header_with_symbol_operators_and_a_percent_unit_column() {
    let c = check("yunnan_two_row_header.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            row("ZP202", "I16", "20", "19.33", true),
            row("ZP208", "J16", "（空）", "填写扣分原因", false),
            row("ZP208", "J18", "（空）", "填写扣分原因", false),
            row("ZP304", "I20", "98.42", "97.75", true),
        ]
    );
    assert_eq!(totals(&c), (some("98.42"), some("97.75"), Some("优"), true));
    let f = &c.forms[0].form;
    // The header spans rows 11–12: 实际完成值/分值/得分 come from the cells merged down.
    assert_eq!(f.indicators.len(), 6);
    // "100%" under a "%" unit column is one percent, not "100%%"; ═ is "=".
    assert_eq!(f.indicators[1].actual.raw, "100%");
    assert_eq!(f.indicators[1].target.raw, "═100%");
    assert_eq!(
        f.indicators[1]
            .target
            .measure_with(&zpcheck::Profile::default().vocab)
            .map(|m| m.op),
        Some(Some(zpcheck::num::Op::Eq))
    );
    assert_eq!(f.indicators[0].target.raw, "≧200户");
    // The empty 生态效益指标 group is no indicator; the grade stands in the 总分 row.
    assert!(f.indicators.iter().all(|i| i.level2 != "生态效益指标"));
    assert_eq!(f.grade.as_ref().map(|g| g.cell.to_string()), some("J20"));
}

#[test]
fn hubei_weights_stated_per_group_and_in_the_funding_label() {
    let c = check("hubei_no_weight_column.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            row("ZP306", "B10", "得分合计 12", "≤ 10", false),
            // The 满意度 scores exceed their 10 points (ZP306): they are in doubt, so 总分 is
            // not raised with them — only what it would be if they are right is said.
            row("ZP304", "B11", "98", "99.6（若输入无误）", false),
        ]
    );
    assert_eq!(totals(&c), (some("98"), None, None, true));
    let zp304 = &c.forms[0].report.findings[1];
    assert!(
        zp304.message.ends_with(
            "；但其计算所依据的 G10 本身有问题（见该处），若这些输入无误应为 99.6，未更正"
        ),
        "{}",
        zp304.message
    );
    let f = &c.forms[0].form;
    // 20 from "预算执行情况（万元）（20分）": 20 × 90% = 18 is right, so no ZP104.
    let funding = f.funding.as_ref().unwrap();
    assert_eq!(funding.stated_weight.map(|w| w.0.to_string()), some("20"));
    assert!(f.indicators.iter().all(|i| i.weight.is_none()));
    assert_eq!(f.grade.as_ref().map(|g| g.cell.to_string()), some("D11"));
}

#[test]
fn xianjie_weight_before_target_with_detail_placeholder_deadline_and_approximate_rows() {
    let c = check("xianjie_weight_first.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            // "100%" for 99.97%: right at the precision it shows, so only a warning.
            row("ZP003", "F4", "100%", "99.97%", false),
            // 7月 against 9月前: a time indicator met, not a unit error.
            row("ZP202", "G12", "13", "15", true),
            row("ZP202", "G14", "15", "13.5", true),
            row("ZP208", "H14", "（空）", "填写扣分原因", false),
            row("ZP304", "G17", "98", "98.5", true),
        ]
    );
    assert_eq!(totals(&c), (some("98"), some("98.5"), Some("优"), true));
    let f = &c.forms[0].form;
    let names: Vec<&str> = f.indicators.iter().map(|i| i.name.as_str()).collect();
    // "其中：硬化路面" is a detail row and "……" a placeholder: neither is an indicator.
    assert_eq!(
        names,
        vec![
            "★新建产业路长度",
            "验收合格率",
            "完工时间",
            "带动增收",
            "受益脱贫人口",
            "群众满意度"
        ]
    );
    assert_eq!(f.indicators[0].level1, "产 出 指 标 （50分）");
}

#[test]
fn beijing_rate_divides_by_the_one_budget_column_the_header_names() {
    let c = check("beijing_budget_a_only.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            row("ZP202", "H9", "30", "28.5", true),
            row("ZP208", "I9", "（空）", "填写扣分原因", false),
            row("ZP304", "H13", "99", "97.5", true),
        ]
    );
    assert_eq!(totals(&c), (some("99"), some("97.5"), Some("优"), true));
    let funding = c.forms[0].form.funding.as_ref().unwrap();
    assert_eq!(funding.base, zpcheck::form::Base::Initial);
    assert!(funding.total.full.is_none());
}

#[test]
fn anhui_county_department_form_with_spaced_labels_and_deadlines() {
    let c = check("anhui_dept_county.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            row("ZP103", "E5", "530", "≤ 520", false),
            row("ZP103", "E6", "530", "≤ 520", false),
            row("ZP104", "H5", "（空）", "10", true),
            row("ZP210", "E13", "12月", "11月底前", false),
        ]
    );
    assert_eq!(totals(&c), (some("100"), some("100"), Some("优"), true));
    let f = &c.forms[0].form;
    assert_eq!(f.indicators.len(), 5);
    assert_eq!(f.indicators[0].name, "指标1:培训农户");
}

#[test]
fn section_rows_give_the_groups_when_there_is_no_level1_column() {
    let c = check("section_rows.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            row("ZP202", "F9", "20", "19.6", true),
            row("ZP304", "F14", "99", "98.6", true),
        ]
    );
    assert_eq!(totals(&c), (some("99"), some("98.6"), Some("优"), true));
    let groups: Vec<&str> = c.forms[0]
        .form
        .indicators
        .iter()
        .map(|i| i.level1.as_str())
        .collect();
    assert_eq!(
        groups,
        vec![
            "一、产出指标（50分）",
            "一、产出指标（50分）",
            "二、效益指标（30分）",
            "三、满意度指标（10分）"
        ]
    );
}

#[test]
fn indicators_above_the_funding_block_are_one_form() {
    let c = check("indicators_first.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            row("ZP101", "B8", "0", "100", true),
            row("ZP101", "C8", "0", "95", true),
            row("ZP102", "E8", "100%", "95%", true),
            row("ZP104", "F8", "10", "9.5", true),
            row("ZP304", "G6", "100", "99.5", true),
        ]
    );
    assert_eq!(totals(&c), (some("100"), some("99.5"), Some("优"), true));
}

#[test]
fn an_unrecognised_indicator_block_is_a_partial_reading_and_nothing_derived_is_corrected() {
    let c = check("partial_unknown_header.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            row("ZP009", "B3", "未能识别", "完整识别", false),
            // The funding block was read completely: its own arithmetic is still corrected.
            row("ZP104", "F4", "9", "9.5", true),
        ]
    );
    // 总分 80 with 优 is wrong, but nothing tells zpcheck which scores make it up.
    assert_eq!(totals(&c), (None, None, None, false));
    let msg = &c.findings().next().unwrap().message;
    assert!(
        msg.starts_with(
            "未找到指标块：在第 3–11 行中没有找到含一级/二级/三级指标的表头（A7 有“产出指标”"
        ),
        "{msg}"
    );
}

/// The Yunnan form with its 实际完成值 header written as nobody has: the block is read, the
/// actual column is not.
fn yunnan_with_unknown_actual_header() -> SheetSpec {
    let mut sh = templates::yunnan();
    sh.set("G11", s("考核结果"));
    sh
}

#[test]
fn an_unrecognised_column_leaves_the_totals_alone() {
    let c = check_spec(&yunnan_with_unknown_actual_header());
    // 总分 98.42 is wrong (97.75), and I16 should be 19.33: neither can be known without the
    // actuals, so neither is corrected. What needs no actual is still checked: a score below
    // its weight with no reason.
    assert_eq!(
        rows(&c),
        vec![
            row("ZP009", "A12", "未能识别", "完整识别", false),
            row("ZP208", "J18", "（空）", "填写扣分原因", false),
        ]
    );
    assert_eq!(
        c.findings().next().unwrap().message,
        "指标块表头（第 11–12 行）中未能识别「实际完成值」列；未能识别的表头：G11「考核结果」；依赖这部分的规则未核查，总分、等级和分值合计未核查、未更正"
    );
    assert!(!totals(&c).3);
    assert_eq!(totals(&c).1, None);
}

#[test]
fn a_profile_teaches_a_header_word_without_code() {
    let profile = zpcheck::profile::parse("[\"表头\"]\n\"实际完成值\" = [\"考核结果\"]\n").unwrap();
    let c = check_spec_with(&yunnan_with_unknown_actual_header(), &profile);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP202", "I16", "20", "19.33", true),
            row("ZP208", "J16", "（空）", "填写扣分原因", false),
            row("ZP208", "J18", "（空）", "填写扣分原因", false),
            row("ZP304", "I20", "98.42", "97.75", true),
        ]
    );
    let cols = &c.forms[0].form;
    assert!(cols.complete());
    assert_eq!(
        profile.vocab.classify("考核结果").map(|(r, _)| r),
        Some(Role::Actual)
    );
}

#[test]
fn contradicting_weights_are_reported_and_neither_is_corrected() {
    // Weights add to 95 under a 总分 row that says 100.
    let mut sh = templates::beijing();
    sh.set("D12", n(5.0)).set("H12", n(5.0));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP301"), vec![at("D13", "95", "100", false)]);
    assert_eq!(of_rule(&c, "ZP302"), vec![at("D13", "100", "95", false)]);
}

#[test]
fn an_upper_limit_far_above_the_actual_is_worded_as_a_loose_cap() {
    let mut sh = templates::beijing();
    sh.set("E10", s("≤202.6元")).set("F10", s("132.9元"));
    let c = check_spec(&sh);
    let f: Vec<_> = c.findings().filter(|f| f.rule == "ZP204").collect();
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].message,
        "F10「考核合格率」实际 132.9元 仅为上限 ≤202.6元 的 65.6%（上限是实际的 152.45%），远低于上限仍得满分 20：上限可能设定过宽，按规定应酌情扣分（需人工判断）"
    );
    assert_eq!(f[0].expected, "上限不超过实际的 150%");
}

#[test]
fn operator_words_and_approximate_values() {
    let mut sh = templates::beijing();
    // Not reached: 不低于1000 against 约950 → 28.5, reported but not corrected (approximate).
    sh.set("E9", s("不低于1000人次")).set("F9", s("约950人次"));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP202"), vec![at("H9", "30", "28.5", false)]);
    let msg = &c.findings().find(|f| f.rule == "ZP202").unwrap().message;
    assert!(
        msg.ends_with("（目标或实际为约数，仅供核对，未自动更正）"),
        "{msg}"
    );
    // "控制在…以内" is an upper limit.
    let mut sh = templates::beijing();
    sh.set("E10", s("控制在5%以内")).set("F10", s("6%"));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP203"), vec![at("H10", "20", "16.67", true)]);
}

/// Rows (0-based) of the indicator block of a spec: from the indicator header (and the group
/// row above it) to the last row.
fn without_indicator_block(spec: &SheetSpec) -> SheetSpec {
    let mut out = spec.clone();
    let header = spec
        .rows
        .iter()
        .position(|r| {
            r.iter()
                .any(|v| matches!(v, V::S(t) if t.contains("二级指标")))
        })
        .expect("an indicator header");
    // A group header row above (绩效指标 / 年度指标值) belongs to the block too.
    let top = if header > 0
        && spec.rows[header - 1]
            .iter()
            .any(|v| matches!(v, V::S(t) if t.contains("绩效指标") || t.contains("绩 效")))
    {
        header - 1
    } else {
        header
    };
    let funding_after = spec.rows[header..].iter().position(|r| {
        r.iter()
            .any(|v| matches!(v, V::S(t) if t.contains("预算数") || t.contains("执行数")))
    });
    let end = funding_after.map_or(spec.rows.len(), |p| header + p);
    for row in &mut out.rows[top..end] {
        row.clear();
    }
    out.merges.retain(|m| {
        let (a, _) = m.split_once(':').expect("range");
        let r = a1_pos(a).0;
        !(top..end).contains(&r)
    });
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the funding block says, a form without its indicator block gets corrections in
    /// the funding block only: never a 总分, a grade or an indicator score.
    #[test]
    fn removing_the_indicator_block_never_corrects_outside_the_funding_block(
        which in 0usize..9,
        total in 0u32..200,
        exec_score in 0u32..15,
    ) {
        let specs = [
            templates::yunnan(),
            templates::hubei(),
            templates::xianjie(),
            templates::beijing(),
            templates::anhui_dept(),
            templates::section_rows(),
            templates::indicators_first(),
            common::national_errors(),
            common::seed(),
        ];
        let spec = without_indicator_block(&specs[which]);
        let mut spec = spec;
        // Disturb the funding total row so that corrections happen there.
        let total_row = spec
            .rows
            .iter()
            .position(|r| r.iter().any(|v| matches!(v, V::S(t) if t.contains("总额") || t.contains("总资金"))))
            .expect("a funding total row");
        let money_col = spec.rows[total_row].iter().position(|v| matches!(v, V::N(_))).expect("money");
        spec.rows[total_row][money_col] = n(f64::from(total));
        if let Some(last) = spec.rows[total_row].iter().rposition(|v| matches!(v, V::N(_))) {
            spec.rows[total_row][last] = n(f64::from(exec_score));
        }
        let c = check_spec(&spec);
        let form = &c.forms[0];
        prop_assert!(!form.form.complete());
        prop_assert_eq!(form.report.computed_total, None);
        let funding = form.form.funding.as_ref().expect("funding block");
        let rows: Vec<u32> = std::iter::once(funding.total.exec.cell.row)
            .chain(funding.parts.iter().map(|p| p.exec.cell.row))
            .collect();
        for f in c.findings().filter(|f| f.fixed()) {
            prop_assert!(rows.contains(&f.cell.row), "{} {} outside the funding block", f.rule, f.cell);
        }
    }
}

#[test]
fn explain_says_which_column_got_which_role_and_where_weights_come_from() {
    let wb = zpcheck::read::read_path(&sample("hubei_no_weight_column.xlsx")).unwrap();
    let e = zpcheck::explain::explain(&wb, &Profile::default());
    let text = zpcheck::explain::text("h.xlsx", &e);
    for line in [
        "表 1「项目支出绩效自评表」：工作表 自评表，A3:G11，完整识别",
        "    B 列 → 全年预算数：表头 B3「预算数(A)」（含“预算数”）",
        "    E 列 → 得分：表头 E3「得分(20分*执行率)」（含“得分”）",
        "    执行率分值：A3「预算执行情况（万元）（20分）」标注的 20 分",
        "    F 列 → 实际完成值：表头 F5「实际完成值(B)」（含“实际完成值”）",
        "      第 10 行「群众满意度」：一级 满意度指标（10分）（B10）/ 二级 服务对象满意度指标；分值：没有分值列：一级指标 B10 标注 10 分（本组合计）",
        "    总分行：得分 B11",
        "  等级：D11",
        "  未识别的表头文字（标签或没见过的列）：A5「年度绩效目标（80分）」",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&zpcheck::explain::json(&e)).unwrap();
    assert_eq!(json["forms"][0]["complete"], true);
    assert_eq!(
        json["forms"][0]["indicators"].as_array().map(Vec::len),
        Some(5)
    );
    assert_eq!(json["forms"][0]["grade_cell"], "D11");

    let wb = zpcheck::read::read_path(&sample("xianjie_weight_first.xlsx")).unwrap();
    let text = zpcheck::explain::text(
        "x.xlsx",
        &zpcheck::explain::explain(&wb, &Profile::default()),
    );
    for line in [
        "    第 10 行：明细行（不是指标）",
        "    第 13 行：占位行（……）",
        "    D 列 → 分值：表头 D8「分值」（含“分值”）",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
}

#[test]
fn fail_on_partial_makes_a_partial_reading_exit_1_and_json_says_partial() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_zpcheck");
    // The partial sample has an error finding too (its execution score): take a copy of the
    // form with that score right, so that only the partial reading is left.
    let mut spec = templates::partial();
    spec.set("F4", n(9.5));
    let (_dir, path) = write_temp(&[spec]);
    let plain = Command::new(bin).arg("check").arg(&path).output().unwrap();
    assert_eq!(plain.status.code(), Some(0));
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(text.contains("：部分核查——未找到指标块"), "{text}");
    let err = String::from_utf8_lossy(&plain.stderr);
    assert_eq!(err, "共 1 个文件：0 个无误，1 个部分核查\n");
    let strict = Command::new(bin)
        .args(["check", "--fail-on", "partial"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
    let json = Command::new(bin)
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["files"][0]["status"], "partial");
    assert_eq!(v["files"][0]["forms"][0]["complete"], false);
}

#[test]
fn a_funding_sheet_and_an_indicator_sheet_are_one_form_and_the_fix_lands_on_each() {
    let c = check("two_sheets.xlsx");
    let found: Vec<_> = c
        .findings()
        .map(|f| {
            (
                f.sheet.as_str(),
                f.rule,
                f.cell.to_string(),
                f.found.as_str(),
                f.expected.as_str(),
                f.fixed(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("资金", "ZP104", "F4".to_string(), "9", "9.5", true),
            ("绩效指标", "ZP304", "G6".to_string(), "99", "99.5", true),
        ]
    );
    assert_eq!(totals(&c), (some("99"), some("99.5"), Some("优"), true));
    // Corrected, the workbook checks clean: each correction was written on its own sheet.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.xlsx");
    let bin = env!("CARGO_BIN_EXE_zpcheck");
    let status = std::process::Command::new(bin)
        .arg("fix")
        .arg(sample("two_sheets.xlsx"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    let again = check_path(&out, &Profile::default()).unwrap();
    assert_eq!(rows(&again), vec![]);
    assert_eq!(
        totals(&again),
        (some("99.5"), some("99.5"), Some("优"), true)
    );
}

#[test]
fn numbering_and_unit_rows_under_a_header_are_neither_totals_nor_indicators() {
    // The Beijing form with a unit row under the funding header and a numbering row under
    // the indicator header: the findings stay exactly the sample's.
    let mut sh = templates::beijing();
    sh.rows.insert(
        3,
        vec![s("单位"), s("万元"), s("万元"), s("分"), s("%"), s("分")],
    );
    // (now the indicator header is row 9, 0-based 8)
    sh.rows.insert(
        9,
        vec![
            n(1.0),
            n(2.0),
            n(3.0),
            n(4.0),
            n(5.0),
            n(6.0),
            n(7.0),
            s("8=7/4"),
            n(9.0),
        ],
    );
    sh.merges = vec!["A1:I1".into(), "B2:I2".into()];
    let c = check_spec(&sh);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP202", "H11", "30", "28.5", true),
            row("ZP208", "I11", "（空）", "填写扣分原因", false),
            row("ZP304", "H15", "99", "97.5", true),
        ]
    );
    assert_eq!(
        c.forms[0].form.funding.as_ref().unwrap().total.label,
        "年度资金总额"
    );
    assert_eq!(c.forms[0].form.indicators.len(), 4);
}

#[test]
fn a_score_right_at_the_one_decimal_it_shows_is_a_warning_in_general_an_error() {
    // 953 of 1000 × 30 = 28.59. Written 28.6 in a cell formatted "0.0" it is right at the
    // precision it shows; in a General cell it claims 28.60 and is wrong.
    let mut sh = templates::beijing();
    sh.set("F9", s("953人次"))
        .set("I9", s("略低于计划"))
        .set("H13", n(97.59));
    sh.set("H9", n(28.6));
    let general = check_spec(&sh);
    assert_eq!(
        of_rule(&general, "ZP202"),
        vec![at("H9", "28.6", "28.59", true)]
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one_decimal.xlsx");
    write_xlsx_with(&path, std::slice::from_ref(&sh), |ws| {
        let one = rust_xlsxwriter::Format::new().set_num_format("0.0");
        ws.write_number_with_format(8, 7, 28.6, &one).unwrap();
    });
    let c = check_path(&path, &Profile::default()).unwrap();
    assert_eq!(
        rows(&c),
        vec![
            row("ZP003", "H9", "28.6", "28.59", false),
            // 总分 97.59 = 9 + 28.59 + 60: right with the exact score, so nothing else.
        ]
    );
    assert_eq!(
        c.findings().next().unwrap().message,
        "H9 「培训人次」得分写作 28.6（1 位小数），在其所示精度下正确；按规则应保留两位小数：28.59"
    );
}

/// (rule, sheet, cell, expected, fixed) of every finding.
fn findings_of(c: &zpcheck::Checked) -> Vec<(&'static str, String, String, String, bool)> {
    c.findings()
        .map(|f| {
            (
                f.rule,
                f.sheet.clone(),
                f.cell.to_string(),
                f.expected.clone(),
                f.fixed(),
            )
        })
        .collect()
}

#[test]
fn libreoffice_xls_and_ods_copies_of_the_templates_read_alike() {
    // section_rows.xls: LibreOffice 7.4's .xls, whose workbook stream (3.6 KB) sits in the
    // compound file's mini stream; zpcheck's rebuilt container once hid it from calamine.
    // yunnan_two_row_header.ods: calamine gives no merged ranges for .ods, so the two-row
    // header is read from the cells above.
    for (copy, original) in [
        ("section_rows.xls", "section_rows.xlsx"),
        ("yunnan_two_row_header.ods", "yunnan_two_row_header.xlsx"),
    ] {
        let a = check(original);
        let b = check(copy);
        assert_eq!(findings_of(&b), findings_of(&a), "{copy}");
        assert_eq!(totals(&b), totals(&a), "{copy}");
    }
}

/// The national 部门整体支出 funding block: the total broken down twice, 按收入性质分 and
/// 按支出性质分, each adding up to the total on its own.
fn two_breakdowns(total: f64, basic: f64) -> SheetSpec {
    let mut sh = templates::anhui_dept();
    // Rows 5–6 (total, one part) become the total and two breakdowns.
    let e = || V::E;
    sh.rows.splice(
        4..6,
        vec![
            vec![
                e(),
                s("年度资金总额"),
                n(total),
                n(520.0),
                n(520.0),
                n(10.0),
                s("100%"),
                n(10.0),
            ],
            vec![
                e(),
                s("按收入性质分："),
                e(),
                e(),
                e(),
                s("—"),
                s("—"),
                s("—"),
            ],
            vec![
                e(),
                s("一般公共预算"),
                n(400.0),
                n(420.0),
                n(420.0),
                s("—"),
                s("—"),
                s("—"),
            ],
            vec![
                e(),
                s("其他资金"),
                n(100.0),
                n(100.0),
                n(100.0),
                s("—"),
                s("—"),
                s("—"),
            ],
            vec![
                e(),
                s("按支出性质分："),
                e(),
                e(),
                e(),
                s("—"),
                s("—"),
                s("—"),
            ],
            vec![
                e(),
                s("基本支出"),
                n(basic),
                n(320.0),
                n(320.0),
                s("—"),
                s("—"),
                s("—"),
            ],
            vec![
                e(),
                s("项目支出"),
                n(200.0),
                n(200.0),
                n(200.0),
                s("—"),
                s("—"),
                s("—"),
            ],
        ],
    );
    sh.merges = vec!["A1:H1".into(), "A2:H2".into(), "A4:A11".into()];
    sh
}

#[test]
fn each_breakdown_of_the_funding_total_adds_up_on_its_own() {
    // 400 + 100 = 300 + 200 = 500: the total is right; no breakdown is added to the other.
    let c = check_spec(&two_breakdowns(500.0, 300.0));
    assert_eq!(of_rule(&c, "ZP101"), vec![]);
    // The total left at 0: both breakdowns say 500, so 500 it is.
    let c = check_spec(&two_breakdowns(0.0, 300.0));
    assert_eq!(of_rule(&c, "ZP101"), vec![at("C5", "0", "500", true)]);
    // The breakdowns disagree (500 and 510): which figure is wrong the form does not say.
    let c = check_spec(&two_breakdowns(500.0, 310.0));
    assert_eq!(of_rule(&c, "ZP101"), vec![at("C5", "500", "510", false)]);
}

#[test]
fn what_a_form_without_a_weight_column_leaves_unchecked_is_said() {
    let c = check("hubei_no_weight_column.xlsx");
    assert_eq!(
        c.forms[0].report.unchecked,
        vec!["指标块没有分值列：单个指标的得分无法按规则5/6核算、无法核对是否超过分值（ZP201–ZP205、ZP208），只核对各一级指标得分合计不超过其标注的分值（ZP306）".to_string()]
    );
    assert_eq!(
        check("yunnan_two_row_header.xlsx").forms[0]
            .report
            .unchecked,
        Vec::<String>::new()
    );
}

#[test]
fn options_before_the_command_still_run_the_command_and_write_nothing() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_zpcheck");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("表.xlsx");
    std::fs::copy(sample("section_rows.xlsx"), &input).unwrap();
    let profile = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("profiles/hubei.toml");
    let o = Command::new(bin)
        .arg("--profile")
        .arg(&profile)
        .arg("check")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("共 1 个文件：0 个无误，1 个有错误"), "{err}");
    // `check` was taken as the command, not as a file to correct beside itself.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["表.xlsx".to_string()]);
    let o = Command::new(bin)
        .arg("--profile")
        .arg(&profile)
        .arg("explain")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .contains("规则配置：湖北（定性指标区间：达成 80–100%、部分达成 50–80%")
    );
}

#[test]
fn the_summary_workbook_says_partial() {
    use calamine::{Reader, open_workbook_auto};
    let bin = env!("CARGO_BIN_EXE_zpcheck");
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("汇总.xlsx");
    let o = std::process::Command::new(bin)
        .arg("check")
        .arg(sample("partial_unknown_header.xlsx"))
        .arg(sample("section_rows.xlsx"))
        .arg("--summary")
        .arg(&summary)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let mut wb = open_workbook_auto(&summary).unwrap();
    let sheet = wb.worksheet_range("汇总").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let status_col = header.iter().position(|h| h == "状态").unwrap();
    let statuses: Vec<String> = sheet
        .rows()
        .skip(1)
        .map(|r| r[status_col].to_string())
        .collect();
    assert_eq!(statuses, vec!["部分核查；有错误", "有错误"]);
}

/// A header over three rows: 绩效指标 and 年度指标值 on the first, 一级/二级/三级 and
/// 目标/单位 on the second, 指标性质 | 数值 on the third under 目标.
fn three_row_header() -> SheetSpec {
    templates::sheet(
        "三行表头",
        &[
            &["项目支出绩效自评表"],
            &["资金", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            &["年度资金总额", "#100", "#100", "#10", "100%", "#10"],
            &["年度总体目标", "完成任务。"],
            &[
                "绩效指标",
                "",
                "",
                "年度指标值",
                "",
                "",
                "实际完成值",
                "分值",
                "得分",
            ],
            &["一级指标", "二级指标", "三级指标", "目标", "", "度量单位"],
            &["", "", "", "指标性质", "数值"],
            &[
                "产出指标",
                "数量指标",
                "培训人次",
                "≥",
                "#100",
                "人次",
                "#90",
                "#50",
                "#50",
            ],
            &[
                "效益指标",
                "社会效益指标",
                "就业率",
                "≥",
                "#80",
                "%",
                "85%",
                "#30",
                "#30",
            ],
            &[
                "满意度指标",
                "满意度指标",
                "满意度",
                "≥",
                "#90",
                "%",
                "92%",
                "#10",
                "#10",
            ],
            &["总分", "", "", "", "", "", "", "#100", "#100"],
        ],
        &[
            "A1:I1", "B4:I4", "A5:C5", "D5:F5", "G5:G7", "H5:H7", "I5:I7", "A6:A7", "B6:B7",
            "C6:C7", "D6:E6", "F6:F7",
        ],
    )
}

#[test]
fn a_header_over_three_rows_is_read_from_all_three() {
    let c = check_spec(&three_row_header());
    assert!(c.forms[0].form.complete(), "{:?}", c.forms[0].form.unread);
    // 培训人次 90 of ≥100 scored full 50 (→ 45), so 总分 100 (→ 95).
    assert_eq!(
        rows(&c),
        vec![
            row("ZP202", "I8", "50", "45", true),
            row("ZP304", "I11", "100", "95", true),
        ]
    );
    assert_eq!(c.forms[0].form.indicators[0].target.raw, "≥100人次");
}

#[test]
fn the_indicator_block_label_states_the_sum_of_the_group_weights() {
    // 年度绩效目标（80分） over groups of 60 + 10 + 10: right. With 效益指标（20分）: 90.
    let mut sh = templates::hubei();
    sh.set("B9", s("效益指标（20分）"));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP303"),
        vec![at("A5", "年度绩效目标（80分）", "80", false)]
    );
    assert_eq!(of_rule(&c, "ZP301"), vec![at("B11", "110", "100", false)]);
    assert_eq!(
        of_rule(&check("hubei_no_weight_column.xlsx"), "ZP303"),
        vec![]
    );
}

#[test]
fn a_score_below_zero_is_corrected_even_without_a_weight_of_its_own() {
    let mut sh = templates::hubei();
    // G10 = 10 clears the planted 满意度 excess (ZP306), which would put G10 in doubt.
    sh.set("G6", n(-5.0))
        .set("G10", n(10.0))
        .set("B11", n(73.6));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP201"), vec![at("G6", "-5", "0", true)]);
    // 18 + 0 + 19.6 + 20 + 10 + 10 = 77.6 — but 0 is only the nearest bound of an impossible
    // score (需复核), not a score the rules determine: 总分 is said, not written from it.
    assert_eq!(
        of_rule(&c, "ZP304"),
        vec![at("B11", "73.6", "77.6（若输入无误）", false)]
    );
    // With the excess back, the 满意度 scores are in doubt: 总分 is not corrected.
    sh.set("G10", n(12.0));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP304"),
        vec![at("B11", "73.6", "79.6（若输入无误）", false)]
    );
}
