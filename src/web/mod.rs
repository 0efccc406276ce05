//! `interview-kit serve`: the recruiter's web app and JSON API over the library.
//!
//! One module per resource, as crates.io's controllers: [`bank`], [`rounds`], [`kits`],
//! [`handout`] (the public candidate link); [`auth`] is the authorization every handler
//! takes as an extractor; [`error`] the one error type, JSON `{"error", "detail"}` for the
//! API and an HTML page for pages; [`store`] is the adapter to where rounds are recorded.
//! Handlers only translate a request into a library call and its result into a response;
//! rendering and writing run on the blocking pool, never on the async executor.

pub mod auth;
pub mod bank;
pub mod error;
pub mod handout;
pub mod kits;
pub mod pages;
pub mod rounds;
pub mod store;
mod zip;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::bank::Bank;
use crate::bank::lint::Finding;
use crate::error::Result;
use crate::templates::Templates;

use self::auth::Auth;
use self::pages::Pages;
use self::store::Store;

/// Largest request body outside round creation (forms, JSON calls).
pub const MAX_BODY: usize = 64 << 10;

/// Largest body of a round creation: a roster or blueprint file of the size the CLI accepts,
/// plus the form around it.
pub const MAX_ROUND_BODY: usize = crate::limits::MAX_FILE_BYTES as usize + (1 << 20);

/// The Content-Security-Policy of every response: nothing inline, nothing from elsewhere.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// What the server is started with.
#[derive(Debug)]
pub struct Config {
    /// The question bank.
    pub bank: Bank,
    /// The document templates.
    pub templates: Templates,
    /// The `--templates DIR`, whose `web/` files replace the page templates.
    pub templates_dir: Option<PathBuf>,
    /// The workspace rounds are recorded in.
    pub workspace: crate::workspace::Location,
    /// Folder receiving the round folders.
    pub out: PathBuf,
    /// The URL the server is reached at, e.g. `http://127.0.0.1:8080` (handout links use it).
    pub base_url: String,
    /// The access token.
    pub token: String,
}

/// Everything the handlers share.
pub struct App {
    /// The question bank.
    pub bank: Bank,
    /// The document templates.
    pub templates: Templates,
    /// The export profiles, from the same templates folder.
    pub exports: crate::export::Profiles,
    /// The page templates.
    pub pages: Pages,
    /// Token and sessions.
    pub auth: Auth,
    /// Rounds, kits and handout links.
    pub store: Store,
    /// The URL the server is reached at.
    pub base_url: String,
    findings: OnceLock<Vec<Finding>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl App {
    /// The bank's lint findings, computed on first use.
    pub fn findings(&self) -> &[Finding] {
        self.findings
            .get_or_init(|| crate::bank::lint::lint(&self.bank, &[]))
    }
}

/// The shared state handed to every handler.
#[derive(Debug, Clone)]
pub struct AppState(pub Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.0
    }
}

impl AppState {
    /// The state for `config`: page templates compiled, nothing written yet.
    pub fn new(config: Config) -> Result<AppState> {
        let pages = Pages::load(config.templates_dir.as_deref(), config.templates.css())?;
        let exports = crate::export::Profiles::load(config.templates_dir.as_deref())?;
        Ok(AppState(Arc::new(App {
            store: Store::open(&config.workspace, &config.out)?,
            exports,
            bank: config.bank,
            templates: config.templates,
            pages,
            auth: Auth::new(config.token),
            base_url: config.base_url.trim_end_matches('/').to_owned(),
            findings: OnceLock::new(),
        })))
    }
}

