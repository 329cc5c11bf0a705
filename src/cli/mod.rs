//! The command line: `zpcheck check`, `zpcheck fix`, `zpcheck rules`, `zpcheck explain` and bare
//! `zpcheck FILE…` (what happens when files are dropped on the program). Split as ripgrep splits
//! its flags: [`defs`] says what the arguments are (clap definitions, Chinese usage errors,
//! misplaced and misspelt commands), [`inputs`] turns them into the files of a run (walking
//! folders, naming outputs), [`output`] runs the batch and reports (progress, text, JSON,
//! summary); this file ties them together and returns the exit status. Each input runs in
//! isolation: one file's failure or panic never stops the others.

use std::path::PathBuf;

use clap::Parser;

use crate::report::FailOn;
use crate::rules::Profile;
use crate::{batch, console};

/// `println!` for the run's output, except that a closed stdout (`zpcheck … | head`) is not an
/// error: what no one reads is dropped, and the run ends with its own exit status (ripgrep
/// does the same). `println!` would panic on the broken pipe.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// A line of human-readable text on standard output, in the encoding [`encoding`] chooses (the
/// console's code page when a Windows user redirects the report to a file). JSON and Markdown
/// use [`outln`]: always UTF-8.
macro_rules! textln {
    () => {
        $crate::cli::encoding::print("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::encoding::print(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod defs;
pub mod encoding;
mod inputs;
mod output;

pub use defs::{Cli, Format};
use defs::{Command, FailOnArg, misplaced_command, unknown_command, usage_error};
use inputs::output_file;
pub use inputs::{EXTENSIONS, Inputs, corrected_name, expand, others_line};
use output::{print_rules, run_files};

/// Where corrected workbooks go.
#[derive(Debug, Clone)]
enum Target {
    None,
    File(PathBuf),
    Dir(PathBuf),
    Beside,
}

/// How a batch is run and reported.
#[derive(Debug)]
struct RunOptions {
    target: Target,
    format: Format,
    summary: Option<PathBuf>,
    fail_on: FailOn,
    jobs: usize,
    verbose: bool,
    quiet: bool,
    baseline: Option<crate::baseline::Baseline>,
    plain: bool,
    /// `--pair`: the report and the workbook named are paired whatever their names.
    pair: bool,
}

/// Runs zpcheck with the process's arguments and returns the exit status.
pub fn main() -> i32 {
    // A panic is reported as that file's internal error (see [`batch::isolate`]); the default
    // hook's English text on stderr would only confuse.
    std::panic::set_hook(Box::new(|_| {}));
    // Ctrl-C, SIGTERM, SIGHUP (Windows: Ctrl-C, Ctrl-Break, closing the console): outputs
    // being written are not left as hidden temporary files. Exit status 130, as a shell gives.
    #[cfg(any(unix, windows))]
    let _ = ctrlc::set_handler(|| {
        crate::write::remove_unfinished();
        eprintln!("\nzpcheck: 已中断；未写完的输出已删除，已写完的更正文件保留。");
        std::process::exit(130);
    });
    // On Windows the shell does not expand wildcards: `wild` does it as a Unix shell would.
    let args: Vec<std::ffi::OsString> = wild::args_os().collect();
    // Also with no arguments: a double-clicked zpcheck.exe shows its help until Enter.
    let dropped = console::dropped_on_program();
    let status = run(args);
    if dropped {
        console::wait_for_enter();
    }
    status
}

/// Runs zpcheck with the given arguments (the first is the program name).
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    // Options written before the command ("zpcheck --profile 湖北.toml check 表.xlsx") leave
    // clap taking the command for a file to correct beside itself: take it as the command.
    let cli = match misplaced_command(&cli, &args) {
        Some(reordered) => match Cli::try_parse_from(&reordered) {
            Ok(cli) => cli,
            Err(e) => return usage_error(e),
        },
        None => cli,
    };
    if let Some(what) = unknown_command(&cli) {
        eprintln!("zpcheck: {what}\n运行 zpcheck --help 查看用法。");
        return 2;
    }
    let profile = match &cli.profile {
        Some(path) => match crate::profile::load(path) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("zpcheck: {e}");
                return 2;
            }
        },
        None => Profile::default(),
    };
    let baseline = match &cli.report.baseline {
        Some(path) => match crate::baseline::Baseline::load(path) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("zpcheck: {e}");
                return 2;
            }
        },
        None => None,
    };
    let opts = |target: Target| RunOptions {
        target,
        format: cli.report.format,
        summary: cli.report.summary.clone(),
        fail_on: match cli.report.fail_on {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Partial => FailOn::Partial,
        },
        jobs: cli
            .report
            .jobs
            .map(usize::from)
            .unwrap_or_else(batch::default_jobs),
        verbose: cli.report.verbose,
        quiet: cli.report.quiet,
        baseline: baseline.clone(),
        plain: cli.report.plain,
        pair: cli.report.pair,
    };
    if cli.report.format == Format::Markdown && !matches!(cli.command, Some(Command::Rules { .. }))
    {
        eprintln!("zpcheck: --format markdown 只用于 rules 子命令\n运行 zpcheck --help 查看用法。");
        return 2;
    }
    match &cli.command {
        Some(Command::Rules { code: Some(code) }) => {
            match crate::rules::rule(&code.to_ascii_uppercase()) {
                Some(rule) => {
                    match cli.report.format {
                        Format::Json | Format::Jsonl => outln!("{}", rule_json(rule, &profile)),
                        Format::Text | Format::Markdown => encoding::print(&rule.text(&profile)),
                    }
                    0
                }
                None => {
                    eprintln!("zpcheck: 没有规则 {code}；运行 zpcheck rules 查看全部规则");
                    2
                }
            }
        }
        Some(Command::Rules { code: None }) => {
            match cli.report.format {
                Format::Markdown => {
                    outln!("{}", crate::rules::markdown_table(&profile).trim_end());
                }
                Format::Json | Format::Jsonl => {
                    let all: Vec<serde_json::Value> = crate::rules::RULES
                        .iter()
                        .map(|r| rule_json(r, &profile))
                        .collect();
                    let doc = serde_json::json!({ "profile": profile.name, "rules": all });
                    outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
                }
                Format::Text => print_rules(&profile),
            }
            0
        }
        Some(Command::Explain { path }) => {
            // The same path through the work as `check`: read once, checked, described.
            let run = crate::read::file_bytes(path).map(|bytes| {
                let opts = crate::pipeline::Options {
                    explain: true,
                    ..crate::pipeline::Options::check(&profile)
                };
                crate::pipeline::run(path, bytes, &opts)
            });
            match run {
                Ok(crate::pipeline::Outcome {
                    explained: Some(e), ..
                }) => {
                    match cli.report.format {
                        // (Markdown is refused before a command other than `rules` runs.)
                        Format::Text | Format::Markdown => {
                            encoding::print(&crate::explain::text(&path.display().to_string(), &e));
                        }
                        Format::Json | Format::Jsonl => outln!("{}", crate::explain::json(&e)),
                    }
                    if e.forms.is_empty() { 2 } else { 0 }
                }
                Ok(crate::pipeline::Outcome {
                    checked: Err(err), ..
                })
                | Err(err) => {
                    eprintln!("zpcheck: {}: {err}", path.display());
                    2
                }
                Ok(_) => 2,
            }
        }
        Some(Command::Check { paths }) => run_files(paths, opts(Target::None), &profile),
        Some(Command::Fix {
            paths,
            output,
            out_dir,
        }) => {
            let target = match (output, out_dir) {
                (Some(o), None) => {
                    if paths.len() != 1 || paths[0].is_dir() {
                        eprintln!(
                            "zpcheck: -o 只能用于一个输入文件；多个文件请用 --out-dir 文件夹"
                        );
                        return 2;
                    }
                    match output_file(o, &paths[0]) {
                        // Said before anything is read: the input is never written over, and
                        // a report saying "已更正" for a file that is not written would lie.
                        Ok(file) if crate::write::same_file(&paths[0], &file) => {
                            eprintln!(
                                "zpcheck: 输出文件不能与输入文件相同：{}（原文件不会被改动；请用 -o 另取一个名字，或直接运行 zpcheck 文件，写到原文件旁的“原名_核查.xlsx”）",
                                file.display()
                            );
                            return 2;
                        }
                        Ok(file) => Target::File(file),
                        Err(why) => {
                            eprintln!("zpcheck: {why}");
                            return 2;
                        }
                    }
                }
                (None, Some(d)) => Target::Dir(d.clone()),
                (None, None) => {
                    eprintln!("zpcheck: fix 需要 -o 输出.xlsx 或 --out-dir 文件夹");
                    return 2;
                }
                (Some(_), Some(_)) => {
                    eprintln!("zpcheck: -o 与 --out-dir 不能同时使用");
                    return 2;
                }
            };
            run_files(paths, opts(target), &profile)
        }
        None if cli.files.is_empty() => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let _ = cmd.print_help();
            2
        }
        None => run_files(&cli.files, opts(Target::Beside), &profile),
    }
}

/// One rule as JSON: its code, severity, fix safety, whether an uncorrected finding puts its
/// cells in doubt, and its documentation under `profile`.
fn rule_json(rule: &crate::rules::Rule, profile: &Profile) -> serde_json::Value {
    let d = rule.render(profile);
    serde_json::json!({
        "code": rule.code,
        "severity": rule.severity,
        "fix": match rule.fix {
            crate::rules::FixSafety::Safe => "safe",
            crate::rules::FixSafety::Review => "review",
            crate::rules::FixSafety::None => "none",
        },
        "doubts": rule.doubts,
        "title": rule.title,
        "what": d.what,
        "why": d.why,
        "example": d.example,
        "fix_doc": d.fix,
    })
}
