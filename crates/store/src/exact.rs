use async_trait::async_trait;
use bonafide_core::{DetectorError, ExactIndex, FirstSeen};
use sqlx::Row;

use crate::Store;

/// The content-hash index lives in the `content_hashes` table, filled in the
/// same transaction that accepts an upload.
#[async_trait]
impl ExactIndex for Store {
    async fn first_seen(
        &self,
        tenant: &str,
        sha256: &str,
    ) -> Result<Option<FirstSeen>, DetectorError> {
        let row = sqlx::query(
            "SELECT first_upload_id, contributor_id, created_at FROM content_hashes \
             WHERE tenant = $1 AND sha256 = $2",
        )
        .bind(tenant)
        .bind(sha256)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(|e| DetectorError::Lookup(e.to_string()))?;
        row.map(|r| {
            Ok(FirstSeen {
                upload_id: r.try_get("first_upload_id")?,
                contributor_id: r.try_get("contributor_id")?,
                at: r.try_get("created_at")?,
            })
        })
        .transpose()
        .map_err(|e: sqlx::Error| DetectorError::Lookup(e.to_string()))
    }
}
