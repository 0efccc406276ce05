//! What each document says, with all wording rendered from the templates; PDF, Markdown and HTML all read these.
//!
//! The handout's context is its own type holding prompts and code only, so no template —
//! built-in or a user's — can reach answer-side text from a handout.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use crate::error::Result;
use crate::kit::Kit;
use crate::templates::Templates;

/// Document-level options that are not part of the kit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocOptions {
    /// Interview date printed on the cover, as the user wrote it; never the clock.
    pub date: Option<String>,
    /// Paper the documents are laid out for: the PDF pages and the HTML `@page` size.
    pub paper: super::PaperSize,
}

/// Everything the interviewer packet shows.
#[derive(Debug, Clone, Serialize)]
pub struct Interviewer {
    pub(crate) title: String,
    pub(crate) candidate: String,
    pub(crate) kit_code: String,
    pub(crate) candidate_line: String,
    pub(crate) date_line: Option<String>,
    pub(crate) meta_line: String,
    pub(crate) labels: BTreeMap<&'static str, String>,
    pub(crate) agenda_columns: Vec<String>,
    pub(crate) agenda: Vec<AgendaRow>,
    pub(crate) questions: Vec<InterviewerQuestion>,
    pub(crate) rubric_columns: Vec<String>,
    pub(crate) summary_columns: Vec<String>,
    pub(crate) subtotals: Vec<String>,
    pub(crate) overall_line: String,
    pub(crate) scale: Vec<String>,
    /// The overall recommendation's choices, recorded apart from the question scores.
    pub(crate) recommendation: Vec<String>,
    pub(crate) css: String,
    pub(crate) page_size: &'static str,
}

/// One agenda row.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaRow {
    pub(crate) number: usize,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) topic: String,
    pub(crate) level: String,
    pub(crate) minutes: u32,
    pub(crate) total: u32,
}

/// One question as the interviewer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct InterviewerQuestion {
    pub(crate) number: usize,
    pub(crate) heading: String,
    pub(crate) title: String,
    pub(crate) bookmark: String,
    pub(crate) id_line: String,
    pub(crate) prompt: String,
    pub(crate) code: Option<String>,
    pub(crate) artifact: Option<String>,
    pub(crate) exercise: Option<ExerciseView>,
    pub(crate) purpose: String,
    /// Core evidence: what a solid (level 3) answer shows.
    pub(crate) listen_for: Vec<String>,
    /// Depth evidence: what an excellent (level 4) answer adds.
    pub(crate) depth_points: Vec<String>,
    /// The whole model answer as written.
    pub(crate) answer: String,
    /// Its one-line summary and its points.
    pub(crate) answer_summary: String,
    pub(crate) answer_points: Vec<String>,
    pub(crate) weak_answer: Option<String>,
    pub(crate) strong_answer: Option<String>,
    pub(crate) competency_line: String,
    pub(crate) rubric: Vec<RubricRow>,
    pub(crate) follow_ups: Vec<String>,
    pub(crate) red_flags: Vec<String>,
}

/// A practical exercise as the interviewer sees it: the candidate's files and the solution.
#[derive(Debug, Clone, Serialize)]
pub struct ExerciseView {
    pub(crate) intro: String,
    pub(crate) starter_label: String,
    pub(crate) starter: String,
    pub(crate) tests_label: String,
    pub(crate) tests: String,
    pub(crate) solution_label: String,
    pub(crate) solution: String,
}

/// One rubric level.
#[derive(Debug, Clone, Serialize)]
pub struct RubricRow {
    pub(crate) score: u8,
    pub(crate) label: String,
    pub(crate) descriptor: String,
}

/// Everything the candidate handout shows: no field here comes from the answer side.
#[derive(Debug, Clone, Serialize)]
pub struct Handout {
    pub(crate) title: String,
    pub(crate) candidate: String,
    pub(crate) kit_code: String,
    pub(crate) kit_line: String,
    pub(crate) candidate_line: String,
    pub(crate) date_line: Option<String>,
    pub(crate) instructions: String,
    pub(crate) writing_space: bool,
    pub(crate) labels: BTreeMap<&'static str, String>,
    pub(crate) questions: Vec<HandoutQuestion>,
    pub(crate) css: String,
    pub(crate) page_size: &'static str,
}

/// One question as the candidate sees it: title, prompt, code, artifact and an exercise's
/// starting files, nothing else.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutQuestion {
    pub(crate) number: usize,
    pub(crate) heading: String,
    pub(crate) title: String,
    pub(crate) prompt: String,
    pub(crate) code: Option<String>,
    pub(crate) artifact: Option<String>,
    pub(crate) exercise: Option<HandoutExercise>,
}

/// An exercise as the candidate sees it: the starting code and the tests, never the solution.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutExercise {
    pub(crate) intro: String,
    pub(crate) starter_label: String,
    pub(crate) starter: String,
    pub(crate) tests_label: String,
    pub(crate) tests: String,
}

