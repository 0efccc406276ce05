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

pub use super::scale::{Scale, Target};

use super::csv::CsvOptions;
use super::profiles::Profiles;

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

/// The word in a scorecard's `question_id` column that marks the overall recommendation row.
pub const OVERALL: &str = "overall";

/// A loaded profile: what it writes, and the names of its compiled templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The profile's name, its file name without `.toml`.
    pub name: String,
    /// One line on what the profile is for.
    pub description: String,
    /// The CSV file it writes into the kit folder.
    pub file: String,
    /// How the rubric levels read on the target's rating scale, per question and overall.
    pub scale: ProfileScale,
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// Whether the file ends with a row for the overall recommendation.
    pub overall_row: bool,
    /// The columns `score` reads a filled-in file back through, if it can.
    pub read: Option<ReadColumns>,
    /// Further JSON files rendered over the whole kit.
    pub json: Vec<JsonFile>,
    /// The file the profile came from, for messages.
    pub source: String,
}

/// The rating scales a profile writes: one for each question, one for the overall
/// recommendation. Until the templates are all loaded a named scale is a stub holding only
/// its key; [`Profile::resolve`] fills it in from `scale.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileScale {
    /// Each question's rating.
    pub question: Target,
    /// The overall recommendation, when the target has one.
    pub overall: Option<Target>,
    /// Line of `[scale]` in the profile file, for messages.
    pub line: usize,
}

/// Header names of the columns a filled-in file is read back through.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadColumns {
    /// The kit code column.
    pub kit_code: String,
    /// The question id column (`overall` on the recommendation row).
    pub question_id: String,
    /// The rating column.
    pub score: String,
    /// The interviewer column, when the file has one.
    #[serde(default)]
    pub interviewer: Option<String>,
}

/// One column: the registry names of its header and cell templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Template of the header, rendered once over the kit.
    pub header: String,
    /// Template of the cell, rendered once per question.
    pub value: String,
    /// Template of the cell on the overall recommendation row (the `value` template when
    /// the profile gives none).
    pub overall: String,
}

/// A further file a profile writes besides its CSV: JSON (checked to parse) or HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonFile {
    /// File name in the kit folder, ending in `.json` or `.html`.
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
    scale: Spanned<RawScale>,
    columns: Vec<RawColumn>,
    #[serde(default)]
    overall_row: bool,
    #[serde(default)]
    read: Option<ReadColumns>,
    #[serde(default)]
    json: Vec<RawJson>,
}

/// `[scale]`: targets of `scale.toml` by key, or (older profiles) a name and one label per level.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    #[serde(default)]
    question: Option<String>,
    #[serde(default)]
    overall: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    labels: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    header: Spanned<String>,
    value: Spanned<String>,
    #[serde(default)]
    overall: Option<Spanned<String>>,
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
    let scale_line = line_of(text, raw.scale.span().start);
    let raw_scale = raw.scale.into_inner();
    let question = match (&raw_scale.question, &raw_scale.labels) {
        (Some(key), None) => Some(stub(key)),
        (None, Some(labels)) => {
            if labels.get_ref().len() != LEVELS {
                problems.push(Problem::at(
                    file,
                    at(labels.span()),
                    format!(
                        "`scale.labels` has {} label(s); give exactly {LEVELS}, the target's rating for rubric scores 1 to {LEVELS}, lowest first",
                        labels.get_ref().len()
                    ),
                ));
                None
            } else {
                Some(inline_target(
                    raw_scale.name.as_deref().unwrap_or(name),
                    labels.get_ref(),
                ))
            }
        }
        _ => {
            problems.push(Problem::at(
                file,
                Some(scale_line),
                "`[scale]` needs `question = \"KEY\"`, a rating scale of `scale.toml` (e.g. `greenhouse-rating`), or `labels`, one per rubric level",
            ));
            None
        }
    };
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
        let overall = match &column.overall {
            Some(template) => {
                let overall = format!("profiles/{name}.toml#columns.{i}.overall");
                templates.push((
                    overall.clone(),
                    template.get_ref().clone(),
                    line_of(text, template.span().start),
                ));
                overall
            }
            None => value.clone(),
        };
        columns.push(Column {
            header,
            value,
            overall,
        });
    }
    let mut json = Vec::new();
    for extra in &raw.json {
        let json_file = extra.file.get_ref().trim().to_owned();
        let extension = if json_file.ends_with(".html") {
            ".html"
        } else {
            ".json"
        };
        if let Some(why) = bad_file_name(&json_file, extension) {
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
    let Some(question) = question else {
        return Err(Error::Invalid { problems });
    };
    if !problems.is_empty() {
        return Err(Error::Invalid { problems });
    }
    Ok(Parsed {
        profile: Profile {
            name: name.to_owned(),
            description: raw.description.trim().to_owned(),
            file: out_file,
            scale: ProfileScale {
                question,
                overall: raw_scale.overall.as_deref().map(stub),
                line: scale_line,
            },
            columns,
            overall_row: raw.overall_row,
            read: raw.read,
            json,
            source: file.to_owned(),
        },
        templates,
    })
}

/// A named target before `scale.toml` is known: its key only.
fn stub(key: &str) -> Target {
    Target {
        key: key.trim().to_owned(),
        name: String::new(),
        used_for: String::new(),
        points: Vec::new(),
        write: Vec::new(),
        read: Vec::new(),
        refuse: None,
        note: None,
    }
}

/// A target written inline in a profile: one label per level, each read back as its level.
fn inline_target(name: &str, labels: &[String]) -> Target {
    let mut points = labels.to_vec();
    points.dedup();
    let mut read: Vec<(String, u8)> = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        if !read.iter().any(|(k, _)| k == label) {
            read.push((label.clone(), i as u8 + 1));
        }
    }
    Target {
        key: String::new(),
        name: name.to_owned(),
        used_for: String::new(),
        points,
        write: labels.to_vec(),
        read,
        refuse: None,
        note: None,
    }
}

