use async_trait::async_trait;
use bonafide_core::{
    Artefacts, Context, Detector, DetectorError, DocumentMatch, Finding, MediaKind, codes,
};

use crate::minhash;

/// Flags documents whose text is nearly the same as an earlier upload's — a
/// re-saved, re-exported or lightly edited copy — by MinHash over word
/// shingles of the text layer.
#[derive(Debug, Default)]
pub struct DocumentNearDuplicate;

/// Estimated shingle overlap from which two texts count as one document.
pub const MIN_SIMILARITY: f32 = 0.5;

#[async_trait]
impl Detector for DocumentNearDuplicate {
    fn name(&self) -> &'static str {
        "document_near_duplicate"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Document
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(sig) = art
            .document
            .as_ref()
            .and_then(|d| minhash::signature(&d.text))
        else {
            return Ok(vec![]);
        };
        let matches = ctx
            .near
            .add_and_match_document(ctx.upload, &sig, MIN_SIMILARITY)
            .await?;
        let Some(best) = matches.first() else {
            return Ok(vec![]);
        };
        Ok(vec![finding(self.name(), ctx, best, &matches)])
    }
}

fn finding(
    detector: &str,
    ctx: &Context<'_>,
    best: &DocumentMatch,
    all: &[DocumentMatch],
) -> Finding {
    let cross = best.contributor_id != ctx.upload.contributor_id;
    let low_signal = all.len() > crate::FLOOD_LIMIT;
    let score = match (cross, best.similarity >= 0.9) {
        _ if low_signal => 0.5,
        (true, true) => 0.95,
        (true, false) => 0.75,
        (false, _) => 0.5,
    };
    let who = if cross {
        "another contributor"
    } else {
        "the same contributor"
    };
    let message = format!(
        "The text is about {}% the same as upload {} from {who}.",
        (best.similarity * 100.0).round() as u32,
        best.upload_id
    );
    let others: Vec<_> = all
        .iter()
        .take(10)
        .map(|m| serde_json::json!({"upload_id": m.upload_id, "similarity": m.similarity}))
        .collect();
    Finding::new(detector, codes::DUPLICATE_NEAR, score, message).with_evidence(serde_json::json!({
        "media": "document",
        "matched_upload_id": best.upload_id,
        "matched_contributor_id": best.contributor_id,
        "cross_contributor": cross,
        "similarity": best.similarity,
        "threshold": MIN_SIMILARITY,
        "match_count": all.len(),
        "low_signal": low_signal,
        "matches": others,
    }))
}
