use std::sync::Arc;

use image::{ImageBuffer, Luma, RgbImage};

use crate::{MediaKind, MediaType, PerceptualHash};

/// Everything decoded from one upload, computed once and shared by every
/// detector: nothing decodes the bytes twice.
#[derive(Debug, Clone)]
pub struct Artefacts {
    /// The format identified from magic bytes.
    pub media_type: MediaType,
    /// The raw bytes as received.
    pub bytes: bytes::Bytes,
    /// Decoded still image, EXIF orientation applied (images only).
    pub image: Option<StillImage>,
    /// Probe data and sampled frames (videos only).
    pub video: Option<VideoArtefact>,
    /// Page count and text (documents only).
    pub document: Option<DocumentArtefact>,
    /// What the file says about itself (EXIF; images only for now).
    pub metadata: bonafide_metadata::Metadata,
    /// PDQ hash of the image in all eight orientations (images only),
    /// computed once by the engine for every detector that matches on it.
    pub pdq: Option<PerceptualHash>,
    /// PDQ hashes of a video's sampled frames, identical neighbours
    /// dropped (videos only), computed once by the engine for the bank
    /// lookup and the near-duplicate detector.
    pub frame_hashes: Vec<crate::FrameHash>,
    /// CLIP image embeddings (images: one; videos: one per embedded frame,
    /// in time order), computed once by the engine when the model is
    /// installed; empty otherwise.
    pub embeddings: Vec<crate::Embedding>,
    /// SSCD copy descriptors, centred (see `bonafide_models::CopySpace`),
    /// of the whole picture (images: one; videos: one per embedded frame,
    /// in time order), computed once by the engine when the model is
    /// installed; empty otherwise.
    pub copy_descriptors: Vec<crate::Embedding>,
    /// ImageNet class probabilities (1000 each, summing to 1) of the same
    /// pictures as `embeddings`, when the classifier is installed and the
    /// upload answers a task (task matching is their only reader).
    pub concepts: Vec<Arc<[f32]>>,
    /// People and nudity in the same pictures, when the body-part detector
    /// is installed.
    pub body_parts: Vec<BodyParts>,
    /// COCO objects in the same pictures as `concepts` (one list per
    /// picture, best first), when the object detector is installed and
    /// the upload answers a task.
    pub objects: Vec<crate::SeenObjects>,
    /// The poses of the people among `objects` (one list per picture, in
    /// the order of their boxes), when the pose estimator is installed.
    pub poses: Vec<crate::Poses>,
    /// The file's C2PA content credentials, validated (any media kind);
    /// filled by the engine, which holds the trust list.
    pub c2pa: bonafide_metadata::C2paReport,
}

impl Artefacts {
    /// The artefacts of `bytes` before anything is decoded: the format and
    /// the bytes, every other part empty (decoding and the engine fill them).
    pub fn empty(media_type: MediaType, bytes: bytes::Bytes) -> Self {
        Self {
            media_type,
            bytes,
            image: None,
            video: None,
            document: None,
            metadata: Default::default(),
            pdq: None,
            frame_hashes: Vec::new(),
            embeddings: Vec::new(),
            copy_descriptors: Vec::new(),
            concepts: Vec::new(),
            body_parts: Vec::new(),
            objects: Vec::new(),
            poses: Vec::new(),
            c2pa: Default::default(),
        }
    }

    /// The media kind, if the format is one we screen.
    pub fn kind(&self) -> Option<MediaKind> {
        self.media_type.kind()
    }

    /// Width and height of the visual content, if any was decoded.
    pub fn dimensions(&self) -> Option<(u32, u32)> {
        if let Some(img) = &self.image {
            return Some((img.width, img.height));
        }
        self.video.as_ref().map(|v| (v.width, v.height))
    }
}

