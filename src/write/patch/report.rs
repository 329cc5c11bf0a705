//! The reviewed copy of a report (`NAME_核查.docx`): the same Word document, its text and
//! tables untouched, with each questioned claim highlighted and given a Word comment (what was
//! found, the value expected, the rule), each finding of its 自评表 table marked the same way on
//! its cell, and a 核查结果 table appended at the end. The narrative and the tables are the
//! author's: nothing of them is rewritten — a run is at most split where a claim starts and
//! ends inside it, each piece keeping the run's own properties, so that only the claim is
//! highlighted.
//!
//! The paragraphs and table cells are found by the same walk the reader makes (paragraphs
//! outside tables counted in document order, text boxes and fallbacks passed over, tables on
//! their grid with `w:gridSpan` and `w:vMerge`), so a finding's paragraph and cell are the
//! ones it names. Comments go to `word/comments.xml` (added to one the document already has,
//! with ids after its own), with the relationship and content type a new part needs, and the
//! package is marked as zpcheck's output like a corrected workbook.

use std::collections::BTreeMap;
use std::ops::Range;

use quick_xml::events::Event;

use super::PACKAGE_RELS;
use super::package::{ContentTypes, Package, parse_rels, rels_name, resolve};
use super::xml::{Events, Splices, Tag};
use crate::Checked;
use crate::finding::Finding;
use crate::grid::CellRef;
use crate::ooxml::xml::escape;
use crate::ooxml::{R, give_up};
use crate::read::Source;

/// What this module's give-ups are about.
const HERE: crate::fallback::Why = crate::fallback::Why::Package;

const COMMENTS_PART: &str = "word/comments.xml";
const COMMENTS_REL: &str = "comments";
const COMMENTS_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The children of `w:rPr` that come after `w:highlight` in the schema's order: a highlight is
/// inserted before the first of them, so that Word reads the properties as valid.
const AFTER_HIGHLIGHT: &[&str] = &[
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
];

/// One run of a paragraph: where it is, its properties and its text.
#[derive(Debug, Clone, Default)]
struct Run {
    range: Range<usize>,
    /// The `<w:rPr>…</w:rPr>` element's range, when it has one.
    rpr: Option<Range<usize>>,
    /// Where a highlight goes inside `rPr` (before the first property after it in order).
    highlight_at: Option<usize>,
    /// Whether `rPr` already has a highlight.
    highlighted: bool,
    /// The run's text as the reader reads it, and where it starts in the paragraph's text.
    text: String,
    from: usize,
    /// A plain run: properties and one `w:t`, nothing else (it can be split).
    simple: bool,
}

/// A paragraph: its runs, where an anchor goes when no run is marked, and its end.
#[derive(Debug, Clone, Default)]
struct Para {
    /// Just after `</w:pPr>` (or after `<w:p>`).
    start: usize,
    /// Just before `</w:p>`.
    end: usize,
    runs: Vec<Run>,
    text: String,
}

