//! Rules that provincial platforms and their guidance state, as profile data
//! ([`crate::profile::Platform`]): a cap on 总分 by 执行率 band (ZP401), the 指标偏离 deduction
//! (ZP402), 不适用 indicators left out and the rest rescaled to 100 (ZP403), a reason for a low
//! 执行率 (ZP404) and for a 年中调整 (ZP405), and a 评价结论 that is filled, is not the
//! template's instruction and states the 总分 (ZP406).
//!
//! Each is a judgement on what the department entered, not arithmetic: a finding says what the
//! rule gives (the capped 总分, the score after the deduction, the rescaled 总分) and nothing is
//! written. The national profile turns on only ZP404–ZP406 (warnings).

use rust_decimal::Decimal;

use super::funding::ExecResult;
use super::indicators::Scored;
use super::totals::Totals;
use super::{
    Ctx, DEVIATION_DEDUCTION, NEEDS_ADJUST_REASON, NEEDS_CONCLUSION, NEEDS_RATE_REASON,
    NOT_APPLICABLE, SCORE_CAP,
};
use crate::form::{Field, Form};
use crate::num::{fmt_dec, normalize, round2};

/// Words that make a text speak of the funds' execution, and words that give a cause.
const FUNDS_WORDS: &[&str] = &[
    "执行", "支出", "资金", "结余", "结转", "拨付", "进度", "支付",
];
const CAUSE_WORDS: &[&str] = &["原因", "由于", "因", "导致", "未"];
/// Words that say a budget was adjusted.
const ADJUST_WORDS: &[&str] = &["调整", "追加", "调减", "调增", "追减", "调剂"];
/// Words of a template's instruction left in a cell ("（简要说明…）", "请填写…").
const TEMPLATE_WORDS: &[&str] = &[
    "请填写",
    "填写",
    "简要",
    "应包括",
    "主要包括",
    "例如",
    "××",
    "XX",
    "xx",
];

/// The texts of a form a reason may stand in: the goals' text, each indicator's reason, the
/// 评价结论, and the funding rows' labels.
fn texts(form: &Form) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    if let Some((a, b)) = &form.goals {
        out.extend([a.raw.as_str(), b.raw.as_str()]);
    }
    out.extend(
        form.indicators
            .iter()
            .filter_map(|i| i.reason.as_ref())
            .map(|r| r.raw.as_str()),
    );
    out.extend(form.conclusion.iter().map(|c| c.raw.as_str()));
    if let Some(f) = &form.funding {
        out.extend(f.parts.iter().map(|p| p.label.as_str()));
    }
    out
}

fn holds_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// Runs the platform rules the profile turns on.
pub fn check(ctx: &mut Ctx, exec: &ExecResult, scores: &[Scored], totals: &Totals) {
    let platform = ctx.profile.platform.clone();
    let total = totals.computed.or(totals.claimed);
    if let (Some(rate), false) = (exec.rate, platform.caps.is_empty()) {
        cap(ctx, rate, total, &platform.caps);
    }
    if let Some((threshold, deduction)) = platform.deviation {
        deviation(ctx, scores, threshold, deduction);
    }
    if platform.not_applicable {
        not_applicable(ctx, exec, scores, totals);
    }
    if let (Some(rate), Some(below)) = (exec.rate, platform.reason_below_rate) {
        rate_reason(ctx, rate, below);
    }
    if platform.reason_for_adjustment {
        adjustment_reason(ctx);
    }
    if platform.conclusion {
        conclusion(ctx, total);
    }
}

