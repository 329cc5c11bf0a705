//! The seal: what lets a later run tell a workbook zpcheck wrote, still as it wrote it, from one
//! a person has since opened and saved (or one that merely carries zpcheck's marker). An officer re-saves `NAME_核查.xlsx` with their own
//! edits; replacing it on the next run would destroy their work without a word.
//!
//! Every workbook zpcheck writes (a corrected workbook, a plain copy, a summary) carries three
//! custom properties beside its marker:
//! - `zpcheck-digest`: SHA-256 over the package's own content — for each zip entry but
//!   `docProps/custom.xml` (the part that records the digest), in the zip's order: its name, a
//!   0 byte, its CRC-32 and its size. The CRC-32 stands for the entry's bytes: any edit a
//!   spreadsheet program saves changes it, and the entries' names and order too.
//! - `zpcheck-source` and `zpcheck-source-digest`: the name of the file it was made from and
//!   that file's digest (the same entry digest for a zip package, SHA-256 of the bytes
//!   otherwise), so that an output can be matched to its input.
//!
//! A file is replaced only when its recorded digest is the digest of what it holds
//! ([`unchanged`]). SHA-256 (the `sha2` crate, RustCrypto) rather than a hand-written hash:
//! the digest is what stands between a person's edits and their loss.

use sha2::{Digest as _, Sha256};

use crate::ooxml::archive::Archive;
use crate::ooxml::central::{self, Entry};

/// The part that records the seal (left out of the digest).
pub const CUSTOM_PART: &str = super::names::CUSTOM_PROPERTIES;
/// The property holding the package's digest.
pub const DIGEST_PROPERTY: &str = "zpcheck-digest";
/// The property holding the source file's name.
pub const SOURCE_PROPERTY: &str = "zpcheck-source";
/// The property holding the source file's digest.
pub const SOURCE_DIGEST_PROPERTY: &str = "zpcheck-source-digest";
/// The most of the custom properties part read to verify a seal.
const MAX_CUSTOM_BYTES: u32 = 1 << 20;

