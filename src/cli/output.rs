//! Running the batch and reporting it: the progress bar, text / JSON / JSON Lines, the
//! summary workbook, the rule list, and the exit status from the tally.

use std::collections::HashSet;
use std::io::IsTerminal as _;
use std::io::Write as _;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::inputs::{expand, free_output, others_line, output_for};
use super::{Format, RunOptions, Target};
use crate::batch::{self, Done, Job};
use crate::report::{self, Tally};
use crate::rules::{Profile, RULES};
use crate::summary::Summary;
use crate::write;

pub(super) fn print_rules(profile: &Profile) {
    textln!("{}", crate::profile::summary(profile));
    textln!("{}", crate::profile::platform_summary(profile));
    textln!("表头用词（按角色，表头含有其中的词即为该列；多个角色的词都含有时取最长的词）：");
    for (role, words) in &profile.vocab.headers {
        textln!("  {}：{}", role.name(), words.join("、"));
    }
    textln!("一级指标名称：{}", profile.vocab.groups.join("、"));
    textln!(
        "总分行：{}；资金合计行：{}",
        profile.vocab.score_total.join("、"),
        profile.vocab.fund_total.join("、")
    );
    textln!();
    // Columns padded by display width (a CJK character takes two columns), so that
    // "是（需复核）" lines up with "是" and "否".
    let pad = |text: &str, width: usize| {
        let w = unicode_width::UnicodeWidthStr::width(text);
        format!("{text}{}", " ".repeat(width.saturating_sub(w)))
    };
    let rows: Vec<[String; 6]> = RULES.iter().map(|r| r.columns(profile)).collect();
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            let head = ["规则", "级别", "可更正", "致存疑"][i];
            rows.iter()
                .map(|r| unicode_width::UnicodeWidthStr::width(r[i].as_str()))
                .chain([unicode_width::UnicodeWidthStr::width(head)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    textln!(
        "{}  {}  {}  {}  名称",
        pad("规则", widths[0]),
        pad("级别", widths[1]),
        pad("可更正", widths[2]),
        pad("致存疑", widths[3])
    );
    for [code, severity, fixable, doubts, title, doc] in &rows {
        textln!(
            "{}  {}  {}  {}  {title}：{doc}",
            pad(code, widths[0]),
            pad(severity, widths[1]),
            pad(fixable, widths[2]),
            pad(doubts, widths[3])
        );
    }
    textln!();
    textln!(
        "致存疑：该规则的问题未更正时，其单元格（及其指明的单元格）存疑；由存疑单元格算出的值只报告“若输入无误应为”，不写入。"
    );
}

/// Runs with more files than this show a progress bar (when stderr is a terminal).
const PROGRESS_MIN_FILES: usize = 5;

pub(super) fn progress_bar(files: usize, format: Format) -> Option<ProgressBar> {
    if files < PROGRESS_MIN_FILES || format != Format::Text || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:30.cyan/blue} {pos}/{len} 已用 {elapsed} 预计剩余 {eta} {wide_msg}",
    ) {
        bar.set_style(style.progress_chars("█▉ "));
    }
    Some(bar)
}