/// The document part's paragraphs outside tables, and each top-level table cell's paragraphs
/// by (table, grid position); where the body's last section properties start.
#[derive(Default)]
struct Layout {
    paragraphs: Vec<Para>,
    cells: BTreeMap<(u32, CellRef), Vec<Para>>,
    body_end: Option<usize>,
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Walks the document part as the reader does.
fn layout(xml: &str) -> R<Layout> {
    let mut ev = Events::new(xml);
    let mut out = Layout::default();
    let mut aside = 0u32;
    let mut tables = 0u32;
    let mut table_count = 0u32;
    // Per top-level table: the row, the next grid column, the open vertical merges.
    let mut row: i64 = -1;
    let mut col = 0u32;
    let mut cell: Option<CellRef> = None;
    let mut cell_span = 1u32;
    let mut continues = false;
    let mut open_merge: BTreeMap<u32, u32> = BTreeMap::new();
    let mut para: Option<Para> = None;
    let mut run: Option<Run> = None;
    let mut in_rpr = false;
    let mut in_t = false;
    let mut deleted = 0u32;
    let mut last_sect: Option<usize> = None;
    let mut depth = 0usize;
    loop {
        let (event, range) = ev.next()?;
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name();
                let name = local(name.as_ref()).to_string();
                if !empty {
                    depth += 1;
                }
                if matches!(name.as_str(), "txbxContent" | "Fallback") {
                    if !empty {
                        aside += 1;
                    }
                    continue;
                }
                if matches!(name.as_str(), "del" | "moveFrom") {
                    if !empty {
                        deleted += 1;
                    }
                    continue;
                }
                if aside > 0 {
                    continue;
                }
                match name.as_str() {
                    "sectPr" if depth <= 3 && tables == 0 && para.is_none() => {
                        last_sect = Some(range.start);
                    }
                    "tbl" if !empty => {
                        tables += 1;
                        if tables == 1 {
                            table_count += 1;
                            row = -1;
                            open_merge.clear();
                        }
                    }
                    "tr" if !empty && tables == 1 => {
                        row += 1;
                        col = 0;
                    }
                    "gridBefore" if tables == 1 && cell.is_none() => {
                        let n = Tag::parse(e, empty)?
                            .get_local("val")
                            .and_then(|v| v.parse::<u32>().ok())
                            .unwrap_or(0);
                        col = n.min(crate::limits::MAX_DOCX_GRIDSPAN);
                    }
                    "tc" if !empty && tables == 1 => {
                        cell = Some(CellRef::new(row.max(0) as u32, col));
                        cell_span = 1;
                        continues = false;
                    }
                    "gridSpan" if tables == 1 && para.is_none() => {
                        cell_span = Tag::parse(e, empty)?
                            .get_local("val")
                            .and_then(|v| v.parse::<u32>().ok())
                            .unwrap_or(1)
                            .clamp(1, crate::limits::MAX_DOCX_GRIDSPAN);
                    }
                    "vMerge" if tables == 1 && para.is_none() => {
                        let restart = Tag::parse(e, empty)?
                            .get_local("val")
                            .is_some_and(|v| v == "restart");
                        let at = cell.map_or(0, |c| c.col);
                        if restart {
                            open_merge.insert(at, row.max(0) as u32);
                        } else if let Some(first) = open_merge.get(&at) {
                            // A continued cell is the merged range's first cell.
                            cell = Some(CellRef::new(*first, at));
                            continues = true;
                        }
                    }
                    "p" if !empty && (tables == 0 || tables == 1) => {
                        para = Some(Para {
                            start: range.end,
                            ..Para::default()
                        });
                    }
                    "pPr" if !empty => {
                        let end = ev.skip_element(e)?;
                        depth -= 1;
                        if let Some(p) = para.as_mut() {
                            p.start = end;
                        }
                    }
                    "r" if !empty && para.is_some() && deleted == 0 => {
                        run = Some(Run {
                            range: range.start..range.start,
                            simple: true,
                            from: para.as_ref().map_or(0, |p| p.text.chars().count()),
                            ..Run::default()
                        });
                    }
                    "rPr" if run.is_some() => {
                        if empty {
                            if let Some(r) = run.as_mut() {
                                r.rpr = Some(range.clone());
                            }
                        } else {
                            in_rpr = true;
                            if let Some(r) = run.as_mut() {
                                r.rpr = Some(range.start..range.start);
                            }
                        }
                    }
                    _ if in_rpr => {
                        if let Some(r) = run.as_mut() {
                            if name == "highlight" {
                                r.highlighted = true;
                            }
                            if r.highlight_at.is_none() && AFTER_HIGHLIGHT.contains(&name.as_str())
                            {
                                r.highlight_at = Some(range.start);
                            }
                        }
                    }
                    "t" if run.is_some() => {
                        if let Some(r) = run.as_mut().filter(|r| !r.text.is_empty()) {
                            r.simple = false;
                        }
                        in_t = !empty;
                    }
                    "tab" | "br" | "cr" | "noBreakHyphen" if run.is_some() => {
                        let s = match name.as_str() {
                            "tab" => "\t",
                            "noBreakHyphen" => "-",
                            _ => "\n",
                        };
                        if let Some(r) = run.as_mut() {
                            r.text.push_str(s);
                            r.simple = false;
                        }
                        if let Some(p) = para.as_mut() {
                            p.text.push_str(s);
                        }
                    }
                    _ if run.is_some() => {
                        if let Some(r) = run.as_mut() {
                            r.simple = false;
                        }
                    }
                    _ => {}
                }
                if empty {
                    continue;
                }
            }
            Event::End(ref e) => {
                depth = depth.saturating_sub(1);
                let name = e.name();
                let name = local(name.as_ref());
                if matches!(name, "txbxContent" | "Fallback") {
                    aside = aside.saturating_sub(1);
                    continue;
                }
                if matches!(name, "del" | "moveFrom") {
                    deleted = deleted.saturating_sub(1);
                    continue;
                }
                if aside > 0 {
                    continue;
                }
                match name {
                    "rPr" if in_rpr => {
                        in_rpr = false;
                        if let Some(r) = run.as_mut() {
                            if let Some(rpr) = r.rpr.as_mut() {
                                rpr.end = range.end;
                            }
                            if r.highlight_at.is_none() {
                                r.highlight_at = Some(range.start);
                            }
                        }
                    }
                    "t" => in_t = false,
                    "r" => {
                        if let (Some(mut r), Some(p)) = (run.take(), para.as_mut()) {
                            r.range.end = range.end;
                            p.runs.push(r);
                        }
                    }
                    "p" => {
                        if let Some(mut p) = para.take() {
                            p.end = range.start;
                            match (tables, cell) {
                                (0, _) => out.paragraphs.push(p),
                                (1, Some(c)) => {
                                    out.cells.entry((table_count, c)).or_default().push(p)
                                }
                                _ => {}
                            }
                        }
                    }
                    "tc" if tables == 1 => {
                        let at = cell.map_or(col, |c| c.col);
                        // A cell that neither starts nor continues a merge closes one open
                        // above it.
                        let starts = open_merge
                            .get(&at)
                            .is_some_and(|first| cell.is_some_and(|c| c.row == *first));
                        if !continues && !starts {
                            open_merge.remove(&at);
                        }
                        col = at + cell_span;
                        cell = None;
                    }
                    "tbl" => tables = tables.saturating_sub(1),
                    "body" => out.body_end = Some(last_sect.unwrap_or(range.start)),
                    _ => {}
                }
            }
            Event::Text(ref t) if in_t => {
                let text: &str = t.as_ref();
                push_text(&mut run, &mut para, text);
            }
            Event::GeneralRef(ref g) if in_t => {
                let name: &str = g.as_ref();
                let c = match name {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    _ => {
                        if let Some(r) = run.as_mut() {
                            r.simple = false;
                        }
                        name.strip_prefix("#x")
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                            .and_then(char::from_u32)
                            .map_or_else(|| format!("&{name};"), String::from)
                    }
                };
                if let Some(r) = run.as_mut() {
                    r.simple = false;
                }
                push_text(&mut run, &mut para, &c);
            }
            _ => {}
        }
    }
    Ok(out)
}

