//! The summary workbook of a batch (`--summary 汇总.xlsx`): a sheet 汇总 with one row per form
//! (and one per file that could not be read), and a sheet 全部问题 with every finding of every
//! file, file column first. Both sheets have their header frozen and an autofilter, so an
//! auditor can sort and filter hundreds of submissions in Excel or WPS.
//!
//! Rows are collected from [`FileReport`]s as they are reported (a few strings per form and
//! per finding); the workbooks themselves are long gone by then.

use std::path::{Path, PathBuf};

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::InputError;
use crate::num::year_in;
use crate::report::FileReport;
use crate::write::{finding_cells, text_width, write_atomic};

/// The name of the per-form sheet.
pub const FORMS_SHEET: &str = "汇总";
/// The name of the all-findings sheet.
pub const FINDINGS_SHEET: &str = "全部问题";
/// The header of the 汇总 sheet.
pub const FORMS_HEADER: [&str; 16] = [
    "文件",
    "工作表",
    "单位/项目名称",
    "主管部门",
    "实施单位",
    "年度",
    "全年预算数",
    "全年执行数",
    "执行率(%)",
    "申报总分",
    "核算总分",
    "申报等级",
    "核算等级",
    "错误数",
    "警告数",
    "状态",
];
/// The extra column of the 汇总 sheet when corrected workbooks were written.
pub const OUTPUT_HEADER: &str = "更正后文件";
/// The header of the 全部问题 sheet: the 核查结果 sheet's columns with 文件 for 序号.
pub fn findings_header() -> Vec<&'static str> {
    std::iter::once("文件")
        .chain(crate::write::FINDINGS_HEADER[1..].iter().copied())
        .collect()
}

/// One cell value of the summary.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Text(String),
    /// A path, written as a link that opens the file.
    Link(String),
    /// A path, written as text (it wraps at its "/" where a link would not): the findings'.
    Path(String),
    /// A number shown with this many decimals.
    Num(f64, usize),
    Blank,
}

fn text(s: impl Into<String>) -> Val {
    Val::Text(s.into())
}

/// The summary being collected.
#[derive(Debug, Default)]
pub struct Summary {
    forms: Vec<Vec<Val>>,
    /// Each 汇总 row's place in the order: files that could not be read first, then partial
    /// readings, then the rest (in input order within each).
    rank: Vec<u8>,
    findings: Vec<Vec<Val>>,
    /// By 主管部门 (see [`department_of`]; `None` for all files together) and rule: (findings,
    /// files, corrected).
    by_rule: std::collections::BTreeMap<(Option<String>, &'static str), (usize, usize, usize)>,
    with_output: bool,
    /// Files by what became of them, in [`crate::report::Category::ALL`] order.
    categories: Vec<usize>,
    /// Forms by computed grade: 优, 良, 中, 差, 无法确定.
    grades: [usize; 5],
    /// Each form's label (unit or project, else file) with its declared and computed 总分.
    totals: Vec<(String, Option<f64>, Option<f64>)>,
}

/// The name of the overview sheet (its figures and charts).
pub const CHARTS_SHEET: &str = "图表";
/// The most forms the 总分 chart shows (beyond that a chart is unreadable; the 汇总 sheet has
/// them all).
pub const MAX_CHARTED_FORMS: usize = 60;
/// The grades counted on the overview, in order.
pub const GRADES: [&str; 5] = ["优", "良", "中", "差", "无法确定"];

/// The name of the sheet counting findings by rule.
pub const RULES_SHEET: &str = "按规则统计";
/// Its header: the rows of all files together (主管部门 “（全部）”) come first, then each
/// department's, so that filtering the first column shows one department's pattern.
pub const RULES_HEADER: [&str; 7] = [
    "主管部门",
    "规则",
    "名称",
    "级别",
    "问题数",
    "涉及文件数",
    "已更正数",
];
/// The 主管部门 of the rows counting all files together.
pub const ALL_DEPARTMENTS: &str = "（全部）";
/// The 主管部门 of files whose forms name none (nor a 实施单位).
pub const NO_DEPARTMENT: &str = "（未填写）";

/// The department a file's findings are counted under on 按规则统计: its first form's
/// 主管部门, else its 实施单位 (a 部门整体 form names the department itself there).
fn department_of(r: &FileReport) -> String {
    r.forms
        .iter()
        .find_map(|f| f.department.clone().or_else(|| f.unit.clone()))
        .unwrap_or_else(|| NO_DEPARTMENT.to_string())
}

impl Summary {
    /// Counts a file for the overview: its category, its forms' grades and totals.
    fn count(&mut self, r: &FileReport) {
        let all = crate::report::Category::ALL;
        if self.categories.len() < all.len() {
            self.categories.resize(all.len(), 0);
        }
        if let Some(i) = all.iter().position(|c| *c == r.category()) {
            self.categories[i] += 1;
        }
        for f in &r.forms {
            let g = f
                .computed_grade
                .and_then(|g| GRADES.iter().position(|x| *x == g))
                .unwrap_or(4);
            self.grades[g] += 1;
            let label = f
                .name
                .clone()
                .or_else(|| f.unit.clone())
                .unwrap_or_else(|| {
                    r.path
                        .file_name()
                        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
                });
            let num = |d: Option<rust_decimal::Decimal>| d.and_then(|d| d.to_f64());
            self.totals
                .push((label, num(f.claimed_total), num(f.computed_total)));
        }
    }

