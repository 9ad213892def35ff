use async_trait::async_trait;
use bonafide_core::{
    ALLOWLIST_BANK, Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes,
};
use serde_json::json;

use crate::{
    COPY_REGION_SCORE, COPY_SCORE, COPY_SCORE_STRONG,
    duplicate::{NearMatchOf, near_duplicate},
};

/// Flags photos that are edited copies of an earlier upload: by copy
/// descriptor (SSCD, of the whole photo or of a region of it — the engine
/// looks these up once, `Context::copies`) or by CLIP image embedding at
/// cosine ≥ [`MIN_COSINE`]: the copies perceptual hashes miss — crops,
/// turns, overlays, borders, memes, screenshots, a photo pasted onto
/// another. Two different shots of one scene can come close in CLIP's
/// space, so a match is for a person to confirm, never a reject alone.
#[derive(Debug)]
pub struct SemanticDuplicate {
    models: [&'static str; 1],
}

impl SemanticDuplicate {
    /// The detector, reading the copy matches of the descriptor model file
    /// `descriptor` (which it needs) and the embeddings CLIP computed,
    /// when there are any (both computed once by the engine).
    pub fn new(descriptor: &'static str) -> Self {
        Self {
            models: [descriptor],
        }
    }
}

/// Cosine at or above which two photos' CLIP embeddings are reported as
/// the same picture (chosen on `bonafide-lab bench semantic`; see
/// docs/BENCHMARKS.md).
pub const MIN_COSINE: f32 = 0.90;

/// CLIP cosine at or above which the match is as strong as a PDQ match.
const CLOSE: f32 = 0.95;

/// One earlier upload matched, by either vector.
struct Candidate<'a> {
    upload_id: &'a str,
    contributor_id: &'a str,
    at: i64,
    strong: bool,
    how: String,
    detail: serde_json::Value,
}

#[async_trait]
impl Detector for SemanticDuplicate {
    fn name(&self) -> &'static str {
        "semantic_duplicate"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::DUPLICATE_SEMANTIC]
    }

    fn models(&self) -> &[&'static str] {
        &self.models
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        // Allowlisted content is neither indexed nor matched (see NearDuplicate).
        if ctx.bank_hits.iter().any(|h| h.bank == ALLOWLIST_BANK) {
            return Ok(vec![]);
        }
        let mut candidates: Vec<Candidate> = ctx
            .copies
            .iter()
            .map(|m| Candidate {
                upload_id: &m.upload_id,
                contributor_id: &m.contributor_id,
                at: m.at,
                strong: m.score >= COPY_SCORE_STRONG,
                how: match m.region {
                    None => format!("copy descriptors, score {:.2}", m.score),
                    Some(r) => format!(
                        "copy descriptors, score {:.2}, of its region {}×{} at ({}, {})",
                        m.score, r.w, r.h, r.x, r.y
                    ),
                },
                detail: json!({"by": "descriptor", "cosine": m.cosine, "score": m.score,
                    "threshold": if m.region.is_some() { COPY_REGION_SCORE } else { COPY_SCORE },
                    "region": m.region}),
            })
            .collect();
        let clip = match art.embeddings.first() {
            Some(embedding) => {
                ctx.semantic
                    .earlier_matches(ctx.upload, embedding, MIN_COSINE)
                    .await?
            }
            None => Vec::new(),
        };
        for m in &clip {
            // An upload both vectors found is named by its copy descriptor.
            if candidates.iter().any(|c| c.upload_id == m.upload_id) {
                continue;
            }
            candidates.push(Candidate {
                upload_id: &m.upload_id,
                contributor_id: &m.contributor_id,
                at: m.at,
                strong: m.cosine >= CLOSE,
                how: format!("image embeddings {:.0}% alike", m.cosine * 100.0),
                detail: json!({"by": "embedding", "cosine": m.cosine, "threshold": MIN_COSINE}),
            });
        }
        // The earliest match owns the picture (see NearDuplicate).
        let Some(origin) = candidates
            .iter()
            .min_by(|a, b| (a.at, a.upload_id).cmp(&(b.at, b.upload_id)))
        else {
            return Ok(vec![]);
        };
        let describe = |who: &str| {
            format!(
                "Shows the same picture as upload {} from {who} ({}): \
                 possibly a crop, overlay or screenshot of it.",
                origin.upload_id, origin.how
            )
        };
        Ok(vec![near_duplicate(
            self.name(),
            ctx,
            NearMatchOf {
                code: codes::DUPLICATE_SEMANTIC,
                upload_id: origin.upload_id,
                contributor_id: origin.contributor_id,
                strong: origin.strong,
                describe: &describe,
                detail: origin.detail.clone(),
                match_count: candidates.len(),
                matches: candidates
                    .iter()
                    .take(10)
                    .map(|c| {
                        let mut m = c.detail.clone();
                        m["upload_id"] = json!(c.upload_id);
                        m
                    })
                    .collect(),
            },
        )])
    }
}