fn push_text(run: &mut Option<Run>, para: &mut Option<Para>, text: &str) {
    if let Some(r) = run.as_mut() {
        r.text.push_str(text);
    }
    if let Some(p) = para.as_mut() {
        p.text.push_str(text);
    }
}

/// One comment: its id, what it says, and the runs (or paragraph) it anchors on.
struct Comment {
    id: u32,
    text: String,
}

/// Where in a paragraph a finding points: a char range of its text (None: the whole paragraph).
struct Mark {
    para: usize,
    chars: Option<Range<usize>>,
    comment: u32,
}

/// The comment text of a finding.
fn comment_text(f: &Finding) -> String {
    let rule = crate::rules::rule(f.rule).map_or("", |r| r.title);
    format!(
        "{} {}（{}）：{}。所写 {}，应为 {}。",
        f.rule,
        rule,
        f.severity.label(),
        f.message,
        f.found,
        f.expected
    )
}

/// The reviewed copy of a report.
pub(crate) fn reviewed(
    source: &Source,
    checked: &Checked,
    opts: &crate::write::WriteOptions,
) -> Result<Vec<u8>, String> {
    annotate(source, checked, opts).map_err(|g| {
        format!(
            "无法写出报告的核查版本（{}）：报告中的问题已在上面列出",
            g.why.text()
        )
    })
}

