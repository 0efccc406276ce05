//! `generate --dry-run`: plan the round against the workspace's and the ledger's history and
//! print its forecast and kits; nothing is written or recorded.

use std::io::Write;

use serde::Serialize;

use super::{Docs, Inputs, report, workspace_location};
use crate::cli::GenerateArgs;
use interview_kit::error::{Error, Result};
use interview_kit::output::folder_name;
use interview_kit::roster;
use interview_kit::round;
use interview_kit::round::run::{KitLine, Prior, prior};
use interview_kit::select::Forecast;
use interview_kit::workspace::Workspace;

/// The `--json` document of a dry run. Field names are part of the interface.
#[derive(Serialize)]
struct Plan<'r> {
    seed: u64,
    dry_run: bool,
    forecast: &'r Forecast,
    kits: Vec<PlannedKit<'r>>,
}

#[derive(Serialize)]
struct PlannedKit<'r> {
    kit_code: &'r str,
    form: u32,
    candidate: &'r str,
    minutes: u32,
    questions: Vec<&'r str>,
}

pub(super) fn execute(args: &GenerateArgs, out: &mut dyn Write) -> Result<()> {
    let seed = args
        .seed
        .ok_or_else(|| Error::Usage("--dry-run needs --seed N".into()))?;
    let inputs = Inputs::load(&args.input)?;
    let docs = Docs::load(&args.docs)?;
    let candidates = match &args.candidates {
        Some(path) => roster::load(path)?,
        None => roster::from_names(&args.candidate)?,
    };
    // The history a real run would draw against, read only.
    let workspace = Workspace::open_existing(&workspace_location(&args.workspace)?)?;
    let Prior {
        history,
        first_form,
    } = prior(
        workspace.as_ref(),
        &candidates,
        &super::generate::same_person(args)?,
        &inputs.ledger,
    )?;
    let round = round::build(
        interview_kit::kit::Source::new(&inputs.bank, &inputs.blueprint, seed, first_form),
        &candidates,
        &history,
        &docs.templates,
    )?;
    let kits: Vec<PlannedKit<'_>> = round
        .kits
        .iter()
        .map(|k| PlannedKit {
            kit_code: &k.kit_code,
            form: k.form,
            candidate: &k.candidate.name,
            minutes: k.picks.iter().map(|p| p.question.minutes).sum(),
            questions: k.picks.iter().map(|p| p.question.id.as_str()).collect(),
        })
        .collect();
    if args.json {
        let mut text = serde_json::to_string_pretty(&Plan {
            seed,
            dry_run: true,
            forecast: &round.summary(),
            kits,
        })
        .expect("strings and numbers always serialise");
        text.push('\n');
        return super::emit(out, text.as_bytes());
    }
    report(
        out,
        format_args!(
            "dry run (seed {seed}): nothing written\n{}",
            round.summary()
        ),
    );
    if args.quiet {
        return Ok(());
    }
    for (kit, entry) in kits.iter().zip(&round.kits) {
        report(
            out,
            format_args!(
                "kit {} for {} ({} minutes): {}",
                kit.kit_code,
                kit.candidate,
                kit.minutes,
                kit.questions.join(", ")
            ),
        );
        if args.explain {
            let line = KitLine {
                kit_code: entry.kit_code.clone(),
                form: entry.form,
                candidate: entry.candidate.clone(),
                folder: args
                    .output
                    .out
                    .join(folder_name(&entry.kit_code, &entry.candidate.name)),
                questions: kit.questions.iter().map(|q| (*q).to_owned()).collect(),
                kept: false,
                written: false,
                reasons: entry.picks.iter().map(|p| p.reason.clone()).collect(),
            };
            super::generate::explain(out, &line);
        }
    }
    Ok(())
}
