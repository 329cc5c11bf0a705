//! Test and sample support: a sheet described as rows of values plus merged ranges, written to
//! .xlsx with rust_xlsxwriter, and the four forms bundled in samples/ (see samples/README.md).
//! Used by the tests and by `cargo run --example make_samples`.
#![allow(dead_code)]

pub mod templates;

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook};

/// One cell of a spec.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// Nothing.
    E,
    /// Text.
    S(String),
    /// A number.
    N(f64),
    /// A fraction in a cell formatted 0.00%.
    P(f64),
    /// A formula (without "=") with its cached result.
    F(String, f64),
    /// A formula with no cached value (as openpyxl writes them).
    FNoCache(String),
}

/// Text cell.
pub fn s(t: &str) -> V {
    V::S(t.to_string())
}

/// Number cell.
pub fn n(x: f64) -> V {
    V::N(x)
}

/// A sheet: rows of cells and merged ranges ("A1:H1").
#[derive(Debug, Clone)]
pub struct SheetSpec {
    pub name: String,
    pub rows: Vec<Vec<V>>,
    pub merges: Vec<String>,
}

impl SheetSpec {
    pub fn new(name: &str) -> Self {
        SheetSpec {
            name: name.to_string(),
            rows: Vec::new(),
            merges: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn row(&mut self, cells: Vec<V>) -> &mut Self {
        self.rows.push(cells);
        self
    }

    /// Merges a range such as "A1:H1".
    pub fn merge(&mut self, range: &str) -> &mut Self {
        self.merges.push(range.to_string());
        self
    }

    /// Sets one cell by its A1 name.
    pub fn set(&mut self, a1: &str, v: V) -> &mut Self {
        let (r, c) = a1_pos(a1);
        while self.rows.len() <= r {
            self.rows.push(Vec::new());
        }
        let row = &mut self.rows[r];
        while row.len() <= c {
            row.push(V::E);
        }
        row[c] = v;
        self
    }

    /// The cell at an A1 name.
    pub fn get(&self, a1: &str) -> V {
        let (r, c) = a1_pos(a1);
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .cloned()
            .unwrap_or(V::E)
    }
}

/// Zero-based (row, col) of an A1 name.
pub fn a1_pos(a1: &str) -> (usize, usize) {
    let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row: usize = a1[letters.len()..].parse().expect("A1 row");
    let mut col = 0usize;
    for b in letters.bytes() {
        col = col * 26 + usize::from(b - b'A') + 1;
    }
    (row - 1, col - 1)
}

/// Writes sheets to an .xlsx file, with borders around each form's grid.
pub fn write_xlsx(path: &Path, sheets: &[SheetSpec]) {
    write_xlsx_with(path, sheets, |_| {});
}

/// Like [`write_xlsx`], then lets the caller add to each worksheet (notes, validation…).
pub fn write_xlsx_with(
    path: &Path,
    sheets: &[SheetSpec],
    extra: impl Fn(&mut rust_xlsxwriter::Worksheet),
) {
    write_xlsx_props(path, sheets, rust_xlsxwriter::DocProperties::new(), extra);
}

/// Like [`write_xlsx_with`], with document properties (title, author…).
pub fn write_xlsx_props(
    path: &Path,
    sheets: &[SheetSpec],
    props: rust_xlsxwriter::DocProperties,
    extra: impl Fn(&mut rust_xlsxwriter::Worksheet),
) {
    let mut wb = Workbook::new();
    // A fixed creation date keeps regenerated samples byte-for-byte the same.
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 4, 23).expect("date");
    wb.set_properties(&props.set_creation_datetime(&created));
    let base = Format::new()
        .set_font_name("宋体")
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let grid = base.clone().set_border(FormatBorder::Thin);
    let pct = grid.clone().set_num_format("0.00%");
    let title = Format::new()
        .set_font_name("宋体")
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center);
    for spec in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&spec.name).expect("sheet name");
        // Rows before the first header are title lines; everything after is the bordered grid.
        let first_grid = spec
            .rows
            .iter()
            .position(|r| {
                r.iter()
                    .any(|v| matches!(v, V::S(t) if t.contains("预算数") || t.contains("一级指标")))
            })
            .unwrap_or(0);
        let fmt_for = |r: usize, v: &V| -> Format {
            if r < first_grid {
                if matches!(v, V::S(t) if t.contains("自评表")) {
                    title.clone()
                } else {
                    base.clone()
                }
            } else if matches!(v, V::P(_)) {
                pct.clone()
            } else {
                grid.clone()
            }
        };
        for m in &spec.merges {
            let (a, b) = m.split_once(':').expect("range");
            let (r1, c1) = a1_pos(a);
            let (r2, c2) = a1_pos(b);
            let top = spec
                .rows
                .get(r1)
                .and_then(|row| row.get(c1))
                .cloned()
                .unwrap_or(V::E);
            let text = if let V::S(t) = &top {
                t.clone()
            } else {
                String::new()
            };
            ws.merge_range(
                r1 as u32,
                c1 as u16,
                r2 as u32,
                c2 as u16,
                &text,
                &fmt_for(r1, &top),
            )
            .expect("merge");
        }
        let merged_hidden = |r: usize, c: usize| {
            spec.merges.iter().any(|m| {
                let (a, b) = m.split_once(':').expect("range");
                let (r1, c1) = a1_pos(a);
                let (r2, c2) = a1_pos(b);
                r >= r1 && r <= r2 && c >= c1 && c <= c2 && (r, c) != (r1, c1)
            })
        };
        for (r, row) in spec.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if merged_hidden(r, c) {
                    continue;
                }
                let is_merge_top = spec
                    .merges
                    .iter()
                    .any(|m| a1_pos(m.split_once(':').expect("range").0) == (r, c));
                let f = fmt_for(r, v);
                let (r32, c16) = (r as u32, c as u16);
                match v {
                    V::E => {
                        if r >= first_grid && !is_merge_top {
                            ws.write_blank(r32, c16, &f).expect("blank");
                        }
                    }
                    V::S(t) => {
                        if !is_merge_top {
                            ws.write_string_with_format(r32, c16, t, &f)
                                .expect("string");
                        }
                    }
                    V::N(x) | V::P(x) => {
                        ws.write_number_with_format(r32, c16, *x, &f)
                            .expect("number");
                    }
                    V::F(formula, cached) => {
                        let fo = Formula::new(format!("={formula}")).set_result(cached.to_string());
                        ws.write_formula_with_format(r32, c16, fo, &f)
                            .expect("formula");
                    }
                    V::FNoCache(formula) => {
                        ws.write_formula_with_format(
                            r32,
                            c16,
                            Formula::new(format!("={formula}")),
                            &f,
                        )
                        .expect("formula");
                    }
                }
            }
        }
        let widths = [12.0, 14.0, 22.0, 12.0, 12.0, 10.0, 12.0, 10.0, 24.0];
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w).expect("width");
        }
        extra(ws);
    }
    wb.save(path).expect("save xlsx");
}

