//! The batch engine: record a round in the workspace, write its kit folders in parallel, continue it after an interruption.
//!
//! A round is *planned* in one transaction (the round, its candidates and every kit with
//! its questions) before any file is written, and each kit becomes *written* once its
//! folder is complete on disk. Running the same request again continues an incomplete
//! round or, for a complete one, writes nothing. A run that writes no kit leaves the
//! workspace as it was.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{History, Round};
use crate::bank::Bank;
use crate::error::{Error, Result};
use crate::export::CsvOptions;
use crate::history::Ledger;
use crate::kit::Fingerprints;
use crate::output::{Document, flush, folder_name, remove_stale_staging, stage_kit, sync_folder};
use crate::render::PaperSize;
use crate::roster::Candidate;
use crate::select::{Blueprint, RoundSummary};
use crate::templates::Templates;
use crate::workspace::{NameClash, NewKit, NewRound, RoundInfo, Workspace};
use crate::{Format, RenderOptions};

/// OS-drawn seeds stay below 2^30 so their kit codes stay short (six base-32 characters).
const DRAWN_SEED_BITS: u32 = 30;

/// Kits marked written per workspace transaction while a round renders.
const MARK_BATCH: usize = 64;

/// Most kits made durable together (one flush, then each kit's own sync), and most staged
/// kits waiting for their group: a staged kit holds its files open until it is synced, so
/// this bounds the open files (to about 4 × (2 × this + rendering threads)) even when the
/// disk is much slower than rendering.
const MAX_GROUP: usize = 32;

/// How a round's files are written; recorded with the round so a continued round and a
/// replayed kit come out byte for byte the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Interview date printed on the documents.
    pub date: Option<String>,
    /// Paper of the PDFs.
    pub paper: PaperSize,
    /// Document formats, sorted.
    pub formats: Vec<Format>,
    /// Export profiles besides the generic scorecard.
    pub profiles: Vec<String>,
    /// How CSV files are written.
    pub csv: CsvOptions,
    /// Templates folder, if not the built-in templates.
    pub templates: Option<PathBuf>,
    /// Extra font, if any.
    pub font: Option<PathBuf>,
}

impl Settings {
    /// Render options over `templates` and `exports` (loaded from [`Settings::templates`]).
    pub fn options<'a>(
        &'a self,
        templates: &'a Templates,
        exports: &'a crate::export::Profiles,
    ) -> RenderOptions<'a> {
        RenderOptions {
            templates,
            exports,
            date: self.date.as_deref(),
            paper: self.paper,
            formats: &self.formats,
            profiles: &self.profiles,
            csv: self.csv,
        }
    }

    /// The settings as recorded in the workspace.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("settings always serialise")
    }
}

/// Everything a round needs; the front ends (CLI, web) build one and call [`run`].
pub struct Request<'a> {
    /// The bank.
    pub bank: &'a Bank,
    /// The resolved blueprint.
    pub blueprint: &'a Blueprint,
    /// Templates, loaded as `settings.templates` says.
    pub templates: &'a Templates,
    /// Export profiles, loaded from the same folder.
    pub exports: &'a crate::export::Profiles,
    /// The seed; `None` continues an incomplete round's seed, or draws one.
    pub seed: Option<u64>,
    /// The roster, in order.
    pub candidates: &'a [Candidate],
    /// History from an old JSON Lines ledger, on top of the workspace's.
    pub ledger: &'a Ledger,
    /// How files are written.
    pub settings: Settings,
    /// Output folder (kit folders and `round.csv`).
    pub out: PathBuf,
    /// Replace existing kit folders and `round.csv`.
    pub force: bool,
    /// Start a new round even when an incomplete one exists for this roster and blueprint.
    pub new_round: bool,
    /// (new email, known email) pairs declared to be one person.
    pub same_person: Vec<(String, String)>,
    /// Rendering threads (`None`: one per core).
    pub jobs: Option<usize>,
    /// [`Fingerprints::of`] `bank` and `blueprint`, computed by the caller (which may do it
    /// while it does something else: hashing a bank takes a couple of milliseconds).
    pub fingerprints: Arc<Fingerprints>,
    /// Measure the round for [`Report::summary`]. Its forecast simulates a round of
    /// [`crate::select::SERVES_LIMIT`] kits, so a front end that shows no summary says no.
    pub summary: bool,
}

