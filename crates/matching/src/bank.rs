use async_trait::async_trait;
use bonafide_core::{
    ALLOWLIST_BANK, Artefacts, BankHit, BankMatch, Context, Detector, DetectorError, Finding,
    MediaKind, codes,
};
use bonafide_pdq::MATCH_DISTANCE;

use crate::MIN_SHARE;

/// Image-embedding cosine at which a reference entry counts as the same
/// picture changed beyond PDQ's reach (crop, overlay, screenshot).
pub const REFERENCE_COSINE: f32 = 0.90;

/// Frames of a video that must match one known video before it is named:
/// one frame alone can be a title card or a black screen shared by many.
pub const VIDEO_MIN_FRAMES: u32 = 2;

/// Flags photos matching a known hash in a bank — an imported stock
/// catalogue, a reference set of web images, known fakes — in any of the
/// eight orientations, or by image embedding; and videos whose frames are
/// frames of a known video. One finding per bank, naming the closest entry and
/// where it came from; the policy sets each bank's action. A match in the
/// [`ALLOWLIST_BANK`] replaces all of that with one `bank.allowlisted` note.
#[derive(Debug, Default)]
pub struct BankMatcher;

#[async_trait]
impl Detector for BankMatcher {
    fn name(&self) -> &'static str {
        "bank_match"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        matches!(kind, MediaKind::Image | MediaKind::Video)
    }

    fn codes(&self) -> &'static [&'static str] {
        &[
            codes::BANK_ALLOWLISTED,
            codes::BANK_MATCH,
            codes::COPYRIGHT_KNOWN_FOOTAGE,
            codes::PLAGIARISM_REFERENCE_MATCH,
        ]
    }

    async fn analyze(
        &self,
        _art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        // The engine looked the banks up once, for images hashed well
        // enough to match on.
        let hits = ctx.bank_hits;
        if let Some(allowed) = hits.iter().find(|h| h.bank == ALLOWLIST_BANK) {
            return Ok(vec![allowlisted(self.name(), allowed)]);
        }
        // Each bank's strongest hit (ways of matching differ in how sure
        // they are at a given distance), the first of equals.
        let mut best: Vec<&BankHit> = Vec::new();
        for h in hits {
            match best.iter_mut().find(|b| b.bank == h.bank) {
                Some(b) if match_strength(h.matched) > match_strength(b.matched) => *b = h,
                Some(_) => {}
                None => best.push(h),
            }
        }
        Ok(best.into_iter().map(|h| finding(self.name(), h)).collect())
    }
}

fn allowlisted(detector: &str, hit: &BankHit) -> Finding {
    let message = format!(
        "Matches an allowlisted image (source: {}); duplicate and bank checks do not apply.",
        hit.source
    );
    Finding::new(detector, codes::BANK_ALLOWLISTED, 0.0, message).with_evidence(serde_json::json!({
        "bank": hit.bank,
        "entry": hit.entry,
        "match": hit.matched,
        "source": hit.source,
    }))
}

/// How sure a bank match is, and how it reads in a reason. A PDQ match is
/// the same picture: 0.95 at distance 0, falling to 0.6 at the match
/// threshold. An embedding match alone is a picture of the same content,
/// which two people can take independently (a landmark from the usual
/// spot): at most 0.75, so the policy sends it to a person. A copy
/// descriptor match is trained to tell copies from other shots of a scene:
/// strong ones are as sure as PDQ (see [`crate::copy_strength`]). A video made
/// mostly ([`MIN_SHARE`]) of a known video's frames is that video (0.9);
/// fewer is a clip of it inside other footage, for a person (0.55–0.75).
fn strength(matched: BankMatch) -> (f32, String) {
    (match_strength(matched), how(matched))
}

/// How sure a bank match is, 0–1 (see [`strength`]): what a finding's
/// score is, and which of two matches of one entry names it.
pub fn match_strength(matched: BankMatch) -> f32 {
    match matched {
        BankMatch::Pdq { distance, .. } => 0.95 - 0.35 * distance as f32 / MATCH_DISTANCE as f32,
        BankMatch::Descriptor { score, .. } => crate::copy_strength(score),
        BankMatch::Embedding { cosine } => {
            let above = ((cosine - REFERENCE_COSINE) / (1.0 - REFERENCE_COSINE)).clamp(0.0, 1.0);
            0.55 + 0.2 * above
        }
        BankMatch::Frames { share, .. } => {
            if share >= MIN_SHARE {
                0.9
            } else {
                0.55 + 0.2 * share / MIN_SHARE
            }
        }
    }
}

/// How a bank match reads in a reason.
fn how(matched: BankMatch) -> String {
    match matched {
        BankMatch::Pdq {
            distance,
            orientation,
        } => {
            let how = match orientation {
                "original" => String::new(),
                o => format!(", {}", o.replace('_', " ")),
            };
            format!("PDQ distance {distance}{how}")
        }
        BankMatch::Descriptor { score, region, .. } => {
            let part = match region {
                None => String::new(),
                Some(r) => format!(" of the region {}×{} at ({}, {})", r.w, r.h, r.x, r.y),
            };
            format!("copy-descriptor score {score:.2}{part}")
        }
        BankMatch::Embedding { cosine } => format!("image-embedding similarity {cosine:.3}"),
        BankMatch::Frames {
            share,
            frames,
            at_ms,
            source_ms,
            ..
        } => {
            let whence = source_ms.map_or(String::new(), |ms| format!(" ({} there)", clock(ms)));
            format!(
                "{frames} frames, {}% of this video's; e.g. {} here{whence}",
                (share * 100.0).round(),
                clock(at_ms)
            )
        }
    }
}

/// `ms` as m:ss.
fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

fn finding(detector: &str, hit: &BankHit) -> Finding {
    let (score, how) = strength(hit.matched);
    let holder = if hit.rights_holder.is_empty() {
        String::new()
    } else {
        format!(", rights: {}", hit.rights_holder)
    };
    let excerpt = matches!(hit.matched, BankMatch::Frames { share, .. } if share < MIN_SHARE);
    let (code, message) = match (hit.reference, excerpt) {
        (true, false) => (
            codes::PLAGIARISM_REFERENCE_MATCH,
            format!(
                "Found elsewhere: matches {} in reference corpus \"{}\" (licence: {}{holder}; {how}).",
                hit.source, hit.bank, hit.licence
            ),
        ),
        (true, true) => (
            codes::COPYRIGHT_KNOWN_FOOTAGE,
            format!(
                "Contains footage of {} from reference corpus \"{}\" (licence: {}{holder}; {how}).",
                hit.source, hit.bank, hit.licence
            ),
        ),
        (false, _) => (
            codes::BANK_MATCH,
            format!(
                "Matches known content in bank \"{}\" (source: {}; {how}).",
                hit.bank, hit.source
            ),
        ),
    };
    Finding::new(detector, code, score, message).with_evidence(serde_json::json!({
        "bank": hit.bank,
        "entry": hit.entry,
        "match": hit.matched,
        "source": hit.source,
        "licence": hit.licence,
        "rights_holder": hit.rights_holder,
        "pdq_threshold": MATCH_DISTANCE,
        "embedding_threshold": REFERENCE_COSINE,
    }))
}
