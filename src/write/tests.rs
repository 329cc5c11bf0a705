//! Unit tests of `write` (kept apart so that the module reads as the code it is).

use super::*;

#[test]
fn sheet_names_are_made_valid_and_unique_for_xlsx() {
    let long = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二";
    assert_eq!(
        xlsx_sheet_names([
            "表1",
            "a/b",
            "A_B",
            "'引号'",
            "''",
            "Sheet",
            long,
            long,
            "表1",
            "😀".repeat(20).as_str(),
        ]),
        [
            "表1",
            "a_b",
            "A_B(2)", // names compare without case
            "引号",
            "Sheet",
            "Sheet(2)",
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八(2)",
            "表1(2)",
            "😀".repeat(15).as_str(), // 30 UTF-16 units: the 16th would make 32
        ]
    );
    assert_eq!(findings_sheet_name(["表1", "核查结果"]), "核查结果(2)");
    assert_eq!(findings_sheet_name(["表1"]), "核查结果");
}

/// An .ods-like workbook read for correcting, with `cells` cells of `text` each.
fn rebuilt(cells: u32, text: &str) -> Checked {
    let sheet = crate::grid::Sheet {
        name: "表".to_string(),
        cells: (0..cells)
            .map(|i| {
                let mut cell = crate::grid::Cell::blank();
                cell.value = crate::grid::CellValue::Text(text.to_string());
                (CellRef::new(i / 100, i % 100), cell)
            })
            .collect(),
        merges: Vec::new(),
        formats_known: false,
        merge_rows: Default::default(),
    };
    Checked {
        workbook: crate::read::Workbook {
            kind: crate::read::FileKind::Ods,
            sheets: vec![sheet],
            zpcheck_summary: false,
            zpcheck_output: false,
            zpcheck_plain: false,
            zpcheck_source: None,
            read_by: crate::read::ReadBy {
                reader: "calamine",
                fallback: None,
            },
            document: None,
        },
        forms: Vec::new(),
        report: None,
    }
}

#[test]
fn rebuilds_past_their_limits_are_refused_before_they_start() {
    let at = rebuilt(MAX_REBUILT_CELLS as u32, "字");
    assert!(too_many_to_rebuild(&at).is_ok());
    let over = rebuilt(MAX_REBUILT_CELLS as u32 + 1, "字");
    // Read from an .ods (whose corrected workbook is always rebuilt), nothing else kept.
    let ods = Fidelity {
        write_back: crate::read::WriteBack::Rebuild(crate::fallback::Why::OdsInput),
        ..Fidelity::default()
    };
    let msg = corrected_workbook(&over, &ods).unwrap_err();
    assert!(
        msg.contains("而它有 250001 个非空单元格，超过重建的上限 250000 个，未写出更正版本"),
        "{msg}"
    );
    // 16 MB of text in 4 cells: within the cells, over the text.
    let text = "a".repeat(MAX_REBUILT_TEXT / 4);
    assert!(too_many_to_rebuild(&rebuilt(4, &text)).is_ok());
    let text = "a".repeat(MAX_REBUILT_TEXT / 4 + 1);
    let msg = too_many_to_rebuild(&rebuilt(4, &text)).unwrap_err();
    assert!(
        msg.contains("而它的单元格中的文字合计 16.0 MB，超过重建的上限 16 MB"),
        "{msg}"
    );
}

#[test]
fn texts_longer_than_a_cell_are_cut_and_say_so() {
    let fits = "字".repeat(MAX_CELL_CHARS);
    assert_eq!(fit_cell(&fits), fits.as_str());
    let long = "字".repeat(MAX_CELL_CHARS + 1);
    let cut = fit_cell(&long);
    assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
    assert!(cut.ends_with(CUT_MARK));
    assert!(cut.starts_with(&"字".repeat(30_000)));
}
