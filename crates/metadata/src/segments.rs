//! A JPEG's marker segments up to the first scan: where EXIF (`APP1`),
//! ICC profiles (`APP2`), IPTC (`APP13`) and quantisation tables (`DQT`)
//! live. Every reader here walks them the same way.

/// Iterates `(marker, body)` over the segments after `SOI` and before the
/// first `SOS` (or `EOI`); ends early at anything malformed. Not a JPEG:
/// no segments.
pub(crate) fn segments(jpeg: &[u8]) -> Segments<'_> {
    Segments {
        jpeg,
        pos: if jpeg.starts_with(&[0xFF, 0xD8]) {
            2
        } else {
            jpeg.len()
        },
    }
}

/// See [`segments`].
pub(crate) struct Segments<'a> {
    jpeg: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Segments<'a> {
    type Item = (u8, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let jpeg = self.jpeg;
        // Fill bytes (0xFF runs) may precede a marker.
        while jpeg.get(self.pos) == Some(&0xFF) && jpeg.get(self.pos + 1) == Some(&0xFF) {
            self.pos += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (jpeg.get(self.pos), jpeg.get(self.pos + 1)) else {
            self.pos = jpeg.len();
            return None;
        };
        let len = jpeg
            .get(self.pos + 2..self.pos + 4)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])));
        let body = len.and_then(|len| jpeg.get(self.pos + 4..self.pos + 2 + len));
        match (marker, body) {
            (0xDA | 0xD9, _) | (_, None) => {
                self.pos = jpeg.len();
                None
            }
            (_, Some(body)) => {
                self.pos += 2 + body.len() + 2;
                Some((marker, body))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_segments_until_the_scan_and_stops_at_damage() {
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x04, b'a', b'b', 0xFF, 0xFF, 0xDB, 0x00, 0x03, 7, 0xFF,
            0xDA, 0x00, 0x02,
        ];
        let seen: Vec<(u8, &[u8])> = segments(&jpeg).collect();
        assert_eq!(seen, [(0xE1, &b"ab"[..]), (0xDB, &[7][..])]);
        // A length running past the end ends the walk.
        assert_eq!(segments(&jpeg[..7]).count(), 0);
        assert_eq!(segments(b"not a jpeg").count(), 0);
    }
}
