//! The boundary every format's reader stands behind, as calamine's `Reader` trait and `Sheets`
//! enum are for its formats: the dispatcher ([`super::read_bytes_with`]) sniffs the kind and
//! hands the bytes to that format's module, which guards its container, reads the grid (and,
//! when correcting, the looks and document properties) and says what the corrected workbook
//! cannot keep and how it is written back. What every format shares — the limits on cells and
//! merged ranges, formulas evaluated, Excel's grid — the dispatcher applies after.
//!
//! Nothing outside `src/read/` needs to know which format a workbook was: the writer follows
//! [`WriteBack`]. Adding a format is one module with a `read` that gives a [`Raw`], the line in
//! [`super::sniff`] that recognises it, and its tests.

use crate::fallback::Why;
use crate::grid::Sheet;

use super::{ReadBy, SheetLook};

/// How a corrected workbook is written back for a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteBack {
    /// The input's own package is patched ([`super::Fidelity::source`]); when the patcher gives
    /// up, or the package was not kept, the workbook is rebuilt.
    Patch,
    /// The workbook is always rebuilt from the grid and the looks, for this reason.
    Rebuild(Why),
    /// A report (a Word document): never rewritten; its reviewed copy (`_核查.docx`) is the
    /// same document with the questioned claims and table cells highlighted and commented.
    Report,
}

impl Default for WriteBack {
    /// An empty [`super::Fidelity`] (a read only for checking) is a patched format's with
    /// nothing kept: the writer refuses to make a corrected workbook from it rather than draw
    /// one without its look.
    fn default() -> Self {
        WriteBack::Patch
    }
}

/// zpcheck's own markers on a workbook, trusted only under a seal that still holds (see
/// [`crate::ooxml::seal`]): a property anyone can set proves nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Marks {
    /// A summary zpcheck wrote.
    pub(crate) summary: bool,
    /// A corrected workbook zpcheck wrote.
    pub(crate) output: bool,
    /// A plain copy zpcheck wrote.
    pub(crate) plain: bool,
    /// The file a sealed output records it was made from (name, digest).
    pub(crate) source: Option<(String, String)>,
}

/// What one format's reader gives the dispatcher.
#[derive(Debug)]
pub(crate) struct Raw {
    /// The format.
    pub(crate) kind: super::FileKind,
    /// The sheets as read, before the shared checks.
    pub(crate) sheets: Vec<Sheet>,
    /// Each sheet's look, when the read was for correcting and the format gives them.
    pub(crate) looks: Vec<SheetLook>,
    /// Document properties, when the read was for correcting.
    pub(crate) properties: Option<calamine::WorkbookProperties>,
    /// What the corrected workbook cannot keep, so far (the dispatcher adds what the looks
    /// and Excel's grid show).
    pub(crate) not_kept: Vec<&'static str>,
    /// The package the patcher edits, when the format is patched and the read kept it (the
    /// dispatcher adds the input's bytes, unless the reader remade them).
    pub(crate) kept: Option<KeptPackage>,
    /// Which reader read it.
    pub(crate) read_by: ReadBy,
    /// zpcheck's markers, under a holding seal.
    pub(crate) marks: Marks,
    /// Formula results may be placeholder zeros (a writer that asks for recalculation on load).
    pub(crate) placeholder_zero: bool,
    /// How the corrected workbook is written back.
    pub(crate) write_back: WriteBack,
    /// A report's narrative (only the Word reader gives one).
    pub(crate) document: Option<crate::grid::Document>,
}

/// What a patched format keeps of its package besides the input's bytes.
#[derive(Debug, Default)]
pub(crate) struct KeptPackage {
    /// The package remade (made plain, say), when the reader read that instead of the input.
    pub(crate) plain: Option<Vec<u8>>,
    /// Parts already decompressed, by name.
    pub(crate) parts: std::collections::HashMap<String, String>,
}

/// Document properties read with calamine; none when they cannot be read. They are optional,
/// so even a panic in their parser only loses them.
pub(crate) fn properties(
    read: impl FnOnce() -> Option<calamine::WorkbookProperties> + std::panic::UnwindSafe,
) -> Option<calamine::WorkbookProperties> {
    std::panic::catch_unwind(read).ok().flatten()
}

/// What a rebuilt workbook of a format whose looks zpcheck reads itself (.xls, .ods) does not
/// keep: with no looks read, the forms are drawn in one plain style; with them, `unread` names
/// what the look reader does not take.
pub(crate) fn rebuilt_without(looks: &[SheetLook], unread: &'static str) -> &'static str {
    if looks.is_empty() {
        "字体、对齐、边框和列宽（已按统一样式重画）"
    } else {
        unread
    }
}
