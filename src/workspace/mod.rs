//! The workspace: one SQLite file that records rounds, candidates, kits, exposure and scores.
//!
//! Every query lives in this module, behind a small API, so the same schema could move to
//! another SQL server without touching the callers. The file is found the way git finds its
//! repository: `interview-kit.db` in the current folder or the nearest parent. Rules: only
//! written kits count as seen; every change that touches several rows is one transaction.

pub mod ledger;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::roster::Candidate;

/// File name of a workspace.
pub const FILE_NAME: &str = "interview-kit.db";

/// Environment variable naming the workspace when `--workspace` is not given.
pub const ENV: &str = "INTERVIEW_KIT_WORKSPACE";

/// The `--workspace` value for a throwaway workspace in memory: nothing outlives the command.
pub const MEMORY: &str = ":memory:";

/// The schema migrations, oldest first; the database's `user_version` says how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_scores_by_interviewer.sql"),
    include_str!("migrations/003_scores_for_any_kit.sql"),
];

/// How long a command waits for another process that holds the database, in milliseconds.
const BUSY_TIMEOUT_MS: u64 = 30_000;

/// Where a workspace lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A database file.
    File(PathBuf),
    /// A throwaway database in memory (`--workspace :memory:`).
    Memory,
}

impl Location {
    /// The workspace to use: `explicit` (`--workspace`), else `$INTERVIEW_KIT_WORKSPACE`,
    /// else the nearest `interview-kit.db` in `cwd` or a parent, else `cwd/interview-kit.db`.
    pub fn find(explicit: Option<&Path>, cwd: &Path) -> Location {
        let named = explicit
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os(ENV).map(PathBuf::from))
            .filter(|p| !p.as_os_str().is_empty());
        if let Some(path) = named {
            return if path.as_os_str() == MEMORY {
                Location::Memory
            } else {
                Location::File(path)
            };
        }
        cwd.ancestors()
            .map(|dir| dir.join(FILE_NAME))
            .find(|candidate| candidate.is_file())
            .map_or_else(|| Location::File(cwd.join(FILE_NAME)), Location::File)
    }

    /// The path for messages (`:memory:` for a throwaway workspace).
    pub fn display(&self) -> String {
        match self {
            Location::File(path) => path.display().to_string(),
            Location::Memory => MEMORY.to_owned(),
        }
    }
}

/// An open workspace.
pub struct Workspace {
    conn: Connection,
    location: Location,
}

/// A round as the workspace records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundInfo {
    /// The round's number in this workspace.
    pub id: i64,
    /// `generate`, or `import` for kits read from a JSON Lines ledger.
    pub origin: String,
    /// The seed the round was drawn with.
    pub seed: u64,
    /// The blueprint's name.
    pub blueprint: String,
    /// The resolved blueprint's fingerprint.
    pub blueprint_fingerprint: String,
    /// The bank's fingerprint.
    pub bank_fingerprint: String,
    /// The selection algorithm's version.
    pub algorithm_version: u32,
    /// SHA-256 of the candidates' identities in roster order.
    pub roster_fingerprint: String,
    /// Render and CSV options as JSON (see `round::Settings`).
    pub options: String,
    /// Folder the kits are written into.
    pub out_dir: String,
    /// Kits in the round.
    pub kits: usize,
    /// Kits whose folder is complete on disk.
    pub written: usize,
}

impl RoundInfo {
    /// Whether every kit of the round is written.
    pub fn complete(&self) -> bool {
        self.written == self.kits
    }
}

/// A kit as the workspace records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KitInfo {
    /// The kit code.
    pub code: String,
    /// The round it belongs to.
    pub round: i64,
    /// Its position in the round's roster (0-based).
    pub position: usize,
    /// Its form (kit number of the seed).
    pub form: u32,
    /// The candidate's name as printed.
    pub candidate: String,
    /// The candidate's emails, if known.
    pub emails: Vec<String>,
    /// The kit's folder name inside the round's `out_dir`.
    pub folder: String,
    /// `planned` or `written`.
    pub state: String,
    /// Question ids in interview order.
    pub questions: Vec<String>,
}

