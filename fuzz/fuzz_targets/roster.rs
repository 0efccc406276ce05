//! Fuzzes roster parsing (`roster::parse`): every name that loads is already clean and unique.
#![no_main]

use std::collections::BTreeSet;

use interview_kit::limits::{MAX_ROSTER, clean_name};
use interview_kit::roster::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(candidates) = parse("roster.csv", data) {
        assert!(!candidates.is_empty() && candidates.len() <= MAX_ROSTER);
        let keys: BTreeSet<String> = candidates.iter().map(|c| c.key()).collect();
        assert_eq!(keys.len(), candidates.len());
        for c in &candidates {
            assert_eq!(clean_name(&c.name).as_deref(), Ok(c.name.as_str()));
        }
    }
});
