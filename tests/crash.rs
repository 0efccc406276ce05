//! Interruptions: a round stopped by SIGINT or killed by SIGKILL leaves only complete kits and
//! a consistent workspace, and the same command again finishes it into exactly the files an
//! uninterrupted round writes, with one kit per candidate.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// `generate` for the roster into `out`, recorded in the workspace `db`.
fn generate(roster: &Path, out: &Path, db: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(binary());
    cmd.args([
        "generate",
        "--seed",
        "11",
        "--quiet",
        "--format",
        "md",
        "--candidates",
    ])
    .arg(roster)
    .arg("--out")
    .arg(out)
    .arg("--workspace")
    .arg(db)
    .args(extra)
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
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

/// Kit folders under `out` (hidden staging folders are not kits).
fn kit_folders(out: &Path) -> usize {
    fs::read_dir(out).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir() && !e.file_name().to_string_lossy().starts_with('.'))
            .count()
    })
}

/// The workspace's kits as `interview-kit kits --json` lists them.
fn recorded_kits(db: &Path) -> Vec<serde_json::Value> {
    let output = Command::new(binary())
        .args(["kits", "--json", "--workspace"])
        .arg(db)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice::<Vec<serde_json::Value>>(&output.stdout).unwrap()
}

/// Starts the round, waits until `after` kit folders exist (or it finishes), then sends `signal`.
fn interrupt(roster: &Path, out: &Path, db: &Path, after: usize, signal: &str) -> Option<i32> {
    let mut child = generate(roster, out, db, &["--jobs", "2"]).spawn().unwrap();
    let started = Instant::now();
    while kit_folders(out) < after && started.elapsed() < Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status();
    child.wait().unwrap().code()
}

#[test]
fn sigint_at_several_moments_then_the_same_command_equals_an_uninterrupted_round() {
    const KITS: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(dir.path(), KITS);
    let reference = dir.path().join("reference");
    let status = generate(&roster, &reference, &dir.path().join("reference.db"), &[])
        .status()
        .unwrap();
    assert!(status.success());
    let expected = snapshot(&reference);
    assert_eq!(kit_folders(&reference), KITS);

    for (n, after) in [0, 5, 60, 200].into_iter().enumerate() {
        let out = dir.path().join(format!("out{n}"));
        let db = dir.path().join(format!("ws{n}.db"));
        let code = interrupt(&roster, &out, &db, after, "-INT");
        // Stopped cleanly (130), finished first (0), or stopped by the signal itself before
        // the process could install its handler (None: then it wrote nothing).
        assert!(
            matches!(code, Some(130) | Some(0) | None),
            "moment {after}: {code:?}"
        );
        let written = recorded_kits(&db)
            .iter()
            .filter(|k| k["state"] == "written")
            .count();
        assert_eq!(
            written,
            kit_folders(&out),
            "moment {after}: every folder is recorded"
        );

        let again = generate(&roster, &out, &db, &[]).output().unwrap();
        assert!(again.status.success(), "moment {after}: {again:?}");
        assert_eq!(
            kit_folders(&out),
            KITS,
            "moment {after}: one kit per candidate"
        );
        assert_eq!(snapshot(&out), expected, "moment {after}");
        let kits = recorded_kits(&db);
        assert_eq!(
            kits.len(),
            KITS,
            "moment {after}: no second round was drawn"
        );
        assert!(kits.iter().all(|k| k["state"] == "written"));
    }
}

#[test]
fn a_stopped_run_says_how_many_kits_it_wrote_and_how_to_continue() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(dir.path(), 300);
    let out = dir.path().join("out");
    let db = dir.path().join("ws.db");
    let child = generate(&roster, &out, &db, &["--jobs", "1"])
        .spawn()
        .unwrap();
    while kit_folders(&out) < 3 {
        std::thread::sleep(Duration::from_millis(2));
    }
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.starts_with("error: stopped: "), "{stderr}");
    assert!(
        stderr.contains("of 300 kits written (kits in flight were finished); run the same command to write the rest:\n  "),
        "{stderr}"
    );
    assert!(stderr.contains("generate --seed 11"), "{stderr}");
}

#[test]
fn sigkill_at_any_moment_then_the_same_command_gives_the_uninterrupted_result() {
    const KITS: usize = 60;
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(dir.path(), KITS);
    let reference = dir.path().join("reference");
    assert!(
        generate(&roster, &reference, &dir.path().join("reference.db"), &[])
            .status()
            .unwrap()
            .success()
    );
    let expected = snapshot(&reference);
    for (n, after) in [0, 1, 20, 45].into_iter().enumerate() {
        let out = dir.path().join(format!("out{n}"));
        let db = dir.path().join(format!("ws{n}.db"));
        interrupt(&roster, &out, &db, after, "-KILL");
        // Only complete kits: every visible folder has all its files.
        for entry in fs::read_dir(&out).into_iter().flatten() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() && !name.starts_with('.') {
                assert!(path.join("kit.json").is_file(), "{name} is incomplete");
            }
        }
        let again = generate(&roster, &out, &db, &[]).output().unwrap();
        assert!(again.status.success(), "moment {after}: {again:?}");
        assert_eq!(snapshot(&out), expected, "moment {after}");
        assert_eq!(recorded_kits(&db).len(), KITS);
    }
}

#[test]
fn jobs_1_and_jobs_4_write_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(dir.path(), 12);
    let one = dir.path().join("one");
    let four = dir.path().join("four");
    for (out, jobs) in [(&one, "1"), (&four, "4")] {
        let db = out.with_extension("db");
        assert!(
            generate(&roster, out, &db, &["--jobs", jobs])
                .status()
                .unwrap()
                .success()
        );
    }
    assert_eq!(snapshot(&one), snapshot(&four));
    assert_eq!(kit_folders(&one), 12);
}
