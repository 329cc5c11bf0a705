//! Issue 27, item 1: the derived columns some templates add (Hebei 权重占比 / 折算得分,
//! Chongqing 得分系数, the analysis columns 完成率 / 偏差率), each sample (samples/, written by
//! `cargo run --example make_samples` from testkit/src/templates.rs) asserted cell by cell,
//! with variants that must not be corrected: a share in doubt, a plain number that could be a
//! fraction or a percent, an approximate actual.

use zpcheck_testkit as common;

use common::templates;
use common::*;
use zpcheck::{Profile, check_path};
use zpcheck_testkit::sample;

fn check(name: &str) -> zpcheck::Checked {
    check_path(&sample(name), &Profile::default()).expect("sample reads")
}

fn total(c: &zpcheck::Checked) -> (Option<String>, Option<String>) {
    let r = &c.forms[0].report;
    (
        r.claimed_total.map(|d| d.to_string()),
        r.computed_total.map(|d| d.to_string()),
    )
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn hebei_scaled_scores_add_up_to_the_total_and_are_their_score_times_share() {
    let c = check("hebei_weight_share.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            row("ZP311", "H11", "19", "18", true),
            row("ZP304", "H14", "98.5", "97.5", true),
        ]
    );
    assert_eq!(total(&c), (some("98.5"), some("97.5")));
    let f = &c.forms[0].form;
    // The shares are the weights: the form is read whole, not as a form missing its 分值.
    assert!(f.complete(), "{:?}", f.unread);
    assert_eq!(f.derived_cols.share, Some(6));
    assert_eq!(f.derived_cols.scaled, Some(7));
    // The 折算得分 is the indicator's score; 单项指标得分 is kept beside it.
    assert_eq!(f.indicators[3].score.cell.to_string(), "H11");
    assert_eq!(
        f.indicators[3]
            .derived
            .unit_score
            .as_ref()
            .map(|u| u.cell.to_string()),
        some("F11")
    );
    // Nothing per indicator is scored by rules 5/6 here, and the report says so.
    assert!(
        c.forms[0]
            .report
            .unchecked
            .iter()
            .any(|u| u.starts_with("指标块按权重占比折算得分")),
        "{:?}",
        c.forms[0].report.unchecked
    );
}

#[test]
fn explain_names_each_derived_columns_arithmetic() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .arg("explain")
        .arg(sample("hebei_weight_share.xlsx"))
        .output()
        .unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    for line in [
        "      第 11 行「受益人口」：一级 效益指标（A11）/ 二级 社会效益指标；分值：权重占比 G11（20%）\n",
        "    H 列 折算得分 = 单项指标得分（F 列）× 权重占比（G 列），各折算得分与执行率得分相加为总分（ZP311、ZP304）\n",
        "    G 列 权重占比：合计应为 100%（资金块有执行率分值时为 100% 减去该分值）（ZP312）\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

#[test]
fn hebei_shares_that_do_not_add_up_put_the_scaled_scores_in_doubt() {
    let mut spec = templates::hebei();
    // 15% for 20%: the shares add to 85%, not 90% (= 100% less the execution rate's 10).
    spec.set("G8", s("15%"));
    let c = check_spec(&spec);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP312", "G8", "15%", "90%", false),
            // 100 × 15% = 15, but the shares are in doubt: said, not written.
            row("ZP311", "H8", "20", "15（若输入无误）", false),
            row("ZP311", "H11", "19", "18（若输入无误）", false),
            // Nothing corrected: 总分 is held to the form's own 折算得分, which it adds right,
            // and no 总分 is computed from scores in doubt.
        ]
    );
    assert_eq!(total(&c), (some("98.5"), None));
}

#[test]
fn hebei_shares_as_fractions_are_read_by_their_sum() {
    let mut spec = templates::hebei();
    for (cell, v) in [
        ("G8", 0.2),
        ("G9", 0.2),
        ("G10", 0.1),
        ("G11", 0.2),
        ("G12", 0.1),
        ("G13", 0.1),
    ] {
        spec.set(cell, n(v));
    }
    let c = check_spec(&spec);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP311", "H11", "19", "18", true),
            row("ZP304", "H14", "98.5", "97.5", true),
        ]
    );
}

