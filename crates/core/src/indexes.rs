//! What detectors may ask about earlier uploads and known content: the
//! index traits the engine implements over the store, and their answers.

use async_trait::async_trait;

use crate::{DetectorError, Embedding, Region, UploadMeta};

/// The earliest upload of some exact content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstSeen {
    /// Its upload id.
    pub upload_id: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// When (Unix ms).
    pub at: i64,
}

/// Index from content hash to the first upload that carried it, per
/// tenant.
#[async_trait]
pub trait ExactIndex: Send + Sync {
    /// The first upload of `tenant` with this SHA-256 (hex), if any.
    async fn first_seen(
        &self,
        tenant: &str,
        sha256: &str,
    ) -> Result<Option<FirstSeen>, DetectorError>;
}

/// An earlier upload whose photo is perceptually close to this one.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMatch {
    /// The earlier upload.
    pub upload_id: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// When (Unix ms).
    pub at: i64,
    /// Hamming distance between the hashes (0..=256).
    pub distance: u32,
    /// Which orientation of this upload matched (`original`, `rotate_90`, …).
    pub orientation: &'static str,
    /// Set when only the picture's centre matched, after turning this
    /// upload back by this many degrees (on top of `orientation`).
    pub turned_degrees: Option<f32>,
}

/// A perceptual hash of one upload, in each orientation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerceptualHash {
    /// `(orientation name, 256-bit hash)`, the original first.
    pub variants: Vec<(&'static str, [u8; 32])>,
    /// 0–100; low-quality hashes match unreliably.
    pub quality: u8,
    /// The hash of the picture's centre (the square inside its inscribed
    /// circle), which survives turning by any angle, with its quality.
    pub centre: ([u8; 32], u8),
}

/// The centre hash of a new photo turned back by some angle, in one
/// orientation: looked up among stored centre hashes.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnedHash {
    /// Degrees the photo was turned back by.
    pub degrees: f32,
    /// Orientation on top of the turn (`original`, `rotate_90`, …).
    pub orientation: &'static str,
    /// The 256-bit hash.
    pub hash: [u8; 32],
}

/// The PDQ hash of one distinct sampled video frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameHash {
    /// Time of the frame in the video.
    pub at_ms: u64,
    /// The 256-bit hash.
    pub hash: [u8; 32],
    /// 0–100.
    pub quality: u8,
    /// Hashes of the frames next to it (see [`crate::Frame::neighbours`]):
    /// looked up with it, never stored.
    pub neighbours: Vec<[u8; 32]>,
}

/// An earlier video sharing most of its frames with this one (vPDQ-style:
/// the share of each side's distinct frames that find a match on the other).
#[derive(Debug, Clone, PartialEq)]
pub struct VideoMatch {
    /// The earlier upload.
    pub upload_id: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// When (Unix ms).
    pub at: i64,
    /// Share (0–1) of this video's frames found in the other.
    pub query_share: f32,
    /// Share (0–1) of the other video's frames found in this one.
    pub target_share: f32,
}

/// A video's fingerprints, as the video detector hands them to the index.
#[derive(Debug, Clone, Copy)]
pub struct VideoFingerprints<'a> {
    /// PDQ hashes of the distinct sampled frames.
    pub frames: &'a [FrameHash],
    /// The whole video's TMK+PDQF hash, in upstream's `.tmk` file format
    /// (empty when no frame could be read at TMK's rate).
    pub tmk: &'a [u8],
}

/// An earlier video whose whole-video (TMK) hash matches this one's: the
/// same footage in the same order, even where no single frame is a copy
/// (another take or cut, heavy re-encoding).
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineMatch {
    /// The earlier upload.
    pub upload_id: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// When (Unix ms).
    pub at: i64,
    /// Cosine of the two videos' average frame features (−1–1).
    pub level1: f32,
    /// Best time-aligned kernel score (about 0–1).
    pub level2: f32,
}

