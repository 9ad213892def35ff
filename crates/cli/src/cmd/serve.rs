//! `bonafide serve`: the HTTP API plus screening workers in one process.

use std::net::SocketAddr;

use bonafide_server::Config;

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Listen address (overrides config and BONAFIDE_LISTEN).
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// Number of screening workers (overrides config).
    #[arg(long)]
    workers: Option<usize>,
}

/// Serves until SIGINT/SIGTERM, then stops accepting, finishes in-flight
/// requests and lets workers finish their current job.
pub async fn run(mut config: Config, args: Args) -> anyhow::Result<()> {
    if let Some(n) = args.workers {
        config.engine.workers = n;
    }
    let engine = super::screening_engine(&config).await?;
    engine.warm_up_models();
    let events = engine.warm_up_fraud_graph().await?;
    eprintln!("bonafide: fraud graph replayed ({events} events)");
    let workers = engine.spawn_workers();
    let addr = args.listen.unwrap_or(config.listen);
    eprintln!(
        "bonafide: serving on http://{addr} (OpenAPI at /openapi.json), {} workers",
        config.engine.workers
    );
    bonafide_server::serve(engine.clone(), &config.api, addr, super::shutdown::signal()).await?;
    workers.shutdown().await;
    engine.store().db.close().await;
    Ok(())
}
