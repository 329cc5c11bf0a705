//! The rules for a 自评报告's narrative (ZP5xx): the figures its paragraphs state (read by
//! [`crate::claims`]) held to each other — rates, shares, "其中" lists, score and grade, an
//! indicator's 完成率 and 偏差率, unit price × quantity, date spans and day counts, sums and
//! differences — and to the 自评表 (the one embedded in the report, or the workbook paired with
//! it): the total row's money and rate, 总分 and grade, indicator counts, each indicator's
//! target and actual.
//!
//! A claim agrees when the value it should have, rounded half away from zero at the decimals it
//! is written with, is the value written: "100 分" for 99.96 agrees (a note that it is rounded),
//! "4.08%" for 4.10 does not. Figures about a previous or another year, about a part (基本支出,
//! 项目支出, 三公经费…) when the table speaks of the whole, and 0 ÷ 0 rates are not compared.
//! Nothing here is ever corrected: the words are the author's.

use rust_decimal::Decimal;

use super::registry::{self, Rule};
use crate::claims::{Figure, ParaFigures, Unit};
use crate::finding::{Finding, TextPlace};
use crate::form::{Field, Form};
use crate::grid::CellRef;
use crate::num::{fmt_dec, round_dp};

use super::{FormReport, Profile};

/// A checked form a report's words are held to: the form, its findings and totals.
pub struct TableRef<'a> {
    /// The form.
    pub form: &'a Form,
    /// What checking it gave.
    pub report: &'a FormReport,
}

/// Words that make a sentence about a part of the budget, not the whole the table totals.
const PART_SUBJECTS: &[&str] = &[
    "基本支出",
    "项目支出",
    "专项",
    "三公",
    "采购",
    "人员经费",
    "公用经费",
    "固定资产",
    "项目年初",
    "项目全年",
    "转移支付",
    "上级安排",
    "本级安排",
    "其他资金",
    "因公出国",
    "公务用车",
    "公务接待",
    "基本公用",
];

/// Checks a report's narrative: its own arithmetic, and, when a form is given, the figures it
/// repeats from the form.
pub fn check(
    paragraphs: &[ParaFigures],
    table: Option<TableRef<'_>>,
    profile: &Profile,
) -> Vec<Finding> {
    let mut out = Out::default();
    let whole_exec = whole_execution(paragraphs, table.as_ref());
    for p in paragraphs {
        rates(p, &mut out);
        shares(p, whole_exec, &mut out);
        parts(p, &mut out);
        score_and_grade(p, profile, table.as_ref(), &mut out);
        completion(p, &profile.vocab, &mut out);
        prices(p, &mut out);
        days(p, &mut out);
        sums(p, &mut out);
        if let Some(t) = &table {
            funds_vs_table(p, t, &mut out);
            score_vs_table(p, t, profile, &mut out);
            counts_vs_table(p, t, &mut out);
            indicator_vs_table(p, t, &profile.vocab, &mut out);
        }
    }
    out.findings
}

#[derive(Default)]
struct Out {
    findings: Vec<Finding>,
}

impl Out {
    /// Records a finding on a figure's claim.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: &Rule,
        p: &ParaFigures,
        quote: &str,
        found: String,
        expected: String,
        message: String,
        compared_with: Option<(String, CellRef)>,
    ) {
        // One finding per claim: a claim wrong by its own figures is not said wrong again
        // against the table (the checks of its own arithmetic come first).
        if self.findings.iter().any(|f| {
            f.text
                .as_ref()
                .is_some_and(|t| t.paragraph == p.paragraph && t.quote == quote)
        }) {
            return;
        }
        self.findings.push(Finding {
            rule: rule.code,
            severity: rule.severity,
            sheet: String::new(),
            cell: CellRef::new(0, 0),
            found,
            expected,
            message: format!("第 {} 段“{quote}”：{message}", p.paragraph),
            fix: None,
            sum_of: Vec::new(),
            inputs: Vec::new(),
            follows: None,
            text: Some(Box::new(TextPlace {
                paragraph: p.paragraph,
                quote: quote.to_string(),
                compared_with,
            })),
        });
    }
}

fn money(f: &Figure) -> bool {
    matches!(f.unit, Unit::Money { .. })
}

fn has(label: &str, words: &[&str]) -> bool {
    words.iter().any(|w| label.contains(w))
}

/// A figure's value as written (in its own unit: 元 stays 元).
fn shown(f: &Figure) -> String {
    as_written(f, f.value)
}

/// `value` (in the figure's base unit) as the figure would write it, at its decimals.
fn as_written(f: &Figure, value: Decimal) -> String {
    let factor = match f.unit {
        Unit::Money { factor } | Unit::Price { factor, .. } => factor,
        _ => Decimal::ONE,
    };
    let v = if factor.is_zero() {
        value
    } else {
        value / factor
    };
    let mut r = round_dp(v, f.dp);
    r.rescale(f.dp);
    r.to_string()
}

