//! The kit: the one value every renderer consumes, its printable code, and how it is built.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::bank::{Bank, Question};
use crate::error::{Error, Result};
use crate::rubric::{self, Rubric};
use crate::select::{self, ALGORITHM_VERSION, Blueprint};

/// Everything needed to render a candidate's documents, and to prove where they came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kit {
    /// Version of interview-kit that built the kit.
    pub tool_version: String,
    /// Version of the selection algorithm.
    pub algorithm_version: u32,
    /// The seed the questions were drawn with.
    pub seed: u64,
    /// Which kit of the seed this is (0 for a single kit).
    pub form: u32,
    /// Printable code identifying seed, form, bank and blueprint.
    pub kit_code: String,
    /// [`Bank::fingerprint`] of the bank drawn from.
    pub bank_fingerprint: String,
    /// [`Blueprint::fingerprint`] of the blueprint.
    pub blueprint_fingerprint: String,
    /// The blueprint the kit fulfils.
    pub blueprint: Blueprint,
    /// Titles of the kit's topics, by topic id.
    pub topic_titles: BTreeMap<String, String>,
    /// Candidate's name as given.
    pub candidate: String,
    /// The questions in interview order.
    pub questions: Vec<KitQuestion>,
}

/// One question of a kit with its number and rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitQuestion {
    /// 1-based position in the kit.
    pub number: usize,
    /// The bank question.
    pub question: Question,
    /// Its rubric.
    pub rubric: Rubric,
}

impl Kit {
    /// Selects questions for `candidate` and derives their rubrics.
    pub fn build(
        bank: &Bank,
        blueprint: &Blueprint,
        seed: u64,
        form: u32,
        candidate: &str,
    ) -> Result<Kit> {
        let candidate = candidate.trim();
        if candidate.is_empty() {
            return Err(Error::Usage(
                "the candidate name is empty; pass --candidate \"First Last\"".into(),
            ));
        }
        let questions = select::select(bank, blueprint, seed, form)?;
        let bank_fingerprint = bank.fingerprint();
        let blueprint_fingerprint = blueprint.fingerprint();
        let kit_code = KitCode {
            prefix: blueprint.code_prefix.clone(),
            version: ALGORITHM_VERSION,
            seed,
            form,
            bank: fingerprint_bits(&bank_fingerprint, BANK_BITS),
            blueprint: fingerprint_bits(&blueprint_fingerprint, BLUEPRINT_BITS),
        }
        .to_string();
        Ok(Kit {
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            algorithm_version: ALGORITHM_VERSION,
            seed,
            form,
            kit_code,
            bank_fingerprint,
            blueprint_fingerprint,
            blueprint: blueprint.clone(),
            topic_titles: questions
                .iter()
                .filter_map(|q| bank.topic(&q.topic))
                .map(|t| (t.id.clone(), t.title.clone()))
                .collect(),
            candidate: candidate.to_owned(),
            questions: questions
                .into_iter()
                .enumerate()
                .map(|(i, q)| KitQuestion {
                    number: i + 1,
                    rubric: rubric::derive(q),
                    question: q.clone(),
                })
                .collect(),
        })
    }
}

/// Crockford's base 32 alphabet: no I, L, O or U, so codes survive being read aloud and retyped.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const BANK_BITS: u32 = 20;
const BLUEPRINT_BITS: u32 = 10;

/// A kit code such as `PY1-1A-0-7F3AG4K`.
///
/// Layout: prefix and algorithm version, seed in base 32, form in base 32, then four
/// characters of bank fingerprint, two of blueprint fingerprint and a Luhn mod 32 check
/// character over everything before it, so any single mistyped character is caught.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitCode {
    /// Letters from the blueprint, e.g. `PY`.
    pub prefix: String,
    /// Selection algorithm version.
    pub version: u32,
    /// The seed.
    pub seed: u64,
    /// The form (kit number within a seed).
    pub form: u32,
    /// Top 20 bits of the bank fingerprint.
    pub bank: u32,
    /// Top 10 bits of the blueprint fingerprint.
    pub blueprint: u32,
}

impl std::fmt::Display for KitCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fingerprints = (u64::from(self.bank) << BLUEPRINT_BITS) | u64::from(self.blueprint);
        let body = format!(
            "{}{}-{}-{}-{}",
            self.prefix,
            self.version,
            base32(self.seed, 1),
            base32(u64::from(self.form), 1),
            base32(fingerprints, 6)
        );
        write!(f, "{body}{}", check_char(&body) as char)
    }
}

fn base32(mut value: u64, min_digits: usize) -> String {
    let mut digits = Vec::new();
    while value > 0 || digits.len() < min_digits {
        digits.push(ALPHABET[(value % 32) as usize]);
        value /= 32;
    }
    digits.reverse();
    String::from_utf8(digits).expect("the alphabet is ASCII")
}

/// Luhn mod N over the alphanumeric characters of `body` (dashes are skipped).
fn check_char(body: &str) -> u8 {
    let mut sum = 0u32;
    for (i, value) in body.bytes().rev().filter_map(symbol_value).enumerate() {
        let mut v = value;
        if i % 2 == 0 {
            v *= 2;
            v = v / 32 + v % 32;
        }
        sum += v;
    }
    ALPHABET[((32 - sum % 32) % 32) as usize]
}

/// Value of a character in the check computation: base-32 digits by position, prefix letters too.
fn symbol_value(b: u8) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| a == b.to_ascii_uppercase())
        .map(|p| p as u32)
}

/// The first `bits` bits of a hex fingerprint.
fn fingerprint_bits(hex: &str, bits: u32) -> u32 {
    let top = u32::from_str_radix(hex.get(..8).unwrap_or("0"), 16).unwrap_or(0);
    top >> (32 - bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> KitCode {
        KitCode {
            prefix: "PY".into(),
            version: 1,
            seed: 42,
            form: 0,
            bank: 0xABCDE,
            blueprint: 0x3FF,
        }
    }

    #[test]
    fn code_layout() {
        let text = code().to_string();
        assert!(text.starts_with("PY1-1A-0-"), "{text}");
        assert_eq!(text.len(), "PY1-1A-0-".len() + 7);
    }

    #[test]
    fn every_single_character_typo_changes_the_check() {
        let text = code().to_string();
        let (body, check) = text.split_at(text.len() - 1);
        for (i, original) in body.bytes().enumerate() {
            if original == b'-' {
                continue;
            }
            for &typo in ALPHABET.iter().filter(|&&a| a != original) {
                let mut bytes = body.as_bytes().to_vec();
                bytes[i] = typo;
                let mutated = String::from_utf8(bytes).unwrap();
                assert_ne!(
                    check_char(&mutated) as char,
                    check.chars().next().unwrap(),
                    "{mutated}"
                );
            }
        }
    }

    #[test]
    fn base32_digits() {
        assert_eq!(base32(0, 1), "0");
        assert_eq!(base32(42, 1), "1A");
        assert_eq!(base32(31, 2), "0Z");
    }
}
