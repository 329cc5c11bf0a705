//! The workbook-wide parts the cells refer to: the shared strings and the number formats
//! (built-in and custom) by style index.

/// Excel's built-in number formats by id (defined with the other shared cell readings).
pub(crate) use super::values::builtin_format;
use super::*;

use crate::fallback::Why;

/// What this module's give-ups are about, unless one names its own.
const HERE: Why = Why::Strings;

pub(super) fn shared_strings(xml: &[u8]) -> R<Vec<String>> {
    shared_strings_with(xml, true)
}

/// [`shared_strings`]; with `scan`, the items are read by the byte scanner
/// ([`super::scan`]) first, and by quick-xml when the scanner declines them.
pub(super) fn shared_strings_with(xml: &[u8], scan: bool) -> R<Vec<String>> {
    let mut r = xml_reader(xml);
    // A part that is not UTF-8 is calamine's to refuse (the scanner declines it too).
    std::str::from_utf8(xml).map_err(|_| give_up!(Why::NotUtf8))?;
    loop {
        match next_event(&mut r)? {
            // calamine reads the table's attributes (its count): a malformed one is its
            // error (found by fuzzing).
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                if e.attributes().any(|a| a.is_err()) {
                    return Err(give_up!());
                }
                break;
            }
            Event::Eof => return Err(give_up!()),
            _ => {}
        }
    }
    let at = usize::try_from(r.buffer_position()).map_err(|_| give_up!())?;
    if let Some(strings) = scan
        .then(|| super::scan::shared_strings(&xml[at..]))
        .flatten()
    {
        return Ok(strings);
    }
    let mut strings = Vec::new();
    loop {
        match next_event(&mut r)? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                strings.push(string_item(&mut r, "si")?);
            }
            Event::Empty(e) if e.local_name().as_ref() == "si" => strings.push(String::new()),
            Event::End(e) if e.local_name().as_ref() == "sst" => return Ok(strings),
            Event::Eof => return Err(give_up!()),
            _ => {}
        }
    }
}

/// The number format of each cell format (`cellXfs`), None for General.
pub(super) fn number_formats(xml: &[u8]) -> R<Vec<Option<String>>> {
    number_formats_with(xml, true)
}

/// [`number_formats`]; with `scan`, the part is read by the byte scanner ([`super::scan`])
/// first, and by quick-xml when the scanner declines it.
pub(super) fn number_formats_with(xml: &[u8], scan: bool) -> R<Vec<Option<String>>> {
    let mut r = xml_reader(xml);
    // As the scanner: a damaged part (not UTF-8, an element closed by another's end tag) is
    // calamine's to read or refuse.
    std::str::from_utf8(xml).map_err(|_| give_up!(Why::NotUtf8))?;
    r.config_mut().check_end_names = true;
    // The scanner starts after the XML declaration, at the first element.
    // Before the root only an XML declaration (which the quick-xml reading passes over): a
    // damaged one is the quick-xml path's to judge.
    let plain_head = |head: &[u8]| {
        let head = head.trim_ascii();
        head.is_empty()
            || (head.starts_with(b"<?xml")
                && head.ends_with(b"?>")
                && head.iter().filter(|&&b| b == b'<' || b == b'>').count() == 2)
    };
    let root =
        memchr::memmem::find(xml, b"<styleSheet").filter(|&at| scan && plain_head(&xml[..at]));
    if let Some(formats) = root.and_then(|at| super::scan::number_formats(&xml[at..])) {
        return Ok(formats);
    }
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut formats = Vec::new();
    let mut in_num_fmts = false;
    let mut in_cell_xfs = false;
    let mut in_xf = false;
    loop {
        let (e, empty) = match next_event(&mut r)? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "numFmts" => in_num_fmts = false,
                    "cellXfs" => in_cell_xfs = false,
                    "xf" => in_xf = false,
                    "styleSheet" => return Ok(formats),
                    _ => {}
                }
                continue;
            }
            Event::Eof => return Err(give_up!(Why::Styles)),
            _ => continue,
        };
        {
            match e.local_name().as_ref() {
                // calamine parses every font, fill and border: a malformed attribute anywhere
                // is its error, not a default.
                _ if e.attributes().with_checks(false).any(|a| a.is_err()) => {
                    return Err(give_up!(Why::Styles));
                }
                "numFmts" if !empty => in_num_fmts = true,
                "cellXfs" if !empty => in_cell_xfs = true,
                "numFmt" if in_num_fmts => {
                    let id = raw(&e, "numFmtId")?.map(Cow::into_owned);
                    if let (Some(id), Some(code)) = (id, text_attr(&e, "formatCode")?) {
                        custom.insert(id, code);
                    }
                }
                "xf" if in_cell_xfs => {
                    // An xf inside an xf left open (a damaged part, found by fuzzing): calamine
                    // counts differently, and reads it.
                    if in_xf {
                        return Err(give_up!(Why::Styles));
                    }
                    in_xf = !empty;
                    formats.push(format_of(&custom, raw(&e, "numFmtId")?.as_deref())?);
                }
                _ => {}
            }
        }
    }
}
