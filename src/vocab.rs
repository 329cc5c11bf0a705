//! The words zpcheck recognises a form by, as data: which header words give a column which role,
//! the labels of the total, goals, 总分, grade and name rows, the 一级 group names and the
//! operator words. The national vocabulary is `profiles/national.toml`, embedded at build time;
//! a `--profile` file adds words to it (see [`crate::profile`]).
//!
//! A header is classified by meaning, not by a list of whole spellings: its text is normalised
//! (white space dropped, full-width folded, bracketed annotations such as "（B）", "(10分)" or
//! "(20分*执行率)" removed) and the role whose word it contains wins; when the words of several
//! roles are contained, the longest word wins ("得分计算方法" holds 得分 and 计算方法: it is an
//! explanation column). A header this release has never seen but whose meaning is plain
//! ("全年实际完成值", "实际值（B）") is recognised because it contains a role's word.

use crate::num::{Op, normalized_chars};

/// What a column of a form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// 年初预算数.
    Initial,
    /// 全年预算数.
    Full,
    /// 全年执行数.
    Exec,
    /// 分值 (both blocks).
    Weight,
    /// 执行率.
    Rate,
    /// 得分 (both blocks).
    Score,
    /// 一级指标.
    L1,
    /// 二级指标.
    L2,
    /// 三级指标 (the indicator's name).
    L3,
    /// The indicator's target (指标值).
    Target,
    /// The indicator's actual (实际完成值).
    Actual,
    /// The operator column (指标性质).
    Op,
    /// The unit column (度量单位).
    Unit,
    /// The reason column (偏差原因分析及改进措施).
    Reason,
    /// A known column zpcheck does not use (得分计算方法, 指标设定依据, 备注…).
    Other,
    /// An indicator's share of the whole (权重占比, Hebei): its 折算得分 is its score × this.
    Share,
    /// An indicator's score scaled by its share (折算得分): these add up to 总分.
    Scaled,
    /// An indicator's score ÷ its weight, as a percent (得分系数, Chongqing).
    Ratio,
    /// An indicator's completion, actual ÷ target (完成率; target ÷ actual for a 反向 target).
    Completion,
    /// An indicator's deviation, 完成率 − 100% (偏差率).
    Deviation,
}

impl Role {
    /// Every role, in the order ties between equally long words are broken.
    pub const ALL: [Role; 20] = [
        Role::Reason,
        Role::Other,
        Role::Score,
        Role::Weight,
        Role::Rate,
        Role::L1,
        Role::L2,
        Role::L3,
        Role::Op,
        Role::Initial,
        Role::Actual,
        Role::Exec,
        Role::Full,
        Role::Target,
        Role::Unit,
        Role::Share,
        Role::Scaled,
        Role::Ratio,
        Role::Completion,
        Role::Deviation,
    ];

    /// The role's key in a profile file and its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Role::Initial => "年初预算数",
            Role::Full => "全年预算数",
            Role::Exec => "全年执行数",
            Role::Weight => "分值",
            Role::Rate => "执行率",
            Role::Score => "得分",
            Role::L1 => "一级指标",
            Role::L2 => "二级指标",
            Role::L3 => "三级指标",
            Role::Target => "指标值",
            Role::Actual => "实际完成值",
            Role::Op => "指标性质",
            Role::Unit => "度量单位",
            Role::Reason => "原因",
            Role::Other => "其他",
            Role::Share => "权重占比",
            Role::Scaled => "折算得分",
            Role::Ratio => "得分系数",
            Role::Completion => "完成率",
            Role::Deviation => "偏差率",
        }
    }

    /// The role named by a profile key.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// A header word in the first-character index: its role, the word, its length in characters.
type IndexedWord = (Role, String, usize);

