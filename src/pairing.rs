//! Pairing a 自评报告 with its 自评表 workbook, so that the report's words are held to the
//! workbook's figures: in one run, a report and a workbook are paired one to one when their
//! 项目名称 (or 部门/单位名称, for 部门整体) and year agree, or, when no name pairs them, when their
//! file stems agree ("科技局2023.docx" and "科技局2023.xlsx"; "…自评报告" and "…自评表" count as
//! one stem). A report that several workbooks match (one unit, several projects) stays unpaired,
//! with a note that says which; an unpaired report is checked on its own. `--pair` pairs the two
//! files named, whatever their names.

use std::path::{Path, PathBuf};

use crate::Profile;

/// What a file is paired by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairKey {
    /// A report (otherwise a workbook).
    pub report: bool,
    /// The names it gives (project, unit, department), normalised.
    pub names: Vec<String>,
    /// The year it is of.
    pub year: Option<u16>,
    /// Its file stem without 自评报告 / 自评表 / 报告 / 绩效 words, normalised.
    pub stem: String,
}

/// Words a name or a stem is compared without.
const NOISE: &[&str] = &[
    "部门整体支出绩效自评报告",
    "部门整体支出绩效自评表",
    "项目支出绩效自评报告",
    "项目支出绩效自评表",
    "整体支出绩效自评报告",
    "整体支出绩效自评表",
    "支出绩效自评报告",
    "支出绩效自评表",
    "绩效自评报告",
    "绩效自评表",
    "自评报告",
    "自评表",
    "报告",
    "(公章)",
    "(盖章)",
    "_",
    "-",
    "年度",
];

fn clean(s: &str) -> String {
    let mut k = crate::num::label_key(s);
    for w in NOISE {
        k = k.replace(w, "");
    }
    k
}

/// The pairing key of a file, when it is a report or a workbook with a form.
pub fn key_of(path: &Path, profile: &Profile) -> Option<PairKey> {
    key_of_bytes(path, crate::read::file_bytes(path).ok()?, profile)
}

/// [`key_of`] for a file's bytes (the page's files), `path` naming it.
pub fn key_of_bytes(path: &Path, bytes: Vec<u8>, profile: &Profile) -> Option<PairKey> {
    let checked = crate::check_workbook(crate::read::read_bytes(bytes).ok()?, profile).ok()?;
    let stem = clean(&path.file_stem()?.to_string_lossy());
    let mut names: Vec<String> = checked
        .forms
        .iter()
        .flat_map(|f| [&f.form.name, &f.form.unit, &f.form.department])
        .flatten()
        .map(|n| clean(n))
        .filter(|n| n.chars().count() >= 2)
        .collect();
    let mut year = checked.forms.iter().find_map(|f| f.form.year);
    let report = checked.workbook.document.is_some();
    if let Some(doc) = &checked.workbook.document {
        year = checked.report.as_ref().and_then(|r| r.year).or(year);
        for p in doc.paragraphs.iter().take(15) {
            let t = crate::num::normalize(&p.text);
            // "部门单位名称(公章):克拉玛依区科技局", "项目名称：…"
            if let Some((label, value)) = t.split_once([':', '：'])
                && label.contains("名称")
            {
                names.push(clean(value));
            }
            // The title: "克拉玛依区科学技术局整体支出绩效自评报告".
            if t.contains("报告") {
                names.push(clean(&t));
            }
        }
        names.retain(|n| n.chars().count() >= 2);
    }
    names.sort();
    names.dedup();
    Some(PairKey {
        report,
        names,
        year,
        stem,
    })
}

fn names_agree(a: &PairKey, b: &PairKey) -> bool {
    let years = match (a.year, b.year) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    years
        && a.names.iter().any(|x| {
            b.names
                .iter()
                .any(|y| x == y || (x.chars().count() >= 4 && y.contains(x.as_str())))
        })
}

/// What pairing gave: (report, workbook) pairs by index, and notes for reports left unpaired
/// because several workbooks matched.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pairs {
    /// Report index, workbook index.
    pub pairs: Vec<(usize, usize)>,
    /// Report index, why it stays unpaired.
    pub notes: Vec<(usize, String)>,
}

