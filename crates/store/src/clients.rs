//! API clients: hashed keys, scopes and each client's webhook.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Result, Store, StoreError, now_ms};

/// What an API key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Submit uploads and read their verdicts.
    Ingest,
    /// Work the review queue.
    Review,
    /// Manage tasks, clients and configuration.
    Admin,
}

impl Scope {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ingest => "ingest",
            Self::Review => "review",
            Self::Admin => "admin",
        }
    }

    /// Parses [`Scope::as_str`] output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ingest" => Some(Self::Ingest),
            "review" => Some(Self::Review),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A client of the HTTP API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiClient {
    /// Client id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// The tenant it belongs to: its uploads are matched and linked only
    /// with that tenant's, and it reads only that tenant's data.
    pub tenant: String,
    /// Granted scopes.
    pub scopes: Vec<Scope>,
    /// Where verdicts are POSTed, if anywhere.
    pub webhook_url: Option<String>,
    /// HMAC key for the webhook signature.
    pub webhook_secret: Option<String>,
}

impl ApiClient {
    /// Whether the client holds `scope` (admin holds every scope).
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope) || self.scopes.contains(&Scope::Admin)
    }
}

/// What is needed to create a client.
#[derive(Debug, Clone, Default)]
pub struct NewApiClient {
    /// Human name.
    pub name: String,
    /// Granted scopes.
    pub scopes: Vec<Scope>,
    /// Webhook URL for verdicts.
    pub webhook_url: Option<String>,
    /// Its tenant ([`bonafide_core::DEFAULT_TENANT`] when `None`).
    pub tenant: Option<String>,
}

/// A client as an operator lists it: with when it was made and revoked.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiClientEntry {
    /// The client.
    pub client: ApiClient,
    /// When it was created (ms since the epoch).
    pub created_at: i64,
    /// When its key was revoked, if it was.
    pub revoked_at: Option<i64>,
}

/// What a revoke or disable did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialChange {
    /// It took effect now.
    Changed,
    /// It had already been done; nothing changed.
    Unchanged,
    /// No such client or reviewer.
    Unknown,
}

/// Keys are random, so a plain SHA-256 is a sufficient one-way store (no
/// password stretching needed) and allows an indexed lookup.
fn key_hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

impl Store {
    /// Creates a client; returns it and its API key, which is shown once and
    /// never stored.
    pub async fn create_api_client(&self, new: NewApiClient) -> Result<(ApiClient, String)> {
        if new.name.trim().is_empty() || new.scopes.is_empty() {
            return Err(StoreError::Config(
                "a client needs a name and at least one scope".into(),
            ));
        }
        let tenant = new
            .tenant
            .unwrap_or_else(|| bonafide_core::DEFAULT_TENANT.to_owned());
        if !bonafide_core::valid_tenant(&tenant) {
            return Err(StoreError::Config(format!(
                "tenant {tenant:?}: use 1-{} of a-z 0-9 _ -",
                bonafide_core::MAX_TENANT_LEN
            )));
        }
        let key = format!("bfk_{}", random_hex(24));
        let client = ApiClient {
            id: uuid::Uuid::now_v7().to_string(),
            name: new.name,
            tenant,
            scopes: new.scopes,
            webhook_secret: new
                .webhook_url
                .as_ref()
                .map(|_| format!("whsec_{}", random_hex(24))),
            webhook_url: new.webhook_url,
        };
        let scopes: Vec<&str> = client.scopes.iter().map(|s| s.as_str()).collect();
        sqlx::query(
            "INSERT INTO api_clients (id, name, key_hash, scopes, webhook_url, webhook_secret, created_at, tenant) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&client.id)
        .bind(&client.name)
        .bind(key_hash(&key))
        .bind(scopes.join(" "))
        .bind(&client.webhook_url)
        .bind(&client.webhook_secret)
        .bind(now_ms())
        .bind(&client.tenant)
        .execute(&self.db.pool)
        .await?;
        Ok((client, key))
    }

    /// The live client holding `key`, if any.
    pub async fn api_client_by_key(&self, key: &str) -> Result<Option<ApiClient>> {
        let row = sqlx::query(
            "SELECT id, name, tenant, scopes, webhook_url, webhook_secret FROM api_clients \
             WHERE key_hash = $1 AND revoked_at IS NULL",
        )
        .bind(key_hash(key))
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| client_from_row(&r)).transpose()
    }

    /// Every client, revoked ones included, oldest first.
    pub async fn api_clients(&self) -> Result<Vec<ApiClientEntry>> {
        let rows = sqlx::query(
            "SELECT id, name, tenant, scopes, webhook_url, webhook_secret, created_at, revoked_at \
             FROM api_clients ORDER BY created_at, id",
        )
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiClientEntry {
                    client: client_from_row(r)?,
                    created_at: r.try_get("created_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// Revokes client `id`'s key: from now on it authenticates nothing.
    /// Its uploads, verdicts and webhook deliveries stay.
    pub async fn revoke_api_client(&self, id: &str) -> Result<CredentialChange> {
        let done = sqlx::query(
            "UPDATE api_clients SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.db.pool)
        .await?
        .rows_affected();
        if done > 0 {
            return Ok(CredentialChange::Changed);
        }
        Ok(match self.api_client(id).await? {
            Some(_) => CredentialChange::Unchanged,
            None => CredentialChange::Unknown,
        })
    }

    /// A client by id (revoked ones included, for webhook delivery).
    pub async fn api_client(&self, id: &str) -> Result<Option<ApiClient>> {
        let row = sqlx::query(
            "SELECT id, name, tenant, scopes, webhook_url, webhook_secret FROM api_clients WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| client_from_row(&r)).transpose()
    }
}

fn client_from_row(r: &sqlx::any::AnyRow) -> Result<ApiClient> {
    let scopes: String = r.try_get("scopes")?;
    Ok(ApiClient {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        tenant: r.try_get("tenant")?,
        scopes: scopes.split_whitespace().filter_map(Scope::parse).collect(),
        webhook_url: r.try_get("webhook_url")?,
        webhook_secret: r.try_get("webhook_secret")?,
    })
}
