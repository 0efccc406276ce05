//! Blueprints: what an interview must contain, parsed from TOML and resolved against a bank.
//!
//! The file may use weights, proportions and tags; resolving turns them into exact counts
//! and question ids, so the [`Blueprint`] a kit records says precisely what was asked for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::bank::{Bank, Level};
use crate::error::{Error, Lines, Problem, Result, toml_problem};
use crate::limits::{self, Input, MAX_BLUEPRINT_ENTRIES, MAX_KIT_QUESTIONS, MAX_TEXT_CHARS};
use crate::rubric::LEVELS;

/// The built-in blueprint, `examples/blueprints/python-developer.toml`.
const DEFAULT: &str = include_str!("../../examples/blueprints/python-developer.toml");

/// What a kit must contain, with every count exact and every reference resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blueprint {
    /// Short name, e.g. `python-developer`.
    pub name: String,
    /// Role interviewed for, shown on documents.
    pub role: String,
    /// Two to four capital letters that start every kit code, e.g. `PY`.
    pub code_prefix: String,
    /// Questions per topic id.
    pub topics: BTreeMap<String, u32>,
    /// Questions per level over the whole kit; empty means any mix.
    #[serde(default)]
    pub levels: BTreeMap<Level, u32>,
    /// Questions per level within a topic, for topics that fix their own mix.
    #[serde(default)]
    pub topic_levels: BTreeMap<String, BTreeMap<Level, u32>>,
    /// Upper bound on the kit's total minutes.
    #[serde(default)]
    pub max_minutes: Option<u32>,
    /// Lower bound on the kit's total minutes (`minutes = { min = 55, max = 65 }`); selection
    /// v2 keeps every kit between the two bounds or refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_minutes: Option<u32>,
    /// Caps on how many questions of a group one kit may hold, by reference (`tag:internals`
    /// or a question id): `[at_most]` in the file. Honoured by selection v2.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub at_most: BTreeMap<String, Cap>,
    /// Question ids every kit must contain.
    #[serde(default)]
    pub include: Vec<String>,
    /// Question ids no kit may contain (explicit ids and the questions of excluded tags).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Names of the four rubric levels, lowest first; `None` uses the templates' names.
    #[serde(default)]
    pub scale: Option<Vec<String>>,
    /// Leave writing space under each question of the candidate handout.
    #[serde(default)]
    pub writing_space: bool,
    /// Instructions printed on the candidate handout.
    #[serde(default)]
    pub instructions: String,
}

/// At most `max` of the questions `ids` in one kit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cap {
    /// Most questions of the group a kit may hold.
    pub max: u32,
    /// The group's question ids, resolved against the bank (may be empty).
    pub ids: Vec<String>,
}

/// `minutes = 65` (at most) or `minutes = { min = 55, max = 65 }`.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "`minutes` is a whole number (`minutes = 65`, at most) or a range (`minutes = { min = 55, max = 65 }`)"
)]
enum RawMinutes {
    AtMost(u32),
    Range(RawRange),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    min: Option<u32>,
    max: Option<u32>,
}

