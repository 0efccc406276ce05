//! HTTP-level tests of `serve`: the app is built in-process and called with tower's
//! `oneshot`: auth, CSRF, security headers, escaping, handout isolation, API shapes and errors.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use interview_kit::web::{self, AppState, Config};
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const EVIL: &str = "<script>alert(1)</script>";

struct App {
    state: AppState,
    _out: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

fn app() -> App {
    let out = tempfile::tempdir().unwrap();
    let state = AppState::new(Config {
        bank: interview_kit::bank::Bank::builtin().unwrap(),
        templates: interview_kit::templates::Templates::load(None).unwrap(),
        templates_dir: None,
        workspace: interview_kit::workspace::Location::File(out.path().join("interview-kit.db")),
        out: out.path().join("kits"),
        base_url: "http://127.0.0.1:8080".into(),
        token: TOKEN.into(),
    })
    .unwrap();
    App { state, _out: out }
}

impl App {
    fn router(&self) -> Router {
        web::router(self.state.clone())
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, uri: &str, auth: Auth<'_>) -> Reply {
        self.send(auth.apply(Request::get(uri)).body(Body::empty()).unwrap())
            .await
    }

    async fn api(&self, method: Method, uri: &str, body: Value) -> Reply {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// A browser session: the cookie pair and the CSRF token of its forms.
    async fn login(&self) -> (String, String) {
        let reply = self.get(&format!("/?token={TOKEN}"), Auth::None).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let cookie = reply.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_owned();
        let pair = cookie.split(';').next().unwrap().to_owned();
        let page = self.get("/rounds/new", Auth::Cookie(&pair)).await;
        let text = page.text();
        let csrf = text
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the form carries a CSRF token")
            .to_owned();
        (pair, csrf)
    }

    /// Creates a round through the API and waits until every kit is written.
    async fn round(&self, names: &[&str]) -> Value {
        let candidates: Vec<Value> = names.iter().map(|n| json!({"name": n})).collect();
        self.round_from(json!({"candidates": candidates, "seed": 7}))
            .await
    }

    /// The question ids of written kit `code`, from its `kit.json`, in interview order.
    async fn question_ids(&self, code: &str) -> Vec<String> {
        let kit = self
            .get(&format!("/api/v1/kits/{code}"), Auth::Bearer(TOKEN))
            .await
            .json();
        kit["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["question"]["id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Creates the round `body` asks for through the API and waits until it is written.
    async fn round_from(&self, body: Value) -> Value {
        let reply = self.api(Method::POST, "/api/v1/rounds", body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        let created = reply.json();
        let id = created["round"]["id"].as_u64().unwrap();
        for _ in 0..1200 {
            let now = self
                .get(&format!("/api/v1/rounds/{id}"), Auth::Bearer(TOKEN))
                .await
                .json();
            match now["round"]["state"].as_str() {
                Some("complete") => return now,
                Some("failed") => panic!("round failed: {now}"),
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        panic!("the round never completed");
    }
}

#[derive(Clone, Copy)]
enum Auth<'a> {
    None,
    Bearer(&'a str),
    Cookie(&'a str),
}

impl Auth<'_> {
    fn apply(self, builder: axum::http::request::Builder) -> axum::http::request::Builder {
        match self {
            Auth::None => builder,
            Auth::Bearer(token) => builder.header(header::AUTHORIZATION, format!("Bearer {token}")),
            Auth::Cookie(pair) => builder.header(header::COOKIE, pair),
        }
    }
}

fn multipart(fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "XyZboundary42";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

#[tokio::test]
async fn without_token_pages_show_login_and_the_api_answers_401() {
    let app = app();
    for page in [
        "/rounds",
        "/rounds/new",
        "/bank",
        "/bank/lint",
        "/kits/PY-X",
        "/nowhere",
    ] {
        let reply = app.get(page, Auth::None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{page}");
        assert!(
            reply.text().contains("Access token"),
            "{page} shows the login form"
        );
        assert!(!reply.text().contains("Question bank"));
    }
    for api in [
        "/api/v1/rounds",
        "/api/v1/kits/PY-X",
        "/api/v1/bank/questions",
        "/api/v1/nowhere",
    ] {
        let reply = app.get(api, Auth::None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{api}");
        assert_eq!(reply.json()["error"], "unauthorized");
        let wrong = app.get(api, Auth::Bearer("0123")).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{api}");
    }
    let wrong = app.get("/rounds?token=nope", Auth::None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.headers.get(header::SET_COOKIE).is_none());
    let forged = app.get("/rounds", Auth::Cookie("ik_session=forged")).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_token_url_sets_a_strict_http_only_cookie_and_drops_the_token() {
    let app = app();
    let reply = app.get(&format!("/bank?token={TOKEN}"), Auth::None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers[header::LOCATION], "/bank");
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(
        !cookie.contains(TOKEN),
        "the session id is not the access token"
    );
    let pair = cookie.split(';').next().unwrap();
    let page = app.get("/bank", Auth::Cookie(pair)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Question bank"));
    // The login form works too.
    let form = app
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("token={TOKEN}")))
                .unwrap(),
        )
        .await;
    assert_eq!(form.status, StatusCode::SEE_OTHER);
    assert!(form.headers.contains_key(header::SET_COOKIE));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = app();
    let (cookie, _) = app.login().await;
    for (uri, auth) in [
        ("/rounds", Auth::Cookie(&cookie)),
        ("/rounds", Auth::None),
        ("/api/v1/rounds", Auth::Bearer(TOKEN)),
        ("/static/app.css", Auth::None),
        ("/h/00", Auth::None),
    ] {
        let reply = app.get(uri, auth).await;
        let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(reply.headers[header::REFERRER_POLICY], "no-referrer");
    }
    // No page has an inline script: the one script is a static file.
    let page = app.get("/rounds/new", Auth::Cookie(&cookie)).await.text();
    assert!(page.contains("<script src=\"/static/app.js\" defer></script>"));
    assert_eq!(page.matches("<script").count(), 1);
}

#[tokio::test]
async fn form_posts_and_cookie_api_calls_need_the_csrf_token() {
    let app = app();
    let (cookie, csrf) = app.login().await;
    let post = |fields: Vec<(&'static str, String)>| {
        let owned: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (kind, body) = multipart(&owned);
        Request::post("/rounds/new")
            .header(header::COOKIE, cookie.as_str())
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .unwrap()
    };
    let missing = app
        .send(post(vec![
            ("names", "Ada".into()),
            ("action", "preview".into()),
        ]))
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let wrong = app
        .send(post(vec![
            ("csrf", "f".repeat(64)),
            ("names", "Ada".into()),
            ("action", "preview".into()),
        ]))
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let right = app
        .send(post(vec![
            ("csrf", csrf.clone()),
            ("names", "Ada\nGrace".into()),
            ("seed", "5".into()),
            ("action", "preview".into()),
        ]))
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.text());
    let text = right.text();
    assert!(text.contains("Preview: python-developer, seed 5"), "{text}");
    for figure in [
        "Max pairwise overlap",
        "Mean pairwise overlap",
        "Lower bound",
        "Exposure spread",
        "Candidates the bank serves",
        "Ada",
        "Grace",
    ] {
        assert!(text.contains(figure), "the preview shows {figure}: {text}");
    }
    assert!(
        app.state.store.rounds().unwrap().is_empty(),
        "a preview records nothing"
    );

    // The API with the cookie: reading is fine, changing needs X-CSRF-Token.
    let body = json!({"candidates": [{"name": "Ada"}], "seed": 1}).to_string();
    let without = app
        .send(
            Request::post("/api/v1/rounds")
                .header(header::COOKIE, cookie.as_str())
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    assert_eq!(without.json()["error"], "csrf");
    let with = app
        .send(
            Request::post("/api/v1/rounds")
                .header(header::COOKIE, cookie.as_str())
                .header("x-csrf-token", csrf.as_str())
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(with.status, StatusCode::CREATED, "{}", with.text());

    // A kit's handout-link form without its token.
    let code = with.json()["kits"][0]["code"].as_str().unwrap().to_owned();
    let link = app
        .send(
            Request::post(format!("/kits/{code}/handout-link"))
                .header(header::COOKIE, cookie.as_str())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("csrf=nope"))
                .unwrap(),
        )
        .await;
    assert_eq!(link.status, StatusCode::FORBIDDEN);
    assert!(
        link.text().contains("security token"),
        "pages show errors as pages"
    );
}

#[tokio::test]
async fn a_hostile_name_is_text_on_every_page_and_in_every_file() {
    let app = app();
    let (cookie, csrf) = app.login().await;
    let round = app.round(&[EVIL, "Ada Lovelace"]).await;
    let id = round["round"]["id"].as_u64().unwrap();
    let code = round["kits"][0]["code"].as_str().unwrap().to_owned();
    assert_eq!(round["kits"][0]["candidate"], EVIL);
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    for page in [
        format!("/rounds/{id}"),
        format!("/kits/{code}"),
        "/rounds".to_owned(),
    ] {
        let text = app.get(&page, Auth::Cookie(&cookie)).await.text();
        assert!(!text.contains(EVIL), "{page} has the raw name");
        if page != "/rounds" {
            assert!(text.contains(escaped), "{page} shows the name as text");
        }
    }
    // The handout link page, and the link form's page.
    let link = app
        .send(
            Request::post(format!("/kits/{code}/handout-link"))
                .header(header::COOKIE, cookie.as_str())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("csrf={csrf}")))
                .unwrap(),
        )
        .await;
    assert_eq!(link.status, StatusCode::OK);
    let text = link.text();
    assert!(!text.contains(EVIL));
    let url = text
        .split("value=\"http://127.0.0.1:8080")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let handout = app.get(url, Auth::None).await.text();
    assert!(!handout.contains(EVIL) && handout.contains(escaped));
    // Every HTML file of the kit.
    for file in ["interviewer.html", "handout.html"] {
        let reply = app
            .get(&format!("/api/v1/kits/{code}/{file}"), Auth::Bearer(TOKEN))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(!reply.text().contains(EVIL), "{file}");
    }
    // The name in the JSON is the name as given (JSON escapes nothing a browser runs).
    let kit = app
        .get(&format!("/api/v1/kits/{code}"), Auth::Bearer(TOKEN))
        .await
        .json();
    assert_eq!(kit["candidate"], EVIL);
    // A new-round form re-shown with an error keeps the names as text.
    let (kind, body) = multipart(&[
        ("csrf", &csrf),
        ("names", EVIL),
        ("seed", "x"),
        ("action", "preview"),
    ]);
    let reply = app
        .send(
            Request::post("/rounds/new")
                .header(header::COOKIE, cookie.as_str())
                .header(header::CONTENT_TYPE, kind)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!reply.text().contains(EVIL) && reply.text().contains(escaped));
}

#[tokio::test]
async fn a_handout_link_reaches_its_handout_and_nothing_else() {
    let app = app();
    let round = app.round(&["Ada Lovelace", "Grace Hopper"]).await;
    let code = round["kits"][0]["code"].as_str().unwrap().to_owned();
    let other = round["kits"][1]["code"].as_str().unwrap().to_owned();
    let reply = app
        .api(
            Method::POST,
            &format!("/api/v1/kits/{code}/handout-link"),
            json!({}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let url = reply.json()["url"].as_str().unwrap().to_owned();
    let path = url
        .strip_prefix("http://127.0.0.1:8080")
        .unwrap()
        .to_owned();
    let token = path.strip_prefix("/h/").unwrap().to_owned();
    assert_eq!(token.len(), 64, "256 random bits");

    let page = app.get(&path, Auth::None).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("Ada Lovelace"));
    assert!(!text.contains("Grace Hopper"));
    // Only its own PDF and the static styles are linked: no app navigation at all.
    for forbidden in ["/rounds", "/bank", "/api/", "/kits/", &other, "csrf"] {
        assert!(
            !text.contains(forbidden),
            "the handout page mentions `{forbidden}`"
        );
    }
    // No answer-side text of any question of the kit.
    let kit: interview_kit::kit::Kit = serde_json::from_slice(
        &app.get(&format!("/api/v1/kits/{code}"), Auth::Bearer(TOKEN))
            .await
            .body,
    )
    .unwrap();
    let bank = interview_kit::bank::Bank::builtin().unwrap();
    for q in &kit.questions {
        let full = bank.question(&q.question.id).unwrap();
        for secret in std::iter::once(&full.purpose)
            .chain(&full.key_points)
            .chain(&full.red_flags)
        {
            let html = secret
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#x27;");
            assert!(
                !text.contains(secret.as_str()) && !text.contains(&html),
                "`{secret}` leaked"
            );
        }
    }
    let pdf = app.get(&format!("{path}/handout.pdf"), Auth::None).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with(b"%PDF"));
    let same = app
        .get(
            &format!("/api/v1/kits/{code}/handout.pdf"),
            Auth::Bearer(TOKEN),
        )
        .await;
    assert_eq!(
        pdf.body, same.body,
        "the link serves the kit's own handout, byte for byte"
    );

    // The link's token opens nothing else.
    for uri in [
        "/rounds",
        "/api/v1/rounds",
        &format!("/api/v1/kits/{code}"),
        &format!("/kits/{code}"),
    ] {
        let reply = app.get(uri, Auth::Bearer(&token)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{uri}");
    }
    let reply = app.get(&format!("/rounds?token={token}"), Auth::None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    for uri in [
        format!("{path}/interviewer.pdf"),
        format!("{path}/../../rounds"),
        format!("/h/{}", "a".repeat(64)),
    ] {
        let reply = app.get(&uri, Auth::None).await;
        assert!(
            reply.status == StatusCode::NOT_FOUND || reply.status == StatusCode::UNAUTHORIZED,
            "{uri}: {}",
            reply.status
        );
        assert!(!reply.text().contains("Ada"), "{uri}");
    }

    // Revoked, it is gone; a new link works again.
    let revoked = app
        .api(
            Method::DELETE,
            &format!("/api/v1/kits/{code}/handout-link"),
            json!({}),
        )
        .await;
    assert_eq!(revoked.json()["revoked"], 1);
    assert_eq!(
        app.get(&path, Auth::None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{path}/handout.pdf"), Auth::None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_api_answers_in_documented_shapes_and_error_codes() {
    let app = app();
    let round = app.round(&["Ada Lovelace", "José Núñez", "Zoë"]).await;
    let id = round["round"]["id"].as_u64().unwrap();
    assert_eq!(round["round"]["planned"], 3);
    assert_eq!(round["round"]["written"], 3);
    assert_eq!(round["round"]["seed"], 7);
    assert_eq!(round["kits"].as_array().unwrap().len(), 3);
    for kit in round["kits"].as_array().unwrap() {
        assert_eq!(kit["state"], "written");
        assert!(kit["code"].as_str().unwrap().starts_with("PY"));
    }
    let list = app.get("/api/v1/rounds", Auth::Bearer(TOKEN)).await.json();
    assert_eq!(list["rounds"][0]["id"], id);

    // kit.json is the library's kit for that code, and files render byte-identically to disk.
    let code = round["kits"][1]["code"].as_str().unwrap();
    let kit = app
        .get(&format!("/api/v1/kits/{code}"), Auth::Bearer(TOKEN))
        .await;
    assert_eq!(kit.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(kit.json()["candidate"], "José Núñez");
    assert_eq!(kit.json()["kit_code"], code);
    let folder = std::path::Path::new(round["round"]["folder"].as_str().unwrap())
        .join(round["kits"][1]["folder"].as_str().unwrap());
    for file in [
        "interviewer.pdf",
        "handout.pdf",
        "scorecard.csv",
        "kit.json",
    ] {
        let reply = app
            .get(&format!("/api/v1/kits/{code}/{file}"), Auth::Bearer(TOKEN))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{file}");
        assert_eq!(
            reply.body,
            std::fs::read(folder.join(file)).unwrap(),
            "{file} differs from the written kit"
        );
    }

    // The round as a ZIP: round.csv and every kit's files.
    let zip = app
        .get(&format!("/api/v1/rounds/{id}/zip"), Auth::Bearer(TOKEN))
        .await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.headers[header::CONTENT_TYPE], "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body.clone())).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    assert!(names.contains(&format!("round-{id}/round.csv")));
    let entry = format!(
        "round-{id}/{}/interviewer.pdf",
        round["kits"][1]["folder"].as_str().unwrap()
    );
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name(&entry).unwrap(), &mut bytes).unwrap();
    assert_eq!(
        bytes,
        std::fs::read(folder.join("interviewer.pdf")).unwrap()
    );
    let again = app
        .get(&format!("/api/v1/rounds/{id}/zip"), Auth::Bearer(TOKEN))
        .await;
    assert_eq!(
        zip.body, again.body,
        "the same round zips to the same bytes"
    );

    // Errors: JSON with the right status.
    let cases: Vec<(Reply, StatusCode, &str)> = vec![
        (
            app.get("/api/v1/rounds/999", Auth::Bearer(TOKEN)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            app.get("/api/v1/rounds/x", Auth::Bearer(TOKEN)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            app.get("/api/v1/kits/PY-NOPE", Auth::Bearer(TOKEN)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            app.get(
                &format!("/api/v1/kits/{code}/secret.txt"),
                Auth::Bearer(TOKEN),
            )
            .await,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            app.api(Method::POST, "/api/v1/rounds", json!({"candidates": []}))
                .await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            app.api(Method::POST, "/api/v1/rounds", json!({"names": ["Ada"]}))
                .await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            app.api(
                Method::POST,
                "/api/v1/rounds",
                json!({"candidates": [{"name": "Ada"}], "blueprint": "nope"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            app.api(
                Method::POST,
                "/api/v1/rounds",
                json!({"candidates": [{"name": "Ada"}, {"name": "ada"}]}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            app.api(
                Method::POST,
                "/api/v1/rounds",
                json!({"candidates": [{"name": "Ada"}], "paper": "a3"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            app.api(Method::POST, "/api/v1/kits/PY-NOPE/handout-link", json!({}))
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ];
    for (reply, status, error) in cases {
        assert_eq!(reply.status, status, "{}", reply.text());
        let body = reply.json();
        assert_eq!(body["error"], error, "{body}");
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }

    // A blueprint given as TOML text, and the preview.
    let toml = include_str!("../examples/blueprints/phone-screen.toml");
    let preview = app
        .api(
            Method::POST,
            "/api/v1/rounds/preview",
            json!({"candidates": [{"name": "Ada"}, {"name": "Bob"}], "blueprint": toml, "seed": 3}),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    let body = preview.json();
    let forecast = &body["forecast"];
    assert_eq!(forecast["kits"], 2);
    let per_kit: u64 = forecast["profile"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(per_kit, 3);
    assert_eq!(body["kits"][1]["candidate"], "Bob");
    assert_eq!(body["kits"][1]["questions"].as_array().unwrap().len(), 3);

    // Bodies over the limit are refused before they are read whole.
    let big = format!("token={}", "x".repeat(web::MAX_BODY));
    let reply = app
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(big))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let big = format!(
        "{{\"candidates\": [{{\"name\": \"{}\"}}]}}",
        "x".repeat(web::MAX_ROUND_BODY)
    );
    let reply = app
        .send(
            Request::post("/api/v1/rounds")
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .body(Body::from(big))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_preview_is_the_dry_run_forecast_and_the_round_generation_draws() {
    let app = app();
    // History: Ada and Bob already have kits in the workspace.
    let first = app.round(&["Ada Lovelace", "Bob Stone"]).await;
    let ada_code = first["kits"][0]["code"].as_str().unwrap();
    let seen = app.question_ids(ada_code).await;
    assert!(!seen.is_empty());

    let request =
        json!({"candidates": [{"name": "Ada Lovelace"}, {"name": "Cy Young"}], "seed": 9});
    let reply = app
        .api(Method::POST, "/api/v1/rounds/preview", request.clone())
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let preview = reply.json();
    let forecast = &preview["forecast"];
    for field in [
        "profile",
        "minutes",
        "max_overlap",
        "mean_overlap",
        "overlap_lower_bound",
        "max_overlap_lower_bound",
        "exposure_spread",
        "serves",
    ] {
        assert!(
            !forecast[field].is_null(),
            "the forecast has {field}: {forecast}"
        );
    }
    assert_eq!(forecast["serves"][0]["max_overlap"], 0);
    // Per-candidate history: Ada gets no question she was already given.
    let ada_now = preview["kits"][0]["questions"].as_array().unwrap();
    assert_eq!(preview["kits"][0]["candidate"], "Ada Lovelace");
    assert!(
        ada_now
            .iter()
            .all(|q| !seen.iter().any(|s| Some(s.as_str()) == q.as_str())),
        "Ada saw {seen:?}, the preview gives her {ada_now:?}"
    );

    // The same figures and kits as `generate --dry-run --json` on this workspace.
    let workspace = app._out.path().join("interview-kit.db");
    let output = assert_cmd::Command::cargo_bin("interview-kit")
        .unwrap()
        .args(["generate", "--dry-run", "--json", "--seed", "9"])
        .args(["--candidate", "Ada Lovelace", "--candidate", "Cy Young"])
        .arg("--workspace")
        .arg(&workspace)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dry: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(&dry["forecast"], forecast);
    let planned = preview["kits"].as_array().unwrap();
    let dry_kits = dry["kits"].as_array().unwrap();
    assert_eq!(planned.len(), dry_kits.len());
    for (web, cli) in planned.iter().zip(dry_kits) {
        for field in ["kit_code", "questions", "minutes"] {
            assert_eq!(web[field], cli[field], "{field}");
        }
    }

    // Generating the previewed round draws exactly the previewed kits.
    let created = app.round_from(request).await;
    for (kit, written) in planned.iter().zip(created["kits"].as_array().unwrap()) {
        assert_eq!(kit["kit_code"], written["code"]);
        let ids = app.question_ids(written["code"].as_str().unwrap()).await;
        assert_eq!(Value::from(ids), kit["questions"]);
    }
}

#[tokio::test]
async fn bank_pages_search_and_show_entries_and_lint() {
    let app = app();
    let (cookie, _) = app.login().await;
    let bank = interview_kit::bank::Bank::builtin().unwrap();
    let q = &bank.questions[0];
    let all = app
        .get("/api/v1/bank/questions", Auth::Bearer(TOKEN))
        .await
        .json();
    assert_eq!(all["count"], bank.questions.len());
    let by_topic = app
        .get(
            &format!("/api/v1/bank/questions?topic={}&level={}", q.topic, q.level),
            Auth::Bearer(TOKEN),
        )
        .await
        .json();
    let expected = bank
        .questions
        .iter()
        .filter(|x| x.topic == q.topic && x.level == q.level)
        .count();
    assert_eq!(by_topic["count"], expected);
    let bad = app
        .get("/api/v1/bank/questions?level=guru", Auth::Bearer(TOKEN))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let page = app
        .get(&format!("/bank?q={}", q.id), Auth::Cookie(&cookie))
        .await;
    assert!(page.text().contains(&format!("/bank/questions/{}", q.id)));
    let entry = app
        .get(&format!("/bank/questions/{}", q.id), Auth::Cookie(&cookie))
        .await;
    assert_eq!(entry.status, StatusCode::OK);
    assert!(entry.text().contains("Purpose"));
    let missing = app.get("/bank/questions/nope", Auth::Cookie(&cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.text().contains("no question &#x60;nope&#x60;"),
        "{}",
        missing.text()
    );
    let lint = app
        .get("/api/v1/bank/lint", Auth::Bearer(TOKEN))
        .await
        .json();
    let findings = interview_kit::bank::lint::lint(&bank, &[]);
    assert_eq!(lint["findings"].as_array().unwrap().len(), findings.len());
    assert_eq!(
        app.get("/bank/lint", Auth::Cookie(&cookie)).await.status,
        StatusCode::OK
    );
}
