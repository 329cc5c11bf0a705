//! The rules zpcheck enforces (section 3 of form-and-rules.md), in one table: each rule has a
//! stable code, a severity, a title and a line saying what it checks and why. The checks live
//! in one file per rule family: [`funding`] (rules 1–3), [`indicators`] (rules 4–10) and
//! [`totals`] (rules 11–13). Corrections are made only where the right value is unambiguous.

pub mod funding;
pub mod indicators;
pub mod totals;

use rust_decimal::Decimal;

use crate::finding::{Finding, FixValue, Severity};
use crate::form::{Field, Form};
use crate::num::fmt_dec;

/// The rule table as the README shows it (Markdown: code, severity, whether corrected, title,
/// what and why), one row per rule in code order; `zpcheck rules --format markdown` prints it
/// and a test compares it with the README row by row.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| 规则 | 级别 | 可更正 | 名称 | 检查什么、为什么 |\n|---|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!("| {} |\n", r.columns().join(" | ")));
    }
    out
}

/// Whether a rule's findings are corrected, in ruff's terms: a safe fix writes a value the
/// rules determine; a fix for review writes the most likely value where the rules leave a
/// choice (an officer should look at it); display only corrects nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixSafety {
    /// Corrected with the value the rules determine.
    Safe,
    /// Corrected with the most likely value where the rules leave a choice (ZP201's nearest
    /// bound, when the score cannot be computed): the rule table marks it 需复核.
    Review,
    /// Reported only.
    None,
}

impl FixSafety {
    /// What the rule table shows in its 可更正 column.
    pub fn label(self) -> &'static str {
        match self {
            FixSafety::Safe => "是",
            FixSafety::Review => "是（需复核）",
            FixSafety::None => "否",
        }
    }

    /// Whether findings of the rule may carry a correction.
    pub fn corrects(self) -> bool {
        self != FixSafety::None
    }
}

/// A rule's identity and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, used in reports and JSON.
    pub code: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// Whether zpcheck corrects what it finds, and how sure the correction is.
    pub fix: FixSafety,
    /// Short Chinese title.
    pub title: &'static str,
    /// What it checks and why, one line.
    pub doc: &'static str,
}

impl Rule {
    /// What `zpcheck rules` and the README's table show of it: code, severity, whether
    /// zpcheck corrects it (是/否), title, what it checks and why.
    pub fn columns(&self) -> [&'static str; 5] {
        [
            self.code,
            self.severity.label(),
            self.fix.label(),
            self.title,
            self.doc,
        ]
    }
}

