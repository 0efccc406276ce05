//! `interview-kit rounds`, `kits` and `history`: what the workspace holds, and moving ledgers in and out.

use std::io::Write;

use super::{emit, open_workspace, report};
use crate::cli::{HistoryArgs, HistoryCommand, KitsArgs, RoundsArgs};
use interview_kit::error::{Error, Result};
use interview_kit::workspace::ledger;

pub(super) fn rounds(args: &RoundsArgs, out: &mut dyn Write) -> Result<()> {
    let workspace = open_workspace(&args.workspace)?;
    let rounds = workspace.rounds()?;
    if args.json {
        return json(out, &rounds);
    }
    if rounds.is_empty() {
        report(
            out,
            format_args!(
                "no rounds yet in {}; `interview-kit generate` records one",
                workspace.location().display()
            ),
        );
        return Ok(());
    }
    report(
        out,
        format_args!(
            "{:>5}  {:<10}  {:>20}  {:<24}  {:>9}  out",
            "round", "status", "seed", "blueprint", "kits"
        ),
    );
    for round in &rounds {
        let status = match (round.origin.as_str(), round.complete()) {
            ("import", _) => "imported",
            (_, true) => "complete",
            (_, false) => "incomplete",
        };
        report(
            out,
            format_args!(
                "{:>5}  {:<10}  {:>20}  {:<24}  {:>4}/{:<4}  {}",
                round.id,
                status,
                round.seed,
                interview_kit::limits::shown(&round.blueprint),
                round.written,
                round.kits,
                round.out_dir
            ),
        );
    }
    Ok(())
}

pub(super) fn kits(args: &KitsArgs, out: &mut dyn Write) -> Result<()> {
    let workspace = open_workspace(&args.workspace)?;
    if let Some(id) = args.round
        && workspace.round(id)?.is_none()
    {
        return Err(Error::Usage(format!(
            "the workspace has no round {id}; `interview-kit rounds` lists them"
        )));
    }
    let kits = workspace.kits(args.round)?;
    if args.json {
        return json(out, &kits);
    }
    for kit in &kits {
        report(
            out,
            format_args!(
                "{:<22}  round {:<4}  {:<8}  {}",
                kit.code,
                kit.round,
                kit.state,
                interview_kit::limits::shown(&kit.candidate)
            ),
        );
    }
    Ok(())
}

pub(super) fn history(args: &HistoryArgs, out: &mut dyn Write) -> Result<()> {
    let mut workspace = open_workspace(&args.workspace)?;
    match &args.command {
        HistoryCommand::Import { file } => {
            let bytes = interview_kit::limits::read(file, interview_kit::limits::Input::Ledger)?;
            let name = file.display().to_string();
            let ledger = interview_kit::history::Ledger::parse_bytes(&name, &bytes)?;
            let added = ledger::import(&mut workspace, &ledger, &name)?;
            report(
                out,
                format_args!(
                    "imported {added} kit(s) from {name} into {} ({} already there)",
                    workspace.location().display(),
                    ledger.entries.len() - added
                ),
            );
        }
        HistoryCommand::Export { file, force } => {
            if file.exists() && !force {
                return Err(Error::FileExists { path: file.clone() });
            }
            let ledger = ledger::export(&workspace)?;
            interview_kit::output::write_file_atomic(
                file,
                &interview_kit::history::lines(&ledger.entries),
            )?;
            report(
                out,
                format_args!(
                    "wrote {} kit(s) to {}",
                    ledger.entries.len(),
                    file.display()
                ),
            );
        }
    }
    Ok(())
}

fn json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).expect("workspace rows always serialise");
    text.push('\n');
    emit(out, text.as_bytes())
}
