//! ATS export profiles, safe CSV flags, `export` and `round.csv`: each test in its own folder, files read back with the csv crate.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
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
    let templates = Templates::builtin();
    let table = profile::table(kit, templates.profile(name).unwrap(), templates).unwrap();
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
    let templates = Templates::builtin();
    let mut seen = std::collections::BTreeSet::new();
    for (seed, name) in names.iter().enumerate() {
        // `generate` refuses control characters in names; the CSV layer must still carry
        // any text exactly, so the name is set on the kit directly.
        let mut kit = Kit::build(&bank, &blueprint, seed as u64, 0, "Placeholder").unwrap();
        kit.candidate = (*name).to_owned();
        seen.extend(kit.questions.iter().map(|q| q.question.id.clone()));
        for options in &option_sets {
            for profile_name in PROFILES {
                let profile = templates.profile(profile_name).unwrap();
                let bytes = profile::csv(&kit, profile, templates, options).unwrap();
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
        let templates = Templates::builtin();
        for profile_name in PROFILES {
            let options = CsvOptions::default();
            let bytes = profile::csv(&kit, templates.profile(profile_name).unwrap(), templates, &options).unwrap();
            assert_round_trip(&kit, profile_name, &bytes, &options);
        }
    }
}

#[test]
fn hostile_bank_text_is_neutralised() {
    let bank = hostile_bank();
    let mut args = fixture_args(bank.path());
    args.extend(
        [
            "--seed",
            "3",
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
        greenhouse[0][6..10],
        ["Definitely Not", "No", "Yes", "Strong Yes"]
    );
    assert_eq!(greenhouse.len(), 5);
    assert_eq!(greenhouse[1][2], "1. Beta prompt one?");
    assert_eq!(greenhouse[1][4], "Beta");
    assert_eq!(greenhouse[1][3], "beta one");

    let lever = read("lever.csv");
    assert_eq!(lever[1][2], "score");
    assert_eq!(lever[1][3], "Q1 · Beta: beta one");
    let guide: Vec<&str> = lever[1][5].lines().collect();
    assert_eq!(guide.len(), 4);
    assert!(
        guide[0].starts_with("1 - Strong No Hire: None of the core evidence"),
        "{guide:?}"
    );
    assert!(
        guide[3].starts_with("4 - Strong Hire: Everything in level 3"),
        "{guide:?}"
    );

    let workable = read("workable.csv");
    let guide: Vec<&str> = workable[1][5].lines().collect();
    assert!(guide[0].starts_with("Thumbs down (1 Insufficient):"));
    assert!(guide[1].starts_with("Thumbs down (2 Developing):"));
    assert!(guide[2].starts_with("Thumbs up (3 Proficient):"));
    assert!(guide[3].starts_with("Star (4 Strong):"));

    let ashby = read("ashby.csv");
    assert_eq!(ashby[0][3], "Field type");
    assert_eq!(ashby[1][3], "Score");
    assert!(ashby[1][5].starts_with("1 = Insufficient:"));
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
    assert!(description.starts_with("Beta prompt one?\n\nRating guide:\n1 - Strong No Hire: "));
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
            "error: unknown export profile `taleo`; the profiles are `ashby`, `generic`, `greenhouse`, `lever`, `workable`. \
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
    // Written defaults load back as they are.
    Templates::load(Some(dir.path())).unwrap();
}
