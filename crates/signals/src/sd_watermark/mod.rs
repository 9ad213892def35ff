//! The invisible watermark Stable Diffusion's reference pipelines embed in
//! every picture they make: SD 1.x the bytes "StableDiffusionV1", SDXL a
//! 48-bit message, both with `invisible-watermark`'s dwtDct method
//! ([`dwt_dct`]). A match is counted in agreeing bits; chance agreement is
//! half. The mark survives re-saving at full chroma resolution, not
//! chroma subsampling (most JPEG encoders' default), resizing, cropping or
//! rotation — so its absence says nothing.

mod dwt_dct;

use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};
use image::RgbImage;

/// Flags pictures carrying a Stable Diffusion watermark.
#[derive(Debug, Default)]
pub struct SdWatermark;

/// A watermark and the agreement thresholds it is judged by.
struct Mark {
    name: &'static str,
    generator: &'static str,
    bits: fn() -> Vec<bool>,
    /// Agreeing bits above which the mark is likely present (review).
    likely_above: usize,
    /// Agreeing bits above which it is present beyond reasonable doubt.
    certain_above: usize,
}

/// SDXL's thresholds are Stability-AI's (`scripts/demo/detect.py`: above 33
/// of 48 likely, 0.02 % of real images; above 35 very likely, none of
/// 10,000). SD 1.x's 136 bits have none published; these sit ~4.6 and ~6.3
/// standard deviations above chance (68 ± 5.8) and above every real photo
/// measured (docs/BENCHMARKS.md).
const MARKS: [Mark; 2] = [
    Mark {
        name: "sdxl",
        generator: "Stable Diffusion XL",
        bits: sdxl_bits,
        likely_above: 33,
        certain_above: 35,
    },
    Mark {
        name: "sd1",
        generator: "Stable Diffusion 1.x",
        bits: sd1_bits,
        likely_above: 95,
        certain_above: 105,
    },
];

/// The bytes "StableDiffusionV1", most significant bit first.
fn sd1_bits() -> Vec<bool> {
    bits_of(b"StableDiffusionV1")
}

/// SDXL's message, 0xB3EC907BB19E, most significant bit first.
fn sdxl_bits() -> Vec<bool> {
    bits_of(&0xB3EC_907B_B19E_u64.to_be_bytes()[2..])
}

fn bits_of(bytes: &[u8]) -> Vec<bool> {
    bytes
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
        .collect()
}

/// A Stable Diffusion watermark read from a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatermarkReading {
    /// `sd1` or `sdxl`.
    pub watermark: &'static str,
    /// The generator family that embeds it.
    pub generator: &'static str,
    /// Bits of the message read as embedded.
    pub agreeing_bits: usize,
    /// The message's length.
    pub bits: usize,
    /// Above the likely threshold (review).
    pub likely_above: usize,
    /// Above the certain threshold (reject).
    pub certain_above: usize,
}

impl WatermarkReading {
    /// Whether the agreement is beyond reasonable doubt.
    pub fn certain(&self) -> bool {
        self.agreeing_bits > self.certain_above
    }
}

/// Each watermark's agreement with what `rgb` carries, whether or not it is
/// above a threshold; empty for pictures too small to carry one.
pub fn sd_watermark_agreements(rgb: &RgbImage) -> Vec<WatermarkReading> {
    let Some(blocks) = dwt_dct::block_bits(rgb) else {
        return Vec::new();
    };
    MARKS
        .iter()
        .map(|mark| {
            let expected = (mark.bits)();
            WatermarkReading {
                watermark: mark.name,
                generator: mark.generator,
                agreeing_bits: dwt_dct::agreement(
                    &dwt_dct::message(&blocks, expected.len()),
                    &expected,
                ),
                bits: expected.len(),
                likely_above: mark.likely_above,
                certain_above: mark.certain_above,
            }
        })
        .collect()
}

/// The Stable Diffusion watermark `rgb` likely carries, if any.
pub fn read_sd_watermark(rgb: &RgbImage) -> Option<WatermarkReading> {
    sd_watermark_agreements(rgb)
        .into_iter()
        .find(|r| r.agreeing_bits > r.likely_above)
}

#[async_trait]
impl Detector for SdWatermark {
    fn name(&self) -> &'static str {
        "sd_watermark"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::AI_WATERMARK]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(colour) = art.image.as_ref().and_then(|i| i.colour.clone()) else {
            return Ok(vec![]);
        };
        let reading = tokio::task::spawn_blocking(move || read_sd_watermark(&colour))
            .await
            .map_err(|e| DetectorError::Other(format!("watermark reading failed: {e}")))?;
        let Some(r) = reading else {
            return Ok(vec![]);
        };
        let certain = r.certain();
        let message = format!(
            "The picture carries {}'s invisible watermark ({} of {} bits agree; {}).",
            r.generator,
            r.agreeing_bits,
            r.bits,
            if certain {
                "beyond chance"
            } else {
                "likely, not certain"
            }
        );
        Ok(vec![
            Finding::new(
                self.name(),
                codes::AI_WATERMARK,
                if certain { 0.95 } else { 0.7 },
                message,
            )
            .with_evidence(serde_json::json!({
                "watermark": r.watermark,
                "generator": r.generator,
                "agreeing_bits": r.agreeing_bits,
                "bits": r.bits,
                "likely_above": r.likely_above,
                "certain_above": r.certain_above,
            })),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_the_published_ones() {
        let to_string = |bits: Vec<bool>| -> String {
            bits.iter().map(|&b| if b { '1' } else { '0' }).collect()
        };
        assert_eq!(
            to_string(sdxl_bits()),
            "101100111110110010010000011110111011000110011110"
        );
        assert_eq!(sd1_bits().len(), 136);
        assert_eq!(to_string(sd1_bits())[..8], *"01010011"); // 'S'
    }
}
