//! What an .xls form looks like, for the rebuilt corrected workbook: each cell's font (name,
//! size, bold, italic, underline, colour), alignment, wrapping, borders, solid fill and number
//! format, from the BIFF8 FONT, FORMAT, XF and PALETTE records; column widths and row heights
//! from COLINFO and ROW; landscape and fit-to-page from SETUP and WSBOOL; frozen panes from
//! WINDOW2 and PANE. calamine exposes none of this for .xls.
//!
//! The stream was checked record by record before ([`super::check_biff_extent`]); every read
//! here is bounds-checked anyway, and a record too short for what it should hold is skipped: a
//! look that cannot be read costs its looks, never the correction.

use std::collections::HashMap;
use std::sync::Arc;

use crate::grid::{CellRef, Sheet};
use crate::read::SheetLook;
use crate::read::layout::SheetLayout;
use crate::style::CellStyle;

use crate::limits::{
    MAX_FONT_NAME_CHARS, MAX_FORMAT_CODE_CHARS, MAX_STYLE_RECORDS, MAX_STYLED_CELLS,
    MAX_STYLED_COLS, MAX_STYLED_ROWS,
};
// The built-in formats (an XF's format index below 164) are those .xlsx numbers the same way.
use crate::read::xlsx::direct::parts::builtin_format;

/// BIFF8's default colour palette, indices 8–63 (PALETTE records replace it).
const PALETTE: [u32; 56] = [
    0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0x800000,
    0x008000, 0x000080, 0x808000, 0x800080, 0x008080, 0xC0C0C0, 0x808080, 0x9999FF, 0x993366,
    0xFFFFCC, 0xCCFFFF, 0x660066, 0xFF8080, 0x0066CC, 0xCCCCFF, 0x000080, 0xFF00FF, 0xFFFF00,
    0x00FFFF, 0x800080, 0x800000, 0x008080, 0x0000FF, 0x00CCFF, 0xCCFFFF, 0xCCFFCC, 0xFFFF99,
    0x99CCFF, 0xFF99CC, 0xCC99FF, 0xFFCC99, 0x3366FF, 0x33CCCC, 0x99CC00, 0xFFCC00, 0xFF9900,
    0xFF6600, 0x666699, 0x969696, 0x003366, 0x339966, 0x003300, 0x333300, 0x993300, 0x993366,
    0x333399, 0x333333,
];

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*d.get(i)?, *d.get(i + 1)?]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *d.get(i)?,
        *d.get(i + 1)?,
        *d.get(i + 2)?,
        *d.get(i + 3)?,
    ]))
}

/// A BIFF8 unicode string of `cch` characters at `i` (flags byte first): UTF-16 or one byte
/// a character (Latin-1; an old exporter's GBK bytes are repaired as the grid's text is).
/// Callers cap `cch` at the longest string they keep: a longer one is not read at all.
fn unicode_string(d: &[u8], i: usize, cch: usize) -> Option<String> {
    let flags = *d.get(i)?;
    let body = d.get(i + 1..)?;
    if flags & 1 == 1 {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .take(cch)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        let text: String = body.iter().take(cch).map(|&b| char::from(b)).collect();
        Some(super::repair_gbk_text(&text).unwrap_or(text))
    }
}

/// One FONT record.
#[derive(Debug, Clone, Default)]
struct Font {
    name: Option<String>,
    /// Tenths of a point.
    size: Option<u32>,
    bold: bool,
    italic: bool,
    underline: bool,
    strike: bool,
    color: u16,
}

fn font(d: &[u8]) -> Option<Font> {
    let height = u16_at(d, 0)?;
    let grbit = u16_at(d, 2)?;
    let color = u16_at(d, 4)?;
    let weight = u16_at(d, 6)?;
    let underline = *d.get(10)?;
    let cch = usize::from(*d.get(14)?);
    Some(Font {
        // A name longer than any font's is dropped, not copied (see MAX_FONT_NAME_CHARS).
        name: (cch <= MAX_FONT_NAME_CHARS)
            .then(|| unicode_string(d, 15, cch))
            .flatten()
            .filter(|n| !n.is_empty()),
        size: (height > 0).then(|| u32::from(height) / 2),
        bold: weight >= 700,
        italic: grbit & 0x02 != 0,
        underline: underline != 0,
        strike: grbit & 0x08 != 0,
        color,
    })
}

/// What the workbook globals say about looks.
#[derive(Debug, Default)]
struct Globals {
    fonts: Vec<Font>,
    formats: HashMap<u16, String>,
    /// Each XF once, shared by every cell that uses it.
    xfs: Vec<Arc<CellStyle>>,
    palette: Vec<u32>,
    /// Each worksheet's substream offset, in BOUNDSHEET order.
    sheets: Vec<usize>,
}

impl Globals {
    fn color(&self, icv: u16) -> Option<u32> {
        match icv {
            // The eight fixed colours are the palette's first eight.
            0..=7 => PALETTE.get(usize::from(icv)).copied(),
            8..=63 => self.palette.get(usize::from(icv - 8)).copied(),
            _ => None,
        }
    }

