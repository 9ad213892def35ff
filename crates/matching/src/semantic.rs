use async_trait::async_trait;
use bonafide_core::{
    ALLOWLIST_BANK, Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes,
};
use serde_json::json;

use crate::duplicate::{NearMatchOf, near_duplicate};

/// Flags photos whose CLIP image embedding is nearly that of an earlier
/// upload: the copies perceptual hashes miss — crops, overlays, borders,
/// screenshots of a photo. Two different shots of one scene can come this
/// close too, so a match is for a person to confirm, never a reject alone.
#[derive(Debug)]
pub struct SemanticDuplicate {
    model: &'static str,
}

impl SemanticDuplicate {
    /// The detector, fed the embeddings of the model file `model` (the
    /// engine computes them once for every detector).
    pub fn new(model: &'static str) -> Self {
        Self { model }
    }
}

/// Cosine at or above which two photos are reported as the same picture
/// (chosen on `bonafide bench semantic`; see docs/BENCHMARKS.md).
pub const MIN_COSINE: f32 = 0.90;

/// Cosine at or above which the match is as strong as a PDQ match.
const CLOSE: f32 = 0.95;

#[async_trait]
impl Detector for SemanticDuplicate {
    fn name(&self) -> &'static str {
        "semantic_duplicate"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn models(&self) -> &[&'static str] {
        std::slice::from_ref(&self.model)
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(embedding) = art.embeddings.first() else {
            return Ok(vec![]);
        };
        // Allowlisted content is neither indexed nor matched (see NearDuplicate).
        if ctx.bank_hits.iter().any(|h| h.bank == ALLOWLIST_BANK) {
            return Ok(vec![]);
        }
        let matches = ctx
            .semantic
            .earlier_matches(ctx.upload, embedding, MIN_COSINE)
            .await?;
        // The earliest match owns the picture (see NearDuplicate).
        let Some(origin) = matches
            .iter()
            .min_by(|a, b| (a.at, &a.upload_id).cmp(&(b.at, &b.upload_id)))
        else {
            return Ok(vec![]);
        };
        let describe = |who: &str| {
            format!(
                "Shows the same picture as upload {} from {who} (image embeddings {:.0}% alike): \
                 possibly a crop, overlay or screenshot of it.",
                origin.upload_id,
                origin.cosine * 100.0
            )
        };
        Ok(vec![near_duplicate(
            self.name(),
            ctx,
            NearMatchOf {
                code: codes::DUPLICATE_SEMANTIC,
                upload_id: &origin.upload_id,
                contributor_id: &origin.contributor_id,
                strong: origin.cosine >= CLOSE,
                describe: &describe,
                detail: json!({"cosine": origin.cosine, "threshold": MIN_COSINE}),
                match_count: matches.len(),
                matches: matches
                    .iter()
                    .take(10)
                    .map(|m| json!({"upload_id": m.upload_id, "cosine": m.cosine}))
                    .collect(),
            },
        )])
    }
}
