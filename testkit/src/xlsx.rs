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
                } else {
                    base.clone()
                }
            } else if matches!(v, V::P(_)) {
                pct.clone()
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
                    V::N(x) | V::P(x) => {
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
        let widths = [12.0, 14.0, 22.0, 12.0, 12.0, 10.0, 12.0, 10.0, 24.0];
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w).expect("width");
        }
        extra(ws);
    }
    wb.save(path).expect("save xlsx");
}

/// Writes specs to a fresh temporary folder and returns (folder, path of the workbook).
pub fn write_temp(sheets: &[SheetSpec]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("form.xlsx");
    write_xlsx(&path, sheets);
    (dir, path)
}
