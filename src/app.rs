//! The command line: `zpcheck check`, `zpcheck fix`, `zpcheck rules`, and bare `zpcheck FILE…`
//! (what happens when files are dropped on the program). Parses arguments, runs each input in
//! isolation (one file's failure or panic never stops the others) and returns the exit status.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{ArgAction, Parser, Subcommand, ValueEnum};

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::batch::{self, Done, Job};
use crate::report::{self, FailOn, Tally};
use crate::rules::{Profile, RULES};
use crate::summary::Summary;
use crate::{console, write};

/// `println!` for the run's output, except that a closed stdout (`zpcheck … | head`) is not an
/// error: what no one reads is dropped, and the run ends with its own exit status (ripgrep
/// does the same). `println!` would panic on the broken pipe.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

const HELP_TEMPLATE: &str = "{about}\n\n用法：{usage}\n\n{all-args}{after-help}";

const AFTER_HELP: &str = "\
退出状态：0 无错误；1 发现错误；2 文件无法读取、没有自评表或用法错误。
直接运行 zpcheck 文件.xlsx（或把文件拖到程序上）会在原文件旁写出“原名_核查.xlsx”。";

/// zpcheck：核查并更正绩效自评表的算术错误。
#[derive(Debug, Parser)]
#[command(
    name = "zpcheck",
    version,
    about = "zpcheck：核查并更正绩效自评表（预算绩效自评表）的算术错误",
    help_template = HELP_TEMPLATE,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// 要核查并更正的文件或文件夹：更正后的工作簿写在原文件旁，名为“原名_核查.xlsx”
    #[arg(value_name = "文件", help_heading = "参数")]
    files: Vec<PathBuf>,

    #[command(flatten)]
    report: ReportArgs,

    /// 省级规则配置文件（TOML，见 README“规则配置”），默认为国家规则
    #[arg(long, value_name = "配置.toml", global = true, help_heading = "选项")]
    profile: Option<PathBuf>,

    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true, help_heading = "选项")]
    help: Option<bool>,

    /// 显示版本
    #[arg(short = 'V', long = "version", action = ArgAction::Version, help_heading = "选项")]
    version: Option<bool>,
}

/// Output format of `check` and `fix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 中文文本，每条问题一行
    Text,
    /// 一个 JSON 文档
    Json,
    /// 每个文件一行 JSON（JSON Lines），逐个输出
    Jsonl,
    /// Markdown 表格（只用于 rules：README 中的规则表即由此生成）
    Markdown,
}

/// Which findings make the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOnArg {
    /// 只有错误（默认）
    Error,
    /// 警告也算
    Warning,
    /// 有错误或有未能完整识别（部分核查）的表
    Partial,
}

/// Options shared by every way of running checks.
#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// 输出格式：text（中文文本，默认）、json（一个文档）或 jsonl（每个文件一行）；rules 另可用 markdown（规则表）
    #[arg(
        long,
        value_enum,
        default_value = "text",
        value_name = "格式",
        global = true,
        hide_possible_values = true,
        hide_default_value = true,
        help_heading = "选项"
    )]
    format: Format,
    /// 另写一个汇总工作簿：每张表一行，另附全部问题清单
    #[arg(long, value_name = "汇总.xlsx", global = true, help_heading = "选项")]
    summary: Option<PathBuf>,
    /// 退出状态 1 的条件：error（有错误，默认）、warning（有警告也算）或 partial（有部分核查的表也算）
    #[arg(
        long = "fail-on",
        value_enum,
        default_value = "error",
        value_name = "级别",
        global = true,
        hide_possible_values = true,
        hide_default_value = true,
        help_heading = "选项"
    )]
    fail_on: FailOnArg,
    /// 同时处理的文件数，默认等于 CPU 核数
    #[arg(
        short = 'j',
        long = "jobs",
        value_name = "N",
        global = true,
        value_parser = clap::value_parser!(u16).range(1..),
        help_heading = "选项"
    )]
    jobs: Option<u16>,
    /// 每个文件另起一行，说明用哪个读取器读入、更正版本是逐处修改还是整本重建（以及为什么）
    #[arg(short = 'v', long, global = true, help_heading = "选项")]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 只核查并报告，不写任何文件
    #[command(help_template = HELP_TEMPLATE, override_usage = "zpcheck check <路径>... [--format text|json|jsonl] [--summary 汇总.xlsx]")]
    Check {
        /// 要核查的文件或文件夹（文件夹会递归查找 .xlsx/.xlsm/.xls/.ods）
        #[arg(value_name = "路径", required = true, help_heading = "参数")]
        paths: Vec<PathBuf>,
    },
    /// 核查并写出更正后的工作簿（总是 .xlsx），并像 check 一样报告
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "zpcheck fix <文件> -o <输出.xlsx> [--format text|json|jsonl]\n       zpcheck fix <路径>... --out-dir <文件夹> [--format text|json|jsonl] [--summary 汇总.xlsx]"
    )]
    Fix {
        /// 要更正的文件或文件夹
        #[arg(value_name = "路径", required = true, help_heading = "参数")]
        paths: Vec<PathBuf>,
        /// 更正后的工作簿（仅一个输入文件时）
        #[arg(
            short = 'o',
            long = "output",
            value_name = "输出.xlsx",
            conflicts_with = "out_dir",
            help_heading = "选项"
        )]
        output: Option<PathBuf>,
        /// 更正后的工作簿写入此文件夹，名为“原名_核查.xlsx”
        #[arg(long = "out-dir", value_name = "文件夹", help_heading = "选项")]
        out_dir: Option<PathBuf>,
    },
    /// 列出全部核查规则
    #[command(help_template = HELP_TEMPLATE)]
    Rules,
    /// 说明 zpcheck 在文件中认出了什么：每张表的位置、每列的角色及其表头、合计行与分项、每个指标及其分值来源、总分与等级单元格、未能识别的内容
    #[command(help_template = HELP_TEMPLATE)]
    Explain {
        /// 要说明的文件
        #[arg(value_name = "文件")]
        path: PathBuf,
    },
}

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

