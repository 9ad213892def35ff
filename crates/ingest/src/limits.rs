use serde::{Deserialize, Serialize};

/// Size limits enforced before any full decode, so a small hostile file
/// (a decompression bomb, an hour-long video) cannot exhaust a worker.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest accepted upload in bytes.
    pub max_bytes: u64,
    /// Largest image (or video frame) in pixels, checked from the header.
    pub max_pixels: u64,
    /// Longest video in milliseconds, checked by probing.
    pub max_video_ms: u64,
    /// Most PDF pages read for text.
    pub max_pages: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 256 * 1024 * 1024,
            max_pixels: 100_000_000,
            max_video_ms: 10 * 60 * 1000,
            max_pages: 500,
        }
    }
}
