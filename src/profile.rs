//! Rule profiles: the national rules and recognition vocabulary (`profiles/national.toml`,
//! embedded at build time), and a provincial file given with `--profile` that names only what
//! differs. Numbers replace the national values; word lists are added to the national ones.
//! Keys may be written in Chinese or English, shares as fractions (0.5) or percentages (50):
//!
//! ```toml
//! "名称" = "湖北"
//! "部分达成下限" = 50      # qualitative 部分达成 band starts at 50% of the weight (national: 60)
//! ["等级"]
//! "优" = 85                # grade cut-offs (national: 90 / 80 / 60)
//! ["表头"]
//! "实际完成值" = ["考核结果"]   # one more header word for the actual column
//! ```
//!
//! The file is walked key by key rather than deserialised, so that an unknown key or a wrong
//! value gets a Chinese message naming the key and the keys allowed there.

use std::path::Path;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use toml::{Table, Value};

use crate::num::{Op, dec_from_f64};
use crate::vocab::{Role, Vocab};

/// Grade cut-offs: the lowest 总分 of each grade (rule 13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grades {
    /// 优 from this 总分 on (90).
    pub excellent: Decimal,
    /// 良 from this 总分 on (80).
    pub good: Decimal,
    /// 中 from this 总分 on (60); below it 差.
    pub fair: Decimal,
}

impl Default for Grades {
    fn default() -> Self {
        Grades {
            excellent: Decimal::from(90),
            good: Decimal::from(80),
            fair: Decimal::from(60),
        }
    }
}

impl Grades {
    /// The grade of a 总分.
    pub fn of(&self, total: Decimal) -> &'static str {
        if total >= self.excellent {
            "优"
        } else if total >= self.good {
            "良"
        } else if total >= self.fair {
            "中"
        } else {
            "差"
        }
    }
}

/// Provincial variants of the rules and the recognition vocabulary. The default is the
/// national profile, `profiles/national.toml` (see [`crate::profile`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The profile's name ("国家" for the default).
    pub name: String,
    /// Lower edge of the 达成 band, as a share of the weight (0.8).
    pub band_achieved: Decimal,
    /// Lower edge of the 部分达成 band (0.6; Hubei uses 0.5).
    pub band_partial: Decimal,
    /// Actual ÷ target at or above which full marks draw a warning (1.5).
    pub far_above_target: Decimal,
    /// Grade cut-offs.
    pub grades: Grades,
    /// The words forms are recognised by.
    pub vocab: crate::vocab::Vocab,
    /// Rules a provincial platform or its guidance states (ZP401–ZP406).
    pub platform: Platform,
}

/// Rules stated by provincial platforms and guidance, each a rule of its own (ZP401–ZP406).
/// The national profile turns on only the checks that ask for words (a reason for a low
/// 执行率 or a 年中调整, a 评价结论 that states the 总分); caps, the 指标偏离 deduction and the
/// 不适用 rescaling are off until a provincial profile gives its values. Caps, deductions and
/// rescaling are judgements on entered facts: they are reported with the value they give and
/// never written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Platform {
    /// An 执行率 below this (percent) needs a reason (ZP404); `None` is off.
    pub reason_below_rate: Option<Decimal>,
    /// A 年中调整 (全年预算数 ≠ 年初预算数) needs a reason (ZP405).
    pub reason_for_adjustment: bool,
    /// The 评价结论, when the form has one, is filled, is not the template's instruction text
    /// and states the 总分 (ZP406).
    pub conclusion: bool,
    /// 总分 caps by 执行率: (rate below this percent, 总分 at most this), ZP401; empty is off.
    pub caps: Vec<(Decimal, Decimal)>,
    /// 指标偏离: an actual beyond its target by at least this percent loses this many points
    /// (ZP402); `None` is off.
    pub deviation: Option<(Decimal, Decimal)>,
    /// Indicators marked 不适用 are left out and the rest rescaled to 100 (ZP403).
    pub not_applicable: bool,
}

impl Default for Profile {
    fn default() -> Self {
        crate::profile::national().clone()
    }
}

/// The national profile's text, as committed in `profiles/national.toml`.
pub const NATIONAL: &str = include_str!("../profiles/national.toml");

/// The national profile, parsed once.
pub fn national() -> &'static Profile {
    static NATIONAL_PROFILE: OnceLock<Profile> = OnceLock::new();
    NATIONAL_PROFILE.get_or_init(|| {
        let mut p = Profile {
            name: String::new(),
            band_achieved: Decimal::ZERO,
            band_partial: Decimal::ZERO,
            far_above_target: Decimal::ZERO,
            grades: Grades::default(),
            vocab: Vocab::empty(),
            platform: Platform::default(),
        };
        // The embedded file is tested (profile::tests); a broken one is a build defect.
        if let Err(e) = apply(&mut p, NATIONAL) {
            panic!("profiles/national.toml: {e}");
        }
        p
    })
}

