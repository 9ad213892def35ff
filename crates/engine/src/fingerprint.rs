//! Fingerprints for matching — a picture's PDQ hashes, copy descriptor and
//! image embedding, a video's frame hashes — computed by the same code the
//! screening path runs, so an imported bank entry and an upload of the same
//! content hash alike.

use std::sync::Arc;

use bonafide_core::{Embedding, FrameHash, PerceptualHash};
use bonafide_decode::decode;
use bonafide_ingest::sniff;
use bonafide_models::CopySpace;
use bonafide_store::{BankEntry, EntryEmbedding};
use bytes::Bytes;

use crate::{
    Engine, EngineError,
    screen::{frame_hashes, perceptual_hash},
};

/// What a picture is, for matching.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// PDQ in eight orientations, and the centre crop's hash.
    pub pdq: PerceptualHash,
    /// The CLIP image embedding, when asked for and the model is installed.
    pub embedding: Option<Embedding>,
    /// The copy descriptor (SSCD, centred), when the model is installed.
    pub descriptor: Option<Embedding>,
    /// The picture at the descriptor's working scale and its full size, for
    /// describing its regions (a search's second step).
    pub working: Option<(Arc<image::RgbImage>, u32, u32)>,
}

impl Fingerprint {
    /// This picture as an entry of `bank`, with its provenance (the image
    /// embedding and copy descriptor, when there are, named with the model
    /// that made them).
    pub fn entry(
        &self,
        bank: &str,
        source: String,
        licence: String,
        rights_holder: String,
    ) -> BankEntry {
        BankEntry {
            seq: 0,
            bank: bank.to_owned(),
            pdq: self.pdq.variants[0].1,
            quality: self.pdq.quality,
            source,
            licence,
            rights_holder,
            embedding: self.embedding.as_ref().map(|e| EntryEmbedding {
                model: bonafide_models::ClipImageEncoder::FILE.to_owned(),
                vector: e.values().to_vec(),
            }),
            descriptor: self.descriptor.as_ref().map(|d| EntryEmbedding {
                model: CopySpace::shipped().model().to_owned(),
                vector: d.values().to_vec(),
            }),
            frame_ms: None,
        }
    }
}

/// What a bank holds of one media file.
#[derive(Debug, Clone)]
pub enum MediaPrint {
    /// A photo.
    Picture(Fingerprint),
    /// A video: its sampled frames' hashes, identical neighbours dropped.
    Video(Vec<FrameHash>),
}

impl MediaPrint {
    /// This file as entries of `bank` with its provenance: a photo is one
    /// entry; a video one per frame that PDQ can match on, each with its
    /// time, all with the video's source. Empty when nothing can match.
    pub fn entries(
        &self,
        bank: &str,
        source: String,
        licence: String,
        rights_holder: String,
    ) -> Vec<BankEntry> {
        match self {
            Self::Picture(print) if print.pdq.quality >= bonafide_pdq::MIN_QUALITY => {
                vec![print.entry(bank, source, licence, rights_holder)]
            }
            Self::Picture(_) => Vec::new(),
            Self::Video(frames) => frames
                .iter()
                .filter(|f| f.quality >= bonafide_pdq::MIN_QUALITY)
                .map(|f| BankEntry {
                    seq: 0,
                    bank: bank.to_owned(),
                    pdq: f.hash,
                    quality: f.quality,
                    source: source.clone(),
                    licence: licence.clone(),
                    rights_holder: rights_holder.clone(),
                    embedding: None,
                    descriptor: None,
                    frame_ms: Some(f.at_ms),
                })
                .collect(),
        }
    }
}

impl Engine {
    /// Decodes an image and computes its fingerprint; `embed` adds the image
    /// embedding (the copy descriptor is always computed when its model is
    /// installed: it is what finds edited copies). A file that is not a
    /// decodable photo is [`EngineError::NotAnImage`].
    pub async fn fingerprint(&self, bytes: Bytes, embed: bool) -> Result<Fingerprint, EngineError> {
        match self.fingerprint_media(bytes, embed).await? {
            MediaPrint::Picture(print) => Ok(print),
            MediaPrint::Video(_) => Err(EngineError::NotAnImage(
                "a video is not a still image".into(),
            )),
        }
    }

    /// Decodes a photo or a video and computes what a bank holds of it:
    /// [`Engine::fingerprint`] for a photo, its frames' PDQ hashes for a
    /// video. Any other file is [`EngineError::NotAnImage`].
    pub async fn fingerprint_media(
        &self,
        bytes: Bytes,
        embed: bool,
    ) -> Result<MediaPrint, EngineError> {
        let media_type = sniff(&bytes);
        let art = decode(bytes, media_type, &self.inner.config.decode)
            .await
            .map_err(|e| EngineError::NotAnImage(e.to_string()))?;
        if art.video.is_some() {
            return Ok(MediaPrint::Video(frame_hashes(&art).await?));
        }
        if art.image.is_none() {
            return Err(EngineError::NotAnImage(format!(
                "{} is neither a still image nor a video",
                media_type.mime()
            )));
        }
        let pdq = perceptual_hash(&art)
            .await?
            .ok_or_else(|| EngineError::NotAnImage("no picture to hash".into()))?;
        let vectors = self.inner.models.photo_vectors(&art, embed).await?;
        let size = art.image.as_ref().map_or((0, 0), |i| (i.width, i.height));
        Ok(MediaPrint::Picture(Fingerprint {
            pdq,
            embedding: vectors.embedding,
            descriptor: vectors.descriptor,
            working: vectors.working.map(|w| (w, size.0, size.1)),
        }))
    }

    /// Whether bank imports and searches get image embeddings (the CLIP
    /// model is installed).
    pub fn embeds_images(&self) -> bool {
        self.inner
            .models
            .unavailable(bonafide_models::ClipImageEncoder::FILE)
            .is_none()
    }

    /// Whether bank imports and searches get copy descriptors (the SSCD
    /// model is installed).
    pub fn describes_copies(&self) -> bool {
        self.inner.models.describes_copies()
    }
}
