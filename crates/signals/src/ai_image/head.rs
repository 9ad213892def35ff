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
    /// Platt scaling of the raw log-odds, `[scale, shift]`, fitted on
    /// out-of-fold scores with the two classes weighted equally: the
    /// probability is calibrated for a set that is half generated.
    pub calibration: [f32; 2],
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
        calibrated(self.calibration, logit(&self.weights, self.bias, e))
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

fn probability(weights: &[f32], bias: f32, x: &[f32]) -> f32 {
    sigmoid(log_odds(weights, bias, x))
}

fn log_odds(weights: &[f32], bias: f32, x: &[f32]) -> f32 {
    weights
        .iter()
        .zip(x)
        .map(|(w, v)| w * v * scale())
        .sum::<f32>()
        + bias
}

/// The raw log-odds of a head fitted by [`fit`] (before calibration).
pub fn logit(weights: &[f32], bias: f32, e: &Embedding) -> f32 {
    log_odds(weights, bias, e.values())
}

/// The calibrated probability of a raw log-odds.
pub fn calibrated(calibration: [f32; 2], logit: f32) -> f32 {
    sigmoid(calibration[0] * logit + calibration[1])
}

/// Platt scaling: fits `[scale, shift]` so that `calibrated` matches the
/// labels of `(raw log-odds, generated)` pairs, both classes weighted
/// equally. Newton's method with a backtracking line search: raw log-odds
/// of an over-confident head reach ±50, where the curvature vanishes and a
/// plain Newton step would overshoot.
pub fn fit_calibration(samples: &[(f32, bool)]) -> [f32; 2] {
    let positives = samples.iter().filter(|(_, y)| *y).count().max(1) as f64;
    let negatives = samples.iter().filter(|(_, y)| !*y).count().max(1) as f64;
    let weight = |y: bool| if y { 0.5 / positives } else { 0.5 / negatives };
    // log(1 + e^x), without overflow.
    let softplus = |x: f64| x.max(0.0) + (-x.abs()).exp().ln_1p();
    let loss = |a: f64, b: f64| -> f64 {
        samples
            .iter()
            .map(|&(z, y)| {
                let s = a * f64::from(z) + b;
                weight(y) * softplus(if y { -s } else { s })
            })
            .sum()
    };
    let spread = {
        let n = samples.len().max(1) as f64;
        let mean = samples.iter().map(|&(z, _)| f64::from(z)).sum::<f64>() / n;
        let var = samples
            .iter()
            .map(|&(z, _)| (f64::from(z) - mean).powi(2))
            .sum::<f64>()
            / n;
        var.sqrt().max(1e-6)
    };
    let (mut a, mut b) = (1.0 / spread, 0.0f64);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for &(z, y) in samples {
            let z = f64::from(z);
            let p = 1.0 / (1.0 + (-(a * z + b)).exp());
            let err = (p - f64::from(u8::from(y))) * weight(y);
            let curv = p * (1.0 - p) * weight(y);
            ga += err * z;
            gb += err;
            haa += curv * z * z;
            hab += curv * z;
            hbb += curv;
        }
        let det = haa * hbb - hab * hab;
        let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
        let current = loss(a, b);
        let mut t = 1.0;
        while loss(a - t * da, b - t * db) > current && t > 1e-12 {
            t /= 2.0;
        }
        a -= t * da;
        b -= t * db;
        if (t * da).abs() + (t * db).abs() < 1e-10 {
            break;
        }
    }
    [a as f32, b as f32]
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
            assert_eq!(logit(&w, b, e) > 0.0, *y);
        }
    }

    #[test]
    fn platt_scaling_matches_observed_rates() {
        // Raw log-odds twice too confident: 3 of 4 at z = 2 are generated,
        // 1 of 4 at z = -2; calibrated, z = ±2 should read 75 % / 25 %.
        let samples = [
            (2.0, true),
            (2.0, true),
            (2.0, true),
            (2.0, false),
            (-2.0, false),
            (-2.0, false),
            (-2.0, false),
            (-2.0, true),
        ];
        let c = fit_calibration(&samples);
        assert!((calibrated(c, 2.0) - 0.75).abs() < 1e-3, "{c:?}");
        assert!((calibrated(c, -2.0) - 0.25).abs() < 1e-3, "{c:?}");
    }

    #[test]
    fn platt_scaling_tames_saturated_log_odds() {
        // An over-confident head: most log-odds at ±60, where a sigmoid is
        // flat; a few mistakes among them keep the calibrated slope finite.
        let mut samples: Vec<(f32, bool)> = (0..40).map(|i| (60.0 + i as f32, true)).collect();
        samples.extend((0..40).map(|i| (-60.0 - i as f32, false)));
        samples.extend([(55.0, false), (-55.0, true), (5.0, false), (-5.0, true)]);
        let c = fit_calibration(&samples);
        let (high, low) = (calibrated(c, 80.0), calibrated(c, -80.0));
        assert!(high > 0.8 && high < 1.0, "{c:?} {high}");
        assert!(low < 0.2 && low > 0.0, "{c:?} {low}");
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
