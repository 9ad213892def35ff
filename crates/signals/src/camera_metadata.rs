use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};

/// For tasks that want camera captures: flags photos that carry no camera
/// metadata — no EXIF make or model and no capture time — and no C2PA
/// credentials either. Cameras and phone camera apps always write them;
/// stripping is what screenshots, downloads and "clean metadata" tools
/// leave. Weak on its own (some upload paths strip EXIF), so it asks for a
/// look.
#[derive(Debug, Default)]
pub struct CameraMetadata;

#[async_trait]
impl Detector for CameraMetadata {
    fn name(&self) -> &'static str {
        "camera_metadata"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::METADATA_CAMERA_STRIPPED]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        if !ctx.task.is_some_and(|t| t.requirements.camera_capture) || art.c2pa.present {
            return Ok(vec![]);
        }
        let exif = art.metadata.exif.as_ref();
        let camera = exif.is_some_and(|e| e.make.is_some() || e.model.is_some());
        let taken = exif.is_some_and(|e| e.date_time_original.is_some());
        if camera || taken {
            return Ok(vec![]);
        }
        let message = if exif.is_some() {
            "The task wants a camera capture, and the photo's EXIF names no camera and no capture time."
        } else {
            "The task wants a camera capture, and the photo carries no camera metadata at all."
        };
        Ok(vec![
            Finding::new(self.name(), codes::METADATA_CAMERA_STRIPPED, 0.6, message).with_evidence(
                serde_json::json!({
                    "exif": exif.is_some(),
                    "software": exif.and_then(|e| e.software.as_deref()),
                }),
            ),
        ])
    }
}
