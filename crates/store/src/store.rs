use serde::{Deserialize, Serialize};

use crate::{BlobStore, Db, Result};

/// Where the database and the blobs live. Its `Debug` and `Display` mask
/// passwords in the URLs.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
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

impl std::fmt::Debug for StoreConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreConfig")
            .field("database_url", &redacted(&self.database_url))
            .field("blob_url", &redacted(&self.blob_url))
            .finish()
    }
}

impl std::fmt::Display for StoreConfig {
    /// Both URLs with any password masked: what error messages and logs show.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} + {}",
            redacted(&self.database_url),
            redacted(&self.blob_url)
        )
    }
}

/// `url` with its password replaced by `***`, for messages and logs: the
/// password of its user part and any `password`-like query parameter
/// (`?password=`, `sslpassword=`). A string that does not parse as a URL
/// (a mistyped one) keeps only what cannot be a secret: its scheme and
/// what follows the last `@`; one with neither `://` nor `@` is returned
/// as it is (a path).
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let secret_query = u.query_pairs().any(|(k, _)| secret_parameter(&k));
            if u.password().is_none() && !secret_query {
                return url.to_owned();
            }
            if u.password().is_some() {
                // Only fails for URLs that cannot have a password at all.
                let _ = u.set_password(Some("***"));
            }
            if secret_query {
                let pairs: Vec<(String, String)> = u
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if secret_parameter(&k) {
                            "***".into()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        Err(_) => match url.rsplit_once('@') {
            Some((before, host)) => {
                let scheme = before.split_once("://").map_or("", |(s, _)| s);
                format!("{scheme}://***@{host}")
            }
            None => url.to_owned(),
        },
    }
}

fn secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("password") || name.contains("secret") || name == "pass"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_print() {
        let cfg = StoreConfig {
            database_url: "postgres://bonafide:s3cret@db:5432/bonafide".into(),
            blob_url: "s3://media?endpoint=http://minio:9000".into(),
        };
        for shown in [cfg.to_string(), format!("{cfg:?}")] {
            assert!(!shown.contains("s3cret"), "{shown}");
            assert!(shown.contains("bonafide:***@db:5432"), "{shown}");
        }
        assert_eq!(redacted("bonafide-data/blobs"), "bonafide-data/blobs");
        // A password in the query, and URLs mistyped past parsing.
        let query = redacted("postgres://db/bonafide?user=b&password=s3cret&sslmode=require");
        assert!(
            !query.contains("s3cret") && query.contains("sslmode=require"),
            "{query}"
        );
        for typo in [
            "postgres://bonafide:s3cret@db:port/bonafide",
            "postgres//bonafide:s3cret@db/bonafide",
            "postgres://bonafide:s3c@ret@db/bonafide",
        ] {
            let shown = redacted(typo);
            assert!(!shown.contains("s3c"), "{typo} -> {shown}");
        }
    }
}
