//! Fuzzes the filled-in scorecard reader (`score::Sheet::parse`) and its check against a real kit.
#![no_main]

use std::sync::OnceLock;

use interview_kit::bank::Bank;
use interview_kit::kit::Kit;
use interview_kit::score::Sheet;
use interview_kit::select::Blueprint;
use libfuzzer_sys::fuzz_target;

fn kit() -> &'static Kit {
    static KIT: OnceLock<Kit> = OnceLock::new();
    KIT.get_or_init(|| {
        let bank = Bank::builtin().expect("the built-in bank loads");
        let blueprint = Blueprint::builtin(&bank).expect("the built-in blueprint resolves");
        Kit::build(&bank, &blueprint, 42, 0, "Ada").expect("the built-in kit builds")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(sheet) = Sheet::parse(
        "scorecard.csv",
        data,
        interview_kit::export::Profiles::builtin(),
    ) {
        let _ = sheet.kit_code();
        let _ = sheet.kit_code_place();
        let _ = sheet.check(kit(), "kit.json", "interviewer");
    }
});
