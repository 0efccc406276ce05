//! Selection benchmark: a round of 1,000 candidates over a generated 10,000-question bank.
//!
//! Run with `cargo run --release --example bench_select`. Selection only: no rendering.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use interview_kit::bank::{Bank, Level, Question, Topic};
use interview_kit::select::{self, Blueprint, Plan};

fn main() {
    let topics = 20;
    let per_topic = 500;
    let bank = bank(topics, per_topic);
    let blueprint = Blueprint {
        name: "bench".into(),
        role: "Bench".into(),
        code_prefix: "BN".into(),
        topics: (0..5).map(|t| (format!("t{t:02}"), 2)).collect(),
        levels: [(Level::Junior, 3), (Level::Mid, 4), (Level::Senior, 3)]
            .into_iter()
            .collect(),
        topic_levels: BTreeMap::new(),
        max_minutes: None,
        include: Vec::new(),
        exclude: Vec::new(),
        scale: None,
        writing_space: false,
        instructions: String::new(),
    };
    let candidates = 1_000;
    let runs = 5;
    let mut best = f64::MAX;
    let mut summary = None;
    for _ in 0..runs {
        let start = Instant::now();
        let plan =
            Plan::new(&bank, &blueprint, 42).expect("the generated bank fills the blueprint");
        let kits = select::round(&plan, 0, candidates, &BTreeMap::new(), |i| {
            (BTreeSet::new(), format!("c{i}"))
        })
        .expect("the round fills");
        let elapsed = start.elapsed().as_secs_f64();
        best = best.min(elapsed);
        summary = Some(select::summarize(&plan, &kits, &BTreeMap::new()));
    }
    println!(
        "bank {} questions ({topics} topics), round of {candidates} kits x {} questions: best of {runs} runs {:.1} ms",
        bank.questions.len(),
        blueprint.total(),
        best * 1000.0
    );
    println!("{:?}", summary.expect("at least one run"));
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
