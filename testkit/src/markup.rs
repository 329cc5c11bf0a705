//! A spec written the way government systems' "导出Excel" write a form: an HTML table saved as
//! `.xls` (in GBK, declared in a `<meta>`, or UTF-8) and SpreadsheetML 2003. Numbers are text in
//! the HTML as its export shows them ("95.86%", "1,080.5"); formulas are written as their
//! results (neither export keeps the A1 formula).

use crate::spec::{SheetSpec, V, a1_pos};

/// A merged range's (first, last) zero-based positions.
pub(crate) fn merges(spec: &SheetSpec) -> Vec<((usize, usize), (usize, usize))> {
    spec.merges
        .iter()
        .map(|m| {
            let (a, b) = m.split_once(':').expect("range");
            (a1_pos(a), a1_pos(b))
        })
        .collect()
}

/// A number as its cell shows it: a percent cell "95.86%", a number format's decimals.
pub(crate) fn shown(v: &V) -> Option<String> {
    Some(match v {
        V::E => return None,
        V::S(t) => t.clone(),
        V::N(x) => format!("{x}"),
        V::P(x) => format!("{:.2}%", x * 100.0),
        V::NF(x, f) => {
            let decimals = f.split_once('.').map_or(0, |(_, d)| d.len());
            format!("{x:.decimals$}")
        }
        V::F(_, x) => format!("{x}"),
        V::FNoCache(_) => return None,
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "<br>")
}

/// The spec as an HTML page with one table; `gbk` writes it in GBK with a `charset=gb2312`
/// `<meta>`, as older systems do, otherwise UTF-8.
pub fn html_of(spec: &SheetSpec, gbk: bool) -> Vec<u8> {
    let ms = merges(spec);
    let covered = |r: usize, c: usize| {
        ms.iter().any(|&((r0, c0), (r1, c1))| {
            (r0..=r1).contains(&r) && (c0..=c1).contains(&c) && (r, c) != (r0, c0)
        })
    };
    let charset = if gbk { "gb2312" } else { "utf-8" };
    let mut out = format!(
        "<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\n<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\"><title>{}</title></head>\n<body>\n<table border=\"1\">\n",
        escape(&spec.name)
    );
    let width = spec.rows.iter().map(Vec::len).max().unwrap_or(0);
    for (r, row) in spec.rows.iter().enumerate() {
        out.push_str("<tr>");
        for c in 0..width.max(1) {
            if covered(r, c) {
                continue;
            }
            let mut td = String::from("<td");
            if let Some(&((_, _), (r1, c1))) = ms.iter().find(|((r0, c0), _)| (*r0, *c0) == (r, c))
            {
                if c1 > c {
                    td.push_str(&format!(" colspan=\"{}\"", c1 - c + 1));
                }
                if r1 > r {
                    td.push_str(&format!(" rowspan={}", r1 - r + 1));
                }
            }
            let text = row.get(c).and_then(shown).unwrap_or_default();
            out.push_str(&format!("{td}>{}</td>", escape(&text)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</body>\n</html>\n");
    if gbk {
        encoding_rs::GBK.encode(&out).0.into_owned()
    } else {
        out.into_bytes()
    }
}

/// The spec as a SpreadsheetML 2003 workbook: typed values, percent cells in a "0.00%" style,
/// merged ranges as `ss:MergeAcross`/`ss:MergeDown`, empty cells skipped by `ss:Index`.
pub fn spreadsheetml_of(spec: &SheetSpec) -> Vec<u8> {
    let ms = merges(spec);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">\n <Styles>\n  <Style ss:ID=\"pct\"><NumberFormat ss:Format=\"0.00%\"/></Style>\n",
    );
    let mut formats: Vec<String> = Vec::new();
    for row in &spec.rows {
        for v in row {
            if let V::NF(_, f) = v
                && !formats.contains(f)
            {
                formats.push(f.clone());
            }
        }
    }
    for (i, f) in formats.iter().enumerate() {
        out.push_str(&format!(
            "  <Style ss:ID=\"f{i}\"><NumberFormat ss:Format=\"{}\"/></Style>\n",
            escape(f)
        ));
    }
    out.push_str(&format!(
        " </Styles>\n <Worksheet ss:Name=\"{}\">\n  <Table>\n",
        escape(&spec.name)
    ));
    for (r, row) in spec.rows.iter().enumerate() {
        out.push_str("   <Row>");
        let mut next = 0;
        for (c, v) in row.iter().enumerate() {
            let merge = ms.iter().find(|((r0, c0), _)| (*r0, *c0) == (r, c));
            let (typ, text, style) = match v {
                V::E | V::FNoCache(_) if merge.is_none() => continue,
                V::E | V::FNoCache(_) => ("", String::new(), None),
                V::S(t) => ("String", escape(t), None),
                V::N(x) | V::F(_, x) => ("Number", format!("{x}"), None),
                V::P(x) => ("Number", format!("{x}"), Some("pct".to_string())),
                V::NF(x, f) => (
                    "Number",
                    format!("{x}"),
                    formats.iter().position(|g| g == f).map(|i| format!("f{i}")),
                ),
            };
            let mut cell = String::from("<Cell");
            if c != next {
                cell.push_str(&format!(" ss:Index=\"{}\"", c + 1));
            }
            if let Some(s) = style {
                cell.push_str(&format!(" ss:StyleID=\"{s}\""));
            }
            if let Some(&(_, (r1, c1))) = merge {
                if c1 > c {
                    cell.push_str(&format!(" ss:MergeAcross=\"{}\"", c1 - c));
                }
                if r1 > r {
                    cell.push_str(&format!(" ss:MergeDown=\"{}\"", r1 - r));
                }
            }
            if typ.is_empty() {
                out.push_str(&format!("{cell}/>"));
            } else {
                out.push_str(&format!(
                    "{cell}><Data ss:Type=\"{typ}\">{text}</Data></Cell>"
                ));
            }
            next = c + 1 + merge.map_or(0, |&(_, (_, c1))| c1 - c);
        }
        out.push_str("</Row>\n");
    }
    out.push_str("  </Table>\n </Worksheet>\n</Workbook>\n");
    out.into_bytes()
}
