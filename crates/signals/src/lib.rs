//! Signals: detectors that look at one upload on its own — its content and
//! metadata — without consulting what was uploaded before (that is
//! `bonafide-matching`).
//!
//! Each detector is one module implementing [`bonafide_core::Detector`].
#![deny(missing_docs)]

pub use crate::{
    ai_image::AiImage,
    ai_provenance::AiProvenance,
    camera_metadata::CameraMetadata,
    capture_date::CaptureDate,
    content_credentials::ContentCredentials,
    device_mismatch::DeviceMismatch,
    document_budget::{DOCUMENT_CUT_SHORT, DocumentBudget},
    double_compression::DoubleCompression,
    editing_software::EditingSoftware,
    media_type::MediaTypeCheck,
    people::People,
    quantization::QuantizationMismatch,
    readable_text::ReadableText,
    rights::{Rights, codes as rights_codes},
    screenshot::{Letterbox, Screenshot, letterbox},
    sd_watermark::{SdWatermark, WatermarkReading, read_sd_watermark, sd_watermark_agreements},
    task_content::TaskContent,
    task_exemplars::TaskExemplars,
    task_fit::{TaskFit, codes as task_codes},
    task_objects::TaskObjects,
    text_in_image::TextInImage,
    thumbnail::ThumbnailMismatch,
    video_encoder::VideoEncoder,
};

pub mod ai_image;
mod ai_provenance;
mod camera_metadata;
mod capture_date;
mod content_credentials;
mod device_mismatch;
mod document_budget;
mod double_compression;
mod editing_software;
mod media_type;
mod people;
mod quantization;
mod readable_text;
mod rights;
mod screenshot;
mod sd_watermark;
mod task_content;
mod task_exemplars;
mod task_fit;
mod task_named;
mod task_objects;
#[cfg(test)]
mod test_support;
mod text_in_image;
mod thumbnail;
mod video_encoder;
