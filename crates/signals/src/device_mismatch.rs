use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};

/// Flags photos whose EXIF camera disagrees with the device the
/// contributor's app reported (`device_make` / `device_model`): a phone
/// that uploads another camera's photo sent a file it did not take. Makers
/// are compared through their usual aliases (`samsung` and `SAMSUNG
/// Electronics`); models only when both sides name one, loosely (one
/// contains the other once case, spaces and punctuation are dropped), since
/// apps and cameras spell models differently.
#[derive(Debug, Default)]
pub struct DeviceMismatch;

/// Maker aliases → one name: EXIF writes the company, OSes the brand.
const MAKERS: &[(&str, &str)] = &[
    ("samsung", "samsung"),
    ("apple", "apple"),
    ("google", "google"),
    ("huawei", "huawei"),
    ("honor", "honor"),
    ("xiaomi", "xiaomi"),
    ("redmi", "xiaomi"),
    ("poco", "xiaomi"),
    ("oneplus", "oneplus"),
    ("oppo", "oppo"),
    ("realme", "realme"),
    ("vivo", "vivo"),
    ("motorola", "motorola"),
    ("sony", "sony"),
    ("nokia", "nokia"),
    ("hmd global", "nokia"),
    ("lg electronics", "lg"),
    ("nikon", "nikon"),
    ("canon", "canon"),
    ("fujifilm", "fujifilm"),
    ("olympus", "olympus"),
    ("om digital", "olympus"),
    ("panasonic", "panasonic"),
];

/// The canonical maker for a make string: a known alias, else the text
/// lower-cased with company suffixes dropped.
fn maker(make: &str) -> String {
    let lower = make
        .trim_matches(|c: char| c == '\0' || c.is_whitespace())
        .to_lowercase();
    if let Some((_, name)) = MAKERS.iter().find(|(alias, _)| lower.starts_with(alias)) {
        return (*name).to_owned();
    }
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    while let Some(last) = words.last()
        && matches!(
            last.trim_end_matches('.'),
            "inc" | "corp" | "corporation" | "co" | "ltd" | "co.,ltd" | "electronics" | "company"
        )
    {
        words.pop();
    }
    words.join(" ")
}

/// A model with case, spaces and punctuation dropped.
fn squash(model: &str) -> String {
    model
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[async_trait]
impl Detector for DeviceMismatch {
    fn name(&self) -> &'static str {
        "device_mismatch"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::METADATA_DEVICE_MISMATCH]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let (up, exif) = (ctx.upload, art.metadata.exif.as_ref());
        let (Some(reported_make), Some(file_make)) = (
            up.device_make.as_deref(),
            exif.and_then(|e| e.make.as_deref()),
        ) else {
            return Ok(vec![]);
        };
        let file_model = exif.and_then(|e| e.model.as_deref());
        let evidence = serde_json::json!({
            "reported": {"make": reported_make, "model": up.device_model},
            "file": {"make": file_make, "model": file_model},
        });
        let (a, b) = (maker(reported_make), maker(file_make));
        if a.is_empty() || b.is_empty() {
            return Ok(vec![]);
        }
        if a != b {
            let message = format!(
                "The app reported a {reported_make} device, but the photo says a {file_make} camera took it."
            );
            return Ok(vec![
                Finding::new(self.name(), codes::METADATA_DEVICE_MISMATCH, 0.7, message)
                    .with_evidence(evidence),
            ]);
        }
        if let (Some(reported), Some(file)) = (up.device_model.as_deref(), file_model) {
            let (r, f) = (squash(reported), squash(file));
            if !r.is_empty() && !f.is_empty() && !r.contains(&f) && !f.contains(&r) {
                let message =
                    format!("The app reported a {reported}, but the photo says a {file} took it.");
                return Ok(vec![
                    Finding::new(self.name(), codes::METADATA_DEVICE_MISMATCH, 0.5, message)
                        .with_evidence(evidence),
                ]);
            }
        }
        Ok(vec![])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makers_compare_through_aliases_and_suffixes() {
        assert_eq!(maker("SAMSUNG"), maker("samsung"));
        assert_eq!(maker("HMD Global"), maker("Nokia"));
        assert_eq!(maker("Redmi"), maker("Xiaomi"));
        assert_eq!(maker("CASIO COMPUTER CO.,LTD."), "casio computer");
        assert_eq!(maker("EASTMAN KODAK COMPANY"), "eastman kodak");
        assert_ne!(maker("Apple"), maker("samsung"));
        assert_eq!(squash("iPhone 14 Pro"), squash("iPhone14Pro"));
    }
}
