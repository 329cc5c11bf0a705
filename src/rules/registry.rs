//! The rule registry: one entry per rule with its code, severity, fix safety, title and its
//! documentation in ruff's shape — 检查什么 (what), 为什么 (why), 示例 (an example as a form
//! shows it) and 更正 (what zpcheck writes, and how sure it is). `zpcheck rules` lists them,
//! `zpcheck rules ZP204` shows one whole, and `zpcheck rules --format markdown` prints the
//! README's table (a test compares it row by row).
//!
//! Where a rule's threshold is a profile value (the qualitative bands, the far-above-target
//! ratio, the grade cut-offs), its text holds a placeholder that [`Rule::render`] fills from
//! the profile in force: `{达成}`, `{部分达成}`, `{远超}`, `{优}`, `{良}`, `{中}`.

use super::Profile;
use crate::finding::Severity;
use crate::num::fmt_dec;

/// Whether a rule's findings are corrected, in ruff's terms: a safe fix writes a value the
/// rules determine; a fix for review writes the most likely value where the rules leave a
/// choice (an officer should look at it); display only corrects nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixSafety {
    /// Corrected with the value the rules determine.
    Safe,
    /// Corrected with the most likely value where the rules leave a choice (ZP201's nearest
    /// bound, when the score cannot be computed): the rule table marks it 需复核.
    Review,
    /// Reported only.
    None,
}

impl FixSafety {
    /// What the rule table shows in its 可更正 column.
    pub fn label(self) -> &'static str {
        match self {
            FixSafety::Safe => "是",
            FixSafety::Review => "是（需复核）",
            FixSafety::None => "否",
        }
    }

    /// Whether findings of the rule may carry a correction.
    pub fn corrects(self) -> bool {
        self != FixSafety::None
    }
}

/// A rule's identity and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, used in reports and JSON.
    pub code: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// Whether zpcheck corrects what it finds, and how sure the correction is.
    pub fix: FixSafety,
    /// Whether a finding of this rule that is not itself corrected puts its cells in doubt
    /// (contradictions and impossible values: weights against 100, a group over its points, a
    /// blank where a number is needed, a value that is not a number, a wrong figure left as it
    /// is). No correction is written from a cell in doubt. Judgements and form warnings (far
    /// over target, a missing reason, a number stored as text) leave their cells trusted.
    pub doubts: bool,
    /// Short Chinese title.
    pub title: &'static str,
    /// 检查什么: what it checks, one line (with profile placeholders, see the module docs).
    pub doc: &'static str,
    /// 为什么: why it matters.
    pub why: &'static str,
    /// 示例: a case as a form shows it.
    pub example: &'static str,
    /// 更正: what zpcheck writes, or why it writes nothing.
    pub fix_doc: &'static str,
}

/// A rule's documentation with the profile's values filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    /// 检查什么.
    pub what: String,
    /// 为什么.
    pub why: String,
    /// 示例.
    pub example: String,
    /// 更正.
    pub fix: String,
}

impl Rule {
    /// What `zpcheck rules` and the README's table show of it: code, severity, whether
    /// zpcheck corrects it, title, and what it checks under `profile`.
    pub fn columns(&self, profile: &Profile) -> [String; 6] {
        [
            self.code.to_string(),
            self.severity.label().to_string(),
            self.fix.label().to_string(),
            self.doubt_label().to_string(),
            self.title.to_string(),
            fill(self.doc, profile),
        ]
    }

    /// What the rule table shows in its 致存疑 column: whether an uncorrected finding puts
    /// its cells in doubt.
    pub fn doubt_label(&self) -> &'static str {
        if self.doubts { "是" } else { "否" }
    }

    /// Its whole documentation under `profile`.
    pub fn render(&self, profile: &Profile) -> RuleDoc {
        RuleDoc {
            what: fill(self.doc, profile),
            why: fill(self.why, profile),
            example: fill(self.example, profile),
            fix: fill(self.fix_doc, profile),
        }
    }

    /// Its whole documentation as text: title line, then 检查什么 / 为什么 / 示例 / 更正.
    pub fn text(&self, profile: &Profile) -> String {
        let d = self.render(profile);
        format!(
            "{} {}（{}，可更正：{}，未更正时其单元格存疑：{}）\n检查什么：{}\n为什么：{}\n示例：{}\nzpcheck 的处理：{}\n",
            self.code,
            self.title,
            self.severity.label(),
            self.fix.label(),
            self.doubt_label(),
            d.what,
            d.why,
            d.example,
            d.fix
        )
    }
}

/// A share of 1 as a percentage without trailing zeros (0.8 → "80").
fn pct(share: rust_decimal::Decimal) -> String {
    fmt_dec(share * rust_decimal::Decimal::ONE_HUNDRED)
}

