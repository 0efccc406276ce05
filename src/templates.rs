//! Wording and document templates (handlebars): compiled in from `templates/`, overridable file by file.

use std::collections::BTreeMap;
use std::path::Path;

use handlebars::Handlebars;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Problem, Result, line_of};

/// The built-in template files, by path relative to `templates/`.
const BUILTIN: &[(&str, &str)] = &[
    ("wording.toml", include_str!("../templates/wording.toml")),
    (
        "interviewer.md.hbs",
        include_str!("../templates/interviewer.md.hbs"),
    ),
    (
        "handout.md.hbs",
        include_str!("../templates/handout.md.hbs"),
    ),
    (
        "interviewer.html.hbs",
        include_str!("../templates/interviewer.html.hbs"),
    ),
    (
        "handout.html.hbs",
        include_str!("../templates/handout.html.hbs"),
    ),
    ("print.css", include_str!("../templates/print.css")),
];

/// Prefix of the handlebars names of wording phrases (`wording.toml#question_heading`).
const PHRASE: &str = "wording.toml#";

/// The loaded templates: every phrase and document template, compiled once.
pub struct Templates {
    registry: Handlebars<'static>,
    /// The stylesheet the HTML documents inline (`print.css`).
    css: String,
    /// Where each template came from, for messages: name → (file, first line in that file).
    origins: BTreeMap<String, (String, usize)>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("templates", &self.origins.keys())
            .finish()
    }
}

impl Templates {
    /// The templates compiled into the binary, compiled once per process.
    pub fn builtin() -> &'static Templates {
        static BUILTIN: std::sync::OnceLock<Templates> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| Self::load(None).expect("the built-in templates compile"))
    }

    /// The built-in templates with any file of `dir` replacing its namesake; phrases of a
    /// `wording.toml` in `dir` replace the built-in phrases one by one.
    pub fn load(dir: Option<&Path>) -> Result<Templates> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        // HTML templates escape with `{{ }}`; Markdown and PDF text must not, so escaping is
        // the templates' choice: `{{html x}}` escapes explicitly.
        registry.register_escape_fn(handlebars::no_escape);
        registry.register_helper("html", Box::new(html_helper));
        let mut templates = Templates {
            registry,
            css: String::new(),
            origins: BTreeMap::new(),
        };
        for (name, text) in BUILTIN {
            templates.add(name, &format!("templates/{name}"), text, false)?;
        }
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(Error::Usage(format!(
                    "templates folder `{}` does not exist; create it with `interview-kit init --templates {}`",
                    dir.display(),
                    dir.display()
                )));
            }
            for (name, _) in BUILTIN {
                let path = dir.join(name);
                if path.exists() {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| Error::io("read template", &path, e))?;
                    templates.add(name, &path.display().to_string(), &text, true)?;
                }
            }
        }
        Ok(templates)
    }

    fn add(&mut self, name: &str, file: &str, text: &str, user: bool) -> Result<()> {
        if name.ends_with(".toml") {
            return self.add_phrases(file, text, user);
        }
        if name.ends_with(".css") {
            // A stylesheet is data: the HTML templates inline it as `{{{css}}}`.
            self.css = text.to_owned();
            return Ok(());
        }
        self.registry
            .register_template_string(name, text)
            .map_err(|e| template_error(file, &e))?;
        self.origins.insert(name.to_owned(), (file.to_owned(), 1));
        Ok(())
    }

    fn add_phrases(&mut self, file: &str, text: &str, user: bool) -> Result<()> {
        let table: BTreeMap<String, toml::Spanned<String>> = toml::from_str(text).map_err(|e| {
            Error::invalid(
                file,
                e.span().map(|s| line_of(text, s.start)),
                e.message().lines().next().unwrap_or_default(),
            )
        })?;
        let mut problems = Vec::new();
        for (key, value) in table {
            let name = format!("{PHRASE}{key}");
            let line = line_of(text, value.span().start);
            if user && !self.origins.contains_key(&name) {
                problems.push(Problem::at(
                    file,
                    Some(line),
                    format!("`{key}` is not a phrase interview-kit prints; check the spelling against `interview-kit init --templates`"),
                ));
                continue;
            }
            if let Err(e) = self
                .registry
                .register_template_string(&name, value.get_ref())
            {
                problems.push(Problem::at(file, Some(line), template_message(&e)));
                continue;
            }
            self.origins.insert(name, (file.to_owned(), line));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid { problems })
        }
    }

    /// Renders the phrase `key` of `wording.toml` with `data`.
    pub fn phrase(&self, key: &str, data: &impl Serialize) -> Result<String> {
        self.render(&format!("{PHRASE}{key}"), data)
    }

    /// A phrase with no variables.
    pub fn label(&self, key: &str) -> Result<String> {
        self.phrase(key, &Value::Null)
    }

    /// A phrase split on `|` into column headings.
    pub fn columns(&self, key: &str) -> Result<Vec<String>> {
        Ok(self
            .label(key)?
            .split('|')
            .map(|s| s.trim().to_owned())
            .collect())
    }

    /// Renders the template `name` (e.g. `interviewer.md.hbs`) with `data`.
    pub fn render(&self, name: &str, data: &impl Serialize) -> Result<String> {
        self.registry.render(name, data).map_err(|e| {
            let (file, first) = self
                .origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| (name.to_owned(), 1));
            // Phrases start mid-file: shift the template's own line by where it starts.
            let line = e.line_no.map(|l| first + l - 1).or(Some(first));
            let reason = e.to_string();
            let reason = reason
                .rsplit_once(": ")
                .map_or(reason.as_str(), |(_, r)| r)
                .to_owned();
            Error::Invalid {
                problems: vec![Problem::at(file, line, format!("template error: {reason}"))],
            }
        })
    }

    /// The stylesheet the HTML documents inline.
    pub fn css(&self) -> &str {
        &self.css
    }
}

