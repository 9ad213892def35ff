//! `bonafide-lab bench`: measurements with a peer in the same run.

pub mod fraud;
pub mod hash;
pub mod import;
pub mod index;
pub mod load;
pub mod models;
mod pgvector;
pub mod semantic;
mod semantic_pgvector;
pub mod tamper;

use std::path::{Path, PathBuf};

use bonafide_server::Config;

/// Files under `dirs` (recursively, sorted by name) whose extension is one
/// of `extensions` (any case): the corpora the benchmarks read.
pub(crate) fn files_under(dirs: &[&Path], extensions: &[&str]) -> Vec<PathBuf> {
    dirs.iter()
        .flat_map(|d| walkdir::WalkDir::new(d).sort_by_file_name())
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
        })
        .collect()
}

/// What to measure.
#[derive(Debug, clap::Subcommand)]
pub enum Bench {
    /// The HTTP API under load: real photos at a set rate for a bounded
    /// time; sustained uploads/s, verdict latency p50/p99, errors.
    Load(load::Args),
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
    /// The fraud graph on a synthetic population with planted rings:
    /// recall and precision, updates per second, memory, per-upload cost
    /// with the event log in a store.
    Fraud(fraud::Args),
    /// `bank import` entries/s: precomputed hashes against one INSERT per
    /// row; media against the hasher alone.
    Import(import::Args),
}

/// Runs one benchmark.
pub async fn run(config: Config, bench: Bench) -> anyhow::Result<()> {
    match bench {
        Bench::Load(args) => load::run(config, args).await,
        Bench::Index(args) => index::run(args).await,
        Bench::Hash(args) => hash::run(args).await,
        Bench::Tamper(args) => tamper::run(config, args).await,
        Bench::Semantic(args) => semantic::run(config, args).await,
        Bench::Models(args) => models::run(config, args).await,
        Bench::Fraud(args) => fraud::run(args).await,
        Bench::Import(args) => import::run(config, args).await,
    }
}
