//! Running many inputs: files are checked (and corrected) on a pool of worker threads, each
//! reduced to a small [`FileReport`] as soon as it is done, and handed back in input order.
//!
//! Workers take files in input order (each takes the next one as it frees up), so results
//! arrive nearly in order and the reorder buffer holds only a few reports. No workbook outlives
//! its own worker: memory stays flat however many files a batch has.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::baseline::Baseline;
use crate::error::panic_message;
use crate::report::{FileOutcome, FileReport};
use crate::rules::Profile;
use crate::{InputError, pipeline, write};

/// Worker threads get a main-thread-sized stack: formula evaluation recurses (bounded depth).
const WORKER_STACK: usize = 8 << 20;

/// One input of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The input.
    pub path: PathBuf,
    /// Where its corrected workbook goes, if one is written.
    pub output: Option<PathBuf>,
    /// Found by walking a folder (rather than named on the command line).
    pub walked: bool,
    /// Write a plain copy for resubmission (`--plain`) beside the marked one.
    pub plain: bool,
    /// Where the plain copy goes, with `--plain`.
    pub plain_output: Option<PathBuf>,
    /// For a report: the workbook it is paired with (its words are held to that 自评表).
    pub pair: Option<PathBuf>,
    /// For a report: why it stayed unpaired.
    pub pair_note: Option<String>,
}

/// What one job gave.
// One value per file, moved once to the printer: the size of a report is no cost here (the
// Windows build, whose paths are larger, crosses clippy's line).
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Done {
    /// The input's report.
    Report(FileReport),
    /// Found while walking a folder and passed over, with why: a zpcheck summary (not a
    /// submission), or a workbook zpcheck already corrected (its input's findings, reported
    /// already; correcting it again would write "X_核查_核查.xlsx" beside it).
    Skipped(PathBuf, &'static str),
}

/// Checks one input and, when `job.output` is set, writes its corrected workbook.
pub fn process(job: &Job, profile: &Profile, baseline: Option<&Baseline>) -> Done {
    process_in(job, std::slice::from_ref(job), profile, baseline)
}

/// Whether the file a sealed output records as its source (name and digest) is among the
/// batch's inputs: only then has the output's findings been reported in this run.
fn source_in_batch(source: &(String, String), batch: &[Job]) -> bool {
    batch.iter().any(|j| {
        j.path
            .file_name()
            .is_some_and(|n| n.to_string_lossy() == source.0.as_str())
            && std::fs::read(&j.path).is_ok_and(|b| write::seal::file_digest(&b) == source.1)
    })
}

/// [`process`] for one job of a batch (`batch`: every job of the run).
pub fn process_in(
    job: &Job,
    batch: &[Job],
    profile: &Profile,
    baseline: Option<&Baseline>,
) -> Done {
    let mut already_corrected = false;
    let outcome = isolate(&job.path, || {
        let mut outcome = FileOutcome {
            path: job.path.clone(),
            checked: Err(InputError::Empty),
            output: None,
            plain_output: None,
            write_error: None,
            written_by: None,
            suppressed: 0,
        };
        let bytes = match crate::read::file_bytes(&job.path) {
            Ok(b) => b,
            Err(e) => {
                outcome.checked = Err(e);
                return outcome;
            }
        };
        // The corrected workbook's heading names the file, the time and the profile.
        let correct = job.output.as_ref().map(|_| write::WriteOptions {
            plain: false,
            heading: write::HeadingFacts {
                file: job
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned()),
                checked_at: Some(checked_at()),
                profile: Some(profile.name.clone()),
                source_digest: None,
            },
            created: source_date_epoch(),
        });
        // The paired workbook's bytes (an unreadable one leaves the report on its own).
        let paired = job
            .pair
            .as_ref()
            .and_then(|p| crate::read::file_bytes(p).ok().map(|b| (p.as_path(), b)));
        let opts = pipeline::Options {
            profile,
            baseline,
            correct: correct.as_ref(),
            plain_copy: job.plain_output.is_some(),
            explain: false,
            paired: paired.as_ref().map(|(p, b)| (*p, b.as_slice())),
        };
        let run = pipeline::run(&job.path, bytes, &opts);
        outcome.checked = run.checked;
        if let (Ok(c), Some(note)) = (outcome.checked.as_mut(), &job.pair_note)
            && let Some(r) = c.report.as_mut()
        {
            r.pair_note = Some(note.clone());
        }
        outcome.suppressed = run.suppressed;
        // In a folder, a corrected workbook zpcheck wrote is passed over whether checking or
        // correcting — but only when its seal holds (the reader says so) and the file it was
        // made from is in this batch: its findings are then that input's, reported in this run.
        // A plain copy is a submission and never passed over; a file named directly, never.
        let passed_over = outcome.checked.as_ref().is_ok_and(|c| {
            c.workbook.zpcheck_output
                && c.workbook
                    .zpcheck_source
                    .as_ref()
                    .is_some_and(|s| source_in_batch(s, batch))
        });
        if job.walked && passed_over {
            already_corrected = true;
            return outcome;
        }
        if let (Some(out), Some(marked)) = (&job.output, run.corrected) {
            match save(&job.path, out, marked) {
                Ok(by) => {
                    outcome.output = Some(out.clone());
                    outcome.written_by = Some(by);
                }
                Err(e) => outcome.write_error = Some(e),
            }
            // The clean copy for resubmission, beside the marked one (`--plain`).
            if let (Some(p), Some(plain), None) =
                (&job.plain_output, run.plain, &outcome.write_error)
            {
                match save(&job.path, p, plain.map(|b| (b, ()))) {
                    Ok(()) => outcome.plain_output = Some(p.clone()),
                    Err(e) => outcome.write_error = Some(e),
                }
            }
        }
        outcome
    });
    if job.walked && matches!(outcome.checked, Err(InputError::Summary)) {
        return Done::Skipped(job.path.clone(), "zpcheck 写出的汇总表");
    }
    if already_corrected {
        return Done::Skipped(job.path.clone(), "zpcheck 已更正过的工作簿");
    }
    Done::Report(FileReport::from(outcome))
}

