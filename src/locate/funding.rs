//! The funding block: its columns by role (the budget, execution, weight, rate and score
//! columns, the rate's denominator), its total row and the rows that are its parts, skipping
//! annotation rows and breakdown headings.

use super::*;

pub(super) fn funding_layout(
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
            // Below the parts, a row that names no funding source and holds text where the
            // amounts go is another part of the form (资金管理情况: 分配科学性…).
            || (!rows.is_empty()
                && !label.is_empty()
                && !vocab.names_fund_source(&label)
                && amounts_are_text(sheet, row, &money))
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

/// Whether a row's amount cells hold text and no number: words where money goes.
fn amounts_are_text(sheet: &Sheet, row: u32, money: &[Option<u32>]) -> bool {
    let mut text = false;
    for c in money.iter().flatten() {
        match sheet.get(CellRef::new(row, *c)).map(|cell| &cell.value) {
            Some(crate::grid::CellValue::Number(_)) => return false,
            Some(crate::grid::CellValue::Text(t)) => {
                let t = t.trim();
                if crate::num::parse_number_text(t).is_some() {
                    return false;
                }
                if !t.is_empty() && !crate::num::is_not_applicable(t) {
                    text = true;
                }
            }
            _ => {}
        }
    }
    text
}

/// Whether a label heads one breakdown of the funding total: "按收入性质分：", "按支出性质分".
pub(super) fn is_breakdown_heading(text: &str) -> bool {
    let key = header_key(text);
    let key = key.trim_end_matches([':', '：']);
    key.starts_with('按') && key.ends_with('分') && key.chars().count() <= 12
}
