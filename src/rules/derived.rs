//! The derived columns some templates add beside each indicator, each checked by its own
//! arithmetic (`../shared/form-and-rules.md` §3): 折算得分 = 得分 × 权重占比 with the 权重占比
//! adding up to 100% (Hebei, ZP311–ZP312), 得分系数 = 得分 ÷ 分值 (Chongqing, ZP313), and the
//! analysis columns 完成率 = 实际 ÷ 目标 (目标 ÷ 实际 for a 反向 target) and 偏差率 = 完成率 −
//! 100% (ZP314–ZP315).
//!
//! They run after the indicator rules, on the scores as corrected (a 得分系数 follows the
//! corrected 得分), and before the totals: a corrected 折算得分 is what 总分 adds. A rate cell
//! keeps the way it writes rates (a percent-formatted fraction, "80%" text, a percent number);
//! a plain number that could be a fraction or a percent number is judged under both readings
//! and, when wrong under both, reported without a correction: which one the cell meant is not
//! known.

use rust_decimal::Decimal;

use super::indicators::Scored;
use super::{Agree, Ctx, agree, number_fix};
use super::{COMPLETION_RATE, DEVIATION_RATE, SCALED_SCORE, SCORE_RATIO, SHARE_SUM};
use crate::form::{Derived, Field, Indicator, Percent, Value};
use crate::num::{Op, div, fmt_dec, round2};

/// How a column of plain numbers holds its rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    /// 80 is 80%.
    Percent,
    /// 0.8 is 80%.
    Fraction,
    /// Not known: each cell is judged under both readings.
    Either,
}

/// A rate cell's value in percent units under the column's reading; `None` when it holds no
/// number. A plain number in a column read [`Held::Either`] gives both candidates.
fn pct_values(field: &Field, held: Held) -> Option<Vec<Decimal>> {
    match field.value {
        Value::Number {
            value,
            percent: Percent::No,
            ..
        } if !field.percent_format => Some(match held {
            Held::Percent => vec![value],
            Held::Fraction => vec![value * Decimal::ONE_HUNDRED],
            Held::Either => vec![value, value * Decimal::ONE_HUNDRED],
        }),
        Value::Number { .. } => field.number().map(|v| vec![v]),
        _ => None,
    }
}

/// Whether the cell writes its rate so that a correction can keep it: a percent format, "%"
/// text, or a plain number whose reading the column settles.
fn fixable(field: &Field, held: Held) -> bool {
    match field.value {
        Value::Number {
            percent: Percent::No,
            ..
        } if !field.percent_format => held != Held::Either,
        Value::Number { .. } => true,
        _ => false,
    }
}

/// The correction for a rate cell, in the way the cell writes rates.
fn pct_fix(field: &Field, held: Held, pct: Decimal) -> Option<crate::finding::FixValue> {
    if !fixable(field, held) {
        return None;
    }
    match (&field.value, held) {
        (
            Value::Number {
                percent: Percent::No,
                ..
            },
            Held::Fraction,
        ) if !field.percent_format => number_fix(round2(pct) / Decimal::ONE_HUNDRED),
        _ => Some(super::funding::rate_fix(field, round2(pct))),
    }
}

/// How a column's plain numbers hold rates: percent numbers when one of them is beyond 1.5
/// (150% as a fraction; shares and completions are rarely so), fractions when their sum says
/// so (`sum_is_whole`: shares adding to about 1), else not known.
fn column_reading<'a>(fields: impl Iterator<Item = &'a Field>, sum_is_whole: bool) -> Held {
    let plain: Vec<Decimal> = fields
        .filter(|f| !f.percent_format)
        .filter_map(|f| match f.value {
            Value::Number {
                value,
                percent: Percent::No,
                ..
            } => Some(value),
            _ => None,
        })
        .collect();
    if plain.is_empty() {
        return Held::Either;
    }
    if plain.iter().any(|v| v.abs() > Decimal::new(15, 1)) {
        return Held::Percent;
    }
    if sum_is_whole {
        let sum: Decimal = plain.iter().sum();
        if sum <= Decimal::new(15, 1) {
            return Held::Fraction;
        }
    }
    Held::Either
}

/// Whether any reading of `found` agrees with `exact` (percent units) at the cell's precision.
fn agrees_any(found: &[Decimal], exact: Decimal, dp: u32) -> bool {
    found.iter().any(|&f| agree(f, exact, dp) != Agree::No)
}

/// A percent as a report writes it.
fn pct(v: Decimal) -> String {
    format!("{}%", fmt_dec(round2(v)))
}

