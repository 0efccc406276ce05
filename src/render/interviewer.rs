//! The interviewer packet: cover and agenda, one block per question, and a scoring summary.

use super::context::{self, DocOptions, Interviewer};
use super::layout::Page;
use super::layout::{Flow, MARGIN};
use super::pdf::{self, OwnedMeta};
use super::{
    BODY, CODE, HEADING, LABEL, PaperSize, Running, SMALL, TITLE, check_glyphs, clean, decorate,
};
use crate::error::Result;
use crate::kit::Kit;
use crate::templates::Templates;

const DOCUMENT: &str = "interviewer.pdf";

/// Renders the interviewer packet of `kit` as PDF.
pub fn interviewer_pdf(
    kit: &Kit,
    templates: &Templates,
    options: &DocOptions,
    paper: PaperSize,
) -> Result<Vec<u8>> {
    let (pages, meta) = interviewer_pages(kit, templates, options, paper)?;
    pdf::write(&pages, paper.sheet(), &meta.borrowed())
}

/// Lays out the document: the pages, and the PDF metadata to write them with.
pub(super) fn interviewer_pages(
    kit: &Kit,
    templates: &Templates,
    options: &DocOptions,
    paper: PaperSize,
) -> Result<(Vec<Page>, OwnedMeta)> {
    let doc = context::interviewer(kit, templates, options)?;
    let sheet = paper.sheet();
    let mut flow = Flow::new(sheet.width - 2.0 * MARGIN);
    let label = |key: &str| doc.labels.get(key).cloned().unwrap_or_default();

    cover(&mut flow, &doc, &label);
    for q in &doc.questions {
        flow.space(18.0);
        // A question moves to a new page only when it would not fit on this one.
        flow.group(|flow| {
            flow.heading(HEADING, &clean(&q.heading), Some(q.bookmark.clone()));
            flow.text(SMALL, &clean(&q.id_line), 0.0);
            flow.keep();
            flow.space(3.0);
            flow.text(BODY, &clean(&q.prompt), 0.0);
            if let Some(code) = &q.code {
                flow.space(4.0);
                flow.code(CODE, &clean(code));
            }
            if let Some(artifact) = &q.artifact {
                flow.space(4.0);
                flow.code(CODE, &clean(artifact));
            }
            if let Some(exercise) = &q.exercise {
                flow.space(4.0);
                flow.text(BODY, &clean(&exercise.intro), 0.0);
                code_section(flow, &exercise.starter_label, &exercise.starter);
                code_section(flow, &exercise.tests_label, &exercise.tests);
            }
            section(flow, &label("purpose_label"));
            flow.text(BODY, &clean(&q.purpose), 0.0);
            section(flow, &label("listen_for_label"));
            if q.depth_points.is_empty() {
                flow.bullets(BODY, &cleaned(&q.listen_for));
            } else {
                flow.text(SMALL, &label("core_label"), 0.0);
                flow.keep();
                flow.bullets(BODY, &cleaned(&q.listen_for));
                flow.space(2.0);
                flow.text(SMALL, &label("depth_label"), 0.0);
                flow.keep();
                flow.bullets(BODY, &cleaned(&q.depth_points));
            }
            section(flow, &label("answer_label"));
            flow.text(BODY, &clean(&q.answer_summary), 0.0);
            if !q.answer_points.is_empty() {
                flow.space(2.0);
                flow.bullets(BODY, &cleaned(&q.answer_points));
            }
            if let Some(exercise) = &q.exercise {
                code_section(flow, &exercise.solution_label, &exercise.solution);
            }
            let examples: Vec<String> = [
                (label("weak_label"), &q.weak_answer),
                (label("strong_label"), &q.strong_answer),
            ]
            .into_iter()
            .filter_map(|(name, text)| text.as_ref().map(|t| format!("{name}: {}", clean(t))))
            .collect();
            if !examples.is_empty() {
                section(flow, &label("examples_label"));
                flow.bullets(BODY, &examples);
            }
            section(flow, &label("rubric_label"));
            flow.text(SMALL, &clean(&q.competency_line), 0.0);
            flow.keep();
            flow.space(2.0);
            let rows: Vec<Vec<String>> = q
                .rubric
                .iter()
                .map(|l| vec![l.score.to_string(), clean(&l.label), clean(&l.descriptor)])
                .collect();
            flow.table(LABEL, BODY, &[0.08, 0.17, 0.75], &doc.rubric_columns, &rows);
            if !q.follow_ups.is_empty() {
                section(flow, &label("follow_ups_label"));
                flow.bullets(BODY, &cleaned(&q.follow_ups));
            }
            if !q.red_flags.is_empty() {
                section(flow, &label("red_flags_label"));
                flow.bullets(BODY, &cleaned(&q.red_flags));
            }
            flow.space(8.0);
            flow.notes_box(SMALL, &label("notes_label"), 80.0);
            flow.space(6.0);
            flow.score_boxes(LABEL, &label("score_label"), &doc.scale);
        });
    }
    summary(&mut flow, &doc, &label);

    let mut pages = flow.paginate(sheet);
    let header_left = label("interviewer_header");
    let header_right = format!("Kit {}", doc.kit_code);
    let candidate = clean(&doc.candidate);
    let running = Running {
        header_left: &header_left,
        header_right: &header_right,
        footer_left: &candidate,
    };
    decorate(&mut pages, sheet, &running, templates)?;
    check_glyphs(&pages, DOCUMENT)?;
    let meta = OwnedMeta {
        title: format!("{} — {candidate}", clean(&doc.title)),
        subject: format!("{header_left}: kit {}", doc.kit_code),
        keywords: vec![doc.kit_code.clone(), kit.blueprint.name.clone()],
    };
    Ok((pages, meta))
}

