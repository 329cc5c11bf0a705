//! Hostile inputs under a resource harness: each is generated here (none is committed), run
//! through the zpcheck binary (`check --format json`, then `fix -o`) under an address-space
//! cap, and each run must end on its own terms (an exit status, never a signal), within the
//! time limit and with its peak memory (the child's own, from `wait4`) under 512 MiB.
//!
//! One `#[test]` runs the cases one after another, so no two children compete for the two
//! cores and the timings mean something. The limits are the README's: 10 s and 512 MiB for any
//! single input; an unoptimised build (`cargo test`) gets four times the time.
#![cfg(target_os = "linux")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Peak resident memory any run may reach.
const MAX_PEAK_MIB: u64 = 512;
/// The address space each run gets: past it an allocation fails (and the process aborts), so
/// a memory bomb shows as a signal instead of as a slow machine.
const ADDRESS_SPACE_MIB: u64 = 2048;
/// The time any run may take.
fn max_time() -> Duration {
    Duration::from_secs(if cfg!(debug_assertions) { 40 } else { 10 })
}

struct Ran {
    code: Option<i32>,
    signal: Option<i32>,
    peak_mib: u64,
    took: Duration,
    stdout: String,
    stderr: String,
}

/// Runs the binary with `args` under the address-space cap; stdout and stderr go to files, so
/// no pipe can block the child while it is waited for. The child is reaped by `wait4` (which
/// also gives its own peak memory), not by `Child::wait`, hence the lint's exception.
#[allow(clippy::zombie_processes)]
fn run_limited(args: &[&std::ffi::OsStr], dir: &Path) -> Ran {
    let out = dir.join("stdout.txt");
    let err = dir.join("stderr.txt");
    // Linux copies a process's peak memory into the child it forks and keeps it across exec:
    // what wait4 reports is the larger of this test's own peak and zpcheck's. The inputs are
    // therefore streamed into their files, never held whole, so that this test's peak stays
    // small (an over-estimate on the safe side) and the figure is zpcheck's.
    let start = Instant::now();
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {} && exec \"$0\" \"$@\"",
            ADDRESS_SPACE_MIB * 1024
        ))
        .arg(env!("CARGO_BIN_EXE_zpcheck"))
        .args(args)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 writes it for the child waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet waited for; status and usage are valid pointers.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid, "wait4");
    let took = start.elapsed();
    Ran {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        peak_mib: usage.ru_maxrss as u64 / 1024,
        took,
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
    }
}

