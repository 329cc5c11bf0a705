//! Rules 11–13, the totals: weights add up to 100 (and to what a 一级 label states), 总分 is the
//! execution score plus the indicator scores, and the grade follows from 总分.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::funding::ExecResult;
use super::indicators::Scored;
use super::{
    Agree, Ctx, GRADE, GROUP_SCORE, GROUP_WEIGHT, TOTAL_SCORE, TOTAL_WEIGHT, WEIGHT_SUM, agree,
    number_fix,
};
use crate::finding::FixValue;
use crate::form::{Field, Value};
use crate::grid::CellRef;
use crate::num::{fmt_dec, normalize};
use crate::vocab::stated_points;

/// What the totals give the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    /// The 总分 the form states.
    pub claimed: Option<Decimal>,
    /// The 总分 recomputed from the corrected scores: `None` when a score is missing or one
    /// of them is in doubt.
    pub computed: Option<Decimal>,
    /// When scores are missing: the 总分 the scores present give at least.
    pub computed_min: Option<Decimal>,
    /// The grade of the recomputed 总分.
    pub grade: Option<&'static str>,
}

/// The grade of a 总分 with the national cut-offs: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60.
pub fn grade_of(total: Decimal) -> &'static str {
    super::Grades::default().of(total)
}

/// A field standing for a label cell (a 一级 group), for findings reported there.
fn label_field(cell: CellRef, label: &str) -> Field {
    let mut f = Field::blank(cell);
    f.raw = label.to_string();
    f.value = Value::Text(label.to_string());
    f
}

/// A field at a label or merged cell whose finding is about the scores under it: what it
/// shows as found is their sum ("得分合计 12"), not the label.
fn sum_field(cell: CellRef, sum: Decimal) -> Field {
    let text = format!("得分合计 {}", fmt_dec(sum));
    let mut f = Field::blank(cell);
    f.raw = text.clone();
    f.value = Value::Text(text);
    f
}

/// 总分 from the scores as the form shows them: a score right only at the fewer decimals it
/// shows (a ZP003 finding at its cell) counts as shown. `None` when no score is such.
fn as_shown_total(ctx: &Ctx, exec: &ExecResult, scores: &[Scored]) -> Option<Decimal> {
    let low: Vec<CellRef> = ctx
        .findings
        .iter()
        .filter(|f| f.rule == super::LOW_PRECISION.code)
        .map(|f| f.cell)
        .collect();
    if low.is_empty() {
        return None;
    }
    let form = ctx.form;
    let shown = |field: &Field, value: Option<Decimal>| {
        if low.contains(&field.cell) {
            field.number().or(value)
        } else {
            value
        }
    };
    let exec_score = form
        .funding
        .as_ref()
        .and_then(|f| f.total.score.as_ref())
        .map_or(exec.score, |f| shown(f, exec.score));
    let ind: Decimal = form
        .indicators
        .iter()
        .zip(scores)
        .filter_map(|(i, s)| shown(&i.score, s.score))
        .sum();
    Some(exec_score.unwrap_or_default() + ind)
}

/// The cells a total adds (the execution row's and the indicators'), when they are all on the
/// total's sheet; empty otherwise (a formula then cannot add them, and is not repaired).
fn same_sheet<'a>(
    total: &Field,
    exec: Option<&'a Field>,
    indicators: impl Iterator<Item = &'a Field>,
) -> Vec<CellRef> {
    let all: Vec<&Field> = exec.into_iter().chain(indicators).collect();
    if all.iter().any(|f| f.sheet != total.sheet) {
        return Vec::new();
    }
    all.iter().map(|f| f.cell).collect()
}

