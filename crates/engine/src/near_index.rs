//! The near-duplicate index: PDQ hashes in the store, mirrored into an
//! in-process [`LinearIndex`] that catches up incrementally before each
//! query, so several processes sharing one database see each other's hashes.

use std::collections::HashSet;

use async_trait::async_trait;
use bonafide_core::{DetectorError, NearIndex, NearMatch, PerceptualHash, UploadMeta};
use bonafide_matching::{LinearIndex, pack};
use bonafide_store::{Store, StoredImageHash};
use tokio::sync::RwLock;

/// Rows re-read behind the highest `seq` seen: Postgres sequences can
/// commit out of order, so a lower `seq` may appear after a higher one.
const REREAD: i64 = 1024;

/// Longest wait for earlier uploads still being hashed.
const IN_FLIGHT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// What the index keeps per hash.
#[derive(Debug, Clone)]
struct Entry {
    upload_id: String,
    contributor_id: String,
    sha256: String,
    quality: u8,
    created_at: i64,
}

#[derive(Debug, Default)]
struct Loaded {
    index: LinearIndex<Entry>,
    seen: HashSet<i64>,
    max_seq: i64,
}

/// PDQ near-duplicate lookups over every screened image.
#[derive(Debug)]
pub(crate) struct PdqIndex {
    store: Store,
    loaded: RwLock<Loaded>,
}

impl PdqIndex {
    pub(crate) fn new(store: Store) -> Self {
        Self {
            store,
            loaded: RwLock::default(),
        }
    }

    /// Pulls hashes stored since the last look (by any process).
    async fn catch_up(&self) -> Result<(), DetectorError> {
        let after = self.loaded.read().await.max_seq - REREAD;
        let rows = self
            .store
            .image_hashes_after(after)
            .await
            .map_err(|e| DetectorError::Lookup(e.to_string()))?;
        let mut loaded = self.loaded.write().await;
        for row in rows {
            if loaded.seen.insert(row.seq) {
                loaded.max_seq = loaded.max_seq.max(row.seq);
                let entry = Entry {
                    upload_id: row.upload_id,
                    contributor_id: row.contributor_id,
                    sha256: row.sha256,
                    quality: row.quality,
                    created_at: row.created_at,
                };
                loaded.index.insert(pack(&row.pdq), entry);
            }
        }
        Ok(())
    }
}

#[async_trait]
impl NearIndex for PdqIndex {
    async fn add_and_match(
        &self,
        upload: &UploadMeta,
        hash: &PerceptualHash,
        max_distance: u32,
    ) -> Result<Vec<NearMatch>, DetectorError> {
        let (_, original) = hash
            .variants
            .first()
            .ok_or_else(|| DetectorError::Other("no hash".into()))?;
        let row = StoredImageHash {
            seq: 0,
            upload_id: upload.id.clone(),
            contributor_id: upload.contributor_id.clone(),
            sha256: upload.sha256.clone(),
            pdq: *original,
            quality: hash.quality,
            created_at: upload.created_at,
        };
        let lookup = |e: bonafide_store::StoreError| DetectorError::Lookup(e.to_string());
        self.store.add_image_hash(&row).await.map_err(lookup)?;
        // Earlier uploads a worker is screening right now hash within
        // milliseconds; wait for them (bounded) so simultaneous copies, from
        // one scan or from accounts racing each other, still meet.
        let deadline = tokio::time::Instant::now() + IN_FLIGHT_WAIT;
        while self
            .store
            .earlier_hashes_in_flight(upload.created_at, &upload.id)
            .await
            .map_err(lookup)?
            > 0
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        self.catch_up().await?;

        let loaded = self.loaded.read().await;
        // Only uploads accepted before this one count, so the outcome does
        // not depend on which worker finished first.
        let earlier = |e: &Entry| {
            (e.created_at, e.upload_id.as_str()) < (upload.created_at, upload.id.as_str())
        };
        let mut best: Vec<NearMatch> = Vec::new();
        for (orientation, bytes) in &hash.variants {
            let query = pack(bytes);
            for (distance, e) in loaded.index.within(&query, max_distance) {
                if !earlier(e) || e.sha256 == upload.sha256 || e.quality < bonafide_pdq::MIN_QUALITY
                {
                    continue;
                }
                match best.iter_mut().find(|m| m.upload_id == e.upload_id) {
                    Some(m) if m.distance <= distance => {}
                    Some(m) => {
                        m.distance = distance;
                        m.orientation = orientation;
                    }
                    None => best.push(NearMatch {
                        upload_id: e.upload_id.clone(),
                        contributor_id: e.contributor_id.clone(),
                        at: e.created_at,
                        distance,
                        orientation,
                    }),
                }
            }
        }
        best.sort_by(|a, b| {
            (a.distance, a.at, &a.upload_id).cmp(&(b.distance, b.at, &b.upload_id))
        });
        Ok(best)
    }
}
