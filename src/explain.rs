//! `zpcheck explain FILE`: what zpcheck understood of each form, so that a finance officer who
//! meets a new template sees at once which column was taken for which role and from which
//! header text, which rows are the funding total and parts, every indicator with its groups and
//! where its weight came from, the 总分 and grade cells, and everything not recognised.
//!
//! The same description is given as text (Chinese) and as JSON; both are built from one
//! [`Explained`] value, computed from the locator's layouts and the forms built from them.

use serde::Serialize;

use crate::form::{Base, Form};
use crate::grid::CellRef;
use crate::locate::{Column, FormLayout};
use crate::read::Workbook;
use crate::rules::Profile;
use crate::vocab::stated_points;

/// One recognised column.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedColumn {
    /// Its column letter.
    pub column: String,
    /// The role taken.
    pub role: &'static str,
    /// The header cell that decided it.
    pub header_cell: String,
    /// The header text.
    pub header: String,
    /// The vocabulary word the header contains.
    pub word: String,
}

/// One indicator row.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedIndicator {
    /// Its row (1-based).
    pub row: u32,
    /// 三级指标.
    pub name: String,
    /// 一级 group and where its label stands.
    pub level1: String,
    /// The 一级 label cell.
    pub level1_cell: String,
    /// 二级 group.
    pub level2: String,
    /// Where the weight came from: a cell, or the group's label.
    pub weight_from: String,
    /// Why its numbers are not compared (ZP010), when they are not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_compared: Option<String>,
}

/// One form.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedForm {
    /// The sheet.
    pub sheet: String,
    /// Its title.
    pub title: String,
    /// The cell range the form covers.
    pub range: String,
    /// Whether it was read completely.
    pub complete: bool,
    /// The funding block's header rows (1-based, top and bottom).
    pub funding_header_rows: Option<(u32, u32)>,
    /// Its columns.
    pub funding_columns: Vec<ExplainedColumn>,
    /// The rate's denominator.
    pub rate_base: Option<&'static str>,
    /// The execution weight and where it comes from.
    pub execution_weight_from: Option<String>,
    /// The funding total row (1-based) and its label.
    pub funding_total: Option<(u32, String)>,
    /// The part rows (1-based) and their labels.
    pub funding_parts: Vec<(u32, String)>,
    /// The indicator block's header rows (1-based, top and bottom).
    pub indicator_header_rows: Option<(u32, u32)>,
    /// Its columns.
    pub indicator_columns: Vec<ExplainedColumn>,
    /// Every indicator.
    pub indicators: Vec<ExplainedIndicator>,
    /// The arithmetic of the block's derived columns (权重占比, 折算得分, 得分系数, 完成率,
    /// 偏差率), one line each, with the columns it uses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derived: Vec<String>,
    /// Rows of the block that are not indicators, and why.
    pub skipped_rows: Vec<(u32, &'static str)>,
    /// The 总分 row's score cell.
    pub total_score_cell: Option<String>,
    /// The 总分 row's weight cell.
    pub total_weight_cell: Option<String>,
    /// The grade cell.
    pub grade_cell: Option<String>,
    /// How the total row's 执行率 cell holds its rate (fraction, percent number, percent
    /// format, text), and what told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_held: Option<String>,
    /// Every indicator score and 总分 blank: the form was never scored (ZP211).
    pub never_scored: bool,
    /// Header texts that gave no role.
    pub unrecognised_headers: Vec<(String, String)>,
    /// What could not be read.
    pub unread: Vec<String>,
}

/// What zpcheck understood of a workbook.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    /// The profile in force: its name and values (see [`crate::profile::summary`]).
    pub profile: String,
    /// Every form found.
    pub forms: Vec<ExplainedForm>,
    /// For a report: its tables and the figures its paragraphs state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ExplainedReport>,
}

fn columns(cols: &[Column]) -> Vec<ExplainedColumn> {
    cols.iter()
        .map(|c| ExplainedColumn {
            column: CellRef::col_name(c.col),
            role: c.role.name(),
            header_cell: c.cell.to_string(),
            header: c.header.replace(['\n', '\r'], ""),
            word: c.word.clone(),
        })
        .collect()
}

