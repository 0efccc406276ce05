//! Reading bank files: TOML text to raw records with line numbers, then to a validated [`Bank`].

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::validate::{Located, validate};
use super::{Bank, Exercise, Level, Question, RubricOverride, Topic};
use crate::error::{Error, Lines, Result, toml_problem};
use crate::limits::{self, Input, MAX_BANK_BYTES, MAX_BANK_FILES, MAX_QUESTIONS};

/// One bank file's name (as shown in messages) and text.
#[derive(Debug, Clone)]
pub struct Source {
    /// Name used in error messages, e.g. `bank/oop.toml`.
    pub name: String,
    /// The TOML text.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    topic: Topic,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    topic: Option<Spanned<String>>,
    #[serde(default)]
    family: Option<String>,
    level: Level,
    minutes: Spanned<u32>,
    prompt: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    artifact: Option<String>,
    purpose: String,
    #[serde(default)]
    competency: Option<String>,
    answer: String,
    key_points: Spanned<Vec<String>>,
    #[serde(default)]
    depth_points: Vec<String>,
    #[serde(default)]
    follow_ups: Vec<String>,
    #[serde(default)]
    red_flags: Vec<String>,
    #[serde(default)]
    weak_answer: Option<String>,
    #[serde(default)]
    strong_answer: Option<String>,
    #[serde(default)]
    exercise: Option<Exercise>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    source: Vec<String>,
    #[serde(default)]
    rubric: Option<RubricOverride>,
}

/// The bank at `path` (a folder of TOML files, or a `.csv` file), or the built-in bank.
pub fn load_path_or_builtin(path: Option<&Path>) -> Result<Bank> {
    match path {
        Some(path) => load_path(path),
        None => Bank::builtin(),
    }
}

/// Loads a bank folder of `*.toml` files, or a spreadsheet bank from a `.csv` file.
pub fn load_path(path: &Path) -> Result<Bank> {
    let is_csv = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("csv"));
    if is_csv && !path.is_dir() {
        return super::csv::load(path);
    }
    if path.is_file() {
        return Err(Error::invalid(
            path.display().to_string(),
            None,
            "a bank is a folder of `*.toml` files or a `.csv` file; this is neither",
        ));
    }
    load_dir(path)
}

/// Loads every `*.toml` file of `dir` (sorted by name) as one bank.
pub fn load_dir(dir: &Path) -> Result<Bank> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read bank folder", dir, e))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| Error::io("read bank folder", dir, e))?
            .path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            paths.push(path);
        }
    }
    paths.sort();
    // Counted before any file is read, so a folder of millions of files fails at once.
    if paths.len() > MAX_BANK_FILES {
        return Err(Error::invalid(
            dir.display().to_string(),
            None,
            format!(
                "the bank folder has {} `*.toml` files; a bank may have at most {} (see Limits in the README); merge topics or split the bank",
                limits::thousands(paths.len()),
                limits::thousands(MAX_BANK_FILES)
            ),
        ));
    }
    if paths.is_empty() {
        return Err(Error::invalid(
            dir.display().to_string(),
            None,
            "the bank folder has no `*.toml` files; add one per topic (see \"The bank format\" in the README, or `interview-kit bank export` for the built-in bank as a spreadsheet)",
        ));
    }
    let mut sources = Vec::with_capacity(paths.len());
    let mut total = 0;
    for path in &paths {
        let text = limits::read_text(path, Input::BankFile)?;
        total += text.len() as u64;
        if total > MAX_BANK_BYTES {
            return Err(too_big(&dir.display().to_string()));
        }
        sources.push(Source {
            name: path.display().to_string(),
            text,
        });
    }
    load_sources(&sources)
}

fn too_big(dir: &str) -> Error {
    Error::invalid(
        dir,
        None,
        format!(
            "the bank's files add up to more than {} MiB, the limit for a bank (see Limits in the README); split it into several banks",
            MAX_BANK_BYTES >> 20
        ),
    )
}

