//! What calamine does not expose about an xlsx sheet's look, read from its XML: column widths,
//! row heights, hidden rows and columns, frozen panes and page setup. The parts were already
//! size-checked by [`crate::read::guard`].

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use quick_xml::events::Event;

use crate::ooxml::workbook::workbook_parts;
use crate::ooxml::xml::{attr, flag};

/// The layout of one sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetLayout {
    /// Column width (in Excel's stored units) and hidden flag, by zero-based column.
    pub columns: BTreeMap<u32, (Option<f64>, bool)>,
    /// Row height in points and hidden flag, by zero-based row.
    pub rows: BTreeMap<u32, (Option<f64>, bool)>,
    /// Frozen rows and columns.
    pub freeze: Option<(u32, u32)>,
    /// Landscape orientation.
    pub landscape: bool,
    /// The paper size (Excel's number: 9 is A4, 1 Letter), when the sheet names one; a
    /// rebuilt sheet keeps it, and prints on A4 when there is none.
    pub paper: Option<u16>,
    /// Fit to this many pages wide and tall (0 = as many as needed).
    pub fit_to_pages: Option<(u16, u16)>,
    /// The print area, when one is defined.
    pub print_area: Option<(crate::read::CellRef, crate::read::CellRef)>,
    /// The sheet has data validation rules (not kept by the rebuild).
    pub data_validation: bool,
    /// The sheet has conditional formats (not kept by the rebuild).
    pub conditional_formats: bool,
}

/// What a quick look at a worksheet's XML tells before calamine streams it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetScan {
    /// The merged ranges.
    pub merges: Vec<crate::read::Merge>,
    /// Whether the sheet may hold formulas (false only when it certainly holds none).
    pub formulas: bool,
    /// The sheet's layout, when asked for (only a corrected workbook needs it).
    pub layout: Option<SheetLayout>,
}

/// The merged ranges of every worksheet of an xlsx, whether it has formulas and, with
/// `with_layout`, its layout, by sheet name; a sheet missing from the map could not be read
/// this way (calamine is asked instead). Each sheet's XML is decompressed once for all three.
///
/// Merged ranges are listed after a sheet's cells, so the XML is searched for `mergeCell`
/// and only what follows is parsed: one decompression and a byte search instead of a second
/// parse of the whole sheet.
pub fn scan_sheets(
    bytes: &[u8],
    workbook: (&str, &str),
    with_layout: bool,
) -> HashMap<String, SheetScan> {
    let mut out = HashMap::new();
    let Some(parts) = workbook_parts(workbook) else {
        return out;
    };
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    for (i, (name, path)) in parts.sheets.into_iter().enumerate() {
        let Some(path) = path else {
            continue; // a chart or dialog sheet
        };
        let mut xml = Vec::new();
        let Ok(mut entry) = zip.by_name(&path) else {
            continue;
        };
        if entry.read_to_end(&mut xml).is_err() {
            continue;
        }
        let layout = with_layout.then(|| {
            let mut layout = parse_sheet(&String::from_utf8_lossy(&xml));
            layout.print_area = parts.print_areas.get(&i).copied();
            layout
        });
        out.insert(
            name,
            SheetScan {
                merges: parse_merges(&xml),
                formulas: may_have_formulas(&xml),
                layout,
            },
        );
    }
    out
}

/// Whether a worksheet's XML may hold a formula element (`<f>`, `<f t="shared" …/>`,
/// `<x:f>`). Other elements starting with "f" only make this answer yes needlessly.
fn may_have_formulas(xml: &[u8]) -> bool {
    memchr::memmem::find(xml, b"<f").is_some() || memchr::memmem::find(xml, b":f").is_some()
}

pub(super) fn parse_merges(xml: &[u8]) -> Vec<crate::read::Merge> {
    let Some(at) = memchr::memmem::find(xml, b"mergeCell") else {
        return Vec::new();
    };
    // Back to the element's "<" (past a namespace prefix such as "x:").
    let start = xml[..at].iter().rposition(|&b| b == b'<').unwrap_or(at);
    // The byte scanner reads the usual forms; quick-xml what it declines.
    let last = memchr::memmem::rfind(xml, b"mergeCell").unwrap_or(at);
    if let Some(merges) = super::direct::scan::merges(xml, start, last) {
        return merges;
    }
    parse_merges_quick_xml(xml, start)
}

