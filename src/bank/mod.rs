//! The question bank: topics and questions as plain data, loaded from TOML and validated.

mod builtin;
pub mod csv;
pub mod lint;
mod load;
mod validate;
mod write;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

pub use load::{Source, load_dir, load_path, load_path_or_builtin, load_sources};
pub use write::to_toml_files;

use crate::error::Result;

/// How demanding a question is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fundamentals and everyday use.
    Junior,
    /// Mechanisms and trade-offs in real code.
    Mid,
    /// Design, edge cases, internals and production judgement.
    Senior,
}

impl Level {
    /// All levels, easiest first.
    pub const ALL: [Level; 3] = [Level::Junior, Level::Mid, Level::Senior];

    /// The lowercase name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Mid => "mid",
            Level::Senior => "senior",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;

    /// Reads `junior`, `mid` or `senior`, ignoring case and surrounding spaces
    /// (spreadsheets capitalise freely).
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let s = s.trim();
        Level::ALL
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown level `{}`; use junior, mid or senior",
                    crate::limits::shown(s)
                )
            })
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A subject area; one bank file declares one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Stable slug, e.g. `gil-concurrency`.
    pub id: String,
    /// Human title, e.g. "GIL & concurrency".
    pub title: String,
    /// One or two sentences on what the topic covers.
    pub description: String,
}

/// Rubric descriptors written by hand for one question, replacing the derived ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricOverride {
    /// One observable descriptor per rubric level, lowest first (exactly four).
    pub levels: Vec<String>,
}

/// One interview question with everything the interviewer needs to judge the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable slug, unique across the bank.
    pub id: String,
    /// Id of the topic this question belongs to.
    pub topic: String,
    /// How demanding the question is.
    pub level: Level,
    /// Time to ask and discuss, in minutes.
    pub minutes: u32,
    /// What the candidate is asked.
    pub prompt: String,
    /// Code shown to the candidate with the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The competency the question assesses, in one sentence.
    pub purpose: String,
    /// A model answer.
    pub answer: String,
    /// Observable points a strong answer makes (3 to 6).
    pub key_points: Vec<String>,
    /// Probing questions to ask next.
    #[serde(default)]
    pub follow_ups: Vec<String>,
    /// Warning signs in an answer.
    #[serde(default)]
    pub red_flags: Vec<String>,
    /// Free-form labels for filtering.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where the question came from (seed file and question number), if anywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source: Vec<String>,
    /// Hand-written rubric replacing the derived one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric: Option<RubricOverride>,
}

/// A validated bank: topics sorted by id, questions sorted by id, every id unique.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bank {
    /// Declared topics, sorted by id.
    pub topics: Vec<Topic>,
    /// All questions, sorted by id.
    pub questions: Vec<Question>,
}

impl Bank {
    /// The bank compiled into the binary (the files of `bank/`).
    pub fn builtin() -> Result<Bank> {
        load_sources(&builtin::sources())
    }

    /// The topic with this id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics
            .binary_search_by(|t| t.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.topics[i])
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions
            .binary_search_by(|q| q.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.questions[i])
    }

    /// SHA-256 over the bank's canonical JSON form, as lowercase hex.
    ///
    /// Any change to any field of any question changes the fingerprint, which is what
    /// lets a kit code refuse to replay against an edited bank.
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_vec(self).expect("a bank always serialises");
        hex(&Sha256::digest(json))
    }
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
