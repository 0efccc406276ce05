//! Command-line arguments as clap derive types; parsing only, no decisions.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use interview_kit::Format;
use interview_kit::render::PaperSize;

mod bank;
mod serve;

pub use bank::{BankArgs, BankCommand};
pub use serve::ServeArgs;

/// Turn a bank of interview questions into seeded, reproducible interview packets.
#[derive(Debug, Parser)]
#[command(name = "interview-kit", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a candidate's kit: interviewer PDF, handout PDF, scorecard CSV and kit.json.
    Generate(GenerateArgs),
    /// Regenerate a kit, byte for byte, from its kit code.
    Replay(ReplayArgs),
    /// Inspect, lint, import and export question banks.
    Bank(BankArgs),
    /// Write the built-in templates out for editing.
    Init(InitArgs),
    /// Write existing kits' scorecards (one kit, or a round folder) in ATS export profiles.
    Export(KitExportArgs),
    /// Read filled-in scorecards and write the round's summary: totals, topics, agreement, ranking.
    Score(ScoreArgs),
    /// List the rounds the workspace holds.
    Rounds(RoundsArgs),
    /// List the kits the workspace holds (of one round with --round).
    Kits(KitsArgs),
    /// Move history between the workspace and JSON Lines ledgers.
    History(HistoryArgs),
    /// Serve the web app for recruiters: rounds, kits, handout links, the bank, a JSON API.
    Serve(ServeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per subcommand with --out DIR.
    Man(ManArgs),
}

/// Which workspace (the SQLite file that records rounds, kits, history and scores).
#[derive(Debug, Args)]
pub struct WorkspaceArgs {
    /// The workspace file; default `$INTERVIEW_KIT_WORKSPACE`, else the nearest
    /// `interview-kit.db` in this folder or a parent, else `./interview-kit.db` (created on
    /// first use). `:memory:` records nothing.
    #[arg(long, value_name = "FILE", global = true)]
    pub workspace: Option<PathBuf>,
}

/// Where the questions come from.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Bank replacing the built-in one: a folder of `*.toml` files or a `.csv` file.
    #[arg(long, value_name = "PATH")]
    pub bank: Option<PathBuf>,

    /// Blueprint TOML file replacing the built-in `python-developer` blueprint.
    #[arg(long, value_name = "FILE")]
    pub blueprint: Option<PathBuf>,

    /// An old history ledger (JSON Lines) read on top of the workspace's history:
    /// candidates never get a question it says they saw. Nothing is appended to it; move it
    /// into the workspace once with `history import`.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
}

/// How the documents look.
#[derive(Debug, Args)]
pub struct DocArgs {
    /// Folder of templates overriding the built-in ones file by file (see `init --templates`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Interview date printed on the documents, as written (the clock is never read).
    #[arg(long, value_name = "TEXT")]
    pub date: Option<String>,

    /// Extra TrueType/OpenType font for characters the embedded DejaVu fonts lack (e.g. CJK names).
    #[arg(long, value_name = "PATH")]
    pub font: Option<PathBuf>,

    /// Paper size of the PDFs.
    #[arg(long, ignore_case = true, default_value_t = PaperSize::A4, value_parser = paper_parser())]
    pub paper: PaperSize,

    /// Document formats, comma-separated.
    #[arg(
        long,
        ignore_case = true,
        value_delimiter = ',',
        default_value = "pdf",
        value_parser = format_parser()
    )]
    pub format: Vec<Format>,

    /// Also write the scorecard in these export profiles, comma-separated: greenhouse,
    /// lever, workable, ashby, or your own in --templates DIR/profiles/NAME.toml. The
    /// generic `scorecard.csv` is always written.
    #[arg(long, value_name = "NAME", value_delimiter = ',', value_parser = profile_name)]
    pub csv_profile: Vec<String>,

    #[command(flatten)]
    pub csv: CsvArgs,
}

/// How CSV files are written.
#[derive(Debug, Args)]
pub struct CsvArgs {
    /// Write CSV as plain UTF-8 with LF line ends, for programs that want that. The default
    /// is what Excel writes ("CSV UTF-8"): a byte order mark and CRLF line ends, so Excel
    /// opens accents right.
    #[arg(long, conflicts_with_all = ["crlf", "bom"])]
    pub plain_csv: bool,

