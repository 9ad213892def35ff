//! `bonafide hash`: content and perceptual hashes of files.

use std::path::PathBuf;

use anyhow::Context;
use bonafide_decode::decode;
use bonafide_ingest::{ContentHash, sniff};
use serde_json::json;

use bonafide_server::Config;

/// Arguments of `hash`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to hash.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// One JSON object per line.
    #[arg(long)]
    json: bool,
}

/// Prints `sha256  pdq  quality  file` (pdq `-` for non-images), or JSON
/// lines `{"file", "size", "sha256", "pdq", "pdq_quality"}`.
pub async fn run(config: Config, args: Args) -> anyhow::Result<()> {
    for file in &args.files {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let sha = ContentHash::of(&bytes);
        let size = bytes.len();
        let media_type = sniff(&bytes);
        // Images only; a file that does not decode simply has no PDQ hash.
        let pdq = match decode(bytes.into(), media_type, &config.engine.decode).await {
            Ok(art) => art
                .image
                .map(|img| bonafide_pdq::hash_image(img.luma.as_ref())),
            Err(_) => None,
        };
        if args.json {
            let line = json!({
                "file": file,
                "size": size,
                "sha256": sha.as_str(),
                "pdq": pdq.map(|p| p.hash.to_string()),
                "pdq_quality": pdq.map(|p| p.quality),
            });
            println!("{line}");
        } else {
            let (hash, quality) = pdq.map_or(("-".to_owned(), "-".to_owned()), |p| {
                (p.hash.to_string(), p.quality.to_string())
            });
            println!("{}  {hash}  {quality:>3}  {}", sha.as_str(), file.display());
        }
    }
    Ok(())
}
