//! Perceptual hashes of screened images and video frames: the durable side
//! of the in-process near-duplicate indexes.

use sqlx::Row;

use crate::{Result, Store, StoreError};

/// What a stored hash describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashKind {
    /// A still image.
    Image,
    /// A still image's centre (the square inside its inscribed circle),
    /// which survives turning the photo by any angle.
    ImageCentre,
    /// One distinct sampled frame of a video.
    VideoFrame,
}

impl HashKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::ImageCentre => "image_centre",
            Self::VideoFrame => "video_frame",
        }
    }
}

/// One stored PDQ hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHash {
    /// Insertion order (ignored when adding).
    pub seq: i64,
    /// The upload it belongs to.
    pub upload_id: String,
    /// Image or video frame.
    pub kind: HashKind,
    /// The frame's time in the video (0 for images).
    pub frame_ms: i64,
    /// The upload's tenant: it matches only that tenant's uploads.
    pub tenant: String,
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

/// The `pdq` column: 32 bytes, or the row is malformed.
pub(crate) fn pdq_column(row: &sqlx::any::AnyRow) -> Result<[u8; 32]> {
    let bytes: Vec<u8> = row.try_get("pdq")?;
    bytes
        .try_into()
        .map_err(|_| StoreError::Malformed("a PDQ hash is not 32 bytes".into()))
}

impl Store {
    /// Stores an upload's hashes and, in the same transaction, a
    /// whole-upload signature (a video's TMK feature), so other processes
    /// never see one without the other. Rows already stored for the same
    /// upload, kind and frame (a retried job) are kept.
    pub async fn add_hashes_and_signature(
        &self,
        hashes: &[StoredHash],
        signature: Option<(SignatureKind, &StoredSignature)>,
    ) -> Result<()> {
        let mut tx = self.db.pool.begin().await?;
        for h in hashes {
            sqlx::query(
                "INSERT INTO perceptual_hashes (upload_id, kind, frame_ms, contributor_id, sha256, pdq, quality, \
                 created_at, tenant) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (upload_id, kind, frame_ms) DO NOTHING",
            )
            .bind(&h.upload_id)
            .bind(h.kind.as_str())
            .bind(h.frame_ms)
            .bind(&h.contributor_id)
            .bind(&h.sha256)
            .bind(h.pdq.to_vec())
            .bind(i64::from(h.quality))
            .bind(h.created_at)
            .bind(&h.tenant)
            .execute(&mut *tx)
            .await?;
        }
        if let Some((kind, s)) = signature {
            insert_signature(kind, s).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many uploads of `tenant` accepted before `(created_at,
    /// upload_id)` are being screened right now (a live worker holds their job's lease) and have
    /// no hash or document signature yet.
    /// A near-duplicate lookup waits for these, so two copies screened at
    /// the same moment by different workers still find each other.
    pub async fn earlier_hashes_in_flight(
        &self,
        tenant: &str,
        created_at: i64,
        upload_id: &str,
    ) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM jobs j JOIN uploads u ON u.id = j.payload \
             WHERE j.kind = 'screen' AND j.state = 'running' AND j.lease_until > $3 AND u.tenant = $4 \
             AND (u.created_at < $1 OR (u.created_at = $1 AND u.id < $2)) \
             AND NOT EXISTS (SELECT 1 FROM perceptual_hashes h WHERE h.upload_id = u.id) \
             AND NOT EXISTS (SELECT 1 FROM document_signatures d WHERE d.upload_id = u.id) \
             AND NOT EXISTS (SELECT 1 FROM video_timelines v WHERE v.upload_id = u.id)",
        )
        .bind(created_at)
        .bind(upload_id)
        .bind(crate::now_ms())
        .bind(tenant)
        .fetch_one(&self.db.pool)
        .await?;
        Ok(n)
    }

    /// A still image's own PDQ hash and quality (not its centre's), if it
    /// was hashed.
    pub async fn image_hash_of(&self, upload_id: &str) -> Result<Option<([u8; 32], u8)>> {
        let row = sqlx::query(
            "SELECT pdq, quality FROM perceptual_hashes WHERE upload_id = $1 AND kind = 'image'",
        )
        .bind(upload_id)
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| {
            Ok((
                pdq_column(&r)?,
                r.try_get::<i64, _>("quality")?.clamp(0, 100) as u8,
            ))
        })
        .transpose()
    }

