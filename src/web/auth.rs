//! Who may call: the access token (constant-time), session cookies, CSRF tokens, and the
//! extractors every handler takes ([`Viewer`] for pages, [`ApiCaller`] for the API).

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::AppState;
use super::error::WebError;

/// Name of the session cookie.
pub const COOKIE: &str = "ik_session";

/// Header a page's script sends its CSRF token in when it calls the API with the cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Sessions kept at once; the oldest is forgotten beyond this (its browser logs in again).
const MAX_SESSIONS: usize = 1_000;

/// A fresh random token: 32 bytes from the OS (256 bits) as lowercase hex.
pub fn random_token() -> Result<String, WebError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| WebError::internal(format!("cannot draw randomness from the OS: {e}")))?;
    Ok(hex(&bytes))
}

/// SHA-256 of `text`: what is stored of sessions and handout links, never the token itself.
pub fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Constant-time equality of two secrets (the lengths may leak, the contents do not).
pub fn same_secret(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// A logged-in browser.
#[derive(Debug, Clone)]
pub struct Session {
    /// The token every form of this session carries.
    pub csrf: String,
}

/// The access token and the live sessions.
#[derive(Debug)]
pub struct Auth {
    token: String,
    sessions: Mutex<Sessions>,
}

#[derive(Debug, Default)]
struct Sessions {
    by_digest: BTreeMap<[u8; 32], Session>,
    order: VecDeque<[u8; 32]>,
}

impl Auth {
    /// Guards the app with `token` (what the printed URL carries).
    pub fn new(token: String) -> Auth {
        Auth {
            token,
            sessions: Mutex::new(Sessions::default()),
        }
    }

    /// The access token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Whether `candidate` is the access token, compared in constant time.
    pub fn is_token(&self, candidate: &str) -> bool {
        same_secret(candidate, &self.token)
    }

    /// Starts a session: returns the `Set-Cookie` value.
    pub fn start_session(&self) -> Result<String, WebError> {
        let id = random_token()?;
        let session = Session {
            csrf: random_token()?,
        };
        let mut sessions = self.lock();
        let key = digest(&id);
        sessions.by_digest.insert(key, session);
        sessions.order.push_back(key);
        while sessions.order.len() > MAX_SESSIONS {
            if let Some(old) = sessions.order.pop_front() {
                sessions.by_digest.remove(&old);
            }
        }
        Ok(format!("{COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/"))
    }

    /// The session the request's cookie names, if any.
    pub fn session(&self, headers: &HeaderMap) -> Option<Session> {
        let id = cookie(headers, COOKIE)?;
        self.lock().by_digest.get(&digest(id)).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Sessions> {
        // A panic elsewhere while holding the lock leaves the map consistent (single inserts).
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The value of cookie `name` in the request.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A browser with a session, as every page handler requires. Without one the request is
/// answered with the login page (401).
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The session.
    pub session: Session,
}

impl Viewer {
    /// Checks the CSRF token a form sent; every form POST handler calls this first.
    pub fn check_csrf(&self, sent: &str) -> Result<(), WebError> {
        if same_secret(sent, &self.session.csrf) {
            Ok(())
        } else {
            Err(WebError::csrf())
        }
    }
}

/// The login page a request without a session gets.
pub struct LoginPage(Response);

impl IntoResponse for LoginPage {
    fn into_response(self) -> Response {
        self.0
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = LoginPage;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, LoginPage> {
        match state.auth.session(&parts.headers) {
            Some(session) => Ok(Viewer { session }),
            None => Err(LoginPage(state.pages.login_response())),
        }
    }
}

/// An API caller: `Authorization: Bearer TOKEN`, or a page's session cookie (which must
/// send its CSRF token in `X-CSRF-Token` on anything but GET and HEAD).
#[derive(Debug, Clone, Copy)]
pub struct ApiCaller;

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        authorize_api(&state.auth, &parts.method, &parts.headers)
    }
}

/// The API's authorization rule (see [`ApiCaller`]).
pub fn authorize_api(
    auth: &Auth,
    method: &Method,
    headers: &HeaderMap,
) -> Result<ApiCaller, WebError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        return match token {
            Some(token) if auth.is_token(token) => Ok(ApiCaller),
            _ => Err(WebError::unauthorized()),
        };
    }
    let session = auth.session(headers).ok_or_else(WebError::unauthorized)?;
    if method == Method::GET || method == Method::HEAD {
        return Ok(ApiCaller);
    }
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if same_secret(sent, &session.csrf) {
        Ok(ApiCaller)
    } else {
        Err(WebError::csrf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_differ() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }

    #[test]
    fn cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=1; ik_session=xyz; b=2".parse().unwrap());
        assert_eq!(cookie(&headers, COOKIE), Some("xyz"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn sessions_start_with_strict_http_only_cookies() {
        let auth = Auth::new("t".into());
        let set = auth.start_session().unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/")
        );
        let mut headers = HeaderMap::new();
        let pair = set.split(';').next().unwrap();
        headers.insert(header::COOKIE, pair.parse().unwrap());
        assert!(auth.session(&headers).is_some());
        headers.insert(header::COOKIE, "ik_session=forged".parse().unwrap());
        assert!(auth.session(&headers).is_none());
    }
}
