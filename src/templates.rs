//! Wording and document templates (handlebars): compiled in from `templates/`, overridable file by file.

use std::collections::BTreeMap;
use std::path::Path;

use handlebars::Handlebars;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Problem, Result};

/// The built-in template files, by path relative to `templates/`.
pub const FILES: &[(&str, &str)] = &[
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
    engine: Engine,
    /// The stylesheet the HTML documents inline (`print.css`).
    css: String,
    /// Phrases without variables, rendered once: every document of a round prints them.
    labels: std::sync::RwLock<BTreeMap<String, String>>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("templates", &self.engine.origins.keys())
            .finish()
    }
}

/// A handlebars registry in strict mode with interview-kit's helpers, which remembers the
/// file and first line each template came from, so that errors name them. The document
/// templates and the export profiles ([`crate::export::Profiles`]) each have one.
///
/// A user's template is checked and compiled when it is loaded, so a mistake is reported
/// before anything is written. A built-in one (checked by the tests) is compiled the first
/// time it is rendered: a run that writes only PDFs never compiles the Markdown and HTML
/// templates or the profiles it does not export, and compiling is most of a cold start's
/// template work.
pub(crate) struct Engine {
    registry: std::sync::RwLock<Handlebars<'static>>,
    /// Built-in templates not compiled yet, by name. Held locked while one compiles, so no
    /// thread renders a template between its leaving here and its joining the registry.
    deferred: std::sync::Mutex<BTreeMap<String, String>>,
    /// Where each template came from, for messages: name → (file, first line in that file).
    origins: BTreeMap<String, (String, usize)>,
}

impl Engine {
    /// An empty registry with the helpers `html`, `inline`, `json`, `join` and `snake`.
    pub(crate) fn new() -> Engine {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        // HTML templates escape with `{{ }}`; Markdown and PDF text must not, so escaping is
        // the templates' choice: `{{html x}}` escapes explicitly.
        registry.register_escape_fn(handlebars::no_escape);
        registry.register_helper("html", Box::new(html_helper));
        registry.register_helper("inline", Box::new(inline_helper));
        registry.register_helper("json", Box::new(json_helper));
        registry.register_helper("join", Box::new(join_helper));
        registry.register_helper("snake", Box::new(snake_helper));
        Engine {
            registry: std::sync::RwLock::new(registry),
            deferred: std::sync::Mutex::new(BTreeMap::new()),
            origins: BTreeMap::new(),
        }
    }

    /// Registers `text` as `name`: a `user` template is checked and compiled now (an error
    /// is the line within `text`, when known, and the message), a built-in one on first use.
    pub(crate) fn add(
        &mut self,
        name: &str,
        text: &str,
        user: bool,
    ) -> std::result::Result<(), (Option<usize>, String)> {
        let deferred = self
            .deferred
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if user {
            deferred.remove(name);
            return self.register(name, text);
        }
        deferred.insert(name.to_owned(), text.to_owned());
        Ok(())
    }

    /// Compiles the built-in template `name` if it has not been yet.
    fn compiled(&self, name: &str) -> Result<()> {
        let mut deferred = self
            .deferred
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(text) = deferred.get(name) else {
            return Ok(());
        };
        // A template that does not compile stays deferred: every render reports it alike.
        let template =
            handlebars::Template::compile_with_name(text, name.to_owned()).map_err(|e| {
                let (file, first) = self.origin(name);
                let line = e.pos().map_or(first, |(line, _)| first + line - 1);
                Error::invalid(file, Some(line), template_message(&e))
            })?;
        deferred.remove(name);
        self.registry
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .register_template(name, template);
        Ok(())
    }

    /// Checks and compiles every template not compiled yet, exactly as a user's is: the
    /// tests prove this way that every built-in template compiles and keeps to the limits.
    #[cfg(test)]
    pub(crate) fn compile_all(&mut self) -> Result<usize> {
        let deferred = std::mem::take(
            self.deferred
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let count = deferred.len();
        for (name, text) in deferred {
            self.register(&name, &text).map_err(|(line, message)| {
                let (file, first) = self.origin(&name);
                Error::invalid(file, Some(first + line.unwrap_or(1) - 1), message)
            })?;
        }
        Ok(count)
    }

    /// The file and first line template `name` came from.
    fn origin(&self, name: &str) -> (String, usize) {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| (name.to_owned(), 1))
    }

