//! Rounds of candidates, history ledgers, kit codes and replay, through the binary.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use interview_kit::kit::Kit;

/// The binary with a throwaway workspace: nothing is recorded unless a test passes
/// `--workspace FILE`.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("interview-kit").expect("the binary builds");
    cmd.env("INTERVIEW_KIT_WORKSPACE", ":memory:");
    cmd
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/blueprints")
}

fn kits(out: &Path) -> Vec<Kit> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut kits: Vec<Kit> = dirs
        .iter()
        .map(|d| {
            let text = fs::read_to_string(d.join("kit.json")).unwrap();
            interview_kit::export::kit_from_json("kit.json", &text).unwrap()
        })
        .collect();
    kits.sort_by_key(|k| k.form);
    kits
}

fn ids(kit: &Kit) -> BTreeSet<String> {
    kit.questions
        .iter()
        .map(|q| q.question.id.clone())
        .collect()
}

fn roster(dir: &Path, names: &[&str]) -> PathBuf {
    let path = dir.join("roster.csv");
    let mut text = String::from("name,email\n");
    for (i, name) in names.iter().enumerate() {
        text.push_str(&format!("{name},c{i}@example.org\n"));
    }
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_round_gives_equivalent_different_kits_and_prints_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(dir.path(), &["Ada", "Grace", "Alan", "Edsger", "Barbara"]);
    let out = dir.path().join("kits");
    let run = bin()
        .args(["generate", "--seed", "11", "--candidates"])
        .arg(&roster)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("round: 5 kits, same topic and level profile"),
        "{stdout}"
    );
    let kits = kits(&out);
    assert_eq!(kits.len(), 5);
    let profile = |k: &Kit| {
        let mut p: Vec<(String, String)> = k
            .questions
            .iter()
            .map(|q| (q.question.topic.clone(), q.question.level.to_string()))
            .collect();
        p.sort();
        p
    };
    for kit in &kits {
        assert_eq!(profile(kit), profile(&kits[0]));
    }
    // The default bank has at least 3 questions per headline topic and level: the first
    // kits of a round share nothing.
    assert!(ids(&kits[0]).is_disjoint(&ids(&kits[1])));
}

#[test]
fn adding_a_candidate_at_the_end_keeps_earlier_kits() {
    let dir = tempfile::tempdir().unwrap();
    let run = |names: &[&str], out: &str| {
        let mut cmd = bin();
        cmd.args(["generate", "--seed", "5", "--out"])
            .arg(dir.path().join(out));
        for name in names {
            cmd.args(["--candidate", name]);
        }
        cmd.assert().success();
        kits(&dir.path().join(out))
    };
    let three = run(&["Ada", "Grace", "Alan"], "a");
    let four = run(&["Ada", "Grace", "Alan", "Edsger"], "b");
    assert_eq!(three[..], four[..3]);
}

#[test]
fn the_workspace_prevents_repeats_and_replay_needs_only_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.db");
    let first = dir.path().join("first");
    bin()
        .args([
            "generate",
            "--seed",
            "1",
            "--candidate",
            "Ada",
            "--workspace",
        ])
        .arg(&db)
        .arg("--out")
        .arg(&first)
        .assert()
        .success();
    let seen = ids(&kits(&first)[0]);
    assert_eq!(kits(&first)[0].form, 0);
    let second = dir.path().join("second");
    bin()
        .args([
            "generate",
            "--seed",
            "1",
            "--candidate",
            "Ada",
            "--candidate",
            "Grace",
            "--workspace",
        ])
        .arg(&db)
        .arg("--out")
        .arg(&second)
        .assert()
        .success();
    let round = kits(&second);
    assert!(
        ids(&round[0]).is_disjoint(&seen),
        "Ada saw a question twice"
    );
    // Forms continue after the workspace's kits, so codes never repeat.
    assert_eq!(round[0].form, 1);

    // Replay the second kit of the second round from its code alone.
    let replayed = dir.path().join("replayed");
    bin()
        .args(["replay", &round[1].kit_code, "--workspace"])
        .arg(&db)
        .arg("--out")
        .arg(&replayed)
        .assert()
        .success();
    let again = kits(&replayed);
    assert_eq!(again[0].kit_code, round[1].kit_code);
    assert_eq!(ids(&again[0]), ids(&round[1]));
    assert_eq!(again[0].candidate, "Grace");

    // An old ledger still counts as history, and history export/import round-trips.
    let ledger = dir.path().join("history.jsonl");
    bin()
        .args(["history", "export"])
        .arg(&ledger)
        .arg("--workspace")
        .arg(&db)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&ledger).unwrap().lines().count(), 3);
    let third = dir.path().join("third");
    bin()
        .args(["generate", "--seed", "2", "--candidate", "Ada", "--history"])
        .arg(&ledger)
        .arg("--workspace")
        .arg(":memory:")
        .arg("--out")
        .arg(&third)
        .assert()
        .success();
    let ada = ids(&kits(&third)[0]);
    assert!(ada.is_disjoint(&seen) && ada.is_disjoint(&ids(&round[0])));
    let fresh = dir.path().join("fresh.db");
    for expected in ["imported 3 kit(s)", "imported 0 kit(s)"] {
        let run = bin()
            .args(["history", "import"])
            .arg(&ledger)
            .arg("--workspace")
            .arg(&fresh)
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
        assert!(stdout.starts_with(expected), "{stdout}");
    }
}

