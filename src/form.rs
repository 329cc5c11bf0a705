//! The typed model of one 自评表: every value remembers the cell it came from, how it was
//! written (number, number stored as text, percentage, not-applicable marker, text) and its
//! formula, so that rules can name cells and corrections can keep the cell's representation.

use rust_decimal::Decimal;

use crate::grid::{Cell, CellRef, CellValue, FormulaValue, Sheet};
use crate::locate::{FormLayout, FundingLayout, IndicatorLayout};
use crate::num::{self, Measure, dec_from_f64, is_not_applicable, parse_number_text};
use crate::vocab::Vocab;

/// How a blank cell is shown in messages and on the 核查结果 sheet (JSON says `null`).
pub const BLANK: &str = "（空）";

/// How a number was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Percent {
    /// A plain number.
    No,
    /// A fraction in a cell formatted as a percentage (0.9963 shown as 99.63%).
    Format,
    /// Text with a percent sign ("99.63%"); the number is in percent units.
    Sign,
}

/// What a cell holds, as far as the rules are concerned.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing.
    Blank,
    /// A not-applicable marker ("—", "/", "-").
    NotApplicable,
    /// A number, with how it was written.
    Number {
        /// The number as stored (a fraction for [`Percent::Format`]).
        value: Decimal,
        /// Percentage representation.
        percent: Percent,
        /// Whether it was stored as text.
        from_text: bool,
    },
    /// Text that is not a number.
    Text(String),
}

/// One cell of the form, with its value and provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Where it is.
    pub cell: CellRef,
    /// The value as a person reads it.
    pub raw: String,
    /// The interpreted value.
    pub value: Value,
    /// The cell's formula, if any.
    pub formula: Option<String>,
    /// Whether the cell is formatted as a percentage (even when blank).
    pub percent_format: bool,
    /// For a formula the file held no result for: how zpcheck got the value.
    pub formula_note: Option<String>,
    /// The decimals the cell shows (in percent units for a percentage): from its number
    /// format, or as written in text; a number in a General cell claims two.
    pub shown_dp: u32,
    /// The sheet it stands on, when that is not the form's own (a funding block on a sheet of
    /// its own).
    pub sheet: Option<String>,
    /// Whether a number stands in a General cell (no number format of its own): its precision
    /// is the two decimals a General number claims, whatever it holds (a fraction 0.9586
    /// claims two decimals of the percent).
    pub general: bool,
}

impl Field {
    /// Reads the cell at a position (a blank field when nothing is stored).
    pub fn at(sheet: &Sheet, cell: CellRef) -> Field {
        match sheet.get(cell) {
            Some(c) => {
                let mut f = Field::from_cell(cell, c);
                // Without number formats (.xls, .ods) the precision shown is unknown. A number
                // stored with one decimal is most likely shown with one, and is judged at that
                // precision (a warning, never a correction, when right there); a whole number
                // claims two decimals, as in a General cell (full marks given where 19.6 was
                // due stays an error).
                if !sheet.formats_known
                    && let (CellValue::Number(_), Value::Number { value, .. }) =
                        (&c.value, &f.value)
                    && value.normalize().scale() == 1
                {
                    f.shown_dp = 1;
                    f.general = false;
                }
                f
            }
            None => Field::blank(cell),
        }
    }

    /// A blank field at a position (for a column the form does not have).
    pub fn blank(cell: CellRef) -> Field {
        Field {
            cell,
            raw: String::new(),
            value: Value::Blank,
            formula: None,
            percent_format: false,
            formula_note: None,
            shown_dp: 2,
            sheet: None,
            general: true,
        }
    }

