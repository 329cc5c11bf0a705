//! Reports: the Chinese text report (one line per finding, `工作表!单元格  规则  说明`), the
//! JSON document and the JSON Lines stream for scripts, the closing tally and the exit status.
//!
//! A checked file is reduced to a [`FileReport`] as soon as its work is done: the findings and
//! a few figures per form, without the workbook. A batch of hundreds of files therefore holds
//! only these small values, never the workbooks, and every output is built from the same ones.

use std::path::PathBuf;

use serde::Serialize;

/// The figures of one checked form (defined with the checked forms, which the writer uses too).
pub use crate::checked::FormSummary;
use crate::finding::{Finding, Severity};
use crate::num::fmt_dec;
use crate::{Checked, InputError};

/// What happened to one input, with its workbook still in hand.
#[derive(Debug)]
pub struct FileOutcome {
    /// The input path as given or found.
    pub path: PathBuf,
    /// The checked workbook, or why it could not be checked.
    pub checked: Result<Checked, InputError>,
    /// Where the corrected workbook was written, if one was.
    pub output: Option<PathBuf>,
    /// Where the plain copy was written (`--plain`), if one was.
    pub plain_output: Option<PathBuf>,
    /// Why the corrected workbook could not be written, if it could not.
    pub write_error: Option<InputError>,
    /// Which writer made the corrected workbook, when one was written.
    pub written_by: Option<crate::write::WrittenBy>,
    /// Findings left out because a baseline accepted them.
    pub suppressed: usize,
}

/// The status of one input, as scripts see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Read and checked, no error findings (warnings allowed).
    Clean,
    /// Read and checked, with error findings.
    Findings,
    /// Read, but some form only partly (a block, column or rows not recognised): what could
    /// be checked was, nothing depending on the rest was corrected.
    Partial,
    /// Unreadable, or no form.
    Error,
    /// Read and checked, but the corrected workbook could not be written (JSON
    /// "write_failed"): its findings stand, nothing was corrected.
    #[serde(rename = "write_failed")]
    WriteFailed,
}

/// Which findings make the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Error findings only (the default).
    #[default]
    Error,
    /// Warnings too (`--fail-on warning`).
    Warning,
    /// Errors, and forms read only partly (`--fail-on partial`).
    Partial,
}

/// Why an input failed: its stable kind and its Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileError {
    /// [`InputError::kind`].
    pub kind: &'static str,
    /// The Chinese message.
    pub message: String,
}

impl From<&InputError> for FileError {
    fn from(e: &InputError) -> Self {
        FileError {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

/// One input's result, without its workbook.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The input path as given or found.
    pub path: PathBuf,
    /// Why it failed, if it did.
    pub error: Option<FileError>,
    /// Every form found.
    pub forms: Vec<FormSummary>,
    /// Every finding of every form, in sheet order.
    pub findings: Vec<Finding>,
    /// Where the corrected workbook was written.
    pub output: Option<PathBuf>,
    /// Where the plain copy was written (`--plain`).
    pub plain_output: Option<PathBuf>,
    /// Which reader read the file, when it was read.
    pub read_by: Option<crate::read::ReadBy>,
    /// Which writer made the corrected workbook, when one was written.
    pub written_by: Option<crate::write::WrittenBy>,
    /// Findings left out because a baseline accepted them.
    pub suppressed: usize,
    /// For a report (a Word document): what was read of it.
    pub report: Option<ReportFacts>,
    /// The workbook a report was paired with.
    pub paired_with: Option<PathBuf>,
}

/// What was read of a report (a Word document), for the outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportFacts {
    /// Paragraphs outside tables.
    pub paragraphs: usize,
    /// Tables.
    pub tables: u32,
    /// Figures read from the narrative.
    pub claims: usize,
    /// The table checked as the 自评表 (N of "表N").
    pub table: Option<u32>,
    /// The report's year.
    pub year: Option<u16>,
    /// What was not read.
    pub skipped: Vec<&'static str>,
    /// Why it stayed unpaired, when several workbooks matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair_note: Option<String>,
}

impl ReportFacts {
    /// The facts of a checked report.
    pub fn of(r: &crate::ReportCheck) -> Self {
        ReportFacts {
            paragraphs: r.paragraphs,
            tables: r.tables,
            claims: r.figures.iter().map(|(_, n)| n).sum(),
            table: r.table,
            year: r.year,
            skipped: r.skipped.clone(),
            pair_note: r.pair_note.clone(),
        }
    }
}

impl From<FileOutcome> for FileReport {
    fn from(o: FileOutcome) -> Self {
        let read_by = o.checked.as_ref().ok().map(|c| c.workbook.read_by.clone());
        let error = o
            .checked
            .as_ref()
            .err()
            .or(o.write_error.as_ref())
            .map(FileError::from);
        let paired_with = o
            .checked
            .as_ref()
            .ok()
            .and_then(|c| c.report.as_ref())
            .and_then(|r| r.paired_with.clone());
        let (forms, findings, report) = match o.checked {
            Ok(c) => {
                let forms = c.forms.iter().map(FormSummary::of).collect();
                let report = c.report.as_ref().map(ReportFacts::of);
                let narrative = c.report.map(|r| r.narrative).unwrap_or_default();
                let findings = c
                    .forms
                    .into_iter()
                    .flat_map(|f| f.report.findings)
                    .chain(narrative)
                    .collect();
                (forms, findings, report)
            }
            Err(_) => (Vec::new(), Vec::new(), None),
        };
        FileReport {
            path: o.path,
            error,
            forms,
            findings,
            output: o.output,
            plain_output: o.plain_output,
            read_by,
            written_by: o.written_by,
            suppressed: o.suppressed,
            report,
            paired_with,
        }
    }
}

impl FileReport {
    /// The input's status.
    pub fn status(&self) -> Status {
        // The JSON status is the category, coarser: warnings are clean, no form is an error.
        match self.category() {
            Category::WriteFailed => Status::WriteFailed,
            Category::Unreadable | Category::NoForm => Status::Error,
            Category::Partial => Status::Partial,
            Category::Errors => Status::Findings,
            Category::Clean | Category::WarningsOnly => Status::Clean,
        }
    }

