//! The same forms saved by LibreOffice as .xls, .xlsm and .ods give exactly the findings of the
//! .xlsx, and their corrected workbooks (always .xlsx) check clean.

use zpcheck_testkit as common;

use zpcheck::{Profile, Severity, check_path, fix_path, write};
use zpcheck_testkit::sample;

fn findings(name: &str) -> Vec<(&'static str, String, String, String, bool)> {
    common::rows(&check_path(&sample(name), &Profile::default()).unwrap())
}

#[test]
fn every_format_gives_the_xlsx_findings() {
    for (original, copies) in [
        (
            "seed_kelamayi_2023.xlsx",
            &["seed_kelamayi_2023.xls", "seed_kelamayi_2023.xlsm"][..],
        ),
        (
            "national_planted_errors.xlsx",
            &["national_planted_errors.ods"][..],
        ),
        (
            "national_clean.xlsx",
            &["national_clean.xls", "national_clean.ods"][..],
        ),
    ] {
        let expected = findings(original);
        for copy in copies {
            assert_eq!(findings(copy), expected, "{copy}");
        }
    }
    assert_eq!(findings("national_clean.ods"), vec![]);
}

#[test]
fn formats_are_told_by_their_bytes() {
    let kind = |name: &str| zpcheck::read::sniff(&std::fs::read(sample(name)).unwrap()).ok();
    use zpcheck::read::FileKind;
    assert_eq!(kind("seed_kelamayi_2023.xls"), Some(FileKind::Xls));
    assert_eq!(kind("seed_kelamayi_2023.xlsm"), Some(FileKind::Xlsx));
    assert_eq!(kind("national_clean.ods"), Some(FileKind::Ods));
    // A .xls saved under a .xlsx name is still read.
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("really_xls.xlsx");
    std::fs::copy(sample("seed_kelamayi_2023.xls"), &renamed).unwrap();
    assert_eq!(
        common::rows(&check_path(&renamed, &Profile::default()).unwrap()),
        findings("seed_kelamayi_2023.xlsx")
    );
}

#[test]
fn xls_and_ods_corrections_round_trip_as_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["seed_kelamayi_2023.xls", "national_planted_errors.ods"] {
        let input = sample(name);
        let (checked, fidelity) = fix_path(&input, &Profile::default()).unwrap();
        let out = dir.path().join(format!("{name}.xlsx"));
        write::write_corrected(&checked, &fidelity, &input, &out).unwrap();
        let again = check_path(&out, &Profile::default()).unwrap();
        assert!(
            again.findings().all(|f| f.severity != Severity::Error),
            "{name}: {:?}",
            common::rows(&again)
        );
    }
}

#[test]
fn gbk_text_is_recovered_with_its_sheet_name() {
    for name in ["gbk_no_codepage.xls", "gbk_wrong_codepage.xls"] {
        let c = check_path(&sample(name), &Profile::default()).unwrap();
        assert_eq!(c.forms[0].form.sheet, "部门整体支出绩效自评表", "{name}");
        assert_eq!(
            c.forms[0].form.name.as_deref(),
            Some("克拉玛依区科学技术局"),
            "{name}"
        );
    }
}
