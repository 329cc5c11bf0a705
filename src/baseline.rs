//! Findings a reviewer has accepted (`--baseline 已确认.json`): a later run leaves them out of
//! every report, the corrected workbook and the exit status, and says how many it left out.
//!
//! A baseline is either a JSON document `zpcheck check --format json` wrote (every finding in
//! it is accepted; JSON Lines too), or a short text list, one accepted finding per line:
//!
//! ```text
//! # 已与单位核实：目标设定合理
//! ZP204 项目支出绩效自评表!G16
//! 科技局2023.xlsx ZP208 部门整体支出绩效自评表!I19
//! ```
//!
//! A line names the rule and the cell (工作表!单元格), and optionally first the file (by its
//! name, not its folder: the same submission moved elsewhere is still the same). Without a file
//! the entry holds for every file. An entry names a finding by rule and cell, not by message:
//! a corrected value that changes the message keeps the acceptance; a new rule at the cell
//! does not.

use std::collections::HashSet;
use std::path::Path;

use crate::finding::Finding;
use crate::grid::CellRef;

/// A baseline file's accepted findings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Baseline {
    /// (file name, rule, sheet, cell); a file name of `None` matches every file.
    entries: HashSet<(Option<String>, String, String, CellRef)>,
}

impl Baseline {
    /// Reads a baseline file; the error says, in Chinese, what is wrong and where.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let bytes =
            crate::error::read_small_file(path, crate::limits::MAX_BASELINE_BYTES, "基线文件")?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("基线文件 {} 不是 UTF-8 文本", path.display()))?;
        Baseline::parse(text.trim_start_matches('\u{feff}'))
            .map_err(|e| format!("基线文件 {}：{e}", path.display()))
    }

    /// Reads a baseline's text: a zpcheck JSON document, JSON Lines, or the text list.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let mut b = Baseline::default();
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') {
            // One document, or one object per line.
            let docs: Vec<serde_json::Value> = match serde_json::from_str(trimmed) {
                Ok(doc) => vec![doc],
                Err(_) => trimmed
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .enumerate()
                    .map(|(n, l)| {
                        serde_json::from_str(l).map_err(|_| format!("第 {} 行不是 JSON", n + 1))
                    })
                    .collect::<Result<_, _>>()?,
            };
            for doc in &docs {
                let files = match doc.get("files").and_then(|f| f.as_array()) {
                    Some(files) => files.iter().collect(),
                    None => vec![doc],
                };
                for file in files {
                    b.add_json_file(file)?;
                }
            }
            return Ok(b);
        }
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // "规则 引用" or "文件名 规则 引用"; the reference may hold spaces in a quoted sheet
            // name ('部门 表'!I19).
            let is_rule = |w: &str| w.len() == 5 && w[..2].eq_ignore_ascii_case("ZP");
            let mut words = line.splitn(2, char::is_whitespace);
            let first = words.next().unwrap_or_default();
            let rest = words.next().unwrap_or_default().trim();
            let (file, rule, at) = if is_rule(first) {
                (None, first, rest)
            } else {
                let mut more = rest.splitn(2, char::is_whitespace);
                let rule = more.next().unwrap_or_default();
                (
                    Some(file_name(first)),
                    rule,
                    more.next().unwrap_or_default().trim(),
                )
            };
            if at.is_empty() || !is_rule(rule) {
                return Err(format!(
                    "第 {} 行应为“规则 工作表!单元格”或“文件名 规则 工作表!单元格”，实为“{line}”",
                    n + 1
                ));
            }
            let (sheet, cell) = at
                .rsplit_once('!')
                .and_then(|(s, c)| Some((s.trim_matches('\''), CellRef::parse(c)?)))
                .ok_or_else(|| format!("第 {} 行的“{at}”不是 工作表!单元格", n + 1))?;
            if crate::rules::rule(&rule.to_ascii_uppercase()).is_none() {
                return Err(format!("第 {} 行：没有规则 {rule}", n + 1));
            }
            b.entries
                .insert((file, rule.to_ascii_uppercase(), sheet.to_string(), cell));
        }
        Ok(b)
    }

    fn add_json_file(&mut self, file: &serde_json::Value) -> Result<(), String> {
        let name = file.get("path").and_then(|p| p.as_str()).map(file_name);
        let findings = file
            .get("findings")
            .and_then(|f| f.as_array())
            .ok_or("JSON 中没有 files[].findings：请用 zpcheck check --format json 写出的文件")?;
        for f in findings {
            let field = |k: &str| f.get(k).and_then(|v| v.as_str());
            // A finding on a report's narrative: by its paragraph and the claim as written.
            if field("source") == Some("text") {
                let (Some(rule), Some(paragraph), Some(quote)) = (
                    field("rule"),
                    f.get("paragraph").and_then(|v| v.as_u64()),
                    field("quote"),
                ) else {
                    return Err("JSON 中报告正文的问题缺少 rule、paragraph 或 quote".to_string());
                };
                self.entries.insert((
                    name.clone(),
                    rule.to_string(),
                    text_place(paragraph as usize, quote),
                    CellRef::new(0, 0),
                ));
                continue;
            }
            let (Some(rule), Some(sheet), Some(cell)) = (
                field("rule"),
                field("sheet"),
                field("cell").and_then(CellRef::parse),
            ) else {
                return Err("JSON 中的问题缺少 rule、sheet 或 cell".to_string());
            };
            self.entries
                .insert((name.clone(), rule.to_string(), sheet.to_string(), cell));
        }
        Ok(())
    }

    /// How many findings it accepts.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it accepts nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether a finding of the file at `path` was accepted.
    pub fn accepts(&self, path: &Path, f: &Finding) -> bool {
        let sheet = match &f.text {
            Some(t) => text_place(t.paragraph, &t.quote),
            None => f.sheet.clone(),
        };
        let key = |file: Option<String>| (file, f.rule.to_string(), sheet.clone(), f.cell);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        self.entries.contains(&key(None)) || self.entries.contains(&key(name))
    }
}