/// Writes the built-in template files into `dir` for editing; refuses to overwrite without `force`.
pub fn write_defaults(dir: &Path, force: bool) -> Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    let mut written = Vec::new();
    for (name, text) in BUILTIN {
        let path = dir.join(name);
        if path.exists() && !force {
            return Err(Error::OutputExists { path });
        }
        crate::output::write_file_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

fn template_error(file: &str, e: &handlebars::TemplateError) -> Error {
    let line = e.pos().map(|(line, _)| line);
    Error::invalid(file, line, template_message(e))
}

fn template_message(e: &handlebars::TemplateError) -> String {
    format!("template syntax error: {}", e.reason())
}

fn html_helper(
    h: &handlebars::Helper<'_>,
    _: &Handlebars<'_>,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext<'_, '_>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let value = h.param(0).map(|p| p.value()).unwrap_or(&Value::Null);
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    out.write(&handlebars::html_escape(&text))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn phrases_render_with_variables() {
        let t = Templates::builtin();
        assert_eq!(
            t.phrase(
                "question_heading",
                &json!({"number": 3, "topic": "Testing", "level": "mid", "minutes": 7})
            )
            .unwrap(),
            "Question 3 · Testing · mid · 7 min"
        );
        assert_eq!(
            t.phrase("rubric_2", &json!({"points": 3, "low": 1, "high": 1}))
                .unwrap()
                .split(" of")
                .next(),
            Some("Makes 1")
        );
        assert_eq!(
            t.columns("rubric_columns").unwrap(),
            ["Score", "Level", "What you observe"]
        );
    }

    #[test]
    fn user_phrases_override_one_by_one_and_unknown_variables_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("wording.toml"),
            "\n\nnotes_label = \"Jot here\"\nscore_label = \"Mark {{nope}}\"\n",
        )
        .unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        assert_eq!(t.label("notes_label").unwrap(), "Jot here");
        assert_eq!(t.label("purpose_label").unwrap(), "Purpose");
        let err = t.label("score_label").unwrap_err().to_string();
        let file = dir.path().join("wording.toml");
        assert!(
            err.starts_with(&format!("`{}` line 4: template error:", file.display())),
            "{err}"
        );
        assert!(err.contains("nope"), "{err}");
    }

    #[test]
    fn unknown_phrase_keys_and_bad_syntax_are_reported_with_lines() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("wording.toml"),
            "notes_lable = \"x\"\nscore_label = \"{{#if}}\"\n",
        )
        .unwrap();
        let err = Templates::load(Some(dir.path())).unwrap_err().to_string();
        assert!(
            err.contains("line 1: `notes_lable` is not a phrase"),
            "{err}"
        );
        assert!(err.contains("line 2: template syntax error"), "{err}");
    }

    #[test]
    fn missing_templates_folder_is_an_error() {
        assert!(Templates::load(Some(Path::new("/nonexistent/templates"))).is_err());
    }
}
