//! The crate's one error type: every variant carries what the user must see to fix the input.

use std::fmt;
use std::path::PathBuf;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem found at a place in an input file.
///
/// Rendered as ``` `bank/oop.toml` line 41: duplicate question id `oop-mro` ```.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File the problem is in, as the user named it (or `bank/<file>` for the built-in bank).
    pub file: String,
    /// 1-based line number, when the problem has a place.
    pub line: Option<usize>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl Problem {
    /// A problem at `line` of `file`.
    pub fn at(file: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Messages quote what the file says; a control character quoted from a hostile file
        // must not reach the terminal as itself.
        let message = printable(&self.message);
        let file = printable(&self.file);
        match self.line {
            Some(line) => write!(f, "`{file}` line {line}: {message}"),
            None => write!(f, "`{file}`: {message}"),
        }
    }
}

/// `text` with control characters (other than line breaks) and bidirectional controls
/// written as `\u{…}` escapes.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// One topic/level cell the bank cannot fill for a blueprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// What is short, e.g. ``topic `testing` `` or ``level `senior` ``.
    pub what: String,
    /// How many questions the blueprint asks for.
    pub wanted: usize,
    /// How many eligible questions the bank has.
    pub available: usize,
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} needs {} question(s), the bank has {} (short by {})",
            self.what,
            self.wanted,
            self.available,
            self.wanted - self.available
        )
    }
}

/// Everything that can go wrong, each variant with what the user needs to fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more problems in an input file (bank, blueprint); all are reported at once.
    #[error("{}", list_problems(problems))]
    Invalid {
        /// Every problem found, in file and line order.
        problems: Vec<Problem>,
    },

    /// The bank cannot fill the blueprint.
    #[error(
        "the bank cannot fill blueprint `{blueprint}`:\n{}\nfix: add questions to the bank (--bank DIR) or lower the counts in the blueprint",
        list(shortfalls)
    )]
    Shortfall {
        /// Name of the blueprint.
        blueprint: String,
        /// Every short topic or level.
        shortfalls: Vec<Shortfall>,
    },

    /// Topic quotas and the level mix each fit the bank but not together.
    #[error(
        "the bank cannot fill blueprint `{blueprint}`: its topic counts and level mix cannot both be met with the questions available\nfix: relax the `levels` mix or add questions at the missing levels"
    )]
    LevelMixInfeasible {
        /// Name of the blueprint.
        blueprint: String,
    },

    /// The output folder already exists.
    #[error("output folder `{}` already exists; pass --force to replace it", path.display())]
    OutputExists {
        /// The folder that would be overwritten.
        path: PathBuf,
    },

    /// An output file already exists.
    #[error("`{}` already exists; pass --force to replace it", path.display())]
    FileExists {
        /// The file that would be overwritten.
        path: PathBuf,
    },

    /// A file system operation failed.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done, e.g. "read" or "create folder".
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },

    /// `bank lint` found errors; the findings themselves are printed before this.
    #[error("bank lint found {errors} error(s); fix them and run `interview-kit bank lint` again")]
    LintFailed {
        /// How many findings are errors.
        errors: usize,
    },

    /// A kit cannot be replayed with the inputs given (bank, blueprint or ledger differ).
    #[error("{0}")]
    Replay(String),

    /// Inputs that are each valid but cannot work together (a time budget no kit fits, an
    /// included question a candidate has seen, a ledger too long to extend).
    #[error("{0}")]
    Conflict(String),

    /// The machine refused something the run needs (OS randomness, threads).
    #[error("{0}")]
    System(String),

    /// A value on the command line is unusable.
    #[error("{0}")]
    Usage(String),

    /// The workspace database cannot be opened, read or written.
    #[error("workspace `{path}`: {message}")]
    Workspace {
        /// The database file (or `:memory:`).
        path: String,
        /// What went wrong and what to do.
        message: String,
    },

    /// The run was stopped (Ctrl-C or SIGTERM) after finishing the kits in flight.
    #[error("{0}")]
    Interrupted(String),

    /// A document could not be produced; this is a bug or an unusable font.
    #[error("cannot render {document}: {message}")]
    Render {
        /// Which document.
        document: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// Shorthand for a single [`Problem`].
    pub fn invalid(
        file: impl Into<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self::Invalid {
            problems: vec![Problem::at(file, line, message)],
        }
    }

    /// Shorthand for an I/O failure on `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// Exit code for the process: 2 when the command line is wrong (clap's own code for usage
    /// errors), 1 when the data or the file system is.
    ///
    /// Every variant is listed, so a new one has to be placed on purpose.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Invalid { .. }
            | Self::Shortfall { .. }
            | Self::LevelMixInfeasible { .. }
            | Self::OutputExists { .. }
            | Self::FileExists { .. }
            | Self::Io { .. }
            | Self::LintFailed { .. }
            | Self::Replay(_)
            | Self::System(_)
            | Self::Conflict(_)
            | Self::Workspace { .. }
            | Self::Render { .. } => 1,
            // What a shell reports for a process stopped by SIGINT (128 + 2).
            Self::Interrupted(_) => 130,
        }
    }
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|item| item.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The problems one per line, at most [`MAX_PROBLEMS_SHOWN`](crate::limits::MAX_PROBLEMS_SHOWN)
/// of them: a file with thousands of bad rows still gets a one-screen message.
fn list_problems(problems: &[Problem]) -> String {
    let shown = crate::limits::MAX_PROBLEMS_SHOWN;
    let mut text = list(&problems[..problems.len().min(shown)]);
    if problems.len() > shown {
        text.push_str(&format!(
            "\n… and {} more problem(s); fix these and run again to see the rest",
            problems.len() - shown
        ));
    }
    text
}

