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
    let mut book = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{REL_NS}"><sheets>"#
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
    let names: Vec<String> = (1..=4_500).map(|i| format!("表{i}")).collect();
    let path = dir.join("many_form_sheets.xlsx");
    xlsx(&path, &names, &|_, w| w.write_all(&sheet).unwrap(), extras);
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
            "单元格中的文字、公式和数字格式合计超过 64 MB",
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
}