/// Whether `value` rounds to the figure at its decimals.
fn agrees(f: &Figure, value: Decimal) -> bool {
    let factor = match f.unit {
        Unit::Money { factor } | Unit::Price { factor, .. } => factor,
        _ => Decimal::ONE,
    };
    let at = |v: Decimal| round_dp(crate::num::div(v, factor).unwrap_or(v), f.dp);
    at(value) == at(f.value)
}

fn unit_word(f: &Figure) -> String {
    match &f.unit {
        Unit::Money { factor } => {
            if *factor == Decimal::ONE {
                "万元".into()
            } else if *factor > Decimal::ONE {
                "亿元".into()
            } else {
                "元".into()
            }
        }
        Unit::Percent => "%".into(),
        Unit::Score => "分".into(),
        Unit::Days => "天".into(),
        Unit::Count(c) => c.to_string(),
        Unit::Price { per, .. } => format!("万元/{per}"),
    }
}

/// The budget figures a rate in `p` at index `i` may be computed on (the 全年 / 调整后 one
/// first; 年初 is a base some reports use) and the execution figure: the last of each before
/// it, in its sentence or the one before.
fn rate_inputs<'p>(
    p: &'p ParaFigures<'_>,
    i: usize,
) -> Option<(Vec<&'p Figure<'p>>, &'p Figure<'p>)> {
    let f = &p.figures[i];
    let before = || {
        p.figures[..i]
            .iter()
            .rev()
            .filter(|g| money(g) && g.sentence + 1 >= f.sentence && !g.other_year)
    };
    let mut budgets: Vec<&Figure> = before()
        .filter(|g| has(&g.label, &["全年预算", "调整后", "预算总"]))
        .take(1)
        .collect();
    let first = budgets.first().map(|b| b.at);
    budgets.extend(
        before()
            .filter(|g| g.label.contains("预算") && Some(g.at) != first)
            .take(1),
    );
    let exec = before()
        .find(|g| has(&g.label, &["支出", "执行", "实际", "完成"]) && !g.label.contains("预算"))?;
    (!budgets.is_empty()).then_some((budgets, exec))
}

fn rates(p: &ParaFigures, out: &mut Out) {
    for (i, f) in p.figures.iter().enumerate() {
        if f.unit != Unit::Percent || f.other_year || f.approx {
            continue;
        }
        if f.label.contains("执行率") && !f.label.contains("控制率") {
            let Some((budgets, exec)) = rate_inputs(p, i) else {
                continue;
            };
            // 0 ÷ 0 is not applicable: whatever the text prints there is no error. A rate right
            // on any of the bases the sentence gives (调整后 or 年初) is right.
            let rates: Vec<(Decimal, &Figure)> = budgets
                .iter()
                .filter_map(|b| {
                    crate::num::div(exec.value * Decimal::ONE_HUNDRED, b.value).map(|r| (r, *b))
                })
                .collect();
            let Some(&(rate, budget)) = rates.first() else {
                continue;
            };
            if !rates.iter().any(|(r, _)| agrees(f, *r)) {
                rate_finding(out, p, f, "执行率", (exec, budget), rate);
            }
        } else if f.label.contains("调整率") {
            let before = || {
                p.figures[..i]
                    .iter()
                    .rev()
                    .filter(|g| money(g) && g.sentence + 1 >= f.sentence)
            };
            let adjust = before().find(|g| g.label.contains("调整") && !g.label.contains("调整后"));
            let initial = before().find(|g| g.label.contains("年初"));
            let (Some(adjust), Some(initial)) = (adjust, initial) else {
                continue;
            };
            let Some(rate) = crate::num::div(adjust.value * Decimal::ONE_HUNDRED, initial.value)
            else {
                continue;
            };
            if !agrees(f, rate) {
                rate_finding(out, p, f, "调整率", (adjust, initial), rate);
            }
        }
    }
}

/// A rate claim (ZP501) that its own figures contradict: `rate` = numerator ÷ denominator.
fn rate_finding(
    out: &mut Out,
    p: &ParaFigures,
    f: &Figure,
    what: &str,
    (num, den): (&Figure, &Figure),
    rate: Decimal,
) {
    out.push(
        &registry::TEXT_RATE,
        p,
        f.quote,
        shown(f),
        as_written(f, rate),
        format!(
            "{what}应为 {} ÷ {} = {}%，所写 {}%",
            shown(num),
            shown(den),
            as_written(f, rate),
            shown(f)
        ),
        None,
    );
}

