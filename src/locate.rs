//! Finding the forms in a sheet by what their labels mean, never by fixed coordinates or a list
//! of whole spellings: each header cell gets a role from [`Vocab::classify`]; a header may span
//! two or three rows (a group cell merged over sub-columns, or a cell merged down), its columns
//! may stand in any order, and the funding and indicator blocks in either order. Every form
//! records what it could not read ([`Unread`]), so that the rules depending on it stay silent.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::read::{CellRef, CellValue, Sheet};
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
    /// The year the title area names ("（2023年度）").
    pub year: Option<u16>,
    /// The grade value cell, if the form states a grade.
    pub grade: Option<CellRef>,
    /// The goals' text cells: (预期目标, 实际完成情况).
    pub goals: Option<(CellRef, CellRef)>,
    /// What could not be read.
    pub unread: Vec<Unread>,
    /// Header texts that gave no role (reported by `explain`).
    pub unknown_headers: Vec<(CellRef, String)>,
}

impl FormLayout {
    /// The form's anchor: the first header cell found.
    pub fn anchor(&self) -> CellRef {
        let f = self.funding.as_ref().map(|f| f.header_row);
        let i = self.indicators.as_ref().map(|i| i.header_top);
        CellRef::new(f.into_iter().chain(i).min().unwrap_or(self.first_row), 0)
    }
}

/// One non-empty cell as the locator sees it.
struct Label<'a> {
    col: u32,
    /// The trimmed text of a text cell; `None` for numbers and other values.
    text: Option<&'a str>,
    /// The role its text names as a header, computed once.
    role: Option<Role>,
    /// Its [`header_key`] (empty for long texts and other values), computed once and
    /// borrowed from the cell where that changes nothing.
    key: std::borrow::Cow<'a, str>,
    /// Where its [`words_of_key`] lies in `key`: row labels are compared by that.
    words: std::ops::Range<usize>,
    /// Whether it labels the goals block ("年度总体目标"): such a row is never a header,
    /// though "目标" is a target word.
    goals: bool,
}

impl Label<'_> {
    /// The label as compared with a row list ("其中：上级安排（万元）" → "上级安排").
    fn words(&self) -> &str {
        &self.key[self.words.clone()]
    }

    /// Whether the label is one of a row list's words.
    fn is(&self, list: &[String]) -> bool {
        let w = self.words();
        !w.is_empty() && list.iter().any(|x| x == w)
    }
}

/// A sheet's non-empty cells by row, classified once per sheet: every search below reads these.
struct Labels<'a> {
    /// (row, its labels left to right), rows in order.
    rows: Vec<(u32, Vec<Label<'a>>)>,
}

/// Texts longer than this are sentences (goals, notes), never headers.
const MAX_HEADER_CHARS: usize = 40;

impl<'a> Labels<'a> {
    fn new(sheet: &'a Sheet, vocab: &Vocab) -> Self {
        let mut rows: Vec<(u32, Vec<Label>)> = Vec::new();
        let mut cells = sheet.cells.iter().peekable();
        let mut in_row = Vec::new();
        // The sheet's cells come in row order: one row at a time.
        while let Some((first, _)) = cells.peek() {
            let row = first.row;
            in_row.clear();
            while let Some((pos, c)) = cells.next_if(|(p, _)| p.row == row) {
                in_row.push((pos.col, c));
            }
            // A row with two numbers or more holds data: its texts are row labels, never
            // headers, so they need no role (classifying every text costs the most here).
            let numbers = in_row
                .iter()
                .filter(|(_, c)| matches!(c.value, CellValue::Number(_)))
                .count();
            let mut labels = Vec::with_capacity(in_row.len());
            for &(col, c) in &in_row {
                let label = match &c.value {
                    CellValue::Empty => continue,
                    CellValue::Text(t) => {
                        let t = t.trim();
                        if t.is_empty() {
                            continue;
                        }
                        let key = if t.chars().nth(MAX_HEADER_CHARS).is_none() {
                            header_key_cow(t)
                        } else {
                            std::borrow::Cow::Borrowed("")
                        };
                        let role = if numbers < 2 {
                            vocab.classify_key(&key).map(|(r, _)| r)
                        } else {
                            None
                        };
                        let w = words_of_key(&key);
                        let start = w.as_ptr() as usize - key.as_ptr() as usize;
                        let words = start..start + w.len();
                        let mut label = Label {
                            col,
                            text: Some(t),
                            role,
                            key,
                            words,
                            goals: false,
                        };
                        // Only a row without data can be (part of) a header: the flag that
                        // keeps a goals row out of one is needed there only.
                        label.goals = numbers < 2 && label.is(&vocab.goals);
                        label
                    }
                    _ => Label {
                        col,
                        text: None,
                        role: None,
                        key: std::borrow::Cow::Borrowed(""),
                        words: 0..0,
                        goals: false,
                    },
                };
                labels.push(label);
            }
            if !labels.is_empty() {
                rows.push((row, labels));
            }
        }
        Labels { rows }
    }

