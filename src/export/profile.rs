//! Export profiles: ATS-shaped CSV (and JSON) files described as data in `templates/profiles/NAME.toml`.
//!
//! A profile names its output file, its columns in order (each a handlebars template for the
//! header and one for the cell), and how the kit's four rubric levels map onto the target's
//! rating scale. It may add JSON files rendered from a `.json.hbs` template over the whole
//! kit. The code here only builds the data every template sees and writes the bytes, so a
//! new ATS is a new file, not new code.

use serde::Deserialize;
use serde_json::{Value, json};
use toml::Spanned;

use crate::error::{Error, Problem, Result, line_of};
use crate::kit::{Kit, KitQuestion};
use crate::output::Document;
use crate::rubric::LEVELS;
use crate::templates::Templates;

use super::csv::CsvOptions;

/// The profile of the scorecard every kit gets (`scorecard.csv`), the one `score` reads back.
pub const GENERIC: &str = "generic";

/// File names a profile may not write: the kit's own documents and the round's files.
const RESERVED: [&str; 10] = [
    "kit.json",
    "interviewer.pdf",
    "interviewer.md",
    "interviewer.html",
    "handout.pdf",
    "handout.md",
    "handout.html",
    "round.csv",
    "summary.csv",
    "summary.md",
];

/// A loaded profile: what it writes, and the names of its compiled templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The profile's name, its file name without `.toml`.
    pub name: String,
    /// One line on what the profile is for.
    pub description: String,
    /// The CSV file it writes into the kit folder.
    pub file: String,
    /// How the rubric levels read on the target's rating scale.
    pub scale: Scale,
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// Further JSON files rendered over the whole kit.
    pub json: Vec<JsonFile>,
    /// The file the profile came from, for messages.
    pub source: String,
}

/// The target's rating scale, one label per rubric level, lowest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    /// What the target calls its scale, e.g. "Greenhouse rating".
    pub name: String,
    /// The target's rating for rubric score 1, 2, 3 and 4.
    pub labels: Vec<String>,
}

/// One column: the registry names of its header and cell templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Template of the header, rendered once over the kit.
    pub header: String,
    /// Template of the cell, rendered once per question.
    pub value: String,
}

/// A JSON file a profile writes besides its CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonFile {
    /// File name in the kit folder, ending in `.json`.
    pub file: String,
    /// Registry name of its template, e.g. `profiles/lever.json.hbs`.
    pub template: String,
    /// Line of the `template` key in the profile file, for messages.
    pub line: usize,
}

/// A profile file read but not yet registered: the profile and its templates as
/// (registry name, text, line of the text in the file).
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) profile: Profile,
    pub(crate) templates: Vec<(String, String, usize)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    description: String,
    file: Spanned<String>,
    scale: RawScale,
    columns: Vec<RawColumn>,
    #[serde(default)]
    json: Vec<RawJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    name: String,
    labels: Spanned<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    header: Spanned<String>,
    value: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJson {
    file: Spanned<String>,
    template: Spanned<String>,
}

/// Reads the profile `name` from `text` (the file `file`), checking everything that does
/// not need the other templates; every problem is reported with its line.
pub(crate) fn parse(name: &str, file: &str, text: &str) -> Result<Parsed> {
    if !is_profile_name(name) {
        return Err(Error::invalid(
            file,
            None,
            format!(
                "`{name}` is not a usable profile name; name profile files with lowercase letters, digits and dashes, e.g. `my-ats.toml`"
            ),
        ));
    }
    let raw: RawProfile = toml::from_str(text).map_err(|e| Error::Invalid {
        problems: vec![crate::error::toml_problem(file, text, &e)],
    })?;
    let at = |span: std::ops::Range<usize>| Some(line_of(text, span.start));
    let mut problems = Vec::new();
    let out_file = raw.file.get_ref().trim().to_owned();
    if let Some(why) = bad_file_name(&out_file, ".csv") {
        problems.push(Problem::at(
            file,
            at(raw.file.span()),
            format!("`file = \"{out_file}\"`: {why}"),
        ));
    }
    if raw.scale.labels.get_ref().len() != LEVELS {
        problems.push(Problem::at(
            file,
            at(raw.scale.labels.span()),
            format!(
                "`scale.labels` has {} label(s); give exactly {LEVELS}, the target's rating for rubric scores 1 to {LEVELS}, lowest first",
                raw.scale.labels.get_ref().len()
            ),
        ));
    }
    if raw.columns.is_empty() {
        problems.push(Problem::at(
            file,
            None,
            "the profile has no `[[columns]]`; add one table per column with `header` and `value`",
        ));
    }
    let mut templates = Vec::new();
    let mut columns = Vec::new();
    for (i, column) in raw.columns.iter().enumerate() {
        let header = format!("profiles/{name}.toml#columns.{i}.header");
        let value = format!("profiles/{name}.toml#columns.{i}.value");
        templates.push((
            header.clone(),
            column.header.get_ref().clone(),
            line_of(text, column.header.span().start),
        ));
        templates.push((
            value.clone(),
            column.value.get_ref().clone(),
            line_of(text, column.value.span().start),
        ));
        columns.push(Column { header, value });
    }
    let mut json = Vec::new();
    for extra in &raw.json {
        let json_file = extra.file.get_ref().trim().to_owned();
        if let Some(why) = bad_file_name(&json_file, ".json") {
            problems.push(Problem::at(
                file,
                at(extra.file.span()),
                format!("`file = \"{json_file}\"`: {why}"),
            ));
        }
        let template = extra.template.get_ref().trim();
        if bad_file_name(template, ".hbs").is_some() {
            problems.push(Problem::at(
                file,
                at(extra.template.span()),
                format!(
                    "`template = \"{template}\"`: name a `.hbs` file next to this profile, e.g. `{name}.json.hbs`"
                ),
            ));
        }
        json.push(JsonFile {
            file: json_file,
            template: format!("profiles/{template}"),
            line: line_of(text, extra.template.span().start),
        });
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { problems });
    }
    Ok(Parsed {
        profile: Profile {
            name: name.to_owned(),
            description: raw.description.trim().to_owned(),
            file: out_file,
            scale: Scale {
                name: raw.scale.name,
                labels: raw.scale.labels.into_inner(),
            },
            columns,
            json,
            source: file.to_owned(),
        },
        templates,
    })
}

