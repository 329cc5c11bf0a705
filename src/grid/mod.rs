//! The grid every stage shares: cell positions, cells (value, formula, where a formula's value
//! came from, number format), sheets and their merged ranges. `read` fills it from any format,
//! `locate`, `form` and `rules` read it, `write` draws from it.
//!
//! Nothing here exists for one writer only: what a rebuilt workbook needs besides the cells
//! (styles, column widths, page setup, the file's bytes for patching) is the fidelity bundle,
//! [`crate::read::Fidelity`], which a read for correcting hands to `write` beside the grid.

use std::collections::BTreeMap;
use std::fmt;

pub mod document;
pub use document::{Document, ParaKind, Paragraph};

/// A zero-based cell position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    /// Row, zero-based.
    pub row: u32,
    /// Column, zero-based.
    pub col: u32,
}

impl CellRef {
    /// A position from zero-based row and column.
    pub fn new(row: u32, col: u32) -> Self {
        CellRef { row, col }
    }

    /// The column letters of a zero-based column ("A", "Z", "AA").
    pub fn col_name(col: u32) -> String {
        let mut n = col + 1;
        let mut s = Vec::new();
        while n > 0 {
            let r = (n - 1) % 26;
            s.push(b'A' + r as u8);
            n = (n - 1) / 26;
        }
        s.reverse();
        String::from_utf8_lossy(&s).into_owned()
    }

    /// Parses "H25" (or "h25") into a position.
    pub fn parse(a1: &str) -> Option<CellRef> {
        Self::parse_a1::<false>(a1)
    }

    /// Parses a reference as Excel writes it in a file: upper-case letters, within Excel's
    /// grid (1,048,576 rows, 16,384 columns). The fast reader gives up on anything else.
    #[inline]
    pub fn parse_excel(a1: &str) -> Option<CellRef> {
        Self::parse_a1::<true>(a1)
    }

    // Every cell of every sheet the fast reader reads passes through here: inlined, and
    // specialised for each of the two uses.
    #[inline]
    fn parse_a1<const EXCEL: bool>(a1: &str) -> Option<CellRef> {
        let excel = EXCEL;
        let b = a1.as_bytes();
        let split = b.iter().position(|c| !c.is_ascii_alphabetic())?;
        let (letters, digits) = b.split_at(split);
        if letters.is_empty() || digits.is_empty() {
            return None;
        }
        let mut col: u32 = 0;
        for &c in letters {
            if excel && !c.is_ascii_uppercase() {
                return None;
            }
            let c = c.to_ascii_uppercase();
            col = col.checked_mul(26)?.checked_add(u32::from(c - b'A') + 1)?;
        }
        let row: u32 = if excel {
            // Digits only, as a file holds them (no sign, no more than 9 digits).
            if digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'))
        } else {
            std::str::from_utf8(digits).ok()?.parse().ok()?
        };
        if excel && (row > 1_048_576 || col > 16_384) {
            return None;
        }
        Some(CellRef::new(row.checked_sub(1)?, col.checked_sub(1)?))
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", CellRef::col_name(self.col), self.row + 1)
    }
}

/// A cell's cached value.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Nothing stored (a formula without a cached value reads as this).
    Empty,
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
    /// TRUE / FALSE.
    Bool(bool),
    /// A date or time as an Excel serial number.
    DateTime(f64),
    /// An error value such as #DIV/0!.
    Error(String),
}

/// Where a formula cell's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormulaValue {
    /// Not a formula, or the file's cached result was used.
    #[default]
    Cached,
    /// The file held no result (or a placeholder 0): zpcheck evaluated the formula.
    Evaluated,
    /// The file held no result and zpcheck could not evaluate the formula: read as blank.
    Unevaluable,
}

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cached value (or the evaluated one, see `formula_value`).
    pub value: CellValue,
    /// The formula without its leading "=", if the cell holds one.
    pub formula: Option<String>,
    /// Where the value of a formula cell came from.
    pub formula_value: FormulaValue,
    /// The number format code, when the file format exposes it (xlsx) and it is not General.
    pub num_fmt: Option<String>,
}

