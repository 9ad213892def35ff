//! The edits a copier makes to a picture before passing it off as their
//! own — crop, resize, JPEG re-save, a caption, a phone screenshot's frame,
//! a stock agency's watermark — for the evaluations and tests that measure
//! whether a copy is still found; and the ten harder [`Edit`]s of issue
//! #21 (crops to a quarter, pasting onto another photo, memes, stripes,
//! turns, social screenshots, stickers, perspective).
mod copier;

pub use copier::Edit;

use std::path::Path;

use ab_glyph::{Font, FontVec, PxScale, ScaleFont, point};
use anyhow::Context;
use image::{Rgb, RgbImage, imageops};

/// One way to change a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// Keeps the middle 80 % of each side (64 % of the area).
    Crop,
    /// Half the width and height.
    Resize,
    /// Re-saved as JPEG at quality 50.
    Jpeg,
    /// A caption band across the bottom fifth, with text.
    TextOverlay,
    /// Shown on a phone screen: letterboxed into a 9:19.5 canvas under a
    /// status bar, with app chrome below, as a screenshot captures it.
    Screenshot,
    /// A stock agency's watermark: its name across the middle, white and
    /// half transparent, with a credit line in the corner.
    StockWatermark,
    /// A photographer's copyright notice along the bottom edge.
    CopyrightNotice,
}

impl Transform {
    /// Every transform.
    pub const ALL: [Self; 7] = [
        Self::Crop,
        Self::Resize,
        Self::Jpeg,
        Self::TextOverlay,
        Self::Screenshot,
        Self::StockWatermark,
        Self::CopyrightNotice,
    ];

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Crop => "crop 80%",
            Self::Resize => "resize 50%",
            Self::Jpeg => "JPEG q50",
            Self::TextOverlay => "text overlay",
            Self::Screenshot => "screenshot frame",
            Self::StockWatermark => "stock watermark",
            Self::CopyrightNotice => "copyright notice",
        }
    }
}

/// Draws text with a TrueType font.
pub struct Painter {
    font: FontVec,
}

/// DejaVu Sans Bold, from Debian's fonts-dejavu-core (installed by
/// scripts/setup).
pub const DEFAULT_FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

impl Painter {
    /// Loads the font file at `path`.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let bytes = std::fs::read(path).with_context(|| {
            format!(
                "reading the font {} (apt install fonts-dejavu-core)",
                path.display()
            )
        })?;
        let font = FontVec::try_from_vec(bytes)
            .with_context(|| format!("{} is not a TrueType font", path.display()))?;
        Ok(Self { font })
    }

    /// Applies `t` to `img`, returning the file a copier would upload (JPEG
    /// at quality 90 unless the transform is the re-save itself).
    pub fn apply(&self, t: Transform, img: &RgbImage) -> Vec<u8> {
        let (w, h) = img.dimensions();
        let out = match t {
            Transform::Crop => {
                let (cw, ch) = (w * 4 / 5, h * 4 / 5);
                imageops::crop_imm(img, (w - cw) / 2, (h - ch) / 2, cw, ch).to_image()
            }
            Transform::Resize => imageops::resize(
                img,
                (w / 2).max(1),
                (h / 2).max(1),
                imageops::FilterType::Triangle,
            ),
            Transform::Jpeg => return jpeg(img, 50),
            Transform::TextOverlay => {
                let mut out = img.clone();
                let band = h / 5;
                for y in h - band..h {
                    for x in 0..w {
                        blend(&mut out, x, y, Rgb([0, 0, 0]), 0.6);
                    }
                }
                let px = band as f32 * 0.4;
                self.text(
                    &mut out,
                    "when you finally get the shot",
                    px,
                    w as f32 * 0.05,
                    (h - band) as f32 + band as f32 * 0.3,
                    Rgb([255, 255, 255]),
                    1.0,
                );
                out
            }
            Transform::Screenshot => self.screenshot(img),
            Transform::StockWatermark => {
                let mut out = img.clone();
                let px = w as f32 / 7.0;
                self.text(
                    &mut out,
                    "shutterstock",
                    w as f32 * 0.08,
                    h as f32 / 2.0 - px / 2.0,
                    px,
                    Rgb([255, 255, 255]),
                    0.5,
                );
                let small = (h as f32 / 40.0).max(10.0);
                self.text(
                    &mut out,
                    "Image ID: 1048576 www.shutterstock.com",
                    w as f32 * 0.02,
                    h as f32 - small * 1.6,
                    small,
                    Rgb([255, 255, 255]),
                    0.9,
                );
                out
            }
            Transform::CopyrightNotice => {
                let mut out = img.clone();
                let px = (h as f32 / 28.0).max(12.0);
                self.text(
                    &mut out,
                    "© 2024 Jane Doe Photography. All rights reserved.",
                    w as f32 * 0.03,
                    h as f32 - px * 1.8,
                    px,
                    Rgb([255, 255, 255]),
                    0.85,
                );
                out
            }
        };
        jpeg(&out, 90)
    }

    /// A 1080×2340 phone screenshot showing `img` fitted to its width.
    fn screenshot(&self, img: &RgbImage) -> RgbImage {
        let (sw, sh) = (1080u32, 2340u32);
        let mut screen = RgbImage::from_pixel(sw, sh, Rgb([0, 0, 0]));
        let fh =
            (img.height() as u64 * sw as u64 / img.width().max(1) as u64).clamp(1, 1800) as u32;
        let fitted = imageops::resize(img, sw, fh, imageops::FilterType::Triangle);
        imageops::overlay(&mut screen, &fitted, 0, i64::from((sh - fh) / 2));
        // Status bar and app chrome.
        for y in 0..90 {
            for x in 0..sw {
                screen.put_pixel(x, y, Rgb([24, 24, 24]));
            }
        }
        self.text(
            &mut screen,
            "9:41",
            40.0,
            24.0,
            44.0,
            Rgb([255, 255, 255]),
            1.0,
        );
        self.text(
            &mut screen,
            "♥ 1,204   Reply   Share",
            40.0,
            sh as f32 - 220.0,
            48.0,
            Rgb([230, 230, 230]),
            1.0,
        );
        screen
    }

    /// Draws `text` with its top-left at (`x`, `y`), `px` tall, blended at
    /// `alpha`; what falls outside the picture is dropped.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        img: &mut RgbImage,
        text: &str,
        x: f32,
        y: f32,
        px: f32,
        colour: Rgb<u8>,
        alpha: f32,
    ) {
        let scaled = self.font.as_scaled(PxScale::from(px));
        let mut caret = x;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            let glyph = id.with_scale_and_position(px, point(caret, y + scaled.ascent()));
            caret += scaled.h_advance(id);
            let Some(outline) = self.font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let (px, py) = (
                    bounds.min.x as i64 + i64::from(gx),
                    bounds.min.y as i64 + i64::from(gy),
                );
                if (0..i64::from(img.width())).contains(&px)
                    && (0..i64::from(img.height())).contains(&py)
                {
                    blend(img, px as u32, py as u32, colour, alpha * coverage);
                }
            });
        }
    }
}

fn blend(img: &mut RgbImage, x: u32, y: u32, colour: Rgb<u8>, alpha: f32) {
    let p = img.get_pixel_mut(x, y);
    for (c, over) in p.0.iter_mut().zip(colour.0) {
        *c = (f32::from(*c) * (1.0 - alpha) + f32::from(over) * alpha).round() as u8;
    }
}

/// `img` as a JPEG at `quality`.
pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .expect("encoding to memory");
    out
}
