//! Issue 27, item 2: platform rules as profile data (ZP401–ZP406). The national profile turns
//! on the low-执行率 reason (ZP404) and the 评价结论 (ZP406) warnings only; a provincial profile
//! turns on the 总分 caps (ZP401), the 指标偏离 deduction (ZP402), the 不适用 rescaling (ZP403)
//! and the 年中调整 reason (ZP405) with its values. None of them writes anything. Each case on
//! the Chongqing-shaped form (testkit/src/templates.rs), asserted cell by cell.

use zpcheck_testkit as common;

use common::templates;
use common::*;
use zpcheck::Profile;

const PROVINCE: &str = r#"
"名称" = "某省"
["平台规则"]
"总分上限" = [[80, 89], [70, 79], [60, 69], [50, 59]]
"指标偏离阈值" = 30
"指标偏离扣分" = 2
"不适用重算" = true
"年中调整须说明" = true
"#;

fn province() -> Profile {
    zpcheck::profile::parse(PROVINCE).expect("profile parses")
}

/// The Chongqing form without its two planted 得分系数 errors.
fn base() -> SheetSpec {
    let mut s = templates::chongqing();
    s.set("H7", common::s("80%"));
    s.set("H11", common::s("90%"));
    s
}

/// The form executing 40 of 50 (80%): score 8, 总分 95.
fn low_rate() -> SheetSpec {
    let mut s = base();
    s.set("E5", n(40.0));
    s.set("G5", common::s("80.00%"));
    s.set("H5", n(8.0));
    s.set("G12", n(95.0));
    s
}

fn platform_rows(c: &zpcheck::Checked) -> Vec<(&'static str, String, String, String, bool)> {
    rows(c)
        .into_iter()
        .filter(|r| r.0.starts_with("ZP40"))
        .collect()
}

#[test]
fn the_base_form_is_clean_under_both_profiles() {
    assert_eq!(rows(&check_spec(&base())), vec![]);
    assert_eq!(rows(&check_spec_with(&base(), &province())), vec![]);
}

#[test]
fn a_low_rate_needs_a_reason_somewhere_in_the_form() {
    let c = check_spec(&low_rate());
    assert_eq!(
        rows(&c),
        vec![row("ZP404", "G5", "80.00%", "说明原因", false)]
    );
    assert_eq!(
        c.findings().next().map(|f| f.message.clone()),
        Some(
            "G5 执行率 80% 低于 90%，表中（目标完成情况、偏差原因、评价结论）未见说明资金执行偏低的原因"
                .to_string()
        )
    );
    // A 评价结论 that names the cause (and states the 总分) answers it.
    let mut s = low_rate();
    s.set("A13", common::s("评价结论"));
    s.set(
        "B13",
        common::s("自评得分95分，等级为优。资金执行率偏低的原因是部分培训延至次年，尚未支付。"),
    );
    assert_eq!(rows(&check_spec(&s)), vec![]);
}

#[test]
fn a_conclusion_is_filled_is_not_the_template_text_and_states_the_total() {
    let with = |text: &str| {
        let mut s = base();
        s.set("A13", common::s("评价结论"));
        if !text.is_empty() {
            s.set("B13", common::s(text));
        }
        platform_rows(&check_spec(&s))
    };
    assert_eq!(
        with(""),
        vec![row("ZP406", "B13", "（空）", "写明总分的评价结论", false)]
    );
    assert_eq!(
        with("（简要说明项目绩效目标完成情况，请填写）"),
        vec![row(
            "ZP406",
            "B13",
            "（简要说明项目绩效目标完成情况，请填写）",
            "写明总分的评价结论",
            false
        )]
    );
    assert_eq!(
        with("项目总体完成较好，自评得分98分。"),
        vec![row(
            "ZP406",
            "B13",
            "项目总体完成较好，自评得分98分。",
            "写明总分的评价结论",
            false
        )]
    );
    assert_eq!(with("项目总体完成较好，自评得分９７分，等级为优。"), vec![]);
    // Without a 评价结论 row the form is not asked for one.
    assert_eq!(platform_rows(&check_spec(&base())), vec![]);
}