    /// An empty summary; `fixing` adds the 更正后文件 column.
    pub fn new(fixing: bool) -> Self {
        Summary {
            with_output: fixing,
            ..Summary::default()
        }
    }

    /// Adds a row for a file passed over in a folder (a zpcheck output whose seal holds, beside
    /// its source), with why: the auditor sees every file the batch met.
    pub fn add_skipped(&mut self, path: &std::path::Path, why: &str) {
        let mut row = vec![Val::Link(path.display().to_string())];
        row.extend(std::iter::repeat_n(Val::Blank, FORMS_HEADER.len() - 2));
        row.push(text(format!("跳过：{why}")));
        if self.with_output {
            row.push(Val::Blank);
        }
        self.forms.push(row);
        self.rank.push(3);
    }

    /// Adds one file's rows.
    pub fn add(&mut self, r: &FileReport) {
        let file = r.path.display().to_string();
        self.count(r);
        let output = || match &r.output {
            Some(p) => Val::Link(p.display().to_string()),
            None => Val::Blank,
        };
        let rank = match r.category() {
            crate::report::Category::Unreadable
            | crate::report::Category::NoForm
            | crate::report::Category::WriteFailed => 0,
            crate::report::Category::Partial => 1,
            _ => 2,
        };
        let mut seen = std::collections::HashSet::new();
        let department = (!r.findings.is_empty()).then(|| department_of(r));
        for f in &r.findings {
            let first = seen.insert(f.rule);
            for key in [None, department.clone()] {
                let entry = self.by_rule.entry((key, f.rule)).or_default();
                entry.0 += 1;
                if first {
                    entry.1 += 1;
                }
                if f.fixed() && r.output.is_some() {
                    entry.2 += 1;
                }
            }
        }
        let before = self.forms.len();
        if let Some(facts) = r.report.as_ref().filter(|_| r.error.is_none()) {
            // The report's narrative: one row, with its pairing.
            let narrative: Vec<&crate::Finding> =
                r.findings.iter().filter(|f| f.text.is_some()).collect();
            let errors = narrative.iter().filter(|f| f.is_error()).count();
            let warnings = narrative
                .iter()
                .filter(|f| f.counted() == Some(crate::finding::Severity::Warning))
                .count();
            let pairing = match (&r.paired_with, &facts.pair_note) {
                (Some(p), _) => format!("；与 {} 配对核对", p.display()),
                (None, Some(note)) => format!("；{note}"),
                (None, None) => String::new(),
            };
            let mut row = vec![Val::Link(file.clone()), text("正文（自评报告）")];
            row.extend(std::iter::repeat_n(Val::Blank, 3));
            row.push(
                facts
                    .year
                    .map(|y| Val::Num(f64::from(y), 0))
                    .unwrap_or(Val::Blank),
            );
            row.extend(std::iter::repeat_n(Val::Blank, 7));
            row.push(Val::Num(errors as f64, 0));
            row.push(Val::Num(warnings as f64, 0));
            row.push(text(format!(
                "自评报告：读出数字 {} 个，{}{pairing}",
                facts.claims,
                match facts.table {
                    Some(n) => format!("表{n}为自评表"),
                    None => "没有自评表".to_string(),
                }
            )));
            if self.with_output {
                row.push(output());
            }
            self.forms.push(row);
        } else if r.forms.is_empty() {
            let message = r.error.as_ref().map(|e| e.message.as_str()).unwrap_or("");
            let mut row = vec![Val::Link(file.clone())];
            row.extend(std::iter::repeat_n(Val::Blank, FORMS_HEADER.len() - 2));
            row.push(text(format!("{}：{message}", r.category().label())));
            if self.with_output {
                row.push(Val::Blank);
            }
            self.forms.push(row);
        }
        let file_year = r
            .path
            .file_name()
            .and_then(|n| year_in(&n.to_string_lossy()));
        for f in &r.forms {
            let score = |d: Option<rust_decimal::Decimal>| match d.and_then(|d| d.to_f64()) {
                Some(x) => Val::Num(x, 2),
                None => Val::Blank,
            };
            let status = match (&r.error, f.errors, f.warnings) {
                (Some(e), _, _) => e.message.clone(),
                (None, 0, 0) => "无误".to_string(),
                (None, 0, _) => "仅有警告".to_string(),
                (None, _, _) => "有错误".to_string(),
            };
            let status = if f.complete || r.error.is_some() {
                status
            } else {
                format!("部分核查；{status}")
            };
            let mut row = vec![
                Val::Link(file.clone()),
                text(&f.sheet),
                f.name.clone().map(Val::Text).unwrap_or(Val::Blank),
                f.department.clone().map(Val::Text).unwrap_or(Val::Blank),
                f.unit.clone().map(Val::Text).unwrap_or(Val::Blank),
                f.year
                    .or(file_year)
                    .map(|y| Val::Num(f64::from(y), 0))
                    .unwrap_or(Val::Blank),
                score(f.budget),
                score(f.execution),
                score(f.rate),
                score(f.claimed_total),
                score(f.computed_total),
                f.declared_grade
                    .clone()
                    .map(Val::Text)
                    .unwrap_or(Val::Blank),
                f.computed_grade.map(text).unwrap_or(Val::Blank),
                Val::Num(f.errors as f64, 0),
                Val::Num(f.warnings as f64, 0),
                text(status),
            ];
            if self.with_output {
                row.push(output());
            }
            self.forms.push(row);
        }
        self.rank
            .extend(std::iter::repeat_n(rank, self.forms.len() - before));
        for f in &r.findings {
            let mut row = vec![Val::Path(file.clone())];
            let mut cells = finding_cells(f);
            if r.report.is_some() {
                // Nothing in a report is corrected.
                cells[7] = "否".to_string();
            }
            row.extend(cells.into_iter().map(Val::Text));
            self.findings.push(row);
        }
    }

