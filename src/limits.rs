//! Every resource limit in one place. A workbook is read, checked and written in bounded memory
//! and time whatever it holds (see the README's 限制 table, which lists these values, and
//! `tests/resources.rs`, which runs inputs at and past them under a 512 MiB, 10 s bound); each
//! limit has a test of its own beside the code that applies it. A 自评表 holds a few hundred
//! cells and a few kilobytes of text: every limit here is orders of magnitude above any real
//! form, and set where the measured cost of the input would break the bound.
//!
//! The modules that apply a limit re-export it under its old path (`read::guard::MAX_CELLS`).

// --- Containers (.xlsx, .ods zip packages) and what is read from any format ---

/// The largest input file read.
pub const MAX_FILE_BYTES: u64 = 100 << 20;

/// The largest decompressed size of one part of a zip container.
pub const MAX_PART_BYTES: u64 = 100 << 20;

/// The largest decompressed size of all parts together.
pub const MAX_UNZIPPED_BYTES: u64 = 300 << 20;

/// The most a deflate stream can expand: 1032 output bytes per input byte.
pub const MAX_DEFLATE_RATIO: u64 = 1032;

/// The most entries a zip container may have. A corrected workbook gains up to four parts per
/// corrected sheet (its notes, their drawing, the sheet's relationships, the findings sheet),
/// so a workbook of 10,000 parts, corrected, is still read again (4,500 form sheets: 18,008).
pub const MAX_ZIP_ENTRIES: usize = 50_000;

/// The largest merged range kept; larger ones are read as unmerged cells.
pub const MAX_MERGE_CELLS: u64 = 100_000;

/// The most cells all merged ranges of a workbook may cover together. A form merges a few
/// hundred; the merges are indexed row by row, so this also bounds that index.
pub const MAX_MERGED_CELLS: u64 = 2_000_000;

/// The most bytes of text, formulas and number formats the cells of a workbook may hold
/// together, counted as each cell is read. A form holds a few kilobytes; a hostile file has
/// one shared string, number format or shared formula of megabytes used by thousands of cells,
/// each of which would get its own copy (10 MB × 1,000 cells: 10 GB).
pub const MAX_CELL_BYTES: usize = 64 << 20;

/// The most bytes of text that the cells of an .xls or .ods may hold together (counted before
/// calamine reads the file, after repeats and shared strings are expanded). Lower than
/// [`MAX_CELL_BYTES`]: calamine keeps its own copy of every text, hands zpcheck a second one
/// and zpcheck makes a third (measured: 1,000,000 cells of 60 bytes took 619 MiB).
pub const MAX_DENSE_TEXT_BYTES: usize = 16 << 20;

/// The most non-empty cells read from one workbook.
pub const MAX_CELLS: usize = 1_000_000;

/// The largest range (rows × columns) the valued cells of one .ods sheet may span once their
/// repeat counts are expanded: calamine expands repeats into a dense grid (up to 100 million
/// cells, 20 GB of memory), so a 1 KB file could otherwise take the machine.
pub const MAX_ODS_SHEET_CELLS: u64 = 2_000_000;

/// The most cells the valued ranges of all sheets of an .ods may take together once expanded:
/// calamine holds every sheet's dense grids at once (values and formulas, 56 bytes a cell) and
/// hands out a copy of each, so this is the sheets' limit for all of them together (two sheets
/// of 1.9 million cells each took 914 MiB).
pub const MAX_ODS_CELLS: u64 = MAX_ODS_SHEET_CELLS;

// --- Excel's grid ---

/// The rows of an Excel sheet (1,048,576): a cell with a value below them is in no workbook a
/// spreadsheet program can open, and zpcheck could not write it back.
pub const MAX_EXCEL_ROWS: u32 = 1_048_576;

/// The columns of an Excel sheet (16,384, up to XFD).
pub const MAX_EXCEL_COLS: u32 = 16_384;

// --- Files a user hands in beside the workbooks ---

/// The largest `--baseline` file read. A baseline lists the findings a reviewer accepted: a
/// JSON report of a thousand forms is a few megabytes; a 35 MB list took 483 MB to hold.
pub const MAX_BASELINE_BYTES: u64 = 16 << 20;

/// The largest `--profile` file read: a profile is a page of words and numbers.
pub const MAX_PROFILE_BYTES: u64 = 1 << 20;

// --- .xls (BIFF), checked before calamine builds its dense grids ---

/// The largest bounding box (rows × columns) one .xls sheet may span: calamine allocates a
/// dense grid of it for values and another for formulas. A 自评表 spans a few hundred cells.
pub const MAX_XLS_SHEET_CELLS: u64 = 2_000_000;

/// The most cells the grids of all sheets of an .xls may span together: calamine builds every
/// sheet's dense grids (values and formulas) and zpcheck holds them one sheet at a time, so
/// this is the sheets' limit for all of them together.
pub const MAX_XLS_CELLS: u64 = MAX_XLS_SHEET_CELLS;

