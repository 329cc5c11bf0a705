//! Unit tests of `read/xls` (kept apart so that the module reads as the code it is).

use super::*;

/// A BIFF record.
fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend_from_slice(&(data.len() as u16).to_le_bytes());
    v.extend_from_slice(data);
    v
}

/// A NUMBER cell record.
fn number(row: u16, col: u16) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&[0; 10]);
    rec(0x0203, &d)
}

#[test]
fn gbk_text_decoded_as_latin1_or_cp1252_is_repaired() {
    let gbk = encoding_rs::GBK.encode("部门资金（万元）").0;
    let latin1: String = gbk.iter().map(|b| char::from(*b)).collect();
    assert_eq!(
        repair_gbk_text(&latin1).as_deref(),
        Some("部门资金（万元）")
    );
    let cp1252 = encoding_rs::WINDOWS_1252.decode(&gbk).0;
    assert_eq!(
        repair_gbk_text(&cp1252).as_deref(),
        Some("部门资金（万元）")
    );
    let widened: Vec<u8> = gbk.iter().flat_map(|b| [*b, 0]).collect();
    let cp1252_widened = encoding_rs::WINDOWS_1252.decode(&widened).0;
    assert_eq!(
        repair_gbk_text(&cp1252_widened).as_deref(),
        Some("部门资金（万元）")
    );
    assert_eq!(repair_gbk_text("plain ascii"), None);
    assert_eq!(repair_gbk_text("已是中文"), None);
}

#[test]
fn shared_strings_must_hold_what_they_announce() {
    let head = [2u8, 0, 0, 0, 2, 0, 0, 0];
    // "ab" (compressed) and "c" split over a CONTINUE record.
    let mut sst = head.to_vec();
    sst.extend([2, 0, 0, b'a', b'b', 2, 0, 0, b'c']);
    assert!(sst_in_bounds(&sst, &[&[0, b'd']]));
    // The fuzzer's find: fExtSt set, but no room for cbExtRst.
    let mut ext = head.to_vec();
    ext.extend([1, 0, 0x4]);
    assert!(!sst_in_bounds(&ext, &[]));
    // fRichSt without its run count.
    let mut rich = head.to_vec();
    rich.extend([1, 0, 0x8, 0]);
    assert!(!sst_in_bounds(&rich, &[]));
    // A string continued into an empty CONTINUE record.
    let mut split = head.to_vec();
    split.extend([3, 0, 0, b'a']);
    assert!(!sst_in_bounds(&split, &[&[]]));
    // Too short for calamine to start: it stops with an error.
    assert!(sst_in_bounds(&[1, 2, 3], &[]));
    // A negative cbExtRst is skipped through the continues until they end.
    let mut neg = head.to_vec();
    neg.extend([1, 0, 0x4, 0xFF, 0xFF, 0xFF, 0xFF, b'x']);
    assert!(sst_in_bounds(&neg, &[&[1, 2, 3]]));
}

#[test]
fn formula_tokens_must_have_their_operands() {
    // A1:B2 as PtgArea (8 operand bytes in BIFF8, 6 before), then PtgFuncVar SUM.
    let area = [0x25, 0, 0, 1, 0, 0, 0xC0, 1, 0xC0];
    let mut sum = area.to_vec();
    sum.extend([0x22, 1, 4, 0]);
    assert!(rgce_in_bounds(&sum, false));
    // The fuzzer's find: PtgArea with only three operand bytes.
    assert!(!rgce_in_bounds(&[0x25, 0, 0, 1], false));
    assert!(!rgce_in_bounds(&area[..7], false));
    assert!(rgce_in_bounds(&area[..7], true));
    // PtgRef is 4 bytes in BIFF8, 3 before.
    assert!(rgce_in_bounds(&[0x24, 1, 0, 2], true));
    assert!(!rgce_in_bounds(&[0x24, 1, 0, 2], false));
    // PtgName index 0 (calamine subtracts one); PtgAttrChoose's jump table.
    assert!(!rgce_in_bounds(&[0x23, 0, 0, 0, 0], false));
    assert!(rgce_in_bounds(&[0x19, 0x04, 1, 0, 0, 0, 0, 0], false));
    assert!(!rgce_in_bounds(&[0x19, 0x04, 1, 0, 0, 0], false));
    // Tokens calamine rejects with an error end the walk safely.
    assert!(rgce_in_bounds(&[0xFF, 1], false));
    assert!(rgce_in_bounds(&[0x17, 200, 0, b'a'], false));
    assert!(rgce_in_bounds(&[], false));
}

