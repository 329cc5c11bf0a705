//! Templates described nowhere else in this repository, written the way other counties write
//! their forms: each must be recognised completely (or say what it could not read) and give
//! exactly the findings its planted errors call for.

use zpcheck_testkit as common;

use common::templates::{self, sheet};
use common::*;

/// A two-row funding header (项目资金 merged over the three money columns; 分值/执行率/得分
/// merged down), line breaks and full-width brackets in headers, parts above a 合计 row at
/// the bottom; indicators with a 序号 column, 指标内容, 目标值, 完成值, 权重, 评分 and 评分依据;
/// closed by 综合得分. Planted: 执行率 truncated (95 → 95.24), 评分 of 完成率 full for 90% of
/// ≥95% (→ 28.42), 综合得分 not updated (→ 97.94).
fn guangdong_like() -> SheetSpec {
    sheet(
        "表1",
        &[
            &["2024年度项目支出绩效自评表"],
            &[
                "项目名称：乡村振兴示范村建设",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "资金来源",
                "项目资金（万元）",
                "",
                "",
                "分值",
                "执行率\n（Ｂ／Ａ）",
                "得分",
            ],
            &[
                "",
                "年初\n预算数",
                "全年\n预算数\n（Ａ）",
                "全年\n执行数\n（Ｂ）",
            ],
            &["财政拨款", "#200", "#210", "#200", "", "", ""],
            &["其他资金", "#0", "#0", "#0", "", "", ""],
            &["合计", "#200", "#210", "#200", "#10", "#95", "#9.52"],
            &["年度总体目标", "建成示范村 3 个。"],
            &[
                "序号",
                "一级指标",
                "二级指标",
                "指标内容",
                "目标值",
                "完成值",
                "权重",
                "评分",
                "评分依据",
            ],
            &[
                "#1",
                "产出指标",
                "数量指标",
                "示范村个数",
                "3个",
                "3个",
                "#30",
                "#30",
                "完成得满分",
            ],
            &[
                "#2",
                "",
                "质量指标",
                "项目完成率",
                "≥95%",
                "90%",
                "#30",
                "#30",
                "按比例",
            ],
            &[
                "#3",
                "效益指标",
                "社会效益指标",
                "受益农户",
                "≥500户",
                "620户",
                "#20",
                "#20",
                "完成得满分",
            ],
            &[
                "#4",
                "满意度指标",
                "服务对象满意度指标",
                "村民满意度",
                "≥90%",
                "96%",
                "#10",
                "#10",
                "问卷",
            ],
            &["综合得分", "", "", "", "", "", "#100", "#99.52", ""],
        ],
        &[
            "A1:I1", "A2:I2", "B3:D3", "E3:E4", "F3:F4", "G3:G4", "A3:A4", "B8:I8", "B10:B11",
        ],
    )
}

#[test]
fn a_two_row_funding_header_with_the_total_at_the_bottom_and_other_indicator_words() {
    let c = check_spec(&guangdong_like());
    assert_eq!(c.forms.len(), 1);
    assert!(c.forms[0].form.complete(), "{:?}", c.forms[0].form.unread);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP102", "F7", "95", "95.24%", true),
            // (no reason column: no ZP208)
            row("ZP202", "H11", "30", "28.42", true),
            row("ZP304", "H14", "99.52", "97.94", true),
        ]
    );
}