/// The seed: 克拉玛依区科学技术局 2023 部门整体支出绩效自评表, transcribed as printed
/// (errors included) from ../shared/seed/.
pub fn seed() -> SheetSpec {
    let mut sh = SheetSpec::new("部门整体支出绩效自评表");
    let e = || V::E;
    let dash = || s("—");
    sh.row(vec![s("部门整体支出绩效自评表")]).merge("A1:H1");
    sh.row(vec![s("（2023年度）")]).merge("A2:H2");
    sh.row(vec![
        s("部门（单位）名称（盖章）"),
        e(),
        s("克拉玛依区科学技术局"),
    ])
    .merge("A3:B3")
    .merge("C3:H3");
    sh.row(vec![
        s("部门资金（万元）"),
        s("资金来源"),
        s("年初预算数"),
        s("全年预算数"),
        s("全年执行数"),
        s("分值权重"),
        s("执行率"),
        s("得分"),
    ])
    .merge("A4:A8");
    sh.row(vec![
        e(),
        s("年度总资金"),
        n(1852.18),
        n(2142.94),
        n(2134.94),
        n(10.0),
        n(99.63),
        n(9.96),
    ]);
    sh.row(vec![
        e(),
        s("其中：上级安排（万元）"),
        n(0.0),
        n(0.0),
        n(0.0),
        dash(),
        dash(),
        dash(),
    ]);
    sh.row(vec![
        e(),
        s("本级安排（万元）"),
        n(1852.18),
        n(2122.94),
        n(2122.94),
        dash(),
        dash(),
        dash(),
    ]);
    sh.row(vec![
        e(),
        s("其他资金（万元）"),
        n(0.0),
        n(20.0),
        n(12.0),
        dash(),
        dash(),
        dash(),
    ]);
    sh.row(vec![
        s("年度总目标"),
        s("预期目标"),
        e(),
        e(),
        e(),
        s("实际完成情况"),
    ])
    .merge("A9:A10")
    .merge("B9:E9")
    .merge("F9:H9");
    sh.row(vec![
        e(),
        s("配套支持自治区重大科技项目，支持克拉玛依区科技创新中心、租赁科创大厦A座，培育和奖励高新技术企业，招标科技创新中心运营单位。"),
        e(),
        e(),
        e(),
        s("完成了委托众桥公司开展区级科技计划项目立项工作，拨付科技计划项目资金及科技项目委托管理费用105.6万元；拨付科技创新专项资金1230万元；向10家国家高新技术企业给予100万元资金支持；支付科创大厦A座租赁费用479万元；支付区科技创新中心运营服务费用42万元。"),
    ])
    .merge("B10:E10")
    .merge("F10:H10");
    sh.row(vec![
        s("一级指标"),
        s("二级指标"),
        s("三级指标"),
        s("指标值"),
        s("指标设定依据"),
        s("分值权重"),
        s("实际完成值"),
        s("得分"),
    ]);
    sh.row(vec![s("运行成本")]);
    sh.row(vec![s("管理效率")]);
    let plan = || s("2023年工作计划");
    sh.row(vec![
        s("履职效能"),
        s("数量指标"),
        s("配套支持自治区重大科技项目"),
        s(">=2 项"),
        plan(),
        n(20.0),
        s("2 项"),
        n(20.0),
    ])
    .merge("A14:A18")
    .merge("B14:B18");
    sh.row(vec![
        e(),
        e(),
        s("为克拉玛依区科技创新中心发展提供场地"),
        s("=1 个"),
        plan(),
        n(10.0),
        s("1 个"),
        n(20.0),
    ]);
    sh.row(vec![
        e(),
        e(),
        s("培育高新技术企业"),
        s(">=12 家"),
        plan(),
        n(20.0),
        s("25 家"),
        n(20.0),
    ]);
    sh.row(vec![
        e(),
        e(),
        s("奖励支持高新技术企业数量"),
        s(">=16 家"),
        plan(),
        n(20.0),
        s("26 家"),
        n(20.0),
    ]);
    sh.row(vec![
        e(),
        e(),
        s("招标克拉玛依区科技创新中心运营单位"),
        s("=1 家"),
        plan(),
        n(20.0),
        s("1家"),
        n(10.0),
    ]);
    sh.row(vec![s("社会效益")]);
    sh.row(vec![s("可持续发展能力")]);
    sh.row(vec![s("服务对象满意度"), s("满意度指标")]);
    sh
}

