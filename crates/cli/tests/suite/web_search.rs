//! The web-search provider adapter against a local server replaying Google
//! Cloud Vision's recorded answers (tests/fixtures/web-detection): what it
//! sends, what it makes of a match, and that a provider refusing the key is
//! a note, not a reason to hold the upload.

use std::sync::{Arc, Mutex};

use axum::{Json, Router, http::HeaderMap, http::StatusCode, routing::post};
use base64::Engine as _;
use bonafide_matching::{WebSearchConfig, web::VisionConfig};
use bonafide_store::Scope;
use serde_json::{Value, json};

use crate::common::*;

const KEY: &str = "replay-test-key";

fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/web-detection")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Serves `found.json` to requests bearing [`KEY`] and `denied.json` (403)
/// to others; returns its URL and the requests it saw (headers' key, body).
async fn replay_server() -> (String, Arc<Mutex<Vec<(String, Value)>>>) {
    let seen: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().route(
        "/v1/images:annotate",
        post(move |headers: HeaderMap, Json(body): Json<Value>| {
            let log = log.clone();
            async move {
                let key = headers
                    .get("x-goog-api-key")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                log.lock().unwrap().push((key.clone(), body));
                if key == KEY {
                    (StatusCode::OK, Json(fixture("found.json")))
                } else {
                    (StatusCode::FORBIDDEN, Json(fixture("denied.json")))
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/v1/images:annotate",
        listener.local_addr().unwrap()
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn config(endpoint: &str, key_env: &str) -> bonafide_engine::EngineConfig {
    let mut config = fast_config();
    // The replayed provider listens on loopback.
    config.egress.allow_private_networks = true;
    config.egress.allow_http = true;
    config.web_search = Some(WebSearchConfig::GoogleVision(VisionConfig {
        endpoint: endpoint.to_owned(),
        api_key_env: key_env.to_owned(),
        timeout_secs: 5,
        max_results: 10,
    }));
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_the_provider_finds_online_goes_to_review() {
    let (url, seen) = replay_server().await;
    // SAFETY: set once, before any engine reads it; no other test uses it.
    unsafe { std::env::set_var("BONAFIDE_TEST_VISION_KEY", KEY) };
    let env = TestEnv::with_config(Backend::Sqlite, config(&url, "BONAFIDE_TEST_VISION_KEY")).await;
    let srv = env.serve().await;
    let (key, _) = env.key(&[Scope::Ingest], None).await;
    let photo = read("pdq-tmk-vpdq-threatexchange/pdq/data/bridge-mods/aaa-orig.jpg");
    let screened = srv
        .screen(
            &key,
            "bridge.jpg",
            photo.clone(),
            json!({"contributor_id": "alice"}),
        )
        .await;
    let web = screened
        .finding("plagiarism.web_match")
        .unwrap_or_else(|| panic!("{screened:?}"));
    assert_eq!(web["evidence"]["provider"], "google_vision");
    assert_eq!(
        (&web["evidence"]["full"], &web["evidence"]["partial"]),
        (&json!(2), &json!(1))
    );
    let first = &web["evidence"]["matches"][0];
    assert_eq!(
        first["url"],
        "https://stock.example/photo/bridge-at-dusk-1048576"
    );
    assert_eq!(first["page_title"], "Bridge at dusk - stock photo");
    assert_eq!(first["closeness"], "full");
    assert_eq!(screened.decision(), "review", "{screened:?}");

    // What went out: the key in a header (not the URL), the file itself.
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    let (sent_key, body) = &requests[0];
    assert_eq!(sent_key, KEY);
    let request = &body["requests"][0];
    assert_eq!(request["features"][0]["type"], "WEB_DETECTION");
    let content = base64::engine::general_purpose::STANDARD
        .decode(request["image"]["content"].as_str().unwrap())
        .unwrap();
    assert_eq!(content, photo);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_refusing_the_key_is_only_a_note() {
    let (url, _) = replay_server().await;
    // SAFETY: as above; a name of this test's own.
    unsafe { std::env::set_var("BONAFIDE_TEST_VISION_BAD_KEY", "revoked") };
    let env = TestEnv::with_config(
        Backend::Sqlite,
        config(&url, "BONAFIDE_TEST_VISION_BAD_KEY"),
    )
    .await;
    let srv = env.serve().await;
    let (key, _) = env.key(&[Scope::Ingest], None).await;
    let screened = srv
        .screen(
            &key,
            "bridge.jpg",
            read("pdq-tmk-vpdq-threatexchange/pdq/data/bridge-mods/aaa-orig.jpg"),
            json!({"contributor_id": "alice"}),
        )
        .await;
    let note = screened
        .finding("plagiarism.web_unavailable")
        .unwrap_or_else(|| panic!("{screened:?}"));
    assert!(
        note["evidence"]["error"]
            .as_str()
            .unwrap()
            .contains("missing a valid API key"),
        "{note}"
    );
    assert!(screened.finding("plagiarism.web_match").is_none());
    // A note: the policy accepts it, so it can hold nothing up.
    let finding = bonafide_core::Finding::new(
        "web_search",
        "plagiarism.web_unavailable",
        note["score"].as_f64().unwrap() as f32,
        "",
    );
    assert_eq!(
        env.engine
            .policy()
            .action_for(&finding, std::slice::from_ref(&finding)),
        bonafide_core::Decision::Accept
    );
}

#[tokio::test]
async fn a_provider_without_its_key_stops_the_engine_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = bonafide_store::Store::open(&bonafide_store::StoreConfig::embedded(dir.path()))
        .await
        .unwrap();
    let err = bonafide_engine::Engine::new(
        store,
        config("http://127.0.0.1:9/none", "BONAFIDE_TEST_VISION_UNSET"),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("BONAFIDE_TEST_VISION_UNSET is not set"),
        "{err}"
    );
}
