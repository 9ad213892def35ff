//! Where a picture has text: PaddleOCR v4's text detector (DB, as shipped
//! by RapidOCR) — how many lines of text there are, how much of the picture
//! they cover (what a document task needs to know), and each line's box
//! (what [`crate::TextReader`] reads).

use image::RgbImage;

use crate::{Filter, ModelError, Runtime, resize, runtime::Model};

/// Longest side the picture is scaled to (PaddleOCR's default).
const MAX_SIDE: u32 = 960;
/// A pixel is text above this probability (PaddleOCR's `thresh`).
const PIXEL_THRESHOLD: f32 = 0.3;
/// A region is a line of text when its mean probability reaches this
/// (PaddleOCR's `box_thresh`).
const LINE_THRESHOLD: f32 = 0.5;
/// Smallest line, in pixels of the scaled picture, on either side.
const MIN_LINE_SIDE: usize = 4;

/// DB's "unclip" ratio: the detector marks a line's shrunk core, grown
/// back by area × ratio / perimeter on every side (PaddleOCR's default).
const UNCLIP_RATIO: f32 = 1.6;

/// Text found in one picture.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLines {
    /// Regions the detector is confident are lines (or words) of text.
    pub lines: usize,
    /// Share of the picture they cover, 0–1.
    pub coverage: f32,
    /// Each line's box in the picture's pixels, largest first.
    pub boxes: Vec<TextBox>,
}

/// An axis-aligned box around a line of text, in the picture's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBox {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// The detector.
#[derive(Debug)]
pub struct TextLineDetector {
    model: Model,
}

impl TextLineDetector {
    /// The model file.
    pub const FILE: &'static str = "ppocr-v4-det.onnx";

    /// Loads the model from the runtime's folder.
    pub fn load(runtime: &Runtime) -> Result<Self, ModelError> {
        Ok(Self {
            model: runtime.model(Self::FILE)?,
        })
    }

    /// Finds the lines of text in `img`: scaled to at most 960 px (sides
    /// multiples of 32), BGR normalised to −1…1 as PaddleOCR feeds it, then
    /// the probability map's confident connected regions.
    pub fn detect(&self, img: &RgbImage) -> Result<TextLines, ModelError> {
        self.detect_within(img, MAX_SIDE)
    }

    /// [`TextLineDetector::detect`] on the picture scaled to at most
    /// `max_side`: cheaper, for large text only (a watermark, a caption).
    pub fn detect_within(&self, img: &RgbImage, max_side: u32) -> Result<TextLines, ModelError> {
        let (w, h) = img.dimensions();
        let ratio = (f64::from(max_side.max(32)) / f64::from(w.max(h))).min(1.0);
        let fit = |v: u32| (((f64::from(v) * ratio) / 32.0).round() as u32 * 32).max(32);
        let (sw, sh) = (fit(w), fit(h));
        let scaled = resize(img, sw, sh, Filter::Bilinear);
        let plane = (sw * sh) as usize;
        let mut pixels = vec![0f32; 3 * plane];
        for (i, p) in scaled.pixels().enumerate() {
            for (c, &v) in [p[2], p[1], p[0]].iter().enumerate() {
                pixels[c * plane + i] = (f32::from(v) / 255.0 - 0.5) / 0.5;
            }
        }
        let input = self
            .model
            .floats(&[1, 3, sh as usize, sw as usize], pixels)?;
        let (shape, map) = self.model.run(vec![("x", input)], "sigmoid_0.tmp_0")?;
        let (mh, mw) = match shape[..] {
            [_, _, mh, mw] => (mh as usize, mw as usize),
            _ => {
                return Err(self
                    .model
                    .error(&format!("unexpected output shape {shape:?}")));
            }
        };
        if map.len() != mh * mw {
            return Err(self.model.error(&"unexpected output size"));
        }
        let mut found = lines_in(&map, mw, mh);
        // Back to the picture's pixels.
        let (fx, fy) = (w as f32 / mw as f32, h as f32 / mh as f32);
        for b in &mut found.boxes {
            let x1 = ((b.x + b.width) as f32 * fx).ceil().min(w as f32) as u32;
            let y1 = ((b.y + b.height) as f32 * fy).ceil().min(h as f32) as u32;
            b.x = (b.x as f32 * fx) as u32;
            b.y = (b.y as f32 * fy) as u32;
            b.width = x1.saturating_sub(b.x).max(1);
            b.height = y1.saturating_sub(b.y).max(1);
        }
        Ok(found)
    }
}

