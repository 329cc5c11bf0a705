//! The files of a run: named files and walked folders (each directory once, links into a loop
//! never followed, unreadable folders and non-regular files reported), and where each corrected
//! workbook goes (`-o`, `--out-dir`, beside the input; never over a file zpcheck did not write).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::Target;
use crate::write;

/// The spreadsheet extensions zpcheck looks for in folders: Excel's, OpenDocument's, and WPS's
/// .et/.ett (a compound file holding a BIFF8 workbook, read as .xls is).
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "et", "ett"];

/// The inputs of a run, and the other files its folders hold.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Each input, and whether it was found by walking a folder.
    pub files: Vec<(PathBuf, bool)>,
    /// Files in the walked folders that are not spreadsheets (.pdf, .docx, .zip…), in sorted
    /// order: not checked, and named once at the end of the run.
    pub others: Vec<PathBuf>,
}

/// Expands the arguments into the inputs of a run: files named directly are kept in argument
/// order whatever their extension; a folder becomes the spreadsheets it holds, recursively, in
/// sorted order, skipping hidden files and Excel/WPS lock files (~$…). A file reached twice
/// (named and inside a named folder) is checked once. The flag tells a walked file.
pub fn expand(paths: &[PathBuf]) -> Inputs {
    let mut out = Vec::new();
    let mut others = Vec::new();
    let mut seen = HashSet::new();
    // A file reached twice (two arguments naming it, a folder and a file in it) is checked
    // once: files are compared by their canonical path. A walked file's is its folder's (looked
    // up once per folder) joined with its name, unless the file itself is a symbolic link.
    let mut folders: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut canonical = |p: &Path, link: bool| -> PathBuf {
        let full = || p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        match (link, p.parent(), p.file_name()) {
            (false, Some(dir), Some(name)) => folders
                .entry(dir.to_path_buf())
                .or_insert_with(|| dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()))
                .join(name),
            _ => full(),
        }
    };
    let mut visited = HashSet::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut others, &mut visited);
            found.sort();
            for (f, link) in found {
                if seen.insert(canonical(&f, link)) {
                    out.push((f, true));
                }
            }
        } else if seen.insert(canonical(p, true)) {
            out.push((p.clone(), false));
        }
    }
    others.sort();
    others.dedup();
    Inputs { files: out, others }
}

/// The workbook files under a folder, and whether each is a symbolic link; the other files go
/// to `others`.
///
/// A folder is walked once however many links lead to it (two links to `.` walked forever). A
/// folder that cannot be listed is itself returned as an input, so that reading it reports why
/// (permission, path too long) and the run exits 2, instead of its files going missing unsaid.
pub(super) fn walk(
    dir: &Path,
    out: &mut Vec<(PathBuf, bool)>,
    others: &mut Vec<PathBuf>,
    visited: &mut HashSet<PathBuf>,
) {
    if let Ok(real) = dir.canonicalize()
        && !visited.insert(real)
    {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push((dir.to_path_buf(), false));
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        // The entry's type comes with the directory listing; only a link needs a stat.
        let (link, is_dir) = match e.file_type() {
            Ok(t) if !t.is_symlink() => (false, t.is_dir()),
            _ => (true, path.is_dir()),
        };
        let ext = path
            .extension()
            .and_then(|x| x.to_str())
            .map(str::to_ascii_lowercase);
        if is_dir {
            walk(&path, out, others, visited);
        } else if ext.as_deref().is_some_and(|x| EXTENSIONS.contains(&x)) {
            out.push((path, link));
        } else if ext.as_deref() == Some("xml") && crate::read::is_spreadsheetml_file(&path) {
            // An .xml file is a spreadsheet only when it is SpreadsheetML (told by its start).
            out.push((path, link));
        } else if ext.as_deref().is_some_and(|x| x == "docx" || x == "docm")
            && crate::is_report_file(&path, crate::profile::national())
        {
            // A Word file is checked when it is a 自评报告; a 通知 or a letter is not.
            out.push((path, link));
        } else {
            others.push(path);
        }
    }
}

/// The line naming the files of the folders that are not spreadsheets ("另有 3 个文件不是电子
/// 表格，未核查：…"), the first few by name; none when there are none.
pub fn others_line(others: &[PathBuf]) -> Option<String> {
    const NAMED: usize = 5;
    if others.is_empty() {
        return None;
    }
    let names: Vec<String> = others
        .iter()
        .take(NAMED)
        .map(|p| p.display().to_string())
        .collect();
    let more = if others.len() > NAMED { " 等" } else { "" };
    Some(format!(
        "另有 {} 个文件不是电子表格或自评报告，未核查：{}{more}",
        others.len(),
        names.join("、")
    ))
}

