//! Shell integration end to end: completions, man page, `--json`, colour, broken pipes, exit codes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use assert_cmd::Command;
use serde_json::Value;

/// Every top-level subcommand a completion script and the man page must know.
const SUBCOMMANDS: [&str; 12] = [
    "rounds",
    "serve",
    "kits",
    "history",
    "generate",
    "replay",
    "bank",
    "init",
    "export",
    "score",
    "completions",
    "man",
];

/// The `bank` subcommands.
const BANK_SUBCOMMANDS: [&str; 6] = ["list", "show", "stats", "lint", "import", "export"];

/// The start of every ANSI escape sequence that sets colour or style.
const ESCAPE: &str = "\x1b[";

/// Environment variables that switch colour on or off; each test sets the ones it means.
const COLOUR_VARS: [&str; 3] = ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The binary with no colour variables inherited from the environment running the tests.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("interview-kit").expect("the binary builds");
    for var in COLOUR_VARS {
        cmd.env_remove(var);
    }
    // A throwaway workspace, unless a test passes `--workspace FILE`.
    cmd.env("INTERVIEW_KIT_WORKSPACE", ":memory:");
    cmd
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Runs the binary with `args`, expects exit code 0 and an empty stderr, returns stdout.
fn ok(args: &[&str]) -> String {
    let run = bin().args(args).assert().success().stderr("");
    String::from_utf8(run.get_output().stdout.clone()).expect("stdout is UTF-8")
}

/// Runs the binary with `args` and returns its exit code and stderr.
fn fails(args: &[&str]) -> (i32, String) {
    let output = bin().args(args).output().expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().expect("no signal"), stderr)
}

#[test]
fn completions_name_every_subcommand_in_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = ok(&["completions", shell]);
        for name in SUBCOMMANDS.iter().chain(&BANK_SUBCOMMANDS) {
            assert!(script.contains(name), "{shell} script lacks `{name}`");
        }
        // Flags too, so `generate --can<TAB>` works.
        assert!(
            script.contains("candidate"),
            "{shell} script lacks --candidate"
        );
    }
    assert!(ok(&["completions", "zsh"]).starts_with("#compdef interview-kit"));
    assert!(ok(&["completions", "bash"]).contains("complete -F _interview__kit"));
}

