//! Reading a workbook with calamine into zpcheck's own sparse sheet grid: absolute cell
//! positions, cached values, formulas, number formats (xlsx) and merged ranges. When only
//! checking, an ordinary .xlsx is read by `direct.rs` instead (faster; it hands anything unusual
//! back to calamine).
//!
//! The file kind is decided by its first bytes, not its name, and calamine's specific reader is
//! called so that its errors keep their meaning. [`guard`] looks inside the container first, so
//! that no input can make calamine exhaust memory or time.

mod docx;
mod fidelity;
pub mod format;
pub mod guard;
mod html;
mod markup;
mod ods;
pub(crate) mod resolve;
mod spreadsheetml;
mod xls;
mod xlsx;

pub use xlsx::layout;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use calamine::{Data, Dimensions};

use crate::error::{InputError, io_reason};

pub use fidelity::{Fidelity, SheetLook, Source};
pub use format::WriteBack;
pub use xls::repair_gbk_text;

use crate::grid::SCAN_MERGES;
pub use crate::grid::{Cell, CellRef, CellValue, FormulaValue, Merge, MergeRows, Sheet};

/// Keeps the merged ranges that do not overlap an earlier one (Excel never writes overlapping
/// ranges; where a damaged file has them, the first one wins, as in the rebuilt workbook), and
/// refuses a workbook whose merges cover more than [`guard::MAX_MERGED_CELLS`] cells in all.
fn disjoint_merges(merges: Vec<Merge>, total: &mut u64) -> Result<Vec<Merge>, InputError> {
    let overlap = |a: &Merge, b: &Merge| {
        a.first.row <= b.last.row
            && b.first.row <= a.last.row
            && a.first.col <= b.last.col
            && b.first.col <= a.last.col
    };
    let mut count = |m: &Merge| {
        *total += u64::from(m.last.row - m.first.row + 1) * u64::from(m.last.col - m.first.col + 1);
        if *total > guard::MAX_MERGED_CELLS {
            Err(InputError::TooLarge(format!(
                "合并单元格合计超过 {} 个",
                guard::MAX_MERGED_CELLS
            )))
        } else {
            Ok(())
        }
    };
    if merges.len() <= SCAN_MERGES {
        // The usual form: compared pairwise, nothing allocated.
        let mut kept: Vec<Merge> = Vec::with_capacity(merges.len());
        for m in merges {
            count(&m)?;
            if !kept.iter().any(|k| overlap(k, &m)) {
                kept.push(m);
            }
        }
        return Ok(kept);
    }
    let mut taken: std::collections::HashMap<u32, BTreeMap<u32, u32>> = Default::default();
    let mut kept = Vec::with_capacity(merges.len());
    for m in merges {
        count(&m)?;
        let rows = m.first.row..=m.last.row;
        let overlaps = rows.clone().any(|row| {
            taken.get(&row).is_some_and(|spans| {
                // The span starting at or before this one's last column must end before it.
                spans
                    .range(..=m.last.col)
                    .next_back()
                    .is_some_and(|(_, last)| *last >= m.first.col)
            })
        });
        if overlaps {
            continue;
        }
        for row in rows {
            taken
                .entry(row)
                .or_default()
                .insert(m.first.col, m.last.col);
        }
        kept.push(m);
    }
    Ok(kept)
}

/// The formats zpcheck reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// BIFF8 (.xls).
    Xls,
    /// OpenDocument (.ods).
    Ods,
    /// An HTML table saved as .xls (many systems' "导出Excel").
    Html,
    /// SpreadsheetML 2003, the XML Spreadsheet (as .xls or .xml).
    SpreadsheetMl,
    /// A Word document (.docx): a 自评报告, its narrative and its tables ("表N").
    Docx,
}