    /// Checks `text` against the template [limits](crate::limits::check_template), then
    /// compiles it as `name`; an error is the line within `text` (when known) and the message.
    fn register(
        &mut self,
        name: &str,
        text: &str,
    ) -> std::result::Result<(), (Option<usize>, String)> {
        // The same checks as `limits::check_template`, compiling the text only once.
        crate::limits::check_nesting(text).map_err(|(line, message)| (Some(line), message))?;
        let template = handlebars::Template::compile_with_name(text, name.to_owned())
            .map_err(|e| (e.pos().map(|(line, _)| line), template_message(&e)))?;
        crate::limits::check_compiled(&template)
            .map_err(|(line, message)| (Some(line), message))?;
        self.registry
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .register_template(name, template);
        Ok(())
    }

    /// Adds the whole file `file` as template `name` (see [`Engine::add`]); an error names
    /// the file and line.
    pub(crate) fn add_file(
        &mut self,
        name: &str,
        file: &str,
        text: &str,
        user: bool,
    ) -> Result<()> {
        self.add(name, text, user)
            .map_err(|(line, message)| Error::invalid(file, line, message))?;
        self.set_origin(name.to_owned(), file, 1);
        Ok(())
    }

    /// Remembers that template `name` starts at `line` of `file`.
    pub(crate) fn set_origin(&mut self, name: String, file: &str, line: usize) {
        self.origins.insert(name, (file.to_owned(), line));
    }

    /// Whether a template `name` is registered.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    /// Renders the template `name` with `data`.
    ///
    /// A document over [`MAX_RENDERED_BYTES`](crate::limits::MAX_RENDERED_BYTES) is an error:
    /// a template that loops over loops cannot fill the memory.
    pub(crate) fn render(&self, name: &str, data: &impl Serialize) -> Result<String> {
        self.compiled(name)?;
        let mut out = Capped::default();
        let rendered = self
            .registry
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .render_to_write(name, data, &mut out);
        self.rendered(name, out, rendered, &|| {
            serde_json::to_value(data).unwrap_or(Value::Null)
        })
    }

    /// Renders `name` over data already converted for handlebars.
    pub(crate) fn render_in(&self, name: &str, context: &handlebars::Context) -> Result<String> {
        self.compiled(name)?;
        let mut out = Capped::default();
        let rendered = self
            .registry
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .render_with_context_to_write(name, context, &mut out);
        self.rendered(name, out, rendered, &|| context.data().clone())
    }

