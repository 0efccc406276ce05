//! Rubrics: a behaviourally anchored four-level scale drawn from each question's competency, evidence and red flags.
//!
//! Level 4 names the depth evidence and handling a follow-up, level 3 the core evidence,
//! level 2 which core evidence is partial or prompted, level 1 the red flags. Every
//! descriptor names that question's own evidence and is at most [`MAX_WORDS`] words; the
//! sentence frames are phrases of `wording.toml`, so they can be reworded.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::bank::Question;
use crate::error::Result;
use crate::templates::Templates;

/// Number of rubric levels; the score of a level is its position plus one.
pub const LEVELS: usize = 4;

/// Most words a derived descriptor has.
pub const MAX_WORDS: usize = 40;

/// Most characters of a competency (the name an ATS scorecard attribute carries).
pub const MAX_COMPETENCY_CHARS: usize = 60;

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
    /// The competency under assessment: the bank's `competency`, else a short noun phrase
    /// drawn from the purpose.
    pub competency: String,
    /// The scale, lowest level first.
    pub levels: Vec<RubricLevel>,
    /// Core evidence a solid (level 3) answer shows.
    pub listen_for: Vec<String>,
    /// Depth evidence an excellent (level 4) answer adds.
    #[serde(default)]
    pub depth: Vec<String>,
    /// Probes to ask after the first answer.
    pub follow_ups: Vec<String>,
    /// Warning signs.
    pub red_flags: Vec<String>,
}

/// Verbs a purpose may open with; the rubric strips them to name the competency.
pub const ASSESSING_VERBS: [&str; 5] = ["Assesses", "Evaluates", "Tests", "Checks", "Probes"];

/// The core and depth evidence of `question`.
///
/// A bank v2 entry says which is which (`key_points` and `depth_points`). For an entry that
/// has no depth points yet and three or more key points, the last key point stands for the
/// depth evidence: older entries listed the extras last.
pub fn evidence(question: &Question) -> (Vec<String>, Vec<String>) {
    let core = &question.key_points;
    if !question.depth_points.is_empty() || core.len() < 3 {
        return (core.clone(), question.depth_points.clone());
    }
    let (core, depth) = core.split_at(core.len() - 1);
    (core.to_vec(), depth.to_vec())
}

/// Derives the rubric for `question`: level names from `scale` (lowest first, or the
/// templates' `scale_1`..`scale_4` when `None`), descriptors from the templates'
/// `rubric_1`..`rubric_4` filled with the question's own evidence, red flags and
/// follow-ups. A non-empty level of a hand-written `rubric` in the bank replaces the
/// derived descriptor of that level.
pub fn derive(
    question: &Question,
    scale: Option<&[String]>,
    templates: &Templates,
) -> Result<Rubric> {
    let competency = question
        .competency
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map_or_else(|| competency(&question.purpose), str::to_owned);
    let (core, depth) = evidence(question);
    let mut levels = Vec::with_capacity(LEVELS);
    for i in 0..LEVELS {
        let label = match scale {
            Some(names) => names.get(i).cloned().unwrap_or_default(),
            None => templates.label(&format!("scale_{}", i + 1))?,
        };
        let custom = question
            .rubric
            .as_ref()
            .and_then(|r| r.levels.get(i))
            .map(|d| d.trim())
            .filter(|d| !d.is_empty());
        let descriptor = match custom {
            Some(custom) => custom.to_owned(),
            None => descriptor(i + 1, question, &core, &depth, &competency, templates)?,
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
        listen_for: core,
        depth,
        follow_ups: question.follow_ups.clone(),
        red_flags: question.red_flags.clone(),
    })
}

