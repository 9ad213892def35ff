//! Google Cloud Vision's web detection (`images:annotate` with the
//! `WEB_DETECTION` feature): images on the web that fully or partly match,
//! and the pages showing them.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Closeness, WebMatch, WebSearch, WebSearchError};

/// Settings of the Vision adapter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VisionConfig {
    /// The `images:annotate` URL.
    pub endpoint: String,
    /// The environment variable holding the API key (kept out of config
    /// files and logs; sent in the `x-goog-api-key` header).
    pub api_key_env: String,
    /// Request timeout.
    pub timeout_secs: u64,
    /// Results asked for.
    pub max_results: u32,
}

impl Default for VisionConfig {
    fn default() -> Self {
        Self {
            endpoint: "https://vision.googleapis.com/v1/images:annotate".into(),
            api_key_env: "BONAFIDE_GOOGLE_VISION_KEY".into(),
            timeout_secs: 10,
            max_results: 10,
        }
    }
}

/// The adapter.
#[derive(Debug)]
pub struct VisionWebDetection {
    http: reqwest::Client,
    endpoint: String,
    api_key: String,
    max_results: u32,
}

impl VisionWebDetection {
    /// Reads the API key from the environment and builds the client.
    pub fn new(
        cfg: &VisionConfig,
        egress: &bonafide_egress::EgressPolicy,
    ) -> Result<Self, WebSearchError> {
        bonafide_egress::check_url(&cfg.endpoint, egress)
            .map_err(|e| WebSearchError::Config(format!("endpoint: {e}")))?;
        let api_key = std::env::var(&cfg.api_key_env)
            .ok()
            .filter(|k| !k.is_empty())
            .ok_or_else(|| WebSearchError::Config(format!("{} is not set", cfg.api_key_env)))?;
        let builder =
            reqwest::Client::builder().timeout(Duration::from_secs(cfg.timeout_secs.max(1)));
        let http = bonafide_egress::client(builder, egress)
            .build()
            .map_err(|e| WebSearchError::Config(e.to_string()))?;
        Ok(Self {
            http,
            endpoint: cfg.endpoint.clone(),
            api_key,
            max_results: cfg.max_results.max(1),
        })
    }
}

#[derive(Deserialize)]
struct Annotated {
    #[serde(default)]
    responses: Vec<Annotation>,
    error: Option<Status>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Annotation {
    web_detection: Option<WebDetection>,
    error: Option<Status>,
}

#[derive(Deserialize)]
struct Status {
    #[serde(default)]
    message: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WebDetection {
    full_matching_images: Vec<WebImage>,
    partial_matching_images: Vec<WebImage>,
    pages_with_matching_images: Vec<WebPage>,
}

#[derive(Deserialize)]
struct WebImage {
    url: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebPage {
    url: String,
    page_title: Option<String>,
    #[serde(default)]
    full_matching_images: Vec<WebImage>,
}

impl WebDetection {
    /// Pages first (they say where the picture is shown), then the image
    /// URLs no page already accounts for.
    fn matches(self) -> Vec<WebMatch> {
        let shown: std::collections::HashSet<String> = self
            .pages_with_matching_images
            .iter()
            .flat_map(|p| p.full_matching_images.iter().map(|i| i.url.clone()))
            .collect();
        let mut out: Vec<WebMatch> = self
            .pages_with_matching_images
            .into_iter()
            .map(|p| WebMatch {
                closeness: if p.full_matching_images.is_empty() {
                    Closeness::Partial
                } else {
                    Closeness::Full
                },
                url: p.url,
                // Vision returns titles with HTML markup (<b>…</b>).
                page_title: p.page_title.map(|t| strip_tags(&t)),
            })
            .collect();
        let images = self
            .full_matching_images
            .into_iter()
            .map(|i| (i, Closeness::Full))
            .chain(
                self.partial_matching_images
                    .into_iter()
                    .map(|i| (i, Closeness::Partial)),
            );
        for (image, closeness) in images {
            if !shown.contains(&image.url) && !out.iter().any(|m| m.url == image.url) {
                out.push(WebMatch {
                    url: image.url,
                    page_title: None,
                    closeness,
                });
            }
        }
        out
    }
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[async_trait]
impl WebSearch for VisionWebDetection {
    fn name(&self) -> &'static str {
        "google_vision"
    }

    async fn search(&self, image: &[u8]) -> Result<Vec<WebMatch>, WebSearchError> {
        let body = json!({"requests": [{
            "image": {"content": base64::engine::general_purpose::STANDARD.encode(image)},
            "features": [{"type": "WEB_DETECTION", "maxResults": self.max_results}],
        }]});
        let resp = self
            .http
            .post(&self.endpoint)
            .header("x-goog-api-key", &self.api_key)
            .json(&body)
            .send()
            .await
            .map_err(|e| WebSearchError::Request(e.without_url().to_string()))?;
        let status = resp.status();
        let answer: Annotated = resp
            .json()
            .await
            .map_err(|e| WebSearchError::Answer(format!("HTTP {status}: {}", e.without_url())))?;
        if let Some(e) = answer.error {
            return Err(WebSearchError::Answer(format!(
                "HTTP {status}: {}",
                e.message
            )));
        }
        let first = answer
            .responses
            .into_iter()
            .next()
            .ok_or_else(|| WebSearchError::Answer(format!("HTTP {status}: no response")))?;
        if let Some(e) = first.error {
            return Err(WebSearchError::Answer(e.message));
        }
        Ok(first.web_detection.unwrap_or_default().matches())
    }
}

#[cfg(test)]
mod tests {
    use super::strip_tags;

    #[test]
    fn titles_lose_their_markup() {
        assert_eq!(
            strip_tags("Golden <b>Gate</b> Bridge"),
            "Golden Gate Bridge"
        );
    }
}
