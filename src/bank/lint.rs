//! Bank lint: rules a loadable bank can still break (thin or missing content, near duplicates, giveaways, small topics); pure.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use super::validate::KEY_POINTS;
use super::{Bank, Question};
use crate::error::{Error, Problem};
use crate::select::{self, Blueprint};

/// [`similarity`] at which two questions count as the same question: an error.
///
/// Calibrated on the built-in bank (181 questions, 16,290 pairs), whose most similar pair
/// scores 0.236. Replacing every fifth word of a prompt still scores about 0.42, every
/// fourth about 0.33, so 0.40 catches a lightly reworded copy without flagging two questions
/// that merely share boilerplate such as "what is wrong with this function?".
pub const NEAR_DUPLICATE: f64 = 0.40;

/// Similarity at which two prompts are worth a second look: a warning.
pub const SIMILAR: f64 = 0.30;

/// Share of a key point's content (its distinctive words, weighted by rarity in the bank)
/// already in the prompt at which the prompt gives the point away: a warning.
///
/// Plain word overlap flags prompts that only share framing words ("file", "call", "run")
/// with a key point, so each word counts `ln(1 + questions / questions using it)`: the rare
/// words that carry the actual answer weigh most. The built-in bank peaks at 0.66.
pub const GIVEAWAY: f64 = 0.75;

/// Fewest content words a key point needs before the giveaway rule judges it.
const GIVEAWAY_MIN_WORDS: usize = 3;

/// [`twin_score`] at which two questions that share no `family` are near-twins: a warning,
/// since selection keeps two questions out of one kit only when they share a family.
///
/// The score is the rarity-weighted cosine of the content words of the two questions' prompt,
/// purpose, competency, key and depth points and tags (words no other question uses are left
/// out). Calibrated on the built-in bank (295 questions, 43,365 pairs) against the 15 pairs
/// issue 13 lists as near-twins: those score 0.13–0.30 (median 0.20) while the median pair
/// scores 0.03, and of the pairs outside a family 99 % stay below 0.14 and 99.9 % below 0.22
/// (the median listed pair ranks in the top 0.2 % of the bank). Bag-of-words cannot
/// separate every listed pair from merely related ones, so the limit sits where the findings
/// are still real twins: the two strongest listed pairs (0.30, 0.29) and six unlisted twins
/// (a memo cache versus `lru_cache` on a method, 0.39, down to a forgotten `await` versus a
/// never-awaited coroutine, 0.29) reach it; the first unrelated pair (a moving-average window
/// versus a graph traversal, both about complexity) scores 0.283.
pub const NEAR_TWIN: f64 = 0.285;

/// Fewest questions a bank needs before the near-twin rule judges it: in a small bank every
/// shared word looks rare.
pub const NEAR_TWIN_MIN_QUESTIONS: usize = 30;

/// Shortest prompt, in characters, before it counts as thin.
pub const MIN_PROMPT: usize = 40;
/// Shortest purpose, in characters, before it counts as thin.
pub const MIN_PURPOSE: usize = 40;
/// Shortest model answer, in characters, before it counts as thin.
pub const MIN_ANSWER: usize = 300;
/// Shortest key point, in characters, before it counts as thin.
pub const MIN_KEY_POINT: usize = 15;
/// Fewest words the competency needs after the assessing verb.
pub const MIN_COMPETENCY_WORDS: usize = 3;
/// Longest realistic time for one interview question, in minutes.
pub const MAX_MINUTES: u32 = 30;
/// Disjoint kits a blueprint should yield, so a hiring round of this many candidates can
/// each get different questions.
pub const MIN_DISJOINT_KITS: usize = 3;

use crate::rubric::ASSESSING_VERBS;

/// How serious a finding is: errors fail `bank lint`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The bank should not be used as it is.
    Error,
    /// Worth a look; the bank is usable.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One thing lint found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// Short rule name, e.g. `near-duplicate` (README lists them all).
    pub rule: &'static str,
    /// What the finding is about: ``question `oop-mro` ``, a topic, a blueprint, or a file and line.
    pub subject: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Finding {
    fn new(
        severity: Severity,
        rule: &'static str,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            rule,
            subject: subject.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}] {}: {}",
            self.severity, self.rule, self.subject, self.message
        )
    }
}

/// Problems from loading or validating a bank (or reading a blueprint), as lint errors.
pub fn from_problems(problems: &[Problem]) -> Vec<Finding> {
    problems
        .iter()
        .map(|p| {
            let subject = match p.line {
                Some(line) => format!("`{}` line {line}", p.file),
                None => format!("`{}`", p.file),
            };
            Finding::new(Severity::Error, "invalid", subject, p.message.clone())
        })
        .collect()
}

