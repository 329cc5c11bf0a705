//! Finding the forms in a sheet by what their labels mean, never by fixed coordinates or a list
//! of whole spellings: each header cell gets a role from [`Vocab::classify`]; a header may span
//! two or three rows (a group cell merged over sub-columns, or a cell merged down), its columns
//! may stand in any order, and the funding and indicator blocks in either order. Every form
//! records what it could not read ([`Unread`]), so that the rules depending on it stay silent.
//!
//! [`labels`] classifies a sheet's cells once and reads header rows; [`funding`] and
//! [`indicators`] place each block's columns and rows; this file finds the blocks, pairs them
//! into forms and says what was not read.

use rust_decimal::Decimal;

use crate::grid::{CellRef, CellValue, Sheet};
use crate::vocab::{
    Role, Vocab, header_key, header_key_cow, header_letters, stated_points, strip_numbering,
    words_of_key,
};

/// One recognised column: its role and the header text that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column.
    pub col: u32,
    /// Its role.
    pub role: Role,
    /// The header cell whose text decided the role.
    pub cell: CellRef,
    /// That text, as written.
    pub header: String,
    /// The vocabulary word it contains.
    pub word: String,
}

/// Columns of the funding block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingCols {
    /// 年初预算数.
    pub initial: Option<u32>,
    /// 全年预算数.
    pub full: Option<u32>,
    /// 全年执行数.
    pub exec: u32,
    /// 分值.
    pub weight: Option<u32>,
    /// 执行率.
    pub rate: Option<u32>,
    /// 得分.
    pub score: Option<u32>,
    /// The budget column the rate divides by: the one the rate header names ("B/A"), else
    /// 全年预算数, else the one budget column there is.
    pub base: u32,
}

impl FundingCols {
    /// The leftmost data column: labels stand to its left.
    pub fn first(&self) -> u32 {
        [
            self.full,
            Some(self.exec),
            self.initial,
            self.weight,
            self.rate,
            self.score,
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(self.exec)
    }
}

/// Where the funding block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingLayout {
    /// The header row (the lowest row of a header that spans several).
    pub header_row: u32,
    /// Its columns.
    pub cols: FundingCols,
    /// Every recognised column of the header, left to right.
    pub columns: Vec<Column>,
    /// The total row.
    pub total_row: u32,
    /// The part rows ("其中：…").
    pub part_rows: Vec<u32>,
    /// The parts grouped by breakdown: (heading, rows). One breakdown with an empty heading
    /// unless the form breaks the total down more than once ("按收入性质分", "按支出性质分").
    pub breakdowns: Vec<(String, Vec<u32>)>,
    /// The execution weight stated in a label or header ("（20分）"), and where.
    pub stated_weight: Option<(Decimal, CellRef)>,
}

impl FundingLayout {
    /// The first row of the header (a header may span two or three rows).
    pub fn header_top(&self) -> u32 {
        self.columns
            .iter()
            .map(|c| c.cell.row)
            .min()
            .unwrap_or(self.header_row)
            .min(self.header_row)
    }
}

/// The indicator block's derived columns (each absent when the block has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DerivedCols {
    /// 权重占比.
    pub share: Option<u32>,
    /// 折算得分 (= 得分 × 权重占比; these add up to 总分).
    pub scaled: Option<u32>,
    /// 得分系数 (= 得分 ÷ 分值).
    pub ratio: Option<u32>,
    /// 完成率.
    pub completion: Option<u32>,
    /// 偏差率.
    pub deviation: Option<u32>,
}

impl DerivedCols {
    /// Each derived column the block has, with its role.
    pub fn each(&self) -> impl Iterator<Item = (Role, u32)> {
        [
            (Role::Share, self.share),
            (Role::Scaled, self.scaled),
            (Role::Ratio, self.ratio),
            (Role::Completion, self.completion),
            (Role::Deviation, self.deviation),
        ]
        .into_iter()
        .filter_map(|(r, c)| c.map(|c| (r, c)))
    }
}

