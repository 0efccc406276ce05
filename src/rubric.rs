//! Rubrics: a behaviourally anchored four-level scale derived from a question's purpose and key points.

use serde::{Deserialize, Serialize};

use crate::bank::Question;

/// Default names of the rubric levels, lowest first; the score of a level is its position plus one.
pub const SCALE: [&str; 4] = ["Insufficient", "Developing", "Proficient", "Strong"];

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

/// Derives the rubric for `question` on a scale with these level names (lowest first);
/// a hand-written `rubric` in the bank replaces the descriptors.
pub fn derive(question: &Question, scale: &[String]) -> Rubric {
    let competency = competency(&question.purpose);
    let descriptors = match &question.rubric {
        Some(custom) => custom.levels.clone(),
        None => descriptors(question.key_points.len()),
    };
    Rubric {
        levels: scale
            .iter()
            .zip(descriptors)
            .enumerate()
            .map(|(i, (label, descriptor))| RubricLevel {
                score: i as u8 + 1,
                label: label.clone(),
                descriptor,
            })
            .collect(),
        competency,
        listen_for: question.key_points.clone(),
        follow_ups: question.follow_ups.clone(),
        red_flags: question.red_flags.clone(),
    }
}

/// "Assesses understanding of X." becomes "understanding of X".
fn competency(purpose: &str) -> String {
    let text = purpose.trim().trim_end_matches('.');
    let rest = ["Assesses ", "Evaluates ", "Tests ", "Checks ", "Probes "]
        .iter()
        .find_map(|verb| text.strip_prefix(verb))
        .unwrap_or(text);
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

/// Anchors each level on how many of the `points` listen-for points the candidate makes.
fn descriptors(points: usize) -> Vec<String> {
    let half = (points / 2).max(1);
    let range = |low: usize, high: usize| {
        if low >= high {
            format!("{low}")
        } else {
            format!("{low} to {high}")
        }
    };
    vec![
        format!(
            "Makes none of the {points} listen-for points, or shows a red flag; no reliable evidence of the competency."
        ),
        format!(
            "Makes {} of the {points} listen-for points, mostly after prompting, with gaps or inaccuracies.",
            range(1, half)
        ),
        format!(
            "Makes {} of the {points} listen-for points unprompted and accurately; clear evidence of the competency.",
            range(half + 1, points.saturating_sub(1).max(half + 1))
        ),
        format!(
            "Makes all {points} listen-for points unprompted and accurately, gives a concrete example, and handles the follow-ups."
        ),
    ]
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
        }
    }

    fn scale() -> Vec<String> {
        SCALE.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn rubric_is_derived_from_the_purpose() {
        let rubric = derive(
            &question("Assesses understanding of reference counting.", 4),
            &scale(),
        );
        assert_eq!(rubric.competency, "understanding of reference counting");
        assert_eq!(rubric.levels.len(), 4);
        assert_eq!(rubric.levels[3].score, 4);
        assert_eq!(rubric.listen_for.len(), 4);
    }

    #[test]
    fn anchors_partition_the_key_points() {
        let d = descriptors(3);
        assert!(d[1].starts_with("Makes 1 of the 3"));
        assert!(d[2].starts_with("Makes 2 of the 3"));
        let d = descriptors(6);
        assert!(d[1].starts_with("Makes 1 to 3 of the 6"));
        assert!(d[2].starts_with("Makes 4 to 5 of the 6"));
    }

    #[test]
    fn acronyms_keep_their_case() {
        assert_eq!(competency("Assesses GIL knowledge."), "GIL knowledge");
        assert_eq!(competency("Assesses Whether x"), "whether x");
    }

    #[test]
    fn bank_override_replaces_descriptors() {
        let mut q = question("Assesses x.", 3);
        q.rubric = Some(crate::bank::RubricOverride {
            levels: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        });
        let rubric = derive(&q, &scale());
        assert_eq!(rubric.levels[2].descriptor, "c");
    }
}