fn is_profile_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Why `name` cannot be an output file ending in `extension`, if it cannot.
fn bad_file_name(name: &str, extension: &str) -> Option<String> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !plain || !name.ends_with(extension) || name.len() == extension.len() {
        return Some(format!(
            "give a plain file name ending in `{extension}` (letters, digits, `.`, `-`, `_`)"
        ));
    }
    if RESERVED.contains(&name) {
        return Some(format!(
            "`{name}` is one of the kit's own files; choose another name"
        ));
    }
    None
}

/// A profile's table before it becomes CSV: the values exactly as rendered, before the
/// formula guard. Reading the CSV back and undoing the guard gives these values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Column headers.
    pub header: Vec<String>,
    /// One row per question, in kit order.
    pub rows: Vec<Vec<String>>,
}

/// Renders `profile`'s table for `kit`. Every cell is trimmed, so templates need not
/// fight handlebars over leading and trailing line breaks.
pub fn table(kit: &Kit, profile: &Profile, templates: &Templates) -> Result<Table> {
    let base = kit_context(kit, profile);
    let header = profile
        .columns
        .iter()
        .map(|c| Ok(templates.render(&c.header, &base)?.trim().to_owned()))
        .collect::<Result<Vec<_>>>()?;
    let rows = kit
        .questions
        .iter()
        .map(|item| {
            // Converted for handlebars once per row, not once per cell.
            let context = handlebars::Context::from(row_context(&base, kit, item, profile));
            profile
                .columns
                .iter()
                .map(|c| Ok(templates.render_in(&c.value, &context)?.trim().to_owned()))
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Table { header, rows })
}

/// The profile's CSV file for `kit`.
pub fn csv(
    kit: &Kit,
    profile: &Profile,
    templates: &Templates,
    options: &CsvOptions,
) -> Result<Vec<u8>> {
    let table = table(kit, profile, templates)?;
    let mut writer = options.writer(&profile.file);
    writer.row(&table.header)?;
    for row in &table.rows {
        writer.row(row)?;
    }
    writer.finish()
}

/// Every file `profile` writes for `kit`: its CSV, then its JSON files.
pub fn documents(
    kit: &Kit,
    profile: &Profile,
    templates: &Templates,
    options: &CsvOptions,
) -> Result<Vec<Document>> {
    let mut files = vec![Document::new(
        profile.file.clone(),
        csv(kit, profile, templates, options)?,
    )];
    if !profile.json.is_empty() {
        let context = json_context(kit, profile);
        for extra in &profile.json {
            let mut text = templates.render(&extra.template, &context)?;
            // A template that renders broken JSON would fail only when the ATS rejects it;
            // catch it here, where the template can still be named.
            if let Err(e) = serde_json::from_str::<Value>(&text) {
                return Err(Error::Render {
                    document: extra.file.clone(),
                    message: format!(
                        "template `{}` does not produce valid JSON ({e}, line {} of the output); fix the template",
                        extra.template,
                        e.line()
                    ),
                });
            }
            if !text.ends_with('\n') {
                text.push('\n');
            }
            files.push(Document::new(extra.file.clone(), text.into_bytes()));
        }
    }
    Ok(files)
}

/// What every header template sees: the kit, the candidate and the scale.
///
/// Built field by field rather than by serialising [`Kit`], so the names templates use
/// are a stable, documented contract and absent values are empty strings, not missing
/// keys that strict mode would reject.
fn kit_context(kit: &Kit, profile: &Profile) -> Value {
    let first = kit.questions.first();
    let levels: Vec<Value> = (0..LEVELS)
        .map(|i| {
            let level = first.and_then(|q| q.rubric.levels.get(i));
            json!({
                "score": i + 1,
                "label": level.map(|l| l.label.as_str()).unwrap_or_default(),
                "target": profile.scale.labels.get(i).map(String::as_str).unwrap_or_default(),
            })
        })
        .collect();
    let minutes: u32 = kit.questions.iter().map(|q| q.question.minutes).sum();
    json!({
        "kit": {
            "kit_code": kit.kit_code,
            "seed": kit.seed,
            "form": kit.form,
            "candidate": kit.candidate,
            "role": kit.blueprint.role,
            "blueprint": kit.blueprint.name,
            "instructions": kit.blueprint.instructions.trim(),
            "questions": kit.questions.len(),
            "minutes": minutes,
            "algorithm_version": kit.algorithm_version,
            "tool_version": kit.tool_version,
            "bank_fingerprint": kit.bank_fingerprint,
            "blueprint_fingerprint": kit.blueprint_fingerprint,
        },
        "candidate": kit.candidate,
        "scale": { "name": profile.scale.name, "levels": levels },
    })
}

/// What every cell template sees: the kit context plus one question, its topic and rubric.
fn row_context(base: &Value, kit: &Kit, item: &KitQuestion, profile: &Profile) -> Value {
    let mut context = base.clone();
    if let (Value::Object(map), Value::Object(extra)) =
        (&mut context, question_context(kit, item, profile))
    {
        map.extend(extra);
    }
    context
}

fn question_context(kit: &Kit, item: &KitQuestion, profile: &Profile) -> Value {
    let q = &item.question;
    let levels: Vec<Value> = item
        .rubric
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "score": l.score,
                "label": l.label,
                "descriptor": l.descriptor,
                "target": profile.scale.labels.get(i).map(String::as_str).unwrap_or_default(),
            })
        })
        .collect();
    json!({
        "number": item.number,
        "total": kit.questions.len(),
        "question": {
            "id": q.id,
            "topic": q.topic,
            "level": q.level.as_str(),
            "minutes": q.minutes,
            "prompt": q.prompt.trim(),
            "code": q.code.as_deref().unwrap_or_default().trim_end(),
            "purpose": q.purpose.trim(),
            "answer": q.answer.trim(),
            "key_points": q.key_points,
            "follow_ups": q.follow_ups,
            "red_flags": q.red_flags,
            "tags": q.tags,
        },
        "topic": {
            "id": q.topic,
            "title": kit.topic_titles.get(&q.topic).unwrap_or(&q.topic),
        },
        "rubric": {
            "competency": item.rubric.competency,
            "levels": levels,
            "listen_for": item.rubric.listen_for,
            "follow_ups": item.rubric.follow_ups,
            "red_flags": item.rubric.red_flags,
        },
    })
}