/// `check --format json` and `fix -o` on one input: both within the limits, with the exit
/// status expected; returns the check's JSON.
fn assert_bounded(name: &str, input: &Path, codes: &[i32]) -> serde_json::Value {
    let dir = input.parent().unwrap();
    let out = dir.join(format!("{name}_out.xlsx"));
    let check = run_limited(
        &[
            "check".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            input.as_os_str(),
        ],
        dir,
    );
    let fix = run_limited(
        &[
            "fix".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        dir,
    );
    for (what, r) in [("check", &check), ("fix", &fix)] {
        eprintln!(
            "{name} {what}: status {:?}/{:?}, {:.2} s, {} MiB",
            r.code,
            r.signal,
            r.took.as_secs_f64(),
            r.peak_mib
        );
        assert_eq!(r.signal, None, "{name} {what} was killed: {}", r.stderr);
        let code = r.code.unwrap();
        assert!(
            codes.contains(&code),
            "{name} {what}: exit {code}: {}",
            r.stderr
        );
        assert!(
            !r.stderr.contains("panicked"),
            "{name} {what}: {}",
            r.stderr
        );
        assert!(r.took <= max_time(), "{name} {what}: {:?}", r.took);
        assert!(
            r.peak_mib <= MAX_PEAK_MIB,
            "{name} {what}: {} MiB",
            r.peak_mib
        );
    }
    serde_json::from_str(&check.stdout).unwrap_or_else(|e| panic!("{name}: {e}: {}", check.stdout))
}

const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A part of the workbook besides the sheets: relationship type (last word), file name under
/// `xl/`, content type (last word) and bytes.
type Extra = (&'static str, &'static str, &'static str, Vec<u8>);

/// Writes worksheet `i`'s XML.
type SheetWriter<'a> = &'a dyn Fn(usize, &mut dyn Write);

/// An .xlsx with worksheets of the given names, each written straight into the zip by `write`
/// (never held whole: this process's own peak memory is inherited by the children it starts,
/// see [`run_limited`]), and other workbook parts.
fn xlsx(path: &Path, names: &[String], write: SheetWriter<'_>, extras: Vec<Extra>) {
    xlsx_with(path, "", names, write, extras);
}

/// [`xlsx`] with `workbook_pr` (XML) in the workbook part before its sheets.
fn xlsx_with(
    path: &Path,
    workbook_pr: &str,
    names: &[String],
    write: SheetWriter<'_>,
    extras: Vec<Extra>,
) {
    let mut book = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{REL_NS}">{workbook_pr}<sheets>"#
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    for (i, name) in names.iter().enumerate() {
        let n = i + 1;
        book.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
    }
    book.push_str("</sheets></workbook>");
    let mut parts = Vec::new();
    for (i, (rel, file, content, bytes)) in extras.into_iter().enumerate() {
        rels.push_str(&format!(
            r#"<Relationship Id="rIdX{i}" Type="{REL_NS}/{rel}" Target="{file}"/>"#
        ));
        types.push_str(&format!(r#"<Override PartName="/xl/{file}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.{content}+xml"/>"#));
        parts.push((format!("xl/{file}"), bytes));
    }
    rels.push_str("</Relationships>");
    types.push_str("</Types>");
    let mut all = vec![
        ("[Content_Types].xml".to_string(), types.into_bytes()),
        ("_rels/.rels".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).into_bytes()),
        ("xl/workbook.xml".into(), book.into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()),
    ];
    all.extend(parts);
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in &all {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(data).unwrap();
    }
    for i in 0..names.len() {
        w.start_file(format!("xl/worksheets/sheet{}.xml", i + 1), opts)
            .unwrap();
        write(i, &mut w);
    }
    w.finish().unwrap();
}

/// A workbook of one sheet, 表1, whose sheetData holds `body`, followed by `merges`.
fn one_sheet(path: &Path, body: &str, merges: &str, extras: Vec<Extra>) {
    xlsx(
        path,
        &["表1".to_string()],
        &|_, w| sheet_xml(w, &|w| w.write_all(body.as_bytes()).unwrap(), merges),
        extras,
    );
}

/// A worksheet's XML around the sheetData body `body` writes.
fn sheet_xml(w: &mut dyn Write, body: &dyn Fn(&mut dyn Write), merges: &str) {
    write!(
        w,
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>"#
    )
    .unwrap();
    body(w);
    write!(w, "</sheetData>{merges}</worksheet>").unwrap();
}

/// Formulas 16,000 deep (parentheses, unary minus, SUM inside SUM) with no cached result:
/// the evaluator used to recurse once per level and overflow its stack, aborting the batch.
fn deep_formulas(dir: &Path) -> PathBuf {
    let deep = 16_000;
    let formulas = [
        format!("{}1{}", "(".repeat(deep), ")".repeat(deep)),
        format!("{}1", "-".repeat(deep)),
        format!("{}1{}", "SUM(".repeat(deep), ")".repeat(deep)),
    ];
    let body: String = formulas
        .iter()
        .enumerate()
        .map(|(i, f)| format!(r#"<row r="{0}"><c r="A{0}"><f>{f}</f></c></row>"#, i + 1))
        .collect();
    let path = dir.join("deep_formulas.xlsx");
    one_sheet(&path, &body, "", Vec::new());
    path
}

/// 200,000 two-cell merges and no 总分 row: every row's look-up scanned every merge (minutes).
fn many_merges(dir: &Path) -> PathBuf {
    let rows = 200_000;
    let mut body = String::new();
    let mut merges = format!(r#"<mergeCells count="{rows}">"#);
    for r in 1..=rows {
        body.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>指标{r}</t></is></c></row>"#
        ));
        merges.push_str(&format!(r#"<mergeCell ref="A{r}:B{r}"/>"#));
    }
    merges.push_str("</mergeCells>");
    let path = dir.join("many_merges.xlsx");
    one_sheet(&path, &body, &merges, Vec::new());
    path
}

/// The seed form's sheet 4,500 times in one workbook: the fixing writer tried each new part's
/// name against every part added before it (cubic: over 150 s). With its styles, as every
/// spreadsheet program writes a workbook, so the corrections are patched in; a workbook that
/// must be rebuilt costs far more memory per cell (see the README's limits).
fn many_form_sheets(dir: &Path) -> PathBuf {
    let (sheet, extras) = seed_parts();
    let names: Vec<String> = (1..=4_500).map(|i| format!("表{i}")).collect();
    let path = dir.join("many_form_sheets.xlsx");
    xlsx(&path, &names, &|_, w| w.write_all(&sheet).unwrap(), extras);
    path
}

/// The seed form's parts: its sheet, shared strings and styles.
fn seed_parts() -> (Vec<u8>, Vec<Extra>) {
    let seed = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/seed_kelamayi_2023.xlsx"),
    )
    .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(seed)).unwrap();
    let mut part = |name: &str| {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut v).unwrap();
        v
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    let extras = vec![
        (
            "sharedStrings",
            "sharedStrings.xml",
            "sharedStrings",
            part("xl/sharedStrings.xml"),
        ),
        ("styles", "styles.xml", "styles", part("xl/styles.xml")),
    ];
    (sheet, extras)
}

/// The seed form and beside it a sheet of `rows` × 1,000 styled text cells, each 16
/// characters long, in a workbook with 1904 dates, which the patcher does not take on: the
/// most costly rebuild there is (the workbook is read again with every cell's style, and drawn
/// anew). The rebuild's limits (250,000 cells, 16 MB of text) must keep it under 512 MiB.
fn rebuilt_styled_text(dir: &Path, name: &str, rows: u32) -> PathBuf {
    let (seed, extras) = seed_parts();
    let path = dir.join(format!("{name}.xlsx"));
    let names = ["表1".to_string(), "明细".to_string()];
    let big = |w: &mut dyn Write| {
        for r in 1..=rows {
            write!(w, r#"<row r="{r}">"#).unwrap();
            for c in 0..1_000u32 {
                let col = zpcheck::grid::CellRef::col_name(c);
                write!(
                    w,
                    r#"<c r="{col}{r}" s="1" t="inlineStr"><is><t>明细{r:05}-{c:04}数据数据数据数据数据数据</t></is></c>"#
                )
                .unwrap();
            }
            w.write_all(b"</row>").unwrap();
        }
    };
    xlsx_with(
        &path,
        r#"<workbookPr date1904="1"/>"#,
        &names,
        &|i, w| {
            if i == 0 {
                w.write_all(&seed).unwrap();
            } else {
                sheet_xml(w, &big, "");
            }
        },
        extras,
    );
    path
}

/// One shared string of 1 MB used by 2,000 cells: 2 GB if each cell copies it.
fn shared_string_bomb(dir: &Path) -> PathBuf {
    let big = "字".repeat(350_000);
    let strings = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="2000" uniqueCount="1"><si><t>{big}</t></si></sst>"#
    );
    let body: String = (1..=2_000)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#))
        .collect();
    let path = dir.join("shared_string_bomb.xlsx");
    let extras = vec![(
        "sharedStrings",
        "sharedStrings.xml",
        "sharedStrings",
        strings.into_bytes(),
    )];
    one_sheet(&path, &body, "", extras);
    path
}

/// A custom number format of 1 MB on 2,000 empty styled cells.
fn number_format_bomb(dir: &Path) -> PathBuf {
    let code = "0".repeat(1 << 20);
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><numFmts count="1"><numFmt numFmtId="200" formatCode="{code}"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="200" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#
    );
    let body: String = (1..=2_000)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}" s="1"><v>1</v></c></row>"#))
        .collect();
    let path = dir.join("number_format_bomb.xlsx");
    let extras = vec![("styles", "styles.xml", "styles", styles.into_bytes())];
    one_sheet(&path, &body, "", extras);
    path
}

/// A shared formula of 1,000,000 terms (2 MB) used by 2,000 cells, with no cached values.
fn shared_formula_bomb(dir: &Path) -> PathBuf {
    let template = vec!["1"; 1_000_000].join("+");
    let mut body = format!(
        r#"<row r="1"><c r="A1"><f t="shared" ref="A1:A2000" si="0">{template}</f></c></row>"#
    );
    for r in 2..=2_000 {
        body.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}"><f t="shared" si="0"/></c></row>"#
        ));
    }
    let path = dir.join("shared_formula_bomb.xlsx");
    one_sheet(&path, &body, "", Vec::new());
    path
}

