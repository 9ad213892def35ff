use std::{path::PathBuf, time::Duration};

use bonafide_decode::DecodeConfig;
use bonafide_metadata::C2paConfig;
use bonafide_models::ModelsConfig;
use serde::{Deserialize, Serialize};

use crate::review::ReviewConfig;

/// How the engine screens and how its workers run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConfig {
    /// Decoding limits, sampling and tools.
    pub decode: DecodeConfig,
    /// A policy TOML file; the shipped default when unset.
    pub policy_path: Option<PathBuf>,
    /// Concurrent workers in this process.
    pub workers: usize,
    /// How long a claimed job is held before another worker may take it;
    /// a live worker renews it every third of this.
    pub lease_secs: u64,
    /// Wall-clock seconds one job may run; past it the job fails like any
    /// error (retried, then dead-lettered) and its lease is no longer
    /// renewed. Above the decoders' own tool timeout, so a hostile file is
    /// normally stopped there and gets a verdict.
    pub job_deadline_secs: u64,
    /// How often idle workers look for work (they are also woken on ingest).
    pub poll_ms: u64,
    /// Webhook request timeout.
    pub webhook_timeout_secs: u64,
    /// The trust list C2PA content credentials are checked against.
    pub c2pa: C2paConfig,
    /// Quantisation tables per camera model (`bonafide cameras learn`
    /// output); the shipped ones when unset.
    pub camera_tables: Option<PathBuf>,
    /// Where the ONNX models are and how they run.
    pub models: ModelsConfig,
    /// The human-review queue.
    pub review: ReviewConfig,
    /// The fraud graph's soft-link thresholds.
    pub fraud: bonafide_fraud::GraphConfig,
    /// A commercial reverse-image-search provider asked about every photo;
    /// none when unset.
    pub web_search: Option<bonafide_matching::WebSearchConfig>,
    /// Where webhooks and providers may connect (the SSRF guard).
    pub egress: bonafide_egress::EgressPolicy,
    /// Detectors not run, by name (docs/ARCHITECTURE.md lists them), e.g.
    /// `["text_in_image"]` to save OCR's share of the CPU; an unknown name
    /// stops the engine at start.
    pub disabled_detectors: Vec<String>,
    /// The blob-store folder under which API clients put the objects they
    /// name by `blob_key`: client `id` may name only keys under
    /// `{prefix}/{id}/`. Never one Bonafide writes (`sha256`, `tmk`).
    pub blob_uploads_prefix: String,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            decode: DecodeConfig::default(),
            policy_path: None,
            workers: 4,
            lease_secs: 60,
            job_deadline_secs: 900,
            poll_ms: 500,
            webhook_timeout_secs: 10,
            c2pa: C2paConfig::default(),
            camera_tables: None,
            models: ModelsConfig::default(),
            review: ReviewConfig::default(),
            fraud: bonafide_fraud::GraphConfig::default(),
            web_search: None,
            egress: bonafide_egress::EgressPolicy::default(),
            disabled_detectors: Vec::new(),
            blob_uploads_prefix: "incoming".into(),
        }
    }
}

impl EngineConfig {
    /// The folder API client `client_id`'s `blob_key` objects must be in.
    pub fn client_blob_folder(&self, client_id: &str) -> String {
        format!("{}/{client_id}/", self.blob_uploads_prefix)
    }

    /// The lease as a duration.
    pub fn lease(&self) -> Duration {
        Duration::from_secs(self.lease_secs.max(1))
    }
}
