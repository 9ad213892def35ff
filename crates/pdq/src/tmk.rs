//! TMK+PDQF, Meta's whole-video hash (`facebook/ThreatExchange`, `tmk/`):
//! each frame of a video resampled to 15 fps and 64×64 pixels gives PDQ's
//! 256 float features; a [`Tmk`] keeps their plain average (level 1) and
//! their Fourier series over four long periods (level 2, the temporal match
//! kernel of Poullot et al.).
//!
//! Two videos match when the cosine of their averages (level 1) and the
//! best time-aligned kernel score (level 2) both reach 0.7, upstream's
//! validated thresholds. Unlike frame-by-frame PDQ this matches another
//! take or cut of the same footage — the scene, in order — even where no
//! single frame is a copy. The file format is upstream's `.tmk`, so hashes
//! can be exchanged with its tools.

use std::f64::consts::PI;

/// Frames per second TMK resamples a video to.
pub const FRAMES_PER_SECOND: u32 = 15;
/// Side of the square frames TMK hashes.
pub const FRAME_SIDE: u32 = 64;
/// Level-1 (average-feature cosine) score at or above which two videos may
/// match (upstream's default for TMK+PDQF).
pub const LEVEL1_THRESHOLD: f32 = 0.7;
/// Level-2 (time-aligned) score at or above which two videos match.
pub const LEVEL2_THRESHOLD: f32 = 0.7;

/// Features per frame (PDQ's 16×16 DCT).
pub const DIMENSION: usize = 256;
/// Periods, in frames, of the Fourier series (Poullot's choice, upstream's
/// default).
const PERIODS: [u32; 4] = [2731, 4391, 9767, 14653];
/// Fourier coefficients per period.
const COEFFICIENTS: usize = 32;
/// The kernel's concentration β (Poullot's; upstream tabulates the weights
/// it gives).
const BETA: f64 = 32.0;

/// A broken or foreign `.tmk` file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a TMK+PDQF file: {0}")]
pub struct TmkFileError(String);

/// A video's TMK feature vectors.
#[derive(Debug, Clone, PartialEq)]
pub struct Tmk {
    frames: u32,
    average: Vec<f32>,
    /// `[period][coefficient][feature]`, each L2-normalised and weighted.
    cos: Vec<f32>,
    sin: Vec<f32>,
}

/// Builds a [`Tmk`] one frame at a time, so a video never has to be held
/// in memory.
#[derive(Debug, Clone)]
pub struct TmkBuilder {
    frames: u32,
    sum: Vec<f32>,
    cos: Vec<f32>,
    sin: Vec<f32>,
}

impl Default for TmkBuilder {
    fn default() -> Self {
        let n = PERIODS.len() * COEFFICIENTS * DIMENSION;
        Self {
            frames: 0,
            sum: vec![0.0; DIMENSION],
            cos: vec![0.0; n],
            sin: vec![0.0; n],
        }
    }
}

impl TmkBuilder {
    /// Adds the next frame's PDQ float features
    /// ([`crate::float_features`] of the 64×64 frame).
    pub fn push(&mut self, features: &[f32; DIMENSION]) {
        let t = f64::from(self.frames);
        for (s, f) in self.sum.iter_mut().zip(features) {
            *s += f;
        }
        let norm = features.iter().map(|v| v * v).sum::<f32>().sqrt();
        let unit: Vec<f32> = features
            .iter()
            .map(|v| if norm > 0.0 { v / norm } else { 0.0 })
            .collect();
        for (p, &period) in PERIODS.iter().enumerate() {
            for j in 0..COEFFICIENTS {
                let (sin, cos) = (2.0 * PI * j as f64 * t / f64::from(period)).sin_cos();
                let at = (p * COEFFICIENTS + j) * DIMENSION;
                let (c, s) = (cos as f32, sin as f32);
                for (k, u) in unit.iter().enumerate() {
                    self.cos[at + k] += u * c;
                    self.sin[at + k] += u * s;
                }
            }
        }
        self.frames += 1;
    }

    /// The feature vectors of the frames pushed so far.
    pub fn finish(mut self) -> Tmk {
        if self.frames > 0 {
            let n = self.frames as f32;
            self.sum.iter_mut().for_each(|v| *v /= n);
            let weights = weights();
            for (i, (c, s)) in self
                .cos
                .chunks_exact_mut(DIMENSION)
                .zip(self.sin.chunks_exact_mut(DIMENSION))
                .enumerate()
            {
                let w = weights[i % COEFFICIENTS].sqrt() as f32;
                normalise(c, w);
                normalise(s, w);
            }
        }
        Tmk {
            frames: self.frames,
            average: self.sum,
            cos: self.cos,
            sin: self.sin,
        }
    }
}

