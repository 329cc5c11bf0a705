//! The corrected workbook looks like the submission: each sample compared with its corrected
//! workbook cell by cell — every value except the corrected cells, every cell's style (font,
//! fill, borders, alignment, number format) except the corrected cells' highlight — and the
//! merged ranges, column widths, row heights, panes and page setup.

use std::collections::HashSet;
use std::path::PathBuf;

mod common;

use zpcheck::read::{CellRef, read_path};
use zpcheck::{Profile, check_path, write};

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn compare(name: &str) {
    let input = sample(name);
    let checked = check_path(&input, &Profile::default()).unwrap();
    let fixed: HashSet<(String, CellRef)> = checked
        .findings()
        .filter(|f| f.fixed())
        .map(|f| (f.sheet.clone(), f.cell))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    write::write_corrected(&checked, &input, &out).unwrap();
    let before = read_path(&input).unwrap();
    let after = read_path(&out).unwrap();
    let names =
        |w: &zpcheck::read::Workbook| w.sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    let mut expected_names = names(&before);
    expected_names.push("核查结果".into());
    assert_eq!(names(&after), expected_names, "{name}");
    for (b, a) in before.sheets.iter().zip(&after.sheets) {
        for (pos, cell) in &b.cells {
            let corrected = fixed.contains(&(b.name.clone(), *pos));
            let out = a
                .get(*pos)
                .unwrap_or_else(|| panic!("{name} {}!{pos} missing", b.name));
            if !corrected {
                assert_eq!(out.text(), cell.text(), "{name} {}!{pos} value", b.name);
                assert_eq!(out.formula, cell.formula, "{name} {}!{pos} formula", b.name);
            }
            if let Some(style) = &cell.style {
                let mut got = out.style.clone().unwrap_or_default();
                if corrected {
                    assert_eq!(
                        got.fill,
                        Some(write::FIXED_FILL),
                        "{name} {}!{pos} highlight",
                        b.name
                    );
                    got.fill = style.fill;
                    got.num_fmt = style.num_fmt.clone();
                }
                assert_eq!(&got, style, "{name} {}!{pos} style", b.name);
            }
        }
        let mut mb = b.merges.clone();
        let mut ma = a.merges.clone();
        mb.sort_by_key(|m| (m.first, m.last));
        ma.sort_by_key(|m| (m.first, m.last));
        assert_eq!(ma, mb, "{name} {} merges", b.name);
        let (lb, la) = (b.layout.clone().unwrap(), a.layout.clone().unwrap());
        for (col, (w, hidden)) in &lb.columns {
            let (w2, h2) = la.columns.get(col).copied().unwrap_or((None, false));
            assert_eq!(h2, *hidden, "{name} column {col} hidden");
            if let (Some(w), Some(w2)) = (w, w2) {
                assert!(
                    (w - w2).abs() < 0.15,
                    "{name} column {col} width {w} → {w2}"
                );
            } else {
                assert_eq!(w.is_some(), w2.is_some(), "{name} column {col} width");
            }
        }
        // A row set to 15 pt, the default height, is written without a height: it looks the same.
        let rows = |l: &zpcheck::read::layout::SheetLayout| {
            l.rows
                .iter()
                .filter(|(_, v)| **v != (Some(15.0), false))
                .map(|(k, v)| (*k, *v))
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(&la), rows(&lb), "{name} {} row heights", b.name);
        assert_eq!(
            (la.freeze, la.landscape, la.fit_to_pages),
            (lb.freeze, lb.landscape, lb.fit_to_pages),
            "{name} panes and page setup"
        );
    }
}

#[test]
fn seed_keeps_its_look() {
    compare("seed_kelamayi_2023.xlsx");
}

#[test]
fn national_forms_keep_their_look() {
    compare("national_planted_errors.xlsx");
    compare("national_clean.xlsx");
    compare("dept_clean.xlsx");
}

#[test]
fn libreoffice_saved_forms_keep_their_look() {
    compare("sichuan_operator_columns.xlsx");
    compare("decorated_shifted.xlsx");
}

#[test]
fn hidden_rows_frozen_panes_and_page_setup_survive() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("spec.xlsx");
    // Start from the clean national form, then add a hidden row and column, a frozen header,
    // a row height and landscape fit-to-page.
    let base = dir.path().join("base.xlsx");
    std::fs::copy(sample("national_clean.xlsx"), &base).unwrap();
    let mut checked2 = check_path(&base, &Profile::default()).unwrap();
    let sheet = &mut checked2.workbook.sheets[0];
    let mut layout = sheet.layout.clone().unwrap();
    layout.rows.insert(23, (Some(30.0), true));
    layout.columns.insert(9, (Some(10.7109375), true));
    layout.freeze = Some((5, 1));
    layout.landscape = true;
    layout.fit_to_pages = Some((1, 0));
    sheet.layout = Some(layout.clone());
    write::write_corrected(&checked2, &base, &src).unwrap();
    let back = read_path(&src).unwrap();
    let got = back.sheets[0].layout.clone().unwrap();
    assert_eq!(got.rows.get(&23), Some(&(Some(30.0), true)));
    assert_eq!(got.columns.get(&9).map(|c| c.1), Some(true));
    assert_eq!(got.freeze, Some((5, 1)));
    assert!(got.landscape);
    assert_eq!(got.fit_to_pages, Some((1, 0)));
}