/// When clap read no command but the first file is a command's name that names no file, the
/// arguments with that word moved to the front (options are global, so they may follow it).
fn misplaced_command(cli: &Cli, args: &[std::ffi::OsString]) -> Option<Vec<std::ffi::OsString>> {
    const COMMANDS: &[&str] = &["check", "fix", "rules", "explain"];
    let first = cli.files.first()?;
    let name = first.to_str()?;
    if cli.command.is_some() || !COMMANDS.contains(&name) || first.exists() {
        return None;
    }
    let at = args.iter().skip(1).position(|a| a.to_str() == Some(name))? + 1;
    let mut out = vec![args[0].clone(), args[at].clone()];
    out.extend(args[1..at].iter().cloned());
    out.extend(args[at + 1..].iter().cloned());
    Some(out)
}

/// When clap read no command and the first file is a bare word (no extension, no folder part)
/// that names nothing on disk, it was meant as a command: the usage error for it, with the
/// nearest command when one is a slip of the hand away ("chek" → check).
fn unknown_command(cli: &Cli) -> Option<String> {
    const COMMANDS: &[&str] = &["check", "fix", "rules", "explain"];
    let first = cli.files.first()?;
    let word = first.to_str()?;
    if cli.command.is_some() || first.exists() || word.is_empty() || word.contains(['.', '/', '\\'])
    {
        return None;
    }
    let lower = word.to_lowercase();
    let nearest = COMMANDS
        .iter()
        .map(|c| (edit_distance(&lower, c), *c))
        .min()
        // A slip of the hand: one letter in a short word, two in a longer one ("foo" is not
        // "fix").
        .filter(|(d, _)| *d <= (word.chars().count() / 3).max(1));
    Some(match nearest {
        Some((_, c)) => format!("未知的子命令 {word}，是否要用 {c}？"),
        None => format!(
            "未知的子命令 {word}（可用的命令：{}），也没有名为 {word} 的文件或文件夹",
            COMMANDS.join("、")
        ),
    })
}

