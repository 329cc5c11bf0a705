//! Text and number handling shared by every stage: label normalisation (full-width forms, inner
//! spaces, bracketed suffixes), numbers stored as text, values with an operator and a unit
//! (">=2 项", "≤90万元"), and the Decimal rounding policy of the form (2 decimals, half away
//! from zero).

use std::borrow::Cow;

use rust_decimal::prelude::*;

/// Converts full-width ASCII (Ｕ+FF01–FF5E) to half-width and drops every kind of white space,
/// so "年 初 预 算 数" and "全年预算数（Ａ）" compare with their plain spellings.
pub fn normalize(s: &str) -> String {
    // Sized once: labels are read for every cell of every form.
    let mut out = String::with_capacity(s.len());
    out.extend(normalized_chars(s));
    out
}

/// [`normalize`]`(s)`, borrowed when normalising changes nothing (most labels).
pub fn normalize_cow(s: &str) -> Cow<'_, str> {
    let unchanged = |c: char| {
        !(c.is_whitespace()
            || matches!(
                c,
                '\u{3000}' | '\u{FF01}'
                    ..='\u{FF5E}'
                        | '≧'
                        | '≦'
                        | '⩾'
                        | '⩽'
                        | '═'
                        | '﹦'
                        | '【'
                        | '〔'
                        | '】'
                        | '〕'
            ))
    };
    if s.chars().all(unchanged) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(normalize(s))
    }
}

/// The characters of [`normalize`]`(s)`, without building the string.
pub fn normalized_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '≧' | '⩾' => '≥',
            '≦' | '⩽' => '≤',
            '═' | '﹦' => '=',
            '【' | '〔' => '(',
            '】' | '〕' => ')',
            _ => c,
        })
}

/// The year a text names: four digits from 1990 to 2099 followed by 年 ("（2023年度）",
/// "２０２２年", "2023 年"), full-width digits included. The first such year wins.
pub fn year_in(s: &str) -> Option<u16> {
    // Most texts have no 年 (normalising makes none): they are passed over at once. The rest
    // are read once, the last four digits kept (no copy of the text).
    if !s.contains('年') {
        return None;
    }
    let mut year = 0u16;
    let mut run = 0usize;
    for c in normalized_chars(s) {
        if c == '年' && run >= 4 && (1990..=2099).contains(&year) {
            return Some(year);
        }
        match c.to_digit(10) {
            Some(d) => {
                year = (year % 1000) * 10 + d as u16;
                run += 1;
            }
            None => run = 0,
        }
    }
    None
}

/// A label reduced to what identifies it: normalised, a "其中:" prefix and trailing ":" removed,
/// and trailing bracketed suffixes such as "(A)", "(B/A)", "(%)", "(万元)" stripped.
pub fn label_key(s: &str) -> String {
    label_key_cow(s).into_owned()
}

/// [`label_key`]`(s)`, borrowed from `s` when it is a slice of it (most labels).
pub fn label_key_cow(s: &str) -> Cow<'_, str> {
    let mut k = normalize_cow(s);
    if k.starts_with("其中") {
        for prefix in ["其中:", "其中"] {
            if let Some(rest) = k.strip_prefix(prefix)
                && !rest.is_empty()
            {
                let len = rest.len();
                k = cow_range(k, prefix.len(), prefix.len() + len);
            }
        }
    }
    while k.ends_with([':', '：', ')']) {
        let trimmed = k.trim_end_matches([':', '：']).len();
        match strip_trailing_bracket(&k[..trimmed]) {
            Some(end) => k = cow_range(k, 0, end),
            None => {
                k = cow_range(k, 0, trimmed);
                break;
            }
        }
    }
    k
}

