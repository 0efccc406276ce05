//! `interview-kit bank …`: list, show, stats, lint, import and export.

use std::io::Write;

use crate::cli::{BankArgs, BankCommand};
use crate::error::Result;

pub(super) fn execute(args: &BankArgs, out: &mut dyn Write) -> Result<()> {
    let bank = crate::bank::load_path_or_builtin(args.bank.as_deref())?;
    match &args.command {
        BankCommand::List => {
            for q in &bank.questions {
                let _ = writeln!(out, "{}", q.id);
            }
        }
    }
    Ok(())
}
