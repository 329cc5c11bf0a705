//! Patching one worksheet's XML: the marked cells are rewritten in place — a corrected value
//! with its highlighted style, an uncorrectable error highlighted, a formula's cached result
//! brought up to date — and cells or rows that do not exist yet are inserted where they
//! belong. Every other byte of the part stays as it was. The sheet's column widths and row
//! heights are read on the way, to place the notes.

use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Range;

use quick_xml::events::Event;

use super::package::REL;
use super::styles::{NumFmt, Styles};
use super::xml::{Element, Events, Splices, Tag, escape, raw_attr, t_element};
use crate::grid::CellRef;
use crate::ooxml::{R, give_up};
use crate::write::Mark;

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::Sheet;

/// SpreadsheetML's (transitional) namespace.
pub(super) const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// What changes at one cell.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Edit {
    /// A corrected number (replacing the value and any formula); `percent_format` shows it as
    /// 0.00%. With `formula`, the cell holds that formula and `value` is its cached result.
    Number {
        value: String,
        percent_format: bool,
        formula: Option<String>,
    },
    /// A corrected text.
    Text(String),
    /// An error zpcheck cannot correct, or a warning: the cell is highlighted with the mark's
    /// fill, its content kept.
    Mark(Mark),
    /// A formula's cached result, as zpcheck evaluated it (None: it could not, and the
    /// placeholder goes). Only formula cells are changed; the style stays.
    Cache(Option<String>),
}

/// Where things are on the sheet, in pixels, for placing notes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Geometry {
    columns: BTreeMap<u32, u32>,
    rows: BTreeMap<u32, u32>,
    default_column: u32,
    default_row: u32,
}

impl Default for Geometry {
    fn default() -> Self {
        Geometry {
            columns: BTreeMap::new(),
            rows: BTreeMap::new(),
            default_column: 64,
            default_row: 20,
        }
    }
}

impl Geometry {
    pub(super) fn column(&self, col: u32) -> u32 {
        self.columns
            .get(&col)
            .copied()
            .unwrap_or(self.default_column)
    }

    pub(super) fn row(&self, row: u32) -> u32 {
        self.rows.get(&row).copied().unwrap_or(self.default_row)
    }

    /// The width of the columns left of `col`.
    pub(super) fn columns_before(&self, col: u32) -> u64 {
        before(&self.columns, col, self.default_column)
    }

    /// The height of the rows above `row`.
    pub(super) fn rows_before(&self, row: u32) -> u64 {
        before(&self.rows, row, self.default_row)
    }
}

/// The sum of sizes below `end`: the default size, corrected where one is set.
fn before(sizes: &BTreeMap<u32, u32>, end: u32, default: u32) -> u64 {
    let set = sizes.range(..end);
    let (n, sum) = set.fold((0u64, 0u64), |(n, sum), (_, &s)| {
        (n + 1, sum + u64::from(s))
    });
    (u64::from(end) - n) * u64::from(default) + sum
}

/// Column width in characters → pixels, as Excel draws it (7-pixel digits, 11-point Calibri).
fn width_px(width: f64) -> u32 {
    if width.is_finite() && width > 0.0 {
        (width * 7.0 + 0.5).min(1800.0) as u32
    } else {
        0
    }
}

/// Row height in points → pixels.
fn height_px(points: f64) -> u32 {
    if points.is_finite() && points > 0.0 {
        (points * 4.0 / 3.0).round().min(550.0) as u32
    } else {
        0
    }
}

/// A sheet being patched.
#[derive(Debug)]
pub(super) struct SheetPatch<'x> {
    xml: &'x str,
    splices: Splices,
    /// The relationship id of the sheet's legacy drawing (the VML holding its notes), if it has
    /// one.
    pub legacy_drawing: Option<String>,
    /// Where a `<legacyDrawing>` element would go.
    legacy_at: usize,
    /// The prefix the sheet binds to the relationships namespace.
    r_prefix: Option<String>,
    pub geometry: Geometry,
}