/// The key a finding on a report's narrative is accepted by: its paragraph and claim (it has
/// no cell).
fn text_place(paragraph: usize, quote: &str) -> String {
    format!("正文第{paragraph}段“{quote}”")
}

/// A path's file name (the whole text when it has none).
fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn finding(rule: &'static str, sheet: &str, cell: &str) -> Finding {
        Finding {
            rule,
            severity: Severity::Warning,
            sheet: sheet.to_string(),
            cell: CellRef::parse(cell).unwrap(),
            found: String::new(),
            expected: String::new(),
            message: String::new(),
            fix: None,
            sum_of: Vec::new(),
            inputs: Vec::new(),
            follows: None,
            text: None,
        }
    }

    #[test]
    fn the_text_list_names_rule_and_cell_and_optionally_the_file() {
        let b = Baseline::parse(
            "# 已核实\nZP204 项目支出绩效自评表!G16\n\n甲.xlsx zp208 '部门 表'!I19\n",
        )
        .unwrap();
        assert_eq!(b.len(), 2);
        let any = Path::new("任意/乙.xlsx");
        assert!(b.accepts(any, &finding("ZP204", "项目支出绩效自评表", "G16")));
        assert!(!b.accepts(any, &finding("ZP204", "项目支出绩效自评表", "G17")));
        assert!(!b.accepts(any, &finding("ZP202", "项目支出绩效自评表", "G16")));
        // A file's entry holds for that file only, wherever it is.
        let f = finding("ZP208", "部门 表", "I19");
        assert!(b.accepts(Path::new("别处/甲.xlsx"), &f));
        assert!(!b.accepts(any, &f));
        assert_eq!(
            Baseline::parse("ZP204").unwrap_err(),
            "第 1 行应为“规则 工作表!单元格”或“文件名 规则 工作表!单元格”，实为“ZP204”"
        );
        assert_eq!(
            Baseline::parse("ZP999 表!A1").unwrap_err(),
            "第 1 行：没有规则 ZP999"
        );
        assert_eq!(
            Baseline::parse("ZP204 表A1").unwrap_err(),
            "第 1 行的“表A1”不是 工作表!单元格"
        );
    }

    #[test]
    fn a_json_report_accepts_every_finding_it_lists() {
        let doc = r#"{"files":[{"path":"a/甲.xlsx","findings":[
            {"rule":"ZP204","sheet":"表","cell":"G16"},{"rule":"ZP208","sheet":"表","cell":"I19"}]}]}"#;
        let b = Baseline::parse(doc).unwrap();
        assert_eq!(b.len(), 2);
        assert!(b.accepts(Path::new("b/甲.xlsx"), &finding("ZP204", "表", "G16")));
        assert!(!b.accepts(Path::new("b/乙.xlsx"), &finding("ZP204", "表", "G16")));
        // JSON Lines: one file per line.
        let lines = "{\"path\":\"甲.xlsx\",\"findings\":[{\"rule\":\"ZP204\",\"sheet\":\"表\",\"cell\":\"G16\"}]}\n\
                     {\"path\":\"乙.xlsx\",\"findings\":[]}\n";
        assert_eq!(Baseline::parse(lines).unwrap().len(), 1);
        assert!(Baseline::parse("{\"files\":[{\"path\":\"x\"}]}").is_err());
    }
}
