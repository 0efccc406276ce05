//! Documents from a kit: the interviewer packet and the candidate handout, as PDF, Markdown or HTML bytes.

pub mod context;
mod fonts;
mod handout;
mod interviewer;
mod layout;
mod pdf;
mod summary;
mod text;

pub use context::DocOptions;
pub use fonts::register_extra as register_font;
pub use handout::handout_pdf;
pub use interviewer::interviewer_pdf;
pub use summary::summary_pdf;

use fonts::Face;
use layout::{Draw, FOOTER_SPACE, HEADER_SPACE, MARGIN, Page, Paper, Style};

use crate::error::{Error, Result};
use crate::templates::Templates;

/// Paper the PDFs are laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaperSize {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl PaperSize {
    /// Every paper size, in the order they are listed to users.
    pub const ALL: [PaperSize; 2] = [PaperSize::A4, PaperSize::Letter];

    /// The name users type (`--paper letter`).
    pub fn name(self) -> &'static str {
        match self {
            PaperSize::A4 => "a4",
            PaperSize::Letter => "letter",
        }
    }

    /// The CSS `@page` size of this paper, for the HTML documents.
    pub fn css_size(self) -> &'static str {
        match self {
            PaperSize::A4 => "A4",
            PaperSize::Letter => "letter",
        }
    }

    fn sheet(self) -> Paper {
        match self {
            PaperSize::A4 => layout::A4,
            PaperSize::Letter => layout::LETTER,
        }
    }
}

impl std::fmt::Display for PaperSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for PaperSize {
    type Err = Error;

    /// `a4` or `letter`, in any case.
    fn from_str(text: &str) -> Result<Self> {
        crate::parse_choice(text, &PaperSize::ALL, PaperSize::name, "paper size")
    }
}

/// Lays out both PDFs of `kit` without serialising them and returns their page counts;
/// the benchmark uses it to time layout apart from PDF writing.
pub fn layout_only(
    kit: &crate::kit::Kit,
    templates: &Templates,
    options: &DocOptions,
    paper: PaperSize,
) -> Result<(usize, usize)> {
    let interviewer = interviewer::interviewer_pages(kit, templates, options, paper)?
        .0
        .len();
    let handout = handout::handout_pages(kit, templates, options, paper)?
        .0
        .len();
    Ok((interviewer, handout))
}

/// A text format rendered from templates: `md` (Markdown) or `html` (standalone, with the
/// print stylesheet inlined).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// `interviewer.md.hbs` and `handout.md.hbs`.
    Markdown,
    /// `interviewer.html.hbs` and `handout.html.hbs`.
    Html,
}

impl Markup {
    /// The file extension, which is also the middle part of the template names.
    pub fn extension(self) -> &'static str {
        match self {
            Markup::Markdown => "md",
            Markup::Html => "html",
        }
    }
}

/// The interviewer packet in `markup`, from `interviewer.<ext>.hbs`.
pub fn interviewer_markup(
    kit: &crate::kit::Kit,
    templates: &Templates,
    options: &DocOptions,
    markup: Markup,
) -> Result<Vec<u8>> {
    let doc = context::interviewer(kit, templates, options)?;
    let name = format!("interviewer.{}.hbs", markup.extension());
    Ok(templates.render(&name, &doc)?.into_bytes())
}