/// Every finding for `bank`, checking the built-in blueprint and then each of `blueprints`.
///
/// Sorted errors first, then by subject and rule, so the output is stable.
pub fn lint(bank: &Bank, blueprints: &[Blueprint]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let rarity = Rarity::of(bank);
    // Questions of the topics the built-in blueprint samples need worked examples.
    let sampled: BTreeSet<String> = Blueprint::builtin(bank)
        .map(|b| b.topics.keys().cloned().collect())
        .unwrap_or_default();
    for q in &bank.questions {
        check_question(q, &rarity, &mut findings);
        check_v2(q, sampled.contains(&q.topic), &mut findings);
    }
    check_duplicates(bank, &mut findings);
    check_twins(bank, &mut findings);
    match Blueprint::builtin(bank) {
        Ok(builtin) => check_blueprint(bank, &builtin, &mut findings),
        Err(err) => findings.push(Finding::new(
            Severity::Warning,
            "topic-size",
            "blueprint `python-developer` (built in)",
            format!(
                "does not apply to this bank ({}); pass --blueprint FILE to check the blueprint you use",
                first_line(&err)
            ),
        )),
    }
    for blueprint in blueprints {
        check_blueprint(bank, blueprint, &mut findings);
    }
    findings.sort_by(|a, b| {
        (a.severity, &a.subject, a.rule, &a.message)
            .cmp(&(b.severity, &b.subject, b.rule, &b.message))
    });
    findings
}

/// "2 errors, 1 warning".
pub fn summary(findings: &[Finding]) -> String {
    let count = |severity| findings.iter().filter(|f| f.severity == severity).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    )
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

fn question_subject(q: &Question) -> String {
    format!("question `{}`", q.id)
}

fn check_question(q: &Question, rarity: &Rarity, findings: &mut Vec<Finding>) {
    let subject = question_subject(q);
    let mut push = |severity, rule, message: String| {
        findings.push(Finding::new(severity, rule, subject.clone(), message));
    };

    for (field, value, min, what) in [
        (
            "prompt",
            &q.prompt,
            MIN_PROMPT,
            "say what the candidate must explain or do",
        ),
        (
            "purpose",
            &q.purpose,
            MIN_PURPOSE,
            "name the competency and what it shows",
        ),
        (
            "answer",
            &q.answer,
            MIN_ANSWER,
            "write the answer a senior engineer would sign",
        ),
    ] {
        let len = value.trim().chars().count();
        if len < min {
            push(
                Severity::Warning,
                "thin",
                format!("`{field}` is {len} characters (fewer than {min}); {what}"),
            );
        }
    }
    let short: Vec<String> = q
        .key_points
        .iter()
        .filter(|p| p.trim().chars().count() < MIN_KEY_POINT)
        .map(|p| format!("`{}`", p.trim()))
        .collect();
    if !short.is_empty() {
        push(
            Severity::Warning,
            "thin",
            format!(
                "key point(s) {} are shorter than {MIN_KEY_POINT} characters; say what the candidate must say or do",
                short.join(", ")
            ),
        );
    }
    for (field, items, severity, why) in [
        (
            "follow_ups",
            &q.follow_ups,
            Severity::Error,
            "the rubric's top level expects the candidate to handle follow-ups",
        ),
        (
            "red_flags",
            &q.red_flags,
            Severity::Error,
            "the rubric's lowest level is anchored on red flags",
        ),
        (
            "tags",
            &q.tags,
            Severity::Warning,
            "tags are how `bank list --tag` finds it",
        ),
    ] {
        if items.iter().all(|item| item.trim().is_empty()) {
            push(
                severity,
                "missing",
                format!("`{field}` is empty; add at least one ({why})"),
            );
        }
    }
    if q.minutes > MAX_MINUTES {
        push(
            Severity::Warning,
            "minutes",
            format!(
                "{} minutes is more than {MAX_MINUTES}; split it or make it a take-home task",
                q.minutes
            ),
        );
    }

    match competency(&q.purpose) {
        None => push(
            Severity::Error,
            "competency",
            format!(
                "the purpose does not name a competency; start it with {}, e.g. \"Assesses understanding of ...\"",
                or_list(&ASSESSING_VERBS)
            ),
        ),
        Some(rest) if rest.split_whitespace().count() < MIN_COMPETENCY_WORDS => push(
            Severity::Error,
            "competency",
            format!(
                "the purpose names no real competency after its verb (fewer than {MIN_COMPETENCY_WORDS} words); say what it assesses"
            ),
        ),
        Some(_) => {}
    }
    if sentences(&q.purpose) > 1 {
        push(
            Severity::Warning,
            "competency",
            "the purpose is more than one sentence; keep it to the competency and move the rest to the answer".into(),
        );
    }

    if !KEY_POINTS.contains(&(q.key_points.len() + q.depth_points.len())) {
        push(
            Severity::Error,
            "key-points",
            format!(
                "{} key points (core and depth); write between {} and {}",
                q.key_points.len() + q.depth_points.len(),
                KEY_POINTS.start(),
                KEY_POINTS.end()
            ),
        );
    }

    if let Some((n, point, share)) = giveaway(q, rarity) {
        push(
            Severity::Warning,
            "giveaway",
            format!(
                "the prompt already states key point {n} (`{point}`): {:.0}% of its content is in the prompt; reword the prompt so the candidate has to supply it",
                share * 100.0
            ),
        );
    }
}

