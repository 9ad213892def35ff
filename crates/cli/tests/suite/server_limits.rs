//! What a slow or greedy client gets: connections that never finish their
//! headers are closed, stalled bodies answered 408, requests past the
//! in-flight cap 503, and uploads streamed to the blob store with the
//! contributor's limit checked before the file is read.

use std::time::Duration;

use bonafide_server::{ApiConfig, ServerLimits};
use bonafide_store::Scope;
use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::common::*;

const PHOTO: &str = "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg";

fn api(limits: ServerLimits) -> ApiConfig {
    ApiConfig {
        server: limits,
        ..Default::default()
    }
}

/// Reads until the server closes the connection (or `wait` passes);
/// returns what it sent.
async fn read_to_close(conn: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut got = Vec::new();
    tokio::time::timeout(wait, conn.read_to_end(&mut got))
        .await
        .ok()
        .map(|r| {
            r.unwrap_or_default();
            String::from_utf8_lossy(&got).into_owned()
        })
}

/// Opens an upload by hand: the request head declaring a file of
/// `file_bytes` more bytes, the metadata part for `contributor`, then the
/// file part's headers. What the file sends, if anything, is the caller's.
async fn start_upload(srv: &Server, key: &str, contributor: &str, file_bytes: usize) -> TcpStream {
    let form = format!(
        "--XX\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n\
         {}\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n",
        json!({ "contributor_id": contributor })
    );
    let head = format!(
        "POST /v1/uploads HTTP/1.1\r\nHost: bonafide\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: multipart/form-data; boundary=XX\r\nContent-Length: {}\r\n\r\n",
        form.len() + file_bytes
    );
    let mut conn = TcpStream::connect(srv.addr).await.unwrap();
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(form.as_bytes()).await.unwrap();
    conn
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let env = TestEnv::with_config(Backend::Sqlite, accept_only_config()).await;
    let srv = env
        .serve_with(&api(ServerLimits {
            header_timeout_secs: 1,
            ..Default::default()
        }))
        .await;
    // Half a request line and one header, then nothing.
    let mut half = TcpStream::connect(srv.addr).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: bonafide\r\n")
        .await
        .unwrap();
    // A connection that says nothing at all.
    let mut silent = TcpStream::connect(srv.addr).await.unwrap();
    for conn in [&mut half, &mut silent] {
        let answer = read_to_close(conn, Duration::from_secs(20)).await;
        assert!(answer.is_some(), "the server kept the connection open");
    }
    // A keep-alive connection that goes quiet after a request is closed
    // the same way; the request itself was answered.
    let mut idle = TcpStream::connect(srv.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: bonafide\r\n\r\n")
        .await
        .unwrap();
    let answer = read_to_close(&mut idle, Duration::from_secs(20))
        .await
        .expect("closed once idle");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_is_answered_408() {
    let env = TestEnv::with_config(Backend::Sqlite, accept_only_config()).await;
    let srv = env
        .serve_with(&api(ServerLimits {
            body_idle_timeout_secs: 1,
            ..Default::default()
        }))
        .await;
    let (key, _) = env.key(&[Scope::Ingest], None).await;
    let mut conn = start_upload(&srv, &key, "slow", 100_000).await;
    conn.write_all(&[0xff; 1000]).await.unwrap();
    let answer = read_to_close(&mut conn, Duration::from_secs(20))
        .await
        .expect("answered and closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    // Nothing was accepted, and the partial bytes are gone from staging.
    assert!(env.store().queue_stats().await.unwrap().queued == 0);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(env.store().sweep_staging(Duration::ZERO).await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_past_the_in_flight_cap_are_shed_with_503() {
    let env = TestEnv::with_config(Backend::Sqlite, accept_only_config()).await;
    let srv = env
        .serve_with(&api(ServerLimits {
            max_in_flight: 1,
            ..Default::default()
        }))
        .await;
    let (key, _) = env.key(&[Scope::Ingest], None).await;
    // One upload whose body is still arriving holds the only place.
    let holder = start_upload(&srv, &key, "holder", 100_000).await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let resp = srv
        .http
        .get(srv.url("/v1/uploads/none"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.headers()["retry-after"], "1");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "overloaded");
    // Probes and scrapes are answered whatever the load.
    let (status, _) = srv.get(None, "/healthz").await;
    assert_eq!(status, 200);
    let metrics = srv.metrics().await;
    assert!(
        metrics.contains(r#"bonafide_rate_limited_total{limit="in_flight"} 1"#),
        "{metrics}"
    );

    // The holder goes away; its place is free again.
    drop(holder);
    let mut status = 0;
    for _ in 0..50 {
        status = srv.get(Some(&key), "/v1/uploads/none").await.0;
        if status != 503 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 404);
}

both!(
    uploads_are_streamed_and_limited_contributors_refused_before_the_file,
    config = accept_only_config(),
    |env: TestEnv| async move {
        let srv = env
            .serve_with(&ApiConfig {
                contributor_per_minute: 1,
                contributor_burst: 1,
                server: ServerLimits {
                    body_idle_timeout_secs: 2,
                    ..Default::default()
                },
                ..Default::default()
            })
            .await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        // Larger than the staging buffer, so it goes up in parts.
        let mut big = read(PHOTO);
        big.resize(20 << 20, 0);
        let (status, body) = srv
            .upload(&key, "a.jpg", big.clone(), json!({"contributor_id": "c1"}))
            .await;
        assert_eq!(status, 202, "{body}");
        let stored = env
            .store()
            .upload(body["id"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.meta.size_bytes, big.len() as u64);
        assert_eq!(
            env.store().blobs.get(&stored.blob_key).await.unwrap().len(),
            big.len()
        );
        assert_eq!(
            stored.meta.sha256,
            bonafide_ingest::ContentHash::of(&big).0,
            "hashed while streamed"
        );

        // The same contributor again, metadata first, the file never sent:
        // the limit is checked on the metadata (a 429), not after a file
        // read that would have stalled (a 408).
        let mut conn = start_upload(&srv, &key, "c1", 1_000_000).await;
        let answer = read_to_close(&mut conn, Duration::from_secs(20))
            .await
            .expect("answered");
        assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
        assert!(answer.contains("rate_limited_contributor"), "{answer}");

        // Metadata after the file: the file is staged, then refused and
        // deleted.
        let form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(big).file_name("a.jpg"),
            )
            .text("metadata", json!({"contributor_id": "c1"}).to_string());
        let resp = srv.post_form(&key, form).await;
        assert_eq!(resp.status(), 429);
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(
            env.store().sweep_staging(Duration::ZERO).await.unwrap(),
            0,
            "refused bytes are not left in staging"
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_a_valid_key_are_limited_per_address() {
    let env = TestEnv::with_config(Backend::Sqlite, accept_only_config()).await;
    let srv = env
        .serve_with(&ApiConfig {
            unauthenticated_per_minute: 5,
            ..Default::default()
        })
        .await;
    let (key, _) = env.key(&[Scope::Ingest], None).await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let wrong = (i % 2 == 0).then_some("bfk_wrong");
        statuses.push(srv.get(wrong, "/v1/uploads/none").await);
    }
    let codes: Vec<u16> = statuses.iter().map(|(s, _)| *s).collect();
    assert_eq!(codes, [401, 401, 401, 401, 401, 429, 429, 429]);
    assert_eq!(statuses[5].1["code"], "rate_limited_address");
    // A client with its key is not held up by its address's failures.
    assert_eq!(srv.get(Some(&key), "/v1/uploads/none").await.0, 404);
}

/// An upload with a wrong key is answered 401 after a little of its body:
/// the client has sent 256 KiB of a declared 10 MiB and then waits, and
/// the answer comes without the rest (a 64 MiB drain would wait for the
/// body until the idle timeout).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_key_is_answered_before_the_body_is_sent() {
    let env = TestEnv::with_config(Backend::Sqlite, accept_only_config()).await;
    let srv = env
        .serve_with(&api(ServerLimits {
            body_idle_timeout_secs: 300,
            ..Default::default()
        }))
        .await;
    let mut conn = start_upload(&srv, "bfk_wrong", "alice", 10 << 20).await;
    conn.write_all(&vec![0u8; 256 << 10]).await.unwrap();
    // Read until the head of the answer is in; the server closes with
    // body bytes unread, so a reset may follow it.
    let mut got = Vec::new();
    let head = tokio::time::timeout(Duration::from_secs(60), async {
        let mut buf = [0u8; 4096];
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            match conn.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        String::from_utf8_lossy(&got).into_owned()
    })
    .await
    .expect("answered while the body was still owed");
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
}

/// What a process killed mid-upload leaves: a staging object, or on the
/// local store the part file of an unfinished write, which the store's
/// listing hides. The sweep removes what is older than its age, and only
/// that.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_staging_files_are_swept() {
    let env = TestEnv::with_config(Backend::Sqlite, accept_only_config()).await;
    let staging = env.dir.path().join("blobs").join("staging");
    std::fs::create_dir_all(&staging).unwrap();
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for name in ["01abandoned", "01abandoned#1"] {
        let file = std::fs::File::create(staging.join(name)).unwrap();
        file.set_modified(hour_ago).unwrap();
    }
    std::fs::write(staging.join("02arriving#1"), b"part").unwrap();
    let swept = env
        .store()
        .sweep_staging(Duration::from_secs(1200))
        .await
        .unwrap();
    assert_eq!(swept, 2);
    let left: Vec<String> = std::fs::read_dir(&staging)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left, ["02arriving#1"], "an upload still arriving is kept");
}