/// A national 项目支出绩效自评表 (财预〔2020〕10号 template) with planted errors:
/// a funding total row never summed (0/0/0 with its 执行率 and 得分 0), a met target scored
/// weight × B instead of full marks (19.6 of 20), 72.74% against 100% given full marks with
/// no reason, and a 总分 that adds the wrong scores.
pub fn national_errors() -> SheetSpec {
    let mut sh = national_clean();
    sh.name = "项目支出绩效自评表".into();
    sh.set("B3", s("乡镇环境监测站运行维护项目"));
    sh.set("C6", n(0.0)).set("D6", n(0.0)).set("E6", n(0.0));
    sh.set("G6", n(0.0)).set("H6", n(0.0));
    sh.set("C7", n(90.0))
        .set("D7", n(89.974))
        .set("E7", n(89.974));
    sh.set("C8", n(0.0)).set("D8", n(0.0)).set("E8", n(0.0));
    sh.set("H16", n(19.6));
    sh.set("F19", s("72.74%"))
        .set("H19", n(10.0))
        .set("I19", V::E);
    sh.set("H22", n(89.6));
    sh
}

/// A clean national 项目支出绩效自评表: totals summed by formulas with cached values, the rate
/// in a percent-formatted cell, weights 10 + 50 + 30 + 10, and a 总分 row and grade.
pub fn national_clean() -> SheetSpec {
    let mut sh = SheetSpec::new("项目支出绩效自评表");
    let e = || V::E;
    let dash = || s("—");
    sh.row(vec![s("项目支出绩效自评表")]).merge("A1:I1");
    sh.row(vec![s("（2022年度）")]).merge("A2:I2");
    sh.row(vec![s("项目名称"), s("城区空气质量监测项目")])
        .merge("B3:I3");
    sh.row(vec![
        s("主管部门"),
        s("区生态环境局"),
        e(),
        e(),
        e(),
        s("实施单位"),
        s("区环境监测站"),
    ])
    .merge("B4:E4")
    .merge("G4:I4");
    sh.row(vec![
        s("项目资金（万元）"),
        e(),
        s("年初预算数"),
        s("全年预算数"),
        s("全年执行数"),
        s("分值"),
        s("执行率"),
        s("得分"),
    ])
    .merge("A5:A9");
    sh.row(vec![
        e(),
        s("年度资金总额"),
        V::F("SUM(C7:C9)".into(), 90.0),
        V::F("SUM(D7:D9)".into(), 89.974),
        V::F("SUM(E7:E9)".into(), 89.974),
        n(10.0),
        V::P(1.0),
        n(10.0),
    ]);
    sh.row(vec![
        e(),
        s("其中：当年财政拨款"),
        n(80.0),
        n(79.974),
        n(79.974),
        dash(),
        dash(),
        dash(),
    ]);
    sh.row(vec![
        e(),
        s("上年结转资金"),
        n(10.0),
        n(10.0),
        n(10.0),
        dash(),
        dash(),
        dash(),
    ]);
    sh.row(vec![
        e(),
        s("其他资金"),
        n(0.0),
        n(0.0),
        n(0.0),
        dash(),
        dash(),
        dash(),
    ]);
    sh.row(vec![
        s("年度总体目标"),
        s("预期目标"),
        e(),
        e(),
        e(),
        s("实际完成情况"),
    ])
    .merge("A10:A11")
    .merge("B10:E10")
    .merge("F10:I10");
    sh.row(vec![
        e(),
        s("完成城区 20 个监测站点的运行维护，全年出具监测报告 12 份，数据有效率不低于 98%。"),
        e(),
        e(),
        e(),
        s("20 个站点全年正常运行，出具监测报告 12 份，数据有效率 98%，群众满意度 93%。"),
    ])
    .merge("B11:E11")
    .merge("F11:I11");
    sh.row(vec![
        s("绩效指标"),
        s("一级指标"),
        s("二级指标"),
        s("三级指标"),
        s("年度指标值"),
        s("实际完成值"),
        s("分值"),
        s("得分"),
        s("偏差原因分析及改进措施"),
    ])
    .merge("A12:A21");
    let ok = || s("无");
    sh.row(vec![
        e(),
        s("产出指标（50分）"),
        s("数量指标"),
        s("监测站点数量"),
        s("≥20个"),
        s("20个"),
        n(10.0),
        n(10.0),
        ok(),
    ])
    .merge("B13:B17")
    .merge("C13:C14");
    sh.row(vec![
        e(),
        e(),
        e(),
        s("监测报告份数"),
        s("≥12份"),
        s("12份"),
        n(10.0),
        n(10.0),
        ok(),
    ]);
    sh.row(vec![
        e(),
        e(),
        s("时效指标"),
        s("按时完成率"),
        s("100%"),
        s("100%"),
        n(5.0),
        n(5.0),
        ok(),
    ]);
    sh.row(vec![
        e(),
        e(),
        s("质量指标"),
        s("数据有效率"),
        s("≥98%"),
        s("98%"),
        n(20.0),
        n(20.0),
        ok(),
    ]);
    sh.row(vec![
        e(),
        e(),
        s("成本指标"),
        s("单站运维成本"),
        s("≤4.5万元"),
        s("4.4万元"),
        n(5.0),
        n(5.0),
        ok(),
    ]);
    sh.row(vec![
        e(),
        s("效益指标（30分）"),
        s("社会效益指标"),
        s("环境监测覆盖率"),
        s("≥90%"),
        s("95%"),
        n(10.0),
        n(10.0),
        ok(),
    ])
    .merge("B18:B20")
    .merge("C18:C19");
    sh.row(vec![
        e(),
        e(),
        e(),
        s("政府采购执行率"),
        s("100%"),
        s("100%"),
        n(10.0),
        n(10.0),
        ok(),
    ]);
    sh.row(vec![
        e(),
        e(),
        s("可持续影响指标"),
        s("监测体系运行机制"),
        s("健全"),
        s("基本健全"),
        n(10.0),
        n(7.0),
        s("个别站点值守制度待完善，下年度补充制度"),
    ]);
    sh.row(vec![
        e(),
        s("满意度指标（10分）"),
        s("服务对象满意度指标"),
        s("群众满意度"),
        s("≥90%"),
        s("93%"),
        n(10.0),
        n(10.0),
        ok(),
    ]);
    sh.row(vec![
        s("总分"),
        e(),
        e(),
        e(),
        e(),
        e(),
        n(100.0),
        V::F("H6+SUM(H13:H21)".into(), 97.0),
        e(),
    ])
    .merge("A22:F22");
    sh.row(vec![s("自评等级"), s("优")]).merge("B23:I23");
    sh
}

