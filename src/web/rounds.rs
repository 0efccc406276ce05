//! Rounds: the list, the new-round form with its preview, generation off the executor with
//! visible progress, the round page, its streamed ZIP, `round.csv` and export profiles.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::AppState;
use super::auth::{ApiCaller, Viewer};
use super::error::{WebError, WebResult};
use super::store::{KitInfo, Preview, RoundInfo, RoundRequest, paper_name, parse_paper};
use crate::error::Error;
use crate::roster::{self, Candidate};
use crate::select::Blueprint;

/// The built-in blueprint's name.
const BUILTIN_BLUEPRINT: &str = "python-developer";

/// The example blueprints of `examples/blueprints/`, offered by name.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "backend-loop",
        include_str!("../../examples/blueprints/backend-loop.toml"),
    ),
    (
        "junior-python",
        include_str!("../../examples/blueprints/junior-python.toml"),
    ),
    (
        "onsite",
        include_str!("../../examples/blueprints/onsite.toml"),
    ),
    (
        "phone-screen",
        include_str!("../../examples/blueprints/phone-screen.toml"),
    ),
    (
        "senior-python",
        include_str!("../../examples/blueprints/senior-python.toml"),
    ),
];

/// Seeds drawn for the user stay below 2^30, as `generate` draws them (short kit codes).
const DRAWN_SEED_BITS: u32 = 30;

/// A candidate in an API request.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateIn {
    /// Name printed on the documents.
    pub name: String,
    /// Email, optional.
    #[serde(default)]
    pub email: Option<String>,
}

/// The body of `POST /api/v1/rounds` (and of its preview).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateRound {
    /// The candidates, in order.
    pub candidates: Vec<CandidateIn>,
    /// A blueprint name (`python-developer`, an example's name) or a blueprint's TOML text.
    #[serde(default)]
    pub blueprint: Option<String>,
    /// The seed; drawn at random when absent.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Interview date printed on the documents, as written.
    #[serde(default)]
    pub date: Option<String>,
    /// `a4` (default) or `letter`.
    #[serde(default)]
    pub paper: Option<String>,
}

