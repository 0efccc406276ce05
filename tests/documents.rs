//! Documents through the binary: page furniture, paper sizes, Markdown/HTML, template overrides and fonts.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Std;

use assert_cmd::Command;

fn bin() -> Command {
    Command::cargo_bin("interview-kit").expect("the binary builds")
}

/// Runs `generate --seed 42 --candidate Ada` plus `args` into a fresh folder; returns it and the kit folder.
fn generate(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    bin()
        .args([
            "generate",
            "--seed",
            "42",
            "--candidate",
            "Ada Lovelace",
            "--out",
        ])
        .arg(out.path())
        .args(args)
        .assert()
        .success();
    let kit = fs::read_dir(out.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    (out, kit)
}

fn pdf_page_text(path: &Path, page: usize) -> String {
    let out = Std::new("pdftotext")
        .args([
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            "-enc",
            "UTF-8",
        ])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    String::from_utf8(out.stdout).unwrap()
}

fn pdf_info(path: &Path) -> String {
    let out = Std::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo is installed");
    String::from_utf8(out.stdout).unwrap()
}

fn pages(path: &Path) -> usize {
    pdf_info(path)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

#[test]
fn every_page_has_its_footer_and_kit_code() {
    let (_out, dir) = generate(&[]);
    for file in ["interviewer.pdf", "handout.pdf"] {
        let path = dir.join(file);
        let total = pages(&path);
        assert!(total >= 2);
        for page in 1..=total {
            let text = pdf_page_text(&path, page);
            assert!(
                text.contains(&format!("Page {page} of {total}")),
                "{file} page {page}"
            );
            assert!(text.contains("Kit PY1-"), "{file} page {page}");
            assert!(text.contains("Ada Lovelace"), "{file} page {page}");
        }
    }
    assert!(
        pdf_page_text(&dir.join("interviewer.pdf"), 1).contains("Interviewer copy — confidential")
    );
}

#[test]
fn metadata_outline_and_letter_paper() {
    let (_out, dir) = generate(&["--paper", "letter"]);
    let info = pdf_info(&dir.join("interviewer.pdf"));
    assert!(
        info.contains("(letter)") && info.contains("612 x 792"),
        "{info}"
    );
    assert!(
        info.contains("Title:           Interview packet: Python Developer — Ada Lovelace"),
        "{info}"
    );
    assert!(info.contains("Keywords:        PY1-"), "{info}");
    // One outline entry per question plus the scoring summary.
    let bytes = fs::read(dir.join("interviewer.pdf")).unwrap();
    let outlines = String::from_utf8_lossy(&bytes).matches("/Title").count();
    assert!(outlines >= 1);
}

#[test]
fn date_is_printed_only_when_given() {
    let (_a, with) = generate(&["--date", "1 December 2026"]);
    assert!(pdf_page_text(&with.join("interviewer.pdf"), 1).contains("Date: 1 December 2026"));
    assert!(pdf_page_text(&with.join("handout.pdf"), 1).contains("Date: 1 December 2026"));
    let (_b, without) = generate(&[]);
    assert!(!pdf_page_text(&without.join("interviewer.pdf"), 1).contains("Date:"));
}

#[test]
fn markdown_and_html_come_from_the_same_wording() {
    let (_out, dir) = generate(&["--format", "pdf,md,html"]);
    for file in [
        "interviewer.md",
        "handout.md",
        "interviewer.html",
        "handout.html",
        "interviewer.pdf",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let md = fs::read_to_string(dir.join("interviewer.md")).unwrap();
    let html = fs::read_to_string(dir.join("interviewer.html")).unwrap();
    let kit: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("kit.json")).unwrap()).unwrap();
    let first = &kit["questions"][0]["question"];
    assert!(md.contains("## Question 1 · "), "{md}");
    assert!(md.contains(first["purpose"].as_str().unwrap().trim()));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@media print"));
    assert!(html.contains("Question 1 · "));
    // The handout in every format holds no answer-side text.
    for file in ["handout.md", "handout.html"] {
        let text = fs::read_to_string(dir.join(file)).unwrap();
        for q in kit["questions"].as_array().unwrap() {
            let purpose = q["question"]["purpose"].as_str().unwrap().trim();
            assert!(!text.contains(purpose), "{file} leaks a purpose");
        }
        assert!(!text.contains("Model answer") && !text.contains("Listen for"));
    }
    // HTML escapes what the bank says.
    assert!(!html.contains("<script"));
}

#[test]
fn template_override_changes_the_wording() {
    let templates = tempfile::tempdir().unwrap();
    fs::write(
        templates.path().join("wording.toml"),
        "handout_question = \"Frage {{number}} von {{total}}\"\nscale_4 = \"Hervorragend\"\n",
    )
    .unwrap();
    let (_out, dir) = generate(&["--templates", templates.path().to_str().unwrap()]);
    assert!(pdf_page_text(&dir.join("handout.pdf"), 1).contains("Frage 1 von 10"));
    let csv = fs::read_to_string(dir.join("scorecard.csv")).unwrap();
    assert!(!csv.is_empty());
    let kit = fs::read_to_string(dir.join("kit.json")).unwrap();
    assert!(kit.contains("\"label\": \"Hervorragend\""));
}

#[test]
fn init_writes_the_default_templates_and_they_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("tpl");
    bin()
        .args(["init", "--templates"])
        .arg(&target)
        .assert()
        .success();
    assert!(target.join("wording.toml").is_file());
    assert!(target.join("interviewer.html.hbs").is_file());
    // Unchanged defaults give the same documents as no override at all.
    let (_a, plain) = generate(&[]);
    let (_b, via) = generate(&["--templates", target.to_str().unwrap()]);
    assert_eq!(
        fs::read(plain.join("interviewer.pdf")).unwrap(),
        fs::read(via.join("interviewer.pdf")).unwrap()
    );
    // A second init refuses to overwrite.
    bin()
        .args(["init", "--templates"])
        .arg(&target)
        .assert()
        .code(1);
}