/// Scales `v` to length `length` (a zero vector stays zero).
fn normalise(v: &mut [f32], length: f32) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x *= length / norm);
    }
}

/// The kernel's Fourier weights: `(I₀(β) − e^−β) / (2 sinh β)`, then
/// `Iⱼ(β) / sinh β` (modified Bessel functions of the first kind).
fn weights() -> [f64; COEFFICIENTS] {
    // Iⱼ(β)/sinh β by its power series, each term scaled by e^−β so nothing
    // overflows: Iⱼ(x) = Σₖ (x/2)^(2k+j) / (k! (k+j)!).
    let scaled_bessel = |j: u32| -> f64 {
        let half = BETA / 2.0;
        let mut term = (f64::from(j) * half.ln() - BETA - ln_factorial(j)).exp();
        let mut sum = 0.0;
        for k in 1..400u32 {
            sum += term;
            term *= half * half / (f64::from(k) * f64::from(k + j));
        }
        sum
    };
    // sinh β · e^−β.
    let scaled_sinh = (1.0 - (-2.0 * BETA).exp()) / 2.0;
    let mut w = [0.0; COEFFICIENTS];
    w[0] = (scaled_bessel(0) - (-2.0 * BETA).exp()) / (2.0 * scaled_sinh);
    for (j, w) in w.iter_mut().enumerate().skip(1) {
        *w = scaled_bessel(j as u32) / scaled_sinh;
    }
    w
}

fn ln_factorial(n: u32) -> f64 {
    (2..=n).map(|k| f64::from(k).ln()).sum()
}

/// Cosine similarity of two average features: the level-1 score.
pub fn level1(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    let n = norm(a) * norm(b);
    if n > 0.0 { dot / n } else { 0.0 }
}

impl Tmk {
    /// Frames the video gave at 15 fps.
    pub fn frames(&self) -> u32 {
        self.frames
    }

    /// The average frame feature (what level 1 compares; small enough to
    /// keep in an index).
    pub fn average(&self) -> &[f32] {
        &self.average
    }

    /// Level-1 score against another video: the cosine of the averages.
    pub fn level1(&self, other: &Tmk) -> f32 {
        level1(&self.average, &other.average)
    }

    /// Level-2 score against another video: for each period, the best
    /// circular time offset of one against the other; the best period's
    /// kernel value, normalised so a video scores 1 against itself.
    pub fn level2(&self, other: &Tmk) -> f32 {
        let w = weights();
        let normaliser: f64 = w[0] + 2.0 * w[1..].iter().sum::<f64>();
        let dot =
            |a: &[f32], b: &[f32]| -> f64 { a.iter().zip(b).map(|(x, y)| f64::from(x * y)).sum() };
        fn slice(v: &[f32], p: usize, j: usize) -> &[f32] {
            let at = (p * COEFFICIENTS + j) * DIMENSION;
            &v[at..at + DIMENSION]
        }
        let mut best = f64::MIN;
        for (p, &period) in PERIODS.iter().enumerate() {
            // Per coefficient: the parts of the kernel's cosine and sine
            // terms at offset δ.
            let terms: Vec<(f64, f64)> = (0..COEFFICIENTS)
                .map(|j| {
                    let (ac, asn) = (slice(&self.cos, p, j), slice(&self.sin, p, j));
                    let (bc, bs) = (slice(&other.cos, p, j), slice(&other.sin, p, j));
                    (dot(ac, bc) + dot(asn, bs), dot(asn, bc) - dot(ac, bs))
                })
                .collect();
            let base = dot(slice(&self.cos, p, 0), slice(&other.cos, p, 0));
            for offset in 0..period {
                let delta = 2.0 * PI * f64::from(offset) / f64::from(period);
                let (step_sin, step_cos) = delta.sin_cos();
                let (mut c, mut s) = (1.0f64, 0.0f64);
                let mut k = base;
                for &(cos_part, sin_part) in &terms[1..] {
                    (c, s) = (c * step_cos - s * step_sin, s * step_cos + c * step_sin);
                    k += c * cos_part + s * sin_part;
                }
                best = best.max(k);
            }
        }
        (best / normaliser) as f32
    }

    /// Whether the two videos match at upstream's thresholds on both levels.
    pub fn matches(&self, other: &Tmk) -> bool {
        self.level1(other) >= LEVEL1_THRESHOLD && self.level2(other) >= LEVEL2_THRESHOLD
    }

