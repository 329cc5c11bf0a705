//! The workbook-level parts a patch changes: `xl/workbook.xml` (the 核查结果 sheet listed, its
//! autofilter's hidden name, recalculation on load when values changed) and the custom
//! document property `zpcheck` that marks the file as zpcheck's output.

use std::ops::Range;

use quick_xml::events::Event;

use super::package::REL;
use super::sheet::MAIN;
use super::xml::{Element, Events, Splices, Tag, escape};
use crate::ooxml::{R, give_up};

/// What this module's give-ups are about, unless one names its own.
const HERE: crate::fallback::Why = crate::fallback::Why::Workbook;

/// What changes in `xl/workbook.xml`.
pub(super) struct WorkbookEdit {
    /// A sheet to add at the end: its name and relationship id.
    pub add_sheet: Option<(String, String)>,
    /// The 核查结果 sheet's index, its autofilter's range (`'核查结果'!$A$4:$I$9`) and its
    /// print titles (`'核查结果'!$4:$4`); none in a plain copy, which has no such sheet.
    pub filter: Option<(usize, String, String)>,
    /// Ask for recalculation on load (values that formulas use have changed).
    pub full_calc: bool,
}

/// Elements of a workbook after `definedNames` (ECMA-376 CT_Workbook order).
const AFTER_DEFINED_NAMES: &[&str] = &[
    "calcPr",
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
];

/// The patched `xl/workbook.xml`.
pub(super) fn patch(xml: &str, edit: &WorkbookEdit) -> R<String> {
    let mut ev = Events::new(xml);
    let mut splices = Splices::default();
    let mut r_prefix = None;
    let mut max_id = 0u32;
    let mut sheets_end = None;
    let mut names_end = None;
    let mut names_at = None;
    let mut calc: Option<(Tag, Range<usize>)> = None;
    let mut calc_at = None;
    let mut depth = 0usize;
    let mut in_names = false;
    loop {
        let (e, empty, range) = match ev.element()? {
            Element::Open { tag, empty, range } => (tag, empty, range),
            Element::Close(range) => {
                match depth {
                    1 => {
                        names_at.get_or_insert(range.start);
                        calc_at.get_or_insert(range.start);
                    }
                    2 if in_names => {
                        names_end = Some(range.start);
                        in_names = false;
                    }
                    2 => sheets_end = sheets_end.or(Some(range.start)),
                    _ => {}
                }
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
                continue;
            }
        };
        let name = e.name();
        let name = name.as_ref();
        match depth {
            0 => {
                let root = Tag::parse(&e, empty)?;
                if name != "workbook" || root.get("xmlns") != Some(MAIN) || empty {
                    return Err(give_up!());
                }
                r_prefix = root.prefix_of(REL).map(str::to_string);
                depth = 1;
            }
            1 => {
                if sheets_end.is_some() && AFTER_DEFINED_NAMES.contains(&name) {
                    names_at.get_or_insert(range.start);
                    if name != "calcPr" {
                        calc_at.get_or_insert(range.start);
                    }
                }
                match name {
                    "sheets" if !empty => {
                        depth = 2;
                        sheets_end = None;
                    }
                    "definedNames" if !empty => {
                        depth = 2;
                        in_names = true;
                    }
                    "calcPr" => {
                        calc = Some((Tag::parse(&e, empty)?, range.start..range.end));
                        if !empty {
                            let end = ev.skip_element(&e)?;
                            calc = calc.map(|(t, r)| (t, r.start..end));
                        }
                    }
                    // Elements the patch does not look into.
                    _ if !empty => {
                        ev.skip_element(&e)?;
                    }
                    _ => {}
                }
            }
            _ => {
                let tag = Tag::parse(&e, empty)?;
                let end = if empty {
                    range.end
                } else {
                    ev.skip_element(&e)?
                };
                if in_names {
                    let ours = matches!(
                        tag.text("name").as_deref(),
                        Some("_xlnm._FilterDatabase" | "_xlnm.Print_Titles")
                    ) && tag.text("localSheetId").and_then(|i| i.parse().ok())
                        == edit.filter.as_ref().map(|f| f.0);
                    if ours {
                        splices.replace(range.start..end, String::new());
                    }
                } else if name == "sheet" {
                    let id = tag.text("sheetId").and_then(|v| v.parse::<u32>().ok());
                    max_id = max_id.max(id.unwrap_or(0));
                }
            }
        }
    }
    let sheets_end = sheets_end.ok_or(give_up!())?;
    if let Some((name, id)) = &edit.add_sheet {
        let rid = match &r_prefix {
            Some(p) => format!("{p}:id=\"{}\"", escape(id)),
            None => format!("xmlns:r=\"{REL}\" r:id=\"{}\"", escape(id)),
        };
        splices.insert(
            sheets_end,
            format!(
                "<sheet name=\"{}\" sheetId=\"{}\" {rid}/>",
                escape(name),
                max_id + 1
            ),
        );
    }
    if let Some((index, range, titles)) = &edit.filter {
        let filter = format!(
            "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{index}\" hidden=\"1\">{}</definedName><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{index}\">{}</definedName>",
            escape(range),
            escape(titles)
        );
        match names_end {
            Some(at) => splices.insert(at, filter),
            None => splices.insert(
                names_at.ok_or(give_up!())?,
                format!("<definedNames>{filter}</definedNames>"),
            ),
        }
    }
    if edit.full_calc {
        match calc {
            Some((mut tag, range)) => {
                let body = xml.get(range.start..range.end).ok_or(give_up!())?;
                let open_end = if tag.empty {
                    range.end
                } else {
                    range.start + body.find('>').ok_or(give_up!())? + 1
                };
                tag.set("fullCalcOnLoad", "1");
                splices.replace(range.start..open_end, tag.write());
            }
            None => splices.insert(
                calc_at.ok_or(give_up!())?,
                "<calcPr fullCalcOnLoad=\"1\"/>".to_string(),
            ),
        }
    }
    splices.apply(xml)
}

