//! Metadata and media forensics through `bonafide scan`: camera samples,
//! learned quantisation tables, impossible dates, editors named in XMP,
//! transplanted thumbnails, re-encoded videos, screenshots.

use serde_json::Value;

use super::cli::{bonafide, finding, json_lines, scan};
use crate::common::*;

/// The camera JPEGs of exif-samples: metadata findings never reject, and
/// every file whose EXIF Software (per the upstream dump) names an editor
/// is flagged with it.
#[test]
fn metadata_findings_on_camera_samples() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = data("exif-samples-ianare");
    let lines = scan(dir.path(), &[&corpus.join("jpg")]);
    assert!(lines.len() > 60, "{}", lines.len());

    // Editors named in the dump's `Image Software` lines, by path.
    let dump = std::fs::read_to_string(corpus.join("dump")).unwrap();
    let mut edited = std::collections::HashSet::new();
    let mut current = String::new();
    for line in dump.lines() {
        if let Some(path) = line.strip_prefix("Opening: exif-samples-master/") {
            current = path.trim().to_owned();
        } else if let Some(software) = line.strip_prefix("Image Software (ASCII): ") {
            let s = software.to_lowercase();
            if ["gimp", "photoshop", "lightroom", "photo gallery"]
                .iter()
                .any(|e| s.contains(e))
            {
                edited.insert(current.clone());
            }
        }
    }
    assert!(edited.len() > 15, "{edited:?}");

    let mut flagged = 0;
    for line in &lines {
        let file = line["file"].as_str().unwrap();
        let path = file.split("exif-samples-ianare/").nth(1).unwrap();
        let codes: Vec<&str> = line["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        if line["verdict"] == "reject" {
            assert!(
                line["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|r| !r["code"].as_str().unwrap().starts_with("metadata.")),
                "{path} rejected on metadata: {line}"
            );
        }
        assert!(
            !codes.contains(&"metadata.date_in_future"),
            "{path}: {line}"
        );
        if edited.contains(path) {
            assert!(
                codes.contains(&"metadata.editing_software"),
                "{path}: {codes:?}"
            );
            flagged += 1;
        }
    }
    assert_eq!(
        flagged,
        edited
            .iter()
            .filter(|p| corpus.join(p).exists() && p.starts_with("jpg/"))
            .count()
    );
}

/// Operators learn camera tables from their own originals and point the
/// engine at them (`engine.camera_tables`): only cameras in that file are
/// checked; a missing file is a clear error.
#[test]
fn camera_tables_learned_here_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let s40 = data("exif-samples-ianare/jpg/Canon_PowerShot_S40.jpg");
    // Tables learned from another camera only.
    let out = bonafide(dir.path())
        .args(["cameras", "learn"])
        .arg(data("exif-samples-ianare/jpg/exif-org/sony-d700.jpg"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let learned: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        learned["cameras"].as_object().unwrap().len(),
        1,
        "{learned}"
    );
    let tables = dir.path().join("tables.json");
    std::fs::write(&tables, &out.stdout).unwrap();

    // The S40 photo through a standard encoder at quality 90 (the camera
    // writes libjpeg's quality-75 tables itself), its EXIF copied back.
    let bytes = std::fs::read(&s40).unwrap();
    let mut resaved = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut resaved, 90)
        .encode_image(&image::load_from_memory(&bytes).unwrap())
        .unwrap();
    let resaved = [&resaved[..2], app1_exif(&bytes).unwrap(), &resaved[2..]].concat();
    let file = dir.path().join("resaved.jpg");
    std::fs::write(&file, resaved).unwrap();

    let scan_with = |config: &std::path::Path, store: &str| {
        bonafide(&dir.path().join(store))
            .arg("--config")
            .arg(config)
            .args(["scan", "--json"])
            .arg(&file)
            .output()
            .unwrap()
    };
    let shipped = dir.path().join("shipped.toml");
    std::fs::write(&shipped, "").unwrap();
    let line = &json_lines(&scan_with(&shipped, "a").stdout)[0];
    let mismatch = finding(line, "metadata.quantization_mismatch")
        .unwrap_or_else(|| panic!("the shipped tables know the S40: {line}"));
    assert_eq!(
        mismatch["evidence"]["camera"],
        "canon / canon powershot s40"
    );

    let own = dir.path().join("own.toml");
    std::fs::write(&own, format!("[engine]\ncamera_tables = {tables:?}\n")).unwrap();
    let line = &json_lines(&scan_with(&own, "b").stdout)[0];
    assert!(
        finding(line, "metadata.quantization_mismatch").is_none(),
        "the S40 is not in this file: {line}"
    );

    let missing = dir.path().join("missing.toml");
    std::fs::write(
        &missing,
        "[engine]\ncamera_tables = \"/nonexistent/tables.json\"\n",
    )
    .unwrap();
    let out = scan_with(&missing, "c");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/nonexistent/tables.json"), "{stderr}");
}

/// A camera photo whose capture date was pushed into the future (the EXIF
/// text edited in place) is flagged for review.
#[test]
fn a_capture_date_after_the_upload_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(data("exif-samples-ianare/jpg/gps/DSCN0010.jpg")).unwrap();
    let (old, new) = (b"2008:10:22 16:28:39", b"2099:10:22 16:28:39");
    let mut replaced = 0;
    for i in 0..bytes.len() - old.len() {
        if &bytes[i..i + old.len()] == old {
            bytes[i..i + old.len()].copy_from_slice(new);
            replaced += 1;
        }
    }
    assert!(replaced >= 1);
    let file = dir.path().join("future.jpg");
    std::fs::write(&file, bytes).unwrap();
    let line = &scan(dir.path(), &[&file])[0];
    let future =
        finding(line, "metadata.date_in_future").unwrap_or_else(|| panic!("not flagged: {line}"));
    assert_eq!(
        future["evidence"]["date_time_original"],
        "2099:10:22 16:28:39"
    );
    assert_eq!(line["verdict"], "review");
}

