//! Every accepted format decodes from real files, with orientation applied
//! and the right errors for what cannot be screened.

use std::{path::PathBuf, process::Command};

use bonafide_core::MediaType;
use bonafide_decode::{DecodeConfig, DecodeError, decode};
use bonafide_ingest::sniff;

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

async fn decode_file(path: &std::path::Path) -> Result<bonafide_core::Artefacts, DecodeError> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let media_type = sniff(&bytes);
    decode(bytes.into(), media_type, &DecodeConfig::default()).await
}

#[tokio::test]
async fn still_image_formats_decode() {
    let cases = [
        (
            "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg",
            MediaType::Jpeg,
        ),
        (
            "near-duplicates/imagededup-ukbench/formats_images/ukbench09380.webp",
            MediaType::Webp,
        ),
        ("c2pa-rs-fixtures/fixtures/sample1.gif", MediaType::Gif),
        ("c2pa-rs-fixtures/fixtures/TUSCANY.TIF", MediaType::Tiff),
        ("exif-samples-ianare/tiff/Arbitro.tiff", MediaType::Tiff),
        ("exif-samples-ianare/heic/IMG_5195.HEIC", MediaType::Heif),
        ("c2pa-rs-fixtures/fixtures/sample1.avif", MediaType::Heif),
        (
            "pdq-tmk-vpdq-threatexchange/pdq/data/misc-images/c.png",
            MediaType::Png,
        ),
    ];
    for (rel, expected) in cases {
        let art = decode_file(&data(rel))
            .await
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(art.media_type, expected, "{rel}");
        let (w, h) = art.dimensions().unwrap();
        assert!(w > 0 && h > 0, "{rel}");
        // Full-size colour for the image models, upright like the luma.
        let colour = art.image.and_then(|i| i.colour).expect(rel);
        assert_eq!(colour.dimensions(), (w, h), "{rel}");
    }
}

/// Decoding for hashing alone keeps no colour, whatever the format.
#[tokio::test]
async fn colour_is_kept_only_when_asked() {
    let cfg = DecodeConfig {
        colour: false,
        ..Default::default()
    };
    for rel in [
        "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg",
        "pdq-tmk-vpdq-threatexchange/pdq/data/misc-images/c.png",
    ] {
        let bytes = std::fs::read(data(rel)).unwrap();
        let media_type = sniff(&bytes);
        let art = decode(bytes.into(), media_type, &cfg).await.unwrap();
        let image = art.image.expect(rel);
        assert!(image.colour.is_none() && image.luma.width() > 0, "{rel}");
    }
}

/// `landscape_N.jpg` is one photo stored in EXIF orientation N; once
/// oriented, all eight must show the same picture. (Each file was
/// re-encoded, so even the right orientation differs by ~14 levels per
/// channel; a wrong one differs by several times that.)
#[tokio::test]
async fn exif_orientation_is_applied() {
    let dir = data("exif-samples-ianare/jpg/orientation");
    let reference = decode_file(&dir.join("landscape_1.jpg"))
        .await
        .unwrap()
        .image
        .unwrap();
    for n in 2..=8 {
        let path = dir.join(format!("landscape_{n}.jpg"));
        let oriented = decode_file(&path).await.unwrap().image.unwrap();
        assert_eq!(
            (oriented.width, oriented.height),
            (reference.width, reference.height),
            "landscape_{n}"
        );
        assert_eq!(oriented.luma.dimensions(), reference.luma.dimensions());
        let right = mean_diff(&oriented.luma, &reference.luma);
        assert!(
            right < 20.0,
            "landscape_{n} differs from landscape_1 by {right:.1} per level"
        );
        // As stored (orientation ignored): for 2-4 the same size, but a
        // different picture.
        let stored = image::open(&path).unwrap().to_luma32f();
        if stored.dimensions() == (reference.width, reference.height) {
            let (w, h) = reference.luma.dimensions();
            let resized = image::imageops::resize(&stored, w, h, image::imageops::Triangle);
            let stored = bonafide_core::LumaImage::from_raw(
                w,
                h,
                resized.into_raw().iter().map(|v| v * 255.0).collect(),
            )
            .unwrap();
            let wrong = mean_diff(&stored, &reference.luma);
            assert!(
                wrong > 2.0 * right,
                "landscape_{n}: stored {wrong:.1} vs oriented {right:.1}"
            );
        }
    }
}

fn mean_diff(a: &bonafide_core::LumaImage, b: &bonafide_core::LumaImage) -> f64 {
    let sum: f64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| f64::from((x - y).abs()))
        .sum();
    sum / a.as_raw().len() as f64
}

