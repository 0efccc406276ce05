//! Spreadsheet banks: CSV bytes to a validated [`Bank`] and back, one row per question.

use std::collections::BTreeMap;
use std::path::Path;

use super::load::QuestionLines;
use super::validate::{KEY_POINTS, Located, is_slug, validate};
use super::{Bank, Exercise, Level, Question, RubricOverride, Topic};
use crate::csv_input::{Table, header_key};
use crate::error::{Error, Problem, Result};
use crate::limits::{self, Input, MAX_QUESTIONS};
use crate::rubric::LEVELS;

/// Every column, in the order export writes them.
pub const COLUMNS: [&str; 27] = [
    "id",
    "title",
    "topic",
    "topic_title",
    "topic_description",
    "family",
    "level",
    "minutes",
    "prompt",
    "code",
    "artifact",
    "purpose",
    "competency",
    "answer",
    "key_points",
    "depth_points",
    "follow_ups",
    "red_flags",
    "weak_answer",
    "strong_answer",
    "tags",
    "source",
    "rubric_levels",
    "exercise_module",
    "exercise_starter",
    "exercise_tests",
    "exercise_solution",
];

/// The columns of a practical exercise: all filled in, or all empty.
const EXERCISE: [&str; 4] = [
    "exercise_module",
    "exercise_starter",
    "exercise_tests",
    "exercise_solution",
];

/// Columns an imported file must have; the others may be left out.
pub const REQUIRED: [&str; 8] = [
    "id",
    "topic",
    "level",
    "minutes",
    "prompt",
    "purpose",
    "answer",
    "key_points",
];

/// Name of the exported file in messages.
const EXPORT: &str = "bank.csv";

/// How the bank is written, through the crate's one CSV writer: RFC 4180 with CRLF
/// between rows, quoting only where needed, and no formula guard, because an export must
/// read back to exactly the same bank.
fn writer() -> crate::export::CsvWriter {
    crate::export::CsvOptions {
        crlf: true,
        formula_guard: false,
        ..crate::export::CsvOptions::default()
    }
    .writer(EXPORT)
}

/// Reads the spreadsheet bank at `path`, refusing a file over the size limit before reading it.
pub fn load(path: &Path) -> Result<Bank> {
    let bytes = limits::read(path, Input::CsvBank)?;
    parse(&path.display().to_string(), &bytes)
}