/// Long side, in pixels, that a still image is decoded to at least (when it
/// has that many): PDQ's working size — Meta's reference hasher shrinks
/// larger images to 512 before filtering — and more than any embedding
/// model's input.
pub const WORKING_SIDE: u32 = 512;

/// Most pixels a still image's colour is kept at. The image models'
/// references resize the full-resolution picture (Pillow), and their int8
/// inputs are sensitive to every pixel, so colour is kept at full size up
/// to this (every phone's 12 MP photo); larger images at the largest
/// reduced scale under it.
pub const COLOUR_MAX_PIXELS: u64 = 16_000_000;

/// Grey levels 0–255 as floats: Rec. 601 luma, what PDQ hashes.
pub type LumaImage = ImageBuffer<Luma<f32>, Vec<f32>>;

/// A decoded still image.
///
/// The pixels are luma at working resolution for hashing — JPEGs are
/// decoded at the smallest DCT scale (n/8) whose long side is still at
/// least [`WORKING_SIDE`], which skips most of the decoding work; other
/// formats at full size — and colour at full size for the models (up to
/// [`COLOUR_MAX_PIXELS`]).
#[derive(Debug, Clone)]
pub struct StillImage {
    /// Displayed width at full resolution (EXIF orientation applied).
    pub width: u32,
    /// Displayed height at full resolution (EXIF orientation applied).
    pub height: u32,
    /// Luma at working resolution, EXIF orientation applied.
    pub luma: Arc<LumaImage>,
    /// Colour at full resolution (up to [`COLOUR_MAX_PIXELS`]), EXIF
    /// orientation applied: what the image models and the watermark reader
    /// see. `None` when decoding was told not to keep it (hashing benches).
    pub colour: Option<Arc<RgbImage>>,
}

/// A video, probed and sampled.
#[derive(Debug, Clone)]
pub struct VideoArtefact {
    /// Duration in milliseconds.
    pub duration_ms: u64,
    /// Display width (rotation applied).
    pub width: u32,
    /// Display height (rotation applied).
    pub height: u32,
    /// Codec of the first video stream, e.g. `h264`.
    pub codec: String,
    /// Container metadata tags (encoder, creation_time, …).
    pub tags: serde_json::Map<String, serde_json::Value>,
    /// Frames sampled at the configured rate.
    pub frames: Vec<Frame>,
    /// PDQ float features (16×16 DCT, row-major) of every frame at 15 fps
    /// and 64×64 pixels: what TMK, the whole-video hash, is built from.
    pub timeline: Vec<[f32; 256]>,
}

/// One sampled video frame.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Presentation time in milliseconds.
    pub at_ms: u64,
    /// The frame's pixels: the first frame at or after the sampling tick.
    pub image: Arc<RgbImage>,
    /// The frames just before and after it (within 1.5 frame durations of
    /// the tick). A copy trimmed or re-timed by a frame samples a
    /// different frame at each tick; matching one of these catches it when
    /// the picture changes fast.
    pub neighbours: Vec<Arc<RgbImage>>,
}

/// A document's text layer and structure.
#[derive(Debug, Clone)]
pub struct DocumentArtefact {
    /// Number of pages.
    pub pages: u32,
    /// Extracted text (may be empty for scanned documents).
    pub text: String,
    /// Document-info metadata (Producer, Creator, …).
    pub info: serde_json::Map<String, serde_json::Value>,
    /// Why reading stopped before the last page (a decompression or text
    /// budget was spent): the text ends there, and what follows was not
    /// screened.
    pub cut_short: Option<String>,
}

/// What the body-part detector (NudeNet) saw in one picture: best scores,
/// 0–1.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyParts {
    /// A face.
    pub face: f32,
    /// Any part of a person that is not nudity (a face, feet, a clothed
    /// belly…): someone is in the picture.
    pub person: f32,
    /// Which part gave `person`.
    pub person_part: String,
    /// An exposed intimate part.
    pub nudity: f32,
    /// Which part gave `nudity`.
    pub nudity_part: String,
}
