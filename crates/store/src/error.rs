/// Storage failures. `Conflict` and `NotFound` are the caller's to handle;
/// the rest are infrastructure errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The blob store failed.
    #[error(transparent)]
    Blob(#[from] crate::BlobError),
    /// A URL or setting is unusable.
    #[error("configuration: {0}")]
    Config(String),
    /// A stored JSON value does not parse (a bug or a manual edit).
    #[error("stored data is malformed: {0}")]
    Malformed(String),
    /// The upload has no image embedding (not a photo, or screened without
    /// the model).
    #[error("upload {0} has no image embedding")]
    NotEmbedded(String),
    /// The operation needs the other backend.
    #[error("not supported by this store: {0}")]
    Unsupported(&'static str),
    /// A job's lease passed to another worker before this one finished.
    #[error("the job's lease was lost")]
    LeaseLost,
}

/// Result alias for this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        Self::Malformed(e.to_string())
    }
}
