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
    /// xl/workbook.xml and xl/_rels/workbook.xml.rels, as read here (empty for .ods), so that
    /// the sheets' parts are found without decompressing them again.
    pub workbook_xml: (String, String),
    /// The workbook part's name as the package relationships give it (usually
    /// [`WORKBOOK_PART`]).
    pub workbook_part: String,
    /// What the container holds that a rebuilt workbook cannot keep (images, charts, comments,
    /// macros).
    pub not_kept: Vec<&'static str>,
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

/// The workbook part and its relationships part, as `_rels/.rels` names them; the usual names
/// when it names none or cannot be read (the workbook is then looked for there, as before).
fn workbook_part_names(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, bytes: &[u8]) -> (String, String) {
    let usual = || {
        (
            WORKBOOK_PART.to_string(),
            "xl/_rels/workbook.xml.rels".to_string(),
        )
    };
    let Some(i) = zip.index_for_name("_rels/.rels") else {
        return usual();
    };
    let mut buf = Vec::new();
    if !crate::ooxml::unzip::entry_into(zip, bytes, i, &mut buf)
        || buf.len() as u64 > MAX_PART_BYTES
    {
        return usual();
    }
    let Some(target) = crate::ooxml::rels::office_document(&buf) else {
        return usual();
    };
    let target = target.replace('\\', "/");
    let name = target.rsplit('/').next().unwrap_or_default();
    if name.is_empty() || target.split('/').any(|s| s == "..") {
        return usual();
    }
    let rels = crate::ooxml::rels::rels_name(&target);
    (target, rels)
}

/// Where a workbook's main part usually is.
pub const WORKBOOK_PART: &str = "xl/workbook.xml";

/// Checks a zip container: every part decompresses (bounded) and passes its checksum, the sizes
/// stay within limits, and a workbook is there.
pub fn inspect_zip(bytes: &[u8]) -> Result<ZipFacts, InputError> {
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
    let (workbook_part, workbook_rels) = workbook_part_names(&mut zip, bytes);
    let mut names = Vec::with_capacity(zip.len());
    let mut total = 0u64;
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
            n if n == workbook_part => Some(&mut workbook),
            n if n == workbook_rels => Some(&mut rels),
            "docProps/custom.xml" => Some(&mut custom),
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
            *slot = String::from_utf8_lossy(&buf).into_owned();
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
    let has = |n: &str| names.iter().any(|x| x == n);
    let ods = mimetype.trim() == "application/vnd.oasis.opendocument.spreadsheet";
    if !ods && !has(&workbook_part) {
        let what = if has("word/document.xml") {
            "这是 Word 文档（.docx），不是电子表格"
        } else if has("ppt/presentation.xml") {
            "这是 PowerPoint 演示文稿（.pptx），不是电子表格"
        } else if mimetype.contains("opendocument") {
            "这是 OpenDocument 文档，但不是电子表格（.ods）"
        } else {
            "压缩包中没有 Excel 工作簿（可能是普通 zip 压缩包）"
        };
        return Err(InputError::NoWorkbook(what.to_string()));
    }
    if ods {
        check_ods_extent(&content)?;
    }
    let any = |prefix: &str| names.iter().any(|n| n.starts_with(prefix));
    let ours = custom.contains("name=\"zpcheck\"");
    let summary = custom.contains("name=\"zpcheck-summary\"");
    let mut not_kept = Vec::new();
    if any("xl/media/") || any("Pictures/") {
        not_kept.push("图片");
    }
    if any("xl/charts/") || any("Object ") {
        not_kept.push("图表");
    }
    // zpcheck's own notes are written again from the findings; others' are not kept.
    if !ours && (any("xl/comments") || any("xl/threadedComments")) {
        not_kept.push("批注");
    }
    // The corrected workbook is an .xlsx, which cannot hold macros.
    if any("xl/vbaProject") {
        not_kept.push("宏");
    }
    Ok(ZipFacts {
        ods,
        not_kept,
        full_calc: workbook.contains("fullCalcOnLoad=\"1\"")
            || workbook.contains("fullCalcOnLoad=\"true\""),
        ours,
        summary,
        workbook_xml: (workbook, rels),
        workbook_part,
    })
}

