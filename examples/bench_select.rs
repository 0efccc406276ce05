//! Selection benchmark: rounds of 1,000 candidates, selection v1 and v2, on the built-in bank
//! and blueprint and on a generated 10,000-question bank.
//!
//! Run with `cargo run --release --example bench_select`. Selection only: no rendering.
//! Best of 3 runs each (the machine may be shared); the forecast is timed apart.
//! `-- current` runs only the current algorithm on the built-in bank, so that
//! `/usr/bin/time` (CPU seconds for 3 runs) can measure it on a busy machine.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use interview_kit::bank::{Bank, Level, Question, Topic};
use interview_kit::select::{self, Blueprint, Earlier, Plan};

fn main() {
    let topics = 20;
    let per_topic = 500;
    let big = bank(topics, per_topic);
    let big_blueprint = Blueprint {
        name: "bench".into(),
        role: "Bench".into(),
        code_prefix: "BN".into(),
        topics: (0..5).map(|t| (format!("t{t:02}"), 2)).collect(),
        levels: [(Level::Junior, 3), (Level::Mid, 4), (Level::Senior, 3)]
            .into_iter()
            .collect(),
        topic_levels: BTreeMap::new(),
        max_minutes: None,
        min_minutes: None,
        at_most: BTreeMap::new(),
        include: Vec::new(),
        exclude: Vec::new(),
        scale: None,
        writing_space: false,
        instructions: String::new(),
    };
    let builtin = Bank::builtin().expect("the built-in bank loads");
    let default = Blueprint::builtin(&builtin).expect("the built-in blueprint resolves");
    let candidates = 1_000;
    let current = std::env::args().nth(1).as_deref() == Some("current");
    let banks = [
        ("built-in bank, default blueprint", &builtin, &default),
        ("generated 10,000-question bank", &big, &big_blueprint),
    ];
    for (name, bank, blueprint) in &banks[..if current { 1 } else { 2 }] {
        for version in select::SUPPORTED_VERSIONS {
            if current && version != select::ALGORITHM_VERSION {
                continue;
            }
            let mut best = f64::MAX;
            let mut kits = Vec::new();
            let plan = Plan::with_version(bank, blueprint, 42, version)
                .expect("the bank fills the blueprint");
            for _ in 0..3 {
                let start = Instant::now();
                let plan = Plan::with_version(bank, blueprint, 42, version)
                    .expect("the bank fills the blueprint");
                kits = select::round(&plan, 0, candidates, &Earlier::default(), |i| {
                    (BTreeSet::new(), format!("c{i}"))
                })
                .expect("the round fills");
                best = best.min(start.elapsed().as_secs_f64());
            }
            let start = Instant::now();
            let forecast = select::forecast(&plan, &kits, &Earlier::default());
            let forecast_ms = start.elapsed().as_secs_f64() * 1000.0;
            println!(
                "{name} ({} questions), v{version}: {candidates} kits of {} in {:.1} ms (best of 3); forecast {:.1} ms; max overlap {}, mean {:.2} (lower bound {:.2}), exposure spread {}",
                bank.questions.len(),
                blueprint.total(),
                best * 1000.0,
                forecast_ms,
                forecast.max_overlap,
                forecast.mean_overlap,
                forecast.overlap_lower_bound,
                forecast.exposure_spread
            );
        }
    }
}

fn bank(topics: usize, per_topic: usize) -> Bank {
    let mut questions = Vec::with_capacity(topics * per_topic);
    for t in 0..topics {
        for i in 0..per_topic {
            questions.push(Question {
                id: format!("t{t:02}-q{i:04}"),
                topic: format!("t{t:02}"),
                level: Level::ALL[i % 3],
                minutes: 3 + (i % 10) as u32,
                prompt: format!("Prompt {t} {i}"),
                code: None,
                purpose: "Assesses benchmarking.".into(),
                answer: "Answer.".into(),
                key_points: vec!["a".into(), "b".into(), "c".into()],
                follow_ups: Vec::new(),
                red_flags: Vec::new(),
                tags: Vec::new(),
                source: Vec::new(),
                rubric: None,
                ..Default::default()
            });
        }
    }
    questions.sort_by(|a, b| a.id.cmp(&b.id));
    Bank {
        topics: (0..topics)
            .map(|t| Topic {
                id: format!("t{t:02}"),
                title: format!("Topic {t}"),
                description: String::new(),
            })
            .collect(),
        questions,
    }
}