/// A clean 部门整体支出绩效自评表 in the seed's layout, with a 总分 row.
pub fn dept_clean() -> SheetSpec {
    let mut sh = seed();
    sh.name = "部门整体支出绩效自评表".into();
    sh.set("C3", s("某区文化和旅游局"));
    sh.set("A2", s("（2023年度）"));
    // 场地: full marks within its weight; 招标: met, full marks.
    sh.set("H15", n(10.0)).set("H18", n(20.0));
    // Targets met without far exceeding them.
    sh.set("G16", s("13 家")).set("G17", s("17 家"));
    sh.row(vec![
        s("总分"),
        V::E,
        V::E,
        V::E,
        V::E,
        n(100.0),
        V::E,
        n(99.96),
    ])
    .merge("A22:E22");
    sh
}

/// Writes specs to a fresh temporary folder and returns (folder, path of the workbook).
pub fn write_temp(sheets: &[SheetSpec]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("form.xlsx");
    write_xlsx(&path, sheets);
    (dir, path)
}

/// Checks one sheet spec with the given profile.
pub fn check_spec_with(spec: &SheetSpec, profile: &zpcheck::Profile) -> zpcheck::Checked {
    let (_dir, path) = write_temp(std::slice::from_ref(spec));
    zpcheck::check_path(&path, profile).expect("spec is a readable form")
}