/// Checks rules 11–13. Only a form read completely is checked: 总分, the grade and the weight
/// totals depend on every part of it.
pub fn check(ctx: &mut Ctx, exec: &ExecResult, scores: &[Scored]) -> Totals {
    let form = ctx.form;
    if !form.complete() || form.indicators.is_empty() || form.unscored {
        return Totals {
            claimed: form.total.as_ref().and_then(|t| t.score.number()),
            computed: None,
            computed_min: None,
            grade: None,
        };
    }
    let hundred = Decimal::ONE_HUNDRED;
    // Weights per 一级 group, in form order: (label, Σ weights, Σ scores).
    let by_column = form.indicators.iter().all(|i| i.weight.is_some());
    let mut groups: BTreeMap<CellRef, (String, Decimal, Decimal)> = BTreeMap::new();
    for (ind, s) in form.indicators.iter().zip(scores) {
        let e = groups
            .entry(ind.level1_cell)
            .or_insert_with(|| (ind.level1.clone(), Decimal::ZERO, Decimal::ZERO));
        e.1 += s.weight.unwrap_or_default();
        e.2 += s.score.unwrap_or_default();
    }
    let in_group = |cell: CellRef| {
        form.indicators
            .iter()
            .filter(move |i| i.level1_cell == cell)
    };
    let mut ind_weight = Decimal::ZERO;
    // Groups that state no points of their own (the block's label states them all).
    let mut unstated = false;
    for (cell, (label, weights, scores)) in &groups {
        let stated = stated_points(label);
        if by_column {
            ind_weight += *weights;
            if let Some(stated) = stated
                && stated != *weights
            {
                let msg = format!(
                    "{cell} 一级指标“{label}”标注 {} 分，其下指标分值合计为 {}",
                    fmt_dec(stated),
                    fmt_dec(*weights)
                );
                ctx.emit(
                    &GROUP_WEIGHT,
                    &label_field(*cell, label),
                    fmt_dec(stated),
                    msg,
                    None,
                );
                // Either the label or a weight below it is wrong: all of them are in doubt.
                ctx.raise(in_group(*cell).filter_map(|i| i.weight.as_ref()));
            }
        } else {
            // Weights stated per group, or only for the whole block (then checked below).
            let Some(stated) = stated else {
                unstated = true;
                continue;
            };
            ind_weight += stated;
            if *scores > stated {
                let msg = format!(
                    "{cell} 一级指标“{label}”标注 {} 分，其下指标得分合计 {} 超过该分值",
                    fmt_dec(stated),
                    fmt_dec(*scores)
                );
                ctx.emit(
                    &GROUP_SCORE,
                    &sum_field(*cell, *scores),
                    format!("≤ {}", fmt_dec(stated)),
                    msg,
                    None,
                );
                // Which score is too high cannot be told: all of the group's are in doubt.
                ctx.raise(in_group(*cell).map(|i| &i.score));
            }
        }
    }
    // No weights anywhere but the block's label ("年度绩效目标1（80分）"): its points are the
    // indicators' weight, and cap the sum of their scores.
    if let (true, Some((stated, cell, label))) = (unstated, &form.indicators_stated) {
        ind_weight = *stated;
        let sum: Decimal = scores.iter().filter_map(|s| s.score).sum();
        if sum > *stated {
            let msg = format!(
                "{cell} 指标块标注“{label}”为 {} 分，各指标得分合计 {} 超过该分值",
                fmt_dec(*stated),
                fmt_dec(sum)
            );
            ctx.emit(
                &GROUP_SCORE,
                &sum_field(*cell, sum),
                format!("≤ {}", fmt_dec(*stated)),
                msg,
                None,
            );
            ctx.raise(form.indicators.iter().map(|i| &i.score));
        }
    }
    // "年度绩效目标（80分）": the indicator block's weights add up to what its label states.
    if let Some((stated, cell, label)) = &form.indicators_stated
        && *stated != ind_weight
    {
        let msg = format!(
            "{cell} 指标块标注“{label}”为 {} 分，各指标分值合计为 {}",
            fmt_dec(*stated),
            fmt_dec(ind_weight)
        );
        ctx.emit(
            &GROUP_WEIGHT,
            &label_field(*cell, label),
            fmt_dec(*stated),
            msg,
            None,
        );
        ctx.raise(form.indicators.iter().filter_map(|i| i.weight.as_ref()));
    }
    // A 分值 merged over several indicators caps their scores together.
    let mut shared: Vec<(crate::grid::Merge, Decimal, Decimal, usize)> = Vec::new();
    for (ind, s) in form.indicators.iter().zip(scores) {
        let Some(m) = ind.weight_shared else { continue };
        match shared.iter_mut().find(|x| x.0 == m) {
            Some(x) => {
                x.2 += s.score.unwrap_or_default();
                x.3 += 1;
            }
            None => shared.push((
                m,
                s.weight.unwrap_or_default(),
                s.score.unwrap_or_default(),
                1,
            )),
        }
    }
    for (m, weight, sum, n) in shared {
        if sum > weight {
            let field = sum_field(m.first, sum);
            let msg = format!(
                "{} 合并单元格 {}:{} 的分值 {} 由 {n} 个指标共用，其下各指标得分合计 {} 超过该分值",
                m.first,
                m.first,
                m.last,
                fmt_dec(weight),
                fmt_dec(sum)
            );
            ctx.emit(
                &GROUP_SCORE,
                &field,
                format!("≤ {}", fmt_dec(weight)),
                msg,
                None,
            );
            ctx.raise(
                form.indicators
                    .iter()
                    .filter(|i| i.weight_shared == Some(m))
                    .map(|i| &i.score),
            );
        }
    }
    let weight_sum = (exec.weight.unwrap_or_default() + ind_weight).normalize();

    // Rule 11, all weights (a block that weighs by 权重占比 has its shares checked instead,
    // ZP312).
    if weight_sum != hundred && form.derived_cols.scaled.is_none() {
        let mut field = form
            .total
            .as_ref()
            .map(|t| t.weight.clone().unwrap_or_else(|| t.score.clone()))
            .or_else(|| form.indicators[0].weight.clone())
            .unwrap_or_else(|| form.indicators[0].score.clone());
        let msg = format!(
            "{} 分值合计为 {}（执行率 {} + 指标 {}），应为 100",
            field.cell,
            fmt_dec(weight_sum),
            fmt_dec(exec.weight.unwrap_or_default()),
            fmt_dec(ind_weight)
        );
        field.raw = fmt_dec(weight_sum);
        ctx.emit(&WEIGHT_SUM, &field, "100", msg, None);
        // Which weight is wrong the form does not say: every one is in doubt.
        let exec_weight = form.funding.as_ref().and_then(|f| f.total.weight.as_ref());
        let total_weight = form.total.as_ref().and_then(|t| t.weight.as_ref());
        ctx.raise(
            exec_weight
                .into_iter()
                .chain(total_weight)
                .chain(form.indicators.iter().filter_map(|i| i.weight.as_ref())),
        );
    }

    let ind_score: Decimal = scores.iter().filter_map(|s| s.score).sum();
    let computed = super::expect::total(exec.score.unwrap_or_default(), [ind_score]);
    let mut claimed = None;
    // The cells 总分 is computed from: the execution score and every indicator score.
    let exec_score_field = form.funding.as_ref().and_then(|f| f.total.score.as_ref());
    let score_inputs: Vec<&Field> = exec_score_field
        .into_iter()
        .chain(form.indicators.iter().map(|i| &i.score))
        .collect();
    // A form never scored, or with scores missing, has no 总分 to compute: only what the scores
    // present give at least.
    if super::indicators::never_scored(form) {
        return Totals {
            claimed: None,
            computed: None,
            computed_min: None,
            grade: None,
        };
    }
    if scores.iter().any(|s| s.score.is_none()) {
        return Totals {
            claimed: form.total.as_ref().and_then(|t| t.score.number()),
            computed: None,
            computed_min: Some(computed),
            grade: None,
        };
    }
    let trusted = score_inputs
        .iter()
        .all(|f| !ctx.doubted.contains(&(ctx.sheet_of(f), f.cell)));

    let mut total_follows = None;
    let mut graded_total = None;
    if let Some(total) = form.total.as_ref() {
        if let Some(weight) = total.weight.as_ref() {
            let tw = ctx.number_or_warn(weight, "总分行分值");
            if tw != Some(weight_sum) {
                // The cell is wrong only when the weights themselves add up to 100; when they
                // do not, the two figures contradict each other and neither is corrected.
                let certain = weight_sum == hundred;
                let msg = if certain {
                    format!(
                        "{} 总分行分值为 {}，执行率分值与各指标分值之和为 {}",
                        weight.cell,
                        weight.shown(),
                        fmt_dec(weight_sum)
                    )
                } else {
                    format!(
                        "{} 总分行分值为 {}，而执行率分值与各指标分值之和为 {}：两者矛盾，表中没有说明哪一个有误，未更正，请核实",
                        weight.cell,
                        weight.shown(),
                        fmt_dec(weight_sum)
                    )
                };
                let fix = if certain {
                    number_fix(weight_sum)
                } else {
                    None
                };
                let exec_weight = form.funding.as_ref().and_then(|f| f.total.weight.as_ref());
                let weights: Vec<&Field> = exec_weight
                    .into_iter()
                    .chain(form.indicators.iter().filter_map(|i| i.weight.as_ref()))
                    .collect();
                ctx.emit_from(
                    &TOTAL_WEIGHT,
                    weight,
                    fmt_dec(weight_sum),
                    msg,
                    fix,
                    &weights,
                );
                let cells = form.indicators.iter().filter_map(|i| i.weight.as_ref());
                ctx.sum_of(same_sheet(weight, exec_weight, cells));
            }
        }
        claimed = ctx.number_or_warn(&total.score, "总分");
        // Other legitimate ways to reach 总分: adding the unrounded execution score, or adding
        // the scores as the form shows them where they are shown with fewer decimals (ZP003).
        let alt = exec.score_exact.map(|e| e + ind_score);
        let shown_sum = as_shown_total(ctx, exec, scores);
        let dp = total.score.shown_dp;
        let verdict = claimed.map(|c| {
            let verdicts: Vec<Agree> = [Some(computed), alt, shown_sum]
                .into_iter()
                .flatten()
                .map(|x| agree(c, x, dp))
                .collect();
            if verdicts.contains(&Agree::Yes) {
                Agree::Yes
            } else if verdicts.contains(&Agree::AtShown) {
                Agree::AtShown
            } else {
                Agree::No
            }
        });
        match verdict {
            Some(Agree::Yes) => {}
            Some(Agree::AtShown) => ctx.note_low_precision(&total.score, "总分", computed, ""),
            _ => {
                let msg = format!(
                    "{} 总分为 {}，执行率得分 {} + 指标得分合计 {} 应为 {}",
                    total.score.cell,
                    total.score.shown(),
                    fmt_dec(exec.score.unwrap_or_default()),
                    fmt_dec(ind_score),
                    fmt_dec(computed)
                );
                let applied = ctx.emit_from(
                    &TOTAL_SCORE,
                    &total.score,
                    fmt_dec(computed),
                    msg,
                    number_fix(computed),
                    &score_inputs,
                );
                let cells = form.indicators.iter().map(|i| &i.score);
                ctx.sum_of(same_sheet(&total.score, exec_score_field, cells));
                if !applied && trusted {
                    // A reviewer accepted the form's 总分: the grade goes with it.
                    graded_total = claimed;
                }
                if applied {
                    total_follows = follows(ctx, &score_inputs, claimed, dp);
                    if let (Some(at), Some(f)) = (total_follows, ctx.findings.last_mut()) {
                        f.follows = Some(at);
                        f.message.push_str(&format!(
                            "（总分本身按表中得分相加无误，随 {at} 的更正而变，不另计为错误）"
                        ));
                    }
                }
            }
        }
    }
    if !trusted {
        // A score it adds is in doubt: no 总分 and no grade are stated for the form.
        return Totals {
            claimed,
            computed: None,
            computed_min: None,
            grade: None,
        };
    }

    let computed = graded_total.unwrap_or(computed);
    let grade = ctx.profile.grades.of(computed);
    if let Some(field) = form.grade.as_ref() {
        let shown = normalize(&field.raw);
        let found = shown.chars().next().map(String::from).unwrap_or_default();
        // Only a grade cell that holds a grade (or nothing) is the form's grade.
        let is_grade = found.is_empty() || "优良中差".contains(found.as_str());
        if is_grade && found != grade {
            let msg = format!(
                "{} 等级为“{}”，按总分 {} 应为“{}”",
                field.cell,
                field.shown(),
                fmt_dec(computed),
                grade
            );
            let total_field = form.total.as_ref().map(|t| &t.score);
            let inputs: Vec<&Field> = score_inputs.iter().copied().chain(total_field).collect();
            let applied = ctx.emit_from(
                &GRADE,
                field,
                grade,
                msg,
                Some(FixValue::Text(grade.to_string())),
                &inputs,
            );
            // The grade the form states is right for the 总分 it states, and changes only with
            // a 总分 that follows a corrected score: the same one error.
            let consistent = claimed.is_some_and(|c| ctx.profile.grades.of(c) == found);
            if let (true, true, Some(total), Some(_)) =
                (applied, consistent, form.total.as_ref(), total_follows)
                && let Some(f) = ctx.findings.last_mut()
            {
                f.follows = Some(total.score.cell);
                f.message.push_str(&format!(
                    "（等级与表中总分相符，随 {} 的更正而变，不另计为错误）",
                    total.score.cell
                ));
            }
        }
    }

    Totals {
        claimed,
        computed: Some(computed),
        computed_min: None,
        grade: Some(grade),
    }
}

/// Whether a 总分 correction only follows other corrections: the stated 总分 equals what the
/// scores as the form holds them add up to (at its precision), and a score it adds was
/// corrected. Returns the first corrected score's cell.
fn follows(ctx: &Ctx, inputs: &[&Field], claimed: Option<Decimal>, dp: u32) -> Option<CellRef> {
    let claimed = claimed?;
    let as_held: Decimal = inputs.iter().filter_map(|f| f.number()).sum();
    if agree(claimed, as_held, dp) == Agree::No {
        return None;
    }
    inputs.iter().find_map(|f| {
        let key = (ctx.sheet_of(f), f.cell);
        ctx.findings
            .iter()
            .any(|x| {
                x.fixed() && x.rule != super::TEXT_NUMBER.code && (x.sheet.clone(), x.cell) == key
            })
            .then_some(f.cell)
    })
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
}