/// The custom properties' namespaces.
const CUSTOM: &str = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
const VT: &str = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
/// The format id every custom document property carries.
const FMTID: &str = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";

fn property(pid: u32, vt: &str, local_ns: bool, name: &str) -> String {
    let ns = if local_ns {
        format!(" xmlns:{vt}=\"{VT}\"")
    } else {
        String::new()
    };
    format!(
        "<property fmtid=\"{FMTID}\" pid=\"{pid}\" name=\"{name}\"><{vt}:lpwstr{ns}>{}</{vt}:lpwstr></property>",
        env!("CARGO_PKG_VERSION")
    )
}

/// A custom properties part holding only `zpcheck`.
pub(super) fn new_custom(name: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"{CUSTOM}\" xmlns:vt=\"{VT}\">{}</Properties>",
        property(2, "vt", false, name)
    )
}

/// An existing custom properties part with `zpcheck` added (unchanged if it has it).
pub(super) fn add_custom(xml: &str, name: &str) -> R<String> {
    let mut ev = Events::new(xml);
    let mut max_pid = 1u32;
    let mut vt = None;
    let mut end = None;
    let mut depth = 0;
    loop {
        let (event, range) = ev.next()?;
        match event {
            Event::Start(e) if depth == 0 => {
                let root = Tag::parse(&e, false)?;
                if root.name != "Properties" || root.get("xmlns") != Some(CUSTOM) {
                    return Err(give_up!());
                }
                vt = root.prefix_of(VT).map(str::to_string);
                depth = 1;
            }
            Event::Start(e) => {
                let tag = Tag::parse(&e, false)?;
                if tag.text("name").as_deref() == Some(name) {
                    return Ok(xml.to_string());
                }
                let pid = tag.text("pid").and_then(|p| p.parse::<u32>().ok());
                max_pid = max_pid.max(pid.unwrap_or(0));
                ev.skip_element(&e)?;
            }
            Event::Empty(_) if depth == 0 => return Err(give_up!()),
            Event::End(_) => end = Some(range.start),
            Event::Eof => break,
            _ => {}
        }
    }
    let mut splices = Splices::default();
    let (prefix, local) = match &vt {
        Some(p) => (p.as_str(), false),
        None => ("vt", true),
    };
    splices.insert(
        end.ok_or(give_up!())?,
        property(max_pid + 1, prefix, local, name),
    );
    splices.apply(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workbook(inner: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?><workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><workbookPr/><sheets><sheet name=\"表\" sheetId=\"3\" r:id=\"rId1\"/></sheets>{inner}</workbook>"
        )
    }

    #[test]
    fn the_findings_sheet_and_its_filter_are_listed() {
        let edit = WorkbookEdit {
            add_sheet: Some(("核查结果".into(), "rId9".into())),
            filter: Some((1, "'核查结果'!$A$1:$I$5".into(), "'核查结果'!$1:$1".into())),
            full_calc: true,
        };
        let out = patch(&workbook("<calcPr calcId=\"191029\"/>"), &edit).unwrap();
        assert!(out.contains("<sheet name=\"表\" sheetId=\"3\" r:id=\"rId1\"/><sheet name=\"核查结果\" sheetId=\"4\" r:id=\"rId9\"/></sheets><definedNames><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"1\" hidden=\"1\">&apos;核查结果&apos;!$A$1:$I$5</definedName><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">&apos;核查结果&apos;!$1:$1</definedName></definedNames><calcPr calcId=\"191029\" fullCalcOnLoad=\"1\"/>"), "{out}");
        // An earlier filter of the same sheet is replaced; no calcPr: one is added last.
        let again = workbook(
            "<definedNames><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"1\" hidden=\"1\">old</definedName><definedName name=\"x\">1</definedName><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">old</definedName></definedNames><extLst/>",
        );
        let edit = WorkbookEdit {
            add_sheet: None,
            filter: Some((1, "new".into(), "titles".into())),
            full_calc: true,
        };
        let out = patch(&again, &edit).unwrap();
        assert!(!out.contains("old") && out.contains("<definedName name=\"x\">1</definedName><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"1\" hidden=\"1\">new</definedName><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">titles</definedName></definedNames><calcPr fullCalcOnLoad=\"1\"/><extLst/>"), "{out}");
        assert!(patch("<x:workbook xmlns:x=\"m\"/>", &edit).is_err());
    }

    #[test]
    fn the_zpcheck_property_is_added_once() {
        let theirs = format!(
            "<?xml version=\"1.0\"?><Properties xmlns=\"{CUSTOM}\" xmlns:vt=\"{VT}\"><property fmtid=\"{FMTID}\" pid=\"2\" name=\"部门\"><vt:lpwstr>科技局</vt:lpwstr></property></Properties>"
        );
        let out = add_custom(&theirs, "zpcheck").unwrap();
        assert!(
            out.contains("科技局") && out.contains("pid=\"3\" name=\"zpcheck\""),
            "{out}"
        );
        assert_eq!(add_custom(&out, "zpcheck").unwrap(), out);
        assert!(new_custom("zpcheck").contains("name=\"zpcheck\""));
    }
}
