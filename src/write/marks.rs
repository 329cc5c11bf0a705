//! How each cell with a finding is marked in the corrected workbook — corrected (yellow), an
//! error zpcheck cannot correct (red) or a warning (blue) — and the note (批注) it gets: the
//! original value, the rule and the message. Both writers (patch and rebuild) take their marks
//! and notes from here, so that the two give the same workbook.

use std::collections::HashMap;

use crate::finding::{Finding, FixValue, Severity};
use crate::grid::CellRef;

use super::title_of;

/// How a cell is marked in the corrected workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Mark {
    /// Not marked.
    None,
    /// Corrected: light yellow.
    Fixed,
    /// An error zpcheck cannot correct: light red.
    Error,
    /// A warning (something a person should look at): a quieter light blue.
    Warning,
}

/// A workbook's findings by cell, and what each marked cell gets: its mark, its correction and
/// its note.
pub(crate) struct Marks<'a> {
    /// By sheet, then by cell.
    by_cell: HashMap<&'a str, HashMap<CellRef, Vec<&'a Finding>>>,
    /// A plain copy for resubmission: corrections written, nothing marked or noted.
    plain: bool,
}

impl<'a> Marks<'a> {
    pub(crate) fn new(findings: &[&'a Finding]) -> Self {
        let mut by_cell: HashMap<&str, HashMap<CellRef, Vec<&Finding>>> = HashMap::new();
        // Info findings are listed on 核查结果 only: no fill, no note in the form.
        for f in findings.iter().filter(|f| f.severity != Severity::Info) {
            by_cell
                .entry(f.sheet.as_str())
                .or_default()
                .entry(f.cell)
                .or_default()
                .push(f);
        }
        Marks {
            by_cell,
            plain: false,
        }
    }

    /// The marks of a plain copy: the corrections only, no fill and no note anywhere.
    pub(crate) fn plain(findings: &[&'a Finding]) -> Self {
        Marks {
            plain: true,
            ..Marks::new(findings)
        }
    }

    /// Every cell of a sheet with a finding, in no particular order.
    pub(crate) fn cells(&self, sheet: &str) -> impl Iterator<Item = CellRef> + '_ {
        self.by_cell
            .get(sheet)
            .into_iter()
            .flat_map(|cells| cells.keys().copied())
    }

    /// The findings at a cell.
    pub(crate) fn at(&self, sheet: &str, cell: CellRef) -> Option<&[&'a Finding]> {
        self.by_cell.get(sheet)?.get(&cell).map(Vec::as_slice)
    }

    /// The cell's mark: corrected when a finding there has a correction, an error when one is
    /// an error, a warning when one is a warning; none without findings.
    pub(crate) fn mark(&self, sheet: &str, cell: CellRef) -> Mark {
        if self.plain {
            return Mark::None;
        }
        match self.at(sheet, cell) {
            Some(fs) if fs.iter().any(|f| f.fix.is_some()) => Mark::Fixed,
            Some(fs) if fs.iter().any(|f| f.severity == Severity::Error) => Mark::Error,
            Some(fs) if !fs.is_empty() => Mark::Warning,
            _ => Mark::None,
        }
    }

    /// The correction written into the cell: the first finding there that has one.
    pub(crate) fn fix(&self, sheet: &str, cell: CellRef) -> Option<(&'a Finding, &'a FixValue)> {
        self.at(sheet, cell)?
            .iter()
            .find_map(|f| f.fix.as_ref().map(|x| (*f, x)))
    }

    /// The note a marked cell gets; `formula` is the cell's formula, which a correction
    /// replaces.
    pub(crate) fn note(&self, sheet: &str, cell: CellRef, formula: Option<&str>) -> Option<String> {
        if self.plain {
            return None;
        }
        if let Some((f, _)) = self.fix(sheet, cell) {
            return Some(fix_note(f, formula));
        }
        let fs = self.at(sheet, cell)?;
        match self.mark(sheet, cell) {
            Mark::Error => Some(error_note(fs)),
            Mark::Warning => Some(warning_note(fs)),
            Mark::Fixed | Mark::None => None,
        }
    }
}

fn fix_note(f: &Finding, formula: Option<&str>) -> String {
    let mut text = format!(
        "zpcheck 已更正\n原值：{}\n更正为：{}\n规则：{} {}\n{}",
        f.found,
        f.expected,
        f.rule,
        title_of(f.rule),
        f.message
    );
    let kept = match &f.fix {
        Some(FixValue::Number { formula, .. }) => formula.as_ref(),
        _ => None,
    };
    match (kept, formula) {
        (Some(k), _) if k.replaced.is_some() => text.push_str(&format!(
            "\n原公式：={}\n公式改为：={}",
            k.replaced.as_deref().unwrap_or_default(),
            k.text
        )),
        (Some(k), _) => text.push_str(&format!("\n公式保留：={}（按更正后的数值重算）", k.text)),
        (None, Some(formula)) => text.push_str(&format!(
            "\n原公式：={formula}\n此更正无法用公式表达，已改为数值"
        )),
        (None, None) => {}
    }
    text
}

fn error_note(fs: &[&Finding]) -> String {
    let mut text = String::from("zpcheck 发现错误（未自动更正，请人工处理）");
    for f in fs.iter().filter(|f| f.severity == Severity::Error) {
        text.push_str(&format!("\n{} {}：{}", f.rule, title_of(f.rule), f.message));
    }
    text
}

fn warning_note(fs: &[&Finding]) -> String {
    let mut text = String::from("zpcheck 提醒（不是算术错误，请核实）");
    for f in fs {
        text.push_str(&format!("\n{} {}：{}", f.rule, title_of(f.rule), f.message));
    }
    text
}
