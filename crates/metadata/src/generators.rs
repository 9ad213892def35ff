//! AI image generators by the traces they leave in a file's metadata: the
//! IPTC digital source type in XMP, the settings generator front ends write
//! into PNG text chunks (AUTOMATIC1111 and its forks, ComfyUI, InvokeAI,
//! NovelAI, Fooocus, Midjourney) or into EXIF (ComfyUI's WebP animations),
//! and generator names in software and credit fields.
//!
//! None of this is signed (C2PA is read elsewhere): anyone can strip it.
//! But nobody adds it to a real photo, so a trace is strong evidence.

use serde::Serialize;
use serde_json::Value;

use crate::Metadata;

/// One piece of evidence that a generator made the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratorTrace {
    /// The generator or front end, e.g. `ComfyUI`, `Midjourney`.
    pub generator: String,
    /// Model files or names, when the trace gives them (sorted, distinct).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    /// Where it was found, e.g. `png:prompt`, `xmp:DigitalSourceType`.
    pub field: String,
}

/// Generator names looked for in software, creator-tool and credit fields,
/// as whole words, case-insensitively: (what to find, the name to report).
const NAMES: &[(&str, &str)] = &[
    ("midjourney", "Midjourney"),
    ("dall-e", "DALL-E"),
    ("dall·e", "DALL-E"),
    ("dalle", "DALL-E"),
    ("adobe firefly", "Adobe Firefly"),
    ("firefly", "Adobe Firefly"),
    ("imagen", "Google Imagen"),
    ("made with google ai", "Google AI"),
    ("stable diffusion", "Stable Diffusion"),
    ("stablediffusion", "Stable Diffusion"),
    ("dreamstudio", "DreamStudio"),
    ("novelai", "NovelAI"),
    ("comfyui", "ComfyUI"),
    ("automatic1111", "AUTOMATIC1111"),
    ("invokeai", "InvokeAI"),
    ("fooocus", "Fooocus"),
    ("leonardo.ai", "Leonardo.Ai"),
    ("ideogram", "Ideogram"),
    ("bing image creator", "Bing Image Creator"),
    (
        "image creator from microsoft designer",
        "Microsoft Designer",
    ),
    ("nightcafe", "NightCafe"),
    ("craiyon", "Craiyon"),
    ("runway", "Runway"),
    ("sora", "OpenAI Sora"),
    ("kling", "Kling"),
];

/// The IPTC digital source types that mean a model made (part of) the
/// picture.
const AI_SOURCE_TYPES: &[&str] = &[
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
];

/// Every generator trace in `m`, plus `extra` fields from elsewhere (a
/// video container's tags) as `(field, text)`.
pub fn generator_traces<'a>(
    m: &'a Metadata,
    extra: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<GeneratorTrace> {
    let mut traces = Vec::new();
    if let Some(text) = &m.png_text {
        for (key, value) in text {
            traces.extend(settings_trace(&format!("png:{key}"), key, value));
        }
    }
    let exif = m.exif.as_ref();
    // ComfyUI's WebP writer stores `workflow:{…}` and `prompt:{…}` in EXIF
    // Make and Model.
    for (field, value) in [
        ("exif:Make", exif.and_then(|e| e.make.as_deref())),
        ("exif:Model", exif.and_then(|e| e.model.as_deref())),
    ] {
        if let Some((key, json)) = value.and_then(|v| v.split_once(':')) {
            traces.extend(settings_trace(field, key, json));
        }
    }
    if let Some(source) = m
        .xmp
        .as_ref()
        .and_then(|x| x.digital_source_type.as_deref())
        && AI_SOURCE_TYPES.iter().any(|t| source.ends_with(t))
    {
        let tool = m.xmp.as_ref().and_then(|x| x.creator_tool.as_deref());
        traces.push(GeneratorTrace {
            generator: tool
                .and_then(generator_named)
                .map_or_else(|| "a generative model".to_owned(), str::to_owned),
            models: Vec::new(),
            field: "xmp:DigitalSourceType".into(),
        });
    }
    let xmp = m.xmp.as_ref();
    let iptc = m.iptc.as_ref();
    let png = |k: &str| {
        m.png_text
            .as_ref()
            .and_then(|t| t.get(k))
            .map(String::as_str)
    };
    let named: Vec<(&str, &str)> = [
        ("exif:Software", exif.and_then(|e| e.software.as_deref())),
        (
            "xmp:CreatorTool",
            xmp.and_then(|x| x.creator_tool.as_deref()),
        ),
        ("iptc:Credit", iptc.and_then(|i| i.credit.as_deref())),
        ("iptc:Source", iptc.and_then(|i| i.source.as_deref())),
        ("png:Software", png("Software")),
        ("png:Source", png("Source")),
    ]
    .into_iter()
    .filter_map(|(f, v)| Some((f, v?)))
    .chain(
        xmp.into_iter()
            .flat_map(|x| x.history_agents.iter().map(|a| ("xmp:History", a.as_str()))),
    )
    .chain(extra)
    .collect();
    for (field, value) in named {
        if let Some(generator) = generator_named(value) {
            traces.push(GeneratorTrace {
                generator: generator.to_owned(),
                models: Vec::new(),
                field: field.to_owned(),
            });
        }
    }
    traces
}

