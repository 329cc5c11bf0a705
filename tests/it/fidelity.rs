//! The corrected workbook looks like the submission: each sample compared with its corrected
//! workbook cell by cell — every value except the corrected cells, every cell's style (font,
//! fill, borders, alignment, number format) except the corrected cells' highlight — and the
//! merged ranges, column widths, row heights, panes and page setup. Each .xlsx is corrected
//! both ways: patched (what `fix` does) and rebuilt (what it does when the patcher gives up).
//! What only the patch keeps — others' notes, data validation, conditional formats, images,
//! charts — is checked part by part.

use std::collections::{HashMap, HashSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use zpcheck_testkit as common;

use zpcheck::read::{CellRef, read_path};
use zpcheck::write::Method;
use zpcheck::{Checked, Profile, check_path, fix_path, write};
use zpcheck_testkit::sample;

/// Corrects `input` both ways into `dir`: patched (through [`write::write_corrected`], which
/// must patch it) and rebuilt.
fn both_ways(checked: &Checked, input: &Path, dir: &Path) -> [(Method, PathBuf); 2] {
    let patched = dir.join("patched.xlsx");
    let (_, fidelity) = common::read_full(input);
    assert_eq!(
        write::write_corrected(checked, &fidelity, input, &patched)
            .unwrap()
            .method,
        Method::Patched,
        "{input:?}"
    );
    let rebuilt = dir.join("rebuilt.xlsx");
    std::fs::write(
        &rebuilt,
        write::rebuild::workbook(checked, &fidelity).unwrap(),
    )
    .unwrap();
    [(Method::Patched, patched), (Method::Rebuilt, rebuilt)]
}

/// The bytes of every part of a package whose name starts with `prefix`.
fn part_bytes(path: &Path, prefix: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().unwrap().starts_with(prefix) {
            f.read_to_end(&mut bytes).unwrap();
        }
    }
    bytes
}

/// The text of every part of a package whose name starts with `prefix`.
fn part_text(path: &Path, prefix: &str) -> String {
    String::from_utf8(part_bytes(path, prefix)).unwrap()
}