/// The recognition vocabulary in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocab {
    /// Header words per role, in [`Role::ALL`] order.
    pub headers: Vec<(Role, Vec<String>)>,
    /// Labels of the funding block's total row.
    pub fund_total: Vec<String>,
    /// Words that make a row's label a funding source ("…资金", "…拨款", "其中…"): below the
    /// parts, a row labelled otherwise whose amount cells hold text ends the funding block.
    pub fund_sources: Vec<String>,
    /// Labels that start the goals block (and end the funding block).
    pub goals: Vec<String>,
    /// Labels of the indicator block's 总分 row.
    pub score_total: Vec<String>,
    /// Labels left of the grade cell.
    pub grade: Vec<String>,
    /// Labels left of the unit's or project's name.
    pub name: Vec<String>,
    /// Labels left of the 主管部门 (the department a project or unit answers to).
    pub department: Vec<String>,
    /// Labels left of the 实施单位 (the unit that carries the project out, or fills the form).
    pub unit: Vec<String>,
    /// 一级 group names (in a column or as a section row).
    pub groups: Vec<String>,
    /// Starts of an indicator name that make its row a detail row ("其中").
    pub detail: Vec<String>,
    /// Labels left of (or above) the form's 评价结论.
    pub conclusion: Vec<String>,
    /// Operator words written before a number, longest first.
    pub op_words: Vec<(String, Op)>,
    /// Operator words written after a number ("以上", "以内"), longest first.
    pub op_suffixes: Vec<(String, Op)>,
    /// Every header word by its first character: (role, word, length in characters). Built by
    /// [`Vocab::finish`]; [`Vocab::classify`] runs over every short text of every sheet, and
    /// looking up only the words that can start at each character keeps that cheap.
    index: Vec<(char, Vec<IndexedWord>)>,
    /// One bit per `first character % 128` of every header word: most characters of a text
    /// start no word, and this rules them out without a search.
    first_chars: u128,
}

impl Vocab {
    /// An empty vocabulary (every list empty), filled by the profile loader.
    pub fn empty() -> Vocab {
        Vocab {
            headers: Role::ALL.into_iter().map(|r| (r, Vec::new())).collect(),
            fund_total: Vec::new(),
            fund_sources: Vec::new(),
            goals: Vec::new(),
            score_total: Vec::new(),
            grade: Vec::new(),
            name: Vec::new(),
            department: Vec::new(),
            unit: Vec::new(),
            groups: Vec::new(),
            detail: Vec::new(),
            conclusion: Vec::new(),
            op_words: Vec::new(),
            op_suffixes: Vec::new(),
            index: Vec::new(),
            first_chars: 0,
        }
    }