    /// Whether the input was read and checked but its corrected workbook not written.
    pub fn write_failed(&self) -> bool {
        self.error
            .as_ref()
            .is_some_and(|e| e.kind == "write_failed")
    }

    /// Whether any form was read only partly.
    pub fn is_partial(&self) -> bool {
        self.forms.iter().any(|f| !f.complete)
    }

    /// Whether any finding has this severity.
    pub fn has(&self, severity: Severity) -> bool {
        self.findings.iter().any(|f| f.counted() == Some(severity))
    }

    /// Number of findings of this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.counted() == Some(severity))
            .count()
    }
}

/// What became of a file, in the categories the tally line and the summary workbook share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Read and checked completely; no finding at all.
    Clean,
    /// Read and checked completely; warnings only.
    WarningsOnly,
    /// Read and checked completely; error findings.
    Errors,
    /// Some form read only partly (whatever its findings).
    Partial,
    /// Could not be read.
    Unreadable,
    /// Read, but holds no 自评表.
    NoForm,
    /// Read and checked; the corrected workbook could not be written.
    WriteFailed,
}

impl Category {
    /// Every category, in the tally's order.
    pub const ALL: [Category; 7] = [
        Category::Clean,
        Category::WarningsOnly,
        Category::Errors,
        Category::Partial,
        Category::Unreadable,
        Category::NoForm,
        Category::WriteFailed,
    ];

    /// Its Chinese name, as the tally and the summary say it.
    pub fn label(self) -> &'static str {
        match self {
            Category::Clean => "无误",
            Category::WarningsOnly => "仅有警告",
            Category::Errors => "有错误",
            Category::Partial => "部分核查",
            Category::Unreadable => "无法读取",
            Category::NoForm => "没有自评表",
            Category::WriteFailed => "写出失败",
        }
    }
}

impl FileReport {
    /// What became of the file (see [`Category`]).
    pub fn category(&self) -> Category {
        if self.write_failed() {
            Category::WriteFailed
        } else if let Some(e) = &self.error {
            if e.kind == "no_form" {
                Category::NoForm
            } else {
                Category::Unreadable
            }
        } else if self.is_partial() {
            Category::Partial
        } else if self.has(Severity::Error) {
            Category::Errors
        } else if self.has(Severity::Warning) {
            Category::WarningsOnly
        } else {
            Category::Clean
        }
    }
}

