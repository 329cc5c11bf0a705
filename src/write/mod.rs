//! Writing the corrected workbook: every sheet of the input as it was, corrected cells with the
//! new value, a highlight and a note (批注) with the original value and the rule, cells with an
//! error zpcheck cannot correct highlighted with a note too, and a 核查结果 sheet listing every
//! finding.
//!
//! Two writers make it:
//! - [`patch`], for an .xlsx: the input's own package with only the corrected cells, the
//!   styles they need, the notes and the 核查结果 sheet changed or added. Every other part is
//!   copied as it was, still compressed, so images, charts, others' notes, data validation,
//!   conditional formats and macros' companions survive, and writing costs little more than
//!   checking. It gives up on anything it cannot patch with certainty.
//! - [`rebuild`], for .xls and .ods and for an .xlsx the patcher gave up on: a new workbook
//!   drawn from what was read (values, formulas, merges and, for .xlsx, styles and layout).
//!
//! Both take the same marks, notes and findings table from this module. The file is saved
//! atomically: written to a temporary file in the target folder, then renamed.

mod marks;
pub mod patch;
pub mod rebuild;
pub(crate) use marks::{Mark, Marks};
/// The seal every written workbook carries (defined with the OOXML package code, which the
/// reader uses too: it trusts a marker only under a seal that still holds).
pub mod seal {
    pub use crate::ooxml::seal::*;
}

use std::path::Path;

use unicode_width::UnicodeWidthStr;

use crate::error::InputError;
use crate::fallback::{Fallback, Path as FallbackPath, Why};
/// The file-system side of writing (atomic writes, path identity), in [`crate::files`].
pub use crate::files::{
    remove_unfinished, same_file, same_target, write_atomic, written_by_zpcheck,
};
use crate::finding::{Finding, Severity};
use crate::grid::CellRef;
/// The limits applied here (defined, with every other, in [`crate::limits`]).
pub use crate::limits::{MAX_REBUILT_CELLS, MAX_REBUILT_TEXT};
use crate::read::{Fidelity, Purpose, ReadOptions, WriteBack};
use crate::{Checked, rules};

/// The name of the findings sheet.
pub const FINDINGS_SHEET: &str = "核查结果";

/// The header row of the findings sheet; a later run recognises the sheet by it.
pub const FINDINGS_HEADER: [&str; 9] = [
    "序号",
    "工作表",
    "单元格",
    "规则",
    "级别",
    "原值",
    "应为",
    "说明",
    "是否已更正",
];

/// Fill of a corrected cell (light yellow).
pub const FIXED_FILL: u32 = 0xFFEB9C;
/// Fill of a cell with an error zpcheck could not correct (light red).
pub const ERROR_FILL: u32 = 0xFFC7CE;
/// Fill of a cell with a warning only (light blue: quieter than an error).
pub const WARNING_FILL: u32 = 0xDDEBF7;

/// How each mark prints on a black-and-white printer, where a pale fill alone vanishes: a
/// light dot pattern in a darker shade of its colour over the fill (a border instead would
/// change the form's own lines). (OOXML pattern type, pattern colour.) Corrections and errors
/// get 12.5% dots, warnings (quieter) 6.25%; text stays readable over both.
pub const FIXED_PATTERN: (&str, u32) = ("gray125", 0x7F6000);
/// See [`FIXED_PATTERN`].
pub const ERROR_PATTERN: (&str, u32) = ("gray125", 0xC00000);
/// See [`FIXED_PATTERN`].
pub const WARNING_PATTERN: (&str, u32) = ("gray0625", 0x2F5597);

/// The author of zpcheck's notes; a later run replaces its own notes and keeps others'.
pub const NOTE_AUTHOR: &str = "zpcheck";

/// Which writer made a corrected workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The input .xlsx, patched.
    Patched,
    /// A new workbook drawn from what was read.
    Rebuilt,
    /// A report (a Word document) annotated: its reviewed copy, comments and a 核查结果
    /// table added, its text untouched.
    Annotated,
}

impl Method {
    /// The name scripts see (`"patch"`, `"rebuild"`).
    pub fn name(self) -> &'static str {
        match self {
            Method::Patched => "patch",
            Method::Rebuilt => "rebuild",
            Method::Annotated => "annotate",
        }
    }
}

