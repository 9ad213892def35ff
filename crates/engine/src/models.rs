//! The models the engine runs once per upload (like the PDQ hash) for every
//! detector that reads their output, and which of them are missing.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use bonafide_core::{Artefacts, BodyParts, Embedding, Poses, Region, SeenObjects};
use bonafide_models::{
    BodyPartDetector, ClipImageEncoder, ConceptSpace, CopyDescriptor, CopySpace,
    ImageNetClassifier, ModelDir, ModelError, ModelsConfig, ObjectDetector, PoseEstimator, Runtime,
    SentenceEncoder, TextLineDetector, TextReader, Vocabulary,
};
use image::RgbImage;

use crate::EngineError;

/// The loaded models; a model that could not be loaded is remembered with
/// the reason, for the findings of the detectors it skips.
#[derive(Debug)]
pub(crate) struct Models {
    clip: Option<ClipImageEncoder>,
    copy: Option<CopyDescriptor>,
    classifier: Option<ImageNetClassifier>,
    concepts: Option<Arc<ConceptSpace>>,
    bodies: Option<BodyPartDetector>,
    objects: Option<ObjectDetector>,
    poses: Option<PoseEstimator>,
    text: Option<Arc<TextLineDetector>>,
    reader: Option<Arc<TextReader>>,
    vocabulary: Arc<Vocabulary>,
    unavailable: HashMap<&'static str, String>,
    video_frames: usize,
}

