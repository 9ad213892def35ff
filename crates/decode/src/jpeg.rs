//! JPEG structure checks the pixel decoder does not make.
//!
//! The `image` crate's decoder pads a truncated scan with grey and reports
//! success, so an upload cut off mid-transfer would pass as a photo. A
//! complete JPEG has an end-of-image marker after its first scan.

/// Whether the JPEG's entropy-coded data is followed by an EOI marker.
///
/// Walks the marker segments to the first start-of-scan (skipping APPn
/// segments, whose embedded EXIF thumbnail has an EOI of its own), then
/// looks for `FF D9`: inside scan data a literal `FF` is always followed by
/// `00` or a restart marker, so `FF D9` there can only be the real end.
/// Data after the EOI (camera trailers, motion-photo videos) is allowed.
pub(crate) fn is_complete(bytes: &[u8]) -> bool {
    let Some(mut pos) = bytes.starts_with(&[0xFF, 0xD8]).then_some(2) else {
        return false;
    };
    loop {
        // Markers may be preceded by fill bytes (0xFF).
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(pos), bytes.get(pos + 1)) else {
            return false;
        };
        let Some(len) = bytes
            .get(pos + 2..pos + 4)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
        else {
            return false;
        };
        let next = pos + 2 + len;
        if marker == 0xDA {
            return bytes
                .get(next..)
                .is_some_and(|scan| scan.windows(2).any(|w| w == [0xFF, 0xD9]));
        }
        if marker == 0xD9 || len < 2 {
            return false;
        }
        pos = next;
    }
}

#[cfg(test)]
mod tests {
    use super::is_complete;

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
}
