//! The typed model of one 自评表: every value remembers the cell it came from, how it was
//! written (number, number stored as text, percentage, not-applicable marker, text) and its
//! formula, so that rules can name cells and corrections can keep the cell's representation.

use rust_decimal::Decimal;

use crate::locate::{FormLayout, FundingLayout, IndicatorLayout};
use crate::num::{
    self, Measure, dec_from_f64, is_not_applicable, parse_measure, parse_number_text,
};
use crate::read::{Cell, CellRef, CellValue, FormulaValue, Sheet};

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
}

impl Field {
    /// Reads the cell at a position (a blank field when nothing is stored).
    pub fn at(sheet: &Sheet, cell: CellRef) -> Field {
        match sheet.get(cell) {
            Some(c) => Field::from_cell(cell, c),
            None => Field {
                cell,
                raw: String::new(),
                value: Value::Blank,
                formula: None,
                percent_format: false,
                formula_note: None,
            },
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
                    formula: None,
                    formula_value: FormulaValue::Cached,
                    num_fmt: None,
                    bold: false,
                    style: None,
                }
                .text();
                (Value::Text(t.clone()), t)
            }
        };
        let formula_note = match (&c.formula, c.formula_value) {
            (Some(f), FormulaValue::Evaluated) => Some(format!(
                "（文件中公式 ={f} 没有保存计算结果，zpcheck 按公式算得 {}）",
                if raw.is_empty() {
                    "（空）"
                } else {
                    raw.as_str()
                }
            )),
            (Some(f), FormulaValue::Unevaluable) => Some(format!(
                "（文件中公式 ={f} 没有保存计算结果，zpcheck 无法计算，按空白处理）"
            )),
            _ => None,
        };
        Field {
            cell,
            raw,
            value,
            formula: c.formula.clone(),
            percent_format,
            formula_note,
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
    pub fn measure(&self) -> Option<Measure> {
        match &self.value {
            Value::Number {
                value,
                percent: Percent::Format,
                from_text: false,
            } => Some(Measure {
                op: None,
                value: (*value * Decimal::ONE_HUNDRED).normalize(),
                unit: "%".into(),
            }),
            Value::Number {
                from_text: false,
                value,
                ..
            } => Some(Measure {
                op: None,
                value: *value,
                unit: String::new(),
            }),
            Value::Blank | Value::NotApplicable => None,
            _ => parse_measure(&self.raw),
        }
    }

    /// The value shown in messages and the findings sheet ("（空）" for a blank cell).
    pub fn shown(&self) -> String {
        if self.raw.is_empty() {
            "（空）".to_string()
        } else {
            self.raw.clone()
        }
    }
}

/// One row of the funding block.
#[derive(Debug, Clone, PartialEq)]
pub struct FundRow {
    /// The row's label ("年度资金总额", "上级安排").
    pub label: String,
    /// 年初预算数.
    pub initial: Option<Field>,
    /// 全年预算数.
    pub full: Field,
    /// 全年执行数.
    pub exec: Field,
    /// 分值.
    pub weight: Option<Field>,
    /// 执行率.
    pub rate: Option<Field>,
    /// 得分.
    pub score: Option<Field>,
}

/// The funding block: a total row and its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Funding {
    /// The total row.
    pub total: FundRow,
    /// The part rows.
    pub parts: Vec<FundRow>,
}

/// One indicator row.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// 一级指标 (inherited through merged cells and blank cells above).
    pub level1: String,
    /// Where the 一级 label stands.
    pub level1_cell: CellRef,
    /// 二级指标.
    pub level2: String,
    /// 三级指标 (the indicator's name).
    pub name: String,
    /// Target (for the Sichuan layout, operator + number + unit joined).
    pub target: Field,
    /// Actual.
    pub actual: Field,
    /// Weight.
    pub weight: Field,
    /// Score.
    pub score: Field,
    /// Reason cell, when the form has the column.
    pub reason: Option<Field>,
}

/// The 总分 row.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalRow {
    /// Total weight cell.
    pub weight: Field,
    /// Total score cell.
    pub score: Field,
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
    /// The year the title area names, if it names one.
    pub year: Option<u16>,
    /// The funding block.
    pub funding: Option<Funding>,
    /// The indicators.
    pub indicators: Vec<Indicator>,
    /// Whether the indicator block has a reason column.
    pub has_reason_column: bool,
    /// The 总分 row.
    pub total: Option<TotalRow>,
    /// The grade cell, if the form states a grade.
    pub grade: Option<Field>,
    /// The goals: 预期目标 and 实际完成情况 text, when the form has the block.
    pub goals: Option<(Field, Field)>,
    /// First and last row of the form's grid (header to 总分), for drawing its borders.
    pub rows: (u32, u32),
    /// The header rows of the funding and indicator blocks, drawn bold when no style is known.
    pub header_rows: Vec<u32>,
}