/// Fills the profile placeholders of a rule text.
fn fill(text: &str, p: &Profile) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    text.replace("{达成}", &pct(p.band_achieved))
        .replace("{部分达成}", &pct(p.band_partial))
        .replace("{远超}", &pct(p.far_above_target))
        .replace("{优}", &fmt_dec(p.grades.excellent))
        .replace("{良}", &fmt_dec(p.grades.good))
        .replace("{中}", &fmt_dec(p.grades.fair))
        .replace(
            "{执行率说明下限}",
            &p.platform
                .reason_below_rate
                .map_or("——本配置关闭".to_string(), |d| {
                    format!("{}%", fmt_dec(d))
                }),
        )
}

/// The rule table as the README shows it (Markdown: code, severity, whether corrected, title,
/// what and why), one row per rule in code order, with the values of `profile`;
/// `zpcheck rules --format markdown` prints it and a test compares the national one with the
/// README row by row.
pub fn markdown_table(profile: &Profile) -> String {
    let mut out = String::from(
        "| 规则 | 级别 | 可更正 | 致存疑 | 名称 | 检查什么、为什么 |\n|---|---|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!("| {} |\n", r.columns(profile).join(" | ")));
    }
    out
}

macro_rules! rules {
    ($($name:ident = $code:literal, $sev:ident, $fix:ident, $doubts:literal, $title:literal,
        what: $doc:literal, why: $why:literal, example: $example:literal, fix: $fix_doc:literal;)*) => {
        $(
            #[doc = $title]
            pub const $name: Rule = Rule {
                code: $code,
                severity: Severity::$sev,
                fix: FixSafety::$fix,
                doubts: $doubts,
                title: $title,
                doc: $doc,
                why: $why,
                example: $example,
                fix_doc: $fix_doc,
            };
        )*
        /// Every rule, in code order.
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    TEXT_NUMBER = "ZP001", Warning, Safe, false, "数值以文本形式存储",
        what: "金额、分值、得分单元格中的数字以文本形式存储（如 \"1,852.18\"、\"９５.５\"），zpcheck 按它所示的数核算，但其他软件求和时会漏算。",
        why: "Excel 的 SUM 跳过文本：合计行的公式会少算这一格，汇总到主管部门时金额对不上。",
        example: "D8 写作文本“1,852.18”（单元格左上角有绿色三角）。",
        fix: "把文本改为它所示的数字（“1,080”→ 1080；不改变所填的数），合计行的 SUM 公式因此保留并算出正确的和；同一单元格另有更正的，按那项更正。";
    UNREADABLE_NUMBER = "ZP002", Warning, None, true, "无法识别的数值",
        what: "应为数字的单元格中是无法识别的文字，相关核算跳过，需人工核对。",
        why: "读不出数字就无法核算，zpcheck 不猜：依赖它的合计、执行率、得分都不核查、不更正。",
        example: "全年执行数写作“见附件”。",
        fix: "不更正：请填入数字后重新核查。";
    LOW_PRECISION = "ZP003", Warning, None, false, "未显示到两位小数",
        what: "执行率、得分按规则应保留两位小数；所示数字少于两位小数、但在其所示精度下正确（如 89.715% 写作 89.7%），不算算术错误，只提醒。",
        why: "自评表按两位小数汇总；少显示的小数在其精度下是对的，改写它会在部门的表里造出并不存在的差错。",
        example: "执行率 89.715% 显示为 89.7%。",
        fix: "不更正：只提醒按两位小数显示。";
    FORMULA_RANGE = "ZP004", Error, Safe, true, "合计公式求和范围有误",
        what: "合计、总分、分值合计的单元格是求和公式（SUM 或相加），加的却不是表中应加的各行：漏掉了某行、或多算了某行，算出的值因此有误。",
        why: "公式看上去没问题，数值却错了；只改数值不改公式，表再改动时又会算错。Excel 的“公式省略了相邻单元格”提示说的就是这种错误。",
        example: "合计 C6 的公式 =SUM(C7:C8) 漏掉了 C9。",
        fix: "把公式改为加表中应加的各单元格（=SUM(C7:C9)，原有的 ROUND 保留），并写入它算出的结果；只在新公式算出的值与更正值一致时才改。";
    PARTIAL = "ZP009", Warning, None, false, "表格未能完整识别",
        what: "表中有块、列或行未能识别（如指标块表头无法识别）：能核查的照常核查，依赖未识别部分的规则（尤其总分、等级和分值合计）不核查、不更正，并写明未识别的内容和查找的位置。",
        why: "从读了一半的表算出的总分会把正确的等级“更正”成错的：宁可少查，不可错改。",
        example: "指标块的表头写作“考核内容 / 完成值”，认不出哪一列是得分。",
        fix: "不更正；JSON 中该表为 \"complete\": false，文件状态为 partial。可用 --profile 补充表头用词。";
    NOT_COMPARED = "ZP010", Info, None, false, "数值未参与核对",
        what: "指标值或实际完成值中有数字，但 zpcheck 没能拿它比较（数字前后有不认识的词、另一边没有可比的数字、时限目标却没写完成时间……），该指标的得分因此没有按规则5/6核算。",
        why: "没有比较的数字不能悄悄略过：经办人和审核人要知道哪些指标 zpcheck 没有核算，才知道哪些需要人工看。",
        example: "指标值“最低15份”之外的写法如“争取15份”，实际值“完成10次”之外的写法如“开展10次左右活动”。",
        fix: "不更正：只在核查结果和 JSON 中列出（级别“提示”），不在表中标注，不影响文件状态、退出码和错误、警告计数；可用 --profile 补充运算符用词。";
    FUND_TOTAL = "ZP101", Error, Safe, true, "资金合计不等于分项之和",
        what: "规则1：年初预算数、全年预算数、全年执行数的合计行应等于各分项之和（空白和“—”按 0 计）；合计为 0 而分项不为 0 即“未求和”。",
        why: "执行率和执行率得分都从合计行算起，合计错了，后面全错。",
        example: "合计 95，分项 50 + 30 + 20 = 100；或公式 =SUM(C7:C8) 漏掉了 C9。",
        fix: "改为分项之和（确定的值）。单元格是公式的，保留公式、写入按更正值算出的结果；公式求和范围有误的改正公式（ZP004）。";
    RATE = "ZP102", Error, Safe, true, "执行率计算错误",
        what: "规则2：执行率 = 全年执行数 ÷ 全年预算数 × 100%，保留两位小数、四舍五入（31% 对 31.60% 为截断错误；空白也按错误填补）。",
        why: "执行率决定执行率得分，截断或抄错都会改变总分。",
        example: "执行数 31.6、预算数 100，执行率写作 31%，应为 31.60%。",
        fix: "改为按两位小数四舍五入的执行率，保持单元格原有的百分比或小数写法。";
    OVER_BUDGET = "ZP103", Warning, None, false, "执行数超过预算数",
        what: "规则2：全年执行数大于全年预算数（或无预算却有执行），需核实。",
        why: "超预算支出通常是填错了行或单位，也可能是确有调整，需人工判断。",
        example: "全年预算数 100，全年执行数 120。",
        fix: "不更正：执行率得分仍按不超过 100% 计。";
    EXEC_SCORE = "ZP104", Error, Safe, true, "执行率得分错误",
        what: "规则3：执行率得分 = 分值 × min(执行率, 100%)，不得超过分值。",
        why: "执行率得分计入总分，错一分就可能跨过等级线。",
        example: "分值 10、执行率 89.72%，得分写作 9，应为 8.97。",
        fix: "改为按规则算出的得分（两位小数）。";
    EXEC_WEIGHT_MISSING = "ZP105", Warning, None, true, "执行率分值未填写",
        what: "规则3：资金合计行未填写分值（通常为 10 分，有的省份为 20 分），无法核算执行率得分。",
        why: "分值因省而异，zpcheck 不猜。",
        example: "合计行“分值”一格空白，得分却写了 9。",
        fix: "不更正：请填入分值后重新核查。";
    SCORE_RANGE = "ZP201", Error, Review, true, "得分超出分值范围",
        what: "规则4：指标得分应在 0 与该指标分值之间；能按规则5/6计算的改为计算值，否则改为最接近的边界。",
        why: "超过分值或为负的得分一定错，并直接抬高或压低总分。",
        example: "分值 20 的指标得分 25。",
        fix: "能按规则5/6算出的改为算出的值（确定）；算不出的（定性指标）改为最接近的边界，须复核。";
    SCORE_FORWARD = "ZP202", Error, Safe, true, "正向指标得分错误",
        what: "规则5：“≥ / > / =”目标，实际值达到目标得满分，未达到得 分值 × 实际值 ÷ 目标值。",
        why: "达到目标却未给满分、或未达到却给了满分，是自评表最常见的得分错误。",
        example: "目标 ≥ 100 人，实际 120 人，分值 10，得分 9，应为 10。",
        fix: "改为算出的得分（两位小数）；目标或实际为约数（“200余人”）时只报告、不更正。";
    SCORE_REVERSE = "ZP203", Error, Safe, true, "反向指标得分错误",
        what: "规则6：“≤ / <”目标（成本、需压低的比率），实际值不超过目标得满分，超过得 分值 × 目标值 ÷ 实际值。",
        why: "成本类指标越低越好，按正向公式计分会把超支算成超额完成。",
        example: "目标 ≤ 50 万元，实际 60 万元，分值 10，得分 10，应为 8.33。",
        fix: "改为算出的得分（两位小数）；约数只报告、不更正。";
    FAR_ABOVE_TARGET = "ZP204", Warning, None, false, "远超目标仍得满分",
        what: "规则7：实际值远超目标（默认达到目标的 {远超}% 及以上）仍得满分，按规定目标设定偏低应酌情扣分，需人工判断。",
        why: "目标定得过低会让绩效评价失去意义，审核时常被指出。",
        example: "目标 ≥ 10 场，实际 30 场（300%），得满分 10。",
        fix: "不更正：是否扣分、扣多少由评价人判断。";
    QUALITATIVE_BAND = "ZP205", Warning, None, false, "定性指标得分不在区间",
        what: "规则8：定性指标按完成情况给分：达成 {达成}–100%、部分达成 {部分达成}–{达成}%、未达成 0–{部分达成}% 的分值。",
        why: "“达成”却只给一半分、或“未达成”给了满分，得分与自述的完成情况矛盾。",
        example: "实际写“达成”，分值 10，得分 5。",
        fix: "不更正：区间内给几分由评价人判断。";
    UNIT_WORD = "ZP206", Warning, None, false, "目标与实际单位用词不同",
        what: "规则9：目标与实际的计量单位用词不同但可比（如 个/家、万元/元），需核实。",
        why: "单位不一致时比较的可能不是同一件事；可换算的（万元/元）按换算后核算。",
        example: "目标 ≥ 5 个，实际 6 家。",
        fix: "不更正：得分照常按换算后的数值核算。";
    UNIT_MISMATCH = "ZP207", Error, None, true, "目标与实际单位不可比",
        what: "规则9：目标与实际的计量单位属于不同量纲（如 % 与 万元），无法核算得分。",
        why: "不同量纲无法比较，填写时多半错了列或单位。",
        example: "目标 ≥ 95%，实际 120 万元。",
        fix: "不更正：请改正单位后重新核查。";
    MISSING_REASON = "ZP208", Warning, None, false, "扣分未说明原因",
        what: "规则10：得分低于分值的指标应在“偏差原因分析及改进措施”栏说明原因。",
        why: "扣分而不说明原因，审核时会被退回。",
        example: "分值 10、得分 8，原因栏空白。",
        fix: "不更正：原因须由部门填写。";
    SCORE_MISSING = "ZP209", Error, None, true, "得分未填写",
        what: "规则4：指标的得分空白，又无法按规则自动计算（定性指标、实际值未填写、单位不可比、逾期的时限指标），需评价人填写；表中其他得分已填写。",
        why: "缺一项得分，总分就无从核算：zpcheck 不核算、不更正总分和等级，只给出已填得分之和（总分至少为多少）。",
        example: "“服务对象满意度 ≥ 90%”一行得分空白，实际写“基本满意”。",
        fix: "不更正：得分须由评价人填写；总分和等级也不更正，JSON 中 computed_total 为 null，computed_total_min 为已填得分之和。";
    DEADLINE_MISSED = "ZP210", Warning, None, false, "时限指标未按期完成",
        what: "规则9：时限目标（如“9月前”“2023年12月底前”）的实际完成时间晚于目标，得分需评价人按规定判断。",
        why: "时限不是数量，不能按 实际 ÷ 目标 计分；按期完成得满分，逾期扣多少由规定和评价人决定。",
        example: "目标“9月前”，实际“11月”，得满分 10。",
        fix: "不更正；按期完成而未给满分的，按规则5改为满分。";
    NOT_SCORED = "ZP211", Error, None, true, "未进行自评打分",
        what: "规则4、12：指标块的得分和总分全部空白：表未自评打分。只报告这一条，不逐格报告空白得分。",
        why: "没有打分的自评表不能上报；逐格报几十条“得分未填写”会淹没真正的问题，写入总分和等级则是替部门打分。",
        example: "各指标得分一列和总分一格都空白，目标、实际值已填写。",
        fix: "不更正：不写入任何得分、总分和等级；资金块照常核查和更正。";
    WEIGHT_SUM = "ZP301", Error, None, true, "分值合计不等于100",
        what: "规则11：执行率分值与全部指标分值之和应为 100（国家默认：执行率 10、产出 50、效益 30、满意度 10）。",
        why: "分值合计不是 100，总分就不是百分制，等级线失去意义。",
        example: "执行率 10、产出 50、效益 30、满意度 5：合计 95。",
        fix: "不更正：缺的分值该加在哪个指标上，只有部门知道。";
    TOTAL_WEIGHT = "ZP302", Error, Safe, true, "总分行分值错误",
        what: "规则11：总分行的分值应等于执行率分值与各指标分值之和。",
        why: "总分行的分值是合计，与各行不符说明漏加或多加了一行。",
        example: "各行分值合计 100，总分行分值写作 95。",
        fix: "改为各分值之和；表未能完整识别时不核查、不更正。";
    GROUP_WEIGHT = "ZP303", Error, None, true, "一级指标标注分值不符",
        what: "规则11：一级指标标注的分值（如“产出指标（50分）”）应等于其下各指标分值之和。",
        why: "标注的分值与其下各行不符，说明某行分值填错或标注过时。",
        example: "“产出指标（50分）”下各指标分值合计 45。",
        fix: "不更正：错在标注还是错在某一行，无法确定。";
    TOTAL_SCORE = "ZP304", Error, Safe, true, "总分错误",
        what: "规则12：总分 = 执行率得分 + 各指标得分之和（按更正后的得分）。",
        why: "总分决定等级，是审核看的第一个数。",
        example: "执行率得分 8.97 加各指标得分 82 应为 90.97，总分写作 88。",
        fix: "改为按更正后的得分算出的总分；表未能完整识别时不核查、不更正。";
    GRADE = "ZP305", Error, Safe, true, "等级错误",
        what: "规则13：优 ≥ {优}，良 {良}–<{优}，中 {中}–<{良}，差 < {中}。",
        why: "等级与总分不符，或总分更正后跨过了等级线。",
        example: "总分 90.97，等级写作“良”，应为“优”。",
        fix: "改为更正后总分对应的等级；表未能完整识别时不核查、不更正。";
    GROUP_SCORE = "ZP306", Error, None, true, "一级指标得分超过其分值",
        what: "规则4、11：没有分值列的表，一级指标标注的分值（如“产出指标（60分）”）是其下各指标得分之和的上限；几个指标合并共用一个分值单元格时，该分值是它们得分之和的上限。",
        why: "没有单个分值时，能核对的只有一组得分的上限。",
        example: "“产出指标（60分）”下各指标得分合计 62。",
        fix: "不更正：超出的分数该从哪个指标扣，无法确定。";
    SCALED_SCORE = "ZP311", Error, Safe, true, "折算得分错误",
        what: "派生列：有“权重占比”“折算得分”列的表（河北等），折算得分 = 单项指标得分 × 权重占比，各折算得分之和（加执行率得分）为总分。",
        why: "总分由折算得分相加：乘错一格，总分和等级就跟着错。",
        example: "单项指标得分 90、权重占比 20%，折算得分写作 19，应为 18。",
        fix: "按 单项指标得分 × 权重占比 改写（保留两位小数，按该格显示的精度）；得分或权重占比存疑时只报告，不改写。总分按更正后的折算得分核算。";
    SHARE_SUM = "ZP312", Error, None, true, "权重占比合计不等于100%",
        what: "派生列：各指标的权重占比之和应为 100%（资金块另有执行率分值时，为 100% 减去执行率分值所占的百分比）。",
        why: "权重占比是各指标在总分中的份量，合计不对，折算得分就不能加成总分。",
        example: "执行率分值 10，各指标权重占比合计 85%，应为 90%。",
        fix: "不更正：哪一项占比写错无法确定；各权重占比存疑，由它们算出的折算得分不改写。";
    SCORE_RATIO = "ZP313", Error, Safe, true, "得分系数错误",
        what: "派生列：得分系数 = 指标得分 ÷ 分值（重庆等，按百分数或小数显示）；按更正后的得分核算。",
        why: "得分系数是审核人员看扣分多少的依据，与得分不一致就互相矛盾。",
        example: "分值 10、得分 8，得分系数写作 85%，应为 80%。",
        fix: "按 得分 ÷ 分值 改写，保留该格的写法（百分比格式、带 % 的文字或百分数）；小数与百分数读不准的普通数字只报告，不改写。";
    COMPLETION_RATE = "ZP314", Error, Safe, true, "完成率错误",
        what: "分析列：指标的完成率 = 实际值 ÷ 指标值（“≤ / <”的反向指标为 指标值 ÷ 实际值），单位先统一；指标值为 0 的没有完成率。",
        why: "完成率是得分的依据，算错会让人误判指标是否达成。",
        example: "指标值 ≥ 50 个、实际 45 个，完成率写作 95%，应为 90%。",
        fix: "按实际值 ÷ 指标值改写，保留该格的写法；指标值或实际值为约数、小数与百分数读不准的普通数字只报告，不改写。";
    DEVIATION_RATE = "ZP315", Error, Safe, true, "偏差率错误",
        what: "分析列：偏差率 = 完成率 − 100%（按 实际值、指标值 算出的完成率；算不出时按表中核对无误的完成率）。",
        why: "偏差率与完成率互相推得：两者不一致，至少一个是错的。",
        example: "完成率 90%，偏差率写作 10%，应为 −10%。",
        fix: "按 完成率 − 100% 改写，保留该格的写法；依据的完成率存疑时只报告。";
    SCORE_CAP = "ZP401", Error, None, false, "总分超过执行率对应的上限",
        what: "平台规则（省级配置开启）：执行率低于某一档时总分有上限（如某省平台：执行率低于 80% 至多 89 分，低于 70% 至多 79 分，低于 60% 至多 69 分，低于 50% 至多 59 分）；国家默认关闭。",
        why: "资金没花出去，绩效就不能评得太高：这是省级平台的硬规定，超过上限的总分会被退回。",
        example: "执行率 75%，总分 95；该省规定至多 89 分。",
        fix: "不更正：上限是对所填事实的判断，只报告按规定总分至多多少；下调哪些指标的得分由评价人确定。";
    DEVIATION_DEDUCTION = "ZP402", Warning, None, false, "指标偏离应扣分",
        what: "平台规则（省级配置开启）：实际值超过指标值达到规定比例（如 30%）及以上，说明目标设定偏低，按规定扣分（如 2 分）；国家默认关闭。",
        why: "目标定得太低、完成得太容易，满分就名不副实；有的省把这条写进了平台。",
        example: "指标值 ≥ 100 家，实际 140 家，得满分 10；该省规定偏离 30% 及以上扣 2 分：至多 8 分。",
        fix: "不更正：只报告扣分后的得分上限，由评价人确认。";
    NOT_APPLICABLE = "ZP403", Warning, None, false, "不适用指标未按规定折算",
        what: "平台规则（省级配置开启）：标为“不适用”的指标不计分，其余指标（连同执行率得分）按 100 分折算：总分 = 其余得分之和 × 100 ÷ (100 − 不适用指标的分值)；国家默认关闭。",
        why: "不适用的指标若按 0 分计，总分会被无故拉低；若直接不计，满分就不是 100。",
        example: "一个 10 分的指标不适用，其余得分合计 85：总分应为 85 × 100 ÷ 90 = 94.44。",
        fix: "不更正：只报告折算后的总分。";
    NEEDS_RATE_REASON = "ZP404", Warning, None, false, "执行率偏低未说明原因",
        what: "平台规则（国家默认开启，下限 {执行率说明下限}）：执行率低于该下限时，表中（目标完成情况、偏差原因、评价结论）应说明资金执行偏低的原因（既提到资金执行、又说明原因的一段文字）。",
        why: "四川等地的表注要求执行率低于 90% 的说明原因；没有说明的表会被退回补充。",
        example: "执行率 85.00%，偏差原因一栏全部空白。",
        fix: "不更正：原因只有填表人知道。";
    NEEDS_ADJUST_REASON = "ZP405", Warning, None, false, "年中调整未说明原因",
        what: "平台规则（省级配置开启；国家模板没有写调整原因的栏目，默认关闭）：全年预算数与年初预算数不同（年中追加或调减）时，表中应说明调整的原因（提到调整、追加、调减等的一段文字）。",
        why: "预算调整是审核的重点：调整后执行率看起来更高，调整的理由要写清楚。",
        example: "年初预算 100 万元，全年预算 150 万元，表中没有提到追加的原因。",
        fix: "不更正：原因只有填表人知道。";
    NEEDS_CONCLUSION = "ZP406", Warning, None, false, "评价结论未填写或未写明总分",
        what: "平台规则（国家默认开启）：表中有“评价结论”（自评结论）一栏时，它应已填写、不是模板的说明文字（“请填写…”“简要说明…”），并写明总分（按所写的小数位与总分相符）。",
        why: "评价结论是表的结论：空着、照抄模板说明或不写总分的，审核时都会被退回。",
        example: "评价结论一栏写着“（简要说明项目绩效目标完成情况）”。",
        fix: "不更正：结论由评价人撰写。";
    TEXT_RATE = "ZP501", Error, None, false, "报告中的执行率与所述金额不符",
        what: "自评报告正文写的执行率（执行数 ÷ 预算数）、调整率（调整数 ÷ 年初预算数）与同一句或上一句所写的金额算出的不符（按所写的小数位四舍五入比较；预算为 0 的 0 ÷ 0 不核）。",
        why: "报告的读者不会去翻表：正文里的执行率错了，结论就错了。",
        example: "“全年预算数 2142.94 万元……全年实际支出 2134.94 万元，预算执行率为 99.36%”，应为 99.63%。",
        fix: "不更正：报告的文字是作者的，zpcheck 只指出（在 _核查.docx 中加批注）。";
    TEXT_SHARE = "ZP502", Error, None, false, "报告中的占比与所述金额不符",
        what: "“占总支出的 …%”应等于该项金额 ÷ 总支出（总支出取正文所写部门整体的全年实际支出，没有时取表中合计行的全年执行数），按所写的小数位比较。",
        why: "占比是读者比较基本支出和项目支出的依据，算错就误导。",
        example: "基本支出 87.55 万元“占总支出的 4.08%”，总支出 2134.94 万元，应为 4.10%。",
        fix: "不更正：只指出应为多少。";
    TEXT_PARTS = "ZP503", Error, None, false, "报告中“其中”各项之和不等于总数",
        what: "“其中：”后列出的两项及以上金额（或个数）之和应等于其前面的总数（同一句或上一句的最后一个同单位的数）；只列一项的不核（可能只是部分）。",
        why: "分项对不上总数，说明抄错了一个数或漏了一项。",
        example: "“全年预算数为 2142.94 万元，其中：上级安排 0 万元，本级安排 2122.94 万元，其他资金 10 万元”：各项之和 2132.94。",
        fix: "不更正：错在总数还是某一项，无法确定。";
    TEXT_GRADE = "ZP504", Error, None, false, "报告中的等级与所写得分不符",
        what: "正文写的综合得分与评价等级（优 ≥ {优}，良 {良}–<{优}，中 {中}–<{良}，差 < {中}）应相符。",
        why: "等级是结论，得分是依据：两者自相矛盾，结论不可信。",
        example: "“自评综合得分 88 分，评价结果为“优””，88 分应为“良”。",
        fix: "不更正：错在得分还是等级，需作者确认。";
    TEXT_COMPLETION = "ZP505", Error, None, false, "报告中的指标完成率、偏差率算错",
        what: "正文写某指标“指标值 …，完成值 …，完成率 …%，偏差率 …%”时：完成率 = 实际 ÷ 目标（≤、< 的反向指标为 目标 ÷ 实际），偏差率 = 完成率 − 100%；有“年中监控完成值”和“自评完成值”两个实际值时按自评完成值。",
        why: "完成率、偏差率是说明偏差原因的依据，算错就解释了并不存在的偏差。",
        example: "“指标值：>=12家……自评完成值：25家，指标完成率 280.33%”，应为 208.33%。",
        fix: "不更正：只指出应为多少。";
    TEXT_PRICE = "ZP506", Error, None, false, "报告中单价 × 数量不等于总额",
        what: "同一句中写了单价（“每家10万元”“10万元/家”）、数量（“10家”）和金额时，单价 × 数量应等于其中一个金额。",
        why: "奖补资金按标准乘数量拨付，对不上说明数量或金额写错了。",
        example: "“计划投入 120 万元，对 10 家企业给予每家 10 万元的资金支持”：10 × 10 = 100 万元。",
        fix: "不更正：错在单价、数量还是金额，无法确定。";
    TEXT_DAYS = "ZP507", Error, None, false, "报告中的日期区间与天数不符",
        what: "同一段中写了日期区间（“2023.1.19-8.16”“2023年1月19日至8月16日”）和天数（“210天”）时，天数应等于区间的天数（算头算尾或只算一头都算对）。",
        why: "租金、补贴按天计算，天数错了金额就可能错。",
        example: "“2023.1.19-8.16 的租赁费用……（220天）”，应为 210 天（算头算尾）或 209 天。",
        fix: "不更正：只指出应为多少。";
    TEXT_SUM = "ZP508", Error, None, false, "报告中金额的加减不符",
        what: "同一句中的 年初预算数 + 年中调整数 = 调整后全年预算数；预算数 − 实际支出 = 节约（结余）数。",
        why: "调整前后、预算与支出之间的差额是读者最先核对的数。",
        example: "“年初批复预算数 1852.18 万元，年中调整数 290.76 万元，调整后全年预算数 2152.94 万元”：应为 2142.94。",
        fix: "不更正：错在哪个数，无法确定。";
    TEXT_FUNDS_VS_TABLE = "ZP511", Error, None, false, "报告中的资金数与自评表不符",
        what: "正文写部门（项目）整体的年初预算数、全年预算数、全年执行数、执行率时，应与自评表合计行相同（按所写的小数位比较；基本支出、项目支出、三公经费等另有主语的句子，上年或其他年度的数，不比较）。",
        why: "报告和表是同一次自评，审核人员会逐一核对两者。",
        example: "正文“全年实际支出资金 2134.94 万元”，表中全年执行数 2143.94。",
        fix: "不更正：表里的数错了的（表有错误），正文照抄的只作提示并指向表中的错误；正文写对的不算错。";
    TEXT_SCORE_VS_TABLE = "ZP512", Error, None, false, "报告中的总分或等级与自评表不符",
        what: "正文写的综合得分应等于自评表按规则核算的总分（按所写的小数位比较：99.96 写作“100 分”只作提示），所写等级应为按未四舍五入的总分判定的等级（89.6 写作“90分，优”是错的）。",
        why: "总分和等级是自评的结论，报告与表不能各说各的。",
        example: "表中核算总分 89.6，正文“综合得分 90 分，评价结果为优”：等级应为良。",
        fix: "不更正：表的总分错了的，以核算总分为准；正文照抄表中错误总分的只作提示。";
    TEXT_COUNT_VS_TABLE = "ZP513", Error, None, false, "报告中的指标个数与自评表不符",
        what: "正文写的一级、二级、三级指标个数应与自评表指标块中实际有指标的一级、二级指标和三级指标行数相同（表未能完整识别时不比较）。",
        why: "个数对不上，说明报告描述的不是这张表，或表漏填了指标。",
        example: "正文“三级指标 6 个”，表中三级指标 5 行。",
        fix: "不更正：只指出表中的个数。";
    TEXT_INDICATOR_VS_TABLE = "ZP514", Error, None, false, "报告中的指标值、完成值与自评表不符",
        what: "正文写某指标（按三级指标名称对应）的指标值或自评完成值时，其中的数应与自评表该行的指标值、实际完成值相同。",
        why: "正文说明偏差原因依据的是这两个数，和表不一致就无从判断。",
        example: "正文“指标③：培育高新技术企业……自评完成值：25家”，表中实际完成值 23 家。",
        fix: "不更正：只指出表中的值。";
    TEXT_APPROX = "ZP519", Info, None, false, "报告中的约数",
        what: "正文所写的数按其所写的精度与应有的数相符，但不是精确值（如核算总分 99.96 写作“100 分”，479.73 万元写作“479 万元”）：只作提示。",
        why: "约数不是错误，但审核人员应知道报告与表并非逐位相同。",
        example: "表中核算总分 99.96，正文“综合得分 100 分”。",
        fix: "不更正：只在核查结果和 JSON 中列出（级别“提示”），不影响文件状态和退出码。";
    TEXT_REPEATS_TABLE_ERROR = "ZP520", Info, None, false, "报告照抄了表中有误的数",
        what: "正文所写的数与自评表中的数相同，但表中那个数本身有误（见表中的错误）：报告应随表一并改正；这不算第二个错误。",
        why: "同一个错误只算一次，但改表时不要忘了改报告。",
        example: "表中总分 95（核算应为 93.5，ZP304），正文“综合得分 95 分”。",
        fix: "不更正：只指向表中的错误。";
}

/// Looks a rule up by its code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        for w in RULES.windows(2) {
            assert!(w[0].code < w[1].code, "{} !< {}", w[0].code, w[1].code);
        }
        assert_eq!(rule("ZP201").map(|r| r.title), Some("得分超出分值范围"));
        // ZP201's nearest bound is a guess; fourteen rules write values the rules determine.
        assert_eq!(rule("ZP201").map(|r| r.fix), Some(FixSafety::Review));
        let safe: Vec<&str> = RULES
            .iter()
            .filter(|r| r.fix == FixSafety::Safe)
            .map(|r| r.code)
            .collect();
        assert_eq!(
            safe,
            [
                "ZP001", "ZP004", "ZP101", "ZP102", "ZP104", "ZP202", "ZP203", "ZP302", "ZP304",
                "ZP305", "ZP311", "ZP313", "ZP314", "ZP315"
            ]
        );
        assert!(rule("ZP999").is_none());
    }

    #[test]
    fn every_rule_is_documented_whole() {
        for r in RULES {
            for (part, text) in [
                ("what", r.doc),
                ("why", r.why),
                ("example", r.example),
                ("fix", r.fix_doc),
            ] {
                assert!(text.chars().count() >= 8, "{} {part}", r.code);
            }
            // What the fix text says agrees with the fix safety.
            assert_eq!(
                r.fix_doc.starts_with("不更正"),
                r.fix == FixSafety::None,
                "{}",
                r.code
            );
        }
    }

    #[test]
    fn docs_show_the_values_of_the_profile_in_force() {
        let national = Profile::default();
        let band = QUALITATIVE_BAND.render(&national).what;
        assert!(
            band.contains("达成 80–100%、部分达成 60–80%、未达成 0–60%"),
            "{band}"
        );
        assert_eq!(
            GRADE.render(&national).what,
            "规则13：优 ≥ 90，良 80–<90，中 60–<80，差 < 60。"
        );
        let mut hubei = national.clone();
        hubei.band_partial = rust_decimal::Decimal::new(5, 1);
        hubei.far_above_target = rust_decimal::Decimal::new(2, 0);
        hubei.grades.excellent = rust_decimal::Decimal::from(85);
        let band = QUALITATIVE_BAND.render(&hubei).what;
        assert!(band.contains("部分达成 50–80%、未达成 0–50%"), "{band}");
        assert!(
            FAR_ABOVE_TARGET
                .render(&hubei)
                .what
                .contains("达到目标的 200% 及以上")
        );
        assert!(
            GRADE
                .render(&hubei)
                .what
                .starts_with("规则13：优 ≥ 85，良 80–<85")
        );
        // No placeholder is left in any text.
        for r in RULES {
            let d = r.render(&hubei);
            for t in [&d.what, &d.why, &d.example, &d.fix] {
                assert!(!t.contains('{'), "{}: {t}", r.code);
            }
        }
    }
}
