//! The patcher's XML tools: a reader that says where each event lies in the part (so that an
//! edit replaces exactly those bytes), a start tag taken apart and written back, escaping, and
//! the splicing of edits into a part.

use std::borrow::Cow;
use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::ooxml::{R, give_up};

/// Reads a part's events with their byte ranges.
pub(super) struct Events<'a> {
    reader: Reader<&'a [u8]>,
    xml: &'a str,
    /// Where the reader started (it restarts after a jump).
    base: usize,
}

fn reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(xml);
    let c = reader.config_mut();
    c.expand_empty_elements = false;
    c.trim_text(false);
    // End tags are matched by the callers' own nesting: the reader's own check cannot survive
    // a jump past a row. The part was already read whole by the reader that checked it.
    c.check_end_names = false;
    c.allow_unmatched_ends = true;
    reader
}

impl<'a> Events<'a> {
    pub(super) fn new(xml: &'a str) -> Self {
        Events {
            reader: reader(xml.as_bytes()),
            xml,
            base: 0,
        }
    }

    /// The next element boundary: a start or empty tag, or an end tag, past text, comments
    /// and declarations. The part ending first gives up (every caller is inside an element).
    pub(super) fn element(&mut self) -> R<Element<'a>> {
        loop {
            let (event, range) = self.next()?;
            return Ok(match event {
                Event::Start(tag) => Element::Open {
                    tag,
                    empty: false,
                    range,
                },
                Event::Empty(tag) => Element::Open {
                    tag,
                    empty: true,
                    range,
                },
                Event::End(_) => Element::Close(range),
                Event::Eof => return Err(give_up!()),
                _ => continue,
            });
        }
    }

    /// Skips past the next `end` (an end tag such as `</row>`) without reading what comes
    /// before it, when nothing there could hide one (CDATA, a comment). Returns whether it did.
    pub(super) fn skip_past(&mut self, end: &str) -> bool {
        let from = self.position();
        let rest = &self.xml.as_bytes()[from..];
        let Some(at) = memchr::memmem::find(rest, end.as_bytes()) else {
            return false;
        };
        let skipped = &rest[..at];
        if memchr::memmem::find(skipped, b"<!").is_some() {
            return false;
        }
        let to = from + at + end.len();
        self.reader = reader(&self.xml.as_bytes()[to..]);
        self.base = to;
        true
    }

    /// The original text of a range of the part.
    pub(super) fn slice(&self, range: Range<usize>) -> R<&'a str> {
        self.xml.get(range).ok_or(give_up!())
    }

    /// The next event and the bytes it spans. Malformed XML gives up.
    pub(super) fn next(&mut self) -> R<(Event<'a>, Range<usize>)> {
        let start = self.position();
        let event = self.reader.read_event().map_err(|_| give_up!())?;
        Ok((event, start..self.position()))
    }

    fn position(&self) -> usize {
        self.base + self.reader.buffer_position() as usize
    }

    /// Skips to the end of the element whose start tag was just read; returns where that end
    /// tag ends.
    pub(super) fn skip_element(&mut self, start: &BytesStart<'_>) -> R<usize> {
        self.reader
            .read_to_end(start.name())
            .map_err(|_| give_up!())?;
        Ok(self.position())
    }
}

/// What [`Events::element`] gives.
pub(super) enum Element<'a> {
    /// A start tag (`empty`: `<x/>`) and where it is.
    Open {
        tag: BytesStart<'a>,
        empty: bool,
        range: Range<usize>,
    },
    /// An end tag and where it is.
    Close(Range<usize>),
}

/// An attribute's value as written (entities not decoded), without taking the tag apart.
pub(super) fn raw_attr<'e>(e: &'e BytesStart<'_>, key: &str) -> Option<Cow<'e, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value)
}

/// A start (or empty) tag: its name and attributes as written (values still escaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tag {
    /// The qualified name.
    pub name: String,
    attrs: Vec<(String, String)>,
    /// `<x/>` rather than `<x>`.
    pub empty: bool,
}

impl Tag {
    /// A tag with no attributes yet.
    pub(super) fn new(name: &str, empty: bool) -> Tag {
        Tag {
            name: name.to_string(),
            attrs: Vec::new(),
            empty,
        }
    }

