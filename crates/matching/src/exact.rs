use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};

/// Flags byte-identical re-uploads. The same bytes from another contributor
/// is the strong fraud signal (one file farmed across accounts); from the
/// same contributor it is more often a retry.
#[derive(Debug, Default)]
pub struct ExactDuplicate;

/// Score of a cross-contributor exact duplicate.
pub const CROSS_CONTRIBUTOR_SCORE: f32 = 1.0;
/// Score of a same-contributor exact duplicate.
pub const SAME_CONTRIBUTOR_SCORE: f32 = 0.6;

#[async_trait]
impl Detector for ExactDuplicate {
    fn name(&self) -> &'static str {
        "exact_duplicate"
    }

    fn accepts(&self, _kind: MediaKind) -> bool {
        true
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::DUPLICATE_EXACT]
    }

    async fn analyze(
        &self,
        _art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let up = ctx.upload;
        let Some(first) = ctx.exact.first_seen(&up.tenant, &up.sha256).await? else {
            return Ok(vec![]);
        };
        if first.upload_id == up.id {
            return Ok(vec![]);
        }
        let cross = first.contributor_id != up.contributor_id;
        let (score, who) = if cross {
            (CROSS_CONTRIBUTOR_SCORE, "another contributor")
        } else {
            (SAME_CONTRIBUTOR_SCORE, "the same contributor")
        };
        Ok(vec![
            Finding::new(
                self.name(),
                codes::DUPLICATE_EXACT,
                score,
                format!("Byte-identical to upload {} from {who}.", first.upload_id),
            )
            .with_evidence(serde_json::json!({
                "first_upload_id": first.upload_id,
                "first_contributor_id": first.contributor_id,
                "first_seen_at": first.at,
                "cross_contributor": cross,
                "sha256": up.sha256,
            })),
        ])
    }
}
