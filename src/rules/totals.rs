//! Rules 11–13, the totals: weights add up to 100 (and to what a 一级 label states), 总分 is the
//! execution score plus the indicator scores, and the grade follows from 总分.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::funding::ExecResult;
use super::indicators::Scored;
use super::{Ctx, GRADE, GROUP_WEIGHT, TOTAL_SCORE, TOTAL_WEIGHT, WEIGHT_SUM, number_fix};
use crate::finding::FixValue;
use crate::form::Value;
use crate::num::{fmt_dec, normalize, round2};
use crate::read::CellRef;

/// What the totals give the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    /// The 总分 the form states.
    pub claimed: Option<Decimal>,
    /// The 总分 recomputed from the corrected scores.
    pub computed: Option<Decimal>,
    /// The grade of the recomputed 总分.
    pub grade: Option<&'static str>,
}

/// The grade of a 总分: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60.
pub fn grade_of(total: Decimal) -> &'static str {
    if total >= Decimal::from(90) {
        "优"
    } else if total >= Decimal::from(80) {
        "良"
    } else if total >= Decimal::from(60) {
        "中"
    } else {
        "差"
    }
}

/// The points a 一级 label states: "产出指标（50分）" → 50.
pub fn stated_points(label: &str) -> Option<Decimal> {
    let n = normalize(label);
    let open = n.rfind('(')?;
    let inner = n[open + 1..].strip_suffix(')')?;
    let num = inner.strip_suffix('分')?;
    num.parse().ok()
}

/// Checks rules 11–13.
pub fn check(ctx: &mut Ctx, exec: &ExecResult, scores: &[Scored]) -> Totals {
    let form = ctx.form;
    let ind_weight: Decimal = scores.iter().filter_map(|s| s.weight).sum();
    let weight_sum = (exec.weight.unwrap_or_default() + ind_weight).normalize();
    let hundred = Decimal::ONE_HUNDRED;

    if !form.indicators.is_empty() {
        // Rule 11, per group.
        let mut groups: BTreeMap<CellRef, (String, Decimal)> = BTreeMap::new();
        for (ind, s) in form.indicators.iter().zip(scores) {
            let e = groups
                .entry(ind.level1_cell)
                .or_insert_with(|| (ind.level1.clone(), Decimal::ZERO));
            e.1 += s.weight.unwrap_or_default();
        }
        for (cell, (label, sum)) in groups {
            if let Some(stated) = stated_points(&label)
                && stated != sum
            {
                let field = crate::form::Field {
                    cell,
                    raw: label.clone(),
                    value: Value::Text(label.clone()),
                    formula: None,
                    percent_format: false,
                    formula_note: None,
                };
                let msg = format!(
                    "{cell} 一级指标“{label}”标注 {} 分，其下指标分值合计为 {}",
                    fmt_dec(stated),
                    fmt_dec(sum)
                );
                ctx.emit(&GROUP_WEIGHT, &field, fmt_dec(stated), msg, None);
            }
        }
        // Rule 11, all weights.
        if weight_sum != hundred {
            let field = form
                .total
                .as_ref()
                .map(|t| t.weight.clone())
                .unwrap_or_else(|| form.indicators[0].weight.clone());
            let msg = format!(
                "{} 分值合计为 {}（执行率 {} + 指标 {}），应为 100",
                field.cell,
                fmt_dec(weight_sum),
                fmt_dec(exec.weight.unwrap_or_default()),
                fmt_dec(ind_weight)
            );
            let mut f = field;
            f.raw = fmt_dec(weight_sum);
            ctx.emit(&WEIGHT_SUM, &f, "100", msg, None);
        }
    }

    let ind_score: Decimal = scores.iter().filter_map(|s| s.score).sum();
    let computed = (!form.indicators.is_empty() || exec.score.is_some())
        .then(|| round2(exec.score.unwrap_or_default() + ind_score).normalize());
    let mut claimed = None;

    if let Some(total) = form.total.as_ref() {
        let tw = ctx.number_or_warn(&total.weight, "总分行分值");
        if tw != Some(weight_sum) && !form.indicators.is_empty() {
            let msg = format!(
                "{} 总分行分值为 {}，执行率分值与各指标分值之和为 {}",
                total.weight.cell,
                total.weight.shown(),
                fmt_dec(weight_sum)
            );
            ctx.emit(
                &TOTAL_WEIGHT,
                &total.weight,
                fmt_dec(weight_sum),
                msg,
                number_fix(weight_sum),
            );
        }
        claimed = ctx.number_or_warn(&total.score, "总分");
        if let Some(computed) = computed {
            // Adding the unrounded execution score is a legitimate way to reach 总分 too.
            let alt = exec.score_exact.map(|e| round2(e + ind_score));
            let ok = claimed.is_some_and(|c| round2(c) == computed || Some(round2(c)) == alt);
            if !ok {
                let msg = format!(
                    "{} 总分为 {}，执行率得分 {} + 指标得分合计 {} 应为 {}",
                    total.score.cell,
                    total.score.shown(),
                    fmt_dec(exec.score.unwrap_or_default()),
                    fmt_dec(ind_score),
                    fmt_dec(computed)
                );
                ctx.emit(
                    &TOTAL_SCORE,
                    &total.score,
                    fmt_dec(computed),
                    msg,
                    number_fix(computed),
                );
            }
        }
    }

    let grade = computed.map(grade_of);
    if let (Some(field), Some(expected), Some(total)) = (form.grade.as_ref(), grade, computed) {
        let shown = normalize(&field.raw);
        let found = shown.chars().next().map(String::from).unwrap_or_default();
        // Only a grade cell that holds a grade (or nothing) is the form's grade.
        let is_grade = found.is_empty() || "优良中差".contains(found.as_str());
        if is_grade && found != expected {
            let msg = format!(
                "{} 等级为“{}”，按总分 {} 应为“{}”",
                field.cell,
                field.shown(),
                fmt_dec(total),
                expected
            );
            ctx.emit(
                &GRADE,
                field,
                expected,
                msg,
                Some(FixValue::Text(expected.to_string())),
            );
        }
    }

    Totals {
        claimed,
        computed,
        grade,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades() {
        assert_eq!(grade_of(Decimal::from(90)), "优");
        assert_eq!(grade_of(Decimal::new(8999, 2)), "良");
        assert_eq!(grade_of(Decimal::from(80)), "良");
        assert_eq!(grade_of(Decimal::new(7999, 2)), "中");
        assert_eq!(grade_of(Decimal::from(60)), "中");
        assert_eq!(grade_of(Decimal::new(5999, 2)), "差");
    }

    #[test]
    fn stated_points_in_labels() {
        assert_eq!(stated_points("产出指标（50分）"), Some(Decimal::from(50)));
        assert_eq!(stated_points("满意度指标(10分)"), Some(Decimal::from(10)));
        assert_eq!(stated_points("产出指标"), None);
    }
}
