//! Fuzzes the bank TOML loader: up to three files (split on NUL bytes) through `bank::load_sources`.
#![no_main]

use interview_kit::bank::{Source, load_sources};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Several files, so cross-file rules (duplicate ids and topics) are reached too.
    let sources: Vec<Source> = data
        .split(|&b| b == 0)
        .take(3)
        .enumerate()
        .filter_map(|(i, part)| {
            Some(Source {
                name: format!("bank/{i}.toml"),
                text: std::str::from_utf8(part).ok()?.to_owned(),
            })
        })
        .collect();
    if let Ok(bank) = load_sources(&sources) {
        assert!(bank.questions.windows(2).all(|w| w[0].id < w[1].id));
        assert!(bank.questions.len() <= interview_kit::limits::MAX_QUESTIONS);
        let _ = bank.fingerprint();
    }
});