    /// Number of rows on the 汇总 sheet (forms and unreadable files).
    pub fn form_rows(&self) -> usize {
        self.forms.len()
    }

    /// The summary workbook's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        let mut wb = Workbook::new();
        let props = DocProperties::new()
            .set_title("zpcheck 核查汇总")
            .set_custom_property(
                crate::ooxml::names::MARKER_SUMMARY,
                env!("CARGO_PKG_VERSION"),
            );
        wb.set_properties(&props);
        let mut header: Vec<&str> = FORMS_HEADER.to_vec();
        if self.with_output {
            header.push(OUTPUT_HEADER);
        }
        // Files that could not be read, then partial readings, then the rest.
        let mut order: Vec<usize> = (0..self.forms.len()).collect();
        order.sort_by_key(|&i| self.rank.get(i).copied().unwrap_or(2));
        let forms: Vec<Vec<Val>> = order.iter().map(|&i| self.forms[i].clone()).collect();
        let links = forms
            .iter()
            .chain(&self.findings)
            .flat_map(|row| row.iter())
            .filter_map(|v| match v {
                Val::Link(p) | Val::Path(p) => Some(p.as_str()),
                _ => None,
            });
        let root = common_folder(links);
        let root = root.as_deref();
        let ws = wb.add_worksheet();
        fill_sheet(ws, FORMS_SHEET, &header, &forms, &[], root)?;
        let ws = wb.add_worksheet();
        fill_sheet(
            ws,
            FINDINGS_SHEET,
            &findings_header(),
            &self.findings,
            &[7],
            root,
        )?;
        let rules: Vec<Vec<Val>> = self
            .by_rule
            .iter()
            .map(|((department, code), (n, files, fixed))| {
                let rule = crate::rules::rule(code);
                vec![
                    text(department.as_deref().unwrap_or(ALL_DEPARTMENTS)),
                    text(*code),
                    text(rule.map_or("", |r| r.title)),
                    text(rule.map_or("", |r| r.severity.label())),
                    Val::Num(*n as f64, 0),
                    Val::Num(*files as f64, 0),
                    Val::Num(*fixed as f64, 0),
                ]
            })
            .collect();
        let ws = wb.add_worksheet();
        fill_sheet(ws, RULES_SHEET, &RULES_HEADER, &rules, &[], root)?;
        let ws = wb.add_worksheet();
        self.overview(ws).map_err(|e| e.to_string())?;
        let bytes = wb.save_to_buffer().map_err(|e| e.to_string())?;
        // Sealed, so that a later run replaces it only while nobody has changed it.
        crate::write::seal::seal(&bytes, &crate::write::seal::Source::default())
    }

