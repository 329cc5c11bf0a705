//! The patching writer: the corrected workbook is the input .xlsx package with only what the
//! correction needs changed.
//!
//! - Each sheet with a marked cell: those cells rewritten (see [`sheet`]), and notes added to
//!   its comments and VML drawing (see [`notes`]).
//! - `xl/styles.xml`: a highlighted copy of each style a marked cell had, and the 核查结果
//!   sheet's styles, appended (see [`styles`]).
//! - The 核查结果 sheet: a new part (or, for a workbook zpcheck corrected before, the old one
//!   rewritten), listed in the workbook with its autofilter's name (see [`findings`],
//!   [`workbook`]).
//! - Recalculation on load when a value changed, the calculation chain dropped (it may name a
//!   formula a correction replaced; Excel rebuilds it), macros dropped (the output is an
//!   .xlsx, which cannot hold them; the 核查结果 sheet says so), and the custom document
//!   property `zpcheck`.
//!
//! Every other part — drawings, images, charts, others' notes, data validation, conditional
//! formats, printer settings, themes — is copied as it was, still compressed. The patch gives up
//! on anything it cannot do with certainty (a workbook in an unusual place, prefixed or strict
//! XML, cells without positions, a correction to the first cell of a shared formula…), and the
//! workbook is rebuilt instead.

pub use crate::ooxml::GiveUp;
use crate::ooxml::{R, give_up};

mod findings;
mod notes;
mod package;
pub(crate) mod report;
mod sheet;
mod styles;
mod workbook;
mod xml;

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;

use self::notes::Note;
use self::package::{ContentTypes, Package, Rels, parse_rels, rels_name, resolve};
use self::sheet::{Edit, SheetPatch};
use self::styles::Styles;
use self::workbook::WorkbookEdit;
use super::{FindingsTable, Mark, Marks, findings_sheet_name};
use crate::finding::{Finding, FixValue};
use crate::grid::{CellValue, FormulaValue, Sheet};
use crate::read::Source;
use crate::{Checked, is_findings_sheet};

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::Package;

// The part names and content types the reader and the guard agree on.
use crate::ooxml::names::{
    COMMENTS_TYPE, CUSTOM_PROPERTIES as CUSTOM, CUSTOM_PROPERTIES_TYPE as CUSTOM_TYPE,
    PACKAGE_RELS, SHEET_MAIN_TYPE, STYLES, VML_TYPE, WORKBOOK, WORKBOOK_RELS, WORKSHEET_TYPE,
};
/// Workbook content types an .xlsx cannot have: macro-enabled workbooks and templates.
const OTHER_MAIN_TYPES: [&str; 3] = [
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
];

