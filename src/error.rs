//! Input errors: every way a file can fail to be checked, each with a stable kind for JSON and a
//! Chinese message for people. All of them map to exit status 2.

use std::path::PathBuf;

/// The refusal of a Word 97–2003 document (.doc, .wps): its text could be read from the piece
/// table, but its tables' merged cells only from the row properties, which are not read; a
/// report checked without its 自评表 would miss what matters most. Saving as .docx is one step.
pub const OLD_WORD: &str = "这是 Word 97-2003 格式的文档（.doc，或 WPS 的 .wps），zpcheck 不读取这种旧格式（其中表格的合并单元格无法可靠还原）：请在 Word 或 WPS 中打开它，“文件 → 另存为”选择“Word 文档（*.docx）”后再核查";

/// The refusal of a PDF: many government PDFs embed their Chinese fonts without a map back to
/// the characters, so the text a reader extracts is not the text printed; zpcheck does not guess.
pub const PDF: &str = "这是 PDF 文件：zpcheck 不读取 PDF（许多 PDF 中的中文字体没有文字映射，取出的文字不可靠）。请提供 Word 版的自评报告（.docx）或自评表工作簿（.xlsx / .xls / .ods / .et）";

/// A Chinese explanation of an I/O error, with the system's own text after it.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    // Windows: ERROR_SHARING_VIOLATION (32) and ERROR_LOCK_VIOLATION (33).
    let sharing = cfg!(windows) && matches!(e.raw_os_error(), Some(32) | Some(33));
    // ENAMETOOLONG (36 on Linux, 63 on macOS); Windows: ERROR_FILENAME_EXCED_RANGE (206).
    let name_too_long = if cfg!(windows) {
        206
    } else if cfg!(target_os = "macos") {
        63
    } else {
        36
    };
    let too_long = e.raw_os_error() == Some(name_too_long);
    let what = if sharing {
        "文件正被其他程序（如 Excel、WPS）打开，请关闭后重试"
    } else if too_long || e.kind() == ErrorKind::InvalidFilename {
        "文件名过长（超过 255 字节）或不合法，请改短文件名或移到较浅的文件夹后重试"
    } else {
        match e.kind() {
            ErrorKind::NotFound => "文件或文件夹不存在",
            ErrorKind::PermissionDenied => "没有访问权限",
            ErrorKind::IsADirectory => "这是一个文件夹",
            ErrorKind::AlreadyExists => "文件已存在",
            ErrorKind::StorageFull => "磁盘空间不足",
            ErrorKind::ReadOnlyFilesystem => "磁盘为只读",
            _ => "读写失败",
        }
    };
    format!("{what}（{e}）")
}

