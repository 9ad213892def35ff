//! `bonafide-lab bench hash`: decode + PDQ images per second on one core, with
//! the Python peers (`pdqhash`, `imagehash`) timed on the same files in the
//! same run by `scripts/bench-hash-peers`; and the cost of the turned-copy
//! search an unmatched photo adds.

use std::{path::PathBuf, process::Command, time::Instant};

use anyhow::{Context, bail};
use bonafide_decode::{DecodeConfig, decode};
use bonafide_ingest::sniff;
use serde_json::{Value, json};

/// Arguments of `bench hash`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of JPEGs (searched recursively).
    dir: PathBuf,
    /// Use at most this many files (0: all).
    #[arg(long, default_value_t = 0)]
    limit: usize,
    /// Skip the Python peers.
    #[arg(long)]
    no_peers: bool,
}

/// Times decode and hash separately, one image at a time, then the peers.
pub async fn run(args: Args) -> anyhow::Result<()> {
    let mut files = super::files_under(&[&args.dir], &["jpg", "jpeg"]);
    if args.limit > 0 {
        files.truncate(args.limit);
    }
    // Only files that decode: the peers would fail on the broken ones.
    // Decoding for hashing: without the full-size colour only the image
    // models read (see `bench models` for that cost).
    let cfg = DecodeConfig {
        colour: false,
        ..Default::default()
    };
    let mut images = Vec::new();
    let mut kept = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
        if decode(bytes.clone().into(), sniff(&bytes), &cfg)
            .await
            .is_ok()
        {
            images.push(bytes);
            kept.push(f.clone());
        }
    }
    if images.is_empty() {
        bail!("no decodable JPEG under {}", args.dir.display());
    }

    let started = Instant::now();
    let mut decoded = Vec::with_capacity(images.len());
    for bytes in &images {
        let art = decode(bytes.clone().into(), sniff(bytes), &cfg).await?;
        decoded.push(art.image.context("an image")?.luma);
    }
    let decode_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for img in &decoded {
        std::hint::black_box(bonafide_pdq::hash_image(img.as_ref()));
    }
    let hash_s = started.elapsed().as_secs_f64();
    // What an upload that matched nothing pays on top: its centre turned
    // back by every residual angle and hashed (the index lookups aside).
    let started = Instant::now();
    for img in &decoded {
        std::hint::black_box(bonafide_matching::rotation::turned_centres(img));
    }
    let turned_s = started.elapsed().as_secs_f64();
    let n = images.len() as f64;
    let ours = n / (decode_s + hash_s);
    let mut report = json!({
        "images": images.len(),
        "decode_per_s": (n / decode_s * 10.0).round() / 10.0,
        "pdq_hash_per_s": (n / hash_s * 10.0).round() / 10.0,
        "decode_and_pdq_per_s": (ours * 10.0).round() / 10.0,
        "turned_centre_search_per_s": (n / turned_s * 10.0).round() / 10.0,
    });
    if !args.no_peers {
        let out = Command::new("scripts/bench-hash-peers")
            .args(&kept)
            .output()
            .context("running scripts/bench-hash-peers (run from the repository root)")?;
        if !out.status.success() {
            bail!("peers failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let peers: Value = serde_json::from_slice(&out.stdout).context("peer output")?;
        let ratio = |key: &str| {
            peers[key]
                .as_f64()
                .map(|p| (ours / p * 100.0).round() / 100.0)
        };
        report["peers"] = peers.clone();
        report["ratio_to_pdqhash"] = ratio("pdqhash_per_s").into();
        report["ratio_to_imagehash_phash"] = ratio("imagehash_phash_per_s").into();
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
