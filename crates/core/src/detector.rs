use async_trait::async_trait;

use crate::{
    Artefacts, BankHit, CopyMatch, ExactIndex, Finding, MediaKind, NearIndex, SemanticIndex, Task,
    TaskExemplar, UploadMeta,
};

/// Why a detector could not give its findings. The engine turns an error into
/// a `detector.error` finding (so the upload goes to review) and carries on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DetectorError {
    /// A lookup in an index or store failed.
    #[error("lookup failed: {0}")]
    Lookup(String),
    /// Anything else the detector could not do.
    #[error("{0}")]
    Other(String),
}

/// A detector: one signal, one module. It reads the shared [`Artefacts`]
/// and the upload's [`Context`], and says what it found.
///
/// Detectors run concurrently; one that burns CPU should move its work to a
/// blocking thread itself.
#[async_trait]
pub trait Detector: Send + Sync {
    /// Stable snake_case name, stored with each finding.
    fn name(&self) -> &'static str;

    /// Whether this detector looks at media of `kind`.
    fn accepts(&self, kind: MediaKind) -> bool;

    /// Every code its findings may carry. The engine refuses at start a
    /// policy rule naming a code that no detector declares (a typo would
    /// otherwise be a rule that never fires).
    fn codes(&self) -> &'static [&'static str];

    /// Model files (names in the models manifest) this detector cannot work
    /// without. When one is not installed the engine skips the detector and
    /// says so in a `detector.skipped` finding.
    fn models(&self) -> &[&'static str] {
        &[]
    }

    /// Looks at one upload.
    async fn analyze(
        &self,
        artefacts: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError>;
}

/// What a detector knows about an upload besides its content.
pub struct Context<'a> {
    /// The upload's metadata.
    pub upload: &'a UploadMeta,
    /// The task it answers, if any.
    pub task: Option<&'a Task>,
    /// The task's example uploads with their embeddings (empty without a
    /// task or examples).
    pub exemplars: &'a [TaskExemplar],
    /// The content-hash index, for exact-duplicate lookups.
    pub exact: &'a dyn ExactIndex,
    /// The perceptual-hash index, for near-duplicate lookups.
    pub near: &'a dyn NearIndex,
    /// The image-embedding index, for semantic near-duplicate lookups.
    pub semantic: &'a dyn SemanticIndex,
    /// Entries of banks of known images (stock catalogues, reference sets,
    /// the allowlist) that this upload matches, closest first — looked up
    /// once per upload by the engine for every detector that needs them.
    pub bank_hits: &'a [BankHit],
    /// Earlier uploads this upload copies by copy descriptor (the whole
    /// picture, or a region of it when the whole found nothing), best
    /// first — looked up once by the engine, like the banks.
    pub copies: &'a [CopyMatch],
}
