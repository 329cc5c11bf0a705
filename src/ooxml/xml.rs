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

/// Whether every attribute parses (no duplicates, quoted) and decodes (calamine refuses a
/// workbook where one does not).
pub fn attrs_sound(e: &BytesStart<'_>) -> bool {
    e.attributes()
        .all(|a| a.is_ok_and(|a| quick_xml::escape::unescape(&a.value).is_ok()))
}

/// Whether a boolean attribute is set ("1" or "true").
pub fn flag(e: &BytesStart<'_>, name: &str) -> bool {
    attr(e, name).is_some_and(|v| v == "1" || v == "true")
}

/// Text escaped for an attribute value or a text node.
pub fn escape(s: &str) -> Cow<'_, str> {
    quick_xml::escape::escape(s)
}
