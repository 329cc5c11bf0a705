//! `xl/workbook.xml` with its relationships: the sheets in workbook order and their parts,
//! the print areas, and whether the workbook is unusual enough that calamine reads it
//! otherwise (the fast reader and the patcher then give up and leave it to calamine and the
//! rebuild).

use std::collections::HashMap;

use quick_xml::events::Event;

use super::rels::Rels;
use super::xml::{attr, attrs, flag};
use crate::grid::CellRef;

/// A workbook's sheets as calamine lists them, read from xl/workbook.xml and its
/// relationships.
#[derive(Debug, Default)]
pub struct WorkbookParts {
    /// Each sheet's name and worksheet part, in workbook order (no part for chart and dialog
    /// sheets).
    pub sheets: Vec<(String, Option<String>)>,
    /// The print areas by sheet index.
    pub print_areas: HashMap<usize, (CellRef, CellRef)>,
    /// Something calamine reads otherwise or refuses: XML it cannot parse, a sheet without a
    /// relationship or of an unknown type or state (left out of `sheets`), dates in the 1904
    /// system.
    pub unusual: bool,
}

/// The sheets of a workbook; `None` when the workbook or its relationships are missing.
pub fn workbook_parts((workbook, rels): (&str, &str)) -> Option<WorkbookParts> {
    if workbook.is_empty() || rels.is_empty() {
        return None;
    }
    workbook_parts_with(workbook, &Rels::parse(rels))
}

/// [`workbook_parts`] with the workbook's relationships already parsed.
pub fn workbook_parts_with(workbook: &str, rels: &Rels) -> Option<WorkbookParts> {
    if workbook.is_empty() {
        return None;
    }
    let mut parts = WorkbookParts::default();
    parts.unusual |= !rels.well_formed;
    let targets: HashMap<&str, (String, &str)> = rels
        .rels
        .iter()
        .map(|r| {
            let path = match r.target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{}", r.target),
            };
            (r.id.as_str(), (path, r.typ.as_str()))
        })
        .collect(); // a later duplicate id wins, as in calamine's map
    let mut in_print_area: Option<usize> = None;
    let mut area = String::new();
    let mut reader = quick_xml::Reader::from_str(workbook);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "sheet" => {
                let (sound, [state, id, name]) = attrs(&e, ["state", "id", "name"]);
                parts.unusual |= !sound;
                let known_state = state
                    .as_deref()
                    .is_none_or(|s| matches!(s, "visible" | "hidden" | "veryHidden"));
                let target = id.and_then(|id| targets.get(id.as_str()));
                match (name, target) {
                    (Some(name), Some((path, typ))) if known_state => {
                        match typ.rsplit('/').next() {
                            Some("worksheet") => parts.sheets.push((name, Some(path.clone()))),
                            Some("chartsheet" | "dialogsheet") => parts.sheets.push((name, None)),
                            _ => parts.unusual = true,
                        }
                    }
                    _ => parts.unusual = true,
                }
            }
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "workbookPr" => {
                parts.unusual |= flag(&e, "date1904");
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "definedName" => {
                in_print_area = (attr(&e, "name").as_deref() == Some("_xlnm.Print_Area"))
                    .then(|| attr(&e, "localSheetId")?.parse().ok())
                    .flatten();
                area.clear();
            }
            // The name's formula arrives in pieces when it holds an entity ('表 &amp; 一'!…):
            // only the range after the last "!" is needed, so an entity stands in as "&".
            Ok(Event::Text(t)) if in_print_area.is_some() => {
                area.push_str(t.as_ref());
            }
            Ok(Event::GeneralRef(_)) if in_print_area.is_some() => area.push('&'),
            Ok(Event::End(e)) if e.local_name().as_ref() == "definedName" => {
                if let Some(i) = in_print_area.take()
                    && let Some(range) = parse_area(&area)
                {
                    parts.print_areas.insert(i, range);
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "workbook" => break,
            Ok(Event::Eof) | Err(_) => {
                parts.unusual = true;
                break;
            }
            _ => {}
        }
    }
    Some(parts)
}

/// The first range of a defined name's formula: "'表'!$A$1:$H$22" → A1, H22.
fn parse_area(formula: &str) -> Option<(CellRef, CellRef)> {
    let first = formula.split(',').next()?;
    let range = first.rsplit('!').next()?.replace('$', "");
    let (a, b) = range.split_once(':')?;
    Some((CellRef::parse(a)?, CellRef::parse(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_area_ranges() {
        let (a, b) = parse_area("'项目支出绩效自评表'!$A$1:$I$23").unwrap();
        assert_eq!((a.to_string(), b.to_string()), ("A1".into(), "I23".into()));
        assert!(parse_area("#REF!").is_none());
    }

    const RELS: &str = r#"<Relationships xmlns="p"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="/xl/chartsheets/sheet1.xml"/></Relationships>"#;

    #[test]
    fn sheets_in_order_with_their_parts() {
        let wb = r#"<workbook xmlns:r="r"><sheets><sheet name="表 &amp; 一" sheetId="1" r:id="rId1"/><sheet name="图" sheetId="2" r:id="rId2"/></sheets><definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">'表 &amp; 一'!$A$1:$I$23</definedName></definedNames></workbook>"#;
        let parts = workbook_parts((wb, RELS)).unwrap();
        assert_eq!(
            parts.sheets,
            vec![
                (
                    "表 & 一".to_string(),
                    Some("xl/worksheets/sheet1.xml".to_string())
                ),
                ("图".to_string(), None),
            ]
        );
        assert!(!parts.unusual);
        let area = parts.print_areas.get(&0).unwrap();
        assert_eq!(
            (area.0.to_string(), area.1.to_string()),
            ("A1".into(), "I23".into())
        );
    }

    #[test]
    fn what_calamine_reads_otherwise_is_unusual() {
        let sheet = r#"<workbook xmlns:r="r"><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        // Dates in the 1904 system; a sheet whose relationship is missing; relationships cut
        // short.
        let date1904 = sheet.replace("<sheets>", r#"<workbookPr date1904="1"/><sheets>"#);
        assert!(workbook_parts((&date1904, RELS)).unwrap().unusual);
        let missing = sheet.replace("rId1", "rId9");
        assert!(workbook_parts((&missing, RELS)).unwrap().unusual);
        let cut = &RELS[..RELS.len() - "</Relationships>".len()];
        let parts = workbook_parts((sheet, cut)).unwrap();
        assert!(parts.unusual);
        assert_eq!(parts.sheets.len(), 1, "what could be read still counts");
        assert!(workbook_parts(("", RELS)).is_none());
    }
}
