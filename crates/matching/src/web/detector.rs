use std::sync::Arc;

use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};
use serde_json::json;

use super::{Closeness, WebMatch, WebSearch};

/// Largest file sent to a provider (their request limits are ~10–20 MB).
const MAX_BYTES: usize = 10 << 20;
/// URLs named in evidence.
const SHOWN: usize = 5;

/// Asks a [`WebSearch`] provider where else each photo is on the web. A
/// full match is `plagiarism.web_match` for a person to check (the pages
/// may be the contributor's own); partial matches alone score lower. A
/// provider that fails gives `plagiarism.web_unavailable`, a note: an
/// outage there must not send every upload to review.
#[derive(Debug)]
pub struct WebSearchDetector {
    provider: Arc<dyn WebSearch>,
}

impl WebSearchDetector {
    /// The codes it emits (known to the policy check even when no provider
    /// is configured and the detector is not registered).
    pub const CODES: &'static [&'static str] = &[
        codes::PLAGIARISM_WEB_MATCH,
        codes::PLAGIARISM_WEB_UNAVAILABLE,
    ];

    /// A detector over `provider`.
    pub fn new(provider: Arc<dyn WebSearch>) -> Self {
        Self { provider }
    }
}

#[async_trait]
impl Detector for WebSearchDetector {
    fn name(&self) -> &'static str {
        "web_search"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        Self::CODES
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let provider = self.provider.name();
        if art.bytes.len() > MAX_BYTES {
            return Ok(vec![unavailable(
                self.name(),
                provider,
                &format!("the file is over {} MB", MAX_BYTES >> 20),
            )]);
        }
        let found = match self.provider.search(&art.bytes).await {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(provider, error = %e, "web search failed");
                return Ok(vec![unavailable(self.name(), provider, &e.to_string())]);
            }
        };
        let (full, partial): (Vec<&WebMatch>, Vec<&WebMatch>) =
            found.iter().partition(|m| m.closeness == Closeness::Full);
        let (score, what) = match (full.len(), partial.len()) {
            (0, 0) => return Ok(vec![]),
            (0, n) => (0.55, format!("{n} partial match(es)")),
            (n, _) => (0.8, format!("{n} full match(es)")),
        };
        let first = full
            .first()
            .or(partial.first())
            .map_or("", |m| m.url.as_str());
        let message = format!("Found on the web by {provider}: {what}, e.g. {first}.");
        Ok(vec![
            Finding::new(self.name(), codes::PLAGIARISM_WEB_MATCH, score, message).with_evidence(
                json!({
                    "provider": provider,
                    "full": full.len(),
                    "partial": partial.len(),
                    "matches": found.iter().take(SHOWN).collect::<Vec<_>>(),
                }),
            ),
        ])
    }
}

fn unavailable(detector: &str, provider: &str, why: &str) -> Finding {
    Finding::new(
        detector,
        codes::PLAGIARISM_WEB_UNAVAILABLE,
        0.0,
        format!("The web search ({provider}) gave no answer: {why}."),
    )
    .with_evidence(json!({"provider": provider, "error": why}))
}
