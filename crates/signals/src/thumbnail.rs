use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};
use bonafide_pdq::{Hash256, MIN_QUALITY, hash_image};

/// Flags photos whose embedded EXIF thumbnail shows a different picture:
/// cameras write the thumbnail with the photo, and many editors and
/// metadata-transplanting tools leave it alone, so a thumbnail that no
/// longer matches means the picture was changed (or the metadata came
/// from another file) — the classic sign of an edit.
///
/// Compared by PDQ: the thumbnail's hash against the photo's in all eight
/// orientations (the thumbnail is stored unrotated), so only a picture that
/// really differs is flagged; a crop or a letterboxed thumbnail stays well
/// under the threshold.
#[derive(Debug, Default)]
pub struct ThumbnailMismatch;

/// Distance above which the thumbnail is another picture. Unrelated photos
/// sit around 128; the thumbnails of the camera files in `exif-samples`
/// (downscaled since, but not otherwise changed) reach 74, most stay
/// under 45.
pub const MISMATCH_DISTANCE: u32 = 90;

#[async_trait]
impl Detector for ThumbnailMismatch {
    fn name(&self) -> &'static str {
        "thumbnail_mismatch"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::METADATA_THUMBNAIL_MISMATCH]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let (Some(thumb), Some(pdq)) = (
            art.metadata.exif.as_ref().and_then(|e| e.thumbnail.clone()),
            art.pdq.as_ref(),
        ) else {
            return Ok(vec![]);
        };
        if pdq.quality < MIN_QUALITY {
            return Ok(vec![]);
        }
        let hashed = tokio::task::spawn_blocking(move || {
            let img = image::load_from_memory_with_format(&thumb, image::ImageFormat::Jpeg).ok()?;
            Some(hash_image(&img.into_rgb8()))
        })
        .await
        .map_err(|e| DetectorError::Other(format!("thumbnail hashing failed: {e}")))?;
        // An undecodable thumbnail is not evidence either way.
        let Some(thumb) = hashed.filter(|h| h.quality >= MIN_QUALITY) else {
            return Ok(vec![]);
        };
        let distance = pdq
            .variants
            .iter()
            .map(|(_, bytes)| Hash256::from_bytes(*bytes).distance(&thumb.hash))
            .min()
            .unwrap_or(u32::MAX);
        if distance <= MISMATCH_DISTANCE {
            return Ok(vec![]);
        }
        let message = format!(
            "The embedded EXIF thumbnail shows a different picture (PDQ distance {distance}): the photo was changed after the thumbnail was made, or its metadata came from another file."
        );
        Ok(vec![
            Finding::new(
                self.name(),
                codes::METADATA_THUMBNAIL_MISMATCH,
                0.7,
                message,
            )
            .with_evidence(serde_json::json!({
                "distance": distance,
                "threshold": MISMATCH_DISTANCE,
                "thumbnail_quality": thumb.quality,
            })),
        ])
    }
}
