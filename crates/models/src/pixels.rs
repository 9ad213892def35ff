//! Turning a picture into an image model's input: resize the short side
//! (Pillow's way, [`crate::resize`]), crop the centre square, then either
//! hand over its 8-bit pixels (models that normalise in their graph, like
//! the EfficientNet classifier) or scale to 0–1, normalise per channel and
//! put channels first (CLIP).

use image::RgbImage;

use crate::{Filter, resize};

/// One model's input recipe.
#[derive(Debug, Clone, Copy)]
pub struct SquareInput {
    /// The short side is resized to this first.
    pub resize_short: u32,
    /// Then the centre square of this side is taken.
    pub side: u32,
    /// The resize filter.
    pub filter: Filter,
    /// Per-channel mean subtracted (on the 0–1 scale).
    pub mean: [f32; 3],
    /// Per-channel standard deviation divided by.
    pub std: [f32; 3],
}

impl SquareInput {
    /// Floats per picture.
    pub fn len(&self) -> usize {
        3 * (self.side * self.side) as usize
    }

    /// Whether the input is empty (never, for a real recipe).
    pub fn is_empty(&self) -> bool {
        self.side == 0
    }

    /// The picture resized and cropped to the model's square (the 8-bit
    /// input of models that normalise inside their graph).
    pub fn square(&self, img: &RgbImage) -> RgbImage {
        let (w, h) = img.dimensions();
        let scale = f64::from(self.resize_short) / f64::from(w.min(h).max(1));
        // Python's round() (ties to even), as the references compute sizes.
        let fit = |v: u32| ((f64::from(v) * scale).round_ties_even() as u32).max(self.side);
        let (nw, nh) = (fit(w), fit(h));
        let resized = resize(img, nw, nh, self.filter);
        let (left, top) = ((nw - self.side) / 2, (nh - self.side) / 2);
        image::imageops::crop_imm(&resized, left, top, self.side, self.side).to_image()
    }

    /// The model's input for one picture, appended to `out`.
    pub fn push(&self, img: &RgbImage, out: &mut Vec<f32>) {
        let square = self.square(img);
        let plane = (self.side * self.side) as usize;
        let start = out.len();
        out.resize(start + 3 * plane, 0.0);
        let dst = &mut out[start..];
        for (i, p) in square.pixels().enumerate() {
            for c in 0..3 {
                dst[c * plane + i] = (f32::from(p[c]) / 255.0 - self.mean[c]) / self.std[c];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: SquareInput = SquareInput {
        resize_short: 224,
        side: 224,
        filter: Filter::Bicubic,
        mean: [0.5; 3],
        std: [0.5; 3],
    };

    #[test]
    fn crops_the_centre_of_the_short_side() {
        // Left third red, middle green, right third blue: the crop of a
        // 3:1 image is the green middle.
        let img = RgbImage::from_fn(672, 224, |x, _| match x / 224 {
            0 => image::Rgb([255, 0, 0]),
            1 => image::Rgb([0, 255, 0]),
            _ => image::Rgb([0, 0, 255]),
        });
        let mut px = Vec::new();
        PLAIN.push(&img, &mut px);
        let plane = 224 * 224;
        assert_eq!(px.len(), PLAIN.len());
        let centre = 112 * 224 + 112;
        assert!(
            (px[plane + centre] - 1.0).abs() < 1e-5,
            "green is 1 after normalising"
        );
        assert!((px[centre] + 1.0).abs() < 1e-5, "red is 0 there: −1");
    }
}
