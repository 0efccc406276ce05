//! The workspace as a real SQLite file: reruns continue or do nothing, failures leave no
//! trace, replay needs only the code, concurrent runs never corrupt it, and damaged or
//! foreign files get clear errors.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;

fn bin(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("interview-kit").expect("the binary builds");
    // The environment variable names the workspace as --workspace would.
    cmd.env("INTERVIEW_KIT_WORKSPACE", db).env("NO_COLOR", "1");
    cmd
}

/// `interview-kit args...` on the workspace `db`.
fn run(db: &Path, args: &[&str]) -> Output {
    bin(db).args(args).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(db: &Path, what: &str) -> Vec<serde_json::Value> {
    let output = run(db, &[what, "--json"]);
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap().path();
        if entry.is_dir() {
            for (name, bytes) in files(&entry) {
                all.push((entry.file_name().unwrap().into(), bytes));
                all.last_mut().unwrap().0.push(name);
            }
        } else {
            all.push((entry.file_name().unwrap().into(), fs::read(&entry).unwrap()));
        }
    }
    all.sort();
    all
}

#[test]
fn the_same_command_twice_writes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.db");
    let out = dir.path().join("kits");
    let args = [
        "generate",
        "--seed",
        "3",
        "--candidate",
        "Ada",
        "--candidate",
        "Bea",
        "--out",
        path(&out),
    ];
    assert!(run(&db, &args).status.success());
    let before = files(&out);
    let again = run(&db, &args);
    assert!(again.status.success(), "{again:?}");
    let stdout = text(&again.stdout);
    assert!(
        stdout.starts_with("round 1 is already complete: its 2 kit(s) are in "),
        "{stdout}"
    );
    assert_eq!(files(&out), before);
    assert_eq!(json(&db, "rounds").len(), 1);
    assert_eq!(json(&db, "kits").len(), 2);
    // --new-round draws another round for the same people, avoiding what they saw.
    let second = dir.path().join("second");
    let mut new = args.to_vec();
    let last = new.len() - 1;
    new[last] = path(&second);
    new.push("--new-round");
    assert!(run(&db, &new).status.success());
    let kits = json(&db, "kits");
    assert_eq!(kits.len(), 4);
    let ada: Vec<_> = kits.iter().filter(|k| k["candidate"] == "Ada").collect();
    let first: Vec<&str> = ada[0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap())
        .collect();
    assert!(
        ada[1]["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| !first.contains(&q.as_str().unwrap()))
    );
}

#[test]
fn a_read_only_out_fails_clearly_and_leaves_the_workspace_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.db");
    let out = dir.path().join("locked");
    fs::create_dir(&out).unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o555)).unwrap();
    // `generate` of one kit into `target`, on the test's workspace.
    let generate_into = |target: &Path| {
        run(
            &db,
            &[
                "generate",
                "--seed",
                "1",
                "--candidate",
                "Ada",
                "--out",
                path(target),
            ],
        )
    };
    if fs::write(out.join("probe"), b"").is_ok() {
        // Root writes into a 0555 folder: test a file in place of the folder instead.
        fs::set_permissions(&out, fs::Permissions::from_mode(0o755)).unwrap();
        let _ = fs::remove_file(out.join("probe"));
        let ro = dir.path().join("ro-file");
        fs::write(&ro, b"a file, not a folder").unwrap();
        let output = generate_into(&ro);
        assert_eq!(output.status.code(), Some(1));
        assert!(
            text(&output.stderr).contains("is a file, not a folder; pass another --out"),
            "{output:?}"
        );
        // sysfs refuses new folders even to root: a real "cannot write" on a real mount.
        let sys = Path::new("/sys/interview-kit-test-out");
        if fs::create_dir(sys).is_err() {
            let output = generate_into(sys);
            assert_eq!(output.status.code(), Some(1));
            let stderr = text(&output.stderr);
            assert!(
                stderr.contains("/sys/interview-kit-test-out") && !stderr.contains("panicked"),
                "{stderr}"
            );
        }
    } else {
        let output = generate_into(&out);
        assert_eq!(output.status.code(), Some(1));
        let stderr = text(&output.stderr);
        assert!(stderr.starts_with("error: cannot write into `"), "{stderr}");
    }
    assert!(
        json(&db, "rounds").is_empty(),
        "a failed run records no round"
    );
    assert!(json(&db, "kits").is_empty(), "and no history");
}