/// Checks a compound file: an encrypted OOXML workbook, a Word or PowerPoint file, or an .xls
/// whose records calamine would misread are refused. For a plain .xls, returns a freshly built
/// compound file holding only its checked workbook stream and property streams: calamine's own
/// container reader then never sees the original's sector chains (one of which made it panic,
/// found by fuzzing).
pub fn inspect_cfb(bytes: &[u8]) -> Result<Vec<u8>, InputError> {
    let mut comp = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| InputError::Corrupt(format!("复合文档结构错误：{e}")))?;
    if comp.exists("/EncryptionInfo") || comp.exists("/EncryptedPackage") {
        return Err(InputError::Encrypted);
    }
    let stream = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|s| comp.is_stream(s));
    let Some(stream) = stream else {
        let what = if comp.exists("/WordDocument") {
            "这是 Word 文档（.doc），不是电子表格"
        } else if comp.exists("/PowerPoint Document") {
            "这是 PowerPoint 演示文稿（.ppt），不是电子表格"
        } else {
            "复合文档中没有 Excel 工作簿"
        };
        return Err(InputError::NoWorkbook(what.to_string()));
    };
    let mut data = Vec::new();
    comp.open_stream(stream)
        .and_then(|mut s| s.by_ref().take(MAX_FILE_BYTES).read_to_end(&mut data))
        .map_err(|e| InputError::Corrupt(format!("无法读取工作簿数据流：{e}")))?;
    super::xls::check_biff_extent(&data)?;
    rebuild_cfb(&mut comp, &data).map_err(|e| InputError::Corrupt(format!("复合文档结构错误：{e}")))
}

fn rebuild_cfb(
    comp: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    workbook: &[u8],
) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    // Version 3 (512-byte sectors), as Excel and LibreOffice write .xls: calamine cannot find
    // a workbook stream under 4 KB (kept in the mini stream) in the version 4 file the cfb
    // crate makes by default, so small .xls files were refused.
    let mut out =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
    out.create_stream("/Workbook")?.write_all(workbook)?;
    for name in [
        "/\u{5}SummaryInformation",
        "/\u{5}DocumentSummaryInformation",
    ] {
        if comp.is_stream(name) {
            let mut buf = Vec::new();
            // Property streams are small; a damaged one is left out rather than refused.
            if comp
                .open_stream(name)
                .and_then(|s| s.take(1 << 20).read_to_end(&mut buf))
                .is_ok()
            {
                out.create_stream(name)?.write_all(&buf)?;
            }
        }
    }
    out.flush()?;
    Ok(out.into_inner().into_inner())
}