/// Ten million positionless styled empty cells (`<c s="1"/>`, 90 MB of XML in a 90 KB file):
/// 2.2 GB were held before the cell limit refused them.
fn styled_empty_cells(dir: &Path) -> PathBuf {
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#
    );
    let row = format!("<row>{}</row>", r#"<c s="1"/>"#.repeat(10_000));
    let path = dir.join("styled_empty_cells.xlsx");
    let extras = vec![("styles", "styles.xml", "styles", styles.into_bytes())];
    let rows = |w: &mut dyn Write| {
        for _ in 0..1_000 {
            w.write_all(row.as_bytes()).unwrap();
        }
    };
    xlsx(
        &path,
        &["表1".to_string()],
        &|_, w| sheet_xml(w, &rows, ""),
        extras,
    );
    path
}

/// A BIFF8 record.
fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend_from_slice(&(data.len() as u16).to_le_bytes());
    v.extend_from_slice(data);
    v
}

/// An .xls whose workbook stream is `globals` (without its BOF, BOUNDSHEETs and EOF), then one
/// worksheet of `cells`, named by `names` BOUNDSHEET records that all point at it.
fn xls(path: &Path, globals: &[u8], names: usize, cells: &[u8]) {
    let bof = |dt: u16| {
        rec(
            0x0809,
            &[
                0,
                6,
                dt as u8,
                (dt >> 8) as u8,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                6,
                0,
                0,
                0,
            ],
        )
    };
    let boundsheet = |offset: u32, n: usize| {
        let name = format!("S{n}");
        let mut d = offset.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, name.len() as u8, 0]);
        d.extend_from_slice(name.as_bytes());
        rec(0x0085, &d)
    };
    let head = bof(0x0005).len() + globals.len();
    let sheets_len: usize = (0..names).map(|n| boundsheet(0, n).len()).sum();
    let offset = (head + sheets_len + 4) as u32;
    let mut stream = bof(0x0005);
    stream.extend_from_slice(globals);
    for n in 0..names {
        stream.extend(boundsheet(offset, n));
    }
    stream.extend(rec(0x000A, &[]));
    assert_eq!(stream.len() as u32, offset);
    stream.extend(bof(0x0010));
    stream.extend_from_slice(cells);
    stream.extend(rec(0x000A, &[]));
    let mut comp = cfb::create(path).unwrap();
    let mut w = comp.create_stream("/Workbook").unwrap();
    w.write_all(&stream).unwrap();
}

