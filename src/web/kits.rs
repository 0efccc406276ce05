//! Kits: the interviewer packet as a page, each file of a kit rendered from its record, and
//! the candidate handout links (create, revoke).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::auth::{ApiCaller, Viewer, random_token};
use super::error::{WebError, WebResult};
use super::store::KitEntry;
use crate::render::{DocOptions, Markup};

/// A form that carries only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    /// The session's CSRF token.
    #[serde(default)]
    pub csrf: String,
}

fn find(state: &AppState, code: &str) -> WebResult<KitEntry> {
    state.store.kit(code)?.ok_or_else(|| {
        WebError::not_found(format!(
            "no written kit `{}` in the workspace",
            crate::limits::shown(code)
        ))
    })
}

/// The part of an HTML document between `<body …>` and `</body>` (the whole text when a
/// custom template has no body element).
pub fn body_of(html: &str) -> &str {
    let start = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    let end = html.rfind("</body>");
    match (start, end) {
        (Some(s), Some(e)) if s <= e => &html[s..e],
        _ => html,
    }
}

/// The content type of a kit file, by its extension.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("pdf") => "application/pdf",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("html") => "text/html; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A file as a download named `CODE-NAME`.
pub fn download(code: &str, name: &str, bytes: Vec<u8>) -> Response {
    let file: String = format!("{code}-{name}")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type(name).to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn render_kit_page(
    state: &AppState,
    viewer: &Viewer,
    code: &str,
    new_link: Option<String>,
) -> WebResult<Html<String>> {
    let entry = find(state, code)?;
    let (packet, files) = {
        let state = state.clone();
        let entry = entry.clone();
        tokio::task::spawn_blocking(move || -> WebResult<(String, Vec<String>)> {
            let doc = DocOptions {
                date: entry.options.settings.date.clone(),
                paper: entry.options.settings.paper,
            };
            let html = crate::render::interviewer_markup(
                &entry.kit,
                &state.templates,
                &doc,
                Markup::Html,
            )?;
            let html = String::from_utf8(html)
                .map_err(|_| WebError::internal("the interviewer page is not UTF-8"))?;
            Ok((
                body_of(&html).to_owned(),
                entry.file_names(&state.templates, &state.exports)?,
            ))
        })
        .await??
    };
    state.pages.render(
        "kit",
        Some(viewer),
        json!({
            "title": format!("Kit {} — {}", entry.info.code, entry.info.candidate),
            "nav": "rounds",
            "kit": entry.info,
            "files": files,
            "packet": packet,
            "new_link": new_link,
        }),
    )
}

/// `GET /kits/{code}`: the interviewer packet as a page, the kit's files, its handout link.
pub async fn kit_page(
    viewer: Viewer,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> WebResult<Html<String>> {
    render_kit_page(&state, &viewer, &code, None).await
}

async fn file(state: &AppState, code: &str, name: &str) -> WebResult<Response> {
    let entry = find(state, code)?;
    let state2 = state.clone();
    let wanted = name.to_owned();
    let doc = tokio::task::spawn_blocking(move || {
        entry.document(&state2.templates, &state2.exports, &wanted)
    })
    .await??;
    match doc {
        Some(doc) => Ok(download(code, &doc.name, doc.bytes)),
        None => Err(WebError::not_found(format!(
            "kit `{}` has no file `{}`",
            crate::limits::shown(code),
            crate::limits::shown(name)
        ))),
    }
}

/// `GET /kits/{code}/files/{name}`: one file of the kit.
pub async fn file_page(
    _viewer: Viewer,
    State(state): State<AppState>,
    Path((code, name)): Path<(String, String)>,
) -> WebResult<Response> {
    file(&state, &code, &name).await
}

fn create_link(state: &AppState, code: &str) -> WebResult<String> {
    find(state, code)?;
    let token = random_token()?;
    state.store.create_link(code, &token)?;
    Ok(format!("{}/h/{token}", state.base_url))
}

/// `POST /kits/{code}/handout-link`: a new link, shown once on the kit page.
pub async fn link_form(
    viewer: Viewer,
    State(state): State<AppState>,
    Path(code): Path<String>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> WebResult<Html<String>> {
    viewer.check_csrf(&form.csrf)?;
    let url = create_link(&state, &code)?;
    render_kit_page(&state, &viewer, &code, Some(url)).await
}

/// `POST /kits/{code}/handout-link/revoke`: every link of the kit stops working.
pub async fn revoke_form(
    viewer: Viewer,
    State(state): State<AppState>,
    Path(code): Path<String>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> WebResult<Response> {
    viewer.check_csrf(&form.csrf)?;
    find(&state, &code)?;
    state.store.revoke_links(&code)?;
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/kits/{}", url_segment(&code)))],
    )
        .into_response())
}

/// `code` safe to put in a path: kit codes are ASCII letters, digits and dashes.
pub fn url_segment(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// `GET /api/v1/kits/{code}`: the kit's `kit.json`.
pub async fn kit_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> WebResult<Response> {
    let entry = find(&state, &code)?;
    let bytes = crate::export::kit_json(&entry.kit)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// `GET /api/v1/kits/{code}/{file}`: one file (`interviewer.pdf`, `handout.pdf`,
/// `scorecard.csv`, …).
pub async fn file_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
    Path((code, name)): Path<(String, String)>,
) -> WebResult<Response> {
    file(&state, &code, &name).await
}

/// `POST /api/v1/kits/{code}/handout-link`: `{"url": ...}` (201).
pub async fn link_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> WebResult<Response> {
    let url = create_link(&state, &code)?;
    Ok((StatusCode::CREATED, Json(json!({"url": url}))).into_response())
}

/// `DELETE /api/v1/kits/{code}/handout-link`: `{"revoked": n}`.
pub async fn revoke_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> WebResult<Json<serde_json::Value>> {
    find(&state, &code)?;
    let revoked = state.store.revoke_links(&code)?;
    Ok(Json(json!({"revoked": revoked})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_cut_out_of_a_document() {
        assert_eq!(body_of("<html><body class=x>hi</body></html>"), "hi");
        assert_eq!(body_of("no body"), "no body");
    }

    #[test]
    fn download_names_keep_only_safe_characters() {
        let r = download("PY-1", "../x\".pdf", vec![]);
        let d = r.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(d, "attachment; filename=\"PY-1-..x.pdf\"");
    }
}