#[test]
fn replay_regenerates_identical_bytes_and_refuses_a_changed_bank() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kits");
    bin()
        .args([
            "generate",
            "--seed",
            "99",
            "--candidate",
            "Ada",
            "--candidate",
            "Zoë",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let kit = kits(&out).remove(1);
    let replayed = dir.path().join("replayed");
    bin()
        .args([
            "replay",
            &kit.kit_code.to_lowercase(),
            "--candidate",
            "Zoë",
            "--out",
        ])
        .arg(&replayed)
        .assert()
        .success();
    let original_dir = out.join(interview_kit::output::folder_name(
        &kit.kit_code,
        &kit.candidate,
    ));
    let replayed_dir = replayed.join(interview_kit::output::folder_name(
        &kit.kit_code,
        &kit.candidate,
    ));
    for file in [
        "interviewer.pdf",
        "handout.pdf",
        "scorecard.csv",
        "kit.json",
    ] {
        assert_eq!(
            fs::read(original_dir.join(file)).unwrap(),
            fs::read(replayed_dir.join(file)).unwrap(),
            "{file}"
        );
    }

    let fixture_bank = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bank");
    bin()
        .args(["replay", &kit.kit_code, "--candidate", "Zoë", "--bank"])
        .arg(fixture_bank)
        .arg("--out")
        .arg(dir.path().join("x"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "the bank changed since it was made; pass the bank it was made with (--bank PATH)",
        ));

    // A mistyped character is caught by the check character.
    let mut typo = kit.kit_code.clone().into_bytes();
    let last = typo.len() - 2;
    typo[last] = if typo[last] == b'7' { b'8' } else { b'7' };
    bin()
        .args([
            "replay",
            std::str::from_utf8(&typo).unwrap(),
            "--candidate",
            "Zoë",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the check character does not match",
        ));
}

#[test]
fn corrupt_ledger_line_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.jsonl");
    fs::write(&history, "{\"kit_code\": 1}\n").unwrap();
    let out = dir.path().join("kits");
    bin()
        .args(["generate", "--seed", "1", "--candidate", "Ada", "--history"])
        .arg(&history)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(format!(
            "error: `{}` line 1: not a ledger entry",
            history.display()
        )));
    assert!(!out.exists());
    assert_eq!(fs::read_to_string(&history).unwrap(), "{\"kit_code\": 1}\n");
}

#[test]
fn every_example_blueprint_is_satisfied_by_the_built_in_bank() {
    let mut count = 0;
    for entry in fs::read_dir(examples()).unwrap() {
        let path = entry.unwrap().path();
        let dir = tempfile::tempdir().unwrap();
        bin()
            .args([
                "generate",
                "--seed",
                "3",
                "--candidate",
                "Ada",
                "--candidate",
                "Grace",
                "--blueprint",
            ])
            .arg(&path)
            .arg("--out")
            .arg(dir.path())
            .assert()
            .success();
        let kits = kits(dir.path());
        assert_eq!(kits.len(), 2);
        if let Some(budget) = kits[0].blueprint.max_minutes {
            for kit in &kits {
                let minutes: u32 = kit.questions.iter().map(|q| q.question.minutes).sum();
                assert!(
                    minutes <= budget,
                    "{}: {minutes} > {budget}",
                    path.display()
                );
            }
        }
        count += 1;
    }
    assert!(count >= 5);
}

#[test]
fn explain_says_why_each_question_was_picked() {
    let dir = tempfile::tempdir().unwrap();
    let run = bin()
        .args([
            "generate",
            "--seed",
            "2",
            "--candidate",
            "Ada",
            "--explain",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout.matches("least used in its cell").count(),
        8,
        "{stdout}"
    );
    assert!(stdout.contains("cell gil-concurrency/"), "{stdout}");
}

#[test]
fn infeasible_blueprint_lists_every_short_cell() {
    let dir = tempfile::tempdir().unwrap();
    let blueprint = dir.path().join("bp.toml");
    fs::write(
        &blueprint,
        "name = \"big\"\nrole = \"r\"\n[topics]\ntyping = 20\nweb = { count = 9, levels = { senior = 9 } }\n",
    )
    .unwrap();
    bin()
        .args(["generate", "--seed", "1", "--candidate", "Ada", "--blueprint"])
        .arg(&blueprint)
        .arg("--out")
        .arg(dir.path().join("kits"))
        .assert()
        .code(1)
        .stderr(predicates::str::is_match(
            "(?s)^error: the bank cannot fill blueprint `big`:\ntopic `typing` needs 20 question\\(s\\), the bank has \\d+ \\(short by \\d+\\)\ntopic `web` needs 9 .*\ntopic `web` level `senior` needs 9 .*fix: ",
        )
        .unwrap());
}