/// The candidate handout in `markup`, from `handout.<ext>.hbs`; its context holds prompts
/// and code only.
pub fn handout_markup(
    kit: &crate::kit::Kit,
    templates: &Templates,
    options: &DocOptions,
    markup: Markup,
) -> Result<Vec<u8>> {
    let doc = context::handout(kit, templates, options)?;
    let name = format!("handout.{}.hbs", markup.extension());
    Ok(templates.render(&name, &doc)?.into_bytes())
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
    let edge = paper.width - MARGIN;
    let width = |text: &str| {
        text::one_line(text, SMALL, f32::MAX)
            .iter()
            .map(text::Run::width)
            .sum::<f32>()
    };
    let header_y = MARGIN + SMALL.size;
    let footer_y = paper.height - MARGIN - FOOTER_SPACE + SMALL.size + 8.0;
    let header_right = edge - width(running.header_right);
    for (i, page) in pages.iter_mut().enumerate() {
        let number = templates.phrase(
            "page_of",
            &serde_json::json!({ "number": i + 1, "total": total }),
        )?;
        let footer_right = edge - width(&number);
        page.draws.extend(layout::single_line(
            running.header_left,
            SMALL,
            MARGIN,
            header_y,
            header_right - 12.0,
        ));
        page.draws.extend(layout::single_line(
            running.header_right,
            SMALL,
            header_right,
            header_y,
            edge,
        ));
        page.draws.push(Draw::Rect {
            x: MARGIN,
            y: MARGIN + HEADER_SPACE - 8.0,
            w: paper.width - 2.0 * MARGIN,
            h: 0.6,
            fill: Some(0.6),
            stroke: None,
        });
        page.draws.extend(layout::single_line(
            running.footer_left,
            SMALL,
            MARGIN,
            footer_y,
            footer_right - 12.0,
        ));
        page.draws.extend(layout::single_line(
            &number,
            SMALL,
            footer_right,
            footer_y,
            edge,
        ));
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

/// Starts parsing the built-in fonts (once per process) on a background thread, so that a
/// run which renders later finds them ready rather than parsing them on its critical path
/// (a cold one-kit `generate` spends a tenth of its time there).
pub fn prepare_fonts() {
    rayon::spawn(|| {
        fonts::Face::Regular.metrics();
    });
}

/// Fails, naming the character, when no font can draw a character of a candidate's name:
/// checked for every name of a round before anything is written.
pub fn check_name(name: &str) -> Result<()> {
    let chain = Face::Regular.fallbacks();
    match name
        .chars()
        .find(|&c| !c.is_control() && !chain.iter().any(|f| f.metrics().has(c)))
    {
        Some(c) => Err(glyph_error("the documents", c, name)),
        None => Ok(()),
    }
}

fn glyph_error(document: &str, c: char, text: &str) -> Error {
    Error::Render {
        document: document.to_owned(),
        message: format!(
            "the fonts have no glyph for '{c}' (U+{:04X}) in \"{text}\"; \
             pass --font PATH with a font that has it (e.g. Noto Sans CJK for Chinese, \
             Japanese or Korean), or write that text in Latin, Greek or Cyrillic letters",
            c as u32
        ),
    }
}

/// Fails, naming the character, when a font lacks a glyph the pages need.
fn check_glyphs(pages: &[Page], document: &str) -> Result<()> {
    for draw in pages.iter().flat_map(|p| &p.draws) {
        if let Draw::Text { style, text, .. } = draw
            && let Some(c) = fonts::missing_char(style.face, text)
        {
            return Err(glyph_error(document, c, text));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;
    use crate::kit::Kit;
    use crate::select::Blueprint;

    #[test]
    fn clean_drops_controls_but_keeps_newlines() {
        assert_eq!(clean("a\u{0}b\tc\nd\u{7}"), "ab c\nd");
    }

    /// A kit pushed to the limits: a 100-character name, a 1,500-word prompt with a
    /// 300-character word, a 40-line code block with very long lines, a long topic title.
    fn extreme_kit() -> Kit {
        let bank = Bank::builtin().unwrap();
        let blueprint = Blueprint::builtin(&bank).unwrap();
        let mut kit = Kit::build(
            &bank,
            &blueprint,
            3,
            0,
            &"Ñandú Wolfeschlegelsteinhausen "
                .repeat(4)
                .chars()
                .take(100)
                .collect::<String>(),
        )
        .unwrap();
        let q = &mut kit.questions[0].question;
        q.prompt = format!(
            "{} {} end",
            "word `code_span()` ".repeat(750),
            "x".repeat(300)
        );
        q.code = Some(
            (0..40)
                .map(|i| {
                    format!(
                        "{}value_{i} = compute({})",
                        "    ".repeat(i % 6),
                        "argument, ".repeat(i)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
        kit.questions[1].rubric.listen_for[0] = "y".repeat(400);
        kit.topic_titles.values_mut().for_each(|t| *t = t.repeat(6));
        kit
    }

    fn all_pages(kit: &Kit, paper: PaperSize) -> Vec<Vec<Page>> {
        let templates = Templates::builtin();
        let options = DocOptions {
            date: Some("2026-12-01".into()),
            paper,
        };
        vec![
            interviewer::interviewer_pages(kit, templates, &options, paper)
                .unwrap()
                .0,
            handout::handout_pages(kit, templates, &options, paper)
                .unwrap()
                .0,
        ]
    }

    #[test]
    fn no_drawn_line_is_wider_than_its_column() {
        let kit = extreme_kit();
        for paper in [PaperSize::A4, PaperSize::Letter] {
            let sheet = paper.sheet();
            for pages in all_pages(&kit, paper) {
                assert!(pages.len() > 3);
                for draw in pages.iter().flat_map(|p| &p.draws) {
                    if let Draw::Text {
                        x,
                        y,
                        style,
                        text,
                        limit,
                    } = draw
                    {
                        let right = x + style.face.metrics().width(text, style.size);
                        assert!(
                            right <= limit + 0.01,
                            "{text:?} ends at {right}, column ends at {limit}"
                        );
                        assert!(
                            *limit <= sheet.width - MARGIN + 0.01,
                            "column past the margin: {limit}"
                        );
                        assert!(
                            *x >= MARGIN - 0.01 && *y >= MARGIN && *y <= sheet.height - MARGIN,
                            "{text:?} at {x},{y}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_page_has_its_header_and_footer() {
        let kit = extreme_kit();
        for pages in all_pages(&kit, PaperSize::A4) {
            let total = pages.len();
            for (i, page) in pages.iter().enumerate() {
                let texts: Vec<&str> = page
                    .draws
                    .iter()
                    .filter_map(|d| match d {
                        Draw::Text { text, .. } => Some(text.as_str()),
                        Draw::Rect { .. } => None,
                    })
                    .collect();
                assert!(texts.contains(&format!("Page {} of {total}", i + 1).as_str()));
                assert!(texts.iter().any(|t| t.contains(&kit.kit_code)));
                assert!(
                    texts
                        .iter()
                        .any(|t| t.starts_with("Ñandú") && t.ends_with('…')),
                    "{texts:?}"
                );
            }
        }
    }
}
