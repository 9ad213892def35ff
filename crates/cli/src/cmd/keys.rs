//! `bonafide keys`: API keys for the HTTP API.

use bonafide_store::{NewApiClient, Scope};
use serde_json::json;

use bonafide_server::Config;

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
        /// The tenant the client belongs to (1-32 of a-z 0-9 _ -): its
        /// uploads are matched, linked and shown only within that tenant.
        /// Give each company screened by one deployment its own.
        #[arg(long, default_value = bonafide_core::DEFAULT_TENANT)]
        tenant: String,
    },
    /// List every client, one JSON object per line (keys are never shown:
    /// only their hashes are stored).
    List,
    /// Revoke a client's key: every request with it is answered 401 from
    /// now on. Its uploads, verdicts and pending webhooks stay.
    Revoke {
        /// The client's id (`keys list`).
        client_id: String,
    },
}

/// Runs a key command.
pub async fn run(config: Config, keys: Keys) -> anyhow::Result<()> {
    match keys {
        Keys::Create {
            name,
            scopes,
            webhook_url,
            tenant,
        } => create(config, name, scopes, webhook_url, tenant).await,
        Keys::List => {
            let engine = super::engine(&config).await?;
            for e in engine.store().api_clients().await? {
                let c = &e.client;
                let scopes: Vec<&str> = c.scopes.iter().map(|s| s.as_str()).collect();
                println!(
                    "{}",
                    json!({
                        "client_id": c.id,
                        "name": c.name,
                        "tenant": c.tenant,
                        "scopes": scopes,
                        "webhook_url": c.webhook_url,
                        "created_at": e.created_at,
                        "revoked_at": e.revoked_at,
                    })
                );
            }
            Ok(())
        }
        Keys::Revoke { client_id } => {
            let engine = super::engine(&config).await?;
            let store = engine.store();
            let change = store.revoke_api_client(&client_id).await?;
            super::audit_change(
                store,
                change,
                &format!("API client {client_id:?}"),
                "api_client.revoke",
                format!("api_client {client_id}"),
                json!({"revoked": true}),
            )
            .await
        }
    }
}

async fn create(
    config: Config,
    name: String,
    scopes: Vec<String>,
    webhook_url: Option<String>,
    tenant: String,
) -> anyhow::Result<()> {
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
            tenant: Some(tenant),
        })
        .await?;
    let out = json!({
        "client_id": client.id,
        "name": client.name,
        "tenant": client.tenant,
        "api_key": key,
        "webhook_secret": client.webhook_secret,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
