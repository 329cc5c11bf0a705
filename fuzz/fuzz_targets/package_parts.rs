//! Fuzz target for what is inside valid packages (issue 24): the input does not replace the
//! file's bytes but edits one part of a real workbook — an XML part of an .xlsx (sheet, shared
//! strings, styles, workbook, relationships, content types) or one BIFF record of an .xls —
//! and the result goes down the whole path ([`common::whole_path`]). A byte-level mutator
//! rarely gets past the zip checksums or the record structure; this one always does, so the
//! readers, the fallback between them and the patcher meet damaged and odd-but-valid XML (marks,
//! UTF-16, character references, CDATA) and records.
//!
//! Input: byte 0 picks the workbook, byte 1 the part or record, byte 2 the edit, bytes 3–4
//! where in it; the rest is what is written.
#![no_main]

mod common;

use std::io::{Cursor, Read, Write};

use libfuzzer_sys::fuzz_target;

/// The workbooks edited: a spreadsheet program's .xlsx, openpyxl's, and the .xls forms.
const SEEDS: [&[u8]; 5] = [
    include_bytes!("../../samples/national_planted_errors.xlsx"),
    include_bytes!("../../samples/seed_kelamayi_2023.xlsx"),
    include_bytes!("../../samples/openpyxl_wrong_sum.xlsx"),
    include_bytes!("../../samples/national_clean.xls"),
    include_bytes!("../../samples/section_rows.xls"),
];

/// `part` edited as `how` says, at `at` (a fraction of its length, in 65536ths), with `bytes`.
fn edit(part: &[u8], how: u8, at: u16, bytes: &[u8]) -> Vec<u8> {
    let pos = part.len() * usize::from(at) / 65_536;
    let mut out = part.to_vec();
    match how % 8 {
        // Overwrite, insert, cut.
        0 => {
            let end = (pos + bytes.len()).min(out.len());
            out.splice(pos..end, bytes.iter().copied());
        }
        1 => {
            out.splice(pos..pos, bytes.iter().copied());
        }
        2 => {
            let end = (pos + usize::from(bytes.first().copied().unwrap_or(1))).min(out.len());
            out.drain(pos..end);
        }
        // Odd but valid encodings of the same XML: a mark, UTF-16, the character at `pos`
        // as a reference, a CDATA section around the text at `pos`.
        3 => out.splice(0..0, [0xEF, 0xBB, 0xBF]).for_each(drop),
        4 => {
            let text = String::from_utf8_lossy(part).replacen("UTF-8", "UTF-16", 1);
            out = [0xFF, 0xFE].to_vec();
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        }
        5 => {
            if let Some(c) = std::str::from_utf8(&part[pos..]).ok().and_then(|s| s.chars().next()) {
                let r = format!("&#{};", c as u32);
                out.splice(pos..pos + c.len_utf8(), r.bytes());
            }
        }
        6 => {
            if let Some(open) = part[pos..].iter().position(|b| *b == b'>') {
                let from = pos + open + 1;
                let to = part[from..].iter().position(|b| *b == b'<').map_or(part.len(), |e| from + e);
                let text = String::from_utf8_lossy(&part[from..to])
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&");
                out.splice(from..to, format!("<![CDATA[{text}]]>").into_bytes());
            }
        }
        // Replace the part whole.
        _ => out = bytes.to_vec(),
    }
    out
}

fn edit_xlsx(seed: &[u8], which: u8, how: u8, at: u16, bytes: &[u8]) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(seed)).ok()?;
    let xml: Vec<usize> = (0..zip.len())
        .filter(|&i| {
            zip.by_index_raw(i)
                .ok()
                .and_then(|f| f.name().ok().map(|n| n.ends_with(".xml") || n.ends_with(".rels")))
                .unwrap_or(false)
        })
        .collect();
    let target = *xml.get(usize::from(which) % xml.len().max(1))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).ok()?;
        let name = f.name().ok()?.to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).ok()?;
        if i == target {
            data = edit(&data, how, at, bytes);
        }
        out.start_file(name, opts).ok()?;
        out.write_all(&data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

fn edit_xls(seed: &[u8], which: u8, at: u16, bytes: &[u8]) -> Option<Vec<u8>> {
    let mut comp = cfb::CompoundFile::open(Cursor::new(seed)).ok()?;
    let mut stream = Vec::new();
    comp.open_stream("/Workbook").ok()?.read_to_end(&mut stream).ok()?;
    // The records' data ranges, in order.
    let mut records = Vec::new();
    let mut pos = 0;
    while pos + 4 <= stream.len() {
        let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
        records.push(pos + 4..(pos + 4 + len).min(stream.len()));
        pos += 4 + len;
    }
    let range = records.get(usize::from(which) * records.len() / 256)?.clone();
    // Overwrite within the record (its length kept), or, with `at`'s top bit, its length too.
    if at & 0x8000 != 0 {
        let len = (at & 0x7FFF).min(8224);
        stream[range.start - 2..range.start].copy_from_slice(&len.to_le_bytes());
    }
    let from = range.start + range.len() * usize::from(at & 0x7FFF) / 32_768;
    for (k, b) in bytes.iter().enumerate() {
        match stream.get_mut(from + k) {
            Some(slot) if from + k < range.end => *slot = *b,
            _ => break,
        }
    }
    let mut out = cfb::CompoundFile::create(Cursor::new(Vec::new())).ok()?;
    out.create_stream("/Workbook").ok()?.write_all(&stream).ok()?;
    out.flush().ok()?;
    Some(out.into_inner().into_inner())
}

fuzz_target!(|data: &[u8]| {
    let [pick, which, how, a, b, rest @ ..] = data else {
        return;
    };
    let seed = SEEDS[usize::from(*pick) % SEEDS.len()];
    let at = u16::from_le_bytes([*a, *b]);
    let edited = if seed.starts_with(b"PK") {
        edit_xlsx(seed, *which, *how, at, rest)
    } else {
        edit_xls(seed, *which, at, rest)
    };
    if let Some(edited) = edited {
        // `ZPCHECK_FUZZ_WRITE=file.xlsx` (running one input): the edited workbook is written
        // there, to become a test fixture.
        if let Some(path) = std::env::var_os("ZPCHECK_FUZZ_WRITE") {
            let _ = std::fs::write(path, &edited);
        }
        common::whole_path(&edited);
    }
});
