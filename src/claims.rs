//! The figures a 自评报告's narrative states, read from its paragraphs: every number with its
//! unit (万元 / 元 / 亿元, %, 分, 天, a count's 个 / 项 / 家 / 人…, a unit price "每家10万元" or
//! "10万元/家"), the words before it that say what it is (its label), the sentence and clause it
//! stands in, and whether that clause speaks of another year ("上年", "同比", "2020 年…"). The
//! rules of `rules::text` hold these figures to each other and to the 自评表.
//!
//! What is read as written: full-width digits and signs (“９９．６３％”) are their ASCII forms,
//! a thousands separator is a comma between digit groups of three (“7,800,000.00元”) and
//! nothing else (“2142.94 万元,其中” keeps its comma as a clause break), white space inside a
//! figure and its unit is passed over. A figure's precision is the decimals it is written
//! with; a claim agrees when the value it should have, rounded there, is the value written.
//!
//! This is the locate stage of a report: it finds what the text says; it judges nothing.

use rust_decimal::Decimal;

use crate::grid::Document;

/// What a figure measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// Money, in 万元 (元 and 亿元 converted; the factor it was written in is kept).
    Money {
        /// What one written unit is in 万元 (1 for 万元, 0.0001 for 元, 10000 for 亿元).
        factor: Decimal,
    },
    /// A percentage (the value in percent units).
    Percent,
    /// A score in 分.
    Score,
    /// Days.
    Days,
    /// A count with its measure word ("个", "家", "项").
    Count(char),
    /// Money per one of a count ("每家10万元", "10万元/家"): the measure word, and the factor.
    Price {
        /// The count's measure word.
        per: char,
        /// As for [`Unit::Money`].
        factor: Decimal,
    },
}

/// One figure of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure<'a> {
    /// The value in the unit's base (万元 for money, percent for rates).
    pub value: Decimal,
    /// Decimals written.
    pub dp: u32,
    /// Its unit.
    pub unit: Unit,
    /// The words before it back to the clause's start or the figure before it, normalised
    /// (no white space, full-width folded): what the figure is ("全年实际支出资金").
    pub label: std::borrow::Cow<'a, str>,
    /// The claim as written: the label (from its clause's start) through the unit.
    pub quote: &'a str,
    /// The sentence it stands in (0-based within the paragraph; sentences end at 。！？).
    pub sentence: usize,
    /// The clause it stands in (0-based within the paragraph; clauses end at ，,；;：:、 too).
    pub clause: usize,
    /// Its clause names a previous or another year ("上年", "同比", "2020年"), or an
    /// approximation ("约", "左右"): not this year's figure, or not exact.
    pub other_year: bool,
    /// Written as approximate ("约", "左右", "余", "多").
    pub approx: bool,
    /// Where it starts, in chars of the paragraph's text.
    pub at: usize,
    /// Whether the figure directly follows "其中" (the text between them has no figure).
    pub after_qizhong: bool,
    /// Where its sentence up to the figure stands in the paragraph's text (bytes): what the
    /// sentence has said of it so far (its subject: "基本支出…", "项目…"); see [`ParaFigures::before`].
    pub before: std::ops::Range<usize>,
}

/// A paragraph's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ParaFigures<'a> {
    /// The paragraph, 1-based in [`Document::paragraphs`].
    pub paragraph: usize,
    /// The figures in order.
    pub figures: Vec<Figure<'a>>,
    /// The paragraph's text as written (its figures' labels are the normalised words).
    pub text: &'a str,
    /// Per sentence, its text normalised (for subject and year words).
    pub sentences: Vec<String>,
    /// Where each "其中" starts (as a position between figures: the index of the first figure
    /// after it).
    pub qizhong: Vec<usize>,
}

