//! A 自评报告 as a Word document (.docx): its narrative paragraphs in document order, and each
//! of its tables as a sheet named "表N" on the table's own grid (row 1 = its first row; a cell
//! that spans columns (`w:gridSpan`) or rows (`w:vMerge`) a merged range at its grid position),
//! so that a 自评表 carried as a Word table is found and checked like one in a workbook.
//!
//! Read as a reader of the printed page sees it: inserted text (`w:ins`) kept and deleted text
//! (`w:del`, `w:moveFrom`) dropped, a field's result taken and its code (`w:instrText`) not,
//! a heading told by its style's outline level or name, a list item by its numbering. Text
//! boxes, footnotes and endnotes, and tables nested in a table cell are not read into the
//! narrative; the document says which it passed over ([`Document::skipped`]).
//!
//! On the project's own zip and quick-xml: a .docx is a zip of XML parts like an .xlsx, the
//! container guard already bounds it, and the few elements a narrative needs are a small state
//! machine. The crates that read .docx (docx-rs, docx-rust) build the whole object model of
//! every run's formatting, and none keeps the grid position of merged cells. Every paragraph
//! and cell is charged against the limits every format keeps ([`MAX_DOCX_PARAGRAPHS`], the
//! cell and text budget).

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::error::InputError;
use crate::grid::{CellRef, Document, Merge, ParaKind, Paragraph, Sheet, document};
use crate::limits::{
    MAX_CELL_BYTES, MAX_DOCX_GRIDSPAN, MAX_DOCX_PARAGRAPHS, MAX_EXCEL_COLS, MAX_EXCEL_ROWS,
    MAX_MERGED_CELLS, MAX_PART_BYTES,
};
use crate::ooxml::xml::attr;

use super::format::{Marks, Raw, WriteBack};
use super::guard::{Zip, ZipFacts};
use super::markup::{Budget, cell_from_text};
use super::{FileKind, ReadBy, ReadOptions};

mod scan;

/// The main document part when the package relationships name none.
const DOCUMENT_PART: &str = "word/document.xml";

/// Reads a Word document's narrative and tables.
pub(super) fn read(
    bytes: &[u8],
    facts: &ZipFacts,
    zip: &mut Zip<'_>,
    marks: Marks,
    opts: ReadOptions,
) -> Result<Raw, InputError> {
    let part = facts
        .office_document
        .as_deref()
        .map(|t| t.trim_start_matches('/').to_string())
        .filter(|t| t.ends_with(".xml") && facts.names.iter().any(|n| n == t))
        .unwrap_or_else(|| DOCUMENT_PART.to_string());
    // The container guard decompressed the part the package relationships name already (as a
    // workbook part): taken from there rather than decompressed twice.
    let headings = match part_bytes(zip, bytes, "word/styles.xml")? {
        Some(styles) => heading_styles(&styles),
        None => HashMap::new(),
    };
    let xml = part_bytes(zip, bytes, &part)?
        .ok_or_else(|| InputError::NoWorkbook("Word 文档中没有正文（word/document.xml）".into()))?;
    let (mut document, sheets) = parse(&xml, &headings)?;
    for (name, what) in [
        ("word/footnotes.xml", "脚注"),
        ("word/endnotes.xml", "尾注"),
    ] {
        if let Some(notes) = part_bytes(zip, bytes, name)?
            && has_real_notes(&notes)
        {
            document.skipped.push(what);
        }
    }
    Ok(Raw {
        kind: FileKind::Docx,
        sheets,
        looks: Vec::new(),
        properties: None,
        not_kept: Vec::new(),
        // The reviewed copy is the same package with comments added: kept when correcting.
        kept: (opts.purpose != super::Purpose::Check).then(super::format::KeptPackage::default),
        read_by: ReadBy::own("docx"),
        marks,
        placeholder_zero: false,
        write_back: WriteBack::Report,
        document: Some(document),
    })
}