/// Columns of the indicator block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorCols {
    /// 一级指标 (absent when groups are section rows).
    pub l1: Option<u32>,
    /// 二级指标.
    pub l2: Option<u32>,
    /// 三级指标 (the indicator's name).
    pub l3: Option<u32>,
    /// Target.
    pub target: Option<u32>,
    /// Actual.
    pub actual: Option<u32>,
    /// Weight (absent when each 一级 label states its group's weight).
    pub weight: Option<u32>,
    /// Score.
    pub score: Option<u32>,
    /// Reason, when the form has one.
    pub reason: Option<u32>,
    /// Operator column (指标性质).
    pub op: Option<u32>,
    /// Unit column (度量单位).
    pub unit: Option<u32>,
    /// The derived columns some templates add (权重占比, 折算得分, 得分系数, 完成率, 偏差率).
    pub derived: DerivedCols,
}

/// Why a row of the indicator block is not an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    /// A detail row under an indicator ("其中：…", a target and an actual, no weight or score).
    Detail,
    /// A "……" placeholder.
    Placeholder,
    /// A 一级 group written as a section row ("一、产出指标（50分）").
    Section,
    /// A numbering row ("栏次 | 1 | 2 | 3") or a unit row ("万元 | 万元 | 分 | %") under a
    /// header.
    Annotation,
}

impl Skipped {
    /// How `explain` names it.
    pub fn label(self) -> &'static str {
        match self {
            Skipped::Detail => "明细行（不是指标）",
            Skipped::Placeholder => "占位行（……）",
            Skipped::Section => "一级指标分节行",
            Skipped::Annotation => "表头下的栏次或单位行",
        }
    }
}

/// Where the indicator block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorLayout {
    /// The header row (the lowest row of a header that spans several).
    pub header_row: u32,
    /// The header's first row.
    pub header_top: u32,
    /// Its columns.
    pub cols: IndicatorCols,
    /// Every recognised column of the header, left to right.
    pub columns: Vec<Column>,
    /// Rows holding an indicator.
    pub rows: Vec<u32>,
    /// Rows that are not indicators, and why.
    pub skipped: Vec<(u32, Skipped)>,
    /// Section rows: the 一级 group each starts (label cell).
    pub sections: Vec<CellRef>,
    /// The 总分 row, if any.
    pub total_row: Option<u32>,
    /// The 总分 row's label cell.
    pub total_label: Option<CellRef>,
    /// The 总分 row's score cell (the score column, or the first number right of the label).
    pub total_score: Option<CellRef>,
    /// The last row of the block.
    pub last_row: Option<u32>,
    /// The points a label left of the levels states for the whole block ("年度绩效目标（80分）").
    pub stated_weight: Option<(Decimal, CellRef)>,
}

/// A part of a form zpcheck could not read: what, and where it looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    /// The cell the finding is reported at (the block's header, or the form's anchor).
    pub cell: CellRef,
    /// What was not recognised and where zpcheck looked, in Chinese.
    pub what: String,
    /// Whether a whole block is missing (it may stand on another sheet of the workbook).
    pub missing_block: bool,
}

/// Where one form is in a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormLayout {
    /// First row that belongs to the form (its title area).
    pub first_row: u32,
    /// Last row that belongs to the form.
    pub last_row: u32,
    /// The funding block.
    pub funding: Option<FundingLayout>,
    /// The indicator block.
    pub indicators: Option<IndicatorLayout>,
    /// The title line ("…绩效自评表"), if any.
    pub title: Option<String>,
    /// The unit's or project's name, if labelled.
    pub name: Option<String>,
    /// The 主管部门, if labelled.
    pub department: Option<String>,
    /// The 实施单位, if labelled.
    pub unit: Option<String>,
    /// The year the title area names ("（2023年度）").
    pub year: Option<u16>,
    /// The grade value cell, if the form states a grade.
    pub grade: Option<CellRef>,
    /// The 评价结论 value cell, if the form has the row.
    pub conclusion: Option<CellRef>,
    /// The goals' text cells: (预期目标, 实际完成情况).
    pub goals: Option<(CellRef, CellRef)>,
    /// What could not be read.
    pub unread: Vec<Unread>,
    /// Header texts that gave no role (reported by `explain`).
    pub unknown_headers: Vec<(CellRef, String)>,
}

