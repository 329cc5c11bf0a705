//! Office Open XML workbooks (.xlsx, .xlsm), after the container guard has checked them:
//!
//! - [`direct`]: zpcheck's fast cell reader for an ordinary workbook read for checking or
//!   patching; it gives up on anything unusual (and says where), and calamine reads the file;
//! - `via_calamine`: calamine's streaming cell reader into the sparse grid, with each cell's
//!   style when a rebuild needs it;
//! - [`layout`]: what calamine does not expose (column widths, row heights, panes, page setup)
//!   and the merged ranges, from the sheets' XML.

pub(super) mod direct;
pub mod layout;
mod via_calamine;

pub(crate) use via_calamine::read_xlsx;

use super::format::{KeptPackage, Marks, Raw, WriteBack};
use super::{FileKind, Purpose, ReadBy, ReadOptions, Sheet, SheetLook, guard};
use crate::error::InputError;

/// Reads an .xlsx package the container guard has opened: the fast reader for an ordinary
/// workbook, calamine otherwise (see [`read_xlsx_opened`]). The package is kept for the patcher
/// when correcting: an .xlsx is written back by patching it.
pub(super) fn read(
    bytes: &[u8],
    mut facts: guard::ZipFacts,
    zip: guard::Zip<'_>,
    marks: Marks,
    placeholder_zero: bool,
    opts: ReadOptions,
) -> Result<Raw, InputError> {
    let not_kept = not_kept(&std::mem::take(&mut facts.names), facts.ours);
    let got = read_xlsx_opened(bytes, facts, zip, opts, false)?;
    Ok(Raw {
        kind: FileKind::Xlsx,
        sheets: got.sheets,
        looks: got.looks,
        properties: got.properties,
        not_kept,
        kept: got.parts.map(|parts| KeptPackage {
            plain: got.plain,
            parts,
        }),
        read_by: got.read_by,
        marks,
        placeholder_zero,
        write_back: WriteBack::Patch,
        document: None,
    })
}

/// What a package holds that a rebuilt corrected workbook cannot keep (a patched one keeps it
/// all): pictures, charts, others' notes (zpcheck's own are written again from the findings),
/// macros (an .xlsx cannot hold them).
fn not_kept(names: &[String], ours: bool) -> Vec<&'static str> {
    let any = |prefix: &str| names.iter().any(|n| n.starts_with(prefix));
    let mut out = Vec::new();
    if any("xl/media/") {
        out.push("图片");
    }
    if any("xl/charts/") {
        out.push("图表");
    }
    if !ours && (any("xl/comments") || any("xl/threadedComments")) {
        out.push("批注");
    }
    if any("xl/vbaProject") {
        out.push("宏");
    }
    out
}

/// What the read of an .xlsx package gave.
struct XlsxGot {
    sheets: Vec<Sheet>,
    properties: Option<calamine::WorkbookProperties>,
    looks: Vec<SheetLook>,
    read_by: ReadBy,
    /// The parts already decompressed, kept for the patcher (None when only checking).
    parts: Option<direct::Kept>,
    /// The package made plain ([`crate::ooxml::plain`]), when it was not: what was read, and
    /// what the patcher patches.
    plain: Option<Vec<u8>>,
}

/// Reads an .xlsx package the guard has opened. Its XML is made plain ([`crate::ooxml::plain`])
/// when the fast reader declines it (a mark, UTF-16, character references, CDATA…) or is not
/// used: every reader then reads the same plain XML, and the patcher patches it. `plain` says
/// it already is. (A part no reader reads, such as a style sheet with a mark, the patcher makes
/// plain itself when it rewrites it.)
fn read_xlsx_opened(
    bytes: &[u8],
    facts: guard::ZipFacts,
    mut zip: guard::Zip<'_>,
    opts: ReadOptions,
    plain: bool,
) -> Result<XlsxGot, InputError> {
    use crate::ooxml::plain as p;
    let rebuild = opts.purpose == Purpose::Rebuild;
    let use_direct = opts.direct && !rebuild;
    let made_plain = |made: Vec<u8>| -> Result<XlsxGot, InputError> {
        let (facts, zip) = guard::open_zip(&made)?;
        let mut got = read_xlsx_opened(&made, facts, zip, opts, true)?;
        got.plain = Some(made);
        Ok(got)
    };
    if !plain
        && !use_direct
        && let Some(made) = p::plain_package(&mut zip, bytes)?
    {
        return made_plain(made);
    }
    let workbook_xml = (facts.workbook_xml.0.as_str(), facts.workbook_xml.1.as_str());
    let mut kept = (opts.purpose == Purpose::Fix).then(direct::Kept::new);
    let office_document = facts.office_document.as_deref();
    let direct = use_direct.then(|| {
        // A workbook part that is not UTF-8 is declined (made plain, a UTF-16 one is read
        // after all; calamine refuses one that is not text).
        if facts.workbook_not_utf8 {
            return Err(crate::ooxml::give_up!(crate::fallback::Why::NotUtf8));
        }
        direct::read_opened(
            bytes,
            zip.clone(),
            office_document,
            workbook_xml,
            kept.as_mut(),
        )
    });
    let (sheets, properties, looks, read_by) = match direct {
        Some(Ok(sheets)) => {
            let by = ReadBy {
                reader: "fast",
                fallback: None,
            };
            (sheets, None, Vec::new(), by)
        }
        gave_up => {
            // Declined: made plain, the fast reader may take it after all, and calamine
            // otherwise reads the plain XML, never less than the fast reader would.
            if !plain
                && gave_up.is_some()
                && let Some(made) = p::plain_package(&mut zip, bytes)?
            {
                return made_plain(made);
            }
            let by = ReadBy {
                reader: "calamine",
                fallback: match gave_up {
                    Some(Err(direct::GiveUp { why, at })) => Some(crate::fallback::Fallback {
                        path: crate::fallback::Path::Decline,
                        why,
                        at: Some(at),
                    }),
                    _ => None,
                },
            };
            let read = read_xlsx(bytes, workbook_xml, rebuild)?;
            (read.sheets, read.properties, read.looks, by)
        }
    };
    let parts = (opts.purpose != Purpose::Check).then(|| {
        let mut parts = kept.unwrap_or_default();
        let (workbook, rels) = facts.workbook_xml;
        // Kept for the patcher, which handles the usual workbook part only (it gives up on
        // another, and the workbook is rebuilt).
        let usual = facts.workbook_part == guard::WORKBOOK_PART;
        for (name, text) in [
            (crate::ooxml::names::WORKBOOK, workbook),
            (crate::ooxml::names::WORKBOOK_RELS, rels),
            (crate::ooxml::names::PACKAGE_RELS, facts.root_rels),
        ] {
            if usual && !text.is_empty() {
                parts.insert(name.into(), text);
            }
        }
        parts
    });
    Ok(XlsxGot {
        sheets,
        properties,
        looks,
        read_by,
        parts,
        plain: None,
    })
}
