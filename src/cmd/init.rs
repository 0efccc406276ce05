//! `interview-kit init --templates DIR`: write the built-in templates out to edit.

use std::io::Write;

use super::report;
use crate::cli::InitArgs;
use interview_kit::error::Result;

pub(super) fn execute(args: &InitArgs, out: &mut dyn Write) -> Result<()> {
    // The document templates and the export profiles with their rating scale, in one go:
    // nothing is written if any file is there already.
    let files = [
        interview_kit::templates::FILES,
        interview_kit::export::FILES,
    ]
    .concat();
    let written = interview_kit::templates::write_files(&args.templates, &files, args.force)?;
    for path in &written {
        report(out, format_args!("wrote {}", path.display()));
    }
    report(
        out,
        format_args!(
            "edit them, then pass --templates {} to generate; files you delete fall back to the built-in ones",
            args.templates.display()
        ),
    );
    Ok(())
}