#[test]
fn what_the_rebuild_cannot_keep_is_named_on_the_findings_sheet() {
    use rust_xlsxwriter::{
        ConditionalFormatCell, ConditionalFormatCellRule, DataValidation, Format, Note,
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("extras.xlsx");
    common::write_xlsx_with(&input, &[common::national_errors()], |ws| {
        ws.insert_note(2, 1, &Note::new("请填写项目全称")).unwrap();
        ws.add_data_validation(
            12,
            7,
            20,
            7,
            &DataValidation::new()
                .allow_decimal_number(rust_xlsxwriter::DataValidationRule::Between(0.0, 100.0)),
        )
        .unwrap();
        let red = Format::new().set_font_color(rust_xlsxwriter::Color::Red);
        ws.add_conditional_format(
            12,
            7,
            20,
            7,
            &ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::LessThan(5))
                .set_format(red),
        )
        .unwrap();
    });
    let checked = check_path(&input, &Profile::default()).unwrap();
    assert_eq!(
        checked.workbook.not_kept,
        vec!["批注", "数据验证", "条件格式"]
    );
    let out = dir.path().join("out.xlsx");
    write::write_corrected(&checked, &input, &out).unwrap();
    let back = read_path(&out).unwrap();
    let sheet = back.sheets.iter().find(|s| s.name == "核查结果").unwrap();
    let rows = checked.findings().count() as u32;
    assert_eq!(
        sheet.text(CellRef::new(rows + 2, 0)),
        "注意：原文件中的批注、数据验证、条件格式未保留在更正后的工作簿中，如需要请在原文件中处理。"
    );
    // zpcheck's own notes in its output are not reported as lost when it is checked again.
    let again = check_path(&out, &Profile::default()).unwrap();
    assert_eq!(again.workbook.not_kept, Vec::<&str>::new());
    // A plain sample has nothing to name.
    assert_eq!(
        check_path(&sample("seed_kelamayi_2023.xlsx"), &Profile::default())
            .unwrap()
            .workbook
            .not_kept,
        Vec::<&str>::new()
    );
}

#[test]
fn document_properties_and_print_area_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("props.xlsx");
    common::write_xlsx_with(&input, &[common::national_clean()], |ws| {
        ws.set_print_area(0, 0, 22, 8).unwrap();
    });
    // Give the input a title and author as a department would.
    let mut checked = check_path(&input, &Profile::default()).unwrap();
    let mut props = checked.workbook.properties.clone().unwrap_or_default();
    props.title = Some("2022年度项目支出绩效自评表".into());
    props.creator = Some("区生态环境局财务科".into());
    checked.workbook.properties = Some(props);
    assert_eq!(
        checked.workbook.sheets[0]
            .layout
            .as_ref()
            .unwrap()
            .print_area
            .map(|(a, b)| (a.to_string(), b.to_string())),
        Some(("A1".into(), "I23".into()))
    );
    let out = dir.path().join("out.xlsx");
    write::write_corrected(&checked, &input, &out).unwrap();
    let back = read_path(&out).unwrap();
    let p = back.properties.unwrap();
    assert_eq!(p.title.as_deref(), Some("2022年度项目支出绩效自评表"));
    assert_eq!(p.creator.as_deref(), Some("区生态环境局财务科"));
    let area = back.sheets[0].layout.as_ref().unwrap().print_area;
    assert_eq!(
        area.map(|(a, b)| (a.to_string(), b.to_string())),
        Some(("A1".into(), "I23".into()))
    );
}

#[test]
fn xls_and_ods_get_a_clean_default_style_with_bold_headers() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["national_clean.xls", "national_planted_errors.ods"] {
        let input = sample(name);
        let checked = check_path(&input, &Profile::default()).unwrap();
        let out = dir.path().join(format!("{name}.xlsx"));
        write::write_corrected(&checked, &input, &out).unwrap();
        let back = read_path(&out).unwrap();
        let sheet = &back.sheets[0];
        let style = |a1: &str| {
            sheet
                .get(CellRef::parse(a1).unwrap())
                .and_then(|c| c.style.clone())
                .unwrap_or_default()
        };
        // Header cells (row 5 funding, row 12 indicators): 宋体, bold, thin borders, wrapped.
        for a1 in ["C5", "D12"] {
            let s = style(a1);
            assert_eq!(s.font_name.as_deref(), Some("宋体"), "{name} {a1}");
            assert!(s.bold && s.wrap, "{name} {a1}");
            assert_eq!(s.borders.map(|b| b.0), [1, 1, 1, 1], "{name} {a1}");
        }
        // Data cells are not bold but bordered.
        let s = style("D13");
        assert!(!s.bold && s.borders[0].0 == 1, "{name}");
        // Column widths fitted to Chinese text: 三级指标 names are wider than the default.
        let widths = &sheet.layout.as_ref().unwrap().columns;
        assert!(
            widths.get(&3).and_then(|w| w.0).unwrap_or(0.0) > 12.0,
            "{name} {widths:?}"
        );
    }
}