    /// The overview sheet: four small tables and a native chart beside each — files by what
    /// became of them, forms by grade, declared against recomputed 总分 per form, findings per
    /// rule (all files together).
    fn overview(&self, ws: &mut Worksheet) -> Result<(), rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Chart, ChartType};
        ws.set_name(CHARTS_SHEET)?;
        let head = Format::new().set_bold().set_font_name("宋体");
        let body = Format::new().set_font_name("宋体");
        ws.set_column_width(0, 24)?;
        ws.set_column_width(1, 10)?;
        ws.set_column_width(2, 10)?;
        // Each block: a title row, a header row, its rows; charts stand to the right.
        let mut row = 0u32;
        let mut block = |ws: &mut Worksheet,
                         title: &str,
                         header: &[&str],
                         rows: &[(String, Vec<Option<f64>>)],
                         kind: ChartType|
         -> Result<(), rust_xlsxwriter::XlsxError> {
            ws.write_string_with_format(row, 0, title, &head)?;
            for (c, h) in header.iter().enumerate() {
                ws.write_string_with_format(row + 1, c as u16, *h, &head)?;
            }
            let first = row + 2;
            for (i, (label, values)) in rows.iter().enumerate() {
                let r = first + i as u32;
                ws.write_string_with_format(r, 0, crate::write::fit_cell(label).as_ref(), &body)?;
                for (c, v) in values.iter().enumerate() {
                    if let Some(v) = v {
                        ws.write_number_with_format(r, c as u16 + 1, *v, &body)?;
                    }
                }
            }
            let last = first + rows.len().max(1) as u32 - 1;
            let mut chart = Chart::new(kind);
            for (c, name) in header.iter().enumerate().skip(1) {
                chart
                    .add_series()
                    .set_name(*name)
                    .set_categories((CHARTS_SHEET, first, 0, last, 0))
                    .set_values((CHARTS_SHEET, first, c as u16, last, c as u16));
            }
            chart.title().set_name(title);
            chart.set_width(560).set_height(300);
            let pie = matches!(kind, ChartType::Pie);
            if header.len() == 2 && !pie {
                // One series: its name is the title's; counts and scores from 0.
                chart.legend().set_hidden();
            }
            if !pie {
                chart.y_axis().set_min(0);
            }
            ws.insert_chart(row, 4, &chart)?;
            // The next block below the taller of its table and its chart (300 px ≈ 15 rows).
            row = (last + 2).max(row + 17);
            Ok(())
        };
        let categories: Vec<(String, Vec<Option<f64>>)> = crate::report::Category::ALL
            .iter()
            .zip(self.categories.iter().chain(std::iter::repeat(&0)))
            .map(|(c, n)| (c.label().to_string(), vec![Some(*n as f64)]))
            .collect();
        block(
            ws,
            "文件按核查结果",
            &["结果", "文件数"],
            &categories,
            ChartType::Column,
        )?;
        let grades: Vec<(String, Vec<Option<f64>>)> = GRADES
            .iter()
            .zip(self.grades)
            .map(|(g, n)| (g.to_string(), vec![Some(n as f64)]))
            .collect();
        block(
            ws,
            "自评表按核算等级",
            &["等级", "表数"],
            &grades,
            ChartType::Pie,
        )?;
        let totals: Vec<(String, Vec<Option<f64>>)> = self
            .totals
            .iter()
            .take(MAX_CHARTED_FORMS)
            .map(|(label, claimed, computed)| (label.clone(), vec![*claimed, *computed]))
            .collect();
        let title = if self.totals.len() > MAX_CHARTED_FORMS {
            format!("申报总分与核算总分（前 {MAX_CHARTED_FORMS} 张表，全部见“汇总”）")
        } else {
            "申报总分与核算总分".to_string()
        };
        block(
            ws,
            &title,
            &["单位/项目", "申报总分", "核算总分"],
            &totals,
            ChartType::Column,
        )?;
        let rules: Vec<(String, Vec<Option<f64>>)> = self
            .by_rule
            .iter()
            .filter(|((department, _), _)| department.is_none())
            .map(|((_, code), (n, _, _))| {
                let title = crate::rules::rule(code).map_or("", |r| r.title);
                (format!("{code} {title}"), vec![Some(*n as f64)])
            })
            .collect();
        block(
            ws,
            "问题按规则",
            &["规则", "问题数"],
            &rules,
            ChartType::Bar,
        )?;
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        Ok(())
    }

    /// Writes the summary workbook to `out` atomically.
    pub fn write(&self, out: &Path) -> Result<(), InputError> {
        let bytes = self.to_bytes().map_err(|reason| InputError::Write {
            path: out.to_path_buf(),
            reason,
        })?;
        write_atomic(&bytes, out)
    }
}