fn annotate(source: &Source, checked: &Checked, opts: &crate::write::WriteOptions) -> R<Vec<u8>> {
    let mut pkg = Package::open(&source.bytes, &source.parts)?;
    let mut root_rels = parse_rels(&pkg.text(PACKAGE_RELS)?.ok_or(give_up!())?)?;
    let office = root_rels.of_type("officeDocument").ok_or(give_up!())?;
    let document = resolve("", &office.target).ok_or(give_up!())?;
    let mut types = ContentTypes::parse(&pkg.text(ContentTypes::NAME)?.ok_or(give_up!())?)?;
    let xml = pkg.text(&document)?.ok_or(give_up!())?;
    let doc_rels_name = rels_name(&document);
    let mut doc_rels = match pkg.text(&doc_rels_name)? {
        Some(t) => parse_rels(&t)?,
        None => parse_rels(
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"/>",
        )?,
    };
    let lay = layout(&xml)?;
    // Comment ids after the document's own.
    let existing = pkg.text(COMMENTS_PART)?;
    let first_id = max_comment_id(&xml)
        .max(existing.as_deref().map_or(0, max_comment_id))
        .saturating_add(1);
    let findings: Vec<&Finding> = checked.findings().collect();
    let mut comments = Vec::new();
    let mut marks: Vec<Mark> = Vec::new();
    let mut cell_marks: Vec<((u32, CellRef), u32)> = Vec::new();
    for (k, f) in findings.iter().enumerate() {
        let id = first_id + k as u32;
        comments.push(Comment {
            id,
            text: comment_text(f),
        });
        match &f.text {
            Some(t) => {
                let Some(p) = lay.paragraphs.get(t.paragraph.wrapping_sub(1)) else {
                    continue;
                };
                let chars = p.text.find(&t.quote).map(|b| {
                    let a = p.text[..b].chars().count();
                    a..a + t.quote.chars().count()
                });
                marks.push(Mark {
                    para: t.paragraph - 1,
                    chars,
                    comment: id,
                });
            }
            None => {
                let Some(n) = crate::grid::document::table_number(&f.sheet) else {
                    continue;
                };
                cell_marks.push(((n, f.cell), id));
            }
        }
    }
    let mut splices = Splices::default();
    // Narrative marks, paragraph by paragraph.
    let mut by_para: BTreeMap<usize, Vec<&Mark>> = BTreeMap::new();
    for m in &marks {
        by_para.entry(m.para).or_default().push(m);
    }
    for (i, ms) in by_para {
        let p = &lay.paragraphs[i];
        mark_paragraph(&xml, p, &ms, &mut splices)?;
    }
    // Table marks: the cell's paragraphs, every run highlighted, the comment on the first.
    let mut seen_cells: BTreeMap<(u32, CellRef), Vec<u32>> = BTreeMap::new();
    for (key, id) in &cell_marks {
        seen_cells.entry(*key).or_default().push(*id);
    }
    for (key, ids) in seen_cells {
        let Some(paras) = lay.cells.get(&key) else {
            continue;
        };
        let Some(first) = paras.first() else {
            continue;
        };
        for p in paras {
            for r in &p.runs {
                highlight_run(&xml, r, &mut splices);
            }
        }
        for id in &ids {
            splices.insert(first.start, format!("<w:commentRangeStart w:id=\"{id}\"/>"));
        }
        for id in &ids {
            splices.insert(first.end, anchor_end(*id));
        }
    }
    // The 核查结果 table at the end of the body.
    let at = lay.body_end.ok_or(give_up!())?;
    splices.insert(at, findings_table(checked, &findings, opts));
    let new_xml = splices.apply(&xml)?;
    if !crate::ooxml::xml::well_formed(new_xml.as_bytes()) {
        return Err(give_up!());
    }
    pkg.set(&document, new_xml);
    // Comments part, relationship and content type.
    let entries: String = comments
        .iter()
        .map(|c| {
            format!(
                "<w:comment w:id=\"{}\" w:author=\"zpcheck\" w:initials=\"zp\"><w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:comment>",
                c.id,
                escape(&c.text)
            )
        })
        .collect();
    let comments_xml = match existing {
        Some(old) => {
            let end = old.rfind("</w:comments>").ok_or(give_up!())?;
            format!("{}{entries}{}", &old[..end], &old[end..])
        }
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments xmlns:w=\"{W}\">{entries}</w:comments>"
        ),
    };
    if !crate::ooxml::xml::well_formed(comments_xml.as_bytes()) {
        return Err(give_up!());
    }
    pkg.set(COMMENTS_PART, comments_xml);
    if doc_rels.of_type(COMMENTS_REL).is_none() {
        doc_rels.add(COMMENTS_REL, "comments.xml");
        pkg.set(&doc_rels_name, doc_rels.write());
    }
    types.set_override(COMMENTS_PART, COMMENTS_CONTENT_TYPE);
    super::mark_as_ours(
        &mut pkg,
        &mut types,
        &mut root_rels,
        crate::ooxml::names::MARKER_OUTPUT,
    )?;
    pkg.set(ContentTypes::NAME, types.write());
    pkg.finish()
}

