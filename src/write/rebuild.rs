//! The rebuilding writer: a new workbook drawn with rust_xlsxwriter from what was read — every
//! sheet with its names, cell positions, values, formulas (with their results cached) and
//! merged ranges; for an .xlsx also each cell's style, column widths, row heights and page
//! setup; for .xls and .ods (whose styles calamine does not read) a clean default style. Used
//! for .xls and .ods, and for an .xlsx that [`super::patch`] gave up on.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet,
    XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::{FindingsTable, LINE_HEIGHT, Mark, Marks, NOTE_AUTHOR, NOTE_SIZE, text_width};
use crate::finding::{Finding, FixValue};
use crate::grid::{Cell, CellRef, CellValue, Sheet};
use crate::limits::MAX_GRID_FILL;
use crate::read::layout::SheetLayout;
use crate::read::{Fidelity, SheetLook};
use crate::style::CellStyle;
use crate::{Checked, is_findings_sheet};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FmtKey {
    /// The input's own style (xlsx); when present it is drawn as it was.
    style: Option<CellStyle>,
    /// A cell without style in a sheet read with styles: drawn plain, as it was.
    plain: bool,
    grid: bool,
    title: bool,
    bold: bool,
    num_fmt: Option<String>,
    mark: Mark,
}

#[derive(Default)]
struct Formats(HashMap<FmtKey, Format>);

impl Formats {
    fn get(&mut self, key: FmtKey) -> &Format {
        self.0.entry(key.clone()).or_insert_with(|| {
            if key.style.is_some() || key.plain {
                let style = key.style.clone().unwrap_or_default();
                let mut f = style.to_format();
                if key.num_fmt != style.num_fmt
                    && let Some(n) = &key.num_fmt
                {
                    f = f.set_num_format(n);
                }
                return mark_fill(f, key.mark);
            }
            let mut f = Format::new()
                .set_font_name("宋体")
                .set_font_size(if key.title { 16 } else { 11 })
                .set_align(FormatAlign::VerticalCenter);
            if key.title {
                f = f.set_bold().set_align(FormatAlign::Center);
            } else {
                f = f.set_text_wrap();
            }
            if key.grid {
                f = f.set_border(FormatBorder::Thin);
            }
            if key.bold {
                f = f.set_bold();
            }
            if let Some(n) = &key.num_fmt {
                f = f.set_num_format(n);
            }
            mark_fill(f, key.mark)
        })
    }
}

fn mark_fill(f: Format, mark: Mark) -> Format {
    let (fill, (pattern, dots)) = match mark {
        Mark::Fixed => (super::FIXED_FILL, super::FIXED_PATTERN),
        Mark::Error => (super::ERROR_FILL, super::ERROR_PATTERN),
        Mark::Warning => (super::WARNING_FILL, super::WARNING_PATTERN),
        Mark::None => return f,
    };
    // The colour under a dot pattern, so that the mark survives grey-scale printing.
    let pattern = match pattern {
        "gray0625" => rust_xlsxwriter::FormatPattern::Gray0625,
        _ => rust_xlsxwriter::FormatPattern::Gray125,
    };
    f.set_pattern(pattern)
        .set_background_color(Color::RGB(fill))
        .set_foreground_color(Color::RGB(dots))
}

/// rust_xlsxwriter's words, in parentheses after the Chinese: every message that reaches a
/// user is Chinese.
fn xlsx_err(e: XlsxError) -> String {
    format!("重建更正后的工作簿时出错（{e}）")
}

/// Builds the corrected workbook in memory from the checked grid and the looks of `fidelity`
/// (each sheet drawn plainly where it has none). What it cannot keep of the input
/// ([`Fidelity::not_kept`]) is named on the 核查结果 sheet.
pub fn workbook(checked: &Checked, fidelity: &Fidelity) -> Result<Vec<u8>, String> {
    workbook_with(checked, fidelity, &super::WriteOptions::default())
}

