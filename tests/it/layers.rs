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
    // Why a fast path fell back: stable codes for the reports.
    ("fallback", 0),
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
    // The file system apart from reading: atomic writes, path identity, output names.
    ("files", 1),
    // The stages.
    ("read", 2),
    ("locate", 3),
    // The figures a report's words state (the locate stage of a narrative).
    ("claims", 3),
    ("form", 4),
    ("rules", 5),
    // A checked form's figures, which every output shows.
    ("checked", 5),
    // The outputs, side by side.
    ("write", 6),
    ("report", 6),
    ("summary", 6),
    ("explain", 6),
    ("baseline", 6),
    // One input's way through the stages, and many inputs on worker threads.
    ("pipeline", 7),
    ("batch", 7),
    // Which report goes with which workbook (reads both).
    ("pairing", 7),
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

/// Every source file of `src/` as (path relative to `src/` with '/', its code before
/// `#[cfg(test)]`), in no particular order.
fn sources() -> Vec<(String, String)> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let rel = file
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&file).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap().to_string();
            (rel, code)
        })
        .collect()
}

#[test]
fn no_module_uses_a_later_stage() {
    let mut wrong = Vec::new();
    let mut ranked = 0;
    for (rel, code) in sources() {
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        if rel.ends_with("tests.rs") || matches!(top, "lib" | "main") {
            continue;
        }
        let own = rank(top).unwrap_or_else(|| panic!("src/{rel}: module {top} has no rank"));
        ranked += 1;
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

/// A source file's module path (`src/read/xlsx/direct/cells.rs` → `read::xlsx::direct::cells`,
/// a `mod.rs` names its folder), or None for the crate root and test files.
fn module_of(rel: &str) -> Option<Vec<String>> {
    if rel.ends_with("tests.rs") || rel.contains("/tests/") {
        return None;
    }
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    (!matches!(parts.as_slice(), [p] if p == "lib" || p == "main")).then_some(parts)
}

/// The modules a file's code (before `#[cfg(test)]`, comments left out) names by path:
/// `crate::a::b…`, `crate::{a, b::c}`, `super::…` and `self::…`, each resolved to the longest
/// module path that is a file. A module's use of its own submodules by their bare names is the
/// module tree, not an import, and is not counted.
fn imports(
    own: &[String],
    code: &str,
    known: &std::collections::HashSet<Vec<String>>,
) -> Vec<Vec<String>> {
    let resolve = |mut path: Vec<String>| {
        while !path.is_empty() {
            if known.contains(&path) {
                return Some(path);
            }
            path.pop();
        }
        None
    };
    let word = |s: &str| -> Vec<String> {
        let mut out = Vec::new();
        for seg in s.split("::") {
            let name: String = seg
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // A type or a value (`crate::read::Sheet`) ends the module path.
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_uppercase()) {
                break;
            }
            let whole = name.len() == seg.len();
            out.push(name);
            if !whole {
                break;
            }
        }
        out
    };
    let mut found = Vec::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (i, _) in line.match_indices("crate::") {
            let rest = &line[i + 7..];
            if let Some(group) = rest.strip_prefix('{') {
                for item in group.split('}').next().unwrap_or("").split(',') {
                    found.extend(resolve(word(item.trim())));
                }
            } else {
                found.extend(resolve(word(rest)));
            }
        }
        for (i, _) in line.match_indices("super::") {
            // Only the first `super::` of a chain: `super::super::x`.
            if line[..i].ends_with("super::") {
                continue;
            }
            let mut base = own.to_vec();
            let mut rest = &line[i..];
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            base.extend(word(rest));
            found.extend(resolve(base));
        }
    }
    found.retain(|m| m != own && !m.is_empty());
    found
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    use std::collections::{HashMap, HashSet};
    let modules: Vec<(Vec<String>, String)> = sources()
        .into_iter()
        .filter_map(|(rel, code)| module_of(&rel).map(|m| (m, code)))
        .collect();
    let known: HashSet<Vec<String>> = modules.iter().map(|(m, _)| m.clone()).collect();
    let edges: HashMap<Vec<String>, Vec<Vec<String>>> = modules
        .iter()
        .map(|(m, code)| (m.clone(), imports(m, code, &known)))
        .collect();
    let imported: usize = edges.values().map(Vec::len).sum();
    assert!(imported > 100, "{imported} imports found");
    // A path back to the start from each module it imports.
    let mut circles = Vec::new();
    for (start, deps) in &edges {
        let mut seen = HashSet::new();
        let mut stack: Vec<Vec<Vec<String>>> = deps.iter().map(|d| vec![d.clone()]).collect();
        while let Some(path) = stack.pop() {
            let last = path.last().unwrap();
            if last == start {
                let names: Vec<String> = std::iter::once(start)
                    .chain(path.iter())
                    .map(|m| m.join("::"))
                    .collect();
                circles.push(names.join(" → "));
                break;
            }
            if !seen.insert(last.clone()) {
                continue;
            }
            for next in edges.get(last).into_iter().flatten() {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push(p);
            }
        }
    }
    circles.sort();
    assert_eq!(circles, Vec::<String>::new());
}

#[test]
fn the_browser_build_compiles_no_command_line_crates() {
    // web/ depends on zpcheck without its `cli` feature: its lock file, which cargo keeps to
    // what the build compiles, names none of the command line's crates.
    let lock =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("web/Cargo.lock"))
            .unwrap();
    assert!(
        lock.contains("name = \"zpcheck\""),
        "web/Cargo.lock names zpcheck"
    );
    for name in ["clap", "indicatif", "wild", "ctrlc"] {
        assert!(
            !lock.contains(&format!("name = \"{name}\"")),
            "web/Cargo.lock names {name}"
        );
    }
}
