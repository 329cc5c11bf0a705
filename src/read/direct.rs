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
use std::io::Cursor;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::guard::MAX_CELLS;
use super::{Cell, CellRef, CellValue, Sheet};

/// The reader gave up (at this line of this file): the file is read through calamine instead,
/// and the JSON report says where (`reader_fallback`).
#[derive(Debug)]
pub(super) struct GiveUp(pub(super) u32);

macro_rules! give_up {
    () => {
        GiveUp(line!())
    };
}

type R<T> = Result<T, GiveUp>;

impl From<quick_xml::Error> for GiveUp {
    fn from(_: quick_xml::Error) -> Self {
        give_up!()
    }
}

impl From<quick_xml::events::attributes::AttrError> for GiveUp {
    fn from(_: quick_xml::events::attributes::AttrError) -> Self {
        give_up!()
    }
}

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The text of the parts a read decompressed, by part name, kept for the patching writer
/// (which would otherwise decompress them again).
pub(super) type Kept = HashMap<String, String>;

/// Reads the worksheets of an xlsx whose container the guard has checked, or gives up. With
/// `keep`, the parts read are kept there.
pub(super) fn read(
    bytes: &[u8],
    workbook_xml: (&str, &str),
    keep: Option<&mut Kept>,
) -> R<Vec<Sheet>> {
    // Each part is parsed and dropped before the next is read, so one buffer, kept per thread
    // from file to file, holds them all: allocating and freeing tens of kilobytes per part
    // cost more than parsing it.
    let mut buf = BUFFER.take();
    let sheets = read_with(bytes, workbook_xml, &mut buf, keep);
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
    workbook_xml: (&str, &str),
    xml: &mut Vec<u8>,
    mut keep: Option<&mut Kept>,
) -> R<Vec<Sheet>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| give_up!())?;
    let names = part_names(&zip)?;
    let mut read_part = |path: &str, xml: &mut Vec<u8>| -> R<bool> {
        let found = part(&mut zip, bytes, &names, path, xml)?;
        // The patching writer rewrites styles and sheets; it never looks at the strings. A
        // large part is not kept: the writer unzips it again when it patches it (it copies
        // what it takes anyway), and a 100 MB sheet held for the whole run would cost more
        // memory than all its cells.
        if found
            && path != "xl/sharedStrings.xml"
            && xml.len() <= KEPT_BUFFER
            && let Some(keep) = keep.as_deref_mut()
            && let (Some(name), Ok(text)) = (
                names.get(&path.to_ascii_lowercase()),
                std::str::from_utf8(xml),
            )
        {
            keep.insert(name.clone(), text.to_string());
        }
        Ok(found)
    };
    // calamine finds the workbook through the package relationships; only the usual place
    // is read here.
    if !read_part("_rels/.rels", xml)? || office_document(xml)? != "xl/workbook.xml" {
        return Err(give_up!());
    }
    let parts = super::layout::workbook_parts(workbook_xml).ok_or(give_up!())?;
    if parts.unusual {
        return Err(give_up!());
    }
    let strings = match read_part("xl/sharedStrings.xml", xml)? {
        true => shared_strings(xml)?,
        false => Vec::new(),
    };
    let formats = match read_part("xl/styles.xml", xml)? {
        true => number_formats(xml)?,
        false => Vec::new(),
    };
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut text = 0usize;
    for (name, path) in parts.sheets {
        let Some(path) = path else {
            continue; // a chart or dialog sheet
        };
        if !read_part(&path, xml)? {
            return Err(give_up!());
        }
        let Some(cells) = sheet_cells(xml, &strings, &formats, &mut total, &mut text)? else {
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
            layout: None,
            formats_known: true,
            merge_rows: Default::default(),
        });
    }
    Ok(out)
}

/// The parts by lower-cased name, as calamine looks them up; gives up on names calamine would
/// normalise differently (backslashes, two names differing only in case).
fn part_names(zip: &Zip<'_>) -> R<HashMap<String, String>> {
    let mut names = HashMap::with_capacity(zip.len());
    for n in zip.file_names() {
        let n = n.map_err(|_| give_up!())?;
        if n.contains('\\')
            || names
                .insert(n.to_ascii_lowercase(), n.to_string())
                .is_some()
        {
            return Err(give_up!());
        }
    }
    Ok(names)
}

