//! Attribute helpers and escaping for the OOXML parsers (quick-xml events).

use std::borrow::Cow;

use quick_xml::events::BytesStart;

/// An attribute's value by local name (`r:id` → `id`), entities decoded; a value whose
/// entities do not decode is returned as written.
pub fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| {
            quick_xml::escape::unescape(&a.value)
                .map_or_else(|_| a.value.to_string(), |v| v.into_owned())
        })
}

/// The values of several attributes by local name (entities decoded; a value whose entities
/// do not decode is returned as written; the first of duplicate names wins), read in one pass,
/// and whether every attribute parsed (quoted, no duplicates) and decoded: calamine refuses a
/// workbook where one does not. One pass instead
/// of one per attribute: relationships and sheet lists are read for every file.
pub fn attrs<const N: usize>(e: &BytesStart<'_>, names: [&str; N]) -> (bool, [Option<String>; N]) {
    let mut out: [Option<String>; N] = std::array::from_fn(|_| None);
    let mut sound = true;
    for a in e.attributes() {
        let Ok(a) = a else {
            // Malformed or a duplicate: noted, and the others still read (as `attr` does).
            sound = false;
            continue;
        };
        // Every value is decoded (to know the attributes are sound); only the ones asked for
        // are copied.
        let value = quick_xml::escape::unescape(&a.value);
        sound &= value.is_ok();
        if let Some(i) = names.iter().position(|n| a.key.local_name().as_ref() == *n)
            && out[i].is_none()
        {
            out[i] = Some(match value {
                Ok(v) => v.into_owned(),
                Err(_) => a.value.to_string(),
            });
        }
    }
    (sound, out)
}

/// Whether a boolean attribute is set ("1" or "true").
pub fn flag(e: &BytesStart<'_>, name: &str) -> bool {
    attr(e, name).is_some_and(|v| v == "1" || v == "true")
}

