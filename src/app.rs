//! The command line: `zpcheck check`, `zpcheck fix`, `zpcheck rules`, and bare `zpcheck FILE…`
//! (what happens when files are dropped on the program). Parses arguments, runs each input in
//! isolation (one file's failure or panic never stops the others) and returns the exit status.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{ArgAction, Parser, Subcommand, ValueEnum};

use crate::report::{self, FileOutcome};
use crate::rules::{Profile, RULES};
use crate::{InputError, check_path, write};

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

    /// 要核查并更正的文件：更正后的工作簿写在原文件旁，名为“原名_核查.xlsx”
    #[arg(value_name = "文件", help_heading = "参数")]
    files: Vec<PathBuf>,

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
}

/// Options shared by `check` and `fix`.
#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// 输出格式：text（中文文本，默认）或 json
    #[arg(
        long,
        value_enum,
        default_value = "text",
        value_name = "格式",
        hide_possible_values = true,
        hide_default_value = true,
        help_heading = "选项"
    )]
    format: Format,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 只核查并报告，不写任何文件
    #[command(help_template = HELP_TEMPLATE, override_usage = "zpcheck check <路径>... [--format text|json]")]
    Check {
        /// 要核查的文件或文件夹（文件夹会递归查找 .xlsx/.xlsm/.xls/.ods）
        #[arg(value_name = "路径", required = true, help_heading = "参数")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// 核查并写出更正后的工作簿（总是 .xlsx），并像 check 一样报告
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "zpcheck fix <文件> -o <输出.xlsx> [--format text|json]\n       zpcheck fix <路径>... --out-dir <文件夹> [--format text|json]"
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
        #[command(flatten)]
        report: ReportArgs,
    },
    /// 列出全部核查规则
    #[command(help_template = HELP_TEMPLATE)]
    Rules,
}

/// Where corrected workbooks go.
#[derive(Debug, Clone)]
enum Target {
    None,
    File(PathBuf),
    Dir(PathBuf),
    Beside,
}

/// Runs zpcheck with the process's arguments and returns the exit status.
pub fn main() -> i32 {
    // A panic is reported as that file's internal error (see [`isolate`]); the default hook's
    // English text on stderr would only confuse.
    std::panic::set_hook(Box::new(|_| {}));
    run(std::env::args_os())
}

/// Runs zpcheck with the given arguments (the first is the program name).
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
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
    match cli.command {
        Some(Command::Rules) => {
            print_rules();
            0
        }
        Some(Command::Check { paths, report }) => {
            run_files(&paths, Target::None, report.format, &profile)
        }
        Some(Command::Fix {
            paths,
            output,
            out_dir,
            report,
        }) => {
            let target = match (output, out_dir) {
                (Some(o), None) => {
                    if paths.len() != 1 || paths[0].is_dir() {
                        eprintln!(
                            "zpcheck: -o 只能用于一个输入文件；多个文件请用 --out-dir 文件夹"
                        );
                        return 2;
                    }
                    Target::File(o)
                }
                (None, Some(d)) => Target::Dir(d),
                (None, None) => {
                    eprintln!("zpcheck: fix 需要 -o 输出.xlsx 或 --out-dir 文件夹");
                    return 2;
                }
                (Some(_), Some(_)) => {
                    eprintln!("zpcheck: -o 与 --out-dir 不能同时使用");
                    return 2;
                }
            };
            run_files(&paths, target, report.format, &profile)
        }
        None if cli.files.is_empty() => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let _ = cmd.print_help();
            2
        }
        None => run_files(&cli.files, Target::Beside, Format::Text, &profile),
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

fn print_rules() {
    println!("规则    级别  可更正  名称");
    for r in RULES {
        println!(
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

/// Expands folders into the spreadsheets they hold (recursively, sorted), skipping hidden files
/// and Excel/WPS lock files (~$…). Files named directly are kept whatever their extension.
pub fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found);
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if path.is_dir() {
            walk(&path, out);
        } else if path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
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
    // Two inputs with the same name (a.xls and a.xlsx, or in two folders) get distinct outputs.
    let mut candidate = base.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        candidate = base.with_file_name(format!("{stem}({n}).xlsx"));
        n += 1;
    }
    used.insert(candidate.clone());
    Some(candidate)
}

fn process(path: &Path, out: Option<PathBuf>, profile: &Profile) -> FileOutcome {
    isolate(path, || {
        let checked = check_path(path, profile);
        let mut outcome = FileOutcome {
            path: path.to_path_buf(),
            checked,
            output: None,
            write_error: None,
        };
        if let (Ok(c), Some(out)) = (&outcome.checked, out) {
            match write::write_corrected(c, path, &out) {
                Ok(()) => outcome.output = Some(out),
                Err(e) => outcome.write_error = Some(e),
            }
        }
        outcome
    })
}

/// Runs one file's work so that a panic inside it (a bug in zpcheck or a library) becomes that
/// file's internal error, and the run goes on with the next file.
pub fn isolate(path: &Path, work: impl FnOnce() -> FileOutcome) -> FileOutcome {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(o) => o,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            FileOutcome {
                path: path.to_path_buf(),
                checked: Err(InputError::Internal(what)),
                output: None,
                write_error: None,
            }
        }
    }
}

fn run_files(paths: &[PathBuf], target: Target, format: Format, profile: &Profile) -> i32 {
    let files = expand(paths);
    if files.is_empty() {
        eprintln!("zpcheck: 没有找到要核查的文件（.xlsx/.xlsm/.xls/.ods）");
        return 2;
    }
    let mut used = HashSet::new();
    if let Target::Dir(d) = &target
        && let Err(e) = std::fs::create_dir_all(d)
    {
        eprintln!("zpcheck: 无法创建输出文件夹 {}：{e}", d.display());
        return 2;
    }
    let fixing = !matches!(target, Target::None);
    let mut outcomes = Vec::new();
    let stdout = std::io::stdout();
    for f in &files {
        let out = output_for(f, &target, &mut used);
        let o = process(f, out, profile);
        if format == Format::Text {
            let mut lock = stdout.lock();
            let _ = lock.write_all(report::text(&o, fixing).as_bytes());
            if let Some(line) = report::error_line(&o) {
                eprintln!("{line}");
            }
        }
        outcomes.push(o);
    }
    match format {
        Format::Json => println!("{}", report::json(&outcomes)),
        Format::Text => println!("{}", report::tally(&outcomes)),
    }
    report::exit_code(&outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_that_files_internal_error() {
        let o = isolate(Path::new("坏.xlsx"), || panic!("模拟的故障"));
        assert_eq!(o.path, Path::new("坏.xlsx"));
        let e = o.checked.as_ref().err().unwrap();
        assert_eq!(e.kind(), "internal");
        assert!(e.to_string().contains("内部错误") && e.to_string().contains("模拟的故障"));
        assert_eq!(o.status(), report::Status::Error);
        // The run goes on: the next file is processed normally.
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/dept_clean.xlsx");
        let next = process(&sample, None, &Profile::default());
        assert_eq!(next.status(), report::Status::Clean);
        assert_eq!(report::exit_code(&[o, next]), 2);
    }
}