#[test]
fn every_sheet_calamine_reads_is_one_the_guard_checked_once() {
    let bof = rec(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let eof = rec(0x000A, &[]);
    let boundsheet = |offset: u32| {
        let mut d = offset.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, 1, 0, b'S']);
        rec(0x0085, &d)
    };
    // Globals naming `offsets`, then `sheets` (each a substream of `cells`).
    let workbook = |offsets: &dyn Fn(usize) -> Vec<u32>, sheets: &[Vec<u8>]| {
        let globals_len = bof.len() + eof.len() + sheets.len() * boundsheet(0).len();
        let mut starts = Vec::new();
        let mut at = globals_len;
        for s in sheets {
            starts.push(at as u32);
            at += bof.len() + s.len() + eof.len();
        }
        let mut v = bof.clone();
        for o in offsets(globals_len)
            .into_iter()
            .zip(&starts)
            .map(|(o, s)| if o == u32::MAX { *s } else { o })
        {
            v.extend(boundsheet(o));
        }
        v.extend(&eof);
        for s in sheets {
            v.extend(&bof);
            v.extend(s);
            v.extend(&eof);
        }
        v
    };
    let cells = [number(0, 0), number(3, 3)].concat();
    // Two sheets, each named once: fine.
    let good = workbook(
        &|_| vec![u32::MAX, u32::MAX],
        &[cells.clone(), cells.clone()],
    );
    assert!(check_biff_extent(&good).is_ok());
    // Both BOUNDSHEETs naming the first sheet.
    let first = |g: usize| vec![g as u32, g as u32];
    let twice = workbook(&first, &[cells.clone(), cells.clone()]);
    let msg = check_biff_extent(&twice).unwrap_err().to_string();
    assert!(
        msg.contains("第 2 个工作表与前面的工作表指向同一位置"),
        "{msg}"
    );
    // A sheet hidden in an unknown record's payload: a BOF and a huge range the linear
    // scan never sees as records.
    let hidden = [bof.clone(), number(0, 0), number(65535, 255), eof.clone()].concat();
    let carrier = rec(0x1234, &hidden);
    let into_payload = |g: usize| vec![(g + bof.len() + 4) as u32];
    let smuggled = workbook(&into_payload, &[carrier[4..].to_vec()]);
    // (the "sheet" is the carrier record's payload, preceded by its own BOF)
    let smuggled = {
        let mut v = smuggled;
        // Rewrite the sheet so that its body is the carrier record itself.
        let at = v.len() - eof.len() - carrier[4..].len();
        v.splice(at.., carrier.iter().copied().chain(eof.iter().copied()));
        v
    };
    let msg = check_biff_extent(&smuggled).unwrap_err().to_string();
    assert!(msg.contains("不在一个工作表的开头"), "{msg}");
    // Two sheets each just under the per-sheet limit: too much together.
    let wide = [number(0, 0), number(7421, 255)].concat();
    let one = workbook(&|_| vec![u32::MAX; 1], std::slice::from_ref(&wide));
    assert!(check_biff_extent(&one).is_ok());
    let two = workbook(&|_| vec![u32::MAX; 2], &[wide.clone(), wide]);
    let msg = check_biff_extent(&two).unwrap_err().to_string();
    assert!(
        msg.contains("各工作表的单元格范围合计超过 2000000"),
        "{msg}"
    );
}

#[test]
fn biff_cells_with_values_are_counted_before_calamine_copies_them() {
    // 1,000,000 NUMBER cells (3,906 full rows and 64 more) within a range of a million:
    // the limit; one more is refused. Blank cells (MULBLANK) do not count.
    let mut cells = rec(0x0809, &[0; 16]);
    for row in 0..3_906u16 {
        for col in 0..256u16 {
            cells.extend(number(row, col));
        }
    }
    for col in 0..64u16 {
        cells.extend(number(3_906, col));
    }
    let mut blanks = 2u16.to_le_bytes().to_vec();
    blanks.extend_from_slice(&[0, 0]);
    blanks.extend(std::iter::repeat_n(0u8, 2 * 256));
    blanks.extend_from_slice(&255u16.to_le_bytes());
    for row in 3_907..3_910u16 {
        let mut r = blanks.clone();
        r[..2].copy_from_slice(&row.to_le_bytes());
        cells.extend(rec(0x00BE, &r));
    }
    assert!(check_biff_extent(&cells).is_ok());
    cells.extend(number(3_906, 64));
    let msg = check_biff_extent(&cells).unwrap_err().to_string();
    assert!(msg.contains("单元格超过 1000000 个"), "{msg}");
}

