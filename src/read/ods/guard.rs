//! The .ods content guard: content.xml is scanned as calamine will read it, and a workbook
//! whose tables would span too many cells, or hold too many valued cells or too much text,
//! is refused before calamine builds its dense grids.

use crate::error::InputError;
use crate::limits::{MAX_CELLS, MAX_DENSE_TEXT_BYTES, MAX_ODS_CELLS, MAX_ODS_SHEET_CELLS};
use crate::read::guard::too_much_text;

/// Scans an .ods content.xml for the range its valued cells span after `number-rows-repeated`
/// and `number-columns-repeated` are applied; empty repeated rows and cells (LibreOffice writes
/// a million of them after the data) do not count.
pub fn check_ods_extent(xml: &str) -> Result<(), InputError> {
    use quick_xml::events::{BytesStart, Event};
    // Read exactly as calamine reads content.xml (its `parse_content`): the same reader
    // settings, elements and attributes by their qualified names ("table:table-row", not any
    // element whose local name is "table-row"), the first attribute of that exact name. A
    // guard that read differently could be walked past: an `x:number-rows-repeated` before
    // the real one, an `<x:table>` resetting the count, mismatched end tags (calamine does
    // not check them) ending the scan early.
    fn repeat(e: &BytesStart<'_>, name: &str) -> u64 {
        e.attributes()
            .with_checks(false)
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| a.value.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .clamp(1, 1 << 24)
    }
    fn has_value(e: &BytesStart<'_>) -> bool {
        e.attributes()
            .with_checks(false)
            .flatten()
            .any(|a| matches!(a.key.local_name().as_ref(), "value-type" | "formula"))
    }
    let too_large = |rows: u64, cols: u64| {
        InputError::TooLarge(format!(
            "表格内容展开后为 {rows} 行 × {cols} 列，超过 {MAX_ODS_SHEET_CELLS} 个单元格"
        ))
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    // Per table: rows so far and the widest valued span; over all tables, the cells the
    // dense grids take together (200 tables each just under the limit are refused too).
    let (mut rows, mut span_cols, mut all_tables) = (0u64, 0u64, 0u64);
    let (mut row_repeat, mut col, mut last_valued) = (1u64, 0u64, 0u64);
    // A cell just opened: (its last column, its repeats, whether its attributes give it a
    // value). Content inside it (text, a paragraph) makes it valued too, as calamine reads it.
    let mut open_cell: Option<(u64, u64, bool)> = None;
    // Valued cells after the repeats: the row's, all tables'. calamine copies each into its
    // grid and zpcheck each into its own; past [`MAX_CELLS`] zpcheck refuses the workbook
    // anyway, and refusing here saves the gigabyte calamine would take first.
    let (mut row_valued, mut valued) = (0u64, 0u64);
    // The text calamine copies into every cell a repeat makes (a 10 MB string repeated over a
    // thousand cells is 10 GB): the open cell's repeats and bytes, the row's, all tables'.
    let mut cell_text: Option<(u64, u64)> = None;
    let (mut row_text, mut text) = (0u64, 0u64);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| crate::read::corrupt(&format!("content.xml 不是完整的 XML：{e}")))?;
        if let Some((end, repeats, has_value)) = open_cell.take() {
            let closes_empty = matches!(&event, Event::End(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell"));
            if has_value || !closes_empty {
                last_valued = end;
                row_valued = row_valued.saturating_add(repeats);
            }
        }
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => {
                    all_tables = all_tables.saturating_add(rows.saturating_mul(span_cols));
                    (rows, span_cols) = (0, 0);
                }
                "table:table-row" => {
                    (row_repeat, col, last_valued, row_text, row_valued) =
                        (repeat(&e, "table:number-rows-repeated"), 0, 0, 0, 0);
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let repeats = repeat(&e, "table:number-columns-repeated");
                    col = col.saturating_add(repeats);
                    open_cell = Some((col, repeats, has_value(&e)));
                    // The attributes calamine keeps as text for each copy.
                    let attrs: usize = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .filter(|a| {
                            matches!(a.key.local_name().as_ref(), "string-value" | "formula")
                        })
                        .map(|a| a.value.len())
                        .sum();
                    cell_text = Some((repeats, attrs as u64));
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some((_, bytes)) = &mut cell_text {
                    *bytes = bytes.saturating_add(t.len() as u64);
                }
            }
            Event::End(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                if let Some((repeats, bytes)) = cell_text.take() {
                    row_text = row_text.saturating_add(repeats.saturating_mul(bytes));
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                rows = rows.saturating_add(row_repeat);
                // The span ends at the last row holding a value.
                if last_valued > 0 {
                    span_cols = span_cols.max(last_valued);
                    if rows.saturating_mul(span_cols) > MAX_ODS_SHEET_CELLS {
                        return Err(too_large(rows, span_cols));
                    }
                    let total = all_tables.saturating_add(rows.saturating_mul(span_cols));
                    if total > MAX_ODS_CELLS {
                        return Err(InputError::TooLarge(format!(
                            "各表格内容展开后合计超过 {MAX_ODS_CELLS} 个单元格"
                        )));
                    }
                }
                // (After the extent: a range too large is the plainer message.)
                valued = valued.saturating_add(row_valued.saturating_mul(row_repeat));
                if valued > MAX_CELLS as u64 {
                    return Err(InputError::TooLarge(format!("单元格超过 {MAX_CELLS} 个")));
                }
                text = text.saturating_add(row_text.saturating_mul(row_repeat));
                if text > MAX_DENSE_TEXT_BYTES as u64 {
                    return Err(too_much_text(MAX_DENSE_TEXT_BYTES));
                }
                (row_repeat, last_valued) = (1, 0);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(body: &str) -> String {
        format!(
            r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table table:name="S">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    #[test]
    fn the_ods_guard_reads_as_calamine_reads() {
        let valued = r#"<table:table-cell table:number-columns-repeated="90" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;
        let big = |rows_attr: &str| {
            content(&format!(
                r#"<table:table-row {rows_attr}>{valued}</table:table-row>"#
            ))
        };
        // The first attribute of the exact name counts; another prefix's does not.
        let prefixed = big(r#"x:number-rows-repeated="1" table:number-rows-repeated="1000000""#);
        assert!(matches!(
            check_ods_extent(&prefixed),
            Err(InputError::TooLarge(_))
        ));
        // An element whose local name is "table" but is not table:table resets nothing.
        let reset = content(&format!(
            r#"<table:table-row table:number-rows-repeated="30000">{valued}</table:table-row><x:table/><table:table-row table:number-rows-repeated="30000">{valued}</table:table-row>"#
        ));
        assert!(matches!(
            check_ods_extent(&reset),
            Err(InputError::TooLarge(_))
        ));
        // A mismatched end tag (calamine does not check them) does not end the scan.
        let mismatched = content(&format!(
            r#"<text:p>x</text:q><table:table-row table:number-rows-repeated="1000000">{valued}</table:table-row>"#
        ));
        assert!(matches!(
            check_ods_extent(&mismatched),
            Err(InputError::TooLarge(_))
        ));
        // A cell with text but no value type is valued, as calamine reads it.
        let texts = content(
            r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="90"><text:p>字</text:p></table:table-cell></table:table-row>"#,
        );
        assert!(matches!(
            check_ods_extent(&texts),
            Err(InputError::TooLarge(_))
        ));
        // Many tables each under the limit (valued in their first and last rows): refused in
        // all.
        let table = format!(
            r#"<table:table table:name="T"><table:table-row>{valued}</table:table-row><table:table-row table:number-rows-repeated="18998"><table:table-cell table:number-columns-repeated="90"/></table:table-row><table:table-row>{valued}</table:table-row></table:table>"#
        );
        let many = format!(
            r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>{}</office:spreadsheet></office:body></office:document-content>"#,
            table.repeat(4)
        );
        let msg = check_ods_extent(&many).unwrap_err().to_string();
        assert!(
            msg.contains("各表格内容展开后合计超过 2000000 个单元格"),
            "{msg}"
        );
        let one = many.replacen(&table, "", 3);
        assert!(check_ods_extent(&one).is_ok());
        // One string of 100 KB repeated over 1,000 cells: 100 MB of copies.
        let long = "字".repeat(34_000);
        let strings = content(&format!(
            r#"<table:table-row table:number-rows-repeated="10"><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>{long}</text:p></table:table-cell></table:table-row>"#
        ));
        let msg = check_ods_extent(&strings).unwrap_err().to_string();
        assert!(
            msg.contains("单元格中的文字、公式和数字格式合计超过 16 MB"),
            "{msg}"
        );
        let once = strings.replace("table:number-rows-repeated=\"10\"", "");
        assert!(check_ods_extent(&once).is_ok());
    }

    #[test]
    fn ods_valued_cells_are_counted_after_repeats() {
        // 10,000 rows of 100 valued cells: the limit of 1,000,000; one row more is refused,
        // though the range (1,000,100 cells) is within its own limit. Empty cells between
        // do not count.
        let row = |repeats: u32| {
            format!(
                r#"<table:table-row table:number-rows-repeated="{repeats}"><table:table-cell table:number-columns-repeated="50" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell><table:table-cell table:number-columns-repeated="50"/><table:table-cell table:number-columns-repeated="50" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#
            )
        };
        assert!(check_ods_extent(&content(&row(10_000))).is_ok());
        let msg = check_ods_extent(&content(&row(10_001)))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("单元格超过 1000000 个"), "{msg}");
    }

    #[test]
    fn ods_repeats_of_valued_cells_are_bounded() {
        let cell = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;
        let ok = content(&format!(
            r#"<table:table-row>{cell}{cell}</table:table-row><table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#
        ));
        assert!(check_ods_extent(&ok).is_ok());
        let bomb = content(
            r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="90" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#,
        );
        assert!(matches!(
            check_ods_extent(&bomb),
            Err(InputError::TooLarge(_))
        ));
        let far = content(&format!(
            r#"<table:table-row>{cell}</table:table-row><table:table-row table:number-rows-repeated="5000000"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="3"/>{cell}</table:table-row>"#
        ));
        assert!(matches!(
            check_ods_extent(&far),
            Err(InputError::TooLarge(_))
        ));
        assert!(matches!(
            check_ods_extent("<a><b>"),
            Ok(()) // unclosed elements at the end: calamine reads them too
        ));
        assert!(matches!(
            check_ods_extent("<a><!-- not closed"),
            Err(InputError::Corrupt(_))
        ));
    }
}
