//! Formulas whose file holds no result: none at all (openpyxl) or a placeholder 0 under
//! fullCalcOnLoad (the XlsxWriter family). They are evaluated, never read as "total is 0",
//! and findings say when a value came from such a formula.

use zpcheck_testkit as common;

use std::path::PathBuf;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;
use zpcheck::{Profile, check_path, fix_path, write};
use zpcheck_testkit::sample;

fn raw(path: &PathBuf, a1: &str) -> Data {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    let r = zpcheck::read::CellRef::parse(a1).unwrap();
    range
        .get_value((r.row, r.col))
        .cloned()
        .unwrap_or(Data::Empty)
}

#[test]
fn openpyxl_formulas_without_cache_are_evaluated() {
    let path = sample("openpyxl_no_cache.xlsx");
    // The file really holds no results.
    assert_eq!(raw(&path, "C6"), Data::Empty);
    assert_eq!(raw(&path, "H22"), Data::Empty);
    let c = check_path(&path, &Profile::default()).unwrap();
    assert_eq!(rows(&c), vec![]);
    let f = &c.forms[0];
    assert_eq!(
        f.form
            .funding
            .as_ref()
            .unwrap()
            .total
            .initial
            .as_ref()
            .unwrap()
            .raw,
        "90"
    );
    assert_eq!(
        f.report.claimed_total.map(|d| d.to_string()),
        Some("97".into())
    );
}

#[test]
fn a_wrong_uncached_sum_is_reported_with_its_origin() {
    let c = check_path(&sample("openpyxl_wrong_sum.xlsx"), &Profile::default()).unwrap();
    // The formula's range is what was wrong (C9 left out): ZP004 repairs it.
    assert_eq!(
        rows(&c),
        vec![
            row("ZP101", "C6", "90", "95", true),
            row("ZP004", "C6", "=SUM(C7:C8)", "=SUM(C7:C9)", true),
        ]
    );
    let msg = &c.findings().next().unwrap().message;
    assert!(
        msg.contains("公式 =SUM(C7:C8) 没有保存计算结果，zpcheck 按公式算得 90"),
        "{msg}"
    );
}

#[test]
fn placeholder_zero_under_full_calc_on_load_is_not_a_total() {
    let path = sample("placeholder_zero.xlsx");
    assert_eq!(raw(&path, "C6"), Data::Float(0.0));
    let c = check_path(&path, &Profile::default()).unwrap();
    assert_eq!(rows(&c), vec![]);
    assert_eq!(
        c.forms[0].report.claimed_total.map(|d| d.to_string()),
        Some("97".into())
    );
}

#[test]
fn an_unevaluable_uncached_formula_reads_as_blank_and_says_so() {
    let mut sh = national_clean();
    sh.set("C6", V::FNoCache("SUMPRODUCT(C7:C9,1)".into()));
    let c = check_spec(&sh);
    assert_eq!(rows(&c), vec![row("ZP101", "C6", "（空）", "90", true)]);
    let msg = &c.findings().next().unwrap().message;
    assert!(msg.contains("无法计算，按空白处理"), "{msg}");
}

/// Copies an xlsx, removing fullCalcOnLoad from its workbook.xml (as Excel, WPS and LibreOffice
/// save files).
fn strip_full_calc(src: &std::path::Path, dst: &std::path::Path) {
    use std::io::{Read, Write};
    let mut z = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        if name == "xl/workbook.xml" {
            let text = String::from_utf8(buf).unwrap();
            assert!(text.contains(" fullCalcOnLoad=\"1\""));
            buf = text.replace(" fullCalcOnLoad=\"1\"", "").into_bytes();
        }
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&buf).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn a_cached_zero_is_trusted_unless_the_writer_asked_for_recalculation() {
    // A score of 0 (nothing achieved) from a formula zpcheck cannot evaluate.
    let mut sh = national_clean();
    sh.set("F13", s("0个")).set("I13", s("站点未建成"));
    sh.set("H13", V::F("SUMPRODUCT(G13:G13,0)".into(), 0.0))
        .set("H22", n(87.0))
        .set("B23", s("良"));
    let (dir, with_flag) = write_temp(&[sh]);
    // fullCalcOnLoad: the 0 may be a placeholder, so the cell is unknown and gets filled.
    let c = check_path(&with_flag, &Profile::default()).unwrap();
    assert_eq!(rows(&c), vec![row("ZP202", "H13", "（空）", "0", true)]);
    // Without the flag (Excel, WPS, LibreOffice), the cached 0 is the result.
    let without = dir.path().join("saved_by_excel.xlsx");
    strip_full_calc(&with_flag, &without);
    assert_eq!(
        rows(&check_path(&without, &Profile::default()).unwrap()),
        vec![]
    );
}