/// What happened to a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A new round was planned and written.
    New,
    /// An incomplete round was continued.
    Continued,
    /// The round was already complete: nothing was written.
    AlreadyComplete,
}

/// One kit of the round as reported.
#[derive(Debug, Clone)]
pub struct KitLine {
    /// Kit code.
    pub kit_code: String,
    /// Form.
    pub form: u32,
    /// Candidate.
    pub candidate: Candidate,
    /// Folder (out joined with the kit's folder name).
    pub folder: PathBuf,
    /// Question ids in interview order.
    pub questions: Vec<String>,
    /// Written before this run (kept), rather than now.
    pub kept: bool,
    /// Written at all (false for kits an interrupted run did not reach).
    pub written: bool,
    /// Why each question was chosen (a new round only; empty when continued).
    pub reasons: Vec<crate::select::Reason>,
}

/// The outcome of [`run`].
#[derive(Debug, Clone)]
pub struct Report {
    /// The round's id in the workspace.
    pub round: i64,
    /// New, continued or already complete.
    pub status: Status,
    /// The seed.
    pub seed: u64,
    /// Whether the seed was drawn from the OS.
    pub seed_drawn: bool,
    /// The kits in roster order.
    pub kits: Vec<KitLine>,
    /// The file names every kit has.
    pub files: Vec<String>,
    /// Overlap, exposure spread and minutes, when [`Request::summary`] asked for them.
    pub summary: Option<RoundSummary>,
    /// Candidates of a new round who share a name, not an email, with someone known.
    pub clashes: Vec<NameClash>,
    /// `round.csv`, when written.
    pub round_sheet: Option<PathBuf>,
    /// Unfinished staging folders of a killed run that were removed.
    pub removed_unfinished: usize,
    /// Kits written by this run.
    pub written_now: usize,
    /// The run stopped early (see [`run`]'s `stop`).
    pub interrupted: bool,
    /// The output folder.
    pub out: PathBuf,
}

/// Hooks a front end gives [`run`] to show progress.
pub trait Progress: Sync {
    /// `total` kits are about to be written.
    fn start(&self, _total: usize) {}
    /// One more kit is written.
    fn kit_done(&self) {}
}

/// No progress display.
pub struct Silent;

impl Progress for Silent {}

/// Plans (or finds) the round `request` describes and writes its kits into `request.out`,
/// recording everything in `workspace`. When `stop` becomes true the kits in flight are
/// finished, no new kit is started, and the report says `interrupted`.
pub fn run(
    workspace: &mut Workspace,
    request: &Request<'_>,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<Report> {
    let out = std::path::absolute(&request.out)
        .map_err(|e| Error::io("find the output folder", &request.out, e))?;
    let settings = request.settings.to_json();
    let roster = crate::workspace::roster_fingerprint(request.candidates);
    let fingerprints = &request.fingerprints;
    debug_assert_eq!(
        **fingerprints,
        Fingerprints::of(request.bank, request.blueprint)
    );
    let known = workspace.rounds_for(&roster, &fingerprints.blueprint, &fingerprints.bank)?;
    let out_text = out.display().to_string();
    let same = |r: &RoundInfo| {
        r.out_dir == out_text
            && r.options == settings
            && request.seed.is_none_or(|seed| seed == r.seed)
    };
    if !request.new_round {
        if let Some(open) = known.iter().find(|r| !r.complete()) {
            if !same(open) {
                return Err(Error::Conflict(format!(
                    "round {} for these candidates and this blueprint is incomplete ({} of {} kits written; seed {}, --out `{}`); run the command that started it to continue it, or pass --new-round to start another round",
                    open.id, open.written, open.kits, open.seed, open.out_dir
                )));
            }
            return write_round(workspace, request, open, None, progress, stop);
        }
        if let Some(done) = known.iter().find(|r| same(r)) {
            return write_round(workspace, request, done, None, progress, stop);
        }
    }
    let (seed, drawn) = match request.seed {
        Some(seed) => (seed, false),
        None => (draw_seed()?, true),
    };
    // Who shares a name, not an email, with someone known: found before the round records
    // the new people.
    let (_, clashes) = workspace.candidate_ids(request.candidates, &request.same_person)?;
    let (info, round) = plan(workspace, request, seed, &out, &settings, &roster)?;
    let mut report = write_round(workspace, request, &info, Some(round), progress, stop);
    if let Ok(report) = &mut report {
        report.seed_drawn = drawn;
        report.clashes = clashes;
    }
    if report.as_ref().map_or(true, |r| r.written_now == 0) {
        // Nothing reached the disk: the round never happened.
        workspace.forget_round(info.id)?;
    }
    report
}

