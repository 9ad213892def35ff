use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use futures::{Stream, StreamExt, stream::BoxStream};
use object_store::{
    ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig, aws::AmazonS3Builder,
    buffered::BufWriter, local::LocalFileSystem, path::Path, prefix::PrefixStore,
};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

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
    /// Reading or cleaning a local store's folder failed.
    #[error("blob folder: {0}")]
    Folder(String),
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
    /// The folder of a local store: what its listing hides (the `#` files
    /// of an unfinished multipart write) is swept from the file system.
    local_root: Option<std::path::PathBuf>,
}

impl BlobStore {
    /// Opens a blob store by URL.
    ///
    /// * `file:///abs/dir`, or a plain path: a local folder (created if missing).
    /// * `s3://bucket[/prefix]?endpoint=http://host:port&region=…`: an
    ///   S3-compatible store, every object under `prefix/` when one is
    ///   given (several deployments, or test runs, sharing a bucket).
    ///   Credentials come from the usual `AWS_*` environment variables;
    ///   `endpoint` selects path-style addressing.
    pub fn open(url: &str) -> Result<Self, BlobError> {
        let mut local_root = None;
        let inner: Arc<dyn ObjectStore> = if let Some(rest) = url.strip_prefix("s3://") {
            let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
            let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
            let prefix = prefix.trim_matches('/');
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
            let s3 = b.build()?;
            if prefix.is_empty() {
                Arc::new(s3)
            } else {
                Arc::new(PrefixStore::new(s3, path(prefix)?))
            }
        } else {
            let dir = url.strip_prefix("file://").unwrap_or(url);
            if dir.contains("://") {
                return Err(BlobError::Url(format!(
                    "unsupported blob store URL {url:?}"
                )));
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| BlobError::Url(format!("cannot create {dir}: {e}")))?;
            local_root = Some(std::path::PathBuf::from(dir));
            Arc::new(LocalFileSystem::new_with_prefix(dir)?)
        };
        Ok(Self { inner, local_root })
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

    /// The object at `key` as a stream of chunks, read as it is consumed.
    pub async fn get_stream(
        &self,
        key: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, BlobError>>, BlobError> {
        match self.inner.get(&path(key)?).await {
            Ok(r) => Ok(r.into_stream().map(|c| c.map_err(BlobError::from)).boxed()),
            Err(object_store::Error::NotFound { .. }) => Err(BlobError::NotFound(key.to_owned())),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes what `body` yields at `key`, hashing it on the way, and
    /// returns its size and SHA-256. At most [`STREAM_BUFFER`] bytes are held
    /// at once: larger bodies go up in parts (S3 multipart, a temporary file
    /// locally), and nothing is visible at `key` until the last one is in.
    /// More than `cap` bytes, or a failing `body`, abort the write.
    pub async fn put_stream<S, E>(
        &self,
        key: &str,
        mut body: S,
        cap: u64,
    ) -> Result<Written, StreamError<E>>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
    {
        let mut writer = BufWriter::with_capacity(self.inner.clone(), path(key)?, STREAM_BUFFER)
            .with_max_concurrency(2);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let failed = loop {
            let chunk = match body.next().await {
                None => break None,
                Some(Err(e)) => break Some(StreamError::Source(e)),
                Some(Ok(chunk)) => chunk,
            };
            size += chunk.len() as u64;
            if size > cap {
                break Some(StreamError::TooLarge { cap });
            }
            hasher.update(&chunk);
            if let Err(e) = writer.put(chunk).await {
                break Some(StreamError::Blob(e.into()));
            }
        };
        if let Some(e) = failed {
            // Parts already sent are deleted; the object never appears.
            if let Err(abort) = writer.abort().await {
                tracing::warn!(key, error = %abort, "aborting a streamed write failed");
            }
            return Err(e);
        }
        writer.shutdown().await.map_err(|e| {
            StreamError::Blob(BlobError::Backend(object_store::Error::Generic {
                store: "blob store",
                source: Box::new(e),
            }))
        })?;
        Ok(Written {
            size,
            sha256: hex::encode(hasher.finalize()),
        })
    }

    /// Moves the object at `from` to `to`, replacing what is there (a
    /// rename locally, a server-side copy and delete on S3).
    pub async fn rename(&self, from: &str, to: &str) -> Result<(), BlobError> {
        Ok(self.inner.rename(&path(from)?, &path(to)?).await?)
    }

    /// Deletes the object at `key`; a missing one is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.inner.delete(&path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes the objects under `prefix` last written before `before`;
    /// returns how many went. On a local store that includes the part
    /// files of writes a killed process never finished, which its listing
    /// does not show; on S3 such writes are unfinished multipart uploads,
    /// which only a bucket lifecycle rule removes (docs/DEPLOY.md).
    pub async fn delete_older(
        &self,
        prefix: &str,
        before: std::time::SystemTime,
    ) -> Result<usize, BlobError> {
        if let Some(root) = &self.local_root {
            let folder = root.join(prefix);
            return tokio::task::spawn_blocking(move || delete_files_older(&folder, before))
                .await
                .map_err(|e| BlobError::Folder(format!("sweeping {prefix}: {e}")))?;
        }
        let mut old = Vec::new();
        let mut listing = self.inner.list(Some(&path(prefix)?));
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            if std::time::SystemTime::from(meta.last_modified) < before {
                old.push(meta.location);
            }
        }
        for location in &old {
            match self.inner.delete(location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(old.len())
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

/// Deletes the plain files directly in `folder` last modified before
/// `before` (a missing folder holds none).
fn delete_files_older(
    folder: &std::path::Path,
    before: std::time::SystemTime,
) -> Result<usize, BlobError> {
    let io = |e: std::io::Error| BlobError::Folder(format!("sweeping {}: {e}", folder.display()));
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io(e)),
    };
    let mut deleted = 0;
    for entry in entries {
        let entry = entry.map_err(io)?;
        let meta = entry.metadata().map_err(io)?;
        if meta.is_file() && meta.modified().map_err(io)? < before {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => deleted += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e)),
            }
        }
    }
    Ok(deleted)
}

/// Most bytes a streamed write holds in memory: S3 takes parts of at
/// least 5 MiB, and two in flight keep a fast link busy.
pub const STREAM_BUFFER: usize = 8 << 20;

/// A streamed write's size and SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Bytes written.
    pub size: u64,
    /// Their SHA-256, lowercase hex.
    pub sha256: String,
}

/// Why a streamed write failed; nothing was left at the key.
#[derive(Debug, thiserror::Error)]
pub enum StreamError<E> {
    /// The stream being written failed.
    #[error("reading the body: {0}")]
    Source(E),
    /// The stream held more than the cap.
    #[error("over {cap} bytes")]
    TooLarge {
        /// The cap.
        cap: u64,
    },
    /// The blob store failed.
    #[error(transparent)]
    Blob(#[from] BlobError),
}

/// The top-level folders Bonafide writes in its blob store: uploads'
/// content-addressed bytes, videos' TMK files, and uploads still being
/// received. Clients' own objects (`blob_key` uploads) must live elsewhere.
pub const RESERVED_PREFIXES: &[&str] = &["sha256", "tmk", STAGING_PREFIX];

/// Where an upload's bytes are written while they arrive, before their
/// hash (and so their content key) is known.
pub(crate) const STAGING_PREFIX: &str = "staging";

/// Content-addressed key for upload bytes: identical uploads share one object.
pub(crate) fn content_key(sha256: &str) -> String {
    format!("sha256/{}/{}", &sha256[..2.min(sha256.len())], sha256)
}

fn path(key: &str) -> Result<Path, BlobError> {
    Path::parse(key).map_err(|_| BlobError::InvalidKey(key.to_owned()))
}
