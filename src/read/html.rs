//! An HTML table saved as `.xls`: what many government systems' "导出Excel" produce. Excel and
//! WPS open it after a warning, officers fill it in and send it on. It is read as a
//! spreadsheet program reads it: the page's tables one below the other on one sheet, each `<tr>`
//! a row, each `<td>`/`<th>` a cell placed past the cells that `rowspan` carries down from
//! above, `colspan`/`rowspan` merged ranges, the text outside tables (a title in `<h1>` or
//! `<p>`) a row of its own. A cell's text that reads as a number is that number (Excel's
//! `x:num` attribute gives its exact value), since HTML has no other way to hold one — unless
//! Excel marked the cell `x:str` (text on purpose, as a spreadsheet program then keeps it).
//!
//! The charset the page declares is honoured (see [`super::markup::decode`]); every cell is
//! charged against the limits every format keeps, spans against the merged-cell limit. A
//! corrected workbook is a rebuilt .xlsx: an HTML page cannot be patched.

use crate::error::InputError;
use crate::fallback::Why;
use crate::grid::{Cell, CellRef, CellValue, Merge, Sheet};
use crate::limits::{
    MAX_EXCEL_COLS, MAX_EXCEL_ROWS, MAX_HTML_COLSPAN, MAX_HTML_ROWSPAN, MAX_MERGED_CELLS,
};

use super::format::{Marks, Raw, WriteBack};
use super::markup::{Budget, cell_from_text, decode, unescape};
use super::{FileKind, ReadBy, ReadOptions};

/// Reads an HTML page's tables as one sheet named after its `<title>` (or "Sheet1").
pub(super) fn read(bytes: &[u8], _opts: ReadOptions) -> Result<Raw, InputError> {
    let text = decode(bytes);
    let sheet = parse(&text)?;
    Ok(Raw {
        kind: FileKind::Html,
        sheets: vec![sheet],
        looks: Vec::new(),
        properties: None,
        not_kept: vec![super::format::rebuilt_without(&[], "")],
        kept: None,
        read_by: ReadBy::own("html"),
        marks: Marks::default(),
        placeholder_zero: false,
        write_back: WriteBack::Rebuild(Why::HtmlInput),
        document: None,
    })
}

/// A cell being read: where it goes, its spans, its text so far and Excel's exact value.
struct Open {
    at: CellRef,
    span: (u32, u32),
    text: String,
    num: Option<String>,
    /// Excel's `x:str`: the cell is text whatever it reads as ("001", a code).
    text_only: bool,
}

/// The sheet being built: rows placed one after another, the columns a `rowspan` above still
/// covers, the cells and merges so far and their cost.
struct Builder {
    sheet: Sheet,
    /// The next row to place (every table row and every line of text outside tables).
    row: u32,
    /// Whether a `<tr>` is open.
    in_row: bool,
    /// The next column of the open row.
    col: u32,
    /// For each column, the first row no longer covered by a `rowspan` from above.
    covered: Vec<u32>,
    /// The cell being read.
    cell: Option<Open>,
    /// Text outside any table, waiting to become a row.
    loose: String,
    budget: Budget,
    /// Cells that spans have covered so far.
    spanned: u64,
}

impl Builder {
    fn beyond(what: String) -> InputError {
        InputError::BeyondGrid(what)
    }

    fn open_row(&mut self) -> Result<(), InputError> {
        self.close_row()?;
        if self.row >= MAX_EXCEL_ROWS {
            return Err(Self::beyond(
                "表格超过 Excel 的 1,048,576 行，Excel 和 WPS 都打不开".into(),
            ));
        }
        self.in_row = true;
        self.col = 0;
        Ok(())
    }

    fn close_row(&mut self) -> Result<(), InputError> {
        self.close_cell()?;
        if self.in_row {
            self.in_row = false;
            self.row += 1;
        }
        Ok(())
    }