/// A kit's `kit.json` as `documents` writes it.
fn kit_json(kit: &crate::kit::Kit) -> Result<String> {
    let bytes = crate::export::kit_json(kit)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn draw_seed() -> Result<u64> {
    getrandom::u64()
        .map(|seed| seed >> (64 - DRAWN_SEED_BITS))
        .map_err(|e| {
            Error::System(format!(
                "cannot draw a seed from the OS ({e}); pass --seed N"
            ))
        })
}

/// What a new round for `candidates` draws against: the history and the first form number.
#[derive(Debug, Clone, Default)]
pub struct Prior {
    /// Uses of each question in written kits (workspace plus ledger), and what each
    /// candidate, by roster position, has already seen.
    pub history: History,
    /// The form number the round's first kit gets (kits recorded before it; 0 without a
    /// workspace).
    pub first_form: u32,
}

/// The history a new round for `candidates` is planned against, read only: the written
/// kits of `workspace` (if any; `same_person` pairs as in [`Request::same_person`]) and the
/// entries of `ledger`, merged. [`run`] plans with it; `generate --dry-run` and the web
/// preview call it so their forecast matches the round a real run would write.
pub fn prior(
    workspace: Option<&Workspace>,
    candidates: &[Candidate],
    same_person: &[(String, String)],
    ledger: &Ledger,
) -> Result<Prior> {
    let mut prior = Prior::default();
    if let Some(workspace) = workspace {
        let (ids, _) = workspace.candidate_ids(candidates, same_person)?;
        let seen = workspace.seen()?;
        prior.history.exposure = workspace.exposure()?;
        prior.history.seen = ids
            .iter()
            .map(|id| id.and_then(|id| seen.get(&id).cloned()).unwrap_or_default())
            .collect();
        prior.first_form = workspace.next_form()?;
    }
    prior
        .history
        .merge(History::from_ledger(ledger, candidates));
    Ok(prior)
}

/// A round just drawn, with the documents of its first kit (rendered to check that the
/// round can be written at all, and reused rather than rendered again).
struct Drawn<'a> {
    round: Round<'a>,
    first: Option<Vec<Document>>,
}

