//! The models the engine runs once per upload (like the PDQ hash) for every
//! detector that reads their output, and which of them are missing.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use bonafide_core::{Artefacts, Embedding};
use bonafide_models::{ClipImageEncoder, ModelDir, ModelError, ModelsConfig, Runtime};

use crate::EngineError;

/// The loaded models; a model that could not be loaded is remembered with
/// the reason, for the findings of the detectors it skips.
#[derive(Debug)]
pub(crate) struct Models {
    clip: Option<Arc<ClipImageEncoder>>,
    unavailable: HashMap<&'static str, String>,
    video_frames: usize,
}

impl Models {
    /// Loads what is installed. Never fails: a missing model means fewer
    /// detectors, said once here and on every upload they skip.
    pub(crate) fn load(cfg: &ModelsConfig) -> Self {
        let mut unavailable = HashMap::new();
        let clip = shared_clip(cfg)
            .map_err(|e| {
                tracing::warn!(error = %e, "image embeddings are off; the detectors that need them are skipped");
                unavailable.insert(ClipImageEncoder::FILE, e.to_string());
            })
            .ok();
        Self {
            clip,
            unavailable,
            video_frames: cfg.video_frames.max(1),
        }
    }

    /// Why the model file `file` is unavailable; `None` when it is loaded.
    pub(crate) fn unavailable(&self, file: &str) -> Option<&str> {
        self.unavailable.get(file).map(String::as_str)
    }

    /// Every unavailable model with the reason.
    pub(crate) fn all_unavailable(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.unavailable.iter().map(|(f, why)| (*f, why.as_str()))
    }

    /// CLIP embeddings of the upload's picture, or of up to `video_frames`
    /// of a video's sampled frames (spread evenly), in one batch; none
    /// without the model or pictures.
    pub(crate) async fn embed(&self, art: &Artefacts) -> Result<Vec<Embedding>, EngineError> {
        let Some(clip) = self.clip.clone() else {
            return Ok(Vec::new());
        };
        let pictures = match (&art.image, &art.video) {
            (Some(image), _) => vec![image.colour.clone()],
            (None, Some(video)) => spread(&video.frames, self.video_frames)
                .map(|f| f.image.clone())
                .collect(),
            _ => return Ok(Vec::new()),
        };
        if pictures.is_empty() {
            return Ok(Vec::new());
        }
        tokio::task::spawn_blocking(move || {
            let refs: Vec<_> = pictures.iter().map(|p| p.as_ref()).collect();
            clip.embed(&refs)
        })
        .await
        .map_err(|e| EngineError::Tool(format!("embedding failed: {e}")))?
        .map_err(|e| EngineError::Tool(e.to_string()))
    }
}

/// The CLIP encoder of `cfg`'s folder, loaded once per process however many
/// engines ask (a model is ~100 MB in memory and takes a second to load).
fn shared_clip(cfg: &ModelsConfig) -> Result<Arc<ClipImageEncoder>, ModelError> {
    static LOADED: Mutex<Vec<(ModelsConfig, Arc<ClipImageEncoder>)>> = Mutex::new(Vec::new());
    let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, clip)) = loaded.iter().find(|(c, _)| c == cfg) {
        return Ok(clip.clone());
    }
    let runtime = Runtime::load(&ModelDir::new(&cfg.dir), cfg.threads)?;
    let clip = Arc::new(ClipImageEncoder::load(&runtime)?);
    loaded.push((cfg.clone(), clip.clone()));
    Ok(clip)
}

/// At most `n` items spread evenly over `items`, first included.
fn spread<T>(items: &[T], n: usize) -> impl Iterator<Item = &T> {
    let len = items.len();
    let take = len.min(n);
    (0..take).map(move |i| &items[i * len / take])
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn spreads_evenly() {
        let v: Vec<u32> = (0..30).collect();
        assert_eq!(spread(&v, 3).copied().collect::<Vec<_>>(), [0, 10, 20]);
        assert_eq!(spread(&v[..2], 8).count(), 2);
        assert_eq!(spread::<u32>(&[], 8).count(), 0);
    }
}
