//! Reading a workbook with calamine into zpcheck's own sparse sheet grid: absolute cell
//! positions, cached values, formulas, number formats (xlsx) and merged ranges.
//!
//! The file kind is decided by its first bytes, not its name, and calamine's specific reader is
//! called so that its errors keep their meaning.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Dimensions, Ods, Reader, Xls, Xlsx};

use crate::error::InputError;

/// A zero-based cell position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    /// Row, zero-based.
    pub row: u32,
    /// Column, zero-based.
    pub col: u32,
}

impl CellRef {
    /// A position from zero-based row and column.
    pub fn new(row: u32, col: u32) -> Self {
        CellRef { row, col }
    }

    /// The column letters of a zero-based column ("A", "Z", "AA").
    pub fn col_name(col: u32) -> String {
        let mut n = col + 1;
        let mut s = Vec::new();
        while n > 0 {
            let r = (n - 1) % 26;
            s.push(b'A' + r as u8);
            n = (n - 1) / 26;
        }
        s.reverse();
        String::from_utf8_lossy(&s).into_owned()
    }

    /// Parses "H25" into a position.
    pub fn parse(a1: &str) -> Option<CellRef> {
        let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let digits = &a1[letters.len()..];
        if letters.is_empty() || digits.is_empty() {
            return None;
        }
        let mut col: u32 = 0;
        for c in letters.to_ascii_uppercase().bytes() {
            col = col.checked_mul(26)?.checked_add(u32::from(c - b'A') + 1)?;
        }
        let row: u32 = digits.parse().ok()?;
        Some(CellRef::new(row.checked_sub(1)?, col.checked_sub(1)?))
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", CellRef::col_name(self.col), self.row + 1)
    }
}

/// A cell's cached value.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Nothing stored (a formula without a cached value reads as this).
    Empty,
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
    /// TRUE / FALSE.
    Bool(bool),
    /// A date or time as an Excel serial number.
    DateTime(f64),
    /// An error value such as #DIV/0!.
    Error(String),
}

/// Where a formula cell's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormulaValue {
    /// Not a formula, or the file's cached result was used.
    #[default]
    Cached,
    /// The file held no result (or a placeholder 0): zpcheck evaluated the formula.
    Evaluated,
    /// The file held no result and zpcheck could not evaluate the formula: read as blank.
    Unevaluable,
}

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cached value (or the evaluated one, see `formula_value`).
    pub value: CellValue,
    /// The formula without its leading "=", if the cell holds one.
    pub formula: Option<String>,
    /// Where the value of a formula cell came from.
    pub formula_value: FormulaValue,
    /// The number format code, when the file format exposes it (xlsx) and it is not General.
    pub num_fmt: Option<String>,
    /// Whether the font is bold (xlsx only).
    pub bold: bool,
}

impl Cell {
    /// The cell's value as a person would read it, for labels and messages.
    pub fn text(&self) -> String {
        match &self.value {
            CellValue::Empty => String::new(),
            CellValue::Text(s) => s.clone(),
            CellValue::Number(n) | CellValue::DateTime(n) => crate::num::dec_from_f64(*n)
                .map(crate::num::fmt_dec)
                .unwrap_or_else(|| format!("{n:e}")),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellValue::Error(e) => e.clone(),
        }
    }

    /// Whether the number format shows the value as a percentage.
    pub fn is_percent_format(&self) -> bool {
        self.num_fmt.as_deref().is_some_and(|f| f.contains('%'))
    }
}

/// A merged range, inclusive on both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// Top-left cell.
    pub first: CellRef,
    /// Bottom-right cell.
    pub last: CellRef,
}

impl Merge {
    /// Whether the range covers a position.
    pub fn contains(&self, r: CellRef) -> bool {
        r.row >= self.first.row
            && r.row <= self.last.row
            && r.col >= self.first.col
            && r.col <= self.last.col
    }
}

/// One worksheet as a sparse grid.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// The non-empty cells (value, formula or number format) by position.
    pub cells: BTreeMap<CellRef, Cell>,
    /// Merged ranges.
    pub merges: Vec<Merge>,
}

impl Sheet {
    /// The cell at a position, if anything is stored there.
    pub fn get(&self, r: CellRef) -> Option<&Cell> {
        self.cells.get(&r)
    }

    /// The trimmed text of the cell at a position ("" when empty).
    pub fn text(&self, r: CellRef) -> String {
        self.get(r)
            .map(|c| c.text().trim().to_string())
            .unwrap_or_default()
    }