    /// The header words of one role.
    pub fn words(&self, role: Role) -> &[String] {
        self.headers
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, w)| w.as_slice())
            .unwrap_or(&[])
    }

    /// A target or actual written as text, read with these operator words (see
    /// [`crate::num::parse_measure_with`]).
    pub fn measure(&self, s: &str) -> Option<crate::num::Measure> {
        crate::num::parse_measure_with(s, &self.op_words, &self.op_suffixes)
    }

    /// Sorts the operator lists longest first, so that "大于等于" is tried before "大于".
    pub fn finish(&mut self) {
        let by_len =
            |a: &(String, Op), b: &(String, Op)| b.0.chars().count().cmp(&a.0.chars().count());
        self.op_words.sort_by(by_len);
        self.op_suffixes.sort_by(by_len);
        let mut index: std::collections::BTreeMap<char, Vec<IndexedWord>> = Default::default();
        self.first_chars = 0;
        for (role, words) in &mut self.headers {
            for w in words.iter_mut() {
                *w = header_key(w);
            }
            words.retain(|w| !w.is_empty());
            for w in words.iter() {
                if let Some(first) = w.chars().next() {
                    self.first_chars |= 1u128 << (first as u32 % 128);
                    index
                        .entry(first)
                        .or_default()
                        .push((*role, w.clone(), w.chars().count()));
                }
            }
        }
        self.index = index.into_iter().collect();
    }

    /// The role a header text names, with the word that decided it; `None` when no role's word
    /// is in it (a block label such as "部门资金（万元）", or a header nobody could read).
    pub fn classify(&self, text: &str) -> Option<(Role, &str)> {
        self.classify_key(&header_key_cow(text))
    }

    /// [`Vocab::classify`] of a text already reduced by [`header_key`].
    pub fn classify_key(&self, key: &str) -> Option<(Role, &str)> {
        if key.is_empty() {
            return None;
        }
        // (role, word, length): the longest word wins; among equally long words, the role
        // that comes first in Role::ALL (the order of `headers`).
        let mut best: Option<(Role, &str, usize)> = None;
        let rank = |r: Role| Role::ALL.iter().position(|x| *x == r).unwrap_or(usize::MAX);
        for (at, c) in key.char_indices() {
            if self.first_chars & (1u128 << (c as u32 % 128)) == 0 {
                continue;
            }
            let Ok(i) = self.index.binary_search_by_key(&c, |(k, _)| *k) else {
                continue;
            };
            let candidates = &self.index[i].1;
            for (role, w, len) in candidates {
                let better = match best {
                    None => true,
                    Some((b_role, _, b_len)) => {
                        *len > b_len || (*len == b_len && rank(*role) < rank(b_role))
                    }
                };
                if better && key[at..].starts_with(w.as_str()) {
                    best = Some((*role, w.as_str(), *len));
                }
            }
        }
        best.map(|(r, w, _)| (r, w))
    }

    /// Whether a label is one of the words of a row list, compared by [`label_words_key`].
    pub fn label_in(&self, text: &str, list: &[String]) -> bool {
        let key = label_words_key(text);
        !key.is_empty() && list.contains(&key)
    }

    /// Whether a row label names a funding source: it contains one of the source words.
    pub fn names_fund_source(&self, text: &str) -> bool {
        let key = header_key(text);
        self.fund_sources.iter().any(|w| key.contains(w.as_str()))
    }

    /// The 一级 group word a text names, if any ("一、产出指标（50分）" → 产出指标).
    pub fn group_in(&self, text: &str) -> Option<&str> {
        let key = header_key(text);
        self.groups
            .iter()
            .find(|g| key.contains(g.as_str()))
            .map(String::as_str)
    }
}

/// A header text reduced to what carries its meaning: normalised, and every bracketed
/// annotation removed wherever it stands ("执行率(%)(B/A)" → "执行率", "全年（调整）预算数" →
/// "全年预算数", "得分(20分*执行率)" → "得分").
pub fn header_key(text: &str) -> String {
    header_key_cow(text).into_owned()
}

/// [`header_key`], borrowed from `text` when it changes nothing: most texts (indicator names,
/// values) are plain CJK ideographs, letters and digits, and the locator reads every one.
pub fn header_key_cow(text: &str) -> std::borrow::Cow<'_, str> {
    let is_mark = |c: char| matches!(c, ':' | '*' | '★' | '☆' | '※' | '#');
    let plain = |c: char| {
        ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || (c.is_ascii() && !c.is_ascii_whitespace() && !matches!(c, '(' | ')') && !is_mark(c))
    };
    if text.chars().all(plain) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut depth = 0u32;
    for c in normalized_chars(text) {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    // A closing mark or numbering does not change a header's meaning.
    let trimmed = out.trim_matches(is_mark);
    std::borrow::Cow::Owned(if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    })
}

/// A row label reduced for comparison with a row list: [`header_key`] without numbering or
/// marks in front ("一、", "1.", "★") and without a "其中:" prefix.
pub fn label_words_key(text: &str) -> String {
    words_of_key(&header_key(text)).to_string()
}

/// [`label_words_key`] of a text whose [`header_key`] is `key`: a slice of it.
pub fn words_of_key(key: &str) -> &str {
    let key = strip_numbering(key);
    key.strip_prefix("其中:")
        .or_else(|| key.strip_prefix("其中"))
        .filter(|r| !r.is_empty())
        .unwrap_or(key)
}