fn explain_form(sheet: &crate::read::Sheet, layout: &FormLayout, form: &Form) -> ExplainedForm {
    let f = layout.funding.as_ref();
    let i = layout.indicators.as_ref();
    let max_col = sheet.max_col();
    let range = format!(
        "{}:{}",
        CellRef::new(form.rows.0, 0),
        CellRef::new(form.rows.1, max_col)
    );
    let funding = form.funding.as_ref();
    let execution_weight_from = funding.and_then(|fd| {
        let cell = fd.total.weight.as_ref().filter(|w| !w.is_empty());
        match (cell, fd.stated_weight) {
            (Some(w), _) => Some(format!("{} 单元格（{}）", w.cell, w.shown())),
            (None, Some((d, at))) => Some(format!(
                "{at}「{}」标注的 {} 分",
                sheet.text(at),
                crate::num::fmt_dec(d)
            )),
            _ => None,
        }
    });
    let indicators = form
        .indicators
        .iter()
        .map(|ind| ExplainedIndicator {
            row: ind.score.cell.row + 1,
            name: ind.name.clone(),
            level1: ind.level1.clone(),
            level1_cell: ind.level1_cell.to_string(),
            level2: ind.level2.clone(),
            not_compared: None,
            weight_from: match (&ind.weight, &ind.derived.share) {
                (Some(w), _) => format!("{} 单元格（{}）", w.cell, w.shown()),
                (None, Some(share)) if form.derived_cols.scaled.is_some() => {
                    format!("权重占比 {}（{}）", share.cell, share.shown())
                }
                (None, _) => match stated_points(&ind.level1) {
                    Some(p) => format!(
                        "没有分值列：一级指标 {} 标注 {} 分（本组合计）",
                        ind.level1_cell,
                        crate::num::fmt_dec(p)
                    ),
                    None => "没有分值".to_string(),
                },
            },
        })
        .collect();
    let rows1 = |r: u32| r + 1;
    ExplainedForm {
        sheet: sheet.name.clone(),
        title: form.title.clone(),
        range,
        complete: form.complete(),
        funding_header_rows: f.map(|f| (rows1(f.header_top()), rows1(f.header_row))),
        funding_columns: f.map(|f| columns(&f.columns)).unwrap_or_default(),
        rate_base: funding.map(|fd| match fd.base {
            Base::Full => "全年预算数",
            Base::Initial => "年初预算数",
        }),
        execution_weight_from,
        funding_total: funding.map(|fd| (rows1(fd.total.exec.cell.row), fd.total.label.clone())),
        funding_parts: funding
            .map(|fd| {
                fd.parts
                    .iter()
                    .map(|p| (rows1(p.exec.cell.row), p.label.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        indicator_header_rows: i.map(|i| (rows1(i.header_top), rows1(i.header_row))),
        indicator_columns: i.map(|i| columns(&i.columns)).unwrap_or_default(),
        indicators,
        derived: derived_lines(form),
        skipped_rows: i
            .map(|i| {
                i.skipped
                    .iter()
                    .map(|(r, s)| (rows1(*r), s.label()))
                    .collect()
            })
            .unwrap_or_default(),
        total_score_cell: form.total.as_ref().map(|t| t.score.cell.to_string()),
        total_weight_cell: form
            .total
            .as_ref()
            .and_then(|t| t.weight.as_ref())
            .map(|w| w.cell.to_string()),
        grade_cell: form.grade.as_ref().map(|g| g.cell.to_string()),
        rate_held: None,
        never_scored: false,
        unrecognised_headers: layout
            .unknown_headers
            .iter()
            .map(|(c, t)| (c.to_string(), t.replace(['\n', '\r'], "")))
            .collect(),
        unread: form.unread.iter().map(|u| u.what.clone()).collect(),
    }
}

/// One figure a report's paragraph states, as read.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedFigure {
    /// The claim as written.
    pub quote: String,
    /// The value in its base unit (万元 for money, percent for a rate), a decimal string.
    pub value: String,
    /// What it was read as: 金额, 百分比, 分, 天, 个数, 单价.
    pub kind: &'static str,
    /// The words before it that say what it is.
    pub label: String,
    /// Left out of comparisons: another year, or approximate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_compared: Option<&'static str>,
}

/// What was read of a report (a Word document).
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedReport {
    /// The report's year, as its text names it.
    pub year: Option<u16>,
    /// Its tables: (N of "表N", whether it was recognised as a 自评表).
    pub tables: Vec<(u32, bool)>,
    /// The table its words are held to.
    pub form_table: Option<u32>,
    /// Per paragraph with figures (1-based): its figures.
    pub paragraphs: Vec<(usize, Vec<ExplainedFigure>)>,
    /// What was not read.
    pub skipped: Vec<&'static str>,
}

fn explain_report(workbook: &Workbook, forms: &[ExplainedForm]) -> Option<ExplainedReport> {
    let document = workbook.document.as_ref()?;
    let year = crate::claims::report_year(document);
    let is_form = |n: u32| {
        let name = crate::grid::document::table_sheet_name(n);
        forms.iter().any(|f| f.sheet == name)
    };
    let tables: Vec<(u32, bool)> = (1..=document.tables).map(|n| (n, is_form(n))).collect();
    let paragraphs = crate::claims::figures(document, year)
        .into_iter()
        .map(|p| {
            let figures = p
                .figures
                .iter()
                .map(|f| ExplainedFigure {
                    quote: f.quote.to_string(),
                    value: crate::num::fmt_dec(f.value),
                    kind: match f.unit {
                        crate::claims::Unit::Money { .. } => "金额（万元）",
                        crate::claims::Unit::Percent => "百分比",
                        crate::claims::Unit::Score => "分",
                        crate::claims::Unit::Days => "天数",
                        crate::claims::Unit::Count(_) => "个数",
                        crate::claims::Unit::Price { .. } => "单价（万元）",
                    },
                    label: f.label.to_string(),
                    not_compared: if f.other_year {
                        Some("上年或其他年度")
                    } else if f.approx {
                        Some("约数")
                    } else {
                        None
                    },
                })
                .collect();
            (p.paragraph, figures)
        })
        .collect();
    Some(ExplainedReport {
        year,
        form_table: tables.iter().find(|t| t.1).map(|t| t.0),
        tables,
        paragraphs,
        skipped: document.skipped.clone(),
    })
}

/// Describes every form of a workbook.
pub fn explain(workbook: &Workbook, profile: &Profile) -> Explained {
    let mut forms = Vec::new();
    for b in crate::build_forms(workbook, profile) {
        let (sheet, layout, form) = (b.sheet, &b.layout, &b.form);
        let mut e = explain_form(sheet, layout, form);
        with_readings(&mut e, form, profile);
        if let Some((fsheet, flayout)) = &b.split {
            // The funding block's part of the description comes from its own sheet.
            let f = explain_form(fsheet, flayout, form);
            e.sheet = format!("{}（资金块在工作表 {}）", sheet.name, fsheet.name);
            e.funding_header_rows = f.funding_header_rows;
            e.funding_columns = f.funding_columns;
            e.unrecognised_headers.extend(f.unrecognised_headers);
        }
        forms.push(e);
    }
    Explained {
        profile: crate::profile::summary(profile),
        report: explain_report(workbook, &forms),
        forms,
    }
}

/// What the rules will make of the values: how the rate is held, numbers not compared, a form
/// never scored.
fn with_readings(e: &mut ExplainedForm, form: &Form, profile: &Profile) {
    e.rate_held = form
        .funding
        .as_ref()
        .and_then(crate::rules::funding::rate_reading);
    e.never_scored = crate::rules::indicators::never_scored(form);
    for (x, ind) in e.indicators.iter_mut().zip(&form.indicators) {
        x.not_compared = crate::rules::indicators::uncompared(ind, &profile.vocab)
            .map(|(cell, why)| format!("{cell} {why}"));
    }
}

fn column_lines(out: &mut String, cols: &[ExplainedColumn]) {
    for c in cols {
        out.push_str(&format!(
            "    {} 列 → {}：表头 {}「{}」（含“{}”）\n",
            c.column, c.role, c.header_cell, c.header, c.word
        ));
    }
}

/// The Chinese text of an explanation.
pub fn text(path: &str, e: &Explained) -> String {
    let mut out = format!("文件：{path}\n{}\n", e.profile);
    if let Some(r) = &e.report {
        out.push_str(&report_text(r));
    }
    if e.forms.is_empty() && e.report.is_some() {
        out.push_str("报告的表格中没有自评表：正文只按自身的数字核对。\n");
    } else if e.forms.is_empty() {
        out.push_str("没有找到自评表：没有含预算数/执行数或一级/二级/三级指标的表头。\n");
    }
    for (k, f) in e.forms.iter().enumerate() {
        out.push_str(&format!(
            "\n表 {}「{}」：工作表 {}，{}，{}\n",
            k + 1,
            f.title,
            f.sheet,
            f.range,
            if f.complete {
                "完整识别"
            } else {
                "部分识别（部分核查）"
            }
        ));
        match f.funding_header_rows {
            Some((top, bottom)) => {
                let rows = if top == bottom {
                    format!("第 {bottom} 行")
                } else {
                    format!("第 {top}–{bottom} 行")
                };
                out.push_str(&format!("  资金块：表头{rows}\n"));
                column_lines(&mut out, &f.funding_columns);
                if let Some(b) = f.rate_base {
                    out.push_str(&format!("    执行率 = 全年执行数 ÷ {b}\n"));
                }
                if let Some(held) = &f.rate_held {
                    out.push_str(&format!("    执行率写法：{held}\n"));
                }
                match &f.execution_weight_from {
                    Some(w) => out.push_str(&format!("    执行率分值：{w}\n")),
                    None => out.push_str("    执行率分值：没有\n"),
                }
                if let Some((r, l)) = &f.funding_total {
                    out.push_str(&format!("    合计行：第 {r} 行「{l}」\n"));
                }
                for (r, l) in &f.funding_parts {
                    out.push_str(&format!("    分项：第 {r} 行「{l}」\n"));
                }
            }
            None => out.push_str("  资金块：没有找到\n"),
        }
        match f.indicator_header_rows {
            Some((top, bottom)) => {
                let rows = if top == bottom {
                    format!("第 {bottom} 行")
                } else {
                    format!("第 {top}–{bottom} 行")
                };
                out.push_str(&format!("  指标块：表头{rows}\n"));
                column_lines(&mut out, &f.indicator_columns);
                out.push_str(&format!("    指标 {} 个：\n", f.indicators.len()));
                for i in &f.indicators {
                    out.push_str(&format!(
                        "      第 {} 行「{}」：一级 {}（{}）/ 二级 {}；分值：{}\n",
                        i.row,
                        i.name,
                        if i.level1.is_empty() {
                            "（无）"
                        } else {
                            &i.level1
                        },
                        i.level1_cell,
                        if i.level2.is_empty() {
                            "（无）"
                        } else {
                            &i.level2
                        },
                        i.weight_from
                    ));
                    if let Some(why) = &i.not_compared {
                        out.push_str(&format!("        数值未比较（ZP010 提示）：{why}\n"));
                    }
                }
                for line in &f.derived {
                    out.push_str(&format!("    {line}\n"));
                }
                if f.never_scored {
                    out.push_str(
                        "    得分：各指标得分和总分全部空白——本表未进行自评打分（ZP211）：不核算、不写入得分、总分和等级\n",
                    );
                }
                for (r, why) in &f.skipped_rows {
                    out.push_str(&format!("    第 {r} 行：{why}\n"));
                }
                match (&f.total_score_cell, &f.total_weight_cell) {
                    (Some(s), Some(w)) => {
                        out.push_str(&format!("    总分行：得分 {s}，分值 {w}\n"))
                    }
                    (Some(s), None) => out.push_str(&format!("    总分行：得分 {s}\n")),
                    _ => out.push_str("    总分行：没有\n"),
                }
            }
            None => out.push_str("  指标块：没有找到\n"),
        }
        match &f.grade_cell {
            Some(g) => out.push_str(&format!("  等级：{g}\n")),
            None => out.push_str("  等级：表中没有\n"),
        }
        if !f.unrecognised_headers.is_empty() {
            let list: Vec<String> = f
                .unrecognised_headers
                .iter()
                .map(|(c, t)| format!("{c}「{t}」"))
                .collect();
            out.push_str(&format!(
                "  未识别的表头文字（标签或没见过的列）：{}\n",
                list.join("、")
            ));
        }
        for u in &f.unread {
            out.push_str(&format!("  未能识别：{u}\n"));
        }
    }
    out
}

/// The report part of the text: which table is the 自评表, which paragraphs yielded which
/// figures.
fn report_text(r: &ExplainedReport) -> String {
    let mut out = String::from("自评报告（Word 文档）");
    if let Some(y) = r.year {
        out.push_str(&format!("，{y} 年度"));
    }
    out.push('\n');
    let tables: Vec<String> = r
        .tables
        .iter()
        .map(|(n, form)| {
            format!(
                "表{n}{}",
                if *form {
                    "（自评表）"
                } else {
                    "（不是自评表，未核查）"
                }
            )
        })
        .collect();
    out.push_str(&format!(
        "  表格：{}\n",
        if tables.is_empty() {
            "没有".to_string()
        } else {
            tables.join("、")
        }
    ));
    match r.form_table {
        Some(n) => out.push_str(&format!("  正文按表{n}核对\n")),
        None => out.push_str("  正文没有可核对的表格（可与工作簿配对：--pair）\n"),
    }
    if !r.skipped.is_empty() {
        out.push_str(&format!("  未读取：{}\n", r.skipped.join("、")));
    }
    for (p, figures) in &r.paragraphs {
        let list: Vec<String> = figures
            .iter()
            .map(|f| {
                let note = f
                    .not_compared
                    .map(|n| format!("，{n}，不比较"))
                    .unwrap_or_default();
                format!("“{}”= {} {}{note}", f.quote, f.value, f.kind)
            })
            .collect();
        out.push_str(&format!("  第 {p} 段：{}\n", list.join("；")));
    }
    out
}

/// The JSON of an explanation.
pub fn json(e: &Explained) -> String {
    serde_json::to_string_pretty(e).unwrap_or_else(|err| format!("{{\"error\":\"{err}\"}}"))
}

/// The arithmetic zpcheck holds the block's derived columns to, one line per column, naming
/// the columns (by letter) it computes from.
fn derived_lines(form: &crate::form::Form) -> Vec<String> {
    let col_name = crate::grid::CellRef::col_name;
    let d = form.derived_cols;
    let first = form.indicators.first();
    let col = |f: Option<&crate::form::Field>| f.map_or("?".to_string(), |f| col_name(f.cell.col));
    let mut out = Vec::new();
    if let Some(scaled) = d.scaled {
        out.push(format!(
            "{} 列 折算得分 = 单项指标得分（{} 列）× 权重占比（{} 列），各折算得分与执行率得分相加为总分（ZP311、ZP304）",
            col_name(scaled),
            col(first.and_then(|i| i.derived.unit_score.as_ref())),
            d.share.map_or("?".to_string(), col_name)
        ));
    }
    if let Some(share) = d.share {
        out.push(format!(
            "{} 列 权重占比：合计应为 100%（资金块有执行率分值时为 100% 减去该分值）（ZP312）",
            col_name(share)
        ));
    }
    if let Some(ratio) = d.ratio {
        out.push(format!(
            "{} 列 得分系数 = 得分（{} 列）÷ 分值（{} 列）（ZP313）",
            col_name(ratio),
            col(first.map(|i| i.derived.unit_score.as_ref().unwrap_or(&i.score))),
            col(first.and_then(|i| i.weight.as_ref().or(i.derived.unit_weight.as_ref())))
        ));
    }
    if let Some(c) = d.completion {
        out.push(format!(
            "{} 列 完成率 = 实际完成值（{} 列）÷ 指标值（{} 列），“≤ / <”的反向指标为 指标值 ÷ 实际完成值（ZP314）",
            col_name(c),
            col(first.map(|i| &i.actual)),
            col(first.map(|i| &i.target))
        ));
    }
    if let Some(c) = d.deviation {
        out.push(format!(
            "{} 列 偏差率 = 完成率 − 100%（ZP315）",
            col_name(c)
        ));
    }
    out
}
