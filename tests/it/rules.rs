//! Every rule, each on a form with one planted problem at a known cell: the exact cell, value
//! found, value expected and whether it is corrected.

use zpcheck_testkit as common;

use common::*;
use rust_decimal::Decimal;
use zpcheck::Profile;

fn clean() -> SheetSpec {
    national_clean()
}

#[test]
fn zp001_number_stored_as_text_is_read_and_warned() {
    let mut sh = clean();
    sh.set("C7", s("80")).set("D8", s(" 10 "));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP001"),
        vec![at("C7", "80", "80", true), at("D8", "10", "10", true)]
    );
    // The sums still hold: the text was read as a number.
    assert_eq!(of_rule(&c, "ZP101"), vec![]);
}

#[test]
fn zp001_thousands_separator_in_text() {
    let mut sh = clean();
    sh.set("C7", s("1,852.18")).set("C6", n(1862.18));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP001"),
        vec![at("C7", "1,852.18", "1852.18", true)]
    );
    assert_eq!(of_rule(&c, "ZP101"), vec![]);
}

#[test]
fn zp002_unreadable_part_skips_the_sum() {
    let mut sh = clean();
    sh.set("C7", s("八十万"));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP002"),
        vec![at("C7", "八十万", "数字", false)]
    );
    assert_eq!(of_rule(&c, "ZP101"), vec![]);
}

#[test]
fn zp101_blank_total_is_filled_from_parts() {
    let mut sh = clean();
    sh.set("D6", V::E);
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP101"),
        vec![at("D6", "（空）", "89.974", true)]
    );
}

#[test]
fn zp101_stale_total_keeps_entered_precision() {
    let mut sh = clean();
    sh.set("E7", n(79.97)).set("E6", n(89.974));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP101"),
        vec![at("E6", "89.974", "89.97", true)]
    );
}

#[test]
fn zp101_float_noise_is_equal() {
    let mut sh = clean();
    sh.set("C7", n(0.1))
        .set("C8", n(0.2))
        .set("C6", n(0.1 + 0.2));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP101"), vec![]);
}

#[test]
fn zp102_truncated_rate_yunnan() {
    // 2513 ÷ 7952 = 31.6016…% printed as 31%.
    let mut sh = clean();
    sh.set("D7", n(7952.0))
        .set("D8", n(0.0))
        .set("D6", n(7952.0));
    sh.set("E7", n(2513.0))
        .set("E8", n(0.0))
        .set("E6", n(2513.0));
    sh.set("G6", V::P(0.31)).set("H6", n(3.16));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP102"), vec![at("G6", "31%", "31.6%", true)]);
    assert_eq!(of_rule(&c, "ZP104"), vec![]);
    let fix = c
        .findings()
        .find(|f| f.rule == "ZP102")
        .and_then(|f| f.fix.clone());
    assert_eq!(
        fix,
        Some(zpcheck::FixValue::Number {
            value: Decimal::new(316, 1),
            percent_format: true,
            formula: None,
        })
    );
}

#[test]
fn zp102_blank_rate_is_filled() {
    let mut sh = clean();
    sh.set("G6", V::E);
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP102"), vec![at("G6", "（空）", "100%", true)]);
}

#[test]
fn zp102_every_way_of_writing_100_percent_is_accepted() {
    for v in [s("100%"), n(100.0), n(1.0), s("1"), s("100.00%"), V::P(1.0)] {
        let mut sh = clean();
        sh.set("G6", v.clone());
        let c = check_spec(&sh);
        assert_eq!(of_rule(&c, "ZP102"), vec![], "{v:?}");
    }
}

#[test]
fn zp102_rate_text_is_corrected_as_text() {
    let mut sh = clean();
    sh.set("G6", s("99%"));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP102"), vec![at("G6", "99%", "100%", true)]);
    let fix = c
        .findings()
        .find(|f| f.rule == "ZP102")
        .and_then(|f| f.fix.clone());
    assert_eq!(fix, Some(zpcheck::FixValue::Text("100%".into())));
}

