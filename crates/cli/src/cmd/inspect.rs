//! `bonafide inspect`: the artefacts decoding produces for one file.

use std::path::PathBuf;

use anyhow::Context;
use bonafide_decode::decode;
use bonafide_ingest::{ContentHash, sniff};
use bonafide_metadata::C2paReader;
use serde_json::{Value, json};

use bonafide_server::Config;

/// Arguments of `inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to inspect.
    file: PathBuf,
}

/// Prints one JSON document describing the file.
pub async fn run(config: Config, args: Args) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let media_type = sniff(&bytes);
    let c2pa = C2paReader::new(&config.engine.c2pa)?.read(&bytes, media_type.mime());
    let mut out = json!({
        "file": args.file,
        "size": bytes.len(),
        "sha256": ContentHash::of(&bytes).as_str(),
        "media_type": media_type.mime(),
        "kind": media_type.kind().map(|k| k.as_str()),
        "c2pa": c2pa,
    });
    match decode(bytes.into(), media_type, &config.engine.decode).await {
        Ok(art) => {
            if let Some(img) = &art.image {
                out["image"] =
                    json!({"width": img.width, "height": img.height, "orientation_applied": true});
            }
            out["metadata"] = serde_json::to_value(&art.metadata)?;
            if let Some(v) = &art.video {
                if let Some(container) = bonafide_metadata::Container::from_tags(&v.tags) {
                    out["metadata"]["container"] = serde_json::to_value(container)?;
                }
                out["video"] = json!({
                    "duration_ms": v.duration_ms, "width": v.width, "height": v.height, "codec": v.codec,
                    "tags": v.tags, "frames_sampled": v.frames.len(),
                    "frame_times_ms": v.frames.iter().map(|f| f.at_ms).collect::<Vec<_>>(),
                });
            }
            if let Some(d) = &art.document {
                let preview: String = d.text.chars().take(500).collect();
                out["document"] = json!({
                    "pages": d.pages, "info": d.info, "text_chars": d.text.chars().count(), "text_preview": preview,
                });
            }
        }
        Err(e) => {
            out["error"] =
                json!({"code": e.code().map_or(Value::Null, Value::from), "message": e.to_string()})
        }
    }
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
