//! Vectors of screened photos — CLIP image embeddings and SSCD copy
//! descriptors, each in its own table — stored half precision, read back
//! incrementally for in-process indexes, and searched by pgvector's HNSW
//! index on PostgreSQL.

use half::f16;
use sqlx::Row;

use crate::{Backend, Result, Store};

/// Which vectors: each kind has its own table and its own HNSW index, so a
/// search never wades through the other kind's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorTable {
    /// CLIP image embeddings (what a picture shows): `image_embeddings`.
    ImageEmbeddings,
    /// SSCD copy descriptors (which picture it is a copy of): `copy_descriptors`.
    CopyDescriptors,
}

impl VectorTable {
    fn name(self) -> &'static str {
        match self {
            Self::ImageEmbeddings => "image_embeddings",
            Self::CopyDescriptors => "copy_descriptors",
        }
    }
}

/// One stored embedding.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEmbedding {
    /// Insertion order (ignored when adding).
    pub seq: i64,
    /// The upload it belongs to.
    pub upload_id: String,
    /// The upload's tenant: it matches only that tenant's uploads.
    pub tenant: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// The upload's content hash.
    pub sha256: String,
    /// The model file that computed it.
    pub model: String,
    /// The vector (unit length; stored as f16).
    pub vector: Vec<f32>,
    /// When the upload was accepted (Unix ms).
    pub created_at: i64,
}

/// A stored embedding near a query, from [`Store::nearest_embeddings`].
#[derive(Debug, Clone, PartialEq)]
pub struct NearEmbedding {
    /// The upload it belongs to.
    pub upload_id: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// The upload's content hash.
    pub sha256: String,
    /// When the upload was accepted (Unix ms).
    pub created_at: i64,
    /// Cosine similarity to the query.
    pub cosine: f32,
}

/// pgvector's text form, `[0.1,0.2,…]`.
fn vector_text(v: &[f32]) -> String {
    let parts: Vec<String> = v.iter().map(|x| x.to_string()).collect();
    format!("[{}]", parts.join(","))
}

fn parse_vector_text(text: &str) -> Option<Vec<f32>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    inner.split(',').map(|x| x.trim().parse().ok()).collect()
}

pub(crate) fn to_f16_bytes(v: &[f32]) -> Vec<u8> {
    v.iter()
        .flat_map(|&x| f16::from_f32(x).to_le_bytes())
        .collect()
}

pub(crate) fn from_f16_bytes(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(2)
        .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
        .collect()
}

impl Store {
    /// Stores an upload's vector in `table` (a retried job keeps the first).
    pub async fn add_embedding(&self, table: VectorTable, e: &StoredEmbedding) -> Result<()> {
        let (value, cast) = match self.db.backend() {
            Backend::Sqlite => (EmbeddingValue::Blob(to_f16_bytes(&e.vector)), ""),
            Backend::Postgres => (EmbeddingValue::Text(vector_text(&e.vector)), "::halfvec"),
        };
        let sql = format!(
            "INSERT INTO {} (upload_id, contributor_id, sha256, model, embedding, created_at, tenant) \
             VALUES ($1, $2, $3, $4, $5{cast}, $6, $7) ON CONFLICT (upload_id) DO NOTHING",
            table.name()
        );
        let q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&e.upload_id)
            .bind(&e.contributor_id)
            .bind(&e.sha256)
            .bind(&e.model);
        let q = match value {
            EmbeddingValue::Blob(b) => q.bind(b),
            EmbeddingValue::Text(t) => q.bind(t),
        };
        q.bind(e.created_at)
            .bind(&e.tenant)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// The vector `table` holds for an upload, with its model (`None` when
    /// none was stored).
    pub async fn vector_of(
        &self,
        table: VectorTable,
        upload_id: &str,
    ) -> Result<Option<crate::EntryEmbedding>> {
        let column = self.vector_column();
        let sql = format!(
            "SELECT e.model, {column} AS embedding FROM {} e WHERE e.upload_id = $1",
            table.name()
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(upload_id)
            .fetch_optional(&self.db.pool)
            .await?;
        row.map(|r| {
            Ok(crate::EntryEmbedding {
                model: r.try_get("model")?,
                vector: self.vector_values(&r)?,
            })
        })
        .transpose()
    }

    /// The embedding column as selected: raw f16 bytes on SQLite, pgvector
    /// text on PostgreSQL (the `Any` driver has no halfvec type).
    pub(crate) fn vector_column(&self) -> &'static str {
        match self.db.backend() {
            Backend::Sqlite => "e.embedding",
            Backend::Postgres => "e.embedding::text",
        }
    }