/// The blueprint `choice` names: the built-in one, an example, or TOML text.
fn blueprint(state: &AppState, choice: Option<&str>) -> crate::error::Result<Blueprint> {
    let choice = choice.map(str::trim).unwrap_or_default();
    if choice.is_empty() || choice == BUILTIN_BLUEPRINT {
        return Blueprint::builtin(&state.bank);
    }
    if let Some((name, text)) = EXAMPLES.iter().find(|(name, _)| *name == choice) {
        return Blueprint::parse(
            &format!("examples/blueprints/{name}.toml"),
            text,
            &state.bank,
        );
    }
    if choice.contains('=') {
        crate::limits::check_size(
            "the uploaded blueprint",
            choice.len() as u64,
            crate::limits::Input::Blueprint,
        )?;
        return Blueprint::parse("the uploaded blueprint", choice, &state.bank);
    }
    Err(Error::Usage(format!(
        "unknown blueprint `{}`; use {}, one of {}, or the blueprint's TOML text",
        crate::limits::shown(choice),
        BUILTIN_BLUEPRINT,
        EXAMPLES
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// A seed drawn from the OS, as `generate` draws one.
fn drawn_seed() -> WebResult<u64> {
    let seed = getrandom::u64().map_err(|e| {
        WebError::internal(format!("cannot draw a seed from the OS ({e}); pass a seed"))
    })?;
    Ok(seed >> (64 - DRAWN_SEED_BITS))
}

/// The interview date, held to the rule `generate --date` follows.
fn date(text: Option<String>) -> crate::error::Result<Option<String>> {
    let Some(date) = text.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    if date.chars().count() > 40 || crate::limits::name_problem("date", &date).is_some() {
        return Err(Error::Usage(
            "the date must be 1 to 40 printable characters, e.g. 2026-12-01".into(),
        ));
    }
    Ok(Some(date))
}

/// Candidates given with optional emails, held to the roster's rules (nobody twice).
fn candidates(list: &[CandidateIn]) -> crate::error::Result<Vec<Candidate>> {
    let names: Vec<String> = list.iter().map(|c| c.name.clone()).collect();
    let mut candidates = roster::from_names(&names)?;
    for (candidate, given) in candidates.iter_mut().zip(list) {
        candidate.email = given
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned);
    }
    Ok(candidates)
}

impl CreateRound {
    /// The library's request: blueprint resolved, candidates checked, seed drawn if absent.
    fn resolve(self, state: &AppState) -> WebResult<RoundRequest> {
        if self.candidates.is_empty() {
            return Err(WebError::bad_request(
                "`candidates` is empty; give at least one `{\"name\": ...}`",
            ));
        }
        Ok(RoundRequest {
            candidates: candidates(&self.candidates)?,
            blueprint: blueprint(state, self.blueprint.as_deref())?,
            seed: match self.seed {
                Some(seed) => seed,
                None => drawn_seed()?,
            },
            date: date(self.date)?,
            paper: parse_paper(self.paper.as_deref().unwrap_or_default())?,
        })
    }
}

/// Starts the round through the library's round engine and answers as soon as it is
/// planned (recorded in the workspace); its kits are written in the background, on the
/// blocking pool (and rayon inside it), never on the async executor.
async fn start(state: &AppState, request: RoundRequest) -> WebResult<RoundInfo> {
    let writer = state.clone();
    let (sender, receiver) = std::sync::mpsc::channel();
    tokio::task::spawn_blocking(move || {
        writer.store.generate(
            &writer.bank,
            &writer.templates,
            &writer.exports,
            &request,
            sender,
        );
    });
    let planned = tokio::task::spawn_blocking(move || receiver.recv()).await?;
    let id =
        planned.map_err(|_| WebError::internal("the round engine stopped without a word"))??;
    let (info, _) = state
        .store
        .round(id)?
        .ok_or_else(|| WebError::internal("the round just planned is missing"))?;
    Ok(info)
}

fn find_round(state: &AppState, id: &str) -> WebResult<(RoundInfo, Vec<KitInfo>)> {
    let found = match id.parse::<i64>() {
        Ok(n) => state.store.round(n)?,
        Err(_) => None,
    };
    found.ok_or_else(|| WebError::not_found(format!("no round `{}`", crate::limits::shown(id))))
}

/// A round as the API shows it.
fn round_json(info: &RoundInfo, kits: &[KitInfo]) -> Value {
    json!({
        "round": info,
        "kits": kits,
        "zip": format!("/api/v1/rounds/{}/zip", info.id),
    })
}

// ---------- API ----------

/// `GET /api/v1/rounds`: every round, newest first.
pub async fn list_api(_caller: ApiCaller, State(state): State<AppState>) -> WebResult<Json<Value>> {
    Ok(Json(json!({"rounds": state.store.rounds()?})))
}

/// `POST /api/v1/rounds`: plans the round and starts writing it; 201 with its kits' codes.
pub async fn create_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let request: CreateRound = parse_json(&body)?;
    let request = request.resolve(&state)?;
    let info = start(&state, request).await?;
    let (info, kits) = state
        .store
        .round(info.id)?
        .ok_or_else(|| WebError::internal("the round vanished"))?;
    Ok((StatusCode::CREATED, Json(round_json(&info, &kits))).into_response())
}

/// A JSON body, with a 400 that says what is wrong instead of axum's plain-text rejection.
fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> WebResult<T> {
    serde_json::from_slice(body)
        .map_err(|e| WebError::bad_request(format!("the request body is not valid: {e}")))
}

/// `POST /api/v1/rounds/preview`: what the round would look like; nothing is recorded.
pub async fn preview_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> WebResult<Json<Value>> {
    let request: CreateRound = parse_json(&body)?;
    let request = request.resolve(&state)?;
    let seed = request.seed;
    let preview = preview(&state, request).await?;
    Ok(Json(
        json!({"seed": seed, "forecast": preview.forecast, "kits": preview.kits}),
    ))
}

async fn preview(state: &AppState, request: RoundRequest) -> WebResult<Preview> {
    let state = state.clone();
    Ok(tokio::task::spawn_blocking(move || {
        state.store.preview(&state.bank, &state.templates, &request)
    })
    .await??)
}

/// `GET /api/v1/rounds/{id}`: the round, its progress and its kits.
pub async fn round_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    let (info, kits) = find_round(&state, &id)?;
    Ok(Json(round_json(&info, &kits)))
}

/// `GET /api/v1/rounds/{id}/zip`: the whole round as one streamed ZIP.
pub async fn zip_api(
    _caller: ApiCaller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    round_zip(&state, &id)
}

fn round_zip(state: &AppState, id: &str) -> WebResult<Response> {
    let (info, _) = find_round(state, id)?;
    let kits = state.store.round_kits(info.id)?;
    let sheet = round_sheet(state, &kits)?;
    let root = format!("round-{}", info.id);
    let renderer = state.clone();
    Ok(super::zip::stream(
        format!("{root}.zip"),
        root,
        vec![crate::output::Document::new("round.csv", sheet)],
        kits,
        move |kit| kit.documents(&renderer.templates, &renderer.exports),
    ))
}

/// `round.csv` of a round's kits: one row per candidate with their folder and files.
fn round_sheet(state: &AppState, kits: &[super::store::KitEntry]) -> WebResult<Vec<u8>> {
    let files = match kits.first() {
        Some(kit) => kit.file_names(&state.templates, &state.exports)?,
        None => Vec::new(),
    };
    let rows: Vec<crate::export::RoundRow<'_>> = kits
        .iter()
        .map(|k| crate::export::RoundRow {
            kit_code: &k.info.code,
            candidate: &k.info.candidate,
            email: k.info.email.as_deref().unwrap_or_default(),
            folder: &k.info.folder,
            documents: files.iter().map(String::as_str).collect(),
        })
        .collect();
    Ok(crate::export::round_csv(
        &rows,
        &crate::export::CsvOptions::default(),
    )?)
}

// ---------- pages ----------

/// `GET /rounds`: every round with its status and counts.
pub async fn list_page(viewer: Viewer, State(state): State<AppState>) -> WebResult<Html<String>> {
    state.pages.render(
        "rounds",
        Some(&viewer),
        json!({"title": "Rounds", "nav": "rounds", "rounds": state.store.rounds()?}),
    )
}

/// What the new-round form holds (kept across a preview).
#[derive(Debug, Default, Serialize)]
struct FormValues {
    names: String,
    roster_csv: String,
    blueprint: String,
    blueprint_text: String,
    seed: String,
    date: String,
    paper: String,
}

fn blueprint_options(selected: &str) -> Vec<Value> {
    std::iter::once(BUILTIN_BLUEPRINT)
        .chain(EXAMPLES.iter().map(|(n, _)| *n))
        .map(|n| json!({"name": n, "selected": n == selected}))
        .collect()
}

fn new_round_page(
    state: &AppState,
    viewer: &Viewer,
    values: &FormValues,
    preview: Option<Value>,
    error: Option<String>,
) -> WebResult<Html<String>> {
    let selected = if values.blueprint.is_empty() {
        BUILTIN_BLUEPRINT
    } else {
        values.blueprint.as_str()
    };
    state.pages.render(
        "new_round",
        Some(viewer),
        json!({
            "title": "New round",
            "nav": "new",
            "values": values,
            "blueprints": blueprint_options(selected),
            "letter": values.paper == "letter",
            "preview": preview,
            "error": error,
        }),
    )
}

/// `GET /rounds/new`: the form.
pub async fn new_page(viewer: Viewer, State(state): State<AppState>) -> WebResult<Html<String>> {
    new_round_page(&state, &viewer, &FormValues::default(), None, None)
}

/// Reads the multipart form; file fields become text fields of the form values.
async fn read_form(mut multipart: Multipart) -> WebResult<(String, String, FormValues)> {
    let mut values = FormValues::default();
    let (mut csrf, mut action) = (String::new(), String::new());
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| WebError::bad_request(format!("cannot read the form: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|e| {
            WebError::bad_request(format!("cannot read the form field `{name}`: {e}"))
        })?;
        let text = || -> WebResult<String> {
            String::from_utf8(bytes.to_vec()).map_err(|_| {
                WebError::bad_request(format!("the form field `{name}` is not UTF-8 text"))
            })
        };
        match name.as_str() {
            "csrf" => csrf = text()?,
            "action" => action = text()?,
            "names" => values.names = text()?,
            "roster_csv" | "roster_file" if !bytes.is_empty() => values.roster_csv = text()?,
            "blueprint" => values.blueprint = text()?,
            "blueprint_text" | "blueprint_file" if !bytes.is_empty() => {
                values.blueprint_text = text()?
            }
            "seed" => values.seed = text()?.trim().to_owned(),
            "date" => values.date = text()?,
            "paper" => values.paper = text()?,
            _ => {}
        }
    }
    Ok((csrf, action, values))
}

