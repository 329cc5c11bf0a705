//! One finding: which rule, where, what was found, what was expected, the Chinese message and
//! the correction when there is an unambiguous one. The same values feed the console report,
//! the JSON output and the 核查结果 sheet.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::grid::CellRef;

/// How serious a finding is. Errors decide the exit status; warnings never do; an info
/// finding changes nothing — no status, exit code, `--fail-on` or count — and marks nothing in
/// the form: it says what zpcheck could not compare, so that nothing is skipped in silence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Arithmetic that is wrong.
    Error,
    /// Something a person should look at; never changed automatically.
    Warning,
    /// What zpcheck read but could not compare (a number with a word it does not know).
    Info,
}

impl Severity {
    /// The Chinese word used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// The value a correction writes into a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum FixValue {
    /// A number. `percent_format` writes the fraction (value ÷ 100) in a cell formatted 0.00%.
    Number {
        /// The value; for a percentage, in percent units.
        value: Decimal,
        /// Write as a percent-formatted fraction.
        percent_format: bool,
        /// The formula the cell keeps, when it held one that can give the corrected value
        /// (its own, or one zpcheck repaired); `None` writes the value as a constant.
        formula: Option<FormulaFix>,
    },
    /// Text (a rate written as "99.63%" text, a grade).
    Text(String),
}

/// A formula kept in a corrected cell, with the result it gives once the other corrections are
/// in: the workbook stays live, and a program that does not recalculate shows the right value.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaFix {
    /// The formula, without its leading "=".
    pub text: String,
    /// Its result with every correction of the form in place, in the cell's own units (a
    /// percent-formatted rate as the fraction).
    pub result: Decimal,
    /// The cell's formula as it was, when zpcheck repaired it (a SUM that left out a part);
    /// `None` when the cell's own formula is kept and only its result changes.
    pub replaced: Option<String>,
}

/// One finding of one rule at one cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule's stable code ("ZP201").
    pub rule: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// The sheet.
    pub sheet: String,
    /// The cell.
    pub cell: CellRef,
    /// The value found, as shown.
    pub found: String,
    /// The value expected, as it would be shown.
    pub expected: String,
    /// What is wrong, in Chinese, naming the cell and both values.
    pub message: String,
    /// The correction, when zpcheck makes one.
    pub fix: Option<FixValue>,
    /// The cells whose sum the expected value is (a total row's parts, the scores adding up to
    /// 总分), on the finding's sheet; empty when the value is not a sum. A formula that adds
    /// other cells is repaired from these.
    pub sum_of: Vec<CellRef>,
    /// The cells the expected value was computed from, on the finding's sheet (a score's
    /// weight, target and actual; a total's parts). A correction is written only when none of
    /// them is in doubt (see [`crate::rules::Rule::doubts`]).
    pub inputs: Vec<CellRef>,
    /// The corrected cell this finding only follows from: a 总分 whose own arithmetic was right
    /// and that is wrong only because a score above it was corrected. It is listed and corrected
    /// like any, but not counted again among the errors nor in the exit status.
    pub follows: Option<CellRef>,
    /// For a finding on a report's narrative (not a cell): the paragraph, the claim as
    /// written and the table figure it was compared with. `sheet` is empty and `cell` unused.
    pub text: Option<Box<TextPlace>>,
}

/// Where a finding on a report's narrative stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPlace {
    /// The paragraph, 1-based among the paragraphs outside tables, in document order.
    pub paragraph: usize,
    /// The claim as written, with its number and unit ("占总支出的 4.08%").
    pub quote: String,
    /// The table figure the claim was compared with (sheet, cell), when one was.
    pub compared_with: Option<(String, CellRef)>,
}

/// How many cells the findings correct: a cell two findings correct (a total and its formula's
/// range, ZP101 and ZP004) is one correction.
pub fn corrected_cells<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> usize {
    findings
        .into_iter()
        .filter(|f| f.fixed())
        .map(|f| (f.sheet.as_str(), f.cell))
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

impl Finding {
    /// Whether zpcheck corrects this finding in the corrected workbook.
    pub fn fixed(&self) -> bool {
        self.fix.is_some()
    }

    /// The severity this finding counts under in tallies and the exit status: `None` for a
    /// consequence of another correction ([`Finding::follows`]), which is one error, not two.
    pub fn counted(&self) -> Option<Severity> {
        match (self.follows, self.severity) {
            (Some(_), _) | (_, Severity::Info) => None,
            (None, s) => Some(s),
        }
    }

    /// Whether it counts as an error (see [`Finding::counted`]).
    pub fn is_error(&self) -> bool {
        self.counted() == Some(Severity::Error)
    }
}
