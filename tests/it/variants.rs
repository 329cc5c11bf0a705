//! Layout variants of real submissions (section 2 of form-and-rules.md): the Sichuan form with
//! operator and unit columns, and a shifted, decorated national form with full-width text.
//! Each has a clean sample (saved by LibreOffice) and planted errors at known cells.

use zpcheck_testkit as common;

use common::*;
use zpcheck::{Profile, check_path};
use zpcheck_testkit::sample;

#[test]
fn sichuan_sample_is_clean_with_its_zero_over_zero_parts() {
    let c = check_path(
        &sample("sichuan_operator_columns.xlsx"),
        &Profile::default(),
    )
    .unwrap();
    assert_eq!(rows(&c), vec![]);
    let f = &c.forms[0];
    assert_eq!(
        f.report.claimed_total.map(|d| d.to_string()),
        Some("98.5".into())
    );
    assert_eq!(
        f.report.computed_total.map(|d| d.to_string()),
        Some("98.5".into())
    );
    // Operator, number and unit columns are joined into one target.
    let ind = &f.form.indicators;
    assert_eq!(ind.len(), 9);
    assert_eq!(
        (ind[0].target.raw.as_str(), ind[0].actual.raw.as_str()),
        ("≥5个", "5个")
    );
    assert_eq!(
        (ind[4].target.raw.as_str(), ind[4].actual.raw.as_str()),
        ("≤40万元", "39.9万元")
    );
    assert_eq!(ind[7].target.raw, "健全");
    assert_eq!(
        (ind[5].level1.as_str(), ind[5].level2.as_str()),
        ("效益指标", "经济效益指标")
    );
}

#[test]
fn sichuan_planted_errors() {
    let mut sh = sichuan();
    // 4.5 of a 5 万元 target scored full; a 补助 above its ≤ 40 cap scored full; 合计 not updated.
    sh.set("I19", n(10.0));
    sh.set("G18", n(45.0)).set("J18", s("物价上涨"));
    let c = check_spec(&sh);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP203", "I18", "5", "4.44", true),
            row("ZP202", "I19", "10", "9", true),
            row("ZP304", "I23", "98.5", "97.94", true),
        ]
    );
}

#[test]
fn sichuan_part_rate_is_checked_when_it_is_a_number() {
    let mut sh = sichuan();
    sh.set("G7", V::P(0.9));
    let c = check_spec(&sh);
    assert_eq!(rows(&c), vec![row("ZP102", "G7", "90%", "95%", true)]);
}

#[test]
fn decorated_sample_is_clean() {
    let c = check_path(&sample("decorated_shifted.xlsx"), &Profile::default()).unwrap();
    assert_eq!(rows(&c), vec![]);
    let f = &c.forms[0];
    assert_eq!(f.form.sheet, "附件2");
    assert_eq!(f.form.title, "项目支出绩效自评表（２０２２年度）");
    assert_eq!(f.form.indicators.len(), 9);
    assert_eq!(
        f.report.computed_total.map(|d| d.to_string()),
        Some("97".into())
    );
}

#[test]
fn decorated_planted_errors_at_shifted_cells() {
    let mut sh = decorated();
    // Full-width actual below its full-width target; total row never summed.
    sh.set("G16", s("１８个")).set("J16", s("两个站点停运"));
    sh.set("D9", n(0.0));
    sh.set("I25", n(97.0));
    let c = check_spec(&sh);
    assert_eq!(
        rows(&c),
        vec![
            row("ZP101", "D9", "0", "90", true),
            row("ZP202", "I16", "10", "9", true),
            row("ZP304", "I25", "97", "96", true),
        ]
    );
}

#[test]
fn a_profile_operator_word_in_its_own_column_is_joined_like_a_national_one() {
    // The Sichuan form with the first indicator's 指标性质 column holding "起码", an operator
    // word only a provincial profile knows, and an actual above its target of 5.
    let mut spec = zpcheck_testkit::forms::sichuan();
    spec.set("D14", s("起码")).set("G14", n(6.0));
    let national = check_spec(&spec);
    let ind = &national.forms[0].form.indicators[0];
    // Nationally "起码5个" is no measure: neither the operator nor the unit is joined to
    // the target (the actual takes its unit).
    assert_eq!(
        (ind.target.raw.as_str(), ind.actual.raw.as_str()),
        ("5", "6个")
    );
    let profile = zpcheck::profile::parse("[\"运算符\"]\n\"≥\" = [\"起码\"]\n").unwrap();
    let provincial = zpcheck_testkit::check_spec_with(&spec, &profile);
    let f = &provincial.forms[0];
    let ind = &f.form.indicators[0];
    assert_eq!(
        (ind.target.raw.as_str(), ind.actual.raw.as_str()),
        ("起码5个", "6个")
    );
    let m = ind.target.measure_with(&profile.vocab).unwrap();
    assert_eq!(
        (m.op, m.value.to_string(), m.unit.as_str()),
        (Some(zpcheck::num::Op::Ge), "5".to_string(), "个")
    );
    // Met at "≥ 5" with full marks: nothing to report on that row.
    assert_eq!(
        rows(&provincial)
            .into_iter()
            .filter(|r| r.1.ends_with("14"))
            .collect::<Vec<_>>(),
        vec![]
    );
}
