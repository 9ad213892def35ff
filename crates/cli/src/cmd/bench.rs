//! `bonafide bench`: end-to-end throughput and verdict latency.

use crate::config::Config;

/// Arguments of `bench`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the benchmark.
pub async fn run(_config: Config, _args: Args) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
