//! Files a user hands in beside the workbooks (issue 24): `--baseline` and `--profile` are read
//! within documented limits, and every refusal is Chinese, with exit status 2 before any
//! workbook is read.

use std::process::Command;

use zpcheck::limits::{MAX_BASELINE_BYTES, MAX_PROFILE_BYTES};
use zpcheck_testkit::sample;

fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .args(args)
        .output()
        .unwrap();
    (o.status.code(), String::from_utf8(o.stderr).unwrap())
}

#[test]
fn a_baseline_or_profile_past_its_limit_is_refused_unread_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample("national_clean.xlsx");
    // Sparse files: as large as the limit says, without writing them out.
    let baseline = dir.path().join("已确认.txt");
    std::fs::File::create(&baseline)
        .unwrap()
        .set_len(MAX_BASELINE_BYTES + 1)
        .unwrap();
    let (code, err) = run(&[
        "check".as_ref(),
        "--baseline".as_ref(),
        baseline.as_os_str(),
        input.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        format!(
            "zpcheck: 基线文件 {} 有 16.0 MB，超过上限 16 MB，未读取\n",
            baseline.display()
        )
    );
    let profile = dir.path().join("规则.toml");
    std::fs::File::create(&profile)
        .unwrap()
        .set_len(MAX_PROFILE_BYTES + 1)
        .unwrap();
    let (code, err) = run(&[
        "check".as_ref(),
        "--profile".as_ref(),
        profile.as_os_str(),
        input.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(&format!(
            "规则配置文件 {} 有 1.0 MB，超过上限 1 MB，未读取",
            profile.display()
        )),
        "{err}"
    );
    // At the limit: read (and refused only for what it holds).
    std::fs::write(&baseline, "ZP208 项目支出绩效自评表!I19\n").unwrap();
    let (code, _) = run(&[
        "check".as_ref(),
        "--baseline".as_ref(),
        baseline.as_os_str(),
        input.as_os_str(),
    ]);
    assert_eq!(code, Some(0));
}

#[test]
fn a_profile_not_in_utf8_or_missing_is_said_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample("national_clean.xlsx");
    let profile = dir.path().join("湖北.toml");
    // GBK bytes of "名称 = \"湖北\"".
    std::fs::write(
        &profile,
        [0xC3, 0xFB, 0xB3, 0xC6, b'=', 0xBA, 0xFE, 0xB1, 0xB1],
    )
    .unwrap();
    let (code, err) = run(&[
        "check".as_ref(),
        "--profile".as_ref(),
        profile.as_os_str(),
        input.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(&format!(
            "规则配置文件 {} 不是 UTF-8 文本（请在记事本或 WPS 中另存为 UTF-8 编码）",
            profile.display()
        )),
        "{err}"
    );
    assert!(!err.contains("stream did not contain"), "{err}");
    let missing = dir.path().join("没有.toml");
    let (code, err) = run(&[
        "check".as_ref(),
        "--profile".as_ref(),
        missing.as_os_str(),
        input.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(&format!(
            "无法读取规则配置文件 {}：文件或文件夹不存在",
            missing.display()
        )),
        "{err}"
    );
}

#[test]
fn a_name_too_long_and_a_cut_short_zip_are_said_in_chinese_first() {
    let dir = tempfile::tempdir().unwrap();
    // A name of 256 bytes: the file system refuses it before anything is read.
    let long = dir.path().join(format!("{}.xlsx", "表".repeat(84)));
    let (code, err) = run(&[long.as_os_str()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("无法打开文件：文件名过长（超过 255 字节）或不合法，请改短文件名或移到较浅的文件夹后重试（"),
        "{err}"
    );
    // A download cut short: the zip's end record is missing; the library's words come after,
    // in parentheses.
    let cut = dir.path().join("不完整.xlsx");
    let bytes = std::fs::read(sample("national_clean.xlsx")).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (code, err) = run(&[cut.as_os_str()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(
            "文件不完整或已损坏（压缩包结构错误，可能下载或传输不完整），请重新获取文件（"
        ),
        "{err}"
    );
}

#[test]
fn a_value_beyond_excels_grid_is_refused_by_check_and_fix_alike() {
    let dir = tempfile::tempdir().unwrap();
    let far = dir.path().join("远.xlsx");
    zpcheck_testkit::rewrite_part(
        &sample("national_clean.xlsx"),
        &far,
        "xl/worksheets/sheet1.xml",
        |x| {
            x.replacen(
                "</sheetData>",
                "<row r=\"999999999\"><c r=\"A999999999\" t=\"inlineStr\"><is><t>备注</t></is></c></row></sheetData>",
                1,
            )
        },
    );
    let said = "zpcheck: {}: 工作表“项目支出绩效自评表”的单元格 A999999999 超出 Excel 的表格范围（最多 1,048,576 行、16,384 列即到 XFD 列），Excel 和 WPS 都打不开这样的工作表\n";
    let first_line = |err: &str| err.lines().next().unwrap_or_default().to_string() + "\n";
    let (code, err) = run(&["check".as_ref(), far.as_os_str()]);
    assert_eq!(code, Some(2));
    assert_eq!(
        first_line(&err),
        said.replace("{}", &far.display().to_string())
    );
    let out = dir.path().join("出");
    let (code, err) = run(&[
        "fix".as_ref(),
        far.as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(
        first_line(&err),
        said.replace("{}", &far.display().to_string())
    );
    assert!(!out.join("远_核查.xlsx").exists());
    assert_eq!(zpcheck::limits::MAX_EXCEL_ROWS, 1_048_576);
    assert_eq!(zpcheck::limits::MAX_EXCEL_COLS, 16_384);
}

#[test]
fn blank_cells_rows_and_styles_beyond_excels_grid_are_ignored_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let far = dir.path().join("远.xlsx");
    zpcheck_testkit::rewrite_part(
        &sample("national_planted_errors.xlsx"),
        &far,
        "xl/worksheets/sheet1.xml",
        |x| {
            x.replacen(
                "</sheetData>",
                "<row r=\"30\"><c r=\"XFZ30\" s=\"1\"/></row><row r=\"999999999\" ht=\"30\" customHeight=\"1\" s=\"1\" customFormat=\"1\"><c r=\"A999999999\" s=\"1\"/></row><row r=\"1999999999\"/></sheetData>",
                1,
            )
        },
    );
    let plain =
        zpcheck::check_path(&sample("national_planted_errors.xlsx"), &Default::default()).unwrap();
    let got = zpcheck::check_path(&far, &Default::default()).unwrap();
    assert_eq!(zpcheck_testkit::rows(&got), zpcheck_testkit::rows(&plain));
    // Read with the looks for a rebuild: the note, and a rebuilt workbook that reads back
    // (rust_xlsxwriter never sees a row it would refuse).
    let loaded = zpcheck::read::read_path_with(
        &far,
        zpcheck::read::ReadOptions::for_purpose(zpcheck::read::Purpose::Rebuild),
    )
    .unwrap();
    let fidelity = loaded.fidelity.unwrap();
    assert!(
        fidelity.not_kept.contains(&zpcheck::read::BEYOND_GRID_NOTE),
        "{:?}",
        fidelity.not_kept
    );
    let checked = zpcheck::check_workbook(loaded.workbook, &Default::default()).unwrap();
    let rebuilt = zpcheck::write::rebuild::workbook(&checked, &fidelity).unwrap();
    let back = zpcheck::read::read_bytes(rebuilt).unwrap();
    let findings = back.sheets.iter().find(|s| s.name == "核查结果").unwrap();
    assert!(
        findings
            .cells
            .values()
            .any(|c| c.text().contains(zpcheck::read::BEYOND_GRID_NOTE)),
        "the 核查结果 sheet names what was ignored"
    );
    // `fix` patches it, and the corrected workbook reads again.
    let out = dir.path().join("出.xlsx");
    let (code, err) = run(&[
        "fix".as_ref(),
        far.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    let again = zpcheck::check_path(&out, &Default::default()).unwrap();
    assert_eq!(again.findings().filter(|f| f.is_error()).count(), 0);
}
