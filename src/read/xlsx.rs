//! Reading .xlsx/.xlsm through calamine's streaming cell reader into the sparse grid, so that
//! memory follows the cells a sheet really has, not its used range: calamine's
//! `worksheet_range` allocates a dense grid of the bounding box, and a sheet with cells at A1
//! and XFD1048576 would ask for hundreds of gigabytes (calamine issue #693).

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Dimensions, Reader, Xlsx, XlsxError};

use super::guard::MAX_CELLS;
use super::{Cell, CellRef, CellValue, FormulaValue, Merge, Sheet, corrupt};
use crate::error::InputError;
use crate::style::CellStyle;

fn value_of(d: DataRef<'_>) -> Option<CellValue> {
    Some(match d {
        DataRef::Empty => return None,
        DataRef::Int(i) => CellValue::Number(i as f64),
        DataRef::Float(f) => CellValue::Number(f),
        DataRef::String(s) => CellValue::Text(s),
        DataRef::SharedString(s) => CellValue::Text(s.to_string()),
        DataRef::Bool(b) => CellValue::Bool(b),
        DataRef::DateTime(dt) => CellValue::DateTime(dt.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => CellValue::Text(s),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
    })
}

fn too_many(sheet: &str) -> InputError {
    InputError::TooLarge(format!("工作表“{sheet}”的单元格超过 {MAX_CELLS} 个"))
}

fn blank() -> Cell {
    Cell {
        value: CellValue::Empty,
        formula: None,
        formula_value: FormulaValue::Cached,
        num_fmt: None,
        bold: false,
        style: None,
    }
}

/// Reads every worksheet of an xlsx (chart and dialog sheets are skipped).
pub(super) fn read_xlsx(bytes: Vec<u8>) -> Result<Vec<Sheet>, InputError> {
    let mut wb = match Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(XlsxError::Password) => return Err(InputError::Encrypted),
        Err(e) => return Err(corrupt(&e)),
    };
    let mut sheets = Vec::new();
    let mut total = 0usize;
    for name in wb.sheet_names() {
        let mut cells: BTreeMap<CellRef, Cell> = BTreeMap::new();
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(corrupt(&e)),
        };
        while let Some(c) = reader.next_cell().map_err(|e| corrupt(&e))? {
            let (row, col) = c.get_position();
            if let Some(v) = value_of(c.get_value().clone()) {
                total += 1;
                if total > MAX_CELLS {
                    return Err(too_many(&name));
                }
                let mut cell = blank();
                cell.value = v;
                cells.insert(CellRef::new(row, col), cell);
            }
        }
        drop(reader);
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| corrupt(&e))?;
        while let Some(f) = reader.next_formula().map_err(|e| corrupt(&e))? {
            let text = f.get_value().trim();
            if text.is_empty() {
                continue;
            }
            let (row, col) = f.get_position();
            let cell = cells.entry(CellRef::new(row, col)).or_insert_with(|| {
                total += 1;
                blank()
            });
            cell.formula = Some(text.trim_start_matches('=').to_string());
            if total > MAX_CELLS {
                return Err(too_many(&name));
            }
        }
        drop(reader);
        // Styles, for the cells we hold and for styled blank cells (the form's borders). The
        // positions come from streaming the sheet, never from walking the styles' bounding box.
        let styles = wb.worksheet_style(&name).unwrap_or_default();
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| corrupt(&e))?;
        let mut styled = Vec::new();
        while let Some((row, col, id)) = reader.next_style_id().map_err(|e| corrupt(&e))? {
            if id > 0 {
                styled.push(CellRef::new(row, col));
                if styled.len() > MAX_CELLS {
                    return Err(too_many(&name));
                }
            }
        }
        drop(reader);
        for pos in styled {
            if let Some(style) = styles.get((pos.row, pos.col)) {
                let cell = cells.entry(pos).or_insert_with(blank);
                let s = CellStyle::from_calamine(style);
                cell.num_fmt = s.num_fmt.clone();
                cell.bold = s.bold;
                cell.style = Some(s);
            }
        }
        let merges: Vec<Dimensions> = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        sheets.push(Sheet {
            name,
            cells,
            merges: merges
                .iter()
                .map(|d| Merge {
                    first: CellRef::new(d.start.0, d.start.1),
                    last: CellRef::new(d.end.0, d.end.1),
                })
                .collect(),
            layout: None,
        });
    }
    Ok(sheets)
}
