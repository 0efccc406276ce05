//! `interview-kit generate`: bank + blueprint + seed + candidates to one folder of documents per candidate.

use std::io::Write;

use super::{Docs, Inputs, report};
use crate::cli::GenerateArgs;
use crate::error::{Error, Result};
use rayon::prelude::*;

use crate::output::{folder_name, remove_stale_staging, write_file_atomic, write_kit};
use crate::roster::{self, Candidate};
use crate::round::{self, Round};

/// OS-drawn seeds stay below 2^30 so their kit codes stay short (six base-32 characters).
const DRAWN_SEED_BITS: u32 = 30;

pub(super) fn execute(args: &GenerateArgs, out: &mut dyn Write) -> Result<()> {
    let inputs = Inputs::load(&args.input)?;
    let docs = Docs::load(&args.docs)?;
    let candidates = match &args.candidates {
        Some(path) => roster::load(path)?,
        None => roster::from_names(&args.candidate)?,
    };
    let seed = match args.seed {
        Some(seed) => seed,
        None => {
            let seed = getrandom::u64().map_err(|e| {
                Error::System(format!(
                    "cannot draw a seed from the OS ({e}); pass --seed N"
                ))
            })? >> (64 - DRAWN_SEED_BITS);
            // With --json the seed is in the document (`seed_drawn`), and stdout holds nothing else.
            if !args.json {
                report(
                    out,
                    format_args!(
                        "seed {seed} (drawn at random; pass --seed {seed} to reproduce these kits)"
                    ),
                );
            }
            seed
        }
    };
    // With --resume, a ledger that already ends with this round's lines (written before its
    // documents, see below) is read as it was before the round, so the round comes out the same.
    let keys: Vec<String> = candidates.iter().map(Candidate::key).collect();
    let resumed_ledger = args.resume && inputs.ledger.ends_with_round(seed, &keys);
    let ledger = if resumed_ledger {
        inputs.ledger.without_last(keys.len())
    } else {
        inputs.ledger.clone()
    };
    let round = round::build(
        &inputs.bank,
        &inputs.blueprint,
        seed,
        &candidates,
        &ledger,
        &docs.templates,
    )?;

    let out_dir = &args.output.out;
    let folders: Vec<String> = round
        .kits
        .iter()
        .map(|k| folder_name(&k.kit_code, &k.candidate.name))
        .collect();
    let existing: Vec<bool> = folders.iter().map(|f| out_dir.join(f).exists()).collect();
    // Refuse before writing anything, so a clash never leaves half a round on disk.
    if !args.output.force
        && !args.resume
        && let Some(i) = existing.iter().position(|&e| e)
    {
        return Err(Error::OutputExists {
            path: out_dir.join(&folders[i]),
        });
    }
    if !args.resume {
        super::round_csv::check(&args.output, round.kits.len())?;
    }
    // A killed run leaves hidden staging folders behind (never kits: a kit folder appears
    // only by rename). Only --resume clears them, so a parallel run's are never touched.
    let stale = if args.resume {
        remove_stale_staging(out_dir)?
    } else {
        0
    };
    let options = docs.options(&args.docs);
    // What fails for one kit usually fails for all (a glyph the fonts lack, a template
    // error): find out on the first kit and every name before the ledger records the round.
    for entry in &round.kits {
        crate::render::check_name(&entry.candidate.name)?;
    }
    let mut first = match round.kits.is_empty() {
        true => None,
        false => Some(crate::documents(&round.kit(0)?, &options)?),
    };

    // The ledger is written before the documents: if the run dies now, --resume finds the
    // round in it and finishes the same kits instead of drawing new ones.
    if let Some(path) = &args.input.history
        && !resumed_ledger
    {
        // Never grow the ledger past what its own reader accepts, or the next run could
        // not read it (nor replay this round).
        if inputs.ledger.entries.len() + round.kits.len() > crate::limits::MAX_LEDGER_ENTRIES {
            return Err(Error::Conflict(format!(
                "`{}` would hold more than {} kits with this round; archive it and start a new ledger",
                path.display(),
                crate::limits::MAX_LEDGER_ENTRIES
            )));
        }
        let mut bytes = inputs.ledger_bytes.clone();
        bytes.extend(crate::history::lines(&round.ledger_entries()));
        write_file_atomic(path, &bytes)?;
    }

    let todo: Vec<usize> = (0..round.kits.len())
        .filter(|&i| !(args.resume && existing[i]))
        .collect();
    let started = std::time::Instant::now();
    let progress = progress_bar(todo.len(), args.quiet || args.json);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, usize::from))
        .build()
        .map_err(|e| {
            Error::System(format!(
                "cannot start {} rendering threads: {e}; try a smaller --jobs",
                args.jobs.unwrap_or(0)
            ))
        })?;
    // Each kit is rendered and written by one task, in roster order as far as the result
    // goes: memory holds only the kits in flight, and the bytes never depend on the threads.
    // Every kit has the same files, so the first kit's names serve the round sheet.
    let files: Vec<String> = first.iter().flatten().map(|d| d.name.clone()).collect();
    if todo.first() == Some(&0)
        && let Some(documents) = first.take()
    {
        write_kit(out_dir, &folders[0], &documents, args.output.force)?;
        progress.inc(1);
    }
    let rest: Vec<usize> = todo.iter().copied().filter(|&i| i != 0).collect();
    let written: Vec<Result<()>> = pool.install(|| {
        rest.par_iter()
            .map(|&i| {
                let documents = crate::documents(&round.kit(i)?, &options)?;
                write_kit(out_dir, &folders[i], &documents, args.output.force)?;
                progress.inc(1);
                Ok(())
            })
            .collect()
    });
    progress.finish_and_clear();
    // The first failure in roster order, whatever order the threads met them in.
    written.into_iter().collect::<Result<Vec<()>>>()?;

    // The human lines; `--json` replaces them with one document at the end.
    let human = !args.quiet && !args.json;
    if human {
        for (i, entry) in round.kits.iter().enumerate() {
            let kept = if args.resume && existing[i] {
                " (kept)"
            } else {
                ""
            };
            report(
                out,
                format_args!(
                    "kit {} for {}: {}{kept}",
                    entry.kit_code,
                    entry.candidate.name,
                    out_dir.join(&folders[i]).display()
                ),
            );
            if args.explain {
                explain(out, entry);
            }
        }
    }
    let sheet = super::round_csv::write(&args.output, &round, &folders, &files, &docs.csv)?;
    if let Some(path) = &sheet
        && human
    {
        report(out, format_args!("round sheet: {}", path.display()));
    }
    if round.kits.len() > 1 && human {
        summarize(out, &round);
    }
    if args.json {
        let kept: Vec<bool> = existing.iter().map(|&e| args.resume && e).collect();
        super::generate_json::Summary {
            seed,
            seed_drawn: args.seed.is_none(),
            round: &round,
            out_dir,
            folders: &folders,
            files: &files,
            kept: &kept,
            round_sheet: sheet.as_deref(),
            removed_unfinished: stale,
        }
        .emit(out)?;
    }
    if human {
        let kept = round.kits.len() - todo.len();
        // Best effort like the progress lines: a closed stderr must not fail a finished round.
        let _ = writeln!(
            std::io::stderr(),
            "generated {} kit(s){}{} in {:.2} s",
            todo.len(),
            if kept > 0 {
                format!(", kept {kept} complete")
            } else {
                String::new()
            },
            if stale > 0 {
                format!(", removed {stale} unfinished")
            } else {
                String::new()
            },
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// A progress bar on standard error when it is a terminal, hidden otherwise or with --quiet.
fn progress_bar(total: usize, quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if quiet || total < 2 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} kits  {per_sec}  eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

fn explain(out: &mut dyn Write, entry: &round::RoundKit<'_>) {
    for (number, pick) in entry.picks.iter().enumerate() {
        let reason = &pick.reason;
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
                number + 1,
                pick.question.id,
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
