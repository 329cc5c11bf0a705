//! zpcheck's test kit: forms described as specs, written to .xlsx or .xls, the bundled forms
//! and templates, and helpers that check a spec and give its findings as rows to compare whole.
//! Used by the integration tests (`tests/it`, `tests/resources.rs`), the benchmark and
//! `cargo run --example make_samples` — a crate of its own, so that none of them includes it by
//! `#[path]` and none compiles what it does not use.
//!
//! - [`spec`]: a sheet as rows of values and merged ranges.
//! - [`xlsx`]: specs written to .xlsx with the look of a printed form.
//! - [`forms`] and [`templates`]: the forms of `samples/`.
//! - [`biff`]: a BIFF8 writer for GBK text.
//! - [`package`]: editing a written package part by part.
//! - [`docx`]: 自评报告 as Word documents (the seed report, planted variants).
//! - [`check`]: checking specs and files, findings as rows.

pub mod biff;
pub mod check;
pub mod docx;
pub mod forms;
pub mod markup;
pub mod package;
pub mod spec;
pub mod templates;
pub mod xlsx;

pub use biff::*;
pub use check::*;
pub use forms::*;
pub use markup::*;
pub use package::*;
pub use spec::*;
pub use xlsx::*;
