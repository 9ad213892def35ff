//! Reverse image search for investigators: `POST /v1/search` with an image
//! as the body; the bank entries (reference corpora, known content) and
//! screened uploads it matches, best first, with scores.

use axum::{
    Json, Router,
    extract::{Query, State},
    routing::post,
};
use bonafide_engine::{SearchOptions, SearchResult};
use bonafide_store::Scope;
use bytes::Bytes;
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::Caller;
use crate::{ApiError, AppState, ErrorBody};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/v1/search", post(search))
}

/// How wide to search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchQuery {
    /// Largest PDQ distance reported (0–64; default 31, the match threshold).
    max_distance: Option<u32>,
    /// Smallest image-embedding cosine reported (0.5–1; default 0.90).
    min_cosine: Option<f32>,
    /// At most this many matches (1–100; default 20).
    limit: Option<usize>,
    /// Only one way of matching: `pdq`, `descriptor` (the copy descriptor,
    /// SSCD) or `embedding` (CLIP) (default all three).
    by: Option<String>,
    /// Whose uploads and rejected bank to search (default the caller's
    /// tenant).
    tenant: Option<String>,
}

/// Finds where an image has been seen: the reference-corpus and bank
/// entries it matches by PDQ (any of eight orientations), by copy
/// descriptor (the whole image, or a region of it — a photo pasted onto
/// another, framed in a screenshot — named in `match.region`) or by image
/// embedding, and the screened uploads it matches by PDQ. Each match has a
/// `score` (0–1: the descriptor's or embedding's cosine, or
/// `1 − distance/128` for PDQ), its source, licence and rights holder, and
/// how it matched. Uploads are one tenant's (`tenant`, default the
/// caller's). Needs the `review` scope; nothing is stored.
#[utoipa::path(
    post, path = "/v1/search", tag = "search", params(SearchQuery),
    request_body(content = Vec<u8>, content_type = "image/*", description = "The image's bytes (JPEG, PNG, WebP, HEIC, …)"),
    responses(
        (status = 200, description = "Matches, best first", body = Object),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, description = "Over the size limit", body = ErrorBody),
        (status = 422, description = "Not a decodable image, or a bad parameter", body = ErrorBody),
    ),
    security(("api_key" = [])),
)]
pub(crate) async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<SearchQuery>,
    body: Bytes,
) -> Result<Json<SearchResult>, ApiError> {
    caller.require(Scope::Review)?;
    let tenant = caller.tenant(q.tenant)?;
    let defaults = SearchOptions::default();
    let bad = |message: String| ApiError::Unprocessable {
        code: "invalid_parameter",
        message,
    };
    let (by_pdq, by_descriptor, by_embedding) = match q.by.as_deref() {
        None => (true, true, true),
        Some("pdq") => (true, false, false),
        Some("descriptor") => (false, true, false),
        Some("embedding") => (false, false, true),
        Some(other) => {
            return Err(bad(format!(
                "by must be pdq, descriptor or embedding, not {other:?}"
            )));
        }
    };
    let options = SearchOptions {
        max_distance: q.max_distance.unwrap_or(defaults.max_distance),
        min_cosine: q.min_cosine.unwrap_or(defaults.min_cosine),
        limit: q.limit.unwrap_or(defaults.limit),
        by_pdq,
        by_embedding,
        by_descriptor,
    };
    if options.max_distance > 64 {
        return Err(bad("max_distance must be 0-64".into()));
    }
    if !(0.5..=1.0).contains(&options.min_cosine) {
        return Err(bad("min_cosine must be 0.5-1".into()));
    }
    if !(1..=100).contains(&options.limit) {
        return Err(bad("limit must be 1-100".into()));
    }
    if body.is_empty() {
        return Err(bad("the request body must be an image".into()));
    }
    Ok(Json(state.engine.search(&tenant, body, options).await?))
}
