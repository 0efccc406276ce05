//! The web app's record of rounds, kits and handout links, behind one small API.
//!
//! This adapter is the only module of `src/web/` that knows where rounds live. Today it keeps
//! them in memory for the server's lifetime and writes every kit folder under `--out` like
//! `generate` does; the SQLite workspace replaces its insides without changing its API.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::Format;
use crate::bank::Bank;
use crate::error::{Error, Result};
use crate::export::Profiles;
use crate::history::Ledger;
use crate::kit::Kit;
use crate::output::Document;
use crate::render::PaperSize;
use crate::roster::Candidate;
use crate::round::run::Settings;
use crate::select::Blueprint;
use crate::templates::Templates;
use crate::workspace::{Location, Workspace};

/// Formats the web app renders for every kit (both documents in each).
pub const FORMATS: &[Format] = &[Format::Pdf, Format::Html];

/// A round to plan and write, as a front end asked for it (already resolved and checked).
#[derive(Debug, Clone)]
pub struct RoundRequest {
    /// The candidates, in roster order.
    pub candidates: Vec<Candidate>,
    /// The resolved blueprint.
    pub blueprint: Blueprint,
    /// The seed.
    pub seed: u64,
    /// Interview date printed on the documents.
    pub date: Option<String>,
    /// Paper of the PDFs.
    pub paper: PaperSize,
}

/// The render options recorded with a round, so any file of its kits renders again byte for
/// byte.
#[derive(Debug)]
pub struct KitOptions {
    /// The round's recorded settings.
    pub settings: Settings,
    /// The file names every kit of the round has, once known.
    files: std::sync::OnceLock<Vec<String>>,
}

impl KitOptions {
    /// The library's render options for these recorded ones.
    pub fn render<'a>(
        &'a self,
        templates: &'a Templates,
        exports: &'a Profiles,
    ) -> crate::RenderOptions<'a> {
        self.settings.options(templates, exports)
    }
}

/// Where a round is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RoundState {
    /// Kits are being written.
    Generating,
    /// Every kit is written.
    Complete,
    /// Writing stopped on an error (see `error`).
    Failed,
    /// Some kits are not written, and no run of this server is writing them.
    Incomplete,
}

/// A round as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct RoundInfo {
    /// The round's number in the workspace.
    pub id: i64,
    /// The blueprint's name.
    pub blueprint: String,
    /// The seed.
    pub seed: u64,
    /// Kits planned.
    pub planned: usize,
    /// Kits written so far.
    pub written: usize,
    /// Where the round is.
    pub state: RoundState,
    /// What stopped it, when it failed.
    pub error: Option<String>,
    /// Interview date printed on the documents.
    pub date: Option<String>,
    /// Paper of the PDFs.
    pub paper: &'static str,
    /// Folder the kit folders are written to.
    pub folder: String,
}

/// Whether a kit's folder is on disk yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KitState {
    /// Drawn, not written yet.
    Planned,
    /// Its folder is complete.
    Written,
}

/// A kit as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct KitInfo {
    /// The kit code.
    pub code: String,
    /// The candidate's name.
    pub candidate: String,
    /// The candidate's email, if the roster had one.
    pub email: Option<String>,
    /// Planned or written.
    pub state: KitState,
    /// The kit's folder name inside its round's folder.
    pub folder: String,
    /// The round it belongs to.
    pub round: i64,
}

/// One kit with everything needed to render any of its files again.
#[derive(Debug, Clone)]
pub struct KitEntry {
    /// What lists show.
    pub info: KitInfo,
    /// The kit (`kit.json`).
    pub kit: Arc<Kit>,
    /// The recorded render options.
    pub options: Arc<KitOptions>,
}

impl KitEntry {
    /// Every file of the kit, rendered from the record.
    pub fn documents(&self, templates: &Templates, exports: &Profiles) -> Result<Vec<Document>> {
        let documents = crate::documents(&self.kit, &self.options.render(templates, exports))?;
        let _ = self
            .options
            .files
            .set(documents.iter().map(|d| d.name.clone()).collect());
        Ok(documents)
    }

    /// The names of the kit's files, in [`crate::documents`] order (every kit of a round
    /// has the same; rendered once to learn them).
    pub fn file_names(&self, templates: &Templates, exports: &Profiles) -> Result<Vec<String>> {
        match self.options.files.get() {
            Some(files) => Ok(files.clone()),
            None => Ok(self
                .documents(templates, exports)?
                .into_iter()
                .map(|d| d.name)
                .collect()),
        }
    }

    /// One file of the kit by name, rendered from the record; `None` when the kit has no
    /// such file (a name a client sends is only ever compared, never used as a path).
    pub fn document(
        &self,
        templates: &Templates,
        exports: &Profiles,
        name: &str,
    ) -> Result<Option<Document>> {
        Ok(self
            .documents(templates, exports)?
            .into_iter()
            .find(|d| d.name == name))
    }
}