/// The number of single-character insertions, deletions and substitutions between two words.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
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
    };
    if cli.report.format == Format::Markdown && !matches!(cli.command, Some(Command::Rules)) {
        eprintln!("zpcheck: --format markdown 只用于 rules 子命令\n运行 zpcheck --help 查看用法。");
        return 2;
    }
    match &cli.command {
        Some(Command::Rules) if cli.report.format == Format::Markdown => {
            outln!("{}", crate::rules::markdown_table().trim_end());
            0
        }
        Some(Command::Rules) => {
            print_rules(&profile);
            0
        }
        Some(Command::Explain { path }) => match crate::read::read_path(path) {
            Ok(wb) => {
                let e = crate::explain::explain(&wb, &profile);
                match cli.report.format {
                    // (Markdown is refused before a command other than `rules` runs.)
                    Format::Text | Format::Markdown => {
                        use std::io::Write as _;
                        let text = crate::explain::text(&path.display().to_string(), &e);
                        let _ = write!(std::io::stdout().lock(), "{text}");
                    }
                    Format::Json | Format::Jsonl => outln!("{}", crate::explain::json(&e)),
                }
                if e.forms.is_empty() { 2 } else { 0 }
            }
            Err(err) => {
                eprintln!("zpcheck: {}: {err}", path.display());
                2
            }
        },
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

fn usage_error(e: clap::Error) -> i32 {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return 0;
    }
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let what = match e.kind() {
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必需的参数：{}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::UnknownArgument => format!("未知的参数：{}", ctx(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue => format!(
            "参数 {} 的值“{}”无效，可选：{}",
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::ArgumentConflict => format!(
            "参数 {} 不能与 {} 同时使用",
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::PriorArg)
        ),
        ErrorKind::InvalidSubcommand => {
            format!("未知的命令：{}", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("参数用法错误：{}", ctx(ContextKind::InvalidArg))
        }
        _ => format!("用法错误：{}", e.render()),
    };
    eprintln!("zpcheck: {what}\n运行 zpcheck --help 查看用法。");
    2
}

fn print_rules(profile: &Profile) {
    outln!("{}", crate::profile::summary(profile));
    outln!("表头用词（按角色，表头含有其中的词即为该列；多个角色的词都含有时取最长的词）：");
    for (role, words) in &profile.vocab.headers {
        outln!("  {}：{}", role.name(), words.join("、"));
    }
    outln!("一级指标名称：{}", profile.vocab.groups.join("、"));
    outln!(
        "总分行：{}；资金合计行：{}",
        profile.vocab.score_total.join("、"),
        profile.vocab.fund_total.join("、")
    );
    outln!();
    outln!("规则    级别  可更正  名称");
    for r in RULES {
        outln!(
            "{}  {}  {}      {}：{}",
            r.code,
            r.severity.label(),
            if r.fixable { "是" } else { "否" },
            r.title,
            r.doc
        );
    }
}

/// The spreadsheet extensions zpcheck looks for in folders.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

/// Expands the arguments into the inputs of a run: files named directly are kept in argument
/// order whatever their extension; a folder becomes the spreadsheets it holds, recursively, in
/// sorted order, skipping hidden files and Excel/WPS lock files (~$…). A file reached twice
/// (named and inside a named folder) is checked once. The flag tells a walked file.
pub fn expand(paths: &[PathBuf]) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    // A file reached twice (two arguments naming it, a folder and a file in it) is checked
    // once: files are compared by their canonical path. A walked file's is its folder's (looked
    // up once per folder) joined with its name, unless the file itself is a symbolic link.
    let mut folders: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut canonical = |p: &Path, link: bool| -> PathBuf {
        let full = || p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        match (link, p.parent(), p.file_name()) {
            (false, Some(dir), Some(name)) => folders
                .entry(dir.to_path_buf())
                .or_insert_with(|| dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()))
                .join(name),
            _ => full(),
        }
    };
    let mut visited = HashSet::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut visited);
            found.sort();
            for (f, link) in found {
                if seen.insert(canonical(&f, link)) {
                    out.push((f, true));
                }
            }
        } else if seen.insert(canonical(p, true)) {
            out.push((p.clone(), false));
        }
    }
    out
}

/// The workbook files under a folder, and whether each is a symbolic link.
///
/// A folder is walked once however many links lead to it (two links to `.` walked forever). A
/// folder that cannot be listed is itself returned as an input, so that reading it reports why
/// (permission, path too long) and the run exits 2, instead of its files going missing unsaid.
fn walk(dir: &Path, out: &mut Vec<(PathBuf, bool)>, visited: &mut HashSet<PathBuf>) {
    if let Ok(real) = dir.canonicalize()
        && !visited.insert(real)
    {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push((dir.to_path_buf(), false));
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        // The entry's type comes with the directory listing; only a link needs a stat.
        let (link, is_dir) = match e.file_type() {
            Ok(t) if !t.is_symlink() => (false, t.is_dir()),
            _ => (true, path.is_dir()),
        };
        if is_dir {
            walk(&path, out, visited);
        } else if path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
        {
            out.push((path, link));
        }
    }
}

/// Where `fix -o OUT` writes: an existing folder (or a path ending in "/") holds
/// "原名_核查.xlsx"; a name without the .xlsx extension gets it (the output is always .xlsx;
/// "表.xls" would misname it), said on stderr; the folder it goes into is created.
fn output_file(out: &Path, input: &Path) -> Result<PathBuf, String> {
    let as_text = out.to_string_lossy();
    let file = if out.is_dir() || as_text.ends_with('/') || as_text.ends_with('\\') {
        out.join(corrected_name(input))
    } else if out
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("xlsx"))
        || std::fs::metadata(out).is_ok_and(|m| !m.is_file())
    {
        // (A device or pipe stays as named, to be refused when writing.)
        out.to_path_buf()
    } else {
        let file = out.with_extension("xlsx");
        eprintln!(
            "zpcheck: 更正后的工作簿总是 .xlsx，输出改为 {}",
            file.display()
        );
        file
    };
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return Err(format!(
            "无法创建输出文件夹 {}：{}",
            dir.display(),
            crate::error::io_reason(&e)
        ));
    }
    Ok(file)
}