/// The library request the form describes; draws the seed when the field is empty and
/// writes it back into the form so generate uses the previewed seed.
fn form_request(state: &AppState, values: &mut FormValues) -> WebResult<RoundRequest> {
    let candidates = if !values.roster_csv.trim().is_empty() {
        roster::parse("the uploaded roster", values.roster_csv.as_bytes())?
    } else {
        let names: Vec<String> = values
            .names
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if names.is_empty() {
            return Err(WebError::bad_request(
                "no candidates: paste one name per line or upload a roster CSV with a `name` column",
            ));
        }
        roster::from_names(&names)?
    };
    let seed = match values.seed.as_str() {
        "" => drawn_seed()?,
        text => text.parse::<u64>().map_err(|_| {
            WebError::bad_request(format!(
                "the seed `{}` is not a whole number from 0 to 18446744073709551615",
                crate::limits::shown(text)
            ))
        })?,
    };
    values.seed = seed.to_string();
    let choice = if values.blueprint_text.trim().is_empty() {
        values.blueprint.clone()
    } else {
        values.blueprint_text.clone()
    };
    Ok(RoundRequest {
        candidates,
        blueprint: blueprint(state, Some(&choice))?,
        seed,
        date: date(Some(values.date.clone()))?,
        paper: parse_paper(&values.paper)?,
    })
}