/// The running count of a batch: what the tally line and the exit status need, so that a run
/// of any size keeps only this much once each file has been reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Files read and checked with no error finding.
    pub clean: usize,
    /// Files with error findings.
    pub findings: usize,
    /// Files read only partly (whatever their findings).
    pub partial: usize,
    /// Files that could not be read (or written).
    pub failed: usize,
    /// Files with warnings (any status).
    pub with_warnings: usize,
    /// Files with error findings (any status but unreadable).
    pub with_errors: usize,
    /// Files found in folders and passed over: zpcheck's own corrected workbooks and summaries.
    pub skipped: usize,
    /// Files read and checked whose corrected workbook could not be written.
    pub write_failed: usize,
    /// Files by [`Category`], in [`Category::ALL`]'s order.
    pub by_category: [usize; 7],
    /// Findings left out because a baseline accepted them.
    pub suppressed: usize,
}

impl Tally {
    /// Counts one file.
    pub fn add(&mut self, r: &FileReport) {
        self.suppressed += r.suppressed;
        let category = r.category();
        if let Some(i) = Category::ALL.iter().position(|c| *c == category) {
            self.by_category[i] += 1;
        }
        match r.status() {
            Status::Clean => self.clean += 1,
            Status::Findings => self.findings += 1,
            Status::Partial => self.partial += 1,
            Status::Error => self.failed += 1,
            Status::WriteFailed => self.write_failed += 1,
        }
        if r.error.is_none() && r.has(Severity::Warning) {
            self.with_warnings += 1;
        }
        if r.error.is_none() && r.has(Severity::Error) {
            self.with_errors += 1;
        }
    }

    /// Number of files counted.
    pub fn files(&self) -> usize {
        self.clean + self.findings + self.partial + self.failed + self.write_failed
    }

    /// The exit status: 2 if any input failed, else 1 if any file has error findings (or, with
    /// `--fail-on warning`, warnings; with `--fail-on partial`, a form read only partly), else
    /// 0. A partial reading alone is not a failure.
    pub fn exit_code(&self, fail_on: FailOn) -> i32 {
        if self.failed > 0 || self.write_failed > 0 {
            2
        } else if self.with_errors > 0
            || (fail_on == FailOn::Warning && self.with_warnings > 0)
            || (fail_on == FailOn::Partial && self.partial > 0)
        {
            1
        } else {
            0
        }
    }

    /// The closing line of a text report.
    pub fn line(&self) -> String {
        // Every category a file fell in, in a fixed order; 无误 even when none did.
        let parts: Vec<String> = Category::ALL
            .iter()
            .zip(self.by_category)
            .filter(|(c, n)| *n > 0 || **c == Category::Clean)
            .map(|(c, n)| format!("{n} 个{}", c.label()))
            .collect();
        let skipped = if self.skipped > 0 {
            format!("；另跳过 {} 个 zpcheck 写出的文件", self.skipped)
        } else {
            String::new()
        };
        let suppressed = if self.suppressed > 0 {
            format!("；按基线忽略 {} 条已确认的问题", self.suppressed)
        } else {
            String::new()
        };
        format!(
            "共 {} 个文件：{}{skipped}{suppressed}",
            self.files(),
            parts.join("，")
        )
    }
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    files: Vec<JsonFile<'a>>,
    /// Files found in folders and passed over (zpcheck's own outputs), with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skipped: Vec<JsonSkipped<'a>>,
}

#[derive(Serialize)]
struct JsonSkipped<'a> {
    path: &'a str,
    reason: &'static str,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: String,
    status: Status,
    error: Option<&'a FileError>,
    /// `"fast"` or `"calamine"`; absent when the file could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    reader: Option<&'static str>,
    /// Where the fast reader gave up, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    reader_fallback: Option<String>,
    /// `"patch"` or `"rebuild"`; absent when no corrected workbook was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    writer: Option<&'static str>,
    /// Why the workbook was rebuilt rather than patched.
    #[serde(skip_serializing_if = "Option::is_none")]
    writer_fallback: Option<String>,
    /// Where the corrected workbook was written (`fix`), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    /// Where the plain copy for resubmission was written (`--plain`), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    plain_output: Option<String>,
    /// Findings a baseline accepted and left out, when there were any.
    #[serde(skip_serializing_if = "is_zero")]
    suppressed: usize,
    /// For a report: what was read of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a ReportFacts>,
    /// For a report: the workbook it was paired with.
    #[serde(skip_serializing_if = "Option::is_none")]
    paired_with: Option<String>,
    forms: Vec<JsonForm<'a>>,
    findings: Vec<JsonFinding<'a>>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct JsonForm<'a> {
    sheet: &'a str,
    title: &'a str,
    /// The unit's or project's name.
    name: Option<&'a str>,
    /// The 主管部门 and the 实施单位, as labelled.
    department: Option<&'a str>,
    unit: Option<&'a str>,
    year: Option<u16>,
    claimed_total: Option<String>,
    /// Whether the form has a 总分 row (a null `claimed_total` is then a blank total).
    total_row: bool,
    computed_total: Option<String>,
    /// When scores are missing (so `computed_total` is null): what the scores present give at
    /// least, a decimal string.
    #[serde(skip_serializing_if = "Option::is_none")]
    computed_total_min: Option<String>,
    /// The grade the form states, as written.
    declared_grade: Option<&'a str>,
    /// Whether the form has a grade cell.
    grade_cell: bool,
    /// The grade the recomputed 总分 earns.
    computed_grade: Option<&'static str>,
    /// The total row's budget, execution and rate (percent), as corrected.
    budget: Option<String>,
    execution: Option<String>,
    rate: Option<String>,
    complete: bool,
    unread: &'a [String],
    unchecked: &'a [String],
}

