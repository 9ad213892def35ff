//! A learned detector of generated pictures: a logistic-regression head
//! ([`head`]) on the CLIP image embedding the engine already computes, its
//! probability calibrated out of fold and its thresholds chosen by the
//! false-positive rate measured on real photos (`bonafide train ai`; the
//! figures are in docs/BENCHMARKS.md). A video's embedded frames are
//! scored one by one and averaged; the thresholds were measured on photos,
//! not on small, blurred, compressed video frames — a real phone clip's
//! frames averaged 0.79 — so a video is only sent to review, and only from
//! the photos' reject level.
//!
//! It is the weakest of the AI signals — trained on a few hundred pictures,
//! it knows the generators it saw — so it sends pictures to review, and
//! rejects only above a threshold few real photos reach.

pub mod head;

use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};

use head::AiHead;

/// Flags pictures the head finds likely generated.
#[derive(Debug)]
pub struct AiImage {
    model: &'static str,
    head: AiHead,
}

impl AiImage {
    /// The detector with the shipped head, fed the embeddings of the model
    /// file `model` (which the head must have been trained on).
    pub fn new(model: &'static str) -> Self {
        let head = AiHead::shipped();
        debug_assert_eq!(head.model, model, "the head was trained on another model");
        Self { model, head }
    }
}

#[async_trait]
impl Detector for AiImage {
    fn name(&self) -> &'static str {
        "ai_image"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        matches!(kind, MediaKind::Image | MediaKind::Video)
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::AI_GENERATED]
    }

    fn models(&self) -> &[&'static str] {
        std::slice::from_ref(&self.model)
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        if art.embeddings.is_empty() {
            return Ok(vec![]);
        }
        let scores: Vec<f32> = art
            .embeddings
            .iter()
            .map(|e| self.head.probability(e))
            .collect();
        let p = scores.iter().sum::<f32>() / scores.len() as f32;
        let video = art.video.is_some();
        let review_above = if video {
            self.head.reject_above
        } else {
            self.head.review_above
        };
        if p < review_above {
            return Ok(vec![]);
        }
        let reject = !video && p >= self.head.reject_above;
        let message = if video {
            format!(
                "The learned detector puts the chance that this video's frames are AI-generated at {:.0}%, \
                 above the level few real photos reach; it was not measured on video frames, so a person should look.",
                p * 100.0
            )
        } else {
            format!(
                "The learned detector puts the chance that this picture is AI-generated at {:.0}% ({}).",
                p * 100.0,
                if reject {
                    "above the level real photos reach"
                } else {
                    "unsure: a person should look"
                }
            )
        };
        Ok(vec![
            Finding::new(
                self.name(),
                codes::AI_GENERATED,
                if reject { 0.95 } else { 0.6 },
                message,
            )
            .with_evidence(serde_json::json!({
                "probability": p,
                "frame_probabilities": (scores.len() > 1).then_some(&scores),
                "review_above": review_above,
                "reject_above": (!video).then_some(self.head.reject_above),
                "false_positive_rate_at_review": self.head.review_fpr,
                "false_positive_rate_at_reject": self.head.reject_fpr,
            })),
        ])
    }
}
