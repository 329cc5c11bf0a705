//! Making a package's XML plain before anything reads or patches it: UTF-8 without a
//! byte-order mark (the declaration saying so), character references and CDATA sections
//! written out as ordinary text.
//!
//! Why: the standard lets a part be UTF-8 or UTF-16, with or without a byte-order mark, and
//! lets any character be written as `&#49;` or inside `<![CDATA[…]]>`. No spreadsheet program
//! writes that, but hand-made and converted files do, and every stage that reads XML then has
//! to get it right: quick-xml's byte positions do not count a mark (the patcher once spliced
//! `styles.xml` three bytes early, a file Excel cannot open), calamine reads `<v>&#49;00</v>`
//! as less than 100, and the fast reader rightly declines such parts. Made plain once, up
//! front, every reader and the patcher see the same ordinary XML, and positions are right.
//!
//! What stays a reference: a carriage return in text, and tab, line feed and carriage return
//! in an attribute value — written out, XML would turn them into a line feed or a space.
//! Markup (tags, comments, processing instructions) is copied as it is; a reference whose
//! number is not a character is left for the reader to refuse.

use std::borrow::Cow;
use std::io::Read;

use crate::error::InputError;
use crate::limits::MAX_PART_BYTES;

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::Xml;

/// How many bytes of a part's beginning tell whether its encoding is plain (the mark and the
/// declaration).
pub(crate) const HEAD_BYTES: usize = 128;

/// Whether a part is XML that this module makes plain (by its name).
pub(crate) fn is_xml_part(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".xml", ".rels", ".vml"].iter().any(|e| lower.ends_with(e))
}

/// Whether a part beginning with `head` is in another encoding than plain UTF-8 (a mark,
/// UTF-16, or a declaration naming another encoding).
pub(crate) fn head_needs_plain(head: &[u8]) -> bool {
    head.starts_with(&[0xEF, 0xBB, 0xBF])
        || head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || head.starts_with(&[b'<', 0])
        || head.starts_with(&[0, b'<'])
        || declared_encoding(head).is_some_and(|e| !is_utf8_label(e))
}

fn is_utf8_label(label: &str) -> bool {
    label.eq_ignore_ascii_case("utf-8") || label.eq_ignore_ascii_case("utf8")
}