/// Longest answer summary, in words.
pub const MAX_SUMMARY_WORDS: usize = 40;
/// Fewest points an answer lists after its summary.
pub const MIN_ANSWER_POINTS: usize = 2;
/// Longest answer point, in words.
pub const MAX_POINT_WORDS: usize = 60;

/// The fields of bank format v2: title, competency, an answer of a summary and points,
/// depth evidence, and (for the topics the built-in blueprint samples) weak and strong
/// example answers; an exercise's tests must define tests.
fn check_v2(q: &Question, sampled: bool, findings: &mut Vec<Finding>) {
    let subject = question_subject(q);
    let mut push = |rule, message: String| {
        findings.push(Finding::new(
            Severity::Warning,
            rule,
            subject.clone(),
            message,
        ));
    };
    if q.title.is_none() {
        push(
            "missing",
            "no `title`; agendas show the id instead (write a title of at most 60 characters)"
                .into(),
        );
    }
    if q.competency.is_none() {
        push(
            "missing",
            "no `competency`; the rubric and ATS exports need a short noun phrase (at most 60 characters)".into(),
        );
    }
    if q.depth_points.is_empty() {
        push(
            "missing",
            "no `depth_points`; the rubric's top level names the depth evidence of an excellent answer".into(),
        );
    }
    if sampled && (q.weak_answer.is_none() || q.strong_answer.is_none()) {
        push(
            "missing",
            "no `weak_answer` or `strong_answer`; questions the built-in blueprint samples carry a one-line example of each".into(),
        );
    }
    let (summary, points) = q.answer_parts();
    let words = |text: &str| text.split_whitespace().count();
    if points.len() < MIN_ANSWER_POINTS {
        push(
            "answer-shape",
            format!(
                "the answer has {} point(s); open with a one-line summary, then at least {MIN_ANSWER_POINTS} short points, each on a line starting `- `",
                points.len()
            ),
        );
    } else if words(&summary) > MAX_SUMMARY_WORDS {
        push(
            "answer-shape",
            format!(
                "the answer's summary has {} words; keep it to one line of at most {MAX_SUMMARY_WORDS}",
                words(&summary)
            ),
        );
    }
    if let Some((n, point)) = points
        .iter()
        .enumerate()
        .find(|(_, p)| words(p) > MAX_POINT_WORDS)
    {
        push(
            "answer-shape",
            format!(
                "answer point {} has {} words; split it or keep it to {MAX_POINT_WORDS}",
                n + 1,
                words(point)
            ),
        );
    }
    if let Some(exercise) = &q.exercise
        && !exercise.tests.contains("def test_")
    {
        push(
            "exercise",
            format!(
                "`exercise.tests` defines no `test_` function; `{}` must hold the tests the reference solution passes",
                exercise.tests_file()
            ),
        );
    }
}

/// The purpose after its assessing verb, or `None` when it does not start with one.
fn competency(purpose: &str) -> Option<&str> {
    crate::rubric::strip_assessing_verb(purpose)
}

/// Sentences in `text`: a `.`, `!` or `?` followed by a space and a capital starts a new one.
fn sentences(text: &str) -> usize {
    let chars: Vec<char> = text.trim().chars().collect();
    1 + chars
        .windows(3)
        .filter(|w| matches!(w[0], '.' | '!' | '?') && w[1] == ' ' && w[2].is_uppercase())
        .count()
}

/// The key point the prompt gives away most, if any reaches [`GIVEAWAY`]:
/// (1-based number, text, weighted share of its content words in the prompt).
fn giveaway(q: &Question, rarity: &Rarity) -> Option<(usize, String, f64)> {
    let prompt = content_words(&q.prompt);
    q.key_points
        .iter()
        .enumerate()
        .filter_map(|(i, point)| {
            let words = content_words(point);
            if words.len() < GIVEAWAY_MIN_WORDS {
                return None;
            }
            let share = rarity.share(&words, &prompt);
            (share >= GIVEAWAY).then(|| (i + 1, point.trim().to_owned(), share))
        })
        .max_by(|a, b| a.2.total_cmp(&b.2))
}

