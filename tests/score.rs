//! `interview-kit score`: filled-in scorecards to `summary.csv` and `summary.md`, every validation rule with its exact message.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use interview_kit::kit::Kit;

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

/// A round of two kits from the fixture bank (4 questions each: 2 `alpha`, 2 `beta`):
/// Ada's (form 0) and Bea's (form 1).
struct Round {
    dir: tempfile::TempDir,
    ada: PathBuf,
    bea: PathBuf,
}

impl Round {
    fn new() -> Round {
        let dir = tempfile::tempdir().unwrap();
        bin()
            .args([
                "generate",
                "--seed",
                "42",
                "--candidate",
                "Ada",
                "--candidate",
                "Bea",
            ])
            .arg("--bank")
            .arg(fixtures().join("bank"))
            .arg("--blueprint")
            .arg(fixtures().join("blueprints/fixed.toml"))
            .args(["--format", "md", "--out"])
            .arg(dir.path().join("kits"))
            .assert()
            .success();
        let find = |suffix: &str| {
            fs::read_dir(dir.path().join("kits"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.to_string_lossy().ends_with(suffix))
                .unwrap()
        };
        Round {
            ada: find("-ada"),
            bea: find("-bea"),
            dir,
        }
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("summary")
    }

    /// Runs `score` on `files` with `--out` set; more arguments in `extra`. Sheets without
    /// an `interviewer` column are named after their file (`--interviewer ann.csv`).
    fn score(&self, files: &[&Path], extra: &[&str]) -> assert_cmd::assert::Assert {
        let names = files.iter().flat_map(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            ["--interviewer".to_owned(), name]
        });
        bin()
            .arg("score")
            .args(files)
            .args(names)
            .args(extra)
            .arg("--out")
            .arg(self.out())
            .assert()
    }

    /// Runs `score` expecting bad data: exit 1, `stderr` exactly, and nothing written.
    fn fails(&self, files: &[&Path], extra: &[&str], stderr: String) {
        self.score(files, extra).code(1).stderr(stderr);
        assert!(!self.out().exists(), "output was written despite the error");
    }
}

fn kit_of(dir: &Path) -> Kit {
    let text = fs::read_to_string(dir.join("kit.json")).unwrap();
    interview_kit::export::kit_from_json("kit.json", &text).unwrap()
}