/// What the index found for a video.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VideoMatches {
    /// Matches by shared frames, best first.
    pub frames: Vec<VideoMatch>,
    /// Matches by whole-video hash, best first.
    pub timelines: Vec<TimelineMatch>,
}

/// An earlier document whose text is nearly the same.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentMatch {
    /// The earlier upload.
    pub upload_id: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// When (Unix ms).
    pub at: i64,
    /// Estimated share (0–1) of word shingles the two texts have in common.
    pub similarity: f32,
}

/// Index of perceptual hashes of earlier uploads.
#[async_trait]
pub trait NearIndex: Send + Sync {
    /// Records `hash` as this upload's and returns the earlier uploads (by
    /// acceptance order) within `max_distance` of any of its orientations,
    /// closest first. Byte-identical uploads are left to [`ExactIndex`].
    async fn add_and_match(
        &self,
        upload: &UploadMeta,
        hash: &PerceptualHash,
        max_distance: u32,
    ) -> Result<Vec<NearMatch>, DetectorError>;

    /// The earlier uploads (by acceptance order) whose centre hash is within
    /// `max_distance` of any of `turned` — this upload's centre turned back
    /// by residual angles — closest first. Call after
    /// [`NearIndex::add_and_match`], which stored this upload's hashes.
    async fn match_turned(
        &self,
        upload: &UploadMeta,
        turned: &[TurnedHash],
        max_distance: u32,
    ) -> Result<Vec<NearMatch>, DetectorError>;

    /// Records a video's distinct frame hashes and its TMK hash, and returns
    /// the earlier videos where at least `min_share` of either side's frames
    /// (quality ≥ `min_quality`) match within `max_distance` — whole copies,
    /// and clips cut from longer videos or grown into them — and those whose
    /// TMK hash matches at upstream's thresholds.
    async fn add_and_match_video(
        &self,
        upload: &UploadMeta,
        video: &VideoFingerprints<'_>,
        max_distance: u32,
        min_quality: u8,
        min_share: f32,
    ) -> Result<VideoMatches, DetectorError>;

    /// Records a document's text signature (MinHash slots) and returns the
    /// earlier documents whose estimated text similarity is at least
    /// `min_similarity`, most similar first.
    async fn add_and_match_document(
        &self,
        upload: &UploadMeta,
        signature: &[u32],
        min_similarity: f32,
    ) -> Result<Vec<DocumentMatch>, DetectorError>;
}

/// The bank of known-good content: an upload matching it is not checked for
/// near duplicates or other bank matches (templates every contributor must
/// photograph, the app's own sample images).
pub const ALLOWLIST_BANK: &str = "allowlist";

/// The default tenant's bank of content already rejected: fed by reject
/// verdicts whose deciding policy rule says `remember` and by reviewers'
/// rejects, so later copies are caught by hash (other tenants have their
/// own: [`crate::rejected_bank`]).
pub const REJECTED_BANK: &str = "rejected";

/// How an upload matched a bank entry.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum BankMatch {
    /// Its PDQ hash, in one of eight orientations.
    Pdq {
        /// Hamming distance (0..=256).
        distance: u32,
        /// Which orientation of this upload matched.
        orientation: &'static str,
    },
    /// Its copy-detection descriptor (SSCD), of the whole upload or of a
    /// region of it: a copy too changed for PDQ — a heavy crop, a turn, an
    /// overlay, a meme, a screenshot, a photo pasted onto another.
    Descriptor {
        /// Cosine of the two (centred) descriptors.
        cosine: f32,
        /// The cosine less the query's background offset (score
        /// normalisation): what thresholds apply to.
        score: f32,
        /// The part of the upload that matched, in its pixels; `None` for
        /// the whole picture.
        region: Option<Region>,
    },
    /// Its image embedding (CLIP: a picture of the same content, or a copy
    /// too changed for PDQ).
    Embedding {
        /// Cosine similarity.
        cosine: f32,
    },
    /// A video's frames: enough of them are frames of one known video (or
    /// one known picture), each within the PDQ match distance.
    Frames {
        /// Share of this video's distinct frames found there (0–1).
        share: f32,
        /// How many.
        frames: u32,
        /// The closest frame's Hamming distance.
        distance: u32,
        /// Where in this video that frame is (ms).
        at_ms: u64,
        /// Where in the known video it is (ms); `None` for a known picture.
        source_ms: Option<u64>,
    },
}

