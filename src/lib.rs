//! interview-kit: seeded, topic-balanced interview kits from a question bank.
//!
//! The pipeline is a chain of plain functions over plain data; only [`output`] touches
//! the file system:
//!
//! ```text
//! bank (TOML) ─┐
//! blueprint ───┼─> select (seeded) ─> rubric ─> Kit ─┬─> interviewer + handout (PDF, Markdown, HTML)
//! seed ────────┘         templates (wording) ─┘      └─> scorecard CSV, kit.json
//! ```
//!
//! ```
//! use interview_kit::{bank::Bank, kit::Kit, select::Blueprint};
//!
//! let bank = Bank::builtin()?;
//! let blueprint = Blueprint::builtin(&bank)?;
//! let kit = Kit::build(&bank, &blueprint, 42, 0, "Ada Lovelace")?;
//! assert_eq!(kit.questions.len(), 10);
//! // Same inputs, same kit.
//! assert_eq!(kit, Kit::build(&bank, &blueprint, 42, 0, "Ada Lovelace")?);
//! let files = interview_kit::documents(&kit, &interview_kit::RenderOptions::default())?;
//! assert_eq!(files[0].name, "interviewer.pdf");
//! # Ok::<(), interview_kit::error::Error>(())
//! ```

pub mod bank;
pub mod cli;
pub mod cmd;
pub mod error;
pub mod export;
pub mod history;
pub mod kit;
pub mod output;
pub mod render;
pub mod roster;
pub mod round;
pub mod rubric;
pub mod select;
pub mod templates;

use error::Result;
use kit::Kit;
use output::Document;
use render::{DocOptions, PaperSize};
use templates::Templates;

/// A document format `generate` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// PDF, laid out for print.
    Pdf,
    /// Markdown.
    Md,
    /// Standalone HTML with a print stylesheet.
    Html,
}

/// How to render a kit's documents.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Wording and document templates.
    pub templates: &'a Templates,
    /// Date printed on the documents, if any.
    pub date: Option<&'a str>,
    /// Paper for the PDFs.
    pub paper: PaperSize,
    /// Formats of the two documents (the CSV and `kit.json` are always written).
    pub formats: &'a [Format],
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        RenderOptions {
            templates: Templates::builtin(),
            date: None,
            paper: PaperSize::A4,
            formats: &[Format::Pdf],
        }
    }
}

/// Every file of a kit, in a fixed order: per format the interviewer packet and the
/// handout, then the scorecard CSV and `kit.json`.
pub fn documents(kit: &Kit, options: &RenderOptions<'_>) -> Result<Vec<Document>> {
    let templates = options.templates;
    let doc = DocOptions {
        date: options.date.map(str::to_owned),
    };
    let mut formats = options.formats.to_vec();
    formats.sort();
    formats.dedup();
    let mut files = Vec::new();
    for format in formats {
        let (interviewer, handout, extension) = match format {
            Format::Pdf => (
                render::interviewer_pdf(kit, templates, &doc, options.paper)?,
                render::handout_pdf(kit, templates, &doc, options.paper)?,
                "pdf",
            ),
            Format::Md => (
                render::interviewer_markdown(kit, templates, &doc)?,
                render::handout_markdown(kit, templates, &doc)?,
                "md",
            ),
            Format::Html => (
                render::interviewer_html(kit, templates, &doc)?,
                render::handout_html(kit, templates, &doc)?,
                "html",
            ),
        };
        files.push(Document::new(
            format!("interviewer.{extension}"),
            interviewer,
        ));
        files.push(Document::new(format!("handout.{extension}"), handout));
    }
    files.push(Document::new("scorecard.csv", export::scorecard_csv(kit)?));
    files.push(Document::new("kit.json", export::kit_json(kit)?));
    Ok(files)
}