#[derive(Serialize)]
struct JsonPlace {
    sheet: String,
    cell: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    /// Null for a finding on a report's narrative.
    sheet: Option<&'a str>,
    /// Null for a finding on a report's narrative.
    cell: Option<String>,
    /// On a report: `"text"` (its narrative) or `"table"` (one of its tables).
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'static str>,
    /// The table's order in the report.
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<u32>,
    /// The claim as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
    /// The paragraph (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph: Option<usize>,
    /// The table figure the claim was compared with.
    #[serde(skip_serializing_if = "Option::is_none")]
    compared_with: Option<JsonPlace>,
    /// As the cell holds it; `null` for a blank cell.
    found: Option<&'a str>,
    expected: &'a str,
    message: &'a str,
    fixed: bool,
    /// The cells the expected value was computed from (absent when none are recorded).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    inputs: Vec<String>,
    /// The corrected cell this finding follows from (a 总分 wrong only because a score above
    /// it was corrected): listed, corrected, not counted again as an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    follows: Option<String>,
    /// The formula a correction keeps or repairs in the cell (`"=SUM(C7:C9)"`); absent when
    /// the correction is a constant or there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    formula: Option<String>,
}

fn json_file(r: &FileReport) -> JsonFile<'_> {
    JsonFile {
        path: r.path.display().to_string(),
        status: r.status(),
        error: r.error.as_ref(),
        reader: r.read_by.as_ref().map(|b| b.reader),
        reader_fallback: r
            .read_by
            .as_ref()
            .and_then(|b| b.fallback.as_ref().map(|f| f.code())),
        writer: r.written_by.as_ref().map(|b| b.method.name()),
        writer_fallback: r
            .written_by
            .as_ref()
            .and_then(|b| b.fallback.as_ref().map(|f| f.code())),
        output: r.output.as_ref().map(|p| p.display().to_string()),
        plain_output: r.plain_output.as_ref().map(|p| p.display().to_string()),
        suppressed: r.suppressed,
        report: r.report.as_ref(),
        paired_with: r.paired_with.as_ref().map(|p| p.display().to_string()),
        forms: r
            .forms
            .iter()
            .map(|f| JsonForm {
                sheet: &f.sheet,
                title: &f.title,
                name: f.name.as_deref(),
                department: f.department.as_deref(),
                unit: f.unit.as_deref(),
                year: f.year,
                claimed_total: f.claimed_total.map(fmt_dec),
                total_row: f.has_total_row,
                computed_total: f.computed_total.map(fmt_dec),
                computed_total_min: f.computed_total_min.map(fmt_dec),
                declared_grade: f.declared_grade.as_deref(),
                grade_cell: f.has_grade_cell,
                computed_grade: f.computed_grade,
                budget: f.budget.map(fmt_dec),
                execution: f.execution.map(fmt_dec),
                rate: f.rate.map(fmt_dec),
                complete: f.complete,
                unread: &f.unread,
                unchecked: &f.unchecked,
            })
            .collect(),
        findings: r
            .findings
            .iter()
            .map(|f| JsonFinding {
                rule: f.rule,
                severity: f.severity,
                sheet: f.text.is_none().then_some(f.sheet.as_str()),
                cell: f.text.is_none().then(|| f.cell.to_string()),
                source: r.report.as_ref().map(|_| match f.text {
                    Some(_) => "text",
                    None => "table",
                }),
                table: r
                    .report
                    .as_ref()
                    .and_then(|_| crate::grid::document::table_number(&f.sheet)),
                quote: f.text.as_ref().map(|t| t.quote.as_str()),
                paragraph: f.text.as_ref().map(|t| t.paragraph),
                compared_with: f.text.as_ref().and_then(|t| {
                    t.compared_with.as_ref().map(|(sheet, cell)| JsonPlace {
                        sheet: sheet.clone(),
                        cell: cell.to_string(),
                        // A figure of the paired workbook, not of the report's own table.
                        path: r
                            .paired_with
                            .as_ref()
                            .filter(|_| crate::grid::document::table_number(sheet).is_none())
                            .map(|p| p.display().to_string()),
                    })
                }),
                found: (f.found != crate::form::BLANK).then_some(f.found.as_str()),
                expected: &f.expected,
                message: &f.message,
                // Not when the corrected workbook could not be written: nothing was corrected;
                // never in a report, whose text and tables are the author's.
                fixed: f.fixed() && !r.write_failed() && r.report.is_none(),
                inputs: f.inputs.iter().map(|c| c.to_string()).collect(),
                follows: f.follows.map(|c| c.to_string()),
                formula: match &f.fix {
                    Some(crate::finding::FixValue::Number {
                        formula: Some(k), ..
                    }) if !r.write_failed() => Some(format!("={}", k.text)),
                    _ => None,
                },
            })
            .collect(),
    }
}