impl<'a> ParaFigures<'a> {
    /// A figure's sentence up to it, as written.
    pub fn before(&self, f: &Figure<'_>) -> &'a str {
        self.text.get(f.before.clone()).unwrap_or("")
    }
}

/// Words that mark a clause as about a previous year.
const PAST_WORDS: &[&str] = &[
    "上年",
    "去年",
    "同比",
    "上一年",
    "往年",
    "比上年",
    "较上年",
    "上年度",
    "前年",
];

/// Words before a figure that mark it as approximate ("约 479 万元", "近 500 人").
const APPROX_BEFORE: &[&str] = &["约", "大约", "近", "将近", "接近"];
/// Words after a figure (and its unit) that mark it as approximate ("200余人" is read as
/// "200" then "余人"; "479 万元左右").
const APPROX_AFTER: &[&str] = &["左右", "余", "多", "上下"];

/// The measure words read as counts.
const COUNT_WORDS: &str = "个项家人名户次所件篇场条批台套处位";

/// The report's year: the year most paragraphs of its first part name (the title's "（2023年度）").
pub fn report_year(document: &Document) -> Option<u16> {
    let mut counts: std::collections::BTreeMap<u16, usize> = Default::default();
    for p in document.paragraphs.iter().take(40) {
        if let Some(y) = crate::num::year_in(&p.text) {
            *counts.entry(y).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(y, n)| (*n, *y))
        .map(|(y, _)| y)
}

/// Every paragraph's figures (paragraphs with none are left out).
pub fn figures(document: &Document, year: Option<u16>) -> Vec<ParaFigures<'_>> {
    // The chars of one paragraph at a time, in buffers kept for the next.
    let mut buffers = Buffers::default();
    document
        .paragraphs
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let f = figures_with(i + 1, &p.text, year, &mut buffers);
            (!f.figures.is_empty()).then_some(f)
        })
        .collect()
}

/// A paragraph's chars (folded) and where each starts in its text, reused from paragraph to
/// paragraph.
#[derive(Default)]
struct Buffers {
    starts: Vec<u32>,
    chars: Vec<char>,
    /// How many chars before each index are white space or full-width (so not as written in
    /// a normalised label): a label with none is its text, borrowed.
    unplain: Vec<u32>,
}

fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | '\n')
}

fn is_clause_end(c: char) -> bool {
    is_sentence_end(c) || matches!(c, ',' | '，' | ';' | '；' | ':' | '：' | '、' | '(' | ')')
}

/// Reads one paragraph's figures.
pub fn paragraph_figures(paragraph: usize, text: &str, year: Option<u16>) -> ParaFigures<'_> {
    figures_with(paragraph, text, year, &mut Buffers::default())
}