/// How rare each content word is across the bank's prompts and key points.
struct Rarity {
    questions: usize,
    /// Content word → number of questions using it.
    used_by: BTreeMap<String, usize>,
}

impl Rarity {
    /// Rarity of the words of the bank's prompts and key points.
    fn of(bank: &Bank) -> Self {
        let sets: Vec<BTreeSet<String>> = bank
            .questions
            .iter()
            .map(|q| {
                let mut words = content_words(&q.prompt);
                for point in &q.key_points {
                    words.extend(content_words(point));
                }
                words
            })
            .collect();
        Self::of_sets(&sets)
    }

    /// Rarity over one word set per question.
    fn of_sets(sets: &[BTreeSet<String>]) -> Self {
        let mut used_by = BTreeMap::new();
        for words in sets {
            for word in words {
                *used_by.entry(word.clone()).or_insert(0) += 1;
            }
        }
        Self {
            questions: sets.len(),
            used_by,
        }
    }

    fn weight(&self, word: &str) -> f64 {
        let used = self.used_by.get(word).copied().unwrap_or(0).max(1);
        (1.0 + self.questions.max(1) as f64 / used as f64).ln()
    }

    /// Weighted share of `words` that also occur in `within`.
    fn share(&self, words: &BTreeSet<String>, within: &BTreeSet<String>) -> f64 {
        let total: f64 = words.iter().map(|w| self.weight(w)).sum();
        let found: f64 = words.intersection(within).map(|w| self.weight(w)).sum();
        if total > 0.0 { found / total } else { 0.0 }
    }
}

/// Words that carry no content: English glue, and the verbs key points start with.
const STOP_WORDS: &[&str] = &[
    "about",
    "after",
    "all",
    "also",
    "and",
    "any",
    "are",
    "because",
    "been",
    "before",
    "but",
    "can",
    "could",
    "describes",
    "did",
    "does",
    "each",
    "explains",
    "for",
    "from",
    "gives",
    "has",
    "have",
    "how",
    "into",
    "its",
    "knows",
    "mentions",
    "more",
    "most",
    "must",
    "names",
    "not",
    "notes",
    "only",
    "other",
    "over",
    "predicts",
    "says",
    "should",
    "some",
    "states",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "uses",
    "very",
    "was",
    "were",
    "what",
    "when",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
];

/// Lowercase words that carry content (three or more characters, or any number), with a
/// plural `s` dropped.
fn content_words(text: &str) -> BTreeSet<String> {
    words(text)
        .into_iter()
        .filter(|w| {
            (w.len() >= 3 || w.chars().any(|c| c.is_ascii_digit()))
                && !STOP_WORDS.contains(&w.as_str())
        })
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_owned(),
            _ => w,
        })
        .collect()
}

/// Lowercase runs of letters, digits and `_`: the normal form compared by every rule.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Overlapping word pairs of `text`; a one-word text is its own single shingle.
fn shingles(text: &str) -> BTreeSet<(String, String)> {
    let words = words(text);
    match words.as_slice() {
        [only] => BTreeSet::from([(only.clone(), String::new())]),
        _ => words
            .windows(2)
            .map(|w| (w[0].clone(), w[1].clone()))
            .collect(),
    }
}

/// A question's word pairs: of its prompt, of its code, and of both together.
struct Shingles {
    prompt: BTreeSet<(String, String)>,
    code: Option<BTreeSet<(String, String)>>,
    both: BTreeSet<(String, String)>,
}

impl Shingles {
    fn of(q: &Question) -> Self {
        let code = q.code.as_deref().filter(|c| !c.trim().is_empty());
        let both = match code {
            Some(code) => shingles(&format!("{}\n{code}", q.prompt)),
            None => shingles(&q.prompt),
        };
        Self {
            prompt: shingles(&q.prompt),
            code: code.map(shingles),
            both,
        }
    }

    /// When both questions show code, they ask the same thing only if the prompts *and*
    /// the code are alike: "what does this print?" over different code is two questions,
    /// and so is asking different things about one snippet.
    fn similarity(&self, other: &Self) -> f64 {
        match (&self.code, &other.code) {
            (Some(a), Some(b)) => jaccard(&self.prompt, &other.prompt).min(jaccard(a, b)),
            _ => jaccard(&self.both, &other.both),
        }
    }
}

/// How alike two questions are, 0.0 to 1.0: the Jaccard similarity of the word pairs
/// (2-word shingles) of their lowercased prompts, with their code (see [`NEAR_DUPLICATE`]).
pub fn similarity(a: &Question, b: &Question) -> f64 {
    Shingles::of(a).similarity(&Shingles::of(b))
}

