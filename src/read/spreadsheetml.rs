//! SpreadsheetML 2003 (XML Spreadsheet): the `<?mso-application progid="Excel.Sheet"?>`
//! workbooks some government systems export, as `.xls` or `.xml`. Each `Worksheet` is a sheet;
//! rows and cells are placed by their `ss:Index` (or after the one before), merged ranges come
//! from `ss:MergeAcross` and `ss:MergeDown`, number formats from the `Styles` each cell's
//! `ss:StyleID` names, values by their `ss:Type`. Formulas are written in R1C1 notation
//! (`=SUM(R[-3]C:R[-1]C)`) and are turned into Excel's A1 notation; one that cannot be turned
//! with certainty is left out and the cell keeps its value.
//!
//! The charset the declaration names is honoured ([`super::markup::decode`]); cells are charged
//! against the limits every format keeps. The corrected workbook is a rebuilt .xlsx.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use crate::error::InputError;
use crate::fallback::Why;
use crate::grid::{Cell, CellRef, CellValue, Merge, Sheet};
use crate::limits::{MAX_EXCEL_COLS, MAX_EXCEL_ROWS, MAX_MERGED_CELLS};
use crate::ooxml::xml::attr;

use super::format::{Marks, Raw, WriteBack};
use super::markup::{Budget, decode};
use super::{FileKind, ReadBy, ReadOptions};

/// Reads every worksheet of a SpreadsheetML workbook.
pub(super) fn read(bytes: &[u8], _opts: ReadOptions) -> Result<Raw, InputError> {
    let text = decode(bytes);
    let sheets = parse(&text)?;
    Ok(Raw {
        kind: FileKind::SpreadsheetMl,
        sheets,
        looks: Vec::new(),
        properties: None,
        not_kept: vec![super::format::rebuilt_without(&[], "")],
        kept: None,
        read_by: ReadBy::own("spreadsheetml"),
        marks: Marks::default(),
        placeholder_zero: false,
        write_back: WriteBack::Rebuild(Why::SpreadsheetMlInput),
        document: None,
    })
}

fn corrupt(e: impl std::fmt::Display) -> InputError {
    InputError::Corrupt(format!("XML 表格（SpreadsheetML）无法解析：{e}"))
}

/// A 1-based index attribute (`ss:Index="3"`), as zero-based.
fn index(e: &BytesStart<'_>, name: &str) -> Result<Option<u32>, InputError> {
    match attr(e, name) {
        None => Ok(None),
        Some(v) => match v.trim().parse::<u32>() {
            Ok(n) if n >= 1 => Ok(Some(n - 1)),
            _ => Err(corrupt(format!("{name}=\"{v}\" 不是正整数"))),
        },
    }
}

fn count(e: &BytesStart<'_>, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(0)
}

/// A named number format of SpreadsheetML as the format code it stands for.
fn format_code(f: &str) -> Option<String> {
    let code = match f {
        "General" | "General Number" | "" => return None,
        "Fixed" => "0.00",
        "Standard" => "#,##0.00",
        "Percent" => "0.00%",
        "Scientific" => "0.00E+00",
        "General Date" | "Short Date" => "yyyy-mm-dd",
        "Long Date" => "yyyy\"年\"m\"月\"d\"日\"",
        other => other,
    };
    Some(code.to_string())
}

/// The cell being read.
struct Open {
    at: CellRef,
    style: Option<String>,
    formula: Option<String>,
    typ: Option<String>,
    text: String,
    in_data: bool,
}

