use std::{
    collections::{BTreeSet, HashSet},
    sync::Arc,
};

use bonafide_core::Detector;
use bonafide_metadata::CameraTables;
use bonafide_models::{ConceptSpace, TextLineDetector, TextReader, Vocabulary};

/// The detectors cannot be assembled as asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// Two detectors claimed the same name (names are stored with
    /// findings, so they must be unique).
    #[error("two detectors are named {0:?}")]
    Duplicate(&'static str),
    /// A detector to turn off that does not exist (a typo would otherwise
    /// leave it running unnoticed).
    #[error("no detector is named {name:?} (there are: {known})")]
    Unknown {
        /// The name asked for.
        name: String,
        /// Every detector's name.
        known: String,
    },
}

/// The detectors the engine runs, validated once at startup.
pub struct Registry {
    detectors: Vec<Box<dyn Detector>>,
    /// The codes of every detector it was built with, those turned off
    /// and the web search's included.
    known_codes: BTreeSet<&'static str>,
}

/// What the standard detectors are built from.
pub struct StandardParts {
    /// The quantisation check's tables of camera models.
    pub camera_tables: CameraTables,
    /// The task-content check's concept space (`None`: its model is not
    /// installed, and the check is skipped).
    pub concepts: Option<Arc<ConceptSpace>>,
    /// The words tasks use, for both task checks.
    pub vocabulary: Arc<Vocabulary>,
    /// The OCR text-line detector, for the document and text-in-image
    /// checks.
    pub text: Option<Arc<TextLineDetector>>,
    /// The OCR reader, for the text-in-image check.
    pub reader: Option<Arc<TextReader>>,
    /// The web-search provider, when one is configured.
    pub web: Option<Arc<dyn bonafide_matching::WebSearch>>,
}

impl Registry {
    /// Registers detectors; fails if two share a name.
    pub fn new(detectors: Vec<Box<dyn Detector>>) -> Result<Self, RegistryError> {
        let mut seen = HashSet::new();
        for d in &detectors {
            if !seen.insert(d.name()) {
                return Err(RegistryError::Duplicate(d.name()));
            }
        }
        let known_codes = detectors.iter().flat_map(|d| d.codes()).copied().collect();
        Ok(Self {
            detectors,
            known_codes,
        })
    }

    /// Every detector Bonafide ships, built from `parts`: those whose
    /// model is not installed are skipped at run time, and the web search
    /// runs only when a provider is configured. A new detector is one line
    /// here.
    pub fn standard(parts: StandardParts) -> Self {
        let StandardParts {
            camera_tables,
            concepts,
            vocabulary,
            text,
            reader,
            web,
        } = parts;
        let ocr = text.clone().zip(reader);
        let mut detectors: Vec<Box<dyn Detector>> = vec![
            Box::new(bonafide_signals::MediaTypeCheck),
            Box::new(bonafide_signals::TaskFit),
            Box::new(bonafide_signals::TaskContent::new(
                concepts,
                vocabulary.clone(),
            )),
            Box::new(bonafide_signals::TaskObjects::new(vocabulary)),
            Box::new(bonafide_signals::TaskExemplars),
            Box::new(bonafide_signals::People),
            Box::new(bonafide_signals::ReadableText::new(text)),
            Box::new(bonafide_signals::DocumentBudget),
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
                bonafide_models::CopyDescriptor::FILE,
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
        let mut registry =
            Self::new(detectors).expect("the standard detectors have distinct names");
        // A policy may keep its rules for the web search while it is off.
        registry
            .known_codes
            .extend(bonafide_matching::WebSearchDetector::CODES);
        registry
    }

    /// The codes the detectors may emit: those of every detector the
    /// registry was built with (turned off or not, the web search's even
    /// when it is not configured). A policy rule naming anything else is a
    /// typo.
    pub fn known_codes(&self) -> &BTreeSet<&'static str> {
        &self.known_codes
    }

    /// The registry without the detectors named in `off` (an operator's
    /// switch for a costly or unwanted check); an unknown name is an error.
    pub fn without(mut self, off: &[String]) -> Result<Self, RegistryError> {
        if let Some(name) = off.iter().find(|n| !self.names().contains(&n.as_str())) {
            return Err(RegistryError::Unknown {
                name: name.clone(),
                known: self.names().join(", "),
            });
        }
        self.detectors
            .retain(|d| !off.iter().any(|n| n == d.name()));
        Ok(self)
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

    /// The standard detectors without models or web search.
    fn standard() -> Registry {
        Registry::standard(StandardParts {
            camera_tables: CameraTables::shipped(),
            concepts: None,
            vocabulary: Arc::new(Vocabulary::new(&[])),
            text: None,
            reader: None,
            web: None,
        })
    }

    #[test]
    fn codes_of_detectors_turned_off_stay_known() {
        let all = standard();
        assert!(all.known_codes().contains("duplicate.exact"));
        assert!(
            all.known_codes().contains("plagiarism.web_match"),
            "web search, not configured"
        );
        let fewer = standard().without(&["exact_duplicate".into()]).unwrap();
        assert_eq!(fewer.known_codes(), all.known_codes());
    }

    #[test]
    fn duplicate_names_are_refused() {
        let dup = Registry::new(vec![
            Box::new(bonafide_signals::TaskFit),
            Box::new(bonafide_signals::TaskFit),
        ]);
        assert!(matches!(dup, Err(RegistryError::Duplicate("task_fit"))));
        assert_eq!(
            standard().names(),
            [
                "media_type",
                "task_fit",
                "task_content",
                "task_objects",
                "task_exemplars",
                "people",
                "readable_text",
                "document_budget",
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

    #[test]
    fn detectors_can_be_turned_off_by_name() {
        let all = standard().names().len();
        let fewer = standard()
            .without(&["text_in_image".into(), "sd_watermark".into()])
            .unwrap();
        assert_eq!(fewer.names().len(), all - 2);
        assert!(!fewer.names().contains(&"text_in_image"));
        let typo = standard().without(&["text_in_imgae".into()]);
        assert!(
            matches!(typo, Err(RegistryError::Unknown { name, .. }) if name == "text_in_imgae")
        );
    }
}
