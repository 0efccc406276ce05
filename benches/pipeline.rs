//! Criterion benchmarks of each pipeline stage for one default kit: select, rubric, layout, serialise.
//!
//! `cargo bench --bench pipeline`. Whole-process numbers (one kit cold, 1,000 and 10,000
//! kits with peak memory) come from `benches/run.sh`.

use std::collections::BTreeSet;

use criterion::{Criterion, criterion_group, criterion_main};
use interview_kit::bank::Bank;
use interview_kit::kit::{Kit, Source};
use interview_kit::render::{self, DocOptions, PaperSize};
use interview_kit::select::{Blueprint, Earlier, Plan};
use interview_kit::templates::Templates;
use interview_kit::{RenderOptions, documents};

fn stages(c: &mut Criterion) {
    let bank = Bank::builtin().expect("built-in bank");
    let blueprint = Blueprint::builtin(&bank).expect("built-in blueprint");
    let templates = Templates::builtin();
    let source = Source::new(&bank, &blueprint, 42, 0);
    let kit = Kit::build(&bank, &blueprint, 42, 0, "Ada Lovelace").expect("kit");
    let options = DocOptions::default();

    c.bench_function("select: plan + draw one kit", |b| {
        b.iter(|| {
            let plan = Plan::new(&bank, &blueprint, 42).expect("plan");
            plan.draw(0, &Earlier::default(), &BTreeSet::new(), "Ada")
                .expect("draw")
        })
    });
    let plan = Plan::new(&bank, &blueprint, 42).expect("plan");
    let picks = plan
        .draw(0, &Earlier::default(), &BTreeSet::new(), "Ada")
        .expect("draw");
    c.bench_function("rubric: assemble the kit (rubrics, texts)", |b| {
        b.iter(|| Kit::from_picks(&source, "Ada Lovelace", &picks, templates).expect("kit"))
    });
    c.bench_function("layout: both PDFs, no serialising", |b| {
        b.iter(|| render::layout_only(&kit, templates, &options, PaperSize::A4).expect("layout"))
    });
    c.bench_function("serialise: interviewer PDF (layout included)", |b| {
        b.iter(|| render::interviewer_pdf(&kit, templates, &options, PaperSize::A4).expect("pdf"))
    });
    c.bench_function("serialise: handout PDF (layout included)", |b| {
        b.iter(|| render::handout_pdf(&kit, templates, &options, PaperSize::A4).expect("pdf"))
    });
    c.bench_function("all files of one kit (2 PDFs, CSV, JSON)", |b| {
        b.iter(|| documents(&kit, &RenderOptions::default()).expect("documents"))
    });
}

criterion_group! {
    name = pipeline;
    config = Criterion::default().sample_size(30);
    targets = stages
}
criterion_main!(pipeline);
