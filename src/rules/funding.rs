//! Rules 1–3, the funding block: totals equal the sum of their parts, the execution rate is
//! 全年执行数 ÷ 全年预算数, and the execution score is 分值 × min(执行率, 100%).

use rust_decimal::Decimal;

use super::{
    Agree, Ctx, EXEC_SCORE, EXEC_WEIGHT_MISSING, FUND_TOTAL, OVER_BUDGET, RATE, agree, number_fix,
};
use crate::finding::FixValue;
use crate::form::{Base, Field, FundRow, Funding, Percent, Value};
use crate::grid::CellRef;
use crate::num::{fmt_dec, round2};

/// What the funding block contributes to the totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExecResult {
    /// The execution weight (分值) read from the sheet.
    pub weight: Option<Decimal>,
    /// The execution score as it should be shown (2 decimals).
    pub score: Option<Decimal>,
    /// The unrounded execution score, when it could be computed.
    pub score_exact: Option<Decimal>,
    /// The execution rate (percent, exact) from the corrected totals, when it could be
    /// computed.
    pub rate: Option<Decimal>,
}

/// Checks the funding block, if the form has one.
pub fn check(ctx: &mut Ctx) -> ExecResult {
    let Some(funding) = ctx.form.funding.as_ref() else {
        return ExecResult::default();
    };
    let total = &funding.total;
    let parts = &funding.parts;
    let initial = total
        .initial
        .as_ref()
        .and_then(|initial| check_sum(ctx, initial, funding, |p| p.initial.as_ref(), "年初预算数"));
    let full = total
        .full
        .as_ref()
        .and_then(|full| check_sum(ctx, full, funding, |p| p.full.as_ref(), "全年预算数"));
    let exec = check_sum(ctx, &total.exec, funding, |p| Some(&p.exec), "全年执行数");
    fn base_of(row: &FundRow, base: Base) -> Option<&Field> {
        match base {
            Base::Full => row.full.as_ref(),
            Base::Initial => row.initial.as_ref(),
        }
    }
    let base_name = match funding.base {
        Base::Full => "全年预算数",
        Base::Initial => "年初预算数",
    };
    let base = match funding.base {
        Base::Full => full,
        Base::Initial => initial,
    };

    let rate_inputs: Vec<&Field> = base_of(total, funding.base)
        .into_iter()
        .chain([&total.exec])
        .collect();
    let evidence = RateEvidence::of(funding);
    let rate = check_rate(
        ctx,
        total,
        base_name,
        base,
        exec,
        true,
        &rate_inputs,
        &evidence,
    );
    for part in parts {
        let full = base_of(part, funding.base).and_then(ctx_number_quiet);
        let exec = ctx_number_quiet(&part.exec);
        let inputs: Vec<&Field> = base_of(part, funding.base)
            .into_iter()
            .chain([&part.exec])
            .collect();
        let part_evidence = RateEvidence {
            score: None,
            ..evidence
        };
        check_rate(
            ctx,
            part,
            base_name,
            full,
            exec,
            false,
            &inputs,
            &part_evidence,
        );
    }
    ExecResult {
        rate,
        ..check_exec_score(ctx, total, funding.stated_weight, rate, &rate_inputs)
    }
}

fn ctx_number_quiet(f: &Field) -> Option<Decimal> {
    match f.value {
        Value::Blank | Value::NotApplicable => Some(Decimal::ZERO),
        _ => f.number(),
    }
}

