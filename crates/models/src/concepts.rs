//! Matching task texts to what the image models can recognise.
//!
//! No text tower of an image–text model can be had, so "does this picture
//! fit this task" is answered through words: each ImageNet class is
//! described by its WordNet lemmas and definition, each COCO object
//! category by its name, synonyms and WordNet gloss, and a task's text is
//! compared with every description by sentence embedding (MiniLM). A
//! task's [`TaskProfile`] ranks the 1000 classes among themselves and the
//! 80 categories among themselves by how related they are to it; what the
//! classifier and the object detector saw in an upload is then placed in
//! those rankings.
//! Raw cosines between a task and class descriptions are small and vary by
//! task (0.05–0.55), so ranks (percentiles) are compared instead.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use bonafide_core::Embedding;

use crate::{Concept, ModelError, SentenceEncoder};

/// Texts embedded per inference when describing the classes.
const BATCH: usize = 32;
/// Task profiles kept; the cache is emptied when it grows past this.
const CACHED_TASKS: usize = 4096;

/// The classes' and categories' meanings, and a cache of task profiles.
#[derive(Debug)]
pub struct ConceptSpace {
    /// The classifier's classes, then the object detector's categories.
    concepts: Vec<Concept>,
    /// Index in `concepts` of each object category, by its label.
    objects: HashMap<String, usize>,
    /// The descriptions' embeddings, made on first use: ~10 s of MiniLM on
    /// a 2-core machine, which a process that never sees a task (a `scan`
    /// of a folder, a bank import) should not pay at start-up.
    meanings: Mutex<Option<Arc<Vec<Embedding>>>>,
    encoder: Arc<SentenceEncoder>,
    profiles: Mutex<HashMap<String, Arc<TaskProfile>>>,
}

/// How related every class is to one task's text.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskProfile {
    /// Per concept: its rank by relatedness to the task among the concepts
    /// of its kind (classes, object categories), 0 (least related) to 1
    /// (most).
    pub percentile: Vec<f32>,
    /// The classes most related to the task, most first: what it expects.
    pub expected: Vec<usize>,
    /// The object categories most related to the task, most first.
    pub expected_objects: Vec<usize>,
}

/// Things named per kind as what a task expects.
const EXPECTED: usize = 5;

/// Writes the percentile (0 least related to 1 most) of each concept of
/// `range` among the others of `range` by `cosines`; returns the `n` most
/// related, most first.
fn rank(
    cosines: &[f32],
    range: std::ops::Range<usize>,
    percentile: &mut [f32],
    n: usize,
) -> Vec<usize> {
    let mut order: Vec<usize> = range.collect();
    order.sort_by(|&a, &b| cosines[a].total_cmp(&cosines[b]));
    let last = (order.len().max(2) - 1) as f32;
    for (rank, &i) in order.iter().enumerate() {
        percentile[i] = rank as f32 / last;
    }
    order.iter().rev().take(n).copied().collect()
}

impl ConceptSpace {
    /// The space of the classifier's `classes` and the object detector's
    /// `objects` (see [`crate::coco::concepts`]); their descriptions are
    /// embedded on the first [`ConceptSpace::profile`] or
    /// [`ConceptSpace::prepare`].
    pub fn new(classes: &[Concept], objects: &[Concept], encoder: Arc<SentenceEncoder>) -> Self {
        Self {
            concepts: classes.iter().chain(objects).cloned().collect(),
            objects: objects
                .iter()
                .enumerate()
                .map(|(i, o)| (o.name.clone(), classes.len() + i))
                .collect(),
            meanings: Mutex::new(None),
            encoder,
            profiles: Mutex::new(HashMap::new()),
        }
    }

    /// Embeds every class's description now, if not yet done (blocking;
    /// a server calls it at start so its first task upload does not wait).
    pub fn prepare(&self) -> Result<(), ModelError> {
        self.meanings().map(drop)
    }

    /// The descriptions' embeddings, made once; callers arriving while
    /// they are made wait for them rather than make them again.
    fn meanings(&self) -> Result<Arc<Vec<Embedding>>, ModelError> {
        let mut meanings = self.meanings.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(m) = &*meanings {
            return Ok(m.clone());
        }
        let descriptions: Vec<String> = self.concepts.iter().map(Concept::description).collect();
        let mut made = Vec::with_capacity(descriptions.len());
        for chunk in descriptions.chunks(BATCH) {
            let texts: Vec<&str> = chunk.iter().map(String::as_str).collect();
            made.extend(self.encoder.embed(&texts)?);
        }
        Ok(meanings.insert(Arc::new(made)).clone())
    }

    /// The classes, in the classifier's order (so a class's index is its
    /// classifier output), then the object categories.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The index in [`ConceptSpace::concepts`] of the object category
    /// `label` ("dog"), if the space has it.
    pub fn object(&self, label: &str) -> Option<usize> {
        self.objects.get(label).copied()
    }

    /// The profile of a task text (cached: tasks are few, uploads many).
    pub fn profile(&self, task_text: &str) -> Result<Arc<TaskProfile>, ModelError> {
        let key = task_text.trim().to_owned();
        if let Some(p) = self.lock().get(&key) {
            return Ok(p.clone());
        }
        let task = self
            .encoder
            .embed(&[&key])?
            .pop()
            .expect("one text, one embedding");
        let cosines: Vec<f32> = self.meanings()?.iter().map(|m| m.cosine(&task)).collect();
        // Each kind ranked among its own: the categories' descriptions are
        // bare word lists, whose cosines run higher than the classes'
        // lemmas-and-definition texts, so one ranking would put any object
        // above most classes for any task.
        let classes = cosines.len() - self.objects.len();
        let mut percentile = vec![0.0; cosines.len()];
        let expected = rank(&cosines, 0..classes, &mut percentile, EXPECTED);
        let expected_objects = rank(&cosines, classes..cosines.len(), &mut percentile, EXPECTED);
        let profile = Arc::new(TaskProfile {
            percentile,
            expected,
            expected_objects,
        });
        let mut cache = self.lock();
        if cache.len() >= CACHED_TASKS {
            cache.clear();
        }
        cache.insert(key, profile.clone());
        Ok(profile)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<TaskProfile>>> {
        self.profiles.lock().unwrap_or_else(|p| p.into_inner())
    }
}
