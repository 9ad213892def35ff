//! SSCD's post-processing, as its authors recommend when sample pictures of
//! the target distribution are at hand: descriptors are *centred* (the
//! background's mean subtracted, then scaled back to unit length), and a
//! match's cosine is *score-normalised* by subtracting the query's mean
//! cosine to its three nearest background pictures (β = 1, neighbours 1–3:
//! `sscd/disc_eval.py`'s default). A query that resembles many photos — a
//! blue sky, a white wall, a region of one — is held to a higher bar than
//! a distinctive one, so one threshold serves every query.
//!
//! The background ships with the code (`data/sscd-background.f16`, raw
//! descriptors of real web photos and of the regions screening describes
//! in them; `data/README.md` says which and how it was made). Vectors are
//! stored centred, under a model name that carries the background's
//! digest: descriptors made with another background never compare.

use std::sync::LazyLock;

use bonafide_core::Embedding;
use sha2::{Digest, Sha256};

use crate::CopyDescriptor;

/// The shipped background: little-endian f16, 512 per descriptor.
const BACKGROUND: &[u8] = include_bytes!("../data/sscd-background.f16");

/// Descriptor length.
pub const DIMENSIONS: usize = 512;

/// Background neighbours averaged for a query's offset.
const NEIGHBOURS: usize = 3;

/// Centring and score normalisation against a background set.
#[derive(Debug, Clone)]
pub struct CopySpace {
    mean: Vec<f32>,
    background: Vec<Embedding>,
    model: String,
}

impl CopySpace {
    /// The space of the shipped background (parsed once per process).
    pub fn shipped() -> &'static CopySpace {
        static SHIPPED: LazyLock<CopySpace> = LazyLock::new(|| {
            let raw: Vec<Vec<f32>> = BACKGROUND
                .chunks_exact(2 * DIMENSIONS)
                .map(|d| {
                    d.chunks_exact(2)
                        .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
                        .collect()
                })
                .collect();
            CopySpace::new(&raw, &hex::encode(Sha256::digest(BACKGROUND))[..12])
        });
        &SHIPPED
    }

    /// The space of `background` (raw descriptors), named by `digest`.
    pub fn new(background: &[Vec<f32>], digest: &str) -> Self {
        let mut mean = vec![0.0f32; DIMENSIONS];
        for d in background {
            for (m, v) in mean.iter_mut().zip(d) {
                *m += v;
            }
        }
        let n = background.len().max(1) as f32;
        mean.iter_mut().for_each(|m| *m /= n);
        let mut space = Self {
            mean,
            background: Vec::new(),
            model: format!("{}+centred-{digest}", CopyDescriptor::FILE),
        };
        space.background = background.iter().map(|d| space.project(d)).collect();
        space
    }

    /// The name stored with descriptors of this space: the model file and
    /// the background it is centred on.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// How many background descriptors there are.
    pub fn background_len(&self) -> usize {
        self.background.len()
    }

    /// A raw descriptor, centred and scaled to unit length: what is stored
    /// and indexed.
    pub fn project(&self, raw: &[f32]) -> Embedding {
        Embedding::normalized(raw.iter().zip(&self.mean).map(|(v, m)| v - m).collect())
    }

    /// What a match's cosine is lowered by for this (projected) query: its
    /// mean cosine to its nearest background descriptors.
    pub fn offset(&self, query: &Embedding) -> f32 {
        let mut top = [f32::NEG_INFINITY; NEIGHBOURS];
        for b in &self.background {
            let c = query.cosine(b);
            if c > top[NEIGHBOURS - 1] {
                top[NEIGHBOURS - 1] = c;
                top.sort_unstable_by(|a, b| b.total_cmp(a));
            }
        }
        let found: Vec<f32> = top.into_iter().filter(|c| c.is_finite()).collect();
        if found.is_empty() {
            0.0
        } else {
            found.iter().sum::<f32>() / found.len() as f32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let mut v = v.to_vec();
        v.resize(DIMENSIONS, 0.0);
        Embedding::normalized(v).values().to_vec()
    }

    #[test]
    fn centring_removes_the_common_direction() {
        // Every background vector shares the first axis.
        let bg = vec![
            unit(&[1.0, 1.0]),
            unit(&[1.0, 0.0, 1.0]),
            unit(&[1.0, 0.0, 0.0, 1.0]),
        ];
        let space = CopySpace::new(&bg, "test");
        let a = space.project(&unit(&[1.0, 1.0]));
        let b = space.project(&unit(&[1.0, 0.0, 1.0]));
        let raw = unit(&[1.0, 1.0])
            .iter()
            .zip(unit(&[1.0, 0.0, 1.0]))
            .map(|(x, y)| x * y)
            .sum::<f32>();
        assert!(a.cosine(&b) < raw, "{} !< {raw}", a.cosine(&b));
        assert!((a.cosine(&a) - 1.0).abs() < 1e-5);
        assert_eq!(space.model(), "sscd-distilled.onnx+centred-test");
        // A query like many background pictures is lowered more than one
        // like none of them.
        let axis = |i: usize, tilt: f32| {
            let mut v = vec![0.0; DIMENSIONS];
            v[0] = 1.0;
            v[i] = tilt;
            unit(&v)
        };
        let mut bg: Vec<Vec<f32>> = (2..5).map(|i| axis(i, 0.2)).collect();
        bg.extend((10..13).map(|i| axis(i, 5.0)));
        let space = CopySpace::new(&bg, "test");
        let like = space.offset(&space.project(&axis(6, 0.2)));
        let unlike = space.offset(&space.project(&axis(40, 5.0)));
        assert!(like > unlike, "{like} !> {unlike}");
    }

    #[test]
    fn the_shipped_background_loads() {
        let space = CopySpace::shipped();
        assert!(space.background_len() >= 100, "{}", space.background_len());
        assert!(space.model().starts_with("sscd-distilled.onnx+centred-"));
    }
}