/// Rule 1 for one column; returns the total as it should be.
fn check_sum<'a>(
    ctx: &mut Ctx,
    total: &Field,
    funding: &'a Funding,
    col: impl Fn(&'a FundRow) -> Option<&'a Field>,
    what: &str,
) -> Option<Decimal> {
    let found = ctx.number_or_warn(total, &format!("合计{what}"));
    // Each breakdown's sum and its terms; `None` when a breakdown has no number at all.
    let mut sums: Vec<(&str, Decimal, Vec<String>)> = Vec::new();
    // The cells of the first breakdown, for repairing a total's formula, and its fields (the
    // inputs of the correction).
    let mut first_cells: Option<Vec<CellRef>> = None;
    let mut first_fields: Option<Vec<&Field>> = None;
    for (heading, idx) in &funding.breakdowns {
        let mut values = Vec::new();
        let mut any_number = false;
        let mut terms = Vec::new();
        let mut cells = Vec::new();
        let mut fields = Vec::new();
        for p in idx.iter().filter_map(|&i| funding.parts.get(i)) {
            let Some(f) = col(p) else { continue };
            fields.push(f);
            if f.sheet == total.sheet {
                cells.push(f.cell);
            }
            match ctx.number_or_warn(f, what) {
                Some(v) => {
                    any_number = true;
                    values.push(v);
                    terms.push(fmt_dec(v));
                }
                None if f.is_empty() => terms.push("0".into()),
                // Unreadable part: the sum cannot be checked, so the total is not trusted
                // either — nothing (rate, execution score, over-budget) is judged from it.
                None => {
                    ctx.raise([total]);
                    return None;
                }
            }
        }
        // A breakdown not filled in has nothing to add up.
        if any_number {
            sums.push((heading.as_str(), super::expect::sum(values), terms));
            first_cells.get_or_insert(cells);
            first_fields.get_or_insert(fields);
        }
    }
    let Some(first) = sums.first() else {
        return found;
    };
    let sum = first.1;
    if sums.iter().all(|s| s.1 == sum) {
        if found == Some(sum) {
            return found;
        }
        let terms = sums
            .iter()
            .map(|(h, _, t)| {
                if h.is_empty() {
                    t.join(" + ")
                } else {
                    format!("{h}{}", t.join(" + "))
                }
            })
            .collect::<Vec<_>>()
            .join("；");
        let msg = format!(
            "{} 合计行{what}为 {}，各分项之和为 {}（{}），应为 {}",
            total.cell,
            total.shown(),
            fmt_dec(sum),
            terms,
            fmt_dec(sum)
        );
        let inputs = first_fields.unwrap_or_default();
        let applied = ctx.emit_from(
            &FUND_TOTAL,
            total,
            fmt_dec(sum),
            msg,
            number_fix(sum),
            &inputs,
        );
        ctx.sum_of(first_cells.unwrap_or_default());
        return if applied { Some(sum) } else { found };
    }
    // The breakdowns add up to different totals: a contradiction among entered amounts, which
    // the form does not resolve. Reported with every sum; nothing is corrected.
    let listed = sums
        .iter()
        .map(|(h, s, t)| format!("{h}{}（{}）", fmt_dec(*s), t.join(" + ")))
        .collect::<Vec<_>>()
        .join("，");
    let other: Vec<String> = sums
        .iter()
        .map(|s| fmt_dec(s.1))
        .filter(|s| Some(s.as_str()) != found.map(fmt_dec).as_deref())
        .collect();
    let msg = format!(
        "{} 合计行{what}为 {}，而各组分项之和不一致：{listed}；表中没有说明哪一个有误，未更正，请核实",
        total.cell,
        total.shown()
    );
    ctx.emit(&FUND_TOTAL, total, other.join(" / "), msg, None);
    found
}

/// What a wrong rate's finding says first: the cell, the figure and the rate it should show.
fn rate_message(
    field: &Field,
    row: &FundRow,
    (exec, full): (Decimal, Decimal),
    expected: Decimal,
) -> String {
    format!(
        "{}「{}」执行率为 {}，按 {} ÷ {} × 100% 应为 {}%",
        field.cell,
        row.label,
        field.shown(),
        fmt_dec(exec),
        fmt_dec(full),
        fmt_dec(expected)
    )
}

/// The correction for a rate cell, keeping the way the cell writes rates.
pub(super) fn rate_fix(field: &Field, pct: Decimal) -> FixValue {
    match field.value {
        Value::Number {
            percent: Percent::Sign,
            ..
        } => FixValue::Text(format!("{}%", fmt_dec(pct))),
        Value::Number {
            percent: Percent::No,
            ..
        } if !field.percent_format => FixValue::Number {
            value: pct,
            percent_format: false,
            formula: None,
        },
        _ => FixValue::Number {
            value: pct,
            percent_format: true,
            formula: None,
        },
    }
}

/// How a plain-number rate cell holds its rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    /// A percent number: 95.86 is 95.86%.
    Percent,
    /// A fraction: 0.9586 is 95.86%.
    Fraction,
}

