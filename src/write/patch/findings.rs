//! The 核查结果 sheet as worksheet XML, drawn from the same [`FindingsTable`] the rebuild
//! draws with rust_xlsxwriter: header frozen, autofilter on, columns fitted, wrapped rows
//! grown, printed landscape one page wide. Text is written inline (no shared strings), so the
//! workbook's string table is not touched.

use super::package::REL;
use super::sheet::MAIN;
use std::fmt::Write as _;

use super::styles::FindingsStyles;
use super::xml::{escape, push_t};
use crate::grid::CellRef;
use crate::write::{FINDINGS_HEADER, FindingsTable};

/// A column width in characters as Excel stores it (with its 5-pixel padding), as
/// rust_xlsxwriter stores it.
fn stored_width(width: f64) -> f64 {
    ((width * 7.0 + 5.0) / 7.0 * 256.0).trunc() / 256.0
}

fn text_cell(out: &mut String, at: CellRef, style: Option<u32>, text: &str) {
    let _ = write!(out, "<c r=\"{at}\"");
    if let Some(s) = style {
        let _ = write!(out, " s=\"{s}\"");
    }
    out.push_str(" t=\"inlineStr\"><is>");
    push_t(out, text);
    out.push_str("</is></c>");
}

/// The sheet's XML, with the cell formats given.
pub(super) fn sheet_xml(table: &FindingsTable, st: FindingsStyles) -> String {
    let top = table.top();
    let last = table.last_row();
    let bottom = table
        .not_kept
        .as_ref()
        .map_or(last, |(r, _)| (*r).max(last));
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><dimension ref=\"A1:I{}\"/><sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"{split}\" topLeftCell=\"A{first}\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"A{first}\" sqref=\"A{first}\"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>",
        bottom + 1,
        split = top + 1,
        first = top + 2,
    );
    for (c, w) in table.widths.iter().enumerate() {
        out.push_str(&format!(
            "<col min=\"{n}\" max=\"{n}\" width=\"{}\" customWidth=\"1\"/>",
            stored_width(*w),
            n = c + 1
        ));
    }
    out.push_str("</cols><sheetData>");
    let height = |row: u32| {
        table
            .heights
            .iter()
            .find(|(r, _)| *r == row)
            .map(|(_, h)| format!(" ht=\"{h}\" customHeight=\"1\""))
            .unwrap_or_default()
    };
    for (row, line) in (0u32..).zip(&table.heading) {
        let _ = write!(out, "<row r=\"{}\"{}>", row + 1, height(row));
        let style = if row == 0 { st.title } else { st.line };
        text_cell(&mut out, CellRef::new(row, 0), Some(style), line);
        out.push_str("</row>");
    }
    let _ = write!(out, "<row r=\"{}\">", top + 1);
    for (c, h) in (0u32..).zip(FINDINGS_HEADER) {
        text_cell(&mut out, CellRef::new(top, c), Some(st.header), h);
    }
    out.push_str("</row>");
    for (i, (n, cells)) in table.rows.iter().enumerate() {
        let row = table.row_of(i);
        out.push_str(&format!(
            "<row r=\"{}\"{}><c r=\"{}\" s=\"{}\"><v>{n}</v></c>",
            row + 1,
            height(row),
            CellRef::new(row, 0),
            st.body
        ));
        for (c, v) in (1u32..).zip(cells) {
            let style = if c == u32::from(FindingsTable::LINK_COL) {
                st.link
            } else {
                st.body
            };
            text_cell(&mut out, CellRef::new(row, c), Some(style), v);
        }
        out.push_str("</row>");
    }
    if table.rows.is_empty() {
        let row = top + 1;
        let _ = write!(out, "<row r=\"{}\">", row + 1);
        let at = CellRef::new(row, u32::from(FindingsTable::NOTHING_COL));
        text_cell(&mut out, at, Some(st.body), FindingsTable::NOTHING);
        out.push_str("</row>");
    }
    if let Some((row, line)) = &table.not_kept {
        let _ = write!(out, "<row r=\"{}\">", row + 1);
        text_cell(&mut out, CellRef::new(*row, 0), None, line);
        out.push_str("</row>");
    }
    let _ = write!(
        out,
        "</sheetData><autoFilter ref=\"{}\"/>",
        filter_range(table)
    );
    if !table.heading.is_empty() {
        let _ = write!(out, "<mergeCells count=\"{}\">", table.heading.len());
        for row in 1..=table.heading.len() {
            let _ = write!(out, "<mergeCell ref=\"A{row}:I{row}\"/>");
        }
        out.push_str("</mergeCells>");
    }
    if !table.links.is_empty() {
        out.push_str("<hyperlinks>");
        for (i, location) in table.links.iter().enumerate() {
            let at = CellRef::new(table.row_of(i), u32::from(FindingsTable::LINK_COL));
            let _ = write!(
                out,
                "<hyperlink ref=\"{at}\" location=\"{}\" display=\"{}\"/>",
                escape(location),
                escape(&table.rows[i].1[1])
            );
        }
        out.push_str("</hyperlinks>");
    }
    out.push_str("<pageMargins left=\"0.25\" right=\"0.25\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/><pageSetup paperSize=\"9\" orientation=\"landscape\" fitToHeight=\"0\"/></worksheet>");
    out
}

/// The autofilter's range: the header and every finding row.
pub(super) fn filter_range(table: &FindingsTable) -> String {
    format!("A{}:I{}", table.top() + 1, table.last_row() + 1)
}

/// The rows printed at the top of every page: the header row (`$3:$3`).
pub(super) fn print_titles(table: &FindingsTable) -> String {
    format!("${0}:${0}", table.top() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_stored_as_excel_stores_them() {
        // rust_xlsxwriter's figures for the same character widths.
        assert_eq!(stored_width(6.0), 6.7109375);
        assert_eq!(stored_width(60.0), 60.7109375);
        assert_eq!(stored_width(8.43), 9.140625);
    }
}
