//! `interview-kit export DIR --profile NAME`: existing kits' scorecards in ATS export profiles, for one kit or a round.

use std::io::Write;
use std::path::PathBuf;

use super::{csv_options, kit_files, report};
use crate::cli::KitExportArgs;
use interview_kit::error::{Error, Result};
use interview_kit::export::Profiles;
use interview_kit::output::write_file_atomic;

pub(super) fn execute(args: &KitExportArgs, out: &mut dyn Write) -> Result<()> {
    let csv = csv_options(&args.csv)?;
    let exports = Profiles::load(args.templates.as_deref())?;
    for name in &args.profile {
        exports.get(name)?;
    }
    // A kit folder (it holds `kit.json`), or a round: the folder `generate --out` wrote,
    // with one kit folder per candidate.
    let own = args.kit_dir.join("kit.json");
    let manifests = if own.is_file() {
        vec![own]
    } else if args.kit_dir.is_dir() {
        kit_files(&args.kit_dir)?
    } else {
        Vec::new()
    };
    if manifests.is_empty() {
        return Err(Error::Usage(format!(
            "`{}` has no kit.json, nor folders holding one; pass a kit folder or a round folder (`generate --out`) written by `interview-kit generate`",
            args.kit_dir.display()
        )));
    }
    // `profile_documents` always renders the generic scorecard first; keep it only when asked.
    let wanted_generic = args
        .profile
        .iter()
        .any(|p| p == interview_kit::export::profile::GENERIC);
    let generic = exports.get(interview_kit::export::profile::GENERIC)?;
    let generic_files: Vec<String> = std::iter::once(generic.file.clone())
        .chain(generic.json.iter().map(|j| j.file.clone()))
        .collect();
    // Every kit is read and rendered before anything is written.
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for manifest in &manifests {
        let text =
            interview_kit::limits::read_text(manifest, interview_kit::limits::Input::KitJson)?;
        let kit = interview_kit::export::kit_from_json(&manifest.display().to_string(), &text)?;
        let dir = manifest.parent().unwrap_or(&args.kit_dir);
        for doc in interview_kit::profile_documents(&kit, &exports, &args.profile, &csv)? {
            if wanted_generic || !generic_files.contains(&doc.name) {
                files.push((dir.join(&doc.name), doc.bytes));
            }
        }
    }
    // Refuse before writing anything, so a clash never leaves half an export behind.
    if !args.force
        && let Some((path, _)) = files.iter().find(|(p, _)| p.exists())
    {
        return Err(Error::FileExists { path: path.clone() });
    }
    for (path, bytes) in &files {
        write_file_atomic(path, bytes)?;
        report(out, format_args!("wrote {}", path.display()));
    }
    Ok(())
}
