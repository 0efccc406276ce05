//! Command-line arguments as clap derive types; parsing only, no decisions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod bank;

pub use bank::{BankArgs, BankCommand};

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
    /// Inspect, lint, import and export question banks.
    Bank(BankArgs),
}

/// Arguments of `interview-kit generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Candidate's name, printed on every document and used (as a safe slug) in the folder name.
    #[arg(long, value_name = "NAME")]
    pub candidate: String,

    /// Seed for the question draw; the same seed, bank and blueprint give the same kit.
    /// Without it a seed is drawn from the OS and printed.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Bank replacing the built-in one: a folder of `*.toml` files or a `.csv` file.
    #[arg(long, value_name = "PATH")]
    pub bank: Option<PathBuf>,

    /// Blueprint TOML file replacing the built-in `python-developer` blueprint.
    #[arg(long, value_name = "FILE")]
    pub blueprint: Option<PathBuf>,

    /// Folder that receives one sub-folder per kit.
    #[arg(long, value_name = "DIR", default_value = "kits")]
    pub out: PathBuf,

    /// Replace the kit's folder if it already exists.
    #[arg(long)]
    pub force: bool,
}
