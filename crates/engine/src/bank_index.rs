//! Banks of known content, mirrored from the store into in-process indexes
//! that catch up before each query (entries imported by `bonafide bank
//! import`, by any process, are matched within one upload): one
//! [`MultiIndex`] of PDQ hashes, and an HNSW graph of the entries that carry
//! an image embedding.

use std::collections::{HashMap, HashSet};

use bonafide_core::{BankHit, BankMatch, PerceptualHash};
use bonafide_matching::{HnswGraph, MultiIndex, pack};
use bonafide_store::{BankEntry, Store, StoreError};
use tokio::sync::RwLock;

use crate::cursor::Cursor;

/// Embedding neighbours fetched per query; a picture found in more
/// reference entries than this still shows.
const NEIGHBOURS: usize = 16;

#[derive(Debug, Default)]
struct Loaded {
    index: MultiIndex<BankEntry>,
    cursor: Cursor,
    /// Banks that are reference corpora.
    reference: HashSet<String>,
    /// Embeddings of the entries that have one (keyed by `seq`), created
    /// with the first.
    vectors: Option<HnswGraph>,
    /// Those entries, without their vectors.
    embedded: HashMap<u64, BankEntry>,
}

impl Loaded {
    fn hit(&self, e: &BankEntry, matched: BankMatch) -> BankHit {
        BankHit {
            bank: e.bank.clone(),
            entry: e.seq,
            matched,
            source: e.source.clone(),
            licence: e.licence.clone(),
            rights_holder: e.rights_holder.clone(),
            reference: self.reference.contains(&e.bank),
        }
    }

    fn add_embedding(&mut self, entry: &mut BankEntry, model: &str) {
        let Some(embedding) = entry.embedding.take() else {
            return;
        };
        if embedding.model != model {
            return;
        }
        let graph = match &mut self.vectors {
            Some(g) => g,
            None => match HnswGraph::new(embedding.vector.len()) {
                Ok(g) => self.vectors.insert(g),
                Err(error) => {
                    tracing::error!(%error, "cannot index bank embeddings");
                    return;
                }
            },
        };
        match graph.add(entry.seq as u64, &embedding.vector) {
            Ok(()) => {
                self.embedded.insert(entry.seq as u64, entry.clone());
            }
            // A vector of another length: imported wrongly; PDQ still matches.
            Err(error) => tracing::warn!(entry = entry.seq, %error, "bank embedding not indexed"),
        }
    }
}

/// Every bank's entries, matched read-only.
#[derive(Debug)]
pub(crate) struct Banks {
    store: Store,
    /// The embedding model whose vectors are indexed.
    model: &'static str,
    loaded: RwLock<Loaded>,
}

impl Banks {
    pub(crate) fn new(store: Store, model: &'static str) -> Self {
        Self {
            store,
            model,
            loaded: RwLock::default(),
        }
    }

    /// Loads entries added since the last look, by any process. Called
    /// once before an upload's or a search's lookups, not by each lookup:
    /// one query per upload.
    pub(crate) async fn catch_up(&self) -> Result<(), StoreError> {
        let after = self.loaded.read().await.cursor.after();
        let fresh = self.store.bank_entries_after(after).await?;
        // A bank's kind is set when it is created, before its entries.
        let reference = if fresh.is_empty() {
            None
        } else {
            // Not `banks()`: that counts every bank's entries.
            Some(self.store.reference_banks().await?.into_iter().collect())
        };
        let mut loaded = self.loaded.write().await;
        if let Some(reference) = reference {
            loaded.reference = reference;
        }
        for mut entry in fresh {
            if loaded.cursor.admit(entry.seq) {
                loaded.add_embedding(&mut entry, self.model);
                loaded.index.insert(pack(&entry.pdq), entry);
            }
        }
        loaded.cursor.prune();
        Ok(())
    }

    /// Entries of any bank within `max_distance` of any orientation of
    /// `hash`, closest first (at most one per entry), among those loaded by
    /// the last [`Banks::catch_up`].
    pub(crate) async fn match_image(
        &self,
        hash: &PerceptualHash,
        max_distance: u32,
    ) -> Vec<BankHit> {
        let loaded = self.loaded.read().await;
        let mut best: HashMap<i64, BankHit> = HashMap::new();
        for (orientation, bytes) in &hash.variants {
            for (distance, e) in loaded.index.within(&pack(bytes), max_distance) {
                let matched = BankMatch::Pdq {
                    distance,
                    orientation,
                };
                best.entry(e.seq)
                    .and_modify(|hit| {
                        if matched.rank() < hit.matched.rank() {
                            hit.matched = matched;
                        }
                    })
                    .or_insert_with(|| loaded.hit(e, matched));
            }
        }
        sorted(best.into_values().collect())
    }

    /// Entries whose embedding is at `min_cosine` or more from `vector`,
    /// closest first, among those loaded by the last [`Banks::catch_up`].
    pub(crate) async fn match_embedding(&self, vector: &[f32], min_cosine: f32) -> Vec<BankHit> {
        let loaded = self.loaded.read().await;
        let Some(graph) = &loaded.vectors else {
            return Vec::new();
        };
        let found = graph.search(vector, NEIGHBOURS).unwrap_or_else(|error| {
            tracing::warn!(%error, "bank embedding search failed");
            Vec::new()
        });
        sorted(
            found
                .into_iter()
                .filter(|&(_, cosine)| cosine >= min_cosine)
                .filter_map(|(key, cosine)| {
                    let e = loaded.embedded.get(&key)?;
                    Some(loaded.hit(e, BankMatch::Embedding { cosine }))
                })
                .collect(),
        )
    }
}

/// Best first, then by bank and entry (a stable order for equal matches).
fn sorted(mut hits: Vec<BankHit>) -> Vec<BankHit> {
    hits.sort_by(|a, b| {
        let (ra, rb) = (a.matched.rank(), b.matched.rank());
        ra.0.cmp(&rb.0)
            .then(ra.1.total_cmp(&rb.1))
            .then((&a.bank, a.entry).cmp(&(&b.bank, b.entry)))
    });
    hits
}