/// Checks one sheet spec with the national rules.
pub fn check_spec(spec: &SheetSpec) -> zpcheck::Checked {
    check_spec_with(spec, &zpcheck::Profile::default())
}

/// Findings as (rule, cell, found, expected, fixed), for exact assertions.
pub fn rows(c: &zpcheck::Checked) -> Vec<(&'static str, String, String, String, bool)> {
    c.findings()
        .map(|f| {
            (
                f.rule,
                f.cell.to_string(),
                f.found.clone(),
                f.expected.clone(),
                f.fixed(),
            )
        })
        .collect()
}

/// The findings of one rule as (cell, found, expected, fixed).
pub fn of_rule(c: &zpcheck::Checked, rule: &str) -> Vec<(String, String, String, bool)> {
    c.findings()
        .filter(|f| f.rule == rule)
        .map(|f| {
            (
                f.cell.to_string(),
                f.found.clone(),
                f.expected.clone(),
                f.fixed(),
            )
        })
        .collect()
}

/// One expected finding row, written briefly.
pub fn row(
    rule: &'static str,
    cell: &str,
    found: &str,
    expected: &str,
    fixed: bool,
) -> (&'static str, String, String, String, bool) {
    (rule, cell.into(), found.into(), expected.into(), fixed)
}

/// One expected finding of a known rule, written briefly.
pub fn at(cell: &str, found: &str, expected: &str, fixed: bool) -> (String, String, String, bool) {
    (cell.into(), found.into(), expected.into(), fixed)
}

