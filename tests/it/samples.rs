//! The bundled samples: exact findings and totals, and that the committed files are what the
//! generator (`cargo run --example make_samples`) writes.

use zpcheck_testkit as common;

use std::path::PathBuf;

use common::*;
use zpcheck::{Profile, check_path};
use zpcheck_testkit::sample;

fn totals(c: &zpcheck::Checked) -> Vec<(Option<String>, Option<String>)> {
    c.forms
        .iter()
        .map(|f| {
            (
                f.report.claimed_total.map(|d| d.normalize().to_string()),
                f.report.computed_total.map(|d| d.normalize().to_string()),
            )
        })
        .collect()
}

#[test]
fn seed_reports_the_published_errors() {
    let c = check_path(&sample("seed_kelamayi_2023.xlsx"), &Profile::default()).unwrap();
    assert_eq!(c.forms.len(), 1);
    assert_eq!(c.forms[0].form.title, "部门整体支出绩效自评表");
    assert_eq!(
        c.forms[0].form.name.as_deref(),
        Some("克拉玛依区科学技术局")
    );
    assert_eq!(
        rows(&c),
        vec![
            // 场地: weight 10, scored 20.
            row("ZP201", "H15", "20", "10", true),
            // 208.33% and 162.5% of target with full marks.
            row("ZP204", "G16", "25 家", "酌情扣分（需人工判断）", false),
            row("ZP204", "G17", "26 家", "酌情扣分（需人工判断）", false),
            // 招标: met (=1 家) but scored 10 of 20.
            row("ZP202", "H18", "10", "20", true),
        ]
    );
    let msgs: Vec<&str> = c.findings().map(|f| f.message.as_str()).collect();
    assert!(msgs[1].contains("208.33%"), "{}", msgs[1]);
    assert!(msgs[2].contains("162.5%"), "{}", msgs[2]);
    // The funding block is consistent; the table has no 总分 row.
    assert_eq!(totals(&c), vec![(None, Some("99.96".to_string()))]);
    assert_eq!(c.forms[0].report.computed_grade, Some("优"));
}

#[test]
fn national_form_with_planted_errors() {
    let c = check_path(&sample("national_planted_errors.xlsx"), &Profile::default()).unwrap();
    assert_eq!(
        rows(&c),
        vec![
            row("ZP101", "C6", "0", "90", true),
            row("ZP101", "D6", "0", "89.974", true),
            row("ZP101", "E6", "0", "89.974", true),
            row("ZP102", "G6", "0", "100%", true),
            row("ZP104", "H6", "0", "10", true),
            row("ZP202", "H16", "19.6", "20", true),
            row("ZP202", "H19", "10", "7.27", true),
            row("ZP208", "I19", "（空）", "填写扣分原因", false),
            row("ZP304", "H22", "89.6", "94.27", true),
        ]
    );
    assert_eq!(
        totals(&c),
        vec![(Some("89.6".into()), Some("94.27".into()))]
    );
}

#[test]
fn clean_samples_have_no_findings() {
    for (name, total) in [("national_clean.xlsx", "97"), ("dept_clean.xlsx", "99.96")] {
        let c = check_path(&sample(name), &Profile::default()).unwrap();
        assert_eq!(rows(&c), vec![], "{name}");
        assert_eq!(
            totals(&c),
            vec![(Some(total.into()), Some(total.into()))],
            "{name}"
        );
    }
}

/// Every cell value of every sheet, as text, for comparing workbooks.
fn values(path: &std::path::Path) -> Vec<(String, u32, u32, String)> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            out.push((name.clone(), r0 + r as u32, c0 + c as u32, v.to_string()));
        }
    }
    out
}

#[test]
fn committed_samples_match_the_generator() {
    let dir = tempfile::tempdir().unwrap();
    for (name, spec) in [
        ("seed_kelamayi_2023.xlsx", seed()),
        ("national_planted_errors.xlsx", national_errors()),
        ("national_clean.xlsx", national_clean()),
        ("dept_clean.xlsx", dept_clean()),
        ("sichuan_operator_columns.xlsx", sichuan()),
        ("decorated_shifted.xlsx", decorated()),
        ("placeholder_zero.xlsx", placeholder_zero()),
    ] {
        let fresh = dir.path().join(name);
        write_xlsx(&fresh, &[spec]);
        assert_eq!(
            values(&fresh),
            values(&sample(name)),
            "samples/{name} is stale: run cargo run --example make_samples"
        );
    }
}

