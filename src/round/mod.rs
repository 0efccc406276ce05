//! Hiring rounds: one equivalent kit per candidate, history-aware, and the replay of any kit from its code.
//!
//! [`build`] draws a round's kits; [`run`] is the batch engine around it (the workspace
//! record, staging, continuing an interrupted round, parallel rendering); [`sheet`] writes
//! `round.csv`.

pub mod run;
pub mod sheet;

use std::collections::{BTreeMap, BTreeSet};

use crate::bank::Bank;
use crate::error::{Error, Result};
use crate::history::{Entry, Ledger};
use crate::kit::{Kit, KitCode, Source};
use crate::roster::Candidate;
use crate::select::{self, Blueprint, Earlier, Pick, Plan, RoundSummary, SUPPORTED_VERSIONS};
use crate::templates::Templates;

/// One candidate's kit as drawn: who, which code, which questions and why.
///
/// The full [`Kit`] (question texts, rubrics) is built on demand by [`Round::kit`], so a
/// round of ten thousand candidates holds ten thousand short lists, not ten thousand kits.
#[derive(Debug, Clone)]
pub struct RoundKit<'a> {
    /// Who the kit is for (name already checked and cleaned).
    pub candidate: Candidate,
    /// The kit's code.
    pub kit_code: String,
    /// The kit's number in its round (or its ledger position).
    pub form: u32,
    /// The chosen questions in interview order, each with why it was chosen.
    pub picks: Vec<Pick<'a>>,
}

/// The kits of a round and how equal they came out.
#[derive(Debug, Clone)]
pub struct Round<'a> {
    /// One entry per candidate, in roster order.
    pub kits: Vec<RoundKit<'a>>,
    /// The plan the kits were drawn from, and the kits before them: what
    /// [`Round::summary`] measures against.
    plan: Plan<'a>,
    prior: Earlier,
    source: Source<'a>,
    templates: &'a Templates,
}

impl Round<'_> {
    /// Overlap, exposure spread and minutes of the round (its [`select::Forecast`]).
    ///
    /// Measured on demand, not when the round is drawn: the forecast simulates a round of
    /// [`select::SERVES_LIMIT`] kits, several times the work of drawing one kit, and a front
    /// end that shows no summary (one kit, the web app's run) never pays for it.
    pub fn summary(&self) -> RoundSummary {
        let kits: Vec<Vec<Pick<'_>>> = self.kits.iter().map(|k| k.picks.clone()).collect();
        select::summarize(&self.plan, &kits, &self.prior)
    }

    /// Builds the full kit of entry `i` (texts, rubrics, fingerprints).
    pub fn kit(&self, i: usize) -> Result<Kit> {
        let entry = &self.kits[i];
        let source = self.source.with_form(entry.form);
        Kit::from_picks(&source, &entry.candidate.name, &entry.picks, self.templates)
    }

    /// The ledger lines for the round's kits.
    pub fn ledger_entries(&self) -> Vec<Entry> {
        self.kits
            .iter()
            .map(|k| Entry {
                kit_code: k.kit_code.clone(),
                seed: self.source.seed,
                form: k.form,
                candidate: k.candidate.name.clone(),
                candidate_key: k.candidate.key(),
                questions: k.picks.iter().map(|p| p.question.id.clone()).collect(),
            })
            .collect()
    }
}

/// What came before a round: how often each question was used, and what each candidate
/// of the round (by roster position) has already seen.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Uses of each question in written kits.
    pub exposure: BTreeMap<String, u32>,
    /// Questions each candidate saw, by roster position (missing: nothing seen).
    pub seen: Vec<BTreeSet<String>>,
}

impl History {
    /// The history a JSON Lines ledger gives `candidates`.
    pub fn from_ledger(ledger: &Ledger, candidates: &[Candidate]) -> History {
        let by_key = ledger.seen_by_key();
        History {
            exposure: ledger.exposure(),
            seen: candidates
                .iter()
                .map(|c| by_key.get(&c.key()).cloned().unwrap_or_default())
                .collect(),
        }
    }

