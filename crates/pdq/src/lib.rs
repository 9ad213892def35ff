//! PDQ, Meta's perceptual photo hash, in Rust: a 256-bit [`Hash256`] and a
//! 0–100 quality score per image, plus the hashes of the image's eight
//! rotations and flips ([`Dihedral`]) computed from one DCT; and [`tmk`],
//! Meta's whole-video hash built on PDQ's float features.
//!
//! The algorithm follows the reference (`facebook/ThreatExchange`,
//! `pdq/cpp/hashing/pdqhashing.cpp`) step for step, in `f32` as it does:
//! RGB → luma; two passes of a Jarosz box
//! filter sized to the image; decimate to 64×64; quality from the gradient sum; a 2-D DCT keeping frequencies
//! 1–16 in each direction; one bit per coefficient above the median. Given
//! the same pixels it gives the reference's hash; across JPEG decoders the
//! hashes of good-quality images stay within a few bits.
//!
//! Conventions (upstream): two images match at Hamming distance ≤ 31, and
//! hashes of quality < 50 carry too little signal to match on.
#![deny(missing_docs)]

pub use crate::{
    dihedral::Dihedral,
    hash::{Hash256, ParseHashError},
    hasher::{PdqHash, Pixels, float_features, hash_image, hash_image_dihedral},
};

pub mod tmk;

mod dct;
mod dihedral;
mod filter;
mod hash;
mod hasher;

/// Hamming distance at or below which two PDQ hashes are taken as the same
/// photo (upstream's recommended threshold).
pub const MATCH_DISTANCE: u32 = 31;

/// Quality below which a hash should not be matched on (upstream convention).
pub const MIN_QUALITY: u8 = 50;
