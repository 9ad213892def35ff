use std::sync::Arc;

use bonafide_decide::{Policy, PolicyError};
use bonafide_ingest::{IngestError, UploadRequest};
use bonafide_metadata::{C2paReader, CameraTables};
use bonafide_store::{
    Backend, BlobError, NewUpload, Outage, StageError, StagedUpload, Store, StoreError, VectorTable,
};
use bytes::Bytes;
use tokio::sync::Notify;

use crate::{
    EngineConfig, Metrics, Registry, StandardParts,
    semantic_index::{HnswIndex, PgvectorIndex},
};

/// Why the engine could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The client's request is unacceptable (4xx).
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The upload names a task that does not exist.
    #[error("unknown task {0:?}")]
    UnknownTask(String),
    /// A referenced blob does not exist.
    #[error("no object at blob key {0:?}")]
    BlobNotFound(String),
    /// A `blob_key` outside the calling client's folder.
    #[error("blob key {key:?} is outside this API client's folder {folder:?}")]
    BlobKeyForbidden {
        /// The key asked for.
        key: String,
        /// Where this client's objects must be.
        folder: String,
    },
    /// The configured folder for clients' objects is one Bonafide writes.
    #[error("blob_uploads_prefix {0:?}: one folder name, not {reserved:?}", reserved = bonafide_store::RESERVED_PREFIXES)]
    BlobUploadsPrefix(String),
    /// The policy file is unusable.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// Reading the policy file failed.
    #[error("cannot read policy {path}: {source}")]
    PolicyFile {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An external decoding tool failed (retried by jobs).
    #[error("decoder tooling failed: {0}")]
    Tool(String),
    /// A webhook delivery failed (retried by jobs).
    #[error(transparent)]
    Webhook(#[from] bonafide_act::WebhookError),
    /// The camera quantisation tables file is unusable.
    #[error("cannot use camera tables {path}: {reason}")]
    CameraTables {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The C2PA trust list is unusable.
    #[error(transparent)]
    C2paTrust(#[from] bonafide_metadata::C2paConfigError),
    /// The web-search provider is misconfigured.
    #[error("web search: {0}")]
    WebSearch(#[from] bonafide_matching::web::WebSearchError),
    /// A search or bank import was given a file that is not a decodable
    /// photo (4xx).
    #[error("not a decodable image: {0}")]
    NotAnImage(String),
    /// Storage failed (5xx, retried by jobs).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The detectors configured cannot be assembled.
    #[error(transparent)]
    Registry(#[from] crate::RegistryError),
    /// A job ran past its deadline (retried like any failure, then
    /// dead-lettered).
    #[error("the job ran past its {0:?} deadline")]
    Deadline(std::time::Duration),
    /// A job panicked (a bug, retried like any failure, then dead-lettered).
    #[error("the job panicked: {0}")]
    Panicked(String),
}

impl EngineError {
    /// The storage outage behind this error, if it is one: the request or
    /// job is fine and worth retrying once the store is back.
    pub fn outage(&self) -> Option<Outage> {
        match self {
            Self::Store(e) => e.outage(),
            _ => None,
        }
    }
}

/// Why an upload's bytes could not be received: the body's own failure,
/// for the caller to answer in its terms (a broken form, an unreadable
/// object), or one the engine reports (too large, the store).
#[derive(Debug)]
pub enum StageFailure<E> {
    /// The body failed.
    Body(E),
    /// Anything else.
    Engine(EngineError),
}

impl<E> From<StageError<E>> for StageFailure<E> {
    fn from(e: StageError<E>) -> Self {
        match e {
            StageError::Body(e) => Self::Body(e),
            StageError::TooLarge { cap } => Self::Engine(
                IngestError::TooLarge {
                    size: cap + 1,
                    limit: cap,
                }
                .into(),
            ),
            StageError::Store(e) => Self::Engine(e.into()),
        }
    }
}

/// A freshly accepted upload.
#[derive(Debug, Clone)]
pub struct Ingested {
    /// Its id.
    pub upload_id: String,
    /// Its content hash.
    pub sha256: String,
}

/// The pipeline: store, detectors, policy and metrics, shared by the HTTP
/// server, the workers and the CLI.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) registry: Registry,
    pub(crate) policy: Policy,
    pub(crate) config: EngineConfig,
    pub(crate) metrics: Metrics,
    /// Wakes idle workers when work is enqueued in this process.
    pub(crate) work: Notify,
    pub(crate) webhooks: bonafide_act::WebhookSender,
    pub(crate) near: crate::near_index::PdqIndex,
    /// Image embeddings: in process on SQLite, pgvector on PostgreSQL.
    pub(crate) semantic: Box<dyn bonafide_core::SemanticIndex>,
    /// Copy descriptors, indexed the same way.
    pub(crate) copies: Box<dyn bonafide_core::SemanticIndex>,
    /// Earlier uploads still being screened (shared by the indexes).
    pub(crate) earlier: Arc<crate::in_flight::EarlierUploads>,
    /// The ONNX models, loaded once per process.
    pub(crate) models: Arc<crate::models::Models>,
    pub(crate) banks: crate::bank_index::Banks,
    /// Who shares what with whom: the fraud graph.
    pub(crate) fraud: crate::fraud_graph::FraudGraph,
    /// Validates C2PA credentials against the configured trust list.
    pub(crate) credentials: C2paReader,
    /// The deployment's keys, loaded on first use.
    pub(crate) secrets: tokio::sync::OnceCell<crate::secrets::Secrets>,
}

impl Engine {
    /// Builds an engine with the standard detectors and the configured
    /// (or default) policy.
    pub fn new(store: Store, config: EngineConfig) -> Result<Self, EngineError> {
        let prefix = &config.blob_uploads_prefix;
        if prefix.is_empty()
            || prefix.contains('/')
            || bonafide_store::RESERVED_PREFIXES.contains(&prefix.as_str())
        {
            return Err(EngineError::BlobUploadsPrefix(prefix.clone()));
        }
        let policy = match &config.policy_path {
            None => Policy::default(),
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|source| EngineError::PolicyFile {
                        path: path.display().to_string(),
                        source,
                    })?;
                Policy::from_toml(&text)?
            }
        };
        let credentials = C2paReader::new(&config.c2pa)?;
        let camera_tables = match &config.camera_tables {
            None => CameraTables::shipped(),
            Some(path) => {
                CameraTables::from_file(path).map_err(|reason| EngineError::CameraTables {
                    path: path.display().to_string(),
                    reason,
                })?
            }
        };
        let models = crate::models::Models::shared(&config.models);
        let web = config
            .web_search
            .as_ref()
            .map(|w| w.build(&config.egress))
            .transpose()?;
        let registry = Registry::standard(StandardParts {
            camera_tables,
            concepts: models.concepts(),
            vocabulary: models.vocabulary(),
            text: models.text_lines(),
            reader: models.text_reader(),
            web,
        })
        .without(&config.disabled_detectors)?;
        policy.check_codes(&screening_codes(&registry))?;
        Ok(Self::with_parts(
            store,
            registry,
            policy,
            config,
            credentials,
            models,
        ))
    }

    /// Builds an engine from explicit parts.
    pub(crate) fn with_parts(
        store: Store,
        registry: Registry,
        policy: Policy,
        config: EngineConfig,
        credentials: C2paReader,
        models: Arc<crate::models::Models>,
    ) -> Self {
        let earlier = Arc::new(crate::in_flight::EarlierUploads::new(store.clone()));
        let clip = bonafide_models::ClipImageEncoder::FILE;
        let descriptor = bonafide_models::CopySpace::shipped().model();
        let index = |table, model| -> Box<dyn bonafide_core::SemanticIndex> {
            match store.db.backend() {
                Backend::Postgres => Box::new(PgvectorIndex::new(
                    store.clone(),
                    table,
                    model,
                    earlier.clone(),
                )),
                Backend::Sqlite => {
                    Box::new(HnswIndex::new(store.clone(), table, model, earlier.clone()))
                }
            }
        };
        let semantic = index(VectorTable::ImageEmbeddings, clip);
        let copies = index(VectorTable::CopyDescriptors, descriptor);
        Self {
            inner: Arc::new(Inner {
                near: crate::near_index::PdqIndex::new(store.clone(), earlier.clone()),
                semantic,
                copies,
                earlier,
                models,
                banks: crate::bank_index::Banks::new(store.clone(), clip, descriptor),
                fraud: crate::fraud_graph::FraudGraph::new(store.clone(), config.fraud.clone()),
                store,
                registry,
                policy,
                metrics: Metrics::default(),
                work: Notify::new(),
                credentials,
                secrets: tokio::sync::OnceCell::new(),

                webhooks: bonafide_act::WebhookSender::new(
                    std::time::Duration::from_secs(config.webhook_timeout_secs.max(1)),
                    &config.egress,
                ),
                config,
            }),
        }
    }

    /// Every finding code a screening may record (what the policy is
    /// checked against at start).
    pub fn known_codes(&self) -> std::collections::BTreeSet<&'static str> {
        screening_codes(&self.inner.registry)
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    /// The configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// The metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The detectors that will not run because a model they need is not
    /// installed: `(detector, model file, why)`.
    pub fn skipped_detectors(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut skipped = Vec::new();
        for (file, why) in self.inner.models.all_unavailable() {
            for d in self.inner.registry.iter() {
                if d.models().contains(&file) {
                    skipped.push((d.name(), file, why.to_owned()));
                }
            }
        }
        skipped
    }

    /// Validates and durably accepts an upload whose bytes came with the
    /// request. On success the upload is committed and queued.
    pub async fn ingest(
        &self,
        req: UploadRequest,
        bytes: Bytes,
        api_client_id: Option<String>,
    ) -> Result<Ingested, EngineError> {
        let limit = self.inner.config.decode.limits.max_bytes;
        if bytes.is_empty() {
            return Err(IngestError::Empty.into());
        }
        if bytes.len() as u64 > limit {
            return Err(IngestError::TooLarge {
                size: bytes.len() as u64,
                limit,
            }
            .into());
        }
        let new = self.new_upload(req, api_client_id).await?;
        let meta = self.inner.store.accept_upload(new, bytes).await?;
        Ok(self.accepted(meta))
    }

    /// Validates and accepts an upload whose bytes API client `client_id`
    /// already put in the blob store at `blob_key`, under its own folder
    /// ([`EngineConfig::client_blob_folder`]). The bytes are streamed once,
    /// with the size cap, to their content-addressed key: what is
    /// screened and shown to reviewers is what was read here, whatever the
    /// client's object holds later.
    pub async fn ingest_stored(
        &self,
        req: UploadRequest,
        blob_key: &str,
        client_id: &str,
    ) -> Result<Ingested, EngineError> {
        // Before anything touches the store, so a key elsewhere (another
        // client's, another upload's bytes) says nothing about what exists.
        let folder = self.inner.config.client_blob_folder(client_id);
        if !blob_key.starts_with(&folder) {
            return Err(EngineError::BlobKeyForbidden {
                key: blob_key.to_owned(),
                folder,
            });
        }
        let store = &self.inner.store;
        let limit = self.inner.config.decode.limits.max_bytes;
        let blob_error = |e| match e {
            BlobError::NotFound(_) | BlobError::InvalidKey(_) => {
                EngineError::BlobNotFound(blob_key.to_owned())
            }
            other => StoreError::from(other).into(),
        };
        // Size first, from the object's metadata: an oversized object is
        // refused without being read.
        let size = store.blobs.size(blob_key).await.map_err(blob_error)?;
        if size > limit {
            return Err(IngestError::TooLarge { size, limit }.into());
        }
        let object = store.blobs.get_stream(blob_key).await.map_err(blob_error)?;
        let staged = self.stage(object).await.map_err(|e| match e {
            StageFailure::Body(e) => blob_error(e),
            StageFailure::Engine(e) => e,
        })?;
        self.ingest_staged(req, staged, Some(client_id.to_owned()))
            .await
    }

    /// Streams an upload's bytes into the blob store (at most the size
    /// limit), hashing them, before anything else about the upload is
    /// known; [`Engine::ingest_staged`] accepts them. Memory stays bounded
    /// whatever the size.
    pub async fn stage<S, E>(&self, body: S) -> Result<StagedUpload, StageFailure<E>>
    where
        S: futures::Stream<Item = Result<Bytes, E>> + Unpin,
    {
        let limit = self.inner.config.decode.limits.max_bytes;
        Ok(self.inner.store.stage_upload(body, limit).await?)
    }

    /// Validates and accepts staged bytes, as [`Engine::ingest`] does with
    /// bytes in memory. Refused, the staged object is deleted.
    pub async fn ingest_staged(
        &self,
        req: UploadRequest,
        staged: StagedUpload,
        api_client_id: Option<String>,
    ) -> Result<Ingested, EngineError> {
        if staged.size == 0 {
            return Err(IngestError::Empty.into());
        }
        let new = self.new_upload(req, api_client_id).await?;
        let meta = self.inner.store.accept_staged(new, staged).await?;
        Ok(self.accepted(meta))
    }

    async fn new_upload(
        &self,
        req: UploadRequest,
        api_client_id: Option<String>,
    ) -> Result<NewUpload, EngineError> {
        let captured = req.validate()?;
        if let Some(task) = &req.task_id
            && self.inner.store.task(task).await?.is_none()
        {
            return Err(EngineError::UnknownTask(task.clone()));
        }
        Ok(NewUpload {
            meta: bonafide_core::UploadMeta {
                id: String::new(),
                // The client's, set when the upload is accepted.
                tenant: String::new(),
                contributor_id: req.contributor_id,
                contributor_name: req.contributor_name,
                device_id: req.device_id,
                device_make: req.device_make,
                device_model: req.device_model,
                client_ip: req.client_ip,
                payout_hash: match req.payout_account.as_deref() {
                    Some(account) => Some(bonafide_fraud::payout_hash(
                        &self.secrets().await?.payout,
                        account,
                    )),
                    None => None,
                },
                task_id: req.task_id,
                declared_capture_at: captured,
                file_name: req.file_name,
                claimed_type: req.content_type,
                sha256: String::new(),
                size_bytes: 0,
                created_at: 0,
            },
            api_client_id,
        })
    }

    fn accepted(&self, meta: bonafide_core::UploadMeta) -> Ingested {
        self.inner.metrics.uploads.inc();
        self.inner.work.notify_one();
        Ingested {
            upload_id: meta.id,
            sha256: meta.sha256,
        }
    }
}

/// Every code a screening may record: the detectors' (see
/// [`Registry::known_codes`]), decoding's, the fraud graph's, and the
/// engine's own for a detector that failed or was skipped.
fn screening_codes(registry: &Registry) -> std::collections::BTreeSet<&'static str> {
    let mut known = registry.known_codes().clone();
    known.extend(bonafide_decode::DecodeError::CODES);
    known.extend(bonafide_fraud::findings::codes::ALL);
    known.extend([
        bonafide_core::codes::DETECTOR_ERROR,
        bonafide_core::codes::DETECTOR_SKIPPED,
    ]);
    known
}
