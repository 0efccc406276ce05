//! The candidate handout: title, instructions, and the numbered prompts with their code — nothing else.
//!
//! It is laid out from [`context::Handout`], a type that holds titles, prompts, code,
//! artifacts and exercises' starting files only: the answer side of the kit (purpose,
//! competency, answer, key and depth points, rubric, follow-ups, red flags, example answers,
//! exercise solutions) never reaches this file.

use super::context::{self, DocOptions};
use super::layout::Page;
use super::layout::{Flow, MARGIN};
use super::pdf::{self, OwnedMeta};
use super::{
    BODY, CODE, HEADING, LABEL, PaperSize, Running, SMALL, TITLE, check_glyphs, clean, decorate,
};
use crate::error::Result;
use crate::kit::Kit;
use crate::templates::Templates;

const DOCUMENT: &str = "handout.pdf";

/// Height of the writing space under a question when the blueprint asks for it.
const WRITING_SPACE: f32 = 160.0;

/// Renders the candidate handout of `kit` as PDF.
pub fn handout_pdf(
    kit: &Kit,
    templates: &Templates,
    options: &DocOptions,
    paper: PaperSize,
) -> Result<Vec<u8>> {
    let (pages, meta) = handout_pages(kit, templates, options, paper)?;
    pdf::write(&pages, paper.sheet(), &meta.borrowed())
}

/// Lays out the document: the pages, and the PDF metadata to write them with.
pub(super) fn handout_pages(
    kit: &Kit,
    templates: &Templates,
    options: &DocOptions,
    paper: PaperSize,
) -> Result<(Vec<Page>, OwnedMeta)> {
    let doc = context::handout(kit, templates, options)?;
    let sheet = paper.sheet();
    let mut flow = Flow::new(sheet.width - 2.0 * MARGIN);
    let label = |key: &str| doc.labels.get(key).cloned().unwrap_or_default();

    flow.text(TITLE, &clean(&doc.title), 0.0);
    flow.space(4.0);
    flow.text(BODY, &clean(&doc.candidate_line), 0.0);
    if let Some(date) = &doc.date_line {
        flow.text(BODY, &clean(date), 0.0);
    }
    flow.text(SMALL, &clean(&doc.kit_line), 0.0);
    let instructions = clean(&doc.instructions);
    if !instructions.is_empty() {
        flow.space(10.0);
        flow.heading(LABEL, &label("instructions_label"), None);
        flow.text(BODY, &instructions, 0.0);
    }
    for q in &doc.questions {
        flow.space(16.0);
        flow.group(|flow| {
            flow.heading(HEADING, &clean(&q.heading), Some(clean(&q.heading)));
            flow.space(2.0);
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
                for (name, code) in [
                    (&exercise.starter_label, &exercise.starter),
                    (&exercise.tests_label, &exercise.tests),
                ] {
                    flow.space(6.0);
                    flow.heading(LABEL, &clean(name), None);
                    flow.space(1.0);
                    flow.code(CODE, &clean(code));
                }
            }
            if doc.writing_space {
                flow.space(6.0);
                flow.notes_box(SMALL, &label("answer_space_label"), WRITING_SPACE);
            }
        });
    }

    let mut pages = flow.paginate(sheet);
    let header_left = label("handout_header");
    let candidate = clean(&doc.candidate);
    let running = Running {
        header_left: &header_left,
        header_right: &doc.kit_line,
        footer_left: &candidate,
    };
    decorate(&mut pages, sheet, &running, templates)?;
    check_glyphs(&pages, DOCUMENT)?;
    let meta = OwnedMeta {
        title: format!("{} — {candidate}", clean(&doc.title)),
        subject: header_left,
        keywords: vec![doc.kit_code.clone()],
    };
    Ok((pages, meta))
}