/// The whole's execution a share "占总支出" is of: the narrative's 全年实际支出 of the whole
/// (a sentence with no part's subject), else the table's total row.
fn whole_execution(paragraphs: &[ParaFigures], table: Option<&TableRef<'_>>) -> Option<Decimal> {
    for p in paragraphs {
        for f in &p.figures {
            if money(f)
                && !f.other_year
                && has(
                    &f.label,
                    &["全年实际支出", "全年执行", "全年支出", "实际支出资金"],
                )
                && !has(p.before(f), PART_SUBJECTS)
            {
                return Some(f.value);
            }
        }
    }
    table
        .and_then(|t| t.form.funding.as_ref())
        .and_then(|fu| fu.total.exec.number())
}

fn shares(p: &ParaFigures, whole: Option<Decimal>, out: &mut Out) {
    let Some(whole) = whole else {
        return;
    };
    for (i, f) in p.figures.iter().enumerate() {
        if f.unit != Unit::Percent
            || f.other_year
            || f.approx
            || !(f.label.contains('占') && has(&f.label, &["总支出", "支出总", "全部支出"]))
        {
            continue;
        }
        // The part: the execution figure before it in its sentence.
        let part = p.figures[..i].iter().rev().find(|g| {
            money(g)
                && g.sentence == f.sentence
                && has(&g.label, &["支出", "执行", "实际"])
                && !g.label.contains("预算")
        });
        let Some(part) = part else {
            continue;
        };
        let Some(share) = crate::num::div(part.value * Decimal::ONE_HUNDRED, whole) else {
            continue;
        };
        if !agrees(f, share) {
            out.push(
                &registry::TEXT_SHARE,
                p,
                f.quote,
                shown(f),
                as_written(f, share),
                format!(
                    "占比应为 {} ÷ 总支出 {} = {}%，所写 {}%",
                    shown(part),
                    fmt_dec(whole),
                    as_written(f, share),
                    shown(f)
                ),
                None,
            );
        }
    }
}

fn same_kind(a: &Unit, b: &Unit) -> bool {
    match (a, b) {
        (Unit::Money { .. }, Unit::Money { .. }) => true,
        (Unit::Count(x), Unit::Count(y)) => x == y,
        _ => false,
    }
}

fn parts(p: &ParaFigures, out: &mut Out) {
    for &k in &p.qizhong {
        let Some(first) = p.figures.get(k) else {
            continue;
        };
        // The total: the last figure of the same kind before "其中", in its sentence or the
        // one before.
        let total = p.figures[..k]
            .iter()
            .rev()
            .find(|g| same_kind(&g.unit, &first.unit) && g.sentence + 1 >= first.sentence);
        let Some(total) = total else {
            continue;
        };
        if total.other_year || total.approx {
            continue;
        }
        let list: Vec<&Figure> = p.figures[k..]
            .iter()
            .filter(|g| g.sentence == first.sentence && same_kind(&g.unit, &first.unit))
            .collect();
        // One part may be only some of the whole ("实有人员 5 人，其中在职人员 4 人").
        if list.len() < 2 || list.iter().any(|g| g.other_year || g.approx) {
            continue;
        }
        // Budget and spending listed pair by pair (三公经费) add to no one total.
        let labels = || list.iter().map(|g| &*g.label);
        if labels().any(|l| l.contains("预算")) && labels().any(|l| has(l, &["实际", "支出"]))
        {
            continue;
        }
        let sum: Decimal = list.iter().map(|g| g.value).sum();
        if sum == total.value || agrees(total, sum) {
            continue;
        }
        // The parts add to another figure of the sentence (the list is of that one).
        let others = p.figures[..k].iter().any(|g| {
            same_kind(&g.unit, &first.unit) && g.value == sum && g.sentence + 1 >= first.sentence
        });
        if others {
            continue;
        }
        let unit = unit_word(total);
        out.push(
            &registry::TEXT_PARTS,
            p,
            total.quote,
            shown(total),
            as_written(total, sum),
            format!(
                "“其中”所列 {} 项之和为 {}{unit}，与总数 {}{unit} 不符",
                list.len(),
                as_written(total, sum),
                shown(total)
            ),
            None,
        );
    }
}

/// The grade word a sentence gives after a score ("评价结果为“优”", "等级为良").
fn grade_word(sentence: &str) -> Option<&'static str> {
    let keys = ["评价结果", "评价等级", "等级", "评定为", "评价为", "结果为"];
    let at = keys
        .iter()
        .filter_map(|k| sentence.find(k).map(|i| i + k.len()))
        .min()?;
    let rest: String = sentence[at..]
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '为' | '是' | '“' | '”' | '"' | '「' | '」' | ':' | '：' | '\'' | '‘' | '’'
            )
        })
        .take(3)
        .collect();
    [
        ("优秀", "优"),
        ("良好", "良"),
        ("不合格", "差"),
        ("合格", "中"),
        ("优", "优"),
        ("良", "良"),
        ("中", "中"),
        ("差", "差"),
    ]
    .into_iter()
    .find(|(w, _)| rest.starts_with(w))
    .map(|(_, g)| g)
}

