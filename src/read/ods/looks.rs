//! What an .ods form looks like, for the rebuilt corrected workbook: each cell's font (name,
//! size, bold, italic, underline, strike-through, colour), alignment, wrapping, borders,
//! background and number format, from content.xml's automatic styles; column widths and row
//! heights from its column and row styles. calamine exposes none of this for .ods.
//!
//! content.xml was size-checked by [`super::guard`] before. Repeated rows and cells (LibreOffice
//! writes a million empty ones after the data) are followed as counts; styles are kept only
//! inside the grid's own extent, so a style repeated over a whole sheet costs nothing.

use std::collections::HashMap;
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};

use crate::grid::{CellRef, Merge, Sheet};
use crate::limits::{
    MAX_FONT_NAME_CHARS, MAX_FORMAT_CODE_CHARS, MAX_STYLE_RECORDS, MAX_STYLED_CELLS,
};
use crate::ooxml::xml::attr;
use crate::read::SheetLook;
use crate::read::layout::SheetLayout;
use crate::style::CellStyle;

/// A length ("2.258cm", "0.178in", "11pt") in points.
fn points(len: &str) -> Option<f64> {
    let len = len.trim();
    let split = len.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = len.split_at(split);
    let n: f64 = n.parse().ok()?;
    let per = match unit {
        "pt" => 1.0,
        "cm" => 72.0 / 2.54,
        "mm" => 72.0 / 25.4,
        "in" => 72.0,
        "pc" => 12.0,
        "px" => 0.75,
        _ => return None,
    };
    Some(n * per).filter(|p| p.is_finite() && *p >= 0.0)
}

/// "#rrggbb" as RGB.
fn color(v: &str) -> Option<u32> {
    let hex = v.trim().strip_prefix('#')?;
    (hex.len() == 6).then(|| u32::from_str_radix(hex, 16).ok())?
}

/// A border ("0.06pt solid #000000", "none") as a line style (rust_xlsxwriter's numbering) and
/// colour.
fn border(v: &str) -> (u8, Option<u32>) {
    let words: Vec<&str> = v.split_whitespace().collect();
    if words.is_empty() || words.contains(&"none") || words.contains(&"hidden") {
        return (0, None);
    }
    let width = words.first().and_then(|w| points(w)).unwrap_or(0.75);
    let style = if words.contains(&"double") {
        6
    } else if words.contains(&"dashed") {
        3
    } else if words.contains(&"dotted") {
        4
    } else if width >= 2.0 {
        5
    } else if width >= 1.0 {
        2
    } else {
        1
    };
    let c = words.iter().find_map(|w| color(w)).filter(|c| *c != 0);
    (style, c)
}

/// The automatic styles read so far.
#[derive(Debug, Default)]
struct Styles {
    cells: HashMap<String, CellStyle>,
    /// Number styles: name → format code.
    numbers: HashMap<String, String>,
    /// Column widths and row heights, in points.
    columns: HashMap<String, f64>,
    rows: HashMap<String, f64>,
}

/// A number style being read: its name, whether a percentage, and its format code.
struct NumberStyle {
    name: String,
    percent: bool,
    code: Option<String>,
}

/// Where a table is: its index, the row and column reached, the columns' default cell styles.
#[derive(Default)]
struct Table {
    index: usize,
    row: u32,
    col: u32,
    row_repeat: u32,
    row_default: Option<String>,
    column_defaults: Vec<(u32, u32, String)>,
}

impl Table {
    fn column_default(&self, col: u32) -> Option<&str> {
        self.column_defaults
            .iter()
            .find(|(a, b, _)| col >= *a && col < *b)
            .map(|(_, _, s)| s.as_str())
    }
}

fn repeat(e: &BytesStart<'_>, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, 1 << 20)
}