    /// The merged range covering a position, if any.
    pub fn merge_at(&self, r: CellRef) -> Option<&Merge> {
        self.merges.iter().find(|m| m.contains(r))
    }

    /// The text shown at a position: its own, or the top-left value of the merged range covering it.
    pub fn shown_text(&self, r: CellRef) -> String {
        match self.merge_at(r) {
            Some(m) => self.text(m.first),
            None => self.text(r),
        }
    }

    /// The last row holding a cell, or 0 for an empty sheet.
    pub fn max_row(&self) -> u32 {
        self.cells.keys().map(|r| r.row).max().unwrap_or(0)
    }

    /// The last column holding a cell, or 0 for an empty sheet.
    pub fn max_col(&self) -> u32 {
        self.cells.keys().map(|r| r.col).max().unwrap_or(0)
    }
}

/// The formats zpcheck reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// BIFF8 (.xls).
    Xls,
    /// OpenDocument (.ods).
    Ods,
}

/// A workbook read into memory.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// What the bytes were.
    pub kind: FileKind,
    /// The sheets in workbook order.
    pub sheets: Vec<Sheet>,
}

/// Decides the file kind from its bytes (and, for zip files, from their content listing).
pub fn sniff(bytes: &[u8]) -> Result<FileKind, InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let head = &bytes[..bytes.len().min(200)];
        if head.windows(8).any(|w| w == b"mimetype")
            && bytes
                .windows(b"opendocument.spreadsheet".len())
                .take(400)
                .any(|w| w == b"opendocument.spreadsheet")
        {
            return Ok(FileKind::Ods);
        }
        return Ok(FileKind::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(FileKind::Xls);
    }
    Err(InputError::NotSpreadsheet)
}

/// Reads a workbook file.
pub fn read_path(path: &Path) -> Result<Workbook, InputError> {
    let bytes = std::fs::read(path).map_err(|e| {
        InputError::NotFound(
            match e.kind() {
                std::io::ErrorKind::NotFound => "文件不存在",
                std::io::ErrorKind::PermissionDenied => "没有读取权限",
                std::io::ErrorKind::IsADirectory => "这是一个文件夹",
                _ => "读取失败",
            }
            .to_string()
                + &format!("（{e}）"),
        )
    })?;
    read_bytes(bytes)
}

/// Reads a workbook from its bytes.
pub fn read_bytes(bytes: Vec<u8>) -> Result<Workbook, InputError> {
    let kind = sniff(&bytes)?;
    // Writers that ask for recalculation on load (fullCalcOnLoad) may store 0 as every
    // formula's result; zpcheck's own output stores real results, so its caches are trusted.
    let placeholder_zero = kind == FileKind::Xlsx && {
        let (full_calc, ours) = xlsx_flags(&bytes);
        full_calc && !ours
    };
    let mut sheets = match kind {
        FileKind::Xlsx => read_xlsx(bytes)?,
        FileKind::Xls => {
            let sheets = read_xls(&bytes, None)?;
            // 8-bit text decoded with a missing or wrong code page shows up as Latin-1 letters
            // ("²¿ÃÅ" for 部门). Retry as GBK two ways and keep what reads best as Chinese:
            // BIFF5 strings are raw code-page bytes, so calamine can re-read them as 936; BIFF8
            // "compressed" strings are widened to UTF-16 whatever the code page, so their bytes
            // are recovered from the mis-decoded text and decoded as GBK here.
            let (latin, cjk) = script_counts(&sheets);
            if latin > cjk {
                let repaired = repair_gbk(&sheets);
                let forced = read_xls(&bytes, Some(936)).ok();
                [Some(repaired), forced]
                    .into_iter()
                    .flatten()
                    .filter(|c| score(c) > score(&sheets))
                    .max_by_key(|c| score(c))
                    .unwrap_or(sheets)
            } else {
                sheets
            }
        }
        FileKind::Ods => {
            let mut wb = Ods::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
            let names = wb.sheet_names();
            let mut sheets = Vec::new();
            for name in names {
                let values = wb.worksheet_range(&name).map_err(|e| corrupt(&e))?;
                let formulas = wb.worksheet_formula(&name).unwrap_or_default();
                sheets.push(build_sheet(name, &values, &formulas, &[], |_| {
                    (None, false)
                }));
            }
            sheets
        }
    };
    for sheet in &mut sheets {
        resolve_formulas(sheet, placeholder_zero);
    }
    Ok(Workbook { kind, sheets })
}

