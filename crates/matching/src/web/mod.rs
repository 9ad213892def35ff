//! Commercial reverse-image-search services ("is this picture on the
//! web?"): the [`WebSearch`] trait a provider adapter implements, the
//! [`WebSearchDetector`] that asks one about each photo, and one adapter,
//! [`VisionWebDetection`] (Google Cloud Vision's web detection). Off unless
//! configured: each lookup costs money and sends the photo to a third party.

mod detector;
mod vision;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use self::{
    detector::WebSearchDetector,
    vision::{VisionConfig, VisionWebDetection},
};

/// How closely a web image matches the upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Closeness {
    /// The same picture (maybe resized or re-encoded).
    Full,
    /// A part of it, or it with edits.
    Partial,
}

/// One place on the web a provider found the picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebMatch {
    /// The image's URL, or the page's when only a page is known.
    pub url: String,
    /// The page's title, when the provider gives one.
    pub page_title: Option<String>,
    /// How close.
    pub closeness: Closeness,
}

/// Why a provider gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum WebSearchError {
    /// Not configured correctly (no API key, a bad endpoint).
    #[error("not configured: {0}")]
    Config(String),
    /// The request failed or timed out.
    #[error("request failed: {0}")]
    Request(String),
    /// The provider answered with an error or something unreadable.
    #[error("bad answer: {0}")]
    Answer(String),
}

/// A reverse-image-search provider.
#[async_trait]
pub trait WebSearch: Send + Sync + std::fmt::Debug {
    /// Stable name, recorded in evidence.
    fn name(&self) -> &'static str;

    /// Where on the web the picture in `image` (the uploaded file's bytes)
    /// was found.
    async fn search(&self, image: &[u8]) -> Result<Vec<WebMatch>, WebSearchError>;
}

/// Which provider to use and how, from the engine's configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "snake_case", deny_unknown_fields)]
pub enum WebSearchConfig {
    /// Google Cloud Vision `WEB_DETECTION`.
    GoogleVision(VisionConfig),
}

impl WebSearchConfig {
    /// The configured provider, reaching only the addresses `egress` allows.
    pub fn build(
        &self,
        egress: &bonafide_egress::EgressPolicy,
    ) -> Result<std::sync::Arc<dyn WebSearch>, WebSearchError> {
        match self {
            Self::GoogleVision(cfg) => {
                Ok(std::sync::Arc::new(VisionWebDetection::new(cfg, egress)?))
            }
        }
    }
}