/// The largest `w:id` of comments in a part (0 when none).
fn max_comment_id(xml: &str) -> u32 {
    let mut max = 0;
    for key in [
        "<w:comment ",
        "<w:commentRangeStart ",
        "<w:commentReference ",
    ] {
        for (at, _) in xml.match_indices(key) {
            let rest = &xml[at..xml.len().min(at + 200)];
            if let Some(i) = rest.find("w:id=\"") {
                let v = &rest[i + 6..];
                if let Some(n) = v.split('"').next().and_then(|n| n.parse::<u32>().ok()) {
                    max = max.max(n);
                }
            }
        }
    }
    max
}

/// A comment's end and its reference run.
fn anchor_end(id: u32) -> String {
    format!(
        "<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:rPr><w:highlight w:val=\"yellow\"/></w:rPr><w:commentReference w:id=\"{id}\"/></w:r>"
    )
}

/// Adds a yellow highlight to a run's properties (a run already highlighted keeps its own).
fn highlight_run(xml: &str, r: &Run, splices: &mut Splices) {
    if r.highlighted {
        return;
    }
    match (&r.rpr, r.highlight_at) {
        (Some(rpr), _)
            if rpr.start == rpr.end || xml.get(rpr.clone()).is_some_and(|s| s.ends_with("/>")) =>
        {
            // An empty <w:rPr/>: replaced by one holding the highlight.
            splices.replace(
                rpr.clone(),
                "<w:rPr><w:highlight w:val=\"yellow\"/></w:rPr>".to_string(),
            );
        }
        (Some(_), Some(at)) => splices.insert(at, "<w:highlight w:val=\"yellow\"/>".to_string()),
        _ => {
            // No properties: they come first in the run, just after its start tag.
            let start = xml[r.range.clone()]
                .find('>')
                .map(|i| r.range.start + i + 1);
            if let Some(at) = start {
                splices.insert(
                    at,
                    "<w:rPr><w:highlight w:val=\"yellow\"/></w:rPr>".to_string(),
                );
            }
        }
    }
}

