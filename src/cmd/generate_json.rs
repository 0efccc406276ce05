//! `generate --json`: what the per-kit lines say, as one JSON document on standard output.

use std::io::Write;

use serde::Serialize;

use interview_kit::error::Result;
use interview_kit::round::run::{Report, Status};

/// The JSON document. Field names are part of the interface: add fields, never rename them.
#[derive(Serialize)]
struct Document<'r> {
    seed: u64,
    seed_drawn: bool,
    /// The round's id in the workspace.
    round_id: i64,
    /// `new`, `continued` or `already_complete`.
    status: Status,
    kits: Vec<KitReport<'r>>,
    /// Always there: `generate --json` asks the engine for the round's summary.
    round: Option<RoundReport<'r>>,
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
    /// `written` now, `kept` from an earlier run, or `planned` (not reached by a stopped run).
    status: &'static str,
    questions: &'r [String],
}

#[derive(Serialize)]
struct RoundReport<'r> {
    kits: usize,
    max_overlap: usize,
    exposure_spread: u32,
    minutes_min: u32,
    minutes_max: u32,
    minutes_target_min: u32,
    minutes_target_max: u32,
    /// Every figure of the round: profile, overlap and its lower bound, candidates served.
    forecast: &'r interview_kit::select::Forecast,
}

/// Writes the report as pretty JSON and a newline; a closed standard output is not an error.
pub(super) fn emit(outcome: &Report, out: &mut dyn Write) -> Result<()> {
    let kits: Vec<KitReport<'_>> = outcome
        .kits
        .iter()
        .map(|kit| KitReport {
            kit_code: &kit.kit_code,
            form: kit.form,
            candidate: &kit.candidate.name,
            email: kit.candidate.email.as_deref(),
            id: kit.candidate.id.as_deref(),
            folder: kit.folder.display().to_string(),
            files: &outcome.files,
            status: match (kit.written, kit.kept) {
                (_, true) => "kept",
                (true, false) => "written",
                (false, false) => "planned",
            },
            questions: &kit.questions,
        })
        .collect();
    let document = Document {
        seed: outcome.seed,
        seed_drawn: outcome.seed_drawn,
        round_id: outcome.round,
        status: outcome.status,
        written: outcome.written_now,
        kept: outcome.kits.iter().filter(|k| k.kept).count(),
        kits,
        round: outcome.summary.as_ref().map(|s| RoundReport {
            kits: s.kits,
            max_overlap: s.max_overlap,
            exposure_spread: s.exposure_spread,
            minutes_min: s.minutes.0,
            minutes_max: s.minutes.1,
            minutes_target_min: s.minutes_band.0,
            minutes_target_max: s.minutes_band.1,
            forecast: s,
        }),
        round_sheet: outcome
            .round_sheet
            .as_ref()
            .map(|p| p.display().to_string()),
        removed_unfinished: outcome.removed_unfinished,
    };
    let mut text =
        serde_json::to_string_pretty(&document).expect("strings and numbers always serialise");
    text.push('\n');
    super::emit(out, text.as_bytes())
}