/// A planned round's preview: the library's forecast (what `generate --dry-run` prints) and
/// each kit's questions, drawn against the workspace's history as generation draws them.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    /// Profile, minutes, overlap against its lower bound, exposure spread, candidates served.
    pub forecast: crate::select::Forecast,
    /// The kits the round would have, in roster order.
    pub kits: Vec<PlannedKit>,
}

/// One kit of a preview.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedKit {
    /// The code the kit would get (if no other round is recorded first).
    pub kit_code: String,
    /// Candidate's name as printed.
    pub candidate: String,
    /// Minutes of its questions.
    pub minutes: u32,
    /// Question ids in interview order.
    pub questions: Vec<String>,
}

/// A round being written by this server: kits written so far, and the error that stopped it.
#[derive(Debug, Default)]
struct Live {
    written: usize,
    error: Option<String>,
    running: bool,
}

/// The record of rounds, kits and handout links: the workspace, plus what this server knows
/// about the rounds it is writing right now.
pub struct Store {
    location: Location,
    out: PathBuf,
    workspace: Mutex<Workspace>,
    live: Mutex<BTreeMap<i64, Live>>,
    /// Serialises choosing a new batch folder.
    folders: Mutex<()>,
    /// File names of each round's kits, learned once per round (see [`Store::round_file_names`]).
    names: Mutex<BTreeMap<i64, Vec<String>>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("workspace", &self.location)
            .field("out", &self.out)
            .finish()
    }
}

/// Counts written kits for the round's page while [`crate::round::run`] writes them, and
/// signals once the round is planned (recorded, nothing written yet).
struct Tracker<'s> {
    store: &'s Store,
    planned: Mutex<Option<std::sync::mpsc::Sender<usize>>>,
    written: AtomicUsize,
    round: std::sync::OnceLock<i64>,
}

impl crate::round::run::Progress for Tracker<'_> {
    fn start(&self, total: usize) {
        if let Some(sender) = self
            .planned
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            let _ = sender.send(total);
        }
    }

    fn kit_done(&self) {
        let written = self.written.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(id) = self.round.get()
            && let Some(live) = self.store.live().get_mut(id)
        {
            live.written = live.written.max(written);
        }
    }
}