/// A Sichuan-style 项目支出绩效自评表: the operator in its own column (指标性质), a bare number
/// and a 度量单位 column, 预算执行率 before 权重, "/" markers, part rows whose 0 ÷ 0 rate is
/// printed 0.00%, a 原因 column in the funding block and a 合计 row.
pub fn sichuan() -> SheetSpec {
    let mut sh = SheetSpec::new("项目支出绩效自评表");
    let e = || V::E;
    let sl = || s("/");
    sh.row(vec![s("项目支出绩效自评表")]).merge("A1:K1");
    sh.row(vec![s("（2022年度）")]).merge("A2:K2");
    sh.row(vec![s("项目名称"), s("乡村振兴示范村建设项目")])
        .merge("B3:K3");
    sh.row(vec![
        s("主管部门及代码"),
        s("[101]某县农业农村局"),
        e(),
        e(),
        e(),
        e(),
        s("实施单位"),
        s("某县乡村振兴服务中心"),
    ])
    .merge("B4:F4")
    .merge("H4:K4");
    sh.row(vec![
        s("项目资金（万元）"),
        s("资金来源"),
        e(),
        s("年初预算数"),
        s("全年预算数（A）"),
        s("全年执行数（B）"),
        s("预算执行率（B/A）"),
        s("权重"),
        s("得分"),
        s("原因"),
    ])
    .merge("A5:A10")
    .merge("B5:C5")
    .merge("J5:K5");
    let part = |label: &str, a: f64, b: f64, c: f64, rate: f64| {
        vec![
            e(),
            s(label),
            e(),
            n(a),
            n(b),
            n(c),
            V::P(rate),
            sl(),
            sl(),
            e(),
        ]
    };
    sh.row(vec![
        e(),
        s("年度资金总额"),
        e(),
        n(200.0),
        n(210.0),
        n(199.5),
        V::P(0.95),
        n(10.0),
        n(9.5),
        s("部分工程款待结算"),
    ])
    .merge("B6:C6")
    .merge("J6:K6");
    sh.row(part("其中：财政资金", 200.0, 210.0, 199.5, 0.95))
        .merge("B7:C7")
        .merge("J7:K7");
    sh.row(part("财政专户管理资金", 0.0, 0.0, 0.0, 0.0))
        .merge("B8:C8")
        .merge("J8:K8");
    sh.row(part("单位资金", 0.0, 0.0, 0.0, 0.0))
        .merge("B9:C9")
        .merge("J9:K9");
    sh.row(part("其他资金", 0.0, 0.0, 0.0, 0.0))
        .merge("B10:C10")
        .merge("J10:K10");
    sh.row(vec![
        s("年度总体目标"),
        s("预期目标"),
        e(),
        e(),
        e(),
        e(),
        s("实际完成情况"),
    ])
    .merge("A11:A12")
    .merge("B11:F11")
    .merge("G11:K11");
    sh.row(vec![
        e(),
        s("建成示范村 5 个，培训农民 500 人次，带动村集体经济增收。"),
        e(),
        e(),
        e(),
        e(),
        s("建成示范村 5 个，培训农民 520 人次，村集体经济增收 4.5 万元。"),
    ])
    .merge("B12:F12")
    .merge("G12:K12");
    sh.row(vec![
        s("一级指标"),
        s("二级指标"),
        s("三级指标"),
        s("指标性质"),
        s("指标值"),
        s("度量单位"),
        s("实际完成值"),
        s("权重"),
        s("得分"),
        s("偏差原因分析及改进措施"),
    ])
    .merge("J13:K13");
    let ind = |l1: &str,
               l2: &str,
               name: &str,
               op: &str,
               target: V,
               unit: &str,
               actual: V,
               w: f64,
               score: f64,
               reason: &str| {
        vec![
            s(l1),
            s(l2),
            s(name),
            s(op),
            target,
            s(unit),
            actual,
            n(w),
            n(score),
            s(reason),
        ]
    };
    sh.row(ind(
        "产出指标",
        "数量指标",
        "建设示范村数量",
        "≥",
        n(5.0),
        "个",
        n(5.0),
        20.0,
        20.0,
        "",
    ))
    .merge("A14:A18")
    .merge("B14:B15");
    sh.row(ind(
        "",
        "",
        "培训农民人次",
        "≥",
        n(500.0),
        "人次",
        n(520.0),
        10.0,
        10.0,
        "",
    ));
    sh.row(ind(
        "",
        "质量指标",
        "工程验收合格率",
        "=",
        n(100.0),
        "%",
        n(100.0),
        10.0,
        10.0,
        "",
    ));
    sh.row(ind(
        "",
        "时效指标",
        "项目完成时间",
        "≤",
        n(12.0),
        "月",
        n(11.0),
        5.0,
        5.0,
        "",
    ));
    sh.row(ind(
        "",
        "成本指标",
        "每村补助标准",
        "≤",
        n(40.0),
        "万元",
        n(39.9),
        5.0,
        5.0,
        "",
    ));
    sh.row(ind(
        "效益指标",
        "经济效益指标",
        "村集体经济增收",
        "≥",
        n(5.0),
        "万元",
        n(4.5),
        10.0,
        9.0,
        "部分村产业项目投产推迟，下年加强跟踪",
    ))
    .merge("A19:A21");
    sh.row(ind(
        "",
        "社会效益指标",
        "受益农户数",
        "≥",
        n(300.0),
        "户",
        n(320.0),
        10.0,
        10.0,
        "",
    ));
    sh.row(ind(
        "",
        "可持续影响指标",
        "长效管护机制",
        "定性",
        s("健全"),
        "/",
        s("健全"),
        10.0,
        10.0,
        "",
    ));
    sh.row(ind(
        "满意度指标",
        "服务对象满意度指标",
        "受益群众满意度",
        "≥",
        n(90.0),
        "%",
        n(95.0),
        10.0,
        10.0,
        "",
    ));
    for r in 14..=22 {
        sh.merge(&format!("J{r}:K{r}"));
    }
    sh.row(vec![
        s("合计"),
        e(),
        e(),
        e(),
        e(),
        e(),
        e(),
        n(100.0),
        n(98.5),
        e(),
    ])
    .merge("A23:G23")
    .merge("J23:K23");
    sh
}

