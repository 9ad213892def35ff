//! Byte-level forgeries of a camera JPEG's EXIF — what tools like exiftool
//! do for a fraudster: edit a date or the camera in place, drop the EXIF
//! block, swap the embedded thumbnail. Only edits that keep every offset
//! valid (same-size values, padded), so the rest of the file is untouched.

use std::ops::Range;

/// EXIF tags edited here.
pub mod tag {
    /// IFD0 `Make`.
    pub const MAKE: u16 = 0x010F;
    /// IFD0 `Model`.
    pub const MODEL: u16 = 0x0110;
    /// IFD0 `DateTime` (modify date).
    pub const DATE_TIME: u16 = 0x0132;
    /// Exif IFD `DateTimeOriginal`.
    pub const DATE_TIME_ORIGINAL: u16 = 0x9003;
    /// Exif IFD `DateTimeDigitized`.
    pub const DATE_TIME_DIGITIZED: u16 = 0x9004;
}

const EXIF_IFD_POINTER: u16 = 0x8769;
const THUMBNAIL_OFFSET: u16 = 0x0201;
const THUMBNAIL_LENGTH: u16 = 0x0202;

/// The `APP1 Exif` segment of a JPEG and its TIFF header.
struct Block {
    /// The whole segment, marker included.
    segment: Range<usize>,
    /// Where the TIFF header starts (offsets count from here).
    tiff: usize,
    little_endian: bool,
}

/// One IFD entry.
struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    /// Absolute position of the value (inline or at its offset).
    value: usize,
}

fn block(jpeg: &[u8]) -> Option<Block> {
    let app1 = bonafide_metadata::jpeg_segments(jpeg)
        .find(|s| s.marker == 0xE1 && s.body.starts_with(b"Exif\0\0"))?;
    let tiff = app1.start + 10;
    Some(Block {
        segment: app1.start..app1.end(),
        tiff,
        little_endian: jpeg.get(tiff..tiff + 2)? == b"II",
    })
}

impl Block {
    fn u16(&self, jpeg: &[u8], at: usize) -> Option<u16> {
        let b = jpeg.get(at..at + 2)?;
        Some(if self.little_endian {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        })
    }

    fn u32(&self, jpeg: &[u8], at: usize) -> Option<u32> {
        let b: [u8; 4] = jpeg.get(at..at + 4)?.try_into().ok()?;
        Some(if self.little_endian {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    /// The entries of the IFD at TIFF offset `ifd`, and the next IFD's
    /// offset (0 for none).
    fn ifd(&self, jpeg: &[u8], ifd: u32) -> Option<(Vec<Entry>, u32)> {
        let start = self.tiff + ifd as usize;
        let n = usize::from(self.u16(jpeg, start)?);
        let mut entries = Vec::with_capacity(n);
        for i in 0..n {
            let at = start + 2 + 12 * i;
            let (kind, count) = (self.u16(jpeg, at + 2)?, self.u32(jpeg, at + 4)?);
            let size = match kind {
                3 => 2,
                4 | 9 => 4,
                5 | 10 => 8,
                _ => 1,
            } * count as usize;
            let value = if size <= 4 {
                at + 8
            } else {
                self.tiff + self.u32(jpeg, at + 8)? as usize
            };
            entries.push(Entry {
                tag: self.u16(jpeg, at)?,
                kind,
                count,
                value,
            });
        }
        let next = self.u32(jpeg, start + 2 + 12 * n)?;
        Some((entries, next))
    }

    /// IFD0's entries, then the Exif IFD's.
    fn camera_entries(&self, jpeg: &[u8]) -> Option<Vec<Entry>> {
        let (mut entries, _) = self.ifd(jpeg, self.u32(jpeg, self.tiff + 4)?)?;
        let exif_ifd = entries
            .iter()
            .find(|e| e.tag == EXIF_IFD_POINTER)
            .and_then(|e| self.u32(jpeg, e.value));
        if let Some(offset) = exif_ifd
            && let Some((exif, _)) = self.ifd(jpeg, offset)
        {
            entries.extend(exif);
        }
        Some(entries)
    }
}

/// Where an ASCII tag's text is (its full count, NUL included).
pub fn ascii(jpeg: &[u8], tag: u16) -> Option<Range<usize>> {
    let b = block(jpeg)?;
    let e = b
        .camera_entries(jpeg)?
        .into_iter()
        .find(|e| e.tag == tag && e.kind == 2)?;
    let range = e.value..e.value + e.count as usize;
    (range.end <= b.segment.end).then_some(range)
}

/// Overwrites an ASCII tag with `text`, NUL-padded to its size; `None`
/// when the tag is missing or `text` does not fit.
pub fn set_ascii(jpeg: &mut [u8], tag: u16, text: &str) -> Option<()> {
    let range = ascii(jpeg, tag)?;
    if text.len() >= range.len() {
        return None;
    }
    let field = &mut jpeg[range];
    field.fill(0);
    field[..text.len()].copy_from_slice(text.as_bytes());
    Some(())
}

/// The embedded (IFD1) JPEG thumbnail's bytes.
pub fn thumbnail(jpeg: &[u8]) -> Option<Range<usize>> {
    let b = block(jpeg)?;
    let (_, ifd1) = b.ifd(jpeg, b.u32(jpeg, b.tiff + 4)?)?;
    if ifd1 == 0 {
        return None;
    }
    let (entries, _) = b.ifd(jpeg, ifd1)?;
    let value = |tag| {
        let e = entries.iter().find(|e| e.tag == tag)?;
        match e.kind {
            3 => b.u16(jpeg, e.value).map(u32::from),
            _ => b.u32(jpeg, e.value),
        }
    };
    let start = b.tiff + value(THUMBNAIL_OFFSET)? as usize;
    let range = start..start + value(THUMBNAIL_LENGTH)? as usize;
    (range.end <= b.segment.end && jpeg.get(range.clone())?.starts_with(&[0xFF, 0xD8]))
        .then_some(range)
}

/// The JPEG without its EXIF segment.
pub fn strip_exif(jpeg: &[u8]) -> Option<Vec<u8>> {
    let b = block(jpeg)?;
    Some([&jpeg[..b.segment.start], &jpeg[b.segment.end..]].concat())
}

/// `pixels` (a complete JPEG) carrying `donor`'s EXIF segment, as a tool
/// that re-encodes and copies the metadata across writes it.
pub fn with_exif_of(pixels: &[u8], donor: &[u8]) -> Option<Vec<u8>> {
    let b = block(donor)?;
    let stripped = strip_exif(pixels).unwrap_or_else(|| pixels.to_vec());
    Some([&stripped[..2], &donor[b.segment], &stripped[2..]].concat())
}