/// One kit of a round being planned.
#[derive(Debug, Clone)]
pub struct NewKit {
    /// The kit code.
    pub code: String,
    /// Its form.
    pub form: u32,
    /// Who it is for.
    pub candidate: Candidate,
    /// Folder name inside the round's `out_dir`.
    pub folder: String,
    /// The kit as JSON (`kit.json`), or `None` for a kit imported from a ledger.
    pub kit_json: Option<String>,
    /// Question ids in interview order.
    pub questions: Vec<String>,
    /// Already complete on disk (imported kits).
    pub written: bool,
}

/// A round being planned; [`Workspace::insert_round`] records it in one transaction.
#[derive(Debug, Clone)]
pub struct NewRound {
    /// `generate` or `import`.
    pub origin: &'static str,
    /// The seed.
    pub seed: u64,
    /// Blueprint name.
    pub blueprint: String,
    /// The resolved blueprint as JSON.
    pub blueprint_json: String,
    /// Its fingerprint.
    pub blueprint_fingerprint: String,
    /// The bank's fingerprint.
    pub bank_fingerprint: String,
    /// The selection algorithm version.
    pub algorithm_version: u32,
    /// See [`roster_fingerprint`].
    pub roster_fingerprint: String,
    /// Render and CSV options as JSON.
    pub options: String,
    /// Output folder.
    pub out_dir: String,
    /// Form of the first kit.
    pub first_form: u32,
    /// The kits, in roster order.
    pub kits: Vec<NewKit>,
    /// Pairs of (new email, known email) the user declared to be one person.
    pub same_person: Vec<(String, String)>,
}

/// A candidate whose name matches someone known under another email: a warning, since
/// they are treated as two people unless the user says otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameClash {
    /// The roster's candidate, e.g. `Ada Lovelace <ada@new.example>`.
    pub new: String,
    /// The known candidate, e.g. `Ada Lovelace <ada@old.example>`.
    pub known: String,
    /// The flag that declares them one person.
    pub flag: String,
}

/// A stored score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreRow {
    /// The kit.
    pub kit_code: String,
    /// The question.
    pub question_id: String,
    /// Who scored.
    pub interviewer: String,
    /// 1 to 4, or `None` when left empty.
    pub score: Option<u8>,
    /// Notes.
    pub notes: String,
    /// The sheet it came from.
    pub source_file: String,
    /// Its row in that sheet.
    pub source_row: usize,
}

/// SHA-256 over the candidates' identities in roster order: two rosters with the same
/// people in the same order are the same roster.
pub fn roster_fingerprint(candidates: &[Candidate]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for candidate in candidates {
        hash.update(candidate.key().as_bytes());
        hash.update([0]);
    }
    crate::bank::hex(&hash.finalize())
}

/// A name as people compare names: lowercase, spaces collapsed.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Seeds are `u64`; SQLite integers are `i64`, so seeds are stored as decimal text.
fn seed_text(seed: u64) -> String {
    seed.to_string()
}

