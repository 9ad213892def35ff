//! `bonafide keys`: API keys for the HTTP API.

use bonafide_store::{NewApiClient, Scope};

use crate::config::Config;

/// Key management.
#[derive(Debug, clap::Subcommand)]
pub enum Keys {
    /// Create an API client and print its key (shown once).
    Create {
        /// A name for the client, e.g. "mobile-app".
        #[arg(long)]
        name: String,
        /// Comma-separated scopes: ingest, review, admin.
        #[arg(long, value_delimiter = ',', default_value = "ingest")]
        scopes: Vec<String>,
        /// URL that receives each verdict as a signed POST.
        #[arg(long)]
        webhook_url: Option<String>,
    },
}

/// Runs a key command.
pub async fn run(config: Config, keys: Keys) -> anyhow::Result<()> {
    let Keys::Create {
        name,
        scopes,
        webhook_url,
    } = keys;
    let scopes = scopes
        .iter()
        .map(|s| {
            Scope::parse(s.trim())
                .ok_or_else(|| anyhow::anyhow!("unknown scope {s:?} (ingest, review, admin)"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if let Some(url) = &webhook_url {
        // Literal private addresses are refused here; names are checked at
        // every delivery, where they resolve.
        bonafide_egress::check_url(url, &config.engine.egress)
            .map_err(|e| anyhow::anyhow!("--webhook-url: {e}"))?;
    }
    let engine = super::engine(&config).await?;
    let (client, key) = engine
        .store()
        .create_api_client(NewApiClient {
            name,
            scopes,
            webhook_url,
        })
        .await?;
    let out = serde_json::json!({
        "client_id": client.id,
        "name": client.name,
        "api_key": key,
        "webhook_secret": client.webhook_secret,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