/// A topic entry: `oop = 2` or `oop = { count = 2, levels = { mid = 1, senior = 1 } }` or `{ weight = 3 }`.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a topic takes a whole number of questions (`oop = 2`) or a table of `count`, `weight` and `levels` (`oop = { count = 2, levels = { mid = 1, senior = 1 } }`, levels junior, mid, senior)"
)]
enum RawTopic {
    Count(u32),
    Table(RawTopicTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopicTable {
    count: Option<u32>,
    weight: Option<f64>,
    #[serde(default)]
    levels: BTreeMap<Level, u32>,
}

/// Level mix entry: a count (`mid = 4`) or a proportion (`mid = 0.4`).
#[derive(Deserialize, Clone, Copy)]
#[serde(
    untagged,
    expecting = "a level takes a whole number of questions (`mid = 4`) or a proportion (`mid = 0.4`)"
)]
enum RawShare {
    Count(u32),
    Proportion(f64),
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
    #[serde(default)]
    minutes: Option<Spanned<RawMinutes>>,
    topics: Spanned<BTreeMap<String, Spanned<RawTopic>>>,
    #[serde(default)]
    levels: Option<Spanned<BTreeMap<Level, RawShare>>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    at_most: Option<Spanned<BTreeMap<String, u32>>>,
    #[serde(default)]
    rubric: Option<Spanned<RawRubric>>,
    #[serde(default)]
    writing_space: bool,
    #[serde(default)]
    instructions: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubric {
    scale: Vec<String>,
}

fn default_prefix() -> Spanned<String> {
    Spanned::new(0..0, "PY".to_owned())
}

/// Collects problems with the line they are on.
struct Report<'a> {
    file: &'a str,
    lines: Lines,
    problems: Vec<Problem>,
}

impl Report<'_> {
    fn add(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        let line = (span.end > 0).then(|| self.lines.line(span.start));
        self.problems.push(Problem::at(self.file, line, message));
    }

    /// A count over [`MAX_KIT_QUESTIONS`] is a problem (and would overflow the sums later).
    fn count(&mut self, span: std::ops::Range<usize>, what: &str, n: u32) {
        if n > MAX_KIT_QUESTIONS {
            self.add(
                span,
                format!(
                    "{what} is {n}; a kit may have at most {MAX_KIT_QUESTIONS} questions (see Limits in the README)"
                ),
            );
        }
    }

    /// A list over [`MAX_BLUEPRINT_ENTRIES`] is a problem.
    fn entries(&mut self, span: std::ops::Range<usize>, what: &str, n: usize) {
        if n > MAX_BLUEPRINT_ENTRIES {
            self.add(
                span,
                format!(
                    "{what} has {} entries; a blueprint may have at most {} (see Limits in the README)",
                    limits::thousands(n),
                    limits::thousands(MAX_BLUEPRINT_ENTRIES)
                ),
            );
        }
    }
}

impl Blueprint {
    /// The built-in `python-developer` blueprint, resolved against `bank`.
    ///
    /// It is made for the built-in bank: against a `--bank` it does not fit, each problem is
    /// named as the built-in blueprint's (not a file the user has), with how to pass another.
    pub fn builtin(bank: &Bank) -> Result<Blueprint> {
        const NAME: &str = "built-in blueprint python-developer";
        Self::parse("examples/blueprints/python-developer.toml", DEFAULT, bank).map_err(|e| {
            match e {
                Error::Invalid { problems } => {
                    let mut problems: Vec<Problem> = problems
                        .into_iter()
                        .map(|p| Problem::at(NAME, None, p.message))
                        .collect();
                    problems.push(Problem::at(
                        NAME,
                        None,
                        "the built-in blueprint is made for the built-in bank; for this bank pass a blueprint of your own with --blueprint FILE (see \"The blueprint format\" in the README)",
                    ));
                    Error::Invalid { problems }
                }
                other => other,
            }
        })
    }

    /// Reads a blueprint file and resolves it against `bank`.
    pub fn load(path: &Path, bank: &Bank) -> Result<Blueprint> {
        let text = limits::read_text(path, Input::Blueprint)?;
        Self::parse(&path.display().to_string(), &text, bank)
    }