/// A byte range of a Cow string, still borrowed when it was.
fn cow_range(k: Cow<'_, str>, from: usize, to: usize) -> Cow<'_, str> {
    match k {
        Cow::Borrowed(b) => Cow::Borrowed(&b[from..to]),
        Cow::Owned(o) => Cow::Owned(o[from..to].to_string()),
    }
}

/// Where a trailing bracketed suffix ("(A)", "(万元)") starts, if there is one.
fn strip_trailing_bracket(s: &str) -> Option<usize> {
    let body = s.strip_suffix(')')?;
    let open = body.rfind('(')?;
    (open != 0).then_some(open)
}

/// Whether a label is one of the given spellings (compared by [`label_key`]).
pub fn label_is(s: &str, aliases: &[&str]) -> bool {
    let k = label_key(s);
    !k.is_empty() && aliases.iter().any(|a| alias_key_is(a, &k))
}

/// Whether an alias spelling has this key. The alias tables are written as keys already (a
/// test in `locate` holds them to it), except spellings ending in a bracket such as
/// "单位名称(盖章)", which are reduced here.
pub fn alias_key_is(alias: &str, key: &str) -> bool {
    alias == key || (alias.ends_with(')') && label_key(alias) == key)
}

/// Markers that mean "not applicable" in a cell: "—", "-", "/", "－", "——", "无".
pub fn is_not_applicable(s: &str) -> bool {
    let n = || normalized_chars(s);
    n().next().is_some() && n().all(|c| matches!(c, '—' | '-' | '/' | '─' | '–' | '\\' | '_'))
        || n().eq("无".chars())
        || n().eq("不适用".chars())
}

/// The largest magnitude read as a number (10^15). Nothing on a 自评表 comes near it; bounding
/// inputs keeps every product of two values far inside Decimal's range.
pub const MAX_ABS: f64 = 1e15;

fn in_range(d: Decimal) -> Option<Decimal> {
    (d.abs() <= Decimal::from(1_000_000_000_000_000i64)).then_some(d)
}

/// `a ÷ b`, or `None` when b is zero or the quotient would not fit.
pub fn div(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_div(b)
}

/// `a × b ÷ c` without overflow: `None` when c is zero or the result would not fit.
pub fn mul_div(a: Decimal, b: Decimal, c: Decimal) -> Option<Decimal> {
    a.checked_mul(b)?.checked_div(c)
}

/// Converts a float as calamine returns it to a Decimal, removing binary noise: Excel keeps 15
/// significant digits, so 1852.1800000000001 becomes 1852.18.
pub fn dec_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() || f.abs() > MAX_ABS {
        return None;
    }
    // Whole numbers (weights, most amounts) are exact in both types: no need for the slower
    // general conversion and its rounding to 15 significant digits.
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return Some(Decimal::from(f as i64));
    }
    let d = Decimal::from_f64(f)?;
    let d = d
        .round_sf_with_strategy(15, RoundingStrategy::MidpointAwayFromZero)
        .unwrap_or(d);
    Some(d.normalize())
}

/// Rounds to `dp` decimals, half away from zero: the rounding the form uses for rates and scores.
pub fn round_dp(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds half away from zero at `dp` decimals, where a negative `dp` rounds to tens,
/// hundreds… (a fraction shown at one decimal is a percent shown to the nearest ten: 0.1 is
/// 10%, and 14.46% is 10% there).
pub fn round_at(d: Decimal, dp: i32) -> Decimal {
    if dp >= 0 {
        return round_dp(d, dp.unsigned_abs());
    }
    let mut step = Decimal::ONE;
    for _ in 0..dp.unsigned_abs().min(20) {
        step *= Decimal::TEN;
    }
    match d.checked_div(step) {
        Some(q) => round_dp(q, 0) * step,
        None => d,
    }
}

/// Rounds to the 2 decimals at which the form shows rates and scores.
pub fn round2(d: Decimal) -> Decimal {
    round_dp(d, 2)
}

/// A Decimal as the form would print it: no trailing zeros ("20", "9.96", "89.974").
pub fn fmt_dec(d: Decimal) -> String {
    let d = d.normalize();
    // The usual case (a mantissa that fits 64 bits): the digits once, the point put in place;
    // about a third of the general formatter's work, and it runs for every number of a form.
    let (Ok(m), scale) = (i64::try_from(d.mantissa()), d.scale() as usize) else {
        return d.to_string();
    };
    let digits = m.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + scale + 3);
    if m < 0 {
        out.push('-');
    }
    if scale == 0 {
        out.push_str(&digits);
    } else if digits.len() > scale {
        let (int, frac) = digits.split_at(digits.len() - scale);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - digits.len()));
        out.push_str(&digits);
    }
    out
}

