//! The package being patched: the input's zip container, the parts that change, and the
//! relationship and content-type lists that name them. Parts that do not change are copied
//! into the output still compressed, byte for byte.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use crate::ooxml::archive::Archive;
pub(super) use crate::ooxml::content_types::ContentTypes;
pub(super) use crate::ooxml::rels::{REL, Rels, rels_name, resolve};
use crate::ooxml::{R, give_up};

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::Package;

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The input package and what changes in it.
pub(super) struct Package<'a> {
    bytes: &'a [u8],
    /// Parts the read already decompressed.
    read: &'a HashMap<String, String>,
    zip: Zip<'a>,
    /// Every part by its lower-cased name (names compare without case, as readers find them).
    names: HashMap<String, String>,
    /// New content of existing parts and content of new ones, by name.
    changed: HashMap<String, Vec<u8>>,
    /// New parts in the order they were added (after the input's parts).
    added: Vec<String>,
    /// The same names, as added and lower-cased: membership in constant time (fixing 4,500
    /// form sheets tried every name against every added part).
    added_exact: HashSet<String>,
    added_lower: HashSet<String>,
    /// For each name pattern (by its name for N = 0), the N below which every name is taken.
    free_from: HashMap<String, usize>,
    removed: HashSet<String>,
    buf: Vec<u8>,
}

impl<'a> Package<'a> {
    pub(super) fn open(bytes: &'a [u8], read: &'a HashMap<String, String>) -> R<Self> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| give_up!())?;
        let mut names = HashMap::with_capacity(zip.len());
        for n in zip.file_names() {
            let n = n.map_err(|_| give_up!())?;
            if names
                .insert(n.to_ascii_lowercase(), n.to_string())
                .is_some()
            {
                return Err(give_up!());
            }
        }
        Ok(Package {
            bytes,
            read,
            zip,
            names,
            changed: HashMap::new(),
            added: Vec::new(),
            added_exact: HashSet::new(),
            added_lower: HashSet::new(),
            free_from: HashMap::new(),
            removed: HashSet::new(),
            buf: Vec::new(),
        })
    }

    /// The part's name as stored, if the package has it.
    fn stored_name(&self, name: &str) -> Option<&String> {
        self.names.get(&name.to_ascii_lowercase())
    }

    /// Whether the package has a part (or will, once written).
    pub(super) fn has(&self, name: &str) -> bool {
        let stored = self
            .stored_name(name)
            .is_some_and(|n| !self.removed.contains(n));
        stored || self.added_lower.contains(&name.to_ascii_lowercase())
    }

    /// A part's text as it now stands (changed or original); None when there is no such part.
    pub(super) fn text(&mut self, name: &str) -> R<Option<String>> {
        let stored = self.stored_name(name).cloned();
        let key = stored.clone().unwrap_or_else(|| name.to_string());
        if let Some(new) = self.changed.get(&key) {
            return String::from_utf8(new.clone())
                .map(Some)
                .map_err(|_| give_up!());
        }
        let Some(stored) = stored.filter(|n| !self.removed.contains(n)) else {
            return Ok(None);
        };
        if let Some(text) = self.read.get(&stored) {
            return Ok(Some(text.clone()));
        }
        let index = self.zip.index_for_name(&stored).ok_or(give_up!())?;
        if !crate::ooxml::unzip::entry_into(&mut self.zip, self.bytes, index, &mut self.buf) {
            return Err(give_up!());
        }
        // A part with a mark or in UTF-16 (allowed by the standard, written by no spreadsheet
        // program) is made plain UTF-8 first: every position the patcher takes is then one in
        // the text it writes back.
        if crate::ooxml::plain::head_needs_plain(&self.buf) {
            let plain = crate::ooxml::plain::plain_xml(&self.buf).map_err(|_| give_up!())?;
            if let Some(plain) = plain {
                return String::from_utf8(plain).map(Some).map_err(|_| give_up!());
            }
        }
        let text = std::str::from_utf8(&self.buf).map_err(|_| give_up!())?;
        Ok(Some(text.to_string()))
    }

    /// Sets a part's content: an existing part is replaced in place, a new one added.
    pub(super) fn set(&mut self, name: &str, content: impl Into<Vec<u8>>) {
        let key = match self.stored_name(name) {
            Some(stored) => {
                let stored = stored.clone();
                self.removed.remove(&stored);
                stored
            }
            None => {
                if self.added_exact.insert(name.to_string()) {
                    self.added_lower.insert(name.to_ascii_lowercase());
                    self.added.push(name.to_string());
                }
                name.to_string()
            }
        };
        self.changed.insert(key, content.into());
    }

    pub(super) fn remove(&mut self, name: &str) {
        if let Some(stored) = self.stored_name(name).cloned() {
            self.changed.remove(&stored);
            self.removed.insert(stored);
            // A number may have become free again.
            self.free_from.clear();
        }
    }

    /// A name like `xl/comments{N}.xml` that no part has yet, with the smallest N from 1.
    /// Names are only taken between removals, so the search goes on from where the last one
    /// for the same pattern stopped: linear in the parts in all, not quadratic.
    pub(super) fn free_name(&mut self, pattern: impl Fn(usize) -> String) -> String {
        let key = pattern(0);
        let from = self.free_from.get(&key).copied().unwrap_or(1);
        match (from..).find(|n| !self.has(&pattern(*n))) {
            Some(n) => {
                self.free_from.insert(key, n);
                pattern(n)
            }
            None => key,
        }
    }

    /// The names of the input's parts.
    pub(super) fn part_names(&self) -> impl Iterator<Item = &str> {
        self.names.values().map(String::as_str)
    }

    /// The output package: unchanged parts copied compressed as they were, changed parts in
    /// their place, new parts after them.
    ///
    /// Nothing is written that cannot be read back: every part of the input that was
    /// rewritten — edited in place at positions the patcher took, where a wrong position
    /// splices one tag into another — must be well-formed ([`crate::ooxml::xml::well_formed`]),
    /// and the finished zip must open and list every part; otherwise the patcher gives up
    /// (and the workbook is rebuilt). New parts (the 核查结果 sheet, notes) are written whole
    /// by serializers, not spliced, and are held to spreadsheet programs by the tests.
    pub(super) fn finish(mut self) -> R<Vec<u8>> {
        for (name, content) in &self.changed {
            let rewritten = !self.added_exact.contains(name);
            if rewritten
                && crate::ooxml::plain::is_xml_part(name)
                && !crate::ooxml::xml::well_formed(content)
            {
                return Err(give_up!());
            }
        }
        let changed: usize = self.changed.values().map(Vec::len).sum();
        let mut out = Archive::with_capacity(self.bytes.len() + changed / 3);
        for i in 0..self.zip.len() {
            let raw = self.zip.by_index_raw(i).map_err(|_| give_up!())?;
            let name = raw.name().map_err(|_| give_up!())?.into_owned();
            if self.removed.contains(&name) {
                continue;
            }
            if let Some(content) = self.changed.get(&name) {
                out.add(&name, content)?;
                continue;
            }
            out.copy_entry(&name, &raw, self.bytes)?;
        }
        for name in &self.added {
            out.add(name, self.changed.get(name).ok_or(give_up!())?)?;
        }
        let parts = self.zip.len() - self.removed.len() + self.added.len();
        let written = out.finish()?;
        let again =
            zip::ZipArchive::new(Cursor::new(written.as_slice())).map_err(|_| give_up!())?;
        if again.len() != parts {
            return Err(give_up!());
        }
        Ok(written)
    }
}

