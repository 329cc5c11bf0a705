//! The .xls container guard: a compound file is opened with the cfb crate, refused when it is
//! an encrypted OOXML workbook, a Word or PowerPoint file or holds no workbook stream, and its
//! workbook stream checked record by record ([`super::check_biff_extent`]) before calamine sees
//! a freshly built container holding only that stream and the property streams.

use std::io::{Cursor, Read};

use crate::error::InputError;
use crate::limits::MAX_FILE_BYTES;

/// Checks a compound file: an encrypted OOXML workbook, a Word or PowerPoint file, or an .xls
/// whose records calamine would misread are refused. For a plain .xls, returns a freshly built
/// compound file holding only its checked workbook stream and property streams: calamine's own
/// container reader then never sees the original's sector chains (one of which made it panic,
/// found by fuzzing). The checked workbook stream is returned too (its looks are read from it).
pub fn inspect_cfb(bytes: &[u8]) -> Result<(Vec<u8>, Vec<u8>), InputError> {
    let mut comp = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| InputError::Corrupt(format!("复合文档结构错误：{e}")))?;
    if comp.exists("/EncryptionInfo") || comp.exists("/EncryptedPackage") {
        return Err(InputError::Encrypted);
    }
    let stream = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|s| comp.is_stream(s));
    let Some(stream) = stream else {
        if comp.exists("/WordDocument") {
            return Err(InputError::Unsupported(crate::error::OLD_WORD.to_string()));
        }
        let what = if comp.exists("/PowerPoint Document") {
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
    super::check_biff_extent(&data)?;
    let clean = rebuild_cfb(&mut comp, &data)
        .map_err(|e| InputError::Corrupt(format!("复合文档结构错误：{e}")))?;
    Ok((clean, data))
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