#[test]
fn shared_strings_copied_into_many_cells_are_counted() {
    // One string of 30,000 characters (SST and CONTINUE records), then LABELSST cells.
    let mut sst = vec![1, 0, 0, 0, 1, 0, 0, 0];
    sst.extend_from_slice(&30_000u16.to_le_bytes());
    sst.push(0);
    sst.extend(std::iter::repeat_n(b'a', 8_000));
    let mut stream = rec(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    stream.extend(rec(0x00FC, &sst));
    for chunk in [8_000, 8_000, 6_000] {
        let mut c = vec![0u8];
        c.extend(std::iter::repeat_n(b'a', chunk));
        stream.extend(rec(0x003C, &c));
    }
    let labelsst = |row: u16| {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
        rec(0x00FD, &d)
    };
    let mut few = stream.clone();
    for row in 0..100 {
        few.extend(labelsst(row));
    }
    assert!(check_biff_extent(&few).is_ok());
    let mut many = stream;
    for row in 0..1_000 {
        many.extend(labelsst(row));
    }
    let msg = check_biff_extent(&many).unwrap_err().to_string();
    assert!(
        msg.contains("单元格中的文字、公式和数字格式合计超过 16 MB"),
        "{msg}"
    );
}

#[test]
fn biff_extent_refuses_cells_far_apart() {
    let mut ok = rec(0x0809, &[0; 16]);
    ok.extend(number(0, 0));
    ok.extend(number(300, 10));
    assert!(check_biff_extent(&ok).is_ok());
    let mut bad = rec(0x0809, &[0; 16]);
    bad.extend(number(0, 0));
    bad.extend(number(65535, 255));
    assert!(matches!(
        check_biff_extent(&bad),
        Err(InputError::TooLarge(_))
    ));
    // A DIMENSIONS record ending before it starts, or declaring a huge range.
    let dims = |rf: u32, rl: u32, cf: u16, cl: u16| {
        let mut d = rf.to_le_bytes().to_vec();
        d.extend_from_slice(&rl.to_le_bytes());
        d.extend_from_slice(&cf.to_le_bytes());
        d.extend_from_slice(&cl.to_le_bytes());
        d.extend_from_slice(&[0, 0]);
        rec(0x0200, &d)
    };
    let mut backwards = rec(0x0809, &[0; 16]);
    backwards.extend(dims(10, 5, 0, 3));
    assert!(matches!(
        check_biff_extent(&backwards),
        Err(InputError::Corrupt(_))
    ));
    let mut huge = rec(0x0809, &[0; 16]);
    huge.extend(dims(0, u32::MAX, 0, 256));
    assert!(matches!(
        check_biff_extent(&huge),
        Err(InputError::TooLarge(_))
    ));
    let mut fine = rec(0x0809, &[0; 16]);
    fine.extend(dims(0, 30, 0, 9));
    assert!(check_biff_extent(&fine).is_ok());
    // A MERGECELLS record claiming more ranges than it holds.
    let mut merges = rec(0x0809, &[0; 16]);
    merges.extend(rec(0x00E5, &[5, 0, 0, 0]));
    assert!(matches!(
        check_biff_extent(&merges),
        Err(InputError::Corrupt(_))
    ));
    let mut empty_merges = rec(0x0809, &[0; 16]);
    empty_merges.extend(rec(0x00E5, &[]));
    assert!(matches!(
        check_biff_extent(&empty_merges),
        Err(InputError::Corrupt(_))
    ));
    let mut one_merge = rec(0x0809, &[0; 16]);
    one_merge.extend(rec(0x00E5, &[1, 0, 0, 0, 4, 0, 0, 0, 0, 0]));
    assert!(check_biff_extent(&one_merge).is_ok());
    // A MULRK whose last column precedes its first.
    let mut mulrk = rec(0x0809, &[0; 16]);
    mulrk.extend(rec(0x00BD, &[0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 2, 0]));
    assert!(matches!(
        check_biff_extent(&mulrk),
        Err(InputError::Corrupt(_))
    ));
    // Records shorter than the fields calamine reads from them.
    for (typ, data) in [
        (0x0042u16, vec![]),
        (0x0006, vec![0; 21]),
        (0x0085, vec![0xFF, 0xFF, 0, 0, 0, 0, 0, 0]),
    ] {
        let mut short = rec(0x0809, &[0; 16]);
        short.extend(rec(typ, &data));
        assert!(
            matches!(check_biff_extent(&short), Err(InputError::Corrupt(_))),
            "{typ:04X}"
        );
    }
    let mut formula = rec(0x0809, &[0; 16]);
    let mut f = vec![0u8; 20];
    f.extend_from_slice(&[3, 0, 0x1E, 1, 0]);
    formula.extend(rec(0x0006, &f));
    assert!(check_biff_extent(&formula).is_ok());
    // A truncated record is not a panic.
    assert!(check_biff_extent(&[0x03, 0x02, 0xFF, 0xFF, 1]).is_ok());
}