/// Text escaped for an attribute value or a text node.
pub fn escape(s: &str) -> Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// Whether `xml` is well-formed as far as a reader cares: every tag closes the one it should,
/// attribute values are quoted and hold no `<`, references are whole, comments, CDATA and
/// processing instructions end, one root element, nothing left open. The patcher checks every
/// part it rewrites with it before the package replaces anything.
///
/// Hand-written rather than quick-xml's reader: it runs on every part of every corrected
/// workbook, and this scan (memchr over the bytes, names compared as slices) costs a fraction
/// of a full event parse. The tests hold it to quick-xml's judgement on real parts and on
/// thousands of damaged ones.
pub(crate) fn well_formed(xml: &[u8]) -> bool {
    let n = xml.len();
    let mut open: Vec<&[u8]> = Vec::with_capacity(16);
    // The attribute names of the tag being read: a name twice is refused.
    let mut names: Vec<&[u8]> = Vec::with_capacity(8);
    let mut roots = 0usize;
    let mut i = 0;
    let find =
        |from: usize, what: &[u8]| memchr::memmem::find(&xml[from..], what).map(|e| from + e);
    let blank = |s: &[u8]| s.iter().all(u8::is_ascii_whitespace);
    loop {
        // Text up to the next markup or reference: only white space outside the root.
        // (Byte loops rather than memchr here and below: the spans between tags and inside
        // attribute values are a few bytes, shorter than a vector search pays off.)
        let Some(e) = xml[i..].iter().position(|b| *b == b'<' || *b == b'&') else {
            return open.is_empty() && roots == 1 && blank(&xml[i..]);
        };
        let lt = i + e;
        if open.is_empty() && !blank(&xml[i..lt]) {
            return false;
        }
        if xml[lt] == b'&' {
            match reference_len(&xml[lt..]) {
                Some(len) if !open.is_empty() => i = lt + len,
                _ => return false,
            }
            continue;
        }
        let rest = &xml[lt..];
        i = if rest.starts_with(b"<?") {
            match find(lt + 2, b"?>") {
                Some(e) => e + 2,
                None => return false,
            }
        } else if rest.starts_with(b"<!--") {
            match find(lt + 4, b"-->") {
                Some(e) => e + 3,
                None => return false,
            }
        } else if rest.starts_with(b"<![CDATA[") {
            if open.is_empty() {
                return false;
            }
            match find(lt + 9, b"]]>") {
                Some(e) => e + 3,
                None => return false,
            }
        } else if rest.starts_with(b"<!") {
            // A document type declaration, before the root only.
            if roots > 0 {
                return false;
            }
            match memchr::memchr(b'>', rest) {
                Some(e) => lt + e + 1,
                None => return false,
            }
        } else if rest.get(1) == Some(&b'/') {
            let mut j = lt + 2;
            while j < n && name_byte(xml[j]) {
                j += 1;
            }
            let name = &xml[lt + 2..j];
            while j < n && xml[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= n || xml[j] != b'>' || open.pop() != Some(name) {
                return false;
            }
            j + 1
        } else {
            let mut j = lt + 1;
            while j < n && name_byte(xml[j]) {
                j += 1;
            }
            let name = &xml[lt + 1..j];
            if name.is_empty() {
                return false;
            }
            names.clear();
            // Attributes (` name = "value"`, set off by white space) up to `>` or `/>`.
            let empty = loop {
                let from = j;
                while j < n && xml[j].is_ascii_whitespace() {
                    j += 1;
                }
                match xml.get(j) {
                    None => return false,
                    Some(b'>') => {
                        j += 1;
                        break false;
                    }
                    Some(b'/') => {
                        if xml.get(j + 1) != Some(&b'>') {
                            return false;
                        }
                        j += 2;
                        break true;
                    }
                    Some(_) if j == from => return false,
                    Some(_) => {}
                }
                let start = j;
                while j < n && name_byte(xml[j]) {
                    j += 1;
                }
                let attribute = &xml[start..j];
                if attribute.is_empty() || names.contains(&attribute) {
                    return false;
                }
                names.push(attribute);
                while j < n && xml[j].is_ascii_whitespace() {
                    j += 1;
                }
                if xml.get(j) != Some(&b'=') {
                    return false;
                }
                j += 1;
                while j < n && xml[j].is_ascii_whitespace() {
                    j += 1;
                }
                let Some(&quote @ (b'"' | b'\'')) = xml.get(j) else {
                    return false;
                };
                let mut k = j + 1;
                while k < n && xml[k] != quote {
                    match xml[k] {
                        b'<' => return false,
                        b'&' if reference_len(&xml[k..]).is_none() => return false,
                        _ => k += 1,
                    }
                }
                if k >= n {
                    return false;
                }
                j = k + 1;
            };
            if open.is_empty() {
                roots += 1;
                if roots > 1 {
                    return false;
                }
            }
            if !empty {
                open.push(name);
            }
            j
        };
    }
}

/// Whether a byte may be part of a name (ASCII name characters, and any byte of a non-ASCII
/// character).
fn name_byte(b: u8) -> bool {
    NAME_BYTES[usize::from(b)]
}

/// [`name_byte`] as a table: looked up for nearly every byte of a part.
static NAME_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b':' | b'_' | b'-' | b'.') || c >= 0x80;
        b += 1;
    }
    t
};

