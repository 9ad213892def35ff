//! Text drawn on the picture, read by OCR: a stock agency's watermark or
//! credit line ("shutterstock", "Getty Images", "Adobe Stock") means a
//! catalogue photo; a copyright notice ("©", "All rights reserved") means
//! someone claims it. The metadata's own credits are [`crate::Rights`]'s.

use std::sync::Arc;

use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind};
use bonafide_models::{TextBox, TextLineDetector, TextReader};
use image::RgbImage;
use serde_json::json;

use crate::rights::{AGENCIES, codes};

/// Lines read per picture, largest first: watermarks and credit lines are
/// big, and each read costs 25–65 ms here.
const MAX_LINES: usize = 6;
/// The picture is searched for text at this size: a watermark or a credit
/// line stays legible.
const DETECT_SIDE: u32 = 640;
/// Lines shorter than this (pixels) are too small to read.
const MIN_LINE_HEIGHT: u32 = 8;
/// Lines read with less mean confidence are ignored.
const MIN_CONFIDENCE: f32 = 0.6;

const MODELS: [&str; 2] = [TextLineDetector::FILE, TextReader::FILE];

/// The detector's name, on its findings.
const DETECTOR: &str = "text_in_image";

/// Finds lines of text on a photo and reads the largest.
#[derive(Debug, Clone)]
pub struct TextInImage {
    models: Option<(Arc<TextLineDetector>, Arc<TextReader>)>,
}

impl TextInImage {
    /// The detector over PaddleOCR's detector and recogniser (`None` when
    /// they are not installed: the engine then skips it).
    pub fn new(models: Option<(Arc<TextLineDetector>, Arc<TextReader>)>) -> Self {
        Self { models }
    }
}

/// A line as read, where it is.
struct Line {
    text: String,
    confidence: f32,
    area: TextBox,
}

#[async_trait]
impl Detector for TextInImage {
    fn name(&self) -> &'static str {
        DETECTOR
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::NOTICE_IN_IMAGE, codes::STOCK_WATERMARK]
    }

    fn models(&self) -> &[&'static str] {
        &MODELS
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(picture) = art.image.as_ref().and_then(|i| i.colour.clone()) else {
            return Ok(vec![]);
        };
        // The models sit behind `Arc`s: a cheap copy moves to the blocking
        // thread.
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.inspect(&picture))
            .await
            .map_err(|e| DetectorError::Other(e.to_string()))?
            .map_err(DetectorError::Other)
    }
}

impl TextInImage {
    /// Reads the largest lines of text on `picture` and says what they
    /// show (blocking: the detector is most of the cost, 0.2–0.4 s a photo
    /// on this 2-core VM beside the other models). Empty without the models.
    pub fn inspect(&self, picture: &RgbImage) -> Result<Vec<Finding>, String> {
        let Some((detector, reader)) = &self.models else {
            return Ok(vec![]);
        };
        let found = detector
            .detect_within(picture, DETECT_SIDE)
            .map_err(|e| e.to_string())?;
        let mut lines = Vec::new();
        for area in found
            .boxes
            .into_iter()
            .filter(|b| b.height >= MIN_LINE_HEIGHT)
            .take(MAX_LINES)
        {
            let read = reader.read(picture, &area).map_err(|e| e.to_string())?;
            if read.confidence >= MIN_CONFIDENCE && !read.text.trim().is_empty() {
                lines.push(Line {
                    text: read.text,
                    confidence: read.confidence,
                    area,
                });
            }
        }
        Ok(findings(DETECTOR, &lines))
    }
}

/// Letters and digits only, lower case, with the shapes OCR confuses
/// folded together (l, 1 → i; 0 → o): "Getty lmages" and "gettyimages"
/// alike, as OCR spaces and reads words unreliably.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'l' | '1' => 'i',
            '0' => 'o',
            c => c,
        })
        .collect()
}

/// The agency a line names. Names under five letters ("AP", "AFP") are
/// left out: short runs like them turn up in any OCR'd text.
fn agency_in(text: &str) -> Option<&'static str> {
    let line = squeeze(text);
    AGENCIES
        .iter()
        .copied()
        .find(|a| squeeze(a).len() >= 5 && line.contains(&squeeze(a)))
}

/// Whether a line is a copyright notice.
fn is_notice(text: &str) -> bool {
    let line = squeeze(text);
    text.contains('©')
        || ["copyright", "all rights reserved"]
            .iter()
            .any(|n| line.contains(&squeeze(n)))
}

fn evidence(line: &Line) -> serde_json::Value {
    json!({
        "text": line.text,
        "confidence": line.confidence,
        "box": [line.area.x, line.area.y, line.area.width, line.area.height],
    })
}

fn findings(detector: &str, lines: &[Line]) -> Vec<Finding> {
    if let Some((line, agency)) = lines
        .iter()
        .find_map(|l| agency_in(&l.text).map(|a| (l, a)))
    {
        let message = format!(
            "The picture carries a stock agency's mark: {:?} ({agency}) is written on it.",
            line.text
        );
        let mut ev = evidence(line);
        ev["agency"] = json!(agency);
        return vec![
            Finding::new(detector, codes::STOCK_WATERMARK, 0.9, message).with_evidence(ev),
        ];
    }
    lines
        .iter()
        .find(|l| is_notice(&l.text))
        .map(|line| {
            let message = format!(
                "A copyright notice is written on the picture: {:?}.",
                line.text
            );
            Finding::new(detector, codes::NOTICE_IN_IMAGE, 0.6, message)
                .with_evidence(evidence(line))
        })
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line {
        Line {
            text: text.into(),
            confidence: 0.9,
            area: TextBox {
                x: 0,
                y: 0,
                width: 10,
                height: 10,
            },
        }
    }

    #[test]
    fn agencies_are_found_however_ocr_spaces_them() {
        assert_eq!(agency_in("shutterstock"), Some("shutterstock"));
        assert_eq!(agency_in("Getty lmages"), Some("getty images"));
        assert_eq!(agency_in("gettyImages"), Some("getty images"));
        assert_eq!(
            agency_in("www.Shutterstock.com · 1048576"),
            Some("shutterstock")
        );
        assert_eq!(agency_in("Adobe Stock | #123"), Some("adobe stock"));
        // Short names are not matched inside other text.
        assert_eq!(agency_in("CAFE PARIS"), None);
    }

    #[test]
    fn an_agency_outranks_a_notice() {
        let found = findings("t", &[line("© 2024 Jane Doe"), line("iStock")]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, codes::STOCK_WATERMARK);
        let found = findings("t", &[line("© 2024 Jane Doe")]);
        assert_eq!(found[0].code, codes::NOTICE_IN_IMAGE);
        assert!(findings("t", &[line("OPEN 9-5")]).is_empty());
    }
}
