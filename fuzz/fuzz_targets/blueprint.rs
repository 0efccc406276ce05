//! Fuzzes blueprint parsing against the built-in bank, then draws a kit from what parses.
#![no_main]

use std::sync::OnceLock;

use interview_kit::bank::Bank;
use interview_kit::kit::Kit;
use interview_kit::limits::MAX_KIT_QUESTIONS;
use interview_kit::select::Blueprint;
use libfuzzer_sys::fuzz_target;

fn bank() -> &'static Bank {
    static BANK: OnceLock<Bank> = OnceLock::new();
    BANK.get_or_init(|| Bank::builtin().expect("the built-in bank loads"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(blueprint) = Blueprint::parse("fuzz.toml", text, bank()) {
        assert!(blueprint.total() <= MAX_KIT_QUESTIONS as usize);
        if let Ok(kit) = Kit::build(bank(), &blueprint, 7, 0, "Ada") {
            assert_eq!(kit.questions.len(), blueprint.total());
        }
    }
});