/// A workbook read into memory: the grid every stage shares, and what the read found out about
/// the file. What only a corrected workbook needs is not here but in [`Fidelity`].
#[derive(Debug, Clone)]
pub struct Workbook {
    /// What the bytes were.
    pub kind: FileKind,
    /// The sheets in workbook order.
    pub sheets: Vec<Sheet>,
    /// The workbook is a summary zpcheck wrote (`--summary`), still as written (its seal
    /// holds: a marker alone proves nothing).
    pub zpcheck_summary: bool,
    /// The workbook is a corrected workbook zpcheck wrote, still as written (its seal holds).
    pub zpcheck_output: bool,
    /// The workbook is a plain copy zpcheck wrote (`--plain`): a submission, checked as any.
    pub zpcheck_plain: bool,
    /// For a sealed zpcheck output: the file it records it was made from (name, digest).
    pub zpcheck_source: Option<(String, String)>,
    /// Which reader read it (reported, so that a fallback on every file cannot go unnoticed).
    pub read_by: ReadBy,
    /// A report's narrative (a Word document); its tables are the sheets "表1" … "表N".
    pub document: Option<crate::grid::Document>,
}

/// What a read gave: the workbook, and, when the read was for correcting, what the corrected
/// workbook is made from besides the grid (handed to `write`, not to the checks).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The grid and the facts of the file.
    pub workbook: Workbook,
    /// Present unless the read was [`Purpose::Check`].
    pub fidelity: Option<Fidelity>,
}

/// Which reader read a workbook: zpcheck's fast .xlsx reader, or calamine (every .xls and
/// .ods; an .xlsx the fast reader gave up on, or one read with its styles for a rebuild).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadBy {
    /// `"fast"` or `"calamine"`, or zpcheck's reader of a format calamine does not read:
    /// `"html"`, `"spreadsheetml"`.
    pub reader: &'static str,
    /// Why the fast reader declined the file (`decline:…`), when it did.
    pub fallback: Option<crate::fallback::Fallback>,
}

impl ReadBy {
    fn calamine() -> ReadBy {
        ReadBy {
            reader: "calamine",
            fallback: None,
        }
    }

    /// One of zpcheck's own readers of a format calamine does not read (`"html"`,
    /// `"spreadsheetml"`).
    fn own(reader: &'static str) -> ReadBy {
        ReadBy {
            reader,
            fallback: None,
        }
    }
}

/// Whether a file is SpreadsheetML 2003, told by its first bytes (a folder walk takes an .xml
/// file only then: most .xml files are no spreadsheets).
pub fn is_spreadsheetml_file(path: &Path) -> bool {
    // Only a regular file is opened: a pipe would wait for a writer.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|f| f.take(markup::HEAD_BYTES as u64).read_to_end(&mut head));
    read.is_ok() && markup::sniff(&head) == Some(FileKind::SpreadsheetMl)
}

/// Decides the file kind from its bytes (and, for zip files, from their content listing).
pub fn sniff(bytes: &[u8]) -> Result<FileKind, InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let head = &bytes[..bytes.len().min(200)];
        if head.windows(8).any(|w| w == b"mimetype")
            && bytes
                .windows(b"opendocument.spreadsheet".len())
                .take(400)
                .any(|w| w == b"opendocument.spreadsheet")
        {
            return Ok(FileKind::Ods);
        }
        return Ok(FileKind::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(FileKind::Xls);
    }
    // A PDF may start after a few bytes of junk (the format allows 1024).
    if bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Err(InputError::Unsupported(crate::error::PDF.to_string()));
    }
    markup::sniff(bytes).ok_or(InputError::NotSpreadsheet)
}

/// What a read is for; it decides what is read besides the cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Only checking: values, formulas, number formats and merged ranges; no [`Fidelity`].
    Check,
    /// Correcting: the grid, and a [`Fidelity`] to make the corrected workbook from. An .xlsx
    /// keeps its bytes, which `write` patches in place (and, in the rare case it cannot, reads
    /// the sheets' looks from with [`Purpose::Rebuild`]); an .xls or .ods keeps its document
    /// properties for the rebuilt workbook.
    Fix,
    /// Everything a rebuilt corrected workbook needs: also each cell's style and the sheets'
    /// layout (column widths, row heights, page setup…) in [`Fidelity::looks`].
    Rebuild,
}

/// How to read a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// What the read is for.
    pub purpose: Purpose,
    /// Read an ordinary .xlsx with zpcheck's own cell reader when styles are not needed (see
    /// `direct.rs`: it gives up on anything unusual and calamine reads the file instead).
    /// False always reads through calamine, to compare the two.
    pub direct: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            purpose: Purpose::Check,
            direct: true,
        }
    }
}

impl ReadOptions {
    /// Options for a read with this purpose.
    pub fn for_purpose(purpose: Purpose) -> Self {
        ReadOptions {
            purpose,
            ..ReadOptions::default()
        }
    }
}

