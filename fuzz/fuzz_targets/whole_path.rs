//! Fuzz target over zpcheck's whole path: bytes → workbook → forms → rules → corrected
//! workbook, JSON Lines object and summary rows. Any panic or abort is a bug; errors
//! (InputError) are the expected outcome for most inputs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(workbook) = zpcheck::read::read_bytes(data.to_vec()) else {
        return;
    };
    let Ok(checked) = zpcheck::check_workbook(workbook, &zpcheck::Profile::default()) else {
        return;
    };
    for f in checked.findings() {
        let _ = (f.message.len(), f.fixed());
    }
    let _ = zpcheck::write::corrected_workbook(&checked);
    // The batch outputs: the file's report, its JSON Lines object and its summary rows.
    let report = zpcheck::report::FileReport::from(zpcheck::report::FileOutcome {
        path: "输入.xlsx".into(),
        checked: Ok(checked),
        output: None,
        write_error: None,
    });
    let _ = zpcheck::report::jsonl(&report);
    let mut summary = zpcheck::summary::Summary::new(true);
    summary.add(&report);
    let _ = summary.to_bytes();
});
