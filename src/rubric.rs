//! Rubrics: a behaviourally anchored four-level scale derived from a question's purpose and key points.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::bank::Question;
use crate::error::Result;
use crate::templates::Templates;

/// Number of rubric levels; the score of a level is its position plus one.
pub const LEVELS: usize = 4;

/// One level of a rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricLevel {
    /// Score given for this level, 1 to 4.
    pub score: u8,
    /// Level name, e.g. "Proficient".
    pub label: String,
    /// What the interviewer observes at this level.
    pub descriptor: String,
}

/// How to score one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    /// The competency under assessment, taken from the question's purpose.
    pub competency: String,
    /// The scale, lowest level first.
    pub levels: Vec<RubricLevel>,
    /// Observable points to listen for (the question's key points).
    pub listen_for: Vec<String>,
    /// Probes to ask after the first answer.
    pub follow_ups: Vec<String>,
    /// Warning signs.
    pub red_flags: Vec<String>,
}

/// Verbs a purpose may open with; the rubric strips them to name the competency.
pub const ASSESSING_VERBS: [&str; 5] = ["Assesses", "Evaluates", "Tests", "Checks", "Probes"];

/// Derives the rubric for `question`: level names from `scale` (lowest first, or the
/// templates' `scale_1`..`scale_4` when `None`), descriptors from the templates'
/// `rubric_1`..`rubric_4` anchored on how many key points the candidate makes; a
/// hand-written `rubric` in the bank replaces the descriptors.
pub fn derive(
    question: &Question,
    scale: Option<&[String]>,
    templates: &Templates,
) -> Result<Rubric> {
    let competency = competency(&question.purpose);
    let points = question.key_points.len();
    let half = (points / 2).max(1);
    // Key points each level stands for: 0, 1..=half, half+1..=points-1, all.
    let anchors = [
        (0, 0),
        (1, half),
        (half + 1, points.saturating_sub(1).max(half + 1)),
        (points, points),
    ];
    let mut levels = Vec::with_capacity(LEVELS);
    for (i, (low, high)) in anchors.into_iter().enumerate() {
        let label = match scale {
            Some(names) => names.get(i).cloned().unwrap_or_default(),
            None => templates.label(&format!("scale_{}", i + 1))?,
        };
        let descriptor = match &question.rubric {
            Some(custom) => custom.levels.get(i).cloned().unwrap_or_default(),
            None => templates.phrase(
                &format!("rubric_{}", i + 1),
                &json!({ "points": points, "low": low, "high": high, "competency": competency }),
            )?,
        };
        levels.push(RubricLevel {
            score: i as u8 + 1,
            label,
            descriptor,
        });
    }
    Ok(Rubric {
        levels,
        competency,
        listen_for: question.key_points.clone(),
        follow_ups: question.follow_ups.clone(),
        red_flags: question.red_flags.clone(),
    })
}

/// The purpose after its assessing verb ("Assesses x" → "x"), or `None` when it does not
/// start with one; lint and the rubric share it so they agree on what the competency is.
pub(crate) fn strip_assessing_verb(purpose: &str) -> Option<&str> {
    let purpose = purpose.trim();
    ASSESSING_VERBS.iter().find_map(|verb| {
        purpose
            .strip_prefix(verb)
            .filter(|rest| rest.starts_with(char::is_whitespace))
            .map(str::trim_start)
    })
}

/// "Assesses understanding of X." becomes "understanding of X".
fn competency(purpose: &str) -> String {
    let text = purpose.trim().trim_end_matches('.');
    let rest = strip_assessing_verb(text).unwrap_or(text);
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        // An acronym such as "GIL" keeps its case.
        (Some(first), second) if !second.is_some_and(char::is_uppercase) => first
            .to_lowercase()
            .chain(rest[first.len_utf8()..].chars())
            .collect(),
        _ => rest.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Level;

    fn question(purpose: &str, points: usize) -> Question {
        Question {
            id: "q".into(),
            topic: "t".into(),
            level: Level::Mid,
            minutes: 5,
            prompt: "p".into(),
            code: None,
            purpose: purpose.into(),
            answer: "a".into(),
            key_points: (1..=points).map(|i| format!("point {i}")).collect(),
            follow_ups: vec!["f".into()],
            red_flags: vec!["r".into()],
            tags: vec![],
            source: vec![],
            rubric: None,
            ..Default::default()
        }
    }

    fn derived(q: &Question) -> Rubric {
        derive(q, None, Templates::builtin()).unwrap()
    }

    #[test]
    fn rubric_is_derived_from_the_purpose() {
        let rubric = derived(&question(
            "Assesses understanding of reference counting.",
            4,
        ));
        assert_eq!(rubric.competency, "understanding of reference counting");
        assert_eq!(rubric.levels.len(), 4);
        assert_eq!(rubric.levels[0].label, "Insufficient");
        assert_eq!(rubric.levels[3].score, 4);
        assert_eq!(rubric.listen_for.len(), 4);
    }

    #[test]
    fn anchors_partition_the_key_points() {
        let d = |n| derived(&question("Assesses x.", n)).levels;
        assert!(d(3)[1].descriptor.starts_with("Makes 1 of the 3"));
        assert!(d(3)[2].descriptor.starts_with("Makes 2 of the 3"));
        assert!(d(6)[1].descriptor.starts_with("Makes 1 to 3 of the 6"));
        assert!(d(6)[2].descriptor.starts_with("Makes 4 to 5 of the 6"));
    }

    #[test]
    fn acronyms_keep_their_case() {
        assert_eq!(competency("Assesses GIL knowledge."), "GIL knowledge");
        assert_eq!(competency("Assesses Whether x"), "whether x");
        assert_eq!(competency("Testsuite design."), "testsuite design");
    }

    #[test]
    fn blueprint_scale_and_bank_override_replace_the_defaults() {
        let mut q = question("Assesses x.", 3);
        q.rubric = Some(crate::bank::RubricOverride {
            levels: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        });
        let names: Vec<String> = ["No", "Maybe", "Yes", "Wow"].map(String::from).to_vec();
        let rubric = derive(&q, Some(&names), Templates::builtin()).unwrap();
        assert_eq!(rubric.levels[2].descriptor, "c");
        assert_eq!(rubric.levels[3].label, "Wow");
    }
}
