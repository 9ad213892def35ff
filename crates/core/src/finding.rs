use serde::{Deserialize, Serialize};

/// One observation a detector made about an upload, with its evidence.
///
/// The `code` is stable (stored, and matched by the policy); `message` is the
/// plain-words sentence shown to reviewers and integrators.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    /// Name of the detector that produced it.
    pub detector: String,
    /// Stable dotted code, e.g. `duplicate.exact`; see [`codes`].
    pub code: String,
    /// 0.0..=1.0, higher is more suspicious.
    pub score: f32,
    /// One sentence for people.
    pub message: String,
    /// Machine-readable evidence (ids, distances, fields).
    pub evidence: serde_json::Value,
}

impl Finding {
    /// A finding with empty evidence.
    pub fn new(detector: &str, code: &str, score: f32, message: impl Into<String>) -> Self {
        Self {
            detector: detector.to_owned(),
            code: code.to_owned(),
            score: score.clamp(0.0, 1.0),
            message: message.into(),
            evidence: serde_json::Value::Object(Default::default()),
        }
    }

    /// Attaches evidence.
    pub fn with_evidence(mut self, evidence: serde_json::Value) -> Self {
        self.evidence = evidence;
        self
    }
}

/// The finding codes that the core pipeline itself emits. Detectors own
/// their codes; these are the ones several crates need to agree on.
pub mod codes {
    /// The file has no bytes.
    pub const MEDIA_EMPTY: &str = "media.empty";
    /// Not a format we screen (text named `.jpg`, archives, …).
    pub const MEDIA_UNSUPPORTED: &str = "media.unsupported";
    /// A supported format that does not decode (truncated, damaged).
    pub const MEDIA_CORRUPT: &str = "media.corrupt";
    /// Over a configured pixel, byte or frame limit.
    pub const MEDIA_TOO_LARGE: &str = "media.too_large";
    /// Video longer than the configured limit.
    pub const MEDIA_TOO_LONG: &str = "media.too_long";
    /// Sniffed format disagrees with the file name or claimed type.
    pub const MEDIA_TYPE_MISMATCH: &str = "media.type_mismatch";
    /// A document that needs a password to open.
    pub const DOCUMENT_ENCRYPTED: &str = "document.encrypted";
    /// Byte-identical to an earlier upload.
    pub const DUPLICATE_EXACT: &str = "duplicate.exact";
    /// Perceptually the same photo as an earlier upload (re-encoded,
    /// resized, recoloured, rotated, flipped).
    pub const DUPLICATE_NEAR: &str = "duplicate.near";
    /// Matches a known hash in a bank (evidence names the bank).
    pub const BANK_MATCH: &str = "bank.match";
    /// The picture shows what an earlier upload showed, by image embedding
    /// (crops, overlays, screenshots that perceptual hashes miss).
    pub const DUPLICATE_SEMANTIC: &str = "duplicate.semantic";
    /// Matches the allowlist: near-duplicate and bank checks were skipped.
    pub const BANK_ALLOWLISTED: &str = "bank.allowlisted";
    /// The picture shows nudity (exposed intimate parts).
    pub const CONTENT_NUDITY: &str = "content.nudity";
    /// A detector failed; the upload could not be fully screened.
    pub const DETECTOR_ERROR: &str = "detector.error";
    /// A detector did not run because a model it needs is not installed.
    pub const DETECTOR_SKIPPED: &str = "detector.skipped";
    /// The file's metadata names editing software.
    pub const METADATA_EDITING_SOFTWARE: &str = "metadata.editing_software";
    /// The embedded EXIF thumbnail shows a different picture.
    pub const METADATA_THUMBNAIL_MISMATCH: &str = "metadata.thumbnail_mismatch";
    /// An image that looks like a screenshot, not a camera capture.
    pub const METADATA_SCREENSHOT: &str = "metadata.screenshot";
    /// A video written by a known transcoder or editor.
    pub const METADATA_REENCODED: &str = "metadata.reencoded";
    /// The capture date is after the upload.
    pub const METADATA_DATE_IN_FUTURE: &str = "metadata.date_in_future";
    /// The capture date is before the task's window.
    pub const METADATA_CAPTURE_OUTSIDE_WINDOW: &str = "metadata.capture_outside_window";
    /// The file's own dates contradict each other.
    pub const METADATA_DATES_DISAGREE: &str = "metadata.dates_disagree";
    /// A task wants a camera capture and the photo has no camera metadata.
    pub const METADATA_CAMERA_STRIPPED: &str = "metadata.camera_stripped";
    /// The camera the file names is not the device the app reported.
    pub const METADATA_DEVICE_MISMATCH: &str = "metadata.device_mismatch";
    /// A JPEG compressed twice (decoded and saved again).
    pub const METADATA_DOUBLE_COMPRESSED: &str = "metadata.double_compressed";
    /// JPEG quantisation tables the declared camera never writes.
    pub const METADATA_QUANTIZATION_MISMATCH: &str = "metadata.quantization_mismatch";
    /// C2PA credentials whose hashes or signature do not verify: the file
    /// was changed after signing, or the manifest was forged.
    pub const C2PA_TAMPERED: &str = "c2pa.tampered";
    /// C2PA credentials that fail validation for another reason.
    pub const C2PA_INVALID: &str = "c2pa.invalid";
    /// C2PA data that cannot be read or checked offline.
    pub const C2PA_UNREADABLE: &str = "c2pa.unreadable";
    /// Valid C2PA credentials declaring the content AI-generated.
    pub const C2PA_AI_GENERATED: &str = "c2pa.ai_generated";
    /// Valid C2PA credentials from a signer on the trust list.
    pub const C2PA_TRUSTED: &str = "c2pa.trusted";
    /// Valid C2PA credentials from a signer not on the trust list.
    pub const C2PA_UNTRUSTED: &str = "c2pa.untrusted";
    /// Unsigned metadata saying a generative model made the file (IPTC
    /// digital source type, generator settings, a generator's name).
    pub const AI_PROVENANCE: &str = "ai.provenance";
    /// A generator's invisible watermark read from the pixels.
    pub const AI_WATERMARK: &str = "ai.watermark";
    /// The learned detector finds the picture likely generated.
    pub const AI_GENERATED: &str = "ai.generated";
    /// The photo matches an image of a reference corpus (found on the web,
    /// in a licensed set): not the contributor's own.
    pub const PLAGIARISM_REFERENCE_MATCH: &str = "plagiarism.reference_match";
    /// Part of the video is footage of a video in a reference corpus (a
    /// clip of it inside the contributor's own).
    pub const COPYRIGHT_KNOWN_FOOTAGE: &str = "copyright.known_footage";
    /// A reverse-image-search provider found the photo on the web.
    pub const PLAGIARISM_WEB_MATCH: &str = "plagiarism.web_match";
    /// The reverse-image-search provider gave no answer (a note).
    pub const PLAGIARISM_WEB_UNAVAILABLE: &str = "plagiarism.web_unavailable";
}
