//! The patched `xl/styles.xml`: the input's styles with a few appended — for each style a
//! marked cell had, the same style with the highlight fill (and, for a corrected rate, the
//! 0.00% format), and the 核查结果 sheet's header and body styles. Nothing of the input's
//! styles changes, so every other cell looks as it did.

use std::collections::HashMap;
use std::ops::Range;

use quick_xml::events::Event;

use super::xml::{Events, Splices, Tag, with_count};
use crate::ooxml::{R, give_up};
use crate::write::{
    ERROR_FILL, ERROR_PATTERN, FIXED_FILL, FIXED_PATTERN, Mark, WARNING_FILL, WARNING_PATTERN,
};

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::Styles;

/// What a correction does to a cell's number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum NumFmt {
    /// Keeps it.
    Keep,
    /// A rate written as a fraction: shown as 0.00%.
    Percent,
    /// A plain number in a cell formatted as a percentage: General.
    General,
}

/// The built-in number format 0.00%.
const PERCENT_2: u32 = 10;

/// A list of styles (`fonts`, `fills`, `borders`, `cellXfs`) and where new entries go.
#[derive(Debug)]
struct List {
    tag: Tag,
    tag_range: Range<usize>,
    /// Where the end tag starts: new entries go there.
    end: usize,
    count: usize,
    /// Where each of the input's entries is in the part (start tag to end).
    entries: Vec<Range<usize>>,
    added: Vec<String>,
}

impl List {
    /// The index of an entry written exactly so: one the input has (a workbook zpcheck
    /// corrected before holds those it added then: correcting it again reuses them, so the
    /// styles stop growing and the output stays the same from the second pass on), one added
    /// already, or a new one.
    fn add(&mut self, xml: &str, entry: String) -> u32 {
        if let Some(i) = self
            .entries
            .iter()
            .position(|r| xml.get(r.clone()) == Some(entry.as_str()))
        {
            return i as u32;
        }
        if let Some(i) = self.added.iter().position(|a| *a == entry) {
            return (self.count + i) as u32;
        }
        self.added.push(entry);
        (self.count + self.added.len() - 1) as u32
    }
}

/// The cell formats of the 核查结果 sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FindingsStyles {
    /// The header row: bold, bordered.
    pub header: u32,
    /// A finding's cells: bordered, wrapped.
    pub body: u32,
    /// A finding's 单元格, a link: blue, underlined.
    pub link: u32,
    /// The heading's first line: bold, larger.
    pub title: u32,
    /// The heading's other lines.
    pub line: u32,
}

/// The input's styles and the ones added.
#[derive(Debug)]
pub(super) struct Styles {
    xml: String,
    fonts: List,
    fills: List,
    borders: List,
    cell_xfs: List,
    /// The input's cell formats: where each one's start tag is, and what is inside it (taken
    /// apart only for the few a marked cell uses).
    xfs: Vec<(Range<usize>, Range<usize>)>,
    /// Custom number formats by id.
    num_fmts: HashMap<u32, String>,
    marked: HashMap<(u32, Mark, NumFmt), u32>,
    mark_fills: HashMap<Mark, u32>,
    findings: Option<FindingsStyles>,
    /// A plain copy: cells get their number format, never a fill.
    pub(super) plain: bool,
}

