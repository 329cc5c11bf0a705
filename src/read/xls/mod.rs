//! Reading BIFF .xls files: calamine's reader, the recovery of GBK text that was decoded with a
//! missing or wrong code page, and a pre-scan of the cell records that refuses sheets whose
//! bounding box calamine would allocate densely beyond reason.

pub(super) mod guard;
pub mod looks;

use std::io::Cursor;

use calamine::{Reader, Xls};

use super::format::{self, Marks, Raw, WriteBack};
use super::{CellValue, FileKind, Purpose, ReadBy, ReadOptions, Sheet, build_sheet, xls_error};
use crate::error::{InputError, panic_message};
use crate::fallback::Why;
/// The limits applied here (defined, with every other, in [`crate::limits`]).
pub use crate::limits::{MAX_XLS_CELLS, MAX_XLS_SHEET_CELLS, MAX_XLS_STRINGS};

pub(super) fn read_xls(bytes: &[u8], codepage: Option<u16>) -> Result<Vec<Sheet>, InputError> {
    // The guards below refuse every malformed record the fuzzer has found calamine's .xls
    // parser to panic on; should another one get through, it is still a damaged file, not an
    // internal error.
    match std::panic::catch_unwind(|| read_xls_unguarded(bytes, codepage)) {
        Ok(result) => result,
        Err(panic) => Err(InputError::Corrupt(format!(
            "工作簿数据流无法解析（{}）",
            panic_message(panic.as_ref())
        ))),
    }
}

fn read_xls_unguarded(bytes: &[u8], codepage: Option<u16>) -> Result<Vec<Sheet>, InputError> {
    let mut options = calamine::XlsOptions::default();
    options.force_codepage = codepage;
    let mut wb = Xls::new_with_options(Cursor::new(bytes), options).map_err(xls_error)?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let values = wb.worksheet_range(&name).map_err(xls_error)?;
        let formulas = wb.worksheet_formula(&name).unwrap_or_default();
        sheets.push(build_sheet(name, &values, &formulas, &merges));
    }
    Ok(sheets)
}

/// How well text reads as Chinese: ideographs, less replacement characters.
pub(super) fn score(sheets: &[Sheet]) -> i64 {
    let (_, cjk) = script_counts(sheets);
    let bad = sheets
        .iter()
        .flat_map(|s| s.cells.values())
        .filter_map(|c| match &c.value {
            CellValue::Text(t) => Some(t.matches('\u{FFFD}').count()),
            _ => None,
        })
        .sum::<usize>();
    cjk as i64 - 10 * bad as i64
}

/// Recovers text whose GBK bytes were decoded one byte per character (as Latin-1, or as
/// windows-1252 when the file declares that code page), decoding them again as GBK.
pub fn repair_gbk_text(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let bytes: Vec<u8> = if text.chars().all(|c| (c as u32) < 0x100) {
        text.chars().map(|c| c as u32 as u8).collect()
    } else {
        let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(text);
        if lossy {
            return None;
        }
        bytes.into_owned()
    };
    // With a single-byte code page declared, calamine decodes the string widened to UTF-16LE,
    // so every byte is followed by a zero byte: drop them.
    let bytes = if bytes.len().is_multiple_of(2) && bytes.iter().skip(1).step_by(2).all(|b| *b == 0)
    {
        bytes.into_iter().step_by(2).collect()
    } else {
        bytes
    };
    encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .map(|s| s.into_owned())
}

pub(super) fn repair_gbk(sheets: &[Sheet]) -> Vec<Sheet> {
    sheets
        .iter()
        .map(|s| {
            let mut s = s.clone();
            if let Some(name) = repair_gbk_text(&s.name) {
                s.name = name;
            }
            for cell in s.cells.values_mut() {
                if let CellValue::Text(t) = &cell.value
                    && let Some(fixed) = repair_gbk_text(t)
                {
                    cell.value = CellValue::Text(fixed);
                }
            }
            s
        })
        .collect()
}

/// Counts (Latin-1 supplement letters, CJK ideographs) in the sheets' names and text.
pub(super) fn script_counts(sheets: &[Sheet]) -> (usize, usize) {
    let mut latin = 0;
    let mut cjk = 0;
    let texts = sheets.iter().flat_map(|s| {
        std::iter::once(s.name.as_str()).chain(s.cells.values().filter_map(|c| match &c.value {
            CellValue::Text(t) => Some(t.as_str()),
            _ => None,
        }))
    });
    for t in texts {
        for ch in t.chars() {
            match ch {
                '\u{00C0}'..='\u{00FF}' | '\u{00A1}'..='\u{00BF}' => latin += 1,
                '\u{4E00}'..='\u{9FFF}' => cjk += 1,
                _ => {}
            }
        }
    }
    (latin, cjk)
}

