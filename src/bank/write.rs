//! Writing a bank back out as TOML: one file per topic, in the format the loader reads.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Bank, Exercise, Level, RubricOverride, Topic};
use crate::error::{Error, Result};

/// First line of every written file, so a reader knows where it came from.
const HEADER: &str = "# Written by `interview-kit bank import`; edit freely.\n\n";

#[derive(Serialize)]
struct File<'a> {
    topic: &'a Topic,
    questions: Vec<QuestionOut<'a>>,
}

/// A question as written in its topic's file: the topic is implied by the file.
#[derive(Serialize)]
struct QuestionOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<&'a str>,
    level: Level,
    minutes: u32,
    prompt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    artifact: Option<&'a str>,
    purpose: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    competency: Option<&'a str>,
    answer: &'a str,
    key_points: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    depth_points: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    follow_ups: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    red_flags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    weak_answer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    strong_answer: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    source: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    rubric: Option<&'a RubricOverride>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exercise: Option<&'a Exercise>,
}

/// The bank as TOML files, `<topic id>.toml` → text, each topic's questions in id order.
///
/// The `toml` crate does the quoting, so any text (quotes, backslashes, `"""`, control
/// characters) survives; [`super::load_sources`] reads the files back to an equal bank.
pub fn to_toml_files(bank: &Bank) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for topic in &bank.topics {
        let name = format!("{}.toml", topic.id);
        let file = File {
            topic,
            questions: bank
                .questions
                .iter()
                .filter(|q| q.topic == topic.id)
                .map(|q| QuestionOut {
                    id: &q.id,
                    title: q.title.as_deref(),
                    family: q.family.as_deref(),
                    level: q.level,
                    minutes: q.minutes,
                    prompt: &q.prompt,
                    code: q.code.as_deref(),
                    artifact: q.artifact.as_deref(),
                    purpose: &q.purpose,
                    competency: q.competency.as_deref(),
                    answer: &q.answer,
                    key_points: &q.key_points,
                    depth_points: &q.depth_points,
                    follow_ups: &q.follow_ups,
                    red_flags: &q.red_flags,
                    weak_answer: q.weak_answer.as_deref(),
                    strong_answer: q.strong_answer.as_deref(),
                    tags: &q.tags,
                    source: &q.source,
                    rubric: q.rubric.as_ref(),
                    exercise: q.exercise.as_ref(),
                })
                .collect(),
        };
        let text = toml::to_string_pretty(&file).map_err(|e| Error::Render {
            document: name.clone(),
            message: e.to_string(),
        })?;
        files.insert(name, format!("{HEADER}{text}"));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Source, load_sources};

    fn reload(files: &BTreeMap<String, String>) -> Bank {
        let sources: Vec<Source> = files
            .iter()
            .map(|(name, text)| Source {
                name: name.clone(),
                text: text.clone(),
            })
            .collect();
        load_sources(&sources).unwrap()
    }

    #[test]
    fn the_builtin_bank_round_trips_through_toml() {
        let bank = Bank::builtin().unwrap();
        let files = to_toml_files(&bank).unwrap();
        assert_eq!(files.len(), bank.topics.len());
        assert_eq!(reload(&files), bank);
    }

    #[test]
    fn awkward_text_is_escaped() {
        let mut bank = Bank::builtin().unwrap();
        let q = &mut bank.questions[0];
        q.prompt = "Quotes \" and ''' and \"\"\" and \\ and a tab\t and\r\n CRLF\n".into();
        q.code = Some("print(\"\"\"x\"\"\")\n".into());
        q.rubric = Some(RubricOverride {
            levels: vec!["a".into(), "b".into(), "c\nd".into(), "é".into()],
        });
        let files = to_toml_files(&bank).unwrap();
        assert_eq!(reload(&files), bank);
    }
}
