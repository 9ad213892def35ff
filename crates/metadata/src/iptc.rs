//! IPTC-IIM: the press-photo fields (by-line, credit, copyright, source)
//! that agencies and stock libraries write, in a JPEG's `APP13` Photoshop
//! resource block (resource `0x0404`). A stock photo resubmitted as one's
//! own often still carries its agency's credit here.

use serde::Serialize;

/// The IPTC fields Bonafide reads (record 2, the application record).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Iptc {
    /// 2:80 By-line (the creator).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_line: Vec<String>,
    /// 2:110 Credit (the provider, e.g. an agency).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    /// 2:115 Source (the original owner).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// 2:116 Copyright Notice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    /// 2:05 Object Name (title).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_name: Option<String>,
    /// 2:120 Caption/Abstract.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// 2:25 Keywords.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// 2:55 Date Created (`CCYYMMDD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
}

impl Iptc {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

const PHOTOSHOP: &[u8] = b"Photoshop 3.0\0";
const IPTC_RESOURCE: u16 = 0x0404;

/// Reads the IPTC fields of a JPEG; `None` when there are none. Malformed
/// blocks are read as far as they go.
pub fn read_iptc(jpeg: &[u8]) -> Option<Iptc> {
    let mut iptc = Iptc::default();
    for block in app13_blocks(jpeg) {
        for resource in resources(block) {
            read_datasets(resource, &mut iptc);
        }
    }
    (!iptc.is_empty()).then_some(iptc)
}

/// The bodies of the `APP13 Photoshop 3.0` segments, before the first scan.
fn app13_blocks(jpeg: &[u8]) -> impl Iterator<Item = &[u8]> {
    crate::jpeg_segments(jpeg)
        .filter(|s| s.marker == 0xED)
        .filter_map(|s| s.body.strip_prefix(PHOTOSHOP))
}

/// The IPTC-NAA resources (`8BIM`, id 0x0404) of a Photoshop block.
fn resources(mut block: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while block.len() >= 12 && &block[..4] == b"8BIM" {
        let id = u16::from_be_bytes([block[4], block[5]]);
        // A Pascal string name, padded to an even length.
        let name_len = usize::from(block[6]);
        let after_name = 6 + (name_len + 2) / 2 * 2;
        let Some(size) = block
            .get(after_name..after_name + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        else {
            break;
        };
        let start = after_name + 4;
        let Some(data) = block.get(start..start + size) else {
            break;
        };
        if id == IPTC_RESOURCE {
            out.push(data);
        }
        block = block.get(start + size + size % 2..).unwrap_or_default();
    }
    out
}

/// IIM datasets: `0x1C record dataset length data`.
fn read_datasets(mut data: &[u8], iptc: &mut Iptc) {
    while data.len() >= 5 && data[0] == 0x1C {
        let (record, dataset) = (data[1], data[2]);
        let len = usize::from(u16::from_be_bytes([data[3], data[4]]));
        if len & 0x8000 != 0 {
            // Extended lengths are for binary objects, not these fields.
            break;
        }
        let Some(value) = data.get(5..5 + len) else {
            break;
        };
        if record == 2 {
            let text = text(value);
            match dataset {
                5 => iptc.object_name = Some(text),
                25 => iptc.keywords.push(text),
                55 => iptc.date_created = Some(text),
                80 => iptc.by_line.push(text),
                110 => iptc.credit = Some(text),
                115 => iptc.source = Some(text),
                116 => iptc.copyright = Some(text),
                120 => iptc.caption = Some(text),
                _ => {}
            }
        }
        data = &data[5 + len..];
    }
}

/// IIM text is UTF-8 by modern convention and Latin-1 before it.
fn text(bytes: &[u8]) -> String {
    let trimmed = bytes
        .iter()
        .rposition(|&b| b != 0 && b != b' ')
        .map_or(&bytes[..0], |end| &bytes[..=end]);
    match std::str::from_utf8(trimmed) {
        Ok(s) => s.to_owned(),
        Err(_) => trimmed.iter().map(|&b| char::from(b)).collect(),
    }
}
