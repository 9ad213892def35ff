//! Uploads received as they arrive, hashed on the way: a body that fits
//! one [`STREAM_BUFFER`] is held in memory and put at its content-addressed
//! key when accepted; a larger one is streamed into `staging/` while its
//! hash is unknown, then moved to its key when accepted, or deleted when
//! refused. No body is held whole in memory past one buffer.

use bonafide_core::UploadMeta;
use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};

use crate::{
    BlobStore, NewUpload, Result, STREAM_BUFFER, Store, StoreError,
    blobs::{STAGING_PREFIX, StreamError, content_key},
};

/// An upload's bytes, received but not yet accepted: held in memory when
/// they fit in one [`STREAM_BUFFER`], else in a staging object, which is
/// deleted if this is dropped without [`Store::accept_staged`].
#[derive(Debug)]
pub struct StagedUpload {
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    place: Place,
}

#[derive(Debug)]
enum Place {
    /// A body that fits one buffer: one PUT to its content key later, not
    /// a PUT, a copy and a delete.
    Memory(Bytes),
    /// A larger body under `staging/`; `None` once moved or deleted.
    Staged(Option<(BlobStore, String)>),
}

impl Drop for StagedUpload {
    fn drop(&mut self) {
        let Place::Staged(staged) = &mut self.place else {
            return;
        };
        let Some((blobs, key)) = staged.take() else {
            return;
        };
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
    /// Receives `body` (at most `cap` bytes) and hashes it: in memory while
    /// it fits one [`STREAM_BUFFER`], streamed into a new staging object
    /// from there on.
    pub async fn stage_upload<S, E>(
        &self,
        mut body: S,
        cap: u64,
    ) -> Result<StagedUpload, StageError<E>>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
    {
        let mut head = BytesMut::new();
        let overflow = loop {
            match body.next().await {
                None => break None,
                Some(Err(e)) => return Err(StageError::Body(e)),
                Some(Ok(chunk)) if head.len() + chunk.len() > STREAM_BUFFER => break Some(chunk),
                Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            }
        };
        let Some(next) = overflow else {
            let bytes = head.freeze();
            if bytes.len() as u64 > cap {
                return Err(StageError::TooLarge { cap });
            }
            return Ok(StagedUpload {
                size: bytes.len() as u64,
                sha256: bonafide_ingest::ContentHash::of(&bytes).0,
                place: Place::Memory(bytes),
            });
        };
        let key = format!("{STAGING_PREFIX}/{}", uuid::Uuid::now_v7());
        let rest = futures::stream::iter([Ok(head.freeze()), Ok(next)]).chain(body);
        match self.blobs.put_stream(&key, rest, cap).await {
            Ok(written) => Ok(StagedUpload {
                size: written.size,
                sha256: written.sha256,
                place: Place::Staged(Some((self.blobs.clone(), key))),
            }),
            Err(StreamError::Source(e)) => Err(StageError::Body(e)),
            Err(StreamError::TooLarge { cap }) => Err(StageError::TooLarge { cap }),
            Err(StreamError::Blob(e)) => Err(StageError::Store(e.into())),
        }
    }

    /// Accepts a staged upload: puts its bytes at their content key (moves
    /// the staging object there), then commits the upload row,
    /// content-hash entry and job as `accept_upload` does.
    pub async fn accept_staged(
        &self,
        mut new: NewUpload,
        mut staged: StagedUpload,
    ) -> Result<UploadMeta> {
        new.meta.sha256 = staged.sha256.clone();
        new.meta.size_bytes = staged.size;
        let key = content_key(&staged.sha256);
        match &mut staged.place {
            Place::Memory(bytes) => self.blobs.put(&key, bytes.clone()).await?,
            Place::Staged(place) => {
                if let Some((_, from)) = place {
                    self.blobs.rename(from, &key).await?;
                }
                *place = None;
            }
        }
        self.insert_upload(new, &key).await
    }

    /// Deletes staging objects older than `age`: what a process killed
    /// mid-upload left behind. Returns how many went.
    pub async fn sweep_staging(&self, age: std::time::Duration) -> Result<usize> {
        let before = std::time::SystemTime::now() - age;
        Ok(self.blobs.delete_older(STAGING_PREFIX, before).await?)
    }
}
