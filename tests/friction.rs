//! Everyday friction (issue 17): CSV files as spreadsheets save them, ATS roster headers,
//! Excel-ready CSV by default, case-insensitive option values, rounds of kits, through the binary.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("interview-kit").expect("the binary builds");
    cmd.env("INTERVIEW_KIT_WORKSPACE", ":memory:");
    cmd
}

/// Every entry of `dir`, sorted, as names.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The kit folders under `out`, sorted.
fn kit_dirs(out: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("kit.json").exists())
        .collect();
    dirs.sort();
    dirs
}

fn candidate_of(kit_dir: &Path) -> String {
    let text = fs::read_to_string(kit_dir.join("kit.json")).unwrap();
    let kit = interview_kit::export::kit_from_json("kit.json", &text).unwrap();
    kit.candidate
}

#[test]
fn an_ats_roster_saved_by_european_excel_gives_one_kit_per_row() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    fs::write(
        &roster,
        "\u{feff}Candidate ID;First Name;Last Name;Email Address;Stage\r\n\
         17;Siobhán;Ó Briain;s@x.org;Onsite\r\n\
         18;Ada;Lovelace;;Onsite\r\n",
    )
    .unwrap();
    let out = dir.path().join("kits");
    bin()
        .args(["generate", "--seed", "3", "--format", "md", "--candidates"])
        .arg(&roster)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let names: Vec<String> = kit_dirs(&out).iter().map(|d| candidate_of(d)).collect();
    let mut expected = vec!["Ada Lovelace".to_owned(), "Siobhán Ó Briain".to_owned()];
    expected.sort();
    let mut names = names;
    names.sort();
    assert_eq!(names, expected);
}

#[test]
fn a_bank_saved_by_european_excel_imports() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bank.csv");
    fs::write(
        &csv,
        "\u{feff}id;topic;level;minutes;prompt;purpose;answer;key_points\r\n\
         q-one;basics;mid;5;\"Why; really?\";Assesses reasoning.;Because.;\"a\r\nb\r\nc\"\r\n",
    )
    .unwrap();
    let out = dir.path().join("bank");
    bin()
        .args(["bank", "import"])
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let bank = interview_kit::bank::load_dir(&out).unwrap();
    assert_eq!(bank.questions[0].prompt, "Why; really?");
    assert_eq!(bank.questions[0].key_points, ["a", "b", "c"]);
}

#[test]
fn a_latin1_roster_says_how_to_resave_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    fs::write(&roster, b"Name\r\nSiobh\xE1n\r\n").unwrap();
    let out = dir.path().join("kits");
    bin()
        .args(["generate", "--seed", "3", "--candidates"])
        .arg(&roster)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(format!(
            "error: `{}` line 2: the file is not UTF-8 text (byte 0xE1, `á` in Latin-1); it was probably saved as Latin-1 or Windows-1252 (Excel's plain \"CSV (Comma delimited)\"); re-save it as UTF-8: in Excel, File > Save As > \"CSV UTF-8 (Comma delimited)\"; in LibreOffice, Save As > Text CSV with character set \"Unicode (UTF-8)\"\n",
            roster.display()
        ));
    assert_eq!(entries(dir.path()), ["roster.csv"]);
}

/// Runs `generate` for one candidate into `out` with `extra` flags.
fn generate_one(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    bin()
        .args([
            "generate",
            "--seed",
            "7",
            "--candidate",
            "Siobhán",
            "--format",
            "md",
        ])
        .args(extra)
        .arg("--out")
        .arg(out)
        .assert()
}