/// Labels (phrases without variables) both documents print.
const INTERVIEWER_LABELS: &[&str] = &[
    "interviewer_header",
    "how_to_use_label",
    "how_to_use",
    "agenda_label",
    "purpose_label",
    "listen_for_label",
    "core_label",
    "depth_label",
    "answer_label",
    "examples_label",
    "weak_label",
    "strong_label",
    "rubric_label",
    "follow_ups_label",
    "red_flags_label",
    "notes_label",
    "score_label",
    "summary_heading",
    "summary_how",
    "recommendation_label",
    "recommendation_note",
    "signature_line",
];
const HANDOUT_LABELS: &[&str] = &["handout_header", "instructions_label", "answer_space_label"];

/// The exercise's introduction and file labels, shared by both documents: (intro, starter
/// label, tests label, solution label).
fn exercise_labels(
    templates: &Templates,
    exercise: &crate::bank::Exercise,
    intro: &str,
) -> Result<[String; 4]> {
    let vars = json!({ "module": exercise.module, "tests": exercise.tests_file() });
    Ok([
        templates.phrase(intro, &vars)?,
        templates.phrase("starter_label", &vars)?,
        templates.phrase("tests_label", &vars)?,
        templates.phrase("solution_label", &vars)?,
    ])
}

/// An optional text trimmed, `None` when blank.
fn present(text: Option<&String>) -> Option<String> {
    text.map(|t| t.trim_end().trim_start_matches('\n').to_owned())
        .filter(|t| !t.trim().is_empty())
}