/// Reads the workbook's worksheets.
fn parse(xml: &str) -> Result<Vec<Sheet>, InputError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut formats: HashMap<String, String> = HashMap::new();
    let mut style_id: Option<String> = None;
    let mut sheets = Vec::new();
    let mut sheet: Option<Sheet> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut in_row = false;
    let mut cell: Option<Open> = None;
    let mut budget = Budget::default();
    let mut merged = 0u64;
    loop {
        let event = reader.read_event().map_err(corrupt)?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                // An element written empty (`<Row/>`, `<Cell/>`) has no end event.
                let empty = matches!(event, Event::Empty(_));
                let e = e.clone();
                let name = e.local_name();
                match name.as_ref() {
                    "Style" => style_id = attr(&e, "ID"),
                    "NumberFormat" => {
                        if let (Some(id), Some(code)) =
                            (&style_id, attr(&e, "Format").and_then(|f| format_code(&f)))
                        {
                            formats.insert(id.clone(), code);
                        }
                    }
                    "Worksheet" => {
                        let name = attr(&e, "Name")
                            .unwrap_or_else(|| format!("Sheet{}", sheets.len() + 1));
                        if let Some(done) = sheet.take() {
                            sheets.push(done);
                        }
                        sheet = Some(Sheet {
                            name,
                            cells: Default::default(),
                            merges: Vec::new(),
                            formats_known: true,
                            merge_rows: Default::default(),
                        });
                        (row, col, in_row) = (0, 0, false);
                    }
                    "Row" if sheet.is_some() => {
                        if let Some(i) = index(&e, "Index")? {
                            row = i;
                        }
                        if row >= MAX_EXCEL_ROWS {
                            return Err(beyond(&sheet, "行号超出 Excel 的 1,048,576 行"));
                        }
                        col = 0;
                        in_row = true;
                        // An empty row element (<Row/>) is a row all the same; `ss:Span`
                        // repeats it.
                        if empty {
                            row += 1 + count(&e, "Span");
                            in_row = false;
                        }
                    }
                    "Cell" if in_row => {
                        if let Some(i) = index(&e, "Index")? {
                            col = i;
                        }
                        let (across, down) = (count(&e, "MergeAcross"), count(&e, "MergeDown"));
                        let last = (row.saturating_add(down), col.saturating_add(across));
                        if last.1 >= MAX_EXCEL_COLS || last.0 >= MAX_EXCEL_ROWS {
                            return Err(beyond(&sheet, "单元格超出 Excel 的表格范围"));
                        }
                        let at = CellRef::new(row, col);
                        if across > 0 || down > 0 {
                            merged += u64::from(across + 1) * u64::from(down + 1);
                            if merged > MAX_MERGED_CELLS {
                                return Err(InputError::TooLarge(format!(
                                    "合并单元格合计超过 {MAX_MERGED_CELLS} 个"
                                )));
                            }
                            if let Some(s) = sheet.as_mut() {
                                s.merges.push(Merge {
                                    first: at,
                                    last: CellRef::new(last.0, last.1),
                                });
                            }
                        }
                        let formula = attr(&e, "Formula").and_then(|f| a1_formula(&f, at));
                        cell = Some(Open {
                            at,
                            style: attr(&e, "StyleID"),
                            formula,
                            typ: None,
                            text: String::new(),
                            in_data: false,
                        });
                        col = last.1 + 1;
                        if empty {
                            finish_cell(cell.take(), &mut sheet, &formats, &mut budget)?;
                        }
                    }
                    "Data" => {
                        if let Some(c) = cell.as_mut() {
                            c.typ = attr(&e, "Type");
                            c.in_data = true;
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(c) = cell.as_mut().filter(|c| c.in_data) {
                    let raw: &str = t.as_ref();
                    c.text.push_str(&super::markup::unescape(raw));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = cell.as_mut().filter(|c| c.in_data) {
                    let name: &str = r.as_ref();
                    c.text
                        .push_str(&super::markup::unescape(&format!("&{name};")));
                }
            }
            Event::CData(t) => {
                if let Some(c) = cell.as_mut().filter(|c| c.in_data) {
                    let raw: &str = t.as_ref();
                    c.text.push_str(raw);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "Data" => {
                    if let Some(c) = cell.as_mut() {
                        c.in_data = false;
                    }
                }
                "Cell" => finish_cell(cell.take(), &mut sheet, &formats, &mut budget)?,
                "Row" if in_row => {
                    in_row = false;
                    row += 1;
                }
                "Style" => style_id = None,
                "Worksheet" => {
                    if let Some(done) = sheet.take() {
                        sheets.push(done);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(done) = sheet.take() {
        sheets.push(done);
    }
    if sheets.is_empty() {
        return Err(InputError::NoWorkbook(
            "这是 XML 表格（SpreadsheetML），但其中没有工作表".into(),
        ));
    }
    Ok(sheets)
}

fn beyond(sheet: &Option<Sheet>, what: &str) -> InputError {
    let name = sheet.as_ref().map_or("", |s| s.name.as_str());
    InputError::BeyondGrid(format!(
        "工作表“{name}”{what}，Excel 和 WPS 都打不开这样的工作表"
    ))
}

/// Puts a read cell into the sheet: its value by type, its style's number format, its formula.
fn finish_cell(
    open: Option<Open>,
    sheet: &mut Option<Sheet>,
    formats: &HashMap<String, String>,
    budget: &mut Budget,
) -> Result<(), InputError> {
    let (Some(open), Some(sheet)) = (open, sheet.as_mut()) else {
        return Ok(());
    };
    let mut cell = Cell::blank();
    let text = open.text;
    cell.value = match open.typ.as_deref() {
        _ if text.is_empty() && open.formula.is_none() => CellValue::Empty,
        Some("Number") => match text.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => CellValue::Number(v),
            _ => CellValue::Text(text),
        },
        Some("Boolean") => CellValue::Bool(matches!(text.trim(), "1" | "true" | "TRUE")),
        Some("Error") => CellValue::Error(text),
        // A date as written (2023-12-31T00:00:00.000): its day.
        Some("DateTime") => CellValue::Text(text.split('T').next().unwrap_or("").to_string()),
        _ if text.is_empty() => CellValue::Empty,
        _ => CellValue::Text(text),
    };
    cell.formula = open.formula;
    cell.num_fmt = open.style.and_then(|s| formats.get(&s).cloned());
    if cell.value == CellValue::Empty && cell.formula.is_none() && cell.num_fmt.is_none() {
        return Ok(());
    }
    budget.charge(&cell)?;
    sheet.cells.insert(open.at, cell);
    Ok(())
}

/// An R1C1 formula (`=SUM(R[-3]C:R[-1]C)`, `=R5C3*2`, `='表 一'!R[1]C`) in Excel's A1 notation,
/// relative to the cell at `at`, without the leading '='. None when a reference cannot be
/// turned with certainty (a whole row or column, a position off the grid): the cell then keeps
/// its value only.
pub(crate) fn a1_formula(f: &str, at: CellRef) -> Option<String> {
    let body = f.trim().strip_prefix('=')?;
    let b = body.as_bytes();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // String literals and quoted sheet names are copied as they are.
        if c == b'"' || c == b'\'' {
            let end = body[i + 1..].find(c as char).map(|e| i + 1 + e + 1)?;
            out.push_str(&body[i..end]);
            i = end;
            continue;
        }
        let starts_name =
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'.');
        if starts_name
            && (c == b'R' || c == b'r')
            && let Some((text, len)) = reference(&body[i..], at)?
        {
            out.push_str(&text);
            i += len;
            continue;
        }
        if starts_name && (c == b'C' || c == b'c') && reference_part(&body[i + 1..]).is_some() {
            // A column without a row (`C3`, `C[-1]` alone): a whole column.
            let (_, len) = reference_part(&body[i + 1..])?;
            let next = body.as_bytes().get(i + 1 + len);
            if !next.is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_' || *n == b'(') {
                return None;
            }
        }
        // Copy one character (a name, an operator, a number).
        let ch = body[i..].chars().next()?;
        out.push(ch);
        i += ch.len_utf8();
    }
    Some(out)
}

/// `[n]` or `n` after R or C: the offset or the 1-based position, and its length.
fn reference_part(s: &str) -> Option<(Part, usize)> {
    if let Some(inner) = s.strip_prefix('[') {
        let end = inner.find(']')?;
        let n: i64 = inner[..end].parse().ok()?;
        return Some((Part::Relative(n), end + 2));
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Some((Part::Relative(0), 0));
    }
    let n: i64 = s[..digits].parse().ok()?;
    (n >= 1).then_some((Part::Absolute(n), digits))
}

#[derive(Clone, Copy)]
enum Part {
    Relative(i64),
    Absolute(i64),
}

/// A reference starting at `R` (`R[-1]C`, `R5C3`, `RC[2]`), as A1 text and its length; Ok(None)
/// when `R…` is not a reference (a name such as ROUND); Err-like None (outer) when it is one
/// that cannot be turned (a whole row, a position off the grid).
fn reference(s: &str, at: CellRef) -> Option<Option<(String, usize)>> {
    let (row, rlen) = match reference_part(&s[1..]) {
        Some(p) => p,
        None => return Some(None),
    };
    let rest = &s[1 + rlen..];
    let is_c = rest.starts_with('C') || rest.starts_with('c');
    let ident =
        |b: Option<&u8>| b.is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_' || *n == b'(');
    if !is_c {
        // R alone, R5 alone: a whole row — or a name (ROUND(, RATE…).
        return if ident(rest.as_bytes().first()) {
            Some(None)
        } else {
            None
        };
    }
    let (colp, clen) = match reference_part(&rest[1..]) {
        Some(p) => p,
        None => return Some(None),
    };
    let len = 1 + rlen + 1 + clen;
    if ident(s.as_bytes().get(len)) {
        return Some(None);
    }
    let resolve = |p: Part, here: u32, max: u32| -> Option<(u32, bool)> {
        let (v, absolute) = match p {
            Part::Relative(n) => (i64::from(here) + n, false),
            Part::Absolute(n) => (n - 1, true),
        };
        (0..i64::from(max))
            .contains(&v)
            .then_some((v as u32, absolute))
    };
    let (r, ra) = resolve(row, at.row, MAX_EXCEL_ROWS)?;
    let (c, ca) = resolve(colp, at.col, MAX_EXCEL_COLS)?;
    let col = CellRef::new(0, c).to_string();
    let col = col.trim_end_matches(|ch: char| ch.is_ascii_digit());
    let text = format!(
        "{}{col}{}{}",
        if ca { "$" } else { "" },
        if ra { "$" } else { "" },
        r + 1
    );
    Some(Some((text, len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r1c1_formulas_become_a1() {
        let at = CellRef::parse_excel("C6").unwrap();
        assert_eq!(
            a1_formula("=SUM(R[1]C:R[3]C)", at).as_deref(),
            Some("SUM(C7:C9)")
        );
        assert_eq!(a1_formula("=R[0]C[1]/RC[-1]", at).as_deref(), Some("D6/B6"));
        assert_eq!(a1_formula("=R5C3*2", at).as_deref(), Some("$C$5*2"));
        assert_eq!(
            a1_formula("=ROUND(RC[-1]*100,2)", at).as_deref(),
            Some("ROUND(B6*100,2)")
        );
        assert_eq!(
            a1_formula("='表 一'!R[1]C&\"R1C1\"", at).as_deref(),
            Some("'表 一'!C7&\"R1C1\"")
        );
        // A whole row or column, or a cell off the grid: left out.
        assert_eq!(a1_formula("=SUM(R[1])", at), None);
        assert_eq!(a1_formula("=SUM(C[1])", at), None);
        assert_eq!(a1_formula("=R[-10]C", at), None);
    }

    #[test]
    fn cells_are_placed_by_index_with_merges_styles_and_types() {
        let xml = r#"<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Styles><Style ss:ID="p"><NumberFormat ss:Format="0.00%"/></Style><Style ss:ID="f"><NumberFormat ss:Format="Fixed"/></Style></Styles>
 <Worksheet ss:Name="自评表"><Table>
  <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">项目支出绩效自评表</Data></Cell></Row>
  <Row ss:Index="3"><Cell ss:Index="2" ss:StyleID="f"><Data ss:Type="Number">89.974</Data></Cell><Cell ss:StyleID="p" ss:Formula="=RC[-1]/RC[-1]"><Data ss:Type="Number">1</Data></Cell><Cell><Data ss:Type="String">a &amp; <B>b</B></Data></Cell></Row>
  <Row/><Row><Cell ss:MergeDown="1"><Data ss:Type="String">资金</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="二"><Table/></Worksheet>
</Workbook>"#;
        let sheets = parse(xml).unwrap();
        assert_eq!(sheets.len(), 2);
        let s = &sheets[0];
        assert_eq!(s.name, "自评表");
        let get = |a1: &str| s.cells.get(&CellRef::parse_excel(a1).unwrap()).cloned();
        assert_eq!(
            get("A1").unwrap().value,
            CellValue::Text("项目支出绩效自评表".into())
        );
        let b3 = get("B3").unwrap();
        assert_eq!(
            (b3.value, b3.num_fmt.as_deref()),
            (CellValue::Number(89.974), Some("0.00"))
        );
        let c3 = get("C3").unwrap();
        assert_eq!(c3.formula.as_deref(), Some("B3/B3"));
        assert_eq!(c3.num_fmt.as_deref(), Some("0.00%"));
        assert_eq!(get("D3").unwrap().value, CellValue::Text("a & b".into()));
        assert_eq!(get("A5").unwrap().value, CellValue::Text("资金".into()));
        let merges: Vec<String> = s
            .merges
            .iter()
            .map(|m| format!("{}:{}", m.first, m.last))
            .collect();
        assert_eq!(merges, vec!["A1:C1", "A5:A6"]);
    }
}
