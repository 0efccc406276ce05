//! Helpers shared by more than one integration test file.

use interview_kit::bank::Bank;
use interview_kit::kit::{Kit, Source};
use interview_kit::select::{Blueprint, Pick};

/// One kit holding every question of the built-in bank, for the candidate "Leak Test",
/// placed by hand: no blueprint may ask for the whole bank.
pub fn whole_bank_kit() -> Kit {
    let bank = Bank::builtin().unwrap();
    let blueprint = Blueprint::builtin(&bank).unwrap();
    let picks: Vec<Pick<'_>> = bank.questions.iter().map(Pick::given).collect();
    let source = Source::new(&bank, &blueprint, 1, 0);
    let kit = Kit::from_picks(
        &source,
        "Leak Test",
        &picks,
        interview_kit::templates::Templates::builtin(),
    )
    .unwrap();
    assert_eq!(kit.questions.len(), bank.questions.len());
    kit
}