/// The corrected workbook made by patching the input's bytes, or why not.
pub fn patch(
    source: &Source,
    checked: &Checked,
    opts: &crate::write::WriteOptions,
) -> Result<Vec<u8>, GiveUp> {
    let plain = opts.plain;
    let mut pkg = Package::open(&source.bytes, &source.parts)?;
    let mut root_rels = parse_rels(&pkg.text(PACKAGE_RELS)?.ok_or(give_up!())?)?;
    let office = root_rels.of_type("officeDocument").ok_or(give_up!())?;
    if resolve("", &office.target).as_deref() != Some(WORKBOOK) {
        return Err(give_up!());
    }
    let mut types = ContentTypes::parse(&pkg.text(ContentTypes::NAME)?.ok_or(give_up!())?)?;
    let workbook_xml = pkg.text(WORKBOOK)?.ok_or(give_up!())?;
    let rels_xml = pkg.text(WORKBOOK_RELS)?.ok_or(give_up!())?;
    if rels_xml.is_empty() {
        return Err(give_up!());
    }
    let mut workbook_rels = parse_rels(&rels_xml)?;
    let parts = crate::ooxml::workbook::workbook_parts_with(&workbook_xml, &workbook_rels)
        .ok_or(give_up!())?;
    if parts.unusual {
        return Err(give_up!());
    }
    let mut styles = Styles::parse(pkg.text(STYLES)?.ok_or(give_up!())?)?;
    styles.plain = plain;

    let findings: Vec<&Finding> = checked.findings().collect();
    let marks = if plain {
        Marks::plain(&findings)
    } else {
        Marks::new(&findings)
    };
    let mut values_changed = false;
    let mut old_findings: Option<(usize, String, String)> = None;
    let mut names = HashSet::new();
    // The sheets patched: every sheet with a finding must be one of them.
    let mut patched_sheets = HashSet::new();
    let mut vml_blocks: Option<u32> = None;
    for (index, (name, part)) in parts.sheets.iter().enumerate() {
        if !names.insert(name.as_str()) {
            return Err(give_up!());
        }
        let Some(part) = part else {
            continue; // a chart or dialog sheet
        };
        let Some(sheet) = checked.workbook.sheets.iter().find(|s| &s.name == name) else {
            continue;
        };
        if is_findings_sheet(sheet) {
            if old_findings
                .replace((index, part.clone(), name.clone()))
                .is_some()
            {
                return Err(give_up!());
            }
            continue;
        }
        patched_sheets.insert(name.as_str());
        let edits = edits(sheet, &marks);
        if edits.is_empty() {
            continue;
        }
        values_changed |= edits.values().any(|e| !matches!(e, Edit::Mark(_)));
        let xml = pkg.text(part)?.ok_or(give_up!())?;
        let mut patched = sheet::patch(&xml, &edits, &mut styles)?;
        let notes = notes(sheet, &marks, &edits);
        if !notes.is_empty() {
            let block = vml_blocks.get_or_insert_with(|| first_free_block(&mut pkg));
            attach_notes(&mut pkg, &mut types, part, &mut patched, &notes, block)?;
        }
        if patched.changed() {
            pkg.set(part, patched.finish()?);
        }
    }

    if findings
        .iter()
        .any(|f| !patched_sheets.contains(f.sheet.as_str()))
    {
        return Err(give_up!());
    }
    let mut not_kept = Vec::new();
    if drop_macros(&mut pkg, &mut types, &mut workbook_rels) {
        not_kept.push("宏");
    }
    let edit = if plain {
        // A plain copy has no 核查结果 sheet; one already there (a corrected workbook corrected
        // again) is left to the rebuild, which draws none.
        if old_findings.is_some() {
            return Err(give_up!());
        }
        WorkbookEdit {
            add_sheet: None,
            filter: None,
            full_calc: values_changed,
        }
    } else {
        let heading = crate::write::heading_lines(checked, &opts.heading);
        let table = FindingsTable::new(&findings, &not_kept, &[], heading);
        let st = styles.findings();
        let (index, part, new_rel, sheet_name) = match old_findings {
            Some((index, part, name)) => {
                // Its relationships were those of the old sheet (notes someone added to it…),
                // which the new sheet does not refer to.
                pkg.remove(&rels_name(&part));
                (index, part, None, name)
            }
            None => {
                let part = pkg.free_name(|n| format!("xl/worksheets/sheet{n}.xml"));
                let id = workbook_rels.add("worksheet", &format!("/{part}"));
                // 核查结果, or 核查结果(2) beside the submission's own sheet of that name.
                let name = findings_sheet_name(parts.sheets.iter().map(|(n, _)| n.as_str()));
                (parts.sheets.len(), part, Some(id), name)
            }
        };
        pkg.set(&part, findings::sheet_xml(&table, st));
        types.set_override(&part, WORKSHEET_TYPE);
        let filter = format!(
            "'{sheet_name}'!{}",
            absolute(&findings::filter_range(&table))
        );
        let titles = format!("'{sheet_name}'!{}", findings::print_titles(&table));
        WorkbookEdit {
            add_sheet: new_rel.map(|id| (sheet_name, id)),
            filter: Some((index, filter, titles)),
            full_calc: values_changed,
        }
    };
    pkg.set(WORKBOOK, workbook::patch(&workbook_xml, &edit)?);
    // The calculation chain lists formula cells; one a correction replaced would make Excel
    // report the file as damaged. Excel makes the chain again.
    for target in workbook_rels.remove_type("calcChain") {
        let calc = resolve(WORKBOOK, &target).ok_or(give_up!())?;
        pkg.remove(&calc);
        types.remove_override(&calc);
    }
    // A plain copy is marked apart: a later run may replace it, and a folder walk checks it
    // like any submission (it is one).
    let marker = crate::ooxml::names::output_marker(plain);
    mark_as_ours(&mut pkg, &mut types, &mut root_rels, marker)?;
    pkg.set(STYLES, styles.write()?);
    pkg.set(WORKBOOK_RELS, workbook_rels.write());
    pkg.set(ContentTypes::NAME, types.write());
    pkg.finish()
}

/// `A1:I5` → `$A$1:$I$5`.
fn absolute(range: &str) -> String {
    range
        .split(':')
        .map(|a1| {
            let split = a1.find(|c: char| c.is_ascii_digit()).unwrap_or(a1.len());
            format!("${}${}", &a1[..split], &a1[split..])
        })
        .collect::<Vec<_>>()
        .join(":")
}

