//! `interview-kit generate`: bank + blueprint + seed to a folder of documents for one candidate.

use std::io::Write;

use crate::cli::GenerateArgs;
use crate::error::{Error, Result};
use crate::kit::Kit;
use crate::output::{folder_name, write_kit};
use crate::select::Blueprint;

/// OS-drawn seeds stay below 2^30 so their kit codes stay short (six base-32 characters).
const DRAWN_SEED_BITS: u32 = 30;

pub(super) fn execute(args: &GenerateArgs, out: &mut dyn Write) -> Result<()> {
    let bank = crate::bank::load_path_or_builtin(args.bank.as_deref())?;
    let blueprint = match &args.blueprint {
        Some(file) => Blueprint::load(file, &bank)?,
        None => Blueprint::builtin(&bank)?,
    };
    let seed = match args.seed {
        Some(seed) => seed,
        None => {
            let seed = getrandom::u64().map_err(|e| {
                Error::Usage(format!(
                    "cannot draw a seed from the OS ({e}); pass --seed N"
                ))
            })? >> (64 - DRAWN_SEED_BITS);
            report(
                out,
                format_args!(
                    "seed {seed} (drawn at random; pass --seed {seed} to reproduce this kit)"
                ),
            );
            seed
        }
    };
    let kit = Kit::build(&bank, &blueprint, seed, 0, &args.candidate)?;
    let documents = crate::documents(&kit)?;
    let dir = write_kit(&args.out, &folder_name(&kit), &documents, args.force)?;
    let names: Vec<&str> = documents.iter().map(|d| d.name).collect();
    report(
        out,
        format_args!(
            "kit {} for {}: {} ({})",
            kit.kit_code,
            kit.candidate,
            dir.display(),
            names.join(", ")
        ),
    );
    Ok(())
}

/// Progress lines are best effort: a closed stdout must not fail a kit already written.
fn report(out: &mut dyn Write, line: std::fmt::Arguments<'_>) {
    let _ = writeln!(out, "{line}");
}