/// ZP401: 总分 no higher than the cap of the 执行率's band (the tightest band that holds it).
fn cap(ctx: &mut Ctx, rate: Decimal, total: Option<Decimal>, caps: &[(Decimal, Decimal)]) {
    let form = ctx.form;
    let Some((bound, limit)) = caps
        .iter()
        .filter(|(below, _)| round2(rate) < *below)
        .min_by_key(|(_, limit)| *limit)
        .copied()
    else {
        return;
    };
    let Some(total) = total else { return };
    if total <= limit {
        return;
    }
    let Some(field) = form.total.as_ref().map(|t| &t.score) else {
        return;
    };
    let msg = format!(
        "{} 执行率 {}% 低于 {}%，按本省规定总分至多 {} 分；本表总分 {}（只报告，不改写：按规定下调总分和等级由评价人确定）",
        field.cell,
        fmt_dec(round2(rate)),
        fmt_dec(bound),
        fmt_dec(limit),
        fmt_dec(total)
    );
    ctx.emit(
        &SCORE_CAP,
        field,
        format!("≤ {}", fmt_dec(limit)),
        msg,
        None,
    );
}

/// ZP402: an actual beyond its target by at least `threshold` percent (完成率 ≥ 100% +
/// threshold) loses `deduction` points; a score above weight − deduction is reported.
fn deviation(ctx: &mut Ctx, scores: &[Scored], threshold: Decimal, deduction: Decimal) {
    let form = ctx.form;
    for (ind, s) in form.indicators.iter().zip(scores) {
        let (Some(w), Some(score)) = (s.weight, s.score) else {
            continue;
        };
        let Some((completion, _)) = super::derived::completion_of(ctx, ind) else {
            continue;
        };
        if completion - Decimal::ONE_HUNDRED < threshold {
            continue;
        }
        let most = (w - deduction).max(Decimal::ZERO);
        if score <= most {
            continue;
        }
        let msg = format!(
            "{}「{}」实际值 {} 超过指标值 {} 达 {}%（完成率 {}%），按本省规定指标偏离 {}% 及以上扣 {} 分：得分至多 {}（只报告，不改写）",
            ind.score.cell,
            ind.name,
            ind.actual.raw,
            ind.target.raw,
            fmt_dec(round2(completion - Decimal::ONE_HUNDRED)),
            fmt_dec(round2(completion)),
            fmt_dec(threshold),
            fmt_dec(deduction),
            fmt_dec(most)
        );
        ctx.emit(
            &DEVIATION_DEDUCTION,
            &ind.score,
            format!("≤ {}", fmt_dec(most)),
            msg,
            None,
        );
    }
}

/// Whether an indicator is marked 不适用 (in its target, actual or score).
fn marked_not_applicable(ind: &crate::form::Indicator) -> bool {
    [&ind.target, &ind.actual, &ind.score]
        .iter()
        .any(|f| normalize(&f.raw).contains("不适用"))
}

/// ZP403: indicators marked 不适用 are left out, and the rest rescaled to 100: 总分 =
/// (执行率得分 + the other scores) × 100 ÷ (100 − the left-out weights).
fn not_applicable(ctx: &mut Ctx, exec: &ExecResult, scores: &[Scored], totals: &Totals) {
    let form = ctx.form;
    let mut left_out = Decimal::ZERO;
    let mut kept = exec.score.unwrap_or_default();
    let mut n = 0;
    for (ind, s) in form.indicators.iter().zip(scores) {
        if marked_not_applicable(ind) {
            let Some(w) = s.weight else { return };
            left_out += w;
            n += 1;
        } else {
            let Some(score) = s.score else { return };
            kept += score;
        }
    }
    let hundred = Decimal::ONE_HUNDRED;
    if n == 0 || left_out >= hundred {
        return;
    }
    let Some(rescaled) = crate::num::div(kept * hundred, hundred - left_out) else {
        return;
    };
    let expected = round2(rescaled);
    let Some(field) = form.total.as_ref().map(|t| &t.score) else {
        return;
    };
    if totals.claimed.is_some_and(|c| round2(c) == expected) {
        return;
    }
    let msg = format!(
        "{} 有 {n} 个指标标为“不适用”（分值合计 {}），按本省规定不计，其余按 100 分折算：({} ) × 100 ÷ {} = {}；本表总分 {}（只报告，不改写）",
        field.cell,
        fmt_dec(left_out),
        fmt_dec(kept),
        fmt_dec(hundred - left_out),
        fmt_dec(expected),
        totals.claimed.map_or("未填".to_string(), fmt_dec)
    );
    ctx.emit(&NOT_APPLICABLE, field, fmt_dec(expected), msg, None);
}

