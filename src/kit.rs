//! The kit: the one value every renderer consumes, its printable code, and how it is built.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::bank::{Bank, Question};
use crate::error::{Error, Result};
use crate::rubric::{self, Rubric};
use crate::select::{ALGORITHM_VERSION, Blueprint, Earlier, Pick, Plan};
use crate::templates::Templates;

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

/// Where a kit's questions were drawn from, with the fingerprints computed once.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// The bank.
    pub bank: &'a Bank,
    /// The resolved blueprint.
    pub blueprint: &'a Blueprint,
    /// The round's seed.
    pub seed: u64,
    /// The kit's number in its round (or its ledger position).
    pub form: u32,
    /// The selection algorithm that drew it.
    pub version: u32,
    fingerprints: Arc<Fingerprints>,
}

/// The bank's and blueprint's fingerprints: hashing a whole bank per kit would cost more
/// than rendering it, so a run computes them once and its kits share them.
#[derive(Debug, PartialEq, Eq)]
pub struct Fingerprints {
    /// [`Bank::fingerprint`].
    pub bank: String,
    /// [`Blueprint::fingerprint`].
    pub blueprint: String,
}

impl Fingerprints {
    /// The fingerprints of `bank` and `blueprint`.
    pub fn of(bank: &Bank, blueprint: &Blueprint) -> Fingerprints {
        Fingerprints {
            bank: bank.fingerprint(),
            blueprint: blueprint.fingerprint(),
        }
    }
}

impl<'a> Source<'a> {
    /// The source of kit `form` of a round drawn from `bank` and `blueprint` with `seed`.
    pub fn new(bank: &'a Bank, blueprint: &'a Blueprint, seed: u64, form: u32) -> Source<'a> {
        Source::with_fingerprints(
            bank,
            blueprint,
            seed,
            form,
            Arc::new(Fingerprints::of(bank, blueprint)),
        )
    }

    /// [`Source::new`] with the `fingerprints` of `bank` and `blueprint` computed before.
    pub fn with_fingerprints(
        bank: &'a Bank,
        blueprint: &'a Blueprint,
        seed: u64,
        form: u32,
        fingerprints: Arc<Fingerprints>,
    ) -> Source<'a> {
        debug_assert_eq!(*fingerprints, Fingerprints::of(bank, blueprint));
        Source {
            bank,
            blueprint,
            seed,
            form,
            version: ALGORITHM_VERSION,
            fingerprints,
        }
    }

    /// The same source, drawn by selection algorithm `version` (a replayed older code).
    pub fn with_version(self, version: u32) -> Source<'a> {
        Source { version, ..self }
    }

    /// The same source for kit `form`.
    pub fn with_form(&self, form: u32) -> Source<'a> {
        Source {
            form,
            ..self.clone()
        }
    }

    /// The printable code of kit `form` of this source.
    pub fn kit_code(&self, form: u32) -> String {
        KitCode {
            prefix: self.blueprint.code_prefix.clone(),
            version: self.version,
            seed: self.seed,
            form,
            bank: fingerprint_bits(&self.fingerprints.bank, BANK_BITS),
            blueprint: fingerprint_bits(&self.fingerprints.blueprint, BLUEPRINT_BITS),
        }
        .to_string()
    }
}

