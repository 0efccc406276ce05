//! ATS export profiles, safe CSV flags, `export` and `round.csv`: each test in its own folder, files read back with the csv crate.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use interview_kit::export::Profiles;
use interview_kit::export::{self, CsvOptions, profile};
use interview_kit::kit::Kit;
use interview_kit::select::Blueprint;
use interview_kit::templates::Templates;

const PROFILES: [&str; 5] = ["generic", "greenhouse", "lever", "workable", "ashby"];

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

/// The fixture bank with prompts a spreadsheet would run, and text CSV must quote.
fn hostile_bank() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let alpha = fs::read_to_string(fixtures().join("bank/alpha.toml"))
        .unwrap()
        .replace(
            "\"Alpha prompt one?\"",
            r#""=HYPERLINK(\"http://evil.example\",\"Click me\")""#,
        )
        .replace("\"Alpha prompt two?\"", r#""@SUM(1+1)*cmd|' /C calc'!A0""#)
        .replace(
            "\"Alpha prompt three?\"",
            r#""Quotes \"q\", commas, and\nnewlines; Ζωή, Дмитрий, 李小龙, O'Brien?""#,
        )
        .replace("\"Alpha prompt four?\"", r#""-2+3+cmd|' /C calc'!A0""#);
    let beta = fs::read_to_string(fixtures().join("bank/beta.toml"))
        .unwrap()
        .replace("\"Beta prompt one?\"", r#""+cmd|' /C notepad'!A0""#);
    fs::write(dir.path().join("alpha.toml"), alpha).unwrap();
    fs::write(dir.path().join("beta.toml"), beta).unwrap();
    dir
}

fn fixture_args(bank: &Path) -> Vec<String> {
    vec![
        "--bank".into(),
        bank.display().to_string(),
        "--blueprint".into(),
        fixtures()
            .join("blueprints/fixed.toml")
            .display()
            .to_string(),
        "--format".into(),
        "md".into(),
    ]
}

/// Runs `generate` into a fresh folder; returns the folder and the kit folders, sorted.
fn generate(args: &[&str]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let out = tempfile::tempdir().unwrap();
    bin()
        .arg("generate")
        .args(args)
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let mut kits: Vec<PathBuf> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    kits.sort();
    (out, kits)
}

/// One kit for Ada (seed 3) from the hostile bank, with the export `profiles`; returns the
/// bank and output folders (kept alive) and the kit folders.
fn hostile_kit(profiles: &str) -> (tempfile::TempDir, tempfile::TempDir, Vec<PathBuf>) {
    let bank = hostile_bank();
    let mut args = fixture_args(bank.path());
    args.extend(
        [
            "--seed",
            "3",
            "--candidate",
            "Ada",
            "--csv-profile",
            profiles,
        ]
        .map(String::from),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (out, kits) = generate(&args);
    (bank, out, kits)
}

fn kit_of(dir: &Path) -> Kit {
    let text = fs::read_to_string(dir.join("kit.json")).unwrap();
    export::kit_from_json("kit.json", &text).unwrap()
}

/// Every record of a CSV file as written with `options`, BOM dropped.
fn records(bytes: &[u8], options: &CsvOptions) -> Vec<Vec<String>> {
    let bytes = if options.bom {
        bytes
            .strip_prefix(export::BOM)
            .expect("the file starts with a BOM")
    } else {
        assert!(!bytes.starts_with(export::BOM), "unexpected BOM");
        bytes
    };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(options.delimiter)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The values `table` holds, as a reader of the CSV gets them back once the guard's `'` is undone.
fn unguarded(rows: &[Vec<String>], guard: bool) -> Vec<Vec<String>> {
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|cell| {
                    if guard {
                        export::unguard_formula(cell).to_owned()
                    } else {
                        cell.clone()
                    }
                })
                .collect()
        })
        .collect()
}

/// Asserts that `bytes`, the CSV of `profile` for `kit`, parses back to the rendered table.
fn assert_round_trip(kit: &Kit, name: &str, bytes: &[u8], options: &CsvOptions) {
    let profiles = Profiles::builtin();
    let table = profile::table(kit, profiles.get(name).unwrap(), profiles).unwrap();
    let mut expected = vec![table.header.clone()];
    expected.extend(table.rows.clone());
    let back = records(bytes, options);
    assert_eq!(
        unguarded(&back, options.formula_guard),
        expected,
        "profile {name} with {options:?}"
    );
    // And the guard did its job: no cell of a guarded file starts a formula.
    if options.formula_guard {
        for cell in back.iter().flatten() {
            let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']);
            // Only a plain number such as `-0.15` may start with a sign.
            assert!(
                !formula || cell.parse::<f64>().is_ok(),
                "profile {name}: unguarded cell {cell:?}"
            );
        }
    }
}

#[test]
fn every_profile_parses_back_to_exactly_the_values_written() {
    let bank_dir = hostile_bank();
    let bank = interview_kit::bank::load_path(bank_dir.path()).unwrap();
    let blueprint = Blueprint::load(&fixtures().join("blueprints/fixture.toml"), &bank).unwrap();
    let names = [
        "O'Brien, \"Zoë\" Núñez",
        "=HYPERLINK(\"http://evil.example\")",
        "Line\nbreak, Γιώργος Дмитрий 李小龙",
        "@Łukasz;semicolon\ttab",
        "'=already quoted",
    ];
    let option_sets = [
        CsvOptions::default(),
        CsvOptions {
            crlf: true,
            bom: true,
            delimiter: b';',
            formula_guard: true,
        },
        CsvOptions {
            crlf: false,
            bom: false,
            delimiter: b'\t',
            formula_guard: true,
        },
        CsvOptions {
            crlf: true,
            bom: false,
            delimiter: b',',
            formula_guard: false,
        },
    ];
    let profiles = Profiles::builtin();
    let mut seen = std::collections::BTreeSet::new();
    for (seed, name) in names.iter().enumerate() {
        // `generate` refuses control characters in names; the CSV layer must still carry
        // any text exactly, so the name is set on the kit directly.
        let mut kit = Kit::build(&bank, &blueprint, seed as u64, 0, "Placeholder").unwrap();
        kit.candidate = (*name).to_owned();
        seen.extend(kit.questions.iter().map(|q| q.question.id.clone()));
        for options in &option_sets {
            for profile_name in PROFILES {
                let profile = profiles.get(profile_name).unwrap();
                let bytes = profile::csv(&kit, profile, profiles, options).unwrap();
                assert_round_trip(&kit, profile_name, &bytes, options);
                if options.crlf {
                    // Every record ends in CRLF; line breaks inside quoted cells stay as written.
                    assert!(bytes.ends_with(b"\r\n"), "{profile_name}");
                }
            }
        }
    }
    // Every hostile prompt went through at least one kit.
    for id in [
        "alpha-one",
        "alpha-two",
        "alpha-three",
        "alpha-four",
        "beta-one",
    ] {
        assert!(seen.contains(id), "{id} never drawn: {seen:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Any candidate name, through any profile, reads back exactly.
    #[test]
    fn any_candidate_name_round_trips(name in "[ -~ÀÿΑωАя李\n\t\"',;=@+-]{1,24}") {
        let bank = interview_kit::bank::load_path(&fixtures().join("bank")).unwrap();
        let blueprint = Blueprint::load(&fixtures().join("blueprints/fixture.toml"), &bank).unwrap();
        let mut kit = Kit::build(&bank, &blueprint, 1, 0, "Placeholder").unwrap();
        kit.candidate = name;
        let profiles = Profiles::builtin();
        for profile_name in PROFILES {
            let options = CsvOptions::default();
            let bytes = profile::csv(&kit, profiles.get(profile_name).unwrap(), profiles, &options).unwrap();
            assert_round_trip(&kit, profile_name, &bytes, &options);
        }
    }
}

#[test]
fn hostile_bank_text_is_neutralised() {
    let (bank, _out, kits) = hostile_kit("greenhouse,lever,workable,ashby");
    let dir = &kits[0];
    let kit = kit_of(dir);
    let options = CsvOptions::default();
    let generic = records(&fs::read(dir.join("scorecard.csv")).unwrap(), &options);
    let prompt = generic[0].iter().position(|h| h == "prompt").unwrap();
    let mut hostile = 0;
    for (row, item) in generic[1..].iter().zip(&kit.questions) {
        let original = item.question.prompt.trim();
        if original.starts_with(['=', '@', '+', '-']) {
            hostile += 1;
            assert_eq!(row[prompt], format!("'{original}"));
        } else {
            assert_eq!(row[prompt], original);
        }
    }
    assert!(hostile >= 2, "the kit should hold hostile prompts: {kit:?}");
    for name in PROFILES {
        let file = if name == "generic" {
            "scorecard.csv".to_owned()
        } else {
            format!("{name}.csv")
        };
        assert_round_trip(&kit, name, &fs::read(dir.join(file)).unwrap(), &options);
    }

    // Without the guard the same cells are written as they are, for machine consumers.
    args_no_guard_writes_raw_cells(bank.path(), &kit);
}

fn args_no_guard_writes_raw_cells(bank: &Path, guarded_kit: &Kit) {
    let mut args = fixture_args(bank);
    args.extend(["--seed", "3", "--candidate", "Ada", "--no-formula-guard"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_out, kits) = generate(&args);
    let raw = records(
        &fs::read(kits[0].join("scorecard.csv")).unwrap(),
        &CsvOptions {
            formula_guard: false,
            ..CsvOptions::default()
        },
    );
    let prompt = raw[0].iter().position(|h| h == "prompt").unwrap();
    for (row, item) in raw[1..].iter().zip(&guarded_kit.questions) {
        assert_eq!(row[prompt], item.question.prompt.trim());
    }
}

#[test]
fn csv_flags_shape_every_csv_of_a_round() {
    let roster = tempfile::tempdir().unwrap();
    let roster_file = roster.path().join("roster.csv");
    fs::write(
        &roster_file,
        "name,email\nAda Lovelace,ada@example.org\n\"Hopper, Grace\",grace@example.org\n",
    )
    .unwrap();
    let mut args = fixture_args(&fixtures().join("bank"));
    args.extend(
        [
            "--seed",
            "5",
            "--candidates",
            roster_file.to_str().unwrap(),
            "--csv-profile",
            "greenhouse",
            "--crlf",
            "--bom",
            "--delimiter",
            ";",
        ]
        .map(String::from),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (out, kits) = generate(&args);
    assert_eq!(kits.len(), 2);
    let options = CsvOptions {
        crlf: true,
        bom: true,
        delimiter: b';',
        formula_guard: true,
    };
    let mut files = vec![out.path().join("round.csv")];
    for kit in &kits {
        files.push(kit.join("scorecard.csv"));
        files.push(kit.join("greenhouse.csv"));
    }
    for file in &files {
        let bytes = fs::read(file).unwrap();
        assert!(bytes.starts_with(export::BOM), "{}", file.display());
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let header = text.split("\r\n").next().unwrap();
        assert!(header.contains(';') && !header.contains(','), "{header}");
        assert!(text.ends_with("\r\n"));
    }
    // The round sheet: one row per candidate, email from the roster, paths that exist.
    let round = records(&fs::read(out.path().join("round.csv")).unwrap(), &options);
    assert_eq!(
        round[0],
        [
            "kit_code",
            "candidate",
            "email",
            "folder",
            "interviewer.md",
            "handout.md",
            "scorecard.csv",
            "greenhouse.csv",
            "greenhouse-interview-prep.html",
            "kit.json"
        ]
    );
    assert_eq!(round.len(), 3);
    let by_name: Vec<(&str, &str)> = round[1..]
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        by_name,
        [
            ("Ada Lovelace", "ada@example.org"),
            ("Hopper, Grace", "grace@example.org")
        ]
    );
    for row in &round[1..] {
        let kit = kit_of(&out.path().join(&row[3]));
        assert_eq!(row[0], kit.kit_code);
        for path in &row[4..] {
            assert!(out.path().join(path).is_file(), "{path}");
        }
    }
}

#[test]
fn a_single_kit_writes_no_round_sheet() {
    let mut args = fixture_args(&fixtures().join("bank"));
    args.extend(["--seed", "5", "--candidate", "Ada"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (out, _kits) = generate(&args);
    assert!(!out.path().join("round.csv").exists());
}

#[test]
fn round_sheet_is_not_replaced_without_force() {
    let out = tempfile::tempdir().unwrap();
    fs::write(out.path().join("round.csv"), "mine\n").unwrap();
    let mut args = fixture_args(&fixtures().join("bank"));
    args.extend(["--seed", "5", "--candidate", "Ada", "--candidate", "Bea"].map(String::from));
    bin()
        .arg("generate")
        .args(&args)
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(format!(
            "error: `{}` already exists: another round was written into `{}`; pass another --out for this round (or --force to replace that round's kits and sheet)\n",
            out.path().join("round.csv").display(),
            out.path().display()
        ));
    // Refused before anything was written.
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 1);
    assert_eq!(
        fs::read_to_string(out.path().join("round.csv")).unwrap(),
        "mine\n"
    );
    bin()
        .arg("generate")
        .args(&args)
        .args(["--force", "--out"])
        .arg(out.path())
        .assert()
        .success();
    assert!(
        fs::read_to_string(out.path().join("round.csv"))
            .unwrap()
            .starts_with("\u{feff}kit_code,")
    );
}

#[test]
fn profile_files_have_the_documented_columns_and_scales() {
    let mut args = fixture_args(&fixtures().join("bank"));
    args.extend(
        [
            "--seed",
            "42",
            "--candidate",
            "Ada",
            "--csv-profile",
            "greenhouse,lever,workable,ashby",
        ]
        .map(String::from),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_out, kits) = generate(&args);
    let dir = &kits[0];
    let options = CsvOptions::default();
    let read = |file: &str| records(&fs::read(dir.join(file)).unwrap(), &options);

    // Generic: the scorecard.csv columns the README documents, unchanged.
    assert_eq!(
        read("scorecard.csv")[0],
        [
            "kit_code",
            "candidate",
            "number",
            "question_id",
            "topic",
            "level",
            "minutes",
            "prompt",
            "purpose",
            "rubric_1_insufficient",
            "rubric_2_developing",
            "rubric_3_proficient",
            "rubric_4_strong",
            "score",
            "notes"
        ]
    );
    let greenhouse = read("greenhouse.csv");
    assert_eq!(
        greenhouse[0][7..11],
        ["Definitely Not", "No", "Yes", "Strong Yes"]
    );
    // Four questions and the overall recommendation.
    assert_eq!(greenhouse.len(), 6);
    assert_eq!(greenhouse[1][3], "1. Beta prompt one?");
    assert_eq!(greenhouse[1][5], "Beta");
    assert_eq!(greenhouse[1][4], "beta one");
    assert_eq!(greenhouse[5][2], "overall");
    assert_eq!(greenhouse[5][7], "Definitely Not: Strong no hire");

    let lever = read("lever.csv");
    assert_eq!(lever[1][3], "score");
    assert_eq!(lever[1][4], "Q1 · Beta: beta one");
    let guide: Vec<&str> = lever[1][6].lines().collect();
    assert_eq!(guide.len(), 4);
    assert!(
        guide[0].starts_with("1 (Insufficient): None of the core evidence"),
        "{guide:?}"
    );
    assert!(
        guide[3].starts_with("4 (Strong): Everything in level 3"),
        "{guide:?}"
    );
    assert_eq!(lever[5][3], "score-system");
    assert_eq!(
        lever[5][6].lines().collect::<Vec<_>>(),
        [
            "1 - Strong No Hire",
            "2 - No Hire",
            "3 - Hire",
            "4 - Strong Hire"
        ]
    );

    let workable = read("workable.csv");
    let guide: Vec<&str> = workable[1][6].lines().collect();
    assert!(guide[0].starts_with("0 - Thumbs down (1 Insufficient):"));
    assert!(guide[1].starts_with("0 - Thumbs down (2 Developing):"));
    assert!(guide[2].starts_with("1 - Thumbs up (3 Proficient):"));
    assert!(guide[3].starts_with("2 - Two thumbs up (4 Strong):"));

    let ashby = read("ashby.csv");
    assert_eq!(ashby[0][4], "Field type");
    assert_eq!(ashby[1][4], "Score");
    assert!(ashby[1][6].starts_with("1 = Insufficient:"));
}

#[test]
fn lever_json_is_a_feedback_template_for_lever_api() {
    let mut args = fixture_args(&fixtures().join("bank"));
    args.extend(
        [
            "--seed",
            "42",
            "--candidate",
            "Ada \"the first\"",
            "--csv-profile",
            "lever",
        ]
        .map(String::from),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_out, kits) = generate(&args);
    let kit = kit_of(&kits[0]);
    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(kits[0].join("lever-feedback-template.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["text"], format!("Fixture Role · kit {}", kit.kit_code));
    let fields = json["fields"].as_array().unwrap();
    let of_type = |t: &str| fields.iter().filter(|f| f["type"] == t).count();
    // Lever requires exactly one `score-system` field; one score and one textarea per question.
    assert_eq!(of_type("score-system"), 1);
    assert_eq!(of_type("score"), kit.questions.len());
    assert_eq!(of_type("textarea"), kit.questions.len());
    assert_eq!(fields.len(), 2 * kit.questions.len() + 1);
    for field in fields {
        assert!(field["text"].is_string() && field["required"].is_boolean());
    }
    let description = fields[0]["description"].as_str().unwrap();
    assert!(
        description.starts_with("Beta prompt one?\n\nRubric:\n1 (Insufficient): "),
        "{description}"
    );
    // The template is per kit, not per candidate: no name in it.
    assert!(!json.to_string().contains("the first"));
}

#[test]
fn export_writes_an_existing_kits_profiles_and_refuses_to_overwrite() {
    let mut args = fixture_args(&fixtures().join("bank"));
    args.extend(["--seed", "42", "--candidate", "Zoë"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_out, kits) = generate(&args);
    let dir = &kits[0];
    let before = fs::read(dir.join("scorecard.csv")).unwrap();
    bin()
        .arg("export")
        .arg(dir)
        .args(["--profile", "lever,workable"])
        .assert()
        .success()
        .stdout(format!(
            "wrote {}\nwrote {}\nwrote {}\n",
            dir.join("lever.csv").display(),
            dir.join("lever-feedback-template.json").display(),
            dir.join("workable.csv").display()
        ));
    // The same bytes as asking `generate` for the profiles.
    let mut with = fixture_args(&fixtures().join("bank"));
    with.extend(
        [
            "--seed",
            "42",
            "--candidate",
            "Zoë",
            "--csv-profile",
            "lever,workable",
        ]
        .map(String::from),
    );
    let with: Vec<&str> = with.iter().map(String::as_str).collect();
    let (_again, generated) = generate(&with);
    for file in ["lever.csv", "lever-feedback-template.json", "workable.csv"] {
        assert_eq!(
            fs::read(dir.join(file)).unwrap(),
            fs::read(generated[0].join(file)).unwrap(),
            "{file}"
        );
    }
    // The generic scorecard is untouched unless asked for.
    assert_eq!(fs::read(dir.join("scorecard.csv")).unwrap(), before);

    bin()
        .arg("export")
        .arg(dir)
        .args(["--profile", "lever"])
        .assert()
        .code(1)
        .stderr(format!(
            "error: `{}` already exists; pass --force to replace it\n",
            dir.join("lever.csv").display()
        ));
    bin()
        .arg("export")
        .arg(dir)
        .args(["--profile", "generic", "--force", "--bom"])
        .assert()
        .success();
    assert!(
        fs::read(dir.join("scorecard.csv"))
            .unwrap()
            .starts_with(export::BOM)
    );
}

#[test]
fn export_needs_a_kit_folder() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .arg("export")
        .arg(dir.path())
        .args(["--profile", "lever"])
        .assert()
        .code(2)
        .stderr(format!(
            "error: `{}` has no kit.json, nor folders holding one; pass a kit folder or a round folder (`generate --out`) written by `interview-kit generate`\n",
            dir.path().display()
        ));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn unknown_profile_lists_the_available_ones_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let mut args = fixture_args(&fixtures().join("bank"));
    args.extend(
        [
            "--seed",
            "1",
            "--candidate",
            "Ada",
            "--csv-profile",
            "taleo",
        ]
        .map(String::from),
    );
    bin()
        .arg("generate")
        .args(&args)
        .arg("--out")
        .arg(out.path().join("kits"))
        .assert()
        .code(2)
        .stderr(
            "error: unknown export profile `taleo`; the profiles are `ashby`, `generic`, `greenhouse`, `lever`, `workable`, `workable-numbers`, `workable-stars`. \
             Add your own as DIR/profiles/taleo.toml and pass --templates DIR\n",
        );
    assert!(!out.path().join("kits").exists());
}

#[test]
fn a_bad_delimiter_is_a_usage_error() {
    let mut args = fixture_args(&fixtures().join("bank"));
    args.extend(["--seed", "1", "--candidate", "Ada", "--delimiter", "ab"].map(String::from));
    bin()
        .arg("generate")
        .args(&args)
        .assert()
        .code(2)
        .stderr("error: --delimiter `ab` is not usable; give one ASCII character such as `,` `;` `|` or `tab`\n");
}

#[test]
fn users_add_their_own_profiles_in_the_templates_folder() {
    let templates = tempfile::tempdir().unwrap();
    let profiles = templates.path().join("profiles");
    fs::create_dir(&profiles).unwrap();
    fs::write(
        profiles.join("teamtailor.toml"),
        r#"description = "A two-column sheet"
file = "teamtailor.csv"

[scale]
name = "stars"
labels = ["1 star", "2 stars", "4 stars", "5 stars"]

[[columns]]
header = "Question ({{kit.kit_code}})"
value = "{{number}}/{{total}} {{question.id}}"

[[columns]]
header = "{{scale.name}}"
value = "{{#each rubric.levels}}{{target}}{{#unless @last}} | {{/unless}}{{/each}}"
"#,
    )
    .unwrap();
    let mut args = fixture_args(&fixtures().join("bank"));
    args.extend(
        [
            "--seed",
            "42",
            "--candidate",
            "Ada",
            "--csv-profile",
            "teamtailor",
            "--templates",
            templates.path().to_str().unwrap(),
        ]
        .map(String::from),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_out, kits) = generate(&args);
    let kit = kit_of(&kits[0]);
    let text = fs::read_to_string(kits[0].join("teamtailor.csv")).unwrap();
    let stars = "1 star | 2 stars | 4 stars | 5 stars";
    assert_eq!(
        text,
        format!(
            "\u{feff}Question ({}),stars\r\n1/4 beta-one,{stars}\r\n2/4 alpha-four,{stars}\r\n3/4 alpha-two,{stars}\r\n4/4 beta-two,{stars}\r\n",
            kit.kit_code
        )
    );
}

#[test]
fn a_broken_user_profile_names_its_file_and_line() {
    let templates = tempfile::tempdir().unwrap();
    let profiles = templates.path().join("profiles");
    fs::create_dir(&profiles).unwrap();
    let file = profiles.join("mine.toml");
    fs::write(
        &file,
        "description = \"x\"\nfile = \"mine.csv\"\n[scale]\nname = \"s\"\nlabels = [\"a\", \"b\", \"c\", \"d\"]\n[[columns]]\nheader = \"h\"\nvalue = \"{{#each rubric.levels}}\"\n",
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
        .arg(out.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: `{}` line 8: template syntax error",
            file.display()
        )),
        "{stderr}"
    );
}

#[test]
fn init_writes_the_profiles_out_for_editing() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["init", "--templates"])
        .arg(dir.path())
        .assert()
        .success();
    for name in PROFILES {
        let text = fs::read_to_string(dir.path().join(format!("profiles/{name}.toml"))).unwrap();
        assert!(text.contains("[[columns]]"), "{name}");
    }
    assert!(dir.path().join("profiles/lever.json.hbs").is_file());
    assert!(dir.path().join("scale.toml").is_file());
    assert!(dir.path().join("wording.toml").is_file());
    // Written defaults load back as they are.
    Templates::load(Some(dir.path())).unwrap();
    Profiles::load(Some(dir.path())).unwrap();
}

/// The README's table of rating scales is `templates/scale.toml`, rendered.
#[test]
fn readme_scale_table_matches_scale_toml() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table = interview_kit::export::scale::Scale::builtin().markdown_table();
    assert!(readme.contains(&table), "README lacks the table:\n{table}");
}

/// Every mapping round-trips: each level written to a target reads back as itself, unless
/// the target has fewer points than levels and the level shares its point (then the note
/// says so); no two levels share a point otherwise.
#[test]
fn every_scale_mapping_round_trips() {
    let scale = interview_kit::export::scale::Scale::builtin();
    assert!(scale.targets.len() >= 11);
    for target in scale.targets.values() {
        let written: Vec<&str> = (1..=4).map(|l| target.write(l)).collect();
        for level in 1..=4u8 {
            let point = target.write(level);
            let shared = written.iter().filter(|p| **p == point).count() > 1;
            let back = target.read(point).unwrap().unwrap();
            if shared {
                assert!(
                    target.points.len() < 4,
                    "{}: levels share `{point}`",
                    target.key
                );
                assert!(
                    target.note.is_some(),
                    "{}: undocumented collapse",
                    target.key
                );
            } else {
                assert_eq!(back, level, "{}: level {level} as `{point}`", target.key);
            }
        }
        for point in &target.points {
            match target.read(point) {
                Ok(Some(level)) => assert!((1..=4).contains(&level)),
                Ok(None) => panic!("{}: `{point}` reads as empty", target.key),
                Err(why) => assert!(target.refuse.is_some(), "{}: {why}", target.key),
            }
        }
        assert_eq!(target.read(" ").unwrap(), None);
        assert!(target.read("banana").is_err());
    }
    let greenhouse = &scale.targets["greenhouse-rating"];
    assert!(
        greenhouse
            .read("Mixed")
            .unwrap_err()
            .contains("rate No or Yes")
    );
    assert_eq!(
        scale.targets["workable-numbers"].read("7").unwrap(),
        Some(3)
    );
    assert_eq!(
        scale.targets["greenhouse-recommendation"]
            .read("strong_yes")
            .unwrap(),
        Some(4)
    );
}

/// Fills the sheet `file` of the kit folder `dir` as an interviewer would: `typed[level - 1]`
/// in the score column of each question row (`levels` gives each question's level) and
/// `overall` on the overall recommendation's row; then runs `score` on it through the binary
/// and returns the summary row, by column name. The profiles are those of the templates
/// folder `templates` (given to `score` too), else the built-in ones.
fn filled_and_scored(
    templates: Option<&Path>,
    out: &Path,
    dir: &Path,
    name: &str,
    typed: [&str; 4],
    levels: &[u8],
    overall: &str,
) -> std::collections::BTreeMap<String, String> {
    let profiles = Profiles::load(templates).unwrap();
    let p = profiles.get(name).unwrap();
    let read = p.read.as_ref().unwrap();
    let mut rows = records(
        &fs::read(dir.join(&p.file)).unwrap(),
        &CsvOptions::default(),
    );
    let header = rows[0].clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (q, s) = (col(&read.question_id), col(&read.score));
    assert_eq!(
        rows.len(),
        levels.len() + 2,
        "{name}: questions and the overall row"
    );
    assert_eq!(rows.last().unwrap()[q], "overall", "{name}");
    for (row, level) in rows[1..].iter_mut().zip(levels) {
        row[s] = typed[usize::from(*level) - 1].to_owned();
    }
    let last = rows.len() - 1;
    rows[last][s] = overall.to_owned();
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let filled = out.join(format!("filled-{name}-{run}.csv"));
    let mut writer = csv::Writer::from_path(&filled).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
    let sums = out.join(format!("sum-{name}-{run}"));
    let mut score = bin();
    score.arg("score");
    if let Some(templates) = templates {
        score.arg("--templates").arg(templates);
    }
    score
        .arg(&filled)
        .arg("--interviewer")
        .arg("Ann")
        .arg("--kits")
        .arg(out)
        .arg("--out")
        .arg(&sums)
        .assert()
        .success();
    let summary = records(
        &fs::read(sums.join("summary.csv")).unwrap(),
        &CsvOptions::default(),
    );
    assert_eq!(summary.len(), 2, "{name}: one candidate");
    summary[0]
        .iter()
        .cloned()
        .zip(summary[1].iter().cloned())
        .collect()
}

/// A scorecard exported in each ATS shape, filled in with the ratings the ATS shows, is read
/// back by `score` (through the binary) with the same numbers as the generic scorecard
/// filled in with the same levels: total, percent, topic means, questions scored; the
/// overall recommendation is reported apart and never moves the total.
#[test]
fn every_ats_shape_filled_in_reads_back_with_the_same_numbers() {
    let names = "greenhouse,lever,workable,workable-stars,workable-numbers,ashby";
    let (out, kits) = generate(&[
        "--seed",
        "5",
        "--candidate",
        "Ada Lovelace",
        "--csv-profile",
        names,
    ]);
    let dir = &kits[0];
    let kit = kit_of(dir);
    // Every level appears, and the total is not a round number.
    let levels: Vec<u8> = (0..kit.questions.len())
        .map(|i| [4, 2, 1, 3, 4][i % 5])
        .collect();
    assert!(kit.questions.len() >= 5);
    let numbers = |row: &std::collections::BTreeMap<String, String>| {
        row.iter()
            .filter(|(k, _)| {
                ["total", "percent", "scored", "questions"].contains(&k.as_str())
                    || k.starts_with("topic_")
            })
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
    };
    // The kit's sheet in profile `name`, levels typed as `typed[level - 1]`, then `score`.
    let fill = |name: &str, typed: [&str; 4], levels: &[u8], overall: &str| {
        filled_and_scored(None, out.path(), dir, name, typed, levels, overall)
    };
    let generic = fill("generic", ["1", "2", "3", "4"], &levels, "3");
    assert_eq!(generic["recommendations"], "Ann: 3");
    assert_eq!(generic["scored"], kit.questions.len().to_string());
    // The recommendation is not part of the total.
    let other = fill("generic", ["1", "2", "3", "4"], &levels, "1");
    assert_eq!(numbers(&other), numbers(&generic));
    assert_eq!(other["recommendations"], "Ann: 1");
    // What an interviewer types in each ATS, level 1 to 4, and the recommendation "Hire".
    let shapes: [(&str, [&str; 4], &str); 6] = [
        (
            "greenhouse",
            ["Definitely Not", "No", "Yes", "Strong Yes"],
            "Yes",
        ),
        ("lever", ["1", "2", "3", "4"], "3 - Hire"),
        ("workable-stars", ["1", "2", "3", "4"], "3"),
        ("workable-numbers", ["0", "3", "6", "9"], "6"),
        ("ashby", ["1", "2", "3", "4"], "3 - Yes"),
        // Thumbs have three points: levels 1 and 2 are both a thumbs down.
        (
            "workable",
            [
                "0 - Thumbs down",
                "0 - Thumbs down",
                "1 - Thumbs up",
                "2 - Two thumbs up",
            ],
            "1 - Thumbs up",
        ),
    ];
    for (name, typed, hire) in shapes {
        let row = fill(name, typed, &levels, hire);
        assert_eq!(row["recommendations"], "Ann: 3", "{name}");
        if name == "workable" {
            let collapsed: Vec<u8> = levels
                .iter()
                .map(|l| if *l == 2 { 1 } else { *l })
                .collect();
            let reference = fill("generic", ["1", "2", "3", "4"], &collapsed, "3");
            assert_eq!(numbers(&row), numbers(&reference), "{name}");
            assert_ne!(
                numbers(&row),
                numbers(&generic),
                "{name}: thumbs lose level 2"
            );
        } else {
            assert_eq!(numbers(&row), numbers(&generic), "{name}");
        }
    }
    // Spreadsheet spellings read too: Greenhouse's API words, Workable numbers in between.
    let loose = fill(
        "greenhouse",
        ["definitely_not", "no", "yes", "strong_yes"],
        &levels,
        "yes",
    );
    assert_eq!(numbers(&loose), numbers(&generic));
    let between = fill("workable-numbers", ["1", "4", "5", "8"], &levels, "7");
    assert_eq!(numbers(&between), numbers(&generic));
    assert_eq!(between["recommendations"], "Ann: 3");
}

/// Lever's feedback template: fields of documented types only, exactly one `score-system`,
/// a `score` field per question carrying its rubric in `description`.
#[test]
fn lever_feedback_template_follows_the_documented_fields() {
    const TYPES: [&str; 11] = [
        "code",
        "date",
        "dropdown",
        "multiple-choice",
        "multiple-select",
        "score-system",
        "score",
        "scorecard",
        "text",
        "textarea",
        "yes-no",
    ];
    let (_out, kits) = generate(&[
        "--seed",
        "9",
        "--candidate",
        "Ada",
        "--csv-profile",
        "lever",
    ]);
    let kit = kit_of(&kits[0]);
    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(kits[0].join("lever-feedback-template.json")).unwrap(),
    )
    .unwrap();
    let fields = json["fields"].as_array().unwrap();
    let of = |t: &str| fields.iter().filter(|f| f["type"] == t).collect::<Vec<_>>();
    for f in fields {
        assert!(TYPES.contains(&f["type"].as_str().unwrap()), "{f}");
    }
    assert_eq!(of("score-system").len(), 1);
    let scores = of("score");
    assert_eq!(scores.len(), kit.questions.len());
    for (field, item) in scores.iter().zip(&kit.questions) {
        let description = field["description"].as_str().unwrap();
        for level in &item.rubric.levels {
            assert!(description.contains(&level.descriptor), "{description}");
        }
        assert!(
            !description.contains("No Hire"),
            "a question is never labelled hire/no hire"
        );
    }
}

/// Greenhouse and Ashby get a paste-ready, escaped HTML interview prep per kit.
#[test]
fn greenhouse_and_ashby_get_an_html_interview_prep() {
    let (_bank, _out, kits) = hostile_kit("greenhouse,ashby");
    let kit = kit_of(&kits[0]);
    for file in [
        "greenhouse-interview-prep.html",
        "ashby-interview-prep.html",
    ] {
        let html = fs::read_to_string(kits[0].join(file)).unwrap();
        assert!(html.starts_with("<div class=\"interview-prep\">"), "{file}");
        assert!(
            !html.contains("<script") && !html.contains("\"Click me\""),
            "{file} is not escaped"
        );
        for item in &kit.questions {
            for level in &item.rubric.levels {
                let escaped = interview_kit::templates::inline_code_html(&level.descriptor);
                assert!(html.contains(&escaped), "{file} lacks {escaped}");
            }
        }
    }
}

/// The packet prints the overall recommendation from wording.toml, the exports from
/// scale.toml: the two name the same four decisions, in the same order.
#[test]
fn paper_and_exports_name_the_same_recommendations() {
    let paper = Templates::builtin()
        .columns("recommendation_choices")
        .unwrap();
    let scale = &Profiles::builtin().scale().recommendation;
    let numbered: Vec<String> = scale
        .iter()
        .enumerate()
        .map(|(i, name)| format!("{} {name}", i + 1))
        .collect();
    assert_eq!(paper, numbered);
}

/// A templates folder's `scale.toml` replaces the built-in one for the exports (here the
/// recommendation prompt), and a broken one is an error naming the file.
#[test]
fn a_templates_folder_scale_replaces_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let text = interview_kit::export::FILES
        .iter()
        .find(|(name, _)| *name == "scale.toml")
        .unwrap()
        .1
        .replace(
            "prompt = \"Overall recommendation, recorded apart from the question scores\"",
            "prompt = \"Your call\"",
        );
    fs::write(dir.path().join("scale.toml"), &text).unwrap();
    let profiles = Profiles::load(Some(dir.path())).unwrap();
    assert_eq!(profiles.scale().prompt, "Your call");
    fs::write(
        dir.path().join("scale.toml"),
        text.replace("[[levels]]", "[[levls]]"),
    )
    .unwrap();
    let err = Profiles::load(Some(dir.path())).unwrap_err().to_string();
    assert!(
        err.contains(&dir.path().join("scale.toml").display().to_string()),
        "{err}"
    );
}

/// The level names of scale.toml (the README table, the exports) are the rubric's level
/// names the documents print (`scale_1` to `scale_4` of wording.toml).
#[test]
fn scale_levels_are_the_rubric_levels() {
    let templates = Templates::builtin();
    let scale = Profiles::builtin().scale();
    for level in &scale.levels {
        assert_eq!(
            level.label,
            templates.label(&format!("scale_{}", level.score)).unwrap()
        );
    }
}

/// A profile of the user's own, with `[read]` columns and its own labels, is read back by
/// `score --templates DIR` with the same numbers as the generic sheet; without the folder,
/// `score` does not know its columns and says which it needs.
#[test]
fn score_reads_a_user_profile_back_with_templates() {
    let templates = tempfile::tempdir().unwrap();
    fs::create_dir(templates.path().join("profiles")).unwrap();
    fs::write(
        templates.path().join("profiles/myats.toml"),
        r#"description = "Our ATS"
file = "myats.csv"
overall_row = true

[scale]
name = "Our rating"
labels = ["bad", "meh", "good", "great"]
overall = "recommendation"

[read]
kit_code = "Code"
question_id = "Item"
score = "Our rating"

[[columns]]
header = "Code"
value = "{{kit.kit_code}}"

[[columns]]
header = "Item"
value = "{{question.id}}"

[[columns]]
header = "Our rating"
value = ""
"#,
    )
    .unwrap();
    let dir_arg = templates.path().to_str().unwrap();
    let (out, kits) = generate(&[
        "--seed",
        "5",
        "--candidate",
        "Ada",
        "--csv-profile",
        "myats",
        "--templates",
        dir_arg,
    ]);
    let kit = kit_of(&kits[0]);
    let levels: Vec<u8> = (0..kit.questions.len())
        .map(|i| [3, 1, 4, 2][i % 4])
        .collect();
    let generic = filled_and_scored(
        None,
        out.path(),
        &kits[0],
        "generic",
        ["1", "2", "3", "4"],
        &levels,
        "4",
    );
    let mine = filled_and_scored(
        Some(templates.path()),
        out.path(),
        &kits[0],
        "myats",
        ["bad", "meh", "good", "great"],
        &levels,
        "4",
    );
    for column in ["total", "percent", "scored", "recommendations"] {
        assert_eq!(mine[column], generic[column], "{column}");
    }
    // Without the folder the sheet's columns are unknown.
    let sheet = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("filled-myats")
        })
        .unwrap();
    bin()
        .arg("score")
        .arg(&sheet)
        .arg("--interviewer")
        .arg("Ann")
        .arg("--kits")
        .arg(out.path())
        .arg("--out")
        .arg(out.path().join("nope"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("missing column `kit_code`"));
}