/// The generic scorecard of a kit as rows (header first).
fn scorecard(kit_dir: &Path) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(kit_dir.join("scorecard.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap()
}

/// How a spreadsheet saved the file.
#[derive(Clone, Copy)]
enum Saved {
    /// As `generate` wrote it: `,` and LF.
    Plain,
    /// As Excel saves "CSV UTF-8" in a locale with a decimal comma: BOM, `;`, CRLF.
    Excel,
}

fn write_rows(path: &Path, rows: &[Vec<String>], saved: Saved) {
    let (delimiter, terminator, bom) = match saved {
        Saved::Plain => (b',', csv::Terminator::Any(b'\n'), &b""[..]),
        Saved::Excel => (b';', csv::Terminator::CRLF, &b"\xEF\xBB\xBF"[..]),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .from_writer(bom.to_vec());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    fs::write(path, writer.into_inner().unwrap()).unwrap();
}

/// The kit's scorecard with `scores` (by question number, 1 first) in its `score` column.
fn filled(kit_dir: &Path, scores: &[Option<u8>]) -> Vec<Vec<String>> {
    let mut rows = scorecard(kit_dir);
    let score = column(&rows, "score");
    for (row, value) in rows[1..].iter_mut().zip(scores) {
        row[score] = value.map(|v| v.to_string()).unwrap_or_default();
    }
    rows
}

/// Writes a filled-in copy of the kit's scorecard to `kit_dir/name`; returns its path.
fn fill(kit_dir: &Path, name: &str, scores: &[Option<u8>], saved: Saved) -> PathBuf {
    let path = kit_dir.join(name);
    write_rows(&path, &filled(kit_dir, scores), saved);
    path
}

/// Scores by question number that give each topic's questions, in kit order, these scores.
fn by_topic(kit: &Kit, alpha: [Option<u8>; 2], beta: [Option<u8>; 2]) -> Vec<Option<u8>> {
    let (mut a, mut b) = (alpha.into_iter(), beta.into_iter());
    kit.questions
        .iter()
        .map(|q| match q.question.topic.as_str() {
            "alpha" => a.next().unwrap(),
            _ => b.next().unwrap(),
        })
        .collect()
}

/// Hand-checked round (the fixture blueprint counts alpha 2, beta 2).
///
/// Ada's kit is, by number: 1 beta-one, 2 alpha-four, 3 alpha-two, 4 beta-two
/// (the golden ids of seed 42). Ann scores 2, 4, 3, 1 and Bob 2, 2, 3, 2:
///   question means 2, 3, 3, 1.5; alpha = (3 + 3) / 2 = 3.00; beta = (2 + 1.5) / 2 = 1.75;
///   total = (2 × 3 + 2 × 1.75) / 4 = 2.375 → 2.38; percent = 1.375 / 3 × 100 = 45.8.
///   MAD over (2,2) (4,2) (3,3) (1,2) = (0 + 2 + 0 + 1) / 4 = 0.75.
///   kappa: observed Σd²/n = 5/4; Ann is uniform over 1..4 (mean 2.5, variance 1.25),
///   Bob is 2, 2, 3, 2 (mean 2.25, variance 5.25 − 5.0625 = 0.1875); chance =
///   1.25 + 0.1875 + 0.25² = 1.5; κ = 1 − 1.25 / 1.5 = 1/6 → 0.17.
///   Question 2 (alpha-four) is scored 4 and 2: a disagreement.
/// Bea's kit, one interviewer, saved by Excel (BOM, `;`, CRLF): alpha 3 and empty,
///   beta 4 and 4: alpha 3.00, beta 4.00, total (2 × 3 + 2 × 4) / 4 = 3.50, 83.3 %,
///   3 of 4 scored (75.0 %). Bea ranks first.
/// A CSV file as written by default (BOM, CRLF: what Excel writes), checked as such and
/// returned without the BOM and with LF line ends, for comparing text.
fn excel_csv(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("CSV files start with a BOM by default");
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    text.replace("\r\n", "\n")
}

#[test]
fn hand_checked_round() {
    let round = Round::new();
    let ada = kit_of(&round.ada);
    let bea = kit_of(&round.bea);
    let ids: Vec<&str> = ada
        .questions
        .iter()
        .map(|q| q.question.id.as_str())
        .collect();
    assert_eq!(ids, ["beta-one", "alpha-four", "alpha-two", "beta-two"]);
    let ann = fill(
        &round.ada,
        "ann.csv",
        // The fifth row is the overall recommendation: 3 Hire, never part of the total.
        &[Some(2), Some(4), Some(3), Some(1), Some(3)],
        Saved::Plain,
    );
    let bob = fill(
        &round.ada,
        "bob.csv",
        &[Some(2), Some(2), Some(3), Some(2), Some(2)],
        Saved::Plain,
    );
    let bea_scores = by_topic(&bea, [Some(3), None], [Some(4), Some(4)]);
    let cat = fill(&round.bea, "scorecard.csv", &bea_scores, Saved::Excel);
    let missing = bea
        .questions
        .iter()
        .zip(&bea_scores)
        .find(|(_, s)| s.is_none())
        .map(|(q, _)| q)
        .unwrap();

    round
        .score(&[&ann, &bob, &cat], &[])
        .success()
        .stdout(format!(
            "note: `{}`: row {}, column `score` (N): no score for question `{}`; it counts as not asked\n \
             1. Bea ({}): total 3.50, 3 of 4 questions scored, 1 interviewer(s)\n \
             2. Ada ({}): total 2.38, 4 of 4 questions scored, 2 interviewer(s)\n\
             wrote {}, {} and {}\n",
            cat.display(),
            missing.number + 1,
            missing.question.id,
            bea.kit_code,
            ada.kit_code,
            round.out().join("summary.csv").display(),
            round.out().join("summary.md").display(),
            round.out().join("summary.pdf").display(),
        ));
    // The PDF reads back with the ranking in order and the kappa of the pair.
    let pdf = std::process::Command::new("pdftotext")
        .arg(round.out().join("summary.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    let text = String::from_utf8(pdf.stdout).unwrap();
    let (bea_at, ada_at) = (text.find("Bea").unwrap(), text.find("Ada").unwrap());
    assert!(bea_at < ada_at, "{text}");
    assert!(text.contains("weighted kappa 0.17"), "{text}");
    let csv = excel_csv(&round.out().join("summary.csv"));
    assert_eq!(
        csv,
        format!(
            "rank,kit_code,candidate,total,percent,scored,questions,completion_percent,interviewers,topic_alpha,topic_beta,mad,kappa,disagreements,recommendations\n\
             1,{},Bea,3.50,83.3,3,4,75.0,scorecard.csv,3.00,4.00,,,,\n\
             2,{},Ada,2.38,45.8,4,4,100.0,ann.csv; bob.csv,3.00,1.75,0.75,0.17,alpha-four,ann.csv: 3; bob.csv: 2\n",
            bea.kit_code, ada.kit_code
        )
    );
    let md = fs::read_to_string(round.out().join("summary.md")).unwrap();
    for line in [
        format!("| 1 | Bea | `{}` | 3.50 | 83.3 | 3/4 | 1 | – | – | 0 |", bea.kit_code),
        format!("| 2 | Ada | `{}` | 2.38 | 45.8 | 4/4 | 2 | 0.75 | 0.17 | 1 |", ada.kit_code),
        "| Alpha | 2 | 2/2 | 3.00 |".to_owned(),
        "| Beta | 2 | 2/2 | 1.75 |".to_owned(),
        "- `ann.csv` and `bob.csv`: 4 question(s) scored by both, mean absolute difference 0.75, weighted kappa 0.17".to_owned(),
        "- question 2 `alpha-four`: `ann.csv` 4, `bob.csv` 2".to_owned(),
        "Overall recommendation (apart from the total): `ann.csv` 3 Hire, `bob.csv` 2 No hire."
            .to_owned(),
    ] {
        assert!(md.contains(&line), "summary.md lacks {line:?}:\n{md}");
    }
}

#[test]
fn several_interviewers_in_one_file_with_an_interviewer_column() {
    let round = Round::new();
    let ann = filled(&round.ada, &[Some(2), Some(4), Some(3), Some(1)]);
    let bob = filled(&round.ada, &[Some(2), Some(2), Some(3), Some(2)]);
    let mut rows = vec![{
        let mut header = ann[0].clone();
        header.push("interviewer".into());
        header
    }];
    for (who, sheet) in [("Ann", &ann), ("Bob", &bob)] {
        for row in &sheet[1..] {
            let mut row = row.clone();
            row.push(who.into());
            rows.push(row);
        }
    }
    let file = round.ada.join("panel.csv");
    write_rows(&file, &rows, Saved::Excel);
    round.score(&[&file], &[]).success();
    let csv = excel_csv(&round.out().join("summary.csv"));
    let ada = kit_of(&round.ada);
    assert!(
        csv.ends_with(&format!(
            "1,{},Ada,2.38,45.8,4,4,100.0,Ann; Bob,3.00,1.75,0.75,0.17,alpha-four,\n",
            ada.kit_code
        )),
        "{csv}"
    );
}

#[test]
fn kits_are_found_by_code_in_the_kits_folder() {
    let round = Round::new();
    let inbox = round.dir.path().join("inbox");
    fs::create_dir(&inbox).unwrap();
    let file = inbox.join("ada-ann.csv");
    write_rows(
        &file,
        &filled(&round.ada, &[Some(1), Some(2), Some(3), Some(4)]),
        Saved::Plain,
    );
    round.fails(
        &[&file],
        &[],
        format!(
            "error: `{}`: there is no kit.json beside the file to check it against; pass --kits DIR, the folder `generate --out` wrote the kits to\n",
            file.display()
        ),
    );
    let kits = round.dir.path().join("kits");
    round
        .score(&[&file], &["--kits", kits.to_str().unwrap()])
        .success();
    let csv = excel_csv(&round.out().join("summary.csv"));
    assert!(
        csv.contains(",Ada,2.50,50.0,4,4,100.0,ada-ann.csv,"),
        "{csv}"
    );
}

#[test]
fn a_code_missing_from_the_kits_folder_is_named() {
    let round = Round::new();
    let inbox = round.dir.path().join("inbox");
    fs::create_dir(&inbox).unwrap();
    let file = inbox.join("x.csv");
    let mut rows = filled(&round.ada, &[Some(1), Some(2), Some(3), Some(4)]);
    for row in &mut rows[1..] {
        row[0] = "PY1-1A-9-9BV3Q0N".into();
    }
    write_rows(&file, &rows, Saved::Plain);
    let kits = round.dir.path().join("kits");
    round.fails(
        &[&file],
        &["--kits", kits.to_str().unwrap()],
        format!(
            "error: `{}`: row 2, column `kit_code` (A): there is no kit `PY1-1A-9-9BV3Q0N` in `{}`; pass the folder the kit was generated into (--kits DIR, once per folder)\n",
            file.display(),
            kits.display()
        ),
    );
}

#[test]
fn a_score_outside_the_scale_names_row_and_column() {
    let round = Round::new();
    let file = fill(
        &round.ada,
        "ann.csv",
        &[Some(1), Some(5), Some(3), Some(0)],
        Saved::Excel,
    );
    round.fails(
        &[&file],
        &[],
        format!(
            "error: `{f}`: row 3, column `score` (N): score `5` is outside the rubric scale 1 to 4; write a whole number from 1 to 4, or leave the cell empty if the question was not asked\n\
             `{f}`: row 5, column `score` (N): score `0` is outside the rubric scale 1 to 4; write a whole number from 1 to 4, or leave the cell empty if the question was not asked\n",
            f = file.display()
        ),
    );
}

#[test]
fn a_score_that_is_not_a_number_names_row_and_column() {
    let round = Round::new();
    let mut rows = filled(&round.ada, &[Some(1), Some(2), Some(3), Some(4)]);
    let score = column(&rows, "score");
    rows[2][score] = "good".into();
    let file = round.ada.join("ann.csv");
    write_rows(&file, &rows, Saved::Plain);
    round.fails(
        &[&file],
        &[],
        format!(
            "error: `{}`: row 3, column `score` (N): `good` is not a score; write a whole number from 1 to 4, or leave the cell empty if the question was not asked\n",
            file.display()
        ),
    );
}

#[test]
fn missing_scores_are_allowed_and_reported() {
    let round = Round::new();
    let file = fill(
        &round.ada,
        "ann.csv",
        &[None, None, None, None],
        Saved::Plain,
    );
    let run = round.score(&[&file], &[]).success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let ada = kit_of(&round.ada);
    for item in &ada.questions {
        assert!(
            stdout.contains(&format!(
                "note: `{}`: row {}, column `score` (N): no score for question `{}`; it counts as not asked\n",
                file.display(),
                item.number + 1,
                item.question.id
            )),
            "{stdout}"
        );
    }
    let csv = excel_csv(&round.out().join("summary.csv"));
    assert!(
        csv.ends_with(&format!("1,{},Ada,,,0,4,0.0,ann.csv,,,,,,\n", ada.kit_code)),
        "{csv}"
    );
}

#[test]
fn a_question_without_a_row_is_reported_as_not_asked() {
    let round = Round::new();
    let mut rows = filled(&round.ada, &[Some(3), Some(3), Some(3), Some(3)]);
    rows.remove(4);
    let file = round.ada.join("ann.csv");
    write_rows(&file, &rows, Saved::Plain);
    let ada = kit_of(&round.ada);
    let run = round.score(&[&file], &[]).success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.starts_with(&format!(
            "note: kit `{}`: `ann.csv` has no row for question 4 `beta-two`; it counts as not asked\n",
            ada.kit_code
        )),
        "{stdout}"
    );
}

#[test]
fn a_kit_code_from_another_kit_is_refused() {
    let round = Round::new();
    let bea = kit_of(&round.bea);
    let ada = kit_of(&round.ada);
    let mut rows = filled(&round.ada, &[Some(1), Some(2), Some(3), Some(4)]);
    rows[3][0] = bea.kit_code.clone();
    let file = round.ada.join("ann.csv");
    write_rows(&file, &rows, Saved::Plain);
    round.fails(
        &[&file],
        &[],
        format!(
            "error: `{}`: row 4, column `kit_code` (A): kit code `{}` does not match kit `{}` (`{}`); the file mixes kits or was edited, keep one kit per file\n",
            file.display(),
            bea.kit_code,
            ada.kit_code,
            round.ada.join("kit.json").display()
        ),
    );
}

#[test]
fn a_kit_code_typed_in_lowercase_is_the_same_kit() {
    let round = Round::new();
    let mut rows = filled(&round.ada, &[Some(1), Some(2), Some(3), Some(4)]);
    rows[1][0] = rows[1][0].to_lowercase();
    let file = round.ada.join("ann.csv");
    write_rows(&file, &rows, Saved::Plain);
    round.score(&[&file], &[]).success();
}

#[test]
fn a_question_not_in_the_kit_is_refused() {
    let round = Round::new();
    let mut rows = filled(&round.ada, &[Some(1), Some(2), Some(3), Some(4)]);
    let id = column(&rows, "question_id");
    rows[2][id] = "alpha-three".into();
    let file = round.ada.join("ann.csv");
    write_rows(&file, &rows, Saved::Plain);
    let ada = kit_of(&round.ada);
    round.fails(
        &[&file],
        &[],
        format!(
            "error: `{}`: row 3, column `question_id` (D): question `alpha-three` is not in kit `{}`; the row was edited or comes from another kit\n",
            file.display(),
            ada.kit_code
        ),
    );
}

#[test]
fn a_duplicate_row_names_both_rows() {
    let round = Round::new();
    let mut rows = filled(&round.ada, &[Some(1), Some(2), Some(3), Some(4)]);
    let copy = rows[2].clone();
    // After the four questions (rows 2 to 5) and the overall recommendation (row 6).
    rows.push(copy);
    let file = round.ada.join("ann.csv");
    write_rows(&file, &rows, Saved::Plain);
    round.fails(
        &[&file],
        &[],
        format!(
            "error: `{}`: row 7, column `question_id` (D): question `alpha-four` is scored twice by `ann.csv` (first on row 3); delete one of the rows\n",
            file.display()
        ),
    );
}

#[test]
fn a_duplicate_across_files_names_both_files() {
    let round = Round::new();
    let with_interviewer = |scores: &[Option<u8>]| {
        let mut rows = filled(&round.ada, scores);
        rows[0].push("interviewer".into());
        for row in &mut rows[1..] {
            row.push("Ann".into());
        }
        rows
    };
    let first = round.ada.join("monday.csv");
    let second = round.ada.join("tuesday.csv");
    write_rows(
        &first,
        &with_interviewer(&[Some(1), Some(2), Some(3), Some(4)]),
        Saved::Plain,
    );
    let mut rows = with_interviewer(&[Some(1), Some(2), Some(3), Some(4)]);
    rows.truncate(2);
    write_rows(&second, &rows, Saved::Plain);
    round.fails(
        &[&first, &second],
        &[],
        format!(
            "error: `{}`: row 2, column `question_id` (D): question `beta-one` is scored twice by `Ann` (first in `{}` row 2); delete one of the rows\n",
            second.display(),
            first.display()
        ),
    );
}

#[test]
fn an_empty_interviewer_cell_is_refused() {
    let round = Round::new();
    let mut rows = filled(&round.ada, &[Some(1), Some(2), Some(3), Some(4)]);
    rows[0].push("interviewer".into());
    for row in &mut rows[1..] {
        row.push("Ann".into());
    }
    rows[4][15] = String::new();
    let file = round.ada.join("panel.csv");
    write_rows(&file, &rows, Saved::Plain);
    round.fails(
        &[&file],
        &[],
        format!(
            "error: `{}`: row 5, column `interviewer` (P): the cell is empty; write who scored this row\n",
            file.display()
        ),
    );
}

#[test]
fn a_missing_column_is_named() {
    let round = Round::new();
    let mut rows = filled(&round.ada, &[Some(1), Some(2), Some(3), Some(4)]);
    let score = column(&rows, "score");
    for row in &mut rows {
        row.remove(score);
    }
    let file = round.ada.join("ann.csv");
    write_rows(&file, &rows, Saved::Plain);
    round.fails(
        &[&file],
        &[],
        format!(
            "error: `{}`: row 1: missing column `score`; a scorecard needs the columns `kit_code`, `question_id` and `score` that `generate` wrote\n",
            file.display()
        ),
    );
}

#[test]
fn every_problem_of_every_file_is_reported_and_nothing_written() {
    let round = Round::new();
    let ann = fill(
        &round.ada,
        "ann.csv",
        &[Some(9), Some(2), Some(3), Some(4)],
        Saved::Plain,
    );
    let bea_scores = [Some(1), Some(2), Some(3), Some(7)];
    let cat = fill(&round.bea, "cat.csv", &bea_scores, Saved::Excel);
    let run = round.score(&[&ann, &cat], &[]).code(1);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!(
            "`{}`: row 2, column `score` (N): score `9`",
            ann.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "`{}`: row 5, column `score` (N): score `7`",
            cat.display()
        )),
        "{stderr}"
    );
    assert!(!round.out().exists());
}

#[test]
fn the_summary_is_not_replaced_without_force() {
    let round = Round::new();
    let file = fill(
        &round.ada,
        "ann.csv",
        &[Some(1), Some(2), Some(3), Some(4)],
        Saved::Plain,
    );
    fs::create_dir_all(round.out()).unwrap();
    fs::write(round.out().join("summary.md"), "mine").unwrap();
    round.score(&[&file], &[]).code(1).stderr(format!(
        "error: `{}` already exists; pass --force to replace it\n",
        round.out().join("summary.md").display()
    ));
    assert!(!round.out().join("summary.csv").exists());
    round.score(&[&file], &["--force"]).success();
    assert!(
        fs::read_to_string(round.out().join("summary.md"))
            .unwrap()
            .starts_with("# Round summary")
    );
}
