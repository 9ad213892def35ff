//! Banks of known content, mirrored from the store into in-process indexes
//! that catch up before each query (entries imported by `bonafide bank
//! import`, by any process, are matched within one upload): one
//! [`MultiIndex`] of PDQ hashes (pictures, and frames of known videos), and
//! HNSW graphs of the entries that carry an image embedding (CLIP) or a
//! copy descriptor (SSCD).

use std::collections::{HashMap, HashSet};

use crate::{
    copy_match::CopyQuery,
    mirror::{Mirror, Mirrored},
};
use bonafide_core::{BankHit, BankMatch, FrameHash, PerceptualHash};
use bonafide_matching::{HnswGraph, MultiIndex, VIDEO_MIN_FRAMES, pack};
use bonafide_store::{BankEntry, BankKind, EntryEmbedding, Store, StoreError};

/// Embedding neighbours fetched per query; a picture found in more
/// reference entries than this still shows.
const NEIGHBOURS: usize = 16;

#[derive(Debug)]
struct Loaded {
    index: MultiIndex<BankEntry>,
    /// Banks that are reference corpora.
    reference: HashSet<String>,
    /// Every bank known, with the one tenant it is matched for (`None`:
    /// every tenant). An entry of a bank not yet known here is matched for
    /// no one, so a tenant's private bank never shows before its owner is.
    tenants: HashMap<String, Option<String>>,
    /// CLIP embeddings of the entries that have one.
    embeddings: Vectors,
    /// Copy descriptors of the entries that have one.
    descriptors: Vectors,
    /// The embedding model whose vectors are indexed.
    embedding_model: &'static str,
    /// The copy-descriptor model (and background) whose vectors are indexed.
    descriptor_model: &'static str,
}

impl Mirrored for Loaded {
    type Row = BankEntry;
    type Error = StoreError;

    fn seq(row: &BankEntry) -> i64 {
        row.seq
    }

    fn apply(&mut self, mut entry: BankEntry) -> Result<(), StoreError> {
        let (embedding, descriptor) = (entry.embedding.take(), entry.descriptor.take());
        self.embeddings.add(&entry, embedding, self.embedding_model);
        self.descriptors
            .add(&entry, descriptor, self.descriptor_model);
        self.index.insert(pack(&entry.pdq), entry);
        Ok(())
    }
}

/// One kind of vector of the entries that carry it: a graph keyed by the
/// entry's `seq` (created with the first vector) and those entries, without
/// their vectors.
#[derive(Debug, Default)]
struct Vectors {
    graph: Option<HnswGraph>,
    entries: HashMap<u64, BankEntry>,
}

impl Vectors {
    /// Indexes `vector` of `entry`, if it came from `model` (a vector of
    /// another model never compares).
    fn add(&mut self, entry: &BankEntry, vector: Option<EntryEmbedding>, model: &str) {
        let Some(vector) = vector.filter(|v| v.model == model) else {
            return;
        };
        let graph = match &mut self.graph {
            Some(g) => g,
            None => match HnswGraph::new(vector.vector.len()) {
                Ok(g) => self.graph.insert(g),
                Err(error) => {
                    tracing::error!(%error, "cannot index bank vectors");
                    return;
                }
            },
        };
        match graph.add(entry.seq as u64, &vector.vector) {
            Ok(()) => {
                self.entries.insert(entry.seq as u64, entry.clone());
            }
            // A vector of another length: imported wrongly; PDQ still matches.
            Err(error) => tracing::warn!(entry = entry.seq, %error, "bank vector not indexed"),
        }
    }

    /// The entries whose vector is at `min_cosine` or more from `query`,
    /// with the cosine.
    fn near(&self, query: &[f32], min_cosine: f32) -> Vec<(&BankEntry, f32)> {
        let Some(graph) = &self.graph else {
            return Vec::new();
        };
        let found = graph.search(query, NEIGHBOURS).unwrap_or_else(|error| {
            tracing::warn!(%error, "bank vector search failed");
            Vec::new()
        });
        found
            .into_iter()
            .filter(|&(_, cosine)| cosine >= min_cosine)
            .filter_map(|(key, cosine)| Some((self.entries.get(&key)?, cosine)))
            .collect()
    }
}

impl Loaded {
    /// Whether `tenant`'s uploads are matched against entries of `bank`.
    fn visible(&self, bank: &str, tenant: &str) -> bool {
        self.tenants
            .get(bank)
            .is_some_and(|only| only.as_ref().is_none_or(|t| t == tenant))
    }

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
}

/// Every bank's entries, matched read-only.
#[derive(Debug)]
pub(crate) struct Banks {
    store: Store,
    loaded: Mirror<Loaded>,
}

impl Banks {
    pub(crate) fn new(
        store: Store,
        embedding_model: &'static str,
        descriptor_model: &'static str,
    ) -> Self {
        Self {
            store,
            loaded: Mirror::new(Loaded {
                index: MultiIndex::default(),
                reference: HashSet::new(),
                tenants: HashMap::new(),
                embeddings: Vectors::default(),
                descriptors: Vectors::default(),
                embedding_model,
                descriptor_model,
            }),
        }
    }

