//! Writes the bundled sample workbooks into samples/ (see samples/README.md).
//!
//! Run with `cargo run --example make_samples`; the files are committed, so nobody needs to.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    std::fs::create_dir_all(&dir).expect("samples folder");
    let samples = [
        ("seed_kelamayi_2023.xlsx", common::seed()),
        ("national_planted_errors.xlsx", common::national_errors()),
        ("national_clean.xlsx", common::national_clean()),
        ("dept_clean.xlsx", common::dept_clean()),
        ("sichuan_operator_columns.xlsx", common::sichuan()),
        ("decorated_shifted.xlsx", common::decorated()),
    ];
    for (name, sheet) in samples {
        common::write_xlsx(&dir.join(name), &[sheet]);
        println!("wrote samples/{name}");
    }
}
