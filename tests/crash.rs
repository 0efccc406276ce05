//! Crash safety: a batch killed with SIGKILL leaves only complete kits, an intact ledger, and
//! `--resume` finishes it into exactly what an uninterrupted run writes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_interview-kit"))
}

fn roster(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("roster.csv");
    let mut text = String::from("name,email\n");
    for i in 0..n {
        text.push_str(&format!("Candidate {i},c{i}@example.org\n"));
    }
    fs::write(&path, text).unwrap();
    path
}

fn generate(roster: &Path, out: &Path, history: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(binary());
    cmd.args(["generate", "--seed", "11", "--quiet", "--candidates"])
        .arg(roster)
        .arg("--out")
        .arg(out)
        .arg("--history")
        .arg(history)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Every file of every kit folder under `out`, by relative path.
fn snapshot(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for kit in fs::read_dir(out).unwrap() {
        let kit = kit.unwrap().path();
        if !kit.is_dir() {
            continue;
        }
        for file in fs::read_dir(&kit).unwrap() {
            let file = file.unwrap().path();
            let name = file.strip_prefix(out).unwrap().display().to_string();
            files.push((name, fs::read(&file).unwrap()));
        }
    }
    files.sort();
    files
}

/// After a kill: kit folders are complete, anything else is a hidden staging folder, and
/// the ledger, if written, parses in full.
fn check_consistent(out: &Path, history: &Path, kits: usize) {
    if out.exists() {
        for entry in fs::read_dir(out).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with(".interview-kit-") || name == "round.csv" {
                continue;
            }
            assert!(path.is_dir(), "unexpected file {name}");
            for file in [
                "interviewer.pdf",
                "handout.pdf",
                "scorecard.csv",
                "kit.json",
            ] {
                assert!(path.join(file).is_file(), "{name} lacks {file}");
            }
            let json = fs::read_to_string(path.join("kit.json")).unwrap();
            interview_kit::export::kit_from_json("kit.json", &json).expect("complete kit.json");
        }
    }
    if history.exists() {
        let text = fs::read_to_string(history).unwrap();
        let ledger =
            interview_kit::history::Ledger::parse("history", &text).expect("ledger parses");
        assert_eq!(ledger.entries.len(), kits, "the ledger is all or nothing");
    }
}

#[test]
fn sigkill_at_any_moment_then_resume_gives_the_uninterrupted_result() {
    let dir = tempfile::tempdir().unwrap();
    let kits = 24;
    let roster = roster(dir.path(), kits);

    let clean_out = dir.path().join("clean");
    let clean_history = dir.path().join("clean.jsonl");
    let status = generate(&roster, &clean_out, &clean_history, &[])
        .status()
        .unwrap();
    assert!(status.success());
    let expected = snapshot(&clean_out);
    assert_eq!(expected.len(), kits * 4);

    // Kill moments spread over the run; fixed, so the test is repeatable.
    for (run, delay) in [5u64, 40, 90, 160, 260, 420, 700, 1000]
        .into_iter()
        .enumerate()
    {
        let out = dir.path().join(format!("run{run}"));
        let history = dir.path().join(format!("run{run}.jsonl"));
        let mut child = generate(&roster, &out, &history, &["--jobs", "2"])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        check_consistent(&out, &history, kits);
        let complete = fs::read_dir(&out).map_or(0, |d| {
            d.filter(|e| {
                e.as_ref().is_ok_and(|e| {
                    !e.file_name().to_string_lossy().starts_with('.') && e.path().is_dir()
                })
            })
            .count()
        });
        eprintln!("killed at {delay} ms: {complete} of {kits} kits complete");

        let status = generate(&roster, &out, &history, &["--resume"])
            .status()
            .unwrap();
        assert!(status.success(), "resume after a kill at {delay} ms failed");
        assert_eq!(
            snapshot(&out),
            expected,
            "resume after a kill at {delay} ms differs"
        );
        let leftovers = fs::read_dir(&out)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with('.')
            })
            .count();
        assert_eq!(leftovers, 0, "staging folders survived the resume");
        assert_eq!(
            fs::read(&history).unwrap(),
            fs::read(&clean_history).unwrap()
        );
    }
}

#[test]
fn jobs_1_and_jobs_4_write_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(dir.path(), 12);
    let mut outs = Vec::new();
    for jobs in ["1", "4"] {
        let out = dir.path().join(format!("jobs{jobs}"));
        let history = dir.path().join(format!("jobs{jobs}.jsonl"));
        let status = generate(&roster, &out, &history, &["--jobs", jobs])
            .status()
            .unwrap();
        assert!(status.success());
        outs.push(snapshot(&out));
    }
    assert_eq!(outs[0], outs[1]);
}