/// The derived descriptor of level `level`: the phrase `rubric_<level>` with as much of the
/// question's evidence as fits in [`MAX_WORDS`] words — whole items first, then items cut
/// to fewer words, never fewer than one item of at least four words.
fn descriptor(
    level: usize,
    question: &Question,
    core: &[String],
    depth: &[String],
    competency: &str,
    templates: &Templates,
) -> Result<String> {
    let key = format!("rubric_{level}");
    let points = core.len() + depth.len();
    let mut last = String::new();
    for cap in [usize::MAX, 14, 10, 7, 5, 4] {
        for items in (1..=3).rev() {
            let list = |list: &[String], skip: usize| -> String {
                list.iter()
                    .skip(skip)
                    .take(items)
                    .map(|p| mid_sentence(&cut_words(p, cap)))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let follow_up = question
                .follow_ups
                .first()
                .map(|f| cut_words(f.trim(), cap.min(12)))
                .unwrap_or_default();
            let data = json!({
                "competency": competency,
                "core": list(core, 0),
                "first_core": list(&core[..core.len().min(1)], 0),
                "other_core": list(core, 1),
                "depth": list(depth, 0),
                "red_flags": question
                    .red_flags
                    .iter()
                    .take(items.min(2))
                    .enumerate()
                    .map(|(i, p)| {
                        let flag = cut_words(p.trim(), cap);
                        if i == 0 { flag } else { mid_sentence(&flag) }
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                "follow_up": follow_up,
                // The counting rule's variables, for wording files written before v2.
                "points": points,
                "low": 0,
                "high": points,
            });
            last = templates.phrase(&key, &data)?;
            if words(&last) <= MAX_WORDS {
                return Ok(last);
            }
        }
    }
    Ok(last)
}

/// Number of words of `text`.
pub fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// `text` cut to at most `cap` words, with "…" when cut; a trailing period is dropped so
/// the item can sit inside a sentence.
fn cut_words(text: &str, cap: usize) -> String {
    let text = text.trim().trim_end_matches('.');
    let all: Vec<&str> = text.split_whitespace().collect();
    if all.len() <= cap {
        return all.join(" ");
    }
    let mut cut = all[..cap].join(" ");
    // An inline code span cut in half would set the rest of the descriptor in monospace.
    if cut.matches('`').count() % 2 == 1 {
        cut.push('`');
    }
    let cut = cut.trim_end_matches([',', ';', ':']).to_owned();
    cut + "…"
}

/// An item as it reads inside a sentence: "Predicts x" becomes "predicts x"; acronyms,
/// code and names keep their case.
fn mid_sentence(item: &str) -> String {
    let mut chars = item.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => first
            .to_lowercase()
            .chain(item[first.len_utf8()..].chars())
            .collect(),
        _ => item.to_owned(),
    }
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

/// Openings of a purpose that say nothing about the competency itself.
const FILLER: [&str; 8] = [
    "whether the candidate can ",
    "whether the candidate ",
    "that the candidate can ",
    "the candidate's ",
    "a candidate's ",
    "how well the candidate ",
    "the ability to ",
    "ability to ",
];

/// Words a shortened competency does not end on.
const SMALL_WORDS: [&str; 14] = [
    "a", "an", "the", "of", "on", "in", "to", "for", "with", "and", "or", "how", "that", "its",
];

/// Where a long purpose can be cut to a noun phrase.
const CLAUSE_BREAKS: [&str; 8] = [
    ", ",
    " rather than ",
    " and whether ",
    " and how ",
    " versus ",
    " without ",
    " by ",
    " and ",
];

/// A short noun phrase for a purpose, at most [`MAX_COMPETENCY_CHARS`] characters:
/// "Assesses understanding of X." becomes "understanding of X" (an acronym such as "GIL"
/// keeps its case); a long purpose is cut at a clause break, then at a word.
pub fn competency(purpose: &str) -> String {
    let text = purpose.trim().trim_end_matches('.');
    let mut rest = strip_assessing_verb(text).unwrap_or(text).trim();
    let long = rest.chars().count() > MAX_COMPETENCY_CHARS;
    if long {
        for filler in FILLER {
            if rest.len() > filler.len() && rest[..filler.len()].eq_ignore_ascii_case(filler) {
                rest = &rest[filler.len()..];
                break;
            }
        }
    }
    let mut phrase = rest.to_owned();
    if phrase.chars().count() > MAX_COMPETENCY_CHARS {
        for separator in CLAUSE_BREAKS {
            if let Some(at) = phrase.find(separator)
                && at >= 12
            {
                phrase.truncate(at);
                if phrase.chars().count() <= MAX_COMPETENCY_CHARS {
                    break;
                }
            }
        }
    }
    if phrase.chars().count() > MAX_COMPETENCY_CHARS {
        let mut cut = String::new();
        for word in phrase.split_whitespace() {
            if cut.chars().count() + word.chars().count() + 2 > MAX_COMPETENCY_CHARS {
                break;
            }
            if !cut.is_empty() {
                cut.push(' ');
            }
            cut.push_str(word);
        }
        // A phrase never ends on a small word ("lookups on…").
        let mut kept: Vec<&str> = cut.split(' ').collect();
        while kept.len() > 1
            && kept.last().is_some_and(|w| {
                SMALL_WORDS.contains(&w.to_lowercase().trim_end_matches([',', ';', ':']))
            })
        {
            kept.pop();
        }
        phrase = kept.join(" ").trim_end_matches([',', ';', ':']).to_owned() + "…";
    }
    mid_sentence(&phrase)
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
            purpose: purpose.into(),
            answer: "a".into(),
            key_points: (1..=points)
                .map(|i| format!("Explains mechanism number {i} of the thing"))
                .collect(),
            follow_ups: vec!["What changes when the input is a generator?".into()],
            red_flags: vec!["Claims the list is copied on assignment".into()],
            ..Default::default()
        }
    }

    fn derived(q: &Question) -> Rubric {
        derive(q, None, Templates::builtin()).unwrap()
    }

    #[test]
    fn rubric_is_derived_from_the_purpose_and_the_evidence() {
        let rubric = derived(&question(
            "Assesses understanding of reference counting.",
            4,
        ));
        assert_eq!(rubric.competency, "understanding of reference counting");
        assert_eq!(rubric.levels.len(), 4);
        assert_eq!(rubric.levels[0].label, "Insufficient");
        assert_eq!(rubric.levels[3].score, 4);
        // Without depth points the last key point stands for the depth evidence.
        assert_eq!(rubric.listen_for.len(), 3);
        assert_eq!(rubric.depth, ["Explains mechanism number 4 of the thing"]);
        let texts: Vec<&str> = rubric
            .levels
            .iter()
            .map(|l| l.descriptor.as_str())
            .collect();
        let [one, two, three, four] = texts[..] else {
            panic!("four levels")
        };
        assert!(
            one.contains("Claims the list is copied on assignment"),
            "{one}"
        );
        assert!(two.contains("explains mechanism number 1"), "{two}");
        assert!(three.contains("explains mechanism number 2"), "{three}");
        assert!(four.contains("explains mechanism number 4"), "{four}");
        assert!(four.contains("What changes when the input"), "{four}");
    }

    #[test]
    fn every_descriptor_fits_in_forty_words() {
        let mut q = question("Assesses x.", 4);
        q.key_points = (1..=4)
            .map(|i| format!("Explains {i} {}", "very long words ".repeat(20)))
            .collect();
        q.red_flags = vec!["Says something wrong ".repeat(15)];
        q.follow_ups = vec!["Why ".repeat(30)];
        for level in derived(&q).levels {
            assert!(
                words(&level.descriptor) <= MAX_WORDS,
                "{}",
                level.descriptor
            );
            assert!(
                level.descriptor.contains("Explains")
                    || level.descriptor.contains("explains")
                    || level.score == 1
                    || level.descriptor.contains("Says"),
                "{}",
                level.descriptor
            );
        }
    }

    #[test]
    fn competency_is_a_short_noun_phrase() {
        assert_eq!(competency("Assesses GIL knowledge."), "GIL knowledge");
        assert_eq!(competency("Assesses Whether x"), "whether x");
        assert_eq!(competency("Testsuite design."), "testsuite design");
        let long = competency(
            "Assesses whether the candidate understands how Python resolves attribute lookups on instances, classes and their bases, rather than guessing.",
        );
        assert!(long.chars().count() <= MAX_COMPETENCY_CHARS, "{long}");
        assert!(
            long.starts_with("understands how Python resolves"),
            "{long}"
        );
        let mut q = question("Assesses x.", 3);
        q.competency = Some("Attribute lookup".into());
        assert_eq!(derived(&q).competency, "Attribute lookup");
    }

    #[test]
    fn blueprint_scale_and_bank_override_replace_single_levels() {
        let mut q = question("Assesses x.", 3);
        q.rubric = Some(crate::bank::RubricOverride {
            levels: vec!["".into(), "".into(), "c".into(), "".into()],
        });
        let names: Vec<String> = ["No", "Maybe", "Yes", "Wow"].map(String::from).to_vec();
        let rubric = derive(&q, Some(&names), Templates::builtin()).unwrap();
        assert_eq!(rubric.levels[2].descriptor, "c");
        assert!(rubric.levels[1].descriptor.contains("mechanism number 1"));
        assert_eq!(rubric.levels[3].label, "Wow");
    }

    /// Whether `descriptor` names `point`: it holds the point's first four words (or all of
    /// them), as the derivation writes them mid-sentence.
    fn names(descriptor: &str, point: &str) -> bool {
        let opening: Vec<&str> = point.split_whitespace().take(4).collect();
        let opening = opening.join(" ").trim_end_matches('.').to_lowercase();
        descriptor.to_lowercase().contains(&opening)
    }

    /// For every question of the built-in bank: each descriptor is specific to its question
    /// (it names that question's evidence or red flags and differs from the same level of
    /// every other question), within 40 words, and the competency within 60 characters.
    #[test]
    fn every_question_of_the_bank_gets_its_own_anchors() {
        let bank = crate::bank::Bank::builtin().unwrap();
        let mut seen: Vec<std::collections::BTreeMap<String, String>> =
            vec![Default::default(); LEVELS];
        let mut v2 = 0;
        for q in &bank.questions {
            let rubric = derived(q);
            let custom = |i: usize| {
                q.rubric
                    .as_ref()
                    .and_then(|r| r.levels.get(i))
                    .is_some_and(|d| !d.trim().is_empty())
            };
            assert!(
                rubric.competency.chars().count() <= MAX_COMPETENCY_CHARS,
                "{}: {}",
                q.id,
                rubric.competency
            );
            let evidence: Vec<&String> = rubric.listen_for.iter().chain(&rubric.depth).collect();
            for (i, level) in rubric.levels.iter().enumerate() {
                let text = &level.descriptor;
                // A hand-written level too must be this question's own.
                if let Some(other) = seen[i].insert(text.clone(), q.id.clone()) {
                    panic!("{} and {other} share level {}: {text}", q.id, i + 1);
                }
                if custom(i) {
                    continue;
                }
                assert!(words(text) <= MAX_WORDS, "{} level {}: {text}", q.id, i + 1);
                if i == 0 && !q.red_flags.is_empty() {
                    assert!(
                        q.red_flags.iter().any(|f| names(text, f)),
                        "{} level 1 names no red flag: {text}",
                        q.id
                    );
                } else if i > 0 {
                    assert!(
                        evidence.iter().any(|p| names(text, p)),
                        "{} level {} names no key point: {text}",
                        q.id,
                        i + 1
                    );
                }
            }
            // A v2 entry's own competency and depth points are what the rubric uses.
            if q.competency.is_some() && !q.depth_points.is_empty() {
                v2 += 1;
                assert_eq!(Some(&rubric.competency), q.competency.as_ref());
                assert_eq!(rubric.depth, q.depth_points);
                assert_eq!(rubric.listen_for, q.key_points);
                assert!(
                    q.depth_points
                        .iter()
                        .any(|p| names(&rubric.levels[3].descriptor, p)),
                    "{}: level 4 names no depth point",
                    q.id
                );
            }
        }
        // The rest are derived from the purpose and a split of the key points.
        println!(
            "{v2} of {} questions carry v2 competency and depth points",
            bank.questions.len()
        );
    }
}