/// The generator a software or credit field names, if any.
pub fn generator_named(field: &str) -> Option<&'static str> {
    let lower = field.to_lowercase();
    NAMES
        .iter()
        .find(|(needle, _)| contains_word(&lower, needle))
        .map(|(_, name)| *name)
}

/// Whether `needle` occurs in `hay` with no letter or digit on either side.
fn contains_word(hay: &str, needle: &str) -> bool {
    let edge = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
    hay.match_indices(needle).any(|(at, _)| {
        edge(hay[..at].chars().next_back()) && edge(hay[at + needle.len()..].chars().next())
    })
}

/// A generator's settings block under key `key` (a PNG text keyword, or
/// the prefix of a ComfyUI EXIF field).
fn settings_trace(field: &str, key: &str, value: &str) -> Option<GeneratorTrace> {
    let trace = |generator: &str, models: Vec<String>| GeneratorTrace {
        generator: generator.to_owned(),
        models: distinct(models),
        field: field.to_owned(),
    };
    match key {
        // ComfyUI: the executed graph, node id → {class_type, inputs}.
        "prompt" => {
            let graph: Value = serde_json::from_str(value).ok()?;
            let nodes = graph.as_object()?;
            if !nodes.values().any(|n| n.get("class_type").is_some()) {
                return None;
            }
            let models = nodes
                .values()
                .filter_map(|n| n.get("inputs")?.as_object())
                .flat_map(|inputs| {
                    ["ckpt_name", "unet_name"]
                        .into_iter()
                        .filter_map(|k| inputs.get(k)?.as_str().map(str::to_owned))
                })
                .collect();
            Some(trace("ComfyUI", models))
        }
        // ComfyUI's editor graph alone (no executed prompt): no model names
        // to trust, but the front end is known.
        "workflow" => {
            let graph: Value = serde_json::from_str(value).ok()?;
            graph.get("nodes")?.as_array()?;
            Some(trace("ComfyUI", Vec::new()))
        }
        // AUTOMATIC1111 and its forks: prompt lines, then
        // `Steps: 20, Sampler: …, Model hash: …, Model: name, …`.
        "parameters" => {
            if let Ok(json) = serde_json::from_str::<Value>(value) {
                // Fooocus writes its settings as JSON under the same key.
                let model = json.get("base_model").and_then(Value::as_str);
                return Some(trace(
                    "Fooocus",
                    model.map(str::to_owned).into_iter().collect(),
                ));
            }
            let settings = value.lines().rev().find(|l| l.contains("Steps:"))?;
            let model = settings
                .split(", ")
                .find_map(|kv| kv.strip_prefix("Model: "))
                .map(str::to_owned);
            Some(trace("AUTOMATIC1111", model.into_iter().collect()))
        }
        "invokeai_metadata" | "sd-metadata" => {
            let json: Value = serde_json::from_str(value).ok()?;
            let model = ["model", "model_weights"]
                .iter()
                .find_map(|k| match json.get(k)? {
                    Value::String(s) => Some(s.clone()),
                    m => m
                        .get("name")
                        .or_else(|| m.get("model_name"))?
                        .as_str()
                        .map(str::to_owned),
                });
            Some(trace("InvokeAI", model.into_iter().collect()))
        }
        "Dream" => Some(trace("InvokeAI", Vec::new())),
        "fooocus_scheme" => Some(trace("Fooocus", Vec::new())),
        // NovelAI: `Software: NovelAI`, the model in `Source`, settings in
        // `Comment` as JSON.
        "Comment" => {
            let json: Value = serde_json::from_str(value).ok()?;
            json.get("n_samples").or_else(|| json.get("sampler"))?;
            json.get("steps")?;
            Some(trace("NovelAI", Vec::new()))
        }
        // Midjourney: the prompt and its job id.
        "Description" if value.contains("Job ID:") => Some(trace("Midjourney", Vec::new())),
        _ => None,
    }
}

