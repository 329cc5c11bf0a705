//! What the two text formats government systems export share — an HTML table saved as `.xls`
//! ([`super::html`]) and SpreadsheetML 2003 ([`super::spreadsheetml`]): telling them from any
//! other text by their content, decoding the bytes by the charset they declare, the character
//! references of their text, and the cost of their cells against the limits every format keeps.

use std::borrow::Cow;

use encoding_rs::Encoding;

use crate::error::InputError;
use crate::grid::{Cell, CellValue};
use crate::limits::{MAX_CELL_BYTES, MAX_CELLS};

/// How much of a file's start is looked at to tell a markup format and find its charset.
pub(crate) const HEAD_BYTES: usize = 8 << 10;

/// The namespace every SpreadsheetML 2003 workbook declares.
pub(crate) const SPREADSHEETML_NS: &str = "urn:schemas-microsoft-com:office:spreadsheet";

/// Which markup format the bytes are, if either: SpreadsheetML when the start declares its
/// namespace (or Excel's `progid="Excel.Sheet"`) and opens a `Workbook`; HTML when the start is
/// a tag and an `<html>` or `<table>` follows. Decided by content, never by the name.
pub(crate) fn sniff(bytes: &[u8]) -> Option<super::FileKind> {
    let head = head_text(bytes);
    let text = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !text.starts_with('<') {
        return None;
    }
    if (text.contains(SPREADSHEETML_NS) || text.contains("progid=\"Excel.Sheet\""))
        && text.contains("Workbook")
    {
        return Some(super::FileKind::SpreadsheetMl);
    }
    let lower = text.to_ascii_lowercase();
    (lower.contains("<html") || lower.contains("<table")).then_some(super::FileKind::Html)
}

/// The start of the file as text for sniffing: UTF-16 when it has that mark, otherwise the
/// bytes as ASCII (every charset these files declare agrees with ASCII on the tags).
fn head_text(bytes: &[u8]) -> Cow<'_, str> {
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    match Encoding::for_bom(head) {
        Some((enc, _)) if enc != encoding_rs::UTF_8 => Cow::Owned(enc.decode(head).0.into_owned()),
        _ => String::from_utf8_lossy(head),
    }
}

/// The bytes as text: a byte-order mark wins; then the charset the start declares (an XML
/// declaration's `encoding`, an HTML `<meta charset>` or `content="…; charset=…"`; GB2312 is
/// read as GBK, its superset); then UTF-8 when the bytes are valid UTF-8; GBK otherwise, the
/// charset Chinese systems write without saying so.
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some((enc, skip)) = Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[skip..])
            .0
            .into_owned();
    }
    let declared = declared_charset(&head_text(bytes));
    let enc = match declared {
        Some(enc) => enc,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::GBK,
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The charset the start of a markup file declares, if any it names is known. (A UTF-16 label
/// in an ASCII-compatible file is a lie: such files are read by their mark.)
fn declared_charset(head: &str) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        let mut rest = lower.as_str();
        while let Some(i) = rest.find(key) {
            let value = rest[i + key.len()..].trim_start_matches(['"', '\'', ' ']);
            let label: String = value
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
                .collect();
            if let Some(enc) = Encoding::for_label(label.as_bytes())
                && enc.is_ascii_compatible()
            {
                return Some(enc);
            }
            rest = &rest[i + key.len()..];
        }
    }
    None
}

/// Text with its character references decoded: `&amp;` `&lt;` `&gt;` `&quot;` `&apos;`
/// `&nbsp;` (a space, as a spreadsheet program reads it), `&#NNN;` and `&#xHH;`. A reference
/// that is none of these is left as written.
pub(crate) fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
                "yen" => '¥',
                "times" => '×',
                "divide" => '÷',
                _ => {
                    let code =
                        if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                            u32::from_str_radix(hex, 16).ok()?
                        } else {
                            name.strip_prefix('#')?.parse().ok()?
                        };
                    char::from_u32(code).filter(|c| *c != '\0')?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(if c == '\u{a0}' { ' ' } else { c });
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A cell from a text that can only be text (an HTML table cell): a text that reads as a number
/// ("95.86%", "1,080.5", "９５．５") is that number, with the number format that shows it as
/// written — its decimals, its thousands separators, its percent sign — since the file has no
/// other way to hold one; anything else is text. Blank text gives None.
pub(crate) fn cell_from_text(text: &str) -> Option<Cell> {
    if text.is_empty() {
        return None;
    }
    let mut cell = Cell::blank();
    match crate::num::parse_number_text(text) {
        Some((value, percent)) => {
            use rust_decimal::prelude::ToPrimitive;
            let value = if percent {
                value / rust_decimal::Decimal::ONE_HUNDRED
            } else {
                value
            };
            cell.value = CellValue::Number(value.to_f64()?);
            cell.num_fmt = shown_format(text, percent);
        }
        None => cell.value = CellValue::Text(text.to_string()),
    }
    Some(cell)
}

