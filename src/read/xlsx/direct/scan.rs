//! A byte scanner for the body of `sheetData` and for shared-string items in the forms every
//! writer uses (`<row r="3"><c r="B3" s="4" t="s"><v>12</v></c>…`, `<si><t>…</t></si>`): the
//! same reading as the quick-xml path beside it, at a fraction of its cost.
//!
//! Why: a check of a small form spent a sixth of its time in quick-xml's events for the cells
//! (an event, a UTF-8 check and an attribute iterator per tag) and another twelfth on the
//! shared strings. The scanner validates the part's text once and walks it byte by byte.
//!
//! It only ever says "read" or "not mine": on anything outside that subset — a comment, CDATA,
//! a namespace prefix, an unknown element, an attribute without quotes, a value beside an
//! inline string, a second value, a part cut short, a limit passed — it returns None and the quick-xml path
//! reads the part from the start, so every unusual file gets exactly the reading (or the
//! giving-up) it had before. The tests in `tests.rs` read every generated and hand-written
//! sheet both ways and require the same cells.

use super::values::{
    Counts, Shared, cell_position, finish_formula, format_of, formula_of, push_cell, value,
};
use super::*;

/// The cells of a `sheetData` body (`xml` starts just after `<sheetData>`), or None when the
/// body is not in the scanned subset (see the module docs). `counts` is only advanced when
/// the whole body was read.
pub(super) fn sheet_data(
    xml: &[u8],
    strings: &[String],
    formats: &[Option<String>],
    counts: &mut Counts,
) -> Option<Vec<(CellRef, Cell)>> {
    let s = std::str::from_utf8(xml).ok()?;
    let mut scan = Scan { s, at: 0 };
    let mut local = *counts;
    let mut cells: Vec<(CellRef, Cell)> = Vec::new();
    let mut shared: HashMap<u32, Shared> = HashMap::new();
    let (mut row, mut col) = (0u32, 0u32);
    // Rows open and close in turn: an end tag that closes nothing is an error of the quick-xml
    // reading (which counts open elements), left to it.
    let mut in_row = false;
    loop {
        match scan.next_tag()? {
            Tag::End("row") if in_row => {
                in_row = false;
                row = row.checked_add(1)?;
                col = 0;
            }
            Tag::End("sheetData") => break,
            Tag::Open {
                name: "row",
                attrs,
                empty,
            } if !in_row => {
                if let Some(n) = attr(attrs, "r")? {
                    row = number_u32(n).ok()?.checked_sub(1)?;
                }
                if empty {
                    row = row.checked_add(1)?;
                    col = 0;
                } else {
                    in_row = true;
                }
            }
            Tag::Open {
                name: "c",
                attrs,
                empty,
            } => {
                let (at, style, typ) = cell_attrs(attrs)?;
                let pos = cell_position(at, row, &mut col);
                let (v, formula) = if empty {
                    (CellValue::Empty, None)
                } else {
                    scan.cell_body(typ, strings, &mut shared, pos)?
                };
                col = col.checked_add(1)?;
                push_cell(&mut cells, pos, style, v, formula, formats, &mut local).ok()?;
            }
            _ => return None,
        }
    }
    *counts = local;
    Some(cells)
}

/// The shared strings of an `sst` body (`xml` starts just after `<sst …>`), or None when an
/// item is not plain or rich text runs (`<t>`, `<r><rPr>…</rPr><t>…</t></r>`, with or
/// without `xml:space="preserve"`): the quick-xml path then reads them all.
pub(super) fn shared_strings(xml: &[u8]) -> Option<Vec<String>> {
    let s = std::str::from_utf8(xml).ok()?;
    let mut scan = Scan { s, at: 0 };
    let mut strings = Vec::new();
    loop {
        match scan.next_tag()? {
            Tag::Open {
                name: "si",
                empty: false,
                ..
            } => strings.push(scan.string_item("si")?),
            Tag::Open {
                name: "si",
                empty: true,
                ..
            } => strings.push(String::new()),
            Tag::End("sst") => return Some(strings),
            _ => return None,
        }
    }
}

