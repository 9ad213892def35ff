//! The Stable Diffusion watermark reader on the fixtures
//! `scripts/watermark-fixtures` makes (real photos marked with PyPI
//! `invisible-watermark`, as SD 1.x and SDXL do): each read as embedded
//! and after a JPEG re-save at quality 90, and no real photo of
//! ../shared/data read as marked.

use std::path::{Path, PathBuf};

use bonafide_decode::{DecodeConfig, decode};
use bonafide_ingest::sniff;
use bonafide_signals::{read_sd_watermark, sd_watermark_agreements};
use image::RgbImage;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The production decoder's full-size colour.
async fn colour(bytes: Vec<u8>) -> Option<RgbImage> {
    let media_type = sniff(&bytes);
    let art = decode(bytes.into(), media_type, &DecodeConfig::default())
        .await
        .ok()?;
    Some(art.image?.colour?.as_ref().clone())
}

/// A JPEG re-save at quality 90 (the `image` crate's encoder keeps chroma
/// at full resolution, 4:4:4).
fn jpeg_q90(rgb: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(rgb)
        .unwrap();
    out
}

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fixtures/watermark"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn every_fixture_is_read_as_embedded_and_after_jpeg_q90() {
    let files = fixtures();
    assert_eq!(files.len(), 4);
    for path in files {
        // `animals_4-sd1.png` carries `sd1`.
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let expected = stem.rsplit('-').next().unwrap();
        let rgb = colour(std::fs::read(&path).unwrap()).await.unwrap();
        let resaved = colour(jpeg_q90(&rgb)).await.unwrap();
        for (what, picture) in [("as embedded", &rgb), ("after JPEG q90", &resaved)] {
            let reading = read_sd_watermark(picture)
                .unwrap_or_else(|| panic!("{stem} {what}: {:?}", sd_watermark_agreements(picture)));
            assert_eq!(reading.watermark, expected, "{stem} {what}");
        }
    }
}

fn images_under(dir: &Path, out: &mut Vec<PathBuf>) {
    const IMAGES: [&str; 8] = ["jpg", "jpeg", "png", "webp", "tif", "tiff", "heic", "avif"];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase);
        if path.is_dir() {
            images_under(&path, out);
        } else if ext.is_some_and(|e| IMAGES.contains(&e.as_str())) {
            out.push(path);
        }
    }
}

#[tokio::test]
async fn no_real_photo_reads_as_marked() {
    let data = repo().join("../shared/data");
    let labels = std::fs::read_to_string(data.join("ai-generated/labels.csv")).unwrap();
    let generated: Vec<PathBuf> = labels
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(1) != Some("real"))
        .map(|l| data.join("ai-generated").join(l.split(',').next().unwrap()))
        .collect();
    let mut files = Vec::new();
    images_under(&data, &mut files);
    let mut read = 0;
    let mut highest = std::collections::BTreeMap::new();
    for path in files.iter().filter(|p| !generated.contains(p)) {
        let Some(rgb) = colour(std::fs::read(path).unwrap()).await else {
            continue;
        };
        let readings = sd_watermark_agreements(&rgb);
        assert!(
            readings.iter().all(|r| r.agreeing_bits <= r.likely_above),
            "{}: {readings:?}",
            path.display()
        );
        read += usize::from(!readings.is_empty());
        for r in readings {
            let top = highest.entry(r.watermark).or_insert((0, r.bits));
            top.0 = top.0.max(r.agreeing_bits);
        }
    }
    // docs/BENCHMARKS.md quotes this line (`-- --nocapture`).
    println!("{read} real photos read; highest agreement per mark: {highest:?}");
    assert!(read > 150, "only {read} photos large enough to read");
}