/// Top-level keys: (Chinese, English).
const TOP: &[(&str, &str)] = &[
    ("名称", "name"),
    ("达成下限", "band_achieved"),
    ("部分达成下限", "band_partial"),
    ("远超目标阈值", "far_above_target"),
    ("等级", "grades"),
    ("表头", "headers"),
    ("行", "rows"),
    ("运算符", "operators"),
    ("运算符后缀", "operator_suffixes"),
    ("平台规则", "platform"),
];
const PLATFORM_KEYS: &[&str] = &[
    "执行率说明下限",
    "年中调整须说明",
    "评价结论",
    "总分上限",
    "指标偏离阈值",
    "指标偏离扣分",
    "不适用重算",
];
const GRADE_KEYS: &[&str] = &["优", "良", "中"];
const ROW_KEYS: &[&str] = &[
    "资金合计",
    "资金来源",
    "目标",
    "总分",
    "等级",
    "名称",
    "主管部门",
    "实施单位",
    "一级指标",
    "明细",
    "评价结论",
];
const OP_KEYS: &[(&str, Op)] = &[
    ("≥", Op::Ge),
    ("≤", Op::Le),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("=", Op::Eq),
];

fn allowed(keys: impl Iterator<Item = String>) -> String {
    keys.collect::<Vec<_>>().join("、")
}

/// A share written as 0.5 or 50 (percent).
fn share(v: f64, percent_above: f64) -> Option<Decimal> {
    let d = dec_from_f64(v)?;
    Some(if v > percent_above {
        d / Decimal::ONE_HUNDRED
    } else {
        d
    })
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn words(key: &str, v: &Value) -> Result<Vec<String>, String> {
    let bad = || format!("“{key}”的值应为文字列表，如 [\"词一\", \"词二\"]");
    let arr = v.as_array().ok_or_else(bad)?;
    arr.iter()
        .map(|w| w.as_str().map(str::to_string).ok_or_else(bad))
        .collect()
}

fn table<'a>(key: &str, v: &'a Value) -> Result<&'a Table, String> {
    v.as_table()
        .ok_or_else(|| format!("“{key}”应为一节（[{key}]），其下每行一个键"))
}

/// A TOML syntax error in Chinese: where (line and column) and what, for the slips a person
/// editing a profile makes; the parser's own (English) words are not shown.
fn syntax_error(text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("第 {line} 行第 {col} 列：")
    });
    let m = e.message();
    let what = if m.contains("must be quoted") || m.contains("expected literal string") {
        "文字要加引号，如 \"湖北\"；数字不加引号"
    } else if m.contains("duplicate key") {
        "同一个键写了两次"
    } else if m.contains("newline") || m.contains("end of input") {
        "这一行没有写完（= 后面缺少值，或引号、括号未闭合）"
    } else if m.contains("invalid table header") || m.contains("table") {
        "表头写法不对，应为 [\"等级\"] 这样的一行"
    } else {
        "不是正确的 TOML 写法（键 = 值，文字加引号，列表写成 [\"词一\", \"词二\"]）"
    };
    format!("格式错误：{}{what}", at.unwrap_or_default())
}