    fn from_cell(cell: CellRef, c: &Cell) -> Field {
        let percent_format = c.is_percent_format();
        let (value, raw) = match &c.value {
            CellValue::Number(f) => match dec_from_f64(*f) {
                Some(d) => {
                    let raw = if percent_format {
                        format!(
                            "{}%",
                            num::fmt_dec(num::round_dp(d * Decimal::ONE_HUNDRED, 4))
                        )
                    } else {
                        num::fmt_dec(d)
                    };
                    (
                        Value::Number {
                            value: d,
                            percent: if percent_format {
                                Percent::Format
                            } else {
                                Percent::No
                            },
                            from_text: false,
                        },
                        raw,
                    )
                }
                None => (Value::Text(c.text()), c.text()),
            },
            CellValue::Text(s) => {
                let t = s.trim();
                let v = if t.is_empty() {
                    Value::Blank
                } else if is_not_applicable(t) {
                    Value::NotApplicable
                } else if let Some((d, pct)) = parse_number_text(t) {
                    Value::Number {
                        value: d,
                        percent: if pct { Percent::Sign } else { Percent::No },
                        from_text: true,
                    }
                } else {
                    Value::Text(t.to_string())
                };
                (v, t.to_string())
            }
            CellValue::Empty => (Value::Blank, String::new()),
            other => {
                let t = Cell {
                    value: other.clone(),
                    ..Cell::blank()
                }
                .text();
                (Value::Text(t.clone()), t)
            }
        };
        let formula_note = match (&c.formula, c.formula_value) {
            (Some(f), FormulaValue::Evaluated) => Some(format!(
                "（文件中公式 ={f} 没有保存计算结果，zpcheck 按公式算得 {}）",
                if raw.is_empty() { BLANK } else { raw.as_str() }
            )),
            (Some(f), FormulaValue::Unevaluable) => Some(format!(
                "（文件中公式 ={f} 没有保存计算结果，zpcheck 无法计算，按空白处理）"
            )),
            _ => None,
        };
        let shown_dp = match (&c.value, &value) {
            (CellValue::Number(_), _) => c.num_fmt.as_deref().map_or(2, format_decimals),
            (_, Value::Number { .. }) => text_decimals(&raw),
            _ => 2,
        };
        let general = match &c.value {
            CellValue::Number(_) => c.num_fmt.as_deref().is_none_or(|f| {
                let section = f.split(';').next().unwrap_or(f);
                section.is_empty() || section.eq_ignore_ascii_case("general")
            }),
            _ => false,
        };
        Field {
            cell,
            raw,
            value,
            formula: c.formula.clone(),
            percent_format,
            formula_note,
            shown_dp,
            sheet: None,
            general,
        }
    }

    /// The number as stored, for money, weights and scores (`None` if blank, a marker or text).
    pub fn number(&self) -> Option<Decimal> {
        match self.value {
            Value::Number { value, percent, .. } => Some(match percent {
                Percent::Format => value * Decimal::ONE_HUNDRED,
                _ => value,
            }),
            _ => None,
        }
        .map(|d| d.normalize())
    }

    /// Whether the cell is blank or a not-applicable marker.
    pub fn is_empty(&self) -> bool {
        matches!(self.value, Value::Blank | Value::NotApplicable)
    }

    /// The value as a target or actual: a number becomes a measure without operator; a
    /// percent-formatted number is in percent units with unit "%".
    pub fn measure_with(&self, vocab: &crate::vocab::Vocab) -> Option<Measure> {
        match &self.value {
            Value::Number {
                value,
                percent: Percent::Format,
                from_text: false,
            } => Some(Measure {
                op: None,
                value: (*value * Decimal::ONE_HUNDRED).normalize(),
                unit: "%".into(),
                approx: false,
            }),
            Value::Number {
                from_text: false,
                value,
                ..
            } => Some(Measure {
                op: None,
                value: *value,
                unit: String::new(),
                approx: false,
            }),
            Value::Blank | Value::NotApplicable => None,
            _ => vocab.measure(&self.raw),
        }
    }

    /// The value shown in messages and the findings sheet ([`BLANK`] for a blank cell).
    pub fn shown(&self) -> String {
        if self.raw.is_empty() {
            BLANK.to_string()
        } else {
            self.raw.clone()
        }
    }
}

/// The decimals a number format shows: "0.0" → 1, "0.00%" → 2, "#,##0" → 0; General and
/// formats zpcheck cannot read claim two.
pub fn format_decimals(fmt: &str) -> u32 {
    let section = fmt.split(';').next().unwrap_or(fmt);
    if section.eq_ignore_ascii_case("general") || section.is_empty() {
        return 2;
    }
    // Quoted text and escaped characters do not count.
    let mut in_quote = false;
    let mut after_point = None;
    let mut escaped = false;
    for c in section.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' => in_quote = !in_quote,
            '\\' if !in_quote => escaped = true,
            '.' if !in_quote && after_point.is_none() => after_point = Some(0u32),
            '0' | '#' | '?' if !in_quote => {
                if let Some(n) = after_point.as_mut() {
                    *n += 1;
                }
            }
            _ => {}
        }
    }
    after_point.unwrap_or(0)
}

