use async_trait::async_trait;
use bonafide_core::{
    Artefacts, Context, Detector, DetectorError, Embedding, ExemplarLabel, Finding, MediaKind,
    TaskExemplar,
};
use bonafide_models::ClipImageEncoder;
use serde_json::json;

use crate::task_codes::{MATCH, MISMATCH};

/// Compares an answer with its task's example uploads in CLIP image space
/// (few-shot prototypes: the mean of the positive examples, the mean of
/// the negative ones). Each task's matcher grows with its examples: an
/// integrator adds them by API, reviewers' decisions can add more.
#[derive(Debug, Default)]
pub struct TaskExemplars;

/// Below this cosine to the positive examples' prototype the answer looks
/// unlike all of them (review). Leave-one-out on tests/task-matching with
/// two positives per task: on-task answers scored 0.66–0.86.
pub const POSITIVE_BELOW: f32 = 0.60;
/// Nearer the negative prototype than the positive by this much, and at
/// least `NEGATIVE_FROM` to it: the answer looks like what the task rules
/// out (review; reject when also `NEGATIVE_SURE` to it).
const NEGATIVE_MARGIN: f32 = 0.05;
const NEGATIVE_FROM: f32 = 0.75;
const NEGATIVE_SURE: f32 = 0.85;

const MODELS: [&str; 1] = [ClipImageEncoder::FILE];

#[async_trait]
impl Detector for TaskExemplars {
    fn name(&self) -> &'static str {
        "task_exemplars"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        matches!(kind, MediaKind::Image | MediaKind::Video)
    }

    fn codes(&self) -> &'static [&'static str] {
        &[MATCH, MISMATCH]
    }

    fn models(&self) -> &[&'static str] {
        &MODELS
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let (Some(task), false) = (ctx.task, art.embeddings.is_empty()) else {
            return Ok(vec![]);
        };
        // The exemplar itself, screened again, is not judged by itself.
        let exemplars: Vec<&TaskExemplar> = ctx
            .exemplars
            .iter()
            .filter(|x| x.upload_id != ctx.upload.id)
            .collect();
        let positive = prototype(&exemplars, ExemplarLabel::Positive);
        let negative = prototype(&exemplars, ExemplarLabel::Negative);
        if positive.is_none() && negative.is_none() {
            return Ok(vec![]);
        }
        // A video: the mean of its embedded frames.
        let answer = mean(art.embeddings.iter());
        let to_positive = positive.as_ref().map(|p| answer.cosine(p));
        let to_negative = negative.as_ref().map(|n| answer.cosine(n));
        let like_negative = to_negative.is_some_and(|n| {
            n >= NEGATIVE_FROM && n >= to_positive.unwrap_or(f32::MIN) + NEGATIVE_MARGIN
        });
        let (code, score, words) = if like_negative {
            let sure = to_negative.unwrap_or(0.0) >= NEGATIVE_SURE;
            (
                MISMATCH,
                if sure { 0.9 } else { 0.6 },
                "looks like the task's negative examples",
            )
        } else if to_positive.is_some_and(|p| p < POSITIVE_BELOW) {
            (
                MISMATCH,
                0.6,
                "looks unlike every positive example of the task",
            )
        } else {
            (MATCH, 0.0, "looks like the task's examples")
        };
        let count = |label| exemplars.iter().filter(|x| x.label == label).count();
        Ok(vec![
            Finding::new(
                self.name(),
                code,
                score,
                format!(
                    "The upload {words} (\"{}\": image similarity {} to {} positive, {} to {} negative examples).",
                    task.title,
                    similarity(to_positive),
                    count(ExemplarLabel::Positive),
                    similarity(to_negative),
                    count(ExemplarLabel::Negative),
                ),
            )
            .with_evidence(json!({
                "task_id": task.id,
                "to_positive": to_positive,
                "to_negative": to_negative,
                "positives": count(ExemplarLabel::Positive),
                "negatives": count(ExemplarLabel::Negative),
                "positive_below": POSITIVE_BELOW,
            })),
        ])
    }
}

fn similarity(cosine: Option<f32>) -> String {
    cosine.map_or_else(|| "n/a".into(), |c| format!("{c:.2}"))
}

/// The unit-length mean of the examples with `label`, if any.
fn prototype(exemplars: &[&TaskExemplar], label: ExemplarLabel) -> Option<Embedding> {
    let mut of_label = exemplars
        .iter()
        .filter(|x| x.label == label)
        .map(|x| &x.embedding)
        .peekable();
    of_label.peek()?;
    Some(mean(of_label))
}

fn mean<'a>(embeddings: impl Iterator<Item = &'a Embedding>) -> Embedding {
    let mut sum: Vec<f32> = Vec::new();
    for e in embeddings {
        if sum.is_empty() {
            sum = vec![0.0; e.values().len()];
        }
        sum.iter_mut().zip(e.values()).for_each(|(s, v)| *s += v);
    }
    Embedding::normalized(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prototypes_average_their_label_only() {
        let x = |label, v: Vec<f32>| TaskExemplar {
            upload_id: String::new(),
            label,
            embedding: Embedding::normalized(v),
        };
        let all = [
            x(ExemplarLabel::Positive, vec![1.0, 0.0]),
            x(ExemplarLabel::Positive, vec![0.0, 1.0]),
            x(ExemplarLabel::Negative, vec![-1.0, 0.0]),
        ];
        let refs: Vec<&TaskExemplar> = all.iter().collect();
        let p = prototype(&refs, ExemplarLabel::Positive).unwrap();
        assert!((p.values()[0] - p.values()[1]).abs() < 1e-6);
        assert_eq!(prototype(&refs[..2], ExemplarLabel::Negative), None);
    }
}
