//! One path through the work for one input, whoever hands it in: the command line's batch
//! (a file named or found in a folder), the browser page (a dropped file's bytes) and
//! `explain` all call [`run`]. The input's bytes are read once — for the grid, the seal's
//! digest of the source and, when correcting, the package the patcher edits — then checked,
//! the findings a reviewer accepted left out, and, as asked, the corrected workbook and its
//! plain copy made and what was recognised described.
//!
//! Nothing here touches the file system: the caller reads the bytes ([`crate::read::file_bytes`]
//! for a path) and decides where the outputs go ([`crate::files`]). So the page has the baseline,
//! the plain copy and `explain` on the same terms as the command line.

use std::path::Path;

use crate::baseline::Baseline;
use crate::explain::Explained;
use crate::read::{Purpose, ReadOptions};
use crate::rules::Profile;
use crate::write::{self, WriteOptions, WrittenBy};
use crate::{Checked, InputError};

/// What to do with an input besides checking it.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The rule profile in force.
    pub profile: &'a Profile,
    /// Findings a reviewer accepted (`--baseline`): neither reported, marked nor corrected.
    pub baseline: Option<&'a Baseline>,
    /// Make the corrected workbook, written with these options (the marked copy).
    pub correct: Option<&'a WriteOptions>,
    /// Make the plain copy for resubmission (`--plain`) too, when the marked copy was made.
    pub plain_copy: bool,
    /// Describe what was recognised (`explain`).
    pub explain: bool,
    /// For a report: the workbook paired with it, its path and bytes; the report's words are
    /// held to its 自评表.
    pub paired: Option<(&'a Path, &'a [u8])>,
}

impl<'a> Options<'a> {
    /// Checking only, with this profile.
    pub fn check(profile: &'a Profile) -> Self {
        Options {
            profile,
            baseline: None,
            correct: None,
            plain_copy: false,
            explain: false,
            paired: None,
        }
    }
}

/// What [`run`] gave for one input.
#[derive(Debug)]
pub struct Outcome {
    /// The checked workbook, or why it could not be read or checked.
    pub checked: Result<Checked, InputError>,
    /// Findings left out because the baseline accepted them.
    pub suppressed: usize,
    /// The corrected workbook's bytes and which writer made them, or why none could be made;
    /// None when not asked for or when the input could not be checked.
    pub corrected: Option<Result<(Vec<u8>, WrittenBy), String>>,
    /// The plain copy's bytes, or why it could not be made; only when the marked copy was.
    pub plain: Option<Result<Vec<u8>, String>>,
    /// What was recognised, when asked for and the workbook could be read (a workbook with no
    /// form is described too: it says what was not recognised).
    pub explained: Option<Explained>,
}

/// Reads, checks and (as `opts` asks) corrects and describes one input. `path` names the input
/// (a file name is enough): the baseline matches findings by it. The corrected workbook's seal
/// records the digest of `bytes` unless `opts.correct` gives one.
pub fn run(path: &Path, bytes: Vec<u8>, opts: &Options) -> Outcome {
    let purpose = match opts.correct {
        Some(_) => Purpose::Fix,
        None => Purpose::Check,
    };
    // The seal records the input's name and digest: taken here, before the bytes go to the
    // reader (which keeps them for the patcher).
    let correct = opts.correct.map(|w| {
        let mut w = w.clone();
        if w.heading.source_digest.is_none() {
            w.heading.source_digest = Some(write::seal::file_digest(&bytes));
        }
        w
    });
    let loaded = match crate::read::read_bytes_with(bytes, ReadOptions::for_purpose(purpose)) {
        Ok(l) => l,
        Err(e) => {
            return Outcome {
                checked: Err(e),
                suppressed: 0,
                corrected: None,
                plain: None,
                explained: None,
            };
        }
    };
    let explained = opts
        .explain
        .then(|| crate::explain::explain(&loaded.workbook, opts.profile));
    let mut checked = crate::check_workbook(loaded.workbook, opts.profile);
    if let (Ok(c), Some((path, bytes))) = (checked.as_mut(), opts.paired)
        && c.report.is_some()
        && let Ok(wb) = crate::read::read_bytes(bytes.to_vec())
        && let Ok(paired) = crate::check_workbook(wb, opts.profile)
        && paired.report.is_none()
    {
        crate::hold_report_to(c, &paired, path, opts.profile);
    }
    let suppressed = match (&mut checked, opts.baseline) {
        (Ok(c), Some(b)) => c.suppress(b, path, opts.profile),
        _ => 0,
    };
    let fidelity = loaded.fidelity.unwrap_or_default();
    let mut corrected = None;
    let mut plain = None;
    if let (Ok(c), Some(w)) = (&checked, correct) {
        let marked = write::corrected_workbook_with(c, &fidelity, w.clone());
        // A report has no plain copy: nothing in it is corrected.
        let report = fidelity.write_back == crate::read::WriteBack::Report;
        if marked.is_ok() && opts.plain_copy && !report {
            let w = WriteOptions { plain: true, ..w };
            plain = Some(write::corrected_workbook_with(c, &fidelity, w).map(|(b, _)| b));
        }
        corrected = Some(marked);
    }
    Outcome {
        checked,
        suppressed,
        corrected,
        plain,
        explained,
    }
}
