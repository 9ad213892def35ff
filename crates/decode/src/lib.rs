//! Decode: turns an upload's bytes into the [`Artefacts`] every detector
//! shares — an oriented RGB image, probed and sampled video frames, or a
//! document's pages and text — exactly once per upload.
//!
//! Limits are enforced from headers and probes before a full decode. A file
//! that cannot be decoded is a property of the upload ([`DecodeError::code`]
//! names the finding), except [`DecodeError::Tool`], which is ours (a missing
//! `ffmpeg`, a full disk) and means "retry later".
#![deny(missing_docs)]

use bonafide_core::{Artefacts, MediaKind, MediaType};
use bytes::Bytes;

pub use crate::{config::DecodeConfig, error::DecodeError, poppler::render_page};

mod config;
mod document;
mod error;
mod image;
mod jpeg;
mod poppler;
mod tool;
mod video;

/// Decodes `bytes` of the sniffed `media_type` into artefacts.
pub async fn decode(
    bytes: Bytes,
    media_type: MediaType,
    cfg: &DecodeConfig,
) -> Result<Artefacts, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if bytes.len() as u64 > cfg.limits.max_bytes {
        return Err(DecodeError::TooLarge(format!(
            "{} bytes is over the {} byte limit",
            bytes.len(),
            cfg.limits.max_bytes
        )));
    }
    let mut art = Artefacts::empty(media_type, bytes);
    let Some(kind) = media_type.kind() else {
        return Err(DecodeError::Unsupported("unrecognised file format".into()));
    };
    // Metadata first: the JPEG path takes its orientation from it. Videos
    // and PDFs carry XMP too. Parsing an uploader's file is CPU work: off
    // the async threads, like every decoder.
    let bytes = art.bytes.clone();
    art.metadata = blocking(move || Ok(bonafide_metadata::read(&bytes))).await?;
    match kind {
        MediaKind::Image => {
            let orientation = art.metadata.exif.as_ref().and_then(|e| e.orientation);
            art.image = Some(image::decode(&art.bytes, media_type, orientation, cfg).await?);
        }
        MediaKind::Video => art.video = Some(video::decode(&art.bytes, media_type, cfg).await?),
        MediaKind::Document => art.document = Some(document::decode(&art.bytes, cfg).await?),
    }
    Ok(art)
}

/// Runs blocking decode work off the async threads, turning a panic inside a
/// third-party decoder into a `media.corrupt` error instead of a dead worker.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, DecodeError> + Send + 'static,
) -> Result<T, DecodeError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) if e.is_panic() => Err(DecodeError::Corrupt(
            "the decoder gave up on this file".into(),
        )),
        Err(e) => Err(DecodeError::Tool(e.to_string())),
    }
}