    /// Hashes with `seq` above `after`, in `seq` order.
    pub async fn hashes_after(&self, after: i64) -> Result<Vec<StoredHash>> {
        let rows = sqlx::query(
            "SELECT seq, upload_id, kind, frame_ms, contributor_id, sha256, pdq, quality, created_at, tenant \
             FROM perceptual_hashes WHERE seq > $1 ORDER BY seq",
        )
        .bind(after)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(StoredHash {
                    seq: r.try_get("seq")?,
                    upload_id: r.try_get("upload_id")?,
                    kind: match kind.as_str() {
                        "image" => HashKind::Image,
                        "image_centre" => HashKind::ImageCentre,
                        "video_frame" => HashKind::VideoFrame,
                        other => return Err(StoreError::Malformed(format!("hash kind {other:?}"))),
                    },
                    frame_ms: r.try_get("frame_ms")?,
                    tenant: r.try_get("tenant")?,
                    contributor_id: r.try_get("contributor_id")?,
                    sha256: r.try_get("sha256")?,
                    pdq: pdq_column(r)?,
                    quality: r.try_get::<i64, _>("quality")?.clamp(0, 100) as u8,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}

/// Which whole-upload signature a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureKind {
    /// A document's text MinHash (128 × u32).
    DocumentText,
    /// A video's TMK level-1 feature (256 × f32); the whole TMK file is in
    /// the blob store at [`SignatureKind::tmk_blob_key`].
    VideoTimeline,
}

impl SignatureKind {
    fn table(self) -> &'static str {
        match self {
            SignatureKind::DocumentText => "document_signatures",
            SignatureKind::VideoTimeline => "video_timelines",
        }
    }

    /// Where a video's whole TMK file (upstream's `.tmk` format) is kept.
    pub fn tmk_blob_key(upload_id: &str) -> String {
        format!("tmk/{upload_id}.tmk")
    }
}

/// One stored whole-upload signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSignature {
    /// Insertion order (ignored when adding).
    pub seq: i64,
    /// The upload it belongs to.
    pub upload_id: String,
    /// The upload's tenant.
    pub tenant: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// The upload's content hash.
    pub sha256: String,
    /// The signature's bytes.
    pub signature: Vec<u8>,
    /// When the upload was accepted (Unix ms).
    pub created_at: i64,
}

impl Store {
    /// Stores an upload's signature (a retried job keeps the first).
    pub async fn add_signature(&self, kind: SignatureKind, s: &StoredSignature) -> Result<()> {
        insert_signature(kind, s).execute(&self.db.pool).await?;
        Ok(())
    }

    /// Signatures of one kind with `seq` above `after`, in `seq` order.
    pub async fn signatures_after(
        &self,
        kind: SignatureKind,
        after: i64,
    ) -> Result<Vec<StoredSignature>> {
        let sql = format!(
            "SELECT seq, upload_id, tenant, contributor_id, sha256, signature, created_at FROM {} \
             WHERE seq > $1 ORDER BY seq",
            kind.table()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredSignature {
                    seq: r.try_get("seq")?,
                    upload_id: r.try_get("upload_id")?,
                    tenant: r.try_get("tenant")?,
                    contributor_id: r.try_get("contributor_id")?,
                    sha256: r.try_get("sha256")?,
                    signature: r.try_get("signature")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}

fn insert_signature(
    kind: SignatureKind,
    s: &StoredSignature,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    let sql = format!(
        "INSERT INTO {} (upload_id, contributor_id, sha256, signature, created_at, tenant) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (upload_id) DO NOTHING",
        kind.table()
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(s.upload_id.clone())
        .bind(s.contributor_id.clone())
        .bind(s.sha256.clone())
        .bind(s.signature.clone())
        .bind(s.created_at)
        .bind(s.tenant.clone())
}