impl BankMatch {
    /// Orders matches best first: any PDQ match before any descriptor
    /// match before any CLIP embedding match, then by distance, score or
    /// similarity; a video's matches by the share of its frames found.
    pub fn rank(&self) -> (u8, f32) {
        match *self {
            Self::Pdq { distance, .. } => (0, distance as f32),
            Self::Descriptor { score, .. } => (1, -score),
            Self::Embedding { cosine } => (2, -cosine),
            Self::Frames { share, .. } => (3, -share),
        }
    }
}

/// A known entry in a bank that this upload matches.
#[derive(Debug, Clone, PartialEq)]
pub struct BankHit {
    /// The bank's name.
    pub bank: String,
    /// The entry's id in the bank.
    pub entry: i64,
    /// How it matched.
    pub matched: BankMatch,
    /// Where the known content came from.
    pub source: String,
    /// Its licence, as known.
    pub licence: String,
    /// Who holds its rights, as known (empty when unknown).
    pub rights_holder: String,
    /// Whether the bank is a reference corpus (web or licensed images):
    /// a match is content that is not the contributor's own.
    pub reference: bool,
}

/// An earlier upload whose picture is close to this one in image-embedding
/// space.
#[derive(Debug, Clone, PartialEq)]
pub struct SemanticMatch {
    /// The earlier upload.
    pub upload_id: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// When (Unix ms).
    pub at: i64,
    /// Cosine similarity of the two embeddings.
    pub cosine: f32,
}

/// An earlier upload this one copies, found by copy descriptor: the whole
/// picture, or a region of this upload that shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyMatch {
    /// The earlier upload.
    pub upload_id: String,
    /// Who uploaded it.
    pub contributor_id: String,
    /// When (Unix ms).
    pub at: i64,
    /// Cosine of the two descriptors.
    pub cosine: f32,
    /// The cosine less the query's background offset.
    pub score: f32,
    /// The part of this upload that matched, in its pixels; `None` for the
    /// whole picture.
    pub region: Option<Region>,
}

/// Vectors of every screened photo — CLIP image embeddings, SSCD copy
/// descriptors — searched approximately (HNSW): in process over the
/// embedded store, pgvector on PostgreSQL.
#[async_trait]
pub trait SemanticIndex: Send + Sync + std::fmt::Debug {
    /// The earlier uploads (other bytes) whose vector is at cosine
    /// `min_cosine` or more from `embedding`, closest first. Waits for
    /// earlier uploads still being screened, as the PDQ lookups do.
    async fn earlier_matches(
        &self,
        upload: &UploadMeta,
        embedding: &Embedding,
        min_cosine: f32,
    ) -> Result<Vec<SemanticMatch>, DetectorError>;

    /// [`SemanticIndex::earlier_matches`] for several queries of one upload
    /// (each with its own `min_cosine`), in order; an index that can waits
    /// and catches up once for all of them.
    async fn earlier_matches_each(
        &self,
        upload: &UploadMeta,
        queries: &[(Embedding, f32)],
    ) -> Result<Vec<Vec<SemanticMatch>>, DetectorError> {
        let mut out = Vec::with_capacity(queries.len());
        for (embedding, min_cosine) in queries {
            out.push(self.earlier_matches(upload, embedding, *min_cosine).await?);
        }
        Ok(out)
    }
}
