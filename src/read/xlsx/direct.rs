//! zpcheck's own reader for the cells of an ordinary .xlsx, used when a workbook is only
//! checked (not corrected).
//!
//! Why it exists: a check needs each cell's value, formula and number format, and each sheet's
//! merged ranges. Through calamine that costs an open that also parses the theme, fonts, fills
//! and borders, a cell stream that gives values and style ids in one pass but formulas in
//! another, and a third look at the sheet for the merged ranges: two and a half times a bare
//! calamine read. Reading the parts directly decompresses each one once and parses only what a
//! check uses.
//!
//! It reads the subset that Excel, WPS, LibreOffice, openpyxl and rust_xlsxwriter write, with
//! calamine's meaning for every value (shared strings without phonetic runs, trimmed unless
//! `xml:space="preserve"`, shared formulas expanded by calamine's own function, number formats
//! from calamine's built-in table). On anything else — an XML error, an entity or escape it
//! would have to interpret, a value it would have to guess at, a part in an unexpected place —
//! it gives up and the calamine path reads the file, so results and error messages are
//! calamine's. The tests below read every sample, hand-written parts in the forms writers use
//! and generated workbooks both ways and compare them cell by cell; `tests/samples.rs` checks
//! that `check` and `fix` find the same; the fuzz target compares both ways on every input.

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::read::guard::MAX_CELLS;
use crate::read::{Cell, CellRef, CellValue, Sheet};

pub(crate) use crate::ooxml::{GiveUp, R, give_up};

mod cells;
pub(crate) mod parts;
pub(super) mod scan;
mod values;

use cells::*;
use parts::*;
use values::*;

use crate::ooxml::names;
use crate::read::guard::Zip;

use crate::fallback::Why;

/// What this module's give-ups are about, unless one names its own.
const HERE: Why = Why::Package;

/// The text of the parts a read decompressed, by part name, kept for the patching writer
/// (which would otherwise decompress them again).
pub(crate) type Kept = HashMap<String, String>;

/// Reads the worksheets of an xlsx whose container the guard has checked, or gives up. With
/// `keep`, the parts read are kept there. (The tests' way in: a read opens the container
/// once, in the guard, and goes through [`read_opened`].)
#[cfg(test)]
pub(crate) fn read(
    bytes: &[u8],
    workbook_xml: (&str, &str),
    keep: Option<&mut Kept>,
) -> R<Vec<Sheet>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| give_up!())?;
    let mut rels = Vec::new();
    check_part_names(&zip)?;
    let office_document = match part(&mut zip, bytes, names::PACKAGE_RELS, &mut rels)? {
        Some(_) => crate::ooxml::rels::office_document(&rels),
        None => None,
    };
    read_opened(bytes, zip, office_document.as_deref(), workbook_xml, keep)
}

/// [`read`] of a container the guard opened, whose `_rels/.rels` names `office_document` as the
/// workbook.
pub(crate) fn read_opened(
    bytes: &[u8],
    zip: Zip<'_>,
    office_document: Option<&str>,
    workbook_xml: (&str, &str),
    keep: Option<&mut Kept>,
) -> R<Vec<Sheet>> {
    // calamine finds the workbook through the package relationships; only the usual place
    // is read here.
    if office_document != Some(names::WORKBOOK) {
        return Err(give_up!());
    }
    // Each part is parsed and dropped before the next is read, so one buffer, kept per thread
    // from file to file, holds them all: allocating and freeing tens of kilobytes per part
    // cost more than parsing it.
    let mut buf = BUFFER.take();
    let sheets = read_with(bytes, zip, workbook_xml, &mut buf, keep);
    if buf.capacity() <= KEPT_BUFFER {
        BUFFER.set(buf);
    }
    sheets
}

/// The largest buffer kept between files (a larger one, for an unusually large sheet, is
/// freed, so that memory stays flat).
const KEPT_BUFFER: usize = 1 << 20;