/// Pairs reports with workbooks among `files` (each with its key, when it has one).
pub fn pair(files: &[(PathBuf, Option<PairKey>)]) -> Pairs {
    let mut out = Pairs::default();
    let reports: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].1.as_ref().is_some_and(|k| k.report))
        .collect();
    let books: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].1.as_ref().is_some_and(|k| !k.report))
        .collect();
    let key = |i: usize| files[i].1.as_ref();
    let by_name = |r: usize| -> Vec<usize> {
        books
            .iter()
            .copied()
            .filter(|&b| key(r).zip(key(b)).is_some_and(|(x, y)| names_agree(x, y)))
            .collect()
    };
    let by_stem = |r: usize| -> Vec<usize> {
        books
            .iter()
            .copied()
            .filter(|&b| {
                key(r)
                    .zip(key(b))
                    .is_some_and(|(x, y)| !x.stem.is_empty() && x.stem == y.stem)
            })
            .collect()
    };
    for &r in &reports {
        let mut candidates = by_name(r);
        if candidates.is_empty() {
            candidates = by_stem(r);
        }
        match candidates.as_slice() {
            [] => {}
            [b] => {
                // One to one: the workbook must match no other report.
                let rivals = reports
                    .iter()
                    .filter(|&&o| o != r)
                    .filter(|&&o| {
                        let c = by_name(o);
                        let c = if c.is_empty() { by_stem(o) } else { c };
                        c.contains(b)
                    })
                    .count();
                if rivals == 0 {
                    out.pairs.push((r, *b));
                } else {
                    out.notes.push((
                        r,
                        format!(
                            "与工作簿 {} 名称相同，但该工作簿也与其他报告相同，未配对",
                            files[*b].0.display()
                        ),
                    ));
                }
            }
            many => {
                let names: Vec<String> = many
                    .iter()
                    .map(|&b| files[b].0.display().to_string())
                    .collect();
                out.notes.push((
                    r,
                    format!(
                        "与多个工作簿名称相同（{}），无法确定是哪一个，未配对；可用 --pair 指定",
                        names.join("、")
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(report: bool, names: &[&str], year: Option<u16>, stem: &str) -> Option<PairKey> {
        Some(PairKey {
            report,
            names: names.iter().map(|n| clean(n)).collect(),
            year,
            stem: clean(stem),
        })
    }

    #[test]
    fn reports_pair_by_name_and_year_then_by_stem_and_ambiguity_is_said() {
        let files = vec![
            (
                PathBuf::from("a.docx"),
                key(true, &["克拉玛依区科学技术局"], Some(2023), "甲"),
            ),
            (
                PathBuf::from("b.xlsx"),
                key(false, &["克拉玛依区科学技术局"], Some(2023), "乙"),
            ),
            (
                PathBuf::from("c.docx"),
                key(true, &["某项目"], Some(2023), "丙自评报告"),
            ),
            (
                PathBuf::from("丙自评表.xlsx"),
                key(false, &["别的名字"], Some(2023), "丙自评表"),
            ),
            (
                PathBuf::from("d.docx"),
                key(true, &["某局"], Some(2023), "丁"),
            ),
            (
                PathBuf::from("e1.xlsx"),
                key(false, &["某局"], Some(2023), "戊1"),
            ),
            (
                PathBuf::from("e2.xlsx"),
                key(false, &["某局"], Some(2023), "戊2"),
            ),
            (
                PathBuf::from("f.docx"),
                key(true, &["克拉玛依区科学技术局"], Some(2022), "己"),
            ),
        ];
        let p = pair(&files);
        assert_eq!(p.pairs, [(0, 1), (2, 3)]);
        assert_eq!(p.notes.len(), 1);
        assert_eq!(p.notes[0].0, 4);
        assert!(
            p.notes[0].1.contains("e1.xlsx、e2.xlsx"),
            "{}",
            p.notes[0].1
        );
    }
}