/// An editor named only in XMP (an APP1 packet added to a camera JPEG, as
/// editors write it) is flagged too.
#[test]
fn an_editor_named_only_in_xmp_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let camera = std::fs::read(data("exif-samples-ianare/jpg/gps/DSCN0010.jpg")).unwrap();
    let packet = concat!(
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">"#,
        r#"<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Snapseed 2.0"/>"#,
        r#"</rdf:RDF></x:xmpmeta>"#
    );
    let mut payload = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    payload.extend_from_slice(packet.as_bytes());
    let mut edited = camera[..2].to_vec();
    edited.extend_from_slice(&[0xFF, 0xE1]);
    edited.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    edited.extend_from_slice(&payload);
    edited.extend_from_slice(&camera[2..]);
    let file = dir.path().join("snapseed.jpg");
    std::fs::write(&file, edited).unwrap();
    let line = &scan(dir.path(), &[&file])[0];
    let finding =
        finding(line, "metadata.editing_software").unwrap_or_else(|| panic!("not flagged: {line}"));
    assert_eq!(
        finding["evidence"]["editors"][0]["field"],
        "XMP CreatorTool"
    );
    assert_eq!(finding["evidence"]["editors"][0]["value"], "Snapseed 2.0");
    assert_eq!(line["verdict"], "review");
}

/// EXIF transplanted from one camera photo onto another (a common way to
/// fake a capture): the thumbnail it brings shows the first picture.
#[test]
fn a_transplanted_exif_thumbnail_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let donor = std::fs::read(data("exif-samples-ianare/jpg/gps/DSCN0010.jpg")).unwrap();
    let photo = std::fs::read(data("exif-samples-ianare/jpg/Canon_40D.jpg")).unwrap();
    let mut forged = photo[..2].to_vec();
    forged.extend_from_slice(app1_exif(&donor).expect("donor EXIF"));
    let app1 = app1_exif(&photo).expect("photo EXIF");
    let at = photo.windows(app1.len()).position(|w| w == app1).unwrap();
    forged.extend_from_slice(&photo[2..at]);
    forged.extend_from_slice(&photo[at + app1.len()..]);
    let file = dir.path().join("forged.jpg");
    std::fs::write(&file, forged).unwrap();
    let line = &scan(dir.path(), &[&file])[0];
    let mismatch = finding(line, "metadata.thumbnail_mismatch")
        .unwrap_or_else(|| panic!("not flagged: {line}"));
    assert!(mismatch["evidence"]["distance"].as_u64().unwrap() > 90);
    assert_eq!(line["verdict"], "review");
}

/// The `APP1 Exif` segment of a JPEG, marker included.
fn app1_exif(jpeg: &[u8]) -> Option<&[u8]> {
    bonafide_metadata::jpeg_segments(jpeg)
        .find(|s| s.marker == 0xE1 && s.body.starts_with(b"Exif\0\0"))
        .map(|s| &jpeg[s.start..s.end()])
}

/// A video ffmpeg wrote is flagged as re-encoded; one without a transcoder
/// tag (c2pa's QuickTime fixture) is not.
#[test]
fn reencoded_videos_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let lines = scan(
        dir.path(),
        &[
            &data("video/augly/small_input_1.mp4"),
            &data("c2pa-rs-fixtures/fixtures/c.mov"),
        ],
    );
    let ffmpeg =
        finding(&lines[0], "metadata.reencoded").expect("the ffmpeg-written clip is flagged");
    assert_eq!(ffmpeg["evidence"]["encoder"], "Lavf58.20.100");
    assert!(
        finding(&lines[1], "metadata.reencoded").is_none(),
        "{}",
        lines[1]
    );
}

/// A phone-screen-sized PNG without camera metadata, or one a screenshot
/// tool signed, is flagged; a camera photo is not.
#[test]
fn screenshots_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    // A real photo's pixels, resized to an iPhone 13's screen.
    let photo = image::open(data(
        "near-duplicates/imagededup-ukbench/base_images/ukbench09060.jpg",
    ))
    .unwrap();
    let screen = photo.resize_exact(1170, 2532, image::imageops::FilterType::Triangle);
    let sized = dir.path().join("IMG_0001.PNG");
    screen.save(&sized).unwrap();
    // The photo at its own size, signed by a screenshot tool in a tEXt chunk.
    let mut png = Vec::new();
    photo
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let text = b"Software\0Greenshot";
    let mut chunk = (text.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(text);
    chunk.extend_from_slice(&[0; 4]);
    // After the 8-byte signature and the 25-byte IHDR chunk.
    png.splice(33..33, chunk);
    let signed = dir.path().join("capture.png");
    std::fs::write(&signed, png).unwrap();

    let camera = data("exif-samples-ianare/jpg/gps/DSCN0010.jpg");
    let lines = scan(dir.path(), &[&sized, &signed, &camera]);
    let screenshot = |l| finding(l, "metadata.screenshot");
    let by_size = screenshot(&lines[0]).expect("screen-sized PNG");
    assert_eq!(by_size["evidence"]["screen_size"], true);
    let by_tool = screenshot(&lines[1]).expect("tool-signed PNG");
    assert_eq!(by_tool["evidence"]["tool"], "Software: Greenshot");
    assert!(screenshot(&lines[2]).is_none(), "{}", lines[2]);
}
