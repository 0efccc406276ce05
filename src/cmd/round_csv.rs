//! `round.csv` for `generate`: the refusal before anything is written, and the sheet after the kits.

use std::path::PathBuf;

use crate::cli::OutputArgs;
use crate::error::{Error, Result};
use crate::export::{CsvOptions, RoundRow, round_csv};
use crate::output::write_file_atomic;
use crate::round::Round;

/// Name of the round sheet in `--out`.
const FILE: &str = "round.csv";

/// Refuses a round whose `round.csv` exists, unless `--force`; a single kit writes no sheet.
pub(super) fn check(output: &OutputArgs, kits: usize) -> Result<()> {
    let path = output.out.join(FILE);
    if kits > 1 && !output.force && path.exists() {
        return Err(Error::FileExists { path });
    }
    Ok(())
}

/// Writes `round.csv` into `--out` for a round of more than one kit: one row per
/// candidate with their kit's folder and documents (every kit of a round has the same
/// `files`). Returns where it was written.
pub(super) fn write(
    output: &OutputArgs,
    round: &Round<'_>,
    folders: &[String],
    files: &[String],
    csv: &CsvOptions,
) -> Result<Option<PathBuf>> {
    if round.kits.len() < 2 {
        return Ok(None);
    }
    let rows: Vec<RoundRow<'_>> = round
        .kits
        .iter()
        .zip(folders)
        .map(|(entry, folder)| RoundRow {
            kit_code: &entry.kit_code,
            candidate: &entry.candidate.name,
            email: entry.candidate.email.as_deref().unwrap_or_default(),
            folder,
            documents: files.iter().map(String::as_str).collect(),
        })
        .collect();
    let path = output.out.join(FILE);
    write_file_atomic(&path, &round_csv(&rows, csv)?)?;
    Ok(Some(path))
}