    /// Adds `other`'s uses and seen questions to this history.
    pub fn merge(&mut self, other: History) {
        for (id, uses) in other.exposure {
            *self.exposure.entry(id).or_insert(0) += uses;
        }
        if self.seen.len() < other.seen.len() {
            self.seen.resize(other.seen.len(), BTreeSet::new());
        }
        for (mine, theirs) in self.seen.iter_mut().zip(other.seen) {
            mine.extend(theirs);
        }
    }
}

/// Draws a kit for every candidate: one profile for all, least-used questions first,
/// nobody gets a question `history` says they saw. Every name is checked here, before
/// anything is rendered or written. Kits are drawn from `source` (bank, blueprint, seed)
/// and numbered (their *form*) from `source.form`.
pub fn build<'a>(
    source: Source<'a>,
    candidates: &[Candidate],
    history: &History,
    templates: &'a Templates,
) -> Result<Round<'a>> {
    let Source {
        bank,
        blueprint,
        seed,
        form: first_form,
        ..
    } = source;
    let candidates = candidates
        .iter()
        .map(|c| {
            Ok(Candidate {
                name: crate::kit::checked_name(&c.name)?,
                ..c.clone()
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // The algorithm the source names: the one its kit codes will carry.
    let plan = Plan::with_version(bank, blueprint, seed, source.version)?;
    let prior = Earlier::from_exposure(history.exposure.clone());
    let picks = select::round(&plan, first_form, candidates.len(), &prior, |i| {
        let candidate = &candidates[i];
        (
            history.seen.get(i).cloned().unwrap_or_default(),
            format!("candidate `{}`", candidate.name),
        )
    })?;
    let kits = candidates
        .into_iter()
        .zip(picks)
        .enumerate()
        .map(|(i, (candidate, picks))| {
            let form = first_form + i as u32;
            RoundKit {
                kit_code: source.kit_code(form),
                candidate,
                form,
                picks,
            }
        })
        .collect();
    Ok(Round {
        kits,
        plan,
        prior,
        source,
        templates,
    })
}

/// A round whose kits were drawn before: each kit's questions given by id (from the
/// workspace), in interview order. `forms[i]` and `codes[i]` are kit `i`'s.
pub fn from_ids<'a>(
    bank: &'a Bank,
    blueprint: &'a Blueprint,
    seed: u64,
    kits: Vec<(Candidate, u32, String, Vec<String>)>,
    templates: &'a Templates,
) -> Result<Round<'a>> {
    // The kits were drawn by the algorithm their codes name (all of one round share it).
    let version = match kits.first() {
        Some(kit) => KitCode::parse(&kit.2)?.version,
        None => select::ALGORITHM_VERSION,
    };
    let plan = Plan::with_version(bank, blueprint, seed, version)?;
    let first_form = kits.first().map_or(0, |k| k.1);
    let mut entries = Vec::with_capacity(kits.len());
    for (candidate, form, kit_code, ids) in kits {
        let picks = ids
            .iter()
            .map(|id| {
                let question = bank.question(id).ok_or_else(|| {
                    Error::Replay(format!(
                        "kit `{kit_code}` has question `{id}`, which this bank does not have; pass the bank it was made with (--bank PATH)"
                    ))
                })?;
                Ok(Pick::given(question))
            })
            .collect::<Result<Vec<_>>>()?;
        entries.push(RoundKit {
            candidate,
            kit_code,
            form,
            picks,
        });
    }
    Ok(Round {
        kits: entries,
        plan,
        prior: Earlier::default(),
        source: Source::new(bank, blueprint, seed, first_form).with_version(version),
        templates,
    })
}

/// Checks that `code` was made with this bank: replay calls it before resolving a blueprint,
/// so a wrong `--bank` is reported as such rather than as unknown blueprint topics.
pub fn check_bank(bank: &Bank, code: &str) -> Result<KitCode> {
    let parsed = KitCode::parse(code)?;
    if !SUPPORTED_VERSIONS.contains(&parsed.version) {
        return Err(Error::Replay(format!(
            "kit `{code}` was made by selection algorithm v{}, and this interview-kit has v1 to v{}; \
             use an interview-kit version with that algorithm",
            parsed.version,
            select::ALGORITHM_VERSION
        )));
    }
    if !parsed.matches_bank(&bank.fingerprint()) {
        return Err(Error::Replay(format!(
            "cannot replay kit `{code}`: the bank changed since it was made; pass the bank it was made with (--bank PATH)"
        )));
    }
    Ok(parsed)
}

/// Rebuilds the kit a code names, refusing when the bank, blueprint or algorithm differ.
///
/// Without a ledger the earlier kits of the round are recomputed from the seed (exact when
/// the round was made without `--history`). With one, the kit's number is its position in
/// the ledger: the lines before it are the state it was drawn from, and its own line
/// supplies the candidate.
pub fn replay(
    bank: &Bank,
    blueprint: &Blueprint,
    code: &str,
    candidate: Option<&str>,
    ledger: Option<&Ledger>,
    templates: &Templates,
) -> Result<Kit> {
    let parsed = check_bank(bank, code)?;
    if !parsed.matches_blueprint(&blueprint.fingerprint()) || parsed.prefix != blueprint.code_prefix
    {
        return Err(Error::Replay(format!(
            "cannot replay kit `{code}`: the blueprint changed since it was made; pass the blueprint it was made with (--blueprint FILE)"
        )));
    }
    let plan = Plan::with_version(bank, blueprint, parsed.seed, parsed.version)?;
    let form = parsed.form as usize;
    let (picks, name) = match ledger {
        None => {
            let name = candidate.ok_or_else(|| {
                Error::Usage(format!("replaying `{code}` needs the candidate's name: pass --candidate NAME (or --history FILE)"))
            })?;
            // Every kit before this one is recomputed: a code claiming form 4 billion must
            // not start 4 billion draws. No round without a ledger is larger than a roster.
            if form >= crate::limits::MAX_ROSTER {
                return Err(Error::Replay(format!(
                    "kit `{code}` is kit {} of its round, but a round has at most {} kits; check the code, or replay it with the ledger it was made with (--history FILE)",
                    crate::limits::thousands(form + 1),
                    crate::limits::thousands(crate::limits::MAX_ROSTER)
                )));
            }
            let kits = select::round(&plan, 0, form + 1, &Earlier::default(), |_| {
                (BTreeSet::new(), name.to_owned())
            })?;
            (
                kits.into_iter().next_back().unwrap_or_default(),
                name.to_owned(),
            )
        }
        Some(ledger) => {
            let entry = ledger
                .entries
                .get(form)
                .filter(|e| KitCode::parse(&e.kit_code).is_ok_and(|c| c == parsed));
            let Some(entry) = entry else {
                return Err(Error::Replay(format!(
                    "kit `{code}` is not line {} of the ledger; replay it with the ledger it was made with",
                    form + 1
                )));
            };
            let before = Ledger {
                entries: ledger.entries[..form].to_vec(),
            };
            let name = candidate.unwrap_or(&entry.candidate).to_owned();
            // The round's own earlier kits (the ledger lines of this seed just before it)
            // count as kits, older lines as uses only, as when the round was drawn.
            let round_start = before
                .entries
                .iter()
                .rposition(|e| e.seed != parsed.seed)
                .map_or(0, |i| i + 1);
            let mut earlier = Earlier::from_exposure(
                Ledger {
                    entries: before.entries[..round_start].to_vec(),
                }
                .exposure(),
            );
            for entry in &before.entries[round_start..] {
                earlier.push(entry.questions.clone());
            }
            let picks = plan.draw(
                parsed.form,
                &earlier,
                &before.seen(&entry.candidate_key),
                &name,
            )?;
            (picks, name)
        }
    };
    let source =
        Source::new(bank, blueprint, parsed.seed, parsed.form).with_version(plan.version());
    Kit::from_picks(&source, &name, &picks, templates)
}