thread_local! {
    static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

fn read_with(
    bytes: &[u8],
    mut zip: Zip<'_>,
    workbook_xml: (&str, &str),
    xml: &mut Vec<u8>,
    mut keep: Option<&mut Kept>,
) -> R<Vec<Sheet>> {
    check_part_names(&zip)?;
    let mut read_part = |path: &str, xml: &mut Vec<u8>| -> R<bool> {
        let found = part(&mut zip, bytes, path, xml)?;
        // A mark or another encoding than plain UTF-8: the package is made plain first
        // (`ooxml::plain`) and read again, so that no stage counts positions past a mark.
        if found.is_some() && crate::ooxml::plain::head_needs_plain(xml) {
            return Err(give_up!());
        }
        // The patching writer rewrites styles and sheets; it never looks at the strings. A
        // large part is not kept: the writer unzips it again when it patches it (it copies
        // what it takes anyway), and a 100 MB sheet held for the whole run would cost more
        // memory than all its cells.
        if let Some(index) = found
            && path != names::SHARED_STRINGS
            && xml.len() <= KEPT_BUFFER
            && let Some(keep) = keep.as_deref_mut()
            && let (Some(Ok(name)), Ok(text)) =
                (zip.name_for_index(index), std::str::from_utf8(xml))
        {
            keep.insert(name.into_owned(), text.to_string());
        }
        Ok(found.is_some())
    };
    let (workbook, rels) = workbook_xml;
    if crate::ooxml::plain::head_needs_plain(workbook.as_bytes())
        || crate::ooxml::plain::head_needs_plain(rels.as_bytes())
    {
        return Err(give_up!(Why::Workbook));
    }
    let parts =
        crate::ooxml::workbook::workbook_parts(workbook_xml).ok_or(give_up!(Why::Workbook))?;
    if parts.unusual {
        return Err(give_up!(Why::Workbook));
    }
    let strings = match read_part(names::SHARED_STRINGS, xml)? {
        true => shared_strings(xml)?,
        false => Vec::new(),
    };
    let formats = match read_part(names::STYLES, xml)? {
        true => number_formats(xml)?,
        false => Vec::new(),
    };
    let mut out = Vec::new();
    let mut counts = Counts::default();
    for (name, path) in parts.sheets {
        let Some(path) = path else {
            continue; // a chart or dialog sheet
        };
        if !read_part(&path, xml)? {
            return Err(give_up!());
        }
        let Some(cells) = sheet_cells(xml, &strings, &formats, &mut counts)? else {
            continue; // no sheetData: calamine does not read it as a worksheet either
        };
        let merges = super::layout::parse_merges(xml);
        if xml.capacity() > KEPT_BUFFER {
            // The part is read: free a large one before the map is built beside the list of
            // cells (990,000 cells: 82 MB of XML freed at the read's peak).
            *xml = Vec::new();
        }
        out.push(Sheet {
            name,
            cells: cells.into_iter().collect(),
            merges,
            formats_known: true,
            merge_rows: Default::default(),
        });
    }
    Ok(out)
}

/// Gives up on part names calamine would normalise differently: backslashes, two names
/// differing only in case (it looks parts up ignoring case).
fn check_part_names(zip: &Zip<'_>) -> R<()> {
    let mut names = zip
        .file_names()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| give_up!())?;
    if names.iter().any(|n| n.contains('\\')) {
        return Err(give_up!());
    }
    names.sort_unstable_by(|a, b| {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    });
    if names.windows(2).any(|w| w[0].eq_ignore_ascii_case(&w[1])) {
        return Err(give_up!());
    }
    Ok(())
}

/// The index of a part, looked up as calamine looks it up (ignoring ASCII case; names are
/// unique that way, see [`check_part_names`]).
fn part_index(zip: &Zip<'_>, path: &str) -> Option<usize> {
    // The exact name by the zip's hash index; otherwise one pass over the decoded names (the
    // zip crate's own `index_for_name` would make a second, case-sensitive pass first).
    zip.index_for_name_raw(path.as_bytes()).or_else(|| {
        zip.file_names()
            .position(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(path)))
    })
}

/// Reads a part into `out` (see [`crate::ooxml::unzip`]); its index, None when the package
/// has no such part.
fn part(zip: &mut Zip<'_>, bytes: &[u8], path: &str, out: &mut Vec<u8>) -> R<Option<usize>> {
    let Some(index) = part_index(zip, path) else {
        return Ok(None);
    };
    if crate::ooxml::unzip::entry_into(zip, bytes, index, out) {
        Ok(Some(index))
    } else {
        Err(give_up!())
    }
}

/// The next event of a part read by quick-xml, declining a tag whose name is not an XML name
/// (found by fuzzing: `</i;;#c…>` and `<////x>` in a damaged sheet, which quick-xml hands on as
/// tags and which calamine's reading and this one then read apart). calamine reads such a part.
fn next_event<'a>(r: &mut Reader<&'a [u8]>) -> R<Event<'a>> {
    let event = r.read_event()?;
    let name_ok = |n: &[u8]| {
        !n.is_empty()
            && n.iter().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.') || *b >= 0x80
            })
    };
    match &event {
        Event::Start(e) | Event::Empty(e) if !name_ok(e.name().as_ref().as_bytes()) => {
            Err(give_up!(Why::Xml))
        }
        Event::End(e) if !name_ok(e.name().as_ref().as_bytes()) => Err(give_up!(Why::Xml)),
        _ => Ok(event),
    }
}

fn xml_reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(xml);
    let c = r.config_mut();
    // Empty elements (`<c r="A1" s="3"/>`, `<f t="shared" si="0"/>`) are handled as such:
    // expanding them into start and end costs an allocation each.
    c.expand_empty_elements = false;
    c.check_end_names = false;
    c.trim_text(false);
    c.check_comments = false;
    r
}

