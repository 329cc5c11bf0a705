//! A 自评报告's narrative as read from a Word document: its paragraphs in document order (the
//! text outside tables), each with what kind of paragraph it is, and what the reader passed
//! over. The document's tables are not here: each is a sheet named "表N" in the workbook's grid,
//! so that the locator finds a 自评表 in a Word table by the same label meanings as in a
//! workbook, and findings there name the table and a cell on its grid.

/// What kind of paragraph a narrative paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaKind {
    /// A heading (its outline level, 1 for the top).
    Heading(u8),
    /// An item of a numbered or bulleted list.
    ListItem,
    /// Body text.
    Body,
}

/// One paragraph of the narrative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Its text as a reader sees it: inserted text kept, deleted text dropped, field results
    /// taken (not their codes), a tab as '\t' and a line break as '\n'.
    pub text: String,
    /// Heading, list item or body.
    pub kind: ParaKind,
    /// How many tables came before it in the document (so a claim can be placed relative to
    /// the table it describes).
    pub tables_before: u32,
}

/// A report's narrative.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// The paragraphs outside tables, in document order; a finding's `paragraph` is the
    /// 1-based position in this list.
    pub paragraphs: Vec<Paragraph>,
    /// How many tables the document has (sheets "表1" … "表N" of the workbook).
    pub tables: u32,
    /// What was passed over and not read (text boxes, footnotes, nested tables…), in Chinese,
    /// so that the report says it instead of skipping it in silence.
    pub skipped: Vec<&'static str>,
}

/// The name a report's N-th table (1-based) is given as a sheet.
pub fn table_sheet_name(n: u32) -> String {
    format!("表{n}")
}

/// The table number of a sheet named "表N" (see [`table_sheet_name`]).
pub fn table_number(sheet: &str) -> Option<u32> {
    sheet.strip_prefix('表')?.parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_and_its_sheet_name_go_both_ways() {
        assert_eq!(table_sheet_name(3), "表3");
        assert_eq!(table_number("表3"), Some(3));
        assert_eq!(table_number("表0"), None);
        assert_eq!(table_number("Sheet1"), None);
        assert_eq!(table_number("表x"), None);
    }
}
