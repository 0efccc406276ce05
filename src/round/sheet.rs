//! `round.csv`: the refusal before anything is written, and the sheet after the kits.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::export::{CsvOptions, RoundRow, round_csv};
use crate::output::write_file_atomic;
use crate::round::Round;

/// Name of the round sheet in the output folder.
pub const FILE: &str = "round.csv";

/// Refuses a round whose `round.csv` exists, unless `force`; a single kit writes no sheet.
pub fn check(out: &Path, force: bool, kits: usize) -> Result<()> {
    let path = out.join(FILE);
    if kits > 1 && !force && path.exists() {
        return Err(Error::Conflict(format!(
            "`{}` already exists: another round was written into `{}`; pass another --out for this round (or --force to replace that round's kits and sheet)",
            path.display(),
            out.display()
        )));
    }
    Ok(())
}

/// Writes `round.csv` into `--out` for a round of more than one kit: one row per
/// candidate with their kit's folder and documents (every kit of a round has the same
/// `files`). Returns where it was written.
pub fn write(
    out: &Path,
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
    let path = out.join(FILE);
    write_file_atomic(&path, &round_csv(&rows, csv)?)?;
    Ok(Some(path))
}
