//! Formula cells whose file holds no result: none at all (openpyxl) or a placeholder 0 when the
//! writer asked for recalculation on load. They are evaluated with [`crate::formula`], within a
//! depth limit and a work budget; those that cannot be are read as blank and marked so.

use super::{CellRef, CellValue, FormulaValue, Sheet};
use crate::limits::{MAX_FORMULA_DEPTH, MAX_FORMULA_WORK};

/// Evaluates formula cells whose file holds no result, or a placeholder 0 when the writer asked
/// for recalculation; cells that cannot be evaluated are read as blank.
pub(super) fn resolve_formulas(sheet: &mut Sheet, placeholder_zero: bool) {
    let pending: std::collections::HashSet<CellRef> = sheet
        .cells
        .iter()
        .filter(|(_, c)| {
            c.formula.is_some()
                && (c.value == CellValue::Empty
                    || (placeholder_zero && c.value == CellValue::Number(0.0)))
        })
        .map(|(r, _)| *r)
        .collect();
    if pending.is_empty() {
        return;
    }
    let results: Vec<(CellRef, Option<rust_decimal::Decimal>)> = {
        let none = std::collections::HashMap::new();
        let mut resolver = Resolver::new(sheet, Some(&pending), &none);
        pending
            .iter()
            .map(|r| {
                let v = match crate::formula::Cells::value(&mut resolver, *r, 0) {
                    Some(crate::formula::Operand::Num(d)) => Some(d),
                    _ => None,
                };
                (*r, v)
            })
            .collect()
    };
    for (at, v) in results {
        if let Some(cell) = sheet.cells.get_mut(&at) {
            match v.and_then(|d| rust_decimal::prelude::ToPrimitive::to_f64(&d)) {
                Some(f) => {
                    cell.value = CellValue::Number(f);
                    cell.formula_value = FormulaValue::Evaluated;
                }
                None => {
                    cell.value = CellValue::Empty;
                    cell.formula_value = FormulaValue::Unevaluable;
                }
            }
        }
    }
}

/// A sheet's cells as formulas see them: stored values, formula cells evaluated, and values
/// put in their place (corrections), within a depth limit and a work budget.
pub(crate) struct Resolver<'a> {
    sheet: &'a Sheet,
    max_row: u32,
    /// The formula cells evaluated instead of read; `None`: every formula cell.
    pending: Option<&'a std::collections::HashSet<CellRef>>,
    /// Values that replace the cells' own (in the cells' units).
    overrides: &'a std::collections::HashMap<CellRef, rust_decimal::Decimal>,
    memo: std::collections::HashMap<CellRef, Option<crate::formula::Operand>>,
    visiting: std::collections::HashSet<CellRef>,
    budget: u64,
}

impl<'a> Resolver<'a> {
    /// Cells of `sheet`, evaluating the formula cells in `pending` (all of them with `None`),
    /// with `overrides` in place of the cells they name.
    pub(crate) fn new(
        sheet: &'a Sheet,
        pending: Option<&'a std::collections::HashSet<CellRef>>,
        overrides: &'a std::collections::HashMap<CellRef, rust_decimal::Decimal>,
    ) -> Self {
        Resolver {
            sheet,
            max_row: sheet.max_row(),
            pending,
            overrides,
            memo: Default::default(),
            visiting: Default::default(),
            budget: MAX_FORMULA_WORK,
        }
    }
}

impl crate::formula::Cells for Resolver<'_> {
    fn value(&mut self, at: CellRef, depth: usize) -> Option<crate::formula::Operand> {
        use crate::formula::Operand;
        self.budget = self.budget.checked_sub(1)?;
        if let Some(v) = self.overrides.get(&at) {
            return Some(Operand::Num(*v));
        }
        let evaluated = match self.pending {
            Some(p) => p.contains(&at),
            None => self.sheet.get(at).is_some_and(|c| c.formula.is_some()),
        };
        if !evaluated {
            return Some(match self.sheet.get(at).map(|c| &c.value) {
                None | Some(CellValue::Empty) => Operand::Blank,
                Some(CellValue::Number(n)) | Some(CellValue::DateTime(n)) => {
                    crate::num::dec_from_f64(*n).map_or(Operand::Other, Operand::Num)
                }
                Some(CellValue::Bool(b)) => Operand::Num(rust_decimal::Decimal::from(u8::from(*b))),
                Some(CellValue::Text(_)) | Some(CellValue::Error(_)) => Operand::Other,
            });
        }
        if let Some(v) = self.memo.get(&at) {
            return *v;
        }
        if self.visiting.contains(&at) || self.visiting.len() >= MAX_FORMULA_DEPTH {
            return None;
        }
        self.visiting.insert(at);
        let formula = self.sheet.get(at).and_then(|c| c.formula.clone());
        let v = formula
            .and_then(|f| crate::formula::evaluate_at(&f, self, depth + 1))
            .map(Operand::Num);
        self.visiting.remove(&at);
        self.memo.insert(at, v);
        v
    }

    fn spend(&mut self, work: u64) -> bool {
        match self.budget.checked_sub(work) {
            Some(b) => {
                self.budget = b;
                true
            }
            None => {
                self.budget = 0;
                false
            }
        }
    }

    fn used_in(&mut self, first: CellRef, last: CellRef) -> Vec<CellRef> {
        let rows = u64::from(last.row.min(self.max_row).saturating_sub(first.row)) + 1;
        match self.budget.checked_sub(rows) {
            Some(b) => self.budget = b,
            None => {
                self.budget = 0;
                return Vec::new();
            }
        }
        (first.row..=last.row.min(self.max_row))
            .flat_map(|row| {
                self.sheet
                    .cells
                    .range(CellRef::new(row, first.col)..=CellRef::new(row, last.col))
                    .map(|(r, _)| *r)
            })
            .collect()
    }
}
