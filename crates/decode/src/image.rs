//! Still images: header check, decode to working-resolution luma, EXIF
//! orientation.

use std::{io::Cursor, sync::Arc};

use bonafide_core::{COLOUR_MAX_PIXELS, LumaImage, MediaType, StillImage, WORKING_SIDE};
use image::{
    DynamicImage, ImageBuffer, ImageDecoder, ImageFormat, ImageReader, RgbImage,
    metadata::Orientation,
};

use crate::{DecodeConfig, DecodeError, blocking};

/// `exif_orientation` is the EXIF Orientation the metadata reader found:
/// the JPEG fast path applies it (other formats' decoders read their own).
pub(crate) async fn decode(
    bytes: &bytes::Bytes,
    media_type: MediaType,
    exif_orientation: Option<u16>,
    cfg: &DecodeConfig,
) -> Result<StillImage, DecodeError> {
    // Header-only size check first: a decompression bomb is refused before
    // any decoder allocates (the decoder re-checks what this cannot parse).
    // HEIF's decoder is an external tool that would run unchecked, so its
    // size (the `ispe` boxes) must be readable.
    match imagesize::blob_size(bytes) {
        Ok(size) => check_pixels(
            u32::try_from(size.width).unwrap_or(u32::MAX),
            u32::try_from(size.height).unwrap_or(u32::MAX),
            cfg.limits.max_pixels,
        )?,
        Err(e) if media_type == MediaType::Heif => {
            return Err(DecodeError::Corrupt(format!(
                "HEIF without readable dimensions: {e}"
            )));
        }
        Err(_) => {}
    }
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
    if format == ImageFormat::Jpeg && !crate::jpeg::is_complete(bytes) {
        return Err(DecodeError::Corrupt(
            "truncated JPEG: the image data has no end marker".into(),
        ));
    }
    let bytes = bytes.clone();
    let (max_pixels, keep_colour) = (cfg.limits.max_pixels, cfg.colour);
    blocking(move || {
        if format == ImageFormat::Jpeg
            && let Some((luma, size)) = crate::jpeg::decode_luma(&bytes, WORKING_SIDE, max_pixels)?
        {
            let colour = match keep_colour {
                false => None,
                true => match crate::jpeg::decode_colour(&bytes, COLOUR_MAX_PIXELS, max_pixels)? {
                    Some(colour) => Some(colour),
                    // libjpeg cannot give RGB (CMYK, say): decode in full.
                    None => {
                        return decode_with(&bytes, format, max_pixels)
                            .map(|rgb| still(&rgb, true));
                    }
                },
            };
            let orientation = exif_orientation
                .and_then(|o| u8::try_from(o).ok())
                .and_then(Orientation::from_exif)
                .unwrap_or(Orientation::NoTransforms);
            return Ok(jpeg_still(luma, colour, size, orientation));
        }
        decode_with(&bytes, format, max_pixels).map(|rgb| still(&rgb, keep_colour))
    })
    .await
}

/// The JPEG was decoded at reduced scale and is turned upright here; the
/// displayed size is the stored full size, turned likewise.
fn jpeg_still(
    luma: LumaImage,
    colour: Option<RgbImage>,
    (w, h): (u32, u32),
    orientation: Orientation,
) -> StillImage {
    let (width, height) = if swaps_axes(orientation) {
        (h, w)
    } else {
        (w, h)
    };
    StillImage {
        width,
        height,
        luma: Arc::new(oriented(luma, orientation)),
        colour: colour.map(|c| Arc::new(oriented(c, orientation))),
    }
}

/// Applies an EXIF orientation.
fn oriented<P: image::Pixel + 'static>(
    img: ImageBuffer<P, Vec<P::Subpixel>>,
    o: Orientation,
) -> ImageBuffer<P, Vec<P::Subpixel>> {
    use image::imageops::{flip_horizontal, flip_vertical, rotate90, rotate180, rotate270};
    match o {
        Orientation::NoTransforms => img,
        Orientation::Rotate90 => rotate90(&img),
        Orientation::Rotate180 => rotate180(&img),
        Orientation::Rotate270 => rotate270(&img),
        Orientation::FlipHorizontal => flip_horizontal(&img),
        Orientation::FlipVertical => flip_vertical(&img),
        Orientation::Rotate90FlipH => flip_horizontal(&rotate90(&img)),
        Orientation::Rotate270FlipH => flip_horizontal(&rotate270(&img)),
    }
}

fn swaps_axes(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// A full-size decode as a working image, with its colour when `keep_colour`.
fn still(rgb: &RgbImage, keep_colour: bool) -> StillImage {
    let luma = rgb
        .as_raw()
        .chunks_exact(3)
        .map(|p| luma([p[0], p[1], p[2]]))
        .collect();
    let (width, height) = rgb.dimensions();
    StillImage {
        width,
        height,
        luma: Arc::new(LumaImage::from_raw(width, height, luma).expect("one sample per pixel")),
        colour: keep_colour.then(|| Arc::new(shrunk(rgb, COLOUR_MAX_PIXELS))),
    }
}

/// The image itself, or for one over `max_pixels` a copy shrunk to fit
/// (antialiased).
fn shrunk(rgb: &RgbImage, max_pixels: u64) -> RgbImage {
    let (w, h) = rgb.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if pixels <= max_pixels {
        return rgb.clone();
    }
    let scale = (max_pixels as f64 / pixels as f64).sqrt();
    let fit = |v: u32| ((f64::from(v) * scale) as u32).max(1);
    image::imageops::resize(rgb, fit(w), fit(h), image::imageops::FilterType::Triangle)
}

/// Rec. 601 luma, with the weights and float arithmetic of PDQ's reference
/// (the `image` crate's own grey conversion uses Rec. 709's).
pub(crate) fn luma([r, g, b]: [u8; 3]) -> f32 {
    0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b)
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
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
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
/// libheif applies the container's rotation itself. [`decode`] has checked
/// the container's `ispe` sizes against the pixel limit.
async fn heif(bytes: &bytes::Bytes, cfg: &DecodeConfig) -> Result<StillImage, DecodeError> {
    let dir = tempfile::tempdir().map_err(|e| DecodeError::Tool(e.to_string()))?;
    let input = dir.path().join("in.heic");
    let output = dir.path().join("out.png");
    tokio::fs::write(&input, bytes)
        .await
        .map_err(|e| DecodeError::Tool(e.to_string()))?;
    let mut cmd = tokio::process::Command::new(&cfg.heif_convert);
    cmd.arg("--quiet").arg(&input).arg(&output);
    let out = crate::tool::run(cmd, &cfg.heif_convert, cfg, crate::tool::REPORT_CAP).await?;
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
    let (max_pixels, keep_colour) = (cfg.limits.max_pixels, cfg.colour);
    crate::blocking(move || {
        decode_with(&png, ImageFormat::Png, max_pixels).map(|rgb| still(&rgb, keep_colour))
    })
    .await
}
