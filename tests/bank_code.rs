//! Every `code` snippet of the built-in bank is valid Python: one python3 process compiles them all.

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

#[test]
fn every_code_snippet_compiles_with_python3() {
    let Some((python, version)) = python() else {
        println!("skipped: no python3 on PATH (`.ci/run` installs it)");
        return;
    };
    let bank = Bank::builtin().unwrap();
    let snippets: Vec<serde_json::Value> = bank
        .questions
        .iter()
        .filter_map(|q| {
            q.code
                .as_ref()
                .map(|code| serde_json::json!({ "id": q.id, "code": code }))
        })
        .collect();
    assert!(!snippets.is_empty(), "the bank has no code snippets");

    let mut child = Command::new(&python)
        .args(["-c", COMPILE_ALL])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    let input = serde_json::to_vec(&snippets).unwrap();
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(&input)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{} of {} snippets do not compile with {python} ({version}):\n{}{}",
        String::from_utf8_lossy(&output.stdout).lines().count(),
        snippets.len(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{} snippets compile with {version}", snippets.len());
}
