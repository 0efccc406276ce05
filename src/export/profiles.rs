//! The export profiles and the rating scale they write on: built in, or replaced and added to from a templates folder's `scale.toml` and `profiles/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Problem, Result};
use crate::templates::{Engine, load_files};

use super::profile::{self, Profile};
use super::scale::Scale;

/// The built-in files, by path relative to `templates/`.
pub const FILES: &[(&str, &str)] = &[
    ("scale.toml", include_str!("../../templates/scale.toml")),
    (
        "profiles/generic.toml",
        include_str!("../../templates/profiles/generic.toml"),
    ),
    (
        "profiles/greenhouse.toml",
        include_str!("../../templates/profiles/greenhouse.toml"),
    ),
    (
        "profiles/lever.toml",
        include_str!("../../templates/profiles/lever.toml"),
    ),
    (
        "profiles/lever.json.hbs",
        include_str!("../../templates/profiles/lever.json.hbs"),
    ),
    (
        "profiles/workable.toml",
        include_str!("../../templates/profiles/workable.toml"),
    ),
    (
        "profiles/ashby.toml",
        include_str!("../../templates/profiles/ashby.toml"),
    ),
    (
        "profiles/workable-stars.toml",
        include_str!("../../templates/profiles/workable-stars.toml"),
    ),
    (
        "profiles/workable-numbers.toml",
        include_str!("../../templates/profiles/workable-numbers.toml"),
    ),
    (
        "profiles/interview-prep.html.hbs",
        include_str!("../../templates/profiles/interview-prep.html.hbs"),
    ),
];

/// Folder of export profiles inside a templates folder.
const FOLDER: &str = "profiles";

/// Every export profile by name, its compiled cell and file templates, and the rating scale.
pub struct Profiles {
    engine: Engine,
    profiles: BTreeMap<String, Profile>,
    scale: Scale,
}

impl std::fmt::Debug for Profiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profiles")
            .field("profiles", &self.profiles.keys())
            .finish()
    }
}

impl Profiles {
    /// The built-in profiles and scale, loaded once per process.
    pub fn builtin() -> &'static Profiles {
        static BUILTIN: std::sync::OnceLock<Profiles> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| Self::load(None).expect("the built-in profiles load"))
    }

    /// The built-in profiles and scale, with any file of `dir` (`scale.toml`,
    /// `profiles/NAME.toml` and the templates they name) replacing its namesake, and any
    /// further `profiles/NAME.toml` a profile of its own.
    pub fn load(dir: Option<&Path>) -> Result<Profiles> {
        let mut profiles = Profiles {
            engine: Engine::new(),
            profiles: BTreeMap::new(),
            scale: Scale::builtin().clone(),
        };
        load_files(dir, FILES, |name, file, text, user| {
            profiles.add(name, file, text, user)
        })?;
        if let Some(dir) = dir {
            // Profiles are open-ended: any `profiles/NAME.toml` (and the `.hbs` files they
            // name) is a profile of its own, not only the built-in ones.
            for (name, path) in extra_files(dir)? {
                let text = crate::limits::read_text(&path, crate::limits::Input::Template)?;
                profiles.add(&name, &path.display().to_string(), &text, true)?;
            }
        }
        profiles.resolve()?;
        profiles.check()?;
        Ok(profiles)
    }

    fn add(&mut self, name: &str, file: &str, text: &str, user: bool) -> Result<()> {
        if name == "scale.toml" {
            self.scale = Scale::parse(file, text)?;
            return Ok(());
        }
        if let Some(profile) = name
            .strip_prefix("profiles/")
            .and_then(|n| n.strip_suffix(".toml"))
        {
            return self.add_profile(profile, file, text, user);
        }
        self.engine.add_file(name, file, text, user)
    }

    fn add_profile(&mut self, name: &str, file: &str, text: &str, user: bool) -> Result<()> {
        let parsed = profile::parse(name, file, text)?;
        let mut problems = Vec::new();
        for (template, body, line) in parsed.templates {
            if let Err((at, message)) = self.engine.add(&template, &body, user) {
                // The template's own line counts from the start of its TOML string.
                let at = line + at.unwrap_or(1) - 1;
                problems.push(Problem::at(file, Some(at), message));
                continue;
            }
            self.engine.set_origin(template, file, line);
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { problems });
        }
        self.profiles.insert(name.to_owned(), parsed.profile);
        Ok(())
    }

    /// Fills each profile's named rating scales in from `scale.toml`, once all files are in.
    fn resolve(&mut self) -> Result<()> {
        let scale = &self.scale;
        let problems: Vec<Problem> = self
            .profiles
            .values_mut()
            .filter_map(|p| p.resolve(scale).err())
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid { problems })
        }
    }

    /// Every further template a profile names must exist once all files are in.
    fn check(&self) -> Result<()> {
        let problems: Vec<Problem> = self
            .profiles
            .values()
            .flat_map(|p| p.json.iter().map(move |j| (p, j)))
            .filter(|(_, j)| !self.engine.has(&j.template))
            .map(|(p, j)| {
                Problem::at(
                    &p.source,
                    Some(j.line),
                    format!(
                        "template `{}` does not exist; add it next to the profile",
                        j.template
                    ),
                )
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid { problems })
        }
    }

    /// The export profile `name` (any case), or an error listing the profiles there are.
    pub fn get(&self, name: &str) -> Result<&Profile> {
        // Names are case-insensitive: `GreenHouse` finds `greenhouse`, `myats` finds `MyATS`.
        let found = self.profiles.get(name).or_else(|| {
            self.profiles
                .iter()
                .find(|(known, _)| known.to_lowercase() == name.to_lowercase())
                .map(|(_, profile)| profile)
        });
        found.ok_or_else(|| {
            Error::Usage(format!(
                "unknown export profile `{name}`; the profiles are {}. Add your own as DIR/{FOLDER}/{name}.toml and pass --templates DIR",
                self.names()
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// Names of every export profile, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.profiles.keys().map(String::as_str).collect()
    }

    /// The rating scale and how each export target reads it.
    pub fn scale(&self) -> &Scale {
        &self.scale
    }

    /// Compiles every built-in profile template not compiled yet (see `Engine::compile_all`).
    #[cfg(test)]
    pub(crate) fn compile_all(&mut self) -> Result<usize> {
        self.engine.compile_all()
    }

    /// Renders the profile template `name` with `data`.
    pub(crate) fn render(&self, name: &str, data: &impl Serialize) -> Result<String> {
        self.engine.render(name, data)
    }

    /// Renders `name` over data already converted for handlebars.
    pub(crate) fn render_in(&self, name: &str, context: &handlebars::Context) -> Result<String> {
        self.engine.render_in(name, context)
    }
}

/// Profile files in `dir/profiles/` that are not built in, as (template name, path), sorted.
fn extra_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let folder = dir.join(FOLDER);
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(&folder).map_err(|e| Error::io("read folder", &folder, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read folder", &folder, e))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let name = format!("{FOLDER}/{file_name}");
        let wanted = file_name.ends_with(".toml") || file_name.ends_with(".hbs");
        if wanted && !FILES.iter().any(|(builtin, _)| *builtin == name) {
            files.push((name, entry.path()));
        }
    }
    // The `.hbs` files first: a profile's JSON template is then known when it is checked.
    files.sort_by_key(|(name, _)| (name.ends_with(".toml"), name.clone()));
    Ok(files)
}
