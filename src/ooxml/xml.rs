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