pub(super) fn run_files(paths: &[PathBuf], opts: RunOptions, profile: &Profile) -> i32 {
    let super::Inputs {
        files: inputs,
        others,
    } = expand(paths);
    if inputs.is_empty() {
        match others_line(&others) {
            Some(line) => {
                eprintln!(
                    concat!(
                        "zpcheck: 没有找到要核查的文件（",
                        crate::formats!(),
                        "）；{}"
                    ),
                    line
                )
            }
            None => eprintln!(concat!(
                "zpcheck: 没有找到要核查的文件（",
                crate::formats!(),
                "）"
            )),
        }
        return 2;
    }
    if let Target::Dir(d) = &opts.target
        && let Err(e) = std::fs::create_dir_all(d)
    {
        eprintln!("zpcheck: 无法创建输出文件夹 {}：{e}", d.display());
        return 2;
    }
    if let Some(s) = &opts.summary
        && let Some((input, _)) = inputs.iter().find(|(p, _)| write::same_file(p, s))
    {
        eprintln!("zpcheck: 汇总文件不能与输入文件相同：{}", input.display());
        return 2;
    }
    let mut used = HashSet::new();
    let shared = super::inputs::shared_stems(
        &inputs.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
        &opts.target,
    );
    let jobs: Vec<Job> = inputs
        .into_iter()
        .map(|(path, walked)| Job {
            output: output_for(
                &path,
                &opts.target,
                &mut used,
                false,
                shared.contains(&path),
            ),
            plain_output: opts
                .plain
                .then(|| output_for(&path, &opts.target, &mut used, true, shared.contains(&path)))
                .flatten(),
            path,
            walked,
            plain: opts.plain,
            pair: None,
            pair_note: None,
        })
        .collect();
    let mut jobs = jobs;
    if let Err(e) = pair_jobs(&mut jobs, opts.pair, profile) {
        eprintln!("zpcheck: {e}");
        return 2;
    }
    if let Some(s) = &opts.summary
        && let Some(out) = jobs
            .iter()
            .filter_map(|j| j.output.as_ref())
            .find(|o| write::same_target(o, s))
    {
        eprintln!(
            "zpcheck: 汇总文件不能与更正后的工作簿同名：{}",
            out.display()
        );
        return 2;
    }
    // A summary file that is not zpcheck's, still as written, is not replaced: "(2)" beside it.
    let summary_path = opts
        .summary
        .as_ref()
        .map(|s| free_output(s, &mut used, "汇总表"));
    let fixing = !matches!(opts.target, Target::None);
    let bar = progress_bar(jobs.len(), opts.format);
    let mut tally = Tally::default();
    let mut summary = opts.summary.as_ref().map(|_| Summary::new(fixing));
    let mut all = Vec::new();
    let mut skipped = Vec::new();
    // Files that could not be read or written, listed again before the tally.
    let mut failures: Vec<String> = Vec::new();
    // How many files the run went through (checked, failed or skipped).
    let mut seen = 0usize;
    let stdout = std::io::stdout();
    let print = |text: &str, to_err: bool| {
        let out = || {
            if to_err {
                eprintln!("{text}");
            } else {
                if opts.format == Format::Jsonl {
                    let mut lock = stdout.lock();
                    let _ = lock.write_all(text.as_bytes());
                    let _ = lock.flush();
                } else {
                    super::encoding::print(text);
                }
            }
        };
        match &bar {
            Some(b) => b.suspend(out),
            None => out(),
        }
    };
    batch::run(
        jobs,
        profile,
        opts.baseline.as_ref(),
        opts.jobs,
        |job| {
            if let Some(b) = &bar {
                b.set_message(
                    job.path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                );
                b.inc(1);
            }
        },
        |done| {
            seen += 1;
            let r = match done {
                Done::Report(r) => r,
                Done::Skipped(path, why) => {
                    print(&format!("zpcheck: 跳过 {}（{why}）", path.display()), true);
                    if let Some(s) = &mut summary {
                        s.add_skipped(&path, why);
                    }
                    tally.skipped += 1;
                    skipped.push((path.display().to_string(), why));
                    return;
                }
            };
            tally.add(&r);
            if let Some(s) = &mut summary {
                s.add(&r);
            }
            let category = r.category();
            if let Some(e) = &r.error {
                failures.push(format!(
                    "  {}：{}——{}",
                    r.path.display(),
                    category.label(),
                    e.message
                ));
            }
            match opts.format {
                Format::Text | Format::Markdown => {
                    if opts.quiet && category == report::Category::Clean {
                        return;
                    }
                    if opts.verbose
                        && let Some(line) = report::provenance_line(&r)
                    {
                        print(&line, false);
                    }
                    match report::clean_line(&r) {
                        Some(line) => print(&line, false),
                        None => print(&report::text(&r, fixing), false),
                    }
                    if let Some(line) = report::error_line(&r) {
                        print(&line, true);
                    }
                }
                Format::Jsonl => print(&format!("{}\n", report::jsonl(&r)), false),
                Format::Json => all.push(r),
            }
        },
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mut status = tally.exit_code(opts.fail_on);
    if let (Some(path), Some(s)) = (&summary_path, &summary) {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(parent);
        }
        match s.write(path) {
            Ok(()) => {
                if opts.format == Format::Text {
                    textln!("汇总：{}（{} 行）", path.display(), s.form_rows());
                }
            }
            Err(e) => {
                eprintln!("zpcheck: 汇总文件未写出：{e}");
                status = 2;
            }
        }
    }
    // Named once, after the files' reports, on stderr (JSON and JSON Lines stay parseable).
    if let Some(line) = others_line(&others) {
        eprintln!("zpcheck: {line}");
    }
    match opts.format {
        Format::Json => outln!("{}", report::json_with_skipped(&all, &skipped)),
        Format::Text | Format::Markdown => {
            // On the screen whatever happens to stdout: redirected to a file, the report goes
            // there and the tally (with the files that failed) still shows.
            let to_screen = !std::io::stdout().is_terminal();
            let mut end = Vec::new();
            // One file that failed was named with its reason as it failed: a list of one
            // would name it twice.
            if !failures.is_empty() && seen > 1 {
                end.push(format!("未能处理的文件（{} 个）：", failures.len()));
                end.append(&mut failures);
            }
            end.push(tally.line());
            for line in end {
                if to_screen {
                    eprintln!("{line}");
                } else {
                    textln!("{line}");
                }
            }
        }
        Format::Jsonl => {}
    }
    status
}

/// Pairs the reports among the jobs with their workbooks (see [`crate::pairing`]): with
/// `--pair`, the one report and the one workbook named; otherwise by name and year, then stem.
/// Nothing is read when the run has no report or no workbook.
fn pair_jobs(jobs: &mut [Job], explicit: bool, profile: &crate::Profile) -> Result<(), String> {
    let is_report = |j: &Job| crate::files::is_report_name(&j.path);
    let reports = jobs.iter().filter(|j| is_report(j)).count();
    if explicit {
        if jobs.len() != 2 || reports != 1 {
            return Err(
                "--pair 需要恰好两个文件：一份自评报告（.docx）和一个自评表工作簿".to_string(),
            );
        }
        let (r, w) = if is_report(&jobs[0]) { (0, 1) } else { (1, 0) };
        jobs[r].pair = Some(jobs[w].path.clone());
        return Ok(());
    }
    if reports == 0 || reports == jobs.len() {
        return Ok(());
    }
    let keys: Vec<(PathBuf, Option<crate::pairing::PairKey>)> = jobs
        .iter()
        .map(|j| (j.path.clone(), crate::pairing::key_of(&j.path, profile)))
        .collect();
    let pairs = crate::pairing::pair(&keys);
    for (r, w) in pairs.pairs {
        jobs[r].pair = Some(jobs[w].path.clone());
    }
    for (r, note) in pairs.notes {
        jobs[r].pair_note = Some(note);
    }
    Ok(())
}
