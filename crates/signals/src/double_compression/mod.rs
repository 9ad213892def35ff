//! Double JPEG compression: a JPEG decoded and saved again as JPEG with
//! other quantisation steps leaves a periodic pattern in the histograms of
//! its DCT coefficients (Popescu & Farid 2004; Lukáš & Fridrich 2003):
//! requantising maps a varying number of old bins onto each new one, so
//! counts alternate (old step smaller) or bins empty out (old step larger),
//! where a single compression leaves a smooth, Laplacian-shaped histogram.

mod coefficients;

use async_trait::async_trait;
use bonafide_core::{
    Artefacts, Context, Detector, DetectorError, Finding, MediaKind, MediaType, codes,
};

use coefficients::{Histograms, luma_histograms};

/// Flags JPEGs whose coefficient histograms show double compression. It
/// sees a re-save at a finer or similar quality than the first (the usual
/// "download and save again"); a re-save at a much coarser quality, or of a
/// quality-100 original, leaves too little trace for this measure.
#[derive(Debug, Default)]
pub struct DoubleCompression;

/// Score above which a JPEG counts as compressed twice. Single
/// compressions scored 0.09–0.55 (every camera original in exif-samples
/// with enough blocks to tell, UKBench's and PDQ's test photos); camera
/// originals re-saved at quality 90 from coarser steps, 1–5.
pub const THRESHOLD: f64 = 0.75;

/// Fewest blocks a bin and its neighbours need before their counts say
/// anything about the histogram's shape.
const MIN_COUNT: u32 = 10;

#[async_trait]
impl Detector for DoubleCompression {
    fn name(&self) -> &'static str {
        "double_compression"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::METADATA_DOUBLE_COMPRESSED]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        if art.media_type != MediaType::Jpeg {
            return Ok(vec![]);
        }
        let bytes = art.bytes.clone();
        // Entropy-decoding the whole file is CPU work: off the async threads.
        let histograms = tokio::task::spawn_blocking(move || luma_histograms(&bytes))
            .await
            .map_err(|e| DetectorError::Other(format!("coefficient reading failed: {e}")))?;
        let Some(h) = histograms else {
            return Ok(vec![]);
        };
        let Some((score, modes)) = score(&h) else {
            return Ok(vec![]);
        };
        if score < THRESHOLD {
            return Ok(vec![]);
        }
        let message = format!(
            "The JPEG was compressed twice: its DCT coefficients show the periodic gaps a \
             decoded and re-saved JPEG leaves (roughness {score:.2}; single compressions \
             stay under 0.6)."
        );
        Ok(vec![
            Finding::new(self.name(), codes::METADATA_DOUBLE_COMPRESSED, 0.5, message)
                .with_evidence(serde_json::json!({
                    "roughness": score,
                    "threshold": THRESHOLD,
                    "modes_measured": modes,
                    "luma_steps": h.steps,
                })),
        ])
    }
}

/// The second-roughest mode's roughness, and how many modes could be
/// measured; `None` below three (a small image). Requantisation marks only
/// the modes whose old and new steps differ, so the roughest modes carry
/// the signal; the second, not the first, so that one noisy mode cannot
/// raise it alone.
fn score(h: &Histograms) -> Option<(f64, usize)> {
    let mut r: Vec<f64> = roughness(h).into_iter().flatten().collect();
    if r.len() < 3 {
        return None;
    }
    r.sort_by(f64::total_cmp);
    Some((r[r.len() - 2], r.len()))
}

/// How far a histogram is from smooth: the mean, over every bin with enough
/// counts around it, of |log count − mean log count of its neighbours|.
/// Per mode; `None` for modes with too few usable bins.
fn roughness(h: &Histograms) -> Vec<Option<f64>> {
    h.counts
        .iter()
        .map(|c| {
            let ln = |k: usize| f64::from(c[k] + 1).ln();
            let ds: Vec<f64> = (2..c.len() - 1)
                .filter(|&k| c[k - 1] >= MIN_COUNT && c[k + 1] >= MIN_COUNT)
                .map(|k| (ln(k) - (ln(k - 1) + ln(k + 1)) / 2.0).abs())
                .collect();
            (ds.len() >= 3).then(|| ds.iter().sum::<f64>() / ds.len() as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo() -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "../../../shared/data/near-duplicates/imagededup-ukbench/base_images/ukbench08976.jpg",
        );
        std::fs::read(path).unwrap()
    }

    fn reencoded(jpeg: &[u8], quality: u8) -> Vec<u8> {
        let img = image::load_from_memory(jpeg).unwrap();
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn a_resave_at_finer_steps_scores_above_the_threshold() {
        let original = photo();
        let (single, _) = score(&luma_histograms(&original).unwrap()).unwrap();
        let (double, _) = score(&luma_histograms(&reencoded(&original, 90)).unwrap()).unwrap();
        assert!(single < THRESHOLD / 2.0, "{single}");
        assert!(double > THRESHOLD * 2.0, "{double}");
    }

    #[test]
    fn broken_jpegs_read_as_nothing_or_something_never_a_crash() {
        let original = photo();
        for cut in [0, 2, 100, 600, original.len() / 2] {
            let _ = luma_histograms(&original[..cut]);
        }
        let mut garbage = original[..700].to_vec();
        garbage.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        let _ = luma_histograms(&garbage);
        assert!(luma_histograms(b"not a jpeg").is_none());
    }
}
