//! Fuzz target for the Word reader and the reviewed copy (issue 26): the input edits the seed
//! report's `word/document.xml` — overwrite, insert or cut at a place — and the package is
//! zipped again, so that the walk (paragraphs, runs, revisions, tables on their grid with spans
//! and vertical merges, text boxes), the figures read from the text and the annotator meet
//! damaged and odd WordprocessingML that is still a Word package. Beyond the whole path
//! ([`common::whole_path`]): when the report reads and its reviewed copy is written, the copy
//! reads back with every paragraph of the original unchanged, in order.
//!
//! Input: byte 0 picks the edit, bytes 1–2 where in the part; the rest is what is written.
#![no_main]

mod common;

use std::io::{Read, Write};

use libfuzzer_sys::fuzz_target;

const SEED: &[u8] = include_bytes!("../../samples/seed_kelamayi_2023_report.docx");

/// The seed's parts, by name, in order.
fn parts() -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(SEED)).expect("the seed is a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            let name = f.name().map(|n| n.into_owned()).expect("name");
            (name, data)
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let [pick, a, b, rest @ ..] = data else {
        return;
    };
    let mut parts = parts();
    let Some((_, doc)) = parts.iter_mut().find(|(n, _)| n == "word/document.xml") else {
        return;
    };
    let pos = doc.len() * usize::from(u16::from_le_bytes([*a, *b])) / 65_536;
    match pick % 3 {
        0 => {
            let end = (pos + rest.len()).min(doc.len());
            doc.splice(pos..end, rest.iter().copied());
        }
        1 => {
            doc.splice(pos..pos, rest.iter().copied());
        }
        _ => {
            let end = (pos + rest.len()).min(doc.len());
            doc.drain(pos..end);
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in &parts {
            w.start_file(name.as_str(), opts).expect("entry");
            w.write_all(data).expect("write");
        }
        w.finish().expect("finish");
    }
    let input = out.into_inner();
    common::whole_path(&input);
    // The reviewed copy keeps the author's text.
    let read = zpcheck::read::read_bytes_with(
        input,
        zpcheck::read::ReadOptions::for_purpose(zpcheck::read::Purpose::Fix),
    );
    if let Ok(loaded) = read
        && let Some(original) = loaded.workbook.document.clone()
        && let Ok(checked) = zpcheck::check_workbook(loaded.workbook, &zpcheck::Profile::default())
        && let Ok((bytes, _)) =
            zpcheck::write::corrected_workbook_by(&checked, &loaded.fidelity.unwrap_or_default())
    {
        let back = zpcheck::read::read_bytes(bytes).expect("the reviewed copy reads back");
        let doc = back.document.expect("the reviewed copy is a Word document");
        let texts = |d: &zpcheck::grid::Document| -> Vec<String> {
            d.paragraphs.iter().map(|p| p.text.clone()).collect()
        };
        let (was, now) = (texts(&original), texts(&doc));
        assert!(now.len() >= was.len());
        assert_eq!(&now[..was.len()], &was[..], "the reviewed copy changed the text");
    }
});
