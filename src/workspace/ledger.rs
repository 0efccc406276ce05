//! Moving history between the workspace and JSON Lines ledgers (`history import` / `export`).

use std::collections::BTreeSet;

use super::{NewKit, NewRound, Workspace};
use crate::error::Result;
use crate::history::{Entry, Ledger};
use crate::roster::Candidate;

/// The candidate a ledger line describes: its identity key (`id:`, `email:` or `name:`)
/// becomes the external id or the email; the name is the one printed on the kit.
fn candidate(entry: &Entry) -> Candidate {
    let (kind, value) = entry
        .candidate_key
        .split_once(':')
        .unwrap_or(("name", entry.candidate_key.as_str()));
    Candidate {
        name: entry.candidate.clone(),
        email: (kind == "email").then(|| value.to_owned()),
        id: (kind == "id").then(|| value.to_owned()),
    }
}

/// Adds a ledger's kits to the workspace as written kits (they were handed out), skipping
/// kits already there, so importing a ledger twice adds nothing the second time. Returns
/// how many kits were added.
///
/// Lines are grouped into import rounds of consecutive lines of one seed; a candidate met
/// twice in a group starts a new group, since a round gives a candidate one kit.
pub fn import(workspace: &mut Workspace, ledger: &Ledger, file: &str) -> Result<usize> {
    let known: BTreeSet<String> = workspace.kits(None)?.into_iter().map(|k| k.code).collect();
    let fresh: Vec<&Entry> = ledger
        .entries
        .iter()
        .filter(|e| !known.contains(&e.kit_code))
        .collect();
    let mut groups: Vec<Vec<&Entry>> = Vec::new();
    for entry in &fresh {
        let starts_new = match groups.last() {
            None => true,
            Some(group) => {
                group[0].seed != entry.seed
                    || group.iter().any(|e| e.candidate_key == entry.candidate_key)
            }
        };
        if starts_new {
            groups.push(Vec::new());
        }
        if let Some(group) = groups.last_mut() {
            group.push(entry);
        }
    }
    for group in &groups {
        let candidates: Vec<Candidate> = group.iter().map(|e| candidate(e)).collect();
        let round = NewRound {
            origin: "import",
            seed: group[0].seed,
            blueprint: format!("imported from {file}"),
            blueprint_json: "null".into(),
            blueprint_fingerprint: String::new(),
            bank_fingerprint: String::new(),
            algorithm_version: crate::kit::KitCode::parse(&group[0].kit_code)
                .map_or(0, |c| c.version),
            roster_fingerprint: super::roster_fingerprint(&candidates),
            options: "null".into(),
            out_dir: String::new(),
            first_form: group[0].form,
            kits: group
                .iter()
                .zip(candidates)
                .map(|(entry, candidate)| NewKit {
                    code: entry.kit_code.clone(),
                    form: entry.form,
                    candidate,
                    folder: String::new(),
                    kit_json: None,
                    questions: entry.questions.clone(),
                    written: true,
                })
                .collect(),
            same_person: Vec::new(),
        };
        workspace.insert_round(&round)?;
    }
    Ok(fresh.len())
}

/// Every written kit of the workspace as ledger lines, in the order they were recorded.
pub fn export(workspace: &Workspace) -> Result<Ledger> {
    let rounds = workspace.rounds()?;
    let mut entries = Vec::new();
    for kit in workspace.kits(None)? {
        if kit.state != "written" {
            continue;
        }
        let seed = rounds
            .iter()
            .find(|r| r.id == kit.round)
            .map_or(0, |r| r.seed);
        let key = match (workspace.external_id(&kit.code)?, kit.emails.first()) {
            (Some(id), _) => format!("id:{id}"),
            (None, Some(email)) => format!("email:{email}"),
            (None, None) => format!("name:{}", kit.candidate.to_lowercase()),
        };
        entries.push(Entry {
            kit_code: kit.code,
            seed,
            form: kit.form,
            candidate: kit.candidate,
            candidate_key: key,
            questions: kit.questions,
        });
    }
    Ok(Ledger { entries })
}