    /// Parses blueprint TOML and resolves it against `bank`; `file` names it in messages.
    pub fn parse(file: &str, text: &str, bank: &Bank) -> Result<Blueprint> {
        limits::check_size(file, text.len() as u64, Input::Blueprint)?;
        let raw: RawBlueprint = toml::from_str(text).map_err(|err| Error::Invalid {
            problems: vec![toml_problem(file, text, &err)],
        })?;
        let mut report = Report {
            file,
            lines: Lines::new(text),
            problems: Vec::new(),
        };
        // Sizes first: past them every sum below fits in a `u32`.
        check_limits(&raw, &mut report);
        if !report.problems.is_empty() {
            return Err(Error::Invalid {
                problems: report.problems,
            });
        }

        let prefix = raw.code_prefix.get_ref();
        // I, L, O and U are left out of kit codes (Crockford's base 32): typed back, I and L
        // read as 1 and O as 0, so a prefix with them could not be replayed.
        if !(2..=4).contains(&prefix.len())
            || !prefix
                .bytes()
                .all(|b| b.is_ascii_uppercase() && !b"ILOU".contains(&b))
        {
            report.add(
                raw.code_prefix.span(),
                format!(
                    "`code_prefix` `{prefix}` must be 2 to 4 capital letters other than I, L, O and U, like `PY`"
                ),
            );
        }
        if raw.topics.get_ref().is_empty() {
            report.add(
                raw.topics.span(),
                "`topics` is empty; list at least one topic with its question count",
            );
        }

        let topics = resolve_topics(&raw, bank, &mut report);
        let total: u32 = topics.values().sum();
        if total > MAX_KIT_QUESTIONS {
            report.add(
                raw.topics.span(),
                format!(
                    "the topic counts add up to {total}; a kit may have at most {MAX_KIT_QUESTIONS} questions (see Limits in the README)"
                ),
            );
        }
        let levels = resolve_levels(&raw, total, &mut report);
        let topic_levels = resolve_topic_levels(&raw, &topics, &mut report);
        let (include, exclude) = resolve_references(&raw, bank, &topics, &mut report);

        let scale = match &raw.rubric {
            Some(rubric) if rubric.get_ref().scale.len() != LEVELS => {
                report.add(
                    rubric.span(),
                    format!(
                        "`rubric.scale` has {} names; give exactly {LEVELS}, lowest first",
                        rubric.get_ref().scale.len(),
                    ),
                );
                None
            }
            Some(rubric) => Some(rubric.get_ref().scale.clone()),
            None => None,
        };
        let (min_minutes, max_minutes) = resolve_minutes(&raw, &mut report);
        let at_most = resolve_caps(&raw, bank, &mut report);

        if !report.problems.is_empty() {
            return Err(Error::Invalid {
                problems: report.problems,
            });
        }
        Ok(Blueprint {
            name: raw.name,
            role: raw.role,
            code_prefix: raw.code_prefix.into_inner(),
            topics,
            levels,
            topic_levels,
            max_minutes,
            min_minutes,
            at_most,
            include,
            exclude,
            scale,
            writing_space: raw.writing_space,
            instructions: raw.instructions,
        })
    }

    /// Total number of questions in a kit.
    pub fn total(&self) -> usize {
        self.topics.values().map(|&c| c as usize).sum()
    }

    /// SHA-256 over the resolved blueprint's canonical JSON form, as lowercase hex.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let json = serde_json::to_vec(self).expect("a blueprint always serialises");
        crate::bank::hex(&Sha256::digest(json))
    }
}

