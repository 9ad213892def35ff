//! Video frame hashes against Meta's vPDQ reference output.

use std::path::PathBuf;

use bonafide_decode::{DecodeConfig, decode};
use bonafide_pdq::{Hash256, hash_image};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/pdq-tmk-vpdq-threatexchange")
}

/// Our 1 fps frames of `chair-20-sd-bar.mp4`, hashed whole as the reference
/// does, against the 21 de-duplicated frame hashes upstream's test requires.
#[tokio::test]
async fn frame_hashes_agree_with_the_reference() {
    let bytes = std::fs::read(corpus().join("tmk/sample-videos/chair-20-sd-bar.mp4")).unwrap();
    // Full-size frames, as the reference hashes them.
    let cfg = DecodeConfig {
        frame_max_side: 4096,
        ..Default::default()
    };
    let art = decode(bytes.into(), bonafide_core::MediaType::Mp4, &cfg)
        .await
        .unwrap();
    let frames = art.video.unwrap().frames;
    let expected: Vec<Hash256> =
        std::fs::read_to_string(corpus().join("expected_vpdq_chair-20-sd-bar_unique_frames.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.trim().parse().unwrap())
            .collect();
    assert_eq!(
        frames.len(),
        expected.len(),
        "one frame per second, the first at 0 s"
    );
    let distances: Vec<u32> = frames
        .iter()
        .zip(&expected)
        .map(|(f, want)| hash_image(f.image.as_ref()).hash.distance(want))
        .collect();
    // Upstream requires a 100 % match both ways at distance 31; frame by
    // frame we agree far closer than that.
    assert!(distances.iter().all(|&d| d <= 10), "{distances:?}");
}
