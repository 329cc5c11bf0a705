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
        })
    }

    /// Fixes the creation time rebuilt workbooks record (seconds since 1970), as
    /// `SOURCE_DATE_EPOCH` does for the CLI: the tests compare the page's workbooks with the
    /// CLI's byte for byte.
    #[wasm_bindgen(js_name = fixCreationTime)]
    pub fn fix_creation_time(&mut self, seconds: f64) {
        self.created = Some(seconds as i64);
    }

    /// Checks (and corrects) one file from its bytes; `checked_at` is the local time the page
    /// shows on the 核查结果 sheet ("2026-12-02 17:20:05（UTC+08:00）").
    pub fn add(&mut self, name: &str, bytes: Vec<u8>, checked_at: &str) -> FileResult {
        let output = zpcheck::cli::corrected_name(std::path::Path::new(name));
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
        let (report, bytes) = zpcheck::batch::process_bytes(name, bytes, &self.profile, write);
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
