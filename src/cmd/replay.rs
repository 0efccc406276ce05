//! `interview-kit replay CODE`: regenerate a kit from its code, refusing if bank or blueprint changed.

use std::io::Write;

use super::{Docs, Inputs, report};
use crate::cli::ReplayArgs;
use crate::error::Result;
use crate::output::{folder_name, write_kit};

pub(super) fn execute(args: &ReplayArgs, out: &mut dyn Write) -> Result<()> {
    // A wrong bank would otherwise surface as "unknown topic" errors from the blueprint.
    let inputs = Inputs::load_with(&args.input, |bank| {
        crate::round::check_bank(bank, &args.code).map(|_| ())
    })?;
    let docs = Docs::load(&args.docs)?;
    let ledger = args.input.history.as_ref().map(|_| &inputs.ledger);
    if ledger.is_none() {
        // A kit made with --history was drawn against its ledger; without it the same code
        // gives other questions, and nothing in the code can tell.
        report(
            out,
            format_args!(
                "note: replaying without --history; if this kit was made with a history ledger, pass it to get the same questions"
            ),
        );
    }
    let kit = crate::round::replay(
        &inputs.bank,
        &inputs.blueprint,
        &args.code,
        args.candidate.as_deref(),
        ledger,
        &docs.templates,
    )?;
    let documents = crate::documents(&kit, &docs.options(&args.docs))?;
    let dir = write_kit(
        &args.output.out,
        &folder_name(&kit.kit_code, &kit.candidate),
        &documents,
        args.output.force,
    )?;
    report(
        out,
        format_args!(
            "kit {} for {}: {}",
            kit.kit_code,
            kit.candidate,
            dir.display()
        ),
    );
    Ok(())
}
