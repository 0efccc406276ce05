//! Fuzzes kit code parsing (`KitCode::parse`): a code that parses prints back to one that parses the same.
#![no_main]

use interview_kit::kit::KitCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(code) = KitCode::parse(text) {
        let printed = code.to_string();
        assert_eq!(
            KitCode::parse(&printed).expect("a printed code parses"),
            code
        );
    }
});