/// The corrected workbook's name for an input: "原名_核查.xlsx".
pub fn corrected_name(input: &Path) -> String {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "zpcheck".into());
    format!("{stem}_核查.xlsx")
}

fn output_for(input: &Path, target: &Target, used: &mut HashSet<PathBuf>) -> Option<PathBuf> {
    let base = match target {
        Target::None => return None,
        Target::File(p) => return Some(p.clone()),
        Target::Dir(d) => d.join(corrected_name(input)),
        Target::Beside => input
            .parent()
            .unwrap_or(Path::new(""))
            .join(corrected_name(input)),
    };
    // Two inputs with the same name (a.xls and a.xlsx, or in two folders) get distinct outputs,
    // and a file of that name that zpcheck did not write is never replaced.
    let mut candidate = base.clone();
    let mut n = 2;
    while used.contains(&candidate)
        || (std::fs::symlink_metadata(&candidate).is_ok() && !write::written_by_zpcheck(&candidate))
    {
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        candidate = base.with_file_name(format!("{stem}({n}).xlsx"));
        n += 1;
    }
    if candidate != base && !used.contains(&base) {
        eprintln!(
            "zpcheck: {} 已存在且不是 zpcheck 写出的文件，不会替换；更正结果写到 {}",
            base.display(),
            candidate.display()
        );
    }
    used.insert(candidate.clone());
    Some(candidate)
}

/// Runs with more files than this show a progress bar (when stderr is a terminal).
const PROGRESS_MIN_FILES: usize = 5;

fn progress_bar(files: usize, format: Format) -> Option<ProgressBar> {
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

fn run_files(paths: &[PathBuf], opts: RunOptions, profile: &Profile) -> i32 {
    let inputs = expand(paths);
    if inputs.is_empty() {
        eprintln!("zpcheck: 没有找到要核查的文件（.xlsx/.xlsm/.xls/.ods）");
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
    if let Target::File(out) = &opts.target
        && std::fs::symlink_metadata(out).is_ok_and(|m| m.is_file() || m.is_symlink())
        && !write::written_by_zpcheck(out)
        && !inputs.iter().any(|(p, _)| write::same_file(p, out))
    {
        // (An output equal to the input has its own message, per file.)
        eprintln!(
            "zpcheck: {} 已存在且不是 zpcheck 写出的文件，不会替换它；请另选输出文件名",
            out.display()
        );
        return 2;
    }
    let mut used = HashSet::new();
    let jobs: Vec<Job> = inputs
        .into_iter()
        .map(|(path, walked)| Job {
            output: output_for(&path, &opts.target, &mut used),
            path,
            walked,
        })
        .collect();
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
    if let Some(s) = &opts.summary
        && std::fs::symlink_metadata(s).is_ok()
        && !write::written_by_zpcheck(s)
    {
        eprintln!(
            "zpcheck: 汇总文件 {} 已存在且不是 zpcheck 写出的文件，不会替换它；请另选文件名",
            s.display()
        );
        return 2;
    }
    let fixing = !matches!(opts.target, Target::None);
    let bar = progress_bar(jobs.len(), opts.format);
    let mut tally = Tally::default();
    let mut summary = opts.summary.as_ref().map(|_| Summary::new(fixing));
    let mut all = Vec::new();
    let mut skipped = Vec::new();
    let stdout = std::io::stdout();
    let print = |text: &str, to_err: bool| {
        let out = || {
            if to_err {
                eprintln!("{text}");
            } else {
                let mut lock = stdout.lock();
                let _ = lock.write_all(text.as_bytes());
                let _ = lock.flush();
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
            let r = match done {
                Done::Report(r) => r,
                Done::Skipped(path, why) => {
                    print(&format!("zpcheck: 跳过 {}（{why}）", path.display()), true);
                    tally.skipped += 1;
                    skipped.push((path.display().to_string(), why));
                    return;
                }
            };
            tally.add(&r);
            if let Some(s) = &mut summary {
                s.add(&r);
            }
            match opts.format {
                Format::Text | Format::Markdown => {
                    if opts.verbose
                        && let Some(line) = report::provenance_line(&r)
                    {
                        print(&line, false);
                    }
                    print(&report::text(&r, fixing), false);
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
    if let (Some(path), Some(s)) = (&opts.summary, &summary) {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(parent);
        }
        match s.write(path) {
            Ok(()) => {
                if opts.format == Format::Text {
                    outln!("汇总：{}（{} 行）", path.display(), s.form_rows());
                }
            }
            Err(e) => {
                eprintln!("zpcheck: 汇总文件未写出：{e}");
                status = 2;
            }
        }
    }
    match opts.format {
        Format::Json => outln!("{}", report::json_with_skipped(&all, &skipped)),
        Format::Text | Format::Markdown => outln!("{}", tally.line()),
        Format::Jsonl => {}
    }
    status
}
