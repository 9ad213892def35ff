//! Matching task texts to what the image classifier can recognise.
//!
//! No text tower of an image–text model can be had, so "does this picture
//! fit this task" is answered through words: each ImageNet class is
//! described by its WordNet lemmas and definition, and a task's text is
//! compared with every description by sentence embedding (MiniLM). A
//! task's [`TaskProfile`] ranks the 1000 classes by how related they are to
//! it; what the classifier saw in an upload is then placed in that ranking.
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

/// The classes' meanings, and a cache of task profiles.
#[derive(Debug)]
pub struct ConceptSpace {
    concepts: Vec<Concept>,
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
    /// Per class: its rank among all classes by relatedness to the task,
    /// 0 (least related) to 1 (most).
    pub percentile: Vec<f32>,
    /// The classes most related to the task, most first: what it expects.
    pub expected: Vec<usize>,
}

impl ConceptSpace {
    /// The space of `concepts`; their descriptions are embedded on the
    /// first [`ConceptSpace::profile`] or [`ConceptSpace::prepare`].
    pub fn new(concepts: &[Concept], encoder: Arc<SentenceEncoder>) -> Self {
        Self {
            concepts: concepts.to_vec(),
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

    /// The classes, in the classifier's order.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
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
        let mut order: Vec<usize> = (0..cosines.len()).collect();
        order.sort_by(|&a, &b| cosines[a].total_cmp(&cosines[b]));
        let last = (order.len().max(2) - 1) as f32;
        let mut percentile = vec![0.0; cosines.len()];
        for (rank, &i) in order.iter().enumerate() {
            percentile[i] = rank as f32 / last;
        }
        let expected = order.iter().rev().take(5).copied().collect();
        let profile = Arc::new(TaskProfile {
            percentile,
            expected,
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
