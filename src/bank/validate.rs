//! Bank rules: unique ids, required fields, sane numbers, declared topics; every breach reported with its place.

use std::collections::BTreeMap;

use super::load::QuestionLines;
use super::{Bank, Question, Topic};
use crate::error::{Error, Problem, Result};
use crate::limits::{
    self, MAX_ID_CHARS, MAX_ITEM_CHARS, MAX_LIST_ITEMS, MAX_QUESTION_MINUTES, MAX_TEXT_CHARS,
};

/// Fewest and most key points (core and depth together) a question may list.
pub const KEY_POINTS: std::ops::RangeInclusive<usize> = 3..=6;

/// Fewest core key points: the evidence a solid answer must show.
pub const MIN_CORE_POINTS: usize = 2;

/// Longest question title and competency, in characters.
pub const MAX_LABEL_CHARS: usize = 60;

/// A value with the file and line it came from.
#[derive(Debug, Clone)]
pub(crate) struct Located<T> {
    pub file: String,
    pub line: usize,
    pub value: T,
}

impl<T> Located<T> {
    pub fn new(file: &str, line: usize, value: T) -> Self {
        Self {
            file: file.to_owned(),
            line,
            value,
        }
    }

    fn problem(&self, line: usize, message: impl Into<String>) -> Problem {
        Problem::at(&self.file, Some(line), message)
    }
}

/// Checks every rule and returns the bank sorted by id, or every problem found.
pub(super) fn validate(
    topics: Vec<Located<Topic>>,
    questions: Vec<(Located<Question>, QuestionLines)>,
) -> Result<Bank> {
    let mut problems = Vec::new();

    let mut topic_index: BTreeMap<&str, &Located<Topic>> = BTreeMap::new();
    for topic in &topics {
        let t = &topic.value;
        check_slug(&mut problems, topic, topic.line, "topic id", &t.id);
        check_filled(&mut problems, topic, topic.line, "topic title", &t.title);
        let texts = [
            limits::name_problem("title", &t.title),
            limits::text_problem("description", &t.description, MAX_TEXT_CHARS),
        ];
        for message in texts.into_iter().flatten() {
            problems.push(topic.problem(topic.line, format!("topic `{}`: {message}", t.id)));
        }
        if let Some(first) = topic_index.insert(&t.id, topic) {
            problems.push(topic.problem(
                topic.line,
                format!(
                    "topic `{}` is declared twice (first in `{}` line {}); keep one declaration",
                    t.id, first.file, first.line
                ),
            ));
        }
    }

    let mut question_index: BTreeMap<&str, &Located<Question>> = BTreeMap::new();
    for (question, lines) in &questions {
        let q = &question.value;
        check_slug(&mut problems, question, question.line, "question id", &q.id);
        if let Some(first) = question_index.insert(&q.id, question) {
            problems.push(question.problem(
                question.line,
                format!(
                    "duplicate question id `{}` (first defined in `{}` line {}); give one of them a new id",
                    q.id, first.file, first.line
                ),
            ));
        }
        if !topic_index.contains_key(q.topic.as_str()) {
            problems.push(question.problem(
                lines.topic.unwrap_or(question.line),
                format!(
                    "question `{}` has topic `{}`, which no bank file declares; declare it in a `[topic]` table or fix the id",
                    q.id, q.topic
                ),
            ));
        }
        for (field, value) in [
            ("prompt", &q.prompt),
            ("purpose", &q.purpose),
            ("answer", &q.answer),
        ] {
            check_filled(&mut problems, question, question.line, field, value);
        }
        if q.minutes == 0 {
            problems.push(question.problem(
                lines.minutes,
                format!("question `{}`: `minutes` must be at least 1", q.id),
            ));
        }
        if q.minutes > MAX_QUESTION_MINUTES {
            problems.push(question.problem(
                lines.minutes,
                format!(
                    "question `{}`: `minutes` is {}; one question may take at most {MAX_QUESTION_MINUTES} (see Limits in the README)",
                    q.id,
                    limits::thousands(q.minutes as usize)
                ),
            ));
        }
        for message in label_problems(q).into_iter().chain(field_limits(q)) {
            problems
                .push(question.problem(question.line, format!("question `{}`: {message}", q.id)));
        }
        let points = q.key_points.len() + q.depth_points.len();
        if !KEY_POINTS.contains(&points) {
            problems.push(question.problem(
                lines.key_points,
                format!(
                    "question `{}` has {points} key points (core and depth together); write between {} and {}",
                    q.id,
                    KEY_POINTS.start(),
                    KEY_POINTS.end()
                ),
            ));
        } else if !q.depth_points.is_empty() && q.key_points.len() < MIN_CORE_POINTS {
            problems.push(question.problem(
                lines.key_points,
                format!(
                    "question `{}` has {} core key point(s); write at least {MIN_CORE_POINTS} in `key_points` (the evidence of a solid answer) and keep `depth_points` for what an excellent answer adds",
                    q.id,
                    q.key_points.len()
                ),
            ));
        }
        if q.key_points
            .iter()
            .chain(&q.depth_points)
            .any(|p| p.trim().is_empty())
        {
            problems.push(question.problem(
                lines.key_points,
                format!(
                    "question `{}` has an empty key point; remove it or fill it in",
                    q.id
                ),
            ));
        }
        if let Some(rubric) = &q.rubric
            && rubric.levels.len() != crate::rubric::LEVELS
        {
            problems.push(question.problem(
                question.line,
                format!(
                    "question `{}`: `rubric.levels` has {} entries; write exactly {}, lowest first",
                    q.id,
                    rubric.levels.len(),
                    crate::rubric::LEVELS
                ),
            ));
        }
    }

    if !problems.is_empty() {
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        return Err(Error::Invalid { problems });
    }

    let mut topics: Vec<Topic> = topics.into_iter().map(|t| t.value).collect();
    topics.sort_by(|a, b| a.id.cmp(&b.id));
    let mut questions: Vec<Question> = questions.into_iter().map(|(q, _)| q.value).collect();
    questions.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Bank { topics, questions })
}

