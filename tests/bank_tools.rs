//! `interview-kit bank …` end to end: list, show, stats, lint, and the CSV import/export round trip.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use interview_kit::bank::{self, Bank, Level, Question};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The binary with a throwaway workspace: nothing is recorded unless a test passes
/// `--workspace FILE`.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("interview-kit").expect("the binary builds");
    cmd.env("INTERVIEW_KIT_WORKSPACE", ":memory:");
    cmd
}

/// Runs the binary with `args`, expects exit code 0 and returns stdout.
fn ok(args: &[&str]) -> String {
    let run = bin().args(args).assert().success();
    String::from_utf8(run.get_output().stdout.clone()).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Names in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn builtin() -> Bank {
    Bank::builtin().unwrap()
}

#[test]
fn list_filters_combine_and_json_parses_back() {
    let stdout = ok(&[
        "bank", "list", "--topic", "oop", "--level", "senior", "--json",
    ]);
    let listed: Vec<Question> = serde_json::from_str(&stdout).unwrap();
    let expected: Vec<Question> = builtin()
        .questions
        .into_iter()
        .filter(|q| q.topic == "oop" && q.level == Level::Senior)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(listed, expected);
}

#[test]
fn list_filters_by_tag() {
    let bank = builtin();
    let tag = bank.questions[0].tags[0].clone();
    let listed: Vec<Question> =
        serde_json::from_str(&ok(&["bank", "list", "--tag", &tag, "--json"])).unwrap();
    assert!(!listed.is_empty());
    assert!(listed.iter().all(|q| q.tags.contains(&tag)));
    assert_eq!(
        listed.len(),
        bank.questions
            .iter()
            .filter(|q| q.tags.contains(&tag))
            .count()
    );
}

#[test]
fn list_prints_an_aligned_table_with_a_count() {
    let bank = builtin();
    let stdout = ok(&["bank", "list", "--topic", "testing"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("id "), "{}", lines[0]);
    let testing: Vec<&Question> = bank
        .questions
        .iter()
        .filter(|q| q.topic == "testing")
        .collect();
    assert_eq!(lines.len(), testing.len() + 2);
    // Every row's topic column starts where the header's does.
    let column = lines[0].find("topic").unwrap();
    for (line, q) in lines[1..].iter().zip(&testing) {
        assert!(line.starts_with(&format!("{} ", q.id)), "{line}");
        assert_eq!(&line[column..column + "testing".len()], "testing", "{line}");
    }
    assert_eq!(
        lines.last().unwrap(),
        &format!("{} of {} questions", testing.len(), bank.questions.len())
    );
}

#[test]
fn list_rejects_an_unknown_topic() {
    bin()
        .args(["bank", "list", "--topic", "rust"])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with(
            "error: unknown topic `rust`; the bank has `",
        ));
}

#[test]
fn show_prints_every_field_and_the_derived_rubric() {
    let bank = builtin();
    let q = bank
        .questions
        .iter()
        .find(|q| q.code.is_some() && q.rubric.is_none())
        .unwrap();
    let stdout = ok(&["bank", "show", &q.id]);
    let rubric =
        interview_kit::rubric::derive(q, None, interview_kit::templates::Templates::builtin())
            .unwrap();
    assert!(stdout.starts_with(&format!("{}\n", q.id)));
    assert!(stdout.contains(&format!(
        "Rubric (derived); competency: {}\n",
        rubric.competency
    )));
    for level in &rubric.levels {
        assert!(
            stdout.contains(&format!(
                "  {} {}: {}\n",
                level.score, level.label, level.descriptor
            )),
            "missing rubric level {}",
            level.label
        );
    }
    for text in q.key_points.iter().chain(&q.follow_ups).chain(&q.red_flags) {
        assert!(stdout.contains(&format!("  - {text}\n")), "missing {text}");
    }
    for text in [&q.purpose, &q.prompt] {
        assert!(stdout.contains(text.trim()), "missing {text}");
    }
    let code_line = q.code.as_deref().unwrap().lines().next().unwrap();
    assert!(stdout.contains(&format!("    {code_line}")));
}

#[test]
fn show_suggests_near_ids_for_an_unknown_one() {
    let bank = builtin();
    let id = &bank.questions[0].id;
    let typo = &id[..id.len() - 1];
    let run = bin().args(["bank", "show", typo]).assert().code(2);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: unknown question id `{typo}`; did you mean `{id}`"
        )),
        "{stderr}"
    );
}

