use std::{collections::HashSet, sync::Arc};

use bonafide_core::Detector;
use bonafide_metadata::CameraTables;
use bonafide_models::{ConceptSpace, TextLineDetector, TextReader};

/// Two detectors claimed the same name (names are stored with findings, so
/// they must be unique).
#[derive(Debug, thiserror::Error)]
#[error("two detectors are named {0:?}")]
pub struct RegistryError(pub &'static str);

/// The detectors the engine runs, validated once at startup.
pub struct Registry {
    detectors: Vec<Box<dyn Detector>>,
}

impl Registry {
    /// Registers detectors; fails if two share a name.
    pub fn new(detectors: Vec<Box<dyn Detector>>) -> Result<Self, RegistryError> {
        let mut seen = HashSet::new();
        for d in &detectors {
            if !seen.insert(d.name()) {
                return Err(RegistryError(d.name()));
            }
        }
        Ok(Self { detectors })
    }

    /// Every detector Bonafide ships, the quantisation check knowing
    /// `camera_tables`, the task-content check `concepts` and the document
    /// check the OCR `text` detector, the text-in-image check it and the OCR
    /// `reader` (absent when their models are not
    /// installed: they are then skipped), and the web search when a `web`
    /// provider is configured. A new detector is one line here.
    pub fn standard(
        camera_tables: CameraTables,
        concepts: Option<Arc<ConceptSpace>>,
        text: Option<Arc<TextLineDetector>>,
        reader: Option<Arc<TextReader>>,
        web: Option<Arc<dyn bonafide_matching::WebSearch>>,
    ) -> Self {
        let ocr = text.clone().zip(reader);
        let mut detectors: Vec<Box<dyn Detector>> = vec![
            Box::new(bonafide_signals::MediaTypeCheck),
            Box::new(bonafide_signals::TaskFit),
            Box::new(bonafide_signals::TaskContent::new(concepts)),
            Box::new(bonafide_signals::TaskExemplars),
            Box::new(bonafide_signals::People),
            Box::new(bonafide_signals::ReadableText::new(text)),
            Box::new(bonafide_signals::EditingSoftware),
            Box::new(bonafide_signals::CaptureDate),
            Box::new(bonafide_signals::CameraMetadata),
            Box::new(bonafide_signals::DeviceMismatch),
            Box::new(bonafide_signals::ThumbnailMismatch),
            Box::new(bonafide_signals::QuantizationMismatch::new(camera_tables)),
            Box::new(bonafide_signals::DoubleCompression),
            Box::new(bonafide_signals::VideoEncoder),
            Box::new(bonafide_signals::Screenshot),
            Box::new(bonafide_signals::Rights),
            Box::new(bonafide_signals::TextInImage::new(ocr)),
            Box::new(bonafide_signals::ContentCredentials),
            Box::new(bonafide_signals::AiProvenance),
            Box::new(bonafide_signals::SdWatermark),
            Box::new(bonafide_signals::AiImage::new(
                bonafide_models::ClipImageEncoder::FILE,
            )),
            Box::new(bonafide_matching::ExactDuplicate),
            Box::new(bonafide_matching::NearDuplicate),
            Box::new(bonafide_matching::SemanticDuplicate::new(
                bonafide_models::ClipImageEncoder::FILE,
            )),
            Box::new(bonafide_matching::VideoNearDuplicate),
            Box::new(bonafide_matching::DocumentNearDuplicate),
            Box::new(bonafide_matching::BankMatcher),
        ];
        // Off unless configured: each lookup costs money and sends the
        // photo to a third party.
        if let Some(provider) = web {
            detectors.push(Box::new(bonafide_matching::WebSearchDetector::new(
                provider,
            )));
        }
        Self::new(detectors).expect("the standard detectors have distinct names")
    }

    /// The registered detectors.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Detector> {
        self.detectors.iter().map(|d| d.as_ref())
    }

    /// Their names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.iter().map(|d| d.name()).collect()
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_names_are_refused() {
        let dup = Registry::new(vec![
            Box::new(bonafide_signals::TaskFit),
            Box::new(bonafide_signals::TaskFit),
        ]);
        assert!(matches!(dup, Err(RegistryError("task_fit"))));
        assert_eq!(
            Registry::standard(CameraTables::shipped(), None, None, None, None).names(),
            [
                "media_type",
                "task_fit",
                "task_content",
                "task_exemplars",
                "people",
                "readable_text",
                "editing_software",
                "capture_date",
                "camera_metadata",
                "device_mismatch",
                "thumbnail_mismatch",
                "quantization_mismatch",
                "double_compression",
                "video_encoder",
                "screenshot",
                "rights",
                "text_in_image",
                "content_credentials",
                "ai_provenance",
                "sd_watermark",
                "ai_image",
                "exact_duplicate",
                "near_duplicate",
                "semantic_duplicate",
                "video_near_duplicate",
                "document_near_duplicate",
                "bank_match"
            ]
        );
    }
}