/// A comparison operator in front of a target value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// ≥ or "不低于".
    Ge,
    /// >.
    Gt,
    /// = or no operator.
    Eq,
    /// ≤ or "不高于".
    Le,
    /// <.
    Lt,
}

impl Op {
    /// The operator as printed in messages.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Eq => "=",
            Op::Le => "≤",
            Op::Lt => "<",
        }
    }

    /// Whether the indicator is 反向 (lower is better).
    pub fn is_reverse(self) -> bool {
        matches!(self, Op::Le | Op::Lt)
    }
}

/// A number with an optional operator and unit, as targets and actuals are written.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// The operator written before the number, if any.
    pub op: Option<Op>,
    /// The number; for a percentage, in percent units (95 for "95%").
    pub value: Decimal,
    /// The unit written after the number ("项", "家", "万元", "%"), normalised; empty if none.
    pub unit: String,
    /// Whether the number is approximate ("约5000人次", "200余人", "300多户").
    pub approx: bool,
}

/// Operator symbols (after [`normalize`]: ＞＝ ≧ ⩾ ═ ﹦ are folded to these). Operator words
/// ("不低于", "控制在") are vocabulary, see [`crate::vocab`].
const OP_SYMBOLS: &[(&str, Op)] = &[
    (">=", Op::Ge),
    ("=>", Op::Ge),
    ("≥", Op::Ge),
    ("<=", Op::Le),
    ("=<", Op::Le),
    ("≤", Op::Le),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("=", Op::Eq),
];

/// Parses a plain number written as text: "1,852.18", " 99.63 ", "99.63%", full-width digits.
/// Returns the number and whether it carried a percent sign (the number stays in percent units).
pub fn parse_number_text(s: &str) -> Option<(Decimal, bool)> {
    // Most texts in a form are words or measures with units ("≥12家"): refuse them before
    // building anything. A number as text holds only these characters once normalised.
    if !normalized_chars(s).all(|c| c.is_ascii_digit() || ".,%+-eE".contains(c)) {
        return None;
    }
    let n: String = normalized_chars(s).filter(|c| *c != ',').collect();
    let (body, percent) = match n.strip_suffix('%') {
        Some(b) => (b, true),
        None => (n.as_str(), false),
    };
    if body.is_empty() || !body.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let d = Decimal::from_str(body)
        .or_else(|_| Decimal::from_scientific(body))
        .ok()?;
    Some((in_range(d)?.normalize(), percent))
}

/// Words before a number that do not compare it (see [`parse_measure_with`]), longest first.
pub const LEAD_WORDS: &[&str] = &[
    "实际完成",
    "实际达到",
    "全年完成",
    "全年共",
    "实际",
    "完成",
    "共计",
    "合计",
    "累计",
    "总计",
    "共",
];

