//! Running zpcheck on specs and files, and findings as rows that tests compare whole.

use std::path::{Path, PathBuf};

use crate::spec::SheetSpec;
use crate::xlsx::write_temp;

/// A bundled sample by file name (`samples/NAME`).
pub fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../samples")
        .join(name)
}

/// Checks one sheet spec with the given profile.
pub fn check_spec_with(spec: &SheetSpec, profile: &zpcheck::Profile) -> zpcheck::Checked {
    let (_dir, path) = write_temp(std::slice::from_ref(spec));
    zpcheck::check_path(&path, profile).expect("spec is a readable form")
}

/// Checks one sheet spec with the national rules.
pub fn check_spec(spec: &SheetSpec) -> zpcheck::Checked {
    check_spec_with(spec, &zpcheck::Profile::default())
}

/// Findings as (rule, cell, found, expected, fixed), for exact assertions.
pub fn rows(c: &zpcheck::Checked) -> Vec<(&'static str, String, String, String, bool)> {
    c.findings()
        .map(|f| {
            (
                f.rule,
                f.cell.to_string(),
                f.found.clone(),
                f.expected.clone(),
                f.fixed(),
            )
        })
        .collect()
}

/// The findings of one rule as (cell, found, expected, fixed).
pub fn of_rule(c: &zpcheck::Checked, rule: &str) -> Vec<(String, String, String, bool)> {
    c.findings()
        .filter(|f| f.rule == rule)
        .map(|f| {
            (
                f.cell.to_string(),
                f.found.clone(),
                f.expected.clone(),
                f.fixed(),
            )
        })
        .collect()
}

/// One expected finding row, written briefly.
pub fn row(
    rule: &'static str,
    cell: &str,
    found: &str,
    expected: &str,
    fixed: bool,
) -> (&'static str, String, String, String, bool) {
    (rule, cell.into(), found.into(), expected.into(), fixed)
}

/// One expected finding of a known rule, written briefly.
pub fn at(cell: &str, found: &str, expected: &str, fixed: bool) -> (String, String, String, bool) {
    (cell.into(), found.into(), expected.into(), fixed)
}

/// What a rebuilt workbook would be drawn with: a workbook read back with each cell's style
/// and each sheet's layout ([`zpcheck::read::Purpose::Rebuild`]).
pub fn looks(path: &Path) -> zpcheck::read::Fidelity {
    read_full(path).1
}

/// A workbook read with everything a rebuild needs: the grid and the fidelity bundle.
pub fn read_full(path: &Path) -> (zpcheck::read::Workbook, zpcheck::read::Fidelity) {
    let opts = zpcheck::read::ReadOptions::for_purpose(zpcheck::read::Purpose::Rebuild);
    let loaded = zpcheck::read::read_path_with(path, opts).expect("reads");
    let fidelity = loaded
        .fidelity
        .expect("a read for a rebuild keeps the looks");
    (loaded.workbook, fidelity)
}

/// Checks `input` and writes its corrected workbook to `out`, as `zpcheck fix` does.
pub fn fix_to(input: &Path, out: &Path) -> (zpcheck::Checked, zpcheck::write::WrittenBy) {
    let (checked, fidelity) =
        zpcheck::fix_path(input, &zpcheck::Profile::default()).expect("input reads");
    let by = zpcheck::write::write_corrected(&checked, &fidelity, input, out).expect("written");
    (checked, by)
}

/// The row (zero-based) of the 核查结果 sheet's header row, below its heading.
pub fn findings_header_row(sheet: &zpcheck::read::Sheet) -> u32 {
    (0..64)
        .find(|&r| {
            zpcheck::write::FINDINGS_HEADER
                .iter()
                .enumerate()
                .all(|(c, h)| sheet.text(zpcheck::read::CellRef::new(r, c as u32)) == *h)
        })
        .expect("the 核查结果 sheet has its header row")
}
