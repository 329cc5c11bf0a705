//! OpenDocument spreadsheets (.ods), read with calamine after [`super::guard`] has checked the
//! container. calamine hands each formula over as written in the file, in OpenFormula syntax
//! (`of:=SUM([.C7:.C9])`): [`excel_formula`] turns it into Excel's (`SUM(C7:C9)`), which
//! zpcheck's evaluator reads and the rebuilt .xlsx must hold. A formula it cannot translate
//! with certainty is dropped and the cell keeps its value: an .xlsx holding OpenFormula text
//! would be a workbook Excel has to repair.

pub(super) mod guard;
pub mod looks;

use std::io::Cursor;

use calamine::{Ods, Reader};

use super::format::{self, Marks, Raw, WriteBack};
use super::{FileKind, Purpose, ReadBy, ReadOptions, Sheet, build_sheet, corrupt};
use crate::error::InputError;
use crate::fallback::Why;
use crate::grid::CellRef;

/// Reads an .ods the container guard has opened: its own guard on the content's extent first,
/// then every sheet with calamine, the merged ranges and (when correcting) the looks and
/// document properties from `content.xml`. An .ods is written back by a rebuild.
pub(super) fn read(
    bytes: &[u8],
    facts: super::guard::ZipFacts,
    marks: Marks,
    placeholder_zero: bool,
    opts: ReadOptions,
) -> Result<Raw, InputError> {
    // The ODS guard: its content's extent, before calamine reads a cell of it.
    guard::check_ods_extent(&facts.content)?;
    let correcting = opts.purpose != Purpose::Check;
    let properties = correcting
        .then(|| {
            format::properties(|| {
                Ods::new(Cursor::new(bytes))
                    .ok()?
                    .workbook_properties()
                    .ok()
            })
        })
        .flatten();
    let mut sheets = read_ods(bytes)?;
    // Each merged range covers two cells or more: past half the merged-cell limit the workbook
    // is refused by the dispatcher anyway.
    let most = (crate::limits::MAX_MERGED_CELLS / 2) as usize;
    let merges = looks::merges(&facts.content, most);
    if merges.len() == sheets.len() {
        for (sheet, m) in sheets.iter_mut().zip(merges) {
            sheet.merges = m;
        }
    }
    let looks = if correcting {
        looks::looks(&facts.content, &sheets)
    } else {
        Vec::new()
    };
    // Pictures and embedded objects (charts) are not drawn again in the rebuilt workbook.
    let any = |prefix: &str| facts.names.iter().any(|n| n.starts_with(prefix));
    let mut not_kept = Vec::new();
    if any("Pictures/") {
        not_kept.push("图片");
    }
    if any("Object ") {
        not_kept.push("图表");
    }
    // calamine gives no styles for .ods: zpcheck reads content.xml's automatic styles itself.
    not_kept.push(format::rebuilt_without(
        &looks,
        "批注、数据验证、条件格式和打印设置（如有）",
    ));
    Ok(Raw {
        kind: FileKind::Ods,
        sheets,
        looks,
        properties,
        not_kept,
        kept: None,
        read_by: ReadBy::calamine(),
        marks,
        placeholder_zero,
        write_back: WriteBack::Rebuild(Why::OdsInput),
        document: None,
    })
}