/// What changes on a sheet: each marked cell, and each formula whose result zpcheck evaluated
/// (the file had none, or a placeholder): the output then holds the result zpcheck read, as a
/// rebuilt workbook does, and a later run reads what this one did.
fn edits(sheet: &Sheet, marks: &Marks<'_>) -> BTreeMap<crate::grid::CellRef, Edit> {
    let mut edits = BTreeMap::new();
    let name = sheet.name.as_str();
    for at in marks.cells(name) {
        let edit = match marks.fix(name, at) {
            Some((
                _,
                FixValue::Number {
                    value,
                    percent_format,
                    formula,
                },
            )) => Edit::Number {
                // A kept formula caches its own result; a constant is the value as shown.
                value: number_text(match formula {
                    Some(f) => f.result,
                    None if *percent_format => *value / Decimal::ONE_HUNDRED,
                    None => *value,
                }),
                percent_format: *percent_format,
                formula: formula.as_ref().map(|f| f.text.clone()),
            },
            Some((_, FixValue::Text(t))) => Edit::Text(t.clone()),
            None => match marks.mark(name, at) {
                mark @ (Mark::Error | Mark::Warning) => Edit::Mark(mark),
                Mark::Fixed | Mark::None => continue,
            },
        };
        edits.insert(at, edit);
    }
    for (at, cell) in &sheet.cells {
        if cell.formula.is_none() || edits.contains_key(at) {
            continue;
        }
        let cache = match (cell.formula_value, &cell.value) {
            (FormulaValue::Evaluated, CellValue::Number(n)) if n.is_finite() => Some(n.to_string()),
            (FormulaValue::Evaluated | FormulaValue::Unevaluable, _) => None,
            (FormulaValue::Cached, _) => continue,
        };
        edits.insert(*at, Edit::Cache(cache));
    }
    edits
}

/// A number as a cell stores it: no exponent, no trailing zeros.
fn number_text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The notes of a sheet's marked cells, in cell order.
fn notes(
    sheet: &Sheet,
    marks: &Marks<'_>,
    edits: &BTreeMap<crate::grid::CellRef, Edit>,
) -> Vec<Note> {
    edits
        .iter()
        .filter(|(_, e)| !matches!(e, Edit::Cache(_)))
        .filter_map(|(at, _)| {
            let formula = sheet.get(*at).and_then(|c| c.formula.as_deref());
            let text = marks.note(&sheet.name, *at, formula)?;
            Some(Note { cell: *at, text })
        })
        .collect()
}

/// The first VML shape block no drawing in the package claims.
fn first_free_block(pkg: &mut Package<'_>) -> u32 {
    let vml: Vec<String> = pkg
        .part_names()
        .filter(|n| n.to_ascii_lowercase().ends_with(".vml"))
        .map(str::to_string)
        .collect();
    let mut max = 0;
    for name in vml {
        if let Ok(Some(text)) = pkg.text(&name) {
            max = notes::id_blocks(&text).into_iter().fold(max, u32::max);
        }
    }
    max + 1
}

/// Writes a sheet's notes: new comments and VML parts, or merged into the sheet's own.
fn attach_notes(
    pkg: &mut Package<'_>,
    types: &mut ContentTypes,
    sheet_part: &str,
    patched: &mut SheetPatch<'_>,
    notes: &[Note],
    block: &mut u32,
) -> R<()> {
    let rels_part = rels_name(sheet_part);
    let mut rels = match pkg.text(&rels_part)? {
        Some(xml) => parse_rels(&xml)?,
        None => Rels::default(),
    };
    let comments = rels
        .of_type("comments")
        .map(|r| resolve(sheet_part, &r.target).ok_or(give_up!()))
        .transpose()?;
    let mut new_comments = |pkg: &mut Package<'_>, rels: &mut Rels, notes: &[Note]| {
        let part = pkg.free_name(|n| format!("xl/comments{n}.xml"));
        pkg.set(&part, notes::new_comments(notes));
        rels.add("comments", &format!("/{part}"));
        types.set_override(&part, COMMENTS_TYPE);
    };
    match (&patched.legacy_drawing, comments) {
        (None, None) => {
            new_comments(pkg, &mut rels, notes);
            let vml = pkg.free_name(|n| format!("xl/drawings/vmlDrawing{n}.vml"));
            pkg.set(&vml, notes::new_vml(notes, &patched.geometry, *block));
            *block += 1;
            let id = rels.add("vmlDrawing", &format!("/{vml}"));
            patched.add_legacy_drawing(&id);
            types.ensure_default("vml", VML_TYPE);
        }
        (Some(id), comments) => {
            let rel = rels
                .by_id(id)
                .filter(|r| !r.external && r.typ.ends_with("/vmlDrawing"))
                .ok_or(give_up!())?;
            let vml = resolve(sheet_part, &rel.target).ok_or(give_up!())?;
            let drawing = pkg.text(&vml)?.ok_or(give_up!())?;
            let (written, replaced) = match comments {
                Some(part) => {
                    let xml = pkg.text(&part)?.ok_or(give_up!())?;
                    let merged = notes::merge_comments(&xml, notes)?;
                    pkg.set(&part, merged.xml);
                    (merged.written, merged.replaced)
                }
                None => {
                    new_comments(pkg, &mut rels, notes);
                    (notes.to_vec(), Vec::new())
                }
            };
            let merged = notes::merge_vml(&drawing, &written, &replaced, &patched.geometry)?;
            pkg.set(&vml, merged);
        }
        // Comments without a drawing to show them: not a package to add to.
        (None, Some(_)) => return Err(give_up!()),
    }
    pkg.set(&rels_part, rels.write());
    Ok(())
}

