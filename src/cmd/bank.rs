//! `interview-kit bank …`: list, show, stats, lint, import and export.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::emit;
use crate::cli::{BankArgs, BankCommand};
use interview_kit::bank::{self, Bank, Level, Question, Source, lint};
use interview_kit::error::{Error, Result};
use interview_kit::rubric::{self, Rubric};
use interview_kit::select::{self, Blueprint};

/// Longest prompt preview in `bank list`, in characters.
const PREVIEW: usize = 72;

/// Most suggestions offered for an unknown question id.
const SUGGESTIONS: usize = 5;

pub(super) fn execute(args: &BankArgs, out: &mut dyn Write) -> Result<()> {
    let path = args.bank.as_deref();
    let load = || bank::load_path_or_builtin(path);
    match &args.command {
        BankCommand::List(a) => {
            let filter = Filter {
                topics: a.topic.clone(),
                levels: a.level.iter().map(|&l| Level::from(l)).collect(),
                tags: a.tag.clone(),
            };
            list(&load()?, &filter, a.json, out)
        }
        BankCommand::Show(a) => show(&load()?, &a.id, a.json, out),
        BankCommand::Stats(a) => stats(&load()?, &a.blueprint, a.json, out),
        BankCommand::Lint(a) => run_lint(path, &a.blueprint, a.json, out),
        BankCommand::Import(a) => import(path, &a.file, &a.out, a.force, out),
        // CSV is the only format clap accepts.
        BankCommand::Export(a) => export(&load()?, a.out.as_deref(), a.force, out),
    }
}

fn json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("plain data always serialises");
    text.push('\n');
    text
}

/// Which questions `bank list` shows: every non-empty criterion must match.
struct Filter {
    topics: Vec<String>,
    levels: Vec<Level>,
    tags: Vec<String>,
}

impl Filter {
    fn matches(&self, q: &Question) -> bool {
        (self.topics.is_empty() || self.topics.contains(&q.topic))
            && (self.levels.is_empty() || self.levels.contains(&q.level))
            && (self.tags.is_empty() || q.tags.iter().any(|t| self.tags.contains(t)))
    }
}

fn list(bank: &Bank, filter: &Filter, as_json: bool, out: &mut dyn Write) -> Result<()> {
    for topic in &filter.topics {
        if bank.topic(topic).is_none() {
            return Err(Error::Usage(format!(
                "unknown topic `{topic}`; the bank has {}",
                topic_ids(bank)
            )));
        }
    }
    let picked: Vec<&Question> = bank
        .questions
        .iter()
        .filter(|q| filter.matches(q))
        .collect();
    if as_json {
        return emit(out, json(&picked).as_bytes());
    }
    emit(out, list_table(&picked, bank.questions.len()).as_bytes())
}

/// The `bank list` table: id, topic, level, minutes and the start of the prompt.
fn list_table(questions: &[&Question], total: usize) -> String {
    let mut rows = vec![row(["id", "topic", "level", "min", "prompt"])];
    for q in questions {
        rows.push(row([
            &q.id,
            &q.topic,
            q.level.as_str(),
            &q.minutes.to_string(),
            &preview(&q.prompt, PREVIEW),
        ]));
    }
    let mut text = table(&rows, &[false, false, false, true, false]);
    text.push_str(&format!("{} of {total} questions\n", questions.len()));
    text
}

fn row<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// Columns padded to their widest cell, two spaces apart; `right` right-aligns a column.
/// The last column is not padded, so no line ends in spaces.
fn table(rows: &[Vec<String>], right: &[bool]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let pad = widths[c] - cell.chars().count();
            let last = c + 1 == r.len();
            if right.get(c).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if !last {
                    line.push_str(&" ".repeat(pad));
                }
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// `text` on one line, cut to `max` characters with an ellipsis.
fn preview(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

fn topic_ids(bank: &Bank) -> String {
    bank.topics
        .iter()
        .map(|t| format!("`{}`", t.id))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Serialize)]
struct Shown<'a> {
    question: &'a Question,
    rubric: Rubric,
}