#[test]
fn unknown_template_variable_names_template_and_line() {
    let templates = tempfile::tempdir().unwrap();
    fs::write(
        templates.path().join("wording.toml"),
        "\n\nnotes_label = \"Notes on {{candidate_mood}}\"\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = bin()
        .args([
            "generate",
            "--seed",
            "1",
            "--candidate",
            "Ada",
            "--templates",
        ])
        .arg(templates.path())
        .arg("--out")
        .arg(out.path().join("kits"))
        .assert()
        .code(1);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    let file = templates.path().join("wording.toml");
    assert!(
        stderr.starts_with(&format!(
            "error: `{}` line 3: template error:",
            file.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("candidate_mood"), "{stderr}");
    assert!(!out.path().join("kits").exists());
}

#[test]
fn broken_template_syntax_is_an_error() {
    let templates = tempfile::tempdir().unwrap();
    fs::write(templates.path().join("handout.md.hbs"), "# {{title}\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = bin()
        .args([
            "generate",
            "--seed",
            "1",
            "--candidate",
            "Ada",
            "--format",
            "md",
            "--templates",
        ])
        .arg(templates.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("handout.md.hbs` line 1: template syntax error"),
        "{stderr}"
    );
}

#[test]
fn a_font_added_with_font_draws_what_dejavu_lacks() {
    let font = Path::new("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
    assert!(
        font.exists(),
        "this test needs fonts-wqy-microhei (.ci/run installs it) for a CJK font to fall back to"
    );
    let out = tempfile::tempdir().unwrap();
    bin()
        .args([
            "generate",
            "--seed",
            "4",
            "--candidate",
            "李小龙 Bruce",
            "--font",
        ])
        .arg(font)
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let dir = fs::read_dir(out.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    for file in ["handout.pdf", "interviewer.pdf"] {
        let text = pdf_page_text(&dir.join(file), 1);
        assert!(text.contains("李小龙 Bruce"), "{text}");
    }
}

#[test]
fn writing_space_is_left_when_the_blueprint_asks() {
    let dir = tempfile::tempdir().unwrap();
    let blueprint = dir.path().join("bp.toml");
    fs::write(
        &blueprint,
        "name = \"written\"\nrole = \"Python Developer\"\nwriting_space = true\n[topics]\noop = 2\ntesting = 1\n",
    )
    .unwrap();
    let (_out, kit) = generate(&["--blueprint", blueprint.to_str().unwrap()]);
    let path = kit.join("handout.pdf");
    let text: String = (1..=pages(&path))
        .map(|p| pdf_page_text(&path, p))
        .collect();
    assert_eq!(text.matches("Your notes").count(), 3, "{text}");
    let (_plain, plain) = generate(&[]);
    assert!(!pdf_page_text(&plain.join("handout.pdf"), 1).contains("Your notes"));
}
