//! The candidate handout: title, instructions, and the numbered prompts with their code — nothing else.
//!
//! Only `prompt` and `code` of a question are read here; the answer side of the kit
//! (purpose, answer, key points, rubric, follow-ups, red flags) never reaches this file.

use super::layout::{A4, Flow, MARGIN};
use super::pdf::{self, Meta};
use super::{BODY, CODE, HEADING, LABEL, Running, SMALL, TITLE, check_glyphs, clean, decorate};
use crate::error::Result;
use crate::kit::Kit;

const DOCUMENT: &str = "handout.pdf";

/// Renders the candidate handout of `kit`.
pub fn handout_pdf(kit: &Kit) -> Result<Vec<u8>> {
    let paper = A4;
    let mut flow = Flow::new(paper.width - 2.0 * MARGIN);
    let candidate = clean(&kit.candidate);
    let total = kit.questions.len();

    flow.text(
        TITLE,
        &format!("{}: technical interview", kit.blueprint.role),
        0.0,
    );
    flow.space(4.0);
    flow.text(BODY, &format!("Candidate: {candidate}"), 0.0);
    flow.text(SMALL, &format!("Kit {}", kit.kit_code), 0.0);
    let instructions = clean(kit.blueprint.instructions.trim());
    if !instructions.is_empty() {
        flow.space(10.0);
        flow.heading(LABEL, "Instructions", None);
        flow.text(BODY, &instructions, 0.0);
    }
    for item in &kit.questions {
        flow.space(16.0);
        flow.heading(
            HEADING,
            &format!("Question {} of {total}", item.number),
            Some(format!("Question {:02}", item.number)),
        );
        flow.space(2.0);
        flow.text(BODY, &clean(item.question.prompt.trim()), 0.0);
        if let Some(code) = &item.question.code {
            flow.space(4.0);
            flow.code(CODE, &clean(code));
        }
    }

    let mut pages = flow.paginate(paper);
    let header_right = format!("Kit {}", kit.kit_code);
    decorate(
        &mut pages,
        paper,
        &Running {
            header_left: "Candidate handout",
            header_right: &header_right,
            footer_left: &candidate,
        },
    );
    check_glyphs(&pages, DOCUMENT)?;
    let title = format!("{}: technical interview — {candidate}", kit.blueprint.role);
    pdf::write(
        &pages,
        paper,
        &Meta {
            title: &title,
            author: "interview-kit",
            subject: "Candidate handout",
            keywords: vec![kit.kit_code.clone()],
        },
    )
}
