//! End-to-end test of `serve` in a real headless Chromium driven through chromedriver
//! (fantoccini): token URL, a round from pasted names with preview and progress, a kit page,
//! a PDF read back with pdftotext, a handout link opened without the app's session.
//!
//! Without `/usr/bin/chromedriver` the test is skipped locally, and fails when `CI` is set.

use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use interview_kit::web::{self, AppState, Config};
use serde_json::json;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const TOKEN: &str = "feedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface";
const EVIL: &str = "<script>alert(1)</script>";
const WAIT: Duration = Duration::from_secs(60);

/// Kills chromedriver (and its browser) when the test ends, passed or not.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn start_chromedriver() -> Option<(Driver, u16)> {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{CHROMEDRIVER} is missing: CI must install chromium and chromium-driver (.ci/run)"
        );
        eprintln!("skipping the browser test: {CHROMEDRIVER} is not installed");
        return None;
    }
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < WAIT, "chromedriver never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((driver, port))
}

async fn browser(port: u16, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session")
}

/// The app on a loopback port, its workspace and kits in `dir`: its base URL and state.
async fn serve(dir: &std::path::Path) -> (String, AppState) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(Config {
        bank: interview_kit::bank::Bank::builtin().unwrap(),
        templates: interview_kit::templates::Templates::load(None).unwrap(),
        templates_dir: None,
        workspace: interview_kit::workspace::Location::File(dir.join("interview-kit.db")),
        out: dir.join("kits"),
        base_url: base.clone(),
        token: TOKEN.into(),
    })
    .unwrap();
    let app = web::router(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, state)
}

/// Fills the new-round form (`fields`: element id and text) and previews it; the preview.
async fn preview_round(client: &Client, base: &str, fields: &[(&str, &str)]) -> Element {
    client.goto(&format!("{base}/rounds/new")).await.unwrap();
    for (id, text) in fields {
        let field = client.find(Locator::Id(id)).await.unwrap();
        field.send_keys(text).await.unwrap();
    }
    click_then_wait(client, "button[value=preview]", Locator::Id("preview")).await
}

/// Generates the previewed round and waits until its page says every kit is written.
async fn generate_round(client: &Client) {
    // The page follows the progress and reloads once every kit is written.
    let done = Locator::Css("#progress[data-state=complete]");
    click_then_wait(client, "button[value=generate]", done).await;
}

/// Creates a handout link on the kit page shown; the link.
async fn create_handout_link(client: &Client) -> String {
    let button = "form[action$='/handout-link'] button";
    let link = click_then_wait(client, button, Locator::Id("handout-link")).await;
    link.prop("value").await.unwrap().expect("the link")
}

/// The text of the first element `css` selects.
async fn text_of(client: &Client, css: &str) -> String {
    let element = client.find(Locator::Css(css)).await.unwrap();
    element.text().await.unwrap()
}

/// Clicks the first element `css` selects, then waits for the element `then` finds.
async fn click_then_wait(client: &Client, css: &str, then: Locator<'_>) -> Element {
    let element = client.find(Locator::Css(css)).await.unwrap();
    element.click().await.unwrap();
    client.wait().at_most(WAIT).for_element(then).await.unwrap()
}

