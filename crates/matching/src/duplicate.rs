//! The one shape of a `duplicate.near` finding, shared by the photo, video
//! and document detectors (and of `duplicate.semantic`): how strong the match is, who made the earlier
//! upload, and whether the content is too common to decide alone.

use bonafide_core::{Context, Finding};
use serde_json::{Map, Value, json};

/// A hash or signature matching more earlier uploads than this is
/// low-signal (a blank frame, a logo, a meme template): it is reported but
/// never decides a reject on its own.
pub const FLOOD_LIMIT: usize = 20;

/// Score of a strong match (one photo, most of a video, nearly the same
/// text) from another contributor.
const CROSS_STRONG_SCORE: f32 = 0.95;
/// Score of a weaker match from another contributor.
const CROSS_SCORE: f32 = 0.75;
/// Score of a match from the same contributor (bursts, retries), or of a
/// low-signal match.
const SAME_SCORE: f32 = 0.5;

/// The best earlier match of one upload, as a detector describes it.
pub(crate) struct NearMatchOf<'a> {
    /// The finding's code: `duplicate.near`, or `duplicate.semantic` for
    /// matches by image embedding.
    pub code: &'static str,
    /// The earlier upload.
    pub upload_id: &'a str,
    /// Who uploaded it.
    pub contributor_id: &'a str,
    /// Whether the match is strong enough to reject across accounts.
    pub strong: bool,
    /// The sentence for people, given "another contributor" or "the same
    /// contributor".
    pub describe: &'a dyn Fn(&str) -> String,
    /// Kind-specific evidence (distance, shares, similarity, …).
    pub detail: Value,
    /// How many earlier uploads matched.
    pub match_count: usize,
    /// Summaries of the closest matches.
    pub matches: Vec<Value>,
}

/// Builds the finding.
pub(crate) fn near_duplicate(detector: &str, ctx: &Context<'_>, m: NearMatchOf<'_>) -> Finding {
    let cross = m.contributor_id != ctx.upload.contributor_id;
    let low_signal = m.match_count > FLOOD_LIMIT;
    let score = match (cross, m.strong) {
        _ if low_signal => SAME_SCORE,
        (true, true) => CROSS_STRONG_SCORE,
        (true, false) => CROSS_SCORE,
        (false, _) => SAME_SCORE,
    };
    let mut message = (m.describe)(if cross {
        "another contributor"
    } else {
        "the same contributor"
    });
    if low_signal {
        message.push_str(&format!(
            " It matches {} earlier uploads — a common image, not decisive on its own.",
            m.match_count
        ));
    }
    let mut evidence = match m.detail {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let common = json!({
        "matched_upload_id": m.upload_id,
        "matched_contributor_id": m.contributor_id,
        "cross_contributor": cross,
        "match_count": m.match_count,
        "low_signal": low_signal,
        "matches": m.matches,
    });
    if let Value::Object(common) = common {
        evidence.extend(common);
    }
    Finding::new(detector, m.code, score, message).with_evidence(Value::Object(evidence))
}