/// [`paragraph_figures`] with buffers kept between paragraphs.
fn figures_with<'a>(
    paragraph: usize,
    text: &'a str,
    year: Option<u16>,
    buffers: &mut Buffers,
) -> ParaFigures<'a> {
    // Most paragraphs of a report state no figure at all: passed over without a copy.
    // (By bytes: an ASCII digit, or 0xEF, which starts a full-width digit's UTF-8 — and
    // other full-width forms, which only cost the slower path.)
    if !text.bytes().any(|b| b.is_ascii_digit() || b == 0xEF) {
        return ParaFigures {
            paragraph,
            figures: Vec::new(),
            text,
            sentences: Vec::new(),
            qizhong: Vec::new(),
        };
    }
    // Each char folded, with where it starts in the text (a quote is a slice of the text).
    let Buffers {
        starts,
        chars: c,
        unplain,
    } = buffers;
    starts.clear();
    c.clear();
    unplain.clear();
    // A paragraph is far shorter than 4 GiB (the document part is within the input limits).
    let reserve = text.len().min(1 << 20);
    starts.reserve(reserve);
    c.reserve(reserve);
    unplain.reserve(reserve + 1);
    let mut count = 0u32;
    for (b, x) in text.char_indices() {
        starts.push(u32::try_from(b).unwrap_or(u32::MAX));
        let folded = fold(x);
        c.push(folded);
        unplain.push(count);
        if folded != x || folded.is_whitespace() {
            count += 1;
        }
    }
    unplain.push(count);
    let (starts, c, unplain) = (&*starts, &*c, &*unplain);
    let n = c.len();
    let byte = |k: usize| starts.get(k).map_or(text.len(), |&b| b as usize);
    // The words from `a` to `b` normalised: the text itself when it has no white space and no
    // full-width form (most labels), else the folded chars without white space.
    let norm = |a: usize, b: usize| -> std::borrow::Cow<'a, str> {
        let (a, b) = (a.min(n), b.min(n).max(a.min(n)));
        if unplain[a] == unplain[b] {
            std::borrow::Cow::Borrowed(&text[byte(a)..byte(b)])
        } else {
            std::borrow::Cow::Owned(c[a..b].iter().filter(|x| !x.is_whitespace()).collect())
        }
    };
    // One pass: the sentence and clause the scan is in (updated after each char it visits; a
    // figure's span holds no break: digits, a thousands comma, spaces, its unit).
    let (mut sentence, mut clause) = (0usize, 0usize);
    let (mut sentence_begin, mut clause_begin) = (0usize, 0usize);
    // Whether the current clause speaks of another year, once a figure in it asks.
    let mut clause_other_year: Option<bool> = None;
    let mut figures: Vec<Figure<'_>> = Vec::new();
    let mut qizhong: Vec<(usize, usize)> = Vec::new();
    let mut last_end = 0usize;
    let mut i = 0;
    while i < n {
        let x = c[i];
        // Most chars are words: only their sentence and clause breaks (and 其中) matter.
        if !x.is_ascii_digit() {
            if x == '其' && c.get(i + 1) == Some(&'中') {
                qizhong.push((figures.len(), i));
            } else if is_clause_end(x) && !thousands_comma(c, i) {
                clause += 1;
                clause_begin = i + 1;
                clause_other_year = None;
                if is_sentence_end(x) {
                    sentence += 1;
                    sentence_begin = i + 1;
                }
            }
            i += 1;
            continue;
        }
        if let Some((value, dp, unit, end)) = figure_at(c, i) {
            let other_year = *clause_other_year.get_or_insert_with(|| {
                let clause_end = (i..n)
                    .find(|&k| is_clause_end(c[k]) && !thousands_comma(c, k))
                    .unwrap_or(n);
                let clause = &c[clause_begin.min(clause_end)..clause_end];
                // Every past word holds one of these: most clauses are passed at once.
                (clause
                    .iter()
                    .any(|x| matches!(x, '上' | '去' | '同' | '往' | '前'))
                    && PAST_WORDS
                        .iter()
                        .any(|w| norm(clause_begin, clause_end).contains(w)))
                    || year.is_some_and(|y| names_other_year(clause, y))
            });
            let label = norm(last_end.max(clause_begin), i);
            let quote = &text[byte(clause_begin.min(i))..byte(end.min(n))];
            let approx = APPROX_BEFORE.iter().any(|w| label.ends_with(w))
                || APPROX_AFTER.iter().any(|w| {
                    w.chars()
                        .enumerate()
                        .all(|(k, x)| c.get(end + k) == Some(&x))
                });
            let after_qizhong = qizhong
                .last()
                .is_some_and(|&(count, pos)| count == figures.len() && pos >= last_end);
            figures.push(Figure {
                value,
                dp,
                unit,
                label,
                quote: quote.trim(),
                sentence,
                clause,
                other_year,
                approx,
                at: i,
                after_qizhong,
                before: byte(sentence_begin)..byte(i),
            });
            last_end = end;
            i = end.max(i + 1);
            continue;
        }
        // A digit that starts no figure: a year, a date, a numbering or a bare number.
        i = not_a_figure(c, i).unwrap_or(i + 1);
    }
    // A paragraph's sentences are only wanted where it states a score (its grade word).
    let sentences = if figures.iter().any(|f| f.unit == Unit::Score) {
        let mut out = vec![String::new()];
        for (k, &x) in c.iter().enumerate() {
            if !x.is_whitespace()
                && let Some(last) = out.last_mut()
            {
                last.push(x);
            }
            if is_sentence_end(x) && !thousands_comma(c, k) {
                out.push(String::new());
            }
        }
        out
    } else {
        Vec::new()
    };
    ParaFigures {
        paragraph,
        figures,
        text,
        sentences,
        qizhong: qizhong.into_iter().map(|(k, _)| k).collect(),
    }
}

/// Whether the comma at `k` separates thousands ("7,800,000"): no clause break.
fn thousands_comma(c: &[char], k: usize) -> bool {
    c[k] == ',' && k > 0 && c[k - 1].is_ascii_digit() && group_of_three(c, k + 1)
}

/// Where the scan goes on when a number at `i` is a year, a date or a numbering ("2023年",
/// "1月", "(1)", "第2", "2023.1.19-8.16"): past it. None when `i` starts no such number.
fn not_a_figure(c: &[char], i: usize) -> Option<usize> {
    let n = c.len();
    if !starts_number(c, i) {
        return None;
    }
    let (_, _, mut j) = number_value_at(c, i)?;
    while j < n && c[j] == ' ' {
        j += 1;
    }
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let before = if i > 0 { c[i - 1] } else { '\0' };
    let dated = matches!(
        at(j),
        '年' | '月' | '日' | '号' | '.' | '-' | '/' | '~' | '届' | '层' | '批'
    ) || before == '第'
        || (before == '(' && at(j) == ')')
        || before == '《';
    if dated {
        let mut k = j;
        while k < n && (c[k].is_ascii_digit() || matches!(c[k], '.' | '-' | '/' | '~')) {
            k += 1;
        }
        return Some(k.max(i + 1));
    }
    // A number with no unit: passed over.
    Some(j.max(i + 1))
}