    /// Kept for older scripts: CRLF line ends are now the default (see --plain-csv).
    #[arg(long)]
    pub crlf: bool,

    /// Kept for older scripts: the UTF-8 byte order mark is now the default (see --plain-csv).
    #[arg(long)]
    pub bom: bool,

    /// CSV field delimiter: one character such as `;` (Excel in many European locales) or
    /// `tab`.
    #[arg(long, value_name = "CHAR", default_value = ",")]
    pub delimiter: String,

    /// Write cells starting with = + - @ tab CR LF as they are. Only for programs that read
    /// the CSV: a spreadsheet runs such a cell as a formula, and bank or name text can then
    /// fetch URLs or run commands on the reader's machine.
    #[arg(long)]
    pub no_formula_guard: bool,
}

/// Where kits are written.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Folder that receives one sub-folder per kit.
    #[arg(long, value_name = "DIR", default_value = "kits")]
    pub out: PathBuf,

    /// Replace a kit's folder if it already exists.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `interview-kit generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Candidate's name, printed on every document and used (as a safe slug) in the folder
    /// name. Repeat for a round of several candidates.
    #[arg(long, value_name = "NAME", required_unless_present = "candidates")]
    pub candidate: Vec<String>,

    /// Roster CSV with a `name` column (and optional `email`, `id`): one kit per row.
    #[arg(long, value_name = "FILE", conflicts_with = "candidate")]
    pub candidates: Option<PathBuf>,

    /// Seed for the question draw; the same seed, bank, blueprint and roster give the same
    /// kits. Without it a seed is drawn from the OS and printed.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Print why each question was picked (profile cell, level, exposure, history).
    #[arg(long)]
    pub explain: bool,

    /// Threads rendering documents (default: one per core; drawing the round uses every core). Output is byte-identical for any value.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// No longer needed: running the same command again continues an interrupted round.
    #[arg(long, hide = true)]
    pub resume: bool,

    /// Start a new round even though these candidates have an incomplete round with this
    /// blueprint (without it, the same command continues that round).
    #[arg(long)]
    pub new_round: bool,

    /// Declare that a candidate whose name matches a known candidate under another email is
    /// the same person: NEW_EMAIL=KNOWN_EMAIL. Repeat for several.
    #[arg(long, value_name = "NEW=KNOWN")]
    pub same_person: Vec<String>,

    /// Print nothing but errors: no progress bar, no per-kit lines.
    #[arg(long, short)]
    pub quiet: bool,

    /// Plan the round and print its forecast (profile, minutes, overlap against its lower
    /// bound, exposure spread, candidates served per overlap) and each kit's questions;
    /// write nothing. Needs --seed, so the plan shown is the plan `generate` makes.
    #[arg(long, requires = "seed")]
    pub dry_run: bool,

    /// Print a JSON summary of the round on standard output instead of the per-kit lines
    /// (seed, kits with code, candidate, folder, files and status, round numbers). No
    /// progress bar; errors still go to standard error.
    #[arg(long, conflicts_with_all = ["quiet", "explain"])]
    pub json: bool,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub docs: DocArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,
}

/// Arguments of `interview-kit rounds`.
#[derive(Debug, Args)]
pub struct RoundsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,
}

/// Arguments of `interview-kit kits`.
#[derive(Debug, Args)]
pub struct KitsArgs {
    /// Only the kits of this round (see `interview-kit rounds`).
    #[arg(long, value_name = "ID")]
    pub round: Option<i64>,

    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,
}

/// Arguments of `interview-kit history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: HistoryCommand,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,
}