/// The decimals a number written as text shows: "89.7%" → 1, "31%" → 0, "1,852.18" → 2.
pub fn text_decimals(raw: &str) -> u32 {
    let n = num::normalize(raw);
    match n.split_once('.') {
        Some((_, frac)) => frac.chars().take_while(|c| c.is_ascii_digit()).count() as u32,
        None => 0,
    }
}

/// One row of the funding block.
#[derive(Debug, Clone, PartialEq)]
pub struct FundRow {
    /// The row's label ("年度资金总额", "上级安排").
    pub label: String,
    /// 年初预算数.
    pub initial: Option<Field>,
    /// 全年预算数 (absent in forms with a single budget column, 年初预算数(A)).
    pub full: Option<Field>,
    /// 全年执行数.
    pub exec: Field,
    /// 分值.
    pub weight: Option<Field>,
    /// 执行率.
    pub rate: Option<Field>,
    /// 得分.
    pub score: Option<Field>,
}

/// Which budget column the execution rate divides by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// 全年预算数.
    Full,
    /// 年初预算数 (the form names it, "B/A", or it is the only budget column).
    Initial,
}

/// The funding block: a total row and its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Funding {
    /// The total row.
    pub total: FundRow,
    /// The part rows.
    pub parts: Vec<FundRow>,
    /// The parts grouped by breakdown: (heading, indices into `parts`); each breakdown adds
    /// up to the total on its own.
    pub breakdowns: Vec<(String, Vec<usize>)>,
    /// The column the rate divides by.
    pub base: Base,
    /// The execution weight a label or header states ("（20分）"), when there is no 分值 cell.
    pub stated_weight: Option<(Decimal, CellRef)>,
    /// Whether the 执行率 column's header says its numbers are percents ("执行率(%)"): a plain
    /// 95.86 there is 95.86%, never a fraction.
    pub rate_in_percent: bool,
}

/// One indicator row.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// 一级指标 (from its column, merged or above, or from a section row).
    pub level1: String,
    /// Where the 一级 label stands.
    pub level1_cell: CellRef,
    /// 二级指标.
    pub level2: String,
    /// 三级指标 (the indicator's name).
    pub name: String,
    /// Target (for the operator-column layout, operator + number + unit joined).
    pub target: Field,
    /// Actual.
    pub actual: Field,
    /// Weight; `None` when the block has no 分值 column (weights stated per 一级 group).
    /// For a weight merged down over several indicators, the first of them holds it and the
    /// others a blank field (see `weight_shared`).
    pub weight: Option<Field>,
    /// The merged 分值 cell this indicator shares with the indicators beside it, if any: the
    /// weight is theirs together, not this indicator's alone.
    pub weight_shared: Option<crate::grid::Merge>,
    /// Score.
    pub score: Field,
    /// Reason cell, when the form has the column.
    pub reason: Option<Field>,
    /// The derived columns' cells on this row (see [`Derived`]).
    pub derived: Derived,
}

/// An indicator's cells in the derived columns some templates add. In a block with 折算得分
/// (Hebei), the 折算得分 is what adds up to 总分, so it is the indicator's `score`; the score
/// it is scaled from (单项指标得分) and a 分值 beside it are kept here, and the indicator has no
/// weight of its own for rules 4–7 (its points are its 权重占比 of the whole).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Derived {
    /// 权重占比.
    pub share: Option<Field>,
    /// 单项指标得分: the score the 折算得分 is scaled from.
    pub unit_score: Option<Field>,
    /// 分值 beside a 折算得分 (on the unscaled score's scale).
    pub unit_weight: Option<Field>,
    /// 得分系数.
    pub ratio: Option<Field>,
    /// 完成率.
    pub completion: Option<Field>,
    /// 偏差率.
    pub deviation: Option<Field>,
}

/// The 总分 row.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalRow {
    /// Total weight cell, when the block has a 分值 column.
    pub weight: Option<Field>,
    /// Total score cell.
    pub score: Field,
    /// The total its label states ("总分（100分）").
    pub stated: Option<Decimal>,
}