fn compare(name: &str) {
    let input = sample(name);
    let checked = check_path(&input, &Profile::default()).unwrap();
    let fixed: HashSet<(String, CellRef)> = checked
        .findings()
        .filter(|f| f.fixed())
        .map(|f| (f.sheet.clone(), f.cell))
        .collect();
    // The fill each marked cell gets: corrected (yellow) before an error left (red) before a
    // warning (blue).
    let mut marked: HashMap<(String, CellRef), u32> = HashMap::new();
    for f in checked.findings() {
        let fill = if fixed.contains(&(f.sheet.clone(), f.cell)) {
            write::FIXED_FILL
        } else if f.severity == zpcheck::Severity::Error {
            write::ERROR_FILL
        } else {
            write::WARNING_FILL
        };
        let slot = marked.entry((f.sheet.clone(), f.cell)).or_insert(fill);
        if fill == write::FIXED_FILL || (fill == write::ERROR_FILL && *slot == write::WARNING_FILL)
        {
            *slot = fill;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    for (method, out) in both_ways(&checked, &input, dir.path()) {
        compare_output(name, &input, &out, &fixed, &marked, method);
    }
}

fn compare_output(
    name: &str,
    input: &Path,
    out: &Path,
    fixed: &HashSet<(String, CellRef)>,
    marked: &HashMap<(String, CellRef), u32>,
    method: Method,
) {
    let name = format!("{name} ({method:?})");
    let (before, before_looks) = common::read_full(input);
    let (after, after_looks) = common::read_full(out);
    let names =
        |w: &zpcheck::read::Workbook| w.sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    let mut expected_names = names(&before);
    expected_names.push("核查结果".into());
    assert_eq!(names(&after), expected_names, "{name}");
    for (i, (b, a)) in before.sheets.iter().zip(&after.sheets).enumerate() {
        for (pos, cell) in &b.cells {
            let corrected = fixed.contains(&(b.name.clone(), *pos));
            let out = a
                .get(*pos)
                .unwrap_or_else(|| panic!("{name} {}!{pos} missing", b.name));
            if !corrected {
                assert_eq!(out.text(), cell.text(), "{name} {}!{pos} value", b.name);
                assert_eq!(out.formula, cell.formula, "{name} {}!{pos} formula", b.name);
            }
        }
        // Every styled cell (a form's borders too) keeps its style.
        for (pos, style) in &before_looks.look(i).unwrap().styles {
            let mut got = after_looks.style(i, *pos).cloned().unwrap_or_default();
            if let Some(fill) = marked.get(&(b.name.clone(), *pos)) {
                assert_eq!(got.fill, Some(*fill), "{name} {}!{pos} highlight", b.name);
                got.fill = style.fill;
                if fixed.contains(&(b.name.clone(), *pos)) {
                    got.num_fmt = style.num_fmt.clone();
                }
            }
            assert_eq!(&got, style.as_ref(), "{name} {}!{pos} style", b.name);
        }
        let mut mb = b.merges.clone();
        let mut ma = a.merges.clone();
        mb.sort_by_key(|m| (m.first, m.last));
        ma.sort_by_key(|m| (m.first, m.last));
        assert_eq!(ma, mb, "{name} {} merges", b.name);
        let (lb, la) = (
            before_looks.layout(i).cloned().unwrap(),
            after_looks.layout(i).cloned().unwrap(),
        );
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
    let input = dir.path().join("layout.xlsx");
    // The clean national form with a hidden row and column, a frozen header, a row height and
    // landscape fit-to-page.
    common::write_xlsx_with(&input, &[common::national_errors()], |ws| {
        ws.set_row_height(23, 30).unwrap();
        ws.set_row_hidden(23).unwrap();
        ws.set_column_hidden(9).unwrap();
        ws.set_freeze_panes(5, 1).unwrap();
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
    });
    let checked = check_path(&input, &Profile::default()).unwrap();
    for (method, out) in both_ways(&checked, &input, dir.path()) {
        let got = common::looks(&out).layout(0).cloned().unwrap();
        assert_eq!(got.rows.get(&23), Some(&(Some(30.0), true)), "{method:?}");
        assert_eq!(got.columns.get(&9).map(|c| c.1), Some(true), "{method:?}");
        assert_eq!(got.freeze, Some((5, 1)), "{method:?}");
        assert!(got.landscape, "{method:?}");
        assert_eq!(got.fit_to_pages, Some((1, 0)), "{method:?}");
    }
}

/// A 1 × 1 PNG.
const PNG: &str = "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da636460f85f0f0002870180eb47ba920000000049454e44ae426082";

/// The national form with planted errors plus what a department adds: a note of its own at B3,
/// data validation and a conditional format on the scores, an image and a chart.
fn with_extras(path: &Path) {
    use rust_xlsxwriter::{
        Chart, ChartType, ConditionalFormatCell, ConditionalFormatCellRule, DataValidation, Format,
        Image, Note,
    };
    let png: Vec<u8> = (0..PNG.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&PNG[i..i + 2], 16).unwrap())
        .collect();
    common::write_xlsx_with(path, &[common::national_errors()], |ws| {
        ws.insert_note(2, 1, &Note::new("请填写项目全称").set_author("张三"))
            .unwrap();
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
        ws.insert_image(0, 10, &Image::new_from_buffer(&png).unwrap())
            .unwrap();
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_values("'项目支出绩效自评表'!$H$13:$H$21");
        ws.insert_chart(3, 10, &chart).unwrap();
    });
}

#[test]
fn the_patch_keeps_notes_validation_formats_images_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("extras.xlsx");
    with_extras(&input);
    let (checked, fidelity) = fix_path(&input, &Profile::default()).unwrap();
    let out = dir.path().join("out.xlsx");
    assert_eq!(
        write::write_corrected(&checked, &fidelity, &input, &out)
            .unwrap()
            .method,
        Method::Patched
    );
    let sheet = part_text(&out, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<dataValidations") && sheet.contains("<conditionalFormatting"));
    assert!(sheet.contains("<drawing ") && sheet.contains("<legacyDrawing "));
    assert_eq!(
        part_bytes(&out, "xl/media/"),
        part_bytes(&input, "xl/media/")
    );
    assert!(!part_bytes(&out, "xl/media/").is_empty());
    assert_eq!(
        part_text(&out, "xl/charts/"),
        part_text(&input, "xl/charts/")
    );
    // The department's note and zpcheck's notes side by side, each with its author.
    let notes = part_text(&out, "xl/comments");
    assert!(notes.contains("请填写项目全称") && notes.contains("<author>张三</author>"));
    assert_eq!(notes.matches("zpcheck 已更正").count(), 8, "{notes}");
    let vml = part_text(&out, "xl/drawings/vmlDrawing");
    // Eight corrections, one warning (I19: the reason for a lowered score is missing), and
    // the department's own note.
    assert_eq!(notes.matches("zpcheck 提醒").count(), 1, "{notes}");
    assert_eq!(
        vml.matches("ObjectType=\"Note\"").count(),
        8 + 1 + 1,
        "{vml}"
    );
    // Nothing to name on the 核查结果 sheet: everything was kept.
    let back = read_path(&out).unwrap();
    let findings = back.sheets.iter().find(|s| s.name == "核查结果").unwrap();
    let rows = checked.findings().count() as u32 + common::findings_header_row(findings);
    assert_eq!(findings.text(CellRef::new(rows + 2, 0)), "");
    assert_eq!(findings.max_row(), rows);
    // Checking the output again finds no error, and correcting it again keeps the
    // department's note and replaces zpcheck's own.
    let (again, again_fidelity) = fix_path(&out, &Profile::default()).unwrap();
    assert!(!again.has_errors(), "{:?}", common::rows(&again));
    let out2 = dir.path().join("out2.xlsx");
    write::write_corrected(&again, &again_fidelity, &out, &out2).unwrap();
    let notes2 = part_text(&out2, "xl/comments");
    assert!(notes2.contains("请填写项目全称"));
    assert_eq!(notes2.matches("zpcheck 已更正").count(), 8);
    assert_eq!(
        read_path(&out2).unwrap().sheets.len(),
        back.sheets.len(),
        "the 核查结果 sheet is replaced, not added again"
    );
}

#[test]
fn what_the_rebuild_cannot_keep_is_named_on_the_findings_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("extras.xlsx");
    with_extras(&input);
    let checked = check_path(&input, &Profile::default()).unwrap();
    let (_, fidelity) = common::read_full(&input);
    assert_eq!(
        fidelity.not_kept,
        vec!["图片", "图表", "批注", "数据验证", "条件格式"]
    );
    let out = dir.path().join("out.xlsx");
    std::fs::write(&out, write::rebuild::workbook(&checked, &fidelity).unwrap()).unwrap();
    let back = read_path(&out).unwrap();
    let sheet = back.sheets.iter().find(|s| s.name == "核查结果").unwrap();
    let rows = checked.findings().count() as u32 + common::findings_header_row(sheet);
    assert_eq!(
        sheet.text(CellRef::new(rows + 2, 0)),
        "注意：原文件中的图片、图表、批注、数据验证、条件格式未保留在更正后的工作簿中，如需要请在原文件中处理。"
    );
    // zpcheck's own notes in its output are not reported as lost when it is checked again.
    assert_eq!(common::looks(&out).not_kept, Vec::<&str>::new());
    // A plain sample has nothing to name.
    assert_eq!(
        common::looks(&sample("seed_kelamayi_2023.xlsx")).not_kept,
        Vec::<&str>::new()
    );
}

#[test]
fn document_properties_and_print_area_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("props.xlsx");
    // A title and author as a department gives them.
    let props = rust_xlsxwriter::DocProperties::new()
        .set_title("2022年度项目支出绩效自评表")
        .set_author("区生态环境局财务科");
    common::write_xlsx_props(&input, &[common::national_errors()], props, |ws| {
        ws.set_print_area(0, 0, 22, 8).unwrap();
    });
    let checked = check_path(&input, &Profile::default()).unwrap();
    for (method, out) in both_ways(&checked, &input, dir.path()) {
        let back = common::looks(&out);
        let p = back.properties.clone().unwrap();
        assert_eq!(p.title.as_deref(), Some("2022年度项目支出绩效自评表"));
        assert_eq!(
            p.creator.as_deref(),
            Some("区生态环境局财务科"),
            "{method:?}"
        );
        let area = back.layout(0).unwrap().print_area;
        assert_eq!(
            area.map(|(a, b)| (a.to_string(), b.to_string())),
            Some(("A1".into(), "I23".into())),
            "{method:?}"
        );
    }
}

