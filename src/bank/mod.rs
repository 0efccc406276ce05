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
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fundamentals and everyday use.
    #[default]
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

/// A practical exercise: a module the candidate completes until its tests pass.
///
/// The handout shows the starting code and the tests; only the interviewer packet shows
/// the reference solution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// File name of the module, e.g. `ratelimit.py`; the tests import from it.
    pub module: String,
    /// The starting code handed to the candidate.
    pub starter: String,
    /// A small pytest-style test file (`test_*` functions with plain `assert`s).
    pub tests: String,
    /// A reference solution that passes the tests.
    pub solution: String,
}

impl Exercise {
    /// File name of the tests: `test_` and the module's file name.
    pub fn tests_file(&self) -> String {
        format!("test_{}", self.module)
    }
}

/// One interview question with everything the interviewer needs to judge the answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable slug, unique across the bank.
    pub id: String,
    /// Short title shown in agendas and lists (at most 60 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Id of the topic this question belongs to.
    pub topic: String,
    /// Questions covering the same ground share a family; no kit holds two of one family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// How demanding the question is.
    pub level: Level,
    /// Time to ask and discuss, in minutes.
    pub minutes: u32,
    /// What the candidate is asked.
    pub prompt: String,
    /// Code shown to the candidate with the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Evidence shown to the candidate after the code, in monospace but not Python: a
    /// traceback, profiler output, a failing test run, a log excerpt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<String>,
    /// Why the question is asked: what it assesses, in one sentence.
    pub purpose: String,
    /// The competency as a short noun phrase (at most 60 characters), e.g. the name of an
    /// ATS scorecard attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competency: Option<String>,
    /// A model answer: a one-line summary, then short points each on a line starting `- `.
    pub answer: String,
    /// Core evidence: the observable points a solid answer makes.
    pub key_points: Vec<String>,
    /// Depth evidence: what an excellent answer adds beyond the core points.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depth_points: Vec<String>,
    /// Probing questions to ask next.
    #[serde(default)]
    pub follow_ups: Vec<String>,
    /// Warning signs in an answer.
    #[serde(default)]
    pub red_flags: Vec<String>,
    /// A one-line example of a weak answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weak_answer: Option<String>,
    /// A one-line example of a strong answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strong_answer: Option<String>,
    /// The practical exercise, for questions that are one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise: Option<Exercise>,
    /// Free-form labels for filtering; `internals` marks an internals-heavy question.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where the question came from (seed file and question number), if anywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source: Vec<String>,
    /// Hand-written rubric replacing the derived one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric: Option<RubricOverride>,
}

impl Question {
    /// The title, or the id for a bank that has none.
    pub fn display_title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.id)
    }

    /// The model answer's one-line summary and its points (lines starting `- `).
    ///
    /// An answer written as one paragraph is all summary and has no points.
    pub fn answer_parts(&self) -> (String, Vec<String>) {
        answer_parts(&self.answer)
    }

    /// Every list field with its TOML name (`rubric.levels` for the rubric's levels), in
    /// file order: what the validators and the CSV writer check item by item.
    pub fn lists(&self) -> [(&'static str, &[String]); 7] {
        [
            ("key_points", &self.key_points),
            ("depth_points", &self.depth_points),
            ("follow_ups", &self.follow_ups),
            ("red_flags", &self.red_flags),
            ("tags", &self.tags),
            ("source", &self.source),
            (
                "rubric.levels",
                self.rubric.as_ref().map_or(&[], |r| &r.levels),
            ),
        ]
    }
}

/// Splits an answer into its summary (the text before the first `- ` line) and its points;
/// a point's continuation lines are joined to it.
pub fn answer_parts(answer: &str) -> (String, Vec<String>) {
    let mut summary: Vec<&str> = Vec::new();
    let mut points: Vec<String> = Vec::new();
    for line in answer.lines() {
        let trimmed = line.trim();
        if let Some(point) = trimmed.strip_prefix("- ") {
            points.push(point.trim().to_owned());
        } else if trimmed.is_empty() {
            continue;
        } else if let Some(last) = points.last_mut() {
            last.push(' ');
            last.push_str(trimmed);
        } else {
            summary.push(trimmed);
        }
    }
    (summary.join(" "), points)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_splits_into_summary_and_points() {
        let answer = "It prints `[1]`: the list is shared.\n\n- Lookup reads the instance,\n  then the class.\n- Assignment shadows.\n";
        let (summary, points) = answer_parts(answer);
        assert_eq!(summary, "It prints `[1]`: the list is shared.");
        assert_eq!(
            points,
            [
                "Lookup reads the instance, then the class.",
                "Assignment shadows."
            ]
        );
        let (summary, points) = answer_parts("One paragraph,\nover two lines.");
        assert_eq!(summary, "One paragraph, over two lines.");
        assert!(points.is_empty());
    }
}