/// The JSON document for a run: `{"files":[…]}`.
pub fn json(reports: &[FileReport]) -> String {
    json_with_skipped(reports, &[])
}

/// [`json`] with the files passed over in folders:
/// `"skipped": [{"path": …, "reason": …}, …]` (absent when none).
pub fn json_with_skipped(reports: &[FileReport], skipped: &[(String, &'static str)]) -> String {
    let files = reports.iter().map(json_file).collect();
    let skipped = skipped
        .iter()
        .map(|(path, reason)| JsonSkipped { path, reason })
        .collect();
    serde_json::to_string_pretty(&JsonDoc { files, skipped })
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// One line of JSON Lines output: the same object as one entry of the document's `files`.
pub fn jsonl(report: &FileReport) -> String {
    serde_json::to_string(&json_file(report)).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The `--verbose` line of one input: which reader read it and which writer wrote its
/// corrected workbook, with where the faster one gave up. None when it was not read.
pub fn provenance_line(r: &FileReport) -> Option<String> {
    let read = r.read_by.as_ref()?;
    let mut line = format!(
        "{}：读取用{}",
        r.path.display(),
        match read.reader {
            "fast" => "快速读取器",
            "html" => " HTML 表格读取器",
            "spreadsheetml" => " XML 表格（SpreadsheetML）读取器",
            "docx" => " Word 文档读取器",
            _ => " calamine",
        }
    );
    if let Some(at) = &read.fallback {
        line.push_str(&format!("（快速读取器放弃：{}）", at.text()));
    }
    if let Some(w) = &r.written_by {
        line.push_str(match w.method {
            crate::write::Method::Patched => "，更正版本逐处修改写出",
            crate::write::Method::Rebuilt => "，更正版本整本重建",
            crate::write::Method::Annotated => "，核查版本为原文加批注",
        });
        if let Some(why) = &w.fallback {
            line.push_str(&format!("（{}）", why.text()));
        }
    }
    line.push('\n');
    Some(line)
}

/// The text report of one input (stdout part). Input errors go to stderr, see [`error_line`].
pub fn text(r: &FileReport, fixing: bool) -> String {
    let mut out = String::new();
    if r.error.is_some() && r.forms.is_empty() {
        return out;
    }
    out.push_str(&format!("{}\n", r.path.display()));
    if let Some(facts) = &r.report {
        out.push_str(&report_line(facts, r.paired_with.as_deref()));
    }
    for f in &r.findings {
        // A correction is "made" only when the corrected workbook was written; a report's
        // text and tables are never changed.
        let tail = match (f.fixed(), fixing && !r.write_failed(), &r.report) {
            (_, _, Some(_)) => "",
            (true, true, None) => "（已更正）",
            (true, false, None) => "（可自动更正）",
            _ => "",
        };
        let place = match &f.text {
            Some(_) => "正文".to_string(),
            None => format!("{}!{}", f.sheet, f.cell),
        };
        out.push_str(&format!(
            "{place}  {}  {}：{}{}\n",
            f.rule,
            f.severity.label(),
            f.message,
            tail
        ));
    }
    for f in &r.forms {
        if !f.complete {
            out.push_str(&format!(
                "表「{}」（工作表 {}）：部分核查——{}\n",
                f.title,
                f.sheet,
                f.unread.join("；")
            ));
        }
        for u in &f.unchecked {
            out.push_str(&format!(
                "表「{}」（工作表 {}）：未能核查——{u}\n",
                f.title, f.sheet
            ));
        }
        out.push_str(&format!(
            "表「{}」（工作表 {}）：申报总分 {}，核算总分 {}{}\n",
            f.title,
            f.sheet,
            f.claimed_total_text(),
            match (f.computed_total, f.computed_total_min) {
                (Some(t), _) => fmt_dec(t),
                (None, Some(min)) =>
                    format!("无法计算（得分未填全，已填得分合计至少 {}）", fmt_dec(min)),
                (None, None) => "无法计算".into(),
            },
            f.computed_grade
                .map(|g| format!("，等级 {g}"))
                .unwrap_or_default()
        ));
    }
    let fixed = crate::finding::corrected_cells(&r.findings);
    out.push_str(&format!(
        "错误 {} 个，警告 {} 个",
        r.count(Severity::Error),
        r.count(Severity::Warning)
    ));
    if r.suppressed > 0 {
        out.push_str(&format!("（另按基线忽略 {} 条）", r.suppressed));
    }
    match (&r.output, &r.report) {
        (Some(p), Some(_)) => out.push_str(&format!(
            "；已在核查版本中标注 {} 处（原文未改动），输出：{}",
            r.findings.len(),
            p.display()
        )),
        (Some(p), None) => out.push_str(&format!("；已更正 {fixed} 处，输出：{}", p.display())),
        _ => {}
    }
    if let Some(p) = &r.plain_output {
        out.push_str(&format!("，干净副本：{}", p.display()));
    }
    out.push('\n');
    out
}

/// The line that says what was read of a report: paragraphs, tables, figures, which table was
/// checked as the 自评表, what was not read, and the workbook it was paired with.
pub fn report_line(facts: &ReportFacts, paired_with: Option<&std::path::Path>) -> String {
    let table = match facts.table {
        Some(n) => format!("按自评表核查的是表{n}"),
        None => "表格中没有自评表".to_string(),
    };
    let skipped = if facts.skipped.is_empty() {
        String::new()
    } else {
        format!("；未读取：{}", facts.skipped.join("、"))
    };
    let paired = match (paired_with, &facts.pair_note) {
        (Some(p), _) => format!("；正文与工作簿 {} 的自评表配对核对", p.display()),
        (None, Some(note)) => format!("；{note}"),
        _ => String::new(),
    };
    format!(
        "自评报告：正文 {} 段、表格 {} 个，读出数字 {} 个，{table}{skipped}{paired}\n",
        facts.paragraphs, facts.tables, facts.claims
    )
}

/// The one line a file gets when nothing is to be said about it but its 总分: read completely,
/// no finding, nothing left unchecked. None otherwise (the file gets [`text`]).
pub fn clean_line(r: &FileReport) -> Option<String> {
    // An info finding (a number not compared) is said in full, never folded into "无误".
    if r.category() != Category::Clean
        || r.forms.iter().any(|f| !f.unchecked.is_empty())
        || !r.findings.is_empty()
    {
        return None;
    }
    let forms: Vec<String> = r
        .forms
        .iter()
        .map(|f| {
            let total = f
                .computed_total
                .map(fmt_dec)
                .unwrap_or_else(|| "无法计算".into());
            let grade = f
                .computed_grade
                .map(|g| format!(" {g}"))
                .unwrap_or_default();
            if r.forms.len() > 1 {
                format!("{} {total}{grade}", f.sheet)
            } else {
                format!("{total}{grade}")
            }
        })
        .collect();
    let output = r
        .output
        .as_ref()
        .map(|p| format!("，输出：{}", p.display()))
        .unwrap_or_default()
        + &r.plain_output
            .as_ref()
            .map(|p| format!("，干净副本：{}", p.display()))
            .unwrap_or_default();
    let suppressed = if r.suppressed > 0 {
        format!("（另按基线忽略 {} 条）", r.suppressed)
    } else {
        String::new()
    };
    Some(format!(
        "{}  无误（总分 {}）{suppressed}{output}\n",
        r.path.display(),
        forms.join("；")
    ))
}

/// The stderr line for an input that failed.
pub fn error_line(r: &FileReport) -> Option<String> {
    r.error
        .as_ref()
        .map(|e| format!("zpcheck: {}: {}", r.path.display(), e.message))
}
