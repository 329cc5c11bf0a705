//! Batch benchmark: generates N forms (default 1,000; `ZPCHECK_BENCH_FILES`) and times, in the
//! same run and on the same files, (a) a bare calamine read of every sheet, (b) `zpcheck check`
//! and (c) `zpcheck fix --out-dir`, each at one worker thread and at every core. Each phase runs
//! in a child process (this program started again) so that its peak memory (VmHWM) is its own;
//! `check` also runs on a tenth of the files to show that memory does not grow with the batch.
//! The phases take turns, eleven rounds (`ZPCHECK_BENCH_REPEAT`): "秒" is a phase's fastest
//! run, "÷读取" the median over the rounds of its time over the bare read's in the same round
//! (this virtual machine's speed swings by half within seconds; neighbouring runs meet the same
//! speed). `fix` writes each run into a new folder: deleting a thousand files just before a run makes this machine's ext4 (mounted with
//! `discard`) slow to create the next thousand, which would charge the harness's own clean-up
//! to zpcheck. Where /dev/shm exists, `fix` also runs with its output in memory (`fix→内存`),
//! which shows zpcheck's own work apart from the file system's; `只写文件` writes as many files
//! of a corrected workbook's size the way zpcheck writes them, and nothing else: the file
//! system's share alone.
//!
//! Run: `cargo bench --bench batch` (Linux: peak memory comes from /proc/self/status). With
//! `ZPCHECK_BENCH_DIR=<empty folder>` the generated forms are kept there, so that one phase can
//! be profiled by hand: `ZPCHECK_BENCH_CHILD='check|<folder>/forms|1|<out>' <bench binary>`.

use zpcheck_testkit as common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use calamine::{Reader, open_workbook_auto};
use rayon::prelude::*;