/// Checks the derived columns; `scores` (in form order, as corrected) are updated where a
/// 折算得分 — the score that adds to 总分 — is corrected.
pub fn check(ctx: &mut Ctx, scores: &mut [Scored], exec_weight: Option<Decimal>) {
    let form = ctx.form;
    let cols = form.derived_cols;
    if cols.share.is_some() {
        check_shares(ctx, exec_weight);
    }
    // How each derived column holds its rates, read over the whole column.
    let held = |pick: fn(&Derived) -> Option<&Field>, sum_is_whole: bool| {
        column_reading(
            form.indicators.iter().filter_map(|i| pick(&i.derived)),
            sum_is_whole,
        )
    };
    let share_held = held(|d| d.share.as_ref(), true);
    let ratio_held = held(|d| d.ratio.as_ref(), false);
    let completion_held = held(|d| d.completion.as_ref(), false);
    let deviation_held = held(|d| d.deviation.as_ref(), false);
    for (ind, scored) in form.indicators.iter().zip(scores.iter_mut()) {
        if cols.scaled.is_some() {
            scaled(ctx, ind, scored, share_held);
        }
        if let Some(field) = &ind.derived.ratio {
            ratio(ctx, ind, field, scored, ratio_held);
        }
        let completion = completion_of(ctx, ind);
        if let Some(field) = &ind.derived.completion {
            check_completion(ctx, ind, field, completion, completion_held);
        }
        if let Some(field) = &ind.derived.deviation {
            check_deviation(
                ctx,
                ind,
                field,
                completion,
                (completion_held, deviation_held),
            );
        }
    }
}

/// ZP312: the shares add up to 100% (less the execution rate's points, when the funding block
/// carries them).
fn check_shares(ctx: &mut Ctx, exec_weight: Option<Decimal>) {
    let form = ctx.form;
    let fields: Vec<&Field> = form
        .indicators
        .iter()
        .filter_map(|i| i.derived.share.as_ref())
        .collect();
    let held = column_reading(fields.iter().copied(), true);
    let mut sum = Decimal::ZERO;
    for f in &fields {
        match pct_values(f, held) {
            Some(v) if v.len() == 1 => sum += v[0],
            // A blank share, text, or a reading not settled: the sum is not known.
            _ => return,
        }
    }
    let Some(first) = fields.first() else {
        return;
    };
    let whole = Decimal::ONE_HUNDRED;
    let allowed: Vec<Decimal> = match exec_weight {
        Some(w) if w > Decimal::ZERO && w < whole => vec![whole, whole - w],
        _ => vec![whole],
    };
    if allowed.iter().any(|a| round2(sum) == round2(*a)) {
        return;
    }
    let expected = allowed.last().copied().unwrap_or(whole);
    let msg = format!(
        "{} 起各指标的权重占比合计 {}，应为 {}{}",
        first.cell,
        pct(sum),
        pct(expected),
        if allowed.len() > 1 {
            format!("（执行率分值 {} 之外）", fmt_dec(whole - expected))
        } else {
            String::new()
        }
    );
    ctx.emit(&SHARE_SUM, first, pct(expected), msg, None);
    ctx.raise(fields);
}

/// ZP311: 折算得分 = 单项指标得分 × 权重占比.
fn scaled(ctx: &mut Ctx, ind: &Indicator, scored: &mut Scored, held: Held) {
    let (Some(unit), Some(share)) = (&ind.derived.unit_score, &ind.derived.share) else {
        return;
    };
    let (Some(u), Some(shares)) = (unit.number(), pct_values(share, held)) else {
        return;
    };
    let found = ind.score.number();
    let exacts: Vec<Decimal> = shares
        .iter()
        .map(|s| u * s / Decimal::ONE_HUNDRED)
        .collect();
    if let Some(f) = found
        && exacts
            .iter()
            .any(|e| agree(f, *e, ind.score.shown_dp) != Agree::No)
    {
        return;
    }
    let [exact] = exacts.as_slice() else {
        // Which reading the share meant is not known: said, not corrected.
        let msg = format!(
            "{}「{}」折算得分 {} 与 单项指标得分 {} × 权重占比 {} 不符（权重占比按百分数或小数读均不符）",
            ind.score.cell,
            ind.name,
            ind.score.shown(),
            fmt_dec(u),
            share.shown()
        );
        ctx.emit(
            &SCALED_SCORE,
            &ind.score,
            "单项指标得分 × 权重占比",
            msg,
            None,
        );
        return;
    };
    let expected = round2(*exact);
    let msg = format!(
        "{}「{}」折算得分为 {}，按 单项指标得分 {} × 权重占比 {} 应为 {}",
        ind.score.cell,
        ind.name,
        if ind.score.is_empty() {
            "空白".to_string()
        } else {
            ind.score.shown()
        },
        fmt_dec(u),
        pct(shares[0]),
        fmt_dec(expected)
    );
    let applied = ctx.emit_from(
        &SCALED_SCORE,
        &ind.score,
        fmt_dec(expected),
        msg,
        number_fix(expected),
        &[unit, share],
    );
    if applied {
        scored.score = Some(expected);
    }
}

