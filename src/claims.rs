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
pub struct Figure {
    /// The value in the unit's base (万元 for money, percent for rates).
    pub value: Decimal,
    /// The value as written, in the unit written (for messages: "7,800,000.00").
    pub written: String,
    /// Decimals written.
    pub dp: u32,
    /// Its unit.
    pub unit: Unit,
    /// The words before it back to the clause's start or the figure before it, normalised
    /// (no white space, full-width folded): what the figure is ("全年实际支出资金").
    pub label: String,
    /// The claim as written: the label (from its clause's start) through the unit.
    pub quote: String,
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
    /// Its sentence up to the figure, normalised: what the sentence has said of it so far
    /// (its subject: "基本支出…", "项目…").
    pub before: String,
}

/// A paragraph's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ParaFigures {
    /// The paragraph, 1-based in [`Document::paragraphs`].
    pub paragraph: usize,
    /// The figures in order.
    pub figures: Vec<Figure>,
    /// The paragraph's text, normalised as labels are (for word searches).
    pub text: String,
    /// Per sentence, its text normalised (for subject and year words).
    pub sentences: Vec<String>,
    /// Where each "其中" starts (as a position between figures: the index of the first figure
    /// after it).
    pub qizhong: Vec<usize>,
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
pub fn figures(document: &Document, year: Option<u16>) -> Vec<ParaFigures> {
    document
        .paragraphs
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let f = paragraph_figures(i + 1, &p.text, year);
            (!f.figures.is_empty()).then_some(f)
        })
        .collect()
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
pub fn paragraph_figures(paragraph: usize, text: &str, year: Option<u16>) -> ParaFigures {
    let orig: Vec<char> = text.chars().collect();
    let c: Vec<char> = orig.iter().map(|&x| fold(x)).collect();
    let n = c.len();
    // Sentence and clause of every char.
    let mut sentence_of = vec![0usize; n + 1];
    let mut clause_of = vec![0usize; n + 1];
    let (mut s, mut k) = (0, 0);
    let mut clause_start = vec![0usize];
    let mut sentence_start = vec![0usize];
    for i in 0..n {
        sentence_of[i] = s;
        clause_of[i] = k;
        // A comma inside a number ("7,800,000") is no clause break.
        let thousands =
            c[i] == ',' && i > 0 && c[i - 1].is_ascii_digit() && group_of_three(&c, i + 1);
        if is_clause_end(c[i]) && !thousands {
            k += 1;
            clause_start.push(i + 1);
            if is_sentence_end(c[i]) {
                s += 1;
                sentence_start.push(i + 1);
            }
        }
    }
    sentence_of[n] = s;
    clause_of[n] = k;
    let norm = |a: usize, b: usize| -> String {
        c[a.min(n)..b.min(n)]
            .iter()
            .filter(|x| !x.is_whitespace())
            .collect()
    };
    // Each clause's words, for the other-year test.
    let clause_text: Vec<String> = (0..clause_start.len())
        .map(|i| {
            let a = clause_start[i];
            let b = clause_start.get(i + 1).copied().unwrap_or(n);
            norm(a, b)
        })
        .collect();
    let mut sentences: Vec<String> = vec![String::new(); s + 1];
    for i in 0..n {
        if !c[i].is_whitespace() {
            sentences[sentence_of[i]].push(c[i]);
        }
    }
    let mut figures: Vec<Figure> = Vec::new();
    let mut qizhong = Vec::new();
    let mut last_end = 0usize;
    let mut i = 0;
    while i < n {
        if c[i] == '其' && c.get(i + 1) == Some(&'中') {
            qizhong.push((figures.len(), i));
        }
        let starts = c[i].is_ascii_digit()
            && (i == 0 || !(c[i - 1].is_ascii_alphanumeric() || c[i - 1] == '.'));
        if !starts {
            i += 1;
            continue;
        }
        let Some((value, dp, written, mut j)) = number_at(&c, i) else {
            i += 1;
            continue;
        };
        // White space between the number and its unit.
        while j < n && c[j] == ' ' {
            j += 1;
        }
        let at = |k: usize| c.get(k).copied().unwrap_or('\0');
        // A year, a date or a numbering ("2023年", "1月", "(1)", "第2") is not a figure.
        let before = if i > 0 { c[i - 1] } else { '\0' };
        if matches!(
            at(j),
            '年' | '月' | '日' | '号' | '.' | '-' | '/' | '~' | '届' | '层' | '批'
        ) || before == '第'
            || (before == '(' && at(j) == ')')
            || before == '《'
        {
            // "2023.1.19-8.16": skip the whole run of digits and separators.
            let mut k = j;
            while k < n && (c[k].is_ascii_digit() || matches!(c[k], '.' | '-' | '/' | '~')) {
                k += 1;
            }
            i = k.max(i + 1);
            continue;
        }
        let (unit, end) = if at(j) == '万' && at(j + 1) == '元' {
            money_or_price(&c, j + 2, Decimal::ONE)
        } else if at(j) == '亿' && at(j + 1) == '元' {
            money_or_price(&c, j + 2, Decimal::from(10_000))
        } else if at(j) == '元' {
            money_or_price(&c, j + 1, Decimal::new(1, 4))
        } else if at(j) == '%' {
            (Some(Unit::Percent), j + 1)
        } else if at(j) == '分' && at(j + 1) != '之' {
            (Some(Unit::Score), j + 1)
        } else if at(j) == '天' {
            (Some(Unit::Days), j + 1)
        } else if COUNT_WORDS.contains(at(j)) {
            (Some(Unit::Count(at(j))), j + 1)
        } else {
            (None, j)
        };
        let Some(mut unit) = unit else {
            i = j.max(i + 1);
            continue;
        };
        // "每家10万元": a price per one of a count.
        if let Unit::Money { factor } = unit
            && i >= 2
            && c[i - 2] == '每'
            && COUNT_WORDS.contains(c[i - 1])
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
        let clause = clause_of[i];
        let label_from = last_end.max(clause_start[clause]);
        let label = norm(label_from, i);
        let quote_from = clause_start[clause].min(i);
        let quote: String = orig[quote_from..end.min(n)].iter().collect::<String>();
        let words = &clause_text[clause];
        let other_year = PAST_WORDS.iter().any(|w| words.contains(w))
            || year.is_some_and(|y| named_years(words).into_iter().any(|named| named != y));
        let tail: String = c[end.min(n)..(end + 2).min(n)].iter().collect();
        let approx = APPROX_BEFORE.iter().any(|w| label.ends_with(w))
            || APPROX_AFTER.iter().any(|w| tail.starts_with(w));
        let after_qizhong = qizhong
            .last()
            .is_some_and(|&(count, pos)| count == figures.len() && pos >= last_end);
        figures.push(Figure {
            value,
            written,
            dp,
            unit,
            label,
            quote: quote.trim().to_string(),
            sentence: sentence_of[i],
            clause,
            other_year,
            approx,
            at: i,
            after_qizhong,
            before: norm(sentence_start[sentence_of[i]], i),
        });
        last_end = end;
        i = end.max(i + 1);
    }
    ParaFigures {
        paragraph,
        figures,
        text: norm(0, n),
        sentences,
        qizhong: qizhong.into_iter().map(|(k, _)| k).collect(),
    }
}