fn labels(templates: &Templates, keys: &[&'static str]) -> Result<BTreeMap<&'static str, String>> {
    keys.iter().map(|&k| Ok((k, templates.label(k)?))).collect()
}

fn topic_title(kit: &Kit, topic: &str) -> String {
    kit.topic_titles
        .get(topic)
        .cloned()
        .unwrap_or_else(|| topic.to_owned())
}

fn date_line(templates: &Templates, options: &DocOptions) -> Result<Option<String>> {
    options
        .date
        .as_ref()
        .map(|date| templates.phrase("date_line", &json!({ "date": date })))
        .transpose()
}

/// Renders the interviewer packet's wording for `kit`.
pub fn interviewer(kit: &Kit, templates: &Templates, options: &DocOptions) -> Result<Interviewer> {
    let minutes: u32 = kit.questions.iter().map(|q| q.question.minutes).sum();
    let vars = json!({
        "role": kit.blueprint.role,
        "candidate": kit.candidate,
        "kit_code": kit.kit_code,
        "seed": kit.seed,
        "blueprint": kit.blueprint.name,
        "questions": kit.questions.len(),
        "minutes": minutes,
        "date": options.date,
    });
    let mut running = 0;
    let agenda = kit
        .questions
        .iter()
        .map(|q| {
            running += q.question.minutes;
            AgendaRow {
                number: q.number,
                id: q.question.id.clone(),
                title: q.question.display_title().to_owned(),
                topic: topic_title(kit, &q.question.topic),
                level: q.question.level.to_string(),
                minutes: q.question.minutes,
                total: running,
            }
        })
        .collect();
    let questions = kit
        .questions
        .iter()
        .map(|item| {
            let q = &item.question;
            let topic = topic_title(kit, &q.topic);
            let vars = json!({
                "number": item.number,
                "total": kit.questions.len(),
                "topic": topic,
                "level": q.level.to_string(),
                "minutes": q.minutes,
                "id": q.id,
                "title": q.display_title(),
            });
            let exercise = q
                .exercise
                .as_ref()
                .map(|e| {
                    let [intro, starter_label, tests_label, solution_label] =
                        exercise_labels(templates, e, "exercise_intro")?;
                    Ok::<_, crate::error::Error>(ExerciseView {
                        intro,
                        starter_label,
                        starter: e.starter.trim_end().to_owned(),
                        tests_label,
                        tests: e.tests.trim_end().to_owned(),
                        solution_label,
                        solution: e.solution.trim_end().to_owned(),
                    })
                })
                .transpose()?;
            let (answer_summary, answer_points) = q.answer_parts();
            Ok(InterviewerQuestion {
                number: item.number,
                heading: templates.phrase("question_heading", &vars)?,
                title: q.display_title().to_owned(),
                bookmark: format!("Q{:02} {}", item.number, q.display_title()),
                id_line: templates.phrase("question_id", &vars)?,
                prompt: q.prompt.trim().to_owned(),
                code: present(q.code.as_ref()),
                artifact: present(q.artifact.as_ref()),
                exercise,
                purpose: q.purpose.trim().to_owned(),
                listen_for: item.rubric.listen_for.clone(),
                depth_points: item.rubric.depth.clone(),
                answer: q.answer.trim().to_owned(),
                answer_summary,
                answer_points,
                weak_answer: present(q.weak_answer.as_ref()),
                strong_answer: present(q.strong_answer.as_ref()),
                competency_line: templates.phrase(
                    "competency_line",
                    &json!({ "competency": item.rubric.competency }),
                )?,
                rubric: item
                    .rubric
                    .levels
                    .iter()
                    .map(|l| RubricRow {
                        score: l.score,
                        label: l.label.clone(),
                        descriptor: l.descriptor.clone(),
                    })
                    .collect(),
                follow_ups: item.rubric.follow_ups.clone(),
                red_flags: item.rubric.red_flags.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let scale: Vec<String> = kit
        .questions
        .first()
        .map(|q| {
            q.rubric
                .levels
                .iter()
                .map(|l| format!("{} {}", l.score, l.label))
                .collect()
        })
        .unwrap_or_default();
    let top = kit
        .questions
        .first()
        .and_then(|q| q.rubric.levels.last())
        .map_or(4, |l| u32::from(l.score));
    // The scoring page asks for what `interview-kit score` computes: topic means weighted
    // by the blueprint's question counts, the total on 1 to 4 and its percentage.
    let info = crate::score::KitInfo::from_kit(kit);
    let mut per_topic: BTreeMap<String, (u32, usize)> = BTreeMap::new();
    for (topic, weight) in &info.topic_weights {
        let questions = info.questions.iter().filter(|(_, _, t)| t == topic).count();
        per_topic.insert(topic_title(kit, topic), (*weight, questions));
    }
    let subtotals = per_topic
        .iter()
        .map(|(topic, (weight, questions))| {
            templates.phrase(
                "topic_subtotal",
                &json!({
                    "topic": topic,
                    "weight": weight,
                    "questions": questions,
                    "max": top * *questions as u32,
                }),
            )
        })
        .collect::<Result<Vec<_>>>()?;
    let recommendation = templates.columns("recommendation_choices")?;

    Ok(Interviewer {
        title: templates.phrase("interviewer_title", &vars)?,
        candidate: kit.candidate.clone(),
        kit_code: kit.kit_code.clone(),
        candidate_line: templates.phrase("candidate_line", &vars)?,
        date_line: date_line(templates, options)?,
        meta_line: templates.phrase("interviewer_meta", &vars)?,
        labels: labels(templates, INTERVIEWER_LABELS)?,
        agenda_columns: templates.columns("agenda_columns")?,
        agenda,
        questions,
        rubric_columns: templates.columns("rubric_columns")?,
        summary_columns: templates.columns("summary_columns")?,
        subtotals,
        overall_line: templates.phrase(
            "overall_line",
            &json!({ "max": top as usize * kit.questions.len() }),
        )?,
        scale,
        recommendation,
        css: templates.css().to_owned(),
        page_size: options.paper.css_size(),
    })
}

/// Renders the candidate handout's wording for `kit`: only titles, prompts, code,
/// artifacts and an exercise's starter and tests are read.
pub fn handout(kit: &Kit, templates: &Templates, options: &DocOptions) -> Result<Handout> {
    let vars = json!({
        "role": kit.blueprint.role,
        "candidate": kit.candidate,
        "kit_code": kit.kit_code,
        "date": options.date,
    });
    let total = kit.questions.len();
    let questions = kit
        .questions
        .iter()
        .map(|item| {
            let q = &item.question;
            // Without a title the handout shows none: an id may hint at the answer.
            let title = q.title.as_deref().unwrap_or_default();
            let exercise = q
                .exercise
                .as_ref()
                .map(|e| {
                    let [intro, starter_label, tests_label, _] =
                        exercise_labels(templates, e, "handout_exercise_intro")?;
                    Ok::<_, crate::error::Error>(HandoutExercise {
                        intro,
                        starter_label,
                        starter: e.starter.trim_end().to_owned(),
                        tests_label,
                        tests: e.tests.trim_end().to_owned(),
                    })
                })
                .transpose()?;
            Ok(HandoutQuestion {
                number: item.number,
                heading: templates.phrase(
                    "handout_question",
                    &json!({ "number": item.number, "total": total, "title": title }),
                )?,
                title: title.to_owned(),
                prompt: q.prompt.trim().to_owned(),
                code: present(q.code.as_ref()),
                artifact: present(q.artifact.as_ref()),
                exercise,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Handout {
        title: templates.phrase("handout_title", &vars)?,
        candidate: kit.candidate.clone(),
        kit_code: kit.kit_code.clone(),
        kit_line: templates.phrase("handout_kit", &vars)?,
        candidate_line: templates.phrase("candidate_line", &vars)?,
        date_line: date_line(templates, options)?,
        instructions: kit.blueprint.instructions.trim().to_owned(),
        writing_space: kit.blueprint.writing_space,
        labels: labels(templates, HANDOUT_LABELS)?,
        questions,
        css: templates.css().to_owned(),
        page_size: options.paper.css_size(),
    })
}