/// The looks of the sheets, in order, from content.xml; `sheets` are the grid's (their extent
/// bounds the styled cells). Empty when content.xml's tables cannot be matched with them.
pub fn looks(content: &str, sheets: &[Sheet]) -> Vec<SheetLook> {
    let mut out: Vec<SheetLook> = sheets
        .iter()
        .map(|s| SheetLook {
            name: s.name.clone(),
            styles: HashMap::new(),
            layout: Some(SheetLayout::default()),
        })
        .collect();
    // A form's grid plus a margin: styled blank cells around the data (borders) are drawn.
    let extent: Vec<(u32, u32)> = sheets.iter().map(Sheet::styled_extent).collect();
    // Styled cells left for the workbook, and each style once, shared by its cells (made on
    // first use: the automatic styles all come before the tables).
    let mut budget = MAX_STYLED_CELLS;
    let mut shared: HashMap<String, Arc<CellStyle>> = HashMap::new();
    let mut styles = Styles::default();
    let mut reader = quick_xml::Reader::from_str(content);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.expand_empty_elements = true;
    let mut current_style: Option<(String, String)> = None; // (family, name)
    let mut current_data_style: Option<String> = None;
    let mut number: Option<NumberStyle> = None;
    let mut tables = 0usize;
    let mut table: Option<Table> = None;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match event {
            Event::Start(e) => {
                let name = e.name();
                match name.as_ref() {
                    "style:style" => {
                        let family = attr(&e, "family").unwrap_or_default();
                        let sname = attr(&e, "name").unwrap_or_default();
                        current_data_style = attr(&e, "data-style-name");
                        // Past MAX_STYLE_RECORDS, the rest are not read: cells that use
                        // them are drawn plainly.
                        if family == "table-cell" && styles.cells.len() < MAX_STYLE_RECORDS {
                            styles.cells.insert(sname.clone(), CellStyle::default());
                        }
                        current_style = Some((family, sname));
                    }
                    "style:table-cell-properties"
                    | "style:paragraph-properties"
                    | "style:text-properties" => {
                        if let Some((family, sname)) = &current_style
                            && family == "table-cell"
                            && let Some(style) = styles.cells.get_mut(sname)
                        {
                            cell_properties(name.as_ref(), &e, style);
                        }
                    }
                    "style:table-column-properties" => {
                        if let (Some((_, sname)), Some(w)) = (
                            &current_style,
                            attr(&e, "column-width").as_deref().and_then(points),
                        ) {
                            styles.columns.insert(sname.clone(), w);
                        }
                    }
                    "style:table-row-properties" => {
                        if let (Some((_, sname)), Some(h)) = (
                            &current_style,
                            attr(&e, "row-height").as_deref().and_then(points),
                        ) {
                            styles.rows.insert(sname.clone(), h);
                        }
                    }
                    "number:number-style" | "number:percentage-style" | "number:text-style" => {
                        number = Some(NumberStyle {
                            name: attr(&e, "name").unwrap_or_default(),
                            percent: name.as_ref() == "number:percentage-style",
                            code: (name.as_ref() == "number:text-style").then(|| "@".into()),
                        });
                    }
                    "number:number" => {
                        if let Some(n) = &mut number
                            && n.code.is_none()
                        {
                            let dp = attr(&e, "decimal-places")
                                .and_then(|d| d.parse::<usize>().ok())
                                .unwrap_or(0)
                                .min(10);
                            let grouping = attr(&e, "grouping").as_deref() == Some("true");
                            let mut code = if grouping { "#,##0" } else { "0" }.to_string();
                            if dp > 0 {
                                code.push('.');
                                code.push_str(&"0".repeat(dp));
                            }
                            n.code = Some(code);
                        }
                    }
                    "table:table" => {
                        table = Some(Table {
                            index: tables,
                            ..Table::default()
                        });
                        tables += 1;
                    }
                    "table:table-column" => {
                        if let Some(t) = &mut table {
                            let n = repeat(&e, "number-columns-repeated");
                            let end = t.col.saturating_add(n);
                            if let Some(d) = attr(&e, "default-cell-style-name") {
                                t.column_defaults.push((t.col, end, d));
                            }
                            let width = attr(&e, "style-name")
                                .and_then(|s| styles.columns.get(&s).copied());
                            if let (Some(w), Some(look), Some(&(_, max_col))) =
                                (width, out.get_mut(t.index), extent.get(t.index))
                                && let Some(layout) = look.layout.as_mut()
                            {
                                for col in t.col..end.min(max_col) {
                                    // Pixels over Excel's 7 a character, as stored widths are.
                                    layout
                                        .columns
                                        .insert(col, (Some(w * 4.0 / 3.0 / 7.0), false));
                                }
                            }
                            t.col = end;
                        }
                    }
                    "table:table-row" => {
                        if let Some(t) = &mut table {
                            t.col = 0;
                            t.row_repeat = repeat(&e, "number-rows-repeated");
                            t.row_default = attr(&e, "default-cell-style-name");
                            let height =
                                attr(&e, "style-name").and_then(|s| styles.rows.get(&s).copied());
                            if let (Some(h), Some(look), Some(&(max_row, _))) =
                                (height, out.get_mut(t.index), extent.get(t.index))
                                && let Some(layout) = look.layout.as_mut()
                            {
                                let end = t.row.saturating_add(t.row_repeat).min(max_row);
                                for row in t.row..end {
                                    layout.rows.insert(row, (Some(h), false));
                                }
                            }
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        if let Some(t) = &mut table {
                            let n = repeat(&e, "number-columns-repeated");
                            let own = attr(&e, "style-name");
                            let &(max_row, max_col) = extent.get(t.index).unwrap_or(&(0, 0));
                            if t.row < max_row && t.col < max_col {
                                let end_col = t.col.saturating_add(n).min(max_col);
                                let end_row = t.row.saturating_add(t.row_repeat).min(max_row);
                                for col in t.col..end_col {
                                    let name = own
                                        .as_deref()
                                        .or(t.row_default.as_deref())
                                        .or_else(|| t.column_default(col));
                                    let Some((sname, style)) =
                                        name.and_then(|s| styles.cells.get_key_value(s))
                                    else {
                                        continue;
                                    };
                                    let style = shared
                                        .entry(sname.clone())
                                        .or_insert_with(|| Arc::new(style.clone()));
                                    if let Some(look) = out.get_mut(t.index) {
                                        for row in t.row..end_row {
                                            if budget == 0 {
                                                break;
                                            }
                                            if look
                                                .styles
                                                .insert(CellRef::new(row, col), Arc::clone(style))
                                                .is_none()
                                            {
                                                budget -= 1;
                                            }
                                        }
                                    }
                                }
                            }
                            t.col = t.col.saturating_add(n);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "style:style" => {
                    if let (Some((family, sname)), Some(data)) =
                        (current_style.take(), current_data_style.take())
                        && family == "table-cell"
                        && let Some(code) = styles.numbers.get(&data).cloned()
                        && let Some(style) = styles.cells.get_mut(&sname)
                    {
                        style.num_fmt = Some(code);
                    }
                }
                "number:number-style" | "number:percentage-style" | "number:text-style" => {
                    if let Some(n) = number.take()
                        && let Some(mut code) = n.code
                        && code.chars().count() < MAX_FORMAT_CODE_CHARS
                    {
                        if n.percent {
                            code.push('%');
                        }
                        styles.numbers.insert(n.name, code);
                    }
                }
                "table:table-row" => {
                    if let Some(t) = &mut table {
                        t.row = t.row.saturating_add(t.row_repeat);
                    }
                }
                "table:table" => table = None,
                _ => {}
            },
            _ => {}
        }
    }
    if tables != sheets.len() {
        return Vec::new();
    }
    for look in &mut out {
        if let Some(layout) = look.layout.as_mut() {
            // As the plain rebuild prints a form: one page wide, landscape when it is wide.
            let width: f64 = layout.columns.values().filter_map(|(w, _)| *w).sum();
            layout.landscape = width > 90.0;
            layout.fit_to_pages = Some((1, 0));
        }
    }
    out
}

/// One properties element of a cell style.
fn cell_properties(element: &str, e: &BytesStart<'_>, style: &mut CellStyle) {
    match element {
        "style:table-cell-properties" => {
            if let Some(all) = attr(e, "border") {
                let b = border(&all);
                style.borders = [b, b, b, b];
            }
            for (i, side) in ["border-left", "border-right", "border-top", "border-bottom"]
                .into_iter()
                .enumerate()
            {
                if let Some(v) = attr(e, side) {
                    style.borders[i] = border(&v);
                }
            }
            style.v_align = match attr(e, "vertical-align").as_deref() {
                Some("top") => 1,
                Some("middle") => 2,
                _ => style.v_align,
            };
            if attr(e, "wrap-option").as_deref() == Some("wrap") {
                style.wrap = true;
            }
            if let Some(bg) = attr(e, "background-color").as_deref().and_then(color) {
                style.fill = Some(bg);
            }
            if let Some(angle) = attr(e, "rotation-angle").and_then(|a| a.parse::<i16>().ok())
                && (1..=90).contains(&angle)
            {
                style.rotation = angle;
            }
        }
        "style:paragraph-properties" => {
            style.h_align = match attr(e, "text-align").as_deref() {
                Some("start" | "left") => 1,
                Some("center") => 2,
                Some("end" | "right") => 3,
                Some("justify") => 5,
                _ => style.h_align,
            };
        }
        "style:text-properties" => {
            // A name longer than any font's is dropped (see MAX_FONT_NAME_CHARS).
            if let Some(n) = attr(e, "font-name")
                .filter(|n| !n.is_empty() && n.chars().count() <= MAX_FONT_NAME_CHARS)
            {
                style.font_name = Some(n);
            }
            if let Some(size) = attr(e, "font-size").as_deref().and_then(points) {
                style.font_size = Some((size * 10.0).round().clamp(10.0, 4090.0) as u32);
            }
            if attr(e, "font-weight").as_deref() == Some("bold") {
                style.bold = true;
            }
            if attr(e, "font-style").as_deref() == Some("italic") {
                style.italic = true;
            }
            if attr(e, "text-underline-style").is_some_and(|v| v != "none") {
                style.underline = true;
            }
            if attr(e, "text-line-through-style").is_some_and(|v| v != "none") {
                style.strike = true;
            }
            if let Some(c) = attr(e, "color")
                .as_deref()
                .and_then(color)
                .filter(|c| *c != 0)
            {
                style.font_color = Some(c);
            }
        }
        _ => {}
    }
}

/// The merged ranges of each table of content.xml (cells with `table:number-columns-spanned`
/// or `table:number-rows-spanned`), in table order; calamine does not report them for .ods.
/// At most `limit` in all: past it the rest are left out (the read refuses a workbook with
/// more merged cells than it allows anyway).
pub fn merges(content: &str, limit: usize) -> Vec<Vec<Merge>> {
    let mut out: Vec<Vec<Merge>> = Vec::new();
    let mut reader = quick_xml::Reader::from_str(content);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.expand_empty_elements = true;
    let (mut row, mut col, mut row_repeat) = (0u32, 0u32, 1u32);
    let mut total = 0usize;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => {
                    out.push(Vec::new());
                    row = 0;
                }
                "table:table-row" => {
                    col = 0;
                    row_repeat = repeat(&e, "number-rows-repeated");
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeat(&e, "number-columns-repeated");
                    let cols = repeat(&e, "number-columns-spanned");
                    let rows = repeat(&e, "number-rows-spanned");
                    if (cols > 1 || rows > 1)
                        && e.name().as_ref() == "table:table-cell"
                        && total < limit
                        && let Some(list) = out.last_mut()
                    {
                        list.push(Merge {
                            first: CellRef::new(row, col),
                            last: CellRef::new(
                                row.saturating_add(rows - 1),
                                col.saturating_add(cols - 1),
                            ),
                        });
                        total += 1;
                    }
                    col = col.saturating_add(n);
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(row_repeat);
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{MAX_STYLED_COLS, MAX_STYLED_ROWS};

    /// A style repeated over a whole sheet of a million rows keeps the look of at most
    /// [`MAX_STYLED_CELLS`] cells, and widths and heights within the limits; it is read at once.
    #[test]
    fn a_style_over_a_whole_sheet_is_bounded() {
        let content = r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:style="s" xmlns:fo="f"><office:automatic-styles><style:style style:name="ce1" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style><style:style style:name="ro1" style:family="table-row"><style:table-row-properties style:row-height="1cm"/></style:style><style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="2cm"/></style:style></office:automatic-styles><office:body><office:spreadsheet><table:table table:name="S"><table:table-column table:style-name="co1" table:number-columns-repeated="16384"/><table:table-row table:style-name="ro1" table:number-rows-repeated="1048576"><table:table-cell table:style-name="ce1" table:number-columns-repeated="16384"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        // The grid reaches far: one value in the last row and column.
        let mut sheet = Sheet {
            name: "S".into(),
            ..Sheet::default()
        };
        sheet.cells.insert(
            CellRef::new(1_048_575, 16_383),
            crate::grid::Cell {
                value: crate::grid::CellValue::Number(1.0),
                formula: None,
                formula_value: crate::grid::FormulaValue::Cached,
                num_fmt: None,
            },
        );
        let looks = looks(content, &[sheet]);
        assert_eq!(looks.len(), 1);
        assert_eq!(looks[0].styles.len(), MAX_STYLED_CELLS);
        assert!(looks[0].styles[&CellRef::new(0, 0)].bold);
        let layout = looks[0].layout.as_ref().unwrap();
        assert_eq!(layout.rows.len(), MAX_STYLED_ROWS as usize);
        assert_eq!(layout.columns.len(), MAX_STYLED_COLS as usize);
        assert_eq!(layout.rows[&0].0, Some(72.0 / 2.54));
    }

    /// One style on many cells is one shared copy; a font name longer than any font's is
    /// dropped; the styled-cell budget is the workbook's, not each sheet's.
    #[test]
    fn styles_are_shared_capped_and_budgeted_for_the_workbook() {
        let long = "字".repeat(MAX_FONT_NAME_CHARS + 1);
        let table = |name: &str| {
            format!(
                r#"<table:table table:name="{name}"><table:table-row table:number-rows-repeated="1000"><table:table-cell table:style-name="ce1" table:number-columns-repeated="200"/></table:table-row></table:table>"#
            )
        };
        let content = format!(
            r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:style="s" xmlns:fo="f"><office:automatic-styles><style:style style:name="ce1" style:family="table-cell"><style:text-properties style:font-name="{long}" fo:font-weight="bold"/></style:style><style:style style:name="ce2" style:family="table-cell"><style:text-properties style:font-name="宋体"/></style:style></office:automatic-styles><office:body><office:spreadsheet>{}{}</office:spreadsheet></office:body></office:document-content>"#,
            table("A"),
            table("B")
        );
        // Each sheet's values reach row 999, column 199: 1,000 × 200 styled cells each.
        let sheet = |name: &str| {
            let mut s = Sheet {
                name: name.into(),
                ..Sheet::default()
            };
            s.cells.insert(
                CellRef::new(999, 199),
                crate::grid::Cell {
                    value: crate::grid::CellValue::Number(1.0),
                    formula: None,
                    formula_value: crate::grid::FormulaValue::Cached,
                    num_fmt: None,
                },
            );
            s
        };
        let looks = looks(&content, &[sheet("A"), sheet("B")]);
        assert_eq!(looks[0].styles.len(), 200_000);
        // The budget was spent on the first sheet.
        assert_eq!(looks[1].styles.len(), MAX_STYLED_CELLS - 200_000);
        let a = &looks[0].styles[&CellRef::new(0, 0)];
        let b = &looks[0].styles[&CellRef::new(999, 199)];
        assert!(Arc::ptr_eq(a, b));
        assert!(a.bold);
        assert_eq!(a.font_name, None);
    }

    #[test]
    fn lengths_colours_and_borders() {
        assert_eq!(points("72pt"), Some(72.0));
        assert_eq!(points("1in"), Some(72.0));
        assert!((points("2.54cm").unwrap() - 72.0).abs() < 1e-9);
        assert_eq!(points("wide"), None);
        assert_eq!(color("#dddddd"), Some(0xDDDDDD));
        assert_eq!(color("transparent"), None);
        assert_eq!(border("0.06pt solid #000000"), (1, None));
        assert_eq!(border("2.5pt solid #ff0000"), (5, Some(0xFF0000)));
        assert_eq!(border("none"), (0, None));
    }
}
