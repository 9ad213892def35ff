//! The vector indexes: CLIP image embeddings and SSCD copy descriptors of
//! every screened photo (one index each, over its own table), searched
//! approximately, each upload among its own tenant's. The embedded store
//! mirrors its table into in-process HNSW graphs (usearch, one per tenant)
//! that catch up before each query, like the PDQ index; PostgreSQL searches
//! its own pgvector HNSW index, filtered by tenant.

use std::{collections::HashMap, sync::Arc};

use crate::{
    in_flight::EarlierUploads,
    mirror::{Mirror, Mirrored},
};
use async_trait::async_trait;
use bonafide_core::{DetectorError, Embedding, SemanticIndex, SemanticMatch, UploadMeta};
use bonafide_matching::HnswGraph;
use bonafide_store::{NearEmbedding, Store, StoreError, StoredEmbedding, VectorTable};

/// Neighbours fetched per query, before leaving out later uploads and
/// byte-identical copies; above the flood limit, so a common picture still
/// shows as one.
const NEIGHBOURS: usize = 32;

fn lookup(e: impl std::fmt::Display) -> DetectorError {
    DetectorError::Lookup(e.to_string())
}

/// Stores `embedding` as the upload's in `table` (before its detectors
/// run: see [`EarlierUploads`]).
pub(crate) async fn store_embedding(
    store: &Store,
    table: VectorTable,
    model: &str,
    upload: &UploadMeta,
    embedding: &Embedding,
) -> Result<(), StoreError> {
    store
        .add_embedding(
            table,
            &StoredEmbedding {
                seq: 0,
                upload_id: upload.id.clone(),
                tenant: upload.tenant.clone(),
                contributor_id: upload.contributor_id.clone(),
                sha256: upload.sha256.clone(),
                model: model.to_owned(),
                vector: embedding.values().to_vec(),
                created_at: upload.created_at,
            },
        )
        .await
}

/// Keeps the matches that are earlier uploads with other bytes, at
/// `min_cosine` or more, closest first.
fn earlier_matches(
    upload: &UploadMeta,
    near: impl IntoIterator<Item = NearEmbedding>,
    min_cosine: f32,
) -> Vec<SemanticMatch> {
    let mut matches: Vec<SemanticMatch> = near
        .into_iter()
        .filter(|n| {
            n.cosine >= min_cosine
                && n.sha256 != upload.sha256
                && upload.follows(n.created_at, &n.upload_id)
        })
        .map(|n| SemanticMatch {
            upload_id: n.upload_id,
            contributor_id: n.contributor_id,
            at: n.created_at,
            cosine: n.cosine,
        })
        .collect();
    matches.sort_by(|a, b| {
        b.cosine
            .total_cmp(&a.cosine)
            .then(a.upload_id.cmp(&b.upload_id))
    });
    matches
}

/// pgvector's HNSW index on PostgreSQL.
#[derive(Debug)]
pub(crate) struct PgvectorIndex {
    store: Store,
    table: VectorTable,
    model: &'static str,
    earlier: Arc<EarlierUploads>,
}

impl PgvectorIndex {
    pub(crate) fn new(
        store: Store,
        table: VectorTable,
        model: &'static str,
        earlier: Arc<EarlierUploads>,
    ) -> Self {
        Self {
            store,
            table,
            model,
            earlier,
        }
    }

    async fn nearest(
        &self,
        upload: &UploadMeta,
        embedding: &Embedding,
        min_cosine: f32,
    ) -> Result<Vec<SemanticMatch>, DetectorError> {
        let near = self
            .store
            .nearest_embeddings(
                self.table,
                self.model,
                &upload.tenant,
                embedding.values(),
                NEIGHBOURS + 1,
            )
            .await
            .map_err(lookup)?;
        Ok(earlier_matches(upload, near, min_cosine))
    }
}

#[async_trait]
impl SemanticIndex for PgvectorIndex {
    async fn earlier_matches(
        &self,
        upload: &UploadMeta,
        embedding: &Embedding,
        min_cosine: f32,
    ) -> Result<Vec<SemanticMatch>, DetectorError> {
        self.earlier.wait(upload).await?;
        self.nearest(upload, embedding, min_cosine).await
    }

