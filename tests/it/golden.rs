//! Golden parts, in rust_xlsxwriter's manner: the patcher's output for three samples is
//! compared part by part, byte for byte, with the parts committed under `tests/golden/`. A
//! change to any XML the patcher writes (a cell, a style, a note, the 核查结果 sheet, the
//! workbook's list, content types, relationships) shows up here as a diff of that part, to be
//! looked at and accepted on purpose: `ZPCHECK_BLESS=1 cargo test --test it golden` rewrites
//! the committed parts. The committed ones were checked by opening the corrected workbooks in
//! LibreOffice.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use zpcheck_testkit::sample;

/// The samples whose patched parts are kept: the seed report (notes, percent cells), the
/// national form with planted errors (every rule that corrects), and openpyxl's output (no
/// cached values, a formula's range corrected).
const SAMPLES: &[&str] = &[
    "seed_kelamayi_2023.xlsx",
    "national_planted_errors.xlsx",
    "openpyxl_wrong_sum.xlsx",
];

/// The parts of a package, by name, that the patcher may write (XML and relationships).
fn parts(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".vml") {
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            out.push((name, bytes));
        }
    }
    out.sort();
    out
}

fn golden_dir(sample: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(sample.replace('.', "_"))
}

#[test]
fn the_patched_parts_are_the_golden_ones() {
    let bless = std::env::var_os("ZPCHECK_BLESS").is_some();
    let dir = tempfile::tempdir().unwrap();
    for name in SAMPLES {
        let out = dir.path().join(name);
        let (_, by) = zpcheck_testkit::fix_to(&sample(name), &out);
        assert_eq!(by.method, zpcheck::write::Method::Patched, "{name}");
        let golden = golden_dir(name);
        let got = parts(&out);
        if bless {
            let _ = std::fs::remove_dir_all(&golden);
            for (part, bytes) in &got {
                let path = golden.join(part);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
            continue;
        }
        // Every committed part, and no part the patcher writes that is not committed.
        let mut committed = Vec::new();
        zpcheck_testkit::collect_files(&golden, &golden, &mut committed);
        committed.sort();
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&got), names(&committed), "{name}: the parts");
        for ((part, bytes), (_, want)) in got.iter().zip(&committed) {
            assert!(
                bytes == want,
                "{name}: {part} differs from tests/golden (ZPCHECK_BLESS=1 rewrites it after a \
                 deliberate change)\n--- golden\n{}\n--- written\n{}",
                String::from_utf8_lossy(want),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}
