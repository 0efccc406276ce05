//! Fuzzes the CSV bank import (`bank::csv::parse`) and checks that what loads exports and reads back unchanged.
#![no_main]

use interview_kit::bank::csv::{parse, to_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(bank) = parse("bank.csv", data) {
        if let Ok(bytes) = to_csv(&bank) {
            let again = parse("bank.csv", &bytes).expect("an export reads back");
            assert_eq!(again, bank);
        }
    }
});