impl Workspace {
    /// Opens the workspace at `location`, creating it (and its folder's file) when missing
    /// and migrating an older schema. A newer schema, a file that is not SQLite, a
    /// truncated database and a read-only file each get a clear error.
    pub fn open(location: &Location) -> Result<Workspace> {
        if let Location::File(path) = location
            && let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty())
            && !folder.is_dir()
        {
            return Err(Error::Workspace {
                path: location.display(),
                message: format!(
                    "its folder `{}` does not exist; create it, or pass another --workspace FILE",
                    folder.display()
                ),
            });
        }
        let conn = match location {
            Location::Memory => Connection::open_in_memory(),
            Location::File(path) => Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            ),
        }
        .map_err(|e| open_error(location, &e))?;
        let mut workspace = Workspace {
            conn,
            location: location.clone(),
        };
        workspace.prepare()?;
        Ok(workspace)
    }

    /// Opens the workspace at `location` if its file exists; never creates one.
    pub fn open_existing(location: &Location) -> Result<Option<Workspace>> {
        match location {
            Location::File(path) if !path.exists() => Ok(None),
            _ => Workspace::open(location).map(Some),
        }
    }

    /// Where the workspace is, for messages.
    pub fn location(&self) -> &Location {
        &self.location
    }

    fn fail(&self, what: &str, err: impl std::fmt::Display) -> Error {
        Error::Workspace {
            path: self.location.display(),
            message: format!("{what}: {err}"),
        }
    }

    fn prepare(&mut self) -> Result<()> {
        let conn = &mut self.conn;
        let location = &self.location;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))
            .map_err(|e| open_error(location, &e))?;
        // Reading the schema version is the first real read: a file that is not SQLite fails here.
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| open_error(location, &e))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(Error::Workspace {
                path: location.display(),
                message: format!(
                    "its schema is version {version}, newer than this interview-kit knows (version {known}); use a newer interview-kit (`interview-kit --version` says which you have)"
                ),
            });
        }
        if matches!(location, Location::File(_)) {
            // WAL lets readers (the web app) work while a round is written.
            let mode = switch_to_wal(conn).map_err(|e| open_error(location, &e))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Workspace {
                    path: location.display(),
                    message: format!("cannot switch it to WAL journaling (got `{mode}`)"),
                });
            }
        }
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| open_error(location, &e))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| open_error(location, &e))?;
        let migrations = Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect());
        if let Err(e) = migrations.to_latest(conn) {
            // Another process opening the same new workspace may have migrated it first.
            let now: i64 = conn
                .pragma_query_value(None, "user_version", |row| row.get(0))
                .map_err(|e| open_error(location, &e))?;
            if now != known {
                return Err(migration_error(location, &e));
            }
        }
        // A truncated file can open and still fail on its first real query.
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .map_err(|e| open_error(location, &e))?;
        if check != "ok" {
            return Err(Error::Workspace {
                path: location.display(),
                message: format!(
                    "the database is damaged ({check}); restore it from a backup, or move it away to start a new workspace"
                ),
            });
        }
        Ok(())
    }

    /// How often each question was given in written kits.
    pub fn exposure(&self) -> Result<BTreeMap<String, u32>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT q.question_id, COUNT(*) FROM kit_questions q
                 JOIN kits k ON k.code = q.kit_code
                 WHERE k.state = 'written' GROUP BY q.question_id",
            )
            .map_err(|e| self.fail("cannot read exposure", e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, u32>(1)?))
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.fail("cannot read exposure", e))?;
        Ok(rows)
    }

    /// Questions each known candidate was given in written kits, by candidate id.
    pub fn seen(&self) -> Result<BTreeMap<i64, BTreeSet<String>>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT k.candidate_id, q.question_id FROM kit_questions q
                 JOIN kits k ON k.code = q.kit_code WHERE k.state = 'written'",
            )
            .map_err(|e| self.fail("cannot read history", e))?;
        let mut seen: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
        let rows = stmt
            .query_map([], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(|e| self.fail("cannot read history", e))?;
        for row in rows {
            let (id, question) = row.map_err(|e| self.fail("cannot read history", e))?;
            seen.entry(id).or_default().insert(question);
        }
        Ok(seen)
    }

    /// The form the next round starts at: one past every kit recorded, so kit codes stay
    /// unique in the workspace.
    pub fn next_form(&self) -> Result<u32> {
        let count: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM kits", [], |row| row.get(0))
            .map_err(|e| self.fail("cannot count kits", e))?;
        u32::try_from(count).map_err(|_| self.fail("too many kits", count))
    }

    /// The known candidate `candidate` is (by external id, else email, else name when the
    /// roster has no email), and a [`NameClash`] when only the name matches someone.
    pub fn identify(&self, candidate: &Candidate) -> Result<(Option<i64>, Option<NameClash>)> {
        let fail = |e| self.fail("cannot look up a candidate", e);
        if let Some(id) = &candidate.id {
            let found = self
                .conn
                .query_row(
                    "SELECT id FROM candidates WHERE external_id = ?1",
                    [id],
                    |row| row.get(0),
                )
                .optional()
                .map_err(fail)?;
            if found.is_some() {
                return Ok((found, None));
            }
        }
        if let Some(email) = &candidate.email {
            let found = self
                .conn
                .query_row(
                    "SELECT candidate_id FROM candidate_emails WHERE email = ?1",
                    [email_key(email)],
                    |row| row.get(0),
                )
                .optional()
                .map_err(fail)?;
            if found.is_some() {
                return Ok((found, None));
            }
        }
        let by_name: Vec<(i64, String)> = self
            .conn
            .prepare("SELECT id, name FROM candidates WHERE name_key = ?1 ORDER BY id")
            .and_then(|mut stmt| {
                stmt.query_map([name_key(&candidate.name)], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect()
            })
            .map_err(fail)?;
        let Some((id, name)) = by_name.into_iter().next() else {
            return Ok((None, None));
        };
        match &candidate.email {
            None if candidate.id.is_none() => Ok((Some(id), None)),
            _ => {
                let emails = self.emails(id)?;
                let known = match emails.first() {
                    Some(email) => format!("{name} <{email}>"),
                    None => name,
                };
                let new = match &candidate.email {
                    Some(email) => format!("{} <{email}>", candidate.name),
                    None => candidate.name.clone(),
                };
                let flag = match (&candidate.email, emails.first()) {
                    (Some(new), Some(old)) => format!("--same-person {new}={old}"),
                    _ => "--same-person NEW_EMAIL=KNOWN_EMAIL".to_owned(),
                };
                Ok((None, Some(NameClash { new, known, flag })))
            }
        }
    }

    fn emails(&self, candidate: i64) -> Result<Vec<String>> {
        self.conn
            .prepare("SELECT email FROM candidate_emails WHERE candidate_id = ?1 ORDER BY email")
            .and_then(|mut stmt| stmt.query_map([candidate], |row| row.get(0))?.collect())
            .map_err(|e| self.fail("cannot read emails", e))
    }

    /// Candidate ids by email for `pairs` of (new, known) emails the user declared one person;
    /// a known email the workspace does not have is an error.
    fn same_person_ids(&self, pairs: &[(String, String)]) -> Result<BTreeMap<String, i64>> {
        let mut ids = BTreeMap::new();
        for (new, known) in pairs {
            let id: Option<i64> = self
                .conn
                .query_row(
                    "SELECT candidate_id FROM candidate_emails WHERE email = ?1",
                    [email_key(known)],
                    |row| row.get(0),
                )
                .optional()
                .map_err(|e| self.fail("cannot look up a candidate", e))?;
            let id = id.ok_or_else(|| {
                Error::Usage(format!(
                    "--same-person {new}={known}: no candidate in the workspace has the email `{known}`"
                ))
            })?;
            ids.insert(email_key(new), id);
        }
        Ok(ids)
    }

    /// The candidate id each of `candidates` would get, `None` for a new person; the ids of
    /// `--same-person` pairs are applied.
    pub fn candidate_ids(
        &self,
        candidates: &[Candidate],
        same_person: &[(String, String)],
    ) -> Result<(Vec<Option<i64>>, Vec<NameClash>)> {
        let declared = self.same_person_ids(same_person)?;
        let mut ids = Vec::with_capacity(candidates.len());
        let mut clashes = Vec::new();
        for candidate in candidates {
            let declared_id = candidate
                .email
                .as_deref()
                .and_then(|e| declared.get(&email_key(e)).copied());
            if let Some(id) = declared_id {
                ids.push(Some(id));
                continue;
            }
            let (id, clash) = self.identify(candidate)?;
            ids.push(id);
            clashes.extend(clash);
        }
        Ok((ids, clashes))
    }

    /// Records a round and its planned kits, and any new candidates, in one transaction;
    /// returns the round's id.
    pub fn insert_round(&mut self, round: &NewRound) -> Result<i64> {
        let (ids, _) = self.candidate_ids(
            &round
                .kits
                .iter()
                .map(|k| k.candidate.clone())
                .collect::<Vec<_>>(),
            &round.same_person,
        )?;
        let location = self.location.display();
        let fail = |e: rusqlite::Error| Error::Workspace {
            path: location.clone(),
            message: format!("cannot record the round: {e}"),
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        tx.execute(
            "INSERT INTO rounds (origin, seed, blueprint_name, blueprint_json, blueprint_fingerprint,
                bank_fingerprint, algorithm_version, roster_fingerprint, options_json, out_dir,
                first_form, kit_count)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                round.origin,
                seed_text(round.seed),
                round.blueprint,
                round.blueprint_json,
                round.blueprint_fingerprint,
                round.bank_fingerprint,
                round.algorithm_version,
                round.roster_fingerprint,
                round.options,
                round.out_dir,
                round.first_form,
                round.kits.len() as i64,
            ],
        )
        .map_err(fail)?;
        let round_id = tx.last_insert_rowid();
        for (position, (kit, known)) in round.kits.iter().zip(ids).enumerate() {
            let candidate = &kit.candidate;
            let id = match known {
                Some(id) => id,
                None => {
                    tx.execute(
                        "INSERT INTO candidates (name, name_key, external_id) VALUES (?1, ?2, ?3)",
                        params![candidate.name, name_key(&candidate.name), candidate.id],
                    )
                    .map_err(fail)?;
                    tx.last_insert_rowid()
                }
            };
            if let Some(email) = &candidate.email {
                tx.execute(
                    "INSERT OR IGNORE INTO candidate_emails (email, candidate_id) VALUES (?1, ?2)",
                    params![email_key(email), id],
                )
                .map_err(fail)?;
            }
            if let Some(external) = &candidate.id {
                tx.execute(
                    "UPDATE candidates SET external_id = ?1 WHERE id = ?2 AND external_id IS NULL",
                    params![external, id],
                )
                .map_err(fail)?;
            }
            tx.execute(
                "INSERT INTO kits (code, round_id, position, form, candidate_id, candidate_name,
                    folder, kit_json, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    kit.code,
                    round_id,
                    position as i64,
                    kit.form,
                    id,
                    candidate.name,
                    kit.folder,
                    kit.kit_json,
                    if kit.written { "written" } else { "planned" },
                ],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Error::Conflict(format!(
                        "kit `{}` for {} would be a second kit for a candidate of this round, or its code is already in the workspace `{location}`",
                        kit.code, candidate.name
                    ))
                }
                e => fail(e),
            })?;
            for (number, question) in kit.questions.iter().enumerate() {
                tx.execute(
                    "INSERT INTO kit_questions (kit_code, number, question_id) VALUES (?1, ?2, ?3)",
                    params![kit.code, number as i64 + 1, question],
                )
                .map_err(fail)?;
            }
        }
        tx.commit().map_err(fail)?;
        Ok(round_id)
    }

    /// Marks kits written (their folders are complete on disk) and records each one's
    /// `kit.json`, in one transaction.
    pub fn mark_written(&mut self, kits: &[(String, String)]) -> Result<()> {
        if kits.is_empty() {
            return Ok(());
        }
        let location = self.location.display();
        let fail = |e: rusqlite::Error| Error::Workspace {
            path: location.clone(),
            message: format!("cannot record written kits: {e}"),
        };
        let tx = self.conn.transaction().map_err(fail)?;
        {
            let mut stmt = tx
                .prepare_cached("UPDATE kits SET state = 'written', kit_json = ?2 WHERE code = ?1")
                .map_err(fail)?;
            for (code, json) in kits {
                stmt.execute([code, json]).map_err(fail)?;
            }
        }
        tx.commit().map_err(fail)
    }

    /// Removes a round that wrote nothing (a run that failed before its first kit), so a
    /// failed run leaves the workspace as it was.
    pub fn forget_round(&mut self, round: i64) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM rounds WHERE id = ?1 AND NOT EXISTS
                   (SELECT 1 FROM kits WHERE round_id = ?1 AND state = 'written')",
                [round],
            )
            .map_err(|e| self.fail("cannot remove the unwritten round", e))?;
        Ok(())
    }

    const ROUND_COLUMNS: &str = "r.id, r.origin, r.seed, r.blueprint_name, r.blueprint_fingerprint,
        r.bank_fingerprint, r.algorithm_version, r.roster_fingerprint, r.options_json, r.out_dir,
        r.kit_count, (SELECT COUNT(*) FROM kits k WHERE k.round_id = r.id AND k.state = 'written')";

    fn round_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RoundInfo> {
        let seed: String = row.get(2)?;
        Ok(RoundInfo {
            id: row.get(0)?,
            origin: row.get(1)?,
            seed: seed.parse().unwrap_or_default(),
            blueprint: row.get(3)?,
            blueprint_fingerprint: row.get(4)?,
            bank_fingerprint: row.get(5)?,
            algorithm_version: row.get(6)?,
            roster_fingerprint: row.get(7)?,
            options: row.get(8)?,
            out_dir: row.get(9)?,
            kits: row.get::<_, i64>(10)? as usize,
            written: row.get::<_, i64>(11)? as usize,
        })
    }

    /// Every round, oldest first.
    pub fn rounds(&self) -> Result<Vec<RoundInfo>> {
        let sql = format!("SELECT {} FROM rounds r ORDER BY r.id", Self::ROUND_COLUMNS);
        self.conn
            .prepare(&sql)
            .and_then(|mut stmt| stmt.query_map([], Self::round_row)?.collect())
            .map_err(|e| self.fail("cannot list rounds", e))
    }

    /// One round.
    pub fn round(&self, id: i64) -> Result<Option<RoundInfo>> {
        let sql = format!(
            "SELECT {} FROM rounds r WHERE r.id = ?1",
            Self::ROUND_COLUMNS
        );
        self.conn
            .query_row(&sql, [id], Self::round_row)
            .optional()
            .map_err(|e| self.fail("cannot read the round", e))
    }

    /// Rounds drawn by `generate` for this roster, blueprint and bank, newest first.
    pub fn rounds_for(&self, roster: &str, blueprint: &str, bank: &str) -> Result<Vec<RoundInfo>> {
        let sql = format!(
            "SELECT {} FROM rounds r WHERE r.origin = 'generate' AND r.roster_fingerprint = ?1
               AND r.blueprint_fingerprint = ?2 AND r.bank_fingerprint = ?3 ORDER BY r.id DESC",
            Self::ROUND_COLUMNS
        );
        self.conn
            .prepare(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(params![roster, blueprint, bank], Self::round_row)?
                    .collect()
            })
            .map_err(|e| self.fail("cannot look up rounds", e))
    }

    /// The kits of `round` (every kit when `None`), in round and roster order.
    pub fn kits(&self, round: Option<i64>) -> Result<Vec<KitInfo>> {
        let fail = |e| self.fail("cannot list kits", e);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT k.code, k.round_id, k.position, k.form, k.candidate_name, k.folder, k.state,
                        k.candidate_id
                 FROM kits k WHERE ?1 IS NULL OR k.round_id = ?1 ORDER BY k.round_id, k.position",
            )
            .map_err(fail)?;
        let rows: Vec<(KitInfo, i64)> = stmt
            .query_map([round], |row| {
                Ok((
                    KitInfo {
                        code: row.get(0)?,
                        round: row.get(1)?,
                        position: row.get::<_, i64>(2)? as usize,
                        form: row.get(3)?,
                        candidate: row.get(4)?,
                        emails: Vec::new(),
                        folder: row.get(5)?,
                        state: row.get(6)?,
                        questions: Vec::new(),
                    },
                    row.get(7)?,
                ))
            })
            .and_then(Iterator::collect)
            .map_err(fail)?;
        let mut questions = self
            .conn
            .prepare_cached(
                "SELECT question_id FROM kit_questions WHERE kit_code = ?1 ORDER BY number",
            )
            .map_err(fail)?;
        let mut kits = Vec::with_capacity(rows.len());
        for (mut kit, candidate) in rows {
            kit.questions = questions
                .query_map([&kit.code], |row| row.get(0))
                .and_then(Iterator::collect)
                .map_err(fail)?;
            kit.emails = self.emails(candidate)?;
            kits.push(kit);
        }
        Ok(kits)
    }

    /// The kit with `code` (its code as printed; see [`crate::kit::KitCode::parse`] for
    /// typed variants), its `kit.json` and its round.
    pub fn kit(&self, code: &str) -> Result<Option<(KitInfo, Option<String>, RoundInfo)>> {
        let found: Option<(i64, Option<String>)> = self
            .conn
            .query_row(
                "SELECT round_id, kit_json FROM kits WHERE code = ?1",
                [code],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.fail("cannot read the kit", e))?;
        let Some((round_id, json)) = found else {
            return Ok(None);
        };
        let round = self
            .round(round_id)?
            .ok_or_else(|| self.fail("kit without round", code))?;
        let kit = self
            .kits(Some(round_id))?
            .into_iter()
            .find(|k| k.code == code)
            .ok_or_else(|| self.fail("kit vanished", code))?;
        Ok(Some((kit, json, round)))
    }

    /// The external (ATS) id of the candidate of kit `code`, if known.
    pub fn external_id(&self, code: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT c.external_id FROM kits k JOIN candidates c ON c.id = k.candidate_id
                 WHERE k.code = ?1",
                [code],
                |row| row.get(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.fail("cannot read the candidate", e))
    }

    /// Records the scored kits (`(code, kit.json)`) and replaces the scores a sheet gave
    /// (same kit, question and interviewer) with `rows`, in one transaction: importing a
    /// sheet twice leaves the same scores.
    pub fn store_scores(&mut self, kits: &[(String, String)], rows: &[ScoreRow]) -> Result<()> {
        let location = self.location.display();
        let fail = |e: rusqlite::Error| Error::Workspace {
            path: location.clone(),
            message: format!("cannot store scores: {e}"),
        };
        let tx = self.conn.transaction().map_err(fail)?;
        {
            let mut kit = tx
                .prepare_cached(
                    "INSERT INTO scored_kits (code, kit_json) VALUES (?1, ?2)
                     ON CONFLICT (code) DO UPDATE SET kit_json = excluded.kit_json",
                )
                .map_err(fail)?;
            for (code, json) in kits {
                kit.execute([code, json]).map_err(fail)?;
            }
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO scores (kit_code, question_id, interviewer, score, notes,
                        source_file, source_row)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (kit_code, question_id, interviewer) DO UPDATE SET
                        score = excluded.score, notes = excluded.notes,
                        source_file = excluded.source_file, source_row = excluded.source_row",
                )
                .map_err(fail)?;
            for row in rows {
                stmt.execute(params![
                    row.kit_code,
                    row.question_id,
                    row.interviewer,
                    row.score,
                    row.notes,
                    row.source_file,
                    row.source_row as i64
                ])
                .map_err(|e| match e {
                    rusqlite::Error::SqliteFailure(f, _)
                        if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        Error::Conflict(format!(
                            "`{}` row {}: kit `{}` has no kit.json recorded in the workspace `{location}`",
                            row.source_file, row.source_row, row.kit_code
                        ))
                    }
                    e => fail(e),
                })?;
            }
        }
        tx.commit().map_err(fail)
    }

    /// The `kit.json` of every scored kit, by code.
    pub fn scored_kits(&self) -> Result<BTreeMap<String, String>> {
        self.conn
            .prepare("SELECT code, kit_json FROM scored_kits ORDER BY code")
            .and_then(|mut stmt| {
                stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect()
            })
            .map_err(|e| self.fail("cannot read scored kits", e))
    }

    /// Every stored score, by kit, question and interviewer.
    pub fn scores(&self) -> Result<Vec<ScoreRow>> {
        self.conn
            .prepare(
                "SELECT kit_code, question_id, interviewer, score, notes, source_file, source_row
                 FROM scores ORDER BY kit_code, question_id, interviewer",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |row| {
                    Ok(ScoreRow {
                        kit_code: row.get(0)?,
                        question_id: row.get(1)?,
                        interviewer: row.get(2)?,
                        score: row.get(3)?,
                        notes: row.get(4)?,
                        source_file: row.get(5)?,
                        source_row: row.get::<_, i64>(6)? as usize,
                    })
                })?
                .collect()
            })
            .map_err(|e| self.fail("cannot read scores", e))
    }

    /// Records a handout link for `kit`: only the SHA-256 of `token` is stored.
    pub fn add_handout_link(&mut self, kit: &str, token: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO handout_links (token_sha256, kit_code) VALUES (?1, ?2)",
                params![token_hash(token), kit],
            )
            .map_err(|e| self.fail("cannot store the handout link", e))?;
        Ok(())
    }

    /// The kit a live (not revoked) handout link `token` opens.
    pub fn handout_link(&self, token: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT kit_code FROM handout_links WHERE token_sha256 = ?1 AND revoked = 0",
                [token_hash(token)],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.fail("cannot read the handout link", e))
    }

    /// Revokes every handout link of `kit`; returns how many were live.
    pub fn revoke_handout_links(&mut self, kit: &str) -> Result<usize> {
        self.conn
            .execute(
                "UPDATE handout_links SET revoked = 1 WHERE kit_code = ?1 AND revoked = 0",
                [kit],
            )
            .map_err(|e| self.fail("cannot revoke handout links", e))
    }
}

fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::bank::hex(&Sha256::digest(token.as_bytes()))
}

/// Switches the database to WAL journaling (kept in the file, so once is enough) and
/// returns the journal mode it has then.
///
/// The switch takes an exclusive lock without calling the busy handler: when two processes
/// open one new workspace at the same moment, one of them gets "busy" at once. It waits
/// and tries again, as the busy timeout would, for up to [`BUSY_TIMEOUT_MS`].
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(BUSY_TIMEOUT_MS);
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0)) {
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            result => return result,
        }
    }
}

/// A clear message for a database that cannot be opened or read.
fn open_error(location: &Location, err: &rusqlite::Error) -> Error {
    use rusqlite::ErrorCode;
    let code = match err {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    };
    let message = match code {
        Some(ErrorCode::NotADatabase) => {
            "this file is not an interview-kit workspace (not an SQLite database); pass another --workspace FILE, or move the file away".to_owned()
        }
        Some(ErrorCode::DatabaseCorrupt) => {
            "the database is damaged (truncated or overwritten); restore it from a backup, or move it away to start a new workspace".to_owned()
        }
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => format!(
            "cannot open it for writing ({err}); check that the file and its folder are writable, or pass another --workspace FILE"
        ),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            "another interview-kit holds it and did not let go within 30 s; try again when it has finished".to_owned()
        }
        _ => format!("cannot open it: {err}"),
    };
    Error::Workspace {
        path: location.display(),
        message,
    }
}

fn migration_error(location: &Location, err: &rusqlite_migration::Error) -> Error {
    match err {
        rusqlite_migration::Error::RusqliteError { err, .. } => open_error(location, err),
        err => Error::Workspace {
            path: location.display(),
            message: format!("cannot bring its schema up to date: {err}"),
        },
    }
}