/// The score figure of a sentence that states the overall score, with its grade word.
fn overall_score<'p>(p: &'p ParaFigures<'_>) -> Vec<(&'p Figure<'p>, Option<&'static str>)> {
    p.figures
        .iter()
        .filter(|f| {
            f.unit == Unit::Score
                && !f.other_year
                && has(
                    &f.label,
                    &[
                        "综合",
                        "总分",
                        "总得分",
                        "自评得分",
                        "评价得分",
                        "最终得分",
                        "评分为",
                        "得分为",
                    ],
                )
                && !has(&f.label, &["分值", "权重", "指标", "执行率", "满意度"])
        })
        .map(|f| (f, grade_word(&p.sentences[f.sentence])))
        .collect()
}

fn score_and_grade(
    p: &ParaFigures,
    profile: &Profile,
    table: Option<&TableRef<'_>>,
    out: &mut Out,
) {
    let total = table.and_then(|t| t.report.computed_total);
    for (f, grade) in overall_score(p) {
        let Some(grade) = grade else {
            continue;
        };
        let band = profile.grades.of(f.value);
        // A rounded score ("90 分" for 89.96) carries the grade of the unrounded total.
        let rounded_right = total.is_some_and(|t| agrees(f, t) && profile.grades.of(t) == grade);
        if band != grade && !rounded_right {
            out.push(
                &registry::TEXT_GRADE,
                p,
                f.quote,
                grade.to_string(),
                band.to_string(),
                format!("得分 {} 分对应的等级是“{band}”，所写“{grade}”", shown(f)),
                None,
            );
        }
    }
}

/// The text after `key` (and a colon) up to the clause's end.
fn value_after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let mut from = 0;
    // "自评完成值" rather than "年中监控完成值": the first occurrence not preceded by 监控.
    while let Some(i) = text[from..].find(key) {
        let at = from + i;
        let before = &text[..at];
        if !(key == "完成值" && (before.ends_with("监控") || before.ends_with("年中"))) {
            let rest = text[at + key.len()..].trim_start_matches([':', '：']);
            let end = rest
                .find([',', '，', ';', '；', '。'])
                .unwrap_or(rest.len());
            return Some(&rest[..end]);
        }
        from = at + key.len();
    }
    None
}

/// An indicator described in a paragraph: its name, target and actual text.
struct Described<'a> {
    name: Option<&'a str>,
    target: &'a str,
    actual: &'a str,
}

fn described(text: &str) -> Option<Described<'_>> {
    let target = value_after(text, "指标值")?;
    let actual = value_after(text, "自评完成值")
        .or_else(|| value_after(text, "实际完成值"))
        .or_else(|| value_after(text, "完成值"))?;
    // "指标③:培育高新技术企业,指标值…": the name between the first colon and the comma.
    let name = text
        .split_once("指标值")
        .map(|(head, _)| head)
        .and_then(|h| h.split_once([':', '：']).map(|(_, n)| n))
        .map(|n| n.trim_end_matches([',', '，', ' ']))
        .filter(|n| !n.is_empty() && n.chars().count() <= 60);
    Some(Described {
        name,
        target,
        actual,
    })
}

/// 完成率 in percent: actual ÷ target (反向: target ÷ actual); None when it has none.
fn completion_rate(vocab: &crate::vocab::Vocab, target: &str, actual: &str) -> Option<Decimal> {
    let t = vocab.measure(target)?;
    let a = vocab.measure(actual)?;
    let reverse = t.op.is_some_and(|o| o.is_reverse());
    let (num, den) = if reverse {
        (t.value, a.value)
    } else {
        (a.value, t.value)
    };
    crate::num::div(num * Decimal::ONE_HUNDRED, den)
}

fn completion(p: &ParaFigures, vocab: &crate::vocab::Vocab, out: &mut Out) {
    if !p.text.contains("指标值") {
        return;
    }
    // One indicator per paragraph: a paragraph describing several is not matched up.
    if p.text.matches("指标值:").count() + p.text.matches("指标值：").count() != 1 {
        return;
    }
    let Some(d) = described(p.text) else {
        return;
    };
    let Some(rate) = completion_rate(vocab, d.target, d.actual) else {
        return;
    };
    for f in p.figures.iter().filter(|f| f.unit == Unit::Percent) {
        if f.label.contains("完成率") {
            if !agrees(f, rate) {
                out.push(
                    &registry::TEXT_COMPLETION,
                    p,
                    f.quote,
                    shown(f),
                    as_written(f, rate),
                    format!(
                        "指标值 {}、完成值 {}，完成率应为 {}%，所写 {}%",
                        d.target,
                        d.actual,
                        as_written(f, rate),
                        shown(f)
                    ),
                    None,
                );
            }
        } else if f.label.contains("偏差率") {
            let deviation = rate - Decimal::ONE_HUNDRED;
            // Written with or without its sign.
            if !agrees(f, deviation) && !agrees(f, deviation.abs()) {
                out.push(
                    &registry::TEXT_COMPLETION,
                    p,
                    f.quote,
                    shown(f),
                    as_written(f, deviation.abs()),
                    format!(
                        "完成率 {}%，偏差率应为 {}%，所写 {}%",
                        fmt_dec(round_dp(rate, 2)),
                        as_written(f, deviation.abs()),
                        shown(f)
                    ),
                    None,
                );
            }
        }
    }
}

