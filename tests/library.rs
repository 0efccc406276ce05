//! The library API end to end: golden selections, in-process byte identity, kit.json round trip.

use interview_kit::bank::Bank;
use interview_kit::kit::Kit;
use interview_kit::select::{ALGORITHM_VERSION, Blueprint};

fn default_kit(seed: u64, candidate: &str) -> Kit {
    let bank = Bank::builtin().unwrap();
    let blueprint = Blueprint::builtin(&bank).unwrap();
    Kit::build(&bank, &blueprint, seed, 0, candidate).unwrap()
}

/// Seed 42 on the built-in bank and blueprint, current algorithm.
///
/// THE LEAD UPDATES THIS when the built-in bank or the default blueprint changes (their
/// fingerprints change, old kit codes then refuse to replay): run this test and paste the
/// ids it prints. Changing the *algorithm* must instead bump `ALGORITHM_VERSION`, and the
/// fixture goldens below must keep passing.
#[test]
fn golden_seed_42_on_the_default_bank() {
    assert_eq!(ALGORITHM_VERSION, 3);
    let kit = default_kit(42, "Ada Lovelace");
    let ids: Vec<&str> = kit
        .questions
        .iter()
        .map(|q| q.question.id.as_str())
        .collect();
    assert_eq!(ids, GOLDEN_42, "new ids: {ids:#?}");
}

const GOLDEN_42: [&str; 8] = [
    "style-naming-conventions",
    "gil-lock-release-on-error",
    "gil-daemon-threads-shutdown",
    "mem-reference-cycles-gc",
    "oop-alternative-constructors",
    "test-doubles",
    "oop-mixins",
    "test-legacy-seams",
];

/// A generated bank that never changes: 3 topics × 3 levels × 6 questions, minutes 4 to 12,
/// two families per topic, one `internals` question per cell.
fn fixture_bank() -> Bank {
    use interview_kit::bank::{Level, Question, Topic};
    let mut questions = Vec::new();
    for t in 0..3 {
        for (l, level) in Level::ALL.into_iter().enumerate() {
            for i in 0..6 {
                questions.push(Question {
                    id: format!("t{t}-{level}-{i}"),
                    topic: format!("t{t}"),
                    level,
                    minutes: 4 + ((t * 7 + l * 3 + i * 5) % 9) as u32,
                    family: (i < 2).then(|| format!("t{t}-fam{}", l % 2)),
                    tags: if i == 5 {
                        vec!["internals".into()]
                    } else {
                        vec![]
                    },
                    prompt: "Prompt.".into(),
                    purpose: "Assesses things.".into(),
                    answer: "Answer.".into(),
                    key_points: vec!["a".into(), "b".into(), "c".into()],
                    ..Default::default()
                });
            }
        }
    }
    questions.sort_by(|a, b| a.id.cmp(&b.id));
    Bank {
        topics: (0..3)
            .map(|t| Topic {
                id: format!("t{t}"),
                title: format!("Topic {t}"),
                description: String::new(),
            })
            .collect(),
        questions,
    }
}

const FIXTURE_BLUEPRINT: &str = "name = \"fixture\"\nrole = \"Role\"\ncode_prefix = \"FX\"\nminutes = { min = 40, max = 52 }\n\
    [topics]\nt0 = 2\nt1 = 2\nt2 = 2\n[levels]\njunior = 2\nmid = 2\nsenior = 2\n[at_most]\n\"tag:internals\" = 1\n";

/// A round of 4 kits (seed 7) on the fixture bank with selection `version`, as id lists.
fn fixture_round(version: u32) -> Vec<Vec<String>> {
    fixture_round_of(version, 4)
}

/// A round of `kits` kits (seed 7) on the fixture bank with selection `version`.
fn fixture_round_of(version: u32, kits: usize) -> Vec<Vec<String>> {
    use interview_kit::select::{Earlier, Plan, round};
    let bank = fixture_bank();
    let blueprint = Blueprint::parse("fixture.toml", FIXTURE_BLUEPRINT, &bank).unwrap();
    let plan = Plan::with_version(&bank, &blueprint, 7, version).unwrap();
    round(&plan, 0, kits, &Earlier::default(), |i| {
        (Default::default(), format!("c{i}"))
    })
    .unwrap()
    .iter()
    .map(|k| k.iter().map(|p| p.question.id.clone()).collect())
    .collect()
}

/// Selection v1 on the fixture bank: pinned forever, so v1 kit codes keep replaying.
#[test]
fn golden_v1_on_the_fixture_bank() {
    let ids = fixture_round(1);
    assert_eq!(ids, GOLDEN_V1, "new ids: {ids:?}");
}

/// Selection v2 on the fixture bank: pinned forever (a change is a new algorithm version).
#[test]
fn golden_v2_on_the_fixture_bank() {
    let ids = fixture_round(2);
    assert_eq!(ids, GOLDEN_V2, "new ids: {ids:?}");
}

/// Selection v3 on the fixture bank: pinned forever (a change is a new algorithm version).
/// Its first kits are v2's (no spread to trade yet), so the round is longer: 12 kits, each
/// pinned as its ids joined by spaces; the test also checks that v2 differs on it.
#[test]
fn golden_v3_on_the_fixture_bank() {
    let joined = |version| -> Vec<String> {
        fixture_round_of(version, 12)
            .iter()
            .map(|kit| kit.join(" "))
            .collect()
    };
    let ids = joined(3);
    assert_eq!(ids, GOLDEN_V3, "new ids: {ids:#?}");
    assert_ne!(ids, joined(2), "v3 must differ from v2 on this round");
}