/// Which writer made a corrected workbook, and why the patcher did not when it did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenBy {
    /// Patched or rebuilt.
    pub method: Method,
    /// Why the workbook was rebuilt rather than patched (`rebuild:…`): what the patcher gave
    /// up on, or that the input is not an .xlsx.
    pub fallback: Option<Fallback>,
}

/// A note's size in pixels (width, height): room for the message without covering the form.
pub(crate) const NOTE_SIZE: (u32, u32) = (320, 160);

/// Height of one line of 11-point text, in points.
pub(crate) const LINE_HEIGHT: f64 = 14.25;

/// The display width of the widest line of a text (a CJK character counts two columns).
pub(crate) fn text_width(text: &str) -> usize {
    text.lines().map(|l| l.width()).max().unwrap_or(0)
}

/// A finding as the columns after the first of [`FINDINGS_HEADER`] show it (工作表 … 是否已更正);
/// the 核查结果 sheet and the summary's 全部问题 sheet both use it.
pub fn finding_cells(f: &Finding) -> [String; 8] {
    // A finding on a report's narrative stands in a paragraph, not a cell.
    let (sheet, cell) = match &f.text {
        Some(t) => ("正文".to_string(), format!("第 {} 段", t.paragraph)),
        None => (f.sheet.clone(), f.cell.to_string()),
    };
    [
        sheet,
        cell,
        format!("{} {}", f.rule, title_of(f.rule)),
        f.severity.label().to_string(),
        fit_cell(&f.found).into_owned(),
        fit_cell(&f.expected).into_owned(),
        fit_cell(&f.message).into_owned(),
        if f.fixed() { "是" } else { "否" }.to_string(),
    ]
}

/// The most characters an Excel cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;

/// What ends a text cut to fit a cell, saying so.
pub const CUT_MARK: &str = "…（超出单元格 32767 字的上限，已截断）";

/// A text as a cell can hold it: unchanged when it fits, else cut, ending in [`CUT_MARK`]. (A
/// project name of 40,000 characters once kept the whole batch's summary from being written.)
pub fn fit_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_CELL_CHARS || s.chars().count() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(s);
    }
    let keep = MAX_CELL_CHARS - CUT_MARK.chars().count();
    let mut out: String = s.chars().take(keep).collect();
    out.push_str(CUT_MARK);
    std::borrow::Cow::Owned(out)
}

fn title_of(code: &str) -> &'static str {
    rules::rule(code).map(|r| r.title).unwrap_or("")
}

/// The most UTF-16 units an .xlsx sheet name may have (Excel's limit).
pub const MAX_SHEET_NAME_UNITS: usize = 31;

/// The characters an .xlsx sheet name may not hold.
const SHEET_NAME_FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// The first `units` UTF-16 units' worth of whole characters of a text.
fn take_units(s: &str, units: usize) -> String {
    let mut used = 0;
    s.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= units
        })
        .collect()
}

/// A name among `taken` (compared without case, as Excel does) made free by "(2)", "(3)"…,
/// shortened to stay within [`MAX_SHEET_NAME_UNITS`].
fn free_sheet_name(base: &str, taken: &std::collections::HashSet<String>) -> String {
    if !taken.contains(&base.to_lowercase()) {
        return base.to_string();
    }
    (2..)
        .map(|n| {
            let suffix = format!("({n})");
            format!(
                "{}{suffix}",
                take_units(base, MAX_SHEET_NAME_UNITS - suffix.len())
            )
        })
        .find(|c| !taken.contains(&c.to_lowercase()))
        .unwrap_or_else(|| base.to_string())
}

/// The names the sheets get in an .xlsx, in order: each name as it was where .xlsx can hold it,
/// else with `[ ] : * ? / \` replaced by "_", apostrophes at either end dropped, shortened to 31
/// units, and made unique ("(2)"…). .ods and .xls allow names .xlsx does not.
pub fn xlsx_sheet_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let cleaned: String = name
                .chars()
                .map(|c| {
                    if SHEET_NAME_FORBIDDEN.contains(&c) {
                        '_'
                    } else {
                        c
                    }
                })
                .collect();
            let cleaned = cleaned.trim_matches('\'');
            let cleaned = match take_units(cleaned, MAX_SHEET_NAME_UNITS) {
                s if s.is_empty() => "Sheet".to_string(),
                s => s,
            };
            let out = free_sheet_name(&cleaned, &taken);
            taken.insert(out.to_lowercase());
            out
        })
        .collect()
}

