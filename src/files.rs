//! The file system, apart from reading a workbook: writing an output atomically (and removing
//! the temporary files of an interrupted run), telling whether a path names a file zpcheck
//! wrote and may replace, whether two paths are one file, and the names outputs are given.
//!
//! Kept out of `write` (which makes a corrected workbook's bytes, and runs in the browser as
//! well) so that every output — corrected workbook, plain copy, summary — goes through the same
//! few functions, and so that the rule "no file zpcheck did not write is ever replaced" lives
//! in one place.

use std::io::Write as _;
use std::path::Path;

use crate::error::{InputError, io_reason};
use crate::ooxml::seal;

/// The corrected workbook's name for an input: "原名_核查.xlsx".
pub fn corrected_name(input: &Path) -> String {
    corrected_name_for(input, false)
}

/// The corrected workbook's name: "原名_核查.xlsx", or "原名_更正.xlsx" for a plain copy.
pub fn corrected_name_for(input: &Path, plain: bool) -> String {
    corrected_name_as(input, plain, false)
}

/// [`corrected_name_for`], naming the input's extension too when `with_ext` ("seed.xls_核查.xlsx"):
/// for inputs of one run that share a stem in one folder (seed.xls, seed.xlsm, seed.xlsx), so
/// that each output says which input it is.
pub fn corrected_name_as(input: &Path, plain: bool, with_ext: bool) -> String {
    let stem = if with_ext {
        input.file_name()
    } else {
        input.file_stem()
    }
    .map(|s| s.to_string_lossy().into_owned())
    .unwrap_or_else(|| "zpcheck".into());
    let suffix = if plain { "更正" } else { "核查" };
    // A report's reviewed copy is the same Word document with comments.
    let ext = if is_report_name(input) {
        "docx"
    } else {
        "xlsx"
    };
    format!("{stem}_{suffix}.{ext}")
}

/// Whether a path names a Word report by its extension (.docx, .docm): its reviewed copy is a
/// .docx.
pub fn is_report_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("docx") || e.eq_ignore_ascii_case("docm"))
}

/// The temporary files of outputs being written, so that an interrupted run can remove them
/// ([`remove_unfinished`]). A file is created and entered here under the same lock, so an
/// interruption sees every temporary file that exists.
static UNFINISHED: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Removes the temporary files of outputs still being written and keeps the lock, so that no
/// new one is started: called when the run is interrupted, just before the process exits.
/// Returns how many were removed.
pub fn remove_unfinished() -> usize {
    let guard = UNFINISHED.lock().unwrap_or_else(|e| e.into_inner());
    let removed = guard
        .iter()
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count();
    // Held until the process exits: a worker about to start a file waits here.
    std::mem::forget(guard);
    removed
}

/// Registers a temporary file for [`remove_unfinished`] for as long as it lives.
struct Unfinished(std::path::PathBuf);

impl Drop for Unfinished {
    fn drop(&mut self) {
        let mut list = UNFINISHED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = list.iter().position(|p| *p == self.0) {
            list.swap_remove(i);
        }
    }
}

/// Writes bytes to `out` through a temporary file in the same folder, then renames it: `out`
/// is either the complete new file or untouched, and nothing is left behind on failure.
/// On an interruption (see [`remove_unfinished`]) it is not left behind either.
pub fn write_atomic(bytes: &[u8], out: &Path) -> Result<(), InputError> {
    let werr = |reason: String| InputError::Write {
        path: out.to_path_buf(),
        reason,
    };
    // The rename below would replace whatever the path names: a device node, a pipe or a
    // socket given as the output is refused, never replaced (links are followed: a link to a
    // regular file is an ordinary output).
    if let Ok(meta) = std::fs::metadata(out)
        && !meta.is_file()
    {
        return Err(werr(if meta.is_dir() {
            "这是一个文件夹".into()
        } else {
            "不是普通文件（设备、管道或套接字），不会写入或替换".into()
        }));
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".zpcheck-").suffix(".tmp");
    // A temporary file is made for the owner alone; the output is an ordinary file, as
    // readable as any other file the user saves there (the umask decides).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let (mut tmp, _unfinished) = {
        let mut list = UNFINISHED.lock().unwrap_or_else(|e| e.into_inner());
        let tmp = builder.tempfile_in(&dir).map_err(|e| werr(io_reason(&e)))?;
        list.push(tmp.path().to_path_buf());
        let entry = Unfinished(tmp.path().to_path_buf());
        (tmp, entry)
    };
    tmp.write_all(bytes).map_err(|e| werr(io_reason(&e)))?;
    // No fsync: the rename makes the output appear whole or not at all, and an output lost
    // to a power cut is made again from its input. Syncing each of a batch's hundreds of
    // files would cost more than checking them.
    // A failed rename drops the temporary file: nothing is left behind.
    tmp.persist(out).map_err(|e| werr(io_reason(&e.error)))?;
    Ok(())
}

/// Whether an existing file is a workbook zpcheck wrote (a corrected workbook, a plain copy or
/// a summary) that nobody has changed since: its seal's digest is still the digest of what it
/// holds (see [`seal`]). Anything else — the user's own file, a zpcheck output an officer
/// edited and saved, a file that cannot be read, something that is not a regular file — is
/// not, and is never replaced.
pub fn written_by_zpcheck(path: &Path) -> bool {
    let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
    regular
        && std::fs::metadata(path).is_ok_and(|m| m.len() <= crate::limits::MAX_FILE_BYTES)
        && std::fs::read(path).is_ok_and(|bytes| seal::unchanged(&bytes))
}

/// Whether two paths would name the same file once written: the same existing file, or the
/// same name in the same folder (folders compared by their real paths).
pub fn same_target(a: &Path, b: &Path) -> bool {
    if same_file(a, b) {
        return true;
    }
    let real = |p: &Path| {
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        dir.canonicalize()
            .ok()
            .zip(p.file_name().map(|n| n.to_os_string()))
    };
    matches!((real(a), real(b)), (Some(x), Some(y)) if x == y)
}

/// Whether two paths name the same file (the second may not exist yet).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => same_existing_file(&x, &y, a, b),
        _ => a == b,
    }
}

/// Two existing files are one when they are the same inode on the same device (a link, a
/// path through another folder or a symbolic link all count).
#[cfg(unix)]
fn same_existing_file(x: &std::fs::Metadata, y: &std::fs::Metadata, _: &Path, _: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    x.dev() == y.dev() && x.ino() == y.ino()
}

#[cfg(not(unix))]
fn same_existing_file(_: &std::fs::Metadata, _: &std::fs::Metadata, a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