/// Where `fix -o OUT` writes: an existing folder (or a path ending in "/") holds
/// "原名_核查.xlsx"; a name without the .xlsx extension gets it (the output is always .xlsx;
/// "表.xls" would misname it), said on stderr; the folder it goes into is created.
pub(super) fn output_file(out: &Path, input: &Path) -> Result<PathBuf, String> {
    // A report's reviewed copy is a Word document; a workbook's correction an .xlsx.
    let (ext, what) = if crate::files::is_report_name(input) {
        ("docx", "报告的核查版本总是 .docx")
    } else {
        ("xlsx", "更正后的工作簿总是 .xlsx")
    };
    let as_text = out.to_string_lossy();
    let file = if out.is_dir() || as_text.ends_with('/') || as_text.ends_with('\\') {
        out.join(corrected_name(input))
    } else if out.extension().is_some_and(|x| x.eq_ignore_ascii_case(ext))
        || std::fs::metadata(out).is_ok_and(|m| !m.is_file())
    {
        // (A device or pipe stays as named, to be refused when writing.)
        out.to_path_buf()
    } else {
        let file = out.with_extension(ext);
        eprintln!("zpcheck: {what}，输出改为 {}", file.display());
        file
    };
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return Err(format!(
            "无法创建输出文件夹 {}：{}",
            dir.display(),
            crate::error::io_reason(&e)
        ));
    }
    Ok(file)
}

/// The names outputs are given, defined with the other file-system helpers.
pub use crate::files::{corrected_name, corrected_name_for};

pub(super) fn output_for(
    input: &Path,
    target: &Target,
    used: &mut HashSet<PathBuf>,
    plain: bool,
    shared_stem: bool,
) -> Option<PathBuf> {
    let name = crate::files::corrected_name_as(input, plain, shared_stem);
    let base = match target {
        Target::None => return None,
        // An output that is the input itself is refused per file, with its own message.
        Target::File(p) if write::same_file(input, p) && !plain => return Some(p.clone()),
        // The plain copy of `-o 名称.xlsx` goes beside it: 名称_更正.xlsx.
        Target::File(p) if plain => {
            let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
            p.with_file_name(format!("{}_更正.xlsx", stem.unwrap_or_default()))
        }
        Target::File(p) => p.clone(),
        Target::Dir(d) => d.join(&name),
        Target::Beside => input.parent().unwrap_or(Path::new("")).join(&name),
    };
    Some(free_output(&base, used, "更正结果"))
}

/// The inputs whose outputs would share a name with another input's in the same folder (one
/// stem, several extensions: seed.xls, seed.xlsm, seed.xlsx): they are named with their
/// extension ("seed.xls_核查.xlsx"), so that each output says which input it comes from.
pub(super) fn shared_stems(inputs: &[PathBuf], target: &Target) -> HashSet<PathBuf> {
    let folder = |p: &Path| match target {
        Target::Dir(d) => d.clone(),
        _ => p.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let mut count: std::collections::HashMap<PathBuf, usize> = Default::default();
    for p in inputs {
        *count
            .entry(folder(p).join(corrected_name_for(p, false)))
            .or_default() += 1;
    }
    inputs
        .iter()
        .filter(|p| count.get(&folder(p).join(corrected_name_for(p, false))) > Some(&1))
        .cloned()
        .collect()
}

/// `base`, or the first of "名称(2).xlsx", "名称(3).xlsx"… that is neither taken in this run
/// nor an existing file zpcheck may not replace: two inputs with the same name (a.xls and
/// a.xlsx, or in two folders) get distinct outputs, and a file that is not a zpcheck output
/// still as zpcheck wrote it (a person's own, or one an officer edited and saved) is never
/// replaced. Says so on stderr when it moves away from an existing file; `what` names the
/// output ("更正结果", "汇总表").
pub(super) fn free_output(base: &Path, used: &mut HashSet<PathBuf>, what: &str) -> PathBuf {
    let mut candidate = base.to_path_buf();
    let mut n = 2;
    let stem = base
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = base
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "xlsx".into());
    // A device or pipe named as the output is left to the writer, which refuses it.
    let not_ours = |p: &Path| match std::fs::metadata(p) {
        Ok(m) if m.is_file() || m.is_dir() => !write::written_by_zpcheck(p),
        Ok(_) => false,
        // A link to nothing is not replaced either.
        Err(_) => std::fs::symlink_metadata(p).is_ok(),
    };
    while used.contains(&candidate) || not_ours(&candidate) {
        candidate = base.with_file_name(format!("{stem}({n}).{ext}"));
        n += 1;
    }
    if candidate != base && !used.contains(base) {
        eprintln!(
            "zpcheck: {} 已存在，且不是 zpcheck 写出后未经改动的文件（可能是自己的文件，或有人改过后保存），不会替换；{what}写到 {}",
            base.display(),
            candidate.display()
        );
    }
    used.insert(candidate.clone());
    candidate
}
