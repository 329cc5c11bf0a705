//! The integration tests, as one test binary: zpcheck and its test kit are linked once, not
//! once per file, and the tests of every file run in one pool. Each module is one concern;
//! `tests/resources.rs` stays a binary of its own, because it measures the peak memory of the
//! processes it starts, and a child on Linux inherits its parent's peak.

mod badinput;
mod batch;
mod chinese;
mod cli;
mod cmd;
mod derived;
mod exports;
mod fidelity;
mod filesystem;
mod findings_sheet;
mod formats;
mod formulas;
mod golden;
mod in_memory;
mod kept_formulas;
mod last_mile;
mod layers;
mod multi;
mod odd_xml;
mod patch;
mod platform;
mod properties;
mod reports;
mod roundtrip;
mod rules;
mod samples;
mod schema;
mod templates;
mod trust;
mod unseen;
mod user_files;
mod variants;