impl Cell {
    /// The bytes of text it holds: value, formula and number format. Counted against
    /// [`crate::limits::MAX_CELL_BYTES`] as cells are read (with the text of a cell's style,
    /// when a read keeps styles).
    pub fn text_bytes(&self) -> usize {
        let value = match &self.value {
            CellValue::Text(s) | CellValue::Error(s) => s.len(),
            _ => 0,
        };
        value
            + self.formula.as_ref().map_or(0, String::len)
            + self.num_fmt.as_ref().map_or(0, String::len)
    }

    /// A cell with nothing in it yet (no value, formula or format).
    pub fn blank() -> Cell {
        Cell {
            value: CellValue::Empty,
            formula: None,
            formula_value: FormulaValue::Cached,
            num_fmt: None,
        }
    }

    /// The cell's value as a person would read it, for labels and messages.
    pub fn text(&self) -> String {
        match &self.value {
            CellValue::Empty => String::new(),
            CellValue::Text(s) => s.clone(),
            CellValue::Number(n) | CellValue::DateTime(n) => crate::num::dec_from_f64(*n)
                .map(crate::num::fmt_dec)
                .unwrap_or_else(|| format!("{n:e}")),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellValue::Error(e) => e.clone(),
        }
    }

    /// Whether the number format shows the value as a percentage.
    pub fn is_percent_format(&self) -> bool {
        self.num_fmt.as_deref().is_some_and(|f| f.contains('%'))
    }
}

/// A merged range, inclusive on both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// Top-left cell.
    pub first: CellRef,
    /// Bottom-right cell.
    pub last: CellRef,
}

impl Merge {
    /// Whether the range covers a position.
    pub fn contains(&self, r: CellRef) -> bool {
        r.row >= self.first.row
            && r.row <= self.last.row
            && r.col >= self.first.col
            && r.col <= self.last.col
    }
}

/// One worksheet as a sparse grid.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// The non-empty cells (value, formula or number format) by position.
    pub cells: BTreeMap<CellRef, Cell>,
    /// Merged ranges.
    pub merges: Vec<Merge>,
    /// Whether cells carry their number formats (xlsx). In .xls and .ods calamine gives none,
    /// so a number's shown precision is not known there.
    pub formats_known: bool,
    /// The merged ranges by row, built on the first [`Sheet::merge_at`] (after reading, when
    /// `merges` no longer changes): a lookup is a hash and a binary search, not a scan of
    /// every merge (200,000 merges made the scan take minutes).
    pub merge_rows: std::sync::OnceLock<MergeRows>,
}

/// Up to this many merged ranges a sheet's are looked through one by one (see
/// [`Sheet::merge_at`]); beyond, through an index by row.
pub(crate) const SCAN_MERGES: usize = 64;

/// For each row that merged ranges cover, their column spans sorted by first column:
/// `(first col, last col, index into Sheet::merges)`.
pub type MergeRows = std::collections::HashMap<u32, Vec<(u32, u32, u32)>>;

impl Sheet {
    /// The cell at a position, if anything is stored there.
    pub fn get(&self, r: CellRef) -> Option<&Cell> {
        self.cells.get(&r)
    }

    /// The trimmed text of the cell at a position ("" when empty).
    pub fn text(&self, r: CellRef) -> String {
        match self.get(r) {
            Some(Cell {
                value: CellValue::Text(s),
                ..
            }) => s.trim().to_string(),
            Some(c) => c.text().trim().to_string(),
            None => String::new(),
        }
    }

    /// Whether [`Sheet::text`] at a position is not empty (without building the text).
    pub fn has_text(&self, r: CellRef) -> bool {
        match self.get(r).map(|c| &c.value) {
            None | Some(CellValue::Empty) => false,
            Some(CellValue::Text(s) | CellValue::Error(s)) => !s.trim().is_empty(),
            Some(CellValue::Number(_) | CellValue::DateTime(_) | CellValue::Bool(_)) => true,
        }
    }