/// Parses and validates bank files given as text; all problems are reported together.
///
/// The [limits](crate::limits) hold here too: at most `MAX_BANK_FILES` files of at most
/// `MAX_FILE_BYTES` each and `MAX_BANK_BYTES` together, at most `MAX_QUESTIONS` questions.
pub fn load_sources(sources: &[Source]) -> Result<Bank> {
    // Messages about the whole bank name its folder (every source of a folder shares it).
    let bank = sources
        .first()
        .and_then(|s| Path::new(&s.name).parent())
        .map_or_else(|| "bank".to_owned(), |dir| dir.display().to_string());
    if sources.len() > MAX_BANK_FILES {
        return Err(Error::invalid(
            &bank,
            None,
            format!(
                "the bank has {} files; a bank may have at most {} (see Limits in the README)",
                limits::thousands(sources.len()),
                limits::thousands(MAX_BANK_FILES)
            ),
        ));
    }
    for source in sources {
        limits::check_size(&source.name, source.text.len() as u64, Input::BankFile)?;
    }
    if sources.iter().map(|s| s.text.len() as u64).sum::<u64>() > MAX_BANK_BYTES {
        return Err(too_big(&bank));
    }
    let mut problems = Vec::new();
    let mut topics = Vec::new();
    let mut questions = Vec::new();
    // Parsing is most of loading a bank: the files are parsed in parallel, then taken in order.
    let parsed: Vec<_> = {
        use rayon::prelude::*;
        sources
            .par_iter()
            .map(|source| toml::from_str::<RawFile>(&source.text))
            .collect()
    };
    for (source, parsed) in sources.iter().zip(parsed) {
        match parsed {
            Ok(raw) => {
                let lines = Lines::new(&source.text);
                let topic_line = lines.line(find_table(&source.text, "topic"));
                topics.push(Located::new(&source.name, topic_line, raw.topic.clone()));
                for q in raw.questions {
                    questions.push(lift(source, &lines, &raw.topic.id, q));
                }
            }
            Err(err) => problems.push(toml_problem(&source.name, &source.text, &err)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { problems });
    }
    if questions.len() > MAX_QUESTIONS {
        return Err(Error::invalid(
            &bank,
            None,
            format!(
                "the bank has {} questions; a bank may have at most {} (see Limits in the README); split it into several banks",
                limits::thousands(questions.len()),
                limits::thousands(MAX_QUESTIONS)
            ),
        ));
    }
    validate(topics, questions)
}

fn lift(
    source: &Source,
    lines: &Lines,
    file_topic: &str,
    raw: RawQuestion,
) -> (Located<Question>, QuestionLines) {
    let line = |offset: usize| lines.line(offset);
    let lines = QuestionLines {
        topic: raw.topic.as_ref().map(|t| line(t.span().start)),
        minutes: line(raw.minutes.span().start),
        key_points: line(raw.key_points.span().start),
    };
    let id_line = line(raw.id.span().start);
    let question = Question {
        id: raw.id.into_inner(),
        title: raw.title,
        topic: raw
            .topic
            .map(Spanned::into_inner)
            .unwrap_or_else(|| file_topic.to_owned()),
        family: raw.family,
        level: raw.level,
        minutes: raw.minutes.into_inner(),
        prompt: raw.prompt,
        code: raw.code,
        artifact: raw.artifact,
        purpose: raw.purpose,
        competency: raw.competency,
        answer: raw.answer,
        key_points: raw.key_points.into_inner(),
        depth_points: raw.depth_points,
        follow_ups: raw.follow_ups,
        red_flags: raw.red_flags,
        weak_answer: raw.weak_answer,
        strong_answer: raw.strong_answer,
        exercise: raw.exercise,
        tags: raw.tags,
        source: raw.source,
        rubric: raw.rubric,
    };
    (Located::new(&source.name, id_line, question), lines)
}

/// Lines of the fields that validation may complain about.
#[derive(Debug, Clone, Copy)]
pub(super) struct QuestionLines {
    pub topic: Option<usize>,
    pub minutes: usize,
    pub key_points: usize,
}

/// Byte offset of the `[name]` table header, or 0 when it is written inline.
fn find_table(text: &str, name: &str) -> usize {
    let header = format!("[{name}]");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with(&header) {
            return offset;
        }
        offset += line.len();
    }
    0
}