fn check_filled<T>(
    problems: &mut Vec<Problem>,
    at: &Located<T>,
    line: usize,
    field: &str,
    value: &str,
) {
    if value.trim().is_empty() {
        problems.push(at.problem(line, format!("`{field}` is empty; fill it in")));
    }
}

/// Problems with the short fields: title and competency (filled, one line, at most
/// [`MAX_LABEL_CHARS`]), family (a slug) and the exercise's module name.
fn label_problems(q: &Question) -> Vec<String> {
    let mut found = Vec::new();
    for (field, value) in [("title", &q.title), ("competency", &q.competency)] {
        let Some(value) = value else { continue };
        if value.trim().is_empty() {
            found.push(format!("`{field}` is empty; fill it in or remove it"));
        } else if value.chars().count() > MAX_LABEL_CHARS {
            found.push(format!(
                "`{field}` has {} characters; keep it to {MAX_LABEL_CHARS}",
                value.chars().count()
            ));
        } else {
            found.extend(limits::name_problem(field, value));
        }
    }
    if let Some(family) = &q.family
        && !is_slug(family)
    {
        found.push(format!(
            "`family` `{}` must be lowercase letters, digits and single dashes, like `class-state`",
            limits::shown(family)
        ));
    }
    for (field, value) in [
        ("weak_answer", &q.weak_answer),
        ("strong_answer", &q.strong_answer),
    ] {
        if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
            found.push(format!("`{field}` is empty; fill it in or remove it"));
        }
    }
    if let Some(exercise) = &q.exercise {
        if !is_module_file(&exercise.module) {
            found.push(format!(
                "`exercise.module` `{}` must be a Python file name such as `ratelimit.py` (lowercase letters, digits and `_`, not starting with `test_`)",
                limits::shown(&exercise.module)
            ));
        }
        for (field, text) in [
            ("exercise.starter", &exercise.starter),
            ("exercise.tests", &exercise.tests),
            ("exercise.solution", &exercise.solution),
        ] {
            if text.trim().is_empty() {
                found.push(format!("`{field}` is empty; fill it in"));
            }
        }
    }
    found
}

/// `ratelimit.py`: a Python module file the tests can import, and not itself a test file.
fn is_module_file(name: &str) -> bool {
    name.strip_suffix(".py").is_some_and(|stem| {
        !stem.is_empty()
            && !stem.starts_with("test_")
            && stem.len() <= MAX_ID_CHARS
            && stem.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    })
}

/// Every field of `q` over its length limit or holding a character text may not hold.
fn field_limits(q: &Question) -> Vec<String> {
    let mut found = Vec::new();
    let exercise = q.exercise.as_ref();
    let texts = [
        ("prompt", Some(&q.prompt)),
        ("code", q.code.as_ref()),
        ("artifact", q.artifact.as_ref()),
        ("purpose", Some(&q.purpose)),
        ("answer", Some(&q.answer)),
        ("weak_answer", q.weak_answer.as_ref()),
        ("strong_answer", q.strong_answer.as_ref()),
        ("exercise.starter", exercise.map(|e| &e.starter)),
        ("exercise.tests", exercise.map(|e| &e.tests)),
        ("exercise.solution", exercise.map(|e| &e.solution)),
    ];
    for (field, text) in texts {
        if let Some(text) = text {
            found.extend(limits::text_problem(field, text, MAX_TEXT_CHARS));
        }
    }
    for (field, items) in q.lists() {
        if items.len() > MAX_LIST_ITEMS {
            found.push(format!(
                "`{field}` has {} items; a list may have at most {MAX_LIST_ITEMS} (see Limits in the README)",
                limits::thousands(items.len())
            ));
            continue;
        }
        for (n, item) in items.iter().enumerate() {
            let name = format!("{field}` item `{}", n + 1);
            found.extend(limits::text_problem(&name, item, MAX_ITEM_CHARS));
        }
    }
    found
}

fn check_slug<T>(
    problems: &mut Vec<Problem>,
    at: &Located<T>,
    line: usize,
    field: &str,
    value: &str,
) {
    if !is_slug(value) {
        problems.push(at.problem(
            line,
            format!(
                "{field} `{}` must be lowercase letters, digits and single dashes, like `oop-mro`",
                limits::shown(value)
            ),
        ));
    } else if value.len() > MAX_ID_CHARS {
        problems.push(at.problem(
            line,
            format!(
                "{field} `{}` is {} characters long; an id may have at most {MAX_ID_CHARS} (see Limits in the README)",
                limits::shown(value),
                value.len()
            ),
        ));
    }
}

/// `oop-mro`, `pep8`: lowercase ASCII words joined by single dashes.
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("oop-mro"));
        assert!(is_slug("pep8"));
        assert!(!is_slug("Oop"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
    }
}
