//! `generate --dry-run` through the binary: it prints the round's figures and kits and
//! writes nothing (no output folder, no workspace, no rows in an existing one).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn bin() -> Command {
    Command::cargo_bin("interview-kit").expect("the binary builds")
}

fn roster(dir: &Path, count: usize) -> PathBuf {
    let path = dir.join("roster.csv");
    let mut text = String::from("name,email\n");
    for i in 0..count {
        text.push_str(&format!("Candidate {i},c{i}@example.org\n"));
    }
    fs::write(&path, text).unwrap();
    path
}

/// Kits recorded in the workspace `db`, counted through `history export`.
fn recorded(dir: &Path, db: &Path) -> usize {
    let ledger = dir.join("export.jsonl");
    bin()
        .args(["history", "export"])
        .arg(&ledger)
        .arg("--workspace")
        .arg(db)
        .assert()
        .success();
    let count = fs::read_to_string(&ledger).unwrap().lines().count();
    fs::remove_file(&ledger).unwrap();
    count
}

/// Question ids of each kit of a `--json` dry run, in roster order.
fn planned(json: &Value) -> Vec<BTreeSet<String>> {
    json["kits"]
        .as_array()
        .expect("kits is a list")
        .iter()
        .map(|k| {
            k["questions"]
                .as_array()
                .expect("questions is a list")
                .iter()
                .map(|q| q.as_str().expect("an id").to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn a_dry_run_prints_every_figure_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(dir.path(), 12);
    let db = dir.path().join("ws.db");
    let out = dir.path().join("kits");
    let run = bin()
        .args(["generate", "--dry-run", "--seed", "3", "--candidates"])
        .arg(&roster)
        .arg("--workspace")
        .arg(&db)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    for figure in [
        "dry run (seed 3): nothing written",
        "round: 12 kits",
        "profile: ",
        "minutes: ",
        "per kit (target ",
        "overlap: max ",
        "lower bound for this bank, profile and size: mean ",
        "exposure spread: ",
        "kits with two questions of one family: 0",
        "candidates served with max overlap <= 0: ",
        "<= 2: ",
        "(bank allows ",
    ] {
        assert!(
            stdout.contains(figure),
            "`{figure}` missing from:\n{stdout}"
        );
    }
    assert_eq!(stdout.matches("\nkit ").count(), 12, "{stdout}");
    assert!(!out.exists(), "the dry run created the output folder");
    assert!(!db.exists(), "the dry run created a workspace");
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the roster may be there: {left:?}");
}

#[test]
fn a_dry_run_plans_against_the_workspace_without_recording_and_matches_the_real_round() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.db");
    let first = dir.path().join("first");
    let run = bin()
        .args(["generate", "--json", "--seed", "1", "--candidate", "Ada"])
        .arg("--workspace")
        .arg(&db)
        .arg("--out")
        .arg(&first)
        .assert()
        .success();
    let report: Value = serde_json::from_slice(&run.get_output().stdout).expect("JSON");
    let seen = planned(&report).remove(0);
    assert_eq!(recorded(dir.path(), &db), 1);
    let before = fs::read(&db).unwrap();

    let out = dir.path().join("second");
    let args = |cmd: &mut Command| {
        let roster = ["--candidate", "Ada", "--candidate", "Grace"];
        cmd.args(["generate", "--seed", "5"])
            .args(roster)
            .arg("--workspace")
            .arg(&db)
            .arg("--out")
            .arg(&out);
    };
    let mut dry = bin();
    args(&mut dry);
    let run = dry.args(["--dry-run", "--json"]).assert().success();
    let json: Value = serde_json::from_slice(&run.get_output().stdout).expect("JSON");
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["seed"], 5);
    let forecast = &json["forecast"];
    assert_eq!(forecast["kits"], 2);
    for field in [
        "profile",
        "minutes",
        "minutes_band",
        "max_overlap",
        "mean_overlap",
        "overlap_lower_bound",
        "max_overlap_lower_bound",
        "exposure_spread",
        "family_pairs",
    ] {
        assert!(
            !forecast[field].is_null(),
            "forecast.{field} missing: {forecast}"
        );
    }
    let serves = forecast["serves"].as_array().expect("serves is a list");
    assert!(!serves.is_empty());
    for s in serves {
        assert!(s["max_overlap"].is_u64() && s["candidates"].is_u64() && s["bank_allows"].is_u64());
    }
    // Forms continue after the workspace's kit, as a real run numbers them.
    assert_eq!(json["kits"][0]["form"], 1);
    let plan = planned(&json);

    // Nothing written: no folder, no new rows, the workspace file untouched.
    assert!(!out.exists());
    assert_eq!(recorded(dir.path(), &db), 1);
    assert_eq!(
        fs::read(&db).unwrap(),
        before,
        "the dry run changed the workspace"
    );

    // Ada's history counted, and the real round is the one the dry run showed.
    assert!(plan[0].is_disjoint(&seen), "Ada would see a question twice");
    let mut real = bin();
    args(&mut real);
    let run = real.arg("--json").assert().success();
    let report: Value = serde_json::from_slice(&run.get_output().stdout).expect("JSON");
    let written: Vec<BTreeSet<String>> = planned(&report);
    assert_eq!(written, plan, "the real round differs from its dry run");
    assert_eq!(recorded(dir.path(), &db), 3);
}
