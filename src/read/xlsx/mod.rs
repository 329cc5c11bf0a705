//! Office Open XML workbooks (.xlsx, .xlsm), after the container guard has checked them:
//!
//! - [`direct`]: zpcheck's fast cell reader for an ordinary workbook read for checking or
//!   patching; it gives up on anything unusual (and says where), and calamine reads the file;
//! - `via_calamine`: calamine's streaming cell reader into the sparse grid, with each cell's
//!   style when a rebuild needs it;
//! - [`layout`]: what calamine does not expose (column widths, row heights, panes, page setup)
//!   and the merged ranges, from the sheets' XML.

pub(super) mod direct;
pub mod layout;
mod via_calamine;

pub(crate) use via_calamine::read_xlsx;