/// Reads (fullCalcOnLoad set, written by zpcheck) from an xlsx's workbook.xml and custom
/// properties. Unreadable parts count as "no".
fn xlsx_flags(bytes: &[u8]) -> (bool, bool) {
    use std::io::Read as _;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return (false, false);
    };
    let mut part = |name: &str| -> String {
        let mut text = String::new();
        if let Ok(f) = zip.by_name(name) {
            // These parts are small; a bound keeps a hostile file from making them large.
            let _ = f.take(4 << 20).read_to_string(&mut text);
        }
        text
    };
    let workbook = part("xl/workbook.xml");
    let full_calc =
        workbook.contains("fullCalcOnLoad=\"1\"") || workbook.contains("fullCalcOnLoad=\"true\"");
    let ours = part("docProps/custom.xml").contains("name=\"zpcheck\"");
    (full_calc, ours)
}

/// Evaluates formula cells whose file holds no result, or a placeholder 0 when the writer asked
/// for recalculation; cells that cannot be evaluated are read as blank.
fn resolve_formulas(sheet: &mut Sheet, placeholder_zero: bool) {
    let pending: std::collections::HashSet<CellRef> = sheet
        .cells
        .iter()
        .filter(|(_, c)| {
            c.formula.is_some()
                && (c.value == CellValue::Empty
                    || (placeholder_zero && c.value == CellValue::Number(0.0)))
        })
        .map(|(r, _)| *r)
        .collect();
    if pending.is_empty() {
        return;
    }
    let results: Vec<(CellRef, Option<rust_decimal::Decimal>)> = {
        let mut resolver = Resolver {
            sheet,
            max_row: sheet.max_row(),
            pending: &pending,
            memo: Default::default(),
            visiting: Default::default(),
        };
        pending
            .iter()
            .map(|r| {
                let v = match crate::formula::Cells::value(&mut resolver, *r) {
                    Some(crate::formula::Operand::Num(d)) => Some(d),
                    _ => None,
                };
                (*r, v)
            })
            .collect()
    };
    for (at, v) in results {
        if let Some(cell) = sheet.cells.get_mut(&at) {
            match v.and_then(|d| rust_decimal::prelude::ToPrimitive::to_f64(&d)) {
                Some(f) => {
                    cell.value = CellValue::Number(f);
                    cell.formula_value = FormulaValue::Evaluated;
                }
                None => {
                    cell.value = CellValue::Empty;
                    cell.formula_value = FormulaValue::Unevaluable;
                }
            }
        }
    }
}

/// How deep formulas may refer to formulas that also need evaluating.
const MAX_FORMULA_DEPTH: usize = 64;

struct Resolver<'a> {
    sheet: &'a Sheet,
    max_row: u32,
    pending: &'a std::collections::HashSet<CellRef>,
    memo: std::collections::HashMap<CellRef, Option<crate::formula::Operand>>,
    visiting: std::collections::HashSet<CellRef>,
}

impl crate::formula::Cells for Resolver<'_> {
    fn value(&mut self, at: CellRef) -> Option<crate::formula::Operand> {
        use crate::formula::Operand;
        if !self.pending.contains(&at) {
            return Some(match self.sheet.get(at).map(|c| &c.value) {
                None | Some(CellValue::Empty) => Operand::Blank,
                Some(CellValue::Number(n)) | Some(CellValue::DateTime(n)) => {
                    crate::num::dec_from_f64(*n).map_or(Operand::Other, Operand::Num)
                }
                Some(CellValue::Bool(b)) => Operand::Num(rust_decimal::Decimal::from(u8::from(*b))),
                Some(CellValue::Text(_)) | Some(CellValue::Error(_)) => Operand::Other,
            });
        }
        if let Some(v) = self.memo.get(&at) {
            return *v;
        }
        if self.visiting.contains(&at) || self.visiting.len() >= MAX_FORMULA_DEPTH {
            return None;
        }
        self.visiting.insert(at);
        let formula = self.sheet.get(at).and_then(|c| c.formula.clone());
        let v = formula
            .and_then(|f| crate::formula::evaluate(&f, self))
            .map(Operand::Num);
        self.visiting.remove(&at);
        self.memo.insert(at, v);
        v
    }

    fn used_in(&mut self, first: CellRef, last: CellRef) -> Vec<CellRef> {
        (first.row..=last.row.min(self.max_row))
            .flat_map(|row| {
                self.sheet
                    .cells
                    .range(CellRef::new(row, first.col)..=CellRef::new(row, last.col))
                    .map(|(r, _)| *r)
            })
            .collect()
    }
}