/// [`parse_merges`] by quick-xml events from `start` to the end or the first error.
pub(super) fn parse_merges_quick_xml(xml: &[u8], start: usize) -> Vec<crate::read::Merge> {
    let mut merges = Vec::new();
    let mut reader = quick_xml::Reader::from_reader(&xml[start..]);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "mergeCell" => {
                if let Some(r) = attr(&e, "ref") {
                    let (a, b) = r.split_once(':').unwrap_or((&r, &r));
                    if let (Some(first), Some(last)) = (
                        crate::read::CellRef::parse(a),
                        crate::read::CellRef::parse(b),
                    ) {
                        merges.push(crate::read::Merge { first, last });
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    merges
}

fn parse_sheet(xml: &str) -> SheetLayout {
    let mut l = SheetLayout::default();
    let mut fit = false;
    let mut fit_pages = (1u16, 1u16);
    let mut reader = quick_xml::Reader::from_str(xml);
    while let Ok(ev) = reader.read_event() {
        let e = match ev {
            Event::Empty(e) | Event::Start(e) => e,
            Event::Eof => break,
            _ => continue,
        };
        let num = |n: &str| attr(&e, n).and_then(|v| v.parse::<f64>().ok());
        match e.local_name().as_ref() {
            "col" => {
                let (Some(min), Some(max)) = (num("min"), num("max")) else {
                    continue;
                };
                let (min, max) = (min.max(1.0) as u32, (max as u32).min(16384));
                let width = num("width").filter(|w| w.is_finite() && *w >= 0.0 && *w <= 255.0);
                let hidden = flag(&e, "hidden");
                for c in min..=max {
                    l.columns.insert(c - 1, (width, hidden));
                }
            }
            "row" => {
                let Some(r) = num("r").filter(|r| *r >= 1.0 && *r <= 1_048_576.0) else {
                    continue;
                };
                let height = num("ht").filter(|h| h.is_finite() && *h >= 0.0 && *h <= 409.0);
                let custom = flag(&e, "customHeight");
                let hidden = flag(&e, "hidden");
                if custom || hidden {
                    l.rows.insert(r as u32 - 1, (height, hidden));
                }
            }
            "pane" if attr(&e, "state").as_deref() == Some("frozen") => {
                let split = |n: &str| num(n).map_or(0, |v| v.clamp(0.0, 16384.0) as u32);
                l.freeze = Some((split("ySplit"), split("xSplit")));
            }
            "pageSetUpPr" => fit = flag(&e, "fitToPage"),
            "dataValidation" => l.data_validation = true,
            "conditionalFormatting" => l.conditional_formats = true,
            "pageSetup" => {
                l.landscape = attr(&e, "orientation").as_deref() == Some("landscape");
                l.paper = num("paperSize")
                    .filter(|v| (1.0..=255.0).contains(v))
                    .map(|v| v as u16);
                let pages = |n: &str| num(n).map_or(1, |v| v.clamp(0.0, 32767.0) as u16);
                fit_pages = (pages("fitToWidth"), pages("fitToHeight"));
            }
            _ => {}
        }
    }
    if fit {
        l.fit_to_pages = Some(fit_pages);
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scanner and the quick-xml reading find the same ranges; the scanner reads the
    /// usual forms itself.
    #[test]
    fn merged_ranges_are_scanned_as_quick_xml_reads_them() {
        let head = r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>"#;
        let cases = [
            // (tail, scanned, ranges)
            (
                r#"<mergeCells count="2"><mergeCell ref="A1:I1"/><mergeCell ref="B4:E4"/></mergeCells><pageMargins left="0.7"/><headerFooter><oddFooter>&amp;P</oddFooter></headerFooter></worksheet>"#,
                true,
                2,
            ),
            (
                r#"<mergeCells><mergeCell ref="A1:B1"></mergeCell><mergeCell ref="C3" ref="D4:E5"/></mergeCells></worksheet>"#,
                true,
                2,
            ),
            // An end tag out of place: the quick-xml reading stops there.
            (
                r#"<mergeCells><mergeCell ref="A1:B1"/></x><mergeCell ref="C3:D4"/></mergeCells>"#,
                true,
                1,
            ),
            (
                r#"<mergeCells><mergeCell ref="A1:B1"/><!-- c --><mergeCell ref="C3:D4"/></mergeCells>"#,
                false,
                2,
            ),
            (
                r#"<mergeCells><mergeCell x:ref="A1:B1"/><mergeCell ref="C3:D4"/></mergeCells>"#,
                false,
                2,
            ),
            (
                r#"<mergeCells><mergeCell ref="A1:B&#49;"/></mergeCells>"#,
                false,
                1,
            ),
            (
                r#"<mergeCells><mergeCell ref="nonsense"/><mergeCell ref="C3"/></mergeCells>"#,
                true,
                1,
            ),
        ];
        for (tail, scanned, ranges) in cases {
            let xml = format!("{head}{tail}");
            let xml = xml.as_bytes();
            let at = memchr::memmem::find(xml, b"mergeCell").unwrap();
            let start = xml[..at].iter().rposition(|&b| b == b'<').unwrap();
            let last = memchr::memmem::rfind(xml, b"mergeCell").unwrap();
            let by_scan = crate::read::xlsx::direct::scan::merges(xml, start, last);
            assert_eq!(by_scan.is_some(), scanned, "{tail}");
            let quick = parse_merges_quick_xml(xml, start);
            assert_eq!(parse_merges(xml), quick, "{tail}");
            assert_eq!(quick.len(), ranges, "{tail}");
        }
    }

    #[test]
    fn merged_ranges_after_the_cells_with_or_without_a_prefix() {
        let xml = br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData><mergeCells count="2"><mergeCell ref="A1:H1"/><mergeCell ref="B3"/></mergeCells></worksheet>"#;
        let cell = |a: &str| crate::read::CellRef::parse(a).unwrap();
        let m = parse_merges(xml);
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].first, m[0].last), (cell("A1"), cell("H1")));
        assert_eq!((m[1].first, m[1].last), (cell("B3"), cell("B3")));
        let prefixed = br#"<x:worksheet xmlns:x="urn:x"><x:sheetData/><x:mergeCells><x:mergeCell ref="C2:D5"/></x:mergeCells></x:worksheet>"#;
        let m = parse_merges(prefixed);
        assert_eq!((m[0].first, m[0].last), (cell("C2"), cell("D5")));
        assert!(parse_merges(b"<worksheet><sheetData/></worksheet>").is_empty());
        assert!(may_have_formulas(
            br#"<c r="A1"><f>SUM(B1:B3)</f><v>6</v></c>"#
        ));
        assert!(may_have_formulas(
            br#"<x:c r="A1"><x:f t="shared" si="0"/></x:c>"#
        ));
        assert!(!may_have_formulas(br#"<c r="A1" t="s"><v>0</v></c>"#));
    }

    #[test]
    fn sheet_xml_layout() {
        let xml = r#"<worksheet><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView><pane ySplit="4" xSplit="1" topLeftCell="B5" state="frozen"/></sheetView></sheetViews><cols><col min="1" max="2" width="12.7109375" customWidth="1"/><col min="4" max="4" width="0" hidden="1"/></cols><sheetData><row r="3" ht="30" customHeight="1"/><row r="5" hidden="1"/><row r="6" ht="15"/></sheetData><pageSetup orientation="landscape" fitToHeight="0"/></worksheet>"#;
        let l = parse_sheet(xml);
        assert_eq!(l.columns.get(&0), Some(&(Some(12.7109375), false)));
        assert_eq!(l.columns.get(&1), Some(&(Some(12.7109375), false)));
        assert_eq!(l.columns.get(&3), Some(&(Some(0.0), true)));
        assert_eq!(l.rows.get(&2), Some(&(Some(30.0), false)));
        assert_eq!(l.rows.get(&4), Some(&(None, true)));
        assert_eq!(l.rows.get(&5), None);
        assert_eq!(l.freeze, Some((4, 1)));
        assert!(l.landscape);
        assert_eq!(l.fit_to_pages, Some((1, 0)));
    }
}
