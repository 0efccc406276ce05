//! The default bank: every `bank/*.toml` file, embedded at build time by `build.rs`.

use super::Source;

/// File name and contents of each embedded bank file, sorted by name.
const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_bank.rs"));

/// The embedded files as load sources, named `bank/<file>` in messages.
pub(super) fn sources() -> Vec<Source> {
    FILES
        .iter()
        .map(|(name, text)| Source {
            name: format!("bank/{name}"),
            text: (*text).to_owned(),
        })
        .collect()
}