/// Sizes, counts and texts within [the limits](crate::limits); weights and proportions
/// that add up to a finite number.
fn check_limits(raw: &RawBlueprint, report: &mut Report<'_>) {
    report.entries(raw.topics.span(), "`topics`", raw.topics.get_ref().len());
    for (field, list) in [("`include`", &raw.include), ("`exclude`", &raw.exclude)] {
        let span = list.first().map_or(0..0, Spanned::span);
        report.entries(span, field, list.len());
    }
    if let Some(questions) = &raw.questions {
        report.count(questions.span(), "`questions`", *questions.get_ref());
    }
    let mut weights = 0.0;
    for (topic, entry) in raw.topics.get_ref() {
        let what = format!("topic `{}`'s count", limits::shown(topic));
        match entry.get_ref() {
            RawTopic::Count(n) => report.count(entry.span(), &what, *n),
            RawTopic::Table(table) => {
                if let Some(n) = table.count {
                    report.count(entry.span(), &what, n);
                }
                for (level, n) in &table.levels {
                    let what = format!("topic `{}` level `{level}`", limits::shown(topic));
                    report.count(entry.span(), &what, *n);
                }
                weights += table.weight.unwrap_or_default();
            }
        }
    }
    if !f64::is_finite(weights) {
        report.add(
            raw.topics.span(),
            "the topic weights are too large to add up; use small numbers such as 1, 2 and 3",
        );
    }
    if let Some(levels) = &raw.levels {
        let mut proportions = 0.0;
        for (level, share) in levels.get_ref() {
            match share {
                RawShare::Count(n) => report.count(levels.span(), &format!("level `{level}`"), *n),
                RawShare::Proportion(p) => proportions += p,
            }
        }
        if !f64::is_finite(proportions) {
            report.add(
                levels.span(),
                "the level proportions are too large to add up; use shares such as 0.25 and 0.5",
            );
        }
    }
    let mut texts = vec![
        limits::name_problem("name", &raw.name),
        limits::name_problem("role", &raw.role),
        limits::text_problem("instructions", &raw.instructions, MAX_TEXT_CHARS),
    ];
    if let Some(rubric) = &raw.rubric {
        for name in &rubric.get_ref().scale {
            texts.push(limits::name_problem("rubric.scale", name));
        }
    }
    for message in texts.into_iter().flatten() {
        report.add(0..0, message);
    }
}

/// Exact counts per topic: explicit counts as given, weights apportioned over what `questions` leaves.
fn resolve_topics(
    raw: &RawBlueprint,
    bank: &Bank,
    report: &mut Report<'_>,
) -> BTreeMap<String, u32> {
    let mut counts = BTreeMap::new();
    let mut weights = Vec::new();
    for (topic, entry) in raw.topics.get_ref() {
        if bank.topic(topic).is_none() {
            report.add(
                entry.span(),
                format!(
                    "unknown topic `{}`; the bank has {}",
                    limits::shown(topic),
                    topic_list(bank)
                ),
            );
        }
        match entry.get_ref() {
            RawTopic::Count(0) | RawTopic::Table(RawTopicTable { count: Some(0), .. }) => report
                .add(
                    entry.span(),
                    format!(
                        "topic `{topic}` asks for 0 questions; remove it or ask for at least 1"
                    ),
                ),
            RawTopic::Count(n)
            | RawTopic::Table(RawTopicTable {
                count: Some(n),
                weight: None,
                ..
            }) => {
                counts.insert(topic.clone(), *n);
            }
            RawTopic::Table(RawTopicTable {
                count: None,
                weight: Some(w),
                ..
            }) if w.is_finite() && *w > 0.0 => weights.push((topic.clone(), *w)),
            RawTopic::Table(RawTopicTable {
                count: None,
                weight: Some(_),
                ..
            }) => report.add(
                entry.span(),
                format!("topic `{topic}`: `weight` must be a positive number"),
            ),
            RawTopic::Table(_) => report.add(
                entry.span(),
                format!("topic `{topic}`: give either `count` or `weight`, not both or neither"),
            ),
        }
    }
    let fixed: u32 = counts.values().sum();
    match (&raw.questions, weights.is_empty()) {
        (Some(questions), false) => {
            let left = questions.get_ref().checked_sub(fixed).unwrap_or(0);
            if left == 0 {
                report.add(
                    questions.span(),
                    format!(
                        "`questions` is {} but the counted topics already take {fixed}; raise `questions` so the weighted topics get some",
                        questions.get_ref()
                    ),
                );
            }
            let shares =
                largest_remainder(left, &weights.iter().map(|(_, w)| *w).collect::<Vec<_>>());
            for ((topic, _), share) in weights.into_iter().zip(shares) {
                if share > 0 {
                    counts.insert(topic, share);
                }
            }
        }
        (None, false) => report.add(
            raw.topics.span(),
            "topics with a `weight` need a total: add `questions = N` at the top",
        ),
        (Some(questions), true) if *questions.get_ref() != fixed => report.add(
            questions.span(),
            format!(
                "`questions` is {} but the topic counts add up to {fixed}; make them agree",
                questions.get_ref()
            ),
        ),
        _ => {}
    }
    counts
}