#[test]
fn replay_by_code_alone_is_byte_identical_with_every_recorded_option() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.db");
    let out = dir.path().join("kits");
    let output = run(
        &db,
        &[
            "generate",
            "--seed",
            "9",
            "--candidate",
            "Zoë Ñúñez",
            "--candidate",
            "Bea",
            "--date",
            "2026-12-01",
            "--bom",
            "--delimiter",
            ";",
            "--crlf",
            "--csv-profile",
            "greenhouse",
            "--paper",
            "letter",
            "--format",
            "md,html,pdf",
            "--out",
            path(&out),
            "--json",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for kit in report["kits"].as_array().unwrap() {
        let code = kit["kit_code"].as_str().unwrap();
        let folder = PathBuf::from(kit["folder"].as_str().unwrap());
        let replayed = dir.path().join(format!("replayed-{code}"));
        let again = run(
            &db,
            &["replay", &code.to_lowercase(), "--out", path(&replayed)],
        );
        assert!(again.status.success(), "{again:?}");
        let name = folder.file_name().unwrap();
        assert_eq!(files(&replayed.join(name)), files(&folder), "{code}");
    }
}

#[test]
fn a_code_not_in_the_workspace_is_rebuilt_with_a_plain_note() {
    let dir = tempfile::tempdir().unwrap();
    let made = dir.path().join("made.db");
    let out = dir.path().join("kits");
    let output = run(
        &made,
        &[
            "generate",
            "--seed",
            "5",
            "--candidate",
            "Ada",
            "--out",
            path(&out),
            "--json",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let code = report["kits"][0]["kit_code"].as_str().unwrap().to_owned();
    let other = dir.path().join("other.db");
    let replayed = dir.path().join("replayed");
    let output = run(
        &other,
        &[
            "replay",
            &code,
            "--candidate",
            "Ada",
            "--out",
            path(&replayed),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with(&format!(
            "note: kit `{code}` is not in the workspace, so its questions could not be verified"
        )),
        "{stdout}"
    );
    assert!(!other.exists(), "replay never creates a workspace");
}

#[test]
fn an_incomplete_round_is_continued_and_another_seed_needs_new_round() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.db");
    let out = dir.path().join("kits");
    let args = [
        "generate",
        "--seed",
        "4",
        "--candidate",
        "Ada",
        "--candidate",
        "Bea",
        "--out",
        path(&out),
    ];
    assert!(run(&db, &args).status.success());
    // Simulate a run that stopped after one kit: its second folder never landed.
    let kits = json(&db, "kits");
    let folder = out.join(kits[1]["folder"].as_str().unwrap());
    fs::remove_dir_all(&folder).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE kits SET state = 'planned' WHERE code = ?1",
        [kits[1]["code"].as_str().unwrap()],
    )
    .unwrap();
    drop(conn);
    let mut other_seed = args.to_vec();
    other_seed[2] = "5";
    let refused = run(&db, &other_seed);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.starts_with("error: round 1 for these candidates and this blueprint is incomplete (1 of 2 kits written; seed 4"),
        "{stderr}"
    );
    assert!(
        stderr.contains("or pass --new-round to start another round"),
        "{stderr}"
    );
    // Without --seed, the incomplete round's seed is found in the workspace.
    let no_seed: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != "--seed" && *a != "4")
        .collect();
    let continued = run(&db, &no_seed);
    assert!(continued.status.success(), "{continued:?}");
    assert!(text(&continued.stdout).starts_with("continuing round 1 (seed 4)"));
    assert!(folder.is_dir());
    assert_eq!(json(&db, "rounds").len(), 1);
}

