//! interview-kit: seeded, topic-balanced interview kits from a question bank.
//!
//! The pipeline is a chain of plain functions over plain data; only [`output`] touches
//! the file system:
//!
//! ```text
//! bank (TOML) ─┐
//! blueprint ───┼─> select (seeded) ─> rubric ─> Kit ─┬─> interviewer PDF, handout PDF
//! seed ────────┘                                     └─> scorecard CSV, kit.json
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
//! let files = interview_kit::documents(&kit)?;
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

use error::Result;
use kit::Kit;
use output::Document;

/// Every file of a kit, in a fixed order: interviewer PDF, handout PDF, scorecard CSV, kit.json.
pub fn documents(kit: &Kit) -> Result<Vec<Document>> {
    Ok(vec![
        Document {
            name: "interviewer.pdf",
            bytes: render::interviewer_pdf(kit)?,
        },
        Document {
            name: "handout.pdf",
            bytes: render::handout_pdf(kit)?,
        },
        Document {
            name: "scorecard.csv",
            bytes: export::scorecard_csv(kit)?,
        },
        Document {
            name: "kit.json",
            bytes: export::kit_json(kit)?,
        },
    ])
}
