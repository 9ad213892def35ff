//! PNG text chunks (`tEXt`, and `iTXt` when not compressed): where
//! screenshot tools, AI generators (prompt and sampler settings) and
//! editors leave their names.

use std::collections::BTreeMap;

/// The keyword → text pairs of a PNG's uncompressed text chunks; `None`
/// for anything that is not a PNG. Compressed chunks (`zTXt`, compressed
/// `iTXt`) are listed by keyword with the text `"(compressed)"`.
pub fn read_png_text(bytes: &[u8]) -> Option<BTreeMap<String, String>> {
    let mut rest = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    let mut text = BTreeMap::new();
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let kind = &rest[4..8];
        let Some(data) = rest.get(8..8 + len) else {
            break;
        };
        match kind {
            b"tEXt" => {
                if let Some((key, value)) = split_nul(data) {
                    text.insert(latin1(key), latin1(value));
                }
            }
            b"zTXt" => {
                if let Some((key, _)) = split_nul(data) {
                    text.insert(latin1(key), "(compressed)".to_owned());
                }
            }
            b"iTXt" => {
                // keyword\0 compressed method lang\0 translated\0 text
                if let Some((key, after)) = split_nul(data)
                    && let [compressed, _method, tail @ ..] = after
                    && let Some((_lang, tail)) = split_nul(tail)
                    && let Some((_translated, value)) = split_nul(tail)
                {
                    let value = if *compressed == 0 {
                        String::from_utf8_lossy(value).into_owned()
                    } else {
                        "(compressed)".to_owned()
                    };
                    text.insert(String::from_utf8_lossy(key).into_owned(), value);
                }
            }
            b"IEND" => break,
            _ => {}
        }
        // length, type, data, CRC
        rest = rest.get(12 + len..)?;
    }
    Some(text)
}

fn split_nul(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = data.iter().position(|&b| b == 0)?;
    Some((&data[..at], &data[at + 1..]))
}

/// `tEXt` is Latin-1.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0; 4]);
        c
    }

    #[test]
    fn text_chunks() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"tEXt", b"Software\0Greenshot"));
        png.extend(chunk(b"iTXt", b"parameters\0\0\0\0\0a cat, steps: 20"));
        png.extend(chunk(b"zTXt", b"Comment\0\0xyz"));
        png.extend(chunk(b"IEND", b""));
        let text = read_png_text(&png).unwrap();
        assert_eq!(text["Software"], "Greenshot");
        assert_eq!(text["parameters"], "a cat, steps: 20");
        assert_eq!(text["Comment"], "(compressed)");
        assert!(read_png_text(b"\xFF\xD8").is_none());
        // Truncated in a chunk: what was read so far.
        assert_eq!(
            read_png_text(&png[..8 + 30 + 5]).unwrap()["Software"],
            "Greenshot"
        );
    }
}
