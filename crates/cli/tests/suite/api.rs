//! The HTTP API end to end: uploads of every media kind, auth and scopes,
//! contributors and devices, rate limits, OpenAPI and metrics (copies,
//! task requirements and webhooks have files of their own).

use bonafide_store::Scope;
use serde_json::json;

use crate::common::*;

pub(super) const PHOTO: &str = "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg";

both!(
    video_and_document_artefacts_reach_the_verdict,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let v = srv
            .screen(
                &key,
                "clip.mp4",
                read("video/augly/small_input_1.mp4"),
                json!({"contributor_id": "c"}),
            )
            .await;
        assert!(v.clean_but_ffmpeg_written(), "{v:?}");
        assert_eq!(
            (v.0["width"].as_u64(), v.0["height"].as_u64()),
            (Some(480), Some(360))
        );
        assert!((5000..5100).contains(&v.0["duration_ms"].as_u64().unwrap()));

        let pdf =
            read("documents-pdf/py-pdf-sample-files/004-pdflatex-4-pages/pdflatex-4-pages.pdf");
        let v = srv
            .screen(&key, "doc.pdf", pdf, json!({"contributor_id": "c"}))
            .await;
        assert_eq!(v.decision(), "accept");
        assert_eq!(v.0["pages"], 4);

        let heic = read("exif-samples-ianare/heic/samplefilehub.heif");
        let v = srv
            .screen(&key, "p.heif", heic, json!({"contributor_id": "c"}))
            .await;
        assert_eq!(v.decision(), "accept", "{v:?}");
        assert_eq!(v.0["media_type"], "image/heif");
    }
);