/// A county 部门整体 form: 分值 first, "年度目标" and "完成情况" as the target and actual, the
/// levels headed "一级" / "二级" / "三级指标", a 执行进度 column, and a grade row below 总分.
/// Planted: a qualitative indicator "部分完成" scored 10 of 30 (部分达成 band 18–24, ZP205, and
/// no reason, ZP208); 总分 59.6 (→ 79.6) and so the grade 良 (→ 中).
fn county_department() -> SheetSpec {
    sheet(
        "Sheet1",
        &[
            &["部门整体支出绩效自评表"],
            &["填报单位：", "某县教育局"],
            &[
                "资金情况（万元）",
                "预算数",
                "执行数",
                "分值",
                "执行进度",
                "得分",
            ],
            &["年度资金总额", "#1000", "#960", "#10", "96%", "#9.6"],
            &[
                "一级指标",
                "二级指标",
                "三级指标",
                "分值",
                "年度目标",
                "完成情况",
                "得分",
                "原因说明",
            ],
            &[
                "产出指标",
                "数量指标",
                "新建校舍面积",
                "#30",
                "≥2000平方米",
                "2100平方米",
                "#30",
                "",
            ],
            &["", "质量指标", "工程验收", "#20", "合格", "合格", "#20", ""],
            &[
                "效益指标",
                "社会效益指标",
                "办学条件改善",
                "#30",
                "明显改善",
                "部分完成",
                "#10",
                "",
            ],
            &[
                "满意度指标",
                "满意度指标",
                "师生满意度",
                "#10",
                "≥90%",
                "95%",
                "#10",
                "",
            ],
            &["总分", "", "", "#100", "", "", "#59.6", ""],
            &["评价等级", "良"],
        ],
        &["A1:H1", "A6:A7"],
    )
}

#[test]
fn a_county_department_form_with_its_own_words_for_target_actual_and_rate() {
    let c = check_spec(&county_department());
    assert!(c.forms[0].form.complete(), "{:?}", c.forms[0].form.unread);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP205", "G8", "10", "18–24", false),
            row("ZP208", "H8", "（空）", "填写扣分原因", false),
            row("ZP304", "G10", "59.6", "79.6", true),
            row("ZP305", "B11", "良", "中", true),
        ]
    );
}

/// Levels headed only "一级 | 二级 | 三级" under a group cell 指标 merged over them, no 一级
/// column values but 二级 groups only; the rate header naming its columns by other letters
/// ("执行率(C/B)"); a part named "一级预算单位资金". Planted: the total's 全年执行数 never
/// summed (→ 190), and so its rate (→ 95%) and score (→ 9.5).
fn letters_and_short_levels() -> SheetSpec {
    sheet(
        "自评",
        &[
            &["项目支出绩效自评表"],
            &[
                "项目资金",
                "年初预算数(A)",
                "全年预算数(B)",
                "全年执行数(C)",
                "分值",
                "执行率(C/B)",
                "得分",
            ],
            &["年度资金总额", "#180", "#200", "#0", "#10", "0%", "#0"],
            &[
                "其中：一级预算单位资金",
                "#180",
                "#200",
                "#190",
                "—",
                "—",
                "—",
            ],
            &["年度总体目标", "完成培训任务。"],
            &["指标", "", "", "指标值", "实际完成值", "分值", "得分"],
            &["一级", "二级", "三级"],
            &[
                "产出指标",
                "数量指标",
                "培训人数",
                "≥100人",
                "100人",
                "#50",
                "#50",
            ],
            &[
                "效益指标",
                "社会效益指标",
                "就业率",
                "≥80%",
                "85%",
                "#30",
                "#30",
            ],
            &[
                "满意度指标",
                "满意度指标",
                "满意度",
                "≥90%",
                "92%",
                "#10",
                "#10",
            ],
            &["总分", "", "", "", "", "#100", "#90"],
        ],
        &[
            "A1:G1", "A6:C6", "D6:D7", "E6:E7", "F6:F7", "G6:G7", "B5:G5",
        ],
    )
}

#[test]
fn short_level_words_other_letters_and_a_part_named_like_a_level() {
    let c = check_spec(&letters_and_short_levels());
    assert!(c.forms[0].form.complete(), "{:?}", c.forms[0].form.unread);
    assert_eq!(c.forms[0].form.funding.as_ref().unwrap().parts.len(), 1);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP101", "D3", "0", "190", true),
            row("ZP102", "F3", "0%", "95%", true),
            row("ZP104", "G3", "0", "9.5", true),
            row("ZP304", "G11", "90", "99.5", true),
        ]
    );
}

