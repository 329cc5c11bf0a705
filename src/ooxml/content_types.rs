//! `[Content_Types].xml`: the content type of every part, by extension (Default) or by part
//! name (Override). Read and written whole by the patcher, which adds the types of the parts it
//! adds (notes, the 核查结果 sheet) and turns a macro-enabled workbook into a plain one.

use quick_xml::events::Event;

use super::R;
use super::xml::{attrs, escape};

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::ContentTypes;

/// `[Content_Types].xml`, read and written whole.
#[derive(Debug, Default)]
pub(crate) struct ContentTypes {
    /// (extension, content type)
    defaults: Vec<(String, String)>,
    /// (part name with leading "/", content type)
    overrides: Vec<(String, String)>,
}

impl ContentTypes {
    pub(crate) const NAME: &'static str = "[Content_Types].xml";

    /// Reads the part; gives up on XML that does not parse or an entry without its attributes
    /// (the part is written back whole).
    pub(crate) fn parse(xml: &str) -> R<Self> {
        let mut ct = ContentTypes::default();
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event()? {
                Event::Start(e) | Event::Empty(e) => {
                    let (sound, [ext, part, typ]) =
                        attrs(&e, ["Extension", "PartName", "ContentType"]);
                    let entry = match e.local_name().as_ref() {
                        "Default" => Some((&mut ct.defaults, ext)),
                        "Override" => Some((&mut ct.overrides, part)),
                        _ => None,
                    };
                    if let Some((list, key)) = entry {
                        match (sound, key, typ) {
                            (true, Some(key), Some(typ)) => list.push((key, typ)),
                            _ => return Err(give_up!()),
                        }
                    }
                }
                Event::Eof => return Ok(ct),
                _ => {}
            }
        }
    }

    /// The content type of a part: its override, else its extension's default.
    #[cfg(test)]
    fn of(&self, part: &str) -> Option<&str> {
        let name = format!("/{part}");
        if let Some((_, t)) = self
            .overrides
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(&name))
        {
            return Some(t);
        }
        let ext = part.rsplit_once('.')?.1;
        self.defaults
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(ext))
            .map(|(_, t)| t.as_str())
    }

    pub(crate) fn set_override(&mut self, part: &str, typ: &str) {
        let name = format!("/{part}");
        self.overrides
            .retain(|(p, _)| !p.eq_ignore_ascii_case(&name));
        self.overrides.push((name, typ.to_string()));
    }

    pub(crate) fn remove_override(&mut self, part: &str) {
        let name = format!("/{part}");
        self.overrides
            .retain(|(p, _)| !p.eq_ignore_ascii_case(&name));
    }

    /// Makes sure parts with this extension have this type (unless overridden).
    pub(crate) fn ensure_default(&mut self, ext: &str, typ: &str) {
        if !self
            .defaults
            .iter()
            .any(|(e, _)| e.eq_ignore_ascii_case(ext))
        {
            self.defaults.push((ext.to_string(), typ.to_string()));
        }
    }

    /// Replaces one content type by another wherever it is used.
    pub(crate) fn retype(&mut self, from: &str, to: &str) {
        for (_, t) in self.defaults.iter_mut().chain(self.overrides.iter_mut()) {
            if t == from {
                *t = to.to_string();
            }
        }
    }

    pub(crate) fn write(&self) -> String {
        let mut out =
            String::with_capacity(200 + 120 * (self.defaults.len() + self.overrides.len()));
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
        let entries = self
            .defaults
            .iter()
            .map(|(e, t)| ("<Default Extension=\"", e, t))
            .chain(
                self.overrides
                    .iter()
                    .map(|(p, t)| ("<Override PartName=\"", p, t)),
            );
        for (open, key, typ) in entries {
            out.push_str(open);
            out.push_str(&escape(key));
            out.push_str("\" ContentType=\"");
            out.push_str(&escape(typ));
            out.push_str("\"/>");
        }
        out.push_str("</Types>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_round_trip() {
        let ct = r#"<Types xmlns="t"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="main"/></Types>"#;
        let mut ct = ContentTypes::parse(ct).unwrap();
        assert_eq!(ct.of("xl/workbook.xml"), Some("main"));
        assert_eq!(ct.of("xl/other.xml"), Some("application/xml"));
        ct.ensure_default("vml", "vml-type");
        ct.set_override("xl/comments1.xml", "comments");
        ct.retype("main", "sheet.main");
        let back = ContentTypes::parse(&ct.write()).unwrap();
        assert_eq!(back.of("xl/workbook.xml"), Some("sheet.main"));
        assert_eq!(back.of("xl/comments1.xml"), Some("comments"));
        assert_eq!(back.of("xl/drawings/a.vml"), Some("vml-type"));
        // An entry without its type is given up on.
        assert!(ContentTypes::parse(r#"<Types><Default Extension="xml"/></Types>"#).is_err());
    }
}