/// Reads an .xls (or WPS .et): its compound document guarded, every sheet read with calamine
/// (text in a missing or wrong code page recovered as GBK) and, when correcting, the looks
/// from the BIFF records and the document properties. An .xls is written back by a rebuild.
pub(super) fn read(bytes: &[u8], opts: ReadOptions) -> Result<Raw, InputError> {
    let (clean, stream) = guard::inspect_cfb(bytes)?;
    let correcting = opts.purpose != Purpose::Check;
    let properties = correcting
        .then(|| {
            format::properties(|| {
                Xls::new(Cursor::new(&clean[..]))
                    .ok()?
                    .workbook_properties()
                    .ok()
            })
        })
        .flatten();
    let sheets = read_xls_any_codepage(&clean)?;
    let looks = if correcting {
        looks::looks(&stream, &sheets)
    } else {
        Vec::new()
    };
    // calamine gives no styles for .xls: zpcheck reads the BIFF records' itself.
    let not_kept = vec![format::rebuilt_without(
        &looks,
        "图片、图表、批注、数据验证和条件格式（如有）",
    )];
    Ok(Raw {
        kind: FileKind::Xls,
        sheets,
        looks,
        properties,
        not_kept,
        kept: None,
        read_by: ReadBy::calamine(),
        marks: Marks::default(),
        placeholder_zero: false,
        write_back: WriteBack::Rebuild(Why::XlsInput),
        document: None,
    })
}

/// Reads an .xls; text decoded with a missing or wrong code page is recovered as GBK.
pub(super) fn read_xls_any_codepage(bytes: &[u8]) -> Result<Vec<Sheet>, InputError> {
    let sheets = read_xls(bytes, None)?;
    // 8-bit text decoded with a missing or wrong code page shows up as Latin-1 letters ("²¿ÃÅ"
    // for 部门). Retry as GBK two ways and keep what reads best as Chinese: BIFF5 strings are raw
    // code-page bytes, so calamine can re-read them as 936; BIFF8 "compressed" strings are
    // widened to UTF-16 whatever the code page, so their bytes are recovered from the
    // mis-decoded text and decoded as GBK here.
    let (latin, cjk) = script_counts(&sheets);
    if latin <= cjk {
        return Ok(sheets);
    }
    let repaired = repair_gbk(&sheets);
    let forced = read_xls(bytes, Some(936)).ok();
    Ok([Some(repaired), forced]
        .into_iter()
        .flatten()
        .filter(|c| score(c) > score(&sheets))
        .max_by_key(|c| score(c))
        .unwrap_or(sheets))
}