/// Marks a paragraph's claims: each claim's runs highlighted (a plain run holding only part of
/// one claim split so that only the claim is), a comment around them.
fn mark_paragraph(xml: &str, p: &Para, marks: &[&Mark], splices: &mut Splices) -> R<()> {
    // Per run, the claims that touch it.
    let mut touching: Vec<Vec<usize>> = vec![Vec::new(); p.runs.len()];
    let mut whole = Vec::new();
    for (k, m) in marks.iter().enumerate() {
        let Some(chars) = &m.chars else {
            whole.push(m.comment);
            continue;
        };
        for (i, r) in p.runs.iter().enumerate() {
            let len = r.text.chars().count();
            if r.from < chars.end && chars.start < r.from + len {
                touching[i].push(k);
            }
        }
    }
    for (k, m) in marks.iter().enumerate() {
        let Some(chars) = &m.chars else {
            continue;
        };
        let runs: Vec<usize> = (0..p.runs.len())
            .filter(|i| touching[*i].contains(&k))
            .collect();
        let (Some(&first), Some(&last)) = (runs.first(), runs.last()) else {
            whole.push(m.comment);
            continue;
        };
        // A plain run touched by this claim alone is split at the claim's edges.
        let split = |i: usize| p.runs[i].simple && touching[i].len() == 1;
        if first == last && split(first) {
            let r = &p.runs[first];
            let chars_of: Vec<char> = r.text.chars().collect();
            let a = chars.start.saturating_sub(r.from).min(chars_of.len());
            let b = (chars.end - r.from).min(chars_of.len());
            let rpr = r
                .rpr
                .as_ref()
                .and_then(|x| xml.get(x.clone()))
                .unwrap_or("");
            let piece = |s: &[char], hl: bool| -> String {
                if s.is_empty() {
                    return String::new();
                }
                let text: String = s.iter().collect();
                let props = if hl {
                    highlighted_rpr(rpr)
                } else {
                    rpr.to_string()
                };
                format!(
                    "<w:r>{props}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
                    escape(&text)
                )
            };
            let id = m.comment;
            let replacement = format!(
                "{}<w:commentRangeStart w:id=\"{id}\"/>{}{}{}",
                piece(&chars_of[..a], false),
                piece(&chars_of[a..b], true),
                anchor_end(id),
                piece(&chars_of[b..], false)
            );
            splices.replace(r.range.clone(), replacement);
            continue;
        }
        for &i in &runs {
            highlight_run(xml, &p.runs[i], splices);
        }
        splices.insert(
            p.runs[first].range.start,
            format!("<w:commentRangeStart w:id=\"{}\"/>", m.comment),
        );
        splices.insert(p.runs[last].range.end, anchor_end(m.comment));
    }
    // Claims not found as written (or runs shared by several split claims): the paragraph.
    whole.sort_unstable();
    whole.dedup();
    for id in whole {
        splices.insert(p.start, format!("<w:commentRangeStart w:id=\"{id}\"/>"));
        splices.insert(p.end, anchor_end(id));
    }
    Ok(())
}

/// A run's properties with a yellow highlight (in the schema's order).
fn highlighted_rpr(rpr: &str) -> String {
    const HL: &str = "<w:highlight w:val=\"yellow\"/>";
    if rpr.is_empty() || rpr.ends_with("/>") && !rpr.contains("</w:rPr>") {
        return format!("<w:rPr>{HL}</w:rPr>");
    }
    if rpr.contains("<w:highlight") {
        return rpr.to_string();
    }
    let at = AFTER_HIGHLIGHT
        .iter()
        .filter_map(|n| {
            rpr.find(&format!("<w:{n} "))
                .or_else(|| rpr.find(&format!("<w:{n}>")))
                .or_else(|| rpr.find(&format!("<w:{n}/>")))
        })
        .min()
        .or_else(|| rpr.rfind("</w:rPr>"));
    match at {
        Some(at) => format!("{}{HL}{}", &rpr[..at], &rpr[at..]),
        None => rpr.to_string(),
    }
}