/// A relationships part as the patcher needs it: read by [`crate::ooxml::rels`], and given up on
/// unless it is sound and every relationship is whole (the patcher writes it back).
pub(super) fn parse_rels(xml: &str) -> R<Rels> {
    let rels = Rels::parse(xml);
    if rels.well_formed && rels.complete {
        Ok(rels)
    } else {
        Err(give_up!())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationships_round_trip() {
        let xml = r#"<?xml version="1.0"?><Relationships xmlns="x"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://x/hyperlink" Target="http://a?b&amp;c" TargetMode="External"/></Relationships>"#;
        let mut rels = parse_rels(xml).unwrap();
        assert_eq!(rels.rels.len(), 2);
        assert_eq!(rels.add("comments", "../comments1.xml"), "rId2");
        assert_eq!(rels.of_type("hyperlink").map(|r| r.external), Some(true));
        let again = parse_rels(&rels.write()).unwrap();
        assert_eq!(again.rels, rels.rels);
        assert_eq!(rels.remove_type("worksheet"), vec!["worksheets/sheet1.xml"]);
    }

    #[test]
    fn a_rewritten_part_that_does_not_parse_is_never_written() {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in [("a.xml", "<a/>"), ("b.bin", "<")] {
            z.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(data.as_bytes()).unwrap();
        }
        let bytes = z.finish().unwrap().into_inner();
        let read = HashMap::new();
        let finish = |content: &str, name: &str| {
            let mut pkg = Package::open(&bytes, &read).unwrap();
            pkg.set(name, content.as_bytes().to_vec());
            pkg.finish()
        };
        assert!(finish("<a><b/></a>", "a.xml").is_ok());
        assert!(finish("<a></b>", "a.xml").is_err());
        assert!(finish("<a>", "a.xml").is_err());
        // A new part is written whole, not spliced: not parsed again.
        assert!(finish("<a>", "new.xml").is_ok());
        // Not XML: not parsed.
        assert!(finish("<", "b.bin").is_ok());
        let written = finish("<a/>", "new.xml").unwrap();
        assert_eq!(zip::ZipArchive::new(Cursor::new(written)).unwrap().len(), 3);
    }
}