impl SheetPatch<'_> {
    /// Points the sheet at its legacy drawing (for notes) when it has none.
    pub(super) fn add_legacy_drawing(&mut self, id: &str) {
        let element = match &self.r_prefix {
            Some(p) => format!("<legacyDrawing {p}:id=\"{}\"/>", escape(id)),
            None => format!("<legacyDrawing xmlns:r=\"{REL}\" r:id=\"{}\"/>", escape(id)),
        };
        self.splices.insert(self.legacy_at, element);
    }

    /// Whether anything changes.
    pub(super) fn changed(&self) -> bool {
        !self.splices.is_empty()
    }

    pub(super) fn finish(self) -> R<String> {
        self.splices.apply(self.xml)
    }
}

/// The worksheet elements that come after `<legacyDrawing>` (ECMA-376 CT_Worksheet order);
/// AlternateContent wraps controls and OLE objects, which do too.
const AFTER_LEGACY_DRAWING: &[&str] = &[
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
    "mc:AlternateContent",
];

type Pending<'e> = Peekable<std::collections::btree_map::Iter<'e, CellRef, Edit>>;

/// Plans the sheet's edits: `edits` by cell, styles added to `styles` as the cells need them.
pub(super) fn patch<'x>(
    xml: &'x str,
    edits: &BTreeMap<CellRef, Edit>,
    styles: &mut Styles,
) -> R<SheetPatch<'x>> {
    let mut ev = Events::new(xml);
    let mut out = SheetPatch {
        xml,
        splices: Splices::default(),
        legacy_drawing: None,
        legacy_at: 0,
        r_prefix: None,
        geometry: Geometry::default(),
    };
    let mut pending: Pending<'_> = edits.iter().peekable();
    let mut col_styles: BTreeMap<u32, u32> = BTreeMap::new();
    let mut dimension: Option<(Tag, Range<usize>)> = None;
    let mut added: Vec<CellRef> = Vec::new();
    let mut legacy_at = None;
    // The root.
    loop {
        let (event, _) = ev.next()?;
        match event {
            Event::Start(e) if e.name().as_ref() == "worksheet" => {
                let root = Tag::parse(&e, false)?;
                if root.get("xmlns") != Some(MAIN) {
                    return Err(give_up!());
                }
                out.r_prefix = root.prefix_of(REL).map(str::to_string);
                break;
            }
            Event::Start(_) | Event::Empty(_) | Event::Eof => return Err(give_up!()),
            _ => {}
        }
    }
    // The worksheet's children.
    let mut seen_data = false;
    loop {
        let (e, empty, range) = match ev.element()? {
            Element::Open { tag, empty, range } => (tag, empty, range),
            Element::Close(range) => {
                // The worksheet's end.
                legacy_at.get_or_insert(range.start);
                break;
            }
        };
        let name = e.name();
        let name = name.as_ref();
        if seen_data && legacy_at.is_none() && AFTER_LEGACY_DRAWING.contains(&name) {
            legacy_at = Some(range.start);
        }
        match name {
            "dimension" => dimension = Some((Tag::parse(&e, empty)?, range.clone())),
            "sheetFormatPr" => {
                let t = Tag::parse(&e, empty)?;
                if let Some(w) = t.text("defaultColWidth").and_then(|v| v.parse().ok()) {
                    out.geometry.default_column = width_px(w);
                }
                if let Some(h) = t.text("defaultRowHeight").and_then(|v| v.parse().ok()) {
                    out.geometry.default_row = height_px(h);
                }
            }
            "cols" if !empty => {
                read_cols(&mut ev, &mut out.geometry, &mut col_styles)?;
                continue;
            }
            "sheetData" => {
                seen_data = true;
                let mut rows = Rows {
                    ev: &mut ev,
                    splices: &mut out.splices,
                    styles,
                    geometry: &mut out.geometry,
                    col_styles: &col_styles,
                    added: &mut added,
                };
                if empty {
                    let new = rows.new_rows(&mut pending, None)?;
                    out.splices
                        .replace(range, format!("<sheetData>{new}</sheetData>"));
                } else {
                    rows.run(&mut pending)?;
                }
                continue;
            }
            "legacyDrawing" => {
                out.legacy_drawing =
                    Some(Tag::parse(&e, empty)?.get_local("id").ok_or(give_up!())?);
            }
            _ => {}
        }
        if !empty {
            ev.skip_element(&e)?;
        }
    }
    if !seen_data || pending.peek().is_some() {
        return Err(give_up!());
    }
    out.legacy_at = legacy_at.ok_or(give_up!())?;
    if let Some((tag, range)) = dimension
        && !added.is_empty()
    {
        out.splices.replace(range, grown_dimension(tag, &added)?);
    }
    Ok(out)
}