/// Saves an output the pipeline made to `out`, atomically; never over the input itself.
fn save<T>(input: &Path, out: &Path, made: Result<(Vec<u8>, T), String>) -> Result<T, InputError> {
    if write::same_file(input, out) {
        return Err(InputError::OutputIsInput(out.to_path_buf()));
    }
    let (bytes, by) = made.map_err(|reason| InputError::Write {
        path: out.to_path_buf(),
        reason,
    })?;
    write::write_atomic(&bytes, out)?;
    Ok(by)
}

/// One workbook held in memory (the browser page's input: a dropped file), checked and, when
/// `write` is given, corrected: its report and the corrected workbook's bytes. Nothing touches
/// the file system; a panic inside is the file's internal error, as in a batch. The report's
/// `output` names the corrected workbook by `output_name` when one was made. A dropped file is
/// handed in directly: it is always checked, never passed over. ([`pipeline::run`] gives the
/// baseline, the plain copy and `explain` to the page's library on the same terms.)
pub fn process_bytes(
    name: &str,
    bytes: Vec<u8>,
    profile: &Profile,
    write: Option<(&str, write::WriteOptions)>,
) -> (FileReport, Option<Vec<u8>>) {
    process_bytes_paired(name, bytes, profile, write, None)
}

/// [`process_bytes`] for a report paired with a workbook (its name and bytes): the report's
/// words are held to that workbook's 自评表.
pub fn process_bytes_paired(
    name: &str,
    bytes: Vec<u8>,
    profile: &Profile,
    write: Option<(&str, write::WriteOptions)>,
    paired: Option<(&str, &[u8])>,
) -> (FileReport, Option<Vec<u8>>) {
    let path = PathBuf::from(name);
    let paired_path = paired.map(|(n, _)| PathBuf::from(n));
    let mut corrected = None;
    let outcome = isolate(&path, || {
        let opts = pipeline::Options {
            correct: write.as_ref().map(|(_, w)| w),
            paired: paired_path.as_deref().zip(paired.map(|(_, b)| b)),
            ..pipeline::Options::check(profile)
        };
        let run = pipeline::run(&path, bytes, &opts);
        let mut outcome = FileOutcome {
            path: path.clone(),
            checked: run.checked,
            output: None,
            plain_output: None,
            write_error: None,
            written_by: None,
            suppressed: run.suppressed,
        };
        if let (Some((output_name, _)), Some(marked)) = (write, run.corrected) {
            match marked {
                Ok((bytes, by)) => {
                    corrected = Some(bytes);
                    outcome.output = Some(PathBuf::from(output_name));
                    outcome.written_by = Some(by);
                }
                Err(reason) => {
                    outcome.write_error = Some(InputError::Write {
                        path: PathBuf::from(output_name),
                        reason,
                    })
                }
            }
        }
        outcome
    });
    (FileReport::from(outcome), corrected)
}