/// Scans an .ods content.xml for the range its valued cells span after `number-rows-repeated`
/// and `number-columns-repeated` are applied; empty repeated rows and cells (LibreOffice writes
/// a million of them after the data) do not count.
pub fn check_ods_extent(xml: &str) -> Result<(), InputError> {
    use quick_xml::events::{BytesStart, Event};
    // Read exactly as calamine reads content.xml (its `parse_content`): the same reader
    // settings, elements and attributes by their qualified names ("table:table-row", not any
    // element whose local name is "table-row"), the first attribute of that exact name. A
    // guard that read differently could be walked past: an `x:number-rows-repeated` before
    // the real one, an `<x:table>` resetting the count, mismatched end tags (calamine does
    // not check them) ending the scan early.
    fn repeat(e: &BytesStart<'_>, name: &str) -> u64 {
        e.attributes()
            .with_checks(false)
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| a.value.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .clamp(1, 1 << 24)
    }
    fn has_value(e: &BytesStart<'_>) -> bool {
        e.attributes()
            .with_checks(false)
            .flatten()
            .any(|a| matches!(a.key.local_name().as_ref(), "value-type" | "formula"))
    }
    let too_large = |rows: u64, cols: u64| {
        InputError::TooLarge(format!(
            "表格内容展开后为 {rows} 行 × {cols} 列，超过 {MAX_ODS_SHEET_CELLS} 个单元格"
        ))
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    // Per table: rows so far and the widest valued span; over all tables, the cells the
    // dense grids take together (200 tables each just under the limit are refused too).
    let (mut rows, mut span_cols, mut all_tables) = (0u64, 0u64, 0u64);
    let (mut row_repeat, mut col, mut last_valued) = (1u64, 0u64, 0u64);
    // A cell just opened: (its last column, its repeats, whether its attributes give it a
    // value). Content inside it (text, a paragraph) makes it valued too, as calamine reads it.
    let mut open_cell: Option<(u64, u64, bool)> = None;
    // Valued cells after the repeats: the row's, all tables'. calamine copies each into its
    // grid and zpcheck each into its own; past [`MAX_CELLS`] zpcheck refuses the workbook
    // anyway, and refusing here saves the gigabyte calamine would take first.
    let (mut row_valued, mut valued) = (0u64, 0u64);
    // The text calamine copies into every cell a repeat makes (a 10 MB string repeated over a
    // thousand cells is 10 GB): the open cell's repeats and bytes, the row's, all tables'.
    let mut cell_text: Option<(u64, u64)> = None;
    let (mut row_text, mut text) = (0u64, 0u64);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| crate::read::corrupt(&format!("content.xml 不是完整的 XML：{e}")))?;
        if let Some((end, repeats, has_value)) = open_cell.take() {
            let closes_empty = matches!(&event, Event::End(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell"));
            if has_value || !closes_empty {
                last_valued = end;
                row_valued = row_valued.saturating_add(repeats);
            }
        }
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => {
                    all_tables = all_tables.saturating_add(rows.saturating_mul(span_cols));
                    (rows, span_cols) = (0, 0);
                }
                "table:table-row" => {
                    (row_repeat, col, last_valued, row_text, row_valued) =
                        (repeat(&e, "table:number-rows-repeated"), 0, 0, 0, 0);
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let repeats = repeat(&e, "table:number-columns-repeated");
                    col = col.saturating_add(repeats);
                    open_cell = Some((col, repeats, has_value(&e)));
                    // The attributes calamine keeps as text for each copy.
                    let attrs: usize = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .filter(|a| {
                            matches!(a.key.local_name().as_ref(), "string-value" | "formula")
                        })
                        .map(|a| a.value.len())
                        .sum();
                    cell_text = Some((repeats, attrs as u64));
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some((_, bytes)) = &mut cell_text {
                    *bytes = bytes.saturating_add(t.len() as u64);
                }
            }
            Event::End(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                if let Some((repeats, bytes)) = cell_text.take() {
                    row_text = row_text.saturating_add(repeats.saturating_mul(bytes));
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                rows = rows.saturating_add(row_repeat);
                // The span ends at the last row holding a value.
                if last_valued > 0 {
                    span_cols = span_cols.max(last_valued);
                    if rows.saturating_mul(span_cols) > MAX_ODS_SHEET_CELLS {
                        return Err(too_large(rows, span_cols));
                    }
                    let total = all_tables.saturating_add(rows.saturating_mul(span_cols));
                    if total > MAX_ODS_CELLS {
                        return Err(InputError::TooLarge(format!(
                            "各表格内容展开后合计超过 {MAX_ODS_CELLS} 个单元格"
                        )));
                    }
                }
                // (After the extent: a range too large is the plainer message.)
                valued = valued.saturating_add(row_valued.saturating_mul(row_repeat));
                if valued > MAX_CELLS as u64 {
                    return Err(InputError::TooLarge(format!("单元格超过 {MAX_CELLS} 个")));
                }
                text = text.saturating_add(row_text.saturating_mul(row_repeat));
                if text > MAX_DENSE_TEXT_BYTES as u64 {
                    return Err(too_much_text(MAX_DENSE_TEXT_BYTES));
                }
                (row_repeat, last_valued) = (1, 0);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(body: &str) -> String {
        format!(
            r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table table:name="S">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    #[test]
    fn the_ods_guard_reads_as_calamine_reads() {
        let valued = r#"<table:table-cell table:number-columns-repeated="90" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;
        let big = |rows_attr: &str| {
            content(&format!(
                r#"<table:table-row {rows_attr}>{valued}</table:table-row>"#
            ))
        };
        // The first attribute of the exact name counts; another prefix's does not.
        let prefixed = big(r#"x:number-rows-repeated="1" table:number-rows-repeated="1000000""#);
        assert!(matches!(
            check_ods_extent(&prefixed),
            Err(InputError::TooLarge(_))
        ));
        // An element whose local name is "table" but is not table:table resets nothing.
        let reset = content(&format!(
            r#"<table:table-row table:number-rows-repeated="30000">{valued}</table:table-row><x:table/><table:table-row table:number-rows-repeated="30000">{valued}</table:table-row>"#
        ));
        assert!(matches!(
            check_ods_extent(&reset),
            Err(InputError::TooLarge(_))
        ));
        // A mismatched end tag (calamine does not check them) does not end the scan.
        let mismatched = content(&format!(
            r#"<text:p>x</text:q><table:table-row table:number-rows-repeated="1000000">{valued}</table:table-row>"#
        ));
        assert!(matches!(
            check_ods_extent(&mismatched),
            Err(InputError::TooLarge(_))
        ));
        // A cell with text but no value type is valued, as calamine reads it.
        let texts = content(
            r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="90"><text:p>字</text:p></table:table-cell></table:table-row>"#,
        );
        assert!(matches!(
            check_ods_extent(&texts),
            Err(InputError::TooLarge(_))
        ));
        // Many tables each under the limit (valued in their first and last rows): refused in
        // all.
        let table = format!(
            r#"<table:table table:name="T"><table:table-row>{valued}</table:table-row><table:table-row table:number-rows-repeated="18998"><table:table-cell table:number-columns-repeated="90"/></table:table-row><table:table-row>{valued}</table:table-row></table:table>"#
        );
        let many = format!(
            r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>{}</office:spreadsheet></office:body></office:document-content>"#,
            table.repeat(4)
        );
        let msg = check_ods_extent(&many).unwrap_err().to_string();
        assert!(
            msg.contains("各表格内容展开后合计超过 2000000 个单元格"),
            "{msg}"
        );
        let one = many.replacen(&table, "", 3);
        assert!(check_ods_extent(&one).is_ok());
        // One string of 100 KB repeated over 1,000 cells: 100 MB of copies.
        let long = "字".repeat(34_000);
        let strings = content(&format!(
            r#"<table:table-row table:number-rows-repeated="10"><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>{long}</text:p></table:table-cell></table:table-row>"#
        ));
        let msg = check_ods_extent(&strings).unwrap_err().to_string();
        assert!(
            msg.contains("单元格中的文字、公式和数字格式合计超过 16 MB"),
            "{msg}"
        );
        let once = strings.replace("table:number-rows-repeated=\"10\"", "");
        assert!(check_ods_extent(&once).is_ok());
    }

    #[test]
    fn ods_valued_cells_are_counted_after_repeats() {
        // 10,000 rows of 100 valued cells: the limit of 1,000,000; one row more is refused,
        // though the range (1,000,100 cells) is within its own limit. Empty cells between
        // do not count.
        let row = |repeats: u32| {
            format!(
                r#"<table:table-row table:number-rows-repeated="{repeats}"><table:table-cell table:number-columns-repeated="50" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell><table:table-cell table:number-columns-repeated="50"/><table:table-cell table:number-columns-repeated="50" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#
            )
        };
        assert!(check_ods_extent(&content(&row(10_000))).is_ok());
        let msg = check_ods_extent(&content(&row(10_001)))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("单元格超过 1000000 个"), "{msg}");
    }

    #[test]
    fn ods_repeats_of_valued_cells_are_bounded() {
        let cell = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;
        let ok = content(&format!(
            r#"<table:table-row>{cell}{cell}</table:table-row><table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#
        ));
        assert!(check_ods_extent(&ok).is_ok());
        let bomb = content(
            r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="90" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#,
        );
        assert!(matches!(
            check_ods_extent(&bomb),
            Err(InputError::TooLarge(_))
        ));
        let far = content(&format!(
            r#"<table:table-row>{cell}</table:table-row><table:table-row table:number-rows-repeated="5000000"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="3"/>{cell}</table:table-row>"#
        ));
        assert!(matches!(
            check_ods_extent(&far),
            Err(InputError::TooLarge(_))
        ));
        assert!(matches!(
            check_ods_extent("<a><b>"),
            Ok(()) // unclosed elements at the end: calamine reads them too
        ));
        assert!(matches!(
            check_ods_extent("<a><!-- not closed"),
            Err(InputError::Corrupt(_))
        ));
    }
}
