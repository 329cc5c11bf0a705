//! Batches as auditors run them: folders mixed with files, the summary workbook read back cell
//! by cell, JSON Lines, `--fail-on warning`, `-j` not changing the output, summaries in a
//! checked folder skipped, and no progress bar when stderr is not a terminal.

use zpcheck_testkit as common;

use std::path::{Path, PathBuf};

use crate::cmd::{p, run, stderr, stdout};
use calamine::{Data, Reader, open_workbook_auto};
use serde_json::Value;
use zpcheck_testkit::sample;

/// A folder of submissions: two clean, two with errors (one in a subfolder), one that is not a
/// spreadsheet, a lock file and a hidden file that must be passed over.
fn batch_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let copy = |name: &str, to: &str| {
        let dest = dir.path().join(to);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(sample(name), dest).unwrap();
    };
    copy("seed_kelamayi_2023.xlsx", "a_seed_2023.xlsx");
    copy("national_clean.xls", "b_clean.xls");
    copy("national_planted_errors.ods", "sub/c_errors.ods");
    copy("dept_clean.xlsx", "d_dept.xlsx");
    std::fs::write(dir.path().join("e_not_a_form.xlsx"), "项目,金额\n甲,1\n").unwrap();
    std::fs::write(dir.path().join("~$a_seed_2023.xlsx"), "lock").unwrap();
    std::fs::write(dir.path().join(".hidden.xlsx"), "hidden").unwrap();
    dir
}

