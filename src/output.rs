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
/// [`Staged::sync`], [`Staged::land`] and [`sync_folder`] for one kit.
///
/// An existing folder is replaced only with `force`.
pub fn write_kit(out: &Path, folder: &str, documents: &[Document], force: bool) -> Result<PathBuf> {
    let staged = stage_kit(out, folder, documents, force)?;
    staged.sync()?;
    let path = staged.land()?;
    sync_folder(out)?;
    Ok(path)
}

/// A kit's files written into a hidden staging folder inside `out`, not yet synced and not
/// yet in place. Dropped without [`Staged::land`], the staging folder is removed.
#[derive(Debug)]
pub struct Staged {
    staging: tempfile::TempDir,
    /// Each file as written, still open: syncing this handle reports any error in writing
    /// the file back to disk since it was opened, whoever else flushed the disk meanwhile.
    files: Vec<(PathBuf, fs::File)>,
    out: PathBuf,
    folder: String,
    force: bool,
}

/// Writes `documents` into a hidden staging folder of `out` (created if needed), for the
/// kit folder `folder`. Fails at once, writing nothing, when `out/<folder>` exists and
/// `force` is not set.
///
/// Nothing is synced here: a round stages many kits, [`flush`]es the disk once and then
/// [`Staged::sync`]s each kit, whose files are then already on disk.
pub fn stage_kit(out: &Path, folder: &str, documents: &[Document], force: bool) -> Result<Staged> {
    use std::io::Write as _;
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
    let mut files = Vec::with_capacity(documents.len());
    for doc in documents {
        let path = staging.path().join(&doc.name);
        let file = fs::File::create(&path)
            .and_then(|mut file| file.write_all(&doc.bytes).map(|()| file))
            .map_err(|e| Error::io("write", &path, e))?;
        files.push((path, file));
    }
    Ok(Staged {
        staging,
        files,
        out: out.to_owned(),
        force,
        folder: folder.to_owned(),
    })
}

/// Writes back everything the file system holding `out` has in memory (Linux: one
/// `syncfs`; elsewhere nothing), so that the [`Staged::sync`] of each kit staged before
/// finds its files already on disk: one flush for a group of kits instead of one per file.
///
/// Its own result is ignored on purpose: a write error is reported by the `Staged::sync`
/// of the file it happened to, which this cannot tell apart from any other file there.
pub fn flush(out: &Path) {
    #[cfg(target_os = "linux")]
    if let Ok(dir) = fs::File::open(out) {
        let _ = rustix::fs::syncfs(&dir);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = out;
}

/// Syncs the folder `out`, so that the kit folders renamed into it are on disk before they
/// are recorded as written.
pub fn sync_folder(out: &Path) -> Result<()> {
    #[cfg(unix)]
    fs::File::open(out)
        .and_then(|dir| dir.sync_all())
        .map_err(|e| Error::io("sync", out, e))?;
    #[cfg(not(unix))]
    let _ = out;
    Ok(())
}

impl Staged {
    /// Makes the kit's files durable, or reports the file that could not be written.
    ///
    /// `--resume` trusts any kit folder it finds, so a folder must never land with files a
    /// power cut could still truncate: this runs before [`Staged::land`].
    pub fn sync(&self) -> Result<()> {
        for (path, file) in &self.files {
            file.sync_data().map_err(|e| Error::io("write", path, e))?;
        }
        Ok(())
    }

    /// Renames the staged folder into place as `out/<folder>`, replacing an existing one
    /// only if staged with `force`; returns its path. Call it after [`Staged::sync`], and
    /// [`sync_folder`] after it.
    pub fn land(self) -> Result<PathBuf> {
        let Staged {
            staging,
            files,
            out,
            folder,
            force,
        } = self;
        drop(files);
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
                if fs::rename(&aside, &target).is_err() {
                    // Neither the new kit nor the old one is in place: keep the old one
                    // where it is and say where, rather than delete it with `old`.
                    let kept = old.keep();
                    return Err(Error::Conflict(format!(
                        "cannot replace {}: {e}; the old kit is kept in {}, move it back by hand",
                        target.display(),
                        kept.join(&folder).display()
                    )));
                }
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
