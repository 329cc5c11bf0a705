//! Why a faster path handed a file to a slower one: the fast .xlsx reader declining a package
//! (calamine reads it instead), or the corrected workbook being rebuilt rather than patched.
//!
//! Each reason is a short, stable code that scripts can count (`"decline:char-ref"`,
//! `"rebuild:xls-input"`), listed in `schema/report.schema.json`, and a Chinese sentence for
//! `-v`. The code names what the path met, not where in zpcheck's source it gave up: moving a
//! file does not change the published output. (The source place is still kept, for a
//! developer's `Debug` output.)

/// What a fast path met that made it give up. The reader declines with it, the patcher gives
/// up with it; [`Fallback`] says which of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Why {
    /// XML the path does not take as it is (a syntax error, an odd tag or attribute).
    Xml,
    /// A character or entity reference where the path reads text directly.
    CharRef,
    /// A part not in UTF-8.
    NotUtf8,
    /// A cell written in an unusual way (its type, its value, its place, given twice).
    Cell,
    /// Shared or inline strings written in an unusual way.
    Strings,
    /// Number formats or the style sheet written in an unusual way.
    Styles,
    /// A limit the path keeps (cells, text) passed: the slower path gives the limit's error.
    Limit,
    /// The package's parts or relationships are unusual (a part missing, named oddly, twice).
    Package,
    /// The workbook part is unusual (sheets, names, relationships).
    Workbook,
    /// A worksheet the patcher cannot edit with certainty.
    Sheet,
    /// Notes (comments) the patcher cannot edit with certainty.
    Notes,
    /// `[Content_Types].xml` is unusual.
    ContentTypes,
    /// A zip entry the path cannot copy as it is.
    Zip,
    /// The input is an .xls (or WPS .et): its corrected workbook is always rebuilt.
    XlsInput,
    /// The input is an .ods: its corrected workbook is always rebuilt.
    OdsInput,
    /// The input is an HTML table saved as .xls: its corrected workbook is always rebuilt.
    HtmlInput,
    /// The input is SpreadsheetML 2003 (XML): its corrected workbook is always rebuilt.
    SpreadsheetMlInput,
    /// The workbook was read for a rebuild from the start (every cell's style and layout).
    ReadForRebuild,
}

impl Why {
    /// Every reason, in the order the schema lists them.
    pub const ALL: [Why; 18] = [
        Why::Xml,
        Why::CharRef,
        Why::NotUtf8,
        Why::Cell,
        Why::Strings,
        Why::Styles,
        Why::Limit,
        Why::Package,
        Why::Workbook,
        Why::Sheet,
        Why::Notes,
        Why::ContentTypes,
        Why::Zip,
        Why::XlsInput,
        Why::OdsInput,
        Why::HtmlInput,
        Why::SpreadsheetMlInput,
        Why::ReadForRebuild,
    ];

    /// The code's second half (after `decline:` or `rebuild:`).
    pub fn name(self) -> &'static str {
        match self {
            Why::Xml => "xml",
            Why::CharRef => "char-ref",
            Why::NotUtf8 => "not-utf8",
            Why::Cell => "cell",
            Why::Strings => "strings",
            Why::Styles => "styles",
            Why::Limit => "limit",
            Why::Package => "package",
            Why::Workbook => "workbook",
            Why::Sheet => "sheet",
            Why::Notes => "notes",
            Why::ContentTypes => "content-types",
            Why::Zip => "zip",
            Why::XlsInput => "xls-input",
            Why::OdsInput => "ods-input",
            Why::HtmlInput => "html-input",
            Why::SpreadsheetMlInput => "spreadsheetml-input",
            Why::ReadForRebuild => "read-for-rebuild",
        }
    }

    /// What it means, in Chinese (for `-v`).
    pub fn text(self) -> &'static str {
        match self {
            Why::Xml => "XML 写法不常见",
            Why::CharRef => "文字中有字符引用或实体",
            Why::NotUtf8 => "部件不是 UTF-8 编码",
            Why::Cell => "单元格的写法不常见",
            Why::Strings => "共享字符串或单元格内文字的写法不常见",
            Why::Styles => "数字格式或样式表的写法不常见",
            Why::Limit => "超过快速路径的上限",
            Why::Package => "压缩包中的部件或关系不常见",
            Why::Workbook => "工作簿部件不常见",
            Why::Sheet => "工作表无法逐处修改",
            Why::Notes => "批注无法逐处修改",
            Why::ContentTypes => "[Content_Types].xml 不常见",
            Why::Zip => "压缩包条目无法原样复制",
            Why::XlsInput => "输入是 .xls",
            Why::OdsInput => "输入是 .ods",
            Why::HtmlInput => "输入是另存为 .xls 的 HTML 表格",
            Why::SpreadsheetMlInput => "输入是 XML 表格（SpreadsheetML 2003）",
            Why::ReadForRebuild => "已按重建读取",
        }
    }
}

/// Which fast path fell back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// The fast .xlsx reader declined; calamine read the file.
    Decline,
    /// The corrected workbook was rebuilt rather than patched.
    Rebuild,
}

/// A fallback: which path, why, and (for a developer) where in zpcheck's source it gave up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    /// The fast reader or the patcher.
    pub path: Path,
    /// What it met.
    pub why: Why,
    /// Source file and line of the give-up, when there was one (not published).
    pub at: Option<(&'static str, u32)>,
}

impl Fallback {
    /// A fallback without a source place (the rebuild of an .xls, say).
    pub fn new(path: Path, why: Why) -> Self {
        Fallback {
            path,
            why,
            at: None,
        }
    }

    /// The stable code the JSON report gives: `"decline:char-ref"`, `"rebuild:xls-input"`.
    pub fn code(&self) -> String {
        let family = match self.path {
            Path::Decline => "decline",
            Path::Rebuild => "rebuild",
        };
        format!("{family}:{}", self.why.name())
    }

    /// What `-v` says of it, in Chinese: "单元格的写法不常见", "输入是 .xls".
    pub fn text(&self) -> &'static str {
        self.why.text()
    }
}

/// Every code the JSON report can give, in schema order: the fast reader declines only on what
/// it reads; the patcher gives up on any of them, and the rebuild has its reasons of its own.
pub fn all_codes() -> Vec<String> {
    let read = |w: &Why| {
        !matches!(
            w,
            Why::Sheet
                | Why::Notes
                | Why::ContentTypes
                | Why::XlsInput
                | Why::OdsInput
                | Why::HtmlInput
                | Why::SpreadsheetMlInput
                | Why::ReadForRebuild
        )
    };
    let declines = Why::ALL
        .into_iter()
        .filter(read)
        .map(|w| Fallback::new(Path::Decline, w));
    let rebuilds = Why::ALL
        .into_iter()
        .map(|w| Fallback::new(Path::Rebuild, w));
    declines.chain(rebuilds).map(|f| f.code()).collect()
}