/// One shared string of 30,000 characters, copied into 20,000 LABELSST cells by calamine
/// (600 MB of copies from a 270 KB stream).
fn xls_shared_string_bomb(dir: &Path) -> PathBuf {
    let mut sst = vec![1, 0, 0, 0, 1, 0, 0, 0];
    sst.extend_from_slice(&30_000u16.to_le_bytes());
    sst.push(0);
    sst.extend(std::iter::repeat_n(b'a', 8_000));
    let mut globals = rec(0x00FC, &sst);
    for chunk in [8_000, 8_000, 6_000] {
        let mut c = vec![0u8];
        c.extend(std::iter::repeat_n(b'a', chunk));
        globals.extend(rec(0x003C, &c));
    }
    let cells: Vec<u8> = (0..20_000u16)
        .flat_map(|row| {
            let mut d = row.to_le_bytes().to_vec();
            d.extend_from_slice(&[0; 8]);
            rec(0x00FD, &d)
        })
        .collect();
    let path = dir.join("xls_shared_string_bomb.xls");
    xls(&path, &globals, 1, &cells);
    path
}

/// A thousand BOUNDSHEET records naming one sheet whose cells span 1.9 million cells:
/// calamine would build the dense grid once for each (45 GB).
fn xls_same_sheet_named_often(dir: &Path) -> PathBuf {
    let number = |row: u16, col: u16| {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        rec(0x0203, &d)
    };
    let cells = [number(0, 0), number(7_421, 255)].concat();
    let path = dir.join("xls_same_sheet_named_often.xls");
    xls(&path, &[], 1_000, &cells);
    path
}

