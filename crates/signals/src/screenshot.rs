use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};

/// Flags images that look like screenshots rather than camera captures: no
/// camera make or model in the metadata, and either exactly a phone or
/// tablet screen's pixel size, or a screenshot tool named in a PNG text
/// chunk. A reason to look: a screenshot of someone else's photo is not
/// the contributor's capture.
#[derive(Debug, Default)]
pub struct Screenshot;

/// Portrait screen sizes (width × height) of common phones and tablets.
const SCREENS: &[(u32, u32)] = &[
    // iPhone
    (640, 1136),
    (750, 1334),
    (828, 1792),
    (1080, 1920),
    (1080, 2340),
    (1125, 2436),
    (1170, 2532),
    (1179, 2556),
    (1206, 2622),
    (1242, 2208),
    (1242, 2688),
    (1284, 2778),
    (1290, 2796),
    (1320, 2868),
    // Android
    (720, 1280),
    (720, 1600),
    (1080, 2160),
    (1080, 2220),
    (1080, 2280),
    (1080, 2400),
    (1080, 2408),
    (1080, 2412),
    (1440, 2560),
    (1440, 2960),
    (1440, 3040),
    (1440, 3088),
    (1440, 3120),
    (1440, 3200),
    // iPad
    (1536, 2048),
    (1620, 2160),
    (1640, 2360),
    (1668, 2388),
    (2048, 2732),
];

/// Screenshot tools that sign their PNGs, matched case-insensitively.
const TOOLS: &[&str] = &[
    "screenshot",
    "greenshot",
    "sharex",
    "snipping tool",
    "lightshot",
    "flameshot",
];

#[async_trait]
impl Detector for Screenshot {
    fn name(&self) -> &'static str {
        "screenshot"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Image
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let m = &art.metadata;
        let camera = m
            .exif
            .as_ref()
            .is_some_and(|e| e.make.is_some() || e.model.is_some());
        let Some(image) = &art.image else {
            return Ok(vec![]);
        };
        if camera {
            return Ok(vec![]);
        }
        let (w, h) = (image.width, image.height);
        let screen = SCREENS
            .iter()
            .any(|&(sw, sh)| (w, h) == (sw, sh) || (w, h) == (sh, sw));
        let tool = m.png_text.as_ref().and_then(|text| {
            text.iter().find_map(|(key, value)| {
                let both = format!("{key} {value}").to_lowercase();
                TOOLS
                    .iter()
                    .any(|t| both.contains(t))
                    .then(|| format!("{key}: {value}"))
            })
        });
        let why = match (&tool, screen) {
            (Some(t), _) => format!("a PNG text chunk names a screenshot tool ({t})"),
            (None, true) => format!(
                "it is exactly {w}×{h} pixels, a phone or tablet screen, with no camera metadata"
            ),
            (None, false) => return Ok(vec![]),
        };
        Ok(vec![
            Finding::new(
                self.name(),
                codes::METADATA_SCREENSHOT,
                0.5,
                format!("Looks like a screenshot, not a camera capture: {why}."),
            )
            .with_evidence(serde_json::json!({
                "width": w,
                "height": h,
                "screen_size": screen,
                "tool": tool,
                "media_type": art.media_type.mime(),
            })),
        ])
    }
}
