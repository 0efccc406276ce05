//! Arguments of `interview-kit bank …`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

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
    /// List questions.
    List,
}