/// The seed form with 990,000 more cells below it, each showing its own shared string of 67
/// bytes (64 MB of text in all, just within the limit): the largest .xlsx within the reading
/// limits, which must also be patched (its form has findings) within the bounds.
fn xlsx_at_limits(dir: &Path) -> PathBuf {
    let (seed, mut extras) = seed_parts();
    let seed = String::from_utf8(seed).unwrap();
    let (head, tail) = seed.split_once("</sheetData>").unwrap();
    let strings = String::from_utf8(extras.remove(0).3).unwrap();
    let base: u32 = strings
        .split_once("uniqueCount=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    let (rows, cols) = (990u32, 1_000u32);
    let first = 100u32;
    let (sst_head, _) = strings.split_once("</sst>").unwrap();
    let sst_head = sst_head.replace(
        &format!("uniqueCount=\"{base}\""),
        &format!("uniqueCount=\"{}\"", base + rows * cols),
    );
    let path = dir.join("xlsx_at_limits.xlsx");
    let pad = "文".repeat(20);
    xlsx(
        &path,
        &["表1".to_string()],
        &|_, w| {
            w.write_all(head.as_bytes()).unwrap();
            for r in first..first + rows {
                write!(w, r#"<row r="{r}">"#).unwrap();
                for c in 0..cols {
                    let k = base + (r - first) * cols + c;
                    write!(
                        w,
                        r#"<c r="{}{r}" t="s"><v>{k}</v></c>"#,
                        zpcheck::grid::CellRef::col_name(c)
                    )
                    .unwrap();
                }
                w.write_all(b"</row>").unwrap();
            }
            write!(w, "</sheetData>{tail}").unwrap();
        },
        vec![
            ("sharedStrings", "sharedStrings.xml", "sharedStrings", {
                let mut v = sst_head.into_bytes();
                for k in 0..rows * cols {
                    v.extend_from_slice(format!("<si><t>{k:07}{pad}</t></si>").as_bytes());
                }
                v.extend_from_slice(b"</sst>");
                v
            }),
            extras.remove(0),
        ],
    );
    path
}

/// A file of almost 100 MB, the file limit: the seed form and a picture of 99 MB that does
/// not compress. Read, corrected and copied through within the bounds.
fn xlsx_100_mb(dir: &Path) -> PathBuf {
    let (seed, extras) = seed_parts();
    let path = dir.join("xlsx_100_mb.xlsx");
    let mut picture = Vec::with_capacity(99 << 20);
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    while picture.len() < 99 << 20 {
        // xorshift64: bytes no deflate can shrink.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        picture.extend_from_slice(&x.to_le_bytes());
    }
    let mut extras = extras;
    extras.push(("image", "media/image1.png", "image", picture));
    xlsx(
        &path,
        &["表1".to_string()],
        &|_, w| w.write_all(&seed).unwrap(),
        extras,
    );
    path
}

/// An .xls at the limits of the guard for calamine's formats: 999,936 LABELSST cells (each a
/// copy of one five-letter shared string, 15 MB of text as the guard counts it) spanning
/// 1,999,872 cells with a blank cell in the far corner. Within every limit, so it is read:
/// calamine's dense grids and every copy must stay under 512 MiB.
fn xls_at_limits(dir: &Path) -> PathBuf {
    let mut sst = vec![1, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0];
    sst.extend_from_slice(b"abcde");
    let globals = rec(0x00FC, &sst);
    let mut cells = Vec::with_capacity(14 * 1_000_000);
    for row in 0..3_906u16 {
        for col in 0..256u16 {
            let mut d = row.to_le_bytes().to_vec();
            d.extend_from_slice(&col.to_le_bytes());
            d.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
            cells.extend(rec(0x00FD, &d));
        }
    }
    let mut blank = 7_811u16.to_le_bytes().to_vec();
    blank.extend_from_slice(&255u16.to_le_bytes());
    blank.extend_from_slice(&[0, 0]);
    cells.extend(rec(0x0201, &blank));
    let path = dir.join("xls_at_limits.xls");
    xls(&path, &globals, 1, &cells);
    path
}

/// An .ods whose content.xml holds the tables `tables` writes (streamed into the zip).
fn ods(path: &Path, tables: &dyn Fn(&mut dyn Write)) {
    ods_with(path, &|_| {}, tables);
}

/// [`ods`] with automatic styles: `styles` writes the elements inside
/// `<office:automatic-styles>`.
fn ods_with(path: &Path, styles: &dyn Fn(&mut dyn Write), tables: &dyn Fn(&mut dyn Write)) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    w.start_file("META-INF/manifest.xml", deflated).unwrap();
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    w.start_file("content.xml", deflated).unwrap();
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"><office:automatic-styles>"#).unwrap();
    styles(&mut w);
    w.write_all(b"</office:automatic-styles><office:body><office:spreadsheet>")
        .unwrap();
    tables(&mut w);
    w.write_all(b"</office:spreadsheet></office:body></office:document-content>")
        .unwrap();
    w.finish().unwrap();
}

/// A table of `rows` × 100 cells: `valued_rows` rows of `cell` (repeated across), then empty
/// rows, then a number in the last cell, so that the table spans all of it.
fn ods_table(w: &mut dyn Write, name: &str, rows: u32, valued_rows: u32, cell: &str) {
    write!(
        w,
        r#"<table:table table:name="{name}"><table:table-row table:number-rows-repeated="{valued_rows}"><table:table-cell table:number-columns-repeated="100" {cell}</table:table-cell></table:table-row><table:table-row table:number-rows-repeated="{}"><table:table-cell table:number-columns-repeated="100"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="99"/><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table>"#,
        rows - valued_rows - 1
    )
    .unwrap();
}

const ODS_NUMBER: &str = r#"office:value-type="float" office:value="1.5"><text:p>1.5</text:p>"#;

/// An .ods at the guard's limits: two tables spanning 1,000,000 cells each, one of them
/// holding 999,000 cells of five characters (15 MB of text). Read, within the bounds.
fn ods_at_limits(dir: &Path) -> PathBuf {
    let path = dir.join("ods_at_limits.ods");
    ods(&path, &|w| {
        ods_table(w, "A", 10_000, 1, ODS_NUMBER);
        ods_table(
            w,
            "B",
            10_000,
            9_990,
            r#"office:value-type="string"><text:p>文字文字文</text:p>"#,
        );
    });
    path
}

/// 200 tables each spanning 1.9 million cells, under the limit for one table (calamine once
/// took 914 MiB for two of them): refused for all together.
fn ods_many_large_tables(dir: &Path) -> PathBuf {
    let path = dir.join("ods_many_large_tables.ods");
    ods(&path, &|w| {
        for i in 0..200 {
            ods_table(w, &format!("T{i}"), 19_000, 1, ODS_NUMBER);
        }
    });
    path
}

/// An .xls holding a form (national_errors) on its first of nine sheets, every cell of every
/// sheet in one style whose number format is 8,100 characters long and whose font name has
/// 255, and `blank_rows` × 250 styled blank cells (MULBLANK) on each sheet, after
/// `extra_xfs` more XF records: with 800 rows, the shape that once made `fix` copy the style
/// into 1.8 million cells and abort out of memory (16 GB, 67 s); with 1.2 million XFs, one
/// that took 1.1 GB.
fn xls_styled(dir: &Path, name: &str, extra_xfs: usize, blank_rows: u16) -> PathBuf {
    use zpcheck_testkit::{V, national_errors};
    let bof = |dt: u16| {
        let mut d = vec![0, 6];
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&[0xBB, 0x0D, 0xCC, 0x07, 0, 0, 0, 0, 6, 0, 0, 0]);
        rec(0x0809, &d)
    };
    let mut styles = Vec::new();
    // Five fonts (index 4 is never used), the last with a 255-character name.
    for n in 0..5 {
        let name = if n == 4 {
            "字".repeat(255)
        } else {
            "宋体".to_string()
        };
        let chars: Vec<u16> = name.encode_utf16().collect();
        let mut d = vec![220, 0, 0, 0, 8, 0, 0x90, 1, 0, 0, 0, 0, 134, 0];
        d.push(chars.len() as u8);
        d.push(1);
        d.extend(chars.iter().flat_map(|u| u.to_le_bytes()));
        styles.extend(rec(0x0031, &d));
    }
    let mut format = 164u16.to_le_bytes().to_vec();
    format.extend_from_slice(&8_100u16.to_le_bytes());
    format.push(0);
    format.extend(std::iter::repeat_n(b'0', 8_100));
    styles.extend(rec(0x041E, &format));
    // XF 0..16 plain; XF 16 with font 5 (the long name), format 164 and borders.
    for n in 0..17u16 {
        let mut d = vec![0u8; 20];
        if n == 16 {
            d[0..2].copy_from_slice(&5u16.to_le_bytes());
            d[2..4].copy_from_slice(&164u16.to_le_bytes());
            d[10..14].copy_from_slice(&0x1111u32.to_le_bytes());
        }
        styles.extend(rec(0x00E0, &d));
    }
    for _ in 0..extra_xfs {
        styles.extend(rec(0x00E0, &[0u8; 20]));
    }
    let label = |r: u16, c: u16, text: &str| {
        let chars: Vec<u16> = text.encode_utf16().collect();
        let mut d = Vec::new();
        for v in [r, c, 16, chars.len() as u16] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.push(1);
        d.extend(chars.iter().flat_map(|u| u.to_le_bytes()));
        rec(0x0204, &d)
    };
    let number = |r: u16, c: u16, x: f64| {
        let mut d = Vec::new();
        for v in [r, c, 16] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(&x.to_le_bytes());
        rec(0x0203, &d)
    };
    let spec = national_errors();
    let mut sheets: Vec<Vec<u8>> = Vec::new();
    for n in 0..9 {
        let mut sheet = bof(0x0010);
        if n == 0 {
            for (r, row) in spec.rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    sheet.extend(match v {
                        V::S(t) => label(r as u16, c as u16, t),
                        V::N(x) | V::P(x) | V::NF(x, _) | V::F(_, x) => {
                            number(r as u16, c as u16, *x)
                        }
                        _ => continue,
                    });
                }
            }
        }
        // Rows × 250 columns of styled blanks, below and beside the form.
        for r in 100..100 + blank_rows {
            let mut d = r.to_le_bytes().to_vec();
            d.extend_from_slice(&0u16.to_le_bytes());
            for _ in 0..250 {
                d.extend_from_slice(&16u16.to_le_bytes());
            }
            d.extend_from_slice(&249u16.to_le_bytes());
            sheet.extend(rec(0x00BE, &d));
        }
        sheet.extend(rec(0x000A, &[]));
        sheets.push(sheet);
    }
    let mut globals = bof(0x0005);
    globals.extend(rec(0x0042, &1200u16.to_le_bytes()));
    globals.extend(styles);
    let names: Vec<String> = (0..9).map(|n| format!("表{n}")).collect();
    let boundsheet = |offset: u32, name: &str| {
        let chars: Vec<u16> = name.encode_utf16().collect();
        let mut d = offset.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, chars.len() as u8, 1]);
        d.extend(chars.iter().flat_map(|u| u.to_le_bytes()));
        rec(0x0085, &d)
    };
    let head: usize = globals.len()
        + names.iter().map(|n| boundsheet(0, n).len()).sum::<usize>()
        + rec(0x000A, &[]).len();
    let mut offset = head;
    for (name, sheet) in names.iter().zip(&sheets) {
        globals.extend(boundsheet(offset as u32, name));
        offset += sheet.len();
    }
    globals.extend(rec(0x000A, &[]));
    assert_eq!(globals.len(), head);
    let path = dir.join(format!("{name}.xls"));
    let mut comp = cfb::create(&path).unwrap();
    let mut w = comp.create_stream("/Workbook").unwrap();
    w.write_all(&globals).unwrap();
    for sheet in &sheets {
        w.write_all(sheet).unwrap();
    }
    drop(w);
    comp.flush().unwrap();
    path
}