/// The width (in characters) of a wrapped column.
const WRAPPED_WIDTH: usize = 60;

/// A `file:///` link to a path, absolute; none when the file is not there to point at.
fn file_url(path: &str) -> Option<String> {
    let abs = std::fs::canonicalize(path).ok()?;
    let text = abs.to_string_lossy().replace('\\', "/");
    // Windows' verbatim prefix (\\?\C:\…) is not part of a link: file:///C:/…. A Unix path
    // keeps its leading "/" (file:////tmp/…): rust_xlsxwriter takes what follows file:/// as
    // the target, and "/tmp/…" is absolute where "tmp/…" would be relative to the summary.
    let text = text.strip_prefix("//?/").unwrap_or(&text);
    Some(format!("file:///{text}"))
}

/// The widest a sheet's columns may add up to (in character widths, before rust_xlsxwriter's
/// 0.71 per column) for it to print one page wide on A4 landscape at 8 pt or more (76% of the
/// 10.5 pt the sheets use), with 0.25-inch side margins: 806 pt across. Excel gives a character
/// of column width 7 px (5.25 pt); LibreOffice measured about 7 pt (the samples' 汇总, 149
/// characters wide, printed at 8.1 pt), so the budget is set for it: 806 ÷ 0.76 ÷ 7 ≈ 150,
/// less 16 × 0.71. Columns are narrowed (and wrap) only so far: a path keeps 20 characters,
/// other text 8, numbers their width.
pub const PRINT_WIDTH_BUDGET: f64 = 138.0;

/// The narrowest a text column is made to fit the budget (it wraps instead).
const MIN_WRAPPED_WIDTH: f64 = 8.0;

