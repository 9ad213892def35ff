//! An installation's settings: an optional `bonafide.toml`, then
//! `BONAFIDE_*` environment variables. Every binary that works on an
//! installation (`bonafide`, `bonafide-lab`) reads them the same way.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use bonafide_engine::{Engine, EngineConfig, EngineError};
use bonafide_store::{Store, StoreConfig, StoreError};
use serde::{Deserialize, Serialize};

use crate::ApiConfig;

/// Why an installation's settings could not be read or its engine built.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The configuration file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The configuration file is not valid TOML for [`Config`].
    #[error("parsing {path}: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        source: Box<toml::de::Error>,
    },
    /// `BONAFIDE_LISTEN` is not an address.
    #[error("BONAFIDE_LISTEN={0:?} is not host:port")]
    Listen(String),
    /// The configured store could not be opened (or migrated).
    #[error("opening store {store}: {source}")]
    Store {
        /// The store, with any password redacted.
        store: String,
        /// Why.
        source: StoreError,
    },
    /// The engine refused its settings (models, policy, limits).
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The command screens in this process but no worker is configured.
    #[error(
        "this command screens in this process: it needs at least one worker ([engine] workers, --workers)"
    )]
    NoWorkers,
}

/// Everything `bonafide` reads at start-up.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder of the embedded store (SQLite file + blobs).
    pub data_dir: PathBuf,
    /// Overrides the embedded SQLite database (`BONAFIDE_DATABASE_URL`).
    pub database_url: Option<String>,
    /// Overrides the embedded blob folder (`BONAFIDE_BLOB_URL`).
    pub blob_url: Option<String>,
    /// Address `serve` listens on (`BONAFIDE_LISTEN`).
    pub listen: SocketAddr,
    /// Screening and worker settings.
    pub engine: EngineConfig,
    /// The HTTP API's rate limits.
    pub api: ApiConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: "bonafide-data".into(),
            database_url: None,
            blob_url: None,
            listen: "127.0.0.1:8080".parse().expect("valid address"),
            engine: EngineConfig::default(),
            api: ApiConfig::default(),
        }
    }
}

impl Config {
    /// Reads `path` if given (or `bonafide.toml` if present), then applies
    /// `BONAFIDE_*` environment overrides.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let default_file = Path::new("bonafide.toml");
        let file = path.or_else(|| default_file.exists().then_some(default_file));
        let mut cfg = match file {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                    path: p.into(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: p.into(),
                    source: Box::new(e),
                })?
            }
            None => Self::default(),
        };
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let Some(v) = env("BONAFIDE_DATA_DIR") {
            cfg.data_dir = v.into();
        }
        if let Some(v) = env("BONAFIDE_DATABASE_URL") {
            cfg.database_url = Some(v);
        }
        if let Some(v) = env("BONAFIDE_BLOB_URL") {
            cfg.blob_url = Some(v);
        }
        if let Some(v) = env("BONAFIDE_LISTEN") {
            cfg.listen = v.parse().map_err(|_| ConfigError::Listen(v))?;
        }
        if let Some(v) = env("BONAFIDE_POLICY") {
            cfg.engine.policy_path = Some(v.into());
        }
        if let Some(v) = env("BONAFIDE_MODELS") {
            cfg.engine.models.dir = v.into();
        }
        if let Some(v) = env("BONAFIDE_C2PA_TRUST_ANCHORS") {
            cfg.engine.c2pa.trust_anchors = Some(v.into());
        }
        Ok(cfg)
    }

    /// Where the store lives: the URLs if set, else the embedded default.
    pub fn store(&self) -> StoreConfig {
        let embedded = StoreConfig::embedded(&self.data_dir);
        StoreConfig {
            database_url: self.database_url.clone().unwrap_or(embedded.database_url),
            blob_url: self.blob_url.clone().unwrap_or(embedded.blob_url),
        }
    }

    /// Opens the configured store (migrating it) and builds the engine.
    pub async fn engine(&self) -> Result<Engine, ConfigError> {
        let store_cfg = self.store();
        let store = Store::open(&store_cfg)
            .await
            .map_err(|source| ConfigError::Store {
                store: store_cfg.to_string(),
                source,
            })?;
        Ok(Engine::new(store, self.engine.clone())?)
    }

    /// Commands that screen in this process need a worker to do it
    /// (`serve` alone may run none and leave its jobs to worker processes).
    pub fn ensure_workers(&self) -> Result<(), ConfigError> {
        if self.engine.workers == 0 {
            return Err(ConfigError::NoWorkers);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The configuration example in the README must parse and mean what it says.
    #[test]
    fn readme_example_parses() {
        let readme = include_str!("../../../README.md");
        let start = readme
            .find("```toml\n# bonafide.toml")
            .expect("README has the example")
            + "```toml\n".len();
        let example = &readme[start..start + readme[start..].find("```").unwrap()];
        let cfg: Config = toml::from_str(example).expect("README example parses");
        assert_eq!(cfg.engine.workers, 8);
        assert_eq!(cfg.engine.decode.limits.max_pixels, 100_000_000);
        assert!(cfg.store().database_url.starts_with("postgres://"));
        assert!(cfg.store().blob_url.starts_with("s3://"));
    }

    #[test]
    fn embedded_store_by_default() {
        let cfg = Config::default();
        assert_eq!(
            cfg.store().database_url,
            "sqlite://bonafide-data/bonafide.db?mode=rwc"
        );
        assert_eq!(cfg.store().blob_url, "bonafide-data/blobs");
    }
}
