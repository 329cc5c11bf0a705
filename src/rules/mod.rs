//! The rules zpcheck enforces (section 3 of form-and-rules.md). The registry
//! ([`registry`](RULES)) gives each rule its stable code, severity, fix safety and its
//! documentation in ruff's shape (检查什么 / 为什么 / 示例 / 更正), rendered with the values of
//! the profile in force. The checks live in one file per rule family, each building its
//! messages beside its comparisons: [`funding`] (rules 1–3), [`indicators`] (rules 4–10) and
//! [`totals`] (rules 11–13). Corrections are made only where the right value is unambiguous,
//! and only from trusted inputs: every correction names the cells it was computed from, a rule
//! says whether its uncorrected findings put their cells in doubt ([`Rule::doubts`]), and
//! [`check_with`] runs the rules until the cells in doubt settle, so that no value is written
//! from a cell in doubt (the finding then says what it would be if its inputs are right).

pub mod derived;
pub mod expect;
pub mod formulas;
pub mod funding;
pub mod indicators;
pub mod platform;
mod registry;
pub mod text;
pub mod totals;

pub use registry::*;

// The rule variants are configuration: defined with the profile loader, used here.
pub use crate::profile::{Grades, Profile};

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::finding::{Finding, FixValue};
use crate::form::{Field, Form};
use crate::grid::CellRef;
use crate::num::fmt_dec;

/// What checking one form gives.
#[derive(Debug, Clone, PartialEq)]
pub struct FormReport {
    /// The findings, in the order the form is read.
    pub findings: Vec<Finding>,
    /// The 总分 the form states, if it has a 总分 row with a number.
    pub claimed_total: Option<Decimal>,
    /// The 总分 recomputed from the corrected scores; `None` when a score is blank or cannot
    /// be read, or when one of them is in doubt (nothing is then corrected from it).
    pub computed_total: Option<Decimal>,
    /// When some scores are blank (or unreadable): the 总分 the scores that are there give at
    /// least (the execution score plus the indicator scores present).
    pub computed_total_min: Option<Decimal>,
    /// The grade the recomputed 总分 earns.
    pub computed_grade: Option<&'static str>,
    /// What the form's shape does not allow to be checked, in Chinese (a form read completely
    /// may still lack a column some rule needs).
    pub unchecked: Vec<String>,
}

/// What a form's shape leaves unchecked: rules whose inputs the form does not have.
fn unchecked(form: &Form) -> Vec<String> {
    let mut out = Vec::new();
    if form.unscored {
        out.push(
            "本表按设计不打分（资金块和指标块都没有分值、得分）：核查资金合计（ZP101）和执行率（ZP102）；指标只读取、不评分，总分和等级不适用"
                .to_string(),
        );
        if form
            .funding
            .as_ref()
            .is_some_and(|f| f.total.rate.is_none())
        {
            out.push("资金块没有执行率列：执行率（ZP102）未核对".to_string());
        }
        return out;
    }
    if form.derived_cols.scaled.is_some() {
        out.push(
            "指标块按权重占比折算得分：各指标的单项指标得分未按规则5/6核算、未核对是否超过满分（ZP201–ZP205、ZP208）；核对 折算得分 = 单项指标得分 × 权重占比（ZP311）、权重占比合计（ZP312），以及总分 = 执行率得分 + 各折算得分（ZP304）"
                .to_string(),
        );
        return out;
    }
    let no_weights =
        !form.indicators.is_empty() && form.indicators.iter().all(|i| i.weight.is_none());
    let groups_state = form
        .indicators
        .iter()
        .all(|i| crate::vocab::stated_points(&i.level1).is_some());
    if no_weights && !groups_state {
        let block = form
            .indicators_stated
            .as_ref()
            .map(|(points, cell, _)| format!("指标块 {cell} 标注的 {} 分", fmt_dec(*points)))
            .unwrap_or_else(|| "指标块标注的分值".into());
        out.push(format!(
            "指标块没有分值列，一级指标也没有标注分值：单个指标的得分无法按规则5/6核算、无法核对是否超过分值（ZP201–ZP205、ZP208），各组得分也无上限可核；只核对全部指标得分合计不超过{block}（ZP306），以及总分 = 执行率得分 + 各指标得分（ZP304）"
        ));
    } else if no_weights {
        out.push(
            "指标块没有分值列：单个指标的得分无法按规则5/6核算、无法核对是否超过分值（ZP201–ZP205、ZP208），只核对各一级指标得分合计不超过其标注的分值（ZP306）"
                .to_string(),
        );
    }
    if form.indicators.iter().any(|i| i.weight_shared.is_some()) {
        out.push(
            "有分值单元格由几个指标合并共用：这些指标的得分无法单独核算（ZP201–ZP205、ZP208），只核对其得分合计不超过共用的分值（ZP306）"
                .to_string(),
        );
    }
    if let Some(f) = &form.funding {
        if f.total.rate.is_none() {
            out.push(
                "资金块没有执行率列：执行率（ZP102）未核对，执行率得分按执行数 ÷ 预算数核算"
                    .to_string(),
            );
        }
        if f.total.score.is_none() {
            out.push("资金块没有得分列：执行率得分（ZP104）未核对".to_string());
        }
    }
    if form.complete() && !form.indicators.is_empty() && form.total.is_none() {
        out.push("指标块没有总分行：申报总分无从核对，只给出核算总分".to_string());
    }
    out
}

