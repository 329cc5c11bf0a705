//! Unit tests of `num` (kept apart so that the module reads as the code it is).

use super::*;

/// The national profile's reading of a target or actual (the tests' shorthand).
fn parse_measure(s: &str) -> Option<Measure> {
    crate::profile::national().vocab.measure(s)
}

#[test]
fn years_are_found_in_titles_and_file_names() {
    assert_eq!(year_in("（2023年度）"), Some(2023));
    assert_eq!(year_in("项目支出绩效自评表（２０２２年度）"), Some(2022));
    assert_eq!(year_in("克拉玛依区 2021 年部门整体"), Some(2021));
    assert_eq!(year_in("12023年"), Some(2023));
    assert_eq!(year_in("编号 1234年"), None);
    assert_eq!(year_in("2023"), None);
    assert_eq!(year_in(""), None);
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn labels_normalise_spaces_widths_and_suffixes() {
    assert_eq!(label_key("年 初 预 算 数"), "年初预算数");
    assert_eq!(label_key("全年预算数（Ａ）"), "全年预算数");
    assert_eq!(label_key("执行率（B/A）"), "执行率");
    assert_eq!(label_key("其中：上级安排（万元）"), "上级安排");
    assert!(label_is("  总 分 ", &["总分", "合计"]));
    assert!(!label_is("总分说明", &["总分"]));
}

#[test]
fn float_noise_is_removed() {
    // The float right above 1852.18 is how Excel stores a sum such as 1852.1800000000001.
    assert_eq!(dec_from_f64(1852.18f64.next_up()), Some(d("1852.18")));
    assert_eq!(dec_from_f64(0.1 + 0.2), Some(d("0.3")));
    assert_eq!(dec_from_f64(89.974), Some(d("89.974")));
    assert_eq!(dec_from_f64(f64::NAN), None);
}

#[test]
fn rounding_is_half_away_from_zero() {
    assert_eq!(round2(d("9.965")), d("9.97"));
    assert_eq!(round2(d("-9.965")), d("-9.97"));
    assert_eq!(round2(d("9.9627")), d("9.96"));
    assert_eq!(round2(d("1.4548")), d("1.45"));
}

#[test]
fn numbers_stored_as_text() {
    assert_eq!(parse_number_text("1,852.18"), Some((d("1852.18"), false)));
    assert_eq!(parse_number_text(" 99.63 "), Some((d("99.63"), false)));
    assert_eq!(parse_number_text("99.63%"), Some((d("99.63"), true)));
    assert_eq!(parse_number_text("１２３．５"), Some((d("123.5"), false)));
    assert_eq!(parse_number_text("完成"), None);
    assert_eq!(parse_number_text("—"), None);
}

#[test]
fn measures_with_operator_and_unit() {
    let m = parse_measure(">=2 项").unwrap();
    assert_eq!(
        (m.op, m.value, m.unit.as_str()),
        (Some(Op::Ge), d("2"), "项")
    );
    let m = parse_measure("≥12家").unwrap();
    assert_eq!(
        (m.op, m.value, m.unit.as_str()),
        (Some(Op::Ge), d("12"), "家")
    );
    let m = parse_measure("=1 个").unwrap();
    assert_eq!(
        (m.op, m.value, m.unit.as_str()),
        (Some(Op::Eq), d("1"), "个")
    );
    let m = parse_measure("≤90万元").unwrap();
    assert_eq!(
        (m.op, m.value, m.unit.as_str()),
        (Some(Op::Le), d("90"), "万元")
    );
    let m = parse_measure("≥100百分比").unwrap();
    assert_eq!((m.value, m.unit.as_str()), (d("100"), "%"));
    let m = parse_measure("≤0.9‰").unwrap();
    assert_eq!(
        (m.op, m.value, m.unit.as_str()),
        (Some(Op::Le), d("0.9"), "‰")
    );
    let m = parse_measure("＞＝９５％").unwrap();
    assert_eq!(
        (m.op, m.value, m.unit.as_str()),
        (Some(Op::Ge), d("95"), "%")
    );
    let m = parse_measure("95%以上").unwrap();
    assert_eq!((m.op, m.value), (Some(Op::Ge), d("95")));
    let m = parse_measure("25家").unwrap();
    assert_eq!((m.op, m.value, m.unit.as_str()), (None, d("25"), "家"));
    assert_eq!(parse_measure("达成预期指标"), None);
    assert_eq!(parse_measure("2023年工作计划"), None);
    assert_eq!(parse_measure("健全"), None);
}

#[test]
fn not_applicable_markers() {
    for s in ["—", "-", "/", "——", "－", "无"] {
        assert!(is_not_applicable(s), "{s}");
    }
    assert!(!is_not_applicable("0"));
    assert!(!is_not_applicable(""));
}

#[test]
fn round_at_rounds_to_tens_for_a_negative_precision() {
    // A fraction shown at one decimal is a percent shown to tens: 14.46% is 10% there.
    assert_eq!(round_at(d("14.46"), -1), d("10"));
    assert_eq!(round_at(d("15"), -1), d("20"));
    assert_eq!(round_at(d("-15"), -1), d("-20"));
    assert_eq!(round_at(d("96"), -2), d("100"));
    assert_eq!(round_at(d("95.86"), 1), d("95.9"));
    assert_eq!(round_at(d("0.95865"), 4), d("0.9587"));
}