#[test]
fn zp102_part_row_zero_over_zero_is_not_applicable() {
    let mut sh = clean();
    // 其他资金 0 ÷ 0 printed as 0.00%.
    sh.set("G9", V::P(0.0));
    let c = check_spec(&sh);
    assert_eq!(rows(&c), vec![]);
}

#[test]
fn zp103_execution_above_budget() {
    let mut sh = clean();
    sh.set("E7", n(85.0))
        .set("E6", n(95.0))
        .set("G6", V::P(95.0 / 89.974));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP103"),
        vec![
            at("E6", "95", "≤ 89.974", false),
            at("E7", "85", "≤ 79.974", false)
        ]
    );
    // The score is capped at the weight.
    assert_eq!(of_rule(&c, "ZP104"), vec![]);
}

#[test]
fn zp104_execution_score() {
    let mut sh = clean();
    sh.set("H6", n(9.5));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP104"), vec![at("H6", "9.5", "10", true)]);
    // 总分 is recomputed from the corrected score: the form's 97 stays right.
    assert_eq!(of_rule(&c, "ZP304"), vec![]);
}

#[test]
fn zp104_weight_20_is_read_from_the_sheet() {
    let mut sh = clean();
    sh.set("E7", n(71.9792))
        .set("E6", n(81.9792))
        .set("G6", V::P(0.9111));
    sh.set("F6", n(20.0)).set("H6", n(20.0));
    sh.set("G13", n(5.0))
        .set("G14", n(5.0))
        .set("H13", n(5.0))
        .set("H14", n(5.0));
    let c = check_spec(&sh);
    // 81.9792 ÷ 89.974 = 91.11%; 20 × 0.911143… = 18.22.
    assert_eq!(of_rule(&c, "ZP104"), vec![at("H6", "20", "18.22", true)]);
    assert_eq!(of_rule(&c, "ZP301"), vec![]);
}

#[test]
fn zp105_missing_execution_weight() {
    let mut sh = clean();
    sh.set("F6", V::E);
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP105"),
        vec![at("F6", "（空）", "分值（通常为 10）", false)]
    );
}

#[test]
fn zp201_qualitative_score_above_weight_is_capped() {
    let mut sh = clean();
    sh.set("H20", n(12.0));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP201"), vec![at("H20", "12", "10", true)]);
}

#[test]
fn zp201_negative_score() {
    let mut sh = clean();
    sh.set("H13", n(-1.0));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP201"), vec![at("H13", "-1", "10", true)]);
}

#[test]
fn zp202_forward_not_met_is_proportional() {
    let mut sh = clean();
    sh.set("F13", s("18个"));
    let c = check_spec(&sh);
    // 10 × 18 ÷ 20 = 9.
    assert_eq!(of_rule(&c, "ZP202"), vec![at("H13", "10", "9", true)]);
    // The reason column says only "无": a lost point needs a reason.
    assert_eq!(
        of_rule(&c, "ZP208"),
        vec![at("I13", "无", "填写扣分原因", false)]
    );
}

#[test]
fn zp202_chongqing_procurement_rate() {
    let mut sh = clean();
    sh.set("G19", n(2.0))
        .set("H19", n(2.0))
        .set("F19", s("72.74%"));
    sh.set("G18", n(18.0)).set("H18", n(18.0));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP202"), vec![at("H19", "2", "1.45", true)]);
}

#[test]
fn zp202_blank_score_is_computed() {
    let mut sh = clean();
    sh.set("H14", V::E);
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP202"), vec![at("H14", "（空）", "10", true)]);
}

#[test]
fn zp203_reverse_indicator_over_target() {
    let mut sh = clean();
    sh.set("F17", s("5万元")).set("I17", s("燃料涨价"));
    let c = check_spec(&sh);
    // 5 × 4.5 ÷ 5 = 4.5.
    assert_eq!(of_rule(&c, "ZP203"), vec![at("H17", "5", "4.5", true)]);
    assert_eq!(of_rule(&c, "ZP208"), vec![]);
}