#[test]
fn goals_are_read_with_their_cells() {
    let c = check_path(&sample("national_clean.xlsx"), &Profile::default()).unwrap();
    let (expected, actual) = c.forms[0].form.goals.clone().unwrap();
    assert_eq!(expected.cell.to_string(), "B11");
    assert!(
        expected.raw.starts_with("完成城区 20 个监测站点"),
        "{}",
        expected.raw
    );
    assert_eq!(actual.cell.to_string(), "F11");
    assert!(
        actual.raw.starts_with("20 个站点全年正常运行"),
        "{}",
        actual.raw
    );
}

/// `check` reads an ordinary .xlsx with zpcheck's own reader, `fix` through calamine: on every
/// sample a check, a correction and a rebuild find the same forms, totals and findings,
/// message for message (a check and a correction read an ordinary .xlsx with zpcheck's own
/// reader, a rebuild through calamine).
#[test]
fn check_and_fix_read_every_sample_alike() {
    use zpcheck::read::{Purpose, ReadOptions};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut compared = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("xlsx" | "xlsm" | "xls" | "ods")
        ) {
            continue;
        }
        let read = |purpose| {
            let opts = ReadOptions::for_purpose(purpose);
            zpcheck::check_path_with(&path, &Profile::default(), opts).unwrap()
        };
        let check = read(Purpose::Check);
        let messages =
            |c: &zpcheck::Checked| c.findings().map(|f| f.message.clone()).collect::<Vec<_>>();
        for purpose in [Purpose::Fix, Purpose::Rebuild] {
            let other = read(purpose);
            assert_eq!(rows(&check), rows(&other), "{path:?} {purpose:?}");
            assert_eq!(messages(&check), messages(&other), "{path:?} {purpose:?}");
            assert_eq!(totals(&check), totals(&other), "{path:?} {purpose:?}");
            assert_eq!(check.forms.len(), other.forms.len(), "{path:?} {purpose:?}");
        }
        compared += 1;
    }
    // With the HTML table saved as .xls (html_export_gbk.xls).
    assert_eq!(compared, 31);
}

/// The generated samples print like the forms they imitate: A4 landscape, one page wide,
/// centred; the title merged across the form and taller; rows whose text wraps tall enough for
/// it (the seed's 年度总目标 row holds a paragraph).
#[test]
fn samples_print_like_the_forms_they_imitate() {
    let names = [
        "seed_kelamayi_2023.xlsx",
        "national_planted_errors.xlsx",
        "national_clean.xlsx",
        "dept_clean.xlsx",
        "yunnan_two_row_header.xlsx",
    ];
    for name in names {
        let xml = part_of(&sample(name), "xl/worksheets/sheet1.xml").unwrap();
        assert!(xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{name}");
        assert!(
            xml.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape""#),
            "{name}"
        );
        assert!(
            xml.contains(r#"<printOptions horizontalCentered="1"/>"#),
            "{name}"
        );
        assert!(xml.contains(r#"<row r="1" spans="1:"#), "{name}");
    }
    let seed = part_of(
        &sample("seed_kelamayi_2023.xlsx"),
        "xl/worksheets/sheet1.xml",
    )
    .unwrap();
    assert!(seed.contains(r#"<mergeCell ref="A1:H1"/>"#));
    assert!(seed.contains(r#"<row r="1" spans="1:8" ht="27" customHeight="1">"#));
    // 年度总目标: the 实际完成情况 paragraph wraps over nine lines.
    assert!(
        seed.contains(r#"<row r="10" spans="1:8" ht="132" customHeight="1">"#),
        "{seed}"
    );
    // A row of short cells keeps the default height.
    assert!(seed.contains(r#"<row r="5" spans="1:8">"#));
}

#[test]
fn the_export_samples_are_what_the_generator_writes_and_report_the_xlsx_findings() {
    // samples/html_export_gbk.xls (an HTML table in GBK saved as .xls) and
    // samples/spreadsheetml_export.xml: byte for byte what the test kit writes, and the same
    // findings as national_planted_errors.xlsx.
    let spec = national_errors();
    assert_eq!(
        std::fs::read(sample("html_export_gbk.xls")).unwrap(),
        zpcheck_testkit::html_of(&spec, true)
    );
    assert_eq!(
        std::fs::read(sample("spreadsheetml_export.xml")).unwrap(),
        zpcheck_testkit::spreadsheetml_of(&spec)
    );
    let expected =
        rows(&check_path(&sample("national_planted_errors.xlsx"), &Profile::default()).unwrap());
    assert_eq!(expected.len(), 9);
    for name in ["html_export_gbk.xls", "spreadsheetml_export.xml"] {
        let c = check_path(&sample(name), &Profile::default()).unwrap();
        assert_eq!(rows(&c), expected, "{name}");
    }
}
