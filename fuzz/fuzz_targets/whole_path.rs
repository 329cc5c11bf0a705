//! Fuzz target over zpcheck's whole path ([`common::whole_path`]) with the input as the file's
//! bytes: damaged containers, records and XML as a byte-level mutator makes them.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::whole_path(data));
