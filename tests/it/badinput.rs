//! Whatever arrives by mail: every class of bad input gets exit status 2, a Chinese message
//! naming the file, no output file and an untouched input; nothing panics or aborts.

use zpcheck_testkit as common;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cmd::zpcheck as run;
use serde_json::Value;
use zpcheck_testkit::sample;

/// Runs `zpcheck FILE` (fix beside, as when dropped) and `check --format json`, asserting
/// exit 2, the message, the JSON error kind, an unchanged input and no file written.
fn assert_refused(path: &Path, message: &str, kind: &str) {
    let before = std::fs::read(path).unwrap();
    let dir = path.parent().unwrap();
    let listing = || {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let files = listing();
    let o = run(&[path.as_os_str()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{kind}: {stderr}");
    assert!(stderr.contains(message), "{kind}: {stderr}");
    assert!(
        stderr.contains(&path.display().to_string()),
        "{kind}: the message names the file: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{kind}: {stderr}");
    let o = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        path.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"][0]["status"], "error", "{kind}");
    assert_eq!(doc["files"][0]["error"]["kind"], kind, "{kind}");
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "{kind}: input changed"
    );
    assert_eq!(listing(), files, "{kind}: a file was written");
}

fn zip_with(path: &Path, entries: &[(&str, &[u8])]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, data) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
}

const WORKBOOK_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;

/// A minimal xlsx whose one worksheet has the given sheetData body.
fn xlsx_with_sheet(path: &Path, dimension: &str, sheet_data: &[u8]) {
    let mut sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>"#
    )
    .into_bytes();
    sheet.extend_from_slice(sheet_data);
    sheet.extend_from_slice(b"</sheetData></worksheet>");
    zip_with(
        path,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("xl/workbook.xml", WORKBOOK_XML.as_bytes()),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
            ("xl/worksheets/sheet1.xml", &sheet),
        ],
    );
}

#[test]
fn empty_and_non_spreadsheet_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("空文件.xlsx");
    std::fs::write(&empty, b"").unwrap();
    assert_refused(&empty, "文件为空", "empty");
    let csv = dir.path().join("报表.xlsx");
    std::fs::write(&csv, "单位,得分\n某局,100\n").unwrap();
    assert_refused(&csv, "不是电子表格文件", "not_spreadsheet");
}

#[test]
fn truncated_and_corrupt_zips() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(sample("seed_kelamayi_2023.xlsx")).unwrap();
    let truncated = dir.path().join("truncated.xlsx");
    std::fs::write(&truncated, &good[..good.len() / 2]).unwrap();
    assert_refused(&truncated, "文件不完整或已损坏", "corrupt_zip");
    // Damage the compressed data of the worksheet (from byte 3582 of the sample): it no longer
    // inflates. (Damage in a part nothing reads, such as the theme, changes no result and is
    // not looked for in a small file.)
    let mut damaged = good.clone();
    for b in &mut damaged[3700..3760] {
        *b ^= 0x5A;
    }
    let corrupt = dir.path().join("corrupt.xlsx");
    std::fs::write(&corrupt, &damaged).unwrap();
    assert_refused(&corrupt, "文件不完整或已损坏", "corrupt_zip");
}

#[test]
fn zips_without_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("附件.xlsx");
    zip_with(&plain, &[("说明.txt", "请查收".as_bytes())]);
    assert_refused(&plain, "压缩包中没有 Excel 工作簿", "no_workbook");
    let docx = dir.path().join("报告.xlsx");
    zip_with(
        &docx,
        &[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ],
    );
    // A Word package is read as a report; one with no 自评表 and no figure is none.
    assert_refused(&docx, "这是 Word 文档，但不是绩效自评报告", "not_report");
}

