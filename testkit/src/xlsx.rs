//! Writing specs to .xlsx with rust_xlsxwriter, with the look of a printed form.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook};

use crate::spec::{SheetSpec, V, a1_pos};

/// Writes sheets to an .xlsx file, with borders around each form's grid.
pub fn write_xlsx(path: &Path, sheets: &[SheetSpec]) {
    write_xlsx_with(path, sheets, |_| {});
}

/// Like [`write_xlsx`], then lets the caller add to each worksheet (notes, validation…).
pub fn write_xlsx_with(
    path: &Path,
    sheets: &[SheetSpec],
    extra: impl Fn(&mut rust_xlsxwriter::Worksheet),
) {
    write_xlsx_props(path, sheets, rust_xlsxwriter::DocProperties::new(), extra);
}

/// Like [`write_xlsx_with`], with document properties (title, author…).
pub fn write_xlsx_props(
    path: &Path,
    sheets: &[SheetSpec],
    props: rust_xlsxwriter::DocProperties,
    extra: impl Fn(&mut rust_xlsxwriter::Worksheet),
) {
    let mut wb = Workbook::new();
    // A fixed creation date keeps regenerated samples byte-for-byte the same.
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 4, 23).expect("date");
    wb.set_properties(&props.set_creation_datetime(&created));
    let base = Format::new()
        .set_font_name("宋体")
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let grid = base.clone().set_border(FormatBorder::Thin);
    let pct = grid.clone().set_num_format("0.00%");
    let title = Format::new()
        .set_font_name("宋体")
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center);
    for spec in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&spec.name).expect("sheet name");
        // Rows before the first header are title lines; everything after is the bordered grid.
        let first_grid = spec
            .rows
            .iter()
            .position(|r| {
                r.iter()
                    .any(|v| matches!(v, V::S(t) if t.contains("预算数") || t.contains("一级指标")))
            })
            .unwrap_or(0);
        let fmt_for = |r: usize, v: &V| -> Format {
            if r < first_grid {
                if matches!(v, V::S(t) if t.contains("自评表")) {
                    title.clone()
                } else if matches!(v, V::S(t) if t.starts_with('（') && t.ends_with('）')) {
                    // "（2023年度）" under the title.
                    base.clone().set_align(FormatAlign::Center)
                } else {
                    base.clone()
                }
            } else if matches!(v, V::P(_)) {
                pct.clone()
            } else if let V::NF(_, f) = v {
                grid.clone().set_num_format(f)
            } else {
                grid.clone()
            }
        };
        for m in &spec.merges {
            let (a, b) = m.split_once(':').expect("range");
            let (r1, c1) = a1_pos(a);
            let (r2, c2) = a1_pos(b);
            let top = spec
                .rows
                .get(r1)
                .and_then(|row| row.get(c1))
                .cloned()
                .unwrap_or(V::E);
            let text = if let V::S(t) = &top {
                t.clone()
            } else {
                String::new()
            };
            ws.merge_range(
                r1 as u32,
                c1 as u16,
                r2 as u32,
                c2 as u16,
                &text,
                &fmt_for(r1, &top),
            )
            .expect("merge");
        }
        let merged_hidden = |r: usize, c: usize| {
            spec.merges.iter().any(|m| {
                let (a, b) = m.split_once(':').expect("range");
                let (r1, c1) = a1_pos(a);
                let (r2, c2) = a1_pos(b);
                r >= r1 && r <= r2 && c >= c1 && c <= c2 && (r, c) != (r1, c1)
            })
        };
        for (r, row) in spec.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if merged_hidden(r, c) {
                    continue;
                }
                let is_merge_top = spec
                    .merges
                    .iter()
                    .any(|m| a1_pos(m.split_once(':').expect("range").0) == (r, c));
                let f = fmt_for(r, v);
                let (r32, c16) = (r as u32, c as u16);
                match v {
                    V::E => {
                        if r >= first_grid && !is_merge_top {
                            ws.write_blank(r32, c16, &f).expect("blank");
                        }
                    }
                    V::S(t) => {
                        if !is_merge_top {
                            ws.write_string_with_format(r32, c16, t, &f)
                                .expect("string");
                        }
                    }
                    V::N(x) | V::P(x) | V::NF(x, _) => {
                        ws.write_number_with_format(r32, c16, *x, &f)
                            .expect("number");
                    }
                    V::F(formula, cached) => {
                        let fo = Formula::new(format!("={formula}")).set_result(cached.to_string());
                        ws.write_formula_with_format(r32, c16, fo, &f)
                            .expect("formula");
                    }
                    V::FNoCache(formula) => {
                        ws.write_formula_with_format(
                            r32,
                            c16,
                            Formula::new(format!("={formula}")),
                            &f,
                        )
                        .expect("formula");
                    }
                }
            }
        }
        let layout = PrintLayout::of(spec, first_grid);
        for (c, w) in layout.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w).expect("width");
        }
        for (r, h) in &layout.heights {
            ws.set_row_height(*r as u32, *h).expect("height");
        }
        // As the forms are printed: A4 landscape, one page wide, centred.
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_print_center_horizontally(true);
        ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
        extra(ws);
    }
    wb.save(path).expect("save xlsx");
}