/// Each column's width and whether it wraps: as wide as its content (up to 50), the widest
/// text columns narrowed and wrapped until the sheet fits [`PRINT_WIDTH_BUDGET`].
fn column_layout(
    header: &[&str],
    rows: &[Vec<Val>],
    wrapped: &[usize],
    root: Option<&Path>,
) -> Vec<(f64, bool)> {
    const MAX_WIDTH: f64 = 50.0;
    // A header wraps onto two lines: half its width is enough.
    let mut widths: Vec<f64> = header
        .iter()
        .map(|h| (text_width(h).div_ceil(2) as f64 + 3.0).min(12.0))
        .collect();
    let mut texty = vec![false; header.len()];
    // Paths (file names without spaces) do not wrap in every program: narrowed last.
    let mut linky = vec![false; header.len()];
    for row in rows {
        for (c, v) in row.iter().enumerate().take(header.len()) {
            let shown;
            let t = match v {
                Val::Text(t) => t,
                Val::Link(t) => {
                    linky[c] = true;
                    shown = shown_path(t, root);
                    &shown
                }
                Val::Path(t) => {
                    shown = shown_path(t, root);
                    &shown
                }
                Val::Num(x, dp) => {
                    let shown = format!("{x:.*}", *dp);
                    widths[c] = widths[c].max(shown.len() as f64 + 2.0);
                    continue;
                }
                Val::Blank => continue,
            };
            texty[c] = true;
            let t: &str = &crate::write::fit_cell(t);
            widths[c] = widths[c].max((text_width(t) as f64 + 2.0).min(MAX_WIDTH));
        }
    }
    let mut layout: Vec<(f64, bool)> = widths
        .iter()
        .enumerate()
        .map(|(c, w)| {
            if wrapped.contains(&c) {
                (WRAPPED_WIDTH as f64, true)
            } else {
                (*w, false)
            }
        })
        .collect();
    // Narrow the widest text column a step at a time (it wraps) until the sheet fits.
    loop {
        let total: f64 = layout.iter().map(|(w, _)| w).sum();
        if total <= PRINT_WIDTH_BUDGET {
            break;
        }
        // A path is not narrowed below 20 characters (most file names stay legible).
        let floor = |c: usize| if linky[c] { 20.0 } else { MIN_WRAPPED_WIDTH };
        let narrowable =
            |c: &usize, links: bool| texty[*c] && linky[*c] == links && layout[*c].0 > floor(*c);
        let widest_of = |links: bool| {
            (0..layout.len())
                .filter(|c| narrowable(c, links))
                .max_by(|&a, &b| layout[a].0.total_cmp(&layout[b].0))
        };
        let widest = widest_of(false).or_else(|| widest_of(true));
        let Some(c) = widest else { break };
        let over = total - PRINT_WIDTH_BUDGET;
        let next = (layout[c].0 - over.min(layout[c].0 / 4.0).max(1.0)).max(floor(c));
        layout[c] = (next.floor(), true);
    }
    layout
}

/// How many lines a wrapped cell takes in a column `width` characters wide.
fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = (width as usize).saturating_sub(1).max(1);
    text.lines()
        .map(|l| text_width(l).div_ceil(per_line).max(1))
        .sum::<usize>()
        .max(1)
}

