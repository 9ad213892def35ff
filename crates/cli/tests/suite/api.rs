//! The HTTP API end to end: uploads, verdicts, duplicates, tasks, auth,
//! webhooks, OpenAPI and metrics.

use bonafide_store::Scope;
use serde_json::json;

use crate::common::*;

const PHOTO: &str = "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg";

both!(
    same_bytes_from_two_contributors_is_a_cross_account_duplicate,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let photo = read(PHOTO);

        let (s1, first) = srv
            .upload(
                &key,
                "a.jpg",
                photo.clone(),
                json!({"contributor_id": "alice"}),
            )
            .await;
        assert_eq!(s1, 202, "{first}");
        let first_id = first["id"].as_str().unwrap().to_owned();
        let v1 = srv.verdict(&key, &first_id).await;
        assert_eq!(v1.decision(), "accept", "{:?}", v1);
        assert_eq!(v1.0["width"], 640);

        let v2 = srv
            .screen(
                &key,
                "b.jpg",
                photo.clone(),
                json!({"contributor_id": "bob"}),
            )
            .await;
        let dup = v2
            .finding("duplicate.exact")
            .expect("duplicate.exact finding");
        assert_eq!(dup["evidence"]["first_upload_id"], first_id.as_str());
        assert_eq!(dup["evidence"]["cross_contributor"], true);
        assert_eq!(v2.decision(), "reject");
        assert_eq!(v2.0["verdict"]["reasons"][0]["code"], "duplicate.exact");

        // The same contributor re-sending is weaker evidence: a person looks.
        let v3 = srv
            .screen(&key, "c.jpg", photo, json!({"contributor_id": "alice"}))
            .await;
        assert_eq!(
            v3.finding("duplicate.exact").unwrap()["evidence"]["cross_contributor"],
            false
        );
        assert_eq!(v3.decision(), "review");
    }
);

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

both!(
    camera_tasks_flag_stripped_and_old_photos,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        // Worded for what the photo shows (trees and houses on a hillside),
        // so only its metadata is at issue.
        let task = json!({"title": "The countryside near you, today", "allowed_kinds": ["image"],
                          "instructions": "A landscape photo: trees, hills, fields, houses.",
                          "requirements": {"camera_capture": true, "captured_within_days": 1}});
        let resp = srv
            .http
            .put(srv.url("/v1/tasks/countryside"))
            .bearer_auth(&admin)
            .json(&task)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let stored: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(stored["requirements"]["camera_capture"], true);
        assert_eq!(stored["requirements"]["captured_within_days"], 1);

        // A camera photo from 2008: outside the task's one-day window.
        let camera = read("exif-samples-ianare/jpg/gps/DSCN0010.jpg");
        let v = srv
            .screen(
                &admin,
                "old.jpg",
                camera,
                json!({"contributor_id": "c", "task_id": "countryside"}),
            )
            .await;
        let old = v
            .finding("metadata.capture_outside_window")
            .unwrap_or_else(|| panic!("{v:?}"));
        assert_eq!(old["evidence"]["captured_within_days"], 1);
        assert!(v.finding("metadata.camera_stripped").is_none(), "{v:?}");
        assert_eq!(v.decision(), "review");

        // The camera photo's pixels saved again without any metadata.
        let mut bare = Vec::new();
        image::load_from_memory(&read("exif-samples-ianare/jpg/gps/DSCN0010.jpg"))
            .unwrap()
            .write_to(
                &mut std::io::Cursor::new(&mut bare),
                image::ImageFormat::Png,
            )
            .unwrap();
        let v = srv
            .screen(
                &admin,
                "bare.png",
                bare,
                json!({"contributor_id": "c", "task_id": "countryside"}),
            )
            .await;
        assert!(v.finding("metadata.camera_stripped").is_some(), "{v:?}");
        assert_eq!(v.decision(), "review");
    }
);

