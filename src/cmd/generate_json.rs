//! `generate --json`: what the per-kit lines say, as one JSON document on standard output.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::round::Round;

/// What `generate` did, gathered from the state it reports to humans.
pub(super) struct Summary<'r, 'a> {
    /// The seed of the round.
    pub seed: u64,
    /// Whether the seed was drawn from the OS rather than given with `--seed`.
    pub seed_drawn: bool,
    /// The round as built.
    pub round: &'r Round<'a>,
    /// `--out`.
    pub out_dir: &'r Path,
    /// Each kit's folder name inside `out_dir`, in roster order.
    pub folders: &'r [String],
    /// The file names every kit of the round has.
    pub files: &'r [String],
    /// Whether each kit was kept from an earlier run (`--resume`) rather than written now.
    pub kept: &'r [bool],
    /// Where `round.csv` was written, for a round of several kits.
    pub round_sheet: Option<&'r Path>,
    /// Unfinished staging folders of a killed run that were removed.
    pub removed_unfinished: usize,
}

/// The JSON document. Field names are part of the interface: add fields, never rename them.
#[derive(Serialize)]
struct Report<'r> {
    seed: u64,
    seed_drawn: bool,
    kits: Vec<KitReport<'r>>,
    round: RoundReport,
    round_sheet: Option<String>,
    written: usize,
    kept: usize,
    removed_unfinished: usize,
}

#[derive(Serialize)]
struct KitReport<'r> {
    kit_code: &'r str,
    form: u32,
    candidate: &'r str,
    email: Option<&'r str>,
    id: Option<&'r str>,
    /// The kit folder as a path the user can open: `--out` joined with the folder name.
    folder: String,
    files: &'r [String],
    /// `written` now, or `kept` from an earlier run with `--resume`.
    status: &'static str,
    questions: Vec<&'r str>,
}

#[derive(Serialize)]
struct RoundReport {
    kits: usize,
    max_overlap: usize,
    exposure_spread: u32,
    minutes_min: u32,
    minutes_max: u32,
    minutes_target_min: u32,
    minutes_target_max: u32,
}

impl Summary<'_, '_> {
    /// Writes the summary as pretty JSON and a newline; a closed standard output is not an error.
    pub(super) fn emit(&self, out: &mut dyn Write) -> Result<()> {
        let mut text = serde_json::to_string_pretty(&self.report())
            .expect("strings and numbers always serialise");
        text.push('\n');
        super::emit(out, text.as_bytes())
    }

    fn report(&self) -> Report<'_> {
        let kits: Vec<KitReport<'_>> = self
            .round
            .kits
            .iter()
            .enumerate()
            .map(|(i, kit)| KitReport {
                kit_code: &kit.kit_code,
                form: kit.form,
                candidate: &kit.candidate.name,
                email: kit.candidate.email.as_deref(),
                id: kit.candidate.id.as_deref(),
                folder: self.out_dir.join(&self.folders[i]).display().to_string(),
                files: self.files,
                status: if self.kept[i] { "kept" } else { "written" },
                questions: kit.picks.iter().map(|p| p.question.id.as_str()).collect(),
            })
            .collect();
        let kept = self.kept.iter().filter(|&&k| k).count();
        let s = &self.round.summary;
        Report {
            seed: self.seed,
            seed_drawn: self.seed_drawn,
            written: kits.len() - kept,
            kept,
            kits,
            round: RoundReport {
                kits: s.kits,
                max_overlap: s.max_overlap,
                exposure_spread: s.exposure_spread,
                minutes_min: s.minutes.0,
                minutes_max: s.minutes.1,
                minutes_target_min: s.minutes_band.0,
                minutes_target_max: s.minutes_band.1,
            },
            round_sheet: self.round_sheet.map(|p| p.display().to_string()),
            removed_unfinished: self.removed_unfinished,
        }
    }
}