    async fn earlier_matches_each(
        &self,
        upload: &UploadMeta,
        queries: &[(Embedding, f32)],
    ) -> Result<Vec<Vec<SemanticMatch>>, DetectorError> {
        self.earlier.wait(upload).await?;
        let mut out = Vec::with_capacity(queries.len());
        for (embedding, min_cosine) in queries {
            out.push(self.nearest(upload, embedding, *min_cosine).await?);
        }
        Ok(out)
    }
}

/// In-process HNSW graphs mirroring the store's embeddings, one per tenant
/// (a search among one tenant's vectors is never crowded out by
/// another's).
pub(crate) struct HnswIndex {
    store: Store,
    table: VectorTable,
    model: &'static str,
    earlier: Arc<EarlierUploads>,
    vectors: Mirror<Vectors>,
}

impl std::fmt::Debug for HnswIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HnswIndex")
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

/// An indexed upload (its key in the graph is its row's `seq`).
struct Owner {
    upload_id: String,
    contributor_id: String,
    sha256: String,
    created_at: i64,
}

/// The graphs and who owns each vector.
#[derive(Default)]
struct Vectors {
    graphs: HashMap<String, HnswGraph>,
    owners: HashMap<u64, Owner>,
}

impl Mirrored for Vectors {
    type Row = StoredEmbedding;
    type Error = DetectorError;

    fn seq(row: &StoredEmbedding) -> i64 {
        row.seq
    }

    fn apply(&mut self, row: StoredEmbedding) -> Result<(), DetectorError> {
        let graph = match self.graphs.entry(row.tenant) {
            std::collections::hash_map::Entry::Occupied(g) => g.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(HnswGraph::new(row.vector.len()).map_err(lookup)?)
            }
        };
        graph.add(row.seq as u64, &row.vector).map_err(lookup)?;
        self.owners.insert(
            row.seq as u64,
            Owner {
                upload_id: row.upload_id,
                contributor_id: row.contributor_id,
                sha256: row.sha256,
                created_at: row.created_at,
            },
        );
        Ok(())
    }
}

impl HnswIndex {
    pub(crate) fn new(
        store: Store,
        table: VectorTable,
        model: &'static str,
        earlier: Arc<EarlierUploads>,
    ) -> Self {
        Self {
            store,
            table,
            model,
            earlier,
            vectors: Mirror::default(),
        }
    }

    /// Pulls in every embedding stored since the last look, by any process.
    async fn catch_up(&self) -> Result<(), DetectorError> {
        let (store, table, model) = (&self.store, self.table, self.model);
        self.vectors
            .catch_up(|after| async move {
                store
                    .embeddings_after(table, model, after)
                    .await
                    .map_err(lookup)
            })
            .await?;
        Ok(())
    }
}

impl HnswIndex {
    /// Searches the graph as loaded (call [`HnswIndex::catch_up`] first).
    fn search(
        loaded: &Vectors,
        upload: &UploadMeta,
        embedding: &Embedding,
        min_cosine: f32,
    ) -> Result<Vec<SemanticMatch>, DetectorError> {
        let Some(graph) = loaded.graphs.get(&upload.tenant) else {
            return Ok(vec![]);
        };
        let near = graph
            .search(embedding.values(), NEIGHBOURS + 1)
            .map_err(lookup)?
            .into_iter()
            .filter_map(|(key, cosine)| {
                let o = loaded.owners.get(&key)?;
                Some(NearEmbedding {
                    upload_id: o.upload_id.clone(),
                    contributor_id: o.contributor_id.clone(),
                    sha256: o.sha256.clone(),
                    created_at: o.created_at,
                    cosine,
                })
            });
        Ok(earlier_matches(upload, near, min_cosine))
    }
}

#[async_trait]
impl SemanticIndex for HnswIndex {
    async fn earlier_matches(
        &self,
        upload: &UploadMeta,
        embedding: &Embedding,
        min_cosine: f32,
    ) -> Result<Vec<SemanticMatch>, DetectorError> {
        self.earlier.wait(upload).await?;
        self.catch_up().await?;
        Self::search(&*self.vectors.read().await, upload, embedding, min_cosine)
    }

    async fn earlier_matches_each(
        &self,
        upload: &UploadMeta,
        queries: &[(Embedding, f32)],
    ) -> Result<Vec<Vec<SemanticMatch>>, DetectorError> {
        self.earlier.wait(upload).await?;
        self.catch_up().await?;
        let loaded = self.vectors.read().await;
        queries
            .iter()
            .map(|(embedding, min_cosine)| Self::search(&loaded, upload, embedding, *min_cosine))
            .collect()
    }
}