fn prices(p: &ParaFigures, out: &mut Out) {
    for price in p
        .figures
        .iter()
        .filter(|f| matches!(f.unit, Unit::Price { .. }))
    {
        let Unit::Price { per, .. } = price.unit else {
            continue;
        };
        let in_sentence = || p.figures.iter().filter(|g| g.sentence == price.sentence);
        let counts: Vec<&Figure> = in_sentence()
            .filter(|g| g.unit == Unit::Count(per))
            .collect();
        let [count] = counts.as_slice() else {
            continue;
        };
        let totals: Vec<&Figure> = in_sentence().filter(|g| money(g) && !g.approx).collect();
        let product = price.value * count.value;
        if totals.is_empty() || totals.iter().any(|t| agrees(t, product)) {
            continue;
        }
        let [total] = totals.as_slice() else {
            continue;
        };
        out.push(
            &registry::TEXT_PRICE,
            p,
            total.quote,
            shown(total),
            as_written(total, product),
            format!(
                "单价 {} × 数量 {}{per} = {}{}，所写 {}{}",
                shown(price),
                shown(count),
                as_written(total, product),
                unit_word(total),
                shown(total),
                unit_word(total)
            ),
            None,
        );
    }
}

/// A date span in a text: "2023.1.19-8.16", "2023年1月19日至8月16日", "2023-01-19～2023-08-16".
fn date_span(text: &str) -> Option<(jiff::civil::Date, jiff::civil::Date)> {
    // Full-width digits and signs as their ASCII forms.
    let c: Vec<char> = crate::num::normalized_chars(text).collect();
    let num = |i: &mut usize, max: usize| -> Option<i16> {
        let start = *i;
        let mut v: i32 = 0;
        while *i < c.len() && c[*i].is_ascii_digit() && *i - start < max {
            v = v * 10 + c[*i].to_digit(10)? as i32;
            *i += 1;
        }
        (*i > start).then_some(v as i16)
    };
    let sep = |i: &mut usize| -> bool {
        if *i < c.len() && matches!(c[*i], '.' | '-' | '/' | '年' | '月') {
            *i += 1;
            true
        } else {
            false
        }
    };
    for start in 0..c.len() {
        if !c[start].is_ascii_digit() || (start > 0 && c[start - 1].is_ascii_digit()) {
            continue;
        }
        let mut i = start;
        let Some(y) = num(&mut i, 4).filter(|y| (1990..=2099).contains(y)) else {
            continue;
        };
        if !sep(&mut i) {
            continue;
        }
        let Some(m1) = num(&mut i, 2) else { continue };
        if !sep(&mut i) {
            continue;
        }
        let Some(d1) = num(&mut i, 2) else { continue };
        if i < c.len() && c[i] == '日' {
            i += 1;
        }
        if i < c.len() && matches!(c[i], '-' | '—' | '至' | '到' | '~' | '～' | '－') {
            i += 1;
        } else {
            continue;
        }
        // The end: [year sep] month sep day.
        let mut j = i;
        let first = num(&mut j, 4);
        let (y2, m2, d2) = if first.is_some_and(|v| v >= 1990) {
            if !sep(&mut j) {
                continue;
            }
            let m = num(&mut j, 2);
            sep(&mut j);
            (first, m, num(&mut j, 2))
        } else {
            if !sep(&mut j) {
                continue;
            }
            (Some(y), first, num(&mut j, 2))
        };
        let (Some(y2), Some(m2), Some(d2)) = (y2, m2, d2) else {
            continue;
        };
        let a = jiff::civil::Date::new(y, m1 as i8, d1 as i8).ok()?;
        let b = jiff::civil::Date::new(y2, m2 as i8, d2 as i8).ok()?;
        return (b >= a).then_some((a, b));
    }
    None
}