/// Reads every sheet of an .ods, formulas in Excel's syntax.
pub(super) fn read_ods(bytes: &[u8]) -> Result<Vec<Sheet>, InputError> {
    let mut wb = Ods::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let values = wb.worksheet_range(&name).map_err(|e| corrupt(&e))?;
        let formulas = wb.worksheet_formula(&name).unwrap_or_default();
        let mut sheet = build_sheet(name, &values, &formulas, &[]);
        for cell in sheet.cells.values_mut() {
            if let Some(f) = cell.formula.take() {
                cell.formula = excel_formula(&f);
            }
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// An OpenFormula formula (with or without its `of:=` prefix, as calamine hands it over
/// after the reader strips a leading `=`) in Excel's syntax, without the leading `=`; `None`
/// when it holds something not translated with certainty (another namespace, a reference
/// this does not parse, an error reference such as `[.#REF!]`).
///
/// References in brackets lose them and their sheet dot (`[.C7]` → `C7`, `[.C7:.C9]` →
/// `C7:C9`, `[$表2.A1]` → `'表2'!A1`, `$` anchors kept); argument separators `;` become `,`;
/// text in double quotes is copied as it is.
pub fn excel_formula(of: &str) -> Option<String> {
    let body = of.trim();
    let body = body.strip_prefix('=').unwrap_or(body);
    let body = match body.strip_prefix("of:") {
        Some(rest) => rest.strip_prefix('=').unwrap_or(rest),
        // Another namespace ("msoxl:", "oooc:"): not OpenFormula.
        None if body.split_once(':').is_some_and(|(ns, _)| {
            !ns.is_empty() && ns.chars().all(|c| c.is_ascii_alphabetic())
        }) =>
        {
            return None;
        }
        None => body,
    };
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                // Copy the text to its closing quote ("" inside is an escaped quote).
                loop {
                    let c = chars.next()?;
                    out.push(c);
                    if c == '"' {
                        if chars.clone().next() == Some('"') {
                            out.push(chars.next()?);
                            continue;
                        }
                        break;
                    }
                }
            }
            '[' => {
                let mut inner = String::new();
                loop {
                    match chars.next()? {
                        ']' => break,
                        '[' => return None,
                        c => inner.push(c),
                    }
                }
                out.push_str(&reference(&inner)?);
            }
            ';' => out.push(','),
            // A bracket closing nothing, or Excel-only syntax: not translated.
            ']' | '!' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// One bracketed OpenFormula reference (`.C7`, `.C7:.C9`, `$表2.A1`, `'My sheet'.A1:.B2`) in
/// Excel's syntax.
fn reference(inner: &str) -> Option<String> {
    let (first, last) = match split_range(inner) {
        Some((a, b)) => (a, Some(b)),
        None => (inner, None),
    };
    let (sheet, cell) = address(first)?;
    let mut out = match &sheet {
        Some(s) => format!("'{}'!{cell}", s.replace('\'', "''")),
        None => cell.to_string(),
    };
    if let Some(last) = last {
        let (last_sheet, last_cell) = address(last)?;
        // A range across sheets (a 3-D reference) has no plain Excel equivalent here.
        if last_sheet.is_some() && last_sheet != sheet {
            return None;
        }
        out.push(':');
        out.push_str(last_cell);
    }
    Some(out)
}

/// Splits `A:B` at the colon outside quotes.
fn split_range(inner: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in inner.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ':' if !quoted => return Some((&inner[..i], &inner[i + 1..])),
            _ => {}
        }
    }
    None
}

/// One address: its sheet (None for the formula's own sheet, written `.A1`) and its cell
/// (`A1`, `$A$1`), which must be a plain column-and-row reference.
fn address(a: &str) -> Option<(Option<String>, &str)> {
    let a = a.trim();
    let dot = a.rfind('.')?;
    let (sheet, cell) = (&a[..dot], &a[dot + 1..]);
    let sheet = sheet.strip_prefix('$').unwrap_or(sheet);
    let sheet = if sheet.is_empty() {
        None
    } else if let Some(q) = sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(q.replace("''", "'"))
    } else {
        Some(sheet.to_string())
    };
    // `$` may anchor the column and the row, once each; the rest is an A1 reference.
    let plain = cell.strip_prefix('$').unwrap_or(cell);
    let letters = plain.chars().take_while(char::is_ascii_alphabetic).count();
    let row = &plain[letters..];
    let row = row.strip_prefix('$').unwrap_or(row);
    let valid = letters <= 3
        && row.starts_with(|c: char| c.is_ascii_digit())
        && CellRef::parse(&format!("{}{row}", &plain[..letters])).is_some();
    valid.then_some((sheet, cell))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openformula_becomes_excel_syntax() {
        let cases = [
            ("of:=SUM([.C7:.C9])", Some("SUM(C7:C9)")),
            ("of:=[.H6]+SUM([.H13:.H21])", Some("H6+SUM(H13:H21)")),
            ("of:=ROUND([.D6]/[.C6]*100;2)", Some("ROUND(D6/C6*100,2)")),
            ("of:=[.$B$2]*2", Some("$B$2*2")),
            ("of:=[$表2.A1]+[.B1]", Some("'表2'!A1+B1")),
            (
                "of:=SUM(['My ''x'' sheet'.A1:.B2])",
                Some("SUM('My ''x'' sheet'!A1:B2)"),
            ),
            (
                "of:=IF([.A1]>0;\"是;[.B1]\";\"否\")",
                Some("IF(A1>0,\"是;[.B1]\",\"否\")"),
            ),
            ("of:=\"a\"\"b\"&[.A1]", Some("\"a\"\"b\"&A1")),
            ("=SUM(A1:A3)", Some("SUM(A1:A3)")),
            // Not translated with certainty: dropped, the cell keeps its value.
            ("of:=[.#REF!]+1", None),
            ("of:=SUM([$S1.A1:$S2.A3])", None),
            ("msoxl:=SUM(A1:A2)", None),
            ("of:=SUM([.A1:.A2)", None),
            ("of:=\"open", None),
            ("of:=[.A1", None),
        ];
        for (of, want) in cases {
            assert_eq!(excel_formula(of).as_deref(), want, "{of}");
        }
    }
}
