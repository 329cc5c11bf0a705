//! Writing the corrected workbook: every sheet of the input with its names, cell positions,
//! values, formulas (with their results cached) and merged ranges; corrected cells carry the
//! new value, a highlight and a note (批注) with the original value and the rule; cells with an
//! error zpcheck cannot correct get a note too. A 核查结果 sheet lists every finding.
//!
//! The file is saved atomically: written to a temporary file in the target folder, then renamed.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::Path;

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet,
    XlsxError,
};
use unicode_width::UnicodeWidthStr;

use crate::error::{InputError, io_reason};
use crate::finding::{Finding, FixValue, Severity};
use crate::read::layout::SheetLayout;
use crate::read::{Cell, CellRef, CellValue, Sheet};
use crate::rules;
use crate::style::CellStyle;
use crate::{Checked, is_findings_sheet};

/// The name of the findings sheet.
pub const FINDINGS_SHEET: &str = "核查结果";

/// The header row of the findings sheet; a later run recognises the sheet by it.
pub const FINDINGS_HEADER: [&str; 9] = [
    "序号",
    "工作表",
    "单元格",
    "规则",
    "级别",
    "原值",
    "应为",
    "说明",
    "是否已更正",
];

/// The most blank cells the default border fill adds for one form.
const MAX_GRID_FILL: u64 = 100_000;

/// Fill of a corrected cell (light yellow).
pub const FIXED_FILL: u32 = 0xFFEB9C;
/// Fill of a cell with an error zpcheck could not correct (light red).
pub const ERROR_FILL: u32 = 0xFFC7CE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Mark {
    None,
    Fixed,
    Error,
}

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
                return match key.mark {
                    Mark::Fixed => f.set_background_color(Color::RGB(FIXED_FILL)),
                    Mark::Error => f.set_background_color(Color::RGB(ERROR_FILL)),
                    Mark::None => f,
                };
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
            match key.mark {
                Mark::Fixed => f = f.set_background_color(Color::RGB(FIXED_FILL)),
                Mark::Error => f = f.set_background_color(Color::RGB(ERROR_FILL)),
                Mark::None => {}
            }
            f
        })
    }
}

fn xlsx_err(e: XlsxError) -> String {
    e.to_string()
}