/// The `<cols>` entries: widths for the geometry, styles for new cells.
fn read_cols(
    ev: &mut Events<'_>,
    geometry: &mut Geometry,
    styles: &mut BTreeMap<u32, u32>,
) -> R<()> {
    loop {
        let (e, empty) = match ev.element()? {
            Element::Open { tag, empty, .. } => (tag, empty),
            Element::Close(_) => return Ok(()),
        };
        if e.name().as_ref() == "col" {
            let t = Tag::parse(&e, empty)?;
            let num = |k: &str| t.text(k).and_then(|v| v.parse::<u32>().ok());
            let (Some(min), Some(max)) = (num("min"), num("max")) else {
                return Err(give_up!());
            };
            let (min, max) = (min.max(1), max.min(16384));
            let hidden = matches!(t.text("hidden").as_deref(), Some("1" | "true"));
            let width = t
                .text("width")
                .and_then(|v| v.parse::<f64>().ok())
                .map(width_px);
            for c in min..=max {
                if hidden {
                    geometry.columns.insert(c - 1, 0);
                } else if let Some(w) = width {
                    geometry.columns.insert(c - 1, w);
                }
                if let Some(s) = num("style") {
                    styles.insert(c - 1, s);
                }
            }
        }
        if !empty {
            ev.skip_element(&e)?;
        }
    }
}

/// `<dimension>` grown to take in the cells added.
fn grown_dimension(mut tag: Tag, added: &[CellRef]) -> R<String> {
    let dim = tag.text("ref").ok_or(give_up!())?;
    let (a, b) = dim.split_once(':').unwrap_or((&dim, &dim));
    let (Some(mut lo), Some(mut hi)) = (CellRef::parse(a), CellRef::parse(b)) else {
        return Err(give_up!());
    };
    for c in added {
        lo = CellRef::new(lo.row.min(c.row), lo.col.min(c.col));
        hi = CellRef::new(hi.row.max(c.row), hi.col.max(c.col));
    }
    tag.set("ref", &format!("{lo}:{hi}"));
    Ok(tag.write())
}

/// Walks `<sheetData>`.
struct Rows<'a, 'x, 's> {
    ev: &'a mut Events<'x>,
    splices: &'a mut Splices,
    styles: &'s mut Styles,
    geometry: &'a mut Geometry,
    col_styles: &'a BTreeMap<u32, u32>,
    added: &'a mut Vec<CellRef>,
}

/// The row being walked.
struct Row {
    index: u32,
    /// Its style, when it has one of its own (`customFormat`): new cells take it.
    style: Option<u32>,
}