/// Scans a BIFF workbook stream's cell records and refuses a sheet whose cells span more than
/// [`MAX_XLS_SHEET_CELLS`], before calamine allocates its grid.
pub(super) fn check_biff_extent(stream: &[u8]) -> Result<(), InputError> {
    let mut pos = 0usize;
    let mut sheet = 0usize;
    // Where each record starts, and the substreams the BOUNDSHEET records name: calamine
    // reads each sheet from its offset, so every offset must be a BOF this scan checked (not
    // a place inside another record's payload), and no two may name the same substream
    // (calamine would build its grid once for each).
    let mut bofs = std::collections::HashSet::new();
    let mut sheet_offsets = Vec::new();
    // The cells' grids together, the text calamine copies into cells, and the cells with a
    // value (past [`super::guard::MAX_CELLS`] zpcheck refuses the workbook anyway: refused
    // here, before calamine has copied them all).
    let (mut grids, mut text, mut valued) = (0u64, 0u64, 0u64);
    let mut sst_lengths: Vec<u32> = Vec::new();
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    let area = |b: Option<(u32, u32, u32, u32)>| {
        b.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    };
    // The BIFF version calamine parses formulas with: that of the workbook globals' BOF.
    let mut pre_biff8 = false;
    let mut in_globals = true;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
        let data = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        check_record(typ, data, stream.len(), sheet)?;
        match typ {
            0x0809 if in_globals => pre_biff8 = is_pre_biff8(data),
            0x000A => in_globals = false,
            0x0809 => {
                bofs.insert(pos - 4 - len);
            }
            0x0085 if in_globals => sheet_offsets
                .push(u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize),
            _ => {}
        }
        // SST: calamine reads each string's optional fields and the byte that starts each
        // CONTINUE record without checking that they are there (found by fuzzing).
        if typ == 0x00FC
            && !sst_walk(
                data,
                &continues(&stream[pos.min(stream.len())..]),
                &mut sst_lengths,
            )
        {
            return Err(InputError::Corrupt("共享字符串表（SST）无效".to_string()));
        }
        // Text each cell gets its own copy of (a LABELSST cell copies its shared string):
        // at most three bytes a character once decoded.
        let copied = match typ {
            0x00FD if data.len() >= 10 => {
                let i = u32::from_le_bytes([data[6], data[7], data[8], data[9]]) as usize;
                u64::from(sst_lengths.get(i).copied().unwrap_or(0)) * 3
            }
            0x0204 => data.len() as u64 * 3,
            _ => 0,
        };
        text += copied;
        if text > super::guard::MAX_DENSE_TEXT_BYTES as u64 {
            return Err(super::guard::too_much_text(
                super::guard::MAX_DENSE_TEXT_BYTES,
            ));
        }
        // Formula: calamine decodes the parsed formula without checking that each token's
        // operands are there (found by fuzzing).
        if typ == 0x0006 {
            let cce = usize::from(u16::from_le_bytes([data[20], data[21]]));
            if !rgce_in_bounds(&data[22..22 + cce], pre_biff8) {
                return Err(InputError::Corrupt(format!(
                    "{}的公式记录（FORMULA）无效",
                    place(sheet)
                )));
            }
        }
        match typ {
            // Dimensions: calamine reserves rows × columns cells from it before reading any cell,
            // and an end before the start overflows its arithmetic (found by fuzzing).
            0x0200 => check_dimensions(data, sheet)?,
            // MergeCells: calamine trusts its count and indexes past the record (found by
            // fuzzing); its offsets are 16-bit, so at most 8191 ranges fit.
            0x00E5 => {
                let count = data
                    .get(..2)
                    .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])));
                if count.is_none_or(|n| n > 8191 || data.len() < 2 + n * 8) {
                    return Err(InputError::Corrupt(format!(
                        "{}的合并单元格记录（MERGECELLS）无效",
                        place(sheet)
                    )));
                }
            }
            // BOF starts a substream.
            0x0809 => {
                sheet += 1;
                grids += area(bounds);
                bounds = None;
            }
            // Cell records: Number, Label, LabelSst, RK, MulRk, Formula, Blank, MulBlank, BoolErr.
            0x0203 | 0x0204 | 0x00FD | 0x027E | 0x00BD | 0x0006 | 0x0201 | 0x00BE | 0x0205
                if data.len() >= 4 =>
            {
                let row = u32::from(u16::from_le_bytes([data[0], data[1]]));
                let col = u32::from(u16::from_le_bytes([data[2], data[3]]));
                let last_col = if matches!(typ, 0x00BD | 0x00BE) {
                    // MulRk / MulBlank: calamine computes last − first + 1 unchecked (found by
                    // fuzzing).
                    let last = (data.len() >= 6).then(|| {
                        u32::from(u16::from_le_bytes([
                            data[data.len() - 2],
                            data[data.len() - 1],
                        ]))
                    });
                    match last {
                        Some(last) if last >= col => last,
                        _ => {
                            return Err(InputError::Corrupt(format!(
                                "{}的多单元格记录（MULRK）无效",
                                place(sheet)
                            )));
                        }
                    }
                } else {
                    col
                };
                if !matches!(typ, 0x0201 | 0x00BE) {
                    valued += u64::from(last_col - col + 1);
                    if valued > super::guard::MAX_CELLS as u64 {
                        return Err(InputError::TooLarge(format!(
                            "单元格超过 {} 个",
                            super::guard::MAX_CELLS
                        )));
                    }
                }
                bounds = Some(match bounds {
                    None => (row, row, col, last_col),
                    Some((r0, r1, c0, c1)) => {
                        (r0.min(row), r1.max(row), c0.min(col), c1.max(last_col))
                    }
                });
                if area(bounds) > MAX_XLS_SHEET_CELLS {
                    return Err(InputError::TooLarge(format!(
                        "{}的单元格范围超过 {} 个单元格",
                        place(sheet),
                        MAX_XLS_SHEET_CELLS
                    )));
                }
                if grids + area(bounds) > MAX_XLS_CELLS {
                    return Err(InputError::TooLarge(format!(
                        "各工作表的单元格范围合计超过 {MAX_XLS_CELLS} 个单元格"
                    )));
                }
            }
            _ => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (n, offset) in sheet_offsets.iter().enumerate() {
        if !bofs.contains(offset) {
            return Err(InputError::Corrupt(format!(
                "第 {} 个工作表的位置（BOUNDSHEET）不在一个工作表的开头",
                n + 1
            )));
        }
        if !seen.insert(offset) {
            return Err(InputError::Corrupt(format!(
                "第 {} 个工作表与前面的工作表指向同一位置（BOUNDSHEET）",
                n + 1
            )));
        }
    }
    Ok(())
}