/// The folder every file of the summary is in (the deepest one they share), when they share
/// one: the sheets show each file's path from there, and the printed pages name it.
fn common_folder<'a>(paths: impl Iterator<Item = &'a str>) -> Option<PathBuf> {
    let mut common: Option<PathBuf> = None;
    for p in paths {
        let parent = Path::new(p).parent()?.to_path_buf();
        common = Some(match common {
            None => parent,
            Some(c) => c
                .components()
                .zip(parent.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common.filter(|c| !c.as_os_str().is_empty())
}

/// A file's path as the summary shows it: from the folder the files share (the whole path is
/// the link's target and its tip).
fn shown_path(path: &str, root: Option<&Path>) -> String {
    root.and_then(|r| Path::new(path).strip_prefix(r).ok())
        .filter(|rel| !rel.as_os_str().is_empty())
        .map_or_else(|| path.to_string(), |rel| rel.display().to_string())
}

fn fill_sheet(
    ws: &mut Worksheet,
    name: &str,
    header: &[&str],
    rows: &[Vec<Val>],
    wrapped: &[usize],
    root: Option<&Path>,
) -> Result<(), String> {
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    ws.set_name(name).map_err(err)?;
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_size(10.5)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let head = base
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color(0xD9E1F2);
    let wrap = base.clone().set_text_wrap();
    let decimals = [
        base.clone().set_num_format("0"),
        base.clone().set_num_format("0.0"),
        base.clone().set_num_format("0.00"),
    ];
    let layout = column_layout(header, rows, wrapped, root);
    let wraps = |c: usize| layout.get(c).is_some_and(|l| l.1);
    let head_lines = header
        .iter()
        .enumerate()
        .map(|(c, h)| wrapped_lines(h, layout.get(c).map_or(12.0, |l| l.0)))
        .max()
        .unwrap_or(1);
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)
            .map_err(err)?;
    }
    if head_lines > 1 {
        ws.set_row_height(0, head_lines as f64 * 13.5 + 3.0)
            .map_err(err)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let col = c as u16;
            let f = if wraps(c) { &wrap } else { &base };
            match v {
                Val::Text(t) => {
                    let t: &str = &crate::write::fit_cell(t);
                    ws.write_string_with_format(r, col, t, f).map_err(err)?;
                }
                Val::Path(p) => {
                    let shown = shown_path(p, root);
                    let t: &str = &crate::write::fit_cell(&shown);
                    ws.write_string_with_format(r, col, t, f).map_err(err)?;
                }
                Val::Num(x, dp) => {
                    ws.write_number_with_format(r, col, *x, &decimals[(*dp).min(2)])
                        .map_err(err)?;
                }
                Val::Link(path) => {
                    let shown = shown_path(path, root);
                    let t: &str = &crate::write::fit_cell(&shown);
                    let link = file_url(path).map(|u| {
                        rust_xlsxwriter::Url::new(u)
                            .set_text(t)
                            .set_tip(crate::write::fit_cell(path).as_ref())
                    });
                    let linked = link.map(|u| ws.write_url_with_format(r, col, u, f));
                    if !matches!(linked, Some(Ok(_))) {
                        // No link Excel takes (too long, or no such file to point at): text.
                        ws.write_string_with_format(r, col, t, f).map_err(err)?;
                    }
                }
                Val::Blank => {
                    ws.write_blank(r, col, &base).map_err(err)?;
                }
            }
        }
        // A row whose wrapped text needs more than one line is made tall enough for it, so
        // that printed rows do not overprint each other.
        let lines = row
            .iter()
            .enumerate()
            .filter(|(c, _)| wraps(*c))
            .filter_map(|(c, v)| match v {
                Val::Text(t) => Some(wrapped_lines(t, layout[c].0)),
                Val::Link(t) | Val::Path(t) => {
                    Some(wrapped_lines(&shown_path(t, root), layout[c].0))
                }
                _ => None,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(r, (lines as f64 * 13.5 + 3.0).min(409.0))
                .map_err(err)?;
        }
    }
    for (c, (w, _)) in layout.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    // Printed: A4 landscape, one page wide (the columns fit PRINT_WIDTH_BUDGET, so the text
    // prints at 8 pt or more), the header on every page, narrow margins.
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.25, 0.25, 0.5, 0.5, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    // Each printed page names the folder the paths start from, and its number.
    let folder = root.map_or(String::new(), |r| {
        format!(
            "&L核查文件夹：{}",
            r.display().to_string().replace('&', "&&")
        )
    });
    ws.set_header(format!("{folder}&R第 &P 页，共 &N 页"));
    ws.set_repeat_rows(0, 0).map_err(err)?;
    let last_row = rows.len().max(1) as u32;
    ws.autofilter(0, 0, last_row, header.len().saturating_sub(1) as u16)
        .map_err(err)?;
    Ok(())
}