both!(keys_and_scopes_are_enforced, |env: TestEnv| async move {
    let srv = env.serve().await;
    let (ingest, _) = env.key(&[Scope::Ingest], None).await;
    let (other, _) = env.key(&[Scope::Ingest], None).await;
    let (reviewer, _) = env.key(&[Scope::Review], None).await;

    let (status, body) = srv
        .upload(
            "bfk_wrong",
            "a.jpg",
            read(PHOTO),
            json!({"contributor_id": "c"}),
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")));
    let resp = srv
        .http
        .put(srv.url("/v1/tasks/t"))
        .bearer_auth(&ingest)
        .json(&json!({"title": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);

    let (_, up) = srv
        .upload(
            &ingest,
            "a.jpg",
            read(PHOTO),
            json!({"contributor_id": "c"}),
        )
        .await;
    let id = up["id"].as_str().unwrap();
    srv.verdict(&ingest, id).await;
    let (status, _) = srv.get(Some(&other), &format!("/v1/uploads/{id}")).await;
    assert_eq!(
        status, 404,
        "another ingest client must not see this upload"
    );
    let (status, _) = srv.get(Some(&reviewer), &format!("/v1/uploads/{id}")).await;
    assert_eq!(status, 200, "reviewers see every upload");
});

both!(
    openapi_health_and_metrics_are_served,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (_, doc) = srv.get(None, "/openapi.json").await;
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in [
            "/v1/uploads",
            "/v1/uploads/{id}",
            "/v1/tasks/{id}",
            "/healthz",
            "/metrics",
        ] {
            assert!(doc["paths"].get(path).is_some(), "OpenAPI lacks {path}");
        }
        assert!(doc["components"]["schemas"].get("UploadView").is_some());
        assert_eq!(srv.get(None, "/healthz").await.0, 200);
        // No browser sniffs a type out of any answer.
        for path in ["/healthz", "/openapi.json", "/metrics", "/v1/uploads/x"] {
            let resp = srv.http.get(srv.url(path)).send().await.unwrap();
            assert_eq!(
                resp.headers()["x-content-type-options"],
                "nosniff",
                "{path}"
            );
        }

        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let (_, up) = srv
            .upload(&key, "a.jpg", read(PHOTO), json!({"contributor_id": "c"}))
            .await;
        srv.verdict(&key, up["id"].as_str().unwrap()).await;
        // The same bytes from another account: one finding to count.
        let (_, up) = srv
            .upload(&key, "a.jpg", read(PHOTO), json!({"contributor_id": "d"}))
            .await;
        srv.verdict(&key, up["id"].as_str().unwrap()).await;
        // The counters move just after the verdict is committed.
        let mut text = String::new();
        for _ in 0..50 {
            text = srv.metrics().await;
            if text.contains(r#"bonafide_findings_total{code="duplicate.exact"} 1"#) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(text.contains("bonafide_uploads_total 2"), "{text}");
        // Made-up methods share one label ("other"), so a client cannot
        // add series at will.
        for i in 0..5 {
            let method = reqwest::Method::from_bytes(format!("BOGUS{i}").as_bytes()).unwrap();
            srv.http
                .request(method, srv.url("/healthz"))
                .send()
                .await
                .unwrap();
        }
        let text = srv.metrics().await;
        assert!(!text.contains("BOGUS"), "{text}");
        assert!(text.contains(r#"method="other""#), "{text}");
        assert!(
            text.contains("bonafide_verdicts_total{decision=\"accept\"} 1"),
            "{text}"
        );
        // Per-stage and per-detector latency, findings by code.
        for stage in [
            "fetch",
            "decode",
            "hash",
            "credentials",
            "banks",
            "models",
            "detectors",
            "record",
        ] {
            let count = format!(r#"bonafide_stage_seconds_count{{stage="{stage}"}} 2"#);
            assert!(text.contains(&count), "{count} in {text}");
        }
        assert!(
            text.contains(r#"bonafide_detector_seconds_count{detector="exact_duplicate"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"bonafide_findings_total{code="duplicate.exact"} 1"#),
            "{text}"
        );
        assert!(text.contains("bonafide_queue_depth"), "{text}");
        assert!(
            text.contains(
                r#"bonafide_http_requests_total{method="POST",route="/v1/uploads",status="202"} 2"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"route="/v1/uploads/{id}""#),
            "routes are templates, not raw paths: {text}"
        );
    }
);

both!(
    contributors_and_their_devices_are_tracked,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest, Scope::Review], None).await;
        let uploads = [
            ("alice", "phone-1"),
            ("alice", "phone-1"),
            ("alice", "phone-2"),
            ("bob", "phone-1"),
        ];
        for (i, (who, device)) in uploads.into_iter().enumerate() {
            let photo = format!(
                "near-duplicates/imagededup-ukbench/base_images/ukbench0{}.jpg",
                ["0120", "1380", "8976", "8996"][i]
            );
            let (status, _) = srv
                .upload(
                    &key,
                    "p.jpg",
                    read(&photo),
                    json!({"contributor_id": who, "device_id": device}),
                )
                .await;
            assert_eq!(status, 202);
        }
        let (_, alice) = srv.get(Some(&key), "/v1/contributors/alice").await;
        assert_eq!(alice["uploads"], 3);
        assert_eq!(alice["devices"][0]["device_id"], "phone-1");
        assert_eq!(alice["devices"][0]["uploads"], 2);
        assert_eq!(
            alice["devices"][0]["other_contributors"], 1,
            "bob used phone-1 too"
        );
        assert_eq!(alice["devices"][1]["other_contributors"], 0);
        assert_eq!(srv.get(Some(&key), "/v1/contributors/nobody").await.0, 404);
    }
);

both!(
    rate_limits_refuse_with_429_and_retry_after,
    |env: TestEnv| async move {
        let srv = env
            .serve_with(&bonafide_server::ApiConfig {
                key_per_second: 1,
                key_burst: 6,
                contributor_per_minute: 1,
                contributor_burst: 2,
                ..Default::default()
            })
            .await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let send = |contributor: &'static str| {
            srv.upload(
                &key,
                "a.jpg",
                read(PHOTO),
                json!({"contributor_id": contributor}),
            )
        };
        // One contributor: two in a burst, then refused until a minute's
        // share comes back.
        assert_eq!(send("flood").await.0, 202);
        assert_eq!(send("flood").await.0, 202);
        let form = reqwest::multipart::Form::new()
            .text("metadata", json!({"contributor_id": "flood"}).to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(read(PHOTO)).file_name("a.jpg"),
            );
        let resp = srv.post_form(&key, form).await;
        assert_eq!(resp.status(), 429);
        let retry: u64 = resp.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry), "Retry-After {retry}");
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["code"], "rate_limited_contributor");
        // Another contributor of the same key is let through...
        assert_eq!(send("other").await.0, 202);
        // ...until the key's own burst is spent, on any route.
        let mut statuses = Vec::new();
        for _ in 0..4 {
            statuses.push(srv.get(Some(&key), "/v1/uploads/none").await);
        }
        let (status, body) = statuses.last().unwrap();
        assert_eq!(*status, 429, "{statuses:?}");
        assert_eq!(body["code"], "rate_limited_key");
        let metrics = srv.metrics().await;
        assert!(
            metrics.contains(r#"bonafide_rate_limited_total{limit="contributor"} 1"#),
            "{metrics}"
        );
        assert!(
            metrics.contains(r#"bonafide_rate_limited_total{limit="key"}"#),
            "{metrics}"
        );
    }
);
