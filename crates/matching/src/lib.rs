//! Matching: detectors that compare an upload with what came before — the
//! indexes and banks. For now the exact content-hash index; perceptual and
//! vector indexes join here.
#![deny(missing_docs)]

pub use crate::exact::{CROSS_CONTRIBUTOR_SCORE, ExactDuplicate, SAME_CONTRIBUTOR_SCORE};

mod exact;