/// The bytes at `path`, fetched by the page itself (with its cookie), as base64.
async fn fetch_in_page(client: &Client, path: &str) -> Vec<u8> {
    let script = r#"
        const [path, done] = arguments;
        fetch(path, {credentials: "same-origin"})
          .then(r => r.arrayBuffer())
          .then(buf => {
            let s = ""; const bytes = new Uint8Array(buf);
            for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
            done(btoa(s));
          });
    "#;
    let value = client
        .execute_async(script, vec![json!(path)])
        .await
        .expect("fetch runs");
    decode_base64(value.as_str().expect("base64 text"))
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|&c| c != b'=') {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        buffer = (buffer << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recruiter_runs_a_round_in_chromium() {
    let Some((_driver, port)) = start_chromedriver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (base, state) = serve(dir.path()).await;
    let client = browser(port, &dir.path().join("chromium")).await;

    // Without the token: the login page.
    client.goto(&format!("{base}/rounds")).await.unwrap();
    assert!(client.source().await.unwrap().contains("Access token"));

    // The token URL signs in and drops the token from the address.
    client
        .goto(&format!("{base}/?token={TOKEN}"))
        .await
        .unwrap();
    let url = client.current_url().await.unwrap();
    assert_eq!(url.path(), "/rounds");
    assert!(url.query().is_none());

    // A round from pasted names: preview, then generate, with the hostile name as text.
    let evil_names = format!("Ada Lovelace\n{EVIL}\nJosé Núñez");
    let preview = preview_round(&client, &base, &[("names", &evil_names), ("seed", "11")]).await;
    let text = preview.text().await.unwrap();
    assert!(text.contains("Max pairwise overlap"), "{text}");
    assert!(text.contains(EVIL), "the name shows as text: {text}");
    generate_round(&client).await;
    assert!(
        client.get_alert_text().await.is_err(),
        "no script ran from a name"
    );
    let round_page = client.source().await.unwrap();
    assert!(round_page.contains("3 / 3"));
    assert!(!round_page.contains(EVIL));

    // The kit page: the interviewer packet as a page.
    let first = client
        .find(Locator::Css("table.list tbody a"))
        .await
        .unwrap();
    let code = first.text().await.unwrap();
    first.click().await.unwrap();
    let heading = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("main h1"))
        .await
        .unwrap();
    assert!(heading.text().await.unwrap().contains("Ada Lovelace"));
    let packet = text_of(&client, "article.packet").await;
    assert!(
        packet.contains("Purpose") && packet.contains(&code),
        "{packet}"
    );

    // The interviewer PDF, downloaded with the browser's session, reads back.
    let pdf = fetch_in_page(&client, &format!("/kits/{code}/files/interviewer.pdf")).await;
    assert!(pdf.starts_with(b"%PDF"));
    let file = dir.path().join("interviewer.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Ada Lovelace") && text.contains(&code),
        "{text}"
    );

    // A handout link, opened with no session at all.
    let link = create_handout_link(&client).await;
    assert!(link.starts_with(&format!("{base}/h/")));
    client.delete_all_cookies().await.unwrap();
    client.goto(&link).await.unwrap();
    let handout = client.source().await.unwrap();
    assert!(handout.contains("Ada Lovelace"));
    let kit = state.store.kit(&code).unwrap().expect("the kit");
    let bank = interview_kit::bank::Bank::builtin().unwrap();
    for label in [
        "Purpose",
        "Listen for",
        "Rubric",
        "/rounds",
        "/bank",
        "/api/",
    ] {
        assert!(!handout.contains(label), "the handout page shows `{label}`");
    }
    for q in &kit.kit.questions {
        let full = bank.question(&q.question.id).unwrap();
        let visible = client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !visible.contains(&full.purpose),
            "purpose of `{}` leaked",
            full.id
        );
        for point in &full.key_points {
            assert!(
                !visible.contains(point.as_str()),
                "key point of `{}` leaked",
                full.id
            );
        }
    }
    // The handout link gave no session: the app is still closed.
    client.goto(&format!("{base}/rounds")).await.unwrap();
    assert!(client.source().await.unwrap().contains("Access token"));

    client.close().await.unwrap();
}

/// The README's screenshots of the main pages, 1280×800, into `docs/images/` (run on demand:
/// `cargo test --test web_browser -- --ignored screenshots`; with `pngquant` installed the
/// PNGs are quantised to 256 colours). Every name, seed and date is fixed, so the pages are
/// the same on every run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes docs/images/; run on demand"]
async fn screenshots_of_the_main_pages() {
    let Some((_driver, port)) = start_chromedriver() else {
        return;
    };
    // A fixed folder, so the round page shows the same path on every run.
    let dir = std::env::temp_dir().join("interview-kit-demo");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (base, state) = serve(&dir).await;
    let client = browser(port, &dir.join("chromium")).await;
    // A 1280×800 viewport: the window is that much larger than its viewport.
    client.set_window_size(1280, 800).await.unwrap();
    let inner = client
        .execute("return window.innerHeight", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap() as u32;
    client.set_window_size(1280, 1600 - inner).await.unwrap();
    let images = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/images");
    std::fs::create_dir_all(&images).unwrap();
    let shoot = async |name: &str, scroll_to: Option<&str>| {
        if let Some(id) = scroll_to {
            client
                .execute(
                    "document.getElementById(arguments[0]).scrollIntoView()",
                    vec![json!(id)],
                )
                .await
                .unwrap();
        }
        let png = client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name} is a PNG");
        let file = images.join(format!("{name}.png"));
        std::fs::write(&file, png).unwrap();
        // Best effort: without pngquant the PNG stays as Chromium wrote it.
        let _ = Command::new("pngquant")
            .args([
                "--force",
                "--skip-if-larger",
                "--strip",
                "--ext",
                ".png",
                "256",
            ])
            .arg(&file)
            .status();
    };

    client
        .goto(&format!("{base}/?token={TOKEN}"))
        .await
        .unwrap();
    // An earlier round, so the preview draws against history and the list has two rows.
    let names = "Ada Lovelace\nGrace Hopper\nAlan Turing\nKatherine Johnson\nEdsger Dijkstra\nBarbara Liskov";
    for (round, seed) in [("Margaret Hamilton\nDennis Ritchie", "7"), (names, "42")] {
        let fields = [("names", round), ("seed", seed), ("date", "2026-12-14")];
        preview_round(&client, &base, &fields).await;
        if seed == "42" {
            shoot("new-round-preview", Some("preview")).await;
        }
        generate_round(&client).await;
    }
    shoot("round", None).await;
    let code = text_of(&client, "table.list tbody a").await;
    client.goto(&format!("{base}/rounds")).await.unwrap();
    shoot("rounds", None).await;
    client.goto(&format!("{base}/kits/{code}")).await.unwrap();
    shoot("kit", None).await;
    client.goto(&format!("{base}/bank")).await.unwrap();
    shoot("bank", None).await;

    // The candidate's handout link, opened without the app's session.
    client.goto(&format!("{base}/kits/{code}")).await.unwrap();
    let link = create_handout_link(&client).await;
    client.delete_all_cookies().await.unwrap();
    client.goto(&link).await.unwrap();
    shoot("handout-link", None).await;
    assert!(state.store.rounds().unwrap().len() == 2);
    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