    fn rendered(
        &self,
        name: &str,
        out: Capped,
        rendered: std::result::Result<(), handlebars::RenderError>,
        data: &dyn Fn() -> Value,
    ) -> Result<String> {
        let origin = || self.origin(name);
        if out.over {
            let (file, first) = origin();
            return Err(Error::invalid(
                file,
                Some(first),
                format!(
                    "the template renders more than {} MiB (see Limits in the README); check its loops",
                    crate::limits::MAX_RENDERED_BYTES >> 20
                ),
            ));
        }
        rendered.map_err(|e| {
            let (file, first) = origin();
            // Phrases start mid-file: shift the template's own line by where it starts.
            let line = e.line_no.map(|l| first + l - 1).or(Some(first));
            let reason = match e.reason() {
                handlebars::RenderErrorReason::MissingVariable(Some(path)) => {
                    missing_variable(path, &data())
                }
                _ => {
                    let reason = e.to_string();
                    reason
                        .rsplit_once(": ")
                        .map_or(reason.as_str(), |(_, r)| r)
                        .to_owned()
                }
            };
            Error::Invalid {
                problems: vec![Problem::at(file, line, format!("template error: {reason}"))],
            }
        })?;
        // Handlebars writes whole `&str` pieces and `Capped` keeps whole pieces.
        Ok(String::from_utf8(out.bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
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
        let mut templates = Templates {
            engine: Engine::new(),
            css: String::new(),
            labels: Default::default(),
        };
        load_files(dir, FILES, |name, file, text, user| {
            templates.add(name, file, text, user)
        })?;
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
        self.engine.add_file(name, file, text, user)
    }

    fn add_phrases(&mut self, file: &str, text: &str, user: bool) -> Result<()> {
        let table: BTreeMap<String, toml::Spanned<String>> =
            toml::from_str(text).map_err(|e| Error::Invalid {
                problems: vec![crate::error::toml_problem(file, text, &e)],
            })?;
        let lines = crate::error::Lines::new(text);
        let mut problems = Vec::new();
        for (key, value) in table {
            let name = format!("{PHRASE}{key}");
            let line = lines.line(value.span().start);
            if user && !self.engine.origins.contains_key(&name) {
                problems.push(Problem::at(
                    file,
                    Some(line),
                    format!(
                        "`{}` is not a phrase interview-kit prints; check the spelling against `interview-kit init --templates`",
                        crate::limits::shown(&key)
                    ),
                ));
                continue;
            }
            if let Err((at, message)) = self.engine.add(&name, value.get_ref(), user) {
                problems.push(Problem::at(file, Some(line + at.unwrap_or(1) - 1), message));
                continue;
            }
            self.engine.set_origin(name, file, line);
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

    /// A phrase with no variables, rendered once and then reused.
    pub fn label(&self, key: &str) -> Result<String> {
        if let Some(text) = self.labels.read().ok().and_then(|l| l.get(key).cloned()) {
            return Ok(text);
        }
        let text = self.phrase(key, &Value::Null)?;
        if let Ok(mut labels) = self.labels.write() {
            labels.insert(key.to_owned(), text.clone());
        }
        Ok(text)
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
    ///
    /// A document over [`MAX_RENDERED_BYTES`](crate::limits::MAX_RENDERED_BYTES) is an error:
    /// a template that loops over loops cannot fill the memory.
    pub fn render(&self, name: &str, data: &impl Serialize) -> Result<String> {
        self.engine.render(name, data)
    }

    /// Renders `name` over data already converted for handlebars: many templates over one
    /// context (a scorecard row's cells) convert the data once instead of once each.
    pub fn render_in(&self, name: &str, context: &handlebars::Context) -> Result<String> {
        self.engine.render_in(name, context)
    }

    /// The stylesheet the HTML documents inline.
    pub fn css(&self) -> &str {
        &self.css
    }
}

/// Loads `files` (name relative to `templates/`, built-in text) through `add(name, file,
/// text, user)`, then each file of `dir` with the same name, which replaces it (`user` set).
pub(crate) fn load_files(
    dir: Option<&Path>,
    files: &[(&str, &str)],
    mut add: impl FnMut(&str, &str, &str, bool) -> Result<()>,
) -> Result<()> {
    for (name, text) in files {
        add(name, &format!("templates/{name}"), text, false)?;
    }
    let Some(dir) = dir else {
        return Ok(());
    };
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "templates folder `{}` does not exist; create it with `interview-kit init --templates {}`",
            dir.display(),
            dir.display()
        )));
    }
    for (name, _) in files {
        let path = dir.join(name);
        if path.exists() {
            let text = crate::limits::read_text(&path, crate::limits::Input::Template)?;
            add(name, &path.display().to_string(), &text, true)?;
        }
    }
    Ok(())
}

/// Writes `files` (name relative to the folder, text) into `dir` for editing; refuses to
/// overwrite without `force`, and then writes nothing.
pub fn write_files(
    dir: &Path,
    files: &[(&str, &str)],
    force: bool,
) -> Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    let mut written = Vec::new();
    // Check every file first, so a refusal leaves the folder as it was.
    if !force
        && let Some(path) = files
            .iter()
            .map(|(name, _)| dir.join(name))
            .find(|p| p.exists())
    {
        return Err(Error::FileExists { path });
    }
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
        }
        crate::output::write_file_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Rendered output that stops growing at [`MAX_RENDERED_BYTES`](crate::limits::MAX_RENDERED_BYTES).
