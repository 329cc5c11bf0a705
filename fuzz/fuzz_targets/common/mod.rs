//! The whole path every fuzz target drives: bytes → workbook (the fast reader held to
//! calamine) → forms → rules → corrected workbook (patched, which must read back with the same
//! forms, and rebuilt, which must read back too) → report, JSON Lines object and summary rows.
//! Any panic or abort is a bug; errors (InputError) are the expected outcome for most inputs.

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

/// Runs `data` through the whole path.
pub fn whole_path(data: &[u8]) {
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
    // As `fix` does it: read for fixing, checked, written (patched, or rebuilt where the
    // patcher gives up), and the written workbook must read back with its forms.
    if let Ok(loaded) =
        zpcheck::read::read_bytes_with(data.to_vec(), ReadOptions::for_purpose(Purpose::Fix))
        && let Ok(checked) = zpcheck::check_workbook(loaded.workbook, &zpcheck::Profile::default())
        && let Ok((bytes, _)) =
            zpcheck::write::corrected_workbook_by(&checked, &loaded.fidelity.unwrap_or_default())
    {
        let back = zpcheck::read::read_bytes(bytes).expect("a corrected workbook reads back");
        let again = zpcheck::check_workbook(back, &zpcheck::Profile::default())
            .expect("a corrected workbook still holds its forms");
        assert_eq!(again.forms.len(), checked.forms.len());
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
        && let Ok(bytes) = zpcheck::write::patch::patch(source, &checked, &Default::default())
    {
        let back = zpcheck::read::read_bytes(bytes).expect("a patched workbook reads back");
        let again = zpcheck::check_workbook(back, &zpcheck::Profile::default())
            .expect("a patched workbook still holds its forms");
        assert_eq!(again.forms.len(), checked.forms.len());
    }
    if let Ok(bytes) = zpcheck::write::rebuild::workbook(&checked, &fidelity) {
        zpcheck::read::read_bytes(bytes).expect("a rebuilt workbook reads back");
    }
    // The batch outputs: the file's report, its JSON Lines object and its summary rows.
    let report = zpcheck::report::FileReport::from(zpcheck::report::FileOutcome {
        path: "输入.xlsx".into(),
        checked: Ok(checked),
        output: None,
        plain_output: None,
        write_error: None,
        written_by: None,
        suppressed: 0,
    });
    let _ = zpcheck::report::jsonl(&report);
    let mut summary = zpcheck::summary::Summary::new(true);
    summary.add(&report);
    let _ = summary.to_bytes();
}
