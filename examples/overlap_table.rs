//! The README's overlap table: rounds of 12, 30 and 100 candidates over seeds 1–20 on the
//! built-in bank and blueprint, selection v1 and v2 against v3 (the current one), with the
//! lower bound.
//!
//! Run with `cargo run --release --example overlap_table [-- --bank DIR] [-- --blueprint FILE]`.
//! Re-run it whenever the bank or the default blueprint changes and paste the table into
//! README ("Rounds of candidates").

use std::collections::BTreeSet;
use std::path::PathBuf;

use interview_kit::bank::{self, Bank};
use interview_kit::select::{self, Blueprint, Earlier, Plan};

const SEEDS: std::ops::RangeInclusive<u64> = 1..=20;
const SIZES: [usize; 3] = [12, 30, 100];

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut bank_path, mut blueprint_path) = (None, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bank" => bank_path = args.next().map(PathBuf::from),
            "--blueprint" => blueprint_path = args.next().map(PathBuf::from),
            other => {
                eprintln!("unknown argument `{other}`; use --bank DIR and --blueprint FILE");
                std::process::exit(2);
            }
        }
    }
    let bank = match &bank_path {
        Some(path) => bank::load_path(path),
        None => Bank::builtin(),
    }
    .unwrap_or_else(|e| fail(&e));
    let blueprint = match &blueprint_path {
        Some(path) => Blueprint::load(path, &bank),
        None => Blueprint::builtin(&bank),
    }
    .unwrap_or_else(|e| fail(&e));
    println!(
        "bank {} questions, blueprint `{}` ({} questions), seeds {}-{}",
        bank.questions.len(),
        blueprint.name,
        blueprint.total(),
        SEEDS.start(),
        SEEDS.end()
    );
    println!();
    println!(
        "| round | v1 max overlap | v2 max overlap (spread) | v3 max overlap | v3 mean overlap | lower bound (mean / max) | v3 exposure spread | v3 minutes | v3 family pairs |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for size in SIZES {
        let mut v1_max = Vec::new();
        let mut v2_max = Vec::new();
        let mut v2_spread = Vec::new();
        let mut v3_max = Vec::new();
        let mut v2_mean = Vec::new();
        let mut bound = Vec::new();
        let mut bound_max = Vec::new();
        let mut spread = Vec::new();
        let mut minutes = (u32::MAX, 0);
        let mut families = 0;
        for seed in SEEDS {
            for version in select::SUPPORTED_VERSIONS {
                let plan = Plan::with_version(&bank, &blueprint, seed, version)
                    .unwrap_or_else(|e| fail(&e));
                let kits = select::round(&plan, 0, size, &Earlier::default(), |i| {
                    (BTreeSet::new(), format!("candidate {}", i + 1))
                })
                .unwrap_or_else(|e| fail(&e));
                let f = select::forecast(&plan, &kits, &Earlier::default());
                if version == 1 {
                    v1_max.push(f.max_overlap as f64);
                    continue;
                }
                if version == 2 {
                    v2_max.push(f.max_overlap as f64);
                    v2_spread.push(f64::from(f.exposure_spread));
                    continue;
                }
                v3_max.push(f.max_overlap as f64);
                v2_mean.push(f.mean_overlap);
                bound.push(f.overlap_lower_bound);
                bound_max.push(f.max_overlap_lower_bound as f64);
                spread.push(f64::from(f.exposure_spread));
                minutes = (minutes.0.min(f.minutes.0), minutes.1.max(f.minutes.1));
                families += f.family_pairs;
            }
        }
        println!(
            "| {size} | {} | {} ({}) | {} | {} | {} / {} | {} | {}-{} | {families} |",
            range(&v1_max, 0),
            range(&v2_max, 0),
            range(&v2_spread, 0),
            range(&v3_max, 0),
            range(&v2_mean, 2),
            range(&bound, 2),
            range(&bound_max, 0),
            range(&spread, 0),
            minutes.0,
            minutes.1
        );
    }
    let plan = Plan::new(&bank, &blueprint, *SEEDS.start()).unwrap_or_else(|e| fail(&e));
    let f = select::forecast(&plan, &[], &Earlier::default());
    println!();
    println!("seed {}: {f}", SEEDS.start());
}

/// `min-max` of the values (one number when they agree), with `digits` decimals.
fn range(values: &[f64], digits: usize) -> String {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if (high - low).abs() < 1e-9 {
        format!("{low:.digits$}")
    } else {
        format!("{low:.digits$}-{high:.digits$}")
    }
}

fn fail(err: &interview_kit::error::Error) -> ! {
    eprintln!("error: {err}");
    std::process::exit(1);
}