/// A 部门整体 form with a 年度主要任务 table between the funding block and the goals: its
/// columns 预算数 / 执行数 make it look like a second funding block. Planted: the seed's errors
/// only (H? scores); the tasks table's 合计 is right.
fn with_tasks_table() -> SheetSpec {
    let mut sh = seed();
    let e = || V::E;
    sh.rows.splice(
        8..8,
        vec![
            vec![
                s("年度主要任务"),
                s("任务名称"),
                e(),
                s("主要内容"),
                e(),
                s("预算数"),
                s("执行数"),
                e(),
            ],
            vec![
                e(),
                s("科技项目"),
                e(),
                s("配套支持重大科技项目"),
                e(),
                n(1230.0),
                n(1230.0),
                e(),
            ],
            vec![
                e(),
                s("场地租赁"),
                e(),
                s("租赁科创大厦"),
                e(),
                n(479.0),
                n(479.0),
                e(),
            ],
            vec![e(), s("合计"), e(), e(), e(), n(1709.0), n(1709.0), e()],
        ],
    );
    // Rows below the insertion moved down by 4: keep only the merges above it.
    sh.merges.retain(|m| {
        let (a, _) = m.split_once(':').unwrap();
        a1_pos(a).0 < 8
    });
    sh
}

#[test]
fn a_tasks_table_with_budget_columns_is_not_the_funding_block() {
    let c = check_spec(&with_tasks_table());
    assert_eq!(c.forms.len(), 1);
    let form = &c.forms[0];
    assert!(form.form.complete(), "{:?}", form.form.unread);
    assert_eq!(
        form.form.funding.as_ref().unwrap().total.label,
        "年度总资金"
    );
    assert_eq!(
        rows(&c),
        vec![
            row("ZP201", "H19", "20", "10", true),
            row("ZP204", "G20", "25 家", "酌情扣分（需人工判断）", false),
            row("ZP204", "G21", "26 家", "酌情扣分（需人工判断）", false),
            row("ZP202", "H22", "10", "20", true),
        ]
    );
    assert_eq!(
        form.report.computed_total.map(|d| d.to_string()),
        Some("99.96".into())
    );
}

/// One 分值 merged down over the three indicators of a 二级 group (20 for the three), the
/// scores given one by one. Nothing may be judged against the shared 20 one indicator at a
/// time; the group's scores together must not exceed it.
fn shared_weight(scores: [f64; 3]) -> SheetSpec {
    let mut sh = templates::beijing();
    // Rows 9–11 (产出 30, 质量 20, 效益 30) become one group of three sharing 分值 80.
    sh.set("D9", n(80.0)).set("D10", V::E).set("D11", V::E);
    sh.set("H9", n(scores[0]))
        .set("H10", n(scores[1]))
        .set("H11", n(scores[2]));
    sh.set("H13", n(9.0 + scores.iter().sum::<f64>() + 10.0));
    sh.merge("D9:D11");
    sh
}

#[test]
fn a_weight_merged_over_several_indicators_is_theirs_together() {
    // 28.5 + 20 + 30 = 78.5 ≤ 80: nothing to say about the shared weight, and no indicator is
    // "corrected" to 80.
    let c = check_spec(&shared_weight([28.5, 20.0, 30.0]));
    assert!(c.forms[0].form.complete());
    assert_eq!(rows(&c), vec![]);
    // 30 + 30 + 30 = 90 > 80.
    let c = check_spec(&shared_weight([30.0, 30.0, 30.0]));
    assert_eq!(
        rows(&c),
        vec![row("ZP306", "D9", "得分合计 90", "≤ 80", false)]
    );
    assert_eq!(
        c.findings().next().unwrap().message,
        "D9 合并单元格 D9:D11 的分值 80 由 3 个指标共用，其下各指标得分合计 90 超过该分值"
    );
}
