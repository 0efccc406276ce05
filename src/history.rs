//! The history ledger: who got which questions in which kit, as JSON Lines, append-only.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::limits::{self, Input, MAX_LEDGER_ENTRIES};

/// One kit handed to one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The kit's code.
    pub kit_code: String,
    /// Seed of the round.
    pub seed: u64,
    /// Kit number within the round.
    pub form: u32,
    /// Candidate's name.
    pub candidate: String,
    /// Candidate identity (`id:…`, `email:…` or `name:…`), see [`Candidate::key`].
    pub candidate_key: String,
    /// Question ids of the kit, in order.
    pub questions: Vec<String>,
}

/// Every entry of a ledger file, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    /// The entries.
    pub entries: Vec<Entry>,
}

impl Ledger {
    /// Parses a ledger file's bytes: UTF-8 (a byte order mark is dropped), at most
    /// [`MAX_LEDGER_BYTES`](crate::limits::MAX_LEDGER_BYTES), then as [`Ledger::parse`].
    pub fn parse_bytes(file: &str, bytes: &[u8]) -> Result<Ledger> {
        limits::check_size(file, bytes.len() as u64, Input::Ledger)?;
        Ledger::parse(file, limits::decode(file, bytes)?)
    }

    /// Parses ledger text; blank lines are skipped, and every corrupt line is reported by number.
    /// A ledger has at most [`MAX_LEDGER_ENTRIES`] entries.
    pub fn parse(file: &str, text: &str) -> Result<Ledger> {
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            if entries.len() + problems.len() == MAX_LEDGER_ENTRIES {
                return Err(Error::invalid(
                    file,
                    Some(i + 1),
                    format!(
                        "the ledger has more than {} entries, the limit (see Limits in the README); archive it and start a new ledger with --history NEW_FILE",
                        limits::thousands(MAX_LEDGER_ENTRIES)
                    ),
                ));
            }
            match serde_json::from_str::<Entry>(line) {
                Ok(entry) => entries.push(entry),
                Err(e) => problems.push(Problem::at(
                    file,
                    Some(i + 1),
                    format!(
                        "not a ledger entry ({e}); restore the line from a backup or delete it"
                    ),
                )),
            }
        }
        if problems.is_empty() {
            Ok(Ledger { entries })
        } else {
            Err(Error::Invalid { problems })
        }
    }

    /// How often each question has been used across all entries.
    pub fn exposure(&self) -> BTreeMap<String, u32> {
        let mut uses = BTreeMap::new();
        for id in self.entries.iter().flat_map(|e| &e.questions) {
            *uses.entry(id.clone()).or_insert(0) += 1;
        }
        uses
    }

    /// Whether the ledger ends with one entry per candidate `keys`, in order, all of round `seed`:
    /// the trace of a round whose documents may not all have been written.
    pub fn ends_with_round(&self, seed: u64, keys: &[String]) -> bool {
        keys.len() <= self.entries.len()
            && self.entries[self.entries.len() - keys.len()..]
                .iter()
                .zip(keys)
                .all(|(e, key)| e.seed == seed && &e.candidate_key == key)
    }

    /// The ledger without its last `n` entries.
    pub fn without_last(&self, n: usize) -> Ledger {
        Ledger {
            entries: self.entries[..self.entries.len().saturating_sub(n)].to_vec(),
        }
    }

    /// Questions the candidate with `key` has already been given.
    pub fn seen(&self, key: &str) -> BTreeSet<String> {
        self.entries
            .iter()
            .filter(|e| e.candidate_key == key)
            .flat_map(|e| e.questions.iter().cloned())
            .collect()
    }

    /// Questions every candidate has been given, by identity key: one pass over the
    /// ledger instead of one per candidate.
    pub fn seen_by_key(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for entry in &self.entries {
            seen.entry(entry.candidate_key.clone())
                .or_default()
                .extend(entry.questions.iter().cloned());
        }
        seen
    }
}

/// `entries` as JSON Lines, each line ending in a newline.
pub fn lines(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in entries {
        out.extend(serde_json::to_vec(entry).expect("a ledger entry always serialises"));
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, questions: &[&str]) -> Entry {
        Entry {
            kit_code: "PY1-1-0-0000000".into(),
            seed: 1,
            form: 0,
            candidate: "A".into(),
            candidate_key: key.into(),
            questions: questions.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn round_trips_and_counts() {
        let text =
            String::from_utf8(lines(&[entry("id:1", &["a", "b"]), entry("id:2", &["b"])])).unwrap();
        let ledger = Ledger::parse("h.jsonl", &text).unwrap();
        assert_eq!(ledger.exposure()["b"], 2);
        assert_eq!(ledger.seen("id:1").len(), 2);
        assert!(ledger.seen("id:3").is_empty());
    }

    #[test]
    fn bytes_are_decoded_with_a_bom_and_a_bad_byte_is_placed() {
        let good = lines(&[entry("id:1", &["a"])]);
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend(&good);
        assert_eq!(
            Ledger::parse_bytes("h.jsonl", &with_bom)
                .unwrap()
                .entries
                .len(),
            1
        );
        let mut bad = good.clone();
        bad.extend(b"{\"kit_code\": \"\xFF\"}\n");
        let err = Ledger::parse_bytes("h.jsonl", &bad)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("`h.jsonl` line 2: the file is not valid UTF-8 text (byte 0xFF)"),
            "{err}"
        );
    }

    #[test]
    fn corrupt_lines_are_reported_by_number() {
        let good = String::from_utf8(lines(&[entry("id:1", &["a"])])).unwrap();
        let text = format!("{good}\n{{\"kit_code\": 3}}\n{good}garbage\n");
        let err = Ledger::parse("h.jsonl", &text).unwrap_err().to_string();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].starts_with("`h.jsonl` line 3: not a ledger entry"),
            "{err}"
        );
        assert!(
            lines[1].starts_with("`h.jsonl` line 5: not a ledger entry"),
            "{err}"
        );
    }
}
