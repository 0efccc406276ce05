//! Command-line arguments as clap derive types; parsing only, no decisions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod bank;

pub use bank::{
    BankArgs, BankCommand, ExportArgs, ExportFormat, ImportArgs, LevelArg, LintArgs, ListArgs,
    ShowArgs, StatsArgs,
};

/// Turn a bank of interview questions into seeded, reproducible interview packets.
#[derive(Debug, Parser)]
#[command(name = "interview-kit", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a candidate's kit: interviewer PDF, handout PDF, scorecard CSV and kit.json.
    Generate(GenerateArgs),
    /// Regenerate a kit, byte for byte, from its kit code.
    Replay(ReplayArgs),
    /// Inspect, lint, import and export question banks.
    Bank(BankArgs),
    /// Write the built-in templates out for editing.
    Init(InitArgs),
}

/// Where the questions come from.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Bank replacing the built-in one: a folder of `*.toml` files or a `.csv` file.
    #[arg(long, value_name = "PATH")]
    pub bank: Option<PathBuf>,

    /// Blueprint TOML file replacing the built-in `python-developer` blueprint.
    #[arg(long, value_name = "FILE")]
    pub blueprint: Option<PathBuf>,

    /// History ledger (JSON Lines): candidates never get a question they saw before, and
    /// question use carries across rounds. `generate` appends the new kits to it.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
}

/// How the documents look.
#[derive(Debug, Args)]
pub struct DocArgs {
    /// Folder of templates overriding the built-in ones file by file (see `init --templates`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Interview date printed on the documents, as written (the clock is never read).
    #[arg(long, value_name = "TEXT")]
    pub date: Option<String>,

    /// Paper size of the PDFs.
    #[arg(long, value_enum, default_value_t = crate::render::PaperSize::A4)]
    pub paper: crate::render::PaperSize,

    /// Document formats, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "pdf")]
    pub format: Vec<crate::Format>,
}

/// Where kits are written.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Folder that receives one sub-folder per kit.
    #[arg(long, value_name = "DIR", default_value = "kits")]
    pub out: PathBuf,

    /// Replace a kit's folder if it already exists.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `interview-kit generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Candidate's name, printed on every document and used (as a safe slug) in the folder
    /// name. Repeat for a round of several candidates.
    #[arg(long, value_name = "NAME", required_unless_present = "candidates")]
    pub candidate: Vec<String>,

    /// Roster CSV with a `name` column (and optional `email`, `id`): one kit per row.
    #[arg(long, value_name = "FILE", conflicts_with = "candidate")]
    pub candidates: Option<PathBuf>,

    /// Seed for the question draw; the same seed, bank, blueprint and roster give the same
    /// kits. Without it a seed is drawn from the OS and printed.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Print why each question was picked (profile cell, level, exposure, history).
    #[arg(long)]
    pub explain: bool,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub docs: DocArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `interview-kit replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The kit code printed on the kit's documents, e.g. `PY1-1A-0-7F3AG4K`.
    #[arg(value_name = "CODE")]
    pub code: String,

    /// Candidate's name (not needed when --history has the kit).
    #[arg(long, value_name = "NAME")]
    pub candidate: Option<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub docs: DocArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `interview-kit init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write the built-in templates into DIR, to edit and pass back with `--templates DIR`.
    #[arg(long, value_name = "DIR", required = true)]
    pub templates: PathBuf,

    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
}
