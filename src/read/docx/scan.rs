//! A byte scanner for the document part, as the .xlsx reader has one for sheet data: the walk
//! needs only tags by local name, one attribute (`w:val`) and the text of `w:t`, and Word's
//! and WPS's parts hold nothing else of note. memchr finds each `<`; a tag's name and
//! attributes are read in place; text outside `w:t` is never decoded. About a third of what
//! quick-xml's general event reader costs on a report (`cargo bench --bench report`).
//!
//! It gives up (None) on anything a writer of .docx does not write and on anything malformed —
//! a DOCTYPE, an unclosed tag or quote, an end tag that does not close the open element, an
//! attribute without a quoted value, a reference it cannot decode — and the part is read by
//! quick-xml instead, whose reading, errors included, is the reference. Tests hold the two
//! readings equal on every part the scanner takes.

use super::{Walk, entity, too_deep};
use crate::error::InputError;
use crate::grid::{Document, Sheet};

/// What a give-up is: the part goes to quick-xml.
type Scan<T> = Option<T>;

/// Reads the part through the walk; None when quick-xml must read it instead. (The part is
/// validated as UTF-8 once, up front: one pass costs less than checking each name and text.)
pub(super) fn parse(
    xml: &[u8],
    mut walk: Walk<'_>,
) -> Scan<Result<(Document, Vec<Sheet>), InputError>> {
    let text = std::str::from_utf8(xml).ok()?;
    let b = text.as_bytes();
    // Every slice taken starts and ends at an ASCII byte (`<`, `>`, a quote, white space), so
    // it is a char boundary of the text.
    let str_of = |range: std::ops::Range<usize>| text.get(range);
    let blank = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_whitespace);
    let mut open: Vec<&str> = Vec::with_capacity(32);
    let mut i = 0;
    loop {
        let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|k| i + k) else {
            // Only white space may follow the root.
            if !blank(i..b.len()) || !open.is_empty() {
                return None;
            }
            break;
        };
        if walk.in_t && lt > i {
            let text = decode(str_of(i..lt)?)?;
            if let Err(e) = walk.push_text(&text) {
                return Some(Err(e));
            }
        } else if open.is_empty() && !blank(i..lt) {
            return None;
        }
        let rest = &b[lt + 1..];
        match rest.first()? {
            b'?' => {
                i = lt + 2 + memchr::memmem::find(&rest[1..], b"?>")? + 2;
            }
            b'!' => {
                if rest.starts_with(b"!--") {
                    i = lt + 4 + memchr::memmem::find(&rest[3..], b"-->")? + 3;
                } else if rest.starts_with(b"![CDATA[") {
                    let end = lt + 9 + memchr::memmem::find(&rest[8..], b"]]>")?;
                    if walk.in_t
                        && let Err(e) = walk.push_text(str_of(lt + 9..end)?)
                    {
                        return Some(Err(e));
                    }
                    i = end + 3;
                } else {
                    // A DOCTYPE (entities of its own): quick-xml's to read.
                    return None;
                }
            }
            b'/' => {
                let gt = lt + 2 + memchr::memchr(b'>', &rest[1..])?;
                let name = str_of(lt + 2..gt)?.trim_end();
                if open.pop() != Some(name) {
                    return None;
                }
                let name = local(name);
                if walk_may_care(name)
                    && let Err(e) = walk.end(name)
                {
                    return Some(Err(e));
                }
                i = gt + 1;
            }
            _ => {
                let start = lt + 1;
                let name_end = start
                    + rest
                        .iter()
                        .position(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')?;
                let name = str_of(start..name_end)?;
                if name.is_empty() {
                    return None;
                }
                let (gt, empty) = tag_end(b, name_end)?;
                if !empty {
                    open.push(name);
                    if open.len() > crate::limits::MAX_DEPTH {
                        return Some(Err(too_deep()));
                    }
                }
                let name = local(name);
                if walk_may_care(name) {
                    let attrs = str_of(name_end..if empty { gt - 1 } else { gt })?;
                    let val = || attr_val(attrs);
                    if let Err(e) = walk.start(name, &val, empty) {
                        return Some(Err(e));
                    }
                }
                i = gt + 1;
            }
        }
    }
    Some(walk.finish())
}

/// Whether the walk may do anything with an element of this local name, told by its first
/// letter: the run and property elements that make up most of a part (`r`, `rPr`, `rFonts`,
/// `sz`, `lang`, `spacing`, `jc`, `ind`…) are passed over without asking it. (The walk's own
/// match decides for the rest; a name it does not know does nothing there either.)
fn walk_may_care(local: &str) -> bool {
    matches!(
        local.as_bytes().first(),
        Some(b'd' | b'm' | b't' | b'F' | b'p' | b'o' | b'n' | b'b' | b'c' | b'g' | b'v')
    )
}

/// A name without its prefix.
fn local(name: &str) -> &str {
    match memchr::memchr(b':', name.as_bytes()) {
        Some(k) => &name[k + 1..],
        None => name,
    }
}