/// One form.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The sheet it is on.
    pub sheet: String,
    /// Its title line, or the sheet name.
    pub title: String,
    /// The unit's or project's name, if labelled.
    pub name: Option<String>,
    /// The 主管部门, if labelled.
    pub department: Option<String>,
    /// The 实施单位, if labelled.
    pub unit: Option<String>,
    /// The year the title area names, if it names one.
    pub year: Option<u16>,
    /// The funding block.
    pub funding: Option<Funding>,
    /// The indicators.
    pub indicators: Vec<Indicator>,
    /// Whether the indicator block has a reason column.
    pub has_reason_column: bool,
    /// The indicator block's derived columns.
    pub derived_cols: crate::locate::DerivedCols,
    /// The 总分 row.
    pub total: Option<TotalRow>,
    /// The grade cell, if the form states a grade.
    pub grade: Option<Field>,
    /// The 评价结论 cell, when the form has the row.
    pub conclusion: Option<Field>,
    /// The goals: 预期目标 and 实际完成情况 text, when the form has the block.
    pub goals: Option<(Field, Field)>,
    /// First and last row of the form's grid (header to 总分), for drawing its borders.
    pub rows: (u32, u32),
    /// The header rows of the funding and indicator blocks, drawn bold when no style is known.
    pub header_rows: Vec<u32>,
    /// What could not be read; empty when the form was read completely.
    pub unread: Vec<crate::locate::Unread>,
    /// The form's first header cell.
    pub anchor: CellRef,
    /// The sheet holding the funding block, when it is not the form's own.
    pub split_sheet: Option<String>,
    /// The points a label states for the whole indicator block ("年度绩效目标（80分）"), with
    /// the label's cell and text.
    pub indicators_stated: Option<(Decimal, CellRef, String)>,
    /// The form has no 分值 or 得分 anywhere by design (the central transfer-payment
    /// 绩效目标自评表): its funding block is checked; its indicators are read, not scored.
    pub unscored: bool,
}

impl Form {
    /// Builds the model of a located form.
    pub fn build(sheet: &Sheet, layout: &FormLayout, vocab: &Vocab) -> Form {
        let unscored = layout.unscored(sheet);
        let (indicators, total, has_reason_column, derived_cols) = match &layout.indicators {
            Some(ind) => {
                let (list, total) = build_indicators(sheet, ind, unscored, vocab);
                (list, total, ind.cols.reason.is_some(), ind.cols.derived)
            }
            None => (Vec::new(), None, false, Default::default()),
        };
        Form {
            sheet: sheet.name.clone(),
            title: layout.title.clone().unwrap_or_else(|| sheet.name.clone()),
            name: layout.name.clone(),
            department: layout.department.clone(),
            unit: layout.unit.clone(),
            year: layout.year,
            funding: layout.funding.as_ref().map(|f| build_funding(sheet, f)),
            indicators,
            has_reason_column,
            derived_cols,
            total,
            grade: layout.grade.map(|c| Field::at(sheet, c)),
            conclusion: layout.conclusion.map(|c| Field::at(sheet, c)),
            goals: layout
                .goals
                .map(|(e, a)| (Field::at(sheet, e), Field::at(sheet, a))),
            rows: grid_rows(layout),
            header_rows: [
                layout.funding.as_ref().map(|f| f.header_row),
                layout.indicators.as_ref().map(|i| i.header_row),
            ]
            .into_iter()
            .flatten()
            .collect(),
            unread: layout.unread.clone(),
            anchor: layout.anchor(),
            split_sheet: None,
            unscored,
            indicators_stated: layout
                .indicators
                .as_ref()
                .and_then(|i| i.stated_weight)
                .map(|(d, c)| (d, c, sheet.text(c))),
        }
    }

