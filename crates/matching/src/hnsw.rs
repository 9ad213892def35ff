//! Approximate nearest-neighbour search over embeddings: an HNSW graph
//! (usearch), the in-process semantic index of the embedded store.

use usearch::{Index, IndexOptions, MetricKind, ScalarKind};

/// An HNSW graph of unit vectors under cosine similarity, stored half
/// precision, growing as vectors are added.
pub struct HnswGraph {
    index: Index,
}

impl std::fmt::Debug for HnswGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HnswGraph")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl HnswGraph {
    /// An empty graph for vectors of `dimensions`.
    pub fn new(dimensions: usize) -> Result<Self, String> {
        let index = Index::new(&IndexOptions {
            dimensions,
            metric: MetricKind::Cos,
            quantization: ScalarKind::F16,
            // usearch's defaults (16 links, expansion 128 on add, 64 on search).
            connectivity: 0,
            expansion_add: 0,
            expansion_search: 0,
            multi: false,
        })
        .map_err(|e| e.to_string())?;
        Ok(Self { index })
    }

    /// Adds a vector under `key`.
    pub fn add(&mut self, key: u64, vector: &[f32]) -> Result<(), String> {
        // usearch needs room reserved before adding; grow by doubling.
        if self.index.size() >= self.index.capacity() {
            let room = (self.index.capacity() * 2).max(1024);
            self.index.reserve(room).map_err(|e| e.to_string())?;
        }
        self.index.add(key, vector).map_err(|e| e.to_string())
    }

    /// The `count` nearest keys with their cosine similarity, closest first
    /// (approximate).
    pub fn search(&self, query: &[f32], count: usize) -> Result<Vec<(u64, f32)>, String> {
        let found = self.index.search(query, count).map_err(|e| e.to_string())?;
        Ok(found
            .keys
            .into_iter()
            .zip(found.distances)
            .map(|(k, d)| (k, 1.0 - d))
            .collect())
    }

    /// Vectors held.
    pub fn len(&self) -> usize {
        self.index.size()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