/// [`workbook`], or with `plain` a copy for resubmission: corrections only, no fills, notes or
/// 核查结果 sheet.
pub fn workbook_with(
    checked: &Checked,
    fidelity: &Fidelity,
    opts: &super::WriteOptions,
) -> Result<Vec<u8>, String> {
    let plain = opts.plain;
    let mut wb = Workbook::new();
    // A form is a few kilobytes of XML: the fastest deflate level makes files hardly larger
    // (measured: +4%) and saving several times faster (see benches/batch.rs).
    wb.set_zip_compression_level(1);
    let marker = crate::ooxml::names::output_marker(plain);
    let mut props = DocProperties::new().set_custom_property(marker, env!("CARGO_PKG_VERSION"));
    let kept = fidelity.properties.clone().unwrap_or_default();
    let comment = kept.description.clone();
    for (value, set) in [
        (
            kept.title,
            DocProperties::set_title as fn(DocProperties, String) -> DocProperties,
        ),
        (kept.subject, DocProperties::set_subject),
        (kept.creator, DocProperties::set_author),
        (kept.keywords, DocProperties::set_keywords),
        (kept.category, DocProperties::set_category),
    ] {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            props = set(props, v);
        }
    }
    props = props.set_comment(comment.unwrap_or_else(|| "zpcheck 核查更正后的工作簿".to_string()));
    if let Some(t) = opts
        .created
        .and_then(|t| rust_xlsxwriter::ExcelDateTime::from_timestamp(t).ok())
    {
        props = props.set_creation_datetime(&t);
    }
    wb.set_properties(&props);
    let mut formats = Formats::default();

    let findings: Vec<&Finding> = checked.findings().collect();
    let marks = if plain {
        Marks::plain(&findings)
    } else {
        Marks::new(&findings)
    };

    // Each sheet with its look: the look of the same index, read from the same file.
    let sheets: Vec<(&crate::grid::Sheet, Option<&SheetLook>)> = checked
        .workbook
        .sheets
        .iter()
        .enumerate()
        .filter(|(_, s)| !is_findings_sheet(s))
        .map(|(i, s)| (s, fidelity.look(i).filter(|l| l.name == s.name)))
        .collect();
    let names = super::xlsx_sheet_names(sheets.iter().map(|(s, _)| s.name.as_str()));
    let renamed: Vec<(String, String)> = sheets
        .iter()
        .zip(&names)
        .filter(|((s, _), n)| s.name != **n)
        .map(|((s, _), n)| (s.name.clone(), n.clone()))
        .collect();
    for ((sheet, look), name) in sheets.iter().zip(&names) {
        let forms = || checked.forms.iter().filter(|f| f.form.sheet == sheet.name);
        let grids: Vec<(u32, u32)> = forms().map(|f| f.form.rows).collect();
        let headers: Vec<u32> = forms().flat_map(|f| f.form.header_rows.clone()).collect();
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(xlsx_err)?;
        write_sheet(ws, sheet, *look, &grids, &headers, &marks, &mut formats)?;
    }
    if plain {
        return wb.save_to_buffer().map_err(xlsx_err);
    }
    let ws = wb.add_worksheet();
    ws.set_name(super::findings_sheet_name(names.iter().map(String::as_str)))
        .map_err(xlsx_err)?;
    let heading = super::heading_lines(checked, &opts.heading);
    let table = FindingsTable::new(&findings, &fidelity.not_kept, &renamed, heading);
    write_findings(ws, &table, &mut formats)?;
    wb.save_to_buffer().map_err(xlsx_err)
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    look: Option<&SheetLook>,
    grids: &[(u32, u32)],
    headers: &[u32],
    marks: &Marks<'_>,
    formats: &mut Formats,
) -> Result<(), String> {
    let in_grid = |r: CellRef| grids.iter().any(|(a, b)| r.row >= *a && r.row <= *b);
    // Every position that gets written: stored cells and cells a correction fills.
    let mut positions: BTreeMap<CellRef, Option<&Cell>> =
        sheet.cells.iter().map(|(r, c)| (*r, Some(c))).collect();
    for cell in marks.cells(&sheet.name) {
        positions.entry(cell).or_insert(None);
    }
    // Styled blank cells (a form's borders, a signature row) are drawn too, inside the area
    // of the sheet's values and merged ranges (plus a margin) and its print area: a style
    // repeated down a whole sheet would otherwise become a million blank cells in the output.
    let (mut rows, mut cols) = sheet.styled_extent();
    if let Some((_, last)) = look
        .and_then(|l| l.layout.as_ref())
        .and_then(|l| l.print_area)
    {
        rows = rows.max(
            last.row
                .saturating_add(1)
                .min(crate::limits::MAX_STYLED_ROWS),
        );
        cols = cols.max(
            last.col
                .saturating_add(1)
                .min(crate::limits::MAX_STYLED_COLS),
        );
    }
    for pos in look.map(|l| l.styles.keys()).into_iter().flatten() {
        if pos.row < rows && pos.col < cols {
            positions.entry(*pos).or_insert(None);
        }
    }
    // A sheet read with its styles (xlsx) is drawn with them; otherwise blank cells inside a
    // form's grid get the default borders too.
    let styles = look.map(|l| &l.styles).filter(|s| !s.is_empty());
    let styled = styles.is_some();
    let grids: &[(u32, u32)] = if styled { &[] } else { grids };
    let key_at = |cell: Option<&Cell>, pos: CellRef, grid: bool| {
        let style = styles.and_then(|s| s.get(&pos)).map(|s| s.as_ref());
        let mut key = cell_key(cell, style, grid, marks.mark(&sheet.name, pos));
        key.plain = styled;
        // Without the input's styles, the blocks' header rows are drawn bold.
        key.bold |= !styled && grid && headers.contains(&pos.row);
        key
    };
    for &(first, last) in grids {
        let in_rows = |r: &&CellRef| r.row >= first && r.row <= last;
        let cols: Vec<u32> = sheet.cells.keys().filter(in_rows).map(|r| r.col).collect();
        let (Some(&lo), Some(&hi)) = (cols.iter().min(), cols.iter().max()) else {
            continue;
        };
        // A form is a few hundred cells; a stray far-away cell must not make the border fill
        // (and the file) enormous (found by fuzzing: 20 KB in, 22 s and 2.8 GB).
        if u64::from(last - first + 1) * u64::from(hi - lo + 1) > MAX_GRID_FILL {
            continue;
        }
        for row in first..=last {
            for col in lo..=hi {
                positions.entry(CellRef::new(row, col)).or_insert(None);
            }
        }
    }

    match look.and_then(|l| l.layout.as_ref()) {
        Some(layout) => apply_layout(ws, layout)?,
        None => {
            // No layout to keep (.xls, .ods): fit the columns to the text, grow rows whose
            // wrapped text needs it, and print a form on one page width.
            let widths = column_widths(sheet, &positions);
            for (col, width) in &widths {
                ws.set_column_width(*col as u16, *width).map_err(xlsx_err)?;
            }
            for (row, height) in row_heights(sheet, &positions, &widths) {
                ws.set_row_height(row, height).map_err(xlsx_err)?;
            }
            let total: f64 = widths.values().sum();
            if total > 90.0 {
                ws.set_landscape();
            }
            ws.set_paper_size(9);
            ws.set_print_fit_to_pages(1, 0);
        }
    }

    for m in &sheet.merges {
        if m.first == m.last {
            continue;
        }
        let top = positions.get(&m.first).copied().flatten();
        let key = key_at(top, m.first, in_grid(m.first));
        let fmt = formats.get(key).clone();
        let text = match top.map(|c| &c.value) {
            Some(CellValue::Text(s)) => super::fit_cell(s).into_owned(),
            _ => String::new(),
        };
        // Overlapping merges in a damaged file are skipped rather than failing the write.
        let _ = ws.merge_range(
            m.first.row,
            m.first.col as u16,
            m.last.row,
            m.last.col as u16,
            &text,
            &fmt,
        );
    }

    for (pos, cell) in positions {
        let merge = sheet.merge_at(pos);
        if merge.is_some_and(|m| m.first != pos) {
            // Hidden under a merged range.
            continue;
        }
        let fix = marks.fix(&sheet.name, pos);
        let mut key = key_at(cell, pos, in_grid(pos));
        let (row, col) = (pos.row, pos.col as u16);
        if let Some((_, fix)) = fix {
            let value = match fix {
                FixValue::Number {
                    percent_format: true,
                    formula: Some(f),
                    ..
                } => {
                    key.num_fmt = Some("0.00%".to_string());
                    CellWrite::Formula(f.text.clone(), f.result.to_f64())
                }
                FixValue::Number {
                    value,
                    percent_format: true,
                    ..
                } => {
                    // Rates are shown to 2 decimals, whatever the cell's own format was.
                    key.num_fmt = Some("0.00%".to_string());
                    CellWrite::Number((*value / rust_decimal::Decimal::ONE_HUNDRED).to_f64())
                }
                FixValue::Number {
                    formula: Some(f), ..
                } => {
                    key.num_fmt = key.num_fmt.filter(|n| !n.contains('%'));
                    CellWrite::Formula(f.text.clone(), f.result.to_f64())
                }
                FixValue::Number { value, .. } => {
                    key.num_fmt = key.num_fmt.filter(|n| !n.contains('%'));
                    CellWrite::Number(value.to_f64())
                }
                FixValue::Text(t) => CellWrite::Text(t.clone()),
            };
            let fmt = formats.get(key).clone();
            match value {
                CellWrite::Number(Some(n)) => ws.write_number_with_format(row, col, n, &fmt),
                CellWrite::Number(None) => ws.write_blank(row, col, &fmt),
                CellWrite::Formula(f, result) => {
                    let formula = Formula::new(format!("={f}"))
                        .set_result(result.map(|r| r.to_string()).unwrap_or_default());
                    ws.write_formula_with_format(row, col, formula, &fmt)
                }
                CellWrite::Text(t) => {
                    ws.write_string_with_format(row, col, super::fit_cell(&t), &fmt)
                }
            }
            .map_err(xlsx_err)?;
            insert_note(ws, pos, marks, &sheet.name, cell)?;
            continue;
        }
        let fmt = formats.get(key.clone()).clone();
        if let Some(c) = cell {
            write_value(ws, pos, c, &fmt)?;
        } else {
            ws.write_blank(row, col, &fmt).map_err(xlsx_err)?;
        }
        if matches!(key.mark, Mark::Error | Mark::Warning) {
            insert_note(ws, pos, marks, &sheet.name, cell)?;
        }
    }
    Ok(())
}