/// Parses a target or actual written as text, with the operator words in force (the
/// profile's, longest first): an optional operator, a number, an optional short unit (">=2 项",
/// "≥12家", "=1 个", "≤90万元", "≥100百分比", "≤0.9‰", "95%以上", "不低于95%", "控制在5%以内",
/// "约5000人次", "200余人"). Returns `None` for qualitative text ("达成预期指标", "2023年工作计划").
/// The words come from the caller: number parsing knows no profile of its own.
pub fn parse_measure_with(
    s: &str,
    op_words: &[(String, Op)],
    op_suffixes: &[(String, Op)],
) -> Option<Measure> {
    let n: String = normalized_chars(s).filter(|c| *c != ',').collect();
    let mut rest = n.as_str();
    let mut op = None;
    let mut approx = false;
    // Words that say whose or how much the number is, not how it compares ("完成10次",
    // "实际12个", "共5场", "累计3次"): read past, as a person reads them.
    for lead in LEAD_WORDS {
        if let Some(r) = rest.strip_prefix(lead) {
            rest = r;
            break;
        }
    }
    for prefix in ["大约", "约", "近"] {
        if let Some(r) = rest.strip_prefix(prefix) {
            approx = true;
            rest = r;
            break;
        }
    }
    // Most values start with their number: no operator to look for.
    let words = if rest.starts_with(|c: char| c.is_ascii_digit()) {
        &[][..]
    } else {
        op_words
    };
    for (word, o) in OP_SYMBOLS
        .iter()
        .map(|(w, o)| (*w, *o))
        .chain(words.iter().map(|(w, o)| (w.as_str(), *o)))
    {
        if let Some(r) = rest.strip_prefix(word) {
            op = Some(o);
            rest = r;
            break;
        }
    }
    if !approx {
        for prefix in ["大约", "约", "近"] {
            if let Some(r) = rest.strip_prefix(prefix) {
                approx = true;
                rest = r;
                break;
            }
        }
    }
    let num_len = rest
        .char_indices()
        .take_while(|(i, c)| {
            c.is_ascii_digit() || *c == '.' || (*i == 0 && (*c == '-' || *c == '+'))
        })
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    let value = in_range(Decimal::from_str(&rest[..num_len]).ok()?)?;
    let mut unit = rest[num_len..].to_string();
    // "200余人", "300多户": more than the number, which is approximate.
    for more in ["余", "多"] {
        if let Some(u) = unit.strip_prefix(more) {
            unit = u.to_string();
            approx = true;
        }
    }
    for (suffix, o) in op_suffixes {
        if let Some(u) = unit.strip_suffix(suffix.as_str()) {
            unit = u.to_string();
            op = op.or(Some(*o));
            break;
        }
    }
    for (suffix, o) in [("以上", Op::Ge), ("以内", Op::Le), ("以下", Op::Le)] {
        if let Some(u) = unit.strip_suffix(suffix) {
            unit = u.to_string();
            op = op.or(Some(o));
        }
    }
    if unit.ends_with('左') || unit.ends_with("左右") {
        unit = unit.trim_end_matches("左右").to_string();
        approx = true;
    }
    let unit = canonical_unit(&unit);
    if unit.chars().count() > 4
        || unit.chars().any(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '，' | '。' | ',' | ';' | '；' | ':' | '：' | '(' | ')' | '前' | '底' | '末'
                )
        })
    {
        return None;
    }
    Some(Measure {
        op,
        value: value.normalize(),
        unit,
        approx,
    })
}

/// A point in time a deadline or a completion date names: year (when written), month, day
/// (when written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// The year, when written ("2023年11月").
    pub year: Option<u16>,
    /// The month, 1–12.
    pub month: u8,
    /// The day, when written.
    pub day: Option<u8>,
}

impl When {
    /// Whether `self` is no later than `deadline` (a missing year is taken as the same year; a
    /// missing day as the whole month).
    pub fn by(&self, deadline: &When) -> bool {
        if let (Some(a), Some(b)) = (self.year, deadline.year)
            && a != b
        {
            return a < b;
        }
        (self.month, self.day.unwrap_or(1)) <= (deadline.month, deadline.day.unwrap_or(31))
    }
}

