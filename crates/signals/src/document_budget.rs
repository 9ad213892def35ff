use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind};

/// The code of a document whose reading stopped early.
pub const DOCUMENT_CUT_SHORT: &str = "document.cut_short";

/// Flags documents read only in part: their content or text ran past the
/// decoder's budgets (a decompression bomb, or text that hides past the
/// point screening reads to). What follows was not screened, so a person
/// looks.
#[derive(Debug, Default)]
pub struct DocumentBudget;

#[async_trait]
impl Detector for DocumentBudget {
    fn name(&self) -> &'static str {
        "document_budget"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Document
    }

    fn codes(&self) -> &'static [&'static str] {
        &[DOCUMENT_CUT_SHORT]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some((doc, why)) = art
            .document
            .as_ref()
            .and_then(|d| Some((d, d.cut_short.as_ref()?)))
        else {
            return Ok(vec![]);
        };
        let msg = format!("The document was read only in part ({why}); the rest was not screened.");
        Ok(vec![
            Finding::new(self.name(), DOCUMENT_CUT_SHORT, 0.5, msg).with_evidence(
                serde_json::json!({
                    "why": why,
                    "pages": doc.pages,
                    "text_bytes": doc.text.len(),
                }),
            ),
        ])
    }
}