#[test]
fn xls_and_ods_keep_their_fonts_alignment_borders_formats_and_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "national_clean.xls",
            "图片、图表、批注、数据验证和条件格式（如有）",
        ),
        (
            "national_planted_errors.ods",
            "批注、数据验证、条件格式和打印设置（如有）",
        ),
        (
            "national_clean.ods",
            "批注、数据验证、条件格式和打印设置（如有）",
        ),
    ];
    for (name, lost) in cases {
        let input = sample(name);
        let out = dir.path().join(format!("{name}.xlsx"));
        let (checked, _) = common::fix_to(&input, &out);
        // The 核查结果 sheet names what the rebuild still does not keep, below the findings.
        let findings_sheet = read_path(&out).unwrap().sheets.pop().unwrap();
        let top = common::findings_header_row(&findings_sheet);
        let rows = checked.findings().count() as u32;
        assert_eq!(
            findings_sheet.text(CellRef::new(top + rows.max(1) + 2, 0)),
            format!("注意：原文件中的{lost}未保留在更正后的工作簿中，如需要请在原文件中处理。"),
            "{name}"
        );
        let before = common::looks(&input);
        let after = common::looks(&out);
        let marked: HashSet<CellRef> = checked.findings().map(|f| f.cell).collect();
        let styles = &before.looks[0].styles;
        assert!(styles.len() > 150, "{name}: {} styled cells", styles.len());
        // Every styled cell of the form keeps its look (a marked cell gains its fill).
        let mut compared = 0;
        for (at, style) in styles {
            let Some(got) = after.style(0, *at) else {
                continue;
            };
            let mut got = got.clone();
            if marked.contains(at) {
                got.fill = style.fill;
                got.num_fmt = style.num_fmt.clone().or(got.num_fmt);
            }
            assert_eq!(&got, style.as_ref(), "{name} {at}");
            compared += 1;
        }
        assert!(compared > 150, "{name}: {compared}");
        // What they are, for the title, a header, a rate and the body text.
        let style = |a1: &str| {
            after
                .style(0, CellRef::parse(a1).unwrap())
                .cloned()
                .unwrap_or_default()
        };
        let title = style("A1");
        assert!(
            title.bold && title.h_align == 2 && title.font_size == Some(160),
            "{name} {title:?}"
        );
        let header = style("C5");
        assert_eq!(header.borders.map(|b| b.0), [1, 1, 1, 1], "{name}");
        assert!(header.wrap, "{name}");
        if name.starts_with("national_clean") {
            // 执行率 as a 0.00%-formatted fraction.
            assert_eq!(style("G6").num_fmt.as_deref(), Some("0.00%"), "{name}");
        }
        // The merged ranges and the column widths of the form.
        let back = read_path(&out).unwrap();
        assert!(
            back.sheets[0]
                .merges
                .iter()
                .any(|m| m.first == CellRef::new(0, 0) && m.last == CellRef::new(0, 8)),
            "{name}"
        );
        let (wa, wb) = (before.layout(0).unwrap(), after.layout(0).unwrap());
        for (col, (w, _)) in &wa.columns {
            let (w, got) = (w.unwrap(), wb.columns.get(col).and_then(|c| c.0).unwrap());
            assert!((w - got).abs() < 0.2, "{name} column {col}: {w} → {got}");
        }
    }
}