/// What the seal records of the file an output was made from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// Its file name.
    pub name: Option<String>,
    /// Its digest ([`file_digest`]).
    pub digest: Option<String>,
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// The digest of the entries but `docProps/custom.xml`.
fn digest_of(entries: &[Entry<'_>]) -> String {
    // One buffer, hashed once: many small updates cost more than the hashing.
    let mut buf = Vec::with_capacity(entries.len() * 48);
    for e in entries.iter().filter(|e| e.name != CUSTOM_PART.as_bytes()) {
        buf.extend_from_slice(e.name);
        buf.push(0);
        buf.extend_from_slice(&e.crc.to_le_bytes());
        buf.extend_from_slice(&u64::from(e.size).to_le_bytes());
    }
    format!("sha256:{}", hex(&Sha256::digest(&buf)))
}

/// The digest of a zip package's entries but `docProps/custom.xml`; `None` when the bytes are
/// not a plain zip file.
pub fn package_digest(bytes: &[u8]) -> Option<String> {
    central::entries(bytes).map(|e| digest_of(&e))
}

/// A file's digest for the seal: [`package_digest`] for a zip package, SHA-256 of its bytes
/// otherwise (.xls).
pub fn file_digest(bytes: &[u8]) -> String {
    package_digest(bytes).unwrap_or_else(|| format!("sha256:{}", hex(&Sha256::digest(bytes))))
}

/// Escapes text for an XML element.
fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The custom properties part without an earlier seal's properties (a corrected workbook
/// corrected again carries its first seal).
fn without_seal(custom: &str) -> String {
    let mut out = custom.to_string();
    for name in [DIGEST_PROPERTY, SOURCE_PROPERTY, SOURCE_DIGEST_PROPERTY] {
        let needle = format!("name=\"{name}\"");
        while let Some(at) = out.find(&needle) {
            let (Some(start), Some(end)) = (
                out[..at].rfind("<property"),
                out[at..]
                    .find("</property>")
                    .map(|e| at + e + "</property>".len()),
            ) else {
                break;
            };
            out.replace_range(start..end, "");
        }
    }
    out
}

/// The custom properties part with the seal's properties added (any earlier seal removed).
fn with_seal(custom: &str, digest: &str, source: &Source) -> Result<String, String> {
    let custom = without_seal(custom);
    let custom = custom.as_str();
    // The prefix zpcheck's marker uses for the value type ("vt:lpwstr"), and the largest pid.
    let marker = custom
        .find(&format!("name=\"{}", super::names::MARKER_OUTPUT))
        .ok_or("更正后的工作簿没有 zpcheck 标记")?;
    let after = &custom[marker..];
    let open = after.find('<').ok_or("自定义属性不完整")?;
    let tag = &after[open + 1..];
    let prefix = tag
        .find(":lpwstr")
        .map(|end| &tag[..end])
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .ok_or("自定义属性不完整")?;
    let mut pid = 1u32;
    let mut rest = custom;
    while let Some(at) = rest.find("pid=\"") {
        rest = &rest[at + 5..];
        let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
        pid = pid.max(n.parse().unwrap_or(0));
    }
    let end = custom.rfind("</").ok_or("自定义属性不完整")?;
    let mut props = String::new();
    let values = [
        (DIGEST_PROPERTY, Some(digest)),
        (SOURCE_PROPERTY, source.name.as_deref()),
        (SOURCE_DIGEST_PROPERTY, source.digest.as_deref()),
    ];
    for (name, value) in values {
        let Some(value) = value else { continue };
        pid += 1;
        props.push_str(&format!(
            "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{pid}\" name=\"{name}\"><{prefix}:lpwstr>{}</{prefix}:lpwstr></property>",
            escape(value)
        ));
    }
    Ok(format!("{}{props}{}", &custom[..end], &custom[end..]))
}

/// Seals a workbook zpcheck has just made: its entries copied as they are, its custom
/// properties part written again with the digest and the source.
pub fn seal(bytes: &[u8], source: &Source) -> Result<Vec<u8>, String> {
    let bad = |what: &str| format!("无法为写出的工作簿加上 zpcheck 标记：{what}");
    let entries = central::entries(bytes).ok_or_else(|| bad("不是可读的 zip 文件"))?;
    let digest = digest_of(&entries);
    let mut out = Archive::with_capacity(bytes.len() + 1024);
    let mut custom = None;
    for e in &entries {
        let name = std::str::from_utf8(e.name).map_err(|_| bad("条目名称"))?;
        if name == CUSTOM_PART {
            custom = Some(e);
            continue;
        }
        let data = e
            .data(bytes)
            .ok_or_else(|| bad(&format!("无法复制 {name}")))?;
        out.copy(name, e.method, e.time_date, e.crc, u64::from(e.size), data)
            .map_err(|_| bad(&format!("无法复制 {name}")))?;
    }
    let xml = custom
        .and_then(|e| e.inflate(bytes, MAX_CUSTOM_BYTES))
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| bad("没有可读的自定义属性"))?;
    let sealed = with_seal(&xml, &digest, source).map_err(|e| bad(&e))?;
    out.add(CUSTOM_PART, sealed.as_bytes())
        .map_err(|_| bad("写入自定义属性"))?;
    out.finish().map_err(|_| bad("写入压缩包"))
}

/// The custom properties part of a package, when it is a plain zip that has one.
fn custom_part(bytes: &[u8]) -> Option<(Vec<Entry<'_>>, String)> {
    let entries = central::entries(bytes)?;
    let xml = entries
        .iter()
        .find(|e| e.name == CUSTOM_PART.as_bytes())?
        .inflate(bytes, MAX_CUSTOM_BYTES)?;
    Some((entries, String::from_utf8(xml).ok()?))
}

/// The value of a custom property in a custom properties part.
fn property<'a>(custom: &'a str, name: &str) -> Option<&'a str> {
    let at = custom.find(&format!("name=\"{name}\""))?;
    let rest = &custom[at..];
    let open = rest.find(":lpwstr>")? + ":lpwstr>".len();
    let value = &rest[open..];
    Some(&value[..value.find('<')?])
}