impl Store {
    /// A store over the workspace at `location` (opened, created or migrated now) writing
    /// one `batch-N` folder per round under `out`.
    pub fn open(location: &Location, out: &Path) -> Result<Store> {
        if *location == Location::Memory {
            return Err(Error::Usage(
                "serve needs a workspace file (rounds are written from their own connection); pass --workspace FILE".into(),
            ));
        }
        let workspace = Workspace::open(location)?;
        Ok(Store {
            location: location.clone(),
            out: out.to_owned(),
            workspace: Mutex::new(workspace),
            live: Mutex::new(BTreeMap::new()),
            folders: Mutex::new(()),
            names: Mutex::new(BTreeMap::new()),
        })
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Workspace> {
        self.workspace.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn live(&self) -> std::sync::MutexGuard<'_, BTreeMap<i64, Live>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn info(&self, round: &crate::workspace::RoundInfo) -> RoundInfo {
        let settings: Option<Settings> = serde_json::from_str(&round.options).ok();
        let live = self.live();
        let now = live.get(&round.id);
        let written = now.map_or(round.written, |l| l.written.max(round.written));
        let state = match now {
            Some(l) if l.error.is_some() => RoundState::Failed,
            Some(l) if l.running => RoundState::Generating,
            _ if round.complete() || written >= round.kits => RoundState::Complete,
            _ => RoundState::Incomplete,
        };
        RoundInfo {
            id: round.id,
            blueprint: round.blueprint.clone(),
            seed: round.seed,
            planned: round.kits,
            written: written.min(round.kits),
            state,
            error: now.and_then(|l| l.error.clone()),
            date: settings.as_ref().and_then(|s| s.date.clone()),
            paper: paper_name(settings.map(|s| s.paper).unwrap_or_default()),
            folder: round.out_dir.clone(),
        }
    }

    /// Every round, newest first.
    pub fn rounds(&self) -> Result<Vec<RoundInfo>> {
        let rounds = self.db().rounds()?;
        Ok(rounds.iter().rev().map(|r| self.info(r)).collect())
    }

    /// One round with its kits in roster order.
    pub fn round(&self, id: i64) -> Result<Option<(RoundInfo, Vec<KitInfo>)>> {
        let (round, kits) = {
            let db = self.db();
            let Some(round) = db.round(id)? else {
                return Ok(None);
            };
            (round, db.kits(Some(id))?)
        };
        let kits = kits.into_iter().map(kit_info).collect();
        Ok(Some((self.info(&round), kits)))
    }

    /// The file names of round `id`'s kits (every kit of a round has the same), learned by
    /// rendering its first written kit once and remembered; empty while none is written.
    pub fn round_file_names(
        &self,
        id: i64,
        templates: &Templates,
        exports: &Profiles,
    ) -> Result<Vec<String>> {
        let lock = || self.names.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(names) = lock().get(&id) {
            return Ok(names.clone());
        }
        let first = self
            .db()
            .kits(Some(id))?
            .into_iter()
            .find(|k| k.state == "written");
        let Some(entry) = first.map(|k| self.kit(&k.code)).transpose()?.flatten() else {
            return Ok(Vec::new());
        };
        let names = entry.file_names(templates, exports)?;
        lock().insert(id, names.clone());
        Ok(names)
    }

    /// Every written kit of round `id`, in roster order, read from the workspace.
    pub fn round_kits(&self, id: i64) -> Result<Vec<KitEntry>> {
        let codes: Vec<String> = self
            .db()
            .kits(Some(id))?
            .into_iter()
            .filter(|k| k.state == "written")
            .map(|k| k.code)
            .collect();
        let mut kits = Vec::with_capacity(codes.len());
        for code in codes {
            if let Some(entry) = self.kit(&code)? {
                kits.push(entry);
            }
        }
        Ok(kits)
    }

    /// One kit by code, when it is written (a planned kit has no `kit.json` yet).
    pub fn kit(&self, code: &str) -> Result<Option<KitEntry>> {
        let Some((info, json, round)) = self.db().kit(code)? else {
            return Ok(None);
        };
        let Some(json) = json else {
            return Ok(None);
        };
        let kit = crate::export::kit_from_json(&format!("kit `{code}` in the workspace"), &json)?;
        let settings: Settings = serde_json::from_str(&round.options).map_err(|e| {
            Error::System(format!(
                "round {} has unreadable render options: {e}",
                round.id
            ))
        })?;
        Ok(Some(KitEntry {
            info: kit_info(info),
            kit: Arc::new(kit),
            options: Arc::new(KitOptions {
                settings,
                files: std::sync::OnceLock::new(),
            }),
        }))
    }

    /// Records a handout link for kit `code` (only the token's SHA-256 is stored).
    pub fn create_link(&self, code: &str, token: &str) -> Result<()> {
        self.db().add_handout_link(code, token)
    }

    /// The kit code a live handout link's token opens.
    pub fn resolve_link(&self, token: &str) -> Result<Option<String>> {
        self.db().handout_link(token)
    }

    /// Revokes every handout link of kit `code`; returns how many were live.
    pub fn revoke_links(&self, code: &str) -> Result<usize> {
        self.db().revoke_handout_links(code)
    }

    /// The preview of a round: draws every kit against the workspace's history (exposure,
    /// what each candidate has seen, the next kit number) exactly as [`Store::generate`]
    /// would; nothing is rendered or recorded.
    pub fn preview(
        &self,
        bank: &Bank,
        templates: &Templates,
        request: &RoundRequest,
    ) -> Result<Preview> {
        let crate::round::run::Prior {
            history,
            first_form,
        } = crate::round::run::prior(
            Some(&self.db()),
            &request.candidates,
            &[],
            &Ledger::default(),
        )?;
        let round = crate::round::build(
            crate::kit::Source::new(bank, &request.blueprint, request.seed, first_form),
            &request.candidates,
            &history,
            templates,
        )?;
        let kits = round
            .kits
            .iter()
            .map(|k| PlannedKit {
                kit_code: k.kit_code.clone(),
                candidate: k.candidate.name.clone(),
                minutes: k.picks.iter().map(|p| p.question.minutes).sum(),
                questions: k.picks.iter().map(|p| p.question.id.clone()).collect(),
            })
            .collect();
        Ok(Preview {
            forecast: round.summary(),
            kits,
        })
    }

    /// A fresh `batch-N` folder under `out` for one round, created now so no other round
    /// takes it.
    fn new_folder(&self) -> Result<PathBuf> {
        let _guard = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        std::fs::create_dir_all(&self.out)
            .map_err(|e| Error::io("create output folder", &self.out, e))?;
        for n in 1.. {
            let folder = self.out.join(format!("batch-{n}"));
            match std::fs::create_dir(&folder) {
                Ok(()) => return Ok(folder),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io("create output folder", &folder, e)),
            }
        }
        unreachable!("some batch number is free")
    }

    /// Plans the round `request` describes through the library's round engine and writes
    /// it. Blocking: call it off the async executor. `planned` receives the round's id once
    /// it is recorded (before any kit is written), so a front end can answer at once.
    pub fn generate(
        &self,
        bank: &Bank,
        templates: &Templates,
        exports: &Profiles,
        request: &RoundRequest,
        planned: std::sync::mpsc::Sender<Result<i64>>,
    ) {
        let outcome = self.generate_inner(bank, templates, exports, request, &planned);
        if let Err(e) = outcome {
            let _ = planned.send(Err(e));
        }
    }