/// A name without the marks and numbering written before it: "★", "指标1:", "1.", "（一）",
/// "一、", "1、".
pub fn strip_numbering(s: &str) -> &str {
    // Most names start with none of the marks or numerals below.
    let starts = |c: char| {
        c.is_ascii_digit()
            || c.is_whitespace()
            || matches!(
                c,
                '★' | '☆'
                    | '※'
                    | '*'
                    | '#'
                    | '▲'
                    | '△'
                    | '●'
                    | '○'
                    | '■'
                    | '□'
                    | '指'
                    | '('
                    | '（'
                    | '一'
                    | '二'
                    | '三'
                    | '四'
                    | '五'
                    | '六'
                    | '七'
                    | '八'
                    | '九'
                    | '十'
            )
    };
    if !s.starts_with(starts) {
        return s;
    }
    let mut rest = s.trim_start_matches(|c: char| {
        matches!(
            c,
            '★' | '☆' | '※' | '*' | '#' | '▲' | '△' | '●' | '○' | '■' | '□'
        ) || c.is_whitespace()
    });
    if let Some(r) = rest.strip_prefix("指标") {
        let digits = r.trim_start_matches(|c: char| c.is_ascii_digit());
        if digits.len() < r.len()
            && let Some(after) = digits.strip_prefix([':', '：', '.', '、'])
        {
            rest = after;
        }
    }
    let numerals = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let body = rest.trim_start_matches(numerals);
    if body.len() < rest.len()
        && let Some(after) = body.strip_prefix(['.', '、', '．', ':', '：', ')', '）'])
    {
        rest = after;
    }
    if let Some(r) = rest.strip_prefix(['(', '（']) {
        let body = r.trim_start_matches(numerals);
        if body.len() < r.len()
            && let Some(after) = body.strip_prefix([')', '）'])
        {
            rest = after;
        }
    }
    rest.trim_start()
}

/// The points a label or header states in brackets: "产出指标（50分）" → 50,
/// "预算执行情况（万元）（20分）" → 20, "得分(20分*执行率)" → 20, "总分（100分）" → 100.
pub fn stated_points(text: &str) -> Option<rust_decimal::Decimal> {
    let n: String = normalized_chars(text).collect();
    let mut rest = n.as_str();
    while let Some(open) = rest.find('(') {
        let inner = &rest[open + 1..];
        let close = inner.find(')').unwrap_or(inner.len());
        let body = &inner[..close];
        let digits: String = body
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if !digits.is_empty()
            && body[digits.len()..].starts_with('分')
            && let Ok(d) = digits.parse::<rust_decimal::Decimal>()
        {
            return Some(d);
        }
        rest = &inner[close.min(inner.len())..];
    }
    None
}

