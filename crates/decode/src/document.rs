//! PDF documents: page count, document info and the text layer.

use bonafide_core::DocumentArtefact;
use lopdf::{Document, Object};

use crate::{DecodeConfig, DecodeError, blocking};

pub(crate) async fn decode(
    bytes: &bytes::Bytes,
    cfg: &DecodeConfig,
) -> Result<DocumentArtefact, DecodeError> {
    let owned = bytes.clone();
    let max_pages = cfg.limits.max_pages;
    match blocking(move || read(&owned, max_pages)).await {
        // lopdf gives up on some damaged-but-readable files (broken xref
        // tables, bad object offsets); Poppler repairs more of them.
        Err(DecodeError::Corrupt(why)) => match crate::poppler::read(bytes, cfg).await {
            Ok(doc) => Ok(doc),
            Err(DecodeError::Tool(_)) => Err(DecodeError::Corrupt(why)),
            Err(e) => Err(e),
        },
        other => other,
    }
}

fn read(bytes: &[u8], max_pages: u32) -> Result<DocumentArtefact, DecodeError> {
    // lopdf opens documents whose user password is empty by itself; anything
    // else that fails to load while carrying an /Encrypt entry needs a password.
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(_) if has_encrypt_dictionary(bytes) => return Err(DecodeError::Encrypted),
        Err(e) => return Err(DecodeError::Corrupt(format!("PDF: {e}"))),
    };
    if doc.is_encrypted() {
        return Err(DecodeError::Encrypted);
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(DecodeError::Corrupt("PDF has no pages".into()));
    }
    let first: Vec<u32> = pages.iter().copied().take(max_pages as usize).collect();
    // Text extraction is best effort: a page lopdf cannot read leaves a gap.
    let text = doc
        .extract_text_chunks(&first)
        .into_iter()
        .filter_map(Result::ok)
        .collect::<Vec<_>>()
        .join("\n");
    Ok(DocumentArtefact {
        pages: pages.len() as u32,
        text,
        info: info(&doc),
    })
}

fn has_encrypt_dictionary(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

/// The trailer's /Info dictionary (Producer, Creator, dates) as strings.
fn info(doc: &Document) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    let dict = match doc.trailer.get(b"Info") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    for (k, v) in dict.into_iter().flat_map(|d| d.iter()) {
        if let Ok(text) = lopdf::decode_text_string(v) {
            out.insert(String::from_utf8_lossy(k).into_owned(), text.into());
        }
    }
    out
}
