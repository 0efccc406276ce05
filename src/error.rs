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
        match self.line {
            Some(line) => write!(f, "`{}` line {}: {}", self.file, line, self.message),
            None => write!(f, "`{}`: {}", self.file, self.message),
        }
    }
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
    #[error("{}", list(problems))]
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

    /// A value on the command line is unusable.
    #[error("{0}")]
    Usage(String),

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

    /// Exit code for the process: 2 for usage errors, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            _ => 1,
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
    }
}
