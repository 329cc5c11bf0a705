//! A minimal BIFF8 (.xls) writer for text in GBK, with or without a code page record, as old
//! provincial tools wrote them.

use std::path::Path;

use crate::spec::{SheetSpec, V, a1_pos};

/// Writes a sheet as a minimal BIFF8 .xls whose text is stored as 8-bit GBK bytes, the way old
/// government systems' exporters write it, with the given CODEPAGE record (`None`: no record).
/// Merged ranges are written too; formulas are not.
pub fn write_gbk_xls(path: &Path, spec: &SheetSpec, codepage: Option<u16>) {
    use std::io::Write;
    fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }
    let gbk = |t: &str| encoding_rs::GBK.encode(t).0.into_owned();
    let bof = |dt: u16| {
        let mut d = Vec::new();
        d.extend_from_slice(&0x0600u16.to_le_bytes());
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&0x0DBBu16.to_le_bytes());
        d.extend_from_slice(&0x07CCu16.to_le_bytes());
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&6u32.to_le_bytes());
        d
    };
    let mut globals = Vec::new();
    rec(&mut globals, 0x0809, &bof(0x0005));
    if let Some(cp) = codepage {
        rec(&mut globals, 0x0042, &cp.to_le_bytes());
    }
    let name = gbk(&spec.name);
    // BoundSheet8: record header, offset, state, type, cch, flags, name; then EOF's header.
    let boundsheet_len = 4 + 4 + 1 + 1 + 1 + 1 + name.len();
    let sheet_offset = (globals.len() + boundsheet_len + 4) as u32;
    let mut bs = Vec::new();
    bs.extend_from_slice(&sheet_offset.to_le_bytes());
    bs.extend_from_slice(&[0, 0, name.len() as u8, 0]);
    bs.extend_from_slice(&name);
    rec(&mut globals, 0x0085, &bs);
    rec(&mut globals, 0x000A, &[]);
    assert_eq!(globals.len() as u32, sheet_offset);

    let mut sheet = Vec::new();
    rec(&mut sheet, 0x0809, &bof(0x0010));
    let cols = spec.rows.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let mut dim = Vec::new();
    dim.extend_from_slice(&0u32.to_le_bytes());
    dim.extend_from_slice(&(spec.rows.len() as u32).to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    dim.extend_from_slice(&cols.to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    rec(&mut sheet, 0x0200, &dim);
    for (r, row) in spec.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let mut d = Vec::new();
            d.extend_from_slice(&(r as u16).to_le_bytes());
            d.extend_from_slice(&(c as u16).to_le_bytes());
            d.extend_from_slice(&0u16.to_le_bytes());
            match v {
                V::S(t) => {
                    let bytes = gbk(t);
                    d.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
                    d.push(0);
                    d.extend_from_slice(&bytes);
                    rec(&mut sheet, 0x0204, &d);
                }
                V::N(x) | V::P(x) | V::NF(x, _) | V::F(_, x) => {
                    d.extend_from_slice(&x.to_le_bytes());
                    rec(&mut sheet, 0x0203, &d);
                }
                V::E | V::FNoCache(_) => {}
            }
        }
    }
    if !spec.merges.is_empty() {
        let mut d = Vec::new();
        d.extend_from_slice(&(spec.merges.len() as u16).to_le_bytes());
        for m in &spec.merges {
            let (a, b) = m.split_once(':').expect("range");
            let ((r1, c1), (r2, c2)) = (a1_pos(a), a1_pos(b));
            for x in [r1, r2, c1, c2] {
                d.extend_from_slice(&(x as u16).to_le_bytes());
            }
        }
        rec(&mut sheet, 0x00E5, &d);
    }
    rec(&mut sheet, 0x000A, &[]);

    let mut comp = cfb::create(path).expect("create cfb");
    let mut stream = comp.create_stream("/Workbook").expect("stream");
    stream.write_all(&globals).expect("globals");
    stream.write_all(&sheet).expect("sheet");
}