/// ZP404: an 执行率 below the threshold needs a reason somewhere in the form.
fn rate_reason(ctx: &mut Ctx, rate: Decimal, below: Decimal) {
    let form = ctx.form;
    if round2(rate) >= below {
        return;
    }
    if texts(form)
        .iter()
        .any(|t| holds_any(t, FUNDS_WORDS) && holds_any(t, CAUSE_WORDS))
    {
        return;
    }
    let Some(funding) = &form.funding else { return };
    let field = funding.total.rate.as_ref().unwrap_or(&funding.total.exec);
    let msg = format!(
        "{} 执行率 {}% 低于 {}%，表中（目标完成情况、偏差原因、评价结论）未见说明资金执行偏低的原因",
        field.cell,
        fmt_dec(round2(rate)),
        fmt_dec(below)
    );
    ctx.emit(&NEEDS_RATE_REASON, field, "说明原因", msg, None);
}

/// ZP405: a 全年预算数 that differs from the 年初预算数 (a 年中调整) needs a reason.
fn adjustment_reason(ctx: &mut Ctx) {
    let form = ctx.form;
    let Some(funding) = &form.funding else { return };
    let t = &funding.total;
    let (Some(initial), Some(full)) = (
        t.initial.as_ref().and_then(Field::number),
        t.full.as_ref().and_then(Field::number),
    ) else {
        return;
    };
    if initial == full || texts(form).iter().any(|x| holds_any(x, ADJUST_WORDS)) {
        return;
    }
    let Some(field) = t.full.as_ref() else { return };
    let msg = format!(
        "{} 全年预算数 {} 与年初预算数 {} 不同（年中调整 {}），表中未见说明调整的原因",
        field.cell,
        fmt_dec(full),
        fmt_dec(initial),
        fmt_dec(full - initial)
    );
    ctx.emit(&NEEDS_ADJUST_REASON, field, "说明调整原因", msg, None);
}

/// The numbers a text writes, each with its decimals ("总分97.5分" → 97.5 at one decimal).
fn numbers_in(text: &str) -> Vec<(Decimal, u32)> {
    let folded: String = crate::num::normalized_chars(text).collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in folded.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty() && !cur.contains('.')) {
            cur.push(c);
        } else if !cur.is_empty() {
            let t = cur.trim_end_matches('.');
            if let Ok(d) = t.parse::<Decimal>() {
                out.push((d, d.scale()));
            }
            cur.clear();
        }
    }
    out
}

/// ZP406: the 评价结论 is filled, is not the template's instruction, and states the 总分.
fn conclusion(ctx: &mut Ctx, total: Option<Decimal>) {
    let form = ctx.form;
    let Some(field) = form.conclusion.as_ref() else {
        return;
    };
    let text = normalize(&field.raw);
    let what = if text.is_empty() {
        "评价结论未填写".to_string()
    } else if holds_any(&text, TEMPLATE_WORDS) {
        format!("评价结论仍是模板的说明文字“{}”", field.raw.trim())
    } else {
        let Some(total) = total else { return };
        let states = numbers_in(&text)
            .iter()
            .any(|(d, dp)| crate::num::round_at(total, *dp as i32) == *d);
        if states {
            return;
        }
        format!("评价结论未写明总分（本表总分 {}）", fmt_dec(total))
    };
    let msg = format!("{} {what}：评价结论应写明总分、等级和主要结论", field.cell);
    ctx.emit(&NEEDS_CONCLUSION, field, "写明总分的评价结论", msg, None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_with_their_decimals() {
        assert_eq!(
            numbers_in("自评总分９７.５分，等级为优。2023年"),
            vec![(Decimal::new(975, 1), 1), (Decimal::from(2023), 0)]
        );
        assert_eq!(numbers_in("得分 98."), vec![(Decimal::from(98), 0)]);
    }
}