#[test]
fn chongqing_score_ratio_is_score_over_weight_in_the_cells_own_writing() {
    let c = check("chongqing_score_ratio.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            row("ZP313", "H7", "85%", "80%", true),
            row("ZP313", "H11", "100%", "90%", true),
        ]
    );
    let fixes: Vec<_> = c.findings().map(|f| f.fix.clone()).collect();
    assert_eq!(
        fixes,
        vec![
            Some(zpcheck::FixValue::Text("80%".into())),
            Some(zpcheck::FixValue::Text("90%".into())),
        ]
    );
    assert_eq!(total(&c), (some("97"), some("97")));
}

#[test]
fn a_score_ratio_follows_the_corrected_score() {
    let mut spec = templates::chongqing();
    // 培训人次 800 of ≥1000 scored 9 (→ 8 by rule 5): its 得分系数 "90%" agrees with the
    // score as written, and is wrong against the corrected one.
    spec.set("G7", n(9.0));
    spec.set("H7", s("90%"));
    spec.set("G12", n(98.0));
    let c = check_spec(&spec);
    assert_eq!(
        of_rule(&c, "ZP313"),
        vec![
            ("H7".into(), "90%".into(), "80%".into(), true),
            ("H11".into(), "100%".into(), "90%".into(), true),
        ]
    );
    assert_eq!(
        of_rule(&c, "ZP202"),
        vec![("G7".into(), "9".into(), "8".into(), true)]
    );
}

#[test]
fn a_plain_ratio_that_could_be_a_fraction_or_a_percent_is_not_corrected() {
    let mut spec = templates::chongqing();
    // Every 得分系数 a plain number at most 1: 0.85 could be 85% or 0.85%; right under
    // neither reading, it is reported, not written.
    for (cell, v) in [
        ("H7", 0.85),
        ("H8", 1.0),
        ("H9", 1.0),
        ("H10", 1.0),
        ("H11", 0.9),
    ] {
        spec.set(cell, n(v));
    }
    let c = check_spec(&spec);
    assert_eq!(
        of_rule(&c, "ZP313"),
        vec![("H7".into(), "0.85".into(), "80%".into(), false)]
    );
}

#[test]
fn analysis_columns_completion_and_deviation_by_direction() {
    let c = check("analysis_columns.xlsx");
    assert_eq!(
        rows(&c),
        vec![
            row("ZP314", "H7", "95%", "90%", true),
            row("ZP315", "I7", "-5%", "-10%", true),
            // ≤ 800 元 against 1000 元: a 反向 target, 完成率 800 ÷ 1000 = 80%.
            row("ZP315", "I8", "20%", "-20%", true),
        ]
    );
    let fixes: Vec<_> = c.findings().map(|f| f.fix.clone()).collect();
    let pct = |v: &str| {
        Some(zpcheck::FixValue::Number {
            value: v.parse().unwrap(),
            percent_format: true,
            formula: None,
        })
    };
    assert_eq!(fixes, vec![pct("90"), pct("-10"), pct("-20")]);
}

#[test]
fn an_approximate_actual_gives_a_completion_that_is_said_not_written() {
    let mut spec = templates::analysis_columns();
    spec.set("E7", s("约45户"));
    let c = check_spec(&spec);
    let zp314 = of_rule(&c, "ZP314");
    assert_eq!(
        zp314,
        vec![("H7".into(), "95%".into(), "90%".into(), false)]
    );
}

#[test]
fn derived_columns_round_trip_clean_after_fix() {
    for name in [
        "hebei_weight_share.xlsx",
        "chongqing_score_ratio.xlsx",
        "analysis_columns.xlsx",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.xlsx");
        let st = std::process::Command::new(env!("CARGO_BIN_EXE_zpcheck"))
            .arg("fix")
            .arg(sample(name))
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(st.status.code(), Some(1), "{name}");
        let again = check_path(&out, &Profile::default()).unwrap();
        assert_eq!(rows(&again), vec![], "{name}");
    }
}

#[test]
fn hebei_with_its_total_under_the_unscaled_scores_is_still_read_there() {
    // A template that writes 总分 in the 单项指标得分 column, the 折算得分 cell of the row left
    // blank: the 总分 is the first number right of its label.
    let mut spec = templates::hebei();
    for m in &mut spec.merges {
        if m == "A14:G14" {
            *m = "A14:E14".to_string();
        }
    }
    spec.set("H14", s(""));
    spec.set("F14", n(98.5));
    let c = check_spec(&spec);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP311", "H11", "19", "18", true),
            row("ZP304", "F14", "98.5", "97.5", true),
        ]
    );
}