#[test]
fn uncached_formulas_are_written_back_with_their_results() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample("openpyxl_no_cache.xlsx");
    let (checked, fidelity) = fix_path(&input, &Profile::default()).unwrap();
    let out = dir.path().join("out.xlsx");
    write::write_corrected(&checked, &fidelity, &input, &out).unwrap();
    assert_eq!(raw(&out, "C6"), Data::Float(90.0));
    assert_eq!(raw(&out, "H22"), Data::Float(97.0));
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let formulas = wb.worksheet_formula("项目支出绩效自评表").unwrap();
    assert_eq!(
        formulas.get_value((5, 2)).map(String::as_str),
        Some("SUM(C7:C9)")
    );
    // zpcheck's own output asks for recalculation too, but its cached results are trusted.
    assert_eq!(
        rows(&check_path(&out, &Profile::default()).unwrap()),
        vec![]
    );
}

/// The cached values of a sheet as the evaluator reads them: numbers exact from their float,
/// text and errors as text, nothing as blank.
struct Cached<'a>(&'a zpcheck::read::Sheet);

impl zpcheck::formula::Cells for Cached<'_> {
    fn value(
        &mut self,
        at: zpcheck::grid::CellRef,
        _depth: usize,
    ) -> Option<zpcheck::formula::Operand> {
        use zpcheck::formula::Operand;
        use zpcheck::grid::CellValue;
        Some(match self.0.get(at).map(|c| &c.value) {
            None | Some(CellValue::Empty) => Operand::Blank,
            Some(CellValue::Number(f) | CellValue::DateTime(f)) => {
                Operand::Num(rust_decimal::Decimal::from_f64_retain(*f)?)
            }
            Some(CellValue::Bool(b)) => Operand::Num(u8::from(*b).into()),
            Some(CellValue::Text(_) | CellValue::Error(_)) => Operand::Other,
        })
    }

    fn used_in(
        &mut self,
        first: zpcheck::grid::CellRef,
        last: zpcheck::grid::CellRef,
    ) -> Vec<zpcheck::grid::CellRef> {
        self.0
            .cells
            .keys()
            .filter(|r| {
                (first.row..=last.row).contains(&r.row) && (first.col..=last.col).contains(&r.col)
            })
            .copied()
            .collect()
    }
}

#[test]
fn every_formula_a_spreadsheet_program_saved_evaluates_to_its_cached_value() {
    // An oracle for the evaluator: in the samples LibreOffice saved, every formula's cached
    // value is LibreOffice's own result. zpcheck evaluates each formula from the other cells'
    // cached values and must agree (to nine decimal places: LibreOffice works in binary
    // floating point, zpcheck in decimal). (decorated_shifted.xlsx is left out: its cells were
    // shifted by a script after LibreOffice computed them, so its caches are stale on purpose.)
    // The .ods formulas are OpenFormula in the file (`of:=SUM([.C7:.C9])`); this test found
    // that they reached the evaluator, and the rebuilt .xlsx, untranslated.
    use rust_decimal::prelude::FromPrimitive;
    let mut compared = Vec::new();
    for name in [
        "sichuan_operator_columns.xlsx",
        "national_clean.ods",
        "national_planted_errors.ods",
        "yunnan_two_row_header.ods",
    ] {
        let wb = zpcheck::read::read_path(&sample(name)).unwrap();
        let mut count = 0;
        for sheet in &wb.sheets {
            for (at, cell) in &sheet.cells {
                let (Some(formula), zpcheck::grid::CellValue::Number(cached)) =
                    (&cell.formula, &cell.value)
                else {
                    continue;
                };
                let got = zpcheck::formula::evaluate(formula, &mut Cached(sheet))
                    .unwrap_or_else(|| panic!("{name} {at}: ={formula} not evaluated"));
                let want = rust_decimal::Decimal::from_f64(*cached).unwrap();
                assert_eq!(
                    got.round_dp(9),
                    want.round_dp(9),
                    "{name} {}!{at}: ={formula}",
                    sheet.name
                );
                count += 1;
            }
        }
        compared.push((name, count));
    }
    // How many formulas each sample holds, so that a sample losing its formulas (or a reader
    // losing them) fails here instead of comparing nothing.
    assert_eq!(
        compared,
        [
            ("sichuan_operator_columns.xlsx", 0),
            ("national_clean.ods", 4),
            ("national_planted_errors.ods", 0),
            ("yunnan_two_row_header.ods", 0),
        ]
    );
}

#[test]
fn formulas_of_an_ods_are_written_in_excel_syntax() {
    // The rebuilt workbook of an .ods used to hold `of:=SUM([.C7:.C9])` as an .xlsx formula,
    // which Excel must repair (and drops). Now: Excel's syntax, with the cached value.
    let dir = tempfile::tempdir().unwrap();
    let input = sample("national_clean.ods");
    let out = dir.path().join("out.xlsx");
    common::fix_to(&input, &out);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let name = wb.sheet_names()[0].clone();
    let formulas = wb.worksheet_formula(&name).unwrap();
    let at = |a1: &str| {
        let r = zpcheck::grid::CellRef::parse(a1).unwrap();
        formulas
            .get_value((r.row, r.col))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        [at("C6"), at("D6"), at("E6")],
        ["SUM(C7:C9)", "SUM(D7:D9)", "SUM(E7:E9)"]
    );
    assert_eq!(raw(&out, "C6"), Data::Float(90.0));
    assert_eq!(raw(&out, "D6"), Data::Float(89.974));
}