fn days(p: &ParaFigures, out: &mut Out) {
    // One span and one day count in the paragraph: which goes with which is then certain.
    if p.figures.iter().filter(|f| f.unit == Unit::Days).count() != 1 {
        return;
    }
    let Some((a, b)) = date_span(p.text) else {
        return;
    };
    let Ok(span) = a.until(b) else {
        return;
    };
    let between = Decimal::from(span.get_days());
    for f in p.figures.iter().filter(|f| f.unit == Unit::Days) {
        // Counting both ends or one: either is right.
        if f.value == between || f.value == between + Decimal::ONE {
            continue;
        }
        out.push(
            &registry::TEXT_DAYS,
            p,
            f.quote,
            shown(f),
            fmt_dec(between + Decimal::ONE),
            format!(
                "{a} 至 {b} 算头算尾为 {} 天（只算一头 {} 天），所写 {} 天",
                between + Decimal::ONE,
                between,
                shown(f)
            ),
            None,
        );
    }
}

fn sums(p: &ParaFigures, out: &mut Out) {
    let sentences = p.figures.iter().map(|f| f.sentence).max().unwrap_or(0);
    for s in 0..=sentences {
        let m: Vec<&Figure> = p
            .figures
            .iter()
            .filter(|f| f.sentence == s && money(f) && !f.other_year && !f.approx)
            .collect();
        // Both identities need three amounts in the sentence.
        if m.len() < 3 {
            continue;
        }
        let find = |pred: &dyn Fn(&str) -> bool| m.iter().copied().find(|f| pred(&f.label));
        // 年初 + 调整 = 调整后.
        let initial = find(&|l| l.contains("年初"));
        let adjust = find(&|l| {
            (l.contains("调整数") || l.ends_with("调整") || l.contains("年中调整"))
                && !l.contains("调整后")
        });
        let after = find(&|l| l.contains("调整后"));
        if let (Some(a), Some(b), Some(c)) = (initial, adjust, after) {
            let sum = a.value + b.value;
            if !agrees(c, sum) {
                out.push(
                    &registry::TEXT_SUM,
                    p,
                    c.quote,
                    shown(c),
                    as_written(c, sum),
                    format!(
                        "{} + {} = {}，所写调整后 {}",
                        shown(a),
                        shown(b),
                        as_written(c, sum),
                        shown(c)
                    ),
                    None,
                );
            }
        }
        // 预算 − 实际 = 节约 / 结余 (on any budget the sentence gives).
        let budgets: Vec<&Figure> = m
            .iter()
            .copied()
            .filter(|f| f.label.contains("预算") && !f.label.contains("调整"))
            .collect();
        let spent = find(&|l| has(l, &["实际支出", "实际执行", "支出"]) && !l.contains("预算"));
        let saved = find(&|l| has(l, &["节约", "结余", "节余"]));
        if let (Some(&b), Some(e), Some(s)) = (budgets.first(), spent, saved) {
            let diff = b.value - e.value;
            if !budgets.iter().any(|b| agrees(s, b.value - e.value)) {
                out.push(
                    &registry::TEXT_SUM,
                    p,
                    s.quote,
                    shown(s),
                    as_written(s, diff),
                    format!(
                        "{} − {} = {}，所写 {}",
                        shown(b),
                        shown(e),
                        as_written(s, diff),
                        shown(s)
                    ),
                    None,
                );
            }
        }
    }
}

/// The table figure for a money or rate claim about the whole, with its cell: the total row's
/// 年初预算数, 全年预算数, 全年执行数 or the 执行率 they give.
enum Funds {
    Initial,
    Full,
    Exec,
    Rate,
}

