use async_trait::async_trait;
use bonafide_core::{
    ALLOWLIST_BANK, Artefacts, Context, Detector, DetectorError, Finding, MediaKind, NearMatch,
    codes,
};
use bonafide_pdq::{MATCH_DISTANCE, MIN_QUALITY};

/// Flags photos that are perceptually the same as an earlier upload —
/// re-encoded, resized, recoloured, rotated by 90° steps or flipped — using
/// PDQ hashes in all eight orientations.
#[derive(Debug, Default)]
pub struct NearDuplicate;

/// Score of a near duplicate from another contributor at distance ≤ [`CLOSE`].
const CROSS_CLOSE_SCORE: f32 = 0.95;
/// Score of a near duplicate from another contributor, further away.
const CROSS_SCORE: f32 = 0.75;
/// Score of a near duplicate from the same contributor (burst shots, retries).
const SAME_SCORE: f32 = 0.5;
/// Distance at or below which two hashes are almost surely one photo.
const CLOSE: u32 = 10;

/// A hash matching more earlier uploads than this is low-signal (a blank
/// frame, a logo, a meme template): it is reported but never decides a
/// reject on its own.
pub const FLOOD_LIMIT: usize = 20;

#[async_trait]
impl Detector for NearDuplicate {
    fn name(&self) -> &'static str {
        "near_duplicate"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(hash) = &art.pdq else {
            return Ok(vec![]);
        };
        // Allowlisted content (a template everyone photographs) is neither
        // indexed nor matched: every copy of it would be a "duplicate".
        let banks = ctx.banks.match_image(hash, MATCH_DISTANCE).await?;
        if banks.iter().any(|h| h.bank == ALLOWLIST_BANK) {
            return Ok(vec![]);
        }
        let matches = ctx
            .near
            .add_and_match(ctx.upload, hash, MATCH_DISTANCE)
            .await?;
        // A flat or featureless image hashes unreliably: store it, never match on it.
        if hash.quality < MIN_QUALITY {
            return Ok(vec![]);
        }
        let Some(best) = matches.first() else {
            return Ok(vec![]);
        };
        Ok(vec![finding(
            self.name(),
            ctx,
            best,
            &matches,
            hash.quality,
        )])
    }
}

fn finding(
    detector: &str,
    ctx: &Context<'_>,
    best: &NearMatch,
    all: &[NearMatch],
    quality: u8,
) -> Finding {
    let cross = best.contributor_id != ctx.upload.contributor_id;
    let low_signal = all.len() > FLOOD_LIMIT;
    let score = match (cross, best.distance <= CLOSE) {
        _ if low_signal => SAME_SCORE,
        (true, true) => CROSS_CLOSE_SCORE,
        (true, false) => CROSS_SCORE,
        (false, _) => SAME_SCORE,
    };
    let who = if cross {
        "another contributor"
    } else {
        "the same contributor"
    };
    let how = match best.orientation {
        "original" => String::new(),
        o => format!(", {}", o.replace('_', " ")),
    };
    let mut message = format!(
        "Looks like the same photo as upload {} from {who} (PDQ distance {}{how}).",
        best.upload_id, best.distance
    );
    if low_signal {
        message.push_str(&format!(
            " It matches {} earlier uploads — a common image, not decisive on its own.",
            all.len()
        ));
    }
    let others: Vec<_> = all
        .iter()
        .take(10)
        .map(|m| serde_json::json!({"upload_id": m.upload_id, "distance": m.distance, "orientation": m.orientation}))
        .collect();
    Finding::new(detector, codes::DUPLICATE_NEAR, score, message).with_evidence(serde_json::json!({
        "matched_upload_id": best.upload_id,
        "matched_contributor_id": best.contributor_id,
        "cross_contributor": cross,
        "distance": best.distance,
        "orientation": best.orientation,
        "quality": quality,
        "threshold": MATCH_DISTANCE,
        "match_count": all.len(),
        "low_signal": low_signal,
        "matches": others,
    }))
}