fn parse_when(s: &str) -> Option<(When, &str)> {
    let mut rest = s;
    let mut year = None;
    let digits = |r: &str| r.chars().take_while(char::is_ascii_digit).count();
    let d = digits(rest);
    if d == 4 {
        let after = &rest[4..];
        let after = after
            .strip_prefix('年')
            .or_else(|| after.strip_prefix('.'))
            .or_else(|| after.strip_prefix('-'))?;
        year = rest[..4].parse().ok();
        rest = after;
    }
    let d = digits(rest);
    if d == 0 || d > 2 {
        return None;
    }
    let month: u8 = rest[..d].parse().ok()?;
    rest = &rest[d..];
    let sep_month = rest.strip_prefix('月');
    let rest = match (sep_month, year) {
        (Some(r), _) => r,
        (None, Some(_)) if rest.is_empty() => rest,
        _ => return None,
    };
    if !(1..=12).contains(&month) {
        return None;
    }
    let d = digits(rest);
    let (day, rest) = if d > 0 && d <= 2 {
        let day: u8 = rest[..d].parse().ok()?;
        let r = &rest[d..];
        let r = r
            .strip_prefix('日')
            .or_else(|| r.strip_prefix('号'))
            .unwrap_or(r);
        ((1..=31).contains(&day).then_some(day), r)
    } else {
        (None, rest)
    };
    Some((When { year, month, day }, rest))
}

/// A deadline written as a target: "9月前", "11月底前", "2023年12月底前", "6月30日前",
/// "10月底之前", "12月底".
pub fn parse_deadline(s: &str) -> Option<When> {
    let n: String = normalized_chars(s).collect();
    let n = n.strip_prefix("于").unwrap_or(&n);
    let (when, rest) = parse_when(n)?;
    let rest = rest
        .trim_start_matches(['底', '末'])
        .trim_start_matches("以")
        .trim_start_matches("之");
    matches!(rest, "前" | "" | "内" | "完成" | "前完成" | "内完成").then_some(when)
}

/// A completion date written as an actual: "7月", "2023年11月", "2023年11月15日", "10月底",
/// "7月完成", "已于7月完成".
pub fn parse_completion(s: &str) -> Option<When> {
    let n: String = normalized_chars(s).collect();
    let n = n
        .strip_prefix("已于")
        .or_else(|| n.strip_prefix("于"))
        .unwrap_or(&n);
    let (when, rest) = parse_when(n)?;
    let rest = rest.trim_start_matches(['底', '末', '中', '初']);
    matches!(rest, "" | "完成" | "前" | "前完成" | "已完成").then_some(when)
}

/// Spellings of one unit mapped to one form: "百分比" and "%" are both "%".
pub fn canonical_unit(u: &str) -> String {
    match u {
        "百分比" | "百分点" | "%" => "%".to_string(),
        _ => u.to_string(),
    }
}

/// What a unit measures; units of different kinds cannot be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// No unit written.
    None,
    /// Percent or permille.
    Ratio,
    /// Money (元, 万元, 亿元).
    Money,
    /// Time (天, 日, 月, 年, 小时).
    Time,
    /// A count of things (个, 家, 项, 人…): different words are a warning, not an error.
    Count,
    /// Anything else (平方米, 公里…): compared by spelling.
    Other,
}

/// The kind of a canonical unit.
pub fn unit_kind(u: &str) -> UnitKind {
    match u {
        "" => UnitKind::None,
        "%" | "‰" => UnitKind::Ratio,
        "元" | "万元" | "亿元" | "千元" => UnitKind::Money,
        "天" | "日" | "个月" | "月" | "年" | "小时" | "个工作日" | "工作日" | "周" => {
            UnitKind::Time
        }
        "个" | "家" | "项" | "次" | "人" | "人次" | "户" | "台" | "套" | "件" | "所" | "场"
        | "期" | "篇" | "名" | "份" | "批" | "批次" | "座" | "处" | "条" | "本" | "册" | "张"
        | "辆" | "间" | "类" | "种" | "部" | "轮" | "场次" | "家次" | "户次" | "个次" => {
            UnitKind::Count
        }
        _ => UnitKind::Other,
    }
}

/// The factor that converts a money unit to 元, for comparing 万元 with 元.
pub fn money_factor(u: &str) -> Decimal {
    match u {
        "万元" => Decimal::from(10_000),
        "亿元" => Decimal::from(100_000_000),
        "千元" => Decimal::from(1_000),
        _ => Decimal::ONE,
    }
}

#[cfg(test)]
mod tests;
