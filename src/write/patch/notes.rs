//! zpcheck's notes (批注) in a patched .xlsx. A note is two things in the package: its text in
//! the sheet's comments part, and a hidden box in the sheet's VML drawing that Excel, WPS and
//! LibreOffice show when the cell is pointed at.
//!
//! A sheet without notes gets both parts new. A sheet with notes keeps all of them: ours are
//! added beside, a note zpcheck wrote on an earlier run at the same cell is replaced, and a
//! cell that already holds someone else's note keeps it (the finding is still highlighted and
//! listed on the 核查结果 sheet). VML is edited as text: the files Excel writes are not always
//! well-formed XML.

use std::collections::HashSet;
use std::ops::Range;

use quick_xml::events::Event;

use super::sheet::{Geometry, MAIN};
use super::xml::{Events, Splices, Tag, escape, t_element};
use crate::grid::CellRef;
use crate::ooxml::{R, give_up};
use crate::write::{NOTE_AUTHOR, NOTE_SIZE};

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::Notes;

/// One note to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Note {
    pub cell: CellRef,
    pub text: String,
}

fn comment(note: &Note, author: usize) -> String {
    let font = "<sz val=\"9\"/><color indexed=\"81\"/><rFont val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/>";
    format!(
        "<comment ref=\"{}\" authorId=\"{author}\"><text><r><rPr><b/>{font}</rPr><t>{}:</t></r><r><rPr>{font}</rPr>{}</r></text></comment>",
        note.cell,
        escape(NOTE_AUTHOR),
        t_element(&format!("\n{}", note.text))
    )
}

/// A comments part holding only zpcheck's notes.
pub(super) fn new_comments(notes: &[Note]) -> String {
    let list: String = notes.iter().map(|n| comment(n, 0)).collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"{MAIN}\"><authors><author>{}</author></authors><commentList>{list}</commentList></comments>",
        escape(NOTE_AUTHOR)
    )
}

/// An existing comments part with zpcheck's notes merged in.
pub(super) struct Merged {
    pub xml: String,
    /// The notes written (those at cells holding someone else's note are not).
    pub written: Vec<Note>,
    /// Cells whose earlier zpcheck note was replaced: their old boxes go.
    pub replaced: Vec<CellRef>,
}

