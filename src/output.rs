//! Writing a kit's files to disk: one folder per candidate, all files or none, never an unasked overwrite.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Longest candidate part of a folder name, in characters.
const MAX_NAME: usize = 60;

/// One output file: its name inside the kit folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// File name, e.g. `interviewer.pdf`.
    pub name: String,
    /// File contents.
    pub bytes: Vec<u8>,
}

impl Document {
    /// A file named `name` holding `bytes`.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Document {
        Document {
            name: name.into(),
            bytes,
        }
    }
}

/// The folder name of a kit: its code and the candidate's name reduced to a safe ASCII slug.
///
/// `José Núñez` becomes `PY1-…-jose-nunez`; `../../etc/passwd` becomes `PY1-…-etc-passwd`,
/// so a name can never point outside the output folder.
pub fn folder_name(kit_code: &str, candidate: &str) -> String {
    let mut name = slug::slugify(candidate);
    if name.len() > MAX_NAME {
        name.truncate(MAX_NAME);
        name = name.trim_end_matches('-').to_owned();
    }
    if name.is_empty() {
        name = "candidate".to_owned();
    }
    format!("{kit_code}-{name}")
}

/// Writes `documents` into `out/<folder>`, atomically and durably: [`stage_kit`],
/// [`sync_staged`] and [`Staged::land`] for one kit.
///
/// An existing folder is replaced only with `force`.
pub fn write_kit(out: &Path, folder: &str, documents: &[Document], force: bool) -> Result<PathBuf> {
    let staged = stage_kit(out, folder, documents, force)?;
    sync_staged(out, [&staged])?;
    staged.land()
}

/// A kit's files written into a hidden staging folder inside `out`, not yet synced and not
/// yet in place. Dropped without [`Staged::land`], the staging folder is removed.
#[derive(Debug)]
pub struct Staged {
    staging: tempfile::TempDir,
    out: PathBuf,
    folder: String,
    force: bool,
}

/// Writes `documents` into a hidden staging folder of `out` (created if needed), for the
/// kit folder `folder`. Fails at once, writing nothing, when `out/<folder>` exists and
/// `force` is not set.
///
/// Nothing is synced here: a round syncs many staged kits with one [`sync_staged`], then
/// lands them, so a batch pays for one flush instead of one per file.
pub fn stage_kit(out: &Path, folder: &str, documents: &[Document], force: bool) -> Result<Staged> {
    let target = out.join(folder);
    if target.exists() && !force {
        return Err(Error::OutputExists { path: target });
    }
    if out.exists() && !out.is_dir() {
        return Err(Error::invalid(
            out.display().to_string(),
            None,
            "is a file, not a folder; pass another --out",
        ));
    }
    fs::create_dir_all(out).map_err(|e| Error::io("create output folder", out, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".interview-kit-")
        .tempdir_in(out)
        .map_err(|e| Error::io("create a temporary folder in", out, e))?;
    for doc in documents {
        let path = staging.path().join(&doc.name);
        fs::write(&path, &doc.bytes).map_err(|e| Error::io("write", &path, e))?;
    }
    Ok(Staged {
        staging,
        out: out.to_owned(),
        folder: folder.to_owned(),
        force,
    })
}

/// Makes the files of every kit in `staged` (all staged in `out`) durable.
///
/// `--resume` trusts any kit folder it finds, so a folder must never land with files a
/// power cut could still truncate: this runs before [`Staged::land`]. On Linux it is one
/// `syncfs` of the file system holding `out` — one flush for a whole batch of kits, where
/// syncing each file costs a journal commit per file; elsewhere each file is synced.
pub fn sync_staged<'s>(out: &Path, staged: impl IntoIterator<Item = &'s Staged>) -> Result<()> {
    let mut staged = staged.into_iter().peekable();
    if staged.peek().is_none() {
        return Ok(());
    }
    #[cfg(target_os = "linux")]
    {
        let dir = fs::File::open(out).map_err(|e| Error::io("open", out, e))?;
        rustix::fs::syncfs(&dir).map_err(|e| Error::io("sync the files in", out, e.into()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = out;
        for kit in staged {
            let files = fs::read_dir(kit.staging.path())
                .map_err(|e| Error::io("read", kit.staging.path(), e))?;
            for path in files.flatten().map(|f| f.path()) {
                fs::File::open(&path)
                    .and_then(|file| file.sync_all())
                    .map_err(|e| Error::io("sync", &path, e))?;
            }
        }
        Ok(())
    }
}

impl Staged {
    /// Renames the staged folder into place as `out/<folder>`, replacing an existing one
    /// only if staged with `force`; returns its path. Call it after [`sync_staged`].
    pub fn land(self) -> Result<PathBuf> {
        let Staged {
            staging,
            out,
            folder,
            force,
        } = self;
        let target = out.join(&folder);
        if target.exists() {
            if !force {
                return Err(Error::OutputExists { path: target });
            }
            // Move the old kit aside first so that a failed rename can put it back.
            let old = tempfile::Builder::new()
                .prefix(".interview-kit-old-")
                .tempdir_in(&out)
                .map_err(|e| Error::io("create a temporary folder in", &out, e))?;
            let aside = old.path().join(&folder);
            fs::rename(&target, &aside).map_err(|e| Error::io("move aside", &target, e))?;
            if let Err(e) = fs::rename(staging.path(), &target) {
                let _ = fs::rename(&aside, &target);
                return Err(Error::io("replace", &target, e));
            }
        } else {
            fs::rename(staging.path(), &target).map_err(|e| Error::io("create", &target, e))?;
        }
        // The staging folder now lives on as the kit; only forget it, don't delete it.
        let _ = staging.keep();
        Ok(target)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so
/// readers see the old content or the new, never a torn file.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".interview-kit-");
    // A temporary file is private (0600); the file it becomes keeps the mode it had, or
    // gets the one a plain write would give it (0666 less the umask).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut file = builder
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))?;
    // The umask applied at creation; an existing file's own mode is set as it is.
    if let Ok(existing) = fs::metadata(path) {
        file.as_file()
            .set_permissions(existing.permissions())
            .map_err(|e| Error::io("set the permissions of", file.path(), e))?;
    }
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| Error::io("write", file.path(), e))?;
    file.persist(path)
        .map_err(|e| Error::io("replace", path, e.error))?;
    Ok(())
}

/// Removes hidden staging folders (`.interview-kit-*`) that a killed run left in `out`;
/// returns how many. They are never complete kits: a kit folder appears only by rename.
pub fn remove_stale_staging(out: &Path) -> Result<usize> {
    let Ok(entries) = fs::read_dir(out) else {
        return Ok(0);
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(".interview-kit-") && entry.path().is_dir() {
            fs::remove_dir_all(entry.path())
                .map_err(|e| Error::io("remove unfinished kit", entry.path(), e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod permission_tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn a_replaced_file_keeps_its_mode_and_a_new_one_gets_the_usual_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("history.jsonl");
        fs::write(&shared, b"old").unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o664)).unwrap();
        write_file_atomic(&shared, b"new").unwrap();
        assert_eq!(
            fs::metadata(&shared).unwrap().permissions().mode() & 0o777,
            0o664
        );
        let fresh = dir.path().join("round.csv");
        write_file_atomic(&fresh, b"x").unwrap();
        let plain = dir.path().join("plain.csv");
        fs::write(&plain, b"x").unwrap();
        assert_eq!(
            fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
            fs::metadata(&plain).unwrap().permissions().mode() & 0o777,
            "as a plain write"
        );
    }
}