impl Scan<'_> {
    /// The text of a rich or plain string (`<si>` or `<is>`, named `end`), from just after its
    /// start tag to its end tag.
    fn string_item(&mut self, end: &str) -> Option<String> {
        let scan = self;
        let mut out = String::new();
        let mut depth_r = false;
        loop {
            match scan.next_tag()? {
                // (An item that ends with a run still open is damaged: the quick-xml path
                // gives up on it, and so does this one — found by the property test.)
                Tag::End(name) if name == end && !depth_r => return Some(out),
                Tag::Open {
                    name: "t",
                    attrs,
                    empty,
                } => {
                    let preserve = attr(attrs, "xml:space")? == Some("preserve");
                    let start = out.len();
                    if !empty {
                        let (text, _) = scan.text("t")?;
                        out.push_str(&text);
                    }
                    if !preserve {
                        trim_run(&mut out, start);
                    }
                }
                Tag::Open {
                    name: "r",
                    empty: false,
                    ..
                } if !depth_r => depth_r = true,
                Tag::End("r") if depth_r => depth_r = false,
                // Run properties: empty elements, read past (their values do not matter).
                Tag::Open {
                    name: "rPr",
                    empty: false,
                    ..
                } if depth_r => scan.skip_to_end("rPr")?,
                _ => return None,
            }
        }
    }
}

/// The number format of each cell format of a styles part (`xml` starts at `<styleSheet`), as
/// the quick-xml path reads them; None when anything in the part is outside the scanned
/// subset (every element's attributes must be well formed: calamine parses them all).
pub(super) fn number_formats(xml: &[u8]) -> Option<Vec<Option<String>>> {
    let s = std::str::from_utf8(xml).ok()?;
    let mut scan = Scan { s, at: 0 };
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut formats = Vec::new();
    let (mut in_num_fmts, mut in_cell_xfs, mut in_xf) = (false, false, false);
    // Elements open: an end tag that closes nothing is an error of the quick-xml reading (its
    // count starts where this one does, after the declaration), and one that closes another
    // element than the last one opened is a damaged part calamine's style reader refuses
    // (it reads a font, fill or border to its own end tag): calamine reads it.
    let mut open: Vec<&str> = Vec::with_capacity(8);
    loop {
        let (name, attrs, empty) = match scan.next_tag()? {
            Tag::End(name) => {
                if open.pop()? != name {
                    return None;
                }
                match name {
                    "numFmts" => in_num_fmts = false,
                    "cellXfs" => in_cell_xfs = false,
                    "xf" => in_xf = false,
                    "styleSheet" => return Some(formats),
                    _ => {}
                }
                continue;
            }
            Tag::Open { name, attrs, empty } => {
                if !empty {
                    open.push(name);
                }
                (name, attrs, empty)
            }
        };
        // Every attribute well formed (the None of `attr`).
        attr(attrs, "")?;
        match name {
            "numFmts" if !empty => in_num_fmts = true,
            "cellXfs" if !empty => in_cell_xfs = true,
            "numFmt" if in_num_fmts => {
                let code = Attrs(attrs)
                    .find(|(k, _)| {
                        *k == "formatCode"
                            || k.split_once(':')
                                .is_some_and(|(_, local)| local == "formatCode")
                    })
                    .and_then(|(_, v)| v);
                let code = match code {
                    Some(c) => Some(quick_xml::escape::unescape(c).ok()?),
                    None => None,
                };
                if let (Some(id), Some(code)) = (attr(attrs, "numFmtId")?, code) {
                    custom.insert(id.to_string(), code.into_owned());
                }
            }
            "xf" if in_cell_xfs => {
                // An xf inside an xf left open (a damaged part): quick-xml's reading counts
                // differently; calamine reads it.
                if in_xf {
                    return None;
                }
                in_xf = !empty;
                formats.push(format_of(&custom, attr(attrs, "numFmtId")?).ok()?);
            }
            _ => {}
        }
    }
}

/// The merged ranges of a worksheet part as [`crate::read::xlsx::layout`]'s quick-xml reading
/// finds them, reading from `start` (the `<` before the first "mergeCell") to past `last`
/// (the last "mergeCell" in the part: no element of that name can follow it, so nothing after
/// it can change the result). None when something there is outside the scanned subset.
pub(crate) fn merges(xml: &[u8], start: usize, last: usize) -> Option<Vec<crate::read::Merge>> {
    let s = std::str::from_utf8(xml.get(start..)?).ok()?;
    let end = last.checked_sub(start)?;
    let mut scan = Scan { s, at: 0 };
    let mut open: Vec<&str> = Vec::new();
    let mut merges = Vec::new();
    while scan.at <= end {
        match scan.next_tag()? {
            Tag::Open { name, attrs, empty } => {
                if name == "mergeCell" {
                    let mut value = None;
                    for (k, v) in Attrs(attrs) {
                        let v = v?;
                        // A prefixed name or a reference: decoded by the quick-xml reading.
                        if k.contains(':') || v.contains('&') {
                            return None;
                        }
                        if k == "ref" && value.is_none() {
                            value = Some(v);
                        }
                    }
                    if let Some(r) = value {
                        let (a, b) = r.split_once(':').unwrap_or((r, r));
                        if let (Some(first), Some(last)) = (CellRef::parse(a), CellRef::parse(b)) {
                            merges.push(crate::read::Merge { first, last });
                        }
                    }
                }
                if !empty {
                    open.push(name);
                }
            }
            // An end tag that closes no element opened here is where the quick-xml reading
            // (which checks end names) stops with an error, keeping what it found.
            Tag::End(name) => {
                if open.pop() != Some(name) {
                    return Some(merges);
                }
            }
        }
    }
    Some(merges)
}