/// The column letters a header's annotations name: "全年预算数（A）" → ['A'];
/// "执行率（B/A）" → ['B', 'A'].
pub fn header_letters(text: &str) -> Vec<char> {
    let n: String = normalized_chars(text).collect();
    let mut out = Vec::new();
    let mut rest = n.as_str();
    while let Some(open) = rest.find('(') {
        let inner = &rest[open + 1..];
        let close = inner.find(')').unwrap_or(inner.len());
        let body = &inner[..close];
        let letters: Vec<char> = body
            .split(['/', '÷', '／'])
            .filter_map(|p| {
                let mut cs = p.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) if c.is_ascii_uppercase() => Some(c),
                    _ => None,
                }
            })
            .collect();
        if !letters.is_empty() && letters.len() == body.split(['/', '÷', '／']).count() {
            out.extend(letters);
        }
        rest = &inner[close.min(inner.len())..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    fn role(text: &str) -> Option<Role> {
        Profile::default().vocab.classify(text).map(|(r, _)| r)
    }

    #[test]
    fn headers_are_classified_by_meaning() {
        let cases = [
            ("年初预算数", Role::Initial),
            ("年 初 预 算 数", Role::Initial),
            ("全年预算数（Ａ）", Role::Full),
            ("全年（调整）预算数", Role::Full),
            ("调整后预算数", Role::Full),
            ("预算数(A)", Role::Full),
            ("全年执行数（B）", Role::Exec),
            ("预算执行数", Role::Exec),
            ("执行数(B)", Role::Exec),
            ("分值(10分)", Role::Weight),
            ("指标分值权重", Role::Weight),
            ("执行率权重", Role::Weight),
            ("执行率(%)(B/A)", Role::Rate),
            ("预算执行率", Role::Rate),
            ("得分(20分*执行率)", Role::Score),
            ("执行率得分（分）", Role::Score),
            ("自评得分", Role::Score),
            ("得分计算方法", Role::Other),
            ("指标设定依据", Role::Other),
            ("预算执行情况（万元）（20分）", Role::Other),
            ("年度 指标值", Role::Target),
            ("年初目标值（A）", Role::Target),
            ("实际值（B）", Role::Actual),
            ("全年实际完成值", Role::Actual),
            ("全年实际值(B)", Role::Actual),
            ("指标实际\n完成值", Role::Actual),
            ("指标性质", Role::Op),
            ("度量单位", Role::Unit),
            ("偏差原因分析及改进措施", Role::Reason),
            ("未完成原因及拟采取的改进措施", Role::Reason),
            ("权重占比", Role::Share),
            ("权重占比(%)", Role::Share),
            ("折算得分", Role::Scaled),
            ("单项指标得分", Role::Score),
            ("得分系数", Role::Ratio),
            ("得分系数（%）", Role::Ratio),
            ("完成率", Role::Completion),
            ("实际完成率", Role::Completion),
            ("指标完成率(%)", Role::Completion),
            ("偏差率", Role::Deviation),
            // A funding block's rate written as a 完成率 is still its 执行率.
            ("预算完成率", Role::Rate),
            ("资金完成率(%)", Role::Rate),
            ("偏离度", Role::Deviation),
            ("一级指标", Role::L1),
            ("二级指标", Role::L2),
            ("三级指标", Role::L3),
        ];
        for (text, expected) in cases {
            assert_eq!(role(text), Some(expected), "{text}");
        }
        // "目标" is a weak word for the target: a block label such as "年度绩效目标（80分）"
        // holds it too, and loses to a column whose header says more ("年初目标值").
        assert_eq!(
            Profile::default().vocab.classify("年度绩效目标（80分）"),
            Some((Role::Target, "目标"))
        );
        for text in ["部门资金（万元）", "绩效指标", "考核内容", ""] {
            assert_eq!(role(text), None, "{text}");
        }
    }

    #[test]
    fn points_letters_and_numbering() {
        use rust_decimal::Decimal;
        assert_eq!(stated_points("产出指标（50分）"), Some(Decimal::from(50)));
        assert_eq!(
            stated_points("预算执行情况（万元）（20分）"),
            Some(Decimal::from(20))
        );
        assert_eq!(stated_points("得分(20分*执行率)"), Some(Decimal::from(20)));
        assert_eq!(
            stated_points("产 出 指 标 （50分）"),
            Some(Decimal::from(50))
        );
        assert_eq!(stated_points("产出指标"), None);
        assert_eq!(stated_points("全年预算数（万元）"), None);
        assert_eq!(header_letters("全年预算数（A）"), vec!['A']);
        assert_eq!(header_letters("执行率(%)(B/A)"), vec!['B', 'A']);
        assert_eq!(header_letters("年初预算数"), Vec::<char>::new());
        assert_eq!(strip_numbering("★培育企业"), "培育企业");
        assert_eq!(strip_numbering("指标1:培育企业"), "培育企业");
        assert_eq!(strip_numbering("1.培育企业"), "培育企业");
        assert_eq!(strip_numbering("一、产出指标"), "产出指标");
        assert_eq!(strip_numbering("（一）产出指标"), "产出指标");
        assert_eq!(strip_numbering("2023年计划"), "2023年计划");
        assert_eq!(label_words_key("其中：本年财政拨款"), "本年财政拨款");
    }
}
