//! Matching: detectors that compare an upload with what came before — the
//! indexes and banks: the exact content-hash index and PDQ near duplicates
//! over a Hamming index; vector indexes and banks join here.
#![deny(missing_docs)]

pub use crate::{
    bank::BankMatcher,
    document::DocumentNearDuplicate,
    duplicate::FLOOD_LIMIT,
    exact::{CROSS_CONTRIBUTOR_SCORE, ExactDuplicate, SAME_CONTRIBUTOR_SCORE},
    hamming::{LinearIndex, distance, pack},
    mih::MultiIndex,
    near::NearDuplicate,
    video::{MIN_SHARE, VideoNearDuplicate, frame_hashes},
};

mod bank;
mod document;
mod duplicate;
mod exact;
mod hamming;
mod mih;
pub mod minhash;
mod near;
pub mod rotation;
mod video;