fn read_xls(bytes: &[u8], codepage: Option<u16>) -> Result<Vec<Sheet>, InputError> {
    let mut options = calamine::XlsOptions::default();
    options.force_codepage = codepage;
    let mut wb = Xls::new_with_options(Cursor::new(bytes), options).map_err(xls_error)?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let values = wb.worksheet_range(&name).map_err(xls_error)?;
        let formulas = wb.worksheet_formula(&name).unwrap_or_default();
        sheets.push(build_sheet(name, &values, &formulas, &merges, |_| {
            (None, false)
        }));
    }
    Ok(sheets)
}

/// How well text reads as Chinese: ideographs, less replacement characters.
fn score(sheets: &[Sheet]) -> i64 {
    let (_, cjk) = script_counts(sheets);
    let bad = sheets
        .iter()
        .flat_map(|s| s.cells.values())
        .filter_map(|c| match &c.value {
            CellValue::Text(t) => Some(t.matches('\u{FFFD}').count()),
            _ => None,
        })
        .sum::<usize>();
    cjk as i64 - 10 * bad as i64
}

/// Recovers text whose GBK bytes were decoded one byte per character (as Latin-1, or as
/// windows-1252 when the file declares that code page), decoding them again as GBK.
pub fn repair_gbk_text(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let bytes: Vec<u8> = if text.chars().all(|c| (c as u32) < 0x100) {
        text.chars().map(|c| c as u32 as u8).collect()
    } else {
        let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(text);
        if lossy {
            return None;
        }
        bytes.into_owned()
    };
    // With a single-byte code page declared, calamine decodes the string widened to UTF-16LE,
    // so every byte is followed by a zero byte: drop them.
    let bytes = if bytes.len().is_multiple_of(2) && bytes.iter().skip(1).step_by(2).all(|b| *b == 0)
    {
        bytes.into_iter().step_by(2).collect()
    } else {
        bytes
    };
    encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .map(|s| s.into_owned())
}

fn repair_gbk(sheets: &[Sheet]) -> Vec<Sheet> {
    sheets
        .iter()
        .map(|s| {
            let mut s = s.clone();
            if let Some(name) = repair_gbk_text(&s.name) {
                s.name = name;
            }
            for cell in s.cells.values_mut() {
                if let CellValue::Text(t) = &cell.value
                    && let Some(fixed) = repair_gbk_text(t)
                {
                    cell.value = CellValue::Text(fixed);
                }
            }
            s
        })
        .collect()
}

/// Counts (Latin-1 supplement letters, CJK ideographs) in the sheets' names and text.
fn script_counts(sheets: &[Sheet]) -> (usize, usize) {
    let mut latin = 0;
    let mut cjk = 0;
    let texts = sheets.iter().flat_map(|s| {
        std::iter::once(s.name.as_str()).chain(s.cells.values().filter_map(|c| match &c.value {
            CellValue::Text(t) => Some(t.as_str()),
            _ => None,
        }))
    });
    for t in texts {
        for ch in t.chars() {
            match ch {
                '\u{00C0}'..='\u{00FF}' | '\u{00A1}'..='\u{00BF}' => latin += 1,
                '\u{4E00}'..='\u{9FFF}' => cjk += 1,
                _ => {}
            }
        }
    }
    (latin, cjk)
}

fn corrupt(e: &dyn fmt::Display) -> InputError {
    InputError::Corrupt(e.to_string())
}

fn xls_error(e: calamine::XlsError) -> InputError {
    let text = e.to_string();
    if text.contains("ncrypt") || text.contains("assword") {
        InputError::Encrypted
    } else {
        InputError::Corrupt(text)
    }
}

fn read_xlsx(bytes: Vec<u8>) -> Result<Vec<Sheet>, InputError> {
    let mut wb = match Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(calamine::XlsxError::Password) => return Err(InputError::Encrypted),
        Err(e) => return Err(corrupt(&e)),
    };
    let names = wb.sheet_names();
    let mut sheets = Vec::new();
    for name in names {
        let merges: Vec<Dimensions> = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let values = match wb.worksheet_range(&name) {
            Ok(v) => v,
            // Chart sheets and dialog sheets hold no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(corrupt(&e)),
        };
        let formulas = wb.worksheet_formula(&name).unwrap_or_default();
        let styles = wb.worksheet_style(&name).unwrap_or_default();
        sheets.push(build_sheet(
            name,
            &values,
            &formulas,
            &merges,
            |pos| match styles.get((pos.row, pos.col)) {
                Some(style) => (
                    style
                        .number_format
                        .as_ref()
                        .map(|n| n.format_code.clone())
                        .filter(|c| !c.eq_ignore_ascii_case("General")),
                    style.font.as_ref().is_some_and(|f| f.is_bold()),
                ),
                None => (None, false),
            },
        ));
    }
    Ok(sheets)
}

