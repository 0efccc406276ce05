//! The candidate handout link: `/h/{token}` shows that kit's handout (HTML, and its PDF) and
//! nothing else of the app; no session, no navigation, no interviewer content.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::error::WebError;
use super::kits::{body_of, download};
use super::store::KitEntry;
use crate::render::{DocOptions, Markup};

/// The kit a live link opens.
fn resolve(state: &AppState, token: &str) -> Option<KitEntry> {
    // Tokens are 64 hex characters; anything else is not looked up at all.
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let code = state.store.resolve_link(token).ok()??;
    state.store.kit(&code).ok()?
}

/// The page a dead or unknown link gets: a plain 404 that names nothing of the app.
fn gone(state: &AppState) -> Response {
    match state.pages.render(
        "handout",
        None,
        json!({"title": "Link not available", "missing": true}),
    ) {
        Ok(html) => (StatusCode::NOT_FOUND, html).into_response(),
        Err(_) => WebError::not_found("this link is not available").json(),
    }
}

/// `GET /h/{token}`: the handout as a page.
pub async fn page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(entry) = resolve(&state, &token) else {
        return gone(&state);
    };
    let templates_state = state.clone();
    let kit = entry.kit.clone();
    let doc = DocOptions {
        date: entry.options.settings.date.clone(),
        paper: entry.options.settings.paper,
    };
    let rendered = tokio::task::spawn_blocking(move || {
        crate::render::handout_markup(&kit, &templates_state.templates, &doc, Markup::Html)
    })
    .await;
    let html = match rendered {
        Ok(Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        Ok(Err(e)) => return WebError::from(e).json(),
        Err(e) => return WebError::from(e).json(),
    };
    match state.pages.render(
        "handout",
        None,
        json!({
            "title": "Interview handout",
            "missing": false,
            "handout": body_of(&html),
            "pdf": format!("/h/{token}/handout.pdf"),
        }),
    ) {
        Ok(html) => html.into_response(),
        Err(e) => e.json(),
    }
}

/// `GET /h/{token}/handout.pdf`: the handout PDF.
pub async fn pdf(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(entry) = resolve(&state, &token) else {
        return gone(&state);
    };
    let templates_state = state.clone();
    let code = entry.info.code.clone();
    let rendered = tokio::task::spawn_blocking(move || {
        let doc = DocOptions {
            date: entry.options.settings.date.clone(),
            paper: entry.options.settings.paper,
        };
        crate::render::handout_pdf(
            &entry.kit,
            &templates_state.templates,
            &doc,
            entry.options.settings.paper,
        )
    })
    .await;
    match rendered {
        Ok(Ok(bytes)) => download(&code, "handout.pdf", bytes),
        Ok(Err(e)) => WebError::from(e).json(),
        Err(e) => WebError::from(e).json(),
    }
}