/// Reads a part into `out` (see [`super::unzip`]); false when the package has no such part.
fn part(
    zip: &mut Zip<'_>,
    bytes: &[u8],
    names: &HashMap<String, String>,
    path: &str,
    out: &mut Vec<u8>,
) -> R<bool> {
    let Some(name) = names.get(&path.to_ascii_lowercase()) else {
        return Ok(false);
    };
    let index = zip.index_for_name(name).ok_or(give_up!())?;
    if super::unzip::entry_into(zip, bytes, index, out) {
        Ok(true)
    } else {
        Err(give_up!())
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

/// The target of the package's officeDocument relationship, without a leading "/".
pub(super) fn office_document(xml: &[u8]) -> R<String> {
    let mut r = xml_reader(xml);
    loop {
        match r.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let typ = text_attr(&e, "Type")?.unwrap_or_default();
                if typ.ends_with("/relationships/officeDocument") {
                    let t = text_attr(&e, "Target")?.ok_or(give_up!())?;
                    return Ok(t.strip_prefix('/').unwrap_or(&t).to_string());
                }
            }
            Event::Eof => return Err(give_up!()),
            _ => {}
        }
    }
}

/// Gives up on text calamine would rewrite (line-end normalisation, `_xHHHH_` escapes).
fn check_text(s: &str) -> R<()> {
    let b = s.as_bytes();
    let mut at = 0;
    while let Some(i) = memchr::memchr2(b'\r', b'_', &b[at..]) {
        let i = at + i;
        if b[i] == b'\r' || b.get(i + 1) == Some(&b'x') {
            return Err(give_up!());
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
                u32::from_str_radix(hex, 16).map_err(|_| give_up!())?
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().map_err(|_| give_up!())?
            } else {
                return Err(give_up!());
            };
            // A control character or a surrogate: calamine's reading of it is not repeated here.
            match char::from_u32(code) {
                Some(c) if !c.is_control() || c == '\n' || c == '\t' => c,
                _ => return Err(give_up!()),
            }
        }
    };
    out.push(c);
    Ok(())
}

/// The text of a rich or plain string (`<si>` or `<is>`, local name `end`) up to its end tag:
/// the `<t>` runs outside phonetic runs, each trimmed of ASCII white space unless
/// `xml:space="preserve"`.
fn string_item(r: &mut Reader<&[u8]>, end: &str) -> R<String> {
    let mut out = String::new();
    let mut phonetic = false;
    loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "rPh" => phonetic = true,
            Event::End(e) if e.local_name().as_ref() == "rPh" => phonetic = false,
            Event::Start(e) if e.local_name().as_ref() == "t" && !phonetic => {
                let preserve = raw(&e, "xml:space")?.is_some_and(|v| v == "preserve");
                // The run is appended, then trimmed where it lies.
                let start = out.len();
                loop {
                    match r.read_event()? {
                        Event::Text(t) => push_text(&mut out, &t)?,
                        Event::GeneralRef(g) => push_entity(&mut out, &g)?,
                        Event::End(x) if x.local_name().as_ref() == "t" => break,
                        Event::CData(_) | Event::Start(_) | Event::Empty(_) | Event::Eof => {
                            return Err(give_up!());
                        }
                        _ => {}
                    }
                }
                if !preserve {
                    let ws = [' ', '\t', '\r', '\n'];
                    let run = &out[start..];
                    let (lead, kept) = (
                        run.len() - run.trim_start_matches(ws).len(),
                        run.trim_matches(ws).len(),
                    );
                    out.truncate(start + lead + kept);
                    out.drain(start..start + lead);
                }
            }
            Event::End(e) if e.local_name().as_ref() == end => return Ok(out),
            Event::Eof => return Err(give_up!()),
            _ => {}
        }
    }
}

