use std::sync::Arc;

use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind};
use bonafide_models::TextLineDetector;
use serde_json::json;

use crate::task_codes::NO_READABLE_TEXT;

/// For tasks that ask for a document (`readable_text`): a PDF must have a
/// text layer, a photo of a document lines of text the OCR detector finds.
/// A miss goes to review: a person can read what a detector cannot.
#[derive(Debug)]
pub struct ReadableText {
    detector: Option<Arc<TextLineDetector>>,
}

impl ReadableText {
    /// The detector over PaddleOCR's text detector (`None` when it is not
    /// installed: the engine then skips it, as [`Detector::models`] says).
    pub fn new(detector: Option<Arc<TextLineDetector>>) -> Self {
        Self { detector }
    }
}

/// Words a PDF's text layer needs to count as readable.
pub const MIN_WORDS: usize = 20;
/// Lines of text a photo needs to count as readable.
pub const MIN_LINES: usize = 5;

const MODELS: [&str; 1] = [TextLineDetector::FILE];

#[async_trait]
impl Detector for ReadableText {
    fn name(&self) -> &'static str {
        "readable_text"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        matches!(kind, MediaKind::Image | MediaKind::Document)
    }

    fn codes(&self) -> &'static [&'static str] {
        &[NO_READABLE_TEXT]
    }

    fn models(&self) -> &[&'static str] {
        &MODELS
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(task) = ctx.task.filter(|t| t.requirements.readable_text) else {
            return Ok(vec![]);
        };
        let missing = |message: String, evidence: serde_json::Value| {
            vec![Finding::new(self.name(), NO_READABLE_TEXT, 0.6, message).with_evidence(evidence)]
        };
        if let Some(doc) = &art.document {
            let words = doc.text.split_whitespace().count();
            return Ok(if words >= MIN_WORDS {
                vec![]
            } else {
                missing(
                    format!(
                        "Task \"{}\" asks for a readable document; this one has {words} words of text \
                         (a scan or a picture without a text layer?).",
                        task.title
                    ),
                    json!({"words": words, "min_words": MIN_WORDS}),
                )
            });
        }
        let (Some(picture), Some(detector)) = (
            art.image.as_ref().and_then(|i| i.colour.clone()),
            &self.detector,
        ) else {
            return Ok(vec![]);
        };
        let detector = detector.clone();
        let found = tokio::task::spawn_blocking(move || detector.detect(&picture))
            .await
            .map_err(|e| DetectorError::Other(e.to_string()))?
            .map_err(|e| DetectorError::Other(e.to_string()))?;
        if found.lines >= MIN_LINES {
            return Ok(vec![]);
        }
        Ok(missing(
            format!(
                "Task \"{}\" asks for a readable document; {} line(s) of text were found in the photo.",
                task.title, found.lines
            ),
            json!({"lines": found.lines, "coverage": found.coverage, "min_lines": MIN_LINES}),
        ))
    }
}
