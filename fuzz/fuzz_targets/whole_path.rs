//! Fuzz target over zpcheck's whole path: bytes → workbook → forms → rules → corrected
//! workbook (patched, which must read back with the same forms, and rebuilt), JSON Lines object
//! and summary rows. Any panic or abort is a bug; errors
//! (InputError) are the expected outcome for most inputs. A check-only read, which reads an
//! ordinary .xlsx with zpcheck's own reader, must give what calamine gives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zpcheck::read::{CellValue, Purpose, ReadOptions, Sheet};

/// What a check uses of the sheets: names, merged ranges, values (a date as its serial
/// number), formulas and number formats.
fn checked_view(sheets: &[Sheet]) -> Vec<(String, String, Vec<String>)> {
    sheets
        .iter()
        .map(|s| {
            let cells = s
                .cells
                .iter()
                .map(|(at, c)| {
                    let v = match &c.value {
                        CellValue::DateTime(n) => CellValue::Number(*n),
                        v => v.clone(),
                    };
                    format!("{at} {v:?} {:?} {:?} {:?}", c.formula, c.formula_value, c.num_fmt)
                })
                .collect();
            (s.name.clone(), format!("{:?}", s.merges), cells)
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let check_only = |direct| {
        zpcheck::read::read_bytes_with(
            data.to_vec(),
            ReadOptions {
                purpose: Purpose::Check,
                direct,
            },
        )
    };
    match (check_only(true), check_only(false)) {
        (Ok(a), Ok(b)) => assert_eq!(
            checked_view(&a.workbook.sheets),
            checked_view(&b.workbook.sheets)
        ),
        (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind()),
        (a, b) => panic!("direct {:?} vs calamine {:?}", a.err(), b.err()),
    }
    let rebuild = ReadOptions {
        purpose: Purpose::Rebuild,
        direct: true,
    };
    let Ok(loaded) = zpcheck::read::read_bytes_with(data.to_vec(), rebuild) else {
        return;
    };
    let (workbook, fidelity) = (loaded.workbook, loaded.fidelity.unwrap_or_default());
    let Ok(checked) = zpcheck::check_workbook(workbook, &zpcheck::Profile::default()) else {
        return;
    };
    for f in checked.findings() {
        let _ = (f.message.len(), f.fixed());
    }
    // Both writers. What the patcher writes must read back, with the same forms.
    if let Some(source) = &fidelity.source
        && let Ok(bytes) = zpcheck::write::patch::patch(source, &checked, false)
    {
        let back = zpcheck::read::read_bytes(bytes).expect("a patched workbook reads back");
        let again = zpcheck::check_workbook(back, &zpcheck::Profile::default())
            .expect("a patched workbook still holds its forms");
        assert_eq!(again.forms.len(), checked.forms.len());
    }
    let _ = zpcheck::write::rebuild::workbook(&checked, &fidelity);
    // The batch outputs: the file's report, its JSON Lines object and its summary rows.
    let report = zpcheck::report::FileReport::from(zpcheck::report::FileOutcome {
        path: "输入.xlsx".into(),
        checked: Ok(checked),
        output: None,
        write_error: None,
        written_by: None,
        suppressed: 0,
    });
    let _ = zpcheck::report::jsonl(&report);
    let mut summary = zpcheck::summary::Summary::new(true);
    summary.add(&report);
    let _ = summary.to_bytes();
});
