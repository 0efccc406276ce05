//! Benchmark of `interview-kit serve` (issue 12, item 7): a round of 100 created through the
//! API and the time until every kit is written, then the p50 / p99 latency of the round page
//! and of a kit page under 20 concurrent clients for 30 s each, counting errors.
//!
//! Run: `nice cargo run --release --example bench_web` (numbers in README, *For recruiters*).
//! The server runs in-process on a loopback port with a fresh workspace in a temporary folder.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode, header};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use interview_kit::web::{self, AppState, Config};
use serde_json::{Value, json};

/// Kits in the round.
const KITS: usize = 100;
/// Concurrent clients per page.
const CLIENTS: usize = 20;
/// How long each page is loaded.
const DURATION: Duration = Duration::from_secs(30);

type Http = Client<HttpConnector, Full<Bytes>>;

/// One request: status, body and how long it took.
async fn call(
    http: &Http,
    method: Method,
    url: &str,
    auth: (&str, &str),
    body: Option<Value>,
) -> Result<(StatusCode, Bytes, Duration), String> {
    let started = Instant::now();
    let mut request = Request::builder()
        .method(method)
        .uri(url)
        .header(auth.0, auth.1);
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let body = body.map_or_else(Bytes::new, |b| Bytes::from(b.to_string()));
    let response = http
        .request(request.body(Full::new(body)).map_err(|e| e.to_string())?)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, bytes, started.elapsed()))
}

/// The `q` quantile of sorted `values`, nearest rank.
fn quantile(values: &[Duration], q: f64) -> Duration {
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len().max(1));
    values.get(rank - 1).copied().unwrap_or_default()
}

/// `CLIENTS` clients requesting `url` back to back for `DURATION`; prints the latencies.
async fn load(http: &Http, name: &str, url: &str, cookie: &str) -> usize {
    let deadline = Instant::now() + DURATION;
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (http, url, cookie) = (http.clone(), url.to_owned(), cookie.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < deadline {
                match call(&http, Method::GET, &url, ("cookie", &cookie), None).await {
                    Ok((StatusCode::OK, body, took)) if !body.is_empty() => latencies.push(took),
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (latencies, failed) = task.await.expect("a client task");
        all.extend(latencies);
        errors += failed;
    }
    all.sort_unstable();
    println!(
        "{name}: {} requests in {} s by {CLIENTS} clients ({:.0}/s), p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, errors {errors}",
        all.len(),
        DURATION.as_secs(),
        all.len() as f64 / DURATION.as_secs_f64(),
        quantile(&all, 0.50).as_secs_f64() * 1e3,
        quantile(&all, 0.99).as_secs_f64() * 1e3,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    errors
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    let token = web::auth::random_token().expect("a token");
    let state = AppState::new(Config {
        bank: interview_kit::bank::Bank::builtin().expect("the built-in bank"),
        templates: interview_kit::templates::Templates::load(None).expect("the templates"),
        templates_dir: None,
        workspace: interview_kit::workspace::Location::File(dir.path().join("interview-kit.db")),
        out: dir.path().join("kits"),
        base_url: base.clone(),
        token: token.clone(),
    })
    .expect("the app");
    tokio::spawn(async move { axum::serve(listener, web::router(state)).await });
    let http: Http = Client::builder(TokioExecutor::new()).build_http();
    let bearer = format!("Bearer {token}");
    let api = ("authorization", bearer.as_str());

    // A round of 100 through the API, until every kit is written.
    let candidates: Vec<Value> = (1..=KITS)
        .map(|i| json!({"name": format!("Candidate {i:03}"), "email": format!("c{i}@example.com")}))
        .collect();
    let started = Instant::now();
    let (status, body, answered) = call(
        &http,
        Method::POST,
        &format!("{base}/api/v1/rounds"),
        api,
        Some(json!({"candidates": candidates, "seed": 1})),
    )
    .await
    .expect("the round is created");
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&body)
    );
    let created: Value = serde_json::from_slice(&body).expect("JSON");
    let id = created["round"]["id"].as_i64().expect("a round id");
    let code = created["kits"][0]["code"]
        .as_str()
        .expect("a kit code")
        .to_owned();
    loop {
        let (_, body, _) = call(
            &http,
            Method::GET,
            &format!("{base}/api/v1/rounds/{id}"),
            api,
            None,
        )
        .await
        .expect("the round's progress");
        let now: Value = serde_json::from_slice(&body).expect("JSON");
        match now["round"]["state"].as_str() {
            Some("complete") => break,
            Some("failed") => panic!("the round failed: {now}"),
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    let written = started.elapsed();
    println!(
        "round of {KITS}: 201 after {:.2} s (every kit drawn and recorded), every kit written after {:.1} s ({:.0} ms per kit)",
        answered.as_secs_f64(),
        written.as_secs_f64(),
        written.as_secs_f64() * 1e3 / KITS as f64
    );

    // A browser session, then the two pages under load.
    let login = http
        .request(
            Request::get(format!("{base}/?token={token}"))
                .body(Full::new(Bytes::new()))
                .expect("a request"),
        )
        .await
        .expect("the token URL");
    let cookie = login
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let errors = load(&http, "round page", &format!("{base}/rounds/{id}"), &cookie).await
        + load(&http, "kit page", &format!("{base}/kits/{code}"), &cookie).await;
    if errors > 0 {
        eprintln!("{errors} request(s) failed");
        std::process::exit(1);
    }
}