/// The name of the 核查结果 sheet in a workbook whose other sheets are `others`: 核查结果, or
/// 核查结果(2)… when the submission has a sheet of that name of its own.
pub fn findings_sheet_name<'a>(others: impl IntoIterator<Item = &'a str>) -> String {
    let taken = others.into_iter().map(str::to_lowercase).collect();
    free_sheet_name(FINDINGS_SHEET, &taken)
}

/// The line on the 核查结果 sheet that names the sheets renamed for .xlsx (original, new).
pub fn renamed_line(renamed: &[(String, String)]) -> String {
    let pairs: Vec<String> = renamed
        .iter()
        .map(|(from, to)| format!("“{from}”改名为“{to}”"))
        .collect();
    format!(
        "注意：.xlsx 的工作表名最多 31 个字符、不能含有 [ ] : * ? / \\ 且不能重名，更正后的工作簿中工作表{}；问题清单中的“工作表”仍是原名。",
        pairs.join("，")
    )
}

/// The line on the 核查结果 sheet that names what the corrected workbook did not keep.
pub fn not_kept_line(not_kept: &[&str]) -> String {
    format!(
        "注意：原文件中的{}未保留在更正后的工作簿中，如需要请在原文件中处理。",
        not_kept.join("、")
    )
}

/// What the 核查结果 sheet's heading says beyond the checked workbook: the caller knows the
/// file, the time and the profile. Each is left out of the heading when not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadingFacts {
    /// The input's file name.
    pub file: Option<String>,
    /// When it was checked, as shown ("2026-12-02 17:20:05（UTC+08:00）").
    pub checked_at: Option<String>,
    /// The name of the rule profile in force.
    pub profile: Option<String>,
    /// The input's digest ([`seal::file_digest`]), recorded in the output's seal beside its
    /// name; computed from the input when absent.
    pub source_digest: Option<String>,
}

/// The heading lines of the 核查结果 sheet: which file, when, by which zpcheck and profile,
/// each form's declared and computed 总分 and grade, and the counts — so that a printed copy
/// can be matched to its workbook.
pub(crate) fn heading_lines(checked: &Checked, facts: &HeadingFacts) -> Vec<String> {
    let mut out = vec![match &facts.file {
        Some(f) => format!("zpcheck 核查结果：{f}"),
        None => "zpcheck 核查结果".to_string(),
    }];
    let mut run = Vec::new();
    if let Some(t) = &facts.checked_at {
        run.push(format!("核查时间：{t}"));
    }
    run.push(format!("zpcheck 版本：{}", env!("CARGO_PKG_VERSION")));
    if let Some(p) = &facts.profile {
        run.push(format!("规则：{p}"));
    }
    out.push(run.join("；"));
    for f in &checked.forms {
        let s = crate::checked::FormSummary::of(f);
        let or = |v: Option<String>, none: &str| v.unwrap_or_else(|| none.to_string());
        let mut line = format!(
            "表「{}」（工作表 {}）：申报总分 {}，申报等级 {}；核算总分 {}，核算等级 {}",
            s.title,
            s.sheet,
            s.claimed_total_text(),
            s.declared_grade_text(),
            or(s.computed_total.map(crate::num::fmt_dec), "无法计算"),
            or(s.computed_grade.map(str::to_string), "无法确定"),
        );
        if !s.complete {
            line.push_str("（部分核查：表格未能完整识别）");
        }
        out.push(line);
    }
    let all: Vec<&Finding> = checked.findings().collect();
    let count = |sev: Severity| all.iter().filter(|f| f.counted() == Some(sev)).count();
    out.push(format!(
        "错误 {} 个，警告 {} 个，已更正 {} 处（黄色：已更正；红色：未能自动更正的错误；蓝色：提醒）",
        count(Severity::Error),
        count(Severity::Warning),
        crate::finding::corrected_cells(all.iter().copied())
    ));
    out
}

/// A cell on another sheet as a hyperlink's location: `'表 一'!C6`.
fn link_location(sheet: &str, cell: CellRef) -> String {
    format!("'{}'!{cell}", sheet.replace('\'', "''"))
}

