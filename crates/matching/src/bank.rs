use async_trait::async_trait;
use bonafide_core::{
    ALLOWLIST_BANK, Artefacts, BankHit, Context, Detector, DetectorError, Finding, MediaKind, codes,
};
use bonafide_pdq::MATCH_DISTANCE;

/// Flags photos matching a known hash in a bank — an imported stock
/// catalogue, a reference set of web images, known fakes — in any of the
/// eight orientations. One finding per bank, naming the closest entry and
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
        kind == MediaKind::Image
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
        // Closest first, so the first hit of each bank is its best.
        let mut seen = std::collections::HashSet::new();
        Ok(hits
            .iter()
            .filter(|h| seen.insert(h.bank.clone()))
            .map(|h| finding(self.name(), h))
            .collect())
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
        "distance": hit.distance,
        "source": hit.source,
    }))
}

fn finding(detector: &str, hit: &BankHit) -> Finding {
    // 0.95 at distance 0, falling to 0.6 at the match threshold.
    let score = 0.95 - 0.35 * hit.distance as f32 / MATCH_DISTANCE as f32;
    let how = match hit.orientation {
        "original" => String::new(),
        o => format!(", {}", o.replace('_', " ")),
    };
    let holder = if hit.rights_holder.is_empty() {
        String::new()
    } else {
        format!(", rights: {}", hit.rights_holder)
    };
    let (code, message) = if hit.reference {
        (
            codes::PLAGIARISM_REFERENCE_MATCH,
            format!(
                "Found elsewhere: matches {} in reference corpus \"{}\" (licence: {}{holder}; PDQ distance {}{how}).",
                hit.source, hit.bank, hit.licence, hit.distance
            ),
        )
    } else {
        (
            codes::BANK_MATCH,
            format!(
                "Matches a known image in bank \"{}\" (source: {}; PDQ distance {}{how}).",
                hit.bank, hit.source, hit.distance
            ),
        )
    };
    Finding::new(detector, code, score, message).with_evidence(serde_json::json!({
        "bank": hit.bank,
        "entry": hit.entry,
        "distance": hit.distance,
        "orientation": hit.orientation,
        "source": hit.source,
        "licence": hit.licence,
        "rights_holder": hit.rights_holder,
        "threshold": MATCH_DISTANCE,
    }))
}
