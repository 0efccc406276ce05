//! Subcommands: each file builds its inputs from the arguments, calls the library and reports.

mod bank;
mod dry_run;
mod generate;
mod generate_json;
mod init;
mod kit_export;
mod replay;
mod score;
mod serve;
mod shell;
mod workspace;

use std::io::Write;

use crate::cli::{Cli, Command, InputArgs};
use interview_kit::bank::Bank;
use interview_kit::error::Result;
use interview_kit::history::Ledger;
use interview_kit::select::Blueprint;

/// Runs the parsed command line, writing progress messages to `out`.
pub fn execute(cli: Cli, out: &mut dyn Write) -> Result<()> {
    match cli.command {
        Command::Generate(args) => generate::execute(&args, out),
        Command::Replay(args) => replay::execute(&args, out),
        Command::Init(args) => init::execute(&args, out),
        Command::Bank(args) => bank::execute(&args, out),
        Command::Export(args) => kit_export::execute(&args, out),
        Command::Score(args) => score::execute(&args, out),
        Command::Rounds(args) => workspace::rounds(&args, out),
        Command::Kits(args) => workspace::kits(&args, out),
        Command::History(args) => workspace::history(&args, out),
        Command::Serve(args) => serve::execute(&args, out),
        Command::Completions(args) => shell::completions(&args, out),
        Command::Man(args) => shell::man(&args, out),
    }
}

/// Writes `text` to standard output; a reader that went away (`| head`) is not an error, so
/// the process ends quietly with exit code 0 as Unix tools do.
fn emit(out: &mut dyn Write, text: &[u8]) -> Result<()> {
    match out.write_all(text).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(
            interview_kit::error::Error::io("write", "standard output", e),
        ),
        _ => Ok(()),
    }
}

/// CSV flags as writer options; a bad `--delimiter` is a usage error.
fn csv_options(args: &crate::cli::CsvArgs) -> Result<interview_kit::export::CsvOptions> {
    // `--bom` and `--crlf` are the default now; `--plain-csv` turns both off.
    Ok(interview_kit::export::CsvOptions {
        crlf: !args.plain_csv,
        bom: !args.plain_csv,
        delimiter: interview_kit::export::CsvOptions::parse_delimiter(&args.delimiter)?,
        formula_guard: !args.no_formula_guard,
    })
}

/// The `kit.json` files of a folder: its own (a kit folder) and its sub-folders' (a round,
/// as `generate --out` writes it), sorted.
fn kit_files(dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>> {
    let io = |e| interview_kit::error::Error::io("read folder", dir, e);
    let mut paths = vec![dir.join("kit.json")];
    for entry in std::fs::read_dir(dir).map_err(io)? {
        paths.push(entry.map_err(io)?.path().join("kit.json"));
    }
    paths.retain(|p| p.is_file());
    paths.sort();
    Ok(paths)
}

/// Bank, blueprint and history ledger as the input flags say.
struct Inputs {
    bank: Bank,
    blueprint: Blueprint,
    ledger: Ledger,
}

impl Inputs {
    fn load(args: &InputArgs) -> Result<Inputs> {
        Self::load_with(args, |_| Ok(()))
    }

    /// Loads the inputs, calling `check_bank` on the bank before the blueprint is resolved
    /// against it (replay uses it to name a wrong bank as such).
    fn load_with(args: &InputArgs, check_bank: impl FnOnce(&Bank) -> Result<()>) -> Result<Inputs> {
        let bank = interview_kit::bank::load_path_or_builtin(args.bank.as_deref())?;
        check_bank(&bank)?;
        let blueprint = match &args.blueprint {
            Some(file) => Blueprint::load(file, &bank)?,
            None => Blueprint::builtin(&bank)?,
        };
        let ledger = match &args.history {
            Some(path) => {
                let bytes =
                    interview_kit::limits::read(path, interview_kit::limits::Input::Ledger)?;
                Ledger::parse_bytes(&path.display().to_string(), &bytes)?
            }
            None => Ledger::default(),
        };
        Ok(Inputs {
            bank,
            blueprint,
            ledger,
        })
    }
}

/// The workspace the flags name (see [`interview_kit::workspace::Location::find`]), opened or created.
fn open_workspace(args: &crate::cli::WorkspaceArgs) -> Result<interview_kit::workspace::Workspace> {
    interview_kit::workspace::Workspace::open(&workspace_location(args)?)
}

fn workspace_location(
    args: &crate::cli::WorkspaceArgs,
) -> Result<interview_kit::workspace::Location> {
    let cwd = std::env::current_dir()
        .map_err(|e| interview_kit::error::Error::io("find the current folder", ".", e))?;
    Ok(interview_kit::workspace::Location::find(
        args.workspace.as_deref(),
        &cwd,
    ))
}

/// Templates and document options as the flags say.
struct Docs {
    templates: interview_kit::templates::Templates,
    /// Export profiles and the rating scale, from the same templates folder.
    exports: interview_kit::export::Profiles,
    args_date: Option<String>,
    /// How CSV files are written (the scorecards, the profiles and `round.csv`).
    csv: interview_kit::export::CsvOptions,
}

impl Docs {
    fn load(args: &crate::cli::DocArgs) -> Result<Docs> {
        // The date is printed like a name, so it follows the same character rules.
        if let Some(date) = &args.date
            && (date.trim().is_empty()
                || date.chars().count() > 40
                || interview_kit::limits::name_problem("--date", date).is_some())
        {
            return Err(interview_kit::error::Error::Usage(
                "--date must be 1 to 40 printable characters, e.g. --date 2026-12-01".into(),
            ));
        }
        if let Some(path) = &args.font {
            let bytes = interview_kit::limits::read(path, interview_kit::limits::Input::Font)?;
            interview_kit::render::register_font(bytes, &path.display().to_string())?;
        }
        let templates = interview_kit::templates::Templates::load(args.templates.as_deref())?;
        let exports = interview_kit::export::Profiles::load(args.templates.as_deref())?;
        // An unknown profile is reported before any kit is drawn or written.
        for name in &args.csv_profile {
            exports.get(name)?;
        }
        Ok(Docs {
            templates,
            exports,
            args_date: args.date.clone(),
            csv: csv_options(&args.csv)?,
        })
    }

    /// The settings a round records, so it can be continued and replayed byte for byte.
    fn settings(&self, args: &crate::cli::DocArgs) -> interview_kit::round::run::Settings {
        let mut formats = args.format.clone();
        formats.sort();
        formats.dedup();
        interview_kit::round::run::Settings {
            date: self.args_date.clone(),
            paper: args.paper,
            formats,
            profiles: args.csv_profile.clone(),
            csv: self.csv,
            templates: args
                .templates
                .as_ref()
                .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())),
            font: args
                .font
                .as_ref()
                .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())),
        }
    }

    fn options<'a>(&'a self, args: &'a crate::cli::DocArgs) -> interview_kit::RenderOptions<'a> {
        interview_kit::RenderOptions {
            templates: &self.templates,
            date: self.args_date.as_deref(),
            paper: args.paper,
            formats: &args.format,
            profiles: &args.csv_profile,
            exports: &self.exports,
            csv: self.csv,
        }
    }
}

/// Progress lines are best effort: a closed stdout must not fail kits already written.
fn report(out: &mut dyn Write, line: std::fmt::Arguments<'_>) {
    let _ = writeln!(out, "{line}");
}
