//! MinHash signatures of document text: near-identical texts (a re-saved
//! PDF, a lightly edited copy) share most word shingles, and the share of
//! equal signature slots estimates that overlap (Jaccard similarity).
//!
//! Hand-written because it is small and must stay stable: signatures are
//! stored, so the hash functions are fixed here (FNV-1a per shingle, mixed
//! per slot with SplitMix64) rather than borrowed from a crate that might
//! change them.

/// Slots per signature; the estimate's standard error is about `1/√128 ≈ 0.09`.
pub const SLOTS: usize = 128;

/// Words per shingle.
const SHINGLE: usize = 5;

/// Texts with fewer words than this have no signature: too little to
/// compare (a title page, a scanned document without a text layer).
pub const MIN_WORDS: usize = 20;

/// A MinHash signature.
pub type Signature = [u32; SLOTS];

/// The signature of `text`, after normalising it (lower case, letters and
/// digits only, whitespace collapsed), or `None` if it is too short.
pub fn signature(text: &str) -> Option<Signature> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < MIN_WORDS {
        return None;
    }
    let mut sig = [u32::MAX; SLOTS];
    for shingle in words.windows(SHINGLE) {
        let base = fnv1a(shingle);
        for (slot, min) in sig.iter_mut().enumerate() {
            let h =
                (splitmix64(base ^ (slot as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) >> 32) as u32;
            *min = (*min).min(h);
        }
    }
    Some(sig)
}

/// Estimated Jaccard similarity of the shingle sets behind two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f32 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / SLOTS as f32
}

/// Signature as bytes for storage (little-endian slots).
pub fn to_bytes(sig: &Signature) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Inverse of [`to_bytes`]; `None` for the wrong length.
pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
    if bytes.len() != SLOTS * 4 {
        return None;
    }
    let mut sig = [0u32; SLOTS];
    for (slot, chunk) in sig.iter_mut().zip(bytes.chunks_exact(4)) {
        *slot = u32::from_le_bytes(chunk.try_into().ok()?);
    }
    Some(sig)
}

fn fnv1a(words: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            h = (h ^ u64::from(b' ')).wrapping_mul(0x0100_0000_01b3);
        }
        for b in w.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "The quick brown fox jumps over the lazy dog while the farmer counts his sheep \\
        in the morning light and the river runs quietly past the old mill where children play \\
        every summer afternoon until the bells of the village church ring for the evening meal";

    #[test]
    fn identical_edited_and_different_texts() {
        let a = signature(TEXT).unwrap();
        assert_eq!(
            similarity(&a, &signature(&TEXT.to_uppercase()).unwrap()),
            1.0,
            "case and spacing are normalised"
        );
        let edited = TEXT.replace("summer", "winter");
        let e = similarity(&a, &signature(&edited).unwrap());
        assert!((0.6..1.0).contains(&e), "one word changed: {e}");
        let other = "Completely unrelated words about invoices taxes receipts accounting ledgers payroll \\
            quarterly reports auditors spreadsheets budgets forecasts revenue expenses margins \\
            shareholders dividends capital assets liabilities equity balance sheets statements";
        assert!(similarity(&a, &signature(other).unwrap()) < 0.1);
        assert!(signature("too short").is_none());
        assert_eq!(from_bytes(&to_bytes(&a)), Some(a));
    }
}