/// What a JSON template sees: the kit context plus `rows`, one question context per question.
fn json_context(kit: &Kit, profile: &Profile) -> Value {
    let mut context = kit_context(kit, profile);
    let rows: Vec<Value> = kit
        .questions
        .iter()
        .map(|item| question_context(kit, item, profile))
        .collect();
    if let Value::Object(map) = &mut context {
        map.insert("rows".into(), Value::Array(rows));
    }
    context
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "description = \"d\"\nfile = \"x.csv\"\n[scale]\nname = \"s\"\nlabels = [\"a\", \"b\", \"c\", \"d\"]\n[[columns]]\nheader = \"h\"\nvalue = \"{{number}}\"\n";

    #[test]
    fn a_minimal_profile_parses() {
        let parsed = parse("mine", "profiles/mine.toml", MINIMAL).unwrap();
        assert_eq!(parsed.profile.file, "x.csv");
        assert_eq!(parsed.templates.len(), 2);
        assert_eq!(parsed.templates[1].2, 8);
    }

    #[test]
    fn bad_profiles_are_reported_with_lines() {
        let text = MINIMAL
            .replace("x.csv", "../x.csv")
            .replace("\"c\", \"d\"", "\"c\"");
        let err = parse("mine", "p.toml", &text).unwrap_err().to_string();
        assert_eq!(
            err,
            "`p.toml` line 2: `file = \"../x.csv\"`: give a plain file name ending in `.csv` (letters, digits, `.`, `-`, `_`)\n\
             `p.toml` line 5: `scale.labels` has 3 label(s); give exactly 4, the target's rating for rubric scores 1 to 4, lowest first"
        );
        let err = parse("mine", "p.toml", &MINIMAL.replace("file =", "fil ="))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("`p.toml` line 2: unknown field `fil`"),
            "{err}"
        );
        let err = parse("mine", "p.toml", &MINIMAL.replace("x.csv", "kit.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("ending in `.csv`"), "{err}");
        assert!(parse("My ATS", "p.toml", MINIMAL).is_err());
    }
}
