//! The rules zpcheck enforces (section 3 of form-and-rules.md). The registry
//! ([`registry`](RULES)) gives each rule its stable code, severity, fix safety and its
//! documentation in ruff's shape (检查什么 / 为什么 / 示例 / 更正), rendered with the values of
//! the profile in force. The checks live in one file per rule family, each building its
//! messages beside its comparisons: [`funding`] (rules 1–3), [`indicators`] (rules 4–10) and
//! [`totals`] (rules 11–13). Corrections are made only where the right value is unambiguous.

pub mod expect;
pub mod funding;
pub mod indicators;
mod registry;
pub mod totals;

pub use registry::*;

use rust_decimal::Decimal;

use crate::finding::{Finding, FixValue};
use crate::form::{Field, Form};
use crate::num::fmt_dec;

/// Grade cut-offs: the lowest 总分 of each grade (rule 13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grades {
    /// 优 from this 总分 on (90).
    pub excellent: Decimal,
    /// 良 from this 总分 on (80).
    pub good: Decimal,
    /// 中 from this 总分 on (60); below it 差.
    pub fair: Decimal,
}

impl Default for Grades {
    fn default() -> Self {
        Grades {
            excellent: Decimal::from(90),
            good: Decimal::from(80),
            fair: Decimal::from(60),
        }
    }
}

impl Grades {
    /// The grade of a 总分.
    pub fn of(&self, total: Decimal) -> &'static str {
        if total >= self.excellent {
            "优"
        } else if total >= self.good {
            "良"
        } else if total >= self.fair {
            "中"
        } else {
            "差"
        }
    }
}

/// Provincial variants of the rules and the recognition vocabulary. The default is the
/// national profile, `profiles/national.toml` (see [`crate::profile`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The profile's name ("国家" for the default).
    pub name: String,
    /// Lower edge of the 达成 band, as a share of the weight (0.8).
    pub band_achieved: Decimal,
    /// Lower edge of the 部分达成 band (0.6; Hubei uses 0.5).
    pub band_partial: Decimal,
    /// Actual ÷ target at or above which full marks draw a warning (1.5).
    pub far_above_target: Decimal,
    /// Grade cut-offs.
    pub grades: Grades,
    /// The words forms are recognised by.
    pub vocab: crate::vocab::Vocab,
}

impl Default for Profile {
    fn default() -> Self {
        crate::profile::national().clone()
    }
}

/// What checking one form gives.
#[derive(Debug, Clone, PartialEq)]
pub struct FormReport {
    /// The findings, in the order the form is read.
    pub findings: Vec<Finding>,
    /// The 总分 the form states, if it has a 总分 row with a number.
    pub claimed_total: Option<Decimal>,
    /// The 总分 recomputed from the corrected scores.
    pub computed_total: Option<Decimal>,
    /// The grade the recomputed 总分 earns.
    pub computed_grade: Option<&'static str>,
    /// What the form's shape does not allow to be checked, in Chinese (a form read completely
    /// may still lack a column some rule needs).
    pub unchecked: Vec<String>,
}

/// What a form's shape leaves unchecked: rules whose inputs the form does not have.
fn unchecked(form: &Form) -> Vec<String> {
    let mut out = Vec::new();
    if !form.indicators.is_empty() && form.indicators.iter().all(|i| i.weight.is_none()) {
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

/// Collects findings while a form is checked.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The form.
    pub form: &'a Form,
    /// The rule variants in force.
    pub profile: &'a Profile,
    /// The findings so far.
    pub findings: Vec<Finding>,
}

impl Ctx<'_> {
    /// Records a finding of `rule` at `field`'s cell.
    pub fn emit(
        &mut self,
        rule: &Rule,
        field: &Field,
        expected: impl Into<String>,
        message: impl Into<String>,
        fix: Option<FixValue>,
    ) {
        // A rule that corrects nothing never offers a correction: a test build stops here,
        // so that such a fix cannot be lost without anyone noticing.
        debug_assert!(
            rule.fix.corrects() || fix.is_none(),
            "{} offers a fix but corrects nothing",
            rule.code
        );
        let fix = if rule.fix.corrects() { fix } else { None };
        let mut message = message.into();
        if let Some(note) = &field.formula_note {
            message.push_str(note);
        }
        self.findings.push(Finding {
            rule: rule.code,
            severity: rule.severity,
            sheet: field
                .sheet
                .clone()
                .unwrap_or_else(|| self.form.sheet.clone()),
            cell: field.cell,
            found: field.shown(),
            expected: expected.into(),
            message,
            fix,
        });
    }

    /// Warns about a number stored as text in a money, weight or score cell.
    pub fn note_text_number(&mut self, field: &Field) {
        if let crate::form::Value::Number {
            from_text: true,
            percent: crate::form::Percent::No,
            value,
        } = field.value
        {
            let msg = format!("{} 数值以文本形式存储：“{}”", field.cell, field.raw);
            self.emit(&TEXT_NUMBER, field, fmt_dec(value), msg, None);
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
    use crate::num::{round_dp, round2};
    if round2(found) == round2(exact) {
        Agree::Yes
    } else if dp < 2 && round_dp(found, dp) == round_dp(exact, dp) {
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
    })
}

/// Checks one form against every rule.
pub fn check(form: &Form, profile: &Profile) -> FormReport {
    let mut ctx = Ctx {
        form,
        profile,
        findings: Vec::new(),
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
    let scores = indicators::check(&mut ctx);
    let totals = totals::check(&mut ctx, &exec, &scores);
    FormReport {
        findings: ctx.findings,
        claimed_total: totals.claimed,
        computed_total: totals.computed,
        computed_grade: totals.grade,
        unchecked: unchecked(form),
    }
}
