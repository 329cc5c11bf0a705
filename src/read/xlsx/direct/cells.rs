//! A worksheet part's cells: positions, values by type, shared formulas expanded, the text
//! and cell counts charged against the limits as each cell is read.

use super::*;

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::Cell;

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

/// The cells of a worksheet part in row and column order; None when it has no `sheetData`.
pub(super) fn sheet_cells(
    xml: &[u8],
    strings: &[String],
    formats: &[Option<String>],
    counts: &mut Counts,
) -> R<Option<Vec<(CellRef, Cell)>>> {
    sheet_cells_with(xml, strings, formats, counts, true)
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