fn jaccard<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// The `n` most similar question pairs of the bank, most similar first (ties by id).
pub fn most_similar(bank: &Bank, n: usize) -> Vec<(f64, &Question, &Question)> {
    let mut pairs = similar_pairs(bank, 0.0);
    pairs.truncate(n);
    pairs
}

/// Every pair at or above `threshold`, most similar first.
fn similar_pairs(bank: &Bank, threshold: f64) -> Vec<(f64, &Question, &Question)> {
    let shingles: Vec<Shingles> = bank.questions.iter().map(Shingles::of).collect();
    let mut pairs = Vec::new();
    for (i, a) in bank.questions.iter().enumerate() {
        for (j, b) in bank.questions.iter().enumerate().skip(i + 1) {
            let score = shingles[i].similarity(&shingles[j]);
            if score >= threshold {
                pairs.push((score, a, b));
            }
        }
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.id.cmp(&y.1.id)));
    pairs
}

fn check_duplicates(bank: &Bank, findings: &mut Vec<Finding>) {
    for (score, a, b) in similar_pairs(bank, SIMILAR) {
        let (severity, rule, verdict, threshold) = if score >= NEAR_DUPLICATE {
            (
                Severity::Error,
                "near-duplicate",
                "ask nearly the same thing",
                NEAR_DUPLICATE,
            )
        } else {
            (Severity::Warning, "similar", "read alike", SIMILAR)
        };
        findings.push(Finding::new(
            severity,
            rule,
            format!("questions `{}` and `{}`", a.id, b.id),
            format!(
                "prompts {verdict} (word-pair similarity {score:.2}, limit {threshold:.2}); merge them or make one ask something else"
            ),
        ));
    }
}

/// The content words of what a question covers: its prompt, purpose, competency, key and
/// depth points, and tags.
fn twin_words(q: &Question) -> BTreeSet<String> {
    [&q.prompt, &q.purpose]
        .into_iter()
        .chain(&q.competency)
        .chain(&q.key_points)
        .chain(&q.depth_points)
        .chain(&q.tags)
        .flat_map(|text| content_words(text))
        .collect()
}

/// A question's [`twin_words`] that another question also uses, as (word number, rarity
/// weight) sorted by number, with the vector's length; computed once per question.
struct TwinVector {
    words: Vec<(usize, f64)>,
    norm: f64,
}

impl TwinVector {
    /// Vectors of every question of `bank`, in bank order.
    fn of_bank(bank: &Bank) -> Vec<Self> {
        let sets: Vec<BTreeSet<String>> = bank.questions.iter().map(twin_words).collect();
        let rarity = Rarity::of_sets(&sets);
        // Number the shared words; a word only one question uses cannot make a twin.
        let numbers: BTreeMap<&str, usize> = rarity
            .used_by
            .iter()
            .filter(|&(_, &used)| used >= 2)
            .enumerate()
            .map(|(n, (word, _))| (word.as_str(), n))
            .collect();
        sets.iter()
            .map(|set| {
                // Sets iterate in word order, and numbers follow word order, so this is sorted.
                let words: Vec<(usize, f64)> = set
                    .iter()
                    .filter_map(|w| numbers.get(w.as_str()).map(|&n| (n, rarity.weight(w))))
                    .collect();
                let norm = words.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
                Self { words, norm }
            })
            .collect()
    }

    /// Weighted cosine of two vectors, 0.0 to 1.0.
    fn cosine(&self, other: &Self) -> f64 {
        if self.norm == 0.0 || other.norm == 0.0 {
            return 0.0;
        }
        let (mut i, mut j, mut dot) = (0, 0, 0.0);
        while let (Some(&(a, weight)), Some(&(b, _))) = (self.words.get(i), other.words.get(j)) {
            match a.cmp(&b) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += weight * weight;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot / (self.norm * other.norm)
    }
}

/// How much two questions of `bank` cover the same ground, 0.0 to 1.0 (see [`NEAR_TWIN`]).
///
/// `None` when either id is not in the bank.
pub fn twin_score(bank: &Bank, a: &str, b: &str) -> Option<f64> {
    let position = |id| bank.questions.iter().position(|q| q.id == id);
    let (a, b) = (position(a)?, position(b)?);
    let vectors = TwinVector::of_bank(bank);
    Some(vectors[a].cosine(&vectors[b]))
}

/// Every pair at or above `threshold` by [`twin_score`], most alike first (ties by id).
fn twin_pairs(bank: &Bank, threshold: f64) -> Vec<(f64, &Question, &Question)> {
    let vectors = TwinVector::of_bank(bank);
    let mut pairs = Vec::new();
    for (i, a) in bank.questions.iter().enumerate() {
        for (j, b) in bank.questions.iter().enumerate().skip(i + 1) {
            let score = vectors[i].cosine(&vectors[j]);
            if score >= threshold {
                pairs.push((score, a, b));
            }
        }
    }
    pairs.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then_with(|| (&x.1.id, &x.2.id).cmp(&(&y.1.id, &y.2.id)))
    });
    pairs
}