#[test]
fn password_protected_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    // An encrypted OOXML file is a compound file holding EncryptionInfo and EncryptedPackage.
    let ooxml = dir.path().join("加密.xlsx");
    {
        let mut comp = cfb::create(&ooxml).unwrap();
        comp.create_stream("/EncryptionInfo")
            .unwrap()
            .write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0])
            .unwrap();
        comp.create_stream("/EncryptedPackage")
            .unwrap()
            .write_all(&[0; 64])
            .unwrap();
    }
    assert_refused(&ooxml, "文件已加密，请先取消密码后再核查", "encrypted");
    // An .xls with a FilePass record.
    let xls = dir.path().join("加密.xls");
    {
        let mut globals = Vec::new();
        for (typ, data) in [
            (0x0809u16, vec![0u8; 16]),
            (0x002F, vec![1, 0, 1, 0, 1, 0]),
            (0x000A, vec![]),
        ] {
            globals.extend_from_slice(&typ.to_le_bytes());
            globals.extend_from_slice(&(data.len() as u16).to_le_bytes());
            globals.extend_from_slice(&data);
        }
        let mut comp = cfb::create(&xls).unwrap();
        comp.create_stream("/Workbook")
            .unwrap()
            .write_all(&globals)
            .unwrap();
    }
    assert_refused(&xls, "文件已加密", "encrypted");
}

#[test]
fn a_word_97_document_is_refused_with_how_to_save_it_as_docx() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("报告.xls");
    {
        let mut comp = cfb::create(&doc).unwrap();
        comp.create_stream("/WordDocument")
            .unwrap()
            .write_all(&[0; 32])
            .unwrap();
    }
    assert_refused(&doc, "这是 Word 97-2003 格式的文档", "unsupported_format");
}

#[test]
fn cells_at_a1_and_xfd1048576_do_not_allocate_the_used_range() {
    // calamine issue #693: a 2 KB file whose used range is the whole sheet. Read through the
    // streaming path it is two cells: it has no form.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge_range.xlsx");
    xlsx_with_sheet(
        &path,
        "A1:XFD1048576",
        br#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#,
    );
    assert!(std::fs::metadata(&path).unwrap().len() < 4096);
    assert_refused(&path, "未找到绩效自评表", "no_form");
}

#[test]
fn a_form_beside_a_far_away_cell_is_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut sh = common::seed();
    sh.set("XFD1048576", common::n(1.0));
    let path = dir.path().join("form.xlsx");
    common::write_xlsx(&path, &[sh]);
    let (c, fidelity) = zpcheck::fix_path(&path, &zpcheck::Profile::default()).unwrap();
    assert_eq!(c.findings().count(), 4);
    let out = dir.path().join("out.xlsx");
    zpcheck::write::write_corrected(&c, &fidelity, &path, &out).unwrap();
    assert!(std::fs::metadata(&out).unwrap().len() < 100_000);
}

#[test]
fn a_decompression_bomb_is_refused() {
    // tests/fixtures/make_bomb.py: a worksheet part of 1.5 GB of spaces in a 1.5 MB file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bomb_1_5gb.xlsx"),
        &path,
    )
    .unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 4 << 20);
    assert_refused(&path, "解压后超过 100 MB", "too_large");
}

