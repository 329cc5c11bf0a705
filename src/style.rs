//! A cell's look, as read from an xlsx (calamine's `Style`) and written back with
//! rust_xlsxwriter: font, fill, borders, alignment and number format. Identical styles compare
//! equal, so the writer builds one `Format` per distinct style, not one per cell.

use calamine::{BorderStyle, HorizontalAlignment, TextRotation, VerticalAlignment};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, FormatUnderline};

/// One side of a border: line style (rust_xlsxwriter's numbering) and RGB colour.
pub type Side = (u8, Option<u32>);

/// The parts of a cell style that zpcheck carries from input to output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CellStyle {
    /// Font name ("宋体").
    pub font_name: Option<String>,
    /// Font size in tenths of a point.
    pub font_size: Option<u32>,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Underlined.
    pub underline: bool,
    /// Struck through.
    pub strike: bool,
    /// Font colour (RGB).
    pub font_color: Option<u32>,
    /// Solid fill colour (RGB).
    pub fill: Option<u32>,
    /// Left, right, top, bottom borders.
    pub borders: [Side; 4],
    /// Horizontal alignment (0 general, 1 left, 2 center, 3 right, 4 fill, 5 justify,
    /// 6 center across, 7 distributed).
    pub h_align: u8,
    /// Vertical alignment (0 bottom, 1 top, 2 center, 3 justify, 4 distributed).
    pub v_align: u8,
    /// Wrap text.
    pub wrap: bool,
    /// Rotation in degrees as rust_xlsxwriter takes it (270 = stacked).
    pub rotation: i16,
    /// Indent level.
    pub indent: u8,
    /// Shrink to fit.
    pub shrink: bool,
    /// Number format code, when not General.
    pub num_fmt: Option<String>,
}

fn rgb(c: Option<calamine::Color>) -> Option<u32> {
    c.map(|c| c.to_argb() & 0x00FF_FFFF)
}

fn side(b: &calamine::Border) -> Side {
    let style = match b.style {
        BorderStyle::Thin => 1,
        BorderStyle::Medium => 2,
        BorderStyle::Dashed => 3,
        BorderStyle::Dotted => 4,
        BorderStyle::Thick => 5,
        BorderStyle::Double => 6,
        BorderStyle::Hair => 7,
        BorderStyle::MediumDashed => 8,
        BorderStyle::DashDot => 9,
        BorderStyle::MediumDashDot => 10,
        BorderStyle::DashDotDot => 11,
        BorderStyle::MediumDashDotDot => 12,
        BorderStyle::SlantDashDot => 13,
        _ => 0,
    };
    (style, if style == 0 { None } else { rgb(b.color) })
}

impl CellStyle {
    /// The zpcheck style of a calamine style.
    pub fn from_calamine(s: &calamine::Style) -> CellStyle {
        let mut out = CellStyle::default();
        if let Some(f) = &s.font {
            out.font_name = f.name.clone();
            out.font_size = f
                .size
                .map(|x| (x * 10.0).round().clamp(10.0, 4090.0) as u32);
            out.bold = f.is_bold();
            out.italic = f.is_italic();
            out.underline = f.has_underline();
            out.strike = f.has_strikethrough();
            out.font_color = rgb(f.color).filter(|c| *c != 0);
        }
        if let Some(fill) = s.fill.as_ref().filter(|f| f.is_visible()) {
            // The cell's colour: a solid fill's own, a pattern's background (the colour under
            // its dots, as zpcheck's marks are drawn for grey-scale printing).
            out.fill = match fill.pattern {
                calamine::FillPattern::Solid => rgb(fill.get_color()),
                _ => rgb(fill.background_color.or(fill.foreground_color)),
            };
        }
        if let Some(b) = &s.borders {
            out.borders = [side(&b.left), side(&b.right), side(&b.top), side(&b.bottom)];
        }
        if let Some(a) = &s.alignment {
            out.h_align = match a.horizontal {
                HorizontalAlignment::Left => 1,
                HorizontalAlignment::Center => 2,
                HorizontalAlignment::Right => 3,
                HorizontalAlignment::Fill => 4,
                HorizontalAlignment::Justify => 5,
                HorizontalAlignment::CenterContinuous => 6,
                HorizontalAlignment::Distributed => 7,
                _ => 0,
            };
            out.v_align = match a.vertical {
                VerticalAlignment::Top => 1,
                VerticalAlignment::Center => 2,
                VerticalAlignment::Justify => 3,
                VerticalAlignment::Distributed => 4,
                _ => 0,
            };
            out.wrap = a.wrap_text;
            out.rotation = match a.text_rotation {
                TextRotation::Degrees(d) if d <= 90 => d as i16,
                TextRotation::Degrees(d) if d <= 180 => 90 - d as i16,
                TextRotation::Stacked => 270,
                _ => 0,
            };
            out.indent = a.indent.unwrap_or(0);
            out.shrink = a.shrink_to_fit;
        }
        out.num_fmt = s
            .number_format
            .as_ref()
            .map(|n| n.format_code.clone())
            .filter(|c| !c.eq_ignore_ascii_case("General"));
        out
    }