/// Builds the corrected workbook in memory.
pub fn corrected_workbook(checked: &Checked) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    // A form is a few kilobytes of XML: the fastest deflate level makes files hardly larger
    // (measured: +4%) and saving several times faster (see benches/batch.rs).
    wb.set_zip_compression_level(1);
    let mut props = DocProperties::new().set_custom_property("zpcheck", env!("CARGO_PKG_VERSION"));
    let kept = checked.workbook.properties.clone().unwrap_or_default();
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
    wb.set_properties(&props);
    let mut formats = Formats::default();

    let findings: Vec<&Finding> = checked.findings().collect();
    let mut by_cell: HashMap<(&str, CellRef), Vec<&Finding>> = HashMap::new();
    for f in &findings {
        by_cell
            .entry((f.sheet.as_str(), f.cell))
            .or_default()
            .push(f);
    }

    for sheet in checked
        .workbook
        .sheets
        .iter()
        .filter(|s| !is_findings_sheet(s))
    {
        let forms = || checked.forms.iter().filter(|f| f.form.sheet == sheet.name);
        let grids: Vec<(u32, u32)> = forms().map(|f| f.form.rows).collect();
        let headers: Vec<u32> = forms().flat_map(|f| f.form.header_rows.clone()).collect();
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name).map_err(xlsx_err)?;
        write_sheet(ws, sheet, &grids, &headers, &by_cell, &mut formats)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name(FINDINGS_SHEET).map_err(xlsx_err)?;
    write_findings(ws, &findings, &checked.workbook.not_kept, &mut formats)?;
    wb.save_to_buffer().map_err(xlsx_err)
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    grids: &[(u32, u32)],
    headers: &[u32],
    by_cell: &HashMap<(&str, CellRef), Vec<&Finding>>,
    formats: &mut Formats,
) -> Result<(), String> {
    let in_grid = |r: CellRef| grids.iter().any(|(a, b)| r.row >= *a && r.row <= *b);
    // Every position that gets written: stored cells and cells a correction fills.
    let mut positions: BTreeMap<CellRef, Option<&Cell>> =
        sheet.cells.iter().map(|(r, c)| (*r, Some(c))).collect();
    for (sheet_name, cell) in by_cell.keys() {
        if *sheet_name == sheet.name {
            positions.entry(*cell).or_insert(None);
        }
    }
    // A sheet read with its styles (xlsx) is drawn with them; otherwise blank cells inside a
    // form's grid get the default borders too.
    let styled = sheet.cells.values().any(|c| c.style.is_some());
    let grids: &[(u32, u32)] = if styled { &[] } else { grids };
    let key_at = |cell: Option<&Cell>, pos: CellRef, grid: bool| {
        let mut key = cell_key(cell, pos, grid, by_cell, &sheet.name);
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

    match &sheet.layout {
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
            Some(CellValue::Text(s)) => s.clone(),
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
        let findings = by_cell.get(&(sheet.name.as_str(), pos));
        let fix = findings.and_then(|fs| fs.iter().find_map(|f| f.fix.as_ref().map(|x| (*f, x))));
        let mut key = key_at(cell, pos, in_grid(pos));
        let (row, col) = (pos.row, pos.col as u16);
        if let Some((finding, fix)) = fix {
            let value = match fix {
                FixValue::Number {
                    value,
                    percent_format: true,
                } => {
                    // Rates are shown to 2 decimals, whatever the cell's own format was.
                    key.num_fmt = Some("0.00%".to_string());
                    CellWrite::Number((*value / rust_decimal::Decimal::ONE_HUNDRED).to_f64())
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
                CellWrite::Text(t) => ws.write_string_with_format(row, col, &t, &fmt),
            }
            .map_err(xlsx_err)?;
            let formula = cell.and_then(|c| c.formula.as_ref());
            ws.insert_note(row, col, &fix_note(finding, formula))
                .map_err(xlsx_err)?;
            continue;
        }
        let fmt = formats.get(key.clone()).clone();
        if let Some(c) = cell {
            write_value(ws, pos, c, &fmt)?;
        } else {
            ws.write_blank(row, col, &fmt).map_err(xlsx_err)?;
        }
        if key.mark == Mark::Error
            && let Some(fs) = findings
        {
            ws.insert_note(row, col, &error_note(fs))
                .map_err(xlsx_err)?;
        }
    }
    Ok(())
}

/// Keeps the input's column widths, row heights, hidden rows and columns, frozen panes and page
/// setup.
fn apply_layout(ws: &mut Worksheet, l: &SheetLayout) -> Result<(), String> {
    for (col, (width, hidden)) in &l.columns {
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
    for (row, (height, hidden)) in &l.rows {
        if let Some(h) = height {
            ws.set_row_height(*row, *h).map_err(xlsx_err)?;
        }
        if *hidden {
            ws.set_row_hidden(*row).map_err(xlsx_err)?;
        }
    }
    if let Some((rows, cols)) = l.freeze.filter(|f| *f != (0, 0)) {
        ws.set_freeze_panes(rows, cols.min(16383) as u16)
            .map_err(xlsx_err)?;
    }
    if l.landscape {
        ws.set_landscape();
    }
    if let Some((w, h)) = l.fit_to_pages {
        ws.set_print_fit_to_pages(w, h);
    }
    if let Some((a, b)) = l.print_area {
        ws.set_print_area(a.row, a.col as u16, b.row, b.col as u16)
            .map_err(xlsx_err)?;
    }
    Ok(())
}

/// Default column width in Excel's character units.
const DEFAULT_WIDTH: f64 = 8.43;
/// Height of one line of 11-point text, in points.
const LINE_HEIGHT: f64 = 14.25;

pub(crate) fn text_width(text: &str) -> usize {
    text.lines().map(|l| l.width()).max().unwrap_or(0)
}

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
    Text(String),
}

fn cell_key(
    cell: Option<&Cell>,
    pos: CellRef,
    grid: bool,
    by_cell: &HashMap<(&str, CellRef), Vec<&Finding>>,
    sheet: &str,
) -> FmtKey {
    let findings = by_cell.get(&(sheet, pos));
    let mark = match findings {
        Some(fs) if fs.iter().any(|f| f.fix.is_some()) => Mark::Fixed,
        Some(fs) if fs.iter().any(|f| f.severity == Severity::Error) => Mark::Error,
        _ => Mark::None,
    };
    let text = cell.map(|c| c.text()).unwrap_or_default();
    let title = !grid && (text.contains("自评表") || text.contains("评价表"));
    let mut num_fmt = cell.and_then(|c| c.num_fmt.clone());
    if num_fmt.is_none() && matches!(cell.map(|c| &c.value), Some(CellValue::DateTime(_))) {
        num_fmt = Some("yyyy-mm-dd".to_string());
    }
    let style = cell.and_then(|c| c.style.as_deref().cloned());
    let plain = style.is_none();
    FmtKey {
        style,
        plain: false,
        grid: grid && plain,
        title: title && plain,
        bold: cell.is_some_and(|c| c.bold),
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
        CellValue::Text(s) | CellValue::Error(s) => ws.write_string_with_format(row, col, s, fmt),
        CellValue::Bool(b) => ws.write_boolean_with_format(row, col, *b, fmt),
    }
    .map(|_| ())
    .map_err(xlsx_err)
}

/// A finding as the columns after the first of [`FINDINGS_HEADER`] show it (工作表 … 是否已更正);
/// the 核查结果 sheet and the summary's 全部问题 sheet both use it.
pub fn finding_cells(f: &Finding) -> [String; 8] {
    [
        f.sheet.clone(),
        f.cell.to_string(),
        format!("{} {}", f.rule, title_of(f.rule)),
        f.severity.label().to_string(),
        f.found.clone(),
        f.expected.clone(),
        f.message.clone(),
        if f.fixed() { "是" } else { "否" }.to_string(),
    ]
}

fn title_of(code: &str) -> &'static str {
    rules::rule(code).map(|r| r.title).unwrap_or("")
}

fn fix_note(f: &Finding, formula: Option<&String>) -> Note {
    let mut text = format!(
        "zpcheck 已更正\n原值：{}\n更正为：{}\n规则：{} {}\n{}",
        f.found,
        f.expected,
        f.rule,
        title_of(f.rule),
        f.message
    );
    if let Some(formula) = formula {
        text.push_str(&format!("\n原公式：={formula}"));
    }
    Note::new(text)
        .set_author("zpcheck")
        .set_width(320)
        .set_height(160)
}

fn error_note(fs: &[&Finding]) -> Note {
    let mut text = String::from("zpcheck 发现错误（未自动更正，请人工处理）");
    for f in fs.iter().filter(|f| f.severity == Severity::Error) {
        text.push_str(&format!("\n{} {}：{}", f.rule, title_of(f.rule), f.message));
    }
    Note::new(text)
        .set_author("zpcheck")
        .set_width(320)
        .set_height(160)
}

/// The line on the 核查结果 sheet that names what the rebuild did not keep.
pub fn not_kept_line(not_kept: &[&str]) -> String {
    format!(
        "注意：原文件中的{}未保留在更正后的工作簿中，如需要请在原文件中处理。",
        not_kept.join("、")
    )
}

fn write_findings(
    ws: &mut Worksheet,
    findings: &[&Finding],
    not_kept: &[&str],
    formats: &mut Formats,
) -> Result<(), String> {
    let header = formats
        .get(FmtKey {
            style: None,
            plain: false,
            grid: true,
            title: false,
            bold: true,
            num_fmt: None,
            mark: Mark::None,
        })
        .clone();
    let body = formats
        .get(FmtKey {
            style: None,
            plain: false,
            grid: true,
            title: false,
            bold: false,
            num_fmt: None,
            mark: Mark::None,
        })
        .clone();
    for (c, h) in FINDINGS_HEADER.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)
            .map_err(xlsx_err)?;
    }
    for (i, f) in findings.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &body)
            .map_err(xlsx_err)?;
        for (c, v) in finding_cells(f).iter().enumerate() {
            ws.write_string_with_format(row, c as u16 + 1, v, &body)
                .map_err(xlsx_err)?;
        }
    }
    if findings.is_empty() {
        ws.write_string_with_format(1, 7, "未发现问题", &body)
            .map_err(xlsx_err)?;
    }
    // Columns fitted to their text; 说明 wraps at a fixed width and its rows grow to fit.
    const MESSAGE_WIDTH: f64 = 60.0;
    let mut widths = [6.0f64, 8.0, 8.0, 12.0, 6.0, 8.0, 8.0, MESSAGE_WIDTH, 10.0];
    for f in findings {
        let texts = [
            (1, f.sheet.clone()),
            (2, f.cell.to_string()),
            (3, format!("{} {}", f.rule, title_of(f.rule))),
            (5, f.found.clone()),
            (6, f.expected.clone()),
        ];
        for (c, t) in texts {
            widths[c] = widths[c].max((text_width(&t) as f64 + 2.0).min(30.0));
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xlsx_err)?;
    }
    for (i, f) in findings.iter().enumerate() {
        let lines = [
            (&f.message, MESSAGE_WIDTH),
            (&f.sheet, widths[1]),
            (&f.found, widths[5]),
            (&f.expected, widths[6]),
        ]
        .into_iter()
        .map(|(t, w)| (text_width(t) as f64 / (w - 1.0)).ceil())
        .fold(1.0, f64::max);
        if lines > 1.0 {
            ws.set_row_height(i as u32 + 1, (lines * LINE_HEIGHT).min(409.0))
                .map_err(xlsx_err)?;
        }
    }
    if !not_kept.is_empty() {
        let row = findings.len().max(1) as u32 + 2;
        ws.write_string(row, 0, not_kept_line(not_kept))
            .map_err(xlsx_err)?;
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    let last = findings.len().max(1) as u32;
    ws.autofilter(0, 0, last, 8).map_err(xlsx_err)?;
    Ok(())
}