fn cells(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn t(s: &str) -> Data {
    Data::String(s.to_string())
}

fn f(x: f64) -> Data {
    Data::Float(x)
}

#[test]
fn summary_workbook_has_one_row_per_form_and_every_finding() {
    let dir = batch_dir();
    let out = tempfile::tempdir().unwrap();
    let summary = out.path().join("汇总.xlsx");
    let o = run(&["check", p(dir.path()), "--summary", p(&summary)]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let root = dir.path();
    // Paths are shown from the folder every file is in (the whole path is the link's target;
    // the printed pages name the folder).
    let file = |name: &str| t(name);
    let rows = cells(&summary, "汇总");
    let header: Vec<Data> = zpcheck::summary::FORMS_HEADER
        .iter()
        .map(|h| t(h))
        .collect();
    assert_eq!(rows[0], header);
    let e = Data::Empty;
    // Budget, execution and rate come from the total row as corrected (c_errors.ods holds 0
    // there); the declared grade as the form writes it. Files that could not be read come
    // first.
    assert_eq!(
        rows[1..],
        [
            {
                let mut row = vec![file("e_not_a_form.xlsx")];
                row.extend(std::iter::repeat_n(e.clone(), 14));
                row.push(t(
                    "无法读取：不是电子表格文件（zpcheck 读取工作簿 .xlsx、.xlsm、.xls、.et、.ett、.ods（以及系统导出的 HTML、XML 表格），自评报告 .docx）",
                ));
                row
            },
            vec![
                file("a_seed_2023.xlsx"),
                t("部门整体支出绩效自评表"),
                t("克拉玛依区科学技术局"),
                e.clone(),
                t("克拉玛依区科学技术局"),
                f(2023.0),
                f(2142.94),
                f(2134.94),
                f(99.63),
                e.clone(),
                f(99.96),
                e.clone(),
                t("优"),
                f(2.0),
                f(2.0),
                t("有错误"),
            ],
            vec![
                file("b_clean.xls"),
                t("项目支出绩效自评表"),
                t("城区空气质量监测项目"),
                t("区生态环境局"),
                t("区环境监测站"),
                f(2022.0),
                f(89.974),
                f(89.974),
                f(100.0),
                f(97.0),
                f(97.0),
                t("优"),
                t("优"),
                f(0.0),
                f(0.0),
                t("无误"),
            ],
            vec![
                file("d_dept.xlsx"),
                t("部门整体支出绩效自评表"),
                t("某区文化和旅游局"),
                e.clone(),
                t("某区文化和旅游局"),
                f(2023.0),
                f(2142.94),
                f(2134.94),
                f(99.63),
                f(99.96),
                f(99.96),
                e.clone(),
                t("优"),
                f(0.0),
                f(0.0),
                t("无误"),
            ],
            vec![
                file("sub/c_errors.ods"),
                t("项目支出绩效自评表"),
                t("乡镇环境监测站运行维护项目"),
                t("区生态环境局"),
                t("区环境监测站"),
                f(2022.0),
                f(89.974),
                f(89.974),
                f(100.0),
                f(89.6),
                f(94.27),
                t("优"),
                t("优"),
                f(8.0),
                f(1.0),
                t("有错误"),
            ],
        ]
    );

    // Every finding of every file, file first, in the files' order.
    let all = cells(&summary, "全部问题");
    let header: Vec<Data> = [
        "文件",
        "工作表",
        "单元格",
        "规则",
        "级别",
        "原值",
        "应为",
        "说明",
        "是否已更正",
    ]
    .iter()
    .map(|h| t(h))
    .collect();
    assert_eq!(all[0], header);
    assert_eq!(all.len(), 1 + 4 + 9);
    let seed: Vec<Vec<String>> = all[1..5]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let key: Vec<[&str; 6]> = seed
        .iter()
        .map(|r| [&r[2], &r[3][..5], &r[4], &r[5], &r[6], &r[8]])
        .collect();
    assert_eq!(
        key,
        vec![
            ["H15", "ZP201", "错误", "20", "10", "是"],
            [
                "G16",
                "ZP204",
                "警告",
                "25 家",
                "酌情扣分（需人工判断）",
                "否"
            ],
            [
                "G17",
                "ZP204",
                "警告",
                "26 家",
                "酌情扣分（需人工判断）",
                "否"
            ],
            ["H18", "ZP202", "错误", "10", "20", "是"],
        ]
    );
    assert!(
        seed.iter()
            .all(|r| r[0] == "a_seed_2023.xlsx" && r[1] == "部门整体支出绩效自评表")
    );
    assert_eq!(
        all[5..]
            .iter()
            .filter(|r| r[0] == file("sub/c_errors.ods"))
            .count(),
        9
    );

    // Header frozen and autofilter on, on both sheets.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&summary).unwrap()).unwrap();
    for (part, filter) in [
        ("xl/worksheets/sheet1.xml", "<autoFilter ref=\"A1:P6\"/>"),
        ("xl/worksheets/sheet2.xml", "<autoFilter ref=\"A1:I14\"/>"),
    ] {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut xml).unwrap();
        assert!(
            xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
            "{part}"
        );
        assert!(xml.contains(filter), "{part}: {xml}");
        // Printed on A4 landscape, one page wide, the folder and page number on each page,
        // the header row repeated; the columns within the width that prints at 8 pt or more.
        assert!(
            xml.contains("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\""),
            "{part}: {xml}"
        );
        assert!(
            xml.contains(&format!(
                "<oddHeader>&amp;L核查文件夹：{}&amp;R第 &amp;P 页，共 &amp;N 页</oddHeader>",
                root.display()
            )),
            "{part}: {xml}"
        );
        let widths = zpcheck_testkit::stored_column_widths(&xml);
        let columns = if part.ends_with("sheet1.xml") {
            16.0
        } else {
            9.0
        };
        assert!(
            widths <= zpcheck::summary::PRINT_WIDTH_BUDGET + 0.72 * columns,
            "{part}: {widths}"
        );
    }
    let mut workbook = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut workbook)
        .unwrap();
    assert!(workbook.contains("_xlnm.Print_Titles"), "{workbook}");
}