    /// The rust_xlsxwriter format that draws this style.
    pub fn to_format(&self) -> Format {
        let mut f = Format::new();
        if let Some(n) = &self.font_name {
            f = f.set_font_name(n);
        }
        if let Some(sz) = self.font_size {
            f = f.set_font_size(f64::from(sz) / 10.0);
        }
        if self.bold {
            f = f.set_bold();
        }
        if self.italic {
            f = f.set_italic();
        }
        if self.underline {
            f = f.set_underline(FormatUnderline::Single);
        }
        if self.strike {
            f = f.set_font_strikethrough();
        }
        if let Some(c) = self.font_color {
            f = f.set_font_color(Color::RGB(c));
        }
        if let Some(c) = self.fill {
            f = f.set_background_color(Color::RGB(c));
        }
        let border = |code: u8| match code {
            1 => FormatBorder::Thin,
            2 => FormatBorder::Medium,
            3 => FormatBorder::Dashed,
            4 => FormatBorder::Dotted,
            5 => FormatBorder::Thick,
            6 => FormatBorder::Double,
            7 => FormatBorder::Hair,
            8 => FormatBorder::MediumDashed,
            9 => FormatBorder::DashDot,
            10 => FormatBorder::MediumDashDot,
            11 => FormatBorder::DashDotDot,
            12 => FormatBorder::MediumDashDotDot,
            13 => FormatBorder::SlantDashDot,
            _ => FormatBorder::None,
        };
        let [l, r, t, b] = self.borders;
        f = f
            .set_border_left(border(l.0))
            .set_border_right(border(r.0))
            .set_border_top(border(t.0))
            .set_border_bottom(border(b.0));
        for (i, (_, color)) in self.borders.iter().enumerate() {
            if let Some(c) = color {
                let c = Color::RGB(*c);
                f = match i {
                    0 => f.set_border_left_color(c),
                    1 => f.set_border_right_color(c),
                    2 => f.set_border_top_color(c),
                    _ => f.set_border_bottom_color(c),
                };
            }
        }
        f = match self.h_align {
            1 => f.set_align(FormatAlign::Left),
            2 => f.set_align(FormatAlign::Center),
            3 => f.set_align(FormatAlign::Right),
            4 => f.set_align(FormatAlign::Fill),
            5 => f.set_align(FormatAlign::Justify),
            6 => f.set_align(FormatAlign::CenterAcross),
            7 => f.set_align(FormatAlign::Distributed),
            _ => f,
        };
        f = match self.v_align {
            1 => f.set_align(FormatAlign::Top),
            2 => f.set_align(FormatAlign::VerticalCenter),
            3 => f.set_align(FormatAlign::VerticalJustify),
            4 => f.set_align(FormatAlign::VerticalDistributed),
            _ => f,
        };
        if self.wrap {
            f = f.set_text_wrap();
        }
        if self.rotation != 0 {
            f = f.set_rotation(self.rotation);
        }
        if self.indent > 0 {
            f = f.set_indent(self.indent);
        }
        if self.shrink {
            f = f.set_shrink();
        }
        if let Some(n) = &self.num_fmt {
            f = f.set_num_format(n);
        }
        f
    }
}