/// Column widths and row heights that make a spec look like the printed form: each column as
/// wide as its longest unmerged text (CJK characters count two), within bounds, and each row as
/// tall as its most wrapped text needs (a merged cell spreads its lines over its rows).
struct PrintLayout {
    widths: Vec<f64>,
    heights: Vec<(usize, f64)>,
}

impl PrintLayout {
    /// Points per line of 11-point 宋体, and the title's height.
    const LINE: f64 = 14.25;
    const TITLE: f64 = 27.0;

    fn of(spec: &SheetSpec, first_grid: usize) -> Self {
        use unicode_width::UnicodeWidthStr as _;
        let text = |v: &V| match v {
            V::S(t) => t.width(),
            V::N(x) | V::P(x) | V::NF(x, _) | V::F(_, x) => format!("{x}").len() + 1,
            V::FNoCache(_) | V::E => 0,
        };
        let merges: Vec<((usize, usize), (usize, usize))> = spec
            .merges
            .iter()
            .map(|m| {
                let (a, b) = m.split_once(':').expect("range");
                (a1_pos(a), a1_pos(b))
            })
            .collect();
        let merge_at = |r: usize, c: usize| {
            merges
                .iter()
                .find(|((r1, c1), (r2, c2))| r >= *r1 && r <= *r2 && c >= *c1 && c <= *c2)
        };
        let cols = spec
            .rows
            .iter()
            .map(Vec::len)
            .chain(merges.iter().map(|(_, (_, c2))| c2 + 1))
            .max()
            .unwrap_or(0);
        // Cells in merges do not widen their column: they wrap in the merge instead.
        let mut widths = vec![8.0f64; cols];
        for (r, row) in spec.rows.iter().enumerate().skip(first_grid) {
            for (c, v) in row.iter().enumerate() {
                if merge_at(r, c).is_none() {
                    widths[c] = widths[c].max((text(v) as f64 + 2.0).min(24.0));
                }
            }
        }
        let mut heights: Vec<(usize, f64)> = Vec::new();
        for (r, row) in spec.rows.iter().enumerate() {
            if row
                .iter()
                .any(|v| matches!(v, V::S(t) if t.contains("自评表")))
                && r < first_grid
            {
                heights.push((r, Self::TITLE));
                continue;
            }
            let mut lines = 1.0f64;
            for (c, v) in row.iter().enumerate() {
                let (width, span) = match merge_at(r, c) {
                    Some(((r1, c1), (r2, c2))) if (*r1, *c1) == (r, c) => {
                        (widths[*c1..=*c2].iter().sum::<f64>(), (r2 - r1 + 1) as f64)
                    }
                    Some(_) => continue,
                    None => (widths[c], 1.0),
                };
                let need = (text(v) as f64 / (width - 1.0)).ceil() / span;
                lines = lines.max(need.ceil());
            }
            if lines > 1.0 {
                heights.push((r, lines * Self::LINE + 4.0));
            }
        }
        PrintLayout { widths, heights }
    }
}

/// Writes specs to a fresh temporary folder and returns (folder, path of the workbook).
pub fn write_temp(sheets: &[SheetSpec]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("form.xlsx");
    write_xlsx(&path, sheets);
    (dir, path)
}

/// The sum of a worksheet part's column widths (`<col min max width>`, each span counted
/// once per column), as stored: how wide the sheet prints before fit-to-page scaling.
pub fn stored_column_widths(sheet_xml: &str) -> f64 {
    sheet_xml
        .split("<col ")
        .skip(1)
        .map(|c| {
            let attr = |name: &str| -> f64 {
                let at = c.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
                c[at..at + c[at..].find('"').expect("quote")]
                    .parse()
                    .expect("number")
            };
            attr("width") * (attr("max") - attr("min") + 1.0)
        })
        .sum()
}
