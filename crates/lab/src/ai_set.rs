//! Labelled sets of real and generated pictures for `train ai` and
//! `eval ai`: CSV files (`file,label,generator,source_set,…`, paths relative
//! to the CSV, label `real` or `ai…`), each picture decoded as an upload
//! would be and embedded by CLIP as it is, after a JPEG re-save at quality
//! 75, and at half size — every class through the same steps, so neither
//! format nor size can tell them apart.

use std::path::{Path, PathBuf};

use crate::transforms::jpeg;
use anyhow::Context;
use bonafide_core::Embedding;
use bonafide_decode::{DecodeConfig, decode};
use bonafide_ingest::sniff;
use bonafide_models::ClipImageEncoder;
use image::RgbImage;

/// The ways each picture is seen.
pub const VARIANTS: [&str; 3] = ["as uploaded", "JPEG q75", "50 % resize"];

/// One labelled picture and its embeddings, one per [`VARIANTS`] entry.
pub struct Picture {
    /// Generated (any `ai…` label) or real.
    pub generated: bool,
    /// The generator, as labelled (real photos: the camera or source).
    pub generator: String,
    /// The set it comes from (leave-one-source-out holds each out).
    pub source_set: String,
    /// Pictures sharing a group are the same image in other files (a JPEG
    /// and an AVIF of one generation): they never straddle folds.
    pub group: String,
    /// Embeddings per variant.
    pub variants: Vec<Embedding>,
}

/// Reads every CSV and embeds each picture that decodes as a still image.
pub async fn load(csvs: &[PathBuf], clip: &ClipImageEncoder) -> anyhow::Result<Vec<Picture>> {
    let mut out = Vec::new();
    for csv in csvs {
        let dir = csv.parent().unwrap_or(Path::new("."));
        let mut reader =
            csv::Reader::from_path(csv).with_context(|| format!("{}", csv.display()))?;
        for row in reader.records() {
            let row = row?;
            let (file, label) = (dir.join(&row[0]), &row[1]);
            let Some(picture) = colour(std::fs::read(&file)?).await else {
                eprintln!("skipped (not a still image): {}", file.display());
                continue;
            };
            let variants = [
                colour(jpeg(&picture, 75))
                    .await
                    .context("re-decoding a JPEG")?,
                image::imageops::resize(
                    &picture,
                    (picture.width() / 2).max(1),
                    (picture.height() / 2).max(1),
                    image::imageops::FilterType::Triangle,
                ),
            ];
            let refs: Vec<&RgbImage> = std::iter::once(&picture).chain(&variants).collect();
            let stem = file.file_stem().unwrap_or_default().to_string_lossy();
            out.push(Picture {
                generated: label.starts_with("ai"),
                generator: row[2].to_owned(),
                source_set: row[3].to_owned(),
                group: format!("{}/{stem}", &row[3]),
                variants: clip.embed(&refs)?,
            });
        }
    }
    Ok(out)
}

/// The production decoder's full-size colour, if the bytes are a still image.
async fn colour(bytes: Vec<u8>) -> Option<RgbImage> {
    let media_type = sniff(&bytes);
    let art = decode(bytes.into(), media_type, &DecodeConfig::default())
        .await
        .ok()?;
    Some(art.image?.colour?.as_ref().clone())
}

/// The fold (0..`folds`) of a group: a stable hash, so runs agree.
pub fn fold(group: &str, folds: usize) -> usize {
    let h = group.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (h % folds as u64) as usize
}

/// Area under the ROC curve: the chance a generated picture scores above a
/// real one (ties count half).
pub fn auc(generated: &[f32], real: &[f32]) -> f32 {
    if generated.is_empty() || real.is_empty() {
        return f32::NAN;
    }
    let mut wins = 0.0f64;
    for g in generated {
        for r in real {
            wins += if g > r {
                1.0
            } else if g == r {
                0.5
            } else {
                0.0
            };
        }
    }
    (wins / (generated.len() * real.len()) as f64) as f32
}

/// Share of `scores` at or above `threshold`.
pub fn share_at_or_above(scores: &[f32], threshold: f32) -> f32 {
    if scores.is_empty() {
        return f32::NAN;
    }
    scores.iter().filter(|&&s| s >= threshold).count() as f32 / scores.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_and_shares() {
        assert_eq!(auc(&[0.9, 0.8], &[0.1, 0.2]), 1.0);
        assert_eq!(auc(&[0.5], &[0.5]), 0.5);
        assert_eq!(share_at_or_above(&[0.1, 0.5, 0.9], 0.5), 2.0 / 3.0);
        assert!(fold("a/b", 5) < 5);
        assert_eq!(fold("a/b", 5), fold("a/b", 5));
    }
}
