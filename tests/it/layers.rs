//! The pipeline's direction, kept by a test: no module of `src/` uses a module of a later
//! stage (read → locate → form → rules → outputs → batch → cli). Modules of one rank may use
//! each other; test code (`tests.rs` files and what follows `#[cfg(test)]`) is not counted.

use std::path::{Path, PathBuf};

/// Each top-level module's rank: a module may use modules of its rank or a lower one.
const RANKS: &[(&str, u8)] = &[
    // Leaves: limits, errors, looks, the console check.
    ("error", 0),
    ("limits", 0),
    ("style", 0),
    ("console", 0),
    // The shared model and its vocabulary: numbers (Decimal, number text), the words forms
    // are recognised by and the profile that loads them, the cell grid (which shows its
    // numbers as num does), findings, the formula evaluator and OOXML packages.
    ("num", 1),
    ("vocab", 1),
    ("profile", 1),
    ("grid", 1),
    ("finding", 1),
    ("formula", 1),
    ("ooxml", 1),
    // The stages.
    ("read", 2),
    ("locate", 3),
    ("form", 4),
    ("rules", 5),
    // The outputs, side by side.
    ("write", 6),
    ("report", 6),
    ("summary", 6),
    ("explain", 6),
    ("baseline", 6),
    ("batch", 7),
    ("cli", 8),
];

fn rank(module: &str) -> Option<u8> {
    RANKS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_uses_a_later_stage() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut ranked = 0;
    for file in files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        if rel.ends_with("tests.rs") || matches!(top, "lib" | "main") {
            continue;
        }
        let own = rank(top).unwrap_or_else(|| panic!("src/{rel}: module {top} has no rank"));
        ranked += 1;
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (i, _) in line.match_indices("crate::") {
                let used: String = line[i + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(r) = rank(&used)
                    && r > own
                {
                    wrong.push(format!("src/{rel}:{}: {top} uses {used}", n + 1));
                }
            }
        }
    }
    assert!(ranked > 50, "{ranked} files checked");
    assert_eq!(wrong, Vec::<String>::new());
}

#[test]
fn the_rank_table_names_every_module() {
    // A new top-level module must be placed in the pipeline (or this test names it).
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let module = name.trim_end_matches(".rs");
        if !matches!(module, "lib" | "main") {
            assert!(
                rank(module).is_some(),
                "src/{name} has no rank in tests/it/layers.rs"
            );
        }
    }
}