/// The length of the whole reference (`&name;`, `&#9;`, `&#x9;`) at the start of `s`.
fn reference_len(s: &[u8]) -> Option<usize> {
    let body = s.get(1..)?;
    let end = body.iter().take(12).position(|b| *b == b';')?;
    let ok = match &body[..end] {
        [b'#', b'x', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', dec @ ..] => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
        name => !name.is_empty() && name.iter().all(|b| name_byte(*b)),
    };
    ok.then_some(end + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_finds_a_splice_in_the_wrong_place() {
        assert!(well_formed(
            br#"<?xml version="1.0"?><a x="1"><b/><c>t</c></a>"#
        ));
        // The corrupt styles.xml a BOM once caused: a tag spliced inside another.
        assert!(!well_formed(
            br#"<?xml version="1.0"?><styleSheet xmlns="http://x/mai<fonts count="7">3"><font/></fonts></styleSheet>"#
        ));
        for bad in [
            &b"<a><b></a></b>"[..],
            b"<a>",
            b"<a/><b/>",
            b"</a>",
            b"text<a/>",
            b"",
            b"<a b=\"1<\"/>",
            b"<a>&amp</a>",
            b"<a b='&x'/>",
            b"<a><!-- x</a>",
            b"<a><![CDATA[x</a>",
            b"<a x></a>&",
        ] {
            assert!(!well_formed(bad), "{}", String::from_utf8_lossy(bad));
        }
        assert!(well_formed(b"<?xml version=\"1.0\"?>\n<!-- c --><a x='&quot;1&#9;' y = \"2\" ><![CDATA[<>&]]>&#x4E2D;<b\n/></a >\n"));
    }

    /// quick-xml's judgement, the oracle: every event parses, end names match, one root.
    fn strict(xml: &[u8]) -> bool {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_reader(xml);
        reader.config_mut().check_end_names = true;
        let mut buf = Vec::new();
        let (mut depth, mut roots) = (0usize, 0usize);
        loop {
            buf.clear();
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) | Ok(Event::Empty(e))
                    if e.attributes().any(|a| {
                        a.map_or(true, |a| quick_xml::escape::unescape(&a.value).is_err())
                    }) =>
                {
                    return false;
                }
                Ok(Event::Start(_)) => {
                    roots += usize::from(depth == 0);
                    depth += 1;
                }
                Ok(Event::Empty(_)) => roots += usize::from(depth == 0),
                Ok(Event::End(_)) => match depth.checked_sub(1) {
                    Some(d) => depth = d,
                    None => return false,
                },
                Ok(Event::Text(t)) => {
                    if depth == 0 && !t.as_ref().trim().is_empty()
                        || quick_xml::escape::unescape(t.as_ref()).is_err()
                    {
                        return false;
                    }
                }
                Ok(Event::GeneralRef(_)) if depth == 0 => return false,
                Ok(Event::CData(_)) if depth == 0 => return false,
                Ok(Event::Eof) => return depth == 0 && roots == 1,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    }

    #[test]
    fn well_formed_agrees_with_quick_xml_on_real_and_damaged_parts() {
        use std::io::Read;
        let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
        let mut parts = Vec::new();
        for name in [
            "national_planted_errors.xlsx",
            "seed_kelamayi_2023.xlsx",
            "sichuan_operator_columns.xlsx",
        ] {
            let file = std::fs::File::open(format!("{samples}/{name}")).unwrap();
            let mut zip = zip::ZipArchive::new(file).unwrap();
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).unwrap();
                let name = f.name().unwrap().to_string();
                if name.ends_with(".xml") || name.ends_with(".rels") {
                    let mut data = Vec::new();
                    f.read_to_end(&mut data).unwrap();
                    parts.push(data);
                }
            }
        }
        assert!(parts.len() > 20);
        // A small linear congruential generator: the same damage every run.
        let mut seed = 0x2024_u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n.max(1)
        };
        let mut damaged = 0;
        for part in &parts {
            assert!(well_formed(part), "{}", String::from_utf8_lossy(part));
            assert!(strict(part));
            for _ in 0..200 {
                // A splice in the wrong place: bytes cut out, or moved a few bytes on.
                let mut bad = part.clone();
                let at = next(bad.len());
                let len = 1 + next(6);
                let cut: Vec<u8> = bad.drain(at..(at + len).min(bad.len())).collect();
                if next(2) == 0 {
                    let to = next(bad.len() + 1);
                    bad.splice(to..to, cut);
                }
                if std::str::from_utf8(&bad).is_err() {
                    continue;
                }
                let (fast, oracle) = (well_formed(&bad), strict(&bad));
                damaged += usize::from(!oracle);
                // Never more lenient than quick-xml: what it refuses is refused.
                assert!(oracle || !fast, "{}", String::from_utf8_lossy(&bad));
            }
        }
        assert!(damaged > 1000, "{damaged}");
    }
}