impl FormLayout {
    /// Whether the form has no 分值 or 得分 anywhere by design (the central transfer-payment
    /// 绩效目标自评表: 全年预算数 / 全年执行数 and targets, never scored): neither block has a
    /// weight or score column, nor points stated in a label. Such a form is complete for what
    /// it holds.
    pub fn unscored(&self, sheet: &Sheet) -> bool {
        self.indicators.as_ref().is_some_and(|i| {
            i.cols.score.is_none()
                && i.cols.weight.is_none()
                && i.stated_weight.is_none()
                && !group_weights_stated(sheet, i)
        }) && self.funding_unscored()
    }

    /// Whether the funding block, if any, has neither a weight nor a score (column or label).
    pub fn funding_unscored(&self) -> bool {
        self.funding.as_ref().is_none_or(|f| {
            f.cols.score.is_none() && f.cols.weight.is_none() && f.stated_weight.is_none()
        })
    }
}

impl FormLayout {
    /// The form's anchor: the first header cell found.
    pub fn anchor(&self) -> CellRef {
        let f = self.funding.as_ref().map(|f| f.header_row);
        let i = self.indicators.as_ref().map(|i| i.header_top);
        CellRef::new(f.into_iter().chain(i).min().unwrap_or(self.first_row), 0)
    }
}

mod funding;
mod indicators;
mod labels;

use funding::funding_layout;
use indicators::indicator_layout;
use labels::*;