#[test]
fn too_many_cells_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.xlsx");
    let mut data = Vec::new();
    for r in 1..=1001u32 {
        data.extend_from_slice(format!(r#"<row r="{r}">"#).as_bytes());
        for c in 0..1000u32 {
            let col = zpcheck::read::CellRef::col_name(c);
            data.extend_from_slice(format!(r#"<c r="{col}{r}"><v>1</v></c>"#).as_bytes());
        }
        data.extend_from_slice(b"</row>");
    }
    xlsx_with_sheet(&path, "A1:ALL1001", &data);
    assert_refused(&path, "单元格超过 1000000 个", "too_large");
}

#[test]
fn an_xls_whose_cells_span_the_whole_sheet_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.xls");
    let mut sh = common::SheetSpec::new("Sheet1");
    sh.set("A1", common::n(1.0)).set("IV65536", common::n(2.0));
    common::write_gbk_xls(&path, &sh, Some(936));
    assert_refused(&path, "超过 2000000", "too_large");
}

#[test]
fn a_file_larger_than_any_form_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.xlsx");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(101 << 20).unwrap();
    assert_refused(&path, "文件过大", "too_large");
}

#[test]
fn inputs_the_fuzzer_found_are_refused_cleanly() {
    // tests/fixtures/fuzz_*: crashes found by `cargo fuzz run whole_path`, each fixed.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("fuzz_") {
            continue;
        }
        found += 1;
        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join(&name);
        std::fs::copy(&path, &copy).unwrap();
        let expected = if name.contains("dimensions_backwards") {
            ("尺寸记录（DIMENSIONS）无效", "corrupt")
        } else if name.contains("formula_tokens") {
            ("公式记录（FORMULA）无效", "corrupt")
        } else if name.contains("sst_ext_rst") {
            ("共享字符串表（SST）无效", "corrupt")
        } else {
            ("", "")
        };
        // Whatever the outcome, never zpcheck's own internal error (a caught panic).
        let doc = check_json(&copy);
        assert_ne!(
            doc["files"][0]["error"]["kind"], "internal",
            "{name}: {doc}"
        );
        if expected.1.is_empty() {
            let o = run(&[copy.as_os_str()]);
            assert!(matches!(o.status.code(), Some(0..=2)), "{name}");
            assert!(
                !String::from_utf8_lossy(&o.stderr).contains("panicked"),
                "{name}"
            );
        } else {
            assert_refused(&copy, expected.0, expected.1);
        }
    }
    assert!(found >= 1);
}

#[test]
fn an_ods_whose_repeats_expand_to_90_million_cells_is_refused_unexpanded() {
    // 1.2 KB: one row of 90 valued cells repeated a million times. Before the guard, calamine
    // expanded it into a dense grid: 21 GB of memory and over three minutes.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repeat.ods");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ods_repeat_bomb.ods"),
        &path,
    )
    .unwrap();
    assert_refused(&path, "1000000 行 × 90 列", "too_large");
}

#[test]
fn a_merged_range_of_millions_of_cells_is_not_rebuilt() {
    // Found by fuzzing: a 20 KB .xls whose merge spans 16.5 million cells made the corrected
    // workbook take 22 s and 2.8 GB. Such merges are read as unmerged cells.
    let dir = tempfile::tempdir().unwrap();
    let input =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz_huge_merge.xls");
    let opts = zpcheck::read::ReadOptions::for_purpose(zpcheck::read::Purpose::Fix);
    let loaded = zpcheck::read::read_path_with(&input, opts).unwrap();
    let (wb, fidelity) = (loaded.workbook, loaded.fidelity.unwrap());
    assert!(
        wb.sheets.iter().all(|s| s
            .merges
            .iter()
            .all(|m| (m.last.row - m.first.row + 1) as u64
                * (m.last.col - m.first.col + 1) as u64
                <= 100_000))
    );
    let checked = zpcheck::check_workbook(wb, &zpcheck::Profile::default()).unwrap();
    let out = dir.path().join("out.xlsx");
    zpcheck::write::write_corrected(&checked, &fidelity, &input, &out).unwrap();
    assert!(std::fs::metadata(&out).unwrap().len() < 200_000);
}

#[test]
fn a_negative_weight_is_a_warning_not_a_panic() {
    // Found by fuzzing: clamp(0, weight) panicked on a negative weight.
    let input =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz_negative_weight.xls");
    let c = zpcheck::check_path(&input, &zpcheck::Profile::default()).unwrap();
    let f = c.findings().find(|f| f.cell.to_string() == "G14").unwrap();
    assert_eq!(
        (f.rule, f.found.as_str(), f.expected.as_str()),
        ("ZP002", "-282591222", "非负数")
    );
}

#[test]
fn a_compound_file_with_broken_sector_chains_is_read_through_a_rebuilt_container() {
    // Found by fuzzing: calamine's own container reader panicked on this file's sector chains.
    // zpcheck hands calamine a rebuilt compound file holding only the checked workbook stream,
    // so the intact form inside is read and checked.
    let input =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz_cfb_bad_chain.xls");
    let c = zpcheck::check_path(&input, &zpcheck::Profile::default()).unwrap();
    assert_eq!(c.forms[0].form.sheet, "部门整体支出绩效自评表");
    assert!(
        c.findings()
            .any(|f| f.rule == "ZP202" && f.cell.to_string() == "H18")
    );
}

