//! `interview-kit export KIT_DIR --profile NAME`: an existing kit's scorecard in ATS export profiles.

use std::io::Write;

use super::{csv_options, report};
use crate::cli::KitExportArgs;
use crate::error::{Error, Result};
use crate::output::write_file_atomic;
use crate::templates::Templates;

pub(super) fn execute(args: &KitExportArgs, out: &mut dyn Write) -> Result<()> {
    let csv = csv_options(&args.csv)?;
    let templates = Templates::load(args.templates.as_deref())?;
    for name in &args.profile {
        templates.profile(name)?;
    }
    let manifest = args.kit_dir.join("kit.json");
    if !manifest.exists() {
        return Err(Error::Usage(format!(
            "`{}` has no kit.json; pass a kit folder written by `interview-kit generate`",
            args.kit_dir.display()
        )));
    }
    let text = crate::limits::read_text(&manifest, crate::limits::Input::KitJson)?;
    let kit = crate::export::kit_from_json(&manifest.display().to_string(), &text)?;
    // `profile_documents` always renders the generic scorecard first; keep it only when asked.
    let wanted_generic = args
        .profile
        .iter()
        .any(|p| p == crate::export::profile::GENERIC);
    let generic = templates.profile(crate::export::profile::GENERIC)?;
    let generic_files: Vec<String> = std::iter::once(generic.file.clone())
        .chain(generic.json.iter().map(|j| j.file.clone()))
        .collect();
    let documents: Vec<_> = crate::profile_documents(&kit, &templates, &args.profile, &csv)?
        .into_iter()
        .filter(|doc| wanted_generic || !generic_files.contains(&doc.name))
        .collect();
    // Refuse before writing anything, so a clash never leaves half an export behind.
    if !args.force
        && let Some(path) = documents
            .iter()
            .map(|doc| args.kit_dir.join(&doc.name))
            .find(|p| p.exists())
    {
        return Err(Error::FileExists { path });
    }
    for doc in &documents {
        let path = args.kit_dir.join(&doc.name);
        write_file_atomic(&path, &doc.bytes)?;
        report(out, format_args!("wrote {}", path.display()));
    }
    Ok(())
}