fn funds_kind(f: &Figure) -> Option<Funds> {
    let l = &f.label;
    match f.unit {
        Unit::Percent if l.contains("执行率") && !l.contains("控制率") => Some(Funds::Rate),
        Unit::Money { .. } => {
            if l.contains("年初") && l.contains("预算") {
                Some(Funds::Initial)
            } else if has(l, &["全年预算", "调整后全年预算", "调整后预算"]) {
                Some(Funds::Full)
            } else if has(l, &["全年实际支出", "全年执行", "全年支出", "实际支出资金"])
            {
                Some(Funds::Exec)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The corrected value of a field (a finding's correction, else the cell's number) and
/// whether the table has an error finding on it.
fn corrected(t: &TableRef<'_>, field: &Field) -> (Option<Decimal>, bool) {
    let on = t
        .report
        .findings
        .iter()
        .filter(|x| x.cell == field.cell && x.sheet == t.form.sheet && x.is_error());
    let mut wrong = false;
    let mut value = field.number();
    for x in on {
        wrong = true;
        if let Some(crate::finding::FixValue::Number { value: v, .. }) = &x.fix {
            value = Some(*v);
        }
    }
    (value, wrong)
}

/// Compares one claim with a table figure: agreeing, rounded (a note), repeating a wrong
/// table figure (a note), or wrong.
#[allow(clippy::too_many_arguments)]
fn compare(
    out: &mut Out,
    p: &ParaFigures,
    f: &Figure,
    what: &str,
    right: Decimal,
    table_shown: Option<Decimal>,
    table_wrong: bool,
    at: Option<(String, CellRef)>,
    rule: &Rule,
) {
    let place = match &at {
        Some((sheet, cell)) => format!("{sheet}!{cell}"),
        None => "自评表".to_string(),
    };
    let exact = f.value == right || (f.unit == Unit::Percent && round_dp(right, 2) == f.value);
    if exact {
        return;
    }
    if agrees(f, right) {
        out.push(
            &registry::TEXT_APPROX,
            p,
            f.quote,
            shown(f),
            fmt_dec(right),
            format!(
                "{what}为 {}（{place}），所写 {} 是按其精度四舍五入的值",
                fmt_dec(right),
                shown(f)
            ),
            at,
        );
        return;
    }
    if table_wrong && table_shown.is_some_and(|v| agrees(f, v)) {
        out.push(
            &registry::TEXT_REPEATS_TABLE_ERROR,
            p,
            f.quote,
            shown(f),
            fmt_dec(right),
            format!(
                "与 {place} 相同，但表中该数有误（见该处），应为 {}",
                fmt_dec(right)
            ),
            at,
        );
        return;
    }
    out.push(
        rule,
        p,
        f.quote,
        shown(f),
        as_written(f, right),
        format!(
            "{place} 的{what}为 {}，所写 {}{}",
            fmt_dec(right),
            shown(f),
            unit_word(f)
        ),
        at,
    );
}

/// The subjects that make a figure a part's when the table is a project's form: the project is
/// the whole there.
const PROJECT_PART_SUBJECTS: &[&str] = &[
    "基本支出",
    "三公",
    "采购",
    "人员经费",
    "公用经费",
    "固定资产",
    "因公出国",
    "公务用车",
    "公务接待",
    "上级安排",
    "本级安排",
    "其他资金",
];

fn funds_vs_table(p: &ParaFigures, t: &TableRef<'_>, out: &mut Out) {
    let Some(fu) = t.form.funding.as_ref() else {
        return;
    };
    let total = &fu.total;
    // For a department's form, 项目支出 is a part too; for a project's, the project is the whole.
    let subjects = if t.form.title.contains("项目") {
        PROJECT_PART_SUBJECTS
    } else {
        PART_SUBJECTS
    };
    for f in &p.figures {
        let Some(kind) = funds_kind(f) else {
            continue;
        };
        if f.other_year || has(p.before(f), subjects) {
            continue;
        }
        let sheet = t.form.sheet.clone();
        match kind {
            Funds::Initial | Funds::Full | Funds::Exec => {
                let (field, what) = match kind {
                    Funds::Initial => (total.initial.as_ref(), "年初预算数"),
                    Funds::Full => (total.full.as_ref(), "全年预算数"),
                    _ => (Some(&total.exec), "全年执行数"),
                };
                let Some(field) = field else {
                    continue;
                };
                let (Some(right), wrong) = corrected(t, field) else {
                    continue;
                };
                compare(
                    out,
                    p,
                    f,
                    what,
                    right,
                    field.number(),
                    wrong,
                    Some((sheet, field.cell)),
                    &registry::TEXT_FUNDS_VS_TABLE,
                );
            }
            Funds::Rate => {
                let budget = total.full.as_ref().or(total.initial.as_ref());
                let (Some(b), (Some(e), _)) = (
                    budget.and_then(|b| corrected(t, b).0),
                    corrected(t, &total.exec),
                ) else {
                    continue;
                };
                let Some(rate) = crate::rules::expect::rate(e, b) else {
                    continue;
                };
                let Some(rate_field) = total.rate.as_ref() else {
                    continue;
                };
                let (_, wrong) = corrected(t, rate_field);
                let shown_rate = rate_field.number().map(|v| {
                    if fu.rate_in_percent {
                        v
                    } else {
                        v * Decimal::ONE_HUNDRED
                    }
                });
                compare(
                    out,
                    p,
                    f,
                    "执行率",
                    round_dp(rate, 2),
                    shown_rate,
                    wrong,
                    Some((sheet, rate_field.cell)),
                    &registry::TEXT_FUNDS_VS_TABLE,
                );
            }
        }
    }
}

fn score_vs_table(p: &ParaFigures, t: &TableRef<'_>, profile: &Profile, out: &mut Out) {
    let Some(total) = t.report.computed_total else {
        return;
    };
    // The 总分 cell, when the form has a 总分 row (otherwise the total is the recomputed one,
    // in no cell).
    let at = t
        .form
        .total
        .as_ref()
        .map(|r| (t.form.sheet.clone(), r.score.cell));
    for (f, grade) in overall_score(p) {
        let declared_wrong = t
            .report
            .findings
            .iter()
            .any(|x| x.rule == "ZP304" && x.is_error());
        compare(
            out,
            p,
            f,
            "核算总分",
            total,
            t.report.claimed_total,
            declared_wrong,
            at.clone(),
            &registry::TEXT_SCORE_VS_TABLE,
        );
        // The grade is judged on the unrounded total.
        let band = profile.grades.of(total);
        if let Some(g) = grade
            && g != band
            && profile.grades.of(f.value) == g
        {
            out.push(
                &registry::TEXT_SCORE_VS_TABLE,
                p,
                &format!("{}，等级“{g}”", f.quote),
                g.to_string(),
                band.to_string(),
                format!(
                    "自评表核算总分 {}，等级应为“{band}”（按未四舍五入的总分判定），所写“{g}”",
                    fmt_dec(total)
                ),
                at.clone(),
            );
        }
    }
}

fn counts_vs_table(p: &ParaFigures, t: &TableRef<'_>, out: &mut Out) {
    let counted = |f: &Figure| {
        matches!(f.unit, Unit::Count('个' | '项' | '条'))
            && !f.other_year
            && ["一级指标", "二级指标", "三级指标"]
                .iter()
                .any(|w| f.label.ends_with(w))
    };
    if !p.figures.iter().any(counted) || !t.form.complete() || t.form.indicators.is_empty() {
        return;
    }
    let distinct = |key: &dyn Fn(&crate::form::Indicator) -> String| {
        let mut v: Vec<String> = t
            .form
            .indicators
            .iter()
            .map(key)
            .filter(|k| !k.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v.len()
    };
    let level1 = distinct(&|i| crate::num::label_key(&i.level1));
    let level2 = distinct(&|i| {
        format!(
            "{}/{}",
            crate::num::label_key(&i.level1),
            crate::num::label_key(&i.level2)
        )
    });
    let level3 = t.form.indicators.len();
    for f in &p.figures {
        if !matches!(f.unit, Unit::Count('个' | '项' | '条')) || f.other_year {
            continue;
        }
        let n = if f.label.ends_with("一级指标") {
            level1
        } else if f.label.ends_with("二级指标") {
            level2
        } else if f.label.ends_with("三级指标") {
            level3
        } else {
            continue;
        };
        let right = Decimal::from(n);
        if f.value != right {
            out.push(
                &registry::TEXT_COUNT_VS_TABLE,
                p,
                f.quote,
                shown(f),
                n.to_string(),
                format!("自评表 {} 中有 {n} 个，所写 {}", t.form.sheet, shown(f)),
                Some((t.form.sheet.clone(), t.form.anchor)),
            );
        }
    }
}

fn indicator_vs_table(
    p: &ParaFigures,
    t: &TableRef<'_>,
    vocab: &crate::vocab::Vocab,
    out: &mut Out,
) {
    if !p.text.contains("指标值") {
        return;
    }
    let Some(d) = described(p.text) else {
        return;
    };
    let Some(name) = d.name else {
        return;
    };
    let key = crate::num::label_key(name);
    let row = t.form.indicators.iter().find(|i| {
        let k = crate::num::label_key(&i.name);
        !k.is_empty() && (k == key || key.ends_with(&k) || k.ends_with(&key))
    });
    let Some(row) = row else {
        return;
    };
    for (said, field, what) in [
        (d.target, &row.target, "指标值"),
        (d.actual, &row.actual, "实际完成值"),
    ] {
        let (Some(a), Some(b)) = (vocab.measure(said), vocab.measure(&field.raw)) else {
            continue;
        };
        if a.value != b.value {
            out.push(
                &registry::TEXT_INDICATOR_VS_TABLE,
                p,
                said,
                fmt_dec(a.value),
                fmt_dec(b.value),
                format!(
                    "指标“{}”的{what}在自评表 {}!{} 为“{}”，所写“{said}”",
                    row.name,
                    t.form.sheet,
                    field.cell,
                    field.raw.trim()
                ),
                Some((t.form.sheet.clone(), field.cell)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_span_is_read_in_the_forms_reports_use() {
        let d = |y, m, d| jiff::civil::date(y, m, d);
        assert_eq!(
            date_span("支付科创大厦A座 2023.1.19-8.16 的租赁费用"),
            Some((d(2023, 1, 19), d(2023, 8, 16)))
        );
        assert_eq!(
            date_span("2023年1月19日至2023年8月16日"),
            Some((d(2023, 1, 19), d(2023, 8, 16)))
        );
        assert_eq!(date_span("2023年12月31日"), None);
    }

    #[test]
    fn a_grade_word_is_read_after_its_key() {
        assert_eq!(
            grade_word("自评综合得分100分,评价结果为\"优\"。"),
            Some("优")
        );
        assert_eq!(grade_word("综合评分为97分,等级为良好"), Some("良"));
        assert_eq!(grade_word("综合评分为97分"), None);
    }
}