/// Moves every cell and merge of a spec down by `rows` and right by `cols`.
pub fn shifted(spec: &SheetSpec, rows: usize, cols: usize) -> SheetSpec {
    let mut out = SheetSpec::new(&spec.name);
    for _ in 0..rows {
        out.rows.push(Vec::new());
    }
    for r in &spec.rows {
        let mut row = vec![V::E; cols];
        row.extend(r.iter().cloned());
        out.rows.push(row);
    }
    let move_a1 = |a1: &str| {
        let (r, c) = a1_pos(a1);
        a1_name(r + rows, c + cols)
    };
    for m in &spec.merges {
        let (a, b) = m.split_once(':').expect("range");
        out.merges.push(format!("{}:{}", move_a1(a), move_a1(b)));
    }
    out
}

/// The A1 name of a zero-based position.
pub fn a1_name(row: usize, col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).expect("ascii"), row + 1)
}

/// The clean national form as real submissions decorate it: "附件2" and an empty line above the
/// title, the form starting at B4, labels with inner spaces and suffixes, full-width brackets,
/// digits and operators.
pub fn decorated() -> SheetSpec {
    let mut sh = shifted(&national_clean(), 3, 1);
    sh.name = "附件2".into();
    sh.set("A1", s("附件2"));
    sh.set("B4", s("项目支出绩效自评表（２０２２年度）"));
    // Header row of the funding block (row 5 of the original, now row 8 from column B).
    sh.set("D8", s("年 初 预 算 数"))
        .set("E8", s("全年预算数（Ａ）"))
        .set("F8", s("全年执行数（Ｂ）"))
        .set("G8", s("分 值"))
        .set("H8", s("执行率（B/A）"))
        .set("I8", s("得  分"));
    sh.set("C9", s("年度资金总额："));
    // Indicator header (row 12 → 15).
    sh.set("C15", s("一 级 指 标"))
        .set("D15", s("二级指标"))
        .set("E15", s("三级指标"))
        .set("F15", s("年度指标值（Ａ）"))
        .set("G15", s("实际完成值（Ｂ）"))
        .set("H15", s("分值（分）"))
        .set("I15", s("得分（分）"));
    sh.set("F16", s("＞＝２０个")).set("G16", s("２０个"));
    sh.set("F17", s("≧１２份"));
    sh.set("F19", s("≥９８％")).set("G19", s("９８％"));
    sh.set("F20", s("≤４．５万元"));
    sh.set("B25", s("总 分"));
    sh
}

/// The clean national form as writers of the XlsxWriter family save it when they do not compute
/// results: every formula's cached value is a placeholder 0 and the workbook asks for a full
/// recalculation on load (fullCalcOnLoad).
pub fn placeholder_zero() -> SheetSpec {
    let mut sh = national_clean();
    for (cell, f) in [
        ("C6", "SUM(C7:C9)"),
        ("D6", "SUM(D7:D9)"),
        ("E6", "SUM(E7:E9)"),
        ("H22", "H6+SUM(H13:H21)"),
    ] {
        sh.set(cell, V::FNoCache(f.into()));
    }
    sh.set("H6", V::FNoCache("ROUND(F6*MIN(E6/D6,1),2)".into()));
    sh
}

