//! HTML pages from the handlebars templates in `templates/web/` (compiled in, each file
//! replaceable by `--templates DIR` holding `web/NAME`), with HTML escaping on every `{{ }}`.

use std::path::Path;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use handlebars::Handlebars;
use serde_json::{Value, json};

use super::AppState;
use super::auth::Viewer;
use super::error::{WebError, WebResult};
use crate::error::{Error, Result};

/// The built-in page templates, by file name in `templates/web/`.
const BUILTIN: &[(&str, &str)] = &[
    ("layout.hbs", include_str!("../../templates/web/layout.hbs")),
    ("login.hbs", include_str!("../../templates/web/login.hbs")),
    ("error.hbs", include_str!("../../templates/web/error.hbs")),
    ("bank.hbs", include_str!("../../templates/web/bank.hbs")),
    (
        "question.hbs",
        include_str!("../../templates/web/question.hbs"),
    ),
    ("lint.hbs", include_str!("../../templates/web/lint.hbs")),
    ("rounds.hbs", include_str!("../../templates/web/rounds.hbs")),
    (
        "new_round.hbs",
        include_str!("../../templates/web/new_round.hbs"),
    ),
    ("round.hbs", include_str!("../../templates/web/round.hbs")),
    ("kit.hbs", include_str!("../../templates/web/kit.hbs")),
    (
        "handout.hbs",
        include_str!("../../templates/web/handout.hbs"),
    ),
];

/// The built-in static files, by name under `/static/`.
const STATIC: &[(&str, &str)] = &[
    ("app.css", include_str!("../../templates/web/app.css")),
    ("app.js", include_str!("../../templates/web/app.js")),
];

/// The compiled page templates and static files.
pub struct Pages {
    registry: Handlebars<'static>,
    statics: Vec<(String, String)>,
    print_css: String,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl Pages {
    /// The built-in pages, with any `DIR/web/NAME` of `dir` replacing its namesake.
    pub fn load(dir: Option<&Path>, print_css: &str) -> Result<Pages> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.set_prevent_indent(true);
        for (name, text) in BUILTIN {
            let (file, text) = overridden(dir, name, text)?;
            let stem = name.trim_end_matches(".hbs");
            registry
                .register_template_string(stem, &text)
                .map_err(|e| {
                    Error::invalid(
                        file.clone(),
                        e.pos().map(|(line, _)| line),
                        format!("template error: {}", e.reason()),
                    )
                })?;
            if stem == "layout" {
                registry.register_partial("layout", &text).map_err(|e| {
                    Error::invalid(file, e.pos().map(|(line, _)| line), e.reason().to_string())
                })?;
            }
        }
        let mut statics = Vec::new();
        for (name, text) in STATIC {
            let (_, text) = overridden(dir, name, text)?;
            statics.push(((*name).to_owned(), text));
        }
        Ok(Pages {
            registry,
            statics,
            print_css: print_css.to_owned(),
        })
    }

    /// Renders page `name` with `data`; `viewer` adds the CSRF token forms carry.
    pub fn render(
        &self,
        name: &str,
        viewer: Option<&Viewer>,
        data: Value,
    ) -> WebResult<Html<String>> {
        let mut data = data;
        if let Value::Object(map) = &mut data {
            map.insert(
                "csrf".into(),
                viewer.map_or(Value::Null, |v| Value::String(v.session.csrf.clone())),
            );
            map.insert("signed_in".into(), Value::Bool(viewer.is_some()));
            map.entry("title").or_insert(Value::String(String::new()));
            map.entry("nav").or_insert(Value::String(String::new()));
        }
        self.registry
            .render(name, &data)
            .map(Html)
            .map_err(|e| WebError::internal(format!("page template `{name}`: {e}")))
    }

    /// The login page, with status 401.
    pub fn login_response(&self) -> Response {
        match self.render("login", None, json!({"title": "Sign in"})) {
            Ok(html) => (StatusCode::UNAUTHORIZED, html).into_response(),
            Err(_) => WebError::unauthorized().json(),
        }
    }

    /// An error as a page.
    pub fn error_page(&self, err: &WebError) -> WebResult<Html<String>> {
        self.render(
            "error",
            None,
            json!({
                "title": err.status.canonical_reason().unwrap_or("Error"),
                "status": err.status.as_u16(),
                "code": err.code,
                "detail": err.detail,
            }),
        )
    }

    /// A static file's contents and type.
    pub fn static_file(&self, name: &str) -> Option<(&'static str, String)> {
        if name == "print.css" {
            return Some(("text/css; charset=utf-8", self.print_css.clone()));
        }
        let (_, text) = self.statics.iter().find(|(n, _)| n == name)?;
        let kind = if name.ends_with(".css") {
            "text/css; charset=utf-8"
        } else {
            "text/javascript; charset=utf-8"
        };
        Some((kind, text.clone()))
    }
}

/// The text of `name`: `dir/web/name` when it exists, else the built-in one.
fn overridden(dir: Option<&Path>, name: &str, builtin: &str) -> Result<(String, String)> {
    if let Some(dir) = dir {
        let path = dir.join("web").join(name);
        if path.exists() {
            let text = crate::limits::read_text(&path, crate::limits::Input::Template)?;
            return Ok((path.display().to_string(), text));
        }
    }
    Ok((format!("templates/web/{name}"), builtin.to_owned()))
}

/// Middleware of the page routes: an error a handler returned becomes an HTML page.
pub async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let Some(err) = response.extensions().get::<WebError>().cloned() else {
        return response;
    };
    match state.pages.error_page(&err) {
        Ok(html) => (err.status, html).into_response(),
        Err(_) => response,
    }
}

/// Serves `/static/{name}`: the stylesheets and the one script (no inline script anywhere).
pub async fn static_file(
    State(state): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Response {
    match state.pages.static_file(&name) {
        Some((kind, text)) => (
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            text,
        )
            .into_response(),
        None => WebError::not_found(format!("no static file `{name}`")).into_response(),
    }
}