/// Whether a number starts at `i` (a digit not inside a word or another number).
fn starts_number(c: &[char], i: usize) -> bool {
    c[i].is_ascii_digit() && (i == 0 || !(c[i - 1].is_ascii_alphanumeric() || c[i - 1] == '.'))
}

/// The figure starting at `i`, if one does: value (in the unit's base), decimals, its unit and
/// where the figure ends.
fn figure_at(c: &[char], i: usize) -> Option<(Decimal, u32, Unit, usize)> {
    if !starts_number(c, i) {
        return None;
    }
    let n = c.len();
    let (value, dp, num_end) = number_value_at(c, i)?;
    let mut j = num_end;
    while j < n && c[j] == ' ' {
        j += 1;
    }
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let before = if i > 0 { c[i - 1] } else { '\0' };
    if matches!(
        at(j),
        '年' | '月' | '日' | '号' | '.' | '-' | '/' | '~' | '届' | '层' | '批'
    ) || before == '第'
        || (before == '(' && at(j) == ')')
        || before == '《'
    {
        return None;
    }
    let (unit, end) = if at(j) == '万' && at(j + 1) == '元' {
        money_or_price(c, j + 2, Decimal::ONE)
    } else if at(j) == '亿' && at(j + 1) == '元' {
        money_or_price(c, j + 2, Decimal::from(10_000))
    } else if at(j) == '元' {
        money_or_price(c, j + 1, Decimal::new(1, 4))
    } else if at(j) == '%' {
        (Some(Unit::Percent), j + 1)
    } else if at(j) == '分' && at(j + 1) != '之' {
        (Some(Unit::Score), j + 1)
    } else if at(j) == '天' {
        (Some(Unit::Days), j + 1)
    } else if is_count_word(at(j)) {
        (Some(Unit::Count(at(j))), j + 1)
    } else {
        (None, j)
    };
    let mut unit = unit?;
    // "每家10万元": a price per one of a count.
    if let Unit::Money { factor } = unit
        && i >= 2
        && c[i - 2] == '每'
        && is_count_word(c[i - 1])
    {
        unit = Unit::Price {
            per: c[i - 1],
            factor,
        };
    }
    let value = match &unit {
        Unit::Money { factor } | Unit::Price { factor, .. } => value * factor,
        _ => value,
    };
    Some((value, dp, unit, end))
}

fn is_count_word(x: char) -> bool {
    COUNT_WORDS.contains(x)
}

/// Whether `c[from..]` starts with exactly three digits (a thousands group).
fn group_of_three(c: &[char], from: usize) -> bool {
    (0..3).all(|k| c.get(from + k).is_some_and(char::is_ascii_digit))
        && !c.get(from + 3).is_some_and(char::is_ascii_digit)
}

/// The number starting at `i` without its text: value, decimals, where it ends. Digits are
/// accumulated into a mantissa (no text is built for the many numbers that are no figure).
fn number_value_at(c: &[char], i: usize) -> Option<(Decimal, u32, usize)> {
    let mut mantissa: i128 = 0;
    let mut digits = 0u32;
    let mut j = i;
    let mut push = |d: char| -> Option<()> {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(d.to_digit(10)?))?;
        digits += 1;
        (digits <= 24).then_some(())
    };
    while j < c.len() {
        if c[j].is_ascii_digit() {
            push(c[j])?;
            j += 1;
        } else if c[j] == ',' && group_of_three(c, j + 1) {
            j += 1;
        } else {
            break;
        }
    }
    let mut dp = 0;
    if c.get(j) == Some(&'.') && c.get(j + 1).is_some_and(char::is_ascii_digit) {
        j += 1;
        while j < c.len() && c[j].is_ascii_digit() {
            push(c[j])?;
            dp += 1;
            j += 1;
        }
    }
    let value = Decimal::try_from_i128_with_scale(mantissa, dp).ok()?;
    Some((value, dp, j))
}

/// After a money unit: "/家" makes it a price per one of that count.
fn money_or_price(c: &[char], j: usize, factor: Decimal) -> (Option<Unit>, usize) {
    if c.get(j) == Some(&'/') && c.get(j + 1).is_some_and(|x| is_count_word(*x)) {
        return (
            Some(Unit::Price {
                per: c[j + 1],
                factor,
            }),
            j + 2,
        );
    }
    (Some(Unit::Money { factor }), j)
}

