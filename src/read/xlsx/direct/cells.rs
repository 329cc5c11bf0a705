//! A worksheet part's cells: positions, values by type, shared formulas expanded, the text
//! and cell counts charged against the limits as each cell is read.

use super::*;

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

/// The text of a `<v>` or `<f>` element (local name `end`) up to its end tag, and whether it
/// held an entity or character reference.
pub(super) fn element_text<'a>(r: &mut Reader<&'a [u8]>, end: &str) -> R<(Cow<'a, str>, bool)> {
    let mut out = match next_event(r)? {
        Event::Text(t) => {
            check_text(&t)?;
            // The usual case, one text node: borrowed from the part, not copied.
            match next_event(r)? {
                Event::End(e) if e.local_name().as_ref() == end => {
                    return Ok((t.into_inner(), false));
                }
                Event::Text(u) => {
                    let mut out = t.into_inner().into_owned();
                    push_text(&mut out, &u)?;
                    out
                }
                Event::GeneralRef(g) => {
                    let mut out = t.into_inner().into_owned();
                    push_entity(&mut out, &g)?;
                    out
                }
                _ => return Err(give_up!()),
            }
        }
        Event::GeneralRef(g) => {
            let mut out = String::new();
            push_entity(&mut out, &g)?;
            out
        }
        Event::End(e) if e.local_name().as_ref() == end => return Ok((Cow::Borrowed(""), false)),
        _ => return Err(give_up!()),
    };
    loop {
        match next_event(r)? {
            Event::Text(t) => push_text(&mut out, &t)?,
            Event::GeneralRef(g) => push_entity(&mut out, &g)?,
            Event::End(e) if e.local_name().as_ref() == end => return Ok((Cow::Owned(out), true)),
            _ => return Err(give_up!()),
        }
    }
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

/// The cells of a worksheet part in row and column order; None when it has no `sheetData`.
pub(super) fn sheet_cells(
    xml: &[u8],
    strings: &[String],
    formats: &[Option<String>],
    counts: &mut Counts,
) -> R<Option<Vec<(CellRef, Cell)>>> {
    sheet_cells_with(xml, strings, formats, counts, true)
}

/// What the cells read so far have cost, charged against the limits: cells with a value and
/// text bytes across the workbook, styled empty cells on the sheet being read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts {
    pub(super) total: usize,
    pub(super) text: usize,
    pub(super) styled_empty: usize,
}

/// [`sheet_cells`]; with `scan`, the body of `sheetData` is read by the byte scanner
/// ([`super::scan`]) first, and by quick-xml when the scanner declines it.
pub(super) fn sheet_cells_with(
    xml: &[u8],
    strings: &[String],
    formats: &[Option<String>],
    counts: &mut Counts,
    scan: bool,
) -> R<Option<Vec<(CellRef, Cell)>>> {
    // A part that is not UTF-8 anywhere is calamine's to refuse (found by fuzzing: a bad byte
    // before sheetData, where only quick-xml looked).
    std::str::from_utf8(xml).map_err(|_| give_up!())?;
    let mut r = xml_reader(xml);
    let mut seen_element = false;
    counts.styled_empty = 0;
    loop {
        let (e, empty) = match next_event(&mut r)? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::Eof if seen_element => return Ok(None),
            Event::Eof => return Err(give_up!()),
            _ => continue,
        };
        match e.local_name().as_ref() {
            "sheetData" if empty => return Ok(Some(Vec::new())),
            "sheetData" => break,
            "dimension" => {
                let dim = raw(&e, "ref")?.ok_or(give_up!())?;
                for part in dim.split(':') {
                    position(part)?;
                }
            }
            _ => seen_element = true,
        }
    }
    if scan {
        let at = usize::try_from(r.buffer_position()).map_err(|_| give_up!())?;
        if let Some(cells) = super::scan::sheet_data(&xml[at..], strings, formats, counts) {
            return Ok(Some(cells));
        }
    }
    // Cells come in row and column order: collected in a list, the caller builds the map in
    // one go.
    let mut cells: Vec<(CellRef, Cell)> = Vec::new();
    let mut shared: HashMap<u32, Shared> = HashMap::new();
    let (mut row, mut col) = (0u32, 0u32);
    loop {
        let (e, empty) = match next_event(&mut r)? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "row" => {
                        row = row.checked_add(1).ok_or(give_up!())?;
                        col = 0;
                    }
                    "sheetData" => return Ok(Some(cells)),
                    _ => {}
                }
                continue;
            }
            Event::Eof => return Err(give_up!()),
            _ => continue,
        };
        match e.local_name().as_ref() {
            "row" => {
                if let Some(n) = raw(&e, "r")? {
                    row = number_u32(&n)?.checked_sub(1).ok_or(give_up!())?;
                }
                if empty {
                    row = row.checked_add(1).ok_or(give_up!())?;
                    col = 0;
                }
            }
            "c" => {
                let (mut at, mut style, mut typ) = (None, None, None);
                for a in e.attributes().with_checks(false) {
                    let a = a?;
                    // A key twice (`t="4" t="s"`): calamine takes the first, this loop
                    // would take the last; calamine reads it (found by fuzzing).
                    let twice = match a.key.as_ref() {
                        "r" => at.is_some(),
                        "s" => style.is_some(),
                        "t" => typ.is_some(),
                        _ => false,
                    };
                    if twice {
                        return Err(give_up!());
                    }
                    match a.key.as_ref() {
                        "r" => at = Some(position(&a.value)?),
                        "s" => style = Some(number_u32(&a.value)? as usize),
                        "t" => typ = Some(a.value),
                        _ => {}
                    }
                }
                let pos = cell_position(at, row, &mut col);
                let (v, formula) = if empty {
                    (CellValue::Empty, None)
                } else {
                    cell_body(&mut r, typ.as_deref(), strings, &mut shared, pos)?
                };
                col = col.checked_add(1).ok_or(give_up!())?;
                push_cell(&mut cells, pos, style, v, formula, formats, counts)?;
            }
            _ => {}
        }
    }
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
            return Err(give_up!());
        }
    } else {
        // Styled empty cells are kept too (the form's borders), within the same limit per
        // sheet as the read through calamine: ten million `<c s="3"/>` were held before
        // anything refused them.
        counts.styled_empty += 1;
        if counts.styled_empty > MAX_CELLS {
            return Err(give_up!());
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
        return Err(give_up!());
    }
    cells.push((at, cell));
    Ok(())
}

