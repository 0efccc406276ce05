//! The one error type of the web app: a status, a short code and a detail, as JSON or as a page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What went wrong in a request; it becomes `{"error": .., "detail": ..}` with its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A short stable code, e.g. `not_found`, `unauthorized`, `invalid_request`.
    pub code: &'static str,
    /// What happened and what to do, for a person.
    pub detail: String,
}

/// The JSON body of an error.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// The short code.
    pub error: &'a str,
    /// The explanation.
    pub detail: &'a str,
}

/// Result of a handler.
pub type WebResult<T> = std::result::Result<T, WebError>;

impl WebError {
    fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> WebError {
        WebError {
            status,
            code,
            detail: detail.into(),
        }
    }

    /// 400: the request is malformed or names something unusable.
    pub fn bad_request(detail: impl Into<String>) -> WebError {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", detail)
    }

    /// 401: no valid token or session.
    pub fn unauthorized() -> WebError {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "open the URL `interview-kit serve` printed, or send `Authorization: Bearer TOKEN`",
        )
    }

    /// 403: a form or API call without its CSRF token.
    pub fn csrf() -> WebError {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "the form's security token is missing or stale; reload the page and try again",
        )
    }

    /// 404: nothing by that name (or nothing this caller may see).
    pub fn not_found(what: impl Into<String>) -> WebError {
        Self::new(StatusCode::NOT_FOUND, "not_found", what)
    }

    /// 409: valid on its own, but not now (a round still being written).
    pub fn conflict(detail: impl Into<String>) -> WebError {
        Self::new(StatusCode::CONFLICT, "conflict", detail)
    }

    /// 500: a bug or a failure of the machine; the detail is the library's message.
    pub fn internal(detail: impl Into<String>) -> WebError {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
    }

    /// The JSON response.
    pub fn json(&self) -> Response {
        let body = ErrorBody {
            error: self.code,
            detail: &self.detail,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<crate::error::Error> for WebError {
    fn from(err: crate::error::Error) -> WebError {
        use crate::error::Error as E;
        let detail = err.to_string();
        match err {
            E::Usage(_)
            | E::Invalid { .. }
            | E::Shortfall { .. }
            | E::LevelMixInfeasible { .. }
            | E::Replay(_) => {
                WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", detail)
            }
            E::Conflict(_) | E::OutputExists { .. } | E::FileExists { .. } => {
                WebError::conflict(detail)
            }
            E::Io { .. }
            | E::LintFailed { .. }
            | E::System(_)
            | E::Workspace { .. }
            | E::Interrupted(_)
            | E::Render { .. } => WebError::internal(detail),
        }
    }
}

impl From<tokio::task::JoinError> for WebError {
    fn from(err: tokio::task::JoinError) -> WebError {
        WebError::internal(format!("a background task failed: {err}"))
    }
}

impl IntoResponse for WebError {
    /// The JSON error; the error itself rides along in the response's extensions, so the
    /// page layer can show it as an HTML page instead (see [`super::pages::error_pages`]).
    fn into_response(self) -> Response {
        let mut response = self.json();
        response.extensions_mut().insert(self);
        response
    }
}