    fn xf(&self, d: &[u8]) -> Option<CellStyle> {
        let ifnt = usize::from(u16_at(d, 0)?);
        let ifmt = u16_at(d, 2)?;
        let align = *d.get(6)?;
        let rotation = *d.get(7)?;
        let indent = *d.get(8)?;
        let borders = u32_at(d, 10)?;
        let borders2 = u32_at(d, 14)?;
        let fill = u16_at(d, 18)?;
        // Font index 4 is never written: indices above it are one less in the list.
        let f = self
            .fonts
            .get(if ifnt >= 4 { ifnt - 1 } else { ifnt })
            .cloned()
            .unwrap_or_default();
        let side = |style: u32, icv: u32| -> (u8, Option<u32>) {
            let style = (style & 0xF) as u8;
            (
                style,
                (style != 0)
                    .then(|| self.color(icv as u16))
                    .flatten()
                    .filter(|c| *c != 0),
            )
        };
        let pattern = (borders2 >> 26) & 0x3F;
        Some(CellStyle {
            font_name: f.name,
            font_size: f.size,
            bold: f.bold,
            italic: f.italic,
            underline: f.underline,
            strike: f.strike,
            font_color: self.color(f.color).filter(|c| *c != 0),
            fill: (pattern == 1).then(|| self.color(fill & 0x7F)).flatten(),
            borders: [
                side(borders, (borders >> 16) & 0x7F),
                side(borders >> 4, (borders >> 23) & 0x7F),
                side(borders >> 8, borders2 & 0x7F),
                side(borders >> 12, (borders2 >> 7) & 0x7F),
            ],
            h_align: align & 0x07,
            // BIFF: 0 top, 1 centre, 2 bottom; CellStyle: 0 bottom, 1 top, 2 centre.
            v_align: match (align >> 4) & 0x07 {
                0 => 1,
                1 => 2,
                3 => 3,
                4 => 4,
                _ => 0,
            },
            wrap: align & 0x08 != 0,
            rotation: match rotation {
                0..=90 => i16::from(rotation),
                91..=180 => 90 - i16::from(rotation),
                255 => 270,
                _ => 0,
            },
            indent: indent & 0x0F,
            shrink: indent & 0x10 != 0,
            num_fmt: self
                .formats
                .get(&ifmt)
                .cloned()
                .or_else(|| builtin_format(u32::from(ifmt)).map(str::to_string))
                .filter(|c| !c.eq_ignore_ascii_case("General")),
        })
    }
}

/// The records of a stream from `pos`: (type, data), up to the end of the stream.
fn records(stream: &[u8], mut pos: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = u16_at(stream, pos)?;
        let len = usize::from(u16_at(stream, pos + 2)?);
        let data = stream.get(pos + 4..pos + 4 + len)?;
        pos += 4 + len;
        Some((typ, data))
    })
}

fn globals(stream: &[u8]) -> Globals {
    let mut g = Globals {
        palette: PALETTE.to_vec(),
        ..Globals::default()
    };
    let mut first = true;
    for (typ, d) in records(stream, 0) {
        match typ {
            0x0809 if first => first = false,
            0x000A => break,
            // Past MAX_STYLE_RECORDS of a kind, the rest are not read: cells that use them
            // are drawn plainly.
            0x0031 if g.fonts.len() < MAX_STYLE_RECORDS => {
                g.fonts.push(font(d).unwrap_or_default())
            }
            0x041E if g.formats.len() < MAX_STYLE_RECORDS => {
                if let (Some(ifmt), Some(cch)) = (u16_at(d, 0), u16_at(d, 2))
                    && usize::from(cch) <= MAX_FORMAT_CODE_CHARS
                    && let Some(code) = unicode_string(d, 4, usize::from(cch))
                {
                    g.formats.insert(ifmt, code);
                }
            }
            0x0092 => {
                let n = usize::from(u16_at(d, 0).unwrap_or(0));
                for k in 0..n.min(56) {
                    if let Some(rgb) = d.get(2 + 4 * k..5 + 4 * k) {
                        g.palette[k] =
                            u32::from(rgb[0]) << 16 | u32::from(rgb[1]) << 8 | u32::from(rgb[2]);
                    }
                }
            }
            0x00E0 if g.xfs.len() < MAX_STYLE_RECORDS => {
                let xf = g.xf(d).unwrap_or_default();
                g.xfs.push(Arc::new(xf));
            }
            // BOUNDSHEET: worksheets only (not charts or macro sheets), as calamine lists them.
            0x0085 => {
                if let (Some(offset), Some(0)) = (u32_at(d, 0), d.get(5)) {
                    g.sheets.push(offset as usize);
                }
            }
            _ => {}
        }
    }
    g
}

