//! Every message that reaches a user is Chinese (issue 24, item 6). This test walks each error
//! path whose source speaks English — calamine and quick-xml (a damaged workbook), the zip
//! crate (a damaged container), the operating system (a missing file, a folder that cannot be
//! written), toml and serde_json (a profile or baseline with a mistake), clap (a wrong
//! argument) — through the real binary, and holds each message to one rule: Chinese first,
//! the library's or system's own words at most in parentheses after it.

use std::path::Path;
use std::process::Command;

use zpcheck_testkit::sample;

/// The message with every parenthesized part (full-width, nested), what the user typed
/// (paths, arguments) and the words a Chinese message names as they are (file formats,
/// programs, flags) taken out: what is left must hold no English word.
fn english_left(message: &str, typed: &[String]) -> Vec<String> {
    let mut text = message.to_string();
    // Paths whole (their words are no one's language); other typed words as words.
    for t in typed.iter().filter(|t| t.contains('/')) {
        text = text.replace(t.as_str(), "");
    }
    let typed_words: Vec<&str> = typed
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_ascii_alphabetic()))
        .collect();
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '（' => depth += 1,
            '）' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    const NAMED: &[&str] = &[
        "zpcheck", "help", "xlsx", "xlsm", "xls", "ods", "et", "Excel", "WPS", "XFD", "JSON",
        "TOML", "UTF", "MB", "check", "fix", "rules", "explain", "text", "json", "jsonl",
        "markdown", "format", "jobs", "profile", "baseline",
    ];
    out.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 1 && !NAMED.contains(w) && !typed_words.contains(w))
        .map(str::to_string)
        .collect()
}

fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_zpcheck"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

/// The file's error message from `check --format json`.
fn json_message(path: &Path) -> (String, String) {
    let (_, out, _) = run(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        path.as_os_str(),
    ]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let e = &doc["files"][0]["error"];
    (
        e["kind"].as_str().unwrap_or_default().to_string(),
        e["message"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn every_message_from_an_english_source_is_chinese_first() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seen = Vec::new();
    let mut hold = |what: &str, message: &str, typed: &[String], english: bool| {
        assert!(
            message
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "{what}: no Chinese: {message}"
        );
        assert_eq!(
            english_left(message, typed),
            Vec::<String>::new(),
            "{what}: {message}"
        );
        // The source's own words are there, in parentheses, where it spoke English.
        if english {
            assert!(
                message.contains('（') && message.chars().any(|c| c.is_ascii_alphabetic()),
                "{what}: the detail is lost: {message}"
            );
        }
        seen.push(what.to_string());
    };

    // calamine / quick-xml: a workbook part that is not UTF-8.
    let (kind, m) = json_message(&fixtures.join("fuzz_xlsx_part_not_utf8.xlsx"));
    assert_eq!(kind, "corrupt");
    hold("calamine", &m, &[], true);

    // The zip crate: a container cut short.
    let cut = dir.path().join("cut.xlsx");
    let bytes = std::fs::read(sample("national_clean.xlsx")).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (kind, m) = json_message(&cut);
    assert_eq!(kind, "corrupt_zip");
    hold("zip", &m, &[], true);

    // The operating system: a file that is not there.
    let missing = dir.path().join("没有.xlsx");
    let (kind, m) = json_message(&missing);
    assert_eq!(kind, "not_found");
    hold("missing file", &m, &[missing.display().to_string()], true);

    // The operating system: a corrected workbook that cannot be written.
    let out = Path::new("/proc/zpcheck_cannot_write_here.xlsx");
    let (code, stdout, _) = run(&[
        "fix".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        sample("national_planted_errors.xlsx").as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let m = doc["files"][0]["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(doc["files"][0]["error"]["kind"], "write_failed");
    hold(
        "write",
        &m,
        &[out.display().to_string(), "/proc".into()],
        true,
    );

    // toml: a profile with a mistake.
    let toml = dir.path().join("规则.toml");
    std::fs::write(&toml, "name = \n[x").unwrap();
    let (code, _, err) = run(&[
        "check".as_ref(),
        "--profile".as_ref(),
        toml.as_os_str(),
        sample("national_clean.xlsx").as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    hold("toml", &err, &[toml.display().to_string()], false);

    // serde_json: a baseline that is not JSON.
    let baseline = dir.path().join("基线.json");
    std::fs::write(&baseline, "{not json").unwrap();
    let (code, _, err) = run(&[
        "check".as_ref(),
        "--baseline".as_ref(),
        baseline.as_os_str(),
        sample("national_clean.xlsx").as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    hold("serde_json", &err, &[baseline.display().to_string()], false);

    // clap: an unknown argument, a wrong value, an unknown command.
    for args in [
        &["check", "--bogus", "x.xlsx"][..],
        &["check", "--format", "yaml", "x.xlsx"],
        &["check", "-j", "abc", "x.xlsx"],
        &["frobnicate"],
    ] {
        let typed: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        let (code, _, err) = run(&args);
        assert_eq!(code, Some(2), "{args:?}");
        hold("clap", &err, &typed, false);
    }
    assert_eq!(seen.len(), 10);
}

#[test]
fn the_english_filter_finds_english() {
    assert_eq!(
        english_left("文件已损坏（Xml error）: could not read", &[]),
        vec!["could", "not", "read"]
    );
    assert!(english_left("文件已损坏或无法读取（Xml error: bad）", &[]).is_empty());
}