    fn open_cell(
        &mut self,
        colspan: u32,
        rowspan: u32,
        num: Option<String>,
        text_only: bool,
    ) -> Result<(), InputError> {
        self.close_cell()?;
        if !self.in_row {
            self.open_row()?;
        }
        // Past the columns a rowspan from above still covers.
        while self
            .covered
            .get(self.col as usize)
            .is_some_and(|&r| r > self.row)
        {
            self.col += 1;
        }
        let (cs, rs) = (
            colspan.clamp(1, MAX_HTML_COLSPAN),
            rowspan.clamp(1, MAX_HTML_ROWSPAN),
        );
        let last_col = self.col + cs - 1;
        if last_col >= MAX_EXCEL_COLS {
            return Err(Self::beyond(format!(
                "表格第 {} 行超出 Excel 的 16,384 列（XFD 列），Excel 和 WPS 都打不开",
                self.row + 1
            )));
        }
        if cs > 1 || rs > 1 {
            self.spanned += u64::from(cs) * u64::from(rs);
            if self.spanned > MAX_MERGED_CELLS {
                return Err(InputError::TooLarge(format!(
                    "合并单元格合计超过 {MAX_MERGED_CELLS} 个"
                )));
            }
            if self.covered.len() <= last_col as usize {
                self.covered.resize(last_col as usize + 1, 0);
            }
            for c in self.col..=last_col {
                self.covered[c as usize] = self.row + rs;
            }
        }
        self.cell = Some(Open {
            at: CellRef::new(self.row, self.col),
            span: (cs, rs),
            text: String::new(),
            num,
            text_only,
        });
        self.col = last_col + 1;
        Ok(())
    }

    fn close_cell(&mut self) -> Result<(), InputError> {
        let Some(open) = self.cell.take() else {
            return Ok(());
        };
        let (cs, rs) = open.span;
        if cs > 1 || rs > 1 {
            let last = CellRef::new(
                (open.at.row + rs - 1).min(MAX_EXCEL_ROWS - 1),
                open.at.col + cs - 1,
            );
            self.sheet.merges.push(Merge {
                first: open.at,
                last,
            });
        }
        let text = tidy(&open.text);
        let mut cell = match cell_from_text(&text) {
            None => return Ok(()),
            // Excel wrote it as text on purpose (x:str): it stays text.
            Some(_) if open.text_only => {
                let mut c = Cell::blank();
                c.value = CellValue::Text(text);
                c
            }
            Some(c) => c,
        };
        // Excel's own export gives the exact value beside the text it shows.
        if let (CellValue::Number(_), Some(exact)) = (&cell.value, open.num.as_deref())
            && let Ok(v) = exact.trim().parse::<f64>()
            && v.is_finite()
        {
            cell.value = CellValue::Number(v);
        }
        self.budget.charge(&cell)?;
        self.sheet.cells.insert(open.at, cell);
        Ok(())
    }

    /// Text outside tables becomes a row of its own (a title, a note under the form).
    fn flush_loose(&mut self) -> Result<(), InputError> {
        let text = tidy(&std::mem::take(&mut self.loose));
        if text.is_empty() {
            return Ok(());
        }
        self.open_row()?;
        let mut cell = Cell::blank();
        cell.value = CellValue::Text(text);
        self.budget.charge(&cell)?;
        self.sheet.cells.insert(CellRef::new(self.row, 0), cell);
        self.close_row()
    }

    fn push_text(&mut self, s: &str) {
        match &mut self.cell {
            Some(open) => open.text.push_str(s),
            None if self.in_row => {} // between cells of a row: white space
            None => self.loose.push_str(s),
        }
    }
}

/// White space as a browser shows it: runs of spaces, tabs and line ends are one space, a
/// `<br>` (kept as '\n') a line end; the ends trimmed.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n') {
        let words: Vec<&str> = line
            .split([' ', '\t', '\r', '\u{3000}'])
            .filter(|w| !w.is_empty())
            .collect();
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&words.join(" "));
    }
    out.trim_matches(['\n', ' ']).to_string()
}

/// An attribute's value in a tag's text (`colspan=2`, `rowspan="3"`, `x:num='0.95'`), names
/// compared without case.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = tag.len() - rest.len() + 1;
        let value = tag[value_at..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        });
    }
    None
}