/// Writes the corrected workbook to `out` atomically. `input` is never written.
pub fn write_corrected(checked: &Checked, input: &Path, out: &Path) -> Result<(), InputError> {
    let werr = |reason: String| InputError::Write {
        path: out.to_path_buf(),
        reason,
    };
    if same_file(input, out) {
        return Err(InputError::OutputIsInput(out.to_path_buf()));
    }
    let bytes = corrected_workbook(checked).map_err(werr)?;
    write_atomic(&bytes, out)
}

/// Writes bytes to `out` through a temporary file in the same folder, then renames it: `out`
/// is either the complete new file or untouched, and nothing is left behind on failure.
pub fn write_atomic(bytes: &[u8], out: &Path) -> Result<(), InputError> {
    let werr = |reason: String| InputError::Write {
        path: out.to_path_buf(),
        reason,
    };
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".zpcheck-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| werr(io_reason(&e)))?;
    tmp.write_all(bytes).map_err(|e| werr(io_reason(&e)))?;
    // No fsync: the rename makes the output appear whole or not at all, and an output lost
    // to a power cut is made again from its input. Syncing each of a batch's hundreds of
    // files would cost more than checking them.
    // A failed rename drops the temporary file: nothing is left behind.
    tmp.persist(out).map_err(|e| werr(io_reason(&e.error)))?;
    Ok(())
}

/// Whether two paths name the same file (the second may not exist yet).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
