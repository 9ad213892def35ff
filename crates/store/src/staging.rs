//! Uploads streamed into the blob store as they arrive: written under
//! `staging/` while their hash is unknown, then moved to their
//! content-addressed key when accepted, or deleted when refused. A body is
//! never held whole in memory on the way in.

use bonafide_core::UploadMeta;
use bytes::Bytes;
use futures::Stream;

use crate::{
    BlobStore, NewUpload, Result, Store, StoreError,
    blobs::{STAGING_PREFIX, StreamError, content_key},
};

/// An upload's bytes in the blob store, not yet accepted. Dropped without
/// [`Store::accept_staged`], its object is deleted.
#[derive(Debug)]
pub struct StagedUpload {
    key: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// Set when the object has been moved to its content key.
    blobs: Option<BlobStore>,
}

impl Drop for StagedUpload {
    fn drop(&mut self) {
        let Some(blobs) = self.blobs.take() else {
            return;
        };
        let key = std::mem::take(&mut self.key);
        // A refused upload's object goes in the background; if the process
        // dies first, `Store::sweep_staging` finds it.
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                if let Err(e) = blobs.delete(&key).await {
                    tracing::warn!(key, error = %e, "deleting a refused upload's bytes failed");
                }
            });
        }
    }
}

/// Why an upload could not be staged.
#[derive(Debug, thiserror::Error)]
pub enum StageError<E> {
    /// The body failed (the client's stream broke, stalled or was malformed).
    #[error(transparent)]
    Body(E),
    /// The body held more than the cap.
    #[error("the upload is over {cap} bytes")]
    TooLarge {
        /// The cap.
        cap: u64,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// Streams `body` (at most `cap` bytes) into a new staging object and
    /// hashes it.
    pub async fn stage_upload<S, E>(&self, body: S, cap: u64) -> Result<StagedUpload, StageError<E>>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
    {
        let key = format!("{STAGING_PREFIX}/{}", uuid::Uuid::now_v7());
        match self.blobs.put_stream(&key, body, cap).await {
            Ok(written) => Ok(StagedUpload {
                key,
                size: written.size,
                sha256: written.sha256,
                blobs: Some(self.blobs.clone()),
            }),
            Err(StreamError::Source(e)) => Err(StageError::Body(e)),
            Err(StreamError::TooLarge { cap }) => Err(StageError::TooLarge { cap }),
            Err(StreamError::Blob(e)) => Err(StageError::Store(e.into())),
        }
    }

    /// Accepts a staged upload: moves its bytes to their content key, then
    /// commits the upload row, content-hash entry and job as
    /// `accept_upload` does.
    pub async fn accept_staged(
        &self,
        mut new: NewUpload,
        mut staged: StagedUpload,
    ) -> Result<UploadMeta> {
        new.meta.sha256 = staged.sha256.clone();
        new.meta.size_bytes = staged.size;
        let key = content_key(&staged.sha256);
        self.blobs.rename(&staged.key, &key).await?;
        staged.blobs = None;
        self.insert_upload(new, &key).await
    }

    /// Deletes staging objects older than `age`: what a process killed
    /// mid-upload left behind. Returns how many went.
    pub async fn sweep_staging(&self, age: std::time::Duration) -> Result<usize> {
        let before = std::time::SystemTime::now() - age;
        Ok(self.blobs.delete_older(STAGING_PREFIX, before).await?)
    }
}
