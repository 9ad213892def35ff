//! Generator traces on real files: every ComfyUI image in
//! `ai-generated/` names the checkpoints its `labels.csv` row gives, the two
//! ComfyUI WebP animations in `video/` name theirs (in EXIF), and no file
//! of the corpora that is not labelled AI — camera originals, web photos,
//! PDQ test images, documents, videos — carries a trace.

use std::path::{Path, PathBuf};

use bonafide_metadata::{generator_traces, read};

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn traces_of(path: &Path) -> Vec<bonafide_metadata::GeneratorTrace> {
    generator_traces(&read(&std::fs::read(path).unwrap()), [])
}

#[test]
fn comfyui_images_name_their_checkpoints() {
    let labels = data().join("ai-generated/labels.csv");
    let mut rows = csv::Reader::from_path(labels).unwrap();
    let mut checked = 0;
    for row in rows.records() {
        let row = row.unwrap();
        let (file, generator, set) = (&row[0], &row[2], &row[3]);
        if set != "comfyui-examples" {
            continue;
        }
        let traces = traces_of(&data().join("ai-generated").join(file));
        let models: Vec<&str> = traces
            .iter()
            .flat_map(|t| t.models.iter().map(String::as_str))
            .collect();
        assert!(
            traces.iter().all(|t| t.generator == "ComfyUI"),
            "{file}: {traces:?}"
        );
        for expected in generator.split(';') {
            assert!(
                models.contains(&expected),
                "{file}: {expected} not in {models:?}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 14);
}

#[test]
fn comfyui_webp_animations_name_their_models_in_exif() {
    for (file, model) in [
        ("text_to_video_wan.webp", "wan2.1"),
        ("mochi_simple_checkpoint.webp", "mochi"),
    ] {
        let traces = traces_of(&data().join("video/ai-generated-comfyui").join(file));
        let prompt = traces
            .iter()
            .find(|t| t.field == "exif:Model")
            .unwrap_or_else(|| panic!("{file}: {traces:?}"));
        assert_eq!(prompt.generator, "ComfyUI");
        assert!(
            prompt.models.iter().any(|m| m.starts_with(model)),
            "{file}: {prompt:?}"
        );
    }
}

#[test]
fn nothing_else_in_the_corpora_carries_a_trace() {
    let mut files = Vec::new();
    files_under(&data(), &mut files);
    let labelled_ai: Vec<PathBuf> = csv::Reader::from_path(data().join("ai-generated/labels.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[1] != "real")
        .map(|r| data().join("ai-generated").join(&r[0]))
        .collect();
    let mut checked = 0;
    for path in files {
        let ai = labelled_ai.contains(&path)
            || path.starts_with(data().join("video/ai-generated-comfyui"))
            // c2pa-rs's fixtures include generated images declared as such
            // in their signed manifests; C2PA is judged elsewhere.
            || path.starts_with(data().join("c2pa-rs-fixtures"));
        if ai
            || path
                .extension()
                .is_some_and(|e| e == "md" || e == "csv" || e == "txt")
        {
            continue;
        }
        let traces = traces_of(&path);
        assert!(traces.is_empty(), "{}: {traces:?}", path.display());
        checked += 1;
    }
    assert!(checked > 250, "only {checked} files checked");
}
