//! The `interview-kit` binary: parse arguments, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

// Rendering allocates many short-lived strings across threads; mimalloc handles that pattern
// markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = interview_kit::cli::Cli::parse();
    match interview_kit::cmd::execute(cli, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