/// Overall level mix as exact counts: counts as given, proportions apportioned over `total`.
fn resolve_levels(raw: &RawBlueprint, total: u32, report: &mut Report<'_>) -> BTreeMap<Level, u32> {
    let Some(levels) = &raw.levels else {
        return BTreeMap::new();
    };
    let shares: Vec<(Level, RawShare)> = levels.get_ref().iter().map(|(l, s)| (*l, *s)).collect();
    let counts: BTreeMap<Level, u32> =
        if shares.iter().all(|(_, s)| matches!(s, RawShare::Count(_))) {
            shares
                .iter()
                .filter_map(|(l, s)| match s {
                    RawShare::Count(n) => Some((*l, *n)),
                    RawShare::Proportion(_) => None,
                })
                .collect()
        } else {
            let weights: Vec<f64> = shares
                .iter()
                .map(|(_, s)| match s {
                    RawShare::Count(n) => f64::from(*n),
                    RawShare::Proportion(p) => *p,
                })
                .collect();
            if weights.iter().any(|w| !w.is_finite() || *w < 0.0)
                || weights.iter().sum::<f64>() <= 0.0
            {
                report.add(
                    levels.span(),
                    "level proportions must be non-negative and not all zero",
                );
                return BTreeMap::new();
            }
            shares
                .iter()
                .map(|(l, _)| *l)
                .zip(largest_remainder(total, &weights))
                .collect()
        };
    let sum: u32 = counts.values().sum();
    if sum != total {
        report.add(
            levels.span(),
            format!("the `levels` counts add up to {sum} but the topic counts add up to {total}; make them agree"),
        );
    }
    counts.into_iter().filter(|(_, n)| *n > 0).collect()
}

/// Per-topic level mixes; each must add up to its topic's count.
fn resolve_topic_levels(
    raw: &RawBlueprint,
    topics: &BTreeMap<String, u32>,
    report: &mut Report<'_>,
) -> BTreeMap<String, BTreeMap<Level, u32>> {
    let mut mixes = BTreeMap::new();
    for (topic, entry) in raw.topics.get_ref() {
        let RawTopic::Table(table) = entry.get_ref() else {
            continue;
        };
        if table.levels.is_empty() {
            continue;
        }
        let sum: u32 = table.levels.values().sum();
        let count = topics.get(topic).copied().unwrap_or(0);
        if sum != count {
            report.add(
                entry.span(),
                format!("topic `{topic}`: its `levels` add up to {sum} but it has {count} question(s); make them agree"),
            );
        }
        let mix: BTreeMap<Level, u32> = table
            .levels
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(l, n)| (*l, *n))
            .collect();
        mixes.insert(topic.clone(), mix);
    }
    mixes
}