    /// Builds one form from a funding block on one sheet and an indicator block on another
    /// (a workbook whose 资金 and 指标 sheets make one form). The form is the indicator
    /// sheet's; the funding fields remember their own sheet.
    pub fn build_split(
        funding_sheet: &Sheet,
        funding: &FormLayout,
        indicator_sheet: &Sheet,
        indicators: &FormLayout,
        vocab: &Vocab,
    ) -> Form {
        let mut form = Form::build(indicator_sheet, indicators, vocab);
        form.unscored = form.unscored && funding.funding_unscored();
        let keep = |u: &&crate::locate::Unread| !u.missing_block;
        form.unread = funding
            .unread
            .iter()
            .filter(keep)
            .chain(indicators.unread.iter().filter(keep))
            .cloned()
            .collect();
        form.funding = funding.funding.as_ref().map(|f| {
            let mut built = build_funding(funding_sheet, f);
            for row in std::iter::once(&mut built.total).chain(built.parts.iter_mut()) {
                for field in [
                    row.initial.as_mut(),
                    row.full.as_mut(),
                    Some(&mut row.exec),
                    row.weight.as_mut(),
                    row.rate.as_mut(),
                    row.score.as_mut(),
                ]
                .into_iter()
                .flatten()
                {
                    field.sheet = Some(funding_sheet.name.clone());
                }
            }
            built
        });
        if form.name.is_none() {
            form.name = funding.name.clone();
        }
        if form.department.is_none() {
            form.department = funding.department.clone();
        }
        if form.unit.is_none() {
            form.unit = funding.unit.clone();
        }
        if form.year.is_none() {
            form.year = funding.year;
        }
        form.split_sheet = Some(funding_sheet.name.clone());
        form
    }

    /// Whether every part of the form was read: only then are 总分, the grade and the weight
    /// totals checked (and corrected).
    pub fn complete(&self) -> bool {
        self.unread.is_empty()
    }
}