/// Whether `c[from..]` starts with exactly three digits (a thousands group).
fn group_of_three(c: &[char], from: usize) -> bool {
    (0..3).all(|k| c.get(from + k).is_some_and(char::is_ascii_digit))
        && !c.get(from + 3).is_some_and(char::is_ascii_digit)
}

/// The number starting at `i`: its value, decimals, text as written and where it ends.
fn number_at(c: &[char], i: usize) -> Option<(Decimal, u32, String, usize)> {
    let mut digits = String::new();
    let mut written = String::new();
    let mut j = i;
    while j < c.len() {
        if c[j].is_ascii_digit() {
            digits.push(c[j]);
            written.push(c[j]);
            j += 1;
        } else if c[j] == ',' && group_of_three(c, j + 1) && !digits.contains('.') {
            written.push(',');
            j += 1;
        } else {
            break;
        }
    }
    let mut dp = 0;
    if c.get(j) == Some(&'.') && c.get(j + 1).is_some_and(char::is_ascii_digit) {
        digits.push('.');
        written.push('.');
        j += 1;
        while j < c.len() && c[j].is_ascii_digit() {
            digits.push(c[j]);
            written.push(c[j]);
            dp += 1;
            j += 1;
        }
    }
    if digits.len() > 24 {
        return None;
    }
    let value: Decimal = digits.parse().ok()?;
    Some((value, dp, written, j))
}

/// After a money unit: "/家" makes it a price per one of that count.
fn money_or_price(c: &[char], j: usize, factor: Decimal) -> (Option<Unit>, usize) {
    if c.get(j) == Some(&'/') && c.get(j + 1).is_some_and(|x| COUNT_WORDS.contains(*x)) {
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

/// The years a clause names (four digits followed by 年).
fn named_years(words: &str) -> Vec<u16> {
    let chars: Vec<char> = words.chars().collect();
    chars
        .windows(5)
        .filter(|w| w[4] == '年')
        .filter_map(|w| {
            let y = w[..4]
                .iter()
                .try_fold(0u16, |y, c| Some(y * 10 + c.to_digit(10)? as u16))?;
            (1990..=2099).contains(&y).then_some(y)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
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
            .map(|f| (f.value, f.dp, f.label.as_str()))
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
        assert_eq!(p.figures[3].written, "7,800,000.00");
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