/// What the form says about how its plain-number rates are held.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateEvidence {
    /// The 执行率 header says percent ("执行率(%)").
    in_percent: bool,
    /// The other rate cells of the block, where they tell: percent numbers (one above 1.5)
    /// or fractions (one strictly between 0 and 1).
    others: Option<Held>,
    /// The total row's weight and score, when both are numbers: the score is weight × rate,
    /// so it tells which reading the form computed with.
    score: Option<(Decimal, Decimal)>,
}

impl RateEvidence {
    fn of(funding: &Funding) -> RateEvidence {
        let plain = |r: &FundRow| match r.rate.as_ref().map(|f| (&f.value, f.percent_format)) {
            Some((
                Value::Number {
                    value,
                    percent: Percent::No,
                    ..
                },
                false,
            )) => Some(*value),
            _ => None,
        };
        let parts: Vec<Decimal> = funding.parts.iter().filter_map(plain).collect();
        let big = parts.iter().any(|v| *v > Decimal::new(15, 1));
        let small = parts
            .iter()
            .any(|v| *v > Decimal::ZERO && *v < Decimal::ONE);
        let others = match (big, small) {
            (true, false) => Some(Held::Percent),
            (false, true) => Some(Held::Fraction),
            _ => None,
        };
        let weight = funding
            .total
            .weight
            .as_ref()
            .and_then(Field::number)
            .or(funding.stated_weight.map(|s| s.0));
        let score = funding.total.score.as_ref().and_then(Field::number);
        RateEvidence {
            in_percent: funding.rate_in_percent,
            others,
            score: weight.zip(score),
        }
    }

    /// Which of the two readings of `v` the evidence picks, if it tells.
    fn pick(&self, v: Decimal) -> Option<Held> {
        self.pick_why(v).map(|(h, _)| h)
    }

    /// [`RateEvidence::pick`] with what told, in words.
    fn pick_why(&self, v: Decimal) -> Option<(Held, &'static str)> {
        if self.in_percent {
            return Some((Held::Percent, "表头注明 %"));
        }
        if let Some(h) = self.others {
            return Some((h, "分项行的执行率"));
        }
        self.pick_by_score(v)
            .map(|h| (h, "执行率得分 = 分值 × 执行率"))
    }

    /// The reading the execution score was computed with, if it tells.
    fn pick_by_score(&self, v: Decimal) -> Option<Held> {
        // The score's share of the weight is the rate (as a fraction) below 100%: the reading
        // nearer to it is the one the form computed with (the two differ a hundredfold).
        let (w, s) = self.score?;
        let share = crate::num::div(s, w)?;
        if w <= Decimal::ZERO || share >= Decimal::ONE || share <= Decimal::ZERO {
            return None;
        }
        let as_fraction = (v - share).abs();
        let as_percent = (v / Decimal::ONE_HUNDRED - share).abs();
        if as_fraction < as_percent {
            Some(Held::Fraction)
        } else if as_percent < as_fraction {
            Some(Held::Percent)
        } else {
            None
        }
    }
}

/// How the total row's 执行率 cell holds its rate, in words, for `explain`: "以小数表示（0.958
/// 即 95.8%，显示 3 位小数，即百分数的 1 位小数；依据：执行率得分 = 分值 × 执行率）".
pub fn rate_reading(funding: &Funding) -> Option<String> {
    let field = funding.total.rate.as_ref()?;
    let cell = field.cell;
    let Value::Number { value, percent, .. } = field.value else {
        return None;
    };
    let dp = i32::try_from(field.shown_dp).unwrap_or(i32::MAX);
    Some(match percent {
        Percent::Format => format!(
            "{cell} 为百分比格式（{}，显示{}）",
            field.shown(),
            pct_precision(dp)
        ),
        Percent::Sign => format!("{cell} 为文本写的百分数（“{}”）", field.raw),
        Percent::No if field.percent_format => format!("{cell} 为百分比格式"),
        Percent::No => {
            let evidence = RateEvidence::of(funding);
            let (held, why) = match evidence.pick_why(value) {
                Some(x) => x,
                None if value.is_zero() => (Held::Percent, "数值为 0，按百分数写"),
                None if value <= Decimal::ONE => (Held::Fraction, "数值不大于 1"),
                None => (Held::Percent, "数值大于 1"),
            };
            let shown = if field.general {
                "常规格式，按百分数的 2 位小数".to_string()
            } else {
                match held {
                    Held::Fraction => format!(
                        "显示 {} 位小数，即{}",
                        field.shown_dp,
                        pct_precision(dp - 2)
                    ),
                    Held::Percent => format!("显示{}", pct_precision(dp)),
                }
            };
            match held {
                Held::Fraction => format!(
                    "{cell} 以小数表示（{} 即 {}%；{shown}；依据：{why}）",
                    field.shown(),
                    fmt_dec(value * Decimal::ONE_HUNDRED)
                ),
                Held::Percent => format!(
                    "{cell} 以百分数表示（{} 即 {}%；{shown}；依据：{why}）",
                    field.shown(),
                    fmt_dec(value)
                ),
            }
        }
    })
}

