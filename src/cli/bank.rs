//! Arguments of `interview-kit bank …`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use interview_kit::bank::Level;

/// Arguments of `interview-kit bank`.
#[derive(Debug, Args)]
pub struct BankArgs {
    /// Bank to work on instead of the built-in one: a folder of `*.toml` files or a `.csv` file.
    #[arg(long, value_name = "PATH", global = true)]
    pub bank: Option<PathBuf>,

    /// What to do with the bank.
    #[command(subcommand)]
    pub command: BankCommand,
}

/// The `bank` subcommands.
#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// List questions as a table (or JSON), optionally filtered.
    List(ListArgs),
    /// Show every field of one question, with its derived rubric.
    Show(ShowArgs),
    /// Count questions and minutes per topic and level, and check blueprints against the bank.
    Stats(StatsArgs),
    /// Check the bank for thin, missing, duplicate or giveaway content; exit 1 on errors.
    Lint(LintArgs),
    /// Turn a spreadsheet bank (CSV, one row per question) into a folder of TOML files.
    Import(ImportArgs),
    /// Write the bank as a spreadsheet (CSV, one row per question).
    Export(ExportArgs),
}

/// A question level as typed on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    /// Fundamentals and everyday use.
    Junior,
    /// Mechanisms and trade-offs in real code.
    Mid,
    /// Design, edge cases, internals and production judgement.
    Senior,
}

impl From<LevelArg> for Level {
    fn from(level: LevelArg) -> Self {
        match level {
            LevelArg::Junior => Level::Junior,
            LevelArg::Mid => Level::Mid,
            LevelArg::Senior => Level::Senior,
        }
    }
}

/// Arguments of `interview-kit bank list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only questions of this topic id; repeat for several.
    #[arg(long, value_name = "ID")]
    pub topic: Vec<String>,

    /// Only questions of this level; repeat for several.
    #[arg(long, value_name = "LEVEL", ignore_case = true)]
    pub level: Vec<LevelArg>,

    /// Only questions with this tag; repeat for several (any of them matches).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,

    /// Print the matching questions as a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `interview-kit bank show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Id of the question, e.g. `oop-mro`.
    pub id: String,

    /// Print the question and its rubric as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `interview-kit bank stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Also check this blueprint file against the bank; repeat for several.
    #[arg(long, value_name = "FILE")]
    pub blueprint: Vec<PathBuf>,

    /// Print the statistics as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `interview-kit bank lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Also check that the bank can fill this blueprint file; repeat for several.
    #[arg(long, value_name = "FILE")]
    pub blueprint: Vec<PathBuf>,

    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `interview-kit bank import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The spreadsheet bank, saved as CSV (UTF-8).
    #[arg(value_name = "FILE.csv")]
    pub file: PathBuf,

    /// Folder to create with one `<topic>.toml` file per topic.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Replace DIR if it exists (only when it holds nothing but `*.toml` files).
    #[arg(long)]
    pub force: bool,
}

/// Formats `bank export` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One row per question; list cells hold one item per line.
    Csv,
}

/// Arguments of `interview-kit bank export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value = "csv", ignore_case = true)]
    pub format: ExportFormat,

    /// File to write instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}