/// The most strings a shared string table may hold: calamine keeps each as a string of its
/// own (a 100 MB table of empty strings would be 33 million of them).
pub const MAX_XLS_STRINGS: usize = 1_000_000;

// --- Formula evaluation ---

/// The deepest nesting the evaluator follows, counting parentheses, signs and calls inside a
/// formula and each formula a formula refers to. Excel allows 64 nested functions; forms use a
/// handful. Each level costs a few stack frames of a few hundred bytes, so this stays far
/// inside even a 1 MiB stack.
pub const MAX_DEPTH: usize = 100;

/// The longest formula evaluated, in bytes: Excel's own limit is 8,192 characters, so a longer
/// one was not written by a spreadsheet program.
pub const MAX_FORMULA_BYTES: usize = 8_192 * 3;

/// The largest range a formula may name (rows × columns), to bound the work.
pub const MAX_RANGE_CELLS: u64 = 1_000_000;

/// How deep formulas may refer to formulas that also need evaluating.
pub const MAX_FORMULA_DEPTH: usize = 64;

/// How much work all formulas of a sheet may do together, counting each cell read and each
/// byte of formula text read: far more than a form needs, few enough that a hostile file of
/// huge SUMs or of long formulas cannot stall a batch. Past it, the remaining formulas are
/// unevaluable.
pub const MAX_FORMULA_WORK: u64 = 5_000_000;

// --- The rebuilding writer ---

/// The most non-empty cells a workbook that must be rebuilt may hold. The rebuild holds each
/// cell several times over (as read, read again with its style when the patcher gave up, in
/// rust_xlsxwriter's model, and as the XML being zipped): measured, about 1,150 bytes a cell
/// and 6 bytes per byte of text in the worst case (a styled .xlsx the patcher gave up on).
/// With [`MAX_REBUILT_TEXT`] that stays near 400 MiB, within the promise of 512 MiB for any
/// input, where the reading limit of [`crate::read::guard::MAX_CELLS`] would not (990,000 text
/// cells took 751 MiB). The patcher, which copies what it does not change, has no such limit.
pub const MAX_REBUILT_CELLS: usize = 250_000;

/// The most bytes of text (values, formulas, number formats) the cells of a workbook that
/// must be rebuilt may hold together; see [`MAX_REBUILT_CELLS`].
pub const MAX_REBUILT_TEXT: usize = 16 * 1024 * 1024;

/// The most blank cells the default border fill adds for one form.
pub const MAX_GRID_FILL: u64 = 100_000;

/// The most styled cells a rebuilt .xls or .ods keeps the look of, in all its sheets together,
/// and the rows and columns it keeps widths and heights for: a form has a few hundred cells in
/// a few dozen rows and columns; a file that styles a whole sheet (a style repeated over a
/// million rows of an .ods, nine sheets of 200,000 styled blank .xls cells) keeps the look of
/// this many and draws the rest plainly. Styled cells outside a sheet's values and merged
/// ranges (plus [`STYLED_MARGIN`]) are not kept at all.
pub const MAX_STYLED_CELLS: usize = 200_000;

/// How many rows and columns beyond a sheet's values and merged ranges styled blank cells
/// (the borders around a form) are kept for the rebuilt workbook.
pub const STYLED_MARGIN: u32 = 2;

/// The most style records of each kind read for a rebuilt workbook (.xls XF, FONT and FORMAT
/// records; .ods automatic styles): Excel itself allows about 64,000 cell formats; past this,
/// cells with the later styles are drawn plainly (a 1.2-million-XF .xls once took 1.1 GB).
pub const MAX_STYLE_RECORDS: usize = 65_536;

/// The longest font name kept, in characters (Excel's own limit is 31): a longer one is not a
/// font, and is dropped (a 3 MB font name copied into every cell once took 758 MB).
pub const MAX_FONT_NAME_CHARS: usize = 64;

/// The longest number format kept, in characters (Excel's own limit is 255): a longer one is
/// dropped, and the cell shows its number as General.
pub const MAX_FORMAT_CODE_CHARS: usize = 255;
/// See [`MAX_STYLED_CELLS`].
pub const MAX_STYLED_ROWS: u32 = 65_536;
/// See [`MAX_STYLED_CELLS`].
pub const MAX_STYLED_COLS: u32 = 256;

// --- HTML tables (an HTML page saved as .xls) ---

/// The widest `colspan` read, as HTML itself caps it (a larger one is read as this).
pub const MAX_HTML_COLSPAN: u32 = 1000;

/// The tallest `rowspan` read, as HTML itself caps it (a larger one is read as this).
pub const MAX_HTML_ROWSPAN: u32 = 65_534;

/// The most paragraphs a Word report may hold (a 自评报告 has a few hundred; a book has some
/// ten thousand). Each costs a little memory besides its text, which counts against
/// [`MAX_CELL_BYTES`] with the tables' cells.
pub const MAX_DOCX_PARAGRAPHS: usize = 200_000;

/// The widest `w:gridSpan` read (Word's own tables are at most 63 columns wide; a larger span
/// is read as this).
pub const MAX_DOCX_GRIDSPAN: u32 = 1000;