/// A cell on a named sheet: what the doubt set holds (a form may stand on two sheets).
pub type SheetCell = (String, CellRef);

/// Collects findings while a form is checked.
pub struct Ctx<'a> {
    /// The form.
    pub form: &'a Form,
    /// The rule variants in force.
    pub profile: &'a Profile,
    /// The findings so far.
    pub findings: Vec<Finding>,
    /// The cells in doubt (found by the previous pass, see [`check_with`]): no correction is
    /// written from them.
    pub doubted: &'a BTreeSet<SheetCell>,
    /// Cells this pass puts in doubt beyond the cells of its findings (every weight when the
    /// weights do not add up to 100, a group's scores when they exceed its points).
    pub raised: Vec<SheetCell>,
    /// Whether a reviewer accepted a finding (`--baseline`): its correction is not applied
    /// anywhere, and what follows from the cell uses the form's own value.
    pub accepted: &'a dyn Fn(&Finding) -> bool,
}

impl std::fmt::Debug for Ctx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("sheet", &self.form.sheet)
            .field("findings", &self.findings.len())
            .field("doubted", &self.doubted)
            .finish()
    }
}

impl Ctx<'_> {
    /// The sheet a field stands on.
    pub fn sheet_of(&self, field: &Field) -> String {
        field
            .sheet
            .clone()
            .unwrap_or_else(|| self.form.sheet.clone())
    }

    /// Puts `fields`' cells in doubt (for the next pass).
    pub fn raise<'f>(&mut self, fields: impl IntoIterator<Item = &'f Field>) {
        for f in fields {
            let key = (self.sheet_of(f), f.cell);
            self.raised.push(key);
        }
    }

    /// Records a finding of `rule` at `field`'s cell whose correction, if it has one, is
    /// computed from no other cell (a text turned into its number, a grade's text).
    pub fn emit(
        &mut self,
        rule: &Rule,
        field: &Field,
        expected: impl Into<String>,
        message: impl Into<String>,
        fix: Option<FixValue>,
    ) {
        self.emit_from(rule, field, expected, message, fix, &[]);
    }

    /// Records a finding of `rule` at `field`'s cell whose expected value was computed from
    /// `inputs`; returns whether its correction is applied. It is not when one of the inputs
    /// is in doubt (the finding then says what the value would be if the inputs are right,
    /// and nothing is written) or when a reviewer accepted the finding: the caller then goes
    /// on with the form's own value.
    pub fn emit_from(
        &mut self,
        rule: &Rule,
        field: &Field,
        expected: impl Into<String>,
        message: impl Into<String>,
        fix: Option<FixValue>,
        inputs: &[&Field],
    ) -> bool {
        // A rule that corrects nothing never offers a correction: a test build stops here,
        // so that such a fix cannot be lost without anyone noticing.
        debug_assert!(
            rule.fix.corrects() || fix.is_none(),
            "{} offers a fix but corrects nothing",
            rule.code
        );
        let fix = if rule.fix.corrects() { fix } else { None };
        let mut message = message.into();
        let mut expected = expected.into();
        let doubtful: Vec<String> = match fix {
            Some(_) => inputs
                .iter()
                .filter(|f| self.doubted.contains(&(self.sheet_of(f), f.cell)))
                .map(|f| f.cell.to_string())
                .collect(),
            None => Vec::new(),
        };
        let trusted = doubtful.is_empty();
        if !trusted {
            message.push_str(&format!(
                "；但其计算所依据的 {} 本身有问题（见该处），若这些输入无误应为 {expected}，未更正",
                doubtful.join("、")
            ));
            expected = format!("{expected}（若输入无误）");
        }
        if let Some(note) = &field.formula_note {
            message.push_str(note);
        }
        let mut finding = Finding {
            rule: rule.code,
            severity: rule.severity,
            sheet: self.sheet_of(field),
            cell: field.cell,
            found: field.shown(),
            expected,
            message,
            fix: if trusted { fix } else { None },
            sum_of: Vec::new(),
            inputs: inputs.iter().map(|f| f.cell).collect(),
            follows: None,
            text: None,
        };
        if finding.fix.is_some() && (self.accepted)(&finding) {
            finding.fix = None;
        }
        let applied = finding.fix.is_some();
        self.findings.push(finding);
        applied
    }

    /// Records that the last finding's expected value is the sum of `cells` (a formula there
    /// that adds other cells can then be repaired).
    pub fn sum_of(&mut self, cells: Vec<crate::grid::CellRef>) {
        if let Some(f) = self.findings.last_mut() {
            f.sum_of = cells;
        }
    }

    /// Warns about a number stored as text in a money, weight or score cell.
    pub fn note_text_number(&mut self, field: &Field) {
        if let crate::form::Value::Number {
            from_text: true,
            percent: crate::form::Percent::No,
            value,
        } = field.value
        {
            let msg = format!(
                "{} 数值以文本形式存储：“{}”，按其所示的数 {} 核算，并改为数字",
                field.cell,
                field.raw,
                fmt_dec(value)
            );
            // Turning the text into the number it shows changes no entered fact; a SUM over
            // the cell then adds it.
            self.emit(&TEXT_NUMBER, field, fmt_dec(value), msg, number_fix(value));
        }
    }

    /// Warns about text that should be a number; returns the number when there is one.
    pub fn number_or_warn(&mut self, field: &Field, what: &str) -> Option<Decimal> {
        if let crate::form::Value::Text(t) = &field.value {
            let msg = format!(
                "{} {}应为数字，实为“{}”，相关核算已跳过",
                field.cell, what, t
            );
            self.emit(&UNREADABLE_NUMBER, field, "数字", msg, None);
            return None;
        }
        self.note_text_number(field);
        field.number()
    }
}

