//! Uploads shown to reviewers. Only logged-in reviewers get them; the type
//! is the one the bytes were sniffed as (never the uploader's claim), with
//! `nosniff`, and anything but an image, video or PDF is sent as a download.
//! The sandbox policy keeps a hostile file from running script in our
//! origin even if a browser renders it directly.

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
    let inline =
        mime.starts_with("image/") || mime.starts_with("video/") || mime == "application/pdf";
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
    if mime != "application/pdf" {
        // Chromium's PDF viewer does not run in a sandboxed document.
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
            ),
        );
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(resp)
}
