//! AI-generated images through `bonafide scan`: every ComfyUI image of
//! `ai-generated/` rejected as `ai.provenance` naming the checkpoints its
//! `labels.csv` row gives, the ComfyUI WebP animations likewise, and the
//! Stable Diffusion watermark fixtures rejected as `ai.watermark`.

use std::path::PathBuf;

use super::cli::{finding, scan};
use crate::common::*;

#[test]
fn comfyui_generations_are_rejected_naming_their_model() {
    let dir = tempfile::tempdir().unwrap();
    let labels = std::fs::read_to_string(data("ai-generated/labels.csv")).unwrap();
    let rows: Vec<(PathBuf, String)> = labels
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| c[3] == "comfyui-examples")
        .map(|c| (data("ai-generated").join(c[0]), c[2].to_owned()))
        .collect();
    assert_eq!(rows.len(), 14);
    let mut files: Vec<&std::path::Path> = rows.iter().map(|(p, _)| p.as_path()).collect();
    let animations = [
        data("video/ai-generated-comfyui/text_to_video_wan.webp"),
        data("video/ai-generated-comfyui/mochi_simple_checkpoint.webp"),
    ];
    files.extend(animations.iter().map(PathBuf::as_path));
    let lines = scan(dir.path(), &files);
    assert_eq!(lines.len(), files.len());
    // The learned detector, trained on these, notes most of them.
    let noted = lines
        .iter()
        .filter(|l| finding(l, "ai.generated").is_some())
        .count();
    assert!(
        noted >= 10,
        "the learned detector noted {noted} of {}",
        lines.len()
    );
    for line in &lines {
        let file = line["file"].as_str().unwrap();
        let found = finding(line, "ai.provenance").unwrap_or_else(|| panic!("{file}: {line}"));
        assert_eq!(line["verdict"], "reject", "{file}");
        assert_eq!(found["evidence"]["generator"], "ComfyUI", "{file}");
        let models: Vec<&str> = found["evidence"]["models"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        let message = found["message"].as_str().unwrap();
        match rows.iter().find(|(p, _)| p.to_str() == Some(file)) {
            Some((_, generator)) => {
                for model in generator.split(';') {
                    assert!(models.contains(&model), "{file}: {models:?}");
                    assert!(message.contains(model), "{file}: {message}");
                }
            }
            None => assert!(!models.is_empty(), "{file}: no model named"),
        }
    }
}

#[test]
fn a_stable_diffusion_watermark_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/watermark");
    let marked = [
        fixtures.join("animals_4-sd1.png"),
        fixtures.join("animals_6-sdxl.png"),
    ];
    let plain = data("ai-generated/ml72-playground/real/animals_4.jpg");
    let lines = scan(dir.path(), &[&marked[0], &marked[1], &plain]);
    for (line, watermark) in lines.iter().zip(["sd1", "sdxl"]) {
        let found = finding(line, "ai.watermark").unwrap_or_else(|| panic!("{line}"));
        assert_eq!(found["evidence"]["watermark"], watermark);
        assert_eq!(line["verdict"], "reject", "{line}");
    }
    assert!(finding(&lines[2], "ai.watermark").is_none(), "{}", lines[2]);
}