/// Draws the round against the workspace's history (and the ledger's), checks that it can
/// be written, and records it with every kit planned.
fn plan<'a>(
    workspace: &mut Workspace,
    request: &Request<'a>,
    seed: u64,
    out: &Path,
    settings: &str,
    roster: &str,
) -> Result<(RoundInfo, Drawn<'a>)> {
    let Prior {
        history,
        first_form,
    } = prior(
        Some(workspace),
        request.candidates,
        &request.same_person,
        request.ledger,
    )?;
    let source = crate::kit::Source::with_fingerprints(
        request.bank,
        request.blueprint,
        seed,
        first_form,
        request.fingerprints.clone(),
    );
    let round = super::build(source, request.candidates, &history, request.templates)?;
    let folders: Vec<String> = round
        .kits
        .iter()
        .map(|k| folder_name(&k.kit_code, &k.candidate.name))
        .collect();
    // Refuse before anything is recorded or written, so a clash leaves no trace.
    if !request.force
        && let Some(folder) = folders.iter().find(|f| out.join(f).exists())
    {
        return Err(Error::OutputExists {
            path: out.join(folder),
        });
    }
    super::sheet::check(out, request.force, round.kits.len())?;
    // What fails for one kit usually fails for all (a glyph the fonts lack, a template
    // error): find out on the first kit, and check every name, before recording anything.
    for entry in &round.kits {
        crate::render::check_name(&entry.candidate.name)?;
    }
    let first = first_documents(
        &round,
        &request.settings.options(request.templates, request.exports),
    )?;
    check_writable(out)?;
    let new = NewRound {
        origin: "generate",
        seed,
        blueprint: request.blueprint.name.clone(),
        blueprint_json: serde_json::to_string(request.blueprint)
            .expect("a blueprint always serialises"),
        blueprint_fingerprint: request.fingerprints.blueprint.clone(),
        bank_fingerprint: request.fingerprints.bank.clone(),
        algorithm_version: crate::select::ALGORITHM_VERSION,
        roster_fingerprint: roster.to_owned(),
        options: settings.to_owned(),
        out_dir: out.display().to_string(),
        first_form,
        kits: round
            .kits
            .iter()
            .zip(&folders)
            .map(|(entry, folder)| NewKit {
                code: entry.kit_code.clone(),
                form: entry.form,
                candidate: entry.candidate.clone(),
                folder: folder.clone(),
                kit_json: None,
                questions: entry.picks.iter().map(|p| p.question.id.clone()).collect(),
                written: false,
            })
            .collect(),
        same_person: request.same_person.clone(),
    };
    let id = workspace.insert_round(&new)?;
    let info = workspace
        .round(id)?
        .ok_or_else(|| Error::System("the round just recorded is missing".into()))?;
    Ok((info, Drawn { round, first }))
}

/// The documents of the round's first kit (none for an empty round).
fn first_documents(
    round: &Round<'_>,
    options: &RenderOptions<'_>,
) -> Result<Option<Vec<Document>>> {
    if round.kits.is_empty() {
        return Ok(None);
    }
    crate::documents(&round.kit(0)?, options).map(Some)
}