    fn row(&self, row: u32) -> &[Label<'a>] {
        match self.rows.binary_search_by_key(&row, |(r, _)| *r) {
            Ok(i) => &self.rows[i].1,
            Err(_) => &[],
        }
    }

    /// The rows from `from` to `to` (both included), top to bottom.
    fn range(&self, from: u32, to: u32) -> impl Iterator<Item = (u32, &[Label<'a>])> {
        let start = self.rows.partition_point(|(r, _)| *r < from);
        let end = self.rows.partition_point(|(r, _)| *r <= to);
        self.rows[start..end.max(start)]
            .iter()
            .map(|(r, cells)| (*r, cells.as_slice()))
    }

    /// The texts of the text cells in rows `from..to`, top to bottom.
    fn texts(&self, from: u32, to: u32) -> impl Iterator<Item = &str> {
        self.range(from, to.saturating_sub(1))
            .filter(move |_| to > from)
            .flat_map(|(_, cells)| cells.iter().filter_map(|l| l.text))
    }

    /// Whether a row looks like (part of) a header: only text, and at least one role word.
    fn header_like(&self, row: u32) -> bool {
        let cells = self.row(row);
        !cells.is_empty()
            && cells.iter().all(|l| l.text.is_some() && !l.goals)
            && cells.iter().any(|l| l.role.is_some())
    }
}

/// A header's columns as read from its row and the header rows above it.
struct Head {
    top: u32,
    columns: Vec<Column>,
    unknown: Vec<(CellRef, String)>,
    /// Every text of the header band (for stated weights).
    texts: Vec<(CellRef, String)>,
}

impl Head {
    fn col(&self, role: Role) -> Option<u32> {
        self.columns.iter().find(|c| c.role == role).map(|c| c.col)
    }
    fn has(&self, role: Role) -> bool {
        self.col(role).is_some()
    }
}

fn read_head(sheet: &Sheet, labels: &Labels, vocab: &Vocab, row: u32) -> Head {
    let mut band = vec![row];
    for up in 1..=2 {
        match row.checked_sub(up) {
            Some(u) if labels.header_like(u) => band.push(u),
            _ => break,
        }
    }
    let cols: BTreeSet<u32> = band
        .iter()
        .flat_map(|&r| labels.row(r).iter().map(|l| l.col))
        .collect();
    let mut head = Head {
        top: band.last().copied().unwrap_or(row),
        columns: Vec::new(),
        unknown: Vec::new(),
        texts: Vec::new(),
    };
    for c in cols {
        let mut found = None;
        let mut first_text = None;
        for &r in &band {
            let at = CellRef::new(r, c);
            let origin = sheet.merge_at(at).map_or(at, |m| m.first);
            let text = sheet.text(origin);
            if text.is_empty() {
                continue;
            }
            head.texts.push((origin, text.clone()));
            if let Some((role, word)) = vocab.classify(&text) {
                found = Some((role, word.to_string(), origin, text));
                break;
            }
            first_text.get_or_insert((origin, text));
        }
        match found {
            Some((role, word, cell, header)) => {
                // Two columns with one role: the one whose word says more wins ("全年预算数"
                // over a block label "年度预算申请"); a header merged across columns names
                // the first of them.
                let len = word.chars().count();
                match head
                    .columns
                    .iter()
                    .position(|x| x.role == role && role != Role::Other)
                {
                    Some(i) if head.columns[i].word.chars().count() < len => {
                        let old = head.columns.remove(i);
                        head.unknown.push((old.cell, old.header));
                    }
                    Some(_) => continue,
                    None => {}
                }
                head.columns.push(Column {
                    col: c,
                    role,
                    cell,
                    header,
                    word,
                });
            }
            None => {
                if let Some(t) = first_text
                    && !head.unknown.iter().any(|(cell, _)| *cell == t.0)
                {
                    head.unknown.push(t);
                }
            }
        }
    }
    head.columns.sort_by_key(|c| c.col);
    head.unknown.sort();
    head
}

fn is_funding(h: &Head) -> bool {
    (h.has(Role::Full) || h.has(Role::Initial))
        && (h.has(Role::Exec) || h.has(Role::Actual))
        && !h.has(Role::L1)
        && !h.has(Role::L2)
        && !h.has(Role::L3)
}

fn is_indicator(h: &Head) -> bool {
    let levels = [Role::L1, Role::L2, Role::L3]
        .into_iter()
        .filter(|r| h.has(*r))
        .count();
    levels >= 2
        || (h.has(Role::L3) && h.has(Role::Score) && (h.has(Role::Target) || h.has(Role::Actual)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Funding,
    Indicators,
}

fn head_kind(h: &Head) -> Option<Kind> {
    if is_indicator(h) {
        Some(Kind::Indicators)
    } else if is_funding(h) {
        Some(Kind::Funding)
    } else {
        None
    }
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

fn row_has_label(labels: &Labels, row: u32, list: &[String]) -> bool {
    labels.row(row).iter().any(|l| l.is(list))
}

fn cell_has_value(sheet: &Sheet, row: u32, col: Option<u32>) -> bool {
    col.is_some_and(|c| sheet.has_text(CellRef::new(row, c)))
}

/// Finds every form in a sheet, top to bottom, with the national vocabulary.
pub fn locate(sheet: &Sheet) -> Vec<FormLayout> {
    locate_with(sheet, &crate::profile::national().vocab)
}

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
        let name = find_labelled_value(sheet, &labels, vocab, title_top, end);
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
        let mut layout = FormLayout {
            first_row: title_top,
            last_row: end,
            funding,
            indicators,
            title,
            name,
            year,
            grade,
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
    if let Some(i) = &l.indicators {
        let c = &i.cols;
        let mut missing = Vec::new();
        for (role, col) in [
            (Role::L3, c.l3),
            (Role::Target, c.target),
            (Role::Actual, c.actual),
            (Role::Score, c.score),
        ] {
            if col.is_none() {
                missing.push(role.name());
            }
        }
        if c.weight.is_none() && !group_weights_stated(sheet, i) {
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
            .filter(|(_, col)| col.is_none())
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

fn find_labelled_value(
    sheet: &Sheet,
    labels: &Labels,
    vocab: &Vocab,
    from: u32,
    to: u32,
) -> Option<String> {
    for (row, cells) in labels.range(from, to) {
        for (i, l) in cells.iter().enumerate() {
            let Some(text) = l.text else { continue };
            if l.is(&vocab.name) {
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
                    && vocab.label_in(head, &vocab.name)
                {
                    return Some(value.to_string());
                }
            }
        }
    }
    None
}

fn funding_layout(
    sheet: &Sheet,
    labels: &Labels,
    vocab: &Vocab,
    header_row: u32,
    head: Head,
    end: u32,
) -> FundingLayout {
    let initial = head.col(Role::Initial);
    let full = head.col(Role::Full);
    let exec = head.col(Role::Exec).or(head.col(Role::Actual)).unwrap_or(0);
    let rate = head.col(Role::Rate);
    // The rate's denominator: the column whose letter the rate header names last ("B/A").
    let letter_of = |col: Option<u32>| {
        col.and_then(|c| head.columns.iter().find(|x| x.col == c))
            .and_then(|x| header_letters(&x.header).first().copied())
    };
    let named_base = rate
        .and_then(|r| head.columns.iter().find(|x| x.col == r))
        .and_then(|x| {
            let letters = header_letters(&x.header);
            (letters.len() == 2).then(|| letters[1])
        })
        .and_then(|base| {
            [initial, full]
                .into_iter()
                .find(|c| letter_of(*c) == Some(base))
                .flatten()
        });
    let base = named_base.or(full).or(initial).unwrap_or(exec);
    let cols = FundingCols {
        initial,
        full,
        exec,
        weight: head.col(Role::Weight),
        rate,
        score: head.col(Role::Score),
        base,
    };
    let first = cols.first();
    let money = [cols.full, Some(cols.exec), cols.initial];
    let mut rows = Vec::new();
    for row in header_row + 1..=end {
        if row <= header_row + 2 && is_annotation_row(sheet, row, first) {
            continue;
        }
        let label = row_label(sheet, row, first);
        let has_values = money.iter().any(|&c| cell_has_value(sheet, row, c));
        if row_has_label(labels, row, &vocab.goals)
            // Another table's header: only text, two or more role words (a 年度主要任务
            // table's 任务名称 | 主要内容 | 预算数 | 执行数).
            || (labels.header_like(row)
                && labels.row(row).iter().filter(|l| l.role.is_some()).count() >= 2)
            // A row naming two indicator levels is an indicator header nobody else claimed
            // (one level word alone may be a part's name: "一级预算单位").
            || labels
                .row(row)
                .iter()
                .filter(|l| matches!(l.role, Some(Role::L1 | Role::L2 | Role::L3)))
                .count()
                >= 2
            || (label.is_empty() && !has_values)
        {
            break;
        }
        rows.push((row, label));
    }
    // The total row is the one labelled as a total, else the first.
    let total_at = rows
        .iter()
        .position(|(_, label)| vocab.label_in(label, &vocab.fund_total))
        .unwrap_or(0);
    let total_row = rows.get(total_at).map(|r| r.0).unwrap_or(header_row + 1);
    // Parts, split into breakdowns where the form breaks the total down more than once
    // ("按收入性质分：…", "按支出性质分：…"): each breakdown adds up to the total on its own.
    // A heading stands in a row of its own or in a label cell merged down beside its parts.
    let mut part_rows = Vec::new();
    let mut breakdowns: Vec<(String, Vec<u32>)> = Vec::new();
    for (i, (row, label)) in rows.iter().enumerate() {
        if i == total_at {
            continue;
        }
        let heading = sheet
            .cells
            .range(CellRef::new(*row, 0)..CellRef::new(*row, first))
            .map(|(at, _)| sheet.shown_text(*at))
            .chain((0..first).map(|c| sheet.shown_text(CellRef::new(*row, c))))
            .find(|t| is_breakdown_heading(t));
        let has_values = money.iter().any(|&c| cell_has_value(sheet, *row, c));
        if let Some(h) = heading {
            if breakdowns.last().is_none_or(|(last, _)| *last != h) {
                breakdowns.push((h, Vec::new()));
            }
            if !has_values && is_breakdown_heading(label) {
                continue; // the heading's own row
            }
        } else if breakdowns.is_empty() {
            breakdowns.push((String::new(), Vec::new()));
        }
        part_rows.push(*row);
        if let Some(b) = breakdowns.last_mut() {
            b.1.push(*row);
        }
    }
    breakdowns.retain(|(_, rows)| !rows.is_empty());
    // "预算执行情况（万元）（20分）", "得分(20分*执行率)", "分值(10分)": the execution weight.
    let label_cells = sheet
        .cells
        .range(CellRef::new(total_row, 0)..CellRef::new(total_row, first))
        .map(|(r, c)| (*r, c.text()));
    let stated_weight = head
        .texts
        .iter()
        .find_map(|(cell, t)| stated_points(t).map(|d| (d, *cell)))
        .or_else(|| {
            label_cells
                .chain(
                    // A block label merged down the rows of the block, left of the header.
                    sheet
                        .merges
                        .iter()
                        .filter(|m| {
                            m.first.col < first
                                && m.first.row <= total_row
                                && m.last.row >= header_row
                        })
                        .map(|m| (m.first, sheet.text(m.first))),
                )
                .find_map(|(cell, t)| stated_points(&t).map(|d| (d, cell)))
        });
    FundingLayout {
        header_row,
        cols,
        columns: head.columns,
        total_row,
        part_rows,
        breakdowns,
        stated_weight,
    }
}

/// Whether a row under a header only annotates it: its cells from `from` on (three or more) are
/// column numbers (at least four, 1, 2, 3, 4… in order, "4=3/2" counting as 4; "栏次" beside
/// them) or units ("万元", "%", "分"). Such a row is neither a funding total nor an indicator.
fn is_annotation_row(sheet: &Sheet, row: u32, from: u32) -> bool {
    const UNITS: &[&str] = &[
        "万元", "元", "千元", "亿元", "分", "%", "(%)", "(万元)", "(元)", "(分)", "个", "项",
    ];
    let mut cells = 0;
    let mut numbers = Vec::new();
    for (_, c) in sheet
        .cells
        .range(CellRef::new(row, from)..CellRef::new(row + 1, 0))
    {
        match &c.value {
            CellValue::Empty => continue,
            CellValue::Number(f) => {
                // Column numbers are small whole numbers.
                if f.fract() != 0.0 || !(0.0..=1000.0).contains(f) {
                    return false;
                }
                numbers.push(*f as u32);
            }
            CellValue::Text(t) => {
                let t = crate::num::normalize(t.trim());
                if t.is_empty() {
                    continue;
                }
                if !(UNITS.contains(&t.as_str()) || matches!(t.as_str(), "栏次" | "序号" | "行次"))
                {
                    // "4=3/2", "6=4×5": a derived column's number.
                    let head = t.split('=').next().unwrap_or(&t);
                    match head.parse::<u32>() {
                        Ok(n) if head.len() < t.len() || head == t => numbers.push(n),
                        _ => return false,
                    }
                }
            }
            _ => return false,
        }
        cells += 1;
    }
    cells >= 3
        && (numbers.is_empty()
            || (numbers.len() >= 4 && numbers.windows(2).all(|w| w[1] == w[0] + 1)))
}

/// Whether a label heads one breakdown of the funding total: "按收入性质分：", "按支出性质分".
fn is_breakdown_heading(text: &str) -> bool {
    let key = header_key(text);
    let key = key.trim_end_matches([':', '：']);
    key.starts_with('按') && key.ends_with('分') && key.chars().count() <= 12
}

/// Whether a name is a "……" placeholder.
fn is_placeholder(t: &str) -> bool {
    let dots = |c: char| matches!(c, '…' | '.' | '。' | '·' | '⋯' | '-' | '—' | '．');
    if !t.trim_start().starts_with(dots) {
        return false;
    }
    let t = crate::num::normalize(t);
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '…' | '.' | '。' | '·' | '⋯' | '-' | '—'))
        && t.chars()
            .any(|c| matches!(c, '…' | '⋯') || t.chars().count() >= 3)
}

fn indicator_layout(
    sheet: &Sheet,
    labels: &Labels,
    vocab: &Vocab,
    header_row: u32,
    head: Head,
    end: u32,
) -> IndicatorLayout {
    let cols = IndicatorCols {
        l1: head.col(Role::L1),
        l2: head.col(Role::L2),
        l3: head.col(Role::L3),
        target: head.col(Role::Target),
        actual: head.col(Role::Actual),
        weight: head.col(Role::Weight),
        score: head.col(Role::Score),
        reason: head.col(Role::Reason),
        op: head.col(Role::Op),
        unit: head.col(Role::Unit),
    };
    let values = [cols.target, cols.actual, cols.weight, cols.score];
    let name_col = cols.l3.or(cols.l2);
    let first_level = [cols.l1, cols.l2, cols.l3].into_iter().flatten().min();
    let stated_weight = head
        .texts
        .iter()
        .filter(|(cell, _)| first_level.is_some_and(|c| cell.col < c))
        .find_map(|(cell, t)| stated_points(t).map(|d| (d, *cell)));
    let leftmost_data = values.iter().flatten().min().copied().unwrap_or(u32::MAX);
    let mut layout = IndicatorLayout {
        header_row,
        header_top: head.top,
        cols,
        columns: head.columns,
        rows: Vec::new(),
        skipped: Vec::new(),
        sections: Vec::new(),
        total_row: None,
        total_label: None,
        total_score: None,
        last_row: None,
        stated_weight,
    };
    let mut gap = false;
    let first_col = [cols.l1, cols.l2, cols.l3]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(0);
    for row in header_row + 1..=end {
        if row <= header_row + 2 && is_annotation_row(sheet, row, first_col) {
            layout.skipped.push((row, Skipped::Annotation));
            continue;
        }
        let cells = labels.row(row);
        let total_label = cells
            .iter()
            .find(|l| l.col < leftmost_data && l.is(&vocab.score_total));
        if let Some(l) = total_label {
            layout.total_row = Some(row);
            layout.total_label = Some(CellRef::new(row, l.col));
            let label_end = sheet
                .merge_at(CellRef::new(row, l.col))
                .map_or(l.col, |m| m.last.col);
            layout.total_score = match cols.score {
                Some(c) if sheet.has_text(CellRef::new(row, c)) || cols.weight.is_some() => {
                    Some(CellRef::new(row, c))
                }
                // "总分（100分） | 95 | 自评等级 | 优": the first number right of the label.
                _ => cells
                    .iter()
                    .find(|x| x.col > label_end && x.text.is_none())
                    .map(|x| CellRef::new(row, x.col))
                    .or(cols.score.map(|c| CellRef::new(row, c))),
            };
            break;
        }
        // The row's cells are in `cells` (the labels): read them there rather than looking each
        // up in the sheet and copying its text.
        let name_label = name_col.and_then(|c| cells.iter().find(|l| l.col == c));
        let name: std::borrow::Cow<str> = match name_label {
            Some(l) => match l.text {
                Some(t) => std::borrow::Cow::Borrowed(t),
                None => std::borrow::Cow::Owned(sheet.text(CellRef::new(row, l.col))),
            },
            None => std::borrow::Cow::Borrowed(""),
        };
        let has = |c: Option<u32>| c.is_some_and(|c| cells.iter().any(|l| l.col == c));
        let scored = has(cols.weight) || has(cols.score);
        let any_value = values.iter().any(|&c| has(c));
        // A section row: a 一级 group written across the grid above its indicators.
        if !any_value && (name.is_empty() || vocab.group_in(&name).is_some()) {
            // Its label is a 一级 name ("一、产出指标（50分）"; not "生态效益指标", an empty
            // 二级 group) standing at the grid's first level column, where no 一级 column is.
            let first_level = [cols.l1, cols.l2, cols.l3].into_iter().flatten().min();
            let section = cells.iter().find(|l| {
                Some(l.col) != cols.l1
                    && first_level.is_none_or(|c| l.col <= c)
                    && l.is(&vocab.groups)
            });
            if let Some(l) = section
                && (cols.l1.is_none() || cells.iter().all(|x| Some(x.col) != cols.l1))
            {
                layout.sections.push(CellRef::new(row, l.col));
                layout.skipped.push((row, Skipped::Section));
                layout.last_row = Some(row);
                gap = false;
                continue;
            }
        }
        if !name.is_empty() && is_placeholder(&name) && !scored {
            layout.skipped.push((row, Skipped::Placeholder));
            continue;
        }
        let stripped: std::borrow::Cow<str> = match name_label {
            Some(l) if !l.key.is_empty() => std::borrow::Cow::Borrowed(strip_numbering(&l.key)),
            _ => {
                std::borrow::Cow::Owned(strip_numbering(&crate::num::normalize(&name)).to_string())
            }
        };
        let detail_word = vocab
            .detail
            .iter()
            .any(|w| stripped.starts_with(w.as_str()));
        let has_target = has(cols.target) || has(cols.actual);
        let detail = !layout.rows.is_empty()
            && !scored
            && has_target
            && (detail_word || cols.weight.is_some());
        if detail {
            layout.skipped.push((row, Skipped::Detail));
            layout.last_row = Some(row);
            continue;
        }
        let named = !name.is_empty();
        if named || scored {
            layout.rows.push(row);
        }
        let grouped = has(cols.l1)
            || has(cols.l2)
            || cols
                .l1
                .is_some_and(|c| sheet.merge_at(CellRef::new(row, c)).is_some());
        if named || scored || (grouped && !gap) {
            layout.last_row = Some(row);
        } else if !grouped {
            // A blank row ends the grid: labels below it are notes, not indicator groups.
            gap = true;
        }
    }
    layout
}