/// Reads a workbook file (at most [`guard::MAX_FILE_BYTES`]) for checking: the grid only.
pub fn read_path(path: &Path) -> Result<Workbook, InputError> {
    read_path_with(path, ReadOptions::for_purpose(Purpose::Check)).map(|r| r.workbook)
}

/// Reads a workbook file with the given options.
pub fn read_path_with(path: &Path, opts: ReadOptions) -> Result<Loaded, InputError> {
    read_bytes_with(file_bytes(path)?, opts)
}

/// A workbook file's bytes, at most [`guard::MAX_FILE_BYTES`] of them: only a regular file is
/// opened (a pipe would wait for a writer, a device never end), and a file over the limit is
/// refused before it is read. The pipeline reads each input once, with this.
pub fn file_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    // Opening a named pipe waits for a writer, and a device never ends: only regular files (and
    // folders, refused below with their own message) are opened at all.
    let kind = std::fs::metadata(path).map_err(|e| InputError::NotFound(io_reason(&e)))?;
    if !kind.is_file() && !kind.is_dir() {
        return Err(InputError::NotFound(
            "不是普通文件（管道、设备或套接字），未读取".into(),
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| InputError::NotFound(io_reason(&e)))?;
    let meta = file.metadata().ok();
    if meta.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(InputError::NotFound("这是一个文件夹".into()));
    }
    let size = meta.map_or(0, |m| m.len());
    if size > guard::MAX_FILE_BYTES {
        return Err(InputError::TooLarge(format!(
            "{} MB，超过 {} MB",
            size >> 20,
            guard::MAX_FILE_BYTES >> 20
        )));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(guard::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::NotFound(io_reason(&e)))?;
    if bytes.len() as u64 > guard::MAX_FILE_BYTES {
        return Err(InputError::TooLarge(format!(
            "超过 {} MB",
            guard::MAX_FILE_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// Reads a workbook from its bytes for checking: the grid only.
pub fn read_bytes(bytes: Vec<u8>) -> Result<Workbook, InputError> {
    read_bytes_with(bytes, ReadOptions::for_purpose(Purpose::Check)).map(|r| r.workbook)
}

/// Reads a workbook from its bytes with the given options: the kind is sniffed from the bytes,
/// that format's module reads them behind the boundary of [`format`], and what every format
/// shares is applied after ([`finish`]).
pub fn read_bytes_with(bytes: Vec<u8>, opts: ReadOptions) -> Result<Loaded, InputError> {
    let mut raw = match sniff(&bytes)? {
        // The two zip formats share the container guard, which says which one the package is.
        FileKind::Xlsx | FileKind::Ods => {
            let (facts, mut zip) = guard::open_zip(&bytes)?;
            let kind = zip_kind(&facts)?;
            let (marks, placeholder_zero) = sealed_marks(&facts, &bytes);
            match kind {
                FileKind::Ods => ods::read(&bytes, facts, marks, placeholder_zero, opts)?,
                FileKind::Docx => docx::read(&bytes, &facts, &mut zip, marks, opts)?,
                _ => xlsx::read(&bytes, facts, zip, marks, placeholder_zero, opts)?,
            }
        }
        FileKind::Xls => xls::read(&bytes, opts)?,
        FileKind::Html => html::read(&bytes, opts)?,
        FileKind::SpreadsheetMl => spreadsheetml::read(&bytes, opts)?,
        // Told only inside a zip (above).
        FileKind::Docx => return Err(InputError::NotSpreadsheet),
    };
    // A patched format keeps its package: the input's bytes, unless the reader remade them.
    let source = raw.kept.take().map(|k| Source {
        bytes: std::sync::Arc::new(k.plain.unwrap_or(bytes)),
        parts: std::sync::Arc::new(k.parts),
    });
    finish(raw, source, opts)
}

/// Which format a checked zip container holds, told by its entries: an OpenDocument spreadsheet
/// by its `mimetype`, an Office Open XML workbook by the workbook part its relationships name.
/// Anything else is refused with what it is (a Word document, a presentation, another
/// OpenDocument, a plain zip archive).
pub(crate) fn zip_kind(facts: &guard::ZipFacts) -> Result<FileKind, InputError> {
    let has = |n: &str| facts.names.iter().any(|x| x == n);
    if facts.ods {
        return Ok(FileKind::Ods);
    }
    // A Word document's package relationships name its main part under word/ (the workbook
    // part's name is then word/document.xml: told before the workbook test).
    let word_target = facts
        .office_document
        .as_deref()
        .map(|t| t.trim_start_matches('/'))
        .is_some_and(|t| t.starts_with("word/") && has(t));
    if word_target || (has("word/document.xml") && !has(&facts.workbook_part)) {
        return Ok(FileKind::Docx);
    }
    if has(&facts.workbook_part) {
        return Ok(FileKind::Xlsx);
    }
    let what = if has("ppt/presentation.xml") {
        "这是 PowerPoint 演示文稿（.pptx），不是电子表格"
    } else if facts.mimetype.contains("opendocument") {
        "这是 OpenDocument 文档，但不是电子表格（.ods）"
    } else {
        "压缩包中没有 Excel 工作簿（可能是普通 zip 压缩包）"
    };
    Err(InputError::NoWorkbook(what.to_string()))
}

/// zpcheck's markers on a zip package, each trusted only under a seal that still holds (a
/// property anyone can set proves nothing: a department could hide its submission from a batch
/// with it); and whether formula results may be placeholder zeros. Writers that ask for
/// recalculation on load (fullCalcOnLoad) may store 0 as every formula's result; zpcheck's own
/// output stores real results, so it is trusted — by the same test, never by the marker alone.
fn sealed_marks(facts: &guard::ZipFacts, bytes: &[u8]) -> (format::Marks, bool) {
    let sealed =
        (facts.ours || facts.summary || facts.plain) && crate::ooxml::seal::unchanged(bytes);
    let output = facts.ours && sealed;
    let marks = format::Marks {
        summary: facts.summary && sealed,
        output,
        plain: facts.plain && sealed,
        source: output
            .then(|| crate::ooxml::seal::recorded_source(bytes))
            .flatten(),
    };
    (marks, facts.full_calc && !(facts.ours && sealed))
}

/// What every format shares after its read: the limits on cells and merged ranges, formulas
/// evaluated, the looks' notes, and Excel's grid.
fn finish(
    raw: format::Raw,
    source: Option<Source>,
    opts: ReadOptions,
) -> Result<Loaded, InputError> {
    let format::Raw {
        kind,
        mut sheets,
        mut looks,
        properties,
        mut not_kept,
        read_by,
        marks,
        placeholder_zero,
        write_back,
        kept: _,
        document,
    } = raw;
    let cells: usize = sheets.iter().map(|s| s.cells.len()).sum();
    if cells > guard::MAX_CELLS {
        return Err(InputError::TooLarge(format!(
            "单元格超过 {} 个",
            guard::MAX_CELLS
        )));
    }
    let mut merged = 0u64;
    for sheet in &mut sheets {
        // A form's merged ranges span a few cells; a huge one would make the rebuilt workbook
        // write every cell it covers (found by fuzzing: 16.5 million cells, 2.8 GB).
        sheet.merges.retain(|m| {
            u64::from(m.last.row.saturating_sub(m.first.row) + 1)
                * u64::from(m.last.col.saturating_sub(m.first.col) + 1)
                <= guard::MAX_MERGE_CELLS
                && m.first.row <= m.last.row
                && m.first.col <= m.last.col
        });
        sheet.merges = disjoint_merges(std::mem::take(&mut sheet.merges), &mut merged)?;
        resolve::resolve_formulas(sheet, placeholder_zero);
    }
    let layouts = || looks.iter().filter_map(|l: &SheetLook| l.layout.as_ref());
    if layouts().any(|l| l.data_validation) {
        not_kept.push("数据验证");
    }
    if layouts().any(|l| l.conditional_formats) {
        not_kept.push("条件格式");
    }
    // A value beyond Excel's grid: refused up front, by check and fix alike (the writer could
    // not place it, and no spreadsheet program opens such a sheet). Blank cells out there
    // (a style, a number format) and their looks are dropped, with a note: they hold nothing
    // to check, and the corrected workbook could not hold them.
    let beyond = |c: &CellRef| {
        c.row >= crate::limits::MAX_EXCEL_ROWS || c.col >= crate::limits::MAX_EXCEL_COLS
    };
    let mut dropped = false;
    for (i, sheet) in sheets.iter_mut().enumerate() {
        let valued = sheet.cells.iter().find(|(c, cell)| {
            beyond(c) && (!matches!(cell.value, CellValue::Empty) || cell.formula.is_some())
        });
        if let Some((cell, _)) = valued {
            return Err(InputError::BeyondGrid(format!(
                "工作表“{}”的单元格 {cell} 超出 Excel 的表格范围（最多 1,048,576 行、16,384 列即到 XFD 列），Excel 和 WPS 都打不开这样的工作表",
                sheet.name
            )));
        }
        let before = sheet.cells.len();
        sheet.cells.retain(|c, _| !beyond(c));
        dropped |= sheet.cells.len() != before;
        if let Some(look) = looks.get_mut(i) {
            let before = look.styles.len();
            look.styles.retain(|c, _| !beyond(c));
            dropped |= look.styles.len() != before;
            if let Some(layout) = look.layout.as_mut() {
                let before = (layout.rows.len(), layout.columns.len());
                layout
                    .rows
                    .retain(|r, _| *r < crate::limits::MAX_EXCEL_ROWS);
                layout
                    .columns
                    .retain(|c, _| *c < crate::limits::MAX_EXCEL_COLS);
                dropped |= (layout.rows.len(), layout.columns.len()) != before;
            }
        }
    }
    if dropped {
        not_kept.push(BEYOND_GRID_NOTE);
    }
    let workbook = Workbook {
        kind,
        sheets,
        zpcheck_summary: marks.summary,
        zpcheck_output: marks.output,
        zpcheck_plain: marks.plain,
        zpcheck_source: marks.source,
        read_by,
        document,
    };
    let fidelity = (opts.purpose != Purpose::Check).then_some(Fidelity {
        source,
        properties,
        not_kept,
        looks,
        write_back,
    });
    Ok(Loaded { workbook, fidelity })
}

/// The note a workbook gets when blank cells, styles, row heights or column widths beyond
/// Excel's grid were dropped ([`Fidelity::not_kept`]; a value there is refused instead).
pub const BEYOND_GRID_NOTE: &str =
    "超出 Excel 表格范围（1,048,576 行、XFD 列）的空单元格、样式、行高和列宽（已忽略）";

fn corrupt(e: &dyn fmt::Display) -> InputError {
    InputError::Corrupt(e.to_string())
}

fn xls_error(e: calamine::XlsError) -> InputError {
    match e {
        calamine::XlsError::Password => InputError::Encrypted,
        e => InputError::Corrupt(e.to_string()),
    }
}

pub(crate) fn build_sheet(
    name: String,
    values: &calamine::Range<Data>,
    formulas: &calamine::Range<String>,
    merges: &[Dimensions],
) -> Sheet {
    let mut cells = BTreeMap::new();
    if let Some((r0, c0)) = values.start() {
        for (r, c, v) in values.used_cells() {
            let value = match v {
                Data::Empty => continue,
                Data::Int(i) => CellValue::Number(*i as f64),
                Data::Float(f) => CellValue::Number(*f),
                Data::String(s) => CellValue::Text(s.clone()),
                Data::Bool(b) => CellValue::Bool(*b),
                Data::DateTime(dt) => CellValue::DateTime(dt.as_f64()),
                Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Text(s.clone()),
                Data::Error(e) => CellValue::Error(e.to_string()),
            };
            let pos = CellRef::new(r0 + r as u32, c0 + c as u32);
            let mut cell = Cell::blank();
            cell.value = value;
            cells.insert(pos, cell);
        }
    }
    if let Some((r0, c0)) = formulas.start() {
        for (r, c, f) in formulas.used_cells() {
            if f.trim().is_empty() {
                continue;
            }
            let pos = CellRef::new(r0 + r as u32, c0 + c as u32);
            let formula = f.trim().trim_start_matches('=').to_string();
            cells.entry(pos).or_insert_with(Cell::blank).formula = Some(formula);
        }
    }
    let merges = merges
        .iter()
        .map(|d| Merge {
            first: CellRef::new(d.start.0, d.start.1),
            last: CellRef::new(d.end.0, d.end.1),
        })
        .collect();
    Sheet {
        name,
        cells,
        merges,
        formats_known: false,
        merge_rows: Default::default(),
    }
}

#[cfg(test)]
mod tests;
