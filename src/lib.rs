//! interview-kit: seeded, topic-balanced interview kits from a question bank.
//!
//! The pipeline is a chain of plain functions over plain data. Input files are read by the
//! loaders ([`bank`], [`select::Blueprint::load`], [`roster`], [`templates`], all bounded by
//! [`limits`]); only [`output`] and the commands write:
//!
//! ```text
//! bank (TOML) ─┐
//! blueprint ───┼─> select (seeded) ─> rubric ─> Kit ─┬─> interviewer + handout (PDF, Markdown, HTML)
//! seed ────────┘         templates (wording) ─┘      └─> scorecard CSV (export profiles), kit.json
//!
//! filled-in scorecards ─> score (validate, totals, agreement) ─> summary.csv, summary.md
//! ```
//!
//! ```
//! use interview_kit::{bank::Bank, kit::Kit, select::Blueprint};
//!
//! let bank = Bank::builtin()?;
//! let blueprint = Blueprint::builtin(&bank)?;
//! let kit = Kit::build(&bank, &blueprint, 42, 0, "Ada Lovelace")?;
//! assert_eq!(kit.questions.len(), 8);
//! // Same inputs, same kit.
//! assert_eq!(kit, Kit::build(&bank, &blueprint, 42, 0, "Ada Lovelace")?);
//! let files = interview_kit::documents(&kit, &interview_kit::RenderOptions::default())?;
//! assert_eq!(files[0].name, "interviewer.pdf");
//! # Ok::<(), interview_kit::error::Error>(())
//! ```

pub mod bank;
pub mod csv_input;
pub mod error;
pub mod export;
pub mod history;
pub mod input;
pub mod kit;
pub mod limits;
pub mod output;
pub mod render;
pub mod roster;
pub mod round;
pub mod rubric;
pub mod sanitize;
pub mod score;
pub mod select;
pub mod templates;
pub mod web;
pub mod workspace;

use error::Result;
use kit::Kit;
use output::Document;
use render::{DocOptions, Markup, PaperSize};
use templates::Templates;

/// A document format `generate` can write.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// PDF, laid out for print.
    Pdf,
    /// Markdown.
    Md,
    /// Standalone HTML with a print stylesheet.
    Html,
}

impl Format {
    /// Every format, in the order they are listed to users.
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Md, Format::Html];

    /// The name users type (`--format pdf,md`) and files end with.
    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Md => "md",
            Format::Html => "html",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Format {
    type Err = error::Error;

    /// `pdf`, `md` or `html`, in any case.
    fn from_str(text: &str) -> Result<Self> {
        parse_choice(text, &Format::ALL, Format::name, "format")
    }
}

/// The one of `all` whose `name` is `text`, ignoring ASCII case, or an error listing them.
pub(crate) fn parse_choice<T: Copy>(
    text: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    what: &str,
) -> Result<T> {
    all.iter()
        .copied()
        .find(|&choice| name(choice).eq_ignore_ascii_case(text.trim()))
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|&choice| name(choice)).collect();
            error::Error::Usage(format!(
                "unknown {what} `{}`; use one of: {}",
                limits::shown(text),
                names.join(", ")
            ))
        })
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
    /// Export profiles written besides the generic `scorecard.csv` (e.g. `greenhouse`).
    pub profiles: &'a [String],
    /// Where those profiles are defined: the built-in ones and a templates folder's.
    pub exports: &'a export::Profiles,
    /// How every CSV file is written.
    pub csv: export::CsvOptions,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        RenderOptions {
            templates: Templates::builtin(),
            date: None,
            paper: PaperSize::A4,
            formats: &[Format::Pdf],
            profiles: &[],
            exports: export::Profiles::builtin(),
            csv: export::CsvOptions::default(),
        }
    }
}

/// Every file of a kit, in a fixed order: per format the interviewer packet and the
/// handout, then the scorecard CSV, the files of any further export profiles, and `kit.json`.
pub fn documents(kit: &Kit, options: &RenderOptions<'_>) -> Result<Vec<Document>> {
    let templates = options.templates;
    let doc = DocOptions {
        date: options.date.map(str::to_owned),
        paper: options.paper,
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
            Format::Md | Format::Html => {
                let markup = if format == Format::Md {
                    Markup::Markdown
                } else {
                    Markup::Html
                };
                (
                    render::interviewer_markup(kit, templates, &doc, markup)?,
                    render::handout_markup(kit, templates, &doc, markup)?,
                    markup.extension(),
                )
            }
        };
        files.push(Document::new(
            format!("interviewer.{extension}"),
            interviewer,
        ));
        files.push(Document::new(format!("handout.{extension}"), handout));
    }
    files.extend(profile_documents(
        kit,
        options.exports,
        options.profiles,
        &options.csv,
    )?);
    files.push(Document::new("kit.json", export::kit_json(kit)?));
    Ok(files)
}

/// The files of the generic scorecard and of each profile in `profiles`, in that order.
///
/// The generic scorecard always comes first: it is the sheet interviewers fill in and
/// `score` reads back. Two profiles writing the same file name is an error, never a
/// silent overwrite.
pub fn profile_documents(
    kit: &Kit,
    exports: &export::Profiles,
    profiles: &[String],
    csv: &export::CsvOptions,
) -> Result<Vec<Document>> {
    let mut names: Vec<&str> = vec![export::profile::GENERIC];
    for name in profiles {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    let mut files: Vec<Document> = Vec::new();
    let mut owner: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for name in names {
        let profile = exports.get(name)?;
        for doc in export::profile::documents(kit, profile, exports, csv)? {
            if let Some(first) = owner.insert(doc.name.clone(), name) {
                return Err(error::Error::Usage(format!(
                    "export profiles `{first}` and `{name}` both write `{}`; give one of them another `file`",
                    doc.name
                )));
            }
            files.push(doc);
        }
    }
    Ok(files)
}
