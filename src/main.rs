//! The `interview-kit` binary: parse arguments, run, map errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

mod cli;
mod cmd;

// Rendering allocates many short-lived strings across threads; mimalloc handles that pattern
// markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::execute(cli, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            print_error(&err);
            ExitCode::from(err.exit_code())
        }
    }
}

/// `error: …` on standard error, then the causes (see [`message`]).
///
/// The prefix is red and bold as clap prints its own errors; anstream drops the colour when
/// stderr is not a terminal or `NO_COLOR` is set. Writing is best effort: with stderr closed
/// there is nobody left to tell, and `eprintln!` would panic instead.
fn print_error(err: &interview_kit::error::Error) {
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Red.into()));
    let _ = writeln!(
        anstream::stderr().lock(),
        "{style}error:{style:#} {}",
        message(err)
    );
}

/// The error's message, then each cause in its `source()` chain on a line of its own, except
/// causes the message already quotes (an I/O error says "cannot read `x`: <the OS error>").
fn message(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(inner) = cause {
        let line = inner.to_string();
        if !text.contains(&line) {
            text.push('\n');
            text.push_str(&line);
        }
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error with a cause, as a library below us might return.
    #[derive(Debug, thiserror::Error)]
    #[error("cannot parse the roster")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn each_cause_gets_its_own_line_once() {
        let outer = Outer(std::io::Error::other("row 3 is not UTF-8"));
        assert_eq!(
            message(&outer),
            "cannot parse the roster\nrow 3 is not UTF-8"
        );
        let io = interview_kit::error::Error::io(
            "read",
            "roster.csv",
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        );
        assert_eq!(message(&io), "cannot read `roster.csv`: no such file");
    }
}