both!(
    a_camera_other_than_the_reported_device_is_flagged,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        // A Nikon COOLPIX P6000 photo.
        let nikon = read("exif-samples-ianare/jpg/gps/DSCN0010.jpg");
        let v = srv
            .screen(
                &key,
                "a.jpg",
                nikon.clone(),
                json!({"contributor_id": "c",
                "device_make": "Apple", "device_model": "iPhone 14 Pro"}),
            )
            .await;
        let m = v
            .finding("metadata.device_mismatch")
            .unwrap_or_else(|| panic!("{v:?}"));
        assert_eq!(m["evidence"]["file"]["make"], "NIKON");
        assert_eq!(m["evidence"]["reported"]["model"], "iPhone 14 Pro");
        assert_eq!(v.0["device_make"], "Apple");
        assert_eq!(v.decision(), "review");

        let v = srv
            .screen(
                &key,
                "b.jpg",
                nikon,
                json!({"contributor_id": "d",
                "device_make": "Nikon Corporation", "device_model": "COOLPIX P6000"}),
            )
            .await;
        assert!(v.finding("metadata.device_mismatch").is_none(), "{v:?}");

        let (status, body) = srv
            .upload(
                &key,
                "c.jpg",
                read(PHOTO),
                json!({"contributor_id": "c", "device_make": "bad\u{7}"}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["code"], "invalid_field");
    }
);

both!(
    task_requirements_reject_off_task_media,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        let task = json!({"title": "Take out the trash", "instructions": "A video of yourself taking out the trash",
                      "allowed_kinds": ["video"], "requirements": {"min_duration_ms": 3000}});
        let resp = srv
            .http
            .put(srv.url("/v1/tasks/trash"))
            .bearer_auth(&admin)
            .json(&task)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);

        let v = srv
            .screen(
                &admin,
                "p.jpg",
                read(PHOTO),
                json!({"contributor_id": "c", "task_id": "trash"}),
            )
            .await;
        assert_eq!(v.decision(), "reject");
        assert!(
            v.codes().contains(&"task.kind_not_allowed".to_owned()),
            "{v:?}"
        );

        let clip = read("video/augly/small_input_1.mp4");
        let v = srv
            .screen(
                &admin,
                "v.mp4",
                clip,
                json!({"contributor_id": "c", "task_id": "trash"}),
            )
            .await;
        assert!(v.clean_but_ffmpeg_written(), "on task: {v:?}");
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
    a_reencoded_copy_from_another_account_is_a_near_duplicate,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let pdq = "pdq-tmk-vpdq-threatexchange/pdq/data";
        let (_, first) = srv
            .upload(
                &key,
                "orig.jpg",
                read(&format!("{pdq}/bridge-mods/aaa-orig.jpg")),
                json!({"contributor_id": "alice"}),
            )
            .await;
        let first_id = first["id"].as_str().unwrap().to_owned();
        assert_eq!(srv.verdict(&key, &first_id).await.decision(), "accept");

        // Rotated 90° and re-encoded, from another account: rejected.
        let rotated = read(&format!("{pdq}/reg-test-input/dih/bridge-2-rotate-90.jpg"));
        let v = srv
            .screen(
                &key,
                "mine.jpg",
                rotated,
                json!({"contributor_id": "mallory"}),
            )
            .await;
        let near = v.finding("duplicate.near").expect("duplicate.near");
        assert_eq!(near["evidence"]["matched_upload_id"], first_id.as_str());
        assert_eq!(near["evidence"]["cross_contributor"], true);
        assert_ne!(near["evidence"]["orientation"], "original");
        assert_eq!(v.decision(), "reject", "{v:?}");

        // A recoloured copy from the same contributor: a person looks.
        let saturated = read(&format!("{pdq}/bridge-mods/high-saturation.jpg"));
        assert_eq!(
            srv.screen(
                &key,
                "again.jpg",
                saturated,
                json!({"contributor_id": "alice"})
            )
            .await
            .decision(),
            "review"
        );

        // A different photo matches nothing.
        let other = read("near-duplicates/imagededup-ukbench/base_images/ukbench09040.jpg");
        assert_eq!(
            srv.screen(
                &key,
                "other.jpg",
                other,
                json!({"contributor_id": "mallory"})
            )
            .await
            .decision(),
            "accept"
        );
    }
);

