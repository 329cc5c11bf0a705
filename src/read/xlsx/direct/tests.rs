//! Unit tests of `read/direct` (kept apart so that the module reads as the code it is).

use super::*;
use std::io::{Cursor, Write};

/// Compares what a check uses: sheet names, merged ranges, and each cell's value (a date
/// is its serial number), formula and number format.
fn differences(direct: &[Sheet], calamine: &[Sheet]) -> Vec<String> {
    let mut out = Vec::new();
    let names = |s: &[Sheet]| s.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
    if names(direct) != names(calamine) {
        out.push(format!(
            "sheets {:?} vs {:?}",
            names(direct),
            names(calamine)
        ));
        return out;
    }
    let plain = |v: &CellValue| match v {
        CellValue::DateTime(n) => CellValue::Number(*n),
        other => other.clone(),
    };
    for (d, c) in direct.iter().zip(calamine) {
        if d.merges != c.merges {
            out.push(format!(
                "{}: merges {:?} vs {:?}",
                d.name, d.merges, c.merges
            ));
        }
        let keys = |s: &Sheet| s.cells.keys().copied().collect::<Vec<_>>();
        if keys(d) != keys(c) {
            out.push(format!("{}: cells {:?} vs {:?}", d.name, keys(d), keys(c)));
            continue;
        }
        for (at, x) in &d.cells {
            let y = &c.cells[at];
            let a = (plain(&x.value), &x.formula, &x.num_fmt);
            let b = (plain(&y.value), &y.formula, &y.num_fmt);
            if a != b {
                out.push(format!("{}!{at}: {a:?} vs {b:?}", d.name));
            }
        }
    }
    out
}

fn both_ways(bytes: &[u8]) -> (R<Vec<Sheet>>, Vec<Sheet>) {
    let facts = crate::read::guard::inspect_zip(bytes).expect("a sound container");
    let wb = (facts.workbook_xml.0.as_str(), facts.workbook_xml.1.as_str());
    let direct = read(bytes, wb, None);
    let calamine = crate::read::xlsx::read_xlsx(bytes, wb, false).expect("calamine reads it");
    (direct, calamine.sheets)
}

#[test]
fn every_xlsx_sample_is_read_directly_as_calamine_reads_it() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut read_count = 0;
    for entry in std::fs::read_dir(dir).expect("samples") {
        let path = entry.expect("entry").path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "xlsx" | "xlsm") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("sample");
        let (direct, calamine) = both_ways(&bytes);
        let direct = direct.unwrap_or_else(|e| panic!("{} gave up: {e:?}", path.display()));
        assert_eq!(
            differences(&direct, &calamine),
            Vec::<String>::new(),
            "{path:?}"
        );
        assert!(direct.iter().map(|s| s.cells.len()).sum::<usize>() > 50);
        read_count += 1;
    }
    assert_eq!(read_count, 22, "every .xlsx and .xlsm sample");
}

/// Every file of a folder (the fuzzing corpus, a folder of real submissions) that the
/// direct reader reads must read the same through calamine. Run:
/// `ZPCHECK_DIRECT_CORPUS=fuzz/corpus/whole_path cargo test --release --lib direct -- --ignored`
#[test]
#[ignore = "needs ZPCHECK_DIRECT_CORPUS"]
fn a_corpus_reads_the_same_both_ways() {
    let dir = std::env::var("ZPCHECK_DIRECT_CORPUS").expect("ZPCHECK_DIRECT_CORPUS");
    let (mut direct_count, mut other, mut scanned_count) = (0, 0, 0);
    let mut gave_up: std::collections::BTreeMap<String, usize> = Default::default();
    for entry in std::fs::read_dir(dir).expect("folder") {
        let path = entry.expect("entry").path();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if crate::read::sniff(&bytes).ok() != Some(crate::read::FileKind::Xlsx) {
            other += 1;
            continue;
        }
        let Ok(facts) = crate::read::guard::inspect_zip(&bytes) else {
            other += 1;
            continue;
        };
        if facts.ods {
            other += 1;
            continue;
        }
        // Part by part, the byte scanner reads as the quick-xml path does (or declines).
        if let Some((scanned, _)) = scanned_parts_of(&bytes) {
            scanned_count += scanned;
        }
        let wb = (facts.workbook_xml.0.as_str(), facts.workbook_xml.1.as_str());
        let direct = match read(&bytes, wb, None) {
            Ok(d) => d,
            Err(e) => {
                *gave_up.entry(format!("{e:?}")).or_default() += 1;
                continue;
            }
        };
        let calamine = crate::read::xlsx::read_xlsx(&bytes, wb, false);
        let calamine = calamine
            .unwrap_or_else(|e| panic!("{path:?}: calamine refuses: {e}"))
            .sheets;
        assert_eq!(
            differences(&direct, &calamine),
            Vec::<String>::new(),
            "{path:?}"
        );
        direct_count += 1;
    }
    eprintln!(
        "read directly {direct_count}, gave up {gave_up:?}, not xlsx {other}, parts scanned {scanned_count}"
    );
    assert!(direct_count > 0);
}