#[test]
fn stats_counts_each_topic_and_level() {
    let bank = builtin();
    let stdout = ok(&["bank", "stats"]);
    for topic in &bank.topics {
        let count = |level: Level| {
            bank.questions
                .iter()
                .filter(|q| q.topic == topic.id && q.level == level)
                .count()
                .to_string()
        };
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(topic.id.as_str()))
            .unwrap_or_else(|| panic!("no row for {}", topic.id));
        let cells: Vec<&str> = line.split_whitespace().collect();
        let total = bank
            .questions
            .iter()
            .filter(|q| q.topic == topic.id)
            .count();
        assert_eq!(
            cells[1..5],
            [
                count(Level::Junior).as_str(),
                &count(Level::Mid),
                &count(Level::Senior),
                &total.to_string()
            ],
            "{line}"
        );
    }
    assert!(
        stdout.contains(
            "blueprint `python-developer` (built in): 8 questions per kit; the bank can fill it; "
        ),
        "{stdout}"
    );
}

#[test]
fn stats_json_reports_blueprints() {
    let blueprint = fixtures().join("blueprints/fixture.toml");
    let stdout = ok(&[
        "bank",
        "stats",
        "--json",
        "--bank",
        path(&fixtures().join("bank")),
        "--blueprint",
        path(&blueprint),
    ]);
    let stats: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(stats["total"]["questions"], 7);
    assert_eq!(stats["topics"][0]["id"], "alpha");
    assert_eq!(stats["topics"][0]["levels"]["mid"]["questions"], 2);
    let blueprints = stats["blueprints"].as_array().unwrap();
    assert_eq!(blueprints.len(), 2);
    // The built-in blueprint names topics this bank lacks.
    assert!(blueprints[0]["not_applicable"].is_string());
    assert_eq!(blueprints[1]["name"], "fixture");
    assert_eq!(blueprints[1]["can_fill"], true);
    assert!(blueprints[1]["disjoint_kits"].as_u64().unwrap() >= 1);
}

#[test]
fn lint_passes_on_the_builtin_bank() {
    let stdout = ok(&["bank", "lint"]);
    let summary = stdout.lines().last().unwrap();
    assert!(summary.starts_with("0 errors, "), "{stdout}");
}

#[test]
fn lint_fails_on_a_near_duplicate_and_a_purpose_without_competency() {
    let run = bin()
        .args(["bank", "lint", "--bank"])
        .arg(fixtures().join("lint/bank"))
        .assert()
        .code(1)
        .stderr(
            "error: bank lint found 2 error(s); fix them and run `interview-kit bank lint` again\n",
        );
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "error[competency] question `lint-context-managers`: the purpose does not name a competency; start it with \"Assesses\", \"Evaluates\", \"Tests\", \"Checks\" or \"Probes\", e.g. \"Assesses understanding of ...\"",
            "error[near-duplicate] questions `lint-threads-cpu` and `lint-threads-cpu-again`: prompts ask nearly the same thing (word-pair similarity 0.71, limit 0.40); merge them or make one ask something else",
        ]
    );
    // The built-in blueprint's topics are not in this bank: a warning, not an error.
    assert!(
        lines[2].starts_with(
            "warning[topic-size] blueprint `python-developer` (built in): does not apply to this bank ("
        ),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3..], ["2 errors, 1 warning"]);
}

#[test]
fn lint_reports_topics_too_small_for_a_blueprint() {
    let run = bin()
        .args(["bank", "lint", "--bank"])
        .arg(fixtures().join("lint/bank"))
        .arg("--blueprint")
        .arg(fixtures().join("lint/too-small.toml"))
        .assert()
        .code(1);
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains(
            "error[topic-size] blueprint `too-small`: the bank cannot fill it: topic `lint` needs 4 question(s), the bank has 3 (short by 1)\n"
        ),
        "{stdout}"
    );
    assert!(stdout.ends_with("3 errors, 1 warning\n"), "{stdout}");
}

#[test]
fn lint_reports_a_bank_that_does_not_load() {
    let dir = tempfile::tempdir().unwrap();
    let alpha = fs::read_to_string(fixtures().join("bank/alpha.toml")).unwrap();
    fs::write(
        dir.path().join("alpha.toml"),
        alpha.replace("minutes = 6", "minutes = 0"),
    )
    .unwrap();
    let run = bin()
        .args(["bank", "lint", "--bank", path(dir.path())])
        .assert()
        .code(1);
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout,
        format!(
            "error[invalid] `{}` line 20: question `alpha-two`: `minutes` must be at least 1\n1 error, 0 warnings\n",
            dir.path().join("alpha.toml").display()
        )
    );
}