/// Reads a small file a user hands in beside the workbooks (a baseline, a profile), refusing
/// one over `limit` bytes before reading it (and, should it grow meanwhile, past `limit`); the
/// error says in Chinese what `what` is and why it was not read.
pub fn read_small_file(path: &std::path::Path, limit: u64, what: &str) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let refuse = |size: u64| {
        format!(
            "{what} {} 有 {:.1} MB，超过上限 {} MB，未读取",
            path.display(),
            size as f64 / (1024.0 * 1024.0),
            limit >> 20
        )
    };
    let io = |e: std::io::Error| format!("无法读取{what} {}：{}", path.display(), io_reason(&e));
    let file = std::fs::File::open(path).map_err(io)?;
    if let Ok(meta) = file.metadata()
        && meta.len() > limit
    {
        return Err(refuse(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(refuse(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The text a panic was raised with (empty when it carried something else), for the messages
/// of inputs whose processing panicked.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Why one input could not be checked or its corrected workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The path does not exist or cannot be opened.
    #[error("无法打开文件：{0}")]
    NotFound(String),
    /// The file has no bytes.
    #[error("文件为空（0 字节）")]
    Empty,
    /// The bytes are not a spreadsheet format zpcheck reads.
    #[error("不是电子表格文件（zpcheck 读取{}）", crate::formats!())]
    NotSpreadsheet,
    /// The file is password protected.
    #[error("文件已加密，请先取消密码后再核查")]
    Encrypted,
    /// calamine could not read the workbook.
    #[error("文件已损坏或无法读取（{0}）")]
    Corrupt(String),
    /// The zip structure is broken (truncated download, damaged file).
    #[error("文件不完整或已损坏（压缩包结构错误，可能下载或传输不完整），请重新获取文件（{0}）")]
    CorruptZip(String),
    /// A zip file (or another Office document) without a workbook in it.
    #[error("{0}")]
    NoWorkbook(String),
    /// A value beyond Excel's grid (row 1,048,576, column XFD): no spreadsheet program opens
    /// the sheet and no corrected workbook could hold it (kind `too_large`).
    #[error("{0}")]
    BeyondGrid(String),
    /// Larger than any 自评表: refused before it can exhaust memory or time.
    #[error("文件过大，不像是绩效自评表，已拒绝读取：{0}")]
    TooLarge(String),
    /// A panic while processing this file (a bug in zpcheck or a library).
    #[error("内部错误（已跳过此文件，请将文件反馈给开发者）：{0}")]
    Internal(String),
    /// The workbook was read but holds no 自评表.
    #[error(
        "未找到绩效自评表（没有识别到“年初预算数/全年预算数/全年执行数”或“一级指标/二级指标/三级指标”表头）"
    )]
    NoForm,
    /// A format zpcheck does not read, with what to do instead: a Word 97–2003 document (.doc,
    /// WPS's .wps), a PDF.
    #[error("{0}")]
    Unsupported(String),
    /// A Word document that is no 自评报告: no 自评表 among its tables and no figure in words
    /// about 绩效 (a 通知, a letter). In a folder such a file is listed among the other files.
    #[error(
        "这是 Word 文档，但不是绩效自评报告（表格中没有自评表，正文也没有关于绩效的金额、比率、得分）"
    )]
    NotReport,
    /// The workbook is a summary zpcheck wrote (`--summary`), not a submission. Skipped when
    /// found in a folder; an error only when named directly.
    #[error("这是 zpcheck 写出的汇总表，不是绩效自评表")]
    Summary,
    /// The corrected workbook could not be written.
    #[error("写出失败：{path}：{reason}")]
    Write {
        /// Where we tried to write.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The output path is the input path.
    #[error("输出文件不能与输入文件相同：{0}")]
    OutputIsInput(PathBuf),
}

impl InputError {
    /// A stable machine-readable kind, used as `error.kind` in the JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            InputError::NotFound(_) => "not_found",
            InputError::Empty => "empty",
            InputError::NotSpreadsheet => "not_spreadsheet",
            InputError::Encrypted => "encrypted",
            InputError::Corrupt(_) => "corrupt",
            InputError::CorruptZip(_) => "corrupt_zip",
            InputError::NoWorkbook(_) => "no_workbook",
            InputError::TooLarge(_) | InputError::BeyondGrid(_) => "too_large",
            InputError::Internal(_) => "internal",
            InputError::NoForm => "no_form",
            InputError::NotReport => "not_report",
            InputError::Unsupported(_) => "unsupported_format",
            InputError::Summary => "summary",
            InputError::Write { .. } => "write_failed",
            InputError::OutputIsInput(_) => "output_is_input",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_are_explained_in_chinese() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(io_reason(&e).starts_with("文件或文件夹不存在"));
        let e = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(io_reason(&e).starts_with("没有访问权限"));
        let e = std::io::Error::from(std::io::ErrorKind::InvalidFilename);
        assert!(io_reason(&e).starts_with("文件名过长（超过 255 字节）或不合法"));
    }

    #[test]
    fn a_librarys_own_words_stand_in_parentheses_after_the_chinese() {
        let detail = "invalid Zip archive: Could not find EOCD";
        for (e, chinese) in [
            (
                InputError::CorruptZip(detail.into()),
                "文件不完整或已损坏（压缩包结构错误，可能下载或传输不完整），请重新获取文件",
            ),
            (InputError::Corrupt(detail.into()), "文件已损坏或无法读取"),
        ] {
            assert_eq!(e.to_string(), format!("{chinese}（{detail}）"));
        }
    }

    #[cfg(windows)]
    #[test]
    fn a_file_open_in_excel_has_its_own_message() {
        for code in [32, 33] {
            let e = std::io::Error::from_raw_os_error(code);
            assert!(io_reason(&e).starts_with("文件正被其他程序（如 Excel、WPS）打开"));
        }
    }
}