/// The precision of a percent, in words: "百分数的 2 位小数", "百分数的个位", "百分数的十位".
fn pct_precision(dp: i32) -> String {
    match dp {
        d if d > 0 => format!("百分数的 {d} 位小数"),
        0 => "百分数的个位".into(),
        -1 => "百分数的十位".into(),
        -2 => "百分数的百位".into(),
        _ => "百分数的千位以上".into(),
    }
}

/// Rule 2 for a rate held as a plain number: as a fraction (0.9586, 0.958 in a `0.000` cell)
/// or as a percent number (95.86). The readings the cell, the header, the form's other rates
/// and its score allow are tried; a figure right under any of them at its displayed precision
/// is right. A correction keeps the reading and the cell's precision; when two readings stay
/// possible and the figure is wrong under both, nothing is written.
#[allow(clippy::too_many_arguments)]
fn check_plain_rate(
    ctx: &mut Ctx,
    row: &FundRow,
    field: &Field,
    v: Decimal,
    exact: Decimal,
    (exec, full): (Decimal, Decimal),
    evidence: &RateEvidence,
    inputs: &[&Field],
) {
    let hundred = Decimal::ONE_HUNDRED;
    let dp = i32::try_from(field.shown_dp).unwrap_or(i32::MAX);
    // Decimals of the percent each reading shows; a General cell claims two either way.
    let dp_of = |h: Held| match (h, field.general) {
        (_, true) => 2,
        (Held::Percent, false) => dp,
        (Held::Fraction, false) => dp.saturating_sub(2),
    };
    let pct_of = |h: Held| match h {
        Held::Percent => v,
        Held::Fraction => v * hundred,
    };
    let mut readings = Vec::new();
    match evidence.pick(v) {
        Some(h) => readings.push(h),
        // 0 tells nothing: it is written as a percent number, as a person types a rate into a
        // General cell under 执行率.
        None if v.is_zero() => readings.push(Held::Percent),
        None => {
            // A fraction above 1 only where the rate is above 100%; a percent number below 1
            // only where the rate is below 1%.
            if v <= Decimal::ONE || (v <= Decimal::TEN && exact > hundred) {
                readings.push(Held::Fraction);
            }
            if v >= Decimal::ONE || exact < Decimal::ONE {
                readings.push(Held::Percent);
            }
        }
    }
    let verdicts: Vec<(Held, Agree)> = readings
        .iter()
        .map(|&h| (h, super::agree_at(pct_of(h), exact, dp_of(h))))
        .collect();
    if verdicts.iter().any(|(_, a)| *a == Agree::Yes) {
        return;
    }
    let expected = round2(exact);
    if let Some(&(h, _)) = verdicts.iter().find(|(_, a)| *a == Agree::AtShown) {
        let how = match h {
            Held::Fraction => format!(
                "（小数写法，即 {}%，所示精度为{}）",
                fmt_dec(pct_of(h)),
                pct_precision(dp_of(h))
            ),
            Held::Percent => format!("（所示精度为{}）", pct_precision(dp_of(h))),
        };
        let msg = format!(
            "{}「{}」执行率写作 {}{how}，在其所示精度下正确；按规则应保留两位小数：{}%",
            field.cell,
            row.label,
            field.shown(),
            fmt_dec(expected)
        );
        ctx.emit(
            &super::LOW_PRECISION,
            field,
            format!("{}%", fmt_dec(expected)),
            msg,
            None,
        );
        return;
    }
    // The value each reading writes, at the cell's displayed precision (a General cell: two
    // decimals of the percent).
    let written = |h: Held| match h {
        Held::Percent => crate::num::round_at(exact, dp_of(h)),
        Held::Fraction => crate::num::round_at(exact / hundred, dp_of(h) + 2),
    };
    let base = rate_message(field, row, (exec, full), expected);
    match readings.as_slice() {
        [h] => {
            let value = written(*h);
            let msg = match h {
                Held::Fraction => format!(
                    "{base}；本格以小数表示执行率（{} 即 {}%），按其所示的 {} 应写作 {}",
                    field.shown(),
                    fmt_dec(pct_of(*h)),
                    if field.general {
                        "常规格式（百分数 2 位小数）".to_string()
                    } else {
                        format!("{} 位小数", field.shown_dp)
                    },
                    fmt_dec(value)
                ),
                // A percent number in a General cell is written as the rate it is.
                Held::Percent if field.general => base,
                Held::Percent => format!(
                    "{base}；本格以百分数表示执行率，按其所示的{}应写作 {}",
                    pct_precision(dp_of(*h)),
                    fmt_dec(value)
                ),
            };
            let fix = FixValue::Number {
                value,
                percent_format: false,
                formula: None,
            };
            let expected = match h {
                Held::Percent => format!("{}%", fmt_dec(value)),
                Held::Fraction => fmt_dec(value),
            };
            ctx.emit_from(&RATE, field, expected, msg, Some(fix), inputs);
        }
        _ => {
            let msg = format!(
                "{base}；无法确定本格是小数（应写作 {}）还是百分数（应写作 {}），未更正，请核实",
                fmt_dec(written(Held::Fraction)),
                fmt_dec(written(Held::Percent))
            );
            ctx.emit(&RATE, field, format!("{}%", fmt_dec(expected)), msg, None);
        }
    }
}