/// The 核查结果 heading, note and table appended to the document.
fn findings_table(
    checked: &Checked,
    findings: &[&Finding],
    opts: &crate::write::WriteOptions,
) -> String {
    let para = |text: &str, bold: bool| {
        let b = if bold {
            "<w:b/><w:sz w:val=\"28\"/>"
        } else {
            ""
        };
        format!(
            "<w:p><w:r><w:rPr>{b}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            escape(text)
        )
    };
    let mut out = String::new();
    out.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    out.push_str(&para("核查结果（zpcheck）", true));
    let file = opts.heading.file.as_deref().unwrap_or("");
    out.push_str(&para(
        &format!(
            "{file} 由 zpcheck {} 核查：正文和表格未作任何改动，有疑问的数字已用黄色标出并加批注。错误 {} 个，警告 {} 个，提示 {} 个。",
            env!("CARGO_PKG_VERSION"),
            findings.iter().filter(|f| f.is_error()).count(),
            findings
                .iter()
                .filter(|f| f.counted() == Some(crate::finding::Severity::Warning))
                .count(),
            findings
                .iter()
                .filter(|f| f.severity == crate::finding::Severity::Info)
                .count(),
        ),
        false,
    ));
    for f in &checked.forms {
        let total = f
            .report
            .computed_total
            .map(crate::num::fmt_dec)
            .unwrap_or_else(|| "无法计算".into());
        out.push_str(&para(
            &format!(
                "{}「{}」：核算总分 {total}{}",
                f.form.sheet,
                f.form.title,
                f.report
                    .computed_grade
                    .map(|g| format!("，等级 {g}"))
                    .unwrap_or_default()
            ),
            false,
        ));
    }
    if findings.is_empty() {
        out.push_str(&para("未发现问题。", false));
        return out;
    }
    let widths = [1300, 800, 700, 4300, 1000, 1000];
    let cell = |text: &str, w: u32, header: bool| {
        let shade = if header {
            "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"D9D9D9\"/>"
        } else {
            ""
        };
        let b = if header { "<w:rPr><w:b/></w:rPr>" } else { "" };
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>{shade}</w:tcPr><w:p><w:r>{b}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:tc>",
            escape(text)
        )
    };
    out.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"9100\" w:type=\"dxa\"/><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/></w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
    for w in widths {
        out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    out.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for (h, w) in ["位置", "规则", "级别", "说明", "所写", "应为"]
        .iter()
        .zip(widths)
    {
        out.push_str(&cell(h, w, true));
    }
    out.push_str("</w:tr>");
    for f in findings {
        let place = match &f.text {
            Some(t) => format!("正文第 {} 段", t.paragraph),
            None => format!("{}!{}", f.sheet, f.cell),
        };
        let texts = [
            place,
            f.rule.to_string(),
            f.severity.label().to_string(),
            f.message.clone(),
            f.found.clone(),
            f.expected.clone(),
        ];
        out.push_str("<w:tr>");
        for (t, w) in texts.iter().zip(widths) {
            out.push_str(&cell(t, w, false));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl><w:p/>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_highlight_goes_before_the_properties_that_follow_it() {
        assert_eq!(
            highlighted_rpr("<w:rPr><w:b/><w:sz w:val=\"21\"/><w:lang w:val=\"zh-CN\"/></w:rPr>"),
            "<w:rPr><w:b/><w:sz w:val=\"21\"/><w:highlight w:val=\"yellow\"/><w:lang w:val=\"zh-CN\"/></w:rPr>"
        );
        assert_eq!(
            highlighted_rpr(""),
            "<w:rPr><w:highlight w:val=\"yellow\"/></w:rPr>"
        );
        assert_eq!(
            highlighted_rpr("<w:rPr><w:b/></w:rPr>"),
            "<w:rPr><w:b/><w:highlight w:val=\"yellow\"/></w:rPr>"
        );
    }

    #[test]
    fn the_walk_finds_paragraphs_outside_tables_and_cells_on_their_grid() {
        let xml = concat!(
            r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>一</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr>"#,
            r#"<w:tr><w:tc><w:p><w:r><w:t>A2</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B2</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>二</w:t></w:r><w:r><w:tab/><w:t>三</w:t></w:r></w:p><w:sectPr/></w:body></w:document>"#
        );
        let lay = layout(xml).unwrap();
        assert_eq!(lay.paragraphs.len(), 2);
        assert_eq!(lay.paragraphs[1].text, "二\t三");
        assert!(lay.paragraphs[1].runs[0].simple);
        assert!(!lay.paragraphs[1].runs[1].simple);
        let cells: Vec<String> = lay
            .cells
            .iter()
            .map(|((n, c), ps)| format!("{n}:{c}={}", ps[0].text))
            .collect();
        assert_eq!(cells, ["1:A1=A", "1:C1=C", "1:A2=A2", "1:B2=B2"]);
        assert!(
            lay.body_end
                .is_some_and(|e| xml[e..].starts_with("<w:sectPr/>"))
        );
    }
}
