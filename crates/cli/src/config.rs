//! Configuration: an optional TOML file, then environment variables.

use std::{net::SocketAddr, path::PathBuf};

use anyhow::Context;
use bonafide_engine::EngineConfig;
use bonafide_server::ApiConfig;
use bonafide_store::StoreConfig;
use serde::{Deserialize, Serialize};

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
    pub fn load(path: Option<&std::path::Path>) -> anyhow::Result<Self> {
        let default_file = std::path::Path::new("bonafide.toml");
        let file = path.or_else(|| default_file.exists().then_some(default_file));
        let mut cfg = match file {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading {}", p.display()))?;
                toml::from_str(&text).with_context(|| format!("parsing {}", p.display()))?
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
            cfg.listen = v
                .parse()
                .with_context(|| format!("BONAFIDE_LISTEN={v:?} is not host:port"))?;
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
