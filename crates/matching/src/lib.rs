//! Matching: detectors that compare an upload with what came before — the
//! indexes and banks: the exact content-hash index and PDQ near duplicates
//! over a Hamming index, semantic near duplicates by image embedding, and banks.
#![deny(missing_docs)]

pub use crate::{
    bank::{BankMatcher, REFERENCE_COSINE, VIDEO_MIN_FRAMES},
    document::DocumentNearDuplicate,
    duplicate::FLOOD_LIMIT,
    exact::{CROSS_CONTRIBUTOR_SCORE, ExactDuplicate, SAME_CONTRIBUTOR_SCORE},
    hamming::{LinearIndex, distance, pack},
    hnsw::HnswGraph,
    mih::MultiIndex,
    near::NearDuplicate,
    semantic::{MIN_COSINE, SemanticDuplicate},
    video::{MIN_SHARE, VideoNearDuplicate, frame_hashes},
    web::{WebSearch, WebSearchConfig, WebSearchDetector},
};

mod bank;
mod document;
mod duplicate;
mod exact;
mod hamming;
mod hnsw;
mod mih;
pub mod minhash;
mod near;
pub mod rotation;
mod semantic;
mod video;
pub mod web;