/// Whether a tag has an attribute, with or without a value (`<td x:str>`, `<td x:str="'001">`).
fn has_attribute(tag: &str, name: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    lower.match_indices(name).any(|(at, _)| {
        let before = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = lower.as_bytes().get(at + name.len());
        before && after.is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'=' | b'/' | b'>'))
    })
}

fn span(tag: &str, name: &str) -> u32 {
    attribute(tag, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
}

/// Reads the page into a sheet.
fn parse(html: &str) -> Result<Sheet, InputError> {
    let mut b = Builder {
        sheet: Sheet {
            name: "Sheet1".into(),
            cells: Default::default(),
            merges: Vec::new(),
            // Each number's format is the one its text shows.
            formats_known: true,
            merge_rows: Default::default(),
        },
        row: 0,
        in_row: false,
        col: 0,
        covered: Vec::new(),
        cell: None,
        loose: String::new(),
        budget: Budget::default(),
        spanned: 0,
    };
    let mut depth = 0u32;
    let mut title: Option<String> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        if !text.is_empty() && depth <= 1 {
            b.push_text(&unescape(text));
        } else if !text.is_empty()
            && let Some(open) = &mut b.cell
        {
            // A table inside a cell: its text is the cell's.
            open.text.push_str(&unescape(text));
            open.text.push(' ');
        }
        rest = &rest[lt..];
        // Comments, declarations and processing instructions.
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.find("-->").map_or("", |e| &r[e + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            continue;
        }
        let after = &rest[1..];
        let closing = after.starts_with('/');
        let name: String = after
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == ':')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            // A '<' that opens no tag is text.
            b.push_text("<");
            rest = after;
            continue;
        }
        let end = tag_end(rest);
        let tag = match rest[..end].strip_suffix('>') {
            Some(t) => &t[1..],
            None => &rest[1..end],
        };
        rest = &rest[end..];
        match (name.as_str(), closing) {
            ("script" | "style", false) => {
                let close = format!("</{name}");
                rest = find_ci(rest, &close).map_or("", |e| &rest[e..]);
            }
            ("title", false) => {
                let e = find_ci(rest, "</title").unwrap_or(rest.len());
                let t = tidy(&unescape(&rest[..e]));
                if !t.is_empty() {
                    title = Some(t);
                }
                rest = &rest[e..];
            }
            ("table", false) => {
                depth += 1;
                if depth == 1 {
                    b.flush_loose()?;
                }
            }
            ("table", true) => {
                if depth == 1 {
                    b.close_row()?;
                    b.covered.clear();
                }
                depth = depth.saturating_sub(1);
            }
            ("tr", false) if depth == 1 => {
                // A caption (or stray text) before the row is a row of its own above it.
                b.flush_loose()?;
                b.open_row()?
            }
            ("tr", true) if depth == 1 => b.close_row()?,
            ("td" | "th", false) if depth == 1 => {
                let num = attribute(tag, "x:num").map(str::to_string);
                let text_only = has_attribute(tag, "x:str");
                b.open_cell(span(tag, "colspan"), span(tag, "rowspan"), num, text_only)?;
            }
            ("td" | "th", true) if depth == 1 => b.close_cell()?,
            ("br", _) => b.push_text("\n"),
            ("p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li", _) if depth == 0 => {
                b.flush_loose()?
            }
            _ => {}
        }
    }
    if !rest.is_empty() && depth == 0 {
        b.push_text(&unescape(rest));
    }
    b.close_row()?;
    b.flush_loose()?;
    if let Some(t) = title {
        b.sheet.name = sheet_name(&t);
    }
    Ok(b.sheet)
}

/// Where `needle` (ASCII, lower case) first occurs in `hay`, compared without case. Each search
/// is followed by skipping what it scanned, so the page is read in linear time.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Where a tag that starts `s` ends (just past its '>'), quotes respected; the end of `s` when
/// it never closes.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            (None, '<') => return i,
            _ => {}
        }
    }
    s.len()
}

