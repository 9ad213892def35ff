use bonafide_core::MediaType;
use serde::Serialize;

/// Identifies the format from the first bytes. File names and client claims
/// are never trusted for this.
pub fn sniff(bytes: &[u8]) -> MediaType {
    match infer::get(bytes) {
        Some(t) => MediaType::from_mime(t.mime_type()),
        None => MediaType::Unknown,
    }
}

/// The sniffed format disagrees with what the name or the client said.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeMismatch {
    /// What the bytes are.
    pub sniffed: MediaType,
    /// What the file name's extension says, when it disagrees.
    pub by_extension: Option<MediaType>,
    /// What the client's content type says, when it disagrees.
    pub by_claim: Option<MediaType>,
}

/// Compares the sniffed format with the file name and claimed content type.
/// Unknown extensions and generic claims (`application/octet-stream`) are not
/// mismatches: they say nothing.
pub fn type_mismatch(
    sniffed: MediaType,
    file_name: Option<&str>,
    claimed: Option<&str>,
) -> Option<TypeMismatch> {
    let by_extension = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, ext)| MediaType::from_extension(ext))
        .filter(|t| *t != MediaType::Unknown && *t != sniffed);
    let by_claim = claimed
        .map(MediaType::from_mime)
        .filter(|t| *t != MediaType::Unknown && *t != sniffed);
    (by_extension.is_some() || by_claim.is_some()).then_some(TypeMismatch {
        sniffed,
        by_extension,
        by_claim,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_from_bytes_not_names() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0"), MediaType::Jpeg);
        assert_eq!(sniff(b"hello, I am text"), MediaType::Unknown);
        assert_eq!(sniff(b"%PDF-1.7\n"), MediaType::Pdf);
    }

    #[test]
    fn mismatch_only_when_something_disagrees() {
        assert!(type_mismatch(MediaType::Jpeg, Some("a.JPG"), Some("image/jpeg")).is_none());
        assert!(type_mismatch(MediaType::Jpeg, Some("a.bin"), None).is_none());
        let m = type_mismatch(MediaType::Jpeg, Some("a.png"), None).unwrap();
        assert_eq!(m.by_extension, Some(MediaType::Png));
        let m = type_mismatch(MediaType::Png, None, Some("image/jpeg")).unwrap();
        assert_eq!(m.by_claim, Some(MediaType::Jpeg));
    }
}