/// An .ods holding a form (national_errors) whose every cell, and a million repeated cells
/// after it, have one automatic style with a 3 MB font name: 25 KB compressed, the shape
/// that once took 758 MB as a copy of the name per cell.
fn ods_long_font_name(dir: &Path) -> PathBuf {
    use zpcheck_testkit::{V, national_errors};
    let path = dir.join("ods_long_font_name.ods");
    let styles = |w: &mut dyn Write| {
        w.write_all(br#"<style:style style:name="ce1" style:family="table-cell"><style:table-cell-properties fo:border="0.06pt solid #000000"/><style:text-properties style:font-name=""#).unwrap();
        for _ in 0..3_000 {
            w.write_all("字".repeat(333).as_bytes()).unwrap();
        }
        w.write_all(br#"" fo:font-weight="bold"/></style:style>"#)
            .unwrap();
    };
    let tables = |w: &mut dyn Write| {
        w.write_all(br#"<table:table table:name="S">"#).unwrap();
        for row in &national_errors().rows {
            w.write_all(b"<table:table-row>").unwrap();
            for v in row {
                match v {
                    V::S(t) => write!(
                        w,
                        r#"<table:table-cell table:style-name="ce1" office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
                    ),
                    V::N(x) | V::P(x) | V::NF(x, _) | V::F(_, x) => write!(
                        w,
                        r#"<table:table-cell table:style-name="ce1" office:value-type="float" office:value="{x}"><text:p>{x}</text:p></table:table-cell>"#
                    ),
                    _ => write!(w, r#"<table:table-cell table:style-name="ce1"/>"#),
                }
                .unwrap();
            }
            w.write_all(b"</table:table-row>").unwrap();
        }
        w.write_all(br#"<table:table-row table:number-rows-repeated="1000"><table:table-cell table:style-name="ce1" table:number-columns-repeated="1000"/></table:table-row></table:table>"#).unwrap();
    };
    ods_with(&path, &styles, &tables);
    path
}

/// An HTML table saved as .xls with `cells` numeric cells, 100 to a row, streamed to its file.
fn html_cells(dir: &Path, name: &str, cells: usize) -> PathBuf {
    let path = dir.join(format!("{name}.xls"));
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    w.write_all(b"<html><head><meta charset=\"gb2312\"></head><body><table>\n")
        .unwrap();
    for r in 0..cells.div_ceil(100) {
        w.write_all(b"<tr>").unwrap();
        for c in 0..100.min(cells - r * 100) {
            write!(w, "<td>{c}</td>").unwrap();
        }
        w.write_all(b"</tr>\n").unwrap();
    }
    w.write_all(b"</table></body></html>\n").unwrap();
    w.flush().unwrap();
    path
}

/// A Word document whose body is written by `body`, streamed into its zip.
fn docx(path: &Path, body: &dyn Fn(&mut dyn Write)) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("[Content_Types].xml", opts).unwrap();
    z.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    z.start_file("_rels/.rels", opts).unwrap();
    z.write_all(br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
    z.start_file("word/document.xml", opts).unwrap();
    {
        let mut w = std::io::BufWriter::new(&mut z);
        w.write_all(br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#).unwrap();
        body(&mut w);
        w.write_all(b"</w:body></w:document>").unwrap();
        w.flush().unwrap();
    }
    z.finish().unwrap();
}

/// A report whose one table has `cells` numeric cells, 100 to a row.
fn docx_cells(dir: &Path, name: &str, cells: usize) -> PathBuf {
    let path = dir.join(format!("{name}.docx"));
    docx(&path, &|w| {
        w.write_all(b"<w:tbl>").unwrap();
        for r in 0..cells.div_ceil(100) {
            w.write_all(b"<w:tr>").unwrap();
            for c in 0..100.min(cells - r * 100) {
                write!(w, "<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>").unwrap();
            }
            w.write_all(b"</w:tr>").unwrap();
        }
        w.write_all(b"</w:tbl>").unwrap();
    });
    path
}

/// A report of `paragraphs` short paragraphs.
fn docx_paragraphs(dir: &Path, name: &str, paragraphs: usize) -> PathBuf {
    let path = dir.join(format!("{name}.docx"));
    docx(&path, &|w| {
        for _ in 0..paragraphs {
            w.write_all(b"<w:p><w:r><w:t>x</w:t></w:r></w:p>").unwrap();
        }
    });
    path
}

#[test]
fn hostile_inputs_stay_within_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let doc = assert_bounded("deep_formulas", &deep_formulas(dir.path()), &[2]);
    assert_eq!(doc["files"][0]["error"]["kind"], "no_form", "{doc}");

    let doc = assert_bounded("many_merges", &many_merges(dir.path()), &[2]);
    assert_eq!(doc["files"][0]["error"]["kind"], "no_form", "{doc}");

    for (name, input) in [
        ("shared_string_bomb", shared_string_bomb(dir.path())),
        ("number_format_bomb", number_format_bomb(dir.path())),
        ("shared_formula_bomb", shared_formula_bomb(dir.path())),
    ] {
        let doc = assert_bounded(name, &input, &[2]);
        assert_eq!(
            doc["files"][0]["error"]["kind"], "too_large",
            "{name}: {doc}"
        );
        let message = doc["files"][0]["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("单元格中的文字、公式和数字格式合计超过 64 MB"),
            "{name}: {message}"
        );
    }

    for (name, input, kind, message) in [
        (
            "xls_shared_string_bomb",
            xls_shared_string_bomb(dir.path()),
            "too_large",
            "单元格中的文字、公式和数字格式合计超过 16 MB",
        ),
        (
            "xls_same_sheet_named_often",
            xls_same_sheet_named_often(dir.path()),
            "corrupt",
            "第 2 个工作表与前面的工作表指向同一位置",
        ),
    ] {
        let doc = assert_bounded(name, &input, &[2]);
        assert_eq!(doc["files"][0]["error"]["kind"], kind, "{name}: {doc}");
        let got = doc["files"][0]["error"]["message"].as_str().unwrap();
        assert!(got.contains(message), "{name}: {got}");
    }

    // An HTML table saved as .xls: at the cell limit read (no form in it), past it refused,
    // within the bounds either way.
    let doc = assert_bounded(
        "html_at_limits",
        &html_cells(dir.path(), "html_at_limits", 1_000_000),
        &[2],
    );
    assert_eq!(doc["files"][0]["error"]["kind"], "no_form", "{doc}");
    let doc = assert_bounded(
        "html_past_limits",
        &html_cells(dir.path(), "html_past_limits", 1_000_001),
        &[2],
    );
    assert_eq!(doc["files"][0]["error"]["kind"], "too_large", "{doc}");
    let message = doc["files"][0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("单元格超过 1000000 个"), "{message}");

    // A Word report: a table at the cell limit read (no form, no report), past it refused; the
    // paragraph limit likewise.
    for (name, input, kind, message) in [
        (
            "docx_cells_at_limits",
            docx_cells(dir.path(), "docx_cells_at_limits", 1_000_000),
            "not_report",
            "不是绩效自评报告",
        ),
        (
            "docx_cells_past_limits",
            docx_cells(dir.path(), "docx_cells_past_limits", 1_000_001),
            "too_large",
            "单元格超过 1000000 个",
        ),
        (
            "docx_paragraphs_at_limits",
            docx_paragraphs(dir.path(), "docx_paragraphs_at_limits", 200_000),
            "not_report",
            "不是绩效自评报告",
        ),
        (
            "docx_paragraphs_past_limits",
            docx_paragraphs(dir.path(), "docx_paragraphs_past_limits", 200_001),
            "too_large",
            "段落超过 200000 个",
        ),
    ] {
        let doc = assert_bounded(name, &input, &[2]);
        assert_eq!(doc["files"][0]["error"]["kind"], kind, "{name}: {doc}");
        let got = doc["files"][0]["error"]["message"].as_str().unwrap();
        assert!(got.contains(message), "{name}: {got}");
    }

    // At the limits of calamine's formats: read (no form in them), within the bounds.
    for (name, input) in [
        ("xls_at_limits", xls_at_limits(dir.path())),
        ("ods_at_limits", ods_at_limits(dir.path())),
    ] {
        let doc = assert_bounded(name, &input, &[2]);
        assert_eq!(doc["files"][0]["error"]["kind"], "no_form", "{name}: {doc}");
    }
    let doc = assert_bounded(
        "ods_many_large_tables",
        &ods_many_large_tables(dir.path()),
        &[2],
    );
    assert_eq!(doc["files"][0]["error"]["kind"], "too_large", "{doc}");
    let message = doc["files"][0]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("各表格内容展开后合计超过 2000000 个单元格"),
        "{message}"
    );

    // Styles shared, not copied per cell; styled blanks beyond the form not kept: corrected
    // within the bounds, and the corrected workbook reads again with the same findings fixed.
    for (name, input) in [
        (
            "xls_styled_blank_sheets",
            xls_styled(dir.path(), "xls_styled_blank_sheets", 0, 800),
        ),
        (
            "xls_many_xfs",
            xls_styled(dir.path(), "xls_many_xfs", 1_200_000, 0),
        ),
        ("ods_long_font_name", ods_long_font_name(dir.path())),
    ] {
        let doc = assert_bounded(name, &input, &[1]);
        assert_eq!(doc["files"][0]["status"], "findings", "{name}: {doc}");
        let errors = doc["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .count();
        assert_eq!(errors, 8, "{name}: {doc}");
        let out = dir.path().join(format!("{name}_out.xlsx"));
        let again = run_limited(
            &[
                "check".as_ref(),
                "--format".as_ref(),
                "json".as_ref(),
                out.as_os_str(),
            ],
            dir.path(),
        );
        assert_eq!(again.code, Some(0), "{name}: {}", again.stderr);
        // Only the form's cells and the styled blanks around it were rebuilt.
        let wb = zpcheck::read::read_path(&out).unwrap();
        let cells: usize = wb.sheets.iter().map(|s| s.cells.len()).sum();
        assert!(cells < 2_000, "{name}: {cells} cells");
    }

    let doc = assert_bounded("styled_empty_cells", &styled_empty_cells(dir.path()), &[2]);
    assert_eq!(doc["files"][0]["error"]["kind"], "too_large", "{doc}");

    let input = many_form_sheets(dir.path());
    let doc = assert_bounded("many_form_sheets", &input, &[1]);
    assert_eq!(
        doc["files"][0]["forms"].as_array().map(Vec::len),
        Some(4_500)
    );
    // The corrected workbook holds every form, and zpcheck reads it again.
    let out = dir.path().join("many_form_sheets_out.xlsx");
    let again = run_limited(
        &[
            "check".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            out.as_os_str(),
        ],
        dir.path(),
    );
    assert_eq!(again.code, Some(0), "{}", again.stderr);

    // A rebuild at its limits is written within the bounds; one cell row past them is not
    // written at all, with the reason and the way round it, while the check still reports.
    let input = rebuilt_styled_text(dir.path(), "rebuilt_at_limit", 249);
    let doc = assert_bounded("rebuilt_at_limit", &input, &[1]);
    assert_eq!(doc["files"][0]["status"], "findings", "{doc}");
    let out = dir.path().join("rebuilt_at_limit_out.xlsx");
    assert!(out.is_file());
    let input = rebuilt_styled_text(dir.path(), "rebuilt_over_limit", 251);
    let doc = assert_bounded("rebuilt_over_limit", &input, &[1, 2]);
    assert_eq!(doc["files"][0]["status"], "findings", "{doc}");
    let out = dir.path().join("rebuilt_over_limit_out.xlsx");
    let fix = run_limited(
        &[
            "fix".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        dir.path(),
    );
    assert_eq!(fix.code, Some(2), "{}", fix.stderr);
    assert!(!out.exists());
    let doc: serde_json::Value = serde_json::from_str(&fix.stdout).unwrap();
    assert_eq!(doc["files"][0]["status"], "write_failed", "{doc}");
    let message = doc["files"][0]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("而它有 251134 个非空单元格，超过重建的上限 250000 个，未写出更正版本"),
        "{message}"
    );

    // The largest .xlsx within the limits, and a file at the size limit: read and corrected.
    // Last: these two are made in this process's memory, whose peak the children inherit.
    for (name, input) in [
        ("xlsx_at_limits", xlsx_at_limits(dir.path())),
        ("xlsx_100_mb", xlsx_100_mb(dir.path())),
    ] {
        assert!(std::fs::metadata(&input).unwrap().len() <= 100 << 20);
        let doc = assert_bounded(name, &input, &[1]);
        assert_eq!(doc["files"][0]["status"], "findings", "{name}: {doc}");
        assert!(dir.path().join(format!("{name}_out.xlsx")).is_file());
    }
}