/// What the 核查结果 sheet shows, whichever writer draws it: the heading, the header, one row
/// per finding (its cell a link to the cell), column widths fitted to the text, heights for
/// rows whose text wraps, and the line naming what was not kept.
pub(crate) struct FindingsTable {
    /// The heading lines, from the first row, each merged across the table's columns.
    pub heading: Vec<String>,
    /// One row per finding: 序号, then [`finding_cells`].
    pub rows: Vec<(usize, [String; 8])>,
    /// Each row's link target, for its 单元格 column.
    pub links: Vec<String>,
    /// Column widths in Excel's character units.
    pub widths: [f64; 9],
    /// Heights in points, by zero-based row, of rows whose text needs more than one line.
    pub heights: Vec<(u32, f64)>,
    /// The not-kept line (and the renamed sheets) and its zero-based row, when something was
    /// not kept or renamed.
    pub not_kept: Option<(u32, String)>,
}

impl FindingsTable {
    /// The column (zero-based) of "未发现问题" when there is no finding.
    pub const NOTHING_COL: u16 = 7;
    /// The text shown when there is no finding.
    pub const NOTHING: &'static str = "未发现问题";
    /// The width the 说明 column wraps at. With the other columns held to
    /// [`Self::NARROW_MAX`], the table is about 130 characters wide: on A4 landscape, one page
    /// wide, its 11 pt text prints at 8.5 pt or more (LibreOffice measured 7 pt per character of
    /// column width; see `summary::PRINT_WIDTH_BUDGET`).
    const MESSAGE_WIDTH: f64 = 40.0;
    /// The widest the 工作表, 规则, 原值 and 应为 columns grow: longer text wraps.
    const NARROW_MAX: f64 = 14.0;
    /// The column of each row's link (单元格).
    pub const LINK_COL: u16 = 2;

    pub(crate) fn new(
        findings: &[&Finding],
        not_kept: &[&str],
        renamed: &[(String, String)],
        heading: Vec<String>,
    ) -> Self {
        let rows: Vec<(usize, [String; 8])> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| (i + 1, finding_cells(f)))
            .collect();
        // In a rebuilt workbook a renamed sheet is linked by its new name.
        let links = findings
            .iter()
            .map(|f| {
                let name = renamed
                    .iter()
                    .find(|(from, _)| *from == f.sheet)
                    .map_or(f.sheet.as_str(), |(_, to)| to.as_str());
                link_location(name, f.cell)
            })
            .collect();
        let mut widths = [
            6.0f64,
            8.0,
            8.0,
            12.0,
            6.0,
            8.0,
            8.0,
            Self::MESSAGE_WIDTH,
            10.0,
        ];
        for (_, cells) in &rows {
            // 工作表, 单元格, 规则, 原值, 应为 (the column after 序号 is cells[0]); all but the
            // cell reference wrap beyond NARROW_MAX.
            for c in [1usize, 2, 3, 5, 6] {
                let most = if c == 2 { 30.0 } else { Self::NARROW_MAX };
                let w = (text_width(&cells[c - 1]) as f64 + 2.0).min(most);
                widths[c] = widths[c].max(w);
            }
        }
        let top = heading.len() as u32 + 1;
        let total_width: f64 = widths.iter().sum();
        let mut heights: Vec<(u32, f64)> = heading
            .iter()
            .enumerate()
            .filter_map(|(i, line)| {
                let lines = (text_width(line) as f64 / (total_width - 2.0)).ceil();
                (lines > 1.0).then(|| (i as u32, (lines * LINE_HEIGHT).min(409.0)))
            })
            .collect();
        heights.extend(rows.iter().enumerate().filter_map(|(i, (_, cells))| {
            let lines = [
                (&cells[6], Self::MESSAGE_WIDTH),
                (&cells[0], widths[1]),
                (&cells[2], widths[3]),
                (&cells[4], widths[5]),
                (&cells[5], widths[6]),
            ]
            .into_iter()
            // A fifth more than the text's width: a CJK character at 11 pt is a little wider
            // than two columns' characters, and numbers and words wrap whole (measured in
            // LibreOffice: rows sized to the bare width clipped their last line).
            .map(|(t, w)| (text_width(t) as f64 * 1.2 / (w - 1.0)).ceil())
            .fold(1.0, f64::max);
            (lines > 1.0).then(|| (top + 1 + i as u32, (lines * LINE_HEIGHT).min(409.0)))
        }));
        let lines: Vec<String> = [
            (!not_kept.is_empty()).then(|| not_kept_line(not_kept)),
            (!renamed.is_empty()).then(|| renamed_line(renamed)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let last = top + rows.len().max(1) as u32;
        let not_kept = (!lines.is_empty()).then(|| (last + 2, lines.join("")));
        FindingsTable {
            heading,
            rows,
            links,
            widths,
            heights,
            not_kept,
        }
    }

    /// The header row (zero-based): below the heading and one blank row.
    pub(crate) fn top(&self) -> u32 {
        self.heading.len() as u32 + 1
    }

    /// The row (zero-based) of the `i`-th finding (from 0).
    pub(crate) fn row_of(&self, i: usize) -> u32 {
        self.top() + 1 + i as u32
    }

    /// The last row of the autofilter range (zero-based): the last finding, or the
    /// "未发现问题" row.
    pub(crate) fn last_row(&self) -> u32 {
        self.top() + self.rows.len().max(1) as u32
    }
}

/// Builds the corrected workbook in memory from the checked workbook and the fidelity bundle
/// its read made ([`crate::read::Purpose::Fix`]), and says which writer made it: an .xlsx is
/// patched; when the patcher gives up, or the input is .xls or .ods, the workbook is rebuilt.
pub fn corrected_workbook_by(
    checked: &Checked,
    fidelity: &Fidelity,
) -> Result<(Vec<u8>, WrittenBy), String> {
    corrected_workbook_with(checked, fidelity, WriteOptions::default())
}

/// How the corrected workbook is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// A plain copy for resubmission (`--plain`): the corrected values only — no fills, no
    /// zpcheck notes, no 核查结果 sheet — and marked `zpcheck-plain`, so that a later run may
    /// replace it and a folder walk checks it like any submission.
    pub plain: bool,
    /// What the 核查结果 sheet's heading names beyond the workbook (file, time, profile).
    pub heading: HeadingFacts,
    /// The creation time a rebuilt workbook records, in seconds since 1970, instead of the
    /// time it is written (`SOURCE_DATE_EPOCH`): outputs that compare byte for byte.
    pub created: Option<i64>,
}