/// Finds every form in a sheet, top to bottom.
pub fn locate_with(sheet: &Sheet, vocab: &Vocab) -> Vec<FormLayout> {
    let max_row = sheet.max_row();
    let labels = Labels::new(sheet, vocab);
    let mut headers: Vec<(u32, Kind, Head)> = Vec::new();
    for (row, cells) in labels.range(0, u32::MAX) {
        // A header row names two roles, or, under a header row, one (the last row of a header
        // over three rows: "指标性质 | 数值" under "目标").
        let roles = cells.iter().filter(|l| l.role.is_some()).count();
        let under_header = row > 0 && labels.header_like(row - 1) && labels.header_like(row);
        if roles < 2 && !(roles == 1 && under_header) {
            continue;
        }
        let head = read_head(sheet, &labels, vocab, row);
        let Some(kind) = head_kind(&head) else {
            continue;
        };
        // A header spanning two rows where both qualify: the lower row is the header.
        if let Some(last) = headers.last()
            && last.1 == kind
            && last.0 + 1 == row
            && head.top <= last.0
        {
            headers.pop();
        }
        headers.push((row, kind, head));
    }
    // A table with budget and execution columns but no 分值, 执行率 or 得分 (a 年度主要任务
    // table: 任务名称 | 主要内容 | 预算数 | 执行数) is not the funding block of a form when
    // the sheet has a funding block that has them.
    let scored_funding = |h: &Head| {
        [Role::Weight, Role::Rate, Role::Score]
            .iter()
            .any(|r| h.has(*r))
    };
    if headers
        .iter()
        .any(|(_, k, h)| *k == Kind::Funding && scored_funding(h))
    {
        headers.retain(|(_, k, h)| *k != Kind::Funding || scored_funding(h));
    }
    // Group headers into forms: a funding header and an indicator header, in either order.
    let mut groups: Vec<[Option<usize>; 2]> = Vec::new();
    for (i, (_, kind, _)) in headers.iter().enumerate() {
        let slot = match kind {
            Kind::Funding => 0,
            Kind::Indicators => 1,
        };
        match groups.last_mut() {
            Some(g) if g[slot].is_none() => g[slot] = Some(i),
            _ => {
                let mut g = [None, None];
                g[slot] = Some(i);
                groups.push(g);
            }
        }
    }
    // Every block ends before the next header of any kind.
    let block_end = |i: usize| {
        headers
            .get(i + 1)
            .map(|(r, _, h)| h.top.min(*r).saturating_sub(1))
            .unwrap_or(max_row)
    };
    let ends: Vec<u32> = (0..headers.len()).map(block_end).collect();
    let mut headers: Vec<Option<(u32, Kind, Head)>> = headers.into_iter().map(Some).collect();
    let mut forms = Vec::new();
    let mut prev_last = 0u32;
    for (k, g) in groups.iter().enumerate() {
        let first_idx = g.iter().flatten().min().copied().unwrap_or(0);
        let last_idx = g.iter().flatten().max().copied().unwrap_or(0);
        let start = headers[first_idx].as_ref().map(|h| h.2.top).unwrap_or(0);
        let end = ends[last_idx];
        let mut unknown_headers = Vec::new();
        let funding = g[0].and_then(|i| headers[i].take()).map(|(row, _, head)| {
            unknown_headers.extend(head.unknown.iter().cloned());
            funding_layout(sheet, &labels, vocab, row, head, ends[g[0].unwrap_or(0)])
        });
        let indicators = g[1].and_then(|i| headers[i].take()).map(|(row, _, head)| {
            unknown_headers.extend(head.unknown.iter().cloned());
            indicator_layout(sheet, &labels, vocab, row, head, ends[g[1].unwrap_or(0)])
        });
        // The title area is the rows above the first header, back to the previous form.
        let title_top = if k == 0 { 0 } else { prev_last + 1 }.min(start);
        prev_last = end;
        let title = labels
            .texts(title_top, start)
            .find(|t| t.contains("自评表") || t.contains("评价表"))
            .map(str::to_string);
        let name = find_labelled_value(sheet, &labels, vocab, &vocab.name, title_top, end);
        let labelled = |list: &[String]| {
            find_labelled_value(sheet, &labels, vocab, list, title_top, end)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let department = labelled(&vocab.department);
        let unit = labelled(&vocab.unit);
        let year = labels.texts(title_top, start).find_map(crate::num::year_in);
        let grade = find_labelled_cell(sheet, &labels, &vocab.grade, start, end).or_else(|| {
            // A grade written in the 总分 row with no label of its own.
            let row = indicators.as_ref()?.total_row?;
            labels.row(row).iter().find_map(|l| {
                let t = crate::num::normalize(l.text?);
                matches!(t.as_str(), "优" | "良" | "中" | "差").then_some(CellRef::new(row, l.col))
            })
        });
        let goals = find_goals(sheet, &labels, start, end);
        let conclusion = find_labelled_cell(sheet, &labels, &vocab.conclusion, start, end);
        let mut layout = FormLayout {
            first_row: title_top,
            last_row: end,
            funding,
            indicators,
            title,
            name,
            department,
            unit,
            year,
            grade,
            conclusion,
            goals,
            unread: Vec::new(),
            unknown_headers,
        };
        layout.unread = unread(sheet, &labels, vocab, &layout);
        forms.push(layout);
    }
    forms
}

/// What the form lacks to be read completely.
fn unread(sheet: &Sheet, labels: &Labels, vocab: &Vocab, l: &FormLayout) -> Vec<Unread> {
    let mut out = Vec::new();
    let rows = |a: u32, b: u32| format!("第 {}–{} 行", a + 1, b + 1);
    let unknown = |from: u32, to: u32| {
        let list: Vec<String> = l
            .unknown_headers
            .iter()
            .filter(|(c, _)| c.row >= from && c.row <= to)
            .map(|(c, t)| format!("{c}「{}」", t.replace('\n', "")))
            .collect();
        if list.is_empty() {
            String::new()
        } else {
            format!("；未能识别的表头：{}", list.join("、"))
        }
    };
    match (&l.funding, &l.indicators) {
        (Some(f), None) => {
            let hint = labels
                .range(f.header_row + 1, l.last_row)
                .flat_map(|(r, cells)| cells.iter().map(move |c| (r, c)))
                .find(|(_, c)| {
                    c.text
                        .is_some_and(|t| t.contains("绩效指标") || vocab.group_in(t).is_some())
                })
                .map(|(r, c)| {
                    format!(
                        "（{} 有“{}”，但其表头无法识别）",
                        CellRef::new(r, c.col),
                        c.text.unwrap_or("")
                    )
                })
                .unwrap_or_default();
            out.push(Unread {
                cell: CellRef::new(f.header_row, f.cols.first()),
                what: format!(
                    "未找到指标块：在{}中没有找到含一级/二级/三级指标的表头{hint}",
                    rows(f.header_row, l.last_row)
                ),
                missing_block: true,
            });
        }
        (None, Some(i)) => out.push(Unread {
            cell: CellRef::new(
                i.header_top,
                i.cols.l1.or(i.cols.l2).or(i.cols.l3).unwrap_or(0),
            ),
            what: format!(
                "未找到资金块：在{}中没有找到含预算数和执行数的表头",
                rows(l.first_row, l.last_row)
            ),
            missing_block: true,
        }),
        _ => {}
    }
    let unscored = l.unscored(sheet);
    if let Some(i) = &l.indicators {
        let c = &i.cols;
        let mut missing = Vec::new();
        for (role, col) in [
            (Role::L3, c.l3),
            (Role::Target, c.target),
            (Role::Actual, c.actual),
            (Role::Score, c.score.or(c.derived.scaled)),
        ] {
            // A form without scores by design lacks no score column.
            if col.is_none() && !(unscored && role == Role::Score) {
                missing.push(role.name());
            }
        }
        // Points stated per 一级 group, or for the whole block ("年度绩效目标（80分）"), stand
        // in for a 分值 column: the sums they cap are checked.
        // So do 权重占比 beside 折算得分 (Hebei): the shares are the weights, in percent.
        let weighed_by_share = c.derived.share.is_some() && c.derived.scaled.is_some();
        if c.weight.is_none()
            && !weighed_by_share
            && !unscored
            && !group_weights_stated(sheet, i)
            && i.stated_weight.is_none()
        {
            missing.push("分值（既没有分值列，一级指标也没有标注分值）");
        }
        if !missing.is_empty() {
            out.push(Unread {
                cell: CellRef::new(i.header_row, c.l1.or(c.l2).or(c.l3).unwrap_or(0)),
                what: format!(
                    "指标块表头（{}）中未能识别「{}」列{}",
                    rows(i.header_top, i.header_row),
                    missing.join("」「"),
                    unknown(i.header_top, i.header_row)
                ),
                missing_block: false,
            });
        }
    }
    if let Some(f) = &l.funding {
        let c = &f.cols;
        let missing: Vec<&str> = [(Role::Rate, c.rate), (Role::Score, c.score)]
            .into_iter()
            .filter(|(r, col)| col.is_none() && !(unscored && *r == Role::Score))
            .map(|(r, _)| r.name())
            .collect();
        // A header cell nobody could read inside the block's columns may be the missing one.
        let first = c.first();
        let unknown_inside = l.unknown_headers.iter().any(|(cell, _)| {
            cell.row <= f.header_row && cell.row + 3 > f.header_row && cell.col > first
        });
        if !missing.is_empty() && unknown_inside {
            let top = f.header_top();
            out.push(Unread {
                cell: CellRef::new(f.header_row, first),
                what: format!(
                    "资金块表头（{}）中未能识别「{}」列{}",
                    rows(top, f.header_row),
                    missing.join("」「"),
                    unknown(top, f.header_row)
                ),
                missing_block: false,
            });
        }
    }
    out
}

/// Whether every 一级 group of a block without a weight column states its weight.
fn group_weights_stated(sheet: &Sheet, i: &IndicatorLayout) -> bool {
    let mut any = false;
    for label in group_labels(sheet, i) {
        match label {
            Some((_, text)) if stated_points(&text).is_some() => any = true,
            _ => return false,
        }
    }
    any
}

/// The 一级 label of every indicator row of the block (in `i.rows` order), found in one pass
/// down the block: the nearest label above each row in the 一级 column (its own cell, a merged
/// cell over it, or the last label above), or the section row above it, whichever stands lower.
pub fn group_labels(sheet: &Sheet, i: &IndicatorLayout) -> Vec<Option<(CellRef, String)>> {
    let mut out = Vec::with_capacity(i.rows.len());
    let Some(&last) = i.rows.last() else {
        return out;
    };
    let mut column: Option<(CellRef, String)> = None;
    let mut section: Option<(CellRef, String)> = None;
    let mut next = i.rows.iter().peekable();
    for r in i.header_row + 1..=last {
        if let Some(col) = i.cols.l1 {
            let at = CellRef::new(r, col);
            let origin = sheet.merge_at(at).map_or(at, |m| m.first);
            if column.as_ref().is_none_or(|(c, _)| *c != origin) {
                let t = sheet.text(origin);
                if !t.is_empty() {
                    column = Some((origin, t));
                }
            }
        }
        if let Some(c) = i.sections.iter().find(|c| c.row + 1 == r) {
            section = Some((*c, sheet.text(*c)));
        }
        if next.peek() == Some(&&r) {
            next.next();
            // A section row below the 一级 label takes over.
            out.push(match (&column, &section) {
                (Some(c), Some(s)) if s.0.row > c.0.row => Some(s.clone()),
                (Some(c), _) => Some(c.clone()),
                (None, s) => s.clone(),
            });
        }
    }
    out
}

/// The goals block: a row with "预期目标" and "实际完成情况" headers; the text is below each.
fn find_goals(sheet: &Sheet, labels: &Labels, from: u32, to: u32) -> Option<(CellRef, CellRef)> {
    for (row, cells) in labels.range(from, to) {
        let col = |words: &[&str]| {
            cells
                .iter()
                .find(|l| l.text.is_some() && words.contains(&l.words()))
                .map(|l| l.col)
        };
        if let (Some(e), Some(a)) = (col(&["预期目标"]), col(&["实际完成情况", "实际完成"]))
        {
            let below = |col: u32| {
                let top = sheet
                    .merge_at(CellRef::new(row, col))
                    .map_or(row, |m| m.last.row);
                CellRef::new(top + 1, col)
            };
            return Some((below(e), below(a)));
        }
    }
    None
}

fn find_labelled_cell(
    sheet: &Sheet,
    labels: &Labels,
    list: &[String],
    from: u32,
    to: u32,
) -> Option<CellRef> {
    for (row, cells) in labels.range(from, to) {
        for (i, l) in cells.iter().enumerate() {
            if l.is(list) {
                // The value is the next cell to the right that is not part of the label's merge.
                let label_end = sheet
                    .merge_at(CellRef::new(row, l.col))
                    .map(|m| m.last.col)
                    .unwrap_or(l.col);
                return Some(
                    cells
                        .get(i + 1)
                        .map(|next| CellRef::new(row, next.col))
                        .unwrap_or(CellRef::new(row, label_end + 1)),
                );
            }
        }
    }
    None
}

/// The value beside the first label of `list` in rows `from..to`: the next cell to its right,
/// or what follows a colon in the label's own cell ("项目名称：某某项目").
fn find_labelled_value(
    sheet: &Sheet,
    labels: &Labels,
    vocab: &Vocab,
    list: &[String],
    from: u32,
    to: u32,
) -> Option<String> {
    for (row, cells) in labels.range(from, to) {
        for (i, l) in cells.iter().enumerate() {
            let Some(text) = l.text else { continue };
            if l.is(list) {
                return cells.get(i + 1).map(|next| match next.text {
                    Some(t) => t.to_string(),
                    None => sheet.text(CellRef::new(row, next.col)),
                });
            }
            // "项目名称：某某项目" in one cell.
            // (The key is normalised: "：" is ":" there.)
            if memchr::memchr(b':', l.key.as_bytes()).is_some() {
                let n = crate::num::normalize(text);
                if let Some((head, value)) = n.split_once(':')
                    && !value.is_empty()
                    && vocab.label_in(head, list)
                {
                    return Some(value.to_string());
                }
            }
        }
    }
    None
}
