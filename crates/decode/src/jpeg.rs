//! JPEGs: the structure check the pixel decoders do not make, and the fast
//! path that decodes only the luma channel at a reduced DCT scale.
//!
//! The `image` crate's decoder pads a truncated scan with grey and reports
//! success, so an upload cut off mid-transfer would pass as a photo. A
//! complete JPEG has an end-of-image marker after its first scan.

use bonafide_core::LumaImage;
use image::RgbImage;

use crate::DecodeError;

/// Luma at reduced scale, with the stored full size (width, height).
pub(crate) type Scaled = (LumaImage, (u32, u32));

/// Decodes to luma with libjpeg-turbo's DCT scaling, at the smallest scale
/// n/8 whose long side is still at least `min_side`: at scale n/8 the
/// inverse DCT makes n×n pixels per block instead of 8×8. The entropy
/// decoding of every coefficient remains, and is most of what is left.
///
/// At full scale the colour is decoded and converted as the reference's
/// own callers do (libjpeg RGB, then Rec. 601 luma), so small images hash
/// exactly as upstream's test vectors say. When scaling down, the pixels
/// differ from any full-size pipeline's anyway, and the stored luma
/// channel (JFIF's Y is Rec. 601 luma) is taken directly, skipping the
/// colour channels' inverse transforms.
///
/// Returns the luma with the full-size (stored, unrotated) dimensions;
/// `None` when libjpeg cannot deliver these (CMYK, arithmetic coding):
/// the caller decodes in full instead.
pub(crate) fn decode_luma(
    bytes: &[u8],
    min_side: u32,
    max_pixels: u64,
) -> Result<Option<Scaled>, DecodeError> {
    with_decompress(bytes, max_pixels, |mut jpeg, (w, h)| {
        let scale = scale_eighths(w.max(h), min_side);
        jpeg.scale(scale);
        if scale == 8 {
            let mut started = jpeg.rgb().ok()?;
            let (w, h) = (started.width() as u32, started.height() as u32);
            let rgb = started.read_scanlines::<[u8; 3]>().ok()?;
            LumaImage::from_raw(w, h, rgb.iter().map(|&p| crate::image::luma(p)).collect())
        } else {
            let mut started = jpeg.grayscale().ok()?;
            let (w, h) = (started.width() as u32, started.height() as u32);
            let grey = started.read_scanlines::<u8>().ok()?;
            LumaImage::from_raw(w, h, grey.iter().map(|&v| f32::from(v)).collect())
        }
    })
}

/// Decodes to RGB at full size, or at the largest DCT scale n/8 with at
/// most `colour_pixels` pixels. Stored orientation, like [`decode_luma`];
/// `None` when libjpeg cannot deliver RGB.
pub(crate) fn decode_colour(
    bytes: &[u8],
    colour_pixels: u64,
    max_pixels: u64,
) -> Result<Option<RgbImage>, DecodeError> {
    let colour = with_decompress(bytes, max_pixels, |mut jpeg, (w, h)| {
        let pixels_at = |n: u64| u64::from(w) * n / 8 * (u64::from(h) * n / 8);
        let scale = (1..=8u8)
            .rev()
            .find(|&n| pixels_at(u64::from(n)) <= colour_pixels);
        jpeg.scale(scale.unwrap_or(1));
        let mut started = jpeg.rgb().ok()?;
        let (w, h) = (started.width() as u32, started.height() as u32);
        let rgb = started.read_scanlines::<[u8; 3]>().ok()?;
        RgbImage::from_raw(w, h, rgb.into_iter().flatten().collect())
    })?;
    Ok(colour.map(|(img, _)| img))
}

/// A decoding result with the JPEG's full (stored) size.
type WithSize<T> = (T, (u32, u32));