/// The whole app: pages, the API, static files and the public handout links.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(|| async { Redirect::to("/rounds") }))
        .route("/login", get(login_page).post(login_form))
        .route("/rounds", get(rounds::list_page))
        .route(
            "/rounds/new",
            get(rounds::new_page)
                .post(rounds::new_form)
                .layer(DefaultBodyLimit::max(MAX_ROUND_BODY)),
        )
        .route("/rounds/{id}", get(rounds::round_page))
        .route("/rounds/{id}/round.zip", get(rounds::zip_page))
        .route("/rounds/{id}/round.csv", get(rounds::csv_page))
        .route(
            "/rounds/{id}/export/{profile}",
            get(rounds::profile_zip_page),
        )
        .route("/kits/{code}", get(kits::kit_page))
        .route("/kits/{code}/files/{name}", get(kits::file_page))
        .route("/kits/{code}/handout-link", post(kits::link_form))
        .route("/kits/{code}/handout-link/revoke", post(kits::revoke_form))
        .route("/bank", get(bank::list_page))
        .route("/bank/lint", get(bank::lint_page))
        .route("/bank/questions/{id}", get(bank::question_page))
        .fallback(not_found_page)
        .layer(middleware::from_fn_with_state(state.clone(), token_login))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            pages::error_pages,
        ));
    let api = Router::new()
        .route(
            "/rounds",
            get(rounds::list_api)
                .post(rounds::create_api)
                .layer(DefaultBodyLimit::max(MAX_ROUND_BODY)),
        )
        .route(
            "/rounds/preview",
            post(rounds::preview_api).layer(DefaultBodyLimit::max(MAX_ROUND_BODY)),
        )
        .route("/rounds/{id}", get(rounds::round_api))
        .route("/rounds/{id}/zip", get(rounds::zip_api))
        .route("/kits/{code}", get(kits::kit_api))
        .route(
            "/kits/{code}/handout-link",
            post(kits::link_api).delete(kits::revoke_api),
        )
        .route("/kits/{code}/{file}", get(kits::file_api))
        .route("/bank/questions", get(bank::list_api))
        .route("/bank/questions/{id}", get(bank::question_api))
        .route("/bank/lint", get(bank::lint_api))
        .fallback(api_not_found);
    let public = Router::new()
        .route("/h/{token}", get(handout::page))
        .route("/h/{token}/handout.pdf", get(handout::pdf))
        .route("/static/{name}", get(pages::static_file));
    Router::new()
        .merge(pages)
        .nest("/api/v1", api)
        .merge(public)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Adds the security headers to every response.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}

/// A page request carrying `?token=` with the access token starts a session: the cookie is
/// set and the browser is sent to the same page without the token in its address.
async fn token_login(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::GET
        && let Some(query) = request.uri().query()
        && let Some(token) = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("token="))
    {
        if !state.auth.is_token(token) {
            return state.pages.login_response();
        }
        let path = request.uri().path().to_owned();
        return match state.auth.start_session() {
            Ok(cookie) => see_other(&path, Some(cookie)),
            Err(e) => e.into_response(),
        };
    }
    next.run(request).await
}

/// A 303 to `path`, setting `cookie` if given.
fn see_other(path: &str, cookie: Option<String>) -> Response {
    let mut response =
        (StatusCode::SEE_OTHER, [(header::LOCATION, path.to_owned())]).into_response();
    if let Some(cookie) = cookie
        && let Ok(value) = HeaderValue::from_str(&cookie)
    {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

async fn login_page(State(state): State<AppState>) -> Response {
    state.pages.login_response()
}

/// The login form's field.
#[derive(Debug, serde::Deserialize)]
struct LoginForm {
    token: String,
}

async fn login_form(
    State(state): State<AppState>,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    if !state.auth.is_token(form.token.trim()) {
        return state.pages.login_response();
    }
    match state.auth.start_session() {
        Ok(cookie) => see_other("/rounds", Some(cookie)),
        Err(e) => e.into_response(),
    }
}

async fn not_found_page(viewer: auth::Viewer) -> error::WebResult<Response> {
    let _ = viewer;
    Err(error::WebError::not_found("no page at this address"))
}

async fn api_not_found(_caller: auth::ApiCaller) -> error::WebError {
    error::WebError::not_found("no API endpoint at this address; see docs/openapi.yaml")
}

/// Starts the server on `addr` and serves until Ctrl-C; `ready` receives the URL to print
/// (with the access token) once the socket is bound.
pub fn serve(config: Config, addr: SocketAddr, ready: &mut dyn FnMut(&str)) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::Error::System(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            crate::error::Error::System(format!(
                "cannot listen on {addr}: {e}; pass another --addr, e.g. --addr 127.0.0.1:8081"
            ))
        })?;
        let bound = listener.local_addr().map_err(|e| {
            crate::error::Error::System(format!("cannot read the bound address: {e}"))
        })?;
        let base_url = format!("http://{bound}");
        let token = config.token.clone();
        let state = AppState::new(Config {
            base_url: base_url.clone(),
            ..config
        })?;
        ready(&format!("{base_url}/?token={token}"));
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| crate::error::Error::System(format!("the server stopped: {e}")))
    })
}
