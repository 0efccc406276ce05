//! `interview-kit generate`: bank + blueprint + seed + candidates to one folder of documents per candidate.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Docs, Inputs, report};
use crate::cli::GenerateArgs;
use interview_kit::error::{Error, Result};
use interview_kit::kit::Fingerprints;
use interview_kit::roster;
use interview_kit::round::run::{self, KitLine, Progress, Report, Request, Status};

/// Set by Ctrl-C or SIGTERM: the round finishes the kits in flight and stops.
static STOP: AtomicBool = AtomicBool::new(false);

pub(super) fn execute(args: &GenerateArgs, out: &mut dyn Write) -> Result<()> {
    if args.dry_run {
        return super::dry_run::execute(args, out);
    }
    // Ctrl-C and SIGTERM ask the round to stop after the kits in flight; a second handler
    // cannot be installed in one process, which only tests running in-process would try.
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
    interview_kit::render::prepare_fonts();
    let inputs = Inputs::load(&args.input)?;
    let docs = Docs::load(&args.docs)?;
    let candidates = match &args.candidates {
        Some(path) => roster::load(path)?,
        None => roster::from_names(&args.candidate)?,
    };
    let same_person = same_person(args)?;
    // Hashing the bank and opening the workspace are independent: both at once.
    let (fingerprints, workspace) = rayon::join(
        || Fingerprints::of(&inputs.bank, &inputs.blueprint),
        || super::open_workspace(&args.workspace),
    );
    let mut workspace = workspace?;
    let bar = Bar::new(args.quiet || args.json);
    let request = Request {
        bank: &inputs.bank,
        blueprint: &inputs.blueprint,
        templates: &docs.templates,
        exports: &docs.exports,
        seed: args.seed,
        candidates: &candidates,
        ledger: &inputs.ledger,
        settings: docs.settings(&args.docs),
        out: args.output.out.clone(),
        force: args.output.force,
        new_round: args.new_round,
        same_person,
        jobs: args.jobs.map(usize::from),
        fingerprints: std::sync::Arc::new(fingerprints),
        // Shown with --json, and after the kits of a roster of more than one.
        summary: args.json || candidates.len() > 1,
    };
    let started = std::time::Instant::now();
    let result = run::run(&mut workspace, &request, &bar, &STOP);
    bar.finish();
    let outcome = result?;
    for clash in &outcome.clashes {
        let _ = writeln!(
            std::io::stderr(),
            "warning: {} has the name of {}, who is in the workspace; they are treated as two people. If they are one person, pass {}",
            clash.new,
            clash.known,
            clash.flag
        );
    }
    if args.json {
        super::generate_json::emit(&outcome, out)?;
    } else if !args.quiet {
        human(args, &outcome, out);
    }
    if outcome.interrupted {
        let written = outcome.kits.iter().filter(|k| k.written).count();
        return Err(Error::Interrupted(format!(
            "stopped: {written} of {} kits written (kits in flight were finished); run the same command to write the rest:\n  {}",
            outcome.kits.len(),
            command_line()
        )));
    }
    if !args.quiet && !args.json && outcome.status != Status::AlreadyComplete {
        timing(&outcome, started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// The lines for people: one per kit, the round summary, and what was kept or skipped.
fn human(args: &GenerateArgs, outcome: &Report, out: &mut dyn Write) {
    if outcome.seed_drawn {
        report(
            out,
            format_args!(
                "seed {seed} (drawn at random; pass --seed {seed} to reproduce these kits)",
                seed = outcome.seed
            ),
        );
    }
    if outcome.status == Status::AlreadyComplete {
        report(
            out,
            format_args!(
                "round {} is already complete: its {} kit(s) are in {}; nothing was written (pass --new-round for another round for these candidates)",
                outcome.round,
                outcome.kits.len(),
                outcome.out.display()
            ),
        );
        return;
    }
    if outcome.status == Status::Continued {
        report(
            out,
            format_args!("continuing round {} (seed {})", outcome.round, outcome.seed),
        );
    }
    for kit in outcome.kits.iter().filter(|k| k.written) {
        let kept = if kit.kept { " (kept)" } else { "" };
        report(
            out,
            format_args!(
                "kit {} for {}: {}{kept}",
                kit.kit_code,
                kit.candidate.name,
                kit.folder.display()
            ),
        );
        if args.explain {
            explain(out, kit);
        }
    }
    if let Some(path) = &outcome.round_sheet {
        report(out, format_args!("round sheet: {}", path.display()));
    }
    if let Some(summary) = outcome.summary.as_ref().filter(|_| outcome.kits.len() > 1) {
        report(out, format_args!("{summary}"));
    }
}

/// "generated N kit(s) in X s" on standard error, only on a terminal (as README says).
fn timing(outcome: &Report, seconds: f64) {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return;
    }
    let kept = outcome.kits.iter().filter(|k| k.kept).count();
    let _ = writeln!(
        std::io::stderr(),
        "generated {} kit(s){}{} in {seconds:.2} s",
        outcome.written_now,
        if kept > 0 {
            format!(", kept {kept} complete")
        } else {
            String::new()
        },
        if outcome.removed_unfinished > 0 {
            format!(", removed {} unfinished", outcome.removed_unfinished)
        } else {
            String::new()
        },
    );
}

/// This process's command line, quoted for a POSIX shell, to repeat after an interruption.
fn command_line() -> String {
    std::env::args()
        .map(|arg| {
            if !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@".contains(c))
            {
                arg
            } else {
                format!("'{}'", arg.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A progress bar on standard error when it is a terminal, hidden otherwise or with --quiet.
struct Bar(indicatif::ProgressBar);

impl Bar {
    fn new(quiet: bool) -> Bar {
        use std::io::IsTerminal as _;
        if quiet || !std::io::stderr().is_terminal() {
            return Bar(indicatif::ProgressBar::hidden());
        }
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} kits  {per_sec}  eta {eta}",
        ) {
            bar.set_style(style);
        }
        Bar(bar)
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        if total < 2 {
            self.0
                .set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        self.0.set_length(total as u64);
    }

    fn kit_done(&self) {
        self.0.inc(1);
    }
}

pub(super) fn explain(out: &mut dyn Write, kit: &KitLine) {
    for (number, (id, reason)) in kit.questions.iter().zip(&kit.reasons).enumerate() {
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
                id,
                reason.cell.0,
                reason.cell.1,
                reason.wanted,
                reason.eligible
            ),
        );
    }
}

/// The `--same-person NEW=KNOWN` pairs.
pub(super) fn same_person(args: &GenerateArgs) -> Result<Vec<(String, String)>> {
    args.same_person
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(new, known)| (new.trim().to_owned(), known.trim().to_owned()))
                .filter(|(new, known)| !new.is_empty() && !known.is_empty())
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "--same-person `{pair}`: write NEW_EMAIL=KNOWN_EMAIL, e.g. --same-person ada@new.example=ada@old.example"
                    ))
                })
        })
        .collect()
}
