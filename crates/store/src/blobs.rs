use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use futures::StreamExt;
use object_store::{
    ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig, aws::AmazonS3Builder,
    local::LocalFileSystem, path::Path,
};

/// A blob-store failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BlobError {
    /// No object at that key.
    #[error("no blob at {0:?}")]
    NotFound(String),
    /// The key is not a valid object path.
    #[error("invalid blob key {0:?}")]
    InvalidKey(String),
    /// The object holds more than the reader's cap.
    #[error("the blob at {key:?} is over {cap} bytes")]
    TooLarge {
        /// The object.
        key: String,
        /// The cap.
        cap: u64,
    },
    /// The URL names no backend we know, or lacks a part.
    #[error("blob store URL: {0}")]
    Url(String),
    /// The backend failed.
    #[error("blob store: {0}")]
    Backend(#[from] object_store::Error),
}

/// Where upload bytes live: a local folder or an S3-compatible bucket.
#[derive(Debug, Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
}

impl BlobStore {
    /// Opens a blob store by URL.
    ///
    /// * `file:///abs/dir`, or a plain path: a local folder (created if missing).
    /// * `s3://bucket[/ignored]?endpoint=http://host:port&region=…`: an
    ///   S3-compatible store. Credentials come from the usual `AWS_*`
    ///   environment variables; `endpoint` selects path-style addressing.
    pub fn open(url: &str) -> Result<Self, BlobError> {
        let inner: Arc<dyn ObjectStore> = if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, query) = rest.split_once('?').unwrap_or((rest, ""));
            let bucket = bucket.split('/').next().unwrap_or_default();
            if bucket.is_empty() {
                return Err(BlobError::Url(format!("{url:?} names no bucket")));
            }
            // A request to a store that is down fails in seconds, not after
            // object_store's default three minutes of retries: an upload is
            // answered 503 while the client still waits.
            let mut b = AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .with_retry(RetryConfig {
                    max_retries: 3,
                    retry_timeout: Duration::from_secs(15),
                    ..RetryConfig::default()
                })
                .with_client_options(
                    ClientOptions::new().with_connect_timeout(Duration::from_secs(2)),
                );
            for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
                b = match k.as_ref() {
                    "endpoint" => b
                        .with_allow_http(v.starts_with("http://"))
                        .with_endpoint(v.as_ref()),
                    "region" => b.with_region(v.as_ref()),
                    other => return Err(BlobError::Url(format!("unknown S3 option {other:?}"))),
                };
            }
            Arc::new(b.build()?)
        } else {
            let dir = url.strip_prefix("file://").unwrap_or(url);
            if dir.contains("://") {
                return Err(BlobError::Url(format!(
                    "unsupported blob store URL {url:?}"
                )));
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| BlobError::Url(format!("cannot create {dir}: {e}")))?;
            Arc::new(LocalFileSystem::new_with_prefix(dir)?)
        };
        Ok(Self { inner })
    }

    /// Writes `bytes` at `key`. Writing is atomic (temp file + rename locally,
    /// a single PUT on S3), so a crash never leaves half an object.
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), BlobError> {
        self.inner
            .put(&path(key)?, PutPayload::from_bytes(bytes))
            .await?;
        Ok(())
    }

    /// Reads the whole object at `key`.
    pub async fn get(&self, key: &str) -> Result<Bytes, BlobError> {
        match self.inner.get(&path(key)?).await {
            Ok(r) => Ok(r.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => Err(BlobError::NotFound(key.to_owned())),
            Err(e) => Err(e.into()),
        }
    }

    /// Reads the object at `key`, failing as soon as it holds more than
    /// `cap` bytes: an object may grow between a size check and the read.
    pub async fn get_capped(&self, key: &str, cap: u64) -> Result<Bytes, BlobError> {
        let mut chunks = match self.inner.get(&path(key)?).await {
            Ok(r) => r.into_stream(),
            Err(object_store::Error::NotFound { .. }) => {
                return Err(BlobError::NotFound(key.to_owned()));
            }
            Err(e) => return Err(e.into()),
        };
        let mut bytes = bytes::BytesMut::new();
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk?;
            if (bytes.len() + chunk.len()) as u64 > cap {
                return Err(BlobError::TooLarge {
                    key: key.to_owned(),
                    cap,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes.freeze())
    }

    /// Size in bytes of the object at `key`, without reading it.
    pub async fn size(&self, key: &str) -> Result<u64, BlobError> {
        match self.inner.head(&path(key)?).await {
            Ok(m) => Ok(m.size),
            Err(object_store::Error::NotFound { .. }) => Err(BlobError::NotFound(key.to_owned())),
            Err(e) => Err(e.into()),
        }
    }
}

/// The top-level folders Bonafide writes in its blob store: uploads'
/// content-addressed bytes and videos' TMK files. Clients' own objects
/// (`blob_key` uploads) must live elsewhere.
pub const RESERVED_PREFIXES: &[&str] = &["sha256", "tmk"];

/// Content-addressed key for upload bytes: identical uploads share one object.
pub(crate) fn content_key(sha256: &str) -> String {
    format!("sha256/{}/{}", &sha256[..2.min(sha256.len())], sha256)
}

fn path(key: &str) -> Result<Path, BlobError> {
    Path::parse(key).map_err(|_| BlobError::InvalidKey(key.to_owned()))
}