/// The CONTINUE records that calamine appends to the record before `rest`.
fn continues(mut rest: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while rest.len() > 4 && u16::from_le_bytes([rest[0], rest[1]]) == 0x003C {
        let len = usize::from(u16::from_le_bytes([rest[2], rest[3]]));
        if rest.len() < len + 4 {
            break;
        }
        out.push(&rest[4..len + 4]);
        rest = &rest[len + 4..];
    }
    out
}

/// Whether calamine's shared-string-table parser stays inside the SST record and its CONTINUE
/// records: walks the strings as `parse_sst` does. Where calamine stops with an error, so does
/// the walk, as safe.
#[cfg(test)]
fn sst_in_bounds<'a>(sst: &'a [u8], continues: &[&'a [u8]]) -> bool {
    sst_walk(sst, continues, &mut Vec::new())
}

/// [`sst_in_bounds`], also giving each string's length in characters (so that the text the
/// LABELSST cells will copy can be counted before calamine copies it). False too when the
/// table holds more than [`MAX_XLS_STRINGS`] strings.
fn sst_walk<'a>(sst: &'a [u8], continues: &[&'a [u8]], lengths: &mut Vec<u32>) -> bool {
    let Some(mut data) = sst.get(8..) else {
        return true;
    };
    let mut rest = continues.iter();
    let mut next = |data: &mut &'a [u8]| match rest.next() {
        Some(c) => {
            *data = c;
            true
        }
        None => false,
    };
    loop {
        if data.is_empty() && !next(&mut data) {
            return true;
        }
        if data.is_empty() {
            continue;
        }
        if data.len() < 3 {
            return true;
        }
        let cch = usize::from(u16::from_le_bytes([data[0], data[1]]));
        if lengths.len() >= MAX_XLS_STRINGS {
            return false;
        }
        lengths.push(cch as u32);
        let flags = data[2];
        data = &data[3..];
        let mut skips = [0usize; 2];
        if flags & 0x8 != 0 {
            let Some(b) = data.get(..2) else {
                return false;
            };
            skips[0] = 4 * usize::from(u16::from_le_bytes([b[0], b[1]]));
            data = &data[2..];
        }
        if flags & 0x4 != 0 {
            let Some(b) = data.get(..4) else {
                return false;
            };
            skips[1] = i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
            data = &data[4..];
        }
        let (mut len, mut high_byte) = (cch, flags & 0x1 != 0);
        while len > 0 {
            let chars = if high_byte {
                data.len() / 2
            } else {
                data.len()
            }
            .min(len);
            data = &data[if high_byte { 2 * chars } else { chars }..];
            len -= chars;
            if len > 0 {
                if !next(&mut data) {
                    return true;
                }
                let Some((&first, tail)) = data.split_first() else {
                    return false;
                };
                high_byte = first & 0x1 != 0;
                data = tail;
            }
        }
        for mut n in skips {
            while n > 0 {
                if data.is_empty() && !next(&mut data) {
                    return true;
                }
                let l = n.min(data.len());
                data = &data[l..];
                n -= l;
            }
        }
    }
}

/// Whether a BOF record starts a BIFF2–5 stream, as calamine's `parse_bof` decides.
fn is_pre_biff8(bof: &[u8]) -> bool {
    let version = u16::from_le_bytes([bof[0], bof[1]]);
    let dt = u16::from_le_bytes([bof[2], bof[3]]);
    matches!(version, 0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500)
        || (version == 0 && dt == 0x1000)
}

