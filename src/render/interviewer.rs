//! The interviewer packet: agenda, then per question the prompt, purpose, answer, rubric and boxes to fill in.

use super::layout::{A4, Flow, MARGIN};
use super::pdf::{self, Meta};
use super::{BODY, CODE, HEADING, LABEL, Running, SMALL, TITLE, check_glyphs, clean, decorate};
use crate::error::Result;
use crate::kit::Kit;

const DOCUMENT: &str = "interviewer.pdf";

/// Renders the interviewer packet of `kit`.
pub fn interviewer_pdf(kit: &Kit) -> Result<Vec<u8>> {
    let paper = A4;
    let mut flow = Flow::new(paper.width - 2.0 * MARGIN);
    let candidate = clean(&kit.candidate);
    let minutes: u32 = kit.questions.iter().map(|q| q.question.minutes).sum();
    let score_labels: Vec<String> = kit
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

    flow.text(
        TITLE,
        &format!("Interview packet: {}", kit.blueprint.role),
        0.0,
    );
    flow.space(4.0);
    flow.text(BODY, &format!("Candidate: {candidate}"), 0.0);
    flow.text(
        SMALL,
        &format!(
            "Kit {} · seed {} · blueprint {} · {} questions · {minutes} minutes",
            kit.kit_code,
            kit.seed,
            kit.blueprint.name,
            kit.questions.len()
        ),
        0.0,
    );
    flow.space(10.0);
    flow.heading(LABEL, "How to use this packet", None);
    flow.text(
        BODY,
        "Ask the questions in order and read each prompt as written. Under each question you \
         find what it assesses, the points to listen for, a model answer and the rubric. Note \
         what the candidate says, then tick one score per question. The candidate's handout \
         holds the prompts and code only.",
        0.0,
    );
    flow.space(8.0);
    flow.heading(LABEL, "Agenda", None);
    let mut running = 0;
    let agenda: Vec<Vec<String>> = kit
        .questions
        .iter()
        .map(|q| {
            running += q.question.minutes;
            vec![
                q.number.to_string(),
                topic_title(kit, &q.question.topic),
                q.question.level.to_string(),
                q.question.minutes.to_string(),
                running.to_string(),
            ]
        })
        .collect();
    flow.table(
        LABEL,
        BODY,
        &[0.08, 0.52, 0.14, 0.12, 0.14],
        &["#", "Topic", "Level", "Minutes", "Total"],
        &agenda,
    );

    for item in &kit.questions {
        let q = &item.question;
        let topic = topic_title(kit, &q.topic);
        flow.space(18.0);
        flow.heading(
            HEADING,
            &format!(
                "Question {} · {topic} · {} · {} min",
                item.number, q.level, q.minutes
            ),
            Some(format!("Q{:02} {topic}", item.number)),
        );
        flow.text(SMALL, &format!("id {}", q.id), 0.0);
        flow.keep();
        flow.space(3.0);
        flow.text(BODY, &clean(q.prompt.trim()), 0.0);
        if let Some(code) = &q.code {
            flow.space(4.0);
            flow.code(CODE, &clean(code));
        }
        section(&mut flow, "Purpose");
        flow.text(BODY, &clean(q.purpose.trim()), 0.0);
        section(&mut flow, "Listen for");
        flow.bullets(BODY, &cleaned(&item.rubric.listen_for));
        section(&mut flow, "Model answer");
        flow.text(BODY, &clean(q.answer.trim()), 0.0);
        section(&mut flow, "Rubric");
        flow.text(
            SMALL,
            &format!("Competency: {}", clean(&item.rubric.competency)),
            0.0,
        );
        flow.keep();
        flow.space(2.0);
        let rows: Vec<Vec<String>> = item
            .rubric
            .levels
            .iter()
            .map(|l| vec![l.score.to_string(), l.label.clone(), clean(&l.descriptor)])
            .collect();
        flow.table(
            LABEL,
            BODY,
            &[0.08, 0.17, 0.75],
            &["Score", "Level", "What you observe"],
            &rows,
        );
        if !item.rubric.follow_ups.is_empty() {
            section(&mut flow, "Follow-ups");
            flow.bullets(BODY, &cleaned(&item.rubric.follow_ups));
        }
        if !item.rubric.red_flags.is_empty() {
            section(&mut flow, "Red flags");
            flow.bullets(BODY, &cleaned(&item.rubric.red_flags));
        }
        flow.space(8.0);
        flow.notes_box(SMALL, "Notes", 80.0);
        flow.space(6.0);
        flow.score_boxes(LABEL, "Score", &score_labels);
    }

    flow.space(22.0);
    flow.heading(HEADING, "Scoring summary", Some("Scoring summary".into()));
    flow.space(4.0);
    let summary: Vec<Vec<String>> = kit
        .questions
        .iter()
        .map(|q| {
            vec![
                q.number.to_string(),
                topic_title(kit, &q.question.topic),
                q.question.level.to_string(),
                String::new(),
            ]
        })
        .collect();
    flow.table(
        LABEL,
        BODY,
        &[0.08, 0.52, 0.15, 0.25],
        &["#", "Topic", "Level", "Score (1-4)"],
        &summary,
    );
    flow.space(10.0);
    flow.score_boxes(LABEL, "Recommendation", &score_labels);
    flow.space(26.0);
    flow.text(
        BODY,
        "Interviewer: ______________________________   Date: ______________",
        0.0,
    );

    let mut pages = flow.paginate(paper);
    let header_right = format!("Kit {}", kit.kit_code);
    decorate(
        &mut pages,
        paper,
        &Running {
            header_left: "Interviewer copy — confidential",
            header_right: &header_right,
            footer_left: &candidate,
        },
    );
    check_glyphs(&pages, DOCUMENT)?;
    let title = format!("Interview packet: {} — {candidate}", kit.blueprint.role);
    let subject = format!("Interviewer copy of kit {}", kit.kit_code);
    pdf::write(
        &pages,
        paper,
        &Meta {
            title: &title,
            author: "interview-kit",
            subject: &subject,
            keywords: vec![kit.kit_code.clone(), kit.blueprint.name.clone()],
        },
    )
}

/// A small bold label that stays with what follows it.
fn section(flow: &mut Flow, label: &str) {
    flow.space(6.0);
    flow.heading(LABEL, label, None);
    flow.space(1.0);
}

fn cleaned(items: &[String]) -> Vec<String> {
    items.iter().map(|s| clean(s)).collect()
}

/// The topic's title, or its id if the kit was built from a bank without it.
pub(super) fn topic_title(kit: &Kit, topic: &str) -> String {
    kit.topic_titles
        .get(topic)
        .cloned()
        .unwrap_or_else(|| topic.to_owned())
}