fn insert_note(
    ws: &mut Worksheet,
    pos: CellRef,
    marks: &Marks<'_>,
    sheet: &str,
    cell: Option<&Cell>,
) -> Result<(), String> {
    let formula = cell.and_then(|c| c.formula.as_deref());
    let Some(text) = marks.note(sheet, pos, formula) else {
        return Ok(());
    };
    let note = Note::new(text)
        .set_author(NOTE_AUTHOR)
        .set_width(NOTE_SIZE.0)
        .set_height(NOTE_SIZE.1);
    ws.insert_note(pos.row, pos.col as u16, &note)
        .map_err(xlsx_err)
        .map(|_| ())
}

/// Keeps the input's column widths, row heights, hidden rows and columns, frozen panes and page
/// setup.
///
/// Rows, columns, panes and print areas beyond Excel's grid are left out (the reader drops
/// them already, with a note; this keeps the writer's own error from ever reaching a user).
fn apply_layout(ws: &mut Worksheet, l: &SheetLayout) -> Result<(), String> {
    use crate::limits::{MAX_EXCEL_COLS, MAX_EXCEL_ROWS};
    let in_grid = |row: u32, col: u32| row < MAX_EXCEL_ROWS && col < MAX_EXCEL_COLS;
    let columns = l.columns.iter().filter(|(c, _)| in_grid(0, **c));
    for (col, (width, hidden)) in columns {
        let col = *col as u16;
        if let Some(w) = width {
            // Stored widths include Excel's 5-pixel padding: going through pixels keeps them.
            ws.set_column_width_pixels(col, (w * 7.0).round() as u32)
                .map_err(xlsx_err)?;
        }
        if *hidden {
            ws.set_column_hidden(col).map_err(xlsx_err)?;
        }
    }
    for (row, (height, hidden)) in l.rows.iter().filter(|(r, _)| in_grid(**r, 0)) {
        if let Some(h) = height {
            ws.set_row_height(*row, *h).map_err(xlsx_err)?;
        }
        if *hidden {
            ws.set_row_hidden(*row).map_err(xlsx_err)?;
        }
    }
    if let Some((rows, cols)) = l
        .freeze
        .filter(|f| *f != (0, 0) && in_grid(f.0, f.1.min(16383)))
    {
        ws.set_freeze_panes(rows, cols.min(16383) as u16)
            .map_err(xlsx_err)?;
    }
    if l.landscape {
        ws.set_landscape();
    }
    // The department's paper, or A4 when the sheet named none.
    ws.set_paper_size(u8::try_from(l.paper.unwrap_or(9)).unwrap_or(9));
    if let Some((w, h)) = l.fit_to_pages {
        ws.set_print_fit_to_pages(w, h);
    }
    if let Some((a, b)) = l.print_area.filter(|(a, b)| {
        in_grid(a.row, a.col) && in_grid(b.row, b.col) && a.row <= b.row && a.col <= b.col
    }) {
        ws.set_print_area(a.row, a.col as u16, b.row, b.col as u16)
            .map_err(xlsx_err)?;
    }
    Ok(())
}

