//! A JPEG's marker segments up to its first scan: where EXIF (`APP1`), ICC
//! profiles (`APP2`), IPTC (`APP13`) and quantisation tables (`DQT`) live,
//! and where the entropy-coded data begins. Every JPEG reader in Bonafide
//! walks them through this one iterator.

/// One marker segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The marker's second byte (`0xE1` for APP1, `0xDA` for SOS, …).
    pub marker: u8,
    /// Offset of the segment's `0xFF` marker byte in the file.
    pub start: usize,
    /// The segment's payload, after its two length bytes.
    pub body: &'a [u8],
}

impl Segment<'_> {
    /// Offset just past the segment (for SOS: where scan data begins).
    pub fn end(&self) -> usize {
        self.start + 4 + self.body.len()
    }
}

/// Iterates the segments after `SOI`, up to and including the first `SOS`;
/// ends early at `EOI` or anything malformed. Not a JPEG: no segments.
pub fn jpeg_segments(jpeg: &[u8]) -> Segments<'_> {
    Segments {
        jpeg,
        pos: if jpeg.starts_with(&[0xFF, 0xD8]) {
            2
        } else {
            jpeg.len()
        },
    }
}

/// See [`jpeg_segments`].
#[derive(Debug, Clone)]
pub struct Segments<'a> {
    jpeg: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let jpeg = self.jpeg;
        // Fill bytes (0xFF runs) may precede a marker.
        while jpeg.get(self.pos) == Some(&0xFF) && jpeg.get(self.pos + 1) == Some(&0xFF) {
            self.pos += 1;
        }
        let start = self.pos;
        self.pos = jpeg.len();
        let (Some(&0xFF), Some(&marker)) = (jpeg.get(start), jpeg.get(start + 1)) else {
            return None;
        };
        if marker == 0xD9 {
            return None;
        }
        let len = usize::from(u16::from_be_bytes(
            jpeg.get(start + 2..start + 4)?.try_into().ok()?,
        ));
        let body = jpeg.get(start + 4..(start + 2 + len).max(start + 4))?;
        if len < 2 {
            return None;
        }
        let segment = Segment {
            marker,
            start,
            body,
        };
        if marker != 0xDA {
            self.pos = segment.end();
        }
        Some(segment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_segments_to_the_scan_and_stops_at_damage() {
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x04, b'a', b'b', 0xFF, 0xFF, 0xDB, 0x00, 0x03, 7, 0xFF,
            0xDA, 0x00, 0x02, 0x12, 0xFF, 0xD9,
        ];
        let seen: Vec<(u8, &[u8], usize)> = jpeg_segments(&jpeg)
            .map(|s| (s.marker, s.body, s.start))
            .collect();
        assert_eq!(
            seen,
            [
                (0xE1, &b"ab"[..], 2),
                (0xDB, &[7][..], 9),
                (0xDA, &[][..], 14)
            ]
        );
        assert_eq!(jpeg_segments(&jpeg).last().unwrap().end(), 18);
        // A length running past the end ends the walk.
        assert_eq!(jpeg_segments(&jpeg[..7]).count(), 0);
        assert_eq!(jpeg_segments(b"not a jpeg").count(), 0);
    }
}