/// Rule 2 for one row; returns the exact rate in percent units, when it can be computed.
#[allow(clippy::too_many_arguments)]
fn check_rate(
    ctx: &mut Ctx,
    row: &FundRow,
    base_name: &str,
    full: Option<Decimal>,
    exec: Option<Decimal>,
    is_total: bool,
    inputs: &[&Field],
    evidence: &RateEvidence,
) -> Option<Decimal> {
    let (Some(full), Some(exec)) = (full, exec) else {
        return None;
    };
    if exec > full {
        let msg = format!(
            "{}「{}」全年执行数 {} 超过{base_name} {}，请核实",
            row.exec.cell,
            row.label,
            fmt_dec(exec),
            fmt_dec(full)
        );
        ctx.emit(
            &OVER_BUDGET,
            &row.exec,
            format!("≤ {}", fmt_dec(full)),
            msg,
            None,
        );
    }
    // 0 ÷ 0 is not applicable, whatever the cell shows.
    let exact = super::expect::rate(exec, full)?;
    let expected = round2(exact);
    let Some(field) = row.rate.as_ref() else {
        return Some(exact);
    };
    // Part rows usually show a marker: only a number written there is checked.
    if !is_total && !matches!(field.value, Value::Number { .. }) {
        return Some(exact);
    }
    // A plain number may hold the rate as a fraction or as a percent number: decide how
    // this cell holds it before judging it.
    if let Value::Number {
        value,
        percent: Percent::No,
        ..
    } = field.value
        && !field.percent_format
    {
        check_plain_rate(
            ctx,
            row,
            field,
            value,
            exact,
            (exec, full),
            evidence,
            inputs,
        );
        return Some(exact);
    }
    let mut low_precision = false;
    let ok = match field.value {
        Value::Number { value, .. } => {
            let pct = field.number().unwrap_or(value);
            match agree(pct, exact, field.shown_dp) {
                Agree::Yes => true,
                Agree::AtShown => {
                    low_precision = true;
                    true
                }
                Agree::No => false,
            }
        }
        _ => false,
    };
    if low_precision {
        ctx.note_low_precision(field, "执行率", exact, "%");
    }
    if !ok {
        let msg = rate_message(field, row, (exec, full), expected);
        let fix = rate_fix(field, expected);
        ctx.emit_from(
            &RATE,
            field,
            format!("{}%", fmt_dec(expected)),
            msg,
            Some(fix),
            inputs,
        );
    }
    Some(exact)
}

