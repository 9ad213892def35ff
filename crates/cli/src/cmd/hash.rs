//! `bonafide hash`: content hashes (perceptual hashes join as they land).

use std::path::PathBuf;

use anyhow::Context;
use bonafide_ingest::ContentHash;

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

/// Prints `sha256  file`, or JSON lines.
pub fn run(args: Args) -> anyhow::Result<()> {
    for file in &args.files {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let sha = ContentHash::of(&bytes);
        if args.json {
            let line =
                serde_json::json!({"file": file, "size": bytes.len(), "sha256": sha.as_str()});
            println!("{line}");
        } else {
            println!("{}  {}", sha.as_str(), file.display());
        }
    }
    Ok(())
}