/// Applies a profile file's text on top of `p`; the message says what is wrong, in Chinese.
fn apply(p: &mut Profile, text: &str) -> Result<(), String> {
    let root: Table = text
        .parse()
        .map_err(|e: toml::de::Error| syntax_error(text, &e))?;
    for (key, value) in &root {
        let Some(&(zh, _)) = TOP.iter().find(|(zh, en)| key == zh || key == en) else {
            return Err(format!(
                "未知的键“{key}”；可用的键：{}",
                allowed(TOP.iter().map(|(zh, en)| format!("{zh}（{en}）")))
            ));
        };
        let bad = || format!("“{zh}”的值无效");
        match zh {
            "名称" => p.name = value.as_str().ok_or_else(bad)?.to_string(),
            "达成下限" => {
                p.band_achieved = number(value).and_then(|v| share(v, 1.0)).ok_or_else(bad)?
            }
            "部分达成下限" => {
                p.band_partial = number(value).and_then(|v| share(v, 1.0)).ok_or_else(bad)?
            }
            "远超目标阈值" => {
                p.far_above_target = number(value).and_then(|v| share(v, 10.0)).ok_or_else(bad)?
            }
            "等级" => {
                for (k, v) in table(zh, value)? {
                    let d = number(v)
                        .and_then(dec_from_f64)
                        .ok_or_else(|| format!("“等级.{k}”的值无效，应为 0–100 的分数"))?;
                    match k.as_str() {
                        "优" => p.grades.excellent = d,
                        "良" => p.grades.good = d,
                        "中" => p.grades.fair = d,
                        _ => {
                            return Err(format!(
                                "[等级] 中未知的键“{k}”；可用的键：{}",
                                GRADE_KEYS.join("、")
                            ));
                        }
                    }
                }
            }
            "表头" => {
                for (k, v) in table(zh, value)? {
                    let role = Role::from_name(k).ok_or_else(|| {
                        format!(
                            "[表头] 中未知的键“{k}”；可用的键：{}",
                            allowed(Role::ALL.iter().map(|r| r.name().to_string()))
                        )
                    })?;
                    let list = words(&format!("表头.{k}"), v)?;
                    if let Some((_, existing)) =
                        p.vocab.headers.iter_mut().find(|(r, _)| *r == role)
                    {
                        existing.extend(list);
                    }
                }
            }
            "行" => {
                for (k, v) in table(zh, value)? {
                    let list = words(&format!("行.{k}"), v)?;
                    let keys = list.iter().map(|w| crate::vocab::label_words_key(w));
                    let target = match k.as_str() {
                        "资金合计" => &mut p.vocab.fund_total,
                        "资金来源" => &mut p.vocab.fund_sources,
                        "目标" => &mut p.vocab.goals,
                        "总分" => &mut p.vocab.score_total,
                        "等级" => &mut p.vocab.grade,
                        "名称" => &mut p.vocab.name,
                        "主管部门" => &mut p.vocab.department,
                        "实施单位" => &mut p.vocab.unit,
                        "一级指标" => &mut p.vocab.groups,
                        "明细" => &mut p.vocab.detail,
                        "评价结论" => &mut p.vocab.conclusion,
                        _ => {
                            return Err(format!(
                                "[行] 中未知的键“{k}”；可用的键：{}",
                                ROW_KEYS.join("、")
                            ));
                        }
                    };
                    target.extend(keys);
                }
            }
            "平台规则" => platform(p, table(zh, value)?)?,
            _ => {
                let suffix = zh == "运算符后缀";
                for (k, v) in table(zh, value)? {
                    let op = OP_KEYS
                        .iter()
                        .find(|(s, _)| s == k)
                        .map(|(_, o)| *o)
                        .ok_or_else(|| {
                            format!(
                                "[{zh}] 中未知的键“{k}”；可用的键：{}",
                                allowed(OP_KEYS.iter().map(|(s, _)| s.to_string()))
                            )
                        })?;
                    let list = words(&format!("{zh}.{k}"), v)?;
                    let target = if suffix {
                        &mut p.vocab.op_suffixes
                    } else {
                        &mut p.vocab.op_words
                    };
                    target.extend(list.into_iter().map(|w| (crate::num::normalize(&w), op)));
                }
            }
        }
    }
    p.vocab.finish();
    validate(p)
}

/// Reads the ["平台规则"] section (see [`Platform`]).
fn platform(p: &mut Profile, t: &Table) -> Result<(), String> {
    let pl = &mut p.platform;
    let mut threshold = pl.deviation.map(|d| d.0);
    let mut deduction = pl.deviation.map(|d| d.1);
    for (k, v) in t {
        let bad = || format!("“平台规则.{k}”的值无效");
        let on = || v.as_bool().ok_or_else(bad);
        let points = || {
            number(v)
                .and_then(dec_from_f64)
                .filter(|d| *d >= Decimal::ZERO && *d <= Decimal::ONE_HUNDRED)
                .ok_or_else(|| format!("“平台规则.{k}”的值无效，应为 0–100 的数"))
        };
        match k.as_str() {
            "执行率说明下限" => {
                let d = points()?;
                pl.reason_below_rate = (!d.is_zero()).then_some(d);
            }
            "年中调整须说明" => pl.reason_for_adjustment = on()?,
            "评价结论" => pl.conclusion = on()?,
            "不适用重算" => pl.not_applicable = on()?,
            "指标偏离阈值" => threshold = Some(points()?),
            "指标偏离扣分" => deduction = Some(points()?),
            "总分上限" => {
                let rows = v.as_array().ok_or_else(|| {
                    "“平台规则.总分上限”应为 [[执行率低于, 总分至多], …] 的列表，如 [[80, 89], [70, 79]]"
                        .to_string()
                })?;
                let mut caps = Vec::new();
                for row in rows {
                    let pair = row
                        .as_array()
                        .filter(|a| a.len() == 2)
                        .and_then(|a| {
                            let rate = number(&a[0]).and_then(dec_from_f64)?;
                            let cap = number(&a[1]).and_then(dec_from_f64)?;
                            Some((rate, cap))
                        })
                        .ok_or_else(|| {
                            "“平台规则.总分上限”的每一项应为 [执行率低于, 总分至多] 两个数"
                                .to_string()
                        })?;
                    caps.push(pair);
                }
                pl.caps = caps;
            }
            _ => {
                return Err(format!(
                    "[平台规则] 中未知的键“{k}”；可用的键：{}",
                    PLATFORM_KEYS.join("、")
                ));
            }
        }
    }
    pl.deviation = match (threshold, deduction) {
        (Some(t), Some(d)) if !d.is_zero() => Some((t, d)),
        (None, None) => None,
        (Some(_), Some(_)) => None,
        _ => return Err("“指标偏离阈值”与“指标偏离扣分”应一起给出".into()),
    };
    Ok(())
}