#[test]
fn zp203_reverse_indicator_met_gets_full_marks() {
    let mut sh = clean();
    sh.set("H17", n(4.0)).set("I17", s("—"));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP203"), vec![at("H17", "4", "5", true)]);
}

#[test]
fn zp204_threshold_comes_from_the_profile() {
    let mut sh = clean();
    sh.set("F14", s("18份"));
    let national = check_spec(&sh);
    assert_eq!(
        of_rule(&national, "ZP204"),
        vec![at("F14", "18份", "酌情扣分（需人工判断）", false)]
    );
    let strict = Profile {
        far_above_target: Decimal::new(2, 0),
        ..Profile::default()
    };
    assert_eq!(of_rule(&check_spec_with(&sh, &strict), "ZP204"), vec![]);
}

#[test]
fn zp205_qualitative_band_national_and_hubei() {
    let mut sh = clean();
    sh.set("H20", n(5.5));
    let national = check_spec(&sh);
    assert_eq!(
        of_rule(&national, "ZP205"),
        vec![at("H20", "5.5", "6–8", false)]
    );
    let hubei = Profile {
        band_partial: Decimal::new(5, 1),
        ..Profile::default()
    };
    assert_eq!(of_rule(&check_spec_with(&sh, &hubei), "ZP205"), vec![]);
}

#[test]
fn zp205_achieved_text_needs_80_percent() {
    let mut sh = clean();
    sh.set("F20", s("健全")).set("H20", n(7.0));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP205"), vec![at("H20", "7", "8–10", false)]);
}

#[test]
fn zp206_count_words_differ() {
    let mut sh = clean();
    sh.set("F13", s("20家"));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP206"),
        vec![at("F13", "20家", "个（与目标同一单位）", false)]
    );
    assert_eq!(of_rule(&c, "ZP202"), vec![]);
}

#[test]
fn zp206_money_units_are_converted() {
    let mut sh = clean();
    sh.set("F17", s("44000元"));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP206"),
        vec![at("F17", "44000元", "万元（与目标同一单位）", false)]
    );
    assert_eq!(of_rule(&c, "ZP203"), vec![]);
}

#[test]
fn zp207_incomparable_units() {
    let mut sh = clean();
    sh.set("F17", s("95%"));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP207"),
        vec![at("F17", "95%", "万元（与目标同一单位）", false)]
    );
    assert_eq!(of_rule(&c, "ZP203"), vec![]);
}

#[test]
fn zp208_missing_reason() {
    let mut sh = clean();
    sh.set("I20", V::E);
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP208"),
        vec![at("I20", "（空）", "填写扣分原因", false)]
    );
}

#[test]
fn zp209_blank_qualitative_score() {
    let mut sh = clean();
    sh.set("H20", V::E);
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP209"),
        vec![at("H20", "（空）", "0–10", false)]
    );
}

#[test]
fn zp301_zp302_zp303_weights() {
    let mut sh = clean();
    sh.set("G13", n(15.0)).set("H13", n(15.0));
    let c = check_spec(&sh);
    assert_eq!(
        of_rule(&c, "ZP303"),
        vec![at("B13", "产出指标（50分）", "50", false)]
    );
    assert_eq!(of_rule(&c, "ZP301"), vec![at("G22", "105", "100", false)]);
    // The weights (105) contradict the 总分 row (100) and the form does not say which is
    // wrong: both are reported, neither is corrected (form-and-rules.md §3).
    assert_eq!(of_rule(&c, "ZP302"), vec![at("G22", "100", "105", false)]);
}

#[test]
fn zp302_total_weight_cell() {
    let mut sh = clean();
    sh.set("G22", n(90.0));
    let c = check_spec(&sh);
    assert_eq!(rows(&c), vec![row("ZP302", "G22", "90", "100", true)]);
}

#[test]
fn zp304_total_score_hubei() {
    let mut sh = clean();
    sh.set("H16", n(19.6)).set("H22", n(96.6));
    let c = check_spec(&sh);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP202", "H16", "19.6", "20", true),
            row("ZP304", "H22", "96.6", "97", true)
        ]
    );
}

