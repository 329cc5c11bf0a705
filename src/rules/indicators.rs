//! Rules 4–10, the indicator block: score within 0..weight, quantitative scores by the
//! 财预〔2020〕10号 formulas (正向 weight × B ÷ A, 反向 weight × A ÷ B), far-above-target full
//! marks, qualitative bands, units, and reasons for lost points.

use rust_decimal::Decimal;

use super::expect::{self, IndicatorScore};

use super::{
    Agree, Ctx, DEADLINE_MISSED, FAR_ABOVE_TARGET, MISSING_REASON, NOT_COMPARED, NOT_SCORED,
    QUALITATIVE_BAND, SCORE_FORWARD, SCORE_MISSING, SCORE_RANGE, SCORE_REVERSE, UNIT_MISMATCH,
    UNIT_WORD, agree, number_fix,
};
use crate::form::{Field, Indicator};
use crate::num::{
    Measure, Op, UnitKind, When, div, fmt_dec, money_factor, normalize, parse_completion,
    parse_deadline, round2, unit_kind,
};

/// One indicator's weight and its score as it should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scored {
    /// The weight, when it is a number.
    pub weight: Option<Decimal>,
    /// The score after correction (or as found, when it cannot be computed).
    pub score: Option<Decimal>,
}

/// How far a qualitative indicator was achieved, judged from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Achievement {
    /// 达成.
    Achieved,
    /// 部分达成.
    Partial,
    /// 未达成.
    NotAchieved,
}

impl Achievement {
    fn label(self) -> &'static str {
        match self {
            Achievement::Achieved => "达成",
            Achievement::Partial => "部分达成",
            Achievement::NotAchieved => "未达成",
        }
    }
}

/// Judges a qualitative actual against its target; `None` when the text does not say.
pub fn achievement(actual: &str, target: &str) -> Option<Achievement> {
    let a = normalize(actual);
    if a.is_empty() {
        return None;
    }
    const NOT: &[&str] = &[
        "未达成",
        "未完成",
        "未达到",
        "未实现",
        "不达标",
        "未能",
        "没有完成",
        "未按时",
        "不合格",
        "不健全",
        "不明显",
    ];
    const PARTIAL: &[&str] = &[
        "部分",
        "基本达成",
        "基本完成",
        "基本实现",
        "基本达到",
        "基本健全",
    ];
    const DONE: &[&str] = &[
        "达成", "完成", "达到", "实现", "符合", "满足", "健全", "明显", "良好", "显著", "有效",
        "提升", "提高", "按时", "及时", "合格", "优秀",
    ];
    if NOT.iter().any(|w| a.contains(w)) || a == "否" {
        Some(Achievement::NotAchieved)
    } else if PARTIAL.iter().any(|w| a.contains(w)) {
        Some(Achievement::Partial)
    } else if a == normalize(target) || a == "是" || DONE.iter().any(|w| a.contains(w)) {
        Some(Achievement::Achieved)
    } else {
        None
    }
}

/// Whether a form was never scored: it has indicators, and every indicator's score and the
/// 总分 are blank.
pub fn never_scored(form: &crate::form::Form) -> bool {
    !form.unscored
        && !form.indicators.is_empty()
        && form.indicators.iter().all(|i| i.score.is_empty())
        && form.total.as_ref().is_none_or(|t| t.score.is_empty())
}

/// Checks every indicator; returns their weights and corrected scores in form order. A form
/// never scored gets one finding (ZP211) and no score rule: its weights are still read (and
/// checked in totals), nothing is scored for the department.
pub fn check(ctx: &mut Ctx) -> Vec<Scored> {
    let form = ctx.form;
    if form.unscored {
        // No scores by design: nothing to score, nothing to report per indicator.
        return vec![Scored::default(); form.indicators.len()];
    }
    if never_scored(form) {
        let at = form
            .total
            .as_ref()
            .map(|t| &t.score)
            .unwrap_or(&form.indicators[0].score);
        let msg = format!(
            "{} 指标块 {} 个指标的得分{}全部空白：本表未进行自评打分；不核算、不写入得分、总分和等级",
            at.cell,
            form.indicators.len(),
            if form.total.is_some() {
                "和总分"
            } else {
                ""
            }
        );
        ctx.emit(&NOT_SCORED, at, "自评得分", msg, None);
        return form
            .indicators
            .iter()
            .map(|ind| Scored {
                weight: ind
                    .weight
                    .as_ref()
                    .and_then(|w| ctx.number_or_warn(w, "分值")),
                score: None,
            })
            .collect();
    }
    form.indicators
        .iter()
        .map(|ind| check_one(ctx, ind))
        .collect()
}

