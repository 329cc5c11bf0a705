//! Finding the forms in a sheet by their labels, never by fixed coordinates: the funding block
//! header, its total and part rows, the indicator header and rows, the 总分 row, the title and
//! the grade cell. Several forms may share a sheet; each starts at a header.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::num::{alias_key_is, label_key, label_key_cow};
use crate::read::{CellRef, CellValue, Sheet};

/// Spellings of the funding block's column headers (section 2 of form-and-rules.md).
pub mod aliases {
    /// 年初预算数.
    pub const INITIAL: &[&str] = &["年初预算数", "年初预算"];
    /// 全年预算数.
    pub const FULL: &[&str] = &[
        "全年预算数",
        "调整后预算数",
        "全年(调整)预算数",
        "全年调整预算数",
        "预算数",
        "全年预算",
    ];
    /// 全年执行数.
    pub const EXEC: &[&str] = &["全年执行数", "预算执行数", "执行数", "全年执行"];
    /// 分值 (both blocks).
    pub const WEIGHT: &[&str] = &[
        "分值",
        "分值权重",
        "权重",
        "指标分值权重",
        "执行率权重",
        "指标权重",
        "权重分值",
    ];
    /// 执行率.
    pub const RATE: &[&str] = &["执行率", "预算执行率", "资金执行率"];
    /// 得分 (both blocks).
    pub const SCORE: &[&str] = &["得分", "指标得分", "执行率得分", "自评得分"];
    /// The funding total row.
    pub const FUND_TOTAL: &[&str] = &[
        "年度资金总额",
        "年度总资金",
        "总额",
        "年度财政资金总额",
        "资金总额",
        "年度预算资金总额",
        "合计",
        "总计",
    ];
    /// Goals block labels, which end the funding block.
    pub const GOALS: &[&str] = &[
        "年度总目标",
        "年度总体目标",
        "总体目标",
        "年度目标",
        "年度绩效目标",
        "绩效目标",
        "预期目标",
    ];
    /// 一级指标 / 二级指标 / 三级指标.
    pub const L1: &[&str] = &["一级指标"];
    /// 二级指标.
    pub const L2: &[&str] = &["二级指标"];
    /// 三级指标.
    pub const L3: &[&str] = &["三级指标", "指标名称"];
    /// Indicator target.
    pub const TARGET: &[&str] = &[
        "指标值",
        "年度指标值",
        "年初指标值",
        "年初目标值",
        "目标值",
        "全年指标值",
        "预期指标值",
        "年度目标值",
    ];
    /// Indicator actual.
    pub const ACTUAL: &[&str] = &[
        "实际完成值",
        "指标实际完成值",
        "全年完成值",
        "完成值",
        "全年实际完成值",
        "实际值",
    ];
    /// Reason column.
    pub const REASON: &[&str] = &[
        "偏差原因分析及改进措施",
        "未完成原因分析",
        "原因",
        "偏差原因分析",
        "偏差原因及改进措施",
        "未完成原因分析及改进措施",
        "偏差原因",
    ];
    /// Operator column of the Sichuan layout.
    pub const OP: &[&str] = &["指标性质"];
    /// Unit column of the Sichuan layout.
    pub const UNIT: &[&str] = &["度量单位", "计量单位"];
    /// The 总分 row.
    pub const SCORE_TOTAL: &[&str] = &["总分", "合计", "自评总分", "总计", "综合得分"];
    /// The grade label.
    pub const GRADE: &[&str] = &[
        "等级",
        "评价等级",
        "自评等级",
        "绩效等级",
        "评价结果",
        "自评结果",
    ];
    /// Labels in front of the unit's or project's name.
    pub const NAME: &[&str] = &[
        "项目名称",
        "部门名称",
        "单位名称",
        "部门(单位)名称",
        "单位(部门)名称",
        "部门(单位)名称(盖章)",
        "单位名称(盖章)",
        "部门名称(盖章)",
    ];
}

/// Columns of the funding block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingCols {
    /// 年初预算数.
    pub initial: Option<u32>,
    /// 全年预算数.
    pub full: u32,
    /// 全年执行数.
    pub exec: u32,
    /// 分值.
    pub weight: Option<u32>,
    /// 执行率.
    pub rate: Option<u32>,
    /// 得分.
    pub score: Option<u32>,
}

