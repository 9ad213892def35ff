use std::sync::Arc;

use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, Task};
use bonafide_models::{ConceptSpace, ImageNetClassifier, SentenceEncoder};
use serde_json::json;

use crate::{
    task_codes::{MATCH, MISMATCH},
    task_objects::{objects_evidence, objects_summary},
};

/// Checks that a photo or video shows what its task asks for, by concepts:
/// the ImageNet classifier says what the picture shows, and the task's text
/// ranks every class by relatedness ([`ConceptSpace`]). When what was seen
/// ranks low for the task — a dog for "take out the trash" — the upload is
/// off-task, said in words: what was seen, what the task expects.
#[derive(Debug)]
pub struct TaskContent {
    space: Option<Arc<ConceptSpace>>,
}

impl TaskContent {
    /// The detector over `space` (`None` when its models are not installed:
    /// the engine then skips it, as [`Detector::models`] says).
    pub fn new(space: Option<Arc<ConceptSpace>>) -> Self {
        Self { space }
    }
}

/// Classes looked at per upload: the classifier's most likely.
const SEEN: usize = 5;
/// Below this probability mass over those classes the classifier is unsure
/// what the picture shows (a scene ImageNet has no word for): no verdict.
const MIN_MASS: f32 = 0.3;
/// Relatedness (the seen classes' mean percentile for the task) below which
/// the upload is off-task with confidence (reject). On the evaluation set
/// (tests/task-matching) no on-task photo scored under 0.70; this leaves
/// a wide margin for messier phone photos (docs/BENCHMARKS.md).
pub const REJECT_BELOW: f32 = 0.35;
/// Relatedness below which a person should look (review).
pub const REVIEW_BELOW: f32 = 0.60;

const MODELS: [&str; 2] = [ImageNetClassifier::FILE, SentenceEncoder::FILE];

#[async_trait]
impl Detector for TaskContent {
    fn name(&self) -> &'static str {
        "task_content"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        matches!(kind, MediaKind::Image | MediaKind::Video)
    }

    fn models(&self) -> &[&'static str] {
        &MODELS
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let (Some(space), Some(task)) = (&self.space, ctx.task) else {
            return Ok(vec![]);
        };
        let text = task_text(task);
        if text.is_empty() || art.concepts.is_empty() {
            return Ok(vec![]);
        }
        let (space, owned) = (space.clone(), text.clone());
        let profile = tokio::task::spawn_blocking(move || space.profile(&owned))
            .await
            .map_err(|e| DetectorError::Other(e.to_string()))?
            .map_err(|e| DetectorError::Other(e.to_string()))?;
        let seen = most_likely(&art.concepts, SEEN);
        let mass: f32 = seen.iter().map(|(_, p)| p).sum();
        if mass < MIN_MASS {
            return Ok(vec![]);
        }
        let relatedness: f32 = seen
            .iter()
            .map(|&(class, p)| p / mass * profile.percentile[class])
            .sum();
        let concepts = self.space.as_ref().map_or(&[][..], |s| s.concepts());
        let saw: Vec<String> = seen
            .iter()
            .take(3)
            .map(|&(c, p)| format!("{} {p:.2}", concepts[c].name))
            .collect();
        let expects: Vec<&str> = profile
            .expected
            .iter()
            .take(3)
            .map(|&c| concepts[c].name.as_str())
            .collect();
        let (code, score, verdict) = if relatedness < REJECT_BELOW {
            (MISMATCH, 0.9, "Does not show")
        } else if relatedness < REVIEW_BELOW {
            (MISMATCH, 0.6, "May not show")
        } else {
            // A note for reviewers, with what was seen.
            (MATCH, 0.0, "Shows")
        };
        // The object detector's view beside the classifier's, when it ran.
        let objects = if art.objects.is_empty() {
            String::new()
        } else {
            format!(" (objects: {})", objects_summary(art))
        };
        let message = format!(
            "{verdict} what task \"{}\" asks for: saw {}{objects}; the task expects things like {}.",
            task.title,
            saw.join(", "),
            expects.join(", ")
        );
        Ok(vec![
            Finding::new(self.name(), code, score, message)
                .with_evidence(json!({
                    "task_id": task.id,
                    "saw": seen.iter().map(|&(c, p)| json!({"concept": concepts[c].name, "probability": p})).collect::<Vec<_>>(),
                    "objects": objects_evidence(art),
                    "expects": expects,
                    "relatedness": relatedness,
                    "reject_below": REJECT_BELOW,
                    "review_below": REVIEW_BELOW,
                })),
        ])
    }
}

/// What the task says: title and instructions (once, when the
/// instructions repeat the title).
fn task_text(task: &Task) -> String {
    let (title, instructions) = (task.title.trim(), task.instructions.trim());
    if instructions.starts_with(title) {
        instructions.to_owned()
    } else if instructions.is_empty() {
        title.to_owned()
    } else {
        format!("{title}. {instructions}")
    }
}

/// The `n` most likely classes over the pictures (probabilities averaged:
/// a video's dominant content), most likely first.
fn most_likely(pictures: &[Arc<[f32]>], n: usize) -> Vec<(usize, f32)> {
    let classes = pictures.iter().map(|p| p.len()).min().unwrap_or(0);
    let count = pictures.len() as f32;
    let mut mean: Vec<(usize, f32)> = (0..classes)
        .map(|c| (c, pictures.iter().map(|p| p[c]).sum::<f32>() / count))
        .collect();
    mean.sort_by(|a, b| b.1.total_cmp(&a.1));
    mean.truncate(n);
    mean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_pictures_and_keeps_the_most_likely() {
        let a: Arc<[f32]> = Arc::from(vec![0.7, 0.2, 0.1]);
        let b: Arc<[f32]> = Arc::from(vec![0.1, 0.8, 0.1]);
        let seen = most_likely(&[a, b], 2);
        assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), [1, 0]);
        assert!((seen[0].1 - 0.5).abs() < 1e-6);
    }
}
