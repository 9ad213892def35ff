//! Perceptual hashes of screened images, the durable side of the
//! in-process near-duplicate index.

use sqlx::Row;

use crate::{Result, Store, StoreError};

/// One stored PDQ hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImageHash {
    /// Insertion order.
    pub seq: i64,
    /// The upload it belongs to.
    pub upload_id: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// The upload's content hash (exact duplicates are matched elsewhere).
    pub sha256: String,
    /// The 256-bit hash.
    pub pdq: [u8; 32],
    /// PDQ quality 0–100.
    pub quality: u8,
    /// When the upload was accepted (Unix ms).
    pub created_at: i64,
}

impl Store {
    /// Stores an upload's hash; a second call for the same upload (a retried
    /// job) keeps the first.
    pub async fn add_image_hash(&self, h: &StoredImageHash) -> Result<()> {
        sqlx::query(
            "INSERT INTO image_hashes (upload_id, contributor_id, sha256, pdq, quality, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (upload_id) DO NOTHING",
        )
        .bind(&h.upload_id)
        .bind(&h.contributor_id)
        .bind(&h.sha256)
        .bind(h.pdq.to_vec())
        .bind(i64::from(h.quality))
        .bind(h.created_at)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    /// How many uploads accepted before `(created_at, upload_id)` are being
    /// screened right now (a worker holds their job) and have no hash yet.
    /// A near-duplicate lookup waits for these, so two copies screened at
    /// the same moment by different workers still find each other.
    pub async fn earlier_hashes_in_flight(&self, created_at: i64, upload_id: &str) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM jobs j JOIN uploads u ON u.id = j.payload \
             WHERE j.kind = 'screen' AND j.state = 'running' \
             AND (u.created_at < $1 OR (u.created_at = $1 AND u.id < $2)) \
             AND NOT EXISTS (SELECT 1 FROM image_hashes h WHERE h.upload_id = u.id)",
        )
        .bind(created_at)
        .bind(upload_id)
        .fetch_one(&self.db.pool)
        .await?;
        Ok(n)
    }

    /// Hashes with `seq` above `after`, in `seq` order.
    pub async fn image_hashes_after(&self, after: i64) -> Result<Vec<StoredImageHash>> {
        let rows = sqlx::query(
            "SELECT seq, upload_id, contributor_id, sha256, pdq, quality, created_at FROM image_hashes \
             WHERE seq > $1 ORDER BY seq",
        )
        .bind(after)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let pdq: Vec<u8> = r.try_get("pdq")?;
                Ok(StoredImageHash {
                    seq: r.try_get("seq")?,
                    upload_id: r.try_get("upload_id")?,
                    contributor_id: r.try_get("contributor_id")?,
                    sha256: r.try_get("sha256")?,
                    pdq: pdq
                        .try_into()
                        .map_err(|_| StoreError::Malformed("a PDQ hash is not 32 bytes".into()))?,
                    quality: r.try_get::<i64, _>("quality")?.clamp(0, 100) as u8,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
