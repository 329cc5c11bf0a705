//! 自评报告 written as Word documents (.docx): headings, list items and body paragraphs, and
//! tables from specs with their merged ranges as `w:gridSpan` / `w:vMerge`, the way Word writes
//! them (heading styles with Chinese Word's numeric style ids "1", "2", "3"). The seed report
//! (`seed_report.md`, the text of `../shared/seed/` up to its table) with the seed's 自评表 as a
//! real Word table is [`seed_report`]; tests make planted variants from it by replacing text.

use std::io::Write;

use crate::markup::shown;
use crate::spec::SheetSpec;

/// One block of a report.
#[derive(Debug, Clone)]
pub enum Block {
    /// A heading of this level (1 = top).
    H(u8, String),
    /// A list item.
    L(String),
    /// A body paragraph.
    P(String),
    /// A table.
    T(SheetSpec),
}

/// A body paragraph.
pub fn para(text: &str) -> Block {
    Block::P(text.to_string())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn runs(text: &str) -> String {
    format!(
        r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

fn paragraph(props: &str, text: &str) -> String {
    format!("<w:p><w:pPr>{props}</w:pPr>{}</w:p>", runs(text))
}

/// A spec as a Word table: each merged range one cell spanning its columns (`w:gridSpan`) and,
/// over several rows, continued below (`w:vMerge`).
pub fn table_xml(spec: &SheetSpec) -> String {
    let merges = crate::markup::merges(spec);
    let cols = spec
        .rows
        .iter()
        .map(Vec::len)
        .chain(merges.iter().map(|(_, b)| b.1 + 1))
        .max()
        .unwrap_or(1);
    let mut out = String::from(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>"#,
    );
    for _ in 0..cols {
        out.push_str(r#"<w:gridCol w:w="1100"/>"#);
    }
    out.push_str("</w:tblGrid>");
    for (r, row) in spec.rows.iter().enumerate() {
        out.push_str("<w:tr>");
        let mut c = 0;
        while c < cols {
            let covering = merges
                .iter()
                .find(|(a, b)| a.0 <= r && r <= b.0 && a.1 <= c && c <= b.1);
            let (span, vmerge, text) = match covering {
                Some((a, b)) if a.1 == c => {
                    let span = b.1 - a.1 + 1;
                    let v = if a.0 == b.0 {
                        ""
                    } else if a.0 == r {
                        r#"<w:vMerge w:val="restart"/>"#
                    } else {
                        "<w:vMerge/>"
                    };
                    let text = if a.0 == r {
                        row.get(c).and_then(shown).unwrap_or_default()
                    } else {
                        String::new()
                    };
                    (span, v, text)
                }
                Some(_) => {
                    c += 1;
                    continue;
                }
                None => (1, "", row.get(c).and_then(shown).unwrap_or_default()),
            };
            let grid = if span > 1 {
                format!(r#"<w:gridSpan w:val="{span}"/>"#)
            } else {
                String::new()
            };
            out.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/>{grid}{vmerge}</w:tcPr>{}</w:tc>"#,
                1100 * span,
                paragraph("", &text)
            ));
            c += span;
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// The document part's body for these blocks.
pub fn body_xml(blocks: &[Block]) -> String {
    let mut body = String::new();
    for b in blocks {
        match b {
            Block::H(level, t) => {
                body.push_str(&paragraph(
                    &format!(r#"<w:pStyle w:val="{}"/>"#, level.clamp(&1, &3)),
                    t,
                ));
            }
            Block::L(t) => body.push_str(&paragraph(
                r#"<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>"#,
                t,
            )),
            Block::P(t) => body.push_str(&paragraph("", t)),
            Block::T(spec) => {
                body.push_str(&table_xml(spec));
                // Word ends a cell or a document with a paragraph after a table.
                body.push_str("<w:p/>");
            }
        }
    }
    body
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体" w:hAnsi="Times New Roman"/><w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 3"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="a"/></w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style></w:styles>"#;

const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="·"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;

/// A .docx holding these blocks.
pub fn docx_of(blocks: &[Block]) -> Vec<u8> {
    docx_with_body(&body_xml(blocks))
}

/// A .docx whose document body is this XML (for tests of what Word writes: revisions, fields,
/// text boxes).
pub fn docx_with_body(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, text) in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS),
            ("word/document.xml", document.as_str()),
            ("word/styles.xml", STYLES),
            ("word/numbering.xml", NUMBERING),
        ] {
            w.start_file(name, opts).expect("zip entry");
            w.write_all(text.as_bytes()).expect("zip write");
        }
        w.finish().expect("zip finish");
    }
    out.into_inner()
}

/// The seed report's narrative (the text of `../shared/seed/` up to its table), as blocks:
/// "#"-lines are headings, "- " lines list items, the rest body paragraphs.
pub fn seed_narrative() -> Vec<Block> {
    let mut out = Vec::new();
    for line in include_str!("seed_report.md").lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let clean = line.replace("**", "");
        if let Some(rest) = clean.strip_prefix('#') {
            let hashes = 1 + rest.chars().take_while(|c| *c == '#').count();
            let text = rest.trim_start_matches('#').trim();
            out.push(Block::H(hashes.min(3) as u8, text.to_string()));
        } else if let Some(rest) = clean.strip_prefix("- ") {
            out.push(Block::L(rest.trim().to_string()));
        } else {
            out.push(Block::P(clean));
        }
    }
    out
}

/// The seed report: its narrative, then "附表" and the seed's 自评表 as a Word table.
pub fn seed_report() -> Vec<Block> {
    let mut blocks = seed_narrative();
    blocks.push(para("附表：《部门整体支出绩效自评表》"));
    blocks.push(Block::T(crate::forms::seed()));
    blocks
}

/// The blocks with `from` replaced by `to` in every paragraph (exactly once in all: a planted
/// variant changes one figure).
pub fn replaced(blocks: &[Block], from: &str, to: &str) -> Vec<Block> {
    let mut hits = 0;
    let out = blocks
        .iter()
        .map(|b| {
            let edit = |t: &String, hits: &mut usize| {
                *hits += t.matches(from).count();
                t.replace(from, to)
            };
            match b {
                Block::H(l, t) => Block::H(*l, edit(t, &mut hits)),
                Block::L(t) => Block::L(edit(t, &mut hits)),
                Block::P(t) => Block::P(edit(t, &mut hits)),
                Block::T(s) => Block::T(s.clone()),
            }
        })
        .collect();
    assert_eq!(hits, 1, "{from:?} occurs {hits} times");
    out
}