/// [`corrected_workbook_by`] with options.
pub fn corrected_workbook_with(
    checked: &Checked,
    fidelity: &Fidelity,
    opts: WriteOptions,
) -> Result<(Vec<u8>, WrittenBy), String> {
    let source = seal::Source {
        name: opts.heading.file.clone(),
        digest: opts.heading.source_digest.clone(),
    };
    let (bytes, by) = corrected_workbook_unsealed(checked, fidelity, opts)?;
    Ok((seal::seal(&bytes, &source)?, by))
}

/// [`corrected_workbook_with`] before the seal.
fn corrected_workbook_unsealed(
    checked: &Checked,
    fidelity: &Fidelity,
    opts: WriteOptions,
) -> Result<(Vec<u8>, WrittenBy), String> {
    let rebuilt = |why: Why, at: Option<(&'static str, u32)>| WrittenBy {
        method: Method::Rebuilt,
        fallback: Some(Fallback {
            path: FallbackPath::Rebuild,
            why,
            at,
        }),
    };
    if fidelity.write_back == WriteBack::Report {
        let source = fidelity
            .source
            .as_ref()
            .ok_or_else(|| "读取时未保留报告的内容".to_string())?;
        let bytes = patch::report::reviewed(source, checked, &opts)?;
        let by = WrittenBy {
            method: Method::Annotated,
            fallback: None,
        };
        return Ok((bytes, by));
    }
    if let (WriteBack::Patch, Some(source)) = (fidelity.write_back, &fidelity.source) {
        let gave_up = match patch::patch(source, checked, &opts) {
            Ok(bytes) => {
                let by = WrittenBy {
                    method: Method::Patched,
                    fallback: None,
                };
                return Ok((bytes, by));
            }
            Err(patch::GiveUp { why, at }) => rebuilt(why, Some(at)),
        };
        too_many_to_rebuild(checked)?;
        if !fidelity.has_looks() {
            // The rebuild draws every cell with its style and layout, which a read for
            // patching skipped: read them now, from the same bytes. The grid, forms and
            // findings stay those already made.
            let full = crate::read::read_bytes_with(
                source.bytes.to_vec(),
                ReadOptions::for_purpose(Purpose::Rebuild),
            )
            .map_err(|e| e.to_string())?;
            let looks = full.fidelity.unwrap_or_default();
            return rebuild::workbook_with(checked, &looks, &opts).map(|b| (b, gave_up));
        }
        return rebuild::workbook_with(checked, fidelity, &opts).map(|b| (b, gave_up));
    }
    if fidelity.write_back == WriteBack::Patch && !fidelity.has_looks() {
        // Neither the file's bytes nor its styles were kept: a rebuild would lose the look.
        return Err("读取时未保留写出更正后的工作簿所需的内容".to_string());
    }
    too_many_to_rebuild(checked)?;
    // The format says why it is rebuilt; a patched format's workbook read for a rebuild from
    // the start (every cell's look, no package kept) says that.
    let why = match fidelity.write_back {
        WriteBack::Patch => Why::ReadForRebuild,
        WriteBack::Rebuild(why) => why,
        WriteBack::Report => return Err("报告的核查版本读取时未保留".to_string()),
    };
    rebuild::workbook_with(checked, fidelity, &opts).map(|b| (b, rebuilt(why, None)))
}

