//! Machine-readable outputs of a kit: the scorecard CSV and the `kit.json` manifest, as bytes.

mod csv;
mod json;

pub use self::csv::{guard_formula, scorecard_csv};
pub use self::json::{kit_from_json, kit_json};