both!(
    an_image_matching_too_many_uploads_cannot_reject_alone,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let photo = read("near-duplicates/imagededup-ukbench/base_images/ukbench09012.jpg");
        let flood = bonafide_matching::FLOOD_LIMIT + 1;
        let mut last = None;
        for i in 0..=flood {
            // Same pixels, different bytes (data after the JPEG's end marker),
            // each from another account: a meme template or a stock logo.
            let mut copy = photo.clone();
            copy.extend_from_slice(format!("copy {i}").as_bytes());
            let (status, up) = srv
                .upload(
                    &key,
                    "c.jpg",
                    copy,
                    json!({"contributor_id": format!("acct{i}")}),
                )
                .await;
            assert_eq!(status, 202);
            let v = srv.verdict(&key, up["id"].as_str().unwrap()).await;
            if i == 1 {
                assert_eq!(
                    v.decision(),
                    "reject",
                    "a second account's copy is rejected: {v:?}"
                );
            }
            last = Some(v);
        }
        let last = last.unwrap();
        let near = last.finding("duplicate.near").unwrap();
        assert_eq!(near["evidence"]["low_signal"], true);
        assert_eq!(near["evidence"]["match_count"], flood);
        assert_eq!(
            last.decision(),
            "review",
            "flooded hashes go to a person: {last:?}"
        );
    }
);

/// A PDF re-saved by another tool: other bytes, same text.
fn resaved(pdf: &[u8]) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

both!(
    resaved_and_edited_documents_are_near_duplicates,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let samples = "documents-pdf/py-pdf-sample-files";
        let pdf = read(&format!("{samples}/001-trivial/minimal-document.pdf"));
        let (_, first) = srv
            .upload(
                &key,
                "paper.pdf",
                pdf.clone(),
                json!({"contributor_id": "alice"}),
            )
            .await;
        let first_id = first["id"].as_str().unwrap().to_owned();
        assert_eq!(srv.verdict(&key, &first_id).await.decision(), "accept");

        let copy = resaved(&pdf);
        assert_ne!(copy, pdf, "re-saving changes the bytes");
        let v = srv
            .screen(&key, "mine.pdf", copy, json!({"contributor_id": "bob"}))
            .await;
        let near = v.finding("duplicate.near").expect("duplicate.near");
        assert_eq!(near["evidence"]["media"], "document");
        assert_eq!(near["evidence"]["matched_upload_id"], first_id.as_str());
        assert!(near["evidence"]["similarity"].as_f64().unwrap() > 0.95);
        assert_eq!(v.decision(), "reject", "{v:?}");

        // The same text set again in LibreOffice instead of pdfTeX: line breaks,
        // hyphenation and a heading differ.
        let retyped = read(&format!(
            "{samples}/002-trivial-libre-office-writer/002-trivial-libre-office-writer.pdf"
        ));
        let v = srv
            .screen(
                &key,
                "retyped.pdf",
                retyped,
                json!({"contributor_id": "carol"}),
            )
            .await;
        let near = v
            .finding("duplicate.near")
            .expect("a re-typeset copy is a near duplicate");
        let similarity = near["evidence"]["similarity"].as_f64().unwrap();
        assert!((0.5..0.95).contains(&similarity), "{similarity}");
        assert_eq!(v.decision(), "review");

        let other = read(&format!(
            "{samples}/011-google-doc-document/google-doc-document.pdf"
        ));
        assert_eq!(
            srv.screen(&key, "other.pdf", other, json!({"contributor_id": "bob"}))
                .await
                .decision(),
            "accept"
        );
    }
);