/// Creates `out` and a file in it, so an unwritable folder fails before the round is recorded.
fn check_writable(out: &Path) -> Result<()> {
    if out.exists() && !out.is_dir() {
        return Err(Error::invalid(
            out.display().to_string(),
            None,
            "is a file, not a folder; pass another --out",
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io("create output folder", out, e))?;
    tempfile::Builder::new()
        .prefix(".interview-kit-")
        .tempfile_in(out)
        .map(drop)
        .map_err(|e| Error::io("write into", out, e))
}

/// Writes every kit of `info` that is not written yet, marking each in the workspace as
/// its folder lands; then `round.csv` once the round is complete.
/// `drawn` is the round just planned (a new round); `None` rebuilds it from the workspace.
fn write_round<'a>(
    workspace: &mut Workspace,
    request: &Request<'a>,
    info: &RoundInfo,
    drawn: Option<Drawn<'a>>,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<Report> {
    let out = PathBuf::from(&info.out_dir);
    let recorded = workspace.kits(Some(info.id))?;
    let status = match (&drawn, info.complete()) {
        (Some(_), _) => Status::New,
        (None, false) => Status::Continued,
        (None, true) => Status::AlreadyComplete,
    };
    let (round, first) = match drawn {
        Some(Drawn { round, first }) => (round, first),
        None => (
            super::from_ids(
                request.bank,
                request.blueprint,
                info.seed,
                recorded
                    .iter()
                    .zip(request.candidates)
                    .map(|(kit, candidate)| {
                        (
                            Candidate {
                                name: kit.candidate.clone(),
                                ..candidate.clone()
                            },
                            kit.form,
                            kit.code.clone(),
                            kit.questions.clone(),
                        )
                    })
                    .collect(),
                request.templates,
            )?,
            None,
        ),
    };
    let options = request.settings.options(request.templates, request.exports);
    // A planned kit whose folder exists was renamed into place by a run that stopped
    // before recording it: folders appear only complete, so it is kept as it is.
    let mut kept: Vec<bool> = recorded.iter().map(|k| k.state == "written").collect();
    let mut landed: Vec<(String, String)> = Vec::new();
    for (i, kit) in recorded.iter().enumerate() {
        if !kept[i] && status != Status::New && out.join(&kit.folder).is_dir() {
            kept[i] = true;
            landed.push((kit.code.clone(), kit_json(&round.kit(i)?)?));
        }
    }
    workspace.mark_written(&landed)?;
    let removed = if status == Status::Continued {
        remove_stale_staging(&out)?
    } else {
        0
    };
    let todo: Vec<usize> = (0..recorded.len()).filter(|&i| !kept[i]).collect();
    let first = match first {
        Some(documents) => Some(documents),
        None => first_documents(&round, &options)?,
    };
    let files: Vec<String> = first.iter().flatten().map(|d| d.name.clone()).collect();
    progress.start(todo.len());
    let rendering = Rendering {
        round: &round,
        recorded: &recorded,
        out: &out,
        options: &options,
        force: request.force,
        jobs: request.jobs,
        first: std::sync::Mutex::new(first),
    };
    let (done, failed) = render_all(workspace, &rendering, &todo, progress, stop)?;
    let mut written = kept.clone();
    for &i in &done {
        written[i] = true;
    }
    if let Some(err) = failed {
        if !done.is_empty() {
            return Err(Error::Conflict(format!(
                "{err}\n{} of {} kits were written before the failure; fix the cause and run the same command to continue the round",
                written.iter().filter(|&&w| w).count(),
                written.len()
            )));
        }
        return Err(err);
    }
    let complete = written.iter().all(|&w| w);
    let sheet = if complete && status != Status::AlreadyComplete {
        let folders: Vec<String> = recorded.iter().map(|k| k.folder.clone()).collect();
        super::sheet::write(&out, &round, &folders, &files, &request.settings.csv)?
    } else if round.kits.len() > 1 {
        Some(out.join(super::sheet::FILE)).filter(|p| p.exists())
    } else {
        None
    };
    let kits = round
        .kits
        .iter()
        .zip(&recorded)
        .enumerate()
        .map(|(i, (entry, kit))| KitLine {
            kit_code: kit.code.clone(),
            form: kit.form,
            candidate: entry.candidate.clone(),
            folder: out.join(&kit.folder),
            questions: kit.questions.clone(),
            kept: kept[i],
            written: written[i],
            reasons: match status {
                Status::New => entry.picks.iter().map(|p| p.reason.clone()).collect(),
                _ => Vec::new(),
            },
        })
        .collect();
    Ok(Report {
        round: info.id,
        status,
        seed: info.seed,
        seed_drawn: false,
        kits,
        files,
        summary: request.summary.then(|| round.summary()),
        clashes: Vec::new(),
        round_sheet: sheet,
        removed_unfinished: removed,
        written_now: done.len(),
        interrupted: !complete,
        out,
    })
}

/// What the rendering pool needs to render and stage a round's kits.
struct Rendering<'r, 'a> {
    round: &'r Round<'a>,
    recorded: &'r [crate::workspace::KitInfo],
    out: &'r Path,
    options: &'r RenderOptions<'a>,
    force: bool,
    jobs: Option<usize>,
    /// Kit 0's documents when already rendered; taken by the thread that writes kit 0.
    first: std::sync::Mutex<Option<Vec<Document>>>,
}

impl Rendering<'_, '_> {
    /// Renders kit `i` (or takes its documents rendered before) and stages its folder;
    /// returns the staged folder and the kit's `kit.json`.
    fn stage(&self, i: usize) -> Result<(crate::output::Staged, String)> {
        let kit = self.round.kit(i)?;
        let rendered = match i {
            0 => self.first.lock().ok().and_then(|mut first| first.take()),
            _ => None,
        };
        let documents = match rendered {
            Some(documents) => documents,
            None => crate::documents(&kit, self.options)?,
        };
        let json = documents
            .iter()
            .rev()
            .find(|d| d.name == "kit.json")
            .map_or_else(String::new, |d| {
                String::from_utf8_lossy(&d.bytes).into_owned()
            });
        let staged = stage_kit(self.out, &self.recorded[i].folder, &documents, self.force)?;
        Ok((staged, json))
    }
}

/// Renders and stages kits `todo` on the rendering pool while this thread makes them
/// durable and puts them in place, a group at a time: it takes every kit staged so far,
/// writes the disk back once ([`flush`]), syncs each kit's files (each reports its own
/// errors; they are on disk by then), renames the kits into place, syncs the folder and
/// records them in the workspace. Returns the kits written, in roster order, and the first
/// failure in roster order, if any.
fn render_all(
    workspace: &mut Workspace,
    rendering: &Rendering<'_, '_>,
    todo: &[usize],
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<(Vec<usize>, Option<Error>)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(rendering.jobs.unwrap_or(0))
        .build()
        .map_err(|e| {
            Error::System(format!(
                "cannot start {} rendering threads: {e}; try a smaller --jobs",
                rendering.jobs.unwrap_or(0)
            ))
        })?;
    type Staged = (usize, Result<(crate::output::Staged, String)>);
    // Bounded: rendering waits for the disk rather than holding ever more files open.
    let (sender, receiver) = mpsc::sync_channel::<Staged>(MAX_GROUP);
    let mut done = Vec::new();
    let mut failures: Vec<(usize, Error)> = Vec::new();
    let mut record_error = None;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            pool.install(|| {
                todo.par_iter().for_each_with(sender, |sender, &i| {
                    // Kits in flight finish; no new one starts once a stop is asked.
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let _ = sender.send((i, rendering.stage(i)));
                });
            });
        });
        let mut batch = Vec::new();
        while let Ok(next) = receiver.recv() {
            // Every kit staged so far (at most MAX_GROUP, which bounds the open files).
            let mut group = Vec::new();
            for (i, result) in std::iter::once(next).chain(receiver.try_iter().take(MAX_GROUP - 1))
            {
                match result {
                    Ok((staged, json)) => group.push((i, staged, json)),
                    Err(e) => failures.push((i, e)),
                }
            }
            // A round of one kit syncs its few files directly; a batch writes the disk back
            // once per group first, which leaves each file's own sync little to do.
            if todo.len() > 1 {
                flush(rendering.out);
            }
            let mut landed = Vec::new();
            for (i, staged, json) in group {
                match staged.sync().and_then(|()| staged.land()) {
                    Ok(_) => landed.push((i, json)),
                    Err(e) => failures.push((i, e)),
                }
            }
            let Some(&(first, _)) = landed.first() else {
                continue;
            };
            // The renames reach the disk before the kits are recorded as written; if they
            // cannot, the kits are not recorded (a later run finds their folders).
            if let Err(e) = sync_folder(rendering.out) {
                failures.push((first, e));
                continue;
            }
            for (i, json) in landed {
                progress.kit_done();
                done.push(i);
                batch.push((rendering.recorded[i].code.clone(), json));
            }
            if batch.len() >= MARK_BATCH
                && let Err(e) = workspace.mark_written(&std::mem::take(&mut batch))
            {
                record_error.get_or_insert(e);
            }
        }
        if let Err(e) = workspace.mark_written(&batch) {
            record_error.get_or_insert(e);
        }
    });
    if let Some(e) = record_error {
        return Err(e);
    }
    done.sort_unstable();
    failures.sort_by_key(|(i, _)| *i);
    Ok((done, failures.into_iter().next().map(|(_, e)| e)))
}
