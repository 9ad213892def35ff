//! Waiting for earlier uploads that workers are screening right now, so
//! that simultaneous copies — from one scan, or from accounts racing each
//! other — still meet in the indexes, whatever order workers finish in.

use bonafide_core::{DetectorError, UploadMeta};
use bonafide_store::Store;
use tokio::sync::Notify;

/// Longest wait for earlier uploads still being hashed.
const IN_FLIGHT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Earlier uploads not yet in the indexes. An upload counts as indexed once
/// its perceptual hashes or document signature are stored: the engine
/// stores an image's embedding before any detector runs, so the semantic
/// index is complete by then too.
#[derive(Debug)]
pub(crate) struct EarlierUploads {
    store: Store,
    /// Signalled when this process stores hashes or finishes a job.
    progress: Notify,
}

impl EarlierUploads {
    pub(crate) fn new(store: Store) -> Self {
        Self {
            store,
            progress: Notify::new(),
        }
    }

    /// Wakes lookups waiting for earlier uploads: this process stored
    /// hashes, or finished a job (with or without them).
    pub(crate) fn progressed(&self) {
        self.progress.notify_waiters();
    }

    /// Waits (bounded) until no upload accepted before `upload` is being
    /// screened without its hashes stored.
    pub(crate) async fn wait(&self, upload: &UploadMeta) -> Result<(), DetectorError> {
        let deadline = tokio::time::Instant::now() + IN_FLIGHT_WAIT;
        loop {
            // Registered before the check, so a wake-up in between is kept.
            let woken = self.progress.notified();
            let waiting = self
                .store
                .earlier_hashes_in_flight(&upload.tenant, upload.created_at, &upload.id)
                .await
                .map_err(|e| DetectorError::Lookup(e.to_string()))?;
            if waiting == 0 || tokio::time::Instant::now() >= deadline {
                return Ok(());
            }
            // Woken at once by this process's workers; other processes' by the poll.
            tokio::select! {
                _ = woken => {}
                _ = tokio::time::sleep(std::time::Duration::from_millis(10)) => {}
            }
        }
    }
}
