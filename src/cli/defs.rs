//! What the arguments are: clap's definitions with Chinese help, usage errors in Chinese, and
//! the two slips clap cannot see (options before the command; a misspelt command).

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};

/// The top-level help: its sections headed in Chinese with a full-width colon like 用法：
/// (clap's own headings end in ":"), so no argument carries a heading of its own.
const TOP_HELP_TEMPLATE: &str = "{about}\n\n用法：{usage}\n\n命令：\n{subcommands}\n\n参数：\n{positionals}\n\n选项：\n{options}{after-help}";

/// A command's help (the same headings, without the command list).
const HELP_TEMPLATE: &str =
    "{about}\n\n用法：{usage}\n\n参数：\n{positionals}\n\n选项：\n{options}{after-help}";

const AFTER_HELP: &str = "\
退出状态：0 无错误；1 发现错误；2 文件无法读取、没有自评表或用法错误。
直接运行 zpcheck 文件.xlsx（或把文件拖到程序上）会在原文件旁写出“原名_核查.xlsx”。";

/// zpcheck：核查并更正绩效自评表的算术错误。
#[derive(Debug, Parser)]
#[command(
    name = "zpcheck",
    version,
    about = "zpcheck：核查并更正绩效自评表（预算绩效自评表）的算术错误",
    help_template = TOP_HELP_TEMPLATE,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_value_name = "命令",
    override_usage = "zpcheck [选项] [文件]...\n       zpcheck <命令> [选项]"
)]
pub struct Cli {
    #[command(subcommand)]
    pub(super) command: Option<Command>,

    /// 要核查并更正的文件或文件夹：更正后的工作簿写在原文件旁，名为“原名_核查.xlsx”
    #[arg(value_name = "文件")]
    pub(super) files: Vec<PathBuf>,

    #[command(flatten)]
    pub(super) report: ReportArgs,

    /// 省级规则配置文件（TOML，见 README“规则配置”），默认为国家规则
    #[arg(long, value_name = "配置.toml", global = true)]
    pub(super) profile: Option<PathBuf>,

    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    pub(super) help: Option<bool>,

