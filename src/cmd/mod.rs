//! Subcommands: each file builds its inputs from the arguments, calls the library and reports.

mod bank;
mod generate;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::error::Result;

/// Runs the parsed command line, writing progress messages to `out`.
pub fn execute(cli: Cli, out: &mut dyn Write) -> Result<()> {
    match cli.command {
        Command::Generate(args) => generate::execute(&args, out),
        Command::Bank(args) => bank::execute(&args, out),
    }
}
