//! Semantic near-duplicates (CLIP image embeddings) and running without
//! the models.

use std::io::Cursor;

use bonafide_store::Scope;
use image::{DynamicImage, GenericImageView, Rgb, RgbImage};
use serde_json::json;

use crate::{common::*, suite::cli};

/// A real photo, as uploaded.
fn photo(rel: &str) -> Vec<u8> {
    read(rel)
}

/// What copies hashes miss: the middle 80 % of the photo (each side cut by
/// a tenth), on a white screenshot-like frame with a dark status bar,
/// re-encoded.
fn cropped_screenshot(jpeg: &[u8]) -> Vec<u8> {
    let img = image::load_from_memory(jpeg).unwrap();
    let (w, h) = img.dimensions();
    let crop = img.crop_imm(w / 10, h / 10, w * 8 / 10, h * 8 / 10);
    let (cw, ch) = crop.dimensions();
    let (pad, bar) = (cw / 10, ch / 8);
    let mut canvas = RgbImage::from_pixel(cw + 2 * pad, ch + 2 * pad + bar, Rgb([250, 250, 250]));
    for y in 0..bar {
        for x in 0..canvas.width() {
            canvas.put_pixel(x, y, Rgb([30, 30, 35]));
        }
    }
    image::imageops::overlay(
        &mut canvas,
        &crop.to_rgb8(),
        i64::from(pad),
        i64::from(pad + bar),
    );
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(canvas)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

both!(
    semantic_duplicate_catches_a_cropped_screenshot,
    |env: TestEnv| async move {
        let server = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let original = photo("ai-generated/ml72-playground/real/city_3.jpg");
        let meta = |who: &str| json!({"contributor_id": who});
        let first = server
            .screen(&key, "street.jpg", original.clone(), meta("alice"))
            .await;
        assert_eq!(first.decision(), "accept", "{:?}", first.0);

        let copy = server
            .screen(
                &key,
                "street-shot.jpg",
                cropped_screenshot(&original),
                meta("bob"),
            )
            .await;
        let found = copy
            .finding("duplicate.semantic")
            .unwrap_or_else(|| panic!("no semantic match: {:?}", copy.0));
        assert_eq!(found["evidence"]["matched_upload_id"], first.0["id"]);
        // Found by its copy descriptor, which CLIP's embedding backs up.
        assert_eq!(found["evidence"]["by"], "descriptor", "{found}");
        assert!(
            found["evidence"]["score"].as_f64().unwrap()
                >= f64::from(bonafide_matching::COPY_SCORE),
            "{found}"
        );
        assert_ne!(copy.decision(), "accept");
        assert!(
            copy.finding("duplicate.near").is_none(),
            "the hash misses this copy, which is why the descriptor is needed"
        );

        // Another photo of another scene is not a copy.
        let other = server
            .screen(
                &key,
                "lake.jpg",
                photo("ai-generated/ml72-playground/real/nature_3.jpg"),
                meta("carol"),
            )
            .await;
        assert!(
            other.finding("duplicate.semantic").is_none(),
            "{:?}",
            other.0
        );
    }
);

#[test]
fn without_models_scan_runs_and_names_what_it_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let file = data("ai-generated/ml72-playground/real/nature_3.jpg");
    let out = cli::bonafide(dir.path())
        .env("BONAFIDE_MODELS", empty.path())
        .args(["scan", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped: detector semantic_duplicate")
            && stderr.contains("scripts/models"),
        "{stderr}"
    );
    let lines = cli::json_lines(&out.stdout);
    assert_eq!(lines.len(), 1);
    let skipped = cli::finding(&lines[0], "detector.skipped").expect("a detector.skipped note");
    assert!(
        skipped["message"]
            .as_str()
            .unwrap()
            .contains("scripts/models")
    );
    assert_eq!(lines[0]["verdict"], "accept", "{}", lines[0]);

    let status = cli::bonafide(dir.path())
        .env("BONAFIDE_MODELS", empty.path())
        .arg("models")
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&status.stdout).contains("MISSING"));
}
