//! A sheet's cells as the locator sees them: each non-empty cell classified once (its role as a
//! header, its comparison key), header rows read into roles by column, row labels.

use super::*;

/// One non-empty cell as the locator sees it.
pub(super) struct Label<'a> {
    pub(super) col: u32,
    /// The trimmed text of a text cell; `None` for numbers and other values.
    pub(super) text: Option<&'a str>,
    /// The role its text names as a header, computed once.
    pub(super) role: Option<Role>,
    /// Its [`header_key`] (empty for long texts and other values), computed once and
    /// borrowed from the cell where that changes nothing.
    pub(super) key: std::borrow::Cow<'a, str>,
    /// Where its [`words_of_key`] lies in `key`: row labels are compared by that.
    pub(super) words: std::ops::Range<usize>,
    /// Whether it labels the goals block ("年度总体目标"): such a row is never a header,
    /// though "目标" is a target word.
    pub(super) goals: bool,
}

impl Label<'_> {
    /// The label as compared with a row list ("其中：上级安排（万元）" → "上级安排").
    pub(super) fn words(&self) -> &str {
        &self.key[self.words.clone()]
    }

    /// Whether the label is one of a row list's words.
    pub(super) fn is(&self, list: &[String]) -> bool {
        let w = self.words();
        !w.is_empty() && list.iter().any(|x| x == w)
    }
}

/// A sheet's non-empty cells by row, classified once per sheet: every search below reads these.
pub(super) struct Labels<'a> {
    /// (row, its labels left to right), rows in order.
    pub(super) rows: Vec<(u32, Vec<Label<'a>>)>,
}

/// Texts longer than this are sentences (goals, notes), never headers.
pub(super) const MAX_HEADER_CHARS: usize = 40;

impl<'a> Labels<'a> {
    pub(super) fn new(sheet: &'a Sheet, vocab: &Vocab) -> Self {
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

    pub(super) fn row(&self, row: u32) -> &[Label<'a>] {
        match self.rows.binary_search_by_key(&row, |(r, _)| *r) {
            Ok(i) => &self.rows[i].1,
            Err(_) => &[],
        }
    }

    /// The rows from `from` to `to` (both included), top to bottom.
    pub(super) fn range(&self, from: u32, to: u32) -> impl Iterator<Item = (u32, &[Label<'a>])> {
        let start = self.rows.partition_point(|(r, _)| *r < from);
        let end = self.rows.partition_point(|(r, _)| *r <= to);
        self.rows[start..end.max(start)]
            .iter()
            .map(|(r, cells)| (*r, cells.as_slice()))
    }

    /// The texts of the text cells in rows `from..to`, top to bottom.
    pub(super) fn texts(&self, from: u32, to: u32) -> impl Iterator<Item = &str> {
        self.range(from, to.saturating_sub(1))
            .filter(move |_| to > from)
            .flat_map(|(_, cells)| cells.iter().filter_map(|l| l.text))
    }

    /// Whether a row looks like (part of) a header: only text, and at least one role word.
    pub(super) fn header_like(&self, row: u32) -> bool {
        let cells = self.row(row);
        !cells.is_empty()
            && cells.iter().all(|l| l.text.is_some() && !l.goals)
            && cells.iter().any(|l| l.role.is_some())
    }
}

/// A header's columns as read from its row and the header rows above it.
pub(super) struct Head {
    pub(super) top: u32,
    pub(super) columns: Vec<Column>,
    pub(super) unknown: Vec<(CellRef, String)>,
    /// Every text of the header band (for stated weights).
    pub(super) texts: Vec<(CellRef, String)>,
}

impl Head {
    pub(super) fn col(&self, role: Role) -> Option<u32> {
        self.columns.iter().find(|c| c.role == role).map(|c| c.col)
    }
    pub(super) fn has(&self, role: Role) -> bool {
        self.col(role).is_some()
    }
}

pub(super) fn read_head(sheet: &Sheet, labels: &Labels, vocab: &Vocab, row: u32) -> Head {
    let mut band = vec![row];
    for up in 1..=2 {
        match row.checked_sub(up) {
            Some(u) if labels.header_like(u) => band.push(u),
            _ => break,
        }
    }
    let mut cols: Vec<u32> = band
        .iter()
        .flat_map(|&r| labels.row(r).iter().map(|l| l.col))
        .collect();
    cols.sort_unstable();
    cols.dedup();
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

pub(super) fn is_funding(h: &Head) -> bool {
    (h.has(Role::Full) || h.has(Role::Initial))
        && (h.has(Role::Exec) || h.has(Role::Actual))
        && !h.has(Role::L1)
        && !h.has(Role::L2)
        && !h.has(Role::L3)
}

pub(super) fn is_indicator(h: &Head) -> bool {
    let levels = [Role::L1, Role::L2, Role::L3]
        .into_iter()
        .filter(|r| h.has(*r))
        .count();
    levels >= 2
        || (h.has(Role::L3) && h.has(Role::Score) && (h.has(Role::Target) || h.has(Role::Actual)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Funding,
    Indicators,
}

pub(super) fn head_kind(h: &Head) -> Option<Kind> {
    if is_indicator(h) {
        Some(Kind::Indicators)
    } else if is_funding(h) {
        Some(Kind::Funding)
    } else {
        None
    }
}

/// The label of a row: the rightmost own text left of `before`.
pub(super) fn row_label(sheet: &Sheet, row: u32, before: u32) -> String {
    sheet
        .cells
        .range(CellRef::new(row, 0)..CellRef::new(row, before))
        .rev()
        .map(|(_, c)| c.text().trim().to_string())
        .find(|t| !t.is_empty())
        .unwrap_or_default()
}

pub(super) fn row_has_label(labels: &Labels, row: u32, list: &[String]) -> bool {
    labels.row(row).iter().any(|l| l.is(list))
}

pub(super) fn cell_has_value(sheet: &Sheet, row: u32, col: Option<u32>) -> bool {
    col.is_some_and(|c| sheet.has_text(CellRef::new(row, c)))
}

/// Whether a row under a header only annotates it: its cells from `from` on (three or more) are
/// column numbers (at least four, 1, 2, 3, 4… in order, "4=3/2" counting as 4; "栏次" beside
/// them) or units ("万元", "%", "分"). Such a row is neither a funding total nor an indicator.
pub(super) fn is_annotation_row(sheet: &Sheet, row: u32, from: u32) -> bool {
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

/// Whether a name is a "……" placeholder.
pub(super) fn is_placeholder(t: &str) -> bool {
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
