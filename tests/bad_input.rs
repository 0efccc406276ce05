//! Runs every case of `tests/fixtures/bad/` against the binary: exit code, message, no panic, output untouched.
//!
//! A case is a folder with its input files and a `case.toml`:
//!
//! ```toml
//! about = "what the case checks"
//! args = ["generate", "--bank", "{case}/bank", "--out", "{out}"]   # {case}: the case's files, {out}: the output folder
//! exit = 1
//! stderr = "error: `{case}/bank/a.toml` line 3: …"   # the whole of stderr, or
//! stderr_prefix = "error: `{case}/bank/a.toml` line 3:"
//! created = ["*-ada"]      # exit 0 only: exactly what the output folder then holds (`*` = any kit code)
//!
//! [[generate]]              # files made at test time (too big or too odd to commit)
//! path = "bank/big.toml"
//! prefix = "# "
//! repeat = "x"              # `{n}` in it becomes the repetition's number
//! times = 52428800
//! repeat2 = "y"             # optional: a second repeated text after the first
//! times2 = 3
//! suffix = "\n"
//! ```
//!
//! The case's files are copied to a temporary folder first, so a case can never change the
//! repository; a case with an `out/` folder starts with that as its output folder. A failing
//! run must leave every file of the temporary folder, the output folder included, as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    args: Vec<String>,
    exit: i32,
    #[serde(default)]
    stderr: Option<String>,
    #[serde(default)]
    stderr_prefix: Option<String>,
    #[serde(default)]
    created: Vec<String>,
    #[serde(default)]
    generate: Vec<Generate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generate {
    path: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    repeat: String,
    #[serde(default)]
    times: usize,
    #[serde(default)]
    repeat2: String,
    #[serde(default)]
    times2: usize,
    #[serde(default)]
    suffix: String,
    /// Bytes of deterministic binary junk instead of text.
    #[serde(default)]
    junk: usize,
}

/// What a file looked like: its bytes, or for a big one its length and modification time
/// (hashing 50 MB on every run would slow the suite for nothing).
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Folder,
    Small(Vec<u8>),
    Big(u64, Option<SystemTime>),
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Seen> {
    let mut seen = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            let metadata = entry.metadata().unwrap();
            if metadata.is_dir() {
                seen.insert(relative, Seen::Folder);
                pending.push(path);
            } else if metadata.len() > 1 << 20 {
                seen.insert(
                    relative,
                    Seen::Big(metadata.len(), metadata.modified().ok()),
                );
            } else {
                seen.insert(relative, Seen::Small(fs::read(&path).unwrap()));
            }
        }
    }
    seen
}

/// Deterministic bytes that are neither text nor any format the tool reads.
fn junk(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        })
        .collect()
}

fn generate(dir: &Path, spec: &Generate) {
    let path = dir.join(&spec.path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let bytes = if spec.junk > 0 {
        junk(spec.junk)
    } else {
        let mut text = String::with_capacity(spec.prefix.len() + spec.repeat.len() * spec.times);
        text.push_str(&spec.prefix);
        for (repeat, times) in [(&spec.repeat, spec.times), (&spec.repeat2, spec.times2)] {
            if repeat.contains("{n}") {
                for n in 0..times {
                    text.push_str(&repeat.replace("{n}", &n.to_string()));
                }
            } else {
                text.push_str(&repeat.repeat(times));
            }
        }
        text.push_str(&spec.suffix);
        text.into_bytes()
    };
    fs::write(path, bytes).unwrap();
}

/// Runs one case; the reasons it failed, if any.
fn run(name: &str, folder: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    let text = fs::read_to_string(folder.join("case.toml")).unwrap();
    let case: Case = match toml::from_str(&text) {
        Ok(case) => case,
        Err(e) => return vec![format!("{name}: case.toml: {e}")],
    };
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("case");
    let out = tmp.path().join("out");
    copy_tree(folder, &work);
    fs::remove_file(work.join("case.toml")).unwrap();
    if work.join("out").is_dir() {
        fs::rename(work.join("out"), &out).unwrap();
    }
    for spec in &case.generate {
        generate(&work, spec);
    }
    let fill = |s: &str| {
        s.replace("{case}", &work.display().to_string())
            .replace("{out}", &out.display().to_string())
    };
    let before = snapshot(tmp.path());
    let output = Command::new(env!("CARGO_BIN_EXE_interview-kit"))
        .args(case.args.iter().map(|a| fill(a)))
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .env("INTERVIEW_KIT_WORKSPACE", ":memory:")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    let mut fail = |why: String| failures.push(format!("{name} ({}): {why}", case.about));
    if code == Some(101) || stderr.contains("panicked") || code.is_none() {
        fail(format!("crashed (exit {code:?}):\n{stderr}"));
        return failures;
    }
    if code != Some(case.exit) {
        fail(format!(
            "exit {code:?}, expected {}; stderr:\n{stderr}",
            case.exit
        ));
    }
    if let Some(expected) = &case.stderr
        && stderr.trim_end() != fill(expected).trim_end()
    {
        fail(format!(
            "stderr is\n{}\nexpected\n{}",
            stderr.trim_end(),
            fill(expected).trim_end()
        ));
    }
    if let Some(prefix) = &case.stderr_prefix
        && !stderr.starts_with(&fill(prefix))
    {
        fail(format!(
            "stderr is\n{}\nexpected it to start with\n{}",
            stderr.trim_end(),
            fill(prefix)
        ));
    }
    let after = snapshot(tmp.path());
    if case.exit == 0 {
        let mut made: Vec<String> = fs::read_dir(&out)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        made.sort();
        // `*-ada` stands for any kit code followed by `-ada`: codes change with the bank.
        let matches = made.len() == case.created.len()
            && made.iter().zip(&case.created).all(|(name, pattern)| {
                match pattern.strip_prefix('*') {
                    Some(tail) => name.ends_with(tail),
                    None => name == pattern,
                }
            });
        if !matches {
            fail(format!(
                "the output folder holds {made:?}, expected {:?}",
                case.created
            ));
        }
        // Nothing may be written outside the output folder.
        let outside = |seen: &BTreeMap<PathBuf, Seen>| {
            seen.iter()
                .filter(|(p, _)| !p.starts_with("out"))
                .map(|(p, s)| (p.clone(), format!("{s:?}")))
                .collect::<Vec<_>>()
        };
        if outside(&before) != outside(&after) {
            fail("files outside the output folder changed".into());
        }
    } else if before != after {
        let changed: Vec<&PathBuf> = after
            .keys()
            .chain(before.keys())
            .filter(|p| before.get(*p) != after.get(*p))
            .collect();
        fail(format!("a failing run changed files: {changed:?}"));
    }
    failures
}

#[test]
fn every_bad_input_case_fails_cleanly() {
    let mut names: Vec<String> = fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "only {} cases", names.len());
    // Two workers: each case starts a process, and most of the time is spent waiting on it.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let names = &names;
                scope.spawn(move || {
                    names
                        .iter()
                        .skip(worker)
                        .step_by(workers)
                        .flat_map(|name| run(name, &cases_dir().join(name)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a case runner does not panic"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
