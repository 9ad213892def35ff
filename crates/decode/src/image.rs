//! Still images: header check, full decode, EXIF orientation.

use std::{io::Cursor, sync::Arc};

use bonafide_core::MediaType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbImage};

use crate::{DecodeConfig, DecodeError, blocking};

pub(crate) async fn decode(
    bytes: &bytes::Bytes,
    media_type: MediaType,
    cfg: &DecodeConfig,
) -> Result<Arc<RgbImage>, DecodeError> {
    if media_type == MediaType::Heif {
        return heif(bytes, cfg).await;
    }
    let format = match media_type {
        MediaType::Jpeg => ImageFormat::Jpeg,
        MediaType::Png => ImageFormat::Png,
        MediaType::Webp => ImageFormat::WebP,
        MediaType::Gif => ImageFormat::Gif,
        MediaType::Tiff => ImageFormat::Tiff,
        MediaType::Bmp => ImageFormat::Bmp,
        other => {
            return Err(DecodeError::Unsupported(format!(
                "{other:?} is not an image"
            )));
        }
    };
    // Header-only size check first: a decompression bomb is refused before
    // any decoder allocates (the decoder re-checks what this cannot parse).
    if let Ok(size) = imagesize::blob_size(bytes) {
        check_pixels(size.width as u32, size.height as u32, cfg.limits.max_pixels)?;
    }
    if format == ImageFormat::Jpeg && !crate::jpeg::is_complete(bytes) {
        return Err(DecodeError::Corrupt(
            "truncated JPEG: the image data has no end marker".into(),
        ));
    }
    let bytes = bytes.clone();
    let max_pixels = cfg.limits.max_pixels;
    blocking(move || decode_with(&bytes, format, max_pixels).map(Arc::new)).await
}

/// Decodes in-process with the `image` crate. The dimensions are read from
/// the header first, so a bomb is refused before any pixel buffer exists.
pub(crate) fn decode_with(
    bytes: &[u8],
    format: ImageFormat,
    max_pixels: u64,
) -> Result<RgbImage, DecodeError> {
    let reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (w, h) = decoder.dimensions();
    check_pixels(w, h, max_pixels)?;
    let mut limits = image::Limits::default();
    // Room for the decoded buffer at 16 bits/channel RGBA plus decoder scratch.
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 << 20));
    decoder
        .set_limits(limits)
        .map_err(|e| DecodeError::TooLarge(e.to_string()))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    img.apply_orientation(orientation);
    Ok(img.into_rgb8())
}

pub(crate) fn check_pixels(w: u32, h: u32, max_pixels: u64) -> Result<(), DecodeError> {
    if w == 0 || h == 0 {
        return Err(DecodeError::Corrupt(format!(
            "image declares {w}x{h} pixels"
        )));
    }
    let pixels = u64::from(w) * u64::from(h);
    if pixels > max_pixels {
        return Err(DecodeError::TooLarge(format!(
            "{w}x{h} = {pixels} pixels is over the {max_pixels} pixel limit"
        )));
    }
    Ok(())
}

fn corrupt(e: image::ImageError) -> DecodeError {
    match e {
        image::ImageError::Limits(l) => DecodeError::TooLarge(l.to_string()),
        image::ImageError::Unsupported(u) => DecodeError::Unsupported(u.to_string()),
        other => DecodeError::Corrupt(other.to_string()),
    }
}

/// HEIC/HEIF/AVIF go through libheif's `heif-convert` (Debian's libheif is
/// too old to link against, and its tool is enough): decode to PNG, read back.
/// libheif applies the container's rotation itself.
async fn heif(bytes: &bytes::Bytes, cfg: &DecodeConfig) -> Result<Arc<RgbImage>, DecodeError> {
    let dir = tempfile::tempdir().map_err(|e| DecodeError::Tool(e.to_string()))?;
    let input = dir.path().join("in.heic");
    let output = dir.path().join("out.png");
    tokio::fs::write(&input, bytes)
        .await
        .map_err(|e| DecodeError::Tool(e.to_string()))?;
    let out = tokio::process::Command::new(&cfg.heif_convert)
        .arg("--quiet")
        .arg(&input)
        .arg(&output)
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| DecodeError::Tool(format!("{}: {e}", cfg.heif_convert.display())))?;
    if !out.status.success() || !output.exists() {
        let msg = String::from_utf8_lossy(&out.stderr);
        return Err(DecodeError::Corrupt(format!(
            "HEIF decode failed: {}",
            msg.trim()
        )));
    }
    let png = tokio::fs::read(&output)
        .await
        .map_err(|e| DecodeError::Tool(e.to_string()))?;
    let max_pixels = cfg.limits.max_pixels;
    crate::blocking(move || decode_with(&png, ImageFormat::Png, max_pixels).map(Arc::new)).await
}
