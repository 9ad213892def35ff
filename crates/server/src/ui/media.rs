//! Uploads shown to reviewers. Only logged-in reviewers get them; the type
//! is the one the bytes were sniffed as (never the uploader's claim), with
//! `nosniff`, and anything but an image or video is sent as a download —
//! PDFs too, which the UI shows as pictures of their first pages
//! ([`page`]) instead of handing them to the browser's PDF viewer. The
//! sandbox policy keeps a hostile file from running script in our origin
//! even if a browser renders it directly.

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use bonafide_ingest::sniff;

use super::session::Session;
use crate::http::{ApiError, AppState};

pub(crate) async fn media(
    State(state): State<AppState>,
    _session: Session,
    Path(upload_id): Path<String>,
) -> Result<Response, ApiError> {
    let store = state.engine.store();
    let rec = store
        .upload(&upload_id)
        .await?
        .ok_or(ApiError::NotFound("upload"))?;
    let bytes = store
        .blobs
        .get(&rec.blob_key)
        .await
        .map_err(bonafide_store::StoreError::from)?;
    let mime = sniff(&bytes).mime();
    let inline = mime.starts_with("image/") || mime.starts_with("video/");
    let mut resp = Body::from(bytes).into_response();
    let h = resp.headers_mut();
    let content_type = if inline {
        mime
    } else {
        "application/octet-stream"
    };
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static(if inline { "inline" } else { "attachment" }),
    );
    h.insert(header::CONTENT_SECURITY_POLICY, sandboxed());
    // Contributors' files stay out of every cache, the browser's disk
    // included: a shared reviewing machine keeps nothing after logout.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

fn sandboxed() -> HeaderValue {
    HeaderValue::from_static("default-src 'none'; img-src 'self'; media-src 'self'; sandbox")
}

/// Pages of a PDF the review UI draws: enough to see what it is.
pub(crate) const PREVIEW_PAGES: u32 = 3;

/// Page `n` (from 1, at most [`PREVIEW_PAGES`]) of an uploaded PDF as a
/// PNG, drawn by Poppler under the tool runner's time and memory limits.
pub(crate) async fn page(
    State(state): State<AppState>,
    _session: Session,
    Path((upload_id, n)): Path<(String, u32)>,
) -> Result<Response, ApiError> {
    let store = state.engine.store();
    let rec = store
        .upload(&upload_id)
        .await?
        .ok_or(ApiError::NotFound("upload"))?;
    let pages = rec.media.pages.unwrap_or(0).min(PREVIEW_PAGES);
    if n == 0 || n > pages {
        return Err(ApiError::NotFound("page"));
    }
    let bytes = store
        .blobs
        .get(&rec.blob_key)
        .await
        .map_err(bonafide_store::StoreError::from)?;
    let png = bonafide_decode::render_page(&bytes, n, &state.engine.config().decode)
        .await
        .map_err(|e| match e.code() {
            // The file's fault: nothing to draw.
            Some(_) => ApiError::NotFound("page"),
            None => ApiError::internal(e),
        })?;
    let mut resp = Body::from(png).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(header::CONTENT_SECURITY_POLICY, sandboxed());
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}
