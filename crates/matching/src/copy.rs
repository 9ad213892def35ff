//! Operating points of the copy-detection descriptor (SSCD, centred and
//! score-normalised: `bonafide_models::CopySpace`), shared by the bank and
//! duplicate matchers, search and the evaluation. Scores are cosines less
//! the query's background offset, so one pair of thresholds holds for a
//! distinctive photo and a featureless one alike. Chosen on
//! `bonafide eval reference`'s tuning photos (docs/BENCHMARKS.md): at
//! [`COPY_SCORE`] no edited copy of a photo that was never banked matched
//! anything.

/// Score from which a descriptor match of the whole picture is reported: a
/// copy, for a person to confirm.
pub const COPY_SCORE: f32 = 0.20;

/// Score from which a match of one of a picture's regions is reported:
/// higher than the whole's, as a dozen regions are a dozen chances for a
/// part of another shot of the same street to come close (the tuning
/// set's only false matches were such regions, at 0.20–0.23).
pub const COPY_REGION_SCORE: f32 = 0.25;

/// Score from which a descriptor match is as sure as a PDQ match: the same
/// picture, however edited.
pub const COPY_SCORE_STRONG: f32 = 0.40;

/// How sure a descriptor match is, 0.6–0.9: 0.6 at [`COPY_SCORE`], 0.75
/// just under [`COPY_SCORE_STRONG`], 0.85–0.9 above it.
pub fn copy_strength(score: f32) -> f32 {
    if score >= COPY_SCORE_STRONG {
        (0.85 + 0.05 * (score - COPY_SCORE_STRONG) / (1.0 - COPY_SCORE_STRONG)).min(0.9)
    } else {
        let above = ((score - COPY_SCORE) / (COPY_SCORE_STRONG - COPY_SCORE)).clamp(0.0, 1.0);
        0.6 + 0.15 * above
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_rises_with_the_score() {
        assert!((copy_strength(COPY_SCORE) - 0.6).abs() < 1e-6);
        assert!(copy_strength(COPY_SCORE_STRONG - 0.01) < 0.8);
        assert!(copy_strength(COPY_SCORE_STRONG) >= 0.85);
        assert!(copy_strength(1.0) <= 0.9);
    }
}