#[test]
fn a_summary_in_a_checked_folder_is_skipped_and_named_alone_is_an_error() {
    let dir = batch_dir();
    let summary = dir.path().join("汇总.xlsx");
    let first = run(&["check", p(dir.path()), "--summary", p(&summary)]);
    assert_eq!(first.status.code(), Some(2));
    let again = run(&["check", p(dir.path()), "--format", "json"]);
    let doc: Value = serde_json::from_slice(&again.stdout).unwrap();
    let names: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(!names.iter().any(|n| n.ends_with("汇总.xlsx")));
    let alone = run(&["check", p(&summary), "--format", "json"]);
    assert_eq!(alone.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&alone.stdout).unwrap();
    assert_eq!(doc["files"][0]["error"]["kind"], "summary");
    assert_eq!(
        doc["files"][0]["error"]["message"],
        "这是 zpcheck 写出的汇总表，不是绩效自评表"
    );
    // The summary may not overwrite an input.
    let seed = dir.path().join("a_seed_2023.xlsx");
    let before = std::fs::read(&seed).unwrap();
    let o = run(&["check", p(dir.path()), "--summary", p(&seed)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("汇总文件不能与输入文件相同"));
    assert_eq!(std::fs::read(&seed).unwrap(), before);
}

#[test]
fn fix_summary_names_the_corrected_workbooks() {
    let dir = batch_dir();
    let out = tempfile::tempdir().unwrap();
    let summary = out.path().join("汇总.xlsx");
    let o = run(&[
        "fix",
        p(dir.path()),
        "--out-dir",
        p(out.path()),
        "--summary",
        p(&summary),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let rows = cells(&summary, "汇总");
    assert_eq!(rows[0].last(), Some(&t("更正后文件")));
    let outputs: Vec<String> = rows[1..].iter().map(|r| r[16].to_string()).collect();
    // Shown from the folder the inputs and the outputs share.
    let common: PathBuf = dir
        .path()
        .components()
        .zip(out.path().components())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a)
        .collect();
    let shown = |name: &str| {
        let full = out.path().join(name);
        full.strip_prefix(&common).unwrap().display().to_string()
    };
    assert_eq!(
        outputs,
        vec![
            String::new(),
            shown("a_seed_2023_核查.xlsx"),
            shown("b_clean_核查.xlsx"),
            shown("d_dept_核查.xlsx"),
            shown("c_errors_核查.xlsx"),
        ]
    );
    for o in outputs.iter().filter(|o| !o.is_empty()) {
        assert!(common.join(o).exists(), "{o}");
    }
}

#[test]
fn jsonl_prints_one_object_per_file_equal_to_the_json_documents_entries() {
    let dir = batch_dir();
    let doc: Value =
        serde_json::from_slice(&run(&["check", p(dir.path()), "--format", "json"]).stdout).unwrap();
    let o = run(&["check", p(dir.path()), "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(2));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(&lines, doc["files"].as_array().unwrap());
    let statuses: Vec<&str> = lines
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        vec!["findings", "clean", "clean", "error", "findings"]
    );
}

#[test]
fn thread_count_does_not_change_the_report() {
    let dir = batch_dir();
    let one = run(&["check", p(dir.path()), "-j", "1"]);
    let four = run(&["check", p(dir.path()), "--jobs", "4"]);
    assert_eq!(stdout(&one), stdout(&four));
    assert_eq!(one.stderr, four.stderr);
    assert_eq!(one.status.code(), four.status.code());
    // Redirected, the report goes to stdout; the files that failed and the tally still show,
    // on stderr, after the report.
    let err = stderr(&one);
    let end: Vec<&str> = err.lines().rev().take(3).collect();
    assert_eq!(end[0], "共 5 个文件：2 个无误，2 个有错误，1 个无法读取");
    assert!(
        end[1].ends_with("：无法读取——不是电子表格文件（zpcheck 读取工作簿 .xlsx、.xlsm、.xls、.et、.ett、.ods（以及系统导出的 HTML、XML 表格），自评报告 .docx）"),
        "{err}"
    );
    assert_eq!(end[2], "未能处理的文件（1 个）：");
    assert!(!stdout(&one).contains("共 5 个文件"));
    assert_eq!(
        run(&["check", p(dir.path()), "-j", "0"]).status.code(),
        Some(2)
    );
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..6 {
        std::fs::copy(
            sample("national_clean.xlsx"),
            dir.path().join(format!("{i}.xlsx")),
        )
        .unwrap();
    }
    let o = run(&["check", p(dir.path())]);
    assert_eq!(o.status.code(), Some(0));
    // No bar: only the tally, which a redirected run shows on stderr.
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "共 6 个文件：6 个无误\n"
    );
    // A clean file is one line.
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 6, "{lines:?}");
    assert_eq!(
        lines[0],
        format!("{}  无误（总分 97 优）", p(&dir.path().join("0.xlsx")))
    );
}

#[test]
fn fail_on_warning_turns_warnings_into_exit_1() {
    let mut sh = common::national_clean();
    sh.set("C7", common::s("80"));
    let (_dir, path) = common::write_temp(&[sh]);
    let o = run(&["check", p(&path), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"][0]["status"], "clean");
    assert_eq!(doc["files"][0]["findings"][0]["rule"], "ZP001");
    assert_eq!(doc["files"][0]["findings"][0]["cell"], "C7");
    let o = run(&["check", p(&path), "--fail-on", "warning"]);
    assert_eq!(o.status.code(), Some(1));
    // Errors still decide alone without the flag, and a clean file stays 0 with it.
    let clean = sample("national_clean.xlsx");
    assert_eq!(
        run(&["check", p(&clean), "--fail-on", "warning"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", p(&clean), "--fail-on", "info"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_file_named_twice_or_inside_a_named_folder_is_checked_once() {
    let dir = batch_dir();
    let seed = dir.path().join("a_seed_2023.xlsx");
    let o = run(&[
        "check",
        p(&seed),
        p(dir.path()),
        p(&seed),
        "--format",
        "jsonl",
    ]);
    let paths: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["path"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(paths.len(), 5);
    assert_eq!(paths[0], p(&seed));
    assert_eq!(
        paths
            .iter()
            .filter(|x| x.ends_with("a_seed_2023.xlsx"))
            .count(),
        1
    );
}

#[test]
fn correcting_a_folder_twice_passes_over_its_own_corrected_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        sample("seed_kelamayi_2023.xlsx"),
        dir.path().join("表.xlsx"),
    )
    .unwrap();
    let first = run(&[p(dir.path())]);
    assert_eq!(first.status.code(), Some(1));
    assert!(dir.path().join("表_核查.xlsx").exists());
    let again = run(&[p(dir.path())]);
    assert_eq!(again.status.code(), Some(1));
    assert!(!dir.path().join("表_核查_核查.xlsx").exists());
    assert_eq!(
        String::from_utf8_lossy(&again.stderr),
        format!(
            "zpcheck: 跳过 {}（zpcheck 已更正过的工作簿）\n\
             共 1 个文件：0 个无误，1 个有错误；另跳过 1 个 zpcheck 写出的文件\n",
            p(&dir.path().join("表_核查.xlsx"))
        )
    );
    // Checking (not correcting) the folder passes over it too (its findings are its input's),
    // and says so: on stderr, and in the JSON document.
    let o = run(&["check", p(dir.path()), "--format", "jsonl"]);
    let statuses: Vec<String> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["status"].to_string())
        .collect();
    assert_eq!(statuses, vec!["\"findings\""]);
    assert!(
        stderr(&o).contains("（zpcheck 已更正过的工作簿）"),
        "{}",
        stderr(&o)
    );
    let o = run(&["check", p(dir.path()), "--format", "json"]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        doc["skipped"],
        serde_json::json!([{
            "path": p(&dir.path().join("表_核查.xlsx")),
            "reason": "zpcheck 已更正过的工作簿"
        }])
    );
    // Named directly, it is checked: clean.
    let o = run(&["check", p(&dir.path().join("表_核查.xlsx"))]);
    assert_eq!(o.status.code(), Some(0));
    // A summary goes into a folder that does not exist yet.
    let summary = dir.path().join("新建/汇总.xlsx");
    assert_eq!(
        run(&["check", p(dir.path()), "--summary", p(&summary)])
            .status
            .code(),
        Some(1)
    );
    // The header, the form, and the file passed over (issue 24: the summary lists it, with why).
    let rows = cells(&summary, "汇总");
    assert_eq!(rows.len(), 3);
    assert!(
        rows[2]
            .iter()
            .any(|c| c == "跳过：zpcheck 已更正过的工作簿"),
        "{:?}",
        rows[2]
    );
}

#[test]
fn a_project_name_longer_than_a_cell_is_cut_in_the_summary_not_lost() {
    // A project name of 40,000 characters: the summary workbook used to fail as a whole
    // (rust_xlsxwriter refuses a cell over 32,767 characters); now the name is cut and says so.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("长项目名.xlsx");
    let long = "监".repeat(40_000);
    common::rewrite_part(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/national_planted_errors.xlsx"),
        &input,
        "xl/sharedStrings.xml",
        |xml| xml.replace("乡镇环境监测站运行维护项目", &long),
    );
    let out = tempfile::tempdir().unwrap();
    let summary = out.path().join("汇总.xlsx");
    let o = run(&["check", p(&input), "--summary", p(&summary)]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let rows = cells(&summary, "汇总");
    let Data::String(name) = &rows[1][2] else {
        panic!("{:?}", rows[1]);
    };
    assert_eq!(name.chars().count(), zpcheck::write::MAX_CELL_CHARS);
    assert!(name.starts_with(&"监".repeat(30_000)));
    assert!(name.ends_with(zpcheck::write::CUT_MARK));
    // And the corrected workbook is written too.
    let fixed = out.path().join("更正.xlsx");
    let o = run(&["fix", p(&input), "-o", p(&fixed)]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn wps_files_are_walked_and_other_files_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("子目录");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(sample("dept_clean.xlsx"), dir.path().join("表一.xlsx")).unwrap();
    // WPS's own format: a compound file with a BIFF8 workbook, as .xls is.
    std::fs::copy(sample("national_clean.xls"), sub.join("表二.et")).unwrap();
    std::fs::write(dir.path().join("说明.pdf"), b"%PDF-1.4").unwrap();
    std::fs::write(sub.join("附件.docx"), b"PK").unwrap();
    std::fs::write(dir.path().join(".隐藏.txt"), b"x").unwrap();
    let o = run(&["check", "--format", "json", p(dir.path())]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    // Sorted by path: 子目录/表二.et before 表一.xlsx.
    assert!(files[0].ends_with("表二.et"), "{files:?}");
    assert_eq!(doc["files"][0]["status"], "clean");
    assert_eq!(
        stderr(&o),
        format!(
            "zpcheck: 另有 2 个文件不是电子表格或自评报告，未核查：{}、{}\n",
            sub.join("附件.docx").display(),
            dir.path().join("说明.pdf").display()
        )
    );
}

#[test]
fn quiet_lists_only_files_with_problems_and_the_tally_separates_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample("dept_clean.xlsx"), dir.path().join("1 无误.xlsx")).unwrap();
    // The clean national form with 36 reports against a target of 12, still full marks: a
    // warning only (ZP204).
    let mut warned = zpcheck_testkit::national_clean();
    warned.set("F14", zpcheck_testkit::s("36份"));
    zpcheck_testkit::write_xlsx(&dir.path().join("2 警告.xlsx"), &[warned]);
    std::fs::copy(
        sample("national_planted_errors.xlsx"),
        dir.path().join("3 错误.xlsx"),
    )
    .unwrap();
    std::fs::copy(
        sample("partial_unknown_header.xlsx"),
        dir.path().join("4 部分.xlsx"),
    )
    .unwrap();
    std::fs::write(dir.path().join("5 坏.xlsx"), b"not a workbook").unwrap();
    // A workbook with no form: the summary-less sheet of a plain table.
    zpcheck_testkit::write_xlsx(
        &dir.path().join("6 无表.xlsx"),
        &[zpcheck_testkit::SheetSpec::new("Sheet1")],
    );
    let o = run(&["check", p(dir.path())]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.ends_with(
            "共 6 个文件：1 个无误，1 个仅有警告，1 个有错误，1 个部分核查，1 个无法读取，1 个没有自评表\n"
        ),
        "{err}"
    );
    assert!(err.contains("未能处理的文件（2 个）：\n"), "{err}");
    assert!(err.contains("5 坏.xlsx：无法读取——"), "{err}");
    assert!(err.contains("6 无表.xlsx：没有自评表——"), "{err}");
    // The clean file is one line; with --quiet it is not there at all.
    let out = stdout(&o);
    assert!(
        out.contains("1 无误.xlsx  无误（总分 99.96 优）\n"),
        "{out}"
    );
    let quiet = run(&["check", "-q", p(dir.path())]);
    let out = stdout(&quiet);
    assert!(!out.contains("1 无误.xlsx"), "{out}");
    for name in ["2 警告.xlsx", "3 错误.xlsx", "4 部分.xlsx"] {
        assert!(out.contains(name), "{name}: {out}");
    }
    assert_eq!(stderr(&quiet), err, "the end of a quiet run is the same");
}

#[test]
fn the_summary_counts_by_rule_links_the_files_and_sizes_wrapped_rows() {
    let dir = batch_dir();
    let out = tempfile::tempdir().unwrap();
    let summary = out.path().join("汇总.xlsx");
    run(&["check", p(dir.path()), "--summary", p(&summary)]);
    // 按规则统计: per rule, its findings, the files it was found in, and how many corrected
    // (none: only checked) — for all files together, then per 主管部门 (the 实施单位 where a
    // form names no 主管部门, as a 部门整体 form does).
    let rows = cells(&summary, "按规则统计");
    assert_eq!(
        rows[0],
        [
            "主管部门",
            "规则",
            "名称",
            "级别",
            "问题数",
            "涉及文件数",
            "已更正数"
        ]
        .iter()
        .map(|h| t(h))
        .collect::<Vec<_>>()
    );
    let zp202: Vec<&[Data]> = rows
        .iter()
        .filter(|r| r[1] == t("ZP202"))
        .map(|r| &r[..])
        .collect();
    let row = |dept: &str, n: f64, files: f64| {
        vec![
            t(dept),
            t("ZP202"),
            t("正向指标得分错误"),
            t("错误"),
            f(n),
            f(files),
            f(0.0),
        ]
    };
    assert_eq!(
        zp202,
        [
            row("（全部）", 3.0, 2.0),
            row("克拉玛依区科学技术局", 1.0, 1.0),
            row("区生态环境局", 2.0, 1.0)
        ]
    );
    // The all-files rows come first.
    assert_eq!(rows[1][0], t("（全部）"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&summary).unwrap()).unwrap();
    let part = |zip: &mut zip::ZipArchive<std::fs::File>, name: &str| {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
        xml
    };
    // Each file's path on 汇总 opens the file.
    let rels = part(&mut zip, "xl/worksheets/_rels/sheet1.xml.rels");
    let seed = std::fs::canonicalize(dir.path().join("a_seed_2023.xlsx")).unwrap();
    assert!(
        rels.contains(&format!(
            "Target=\"{}\" TargetMode=\"External\"",
            seed.display()
        )),
        "{rels}"
    );
    assert!(part(&mut zip, "xl/worksheets/sheet1.xml").contains("<hyperlink "));
    // 全部问题: a row whose 说明 wraps onto several lines is tall enough for them.
    let findings = part(&mut zip, "xl/worksheets/sheet2.xml");
    assert!(findings.contains("customHeight=\"1\""), "{findings}");
}