/// Reads a spreadsheet bank; `file` names it in messages.
///
/// The file is read as spreadsheets save it ([`Table::read`]: BOM, CRLF, the delimiter `,`
/// `;` tab or `|` found from the header), and header names ignore case, spaces and
/// underscores (`Key Points` is `key_points`). Every problem of every
/// row is reported at once, each with its row and column; nothing is returned on any error.
/// Rows are numbered as a spreadsheet shows them (the header is row 1, the first question
/// row 2) and reported as the `line` of each [`Problem`].
pub fn parse(file: &str, bytes: &[u8]) -> Result<Bank> {
    limits::check_size(file, bytes.len() as u64, Input::CsvBank)?;
    let table = Table::read(file, bytes, &COLUMNS)?;
    if table.header.is_empty() {
        return Err(Error::invalid(
            file,
            None,
            format!(
                "the file is empty; its first row must name the columns, at least {}",
                names(&REQUIRED)
            ),
        ));
    }
    let header = &table.header;
    let columns = read_header(file, &table)?;

    let mut problems = Vec::new();
    let mut topics: BTreeMap<String, TopicRows> = BTreeMap::new();
    let mut first_row: BTreeMap<String, usize> = BTreeMap::new();
    let mut questions = Vec::new();
    let mut filled = 0;
    for record in &table.rows {
        let row = record.number;
        filled += 1;
        if filled > MAX_QUESTIONS {
            return Err(Error::invalid(
                file,
                Some(row),
                format!(
                    "the bank has more than {} questions, the limit (see Limits in the README); split it into several banks",
                    limits::thousands(MAX_QUESTIONS)
                ),
            ));
        }
        let mut at = Row {
            file,
            row,
            problems: &mut problems,
            failed: false,
        };
        if record.cells.len() != header.len() {
            at.fail(format!(
                "the row has {} cells but the header has {}; check for a stray or missing separator",
                record.cells.len(),
                header.len()
            ));
            continue;
        }
        let cells: BTreeMap<&'static str, &str> = columns
            .iter()
            .map(|(&name, &index)| (name, record.get(index)))
            .collect();
        // Ids are claimed before the rest of the row is read, so a duplicate is reported
        // even when the row it duplicates has problems of its own.
        let id = cells.get("id").map_or("", |id| id.trim());
        if !id.is_empty() {
            match first_row.get(id) {
                Some(first) => at.fail(format!(
                    "column `id`: duplicate question id `{id}` (first defined on line {first}); give one of them a new id"
                )),
                None => {
                    first_row.insert(id.to_owned(), row);
                }
            }
        }
        let Some(question) = read_question(&mut at, &cells) else {
            continue;
        };
        let topic = topics.entry(question.topic.clone()).or_insert(TopicRows {
            first_row: row,
            title: None,
            description: None,
        });
        topic.merge(
            &mut at,
            &question.topic,
            "topic_title",
            cells.get("topic_title"),
        );
        topic.merge(
            &mut at,
            &question.topic,
            "topic_description",
            cells.get("topic_description"),
        );
        if at.failed {
            continue;
        }
        let lines = QuestionLines {
            topic: Some(row),
            minutes: row,
            key_points: row,
        };
        questions.push((Located::new(file, row, question), lines));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(Error::Invalid { problems });
    }
    if questions.is_empty() {
        return Err(Error::invalid(
            file,
            None,
            "the file has a header but no questions; add one row per question",
        ));
    }
    let topics = topics
        .into_iter()
        .map(|(id, rows)| {
            let topic = Topic {
                title: rows.title.unwrap_or_else(|| id.clone()),
                description: rows.description.unwrap_or_default(),
                id,
            };
            Located::new(file, rows.first_row, topic)
        })
        .collect();
    // The checks above cover every rule with a column name; this is the same gate TOML banks pass.
    validate(topics, questions)
}

/// Renders `bank` as CSV: the [`COLUMNS`] header, then one row per question in id order.
///
/// List cells hold one item per line. Nothing is neutralised for spreadsheets: an export
/// must read back to exactly the same bank. The bank must be representable: every topic
/// has a question and no list item is empty, padded with spaces or spans lines.
pub fn to_csv(bank: &Bank) -> Result<Vec<u8>> {
    check_representable(bank)?;
    let mut writer = writer();
    writer.row(COLUMNS)?;
    for q in &bank.questions {
        let topic = bank.topic(&q.topic);
        let exercise = |part: fn(&Exercise) -> &String| {
            q.exercise.as_ref().map(part).cloned().unwrap_or_default()
        };
        let row: [String; 27] = [
            q.id.clone(),
            q.title.clone().unwrap_or_default(),
            q.topic.clone(),
            topic.map(|t| t.title.clone()).unwrap_or_default(),
            topic.map(|t| t.description.clone()).unwrap_or_default(),
            q.family.clone().unwrap_or_default(),
            q.level.to_string(),
            q.minutes.to_string(),
            q.prompt.clone(),
            q.code.clone().unwrap_or_default(),
            q.artifact.clone().unwrap_or_default(),
            q.purpose.clone(),
            q.competency.clone().unwrap_or_default(),
            q.answer.clone(),
            join_list(&q.key_points),
            join_list(&q.depth_points),
            join_list(&q.follow_ups),
            join_list(&q.red_flags),
            q.weak_answer.clone().unwrap_or_default(),
            q.strong_answer.clone().unwrap_or_default(),
            join_list(&q.tags),
            join_list(&q.source),
            q.rubric
                .as_ref()
                .map(|r| join_list(&r.levels))
                .unwrap_or_default(),
            exercise(|e| &e.module),
            exercise(|e| &e.starter),
            exercise(|e| &e.tests),
            exercise(|e| &e.solution),
        ];
        writer.row(&row)?;
    }
    writer.finish()
}