    /// 显示版本
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    pub(super) version: Option<bool>,
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
pub(super) enum FailOnArg {
    /// 只有错误（默认）
    Error,
    /// 警告也算
    Warning,
    /// 有错误或有未能完整识别（部分核查）的表
    Partial,
}

/// Options shared by every way of running checks.
#[derive(Debug, clap::Args)]
pub(super) struct ReportArgs {
    /// 输出格式：text（中文文本，默认）、json（一个文档）或 jsonl（每个文件一行）；rules 另可用 markdown（规则表）
    #[arg(
        long,
        value_enum,
        default_value = "text",
        value_name = "格式",
        global = true,
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub(super) format: Format,
    /// 另写一个汇总工作簿：每张表一行，另附全部问题清单
    #[arg(long, value_name = "汇总.xlsx", global = true)]
    pub(super) summary: Option<PathBuf>,
    /// 退出状态 1 的条件：error（有错误，默认）、warning（有警告也算）或 partial（有部分核查的表也算）
    #[arg(
        long = "fail-on",
        value_enum,
        default_value = "error",
        value_name = "级别",
        global = true,
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub(super) fail_on: FailOnArg,
    /// 同时处理的文件数，默认等于 CPU 核数
    #[arg(
        short = 'j',
        long = "jobs",
        value_name = "N",
        global = true,
        value_parser = parse_jobs
    )]
    pub(super) jobs: Option<u16>,
    /// 每个文件另起一行，说明用哪个读取器读入、更正版本是逐处修改还是整本重建（以及为什么）
    #[arg(short = 'v', long, global = true)]
    pub(super) verbose: bool,
    /// 已确认的问题清单（zpcheck check --format json 写出的文件，或每行“规则 工作表!单元格”的文本）：其中的问题不再报告、标记或更正，末尾写明忽略了几条
    #[arg(long, value_name = "已确认.json", global = true)]
    pub(super) baseline: Option<PathBuf>,
    /// 更正时写出可直接重新报送的干净副本“原名_更正.xlsx”：只改正数值，不加底纹、批注和核查结果表
    #[arg(long, global = true)]
    pub(super) plain: bool,
    /// 只列出有问题的文件（无误的文件不再各占一行）；末尾的无法处理清单和合计照常给出
    #[arg(short = 'q', long, global = true)]
    pub(super) quiet: bool,
    /// 把命令行上的一份自评报告（.docx）和一个自评表工作簿配对：报告的文字按该工作簿的自评表核对（不加时按名称和年度自动配对）
    #[arg(long, global = true)]
    pub(super) pair: bool,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// 只核查并报告，不写任何文件
    #[command(help_template = HELP_TEMPLATE, override_usage = "zpcheck check <路径>... [--format text|json|jsonl] [--summary 汇总.xlsx]")]
    Check {
        #[arg(
            value_name = "路径",
            required = true,
            help = concat!("要核查的文件或文件夹（文件夹会递归查找", crate::formats!(), "）")
        )]
        paths: Vec<PathBuf>,
    },
    /// 核查并写出更正后的工作簿（总是 .xlsx），并像 check 一样报告
    #[command(
        help_template = HELP_TEMPLATE,
        override_usage = "zpcheck fix <文件> -o <输出.xlsx> [--format text|json|jsonl]\n       zpcheck fix <路径>... --out-dir <文件夹> [--format text|json|jsonl] [--summary 汇总.xlsx]"
    )]
    Fix {
        /// 要更正的文件或文件夹
        #[arg(value_name = "路径", required = true)]
        paths: Vec<PathBuf>,
        /// 更正后的工作簿（仅一个输入文件时）
        #[arg(
            short = 'o',
            long = "output",
            value_name = "输出.xlsx",
            conflicts_with = "out_dir"
        )]
        output: Option<PathBuf>,
        /// 更正后的工作簿写入此文件夹，名为“原名_核查.xlsx”
        #[arg(long = "out-dir", value_name = "文件夹")]
        out_dir: Option<PathBuf>,
    },
    /// 列出全部核查规则（按所用的规则配置）；给出规则代码时详细说明该规则：检查什么、为什么、示例、如何更正
    #[command(help_template = HELP_TEMPLATE, override_usage = "zpcheck rules [规则] [--format text|json|markdown] [--profile 配置.toml]")]
    Rules {
        /// 要详细说明的规则代码，如 ZP204
        #[arg(value_name = "规则")]
        code: Option<String>,
    },
    /// 说明 zpcheck 在文件中认出了什么：每张表的位置、每列的角色及其表头、合计行与分项、每个指标及其分值来源、总分与等级单元格、未能识别的内容
    #[command(help_template = HELP_TEMPLATE, override_usage = "zpcheck explain <文件> [--format text|json]")]
    Explain {
        /// 要说明的文件
        #[arg(value_name = "文件")]
        path: PathBuf,
    },
}

/// When clap read no command but the first file is a command's name that names no file, the
/// arguments with that word moved to the front (options are global, so they may follow it).
pub(super) fn misplaced_command(
    cli: &Cli,
    args: &[std::ffi::OsString],
) -> Option<Vec<std::ffi::OsString>> {
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
pub(super) fn unknown_command(cli: &Cli) -> Option<String> {
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
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
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

/// `-j N`: 1 to 65535 workers, said in Chinese when it is not.
fn parse_jobs(s: &str) -> Result<u16, String> {
    match s.trim().parse::<u16>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("应为 1 到 65535 之间的整数".to_string()),
    }
}

pub(super) fn usage_error(e: clap::Error) -> i32 {
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
        // A value our own parser refused (`-j 0`): its Chinese reason.
        ErrorKind::ValueValidation => format!(
            "参数 {} 的值“{}”无效：{}",
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::InvalidValue),
            std::error::Error::source(&e)
                .map(|s| s.to_string())
                .unwrap_or_default()
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