impl Profile {
    /// Fills the named rating scales in from `scale`; an unknown key is an error at the
    /// profile's `[scale]` line.
    pub(crate) fn resolve(&mut self, scale: &Scale) -> std::result::Result<(), Problem> {
        let source = self.source.clone();
        let line = self.scale.line;
        let fill = |target: &mut Target| {
            if target.key.is_empty() {
                return Ok(());
            }
            match scale.targets.get(&target.key) {
                Some(found) => {
                    *target = found.clone();
                    Ok(())
                }
                None => Err(Problem::at(
                    &source,
                    Some(line),
                    format!(
                        "`[scale]` names `{}`, which `scale.toml` does not define; the scales are {}",
                        target.key,
                        scale
                            .targets
                            .keys()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
        };
        fill(&mut self.scale.question)?;
        if let Some(overall) = &mut self.scale.overall {
            fill(overall)?;
        }
        Ok(())
    }
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
pub fn table(kit: &Kit, profile: &Profile, profiles: &Profiles) -> Result<Table> {
    let base = kit_context(kit, profile, profiles)?;
    let header = profile
        .columns
        .iter()
        .map(|c| Ok(profiles.render(&c.header, &base)?.trim().to_owned()))
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
                .map(|c| Ok(profiles.render_in(&c.value, &context)?.trim().to_owned()))
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<Vec<_>>>()?;
    let mut rows = rows;
    if profile.overall_row {
        let mut context = base.clone();
        if let (Value::Object(map), Value::Object(extra)) =
            (&mut context, overall_context(kit, profile, profiles)?)
        {
            map.extend(extra);
        }
        rows.push(
            profile
                .columns
                .iter()
                .map(|c| Ok(profiles.render(&c.overall, &context)?.trim().to_owned()))
                .collect::<Result<Vec<_>>>()?,
        );
    }
    Ok(Table { header, rows })
}

/// The overall recommendation's levels: score, the recommendation's name and the target's
/// point (empty when the profile has no overall scale).
fn overall_levels(profile: &Profile, profiles: &Profiles) -> Vec<Value> {
    let names = &profiles.scale().recommendation;
    (0..LEVELS)
        .map(|i| {
            let name = names.get(i).map(String::as_str).unwrap_or_default();
            json!({
                "score": i + 1,
                "label": name,
                "descriptor": name,
                "target": profile
                    .scale
                    .overall
                    .as_ref()
                    .map_or("", |t| t.write(i as u8 + 1)),
            })
        })
        .collect()
}

/// What the cells of the overall recommendation row see: the question fields empty, the
/// question id `overall`, the prompt `[recommendation] prompt` of `scale.toml` and the rubric levels the
/// recommendations.
fn overall_context(kit: &Kit, profile: &Profile, profiles: &Profiles) -> Result<Value> {
    let prompt = profiles.scale().prompt.as_str();
    let empty: [&str; 0] = [];
    Ok(json!({
        "number": "",
        "total": kit.questions.len(),
        "question": {
            "id": OVERALL,
            "title": prompt,
            "topic": "",
            "level": "",
            "minutes": "",
            "prompt": prompt,
            "code": "",
            "artifact": "",
            "purpose": "",
            "answer": "",
            "key_points": empty,
            "depth_points": empty,
            "follow_ups": empty,
            "red_flags": empty,
            "tags": empty,
        },
        "topic": { "id": "", "title": "" },
        "rubric": {
            "competency": prompt,
            "levels": overall_levels(profile, profiles),
            "listen_for": empty,
            "depth": empty,
            "follow_ups": empty,
            "red_flags": empty,
        },
    }))
}

/// The profile's CSV file for `kit`.
pub fn csv(
    kit: &Kit,
    profile: &Profile,
    profiles: &Profiles,
    options: &CsvOptions,
) -> Result<Vec<u8>> {
    let table = table(kit, profile, profiles)?;
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
    profiles: &Profiles,
    options: &CsvOptions,
) -> Result<Vec<Document>> {
    let mut files = vec![Document::new(
        profile.file.clone(),
        csv(kit, profile, profiles, options)?,
    )];
    if !profile.json.is_empty() {
        let context = json_context(kit, profile, profiles)?;
        for extra in &profile.json {
            let mut text = profiles.render(&extra.template, &context)?;
            // A template that renders broken JSON would fail only when the ATS rejects it;
            // catch it here, where the template can still be named.
            if extra.file.ends_with(".json")
                && let Err(e) = serde_json::from_str::<Value>(&text)
            {
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
fn kit_context(kit: &Kit, profile: &Profile, profiles: &Profiles) -> Result<Value> {
    let first = kit.questions.first();
    let levels: Vec<Value> = (0..LEVELS)
        .map(|i| {
            let level = first.and_then(|q| q.rubric.levels.get(i));
            json!({
                "score": i + 1,
                "label": level.map(|l| l.label.as_str()).unwrap_or_default(),
                "target": profile.scale.question.write(i as u8 + 1),
            })
        })
        .collect();
    let minutes: u32 = kit.questions.iter().map(|q| q.question.minutes).sum();
    Ok(json!({
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
        "scale": {
            "name": profile.scale.question.name,
            "levels": levels,
            "overall_name": profile.scale.overall.as_ref().map_or("", |t| t.name.as_str()),
            "overall": overall_levels(profile, profiles),
        },
    }))
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
        .map(|l| {
            json!({
                "score": l.score,
                "label": l.label,
                "descriptor": l.descriptor,
                "target": profile.scale.question.write(l.score),
            })
        })
        .collect();
    json!({
        "number": item.number,
        "total": kit.questions.len(),
        "question": {
            "id": q.id,
            "title": q.display_title(),
            "topic": q.topic,
            "level": q.level.as_str(),
            "minutes": q.minutes,
            "prompt": q.prompt.trim(),
            "code": q.code.as_deref().unwrap_or_default().trim_end(),
            "artifact": q.artifact.as_deref().unwrap_or_default().trim_end(),
            "purpose": q.purpose.trim(),
            "answer": q.answer.trim(),
            "key_points": q.key_points,
            "depth_points": q.depth_points,
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
            "depth": item.rubric.depth,
            "follow_ups": item.rubric.follow_ups,
            "red_flags": item.rubric.red_flags,
        },
    })
}

/// What a JSON template sees: the kit context plus `rows`, one question context per question.
fn json_context(kit: &Kit, profile: &Profile, profiles: &Profiles) -> Result<Value> {
    let mut context = kit_context(kit, profile, profiles)?;
    let rows: Vec<Value> = kit
        .questions
        .iter()
        .map(|item| question_context(kit, item, profile))
        .collect();
    if let Value::Object(map) = &mut context {
        map.insert("rows".into(), Value::Array(rows));
    }
    Ok(context)
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
