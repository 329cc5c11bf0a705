//! 自评报告 (Word documents): the seed report as Word writes it, planted variants that each
//! change one figure, trap documents that must give no error, the JSON a script reads, and a
//! property test that writing the same figures differently (white space, full-width digits,
//! thousands separators) finds the same.

use proptest::prelude::*;
use serde_json::Value;
use zpcheck::{Checked, Profile};
use zpcheck_testkit::docx::{Block, docx_of, para, replaced, seed_report};
use zpcheck_testkit::sample;

use crate::cmd::run;

/// Checks a report made of these blocks.
fn check_blocks(blocks: &[Block]) -> Checked {
    let bytes = docx_of(blocks);
    let wb = zpcheck::read::read_bytes(bytes).expect("reads");
    zpcheck::check_workbook(wb, &Profile::default()).expect("checks")
}

/// Every finding as (rule, place, found, expected): place "表1!H15" or "第69段".
fn rows(c: &Checked) -> Vec<(String, String, String, String)> {
    c.findings()
        .map(|f| {
            let place = match &f.text {
                Some(t) => format!("第{}段", t.paragraph),
                None => format!("{}!{}", f.sheet, f.cell),
            };
            (
                f.rule.to_string(),
                place,
                f.found.clone(),
                f.expected.clone(),
            )
        })
        .collect()
}

fn row(rule: &str, place: &str, found: &str, expected: &str) -> (String, String, String, String) {
    (rule.into(), place.into(), found.into(), expected.into())
}

/// The findings of the seed report in its tables (the seed workbook's, at the same cells).
fn seed_table_rows() -> Vec<(String, String, String, String)> {
    vec![
        row("ZP201", "表1!H15", "20", "10"),
        row("ZP204", "表1!G16", "25 家", "酌情扣分（需人工判断）"),
        row("ZP204", "表1!G17", "26 家", "酌情扣分（需人工判断）"),
        row("ZP202", "表1!H18", "10", "20"),
    ]
}

/// The seed report's findings with `extra` text findings in place of its own two.
fn seed_with(text: &[(&str, &str, &str, &str)]) -> Vec<(String, String, String, String)> {
    let mut out = seed_table_rows();
    out.extend(text.iter().map(|(r, p, f, e)| row(r, p, f, e)));
    out
}

/// A folder holding these samples under these names.
fn folder_of(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, as_name) in files {
        std::fs::copy(sample(name), dir.path().join(as_name)).unwrap();
    }
    dir
}

/// A report and its reviewed copy read back, with their paragraphs' texts; asserts the copy
/// holds every paragraph of the original, word for word and in order, before what it adds.
fn read_back(
    input: &std::path::Path,
    out: &std::path::Path,
) -> (
    zpcheck::read::Workbook,
    zpcheck::read::Workbook,
    Vec<String>,
    Vec<String>,
) {
    let original = zpcheck::read::read_path(input).unwrap();
    let reviewed = zpcheck::read::read_path(out).unwrap();
    let texts = |w: &zpcheck::read::Workbook| -> Vec<String> {
        w.document
            .as_ref()
            .unwrap()
            .paragraphs
            .iter()
            .map(|p| p.text.clone())
            .collect()
    };
    let (a, b) = (texts(&original), texts(&reviewed));
    assert_eq!(&b[..a.len()], &a[..], "the reviewed copy changed the text");
    (original, reviewed, a, b)
}

/// Inserts paragraphs before the seed report's "附表" line and its table, each at that place
/// (so the last given stands first).
fn before_the_table(blocks: &mut Vec<Block>, texts: &[&str]) {
    let at = blocks.len() - 2;
    for t in texts {
        blocks.insert(at, para(t));
    }
}

/// A cell of the report's first table, as `compared_with` names it.
fn table_cell(a1: &str) -> Option<(String, zpcheck::read::CellRef)> {
    Some((
        "表1".to_string(),
        zpcheck::read::CellRef::parse(a1).unwrap(),
    ))
}

const SEED_SHARE: (&str, &str, &str, &str) = ("ZP502", "第69段", "4.08", "4.10");
const SEED_SCORE: (&str, &str, &str, &str) = ("ZP519", "第100段", "100", "99.96");

