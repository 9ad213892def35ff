//! Reverse image search: an image in, the bank entries and screened
//! uploads it matches out, best first, by the [`Fingerprint`] screening
//! matches on.

use bonafide_core::BankMatch;
use bytes::Bytes;
use serde::Serialize;

use crate::{Engine, EngineError, Fingerprint, copy_match::CopySubject, screen::merge_hits};

/// Limits of a search.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// Largest PDQ distance reported.
    pub max_distance: u32,
    /// Smallest embedding cosine reported.
    pub min_cosine: f32,
    /// Most matches returned.
    pub limit: usize,
    /// Match by PDQ.
    pub by_pdq: bool,
    /// Match by image embedding (CLIP).
    pub by_embedding: bool,
    /// Match by copy descriptor (SSCD: the whole picture, then its regions
    /// when the whole finds nothing), at the screening threshold.
    pub by_descriptor: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            max_distance: bonafide_pdq::MATCH_DISTANCE,
            min_cosine: bonafide_matching::REFERENCE_COSINE,
            limit: 20,
            by_pdq: true,
            by_embedding: true,
            by_descriptor: true,
        }
    }
}

/// One thing a searched image matches.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SearchMatch {
    /// An entry of a bank: a reference corpus or known content.
    Bank {
        /// Similarity 0–1, the ranking key (see [`similarity`]).
        score: f32,
        /// The bank.
        bank: String,
        /// The entry's id.
        entry: i64,
        /// Whether the bank is a reference corpus.
        reference: bool,
        /// Where the entry's content was found.
        source: String,
        /// Its licence, as known.
        licence: String,
        /// Its rights holder, as known.
        rights_holder: String,
        /// How it matched.
        #[serde(rename = "match")]
        matched: BankMatch,
    },
    /// A screened upload.
    Upload {
        /// Similarity 0–1, the ranking key.
        score: f32,
        /// The upload.
        upload_id: String,
        /// Who uploaded it.
        contributor_id: String,
        /// When (Unix ms).
        at: i64,
        /// How it matched.
        #[serde(rename = "match")]
        matched: BankMatch,
    },
}

impl SearchMatch {
    fn score(&self) -> f32 {
        match self {
            Self::Bank { score, .. } | Self::Upload { score, .. } => *score,
        }
    }
}

/// A search's answer.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// The image's PDQ hash (64 hex digits, as displayed).
    pub pdq: String,
    /// Its PDQ quality 0–100; below 50 PDQ matches mean little.
    pub quality: u8,
    /// Whether an embedding was compared too (the model is installed).
    pub embedded: bool,
    /// Whether a copy descriptor was compared too (the model is installed).
    pub described: bool,
    /// Best first, at most the limit.
    pub matches: Vec<SearchMatch>,
}

/// One scale for every kind of match: an embedding's or a descriptor's
/// cosine, and for PDQ `1 − distance/128` (1 for the same hash, 0.76 at the
/// match threshold of 31, 0.5 at 64 — where unrelated pictures start).
pub fn similarity(matched: BankMatch) -> f32 {
    match matched {
        BankMatch::Pdq { distance, .. } => 1.0 - distance as f32 / 128.0,
        BankMatch::Descriptor { cosine, .. } | BankMatch::Embedding { cosine } => cosine,
        BankMatch::Frames { share, .. } => share,
    }
}

impl Engine {
    /// The entries of the banks `tenant` sees and `tenant`'s screened
    /// uploads an image matches, best first: by PDQ within `max_distance` in any orientation, by copy
    /// descriptor (bank entries that carry one; the picture's regions when
    /// the whole finds nothing) at the screening threshold, and by image
    /// embedding (bank entries that carry one) at `min_cosine` or more.
    pub async fn search(
        &self,
        tenant: &str,
        bytes: Bytes,
        options: SearchOptions,
    ) -> Result<SearchResult, EngineError> {
        let print = self.fingerprint(bytes, options.by_embedding).await?;
        self.search_fingerprint(tenant, &print, options).await
    }

    /// [`Engine::search`] for a picture already fingerprinted (several
    /// searches of one picture fingerprint it once).
    pub async fn search_fingerprint(
        &self,
        tenant: &str,
        print: &Fingerprint,
        options: SearchOptions,
    ) -> Result<SearchResult, EngineError> {
        let inner = &self.inner;
        inner.banks.catch_up().await?;
        let mut hits = if options.by_pdq {
            inner
                .banks
                .match_image(tenant, &print.pdq, options.max_distance)
                .await
        } else {
            Vec::new()
        };
        // A featureless picture (see screening) is looked up by PDQ only.
        let featured = print.pdq.quality >= bonafide_pdq::MIN_QUALITY;
        if let Some(descriptor) = print
            .descriptor
            .as_ref()
            .filter(|_| options.by_descriptor && featured)
        {
            let found = self
                .match_copies(CopySubject {
                    tenant,
                    descriptor,
                    working: print.working.clone(),
                    upload: None,
                })
                .await?;
            merge_hits(&mut hits, found.banks);
        }
        if let Some(embedding) = print.embedding.as_ref().filter(|_| options.by_embedding) {
            let similar = inner
                .banks
                .match_embedding(tenant, embedding.values(), options.min_cosine)
                .await;
            merge_hits(&mut hits, similar);
        }
        let mut matches: Vec<SearchMatch> = hits
            .into_iter()
            .map(|h| SearchMatch::Bank {
                score: similarity(h.matched),
                bank: h.bank,
                entry: h.entry,
                reference: h.reference,
                source: h.source,
                licence: h.licence,
                rights_holder: h.rights_holder,
                matched: h.matched,
            })
            .collect();
        let uploads = if options.by_pdq {
            inner
                .near
                .search(tenant, &print.pdq, options.max_distance)
                .await
                .map_err(|e| EngineError::Tool(e.to_string()))?
        } else {
            Vec::new()
        };
        matches.extend(uploads.into_iter().map(|m| {
            let matched = BankMatch::Pdq {
                distance: m.distance,
                orientation: m.orientation,
            };
            SearchMatch::Upload {
                score: similarity(matched),
                upload_id: m.upload_id,
                contributor_id: m.contributor_id,
                at: m.at,
                matched,
            }
        }));
        // Stable for equal scores: banks before uploads, then insertion order.
        matches.sort_by(|a, b| b.score().total_cmp(&a.score()));
        matches.truncate(options.limit);
        let (_, original) = print.pdq.variants[0];
        Ok(SearchResult {
            pdq: bonafide_pdq::Hash256::from_bytes(original).to_string(),
            quality: print.pdq.quality,
            embedded: options.by_embedding && print.embedding.is_some(),
            described: options.by_descriptor && featured && print.descriptor.is_some(),
            matches,
        })
    }
}
