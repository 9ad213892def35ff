//! PDF documents: page count, document info and the text layer.

use bonafide_core::DocumentArtefact;
use lopdf::{Document, LoadOptions, Object, ObjectId};

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

/// Most bytes one stream may inflate to while the file is loaded (object
/// and cross-reference streams; real ones are kilobytes to a few MiB).
const STREAM_CAP: usize = 64 << 20;

/// Most bytes the pages' content streams may inflate to, all together,
/// while the text is read: a few hundred pages of dense vector drawing.
const CONTENT_BUDGET: usize = 256 << 20;

/// Most text kept from one document (also Poppler's cap).
pub(crate) const TEXT_CAP: usize = 16 << 20;

fn read(bytes: &[u8], max_pages: u32) -> Result<DocumentArtefact, DecodeError> {
    // lopdf opens documents whose user password is empty by itself; anything
    // else that fails to load while carrying an /Encrypt entry needs a password.
    let options = LoadOptions {
        max_decompressed_size: Some(STREAM_CAP),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(_) if has_encrypt_dictionary(bytes) => return Err(DecodeError::Encrypted),
        Err(e) => return Err(DecodeError::Corrupt(format!("PDF: {e}"))),
    };
    if doc.is_encrypted() {
        return Err(DecodeError::Encrypted);
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(DecodeError::Corrupt("PDF has no pages".into()));
    }
    let (text, cut_short) = text(&doc, &pages, max_pages);
    Ok(DocumentArtefact {
        pages: pages.len() as u32,
        text,
        info: info(&doc),
        cut_short,
    })
}

/// The text of the first `max_pages` pages, page by page, until the
/// content budget or the text cap is spent; then why it stopped. Text
/// extraction is best effort: a page lopdf cannot read leaves a gap.
fn text(
    doc: &Document,
    pages: &std::collections::BTreeMap<u32, ObjectId>,
    max_pages: u32,
) -> (String, Option<String>) {
    let mut text = String::new();
    let mut chunks = 0usize;
    let mut inflated = 0usize;
    for (&number, &id) in pages.iter().take(max_pages as usize) {
        let left = CONTENT_BUDGET.saturating_sub(inflated);
        // Charged by the page's inflated content, which the text is read
        // from again under the same bound.
        match doc.get_page_content_with_limit(id, left) {
            Ok(content) => inflated += content.len(),
            Err(_) => {
                return (
                    text,
                    Some(format!(
                        "page {number}: the pages' content inflates past {} MiB",
                        CONTENT_BUDGET >> 20
                    )),
                );
            }
        }
        // One chunk per run of text in one font; all joined by newlines.
        for chunk in doc
            .extract_text_chunks_with_limit(&[number], left)
            .into_iter()
            .filter_map(Result::ok)
        {
            if chunks > 0 {
                text.push('\n');
            }
            chunks += 1;
            text.push_str(&chunk);
        }
        if text.len() > TEXT_CAP {
            let mut end = TEXT_CAP;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            return (
                text,
                Some(format!(
                    "page {number}: the text layer is over {} MiB",
                    TEXT_CAP >> 20
                )),
            );
        }
    }
    (text, None)
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
