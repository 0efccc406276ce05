//! Subcommands: each file builds its inputs from the arguments, calls the library and reports.

mod bank;
mod generate;
mod replay;

use std::io::Write;

use crate::bank::Bank;
use crate::cli::{Cli, Command, InputArgs};
use crate::error::Result;
use crate::history::Ledger;
use crate::select::Blueprint;

/// Runs the parsed command line, writing progress messages to `out`.
pub fn execute(cli: Cli, out: &mut dyn Write) -> Result<()> {
    match cli.command {
        Command::Generate(args) => generate::execute(&args, out),
        Command::Replay(args) => replay::execute(&args, out),
        Command::Bank(args) => bank::execute(&args, out),
    }
}

/// Bank, blueprint and history ledger as the input flags say.
struct Inputs {
    bank: Bank,
    blueprint: Blueprint,
    ledger: Ledger,
    /// The ledger file as read, so new entries are appended to exactly these bytes.
    ledger_bytes: Vec<u8>,
}

impl Inputs {
    fn load(args: &InputArgs) -> Result<Inputs> {
        let bank = crate::bank::load_path_or_builtin(args.bank.as_deref())?;
        let blueprint = match &args.blueprint {
            Some(file) => Blueprint::load(file, &bank)?,
            None => Blueprint::builtin(&bank)?,
        };
        let (ledger, ledger_bytes) = match &args.history {
            Some(path) => {
                let bytes = crate::output::read_optional(path)?.unwrap_or_default();
                let file = path.display().to_string();
                let text = std::str::from_utf8(&bytes).map_err(|_| {
                    crate::error::Error::invalid(
                        &file,
                        None,
                        "the ledger is not UTF-8 text; restore it from a backup",
                    )
                })?;
                let mut bytes = bytes.clone();
                // Appending after a last line without a newline would glue two entries together.
                if !bytes.is_empty() && !bytes.ends_with(b"\n") {
                    bytes.push(b'\n');
                }
                (Ledger::parse(&file, text)?, bytes)
            }
            None => (Ledger::default(), Vec::new()),
        };
        Ok(Inputs {
            bank,
            blueprint,
            ledger,
            ledger_bytes,
        })
    }
}

/// Progress lines are best effort: a closed stdout must not fail kits already written.
fn report(out: &mut dyn Write, line: std::fmt::Arguments<'_>) {
    let _ = writeln!(out, "{line}");
}