impl FundingCols {
    /// The leftmost data column: labels stand to its left.
    pub fn first(&self) -> u32 {
        [
            Some(self.full),
            Some(self.exec),
            self.initial,
            self.weight,
            self.rate,
            self.score,
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(self.full)
    }
}

/// Where the funding block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingLayout {
    /// The header row.
    pub header_row: u32,
    /// Its columns.
    pub cols: FundingCols,
    /// The total row.
    pub total_row: u32,
    /// The part rows ("其中：…").
    pub part_rows: Vec<u32>,
}

/// Columns of the indicator block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorCols {
    /// 一级指标.
    pub l1: u32,
    /// 二级指标.
    pub l2: u32,
    /// 三级指标.
    pub l3: u32,
    /// Target.
    pub target: u32,
    /// Actual.
    pub actual: u32,
    /// Weight.
    pub weight: u32,
    /// Score.
    pub score: u32,
    /// Reason, when the form has one.
    pub reason: Option<u32>,
    /// Operator column (指标性质), Sichuan layout.
    pub op: Option<u32>,
    /// Unit column (度量单位), Sichuan layout.
    pub unit: Option<u32>,
}

/// Where the indicator block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorLayout {
    /// The header row.
    pub header_row: u32,
    /// Its columns.
    pub cols: IndicatorCols,
    /// Rows holding an indicator.
    pub rows: Vec<u32>,
    /// The 总分 row, if any.
    pub total_row: Option<u32>,
    /// The last row of the block: indicator rows and the labelled group rows (一级/二级 with
    /// no indicator yet) that follow them.
    pub last_row: Option<u32>,
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
    /// The year the title area names ("（2023年度）").
    pub year: Option<u16>,
    /// The grade value cell, if the form states a grade.
    pub grade: Option<CellRef>,
    /// The goals' text cells: (预期目标, 实际完成情况).
    pub goals: Option<(CellRef, CellRef)>,
}

/// One non-empty cell as the locator sees it.
struct Label<'a> {
    col: u32,
    /// The trimmed text of a text cell; `None` for numbers and other values.
    text: Option<&'a str>,
    /// The [`label_key`] of a text cell (empty for other values), borrowed where it can be.
    key: Cow<'a, str>,
}

impl Label<'_> {
    fn is(&self, names: &[&str]) -> bool {
        !self.key.is_empty() && names.iter().any(|a| alias_key_is(a, &self.key))
    }
}

/// A sheet's non-empty cells by row, with their label keys computed once per sheet: every
/// search below (headers, block ends, name, grade, goals, title) reads these.
struct Labels<'a> {
    rows: BTreeMap<u32, Vec<Label<'a>>>,
}

impl<'a> Labels<'a> {
    fn new(sheet: &'a Sheet) -> Self {
        let mut rows: BTreeMap<u32, Vec<Label>> = BTreeMap::new();
        for (pos, c) in &sheet.cells {
            let label = match &c.value {
                CellValue::Empty => continue,
                CellValue::Text(t) => {
                    let t = t.trim();
                    if t.is_empty() {
                        continue;
                    }
                    Label {
                        col: pos.col,
                        text: Some(t),
                        key: label_key_cow(t),
                    }
                }
                _ => Label {
                    col: pos.col,
                    text: None,
                    key: Cow::Borrowed(""),
                },
            };
            rows.entry(pos.row).or_default().push(label);
        }
        Labels { rows }
    }

