//! A workbook held in memory (what the browser page gets when a file is dropped on it) gives
//! the CLI's report and the CLI's corrected workbook, byte for byte, on every sample.

use std::ffi::OsStr;
use std::process::Command;

use zpcheck::batch::process_bytes;
use zpcheck::write::{HeadingFacts, WriteOptions};
use zpcheck::{Profile, report};

fn samples() -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(zpcheck_testkit::sample(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| ["xlsx", "xlsm", "xls", "ods"].contains(&e.to_str().unwrap()))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_workbook_in_memory_gives_the_clis_report_and_corrected_workbook() {
    let profile = Profile::default();
    let dir = tempfile::tempdir().unwrap();
    let list = samples();
    assert!(list.len() >= 25, "{}", list.len());
    for path in list {
        let name = path.to_str().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        // The report, as `check --format jsonl` prints it.
        let (r, none) = process_bytes(name, bytes.clone(), &profile, None);
        assert!(none.is_none());
        let o = crate::cmd::run(&["check", "--format", "jsonl", name]);
        assert_eq!(
            format!("{}\n", report::jsonl(&r)),
            crate::cmd::stdout(&o),
            "{name}"
        );
        // The corrected workbook, as `fix` writes it (the time fixed by SOURCE_DATE_EPOCH).
        let file = path.file_name().unwrap().to_str().unwrap().to_string();
        let opts = WriteOptions {
            plain: false,
            heading: HeadingFacts {
                file: Some(file.clone()),
                checked_at: Some("2025-12-02 09:40:00（UTC+00:00）".into()),
                profile: Some("国家".into()),
                source_digest: None,
            },
            created: Some(1_764_668_400),
        };
        let out_name = zpcheck::cli::corrected_name(&path);
        let (r, corrected) = process_bytes(name, bytes, &profile, Some((&out_name, opts)));
        let out = dir.path().join(&out_name);
        let o = Command::new(env!("CARGO_BIN_EXE_zpcheck"))
            .args([
                OsStr::new("fix"),
                path.as_os_str(),
                OsStr::new("-o"),
                out.as_os_str(),
            ])
            .env("SOURCE_DATE_EPOCH", "1764668400")
            .output()
            .unwrap();
        match corrected {
            Some(bytes) => {
                assert!(r.output.is_some(), "{name}");
                assert_eq!(bytes, std::fs::read(&out).unwrap(), "{name}: {o:?}");
            }
            // No form, or not readable: the CLI wrote nothing either.
            None => assert!(!out.exists(), "{name}"),
        }
    }
}

#[test]
fn corrected_workbooks_zip_together_under_unique_names() {
    let files = vec![
        ("甲_核查.xlsx".to_string(), b"one".to_vec()),
        ("甲_核查.xlsx".to_string(), b"two".to_vec()),
        ("乙".to_string(), vec![7u8; 100_000]),
        ("乙".to_string(), b"four".to_vec()),
    ];
    let bytes = zpcheck::write::zip_files(&files).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut got = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        got.push((f.name().unwrap().to_string(), data));
    }
    assert_eq!(
        got,
        vec![
            ("甲_核查.xlsx".to_string(), b"one".to_vec()),
            ("甲_核查(2).xlsx".to_string(), b"two".to_vec()),
            ("乙".to_string(), vec![7u8; 100_000]),
            ("乙(2)".to_string(), b"four".to_vec()),
        ]
    );
}

#[test]
fn the_pages_library_has_the_baseline_the_plain_copy_and_explain_on_the_clis_terms() {
    // The seed with one accepted finding, corrected with a plain copy and described: what
    // `pipeline::run` gives from the bytes is what `fix --plain --baseline` and `explain`
    // give from the file.
    let path = zpcheck_testkit::sample("seed_kelamayi_2023.xlsx");
    let bytes = std::fs::read(&path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("已确认.txt");
    std::fs::write(&base, "ZP202 部门整体支出绩效自评表!H18\n").unwrap();
    let baseline = zpcheck::baseline::Baseline::load(&base).unwrap();
    let profile = Profile::default();
    let opts = WriteOptions {
        plain: false,
        heading: HeadingFacts {
            file: Some("seed_kelamayi_2023.xlsx".into()),
            checked_at: Some("2025-12-02 09:40:00（UTC+00:00）".into()),
            profile: Some("国家".into()),
            source_digest: None,
        },
        created: Some(1_764_668_400),
    };
    let run = zpcheck::pipeline::run(
        &path,
        bytes,
        &zpcheck::pipeline::Options {
            profile: &profile,
            baseline: Some(&baseline),
            correct: Some(&opts),
            plain_copy: true,
            explain: true,
            paired: None,
        },
    );
    assert_eq!(run.suppressed, 1);
    let checked = run.checked.as_ref().unwrap();
    assert!(
        checked
            .findings()
            .all(|f| !(f.rule == "ZP202" && f.cell.to_string() == "H18")),
        "the accepted finding is left out"
    );
    let explained = run.explained.as_ref().unwrap();
    assert_eq!(explained.forms.len(), 1);
    let o = crate::cmd::run(&["explain", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(
        format!("{}\n", zpcheck::explain::json(explained)),
        crate::cmd::stdout(&o)
    );
    let o = Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .args([
            OsStr::new("fix"),
            path.as_os_str(),
            OsStr::new("--plain"),
            OsStr::new("--baseline"),
            base.as_os_str(),
            OsStr::new("--out-dir"),
            dir.path().as_os_str(),
        ])
        .env("SOURCE_DATE_EPOCH", "1764668400")
        .output()
        .unwrap();
    let (marked, by) = run.corrected.unwrap().unwrap();
    assert_eq!(by.method.name(), "patch");
    let file = |n: &str| std::fs::read(dir.path().join(n)).unwrap();
    assert_eq!(marked, file("seed_kelamayi_2023_核查.xlsx"), "{o:?}");
    assert_eq!(
        run.plain.unwrap().unwrap(),
        file("seed_kelamayi_2023_更正.xlsx")
    );
}

#[test]
fn the_zip_of_corrected_workbooks_shows_chinese_names_in_info_zips_unzip() {
    // Debian's (UOS's, Kylin's) `unzip -l` takes the names of entries made on MS-DOS as OEM
    // code page text, UTF-8 flag or not: the entries say they were made on Unix.
    let files = vec![("甲单位_核查.xlsx".to_string(), b"one".to_vec())];
    let bytes = zpcheck::write::zip_files(&files).unwrap();
    // The central directory's "version made by": host 3 (Unix).
    let central = bytes
        .windows(4)
        .position(|w| w == [0x50, 0x4b, 0x01, 0x02])
        .unwrap();
    assert_eq!(bytes[central + 5], 3, "host system of the entry");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("更正结果.zip");
    std::fs::write(&path, &bytes).unwrap();
    match std::process::Command::new("unzip")
        .arg("-l")
        .arg(&path)
        .output()
    {
        Ok(o) => {
            let listing = String::from_utf8_lossy(&o.stdout);
            assert!(listing.contains("甲单位_核查.xlsx"), "{listing}");
        }
        // No unzip on this machine: the header byte above is what it reads.
        Err(_) => eprintln!("unzip not installed: listing not compared"),
    }
}