fn shared_strings(xml: &[u8]) -> R<Vec<String>> {
    let mut r = xml_reader(xml);
    loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => break,
            Event::Eof => return Err(give_up!()),
            _ => {}
        }
    }
    let mut strings = Vec::new();
    loop {
        match r.read_event()? {
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

/// Excel's built-in number formats, as calamine names them.
fn builtin_format(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
        42 => "_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
        44 => "_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// The number format of each cell format (`cellXfs`), None for General.
fn number_formats(xml: &[u8]) -> R<Vec<Option<String>>> {
    let mut r = xml_reader(xml);
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut formats = Vec::new();
    let mut in_num_fmts = false;
    let mut in_cell_xfs = false;
    loop {
        let (e, empty) = match r.read_event()? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "numFmts" => in_num_fmts = false,
                    "cellXfs" => in_cell_xfs = false,
                    "styleSheet" => return Ok(formats),
                    _ => {}
                }
                continue;
            }
            Event::Eof => return Err(give_up!()),
            _ => continue,
        };
        {
            match e.local_name().as_ref() {
                // calamine parses every font, fill and border: a malformed attribute anywhere
                // is its error, not a default.
                _ if e.attributes().with_checks(false).any(|a| a.is_err()) => {
                    return Err(give_up!());
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
                    let code = match raw(&e, "numFmtId")? {
                        Some(id) => Some((number_u32(&id)?, id)),
                        None => None,
                    };
                    let code = code.map(|(n, id)| {
                        custom
                            .get(id.as_ref())
                            .cloned()
                            .or_else(|| builtin_format(n).map(str::to_string))
                            .unwrap_or_else(|| "General".to_string())
                    });
                    formats.push(code.filter(|c| !c.eq_ignore_ascii_case("General")));
                }
                _ => {}
            }
        }
    }
}

/// "H15" → zero-based (row, column), within Excel's limits.
fn position(a1: &str) -> R<(u32, u32)> {
    let a1 = a1.as_bytes();
    let split = a1
        .iter()
        .position(|b| b.is_ascii_digit())
        .filter(|&i| i > 0)
        .ok_or(give_up!())?;
    let (letters, digits) = a1.split_at(split);
    let mut col: u32 = 0;
    for &b in letters {
        if !b.is_ascii_uppercase() || col > 1000 {
            return Err(give_up!());
        }
        col = col * 26 + u32::from(b - b'A') + 1;
    }
    let row = number_u32_bytes(digits)?;
    if row == 0 || row > 1_048_576 || col > 16_384 {
        return Err(give_up!());
    }
    Ok((row - 1, col - 1))
}

fn number_u32(digits: &str) -> R<u32> {
    number_u32_bytes(digits.as_bytes())
}

fn number_u32_bytes(digits: &[u8]) -> R<u32> {
    if digits.is_empty() || digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(give_up!());
    }
    Ok(digits
        .iter()
        .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')))
}

/// A number as Excel writes it: `-12`, `3.25`, `1.5E-3`. Anything looser is left to calamine.
fn number(v: &str) -> R<f64> {
    let b = v.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return Err(give_up!());
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return Err(give_up!());
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return Err(give_up!());
        }
    }
    if i != b.len() {
        return Err(give_up!());
    }
    v.parse().map_err(|_| give_up!())
}

/// The text of a `<v>` or `<f>` element (local name `end`) up to its end tag, and whether it
/// held an entity or character reference.
fn element_text<'a>(r: &mut Reader<&'a [u8]>, end: &str) -> R<(Cow<'a, str>, bool)> {
    let mut out = match r.read_event()? {
        Event::Text(t) => {
            check_text(&t)?;
            // The usual case, one text node: borrowed from the part, not copied.
            match r.read_event()? {
                Event::End(e) if e.local_name().as_ref() == end => {
                    return Ok((t.into_inner(), false));
                }
                Event::Text(u) => {
                    let mut out = t.into_inner().into_owned();
                    push_text(&mut out, &u)?;
                    out
                }
                Event::GeneralRef(g) => {
                    let mut out = t.into_inner().into_owned();
                    push_entity(&mut out, &g)?;
                    out
                }
                _ => return Err(give_up!()),
            }
        }
        Event::GeneralRef(g) => {
            let mut out = String::new();
            push_entity(&mut out, &g)?;
            out
        }
        Event::End(e) if e.local_name().as_ref() == end => return Ok((Cow::Borrowed(""), false)),
        _ => return Err(give_up!()),
    };
    loop {
        match r.read_event()? {
            Event::Text(t) => push_text(&mut out, &t)?,
            Event::GeneralRef(g) => push_entity(&mut out, &g)?,
            Event::End(e) if e.local_name().as_ref() == end => return Ok((Cow::Owned(out), true)),
            _ => return Err(give_up!()),
        }
    }
}

