//! Unit tests of `read` (kept apart so that the module reads as the code it is).

use super::*;

fn m(a: &str, b: &str) -> Merge {
    Merge {
        first: CellRef::parse(a).unwrap(),
        last: CellRef::parse(b).unwrap(),
    }
}

#[test]
fn overlapping_merges_after_the_first_are_dropped_and_lookups_find_the_rest() {
    let mut total = 0;
    let kept = disjoint_merges(
        vec![
            m("A1", "B2"),
            m("B2", "C3"), // overlaps A1:B2 at B2
            m("C1", "D1"),
            m("A4", "A9"),
            m("A9", "B9"), // overlaps A4:A9 at A9
            m("B4", "C5"),
        ],
        &mut total,
    )
    .unwrap();
    assert_eq!(
        kept,
        vec![m("A1", "B2"), m("C1", "D1"), m("A4", "A9"), m("B4", "C5")]
    );
    assert_eq!(total, 4 + 4 + 2 + 6 + 2 + 4);
    let sheet = Sheet {
        merges: kept,
        ..Default::default()
    };
    let at = |r: &str| sheet.merge_at(CellRef::parse(r).unwrap()).copied();
    assert_eq!(at("B2"), Some(m("A1", "B2")));
    assert_eq!(at("C3"), None);
    assert_eq!(at("D1"), Some(m("C1", "D1")));
    assert_eq!(at("C2"), None);
    assert_eq!(at("A7"), Some(m("A4", "A9")));
    assert_eq!(at("C5"), Some(m("B4", "C5")));
    assert_eq!(at("B9"), None);
    assert_eq!(at("E1"), None);
}

#[test]
fn many_merges_are_indexed_by_row_with_the_same_answers() {
    // More than SCAN_MERGES: the overlap check and the look-ups go through the row index.
    let mut merges: Vec<Merge> = (1..=100)
        .map(|r| m(&format!("A{r}"), &format!("B{r}")))
        .collect();
    merges.push(m("B50", "C51")); // overlaps A50:B50
    merges.push(m("D1", "D100"));
    merges.push(m("C99", "E99")); // overlaps D1:D100
    let mut total = 0;
    let kept = disjoint_merges(merges.clone(), &mut total).unwrap();
    assert_eq!(kept.len(), 101);
    assert!(!kept.contains(&m("B50", "C51")) && !kept.contains(&m("C99", "E99")));
    let sheet = Sheet {
        merges: kept.clone(),
        ..Default::default()
    };
    for probe in [
        "A1", "B1", "C1", "B50", "C51", "D1", "D77", "D100", "E99", "A101", "Z5",
    ] {
        let at = CellRef::parse(probe).unwrap();
        assert_eq!(
            sheet.merge_at(at),
            kept.iter().find(|k| k.contains(at)),
            "{probe}"
        );
    }
    assert_eq!(
        sheet.merge_at(CellRef::parse("D77").unwrap()),
        Some(&m("D1", "D100"))
    );
}

#[test]
fn merges_covering_more_than_the_limit_in_all_are_refused() {
    // Twenty merges of 100,000 cells each reach MAX_MERGED_CELLS; one cell more is refused.
    let tall = |col: u32| Merge {
        first: CellRef::new(0, col),
        last: CellRef::new(99_999, col),
    };
    let mut total = 0;
    let at_limit: Vec<Merge> = (0..20).map(tall).collect();
    assert_eq!(
        disjoint_merges(at_limit, &mut total).map(|v| v.len()).ok(),
        Some(20)
    );
    assert_eq!(total, guard::MAX_MERGED_CELLS);
    let err = disjoint_merges(vec![m("Z1", "Z1")], &mut total).unwrap_err();
    assert!(
        err.to_string().contains("合并单元格合计超过 2000000 个"),
        "{err}"
    );
}

#[test]
fn has_text_is_text_not_empty() {
    let values = [
        CellValue::Empty,
        CellValue::Text("  ".into()),
        CellValue::Text(" 合计 ".into()),
        CellValue::Text(String::new()),
        CellValue::Number(0.0),
        CellValue::DateTime(45000.0),
        CellValue::Bool(false),
        CellValue::Error("#N/A".into()),
    ];
    let mut sheet = Sheet::default();
    for (i, v) in values.iter().enumerate() {
        let cell = Cell {
            value: v.clone(),
            ..Cell::blank()
        };
        sheet.cells.insert(CellRef::new(0, i as u32), cell);
    }
    for col in 0..=values.len() as u32 {
        let at = CellRef::new(0, col);
        assert_eq!(sheet.has_text(at), !sheet.text(at).is_empty(), "{at}");
    }
    assert!(!sheet.has_text(CellRef::new(0, 1)) && sheet.has_text(CellRef::new(0, 2)));
}

#[test]
fn a1_names_round_trip() {
    assert_eq!(CellRef::new(24, 7).to_string(), "H25");
    assert_eq!(CellRef::new(0, 26).to_string(), "AA1");
    assert_eq!(CellRef::parse("H25"), Some(CellRef::new(24, 7)));
    assert_eq!(CellRef::parse("AA1"), Some(CellRef::new(0, 26)));
    assert_eq!(CellRef::parse("25"), None);
}

#[test]
fn kind_is_read_from_bytes() {
    assert!(matches!(sniff(b""), Err(InputError::Empty)));
    assert!(matches!(
        sniff(b"a,b,c\n1,2,3\n"),
        Err(InputError::NotSpreadsheet)
    ));
    assert_eq!(sniff(b"PK\x03\x04rest").ok(), Some(FileKind::Xlsx));
    assert_eq!(
        sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]).ok(),
        Some(FileKind::Xls)
    );
}