/// Opens the JPEG, checks its pixel count against the limit and hands it to
/// `read`, with its full (stored) size, which comes back with the result.
/// libjpeg reports errors by unwinding through the `mozjpeg` wrapper: a
/// panic, like `read` giving up, is `None`.
fn with_decompress<T>(
    bytes: &[u8],
    max_pixels: u64,
    read: impl FnOnce(mozjpeg::Decompress<&[u8]>, (u32, u32)) -> Option<T>,
) -> Result<Option<WithSize<T>>, DecodeError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(
        || -> Result<Option<WithSize<T>>, DecodeError> {
            let Ok(jpeg) = mozjpeg::Decompress::new_mem(bytes) else {
                return Ok(None);
            };
            let full = (jpeg.width() as u32, jpeg.height() as u32);
            crate::image::check_pixels(full.0, full.1, max_pixels)?;
            Ok(read(jpeg, full).map(|t| (t, full)))
        },
    ))
    .unwrap_or(Ok(None))
}

/// The smallest n in 1..=8 with `ceil(long_side × n / 8) ≥ min_side`
/// (8 when the image is smaller than that already).
fn scale_eighths(long_side: u32, min_side: u32) -> u8 {
    (1..=8u8)
        .find(|&n| (long_side * u32::from(n)).div_ceil(8) >= min_side)
        .unwrap_or(8)
}

/// Whether the JPEG's entropy-coded data is followed by an EOI marker.
///
/// Walks the marker segments to the first start-of-scan (skipping APPn
/// segments, whose embedded EXIF thumbnail has an EOI of its own), then
/// looks for `FF D9`: inside scan data a literal `FF` is always followed by
/// `00` or a restart marker, so `FF D9` there can only be the real end.
/// Data after the EOI (camera trailers, motion-photo videos) is allowed.
pub(crate) fn is_complete(bytes: &[u8]) -> bool {
    bonafide_metadata::jpeg_segments(bytes)
        .find(|s| s.marker == 0xDA)
        .and_then(|sos| bytes.get(sos.end()..))
        // From the end: the EOI is nearly always the last two bytes.
        .is_some_and(|scan| scan.windows(2).rev().any(|w| w == [0xFF, 0xD9]))
}

#[cfg(test)]
mod tests {
    use super::{decode_luma, is_complete, scale_eighths};

    fn encoded() -> Vec<u8> {
        let img = image::RgbImage::from_fn(64, 48, |x, y| {
            image::Rgb([(x * 4) as u8, (y * 5) as u8, 128])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut out)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn complete_and_truncated() {
        let full = encoded();
        assert!(is_complete(&full));
        let mut trailer = full.clone();
        trailer.extend_from_slice(b"camera trailer data");
        assert!(is_complete(&trailer), "data after EOI is fine");
        assert!(!is_complete(&full[..full.len() - 2]));
        assert!(!is_complete(&full[..full.len() / 2]));
        assert!(!is_complete(b"\xFF\xD8"));
        assert!(!is_complete(b"not a jpeg"));
    }

    #[test]
    fn scale_keeps_the_long_side_at_the_working_size() {
        assert_eq!(scale_eighths(4000, 512), 2); // 1000 px
        assert_eq!(scale_eighths(4096, 512), 1); // 512 px
        assert_eq!(scale_eighths(1024, 512), 4);
        assert_eq!(scale_eighths(640, 512), 7); // 560 px
        assert_eq!(scale_eighths(300, 512), 8);
    }

    #[test]
    fn luma_at_reduced_scale() {
        let img = image::RgbImage::from_fn(1600, 1200, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode_image(&img)
            .unwrap();
        let (luma, size) = decode_luma(&jpeg, 512, u64::MAX).unwrap().unwrap();
        assert_eq!((luma.dimensions(), size), ((600, 450), (1600, 1200)));
        let (full, _) = decode_luma(&jpeg, 2000, u64::MAX).unwrap().unwrap();
        assert_eq!(full.dimensions(), (1600, 1200));
        assert!(decode_luma(&jpeg, 512, 1000).is_err(), "pixel limit");
        assert!(
            decode_luma(b"\xFF\xD8garbage", 512, u64::MAX)
                .unwrap()
                .is_none()
        );
    }
}
