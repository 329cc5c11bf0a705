//! Issue 27, item 3 (the command line): what a new user met and each fix read back — `fix X
//! -o X` refused before anything is read or reported, one unreadable file named once, help
//! headings with the full-width colon of 用法：, one list of formats in every message, a form
//! without a 总分 row said to have none, the `rules` table aligned by display width, and
//! inputs of one stem in several formats given outputs that say which is which.

use std::path::Path;

use crate::cmd::{p, run, stderr, stdout};
use zpcheck_testkit::sample;

const FORMATS: &str = zpcheck::formats!();

#[test]
fn fix_onto_its_own_input_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("seed.xlsx");
    std::fs::copy(sample("seed_kelamayi_2023.xlsx"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    for out in [input.clone(), dir.path().join(".").join("seed.xlsx")] {
        let o = run(&["fix", p(&input), "-o", p(&out)]);
        assert_eq!(o.status.code(), Some(2));
        // No report saying "（已更正）" for a file that is not written, no tally of 无法读取.
        assert_eq!(stdout(&o), "");
        let err = stderr(&o);
        assert!(
            err.starts_with("zpcheck: 输出文件不能与输入文件相同："),
            "{err}"
        );
        assert!(!err.contains("无法读取"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn one_unreadable_file_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("坏文件.xlsx");
    std::fs::write(&bad, "not a workbook").unwrap();
    let o = run(&["check", p(&bad)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.matches("坏文件.xlsx").count(), 1, "{err}");
    assert_eq!(
        err,
        format!(
            "zpcheck: {}: 不是电子表格文件（zpcheck 读取{FORMATS}）\n共 1 个文件：0 个无误，1 个无法读取\n",
            bad.display()
        )
    );
    // With another file beside it, the list of the files that failed comes back.
    let good = dir.path().join("好.xlsx");
    std::fs::copy(sample("national_clean.xlsx"), &good).unwrap();
    let o = run(&["check", p(&bad), p(&good)]);
    let err = stderr(&o);
    assert!(err.contains("未能处理的文件（1 个）：\n"), "{err}");
    assert_eq!(err.matches("坏文件.xlsx").count(), 2, "{err}");
}

#[test]
fn every_message_lists_the_formats_one_way() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["check", p(dir.path())]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!("zpcheck: 没有找到要核查的文件（{FORMATS}）\n")
    );
    let help = stdout(&run(&["check", "--help"]));
    assert!(
        help.contains(&format!(
            "要核查的文件或文件夹（文件夹会递归查找{FORMATS}）"
        )),
        "{help}"
    );
    assert_eq!(
        zpcheck::InputError::NotSpreadsheet.to_string(),
        format!("不是电子表格文件（zpcheck 读取{FORMATS}）")
    );
}

#[test]
fn help_headings_end_in_the_full_width_colon_like_usage() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["fix", "--help"],
        vec!["rules", "--help"],
    ] {
        let help = stdout(&run(&args));
        assert!(help.contains("\n用法："), "{args:?}\n{help}");
        for heading in ["命令", "参数", "选项"] {
            assert!(!help.contains(&format!("{heading}:")), "{args:?}\n{help}");
        }
        assert!(help.contains("\n参数：\n"), "{args:?}\n{help}");
        assert!(help.contains("\n选项：\n"), "{args:?}\n{help}");
    }
    assert!(stdout(&run(&["--help"])).contains("\n命令：\n  check"));
    // Options line up by display width: every description starts in one column.
    let help = stdout(&run(&["check", "--help"]));
    let starts: Vec<usize> = help
        .lines()
        .filter(|l| l.starts_with("  -") || l.starts_with("      --"))
        .map(|l| {
            // The option ("-j, --jobs <N>"), then two or more spaces, then its description.
            let option = l.trim_start();
            let gap = option.find("  ").unwrap_or(option.len());
            let desc = option[gap..].trim_start();
            unicode_width::UnicodeWidthStr::width(&l[..l.len() - desc.len()])
        })
        .collect();
    assert!(starts.len() > 5, "{help}");
    assert!(starts.iter().all(|&s| s == starts[0]), "{starts:?}\n{help}");
}

#[test]
fn a_form_without_a_total_row_says_so_rather_than_unfilled() {
    let o = run(&["check", p(&sample("seed_kelamayi_2023.xlsx"))]);
    let out = stdout(&o);
    assert!(
        out.contains("：申报总分 无（表中没有总分行），核算总分 99.96，等级 优\n"),
        "{out}"
    );
    assert!(!out.contains("申报总分 未填"), "{out}");
}

#[test]
fn the_rules_table_columns_line_up_by_display_width() {
    let out = stdout(&run(&["rules"]));
    let lines: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("规则 "))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(lines.len() > 30, "{out}");
    // Where the title (名称) column starts, in display columns: the same on every line, the
    // "是（需复核）" of ZP201 included.
    let title_at = |l: &str| {
        let mut w = 0;
        let mut gaps = 0;
        let mut prev_space = false;
        for c in l.chars() {
            let space = c == ' ';
            if !space && prev_space {
                gaps += 1;
                if gaps == 4 {
                    return w;
                }
            }
            prev_space = space;
            w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
        w
    };
    let first = title_at(lines[0]);
    for l in &lines {
        assert_eq!(title_at(l), first, "{l}");
    }
    assert!(lines.iter().any(|l| l.contains("是（需复核）")));
}

#[test]
fn one_stem_in_several_formats_gets_outputs_that_say_which_is_which() {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("seed_kelamayi_2023.xls", "seed.xls"),
        ("seed_kelamayi_2023.xlsm", "seed.xlsm"),
        ("seed_kelamayi_2023.xlsx", "seed.xlsx"),
        ("national_clean.xlsx", "other.xlsx"),
    ] {
        std::fs::copy(sample(from), dir.path().join(to)).unwrap();
    }
    let o = run(&[p(dir.path())]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("_核查"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "other_核查.xlsx",
            "seed.xls_核查.xlsx",
            "seed.xlsm_核查.xlsx",
            "seed.xlsx_核查.xlsx",
        ]
    );
    // Each output is its own input's correction.
    for ext in ["xls", "xlsm", "xlsx"] {
        let out = dir.path().join(format!("seed.{ext}_核查.xlsx"));
        assert!(zpcheck::write::written_by_zpcheck(&out), "{ext}");
        let c = zpcheck::check_path(Path::new(&out), &zpcheck::Profile::default()).unwrap();
        assert_eq!(
            c.findings().filter(|f| f.rule == "ZP201").count(),
            0,
            "{ext}"
        );
    }
}