/// A cell's value from its `<v>` text and type, as calamine reads it.
fn value((v, entity): (Cow<'_, str>, bool), typ: Option<&str>, strings: &[String]) -> R<CellValue> {
    // calamine reads only the first text node of these types' values.
    if entity && !matches!(typ, Some("str" | "d")) {
        return Err(give_up!());
    }
    let v = v.as_ref();
    Ok(match typ {
        None | Some("n") => {
            if v.is_empty() {
                CellValue::Empty
            } else {
                CellValue::Number(number(v)?)
            }
        }
        Some("s") => {
            if v.is_empty() {
                CellValue::Empty
            } else {
                let i = number_u32(v)? as usize;
                CellValue::Text(strings.get(i).ok_or(give_up!())?.clone())
            }
        }
        Some("str") | Some("d") => CellValue::Text(v.to_string()),
        Some("b") => match v.trim() {
            "" => CellValue::Empty,
            "0" => CellValue::Bool(false),
            "1" => CellValue::Bool(true),
            _ => return Err(give_up!()),
        },
        Some("e") => match v {
            "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!" => {
                CellValue::Error(v.to_string())
            }
            _ => return Err(give_up!()),
        },
        Some(_) => return Err(give_up!()),
    })
}

/// A shared formula's template and the first cell of its range.
struct Shared {
    formula: String,
    start: (u32, u32),
}

/// The cells of a worksheet part in row and column order; None when it has no `sheetData`.
fn sheet_cells(
    xml: &[u8],
    strings: &[String],
    formats: &[Option<String>],
    total: &mut usize,
    text: &mut usize,
) -> R<Option<Vec<(CellRef, Cell)>>> {
    let mut r = xml_reader(xml);
    let mut seen_element = false;
    let mut styled_empty = 0usize;
    loop {
        let (e, empty) = match r.read_event()? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::Eof if seen_element => return Ok(None),
            Event::Eof => return Err(give_up!()),
            _ => continue,
        };
        match e.local_name().as_ref() {
            "sheetData" if empty => return Ok(Some(Vec::new())),
            "sheetData" => break,
            "dimension" => {
                let dim = raw(&e, "ref")?.ok_or(give_up!())?;
                for part in dim.split(':') {
                    position(part)?;
                }
            }
            _ => seen_element = true,
        }
    }
    // Cells come in row and column order: collected in a list, the caller builds the map in
    // one go.
    let mut cells: Vec<(CellRef, Cell)> = Vec::new();
    let mut shared: HashMap<u32, Shared> = HashMap::new();
    let (mut row, mut col) = (0u32, 0u32);
    loop {
        let (e, empty) = match r.read_event()? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "row" => {
                        row = row.checked_add(1).ok_or(give_up!())?;
                        col = 0;
                    }
                    "sheetData" => return Ok(Some(cells)),
                    _ => {}
                }
                continue;
            }
            Event::Eof => return Err(give_up!()),
            _ => continue,
        };
        match e.local_name().as_ref() {
            "row" => {
                if let Some(n) = raw(&e, "r")? {
                    row = number_u32(&n)?.checked_sub(1).ok_or(give_up!())?;
                }
                if empty {
                    row = row.checked_add(1).ok_or(give_up!())?;
                    col = 0;
                }
            }
            "c" => {
                let (mut at, mut style, mut typ) = (None, None, None);
                for a in e.attributes().with_checks(false) {
                    let a = a?;
                    match a.key.as_ref() {
                        "r" => at = Some(position(&a.value)?),
                        "s" => style = Some(number_u32(&a.value)? as usize),
                        "t" => typ = Some(a.value),
                        _ => {}
                    }
                }
                let pos = match at {
                    Some((r0, c0)) => {
                        col = c0;
                        (r0, c0)
                    }
                    None => (row, col),
                };
                let (v, formula) = if empty {
                    (CellValue::Empty, None)
                } else {
                    cell_body(&mut r, typ.as_deref(), strings, &mut shared, pos)?
                };
                col = col.checked_add(1).ok_or(give_up!())?;
                let at = CellRef::new(pos.0, pos.1);
                let styled = style.filter(|&id| id > 0 && id < formats.len());
                let valued = v != CellValue::Empty || formula.is_some();
                if !valued && styled.is_none() {
                    continue;
                }
                if valued {
                    *total += 1;
                    if *total > MAX_CELLS {
                        return Err(give_up!());
                    }
                } else {
                    // Styled empty cells are kept too (the form's borders), within the same
                    // limit per sheet as the read through calamine: ten million `<c s="3"/>`
                    // were held before anything refused them.
                    styled_empty += 1;
                    if styled_empty > MAX_CELLS {
                        return Err(give_up!());
                    }
                }
                // A cell out of order or twice: calamine's reading of it is not repeated here.
                if cells.last().is_some_and(|(last, _)| *last >= at) {
                    return Err(give_up!());
                }
                let mut cell = Cell::blank();
                cell.value = v;
                cell.formula = formula;
                if let Some(id) = styled {
                    cell.num_fmt = formats[id].clone();
                }
                // Past the budget the read through calamine gives the error (it streams cells
                // too, so it stops as early).
                *text += cell.text_bytes();
                if *text > super::guard::MAX_CELL_BYTES {
                    return Err(give_up!());
                }
                cells.push((at, cell));
            }
            _ => {}
        }
    }
}