/// Whether a text holds a digit (ASCII or full-width).
fn has_digit(t: &str) -> bool {
    t.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// Why an indicator's numbers were not compared, and at which cell, when its target or actual
/// holds a number and the two were not read as comparable measures (nor as a deadline and a
/// completion date). `None` when nothing numeric was left aside.
pub fn uncompared(
    ind: &Indicator,
    vocab: &crate::vocab::Vocab,
) -> Option<(crate::grid::CellRef, String)> {
    let (t, a) = (&ind.target, &ind.actual);
    // A side left blank (or a column not recognised) is said elsewhere (ZP209, ZP009).
    if (!has_digit(&t.raw) && !has_digit(&a.raw)) || t.is_empty() || a.is_empty() {
        return None;
    }
    let (tm, am) = (t.measure_with(vocab), a.measure_with(vocab));
    if tm.is_some() && am.is_some() {
        return None;
    }
    if parse_deadline(&t.raw).is_some() {
        if parse_completion(&a.raw).is_some() {
            return None;
        }
        let why = format!("指标值“{}”是时限，实际值“{}”没有写明完成时间", t.raw, a.raw);
        return Some((a.cell, why));
    }
    let unread = |f: &Field, what: &str| {
        format!(
            "{what}“{}”中的数字前后有 zpcheck 不认识的文字，读不出可比较的数值",
            f.raw
        )
    };
    Some(
        match (
            has_digit(&t.raw),
            tm.is_some(),
            has_digit(&a.raw),
            am.is_some(),
        ) {
            (true, false, _, _) => (t.cell, unread(t, "指标值")),
            (_, _, true, false) => (a.cell, unread(a, "实际值")),
            (_, true, _, _) => (
                a.cell,
                format!(
                    "实际值“{}”中没有可比较的数字，指标值“{}”无从比较",
                    a.raw, t.raw
                ),
            ),
            _ => (
                t.cell,
                format!(
                    "指标值“{}”中没有可比较的数字，实际值“{}”无从比较",
                    t.raw, a.raw
                ),
            ),
        },
    )
}

/// The three cells a score is computed from: its weight, target and actual.
fn score_inputs(ind: &Indicator) -> Vec<&Field> {
    ind.weight
        .iter()
        .chain([&ind.target, &ind.actual])
        .collect()
}

fn check_one(ctx: &mut Ctx, ind: &Indicator) -> Scored {
    let weight = ind
        .weight
        .as_ref()
        .and_then(|w| ctx.number_or_warn(w, "分值"));
    let found = ctx.number_or_warn(&ind.score, "得分");
    // A weight shared with the indicators beside it (a merged 分值 cell) is not this
    // indicator's alone: no score rule can use it one indicator at a time. The group's sum is
    // checked in totals.
    if ind.weight_shared.is_some() {
        return not_below_zero(ctx, ind, weight, found);
    }
    let (Some(w), Some(weight_field)) = (weight, ind.weight.as_ref()) else {
        // No weight of its own (the block states weights per 一级 group): a score can only be
        // checked for being a number not below 0; the group's sum is checked in totals.
        if ind.weight.is_none() {
            return not_below_zero(ctx, ind, None, found);
        }
        return Scored {
            weight: None,
            score: found,
        };
    };
    if w < Decimal::ZERO {
        let msg = format!(
            "{}「{}」分值为负数 {}，相关核算已跳过",
            weight_field.cell,
            ind.name,
            fmt_dec(w)
        );
        ctx.emit(&super::UNREADABLE_NUMBER, weight_field, "非负数", msg, None);
        return Scored {
            weight: None,
            score: found,
        };
    }
    let vocab = &ctx.profile.vocab;
    if let (Some(deadline), Some(done)) = (
        parse_deadline(&ind.target.raw),
        parse_completion(&ind.actual.raw),
    ) {
        let score = deadline_score(ctx, ind, w, found, &deadline, &done);
        return Scored {
            weight: Some(w),
            score,
        };
    }
    let score = match (
        ind.target.measure_with(vocab),
        ind.actual.measure_with(vocab),
    ) {
        (Some(t), Some(a)) => match comparable(ctx, ind, &t, &a) {
            Some((tv, av)) => quantitative(ctx, ind, w, found, &t, tv, av),
            None => range_only(ctx, ind, w, found, "目标与实际单位不可比，无法计算"),
        },
        _ => {
            // A number the rules could not compare is said, never passed over in silence.
            if let Some((at, why)) = uncompared(ind, vocab) {
                let field = if at == ind.target.cell {
                    &ind.target
                } else {
                    &ind.actual
                };
                let msg = format!("{}「{}」{why}，得分未按规则核算", at, ind.name);
                ctx.emit(&NOT_COMPARED, field, "可比较的数值", msg, None);
            }
            qualitative(ctx, ind, w, found)
        }
    };
    // A weight in doubt says nothing about points lost.
    let weight_doubted = ctx
        .doubted
        .contains(&(ctx.sheet_of(weight_field), weight_field.cell));
    if let (Some(s), Some(reason)) = (score, ind.reason.as_ref())
        && s < w
        && !weight_doubted
        && reason_missing(reason)
    {
        let msg = format!(
            "{}「{}」得分 {} 低于分值 {}，但未填写偏差原因分析及改进措施",
            reason.cell,
            ind.name,
            fmt_dec(s),
            fmt_dec(w)
        );
        ctx.emit(&MISSING_REASON, reason, "填写扣分原因", msg, None);
    }
    Scored {
        weight: Some(w),
        score,
    }
}

/// Rule 4 for an indicator whose weight is not its own (stated per group, or a merged cell
/// shared with others): the score must not be below 0; its cap is checked with the group's.
fn not_below_zero(
    ctx: &mut Ctx,
    ind: &Indicator,
    weight: Option<Decimal>,
    found: Option<Decimal>,
) -> Scored {
    match found {
        Some(f) if f < Decimal::ZERO => {
            let msg = format!(
                "{}「{}」得分 {} 低于 0",
                ind.score.cell,
                ind.name,
                fmt_dec(f)
            );
            let applied = ctx.emit_from(
                &SCORE_RANGE,
                &ind.score,
                "0",
                msg,
                number_fix(Decimal::ZERO),
                &[],
            );
            Scored {
                weight,
                score: Some(if applied {
                    // 0 is the nearest bound, not a score the rules determine: 总分 is not
                    // computed from it.
                    ctx.raise([&ind.score]);
                    Decimal::ZERO
                } else {
                    f
                }),
            }
        }
        _ => Scored {
            weight,
            score: found,
        },
    }
}

fn reason_missing(f: &Field) -> bool {
    f.is_empty() || matches!(normalize(&f.raw).as_str(), "无" | "0" | "不适用")
}

/// Target and actual in one unit, and whether their unit words differ (万元 against 元, 个
/// against 家); `None` when they cannot be compared (different dimensions).
pub(super) fn in_one_unit(t: &Measure, a: &Measure) -> Option<((Decimal, Decimal), bool)> {
    // A percentage written as a bare fraction ("≥95%" against 0.96, or 0.95 against "96%").
    let frac = |m: &Measure, other: &Measure| {
        m.unit.is_empty()
            && other.unit == "%"
            && m.value <= Decimal::ONE
            && other.value > Decimal::ONE
    };
    if frac(a, t) {
        return Some(((t.value, a.value * Decimal::ONE_HUNDRED), false));
    }
    if frac(t, a) {
        return Some(((t.value * Decimal::ONE_HUNDRED, a.value), false));
    }
    if t.unit.is_empty() || a.unit.is_empty() || t.unit == a.unit {
        return Some(((t.value, a.value), false));
    }
    let (kt, ka) = (unit_kind(&t.unit), unit_kind(&a.unit));
    let (ft, fa) = match (kt, ka) {
        (UnitKind::Count, UnitKind::Count) => (Decimal::ONE, Decimal::ONE),
        (UnitKind::Money, UnitKind::Money) => (money_factor(&t.unit), money_factor(&a.unit)),
        (UnitKind::Ratio, UnitKind::Ratio) => {
            let f = |u: &str| {
                if u == "‰" {
                    Decimal::new(1, 1)
                } else {
                    Decimal::ONE
                }
            };
            (f(&t.unit), f(&a.unit))
        }
        _ => return None,
    };
    Some(((t.value * ft, a.value * fa), true))
}

/// Rule 9: brings target and actual to one unit; `None` when they cannot be compared.
fn comparable(
    ctx: &mut Ctx,
    ind: &Indicator,
    t: &Measure,
    a: &Measure,
) -> Option<(Decimal, Decimal)> {
    let expected = format!("{}（与目标同一单位）", t.unit);
    match in_one_unit(t, a) {
        Some((pair, false)) => Some(pair),
        Some((pair, true)) => {
            let msg = format!(
                "{}「{}」目标单位“{}”与实际单位“{}”用词不同，请核实",
                ind.actual.cell, ind.name, t.unit, a.unit
            );
            ctx.emit(&UNIT_WORD, &ind.actual, expected, msg, None);
            Some(pair)
        }
        None => {
            let msg = format!(
                "{}「{}」目标单位“{}”与实际单位“{}”不可比，无法核算得分",
                ind.actual.cell, ind.name, t.unit, a.unit
            );
            ctx.emit(&UNIT_MISMATCH, &ind.actual, expected, msg, None);
            None
        }
    }
}

/// Rules 4–7 for a quantitative indicator.
fn quantitative(
    ctx: &mut Ctx,
    ind: &Indicator,
    w: Decimal,
    found: Option<Decimal>,
    t: &Measure,
    target: Decimal,
    actual: Decimal,
) -> Option<Decimal> {
    let op = t.op.unwrap_or(Op::Eq);
    let reverse = op.is_reverse();
    let Some(IndicatorScore { exact, met }) = expect::indicator_score(w, reverse, target, actual)
    else {
        // A missed forward target of 0 or less has no ratio to score by; a quotient out of
        // range has none either.
        let no_ratio = !reverse && actual < target && target <= Decimal::ZERO;
        return if no_ratio {
            range_only(ctx, ind, w, found, "目标不大于 0，无法按比例计算")
        } else {
            None
        };
    };
    let expected = round2(exact);
    // An approximate value ("200余人") is compared, but nothing is corrected from it.
    let approx = t.approx
        || ind
            .actual
            .measure_with(&ctx.profile.vocab)
            .is_some_and(|a| a.approx);
    let fix = |v: Decimal| if approx { None } else { number_fix(v) };
    let inputs = score_inputs(ind);
    let approx_note = if approx {
        "（目标或实际为约数，仅供核对，未自动更正）"
    } else {
        ""
    };
    let how = if met {
        "已达到目标，应得满分".to_string()
    } else if reverse {
        format!(
            "未达到目标，按 分值 {} × 目标 {} ÷ 实际 {}",
            fmt_dec(w),
            fmt_dec(target),
            fmt_dec(actual)
        )
    } else {
        format!(
            "未达到目标，按 分值 {} × 实际 {} ÷ 目标 {}",
            fmt_dec(w),
            fmt_dec(actual),
            fmt_dec(target)
        )
    };
    let wrong = match found {
        Some(f) if f > w || f < Decimal::ZERO => {
            let msg = format!(
                "{}「{}」得分 {} {}分值 {}；目标 {}，实际 {}，{}，应为 {}{approx_note}",
                ind.score.cell,
                ind.name,
                fmt_dec(f),
                if f > w { "超过" } else { "低于 0，" },
                fmt_dec(w),
                ind.target.shown(),
                ind.actual.shown(),
                how,
                fmt_dec(expected)
            );
            Some((&SCORE_RANGE, msg))
        }
        Some(f) if agree(f, exact, ind.score.shown_dp) != Agree::No => {
            if agree(f, exact, ind.score.shown_dp) == Agree::AtShown {
                // The score is right as shown; 总分 is checked against the exact one (and
                // against the scores as shown, see totals).
                ctx.note_low_precision(&ind.score, &format!("「{}」得分", ind.name), exact, "");
            }
            None
        }
        _ => {
            let rule = if reverse {
                &SCORE_REVERSE
            } else {
                &SCORE_FORWARD
            };
            let msg = format!(
                "{}「{}」目标 {}，实际 {}，{}，得分 {} 应为 {}{approx_note}",
                ind.score.cell,
                ind.name,
                ind.target.shown(),
                ind.actual.shown(),
                how,
                ind.score.shown(),
                fmt_dec(expected)
            );
            Some((rule, msg))
        }
    };
    if let Some((rule, msg)) = wrong
        && !ctx.emit_from(
            rule,
            &ind.score,
            fmt_dec(expected),
            msg,
            fix(expected),
            &inputs,
        )
    {
        // Not written (approximate, in doubt, or accepted): the form's own score stands for
        // what follows.
        return found;
    }
    // Rule 7: full marks for a result far beyond a target that was probably set too low.
    let ratio = expect::beyond_target(reverse, met, target, actual);
    if let Some(ratio) = ratio
        && ratio >= ctx.profile.far_above_target
        && expected == w
    {
        let pct = ratio
            .checked_mul(Decimal::ONE_HUNDRED)
            .map(|p| fmt_dec(round2(p)))
            .unwrap_or_else(|| "10^15 倍以上".to_string());
        let limit = fmt_dec(ctx.profile.far_above_target * Decimal::ONE_HUNDRED);
        let (msg, expected) = if reverse {
            // An upper limit the actual stays far below: the cap was set too loose.
            let share = div(actual * Decimal::ONE_HUNDRED, target)
                .map(|p| fmt_dec(round2(p)))
                .unwrap_or_else(|| "0".into());
            (
                format!(
                    "{}「{}」实际 {} 仅为上限 {} 的 {}%（上限是实际的 {}%），远低于上限仍得满分 {}：上限可能设定过宽，按规定应酌情扣分（需人工判断）",
                    ind.actual.cell,
                    ind.name,
                    ind.actual.shown(),
                    ind.target.shown(),
                    share,
                    pct,
                    fmt_dec(w)
                ),
                format!("上限不超过实际的 {limit}%"),
            )
        } else {
            (
                format!(
                    "{}「{}」实际 {} 为目标 {} 的 {}%，远超目标仍得满分 {}：目标可能设定偏低，按规定应酌情扣分（需人工判断）",
                    ind.actual.cell,
                    ind.name,
                    ind.actual.shown(),
                    ind.target.shown(),
                    pct,
                    fmt_dec(w)
                ),
                "酌情扣分（需人工判断）".to_string(),
            )
        };
        ctx.emit(&FAR_ABOVE_TARGET, &ind.actual, expected, msg, None);
    }
    Some(expected)
}

/// Rule 9 for a time indicator: a deadline target ("9月前") against a completion date ("7月").
/// Met → full weight (a wrong score is corrected); missed → reported for a person to judge.
fn deadline_score(
    ctx: &mut Ctx,
    ind: &Indicator,
    w: Decimal,
    found: Option<Decimal>,
    deadline: &When,
    done: &When,
) -> Option<Decimal> {
    if !done.by(deadline) {
        let bounded = range_only(ctx, ind, w, found, "时限指标逾期，得分须按规定判断");
        let msg = format!(
            "{}「{}」为时限指标，目标 {}，实际 {}，未按期完成，得分 {} 需按规定判断",
            ind.actual.cell,
            ind.name,
            ind.target.shown(),
            ind.actual.shown(),
            ind.score.shown()
        );
        ctx.emit(&DEADLINE_MISSED, &ind.actual, ind.target.shown(), msg, None);
        return bounded;
    }
    let ok = found.is_some_and(|f| agree(f, w, ind.score.shown_dp) == Agree::Yes);
    if !ok {
        let rule = if found.is_some_and(|f| f > w || f < Decimal::ZERO) {
            &SCORE_RANGE
        } else {
            &SCORE_FORWARD
        };
        let msg = format!(
            "{}「{}」为时限指标，目标 {}，实际 {}，已按期完成，应得满分，得分 {} 应为 {}",
            ind.score.cell,
            ind.name,
            ind.target.shown(),
            ind.actual.shown(),
            ind.score.shown(),
            fmt_dec(w)
        );
        if !ctx.emit_from(
            rule,
            &ind.score,
            fmt_dec(w),
            msg,
            number_fix(w),
            &score_inputs(ind),
        ) {
            return found;
        }
    }
    Some(w)
}

/// Rule 4 alone: the score must lie between 0 and the weight. A blank score is reported
/// (ZP209) with `why` it cannot be computed.
fn range_only(
    ctx: &mut Ctx,
    ind: &Indicator,
    w: Decimal,
    found: Option<Decimal>,
    why: &str,
) -> Option<Decimal> {
    let Some(f) = found else {
        if ind.score.is_empty() {
            let msg = format!("{}「{}」得分未填写（{why}）", ind.score.cell, ind.name);
            ctx.emit(
                &SCORE_MISSING,
                &ind.score,
                "0–".to_string() + &fmt_dec(w),
                msg,
                None,
            );
        }
        return None;
    };
    let bounded = f.clamp(Decimal::ZERO, w);
    if bounded != f {
        let msg = format!(
            "{}「{}」得分 {} 超出 0–{} 的范围，应为 {}",
            ind.score.cell,
            ind.name,
            fmt_dec(f),
            fmt_dec(w),
            fmt_dec(bounded)
        );
        let weight: Vec<&Field> = ind.weight.iter().collect();
        if !ctx.emit_from(
            &SCORE_RANGE,
            &ind.score,
            fmt_dec(bounded),
            msg,
            number_fix(bounded),
            &weight,
        ) {
            return Some(f);
        }
        // The nearest bound is the likeliest value, not one the rules determine (需复核): it is
        // written, but nothing else (总分, the grade) is computed from it.
        ctx.raise([&ind.score]);
    }
    Some(round2(bounded))
}

/// Rules 4 and 8 for a qualitative indicator.
fn qualitative(
    ctx: &mut Ctx,
    ind: &Indicator,
    w: Decimal,
    found: Option<Decimal>,
) -> Option<Decimal> {
    let Some(f) = found else {
        // Why it cannot be computed: the indicator is quantitative but a figure is missing, or
        // it is qualitative.
        let vocab = &ctx.profile.vocab;
        let why = if ind.target.measure_with(vocab).is_some() && ind.actual.is_empty() {
            "实际值未填写，无法计算"
        } else if ind.actual.measure_with(vocab).is_some() && ind.target.is_empty() {
            "目标值未填写，无法计算"
        } else {
            "定性指标，无法自动计算"
        };
        return range_only(ctx, ind, w, None, why);
    };
    let score = range_only(ctx, ind, w, Some(f), "")?;
    if score != f {
        return Some(score);
    }
    let Some(level) = achievement(&ind.actual.raw, &ind.target.raw) else {
        return Some(score);
    };
    let p = ctx.profile;
    let (lo, hi) = match level {
        Achievement::Achieved => (p.band_achieved, Decimal::ONE),
        Achievement::Partial => (p.band_partial, p.band_achieved),
        Achievement::NotAchieved => (Decimal::ZERO, p.band_partial),
    };
    let (lo, hi) = (round2(w * lo), round2(w * hi));
    if score < lo || score > hi {
        let msg = format!(
            "{}「{}」为定性指标，完成情况“{}”判定为{}，得分应在 {}–{} 之间，实为 {}",
            ind.score.cell,
            ind.name,
            ind.actual.shown(),
            level.label(),
            fmt_dec(lo),
            fmt_dec(hi),
            fmt_dec(score)
        );
        ctx.emit(
            &QUALITATIVE_BAND,
            &ind.score,
            format!("{}–{}", fmt_dec(lo), fmt_dec(hi)),
            msg,
            None,
        );
    }
    Some(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn achievement_from_text() {
        assert_eq!(
            achievement("达成预期指标", "达成预期指标"),
            Some(Achievement::Achieved)
        );
        assert_eq!(achievement("健全", "健全"), Some(Achievement::Achieved));
        assert_eq!(achievement("基本达成", "达成"), Some(Achievement::Partial));
        assert_eq!(
            achievement("未完成", "完成"),
            Some(Achievement::NotAchieved)
        );
        assert_eq!(achievement("详见报告", "有所改善"), None);
        assert_eq!(achievement("是", "是"), Some(Achievement::Achieved));
        assert_eq!(achievement("否", "是"), Some(Achievement::NotAchieved));
        assert_eq!(achievement("不是", "好"), None);
    }
}
