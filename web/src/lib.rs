//! zpcheck in the browser: the library's checks and corrections behind a small wasm-bindgen
//! surface, for the offline page (`web/page/`). A session collects the files of one batch: each
//! file is checked (and corrected) from its bytes and gives its JSON report — the same line
//! `zpcheck check --format jsonl` prints — and its corrected workbook; at the end the session
//! gives the JSON document, the summary workbook and a zip of every corrected workbook.
//! Nothing here touches a file system or the network.

use wasm_bindgen::prelude::*;

use zpcheck::Profile;
use zpcheck::report::{self, FileReport};
use zpcheck::summary::Summary;
use zpcheck::write::{HeadingFacts, WriteOptions};

/// The profiles bundled with the page, by name: (name, TOML text).
const BUNDLED: &[(&str, &str)] = &[
    ("国家", zpcheck::profile::NATIONAL),
    ("湖北", include_str!("../../profiles/hubei.toml")),
];

/// The names of the bundled profiles, as a JSON array.
#[wasm_bindgen]
pub fn profiles() -> String {
    serde_json::to_string(&BUNDLED.iter().map(|(n, _)| *n).collect::<Vec<_>>()).unwrap_or_default()
}

/// zpcheck's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// One batch of files checked (and corrected) in the page.
#[wasm_bindgen]
pub struct Session {
    profile: Profile,
    fixing: bool,
    reports: Vec<FileReport>,
    summary: Summary,
    corrected: Vec<(String, Vec<u8>)>,
    created: Option<i64>,
    /// For the page's tests: the file name on which `add` stops the library ([`Session::fail_on`]).
    fail_on: Option<String>,
    /// What each file of the batch is paired by ([`Session::note_for_pairing`]).
    keys: Vec<(std::path::PathBuf, Option<zpcheck::pairing::PairKey>)>,
}

/// What one file gave: its JSON report line and, when it was corrected, the corrected
/// workbook's name and bytes.
#[wasm_bindgen]
pub struct FileResult {
    json: String,
    text: String,
    output: Option<String>,
    bytes: Option<Vec<u8>>,
}

#[wasm_bindgen]
impl FileResult {
    /// The file's report, as `zpcheck check --format jsonl` prints it.
    #[wasm_bindgen(getter)]
    pub fn json(&self) -> String {
        self.json.clone()
    }
    /// The file's report as the text report prints it.
    #[wasm_bindgen(getter)]
    pub fn text(&self) -> String {
        self.text.clone()
    }
    /// The corrected workbook's name ("原名_核查.xlsx"), when one was made.
    #[wasm_bindgen(getter)]
    pub fn output(&self) -> Option<String> {
        self.output.clone()
    }
    /// The corrected workbook's bytes, when one was made.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> Option<Vec<u8>> {
        self.bytes.clone()
    }
}

#[wasm_bindgen]
impl Session {
    /// A session with a bundled profile (by name) or a profile's TOML text; `fixing` makes
    /// corrected workbooks. A profile that does not load is a Chinese error message.
    #[wasm_bindgen(constructor)]
    pub fn new(profile: &str, fixing: bool) -> Result<Session, JsError> {
        let text = BUNDLED
            .iter()
            .find(|(n, _)| *n == profile)
            .map_or(profile, |(_, t)| *t);
        let profile = zpcheck::profile::parse(text).map_err(|e| JsError::new(&e))?;
        Ok(Session {
            profile,
            fixing,
            reports: Vec::new(),
            summary: Summary::new(fixing),
            corrected: Vec::new(),
            created: None,
            fail_on: None,
            keys: Vec::new(),
        })
    }

    /// Fixes the creation time rebuilt workbooks record (seconds since 1970), as
    /// `SOURCE_DATE_EPOCH` does for the CLI: the tests compare the page's workbooks with the
    /// CLI's byte for byte.
    #[wasm_bindgen(js_name = fixCreationTime)]
    pub fn fix_creation_time(&mut self, seconds: f64) {
        self.created = Some(seconds as i64);
    }

    /// For the page's tests: `add` on a file of this name stops the library the way a panic
    /// or running out of memory would (a wasm trap), so that the page's recovery — the file
    /// reported as 内部错误, the batch finished by a fresh instance — is tested for real.
    #[wasm_bindgen(js_name = failOn)]
    pub fn fail_on(&mut self, name: &str) {
        self.fail_on = Some(name.to_string());
    }