/// `include` and `exclude` entries (`id` or `tag:name`) as question ids.
fn resolve_references(
    raw: &RawBlueprint,
    bank: &Bank,
    topics: &BTreeMap<String, u32>,
    report: &mut Report<'_>,
) -> (Vec<String>, Vec<String>) {
    let mut resolve = |entries: &[Spanned<String>], field: &str| -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for entry in entries {
            let reference = entry.get_ref();
            if let Some(tag) = reference.strip_prefix("tag:") {
                let tagged: Vec<&str> = bank
                    .questions
                    .iter()
                    .filter(|q| q.tags.iter().any(|t| t == tag))
                    .map(|q| q.id.as_str())
                    .collect();
                if tagged.is_empty() {
                    report.add(
                        entry.span(),
                        format!("`{field}`: no question has tag `{}`", limits::shown(tag)),
                    );
                }
                ids.extend(tagged.into_iter().map(str::to_owned));
            } else if bank.question(reference).is_some() {
                ids.insert(reference.clone());
            } else {
                report.add(
                    entry.span(),
                    format!(
                        "`{field}`: no question has id `{}`; `interview-kit bank list` shows the ids",
                        limits::shown(reference)
                    ),
                );
            }
        }
        ids
    };
    let include = resolve(&raw.include, "include");
    let exclude = resolve(&raw.exclude, "exclude");
    for id in include.intersection(&exclude) {
        report.add(
            raw.topics.span().start..raw.topics.span().start,
            format!("question `{id}` is both included and excluded; keep one"),
        );
    }
    let mut per_topic: BTreeMap<&str, u32> = BTreeMap::new();
    for id in &include {
        if let Some(q) = bank.question(id) {
            if !topics.contains_key(&q.topic) {
                report.add(
                    raw.topics.span(),
                    format!("included question `{id}` is in topic `{}`, which the blueprint does not ask for; add the topic", q.topic),
                );
            }
            *per_topic.entry(q.topic.as_str()).or_default() += 1;
        }
    }
    for (topic, n) in per_topic {
        if let Some(&count) = topics.get(topic)
            && n > count
        {
            report.add(
                raw.topics.span(),
                format!("{n} included questions are in topic `{topic}` but it asks for only {count}; raise its count"),
            );
        }
    }
    (include.into_iter().collect(), exclude.into_iter().collect())
}

/// `minutes`: an upper bound, or a `{ min, max }` band.
fn resolve_minutes(raw: &RawBlueprint, report: &mut Report<'_>) -> (Option<u32>, Option<u32>) {
    let Some(minutes) = &raw.minutes else {
        return (None, None);
    };
    let (min, max) = match minutes.get_ref() {
        RawMinutes::AtMost(max) => (None, Some(*max)),
        RawMinutes::Range(RawRange { min, max }) => (*min, *max),
    };
    if min.is_none() && max.is_none() {
        report.add(
            minutes.span(),
            "`minutes` needs `min`, `max` or both, like `minutes = { min = 55, max = 65 }`",
        );
    }
    if min == Some(0) || max == Some(0) {
        report.add(minutes.span(), "`minutes` must be at least 1");
    }
    if let (Some(low), Some(high)) = (min, max)
        && low > high
    {
        report.add(
            minutes.span(),
            format!("`minutes`: `min` ({low}) is above `max` ({high}); swap them"),
        );
    }
    (min, max)
}

/// `[at_most]`: a cap per reference (`tag:name` or an id). A tag no question carries yet is
/// allowed (the cap has nothing to limit), an unknown id is not.
fn resolve_caps(raw: &RawBlueprint, bank: &Bank, report: &mut Report<'_>) -> BTreeMap<String, Cap> {
    let Some(table) = &raw.at_most else {
        return BTreeMap::new();
    };
    report.entries(table.span(), "`at_most`", table.get_ref().len());
    let mut caps = BTreeMap::new();
    for (reference, &max) in table.get_ref() {
        report.count(
            table.span(),
            &format!("`at_most` `{}`", limits::shown(reference)),
            max,
        );
        let ids: Vec<String> = if let Some(tag) = reference.strip_prefix("tag:") {
            bank.questions
                .iter()
                .filter(|q| q.tags.iter().any(|t| t == tag))
                .map(|q| q.id.clone())
                .collect()
        } else if bank.question(reference).is_some() {
            vec![reference.clone()]
        } else {
            report.add(
                table.span(),
                format!(
                    "`at_most`: `{}` is neither `tag:NAME` nor a question id; `interview-kit bank list` shows the ids",
                    limits::shown(reference)
                ),
            );
            continue;
        };
        caps.insert(reference.clone(), Cap { max, ids });
    }
    caps
}