fn show(bank: &Bank, id: &str, as_json: bool, out: &mut dyn Write) -> Result<()> {
    let Some(q) = bank.question(id) else {
        return Err(Error::Usage(unknown_id(bank, id)));
    };
    let rubric = rubric::derive(q, None, interview_kit::templates::Templates::builtin())?;
    if as_json {
        return emit(
            out,
            json(&Shown {
                question: q,
                rubric,
            })
            .as_bytes(),
        );
    }
    emit(out, show_text(bank, q, &rubric).as_bytes())
}

/// Every field of `q`, then its rubric.
fn show_text(bank: &Bank, q: &Question, rubric: &Rubric) -> String {
    let mut text = format!("{}\n", q.id);
    let title = bank.topic(&q.topic).map_or("", |t| t.title.as_str());
    let mut fields = vec![
        ("topic", format!("{} ({title})", q.topic)),
        ("level", q.level.to_string()),
        ("minutes", q.minutes.to_string()),
        ("tags", q.tags.join(", ")),
    ];
    if !q.source.is_empty() {
        fields.push(("source", q.source.join("; ")));
    }
    for (name, value) in fields {
        let line = format!("  {:<9}{value}", format!("{name}:"));
        text.push_str(line.trim_end());
        text.push('\n');
    }
    let block = |text: &mut String, heading: &str, body: &str, indent: &str| {
        text.push_str(&format!("\n{heading}\n"));
        for line in body.trim_end().lines() {
            text.push_str(format!("{indent}{line}").trim_end());
            text.push('\n');
        }
    };
    let bullets = |items: &[String]| {
        items
            .iter()
            .map(|i| format!("- {i}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    block(&mut text, "Prompt", q.prompt.trim(), "  ");
    if let Some(code) = &q.code {
        block(&mut text, "Code", code, "    ");
    }
    block(&mut text, "Purpose", q.purpose.trim(), "  ");
    block(&mut text, "Model answer", q.answer.trim(), "  ");
    block(
        &mut text,
        "Key points (listen for)",
        &bullets(&q.key_points),
        "  ",
    );
    block(&mut text, "Follow-ups", &bullets(&q.follow_ups), "  ");
    block(&mut text, "Red flags", &bullets(&q.red_flags), "  ");
    let origin = if q.rubric.is_some() {
        "hand-written"
    } else {
        "derived"
    };
    let levels = rubric
        .levels
        .iter()
        .map(|l| format!("{} {}: {}", l.score, l.label, l.descriptor))
        .collect::<Vec<_>>()
        .join("\n");
    block(
        &mut text,
        &format!("Rubric ({origin}); competency: {}", rubric.competency),
        &levels,
        "  ",
    );
    text
}

/// "unknown question id `oop-mr`; did you mean `oop-mro`?", with up to [`SUGGESTIONS`] near ids.
fn unknown_id(bank: &Bank, id: &str) -> String {
    let wanted = id.to_lowercase();
    let mut near: Vec<(usize, &str)> = bank
        .questions
        .iter()
        .filter_map(|q| {
            let distance = edit_distance(&wanted, &q.id);
            let close = distance <= (wanted.chars().count() / 4).max(2)
                || (wanted.len() >= 3 && q.id.contains(&wanted));
            close.then_some((distance, q.id.as_str()))
        })
        .collect();
    near.sort();
    near.truncate(SUGGESTIONS);
    let hint = "`interview-kit bank list` shows every id";
    if near.is_empty() {
        return format!("unknown question id `{id}`; {hint}");
    }
    let ids: Vec<String> = near.iter().map(|(_, id)| format!("`{id}`")).collect();
    format!(
        "unknown question id `{id}`; did you mean {}? ({hint})",
        ids.join(", ")
    )
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Questions and minutes of one (topic, level) cell, or of a row or the whole bank.
#[derive(Debug, Default, Clone, Copy, Serialize)]
struct Cell {
    questions: usize,
    minutes: u32,
}

impl Cell {
    fn add(&mut self, q: &Question) {
        self.questions += 1;
        self.minutes += q.minutes;
    }
}

#[derive(Serialize)]
struct TopicStats {
    id: String,
    title: String,
    levels: BTreeMap<Level, Cell>,
    total: Cell,
}

#[derive(Serialize)]
struct BlueprintStats {
    name: String,
    /// `built in` or the file given.
    file: String,
    /// Why the blueprint does not apply to this bank (a topic it names is missing).
    #[serde(skip_serializing_if = "Option::is_none")]
    not_applicable: Option<String>,
    questions_per_kit: usize,
    can_fill: bool,
    disjoint_kits: usize,
}

#[derive(Serialize)]
struct Stats {
    topics: Vec<TopicStats>,
    levels: BTreeMap<Level, Cell>,
    total: Cell,
    blueprints: Vec<BlueprintStats>,
}

fn stats(bank: &Bank, files: &[PathBuf], as_json: bool, out: &mut dyn Write) -> Result<()> {
    let mut blueprints = vec![match Blueprint::builtin(bank) {
        Ok(builtin) => blueprint_stats(bank, &builtin, "built in"),
        Err(err) => BlueprintStats {
            name: "python-developer".into(),
            file: "built in".into(),
            not_applicable: Some(err.to_string().lines().next().unwrap_or_default().into()),
            questions_per_kit: 0,
            can_fill: false,
            disjoint_kits: 0,
        },
    }];
    for file in files {
        let blueprint = Blueprint::load(file, bank)?;
        blueprints.push(blueprint_stats(
            bank,
            &blueprint,
            &file.display().to_string(),
        ));
    }
    let stats = count(bank, blueprints);
    if as_json {
        return emit(out, json(&stats).as_bytes());
    }
    emit(out, stats_text(&stats).as_bytes())
}

fn blueprint_stats(bank: &Bank, blueprint: &Blueprint, file: &str) -> BlueprintStats {
    let can_fill = select::can_fill(bank, blueprint);
    BlueprintStats {
        name: blueprint.name.clone(),
        file: file.to_owned(),
        not_applicable: None,
        questions_per_kit: blueprint.total(),
        can_fill,
        disjoint_kits: if can_fill {
            select::disjoint_kits(bank, blueprint)
        } else {
            0
        },
    }
}

fn count(bank: &Bank, blueprints: Vec<BlueprintStats>) -> Stats {
    let empty = || Level::ALL.iter().map(|&l| (l, Cell::default())).collect();
    let mut topics: Vec<TopicStats> = bank
        .topics
        .iter()
        .map(|t| TopicStats {
            id: t.id.clone(),
            title: t.title.clone(),
            levels: empty(),
            total: Cell::default(),
        })
        .collect();
    let mut levels: BTreeMap<Level, Cell> = empty();
    let mut total = Cell::default();
    for q in &bank.questions {
        if let Ok(i) = topics.binary_search_by(|t| t.id.as_str().cmp(&q.topic)) {
            topics[i].levels.entry(q.level).or_default().add(q);
            topics[i].total.add(q);
        }
        levels.entry(q.level).or_default().add(q);
        total.add(q);
    }
    Stats {
        topics,
        levels,
        total,
        blueprints,
    }
}

fn stats_text(stats: &Stats) -> String {
    let mut header = vec!["topic".to_owned()];
    header.extend(Level::ALL.iter().map(|l| l.to_string()));
    header.extend(["questions".to_owned(), "minutes".to_owned()]);
    let line = |name: &str, levels: &BTreeMap<Level, Cell>, total: Cell| {
        let mut cells = vec![name.to_owned()];
        cells.extend(
            Level::ALL
                .iter()
                .map(|l| levels.get(l).map_or(0, |c| c.questions).to_string()),
        );
        cells.extend([total.questions.to_string(), total.minutes.to_string()]);
        cells
    };
    let mut rows = vec![header];
    for t in &stats.topics {
        rows.push(line(&t.id, &t.levels, t.total));
    }
    rows.push(line("total", &stats.levels, stats.total));
    let mut right = vec![false];
    right.extend([true; 5]);
    let mut text = table(&rows, &right);
    let level_minutes: Vec<String> = Level::ALL
        .iter()
        .map(|l| format!("{l} {}", stats.levels.get(l).map_or(0, |c| c.minutes)))
        .collect();
    text.push_str(&format!(
        "{} topics; minutes by level: {}\n\n",
        stats.topics.len(),
        level_minutes.join(", ")
    ));
    for b in &stats.blueprints {
        let verdict = match &b.not_applicable {
            Some(why) => format!("does not apply to this bank: {why}"),
            None if b.can_fill => format!(
                "{} questions per kit; the bank can fill it; {} disjoint kit(s)",
                b.questions_per_kit, b.disjoint_kits
            ),
            None => format!(
                "{} questions per kit; the bank cannot fill it (run `interview-kit generate` with it to see what is short)",
                b.questions_per_kit
            ),
        };
        text.push_str(&format!("blueprint `{}` ({}): {verdict}\n", b.name, b.file));
    }
    text
}

#[derive(Serialize)]
struct LintReport<'a> {
    findings: &'a [lint::Finding],
    errors: usize,
    warnings: usize,
}

fn run_lint(
    path: Option<&Path>,
    files: &[PathBuf],
    as_json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let findings = match bank::load_path_or_builtin(path) {
        // A bank that does not load is the first thing lint must report, in its own format.
        Err(Error::Invalid { problems }) => lint::from_problems(&problems),
        Err(err) => return Err(err),
        Ok(bank) => {
            let mut findings = Vec::new();
            let mut blueprints = Vec::new();
            for file in files {
                match Blueprint::load(file, &bank) {
                    Ok(blueprint) => blueprints.push(blueprint),
                    Err(Error::Invalid { problems }) => {
                        findings.extend(lint::from_problems(&problems));
                    }
                    Err(err) => return Err(err),
                }
            }
            findings.extend(lint::lint(&bank, &blueprints));
            findings
        }
    };
    let errors = findings
        .iter()
        .filter(|f| f.severity == lint::Severity::Error)
        .count();
    let text = if as_json {
        json(&LintReport {
            findings: &findings,
            errors,
            warnings: findings.len() - errors,
        })
    } else {
        let mut text: String = findings.iter().map(|f| format!("{f}\n")).collect();
        text.push_str(&lint::summary(&findings));
        text.push('\n');
        text
    };
    emit(out, text.as_bytes())?;
    if errors > 0 {
        return Err(Error::LintFailed { errors });
    }
    Ok(())
}

fn import(
    bank_flag: Option<&Path>,
    file: &Path,
    dir: &Path,
    force: bool,
    out: &mut dyn Write,
) -> Result<()> {
    if bank_flag.is_some() {
        return Err(Error::Usage(
            "`--bank` does not apply to `bank import`: the bank comes from FILE.csv".into(),
        ));
    }
    let bank = bank::csv::load(file)?;
    let files = bank::to_toml_files(&bank)?;
    // Prove the files read back to this very bank before anything touches the disk.
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source {
            name: dir.join(name).display().to_string(),
            text: text.clone(),
        })
        .collect();
    if bank::load_sources(&sources)? != bank {
        return Err(Error::Render {
            document: "the bank's TOML files".into(),
            message: "they would not load back to the same bank; this is a bug, please report it"
                .into(),
        });
    }
    write_folder(dir, &files, force)?;
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    emit(
        out,
        format!(
            "imported {} questions in {} topics from {} into {} ({})\n",
            bank.questions.len(),
            bank.topics.len(),
            file.display(),
            dir.display(),
            names.join(", ")
        )
        .as_bytes(),
    )
}

/// Writes `files` as the folder `dir`, all or nothing.
///
/// The files go to a hidden temporary folder beside `dir`, which is renamed into place only
/// when every file is written. With `force` an existing `dir` is replaced, but only when it
/// holds nothing but `*.toml` files, so a mistyped `--out` cannot wipe an unrelated folder.
fn write_folder(dir: &Path, files: &BTreeMap<String, String>, force: bool) -> Result<()> {
    if dir.exists() {
        if !force {
            return Err(Error::OutputExists {
                path: dir.to_path_buf(),
            });
        }
        check_replaceable(dir)?;
    }
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = dir.file_name().ok_or_else(|| {
        Error::Usage(format!(
            "`{}` names no folder; pass --out DIR",
            dir.display()
        ))
    })?;
    let documents: Vec<interview_kit::output::Document> = files
        .iter()
        .map(|(name, text)| {
            interview_kit::output::Document::new(name.clone(), text.clone().into_bytes())
        })
        .collect();
    // The same all-or-nothing folder write as a kit's; replacing is allowed only after the
    // checks above.
    interview_kit::output::write_kit(parent, &name.to_string_lossy(), &documents, true)?;
    Ok(())
}

/// `--force` may replace a bank folder, never anything else.
fn check_replaceable(dir: &Path) -> Result<()> {
    let refuse = |why: String| {
        Error::io(
            "replace",
            dir,
            std::io::Error::other(format!("{why}; choose a new --out folder")),
        )
    };
    if !dir.is_dir() {
        return Err(refuse("it is a file, not a folder".into()));
    }
    let entries = fs::read_dir(dir).map_err(|e| Error::io("read folder", dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io("read folder", dir, e))?.path();
        if !(path.is_file() && path.extension().is_some_and(|ext| ext == "toml")) {
            return Err(refuse(format!(
                "it holds `{}`, which is not a bank file",
                path.file_name().unwrap_or_default().to_string_lossy()
            )));
        }
    }
    Ok(())
}

fn export(bank: &Bank, file: Option<&Path>, force: bool, out: &mut dyn Write) -> Result<()> {
    let bytes = bank::csv::to_csv(bank)?;
    let Some(file) = file else {
        return emit(out, &bytes);
    };
    if file.exists() && !force {
        return Err(Error::FileExists {
            path: file.to_path_buf(),
        });
    }
    interview_kit::output::write_file_atomic(file, &bytes)?;
    emit(
        out,
        format!(
            "exported {} questions in {} topics to {}\n",
            bank.questions.len(),
            bank.topics.len(),
            file.display()
        )
        .as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_and_never_end_in_spaces() {
        let rows = vec![row(["a", "bb", "c"]), row(["ccc", "d", "e"])];
        assert_eq!(
            table(&rows, &[false, true, false]),
            "a    bb  c\nccc   d  e\n"
        );
    }

    #[test]
    fn previews_are_cut_on_one_line() {
        assert_eq!(preview("a\n  b", 10), "a b");
        assert_eq!(preview("abcdefghij k", 6), "abcde…");
    }

    #[test]
    fn unknown_ids_suggest_near_ones() {
        let bank = Bank::builtin().unwrap();
        let id = &bank.questions[0].id;
        let typo = &id[..id.len() - 1];
        let message = unknown_id(&bank, typo);
        assert!(
            message.contains(&format!("did you mean `{id}`")),
            "{message}"
        );
        assert_eq!(
            unknown_id(&bank, "zzzzzzzzzzzzzzzz"),
            "unknown question id `zzzzzzzzzzzzzzzz`; `interview-kit bank list` shows every id"
        );
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("oop-mro", "oop-mro"), 0);
    }

    #[test]
    fn stats_count_every_question_once() {
        let bank = Bank::builtin().unwrap();
        let stats = count(&bank, Vec::new());
        assert_eq!(stats.total.questions, bank.questions.len());
        assert_eq!(
            stats
                .topics
                .iter()
                .map(|t| t.total.questions)
                .sum::<usize>(),
            bank.questions.len()
        );
    }
}