/// Whether calamine's formula decoder stays inside a parsed formula (rgce): walks the tokens
/// as it does, with each token's operand size. A token it rejects with an error (unknown
/// token, short string) ends the walk as safe: calamine stops there too.
fn rgce_in_bounds(mut rgce: &[u8], pre_biff8: bool) -> bool {
    let u16_at = |r: &[u8], i: usize| r.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    while let Some((&ptg, rest)) = rgce.split_first() {
        rgce = rest;
        let operands = match ptg {
            0x03..=0x16 => 0,
            // PtgExp: calamine checks its 4 bytes itself.
            0x01 => 4.min(rgce.len()),
            // PtgStr: calamine checks the string's length itself; the grbit byte (BIFF8) too.
            0x17 => {
                let Some(&cch) = rgce.first() else {
                    return true;
                };
                let cch = usize::from(cch);
                let len = if pre_biff8 {
                    1 + cch
                } else {
                    match rgce.get(1) {
                        Some(flags) => 2 + if flags & 1 != 0 { 2 * cch } else { cch },
                        None => return true,
                    }
                };
                if rgce.len() < len {
                    return true;
                }
                len
            }
            0x18 => 5,
            0x19 => match rgce.first() {
                None => return false,
                Some(0x01 | 0x02 | 0x08 | 0x10 | 0x20 | 0x21 | 0x40 | 0x41) => 3,
                Some(0x04) => match u16_at(rgce, 1) {
                    Some(n) => 3 + 2 * (usize::from(n) + 1),
                    None => return false,
                },
                Some(_) => return true,
            },
            0x1C | 0x1D => 1,
            0x1E => 2,
            0x1F => 8,
            0x20 | 0x40 | 0x60 => 7,
            0x21 | 0x41 | 0x61 => 2,
            0x22 | 0x42 | 0x62 => 3,
            // PtgName: a one-based index; 0 would underflow.
            0x23 | 0x43 | 0x63 => {
                if rgce.get(..4).is_some_and(|b| b == [0, 0, 0, 0]) {
                    return false;
                }
                4
            }
            0x24 | 0x44 | 0x64 | 0x2A | 0x4A | 0x6A => {
                if pre_biff8 {
                    3
                } else {
                    4
                }
            }
            0x25 | 0x45 | 0x65 | 0x2B | 0x4B | 0x6B => {
                if pre_biff8 {
                    6
                } else {
                    8
                }
            }
            0x39 | 0x59 | 0x3A | 0x5A | 0x7A | 0x3C | 0x5C | 0x7C => 6,
            0x3B | 0x5B | 0x7B | 0x3D | 0x5D | 0x7D => 10,
            _ => return true,
        };
        if rgce.len() < operands {
            return false;
        }
        rgce = &rgce[operands..];
    }
    true
}

/// Where a record is, for messages: substream 1 is the workbook globals, then the sheets.
fn place(substream: usize) -> String {
    if substream <= 1 {
        "工作簿全局区".to_string()
    } else {
        format!("第 {} 个工作表", substream - 1)
    }
}

/// Refuses records that calamine would read past their end: it reads their fixed fields, or the
/// lengths they declare, without checking (found by fuzzing).
fn check_record(typ: u16, data: &[u8], stream_len: usize, sheet: usize) -> Result<(), InputError> {
    let u16_at = |i: usize| {
        data.get(i..i + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let ok = match typ {
        // FilePass, CodePage, DateMode.
        0x002F | 0x0042 | 0x0022 => data.len() >= 2,
        // BOF.
        0x0809 => data.len() >= 4,
        // BoundSheet8: its offset must lie inside the stream.
        0x0085 => {
            data.len() >= 8 && {
                let pos = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                pos < stream_len
            }
        }
        // ExternSheet: cXTI entries of 6 bytes.
        0x0017 => u16_at(0).is_some_and(|n| data.len() >= 2 + 6 * n),
        // Lbl (defined name): fixed part, name and formula.
        0x0018 => {
            data.len() >= 14
                && u16_at(4).is_some_and(|cce| data.len() >= 14 + usize::from(data[3]) + cce)
        }
        // Formula: 20 fixed bytes, then cce and that many bytes of parsed formula.
        0x0006 => u16_at(20).is_some_and(|cce| data.len() >= 22 + cce),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(InputError::Corrupt(format!(
            "{}的记录 0x{typ:04X} 长度无效",
            place(sheet)
        )))
    }
}

/// Checks a DIMENSIONS record the way calamine's `parse_dimensions` reads it.
fn check_dimensions(data: &[u8], sheet: usize) -> Result<(), InputError> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let (rf, rl, mut cf, cl) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        // calamine refuses other lengths with an error of its own.
        _ => return Ok(()),
    };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    if rl == 0 || cl == 0 {
        return Ok(());
    }
    let (last_row, last_col) = (rl - 1, cl - 1);
    if last_row < rf || last_col < cf {
        return Err(InputError::Corrupt(format!(
            "{}的尺寸记录（DIMENSIONS）无效：行 {rf}–{last_row}",
            place(sheet)
        )));
    }
    let area = u64::from(last_row - rf + 1) * u64::from(last_col - cf + 1);
    if area > MAX_XLS_SHEET_CELLS {
        return Err(InputError::TooLarge(format!(
            "{}声明的范围有 {area} 个单元格，超过 {MAX_XLS_SHEET_CELLS}",
            place(sheet)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