/// Default column width in Excel's character units.
const DEFAULT_WIDTH: f64 = 8.43;

/// Column widths fitted to the text (a CJK character counts two columns), capped so that long
/// text wraps instead of stretching the form across pages.
fn column_widths(
    sheet: &Sheet,
    positions: &BTreeMap<CellRef, Option<&Cell>>,
) -> BTreeMap<u32, f64> {
    let mut widths: BTreeMap<u32, f64> = BTreeMap::new();
    for (pos, cell) in positions {
        let merged_wide = sheet
            .merge_at(*pos)
            .is_some_and(|m| m.first.col != m.last.col);
        if let Some(c) = cell
            && !merged_wide
        {
            let w = (text_width(&c.text()) as f64 + 2.0).clamp(DEFAULT_WIDTH, 28.0);
            let e = widths.entry(pos.col).or_insert(DEFAULT_WIDTH);
            *e = e.max(w);
        }
    }
    widths
}

/// Row heights for rows whose wrapped text needs more than one line (Excel and LibreOffice do
/// not grow rows for text in merged cells by themselves).
fn row_heights(
    sheet: &Sheet,
    positions: &BTreeMap<CellRef, Option<&Cell>>,
    widths: &BTreeMap<u32, f64>,
) -> BTreeMap<u32, f64> {
    let width_of = |c: u32| widths.get(&c).copied().unwrap_or(DEFAULT_WIDTH);
    let mut heights: BTreeMap<u32, f64> = BTreeMap::new();
    for (pos, cell) in positions {
        let Some(c) = cell else { continue };
        let (cols, rows) = match sheet.merge_at(*pos) {
            Some(m) if m.first == *pos => (m.first.col..=m.last.col, m.last.row - m.first.row + 1),
            Some(_) => continue,
            None => (pos.col..=pos.col, 1),
        };
        let avail: f64 = cols.map(width_of).sum::<f64>().max(1.0);
        let lines: f64 = c
            .text()
            .lines()
            .map(|l| (l.width() as f64 / avail).ceil().max(1.0))
            .sum();
        let per_row = (lines / f64::from(rows)).ceil();
        if per_row > 1.0 {
            let h = heights.entry(pos.row).or_insert(LINE_HEIGHT);
            *h = h.max((per_row * LINE_HEIGHT).min(409.0));
        }
    }
    heights
}

