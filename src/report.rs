//! Reports: the Chinese text report (one line per finding, `工作表!单元格  规则  说明`) and the
//! JSON document for scripts. Both are built from the same [`FileOutcome`] values.

use std::path::PathBuf;

use serde::Serialize;

use crate::finding::Severity;
use crate::num::fmt_dec;
use crate::{Checked, InputError};

/// What happened to one input.
#[derive(Debug)]
pub struct FileOutcome {
    /// The input path as given or found.
    pub path: PathBuf,
    /// The checked workbook, or why it could not be checked.
    pub checked: Result<Checked, InputError>,
    /// Where the corrected workbook was written, if one was.
    pub output: Option<PathBuf>,
    /// Why the corrected workbook could not be written, if it could not.
    pub write_error: Option<InputError>,
}

/// The status of one input, as scripts see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Read and checked, no error findings (warnings allowed).
    Clean,
    /// Read and checked, with error findings.
    Findings,
    /// Unreadable, no form, or the output could not be written.
    Error,
}

impl FileOutcome {
    /// The input's status.
    pub fn status(&self) -> Status {
        match (&self.checked, &self.write_error) {
            (Err(_), _) | (_, Some(_)) => Status::Error,
            (Ok(c), None) if c.has_errors() => Status::Findings,
            (Ok(_), None) => Status::Clean,
        }
    }

    /// The input error, if any.
    pub fn error(&self) -> Option<&InputError> {
        self.checked.as_ref().err().or(self.write_error.as_ref())
    }
}

/// The exit status for a run: 2 if any input failed, else 1 if any error finding, else 0.
pub fn exit_code(outcomes: &[FileOutcome]) -> i32 {
    let statuses: Vec<Status> = outcomes.iter().map(FileOutcome::status).collect();
    if statuses.contains(&Status::Error) {
        2
    } else if statuses.contains(&Status::Findings) {
        1
    } else {
        0
    }
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    files: Vec<JsonFile<'a>>,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: String,
    status: Status,
    error: Option<JsonError>,
    forms: Vec<JsonForm<'a>>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonError {
    kind: &'static str,
    message: String,
}

#[derive(Serialize)]
struct JsonForm<'a> {
    sheet: &'a str,
    title: &'a str,
    claimed_total: Option<String>,
    computed_total: Option<String>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    sheet: &'a str,
    cell: String,
    found: &'a str,
    expected: &'a str,
    message: &'a str,
    fixed: bool,
}

/// The JSON document for a run.
pub fn json(outcomes: &[FileOutcome]) -> String {
    let files = outcomes
        .iter()
        .map(|o| {
            let (forms, findings) = match &o.checked {
                Ok(c) => (
                    c.forms
                        .iter()
                        .map(|f| JsonForm {
                            sheet: &f.form.sheet,
                            title: &f.form.title,
                            claimed_total: f.report.claimed_total.map(fmt_dec),
                            computed_total: f.report.computed_total.map(fmt_dec),
                        })
                        .collect(),
                    c.findings()
                        .map(|f| JsonFinding {
                            rule: f.rule,
                            severity: f.severity,
                            sheet: &f.sheet,
                            cell: f.cell.to_string(),
                            found: &f.found,
                            expected: &f.expected,
                            message: &f.message,
                            fixed: f.fixed(),
                        })
                        .collect(),
                ),
                Err(_) => (Vec::new(), Vec::new()),
            };
            JsonFile {
                path: o.path.display().to_string(),
                status: o.status(),
                error: o.error().map(|e| JsonError {
                    kind: e.kind(),
                    message: e.to_string(),
                }),
                forms,
                findings,
            }
        })
        .collect();
    serde_json::to_string_pretty(&JsonDoc { files })
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The text report of one input (stdout part). Input errors go to stderr, see [`error_line`].
pub fn text(o: &FileOutcome, fixing: bool) -> String {
    let mut out = String::new();
    let Ok(c) = &o.checked else {
        return out;
    };
    out.push_str(&format!("{}\n", o.path.display()));
    for f in c.findings() {
        let tail = match (f.fixed(), fixing) {
            (true, true) => "（已更正）",
            (true, false) => "（可自动更正）",
            _ => "",
        };
        out.push_str(&format!(
            "{}!{}  {}  {}：{}{}\n",
            f.sheet,
            f.cell,
            f.rule,
            f.severity.label(),
            f.message,
            tail
        ));
    }
    for f in &c.forms {
        out.push_str(&format!(
            "表「{}」（工作表 {}）：申报总分 {}，核算总分 {}{}\n",
            f.form.title,
            f.form.sheet,
            f.report
                .claimed_total
                .map(fmt_dec)
                .unwrap_or_else(|| "未填".into()),
            f.report
                .computed_total
                .map(fmt_dec)
                .unwrap_or_else(|| "无法计算".into()),
            f.report
                .computed_grade
                .map(|g| format!("，等级 {g}"))
                .unwrap_or_default()
        ));
    }
    let errors = c
        .findings()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = c
        .findings()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let fixed = c.findings().filter(|f| f.fixed()).count();
    out.push_str(&format!("错误 {errors} 个，警告 {warnings} 个"));
    if let Some(p) = &o.output {
        out.push_str(&format!("；已更正 {fixed} 处，输出：{}", p.display()));
    }
    out.push('\n');
    out
}

/// The stderr line for an input that failed.
pub fn error_line(o: &FileOutcome) -> Option<String> {
    o.error()
        .map(|e| format!("zpcheck: {}: {}", o.path.display(), e))
}

/// The closing tally of a run.
pub fn tally(outcomes: &[FileOutcome]) -> String {
    let count = |s: Status| outcomes.iter().filter(|o| o.status() == s).count();
    format!(
        "共 {} 个文件：{} 个无误，{} 个有问题，{} 个无法读取",
        outcomes.len(),
        count(Status::Clean),
        count(Status::Findings),
        count(Status::Error)
    )
}