/// A start, empty or end tag; comments, CDATA, processing instructions and declarations are
/// never one (the scan ends on them).
enum Tag<'a> {
    Open {
        name: &'a str,
        attrs: &'a str,
        empty: bool,
    },
    End(&'a str),
}

struct Scan<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    /// The next tag, passing over text between tags. Text with a reference (`&`) ends the
    /// scan: the quick-xml path treats it as events of its own.
    fn next_tag(&mut self) -> Option<Tag<'a>> {
        let b = self.s.as_bytes();
        let lt = self.at + memchr::memchr(b'<', &b[self.at..])?;
        if memchr::memchr(b'&', &b[self.at..lt]).is_some() {
            return None;
        }
        self.at = lt + 1;
        self.tag()
    }

    /// The tag whose `<` was just passed.
    fn tag(&mut self) -> Option<Tag<'a>> {
        let b = self.s.as_bytes();
        if b.get(self.at) == Some(&b'/') {
            let start = self.at + 1;
            let end = start + memchr::memchr(b'>', &b[start..])?;
            let name = &self.s[start..end];
            if !plain_name(name) {
                return None;
            }
            self.at = end + 1;
            return Some(Tag::End(name));
        }
        let start = self.at;
        let mut i = start;
        while b.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
            i += 1;
        }
        let name = &self.s[start..i];
        if name.is_empty() {
            return None; // `<!`, `<?`, a prefix…
        }
        // The attributes run to the first `>` outside quotes.
        let attrs_start = i;
        let mut quote = None;
        loop {
            let c = *b.get(i)?;
            match (quote, c) {
                (None, b'"' | b'\'') => quote = Some(c),
                (Some(q), _) if c == q => quote = None,
                (None, b'>') => break,
                (_, b'<') => return None,
                _ => {}
            }
            i += 1;
        }
        let empty = i > attrs_start && b[i - 1] == b'/';
        let attrs = &self.s[attrs_start..if empty { i - 1 } else { i }];
        // The name ends at white space or the tag's end (`<cx` is not `<c`).
        if !attrs.is_empty() && !attrs.starts_with([' ', '\t', '\r', '\n']) {
            return None;
        }
        self.at = i + 1;
        Some(Tag::Open { name, attrs, empty })
    }

    /// A cell's value and formula, up to `</c>`.
    fn cell_body(
        &mut self,
        typ: Option<&str>,
        strings: &[String],
        shared: &mut HashMap<u32, Shared>,
        pos: (u32, u32),
    ) -> Option<(CellValue, Option<String>)> {
        let inline = typ == Some("inlineStr");
        let mut v = CellValue::Empty;
        let mut formula = None;
        let mut got_value = false;
        loop {
            match self.next_tag()? {
                Tag::End("c") => break,
                Tag::Open {
                    name: "is", empty, ..
                } if inline && !got_value => {
                    v = CellValue::Text(match empty {
                        true => String::new(),
                        false => self.string_item("is")?,
                    });
                    got_value = true;
                }
                Tag::Open {
                    name: "v",
                    attrs,
                    empty,
                } if !inline && !got_value && attrs.trim().is_empty() => {
                    let text = if empty {
                        (Cow::Borrowed(""), false)
                    } else {
                        self.text("v")?
                    };
                    v = value(text, typ, strings).ok()?;
                    got_value = true;
                }
                Tag::Open {
                    name: "f",
                    attrs,
                    empty,
                } if !got_value && formula.is_none() => {
                    let text = if empty {
                        String::new()
                    } else {
                        self.text("f")?.0.into_owned()
                    };
                    let (t, si, range) =
                        (attr(attrs, "t")?, attr(attrs, "si")?, attr(attrs, "ref")?);
                    formula = Some(formula_of(text, t, si, range, shared, pos).ok()?);
                }
                _ => return None,
            }
        }
        Some((v, finish_formula(formula)))
    }

    /// The text up to `</end>` (references decoded as the quick-xml path decodes them:
    /// borrowed when it has none) and whether it held a reference. None on an element inside
    /// it, or text the quick-xml path gives up on.
    fn text(&mut self, end: &str) -> Option<(Cow<'a, str>, bool)> {
        let b = self.s.as_bytes();
        let lt = self.at + memchr::memchr(b'<', &b[self.at..])?;
        let text = &self.s[self.at..lt];
        let out = if memchr::memchr(b'&', text.as_bytes()).is_none() {
            check_text(text).ok()?;
            (Cow::Borrowed(text), false)
        } else {
            let mut out = String::with_capacity(text.len());
            let mut rest = text;
            while let Some(amp) = rest.find('&') {
                push_text(&mut out, &rest[..amp]).ok()?;
                let semi = rest[amp..].find(';')? + amp;
                push_entity(&mut out, &rest[amp + 1..semi]).ok()?;
                rest = &rest[semi + 1..];
            }
            push_text(&mut out, rest).ok()?;
            (Cow::Owned(out), true)
        };
        self.at = lt + 1;
        match self.tag()? {
            Tag::End(name) if name == end => Some(out),
            _ => None,
        }
    }

    /// Passes over an element's content up to its end tag: empty elements only, no
    /// reference in its text.
    fn skip_to_end(&mut self, end: &str) -> Option<()> {
        loop {
            match self.next_tag()? {
                Tag::End(name) if name == end => return Some(()),
                Tag::Open { empty: true, .. } => {}
                _ => return None,
            }
        }
    }
}