    fn generate_inner(
        &self,
        bank: &Bank,
        templates: &Templates,
        exports: &Profiles,
        request: &RoundRequest,
        planned: &std::sync::mpsc::Sender<Result<i64>>,
    ) -> Result<()> {
        let out = std::path::absolute(self.new_folder()?)
            .map_err(|e| Error::io("find the output folder", &self.out, e))?;
        let settings = Settings {
            date: request.date.clone(),
            paper: request.paper,
            formats: FORMATS.to_vec(),
            profiles: exports
                .names()
                .into_iter()
                .filter(|p| *p != crate::export::profile::GENERIC)
                .map(str::to_owned)
                .collect(),
            csv: crate::export::CsvOptions::default(),
            templates: None,
            font: None,
        };
        let fingerprints = Arc::new(crate::kit::Fingerprints::of(bank, &request.blueprint));
        let engine_request = crate::round::run::Request {
            bank,
            blueprint: &request.blueprint,
            templates,
            exports,
            seed: Some(request.seed),
            candidates: &request.candidates,
            ledger: &Ledger::default(),
            settings,
            out: out.clone(),
            force: false,
            new_round: true,
            same_person: Vec::new(),
            jobs: None,
            summary: false,
            fingerprints: fingerprints.clone(),
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        let tracker = Tracker {
            store: self,
            planned: Mutex::new(Some(sender)),
            written: AtomicUsize::new(0),
            round: std::sync::OnceLock::new(),
        };
        // The engine writes through its own connection; this one keeps serving pages.
        let mut workspace = Workspace::open(&self.location)?;
        let roster = crate::workspace::roster_fingerprint(&request.candidates);
        let (blueprint_fp, bank_fp) = (fingerprints.blueprint.clone(), fingerprints.bank.clone());
        let out_text = out.display().to_string();
        let (tracker, roster, blueprint_fp, bank_fp, out_text) =
            (&tracker, &roster, &blueprint_fp, &bank_fp, &out_text);
        std::thread::scope(|scope| {
            let watcher = scope.spawn(move || {
                // Planned: find the round this run recorded (its folder is unique to it).
                receiver.recv().ok()?;
                let found = self
                    .db()
                    .rounds_for(roster, blueprint_fp, bank_fp)
                    .map(|rounds| rounds.into_iter().find(|r| r.out_dir == *out_text));
                match found {
                    Ok(Some(round)) => {
                        self.live().insert(
                            round.id,
                            Live {
                                running: true,
                                written: tracker.written.load(Ordering::SeqCst),
                                error: None,
                            },
                        );
                        let _ = tracker.round.set(round.id);
                        let _ = planned.send(Ok(round.id));
                        Some(round.id)
                    }
                    Ok(None) => {
                        let _ = planned.send(Err(Error::System(
                            "the round just planned is not in the workspace".into(),
                        )));
                        None
                    }
                    Err(e) => {
                        let _ = planned.send(Err(e));
                        None
                    }
                }
            });
            let never = AtomicBool::new(false);
            let report = crate::round::run::run(&mut workspace, &engine_request, tracker, &never);
            // A run that failed before planning never signals: close the channel instead.
            drop(
                tracker
                    .planned
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .take(),
            );
            if let Some(id) = watcher.join().ok().flatten() {
                let mut live = self.live();
                let entry = live.entry(id).or_default();
                entry.running = false;
                entry.written = tracker.written.load(Ordering::SeqCst);
                if let Err(e) = &report {
                    entry.error = Some(e.to_string());
                }
            }
            report.map(drop)
        })
    }
}

fn kit_info(kit: crate::workspace::KitInfo) -> KitInfo {
    KitInfo {
        state: if kit.state == "written" {
            KitState::Written
        } else {
            KitState::Planned
        },
        code: kit.code,
        candidate: kit.candidate,
        email: kit.emails.into_iter().next(),
        folder: kit.folder,
        round: kit.round,
    }
}

/// The paper's name as requests and pages spell it.
pub fn paper_name(paper: PaperSize) -> &'static str {
    match paper {
        PaperSize::A4 => "a4",
        PaperSize::Letter => "letter",
    }
}

/// The paper a request names (`a4` or `letter`, any case).
pub fn parse_paper(text: &str) -> Result<PaperSize> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "a4" => Ok(PaperSize::A4),
        "letter" => Ok(PaperSize::Letter),
        _ => Err(Error::Usage(format!(
            "unknown paper `{}`; use a4 or letter",
            crate::limits::shown(text)
        ))),
    }
}
