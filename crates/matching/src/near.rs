use async_trait::async_trait;
use bonafide_core::{
    ALLOWLIST_BANK, Artefacts, Context, Detector, DetectorError, Finding, MediaKind, NearMatch,
    TurnedHash, codes,
};
use bonafide_pdq::{MATCH_DISTANCE, MIN_QUALITY};
use serde_json::json;

use crate::{
    duplicate::{NearMatchOf, near_duplicate},
    rotation::{self, TURNED_MATCH_DISTANCE},
};

/// Flags photos that are perceptually the same as an earlier upload —
/// re-encoded, resized, recoloured, rotated by 90° steps or flipped — using
/// PDQ hashes in all eight orientations; when none matches, photos turned
/// by other angles through their centre hashes ([`rotation`]).
#[derive(Debug, Default)]
pub struct NearDuplicate;

/// Distance at or below which two hashes are almost surely one photo.
const CLOSE: u32 = 10;

#[async_trait]
impl Detector for NearDuplicate {
    fn name(&self) -> &'static str {
        "near_duplicate"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::DUPLICATE_NEAR]
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
        if ctx.bank_hits.iter().any(|h| h.bank == ALLOWLIST_BANK) {
            return Ok(vec![]);
        }
        let mut matches = ctx
            .near
            .add_and_match(ctx.upload, hash, MATCH_DISTANCE)
            .await?;
        // A flat or featureless image hashes unreliably: store it, never match on it.
        if hash.quality < MIN_QUALITY {
            return Ok(vec![]);
        }
        if matches.is_empty()
            && let Some(image) = &art.image
        {
            let luma = image.luma.clone();
            let turned = tokio::task::spawn_blocking(move || turned_hashes(&luma))
                .await
                .map_err(|e| DetectorError::Other(format!("PDQ hashing failed: {e}")))?;
            matches = ctx
                .near
                .match_turned(ctx.upload, &turned, TURNED_MATCH_DISTANCE)
                .await?;
        }
        // The earliest match is where the photo first appeared, and its
        // owner decides whose photo it is — not the closest copy, which may
        // be a later re-upload by someone else (or a rejected theft).
        let Some(origin) = matches
            .iter()
            .min_by(|a, b| (a.at, &a.upload_id).cmp(&(b.at, &b.upload_id)))
        else {
            return Ok(vec![]);
        };
        Ok(vec![finding(
            self.name(),
            ctx,
            origin,
            &matches,
            hash.quality,
        )])
    }
}

/// The centre hashes of the photo turned back by each residual angle, in
/// every orientation, leaving out featureless ones.
fn turned_hashes(luma: &bonafide_core::LumaImage) -> Vec<TurnedHash> {
    rotation::turned_centres(luma)
        .iter()
        .flat_map(|t| {
            t.variants
                .iter()
                .filter(|(_, h)| h.quality >= MIN_QUALITY)
                .map(|(d, h)| TurnedHash {
                    degrees: t.degrees,
                    orientation: d.as_str(),
                    hash: h.hash.to_bytes(),
                })
        })
        .collect()
}

fn finding(
    detector: &str,
    ctx: &Context<'_>,
    best: &NearMatch,
    all: &[NearMatch],
    quality: u8,
) -> Finding {
    let mut how = match best.orientation {
        "original" => String::new(),
        o => format!(", {}", o.replace('_', " ")),
    };
    if let Some(degrees) = best.turned_degrees {
        how.push_str(&format!(
            ", turned about {:.0}°; the centre of the picture matched",
            degrees.abs()
        ));
    }
    let describe = |who: &str| {
        format!(
            "Looks like the same photo as upload {} from {who} (PDQ distance {}{how}).",
            best.upload_id, best.distance
        )
    };
    let turned = best.turned_degrees.is_some();
    near_duplicate(detector, ctx, NearMatchOf {
        code: codes::DUPLICATE_NEAR,
        upload_id: &best.upload_id,
        contributor_id: &best.contributor_id,
        // Only the centre matched: a person confirms before a reject.
        strong: best.distance <= CLOSE && !turned,
        describe: &describe,
        detail: json!({
            "distance": best.distance,
            "orientation": best.orientation,
            "turned_degrees": best.turned_degrees,
            "quality": quality,
            "threshold": if turned { TURNED_MATCH_DISTANCE } else { MATCH_DISTANCE },
        }),
        match_count: all.len(),
        matches: all
            .iter()
            .take(10)
            .map(|m| json!({"upload_id": m.upload_id, "distance": m.distance, "orientation": m.orientation, "turned_degrees": m.turned_degrees}))
            .collect(),
    })
}
