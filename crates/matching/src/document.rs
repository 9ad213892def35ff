use async_trait::async_trait;
use bonafide_core::{
    Artefacts, Context, Detector, DetectorError, DocumentMatch, Finding, MediaKind, codes,
};
use serde_json::json;

use crate::{
    duplicate::{NearMatchOf, near_duplicate},
    minhash,
};

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

    fn codes(&self) -> &'static [&'static str] {
        &[codes::DUPLICATE_NEAR]
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
    let describe = |who: &str| {
        format!(
            "The text is about {}% the same as upload {} from {who}.",
            (best.similarity * 100.0).round() as u32,
            best.upload_id
        )
    };
    near_duplicate(
        detector,
        ctx,
        NearMatchOf {
            code: codes::DUPLICATE_NEAR,
            upload_id: &best.upload_id,
            contributor_id: &best.contributor_id,
            strong: best.similarity >= 0.9,
            describe: &describe,
            detail: json!({"media": "document", "similarity": best.similarity, "threshold": MIN_SIMILARITY}),
            match_count: all.len(),
            matches: all
                .iter()
                .take(10)
                .map(|m| json!({"upload_id": m.upload_id, "similarity": m.similarity}))
                .collect(),
        },
    )
}