/// A part's bytes, None when the package has no such part.
fn part_bytes(zip: &mut Zip<'_>, bytes: &[u8], name: &str) -> Result<Option<Vec<u8>>, InputError> {
    let Some(index) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    if crate::ooxml::unzip::entry_into(zip, bytes, index, &mut out) {
        return Ok(Some(out));
    }
    // Not the plain case: through the zip crate, whose errors say what is wrong.
    use std::io::Read;
    out.clear();
    let part = zip
        .by_index(index)
        .map_err(|e| InputError::CorruptZip(e.to_string()))?;
    part.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| InputError::CorruptZip(format!("{name}：{e}")))?;
    if out.len() as u64 > MAX_PART_BYTES {
        return Err(InputError::TooLarge(format!(
            "{name} 解压后超过 {} MB",
            MAX_PART_BYTES >> 20
        )));
    }
    Ok(Some(out))
}

/// The paragraph styles that are headings, with their outline level (1 = top): by the style's
/// `w:outlineLvl`, or by its name ("heading 2", "标题 2", "Title").
fn heading_styles(xml: &[u8]) -> HashMap<String, u8> {
    let mut out = HashMap::new();
    let mut r = Reader::from_reader(xml);
    let mut current: Option<String> = None;
    let mut level: Option<u8> = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "style" => {
                    current = attr(&e, "styleId");
                    level = None;
                }
                "outlineLvl" => {
                    level = attr(&e, "val")
                        .and_then(|v| v.parse::<u8>().ok())
                        .filter(|l| *l < 9)
                        .map(|l| l + 1);
                }
                "name" => {
                    if let Some(name) = attr(&e, "val") {
                        let lower = name.to_lowercase();
                        let tail = lower
                            .strip_prefix("heading")
                            .or_else(|| lower.strip_prefix("标题"))
                            .map(str::trim);
                        if let Some(n) = tail.and_then(|t| t.parse::<u8>().ok()) {
                            level = level.or(Some(n.clamp(1, 9)));
                        } else if lower == "title" || lower == "标题" {
                            level = level.or(Some(1));
                        }
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                if let (Some(id), Some(l)) = (current.take(), level.take()) {
                    out.insert(id, l);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// Whether a footnotes or endnotes part holds a note with text (Word writes two separator
/// notes into every one).
fn has_real_notes(xml: &[u8]) -> bool {
    let mut r = Reader::from_reader(xml);
    let mut in_note = false;
    let mut separator = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if matches!(e.local_name().as_ref(), "footnote" | "endnote") => {
                in_note = true;
                separator = attr(&e, "type").is_some_and(|t| t != "normal");
            }
            Ok(Event::End(e)) if matches!(e.local_name().as_ref(), "footnote" | "endnote") => {
                in_note = false;
            }
            Ok(Event::Text(t))
                if in_note && !separator && !AsRef::<str>::as_ref(&t).trim().is_empty() =>
            {
                return true;
            }
            Ok(Event::Eof) | Err(_) => return false,
            _ => {}
        }
    }
}

/// How a cell continues a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

/// A table cell being read.
struct Tc {
    span: u32,
    vmerge: VMerge,
    text: String,
}

/// A top-level table being read: its rows of cells, and the leading grid columns each row
/// skips (`w:gridBefore`).
#[derive(Default)]
struct Table {
    rows: Vec<(u32, Vec<Tc>)>,
}

/// The paragraph being read.
struct Para {
    text: String,
    style: Option<String>,
    outline: Option<u8>,
    list: bool,
}

/// The state of the walk through the document part.
struct Walk<'h> {
    headings: &'h HashMap<String, u8>,
    document: Document,
    sheets: Vec<Sheet>,
    budget: Budget,
    /// Text of paragraphs so far (counted against the same text limit as cells).
    text_bytes: usize,
    merged: u64,
    /// Nested tables: 1 inside the top-level table, more inside nested ones.
    tables: Vec<Table>,
    para: Option<Para>,
    /// Inside `w:t` (text is collected only there).
    in_t: bool,
    /// Depth inside deleted or moved-away content (not read).
    deleted: u32,
    /// Depth inside a text box or a markup-compatibility fallback (not read).
    aside: u32,
}

impl<'h> Walk<'h> {
    fn new(headings: &'h HashMap<String, u8>) -> Self {
        Walk {
            headings,
            document: Document::default(),
            sheets: Vec::new(),
            budget: Budget::default(),
            text_bytes: 0,
            merged: 0,
            tables: Vec::new(),
            para: None,
            in_t: false,
            deleted: 0,
            aside: 0,
        }
    }

    /// The document read: a table left open by a truncated part still counts.
    fn finish(mut self) -> Result<(Document, Vec<Sheet>), InputError> {
        while let Some(table) = self.tables.pop() {
            if self.tables.is_empty() {
                self.finish_table(table)?;
            }
        }
        Ok((self.document, self.sheets))
    }

    fn skipped(&mut self, what: &'static str) {
        if !self.document.skipped.contains(&what) {
            self.document.skipped.push(what);
        }
    }

    fn push_text(&mut self, s: &str) -> Result<(), InputError> {
        if self.deleted > 0 || self.aside > 0 {
            return Ok(());
        }
        if let Some(p) = self.para.as_mut() {
            p.text.push_str(s);
            self.text_bytes += s.len();
            if self.text_bytes > MAX_CELL_BYTES {
                return Err(super::guard::too_much_text(MAX_CELL_BYTES));
            }
        }
        Ok(())
    }

    fn end_paragraph(&mut self) -> Result<(), InputError> {
        let Some(p) = self.para.take() else {
            return Ok(());
        };
        if let Some(table) = self.tables.last_mut() {
            // A paragraph in a table cell is a line of the cell's text.
            if let Some(tc) = table.rows.last_mut().and_then(|(_, r)| r.last_mut()) {
                if !tc.text.is_empty() {
                    tc.text.push('\n');
                }
                tc.text.push_str(&p.text);
            }
            return Ok(());
        }
        let kind = match p
            .outline
            .or_else(|| p.style.as_ref().and_then(|s| self.headings.get(s).copied()))
        {
            Some(level) => ParaKind::Heading(level),
            None if p.list => ParaKind::ListItem,
            None => ParaKind::Body,
        };
        if self.document.paragraphs.len() >= MAX_DOCX_PARAGRAPHS {
            return Err(InputError::TooLarge(format!(
                "段落超过 {MAX_DOCX_PARAGRAPHS} 个"
            )));
        }
        self.document.paragraphs.push(Paragraph {
            text: p.text,
            kind,
            tables_before: self.document.tables,
        });
        Ok(())
    }

    /// A start (or empty) tag, by its local name; `val` gives its `w:val` attribute (the only
    /// one the walk reads), decoded.
    fn start(
        &mut self,
        name: &str,
        val: &dyn Fn() -> Option<String>,
        empty: bool,
    ) -> Result<(), InputError> {
        // What is not read is entered and left by depth; inside it, only its own nesting counts.
        if matches!(name, "del" | "moveFrom") {
            if !empty {
                self.deleted += 1;
            }
            return Ok(());
        }
        if matches!(name, "txbxContent" | "Fallback") {
            if name == "txbxContent" {
                self.skipped("文本框");
            }
            if !empty {
                self.aside += 1;
            }
            return Ok(());
        }
        if self.aside > 0 {
            return Ok(());
        }
        match name {
            "p" if !empty => {
                self.para = Some(Para {
                    text: String::new(),
                    style: None,
                    outline: None,
                    list: false,
                });
            }
            "pStyle" => {
                if let Some(p) = self.para.as_mut() {
                    p.style = val();
                }
            }
            "outlineLvl" => {
                if let Some(p) = self.para.as_mut() {
                    p.outline = val()
                        .and_then(|v| v.parse::<u8>().ok())
                        .filter(|l| *l < 9)
                        .map(|l| l + 1);
                }
            }
            "numPr" => {
                if let Some(p) = self.para.as_mut() {
                    p.list = true;
                }
            }
            "t" if !empty => self.in_t = true,
            "tab" if self.para.is_some() && !self.in_t => self.push_text("\t")?,
            "br" | "cr" => self.push_text("\n")?,
            "noBreakHyphen" => self.push_text("-")?,
            "tbl" if !empty => {
                if !self.tables.is_empty() {
                    self.skipped("表格中嵌套的表格");
                }
                self.tables.push(Table::default());
            }
            "tr" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push((0, Vec::new()));
                }
            }
            "gridBefore" => {
                let n = val().and_then(|v| v.parse::<u32>().ok());
                if let (Some(t), Some(n)) = (self.tables.last_mut(), n)
                    && let Some((before, cells)) = t.rows.last_mut()
                    && cells.is_empty()
                {
                    *before = n.min(MAX_DOCX_GRIDSPAN);
                }
            }
            "tc" if !empty => {
                if let Some((_, cells)) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    cells.push(Tc {
                        span: 1,
                        vmerge: VMerge::None,
                        text: String::new(),
                    });
                }
            }
            "gridSpan" => {
                let n = val().and_then(|v| v.parse::<u32>().ok());
                if let Some(tc) = self.current_tc() {
                    tc.span = n.unwrap_or(1).clamp(1, MAX_DOCX_GRIDSPAN);
                }
            }
            "vMerge" => {
                let restart = val().is_some_and(|v| v == "restart");
                if let Some(tc) = self.current_tc() {
                    tc.vmerge = if restart {
                        VMerge::Restart
                    } else {
                        VMerge::Continue
                    };
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The cell being read, when its properties are (not inside a paragraph of it).
    fn current_tc(&mut self) -> Option<&mut Tc> {
        if self.para.is_some() {
            return None;
        }
        self.tables
            .last_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|(_, r)| r.last_mut())
    }

    fn end(&mut self, name: &str) -> Result<(), InputError> {
        if matches!(name, "del" | "moveFrom") {
            self.deleted = self.deleted.saturating_sub(1);
            return Ok(());
        }
        if matches!(name, "txbxContent" | "Fallback") {
            self.aside = self.aside.saturating_sub(1);
            return Ok(());
        }
        if self.aside > 0 {
            return Ok(());
        }
        match name {
            "t" => self.in_t = false,
            "p" => self.end_paragraph()?,
            "tbl" => {
                if let Some(table) = self.tables.pop() {
                    match self.tables.last_mut() {
                        // A nested table's text goes into the enclosing cell, row by row.
                        Some(outer) => {
                            if let Some(tc) = outer.rows.last_mut().and_then(|(_, r)| r.last_mut())
                            {
                                for (_, row) in &table.rows {
                                    let line: Vec<&str> =
                                        row.iter().map(|c| c.text.as_str()).collect();
                                    if !tc.text.is_empty() {
                                        tc.text.push('\n');
                                    }
                                    tc.text.push_str(&line.join(" "));
                                }
                            }
                        }
                        None => self.finish_table(table)?,
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A top-level table becomes the sheet "表N".
    fn finish_table(&mut self, table: Table) -> Result<(), InputError> {
        self.document.tables += 1;
        let mut sheet = Sheet {
            name: document::table_sheet_name(self.document.tables),
            cells: Default::default(),
            merges: Vec::new(),
            formats_known: true,
            merge_rows: Default::default(),
        };
        // Vertical merges still open, by first grid column: (first row, span).
        let mut open: HashMap<u32, (u32, u32, u32)> = HashMap::new();
        let mut merges: Vec<Merge> = Vec::new();
        for (r, (before, cells)) in table.rows.into_iter().enumerate() {
            let r = r as u32;
            if r >= MAX_EXCEL_ROWS {
                return Err(InputError::BeyondGrid(format!(
                    "Word 表格{}超过 {MAX_EXCEL_ROWS} 行",
                    self.document.tables
                )));
            }
            let mut col = before;
            let mut continued: Vec<u32> = Vec::new();
            for tc in cells {
                if col.saturating_add(tc.span) > MAX_EXCEL_COLS {
                    return Err(InputError::BeyondGrid(format!(
                        "Word 表格{}超过 {MAX_EXCEL_COLS} 列",
                        self.document.tables
                    )));
                }
                match tc.vmerge {
                    VMerge::Continue if open.contains_key(&col) => {
                        if let Some(m) = open.get_mut(&col) {
                            m.2 = r;
                        }
                        continued.push(col);
                    }
                    _ => {
                        let text = tc.text.trim();
                        if let Some(cell) = cell_from_text(text) {
                            self.budget.charge(&cell)?;
                            sheet.cells.insert(CellRef::new(r, col), cell);
                        }
                        if tc.vmerge == VMerge::Restart {
                            open.insert(col, (r, tc.span, r));
                            continued.push(col);
                        } else if tc.span > 1 {
                            merges.push(Merge {
                                first: CellRef::new(r, col),
                                last: CellRef::new(r, col + tc.span - 1),
                            });
                        }
                    }
                }
                col += tc.span;
            }
            // A vertical merge not continued in this row ends above it.
            let ended: Vec<u32> = open
                .keys()
                .copied()
                .filter(|c| !continued.contains(c))
                .collect();
            for c in ended {
                if let Some((first, span, last)) = open.remove(&c) {
                    merges.push(Self::merge(first, c, span, last));
                }
            }
        }
        merges.extend(
            open.into_iter()
                .map(|(c, (first, span, last))| Self::merge(first, c, span, last)),
        );
        merges.retain(|m| m.first != m.last);
        merges.sort_by_key(|m| (m.first.row, m.first.col));
        for m in &merges {
            self.merged +=
                u64::from(m.last.row - m.first.row + 1) * u64::from(m.last.col - m.first.col + 1);
        }
        if self.merged > MAX_MERGED_CELLS {
            return Err(InputError::TooLarge(format!(
                "合并单元格合计超过 {MAX_MERGED_CELLS} 个"
            )));
        }
        sheet.merges = merges;
        self.sheets.push(sheet);
        Ok(())
    }

    fn merge(first: u32, col: u32, span: u32, last: u32) -> Merge {
        Merge {
            first: CellRef::new(first, col),
            last: CellRef::new(last, col + span - 1),
        }
    }
}

/// Reads the document part: the narrative and the tables as sheets.
pub(crate) fn parse(
    xml: &[u8],
    headings: &HashMap<String, u8>,
) -> Result<(Document, Vec<Sheet>), InputError> {
    // The byte scanner reads what Word and WPS write; it gives the part to quick-xml on
    // anything else (a declaration it does not know, a tag it cannot close), whose reading is
    // the reference (`tests`: the two agree on every part the scanner takes).
    match scan::parse(xml, Walk::new(headings)) {
        Some(read) => read,
        None => parse_quick(xml, headings),
    }
}

/// [`parse`] with quick-xml's events.
pub(crate) fn parse_quick(
    xml: &[u8],
    headings: &HashMap<String, u8>,
) -> Result<(Document, Vec<Sheet>), InputError> {
    let mut walk = Walk::new(headings);
    let mut r = Reader::from_reader(xml);
    let mut depth = 0usize;
    loop {
        let event = r
            .read_event()
            .map_err(|e| InputError::Corrupt(format!("Word 文档正文无法解析：{e}")))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > crate::limits::MAX_DEPTH {
                    return Err(too_deep());
                }
                walk.start(e.local_name().as_ref(), &|| attr(&e, "val"), false)?;
            }
            Event::Empty(e) => walk.start(e.local_name().as_ref(), &|| attr(&e, "val"), true)?,
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                walk.end(e.local_name().as_ref())?;
            }
            Event::Text(t) if walk.in_t => {
                walk.push_text(&t.into_inner())?;
            }
            Event::GeneralRef(g) if walk.in_t => walk.push_text(&entity(&g))?,
            Event::CData(t) if walk.in_t => {
                let raw: &str = t.as_ref();
                walk.push_text(raw)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    walk.finish()
}

fn too_deep() -> InputError {
    InputError::TooLarge(format!(
        "Word 文档正文嵌套超过 {} 层",
        crate::limits::MAX_DEPTH
    ))
}

/// The text of an entity or character reference (`amp`, `#x4E00`); an unknown one as written.
fn entity(name: &str) -> String {
    let c = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => name
            .strip_prefix("#x")
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32),
    };
    c.map_or_else(|| format!("&{name};"), String::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::CellValue;

    fn doc(body: &str) -> (Document, Vec<Sheet>) {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        let mut headings = HashMap::new();
        headings.insert("1".to_string(), 1u8);
        parse(xml.as_bytes(), &headings).expect("parses")
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn inserted_text_is_kept_deleted_text_dropped_and_a_fields_result_taken() {
        let (d, _) = doc(concat!(
            r#"<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>一、基本概况</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t xml:space="preserve">执行率为 </w:t></w:r>"#,
            r#"<w:del><w:r><w:delText>98.00</w:delText></w:r></w:del>"#,
            r#"<w:ins><w:r><w:t>99.63</w:t></w:r></w:ins>"#,
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>%</w:t></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>&amp;</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/></w:numPr></w:pPr><w:r><w:t>（1）项目</w:t></w:r></w:p>"#,
        ));
        assert_eq!(d.paragraphs.len(), 3);
        assert_eq!(d.paragraphs[0].kind, ParaKind::Heading(1));
        assert_eq!(d.paragraphs[1].text, "执行率为 99.63%&");
        assert_eq!(d.paragraphs[1].kind, ParaKind::Body);
        assert_eq!(d.paragraphs[2].kind, ParaKind::ListItem);
        assert!(d.skipped.is_empty());
    }

    #[test]
    fn a_text_box_is_named_as_skipped_not_run_into_its_paragraph() {
        let (d, _) = doc(concat!(
            r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:pict><v:shape xmlns:v="urn:v"><v:textbox><w:txbxContent>"#,
            r#"<w:p><w:r><w:t>框内 100 万元</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"#,
        ));
        assert_eq!(d.paragraphs.len(), 1);
        assert_eq!(d.paragraphs[0].text, "正文");
        assert_eq!(d.skipped, ["文本框"]);
    }

    #[test]
    fn a_table_is_a_sheet_on_its_grid_with_spans_and_vertical_merges() {
        let tc =
            |text: &str, props: &str| format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text));
        let body = format!(
            "{}<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>{}",
            p("前"),
            tc("部门资金（万元）", r#"<w:vMerge w:val="restart"/>"#),
            tc("资金来源", r#"<w:gridSpan w:val="2"/>"#),
            tc("", "<w:vMerge/>"),
            tc("年度总资金", ""),
            tc("1,852.18", ""),
            tc("", "<w:vMerge/>"),
            tc("执行率", ""),
            tc("99.63%", ""),
            p("后"),
        );
        let (d, sheets) = doc(&body);
        assert_eq!(d.tables, 1);
        assert_eq!(d.paragraphs.len(), 2);
        assert_eq!(d.paragraphs[1].tables_before, 1);
        let s = &sheets[0];
        assert_eq!(s.name, "表1");
        assert_eq!(s.text(CellRef::new(0, 0)), "部门资金（万元）");
        assert_eq!(s.text(CellRef::new(0, 1)), "资金来源");
        assert_eq!(s.text(CellRef::new(1, 1)), "年度总资金");
        let c = &s.cells[&CellRef::new(1, 2)];
        assert_eq!(c.value, CellValue::Number(1852.18));
        assert_eq!(c.num_fmt.as_deref(), Some("#,##0.00"));
        assert_eq!(
            s.cells[&CellRef::new(2, 2)].value,
            CellValue::Number(0.9963)
        );
        let merges: Vec<String> = s
            .merges
            .iter()
            .map(|m| format!("{}:{}", m.first, m.last))
            .collect();
        assert_eq!(merges, ["A1:A3", "B1:C1"]);
    }

    #[test]
    fn a_span_past_the_limit_is_read_as_the_limit() {
        let (_, sheets) = doc(concat!(
            r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="5000"/></w:tcPr><w:p><w:r><w:t>宽</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:p><w:r><w:t>后</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#
        ));
        let s = &sheets[0];
        assert_eq!(MAX_DOCX_GRIDSPAN, 1000);
        assert_eq!(
            (s.merges[0].first.to_string(), s.merges[0].last.to_string()),
            ("A1".to_string(), "ALL1".to_string())
        );
        assert_eq!(s.text(CellRef::new(0, 1000)), "后");
    }

    #[test]
    fn a_truncated_part_is_a_clear_error_not_a_panic() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>半"#;
        let read = parse(xml.as_bytes(), &HashMap::new());
        assert!(read.is_ok() || matches!(read, Err(InputError::Corrupt(_))));
    }
}