/// The look of the worksheet whose substream starts at `offset`: styled cells inside `extent`
/// (see [`Sheet::styled_extent`]) while `budget` lasts (styled cells left for the workbook).
fn sheet(
    stream: &[u8],
    offset: usize,
    g: &Globals,
    sheet: &Sheet,
    budget: &mut usize,
) -> SheetLook {
    let name = &sheet.name;
    let (rows, cols) = sheet.styled_extent();
    let mut styles: HashMap<CellRef, Arc<CellStyle>> = HashMap::new();
    let mut layout = SheetLayout::default();
    let mut frozen = false;
    let mut pane: Option<(u32, u32)> = None;
    let mut fit = false;
    let mut fit_pages = (1u16, 1u16);
    let mut put = |row: u16, col: u16, ixfe: u16| {
        let (row, col) = (u32::from(row), u32::from(col));
        if row < rows
            && col < cols
            && *budget > 0
            && let Some(style) = g.xfs.get(usize::from(ixfe))
            && styles
                .insert(CellRef::new(row, col), Arc::clone(style))
                .is_none()
        {
            *budget -= 1;
        }
    };
    for (typ, d) in records(stream, offset).skip(1) {
        match typ {
            0x000A | 0x0809 => break,
            // LABELSST, LABEL, NUMBER, RK, BOOLERR, FORMULA, BLANK: row, column, XF.
            0x00FD | 0x0204 | 0x0203 | 0x027E | 0x0205 | 0x0006 | 0x0201 => {
                if let (Some(r), Some(c), Some(x)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4)) {
                    put(r, c, x);
                }
            }
            // MULRK (XF and RK value per cell) and MULBLANK (XF per cell).
            0x00BD | 0x00BE => {
                let step = if typ == 0x00BD { 6 } else { 2 };
                if let (Some(r), Some(first)) = (u16_at(d, 0), u16_at(d, 2)) {
                    let n = d.len().saturating_sub(6) / step;
                    for k in 0..n {
                        if let Some(x) = u16_at(d, 4 + k * step) {
                            put(r, first.saturating_add(k as u16), x);
                        }
                    }
                }
            }
            // COLINFO: widths in 1/256 of a character, as .xlsx stores them.
            0x007D => {
                if let (Some(a), Some(b), Some(w), Some(flags)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 8))
                {
                    for col in u32::from(a)..=u32::from(b).min(MAX_STYLED_COLS - 1) {
                        layout
                            .columns
                            .insert(col, (Some(f64::from(w) / 256.0), flags & 1 != 0));
                    }
                }
            }
            // ROW: height in twips.
            0x0208 => {
                if let (Some(r), Some(h), Some(flags)) = (u16_at(d, 0), u16_at(d, 6), u16_at(d, 12))
                    && u32::from(r) < MAX_STYLED_ROWS
                {
                    let height = f64::from(h & 0x7FFF) / 20.0;
                    layout
                        .rows
                        .insert(u32::from(r), (Some(height), flags & 0x20 != 0));
                }
            }
            // WINDOW2: frozen panes; PANE: where.
            0x023E => frozen = u16_at(d, 0).is_some_and(|f| f & 0x08 != 0),
            0x0041 => {
                if let (Some(x), Some(y)) = (u16_at(d, 0), u16_at(d, 2)) {
                    pane = Some((u32::from(y), u32::from(x)));
                }
            }
            // WSBOOL: fit to pages.
            0x0081 => fit = u16_at(d, 0).is_some_and(|f| f & 0x0100 != 0),
            // SETUP: orientation (unless its print settings are marked invalid) and fit.
            0x00A1 => {
                if let (Some(w), Some(h), Some(flags)) = (u16_at(d, 6), u16_at(d, 8), u16_at(d, 10))
                {
                    layout.landscape = flags & 0x02 == 0 && flags & 0x04 == 0;
                    // The paper size (iPaperSize), unless the print settings are invalid.
                    layout.paper = u16_at(d, 0).filter(|p| *p != 0 && flags & 0x04 == 0);
                    fit_pages = (w, h);
                }
            }
            _ => {}
        }
    }
    if frozen {
        layout.freeze = pane.filter(|p| *p != (0, 0));
    }
    if fit {
        layout.fit_to_pages = Some(fit_pages);
    }
    SheetLook {
        name: name.to_string(),
        styles,
        layout: Some(layout),
    }
}

/// The looks of the workbook's worksheets, in order, from its checked BIFF8 workbook stream;
/// `sheets` are the grid's (their values and merged ranges bound the styled cells kept, and
/// [`MAX_STYLED_CELLS`] bounds them for the workbook). Empty when the worksheets cannot be
/// matched with the grid's sheets one for one (the rebuild then draws its plain style).
pub fn looks(stream: &[u8], sheets: &[Sheet]) -> Vec<SheetLook> {
    let g = globals(stream);
    if g.sheets.len() != sheets.len() || g.xfs.is_empty() {
        return Vec::new();
    }
    let mut budget = MAX_STYLED_CELLS;
    g.sheets
        .iter()
        .zip(sheets)
        .map(|(offset, s)| sheet(stream, *offset, &g, s, &mut budget))
        .collect()
}
