//! Corrections that keep formulas. A total row is usually a formula (`=SUM(C7:C9)`,
//! `=ROUND(H5+SUM(H12:H16),2)`); writing the corrected number over it would leave the form
//! without its live totals. After the rules have run, each correction at a formula cell is
//! looked at with every correction of the form in place:
//!
//! 1. the cell's own formula gives the corrected value (the cells it adds were corrected, or
//!    its cached result was stale): the formula stays, with its new result cached;
//! 2. the formula adds cells up but not the right ones, and the expected value is a sum
//!    (a total's parts, the scores making 总分): the formula is repaired to add exactly those
//!    cells, and a ZP004 finding names what it left out or added too many;
//! 3. otherwise the value replaces the formula, and the cell's note says why.
//!
//! A formula is kept or repaired only when zpcheck's own evaluation of it gives the corrected
//! value at two decimals — never on the strength of its shape alone.

use std::collections::{BTreeSet, HashMap};

use rust_decimal::Decimal;

use super::FORMULA_RANGE;
use crate::finding::{Finding, FixValue, FormulaFix};
use crate::formula::{Cells, Operand, evaluate, sum_shape};
use crate::grid::{CellRef, Sheet};
use crate::num::round2;
use crate::read::resolve::Resolver;

/// Keeps or repairs the formulas of the corrected cells among `findings` (one form's), whose
/// sheets are among `sheets`; adds a ZP004 finding after each one whose formula is repaired.
pub fn keep(findings: &mut Vec<Finding>, sheets: &[Sheet]) {
    // Every numeric correction, per sheet, in the cells' own units.
    let mut corrected: HashMap<&str, HashMap<CellRef, Decimal>> = HashMap::new();
    for f in findings.iter() {
        if let Some(FixValue::Number {
            value,
            percent_format,
            ..
        }) = &f.fix
        {
            let v = if *percent_format {
                *value / Decimal::ONE_HUNDRED
            } else {
                *value
            };
            corrected
                .entry(f.sheet.as_str())
                .or_default()
                .entry(f.cell)
                .or_insert(v);
        }
    }
    let mut outcomes: Vec<(usize, FormulaFix, Option<Finding>)> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let Some(FixValue::Number {
            value,
            percent_format,
            formula: None,
        }) = &f.fix
        else {
            continue;
        };
        let Some(sheet) = sheets.iter().find(|s| s.name == f.sheet) else {
            continue;
        };
        let Some(text) = sheet.get(f.cell).and_then(|c| c.formula.as_deref()) else {
            continue;
        };
        let mut others = corrected.get(f.sheet.as_str()).cloned().unwrap_or_default();
        others.remove(&f.cell);
        let scale = if *percent_format {
            Decimal::ONE_HUNDRED
        } else {
            Decimal::ONE
        };
        let gives = |formula: &str| -> Option<Decimal> {
            let r = evaluate(formula, &mut Resolver::new(sheet, None, &others))?;
            (round2(r.checked_mul(scale)?) == round2(*value)).then_some(r)
        };
        if let Some(result) = gives(text) {
            let kept = FormulaFix {
                text: text.to_string(),
                result,
                replaced: None,
            };
            outcomes.push((i, kept, None));
            continue;
        }
        if let Some((repaired, finding)) = repair(f, text, sheet, &others)
            && let Some(result) = gives(&repaired)
        {
            let fix = FormulaFix {
                text: repaired,
                result,
                replaced: Some(text.to_string()),
            };
            outcomes.push((i, fix, Some(finding)));
        }
    }
    // Back to front, so that each index still points at its finding.
    for (i, formula_fix, extra) in outcomes.into_iter().rev() {
        if let Some(FixValue::Number { formula, .. }) = &mut findings[i].fix {
            *formula = Some(formula_fix.clone());
        }
        if let Some(mut extra) = extra {
            // A 总分 whose own formula was wrong does not merely follow a score's correction.
            if findings[i].follows.take().is_some()
                && let Some(at) = findings[i].message.find("（总分本身按表中得分相加无误")
            {
                findings[i].message.truncate(at);
            }
            extra.fix = findings[i].fix.clone();
            findings.insert(i + 1, extra);
        }
    }
}

/// The formula adding exactly `f.sum_of`, when `text` is a sum of other cells, and the ZP004
/// finding that says what it left out or added.
fn repair(
    f: &Finding,
    text: &str,
    sheet: &Sheet,
    corrected: &HashMap<CellRef, Decimal>,
) -> Option<(String, Finding)> {
    if f.sum_of.is_empty() {
        return None;
    }
    let shape = sum_shape(text)?;
    let adds = shape.cells()?;
    let wanted: BTreeSet<CellRef> = f.sum_of.iter().copied().collect();
    let missing: Vec<CellRef> = wanted.difference(&adds).copied().collect();
    // Cells added too many matter only when they hold something.
    let mut cells = Resolver::new(sheet, None, corrected);
    let extra: Vec<CellRef> = adds
        .difference(&wanted)
        .copied()
        .filter(|c| !matches!(cells.value(*c, 0), Some(Operand::Blank)))
        .collect();
    if missing.is_empty() && extra.is_empty() {
        return None;
    }
    let repaired = shape.adding(&f.sum_of);
    let list = |cells: &[CellRef]| {
        cells
            .iter()
            .map(CellRef::to_string)
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut what = Vec::new();
    if !missing.is_empty() {
        what.push(format!("漏掉了 {}", list(&missing)));
    }
    if !extra.is_empty() {
        what.push(format!("多算了 {}", list(&extra)));
    }
    let message = format!(
        "{} 公式 ={text} {}，应为 ={repaired}",
        f.cell,
        what.join("，")
    );
    let finding = Finding {
        rule: FORMULA_RANGE.code,
        severity: FORMULA_RANGE.severity,
        sheet: f.sheet.clone(),
        cell: f.cell,
        found: format!("={text}"),
        expected: format!("={repaired}"),
        message,
        fix: None,
        sum_of: Vec::new(),
        inputs: Vec::new(),
        follows: None,
        text: None,
    };
    Some((repaired, finding))
}