    /// Loads entries added since the last look, by any process. Called
    /// once before an upload's or a search's lookups, not by each lookup:
    /// one query per upload.
    pub(crate) async fn catch_up(&self) -> Result<(), StoreError> {
        let store = &self.store;
        let fetched = self
            .loaded
            .catch_up(|after| store.bank_entries_after(after))
            .await?;
        // A bank's kind and tenant are set when it is created, before its
        // entries; until read here, its new entries match no one.
        if fetched > 0 {
            // Not `banks()`: that counts every bank's entries.
            let scopes = store.bank_scopes().await?;
            let mut loaded = self.loaded.write().await;
            loaded.reference = scopes
                .iter()
                .filter(|b| b.kind == BankKind::Reference)
                .map(|b| b.name.clone())
                .collect();
            loaded.tenants = scopes.into_iter().map(|b| (b.name, b.tenant)).collect();
        }
        Ok(())
    }

    /// Entries of any bank `tenant` sees within `max_distance` of any
    /// orientation of `hash`, closest first (at most one per entry), among
    /// those loaded by the last [`Banks::catch_up`].
    pub(crate) async fn match_image(
        &self,
        tenant: &str,
        hash: &PerceptualHash,
        max_distance: u32,
    ) -> Vec<BankHit> {
        let loaded = self.loaded.read().await;
        let mut best: HashMap<i64, BankHit> = HashMap::new();
        for (orientation, bytes) in &hash.variants {
            for (distance, e) in loaded.index.within(&pack(bytes), max_distance) {
                if !loaded.visible(&e.bank, tenant) {
                    continue;
                }
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

    /// Known videos (and pictures) in banks `tenant` sees that a video's
    /// frames are taken from: for
    /// each source, the share of the video's distinct, matchable frames
    /// with a frame of it within `max_distance` (a frame's neighbours
    /// count for it, as in vPDQ's matching). A source is reported when
    /// [`VIDEO_MIN_FRAMES`] frames match, or every frame of a shorter video;
    /// best share first, named by its closest frame.
    pub(crate) async fn match_video(
        &self,
        tenant: &str,
        frames: &[FrameHash],
        max_distance: u32,
    ) -> Vec<BankHit> {
        /// One source's matched frames, and the closest match: its
        /// distance, where it is in the upload, and the entry.
        struct Tally<'a> {
            frames: u32,
            best: (u32, u64, &'a BankEntry),
        }
        let frames: Vec<&FrameHash> = frames
            .iter()
            .filter(|f| f.quality >= bonafide_pdq::MIN_QUALITY)
            .collect();
        if frames.is_empty() {
            return Vec::new();
        }
        let loaded = self.loaded.read().await;
        let mut sources: HashMap<(&str, &str), Tally> = HashMap::new();
        for frame in &frames {
            // This frame's closest entry of each source.
            let mut here: HashMap<(&str, &str), (u32, &BankEntry)> = HashMap::new();
            for hash in std::iter::once(&frame.hash).chain(&frame.neighbours) {
                for (distance, e) in loaded.index.within(&pack(hash), max_distance) {
                    if !loaded.visible(&e.bank, tenant) {
                        continue;
                    }
                    here.entry((&e.bank, &e.source))
                        .and_modify(|b| {
                            if distance < b.0 {
                                *b = (distance, e);
                            }
                        })
                        .or_insert((distance, e));
                }
            }
            for (key, (distance, e)) in here {
                let tally = sources.entry(key).or_insert(Tally {
                    frames: 0,
                    best: (distance, frame.at_ms, e),
                });
                tally.frames += 1;
                if distance < tally.best.0 {
                    tally.best = (distance, frame.at_ms, e);
                }
            }
        }
        let total = frames.len() as u32;
        let need = VIDEO_MIN_FRAMES.min(total);
        sorted(
            sources
                .into_values()
                .filter(|t| t.frames >= need)
                .map(|t| {
                    let (distance, at_ms, e) = t.best;
                    let matched = BankMatch::Frames {
                        share: t.frames as f32 / total as f32,
                        frames: t.frames,
                        distance,
                        at_ms,
                        source_ms: e.frame_ms,
                    };
                    loaded.hit(e, matched)
                })
                .collect(),
        )
    }

    /// Entries of banks `tenant` sees whose embedding is at `min_cosine` or
    /// more from `vector`, closest first, among those loaded by the last
    /// [`Banks::catch_up`].
    pub(crate) async fn match_embedding(
        &self,
        tenant: &str,
        vector: &[f32],
        min_cosine: f32,
    ) -> Vec<BankHit> {
        let loaded = self.loaded.read().await;
        sorted(
            loaded
                .embeddings
                .near(vector, min_cosine)
                .into_iter()
                .filter(|(e, _)| loaded.visible(&e.bank, tenant))
                .map(|(e, cosine)| loaded.hit(e, BankMatch::Embedding { cosine }))
                .collect(),
        )
    }

    /// Entries of banks `tenant` sees whose copy descriptor reaches each of
    /// `queries`' minimum
    /// score (a query is a descriptor, its background offset and the region
    /// of the upload it describes), best first with one hit per entry (its
    /// best query's), among those loaded by the last [`Banks::catch_up`].
    pub(crate) async fn match_descriptors(
        &self,
        tenant: &str,
        queries: &[CopyQuery],
    ) -> Vec<BankHit> {
        let loaded = self.loaded.read().await;
        let mut best: HashMap<i64, BankHit> = HashMap::new();
        for q in queries {
            for (e, cosine) in loaded
                .descriptors
                .near(q.descriptor.values(), q.min_score() + q.offset)
            {
                if !loaded.visible(&e.bank, tenant) {
                    continue;
                }
                let matched = BankMatch::Descriptor {
                    cosine,
                    score: cosine - q.offset,
                    region: q.region,
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
