//! The figures of a checked form that every output shows — its title, the 总分 it states and
//! the one recomputed, the grades, the total row's budget, execution and rate, the counts —
//! computed once from the form and its findings.
//!
//! Below both the reports and the corrected workbook (whose 核查结果 heading shows them), so
//! that neither output depends on the other.

use rust_decimal::Decimal;

use crate::finding::Severity;

/// The figures of one checked form that reports and the summary need.
#[derive(Debug, Clone, PartialEq)]
pub struct FormSummary {
    /// The sheet.
    pub sheet: String,
    /// The title line, or the sheet name.
    pub title: String,
    /// The unit's or project's name, if labelled.
    pub name: Option<String>,
    /// The 主管部门, if labelled.
    pub department: Option<String>,
    /// The 实施单位, if labelled.
    pub unit: Option<String>,
    /// The year the form names.
    pub year: Option<u16>,
    /// The 总分 the form states.
    pub claimed_total: Option<Decimal>,
    /// Whether the form has a 总分 row at all (a total left blank is 未填; no row is no row).
    pub has_total_row: bool,
    /// Whether the form has a grade cell at all.
    pub has_grade_cell: bool,
    /// The 总分 recomputed.
    pub computed_total: Option<Decimal>,
    /// When scores are missing: the 总分 the scores present give at least.
    pub computed_total_min: Option<Decimal>,
    /// The grade the recomputed 总分 earns.
    pub computed_grade: Option<&'static str>,
    /// The grade the form states (its 等级 cell), as written.
    pub declared_grade: Option<String>,
    /// 全年预算数 of the total row (年初预算数 where the form has only that column), as
    /// corrected.
    pub budget: Option<Decimal>,
    /// 全年执行数 of the total row, as corrected.
    pub execution: Option<Decimal>,
    /// The execution rate in percent from those two, at two decimals.
    pub rate: Option<Decimal>,
    /// Error findings on this form.
    pub errors: usize,
    /// Warning findings on this form.
    pub warnings: usize,
    /// Cells with an automatic correction.
    pub fixable: usize,
    /// Whether the form was read completely.
    pub complete: bool,
    /// What could not be read, when it was not.
    pub unread: Vec<String>,
    /// What the form's shape leaves unchecked.
    pub unchecked: Vec<String>,
}

impl FormSummary {
    /// The 总分 the form states, as the reports say it: the number, "未填" for a blank total,
    /// "（表中没有总分行）" when the form has none.
    pub fn claimed_total_text(&self) -> String {
        match (self.claimed_total, self.has_total_row) {
            (Some(t), _) => crate::num::fmt_dec(t),
            (None, true) => "未填".into(),
            (None, false) => "无（表中没有总分行）".into(),
        }
    }

    /// The grade the form states, as the reports say it (see [`Self::claimed_total_text`]).
    pub fn declared_grade_text(&self) -> String {
        match (&self.declared_grade, self.has_grade_cell) {
            (Some(g), _) => g.clone(),
            (None, true) => "未填".into(),
            (None, false) => "无（表中没有等级栏）".into(),
        }
    }

    /// The figures of one checked form.
    pub fn of(f: &crate::CheckedForm) -> Self {
        let count = |s: Severity| {
            f.report
                .findings
                .iter()
                .filter(|x| x.counted() == Some(s))
                .count()
        };
        // A total row's figure as corrected: a fixed finding's value, else
        // the cell's.
        let corrected = |field: &crate::form::Field| {
            f.report
                .findings
                .iter()
                .find(|x| x.cell == field.cell && x.fixed())
                .and_then(|x| match &x.fix {
                    Some(crate::finding::FixValue::Number { value, .. }) => Some(*value),
                    _ => None,
                })
                .or_else(|| field.number())
        };
        let total = f.form.funding.as_ref().map(|fu| &fu.total);
        let budget = total
            .and_then(|t| t.full.as_ref().or(t.initial.as_ref()))
            .and_then(corrected);
        let execution = total.and_then(|t| corrected(&t.exec));
        let rate = budget
            .zip(execution)
            .and_then(|(b, e)| crate::rules::expect::rate(e, b))
            .map(crate::num::round2);
        FormSummary {
            declared_grade: f
                .form
                .grade
                .as_ref()
                .map(|g| g.raw.trim().to_string())
                .filter(|g| !g.is_empty()),
            budget,
            execution,
            rate,
            sheet: f.form.sheet.clone(),
            title: f.form.title.clone(),
            name: f.form.name.clone(),
            department: f.form.department.clone(),
            unit: f.form.unit.clone(),
            year: f.form.year,
            claimed_total: f.report.claimed_total,
            has_total_row: f.form.total.is_some(),
            has_grade_cell: f.form.grade.is_some(),
            computed_total: f.report.computed_total,
            computed_total_min: f.report.computed_total_min,
            computed_grade: f.report.computed_grade,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            fixable: crate::finding::corrected_cells(&f.report.findings),
            complete: f.form.complete(),
            unread: f.form.unread.iter().map(|u| u.what.clone()).collect(),
            unchecked: f.report.unchecked.clone(),
        }
    }
}