/// Whether `bytes` are a workbook zpcheck wrote and nobody has changed since: its seal's
/// digest is the digest of what it holds. Anything else — a person's own file, a zpcheck
/// output someone edited and saved, an output of a zpcheck without the seal, a file that
/// cannot be read — is not.
pub fn unchanged(bytes: &[u8]) -> bool {
    let Some((entries, xml)) = custom_part(bytes) else {
        return false;
    };
    property(&xml, DIGEST_PROPERTY).is_some_and(|recorded| recorded == digest_of(&entries))
}

/// The source a sealed workbook records: (file name, digest).
pub fn recorded_source(bytes: &[u8]) -> Option<(String, String)> {
    let (_, xml) = custom_part(bytes)?;
    let name = property(&xml, SOURCE_PROPERTY)?
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    Some((name, property(&xml, SOURCE_DIGEST_PROPERTY)?.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read as _};

    fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut a = Archive::with_capacity(0);
        for (name, text) in parts {
            a.add(name, text.as_bytes()).unwrap();
        }
        a.finish().unwrap()
    }

    const CUSTOM: &str = "<?xml version=\"1.0\"?>\n<Properties xmlns=\"x\" xmlns:vt=\"y\"><property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"2\" name=\"zpcheck\"><vt:lpwstr>0.1.0</vt:lpwstr></property></Properties>";

    #[test]
    fn a_sealed_package_is_unchanged_until_an_entry_changes() {
        let bytes = package(&[
            ("xl/workbook.xml", "<workbook/>"),
            (CUSTOM_PART, CUSTOM),
            ("xl/worksheets/sheet1.xml", "<c>1</c>"),
        ]);
        assert!(!unchanged(&bytes), "no seal yet");
        let source = Source {
            name: Some("甲&乙.xlsx".into()),
            digest: Some("sha256:ab".into()),
        };
        let sealed = seal(&bytes, &source).unwrap();
        assert!(unchanged(&sealed));
        assert_eq!(
            recorded_source(&sealed),
            Some(("甲&乙.xlsx".into(), "sha256:ab".into()))
        );
        // The digest leaves the custom part out, so sealing again gives the same digest.
        assert_eq!(package_digest(&sealed), package_digest(&bytes));
        let resealed = seal(&sealed, &source).unwrap();
        assert!(unchanged(&resealed));
        // Sealed again, the part holds one seal, not two.
        let mut custom = String::new();
        zip::ZipArchive::new(Cursor::new(resealed.as_slice()))
            .unwrap()
            .by_name(CUSTOM_PART)
            .unwrap()
            .read_to_string(&mut custom)
            .unwrap();
        assert_eq!(custom.matches(DIGEST_PROPERTY).count(), 1, "{custom}");
        assert_eq!(
            custom.matches("name=\"zpcheck-source\"").count(),
            1,
            "{custom}"
        );
        // A person's edit: one cell's XML changes; the recorded digest no longer matches.
        let mut edited = Archive::with_capacity(0);
        let mut z = zip::ZipArchive::new(Cursor::new(sealed.as_slice())).unwrap();
        for i in 0..z.len() {
            let mut e = z.by_index(i).unwrap();
            let name = e.name().unwrap().to_string();
            let mut text = String::new();
            e.read_to_string(&mut text).unwrap();
            let text = text.replace("<c>1</c>", "<c>2</c>");
            edited.add(&name, text.as_bytes()).unwrap();
        }
        let edited = edited.finish().unwrap();
        assert!(!unchanged(&edited));
        // Not a zip, or a package without the custom part: never "unchanged".
        assert!(!unchanged(b"not a zip"));
        assert!(!unchanged(&package(&[("a.xml", "<a/>")])));
        assert!(seal(&package(&[("a.xml", "<a/>")]), &Source::default()).is_err());
    }

    #[test]
    fn the_file_digest_of_a_non_zip_is_its_sha256() {
        assert_eq!(
            file_digest(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