    /// Records a file the library stopped on in an earlier instance (a trap ends an
    /// instance: the page starts a fresh one and replays the batch without that file) as
    /// unreadable with kind `internal`, so that the report, the JSON and the summary list it.
    /// `detail` is what the browser said, in parentheses after the Chinese.
    #[wasm_bindgen(js_name = addInternalError)]
    pub fn add_internal_error(&mut self, name: &str, detail: &str) -> FileResult {
        let report = FileReport::from(report::FileOutcome {
            path: name.into(),
            checked: Err(zpcheck::InputError::Internal(format!(
                "核查程序在这个文件上意外停止，已换用新的实例核查其余文件（{detail}）"
            ))),
            output: None,
            plain_output: None,
            write_error: None,
            written_by: None,
            suppressed: 0,
        });
        self.record(report, None, String::new())
    }

    /// Notes what a file of the batch is paired by (a report or a workbook), before the batch
    /// is checked: the page pairs reports with workbooks as the command line does.
    #[wasm_bindgen(js_name = noteForPairing)]
    pub fn note_for_pairing(&mut self, name: &str, bytes: Vec<u8>) {
        let path = std::path::PathBuf::from(name);
        let key = zpcheck::pairing::key_of_bytes(&path, bytes, &self.profile);
        self.keys.push((path, key));
    }

    /// The pairs of the files noted, as JSON: `{"pairs": [[report, workbook], …], "notes":
    /// [[report, "why"], …]}` by index in the order noted.
    pub fn pairs(&self) -> String {
        let p = zpcheck::pairing::pair(&self.keys);
        serde_json::json!({ "pairs": p.pairs, "notes": p.notes }).to_string()
    }

    /// [`Session::add`] for a report paired with a workbook (its name and bytes).
    #[wasm_bindgen(js_name = addPaired)]
    pub fn add_paired(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        checked_at: &str,
        paired_name: &str,
        paired_bytes: Vec<u8>,
    ) -> FileResult {
        self.add_with(name, bytes, checked_at, Some((paired_name, &paired_bytes)))
    }

    /// Checks (and corrects) one file from its bytes; `checked_at` is the local time the page
    /// shows on the 核查结果 sheet ("2026-12-02 17:20:05（UTC+08:00）").
    pub fn add(&mut self, name: &str, bytes: Vec<u8>, checked_at: &str) -> FileResult {
        self.add_with(name, bytes, checked_at, None)
    }

    /// The JSON document of every file so far, as `zpcheck check --format json` prints it.
    pub fn json(&self) -> String {
        report::json(&self.reports)
    }

    /// The summary workbook of every file so far.
    pub fn summary(&self) -> Result<Vec<u8>, JsError> {
        self.summary.to_bytes().map_err(|e| JsError::new(&e))
    }

    /// Every corrected workbook so far in one zip (names made unique: "甲_核查(2).xlsx").
    pub fn zip(&self) -> Result<Vec<u8>, JsError> {
        zpcheck::write::zip_files(&self.corrected).map_err(|e| JsError::new(&e))
    }
}

/// What the exported methods share.
impl Session {
    fn add_with(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        checked_at: &str,
        paired: Option<(&str, &[u8])>,
    ) -> FileResult {
        if self.fail_on.as_deref() == Some(name) {
            // A trap, as wasm32 turns an abort into one.
            std::process::abort();
        }
        // Two files of one stem (seed.xls, seed.xlsx) get outputs that say which is which:
        // the second and later are named with their extension ("seed.xlsx_核查.xlsx").
        let path = std::path::Path::new(name);
        let plain_name = zpcheck::files::corrected_name(path);
        let output = if self.corrected.iter().any(|(n, _)| *n == plain_name) {
            zpcheck::files::corrected_name_as(path, false, true)
        } else {
            plain_name
        };
        let opts = WriteOptions {
            plain: false,
            heading: HeadingFacts {
                // The file's own name, as the CLI's heading shows it (a path's last part).
                file: std::path::Path::new(name)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned()),
                checked_at: Some(checked_at.to_string()),
                profile: Some(self.profile.name.clone()),
                // process_bytes takes it from the bytes.
                source_digest: None,
            },
            created: self.created,
        };
        let write = self.fixing.then_some((output.as_str(), opts));
        let (report, bytes) =
            zpcheck::batch::process_bytes_paired(name, bytes, &self.profile, write, paired);
        self.record(report, bytes, output)
    }

    /// Adds one file's report (and corrected workbook, named `output`) to the batch.
    fn record(&mut self, report: FileReport, bytes: Option<Vec<u8>>, output: String) -> FileResult {
        self.summary.add(&report);
        let result = FileResult {
            json: report::jsonl(&report),
            text: match report::clean_line(&report) {
                Some(line) => line,
                None => report::text(&report, self.fixing),
            },
            output: bytes.is_some().then(|| output.clone()),
            bytes: bytes.clone(),
        };
        if let Some(b) = bytes {
            self.corrected.push((output, b));
        }
        self.reports.push(report);
        result
    }
}