/// Connected regions (4-neighbour) of pixels above the pixel threshold
/// whose mean probability reaches the line threshold; boxes in the map's
/// pixels, unclipped, largest first.
fn lines_in(map: &[f32], width: usize, height: usize) -> TextLines {
    let mut seen = vec![false; map.len()];
    let (mut lines, mut covered) = (0, 0usize);
    let mut boxes = Vec::new();
    let mut stack = Vec::new();
    for start in 0..map.len() {
        if seen[start] || map[start] <= PIXEL_THRESHOLD {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut count, mut sum) = (0usize, 0f32);
        let (mut x0, mut x1, mut y0, mut y1) = (usize::MAX, 0, usize::MAX, 0);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % width, i / width);
            count += 1;
            sum += map[i];
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
            let neighbours = [
                (x > 0).then(|| i - 1),
                (x + 1 < width).then(|| i + 1),
                (y > 0).then(|| i - width),
                (y + 1 < height).then(|| i + width),
            ];
            for n in neighbours.into_iter().flatten() {
                if !seen[n] && map[n] > PIXEL_THRESHOLD {
                    seen[n] = true;
                    stack.push(n);
                }
            }
        }
        let big_enough = x1 + 1 - x0 >= MIN_LINE_SIDE && y1 + 1 - y0 >= MIN_LINE_SIDE;
        if big_enough && sum / count as f32 >= LINE_THRESHOLD {
            lines += 1;
            covered += count;
            boxes.push(unclip(x0, y0, x1 + 1 - x0, y1 + 1 - y0, width, height));
        }
    }
    boxes.sort_by_key(|b| std::cmp::Reverse(b.width * b.height));
    TextLines {
        lines,
        coverage: covered as f32 / map.len().max(1) as f32,
        boxes,
    }
}

/// A core region's box grown by DB's unclip distance, within the map.
fn unclip(x: usize, y: usize, w: usize, h: usize, width: usize, height: usize) -> TextBox {
    let d = (w * h) as f32 * UNCLIP_RATIO / (2 * (w + h)) as f32;
    let d = d.round() as usize;
    let (x0, y0) = (x.saturating_sub(d), y.saturating_sub(d));
    let (x1, y1) = ((x + w + d).min(width), (y + h + d).min(height));
    TextBox {
        x: x0 as u32,
        y: y0 as u32,
        width: (x1 - x0) as u32,
        height: (y1 - y0) as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_counted_when_confident_and_large_enough() {
        let (w, h) = (20, 10);
        let mut map = vec![0.0f32; w * h];
        // A confident 8×4 line, a faint 8×4 blob, a confident 2×2 speck.
        for y in 1..5 {
            for x in 1..9 {
                map[y * w + x] = 0.9;
                map[y * w + x + 10] = 0.35;
            }
        }
        for y in 7..9 {
            for x in 1..3 {
                map[y * w + x] = 0.9;
            }
        }
        let found = lines_in(&map, w, h);
        assert_eq!(found.lines, 1);
        assert!((found.coverage - 32.0 / 200.0).abs() < 1e-6);
        // The 8×4 core grown by round(32 × 1.6 / 24) = 2 px each side.
        assert_eq!(
            found.boxes,
            [TextBox {
                x: 0,
                y: 0,
                width: 11,
                height: 7
            }]
        );
    }
}
