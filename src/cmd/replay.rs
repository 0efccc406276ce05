//! `interview-kit replay CODE`: rewrite a kit's files byte for byte from the workspace, or rebuild it from its code.

use std::io::Write;

use super::{Docs, Inputs, report, workspace_location};
use crate::cli::ReplayArgs;
use interview_kit::error::{Error, Result};
use interview_kit::kit::{Kit, KitCode};
use interview_kit::output::{Document, folder_name, write_kit};
use interview_kit::round::run::Settings;
use interview_kit::workspace::Workspace;

pub(super) fn execute(args: &ReplayArgs, out: &mut dyn Write) -> Result<()> {
    let code = KitCode::parse(&args.code)?.to_string();
    if let Some(workspace) = Workspace::open_existing(&workspace_location(&args.workspace)?)?
        && let Some((info, json, round)) = workspace.kit(&code)?
    {
        let Some(json) = json.filter(|_| info.state == "written") else {
            return Err(Error::Replay(format!(
                "kit `{code}` is in the workspace but was never written ({}); run the command of round {} again to write it",
                if info.state == "written" {
                    "it was imported from a ledger"
                } else {
                    "its round is incomplete"
                },
                round.id
            )));
        };
        let kit: Kit = serde_json::from_str(&json).map_err(|e| Error::Workspace {
            path: workspace.location().display(),
            message: format!("kit `{code}` has a damaged kit.json ({e})"),
        })?;
        let settings: Settings =
            serde_json::from_str(&round.options).map_err(|e| Error::Workspace {
                path: workspace.location().display(),
                message: format!("round {} has damaged options ({e})", round.id),
            })?;
        if let Some(font) = &settings.font {
            let bytes = interview_kit::limits::read(font, interview_kit::limits::Input::Font)?;
            interview_kit::render::register_font(bytes, &font.display().to_string())?;
        }
        let templates = interview_kit::templates::Templates::load(settings.templates.as_deref())?;
        let exports = interview_kit::export::Profiles::load(settings.templates.as_deref())?;
        let documents = interview_kit::documents(&kit, &settings.options(&templates, &exports))?;
        let recorded = format!(" (as recorded in {})", workspace.location().display());
        return write(args, out, &kit, &documents, &recorded);
    }
    // Not in the workspace: rebuild the kit from its code (and a ledger, if given).
    let inputs = Inputs::load_with(&args.input, |bank| {
        interview_kit::round::check_bank(bank, &args.code).map(|_| ())
    })?;
    let docs = Docs::load(&args.docs)?;
    let ledger = args.input.history.as_ref().map(|_| &inputs.ledger);
    report(
        out,
        format_args!(
            "note: kit `{code}` is not in the workspace, so its questions could not be verified: it is rebuilt from its code{}; a kit drawn against history may come out different",
            if ledger.is_some() {
                " and the ledger"
            } else {
                ""
            }
        ),
    );
    let kit = interview_kit::round::replay(
        &inputs.bank,
        &inputs.blueprint,
        &args.code,
        args.candidate.as_deref(),
        ledger,
        &docs.templates,
    )?;
    let documents = interview_kit::documents(&kit, &docs.options(&args.docs))?;
    write(args, out, &kit, &documents, "")
}

/// Writes the kit's folder under `--out` and says where, followed by `note`.
fn write(
    args: &ReplayArgs,
    out: &mut dyn Write,
    kit: &Kit,
    documents: &[Document],
    note: &str,
) -> Result<()> {
    let dir = write_kit(
        &args.output.out,
        &folder_name(&kit.kit_code, &kit.candidate),
        documents,
        args.output.force,
    )?;
    report(
        out,
        format_args!(
            "kit {} for {}: {}{note}",
            kit.kit_code,
            kit.candidate,
            dir.display()
        ),
    );
    Ok(())
}