/// A tag name without a namespace prefix or anything unusual.
fn plain_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric())
}

/// The `r`, `s` and `t` attributes of a cell, as the quick-xml path reads them.
#[allow(clippy::type_complexity)]
fn cell_attrs(attrs: &str) -> Option<(Option<(u32, u32)>, Option<usize>, Option<&str>)> {
    let (mut at, mut style, mut typ) = (None, None, None);
    for (k, v) in Attrs(attrs) {
        // A key twice: calamine takes the first; declined (found by fuzzing).
        match k {
            "r" if at.is_none() => at = Some(position(v?).ok()?),
            "s" if style.is_none() => style = Some(number_u32(v?).ok()? as usize),
            "t" if typ.is_none() => typ = Some(v?),
            "r" | "s" | "t" => return None,
            _ => {
                v?;
            }
        }
    }
    Some((at, style, typ))
}

/// An attribute's raw value by exact name (the first, as the quick-xml path takes it); the
/// outer None when the attributes are not all `name="value"` pairs.
fn attr<'a>(attrs: &'a str, key: &str) -> Option<Option<&'a str>> {
    let mut found = None;
    for (k, v) in Attrs(attrs) {
        let v = v?;
        if k == key && found.is_none() {
            found = Some(v);
        }
    }
    Some(found)
}

/// `name="value"` pairs separated by white space; an item with a None value ends a
/// malformed list.
struct Attrs<'a>(&'a str);

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a str, Option<&'a str>);

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.0;
        let b = s.as_bytes();
        let space = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
        let mut i = 0;
        while b.get(i).copied().is_some_and(space) {
            i += 1;
        }
        if i == b.len() {
            return None;
        }
        let start = i;
        while b.get(i).copied().is_some_and(attr_name_byte) {
            i += 1;
        }
        // `name="value"` or `name='value'`, then white space or the end.
        let quote = b.get(i + 1).copied().filter(|q| matches!(q, b'"' | b'\''));
        let close = match (i > start && b.get(i) == Some(&b'='), quote) {
            (true, Some(q)) => memchr::memchr(q, &b[i + 2..]).map(|n| i + 2 + n),
            _ => None,
        };
        let Some(close) = close.filter(|&c| b.get(c + 1).is_none_or(|&n| space(n))) else {
            self.0 = "";
            return Some(("", None));
        };
        self.0 = &s[close + 1..];
        Some((&s[start..i], Some(&s[i + 2..close])))
    }
}

/// A byte of an attribute name as writers spell them (`r`, `xml:space`, `x14ac:dyDescent`).
fn attr_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b':' | b'_' | b'-' | b'.')
}