fn grid_rows(layout: &FormLayout) -> (u32, u32) {
    let f = layout.funding.as_ref();
    let i = layout.indicators.as_ref();
    let first = [f.map(|f| f.header_row), i.map(|i| i.header_top)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(layout.first_row);
    let last = [
        f.map(|f| {
            f.part_rows
                .iter()
                .copied()
                .chain([f.total_row])
                .max()
                .unwrap_or(f.total_row)
        }),
        i.and_then(|i| i.total_row.or(i.last_row)),
        i.map(|i| i.header_row),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(first);
    (first, last)
}

fn build_funding(sheet: &Sheet, f: &FundingLayout) -> Funding {
    let row = |r: u32| {
        let at = |c: u32| Field::at(sheet, CellRef::new(r, c));
        let label = sheet
            .cells
            .range(CellRef::new(r, 0)..CellRef::new(r, f.cols.first()))
            .rev()
            .map(|(_, c)| c.text().trim().to_string())
            .find(|t| !t.is_empty())
            .unwrap_or_default();
        FundRow {
            label,
            initial: f.cols.initial.map(at),
            full: f.cols.full.map(at),
            exec: at(f.cols.exec),
            weight: f.cols.weight.map(at),
            rate: f.cols.rate.map(at),
            score: f.cols.score.map(at),
        }
    };
    let breakdowns = f
        .breakdowns
        .iter()
        .map(|(heading, rows)| {
            let idx = rows
                .iter()
                .filter_map(|r| f.part_rows.iter().position(|p| p == r))
                .collect();
            (heading.clone(), idx)
        })
        .collect();
    Funding {
        total: row(f.total_row),
        parts: f.part_rows.iter().map(|&r| row(r)).collect(),
        breakdowns,
        base: if Some(f.cols.base) == f.cols.full {
            Base::Full
        } else {
            Base::Initial
        },
        stated_weight: f.stated_weight,
        rate_in_percent: f.columns.iter().any(|c| {
            c.role == crate::vocab::Role::Rate
                && (c.header.contains('%') || c.header.contains('％'))
        }),
    }
}

/// Joins the operator and unit columns onto a bare number. A unit the value already carries
/// ("100%" under a "%" unit column) is not written twice.
fn with_op_and_unit(
    mut field: Field,
    op: Option<String>,
    unit: Option<String>,
    vocab: &Vocab,
) -> Field {
    let op = op.filter(|s| !s.is_empty() && !is_not_applicable(s));
    let unit = unit.filter(|s| !s.is_empty() && !is_not_applicable(s));
    if (op.is_none() && unit.is_none()) || field.is_empty() {
        return field;
    }
    let body = field.raw.clone();
    let carries_unit = vocab.measure(&body).is_some_and(|m| !m.unit.is_empty());
    let unit = if carries_unit { None } else { unit };
    let joined = format!(
        "{}{}{}",
        op.unwrap_or_default(),
        body,
        unit.unwrap_or_default()
    );
    if joined != body && vocab.measure(&joined).is_some() {
        field.value = Value::Text(joined.clone());
        field.raw = joined;
    }
    field
}

fn build_indicators(
    sheet: &Sheet,
    ind: &IndicatorLayout,
    unscored: bool,
    vocab: &Vocab,
) -> (Vec<Indicator>, Option<TotalRow>) {
    let mut c = ind.cols;
    let mut list = Vec::new();
    // A block with 折算得分: those add up to 总分 and are the indicators' scores; the 得分 they
    // are scaled from and any 分值 beside them are derived inputs (see [`Derived`]).
    let (unit_score_col, unit_weight_col) = match c.derived.scaled {
        Some(scaled) => {
            let unit = (c.score, c.weight);
            c.score = Some(scaled);
            c.weight = None;
            unit
        }
        None => (None, None),
    };
    // Without a score column nothing about an indicator can be checked, unless the form has
    // no scores by design: its indicators are read (and shown) with a blank score.
    let score_col = match (c.score, unscored) {
        (Some(col), _) => col,
        (None, true) => c.target.or(c.l3).or(c.l2).unwrap_or(0),
        (None, false) => return (list, None),
    };
    let mut l2 = (String::new(), u32::MAX);
    let groups = crate::locate::group_labels(sheet, ind);
    for (&r, group) in ind.rows.iter().zip(groups) {
        let pos = |col| CellRef::new(r, col);
        let (level1_cell, level1) = group.unwrap_or((
            CellRef::new(ind.header_row, c.l1.unwrap_or(0)),
            String::new(),
        ));
        if let Some(col) = c.l2 {
            let shown2 = sheet.shown_text(pos(col));
            if !shown2.is_empty() {
                l2 = (shown2, level1_cell.row);
            } else if l2.1 != level1_cell.row {
                // A new 一级 group starts with no 二级 label yet.
                l2.0.clear();
            }
        }
        let name_col = c.l3.or(c.l2).unwrap_or(0);
        let name = sheet.text(pos(name_col));
        let field = |col: Option<u32>| match col {
            Some(col) => Field::at(sheet, pos(col)),
            None => Field::blank(pos(name_col)),
        };
        let op = c.op.map(|col| sheet.text(pos(col)));
        let unit = c.unit.map(|col| sheet.text(pos(col)));
        let target = with_op_and_unit(field(c.target), op, unit.clone(), vocab);
        let actual = with_op_and_unit(field(c.actual), None, unit, vocab);
        // A 分值 merged down over several indicator rows is shared by them.
        let shared = c.weight.and_then(|col| {
            sheet
                .merge_at(pos(col))
                .filter(|m| m.first.row < m.last.row)
                .filter(|m| {
                    ind.rows
                        .iter()
                        .filter(|r| (m.first.row..=m.last.row).contains(r))
                        .count()
                        > 1
                })
                .copied()
        });
        let weight = c.weight.map(|col| match shared {
            Some(m) => {
                let first = ind.rows.iter().find(|r| **r >= m.first.row).copied();
                if first == Some(r) {
                    let mut f = Field::at(sheet, m.first);
                    f.cell = m.first;
                    f
                } else {
                    Field::blank(pos(col))
                }
            }
            None => Field::at(sheet, pos(col)),
        });
        list.push(Indicator {
            level1,
            level1_cell,
            level2: l2.0.clone(),
            name,
            target,
            actual,
            weight,
            weight_shared: shared,
            score: if unscored {
                Field::blank(pos(score_col))
            } else {
                Field::at(sheet, pos(score_col))
            },
            reason: c.reason.map(|col| Field::at(sheet, pos(col))),
            derived: Derived {
                share: c.derived.share.map(|col| Field::at(sheet, pos(col))),
                unit_score: unit_score_col.map(|col| Field::at(sheet, pos(col))),
                unit_weight: unit_weight_col.map(|col| Field::at(sheet, pos(col))),
                ratio: c.derived.ratio.map(|col| Field::at(sheet, pos(col))),
                completion: c.derived.completion.map(|col| Field::at(sheet, pos(col))),
                deviation: c.derived.deviation.map(|col| Field::at(sheet, pos(col))),
            },
        });
    }
    let total = ind.total_row.map(|r| TotalRow {
        weight: c.weight.map(|col| Field::at(sheet, CellRef::new(r, col))),
        score: Field::at(sheet, ind.total_score.unwrap_or(CellRef::new(r, score_col))),
        stated: ind
            .total_label
            .and_then(|l| crate::vocab::stated_points(&sheet.text(l))),
    });
    (list, total)
}
