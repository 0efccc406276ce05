//! `interview-kit generate`: bank + blueprint + seed + candidates to one folder of documents per candidate.

use std::io::Write;

use super::{Docs, Inputs, report};
use crate::cli::GenerateArgs;
use crate::error::{Error, Result};
use crate::output::{folder_name, write_file_atomic, write_kit};
use crate::roster::{self, Candidate};
use crate::round::{self, Round};

/// OS-drawn seeds stay below 2^30 so their kit codes stay short (six base-32 characters).
const DRAWN_SEED_BITS: u32 = 30;

pub(super) fn execute(args: &GenerateArgs, out: &mut dyn Write) -> Result<()> {
    let inputs = Inputs::load(&args.input)?;
    let docs = Docs::load(&args.docs)?;
    let candidates = match &args.candidates {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| Error::io("read roster", path, e))?;
            roster::parse(&path.display().to_string(), &bytes)?
        }
        None => args
            .candidate
            .iter()
            .map(|name| Candidate::named(name))
            .collect(),
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
                    "seed {seed} (drawn at random; pass --seed {seed} to reproduce these kits)"
                ),
            );
            seed
        }
    };
    let round = round::build(
        &inputs.bank,
        &inputs.blueprint,
        seed,
        &candidates,
        &inputs.ledger,
        &docs.templates,
    )?;

    // Refuse before writing anything, so a clash never leaves half a round on disk.
    let folders: Vec<String> = round.kits.iter().map(|k| folder_name(&k.kit)).collect();
    if !args.output.force
        && let Some(existing) = folders
            .iter()
            .map(|f| args.output.out.join(f))
            .find(|p| p.exists())
    {
        return Err(Error::OutputExists { path: existing });
    }
    super::round_csv::check(&args.output, round.kits.len())?;
    let mut documents = Vec::with_capacity(round.kits.len());
    for entry in &round.kits {
        documents.push(crate::documents(&entry.kit, &docs.options(&args.docs))?);
    }
    for ((entry, folder), docs) in round.kits.iter().zip(&folders).zip(&documents) {
        let dir = write_kit(&args.output.out, folder, docs, args.output.force)?;
        report(
            out,
            format_args!(
                "kit {} for {}: {}",
                entry.kit.kit_code,
                entry.kit.candidate,
                dir.display()
            ),
        );
        if args.explain {
            explain(out, entry);
        }
    }
    if let Some(path) = &args.input.history {
        let mut ledger = inputs.ledger_bytes;
        ledger.extend(crate::history::lines(&round::ledger_entries(&round)));
        write_file_atomic(path, &ledger)?;
    }
    if let Some(path) =
        super::round_csv::write(&args.output, &round, &folders, &documents, &docs.csv)?
    {
        report(out, format_args!("round sheet: {}", path.display()));
    }
    if round.kits.len() > 1 {
        summarize(out, &round);
    }
    Ok(())
}

fn explain(out: &mut dyn Write, entry: &round::RoundKit) {
    for (item, reason) in entry.kit.questions.iter().zip(&entry.reasons) {
        let why = if reason.included {
            "included by the blueprint".to_owned()
        } else if reason.exposure == reason.least_exposure {
            format!("least used in its cell ({} use(s) before)", reason.exposure)
        } else {
            format!(
                "{} use(s) before; less-used ones were taken or seen",
                reason.exposure
            )
        };
        report(
            out,
            format_args!(
                "  {:>2}. {:<40} cell {}/{} ({} of {} eligible): {why}",
                item.number,
                item.question.id,
                reason.cell.0,
                reason.cell.1,
                reason.wanted,
                reason.eligible
            ),
        );
    }
}

fn summarize(out: &mut dyn Write, round: &Round) {
    let s = &round.summary;
    report(
        out,
        format_args!(
            "round: {} kits, same topic and level profile; max pairwise overlap {} question(s); \
             exposure spread {} (most- minus least-used question within a cell); \
             {}-{} minutes per kit (target {}-{})",
            s.kits,
            s.max_overlap,
            s.exposure_spread,
            s.minutes.0,
            s.minutes.1,
            s.minutes_band.0,
            s.minutes_band.1
        ),
    );
}