#[test]
fn two_processes_on_one_workspace_both_finish_and_history_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.db");
    let children: Vec<_> = (0..2)
        .map(|i| {
            let out = dir.path().join(format!("out{i}"));
            bin(&db)
                .args([
                    "generate",
                    "--seed",
                    &format!("{}", 20 + i),
                    "--quiet",
                    "--format",
                    "md",
                ])
                .args((0..20).flat_map(|c| ["--candidate".to_owned(), format!("P{i}-{c}")]))
                .arg("--out")
                .arg(&out)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    let kits = json(&db, "kits");
    assert_eq!(kits.len(), 40);
    let mut codes: Vec<&str> = kits.iter().map(|k| k["code"].as_str().unwrap()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 40, "kit codes are unique");
    let check = rusqlite::Connection::open(&db).unwrap();
    let ok: String = check
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn damaged_foreign_newer_and_read_only_workspaces_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kits");
    let generate = |db: &Path| {
        run(
            db,
            &[
                "generate",
                "--seed",
                "1",
                "--candidate",
                "Ada",
                "--out",
                path(&out),
            ],
        )
    };

    // A workspace that cannot be used: exit code 1 and one line naming it and what to do.
    let refused = |db: &Path, message: &str| {
        let output = generate(db);
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        assert_eq!(
            text(&output.stderr),
            format!("error: workspace `{}`: {message}\n", db.display())
        );
    };
    let foreign = dir.path().join("notes.db");
    fs::write(&foreign, "these are my notes, not a database\n".repeat(200)).unwrap();
    refused(
        &foreign,
        "this file is not an interview-kit workspace (not an SQLite database); pass another --workspace FILE, or move the file away",
    );
    let missing = dir.path().join("no-such-folder");
    refused(
        &missing.join("ws.db"),
        &format!(
            "its folder `{}` does not exist; create it, or pass another --workspace FILE",
            missing.display()
        ),
    );
    assert!(!out.exists(), "nothing is written without a workspace");

    let good = dir.path().join("good.db");
    assert!(generate(&good).status.success());
    fs::remove_dir_all(&out).unwrap();
    let bytes = fs::read(&good).unwrap();
    let truncated = dir.path().join("truncated.db");
    fs::write(&truncated, &bytes[..bytes.len().min(5000)]).unwrap();
    let output = generate(&truncated);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(&format!("error: workspace `{}`: ", truncated.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let newer = dir.path().join("newer.db");
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let output = generate(&newer);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("its schema is version 99, newer than this interview-kit knows (version 3); use a newer interview-kit"),
        "{output:?}"
    );

    let older = dir.path().join("older.db");
    let conn = rusqlite::Connection::open(&older).unwrap();
    conn.execute_batch(include_str!("../src/workspace/migrations/001_init.sql"))
        .unwrap();
    conn.execute_batch(
        "INSERT INTO candidates (name, name_key) VALUES ('Old', 'old');
         INSERT INTO rounds (origin, seed, blueprint_name, blueprint_json, blueprint_fingerprint, bank_fingerprint,
            algorithm_version, roster_fingerprint, options_json, out_dir, first_form, kit_count)
         VALUES ('import', '1', 'x', 'null', '', '', 1, '', 'null', '', 0, 1);
         INSERT INTO kits (code, round_id, position, form, candidate_id, candidate_name, folder, state)
         VALUES ('PY1-1-0-0000000', 1, 0, 0, 1, 'Old', '', 'written');
         PRAGMA user_version = 1;",
    ).unwrap();
    drop(conn);
    let output = run(&older, &["kits", "--json"]);
    assert!(output.status.success(), "{output:?}");
    assert!(text(&output.stdout).contains("PY1-1-0-0000000"));
    let conn = rusqlite::Connection::open(&older).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 3, "migrated");
    drop(conn);

    use std::os::unix::fs::PermissionsExt;
    let ro_dir = dir.path().join("ro");
    fs::create_dir(&ro_dir).unwrap();
    let ro = ro_dir.join("ws.db");
    fs::copy(&good, &ro).unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
    fs::set_permissions(&ro_dir, fs::Permissions::from_mode(0o555)).unwrap();
    let output = generate(&ro);
    fs::set_permissions(&ro_dir, fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    if fs::metadata(&ro).unwrap().permissions().readonly() && output.status.code() != Some(0) {
        assert!(
            stderr.starts_with(&format!("error: workspace `{}`: ", ro.display())),
            "{stderr}"
        );
    }
}

/// The generic scorecard of the kit folder `kit`, every score cell set to `score`.
fn filled_scorecard(kit: &Path, score: &str, to: &Path) {
    let bytes = fs::read(kit.join("scorecard.csv")).unwrap();
    let text = String::from_utf8_lossy(&bytes)
        .trim_start_matches('\u{feff}')
        .to_owned();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let column = rows[0].iter().position(|h| h == "score").unwrap();
    let mut writer = csv::Writer::from_path(to).unwrap();
    for (i, mut row) in rows.into_iter().enumerate() {
        if i > 0 {
            row[column] = score.to_owned();
        }
        writer.write_record(&row).unwrap();
    }
    writer.flush().unwrap();
}

#[test]
fn scores_are_stored_once_named_by_the_sheet_or_the_flag_and_recomputed_without_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.db");
    let out = dir.path().join("kits");
    let made = run(
        &db,
        &[
            "generate",
            "--seed",
            "6",
            "--candidate",
            "Ada",
            "--out",
            path(&out),
            "--json",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&made.stdout).unwrap();
    let kit = PathBuf::from(report["kits"][0]["folder"].as_str().unwrap());
    let questions = report["kits"][0]["questions"].as_array().unwrap().len();
    // Sheets live apart from the kit (no kit.json beside them): the workspace has the kit.
    let inbox = dir.path().join("inbox");
    fs::create_dir(&inbox).unwrap();
    let sheet = inbox.join("scorecard.csv");
    filled_scorecard(&kit, "3", &sheet);

    let unnamed = run(
        &db,
        &["score", path(&sheet), "--out", path(&dir.path().join("s0"))],
    );
    assert_eq!(unnamed.status.code(), Some(1));
    assert!(
        text(&unnamed.stderr)
            .contains("the sheet has no `interviewer` column; add one, or pass --interviewer NAME"),
        "{unnamed:?}"
    );

    let summary = |name: &str| dir.path().join(name).join("summary.csv");
    for round in ["s1", "s2"] {
        let output = run(
            &db,
            &[
                "score",
                path(&sheet),
                "--interviewer",
                "Ann Lee",
                "--out",
                path(&dir.path().join(round)),
            ],
        );
        assert!(output.status.success(), "{output:?}");
    }
    assert_eq!(
        fs::read(summary("s1")).unwrap(),
        fs::read(summary("s2")).unwrap(),
        "re-import replaces"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let stored: i64 = conn
        .query_row("SELECT COUNT(*) FROM scores", [], |r| r.get(0))
        .unwrap();
    // One row per question and one for the overall recommendation (`question_id` =
    // `overall`, recorded apart from the question scores).
    assert_eq!(
        stored as usize,
        questions + 1,
        "one score per question, not two"
    );
    let names: Vec<String> = conn
        .prepare("SELECT DISTINCT interviewer FROM scores")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(names, ["Ann Lee"], "never a file path");
    drop(conn);

    // A second interviewer's sheet adds to the first; no files recomputes from the workspace.
    let bob = inbox.join("bob.csv");
    filled_scorecard(&kit, "1", &bob);
    assert!(
        run(
            &db,
            &[
                "score",
                path(&bob),
                "--interviewer",
                "Bob",
                "--out",
                path(&dir.path().join("s3"))
            ]
        )
        .status
        .success()
    );
    let recomputed = run(&db, &["score", "--out", path(&dir.path().join("s4"))]);
    assert!(recomputed.status.success(), "{recomputed:?}");
    let stdout = text(&recomputed.stdout);
    assert!(
        stdout.contains("total 2.00") && stdout.contains("2 interviewer(s)"),
        "{stdout}"
    );
    assert_eq!(
        fs::read(summary("s3")).unwrap(),
        fs::read(summary("s4")).unwrap()
    );
}

#[test]
fn a_name_known_under_another_email_warns_and_same_person_joins_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.db");
    let roster = |name: &str, email: &str| {
        let path = dir.path().join(format!("{email}.csv"));
        fs::write(&path, format!("name,email\n{name},{email}\n")).unwrap();
        path
    };
    let old = roster("Ada Lovelace", "ada@old.example");
    let new = roster("Ada  lovelace", "ada@new.example");
    let out = |n: &str| dir.path().join(n);
    assert!(
        run(
            &db,
            &[
                "generate",
                "--seed",
                "1",
                "--candidates",
                path(&old),
                "--out",
                path(&out("a"))
            ]
        )
        .status
        .success()
    );
    let warned = run(
        &db,
        &[
            "generate",
            "--seed",
            "2",
            "--candidates",
            path(&new),
            "--out",
            path(&out("b")),
        ],
    );
    assert!(warned.status.success(), "{warned:?}");
    assert_eq!(
        text(&warned.stderr),
        "warning: Ada  lovelace <ada@new.example> has the name of Ada Lovelace <ada@old.example>, who is in the workspace; they are treated as two people. If they are one person, pass --same-person ada@new.example=ada@old.example\n"
    );
    let joined = run(
        &db,
        &[
            "generate",
            "--seed",
            "3",
            "--candidates",
            path(&new),
            "--out",
            path(&out("c")),
            "--same-person",
            "ada@new.example=ada@old.example",
            "--new-round",
        ],
    );
    assert!(joined.status.success(), "{joined:?}");
    assert_eq!(
        text(&joined.stderr),
        "",
        "declared the same person: no warning"
    );
    let kits = json(&db, "kits");
    let questions = |i: usize| -> Vec<String> {
        kits[i]["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q.as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        questions(2).iter().all(|q| !questions(0).contains(q)),
        "the joined person saw none of the old kit again"
    );
}