macro_rules! rules {
    ($($name:ident = $code:literal, $sev:ident, $fix:ident, $title:literal, $doc:literal;)*) => {
        $(
            #[doc = $title]
            pub const $name: Rule = Rule {
                code: $code,
                severity: Severity::$sev,
                fix: FixSafety::$fix,
                title: $title,
                doc: $doc,
            };
        )*
        /// Every rule, in code order.
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    TEXT_NUMBER = "ZP001", Warning, None, "数值以文本形式存储",
        "金额、分值、得分单元格中的数字以文本形式存储（如 \"1,852.18\"），zpcheck 照常读取，但其他软件求和时会漏算。";
    UNREADABLE_NUMBER = "ZP002", Warning, None, "无法识别的数值",
        "应为数字的单元格中是无法识别的文字，相关核算跳过，需人工核对。";
    LOW_PRECISION = "ZP003", Warning, None, "未显示到两位小数",
        "执行率、得分按规则应保留两位小数；所示数字少于两位小数、但在其所示精度下正确（如 89.715% 写作 89.7%），不算算术错误，只提醒。";
    PARTIAL = "ZP009", Warning, None, "表格未能完整识别",
        "表中有块、列或行未能识别（如指标块表头无法识别）：能核查的照常核查，依赖未识别部分的规则（尤其总分、等级和分值合计）不核查、不更正，并写明未识别的内容和查找的位置。";
    FUND_TOTAL = "ZP101", Error, Safe, "资金合计不等于分项之和",
        "规则1：年初预算数、全年预算数、全年执行数的合计行应等于各分项之和（空白和“—”按 0 计）；合计为 0 而分项不为 0 即“未求和”。";
    RATE = "ZP102", Error, Safe, "执行率计算错误",
        "规则2：执行率 = 全年执行数 ÷ 全年预算数 × 100%，保留两位小数、四舍五入（31% 对 31.60% 为截断错误；空白也按错误填补）。";
    OVER_BUDGET = "ZP103", Warning, None, "执行数超过预算数",
        "规则2：全年执行数大于全年预算数（或无预算却有执行），需核实。";
    EXEC_SCORE = "ZP104", Error, Safe, "执行率得分错误",
        "规则3：执行率得分 = 分值 × min(执行率, 100%)，不得超过分值。";
    EXEC_WEIGHT_MISSING = "ZP105", Warning, None, "执行率分值未填写",
        "规则3：资金合计行未填写分值（通常为 10 分，有的省份为 20 分），无法核算执行率得分。";
    SCORE_RANGE = "ZP201", Error, Review, "得分超出分值范围",
        "规则4：指标得分应在 0 与该指标分值之间；能按规则5/6计算的改为计算值，否则改为最接近的边界。";
    SCORE_FORWARD = "ZP202", Error, Safe, "正向指标得分错误",
        "规则5：“≥ / > / =”目标，实际值达到目标得满分，未达到得 分值 × 实际值 ÷ 目标值。";
    SCORE_REVERSE = "ZP203", Error, Safe, "反向指标得分错误",
        "规则6：“≤ / <”目标（成本、需压低的比率），实际值不超过目标得满分，超过得 分值 × 目标值 ÷ 实际值。";
    FAR_ABOVE_TARGET = "ZP204", Warning, None, "远超目标仍得满分",
        "规则7：实际值远超目标（默认达到目标的 150% 及以上）仍得满分，按规定目标设定偏低应酌情扣分，需人工判断。";
    QUALITATIVE_BAND = "ZP205", Warning, None, "定性指标得分不在区间",
        "规则8：定性指标按完成情况给分：达成 80–100%、部分达成 60–80%、未达成 0–60% 的分值。";
    UNIT_WORD = "ZP206", Warning, None, "目标与实际单位用词不同",
        "规则9：目标与实际的计量单位用词不同但可比（如 个/家、万元/元），需核实。";
    UNIT_MISMATCH = "ZP207", Error, None, "目标与实际单位不可比",
        "规则9：目标与实际的计量单位属于不同量纲（如 % 与 万元），无法核算得分。";
    MISSING_REASON = "ZP208", Warning, None, "扣分未说明原因",
        "规则10：得分低于分值的指标应在“偏差原因分析及改进措施”栏说明原因。";
    SCORE_MISSING = "ZP209", Error, None, "得分未填写",
        "规则4：定性指标的得分空白，无法自动计算，需评价人填写。";
    DEADLINE_MISSED = "ZP210", Warning, None, "时限指标未按期完成",
        "规则9：时限目标（如“9月前”“2023年12月底前”）的实际完成时间晚于目标，得分需评价人按规定判断。";
    WEIGHT_SUM = "ZP301", Error, None, "分值合计不等于100",
        "规则11：执行率分值与全部指标分值之和应为 100（国家默认：执行率 10、产出 50、效益 30、满意度 10）。";
    TOTAL_WEIGHT = "ZP302", Error, Safe, "总分行分值错误",
        "规则11：总分行的分值应等于执行率分值与各指标分值之和。";
    GROUP_WEIGHT = "ZP303", Error, None, "一级指标标注分值不符",
        "规则11：一级指标标注的分值（如“产出指标（50分）”）应等于其下各指标分值之和。";
    TOTAL_SCORE = "ZP304", Error, Safe, "总分错误",
        "规则12：总分 = 执行率得分 + 各指标得分之和（按更正后的得分）。";
    GRADE = "ZP305", Error, Safe, "等级错误",
        "规则13：优 ≥ 90，良 80–<90，中 60–<80，差 < 60。";
    GROUP_SCORE = "ZP306", Error, None, "一级指标得分超过其分值",
        "规则4、11：没有分值列的表，一级指标标注的分值（如“产出指标（60分）”）是其下各指标得分之和的上限；几个指标合并共用一个分值单元格时，该分值是它们得分之和的上限。";
}

/// Looks a rule up by its code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        for w in RULES.windows(2) {
            assert!(w[0].code < w[1].code, "{} !< {}", w[0].code, w[1].code);
        }
        assert_eq!(rule("ZP201").map(|r| r.title), Some("得分超出分值范围"));
        // ZP201's nearest bound is a guess; eight rules write values the rules determine.
        assert_eq!(rule("ZP201").map(|r| r.fix), Some(FixSafety::Review));
        let safe: Vec<&str> = RULES
            .iter()
            .filter(|r| r.fix == FixSafety::Safe)
            .map(|r| r.code)
            .collect();
        assert_eq!(
            safe,
            [
                "ZP101", "ZP102", "ZP104", "ZP202", "ZP203", "ZP302", "ZP304", "ZP305"
            ]
        );
        assert!(rule("ZP999").is_none());
    }
}