/// `POST /rounds/new`: `action=preview` shows the forecast; `action=generate` starts the
/// round and goes to its page.
pub async fn new_form(
    viewer: Viewer,
    State(state): State<AppState>,
    multipart: Multipart,
) -> WebResult<Response> {
    let (csrf, action, mut values) = read_form(multipart).await?;
    viewer.check_csrf(&csrf)?;
    let request = match form_request(&state, &mut values) {
        Ok(request) => request,
        Err(e) => {
            let page = new_round_page(&state, &viewer, &values, None, Some(e.detail))?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    if action == "generate" {
        return match start(&state, request).await {
            Ok(info) => Ok((
                StatusCode::SEE_OTHER,
                [(header::LOCATION, format!("/rounds/{}", info.id))],
            )
                .into_response()),
            Err(e) => {
                let page = new_round_page(&state, &viewer, &values, None, Some(e.detail))?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
            }
        };
    }
    let blueprint_name = request.blueprint.name.clone();
    match preview(&state, request).await {
        Ok(preview) => {
            let page = new_round_page(
                &state,
                &viewer,
                &values,
                Some(preview_json(&state, &blueprint_name, &preview)),
                None,
            )?;
            Ok(page.into_response())
        }
        Err(e) => {
            let page = new_round_page(&state, &viewer, &values, None, Some(e.detail))?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// What the preview shows: the library's forecast (the figures `generate --dry-run` prints)
/// with topic titles, and each candidate's kit.
fn preview_json(state: &AppState, blueprint: &str, preview: &Preview) -> Value {
    let f = &preview.forecast;
    let profile: Vec<Value> = f
        .profile
        .iter()
        .map(|cell| {
            json!({
                "title": state.bank.topic(&cell.topic).map_or(cell.topic.as_str(), |t| t.title.as_str()),
                "cell": cell,
            })
        })
        .collect();
    let serves: Vec<Value> = f
        .serves
        .iter()
        .map(|s| {
            json!({
                "serves": s,
                "bank_allows": if s.bank_allows >= 1_000_000 {
                    "1,000,000+".to_owned()
                } else {
                    crate::limits::thousands(s.bank_allows)
                },
            })
        })
        .collect();
    json!({
        "forecast": f,
        "questions": f.profile.iter().map(|c| c.count).sum::<usize>(),
        "mean_overlap": format!("{:.2}", f.mean_overlap),
        "overlap_lower_bound": format!("{:.2}", f.overlap_lower_bound),
        "profile": profile,
        "serves": serves,
        "kits": preview.kits,
        "blueprint": blueprint,
        "repeats": f.max_overlap > 0,
    })
}

/// `GET /rounds/{id}`: the round's kits and files, progress while it is written.
pub async fn round_page(
    viewer: Viewer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let (info, kits) = find_round(&state, &id)?;
    let renderer = state.clone();
    let round = info.id;
    let files = tokio::task::spawn_blocking(move || {
        renderer
            .store
            .round_file_names(round, &renderer.templates, &renderer.exports)
    })
    .await??;
    let kits: Vec<Value> = kits
        .iter()
        .map(|k| {
            json!({
                "kit": k,
                "written": k.state == super::store::KitState::Written,
                "files": files,
            })
        })
        .collect();
    let profiles: Vec<&str> = state
        .exports
        .names()
        .into_iter()
        .filter(|p| *p != crate::export::profile::GENERIC)
        .collect();
    state.pages.render(
        "round",
        Some(&viewer),
        json!({
            "title": format!("Round {}: {}", info.id, info.blueprint),
            "nav": "rounds",
            "round": info,
            "generating": info.state == super::store::RoundState::Generating,
            "failed": info.state == super::store::RoundState::Failed,
            "kits": kits,
            "profiles": profiles,
            "paper": paper_name(parse_paper(info.paper).unwrap_or_default()),
        }),
    )
}

/// `GET /rounds/{id}/round.zip`: the ZIP for the page's link.
pub async fn zip_page(
    _viewer: Viewer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    round_zip(&state, &id)
}

/// `GET /rounds/{id}/round.csv`: the round sheet.
pub async fn csv_page(
    _viewer: Viewer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let (info, _) = find_round(&state, &id)?;
    let kits = state.store.round_kits(info.id)?;
    let renderer = state.clone();
    let sheet = tokio::task::spawn_blocking(move || round_sheet(&renderer, &kits)).await??;
    Ok(super::kits::download(
        &format!("round-{}", info.id),
        "round.csv",
        sheet,
    ))
}

/// `GET /rounds/{id}/export/{profile}`: every kit's scorecard in one ATS export profile, as
/// a ZIP.
pub async fn profile_zip_page(
    _viewer: Viewer,
    State(state): State<AppState>,
    Path((id, profile)): Path<(String, String)>,
) -> WebResult<Response> {
    let (info, _) = find_round(&state, &id)?;
    let profile = profile.trim_end_matches(".zip").to_owned();
    if !state.exports.names().contains(&profile.as_str()) {
        return Err(WebError::not_found(format!(
            "no export profile `{}`",
            crate::limits::shown(&profile)
        )));
    }
    let kits = state.store.round_kits(info.id)?;
    let root = format!("round-{}-{profile}", info.id);
    let renderer = state.clone();
    Ok(super::zip::stream(
        format!("{root}.zip"),
        root,
        Vec::new(),
        kits,
        move |kit| {
            let exports = &renderer.exports;
            crate::export::profile::documents(
                &kit.kit,
                exports.get(&profile)?,
                exports,
                &crate::export::CsvOptions::default(),
            )
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_blueprint_is_offered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/blueprints");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|name| name.strip_suffix(".toml").map(str::to_owned))
            .filter(|name| name != BUILTIN_BLUEPRINT)
            .collect();
        files.sort();
        let offered: Vec<&str> = EXAMPLES.iter().map(|(name, _)| *name).collect();
        assert_eq!(files, offered);
    }
}