/// Writes a sheet as a minimal BIFF8 .xls whose text is stored as 8-bit GBK bytes, the way old
/// government systems' exporters write it, with the given CODEPAGE record (`None`: no record).
/// Merged ranges are written too; formulas are not.
pub fn write_gbk_xls(path: &Path, spec: &SheetSpec, codepage: Option<u16>) {
    use std::io::Write;
    fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }
    let gbk = |t: &str| encoding_rs::GBK.encode(t).0.into_owned();
    let bof = |dt: u16| {
        let mut d = Vec::new();
        d.extend_from_slice(&0x0600u16.to_le_bytes());
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&0x0DBBu16.to_le_bytes());
        d.extend_from_slice(&0x07CCu16.to_le_bytes());
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&6u32.to_le_bytes());
        d
    };
    let mut globals = Vec::new();
    rec(&mut globals, 0x0809, &bof(0x0005));
    if let Some(cp) = codepage {
        rec(&mut globals, 0x0042, &cp.to_le_bytes());
    }
    let name = gbk(&spec.name);
    // BoundSheet8: record header, offset, state, type, cch, flags, name; then EOF's header.
    let boundsheet_len = 4 + 4 + 1 + 1 + 1 + 1 + name.len();
    let sheet_offset = (globals.len() + boundsheet_len + 4) as u32;
    let mut bs = Vec::new();
    bs.extend_from_slice(&sheet_offset.to_le_bytes());
    bs.extend_from_slice(&[0, 0, name.len() as u8, 0]);
    bs.extend_from_slice(&name);
    rec(&mut globals, 0x0085, &bs);
    rec(&mut globals, 0x000A, &[]);
    assert_eq!(globals.len() as u32, sheet_offset);

    let mut sheet = Vec::new();
    rec(&mut sheet, 0x0809, &bof(0x0010));
    let cols = spec.rows.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let mut dim = Vec::new();
    dim.extend_from_slice(&0u32.to_le_bytes());
    dim.extend_from_slice(&(spec.rows.len() as u32).to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    dim.extend_from_slice(&cols.to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    rec(&mut sheet, 0x0200, &dim);
    for (r, row) in spec.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let mut d = Vec::new();
            d.extend_from_slice(&(r as u16).to_le_bytes());
            d.extend_from_slice(&(c as u16).to_le_bytes());
            d.extend_from_slice(&0u16.to_le_bytes());
            match v {
                V::S(t) => {
                    let bytes = gbk(t);
                    d.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
                    d.push(0);
                    d.extend_from_slice(&bytes);
                    rec(&mut sheet, 0x0204, &d);
                }
                V::N(x) | V::P(x) | V::F(_, x) => {
                    d.extend_from_slice(&x.to_le_bytes());
                    rec(&mut sheet, 0x0203, &d);
                }
                V::E | V::FNoCache(_) => {}
            }
        }
    }
    if !spec.merges.is_empty() {
        let mut d = Vec::new();
        d.extend_from_slice(&(spec.merges.len() as u16).to_le_bytes());
        for m in &spec.merges {
            let (a, b) = m.split_once(':').expect("range");
            let ((r1, c1), (r2, c2)) = (a1_pos(a), a1_pos(b));
            for x in [r1, r2, c1, c2] {
                d.extend_from_slice(&(x as u16).to_le_bytes());
            }
        }
        rec(&mut sheet, 0x00E5, &d);
    }
    rec(&mut sheet, 0x000A, &[]);

    let mut comp = cfb::create(path).expect("create cfb");
    let mut stream = comp.create_stream("/Workbook").expect("stream");
    stream.write_all(&globals).expect("globals");
    stream.write_all(&sheet).expect("sheet");
}

/// Copies the package at `input` to `output`, each part passed through `edit` (None drops
/// it), then `add`ed parts: for making inputs that no writer at hand makes.
pub fn rewrite_package(
    input: &Path,
    output: &Path,
    edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    add: &[(&str, &[u8])],
) {
    use std::io::{Read, Write};
    let mut z = zip::ZipArchive::new(std::fs::File::open(input).expect("input")).expect("zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(output).expect("output"));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let name = f.name().expect("name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if let Some(data) = edit(&name, data) {
            w.start_file(name, opts).expect("start");
            w.write_all(&data).expect("write");
        }
    }
    for (name, data) in add {
        w.start_file(*name, opts).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish");
}

/// Copies the package at `input` to `output` with one text part rewritten by `edit`.
pub fn rewrite_part(input: &Path, output: &Path, part: &str, edit: impl Fn(String) -> String) {
    rewrite_package(
        input,
        output,
        |name, data| {
            if name != part {
                return Some(data);
            }
            Some(edit(String::from_utf8(data).expect("text part")).into_bytes())
        },
        &[],
    );
}

/// The text of a part of a package.
pub fn part_of(path: &Path, name: &str) -> Option<String> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()?;
    let mut f = z.by_name(name).ok()?;
    let mut text = String::new();
    f.read_to_string(&mut text).ok()?;
    Some(text)
}

/// What a rebuilt workbook would be drawn with: a workbook read back with each cell's style
/// and each sheet's layout ([`zpcheck::read::Purpose::Rebuild`]).
pub fn looks(path: &Path) -> zpcheck::read::Fidelity {
    read_full(path).1
}

/// A workbook read with everything a rebuild needs: the grid and the fidelity bundle.
pub fn read_full(path: &Path) -> (zpcheck::read::Workbook, zpcheck::read::Fidelity) {
    let opts = zpcheck::read::ReadOptions::for_purpose(zpcheck::read::Purpose::Rebuild);
    let loaded = zpcheck::read::read_path_with(path, opts).expect("reads");
    let fidelity = loaded
        .fidelity
        .expect("a read for a rebuild keeps the looks");
    (loaded.workbook, fidelity)
}

/// Checks `input` and writes its corrected workbook to `out`, as `zpcheck fix` does.
pub fn fix_to(input: &Path, out: &Path) -> (zpcheck::Checked, zpcheck::write::WrittenBy) {
    let (checked, fidelity) =
        zpcheck::fix_path(input, &zpcheck::Profile::default()).expect("input reads");
    let by = zpcheck::write::write_corrected(&checked, &fidelity, input, out).expect("written");
    (checked, by)
}
