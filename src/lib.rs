//! zpcheck: checks and corrects the arithmetic of 绩效自评表 (budget performance
//! self-evaluation tables).
//!
//! Data flows one way: [`read`] (bytes → the sheet grid of [`grid`]; for a correction also a
//! [`read::Fidelity`] that goes straight to `write`) → `locate` (blocks found by what their
//! labels mean, with the words of [`vocab`], which [`profile`] loads from
//! `profiles/national.toml` and a `--profile` file; what could not be read is recorded) →
//! [`form`] (typed model, every value with its cell) → [`rules`] (a registry of rules; the
//! values they give are computed in [`rules::expect`] apart from the comparisons) → findings →
//! [`write`] (corrected workbook with a 核查结果 sheet) and [`report`] (text / JSON / JSON
//! Lines); [`explain`] describes what was recognised. [`batch`] runs many files on worker
//! threads and hands their reports back in input order, [`summary`] writes the summary
//! workbook of a batch, and [`cli`] is the command line. `tests/it/layers.rs` keeps the
//! direction: no module uses a later stage.
//!
//! The public surface is what a caller drives the pipeline with: [`check_path`],
//! [`fix_path`] and [`write::write_corrected`], the stages' models and the outputs. What only
//! the stages share among themselves (the OOXML package code, the locator, cell styles, the
//! console check) is crate-private; errors and findings are re-exported at the root.

pub mod baseline;
pub mod batch;
pub mod checked;
pub mod claims;
/// The command line (the `cli` feature, on by default; the browser build has none).
#[cfg(feature = "cli")]
pub mod cli;
/// Whether the program was started by a double-click or a drop (the command line only).
#[cfg(feature = "cli")]
pub(crate) mod console;
pub(crate) mod error;
pub mod explain;
pub mod fallback;
/// What zpcheck reads, said the same way everywhere: the read errors, `check --help`, a folder
/// with nothing to check. (A macro, so that `concat!` can put it in attributes.)
#[macro_export]
macro_rules! formats {
    () => {
        "工作簿 .xlsx、.xlsm、.xls、.et、.ett、.ods（以及系统导出的 HTML、XML 表格），自评报告 .docx"
    };
}
pub mod files;
pub(crate) mod finding;
pub mod form;
pub mod formula;
pub mod grid;
pub mod limits;
pub(crate) mod locate;
pub mod num;
pub(crate) mod ooxml;
pub mod pairing;
pub mod pipeline;
pub mod profile;
pub mod read;
pub mod report;
pub mod rules;
pub(crate) mod style;
pub mod summary;
pub mod vocab;
pub mod write;

use std::path::Path;

pub use error::InputError;
pub use finding::{Finding, FixValue, FormulaFix, Severity, TextPlace};
pub use rules::{FormReport, Profile};

use form::Form;
use read::Workbook;

/// One form found in a workbook, with what checking it gave.
#[derive(Debug, Clone)]
pub struct CheckedForm {
    /// The form's model.
    pub form: Form,
    /// Its findings and totals.
    pub report: FormReport,
}

/// A workbook that was read and checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The workbook as read.
    pub workbook: Workbook,
    /// Every form found, in sheet order.
    pub forms: Vec<CheckedForm>,
    /// For a report (a Word document): what its narrative gave.
    pub report: Option<ReportCheck>,
}

/// What checking a report's narrative gave.
#[derive(Debug, Clone, Default)]
pub struct ReportCheck {
    /// The findings on the narrative (ZP5xx), in paragraph order.
    pub narrative: Vec<Finding>,
    /// Per paragraph with figures (1-based), how many figures it states.
    pub figures: Vec<(usize, usize)>,
    /// The table taken as the 自评表 (N of "表N"), when one was.
    pub table: Option<u32>,
    /// The report's year, as its text names it.
    pub year: Option<u16>,
    /// What the reader passed over (text boxes, footnotes…).
    pub skipped: Vec<&'static str>,
    /// The paragraphs outside tables and the tables.
    pub paragraphs: usize,
    /// How many tables the document has.
    pub tables: u32,
    /// The workbook the narrative was held to instead of its own table, when paired.
    pub paired_with: Option<std::path::PathBuf>,
    /// Why the report stayed unpaired, when pairing found several workbooks.
    pub pair_note: Option<String>,
}

