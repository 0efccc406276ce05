//! The round summary as PDF: the ranking, then each candidate's topics, agreement and disagreements.

use super::layout::{A4, Flow, MARGIN};
use super::pdf::{self, OwnedMeta};
use super::{BODY, HEADING, LABEL, Running, SMALL, TITLE, check_glyphs, clean, decorate};
use crate::error::Result;
use crate::rubric::LEVELS;
use crate::score::Summary;
use crate::templates::Templates;

const DOCUMENT: &str = "summary.pdf";

fn number(value: Option<f64>, places: usize) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.places$}"))
}

/// Renders `summary` (what `summary.md` says) as an A4 PDF.
pub fn summary_pdf(summary: &Summary, templates: &Templates) -> Result<Vec<u8>> {
    let sheet = A4;
    let mut flow = Flow::new(sheet.width - 2.0 * MARGIN);
    flow.text(TITLE, "Round summary", 0.0);
    flow.space(4.0);
    flow.text(
        BODY,
        &format!(
            "{} candidate(s), ranked by weighted total on the rubric scale (1 to {LEVELS}).",
            summary.candidates.len()
        ),
        0.0,
    );
    flow.space(8.0);
    let columns: Vec<String> = [
        "Rank",
        "Candidate",
        "Kit",
        "Total",
        "%",
        "Scored",
        "κ",
        "Disagree",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = summary
        .candidates
        .iter()
        .map(|c| {
            vec![
                c.rank.to_string(),
                clean(&c.candidate),
                c.kit_code.clone(),
                number(c.total, 2),
                number(c.percent(), 1),
                format!("{}/{}", c.scored(), c.questions.len()),
                number(c.mean_kappa(), 2),
                c.disagreements().count().to_string(),
            ]
        })
        .collect();
    flow.auto_table(LABEL, BODY, &columns, &rows);

    for c in &summary.candidates {
        flow.space(16.0);
        flow.group(|flow| {
            flow.heading(
                HEADING,
                &format!("{}. {} — kit {}", c.rank, clean(&c.candidate), c.kit_code),
                Some(format!("{}. {}", c.rank, clean(&c.candidate))),
            );
            flow.text(
                SMALL,
                &format!(
                    "Total {} ({} %), {} of {} questions scored, by {}.",
                    number(c.total, 2),
                    number(c.percent(), 1),
                    c.scored(),
                    c.questions.len(),
                    clean(&c.interviewers.join(", "))
                ),
                0.0,
            );
            flow.keep();
            flow.space(4.0);
            let columns: Vec<String> = ["Topic", "Weight", "Scored", "Mean"]
                .map(String::from)
                .to_vec();
            let rows: Vec<Vec<String>> = c
                .topics
                .iter()
                .map(|(topic, t)| {
                    vec![
                        clean(summary.topics.get(topic).unwrap_or(topic)),
                        t.weight.to_string(),
                        format!("{}/{}", t.scored, t.questions),
                        number(t.mean, 2),
                    ]
                })
                .collect();
            flow.table(LABEL, BODY, &[0.55, 0.15, 0.15, 0.15], &columns, &rows);
            let pairs: Vec<String> = c
                .pairs
                .iter()
                .map(|p| {
                    format!(
                        "{} and {}: {} shared, mean absolute difference {}, weighted kappa {}",
                        clean(&p.first),
                        clean(&p.second),
                        p.shared,
                        number(p.mad, 2),
                        number(p.kappa, 2)
                    )
                })
                .collect();
            if !pairs.is_empty() {
                flow.space(4.0);
                flow.heading(LABEL, "Agreement", None);
                flow.bullets(BODY, &pairs);
            }
            let disagreements: Vec<String> = c
                .disagreements()
                .map(|q| {
                    let scores: Vec<String> = q
                        .scores
                        .iter()
                        .map(|(who, s)| format!("{} {s}", clean(who)))
                        .collect();
                    format!("question {} `{}`: {}", q.number, q.id, scores.join(", "))
                })
                .collect();
            if !disagreements.is_empty() {
                flow.space(4.0);
                flow.heading(
                    LABEL,
                    "Disagreements (2 levels or more apart) — talk these through",
                    None,
                );
                flow.bullets(BODY, &disagreements);
            }
        });
    }
    if !summary.notes.is_empty() {
        flow.space(16.0);
        flow.heading(HEADING, "Missing scores", Some("Missing scores".into()));
        let notes: Vec<String> = summary.notes.iter().map(|n| clean(n)).collect();
        flow.bullets(BODY, &notes);
    }

    let mut pages = flow.paginate(sheet);
    let running = Running {
        header_left: "Round summary — confidential",
        header_right: "interview-kit score",
        footer_left: "",
    };
    decorate(&mut pages, sheet, &running, templates)?;
    check_glyphs(&pages, DOCUMENT)?;
    let meta = OwnedMeta {
        title: "Round summary".into(),
        subject: "Scores of a hiring round".into(),
        keywords: summary
            .candidates
            .iter()
            .map(|c| c.kit_code.clone())
            .collect(),
    };
    pdf::write(&pages, sheet, &meta.borrowed())
}
