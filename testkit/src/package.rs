//! Editing a written .xlsx package: rewriting parts, adding parts, reading one back.

use std::path::Path;

/// Copies the package at `input` to `output`, each part passed through `edit` (None drops
/// it), then `add`ed parts: for making inputs that no writer at hand makes.
pub fn rewrite_package(
    input: &Path,
    output: &Path,
    edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    add: &[(&str, &[u8])],
) {
    use std::io::{Read, Write};
    let mut z = zip::ZipArchive::new(std::fs::File::open(input).expect("input")).expect("zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(output).expect("output"));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let name = f.name().expect("name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if let Some(data) = edit(&name, data) {
            w.start_file(name, opts).expect("start");
            w.write_all(&data).expect("write");
        }
    }
    for (name, data) in add {
        w.start_file(*name, opts).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish");
}

/// Copies the package at `input` to `output` with one text part rewritten by `edit`.
pub fn rewrite_part(input: &Path, output: &Path, part: &str, edit: impl Fn(String) -> String) {
    rewrite_package(
        input,
        output,
        |name, data| {
            if name != part {
                return Some(data);
            }
            Some(edit(String::from_utf8(data).expect("text part")).into_bytes())
        },
        &[],
    );
}

/// The text of a part of a package.
pub fn part_of(path: &Path, name: &str) -> Option<String> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()?;
    let mut f = z.by_name(name).ok()?;
    let mut text = String::new();
    f.read_to_string(&mut text).ok()?;
    Some(text)
}

/// Every file under `dir` as (path relative to `root` with "/" separators, bytes).
pub fn collect_files(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_files(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("under root");
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, std::fs::read(&path).expect("readable")));
        }
    }
}