#[test]
fn csv_files_open_right_in_excel_by_default_and_plain_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let excel = dir.path().join("excel");
    generate_one(&excel, &[]).success();
    let bytes = fs::read(kit_dirs(&excel)[0].join("scorecard.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFkit_code,"), "no BOM");
    let text = std::str::from_utf8(&bytes).unwrap();
    assert!(text.contains("Siobhán"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    // The old flags still work; they are the default now, so the bytes are the same.
    let old = dir.path().join("old");
    generate_one(&old, &["--bom", "--crlf"]).success();
    assert_eq!(
        fs::read(kit_dirs(&old)[0].join("scorecard.csv")).unwrap(),
        bytes
    );
    let plain = dir.path().join("plain");
    generate_one(&plain, &["--plain-csv"]).success();
    let plain_bytes = fs::read(kit_dirs(&plain)[0].join("scorecard.csv")).unwrap();
    assert!(plain_bytes.starts_with(b"kit_code,"));
    assert!(!plain_bytes.contains(&b'\r'));
    assert_eq!(
        String::from_utf8(plain_bytes).unwrap(),
        text.trim_start_matches('\u{feff}').replace("\r\n", "\n")
    );
}

#[test]
fn plain_csv_with_bom_is_a_usage_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kits");
    generate_one(&out, &["--plain-csv", "--bom"])
        .code(2)
        .stderr(predicates::str::starts_with(
            "error: the argument '--plain-csv' cannot be used with '--bom'",
        ));
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn option_values_ignore_case() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kits");
    generate_one(
        &out,
        &[
            "--paper",
            "Letter",
            "--format",
            "MD,Html",
            "--csv-profile",
            "GreenHouse",
        ],
    )
    .success();
    let kit = &kit_dirs(&out)[0];
    let files = entries(kit);
    for file in ["greenhouse.csv", "interviewer.md", "interviewer.html"] {
        assert!(files.contains(&file.to_owned()), "{files:?}");
    }
    bin()
        .arg("export")
        .arg(kit)
        .args(["--profile", "LEVER,Generic", "--force"])
        .assert()
        .success();
    assert!(entries(kit).contains(&"lever.csv".to_owned()));
    let senior = bin()
        .args(["bank", "list", "--level", "Senior", "--json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&senior.get_output().stdout).unwrap();
    let levels: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["level"].as_str().unwrap())
        .collect();
    assert!(
        !levels.is_empty() && levels.iter().all(|l| *l == "senior"),
        "{levels:?}"
    );
    bin().args(["completions", "BASH"]).assert().success();
}

#[test]
fn an_unknown_option_value_is_still_refused_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kits");
    generate_one(&out, &["--paper", "A5"])
        .code(2)
        .stderr(predicates::str::starts_with(
            "error: invalid value 'A5' for '--paper <PAPER>'\n  [possible values: a4, letter]",
        ));
    generate_one(&out, &["--csv-profile", "Workday"])
        .code(2)
        .stderr(predicates::str::starts_with(
            "error: unknown export profile `workday`; the profiles are `ashby`, `generic`, `greenhouse`, `lever`, `workable`, `workable-numbers`, `workable-stars`.",
        ));
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn a_template_naming_a_missing_variable_says_which_exist() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("t");
    bin()
        .args(["init", "--templates"])
        .arg(&templates)
        .assert()
        .success();
    let file = templates.join("handout.md.hbs");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, format!("Hello {{{{candidate_email}}}}\n{text}")).unwrap();
    let out = dir.path().join("kits");
    // The names listed are the handout's (they grow with the templates), so only the
    // message around them is pinned.
    let run = generate_one(&out, &["--templates", templates.to_str().unwrap()]).code(1);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    let expected = format!(
        "error: `{}` line 1: template error: the variable `candidate_email` does not exist; the variables at the top level are `candidate`, `candidate_line`, ",
        file.display()
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(stderr.contains(", `title`, "), "{stderr}");
    assert!(
        stderr.ends_with(
            "` (see Templates in the README; inside `{{#each}}` the names are those of each item)\n"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!out.exists(), "nothing is written");
    // A path into an object lists that object's names.
    fs::write(
        &file,
        format!("{{{{kit_code.x}}}}{{{{questions.titel}}}}\n{text}"),
    )
    .unwrap();
    let run = generate_one(&out, &["--templates", templates.to_str().unwrap()]).code(1);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("template error: the variable `kit_code.x` does not exist; the variables at the top level are `candidate`,"),
        "{stderr}"
    );
}

