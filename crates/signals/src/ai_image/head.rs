//! A logistic-regression head on CLIP image embeddings (a "linear probe",
//! as UnivFD does with a larger CLIP): the probability that a picture was
//! generated, and the training that fits it.

use bonafide_core::Embedding;
use serde::{Deserialize, Serialize};

/// Dimension of the embeddings the head reads.
pub const DIMENSION: usize = 512;

/// The fitted head and the thresholds chosen for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AiHead {
    /// The embedding model it was trained on (a model file name).
    pub model: String,
    /// How it was made: the command and the data, for the next training.
    pub provenance: String,
    /// One weight per embedding dimension.
    pub weights: Vec<f32>,
    /// The intercept.
    pub bias: f32,
    /// Probability at or above which a picture goes to review (chosen so
    /// that at most `review_fpr` of real photos, out of fold, reach it).
    pub review_above: f32,
    /// Probability at or above which a picture is rejected (at most
    /// `reject_fpr` of real photos, out of fold).
    pub reject_above: f32,
    /// The measured false-positive rates the thresholds were chosen for.
    pub review_fpr: f32,
    /// See `review_fpr`.
    pub reject_fpr: f32,
}

/// Embeddings are unit vectors: scaled by √512 their components have unit
/// variance, which keeps the optimisation well conditioned.
fn scale() -> f32 {
    (DIMENSION as f32).sqrt()
}

impl AiHead {
    /// The head shipped with Bonafide (`bonafide train ai` wrote it).
    pub fn shipped() -> Self {
        serde_json::from_str(include_str!("head.json")).expect("the shipped head parses")
    }

    /// Probability (0–1) that the picture with this embedding was generated.
    pub fn probability(&self, e: &Embedding) -> f32 {
        probability(&self.weights, self.bias, e.values())
    }
}

fn probability(weights: &[f32], bias: f32, x: &[f32]) -> f32 {
    let z: f32 = weights
        .iter()
        .zip(x)
        .map(|(w, v)| w * v * scale())
        .sum::<f32>()
        + bias;
    1.0 / (1.0 + (-z).exp())
}

/// Fits weights and bias to `(embedding, generated)` pairs by L2-regularised
/// logistic regression (full-batch gradient descent), each class weighted
/// so both count equally whatever their sizes.
pub fn fit(samples: &[(&Embedding, bool)], l2: f32) -> (Vec<f32>, f32) {
    let (mut w, mut b) = (vec![0.0f32; DIMENSION], 0.0f32);
    let positives = samples.iter().filter(|(_, y)| *y).count().max(1) as f32;
    let negatives = samples.iter().filter(|(_, y)| !*y).count().max(1) as f32;
    let weight = |y: bool| {
        if y { 0.5 / positives } else { 0.5 / negatives }
    };
    // Plain gradient descent with momentum: the loss is convex and small.
    let (rate, momentum) = (0.5f32, 0.9f32);
    let (mut vw, mut vb) = (vec![0.0f32; DIMENSION], 0.0f32);
    for _ in 0..3000 {
        let mut gw: Vec<f32> = w.iter().map(|wi| l2 * wi).collect();
        let mut gb = 0.0f32;
        for (e, y) in samples {
            let x = e.values();
            let err = (probability(&w, b, x) - f32::from(u8::from(*y))) * weight(*y);
            for (g, v) in gw.iter_mut().zip(x) {
                *g += err * v * scale();
            }
            gb += err;
        }
        for ((wi, vi), g) in w.iter_mut().zip(vw.iter_mut()).zip(&gw) {
            *vi = momentum * *vi - rate * g;
            *wi += *vi;
        }
        vb = momentum * vb - rate * gb;
        b += vb;
    }
    (w, b)
}

/// Scores with given weights (for evaluating heads fitted by [`fit`]).
pub fn score(weights: &[f32], bias: f32, e: &Embedding) -> f32 {
    probability(weights, bias, e.values())
}

/// The lowest threshold at which at most `fpr` of `real` scores reach it
/// (a threshold just above the score it must exclude).
pub fn threshold_for_fpr(real: &[f32], fpr: f32) -> f32 {
    let mut sorted = real.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let allowed = (fpr * sorted.len() as f32).floor() as usize;
    match sorted.get(allowed) {
        Some(&s) => (s + 1e-6).min(1.0),
        None => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: Vec<f32>) -> Embedding {
        Embedding::normalized(v)
    }

    #[test]
    fn fits_a_separable_direction() {
        // Two clusters on either side of dimension 0.
        let data: Vec<(Embedding, bool)> = (0..40)
            .map(|i| {
                let mut v = vec![0.01 * (i % 7) as f32; DIMENSION];
                v[0] = if i % 2 == 0 { 1.0 } else { -1.0 };
                (unit(v), i % 2 == 0)
            })
            .collect();
        let refs: Vec<(&Embedding, bool)> = data.iter().map(|(e, y)| (e, *y)).collect();
        let (w, b) = fit(&refs, 1e-3);
        for (e, y) in &data {
            assert_eq!(score(&w, b, e) > 0.5, *y);
        }
    }

    #[test]
    fn thresholds_keep_the_false_positive_rate() {
        let real: Vec<f32> = (0..100).map(|i| i as f32 / 100.0).collect();
        let t = threshold_for_fpr(&real, 0.01);
        assert_eq!(real.iter().filter(|&&s| s >= t).count(), 1);
        assert_eq!(threshold_for_fpr(&real, 0.0), 0.99 + 1e-6);
    }

    #[test]
    fn the_shipped_head_loads() {
        let head = AiHead::shipped();
        assert_eq!(head.weights.len(), DIMENSION);
        assert!(head.reject_above >= head.review_above);
    }
}