/// One cell as a generated workbook holds it.
#[derive(Debug, Clone)]
enum Gen {
    Number(f64),
    Text(String),
    Bool(bool),
    Formula(String, f64),
    Styled,
}

fn gen_cell() -> impl proptest::strategy::Strategy<Value = Gen> {
    use proptest::prelude::*;
    prop_oneof![
        prop_oneof![
            any::<i32>().prop_map(f64::from),
            (-1e12f64..1e12),
            (-1.0f64..1.0),
            Just(1e-9),
            Just(0.98765),
        ]
        .prop_map(Gen::Number),
        // Chinese, ASCII with the characters XML escapes, spaces at either end, new lines.
        "[ 项目名称合计预算执行率得分（）:：%a-z0-9&<>\"'\n]{0,12}".prop_map(Gen::Text),
        any::<bool>().prop_map(Gen::Bool),
        (
            prop_oneof![
                Just("SUM(A1:A3)".to_string()),
                Just("ROUND(B2/C2*100,2)".to_string()),
                Just("\"执行\"&\"率\"".to_string())
            ],
            -1e6f64..1e6
        )
            .prop_map(|(f, v)| Gen::Formula(f, v)),
        Just(Gen::Styled),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// Workbooks as rust_xlsxwriter writes them (shared strings, formulas with cached
    /// results, number formats, styled blank cells, merged ranges, several sheets) read
    /// directly exactly as calamine reads them.
    #[test]
    fn generated_workbooks_read_as_calamine_reads_them(
        sheets in proptest::collection::vec(
            proptest::collection::vec((0u32..40, 0u16..12, gen_cell(), 0usize..4), 0..60),
            1..3,
        )
    ) {
        use rust_xlsxwriter::{Format, Workbook};
        let formats = [
            Format::new(),
            Format::new().set_num_format("0.00%"),
            Format::new().set_num_format("#,##0.00\"万元\"").set_bold(),
            Format::new().set_num_format("yyyy-mm-dd"),
        ];
        let mut wb = Workbook::new();
        for (k, cells) in sheets.iter().enumerate() {
            let ws = wb.add_worksheet();
            ws.set_name(format!("表{k}")).expect("name");
            ws.merge_range(40, 0, 41, 3, "合并", &formats[0]).expect("merge");
            for (row, col, cell, f) in cells {
                let fmt = &formats[*f];
                let _ = match cell {
                    Gen::Number(n) => ws.write_number_with_format(*row, *col, *n, fmt),
                    Gen::Text(t) => ws.write_string_with_format(*row, *col, t, fmt),
                    Gen::Bool(b) => ws.write_boolean_with_format(*row, *col, *b, fmt),
                    Gen::Formula(text, v) => ws.write_formula_with_format(
                        *row,
                        *col,
                        rust_xlsxwriter::Formula::new(text).set_result(v.to_string()),
                        fmt,
                    ),
                    Gen::Styled => ws.write_blank(*row, *col, fmt),
                };
            }
        }
        let bytes = wb.save_to_buffer().expect("saved");
        let (direct, calamine) = both_ways(&bytes);
        let direct = direct.map_err(|e| proptest::test_runner::TestCaseError::fail(format!("gave up: {e:?}")))?;
        proptest::prop_assert_eq!(differences(&direct, &calamine), Vec::<String>::new());
        proptest::prop_assert_eq!(direct.len(), sheets.len());
        // And every part of them by the byte scanner, as quick-xml reads it.
        let (scanned, parts) = scanned_parts(&bytes);
        proptest::prop_assert_eq!(scanned, parts);
    }
}

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表 &amp; 一" sheetId="1" r:id="rId1"/><sheet name="图" sheetId="2" r:id="rId2"/><sheet name="Hidden" sheetId="3" state="hidden" r:id="rId3"/></sheets></workbook>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const STYLES: &str = r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="176" formatCode="0.0%"/><numFmt numFmtId="177" formatCode="#,##0.00&quot;万元&quot;"/></numFmts><fonts count="2"><font><sz val="11"/></font><font><b/><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="10"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0"/><xf numFmtId="10" fontId="1" applyNumberFormat="1"/><xf numFmtId="176"/><xf numFmtId="177"><alignment horizontal="center"/></xf><xf fontId="1"/><xf numFmtId="14"/></cellXfs></styleSheet>"##;
const STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5"><si><t>  项目名称 </t></si><si><r><rPr><b/></rPr><t>执行</t></r><r><t xml:space="preserve"> 率 </t></r><rPh sb="0" eb="1"><t>シッコウ</t></rPh></si><si/><si><t>A &amp; B &lt;C&gt; &#x4E2D;</t></si><si><t xml:space="preserve">第一行
第二行</t></si></sst>"#;

fn sheet(rows: &str, tail: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:F9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData>{rows}</sheetData>{tail}</worksheet>"#
    )
}

