//! Hostile and broken input: each case gets a clear 4xx or a `reject` with
//! a reason code — never a 500 — and the server keeps serving.

use bonafide_store::{HumanDecision, Scope};
use serde_json::{Value, json};

use crate::common::*;

const PHOTO: &str = "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg";

/// A valid PNG header declaring `w`×`h` pixels (no image data follows).
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    png
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

both!(
    every_bad_file_is_rejected_with_a_reason,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let photo = read(PHOTO);
        let mp4 = read("video/augly/small_input_1.mp4");
        let mut garbled_mp4 = mp4.clone();
        garbled_mp4.truncate(4096); // keeps the `ftyp` box, loses the rest
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            (
                "truncated.jpg",
                photo[..photo.len() / 3].to_vec(),
                "media.corrupt",
            ),
            (
                "notes.jpg",
                b"just some text, not a photo at all\n".repeat(20),
                "media.unsupported",
            ),
            ("bomb.png", png_header(100_000, 100_000), "media.too_large"),
            ("broken.mp4", garbled_mp4, "media.corrupt"),
            (
                "secret.pdf",
                read(
                    "documents-pdf/py-pdf-sample-files/005-libreoffice-writer-password/libreoffice-writer-password.pdf",
                ),
                "document.encrypted",
            ),
            (
                "ukbench09268_corrupt.jpg",
                read("near-duplicates/imagededup-ukbench/mixed_images/ukbench09268_corrupt.jpg"),
                "media.unsupported",
            ),
        ];
        for (name, bytes, code) in cases {
            let (status, up) = srv
                .upload(&key, name, bytes, json!({"contributor_id": "c"}))
                .await;
            assert_eq!(status, 202, "{name}: {up}");
            let v = srv.verdict(&key, up["id"].as_str().unwrap()).await;
            assert_eq!(v.decision(), "reject", "{name}: {v:?}");
            assert_eq!(v.0["verdict"]["reasons"][0]["code"], code, "{name}: {v:?}");
            assert!(
                !v.0["verdict"]["reasons"][0]["message"]
                    .as_str()
                    .unwrap()
                    .is_empty()
            );
        }
        assert_eq!(srv.get(None, "/healthz").await.0, 200);
    }
);

both!(
    bad_requests_get_clear_4xx_codes,
    |env: TestEnv| async move {
        let mut config = fast_config();
        config.decode.limits.max_bytes = 64 * 1024;
        let env = TestEnv::with_config(env.backend, config).await;
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let small = read("near-duplicates/imagededup-ukbench/base_images/ukbench08996.jpg");
        assert!(
            small.len() < 64 * 1024,
            "the sample must fit the test limit"
        );

        let cases: Vec<(&str, Vec<u8>, Value, u16, &str)> = vec![
            (
                "empty.jpg",
                vec![],
                json!({"contributor_id": "c"}),
                422,
                "empty_file",
            ),
            (
                "a.jpg",
                small.clone(),
                json!({"device_id": "d"}),
                422,
                "invalid_metadata",
            ),
            (
                "a.jpg",
                small.clone(),
                json!({"contributor_id": ""}),
                422,
                "invalid_field",
            ),
            (
                "a.jpg",
                small.clone(),
                json!({"contributor_id": "c", "client_ip": "999.1.1.1"}),
                422,
                "invalid_field",
            ),
            (
                "a.jpg",
                small.clone(),
                json!({"contributor_id": "c", "captured_at": "yesterday"}),
                422,
                "invalid_field",
            ),
            (
                "a.jpg",
                small.clone(),
                json!({"contributor_id": "c", "task_id": "no-such-task"}),
                422,
                "unknown_task",
            ),
            (
                "a.jpg",
                small.clone(),
                json!({"contributor_id": "c", "favourite": "x"}),
                422,
                "invalid_metadata",
            ),
        ];
        for (name, bytes, meta, status, code) in cases {
            let (got, body) = srv.upload(&key, name, bytes, meta.clone()).await;
            assert_eq!(
                (got, body["code"].as_str()),
                (status, Some(code)),
                "{meta}: {body}"
            );
            assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        }

        // Over the limit: refused while streaming. The server closes that
        // connection without reading the rest, so use a client of its own.
        let oversized = Server {
            addr: srv.addr,
            workers: None,
            http: reqwest::Client::new(),
            known_codes: srv.known_codes.clone(),
        };
        let (got, body) = oversized
            .upload(
                &key,
                "big.jpg",
                vec![0xFF; 2 << 20],
                json!({"contributor_id": "c"}),
            )
            .await;
        assert_eq!(
            (got, body["code"].as_str()),
            (413, Some("payload_too_large")),
            "{body}"
        );

        // Not multipart and not JSON; multipart without the file part.
        let resp = srv
            .http
            .post(srv.url("/v1/uploads"))
            .bearer_auth(&key)
            .body("x")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 415);
        let form = reqwest::multipart::Form::new()
            .text("metadata", json!({"contributor_id": "c"}).to_string());
        let resp = srv.post_form(&key, form).await;
        assert_eq!(resp.status(), 400);
        assert_eq!(resp.json::<Value>().await.unwrap()["code"], "missing_file");

        // Still serving, and a good upload still goes through.
        let (status, up) = srv
            .upload(&key, "ok.jpg", small, json!({"contributor_id": "c"}))
            .await;
        assert_eq!(status, 202);
        assert_eq!(
            srv.verdict(&key, up["id"].as_str().unwrap())
                .await
                .decision(),
            "accept"
        );
    }
);