#[test]
fn the_seed_report_finds_its_share_its_two_table_scores_and_notes_its_rounded_total() {
    let c = check_blocks(&seed_report());
    assert_eq!(rows(&c), seed_with(&[SEED_SHARE, SEED_SCORE]));
    // The bundled sample is the generator's, and reads the same.
    assert_eq!(
        std::fs::read(sample("seed_kelamayi_2023_report.docx")).unwrap(),
        docx_of(&seed_report())
    );
    let report = c.report.as_ref().unwrap();
    assert_eq!(report.table, Some(1));
    assert_eq!(report.year, Some(2023));
    assert_eq!(report.paragraphs, 109);
    // The same forms and findings as the seed workbook, cell for cell.
    let wb = zpcheck::check_path(&sample("seed_kelamayi_2023.xlsx"), &Profile::default()).unwrap();
    let cells = |c: &Checked| -> Vec<(String, String, String)> {
        c.forms
            .iter()
            .flat_map(|f| f.report.findings.iter())
            .map(|f| (f.rule.to_string(), f.cell.to_string(), f.expected.clone()))
            .collect()
    };
    assert_eq!(cells(&c), cells(&wb));
    assert_eq!(
        c.forms[0].report.computed_total,
        wb.forms[0].report.computed_total
    );
}