/// Splits `total` in proportion to `weights` by the largest remainder method.
///
/// Each share gets the floor of its quota; the units left go to the largest fractional
/// remainders, ties to the earlier entry, so the result is deterministic and sums to `total`.
pub fn largest_remainder(total: u32, weights: &[f64]) -> Vec<u32> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let quotas: Vec<f64> = weights.iter().map(|w| f64::from(total) * w / sum).collect();
    let mut shares: Vec<u32> = quotas.iter().map(|q| q.floor() as u32).collect();
    let given: u32 = shares.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = quotas[a] - quotas[a].floor();
        let rb = quotas[b] - quotas[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().take(total.saturating_sub(given) as usize) {
        shares[i] += 1;
    }
    shares
}

/// The bank's topic ids for a message; a bank of hundreds of topics is cut short.
fn topic_list(bank: &Bank) -> String {
    const SHOWN: usize = 30;
    let mut list = bank
        .topics
        .iter()
        .take(SHOWN)
        .map(|t| format!("`{}`", t.id))
        .collect::<Vec<_>>()
        .join(", ");
    if bank.topics.len() > SHOWN {
        list.push_str(&format!(" and {} more", bank.topics.len() - SHOWN));
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Bank {
        Bank::builtin().unwrap()
    }

    fn parse(text: &str) -> Result<Blueprint> {
        Blueprint::parse("bp.toml", text, &bank())
    }

    #[test]
    fn builtin_blueprint_is_an_hour_of_the_headline_topics() {
        let bp = Blueprint::builtin(&bank()).unwrap();
        assert_eq!(bp.total(), 8);
        assert_eq!(bp.topics.len(), 5);
        assert_eq!(bp.levels.values().sum::<u32>(), 8);
        assert_eq!((bp.min_minutes, bp.max_minutes), (Some(55), Some(65)));
        assert_eq!(bp.at_most["tag:internals"].max, 1);
    }

    #[test]
    fn mistyped_values_say_what_the_entry_takes() {
        let cases = [
            (
                "[topics]\noop = \"three\"\n",
                "line 4: a topic takes a whole number",
            ),
            (
                "[topics]\noop = { count = 2, levels = { junor = 1 } }\n",
                "line 4: a topic takes",
            ),
            (
                "minutes = \"an hour\"\n[topics]\noop = 2\n",
                "line 3: `minutes` is a whole number",
            ),
            (
                "levels = { mid = \"most\" }\n[topics]\noop = 2\n",
                "line 3: a level takes",
            ),
        ];
        for (tail, expected) in cases {
            let err = parse(&format!("name = \"x\"\nrole = \"r\"\n{tail}"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{tail}: {err}");
            assert!(!err.contains("untagged"), "{err}");
        }
        let err = parse("name = \"x\"\n[topics]\noop = 2\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field `role`; add it"), "{err}");
    }

    #[test]
    fn minutes_bands_and_caps_resolve_or_are_reported() {
        let bp = parse(
            "name = \"x\"\nrole = \"r\"\nminutes = { min = 20, max = 30 }\n[topics]\noop = 2\n[at_most]\n\"tag:nothing-yet\" = 1\n\"oop-super-mro\" = 0\n",
        )
        .unwrap();
        assert_eq!((bp.min_minutes, bp.max_minutes), (Some(20), Some(30)));
        assert!(bp.at_most["tag:nothing-yet"].ids.is_empty());
        assert_eq!(bp.at_most["oop-super-mro"].ids, ["oop-super-mro"]);
        let err = parse(
            "name = \"x\"\nrole = \"r\"\nminutes = { min = 40, max = 30 }\n[topics]\noop = 2\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "`bp.toml` line 3: `minutes`: `min` (40) is above `max` (30); swap them"
        );
        let err = parse("name = \"x\"\nrole = \"r\"\n[topics]\noop = 2\n[at_most]\nnope = 1\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`at_most`: `nope` is neither `tag:NAME` nor a question id"),
            "{err}"
        );
        // A blueprint without the new keys keeps its old fingerprint (old kit codes replay).
        let plain = parse("name = \"x\"\nrole = \"r\"\nminutes = 30\n[topics]\noop = 2\n").unwrap();
        let json = serde_json::to_string(&plain).unwrap();
        assert!(
            !json.contains("min_minutes") && !json.contains("at_most"),
            "{json}"
        );
    }

    #[test]
    fn largest_remainder_is_exact_and_fair() {
        assert_eq!(largest_remainder(10, &[1.0, 1.0, 1.0]), [4, 3, 3]);
        assert_eq!(largest_remainder(7, &[0.5, 0.3, 0.2]), [4, 2, 1]);
        assert_eq!(largest_remainder(0, &[1.0]), [0]);
        assert_eq!(largest_remainder(5, &[2.0, 0.0]), [5, 0]);
    }

    #[test]
    fn weights_and_proportions_resolve_to_counts() {
        let bp = parse(
            "name = \"x\"\nrole = \"r\"\nquestions = 6\n[topics]\noop = { weight = 2 }\ntesting = { weight = 1 }\n[levels]\njunior = 0.5\nmid = 0.5\n",
        )
        .unwrap();
        assert_eq!(bp.topics["oop"], 4);
        assert_eq!(bp.topics["testing"], 2);
        assert_eq!(bp.levels[&Level::Junior], 3);
        assert_eq!(bp.levels[&Level::Mid], 3);
    }

    #[test]
    fn tags_resolve_to_ids_and_unknown_references_are_named() {
        let bp = parse("name = \"x\"\nrole = \"r\"\nexclude = [\"tag:gil\"]\n[topics]\noop = 2\n")
            .unwrap();
        assert!(!bp.exclude.is_empty());
        let err = parse("name = \"x\"\nrole = \"r\"\ninclude = [\"nope\"]\n[topics]\noop = 2\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("`bp.toml` line 3: `include`: no question has id `nope`"),
            "{err}"
        );
    }

    #[test]
    fn mismatched_totals_are_reported_with_line() {
        let err = parse("name = \"x\"\nrole = \"r\"\nquestions = 3\n[topics]\noop = 2\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "`bp.toml` line 3: `questions` is 3 but the topic counts add up to 2; make them agree"
        );
    }

    #[test]
    fn unknown_level_is_a_parse_error_with_line() {
        let err = parse("name = \"x\"\nrole = \"r\"\n[topics]\noop = 2\n[levels]\nexpert = 2\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("`bp.toml` line 6:"), "{err}");
    }

    #[test]
    fn unknown_topic_names_line_and_known_topics() {
        let err = parse("name = \"x\"\nrole = \"r\"\n[topics]\nrust = 2\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("`bp.toml` line 4: unknown topic `rust`; the bank has `"),
            "{err}"
        );
    }

    #[test]
    fn counts_over_the_limit_are_refused_before_they_are_added() {
        // Regression: these counts overflowed `u32` when summed (a panic in debug builds).
        let err = parse(
            "name = \"x\"\nrole = \"r\"\n[topics]\noop = 4000000000\ntesting = { count = 1, levels = { mid = 4000000000, senior = 4000000000 } }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("`bp.toml` line 4: topic `oop`'s count is 4000000000; a kit may have at most 200 questions"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 3, "{err}");
        let err = parse("name = \"x\"\nrole = \"r\"\n[topics]\noop = 150\ntesting = 150\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("the topic counts add up to 300"), "{err}");
        let err = parse(
            "name = \"x\"\nrole = \"r\"\nquestions = 4\n[topics]\noop = 1\n[levels]\njunior = 1e308\nmid = 1e308\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("level proportions are too large"), "{err}");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = parse("name = \"x\"\nrole = \"r\"\ncolour = 1\n[topics]\noop = 2\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("`bp.toml` line 3: unknown field `colour`"),
            "{err}"
        );
    }
}
