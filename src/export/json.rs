//! `kit.json`: the kit serialised in full, enough to re-render every document.

use crate::error::{Error, Result};
use crate::kit::Kit;

/// The kit as pretty-printed JSON with a trailing newline.
pub fn kit_json(kit: &Kit) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(kit).map_err(|e| Error::Render {
        document: "kit.json".into(),
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Reads a kit back from `kit.json` text; `file` names it in messages.
pub fn kit_from_json(file: &str, text: &str) -> Result<Kit> {
    serde_json::from_str(text).map_err(|e| Error::invalid(file, Some(e.line()), e.to_string()))
}
