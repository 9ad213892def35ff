use serde::{Deserialize, Serialize};

use crate::{BlobStore, Db, Result};

/// Where the database and the blobs live.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    pub database_url: String,
    /// A folder, `file:///dir`, or `s3://bucket?endpoint=…`.
    pub blob_url: String,
}

impl StoreConfig {
    /// The embedded default under `dir`: `dir/bonafide.db` and `dir/blobs/`.
    pub fn embedded(dir: &std::path::Path) -> Self {
        Self {
            database_url: format!("sqlite://{}?mode=rwc", dir.join("bonafide.db").display()),
            blob_url: dir.join("blobs").display().to_string(),
        }
    }
}

/// The database and the blob store together: everything Bonafide persists.
#[derive(Debug, Clone)]
pub struct Store {
    /// Rows.
    pub db: Db,
    /// Bytes.
    pub blobs: BlobStore,
}

impl Store {
    /// Opens both halves and migrates the database.
    pub async fn open(cfg: &StoreConfig) -> Result<Self> {
        let blobs = BlobStore::open(&cfg.blob_url)?;
        let db = Db::open(&cfg.database_url).await?;
        Ok(Self { db, blobs })
    }
}
