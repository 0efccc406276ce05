//! Golden bytes: one kit from the fixture bank, pinned by SHA-256 of each of its files.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use sha2::{Digest, Sha256};

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("interview-kit").expect("the binary builds");
    cmd.env("INTERVIEW_KIT_WORKSPACE", ":memory:");
    cmd
}

fn fixture(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Generates the pinned kit into `out` and returns its folder.
fn pinned_kit(out: &Path) -> std::path::PathBuf {
    bin()
        .args([
            "generate",
            "--seed",
            "11",
            "--candidate",
            "Zoë Ñandú-Łukasz",
        ])
        .arg("--bank")
        .arg(fixture("tests/fixtures/bank"))
        .arg("--blueprint")
        .arg(fixture("tests/fixtures/blueprints/fixture.toml"))
        .args(["--date", "2026-12-01", "--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
    let mut dirs: Vec<_> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs.pop().unwrap()
}

fn sha256(path: &Path) -> String {
    Sha256::digest(fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The SHA-256 of every file of one kit, made from the fixture bank (which, unlike the
/// built-in bank, only changes when a test needs it to).
///
/// This test fails when a kit's bytes change: a dependency update (printpdf, lopdf, the
/// deflate library), a change of the PDF writer, the layout, the templates or the CSV
/// writer. If the change is deliberate — a document meant to look or read differently —
/// update the hashes below in the same commit and say why in its message; the failure
/// message prints the new ones. If it is not deliberate, the same inputs no longer give
/// the same bytes, which breaks the reproducibility contract.
#[test]
fn one_kit_has_pinned_bytes() {
    let out = tempfile::tempdir().unwrap();
    let kit = pinned_kit(out.path());
    let expected = [
        (
            "handout.pdf",
            "36e03807be6575f7f49ceabc12bea3a78691c2a8c7b5c51a3f687d5b59bc604e",
        ),
        (
            "interviewer.pdf",
            "c1518b7d8d0264abc7107de9eb9af5e753db477ce2b9dd3bbe28ec87ec1733f1",
        ),
        (
            "kit.json",
            "7b801f94ca0ec526f850b046d0c1f2453e3fa12b61c296d45b4783976048adb2",
        ),
        (
            "scorecard.csv",
            "5380188420401b58da9ee0ae687226b8e854d6ca9a380388a35e65163d745c8c",
        ),
    ];
    let actual: Vec<(&str, String)> = expected
        .iter()
        .map(|(file, _)| (*file, sha256(&kit.join(file))))
        .collect();
    let report: String = actual
        .iter()
        .map(|(file, hash)| format!("        (\"{file}\", \"{hash}\"),\n"))
        .collect();
    for ((file, want), (_, got)) in expected.iter().zip(&actual) {
        assert_eq!(
            want, got,
            "{file} changed; if deliberate, pin the new hashes:\n{report}"
        );
    }
}

/// The PDFs carry no dates (a kit is the same file whenever it is made) and never the
/// 1 January 1970 printpdf writes by default.
#[test]
fn pdfs_have_no_creation_date() {
    let out = tempfile::tempdir().unwrap();
    let kit = pinned_kit(out.path());
    for file in ["handout.pdf", "interviewer.pdf"] {
        let bytes = fs::read(kit.join(file)).unwrap();
        for needle in [&b"CreationDate"[..], b"ModDate", b"D:1970"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{file} holds {}",
                String::from_utf8_lossy(needle)
            );
        }
    }
}

/// Two runs give the same bytes, and so does `replay` of the kit code.
#[test]
fn replay_gives_the_same_bytes() {
    let first = tempfile::tempdir().unwrap();
    let kit = pinned_kit(first.path());
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(kit.join("kit.json")).unwrap()).unwrap();
    let code = json["kit_code"].as_str().unwrap().to_owned();
    let again = tempfile::tempdir().unwrap();
    bin()
        .args(["replay", &code, "--candidate", "Zoë Ñandú-Łukasz"])
        .arg("--bank")
        .arg(fixture("tests/fixtures/bank"))
        .arg("--blueprint")
        .arg(fixture("tests/fixtures/blueprints/fixture.toml"))
        .args(["--date", "2026-12-01", "--out"])
        .arg(again.path())
        .assert()
        .success();
    let replayed = fs::read_dir(again.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    for file in [
        "handout.pdf",
        "interviewer.pdf",
        "kit.json",
        "scorecard.csv",
    ] {
        assert_eq!(
            fs::read(kit.join(file)).unwrap(),
            fs::read(replayed.join(file)).unwrap(),
            "{file}"
        );
    }
}
