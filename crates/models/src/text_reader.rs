//! What a line of text says: PaddleOCR v4's recogniser (CRNN with CTC, as
//! shipped by RapidOCR; Chinese and English), reading one box that
//! [`crate::TextLineDetector`] found. The character set travels inside the
//! model file's metadata.

use image::RgbImage;

use crate::{Filter, ModelError, Runtime, TextBox, resize, runtime::Model};

/// The recogniser's input height.
const HEIGHT: u32 = 48;
/// Narrowest input (PaddleOCR's default 320: shorter lines are padded).
const MIN_WIDTH: u32 = 320;
/// Widest input: a line longer than 25 heights is squeezed (the cost grows
/// with the width).
const MAX_WIDTH: u32 = HEIGHT * 25;

/// A line as read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadText {
    /// The text.
    pub text: String,
    /// Mean probability of its characters, 0–1.
    pub confidence: f32,
}

/// The recogniser.
#[derive(Debug)]
pub struct TextReader {
    model: Model,
    /// Class `i` of the output: 0 is CTC's blank, then the model's
    /// characters, then a space.
    classes: Vec<String>,
}

impl TextReader {
    /// The model file.
    pub const FILE: &'static str = "ppocr-v4-rec.onnx";

    /// Loads the model and its character set.
    pub fn load(runtime: &Runtime) -> Result<Self, ModelError> {
        let model = runtime.model(Self::FILE)?;
        let characters = model
            .metadata("character")?
            .ok_or_else(|| model.error(&"no character set in the model's metadata"))?;
        let classes = std::iter::once(String::new())
            .chain(characters.lines().map(str::to_owned))
            .chain(std::iter::once(" ".to_owned()))
            .collect();
        Ok(Self { model, classes })
    }

    /// Reads the text in `area` of `img`: the box scaled to 48 px high
    /// (aspect kept), BGR normalised to −1…1 and padded to at least 320 px
    /// wide as PaddleOCR feeds it, then the output's best class per step
    /// with repeats and blanks dropped (greedy CTC).
    pub fn read(&self, img: &RgbImage, area: &TextBox) -> Result<ReadText, ModelError> {
        let (iw, ih) = img.dimensions();
        let (x, y) = (area.x.min(iw - 1), area.y.min(ih - 1));
        let (w, h) = (
            area.width.min(iw - x).max(1),
            area.height.min(ih - y).max(1),
        );
        let crop = image::imageops::crop_imm(img, x, y, w, h).to_image();
        let width =
            ((f64::from(w) * f64::from(HEIGHT) / f64::from(h)).ceil() as u32).clamp(1, MAX_WIDTH);
        let line = resize(&crop, width, HEIGHT, Filter::Bilinear);
        let input_width = width.max(MIN_WIDTH) as usize;
        let plane = HEIGHT as usize * input_width;
        // Padding is 0 after normalisation, as PaddleOCR pads.
        let mut pixels = vec![0f32; 3 * plane];
        for (px, py, p) in line.enumerate_pixels() {
            let i = py as usize * input_width + px as usize;
            for (c, &v) in [p[2], p[1], p[0]].iter().enumerate() {
                pixels[c * plane + i] = (f32::from(v) / 255.0 - 0.5) / 0.5;
            }
        }
        let input = self
            .model
            .floats(&[1, 3, HEIGHT as usize, input_width], pixels)?;
        let (shape, probs) = self.model.run(vec![("x", input)], "softmax_11.tmp_0")?;
        let (steps, classes) = match shape[..] {
            [1, t, c] if c as usize == self.classes.len() => (t as usize, c as usize),
            _ => {
                return Err(self
                    .model
                    .error(&format!("unexpected output shape {shape:?}")));
            }
        };
        Ok(self.decode(&probs, steps, classes))
    }

    /// Greedy CTC: the best class per step, repeats merged, blanks dropped.
    fn decode(&self, probs: &[f32], steps: usize, classes: usize) -> ReadText {
        let (mut text, mut sum, mut kept) = (String::new(), 0f32, 0usize);
        let mut previous = 0;
        for step in probs.chunks_exact(classes).take(steps) {
            let (best, p) = step
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map_or((0, 0.0), |(i, p)| (i, *p));
            if best != 0 && best != previous {
                text.push_str(&self.classes[best]);
                sum += p;
                kept += 1;
            }
            previous = best;
        }
        ReadText {
            text,
            confidence: if kept == 0 { 0.0 } else { sum / kept as f32 },
        }
    }
}
