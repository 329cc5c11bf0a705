//! The indicator block: its columns by role across one- to three-row headers, the indicator
//! rows under their 一级 / 二级 groups, section rows, and the 总分 row that closes it.

use super::*;

pub(super) fn indicator_layout(
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
        derived: DerivedCols {
            share: head.col(Role::Share),
            scaled: head.col(Role::Scaled),
            ratio: head.col(Role::Ratio),
            completion: head.col(Role::Completion),
            deviation: head.col(Role::Deviation),
        },
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
            // Where the block has 折算得分, they are what adds up to 总分: its figure stands there.
            let score_col = cols.derived.scaled.or(cols.score);
            layout.total_score = match score_col {
                Some(c) if sheet.has_text(CellRef::new(row, c)) || cols.weight.is_some() => {
                    Some(CellRef::new(row, c))
                }
                // "总分（100分） | 95 | 自评等级 | 优": the first number right of the label.
                _ => cells
                    .iter()
                    .find(|x| x.col > label_end && x.text.is_none())
                    .map(|x| CellRef::new(row, x.col))
                    .or(score_col.map(|c| CellRef::new(row, c))),
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
