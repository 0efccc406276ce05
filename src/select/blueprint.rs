//! Blueprints: what an interview must contain (topics, counts, level mix), parsed from TOML.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::bank::{Bank, Level};
use crate::error::{Error, Problem, Result, line_of};

/// The built-in blueprint, `examples/blueprints/python-developer.toml`.
const DEFAULT: &str = include_str!("../../examples/blueprints/python-developer.toml");

/// What a kit must contain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blueprint {
    /// Short name, e.g. `python-developer`.
    pub name: String,
    /// Role interviewed for, shown on documents.
    pub role: String,
    /// Two to four capital letters that start every kit code, e.g. `PY`.
    pub code_prefix: String,
    /// Questions per topic id, in topic id order.
    pub topics: BTreeMap<String, u32>,
    /// Questions per level over the whole kit; empty means any mix.
    pub levels: BTreeMap<Level, u32>,
    /// Instructions printed on the candidate handout.
    pub instructions: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlueprint {
    name: String,
    role: String,
    #[serde(default = "default_prefix")]
    code_prefix: Spanned<String>,
    #[serde(default)]
    questions: Option<Spanned<u32>>,
    topics: Spanned<BTreeMap<String, Spanned<u32>>>,
    #[serde(default)]
    levels: Option<Spanned<BTreeMap<Level, Spanned<u32>>>>,
    #[serde(default)]
    instructions: String,
}

fn default_prefix() -> Spanned<String> {
    Spanned::new(0..0, "PY".to_owned())
}

impl Blueprint {
    /// The built-in `python-developer` blueprint, checked against `bank`.
    pub fn builtin(bank: &Bank) -> Result<Blueprint> {
        Self::parse("examples/blueprints/python-developer.toml", DEFAULT, bank)
    }

    /// Reads a blueprint file and checks it against `bank`.
    pub fn load(path: &Path, bank: &Bank) -> Result<Blueprint> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::io("read blueprint", path, e))?;
        Self::parse(&path.display().to_string(), &text, bank)
    }

    /// Parses blueprint TOML and checks that its topics exist in `bank`; `file` names it in messages.
    pub fn parse(file: &str, text: &str, bank: &Bank) -> Result<Blueprint> {
        let raw: RawBlueprint = toml::from_str(text).map_err(|err| {
            Error::invalid(
                file,
                err.span().map(|span| line_of(text, span.start)),
                err.message().lines().next().unwrap_or_default().trim(),
            )
        })?;
        let at = |span: std::ops::Range<usize>| Some(line_of(text, span.start));
        let mut problems = Vec::new();

        let prefix = raw.code_prefix.get_ref();
        if !(2..=4).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_uppercase()) {
            problems.push(Problem::at(
                file,
                at(raw.code_prefix.span()),
                format!("`code_prefix` `{prefix}` must be 2 to 4 capital letters, like `PY`"),
            ));
        }
        if raw.topics.get_ref().is_empty() {
            problems.push(Problem::at(
                file,
                at(raw.topics.span()),
                "`topics` is empty; list at least one topic with its question count",
            ));
        }
        for (topic, count) in raw.topics.get_ref() {
            if bank.topic(topic).is_none() {
                problems.push(Problem::at(
                    file,
                    at(count.span()),
                    format!("unknown topic `{topic}`; the bank has {}", topic_list(bank)),
                ));
            }
            if *count.get_ref() == 0 {
                problems.push(Problem::at(
                    file,
                    at(count.span()),
                    format!(
                        "topic `{topic}` asks for 0 questions; remove it or ask for at least 1"
                    ),
                ));
            }
        }
        let total: u32 = raw.topics.get_ref().values().map(|c| *c.get_ref()).sum();
        if let Some(questions) = &raw.questions
            && *questions.get_ref() != total
        {
            problems.push(Problem::at(
                file,
                at(questions.span()),
                format!(
                    "`questions` is {} but the topic counts add up to {total}; make them agree",
                    questions.get_ref()
                ),
            ));
        }
        if let Some(levels) = &raw.levels {
            let level_total: u32 = levels.get_ref().values().map(|c| *c.get_ref()).sum();
            if level_total != total {
                problems.push(Problem::at(
                    file,
                    at(levels.span()),
                    format!(
                        "the `levels` counts add up to {level_total} but the topic counts add up to {total}; make them agree"
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { problems });
        }
        Ok(Blueprint {
            name: raw.name,
            role: raw.role,
            code_prefix: raw.code_prefix.into_inner(),
            topics: raw
                .topics
                .into_inner()
                .into_iter()
                .map(|(topic, count)| (topic, count.into_inner()))
                .collect(),
            levels: raw
                .levels
                .map(|levels| {
                    levels
                        .into_inner()
                        .into_iter()
                        .filter(|(_, count)| *count.get_ref() > 0)
                        .map(|(level, count)| (level, count.into_inner()))
                        .collect()
                })
                .unwrap_or_default(),
            instructions: raw.instructions,
        })
    }

    /// Total number of questions in a kit.
    pub fn total(&self) -> usize {
        self.topics.values().map(|&c| c as usize).sum()
    }

    /// SHA-256 over the blueprint's canonical JSON form, as lowercase hex.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let json = serde_json::to_vec(self).expect("a blueprint always serialises");
        crate::bank::hex(&Sha256::digest(json))
    }
}

fn topic_list(bank: &Bank) -> String {
    bank.topics
        .iter()
        .map(|t| format!("`{}`", t.id))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Bank {
        Bank::builtin().unwrap()
    }

    #[test]
    fn builtin_blueprint_is_ten_questions_two_per_headline_topic() {
        let bp = Blueprint::builtin(&bank()).unwrap();
        assert_eq!(bp.total(), 10);
        assert_eq!(bp.topics.len(), 5);
        assert!(bp.topics.values().all(|&c| c == 2));
        assert_eq!(bp.levels.values().sum::<u32>(), 10);
    }

    #[test]
    fn mismatched_totals_are_reported_with_line() {
        let text = "name = \"x\"\nrole = \"r\"\nquestions = 3\n[topics]\noop = 2\n";
        let err = Blueprint::parse("bp.toml", text, &bank())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "`bp.toml` line 3: `questions` is 3 but the topic counts add up to 2; make them agree"
        );
    }

    #[test]
    fn unknown_level_is_a_parse_error_with_line() {
        let text = "name = \"x\"\nrole = \"r\"\n[topics]\noop = 2\n[levels]\nexpert = 2\n";
        let err = Blueprint::parse("bp.toml", text, &bank())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("`bp.toml` line 6:"), "{err}");
    }

    #[test]
    fn unknown_topic_names_line_and_known_topics() {
        let text = "name = \"x\"\nrole = \"r\"\n[topics]\nrust = 2\n";
        let err = Blueprint::parse("bp.toml", text, &bank())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("`bp.toml` line 4: unknown topic `rust`; the bank has `"),
            "{err}"
        );
    }
}