#[test]
fn zp305_grade() {
    let mut sh = clean();
    sh.set("B23", s("良"));
    let c = check_spec(&sh);
    assert_eq!(rows(&c), vec![row("ZP305", "B23", "良", "优", true)]);
}

#[test]
fn zp305_grade_follows_the_corrected_total() {
    let mut sh = clean();
    for (cell, v) in [("H13", 1.0), ("H14", 1.0), ("H16", 1.0), ("H18", 1.0)] {
        sh.set(cell, n(v));
    }
    sh.set("H22", n(57.0));
    let c = check_spec(&sh);
    // The scores are corrected back, so 总分 is 97 and 优 stays right.
    assert_eq!(of_rule(&c, "ZP304"), vec![at("H22", "57", "97", true)]);
    assert_eq!(of_rule(&c, "ZP305"), vec![]);
}

#[test]
fn scores_round_half_away_from_zero_not_truncate() {
    let mut sh = clean();
    // 10 × 19.95 ÷ 20 = 9.975: shown as 9.98, never the truncated 9.97.
    sh.set("F13", s("19.95个"))
        .set("H13", n(9.97))
        .set("I13", s("一处站点停运"));
    let c = check_spec(&sh);
    assert_eq!(of_rule(&c, "ZP202"), vec![at("H13", "9.97", "9.98", true)]);
}

#[test]
fn percent_actual_written_as_a_fraction_is_understood() {
    let mut sh = clean();
    sh.set("F18", n(0.96)).set("F21", s("0.93"));
    let c = check_spec(&sh);
    assert_eq!(rows(&c), vec![]);
}

#[test]
fn extreme_values_never_panic() {
    let mut sh = clean();
    sh.set("E13", s("≥0.000000000000001个"))
        .set("F13", s("999999999999999个"))
        .set("E17", s("≤0.000000000000001万元"))
        .set("F17", s("0.000000000000002万元"))
        .set("D7", n(1e-300))
        .set("D8", n(1e300))
        .set("E7", s("9".repeat(40).as_str()))
        .set("G14", s("1e400"));
    let c = check_spec(&sh);
    // Out-of-range numbers are unreadable, not overflowing.
    assert!(
        of_rule(&c, "ZP002").iter().any(|f| f.0 == "D8"),
        "{:?}",
        rows(&c)
    );
    assert!(
        of_rule(&c, "ZP002").iter().any(|f| f.0 == "E7"),
        "{:?}",
        rows(&c)
    );
    // 10^15 times the target with full marks is far above it.
    assert!(
        of_rule(&c, "ZP204").iter().any(|f| f.0 == "F13"),
        "{:?}",
        rows(&c)
    );
    // 5 × 0.000000000000001 ÷ 0.000000000000002 = 2.5 — but the weight G14 cannot be read,
    // so the weights do not add up to 100 (ZP301) and every weight is in doubt: not written.
    assert_eq!(
        of_rule(&c, "ZP203"),
        vec![at("H17", "5", "2.5（若输入无误）", false)]
    );
}

#[test]
fn qualitative_values_get_the_band_check_only() {
    let mut sh = clean();
    // 达成 at 9 of 10 is inside 8–10; 完成 at 8 too; neither is computable, so no score error.
    sh.set("E19", s("达成预期指标"))
        .set("F19", s("达成预期指标"))
        .set("H19", n(9.0))
        .set("I19", s("个别环节待改进"));
    sh.set("E20", s("完成"))
        .set("F20", s("完成"))
        .set("H20", n(8.0));
    // 10 + 10 + 10 + 5 + 20 + 5 + 10 + 9 + 8 + 10 = 97: the 总分 still holds.
    let c = check_spec(&sh);
    assert_eq!(rows(&c), vec![]);
    // Below the band is only a warning, never a correction.
    sh.set("H20", n(7.0)).set("H22", n(96.0));
    let c = check_spec(&sh);
    assert_eq!(rows(&c), vec![row("ZP205", "H20", "7", "8–10", false)]);
}