/// Refuses to rebuild a workbook over [`MAX_REBUILT_CELLS`] or [`MAX_REBUILT_TEXT`], with the
/// way round it: a spreadsheet program's own .xlsx is patched, not rebuilt.
fn too_many_to_rebuild(checked: &Checked) -> Result<(), String> {
    let cells = || {
        checked
            .workbook
            .sheets
            .iter()
            .flat_map(|s| s.cells.values())
    };
    let count = cells().count();
    let text: usize = cells().map(crate::grid::Cell::text_bytes).sum();
    let over = if count > MAX_REBUILT_CELLS {
        format!("它有 {count} 个非空单元格，超过重建的上限 {MAX_REBUILT_CELLS} 个")
    } else if text > MAX_REBUILT_TEXT {
        format!(
            "它的单元格中的文字合计 {:.1} MB，超过重建的上限 {} MB",
            text as f64 / (1024.0 * 1024.0),
            MAX_REBUILT_TEXT / (1024 * 1024)
        )
    } else {
        return Ok(());
    };
    Err(format!(
        "这个工作簿要整本重建才能写出更正（.xls、.ods，或 zpcheck 无法逐处修改的 .xlsx），\
         而{over}，未写出更正版本；核查结果照常给出。可在 Excel/WPS 中另存为 .xlsx 后再更正"
    ))
}

/// Builds the corrected workbook in memory (see [`corrected_workbook_by`]).
pub fn corrected_workbook(checked: &Checked, fidelity: &Fidelity) -> Result<Vec<u8>, String> {
    corrected_workbook_by(checked, fidelity).map(|(bytes, _)| bytes)
}

/// Writes the corrected workbook to `out` atomically. `input` is never written.
pub fn write_corrected(
    checked: &Checked,
    fidelity: &Fidelity,
    input: &Path,
    out: &Path,
) -> Result<WrittenBy, InputError> {
    write_corrected_with(checked, fidelity, input, out, WriteOptions::default())
}

/// [`write_corrected`] with options (a plain copy with `--plain`).
pub fn write_corrected_with(
    checked: &Checked,
    fidelity: &Fidelity,
    input: &Path,
    out: &Path,
    opts: WriteOptions,
) -> Result<WrittenBy, InputError> {
    if same_file(input, out) {
        return Err(InputError::OutputIsInput(out.to_path_buf()));
    }
    let (bytes, by) =
        corrected_workbook_with(checked, fidelity, opts).map_err(|reason| InputError::Write {
            path: out.to_path_buf(),
            reason,
        })?;
    write_atomic(&bytes, out)?;
    Ok(by)
}

#[cfg(test)]
mod tests;

/// Several files in one zip (the page's "download all"): each by its name, a repeated name
/// made unique ("甲_核查(2).xlsx"), names stored as UTF-8 (flagged so), contents deflated.
pub fn zip_files(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let total = files.iter().map(|(_, b)| b.len()).sum();
    let mut zip = crate::ooxml::archive::Archive::for_files(total);
    let mut taken = std::collections::HashSet::new();
    for (name, bytes) in files {
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
        let unique = (1..)
            .map(|n| match (n, ext) {
                (1, _) => name.clone(),
                (n, "") => format!("{stem}({n})"),
                (n, ext) => format!("{stem}({n}).{ext}"),
            })
            .find(|c| !taken.contains(&c.to_lowercase()))
            .unwrap_or_else(|| name.clone());
        taken.insert(unique.to_lowercase());
        zip.add(&unique, bytes)
            .map_err(|e| format!("无法写入压缩包：{e:?}"))?;
    }
    zip.finish().map_err(|e| format!("无法写入压缩包：{e:?}"))
}