/// A candidate's name as it will be printed: checked against the limits and cleaned.
pub fn checked_name(name: &str) -> Result<String> {
    if name.trim().is_empty() {
        return Err(Error::Usage(
            "the candidate name is empty; pass --candidate \"First Last\"".into(),
        ));
    }
    crate::limits::clean_name(name).map_err(|why| {
        Error::Usage(format!(
            "candidate `{}`: {why}; names are printed on every page (see Limits in the README)",
            crate::limits::shown(name)
        ))
    })
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
    /// Builds a single kit (no history, no round) for `candidate`, worded by the built-in templates.
    pub fn build(
        bank: &Bank,
        blueprint: &Blueprint,
        seed: u64,
        form: u32,
        candidate: &str,
    ) -> Result<Kit> {
        let plan = Plan::new(bank, blueprint, seed)?;
        let picks = plan.draw(form, &Earlier::default(), &BTreeSet::new(), candidate)?;
        let source = Source::new(bank, blueprint, seed, form);
        Kit::from_picks(&source, candidate, &picks, Templates::builtin())
    }

    /// Assembles a kit from questions already chosen, deriving their rubrics with `templates`.
    pub fn from_picks(
        source: &Source<'_>,
        candidate: &str,
        picks: &[Pick<'_>],
        templates: &Templates,
    ) -> Result<Kit> {
        let Source {
            bank,
            blueprint,
            seed,
            form,
            version,
            fingerprints,
        } = source.clone();
        let candidate = checked_name(candidate)?;
        let candidate = candidate.as_str();
        let kit_code = source.kit_code(form);
        let bank_fingerprint = fingerprints.bank.clone();
        let blueprint_fingerprint = fingerprints.blueprint.clone();
        Ok(Kit {
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            algorithm_version: version,
            seed,
            form,
            kit_code,
            bank_fingerprint,
            blueprint_fingerprint,
            blueprint: blueprint.clone(),
            topic_titles: picks
                .iter()
                .filter_map(|p| bank.topic(&p.question.topic))
                .map(|t| (t.id.clone(), t.title.clone()))
                .collect(),
            candidate: candidate.to_owned(),
            questions: picks
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    Ok(KitQuestion {
                        number: i + 1,
                        rubric: rubric::derive(p.question, blueprint.scale.as_deref(), templates)?,
                        question: p.question.clone(),
                    })
                })
                .collect::<Result<_>>()?,
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

impl KitCode {
    /// Reads a kit code, checking its layout and check character.
    ///
    /// Lowercase and the look-alikes `I`, `L` (read as 1) and `O` (read as 0) are accepted,
    /// as Crockford's base 32 intends for codes typed by people.
    ///
    /// At most [`MAX_KIT_CODE_CHARS`](crate::limits::MAX_KIT_CODE_CHARS) characters, ASCII only.
    pub fn parse(text: &str) -> Result<KitCode> {
        let bad = |why: &str| {
            Error::Usage(format!(
                "`{}` is not a kit code ({why}); a kit code looks like `PY1-1A-0-7F3AG4K`",
                crate::limits::shown(text)
            ))
        };
        if text.chars().count() > crate::limits::MAX_KIT_CODE_CHARS {
            return Err(bad(&format!(
                "it is longer than {} characters",
                crate::limits::MAX_KIT_CODE_CHARS
            )));
        }
        // Past this check every character is one byte, so slicing by length is safe.
        if !text.trim().is_ascii() {
            return Err(bad("it may only hold letters, digits and dashes"));
        }
        let normal: String = text
            .trim()
            .chars()
            .map(|c| match c.to_ascii_uppercase() {
                'I' | 'L' => '1',
                'O' => '0',
                c => c,
            })
            .collect();
        let parts: Vec<&str> = normal.split('-').collect();
        let [head, seed, form, tail] = parts[..] else {
            return Err(bad("it needs four parts separated by dashes"));
        };
        let split = head
            .find(|c: char| c.is_ascii_digit())
            .ok_or_else(|| bad("the first part needs letters then a version number"))?;
        let (prefix, version) = head.split_at(split);
        let version: u32 = version
            .parse()
            .map_err(|_| bad("the version is not a number"))?;
        if tail.len() != 7 {
            return Err(bad("the last part must have 7 characters"));
        }
        let body = &normal[..normal.len() - 1];
        if check_char(body) != *normal.as_bytes().last().unwrap_or(&0) {
            return Err(bad(
                "the check character does not match: a character is mistyped",
            ));
        }
        let fingerprints =
            from_base32(&tail[..6]).ok_or_else(|| bad("bad fingerprint characters"))?;
        Ok(KitCode {
            prefix: prefix.to_owned(),
            version,
            seed: from_base32(seed).ok_or_else(|| bad("bad seed characters"))?,
            form: from_base32(form)
                .and_then(|f| u32::try_from(f).ok())
                .ok_or_else(|| bad("bad form characters"))?,
            bank: (fingerprints >> BLUEPRINT_BITS) as u32,
            blueprint: (fingerprints & ((1 << BLUEPRINT_BITS) - 1)) as u32,
        })
    }

    /// Whether `bank_fingerprint` (hex) is the bank this code was made with (first 20 bits).
    pub fn matches_bank(&self, bank_fingerprint: &str) -> bool {
        fingerprint_bits(bank_fingerprint, BANK_BITS) == self.bank
    }

    /// Whether `blueprint_fingerprint` (hex) is the blueprint this code was made with (first 10 bits).
    pub fn matches_blueprint(&self, blueprint_fingerprint: &str) -> bool {
        fingerprint_bits(blueprint_fingerprint, BLUEPRINT_BITS) == self.blueprint
    }
}

fn from_base32(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.len() > 13 {
        return None;
    }
    digits.bytes().try_fold(0u64, |acc, b| {
        let digit = ALPHABET.iter().position(|&a| a == b)? as u64;
        acc.checked_mul(32)?.checked_add(digit)
    })
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
    fn codes_parse_back_and_typos_are_caught() {
        let text = code().to_string();
        assert_eq!(KitCode::parse(&text).unwrap(), code());
        assert_eq!(KitCode::parse(&text.to_lowercase()).unwrap(), code());
        let mut typo = text.clone().into_bytes();
        typo[4] = if typo[4] == b'2' { b'3' } else { b'2' };
        let err = KitCode::parse(&String::from_utf8(typo).unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("check character does not match"), "{err}");
        assert!(KitCode::parse("PY1-1A").is_err());
        assert!(KitCode::parse("").is_err());
        let max = KitCode {
            seed: u64::MAX,
            form: u32::MAX,
            ..code()
        };
        assert_eq!(KitCode::parse(&max.to_string()).unwrap(), max);
    }

    #[test]
    fn non_ascii_and_overlong_codes_are_refused_not_sliced() {
        // Regression: a 7-byte last part ending in a 2-byte letter used to be sliced
        // inside that letter, which panicked.
        for text in [
            "PY1-1A-0-ABCDE\u{e9}",
            "\u{e9}Y1-1A-0-ABCDEFG",
            "PY1-1A-0-ABCDEF\u{e9}",
        ] {
            let err = KitCode::parse(text).unwrap_err().to_string();
            assert!(
                err.contains("only hold letters, digits and dashes"),
                "{err}"
            );
        }
        let err = KitCode::parse(&"1".repeat(65)).unwrap_err().to_string();
        assert!(err.contains("longer than 64 characters"), "{err}");
    }

    #[test]
    fn base32_digits() {
        assert_eq!(base32(0, 1), "0");
        assert_eq!(base32(42, 1), "1A");
        assert_eq!(base32(31, 2), "0Z");
    }
}
