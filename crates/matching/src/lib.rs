//! Matching: detectors that compare an upload with what came before — the
//! indexes and banks: the exact content-hash index and PDQ near duplicates
//! over a Hamming index, edited copies by copy descriptor (of the whole
//! upload, or of the [`regions`] a copy may sit in) and by image embedding,
//! and banks.
#![deny(missing_docs)]

pub use crate::{
    bank::{BankMatcher, REFERENCE_COSINE, VIDEO_MIN_FRAMES, match_strength},
    copy::{COPY_REGION_SCORE, COPY_SCORE, COPY_SCORE_STRONG, copy_strength},
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
mod copy;
mod document;
mod duplicate;
mod exact;
mod hamming;
mod hnsw;
mod mih;
pub mod minhash;
mod near;
mod rectangles;
pub mod regions;
pub mod rotation;
mod semantic;
mod video;
pub mod web;
