//! What zpcheck knows of Office Open XML packages (.xlsx, .xlsm), in one place for the three
//! stages that open one: the container guard, the readers and the patching writer.
//!
//! - [`unzip`]: decompressing a part straight from the file's bytes (bounded, checksummed).
//! - [`rels`]: relationships parts, read once by one parser; part names and how a
//!   relationship's target resolves to one.
//! - [`workbook`]: `xl/workbook.xml` with its relationships — the sheets in order, their parts,
//!   print areas, and what makes a workbook unusual enough for calamine to read it otherwise.
//! - [`xml`]: attribute helpers and escaping shared by every parser here.
//!
//! The XML editing of the patcher (events with their byte ranges, tags edited in place)
//! stays in `write::patch::xml`: only the writer edits XML.

pub mod rels;
pub(crate) mod unzip;
pub mod workbook;
pub mod xml;
