//! Relationships parts (`_rels/.rels`, `xl/_rels/workbook.xml.rels`, a sheet's
//! `…/_rels/sheet1.xml.rels`): one parser for the guard, the readers and the patcher, the
//! writer the patcher uses, and how part names and relationship targets relate.
//!
//! The parser never fails: it keeps every relationship with an id and a target and says how
//! sound the part was. Each caller decides what it can live with — the layout reader marks a
//! workbook unusual (calamine reads it then), the fast reader and the patcher give up.

use quick_xml::events::Event;

use super::xml::{attrs, escape};

/// The namespace of the relationship types zpcheck adds (transitional).
pub const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// One relationship of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rel {
    /// Its id (`rId1`).
    pub id: String,
    /// Its type, a URI ending in the kind (`…/worksheet`); empty when the part gave none.
    pub typ: String,
    /// Its target as written: relative to the source part's folder, or absolute from the
    /// package root.
    pub target: String,
    /// TargetMode="External": a link, not a part.
    pub external: bool,
}

/// A relationships part, read whole.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rels {
    /// The relationships that have an id and a target, in document order.
    pub rels: Vec<Rel>,
    /// The XML parsed to its closing `</Relationships>` and every attribute parsed and decoded.
    pub well_formed: bool,
    /// Every relationship had an id, a type and a target.
    pub complete: bool,
}

impl Rels {
    /// Reads a relationships part (see the module docs: it never fails).
    pub fn parse(xml: &str) -> Rels {
        let mut rels = Vec::new();
        let (mut attrs_ok, mut complete, mut closed) = (true, true, false);
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(Event::Empty(e) | Event::Start(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    // Noted, and read on: what can be read still counts.
                    let (sound, [id, typ, target, mode]) =
                        attrs(&e, ["Id", "Type", "Target", "TargetMode"]);
                    attrs_ok &= sound;
                    complete &= typ.is_some();
                    match (id, target) {
                        (Some(id), Some(target)) => rels.push(Rel {
                            id,
                            typ: typ.unwrap_or_default(),
                            target,
                            external: mode.as_deref() == Some("External"),
                        }),
                        _ => complete = false,
                    }
                }
                Ok(Event::End(e)) if e.local_name().as_ref() == "Relationships" => {
                    closed = true;
                    break;
                }
                // Cut short or unreadable.
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        Rels {
            rels,
            well_formed: attrs_ok && closed,
            complete: complete && attrs_ok,
        }
    }

    /// The first relationship whose type ends with `/kind`.
    pub fn of_type(&self, kind: &str) -> Option<&Rel> {
        self.rels.iter().find(|r| is_type(&r.typ, kind))
    }

    /// The relationship with this id.
    pub fn by_id(&self, id: &str) -> Option<&Rel> {
        self.rels.iter().find(|r| r.id == id)
    }

    /// Adds a relationship of type `…/relationships/kind` and returns its new id.
    pub fn add(&mut self, kind: &str, target: &str) -> String {
        let id = (1..)
            .map(|n| format!("rId{n}"))
            .find(|id| self.by_id(id).is_none())
            .unwrap_or_default();
        self.rels.push(Rel {
            id: id.clone(),
            typ: format!("{REL}/{kind}"),
            target: target.to_string(),
            external: false,
        });
        id
    }

    /// Removes the relationships of a type; returns their targets.
    pub fn remove_type(&mut self, kind: &str) -> Vec<String> {
        let (gone, kept): (Vec<Rel>, Vec<Rel>) =
            self.rels.drain(..).partition(|r| is_type(&r.typ, kind));
        self.rels = kept;
        gone.into_iter().map(|r| r.target).collect()
    }

    /// The part written out.
    pub fn write(&self) -> String {
        let mut out = String::with_capacity(200 + 160 * self.rels.len());
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        for r in &self.rels {
            for (text, value) in [
                ("<Relationship Id=\"", r.id.as_str()),
                ("\" Type=\"", &r.typ),
                ("\" Target=\"", &r.target),
            ] {
                out.push_str(text);
                out.push_str(&escape(value));
            }
            out.push_str(if r.external {
                "\" TargetMode=\"External\"/>"
            } else {
                "\"/>"
            });
        }
        out.push_str("</Relationships>");
        out
    }
}

/// Whether a relationship type is `…/kind` (in any of the namespaces writers use).
pub fn is_type(typ: &str, kind: &str) -> bool {
    typ.rsplit('/').next() == Some(kind)
}

/// The target of the package's officeDocument relationship (in `_rels/.rels`), without a
/// leading "/"; none when the part is not sound or names none.
pub fn office_document(rels_xml: &[u8]) -> Option<String> {
    let rels = Rels::parse(std::str::from_utf8(rels_xml).ok()?);
    if !rels.well_formed {
        return None;
    }
    let t = &rels.of_type("officeDocument")?.target;
    Some(t.strip_prefix('/').unwrap_or(t).to_string())
}

/// The relationships part of a part: `xl/worksheets/sheet1.xml` →
/// `xl/worksheets/_rels/sheet1.xml.rels`.
pub fn rels_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The part a relationship of `source` points at: targets are relative to the source's
/// folder, or absolute from the package root. None when ".." climbs out of the package.
pub fn resolve(source: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = match target.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => source.rsplit_once('/').map_or(Vec::new(), |(dir, _)| {
            dir.split('/').filter(|s| !s.is_empty()).collect()
        }),
    };
    for seg in target.trim_start_matches('/').split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_source() {
        let sheet = "xl/worksheets/sheet1.xml";
        assert_eq!(
            resolve(sheet, "../comments1.xml").as_deref(),
            Some("xl/comments1.xml")
        );
        assert_eq!(
            resolve(sheet, "../drawings/vmlDrawing1.vml").as_deref(),
            Some("xl/drawings/vmlDrawing1.vml")
        );
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/sheet2.xml").as_deref(),
            Some("xl/worksheets/sheet2.xml")
        );
        assert_eq!(
            resolve("xl/workbook.xml", "/xl/styles.xml").as_deref(),
            Some("xl/styles.xml")
        );
        assert_eq!(resolve("a.xml", "../../x.xml"), None);
        assert_eq!(rels_name(sheet), "xl/worksheets/_rels/sheet1.xml.rels");
        assert_eq!(rels_name("workbook.xml"), "_rels/workbook.xml.rels");
    }

    #[test]
    fn one_parser_says_how_sound_the_part_is() {
        let ok = r#"<Relationships xmlns="p"><Relationship Id="rId1" Type="http://x/officeDocument" Target="/xl/workbook.xml"/></Relationships>"#;
        let rels = Rels::parse(ok);
        assert!(rels.well_formed && rels.complete);
        assert_eq!(
            office_document(ok.as_bytes()).as_deref(),
            Some("xl/workbook.xml")
        );
        // No type: kept, read as whole XML, but not complete (the patcher gives up).
        let untyped = ok.replace(r#" Type="http://x/officeDocument""#, "");
        let rels = Rels::parse(&untyped);
        assert!(rels.well_formed && !rels.complete);
        assert_eq!(rels.rels[0].typ, "");
        // A duplicate attribute: not well formed; what can be read still counts.
        let doubled = ok.replace(r#"Id="rId1""#, r#"Id="rId1" Id="rId2""#);
        let rels = Rels::parse(&doubled);
        assert!(!rels.well_formed && !rels.complete);
        assert_eq!(office_document(doubled.as_bytes()), None);
        // Cut short.
        assert!(!Rels::parse(&ok[..ok.len() - 3]).well_formed);
    }
}