#[test]
fn the_seed_reports_json_names_the_source_the_quote_the_paragraph_and_the_table() {
    let o = run(&[
        "check",
        "--format",
        "json",
        sample("seed_kelamayi_2023_report.docx").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = &doc["files"][0];
    assert_eq!(file["reader"], "docx");
    assert_eq!(file["report"]["table"], 1);
    assert_eq!(file["report"]["tables"], 1);
    let findings = file["findings"].as_array().unwrap();
    let table = &findings[0];
    assert_eq!(table["source"], "table");
    assert_eq!(table["table"], 1);
    assert_eq!(table["sheet"], "表1");
    assert_eq!(table["cell"], "H15");
    // The report's table is the author's: nothing is corrected in it.
    assert_eq!(table["fixed"], false);
    let share = &findings[4];
    assert_eq!(share["rule"], "ZP502");
    assert_eq!(share["source"], "text");
    assert_eq!(share["sheet"], Value::Null);
    assert_eq!(share["cell"], Value::Null);
    assert_eq!(share["quote"], "占总支出的 4.08%");
    assert_eq!(share["paragraph"], 69);
    assert_eq!(share["found"], "4.08");
    assert_eq!(share["expected"], "4.10");
    let score = &findings[5];
    assert_eq!(score["rule"], "ZP519");
    assert_eq!(score["severity"], "info");
    assert_eq!(
        score["quote"],
        "2023 年度部门整体支出绩效自评综合得分 100 分"
    );
    // The seed's table has no 总分 row: the recomputed total is in no cell.
    assert!(score.get("compared_with").is_none());
    // The text report quotes the claim.
    let o = run(&[
        "check",
        sample("seed_kelamayi_2023_report.docx").to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("正文  ZP502  错误：第 69 段“占总支出的 4.08%”：占比应为 87.55 ÷ 总支出 2134.94 = 4.10%，所写 4.08%"),
        "{text}"
    );
    assert!(
        text.contains("自评报告：正文 109 段、表格 1 个，读出数字 "),
        "{text}"
    );
}

/// One planted figure: the text replaced, and the one text finding it must give (besides the
/// seed's table findings and its rounded-score note, unless the change touches them).
struct Planted {
    from: &'static str,
    to: &'static str,
    text: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

#[test]
fn each_planted_figure_is_found_with_its_expected_value() {
    let planted = [
        // A rate against its own budget and execution.
        Planted {
            from: "预算执行率为 99.63%",
            to: "预算执行率为 99.36%",
            text: &[
                ("ZP501", "第58段", "99.36", "99.63"),
                SEED_SHARE,
                SEED_SCORE,
            ],
        },
        // A 其中 list no longer adds to its total.
        Planted {
            from: "其他资金 20 万元",
            to: "其他资金 10 万元",
            text: &[
                ("ZP503", "第58段", "2142.94", "2132.94"),
                SEED_SHARE,
                SEED_SCORE,
            ],
        },
        // A share.
        Planted {
            from: "占总支出的 95.90%",
            to: "占总支出的 95.09%",
            text: &[
                SEED_SHARE,
                ("ZP502", "第78段", "95.09", "95.90"),
                SEED_SCORE,
            ],
        },
        // The 总分 in the text.
        Planted {
            from: "综合得分 100 分",
            to: "综合得分 98 分",
            text: &[SEED_SHARE, ("ZP512", "第100段", "98", "100")],
        },
        // The grade word.
        Planted {
            from: "评价结果为\"优\"",
            to: "评价结果为\"良\"",
            text: &[SEED_SHARE, ("ZP504", "第100段", "良", "优")],
        },
        // An indicator's 完成率.
        Planted {
            from: "指标完成率208.33%",
            to: "指标完成率280.33%",
            text: &[
                SEED_SHARE,
                ("ZP505", "第93段", "280.33", "208.33"),
                SEED_SCORE,
            ],
        },
        // A unit price × quantity.
        Planted {
            from: "给予每家10万元",
            to: "给予每家12万元",
            text: &[("ZP506", "第33段", "100", "120"), SEED_SHARE, SEED_SCORE],
        },
        // A day count.
        Planted {
            from: "(210天)",
            to: "(220天)",
            text: &[("ZP507", "第30段", "220", "210"), SEED_SHARE, SEED_SCORE],
        },
        // 年初 + 调整 ≠ 调整后.
        Planted {
            from: "调整后全年预算数 2142.94 万元",
            to: "调整后全年预算数 2152.94 万元",
            text: &[
                ("ZP508", "第55段", "2152.94", "2142.94"),
                SEED_SHARE,
                SEED_SCORE,
            ],
        },
        // The whole's execution: its rate, its 其中 list and the share of the 项目 part no
        // longer agree with it (the seed's own share, computed from it, now does).
        Planted {
            from: "全年实际支出资金 2134.94 万元",
            to: "全年实际支出资金 2143.94 万元",
            text: &[
                ("ZP501", "第58段", "99.63", "100.05"),
                ("ZP503", "第58段", "2143.94", "2134.94"),
                ("ZP502", "第78段", "95.90", "95.50"),
                SEED_SCORE,
            ],
        },
        // The count of 三级指标 against the table.
        Planted {
            from: "三级指标 5 个",
            to: "三级指标 6 个",
            text: &[SEED_SHARE, ("ZP513", "第87段", "6", "5"), SEED_SCORE],
        },
        // An indicator's actual against the table.
        Planted {
            from: "自评完成值: 26 家",
            to: "自评完成值: 28 家",
            text: &[
                SEED_SHARE,
                ("ZP505", "第94段", "162.5", "175.0"),
                ("ZP505", "第94段", "62.5", "75.0"),
                ("ZP514", "第94段", "28", "26"),
                SEED_SCORE,
            ],
        },
    ];
    let mut wrong = Vec::new();
    for p in planted {
        let blocks = replaced(&seed_report(), p.from, p.to);
        let got = rows(&check_blocks(&blocks));
        if got != seed_with(p.text) {
            wrong.push(format!("{} → {}: {:?}", p.from, p.to, &got[4..]));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_wholes_figures_are_held_to_the_tables_total_row() {
    let mut blocks = seed_report();
    before_the_table(
        &mut blocks,
        &[
            "2023年部门全年执行数为 2143.94 万元，年初预算数 1852.18 万元。",
            "基本支出全年执行数为 87.55 万元。",
        ],
    );
    let c = check_blocks(&blocks);
    let text: Vec<_> = rows(&c).into_iter().skip(4).collect();
    assert_eq!(
        text,
        [
            row("ZP502", "第69段", "4.08", "4.10"),
            row("ZP519", "第100段", "100", "99.96"),
            row("ZP511", "第110段", "2143.94", "2134.94"),
        ]
    );
    let f = c.findings().last().unwrap();
    assert_eq!(f.text.as_ref().unwrap().compared_with, table_cell("E5"));
}

#[test]
fn traps_that_are_not_errors_stay_quiet() {
    let mut blocks = seed_report();
    let traps = [
        // Previous-year figures and a rate of growth.
        "2023年基本支出同比上年度增加189.25万元，增加31.39%，占比上升。",
        // Another year named in the sentence.
        "2021 年科技创新专项资金预算 1000 万元，实际支出 800 万元，执行率 100%。",
        // 元 and 万元 that agree, and a rate from them.
        "2023年全年预算数 21,429,400.00 元，全年实际支出资金 21,349,400.00 元，预算执行率为 99.63%。",
        // Counting one end of a span.
        "支付 2023.1.19-8.16 的租赁费用（209天）。",
        // An approximation of an amount, and a 0 ÷ 0 rate printed as 100%.
        "“三公”经费预算数为 0 万元，实际支出 0 万元，执行率 100%。",
        // A 其中 with one part only.
        "实有人员 5 人，其中：在职人员 4 人。",
        // Money over several years.
        "专项资金(20万元)计划三年拨付完毕，2023年支出 12万元。",
    ];
    before_the_table(&mut blocks, &traps);
    let c = check_blocks(&blocks);
    // The seed's own findings, the share now in paragraph 69 still, nothing else.
    assert_eq!(rows(&c), seed_with(&[SEED_SHARE, SEED_SCORE]));
}

#[test]
fn a_rounded_score_right_by_its_precision_still_carries_the_unrounded_grade() {
    // The seed's table with 配套支持… not met (1 of 2 项): its score 10, the 总分 89.96.
    let mut blocks = seed_report();
    if let Some(Block::T(spec)) = blocks.last_mut() {
        spec.set("G14", zpcheck_testkit::s("1 项"));
        spec.set("H14", zpcheck_testkit::n(10.0));
    }
    // "90 分，良": 90 is 89.96 at whole points, and 89.96 is 良 (no error, though 90 alone
    // would be 优). The table's 自评完成值 "1 项" against the text's "2 项" is found too.
    let c = check_blocks(&replaced(
        &blocks,
        "综合得分 100 分,评价结果为\"优\"",
        "综合得分 90 分,评价结果为\"良\"",
    ));
    let text: Vec<_> = rows(&c)
        .into_iter()
        .filter(|r| r.1.starts_with('第'))
        .collect();
    assert_eq!(
        text,
        [
            row("ZP502", "第69段", "4.08", "4.10"),
            row("ZP514", "第90段", "2", "1"),
            row("ZP519", "第100段", "90", "89.96"),
        ]
    );
    // "90 分，优": 90 is 89.96 rounded, but 89.96 is 良.
    let c = check_blocks(&replaced(
        &blocks,
        "综合得分 100 分,评价结果为\"优\"",
        "综合得分 90 分,评价结果为\"优\"",
    ));
    let grade: Vec<_> = rows(&c).into_iter().filter(|r| r.0 == "ZP512").collect();
    assert_eq!(grade, [row("ZP512", "第100段", "优", "良")]);
}

#[test]
fn a_word_document_that_is_no_report_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("通知.docx");
    std::fs::write(
        &path,
        docx_of(&[
            Block::H(1, "关于开展2023年度绩效自评工作的通知".into()),
            para("各单位：请于2024年4月30日前报送。"),
        ]),
    )
    .unwrap();
    let o = run(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("这是 Word 文档，但不是绩效自评报告"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The seed narrative rewritten: spaces around every figure, full-width digits, thousands
/// separators in amounts of 万元 — chosen per paragraph.
fn rewrite(text: &str, how: u8) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                j += 1;
            }
            let number: String = chars[i..j].iter().collect();
            let after: String = chars[j..chars.len().min(j + 3)].iter().collect();
            let mut written = number.clone();
            if how & 4 != 0
                && after.trim_start().starts_with("万元")
                && let Some((int, frac)) = number.split_once('.')
                && int.len() > 3
            {
                written = format!("{},{}.{frac}", &int[..int.len() - 3], &int[int.len() - 3..]);
            }
            if how & 2 != 0 {
                written = written
                    .chars()
                    .map(|c| match c {
                        '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                        '.' => '．',
                        _ => c,
                    })
                    .collect();
            }
            if how & 1 != 0 {
                written = format!(" {written} ");
            }
            out.push_str(&written);
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn writing_the_same_figures_differently_finds_the_same(hows in proptest::collection::vec(0u8..8, 120)) {
        let base = check_blocks(&seed_report());
        let blocks: Vec<Block> = seed_report()
            .into_iter()
            .enumerate()
            .map(|(i, b)| match b {
                Block::P(t) => Block::P(rewrite(&t, hows[i % hows.len()])),
                Block::L(t) => Block::L(rewrite(&t, hows[i % hows.len()])),
                other => other,
            })
            .collect();
        let c = check_blocks(&blocks);
        prop_assert_eq!(rows(&c), rows(&base));
    }
}

#[test]
fn old_word_and_pdf_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seed_report_libreoffice.doc");
    let wps = dir.path().join("报告.wps");
    std::fs::copy(&fixture, &wps).unwrap();
    let pdf = dir.path().join("报告.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n").unwrap();
    for (path, says) in [
        (
            fixture.as_path(),
            "请在 Word 或 WPS 中打开它，“文件 → 另存为”选择“Word 文档（*.docx）”后再核查",
        ),
        (
            wps.as_path(),
            "这是 Word 97-2003 格式的文档（.doc，或 WPS 的 .wps）",
        ),
        (pdf.as_path(), "这是 PDF 文件：zpcheck 不读取 PDF"),
    ] {
        let o = run(&["check", "--format", "json", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{path:?}");
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(doc["files"][0]["error"]["kind"], "unsupported_format");
        let message = doc["files"][0]["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
    }
    // In a folder they are listed among the files not checked, not counted as failures.
    std::fs::copy(
        sample("seed_kelamayi_2023_report.docx"),
        dir.path().join("自评报告.docx"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("通知.docx"),
        docx_of(&[
            Block::H(1, "关于开展2023年度绩效自评工作的通知".into()),
            para("各单位：请于2024年4月30日前报送自评报告和自评表。"),
        ]),
    )
    .unwrap();
    let o = run(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("自评报告.docx"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("另有 3 个文件不是电子表格或自评报告，未核查"),
        "{stderr}"
    );
    assert!(stderr.contains("通知.docx"), "{stderr}");
}

#[test]
fn fix_writes_the_report_with_comments_and_a_findings_table_and_leaves_its_text_alone() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("报告.docx");
    std::fs::copy(sample("seed_kelamayi_2023_report.docx"), &input).unwrap();
    let o = run(&[
        "fix",
        "--format",
        "json",
        "--out-dir",
        dir.path().to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let out = dir.path().join("报告_核查.docx");
    assert_eq!(doc["files"][0]["output"], out.to_str().unwrap());
    assert_eq!(doc["files"][0]["writer"], "annotate");
    // The input is untouched.
    assert_eq!(
        std::fs::read(&input).unwrap(),
        std::fs::read(sample("seed_kelamayi_2023_report.docx")).unwrap()
    );
    // Read back: every paragraph of the original, word for word, then the 核查结果.
    let (original, reviewed, a, b) = read_back(&input, &out);
    assert_eq!(
        b[a.len()..b.len().min(a.len() + 2)].join("|"),
        "\n|核查结果（zpcheck）"
    );
    // The 自评表 table reads as it did: the same cells.
    assert_eq!(reviewed.sheets[0].cells, original.sheets[0].cells);
    assert_eq!(reviewed.sheets.len(), 2, "the 核查结果 table is the second");
    // Its seal holds: a later run may replace it, and a folder walk passes it over.
    assert!(reviewed.zpcheck_output);
    // One comment per finding, on the claim or the cell.
    let comments = zpcheck_testkit::part_of(&out, "word/comments.xml").unwrap();
    assert_eq!(comments.matches("<w:comment ").count(), 6);
    assert!(comments.contains("ZP502 报告中的占比与所述金额不符（错误）：第 69 段“占总支出的 4.08%”：占比应为 87.55 ÷ 总支出 2134.94 = 4.10%，所写 4.08%。所写 4.08，应为 4.10。"), "{comments}");
    let body = zpcheck_testkit::part_of(&out, "word/document.xml").unwrap();
    // Only the claim is highlighted: its run split around it.
    assert!(
        body.contains("<w:commentRangeStart w:id=\"5\"/><w:r><w:rPr><w:highlight w:val=\"yellow\"/></w:rPr><w:t xml:space=\"preserve\">占总支出的 4.08%</w:t></w:r><w:commentRangeEnd w:id=\"5\"/>"),
        "{body}"
    );
    let types = zpcheck_testkit::part_of(&out, "[Content_Types].xml").unwrap();
    assert!(types.contains("/word/comments.xml"));
    let rels = zpcheck_testkit::part_of(&out, "word/_rels/document.xml.rels").unwrap();
    assert!(rels.contains("comments.xml"));
    // Checking the folder again passes the reviewed copy over.
    let o = run(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 1);
    assert_eq!(doc["skipped"][0]["path"], out.to_str().unwrap());
}

#[test]
fn a_report_is_paired_with_its_workbook_and_held_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("科技局报告.docx");
    std::fs::copy(sample("seed_kelamayi_2023_report.docx"), &report).unwrap();
    // The workbook beside it says the year's execution was 2143.94 (the report: 2134.94),
    // its parts adding to it.
    let mut spec = zpcheck_testkit::seed();
    spec.set("E5", zpcheck_testkit::n(2143.94));
    spec.set("E7", zpcheck_testkit::n(2131.94));
    spec.set("G5", zpcheck_testkit::n(100.05));
    spec.set("H5", zpcheck_testkit::n(10.0));
    let book = dir.path().join("自评表.xlsx");
    zpcheck_testkit::write_xlsx(&book, std::slice::from_ref(&spec));
    // Another unit's form is not paired with it.
    std::fs::copy(sample("national_clean.xlsx"), dir.path().join("其他.xlsx")).unwrap();
    let o = run(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let entry = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(".docx"))
        .unwrap();
    assert_eq!(entry["paired_with"], book.to_str().unwrap());
    let text: Vec<(&str, &str, &str, &str)> = entry["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == "text")
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["quote"].as_str().unwrap(),
                f["found"].as_str().unwrap(),
                f["expected"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        text,
        [
            (
                "ZP511",
                "全年实际支出资金 2134.94 万元",
                "2134.94",
                "2143.94"
            ),
            ("ZP511", "预算执行率为 99.63%", "99.63", "100.05"),
            ("ZP502", "占总支出的 4.08%", "4.08", "4.10"),
        ]
    );
    // (Its 执行率 over 100% gives the full execution score: 总分 100 exactly, as written.)
    let first = entry["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ZP511")
        .unwrap();
    assert_eq!(first["compared_with"]["sheet"], "部门整体支出绩效自评表");
    assert_eq!(first["compared_with"]["cell"], "E5");
    assert_eq!(first["compared_with"]["path"], book.to_str().unwrap());
    // The text report says the pair on the report's line.
    let o = run(&["check", dir.path().to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!(
            "；正文与工作簿 {} 的自评表配对核对",
            book.display()
        )),
        "{out}"
    );
    // The seed workbook itself agrees with the report: only the report's own findings.
    std::fs::copy(sample("seed_kelamayi_2023.xlsx"), &book).unwrap();
    let o = run(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let entry = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(".docx"))
        .unwrap();
    let rules: Vec<&str> = entry["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == "text")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["ZP502", "ZP519"]);
    // --pair pairs two files whatever their names.
    let other = dir.path().join("甲.xlsx");
    zpcheck_testkit::write_xlsx(&other, std::slice::from_ref(&spec));
    let o = run(&[
        "check",
        "--pair",
        "--format",
        "json",
        report.to_str().unwrap(),
        other.to_str().unwrap(),
    ]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"][0]["paired_with"], other.to_str().unwrap());
    let o = run(&["check", "--pair", report.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--pair 需要恰好两个文件"));
}

#[test]
fn a_report_several_workbooks_match_stays_unpaired_with_a_note() {
    let dir = folder_of(&[
        ("seed_kelamayi_2023_report.docx", "报告.docx"),
        ("seed_kelamayi_2023.xlsx", "表一.xlsx"),
        ("seed_kelamayi_2023.xlsx", "表二.xlsx"),
    ]);
    let o = run(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let entry = &doc["files"][0];
    assert!(entry["path"].as_str().unwrap().ends_with("报告.docx"));
    assert!(entry.get("paired_with").is_none());
    let note = entry["report"]["pair_note"].as_str().unwrap();
    assert!(note.starts_with("与多个工作簿名称相同"), "{note}");
    assert!(
        note.contains("表一.xlsx") && note.contains("表二.xlsx"),
        "{note}"
    );
}

#[test]
fn the_summary_and_explain_show_the_report() {
    use calamine::{Reader, open_workbook_auto};
    let dir = folder_of(&[
        ("seed_kelamayi_2023_report.docx", "报告.docx"),
        ("seed_kelamayi_2023.xlsx", "自评表.xlsx"),
    ]);
    let summary = dir.path().join("汇总.xlsx");
    let o = run(&[
        "check",
        "--summary",
        summary.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let mut wb = open_workbook_auto(&summary).unwrap();
    let names = wb.sheet_names().to_vec();
    let rows = |wb: &mut calamine::Sheets<_>, name: &str| -> Vec<Vec<String>> {
        wb.worksheet_range(name)
            .unwrap()
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let forms = rows(&mut wb, &names[0]);
    let report_row = forms
        .iter()
        .find(|r| r.get(1).is_some_and(|s| s == "正文（自评报告）"))
        .expect("the report's row");
    assert_eq!(report_row[5], "2023");
    assert_eq!(
        report_row[13], "1",
        "one error in the narrative: {report_row:?}"
    );
    assert!(
        report_row[15].starts_with("自评报告：读出数字 140 个，表1为自评表；与 "),
        "{report_row:?}"
    );
    let all = names
        .iter()
        .find(|n| n.as_str() == "全部问题")
        .unwrap()
        .clone();
    let findings = rows(&mut wb, &all);
    let share = findings
        .iter()
        .find(|r| r.get(3).is_some_and(|s| s.starts_with("ZP502")))
        .expect("the share's row");
    assert_eq!(&share[1..3], ["正文", "第 69 段"]);
    assert_eq!(share[8], "否");
    // explain: which table was taken, which paragraph gave which figure.
    let o = run(&[
        "explain",
        sample("seed_kelamayi_2023_report.docx").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("  表格：表1（自评表）\n  正文按表1核对\n"),
        "{text}"
    );
    assert!(
        text.contains("；“占总支出的 4.08%”= 4.08 百分比；"),
        "{text}"
    );
    assert!(
        text.contains("“对2022年度重新申报并通过认定的10家”= 10 个数，上年或其他年度，不比较"),
        "{text}"
    );
    let o = run(&[
        "explain",
        "--format",
        "json",
        sample("seed_kelamayi_2023_report.docx").to_str().unwrap(),
    ]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["report"]["form_table"], 1);
    assert_eq!(doc["report"]["tables"][0][1], true);
}

#[test]
fn a_project_reports_right_figures_stay_quiet_and_wrong_ones_are_found() {
    let report = |extra: &[&str]| {
        let mut blocks = vec![
            Block::H(1, "某某县农村道路养护项目支出绩效自评报告".into()),
            para("（2023年度）"),
            para(
                "该项目年初预算 50 万元，全年预算 50 万元，实际支出 45.6 万元，预算执行率 91.2%。",
            ),
            para("预算7,800,000.00元，实际支出4,573,732.68元，节约3,226,267.32元。"),
            para(
                "本项目共设置三级指标12个，其中数量指标5个、质量指标3个、时效指标2个、成本指标2个。",
            ),
            para(
                "产出指标得分 48 分，效益指标得分 29 分，满意度指标得分 10 分，预算执行率得分 9.12 分，综合得分 96.12 分，评价等级为“优”。",
            ),
            para("其中人员经费 434.89 万元，占 54.42%。"),
            para(
                "年初预算 100 万元，调整后预算 120 万元，实际支出 96 万元，执行率 96%，结余 4 万元。",
            ),
            para(
                "指标1：道路养护里程，指标值：≥120公里，实际完成值：130公里，完成率108.33%，偏差率8.33%。",
            ),
            para("指标2：养护成本，指标值：≤2万元/公里，实际完成值：1.6万元/公里，完成率125%。"),
            para("同比上年度增加 12.5 万元，增长 20.5%。"),
        ];
        blocks.extend(extra.iter().map(|t| para(t)));
        check_blocks(&blocks)
    };
    assert_eq!(rows(&report(&[])), []);
    // One wrong figure each: found, with the value it should have.
    let c = report(&[
        "全年预算 80 万元，实际支出 60 万元，预算执行率 70%。",
        "本项目共设置三级指标10个，其中数量指标5个、质量指标3个、时效指标3个。",
        "综合得分 86.5 分，评价等级为“优”。",
        "预算 200 万元，实际支出 150 万元，结余 60 万元。",
    ]);
    assert_eq!(
        rows(&c),
        [
            row("ZP501", "第12段", "70", "75"),
            row("ZP503", "第13段", "10", "11"),
            row("ZP504", "第14段", "优", "良"),
            row("ZP508", "第15段", "60", "50"),
        ]
    );
}

#[test]
fn a_baseline_accepts_a_reports_text_findings_by_paragraph_and_claim() {
    let dir = tempfile::tempdir().unwrap();
    let report = sample("seed_kelamayi_2023_report.docx");
    let o = run(&["check", "--format", "json", report.to_str().unwrap()]);
    let baseline = dir.path().join("已确认.json");
    std::fs::write(&baseline, &o.stdout).unwrap();
    let o = run(&[
        "check",
        "--format",
        "json",
        "--baseline",
        baseline.to_str().unwrap(),
        report.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"][0]["suppressed"], 6);
    assert_eq!(doc["files"][0]["findings"].as_array().unwrap().len(), 0);
    // A claim written differently is a new claim: reported again.
    let edited = dir.path().join("seed_kelamayi_2023_report.docx");
    std::fs::write(
        &edited,
        docx_of(&replaced(
            &seed_report(),
            "占总支出的 4.08%",
            "占总支出的 4.09%",
        )),
    )
    .unwrap();
    let o = run(&[
        "check",
        "--format",
        "json",
        "--baseline",
        baseline.to_str().unwrap(),
        edited.to_str().unwrap(),
    ]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let left: Vec<&str> = doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["quote"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(left, ["占总支出的 4.09%"]);
}

#[test]
fn a_claim_repeating_a_wrong_table_figure_is_a_note_and_the_right_value_is_no_error() {
    // The report's table: its total row's 全年执行数 typed as 2143.94 (the parts add to
    // 2134.94: ZP101 in the table).
    let mut blocks = seed_report();
    if let Some(Block::T(spec)) = blocks.last_mut() {
        spec.set("E5", zpcheck_testkit::n(2143.94));
    }
    // One sentence repeats the table's wrong figure; the narrative's own 2134.94 is right.
    before_the_table(&mut blocks, &["2023年部门全年执行数为 2143.94 万元。"]);
    let c = check_blocks(&blocks);
    let all = rows(&c);
    assert!(
        all.contains(&row("ZP101", "表1!E5", "2143.94", "2134.94")),
        "{all:?}"
    );
    let text: Vec<_> = all.into_iter().filter(|r| r.1.starts_with('第')).collect();
    assert_eq!(
        text,
        [
            row("ZP502", "第69段", "4.08", "4.10"),
            row("ZP519", "第100段", "100", "99.96"),
            row("ZP520", "第109段", "2143.94", "2134.94"),
        ]
    );
    // The note is not counted: the report's errors are the table's and the share's.
    let f = c.findings().find(|f| f.rule == "ZP520").unwrap();
    assert_eq!(f.severity, zpcheck::Severity::Info);
    assert_eq!(f.text.as_ref().unwrap().compared_with, table_cell("E5"));
}

#[test]
fn a_report_as_libreoffice_writes_it_reads_the_same_and_its_reviewed_copy_keeps_its_text() {
    // The seed report saved by LibreOffice (docx → doc → docx): its own styles, run
    // properties, revision ids and table properties.
    let fixture = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seed_report_libreoffice.docx");
    let c = zpcheck::check_path(&fixture, &Profile::default()).unwrap();
    assert_eq!(rows(&c), seed_with(&[SEED_SHARE, SEED_SCORE]));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("核查.docx");
    let o = run(&[
        "fix",
        fixture.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (original, reviewed, _, _) = read_back(&fixture, &out);
    assert_eq!(reviewed.sheets[0].cells, original.sheets[0].cells);
    let comments = zpcheck_testkit::part_of(&out, "word/comments.xml").unwrap();
    assert_eq!(comments.matches("<w:comment ").count(), 6);
}