#[test]
fn export_then_import_gives_back_the_builtin_bank() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bank.csv");
    let out = dir.path().join("imported");
    let stdout = ok(&["bank", "export", "--format", "csv", "--out", path(&csv)]);
    assert!(stdout.starts_with("exported "), "{stdout}");
    // Standard output gets the same bytes.
    assert_eq!(
        ok(&["bank", "export"]).into_bytes(),
        fs::read(&csv).unwrap()
    );

    let stdout = ok(&["bank", "import", path(&csv), "--out", path(&out)]);
    assert!(stdout.starts_with("imported "), "{stdout}");
    let bank = builtin();
    assert_eq!(bank::load_dir(&out).unwrap(), bank);
    assert_eq!(bank::load_path(&csv).unwrap(), bank);
    let expected: Vec<String> = bank
        .topics
        .iter()
        .map(|t| format!("{}.toml", t.id))
        .collect();
    assert_eq!(entries(&out), expected);
    // No staging folder is left behind.
    assert_eq!(entries(dir.path()), ["bank.csv", "imported"]);
}

#[test]
fn export_and_import_refuse_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bank.csv");
    fs::write(&csv, "keep me").unwrap();
    bin()
        .args(["bank", "export", "--out", path(&csv)])
        .assert()
        .code(1)
        .stderr(format!(
            "error: `{}` already exists; pass --force to replace it\n",
            csv.display()
        ));
    assert_eq!(fs::read_to_string(&csv).unwrap(), "keep me");
    ok(&["bank", "export", "--out", path(&csv), "--force"]);

    let out = dir.path().join("imported");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("old.toml"), "stale").unwrap();
    bin()
        .args(["bank", "import", path(&csv), "--out", path(&out)])
        .assert()
        .code(1)
        .stderr(format!(
            "error: output folder `{}` already exists; pass --force to replace it\n",
            out.display()
        ));
    ok(&["bank", "import", path(&csv), "--out", path(&out), "--force"]);
    assert!(!out.join("old.toml").exists());
    assert_eq!(bank::load_dir(&out).unwrap(), builtin());

    // --force replaces a bank folder, never a folder holding anything else.
    fs::write(out.join("notes.txt"), "mine").unwrap();
    bin()
        .args(["bank", "import", path(&csv), "--out", path(&out), "--force"])
        .assert()
        .code(1)
        .stderr(format!(
            "error: cannot replace `{}`: it holds `notes.txt`, which is not a bank file; choose a new --out folder\n",
            out.display()
        ));
    assert!(out.join("notes.txt").exists());
}

#[test]
fn generate_accepts_a_csv_bank() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bank.csv");
    ok(&["bank", "export", "--out", path(&csv)]);
    let kit = |bank: Option<&Path>| {
        let out = dir.path().join(if bank.is_some() {
            "from-csv"
        } else {
            "builtin"
        });
        let mut cmd = bin();
        cmd.args([
            "generate",
            "--seed",
            "42",
            "--candidate",
            "Ada",
            "--out",
            path(&out),
        ]);
        if let Some(bank) = bank {
            cmd.arg("--bank").arg(bank);
        }
        cmd.assert().success();
        let folder = entries(&out).pop().unwrap();
        (
            folder.clone(),
            fs::read(out.join(folder).join("kit.json")).unwrap(),
        )
    };
    // The CSV bank is the same bank, so the kit (code, fingerprint, questions) is the same.
    assert_eq!(kit(Some(&csv)), kit(None));
}

// Bad spreadsheet input: exact message naming row and column, and nothing written.

/// The fixture spreadsheet bank's records, header first.
fn fixture_records() -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(fixtures().join("csv/bank.csv"))
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn to_csv(records: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        writer.write_record(record).unwrap();
    }
    writer.into_inner().unwrap()
}

fn column(records: &[Vec<String>], name: &str) -> usize {
    records[0].iter().position(|c| c == name).unwrap()
}

/// Imports `bytes` as `bank.csv` into `out`; returns the CSV's path, the exit and stderr.
fn import(bytes: &[u8]) -> (tempfile::TempDir, PathBuf, assert_cmd::assert::Assert) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bank.csv");
    fs::write(&csv, bytes).unwrap();
    let assert = bin()
        .args(["bank", "import", path(&csv), "--out"])
        .arg(dir.path().join("out"))
        .assert();
    (dir, csv, assert)
}