impl Checked {
    /// Every finding of every form, then those of a report's narrative.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.forms
            .iter()
            .flat_map(|f| f.report.findings.iter())
            .chain(self.report.iter().flat_map(|r| r.narrative.iter()))
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings().any(|f| f.is_error())
    }

    /// Leaves out the findings a reviewer accepted (see [`baseline`]) for the file at `path`;
    /// returns how many it left out. Done before writing: an accepted finding is neither
    /// reported nor marked nor corrected. A form where an accepted finding carried a
    /// correction is checked again with it accepted, so that the correction is applied nowhere:
    /// 总分 and the grade are computed with the form's own value for that cell.
    pub fn suppress(
        &mut self,
        baseline: &baseline::Baseline,
        path: &Path,
        profile: &Profile,
    ) -> usize {
        let mut gone = 0;
        let accepted = |x: &Finding| baseline.accepts(path, x);
        for f in &mut self.forms {
            if f.report.findings.iter().any(|x| x.fixed() && accepted(x)) {
                f.report = rules::check_with(&f.form, profile, &accepted);
                rules::formulas::keep(&mut f.report.findings, &self.workbook.sheets);
            }
            let before = f.report.findings.len();
            f.report.findings.retain(|x| !accepted(x));
            gone += before - f.report.findings.len();
        }
        if let Some(r) = &mut self.report {
            let before = r.narrative.len();
            r.narrative.retain(|x| !accepted(x));
            gone += before - r.narrative.len();
        }
        gone
    }
}

/// Whether a sheet is the 核查结果 sheet zpcheck wrote into a corrected workbook.
pub fn is_findings_sheet(sheet: &read::Sheet) -> bool {
    // 核查结果, or 核查结果(N) where the submission has a sheet named 核查结果 of its own.
    let named = sheet.name == write::FINDINGS_SHEET
        || sheet
            .name
            .strip_prefix(write::FINDINGS_SHEET)
            .and_then(|rest| rest.strip_prefix('('))
            .and_then(|rest| rest.strip_suffix(')'))
            .is_some_and(|n| n.parse::<u32>().is_ok());
    // The header row is the first row of sheets written before the heading was added, and
    // follows the heading (a few lines per form) since.
    named
        && (0..64).any(|row| {
            write::FINDINGS_HEADER
                .iter()
                .enumerate()
                .all(|(c, h)| sheet.text(read::CellRef::new(row, c as u32)) == *h)
        })
}

/// Finds and checks every form of a workbook. A workbook with no form is an error.
pub fn check_workbook(workbook: Workbook, profile: &Profile) -> Result<Checked, InputError> {
    // A summary zpcheck wrote is never a submission, though its headers (全年预算数, 全年执行数…)
    // read like a funding block's.
    if workbook.zpcheck_summary {
        return Err(InputError::Summary);
    }
    let built: Vec<Form> = build_forms(&workbook, profile)
        .into_iter()
        .map(|b| b.form)
        .collect();
    let mut forms = Vec::new();
    for form in built {
        let mut report = rules::check(&form, profile);
        rules::formulas::keep(&mut report.findings, &workbook.sheets);
        forms.push(CheckedForm { form, report });
    }
    let report = match &workbook.document {
        Some(document) => Some(check_narrative(document, &forms, profile)?),
        None => None,
    };
    if forms.is_empty() && report.is_none() {
        return Err(InputError::NoForm);
    }
    Ok(Checked {
        workbook,
        forms,
        report,
    })
}