    fn row(&self, row: u32) -> &[Label<'a>] {
        self.rows.get(&row).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The texts of the text cells in rows `from..to`, top to bottom.
    fn texts(&self, from: u32, to: u32) -> impl Iterator<Item = &str> {
        self.rows
            .range(from..to)
            .flat_map(|(_, cells)| cells.iter().filter_map(|l| l.text))
    }
}

/// The first column whose key is one of the spellings.
fn find_col(cells: &[Label], names: &[&str]) -> Option<u32> {
    cells.iter().find(|l| l.is(names)).map(|l| l.col)
}

fn funding_header(cells: &[Label]) -> Option<FundingCols> {
    let full = find_col(cells, aliases::FULL)?;
    let exec = find_col(cells, aliases::EXEC)?;
    Some(FundingCols {
        initial: find_col(cells, aliases::INITIAL),
        full,
        exec,
        weight: find_col(cells, aliases::WEIGHT),
        rate: find_col(cells, aliases::RATE),
        score: find_col(cells, aliases::SCORE),
    })
}

fn indicator_header(cells: &[Label]) -> Option<IndicatorCols> {
    let l1 = find_col(cells, aliases::L1)?;
    let l2 = find_col(cells, aliases::L2)?;
    let l3 = find_col(cells, aliases::L3)?;
    Some(IndicatorCols {
        l1,
        l2,
        l3,
        target: find_col(cells, aliases::TARGET)?,
        actual: find_col(cells, aliases::ACTUAL)?,
        weight: find_col(cells, aliases::WEIGHT)?,
        score: find_col(cells, aliases::SCORE)?,
        reason: find_col(cells, aliases::REASON),
        op: find_col(cells, aliases::OP),
        unit: find_col(cells, aliases::UNIT),
    })
}

/// The label of a row: the rightmost own text left of `before`.
fn row_label(sheet: &Sheet, row: u32, before: u32) -> String {
    sheet
        .cells
        .range(CellRef::new(row, 0)..CellRef::new(row, before))
        .rev()
        .map(|(_, c)| c.text().trim().to_string())
        .find(|t| !t.is_empty())
        .unwrap_or_default()
}

fn row_has_label(labels: &Labels, row: u32, names: &[&str]) -> bool {
    find_col(labels.row(row), names).is_some()
}

fn cell_has_value(sheet: &Sheet, row: u32, col: u32) -> bool {
    sheet.has_text(CellRef::new(row, col))
}

/// A funding header and the indicator header that belongs to it (row, columns).
type HeaderGroup = (Option<(u32, FundingCols)>, Option<(u32, IndicatorCols)>);

enum Header {
    Funding(u32, FundingCols),
    Indicators(u32, IndicatorCols),
}

/// Finds every form in a sheet, top to bottom.
pub fn locate(sheet: &Sheet) -> Vec<FormLayout> {
    let max_row = sheet.max_row();
    let mut headers = Vec::new();
    let labels = Labels::new(sheet);
    for (&row, cells) in &labels.rows {
        // A header names at least the two money columns or the three indicator levels.
        if cells.len() < 2 {
            continue;
        }
        if let Some(cols) = funding_header(cells) {
            headers.push(Header::Funding(row, cols));
        } else if let Some(cols) = indicator_header(cells) {
            headers.push(Header::Indicators(row, cols));
        }
    }
    // Group headers into forms: an indicator header joins the funding header above it.
    let mut groups: Vec<HeaderGroup> = Vec::new();
    for h in headers {
        match h {
            Header::Funding(r, c) => groups.push((Some((r, c)), None)),
            Header::Indicators(r, c) => match groups.last_mut() {
                Some(last) if last.1.is_none() => last.1 = Some((r, c)),
                _ => groups.push((None, Some((r, c)))),
            },
        }
    }
    let starts: Vec<u32> = groups
        .iter()
        .map(|(f, i)| f.map(|x| x.0).or(i.map(|x| x.0)).unwrap_or(0))
        .collect();
    let mut forms = Vec::new();
    for (k, (funding, indicators)) in groups.into_iter().enumerate() {
        let start = starts[k];
        let end = starts
            .get(k + 1)
            .map(|s| s.saturating_sub(1))
            .unwrap_or(max_row);
        let prev_end = if k == 0 { 0 } else { starts[k - 1] + 1 };
        let funding = funding.map(|(row, cols)| funding_layout(sheet, &labels, row, cols, end));
        let indicators =
            indicators.map(|(row, cols)| indicator_layout(sheet, &labels, row, cols, end));
        // The title area is the rows above the first header, back to the previous form.
        let title_top = prev_end.min(start);
        let title = labels
            .texts(title_top, start)
            .find(|t| t.contains("自评表") || t.contains("评价表"))
            .map(str::to_string);
        let name = find_labelled_value(sheet, &labels, title_top, end, aliases::NAME);
        let year = labels.texts(title_top, start).find_map(crate::num::year_in);
        let grade = find_labelled_cell(sheet, &labels, start, end, aliases::GRADE);
        let goals = find_goals(sheet, &labels, start, end);
        forms.push(FormLayout {
            first_row: title_top,
            last_row: end,
            funding,
            indicators,
            title,
            name,
            year,
            grade,
            goals,
        });
    }
    forms
}

/// The goals block: a row with "预期目标" and "实际完成情况" headers; the text is below each.
fn find_goals(sheet: &Sheet, labels: &Labels, from: u32, to: u32) -> Option<(CellRef, CellRef)> {
    for (&row, cells) in labels.rows.range(from..=to) {
        if let (Some(e), Some(a)) = (
            find_col(cells, &["预期目标"]),
            find_col(cells, &["实际完成情况", "实际完成"]),
        ) {
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
    from: u32,
    to: u32,
    names: &[&str],
) -> Option<CellRef> {
    for (&row, cells) in labels.rows.range(from..=to) {
        for (i, l) in cells.iter().enumerate() {
            if l.is(names) {
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

fn find_labelled_value(
    sheet: &Sheet,
    labels: &Labels,
    from: u32,
    to: u32,
    names: &[&str],
) -> Option<String> {
    for (&row, cells) in labels.rows.range(from..=to) {
        for (i, l) in cells.iter().enumerate() {
            if l.is(names) {
                return cells.get(i + 1).map(|next| match next.text {
                    Some(t) => t.to_string(),
                    None => sheet.text(CellRef::new(row, next.col)),
                });
            }
            // "项目名称：某某项目" in one cell.
            for n in names {
                let name_key = if n.ends_with(')') {
                    label_key(n)
                } else {
                    (*n).to_string()
                };
                if let Some(v) = l
                    .key
                    .strip_prefix(name_key.as_str())
                    .and_then(|rest| rest.strip_prefix(':'))
                    && !v.is_empty()
                {
                    return Some(v.to_string());
                }
            }
        }
    }
    None
}

fn funding_layout(
    sheet: &Sheet,
    labels: &Labels,
    header_row: u32,
    cols: FundingCols,
    end: u32,
) -> FundingLayout {
    let first = cols.first();
    let money = [Some(cols.full), Some(cols.exec), cols.initial];
    let mut total_row = None;
    let mut part_rows = Vec::new();
    for row in header_row + 1..=end {
        let label = row_label(sheet, row, first);
        let has_values = money
            .iter()
            .flatten()
            .any(|&c| cell_has_value(sheet, row, c));
        if row_has_label(labels, row, aliases::GOALS)
            || row_has_label(labels, row, aliases::L1)
            || (label.is_empty() && !has_values)
        {
            break;
        }
        if total_row.is_none() {
            total_row = Some(row);
        } else {
            part_rows.push(row);
        }
    }
    FundingLayout {
        header_row,
        cols,
        total_row: total_row.unwrap_or(header_row + 1),
        part_rows,
    }
}

fn indicator_layout(
    sheet: &Sheet,
    labels: &Labels,
    header_row: u32,
    cols: IndicatorCols,
    end: u32,
) -> IndicatorLayout {
    let mut rows = Vec::new();
    let mut total_row = None;
    let mut last_row = None;
    let mut gap = false;
    for row in header_row + 1..=end {
        let is_total = labels
            .row(row)
            .iter()
            .any(|l| l.col < cols.weight && l.is(aliases::SCORE_TOTAL));
        if is_total {
            total_row = Some(row);
            break;
        }
        let named = cell_has_value(sheet, row, cols.l3);
        let scored =
            cell_has_value(sheet, row, cols.weight) || cell_has_value(sheet, row, cols.score);
        if named || scored {
            rows.push(row);
        }
        let grouped = cell_has_value(sheet, row, cols.l1)
            || cell_has_value(sheet, row, cols.l2)
            || sheet.merge_at(CellRef::new(row, cols.l1)).is_some();
        if named || scored || (grouped && !gap) {
            last_row = Some(row);
        } else if !grouped {
            // A blank row ends the grid: labels below it are notes, not indicator groups.
            gap = true;
        }
    }
    IndicatorLayout {
        header_row,
        cols,
        rows,
        total_row,
        last_row,
    }
}

#[cfg(test)]
mod tests {
    use super::aliases::*;
    use crate::num::{alias_key_is, label_key};

    /// Labels are matched by comparing a cell's key with the alias text itself, so every alias
    /// must be written as its own key (or end in a bracket, which is reduced when compared).
    #[test]
    fn every_alias_is_written_as_its_key() {
        let tables = [
            INITIAL,
            FULL,
            EXEC,
            WEIGHT,
            RATE,
            SCORE,
            FUND_TOTAL,
            GOALS,
            L1,
            L2,
            L3,
            TARGET,
            ACTUAL,
            REASON,
            OP,
            UNIT,
            SCORE_TOTAL,
            GRADE,
            NAME,
        ];
        for table in tables {
            for alias in table {
                assert!(
                    alias.ends_with(')') || label_key(alias) == *alias,
                    "{alias} → {}",
                    label_key(alias)
                );
                assert!(alias_key_is(alias, &label_key(alias)), "{alias}");
            }
        }
        assert!(alias_key_is("单位名称(盖章)", "单位名称"));
        assert!(!alias_key_is("单位名称", "单位名称(盖章)"));
    }
}
