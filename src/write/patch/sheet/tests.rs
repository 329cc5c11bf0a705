//! Unit tests of `write/patch/sheet` (kept apart so that the module reads as the code it is).

use super::*;

const STYLES: &str = r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts count="1"><font/></fonts><fills count="2"><fill/><fill/></fills><borders count="1"><border/></borders><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0"/></cellXfs></styleSheet>"#;

fn sheet(rows: &str, after: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><worksheet xmlns="{MAIN}" xmlns:r="{REL}"><dimension ref="A1:C3"/><sheetFormatPr defaultRowHeight="15"/><cols><col min="2" max="2" width="20" style="1" customWidth="1"/></cols><sheetData>{rows}</sheetData>{after}</worksheet>"#
    )
}

fn edits(list: &[(&str, Edit)]) -> BTreeMap<CellRef, Edit> {
    list.iter()
        .map(|(a1, e)| (CellRef::parse(a1).unwrap(), e.clone()))
        .collect()
}

fn num(v: &str) -> Edit {
    Edit::Number {
        value: v.into(),
        percent_format: false,
        formula: None,
    }
}

fn run(xml: &str, list: &[(&str, Edit)]) -> (String, Styles) {
    let mut styles = Styles::parse(STYLES.to_string()).unwrap();
    let out = patch(xml, &edits(list), &mut styles)
        .unwrap()
        .finish()
        .unwrap();
    (out, styles)
}

#[test]
fn cells_are_rewritten_in_place_and_inserted_in_order() {
    let xml = sheet(
        r#"<row r="1" spans="1:3"><c r="A1" s="1" t="s"><v>0</v></c><c r="C1" s="1"><v>5</v></c></row><row r="3" spans="1:3" ht="30" customHeight="1"/><row r="4"><c r="A4" s="2"><f>B4/C4</f><v>0.5</v></c></row>"#,
        "<pageMargins/>",
    );
    let (out, _) = run(
        &xml,
        &[
            ("B1", num("7")),
            ("C1", num("89.974")),
            ("B2", Edit::Text("优".into())),
            ("A3", Edit::Mark(Mark::Error)),
            ("A4", num("0.9963")),
            ("B6", num("1")),
        ],
    );
    // C1 keeps its place with the highlighted copy of its style (3); B1 is new between A1
    // and C1, styled from its column (style 1 → 3 too); the row's span hint goes.
    assert!(
            out.contains(r#"<row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="3"><v>7</v></c><c r="C1" s="3"><v>89.974</v></c></row>"#),
            "{out}"
        );
    // Row 2 did not exist: made between rows 1 and 3.
    assert!(out.contains(r#"</row><row r="2"><c r="B2" s="3" t="inlineStr"><is><t>优</t></is></c></row><row r="3""#), "{out}");
    // An empty row gets the marked cell, its other attributes kept.
    assert!(
        out.contains(r#"<row r="3" ht="30" customHeight="1"><c r="A3" s="4"/></row>"#),
        "{out}"
    );
    // A formula replaced by its corrected value; the 0.0% format goes for a plain number.
    assert!(
        out.contains(r#"<c r="A4" s="5"><v>0.9963</v></c>"#),
        "{out}"
    );
    // A new last row, and the dimension grown to take it in.
    assert!(
        out.contains(r#"<row r="6"><c r="B6" s="3"><v>1</v></c></row></sheetData>"#),
        "{out}"
    );
    assert!(out.contains(r#"<dimension ref="A1:C6"/>"#), "{out}");
}

#[test]
fn caches_are_brought_up_to_date_and_notes_get_a_drawing() {
    let xml = sheet(
        r#"<row r="1"><c r="A1" s="1" t="str"><f>SUM(B1:C1)</f><v>0</v></c><c r="B1"><f t="shared" ref="B1:C1" si="0">A2</f><v>0</v></c></row>"#,
        "<pageMargins/><tableParts count=\"0\"/>",
    );
    let mut styles = Styles::parse(STYLES.to_string()).unwrap();
    let list = edits(&[
        ("A1", Edit::Cache(Some("12".into()))),
        ("B1", Edit::Cache(None)),
    ]);
    let mut p = patch(&xml, &list, &mut styles).unwrap();
    assert_eq!(p.legacy_drawing, None);
    assert_eq!(p.geometry.column(1), 140);
    p.add_legacy_drawing("rId7");
    let out = p.finish().unwrap();
    assert!(
        out.contains(r#"<c r="A1" s="1"><f>SUM(B1:C1)</f><v>12</v></c>"#),
        "{out}"
    );
    assert!(
        out.contains(r#"<c r="B1"><f t="shared" ref="B1:C1" si="0">A2</f></c>"#),
        "{out}"
    );
    // legacyDrawing goes before tableParts, as the schema orders them.
    assert!(
        out.contains(r#"<pageMargins/><legacyDrawing r:id="rId7"/><tableParts"#),
        "{out}"
    );
}

#[test]
fn what_cannot_be_patched_with_certainty_gives_up() {
    let mut styles = Styles::parse(STYLES.to_string()).unwrap();
    let mut gives_up = |rows: &str, list: &[(&str, Edit)]| {
        patch(&sheet(rows, ""), &edits(list), &mut styles).is_err()
    };
    // The first cell of a shared formula: its dependents would lose their formula.
    assert!(gives_up(
        r#"<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1</f><v>1</v></c></row>"#,
        &[("A1", num("2"))]
    ));
    // Cells without their position.
    assert!(gives_up(
        r#"<row r="1"><c><v>1</v></c></row>"#,
        &[("A1", num("2"))]
    ));
    assert!(gives_up(
        r#"<row><c r="A1"><v>1</v></c></row>"#,
        &[("A1", num("2"))]
    ));
    // Rows out of order.
    assert!(gives_up(r#"<row r="2"/><row r="1"/>"#, &[("A1", num("2"))]));
    // A prefixed worksheet.
    let prefixed = format!(r#"<x:worksheet xmlns:x="{MAIN}"><x:sheetData/></x:worksheet>"#);
    assert!(patch(&prefixed, &edits(&[("A1", num("1"))]), &mut styles).is_err());
}
