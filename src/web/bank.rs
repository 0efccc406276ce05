//! The bank: browse and search questions by topic, level, tag and text; one question's full
//! entry; the lint findings.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::AppState;
use super::auth::{ApiCaller, Viewer};
use super::error::{WebError, WebResult};
use crate::bank::{Bank, Level, Question};

/// Questions shown per page at most (the search narrows further).
const MAX_SHOWN: usize = 500;

/// The search form: every field optional, empty means any.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Search {
    /// Topic id.
    #[serde(default)]
    pub topic: String,
    /// `junior`, `mid` or `senior`.
    #[serde(default)]
    pub level: String,
    /// One tag.
    #[serde(default)]
    pub tag: String,
    /// Words that must all appear in the id, title, prompt, code or tags (any case).
    #[serde(default)]
    pub q: String,
}

/// A question as a search result.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    /// Id.
    pub id: &'a str,
    /// Title (or id).
    pub title: &'a str,
    /// Topic id.
    pub topic: &'a str,
    /// Level.
    pub level: Level,
    /// Minutes.
    pub minutes: u32,
    /// Tags.
    pub tags: &'a [String],
}

impl Search {
    /// The questions of `bank` matching every field that is set, in id order.
    pub fn run<'b>(&self, bank: &'b Bank) -> WebResult<Vec<&'b Question>> {
        let level = match self.level.trim() {
            "" => None,
            text => Some(text.parse::<Level>().map_err(WebError::bad_request)?),
        };
        let words: Vec<String> = self.q.split_whitespace().map(str::to_lowercase).collect();
        Ok(bank
            .questions
            .iter()
            .filter(|q| self.topic.is_empty() || q.topic == self.topic)
            .filter(|q| level.is_none_or(|l| q.level == l))
            .filter(|q| self.tag.is_empty() || q.tags.contains(&self.tag))
            .filter(|q| {
                if words.is_empty() {
                    return true;
                }
                let text = format!(
                    "{} {} {} {} {}",
                    q.id,
                    q.display_title(),
                    q.prompt,
                    q.code.as_deref().unwrap_or_default(),
                    q.tags.join(" ")
                )
                .to_lowercase();
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect())
    }
}

fn row(q: &Question) -> Row<'_> {
    Row {
        id: &q.id,
        title: q.display_title(),
        topic: &q.topic,
        level: q.level,
        minutes: q.minutes,
        tags: &q.tags,
    }
}

/// Every tag of the bank, sorted.
fn tags(bank: &Bank) -> Vec<&str> {
    let set: std::collections::BTreeSet<&str> = bank
        .questions
        .iter()
        .flat_map(|q| q.tags.iter().map(String::as_str))
        .collect();
    set.into_iter().collect()
}

/// `GET /bank`: the search form and the matching questions.
pub async fn list_page(
    viewer: Viewer,
    State(state): State<AppState>,
    Query(search): Query<Search>,
) -> WebResult<Html<String>> {
    let found = search.run(&state.bank)?;
    let rows: Vec<Row<'_>> = found.iter().take(MAX_SHOWN).map(|q| row(q)).collect();
    let topics: Vec<_> = state
        .bank
        .topics
        .iter()
        .map(|t| json!({"id": t.id, "title": t.title, "selected": t.id == search.topic}))
        .collect();
    let levels: Vec<_> = Level::ALL
        .iter()
        .map(|l| json!({"id": l.as_str(), "selected": l.as_str() == search.level.trim()}))
        .collect();
    let tags: Vec<_> = tags(&state.bank)
        .into_iter()
        .map(|t| json!({"id": t, "selected": t == search.tag}))
        .collect();
    state.pages.render(
        "bank",
        Some(&viewer),
        json!({
            "title": "Question bank",
            "nav": "bank",
            "search": search,
            "topics": topics,
            "levels": levels,
            "tags": tags,
            "questions": rows,
            "count": found.len(),
            "total": state.bank.questions.len(),
            "truncated": found.len() > MAX_SHOWN,
        }),
    )
}

/// `GET /bank/questions/{id}`: a question's full entry.
pub async fn question_page(
    viewer: Viewer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let q = question(&state.bank, &id)?;
    let (summary, points) = q.answer_parts();
    let topic = state
        .bank
        .topic(&q.topic)
        .map_or(q.topic.as_str(), |t| t.title.as_str());
    state.pages.render(
        "question",
        Some(&viewer),
        json!({
            "title": q.display_title(),
            "nav": "bank",
            "q": q,
            "topic_title": topic,
            "answer_summary": summary,
            "answer_points": points,
        }),
    )
}

/// `GET /bank/lint`: what `bank lint` reports.
pub async fn lint_page(viewer: Viewer, State(state): State<AppState>) -> WebResult<Html<String>> {
    let findings = lint(&state).await?;
    let summary = crate::bank::lint::summary(&findings);
    state.pages.render(
        "lint",
        Some(&viewer),
        json!({"title": "Bank lint", "nav": "bank", "findings": findings, "summary": summary}),
    )
}

async fn lint(state: &AppState) -> WebResult<Vec<crate::bank::lint::Finding>> {
    let state = state.clone();
    Ok(tokio::task::spawn_blocking(move || state.findings().to_vec()).await?)
}

fn question<'b>(bank: &'b Bank, id: &str) -> WebResult<&'b Question> {
    bank.question(id).ok_or_else(|| {
        WebError::not_found(format!(
            "no question `{}` in the bank",
            crate::limits::shown(id)
        ))
    })
}

/// `GET /api/v1/bank/questions`: the search as JSON.
pub async fn list_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
    Query(search): Query<Search>,
) -> WebResult<Json<serde_json::Value>> {
    let found = search.run(&state.bank)?;
    let rows: Vec<Row<'_>> = found.iter().map(|q| row(q)).collect();
    Ok(Json(json!({"count": rows.len(), "questions": rows})))
}

/// `GET /api/v1/bank/questions/{id}`: one question's full entry.
pub async fn question_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Json<Question>> {
    Ok(Json(question(&state.bank, &id)?.clone()))
}

/// `GET /api/v1/bank/lint`: the findings.
pub async fn lint_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
) -> WebResult<Json<serde_json::Value>> {
    let findings = lint(&state).await?;
    Ok(Json(json!({
        "summary": crate::bank::lint::summary(&findings),
        "findings": findings,
    })))
}