/// The number format that shows a number as its text does, None for General (no decimals, no
/// separators, no percent).
fn shown_format(text: &str, percent: bool) -> Option<String> {
    let n: String = crate::num::normalized_chars(text).collect();
    let decimals = n
        .split_once('.')
        .map(|(_, frac)| frac.chars().filter(char::is_ascii_digit).count())
        .unwrap_or(0);
    let grouped = n.contains(',');
    if decimals == 0 && !grouped && !percent {
        return None;
    }
    let mut code = String::from(if grouped { "#,##0" } else { "0" });
    if decimals > 0 {
        code.push('.');
        code.push_str(&"0".repeat(decimals.min(15)));
    }
    if percent {
        code.push('%');
    }
    Some(code)
}

/// The cells a markup read has taken so far, charged against the limits every format keeps:
/// [`MAX_CELLS`] cells and [`MAX_CELL_BYTES`] of text.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    cells: usize,
    text: usize,
}

impl Budget {
    /// Charges one cell; refuses the workbook past a limit.
    pub(crate) fn charge(&mut self, cell: &Cell) -> Result<(), InputError> {
        self.cells += 1;
        self.text += cell.text_bytes();
        if self.cells > MAX_CELLS {
            return Err(InputError::TooLarge(format!("单元格超过 {MAX_CELLS} 个")));
        }
        if self.text > MAX_CELL_BYTES {
            return Err(super::guard::too_much_text(MAX_CELL_BYTES));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_charset_is_honoured_and_gb2312_reads_as_gbk() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><table><tr><td>部门</td></tr></table>");
        assert!(std::str::from_utf8(&gbk).is_err());
        assert!(decode(&gbk).contains("<td>部门</td>"));
        // Undeclared and not UTF-8: GBK.
        let (plain, _, _) = encoding_rs::GBK.encode("<table><tr><td>预算执行率</td></tr></table>");
        assert!(decode(&plain).contains("预算执行率"));
        // Declared UTF-8, or a mark.
        assert!(decode("<meta charset=\"utf-8\"><table>得分".as_bytes()).ends_with("得分"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "<table>分值".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&utf16), "<table>分值");
        assert_eq!(sniff(&utf16), Some(super::super::FileKind::Html));
    }

    #[test]
    fn markup_is_told_by_its_content() {
        use super::super::FileKind;
        assert_eq!(sniff(b"  <HTML><body><TABLE>"), Some(FileKind::Html));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">"),
            Some(FileKind::SpreadsheetMl)
        );
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><svg/>"), None);
        assert_eq!(sniff(b"plain text <table>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn a_text_that_reads_as_a_number_is_that_number_as_shown() {
        let c = cell_from_text("95.86%").unwrap();
        assert_eq!(c.value, CellValue::Number(0.9586));
        assert_eq!(c.num_fmt.as_deref(), Some("0.00%"));
        let c = cell_from_text("1,080.5").unwrap();
        assert_eq!(c.value, CellValue::Number(1080.5));
        assert_eq!(c.num_fmt.as_deref(), Some("#,##0.0"));
        let c = cell_from_text("90.00").unwrap();
        assert_eq!(
            (c.value, c.num_fmt.as_deref()),
            (CellValue::Number(90.0), Some("0.00"))
        );
        let c = cell_from_text("20").unwrap();
        assert_eq!((c.value, c.num_fmt), (CellValue::Number(20.0), None));
        let c = cell_from_text("≥95%").unwrap();
        assert_eq!(c.value, CellValue::Text("≥95%".into()));
        assert!(cell_from_text("").is_none());
    }

    #[test]
    fn references_are_decoded_and_unknown_ones_kept() {
        assert_eq!(
            unescape("a&amp;b&nbsp;c&#37;&#x4E00;&bogus;&"),
            "a&b c%一&bogus;&"
        );
    }
}