/// Holds a checked report's narrative to the 自评表 of the workbook paired with it (checked
/// already), in place of the report's own table: the narrative findings are made again.
pub fn hold_report_to(checked: &mut Checked, paired: &Checked, path: &Path, profile: &Profile) {
    let (Some(document), Some(report)) = (&checked.workbook.document, checked.report.as_mut())
    else {
        return;
    };
    let Some(table) = paired
        .forms
        .iter()
        .find(|f| f.form.funding.is_some())
        .or(paired.forms.first())
    else {
        return;
    };
    let figures = claims::figures(document, report.year);
    report.narrative = rules::text::check(
        &figures,
        Some(rules::text::TableRef {
            form: &table.form,
            report: &table.report,
        }),
        profile,
    );
    report.paired_with = Some(path.to_path_buf());
}

/// Whether a Word document with no 自评表 among its tables is a 自评报告 all the same: it says
/// it is a report (报告, in its first paragraphs) about 绩效 or 自评, and states figures. A 通知
/// about 绩效自评 work is none.
fn reads_as_report(document: &grid::Document, figures: &[claims::ParaFigures]) -> bool {
    let head = document.paragraphs.iter().take(15);
    let titled = head.clone().any(|p| p.text.contains("报告"))
        && !head.clone().any(|p| p.text.contains("通知"));
    let about = document
        .paragraphs
        .iter()
        .any(|p| p.text.contains("绩效") || p.text.contains("自评"));
    titled && about && !figures.is_empty()
}

/// Whether a file is a 自评报告 zpcheck reads (a Word document with a 自评表 among its tables
/// or a report's narrative): a folder walk takes a .docx only then, and lists any other Word
/// file (a 通知, a letter) among the files that are not checked.
pub fn is_report_file(path: &Path, profile: &Profile) -> bool {
    // A Word file that cannot be read is listed with the other files (named, not checked).
    let Ok(workbook) = read::read_path(path) else {
        return false;
    };
    let Some(document) = &workbook.document else {
        return false;
    };
    if !build_forms(&workbook, profile).is_empty() {
        return true;
    }
    let year = claims::report_year(document);
    reads_as_report(document, &claims::figures(document, year))
}

/// Checks a report's narrative against itself and against the first 自评表 among its tables;
/// a Word document with neither a 自评表 nor a figure in words about 绩效 is no report.
fn check_narrative(
    document: &grid::Document,
    forms: &[CheckedForm],
    profile: &Profile,
) -> Result<ReportCheck, InputError> {
    let year = claims::report_year(document).or_else(|| forms.first().and_then(|f| f.form.year));
    let figures = claims::figures(document, year);
    if forms.is_empty() && !reads_as_report(document, &figures) {
        return Err(InputError::NotReport);
    }
    let table = forms
        .iter()
        .find(|f| f.form.funding.is_some())
        .or(forms.first());
    let narrative = rules::text::check(
        &figures,
        table.map(|f| rules::text::TableRef {
            form: &f.form,
            report: &f.report,
        }),
        profile,
    );
    Ok(ReportCheck {
        narrative,
        figures: figures
            .iter()
            .map(|p| (p.paragraph, p.figures.len()))
            .collect(),
        table: table.and_then(|f| grid::document::table_number(&f.form.sheet)),
        year,
        skipped: document.skipped.clone(),
        paragraphs: document.paragraphs.len(),
        tables: document.tables,
        paired_with: None,
        pair_note: None,
    })
}

/// A located form with its model: what [`check_workbook`] checks and what [`explain`] describes,
/// built in one place (a form split over two sheets included).
pub(crate) struct BuiltForm<'a> {
    /// The sheet of the form (of its indicator block, when split).
    pub(crate) sheet: &'a read::Sheet,
    /// Its layout.
    pub(crate) layout: locate::FormLayout,
    /// For a form split over two sheets: the funding block's sheet and layout.
    pub(crate) split: Option<(&'a read::Sheet, locate::FormLayout)>,
    /// The typed model.
    pub(crate) form: Form,
}