enum CellWrite {
    Number(Option<f64>),
    /// A formula (without "=") and its cached result.
    Formula(String, Option<f64>),
    Text(String),
}

fn cell_key(cell: Option<&Cell>, style: Option<&CellStyle>, grid: bool, mark: Mark) -> FmtKey {
    let text = cell.map(|c| c.text()).unwrap_or_default();
    let title = !grid && (text.contains("自评表") || text.contains("评价表"));
    let mut num_fmt = cell
        .and_then(|c| c.num_fmt.clone())
        .or_else(|| style.and_then(|s| s.num_fmt.clone()));
    if num_fmt.is_none() && matches!(cell.map(|c| &c.value), Some(CellValue::DateTime(_))) {
        num_fmt = Some("yyyy-mm-dd".to_string());
    }
    let bold = style.is_some_and(|s| s.bold);
    let style = style.cloned();
    let plain = style.is_none();
    FmtKey {
        style,
        plain: false,
        grid: grid && plain,
        title: title && plain,
        bold,
        num_fmt,
        mark,
    }
}

fn write_value(ws: &mut Worksheet, pos: CellRef, c: &Cell, fmt: &Format) -> Result<(), String> {
    let (row, col) = (pos.row, pos.col as u16);
    if let Some(f) = &c.formula {
        let cached = match &c.value {
            CellValue::Empty => String::new(),
            CellValue::Number(n) | CellValue::DateTime(n) => n.to_string(),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellValue::Text(s) | CellValue::Error(s) => s.clone(),
        };
        let formula = Formula::new(format!("={f}")).set_result(cached);
        return ws
            .write_formula_with_format(row, col, formula, fmt)
            .map(|_| ())
            .map_err(xlsx_err);
    }
    match &c.value {
        CellValue::Empty => ws.write_blank(row, col, fmt),
        CellValue::Number(n) | CellValue::DateTime(n) => {
            ws.write_number_with_format(row, col, *n, fmt)
        }
        CellValue::Text(s) | CellValue::Error(s) => {
            ws.write_string_with_format(row, col, super::fit_cell(s), fmt)
        }
        CellValue::Bool(b) => ws.write_boolean_with_format(row, col, *b, fmt),
    }
    .map(|_| ())
    .map_err(xlsx_err)
}