/// An .xlsx cannot hold macros: a macro-enabled workbook (or a template) is made an ordinary
/// one and its VBA project dropped. True when there was one.
fn drop_macros(pkg: &mut Package<'_>, types: &mut ContentTypes, rels: &mut Rels) -> bool {
    for other in OTHER_MAIN_TYPES {
        types.retype(other, SHEET_MAIN_TYPE);
    }
    let mut dropped = false;
    for target in rels.remove_type("vbaProject") {
        if let Some(part) = resolve(WORKBOOK, &target) {
            // The project's own relationships (its signature) go with it.
            if let Ok(Some(xml)) = pkg.text(&rels_name(&part))
                && let Ok(own) = parse_rels(&xml)
            {
                for r in own.rels.iter().filter(|r| !r.external) {
                    if let Some(p) = resolve(&part, &r.target) {
                        pkg.remove(&p);
                        types.remove_override(&p);
                    }
                }
            }
            pkg.remove(&rels_name(&part));
            pkg.remove(&part);
            types.remove_override(&part);
            dropped = true;
        }
    }
    dropped
}

/// The custom document property `zpcheck`: a later run knows its own output by it.
fn mark_as_ours(
    pkg: &mut Package<'_>,
    types: &mut ContentTypes,
    root: &mut Rels,
    marker: &str,
) -> R<()> {
    match root.of_type("custom-properties") {
        Some(rel) => {
            if resolve("", &rel.target).as_deref() != Some(CUSTOM) {
                return Err(give_up!());
            }
            let xml = pkg.text(CUSTOM)?.ok_or(give_up!())?;
            pkg.set(CUSTOM, workbook::add_custom(&xml, marker)?);
        }
        None => {
            if pkg.has(CUSTOM) {
                return Err(give_up!());
            }
            pkg.set(CUSTOM, workbook::new_custom(marker));
            root.add("custom-properties", CUSTOM);
            types.set_override(CUSTOM, CUSTOM_TYPE);
            pkg.set(PACKAGE_RELS, root.write());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_made_absolute() {
        assert_eq!(absolute("A1:I5"), "$A$1:$I$5");
        assert_eq!(number_text(Decimal::new(99630, 5)), "0.9963");
        assert_eq!(number_text(Decimal::new(1000, 2)), "10");
    }
}

#[cfg(test)]
mod sample_tests {
    use super::*;

    #[test]
    fn every_xlsx_sample_is_patched() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        for name in [
            "seed_kelamayi_2023.xlsx",
            "seed_kelamayi_2023.xlsm",
            "national_planted_errors.xlsx",
            "national_clean.xlsx",
            "dept_clean.xlsx",
            "decorated_shifted.xlsx",
            "sichuan_operator_columns.xlsx",
            "openpyxl_no_cache.xlsx",
            "openpyxl_wrong_sum.xlsx",
            "placeholder_zero.xlsx",
        ] {
            let path = dir.join(name);
            let (checked, fidelity) =
                crate::fix_path(&path, &crate::Profile::default()).expect("sample reads");
            let source = fidelity.source.clone().expect("kept for correcting");
            assert!(source.parts.contains_key("xl/styles.xml"), "{name}");
            let patched = patch(&source, &checked, &Default::default());
            assert!(patched.is_ok(), "{name}: {:?}", patched.err());
        }
    }
}
