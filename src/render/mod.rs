//! Documents from a kit: the interviewer packet and the candidate handout, as PDF, Markdown or HTML bytes.

pub mod context;
mod fonts;
mod handout;
mod interviewer;
mod layout;
mod pdf;

pub use context::DocOptions;
pub use handout::handout_pdf;
pub use interviewer::interviewer_pdf;

use fonts::Face;
use layout::{Draw, FOOTER_SPACE, HEADER_SPACE, MARGIN, Page, Paper, Style};

use crate::error::{Error, Result};
use crate::templates::Templates;

/// Paper the PDFs are laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PaperSize {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl PaperSize {
    fn sheet(self) -> Paper {
        match self {
            PaperSize::A4 => layout::A4,
            PaperSize::Letter => layout::LETTER,
        }
    }
}

/// The Markdown interviewer packet, from `interviewer.md.hbs`.
pub fn interviewer_markdown(
    kit: &crate::kit::Kit,
    templates: &Templates,
    options: &DocOptions,
) -> Result<Vec<u8>> {
    let doc = context::interviewer(kit, templates, options)?;
    Ok(templates.render("interviewer.md.hbs", &doc)?.into_bytes())
}

/// The Markdown candidate handout, from `handout.md.hbs`.
pub fn handout_markdown(
    kit: &crate::kit::Kit,
    templates: &Templates,
    options: &DocOptions,
) -> Result<Vec<u8>> {
    let doc = context::handout(kit, templates, options)?;
    Ok(templates.render("handout.md.hbs", &doc)?.into_bytes())
}

/// The standalone HTML interviewer packet (print stylesheet inlined), from `interviewer.html.hbs`.
pub fn interviewer_html(
    kit: &crate::kit::Kit,
    templates: &Templates,
    options: &DocOptions,
) -> Result<Vec<u8>> {
    let doc = context::interviewer(kit, templates, options)?;
    Ok(templates.render("interviewer.html.hbs", &doc)?.into_bytes())
}

/// The standalone HTML candidate handout, from `handout.html.hbs`.
pub fn handout_html(
    kit: &crate::kit::Kit,
    templates: &Templates,
    options: &DocOptions,
) -> Result<Vec<u8>> {
    let doc = context::handout(kit, templates, options)?;
    Ok(templates.render("handout.html.hbs", &doc)?.into_bytes())
}

const TITLE: Style = Style::new(Face::Bold, 18.0);
const HEADING: Style = Style::new(Face::Bold, 12.5);
const LABEL: Style = Style::new(Face::Bold, 9.5);
const BODY: Style = Style::new(Face::Regular, 10.0);
const SMALL: Style = Style::new(Face::Regular, 8.5).gray(0.3);
const CODE: Style = Style::new(Face::Mono, 8.8);

/// Running header and footer text of one document.
struct Running<'a> {
    header_left: &'a str,
    header_right: &'a str,
    footer_left: &'a str,
}

/// Adds the running header and footer, with "Page x of y", to every page.
///
/// The left-hand texts are shortened with an ellipsis when they would run into the
/// right-hand ones, so a 100-character name never overprints the page number.
fn decorate(
    pages: &mut [Page],
    paper: Paper,
    running: &Running<'_>,
    templates: &Templates,
) -> Result<()> {
    let total = pages.len();
    let metrics = SMALL.face.metrics();
    let right = |text: &str| paper.width - MARGIN - metrics.width(text, SMALL.size);
    let header_y = MARGIN + SMALL.size;
    let footer_y = paper.height - MARGIN - FOOTER_SPACE + SMALL.size + 8.0;
    for (i, page) in pages.iter_mut().enumerate() {
        let number = templates.phrase(
            "page_of",
            &serde_json::json!({ "number": i + 1, "total": total }),
        )?;
        let header_room = right(running.header_right) - MARGIN - 12.0;
        let footer_room = right(&number) - MARGIN - 12.0;
        page.draws.extend([
            Draw::Text {
                x: MARGIN,
                y: header_y,
                style: SMALL,
                text: layout::ellipsize(running.header_left, SMALL, header_room),
            },
            Draw::Text {
                x: right(running.header_right),
                y: header_y,
                style: SMALL,
                text: running.header_right.to_owned(),
            },
            Draw::Rect {
                x: MARGIN,
                y: MARGIN + HEADER_SPACE - 8.0,
                w: paper.width - 2.0 * MARGIN,
                h: 0.6,
                fill: Some(0.6),
                stroke: None,
            },
            Draw::Text {
                x: MARGIN,
                y: footer_y,
                style: SMALL,
                text: layout::ellipsize(running.footer_left, SMALL, footer_room),
            },
            Draw::Text {
                x: right(&number),
                y: footer_y,
                style: SMALL,
                text: number,
            },
        ]);
    }
    Ok(())
}

/// Control characters never reach a page: a name or prompt could carry them.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|&c| c == '\n' || !c.is_control())
        .collect()
}

/// Fails, naming the character, when a font lacks a glyph the pages need.
fn check_glyphs(pages: &[Page], document: &str) -> Result<()> {
    for draw in pages.iter().flat_map(|p| &p.draws) {
        if let Draw::Text { style, text, .. } = draw
            && let Some(c) = fonts::missing_char(style.face, text)
        {
            return Err(Error::Render {
                document: document.to_owned(),
                message: format!(
                    "the embedded fonts have no glyph for '{c}' (U+{:04X}) in \"{text}\"; \
                     write that text with Latin, Greek or Cyrillic letters",
                    c as u32
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_drops_controls_but_keeps_newlines() {
        assert_eq!(clean("a\u{0}b\tc\nd\u{7}"), "ab c\nd");
    }
}
