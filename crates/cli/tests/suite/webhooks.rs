//! Webhooks: signed, retried until delivered, and never sent to a private
//! address.

use bonafide_store::Scope;
use serde_json::json;

use super::api::PHOTO;
use crate::common::*;

/// The receivers these tests start listen on loopback, which the SSRF
/// guard refuses by default.
fn loopback_webhooks() -> bonafide_engine::EngineConfig {
    let mut config = fast_config();
    config.egress.allow_private_networks = true;
    config.egress.allow_http = true;
    config
}

both!(
    webhooks_are_signed_and_retried,
    config = loopback_webhooks(),
    |env: TestEnv| async move {
        use std::sync::{Arc, Mutex};

        use axum::{extract::State, http::HeaderMap, routing::post};

        // A receiver that fails the first delivery, then records the second.
        type Seen = Arc<Mutex<Vec<(String, Vec<u8>)>>>;
        let seen: Seen = Arc::default();
        let app = axum::Router::new()
        .route(
            "/hook",
            post(
                |State(seen): State<Seen>, headers: HeaderMap, body: axum::body::Bytes| async move {
                    let sig = headers
                        .get("bonafide-signature")
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .to_owned();
                    let mut seen = seen.lock().unwrap();
                    seen.push((sig, body.to_vec()));
                    if seen.len() == 1 {
                        axum::http::StatusCode::SERVICE_UNAVAILABLE
                    } else {
                        axum::http::StatusCode::OK
                    }
                },
            ),
        )
        .with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hook = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        let srv = env.serve().await;
        let (key, secret) = env.key(&[Scope::Ingest], Some(hook)).await;
        let secret = secret.expect("a webhook secret is issued with a webhook URL");
        let (_, up) = srv
            .upload(&key, "a.jpg", read(PHOTO), json!({"contributor_id": "c"}))
            .await;
        let id = up["id"].as_str().unwrap().to_owned();

        // First attempt fails (503); the retry comes after a 1 s backoff.
        for _ in 0..300 {
            if seen.lock().unwrap().len() >= 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 2, "one failed delivery, one retry");
        let (sig, body) = &seen[1];
        let now = bonafide_store::now_ms() / 1000;
        let tolerance = bonafide_act::SIGNATURE_TOLERANCE;
        assert!(
            bonafide_act::verify(&secret, sig, body, now, tolerance),
            "signature must verify with the client's secret"
        );
        assert!(!bonafide_act::verify(
            "whsec_other",
            sig,
            body,
            now,
            tolerance
        ));
        let payload: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(payload["id"], id.as_str());
        assert_eq!(payload["verdict"]["decision"], "accept");
        // The receiver records a delivery before answering it; the worker then
        // retires the job. Wait for that, briefly.
        let mut q = env.store().queue_stats().await.unwrap();
        for _ in 0..100 {
            if (q.queued, q.running) == (0, 0) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            q = env.store().queue_stats().await.unwrap();
        }
        assert_eq!(
            (q.queued, q.running, q.dead),
            (0, 0, 0),
            "the delivered webhook's job is retired"
        );
    }
);

/// With the default egress policy a webhook aimed at this machine is never
/// sent: the delivery fails naming the guard, and the receiver sees nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_to_private_addresses_are_refused() {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { "ok" }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // Plain http allowed (the receiver has no certificate), private
    // networks not: the address guard is what refuses.
    let mut config = fast_config();
    config.egress.allow_http = true;
    let env = TestEnv::with_config(Backend::Sqlite, config).await;
    let srv = env.serve().await;
    let (admin, _) = env.key(&[Scope::Admin], None).await;
    let urls = [
        format!("http://127.0.0.1:{port}/hook"),
        format!("http://localhost:{port}/hook"),
    ];
    for (i, url) in urls.iter().enumerate() {
        let (key, _) = env.key(&[Scope::Ingest], Some(url.clone())).await;
        let v = srv
            .screen(&key, "a.jpg", read(PHOTO), json!({"contributor_id": "c"}))
            .await;
        assert_eq!(v.0["state"], "decided");
        // Each delivery fails on its first attempt with the guard's reason,
        // which the operator's queue view shows.
        let mut errors = Vec::new();
        for _ in 0..200 {
            let queue = srv.get(Some(&admin), "/v1/admin/queue").await.1;
            errors = queue["recent_errors"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if errors.len() > i {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(errors.len(), i + 1, "{url}: {errors:?}");
        for e in &errors {
            assert_eq!(e["kind"], "webhook", "{e}");
            let text = e["error"].as_str().unwrap_or_default();
            assert!(text.contains("non-public address"), "{url}: {text}");
        }
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing reached the receiver"
    );
}