// Pictures with nothing for the copy descriptor and its regions to hold on
// to — all black, pure noise, one pixel wide — get a verdict like any
// photo, and a second black photo is not called a copy of the first by
// its descriptor.
both!(
    degenerate_pictures_get_a_verdict,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let png = |img: image::RgbImage| {
            let mut out = std::io::Cursor::new(Vec::new());
            img.write_to(&mut out, image::ImageFormat::Png).unwrap();
            out.into_inner()
        };
        let mut x: u32 = 0x2545_F491;
        let noise = image::RgbImage::from_fn(640, 480, |_, _| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            image::Rgb([x as u8, (x >> 8) as u8, (x >> 16) as u8])
        });
        let cases = [
            ("black.png", png(image::RgbImage::new(800, 600))),
            ("noise.png", png(noise)),
            (
                "sliver.png",
                png(image::RgbImage::from_pixel(
                    1,
                    4000,
                    image::Rgb([90, 140, 200]),
                )),
            ),
            ("black-again.png", png(image::RgbImage::new(640, 480))),
        ];
        for (i, (name, bytes)) in cases.into_iter().enumerate() {
            let screened = srv
                .screen(
                    &key,
                    name,
                    bytes,
                    json!({"contributor_id": format!("c{i}")}),
                )
                .await;
            assert!(
                ["accept", "review", "reject"].contains(&screened.decision()),
                "{name}: {screened:?}"
            );
            assert!(
                screened.finding("detector.error").is_none(),
                "{name}: {screened:?}"
            );
            if let Some(copy) = screened.finding("duplicate.semantic") {
                assert_ne!(copy["evidence"]["by"], "descriptor", "{name}: {copy}");
            }
        }
    }
);

