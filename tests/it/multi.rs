//! Several forms in one workbook: one per sheet with a notes sheet beside them, and two forms
//! stacked on one sheet. Each form is checked on its own; findings name their sheet and cell.

use zpcheck_testkit as common;

use common::*;

fn shift_a1(a1: &str, by: usize) -> String {
    let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row: usize = a1[letters.len()..].parse().unwrap();
    format!("{letters}{}", row + by)
}

#[test]
fn one_form_per_sheet_and_a_notes_sheet() {
    let mut a = national_errors();
    a.name = "项目A".into();
    let mut b = national_clean();
    b.name = "项目B".into();
    let mut notes = SheetSpec::new("填报说明");
    notes.row(vec![s("填报说明：金额单位为万元，得分保留两位小数。")]);
    notes.row(vec![s("总分"), n(100.0)]);
    let (_dir, path) = write_temp(&[notes, a, b]);
    let c = zpcheck::check_path(&path, &zpcheck::Profile::default()).unwrap();
    let sheets: Vec<&str> = c.forms.iter().map(|f| f.form.sheet.as_str()).collect();
    assert_eq!(sheets, vec!["项目A", "项目B"]);
    assert!(c.findings().all(|f| f.sheet == "项目A"));
    assert_eq!(c.findings().count(), 9);
    assert_eq!(
        c.forms
            .iter()
            .map(|f| f.report.computed_total.map(|d| d.to_string()))
            .collect::<Vec<_>>(),
        vec![Some("94.27".to_string()), Some("97".to_string())]
    );
}

#[test]
fn two_forms_stacked_on_one_sheet() {
    let top = national_clean();
    let bottom = national_errors();
    let offset = top.rows.len() + 2;
    let mut sh = SheetSpec::new("两个项目");
    sh.rows = top.rows.clone();
    sh.rows.push(vec![]);
    sh.rows.push(vec![]);
    sh.rows.extend(bottom.rows.clone());
    sh.merges = top.merges.clone();
    for m in &bottom.merges {
        let (a, b) = m.split_once(':').unwrap();
        sh.merges
            .push(format!("{}:{}", shift_a1(a, offset), shift_a1(b, offset)));
    }
    let c = check_spec(&sh);
    assert_eq!(c.forms.len(), 2);
    // The bottom form's findings, at their shifted cells; none in the top form.
    let cells: Vec<String> = c.findings().map(|f| f.cell.to_string()).collect();
    let expected: Vec<String> = ["C6", "D6", "E6", "G6", "H6", "H16", "H19", "I19", "H22"]
        .iter()
        .map(|a1| shift_a1(a1, offset))
        .collect();
    assert_eq!(cells, expected);
    assert_eq!(
        c.forms[0].report.computed_total.map(|d| d.to_string()),
        Some("97".into())
    );
    assert_eq!(
        c.forms[1].report.claimed_total.map(|d| d.to_string()),
        Some("89.6".into())
    );
}
