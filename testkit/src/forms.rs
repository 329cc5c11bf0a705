//! The forms bundled in samples/ (see samples/README.md): the seed report's table, the
//! national template with planted errors and clean, a department form, Sichuan's operator
//! columns, a decorated and shifted copy and a placeholder-zero workbook.

use crate::spec::{SheetSpec, V, n, s, shifted};

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