fn build_sheet(
    name: String,
    values: &calamine::Range<Data>,
    formulas: &calamine::Range<String>,
    merges: &[Dimensions],
    style_of: impl Fn(CellRef) -> (Option<String>, bool),
) -> Sheet {
    let mut cells = BTreeMap::new();
    if let Some((r0, c0)) = values.start() {
        for (r, c, v) in values.used_cells() {
            let value = match v {
                Data::Empty => continue,
                Data::Int(i) => CellValue::Number(*i as f64),
                Data::Float(f) => CellValue::Number(*f),
                Data::String(s) => CellValue::Text(s.clone()),
                Data::Bool(b) => CellValue::Bool(*b),
                Data::DateTime(dt) => CellValue::DateTime(dt.as_f64()),
                Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Text(s.clone()),
                Data::Error(e) => CellValue::Error(e.to_string()),
            };
            let pos = CellRef::new(r0 + r as u32, c0 + c as u32);
            let (num_fmt, bold) = style_of(pos);
            cells.insert(
                pos,
                Cell {
                    value,
                    formula: None,
                    formula_value: FormulaValue::Cached,
                    num_fmt,
                    bold,
                },
            );
        }
    }
    if let Some((r0, c0)) = formulas.start() {
        for (r, c, f) in formulas.used_cells() {
            if f.trim().is_empty() {
                continue;
            }
            let pos = CellRef::new(r0 + r as u32, c0 + c as u32);
            let formula = f.trim().trim_start_matches('=').to_string();
            cells
                .entry(pos)
                .or_insert_with(|| {
                    let (num_fmt, bold) = style_of(pos);
                    Cell {
                        value: CellValue::Empty,
                        formula: None,
                        formula_value: FormulaValue::Cached,
                        num_fmt,
                        bold,
                    }
                })
                .formula = Some(formula);
        }
    }
    let merges = merges
        .iter()
        .map(|d| Merge {
            first: CellRef::new(d.start.0, d.start.1),
            last: CellRef::new(d.end.0, d.end.1),
        })
        .collect();
    Sheet {
        name,
        cells,
        merges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names_round_trip() {
        assert_eq!(CellRef::new(24, 7).to_string(), "H25");
        assert_eq!(CellRef::new(0, 26).to_string(), "AA1");
        assert_eq!(CellRef::parse("H25"), Some(CellRef::new(24, 7)));
        assert_eq!(CellRef::parse("AA1"), Some(CellRef::new(0, 26)));
        assert_eq!(CellRef::parse("25"), None);
    }

    #[test]
    fn gbk_text_decoded_as_latin1_or_cp1252_is_repaired() {
        let gbk = encoding_rs::GBK.encode("部门资金（万元）").0;
        let latin1: String = gbk.iter().map(|b| char::from(*b)).collect();
        assert_eq!(
            repair_gbk_text(&latin1).as_deref(),
            Some("部门资金（万元）")
        );
        let cp1252 = encoding_rs::WINDOWS_1252.decode(&gbk).0;
        assert_eq!(
            repair_gbk_text(&cp1252).as_deref(),
            Some("部门资金（万元）")
        );
        let widened: Vec<u8> = gbk.iter().flat_map(|b| [*b, 0]).collect();
        let cp1252_widened = encoding_rs::WINDOWS_1252.decode(&widened).0;
        assert_eq!(
            repair_gbk_text(&cp1252_widened).as_deref(),
            Some("部门资金（万元）")
        );
        assert_eq!(repair_gbk_text("plain ascii"), None);
        assert_eq!(repair_gbk_text("已是中文"), None);
    }

    #[test]
    fn kind_is_read_from_bytes() {
        assert!(matches!(sniff(b""), Err(InputError::Empty)));
        assert!(matches!(
            sniff(b"a,b,c\n1,2,3\n"),
            Err(InputError::NotSpreadsheet)
        ));
        assert_eq!(sniff(b"PK\x03\x04rest").ok(), Some(FileKind::Xlsx));
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]).ok(),
            Some(FileKind::Xls)
        );
    }
}