fn distinct(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::{Exif, Xmp};

    fn png(pairs: &[(&str, &str)]) -> Metadata {
        Metadata {
            png_text: Some(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            ),
            ..Metadata::default()
        }
    }

    #[test]
    fn automatic1111_settings_name_the_model() {
        let m = png(&[(
            "parameters",
            "a lighthouse at dusk\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.9.0",
        )]);
        let t = generator_traces(&m, []);
        assert_eq!(t[0].generator, "AUTOMATIC1111");
        assert_eq!(t[0].models, ["v1-5-pruned-emaonly"]);
        assert_eq!(t[0].field, "png:parameters");
    }

    #[test]
    fn novelai_and_midjourney_chunks() {
        let m = png(&[
            ("Software", "NovelAI"),
            ("Source", "NovelAI Diffusion V3 4BDE2A90"),
            (
                "Comment",
                r#"{"steps": 28, "sampler": "k_euler", "seed": 1}"#,
            ),
        ]);
        let names: Vec<String> = generator_traces(&m, [])
            .into_iter()
            .map(|t| t.generator)
            .collect();
        assert!(
            names.iter().all(|n| n == "NovelAI") && names.len() == 3,
            "{names:?}"
        );
        let m = png(&[("Description", "a cat in a hat --ar 3:2 Job ID: 1f2e")]);
        assert_eq!(generator_traces(&m, [])[0].generator, "Midjourney");
    }

    #[test]
    fn iptc_source_type_and_software_names() {
        let m = Metadata {
            xmp: Some(Xmp {
                digital_source_type: Some(
                    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia".into(),
                ),
                creator_tool: Some("Adobe Firefly".into()),
                ..Xmp::default()
            }),
            ..Metadata::default()
        };
        let t = generator_traces(&m, []);
        assert_eq!(t[0].generator, "Adobe Firefly");
        assert_eq!(t[0].field, "xmp:DigitalSourceType");
        // A camera's own capture type is not a trace.
        let mut camera = m.clone();
        camera.xmp.as_mut().unwrap().digital_source_type = Some("digitalCapture".into());
        camera.xmp.as_mut().unwrap().creator_tool = None;
        assert!(generator_traces(&camera, []).is_empty());
    }

    #[test]
    fn names_match_whole_words_only() {
        assert_eq!(generator_named("Midjourney v6"), Some("Midjourney"));
        assert_eq!(generator_named("Imagenomic Portraiture 3"), None);
        assert_eq!(generator_named("Adobe Photoshop 25.0"), None);
        assert_eq!(generator_named("Made with Google AI"), Some("Google AI"));
        let m = Metadata {
            exif: Some(Exif {
                software: Some("Canon EOS firmware 1.0.2".into()),
                ..Exif::default()
            }),
            ..Metadata::default()
        };
        assert!(
            generator_traces(&m, [("container:comment", "Runway Gen-3")])
                .iter()
                .any(|t| t.generator == "Runway")
        );
        assert!(generator_traces(&m, []).is_empty());
    }

    #[test]
    fn foreign_json_and_plain_text_are_not_traces() {
        let m = png(&[
            ("prompt", r#"{"question": "not a graph"}"#),
            ("Comment", "scanned at the library"),
            ("parameters", "no settings here"),
        ]);
        assert!(generator_traces(&m, []).is_empty());
    }
}
