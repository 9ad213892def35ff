use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};
use bonafide_ingest::type_mismatch;

/// Flags uploads whose bytes are not what their name or claimed content type
/// says (a JPEG named `.png`). Harmless on its own, often a sign of a file
/// passed through conversion tools.
#[derive(Debug, Default)]
pub struct MediaTypeCheck;

#[async_trait]
impl Detector for MediaTypeCheck {
    fn name(&self) -> &'static str {
        "media_type"
    }

    fn accepts(&self, _kind: MediaKind) -> bool {
        true
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::MEDIA_TYPE_MISMATCH]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let up = ctx.upload;
        let Some(m) = type_mismatch(
            art.media_type,
            up.file_name.as_deref(),
            up.claimed_type.as_deref(),
        ) else {
            return Ok(vec![]);
        };
        let said = m.by_extension.or(m.by_claim).unwrap_or(m.sniffed);
        let msg = format!(
            "The file is {} but was presented as {}.",
            art.media_type.mime(),
            said.mime()
        );
        Ok(vec![
            Finding::new(self.name(), codes::MEDIA_TYPE_MISMATCH, 0.2, msg).with_evidence(
                serde_json::json!({
                    "sniffed": m.sniffed.mime(),
                    "by_extension": m.by_extension.map(|t| t.mime()),
                    "by_claim": m.by_claim.map(|t| t.mime()),
                    "file_name": up.file_name,
                    "claimed_type": up.claimed_type,
                }),
            ),
        ])
    }
}