    /// Upstream's `.tmk` file: a 32-byte header (`TMK1`, `FVEC`, `PDQF`, frame
    /// rate, period and coefficient counts, dimension, frame count), the
    /// periods, the coefficients' weights, the average, then every cosine and
    /// every sine vector; little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(file_len());
        out.extend_from_slice(b"TMK1FVECPDQF");
        for v in [
            FRAMES_PER_SECOND,
            PERIODS.len() as u32,
            COEFFICIENTS as u32,
            DIMENSION as u32,
            self.frames,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for p in PERIODS {
            out.extend_from_slice(&p.to_le_bytes());
        }
        for w in weights() {
            out.extend_from_slice(&(w as f32).to_le_bytes());
        }
        for v in self.average.iter().chain(&self.cos).chain(&self.sin) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Reads a `.tmk` file written by [`Tmk::to_bytes`] or by upstream's
    /// `tmk-hash-video` with its default parameters.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tmk, TmkFileError> {
        let err = |why: &str| TmkFileError(why.into());
        if bytes.len() != file_len() {
            return Err(err("wrong length"));
        }
        if &bytes[..12] != b"TMK1FVECPDQF" {
            return Err(err("wrong magic"));
        }
        let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        let expected = [
            FRAMES_PER_SECOND,
            PERIODS.len() as u32,
            COEFFICIENTS as u32,
            DIMENSION as u32,
        ];
        if (0..4).any(|i| u32_at(12 + 4 * i) != expected[i])
            || (0..PERIODS.len()).any(|i| u32_at(32 + 4 * i) != PERIODS[i])
        {
            return Err(err("other parameters than TMK's defaults"));
        }
        let floats: Vec<f32> = bytes[48 + 4 * COEFFICIENTS..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();
        if floats.iter().any(|v| !v.is_finite()) {
            return Err(err("not finite"));
        }
        let n = PERIODS.len() * COEFFICIENTS * DIMENSION;
        Ok(Tmk {
            frames: u32_at(28),
            average: floats[..DIMENSION].to_vec(),
            cos: floats[DIMENSION..DIMENSION + n].to_vec(),
            sin: floats[DIMENSION + n..].to_vec(),
        })
    }
}

fn file_len() -> usize {
    32 + 4 * PERIODS.len()
        + 4 * COEFFICIENTS
        + 4 * DIMENSION * (1 + 2 * PERIODS.len() * COEFFICIENTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up video: `n` frames of slowly drifting features.
    fn video(n: u32, seed: u32) -> Tmk {
        let mut b = TmkBuilder::default();
        for t in 0..n {
            let mut f = [0.0f32; DIMENSION];
            for (k, v) in f.iter_mut().enumerate() {
                let phase = (k as u32)
                    .wrapping_mul(2_654_435_761)
                    .wrapping_add(seed.wrapping_mul(97_531))
                    % 1000;
                *v = (phase as f32 * 0.0063 + t as f32 * 0.01 * (k % 7) as f32).sin();
            }
            b.push(&f);
        }
        b.finish()
    }

    #[test]
    fn weights_are_poullots() {
        let w = weights();
        // Upstream tabulates 0.0708041893112, 0.13937789309, … 9.19087006565e-08.
        assert!((w[0] - 0.070_804_189).abs() < 1e-8);
        assert!((w[1] - 0.139_377_893).abs() < 1e-8);
        assert!((w[31] / 9.190_870_065_65e-8 - 1.0).abs() < 1e-6);
    }

    #[test]
    fn a_video_matches_itself_and_not_another() {
        let (a, b) = (video(300, 1), video(300, 2));
        assert!((a.level1(&a) - 1.0).abs() < 1e-5);
        assert!((a.level2(&a) - 1.0).abs() < 1e-3, "{}", a.level2(&a));
        assert!(!a.matches(&b), "{} {}", a.level1(&b), a.level2(&b));
    }

    #[test]
    fn file_round_trips_and_refuses_garbage() {
        let a = video(40, 3);
        let bytes = a.to_bytes();
        assert_eq!(Tmk::from_bytes(&bytes).unwrap(), a);
        assert!(Tmk::from_bytes(&bytes[..100]).is_err());
        let mut wrong = bytes.clone();
        wrong[0] = b'X';
        assert!(Tmk::from_bytes(&wrong).is_err());
        let mut nan = bytes;
        let at = nan.len() - 4;
        nan[at..].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(Tmk::from_bytes(&nan).is_err());
    }

    #[test]
    fn an_empty_video_scores_zero() {
        let empty = TmkBuilder::default().finish();
        assert_eq!(empty.frames(), 0);
        assert_eq!(empty.level1(&video(10, 1)), 0.0);
    }
}
