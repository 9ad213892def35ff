use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};

/// Flags photos whose metadata names an image editor — EXIF `Software`,
/// XMP `CreatorTool`, an agent in the XMP edit history or in the C2PA
/// claim's actions: the file was
/// opened and saved again by one. Weak on its own — people crop and
/// straighten — so it is a reason to look, with the name as evidence.
#[derive(Debug, Default)]
pub struct EditingSoftware;

#[async_trait]
impl Detector for EditingSoftware {
    fn name(&self) -> &'static str {
        "editing_software"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::METADATA_EDITING_SOFTWARE]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let m = &art.metadata;
        let exif = m.exif.as_ref().and_then(|e| e.software.as_deref());
        let xmp = m.xmp.as_ref();
        let fields = std::iter::empty()
            .chain(exif.map(|v| ("EXIF Software", v)))
            .chain(
                xmp.and_then(|x| x.creator_tool.as_deref())
                    .map(|v| ("XMP CreatorTool", v)),
            )
            .chain(
                xmp.into_iter()
                    .flat_map(|x| &x.history_agents)
                    .map(|v| ("XMP History softwareAgent", v.as_str())),
            )
            // Signed: the C2PA claim itself says which tool acted on the file.
            .chain(
                art.c2pa
                    .manifest
                    .iter()
                    .flat_map(|m| &m.actions)
                    .filter_map(|a| a.software_agent.as_deref())
                    .map(|v| ("C2PA action softwareAgent", v)),
            );
        let named: Vec<(&str, &str, &str)> = fields
            .filter_map(|(field, value)| {
                bonafide_metadata::editor_named(value).map(|editor| (field, value, editor))
            })
            .collect();
        let Some((field, value, _)) = named.first() else {
            return Ok(vec![]);
        };
        let message = format!("The file was saved by {value} ({field}), an image editor.");
        Ok(vec![
            Finding::new(self.name(), codes::METADATA_EDITING_SOFTWARE, 0.5, message)
                .with_evidence(serde_json::json!({
                    "editors": named
                        .iter()
                        .map(|(field, value, editor)| {
                            serde_json::json!({"field": field, "value": value, "editor": editor})
                        })
                        .collect::<Vec<_>>(),
                })),
        ])
    }
}
