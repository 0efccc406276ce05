//! `interview-kit replay CODE`: regenerate a kit from its code, refusing if bank or blueprint changed.

use std::io::Write;

use super::{Docs, Inputs, report};
use crate::cli::ReplayArgs;
use crate::error::Result;
use crate::output::{folder_name, write_kit};

pub(super) fn execute(args: &ReplayArgs, out: &mut dyn Write) -> Result<()> {
    // A wrong bank would otherwise surface as "unknown topic" errors from the blueprint.
    crate::round::check_bank(
        &crate::bank::load_path_or_builtin(args.input.bank.as_deref())?,
        &args.code,
    )?;
    let inputs = Inputs::load(&args.input)?;
    let docs = Docs::load(&args.docs)?;
    let ledger = args.input.history.as_ref().map(|_| &inputs.ledger);
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