#[tokio::test]
async fn video_containers_decode() {
    let dir = tempfile::tempdir().unwrap();
    let mp4 = data("video/augly/small_input_1.mp4");
    // MKV by remuxing and WebM by re-encoding the same real clip.
    let mkv = dir.path().join("clip.mkv");
    let webm = dir.path().join("clip.webm");
    ffmpeg(&[
        "-i",
        mp4.to_str().unwrap(),
        "-c",
        "copy",
        mkv.to_str().unwrap(),
    ]);
    ffmpeg(&[
        "-i",
        mp4.to_str().unwrap(),
        "-t",
        "2",
        "-an",
        "-c:v",
        "libvpx-vp9",
        "-deadline",
        "realtime",
        "-cpu-used",
        "8",
        "-b:v",
        "200k",
        webm.to_str().unwrap(),
    ]);
    let cases = [
        (mp4, MediaType::Mp4),
        (data("c2pa-rs-fixtures/fixtures/c.mov"), MediaType::Mov),
        (data("c2pa-rs-fixtures/fixtures/test.avi"), MediaType::Avi),
        (mkv, MediaType::Mkv),
        (webm, MediaType::Webm),
    ];
    for (path, expected) in cases {
        let art = decode_file(&path)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(art.media_type, expected, "{}", path.display());
        let video = art.video.unwrap();
        assert!(
            video.duration_ms > 0 && !video.frames.is_empty(),
            "{}",
            path.display()
        );
        let (w, h) = video.frames[0].image.dimensions();
        assert!(w.max(h) <= DecodeConfig::default().frame_max_side);
    }
}

#[tokio::test]
async fn limits_and_unscreenable_input() {
    let clip = std::fs::read(data("video/augly/small_input_1.mp4")).unwrap();
    let mut cfg = DecodeConfig::default();
    cfg.limits.max_video_ms = 2_000;
    let err = decode(clip.into(), MediaType::Mp4, &cfg).await.unwrap_err();
    assert!(matches!(err, DecodeError::TooLong(_)), "{err}");

    let photo = std::fs::read(data(
        "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg",
    ))
    .unwrap();
    cfg.limits.max_pixels = 100_000; // the photo is 640x480
    let err = decode(photo.into(), MediaType::Jpeg, &cfg)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("media.too_large"));

    let err = decode(b"plain text".to_vec().into(), MediaType::Unknown, &cfg)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("media.unsupported"));
    let err = decode(Vec::new().into(), MediaType::Jpeg, &cfg)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("media.empty"));

    let cfg = DecodeConfig {
        ffprobe: "/nonexistent/ffprobe".into(),
        ..Default::default()
    };
    let clip = std::fs::read(data("video/augly/small_input_1.mp4")).unwrap();
    let err = decode(clip.into(), MediaType::Mp4, &cfg).await.unwrap_err();
    assert!(
        matches!(err, DecodeError::Tool(_)),
        "a missing tool is ours to fix, not the upload's fault: {err}"
    );
    assert_eq!(err.code(), None);
}

#[tokio::test]
async fn pdf_pages_text_and_encryption() {
    let doc = decode_file(&data(
        "documents-pdf/py-pdf-sample-files/004-pdflatex-4-pages/pdflatex-4-pages.pdf",
    ))
    .await
    .unwrap()
    .document
    .unwrap();
    assert_eq!(doc.pages, 4);
    assert!(!doc.text.trim().is_empty());
    let err = decode_file(&data("c2pa-rs-fixtures/fixtures/basic-password.pdf"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("document.encrypted"));
}

fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg (scripts/setup)");
    assert!(
        out.status.success(),
        "ffmpeg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Page counts of every sample PDF match the corpus's `files.json`
/// (including one whose broken xref table the in-process parser rejects),
/// and the encrypted one is recognised.
#[tokio::test]
async fn every_sample_pdf_page_count() {
    let dir = data("documents-pdf/py-pdf-sample-files");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("files.json")).unwrap()).unwrap();
    let entries = truth
        .as_array()
        .or_else(|| truth["data"].as_array())
        .expect("files.json lists files");
    let mut checked = 0;
    for entry in entries {
        let path = dir.join(entry["path"].as_str().unwrap());
        if !path.exists() {
            continue; // the README lists the one file left out for size
        }
        checked += 1;
        let result = decode_file(&path).await;
        if entry["encrypted"] == true {
            assert_eq!(
                result.unwrap_err().code(),
                Some("document.encrypted"),
                "{}",
                path.display()
            );
        } else {
            let doc = result
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .document
                .unwrap();
            assert_eq!(
                u64::from(doc.pages),
                entry["pages"].as_u64().unwrap(),
                "{}",
                path.display()
            );
        }
    }
    assert!(checked >= 30, "{checked} PDFs checked");
}

/// A playlist passed off as an MP4 is read as an MP4 (and refused), never
/// followed: left to probe it, ffmpeg's HLS demuxer would open the video
/// the playlist names and screen that file instead of the upload.
#[tokio::test]
async fn a_playlist_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let segment = dir.path().join("other.ts");
    let made = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-i"])
        .arg(data("video/augly/small_input_1.mp4"))
        .args(["-c", "copy", "-f", "mpegts"])
        .arg(&segment)
        .status()
        .unwrap();
    assert!(made.success());
    let playlist = format!(
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://{}\n#EXT-X-ENDLIST\n",
        segment.display()
    );
    let Err(err) = decode(
        playlist.into_bytes().into(),
        MediaType::Mp4,
        &DecodeConfig::default(),
    )
    .await
    else {
        panic!("the playlist's video was decoded");
    };
    assert_eq!(err.code(), Some("media.corrupt"), "{err}");
}