    pub(super) fn parse(e: &BytesStart<'_>, empty: bool) -> R<Tag> {
        let name = e.name().as_ref().to_string();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|_| give_up!())?;
            let key: &str = a.key.as_ref();
            let value: &str = &a.value;
            // A value that was single-quoted may hold a double quote: written back quoted.
            attrs.push((key.to_string(), value.replace('"', "&quot;")));
        }
        Ok(Tag { name, attrs, empty })
    }

    /// The tag written in `text` (`<xf a="1">` or `<xf a="1"/>`).
    pub(super) fn parse_text(text: &str) -> R<Tag> {
        let mut ev = Events::new(text);
        match ev.next()?.0 {
            Event::Start(e) => Tag::parse(&e, false),
            Event::Empty(e) => Tag::parse(&e, true),
            _ => Err(give_up!()),
        }
    }

    /// An attribute's value as written (escaped), by its qualified name.
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// An attribute's value by its local name (`r:id` → `id`), entities decoded.
    pub(super) fn get_local(&self, local: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(k, _)| k.rsplit(':').next() == Some(local))
            .and_then(|(_, v)| unescape(v))
    }

    /// An attribute's value, entities decoded.
    pub(super) fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(unescape)
    }

    /// Sets an attribute to an unescaped value, in place or at the end.
    pub(super) fn set(&mut self, key: &str, value: &str) {
        let value = escape(value).into_owned();
        match self.attrs.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((key.to_string(), value)),
        }
    }

    pub(super) fn remove(&mut self, key: &str) {
        self.attrs.retain(|(k, _)| k != key);
    }

    /// The tag written out.
    pub(super) fn write(&self) -> String {
        let mut out = format!("<{}", self.name);
        for (k, v) in &self.attrs {
            out.push_str(&format!(" {k}=\"{v}\""));
        }
        out.push_str(if self.empty { "/>" } else { ">" });
        out
    }

    /// The namespace prefix bound to `uri` on this tag (`xmlns:r="…"` → "r").
    pub(super) fn prefix_of(&self, uri: &str) -> Option<&str> {
        self.attrs.iter().find_map(|(k, v)| {
            let prefix = k.strip_prefix("xmlns:")?;
            (v == uri).then_some(prefix)
        })
    }
}

fn unescape(v: &str) -> Option<String> {
    quick_xml::escape::unescape(v).ok().map(Cow::into_owned)
}

pub(super) use crate::ooxml::xml::escape;

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::Xml;

/// A `<t>` element holding a text, with `xml:space="preserve"` when its edges are white
/// space (readers trim them otherwise).
pub(super) fn t_element(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    push_t(&mut out, text);
    out
}

/// Appends [`t_element`] of a text.
pub(super) fn push_t(out: &mut String, text: &str) {
    let edge = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let preserve = edge(text.chars().next()) || edge(text.chars().last()) || text.contains('\n');
    out.push_str(if preserve {
        "<t xml:space=\"preserve\">"
    } else {
        "<t>"
    });
    out.push_str(&escape(text));
    out.push_str("</t>");
}

/// A part with edits: each replaces a range of the original (an empty range inserts).
#[derive(Debug, Default)]
pub(super) struct Splices(Vec<(Range<usize>, String)>);

impl Splices {
    pub(super) fn replace(&mut self, range: Range<usize>, with: String) {
        self.0.push((range, with));
    }

    pub(super) fn insert(&mut self, at: usize, text: String) {
        self.0.push((at..at, text));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The part with every edit made. Insertions at one place keep the order they were made
    /// in; overlapping edits give up.
    pub(super) fn apply(mut self, xml: &str) -> R<String> {
        self.0.sort_by_key(|(r, _)| (r.start, r.end));
        let mut out = String::with_capacity(xml.len() + 1024);
        let mut at = 0;
        for (range, text) in &self.0 {
            if range.start < at || range.end > xml.len() {
                return Err(give_up!());
            }
            out.push_str(xml.get(at..range.start).ok_or(give_up!())?);
            out.push_str(text);
            at = range.end;
        }
        out.push_str(xml.get(at..).ok_or(give_up!())?);
        Ok(out)
    }
}

/// Rewrites the `count` attribute of a container's start tag.
pub(super) fn with_count(tag: &Tag, count: usize) -> String {
    let mut tag = tag.clone();
    if tag.get("count").is_some() {
        tag.set("count", &count.to_string());
    }
    tag.write()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_edit() {
        let xml = r#"<c r="H15" s="3" t='s' x:y="a&amp;b"/>"#;
        let mut ev = Events::new(xml);
        let (Event::Empty(e), range) = ev.next().unwrap() else {
            panic!("empty tag")
        };
        assert_eq!(range, 0..xml.len());
        let mut tag = Tag::parse(&e, true).unwrap();
        assert_eq!(tag.get("s"), Some("3"));
        assert_eq!(tag.text("x:y").as_deref(), Some("a&b"));
        assert_eq!(tag.get_local("y").as_deref(), Some("a&b"));
        tag.set("s", "12");
        tag.remove("t");
        tag.set("new", "<\"");
        assert_eq!(
            tag.write(),
            r#"<c r="H15" s="12" x:y="a&amp;b" new="&lt;&quot;"/>"#
        );
    }

    #[test]
    fn splices_apply_in_order() {
        let mut s = Splices::default();
        s.insert(3, "X".into());
        s.replace(0..1, "[".into());
        s.insert(3, "Y".into());
        assert_eq!(s.apply("abcdef").unwrap(), "[bcXYdef");
        let mut bad = Splices::default();
        bad.replace(0..3, String::new());
        bad.replace(2..4, String::new());
        assert!(bad.apply("abcdef").is_err());
    }

    #[test]
    fn text_keeps_its_edges() {
        assert_eq!(t_element("优"), "<t>优</t>");
        assert_eq!(t_element(" a&b"), r#"<t xml:space="preserve"> a&amp;b</t>"#);
        assert_eq!(
            t_element("原值：20\n更正为：10"),
            "<t xml:space=\"preserve\">原值：20\n更正为：10</t>"
        );
    }
}
