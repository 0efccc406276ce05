//! Documents through the binary: page furniture, paper sizes, Markdown/HTML, template overrides and fonts.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Std;

use assert_cmd::Command;

/// The binary with a throwaway workspace: nothing is recorded unless a test passes
/// `--workspace FILE`.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("interview-kit").expect("the binary builds");
    cmd.env("INTERVIEW_KIT_WORKSPACE", ":memory:");
    cmd
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
            assert!(
                text.contains(&format!(
                    "Kit PY{}-",
                    interview_kit::select::ALGORITHM_VERSION
                )),
                "{file} page {page}"
            );
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
    assert!(
        info.contains(&format!(
            "Keywords:        PY{}-",
            interview_kit::select::ALGORITHM_VERSION
        )),
        "{info}"
    );
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
    assert!(pdf_page_text(&dir.join("handout.pdf"), 1).contains("Frage 1 von 8"));
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

/// Text as a reader sees it: whitespace collapsed, backticks dropped (the PDF sets inline
/// code in monospace, Markdown keeps the backticks, HTML makes them `<code>`).
fn squash(text: &str) -> String {
    text.replace('`', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// HTML as text: tags dropped, the entities the templates write decoded.
fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x60;", "`")
        .replace("&#x3D;", "=")
        .replace("&amp;", "&")
}

/// A PDF's text without the running header and footer lines, so text that crosses a page
/// break reads back in one piece.
fn pdf_body_text(path: &Path, kit: &interview_kit::kit::Kit) -> String {
    let out = Std::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    let text = String::from_utf8(out.stdout).unwrap();
    let kit_line = format!("Kit {}", kit.kit_code);
    text.lines()
        .map(str::trim)
        .filter(|line| {
            *line != kit_line
                && *line != kit.candidate
                && *line != "Candidate handout"
                && !(line.starts_with("Page ") && line.contains(" of "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A kit holding every question of the built-in bank, each given every v2 field it lacks
/// (competency, depth points, weak and strong answers, an artifact, an exercise), so the
/// handout is checked against every answer-side field whether or not the bank has it yet.
fn every_question_kit() -> interview_kit::kit::Kit {
    use interview_kit::bank::Exercise;
    let mut kit = common::whole_bank_kit();
    for item in &mut kit.questions {
        let n = item.number;
        let q = &mut item.question;
        q.competency
            .get_or_insert_with(|| format!("Competency secret number {n}"));
        if q.depth_points.is_empty() {
            q.depth_points
                .push(format!("Depth point secret number {n}"));
        }
        q.weak_answer
            .get_or_insert_with(|| format!("Weak answer secret number {n}"));
        q.strong_answer
            .get_or_insert_with(|| format!("Strong answer secret number {n}"));
        q.artifact
            .get_or_insert_with(|| format!("Traceback artifact number {n}"));
        q.exercise.get_or_insert_with(|| Exercise {
            module: format!("mod{n}.py"),
            starter: format!("def starter_stub_{n}():\n    pass\n"),
            tests: format!("def test_stub_{n}():\n    assert starter_stub_{n}()\n"),
            solution: format!("def solution_secret_{n}():\n    return {n}\n"),
        });
        item.rubric =
            interview_kit::rubric::derive(q, None, interview_kit::templates::Templates::builtin())
                .unwrap();
    }
    kit
}

/// Every answer-side text of a kit question, squashed; short fragments (which a prompt may
/// legitimately contain) are left out.
fn secrets(item: &interview_kit::kit::KitQuestion) -> Vec<(&'static str, String)> {
    let q = &item.question;
    let (summary, points) = q.answer_parts();
    let mut secrets: Vec<(&'static str, String)> = vec![
        ("purpose", q.purpose.clone()),
        ("answer", q.answer.clone()),
        ("answer summary", summary),
        ("rubric competency", item.rubric.competency.clone()),
    ];
    secrets.extend(points.into_iter().map(|p| ("answer point", p)));
    secrets.extend(q.competency.iter().map(|c| ("competency", c.clone())));
    secrets.extend(q.key_points.iter().map(|p| ("key point", p.clone())));
    secrets.extend(q.depth_points.iter().map(|p| ("depth point", p.clone())));
    secrets.extend(q.red_flags.iter().map(|p| ("red flag", p.clone())));
    secrets.extend(q.follow_ups.iter().map(|p| ("follow-up", p.clone())));
    secrets.extend(q.weak_answer.iter().map(|p| ("weak answer", p.clone())));
    secrets.extend(q.strong_answer.iter().map(|p| ("strong answer", p.clone())));
    secrets.extend(
        item.rubric
            .levels
            .iter()
            .map(|l| ("rubric descriptor", l.descriptor.clone())),
    );
    if let Some(exercise) = &q.exercise {
        secrets.extend(
            exercise
                .solution
                .lines()
                .filter(|l| {
                    !exercise.starter.contains(l.trim()) && !exercise.tests.contains(l.trim())
                })
                .map(|l| ("exercise solution", l.to_owned())),
        );
    }
    secrets
        .into_iter()
        .map(|(what, text)| (what, squash(&text)))
        .filter(|(_, text)| text.len() >= 16)
        .collect()
}

/// No answer-side field of any question of the bank reaches the handout, in any format;
/// the candidate-side fields (title, prompt, code, artifact, starter, tests) all do.
#[test]
fn no_answer_side_field_of_any_question_reaches_any_handout_format() {
    use interview_kit::render::{self, DocOptions, Markup, PaperSize};
    let kit = every_question_kit();
    // Everything the handouts show on purpose, over every question.
    let public: String = kit
        .questions
        .iter()
        .flat_map(|item| {
            let q = &item.question;
            let exercise = q.exercise.as_ref();
            [
                Some(q.prompt.clone()),
                q.code.clone(),
                q.artifact.clone(),
                exercise.map(|e| e.starter.clone()),
                exercise.map(|e| e.tests.clone()),
            ]
        })
        .flatten()
        .flat_map(|text| text.lines().map(squash).collect::<Vec<_>>())
        .collect::<Vec<_>>()
        .join("\n");
    let templates = interview_kit::templates::Templates::builtin();
    let options = DocOptions::default();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("handout.pdf");
    fs::write(
        &pdf,
        render::handout_pdf(&kit, templates, &options, PaperSize::A4).unwrap(),
    )
    .unwrap();
    let markdown = String::from_utf8(
        render::handout_markup(&kit, templates, &options, Markup::Markdown).unwrap(),
    )
    .unwrap();
    let html =
        String::from_utf8(render::handout_markup(&kit, templates, &options, Markup::Html).unwrap())
            .unwrap();
    let formats = [
        ("handout.pdf", squash(&pdf_body_text(&pdf, &kit))),
        ("handout.md", squash(&markdown)),
        ("handout.html", squash(&html_text(&html))),
    ];
    for (file, text) in &formats {
        for label in [
            "Purpose",
            "Listen for",
            "Model answer",
            "Rubric",
            "Red flags",
            "Reference solution",
            "Example answers",
            "Competency",
        ] {
            assert!(!text.contains(label), "{file} shows the label {label}");
        }
        for item in &kit.questions {
            let q = &item.question;
            let exercise = q.exercise.as_ref().unwrap();
            let mut shown = vec![
                q.prompt.clone(),
                exercise.module.clone(),
                exercise.tests_file(),
            ];
            shown.extend(q.title.clone());
            if !file.ends_with(".pdf") {
                // The PDF wraps long code and artifact lines; the text formats keep them whole.
                shown.extend(q.artifact.clone());
                shown.extend(q.code.clone());
                shown.extend([exercise.starter.clone(), exercise.tests.clone()]);
            }
            for text_shown in shown {
                assert!(
                    text.contains(&squash(&text_shown)),
                    "{file} lacks {} of {}",
                    squash(&text_shown),
                    q.id
                );
            }
            for (what, secret) in secrets(item) {
                // A solution line that some question shows the candidate anyway (a loop
                // header in another question's code) is no leak.
                if what == "exercise solution" && public.contains(&secret) {
                    continue;
                }
                assert!(
                    !text.contains(&secret),
                    "{file} leaks the {what} of {}: {secret}",
                    q.id
                );
            }
        }
    }
}

/// The interviewer packet shows every v2 field: titles in the agenda, core and depth points
/// apart, the answer as a summary and points, example answers, the artifact and the exercise.
#[test]
fn the_interviewer_packet_shows_every_v2_field() {
    use interview_kit::render::{self, DocOptions, Markup};
    let kit = every_question_kit();
    let templates = interview_kit::templates::Templates::builtin();
    let options = DocOptions::default();
    for markup in [Markup::Markdown, Markup::Html] {
        let raw = String::from_utf8(
            render::interviewer_markup(&kit, templates, &options, markup).unwrap(),
        )
        .unwrap();
        let text = squash(&if markup == Markup::Html {
            html_text(&raw)
        } else {
            raw.clone()
        });
        for item in &kit.questions {
            let q = &item.question;
            let exercise = q.exercise.as_ref().unwrap();
            let (summary, points) = q.answer_parts();
            let mut shown = vec![
                q.display_title().to_owned(),
                summary,
                exercise.solution.clone(),
                exercise.starter.clone(),
            ];
            shown.extend(points);
            shown.extend(q.depth_points.clone());
            shown.extend(q.weak_answer.clone());
            shown.extend(q.strong_answer.clone());
            shown.extend(q.artifact.clone());
            for s in shown {
                assert!(
                    text.contains(&squash(&s)),
                    "{markup:?} lacks {} of {}",
                    squash(&s),
                    q.id
                );
            }
        }
        assert!(text.contains("Depth: an excellent answer (level 4) adds"));
        if markup == Markup::Html {
            assert!(raw.contains("<ul class=\"depth\">"));
            // The agenda shows titles, not ids.
            let agenda = &raw[raw.find("<tbody>").unwrap()..raw.find("</tbody>").unwrap()];
            assert!(
                !agenda.contains(&format!(">{}<", kit.questions[0].question.id))
                    || kit.questions[0].question.title.is_none()
            );
        }
    }
}

/// HTML follows `--paper` and sets inline code as `<code>` in every list and answer.
#[test]
fn html_follows_the_paper_and_sets_inline_code() {
    let (_a, letter) = generate(&["--paper", "letter", "--format", "html"]);
    let (_b, a4) = generate(&["--format", "html"]);
    for file in ["interviewer.html", "handout.html"] {
        let html = fs::read_to_string(letter.join(file)).unwrap();
        assert!(html.contains("@page { size: letter;"), "{file}");
        assert!(!html.contains("size: A4"), "{file}");
        let html = fs::read_to_string(a4.join(file)).unwrap();
        assert!(html.contains("@page { size: A4;"), "{file}");
    }
    let html = fs::read_to_string(a4.join("interviewer.html")).unwrap();
    let kit: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(a4.join("kit.json")).unwrap()).unwrap();
    // Outside code blocks no backtick is left: every pair became a `<code>` span.
    let mut prose = html.clone();
    while let Some(start) = prose.find("<pre") {
        let end = prose[start..].find("</pre>").unwrap() + start + 6;
        prose.replace_range(start..end, "");
    }
    assert!(!prose.contains('`'), "raw backticks outside code blocks");
    let with_code = kit["questions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["question"]["key_points"].as_array().unwrap().clone())
        .filter_map(|p| p.as_str().map(str::to_owned))
        .find(|p| p.matches('`').count() == 2)
        .expect("a key point with inline code");
    let expected = interview_kit::templates::inline_code_html(&with_code);
    assert!(expected.contains("<code>"));
    assert!(html.contains(&format!("<li>{expected}</li>")), "{expected}");
}
