//! Guards that run before calamine sees a file: size limits, and a look inside the container
//! (zip or compound file) that tells a corrupt or truncated zip, a zip holding no workbook, a
//! Word or PowerPoint file, an encrypted workbook, a decompression bomb and an .xls whose cells
//! span an absurd range apart, each with its own message.
//!
//! A 自评表 is a few hundred cells in a file of tens of kilobytes; the limits are orders of
//! magnitude above that and far below what would exhaust this machine.

use std::io::{Cursor, Read};

use crate::error::InputError;
use crate::limits::MAX_DEFLATE_RATIO;
/// The limits applied here (defined, with every other, in [`crate::limits`]).
pub use crate::limits::{
    MAX_CELL_BYTES, MAX_CELLS, MAX_DENSE_TEXT_BYTES, MAX_FILE_BYTES, MAX_MERGE_CELLS,
    MAX_MERGED_CELLS, MAX_ODS_CELLS, MAX_ODS_SHEET_CELLS, MAX_PART_BYTES, MAX_UNZIPPED_BYTES,
    MAX_ZIP_ENTRIES,
};
use crate::ooxml::names;

/// The error for a workbook past [`MAX_CELL_BYTES`].
pub fn too_much_text(limit: usize) -> InputError {
    InputError::TooLarge(format!(
        "单元格中的文字、公式和数字格式合计超过 {} MB",
        limit >> 20
    ))
}

/// What the look inside a zip container found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipFacts {
    /// An OpenDocument spreadsheet (otherwise OOXML).
    pub ods: bool,
    /// The workbook asks for recalculation on load (fullCalcOnLoad).
    pub full_calc: bool,
    /// The file is zpcheck's own output (custom property "zpcheck").
    pub ours: bool,
    /// The file is a summary zpcheck wrote (custom property "zpcheck-summary").
    pub summary: bool,
    /// The file is a plain copy zpcheck wrote (`--plain`, custom property "zpcheck-plain"):
    /// checked like any submission, but zpcheck may replace it.
    pub plain: bool,
    /// An .ods's content.xml, as read here (empty for .xlsx): its styles are read from it for
    /// a rebuilt corrected workbook.
    pub content: String,
    /// xl/workbook.xml and xl/_rels/workbook.xml.rels, as read here (empty for .ods), so that
    /// the sheets' parts are found without decompressing them again.
    pub workbook_xml: (String, String),
    /// The workbook part or its relationships were not valid UTF-8 (`workbook_xml` holds
    /// them with U+FFFD in place of what did not decode): the fast reader declines them, as
    /// calamine does.
    pub workbook_not_utf8: bool,
    /// The workbook part's name as the package relationships give it (usually
    /// [`WORKBOOK_PART`]).
    pub workbook_part: String,
    /// The workbook's target as `_rels/.rels` writes it (None when it names none or cannot be
    /// read).
    pub office_document: Option<String>,
    /// `_rels/.rels` as read here (empty when it names no workbook), kept for the patching
    /// writer.
    pub root_rels: String,
    /// The `mimetype` entry's text (an OpenDocument package names its kind there).
    pub mimetype: String,
    /// Every entry's name, in the container's order: each format reads what its package holds
    /// from them (pictures, charts, notes, macros), and the dispatcher tells a Word or
    /// PowerPoint package from a workbook by them.
    pub names: Vec<String>,
}

struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A zip container opened over a file's bytes.
pub(crate) type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The workbook part and its relationships part, as `_rels/.rels` names them (the usual names
/// when it names none or cannot be read: the workbook is then looked for there, as before),
/// and the target it names as written; `root_rels` gets the text of `_rels/.rels` when it is
/// UTF-8.
fn workbook_part_names(
    zip: &mut Zip<'_>,
    bytes: &[u8],
    root_rels: &mut String,
) -> (String, String, Option<String>) {
    let usual = |named: Option<String>| {
        (
            WORKBOOK_PART.to_string(),
            names::WORKBOOK_RELS.to_string(),
            named,
        )
    };
    let Some(i) = zip.index_for_name(names::PACKAGE_RELS) else {
        return usual(None);
    };
    let mut buf = Vec::new();
    if !crate::ooxml::unzip::entry_into(zip, bytes, i, &mut buf)
        || buf.len() as u64 > MAX_PART_BYTES
    {
        return usual(None);
    }
    let Some(named) = crate::ooxml::rels::office_document(&buf) else {
        return usual(None);
    };
    if let Ok(text) = String::from_utf8(buf) {
        *root_rels = text;
    }
    let target = named.replace('\\', "/");
    let name = target.rsplit('/').next().unwrap_or_default();
    if name.is_empty() || target.split('/').any(|s| s == "..") {
        return usual(Some(named));
    }
    let rels = crate::ooxml::rels::rels_name(&target);
    (target, rels, Some(named))
}

/// Where a workbook's main part usually is.
pub const WORKBOOK_PART: &str = names::WORKBOOK;

/// Checks a zip container: every part decompresses (bounded) and passes its checksum, the sizes
/// stay within limits, and a workbook is there ([`super::zip_kind`]).
pub fn inspect_zip(bytes: &[u8]) -> Result<ZipFacts, InputError> {
    let (facts, _) = open_zip(bytes)?;
    super::zip_kind(&facts)?;
    Ok(facts)
}

/// The container's checks of [`inspect_zip`] (which format it holds is the dispatcher's to say),
/// and the opened container (so that a reader need not open it again).
pub(crate) fn open_zip(bytes: &[u8]) -> Result<(ZipFacts, Zip<'_>), InputError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| InputError::CorruptZip(e.to_string()))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(InputError::TooLarge(format!(
            "压缩包内有 {} 个文件",
            zip.len()
        )));
    }
    // Deflate cannot expand data more than 1032 times. When the compressed sizes prove every
    // part and the whole within the limits, parts zpcheck does not look into need not be
    // decompressed here (calamine decompresses what it reads); otherwise every part is
    // decompressed and counted, so lying size fields cannot get a bomb past the guard.
    let entries = zip.len();
    let mut bound = |i: usize| -> u64 {
        match zip.by_index_raw(i) {
            Ok(p) => match p.compression() {
                zip::CompressionMethod::Stored => p.compressed_size(),
                zip::CompressionMethod::Deflated => {
                    p.compressed_size().saturating_mul(MAX_DEFLATE_RATIO)
                }
                _ => u64::MAX,
            },
            Err(_) => u64::MAX,
        }
    };
    let bounds: Vec<u64> = (0..entries).map(&mut bound).collect();
    let provably_small = bounds.iter().all(|&b| b <= MAX_PART_BYTES)
        && bounds.iter().fold(0u64, |a, &b| a.saturating_add(b)) <= MAX_UNZIPPED_BYTES;
    // The workbook part is the one the package relationships name (calamine follows them):
    // almost always xl/workbook.xml, but a writer may call it xl/book.xml.
    let mut root_rels = String::new();
    let (workbook_part, workbook_rels, office_document) =
        workbook_part_names(&mut zip, bytes, &mut root_rels);
    let mut names = Vec::with_capacity(zip.len());
    let mut total = 0u64;
    let mut workbook_not_utf8 = false;
    let (mut workbook, mut custom, mut mimetype, mut content, mut rels) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    );
    for i in 0..zip.len() {
        let name = zip
            .by_index_raw(i)
            .map_err(|e| InputError::CorruptZip(e.to_string()))?
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default();
        let text_slot = match name.as_str() {
            // (A Word document's main part is named here as the package's main part: the
            // Word reader reads it itself, once.)
            n if n == workbook_part && !workbook_part.starts_with("word/") => Some(&mut workbook),
            n if n == workbook_rels => Some(&mut rels),
            n if n == names::CUSTOM_PROPERTIES => Some(&mut custom),
            "mimetype" => Some(&mut mimetype),
            "content.xml" => Some(&mut content),
            _ => None,
        };
        if text_slot.is_none() && provably_small {
            // Not read here and provably small: not even a decompressor is set up for it.
            names.push(name);
            continue;
        }
        let mut buf = Vec::new();
        let size = if text_slot.is_some()
            && crate::ooxml::unzip::entry_into(&mut zip, bytes, i, &mut buf)
        {
            buf.len() as u64
        } else {
            // Through the zip crate: a bomb is cut off at the limit, damage gets its message.
            buf.clear();
            let mut part = zip
                .by_index(i)
                .map_err(|e| InputError::CorruptZip(e.to_string()))?;
            let mut limited = (&mut part).take(MAX_PART_BYTES + 1);
            match text_slot {
                Some(_) => limited
                    .read_to_end(&mut buf)
                    .map_err(|e| InputError::CorruptZip(format!("{name}：{e}")))?
                    as u64,
                None => std::io::copy(&mut limited, &mut Counter(0))
                    .map_err(|e| InputError::CorruptZip(format!("{name}：{e}")))?,
            }
        };
        if let Some(slot) = text_slot {
            // Valid UTF-8 (every part a writer makes) is taken as it is; the slower lossy
            // reading only for what is not.
            *slot = match String::from_utf8(std::mem::take(&mut buf)) {
                Ok(text) => text,
                Err(e) => {
                    if name == workbook_part || name == workbook_rels {
                        workbook_not_utf8 = true;
                    }
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            };
        }
        if size > MAX_PART_BYTES {
            return Err(InputError::TooLarge(format!(
                "压缩包中的 {name} 解压后超过 {} MB",
                MAX_PART_BYTES >> 20
            )));
        }
        total += size;
        if total > MAX_UNZIPPED_BYTES {
            return Err(InputError::TooLarge(format!(
                "解压后超过 {} MB",
                MAX_UNZIPPED_BYTES >> 20
            )));
        }
        names.push(name);
    }
    let ods = mimetype.trim() == "application/vnd.oasis.opendocument.spreadsheet";
    let markers = names::custom_property_names(&custom);
    let marked = |m: &str| markers.iter().any(|n| n == m);
    let (ours, summary, plain) = (
        marked(names::MARKER_OUTPUT),
        marked(names::MARKER_SUMMARY),
        marked(names::MARKER_PLAIN),
    );
    let facts = ZipFacts {
        ods,
        mimetype,
        names,
        // (A Word document's main part, read here as the package's main part, has no calcPr.)
        full_calc: !workbook_part.starts_with("word/")
            && (workbook.contains("fullCalcOnLoad=\"1\"")
                || workbook.contains("fullCalcOnLoad=\"true\"")),
        ours,
        summary,
        plain,
        workbook_xml: (workbook, rels),
        workbook_not_utf8,
        workbook_part,
        office_document,
        root_rels,
        content,
    };
    Ok((facts, zip))
}
