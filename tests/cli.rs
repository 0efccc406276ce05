//! Runs the `interview-kit` binary against fixtures and reads its output back: PDFs as text, CSV as records.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Std;

use assert_cmd::Command;
use interview_kit::kit::Kit;

const FILES: [&str; 4] = [
    "interviewer.pdf",
    "handout.pdf",
    "scorecard.csv",
    "kit.json",
];

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

/// Runs `generate` with `args` into a fresh folder and returns the folder and the kit folder.
fn generate(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    bin()
        .arg("generate")
        .args(args)
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let kit = single_entry(out.path());
    (out, kit)
}

fn single_entry(dir: &Path) -> PathBuf {
    let entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries.into_iter().next().unwrap()
}

/// `pdftotext` output with all whitespace collapsed to single spaces.
fn pdf_text(path: &Path) -> String {
    squash(&raw_pdf_text(path))
}

/// Page text without the running header and footer lines, so text that crosses a page
/// break reads back in one piece.
fn body_text(path: &Path, kit: &Kit) -> String {
    let kit_line = format!("Kit {}", kit.kit_code);
    let furniture = |line: &str| {
        let line = line.trim();
        line == kit_line
            || line == kit.candidate
            || line == "Interviewer copy — confidential"
            || line == "Candidate handout"
            || (line.starts_with("Page ") && line.contains(" of "))
    };
    let text = raw_pdf_text(path);
    squash(
        &text
            .lines()
            .filter(|l| !furniture(l))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

fn raw_pdf_text(path: &Path) -> String {
    let output = Std::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (poppler-utils; .ci/run installs it)");
    assert!(
        output.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Whitespace collapsed to single spaces, and backticks dropped: the PDFs set `inline code`
/// in monospace instead of printing the backticks.
fn squash(text: &str) -> String {
    text.replace('`', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn kit_of(dir: &Path) -> Kit {
    let text = fs::read_to_string(dir.join("kit.json")).unwrap();
    interview_kit::export::kit_from_json("kit.json", &text).unwrap()
}

#[test]
fn generate_writes_four_files_and_the_pdfs_read_back() {
    let (_out, dir) = generate(&["--seed", "42", "--candidate", "José Núñez"]);
    for file in FILES {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    let kit = kit_of(&dir);
    assert_eq!(kit.questions.len(), 8);
    assert!(
        dir.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .ends_with("-jose-nunez")
    );

    for file in ["interviewer.pdf", "handout.pdf"] {
        let text = pdf_text(&dir.join(file));
        assert!(text.contains("José Núñez"));
        assert!(text.contains(&kit.kit_code));
        assert!(text.contains("Page 1 of"));
    }
    let interviewer = body_text(&dir.join("interviewer.pdf"), &kit);
    let handout = body_text(&dir.join("handout.pdf"), &kit);
    let mut last = 0;
    for item in &kit.questions {
        let prompt = squash(&item.question.prompt);
        assert!(
            handout.contains(&prompt),
            "handout lacks prompt of {}",
            item.question.id
        );
        // Questions appear in kit order in the interviewer packet.
        let at = interviewer[last..]
            .find(&prompt)
            .unwrap_or_else(|| panic!("interviewer packet lacks {} in order", item.question.id));
        last += at;
    }
}

#[test]
fn handout_has_nothing_from_the_answer_side() {
    let (_out, dir) = generate(&["--seed", "7", "--candidate", "Ada Lovelace"]);
    let kit = kit_of(&dir);
    let handout = pdf_text(&dir.join("handout.pdf"));
    for item in &kit.questions {
        let q = &item.question;
        let mut secrets = vec![squash(&q.purpose), squash(&q.answer)];
        secrets.extend(q.key_points.iter().map(|p| squash(p)));
        secrets.extend(item.rubric.levels.iter().map(|l| squash(&l.descriptor)));
        secrets.extend(q.red_flags.iter().map(|p| squash(p)));
        for secret in secrets {
            assert!(!handout.contains(&secret), "handout leaks: {secret}");
        }
    }
    for label in [
        "Purpose",
        "Listen for",
        "Model answer",
        "Rubric",
        "Red flags",
    ] {
        assert!(!handout.contains(label), "handout shows the label {label}");
    }
}

#[test]
fn two_runs_give_identical_bytes() {
    let args = ["--seed", "42", "--candidate", "José Núñez"];
    let (_a, first) = generate(&args);
    let (_b, second) = generate(&args);
    assert_eq!(first.file_name(), second.file_name());
    for file in FILES {
        assert_eq!(
            fs::read(first.join(file)).unwrap(),
            fs::read(second.join(file)).unwrap(),
            "{file} differs between runs"
        );
    }
}

#[test]
fn scorecard_has_one_row_per_question_and_empty_score_columns() {
    let (_out, dir) = generate(&["--seed", "3", "--candidate", "=cmd|' /C calc'!A0"]);
    let kit = kit_of(&dir);
    let mut reader = csv::Reader::from_path(dir.join("scorecard.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "kit_code");
    assert_eq!(&header[header.len() - 2], "score");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // One row per question, then the overall recommendation's row.
    assert_eq!(rows.len(), kit.questions.len() + 1);
    assert_eq!(&rows[kit.questions.len()][3], "overall");
    for (row, item) in rows.iter().zip(&kit.questions) {
        assert_eq!(&row[0], kit.kit_code);
        // The hostile name is neutralised: a spreadsheet will show it as text.
        assert_eq!(&row[1], "'=cmd|' /C calc'!A0");
        assert_eq!(&row[3], item.question.id);
        assert_eq!(&row[header.len() - 2], "");
        assert_eq!(&row[header.len() - 1], "");
    }
}

#[test]
fn hostile_candidate_name_stays_inside_out() {
    let (out, dir) = generate(&["--seed", "1", "--candidate", "../../etc/passwd"]);
    assert_eq!(dir.parent().unwrap(), out.path());
    assert!(
        dir.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .ends_with("-etc-passwd")
    );
}

#[test]
fn without_seed_a_seed_is_printed_and_reproduces_the_kit() {
    let out = tempfile::tempdir().unwrap();
    let run = bin()
        .args(["generate", "--candidate", "Zoë", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let seed: u64 = stdout
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no seed printed: {stdout}"));
    let first = kit_of(&single_entry(out.path()));
    assert_eq!(first.seed, seed);
    let (_again, dir) = generate(&["--seed", &seed.to_string(), "--candidate", "Zoë"]);
    assert_eq!(kit_of(&dir), first);
}

#[test]
fn existing_folder_needs_force() {
    let (out, dir) = generate(&["--seed", "5", "--candidate", "Ada"]);
    let before = fs::read(dir.join("kit.json")).unwrap();
    bin()
        .args(["generate", "--seed", "5", "--candidate", "Ada", "--out"])
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(format!(
            "error: output folder `{}` already exists; pass --force to replace it\n",
            dir.display()
        ));
    assert_eq!(fs::read(dir.join("kit.json")).unwrap(), before);
    bin()
        .args([
            "generate",
            "--seed",
            "5",
            "--candidate",
            "Ada",
            "--force",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    assert_eq!(single_entry(out.path()), dir);
}

#[test]
fn custom_bank_and_blueprint() {
    let bank = fixtures().join("bank");
    let blueprint = fixtures().join("blueprints/fixed.toml");
    let (_out, dir) = generate(&[
        "--seed",
        "42",
        "--candidate",
        "Łukasz",
        "--bank",
        bank.to_str().unwrap(),
        "--blueprint",
        blueprint.to_str().unwrap(),
    ]);
    let kit = kit_of(&dir);
    assert!(kit.kit_code.starts_with(&format!(
        "FX{}-1A-0-",
        interview_kit::select::ALGORITHM_VERSION
    )));
    let ids: Vec<&str> = kit
        .questions
        .iter()
        .map(|q| q.question.id.as_str())
        .collect();
    // Golden: the fixture bank is frozen, so these ids hold for algorithm version 1 forever.
    assert_eq!(ids, ["beta-one", "alpha-four", "alpha-two", "beta-two"]);
}

/// Runs `generate` expecting failure; returns stderr and checks nothing was written.
fn fails(args: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("kits");
    let run = bin()
        .arg("generate")
        .args(args)
        .arg("--out")
        .arg(&target)
        .assert()
        .code(1);
    assert!(!target.exists(), "output was written despite the error");
    String::from_utf8(run.get_output().stderr.clone()).unwrap()
}

fn bank_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn malformed_toml_names_file_and_line() {
    let alpha = fs::read_to_string(fixtures().join("bank/alpha.toml")).unwrap();
    let broken = alpha.replace("minutes = 6", "minutes = = 6");
    let bank = bank_with(&[("alpha.toml", &broken)]);
    let stderr = fails(&[
        "--seed",
        "1",
        "--candidate",
        "A",
        "--bank",
        bank.path().to_str().unwrap(),
    ]);
    let file = bank.path().join("alpha.toml");
    assert_eq!(
        stderr,
        format!(
            "error: `{}` line 20: extra `=`, expected nothing\n",
            file.display()
        )
    );
}

#[test]
fn duplicate_id_names_both_places() {
    let alpha = fs::read_to_string(fixtures().join("bank/alpha.toml")).unwrap();
    let beta = fs::read_to_string(fixtures().join("bank/beta.toml")).unwrap();
    let beta = beta.replace("id = \"beta-three\"", "id = \"alpha-two\"");
    let bank = bank_with(&[("alpha.toml", &alpha), ("beta.toml", &beta)]);
    let stderr = fails(&[
        "--seed",
        "1",
        "--candidate",
        "A",
        "--bank",
        bank.path().to_str().unwrap(),
    ]);
    assert_eq!(
        stderr,
        format!(
            "error: `{}` line 25: duplicate question id `alpha-two` (first defined in `{}` line 18); give one of them a new id\n",
            bank.path().join("beta.toml").display(),
            bank.path().join("alpha.toml").display()
        )
    );
}

#[test]
fn unknown_topic_in_blueprint() {
    let blueprint = fixtures().join("blueprints/unknown-topic.toml");
    let stderr = fails(&[
        "--seed",
        "1",
        "--candidate",
        "A",
        "--bank",
        fixtures().join("bank").to_str().unwrap(),
        "--blueprint",
        blueprint.to_str().unwrap(),
    ]);
    assert_eq!(
        stderr,
        format!(
            "error: `{}` line 6: unknown topic `rust`; the bank has `alpha`, `beta`\n",
            blueprint.display()
        )
    );
}

#[test]
fn blueprint_asking_too_much_names_topic_and_shortfall() {
    let blueprint = fixtures().join("blueprints/too-many.toml");
    let stderr = fails(&[
        "--seed",
        "1",
        "--candidate",
        "A",
        "--bank",
        fixtures().join("bank").to_str().unwrap(),
        "--blueprint",
        blueprint.to_str().unwrap(),
    ]);
    assert_eq!(
        stderr,
        "error: the bank cannot fill blueprint `too-many`:\n\
         topic `alpha` needs 6 question(s), the bank has 4 (short by 2)\n\
         fix: add questions to the bank (--bank DIR) or lower the counts in the blueprint\n"
    );
}

#[test]
fn missing_bank_folder_is_an_error_not_a_fallback() {
    let stderr = fails(&[
        "--seed",
        "1",
        "--candidate",
        "A",
        "--bank",
        "/nonexistent/bank",
    ]);
    assert!(
        stderr.starts_with("error: cannot read bank folder `/nonexistent/bank`:"),
        "{stderr}"
    );
}

#[test]
fn name_outside_the_fonts_is_named_not_dropped() {
    let stderr = fails(&["--seed", "1", "--candidate", "李小龙"]);
    assert!(
        stderr.starts_with(
            "error: cannot render the documents: the fonts have no glyph for '李' (U+674E)"
        ),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    bin()
        .args(["generate", "--seed", "x", "--candidate", "A"])
        .assert()
        .code(2);
    bin().args(["generate"]).assert().code(2);
}

/// The library renders a kit holding every question of the bank: nothing answer-side leaks.
#[test]
fn no_question_of_the_bank_leaks_into_a_handout() {
    let kit = common::whole_bank_kit();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handout.pdf");
    fs::write(
        &path,
        interview_kit::render::handout_pdf(
            &kit,
            interview_kit::templates::Templates::builtin(),
            &interview_kit::render::DocOptions::default(),
            interview_kit::render::PaperSize::A4,
        )
        .unwrap(),
    )
    .unwrap();
    let handout = body_text(&path, &kit);
    for item in &kit.questions {
        let q = &item.question;
        assert!(
            handout.contains(&squash(&q.prompt)),
            "prompt of {} missing",
            q.id
        );
        let mut secrets = vec![squash(&q.purpose), squash(&q.answer)];
        secrets.extend(
            q.key_points
                .iter()
                .chain(&q.red_flags)
                .chain(&q.follow_ups)
                .map(|p| squash(p)),
        );
        for secret in secrets {
            assert!(!handout.contains(&secret), "{} leaks: {secret}", q.id);
        }
    }
}