/// Where the tag whose attributes start at `from` ends (its `>`), and whether it is empty
/// (`/>`); quoted values may hold `>`. None when it does not end, or holds a `<` outside a
/// value. (A byte loop: a tag's attributes are a few bytes, shorter than memchr's set-up.)
fn tag_end(b: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut k = from;
    let mut quote = 0u8;
    while k < b.len() {
        let c = b[k];
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
        } else if c == b'"' || c == b'\'' {
            quote = c;
        } else if c == b'<' {
            return None;
        } else if c == b'>' {
            return Some((k, k > from && b[k - 1] == b'/'));
        }
        k += 1;
    }
    None
}

/// The decoded value of the `val` attribute (any prefix), None when the tag has none; a tag
/// whose attributes do not parse gives None too (the walk then reads no value, as quick-xml's
/// reading of a broken attribute gives none).
fn attr_val(attrs: &str) -> Option<String> {
    let b = attrs.as_bytes();
    let mut k = 0;
    let mut found = None;
    loop {
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        if k >= b.len() {
            return found;
        }
        let name_start = k;
        while k < b.len() && b[k] != b'=' && !b[k].is_ascii_whitespace() {
            k += 1;
        }
        let name = &attrs[name_start..k];
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        if b.get(k) != Some(&b'=') {
            return None;
        }
        k += 1;
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        let quote = *b.get(k)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let end = k + 1 + memchr::memchr(quote, &b[k + 1..])?;
        if local(name) == "val" && found.is_none() {
            found = Some(decode(&attrs[k + 1..end])?.into_owned());
        }
        k = end + 1;
    }
}

/// Text with its references decoded (`&amp;`, `&#x4E00;`); an unknown named one is kept as
/// written, as the quick-xml reading keeps it. None when a reference does not end.
fn decode(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !text.contains('&') {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let semi = rest[amp..].find(';')?;
        let name = &rest[amp + 1..amp + semi];
        if name.is_empty() {
            return None;
        }
        out.push_str(&entity(name));
        rest = &rest[amp + semi + 1..];
    }
    out.push_str(rest);
    Some(std::borrow::Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reading, its error as text.
    type Read = Result<(Document, Vec<Sheet>), String>;

    /// Both readings of a part: the scanner's (None when it gave up) and quick-xml's.
    fn both(xml: &str) -> (Option<Read>, Read) {
        let headings = std::collections::HashMap::new();
        let scan =
            parse(xml.as_bytes(), Walk::new(&headings)).map(|r| r.map_err(|e| e.to_string()));
        let quick = super::super::parse_quick(xml.as_bytes(), &headings).map_err(|e| e.to_string());
        (scan, quick)
    }

    #[test]
    fn the_scanner_reads_what_quick_xml_reads() {
        let seed = {
            use std::io::Read;
            let bytes = include_bytes!("../../../samples/seed_kelamayi_2023_report.docx");
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
            let mut s = String::new();
            z.by_name("word/document.xml")
                .unwrap()
                .read_to_string(&mut s)
                .unwrap();
            s
        };
        let parts = [
            seed.as_str(),
            r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body><w:p><w:r><w:t xml:space='preserve'>a &amp; b &#x4E00;&#49;&lt;&unknown;</w:t></w:r><!-- c --><w:r><w:t><![CDATA[<x>]]></w:t></w:r></w:p></w:body></w:document>"#,
            r#"<w:document xmlns:w="w"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val = "2" /><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>1,852.18</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl></w:body></w:document>"#,
            r#"<w:document xmlns:w="w"><w:body><w:p><w:pPr><w:pStyle w:val="a&gt;b"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"#,
        ];
        for xml in parts {
            let (scan, quick) = both(xml);
            let scan = scan.expect("the scanner reads it");
            assert_eq!(
                scan.as_ref().map(|(d, s)| (
                    d,
                    s.iter()
                        .map(|s| (&s.name, &s.cells, &s.merges))
                        .collect::<Vec<_>>()
                )),
                quick.as_ref().map(|(d, s)| (
                    d,
                    s.iter()
                        .map(|s| (&s.name, &s.cells, &s.merges))
                        .collect::<Vec<_>>()
                )),
                "{xml}"
            );
        }
    }

    #[test]
    fn the_scanner_gives_up_where_quick_xml_must_judge() {
        for xml in [
            r#"<!DOCTYPE x [<!ENTITY e "1">]><w:document><w:body/></w:document>"#,
            r#"<w:document><w:body><w:p></w:body></w:document>"#,
            r#"<w:document><w:body><w:p a="1></w:p></w:body></w:document>"#,
            r#"<w:document><w:body><w:p><w:r><w:t>&amp</w:t></w:r></w:p></w:body></w:document>"#,
            r#"<w:document><w:body>"#,
            r#"junk<w:document/>"#,
        ] {
            let (scan, _) = both(xml);
            assert!(scan.is_none(), "{xml}");
        }
    }
}
