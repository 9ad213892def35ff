use std::path::PathBuf;

use bonafide_ingest::Limits;
use serde::{Deserialize, Serialize};

/// How to decode: limits, video sampling and the external tools used.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DecodeConfig {
    /// Size limits checked before a full decode.
    pub limits: Limits,
    /// Video frames sampled per second.
    pub frames_per_second: f32,
    /// Most frames sampled from one video.
    pub max_frames: u32,
    /// Sampled frames are scaled so their longer side is at most this.
    pub frame_max_side: u32,
    /// `ffprobe` executable.
    pub ffprobe: PathBuf,
    /// `ffmpeg` executable.
    pub ffmpeg: PathBuf,
    /// `heif-convert` executable (libheif's tool) for HEIC/HEIF/AVIF.
    pub heif_convert: PathBuf,
    /// Poppler's `pdfinfo`, for PDFs the in-process parser cannot read.
    pub pdfinfo: PathBuf,
    /// Poppler's `pdftotext`, likewise.
    pub pdftotext: PathBuf,
    /// Poppler's `pdftoppm`, which draws PDF pages for the review UI.
    pub pdftoppm: PathBuf,
    /// Seconds one run of an external tool may take before it is killed
    /// and the file judged hostile.
    pub tool_timeout_secs: u64,
    /// Address space one run of an external tool may map, in MiB.
    pub tool_memory_mib: u64,
    /// Keep a photo's full-size colour (the image models and the watermark
    /// reader need it). For a JPEG that is a second decoding pass beside the
    /// reduced-scale luma PDQ hashes; benchmarks of hashing alone turn it off.
    pub colour: bool,
}

impl DecodeConfig {
    /// The defaults with every external tool (ffmpeg, heif-convert,
    /// Poppler) pointed nowhere, so decoding never leaves this process:
    /// for fuzzing the in-process parsers, where a tool's run would cost a
    /// process per input and test another program.
    pub fn in_process() -> Self {
        let nowhere = PathBuf::from("/nonexistent/bonafide-in-process");
        Self {
            ffprobe: nowhere.clone(),
            ffmpeg: nowhere.clone(),
            heif_convert: nowhere.clone(),
            pdfinfo: nowhere.clone(),
            pdftotext: nowhere.clone(),
            pdftoppm: nowhere,
            ..Self::default()
        }
    }
}

impl Default for DecodeConfig {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            frames_per_second: 1.0,
            max_frames: 120,
            frame_max_side: 512,
            ffprobe: "ffprobe".into(),
            ffmpeg: "ffmpeg".into(),
            heif_convert: "heif-convert".into(),
            pdfinfo: "pdfinfo".into(),
            pdftotext: "pdftotext".into(),
            pdftoppm: "pdftoppm".into(),
            tool_timeout_secs: 120,
            tool_memory_mib: 4096,
            colour: true,
        }
    }
}