/// Rule 3. The weight is the total row's 分值 cell, else the one a label or header states
/// ("预算执行情况（万元）（20分）", "得分(20分*执行率)").
fn check_exec_score(
    ctx: &mut Ctx,
    total: &FundRow,
    stated: Option<(Decimal, CellRef)>,
    rate: Option<Decimal>,
    rate_inputs: &[&Field],
) -> ExecResult {
    let weight = total
        .weight
        .as_ref()
        .and_then(|w| ctx.number_or_warn(w, "执行率分值"))
        .or_else(|| {
            total
                .weight
                .as_ref()
                .is_none_or(|w| w.is_empty())
                .then_some(stated.map(|s| s.0))
                .flatten()
        });
    let score_field = total.score.as_ref();
    let found = score_field.and_then(|s| ctx.number_or_warn(s, "执行率得分"));
    let Some(weight) = weight else {
        if let Some(w) = total.weight.as_ref().filter(|w| w.is_empty())
            && score_field.is_some()
        {
            let msg = format!("{} 资金合计行未填写分值，无法核算执行率得分", w.cell);
            ctx.emit(&EXEC_WEIGHT_MISSING, w, "分值（通常为 10）", msg, None);
        }
        return ExecResult {
            weight: None,
            score: found,
            score_exact: None,
            rate: None,
        };
    };
    let (Some(rate), Some(score_field)) = (rate, score_field) else {
        return ExecResult {
            weight: Some(weight),
            score: found,
            score_exact: None,
            rate: None,
        };
    };
    let hundred = Decimal::ONE_HUNDRED;
    let exact = super::expect::exec_score(weight, rate);
    let expected = round2(exact);
    // A form may compute the score from the rate as shown (2 decimals): accept that too.
    let from_shown = super::expect::exec_score(weight, round2(rate));
    let verdict = found.map(|f| {
        let dp = score_field.shown_dp;
        match (agree(f, exact, dp), agree(f, from_shown, dp)) {
            (Agree::Yes, _) | (_, Agree::Yes) => Agree::Yes,
            (Agree::AtShown, _) | (_, Agree::AtShown) => Agree::AtShown,
            _ => Agree::No,
        }
    });
    match (found, verdict) {
        (Some(f), Some(v)) if v != Agree::No => {
            if v == Agree::AtShown {
                ctx.note_low_precision(score_field, "执行率得分", exact, "");
            }
            ExecResult {
                weight: Some(weight),
                score: Some(if v == Agree::Yes { round2(f) } else { expected }),
                score_exact: Some(exact),
                rate: None,
            }
        }
        _ => {
            let msg = format!(
                "{} 执行率得分为 {}，按 分值 {} × 执行率 {}% 应为 {}",
                score_field.cell,
                score_field.shown(),
                fmt_dec(weight),
                fmt_dec(round2(rate.min(hundred))),
                fmt_dec(expected)
            );
            // The weight is the 分值 cell, or the label or header that states it.
            let stated_field = stated.map(|(_, cell)| Field::blank(cell));
            let weight_field = total
                .weight
                .as_ref()
                .filter(|w| !w.is_empty())
                .or(stated_field.as_ref());
            let inputs: Vec<&Field> = weight_field
                .into_iter()
                .chain(rate_inputs.iter().copied())
                .collect();
            let applied = ctx.emit_from(
                &EXEC_SCORE,
                score_field,
                fmt_dec(expected),
                msg,
                number_fix(expected),
                &inputs,
            );
            if !applied {
                // Not written: what follows uses the form's own score.
                return ExecResult {
                    weight: Some(weight),
                    score: found,
                    score_exact: None,
                    rate: None,
                };
            }
            ExecResult {
                weight: Some(weight),
                score: Some(expected),
                score_exact: Some(exact),
                rate: None,
            }
        }
    }
}