both!(
    uploads_matching_a_bank_are_flagged_with_its_source,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let pdq = "pdq-tmk-vpdq-threatexchange/pdq/data";
        let known = image::load_from_memory(&read(&format!("{pdq}/bridge-mods/aaa-orig.jpg")))
            .unwrap()
            .into_rgb8();
        let hash = bonafide_pdq::hash_image(&known);
        env.store()
            .ensure_bank("stock", "a stock catalogue")
            .await
            .unwrap();
        let entry = bonafide_store::BankEntry {
            seq: 0,
            bank: "stock".into(),
            pdq: hash.hash.to_bytes(),
            quality: hash.quality,
            source: "https://stock.example/bridge".into(),
            licence: "rights-managed".into(),
            rights_holder: String::new(),
            embedding: None,
            descriptor: None,
            frame_ms: None,
        };
        assert_eq!(
            env.store()
                .add_bank_entries(&[entry.clone(), entry])
                .await
                .unwrap(),
            1
        );

        let v = srv
            .screen(
                &key,
                "b.jpg",
                read(&format!("{pdq}/bridge-mods/high-contrast.jpg")),
                json!({"contributor_id": "c"}),
            )
            .await;
        let hit = v.finding("bank.match").expect("bank.match");
        assert_eq!(hit["evidence"]["bank"], "stock");
        assert_eq!(hit["evidence"]["source"], "https://stock.example/bridge");
        assert_eq!(v.decision(), "reject");
        // By name: the reject is remembered in the `rejected` bank, which
        // sorts first and fills after the verdict.
        let banks = env.store().banks().await.unwrap();
        let stock = banks.iter().find(|b| b.name == "stock").unwrap();
        assert_eq!(stock.entries, 1);
    }
);

both!(
    a_clip_cut_from_another_accounts_video_is_caught,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let source = data("pdq-tmk-vpdq-threatexchange/tmk/sample-videos/chair-orig-22-sd-bar.mp4");
        let v = srv
            .screen(
                &key,
                "chair.mp4",
                std::fs::read(&source).unwrap(),
                json!({"contributor_id": "alice"}),
            )
            .await;
        let original = v.0["id"].as_str().unwrap().to_owned();
        assert!(v.clean_but_ffmpeg_written(), "{v:?}");

        // Eight seconds from the middle, re-encoded: a different file.
        let clip = env.dir.path().join("clip.mp4");
        let out = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-y", "-ss", "6", "-t", "8", "-i"])
            .arg(&source)
            .args([
                "-an",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-crf",
                "30",
            ])
            .arg(&clip)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = srv
            .screen(
                &key,
                "mine.mp4",
                std::fs::read(&clip).unwrap(),
                json!({"contributor_id": "bob"}),
            )
            .await;
        let near = v
            .finding("duplicate.near")
            .expect("the clip is found in the longer video");
        assert_eq!(near["evidence"]["media"], "video");
        assert_eq!(near["evidence"]["matched_upload_id"], original.as_str());
        assert!(
            near["evidence"]["query_share"].as_f64().unwrap() >= 0.8,
            "{near}"
        );
        assert!(
            near["evidence"]["target_share"].as_f64().unwrap() < 0.8,
            "only part of the original: {near}"
        );
        assert_eq!(v.decision(), "reject");
    }
);

both!(
    allowlisted_images_are_not_duplicates,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let pdq = "pdq-tmk-vpdq-threatexchange/pdq/data";
        // The template every contributor is asked to photograph.
        let template = image::load_from_memory(&read(&format!("{pdq}/bridge-mods/aaa-orig.jpg")))
            .unwrap()
            .into_rgb8();
        let hash = bonafide_pdq::hash_image(&template);
        env.store()
            .ensure_bank("allowlist", "task templates")
            .await
            .unwrap();
        let entry = bonafide_store::BankEntry {
            seq: 0,
            bank: "allowlist".into(),
            pdq: hash.hash.to_bytes(),
            quality: hash.quality,
            source: "task template".into(),
            licence: "own".into(),
            rights_holder: String::new(),
            embedding: None,
            descriptor: None,
            frame_ms: None,
        };
        env.store().add_bank_entries(&[entry]).await.unwrap();

        let first = srv
            .screen(
                &key,
                "a.jpg",
                read(&format!("{pdq}/bridge-mods/aaa-orig.jpg")),
                json!({"contributor_id": "alice"}),
            )
            .await;
        assert_eq!(first.decision(), "accept");
        let second = srv
            .screen(
                &key,
                "b.jpg",
                read(&format!("{pdq}/bridge-mods/high-contrast.jpg")),
                json!({"contributor_id": "bob"}),
            )
            .await;
        assert!(second.finding("bank.allowlisted").is_some(), "{second:?}");
        assert!(
            second.finding("duplicate.near").is_none(),
            "allowlisted content is no duplicate: {second:?}"
        );
        assert!(second.finding("bank.match").is_none());
        assert_eq!(second.decision(), "accept");
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