/// A part of a zip file as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

#[test]
fn sheets_zpcheck_draws_print_on_a4_and_marks_survive_grey_printing() {
    let dir = tempfile::tempdir().unwrap();
    // Rebuilt from formats with no paper size (.ods, .xls as the samples are): A4, as is the
    // 核查结果 sheet; a patched .xlsx keeps the department's own page setup.
    for (name, method) in [
        ("national_planted_errors.ods", "整本重建"),
        ("seed_kelamayi_2023.xls", "整本重建"),
        ("national_planted_errors.xlsx", "逐处修改"),
    ] {
        let out = dir.path().join(format!("{name}.xlsx"));
        let o = run(&["fix", p(&sample(name)), "-o", p(&out), "-v"]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(stdout(&o).contains(method), "{name}: {}", stdout(&o));
        let form = part(&out, "xl/worksheets/sheet1.xml");
        let findings = part(&out, "xl/worksheets/sheet2.xml");
        assert!(findings.contains("paperSize=\"9\""), "{name}: {findings}");
        // The 核查结果 sheet prints one page wide at 8 pt or more: narrow margins, columns
        // within about 140 characters (longer text wraps).
        assert!(
            findings.contains("<pageMargins left=\"0.25\" right=\"0.25\""),
            "{name}"
        );
        let widths = zpcheck_testkit::stored_column_widths(&findings);
        assert!(widths <= 140.0, "{name}: {widths}");
        if method == "整本重建" {
            assert!(form.contains("paperSize=\"9\""), "{name}: {form}");
        } else {
            let input = part(&sample(name), "xl/worksheets/sheet1.xml");
            let setup = |x: &str| {
                x.find("<pageSetup")
                    .map(|i| x[i..].split('>').next().unwrap_or("").to_string())
            };
            assert_eq!(setup(&form), setup(&input), "{name}");
        }
        // Each mark is its colour under a dot pattern in a darker shade.
        let styles = part(&out, "xl/styles.xml");
        assert!(
            styles.contains("<patternFill patternType=\"gray125\"><fgColor rgb=\"FF7F6000\"/><bgColor rgb=\"FFFFEB9C\"/></patternFill>"),
            "{name}: {styles}"
        );
    }
}

#[test]
fn the_summary_has_an_overview_sheet_with_four_native_charts() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("报送");
    std::fs::create_dir(&folder).unwrap();
    for name in [
        "seed_kelamayi_2023.xlsx",
        "national_clean.xlsx",
        "national_planted_errors.xlsx",
    ] {
        std::fs::copy(sample(name), folder.join(name)).unwrap();
    }
    std::fs::write(folder.join("bad.xlsx"), "not a workbook").unwrap();
    let summary = dir.path().join("汇总.xlsx");
    let o = run(&["check", "--summary", p(&summary), p(&folder)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // The figures, on the 图表 sheet.
    use calamine::{Data, Reader};
    let mut wb = calamine::open_workbook_auto(&summary).unwrap();
    let sheet = wb.worksheet_range(zpcheck::summary::CHARTS_SHEET).unwrap();
    let at = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let s = |t: &str| Data::String(t.into());
    let n = |x: f64| Data::Float(x);
    assert_eq!(at(0, 0), s("文件按核查结果"));
    let categories: Vec<(Data, Data)> = (2..9).map(|r| (at(r, 0), at(r, 1))).collect();
    assert_eq!(
        categories,
        vec![
            (s("无误"), n(1.0)),
            (s("仅有警告"), n(0.0)),
            (s("有错误"), n(2.0)),
            (s("部分核查"), n(0.0)),
            (s("无法读取"), n(1.0)),
            (s("没有自评表"), n(0.0)),
            (s("写出失败"), n(0.0)),
        ]
    );
    // Forms by grade: three forms, all 优.
    assert_eq!(at(17, 0), s("自评表按核算等级"));
    assert_eq!((at(19, 0), at(19, 1)), (s("优"), n(3.0)));
    // Declared against recomputed 总分: the seed has no 总分 row (declared blank).
    assert_eq!(at(34, 0), s("申报总分与核算总分"));
    let totals: Vec<(Data, Data, Data)> =
        (36..39).map(|r| (at(r, 0), at(r, 1), at(r, 2))).collect();
    assert_eq!(
        totals,
        vec![
            (s("城区空气质量监测项目"), n(97.0), n(97.0)),
            (s("乡镇环境监测站运行维护项目"), n(89.6), n(94.27)),
            (s("克拉玛依区科学技术局"), Data::Empty, n(99.96)),
        ]
    );
    // The chart parts: one per table, of its kind, drawing from its cells.
    let chart = |i: usize| part(&summary, &format!("xl/charts/chart{i}.xml"));
    let (c1, c2, c3, c4) = (chart(1), chart(2), chart(3), chart(4));
    assert!(c1.contains("<c:barDir val=\"col\"/>"), "{c1}");
    assert!(
        c1.contains("<c:f>图表!$A$3:$A$9</c:f>") && c1.contains("<c:f>图表!$B$3:$B$9</c:f>"),
        "{c1}"
    );
    assert!(c2.contains("<c:pieChart>"), "{c2}");
    assert!(c2.contains("<c:f>图表!$B$20:$B$24</c:f>"), "{c2}");
    assert!(
        c3.contains("<c:f>图表!$B$37:$B$39</c:f>") && c3.contains("<c:f>图表!$C$37:$C$39</c:f>"),
        "{c3}"
    );
    assert!(
        c3.contains("<c:v>申报总分</c:v>") && c3.contains("<c:v>核算总分</c:v>"),
        "{c3}"
    );
    assert!(c4.contains("<c:barDir val=\"bar\"/>"), "{c4}");
    assert!(c4.contains("ZP201 得分超出分值范围"), "{c4}");
}