fn cover(flow: &mut Flow, doc: &Interviewer, label: &dyn Fn(&str) -> String) {
    flow.text(TITLE, &clean(&doc.title), 0.0);
    flow.space(4.0);
    flow.text(BODY, &clean(&doc.candidate_line), 0.0);
    if let Some(date) = &doc.date_line {
        flow.text(BODY, &clean(date), 0.0);
    }
    flow.text(SMALL, &clean(&doc.meta_line), 0.0);
    flow.space(10.0);
    flow.heading(LABEL, &label("how_to_use_label"), None);
    flow.text(BODY, &clean(&label("how_to_use")), 0.0);
    flow.space(8.0);
    flow.heading(LABEL, &label("agenda_label"), None);
    let rows: Vec<Vec<String>> = doc
        .agenda
        .iter()
        .map(|row| {
            vec![
                row.number.to_string(),
                clean(&row.title),
                clean(&row.topic),
                row.level.clone(),
                row.minutes.to_string(),
                row.total.to_string(),
            ]
        })
        .collect();
    flow.table(
        LABEL,
        BODY,
        &[0.06, 0.38, 0.28, 0.1, 0.08, 0.1],
        &doc.agenda_columns,
        &rows,
    );
}

fn summary(flow: &mut Flow, doc: &Interviewer, label: &dyn Fn(&str) -> String) {
    flow.space(22.0);
    flow.group(|flow| {
        flow.heading(
            HEADING,
            &label("summary_heading"),
            Some(label("summary_heading")),
        );
        flow.space(2.0);
        flow.text(SMALL, &label("summary_how"), 0.0);
        flow.space(4.0);
        let rows: Vec<Vec<String>> = doc
            .agenda
            .iter()
            .map(|row| {
                vec![
                    row.number.to_string(),
                    clean(&row.title),
                    clean(&row.topic),
                    String::new(),
                ]
            })
            .collect();
        flow.table(
            LABEL,
            BODY,
            &[0.07, 0.5, 0.28, 0.15],
            &doc.summary_columns,
            &rows,
        );
        flow.space(8.0);
        for line in &doc.subtotals {
            flow.text(BODY, &clean(line), 0.0);
        }
        flow.space(2.0);
        flow.text(LABEL, &clean(&doc.overall_line), 0.0);
        flow.space(12.0);
        flow.score_boxes(LABEL, &label("recommendation_label"), &doc.recommendation);
        flow.text(SMALL, &label("recommendation_note"), 0.0);
        flow.space(26.0);
        flow.text(BODY, &label("signature_line"), 0.0);
    });
}

/// A small bold label and a code block under it.
fn code_section(flow: &mut Flow, label: &str, code: &str) {
    section(flow, &clean(label));
    flow.code(CODE, &clean(code));
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