/// A sheet name from a page's title: what Excel allows (31 characters, none of `[]:*?/\`).
fn sheet_name(title: &str) -> String {
    let name: String = title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\n'))
        .take(31)
        .collect();
    if name.trim().is_empty() {
        "Sheet1".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &Sheet, a1: &str) -> String {
        let at = CellRef::parse_excel(a1).unwrap();
        match s.cells.get(&at).map(|c| &c.value) {
            Some(CellValue::Text(t)) => t.clone(),
            Some(CellValue::Number(n)) => format!("#{n}"),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn rowspans_push_later_cells_right_and_become_merges() {
        let s = parse(
            "<html><head><title>自评表</title></head><body><h2>项目支出绩效自评表</h2>\
             <table border=1><tr><td rowspan=2>资金</td><td colspan='2'>年初预算数</td></tr>\
             <tr><td>1,080.5</td><td x:num=\"0.95864\">95.86%</td></tr></table>\
             <p>填表人：张三</p></body></html>",
        )
        .unwrap();
        assert_eq!(s.name, "自评表");
        assert_eq!(text(&s, "A1"), "项目支出绩效自评表");
        assert_eq!(text(&s, "A2"), "资金");
        assert_eq!(text(&s, "B2"), "年初预算数");
        assert_eq!(text(&s, "B3"), "#1080.5");
        assert_eq!(text(&s, "C3"), "#0.95864");
        assert_eq!(
            s.cells[&CellRef::parse_excel("C3").unwrap()]
                .num_fmt
                .as_deref(),
            Some("0.00%")
        );
        assert_eq!(text(&s, "A4"), "填表人：张三");
        let merges: Vec<String> = s
            .merges
            .iter()
            .map(|m| format!("{}:{}", m.first, m.last))
            .collect();
        assert_eq!(merges, vec!["A2:A3", "B2:C2"]);
    }

    #[test]
    fn markup_inside_cells_and_broken_tags_read_as_a_browser_would() {
        let s = parse(
            "<table><tr><td><b>一级</b>&nbsp;指标<br>（分）</td><td>a < b</td><!-- x --><td><script>1<2</script>3</td></tr></table>",
        )
        .unwrap();
        assert_eq!(text(&s, "A1"), "一级 指标\n（分）");
        assert_eq!(text(&s, "B1"), "a < b");
        assert_eq!(text(&s, "C1"), "#3");
    }

    #[test]
    fn a_cell_excel_marked_as_text_stays_text() {
        let s = parse(
            "<table><tr><td x:str>001</td><td x:str=\"'95%\">95%</td><td class=x>001</td><td x:string>7</td></tr></table>",
        )
        .unwrap();
        assert_eq!(text(&s, "A1"), "001");
        assert_eq!(text(&s, "B1"), "95%");
        assert_eq!(text(&s, "C1"), "#1");
        assert_eq!(text(&s, "D1"), "#7");
    }

    #[test]
    fn a_span_past_excel_s_columns_is_refused() {
        let wide = format!(
            "<table><tr><td colspan=1000>x</td>{}</tr></table>",
            "<td colspan=1000>y</td>".repeat(17)
        );
        assert!(matches!(parse(&wide), Err(InputError::BeyondGrid(_))));
        // Spans are clamped to HTML's own limits…
        let s = parse("<table><tr><td rowspan=999999 colspan=2>x</td></tr></table>").unwrap();
        assert_eq!(s.merges[0].last, CellRef::new(MAX_HTML_ROWSPAN - 1, 1));
        let s = parse("<table><tr><td colspan=5000>x</td></tr></table>").unwrap();
        assert_eq!(s.merges[0].last, CellRef::new(0, MAX_HTML_COLSPAN - 1));
        // …and what they cover together to the merged-cell limit of every format.
        let tall = "<table><tr><td rowspan=60000 colspan=40>x</td></tr></table>";
        assert!(matches!(parse(tall), Err(InputError::TooLarge(_))));
    }
}
