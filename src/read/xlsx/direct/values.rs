//! What the two readings of a worksheet part share — the quick-xml one ([`super::cells`],
//! [`super::parts`]) and the byte scanner ([`super::scan`]): numbers and positions as Excel
//! writes them, a cell's value by its type, shared formulas, number formats by id, and the
//! cost of each cell charged against the limits.
//!
//! Below both, so that each reading uses the same code and neither imports the other.

use super::*;

use crate::fallback::Why;

/// What this module's give-ups are about, unless one names its own.
const HERE: Why = Why::Cell;

/// "H15" → zero-based (row, column), within Excel's limits ([`CellRef::parse_excel`]).
pub(super) fn position(a1: &str) -> R<(u32, u32)> {
    let at = CellRef::parse_excel(a1).ok_or(give_up!())?;
    Ok((at.row, at.col))
}

pub(super) fn number_u32(digits: &str) -> R<u32> {
    number_u32_bytes(digits.as_bytes())
}

pub(super) fn number_u32_bytes(digits: &[u8]) -> R<u32> {
    if digits.is_empty() || digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(give_up!());
    }
    Ok(digits
        .iter()
        .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')))
}

/// A number as Excel writes it: `-12`, `3.25`, `1.5E-3`. Anything looser is left to calamine.
pub(super) fn number(v: &str) -> R<f64> {
    let b = v.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return Err(give_up!());
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return Err(give_up!());
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return Err(give_up!());
        }
    }
    if i != b.len() {
        return Err(give_up!());
    }
    v.parse().map_err(|_| give_up!())
}

/// A cell's value from its `<v>` text and type, as calamine reads it.
pub(super) fn value(
    (v, entity): (Cow<'_, str>, bool),
    typ: Option<&str>,
    strings: &[String],
) -> R<CellValue> {
    // calamine reads only the first text node of these types' values.
    if entity && !matches!(typ, Some("str" | "d")) {
        return Err(give_up!());
    }
    let v = v.as_ref();
    Ok(match typ {
        None | Some("n") => {
            if v.is_empty() {
                CellValue::Empty
            } else {
                CellValue::Number(number(v)?)
            }
        }
        Some("s") => {
            if v.is_empty() {
                CellValue::Empty
            } else {
                let i = number_u32(v)? as usize;
                CellValue::Text(strings.get(i).ok_or(give_up!())?.clone())
            }
        }
        Some("str") | Some("d") => CellValue::Text(v.to_string()),
        Some("b") => match v.trim() {
            "" => CellValue::Empty,
            "0" => CellValue::Bool(false),
            "1" => CellValue::Bool(true),
            _ => return Err(give_up!()),
        },
        Some("e") => match v {
            "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!" => {
                CellValue::Error(v.to_string())
            }
            _ => return Err(give_up!()),
        },
        Some(_) => return Err(give_up!()),
    })
}

/// A shared formula's template and the first cell of its range.
pub(super) struct Shared {
    pub(super) formula: String,
    pub(super) start: (u32, u32),
}

/// What the cells read so far have cost, charged against the limits: cells with a value and
/// text bytes across the workbook, styled empty cells on the sheet being read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts {
    pub(super) total: usize,
    pub(super) text: usize,
    pub(super) styled_empty: usize,
}

/// A cell's position: its `r` attribute (which moves the column on), or the next column of
/// the current row.
pub(super) fn cell_position(at: Option<(u32, u32)>, row: u32, col: &mut u32) -> (u32, u32) {
    match at {
        Some((r0, c0)) => {
            *col = c0;
            (r0, c0)
        }
        None => (row, *col),
    }
}

/// Adds a read cell to the sheet's list (a cell with neither value, formula nor number format
/// is left out), charging it against the limits.
pub(super) fn push_cell(
    cells: &mut Vec<(CellRef, Cell)>,
    pos: (u32, u32),
    style: Option<usize>,
    v: CellValue,
    formula: Option<String>,
    formats: &[Option<String>],
    counts: &mut Counts,
) -> R<()> {
    let at = CellRef::new(pos.0, pos.1);
    let styled = style.filter(|&id| id > 0 && id < formats.len());
    let valued = v != CellValue::Empty || formula.is_some();
    if !valued && styled.is_none() {
        return Ok(());
    }
    if valued {
        counts.total += 1;
        if counts.total > MAX_CELLS {
            return Err(give_up!(Why::Limit));
        }
    } else {
        // Styled empty cells are kept too (the form's borders), within the same limit per
        // sheet as the read through calamine: ten million `<c s="3"/>` were held before
        // anything refused them.
        counts.styled_empty += 1;
        if counts.styled_empty > MAX_CELLS {
            return Err(give_up!(Why::Limit));
        }
    }
    // A cell out of order or twice: calamine's reading of it is not repeated here.
    if cells.last().is_some_and(|(last, _)| *last >= at) {
        return Err(give_up!());
    }
    let mut cell = Cell::blank();
    cell.value = v;
    cell.formula = formula;
    if let Some(id) = styled {
        cell.num_fmt = formats[id].clone();
    }
    // Past the budget the read through calamine gives the error (it streams cells too, so it
    // stops as early).
    counts.text += cell.text_bytes();
    if counts.text > crate::limits::MAX_CELL_BYTES {
        return Err(give_up!(Why::Limit));
    }
    cells.push((at, cell));
    Ok(())
}

/// A cell's formula as calamine gives it: trimmed, without a leading `=`, None when empty or
/// a shared formula whose template was not seen.
pub(super) fn finish_formula(formula: Option<Option<String>>) -> Option<String> {
    formula
        .flatten()
        .map(|f| f.trim().trim_start_matches('=').to_string())
        .filter(|f| !f.is_empty())
}

/// A formula from its text and its `t`, `si` and `ref` attributes; a shared formula's
/// dependent cells get the template moved as calamine moves it (None when the template has
/// not been seen yet).
pub(super) fn formula_of(
    text: String,
    t: Option<&str>,
    si: Option<&str>,
    range: Option<&str>,
    shared: &mut HashMap<u32, Shared>,
    pos: (u32, u32),
) -> R<Option<String>> {
    if t != Some("shared") {
        return Ok(Some(text));
    }
    let si = number_u32(si.ok_or(give_up!())?)?;
    match range {
        Some(range) => {
            let first = range.split(':').next().ok_or(give_up!())?;
            let start = position(first)?;
            for part in range.split(':') {
                position(part)?;
            }
            shared.insert(
                si,
                Shared {
                    formula: text.clone(),
                    start,
                },
            );
            Ok(Some(text))
        }
        None => match shared.get(&si) {
            Some(t) => calamine::expand_shared_formula(&t.formula, t.start, pos)
                .map(Some)
                .map_err(|_| give_up!()),
            None => Ok(None),
        },
    }
}

/// Excel's built-in number formats, as calamine names them.
pub(crate) fn builtin_format(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
        42 => "_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
        44 => "_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// A cell format's number format from its `numFmtId` (custom ones by their id's text, as
/// calamine looks them up), None for General.
pub(super) fn format_of(custom: &HashMap<String, String>, id: Option<&str>) -> R<Option<String>> {
    let Some(id) = id else {
        return Ok(None);
    };
    let n = number_u32(id)?;
    let code = custom
        .get(id)
        .cloned()
        .or_else(|| builtin_format(n).map(str::to_string))
        .unwrap_or_else(|| "General".to_string());
    Ok(Some(code).filter(|c| !c.eq_ignore_ascii_case("General")))
}
