//! One finding: which rule, where, what was found, what was expected, the Chinese message and
//! the correction when there is an unambiguous one. The same values feed the console report,
//! the JSON output and the 核查结果 sheet.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::grid::CellRef;

/// How serious a finding is. Errors decide the exit status; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Arithmetic that is wrong.
    Error,
    /// Something a person should look at; never changed automatically.
    Warning,
}

impl Severity {
    /// The Chinese word used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
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
    },
    /// Text (a rate written as "99.63%" text, a grade).
    Text(String),
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
}

impl Finding {
    /// Whether zpcheck corrects this finding in the corrected workbook.
    pub fn fixed(&self) -> bool {
        self.fix.is_some()
    }
}
