//! Checking a task before it is saved: every word it requires or forbids
//! must mean something to the installed models, so no answer is ever held
//! to a requirement nothing can check.

use bonafide_core::Task;
use bonafide_models::UnknownWord;

use crate::Engine;

/// Why a task cannot be saved.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// A `must_show` or `must_not_show` word no model knows.
    #[error("{field}: {source}")]
    UnknownWord {
        /// `must_show` or `must_not_show`.
        field: &'static str,
        /// The word and the nearest known ones.
        #[source]
        source: UnknownWord,
    },
    /// A `person_count` whose minimum is above its maximum.
    #[error("person_count: min {min} is above max {max}")]
    PersonRange {
        /// The minimum given.
        min: u32,
        /// The maximum given.
        max: u32,
    },
}

impl Engine {
    /// Whether `task` can be saved: its requirement words known to the
    /// models (COCO objects, ImageNet concepts), its person range sound.
    pub fn check_task(&self, task: &Task) -> Result<(), TaskError> {
        let r = &task.requirements;
        let vocabulary = self.inner.models.vocabulary();
        for (field, words) in [
            ("must_show", &r.must_show),
            ("must_not_show", &r.must_not_show),
        ] {
            for word in words {
                vocabulary
                    .resolve(word)
                    .map_err(|source| TaskError::UnknownWord { field, source })?;
            }
        }
        if let Some(count) = r.person_count
            && let (Some(min), Some(max)) = (count.min, count.max)
            && min > max
        {
            return Err(TaskError::PersonRange { min, max });
        }
        Ok(())
    }
}