/// Generates a round of `names` with `seed` into `out`.
fn round(out: &Path, seed: &str, names: &[&str]) {
    let mut cmd = bin();
    cmd.args(["generate", "--seed", seed, "--format", "md", "--out"])
        .arg(out);
    for name in names {
        cmd.args(["--candidate", name]);
    }
    cmd.assert().success();
}

#[test]
fn export_takes_a_round_folder_and_refuses_before_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("round");
    round(&out, "4", &["Ada", "Bea"]);
    let kits = kit_dirs(&out);
    assert_eq!(kits.len(), 2);
    let before: Vec<Vec<String>> = kits.iter().map(|k| entries(k)).collect();
    let run = bin()
        .arg("export")
        .arg(&out)
        .args(["--profile", "lever"])
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    // Each kit folder gets the profile's files, and each is reported.
    let mut expected = String::new();
    for (kit, before) in kits.iter().zip(&before) {
        let new: Vec<String> = entries(kit)
            .into_iter()
            .filter(|f| !before.contains(f))
            .collect();
        assert!(new.contains(&"lever.csv".to_owned()), "{new:?}");
        for file in new {
            expected.push_str(&format!("wrote {}\n", kit.join(file).display()));
        }
    }
    let mut lines: Vec<&str> = stdout.lines().collect();
    lines.sort();
    let mut expected: Vec<&str> = expected.lines().collect();
    expected.sort();
    assert_eq!(lines, expected);
    // Again without --force: refused, naming the first file, and nothing is added.
    let before: Vec<Vec<String>> = kits.iter().map(|k| entries(k)).collect();
    bin()
        .arg("export")
        .arg(&out)
        .args(["--profile", "lever,greenhouse"])
        .assert()
        .code(1)
        .stderr(format!(
            "error: `{}` already exists; pass --force to replace it\n",
            kits[0].join("lever.csv").display()
        ));
    let after: Vec<Vec<String>> = kits.iter().map(|k| entries(k)).collect();
    assert_eq!(before, after);
}

/// A kit's generic scorecard with every score set to `score`, written to `to`.
fn filled(kit: &Path, score: &str, to: &Path) {
    let bytes = fs::read(kit.join("scorecard.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let at = headers.iter().position(|h| h == "score").unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers).unwrap();
    for record in reader.records() {
        let mut cells: Vec<String> = record.unwrap().iter().map(str::to_owned).collect();
        cells[at] = score.to_owned();
        writer.write_record(&cells).unwrap();
    }
    fs::write(to, writer.into_inner().unwrap()).unwrap();
}

#[test]
fn score_reads_kits_from_several_rounds() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    round(&one, "5", &["Ada"]);
    round(&two, "6", &["Bea"]);
    let sheets = dir.path().join("sheets");
    fs::create_dir(&sheets).unwrap();
    filled(&kit_dirs(&one)[0], "3", &sheets.join("ada.csv"));
    filled(&kit_dirs(&two)[0], "2", &sheets.join("bea.csv"));
    let summary = dir.path().join("summary");
    fs::create_dir(&summary).unwrap();
    let score = |kits: &[&Path]| {
        let mut cmd = bin();
        cmd.arg("score")
            .arg(sheets.join("ada.csv"))
            .arg(sheets.join("bea.csv"))
            .args(["--interviewer", "Ann", "--out"])
            .arg(&summary);
        for kit in kits {
            cmd.arg("--kits").arg(kit);
        }
        cmd.assert()
    };
    // One round's folder is not enough for the other round's sheet, and nothing is written.
    let run = score(&[&one]).code(1);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: `{}`: row 2, column `kit_code` (A): there is no kit `",
            sheets.join("bea.csv").display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(&format!(
            "` in `{}`; pass the folder the kit was generated into (--kits DIR, once per folder)\n",
            one.display()
        )),
        "{stderr}"
    );
    assert!(entries(&summary).is_empty());
    score(&[&one, &two]).success();
    let csv = fs::read_to_string(summary.join("summary.csv")).unwrap();
    assert!(csv.contains(",Ada,") && csv.contains(",Bea,"), "{csv}");
}
