//! Reading .xlsx/.xlsm through calamine's streaming cell reader into the sparse grid, so that
//! memory follows the cells a sheet really has, not its used range: calamine's
//! `worksheet_range` allocates a dense grid of the bounding box, and a sheet with cells at A1
//! and XFD1048576 would ask for hundreds of gigabytes (calamine issue #693).

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use calamine::{DataRef, Dimensions, Reader, Style, Xlsx, XlsxError};

use crate::error::InputError;
use crate::read::guard::{MAX_CELL_BYTES, MAX_CELLS};
use crate::read::{Cell, CellRef, CellValue, Merge, Sheet, SheetLook, corrupt};
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

/// A damaged part (bad deflate data, checksum) is a damaged file, with the same message the
/// container guard gives; other errors are the workbook's content.
fn xlsx_corrupt(e: &XlsxError) -> InputError {
    let text = e.to_string();
    match e {
        XlsxError::Zip(_) | XlsxError::Io(_) => InputError::CorruptZip(text),
        XlsxError::Xml(_) if text.contains("I/O error") => InputError::CorruptZip(text),
        _ => corrupt(&text),
    }
}

fn too_many(sheet: &str) -> InputError {
    InputError::TooLarge(format!("工作表“{sheet}”的单元格超过 {MAX_CELLS} 个"))
}

/// What calamine read of an .xlsx.
pub(crate) struct XlsxRead {
    /// The sheets.
    pub sheets: Vec<Sheet>,
    /// The document properties (only when reading for writing).
    pub properties: Option<calamine::WorkbookProperties>,
    /// One look per sheet (only when reading for writing).
    pub looks: Vec<SheetLook>,
}

/// Reads every worksheet of an xlsx (chart and dialog sheets are skipped), and, when writing,
/// each cell's style, the sheets' layout and the document properties from the same open
/// workbook.
///
/// Each sheet's XML is streamed twice: values with their formulas, then style ids. Styles are
/// converted once per style id, not once per cell.
pub(crate) fn read_xlsx(
    bytes: &[u8],
    workbook_xml: (&str, &str),
    for_writing: bool,
) -> Result<XlsxRead, InputError> {
    let mut scans = super::layout::scan_sheets(bytes, workbook_xml, for_writing);
    let mut wb = match Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(XlsxError::Password) => return Err(InputError::Encrypted),
        Err(e) => return Err(xlsx_corrupt(&e)),
    };
    let mut sheets = Vec::new();
    let mut looks = Vec::new();
    let mut total = 0usize;
    // Bytes of text held by cells so far (see MAX_CELL_BYTES): counted as each cell arrives,
    // so a shared string or formula copied into thousands of cells stops the read early.
    let mut text = 0usize;
    let mut hold = |bytes: usize| {
        text += bytes;
        if text > MAX_CELL_BYTES {
            Err(crate::read::guard::too_much_text(MAX_CELL_BYTES))
        } else {
            Ok(())
        }
    };
    for name in wb.sheet_names() {
        let scan = scans.remove(&name);
        let mut cells: BTreeMap<CellRef, Cell> = BTreeMap::new();
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(xlsx_corrupt(&e)),
        };
        let palette: Vec<Style> = reader.styles().to_vec();
        // Style ids for the cells we hold and for styled blank cells (the form's borders).
        // The positions come from streaming the sheet, never from walking the styles'
        // bounding box.
        let mut styled = Vec::new();
        let count = |total: &mut usize| {
            *total += 1;
            if *total > MAX_CELLS {
                Err(too_many(&name))
            } else {
                Ok(())
            }
        };
        if scan.as_ref().is_some_and(|s| !s.formulas) {
            // No formulas: values and style ids in one pass.
            while let Some((c, id)) = reader
                .next_cell_with_style_id()
                .map_err(|e| xlsx_corrupt(&e))?
            {
                let pos = CellRef::new(c.get_position().0, c.get_position().1);
                if id > 0 {
                    styled.push((pos, id));
                    if styled.len() > MAX_CELLS {
                        return Err(too_many(&name));
                    }
                }
                if let Some(v) = value_of(c.get_value().clone()) {
                    count(&mut total)?;
                    let mut cell = Cell::blank();
                    cell.value = v;
                    hold(cell.text_bytes())?;
                    cells.insert(pos, cell);
                }
            }
            drop(reader);
        } else {
            while let Some(c) = reader
                .next_cell_with_formula()
                .map_err(|e| xlsx_corrupt(&e))?
            {
                let value = value_of(c.value);
                let formula = c
                    .formula
                    .as_deref()
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(|f| f.trim_start_matches('=').to_string());
                if value.is_none() && formula.is_none() {
                    continue;
                }
                count(&mut total)?;
                let mut cell = Cell::blank();
                cell.value = value.unwrap_or(CellValue::Empty);
                cell.formula = formula;
                hold(cell.text_bytes())?;
                cells.insert(CellRef::new(c.pos.0, c.pos.1), cell);
            }
            drop(reader);
            let mut reader = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| xlsx_corrupt(&e))?;
            while let Some((row, col, id)) = reader.next_style_id().map_err(|e| xlsx_corrupt(&e))? {
                styled.push((CellRef::new(row, col), id));
                // Checked as they come: ten million `<c s="3"/>` took 2.2 GB before a check
                // after the loop refused them.
                if styled.len() > MAX_CELLS {
                    return Err(too_many(&name));
                }
            }
        }
        if styled.len() > MAX_CELLS {
            return Err(too_many(&name));
        }
        let mut converted: HashMap<usize, std::sync::Arc<CellStyle>> = HashMap::new();
        let mut styles = HashMap::new();
        for (pos, id) in styled {
            let Some(style) = palette.get(id) else {
                continue;
            };
            let s = converted
                .entry(id)
                .or_insert_with(|| std::sync::Arc::new(CellStyle::from_calamine(style)));
            // The number format each cell gets a copy of is counted at once: past the budget,
            // nothing more is copied. (The style itself is shared, not copied.)
            hold(s.num_fmt.as_ref().map_or(0, String::len))?;
            let cell = cells.entry(pos).or_insert_with(Cell::blank);
            cell.num_fmt = s.num_fmt.clone();
            if for_writing {
                styles.insert(pos, s.clone());
            }
        }
        let (merges, layout) = match scan {
            Some(scan) => (Some(scan.merges), scan.layout),
            None => (None, None),
        };
        let merges = merges.unwrap_or_else(|| {
            // calamine subtracts a merged range's start from its end unchecked: a backwards
            // range ("B2:A1") panics in a build with overflow checks (found by fuzzing; a
            // release build wraps, and such ranges are dropped after reading). Such a sheet is
            // read without merged ranges.
            let found: Vec<Dimensions> =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    wb.merge_cells_by_sheet_name(&name).unwrap_or_default()
                }))
                .unwrap_or_default();
            found
                .iter()
                .map(|d| Merge {
                    first: CellRef::new(d.start.0, d.start.1),
                    last: CellRef::new(d.end.0, d.end.1),
                })
                .collect()
        });
        if for_writing {
            looks.push(SheetLook {
                name: name.clone(),
                styles,
                layout,
            });
        }
        sheets.push(Sheet {
            name,
            cells,
            merges,
            formats_known: true,
            merge_rows: Default::default(),
        });
    }
    // Properties are optional: even a panic in their parser only loses them.
    let properties = for_writing
        .then(|| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                wb.workbook_properties().ok()
            }))
            .ok()
            .flatten()
        })
        .flatten();
    Ok(XlsxRead {
        sheets,
        properties,
        looks,
    })
}
