//! Centre hashes find a photo turned by an arbitrary angle, on the UKBench
//! near-duplicate set, and keep distinct photos apart.

use std::path::{Path, PathBuf};

use bonafide_core::LumaImage;
use bonafide_decode::{DecodeConfig, decode};
use bonafide_ingest::sniff;
use bonafide_matching::rotation::{TURNED_MATCH_DISTANCE, centre_hash, turned_centres};

fn ukbench() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/near-duplicates/imagededup-ukbench")
}

async fn luma(path: &Path) -> LumaImage {
    let bytes = std::fs::read(path).unwrap();
    let art = decode(
        bytes.clone().into(),
        sniff(&bytes),
        &DecodeConfig::default(),
    )
    .await
    .unwrap();
    art.image.unwrap().luma.as_ref().clone()
}

/// The closest any turned-back variant of `query` comes to `stored`'s
/// centre hash, with the angle.
fn closest(query: &LumaImage, stored: &LumaImage) -> (u32, f32) {
    let target = centre_hash(stored).hash;
    turned_centres(query)
        .iter()
        .flat_map(|t| {
            t.variants
                .iter()
                .map(move |(_, h)| (h.hash.distance(&target), t.degrees))
        })
        .min_by(|a, b| a.0.cmp(&b.0))
        .unwrap()
}

#[tokio::test]
async fn a_turned_copy_is_found_and_other_photos_are_not() {
    let dir = ukbench();
    let original = luma(&dir.join("mixed_images/ukbench00120.jpg")).await;
    let turned = luma(&dir.join("mixed_images/ukbench00120_rotation.jpg")).await;
    let (distance, degrees) = closest(&turned, &original);
    assert!(
        distance <= TURNED_MATCH_DISTANCE,
        "turned copy at {distance} bits ({degrees}°)"
    );
    assert!((25.0..=35.0).contains(&degrees.abs()), "{degrees}°");

    let mut bases: Vec<PathBuf> = std::fs::read_dir(dir.join("base_images"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    bases.sort();
    for base in bases.iter().filter(|b| !b.ends_with("ukbench00120.jpg")) {
        let other = luma(base).await;
        let (distance, degrees) = closest(&turned, &other);
        assert!(
            distance > 2 * TURNED_MATCH_DISTANCE,
            "{} within {distance} bits at {degrees}°",
            base.display()
        );
    }
}

/// Angles off the search grid, and beyond a quarter turn, turned by ffmpeg
/// (an independent implementation; black corners, same canvas).
#[tokio::test]
async fn off_grid_and_large_angles_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let source = ukbench().join("base_images/ukbench09060.jpg");
    let original = luma(&source).await;
    for degrees in [3.3f32, -20.75, 38.2, 44.5, 102.4, -161.3] {
        let out = dir.path().join(format!("turned{degrees}.png"));
        let status = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-y", "-i"])
            .arg(&source)
            .args(["-vf", &format!("rotate={}", degrees.to_radians())])
            .arg(&out)
            .status()
            .expect("ffmpeg (scripts/setup)");
        assert!(status.success());
        let (distance, found) = closest(&luma(&out).await, &original);
        assert!(
            distance <= TURNED_MATCH_DISTANCE,
            "{degrees}°: closest {distance} bits (at {found}°)"
        );
    }
}
