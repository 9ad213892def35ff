//! `bonafide fraud report`: one tenant's riskiest clusters of accounts, as
//! a table (or JSON lines), from the identity graph in the configured
//! store.

use bonafide_server::Config;

/// Fraud networks.
#[derive(Debug, clap::Subcommand)]
pub enum Fraud {
    /// The riskiest clusters with their size and leading factors.
    Report {
        /// Only clusters at or above this risk (0–1).
        #[arg(long, default_value_t = bonafide_fraud::risk::FLAG_AT)]
        min_risk: f64,
        /// At most this many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Whose accounts (each tenant has its own graph).
        #[arg(long, default_value = bonafide_core::DEFAULT_TENANT)]
        tenant: String,
        /// One JSON object per cluster instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a fraud command.
pub async fn run(config: Config, cmd: Fraud) -> anyhow::Result<()> {
    let Fraud::Report {
        min_risk,
        limit,
        tenant,
        json,
    } = cmd;
    let engine = super::engine(&config).await?;
    let clusters = engine.risky_clusters(&tenant, min_risk).await?;
    if json {
        for c in clusters.iter().take(limit) {
            println!("{}", serde_json::to_string(c)?);
        }
        return Ok(());
    }
    println!("{:<20} {:>7} {:>5}  factors", "cluster", "members", "risk");
    for c in clusters.iter().take(limit) {
        let factors: Vec<&str> = c.factors.iter().map(|f| f.detail.as_str()).collect();
        println!(
            "{:<20} {:>7} {:>5.2}  {}",
            c.cluster,
            c.members,
            c.score,
            factors.join("; ")
        );
    }
    if clusters.is_empty() {
        println!("(no cluster at or above risk {min_risk})");
    }
    Ok(())
}