const GOLDEN_V3: [&str; 12] = [
    "t0-junior-1 t2-junior-1 t1-mid-4 t2-mid-3 t0-senior-3 t1-senior-1",
    "t0-junior-4 t2-junior-4 t1-mid-3 t2-mid-2 t0-senior-0 t1-senior-2",
    "t0-junior-5 t2-junior-3 t1-mid-2 t2-mid-4 t0-senior-4 t1-senior-4",
    "t0-junior-3 t2-junior-5 t1-mid-1 t2-mid-0 t0-senior-1 t1-senior-3",
    "t0-junior-2 t2-junior-0 t1-mid-0 t2-mid-1 t0-senior-5 t1-senior-0",
    "t0-junior-0 t2-junior-2 t1-mid-5 t2-mid-2 t0-senior-2 t1-senior-0",
    "t0-junior-4 t2-junior-2 t1-mid-1 t2-mid-1 t0-senior-3 t1-senior-5",
    "t0-junior-2 t2-junior-1 t1-mid-3 t2-mid-5 t0-senior-2 t1-senior-3",
    "t0-junior-0 t2-junior-0 t1-mid-4 t2-mid-5 t0-senior-4 t1-senior-2",
    "t0-junior-3 t2-junior-3 t1-mid-0 t2-mid-3 t0-senior-0 t1-senior-5",
    "t0-junior-1 t2-junior-4 t1-mid-2 t2-mid-0 t0-senior-5 t1-senior-1",
    "t0-junior-5 t2-junior-2 t1-mid-4 t2-mid-4 t0-senior-1 t1-senior-4",
];

const GOLDEN_V1: [[&str; 6]; 4] = [
    [
        "t0-junior-4",
        "t0-junior-5",
        "t1-mid-3",
        "t1-mid-0",
        "t2-senior-0",
        "t2-senior-2",
    ],
    [
        "t0-junior-1",
        "t0-junior-0",
        "t1-mid-2",
        "t1-mid-4",
        "t2-senior-3",
        "t2-senior-5",
    ],
    [
        "t0-junior-2",
        "t0-junior-0",
        "t1-mid-1",
        "t1-mid-5",
        "t2-senior-1",
        "t2-senior-4",
    ],
    [
        "t0-junior-3",
        "t0-junior-1",
        "t1-mid-1",
        "t1-mid-3",
        "t2-senior-2",
        "t2-senior-5",
    ],
];
const GOLDEN_V2: [[&str; 6]; 4] = [
    [
        "t0-junior-1",
        "t2-junior-1",
        "t1-mid-4",
        "t2-mid-3",
        "t0-senior-3",
        "t1-senior-1",
    ],
    [
        "t0-junior-4",
        "t2-junior-4",
        "t1-mid-3",
        "t2-mid-2",
        "t0-senior-0",
        "t1-senior-2",
    ],
    [
        "t0-junior-5",
        "t2-junior-3",
        "t1-mid-2",
        "t2-mid-4",
        "t0-senior-4",
        "t1-senior-4",
    ],
    [
        "t0-junior-3",
        "t2-junior-5",
        "t1-mid-1",
        "t2-mid-0",
        "t0-senior-1",
        "t1-senior-3",
    ],
];

#[test]
fn the_default_kit_is_balanced_and_an_hour_long() {
    let bank = Bank::builtin().unwrap();
    let blueprint = Blueprint::builtin(&bank).unwrap();
    for seed in 0..50 {
        let kit = default_kit(seed, "Ada");
        let mut topics = std::collections::BTreeMap::new();
        let mut levels = std::collections::BTreeMap::new();
        for item in &kit.questions {
            *topics.entry(item.question.topic.clone()).or_insert(0) += 1;
            *levels.entry(item.question.level).or_insert(0) += 1;
        }
        assert_eq!(topics, blueprint.topics, "seed {seed}");
        assert_eq!(levels, blueprint.levels, "seed {seed}");
        let minutes: u32 = kit.questions.iter().map(|q| q.question.minutes).sum();
        assert!(
            (55..=65).contains(&minutes),
            "seed {seed}: {minutes} minutes"
        );
        let internals = kit
            .questions
            .iter()
            .filter(|q| q.question.tags.iter().any(|t| t == "internals"))
            .count();
        assert!(internals <= 1, "seed {seed}");
        let numbers: Vec<usize> = kit.questions.iter().map(|q| q.number).collect();
        assert_eq!(numbers, (1..=blueprint.total()).collect::<Vec<_>>());
    }
}

#[test]
fn rendering_twice_in_one_process_gives_identical_bytes() {
    let kit = default_kit(42, "José Núñez");
    let first = interview_kit::documents(&kit, &interview_kit::RenderOptions::default()).unwrap();
    let second = interview_kit::documents(&kit, &interview_kit::RenderOptions::default()).unwrap();
    assert_eq!(first, second);
    // And a different candidate really gives different documents.
    let other = interview_kit::documents(
        &default_kit(42, "Zoë"),
        &interview_kit::RenderOptions::default(),
    )
    .unwrap();
    assert_ne!(first[0].bytes, other[0].bytes);
}

#[test]
fn kit_json_round_trips() {
    let kit = default_kit(9, "Łukasz");
    let json = interview_kit::export::kit_json(&kit).unwrap();
    let back =
        interview_kit::export::kit_from_json("kit.json", std::str::from_utf8(&json).unwrap())
            .unwrap();
    assert_eq!(back, kit);
    // The kit re-renders from kit.json alone.
    assert_eq!(
        interview_kit::documents(&back, &interview_kit::RenderOptions::default()).unwrap(),
        interview_kit::documents(&kit, &interview_kit::RenderOptions::default()).unwrap()
    );
}

#[test]
fn different_seeds_give_different_kits() {
    let a = default_kit(1, "A");
    let b = default_kit(2, "A");
    assert_ne!(a.kit_code, b.kit_code);
    assert_ne!(a.questions, b.questions);
}
