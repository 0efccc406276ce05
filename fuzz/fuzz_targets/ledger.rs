//! Fuzzes history ledger parsing (`Ledger::parse_bytes`) and what is computed from a ledger.
#![no_main]

use interview_kit::history::{Ledger, lines};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(ledger) = Ledger::parse_bytes("history.jsonl", data) {
        let _ = ledger.exposure();
        if let Some(entry) = ledger.entries.first() {
            let _ = ledger.seen(&entry.candidate_key);
        }
        let text = lines(&ledger.entries);
        assert_eq!(
            Ledger::parse_bytes("again.jsonl", &text).expect("written lines read back"),
            ledger
        );
    }
});