/// How a figure compares with the value the rules give, at the precision the form shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agree {
    /// Equal at two decimals (or better).
    Yes,
    /// Shown with fewer decimals and right at that precision (89.7% for 89.715%).
    AtShown,
    /// Wrong.
    No,
}

/// Compares `found` (as stored) with `exact`, both in the units shown, for a cell showing `dp`
/// decimals: right at two decimals, or right at its own precision when it shows fewer.
pub fn agree(found: Decimal, exact: Decimal, dp: u32) -> Agree {
    agree_at(found, exact, i32::try_from(dp).unwrap_or(i32::MAX))
}

/// [`agree`] for a precision that may be coarser than whole units (a fraction shown at one
/// decimal is a percent shown to tens: `dp` = −1).
pub fn agree_at(found: Decimal, exact: Decimal, dp: i32) -> Agree {
    use crate::num::{round_at, round2};
    if round2(found) == round2(exact) {
        Agree::Yes
    } else if dp < 2 && round_at(found, dp) == round_at(exact, dp) {
        Agree::AtShown
    } else {
        Agree::No
    }
}

impl Ctx<'_> {
    /// Warns that a figure right at its own precision is not shown to two decimals.
    pub fn note_low_precision(&mut self, field: &Field, what: &str, exact: Decimal, unit: &str) {
        let expected = format!("{}{unit}", fmt_dec(crate::num::round2(exact)));
        let msg = format!(
            "{} {what}写作 {}（{} 位小数），在其所示精度下正确；按规则应保留两位小数：{}",
            field.cell,
            field.shown(),
            field.shown_dp,
            expected
        );
        self.emit(&LOW_PRECISION, field, expected, msg, None);
    }
}

