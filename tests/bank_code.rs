//! The built-in bank's Python is real: every `code` snippet and exercise file compiles, and
//! every exercise's reference solution passes its own tests while the starting code does not.

use std::io::Write;
use std::process::{Command, Stdio};

use interview_kit::bank::Bank;

/// Reads `[{"id": …, "code": …}, …]` on stdin, compiles each snippet as a module, prints
/// one line per snippet that does not compile and exits 1 if there was any.
const COMPILE_ALL: &str = r#"
import json, sys
failures = []
for item in json.load(sys.stdin):
    try:
        compile(item["code"], item["id"], "exec", dont_inherit=True)
    except SyntaxError as err:
        failures.append(f"{item['id']} line {err.lineno}: {err.msg}")
print("\n".join(failures))
sys.exit(1 if failures else 0)
"#;

/// The newest interpreter available: `$PYTHON`, else `python3.13`, `python3.12`, `python3`.
///
/// The bank targets Python 3.12/3.13, so a newer interpreter is preferred where several exist.
fn python() -> Option<(String, String)> {
    let candidates = std::env::var("PYTHON")
        .into_iter()
        .chain(["python3.13", "python3.12", "python3"].map(String::from));
    for candidate in candidates {
        let Ok(output) = Command::new(&candidate).arg("--version").output() else {
            continue;
        };
        // pyenv shims exist for versions that are installed but not selected; they fail here.
        if output.status.success() {
            let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
            return Some((candidate, version));
        }
    }
    None
}

/// Reads `[{"id", "module", "starter", "tests", "solution"}, …]` on stdin. For each exercise,
/// in a fresh folder and a fresh interpreter, runs every `test_*` function of the tests
/// against the solution (all must pass) and against the starter (at least one must fail).
/// Prints one line per exercise that breaks the rule and exits 1 if there was any.
const RUN_EXERCISES: &str = r#"
import json, os, subprocess, sys, tempfile
RUNNER = """
import importlib, sys, traceback
sys.path.insert(0, '.')
module = importlib.import_module(sys.argv[1])
names = sorted(n for n in dir(module) if n.startswith('test_') and callable(getattr(module, n)))
failed = []
for name in names:
    try:
        getattr(module, name)()
    except Exception as err:
        failed.append(f"{name}: {type(err).__name__}: {err}")
print(len(names), len(failed))
for line in failed:
    print(line)
"""
failures = []
for item in json.load(sys.stdin):
    results = {}
    for role in ("solution", "starter"):
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, item["module"]), "w") as f:
                f.write(item[role])
            tests = "test_" + item["module"]
            with open(os.path.join(folder, tests), "w") as f:
                f.write(item["tests"])
            try:
                run = subprocess.run([sys.executable, "-c", RUNNER, tests[:-3]], cwd=folder,
                                     capture_output=True, text=True, timeout=30,
                                     env={**os.environ, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"})
            except subprocess.TimeoutExpired:
                failures.append(f"{item['id']} ({role}): the tests ran for more than 30 s")
                continue
            if run.returncode != 0:
                failures.append(f"{item['id']} ({role}): the tests did not run: {run.stderr.strip().splitlines()[-1:]}")
                continue
            lines = run.stdout.splitlines()
            total, failed = map(int, lines[0].split())
            results[role] = (total, failed, lines[1:])
    if "solution" in results:
        total, failed, lines = results["solution"]
        if total == 0:
            failures.append(f"{item['id']}: the tests define no test_ function")
        elif failed:
            failures.append(f"{item['id']}: the solution fails {failed} of {total} tests: {lines}")
    if "starter" in results and results["starter"][1] == 0:
        failures.append(f"{item['id']}: the starting code already passes every test")
print("\n".join(failures))
sys.exit(1 if failures else 0)
"#;

/// Runs `script` with `input` as JSON on stdin; panics with its output when it exits non-zero.
fn run_python(python: &str, version: &str, script: &str, input: &[serde_json::Value], what: &str) {
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(&serde_json::to_vec(input).unwrap())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{} of {} {what} with {python} ({version}):\n{}{}",
        String::from_utf8_lossy(&output.stdout).lines().count(),
        input.len(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_exercise_solution_passes_its_tests_and_the_starter_does_not() {
    let (python, version) = python().expect("python3 is needed (`.ci/run` installs it)");
    let bank = Bank::builtin().unwrap();
    let exercises: Vec<serde_json::Value> = bank
        .questions
        .iter()
        .filter_map(|q| {
            q.exercise.as_ref().map(|e| {
                serde_json::json!({
                    "id": q.id, "module": e.module, "starter": e.starter,
                    "tests": e.tests, "solution": e.solution,
                })
            })
        })
        .collect();
    run_python(
        &python,
        &version,
        RUN_EXERCISES,
        &exercises,
        "exercises break the rule",
    );
    println!("{} exercises checked with {version}", exercises.len());
}

#[test]
fn every_code_snippet_compiles_with_python3() {
    let (python, version) = python().expect("python3 is needed (`.ci/run` installs it)");
    let bank = Bank::builtin().unwrap();
    let mut snippets: Vec<serde_json::Value> = Vec::new();
    for q in &bank.questions {
        if let Some(code) = &q.code {
            snippets.push(serde_json::json!({ "id": q.id, "code": code }));
        }
        if let Some(e) = &q.exercise {
            for (part, code) in [
                ("starter", &e.starter),
                ("tests", &e.tests),
                ("solution", &e.solution),
            ] {
                snippets
                    .push(serde_json::json!({ "id": format!("{} ({part})", q.id), "code": code }));
            }
        }
    }
    assert!(!snippets.is_empty(), "the bank has no code snippets");
    run_python(
        &python,
        &version,
        COMPILE_ALL,
        &snippets,
        "snippets do not compile",
    );
    println!("{} snippets compile with {version}", snippets.len());
}