/// A cell's value and formula, up to the cell's end tag.
fn cell_body(
    r: &mut Reader<&[u8]>,
    typ: Option<&str>,
    strings: &[String],
    shared: &mut HashMap<u32, Shared>,
    pos: (u32, u32),
) -> R<(CellValue, Option<String>)> {
    let mut v = CellValue::Empty;
    let mut formula = None;
    let mut got_value = false;
    loop {
        let (e, empty) = match r.read_event()? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) if e.local_name().as_ref() == "c" => break,
            Event::Eof => return Err(give_up!()),
            _ => continue,
        };
        let name = e.local_name();
        let name = name.as_ref();
        match name {
            "v" if matches!(typ, Some("inlineStr")) => {
                if !empty {
                    r.read_to_end(e.name())?;
                }
            }
            "v" if !got_value => {
                let text = if empty {
                    (Cow::Borrowed(""), false)
                } else {
                    element_text(r, name)?
                };
                v = value(text, typ, strings)?;
                got_value = true;
            }
            "is" if !got_value && matches!(typ, Some("inlineStr")) => {
                v = CellValue::Text(if empty {
                    String::new()
                } else {
                    string_item(r, name)?
                });
                got_value = true;
            }
            // A formula after the value, a second value: calamine's reading depends on which
            // pass reads the cell.
            "f" if !got_value && formula.is_none() => {
                formula = Some(formula_text(r, &e, empty, shared, pos)?);
            }
            _ => return Err(give_up!()),
        }
    }
    let formula = formula
        .flatten()
        .map(|f| f.trim().trim_start_matches('=').to_string())
        .filter(|f| !f.is_empty());
    Ok((v, formula))
}

/// A formula's text; a shared formula's dependent cells get the template moved as calamine
/// moves it (None when the template has not been seen yet).
fn formula_text(
    r: &mut Reader<&[u8]>,
    e: &BytesStart<'_>,
    empty: bool,
    shared: &mut HashMap<u32, Shared>,
    pos: (u32, u32),
) -> R<Option<String>> {
    let text = if empty {
        String::new()
    } else {
        element_text(r, "f")?.0.into_owned()
    };
    if raw(e, "t")?.as_deref() != Some("shared") {
        return Ok(Some(text));
    }
    let si = number_u32(&raw(e, "si")?.ok_or(give_up!())?)?;
    match raw(e, "ref")? {
        Some(range) => {
            let first = range.split(':').next().ok_or(give_up!())?;
            let start = position(first)?;
            for part in range.split(':') {
                position(part)?;
            }
            shared.insert(
                si,
                Shared {
                    formula: text.clone(),
                    start,
                },
            );
            Ok(Some(text))
        }
        None => match shared.get(&si) {
            Some(t) => calamine::expand_shared_formula(&t.formula, t.start, pos)
                .map(Some)
                .map_err(|_| give_up!()),
            None => Ok(None),
        },
    }
}

#[cfg(test)]
mod tests;