fn write_findings(
    ws: &mut Worksheet,
    table: &FindingsTable,
    formats: &mut Formats,
) -> Result<(), String> {
    let key = |bold| FmtKey {
        style: None,
        plain: false,
        grid: true,
        title: false,
        bold,
        num_fmt: None,
        mark: Mark::None,
    };
    let header = formats.get(key(true)).clone();
    let body = formats.get(key(false)).clone();
    let link = body
        .clone()
        .set_font_color(Color::RGB(0x0563C1))
        .set_underline(rust_xlsxwriter::FormatUnderline::Single);
    let line = Format::new()
        .set_font_name("宋体")
        .set_font_size(11)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let title = line.clone().set_bold().set_font_size(14);
    for (row, text) in (0u32..).zip(&table.heading) {
        let fmt = if row == 0 { &title } else { &line };
        ws.merge_range(row, 0, row, 8, text, fmt)
            .map_err(xlsx_err)?;
    }
    let top = table.top();
    for (c, h) in super::FINDINGS_HEADER.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &header)
            .map_err(xlsx_err)?;
    }
    for (i, (n, cells)) in table.rows.iter().enumerate() {
        let row = table.row_of(i);
        ws.write_number_with_format(row, 0, *n as f64, &body)
            .map_err(xlsx_err)?;
        for (c, v) in (1u16..).zip(cells) {
            if c == FindingsTable::LINK_COL {
                let url =
                    rust_xlsxwriter::Url::new(format!("internal:{}", table.links[i])).set_text(v);
                ws.write_url_with_format(row, c, url, &link)
                    .map_err(xlsx_err)?;
            } else {
                ws.write_string_with_format(row, c, v, &body)
                    .map_err(xlsx_err)?;
            }
        }
    }
    if table.rows.is_empty() {
        ws.write_string_with_format(
            top + 1,
            FindingsTable::NOTHING_COL,
            FindingsTable::NOTHING,
            &body,
        )
        .map_err(xlsx_err)?;
    }
    for (c, w) in table.widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xlsx_err)?;
    }
    for &(row, height) in &table.heights {
        ws.set_row_height(row, height).map_err(xlsx_err)?;
    }
    if let Some((row, line)) = &table.not_kept {
        ws.write_string(*row, 0, line).map_err(xlsx_err)?;
    }
    ws.set_landscape();
    ws.set_margins(0.25, 0.25, 0.75, 0.75, 0.3, 0.3);
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(top, top).map_err(xlsx_err)?;
    ws.set_freeze_panes(top + 1, 0).map_err(xlsx_err)?;
    ws.autofilter(top, 0, table.last_row(), 8)
        .map_err(xlsx_err)?;
    Ok(())
}
