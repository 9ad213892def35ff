//! `bonafide bench`: measurements with a peer in the same run.

pub mod e2e;
pub mod hash;
pub mod index;
pub mod models;
mod pgvector;
pub mod semantic;
mod semantic_pgvector;
pub mod tamper;

use crate::config::Config;

/// What to measure.
#[derive(Debug, clap::Subcommand)]
pub enum Bench {
    /// End-to-end uploads/s and verdict latency through the HTTP API.
    E2e(e2e::Args),
    /// The perceptual-hash index against a brute-force scan (and pgvector).
    Index(index::Args),
    /// Decode + PDQ images/s on one core against Python pdqhash and imagehash.
    Hash(hash::Args),
    /// Image models: decode, CLIP, classifier and whole-pipeline latency
    /// per photo, batching, video cost, against Python ONNX Runtime.
    Models(models::Args),
    /// Semantic near-duplicates: CLIP against PDQ on generated copies of
    /// real photos, and the HNSW index against an exact scan.
    Semantic(semantic::Args),
    /// Metadata forensics: detection rate per tamper kind on forged copies
    /// of camera originals, and false positives on the originals.
    Tamper(tamper::Args),
}

/// Runs one benchmark.
pub async fn run(config: Config, bench: Bench) -> anyhow::Result<()> {
    match bench {
        Bench::E2e(args) => e2e::run(config, args).await,
        Bench::Index(args) => index::run(args).await,
        Bench::Hash(args) => hash::run(args).await,
        Bench::Tamper(args) => tamper::run(config, args).await,
        Bench::Semantic(args) => semantic::run(config, args).await,
        Bench::Models(args) => models::run(config, args).await,
    }
}