/// ZP313: 得分系数 = 得分 ÷ 分值 (on the score as corrected).
fn ratio(ctx: &mut Ctx, ind: &Indicator, field: &Field, scored: &Scored, held: Held) {
    let weight_field = ind.weight.as_ref().or(ind.derived.unit_weight.as_ref());
    let score_field = ind.derived.unit_score.as_ref().unwrap_or(&ind.score);
    let weight = weight_field.and_then(Field::number);
    // The unscaled score: as corrected when it is the indicator's own score.
    let score = if ind.derived.unit_score.is_some() {
        score_field.number()
    } else {
        scored.score.or(score_field.number())
    };
    let (Some(w), Some(s), Some(found)) = (weight, score, pct_values(field, held)) else {
        return;
    };
    let Some(exact) = div(s * Decimal::ONE_HUNDRED, w).filter(|_| w > Decimal::ZERO) else {
        return;
    };
    if agrees_any(&found, exact, field.shown_dp) {
        return;
    }
    let msg = format!(
        "{}「{}」得分系数为 {}，按 得分 {} ÷ 分值 {} 应为 {}",
        field.cell,
        ind.name,
        field.shown(),
        fmt_dec(s),
        fmt_dec(w),
        pct(exact)
    );
    let mut inputs: Vec<&Field> = vec![score_field];
    inputs.extend(weight_field);
    ctx.emit_from(
        &SCORE_RATIO,
        field,
        pct(exact),
        msg,
        pct_fix(field, held, exact),
        &inputs,
    );
}

/// An indicator's completion in percent from its target and actual (actual ÷ target; target ÷
/// actual for a 反向 target), with whether either is approximate; `None` when the two are not
/// comparable numbers or the divisor is 0.
pub(super) fn completion_of(ctx: &Ctx, ind: &Indicator) -> Option<(Decimal, bool)> {
    let vocab = &ctx.profile.vocab;
    let (t, a) = (
        ind.target.measure_with(vocab)?,
        ind.actual.measure_with(vocab)?,
    );
    let ((target, actual), _) = super::indicators::in_one_unit(&t, &a)?;
    let reverse = t.op.unwrap_or(Op::Eq).is_reverse();
    let (num, den) = if reverse {
        (target, actual)
    } else {
        (actual, target)
    };
    if den <= Decimal::ZERO {
        return None;
    }
    Some((div(num * Decimal::ONE_HUNDRED, den)?, t.approx || a.approx))
}

/// ZP314: the 完成率 column against actual ÷ target.
fn check_completion(
    ctx: &mut Ctx,
    ind: &Indicator,
    field: &Field,
    completion: Option<(Decimal, bool)>,
    held: Held,
) {
    let (Some((exact, approx)), Some(found)) = (completion, pct_values(field, held)) else {
        return;
    };
    if agrees_any(&found, exact, field.shown_dp) {
        return;
    }
    let reverse = ind
        .target
        .measure_with(&ctx.profile.vocab)
        .and_then(|t| t.op)
        .is_some_and(Op::is_reverse);
    let msg = format!(
        "{}「{}」完成率为 {}，按 {} 应为 {}{}",
        field.cell,
        ind.name,
        field.shown(),
        if reverse {
            format!("指标值 {} ÷ 实际值 {}", ind.target.raw, ind.actual.raw)
        } else {
            format!("实际值 {} ÷ 指标值 {}", ind.actual.raw, ind.target.raw)
        },
        pct(exact),
        if approx {
            "（指标值或实际值为约数，未更正）"
        } else {
            ""
        }
    );
    let fix = if approx {
        None
    } else {
        pct_fix(field, held, exact)
    };
    ctx.emit_from(
        &COMPLETION_RATE,
        field,
        pct(exact),
        msg,
        fix,
        &[&ind.target, &ind.actual],
    );
}

/// ZP315: the 偏差率 column against 完成率 − 100%: the completion computed from target and
/// actual, else the form's own 完成率 cell when it is a number and not itself in question.
fn check_deviation(
    ctx: &mut Ctx,
    ind: &Indicator,
    field: &Field,
    completion: Option<(Decimal, bool)>,
    (completion_held, held): (Held, Held),
) {
    let from_cell = || {
        let cell = ind.derived.completion.as_ref()?;
        let v = pct_values(cell, completion_held)?;
        (v.len() == 1).then(|| (v[0], false, cell))
    };
    let (exact_completion, approx, inputs): (Decimal, bool, Vec<&Field>) = match completion {
        Some((c, approx)) => (c, approx, vec![&ind.target, &ind.actual]),
        None => match from_cell() {
            Some((c, approx, cell)) => (c, approx, vec![cell]),
            None => return,
        },
    };
    let Some(found) = pct_values(field, held) else {
        return;
    };
    let exact = exact_completion - Decimal::ONE_HUNDRED;
    if agrees_any(&found, exact, field.shown_dp) {
        return;
    }
    let msg = format!(
        "{}「{}」偏差率为 {}，按 完成率 {} − 100% 应为 {}",
        field.cell,
        ind.name,
        field.shown(),
        pct(exact_completion),
        pct(exact)
    );
    let fix = if approx {
        None
    } else {
        pct_fix(field, held, exact)
    };
    ctx.emit_from(&DEVIATION_RATE, field, pct(exact), msg, fix, &inputs);
}