/// An attribute's raw value by exact key.
fn raw<'e>(e: &'e BytesStart<'_>, key: &str) -> R<Option<Cow<'e, str>>> {
    for a in e.attributes().with_checks(false) {
        let a = a?;
        if a.key.as_ref() == key {
            return Ok(Some(a.value));
        }
    }
    Ok(None)
}

/// An attribute's value by local name, entities decoded.
fn text_attr(e: &BytesStart<'_>, local: &str) -> R<Option<String>> {
    for a in e.attributes().with_checks(false) {
        let a = a?;
        if a.key.local_name().as_ref() == local {
            return Ok(Some(
                quick_xml::escape::unescape(&a.value)
                    .map_err(|_| give_up!())?
                    .into_owned(),
            ));
        }
    }
    Ok(None)
}

/// Gives up on text calamine would rewrite (line-end normalisation, `_xHHHH_` escapes).
fn check_text(s: &str) -> R<()> {
    let b = s.as_bytes();
    let mut at = 0;
    while let Some(i) = memchr::memchr2(b'\r', b'_', &b[at..]) {
        let i = at + i;
        if b[i] == b'\r' || b.get(i + 1) == Some(&b'x') {
            return Err(give_up!(Why::CharRef));
        }
        at = i + 1;
    }
    Ok(())
}

/// Appends the text of a text node (see [`check_text`]).
fn push_text(out: &mut String, s: &str) -> R<()> {
    check_text(s)?;
    out.push_str(s);
    Ok(())
}

/// Appends a character or predefined entity reference.
fn push_entity(out: &mut String, name: &str) -> R<()> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16).map_err(|_| give_up!(Why::CharRef))?
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().map_err(|_| give_up!(Why::CharRef))?
            } else {
                return Err(give_up!(Why::CharRef));
            };
            // A control character or a surrogate: calamine's reading of it is not repeated here.
            match char::from_u32(code) {
                Some(c) if !c.is_control() || c == '\n' || c == '\t' => c,
                _ => return Err(give_up!(Why::CharRef)),
            }
        }
    };
    out.push(c);
    Ok(())
}

/// Trims the run that starts at byte `start` of `out` of ASCII white space, where it lies.
fn trim_run(out: &mut String, start: usize) {
    let ws = [' ', '\t', '\r', '\n'];
    let run = &out[start..];
    let (lead, kept) = (
        run.len() - run.trim_start_matches(ws).len(),
        run.trim_matches(ws).len(),
    );
    out.truncate(start + lead + kept);
    out.drain(start..start + lead);
}

/// The text of a rich or plain string (`<si>` or `<is>`, local name `end`) up to its end tag:
/// the `<t>` runs outside phonetic runs, each trimmed of ASCII white space unless
/// `xml:space="preserve"`.
fn string_item(r: &mut Reader<&[u8]>, end: &str) -> R<String> {
    let mut out = String::new();
    let mut phonetic = false;
    // The elements open inside the item (runs, their properties, phonetic runs): each end tag
    // must close the last one opened, and the item's own end tag only when none is open. An
    // item whose elements do not nest (a lost `</is>`, found by fuzzing) is calamine's to
    // read: it reads the cells after it otherwise.
    let mut open: Vec<String> = Vec::new();
    loop {
        match next_event(r)? {
            Event::Start(e) if e.local_name().as_ref() == "t" && !phonetic => {
                let preserve = raw(&e, "xml:space")?.is_some_and(|v| v == "preserve");
                // The run is appended, then trimmed where it lies.
                let start = out.len();
                loop {
                    match next_event(r)? {
                        Event::Text(t) => push_text(&mut out, &t)?,
                        Event::GeneralRef(g) => push_entity(&mut out, &g)?,
                        Event::End(x) if x.local_name().as_ref() == "t" => break,
                        Event::CData(_)
                        | Event::Start(_)
                        | Event::Empty(_)
                        | Event::End(_)
                        | Event::Eof => {
                            return Err(give_up!(Why::Strings));
                        }
                        _ => {}
                    }
                }
                if !preserve {
                    trim_run(&mut out, start);
                }
            }
            Event::Start(e) => {
                let name = e.local_name();
                phonetic |= name.as_ref() == "rPh";
                open.push(name.as_ref().to_string());
            }
            Event::End(e) => {
                let name = e.local_name();
                match open.pop() {
                    Some(o) if o == name.as_ref() => phonetic &= o != "rPh",
                    None if name.as_ref() == end => return Ok(out),
                    _ => return Err(give_up!(Why::Strings)),
                }
            }
            Event::Eof => return Err(give_up!(Why::Strings)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
