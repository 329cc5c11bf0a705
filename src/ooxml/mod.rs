//! What zpcheck knows of Office Open XML packages (.xlsx, .xlsm), in one place for the three
//! stages that open one: the container guard, the readers and the patching writer.
//!
//! - [`unzip`]: decompressing a part straight from the file's bytes (bounded, checksummed);
//!   [`archive`]: writing a package, unchanged parts copied still compressed.
//! - [`plain`]: every XML part made plain UTF-8 (no mark, no character references or CDATA)
//!   before any reader or the patcher sees it.
//! - [`content_types`]: `[Content_Types].xml`, read and written whole.
//! - [`rels`]: relationships parts, read once by one parser; part names and how a
//!   relationship's target resolves to one.
//! - [`workbook`]: `xl/workbook.xml` with its relationships — the sheets in order, their parts,
//!   print areas, and what makes a workbook unusual enough for calamine to read it otherwise.
//! - [`xml`]: attribute helpers and escaping shared by every parser here.
//!
//! The XML editing of the patcher (events with their byte ranges, tags edited in place)
//! stays in `write::patch::xml`: only the writer edits XML.

/// Why and where a fast path through a package gave up: the fast reader hands the file to
/// calamine, the patcher to the rebuild, and the JSON report gives the reason's stable code
/// (`reader_fallback`, `writer_fallback`; see [`crate::fallback`]). The source place is kept for
/// a developer's `Debug` output only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GiveUp {
    /// What the path met.
    pub why: Why,
    /// Source file and line.
    pub at: (&'static str, u32),
}

/// A [`GiveUp`] at the place it is written, for the reason given or, without one, the
/// calling module's own `HERE` (each module that gives up says what it reads or edits).
macro_rules! give_up {
    () => {
        $crate::ooxml::GiveUp {
            why: HERE,
            at: (file!(), line!()),
        }
    };
    ($why:expr) => {
        $crate::ooxml::GiveUp {
            why: $why,
            at: (file!(), line!()),
        }
    };
}
pub(crate) use give_up;

/// What this module's give-ups are about, unless one names its own.
const HERE: Why = Why::Xml;

/// A result that gives up rather than fails.
pub(crate) type R<T> = Result<T, GiveUp>;

use crate::fallback::Why;

impl From<quick_xml::Error> for GiveUp {
    fn from(_: quick_xml::Error) -> Self {
        give_up!()
    }
}

impl From<quick_xml::events::attributes::AttrError> for GiveUp {
    fn from(_: quick_xml::events::attributes::AttrError) -> Self {
        give_up!()
    }
}

pub(crate) mod archive;
pub(crate) mod central;
pub(crate) mod content_types;
pub mod names;
pub(crate) mod plain;
pub mod rels;
pub mod seal;
pub(crate) mod unzip;
pub mod workbook;
pub mod xml;