/// `SOURCE_DATE_EPOCH`, when set: the time outputs record instead of the present.
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
}

/// The time a file is checked, as the 核查结果 heading shows it: local time with its offset from
/// UTC ("2026-12-02 17:20:05（UTC+08:00）"). `SOURCE_DATE_EPOCH` (seconds since 1970, the
/// reproducible-builds convention) fixes it, in UTC, so that outputs can be compared byte for
/// byte.
pub fn checked_at() -> String {
    let fixed = source_date_epoch()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC));
    // The system time zone is looked up once per run (asking for it is a file system lookup,
    // once per file of a batch otherwise).
    static ZONE: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
    let now = fixed.unwrap_or_else(|| {
        let zone = ZONE.get_or_init(jiff::tz::TimeZone::system);
        jiff::Timestamp::now().to_zoned_datetime(zone.clone())
    });
    now.strftime("%Y-%m-%d %H:%M:%S（UTC%:z）").to_string()
}

/// Runs one file's work so that a panic inside it (a bug in zpcheck or a library) becomes that
/// file's internal error, and the run goes on with the next file.
pub fn isolate(path: &Path, work: impl FnOnce() -> FileOutcome) -> FileOutcome {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(o) => o,
        Err(panic) => FileOutcome {
            path: path.to_path_buf(),
            checked: Err(InputError::Internal(panic_message(panic.as_ref()))),
            output: None,
            plain_output: None,
            write_error: None,
            written_by: None,
            suppressed: 0,
        },
    }
}

/// The default number of worker threads: every core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Runs every job on `threads` workers. `received` is called as each job finishes (in any
/// order, for a progress bar); `emit` gets the results in input order.
pub fn run(
    jobs: Vec<Job>,
    profile: &Profile,
    baseline: Option<&Baseline>,
    threads: usize,
    mut received: impl FnMut(&Job),
    mut emit: impl FnMut(Done),
) {
    let threads = threads.min(jobs.len());
    if threads <= 1 {
        for job in &jobs {
            let done = process_in(job, &jobs, profile, baseline);
            received(job);
            emit(done);
        }
        return;
    }
    // Each worker takes the next file in input order: a counter, not a work-stealing pool,
    // since every job is one file and the order of taking is what keeps the reorder buffer
    // small. When only checking, a file takes a fraction of a millisecond and waking the main
    // thread for each result costs about as much: the main thread is then one of the workers
    // and hands results on between its own files. When correcting, each file takes
    // milliseconds and writes a workbook: the main thread stays free to report files as they
    // finish.
    let main_works = jobs.iter().all(|j| j.output.is_none());
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Done)>();
    std::thread::scope(|s| {
        let mut started = 0;
        for w in usize::from(main_works)..threads {
            let (tx, next, jobs) = (tx.clone(), &next, &jobs);
            // A worker that cannot be started leaves its share to the others.
            let worker = std::thread::Builder::new()
                .name(format!("zpcheck-{w}"))
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, move || {
                    while let Some((i, job)) = take(next, jobs) {
                        // The receiver only goes away if the main thread panicked.
                        let done = process_in(job, jobs, profile, baseline);
                        if tx.send((i, done)).is_err() {
                            break;
                        }
                    }
                });
            started += usize::from(worker.is_ok());
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut next_out = 0;
        let mut hand_on = |i: usize, done: Done, pending: &mut BTreeMap<usize, Done>| {
            received(&jobs[i]);
            pending.insert(i, done);
            while let Some(done) = pending.remove(&next_out) {
                emit(done);
                next_out += 1;
            }
        };
        // No worker could be started: the main thread does it all.
        let main_works = main_works || started == 0;
        while main_works && let Some((i, job)) = take(&next, &jobs) {
            let done = process_in(job, &jobs, profile, baseline);
            hand_on(i, done, &mut pending);
            while let Ok((i, done)) = rx.try_recv() {
                hand_on(i, done, &mut pending);
            }
        }
        for (i, done) in rx {
            hand_on(i, done, &mut pending);
        }
    });
}

