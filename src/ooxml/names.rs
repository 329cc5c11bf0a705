//! The names every stage that opens or writes a package must agree on, in one place: zpcheck's
//! own markers (custom document properties), the parts of an .xlsx and their content types.
//!
//! A marker is written by the two workbook writers and the summary writer and read back by the
//! container guard; a part name is read by the guard and the fast reader and written by the
//! patcher. Spelled once here, a change to one of them cannot leave another stage behind.

/// The custom property a corrected workbook (marked, with its 核查结果 sheet) carries.
pub const MARKER_OUTPUT: &str = "zpcheck";
/// The custom property a plain copy for resubmission (`--plain`) carries.
pub const MARKER_PLAIN: &str = "zpcheck-plain";
/// The custom property a summary workbook (`--summary`) carries.
pub const MARKER_SUMMARY: &str = "zpcheck-summary";

/// The marker a corrected workbook carries: plain copy or marked one.
pub fn output_marker(plain: bool) -> &'static str {
    if plain { MARKER_PLAIN } else { MARKER_OUTPUT }
}

/// The package relationships part (it names the workbook part).
pub const PACKAGE_RELS: &str = "_rels/.rels";
/// The usual workbook part (a writer may name another; the package relationships say which).
pub const WORKBOOK: &str = "xl/workbook.xml";
/// The usual workbook part's relationships.
pub const WORKBOOK_RELS: &str = "xl/_rels/workbook.xml.rels";
/// The style sheet.
pub const STYLES: &str = "xl/styles.xml";
/// The shared strings.
pub const SHARED_STRINGS: &str = "xl/sharedStrings.xml";
/// The custom document properties (where the markers and the seal are).
pub const CUSTOM_PROPERTIES: &str = "docProps/custom.xml";

/// A worksheet part's content type.
pub const WORKSHEET_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
/// A comments part's content type.
pub const COMMENTS_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
/// A VML drawing's content type (the notes' shapes).
pub const VML_TYPE: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
/// The custom properties part's content type.
pub const CUSTOM_PROPERTIES_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.custom-properties+xml";
/// An ordinary workbook part's content type.
pub const SHEET_MAIN_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";

/// The names of the custom properties a custom properties part declares (`<property
/// name="…">`), read as XML rather than searched for as text: a marker's name inside another
/// property's value is no marker.
pub fn custom_property_names(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut names = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "property" => {
                names.extend(super::xml::attr(&e, "name"));
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_names_are_read_as_xml() {
        let xml = r#"<?xml version="1.0"?><Properties xmlns="x" xmlns:vt="y"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="zpcheck-plain"><vt:lpwstr>0.1.0</vt:lpwstr></property><property pid="3" name="备注"><vt:lpwstr>name="zpcheck"</vt:lpwstr></property></Properties>"#;
        assert_eq!(custom_property_names(xml), vec!["zpcheck-plain", "备注"]);
        assert_eq!(custom_property_names(""), Vec::<String>::new());
        assert_eq!(
            custom_property_names("<Properties><property"),
            Vec::<String>::new()
        );
        assert_eq!(output_marker(true), MARKER_PLAIN);
        assert_eq!(output_marker(false), MARKER_OUTPUT);
    }
}