/// Imports `bytes`, expecting failure with exactly `message` (after the file name) and nothing written.
fn rejects(bytes: &[u8], message: &str) {
    let (dir, csv, assert) = import(bytes);
    assert
        .code(1)
        .stderr(format!("error: `{}` {message}\n", csv.display()));
    assert_eq!(entries(dir.path()), ["bank.csv"], "something was written");
}

#[test]
fn the_csv_fixture_imports() {
    let (dir, csv, assert) = import(&fs::read(fixtures().join("csv/bank.csv")).unwrap());
    assert.success();
    let bank = bank::load_path(&csv).unwrap();
    assert_eq!(bank::load_dir(&dir.path().join("out")).unwrap(), bank);
    let q = bank.question("alpha-two").unwrap();
    // `;` separates items in a one-line cell; lines separate them otherwise.
    assert_eq!(
        q.key_points,
        [
            "Predicts [1, 2, 3]",
            "Says sorted returns a list",
            "Says sets are unordered"
        ]
    );
    assert_eq!(q.tags, ["alpha", "sets"]);
    assert_eq!(q.rubric.as_ref().unwrap().levels.len(), 4);
    assert_eq!(bank.topic("alpha").unwrap().title, "Alpha");
}

#[test]
fn csv_missing_required_column() {
    let mut records = fixture_records();
    let level = column(&records, "level");
    for record in &mut records {
        record.remove(level);
    }
    rejects(
        &to_csv(&records),
        "line 1: missing required column `level`; add it to the header row",
    );
}

#[test]
fn csv_unknown_level() {
    let mut records = fixture_records();
    let level = column(&records, "level");
    records[2][level] = "expert".into();
    rejects(
        &to_csv(&records),
        "line 3: column `level`: unknown level `expert`; use junior, mid or senior",
    );
}

#[test]
fn csv_duplicate_id_names_both_rows() {
    let mut records = fixture_records();
    records[4][0] = records[1][0].clone();
    rejects(
        &to_csv(&records),
        "line 5: column `id`: duplicate question id `alpha-one` (first defined on line 2); give one of them a new id",
    );
}

#[test]
fn csv_empty_prompt() {
    let mut records = fixture_records();
    let prompt = column(&records, "prompt");
    records[3][prompt] = "  ".into();
    rejects(
        &to_csv(&records),
        "line 4: column `prompt`: the cell is empty; fill it in",
    );
}

#[test]
fn csv_with_a_bom_is_accepted() {
    let plain = fs::read(fixtures().join("csv/bank.csv")).unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(&plain);
    let (dir, csv, assert) = import(&bytes);
    assert.success();
    let expected = bank::load_path(&fixtures().join("csv/bank.csv")).unwrap();
    assert_eq!(bank::load_path(&csv).unwrap(), expected);
    assert_eq!(bank::load_dir(&dir.path().join("out")).unwrap(), expected);
}

#[test]
fn csv_with_windows_line_endings_is_accepted() {
    let plain = fs::read_to_string(fixtures().join("csv/bank.csv")).unwrap();
    // Every line break, inside cells too, as a Windows checkout with autocrlf writes it.
    let (dir, csv, assert) = import(plain.replace('\n', "\r\n").as_bytes());
    assert.success();
    let mut expected = bank::load_path(&fixtures().join("csv/bank.csv")).unwrap();
    // List items are trimmed; text cells keep their line breaks exactly, as TOML banks do.
    for q in &mut expected.questions {
        q.code = q.code.as_ref().map(|c| c.replace('\n', "\r\n"));
    }
    assert_eq!(bank::load_path(&csv).unwrap(), expected);
    assert_eq!(bank::load_dir(&dir.path().join("out")).unwrap(), expected);
}

#[test]
fn csv_that_is_not_utf8_says_how_to_resave() {
    let plain = fs::read(fixtures().join("csv/bank.csv")).unwrap();
    // "café" as a Latin-1 spreadsheet would save it.
    let at = plain.windows(2).position(|w| w == "é".as_bytes()).unwrap();
    let mut bytes = plain[..at].to_vec();
    bytes.push(0xE9);
    bytes.extend(&plain[at + 2..]);
    rejects(
        &bytes,
        "line 2: the file is not UTF-8 text (byte 0xE9, `é` in Latin-1); it was probably saved as Latin-1 or Windows-1252 (Excel's plain \"CSV (Comma delimited)\"); re-save it as UTF-8: in Excel, File > Save As > \"CSV UTF-8 (Comma delimited)\"; in LibreOffice, Save As > Text CSV with character set \"Unicode (UTF-8)\"",
    );
}
