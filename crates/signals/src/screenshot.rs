use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};

/// Flags images that look like screenshots rather than camera captures: no
/// camera make or model in the metadata, and exactly a phone or tablet
/// screen's pixel size, a screenshot tool named in a PNG text chunk, or a
/// picture letterboxed between flat bands of one colour (a photo or video
/// shown in an app, with the app's chrome around it). A reason to look: a
/// screenshot of someone else's photo is not the contributor's capture.
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

    fn codes(&self) -> &'static [&'static str] {
        &[codes::METADATA_SCREENSHOT]
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
        let framed = letterbox(&image.luma);
        let why = match (&tool, screen, framed) {
            (Some(t), _, _) => format!("a PNG text chunk names a screenshot tool ({t})"),
            (None, true, _) => format!(
                "it is exactly {w}×{h} pixels, a phone or tablet screen, with no camera metadata"
            ),
            (None, false, Some(f)) => format!(
                "the picture is letterboxed between flat bands ({:.0} % of its height) and has no camera metadata",
                f.bands * 100.0
            ),
            (None, false, None) => return Ok(vec![]),
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
                "letterbox": framed.map(|f| serde_json::json!({"bands": f.bands, "content": f.content})),
                "media_type": art.media_type.mime(),
            })),
        ])
    }
}

/// A row is flat when its luma varies less than this (standard deviation,
/// 0–255): a band of solid colour, not sky (which has grain and a gradient
/// across).
const FLAT_ROW_STD: f32 = 2.0;
/// A band must be at least this share of the height.
const MIN_BAND: f32 = 0.05;

/// A picture shown between two flat bands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Letterbox {
    /// Share of the height the two bands take.
    pub bands: f32,
    /// Share of the height between them.
    pub content: f32,
}

/// The longest run of flat rows of one colour (means within 8 of the
/// run's first row) within `rows`, as (start, length, mean).
fn longest_flat_run(
    stats: &[(f32, f32)],
    rows: std::ops::Range<usize>,
) -> Option<(usize, usize, f32)> {
    let mut best: Option<(usize, usize, f32)> = None;
    let mut start: Option<usize> = None;
    let close = |s: usize, end: usize, best: &mut Option<(usize, usize, f32)>| {
        let len = end - s;
        if best.is_none_or(|b| len > b.1) {
            let mean = stats[s..end].iter().map(|r| r.0).sum::<f32>() / len as f32;
            *best = Some((s, len, mean));
        }
    };
    for y in rows.clone() {
        let flat = stats[y].1 < FLAT_ROW_STD;
        match start {
            Some(s) if flat && (stats[y].0 - stats[s].0).abs() <= 8.0 => {}
            Some(s) => {
                close(s, y, &mut best);
                start = flat.then_some(y);
            }
            None => start = flat.then_some(y),
        }
    }
    if let Some(s) = start {
        close(s, rows.end, &mut best);
    }
    best
}

/// Finds a letterbox: a flat band in the top half and one in the bottom
/// half, of the same colour, each at least [`MIN_BAND`] of the height, with
/// a picture (rows that are not flat) filling most of what lies between.
pub fn letterbox(luma: &bonafide_core::LumaImage) -> Option<Letterbox> {
    let (w, h) = luma.dimensions();
    if w < 16 || h < 32 {
        return None;
    }
    let stats: Vec<(f32, f32)> = (0..h)
        .map(|y| {
            let row: Vec<f32> = (0..w).map(|x| luma.get_pixel(x, y).0[0]).collect();
            let mean = row.iter().sum::<f32>() / w as f32;
            let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / w as f32;
            (mean, var.sqrt())
        })
        .collect();
    let h = h as usize;
    let min_band = (h as f32 * MIN_BAND).ceil() as usize;
    let (top_start, top_len, top_mean) = longest_flat_run(&stats, 0..h / 2)?;
    let (bottom_start, bottom_len, bottom_mean) = longest_flat_run(&stats, h / 2..h)?;
    if top_len < min_band || bottom_len < min_band || (top_mean - bottom_mean).abs() > 8.0 {
        return None;
    }
    let between = top_start + top_len..bottom_start;
    let busy = between
        .clone()
        .filter(|&y| stats[y].1 >= FLAT_ROW_STD)
        .count();
    // The picture: a fifth of the height at least (a landscape photo on a
    // portrait screen is about a quarter), mostly not flat (a clear sky
    // can be).
    if between.len() < h / 5 || (busy as f32) < 0.6 * between.len() as f32 {
        return None;
    }
    Some(Letterbox {
        bands: (top_len + bottom_len) as f32 / h as f32,
        content: between.len() as f32 / h as f32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bonafide_core::LumaImage;

    /// A `w`×`h` picture of noise-like texture with flat bands of `band`
    /// rows at top and bottom.
    fn framed(w: u32, h: u32, band: u32, colour: f32) -> LumaImage {
        LumaImage::from_fn(w, h, |x, y| {
            if y < band || y >= h - band {
                image::Luma([colour])
            } else {
                image::Luma([((x * 37 + y * 91) % 200) as f32])
            }
        })
    }

    #[test]
    fn a_picture_between_flat_bands_is_letterboxed() {
        let found = letterbox(&framed(100, 200, 30, 0.0)).unwrap();
        assert!((found.bands - 0.3).abs() < 1e-6 && (found.content - 0.7).abs() < 1e-6);
        // Bands of two colours, or too thin, or no bands: not a letterbox.
        let mut two = framed(100, 200, 30, 0.0);
        for y in 170..200 {
            for x in 0..100 {
                two.put_pixel(x, y, image::Luma([255.0]));
            }
        }
        assert_eq!(letterbox(&two), None);
        assert_eq!(letterbox(&framed(100, 200, 4, 0.0)), None);
        assert_eq!(letterbox(&framed(100, 200, 0, 0.0)), None);
    }
}