/// One line saying which platform rules are on, and with what values (printed by `rules`).
pub fn platform_summary(p: &Profile) -> String {
    let n = crate::num::fmt_dec;
    let pl = &p.platform;
    let onoff = |b: bool| if b { "开" } else { "关" };
    format!(
        "平台规则：执行率低于 {} 须说明原因（ZP404）；年中调整须说明原因（ZP405）：{}；评价结论须写明总分（ZP406）：{}；总分上限（ZP401）：{}；指标偏离（ZP402）：{}；不适用指标重算（ZP403）：{}",
        pl.reason_below_rate
            .map_or("—（关）".to_string(), |d| format!("{}%", n(d))),
        onoff(pl.reason_for_adjustment),
        onoff(pl.conclusion),
        if pl.caps.is_empty() {
            "关".to_string()
        } else {
            pl.caps
                .iter()
                .map(|(r, c)| format!("执行率 < {}% 时 ≤ {} 分", n(*r), n(*c)))
                .collect::<Vec<_>>()
                .join("，")
        },
        pl.deviation.map_or("关".to_string(), |(t, d)| format!(
            "实际超过目标 {}% 及以上扣 {} 分",
            n(t),
            n(d)
        )),
        onoff(pl.not_applicable)
    )
}

fn validate(p: &Profile) -> Result<(), String> {
    if !(Decimal::ZERO <= p.band_partial
        && p.band_partial <= p.band_achieved
        && p.band_achieved <= Decimal::ONE)
    {
        return Err("应满足 0 ≤ 部分达成下限 ≤ 达成下限 ≤ 100%".into());
    }
    if p.far_above_target <= Decimal::ONE {
        return Err("远超目标阈值应大于 100%".into());
    }
    let g = &p.grades;
    if !(Decimal::ZERO <= g.fair
        && g.fair <= g.good
        && g.good <= g.excellent
        && g.excellent <= Decimal::ONE_HUNDRED)
    {
        return Err("等级分数线应满足 0 ≤ 中 ≤ 良 ≤ 优 ≤ 100".into());
    }
    Ok(())
}

/// Parses a profile file's text on top of the national profile.
pub fn parse(text: &str) -> Result<Profile, String> {
    let mut p = national().clone();
    apply(&mut p, text)?;
    Ok(p)
}

/// One line saying the values in force: name, qualitative bands, the far-above threshold and
/// the grade cut-offs (printed by `rules` and `explain`).
pub fn summary(p: &Profile) -> String {
    let pct = |d: Decimal| crate::num::fmt_dec(d * Decimal::ONE_HUNDRED);
    let n = crate::num::fmt_dec;
    format!(
        "规则配置：{}（定性指标区间：达成 {}–100%、部分达成 {}–{}%、未达成 0–{}%；远超目标阈值 {}%；等级：优 ≥ {}，良 ≥ {}，中 ≥ {}）",
        p.name,
        pct(p.band_achieved),
        pct(p.band_partial),
        pct(p.band_achieved),
        pct(p.band_partial),
        pct(p.far_above_target),
        n(p.grades.excellent),
        n(p.grades.good),
        n(p.grades.fair)
    )
}

