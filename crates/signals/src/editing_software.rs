use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};

/// Flags photos whose metadata names an image editor (EXIF `Software`):
/// the file was opened and saved again by one. Weak on its own — people
/// crop and straighten — so it is a reason to look, with the name as
/// evidence.
#[derive(Debug, Default)]
pub struct EditingSoftware;

/// Editors, matched case-insensitively inside the field. Camera firmware,
/// phone OS versions and transfer tools (which copy files unchanged) are
/// deliberately absent.
const EDITORS: &[&str] = &[
    "photoshop",
    "lightroom",
    "gimp",
    "paint shop",
    "paint.net",
    "pixelmator",
    "affinity photo",
    "snapseed",
    "picsart",
    "facetune",
    "canva",
    "luminar",
    "capture one",
    "acdsee",
    "picasa",
    "windows photo gallery",
    "krita",
    "darktable",
    "rawtherapee",
    "photoscape",
    "fotor",
    "corel",
];

#[async_trait]
impl Detector for EditingSoftware {
    fn name(&self) -> &'static str {
        "editing_software"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(software) = art
            .metadata
            .exif
            .as_ref()
            .and_then(|e| e.software.as_deref())
        else {
            return Ok(vec![]);
        };
        let lower = software.to_lowercase();
        let Some(editor) = EDITORS.iter().find(|e| lower.contains(*e)) else {
            return Ok(vec![]);
        };
        let message =
            format!("The file was last saved by {software} (EXIF Software), an image editor.");
        Ok(vec![
            Finding::new(self.name(), codes::METADATA_EDITING_SOFTWARE, 0.5, message)
                .with_evidence(serde_json::json!({
                    "field": "EXIF Software",
                    "value": software,
                    "editor": editor,
                })),
        ])
    }
}