/// `history import` / `history export`.
#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Add the kits of a JSON Lines ledger to the workspace's history (again: adds nothing).
    Import {
        /// The ledger file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Write the workspace's written kits as a JSON Lines ledger.
    Export {
        /// The ledger file to write.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Arguments of `interview-kit replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The kit code printed on the kit's documents, e.g. `PY1-1A-0-7F3AG4K`.
    #[arg(value_name = "CODE")]
    pub code: String,

    /// Candidate's name (only for a kit the workspace does not have).
    #[arg(long, value_name = "NAME")]
    pub candidate: Option<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub docs: DocArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,
}

/// Arguments of `interview-kit init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write the built-in templates into DIR, to edit and pass back with `--templates DIR`.
    #[arg(long, value_name = "DIR", required = true)]
    pub templates: PathBuf,

    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `interview-kit export` (named apart from `bank export`'s [`ExportArgs`]).
#[derive(Debug, Args)]
pub struct KitExportArgs {
    /// A kit folder written by `generate` or `replay` (it holds `kit.json`), or a round:
    /// the folder `generate --out` wrote, whose kit folders are all exported.
    #[arg(value_name = "DIR")]
    pub kit_dir: PathBuf,

    /// Export profiles to write, comma-separated: generic, greenhouse, lever, workable,
    /// ashby, or your own in --templates DIR/profiles/NAME.toml.
    #[arg(
        long,
        value_name = "NAME",
        value_delimiter = ',',
        required = true,
        value_parser = profile_name
    )]
    pub profile: Vec<String>,

    /// Folder of templates overriding the built-in ones file by file (see `init --templates`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    #[command(flatten)]
    pub csv: CsvArgs,

    /// Replace export files that already exist in the kit folders.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `interview-kit score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Filled-in generic scorecards (`scorecard.csv`, also as re-saved by Excel: BOM, `;`,
    /// CRLF), or ATS sheets an export profile wrote (`greenhouse.csv`, ...). One file per interviewer, or several interviewers in one file with an
    /// `interviewer` column. Their scores are stored in the workspace (again: replaced, not
    /// added). Without files, the summary is recomputed from the workspace's scores.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Who filled in a sheet without an `interviewer` column: one name for every file, or
    /// one per file in the order given.
    #[arg(long, value_name = "NAME")]
    pub interviewer: Vec<String>,

    /// Folder the kits were generated into (`generate --out`): a scorecard without
    /// `kit.json` beside it is checked against the kit of its code found there. Repeat it
    /// to score several rounds together.
    #[arg(long, value_name = "DIR")]
    pub kits: Vec<PathBuf>,

    /// Folder that receives `summary.csv`, `summary.md` and `summary.pdf`.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,

    /// Replace `summary.csv`, `summary.md` and `summary.pdf` if they exist.
    #[arg(long)]
    pub force: bool,

    /// Folder of templates the kits were exported with: its `scale.toml` and
    /// `profiles/NAME.toml` (with `[read]` columns) read ATS sheets back.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    // How `summary.csv` is written; scorecards are read whatever their delimiter.
    #[command(flatten)]
    pub csv: CsvArgs,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,
}

/// Arguments of `interview-kit completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to complete for.
    #[arg(value_name = "SHELL", ignore_case = true)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `interview-kit man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command into DIR (`interview-kit.1`, `interview-kit-generate.1`,
    /// `interview-kit-bank-list.1`, …) instead of printing the whole tree as one page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Replace pages that already exist in DIR.
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// A profile name as given, in lowercase: `--profile GreenHouse` is `greenhouse` (a profile
/// file of your own with capitals is still found, see [`interview_kit::templates::Templates::profile`]).
fn profile_name(name: &str) -> std::result::Result<String, std::convert::Infallible> {
    Ok(name.to_lowercase())
}

/// `--paper`: the library's paper sizes, listed in `--help` and parsed by the library.
fn paper_parser() -> impl TypedValueParser<Value = PaperSize> {
    PossibleValuesParser::new(PaperSize::ALL.map(PaperSize::name)).try_map(|name| name.parse())
}

/// `--format`: the library's formats, each with a line of help, parsed by the library.
fn format_parser() -> impl TypedValueParser<Value = Format> {
    let help = |format: Format| match format {
        Format::Pdf => "PDF, laid out for print",
        Format::Md => "Markdown",
        Format::Html => "Standalone HTML with a print stylesheet",
    };
    PossibleValuesParser::new(
        Format::ALL.map(|format| PossibleValue::new(format.name()).help(help(format))),
    )
    .try_map(|name| name.parse())
}