impl Form {
    /// Builds the model of a located form.
    pub fn build(sheet: &Sheet, layout: &FormLayout) -> Form {
        let (indicators, total, has_reason_column) = match &layout.indicators {
            Some(ind) => {
                let (list, total) = build_indicators(sheet, ind);
                (list, total, ind.cols.reason.is_some())
            }
            None => (Vec::new(), None, false),
        };
        Form {
            sheet: sheet.name.clone(),
            title: layout.title.clone().unwrap_or_else(|| sheet.name.clone()),
            name: layout.name.clone(),
            year: layout.year,
            funding: layout.funding.as_ref().map(|f| build_funding(sheet, f)),
            indicators,
            has_reason_column,
            total,
            grade: layout.grade.map(|c| Field::at(sheet, c)),
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
        }
    }
}

fn grid_rows(layout: &FormLayout) -> (u32, u32) {
    let f = layout.funding.as_ref();
    let i = layout.indicators.as_ref();
    let first = [f.map(|f| f.header_row), i.map(|i| i.header_row)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(layout.first_row);
    let last = [
        f.map(|f| f.part_rows.last().copied().unwrap_or(f.total_row)),
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
            full: at(f.cols.full),
            exec: at(f.cols.exec),
            weight: f.cols.weight.map(at),
            rate: f.cols.rate.map(at),
            score: f.cols.score.map(at),
        }
    };
    Funding {
        total: row(f.total_row),
        parts: f.part_rows.iter().map(|&r| row(r)).collect(),
    }
}

/// Joins the Sichuan layout's operator and unit columns onto a bare number.
fn with_op_and_unit(mut field: Field, op: Option<String>, unit: Option<String>) -> Field {
    let op = op.filter(|s| !s.is_empty() && !is_not_applicable(s));
    let unit = unit.filter(|s| !s.is_empty() && !is_not_applicable(s));
    if (op.is_none() && unit.is_none()) || field.is_empty() {
        return field;
    }
    let body = field.raw.clone();
    let joined = format!(
        "{}{}{}",
        op.unwrap_or_default(),
        body,
        unit.unwrap_or_default()
    );
    if parse_measure(&joined).is_some() {
        field.value = Value::Text(joined.clone());
        field.raw = joined;
    }
    field
}

fn build_indicators(sheet: &Sheet, ind: &IndicatorLayout) -> (Vec<Indicator>, Option<TotalRow>) {
    let c = ind.cols;
    let mut list = Vec::new();
    let mut l1 = (String::new(), CellRef::new(ind.header_row, c.l1));
    let mut l2 = String::new();
    for &r in &ind.rows {
        let pos = |col| CellRef::new(r, col);
        let own1 = sheet.text(pos(c.l1));
        let shown1 = sheet.shown_text(pos(c.l1));
        if !own1.is_empty() {
            l1 = (own1, pos(c.l1));
            l2.clear();
        } else if !shown1.is_empty() && shown1 != l1.0 {
            let origin = sheet
                .merge_at(pos(c.l1))
                .map(|m| m.first)
                .unwrap_or(pos(c.l1));
            l1 = (shown1, origin);
            l2.clear();
        }
        let shown2 = sheet.shown_text(pos(c.l2));
        if !shown2.is_empty() {
            l2 = shown2;
        }
        let name = sheet.text(pos(c.l3));
        let op = c.op.map(|col| sheet.text(pos(col)));
        let unit = c.unit.map(|col| sheet.text(pos(col)));
        let target = with_op_and_unit(Field::at(sheet, pos(c.target)), op, unit.clone());
        let actual = with_op_and_unit(Field::at(sheet, pos(c.actual)), None, unit);
        list.push(Indicator {
            level1: l1.0.clone(),
            level1_cell: l1.1,
            level2: l2.clone(),
            name,
            target,
            actual,
            weight: Field::at(sheet, pos(c.weight)),
            score: Field::at(sheet, pos(c.score)),
            reason: c.reason.map(|col| Field::at(sheet, pos(col))),
        });
    }
    let total = ind.total_row.map(|r| TotalRow {
        weight: Field::at(sheet, CellRef::new(r, c.weight)),
        score: Field::at(sheet, CellRef::new(r, c.score)),
    });
    (list, total)
}