/// A cell's value and formula, up to the cell's end tag.
pub(super) fn cell_body(
    r: &mut Reader<&[u8]>,
    typ: Option<&str>,
    strings: &[String],
    shared: &mut HashMap<u32, Shared>,
    pos: (u32, u32),
) -> R<(CellValue, Option<String>)> {
    let mut v = CellValue::Empty;
    let mut formula = None;
    let mut got_value = false;
    loop {
        let (e, empty) = match next_event(r)? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) if e.local_name().as_ref() == "c" => break,
            Event::Eof => return Err(give_up!()),
            _ => continue,
        };
        let name = e.local_name();
        let name = name.as_ref();
        match name {
            "v" if matches!(typ, Some("inlineStr")) => {
                if !empty {
                    r.read_to_end(e.name())?;
                }
            }
            "v" if !got_value => {
                let text = if empty {
                    (Cow::Borrowed(""), false)
                } else {
                    element_text(r, name)?
                };
                v = value(text, typ, strings)?;
                got_value = true;
            }
            "is" if !got_value && matches!(typ, Some("inlineStr")) => {
                v = CellValue::Text(if empty {
                    String::new()
                } else {
                    string_item(r, name)?
                });
                got_value = true;
            }
            // A formula after the value, a second value: calamine's reading depends on which
            // pass reads the cell.
            "f" if !got_value && formula.is_none() => {
                formula = Some(formula_text(r, &e, empty, shared, pos)?);
            }
            _ => return Err(give_up!()),
        }
    }
    Ok((v, finish_formula(formula)))
}

/// A cell's formula as calamine gives it: trimmed, without a leading `=`, None when empty or
/// a shared formula whose template was not seen.
pub(super) fn finish_formula(formula: Option<Option<String>>) -> Option<String> {
    formula
        .flatten()
        .map(|f| f.trim().trim_start_matches('=').to_string())
        .filter(|f| !f.is_empty())
}

/// A formula's text, read by quick-xml (see [`formula_of`]).
pub(super) fn formula_text(
    r: &mut Reader<&[u8]>,
    e: &BytesStart<'_>,
    empty: bool,
    shared: &mut HashMap<u32, Shared>,
    pos: (u32, u32),
) -> R<Option<String>> {
    let text = if empty {
        String::new()
    } else {
        element_text(r, "f")?.0.into_owned()
    };
    let t = raw(e, "t")?;
    if t.as_deref() != Some("shared") {
        return Ok(Some(text));
    }
    let (si, range) = (raw(e, "si")?, raw(e, "ref")?);
    formula_of(
        text,
        t.as_deref(),
        si.as_deref(),
        range.as_deref(),
        shared,
        pos,
    )
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