impl Models {
    /// Loads what is installed, once per process however many engines ask
    /// (the models take ~300 MB and a few seconds). Never fails: a missing
    /// model means fewer detectors, said once here and on every upload
    /// they skip.
    pub(crate) fn shared(cfg: &ModelsConfig) -> Arc<Self> {
        static LOADED: Mutex<Vec<(ModelsConfig, Arc<Models>)>> = Mutex::new(Vec::new());
        let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, models)) = loaded.iter().find(|(c, _)| c == cfg) {
            return models.clone();
        }
        let models = Arc::new(Self::load(cfg));
        loaded.push((cfg.clone(), models.clone()));
        models
    }

    fn load(cfg: &ModelsConfig) -> Self {
        let mut unavailable = HashMap::new();
        let mut note = |files: &[&'static str], e: &ModelError| {
            tracing::warn!(error = %e, "a model is unavailable; the detectors that need it are skipped");
            for f in files {
                unavailable.insert(*f, e.to_string());
            }
        };
        let runtime = match Runtime::load(&ModelDir::new(&cfg.dir), cfg.threads) {
            Ok(rt) => Some(rt),
            Err(e) => {
                let all = [
                    ClipImageEncoder::FILE,
                    CopyDescriptor::FILE,
                    ImageNetClassifier::FILE,
                    SentenceEncoder::FILE,
                    BodyPartDetector::FILE,
                    ObjectDetector::FILE,
                    PoseEstimator::FILE,
                    TextLineDetector::FILE,
                    TextReader::FILE,
                ];
                note(&all, &e);
                None
            }
        };
        let clip = runtime.as_ref().and_then(|rt| {
            ClipImageEncoder::load(rt)
                .map_err(|e| note(&[ClipImageEncoder::FILE], &e))
                .ok()
        });
        let copy = runtime.as_ref().and_then(|rt| {
            CopyDescriptor::load(rt)
                .map_err(|e| note(&[CopyDescriptor::FILE], &e))
                .ok()
        });
        let classifier = runtime.as_ref().and_then(|rt| {
            ImageNetClassifier::load(rt)
                .map_err(|e| note(&[ImageNetClassifier::FILE], &e))
                .ok()
        });
        let bodies = runtime.as_ref().and_then(|rt| {
            BodyPartDetector::load(rt)
                .map_err(|e| note(&[BodyPartDetector::FILE], &e))
                .ok()
        });
        let objects = runtime.as_ref().and_then(|rt| {
            ObjectDetector::load(rt)
                .map_err(|e| note(&[ObjectDetector::FILE], &e))
                .ok()
        });
        let poses = runtime.as_ref().and_then(|rt| {
            PoseEstimator::load(rt)
                .map_err(|e| note(&[PoseEstimator::FILE], &e))
                .ok()
        });
        let text = runtime.as_ref().and_then(|rt| {
            TextLineDetector::load(rt)
                .map_err(|e| note(&[TextLineDetector::FILE], &e))
                .ok()
                .map(Arc::new)
        });
        let reader = runtime.as_ref().and_then(|rt| {
            TextReader::load(rt)
                .map_err(|e| note(&[TextReader::FILE], &e))
                .ok()
                .map(Arc::new)
        });
        let concepts = match (&runtime, &classifier) {
            (Some(rt), Some(classifier)) => SentenceEncoder::load(rt)
                .map(|encoder| {
                    let objects = bonafide_models::object_concepts();
                    ConceptSpace::new(classifier.concepts(), &objects, Arc::new(encoder))
                })
                .map_err(|e| note(&[SentenceEncoder::FILE], &e))
                .ok()
                .map(Arc::new),
            _ => None,
        };
        let vocabulary = Arc::new(Vocabulary::new(
            classifier.as_ref().map_or(&[][..], |c| c.concepts()),
        ));
        Self {
            vocabulary,
            clip,
            copy,
            classifier,
            concepts,
            bodies,
            objects,
            poses,
            text,
            reader,
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

    /// The OCR text detector, when installed (run by its detector only
    /// for tasks that ask for documents).
    pub(crate) fn text_lines(&self) -> Option<Arc<TextLineDetector>> {
        self.text.clone()
    }

    /// The OCR text recogniser, when installed.
    pub(crate) fn text_reader(&self) -> Option<Arc<TextReader>> {
        self.reader.clone()
    }

    /// The words tasks may require or forbid.
    pub(crate) fn vocabulary(&self) -> Arc<Vocabulary> {
        self.vocabulary.clone()
    }

    /// The task-text ↔ class matcher, when its models are installed.
    pub(crate) fn concepts(&self) -> Option<Arc<ConceptSpace>> {
        self.concepts.clone()
    }

    /// The upload's pictures for the image models: the photo, or up to
    /// `video_frames` of a video's sampled frames spread evenly.
    fn pictures(&self, art: &Artefacts) -> Vec<Arc<RgbImage>> {
        match (&art.image, &art.video) {
            (Some(image), _) => image.colour.iter().cloned().collect(),
            (None, Some(video)) => spread(&video.frames, self.video_frames)
                .map(|f| f.image.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// What the image models make of the upload's pictures (each part
    /// empty without its model), off the async threads. The classifier,
    /// the object detector and the pose estimator (on the people the
    /// detector found) run only when `classify` (the upload answers a
    /// task).
    pub(crate) async fn run(
        self: &Arc<Self>,
        art: &Artefacts,
        classify: bool,
    ) -> Result<Outputs, EngineError> {
        let pictures = self.pictures(art);
        if pictures.is_empty() {
            return Ok(Outputs::default());
        }
        let photo = art.image.is_some();
        let models = self.clone();
        tokio::task::spawn_blocking(move || -> Result<_, ModelError> {
            let refs: Vec<&RgbImage> = pictures.iter().map(|p| p.as_ref()).collect();
            let mut out = Outputs::default();
            if let Some(clip) = &models.clip {
                out.embeddings = clip.embed(&refs)?;
            }
            if let Some(copy) = &models.copy {
                for picture in &refs {
                    let working = CopyDescriptor::working(picture);
                    out.copy_descriptors.push(describe(copy, &working)?);
                    // A photo's regions are described later, only if the
                    // whole finds nothing: keep its working copy.
                    if photo {
                        out.copy_working = Some(Arc::new(working));
                    }
                }
            }
            if let Some(c) = models.classifier.as_ref().filter(|_| classify) {
                out.concepts = c.probabilities(&refs)?.into_iter().map(Arc::from).collect();
            }
            if let Some(d) = models.objects.as_ref().filter(|_| classify) {
                out.objects = refs.iter().map(|p| d.detect(p)).collect::<Result<_, _>>()?;
            }
            if let Some(estimator) = &models.poses {
                out.poses = refs
                    .iter()
                    .zip(&out.objects)
                    .map(|(picture, seen)| poses(estimator, picture, seen))
                    .collect::<Result<_, _>>()?;
            }
            if let Some(b) = &models.bodies {
                out.body_parts = refs.iter().map(|p| b.detect(p)).collect::<Result<_, _>>()?;
            }
            Ok(out)
        })
        .await
        .map_err(|e| EngineError::Tool(format!("image models failed: {e}")))?
        .map_err(|e| EngineError::Tool(e.to_string()))
    }
}

impl Models {
    /// The vectors a decoded photo is matched by, off the async threads:
    /// its CLIP embedding (when `embed`) and its copy descriptor with the
    /// working picture its regions are cut from (each `None` without its
    /// model or a photo).
    pub(crate) async fn photo_vectors(
        self: &Arc<Self>,
        art: &Artefacts,
        embed: bool,
    ) -> Result<PhotoVectors, EngineError> {
        let Some(colour) = art.image.as_ref().and_then(|i| i.colour.clone()) else {
            return Ok(PhotoVectors::default());
        };
        let models = self.clone();
        tokio::task::spawn_blocking(move || -> Result<_, ModelError> {
            let mut out = PhotoVectors::default();
            if let Some(clip) = models.clip.as_ref().filter(|_| embed) {
                out.embedding = clip.embed(&[colour.as_ref()])?.pop();
            }
            if let Some(copy) = &models.copy {
                let working = CopyDescriptor::working(&colour);
                out.descriptor = Some(describe(copy, &working)?);
                out.working = Some(Arc::new(working));
            }
            Ok(out)
        })
        .await
        .map_err(|e| EngineError::Tool(format!("image models failed: {e}")))?
        .map_err(|e| EngineError::Tool(e.to_string()))
    }

    /// Copy descriptors of the regions of `working` (a photo's working
    /// picture, `width`×`height` in the upload) where a copy may sit, with
    /// each region's box in the upload's pixels; empty without the model.
    pub(crate) async fn describe_regions(
        self: &Arc<Self>,
        working: Arc<RgbImage>,
        width: u32,
        height: u32,
    ) -> Result<Vec<(Region, Embedding)>, EngineError> {
        if self.copy.is_none() {
            return Ok(Vec::new());
        }
        let models = self.clone();
        tokio::task::spawn_blocking(move || -> Result<_, ModelError> {
            let copy = models.copy.as_ref().expect("checked above");
            let regions = bonafide_matching::regions::proposals(&working);
            let raw = copy.describe_regions(&working, &regions)?;
            let (sx, sy) = (
                width as f32 / working.width().max(1) as f32,
                height as f32 / working.height().max(1) as f32,
            );
            let space = CopySpace::shipped();
            Ok(regions
                .iter()
                .zip(raw)
                .map(|(r, d)| (r.scaled(sx, sy), space.project(&d)))
                .collect())
        })
        .await
        .map_err(|e| EngineError::Tool(format!("copy descriptor failed: {e}")))?
        .map_err(|e| EngineError::Tool(e.to_string()))
    }

    /// Whether the copy-descriptor model is loaded.
    pub(crate) fn describes_copies(&self) -> bool {
        self.copy.is_some()
    }
}

/// A picture's copy descriptor, centred on the shipped background.
fn describe(copy: &CopyDescriptor, working: &RgbImage) -> Result<Embedding, ModelError> {
    Ok(CopySpace::shipped().project(&copy.describe(working)?))
}

/// What [`Models::photo_vectors`] computes.
#[derive(Debug, Default)]
pub(crate) struct PhotoVectors {
    pub(crate) embedding: Option<Embedding>,
    pub(crate) descriptor: Option<Embedding>,
    pub(crate) working: Option<Arc<RgbImage>>,
}

impl crate::Engine {
    /// Prepares, in the background, what the models compute once per
    /// process on first use (the task matcher's class descriptions), so
    /// a server's first task upload does not wait for it (`serve` calls
    /// this at start; a short-lived `scan` never pays for it unless asked
    /// about a task).
    pub fn warm_up_models(&self) {
        let Some(concepts) = self.inner.models.concepts() else {
            return;
        };
        tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            match concepts.prepare() {
                Ok(()) => tracing::info!(
                    ms = started.elapsed().as_millis() as u64,
                    "task matcher ready"
                ),
                Err(error) => tracing::error!(%error, "task matcher could not be prepared"),
            }
        });
    }
}

/// The image models' outputs for one upload's pictures.
#[derive(Debug, Default)]
pub(crate) struct Outputs {
    pub(crate) embeddings: Vec<Embedding>,
    pub(crate) copy_descriptors: Vec<Embedding>,
    /// A photo's picture at the copy descriptor's working scale, for its
    /// regions.
    pub(crate) copy_working: Option<Arc<RgbImage>>,
    pub(crate) concepts: Vec<Arc<[f32]>>,
    pub(crate) body_parts: Vec<BodyParts>,
    pub(crate) objects: Vec<SeenObjects>,
    pub(crate) poses: Vec<Poses>,
}

/// People a picture's poses are read for: its best-scored person boxes
/// (MoveNet Lightning reads one person at a time, ~10 ms each).
const POSED_PEOPLE: usize = 3;

/// The poses of the people `seen` in `picture`: its best [`POSED_PEOPLE`]
/// person boxes (every box the detector reports, from
/// [`bonafide_models::MIN_OBJECT_SCORE`]: a pose may confirm a doubtful
/// one).
fn poses(
    estimator: &PoseEstimator,
    picture: &RgbImage,
    seen: &SeenObjects,
) -> Result<Poses, ModelError> {
    seen.iter()
        .filter(|o| o.label == "person")
        .take(POSED_PEOPLE)
        .map(|o| estimator.estimate(picture, o.region))
        .collect()
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
