//! Fuzz target over zpcheck's whole path: bytes → workbook → forms → rules → corrected
//! workbook. Any panic or abort is a bug; errors (InputError) are the expected outcome for
//! most inputs.
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
    let _ = zpcheck::report::json(&[]);
});