impl Rows<'_, '_, '_> {
    fn run(&mut self, pending: &mut Pending<'_>) -> R<()> {
        let mut last_row: Option<u32> = None;
        loop {
            let (e, empty, range) = match self.ev.element()? {
                Element::Open { tag, empty, range } => (tag, empty, range),
                Element::Close(range) => {
                    // </sheetData>: rows after the last one.
                    let new = self.new_rows(pending, None)?;
                    if !new.is_empty() {
                        self.splices.insert(range.start, new);
                    }
                    return Ok(());
                }
            };
            if e.name().as_ref() != "row" {
                if !empty {
                    self.ev.skip_element(&e)?;
                }
                continue;
            }
            let num = |key: &str| raw_attr(&e, key).and_then(|v| v.parse::<f64>().ok());
            let flag = |key: &str| raw_attr(&e, key).is_some_and(|v| v == "1" || v == "true");
            let index = raw_attr(&e, "r")
                .and_then(|r| r.parse::<u32>().ok())
                .and_then(|r| r.checked_sub(1))
                .ok_or(give_up!())?;
            if last_row.is_some_and(|l| l >= index) {
                return Err(give_up!());
            }
            last_row = Some(index);
            if let Some(h) = num("ht") {
                self.geometry.rows.insert(index, height_px(h));
            }
            if flag("hidden") {
                self.geometry.rows.insert(index, 0);
            }
            let new = self.new_rows(pending, Some(index))?;
            if !new.is_empty() {
                self.splices.insert(range.start, new);
            }
            let edited = pending.peek().is_some_and(|(at, _)| at.row == index);
            if !edited {
                // Nothing changes in this row: past it without reading its cells.
                if !empty && !self.ev.skip_past("</row>") {
                    self.ev.skip_element(&e)?;
                }
                continue;
            }
            let row = Row {
                index,
                style: num("s").filter(|_| flag("customFormat")).map(|s| s as u32),
            };
            let tag = Tag::parse(&e, empty)?;
            if empty {
                let cells = self.new_cells(pending, &row, None)?;
                let mut open = tag;
                open.empty = false;
                open.remove("spans");
                self.splices
                    .replace(range, format!("{}{cells}</row>", open.write()));
                continue;
            }
            self.cells(pending, &row, tag, range)?;
        }
    }

    /// Walks one row's cells, up to its end tag.
    fn cells(
        &mut self,
        pending: &mut Pending<'_>,
        row: &Row,
        tag: Tag,
        tag_range: Range<usize>,
    ) -> R<()> {
        let mut inserted = false;
        let mut last_col: Option<u32> = None;
        loop {
            let (e, empty, range) = match self.ev.element()? {
                Element::Open { tag, empty, range } => (tag, empty, range),
                Element::Close(range) => {
                    let cells = self.new_cells(pending, row, None)?;
                    if !cells.is_empty() {
                        self.splices.insert(range.start, cells);
                        inserted = true;
                    }
                    break;
                }
            };
            if e.name().as_ref() != "c" {
                if !empty {
                    self.ev.skip_element(&e)?;
                }
                continue;
            }
            let at = raw_attr(&e, "r")
                .and_then(|r| CellRef::parse(&r))
                .ok_or(give_up!())?;
            if at.row != row.index || last_col.is_some_and(|c| c >= at.col) {
                return Err(give_up!());
            }
            last_col = Some(at.col);
            let before = self.new_cells(pending, row, Some(at.col))?;
            if !before.is_empty() {
                self.splices.insert(range.start, before);
                inserted = true;
            }
            match pending.next_if(|(p, _)| **p == at) {
                Some((_, edit)) => self.edit_cell(Tag::parse(&e, empty)?, range, edit)?,
                None if !empty => {
                    self.ev.skip_element(&e)?;
                }
                None => {}
            }
        }
        if inserted && tag.get("spans").is_some() {
            // The row's column span hint no longer covers its cells.
            let mut open = tag;
            open.remove("spans");
            self.splices.replace(tag_range, open.write());
        }
        Ok(())
    }

    /// Rewrites an existing cell.
    fn edit_cell(&mut self, mut cell: Tag, range: Range<usize>, edit: &Edit) -> R<()> {
        let style: u32 = match cell.text("s") {
            Some(s) => s.parse().map_err(|_| give_up!())?,
            None => 0,
        };
        // The cell's children: a formula, a value, an inline string.
        let mut formula: Option<(Tag, Range<usize>)> = None;
        let mut end = range.end;
        if !cell.empty {
            loop {
                let (child, child_empty, r) = match self.ev.element()? {
                    Element::Open { tag, empty, range } => (tag, empty, range),
                    Element::Close(r) => {
                        end = r.end;
                        break;
                    }
                };
                let child_end = if child_empty {
                    r.end
                } else {
                    self.ev.skip_element(&child)?
                };
                match child.name().as_ref() {
                    "f" => formula = Some((Tag::parse(&child, child_empty)?, r.start..child_end)),
                    "v" | "is" | "extLst" => {}
                    _ => return Err(give_up!()),
                }
            }
        }
        let whole = range.start..end;
        match edit {
            Edit::Number { .. } | Edit::Text(_) => {
                if let Some((f, _)) = &formula {
                    // The first cell of a shared formula, an array or a data table formula:
                    // the cells that depend on it would lose their formula.
                    let t = f.text("t");
                    if t.as_deref() == Some("shared") && f.get("ref").is_some()
                        || matches!(t.as_deref(), Some("array" | "dataTable"))
                    {
                        return Err(give_up!());
                    }
                }
                let at = cell.text("r").ok_or(give_up!())?;
                let new = self.value_cell(&at, style, edit)?;
                self.splices.replace(whole, new);
            }
            Edit::Mark(mark) => {
                let s = self.styles.marked(style, *mark, NumFmt::Keep);
                cell.set("s", &s.to_string());
                self.splices.replace(range, cell.write());
            }
            Edit::Cache(value) => {
                let Some((_, f_range)) = formula else {
                    return Ok(());
                };
                let f_text = self.ev.slice(f_range)?;
                cell.remove("t");
                cell.empty = false;
                let v = value
                    .as_ref()
                    .map(|v| format!("<v>{}</v>", escape(v)))
                    .unwrap_or_default();
                self.splices
                    .replace(whole, format!("{}{f_text}{v}</c>", cell.write()));
            }
        }
        Ok(())
    }

    /// A cell holding a corrected value.
    fn value_cell(&mut self, at: &str, style: u32, edit: &Edit) -> R<String> {
        let number = |value: &str, formula: &Option<String>| match formula {
            Some(f) => format!("<f>{}</f><v>{}</v>", escape(f), escape(value)),
            None => format!("<v>{}</v>", escape(value)),
        };
        let (num, body, t) = match edit {
            Edit::Number {
                value,
                percent_format: true,
                formula,
            } => (NumFmt::Percent, number(value, formula), ""),
            Edit::Number { value, formula, .. } => {
                let num = if self.styles.is_percent(style) {
                    NumFmt::General
                } else {
                    NumFmt::Keep
                };
                (num, number(value, formula), "")
            }
            Edit::Text(text) => (
                NumFmt::Keep,
                format!("<is>{}</is>", t_element(text)),
                " t=\"inlineStr\"",
            ),
            Edit::Mark(_) | Edit::Cache(_) => return Err(give_up!()),
        };
        let s = self.styles.marked(style, Mark::Fixed, num);
        Ok(format!("<c r=\"{}\" s=\"{s}\"{t}>{body}</c>", escape(at)))
    }

    /// New cells for the edits of `row` before column `before` (all of them without it).
    fn new_cells(
        &mut self,
        pending: &mut Pending<'_>,
        row: &Row,
        before: Option<u32>,
    ) -> R<String> {
        let mut out = String::new();
        while let Some((at, edit)) =
            pending.next_if(|(p, _)| p.row == row.index && before.is_none_or(|b| p.col < b))
        {
            let style = row
                .style
                .or_else(|| self.col_styles.get(&at.col).copied())
                .unwrap_or(0);
            match edit {
                Edit::Number { .. } | Edit::Text(_) => {
                    out.push_str(&self.value_cell(&at.to_string(), style, edit)?);
                }
                Edit::Mark(mark) => {
                    let s = self.styles.marked(style, *mark, NumFmt::Keep);
                    out.push_str(&format!("<c r=\"{at}\" s=\"{s}\"/>"));
                }
                // No cell, no formula.
                Edit::Cache(_) => continue,
            }
            self.added.push(*at);
        }
        Ok(out)
    }

    /// New rows for the edits before row `before` (all of them without it).
    fn new_rows(&mut self, pending: &mut Pending<'_>, before: Option<u32>) -> R<String> {
        let mut out = String::new();
        while let Some(&(at, _)) = pending.peek() {
            if before.is_some_and(|b| at.row >= b) {
                break;
            }
            let row = Row {
                index: at.row,
                style: None,
            };
            let cells = self.new_cells(pending, &row, None)?;
            if !cells.is_empty() {
                out.push_str(&format!("<row r=\"{}\">{cells}</row>", at.row + 1));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