both!(a_ui_form_body_is_small, |env: TestEnv| async move {
    let srv = env.serve().await;
    // A login form is a name and a password: a megabyte of it is
    // refused before the password is checked.
    let huge = format!("name=a&password={}", "x".repeat(1 << 20));
    // Its own client: the server drops the connection it refused, which a
    // shared client's pool would hand to the next request.
    let resp = reqwest::Client::new()
        .post(srv.url("/ui/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await;
    // The server answers 413 from the headers and may close the connection
    // before the client has written the whole body: then the client sees
    // the refusal as a broken request instead of the 413.
    match resp {
        Ok(resp) => assert_eq!(resp.status().as_u16(), 413),
        Err(e) => assert!(e.is_request(), "{e}"),
    }
    let resp = srv
        .http
        .post(srv.url("/ui/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=a&password=wrong")
        .send()
        .await
        .unwrap();
    assert_ne!(resp.status().as_u16(), 413);
    assert!(resp.status().as_u16() < 500);
});

/// The sample HEIF with its `ispe` (image spatial extents) box claiming
/// `w`×`h` pixels.
fn heif_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut heif = read("exif-samples-ianare/heic/samplefilehub.heif");
    let at = heif
        .windows(4)
        .position(|b| b == b"ispe")
        .expect("the sample has an ispe box");
    // Box type, then version and flags, then width and height.
    heif[at + 8..at + 12].copy_from_slice(&w.to_be_bytes());
    heif[at + 12..at + 16].copy_from_slice(&h.to_be_bytes());
    heif
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_or_huge_heif_ends_in_a_verdict() {
    // A HEIF decoder that never finishes (and leaves a child of its own).
    let (hang, sleeping) = hanging_tool();
    let mut config = fast_config();
    config.decode.heif_convert = hang.clone();
    config.decode.tool_timeout_secs = 2;
    let env = TestEnv::with_config(Backend::Sqlite, config).await;
    let srv = env.serve().await;
    let (key, _) = env.key(&[Scope::Ingest], None).await;

    let started = std::time::Instant::now();
    let v = srv
        .screen(
            &key,
            "p.heif",
            heif_claiming(640, 426),
            json!({"contributor_id": "c"}),
        )
        .await;
    assert_eq!(v.decision(), "reject", "{v:?}");
    assert!(v.finding("media.corrupt").is_some(), "{v:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // The decoder's whole process group is gone, its own child included.
    assert_eq!(live_processes_running(&sleeping), 0);

    // A HEIF claiming 50000x50000 pixels is refused from its header: the
    // decoder (which would hang) never runs.
    let started = std::time::Instant::now();
    let v = srv
        .screen(
            &key,
            "big.heif",
            heif_claiming(50_000, 50_000),
            json!({"contributor_id": "d"}),
        )
        .await;
    assert_eq!(v.decision(), "reject", "{v:?}");
    assert!(v.finding("media.too_large").is_some(), "{v:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    std::fs::remove_file(&hang).unwrap();
}

/// A real PDF whose first page's content stream inflates to `inflated`
/// bytes of spaces (a few hundred KiB compressed).
fn pdf_inflating_to(inflated: usize) -> Vec<u8> {
    let pdf = read("documents-pdf/py-pdf-sample-files/001-trivial/minimal-document.pdf");
    let mut doc = lopdf::Document::load_mem(&pdf).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let mut stream = lopdf::Stream::new(lopdf::Dictionary::new(), vec![b' '; inflated]);
    stream.compress().unwrap();
    let content = doc.add_object(stream);
    doc.get_dictionary_mut(page)
        .unwrap()
        .set("Contents", lopdf::Object::Reference(content));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_over_the_content_budget_is_read_in_part_and_reviewed() {
    let env = TestEnv::new(Backend::Sqlite).await;
    let srv = env.serve().await;
    let (key, _) = env.key(&[Scope::Ingest], None).await;
    let bomb = pdf_inflating_to(300 << 20);
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    let v = srv
        .screen(&key, "bomb.pdf", bomb, json!({"contributor_id": "c"}))
        .await;
    let cut = v.finding("document.cut_short").expect("document.cut_short");
    assert!(
        cut["evidence"]["why"]
            .as_str()
            .unwrap()
            .contains("inflates past 256 MiB"),
        "{cut}"
    );
    assert_eq!(v.decision(), "review", "{v:?}");
}

/// Free text an attacker controls goes into the audit log, the UI and
/// webhooks: every field has a length, and JSON routes take small bodies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_text_fields_are_capped() {
    let env = TestEnv::with_config(Backend::Sqlite, accept_only_config()).await;
    let srv = env.serve().await;
    let (key, _) = env.key(&[Scope::Admin], None).await;
    let long = "x".repeat(300);
    let (status, body) = srv
        .upload(
            &key,
            "a.jpg",
            read(PHOTO),
            json!({"contributor_id": "c", "content_type": long}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_field"))
    );
    assert!(body["message"].as_str().unwrap().contains("content_type"));

    let put_task = |body: Value| {
        srv.http
            .put(srv.url("/v1/tasks/t"))
            .bearer_auth(&key)
            .json(&body)
            .send()
    };
    let resp = put_task(json!({"title": long})).await.unwrap();
    assert_eq!(resp.status(), 422);
    let resp = put_task(json!({"title": "t", "instructions": "y".repeat(9000)}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let resp = put_task(json!({"title": "t", "instructions": "y".repeat(2 << 20)}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 413, "a JSON body over 1 MiB");

    // Decisions' reason codes and notes, checked before the store is asked.
    let engine = &env.engine;
    for (code, note) in [
        (Some("Not A Code"), ""),
        (Some(long.as_str()), ""),
        (Some("off_task"), &"n".repeat(3000)[..]),
        (Some("off_task"), "a\u{0}b"),
    ] {
        let err = engine
            .decide_review_item(1, "reviewer:ada", HumanDecision::Reject, code, note)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("invalid field"), "{err}");
    }
}
