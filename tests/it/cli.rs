//! The command line as scripts and people use it: exit codes 0/1/2, the JSON document's exact
//! shape, the Chinese text lines, input errors, and what is (and is never) written.

use zpcheck_testkit as common;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{p, run, stderr, stdout, zpcheck};
use serde_json::{Value, json};
use zpcheck_testkit::sample;

/// (file name, status) of every file in a JSON document, in order.
fn statuses(doc: &Value) -> Vec<(String, String)> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = Path::new(f["path"].as_str().unwrap());
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, f["status"].as_str().unwrap().to_string())
        })
        .collect()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn check_seed_prints_one_line_per_finding_and_exits_1() {
    let o = run(&["check", p(&sample("seed_kelamayi_2023.xlsx"))]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("部门整体支出绩效自评表!"))
        .collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].starts_with("部门整体支出绩效自评表!H15  ZP201  错误："),
        "{}",
        lines[0]
    );
    assert!(
        lines[3].starts_with("部门整体支出绩效自评表!H18  ZP202  错误："),
        "{}",
        lines[3]
    );
    assert!(out.contains("核算总分 99.96"), "{out}");
}

#[test]
fn clean_samples_exit_0() {
    let o = run(&[
        "check",
        p(&sample("national_clean.xlsx")),
        p(&sample("dept_clean.xlsx")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stderr(&o), "共 2 个文件：2 个无误\n", "{}", stdout(&o));
    assert!(
        stdout(&o).lines().all(|l| l.contains("  无误（总分 ")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn json_document_has_the_documented_shape() {
    let o = run(&[
        "check",
        "--format",
        "json",
        p(&sample("seed_kelamayi_2023.xlsx")),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = &doc["files"][0];
    assert_eq!(
        doc.as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["files"]
    );
    let mut keys: Vec<&String> = file.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        vec!["error", "findings", "forms", "path", "reader", "status"]
    );
    assert_eq!(file["status"], "findings");
    assert_eq!(file["error"], Value::Null);
    assert_eq!(
        file["forms"],
        json!([{"sheet": "部门整体支出绩效自评表", "title": "部门整体支出绩效自评表",
                "name": "克拉玛依区科学技术局", "year": 2023,
                "department": null, "unit": "克拉玛依区科学技术局",
                // No 总分 row and no grade cell: null because the form has none.
                "claimed_total": null, "total_row": false, "computed_total": "99.96",
                "declared_grade": null, "grade_cell": false, "computed_grade": "优",
                "budget": "2142.94", "execution": "2134.94", "rate": "99.63",
                "complete": true, "unread": [],
                "unchecked": ["指标块没有总分行：申报总分无从核对，只给出核算总分"]}])
    );
    let first = &file["findings"][0];
    let mut fkeys: Vec<&String> = first.as_object().unwrap().keys().collect();
    fkeys.sort();
    assert_eq!(
        fkeys,
        vec![
            "cell", "expected", "fixed", "found", "inputs", "message", "rule", "severity", "sheet"
        ]
    );
    assert_eq!(first["rule"], "ZP201");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["sheet"], "部门整体支出绩效自评表");
    assert_eq!(first["cell"], "H15");
    assert_eq!(first["found"], "20");
    assert_eq!(first["expected"], "10");
    assert_eq!(first["fixed"], true);
    assert!(first["message"].as_str().unwrap().contains("H15"));
    let warning = &file["findings"][1];
    assert_eq!(
        (
            warning["rule"].as_str(),
            warning["severity"].as_str(),
            warning["fixed"].as_bool()
        ),
        (Some("ZP204"), Some("warning"), Some(false))
    );
}

#[test]
fn json_carries_the_corrected_totals_the_grades_the_output_and_null_for_blank() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("表.xlsx");
    std::fs::copy(sample("national_planted_errors.xlsx"), &input).unwrap();
    let out = dir.path().join("出");
    let o = run(&["fix", "--format", "json", "--out-dir", p(&out), p(&input)]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = &doc["files"][0];
    assert_eq!(file["output"], p(&out.join("表_核查.xlsx")));
    let form = &file["forms"][0];
    // The total row held 0: its corrected figures, and the rate from them.
    assert_eq!(
        (&form["budget"], &form["execution"], &form["rate"]),
        (&json!("89.974"), &json!("89.974"), &json!("100"))
    );
    assert_eq!(
        (&form["declared_grade"], &form["computed_grade"]),
        (&json!("优"), &json!("优"))
    );
    assert_eq!(form["name"], "乡镇环境监测站运行维护项目");
    assert_eq!(form["year"], 2022);
    // ZP208 at I19: the reason cell is blank.
    let reason = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ZP208")
        .unwrap();
    assert_eq!(
        (&reason["cell"], &reason["found"]),
        (&json!("I19"), &Value::Null)
    );
}

#[test]
fn check_writes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("表.xlsx");
    std::fs::copy(sample("national_planted_errors.xlsx"), &input).unwrap();
    let o = run(&["check", p(dir.path())]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(listing(dir.path()), vec!["表.xlsx"]);
}

#[test]
fn dropped_file_is_corrected_beside_it_and_input_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("某项目自评表.xlsx");
    std::fs::copy(sample("seed_kelamayi_2023.xlsx"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let o = run(&[p(&input)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        listing(dir.path()),
        vec!["某项目自评表.xlsx", "某项目自评表_核查.xlsx"]
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert!(stdout(&o).contains("已更正 2 处"), "{}", stdout(&o));
}

#[test]
fn fix_to_a_file_and_to_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let o = run(&[
        "fix",
        p(&sample("national_planted_errors.xlsx")),
        "-o",
        p(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.exists());
    // The corrected workbook checks clean.
    assert_eq!(run(&["check", p(&out)]).status.code(), Some(0));

    let outdir = dir.path().join("更正");
    let o = run(&[
        "fix",
        p(&sample("seed_kelamayi_2023.xlsx")),
        p(&sample("dept_clean.xlsx")),
        "--out-dir",
        p(&outdir),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        listing(&outdir),
        vec!["dept_clean_核查.xlsx", "seed_kelamayi_2023_核查.xlsx"]
    );
}

#[test]
fn output_equal_to_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.xlsx");
    std::fs::copy(sample("seed_kelamayi_2023.xlsx"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let o = run(&["fix", p(&input), "-o", p(&input)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("输出文件不能与输入文件相同"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert_eq!(listing(dir.path()), vec!["a.xlsx"]);
}

#[test]
fn unwritable_output_is_exit_2_with_nothing_left() {
    // The folder it would go into is a file: it cannot be made (a missing folder is made).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("文件"), b"x").unwrap();
    let out = dir.path().join("文件").join("out.xlsx");
    let o = run(&["fix", p(&sample("seed_kelamayi_2023.xlsx")), "-o", p(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("无法创建输出文件夹"), "{}", stderr(&o));
    assert_eq!(listing(dir.path()), vec!["文件"]);
}

#[test]
fn bad_inputs_get_a_chinese_message_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("renamed.xlsx");
    std::fs::write(&csv, "单位,得分\n某局,100\n").unwrap();
    let empty = dir.path().join("empty.xlsx");
    std::fs::write(&empty, b"").unwrap();
    let noform = dir.path().join("noform.xlsx");
    let mut sh = common::SheetSpec::new("说明");
    sh.row(vec![common::s("本工作簿只有说明文字")]);
    common::write_xlsx(&noform, &[sh]);
    for (path, message, kind) in [
        (&csv, "不是电子表格文件", "not_spreadsheet"),
        (&empty, "文件为空", "empty"),
        (&noform, "未找到绩效自评表", "no_form"),
        (
            &dir.path().join("missing.xlsx"),
            "无法打开文件",
            "not_found",
        ),
    ] {
        let o = run(&["check", p(path)]);
        assert_eq!(o.status.code(), Some(2), "{kind}");
        assert!(stderr(&o).contains(message), "{kind}: {}", stderr(&o));
        let o = run(&["check", "--format", "json", p(path)]);
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(doc["files"][0]["status"], "error");
        assert_eq!(doc["files"][0]["error"]["kind"], kind);
        assert!(
            doc["files"][0]["error"]["message"]
                .as_str()
                .unwrap()
                .contains(message)
        );
    }
    assert!(!dir.path().join("renamed_核查.xlsx").exists());
}

#[test]
fn a_folder_mixing_good_and_bad_files_reports_all_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample("dept_clean.xlsx"), dir.path().join("a.xlsx")).unwrap();
    std::fs::write(dir.path().join("b.xlsx"), "not a workbook").unwrap();
    std::fs::copy(sample("seed_kelamayi_2023.xlsx"), dir.path().join("c.xlsx")).unwrap();
    // Lock files and hidden files are skipped.
    std::fs::write(dir.path().join("~$c.xlsx"), "lock").unwrap();
    std::fs::write(dir.path().join(".hidden.xlsx"), "x").unwrap();
    let o = run(&["check", "--format", "json", p(dir.path())]);
    assert_eq!(o.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let statuses = statuses(&doc);
    assert_eq!(
        statuses,
        vec![
            ("a.xlsx".into(), "clean".into()),
            ("b.xlsx".into(), "error".into()),
            ("c.xlsx".into(), "findings".into())
        ]
    );
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        vec!["check"],
        vec!["fix", "a.xlsx"],
        vec!["check", "--format", "xml", "a.xlsx"],
        vec!["fix", "a.xlsx", "b.xlsx", "-o", "c.xlsx"],
        vec![],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn rules_lists_every_rule() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for r in zpcheck::rules::RULES {
        assert!(
            out.lines()
                .any(|l| l.starts_with(r.code) && l.contains(r.title)),
            "{}",
            r.code
        );
    }
}

#[test]
fn help_is_in_chinese() {
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("用法：") && out.contains("命令") && out.contains("退出状态"),
        "{out}"
    );
}

/// The README's text.
fn readme() -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("the README is there")
}

#[test]
fn the_readme_rule_table_is_the_one_rules_prints() {
    // Whole rows, in order: a rule's severity, fixability, title or doc changed in the code
    // and not in the README (or the other way round) fails here.
    let readme = readme();
    let o = run(&["rules", "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    let printed = stdout(&o);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 2 + zpcheck::rules::RULES.len());
    let start = readme
        .lines()
        .position(|l| l == lines[0])
        .expect("the README has the rule table");
    let in_readme: Vec<&str> = readme.lines().skip(start).take(lines.len()).collect();
    assert_eq!(in_readme, lines);
    // Only `rules` prints Markdown.
    let o = run(&[
        "check",
        "--format",
        "markdown",
        p(&sample("dept_clean.xlsx")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format markdown 只用于 rules 子命令"));
}

#[test]
fn one_rule_is_explained_whole_with_the_profile_in_force() {
    let o = run(&["rules", "zp205"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "ZP205 定性指标得分不在区间（警告，可更正：否，未更正时其单元格存疑：否）\n\
         检查什么：规则8：定性指标按完成情况给分：达成 80–100%、部分达成 60–80%、未达成 0–60% 的分值。\n\
         为什么：“达成”却只给一半分、或“未达成”给了满分，得分与自述的完成情况矛盾。\n\
         示例：实际写“达成”，分值 10，得分 5。\n\
         zpcheck 的处理：不更正：区间内给几分由评价人判断。\n"
    );
    // Hubei's 部分达成 band starts at 50%: the doc says so, in the list and in JSON too.
    let hubei = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("profiles/hubei.toml");
    let o = run(&["rules", "ZP205", "--profile", p(&hubei)]);
    assert!(
        stdout(&o).contains("部分达成 50–80%、未达成 0–50%"),
        "{}",
        stdout(&o)
    );
    let o = run(&["rules", "--format", "json", "--profile", p(&hubei)]);
    assert_eq!(o.status.code(), Some(0));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules = doc["rules"].as_array().unwrap();
    assert_eq!(rules.len(), zpcheck::rules::RULES.len());
    let band = rules.iter().find(|r| r["code"] == "ZP205").unwrap();
    assert_eq!(band["severity"], "warning");
    assert_eq!(band["fix"], "none");
    assert_eq!(band["doubts"], false);
    assert!(band["what"].as_str().unwrap().contains("部分达成 50–80%"));
    let range = rules.iter().find(|r| r["code"] == "ZP201").unwrap();
    assert_eq!(range["fix"], "review");
    assert_eq!(range["doubts"], true);
    let o = run(&["rules", "ZP999"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "zpcheck: 没有规则 ZP999；运行 zpcheck rules 查看全部规则\n"
    );
}

#[test]
fn readme_lists_every_rule_and_the_two_commands() {
    let readme = readme();
    for r in zpcheck::rules::RULES {
        assert!(
            readme.contains(&format!("| {} | {} |", r.code, r.severity.label())),
            "{}",
            r.code
        );
        assert!(readme.contains(r.title), "{}", r.code);
    }
    assert!(readme.contains("cargo run --release -- check samples/seed_kelamayi_2023.xlsx"));
    assert!(readme.contains("\ncargo test\n"));
    assert!(sample("seed_kelamayi_2023.xlsx").exists());
}

#[test]
fn profile_file_changes_the_bands_and_bad_profiles_exit_2() {
    let mut sh = common::national_clean();
    sh.set("H20", common::n(5.5));
    let (dir, input) = common::write_temp(&[sh]);
    let national = run(&["check", "--format", "json", p(&input)]);
    let doc: Value = serde_json::from_slice(&national.stdout).unwrap();
    let rules: Vec<&str> = doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"ZP205"), "{rules:?}");

    let hubei = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("profiles")
        .join("hubei.toml");
    let o = run(&[
        "check",
        "--profile",
        p(&hubei),
        "--format",
        "json",
        p(&input),
    ]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules: Vec<&str> = doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"ZP205"), "{rules:?}");

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "\"部分达成下限\" = 95\n").unwrap();
    let o = run(&["check", "--profile", p(&bad), p(&input)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("部分达成下限 ≤ 达成下限"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "check",
        "--profile",
        p(&dir.path().join("none.toml")),
        p(&input),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("无法读取规则配置文件"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_samples_folder_reports_every_clean_sample_clean() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let o = run(&["check", "--format", "json", p(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let statuses = statuses(&doc);
    let clean = |n: &str| (n.to_string(), "clean".to_string());
    let findings = |n: &str| (n.to_string(), "findings".to_string());
    assert_eq!(
        statuses,
        vec![
            findings("analysis_columns.xlsx"),
            findings("anhui_dept_county.xlsx"),
            findings("beijing_budget_a_only.xlsx"),
            findings("chongqing_score_ratio.xlsx"),
            clean("decorated_shifted.xlsx"),
            clean("dept_clean.xlsx"),
            findings("gbk_no_codepage.xls"),
            findings("gbk_wrong_codepage.xls"),
            findings("hebei_weight_share.xlsx"),
            findings("html_export_gbk.xls"),
            findings("hubei_no_weight_column.xlsx"),
            findings("indicators_first.xlsx"),
            clean("national_clean.ods"),
            clean("national_clean.xls"),
            clean("national_clean.xlsx"),
            findings("national_planted_errors.ods"),
            findings("national_planted_errors.xlsx"),
            clean("openpyxl_no_cache.xlsx"),
            findings("openpyxl_wrong_sum.xlsx"),
            (
                "partial_unknown_header.xlsx".to_string(),
                "partial".to_string()
            ),
            clean("placeholder_zero.xlsx"),
            findings("section_rows.xls"),
            findings("section_rows.xlsx"),
            findings("seed_kelamayi_2023.xls"),
            findings("seed_kelamayi_2023.xlsm"),
            findings("seed_kelamayi_2023.xlsx"),
            findings("seed_kelamayi_2023_report.docx"),
            clean("sichuan_operator_columns.xlsx"),
            // SpreadsheetML: the walk takes an .xml file when it is one.
            findings("spreadsheetml_export.xml"),
            findings("two_sheets.xlsx"),
            findings("xianjie_weight_first.xlsx"),
            findings("yunnan_two_row_header.ods"),
            findings("yunnan_two_row_header.xlsx"),
        ]
    );
}

#[test]
fn an_unknown_first_word_is_a_usage_error_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    for (word, message) in [
        ("chek", "未知的子命令 chek，是否要用 check？"),
        ("fixx", "未知的子命令 fixx，是否要用 fix？"),
        ("explian", "未知的子命令 explian，是否要用 explain？"),
        (
            "foo",
            "未知的子命令 foo（可用的命令：check、fix、rules、explain），也没有名为 foo 的文件或文件夹",
        ),
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_zpcheck"))
            .current_dir(dir.path())
            .args([word, "表.xlsx"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{word}: {stderr}");
        assert!(stderr.contains(message), "{word}: {stderr}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing written"
        );
    }
    // A word that names an existing file is a file, whatever it looks like.
    std::fs::copy(sample("national_clean.xlsx"), dir.path().join("chek")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .current_dir(dir.path())
        .args(["check", "chek"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn files_zpcheck_did_not_write_are_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("表.xlsx");
    std::fs::copy(sample("national_planted_errors.xlsx"), &input).unwrap();
    // The officer's own file happens to carry the corrected workbook's name.
    let theirs = dir.path().join("表_核查.xlsx");
    std::fs::copy(sample("national_clean.xlsx"), &theirs).unwrap();
    let before = std::fs::read(&theirs).unwrap();
    for _ in 0..2 {
        let o = zpcheck(&[input.as_os_str()]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(
                "表_核查.xlsx 已存在，且不是 zpcheck 写出后未经改动的文件（可能是自己的文件，或有人改过后保存），不会替换；更正结果写到"
            ),
            "{}",
            stderr(&o)
        );
        assert!(stdout(&o).contains("表_核查(2).xlsx"), "{}", stdout(&o));
    }
    assert_eq!(std::fs::read(&theirs).unwrap(), before);
    let ours = dir.path().join("表_核查(2).xlsx");
    assert!(zpcheck::write::written_by_zpcheck(&ours));
    assert!(!zpcheck::write::written_by_zpcheck(&theirs));

    // Named with -o: not replaced either; the output goes to "(2)" beside it, and says so.
    let o = run(&["fix", p(&input), "-o", p(&theirs)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("不会替换；更正结果写到"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&theirs).unwrap(), before);
    // Again with -o onto zpcheck's own output: replaced as before.
    let o = run(&["fix", p(&input), "-o", p(&ours)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

    // The summary: not over the officer's file (written to a free name beside it), not over
    // one of the run's own outputs.
    let o = run(&["check", p(&input), "--summary", p(&theirs)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("汇总表写到"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&theirs).unwrap(), before);
    let out = dir.path().join("输出");
    let clash = out.join("表_核查.xlsx");
    let o = run(&[
        "fix",
        p(&input),
        "--out-dir",
        p(&out),
        "--summary",
        p(&clash),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("汇总文件不能与更正后的工作簿同名"),
        "{}",
        stderr(&o)
    );
    assert!(!clash.exists());
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_runs_own_status() {
    // `zpcheck … | head -1`: the reader goes away; zpcheck used to panic (exit 101).
    let closed = |args: &[&std::ffi::OsStr]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zpcheck"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        child.wait_with_output().unwrap()
    };
    let errors = sample("national_planted_errors.xlsx");
    for format in ["text", "json", "jsonl"] {
        let o = closed(&[
            "check".as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            errors.as_os_str(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
    let o = closed(&["rules".as_ref()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = closed(&["explain".as_ref(), errors.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_output_of_fix_o_is_made_where_the_officer_meant() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample("national_planted_errors.xlsx");
    // A folder that does not exist yet is created.
    let nested = dir.path().join("新建/更正.xlsx");
    let o = run(&["fix", p(&input), "-o", p(&nested)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(zpcheck::write::written_by_zpcheck(&nested));
    // An existing folder holds 原名_核查.xlsx.
    let o = run(&["fix", p(&input), "-o", p(dir.path())]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(zpcheck::write::written_by_zpcheck(
        &dir.path().join("national_planted_errors_核查.xlsx")
    ));
    // Another extension becomes .xlsx, and it says so.
    let xls = dir.path().join("结果.xls");
    let o = run(&["fix", p(&input), "-o", p(&xls)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!xls.exists());
    let xlsx = dir.path().join("结果.xlsx");
    assert!(
        stderr(&o).contains(&format!("更正后的工作簿总是 .xlsx，输出改为 {}", p(&xlsx))),
        "{}",
        stderr(&o)
    );
    assert!(zpcheck::write::written_by_zpcheck(&xlsx));
}

#[test]
fn which_reader_and_writer_handled_each_file_is_reported() {
    // The fast .xlsx reader and the patcher; calamine and a rebuild for an .xls, which has no
    // faster path to fall back from.
    let dir = tempfile::tempdir().unwrap();
    let xlsx = sample("seed_kelamayi_2023.xlsx");
    let xls = sample("seed_kelamayi_2023.xls");
    let o = run(&[
        "fix",
        "--format",
        "json",
        p(&xlsx),
        p(&xls),
        "--out-dir",
        p(dir.path()),
    ]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let keys = |i: usize| {
        let f = &doc["files"][i];
        [
            f["reader"].clone(),
            f["reader_fallback"].clone(),
            f["writer"].clone(),
            f["writer_fallback"].clone(),
        ]
    };
    assert_eq!(
        keys(0),
        [json!("fast"), Value::Null, json!("patch"), Value::Null]
    );
    assert_eq!(
        keys(1),
        [
            json!("calamine"),
            Value::Null,
            json!("rebuild"),
            json!("rebuild:xls-input")
        ]
    );
    // Checking only: no writer.
    let o = run(&["check", "--format", "json", p(&xlsx)]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"][0]["reader"], "fast");
    assert!(doc["files"][0].get("writer").is_none(), "{doc}");
    // The text report says the same with --verbose (-v), one line per file before its
    // findings.
    let out = dir.path().join("v");
    let o = run(&["fix", "-v", p(&xls), "--out-dir", p(&out)]);
    let text = stdout(&o);
    assert_eq!(
        text.lines().next(),
        Some(
            format!(
                "{}：读取用 calamine，更正版本整本重建（输入是 .xls）",
                xls.display()
            )
            .as_str()
        ),
        "{text}"
    );
    let o = run(&["check", "-v", p(&xlsx)]);
    assert_eq!(
        stdout(&o).lines().next(),
        Some(format!("{}：读取用快速读取器", xlsx.display()).as_str())
    );
    // Without it, no such line.
    let o = run(&["check", p(&xlsx)]);
    assert!(!stdout(&o).contains("读取用"));
}

#[test]
fn help_and_value_errors_speak_chinese() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["fix", "--help"],
        vec!["rules", "--help"],
        vec!["explain", "--help"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let help = stdout(&o);
        for english in ["OPTIONS", "Usage", "Options", "Arguments", "Commands"] {
            assert!(!help.contains(english), "{args:?}: {english}\n{help}");
        }
        assert!(help.contains("用法："), "{args:?}");
    }
    for (value, shown) in [("0", "0"), ("abc", "abc")] {
        let o = run(&["-j", value, "x.xlsx"]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            stderr(&o),
            format!(
                "zpcheck: 参数 --jobs <N> 的值“{shown}”无效：应为 1 到 65535 之间的整数\n\
                 运行 zpcheck --help 查看用法。\n"
            )
        );
    }
    // A profile with a TOML slip: where, and what, in Chinese.
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("省.toml");
    std::fs::write(&profile, "\"名称\" = 湖北\n").unwrap();
    let o = run(&["rules", "--profile", p(&profile)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("格式错误：第 1 行第 8 列：文字要加引号"),
        "{err}"
    );
    assert!(!err.contains("expected"), "{err}");
}

#[test]
fn a_baseline_leaves_out_what_a_reviewer_accepted_and_says_how_many() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("表.xlsx");
    std::fs::copy(sample("national_planted_errors.xlsx"), &input).unwrap();
    // The missing reason at I19 was accepted (text list); nothing else.
    let list = dir.path().join("已确认.txt");
    std::fs::write(&list, "# 已与单位核实\nZP208 项目支出绩效自评表!I19\n").unwrap();
    let o = run(&[
        "check",
        "--format",
        "json",
        "--baseline",
        p(&list),
        p(&input),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = &doc["files"][0];
    assert_eq!(file["suppressed"], 1);
    let rules: Vec<&str> = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"ZP208"), "{rules:?}");
    assert_eq!(rules.len(), 8);
    // The corrected workbook neither marks nor notes an accepted finding.
    let out = dir.path().join("出.xlsx");
    let o = run(&["fix", "--baseline", p(&list), p(&input), "-o", p(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).ends_with("共 1 个文件：0 个无误，1 个有错误；按基线忽略 1 条已确认的问题\n")
    );
    let notes = zpcheck_testkit::part_of(&out, "xl/comments1.xml").unwrap();
    assert!(!notes.contains("ref=\"I19\""), "{notes}");
    // A JSON report of an earlier run accepts all it lists: nothing is left, exit 0.
    let report = run(&["check", "--format", "json", p(&input)]);
    let earlier = dir.path().join("上次.json");
    std::fs::write(&earlier, &report.stdout).unwrap();
    // Accepted, its corrections are applied nowhere (issue 23): the scores and 总分 89.6 stay as
    // the form has them, and what they imply is left — 19.6 of 20 without a reason, and a
    // grade 优 for 89.6.
    let o = run(&["check", "--baseline", p(&earlier), p(&input)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("B23 等级为“优”，按总分 89.6 应为“良”"),
        "{out}"
    );
    assert!(
        out.contains(
            "申报总分 89.6，核算总分 89.6，等级 良\n错误 1 个，警告 1 个（另按基线忽略 6 条）"
        ),
        "{out}"
    );
    // A baseline that cannot be read stops the run before it starts, in Chinese.
    std::fs::write(&list, "ZP204\n").unwrap();
    let o = run(&["check", "--baseline", p(&list), p(&input)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "zpcheck: 基线文件 {}：第 1 行应为“规则 工作表!单元格”或“文件名 规则 工作表!单元格”，实为“ZP204”\n",
            list.display()
        )
    );
}
