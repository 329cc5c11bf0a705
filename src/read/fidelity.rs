//! The fidelity bundle: what a corrected workbook is made from besides the grid. Checking
//! needs none of it, so a read for checking ([`super::Purpose::Check`]) makes none, and it never
//! travels with the grid through `locate`, `form` and `rules`: a read for correcting returns it
//! beside the workbook ([`super::Loaded`]) and the caller hands it to `write`, its only user.
//!
//! - An .xlsx keeps its bytes (and the parts the read already decompressed) for the patching
//!   writer, which changes the corrected cells in place and keeps everything else.
//! - A rebuilt workbook (.xls, .ods, or an .xlsx the patcher gave up on) is drawn from the
//!   grid, each cell's style, the sheets' layout and the document properties; what it cannot
//!   keep is named on its 核查结果 sheet.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::layout::SheetLayout;
use crate::grid::CellRef;
use crate::style::CellStyle;

/// What a corrected workbook is made from besides the grid (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Fidelity {
    /// The file's bytes, kept for patching an .xlsx.
    pub source: Option<Source>,
    /// Document properties (title, author…), when the file has them and the read took them.
    pub properties: Option<calamine::WorkbookProperties>,
    /// What the input holds that a rebuilt corrected workbook cannot keep (Chinese names; a
    /// patched .xlsx keeps all of it).
    pub not_kept: Vec<&'static str>,
    /// Each sheet's look, in the order of the workbook's sheets: empty unless the read was for
    /// a rebuild ([`super::Purpose::Rebuild`]), and then one per sheet.
    pub looks: Vec<SheetLook>,
    /// How the corrected workbook is written back: patched, or rebuilt and why (the format
    /// says; see [`super::format`]).
    pub write_back: super::WriteBack,
}

impl Fidelity {
    /// Whether the sheets' looks were read (a read for a rebuild). A patching writer does
    /// without them; a rebuilding one reads them first.
    pub fn has_looks(&self) -> bool {
        !self.looks.is_empty()
    }

    /// The look of the `index`th sheet, when looks were read.
    pub fn look(&self, index: usize) -> Option<&SheetLook> {
        self.looks.get(index)
    }

    /// The style of a cell of the `index`th sheet, when it has one and looks were read.
    pub fn style(&self, index: usize, pos: CellRef) -> Option<&CellStyle> {
        self.look(index)?.styles.get(&pos).map(|s| s.as_ref())
    }

    /// The layout of the `index`th sheet, when the format exposes it (xlsx) and looks were read.
    pub fn layout(&self, index: usize) -> Option<&SheetLayout> {
        self.look(index)?.layout.as_ref()
    }
}

/// A sheet's look: its cells' styles and its layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetLook {
    /// The sheet's name (the grid's sheet of the same index has it too).
    pub name: String,
    /// Each styled cell's style, when the format exposes styles: shared, one copy per
    /// distinct style, however many cells use it (a style on a million cells once took
    /// gigabytes as a million copies of its font name).
    pub styles: HashMap<CellRef, Arc<CellStyle>>,
    /// Column widths, row heights, panes and page setup, when the format exposes them (xlsx).
    pub layout: Option<SheetLayout>,
}

/// What an .xlsx read for correcting keeps for the patching writer: the file's bytes, and the
/// text of the parts the read already decompressed (by part name), so that they are not
/// decompressed twice. Shared, so that cloning does not copy them.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Source {
    /// The file's bytes.
    pub bytes: Arc<Vec<u8>>,
    /// Parts already decompressed, by name.
    pub parts: Arc<HashMap<String, String>>,
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Source({} bytes, {} parts read)",
            self.bytes.len(),
            self.parts.len()
        )
    }
}
