//! Writes the bundled sample workbooks into samples/ (see samples/README.md).
//!
//! Run with `cargo run --example make_samples`; the files are committed, so nobody needs to.
//! The layout variants are then re-saved by LibreOffice (`soffice`), when it is installed, so
//! that those committed files are a real spreadsheet program's output.

use zpcheck_testkit as common;

use std::path::Path;
use std::process::Command;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    std::fs::create_dir_all(&dir).expect("samples folder");
    let samples = [
        ("seed_kelamayi_2023.xlsx", common::seed(), false),
        (
            "national_planted_errors.xlsx",
            common::national_errors(),
            false,
        ),
        ("national_clean.xlsx", common::national_clean(), false),
        ("dept_clean.xlsx", common::dept_clean(), false),
        ("sichuan_operator_columns.xlsx", common::sichuan(), true),
        ("decorated_shifted.xlsx", common::decorated(), true),
        ("placeholder_zero.xlsx", common::placeholder_zero(), false),
        (
            "yunnan_two_row_header.xlsx",
            common::templates::yunnan(),
            false,
        ),
        (
            "hubei_no_weight_column.xlsx",
            common::templates::hubei(),
            false,
        ),
        (
            "xianjie_weight_first.xlsx",
            common::templates::xianjie(),
            false,
        ),
        (
            "beijing_budget_a_only.xlsx",
            common::templates::beijing(),
            false,
        ),
        (
            "anhui_dept_county.xlsx",
            common::templates::anhui_dept(),
            false,
        ),
        (
            "section_rows.xlsx",
            common::templates::section_rows(),
            false,
        ),
        (
            "indicators_first.xlsx",
            common::templates::indicators_first(),
            false,
        ),
        (
            "partial_unknown_header.xlsx",
            common::templates::partial(),
            false,
        ),
        ("hebei_weight_share.xlsx", common::templates::hebei(), false),
        (
            "chongqing_score_ratio.xlsx",
            common::templates::chongqing(),
            false,
        ),
        (
            "analysis_columns.xlsx",
            common::templates::analysis_columns(),
            false,
        ),
    ];
    // Old exporters' .xls: text as GBK bytes, with no CODEPAGE record or a wrong one (1252).
    common::write_gbk_xls(&dir.join("gbk_no_codepage.xls"), &common::seed(), None);
    common::write_gbk_xls(
        &dir.join("gbk_wrong_codepage.xls"),
        &common::seed(),
        Some(1252),
    );
    println!("wrote samples/gbk_no_codepage.xls, samples/gbk_wrong_codepage.xls");
    common::write_xlsx(
        &dir.join("two_sheets.xlsx"),
        &common::templates::two_sheets(),
    );
    println!("wrote samples/two_sheets.xlsx");
    // Government systems' "导出Excel": an HTML table saved as .xls (GBK, declared in a <meta>),
    // and SpreadsheetML 2003 as .xml; both the national form with its planted errors.
    std::fs::write(
        dir.join("html_export_gbk.xls"),
        common::html_of(&common::national_errors(), true),
    )
    .expect("write");
    std::fs::write(
        dir.join("spreadsheetml_export.xml"),
        common::spreadsheetml_of(&common::national_errors()),
    )
    .expect("write");
    println!("wrote samples/html_export_gbk.xls, samples/spreadsheetml_export.xml");
    // The seed's 自评报告 as Word writes it: the narrative of ../shared/seed/ with its 自评表
    // as a real table (merged cells as gridSpan / vMerge).
    std::fs::write(
        dir.join("seed_kelamayi_2023_report.docx"),
        common::docx::docx_of(&common::docx::seed_report()),
    )
    .expect("write");
    println!("wrote samples/seed_kelamayi_2023_report.docx");
    let lo = tempfile::tempdir().expect("tempdir");
    for (name, sheet, resave) in samples {
        let path = dir.join(name);
        common::write_xlsx(&path, &[sheet]);
        if resave {
            let status = Command::new("soffice")
                .args(["--headless", "--convert-to", "xlsx", "--outdir"])
                .arg(lo.path())
                .arg(&path)
                .output();
            match status {
                Ok(o) if o.status.success() && lo.path().join(name).exists() => {
                    std::fs::copy(lo.path().join(name), &path).expect("copy");
                    println!("wrote samples/{name} (re-saved by LibreOffice)");
                }
                _ => println!("wrote samples/{name} (LibreOffice not found: not re-saved)"),
            }
        } else {
            println!("wrote samples/{name}");
        }
    }
}