/// Reads a profile file.
pub fn load(path: &Path) -> Result<Profile, String> {
    let bytes =
        crate::error::read_small_file(path, crate::limits::MAX_PROFILE_BYTES, "规则配置文件")?;
    let text = String::from_utf8(bytes).map_err(|_| {
        format!(
            "规则配置文件 {} 不是 UTF-8 文本（请在记事本或 WPS 中另存为 UTF-8 编码）",
            path.display()
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    parse(text).map_err(|e| format!("规则配置文件 {} {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_national_profile_parses() {
        let p = national();
        assert_eq!(p.name, "国家");
        assert_eq!(p.band_achieved, Decimal::new(8, 1));
        assert_eq!(p.band_partial, Decimal::new(6, 1));
        assert_eq!(p.far_above_target, Decimal::new(15, 1));
        assert_eq!(p.grades.excellent, Decimal::from(90));
        assert!(p.vocab.score_total.iter().any(|w| w == "总分"));
        assert!(p.vocab.words(Role::Actual).iter().any(|w| w == "实际"));
        // Longest operator words first.
        assert_eq!(p.vocab.op_words[0].0.chars().count(), 5);
    }

    #[test]
    fn the_values_in_force_are_summarised() {
        assert_eq!(
            summary(national()),
            "规则配置：国家（定性指标区间：达成 80–100%、部分达成 60–80%、未达成 0–60%；远超目标阈值 150%；等级：优 ≥ 90，良 ≥ 80，中 ≥ 60）"
        );
    }

    #[test]
    fn hubei_in_chinese_keys() {
        let p = parse("\"名称\" = \"湖北\"\n\"部分达成下限\" = 50\n").unwrap();
        assert_eq!(p.name, "湖北");
        assert_eq!(p.band_partial, Decimal::new(5, 1));
        assert_eq!(p.band_achieved, Decimal::new(8, 1));
        assert_eq!(p.far_above_target, Decimal::new(15, 1));
    }

    #[test]
    fn english_keys_and_fractions() {
        let p = parse("band_partial = 0.5\nfar_above_target = 2\n").unwrap();
        assert_eq!(p.band_partial, Decimal::new(5, 1));
        assert_eq!(p.far_above_target, Decimal::new(2, 0));
        assert_eq!(
            parse("far_above_target = 200").unwrap().far_above_target,
            Decimal::new(2, 0)
        );
    }

    #[test]
    fn words_are_added_and_cut_offs_replaced() {
        let p = parse("[\"表头\"]\n\"实际完成值\" = [\"考核结果\"]\n[\"等级\"]\n\"优\" = 85\n")
            .unwrap();
        assert_eq!(
            p.vocab.classify("考核结果（B）").map(|(r, _)| r),
            Some(Role::Actual)
        );
        // The national words are still there.
        assert_eq!(
            p.vocab.classify("实际完成值").map(|(r, _)| r),
            Some(Role::Actual)
        );
        assert_eq!(p.grades.excellent, Decimal::from(85));
        assert_eq!(p.grades.good, Decimal::from(80));
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        assert_eq!(
            parse("\"部分达成下限\" = 90").unwrap_err(),
            "应满足 0 ≤ 部分达成下限 ≤ 达成下限 ≤ 100%"
        );
        assert_eq!(
            parse("\"远超目标阈值\" = 1").unwrap_err(),
            "远超目标阈值应大于 100%"
        );
        let unknown = parse("unknown = 1").unwrap_err();
        assert!(
            unknown.starts_with(
                "未知的键“unknown”；可用的键：名称（name）、达成下限（band_achieved）"
            ),
            "{unknown}"
        );
        assert_eq!(
            parse("\"部分达成下限\" = \"五十\"").unwrap_err(),
            "“部分达成下限”的值无效"
        );
        let role = parse("[\"表头\"]\n\"实际\" = [\"x\"]").unwrap_err();
        assert!(
            role.starts_with("[表头] 中未知的键“实际”；可用的键：原因、其他、得分"),
            "{role}"
        );
        assert_eq!(
            parse("[\"等级\"]\n\"良\" = 95").unwrap_err(),
            "等级分数线应满足 0 ≤ 中 ≤ 良 ≤ 优 ≤ 100"
        );
        assert_eq!(
            parse("[\"表头\"]\n\"得分\" = \"分数\"").unwrap_err(),
            "“表头.得分”的值应为文字列表，如 [\"词一\", \"词二\"]"
        );
        assert_eq!(
            parse("\"名称\" = 湖北").unwrap_err(),
            "格式错误：第 1 行第 8 列：文字要加引号，如 \"湖北\"；数字不加引号"
        );
        let cut = parse("[\"等级\"]\n\"优\" = ").unwrap_err();
        assert!(cut.starts_with("格式错误：第 2 行"), "{cut}");
        assert!(!cut.is_ascii() && !cut.contains("expected"), "{cut}");
        let twice = parse("\"名称\" = \"甲\"\n\"名称\" = \"乙\"").unwrap_err();
        assert!(twice.contains("同一个键写了两次"), "{twice}");
    }
}
