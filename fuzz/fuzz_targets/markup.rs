//! Fuzz target for the two text formats government systems export (issue 25): an HTML table
//! saved as .xls and SpreadsheetML 2003. The input edits one of the real exports in `samples/`
//! — overwrite, insert or cut at a place — so that the tokenizer, the table placement (spans,
//! indexes), the charset and the number reading meet damaged and odd markup that still starts
//! as the format; the result goes down the whole path ([`common::whole_path`]).
//!
//! Input: byte 0 picks the export and the edit, bytes 1–2 where in it; the rest is what is
//! written.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

/// The exports edited.
const SEEDS: [&[u8]; 2] = [
    include_bytes!("../../samples/html_export_gbk.xls"),
    include_bytes!("../../samples/spreadsheetml_export.xml"),
];

fuzz_target!(|data: &[u8]| {
    let [pick, a, b, rest @ ..] = data else {
        return;
    };
    let seed = SEEDS[usize::from(pick & 1)];
    let pos = seed.len() * usize::from(u16::from_le_bytes([*a, *b])) / 65_536;
    let mut input = seed.to_vec();
    match (pick >> 1) % 3 {
        0 => {
            let end = (pos + rest.len()).min(input.len());
            input.splice(pos..end, rest.iter().copied());
        }
        1 => {
            input.splice(pos..pos, rest.iter().copied());
        }
        _ => {
            let end = (pos + rest.len()).min(input.len());
            input.drain(pos..end);
        }
    }
    common::whole_path(&input);
});