/// Every form of a workbook, located and built, in sheet order.
pub(crate) fn build_forms<'a>(workbook: &'a Workbook, profile: &Profile) -> Vec<BuiltForm<'a>> {
    forms_of(workbook, profile)
        .into_iter()
        .map(|(sheet, layout, split)| {
            let form = match &split {
                Some((fsheet, flayout)) => {
                    Form::build_split(fsheet, flayout, sheet, &layout, &profile.vocab)
                }
                None => Form::build(sheet, &layout, &profile.vocab),
            };
            BuiltForm {
                sheet,
                layout,
                split,
                form,
            }
        })
        .collect()
}

/// A located form: its sheet and layout, and, for a form split over two sheets, the sheet and
/// layout of its funding block.
type Located<'a> = (
    &'a read::Sheet,
    locate::FormLayout,
    Option<(&'a read::Sheet, locate::FormLayout)>,
);

/// Every form of a workbook, in sheet order. A sheet holding only a funding block and the next
/// (or previous) sheet holding only an indicator block are one form on two sheets.
pub fn forms_of<'a>(workbook: &'a Workbook, profile: &Profile) -> Vec<Located<'a>> {
    let mut per_sheet: Vec<(&read::Sheet, Vec<locate::FormLayout>)> = workbook
        .sheets
        .iter()
        .filter(|s| !is_findings_sheet(s))
        .map(|sheet| {
            let layouts = locate::locate_with(sheet, &profile.vocab)
                .into_iter()
                .filter(|l| l.funding.is_some() || l.indicators.is_some())
                .collect();
            (sheet, layouts)
        })
        .filter(|(_, l): &(_, Vec<_>)| !l.is_empty())
        .collect();
    let only = |l: &[locate::FormLayout], funding: bool| {
        l.len() == 1
            && if funding {
                l[0].funding.is_some() && l[0].indicators.is_none()
            } else {
                l[0].funding.is_none() && l[0].indicators.is_some()
            }
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < per_sheet.len() {
        if k + 1 < per_sheet.len() {
            let (a, b) = (&per_sheet[k].1, &per_sheet[k + 1].1);
            let pair = if only(a, true) && only(b, false) {
                Some((k, k + 1))
            } else if only(a, false) && only(b, true) {
                Some((k + 1, k))
            } else {
                None
            };
            if let Some((f, i)) = pair {
                let fsheet = per_sheet[f].0;
                let flayout = per_sheet[f].1.remove(0);
                let isheet = per_sheet[i].0;
                let ilayout = per_sheet[i].1.remove(0);
                out.push((isheet, ilayout, Some((fsheet, flayout))));
                k += 2;
                continue;
            }
        }
        let sheet = per_sheet[k].0;
        for layout in std::mem::take(&mut per_sheet[k].1) {
            out.push((sheet, layout, None));
        }
        k += 1;
    }
    out
}

/// Reads and checks a workbook file.
pub fn check_path(path: &Path, profile: &Profile) -> Result<Checked, InputError> {
    check_workbook(read::read_path(path)?, profile)
}

/// Reads and checks a workbook file, reading what `opts` asks for (a read for correcting keeps
/// its [`read::Fidelity`] too: see [`fix_path`]).
pub fn check_path_with(
    path: &Path,
    profile: &Profile,
    opts: read::ReadOptions,
) -> Result<Checked, InputError> {
    check_workbook(read::read_path_with(path, opts)?.workbook, profile)
}

/// Reads and checks a workbook file for correcting it: the checked workbook, and the fidelity
/// bundle [`write::write_corrected`] makes the corrected workbook from.
pub fn fix_path(path: &Path, profile: &Profile) -> Result<(Checked, read::Fidelity), InputError> {
    fix_path_with(
        path,
        profile,
        read::ReadOptions::for_purpose(read::Purpose::Fix),
    )
}

/// [`fix_path`] with the read's options ([`read::Purpose::Rebuild`] reads the looks at once).
pub fn fix_path_with(
    path: &Path,
    profile: &Profile,
    opts: read::ReadOptions,
) -> Result<(Checked, read::Fidelity), InputError> {
    let loaded = read::read_path_with(path, opts)?;
    let fidelity = loaded.fidelity.unwrap_or_default();
    Ok((check_workbook(loaded.workbook, profile)?, fidelity))
}
