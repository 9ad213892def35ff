use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};
use bonafide_models::BodyPartDetector;
use serde_json::json;

use crate::task_codes::NO_PERSON;

/// People in the picture, by NudeNet's body-part detector: nudity in any
/// upload (`content.nudity`), and no person where the task asks for one
/// (`task.no_person`).
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
        if wants_person
            && let Some(b) = best
            && b.person < PERSON_FROM
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
                .with_evidence(json!({"best_part": b.person_part, "score": b.person, "face": b.face, "threshold": PERSON_FROM})),
            );
        }
        Ok(out)
    }
}