/// Merges notes into an existing comments part.
pub(super) fn merge_comments(xml: &str, notes: &[Note]) -> R<Merged> {
    let mut ev = Events::new(xml);
    let mut authors: Vec<String> = Vec::new();
    let mut authors_end: Option<usize> = None;
    let mut authors_empty: Option<Range<usize>> = None;
    let mut list_end: Option<usize> = None;
    let mut list_empty: Option<Range<usize>> = None;
    // Existing comments: cell, author index, where.
    let mut existing: Vec<(CellRef, Option<usize>, Range<usize>)> = Vec::new();
    let mut depth = 0usize;
    loop {
        let (event, range) = ev.next()?;
        match event {
            Event::Start(e) if depth == 0 => {
                let root = Tag::parse(&e, false)?;
                if root.name != "comments" || root.get("xmlns") != Some(MAIN) {
                    return Err(give_up!());
                }
                depth = 1;
            }
            Event::Start(e) if depth == 1 => match e.name().as_ref() {
                "authors" => depth = 2,
                "commentList" => depth = 3,
                _ => {
                    ev.skip_element(&e)?;
                }
            },
            Event::Empty(e) if depth == 1 => match e.name().as_ref() {
                "authors" => authors_empty = Some(range),
                "commentList" => list_empty = Some(range),
                _ => {}
            },
            Event::Start(e) if depth == 2 && e.name().as_ref() == "author" => {
                let end = ev.skip_element(&e)?;
                let inner = &xml[range.end..end];
                let text = inner.rsplit_once("</").map_or("", |(t, _)| t);
                authors.push(
                    quick_xml::escape::unescape(text)
                        .map_err(|_| give_up!())?
                        .into_owned(),
                );
            }
            Event::Empty(e) if depth == 2 && e.name().as_ref() == "author" => {
                authors.push(String::new());
            }
            Event::Start(e) if depth == 3 && e.name().as_ref() == "comment" => {
                let t = Tag::parse(&e, false)?;
                let end = ev.skip_element(&e)?;
                let cell = t.text("ref").and_then(|r| CellRef::parse(&r));
                let author = t.text("authorId").and_then(|a| a.parse().ok());
                if let Some(cell) = cell {
                    existing.push((cell, author, range.start..end));
                }
            }
            Event::Start(e) => {
                ev.skip_element(&e)?;
            }
            Event::End(_) => {
                match depth {
                    2 => authors_end = Some(range.start),
                    3 => list_end = Some(range.start),
                    _ => {}
                }
                depth = match depth {
                    2 | 3 => 1,
                    d => d.saturating_sub(1),
                };
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut splices = Splices::default();
    let ours = match authors.iter().position(|a| a == NOTE_AUTHOR) {
        Some(i) => i,
        None => {
            let author = format!("<author>{}</author>", escape(NOTE_AUTHOR));
            match (authors_end, authors_empty) {
                (Some(at), _) => splices.insert(at, author),
                (None, Some(range)) => {
                    splices.replace(range, format!("<authors>{author}</authors>"))
                }
                _ => return Err(give_up!()),
            }
            authors.len()
        }
    };
    let mut written = Vec::new();
    let mut replaced = Vec::new();
    for note in notes {
        match existing.iter().find(|(c, _, _)| *c == note.cell) {
            Some((_, author, range)) if *author == Some(ours) && ours < authors.len() => {
                splices.replace(range.clone(), String::new());
                replaced.push(note.cell);
                written.push(note.clone());
            }
            Some(_) => {}
            None => written.push(note.clone()),
        }
    }
    let added: String = written.iter().map(|n| comment(n, ours)).collect();
    match (list_end, list_empty) {
        (Some(at), _) => splices.insert(at, added),
        (None, Some(range)) => {
            splices.replace(range, format!("<commentList>{added}</commentList>"))
        }
        _ => return Err(give_up!()),
    }
    Ok(Merged {
        xml: splices.apply(xml)?,
        written,
        replaced,
    })
}

const VML_NS: [(&str, &str); 3] = [
    ("v", "urn:schemas-microsoft-com:vml"),
    ("o", "urn:schemas-microsoft-com:office:office"),
    ("x", "urn:schemas-microsoft-com:office:excel"),
];

const SHAPETYPE: &str = "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>";

/// A VML drawing holding only zpcheck's notes; `block` is its shape id block (unique in the
/// workbook: shape ids are block × 1024 + n).
pub(super) fn new_vml(notes: &[Note], geometry: &Geometry, block: u32) -> String {
    let ns: String = VML_NS
        .iter()
        .map(|(p, u)| format!(" xmlns:{p}=\"{u}\""))
        .collect();
    let shapes: String = notes
        .iter()
        .enumerate()
        .map(|(i, n)| shape(n.cell, geometry, block * 1024 + 1 + i as u32, i + 1))
        .collect();
    format!(
        "<xml{ns}><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{block}\"/></o:shapelayout>{SHAPETYPE}{shapes}</xml>"
    )
}

/// The shape id blocks a VML drawing claims (`<o:idmap data="1,3"/>`).
pub(super) fn id_blocks(vml: &str) -> Vec<u32> {
    let mut blocks = Vec::new();
    let mut rest = vml;
    while let Some(at) = rest.find("o:idmap") {
        rest = &rest[at..];
        if let Some(d) = rest.find("data=\"") {
            let value = &rest[d + 6..];
            let value = &value[..value.find('"').unwrap_or(0)];
            blocks.extend(
                value
                    .split(',')
                    .filter_map(|b| b.trim().parse::<u32>().ok()),
            );
        }
        rest = &rest[7..];
    }
    blocks
}

/// An existing VML drawing with the boxes of replaced notes taken out and boxes for `notes`
/// added.
pub(super) fn merge_vml(
    vml: &str,
    notes: &[Note],
    replaced: &[CellRef],
    geometry: &Geometry,
) -> R<String> {
    // The namespaces the added boxes use must be those of the drawing.
    let head_end = vml.find('>').ok_or(give_up!())?;
    let head = &vml[..head_end];
    if !head.trim_start().starts_with("<xml")
        || VML_NS
            .iter()
            .any(|(p, u)| !head.contains(&format!("xmlns:{p}=\"{u}\"")))
    {
        return Err(give_up!());
    }
    let end = vml.rfind("</xml>").ok_or(give_up!())?;
    let mut splices = Splices::default();
    let gone: HashSet<CellRef> = replaced.iter().copied().collect();
    let mut max_id = 0u32;
    let mut z = 0usize;
    let mut at = 0;
    while let Some(i) = vml[at..].find("<v:shape ") {
        let start = at + i;
        let close = vml[start..].find("</v:shape>").ok_or(give_up!())? + start + 10;
        let block = &vml[start..close];
        let row = between(block, "<x:Row>", "</x:Row>").and_then(|v| v.trim().parse().ok());
        let col = between(block, "<x:Column>", "</x:Column>").and_then(|v| v.trim().parse().ok());
        if block.contains("ObjectType=\"Note\"")
            && let (Some(row), Some(col)) = (row, col)
            && gone.contains(&CellRef::new(row, col))
        {
            splices.replace(start..close, String::new());
        } else {
            // Ids and stacking order count the shapes that stay: a note replaced on every run
            // gets the same id every run, and correcting a corrected workbook again gives the
            // same bytes.
            if let Some(id) =
                between(block, "id=\"_x0000_s", "\"").and_then(|v| v.parse::<u32>().ok())
            {
                max_id = max_id.max(id);
            }
            z += 1;
        }
        at = close;
    }
    let first = match max_id {
        0 => id_blocks(vml).into_iter().min().unwrap_or(1) * 1024 + 1,
        n => n + 1,
    };
    let mut added = String::new();
    if !vml.contains("id=\"_x0000_t202\"") {
        added.push_str(SHAPETYPE);
    }
    for (i, n) in notes.iter().enumerate() {
        added.push_str(&shape(n.cell, geometry, first + i as u32, z + i + 1));
    }
    splices.insert(end, added);
    splices.apply(vml)
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let len = s[start..].find(close)?;
    Some(&s[start..start + len])
}

/// A note's hidden box: to the right of its cell and a row above, as Excel places one.
fn shape(cell: CellRef, g: &Geometry, id: u32, z: usize) -> String {
    let (anchor, left, top) = anchor(cell, g);
    let (w, h) = (f64::from(NOTE_SIZE.0) * 0.75, f64::from(NOTE_SIZE.1) * 0.75);
    format!(
        "<v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:{left}pt;margin-top:{top}pt;width:{w}pt;height:{h}pt;z-index:{z};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{}</x:Row><x:Column>{}</x:Column></x:ClientData></v:shape>",
        cell.row, cell.col
    )
}

/// The box's anchor (start column, x offset, start row, y offset, end column, x offset, end
/// row, y offset, in pixels within the cells) and its top-left corner in points.
fn anchor(cell: CellRef, g: &Geometry) -> (String, f64, f64) {
    const LAST_COL: u32 = 16_383;
    const LAST_ROW: u32 = 1_048_575;
    let mut col = (cell.col + 1).min(LAST_COL - 3);
    let mut row = cell.row.saturating_sub(1).min(LAST_ROW - 7);
    let (mut x1, mut y1) = (15u32, if cell.row == 0 { 2u32 } else { 10 });
    let x_abs = g.columns_before(col) + u64::from(x1);
    let y_abs = g.rows_before(row) + u64::from(y1);
    while col < LAST_COL && x1 >= g.column(col) {
        x1 -= g.column(col);
        col += 1;
    }
    while row < LAST_ROW && y1 >= g.row(row) {
        y1 -= g.row(row);
        row += 1;
    }
    let (mut col_end, mut row_end) = (col, row);
    let (mut x2, mut y2) = (NOTE_SIZE.0 + x1, NOTE_SIZE.1 + y1);
    while col_end < LAST_COL && x2 >= g.column(col_end) {
        x2 -= g.column(col_end);
        col_end += 1;
    }
    while row_end < LAST_ROW && y2 >= g.row(row_end) {
        y2 -= g.row(row_end);
        row_end += 1;
    }
    (
        format!("{col}, {x1}, {row}, {y1}, {col_end}, {x2}, {row_end}, {y2}"),
        x_abs as f64 * 0.75,
        y_abs as f64 * 0.75,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(a1: &str, text: &str) -> Note {
        Note {
            cell: CellRef::parse(a1).unwrap(),
            text: text.into(),
        }
    }

    #[test]
    fn boxes_sit_beside_their_cells_as_excel_places_them() {
        // rust_xlsxwriter's own placement of a 320 × 160 note at H15 with 64-pixel columns
        // and 20-pixel rows.
        let g = Geometry::default();
        let (a, left, top) = anchor(CellRef::parse("H15").unwrap(), &g);
        assert_eq!(a, "8, 15, 13, 10, 13, 15, 21, 10");
        assert_eq!(
            (left, top),
            ((8.0 * 64.0 + 15.0) * 0.75, (13.0 * 20.0 + 10.0) * 0.75)
        );
        let (a, _, _) = anchor(CellRef::parse("A1").unwrap(), &g);
        assert!(a.starts_with("1, 15, 0, 2,"), "{a}");
    }

    #[test]
    fn notes_merge_with_others_and_replace_our_own() {
        let xml = format!(
            "<?xml version=\"1.0\"?><comments xmlns=\"{MAIN}\"><authors><author>张三</author><author>zpcheck</author></authors><commentList><comment ref=\"B3\" authorId=\"0\"><text><t>请填写全称</t></text></comment><comment ref=\"H15\" authorId=\"1\"><text><t>旧</t></text></comment></commentList></comments>"
        );
        let notes = [note("H15", "新"), note("B3", "zp"), note("H18", "另一条")];
        let m = merge_comments(&xml, &notes).unwrap();
        assert!(
            m.xml.contains("请填写全称") && !m.xml.contains("<t>旧</t>"),
            "{}",
            m.xml
        );
        assert_eq!(m.replaced, vec![CellRef::parse("H15").unwrap()]);
        assert_eq!(
            m.written
                .iter()
                .map(|n| n.cell.to_string())
                .collect::<Vec<_>>(),
            ["H15", "H18"]
        );
        assert_eq!(m.xml.matches("authorId=\"1\"").count(), 2);
        assert_eq!(m.xml.matches("<author>").count(), 2);
        // A part without our author gets it at the end of the list.
        let theirs = xml.replace("<author>zpcheck</author>", "");
        let m = merge_comments(&theirs, &notes[2..]).unwrap();
        assert!(
            m.xml
                .contains("<author>张三</author><author>zpcheck</author>")
        );
        assert!(m.xml.contains("ref=\"H18\" authorId=\"1\""));
        // A new part reads as one.
        let fresh = new_comments(&notes);
        assert_eq!(merge_comments(&fresh, &[]).unwrap().xml, fresh);
    }

    #[test]
    fn boxes_merge_into_an_existing_drawing() {
        let g = Geometry::default();
        let ours = new_vml(&[note("H15", "a")], &g, 1);
        assert_eq!(id_blocks(&ours), vec![1]);
        let merged = merge_vml(
            &ours,
            &[note("H15", "b"), note("H18", "c")],
            &[CellRef::parse("H15").unwrap()],
            &g,
        )
        .unwrap();
        assert_eq!(merged.matches("<v:shape ").count(), 2);
        // The replaced box's id is free again: the same ids on every run.
        assert!(merged.contains("_x0000_s1025") && merged.contains("_x0000_s1026"));
        assert!(!merged.contains("_x0000_s1027"));
        assert_eq!(merged.matches("<v:shapetype").count(), 1);
        assert!(merge_vml("<xml xmlns:v=\"other\"></xml>", &[], &[], &g).is_err());
    }
}
