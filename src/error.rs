//! Input errors: every way a file can fail to be checked, each with a stable kind for JSON and a
//! Chinese message for people. All of them map to exit status 2.

use std::path::PathBuf;

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
    #[error("不是电子表格文件（支持 .xlsx / .xlsm / .xls / .ods）")]
    NotSpreadsheet,
    /// The file is password protected.
    #[error("文件已加密，请先取消密码后再核查")]
    Encrypted,
    /// calamine could not read the workbook.
    #[error("文件已损坏或无法读取：{0}")]
    Corrupt(String),
    /// The workbook was read but holds no 自评表.
    #[error(
        "未找到绩效自评表（没有识别到“年初预算数/全年预算数/全年执行数”或“一级指标/二级指标/三级指标”表头）"
    )]
    NoForm,
    /// The corrected workbook could not be written.
    #[error("无法写入输出文件 {path}：{reason}")]
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
            InputError::NoForm => "no_form",
            InputError::Write { .. } => "write_failed",
            InputError::OutputIsInput(_) => "output_is_input",
        }
    }
}