    /// The merged range covering a position, if any.
    pub fn merge_at(&self, r: CellRef) -> Option<&Merge> {
        // A form has a few dozen merged ranges: looking through them costs less than an index.
        if self.merges.len() <= SCAN_MERGES {
            return self.merges.iter().find(|m| m.contains(r));
        }
        let rows = self.merge_rows.get_or_init(|| {
            let mut rows = MergeRows::new();
            for (i, m) in self.merges.iter().enumerate() {
                for row in m.first.row..=m.last.row {
                    rows.entry(row)
                        .or_default()
                        .push((m.first.col, m.last.col, i as u32));
                }
            }
            for spans in rows.values_mut() {
                spans.sort_unstable();
            }
            rows
        });
        let spans = rows.get(&r.row)?;
        // Spans in a row do not overlap (see `disjoint_merges`): the one that can hold the
        // column is the last one starting at or before it.
        let i = spans.partition_point(|s| s.0 <= r.col).checked_sub(1)?;
        let (_, last, idx) = spans[i];
        (r.col <= last).then(|| &self.merges[idx as usize])
    }

    /// The text shown at a position: its own, or the top-left value of the merged range covering it.
    pub fn shown_text(&self, r: CellRef) -> String {
        match self.merge_at(r) {
            Some(m) => self.text(m.first),
            None => self.text(r),
        }
    }

    /// The last row holding a cell, or 0 for an empty sheet.
    pub fn max_row(&self) -> u32 {
        self.cells.keys().map(|r| r.row).max().unwrap_or(0)
    }

    /// The last column holding a cell, or 0 for an empty sheet.
    pub fn max_col(&self) -> u32 {
        self.cells.keys().map(|r| r.col).max().unwrap_or(0)
    }

    /// The rows and columns (exclusive ends) inside which a rebuilt corrected workbook keeps
    /// styled blank cells: the sheet's values and merged ranges, plus
    /// [`crate::limits::STYLED_MARGIN`] (the borders around a form), within
    /// [`crate::limits::MAX_STYLED_ROWS`] and [`crate::limits::MAX_STYLED_COLS`]. A style
    /// repeated over a whole sheet costs nothing beyond it.
    pub fn styled_extent(&self) -> (u32, u32) {
        use crate::limits::{MAX_STYLED_COLS, MAX_STYLED_ROWS, STYLED_MARGIN};
        let ends = self
            .cells
            .keys()
            .map(|r| (r.row, r.col))
            .chain(self.merges.iter().map(|m| (m.last.row, m.last.col)));
        let (rows, cols) = ends.fold((0, 0), |(r, c), (row, col)| (r.max(row), c.max(col)));
        let end = |last: u32, most: u32| last.saturating_add(1 + STYLED_MARGIN).min(most);
        (end(rows, MAX_STYLED_ROWS), end(cols, MAX_STYLED_COLS))
    }
}

#[cfg(test)]
mod tests {
    use super::CellRef;

    #[test]
    fn references_parse_loosely_for_people_and_strictly_for_files() {
        let at = |r, c| Some(CellRef::new(r, c));
        assert_eq!(CellRef::parse("H25"), at(24, 7));
        assert_eq!(CellRef::parse("h25"), at(24, 7));
        assert_eq!(CellRef::parse("XFD1048576"), at(1_048_575, 16_383));
        assert_eq!(CellRef::parse("XFE1"), at(0, 16_384));
        for bad in ["", "H", "25", "H0", "H-1", "H2x", "ＡB1"] {
            assert_eq!(CellRef::parse(bad), None, "{bad}");
        }
        assert_eq!(CellRef::parse_excel("H25"), at(24, 7));
        assert_eq!(CellRef::parse_excel("XFD1048576"), at(1_048_575, 16_383));
        for bad in [
            "h25",
            "XFE1",
            "A1048577",
            "A+1",
            "A0001234567",
            "AAAAAAAAAAAAAAA1",
        ] {
            assert_eq!(CellRef::parse_excel(bad), None, "{bad}");
        }
        for (a1, pos) in [("A1", (0, 0)), ("Z9", (8, 25)), ("AA10", (9, 26))] {
            let p = CellRef::parse(a1).unwrap();
            assert_eq!((p.row, p.col), pos);
            assert_eq!(p.to_string(), a1);
        }
    }
}
