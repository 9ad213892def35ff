//! What every handler, API and UI alike, shares.

use std::sync::Arc;

use bonafide_engine::Engine;

use crate::{
    http::RateLimits,
    ui::{LoginThrottle, MetadataRows},
};

/// Shared state of every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The pipeline.
    pub engine: Engine,
    /// Per-key and per-contributor rate limits.
    pub limits: Arc<RateLimits>,
    /// Reviewers' failed logins.
    pub(crate) logins: Arc<LoginThrottle>,
    /// Whether `X-Forwarded-For` names the client ([`ApiConfig`]).
    pub(crate) trust_forwarded_for: bool,
    /// The review UI's parsed metadata of recently viewed files.
    pub(crate) metadata_rows: Arc<MetadataRows>,
}