fn xlsx(workbook: &str, sheet1: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let parts = [
            ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", workbook.to_string()),
            ("xl/_rels/workbook.xml.rels", RELS.to_string()),
            ("xl/styles.xml", STYLES.to_string()),
            ("xl/sharedStrings.xml", STRINGS.to_string()),
            ("xl/worksheets/sheet1.xml", sheet1.to_string()),
            ("xl/worksheets/sheet2.xml", sheet(r#"<row r="2"><c r="B2"><v>7</v></c></row>"#, "")),
            ("xl/chartsheets/sheet1.xml", r#"<?xml version="1.0"?><chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews/></chartsheet>"#.to_string()),
        ];
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("part");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

/// Cells written the ways Excel, WPS and other writers write them.
const ROWS: &str = r#"<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="B1" s="3" t="s"><v>1</v></c><c t="s"><v>2</v></c><c r="E1" t="s"><v>3</v></c><c r="F1" t="s"><v>4</v></c></row><row><c s="1"><v>0.98765</v></c><c><v>-1.5E-3</v></c><c s="2"><v>12</v></c><c r="E2" s="4"/><c r="F2" s="5"><v>45000</v></c></row><row r="4"><c r="A4"><f>SUM(A2:C2)</f><v>11.0</v></c><c r="B4"><f t="shared" ref="B4:B6" si="0">A4*$A$2+A2</f><v>1</v></c><c r="C4" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="D4" t="b"><v>1</v></c><c r="E4" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="F4" t="inlineStr"><is><t> 内联 &amp; 串</t></is></c></row><row r="5"><c r="B5"><f t="shared" si="0"/><v>2</v></c><c r="C5" t="str"><f>""</f><v></v></c><c r="D5"><f>=B5 </f></c><c r="E5" t="d"><v>2023-12-31T00:00:00</v></c></row><row r="6"><c r="B6"><f t="shared" si="0"></f><v>3</v></c><c r="C6" s="1"/><c r="D6"><v></v></c></row>"#;

#[test]
fn the_ways_writers_store_cells_read_as_calamine_reads_them() {
    let bytes = xlsx(
        WORKBOOK,
        &sheet(
            ROWS,
            r#"<mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="C9"/></mergeCells>"#,
        ),
    );
    let (direct, calamine) = both_ways(&bytes);
    let direct = direct.expect("read directly");
    assert_eq!(differences(&direct, &calamine), Vec::<String>::new());
    assert_eq!(
        direct.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["表 & 一", "Hidden"]
    );
    let s = &direct[0];
    let cell = |a: &str| {
        s.cells
            .get(&CellRef::parse(a).expect("ref"))
            .unwrap_or_else(|| panic!("{a}"))
    };
    let text = |a: &str| match &cell(a).value {
        CellValue::Text(t) => t.clone(),
        v => panic!("{a}: {v:?}"),
    };
    assert_eq!(text("A1"), "项目名称");
    assert_eq!(text("B1"), "执行 率 ");
    assert_eq!(cell("B1").num_fmt.as_deref(), Some("#,##0.00\"万元\""));
    assert_eq!(text("C1"), "");
    assert_eq!(text("E1"), "A & B <C> 中");
    assert_eq!(text("F1"), "第一行\n第二行");
    assert_eq!(cell("A2").value, CellValue::Number(0.98765));
    assert_eq!(cell("A2").num_fmt.as_deref(), Some("0.00%"));
    assert_eq!(cell("B2").value, CellValue::Number(-0.0015));
    assert_eq!(cell("C2").num_fmt.as_deref(), Some("0.0%"));
    assert_eq!(
        (&cell("E2").value, &cell("E2").num_fmt),
        (&CellValue::Empty, &None)
    );
    assert_eq!(cell("F2").num_fmt.as_deref(), Some("mm-dd-yy"));
    assert_eq!(cell("A4").formula.as_deref(), Some("SUM(A2:C2)"));
    assert_eq!(cell("B4").formula.as_deref(), Some("A4*$A$2+A2"));
    assert_eq!(cell("B5").formula.as_deref(), Some("A5*$A$2+A3"));
    assert_eq!(cell("B6").formula.as_deref(), Some("A6*$A$2+A4"));
    assert_eq!(cell("C4").value, CellValue::Text("ab".into()));
    assert_eq!(cell("C4").formula.as_deref(), Some("\"a\"&\"b\""));
    assert_eq!(cell("C5").value, CellValue::Text(String::new()));
    assert_eq!(
        (&cell("D5").value, cell("D5").formula.as_deref()),
        (&CellValue::Empty, Some("B5"))
    );
    assert_eq!(cell("D4").value, CellValue::Bool(true));
    assert_eq!(cell("E4").value, CellValue::Error("#DIV/0!".into()));
    assert_eq!(text("F4"), "内联 & 串");
    assert_eq!(text("E5"), "2023-12-31T00:00:00");
    assert_eq!(cell("C6").num_fmt.as_deref(), Some("0.00%"));
    assert!(!s.cells.contains_key(&CellRef::parse("D6").expect("ref")));
    assert_eq!(s.merges.len(), 2);
    assert_eq!(direct[1].cells.len(), 1);
}

#[test]
fn gives_up_where_calamine_would_read_differently_or_refuse() {
    // (what, the only cell of row 1)
    let cases = [
        (
            "an escaped character",
            r#"<c r="A1" t="inlineStr"><is><t>a_x000D_b</t></is></c>"#,
        ),
        (
            "a reference inside a number",
            r#"<c r="A1"><v>1&#50;</v></c>"#,
        ),
        ("an unknown type", r#"<c r="A1" t="q"><v>1</v></c>"#),
        ("a loose number", r#"<c r="A1"><v>1.</v></c>"#),
        (
            "a formula after its value",
            r#"<c r="A1"><v>1</v><f>B1</f></c>"#,
        ),
        (
            "a missing shared string",
            r#"<c r="A1" t="s"><v>99</v></c>"#,
        ),
        ("a boolean spelt out", r#"<c r="A1" t="b"><v>TRUE</v></c>"#),
        (
            "a carriage return",
            "<c r=\"A1\" t=\"str\"><v>a\r\nb</v></c>",
        ),
        ("a lower-case reference", r#"<c r="a1"><v>1</v></c>"#),
    ];
    for (what, cell) in cases {
        let bytes = xlsx(WORKBOOK, &sheet(&format!(r#"<row r="1">{cell}</row>"#), ""));
        let facts = crate::read::guard::inspect_zip(&bytes).expect("container");
        let wb = (facts.workbook_xml.0.as_str(), facts.workbook_xml.1.as_str());
        assert!(read(&bytes, wb, None).is_err(), "{what}: read directly");
    }
    let dates_1904 = WORKBOOK.replace("<sheets>", r#"<workbookPr date1904="1"/><sheets>"#);
    let bytes = xlsx(&dates_1904, &sheet(ROWS, ""));
    let facts = crate::read::guard::inspect_zip(&bytes).expect("container");
    let wb = (facts.workbook_xml.0.as_str(), facts.workbook_xml.1.as_str());
    assert!(read(&bytes, wb, None).is_err(), "1904 dates");
}

#[test]
fn a_file_it_gives_up_on_is_read_by_calamine() {
    let bytes = xlsx(
        WORKBOOK,
        &sheet(
            r#"<row r="1"><c r="A1" t="b"><v>TRUE</v></c><c r="B1" t="s"><v>0</v></c></row>"#,
            "",
        ),
    );
    let opts = crate::read::ReadOptions::for_purpose(crate::read::Purpose::Check);
    let wb = crate::read::read_bytes_with(bytes, opts)
        .expect("read through calamine")
        .workbook;
    let a1 = wb.sheets[0].get(CellRef::new(0, 0)).expect("A1");
    assert_eq!(a1.value, CellValue::Bool(true));
}

/// The body of a part's first `<tag …>` element: the text after its start tag.
fn body_of<'x>(xml: &'x [u8], tag: &str) -> Option<&'x [u8]> {
    let at = memchr::memmem::find(xml, format!("<{tag}").as_bytes())?;
    let end = at + memchr::memchr(b'>', &xml[at..])?;
    (xml[end - 1] != b'/').then(|| &xml[end + 1..])
}

/// Every worksheet part, the shared strings and the styles of a package, read with the byte
/// scanner and by quick-xml alone: the same cells, strings and number formats (or both give
/// up). Returns the parts the scanner read itself (rather than declining) and the parts there
/// are.
fn scanned_parts(bytes: &[u8]) -> (usize, usize) {
    scanned_parts_of(bytes).expect("a sound package")
}

/// [`scanned_parts`]; None when the package or one of those parts cannot be unzipped.
fn scanned_parts_of(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .ok()?;
    let mut part = |name: &str| -> Option<Vec<u8>> {
        let mut v = Vec::new();
        let mut f = zip.by_name(name).ok()?;
        std::io::Read::read_to_end(&mut f, &mut v).ok()?;
        Some(v)
    };
    let (mut scanned, mut parts) = (0, 0);
    let strings = match names.iter().any(|n| n == "xl/sharedStrings.xml") {
        true => {
            let xml = part("xl/sharedStrings.xml")?;
            let both = (
                parts::shared_strings_with(&xml, true),
                parts::shared_strings_with(&xml, false),
            );
            assert_eq!(both.0, both.1, "strings");
            parts += 1;
            if let Some(body) = body_of(&xml, "sst") {
                scanned += usize::from(scan::shared_strings(body).is_some());
            }
            both.1.unwrap_or_default()
        }
        false => Vec::new(),
    };
    let formats = match names.iter().any(|n| n == "xl/styles.xml") {
        true => {
            let xml = part("xl/styles.xml")?;
            let both = (
                parts::number_formats_with(&xml, true),
                parts::number_formats_with(&xml, false),
            );
            assert_eq!(both.0, both.1, "styles");
            parts += 1;
            if let Some(root) = memchr::memmem::find(&xml, b"<styleSheet") {
                scanned += usize::from(scan::number_formats(&xml[root..]).is_some());
            }
            both.1.unwrap_or_default()
        }
        false => Vec::new(),
    };
    for name in names
        .iter()
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
    {
        let xml = part(name)?;
        let with = |scan: bool| {
            let mut counts = values::Counts::default();
            cells::sheet_cells_with(&xml, &strings, &formats, &mut counts, scan)
                .map(|c| (c, counts.total, counts.text))
        };
        assert_eq!(
            with(true),
            with(false),
            "{name}: scanned and read by quick-xml"
        );
        parts += 1;
        if let Some(body) = body_of(&xml, "sheetData") {
            let mut counts = values::Counts::default();
            scanned +=
                usize::from(scan::sheet_data(body, &strings, &formats, &mut counts).is_some());
        }
    }
    Some((scanned, parts))
}

#[test]
fn the_scanner_reads_every_xlsx_sample_itself_as_quick_xml_reads_it() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).expect("samples") {
        let path = entry.expect("entry").path();
        if !path.extension().is_some_and(|e| e == "xlsx" || e == "xlsm") {
            continue;
        }
        let (scanned, parts) = scanned_parts(&std::fs::read(&path).expect("sample"));
        // Every sheet and the strings of every sample (rust_xlsxwriter's and LibreOffice's
        // writing) go the fast way.
        assert_eq!(scanned, parts, "{path:?}");
        assert!(parts >= 1, "{path:?}");
        files += 1;
    }
    assert_eq!(files, 22);
}

/// The writers' cells of [`ROWS`] (and a formula with an escaped `>`), and strings without a
/// phonetic run: everything the scanner reads itself.
#[test]
fn the_scanner_reads_the_forms_writers_use_and_declines_the_rest() {
    let rows = ROWS.replace(
        r#"<c r="E5" t="d"><v>2023-12-31T00:00:00</v></c>"#,
        r#"<c r="E5" t="d"><v>2023-12-31T00:00:00</v></c><c r="F5" s="2"><f>IF(A4&gt;0,A4,0)</f><v>11</v></c>"#,
    );
    let strings = STRINGS.replace(r#"<rPh sb="0" eb="1"><t>シッコウ</t></rPh>"#, "");
    let xml = sheet(&rows, "");
    let (cells_read, strings_read) = (
        scan::sheet_data(
            body_of(xml.as_bytes(), "sheetData").expect("body"),
            &parts::shared_strings_with(strings.as_bytes(), false).expect("strings"),
            &parts::number_formats(STYLES.as_bytes()).expect("styles"),
            &mut values::Counts::default(),
        )
        .expect("scanned"),
        scan::shared_strings(body_of(strings.as_bytes(), "sst").expect("body")).expect("scanned"),
    );
    assert_eq!(
        strings_read,
        ["项目名称", "执行 率 ", "", "A & B <C> 中", "第一行\n第二行"]
    );
    let cell = |a: &str| {
        let at = CellRef::parse(a).expect("ref");
        &cells_read
            .iter()
            .find(|(p, _)| *p == at)
            .unwrap_or_else(|| panic!("{a}"))
            .1
    };
    assert_eq!(cell("B1").value, CellValue::Text("执行 率 ".into()));
    assert_eq!(cell("C1").value, CellValue::Text(String::new()));
    assert_eq!(cell("B2").value, CellValue::Number(-0.0015));
    assert_eq!(cell("A2").num_fmt.as_deref(), Some("0.00%"));
    assert_eq!(cell("B5").formula.as_deref(), Some("A5*$A$2+A3"));
    assert_eq!(cell("C4").formula.as_deref(), Some("\"a\"&\"b\""));
    assert_eq!(cell("D5").formula.as_deref(), Some("B5"));
    assert_eq!(cell("F4").value, CellValue::Text("内联 & 串".into()));
    assert_eq!(cell("F5").formula.as_deref(), Some("IF(A4>0,A4,0)"));
    assert_eq!(cell("F5").value, CellValue::Number(11.0));
    assert_eq!(cell("E4").value, CellValue::Error("#DIV/0!".into()));
    assert_eq!(cell("D4").value, CellValue::Bool(true));
    assert_eq!(
        (&cell("E2").value, &cell("E2").num_fmt),
        (&CellValue::Empty, &None)
    );
    assert_eq!(cells_read.len(), 23);
    // The whole workbook, read with the scanner, is read as calamine reads it.
    let bytes = xlsx(WORKBOOK, &xml);
    let (direct, calamine) = both_ways(&bytes);
    assert_eq!(
        differences(&direct.expect("read directly"), &calamine),
        Vec::<String>::new()
    );
    // Both sheets and the styles scanned; the package's strings (with the phonetic run) read
    // by quick-xml.
    assert_eq!(scanned_parts(&bytes), (3, 4));

    // What the scanner leaves to quick-xml: the sheet (or the strings) is read as before.
    let declined = [
        r#"<row r="1"><!-- a comment --><c r="A1"><v>1</v></c></row>"#,
        r#"<row r="1"><x:c r="A1"><v>1</v></x:c></row>"#,
        r#"<row r="1"><c r="A1" t="inlineStr"><v>1</v><is><t>a</t></is></c></row>"#,
        r#"<row r="1"><c r="A1" t="inlineStr"><is><rPh><t>a</t></rPh></is></c></row>"#,
        r#"<row r="1"><c r = "A1"><v>1</v></c></row>"#,
        r#"<row r="1"><c r=A1><v>1</v></c></row>"#,
        r#"<row r="1"><c r="A1"><v><![CDATA[1]]></v></c></row>"#,
        r#"<row r="1"><c r="A1"><v>1</v><v>2</v></c></row>"#,
        r#"<row r="1"><c r="A1"><v xml:space="preserve">1</v></c></row>"#,
        r#"<row r="1"><c r="A1"><extLst/><v>1</v></c></row>"#,
        r#"<row r="1">&#32;<c r="A1"><v>1</v></c></row>"#,
        r#"<row r="1"><c r="A1" t="str"><v>a_x000D_b</v></c></row>"#,
        r#"<row r="1"><c r="A1" t="str"><v>a&bogus;b</v></c></row>"#,
        r#"<row r="1"><c r="A1"><v>1</v></c></row><extra/>"#,
        r#"<row r="1"><c r="A1"><v>1</v></c></row >"#,
        r#"<row r="1"><c r="A1"><v>1</v></c></row"#,
    ];
    let no_strings: [String; 0] = [];
    for rows in declined {
        let xml = sheet(rows, "");
        let body = body_of(xml.as_bytes(), "sheetData").expect("body");
        let mut counts = values::Counts::default();
        assert!(
            scan::sheet_data(body, &no_strings, &[], &mut counts).is_none(),
            "{rows}"
        );
        assert_eq!(counts.total, 0, "{rows}: nothing charged");
        let bytes = xlsx(WORKBOOK, &xml);
        let (scanned, parts) = scanned_parts(&bytes);
        // The other sheet and the styles only: this one and the strings went to quick-xml.
        assert_eq!((scanned, parts), (2, 4), "{rows}");
    }
    // The styles: custom formats by id (escapes decoded), built-in ones by number.
    let styles = |xml: &str| {
        let root = memchr::memmem::find(xml.as_bytes(), b"<styleSheet").expect("root");
        scan::number_formats(&xml.as_bytes()[root..])
    };
    assert_eq!(
        styles(STYLES).expect("scanned"),
        [
            None,
            Some("0.00%".to_string()),
            Some("0.0%".to_string()),
            Some("#,##0.00\"万元\"".to_string()),
            None,
            Some("mm-dd-yy".to_string()),
        ]
    );
    for declined in [
        STYLES.replace("<fonts", "<!-- fonts --><fonts"),
        STYLES.replace("<sz val=\"11\"/>", "<sz val=11/>"),
        STYLES.replace("formatCode=\"0.0%\"", "formatCode=\"0.0%&bogus;\""),
        STYLES.replace("</styleSheet>", ""),
    ] {
        assert!(styles(&declined).is_none(), "{declined}");
        let both = (
            parts::number_formats_with(declined.as_bytes(), true),
            parts::number_formats_with(declined.as_bytes(), false),
        );
        assert_eq!(both.0, both.1);
    }
    // A phonetic run: the strings go to quick-xml, which drops it (as calamine does).
    let phonetic = body_of(STRINGS.as_bytes(), "sst").expect("body");
    assert!(scan::shared_strings(phonetic).is_none());
    assert_eq!(
        parts::shared_strings(STRINGS.as_bytes()).expect("strings")[1],
        "执行 率 "
    );
}

/// A package's parts again, with `rename` applied to their names and `extra` added.
fn repacked(bytes: &[u8], rename: Option<(&str, &str)>, extra: Option<(&str, &str)>) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("part");
        let name = f.name().expect("name").into_owned();
        let name = match rename {
            Some((from, to)) if name == from => to.to_string(),
            _ => name,
        };
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut v).expect("unzipped");
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("part");
        out.write_all(&v).expect("write");
    }
    if let Some((name, text)) = extra {
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("part");
        out.write_all(text.as_bytes()).expect("write");
    }
    out.finish().expect("zip").into_inner()
}

/// Parts are looked up as calamine looks them up, ignoring case; a package with two names
/// that differ only in case (or a backslash) is left to calamine.
#[test]
fn parts_are_found_ignoring_case_and_ambiguous_names_are_given_up_on() {
    let bytes = xlsx(
        WORKBOOK,
        &sheet(r#"<row r="1"><c r="A1" t="s"><v>3</v></c></row>"#, ""),
    );
    let cased = repacked(
        &bytes,
        Some(("xl/sharedStrings.xml", "xl/SharedStrings.XML")),
        None,
    );
    let (direct, calamine) = both_ways(&cased);
    let direct = direct.expect("read directly");
    assert_eq!(differences(&direct, &calamine), Vec::<String>::new());
    assert_eq!(
        direct[0].cells[&CellRef::parse("A1").expect("ref")].value,
        CellValue::Text("A & B <C> 中".into())
    );
    let twice = repacked(&bytes, None, Some(("XL/styles.xml", STYLES)));
    let facts = crate::read::guard::inspect_zip(&twice).expect("container");
    let wb = (facts.workbook_xml.0.as_str(), facts.workbook_xml.1.as_str());
    assert!(
        read(&twice, wb, None).is_err(),
        "two names differing in case"
    );
    let backslash = repacked(&bytes, None, Some(("xl\\media\\a.png", "png")));
    assert!(read(&backslash, wb, None).is_err(), "a backslash");
}

/// A part with a few bytes changed: inserted, deleted or replaced by characters that matter to
/// XML. `edits` are (where, what): what 0..18 inserts one of the characters, 18 deletes a byte,
/// 19.. replaces one.
fn mutated(part: &str, edits: &[(usize, u8)]) -> Vec<u8> {
    const CHARS: &[u8; 18] = b"<>&\"'/= x:!;cvr1A\n";
    let mut b = part.as_bytes().to_vec();
    for &(at, what) in edits {
        let at = at % (b.len() + 1);
        match what {
            0..18 => b.insert(at, CHARS[usize::from(what)]),
            18 if at < b.len() => {
                b.remove(at);
            }
            _ if at < b.len() => b[at] = CHARS[usize::from(what) % 18],
            _ => {}
        }
    }
    b
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
    /// Damaged and unusual parts: wherever the byte scanner reads one itself, it reads it
    /// exactly as the quick-xml path does (cells, strings, number formats, merged ranges), and
    /// where quick-xml gives up it declines; the two paths agree on every input.
    #[test]
    fn the_scanner_agrees_with_quick_xml_on_damaged_parts(
        edits in proptest::collection::vec((0usize..4000, 0u8..30), 1..6),
    ) {
        let strings = parts::shared_strings(STRINGS.as_bytes()).expect("strings");
        let formats = parts::number_formats(STYLES.as_bytes()).expect("styles");
        let xml = mutated(
            &sheet(
                &ROWS.replace(r#"<c r="F4" t="inlineStr"><is><t> 内联 &amp; 串</t></is></c>"#, ""),
                r#"<mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="C9"/></mergeCells><pageMargins left="0.7"/>"#,
            ),
            &edits,
        );
        let with = |scan: bool| {
            let mut counts = values::Counts::default();
            cells::sheet_cells_with(&xml, &strings, &formats, &mut counts, scan)
                .map(|c| (c, counts.total, counts.text))
        };
        proptest::prop_assert_eq!(with(true), with(false));
        if let Some(at) = memchr::memmem::find(&xml, b"mergeCell") {
            let start = xml[..at].iter().rposition(|&b| b == b'<').unwrap_or(at);
            proptest::prop_assert_eq!(
                crate::read::xlsx::layout::parse_merges(&xml),
                crate::read::xlsx::layout::parse_merges_quick_xml(&xml, start)
            );
        }
        let sst = mutated(STRINGS, &edits);
        proptest::prop_assert_eq!(
            parts::shared_strings_with(&sst, true),
            parts::shared_strings_with(&sst, false)
        );
        let styles = mutated(STYLES, &edits);
        proptest::prop_assert_eq!(
            parts::number_formats_with(&styles, true),
            parts::number_formats_with(&styles, false)
        );
    }
}
