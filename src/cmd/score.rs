//! `interview-kit score FILE...`: read filled-in scorecards, find their kits, write `summary.csv` and `summary.md`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{csv_options, report};
use crate::cli::ScoreArgs;
use crate::error::{Error, Problem, Result};
use crate::kit::{Kit, KitCode};
use crate::output::write_file_atomic;
use crate::score::{self, KitInfo, Sheet};

const SUMMARY_CSV: &str = "summary.csv";
const SUMMARY_MD: &str = "summary.md";
const SUMMARY_PDF: &str = "summary.pdf";

pub(super) fn execute(args: &ScoreArgs, out: &mut dyn Write) -> Result<()> {
    let csv = csv_options(&args.csv)?;
    let targets = [
        args.out.join(SUMMARY_CSV),
        args.out.join(SUMMARY_MD),
        args.out.join(SUMMARY_PDF),
    ];
    if !args.force
        && let Some(path) = targets.iter().find(|p| p.exists())
    {
        return Err(Error::FileExists { path: path.clone() });
    }
    let library = match &args.kits {
        Some(dir) => Some(Library::scan(dir)?),
        None => None,
    };

    // Every file is read and checked before anything is written, and every problem of
    // every file is reported at once.
    let mut problems = Vec::new();
    let mut kits: BTreeMap<String, KitInfo> = BTreeMap::new();
    let mut ratings = Vec::new();
    let labels = interviewer_labels(&args.files);
    for (path, label) in args.files.iter().zip(&labels) {
        let file = path.display().to_string();
        let bytes = read_scorecard(path)?;
        let result = Sheet::parse(&file, &bytes).and_then(|sheet| {
            let (kit, source) = find_kit(path, &sheet, library.as_ref())?;
            let found = sheet.check(&kit, &source, label)?;
            Ok((kit, found))
        });
        match result {
            Ok((kit, found)) => {
                kits.entry(kit.kit_code.clone())
                    .or_insert_with(|| KitInfo::from_kit(&kit));
                ratings.extend(found);
            }
            Err(Error::Invalid { problems: more }) => problems.extend(more),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { problems });
    }
    let (scored, notes) = score::collect(&kits, ratings)?;
    for note in &notes {
        report(out, format_args!("note: {note}"));
    }
    let summary = score::summarize(&scored, notes);
    let table = score::summary_csv(&summary, &csv)?;
    let text = score::summary_md(&summary);
    let pdf = crate::render::summary_pdf(&summary, crate::templates::Templates::builtin())?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Error::io("create output folder", &args.out, e))?;
    write_file_atomic(&targets[0], &table)?;
    write_file_atomic(&targets[1], text.as_bytes())?;
    write_file_atomic(&targets[2], &pdf)?;
    for c in &summary.candidates {
        report(
            out,
            format_args!(
                "{:>2}. {} ({}): total {}, {} of {} questions scored, {} interviewer(s)",
                c.rank,
                c.candidate,
                c.kit_code,
                c.total
                    .map_or_else(|| "–".to_owned(), |t| format!("{t:.2}")),
                c.scored(),
                c.questions.len(),
                c.interviewers.len()
            ),
        );
    }
    report(
        out,
        format_args!(
            "wrote {}, {} and {}",
            targets[0].display(),
            targets[1].display(),
            targets[2].display()
        ),
    );
    Ok(())
}

/// Names for the interviewer of each file without an `interviewer` column: the file
/// name, or as many trailing path components as it takes to tell the files apart
/// (`ann.csv`, or `PY1-…-ada/scorecard.csv` when every kit folder holds a `scorecard.csv`).
fn interviewer_labels(files: &[PathBuf]) -> Vec<String> {
    let suffix = |path: &Path, depth: usize| {
        let parts: Vec<String> = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        parts[parts.len().saturating_sub(depth)..].join("/")
    };
    let deepest = files
        .iter()
        .map(|p| p.components().count())
        .max()
        .unwrap_or(1);
    for depth in 1..=deepest {
        let labels: Vec<String> = files.iter().map(|p| suffix(p, depth)).collect();
        let distinct: std::collections::BTreeSet<&String> = labels.iter().collect();
        if distinct.len() == labels.len() {
            return labels;
        }
    }
    files.iter().map(|p| p.display().to_string()).collect()
}

/// The kit a scorecard is checked against: `kit.json` beside the file, else the kit of
/// the file's code in `--kits`. Returns it with where it came from, for messages.
fn find_kit(path: &Path, sheet: &Sheet, library: Option<&Library>) -> Result<(Kit, String)> {
    let beside = path
        .parent()
        .map_or_else(|| PathBuf::from("kit.json"), |dir| dir.join("kit.json"));
    if beside.is_file() {
        return Ok((read_kit(&beside)?, format!("`{}`", beside.display())));
    }
    let Some(library) = library else {
        return Err(Error::invalid(
            &sheet.file,
            None,
            "there is no kit.json beside the file to check it against; pass --kits DIR, the folder `generate --out` wrote the kits to",
        ));
    };
    let Some(code) = sheet.kit_code() else {
        return Err(Error::invalid(
            &sheet.file,
            None,
            "no row has a kit code; score the `scorecard.csv` that `generate` wrote",
        ));
    };
    match library.kits.get(&Library::key(code)) {
        Some((kit, source)) => Ok((kit.clone(), format!("`{}`", source.display()))),
        None => Err(Error::invalid(
            &sheet.file,
            None,
            format!(
                "{}: there is no kit `{code}` in `{}`; pass the folder the kit was generated into (--kits DIR)",
                sheet.kit_code_place(),
                library.dir.display()
            ),
        )),
    }
}

/// A scorecard's bytes, through the bounded reader every input uses.
fn read_scorecard(path: &Path) -> Result<Vec<u8>> {
    crate::limits::read(path, crate::limits::Input::Scorecard)
}

fn read_kit(path: &Path) -> Result<Kit> {
    let text = crate::limits::read_text(path, crate::limits::Input::KitJson)?;
    crate::export::kit_from_json(&path.display().to_string(), &text)
}

/// The kits of a `generate --out` folder, by code.
struct Library {
    dir: PathBuf,
    kits: BTreeMap<String, (Kit, PathBuf)>,
}

impl Library {
    /// Reads `dir/*/kit.json` (and `dir/kit.json`, so a kit folder works too).
    fn scan(dir: &Path) -> Result<Library> {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "--kits `{}` is not a folder; pass the folder `generate --out` wrote the kits to",
                dir.display()
            )));
        }
        let mut paths = vec![dir.join("kit.json")];
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read folder", dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("read folder", dir, e))?;
            paths.push(entry.path().join("kit.json"));
        }
        paths.sort();
        let mut kits = BTreeMap::new();
        let mut problems: Vec<Problem> = Vec::new();
        for path in paths.into_iter().filter(|p| p.is_file()) {
            match read_kit(&path) {
                Ok(kit) => {
                    kits.insert(Library::key(&kit.kit_code), (kit, path));
                }
                Err(Error::Invalid { problems: more }) => problems.extend(more),
                Err(other) => return Err(other),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { problems });
        }
        Ok(Library {
            dir: dir.to_owned(),
            kits,
        })
    }

    /// Codes compare as kit codes do: case-insensitive, look-alikes forgiven.
    fn key(code: &str) -> String {
        KitCode::parse(code).map_or_else(|_| code.trim().to_uppercase(), |c| c.to_string())
    }
}