/// Whether a clause (its folded chars) names a year (four digits followed by 年) other than
/// `year`.
fn names_other_year(chars: &[char], year: u16) -> bool {
    // The digits just before each char (white space passed over, as a normalised clause has
    // it): how many in a row, and the last four as a number.
    let (mut run, mut last4) = (0usize, 0u16);
    for &x in chars.iter().filter(|x| !x.is_whitespace()) {
        if let Some(d) = x.to_digit(10) {
            run += 1;
            last4 = (last4 % 1000) * 10 + d as u16;
        } else {
            if x == '年' && run >= 4 && (1990..=2099).contains(&last4) && last4 != year {
                return true;
            }
            run = 0;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn another_year_named_in_a_clause_is_told_by_its_last_four_digits() {
        let chars = |s: &str| s.chars().map(fold).collect::<Vec<char>>();
        assert!(names_other_year(&chars("2022年预算"), 2023));
        assert!(names_other_year(&chars("较 2 0 2 2 年"), 2023));
        assert!(names_other_year(&chars("２０２２年"), 2023));
        assert!(!names_other_year(&chars("2023年预算"), 2023));
        assert!(!names_other_year(&chars("123年"), 2023));
        assert!(!names_other_year(&chars("1800年"), 2023));
        // Five digits: the last four name the year, as a window of five chars reads it.
        assert!(names_other_year(&chars("12022年"), 2023));
        assert!(!names_other_year(&chars("2022 万元"), 2023));
    }

    #[test]
    fn figures_are_read_with_unit_label_and_precision() {
        let p = paragraph_figures(
            1,
            "2023年我部门全年预算数为 2142.94 万元,其中:上级安排 0 万元，本级安排 ２１２２.９４ 万元。预算7,800,000.00元，执行率 99.6％",
            Some(2023),
        );
        let f: Vec<(Decimal, u32, &str)> = p
            .figures
            .iter()
            .map(|f| (f.value, f.dp, &*f.label))
            .collect();
        assert_eq!(
            f,
            [
                (d("2142.94"), 2, "2023年我部门全年预算数为"),
                (d("0"), 0, "上级安排"),
                (d("2122.94"), 2, "本级安排"),
                (d("780.0000"), 2, "预算"),
                (d("99.6"), 1, "执行率"),
            ]
        );
        assert_eq!(p.figures[3].quote, "预算7,800,000.00元");
        assert_eq!(
            p.figures[3].unit,
            Unit::Money {
                factor: d("0.0001")
            }
        );
        assert_eq!(p.figures[4].unit, Unit::Percent);
        assert_eq!(p.figures[0].quote, "2023年我部门全年预算数为 2142.94 万元");
        assert_eq!(p.figures[4].sentence, 1);
        assert!(p.figures[1].after_qizhong);
        assert!(!p.figures[2].after_qizhong);
        assert_eq!(p.qizhong, [1]);
    }

    #[test]
    fn years_dates_and_numbering_are_not_figures() {
        let p = paragraph_figures(
            1,
            "(4)支付 2023.1.19-8.16 的租赁费用共 479.73 万元(210天)，第2批，《2023年工作计划》",
            Some(2023),
        );
        let units: Vec<&Unit> = p.figures.iter().map(|f| &f.unit).collect();
        assert_eq!(
            units,
            [
                &Unit::Money {
                    factor: Decimal::ONE
                },
                &Unit::Days
            ]
        );
    }

    #[test]
    fn previous_and_other_years_and_prices_are_marked() {
        let p = paragraph_figures(
            1,
            "同比上年度增加189.25万元，将 2020 年 16 家认定奖励资金 480 万元纳入，给予每家10万元，按照 10 万元/家的标准，约 479 万元",
            Some(2023),
        );
        let marks: Vec<(bool, bool)> = p.figures.iter().map(|f| (f.other_year, f.approx)).collect();
        assert_eq!(
            marks,
            [
                (true, false),
                (true, false),
                (true, false),
                (false, false),
                (false, false),
                (false, true)
            ]
        );
        assert_eq!(
            p.figures[3].unit,
            Unit::Price {
                per: '家',
                factor: Decimal::ONE
            }
        );
        assert_eq!(p.figures[4].unit, p.figures[3].unit);
    }
}
