//! Hiring rounds: one equivalent kit per candidate, history-aware, and the replay of any kit from its code.

use std::collections::{BTreeMap, BTreeSet};

use crate::bank::Bank;
use crate::error::{Error, Result};
use crate::history::{Entry, Ledger};
use crate::kit::{Kit, KitCode, Source};
use crate::roster::Candidate;
use crate::select::{self, ALGORITHM_VERSION, Blueprint, Plan, Reason, RoundSummary};
use crate::templates::Templates;

/// One candidate's kit and why each question is in it.
#[derive(Debug, Clone)]
pub struct RoundKit {
    /// Who the kit is for.
    pub candidate: Candidate,
    /// The kit.
    pub kit: Kit,
    /// One reason per question, in kit order.
    pub reasons: Vec<Reason>,
}

/// The kits of a round and how equal they came out.
#[derive(Debug, Clone)]
pub struct Round {
    /// One kit per candidate, in roster order.
    pub kits: Vec<RoundKit>,
    /// Overlap, exposure spread and minutes of the round.
    pub summary: RoundSummary,
}

/// Builds a kit for every candidate: one profile for all, least-used questions first,
/// nobody gets a question the `ledger` says they saw.
///
/// Kits are numbered (their *form*) after the ledger's entries, so a kit's number says
/// which ledger lines came before it: that is what makes a history-aware kit replayable.
pub fn build(
    bank: &Bank,
    blueprint: &Blueprint,
    seed: u64,
    candidates: &[Candidate],
    ledger: &Ledger,
    templates: &Templates,
) -> Result<Round> {
    let plan = Plan::new(bank, blueprint, seed)?;
    let prior = ledger.exposure();
    let first_form = u32::try_from(ledger.entries.len())
        .map_err(|_| Error::Usage("the history ledger is too long; start a new one".into()))?;
    let picks = select::round(&plan, first_form, candidates.len(), &prior, |i| {
        let candidate = &candidates[i];
        (
            ledger.seen(&candidate.key()),
            format!("candidate `{}`", candidate.name),
        )
    })?;
    let summary = select::summarize(&plan, &picks, &prior);
    let kits = candidates
        .iter()
        .zip(&picks)
        .enumerate()
        .map(|(i, (candidate, picks))| {
            Ok(RoundKit {
                candidate: candidate.clone(),
                kit: Kit::from_picks(
                    &Source {
                        bank,
                        blueprint,
                        seed,
                        form: first_form + i as u32,
                    },
                    &candidate.name,
                    picks,
                    templates,
                )?,
                reasons: picks.iter().map(|p| p.reason.clone()).collect(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Round { kits, summary })
}

/// The ledger lines for a round's kits.
pub fn ledger_entries(round: &Round) -> Vec<Entry> {
    round
        .kits
        .iter()
        .map(|k| Entry::new(&k.kit, &k.candidate))
        .collect()
}

/// Checks that `code` was made with this bank: replay calls it before resolving a blueprint,
/// so a wrong `--bank` is reported as such rather than as unknown blueprint topics.
pub fn check_bank(bank: &Bank, code: &str) -> Result<KitCode> {
    let parsed = KitCode::parse(code)?;
    if parsed.version != ALGORITHM_VERSION {
        return Err(Error::Replay(format!(
            "kit `{code}` was made by selection algorithm v{}, and this interview-kit has v{ALGORITHM_VERSION}; \
             use an interview-kit version with that algorithm",
            parsed.version
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
    let plan = Plan::new(bank, blueprint, parsed.seed)?;
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
                    form + 1,
                    crate::limits::thousands(crate::limits::MAX_ROSTER)
                )));
            }
            let kits = select::round(&plan, 0, form + 1, &BTreeMap::new(), |_| {
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
            let picks = plan.draw(
                parsed.form,
                &before.exposure(),
                &before.seen(&entry.candidate_key),
                &name,
            )?;
            (picks, name)
        }
    };
    let source = Source {
        bank,
        blueprint,
        seed: parsed.seed,
        form: parsed.form,
    };
    Kit::from_picks(&source, &name, &picks, templates)
}
