//! The embedded ICC colour profile's description (`desc` tag): cameras and
//! phones embed their own ("Display P3", a maker's sRGB), editors and
//! converters theirs, so it hints at what last wrote the file. JPEG only
//! (`APP2 ICC_PROFILE` chunks, reassembled in sequence order).

const ICC_MARKER: &[u8] = b"ICC_PROFILE\0";

/// The profile description of a JPEG's embedded ICC profile, if any.
pub fn read_icc_description(jpeg: &[u8]) -> Option<String> {
    description(&profile(jpeg)?)
}

/// The reassembled profile.
fn profile(jpeg: &[u8]) -> Option<Vec<u8>> {
    let mut chunks: Vec<(u8, &[u8])> = crate::jpeg_segments(jpeg)
        .filter(|s| s.marker == 0xE2)
        .filter_map(|s| s.body.strip_prefix(ICC_MARKER))
        .filter(|rest| rest.len() >= 2)
        .map(|rest| (rest[0], &rest[2..]))
        .collect();
    if chunks.is_empty() {
        return None;
    }
    chunks.sort_by_key(|&(seq, _)| seq);
    Some(
        chunks
            .into_iter()
            .flat_map(|(_, c)| c.iter().copied())
            .collect(),
    )
}

fn be32(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// The `desc` tag: `desc` type (ICC v2, ASCII) or `mluc` (v4, the first
/// record, UTF-16BE).
fn description(icc: &[u8]) -> Option<String> {
    let count = be32(icc, 128)?;
    let tag = (0..count.min(1024)).find_map(|i| {
        let entry = 132 + 12 * i;
        (icc.get(entry..entry + 4)? == b"desc").then_some(())?;
        Some((be32(icc, entry + 4)?, be32(icc, entry + 8)?))
    })?;
    let data = icc.get(tag.0..tag.0.checked_add(tag.1)?)?;
    let text = match data.get(..4)? {
        b"desc" => {
            let len = be32(data, 8)?;
            let ascii = data.get(12..12 + len)?;
            String::from_utf8_lossy(ascii).into_owned()
        }
        b"mluc" => {
            let (records, size) = (be32(data, 8)?, be32(data, 12)?);
            (records >= 1 && size >= 12).then_some(())?;
            let (len, offset) = (be32(data, 20)?, be32(data, 24)?);
            let utf16: Vec<u16> = data
                .get(offset..offset + len)?
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&utf16)
        }
        _ => return None,
    };
    let text = text.trim_end_matches('\0').trim().to_owned();
    (!text.is_empty()).then_some(text)
}