    pub(crate) fn vector_values(&self, r: &sqlx::any::AnyRow) -> Result<Vec<f32>> {
        Ok(match self.db.backend() {
            Backend::Sqlite => from_f16_bytes(&r.try_get::<Vec<u8>, _>("embedding")?),
            Backend::Postgres => {
                parse_vector_text(&r.try_get::<String, _>("embedding")?).unwrap_or_default()
            }
        })
    }

    /// Vectors of `model` in `table` with `seq` above `after`, in `seq` order.
    pub async fn embeddings_after(
        &self,
        table: VectorTable,
        model: &str,
        after: i64,
    ) -> Result<Vec<StoredEmbedding>> {
        let column = self.vector_column();
        let sql = format!(
            "SELECT e.seq, e.upload_id, e.tenant, e.contributor_id, e.sha256, e.model, {column} AS embedding, e.created_at \
             FROM {} e WHERE e.model = $1 AND e.seq > $2 ORDER BY e.seq",
            table.name()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(model)
            .bind(after)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let vector = self.vector_values(r)?;
                Ok(StoredEmbedding {
                    seq: r.try_get("seq")?,
                    upload_id: r.try_get("upload_id")?,
                    tenant: r.try_get("tenant")?,
                    contributor_id: r.try_get("contributor_id")?,
                    sha256: r.try_get("sha256")?,
                    model: r.try_get("model")?,
                    vector,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// The `limit` vectors of `model` in `table` of `tenant`'s uploads
    /// closest to `query` by cosine, closest first, through pgvector's HNSW
    /// index (approximate). PostgreSQL only: the embedded store searches in
    /// process.
    ///
    /// The index holds every tenant's vectors; pgvector 0.8's iterative
    /// scan keeps walking the graph until `limit` rows of this tenant are
    /// found (older versions filter one pass of `hnsw.ef_search`
    /// candidates, so a small tenant in a large table may see fewer).
    pub async fn nearest_embeddings(
        &self,
        table: VectorTable,
        model: &str,
        tenant: &str,
        query: &[f32],
        limit: usize,
    ) -> Result<Vec<NearEmbedding>> {
        if self.db.backend() != Backend::Postgres {
            return Err(crate::StoreError::Unsupported(
                "nearest_embeddings needs PostgreSQL with pgvector",
            ));
        }
        // Only the table's name is formatted in; every value is bound.
        let sql = format!(
            "SELECT upload_id, contributor_id, sha256, created_at, \
             (1 - (embedding <=> $1::halfvec))::float8 AS cosine \
             FROM {} WHERE model = $2 AND tenant = $4 \
             ORDER BY embedding <=> $1::halfvec LIMIT $3",
            table.name()
        );
        let mut tx = self.db.pool.begin().await?;
        if self.db.iterative_scan {
            sqlx::query("SET LOCAL hnsw.iterative_scan = strict_order")
                .execute(&mut *tx)
                .await?;
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(vector_text(query))
            .bind(model)
            .bind(limit as i64)
            .bind(tenant)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(NearEmbedding {
                    upload_id: r.try_get("upload_id")?,
                    contributor_id: r.try_get("contributor_id")?,
                    sha256: r.try_get("sha256")?,
                    created_at: r.try_get("created_at")?,
                    cosine: r.try_get::<f64, _>("cosine")? as f32,
                })
            })
            .collect()
    }
}

enum EmbeddingValue {
    Blob(Vec<u8>),
    Text(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_round_trip() {
        let v = vec![0.5, -0.25, 0.125, 0.0];
        assert_eq!(from_f16_bytes(&to_f16_bytes(&v)), v);
        assert_eq!(parse_vector_text(&vector_text(&v)).unwrap(), v);
        assert_eq!(parse_vector_text("[1,2"), None);
    }
}