/// Splits a list cell: one item per line, or per `;` when the cell is a single line.
///
/// Items are trimmed (this also drops the `\r` of Windows line breaks) and empty ones skipped.
pub fn split_list(cell: &str) -> Vec<String> {
    let separator = if cell.contains('\n') { '\n' } else { ';' };
    cell.split(separator)
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Joins list items one per line, the inverse of [`split_list`] for trimmed one-line items.
pub fn join_list(items: &[String]) -> String {
    let mut cell = items.join("\n");
    // A lone item with a `;` would be split on import; a trailing line break makes the
    // cell a one-item-per-line list, and the empty last line is skipped on the way back.
    if items.len() == 1 && cell.contains(';') {
        cell.push('\n');
    }
    cell
}

/// Header names → column index, or every problem with the header (all on row 1).
///
/// Names match [`header_key`]-insensitively: `Key Points` is `key_points`.
fn read_header(file: &str, table: &Table) -> Result<BTreeMap<&'static str, usize>> {
    let mut problems = Vec::new();
    let mut columns: BTreeMap<&'static str, usize> = BTreeMap::new();
    let known = |name: &str| COLUMNS.iter().find(|c| header_key(c) == header_key(name));
    if !table.header.iter().any(|name| known(name).is_some()) {
        // Nothing recognised: one message, not one per column.
        return Err(Error::invalid(
            file,
            Some(1),
            format!(
                "the header row names none of the bank's columns; it needs at least {}. Columns found: {}",
                names(&REQUIRED),
                table.found()
            ),
        ));
    }
    for (index, name) in table.header.iter().enumerate() {
        match known(name) {
            Some(&known) => {
                if columns.insert(known, index).is_some() {
                    problems.push(Problem::at(
                        file,
                        Some(1),
                        format!("column `{known}` appears twice in the header; keep one"),
                    ));
                }
            }
            None if name.is_empty() => problems.push(Problem::at(
                file,
                Some(1),
                format!(
                    "column {} has no name; name it or delete it (known columns: {})",
                    index + 1,
                    names(&COLUMNS)
                ),
            )),
            None => problems.push(Problem::at(
                file,
                Some(1),
                format!(
                    "unknown column `{}`; known columns are {}",
                    limits::shown(name),
                    names(&COLUMNS)
                ),
            )),
        }
    }
    for required in REQUIRED {
        if !columns.contains_key(required) {
            problems.push(Problem::at(
                file,
                Some(1),
                format!("missing required column `{required}`; add it to the header row"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(Error::Invalid { problems })
    }
}

/// Where problems of one row go; `failed` says whether this row produced any.
struct Row<'a> {
    file: &'a str,
    row: usize,
    problems: &'a mut Vec<Problem>,
    failed: bool,
}

impl Row<'_> {
    fn fail(&mut self, message: String) {
        self.problems
            .push(Problem::at(self.file, Some(self.row), message));
        self.failed = true;
    }
}

/// One row as a question; every problem is reported, `None` when there was any.
fn read_question(at: &mut Row<'_>, cells: &BTreeMap<&'static str, &str>) -> Option<Question> {
    let cell = |name: &str| cells.get(name).copied().unwrap_or_default();
    let list = |name: &str| split_list(cell(name));

    let id = slug_cell(at, "id", cell("id"), "question id");
    let topic = slug_cell(at, "topic", cell("topic"), "topic id");
    let level = match cell("level").parse::<Level>() {
        Ok(level) => Some(level),
        Err(_) if cell("level").trim().is_empty() => {
            at.fail("column `level`: the cell is empty; write junior, mid or senior".into());
            None
        }
        Err(message) => {
            at.fail(format!("column `level`: {message}"));
            None
        }
    };
    let minutes = match cell("minutes").trim().parse::<u32>() {
        Ok(0) => {
            at.fail("column `minutes`: must be at least 1".into());
            None
        }
        Ok(minutes) => Some(minutes),
        Err(_) => {
            at.fail(format!(
                "column `minutes`: `{}` is not a whole number of minutes; write e.g. 5",
                limits::shown(cell("minutes").trim())
            ));
            None
        }
    };
    for name in ["prompt", "purpose", "answer"] {
        if cell(name).trim().is_empty() {
            at.fail(format!("column `{name}`: the cell is empty; fill it in"));
        }
    }
    let key_points = list("key_points");
    let depth_points = list("depth_points");
    if !KEY_POINTS.contains(&(key_points.len() + depth_points.len())) {
        at.fail(format!(
            "columns `key_points` and `depth_points`: {} key point(s) together; write between {} and {}, one per line (or separated by `;`)",
            key_points.len() + depth_points.len(),
            KEY_POINTS.start(),
            KEY_POINTS.end()
        ));
    }
    let rubric_levels = list("rubric_levels");
    let rubric = if rubric_levels.is_empty() {
        None
    } else if rubric_levels.len() != LEVELS {
        at.fail(format!(
            "column `rubric_levels`: {} level(s); write exactly {}, lowest first, one per line, or leave the cell empty for the derived rubric",
            rubric_levels.len(),
            LEVELS
        ));
        None
    } else {
        Some(RubricOverride {
            levels: rubric_levels,
        })
    };
    let filled = EXERCISE
        .iter()
        .filter(|c| !cell(c).trim().is_empty())
        .count();
    let exercise = match filled {
        0 => None,
        4 => Some(Exercise {
            module: cell("exercise_module").trim().to_owned(),
            starter: cell("exercise_starter").to_owned(),
            tests: cell("exercise_tests").to_owned(),
            solution: cell("exercise_solution").to_owned(),
        }),
        _ => {
            at.fail(format!(
                "columns {}: an exercise needs all four filled in; fill the empty ones or clear them all",
                names(&EXERCISE)
            ));
            None
        }
    };
    if at.failed {
        return None;
    }
    let optional = |name: &str| {
        let text = cell(name);
        (!text.trim().is_empty()).then(|| text.to_owned())
    };
    Some(Question {
        id: id?,
        title: optional("title").map(|t| t.trim().to_owned()),
        topic: topic?,
        family: optional("family").map(|t| t.trim().to_owned()),
        level: level?,
        minutes: minutes?,
        prompt: cell("prompt").to_owned(),
        code: (!cell("code").is_empty()).then(|| cell("code").to_owned()),
        artifact: (!cell("artifact").is_empty()).then(|| cell("artifact").to_owned()),
        purpose: cell("purpose").to_owned(),
        competency: optional("competency").map(|t| t.trim().to_owned()),
        answer: cell("answer").to_owned(),
        key_points,
        depth_points,
        follow_ups: list("follow_ups"),
        red_flags: list("red_flags"),
        weak_answer: optional("weak_answer"),
        strong_answer: optional("strong_answer"),
        exercise,
        tags: list("tags"),
        source: list("source"),
        rubric,
    })
}

/// A trimmed slug cell, or a problem naming the column.
fn slug_cell(at: &mut Row<'_>, column: &str, value: &str, what: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        at.fail(format!("column `{column}`: the cell is empty; fill it in"));
        None
    } else if !is_slug(value) {
        at.fail(format!(
            "column `{column}`: {what} `{}` must be lowercase letters, digits and single dashes, like `oop-mro`",
            limits::shown(value)
        ));
        None
    } else {
        Some(value.to_owned())
    }
}

/// What the rows of one topic say about its title and description.
struct TopicRows {
    first_row: usize,
    title: Option<String>,
    description: Option<String>,
}

impl TopicRows {
    /// Takes the first non-empty value of `column`; a different one on a later row is a problem.
    fn merge(&mut self, at: &mut Row<'_>, topic: &str, column: &str, value: Option<&&str>) {
        let Some(&value) = value.filter(|v| !v.trim().is_empty()) else {
            return;
        };
        let (slot, what) = if column == "topic_title" {
            (&mut self.title, "title")
        } else {
            (&mut self.description, "description")
        };
        match slot {
            None => *slot = Some(value.to_owned()),
            Some(first) if first == value => {}
            Some(_) => at.fail(format!(
                "column `{column}`: topic `{topic}` has a different {what} on line {}; give every row of a topic the same {what}, or leave the cell empty",
                self.first_row
            )),
        }
    }
}

/// Refuses a bank the CSV format cannot carry exactly, naming the first thing in the way.
fn check_representable(bank: &Bank) -> Result<()> {
    let render = |message: String| Error::Render {
        document: EXPORT.into(),
        message,
    };
    for topic in &bank.topics {
        if !bank.questions.iter().any(|q| q.topic == topic.id) {
            return Err(render(format!(
                "topic `{}` has no questions, and a CSV bank knows topics only through their questions; add a question or remove the topic",
                topic.id
            )));
        }
    }
    for q in &bank.questions {
        for (field, items) in q.lists() {
            let column = field.replace('.', "_");
            for (n, item) in items.iter().enumerate() {
                if item.is_empty() || item.trim() != item || item.contains(['\n', '\r']) {
                    return Err(render(format!(
                        "question `{}`: item {} of `{column}` is empty, starts or ends with a space, or spans lines; a CSV list cell holds one trimmed line per item",
                        q.id,
                        n + 1
                    )));
                }
            }
        }
        for (column, text) in [("code", &q.code), ("artifact", &q.artifact)] {
            if text.as_deref() == Some("") {
                return Err(render(format!(
                    "question `{}`: `{column}` is an empty string, which a CSV cell cannot tell from none; remove it",
                    q.id
                )));
            }
        }
    }
    Ok(())
}

/// "`a`, `b` and `c`".
fn names(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|c| format!("`{c}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,topic,level,minutes,prompt,purpose,answer,key_points\n";

    fn one(row: &str) -> String {
        format!("{HEADER}{row}\n")
    }

    fn err(text: &str) -> String {
        parse("b.csv", text.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn lists_split_on_lines_or_semicolons() {
        assert_eq!(split_list("a; b ;c"), ["a", "b", "c"]);
        assert_eq!(split_list("a; b\r\nc\n\n"), ["a; b", "c"]);
        assert_eq!(split_list(""), Vec::<String>::new());
        assert_eq!(split_list(" ; "), Vec::<String>::new());
    }

    #[test]
    fn a_lone_item_with_a_semicolon_survives_the_round_trip() {
        for items in [
            vec!["a; b".to_owned()],
            vec!["a; b".to_owned(), "c".to_owned()],
            vec!["plain".to_owned()],
            vec![],
        ] {
            assert_eq!(split_list(&join_list(&items)), items);
        }
    }

    #[test]
    fn a_minimal_row_loads() {
        let bank = parse(
            "b.csv",
            one("q-one,t,Junior,5,Why?,Assesses x.,Because.,a;b;c").as_bytes(),
        )
        .unwrap();
        assert_eq!(bank.topics[0].title, "t");
        let q = &bank.questions[0];
        assert_eq!(q.level, Level::Junior);
        assert_eq!(q.key_points, ["a", "b", "c"]);
        assert_eq!(q.code, None);
    }

    #[test]
    fn the_builtin_bank_round_trips() {
        let bank = Bank::builtin().unwrap();
        let bytes = to_csv(&bank).unwrap();
        assert_eq!(parse("bank.csv", &bytes).unwrap(), bank);
    }

    #[test]
    fn unknown_and_missing_columns_are_named() {
        let e = err("id,topic,levle,minutes,prompt,purpose,answer,key_points\n");
        assert!(
            e.starts_with(
                "`b.csv` line 1: unknown column `levle`; known columns are `id`, `title`, `topic`"
            ),
            "{e}"
        );
        assert!(
            e.ends_with(
                "`b.csv` line 1: missing required column `level`; add it to the header row"
            ),
            "{e}"
        );
    }

    #[test]
    fn european_excel_files_load() {
        let text = "\u{feff}ID;Topic;Level;Minutes;Prompt;Purpose;Answer;Key Points\r\n\
                    q-one;t;mid;5;\"Why; really?\";Assesses x.;Because.;\"a\r\nb\r\nc\"\r\n";
        let bank = parse("b.csv", text.as_bytes()).unwrap();
        assert_eq!(bank.questions[0].prompt, "Why; really?");
        assert_eq!(bank.questions[0].key_points, ["a", "b", "c"]);
    }

    #[test]
    fn a_header_with_no_known_column_is_one_message() {
        assert_eq!(
            err("question:topic:level\nq:t:mid\n"),
            "`b.csv` line 1: the header row names none of the bank's columns; it needs at least `id`, `topic`, `level`, `minutes`, `prompt`, `purpose`, `answer` and `key_points`. Columns found: `question:topic:level` (split at `,`; `,` `;` tab and `|` are recognised)"
        );
    }

    #[test]
    fn bad_cells_name_row_and_column() {
        let e = err(&one("Q_1,t,expert,ten,,x,y,a"));
        assert_eq!(
            e,
            "`b.csv` line 2: column `id`: question id `Q_1` must be lowercase letters, digits and single dashes, like `oop-mro`\n\
             `b.csv` line 2: column `level`: unknown level `expert`; use junior, mid or senior\n\
             `b.csv` line 2: column `minutes`: `ten` is not a whole number of minutes; write e.g. 5\n\
             `b.csv` line 2: column `prompt`: the cell is empty; fill it in\n\
             `b.csv` line 2: columns `key_points` and `depth_points`: 1 key point(s) together; write between 3 and 6, one per line (or separated by `;`)"
        );
    }

    #[test]
    fn a_short_row_is_named() {
        let e = err(&one("q,t,mid,5"));
        assert_eq!(
            e,
            "`b.csv` line 2: the row has 4 cells but the header has 8; check for a stray or missing separator"
        );
    }

    #[test]
    fn conflicting_topic_titles_are_named() {
        let text = "id,topic,topic_title,level,minutes,prompt,purpose,answer,key_points\n\
                    a,t,One,mid,5,P?,Assesses x.,A.,a;b;c\n\
                    b,t,,mid,5,P?,Assesses x.,A.,a;b;c\n\
                    c,t,Two,mid,5,P?,Assesses x.,A.,a;b;c\n";
        assert_eq!(
            err(text),
            "`b.csv` line 4: column `topic_title`: topic `t` has a different title on line 2; give every row of a topic the same title, or leave the cell empty"
        );
    }

    #[test]
    fn unrepresentable_banks_are_refused_on_export() {
        let mut bank = Bank::builtin().unwrap();
        bank.questions[0].tags.push(" padded".into());
        let e = to_csv(&bank).unwrap_err().to_string();
        assert!(e.contains("starts or ends with a space"), "{e}");
    }

    #[test]
    fn a_bank_over_the_question_limit_stops_at_the_first_row_too_many() {
        let mut text = HEADER.to_owned();
        for i in 0..=MAX_QUESTIONS {
            text.push_str(&format!("q{i},t,mid,5,P?,Assesses x.,A.,a;b;c\n"));
        }
        assert_eq!(
            err(&text),
            format!(
                "`b.csv` line {}: the bank has more than 5,000 questions, the limit (see Limits in the README); split it into several banks",
                MAX_QUESTIONS + 2
            )
        );
    }

    #[test]
    fn names_reads_as_a_sentence() {
        assert_eq!(names(&["a"]), "`a`");
        assert_eq!(names(&["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