#[test]
fn an_xls_written_by_xlwt_is_read_and_corrected() {
    // tests/fixtures/xlwt_workbook_stream_only.xls: written by Python's xlwt 1.3 (a compound
    // file holding only the Workbook stream, in 512-byte sectors). It used to be refused
    // ("Cfb error: Empty Root directory") once the container was rebuilt.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("xlwt.xls");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/xlwt_workbook_stream_only.xls"),
        &input,
    )
    .unwrap();
    let findings = findings_of(&input);
    assert_eq!(
        findings,
        [
            ("G11".into(), "ZP202".into(), "40".into()),
            ("G12".into(), "ZP304".into(), "99".into())
        ]
    );
    fixed_then_clean(&input, &dir.path().join("更正.xlsx"));
}

/// The document `check --format json` prints for one file.
fn check_json(path: &Path) -> Value {
    let o = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        path.as_os_str(),
    ]);
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The findings of `check --format json` as (cell, rule, expected value).
fn findings_of(path: &Path) -> Vec<(String, String, String)> {
    let doc = check_json(path);
    doc["files"][0]["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"))
        .iter()
        .map(|f| {
            (
                f["cell"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["expected"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_workbook_part_named_by_the_package_relationships_is_found() {
    // The workbook part as xl/book.xml, named by _rels/.rels (calamine follows the
    // relationship; zpcheck's guard used to look for xl/workbook.xml only: "没有 Excel 工作簿").
    let dir = tempfile::tempdir().unwrap();
    let original = sample("national_planted_errors.xlsx");
    let renamed = dir.path().join("book.xlsx");
    let (files, rels): (Vec<String>, Vec<Vec<u8>>) = {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&original).unwrap()).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut data).unwrap();
                let name = f.name().unwrap().to_string();
                let replace = |d: Vec<u8>| {
                    String::from_utf8(d)
                        .unwrap()
                        .replace("xl/workbook.xml", "xl/book.xml")
                        .into_bytes()
                };
                match name.as_str() {
                    "xl/workbook.xml" => ("xl/book.xml".to_string(), data),
                    "xl/_rels/workbook.xml.rels" => ("xl/_rels/book.xml.rels".to_string(), data),
                    "_rels/.rels" | "[Content_Types].xml" => (name, replace(data)),
                    _ => (name, data),
                }
            })
            .unzip()
    };
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(String::as_str)
        .zip(rels.iter().map(Vec::as_slice))
        .collect();
    zip_with(&renamed, &entries);
    let expected = findings_of(&original);
    assert_eq!(expected.len(), 9);
    assert_eq!(findings_of(&renamed), expected);
    // Corrected (rebuilt: the patcher handles the usual part only), then clean.
    fixed_then_clean(&renamed, &dir.path().join("更正.xlsx"));
    // Both fallbacks are reported, with why the faster path gave up.
    let o = run(&[
        "fix".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        renamed.as_os_str(),
        "-o".as_ref(),
        dir.path().join("再更正.xlsx").as_os_str(),
    ]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = &doc["files"][0];
    assert_eq!(file["reader"], "calamine", "{doc}");
    assert_eq!(file["writer"], "rebuild", "{doc}");
    // Stable codes, not source places: the reader and the patcher both handle the usual
    // workbook part only, and gave up on the package.
    assert_eq!(file["reader_fallback"], "decline:package", "{doc}");
    assert_eq!(file["writer_fallback"], "rebuild:package", "{doc}");
}

/// `fix -o out` finds errors (exit 1), and the corrected workbook then checks clean (exit 0).
fn fixed_then_clean(input: &Path, out: &Path) {
    let o = run(&[
        "fix".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(&["check".as_ref(), out.as_os_str()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