/// What bash offers for the last word of `line` with the script of `completions bash` loaded.
#[cfg(unix)]
fn bash_completes(script: &Path, line: &str) -> String {
    // Calls the completion function as bash does on TAB: COMP_WORDS/COMP_CWORD, then the
    // command, the current word and the previous word as $1, $2, $3.
    let program = r#"source "$1"; read -ra COMP_WORDS <<< "$2"; [[ "$2" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
_interview__kit interview-kit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
echo "${COMPREPLY[*]}""#;
    let output = std::process::Command::new("bash")
        .args(["-c", program, "bash", path(script), line])
        .output()
        .expect("bash runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Regression test for clap-rs/clap#6421: with a `-` in the binary name, clap_complete's bash
/// script completed nothing past the first subcommand.
#[test]
#[cfg(unix)]
fn bash_completes_nested_subcommands_flags_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("interview-kit.bash");
    fs::write(&script, ok(&["completions", "bash"])).unwrap();
    assert_eq!(bash_completes(&script, "interview-kit ge"), "generate");
    assert_eq!(bash_completes(&script, "interview-kit bank l"), "list lint");
    assert_eq!(
        bash_completes(&script, "interview-kit generate --js"),
        "--json"
    );
    assert_eq!(
        bash_completes(&script, "interview-kit bank list --level "),
        "junior mid senior"
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let (code, stderr) = fails(&["completions", "tcsh"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");
    assert!(
        stderr.contains("bash"),
        "the error lists the shells: {stderr}"
    );
}

#[test]
fn man_prints_one_roff_page_for_the_whole_tree() {
    let page = ok(&["man"]);
    assert!(page.contains("\n.TH interview-kit 1"), "{page}");
    assert!(page.contains(".SH NAME"));
    assert!(page.contains(".SH COMMANDS"));
    assert!(page.contains(".SH \"EXIT STATUS\""));
    for name in SUBCOMMANDS {
        assert!(
            page.contains(&format!(".SS \"interview-kit {name}\"")),
            "no section for `{name}`"
        );
    }
    for name in BANK_SUBCOMMANDS {
        assert!(
            page.contains(&format!(".SS \"interview-kit bank {name}\"")),
            "no section for `bank {name}`"
        );
    }
    // Options of nested commands are there, not only their names.
    assert!(page.contains(r"\fB\-\-candidates\fR"), "{page}");
    assert!(!page.contains(ESCAPE));
}

#[test]
fn man_out_writes_one_page_per_command_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    let stdout = ok(&["man", "--out", path(&pages)]);
    let mut names: Vec<String> = fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = std::iter::once("interview-kit.1".to_owned())
        .chain(SUBCOMMANDS.iter().map(|s| format!("interview-kit-{s}.1")))
        .chain(
            BANK_SUBCOMMANDS
                .iter()
                .map(|s| format!("interview-kit-bank-{s}.1")),
        )
        .chain(["import", "export"].map(|s| format!("interview-kit-history-{s}.1")))
        .collect();
    expected.sort();
    assert_eq!(names, expected, "no temporary file may be left behind");
    assert_eq!(stdout.lines().count(), expected.len(), "{stdout}");
    let top = fs::read_to_string(pages.join("interview-kit.1")).unwrap();
    assert!(top.contains(".SH SUBCOMMANDS") && top.contains("interview\\-kit\\-generate(1)"));
    let list = fs::read_to_string(pages.join("interview-kit-bank-list.1")).unwrap();
    assert!(list.contains(".TH interview-kit-bank-list 1"), "{list}");

    // A second run refuses before touching anything; --force replaces the pages.
    fs::write(pages.join("interview-kit-man.1"), "mine").unwrap();
    let (code, stderr) = fails(&["man", "--out", path(&pages)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("already exists; pass --force"), "{stderr}");
    assert_eq!(
        fs::read_to_string(pages.join("interview-kit-man.1")).unwrap(),
        "mine"
    );
    ok(&["man", "--out", path(&pages), "--force"]);
    assert!(
        fs::read_to_string(pages.join("interview-kit-man.1"))
            .unwrap()
            .starts_with(".ie")
    );

    let (code, stderr) = fails(&["man", "--force"]);
    assert_eq!(code, 2, "--force needs --out: {stderr}");
}

/// Runs `generate --json` into `out` and parses stdout; stderr must stay empty.
fn generate_json(out: &Path, args: &[&str]) -> Value {
    let workspace = out.with_extension("db");
    let mut all = vec![
        "generate",
        "--json",
        "--format",
        "md",
        "--out",
        path(out),
        "--workspace",
        path(&workspace),
    ];
    all.extend(args);
    let stdout = ok(&all);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn generate_json_describes_every_kit_and_the_round() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kits");
    let report = generate_json(
        &out,
        &[
            "--seed",
            "7",
            "--candidate",
            "Ada Lovelace",
            "--candidate",
            "Grace Hopper",
        ],
    );
    assert_eq!(report["seed"], 7);
    assert_eq!(report["seed_drawn"], false);
    assert_eq!(report["written"], 2);
    assert_eq!(report["kept"], 0);
    assert_eq!(report["removed_unfinished"], 0);
    let kits = report["kits"].as_array().unwrap();
    assert_eq!(kits.len(), 2);
    for (form, (kit, name)) in kits
        .iter()
        .zip(["Ada Lovelace", "Grace Hopper"])
        .enumerate()
    {
        assert_eq!(kit["candidate"], name);
        assert_eq!(kit["form"], form);
        assert_eq!(kit["status"], "written");
        let code = kit["kit_code"].as_str().unwrap();
        assert!(
            code.starts_with(&format!(
                "PY{}-7-{form}-",
                interview_kit::select::ALGORITHM_VERSION
            )),
            "{code}"
        );
        let folder = PathBuf::from(kit["folder"].as_str().unwrap());
        assert!(folder.starts_with(&out), "{folder:?}");
        let files: Vec<&str> = kit["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert_eq!(
            files,
            ["interviewer.md", "handout.md", "scorecard.csv", "kit.json"]
        );
        for file in files {
            assert!(folder.join(file).is_file(), "{file} in {folder:?}");
        }
        // The question ids are the ones the kit holds.
        let manifest: Value =
            serde_json::from_str(&fs::read_to_string(folder.join("kit.json")).unwrap()).unwrap();
        assert_eq!(manifest["kit_code"], code);
        assert_eq!(kit["questions"].as_array().unwrap().len(), 8);
    }
    let round = &report["round"];
    assert_eq!(round["kits"], 2);
    for field in [
        "max_overlap",
        "exposure_spread",
        "minutes_min",
        "minutes_max",
        "minutes_target_min",
        "minutes_target_max",
    ] {
        assert!(round[field].is_u64(), "{field}: {round}");
    }
    assert!(round["minutes_min"].as_u64() <= round["minutes_max"].as_u64());
    assert_eq!(
        report["round_sheet"],
        path(&out.join("round.csv")),
        "{report}"
    );

    // The same command again finds the round complete: both kits kept, nothing written.
    let resumed = generate_json(
        &out,
        &[
            "--seed",
            "7",
            "--candidate",
            "Ada Lovelace",
            "--candidate",
            "Grace Hopper",
        ],
    );
    assert_eq!(resumed["status"], "already_complete");
    assert_eq!(resumed["kept"], 2);
    assert_eq!(resumed["written"], 0);
    assert!(
        resumed["kits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["status"] == "kept")
    );
    assert_eq!(resumed["kits"][0]["kit_code"], kits[0]["kit_code"]);
}

#[test]
fn generate_json_with_a_drawn_seed_prints_only_json() {
    let dir = tempfile::tempdir().unwrap();
    let report = generate_json(dir.path(), &["--candidate", "Ada"]);
    assert_eq!(report["seed_drawn"], true);
    let seed = report["seed"].as_u64().unwrap();
    assert!(seed < 1 << 30, "{seed}");
    assert_eq!(
        report["round_sheet"],
        Value::Null,
        "one kit writes no sheet"
    );
    assert_eq!(report["kits"][0]["email"], Value::Null);
}

#[test]
fn generate_json_conflicts_with_quiet_and_explain() {
    for flag in ["--quiet", "--explain"] {
        let (code, stderr) = fails(&["generate", "--json", flag, "--candidate", "Ada"]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("cannot be used with"), "{stderr}");
    }
}

#[test]
fn bank_stats_json_has_the_documented_fields() {
    let stats: Value = serde_json::from_str(&ok(&["bank", "stats", "--json"])).unwrap();
    let topic = &stats["topics"][0];
    for field in ["id", "title", "levels", "total"] {
        assert!(!topic[field].is_null(), "{field}: {topic}");
    }
    for level in ["junior", "mid", "senior"] {
        assert!(stats["levels"][level]["questions"].is_u64(), "{level}");
        assert!(stats["levels"][level]["minutes"].is_u64(), "{level}");
    }
    assert!(stats["total"]["questions"].as_u64().unwrap() > 100);
    let builtin = &stats["blueprints"][0];
    assert_eq!(builtin["name"], "python-developer");
    assert_eq!(builtin["can_fill"], true);
    assert!(builtin["disjoint_kits"].as_u64().unwrap() >= 1);
}

/// Commands whose error or help output clap or `main` would colour on a terminal.
const COLOURED: [&[&str]; 4] = [
    &["bank", "show", "no-such-question"],
    &["bank", "lisst"],
    &["generate", "--no-such-flag"],
    &["--help"],
];

/// Stdout and stderr of `args` run with the environment `vars`.
fn output_with(args: &[&str], vars: &[(&str, &str)]) -> String {
    let output = bin()
        .args(args)
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn no_colour_when_not_a_terminal_or_with_no_color() {
    for args in COLOURED {
        let plain = output_with(args, &[]);
        assert!(!plain.contains(ESCAPE), "piped output is plain: {plain:?}");
        let forced = output_with(args, &[("CLICOLOR_FORCE", "1")]);
        assert!(
            forced.contains(ESCAPE),
            "CLICOLOR_FORCE shows the colour this test looks for: {forced:?}"
        );
        let no_color = output_with(args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
        assert!(!no_color.contains(ESCAPE), "NO_COLOR wins: {no_color:?}");
    }
}

#[test]
fn our_errors_start_with_a_red_bold_prefix_only() {
    let forced = output_with(&["bank", "show", "nope"], &[("CLICOLOR_FORCE", "1")]);
    assert!(
        forced.starts_with("\x1b[1m\x1b[31merror:\x1b[0m unknown question id `nope`"),
        "{forced:?}"
    );
    let plain = output_with(&["bank", "show", "nope"], &[]);
    assert!(
        plain.starts_with("error: unknown question id `nope`"),
        "{plain:?}"
    );
}

/// Runs the binary with standard output a pipe whose reading end is already closed, so the
/// first write fails with EPIPE however fast the child is, and returns exit code and stderr.
fn with_closed_stdout(args: &[&str], dir: &Path) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("interview-kit"));
    for var in COLOUR_VARS {
        cmd.env_remove(var);
    }
    let output = cmd
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_exits_0_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let bank = fixtures().join("bank");
    let cases: [&[&str]; 11] = [
        &["bank", "list"],
        &["bank", "list", "--json"],
        &["bank", "--bank", path(&bank), "list"],
        &["bank", "show", "gil-what-it-is"],
        &["bank", "stats", "--json"],
        &["bank", "export"],
        &["completions", "bash"],
        &["man"],
        &["--help"],
        &[
            "generate",
            "--seed",
            "3",
            "--candidate",
            "Ada",
            "--format",
            "md",
            "--json",
        ],
        &[
            "generate",
            "--seed",
            "4",
            "--candidate",
            "Bo",
            "--format",
            "md",
        ],
    ];
    for args in cases {
        let (code, stderr) = with_closed_stdout(args, dir.path());
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        // Only `generate`'s timing line may reach stderr, never an error or a panic.
        assert!(
            stderr
                .lines()
                .all(|l| l.starts_with("generated 1 kit(s) in ")),
            "{args:?}: {stderr}"
        );
    }
    // The kits were still written: a gone reader does not undo the work.
    assert_eq!(fs::read_dir(dir.path().join("kits")).unwrap().count(), 2);
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `interview-kit bank list --json | head -c 1`: half a megabyte, far more than a pipe
    // holds, so the child is still writing when the reader goes away.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("interview-kit"))
        .args(["bank", "list", "--json"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().expect("piped");
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    assert_eq!(&first, b"[");
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn exit_codes_are_0_ok_1_data_2_usage() {
    let dir = tempfile::tempdir().unwrap();
    // 0: success.
    ok(&["bank", "stats"]);
    ok(&["--version"]);
    // 1: data the user has to fix, or a refused overwrite.
    let missing = dir.path().join("no-such-bank");
    let bad_blueprint = fixtures().join("blueprints/unknown-topic.toml");
    let alpha = fixtures().join("bank/alpha.toml");
    let existing = dir.path().join("exists");
    fs::create_dir(&existing).unwrap();
    let data_errors: [&[&str]; 3] = [
        &["bank", "--bank", path(&missing), "list"],
        &[
            "generate",
            "--candidate",
            "Ada",
            "--blueprint",
            path(&bad_blueprint),
        ],
        &["bank", "import", path(&alpha), "--out", path(&existing)],
    ];
    for args in data_errors {
        let (code, stderr) = fails(args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // 2: the command line is wrong, whether clap or the command finds out.
    let usage_errors: [&[&str]; 5] = [
        &["no-such-command"],
        &["generate"],
        &["generate", "--candidate", "Ada", "--seed", "-1"],
        &["bank", "list", "--level", "expert"],
        &["bank", "show", "no-such-question"],
    ];
    for args in usage_errors {
        let (code, stderr) = fails(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
    }
}

/// Regression test for issue 17 item 8: the timing line ("generated N kit(s) in X s") and
/// the progress bar are for a terminal; with standard error redirected, a round prints
/// nothing there.
#[test]
fn a_round_prints_no_timing_line_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kits");
    let stdout = ok(&[
        "generate",
        "--seed",
        "3",
        "--format",
        "md",
        "--candidate",
        "Ada",
        "--candidate",
        "Bea",
        "--out",
        path(&out),
    ]);
    assert!(stdout.contains("round sheet: "), "{stdout}");
}
