//! `interview-kit score FILE...`: read filled-in scorecards, find their kits, write `summary.csv` and `summary.md`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{csv_options, report};
use crate::cli::ScoreArgs;
use interview_kit::error::{Error, Problem, Result};
use interview_kit::kit::{Kit, KitCode};
use interview_kit::output::write_file_atomic;
use interview_kit::score::{self, KitInfo, Sheet};
use interview_kit::workspace::{ScoreRow, Workspace};

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
    let library = match args.kits.as_slice() {
        [] => None,
        dirs => Some(Library::scan(dirs)?),
    };

    let names = interviewer_names(args)?;
    let exports = interview_kit::export::Profiles::load(args.templates.as_deref())?;
    let mut workspace = super::open_workspace(&args.workspace)?;

    // Every file is read and checked before anything is written, and every problem of
    // every file is reported at once.
    let mut problems = Vec::new();
    let mut found_kits: BTreeMap<String, Kit> = BTreeMap::new();
    let mut ratings = Vec::new();
    for (path, name) in args.files.iter().zip(&names) {
        let file = path.display().to_string();
        let bytes = read_scorecard(path)?;
        let result = Sheet::parse(&file, &bytes, &exports).and_then(|sheet| {
            let label = match (sheet.has_interviewer_column(), name) {
                (true, _) => String::new(),
                (false, Some(name)) => name.clone(),
                (false, None) => {
                    return Err(Error::invalid(
                        &file,
                        None,
                        "the sheet has no `interviewer` column; add one, or pass --interviewer NAME (one name for every file, or one per file in order)",
                    ));
                }
            };
            let (kit, source) = find_kit(path, &sheet, library.as_ref(), &workspace)?;
            let found = sheet.check(&kit, &source, &label)?;
            Ok((kit, found))
        });
        match result {
            Ok((kit, found)) => {
                found_kits.entry(kit.kit_code.clone()).or_insert(kit);
                ratings.extend(found);
            }
            Err(Error::Invalid { problems: more }) => problems.extend(more),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid { problems });
    }
    // The sheets' scores replace what the workspace held for the same kit, question and
    // interviewer; the summary then reads every score the workspace has for these kits
    // (for all scored kits when no file was given).
    let stored_kits = found_kits
        .values()
        .map(|kit| {
            let json = interview_kit::export::kit_json(kit)?;
            Ok((
                kit.kit_code.clone(),
                String::from_utf8_lossy(&json).into_owned(),
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    // The sheets are checked as a whole (a question scored twice is refused) before the
    // workspace changes.
    let fresh: BTreeMap<String, KitInfo> = found_kits
        .iter()
        .map(|(code, kit)| (code.clone(), KitInfo::from_kit(kit)))
        .collect();
    score::collect(&fresh, ratings.clone())?;
    let rows: Vec<ScoreRow> = ratings.iter().map(score_row).collect();
    workspace.store_scores(&stored_kits, &rows)?;
    let recorded = workspace.scored_kits()?;
    let wanted: Vec<String> = if args.files.is_empty() {
        recorded.keys().cloned().collect()
    } else {
        found_kits.keys().cloned().collect()
    };
    if wanted.is_empty() {
        return Err(Error::Usage(format!(
            "the workspace `{}` holds no scores yet; pass filled-in scorecards: interview-kit score FILE...",
            workspace.location().display()
        )));
    }
    let mut kits: BTreeMap<String, KitInfo> = BTreeMap::new();
    for code in &wanted {
        let kit = match found_kits.get(code) {
            Some(kit) => kit.clone(),
            None => interview_kit::export::kit_from_json(
                &workspace.location().display(),
                recorded.get(code).map_or("", String::as_str),
            )?,
        };
        kits.insert(code.clone(), KitInfo::from_kit(&kit));
    }
    // This run's ratings as read (their messages name the sheet's cells), then what the
    // workspace held for these kits from earlier imports.
    let key = |kit: &str, question: &str, interviewer: &str| {
        (kit.to_owned(), question.to_owned(), interviewer.to_owned())
    };
    let read: std::collections::BTreeSet<(String, String, String)> = ratings
        .iter()
        .map(|r| key(&r.kit_code, &r.question_id, &r.interviewer))
        .collect();
    let earlier: Vec<score::Rating> = workspace
        .scores()?
        .into_iter()
        .filter(|row| kits.contains_key(&row.kit_code))
        .filter(|row| !read.contains(&key(&row.kit_code, &row.question_id, &row.interviewer)))
        .map(rating)
        .collect();
    ratings.extend(earlier);
    let (scored, notes) = score::collect(&kits, ratings)?;
    for note in &notes {
        report(out, format_args!("note: {note}"));
    }
    let summary = score::summarize(&scored, notes);
    let table = score::summary_csv(&summary, &csv)?;
    let text = score::summary_md(&summary);
    let pdf = interview_kit::render::summary_pdf(
        &summary,
        interview_kit::templates::Templates::builtin(),
    )?;
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

/// The `--interviewer` name of each file: none, one for all, or one per file in order.
fn interviewer_names(args: &ScoreArgs) -> Result<Vec<Option<String>>> {
    let files = args.files.len();
    match args.interviewer.as_slice() {
        [] => Ok(vec![None; files]),
        [one] => Ok(vec![Some(one.trim().to_owned()); files]),
        many if many.len() == files => Ok(many.iter().map(|n| Some(n.trim().to_owned())).collect()),
        many => Err(Error::Usage(format!(
            "--interviewer is given {} times for {files} file(s); give one name for every file, or one per file in order",
            many.len()
        ))),
    }
}

/// A checked rating as the workspace stores it.
fn score_row(rating: &score::Rating) -> ScoreRow {
    ScoreRow {
        kit_code: rating.kit_code.clone(),
        question_id: rating.question_id.clone(),
        interviewer: rating.interviewer.clone(),
        score: rating.score,
        notes: String::new(),
        source_file: rating.file.clone(),
        source_row: rating.row,
    }
}

/// A stored score as `collect` reads ratings.
fn rating(row: ScoreRow) -> score::Rating {
    score::Rating {
        score_place: format!("row {}, column `score`", row.source_row),
        question_place: format!("row {}, column `question_id`", row.source_row),
        overall: row.question_id == interview_kit::export::profile::OVERALL,
        kit_code: row.kit_code,
        interviewer: row.interviewer,
        question_id: row.question_id,
        score: row.score,
        file: row.source_file,
        row: row.source_row,
    }
}

/// The kit a scorecard is checked against: `kit.json` beside the file, else the kit of
/// the file's code in `--kits`, else in the workspace. Returns it with where it came
/// from, for messages.
fn find_kit(
    path: &Path,
    sheet: &Sheet,
    library: Option<&Library>,
    workspace: &Workspace,
) -> Result<(Kit, String)> {
    let beside = path
        .parent()
        .map_or_else(|| PathBuf::from("kit.json"), |dir| dir.join("kit.json"));
    if beside.is_file() {
        return Ok((read_kit(&beside)?, format!("`{}`", beside.display())));
    }
    if library.is_none()
        && let Some(code) = sheet.kit_code()
        && let Ok(code) = KitCode::parse(code)
        && let Some((_, Some(json), _)) = workspace.kit(&code.to_string())?
    {
        let place = workspace.location().display();
        return Ok((
            interview_kit::export::kit_from_json(&place, &json)?,
            format!("the workspace `{place}`"),
        ));
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
                "{}: there is no kit `{code}` in {}; pass the folder the kit was generated into (--kits DIR, once per folder)",
                sheet.kit_code_place(),
                library
                    .dirs
                    .iter()
                    .map(|d| format!("`{}`", d.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// A scorecard's bytes, through the bounded reader every input uses.
fn read_scorecard(path: &Path) -> Result<Vec<u8>> {
    interview_kit::limits::read(path, interview_kit::limits::Input::Scorecard)
}

fn read_kit(path: &Path) -> Result<Kit> {
    let text = interview_kit::limits::read_text(path, interview_kit::limits::Input::KitJson)?;
    interview_kit::export::kit_from_json(&path.display().to_string(), &text)
}

/// The kits of one or more `generate --out` folders (rounds), by code.
struct Library {
    dirs: Vec<PathBuf>,
    kits: BTreeMap<String, (Kit, PathBuf)>,
}

impl Library {
    /// Reads `dir/*/kit.json` (and `dir/kit.json`, so a kit folder works too) of every
    /// folder; a code found in two folders keeps the first folder's kit.
    fn scan(dirs: &[PathBuf]) -> Result<Library> {
        let mut kits = BTreeMap::new();
        let mut problems: Vec<Problem> = Vec::new();
        for dir in dirs {
            if !dir.is_dir() {
                return Err(Error::Usage(format!(
                    "--kits `{}` is not a folder; pass the folder `generate --out` wrote the kits to",
                    dir.display()
                )));
            }
            for path in super::kit_files(dir)? {
                match read_kit(&path) {
                    Ok(kit) => {
                        kits.entry(Library::key(&kit.kit_code))
                            .or_insert((kit, path));
                    }
                    Err(Error::Invalid { problems: more }) => problems.extend(more),
                    Err(other) => return Err(other),
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { problems });
        }
        Ok(Library {
            dirs: dirs.to_vec(),
            kits,
        })
    }

    /// Codes compare as kit codes do: case-insensitive, look-alikes forgiven.
    fn key(code: &str) -> String {
        KitCode::parse(code).map_or_else(|_| code.trim().to_uppercase(), |c| c.to_string())
    }
}