fn check_twins(bank: &Bank, findings: &mut Vec<Finding>) {
    if bank.questions.len() < NEAR_TWIN_MIN_QUESTIONS {
        return;
    }
    for (score, a, b) in twin_pairs(bank, NEAR_TWIN) {
        if similarity(a, b) >= SIMILAR {
            continue; // already a `near-duplicate` or `similar` finding
        }
        let fix = match (&a.family, &b.family) {
            (Some(x), Some(y)) if x == y => continue,
            (Some(x), Some(y)) => {
                format!("they are in families `{x}` and `{y}`; give them one `family`")
            }
            (Some(x), None) => format!("give `{}` `family = \"{x}\"`", b.id),
            (None, Some(y)) => format!("give `{}` `family = \"{y}\"`", a.id),
            (None, None) => "give both one `family`".to_owned(),
        };
        findings.push(Finding::new(
            Severity::Warning,
            "near-twin",
            format!("questions `{}` and `{}`", a.id, b.id),
            format!(
                "`{}` and `{}` cover the same ground (near-twin score {score:.2}, limit {NEAR_TWIN}) but share no family, so one kit can hold both; {fix} or make one ask something else",
                a.id, b.id
            ),
        ));
    }
}

fn check_blueprint(bank: &Bank, blueprint: &Blueprint, findings: &mut Vec<Finding>) {
    let subject = format!("blueprint `{}`", blueprint.name);
    if !select::can_fill(bank, blueprint) {
        // `select` explains exactly what is short; lint reports each shortfall on its own.
        let message = match select::select(bank, blueprint, 0, 0) {
            Err(Error::Shortfall { shortfalls, .. }) => shortfalls
                .iter()
                .map(|s| format!("the bank cannot fill it: {s}"))
                .collect(),
            Err(err) => vec![first_line(&err)],
            Ok(_) => vec!["the bank cannot fill it".to_owned()],
        };
        for message in message {
            findings.push(Finding::new(
                Severity::Error,
                "topic-size",
                subject.clone(),
                message,
            ));
        }
        return;
    }
    let per_topic: BTreeMap<&str, usize> =
        bank.questions.iter().fold(BTreeMap::new(), |mut m, q| {
            *m.entry(q.topic.as_str()).or_insert(0) += 1;
            m
        });
    for (topic, &count) in &blueprint.topics {
        let have = per_topic.get(topic.as_str()).copied().unwrap_or(0);
        let want = count as usize * MIN_DISJOINT_KITS;
        if have < want {
            findings.push(Finding::new(
                Severity::Warning,
                "topic-size",
                format!("topic `{topic}`"),
                format!(
                    "{have} questions for {count} per kit of blueprint `{}`; add {} so {MIN_DISJOINT_KITS} candidates can get different questions",
                    blueprint.name,
                    want - have
                ),
            ));
        }
    }
    let kits = select::disjoint_kits(bank, blueprint);
    if kits < MIN_DISJOINT_KITS {
        findings.push(Finding::new(
            Severity::Warning,
            "topic-size",
            subject,
            format!(
                "the bank yields {kits} disjoint kit(s), fewer than {MIN_DISJOINT_KITS}; add questions where the topics or levels are thin"
            ),
        ));
    }
}