#[test]
fn a_provincial_cap_by_rate_band_is_reported_with_the_most_the_total_may_be() {
    // 37.5 of 50: 75%, under 80% → at most 89; 总分 7.5 + 87 = 94.5.
    let mut s = base();
    s.set("E5", n(37.5));
    s.set("G5", common::s("75.00%"));
    s.set("H5", n(7.5));
    s.set("G12", n(94.5));
    s.set("A13", common::s("评价结论"));
    s.set(
        "B13",
        common::s("自评得分94.5分。执行率偏低，原因是部分资金未拨付。"),
    );
    let c = check_spec_with(&s, &province());
    assert_eq!(rows(&c), vec![row("ZP401", "G12", "94.5", "≤ 89", false)]);
    assert!(c.findings().all(|f| !f.fixed()));
    // The national profile has no caps.
    assert_eq!(rows(&check_spec(&s)), vec![]);
}

#[test]
fn an_actual_far_beyond_its_target_loses_the_provincial_deduction() {
    // 就业率 ≥ 60%, actual 80%: 133.33% of the target, ≥ 130% → 30 − 2 = 28 at most.
    let mut s = base();
    s.set("E10", common::s("80%"));
    let c = check_spec_with(&s, &province());
    assert_eq!(rows(&c), vec![row("ZP402", "G10", "30", "≤ 28", false)]);
    assert_eq!(rows(&check_spec(&s)), vec![]);
}

#[test]
fn not_applicable_indicators_are_left_out_and_the_rest_rescaled() {
    // 按期完成率 (20 points) 不适用: (10 + 8 + 20 + 30 + 9) × 100 ÷ 80 = 96.25.
    let mut s = base();
    s.set("E9", common::s("不适用"));
    s.set("G9", n(0.0));
    s.set("H9", common::s("0%"));
    s.set("G12", n(77.0));
    let c = check_spec_with(&s, &province());
    assert_eq!(
        platform_rows(&c),
        vec![row("ZP403", "G12", "77", "96.25", false)]
    );
}

#[test]
fn a_provincial_profile_asks_for_the_adjustments_reason() {
    let mut s = base();
    s.set("C5", n(40.0));
    let c = check_spec_with(&s, &province());
    assert_eq!(
        rows(&c),
        vec![row("ZP405", "D5", "50", "说明调整原因", false)]
    );
    // Nationally off: the national template has no place for it.
    assert_eq!(rows(&check_spec(&s)), vec![]);
    s.set("A13", common::s("评价结论"));
    s.set(
        "B13",
        common::s("自评得分97分。年中追加预算10万元用于扩大培训规模。"),
    );
    assert_eq!(rows(&check_spec_with(&s, &province())), vec![]);
}

#[test]
fn platform_values_are_checked_when_the_profile_is_read() {
    let err = |t: &str| zpcheck::profile::parse(t).unwrap_err();
    assert_eq!(
        err("[\"平台规则\"]\n\"指标偏离阈值\" = 30"),
        "“指标偏离阈值”与“指标偏离扣分”应一起给出"
    );
    assert!(
        err("[\"平台规则\"]\n\"上限\" = 1")
            .starts_with("[平台规则] 中未知的键“上限”；可用的键：执行率说明下限、"),
    );
    assert_eq!(
        err("[\"平台规则\"]\n\"总分上限\" = [[80]]"),
        "“平台规则.总分上限”的每一项应为 [执行率低于, 总分至多] 两个数"
    );
    assert_eq!(
        err("[\"平台规则\"]\n\"执行率说明下限\" = 120"),
        "“平台规则.执行率说明下限”的值无效，应为 0–100 的数"
    );
    // `rules` says which are on, with what values.
    assert_eq!(
        zpcheck::profile::platform_summary(&province()),
        "平台规则：执行率低于 90% 须说明原因（ZP404）；年中调整须说明原因（ZP405）：开；评价结论须写明总分（ZP406）：开；总分上限（ZP401）：执行率 < 80% 时 ≤ 89 分，执行率 < 70% 时 ≤ 79 分，执行率 < 60% 时 ≤ 69 分，执行率 < 50% 时 ≤ 59 分；指标偏离（ZP402）：实际超过目标 30% 及以上扣 2 分；不适用指标重算（ZP403）：开"
    );
    assert_eq!(
        zpcheck::profile::platform_summary(&Profile::default()),
        "平台规则：执行率低于 90% 须说明原因（ZP404）；年中调整须说明原因（ZP405）：关；评价结论须写明总分（ZP406）：开；总分上限（ZP401）：关；指标偏离（ZP402）：关；不适用指标重算（ZP403）：关"
    );
}
