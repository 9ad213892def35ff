use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};
use bonafide_models::BodyPartDetector;
use serde_json::json;

use crate::task_codes::NO_PERSON;

/// People in the picture, by NudeNet's body-part detector: nudity in any
/// upload (`content.nudity`), and no person where the task asks for one
/// (`task.no_person`) — unless the COCO object detector, which sees whole
/// people (from the back, far away), found one.
#[derive(Debug, Default)]
pub struct People;

/// Best exposed-part score from which a picture counts as nudity.
pub const NUDITY_FROM: f32 = 0.5;
/// Best person-part score below which no person is seen. The detector sees
/// faces and body parts, not whole people (someone far away or from the
/// back can be missed), so a miss goes to review.
pub const PERSON_FROM: f32 = 0.35;

const MODELS: [&str; 1] = [BodyPartDetector::FILE];

#[async_trait]
impl Detector for People {
    fn name(&self) -> &'static str {
        "people"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        matches!(kind, MediaKind::Image | MediaKind::Video)
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::CONTENT_NUDITY, NO_PERSON]
    }

    fn models(&self) -> &[&'static str] {
        &MODELS
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let mut out = Vec::new();
        let nudest = art
            .body_parts
            .iter()
            .max_by(|a, b| a.nudity.total_cmp(&b.nudity));
        if let Some(b) = nudest.filter(|b| b.nudity >= NUDITY_FROM) {
            out.push(
                Finding::new(
                    self.name(),
                    codes::CONTENT_NUDITY,
                    b.nudity,
                    format!(
                        "Shows nudity ({} at {:.0}%).",
                        b.nudity_part.replace('_', " "),
                        b.nudity * 100.0
                    ),
                )
                .with_evidence(
                    json!({"part": b.nudity_part, "score": b.nudity, "threshold": NUDITY_FROM}),
                ),
            );
        }
        let wants_person = ctx.task.is_some_and(|t| t.requirements.shows_person);
        let best = art
            .body_parts
            .iter()
            .max_by(|a, b| a.person.total_cmp(&b.person));
        // The best COCO "person" in any picture (the detector runs for every
        // upload that answers a task).
        let whole_person = art
            .objects
            .iter()
            .flatten()
            .filter(|o| o.label == "person")
            .map(|o| o.score)
            .fold(0.0_f32, f32::max);
        if wants_person
            && let Some(b) = best
            && b.person < PERSON_FROM
            && whole_person < crate::task_objects::PERSON_FROM
        {
            out.push(
                Finding::new(
                    self.name(),
                    NO_PERSON,
                    0.6,
                    format!(
                        "The task asks for a person; none was seen (best: {} at {:.0}%).",
                        b.person_part.replace('_', " "),
                        b.person * 100.0
                    ),
                )
                .with_evidence(json!({
                    "best_part": b.person_part,
                    "score": b.person,
                    "face": b.face,
                    "threshold": PERSON_FROM,
                    "best_whole_person": whole_person,
                    "whole_person_threshold": crate::task_objects::PERSON_FROM,
                })),
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use bonafide_core::{BodyParts, MediaType, Region, SeenObject, Task, TaskRequirements};

    use super::*;
    use crate::test_support;

    /// A photo whose body parts score `part` (none seen clearly) and whose
    /// COCO detector saw a person scored `whole` (none when 0).
    fn photo(part: f32, whole: f32) -> Artefacts {
        let mut art = Artefacts::empty(MediaType::Jpeg, bytes::Bytes::new());
        art.body_parts = vec![BodyParts {
            face: part,
            person: part,
            person_part: "FACE_FEMALE".into(),
            nudity: 0.0,
            nudity_part: String::new(),
        }];
        art.objects = vec![
            (whole > 0.0)
                .then_some(SeenObject {
                    label: "person",
                    score: whole,
                    region: Region {
                        x: 0,
                        y: 0,
                        w: 10,
                        h: 20,
                    },
                })
                .into_iter()
                .collect(),
        ];
        art
    }

    async fn codes(art: &Artefacts) -> Vec<String> {
        let task = Task {
            id: "t".into(),
            title: "A person".into(),
            instructions: String::new(),
            allowed_kinds: vec![],
            requirements: TaskRequirements {
                shows_person: true,
                ..Default::default()
            },
        };
        test_support::codes(&People, art, &task).await
    }

    #[tokio::test]
    async fn a_person_is_seen_by_body_parts_or_as_a_whole() {
        assert_eq!(codes(&photo(0.1, 0.0)).await, [NO_PERSON]);
        assert!(codes(&photo(0.8, 0.0)).await.is_empty());
        // Someone from the back: no face or part, but a whole person.
        assert!(codes(&photo(0.1, 0.9)).await.is_empty());
        assert_eq!(codes(&photo(0.1, 0.3)).await, [NO_PERSON]);
    }
}