/// A score correction: a plain number.
pub fn number_fix(value: Decimal) -> Option<FixValue> {
    Some(FixValue::Number {
        value,
        percent_format: false,
        formula: None,
    })
}

/// Passes a form's check may take before its doubt set settles. Each pass that does not
/// settle adds at least one cell in doubt; a chain score → 总分 → grade takes four. Past this,
/// every correction computed from a cell in doubt is dropped (see [`check_with`]).
pub const MAX_TRUST_PASSES: usize = 8;

/// Checks one form against every rule.
pub fn check(form: &Form, profile: &Profile) -> FormReport {
    check_with(form, profile, &|_| false)
}

/// Checks one form against every rule, with the findings a reviewer accepted.
///
/// Corrections rest only on trusted inputs: the rules run, the cells their uncorrected
/// findings put in doubt are collected (rules whose [`Rule::doubts`] is set, and the cells
/// such findings name), and the rules run again with that set, until it no longer grows. A
/// correction whose inputs include a cell in doubt is reported with what it would be, and not
/// written; what follows from it (a score into 总分) uses the form's own value.
pub fn check_with(
    form: &Form,
    profile: &Profile,
    accepted: &dyn Fn(&Finding) -> bool,
) -> FormReport {
    let mut doubted = BTreeSet::new();
    let mut passes = 0;
    loop {
        passes += 1;
        let (mut report, raised) = check_pass(form, profile, &doubted, accepted);
        let before = doubted.len();
        let mut next = doubted.clone();
        next.extend(raised);
        for f in &report.findings {
            // A finding a reviewer accepted confirms the form's value: no doubt.
            if !f.fixed() && rule(f.rule).is_some_and(|r| r.doubts) && !accepted(f) {
                next.insert((f.sheet.clone(), f.cell));
            }
        }
        if next.len() == before {
            return report;
        }
        if passes == MAX_TRUST_PASSES {
            // Not settled: no correction computed from any cell in doubt is written.
            for f in &mut report.findings {
                if f.fixed()
                    && f.inputs
                        .iter()
                        .any(|c| next.contains(&(f.sheet.clone(), *c)))
                {
                    f.fix = None;
                    f.message.push_str("；其计算所依据的单元格存疑，未更正");
                }
            }
            report.computed_total = None;
            report.computed_grade = None;
            return report;
        }
        doubted = next;
    }
}

/// One pass of the rules over a form with the cells in doubt so far; returns the report and
/// the cells its findings put in doubt beyond their own.
fn check_pass(
    form: &Form,
    profile: &Profile,
    doubted: &BTreeSet<SheetCell>,
    accepted: &dyn Fn(&Finding) -> bool,
) -> (FormReport, Vec<SheetCell>) {
    let mut ctx = Ctx {
        form,
        profile,
        findings: Vec::new(),
        doubted,
        raised: Vec::new(),
        accepted,
    };
    for u in &form.unread {
        let mut field = Field::blank(u.cell);
        field.raw = "未能识别".into();
        let msg = format!(
            "{}；依赖这部分的规则未核查，总分、等级和分值合计未核查、未更正",
            u.what
        );
        ctx.emit(&PARTIAL, &field, "完整识别", msg, None);
    }
    let exec = funding::check(&mut ctx);
    let mut scores = indicators::check(&mut ctx);
    derived::check(&mut ctx, &mut scores, exec.weight);
    let totals = totals::check(&mut ctx, &exec, &scores);
    platform::check(&mut ctx, &exec, &scores, &totals);
    // A text number's own correction gives way to another correction of the same cell.
    let corrected_otherwise: BTreeSet<SheetCell> = ctx
        .findings
        .iter()
        .filter(|f| f.fixed() && f.rule != TEXT_NUMBER.code)
        .map(|f| (f.sheet.clone(), f.cell))
        .collect();
    for f in &mut ctx.findings {
        if f.rule == TEXT_NUMBER.code && corrected_otherwise.contains(&(f.sheet.clone(), f.cell)) {
            f.fix = None;
        }
    }
    let report = FormReport {
        findings: ctx.findings,
        claimed_total: totals.claimed,
        computed_total: totals.computed,
        computed_total_min: totals.computed_min,
        computed_grade: totals.grade,
        unchecked: unchecked(form),
    };
    (report, ctx.raised)
}