fn first_line(err: &Error) -> String {
    err.to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// "`a`, `b` or `c`".
fn or_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|v| format!("\"{v}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Level;

    fn question(id: &str, prompt: &str) -> Question {
        Question {
            id: id.into(),
            topic: "t".into(),
            level: Level::Mid,
            minutes: 5,
            prompt: prompt.into(),
            code: None,
            purpose: "Assesses whether the candidate can reason about reference counting.".into(),
            answer: "A".repeat(MIN_ANSWER),
            key_points: vec![
                "Names reference counting as the primary mechanism".into(),
                "Mentions the cyclic garbage collector for cycles".into(),
                "Explains when `__del__` runs and why it is unreliable".into(),
            ],
            follow_ups: vec!["What about cycles?".into()],
            red_flags: vec!["Thinks Python has no GC".into()],
            tags: vec!["memory".into()],
            source: vec![],
            rubric: None,
            ..Default::default()
        }
    }

    fn check(q: &Question) -> Vec<Finding> {
        let bank = Bank {
            topics: vec![],
            questions: vec![q.clone()],
        };
        let mut findings = Vec::new();
        check_question(q, &Rarity::of(&bank), &mut findings);
        findings
    }

    fn rules(q: &Question) -> Vec<(Severity, &'static str)> {
        let findings = check(q);
        findings.iter().map(|f| (f.severity, f.rule)).collect()
    }

    const PROMPT: &str = "How does CPython decide when an object's memory can be released, and what role does the garbage collector play?";

    #[test]
    fn a_good_question_has_no_findings() {
        assert_eq!(rules(&question("q", PROMPT)), []);
    }

    #[test]
    fn purpose_needs_an_assessing_verb_and_a_competency() {
        let mut q = question("q", PROMPT);
        q.purpose = "To see whether the candidate knows about garbage collection.".into();
        assert_eq!(rules(&q), [(Severity::Error, "competency")]);
        q.purpose = "Assesses memory.".into();
        assert!(rules(&q).contains(&(Severity::Error, "competency")));
        q.purpose = "Assessesment of the candidate's knowledge of memory management.".into();
        assert_eq!(rules(&q), [(Severity::Error, "competency")]);
    }

    #[test]
    fn every_assessing_verb_is_stripped_by_the_rubric() {
        for verb in ASSESSING_VERBS {
            let mut q = question("q", PROMPT);
            q.purpose = format!("{verb} reasoning about memory.");
            assert_eq!(
                crate::rubric::derive(&q, None, crate::templates::Templates::builtin())
                    .unwrap()
                    .competency,
                "reasoning about memory"
            );
        }
    }

    #[test]
    fn thin_and_missing_fields_are_found() {
        let mut q = question("q", "Why?");
        q.follow_ups.clear();
        q.red_flags = vec![" ".into()];
        q.tags.clear();
        q.key_points[0] = "GC".into();
        assert_eq!(
            rules(&q),
            [
                (Severity::Warning, "thin"),
                (Severity::Warning, "thin"),
                (Severity::Error, "missing"),
                (Severity::Error, "missing"),
                (Severity::Warning, "missing"),
            ]
        );
    }

    #[test]
    fn a_prompt_that_states_a_key_point_gives_it_away() {
        let q = question(
            "q",
            "Reference counting is the primary mechanism CPython uses to release memory; what else is there?",
        );
        assert_eq!(
            check(&q)[0].message,
            "the prompt already states key point 1 (`Names reference counting as the primary mechanism`): 100% of its content is in the prompt; reword the prompt so the candidate has to supply it"
        );
    }

    #[test]
    fn near_duplicates_are_errors_and_similar_prompts_warnings() {
        let a = question(
            "a",
            "What does this code print, and how would you fix the bug it shows?",
        );
        let b = question(
            "b",
            "What does this code print, and how would you fix the bug it has?",
        );
        assert!(similarity(&a, &b) >= NEAR_DUPLICATE);
        let mut c = b.clone();
        c.code = Some("x = [[]] * 3\nx[0].append(1)\nprint(x)\n".into());
        let mut d = b.clone();
        d.code = Some("def f(a=[]):\n    a.append(1)\n    return a\n".into());
        assert!(similarity(&c, &d) < SIMILAR, "{}", similarity(&c, &d));
        assert_eq!(similarity(&a, &a), 1.0);
    }

    #[test]
    fn the_builtin_bank_has_no_lint_errors() {
        let bank = Bank::builtin().unwrap();
        let findings = lint(&bank, &[]);
        assert!(!has_errors(&findings), "{findings:#?}");
    }

    /// Run with `--ignored --nocapture` when recalibrating [`NEAR_DUPLICATE`], [`GIVEAWAY`] or
    /// [`NEAR_TWIN`].
    #[test]
    #[ignore = "prints calibration data"]
    fn print_calibration() {
        let bank = Bank::builtin().unwrap();
        for (score, a, b) in most_similar(&bank, 10) {
            println!("{score:.3}  {}  {}", a.id, b.id);
        }
        let rarity = Rarity::of(&bank);
        let mut giveaways: Vec<(f64, &str, &str)> = Vec::new();
        for q in &bank.questions {
            let prompt = content_words(&q.prompt);
            for point in &q.key_points {
                let words = content_words(point);
                if words.len() >= GIVEAWAY_MIN_WORDS {
                    let share = rarity.share(&words, &prompt);
                    giveaways.push((share, &q.id, point));
                }
            }
        }
        giveaways.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (share, id, point) in giveaways.iter().take(5) {
            println!("{share:.2}  {id}  {point}");
        }
        // Near-twins: the most alike pairs, marking those that share a family.
        for (score, a, b) in twin_pairs(&bank, 0.0).iter().take(30) {
            let shared = a.family.is_some() && a.family == b.family;
            let mark = if shared { "family" } else { "" };
            println!("{score:.3}  {}  {}  {mark}", a.id, b.id);
        }
    }

    /// The built-in bank with `a` and `b` given `family_a` and `family_b`.
    fn builtin_with_families(
        (a, family_a): (&str, Option<&str>),
        (b, family_b): (&str, Option<&str>),
    ) -> Bank {
        let mut bank = Bank::builtin().unwrap();
        for q in &mut bank.questions {
            if q.id == a {
                q.family = family_a.map(str::to_owned);
            } else if q.id == b {
                q.family = family_b.map(str::to_owned);
            }
        }
        bank
    }

    fn near_twins(bank: &Bank) -> Vec<Finding> {
        let mut findings = Vec::new();
        check_twins(bank, &mut findings);
        findings
    }

    // A pair issue 13 lists as near-twins: asking about float formatting and about the
    // numeric types leads to the same discussion of binary floats, Decimal and rounding.
    const TWIN_A: &str = "data-float-formatting";
    const TWIN_B: &str = "data-numeric-types";

    #[test]
    fn a_listed_twin_pair_without_a_family_is_a_near_twin() {
        let bank = builtin_with_families((TWIN_A, None), (TWIN_B, None));
        let score = twin_score(&bank, TWIN_A, TWIN_B).unwrap();
        assert!(score >= NEAR_TWIN, "{score}");
        let findings = near_twins(&bank);
        let finding = findings
            .iter()
            .find(|f| f.subject == format!("questions `{TWIN_A}` and `{TWIN_B}`"))
            .expect("the pair is reported");
        assert_eq!(finding.severity, Severity::Warning);
        assert_eq!(finding.rule, "near-twin");
        assert!(
            finding.message.contains(TWIN_A)
                && finding.message.contains(TWIN_B)
                && finding
                    .message
                    .contains("give both one `family` or make one ask something else"),
            "{}",
            finding.message
        );
        // One in a family: the message names the family to join.
        let bank = builtin_with_families((TWIN_A, Some("numbers")), (TWIN_B, None));
        assert!(near_twins(&bank).iter().any(|f| {
            f.message
                .contains(&format!("give `{TWIN_B}` `family = \"numbers\"`"))
        }));
        // Different families are no better than none.
        let bank = builtin_with_families((TWIN_A, Some("x")), (TWIN_B, Some("y")));
        assert!(
            near_twins(&bank)
                .iter()
                .any(|f| f.message.contains("families `x` and `y`"))
        );
    }

    #[test]
    fn twins_that_share_a_family_are_not_reported() {
        let bank = builtin_with_families((TWIN_A, Some("numbers")), (TWIN_B, Some("numbers")));
        assert!(twin_score(&bank, TWIN_A, TWIN_B).unwrap() >= NEAR_TWIN);
        let findings = near_twins(&bank);
        assert!(
            !findings.iter().any(|f| f.subject.contains(TWIN_A)),
            "{findings:#?}"
        );
    }

    #[test]
    fn unrelated_questions_are_not_twins() {
        let bank = Bank::builtin().unwrap();
        // Integer sizes and a Django session review share no ground.
        let score = twin_score(&bank, TWIN_B, "web-django-sessions").unwrap();
        assert!(score < NEAR_TWIN / 4.0, "{score}");
        let mut findings = Vec::new();
        check_twins(&bank, &mut findings);
        assert_eq!(
            findings,
            [],
            "the built-in bank has no near-twins outside a family"
        );
        assert_eq!(twin_score(&bank, TWIN_A, "no-such-question"), None);
        // A question is its own twin.
        assert!((twin_score(&bank, TWIN_A, TWIN_A).unwrap() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn twin_vectors_need_shared_words() {
        let mut a = question("a", PROMPT);
        a.key_points = vec!["zebra quagga okapi".into(); 3];
        let mut b = question("b", "Something else entirely about wombats and numbats?");
        b.purpose = "Probes marsupial taxonomy knowledge deeply.".into();
        b.key_points = vec!["wombat numbat bilby".into(); 3];
        b.tags = vec!["marsupials".into()];
        let bank = Bank {
            topics: vec![],
            questions: vec![a, b],
        };
        assert_eq!(twin_score(&bank, "a", "b"), Some(0.0));
    }

    #[test]
    fn sentences_are_counted() {
        assert_eq!(sentences("Assesses x. Also y."), 2);
        assert_eq!(sentences("Assesses x, e.g. the GIL."), 1);
    }

    #[test]
    fn summary_counts_both_severities() {
        assert_eq!(summary(&[]), "0 errors, 0 warnings");
        let f = Finding::new(Severity::Warning, "thin", "q", "m");
        assert_eq!(summary(&[f]), "0 errors, 1 warning");
    }
}
