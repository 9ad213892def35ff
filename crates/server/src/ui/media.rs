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
use bonafide_store::UploadRecord;
use bytes::Bytes;

use super::session::Session;
use crate::{ApiError, AppState};

pub(crate) async fn media(
    State(state): State<AppState>,
    _session: Session,
    Path(upload_id): Path<String>,
) -> Result<Response, ApiError> {
    let bytes = bytes_of(&state, &record(&state, &upload_id).await?).await?;
    let mime = sniff(&bytes).mime();
    if mime.starts_with("image/") || mime.starts_with("video/") {
        Ok(contained(bytes, mime, "inline"))
    } else {
        Ok(contained(bytes, "application/octet-stream", "attachment"))
    }
}

async fn record(state: &AppState, upload_id: &str) -> Result<UploadRecord, ApiError> {
    state
        .engine
        .store()
        .upload(upload_id)
        .await?
        .ok_or(ApiError::NotFound("upload"))
}

async fn bytes_of(state: &AppState, rec: &UploadRecord) -> Result<Bytes, ApiError> {
    Ok(state
        .engine
        .store()
        .blobs
        .get(&rec.blob_key)
        .await
        .map_err(bonafide_store::StoreError::from)?)
}

/// `body` as `content_type`, under the sandbox policy, kept out of every
/// cache (the browser's disk included: a shared reviewing machine keeps
/// nothing after logout).
fn contained(body: impl Into<Body>, content_type: &str, disposition: &'static str) -> Response {
    let mut resp = body.into().into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static(disposition),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; img-src 'self'; media-src 'self'; sandbox"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
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
    let rec = record(&state, &upload_id).await?;
    let pages = rec.media.pages.unwrap_or(0).min(PREVIEW_PAGES);
    if n == 0 || n > pages {
        return Err(ApiError::NotFound("page"));
    }
    let bytes = bytes_of(&state, &rec).await?;
    let png = bonafide_decode::render_page(&bytes, n, &state.engine.config().decode)
        .await
        .map_err(|e| match e.code() {
            // The file's fault: nothing to draw.
            Some(_) => ApiError::NotFound("page"),
            None => ApiError::internal(e),
        })?;
    Ok(contained(png, "image/png", "inline"))
}
