//! Odd but valid XML inside an .xlsx (issue 24, items 1 and 2): parts with a byte-order mark,
//! in UTF-16, numbers and shared-string indices written as character references, text in
//! CDATA. Each such file must read as the plain file it stands for — the same cells through
//! either reader, the same findings — and its corrected workbook must be patched, open, and
//! read back as the plain file's corrected workbook does.

use std::path::Path;

use zpcheck::read::{CellValue, Purpose, ReadOptions};
use zpcheck_testkit::{fix_to, rewrite_package, rows, sample};

/// Every XML part of `input` passed through `edit`, written to `output`.
fn with_xml(input: &Path, output: &Path, edit: impl Fn(&str, String) -> Vec<u8>) {
    rewrite_package(
        input,
        output,
        |name, data| {
            let xml = [".xml", ".rels"].iter().any(|e| name.ends_with(e));
            Some(if xml {
                edit(name, String::from_utf8(data).expect("UTF-8 part"))
            } else {
                data
            })
        },
        &[],
    );
}

fn utf16(text: &str, little: bool, mark: bool) -> Vec<u8> {
    let text = text.replacen("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", 1);
    let mut out = Vec::new();
    if mark {
        out.extend_from_slice(if little { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

/// The first character after each `open` written as a character reference.
fn referenced(text: &str, open: &str, hex: bool) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        let after = at + open.len();
        out.push_str(&rest[..after]);
        rest = &rest[after..];
        if let Some(c) = rest.chars().next().filter(|c| *c != '<') {
            out.push_str(&if hex {
                format!("&#x{:X};", c as u32)
            } else {
                format!("&#{};", c as u32)
            });
            rest = &rest[c.len_utf8()..];
        }
    }
    out.push_str(rest);
    out
}

/// Each element `tag`'s text put in a CDATA section.
fn in_cdata(text: &str, tag: &str) -> String {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&open) {
        let body = at + open.len();
        let Some(end) = rest[body..].find(&close) else {
            break;
        };
        let inner = rest[body..body + end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        out.push_str(&rest[..body]);
        out.push_str(&format!("<![CDATA[{inner}]]>"));
        rest = &rest[body + end..];
    }
    out.push_str(rest);
    out
}

/// The cells of every sheet as (sheet, cell, value), read by the fast reader or calamine.
fn cells(path: &Path, direct: bool) -> Vec<(String, String, CellValue)> {
    let opts = ReadOptions {
        purpose: Purpose::Check,
        direct,
    };
    let wb = zpcheck::read::read_path_with(path, opts)
        .expect("reads")
        .workbook;
    wb.sheets
        .iter()
        .flat_map(|s| {
            s.cells
                .iter()
                .map(|(at, c)| (s.name.clone(), at.to_string(), c.value.clone()))
        })
        .collect()
}

#[test]
fn odd_but_valid_xml_reads_checks_and_corrects_as_the_plain_file() {
    let dir = tempfile::tempdir().unwrap();
    let plain = sample("national_planted_errors.xlsx");
    type Edit = Box<dyn Fn(&str, String) -> Vec<u8>>;
    let variants: Vec<(&str, Edit)> = vec![
        (
            "bom",
            Box::new(|_, t| [&[0xEF, 0xBB, 0xBF][..], t.as_bytes()].concat()),
        ),
        (
            // Only parts no reader reads, which the patcher rewrites.
            "bom_styles",
            Box::new(|name, t| match name {
                "xl/styles.xml" | "[Content_Types].xml" => {
                    [&[0xEF, 0xBB, 0xBF][..], t.as_bytes()].concat()
                }
                _ => t.into_bytes(),
            }),
        ),
        (
            "utf16_styles",
            Box::new(|name, t| match name {
                "xl/styles.xml" => utf16(&t, false, true),
                _ => t.into_bytes(),
            }),
        ),
        ("utf16le", Box::new(|_, t| utf16(&t, true, true))),
        ("utf16be", Box::new(|_, t| utf16(&t, false, true))),
        ("utf16_unmarked", Box::new(|_, t| utf16(&t, true, false))),
        (
            // Values, shared-string indices, shared strings and cell references in attributes.
            "references",
            Box::new(|_, t| {
                let t = referenced(&t, "<v>", false);
                let t = referenced(&t, "<t>", true);
                referenced(&t, " r=\"", false).into_bytes()
            }),
        ),
        (
            "cdata",
            Box::new(|_, t| in_cdata(&in_cdata(&t, "t"), "v").into_bytes()),
        ),
    ];
    let want = zpcheck::check_path(&plain, &Default::default()).unwrap();
    assert_eq!(want.findings().count(), 9);
    let plain_cells = cells(&plain, true);
    assert_eq!(plain_cells, cells(&plain, false));
    let plain_fixed = dir.path().join("plain_fixed.xlsx");
    fix_to(&plain, &plain_fixed);
    let plain_fixed_cells = cells(&plain_fixed, true);
    for (name, edit) in variants {
        let odd = dir.path().join(format!("{name}.xlsx"));
        with_xml(&plain, &odd, &edit);
        // The edit really is in the file.
        assert_ne!(
            std::fs::read(&odd).unwrap(),
            std::fs::read(&plain).unwrap(),
            "{name}"
        );
        // Both readers read every cell the plain file holds, no more, no less.
        assert_eq!(cells(&odd, true), plain_cells, "{name}: fast reader");
        assert_eq!(cells(&odd, false), plain_cells, "{name}: calamine");
        let got = zpcheck::check_path(&odd, &Default::default()).unwrap();
        assert_eq!(rows(&got), rows(&want), "{name}: findings");
        // The corrected workbook is patched, opens, and holds what the plain file's does.
        let fixed = dir.path().join(format!("{name}_fixed.xlsx"));
        let (_, by) = fix_to(&odd, &fixed);
        assert_eq!(by.method.name(), "patch", "{name}: {:?}", by.fallback);
        assert_eq!(cells(&fixed, true), plain_fixed_cells, "{name}: fixed");
        assert_eq!(
            cells(&fixed, false),
            plain_fixed_cells,
            "{name}: fixed, calamine"
        );
        let again = zpcheck::check_path(&fixed, &Default::default()).unwrap();
        assert_eq!(
            again.findings().filter(|f| f.is_error()).count(),
            0,
            "{name}: {:?}",
            rows(&again)
        );
    }
}

#[test]
fn a_part_that_is_not_quite_text_is_read_as_far_as_it_decodes() {
    let dir = tempfile::tempdir().unwrap();
    let plain = sample("national_planted_errors.xlsx");
    let want = rows(&zpcheck::check_path(&plain, &Default::default()).unwrap());
    // UTF-16 with a stray last byte (styles), and a theme that is not UTF-8 at all: the
    // first decodes to what it holds, the second is left as it is for the readers, who
    // never look into it. Neither costs the check.
    let odd = dir.path().join("odd.xlsx");
    with_xml(&plain, &odd, |name, t| match name {
        "xl/styles.xml" => {
            let mut bytes = utf16(&t, true, true);
            bytes.push(b'x');
            bytes
        }
        "xl/theme/theme1.xml" => [t.as_bytes(), b"\xFF"].concat(),
        _ => t.into_bytes(),
    });
    for direct in [true, false] {
        let opts = ReadOptions {
            purpose: Purpose::Check,
            direct,
        };
        let wb = zpcheck::read::read_path_with(&odd, opts).unwrap().workbook;
        let got = zpcheck::check_workbook(wb, &Default::default()).unwrap();
        assert_eq!(rows(&got), want, "direct: {direct}");
    }
    let fixed = dir.path().join("odd_fixed.xlsx");
    let (_, by) = fix_to(&odd, &fixed);
    assert_eq!(by.method.name(), "patch", "{:?}", by.fallback);
    let again = zpcheck::check_path(&fixed, &Default::default()).unwrap();
    assert_eq!(again.findings().filter(|f| f.is_error()).count(), 0);
}

#[test]
fn damaged_parts_the_fuzzer_found_read_alike_by_both_readers() {
    // Found by `cargo fuzz run package_parts`: an xf left open inside cellXfs (the fast
    // reader counted one cell format more than calamine); a workbook part, and a byte before
    // sheetData, that are not UTF-8; a font and a border left open in the style sheet; a
    // malformed attribute on the shared-string table; a cell's type given twice. The fast
    // reader read them all, calamine
    // reads the first and refuses the rest. Both readers now agree.
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (name, readable) in [
        ("fuzz_xlsx_styles_xf_unclosed.xlsx", true),
        ("fuzz_xlsx_workbook_not_utf8.xlsx", false),
        ("fuzz_xlsx_part_not_utf8.xlsx", false),
        ("fuzz_xlsx_styles_font_unclosed.xlsx", false),
        ("fuzz_xlsx_styles_border_unclosed.xlsx", false),
        ("fuzz_xlsx_sst_bad_attribute.xlsx", false),
        // `t="4" t="s"`: calamine takes the first and refuses it.
        ("fuzz_xlsx_cell_type_twice.xlsx", false),
        // `</i;;#c…>` and `<////x>` in an inline string: tags whose names are no names.
        ("fuzz_xlsx_sheet_tag_names.xlsx", true),
        // `</is>` cut to `</s>`, or written as the text `&#60;/is>`: the item's elements do not
        // nest, and the cell after it was lost.
        ("fuzz_xlsx_inline_string_end_lost.xlsx", true),
        ("fuzz_xlsx_inline_string_end_as_text.xlsx", true),
    ] {
        let path = dir.join(name);
        let read = |direct| {
            let opts = ReadOptions {
                purpose: Purpose::Check,
                direct,
            };
            zpcheck::read::read_path_with(&path, opts).map(|l| l.workbook)
        };
        match (read(true), read(false)) {
            (Ok(a), Ok(b)) => {
                assert!(readable, "{name}");
                assert_eq!(cells(&path, true), cells(&path, false), "{name}");
                assert_eq!(a.read_by.reader, "calamine", "{name}");
                assert_eq!(a.sheets.len(), b.sheets.len());
            }
            (Err(a), Err(b)) => {
                assert!(!readable, "{name}");
                assert_eq!((a.kind(), b.kind()), ("corrupt", "corrupt"), "{name}");
                assert!(a.to_string().starts_with("文件已损坏或无法读取（"), "{a}");
            }
            (a, b) => panic!("{name}: {:?} vs {:?}", a.err(), b.err()),
        }
    }
}