/// Line numbers of byte offsets in one text, each found by binary search, so a loader that
/// reports the line of every entry of a large file stays linear ([`line_of`] scans from the start).
pub(crate) struct Lines {
    /// Byte offset where each line after the first starts.
    starts: Vec<usize>,
}

impl Lines {
    /// Indexes the line breaks of `text`.
    pub(crate) fn new(text: &str) -> Lines {
        Lines {
            starts: text
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1)
                .collect(),
        }
    }

    /// 1-based line number of byte `offset`, as [`line_of`] counts it.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) + 1
    }
}

/// A TOML syntax error as a problem at its line. The parser's own nesting limit gets a
/// message that says what it is and what to do.
pub(crate) fn toml_problem(file: &str, text: &str, err: &toml::de::Error) -> Problem {
    let line = err.span().map(|span| line_of(text, span.start));
    let message = err.message().lines().next().unwrap_or_default().trim();
    let message = if message.contains("recursion") || message.contains("recurse") {
        format!(
            "tables, arrays or dotted keys nest deeper than {} levels; flatten them",
            crate::limits::MAX_TOML_DEPTH
        )
    } else if message.starts_with("missing field") {
        format!("{message}; add it (README lists every field of this file)")
    } else {
        message.to_owned()
    };
    Problem::at(file, line, message)
}

/// 1-based line number of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_counts_newlines_before_offset() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
        let lines = Lines::new("a\nb\nc");
        for offset in [0, 1, 2, 3, 4, 99] {
            assert_eq!(lines.line(offset), line_of("a\nb\nc", offset), "{offset}");
        }
    }

    #[test]
    fn problems_escape_controls_and_long_lists_are_cut() {
        let problem = Problem::at("f", Some(1), "id `a\u{1b}[2J\u{202e}` is bad");
        assert_eq!(
            problem.to_string(),
            "`f` line 1: id `a\\u{1b}[2J\\u{202e}` is bad"
        );
        let problems = vec![Problem::at("f", None, "x"); 60];
        let text = Error::Invalid { problems }.to_string();
        assert_eq!(text.lines().count(), 51);
        assert!(
            text.ends_with("… and 10 more problem(s); fix these and run again to see the rest")
        );
    }
}
