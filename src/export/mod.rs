//! Machine-readable outputs as bytes: CSV through one writer, export profiles, the round sheet and `kit.json`.

mod csv;
mod json;
pub mod profile;
mod profiles;
mod round;
pub mod scale;

pub use self::csv::{BOM, CsvOptions, CsvWriter, guard_formula, scorecard_csv, unguard_formula};
pub use self::json::{kit_from_json, kit_json};
pub use self::profiles::{FILES, Profiles};
pub use self::round::{RoundRow, round_csv};
