use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};
use bonafide_metadata::{CameraTables, TableFit};

/// Flags JPEGs whose quantisation tables were never seen from the camera
/// their EXIF names: re-saved by other software (which also explains a
/// recompression), or the make and model were edited. Cameras the tables
/// do not know raise nothing.
#[derive(Debug)]
pub struct QuantizationMismatch {
    tables: CameraTables,
}

impl QuantizationMismatch {
    /// Checks against the given tables.
    pub fn new(tables: CameraTables) -> Self {
        Self { tables }
    }
}

#[async_trait]
impl Detector for QuantizationMismatch {
    fn name(&self) -> &'static str {
        "quantization_mismatch"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::METADATA_QUANTIZATION_MISMATCH]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let TableFit::Mismatch {
            camera,
            signature,
            known,
        } = self.tables.fit(&art.metadata)
        else {
            return Ok(vec![]);
        };
        let quality = art.metadata.jpeg.as_ref().and_then(|j| j.estimated_quality);
        let message = format!(
            "The JPEG's quantisation tables are not ones the declared camera ({camera}) writes: \
             it was re-saved by other software, or its make and model were changed{}.",
            quality.map_or(String::new(), |q| format!(
                " (the tables match a standard encoder at quality {q})"
            ))
        );
        Ok(vec![
            Finding::new(
                self.name(),
                codes::METADATA_QUANTIZATION_MISMATCH,
                0.6,
                message,
            )
            .with_evidence(serde_json::json!({
                "camera": camera,
                "table_signature": signature,
                "known_table_sets": known,
                "estimated_quality": quality,
            })),
        ])
    }
}