impl Styles {
    pub(super) fn parse(xml: String) -> R<Styles> {
        let mut lists: HashMap<&'static str, List> = HashMap::new();
        let mut xfs = Vec::new();
        let mut num_fmts = HashMap::new();
        let mut ev = Events::new(&xml);
        // Where we are: 1 inside styleSheet, 2 inside one of its lists.
        let mut depth = 0usize;
        let mut open: Option<&'static str> = None;
        loop {
            let (event, range) = ev.next()?;
            match event {
                // A prefixed or strange root: what is appended would not be in its namespace.
                Event::Start(e) | Event::Empty(e)
                    if depth == 0 && e.name().as_ref() != "styleSheet" =>
                {
                    return Err(give_up!());
                }
                Event::Start(e) => {
                    let name = e.name();
                    let name = name.as_ref();
                    if depth == 1 {
                        let key = match name {
                            "fonts" => Some("fonts"),
                            "fills" => Some("fills"),
                            "borders" => Some("borders"),
                            "cellXfs" => Some("cellXfs"),
                            _ => None,
                        };
                        if let Some(key) = key {
                            let tag = Tag::parse(&e, false)?;
                            lists.insert(
                                key,
                                List {
                                    tag,
                                    tag_range: range,
                                    end: 0,
                                    count: 0,
                                    entries: Vec::new(),
                                    added: Vec::new(),
                                },
                            );
                            open = Some(key);
                        }
                        if name == "numFmts" {
                            open = Some("numFmts");
                        }
                        depth = 2;
                        continue;
                    }
                    if depth == 2 {
                        let end = ev.skip_element(&e)?;
                        if let Some(list) = open.and_then(|k| lists.get_mut(k)) {
                            list.count += 1;
                            list.entries.push(range.start..end);
                        }
                        if open == Some("cellXfs") && name == "xf" {
                            let inner_end = xml[..end].rfind("</").ok_or(give_up!())?;
                            xfs.push((range.clone(), range.end..inner_end));
                        }
                        continue;
                    }
                    depth += 1;
                }
                Event::Empty(e) => {
                    if depth == 1
                        && matches!(e.name().as_ref(), "fonts" | "fills" | "borders" | "cellXfs")
                    {
                        // An empty list: a workbook no spreadsheet program writes.
                        return Err(give_up!());
                    }
                    if depth == 2 {
                        if let Some(list) = open.and_then(|k| lists.get_mut(k)) {
                            list.count += 1;
                            list.entries.push(range.clone());
                        }
                        match (open, e.name().as_ref()) {
                            (Some("cellXfs"), "xf") => {
                                xfs.push((range.clone(), range.end..range.end))
                            }
                            (Some("numFmts"), "numFmt") => {
                                let tag = Tag::parse(&e, true)?;
                                if let (Some(id), Some(code)) = (
                                    tag.text("numFmtId").and_then(|v| v.parse().ok()),
                                    tag.text("formatCode"),
                                ) {
                                    num_fmts.insert(id, code);
                                }
                            }
                            _ => {}
                        }
                    }
                    if depth == 0 {
                        return Err(give_up!());
                    }
                }
                Event::End(_) => {
                    if depth == 2 {
                        if let Some(list) = open.and_then(|k| lists.get_mut(k)) {
                            list.end = range.start;
                        }
                        open = None;
                    }
                    depth = depth.checked_sub(1).ok_or(give_up!())?;
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let mut take = |k| lists.remove(k).ok_or(give_up!());
        Ok(Styles {
            fonts: take("fonts")?,
            fills: take("fills")?,
            borders: take("borders")?,
            cell_xfs: take("cellXfs")?,
            xml,
            xfs,
            num_fmts,
            marked: HashMap::new(),
            mark_fills: HashMap::new(),
            findings: None,
            plain: false,
        })
    }

    /// The cell format with this index, or the default one for an index out of range.
    fn xf(&self, s: u32) -> (Tag, String) {
        self.xfs
            .get(s as usize)
            .or_else(|| self.xfs.first())
            .and_then(|(tag, inner)| {
                let tag = Tag::parse_text(self.xml.get(tag.clone())?).ok()?;
                Some((tag, self.xml.get(inner.clone())?.to_string()))
            })
            .unwrap_or_else(|| {
                let mut tag = Tag::new("xf", true);
                for (k, v) in [
                    ("numFmtId", "0"),
                    ("fontId", "0"),
                    ("fillId", "0"),
                    ("borderId", "0"),
                    ("xfId", "0"),
                ] {
                    tag.set(k, v);
                }
                (tag, String::new())
            })
    }

    /// Whether cell format `s` shows numbers as percentages.
    pub(super) fn is_percent(&self, s: u32) -> bool {
        let (tag, _) = self.xf(s);
        match tag.text("numFmtId").and_then(|v| v.parse::<u32>().ok()) {
            Some(9 | 10) => true,
            Some(id) => self.num_fmts.get(&id).is_some_and(|c| c.contains('%')),
            None => false,
        }
    }

    /// Cell format `s` with a mark's fill and a number format change: an index into the
    /// patched `cellXfs`, made once per distinct request.
    pub(super) fn marked(&mut self, s: u32, mark: Mark, num: NumFmt) -> u32 {
        if mark == Mark::None && num == NumFmt::Keep {
            return s;
        }
        if let Some(&id) = self.marked.get(&(s, mark, num)) {
            return id;
        }
        let (mut tag, inner) = self.xf(s);
        let mark = if self.plain { Mark::None } else { mark };
        let fill = match mark {
            Mark::None => None,
            Mark::Fixed => Some(self.fill(Mark::Fixed, FIXED_FILL, FIXED_PATTERN)),
            Mark::Error => Some(self.fill(Mark::Error, ERROR_FILL, ERROR_PATTERN)),
            Mark::Warning => Some(self.fill(Mark::Warning, WARNING_FILL, WARNING_PATTERN)),
        };
        if let Some(fill) = fill {
            tag.set("fillId", &fill.to_string());
            tag.set("applyFill", "1");
        }
        let fmt = match num {
            NumFmt::Keep => None,
            NumFmt::Percent => Some(PERCENT_2),
            NumFmt::General => Some(0),
        };
        if let Some(fmt) = fmt {
            tag.set("numFmtId", &fmt.to_string());
            tag.set("applyNumberFormat", "1");
        }
        let id = self.cell_xfs.add(&self.xml, xf_text(tag, &inner));
        self.marked.insert((s, mark, num), id);
        id
    }

    /// The fill of a mark: its colour under a dot pattern (see [`FIXED_PATTERN`]).
    fn fill(&mut self, mark: Mark, rgb: u32, (pattern, dots): (&str, u32)) -> u32 {
        if let Some(&id) = self.mark_fills.get(&mark) {
            return id;
        }
        let id = self.fills.add(
            &self.xml,
            format!(
            "<fill><patternFill patternType=\"{pattern}\"><fgColor rgb=\"FF{dots:06X}\"/><bgColor rgb=\"FF{rgb:06X}\"/></patternFill></fill>"
        ),
        );
        self.mark_fills.insert(mark, id);
        id
    }

    /// The 核查结果 sheet's styles (header, body): 宋体 11 (bold in the header), thin borders,
    /// centred vertically, wrapped.
    pub(super) fn findings(&mut self) -> FindingsStyles {
        if let Some(ids) = self.findings {
            return ids;
        }
        let border = self.borders.add(
            &self.xml,
            "<border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border>"
                .to_string(),
        );
        // (font's extra elements, size, bordered)
        let xf = |font: &str, size: u32, bordered: bool, styles: &mut Styles| {
            let font = styles.fonts.add(&styles.xml, format!(
                "<font>{font}<sz val=\"{size}\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>"
            ));
            let (b, apply) = if bordered {
                (border, " applyBorder=\"1\"")
            } else {
                (0, "")
            };
            styles.cell_xfs.add(&styles.xml, format!(
                "<xf numFmtId=\"0\" fontId=\"{font}\" fillId=\"0\" borderId=\"{b}\" xfId=\"0\" applyFont=\"1\"{apply} applyAlignment=\"1\"><alignment vertical=\"center\" wrapText=\"1\"/></xf>"
            ))
        };
        let ids = FindingsStyles {
            header: xf("<b/>", 11, true, self),
            body: xf("", 11, true, self),
            link: xf("<u/><color rgb=\"FF0563C1\"/>", 11, true, self),
            title: xf("<b/>", 14, false, self),
            line: xf("", 11, false, self),
        };
        self.findings = Some(ids);
        ids
    }

    /// The patched part.
    pub(super) fn write(self) -> R<String> {
        let mut splices = Splices::default();
        for list in [&self.fonts, &self.fills, &self.borders, &self.cell_xfs] {
            if list.added.is_empty() {
                continue;
            }
            if list.end < list.tag_range.end {
                return Err(give_up!());
            }
            splices.replace(
                list.tag_range.clone(),
                with_count(&list.tag, list.count + list.added.len()),
            );
            splices.insert(list.end, list.added.concat());
        }
        splices.apply(&self.xml)
    }
}

fn xf_text(mut tag: Tag, inner: &str) -> String {
    tag.empty = inner.is_empty();
    let mut out = tag.write();
    if !inner.is_empty() {
        out.push_str(inner);
        out.push_str("</xf>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts count="1"><font><sz val="11"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="center"/></xf></cellXfs></styleSheet>"#;

    #[test]
    fn marked_styles_are_appended_once_and_keep_the_rest() {
        let mut s = Styles::parse(STYLES.to_string()).unwrap();
        assert!(!s.is_percent(0) && s.is_percent(1) && !s.is_percent(2));
        assert_eq!(s.marked(2, Mark::Fixed, NumFmt::Keep), 3);
        assert_eq!(s.marked(2, Mark::Fixed, NumFmt::Keep), 3);
        assert_eq!(s.marked(1, Mark::Fixed, NumFmt::Percent), 4);
        assert_eq!(s.marked(1, Mark::Error, NumFmt::Keep), 5);
        assert_eq!(s.marked(7, Mark::None, NumFmt::Keep), 7);
        let f = s.findings();
        assert_eq!(
            (f.header, f.body, f.link, f.title, f.line),
            (6, 7, 8, 9, 10)
        );
        let out = s.write().unwrap();
        assert!(out.contains(r#"<fills count="4">"#), "{out}");
        assert!(out.contains(r#"<cellXfs count="11">"#), "{out}");
        // Bold, plain (also the heading lines), link, title.
        assert!(out.contains(r#"<fonts count="5">"#), "{out}");
        assert!(out.contains(r#"<borders count="2">"#), "{out}");
        // Each mark's colour under a dot pattern (it survives grey-scale printing).
        assert!(out.contains(r#"<patternFill patternType="gray125"><fgColor rgb="FF7F6000"/><bgColor rgb="FFFFEB9C"/></patternFill>"#), "{out}");
        assert!(out.contains(r#"<patternFill patternType="gray125"><fgColor rgb="FFC00000"/><bgColor rgb="FFFFC7CE"/></patternFill>"#), "{out}");
        // The copy of format 2 keeps its alignment and takes the fill.
        assert!(out.contains(r#"<xf numFmtId="2" fontId="0" fillId="2" borderId="0" xfId="0" applyAlignment="1" applyFill="1"><alignment horizontal="center"/></xf>"#), "{out}");
        assert!(out.contains(r#"<xf numFmtId="10" fontId="0" fillId="2" borderId="0" xfId="0" applyNumberFormat="1" applyFill="1"/>"#), "{out}");
        // The input's own entries are untouched.
        assert!(out.contains(r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#));
        assert!(out.starts_with(&STYLES[..STYLES.find("<fonts").unwrap()]));
    }

    #[test]
    fn unusual_stylesheets_give_up() {
        assert!(Styles::parse("<x:styleSheet xmlns:x=\"m\"/>".into()).is_err());
        assert!(
            Styles::parse(STYLES.replace("<borders count=\"1\"><border/></borders>", "<borders/>"))
                .is_err()
        );
        assert!(
            Styles::parse(STYLES.replace("<borders count=\"1\"><border/></borders>", "")).is_err()
        );
    }
}