/// The next job in input order, for whichever worker asks.
fn take<'a>(next: &AtomicUsize, jobs: &'a [Job]) -> Option<(usize, &'a Job)> {
    let i = next.fetch_add(1, Ordering::Relaxed);
    jobs.get(i).map(|job| (i, job))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Status, Tally};

    fn sample(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name)
    }

    fn job(path: PathBuf) -> Job {
        Job {
            path,
            output: None,
            walked: false,
            plain: false,
            plain_output: None,
            pair: None,
            pair_note: None,
        }
    }

    #[test]
    fn a_panic_becomes_that_files_internal_error() {
        let o = FileReport::from(isolate(Path::new("坏.xlsx"), || panic!("模拟的故障")));
        assert_eq!(o.path, Path::new("坏.xlsx"));
        let e = o.error.clone().unwrap();
        assert_eq!(e.kind, "internal");
        assert!(e.message.contains("内部错误") && e.message.contains("模拟的故障"));
        assert_eq!(o.status(), Status::Error);
        // The run goes on: the next file is processed normally.
        let Done::Report(next) =
            process(&job(sample("dept_clean.xlsx")), &Profile::default(), None)
        else {
            panic!("not skipped")
        };
        assert_eq!(next.status(), Status::Clean);
        let mut tally = Tally::default();
        tally.add(&o);
        tally.add(&next);
        assert_eq!(tally.exit_code(Default::default()), 2);
    }

    #[test]
    fn results_come_back_in_input_order_whatever_the_thread_count() {
        let names = [
            "seed_kelamayi_2023.xlsx",
            "national_clean.ods",
            "national_planted_errors.xlsx",
            "dept_clean.xlsx",
            "national_clean.xls",
            "missing.xlsx",
            "placeholder_zero.xlsx",
        ];
        let jobs: Vec<Job> = names.iter().map(|n| job(sample(n))).collect();
        for threads in [1, 2, 4] {
            let mut received = 0;
            let mut order = Vec::new();
            run(
                jobs.clone(),
                &Profile::default(),
                None,
                threads,
                |_| received += 1,
                |d| match d {
                    Done::Report(r) => order.push((
                        r.path.file_name().unwrap().to_string_lossy().into_owned(),
                        r.status(),
                    )),
                    Done::Skipped(p, why) => panic!("skipped {p:?}: {why}"),
                },
            );
            assert_eq!(received, names.len());
            let expected: Vec<(String, Status)> = names
                .iter()
                .map(|n| {
                    let status = match *n {
                        "seed_kelamayi_2023.xlsx" | "national_planted_errors.xlsx" => {
                            Status::Findings
                        }
                        "missing.xlsx" => Status::Error,
                        _ => Status::Clean,
                    };
                    (n.to_string(), status)
                })
                .collect();
            assert_eq!(order, expected, "{threads} threads");
        }
    }
}
