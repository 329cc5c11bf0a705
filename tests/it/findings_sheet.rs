//! The 核查结果 sheet a printed copy can be matched with (issue 15): its heading names the
//! file, the time (fixed here by SOURCE_DATE_EPOCH), zpcheck's version and the profile, each
//! form's declared and computed 总分 and grade, and the counts; each finding's cell is a link to
//! the cell; it prints landscape on A4 with the header row repeated. Both writers are checked:
//! an .xlsx is patched, an .ods rebuilt.

use std::ffi::OsStr;
use std::process::Command;

use zpcheck::read::{CellRef, read_path};
use zpcheck_testkit::{self as common, sample};

/// `zpcheck fix --out-dir OUT` on the two copies in `dir`, the time fixed at
/// 2025-12-02 09:40:00 UTC; both have errors (exit 1).
fn fix_both(dir: &std::path::Path, out: &std::path::Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .args([
            OsStr::new("fix"),
            OsStr::new("--out-dir"),
            out.as_os_str(),
            dir.join("national_planted_errors.xlsx").as_os_str(),
            dir.join("national_planted_errors.ods").as_os_str(),
        ])
        .env("SOURCE_DATE_EPOCH", "1764668400")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
}

#[test]
fn the_heading_links_and_print_titles_are_on_both_writers_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    for name in [
        "national_planted_errors.xlsx",
        "national_planted_errors.ods",
    ] {
        std::fs::copy(sample(name), dir.path().join(name)).unwrap();
    }
    fix_both(dir.path(), &out_dir);
    let outputs = [
        // One stem, two formats: each output is named with its input's extension.
        (
            "national_planted_errors.xlsx",
            "national_planted_errors.xlsx_核查.xlsx",
        ),
        (
            "national_planted_errors.ods",
            "national_planted_errors.ods_核查.xlsx",
        ),
    ];
    for (input, output) in outputs {
        let path = out_dir.join(output);
        let back = read_path(&path).unwrap();
        let sheet = back.sheets.iter().find(|s| s.name == "核查结果").unwrap();
        let text = |row: u32, col: u32| sheet.text(CellRef::new(row, col));
        assert_eq!(text(0, 0), format!("zpcheck 核查结果：{input}"));
        assert_eq!(
            text(1, 0),
            format!(
                "核查时间：2025-12-02 09:40:00（UTC+00:00）；zpcheck 版本：{}；规则：国家",
                env!("CARGO_PKG_VERSION")
            )
        );
        assert_eq!(
            text(2, 0),
            "表「项目支出绩效自评表」（工作表 项目支出绩效自评表）：申报总分 89.6，申报等级 优；核算总分 94.27，核算等级 优"
        );
        assert_eq!(
            text(3, 0),
            "错误 8 个，警告 1 个，已更正 8 处（黄色：已更正；红色：未能自动更正的错误；蓝色：提醒）"
        );
        assert_eq!(text(4, 0), "");
        assert_eq!(common::findings_header_row(sheet), 5);
        assert_eq!(
            (text(6, 0), text(6, 2), text(6, 3)),
            (
                "1".into(),
                "C6".into(),
                "ZP101 资金合计不等于分项之和".into()
            )
        );

        // Each finding's cell links to it; the heading lines are merged across the table.
        let xml = common::part_of(&path, "xl/worksheets/sheet2.xml")
            .unwrap()
            .replace("&apos;", "'");
        assert!(
            xml.contains(
                r#"<hyperlink ref="C7" location="'项目支出绩效自评表'!C6" display="C6"/>"#
            ),
            "{output}: {xml}"
        );
        assert_eq!(xml.matches("<hyperlink ").count(), 9, "{output}");
        for row in 1..=4 {
            assert!(
                xml.contains(&format!("<mergeCell ref=\"A{row}:I{row}\"/>")),
                "{output}"
            );
        }
        assert!(xml.contains(r#"paperSize="9""#) && xml.contains(r#"orientation="landscape""#));
        // The header row repeats on every printed page.
        let workbook = common::part_of(&path, "xl/workbook.xml")
            .unwrap()
            .replace("&apos;", "'")
            .replace("'核查结果'", "核查结果");
        assert!(
            workbook.contains(
                r#"<definedName name="_xlnm.Print_Titles" localSheetId="1">核查结果!$6:$6</definedName>"#
            ),
            "{output}: {workbook}"
        );
        // Checked again, the sheet is recognised as zpcheck's and not read as a form.
        let again = zpcheck::check_path(&path, &zpcheck::Profile::default()).unwrap();
        assert_eq!(again.forms.len(), 1, "{output}");
    }
    // With SOURCE_DATE_EPOCH, a second run writes the same bytes, the rebuilt workbook too
    // (its recorded creation time is fixed as well).
    let second = dir.path().join("second");
    fix_both(dir.path(), &second);
    for (_, output) in outputs {
        assert!(
            std::fs::read(out_dir.join(output)).unwrap()
                == std::fs::read(second.join(output)).unwrap(),
            "{output}"
        );
    }
}
