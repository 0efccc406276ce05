//! Scoring: filled-in scorecards to per-candidate totals, topic scores, interviewer agreement and a ranked round.
//!
//! Pure computation: [`Sheet`] reads a file's bytes and checks it against its kit,
//! [`collect`] groups the ratings of every file by kit and interviewer, and
//! [`summarize`] does the arithmetic. `cmd/score.rs` finds the files and the kits and
//! writes what [`summary_csv`] and [`summary_md`] return.

mod agreement;
mod sheet;
mod summary;

use std::collections::BTreeMap;

pub use agreement::{mean_absolute_difference, weighted_kappa};
pub use sheet::Sheet;
pub use summary::{
    CandidateSummary, Pair, QuestionScore, Summary, TopicScore, summarize, summary_csv, summary_md,
};

use crate::error::{Error, Problem, Result};
use crate::kit::Kit;

/// One row of a filled-in scorecard, checked against its kit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    /// The kit's code, as the kit writes it.
    pub kit_code: String,
    /// Who scored: the `interviewer` cell, or the file when there is no such column.
    pub interviewer: String,
    /// The question scored.
    pub question_id: String,
    /// The rubric level given, 1 to 4; `None` when the cell was left empty.
    pub score: Option<u8>,
    /// Whether this is the overall recommendation (1 to 4), recorded apart from the
    /// question scores, rather than a question's score.
    pub overall: bool,
    /// The file the row is in.
    pub file: String,
    /// The row, as a spreadsheet numbers it.
    pub row: usize,
    /// `row R, column `score` (L)`, for messages about the score cell.
    pub score_place: String,
    /// `row R, column `question_id` (L)`, for messages about the row's question.
    pub question_place: String,
}

/// What `summarize` needs of a kit: its questions, topics and the blueprint's topic counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitInfo {
    /// The kit's code.
    pub kit_code: String,
    /// The candidate.
    pub candidate: String,
    /// The questions in kit order: (number, id, topic id).
    pub questions: Vec<(usize, String, String)>,
    /// Weight of each topic: the blueprint's question count for it.
    pub topic_weights: BTreeMap<String, u32>,
    /// Titles of the topics, by id.
    pub topic_titles: BTreeMap<String, String>,
}

impl KitInfo {
    /// The scoring view of `kit`. A topic the blueprint does not count (it cannot happen
    /// with a resolved blueprint, but a hand-edited kit.json might) weighs its number of
    /// questions in the kit.
    pub fn from_kit(kit: &Kit) -> KitInfo {
        let questions: Vec<(usize, String, String)> = kit
            .questions
            .iter()
            .map(|q| (q.number, q.question.id.clone(), q.question.topic.clone()))
            .collect();
        let mut topic_weights = BTreeMap::new();
        for (_, _, topic) in &questions {
            let weight =
                kit.blueprint.topics.get(topic).copied().unwrap_or_else(|| {
                    questions.iter().filter(|(_, _, t)| t == topic).count() as u32
                });
            topic_weights.insert(topic.clone(), weight);
        }
        KitInfo {
            kit_code: kit.kit_code.clone(),
            candidate: kit.candidate.clone(),
            questions,
            topic_weights,
            topic_titles: kit.topic_titles.clone(),
        }
    }
}

/// One kit's ratings: per interviewer, per question id, the score (`None`: left empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The kit.
    pub kit: KitInfo,
    /// Scores by interviewer, then by question id.
    pub scores: BTreeMap<String, BTreeMap<String, Option<u8>>>,
    /// Each interviewer's overall recommendation (1 to 4), apart from the scores.
    pub recommendations: BTreeMap<String, u8>,
}

/// Groups `ratings` by kit and interviewer. A question one interviewer scored twice —
/// in one file or across files — is an error naming both rows; nothing is summarised then.
///
/// Returns the kits in kit-code order and the notes to report: every empty score cell and
/// every question an interviewer has no row for. Those count as not asked, never as zero.
pub fn collect(
    kits: &BTreeMap<String, KitInfo>,
    ratings: Vec<Rating>,
) -> Result<(Vec<Scored>, Vec<String>)> {
    let mut first: BTreeMap<(String, String, String), (String, usize)> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut grouped: BTreeMap<String, BTreeMap<String, BTreeMap<String, Option<u8>>>> =
        BTreeMap::new();
    let mut recommendations: BTreeMap<String, BTreeMap<String, u8>> = BTreeMap::new();
    for rating in ratings {
        let key = (
            rating.kit_code.clone(),
            rating.interviewer.clone(),
            rating.question_id.clone(),
        );
        if let Some((file, row)) = first.get(&key) {
            let earlier = if *file == rating.file {
                format!("first on row {row}")
            } else {
                format!("first in `{file}` row {row}")
            };
            problems.push(Problem::at(
                &rating.file,
                None,
                format!(
                    "{}: question `{}` is scored twice by `{}` ({earlier}); delete one of the rows",
                    rating.question_place, rating.question_id, rating.interviewer
                ),
            ));
            continue;
        }
        first.insert(key, (rating.file.clone(), rating.row));
        if rating.overall {
            if let Some(score) = rating.score {
                recommendations
                    .entry(rating.kit_code)
                    .or_default()
                    .insert(rating.interviewer, score);
            }
            continue;
        }
        if rating.score.is_none() {
            notes.push(format!(
                "`{}`: {}: no score for question `{}`; it counts as not asked",
                rating.file, rating.score_place, rating.question_id
            ));
        }
        grouped
            .entry(rating.kit_code)
            .or_default()
            .entry(rating.interviewer)
            .or_default()
            .insert(rating.question_id, rating.score);
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { problems });
    }
    let mut scored = Vec::new();
    for (code, scores) in grouped {
        let Some(kit) = kits.get(&code) else {
            continue;
        };
        for (interviewer, by_question) in &scores {
            for (number, id, _) in &kit.questions {
                if !by_question.contains_key(id) {
                    notes.push(format!(
                        "kit `{code}`: `{interviewer}` has no row for question {number} `{id}`; it counts as not asked"
                    ));
                }
            }
        }
        scored.push(Scored {
            kit: kit.clone(),
            recommendations: recommendations.remove(&code).unwrap_or_default(),
            scores,
        });
    }
    Ok((scored, notes))
}