/// The encoding an XML declaration at the start of `head` names, if it names one.
fn declared_encoding(head: &[u8]) -> Option<&str> {
    let decl = head.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(decl, b"?>").unwrap_or(decl.len());
    let decl = std::str::from_utf8(decl.get(..end)?).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl.get(at + "encoding".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = rest.get(1..)?;
    value.find(quote).and_then(|e| value.get(..e))
}

/// Why a part could not be made plain (it is then left as it is).
fn undecodable(what: &str) -> String {
    format!("XML 部件的编码无法识别（{what}）")
}

/// Decodes a part to text: the mark dropped, UTF-16 and declared encodings converted (a
/// malformed sequence becomes U+FFFD, as a reader that declined nothing would show it). The
/// flag says whether the declaration must now be made to say UTF-8. An error is a part that
/// is not text in any encoding it names (bytes that are not UTF-8, an unknown encoding): it
/// is left as it is, for the readers to decide, as they did before this module.
fn decode(raw: &[u8]) -> Result<(Cow<'_, str>, bool), String> {
    let utf16 = |body: &[u8], little: bool| -> Result<String, String> {
        let units = body.chunks_exact(2).map(|p| {
            if little {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        Ok(char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect())
    };
    if let Some(body) = raw.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let text = std::str::from_utf8(body).map_err(|_| undecodable("不是有效的 UTF-8"))?;
        return Ok((Cow::Borrowed(text), false));
    }
    if let Some(body) = raw.strip_prefix(&[0xFF, 0xFE]) {
        return Ok((Cow::Owned(utf16(body, true)?), true));
    }
    if let Some(body) = raw.strip_prefix(&[0xFE, 0xFF]) {
        return Ok((Cow::Owned(utf16(body, false)?), true));
    }
    if raw.starts_with(&[b'<', 0]) {
        return Ok((Cow::Owned(utf16(raw, true)?), true));
    }
    if raw.starts_with(&[0, b'<']) {
        return Ok((Cow::Owned(utf16(raw, false)?), true));
    }
    if let Some(label) = declared_encoding(&raw[..raw.len().min(HEAD_BYTES)])
        && !is_utf8_label(label)
    {
        let encoding = encoding_rs::Encoding::for_label(label.as_bytes())
            .ok_or_else(|| undecodable(&format!("声明为 {label}")))?;
        let (text, _) = encoding.decode_without_bom_handling(raw);
        return Ok((Cow::Owned(text.into_owned()), true));
    }
    let text = std::str::from_utf8(raw).map_err(|_| undecodable("不是有效的 UTF-8"))?;
    Ok((Cow::Borrowed(text), false))
}

/// The text with its declaration's encoding made `UTF-8`.
fn declare_utf8(text: &str) -> Cow<'_, str> {
    let Some(decl_end) = text
        .strip_prefix("<?xml")
        .and_then(|d| d.find("?>"))
        .map(|e| e + "<?xml".len())
    else {
        return Cow::Borrowed(text);
    };
    let decl = &text[..decl_end];
    let Some(label) = declared_encoding(decl.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    // The label is a slice of the declaration: its place is its pointer's offset.
    let start = label.as_ptr() as usize - decl.as_ptr() as usize;
    let end = start + label.len();
    Cow::Owned(format!("{}UTF-8{}", &text[..start], &text[end..]))
}

/// The character a reference at the start of `s` (`&#…;`) stands for, and its length.
fn char_ref(s: &str) -> Option<(char, usize)> {
    let body = s.strip_prefix("&#")?;
    let end = body.get(..body.len().min(12))?.find(';')?;
    let digits = &body[..end];
    let n = match digits.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    if digits.is_empty() || digits.starts_with('+') || digits.starts_with("x+") {
        return None;
    }
    Some((char::from_u32(n)?, end + 3))
}

/// Where a character written out must stay escaped.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Text,
    Attribute,
}

/// Appends `c`, which a reference stood for, as plain text in `place`; false when it must
/// stay a reference.
fn push_plain(out: &mut String, c: char, place: Place) -> bool {
    match c {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '"' if place == Place::Attribute => out.push_str("&quot;"),
        '\'' if place == Place::Attribute => out.push_str("&apos;"),
        '\r' => return false,
        '\t' | '\n' if place == Place::Attribute => return false,
        c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n') => return false,
        c => out.push(c),
    }
    true
}

/// Appends `s` with every reference that can be written out written out.
fn push_expanded(out: &mut String, s: &str, place: Place) {
    let mut rest = s;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match char_ref(rest) {
            Some((c, len)) if push_plain(out, c, place) => rest = &rest[len..],
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Appends the content of a CDATA section as escaped text.
fn push_cdata(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
}

/// The text with character references and CDATA written out; None when it has none.
fn expand(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"&#").is_none()
        && memchr::memmem::find(bytes, b"<![CDATA[").is_none()
    {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let Some(lt) = rest.find('<') else {
            push_expanded(&mut out, rest, Place::Text);
            break;
        };
        push_expanded(&mut out, &rest[..lt], Place::Text);
        let markup = &rest[lt..];
        // Comments, processing instructions and declarations are copied whole; CDATA is
        // written out; a tag is copied with its attribute values' references written out.
        let (close, copy): (&str, bool) = if markup.starts_with("<!--") {
            ("-->", true)
        } else if markup.starts_with("<![CDATA[") {
            ("]]>", false)
        } else if markup.starts_with("<?") {
            ("?>", true)
        } else if markup.starts_with("<!") {
            (">", true)
        } else {
            let len = tag_len(markup);
            push_tag(&mut out, &markup[..len]);
            i += lt + len;
            continue;
        };
        let len = markup
            .get(2..)
            .and_then(|m| m.find(close))
            .map_or(markup.len(), |e| e + 2 + close.len());
        if copy {
            out.push_str(&markup[..len]);
        } else {
            let inner = markup
                .get("<![CDATA[".len()..len.saturating_sub(3))
                .unwrap_or("");
            push_cdata(&mut out, inner);
        }
        i += lt + len;
    }
    Some(out)
}

/// The length of the tag at the start of `s` (up to its `>` outside quotes, or all of `s`).
fn tag_len(s: &str) -> usize {
    let mut quote = None;
    for (at, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return at + 1,
            _ => {}
        }
    }
    s.len()
}

/// Appends a tag with the references in its quoted attribute values written out.
fn push_tag(out: &mut String, tag: &str) {
    if !tag.contains("&#") {
        out.push_str(tag);
        return;
    }
    let mut quote = None;
    let mut from = 0;
    for (at, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => {
                out.push_str(&tag[from..=at]);
                from = at + 1;
                quote = Some(c);
            }
            (Some(q), c) if c == q => {
                push_expanded(out, &tag[from..at], Place::Attribute);
                from = at;
                quote = None;
            }
            _ => {}
        }
    }
    out.push_str(&tag[from..]);
}

/// One part made plain: None when it already is, or when it is not text in any encoding it
/// names (left for the readers to decide). The error says why for the tests.
pub(crate) fn plain_xml(raw: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let (text, redeclare) = decode(raw)?;
    let declared = if redeclare {
        declare_utf8(&text)
    } else {
        Cow::Borrowed(text.as_ref())
    };
    let changed = redeclare || matches!(text, Cow::Owned(_)) || raw.len() != text.len();
    Ok(match expand(&declared) {
        Some(expanded) => Some(expanded.into_bytes()),
        None if changed => Some(declared.into_owned().into_bytes()),
        None => None,
    })
}

/// The package with every XML part made plain; None when each already was. Parts that do
/// not change are copied still compressed. A part that cannot be decoded refuses the file.
pub(crate) fn plain_package(
    zip: &mut super::unzip::Zip<'_>,
    bytes: &[u8],
) -> Result<Option<Vec<u8>>, InputError> {
    let mut made: Vec<Option<Vec<u8>>> = Vec::with_capacity(zip.len());
    let mut buf = Vec::new();
    for i in 0..zip.len() {
        let name = zip
            .by_index_raw(i)
            .ok()
            .and_then(|e| e.name().ok().map(|n| n.into_owned()))
            .unwrap_or_default();
        if !is_xml_part(&name) {
            made.push(None);
            continue;
        }
        if !super::unzip::entry_into(zip, bytes, i, &mut buf) {
            buf.clear();
            let part = zip
                .by_index(i)
                .map_err(|e| InputError::CorruptZip(e.to_string()))?;
            part.take(MAX_PART_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| InputError::CorruptZip(format!("{name}：{e}")))?;
        }
        // A part that is not text is left as it is: the readers decide, as before.
        let plain = plain_xml(&buf).unwrap_or(None);
        if plain
            .as_ref()
            .is_some_and(|p| p.len() as u64 > MAX_PART_BYTES)
        {
            return Err(InputError::TooLarge(format!(
                "压缩包中的 {name} 解压后超过 {} MB",
                MAX_PART_BYTES >> 20
            )));
        }
        made.push(plain);
    }
    if made.iter().all(Option::is_none) {
        return Ok(None);
    }
    let damaged = |_: super::GiveUp| InputError::CorruptZip("无法重写压缩包".into());
    let mut out = super::archive::Archive::with_capacity(bytes.len() * 2);
    for (i, plain) in made.iter().enumerate() {
        let raw = zip
            .by_index_raw(i)
            .map_err(|e| InputError::CorruptZip(e.to_string()))?;
        let name = raw.name().map_err(|_| damaged(give_up!()))?.into_owned();
        match plain {
            Some(content) => out.add(&name, content).map_err(damaged)?,
            None => out.copy_entry(&name, &raw, bytes).map_err(damaged)?,
        }
    }
    out.finish().map(Some).map_err(damaged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(raw: &[u8]) -> String {
        String::from_utf8(plain_xml(raw).unwrap().unwrap_or_else(|| raw.to_vec())).unwrap()
    }

    #[test]
    fn marks_and_utf16_become_plain_utf8_declared_so() {
        let xml =
            r#"<?xml version="1.0" encoding="UTF-16" standalone="yes"?><a b="项目">执行率</a>"#;
        let want =
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a b="项目">执行率</a>"#;
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(xml.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let bare_le: Vec<u8> = xml.encode_utf16().flat_map(u16::to_le_bytes).collect();
        for raw in [le, be, bare_le] {
            assert!(head_needs_plain(&raw));
            assert_eq!(plain(&raw), want);
        }
        let utf8 = want.as_bytes();
        let marked: Vec<u8> = [0xEF, 0xBB, 0xBF].iter().chain(utf8).copied().collect();
        assert!(head_needs_plain(&marked));
        assert_eq!(plain(&marked), want);
        assert!(!head_needs_plain(utf8));
        assert_eq!(plain_xml(utf8).unwrap(), None);
        // A declared GBK part is converted too.
        let (gbk, _, _) =
            encoding_rs::GBK.encode(r#"<?xml version="1.0" encoding="GBK"?><a>表</a>"#);
        assert!(head_needs_plain(&gbk));
        assert_eq!(
            plain(&gbk),
            r#"<?xml version="1.0" encoding="UTF-8"?><a>表</a>"#
        );
        // Malformed UTF-16: what decodes is kept, the rest shown as U+FFFD.
        assert_eq!(
            plain(&[0xFF, 0xFE, b'<', 0, 0x00, 0xD8, b'a', 0, 7]),
            "<\u{FFFD}a"
        );
        // Not text in any encoding named: left for the readers.
        assert_eq!(
            plain_xml(b"<a>\xFF</a>"),
            Err("XML 部件的编码无法识别（不是有效的 UTF-8）".into())
        );
        assert_eq!(
            plain_xml(br#"<?xml version="1.0" encoding="x-unknown"?><a/>"#),
            Err("XML 部件的编码无法识别（声明为 x-unknown）".into())
        );
    }

    #[test]
    fn references_and_cdata_are_written_out_where_that_keeps_their_meaning() {
        assert_eq!(
            plain(b"<c><v>&#49;0&#x30;</v><t>&#60;&#38;&#x4E2D;</t></c>"),
            "<c><v>100</v><t>&lt;&amp;\u{4E2D}</t></c>"
        );
        assert_eq!(
            plain(b"<t><![CDATA[a<b & c]]></t><v><![CDATA[12]]></v>"),
            "<t>a&lt;b &amp; c</t><v>12</v>"
        );
        // In attributes: quotes escaped, tab / line feed / carriage return kept as references.
        assert_eq!(
            plain(br#"<a v="&#34;x&#9;&#x41;" w='&#39;'>&#13;&#10;</a>"#),
            "<a v=\"&quot;x&#9;A\" w='&apos;'>&#13;\n</a>"
        );
        // Comments and processing instructions are copied; bad references are left.
        assert_eq!(
            plain(b"<!-- &#49; --><?pi &#49;?><a>&#xZZ;&#0;&#49</a>"),
            "<!-- &#49; --><?pi &#49;?><a>&#xZZ;&#0;&#49</a>"
        );
        assert_eq!(plain_xml(b"<a>&amp;&lt;</a>").unwrap(), None);
    }
}
