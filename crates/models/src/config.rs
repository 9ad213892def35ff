use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Where the models are and how they run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ModelsConfig {
    /// The folder `scripts/models` installed the files into (env
    /// `BONAFIDE_MODELS`).
    pub dir: PathBuf,
    /// Threads each model runs on; 0: one per core.
    pub threads: usize,
    /// Most frames of a video that are embedded, spread evenly over its
    /// sampled frames (each costs one image's inference).
    pub video_frames: usize,
}

impl Default for ModelsConfig {
    fn default() -> Self {
        Self {
            dir: PathBuf::from("models"),
            threads: 0,
            video_frames: 8,
        }
    }
}