/// Makes `n` workbooks in `dir`: the four bundled forms in turn (two with errors; with
/// `ZPCHECK_BENCH_TEMPLATES` set, four templates more), each with
/// its own title line so no two files are the same.
fn generate(dir: &Path, n: usize) {
    let mut specs = vec![
        common::seed(),
        common::national_errors(),
        common::national_clean(),
        common::dept_clean(),
    ];
    // ZPCHECK_BENCH_TEMPLATES=1 adds four of the other templates (two-row header, no weight
    // column, weight first, section rows) to the rotation.
    if std::env::var_os("ZPCHECK_BENCH_TEMPLATES").is_some() {
        specs.extend([
            common::templates::yunnan(),
            common::templates::hubei(),
            common::templates::xianjie(),
            common::templates::section_rows(),
        ]);
    }
    for i in 0..n {
        let mut spec = specs[i % specs.len()].clone();
        spec.set("A2", common::s(&format!("（2023年度）第 {i} 号")));
        common::write_xlsx(&dir.join(format!("表{i:04}.xlsx")), &[spec]);
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("bench folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    v.sort();
    v
}

/// The bare read: open each workbook and build every sheet's range, values only.
fn bare_read(dir: &Path, jobs: usize) -> usize {
    let read = |p: &PathBuf| -> usize {
        let mut wb = open_workbook_auto(p).expect("readable");
        let names = wb.sheet_names();
        names
            .iter()
            .filter_map(|n| wb.worksheet_range(n).ok())
            .map(|r| r.used_cells().count())
            .sum()
    };
    let list = files(dir);
    if jobs == 1 {
        list.iter().map(read).sum()
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .expect("pool");
        pool.install(|| list.par_iter().map(read).sum())
    }
}

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Child mode: run one phase and print the peak memory.
fn child(phase: &str, dir: &str, jobs: &str, out: &str) {
    let jobs_n: usize = jobs.parse().expect("jobs");
    match phase {
        "read" => {
            let cells = bare_read(Path::new(dir), jobs_n);
            assert!(cells > 0);
        }
        "check" => {
            let status =
                zpcheck::cli::run(["zpcheck", "check", dir, "-j", jobs, "--format", "jsonl"]);
            assert_eq!(status, 1, "the batch holds forms with errors");
        }
        "fix" => {
            let status = zpcheck::cli::run([
                "zpcheck",
                "fix",
                dir,
                "--out-dir",
                out,
                "-j",
                jobs,
                "--format",
                "jsonl",
            ]);
            assert_eq!(status, 1);
        }
        "write" => {
            // Only the file system's share of `fix`: one file per form, of a corrected
            // workbook's size, written as zpcheck writes (temporary file, then rename).
            let out = Path::new(out);
            std::fs::create_dir_all(out).expect("out");
            let bytes = vec![0x5au8; CORRECTED_BYTES];
            for f in files(Path::new(dir)) {
                let name = f.file_name().expect("name");
                zpcheck::write::write_atomic(&bytes, &out.join(name)).expect("write");
            }
        }
        _ => panic!("unknown phase {phase}"),
    }
    eprintln!("peak_kib={}", peak_kib());
}

/// About the size of a generated form's corrected workbook.
const CORRECTED_BYTES: usize = 11_000;

struct Run {
    seconds: f64,
    peak_mib: f64,
    /// Every run's time, in the order of the rounds.
    each: Vec<f64>,
}

impl Run {
    /// The median over the rounds of this phase's time over `base`'s in the same round.
    /// This machine's speed changes from second to second by as much as half (other virtual
    /// machines on the host): two runs next to each other meet the same speed, so their ratio
    /// is steady where the fastest times of each, taken in different rounds, are not.
    fn ratio_to(&self, base: &Run) -> f64 {
        let mut r: Vec<f64> = self
            .each
            .iter()
            .zip(&base.each)
            .map(|(a, b)| a / b)
            .collect();
        r.sort_by(f64::total_cmp);
        match r.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => r[n / 2],
            n => (r[n / 2 - 1] + r[n / 2]) / 2.0,
        }
    }
}

/// Runs a phase `REPEAT` times (`ZPCHECK_BENCH_REPEAT`) and keeps the fastest run (the least
/// disturbed by the rest of the machine) and the highest peak memory.
fn repeat() -> usize {
    std::env::var("ZPCHECK_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(11)
}

fn phase(name: &str, dir: &Path, jobs: usize, out: &Path) -> Run {
    phases(&[(name, out)], dir, jobs).remove(0)
}

/// Runs several phases `REPEAT` times each, taking turns (read, check, fix, read, check, fix…),
/// and keeps each one's fastest run and highest peak memory. Taking turns matters for the
/// ratios: this machine's speed drifts by a fifth over minutes, and phases run one after
/// another in blocks were compared at different speeds.
fn phases(list: &[(&str, &Path)], dir: &Path, jobs: usize) -> Vec<Run> {
    let mut best: Vec<Run> = list
        .iter()
        .map(|_| Run {
            seconds: f64::INFINITY,
            peak_mib: 0.0,
            each: Vec::new(),
        })
        .collect();
    for _ in 0..repeat() {
        for ((name, out), b) in list.iter().zip(best.iter_mut()) {
            let r = phase_once(name, dir, jobs, out);
            b.seconds = b.seconds.min(r.seconds);
            b.peak_mib = b.peak_mib.max(r.peak_mib);
            b.each.push(r.seconds);
        }
    }
    best
}

/// A new output folder for each run (see the module docs).
fn fresh(out: &Path) -> PathBuf {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    out.join(format!("run{n}"))
}

fn phase_once(phase: &str, dir: &Path, jobs: usize, out: &Path) -> Run {
    let out = &fresh(out);
    let exe = std::env::current_exe().expect("exe");
    let start = Instant::now();
    let o = Command::new(exe)
        .env(
            "ZPCHECK_BENCH_CHILD",
            format!("{phase}|{}|{jobs}|{}", dir.display(), out.display()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("child");
    let seconds = start.elapsed().as_secs_f64();
    // What a run wrote is flushed before the next run starts (untimed): otherwise one run's
    // writes are charged to the next (the page cache writes them back under it).
    if matches!(phase, "fix" | "write") {
        let _ = Command::new("sync").status();
    }
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{phase}: {err}");
    let kib: f64 = err
        .lines()
        .find_map(|l| l.strip_prefix("peak_kib="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    Run {
        seconds,
        peak_mib: kib / 1024.0,
        each: vec![seconds],
    }
}

fn main() {
    if let Ok(spec) = std::env::var("ZPCHECK_BENCH_CHILD") {
        let parts: Vec<&str> = spec.split('|').collect();
        child(parts[0], parts[1], parts[2], parts[3]);
        return;
    }
    let n: usize = std::env::var("ZPCHECK_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    // ZPCHECK_BENCH_DIR keeps the generated forms (for profiling a phase by hand).
    let root = tempfile::tempdir().expect("tempdir");
    let base = std::env::var_os("ZPCHECK_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.path().to_path_buf());
    let dir = base.join("forms");
    let small = base.join("forms_tenth");
    let out = base.join("out");
    let _ = std::fs::remove_dir_all(&out);
    let shm = Path::new("/dev/shm")
        .is_dir()
        .then(|| Path::new("/dev/shm").join(format!("zpcheck-bench-{}", std::process::id())));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::create_dir_all(&small).expect("dir");
    let t = Instant::now();
    generate(&dir, n);
    for f in files(&dir).iter().take((n / 10).max(1)) {
        std::fs::copy(f, small.join(f.file_name().expect("name"))).expect("copy");
    }
    let bytes: u64 = files(&dir)
        .iter()
        .filter_map(|f| f.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{n} 份自评表（.xlsx，共 {:.1} MB），生成用时 {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let cores = zpcheck::batch::default_jobs();
    let mut thread_counts = vec![1];
    if cores > 1 {
        thread_counts.push(cores);
    }
    // Warm the page cache so the first phase is not charged for disk reads.
    let _ = phase("read", &dir, cores, &out);
    println!(
        "{:<8} {:>4} {:>9} {:>10} {:>9} {:>11}",
        "阶段", "-j", "秒", "毫秒/份", "÷读取", "峰值内存MB"
    );
    for &j in &thread_counts {
        let mut list: Vec<(&str, &str, &Path)> = vec![
            ("read", "read", &out),
            ("check", "check", &out),
            ("fix", "fix", &out),
        ];
        if let Some(shm) = &shm {
            list.push(("fix→内存", "fix", shm));
        }
        if j == 1 {
            list.push(("只写文件", "write", &out));
        }
        let runs = phases(
            &list.iter().map(|(_, p, o)| (*p, *o)).collect::<Vec<_>>(),
            &dir,
            j,
        );
        let read = &runs[0];
        let line = |name: &str, r: &Run| {
            println!(
                "{name:<8} {j:>4} {:>9.3} {:>10.3} {:>9.2} {:>11.1}",
                r.seconds,
                r.seconds * 1000.0 / n as f64,
                r.ratio_to(read),
                r.peak_mib
            );
        };
        for ((label, _, _), r) in list.iter().zip(&runs) {
            line(label, r);
        }
    }
    let tenth = phase("check", &small, cores, &out);
    let full = phase("check", &dir, cores, &out);
    println!(
        "峰值内存 check -j {cores}：{} 份 {:.1} MB，{n} 份 {:.1} MB",
        (n / 10).max(1),
        tenth.peak_mib,
        full.peak_mib
    );
    let _ = std::fs::remove_dir_all(&out);
    if let Some(shm) = &shm {
        let _ = std::fs::remove_dir_all(shm);
    }
}