#[derive(Default)]
struct Capped {
    bytes: Vec<u8>,
    /// Set when a write was refused for going over the limit.
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > crate::limits::MAX_RENDERED_BYTES {
            self.over = true;
            return Err(std::io::Error::other("the rendered document is too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a template names that the data does not have (`kit.titel`), and the names that
/// exist where it looked: the keys of the deepest object the path reaches.
fn missing_variable(path: &str, data: &impl Serialize) -> String {
    let root = serde_json::to_value(data).unwrap_or(Value::Null);
    let segments: Vec<&str> = path.split('.').collect();
    let mut object = &root;
    let mut reached = Vec::new();
    for segment in &segments[..segments.len() - 1] {
        match object.get(segment) {
            Some(next @ Value::Object(_)) => {
                object = next;
                reached.push(*segment);
            }
            _ => break,
        }
    }
    let names: Vec<String> = object
        .as_object()
        .map(|o| o.keys().map(|k| format!("`{k}`")).collect())
        .unwrap_or_default();
    let (place, hint) = if reached.is_empty() {
        (
            "the variables at the top level are".to_owned(),
            "; inside `{{#each}}` the names are those of each item",
        )
    } else {
        (format!("`{}` has", reached.join(".")), "")
    };
    format!(
        "the variable `{path}` does not exist; {place} {} (see Templates in the README{hint})",
        names.join(", ")
    )
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

/// `{{inline text}}` writes `text` HTML-escaped with each pair of backticks as a `<code>`
/// span, the way the PDF sets inline code in monospace; a lone backtick stays as written.
fn inline_helper(
    h: &handlebars::Helper<'_>,
    _: &Handlebars<'_>,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext<'_, '_>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let text = h.param(0).map(|p| plain(p.value())).unwrap_or_default();
    out.write(&inline_code_html(&text))?;
    Ok(())
}

/// HTML-escapes `text` and turns each `` `span` `` into `<code>span</code>`.
pub fn inline_code_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('`') else {
            break;
        };
        out.push_str(&handlebars::html_escape(&rest[..start]));
        out.push_str("<code>");
        out.push_str(&handlebars::html_escape(&after[..end]));
        out.push_str("</code>");
        rest = &after[end + 1..];
    }
    out.push_str(&handlebars::html_escape(rest));
    out
}

/// `{{json value}}` writes `value` as JSON (a string gets its quotes and escapes);
/// `{{#json}}text {{x}}{{/json}}` renders the block and writes it as one JSON string.
fn json_helper<'reg, 'rc>(
    h: &handlebars::Helper<'rc>,
    r: &'reg Handlebars<'reg>,
    ctx: &'rc handlebars::Context,
    rc: &mut handlebars::RenderContext<'reg, 'rc>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    use handlebars::Renderable as _;
    let value = match h.template() {
        Some(block) => Value::String(block.renders(r, ctx, rc)?),
        None => h.param(0).map(|p| p.value().clone()).unwrap_or(Value::Null),
    };
    out.write(&value.to_string())?;
    Ok(())
}

/// `{{join list}}` writes the items of `list` one per line; `{{join list ", "}}` uses the
/// given separator. A string is written as it is.
fn join_helper(
    h: &handlebars::Helper<'_>,
    _: &Handlebars<'_>,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext<'_, '_>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let separator = h.param(1).and_then(|p| p.value().as_str()).unwrap_or("\n");
    let text = match h.param(0).map(|p| p.value()) {
        Some(Value::Array(items)) => items.iter().map(plain).collect::<Vec<_>>().join(separator),
        Some(other) => plain(other),
        None => String::new(),
    };
    out.write(&text)?;
    Ok(())
}

/// `{{snake "Not yet"}}` writes `not_yet`: a label made safe for a machine-readable header.
fn snake_helper(
    h: &handlebars::Helper<'_>,
    _: &Handlebars<'_>,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext<'_, '_>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let text = h.param(0).map(|p| plain(p.value())).unwrap_or_default();
    out.write(&slug::slugify(text).replace('-', "_"))?;
    Ok(())
}

/// A JSON value as text: strings without quotes, null as nothing.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_builtin_template_and_profile_compiles_within_the_limits() {
        // Built-in templates are compiled on first use; this compiles them all now.
        let mut templates = Templates::load(None).unwrap();
        let compiled = templates.engine.compile_all().unwrap();
        assert!(
            compiled > 20,
            "only {compiled} built-in templates were deferred"
        );
        let mut profiles = crate::export::Profiles::load(None).unwrap();
        assert!(profiles.compile_all().unwrap() > 10);
        // Rendering a compiled template still works, and nothing is left to compile.
        assert!(!templates.label("interviewer_header").unwrap().is_empty());
        assert_eq!(templates.engine.compile_all().unwrap(), 0);
    }

    #[test]
    fn phrases_render_with_variables() {
        let t = Templates::builtin();
        assert_eq!(
            t.phrase(
                "question_heading",
                &json!({"number": 3, "title": "Mocks at the boundary"})
            )
            .unwrap(),
            "Question 3 · Mocks at the boundary"
        );
        assert_eq!(
            t.phrase(
                "rubric_3",
                &json!({"core": "predicts `[1]`; explains sharing"})
            )
            .unwrap(),
            "Unprompted and accurate on the core: predicts `[1]`; explains sharing."
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
    fn a_document_over_the_size_limit_is_an_error_not_a_memory_hog() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("handout.md.hbs"), "{{x}}{{x}}").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let half = "a".repeat(crate::limits::MAX_RENDERED_BYTES / 2 + 1);
        let err = t
            .render("handout.md.hbs", &json!({ "x": half }))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the template renders more than 16 MiB"),
            "{err}"
        );
        let fits = t.render("handout.md.hbs", &json!({ "x": "ab" })).unwrap();
        assert_eq!(fits, "abab");
    }

    #[test]
    fn inline_code_becomes_escaped_code_spans() {
        assert_eq!(
            inline_code_html("raise `InvalidAccountError` <now> & `a<b`, or `"),
            "raise <code>InvalidAccountError</code> &lt;now&gt; &amp; <code>a&lt;b</code>, or &#x60;"
        );
        assert_eq!(inline_code_html("no code"), "no code");
    }

    #[test]
    fn missing_templates_folder_is_an_error() {
        assert!(Templates::load(Some(Path::new("/nonexistent/templates"))).is_err());
    }
}
