//! `bonafide worker`: screening workers without the HTTP API — the
//! processes added beside `serve` ones to screen more, sharing their
//! PostgreSQL and object store (jobs are leased with `SKIP LOCKED`; a killed
//! worker's job is leased again when its lease lapses).

use bonafide_server::Config;

/// Arguments of `worker`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of screening workers in this process (overrides config).
    #[arg(long)]
    workers: Option<usize>,
}

/// Screens until SIGINT/SIGTERM, then lets each worker finish its job.
pub async fn run(mut config: Config, args: Args) -> anyhow::Result<()> {
    if let Some(n) = args.workers {
        config.engine.workers = n;
    }
    config.ensure_workers()?;
    let engine = super::screening_engine(&config).await?;
    engine.warm_up_models();
    let events = engine.warm_up_fraud_graph().await?;
    eprintln!("bonafide: fraud graph replayed ({events} events)");
    let workers = engine.spawn_workers();
    eprintln!("bonafide: screening with {} workers", config.engine.workers);
    super::shutdown::signal().await;
    workers.shutdown().await;
    engine.store().db.close().await;
    Ok(())
}
